//! The corpus runner: every public spec in `../shared/corpus.tar.xz` and Stytch's official
//! description generate, and every generated crate passes `cargo check` with `-D warnings`.
//! The table is printed and written to `target/corpus-report.txt`. Skips, saying so, where
//! `../shared` is absent.

mod common;

use std::path::Path;
use std::time::Instant;

use common::root;

struct Row {
    spec: String,
    operations: usize,
    types: usize,
    lines: usize,
    millis: u128,
    /// Warnings by kind, most frequent first: `3× kind`.
    warnings: String,
    result: String,
}

/// `N× kind` for each kind of warning, most frequent first, then by kind.
fn warning_kinds(warnings: &[clientgen::Diagnostic]) -> String {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for w in warnings {
        *counts.entry(w.kind()).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
        .iter()
        .map(|(k, n)| format!("{n}× {}", k.replace('|', "\\|")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// APIs with at least this many operations are also checked with one feature only.
const REDUCED_MIN_OPERATIONS: usize = 100;

/// Crates of at most this many operations are checked with the `mock` feature in CI (every
/// one with `CORPUS_MOCK=all`, as `bench/corpus-mock.sh` runs it).
const MOCK_MAX_OPERATIONS: usize = 300;

/// The API feature with the most operations (the first by name among equals).
fn largest_feature(files: &[clientgen::OutFile]) -> Option<String> {
    common::api_features(files)
        .into_iter()
        .filter(|(_, operations)| *operations > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(name, _)| name)
}

fn crate_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("corpus-{cleaned}")
}

// Several minutes on two cores (30 crates, up to 1,223 operations each), so it is a step of
// its own in `.ci/run` rather than part of every local `cargo test`.
#[test]
#[ignore = "slow; run with `cargo test -p clientgen-tests --test corpus -- --ignored --nocapture`"]
fn corpus_generates_and_compiles() {
    let Some(shared) = common::shared() else {
        common::skip_or_fail(
            "the corpus runner needs ../shared/corpus.tar.xz beside this checkout",
        );
        return;
    };
    let (unpacked, mut specs) = common::corpus_specs(&shared);
    specs.push(shared.join("specs/stytch/openapi.yml"));

    let mut rows = Vec::new();
    let mut crates = Vec::new();
    // (crate, feature): the reduced-feature build of each large API.
    let mut reduced: Vec<(String, String)> = Vec::new();
    // (crate, `webhooks`): the crates with webhooks, checked with only that feature on.
    let mut with_webhooks: Vec<(String, String)> = Vec::new();
    for path in &specs {
        let text = std::fs::read_to_string(path).expect("read a corpus spec");
        let name = if path.ends_with("stytch/openapi.yml") {
            "corpus-stytch-official".to_owned()
        } else {
            crate_name(path)
        };
        let label = match path.strip_prefix(&unpacked) {
            Ok(rel) => rel.display().to_string(),
            Err(_) => "stytch/openapi.yml (official)".to_owned(),
        };
        let options = clientgen::Options {
            jobs: 0,
            ..clientgen::Options::new(name.clone(), label.clone())
        };
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| clientgen::generate(&text, &options));
        let millis = started.elapsed().as_millis();
        let row = match outcome {
            Ok(Ok(output)) => {
                let lines = output
                    .files
                    .iter()
                    .map(|f| f.contents.lines().count())
                    .sum();
                let row = Row {
                    spec: label,
                    operations: output.operations,
                    types: output.types,
                    lines,
                    millis,
                    warnings: warning_kinds(&output.warnings),
                    result: String::new(),
                };
                if output.operations >= REDUCED_MIN_OPERATIONS {
                    if let Some(feature) = largest_feature(&output.files) {
                        reduced.push((name.clone(), feature));
                    }
                }
                if output
                    .files
                    .iter()
                    .any(|f| f.path == Path::new("src/webhooks.rs"))
                {
                    with_webhooks.push((name.clone(), "webhooks".into()));
                }
                crates.push((name.clone(), output.files));
                row
            }
            Ok(Err(errors)) => Row {
                spec: label,
                operations: 0,
                types: 0,
                lines: 0,
                millis,
                warnings: String::new(),
                result: format!("spec error: {errors}"),
            },
            Err(_) => Row {
                spec: label,
                operations: 0,
                types: 0,
                lines: 0,
                millis,
                warnings: String::new(),
                result: "PANIC".into(),
            },
        };
        rows.push((name, row));
    }

    let dir = root().join("target/corpus-crates");
    let members = common::write_workspace(&dir, &crates);
    let check_started = Instant::now();
    let results = common::cargo_check(&dir, &members);
    let check_secs = check_started.elapsed().as_secs();
    // Each large API again with one feature (its largest part) and the defaults off, so that a
    // type left out of a feature's reach is caught.
    let reduced_started = Instant::now();
    let reduced_results = common::cargo_check_features(&dir, &reduced);
    let reduced_secs = reduced_started.elapsed().as_secs();
    // The webhooks (off by default): each crate with them again with only `webhooks` on, so
    // that the module and every payload type it reaches compile on their own.
    let webhooks_started = Instant::now();
    let webhook_results = common::cargo_check_features(&dir, &with_webhooks);
    let webhooks_secs = webhooks_started.elapsed().as_secs();
    // The typed mocks (`mock`, which brings `serde-all`): every crate of at most
    // `MOCK_MAX_OPERATIONS` operations here; `CORPUS_MOCK=all` (bench/corpus-mock.sh) checks
    // the large ones too.
    let mock_started = Instant::now();
    let all = std::env::var("CORPUS_MOCK").is_ok_and(|v| v == "all");
    let mocked: Vec<String> = rows
        .iter()
        .filter(|(name, r)| {
            r.result.is_empty()
                && (all || r.operations <= MOCK_MAX_OPERATIONS)
                && members.contains(name)
        })
        .map(|(name, _)| name.clone())
        .collect();
    let mock_results = common::cargo_check_with_feature(&dir, &mocked, "mock");
    let mock_secs = mock_started.elapsed().as_secs();
    // The documentation of the largest API (GitHub's) as docs.rs builds it: `--cfg docsrs`
    // with its nightly `doc_cfg`, warnings (broken links among them) denied.
    let docs_started = Instant::now();
    let github = members
        .iter()
        .find(|m| m.contains("github"))
        .expect("GitHub's description is in the corpus");
    let docs = std::process::Command::new(env!("CARGO"))
        .args(["doc", "--no-deps", "--quiet", "-p", github])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "--cfg docsrs -D warnings")
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo doc");
    let docs_secs = docs_started.elapsed().as_secs();
    let docs_failure = (!docs.status.success()).then(|| {
        String::from_utf8_lossy(&docs.stderr)
            .lines()
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    });
    for (name, row) in rows.iter_mut() {
        if row.result.is_empty() {
            row.result = match results.iter().find(|(m, _)| m == name) {
                Some((_, None)) => "ok".into(),
                Some((_, Some(e))) => {
                    format!("cargo check failed: {}", e.lines().next().unwrap_or(""))
                }
                None => "not checked".into(),
            };
            if let Some((feature, error)) = reduced_results
                .iter()
                .find(|(m, _, _)| m == name)
                .map(|(_, f, e)| (f, e))
            {
                match error {
                    None if row.result == "ok" => {
                        row.result = format!("ok; ok with only `{feature}`")
                    }
                    None => {}
                    Some(e) => {
                        row.result = format!(
                            "cargo check with only `{feature}` failed: {}",
                            e.lines().next().unwrap_or("")
                        )
                    }
                }
            }
            match webhook_results.iter().find(|(m, _, _)| m == name) {
                Some((_, _, None)) if row.result.starts_with("ok") => {
                    row.result.push_str("; ok with only `webhooks`")
                }
                Some((_, _, Some(e))) => {
                    row.result = format!(
                        "cargo check with only `webhooks` failed: {}",
                        e.lines().next().unwrap_or("")
                    )
                }
                _ => {}
            }
            match mock_results.iter().find(|(m, _)| m == name) {
                Some((_, None)) if row.result.starts_with("ok") => {
                    row.result.push_str("; ok with `mock`")
                }
                Some((_, Some(e))) => {
                    row.result = format!(
                        "cargo check with `mock` failed: {}",
                        e.lines().next().unwrap_or("")
                    )
                }
                _ => {}
            }
        }
    }

    let mut table = String::from(
        "| spec | operations | types | generated lines | generation ms | result | warnings by kind |\n|---|---:|---:|---:|---:|---|---|\n",
    );
    for (_, r) in &rows {
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            r.spec, r.operations, r.types, r.lines, r.millis, r.result, r.warnings
        ));
    }
    table.push_str(&format!(
        "\ncargo check of all generated crates (debug, shared target dir): {check_secs} s; \
         of the {} large ones again with one feature: {reduced_secs} s; of the {} with webhooks \
         with only `webhooks`: {webhooks_secs} s; of {} with `mock`: {mock_secs} s; the \
         documentation of {github} (--cfg docsrs, -D warnings): {docs_secs} s\n",
        reduced.len(),
        with_webhooks.len(),
        mocked.len()
    ));
    println!("{table}");
    let _ = std::fs::write(root().join("target/corpus-report.txt"), &table);
    let failed: Vec<&Row> = rows
        .iter()
        .map(|(_, r)| r)
        .filter(|r| !r.result.starts_with("ok"))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} specs failed:\n{table}",
        failed.len(),
        rows.len()
    );
    if let Some(e) = docs_failure {
        panic!("the documentation of {github} does not build as docs.rs builds it:\n{e}");
    }
}

/// The dispatch test written into GitHub's crate: every case of `dispatch.json` (a webhook's
/// name, the headers its description gives as examples, a payload, and whether that payload
/// is valid against its schema) is read by `webhooks::unsafe_unwrap` as that webhook. A
/// payload the synthesiser could not make valid (its schema's `allOf` parts disagree) is
/// told apart all the same: it must be refused as that webhook's payload, if at all.
const GITHUB_DISPATCH_TEST: &str = r#"
use github_webhooks::reqwest::header::{HeaderMap, HeaderName, HeaderValue};

#[test]
fn every_webhook_is_told_apart() {
    let cases: Vec<(String, Vec<(String, String)>, String, bool)> =
        serde_json::from_str(include_str!("dispatch.json")).unwrap();
    let mut failures = Vec::new();
    let mut refused = 0;
    for (name, headers, body, valid) in &cases {
        let mut map = HeaderMap::new();
        for (header, value) in headers {
            map.append(
                HeaderName::from_bytes(header.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        match github_webhooks::webhooks::unsafe_unwrap(&map, body.as_bytes()) {
            Ok(event) if event.name() == name => {}
            Ok(event) => failures.push(format!("{name}: read as {}", event.name())),
            Err(github_webhooks::webhooks::WebhookError::Decode { webhook: Some(w), .. })
                if !valid && w == name =>
            {
                refused += 1
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{} of {}:\n{}", failures.len(), cases.len(), failures.join("\n"));
    println!("dispatched {} webhooks ({refused} invalid payloads refused as theirs)", cases.len());
}
"#;

/// Every webhook of GitHub's description, with the headers its description gives as examples
/// (`X-GitHub-Event` among them) and its payload's example where it has one, else a payload
/// synthesised from its schema, is told apart as itself by the generated `webhooks` module.
#[test]
#[ignore = "needs ../shared and compiles GitHub's crate: run by `cargo test-corpus`"]
fn githubs_webhooks_are_each_told_apart() {
    let Some(shared) = common::shared() else {
        common::skip_or_fail("the GitHub webhook test needs ../shared/corpus.tar.xz");
        return;
    };
    let (unpacked, _) = common::corpus_specs(&shared);
    let path = unpacked.join("openapi-3.0/github-api.github.com-octokit.json");
    let text = std::fs::read_to_string(&path).expect("read GitHub's description");
    let raw: serde_json::Value = serde_json::from_str(&text).expect("GitHub's description is JSON");
    let synth = clientgen_testkit::synth::Synth::lenient(&raw);
    let resolve = |v: &serde_json::Value| synth.resolve(v).clone();
    let mut cases = Vec::new();
    let mut from_examples = 0;
    let mut invalid = 0;
    for (name, item) in raw["x-webhooks"].as_object().expect("x-webhooks") {
        let op = &item["post"];
        let mut headers = Vec::new();
        for parameter in op["parameters"].as_array().into_iter().flatten() {
            let parameter = resolve(parameter);
            let example = match &parameter["example"] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => continue,
            };
            if parameter["in"] == "header" {
                headers.push((
                    parameter["name"].as_str().unwrap_or_default().to_owned(),
                    example,
                ));
            }
        }
        let media = &op["requestBody"]["content"]["application/json"];
        let example = media["examples"]
            .as_object()
            .and_then(|e| e.values().next())
            .map(|e| resolve(e)["value"].clone())
            .or_else(|| media.get("example").cloned())
            .filter(|e| !e.is_null());
        let body = match example {
            Some(example) => {
                from_examples += 1;
                example
            }
            None => synth.value(&media["schema"], clientgen_testkit::synth::Fill::All, false),
        };
        let valid = synth.failures(&body, &media["schema"]).is_empty();
        invalid += usize::from(!valid);
        cases.push((name.clone(), headers, body.to_string(), valid));
    }
    assert!(cases.len() >= 250, "{} webhooks", cases.len());
    let options = clientgen::Options {
        jobs: 0,
        ..clientgen::Options::new("github_webhooks", "github-api.github.com-octokit.json")
    };
    let mut files = clientgen::generate(&text, &options)
        .expect("GitHub's description generates")
        .files;
    files.push(clientgen::OutFile {
        path: "tests/dispatch.rs".into(),
        contents: GITHUB_DISPATCH_TEST.to_owned(),
    });
    files.push(clientgen::OutFile {
        path: "tests/dispatch.json".into(),
        contents: serde_json::to_string(&cases).unwrap(),
    });
    let dir = root().join("target/github-webhooks-crates");
    common::write_workspace(&dir, &[("github_webhooks".into(), files)]);
    let started = Instant::now();
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "test",
            "-p",
            "github_webhooks",
            "--no-default-features",
            "--features",
            "webhooks",
        ])
        .args(["--test", "dispatch", "--", "--nocapture"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    println!(
        "GitHub's {} webhooks ({from_examples} from their description's examples, {invalid} \
         payloads the synthesiser could not make valid) told apart, in {} s with the crate's \
         build",
        cases.len(),
        started.elapsed().as_secs()
    );
    assert!(
        stdout.contains(&format!("dispatched {} webhooks", cases.len())),
        "{stdout}"
    );
}
