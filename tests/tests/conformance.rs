//! The conformance runner: generates a client for each description, builds every crate's
//! generated conformance test in one scratch workspace (with `-D warnings`), starts Prism in
//! `--errors` mode on 127.0.0.1 for each description, runs the test against it and sorts each
//! operation into OK, spec fault (the description's own example breaks its schema) and ours
//! (Prism rejected our request, or our types could not hold a spec-valid value or decode a
//! response Prism had validated). The table goes to stdout and `target/conformance-report.txt`.
//!
//! Prism comes from `PRISM_BIN` or `target/prism` (where `.ci/run` installs it); without it
//! the runner skips, saying so. `CONFORMANCE_SPECS` (comma-separated substrings of spec labels)
//! limits the run to some descriptions; `CONFORMANCE_MAX_OPERATIONS` leaves out the larger
//! ones other than Stytch's; `CONFORMANCE_JOBS` (default 2) is how many descriptions run at
//! once, each against its own Prism.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::root;

/// Failures of ours that are known, and runs that Prism cannot do: (spec label, text found in
/// the failure's `operation verdict detail` or in the run's note, reason). The runner fails
/// on any other failure of ours, and on an entry that matches nothing any more (so the list
/// shrinks as the causes are fixed).
const KNOWN: &[(&str, &str, &str)] = &[
    // Prism's limits: no request can pass, whatever the client sends.
    (
        "tests/fixtures/lossless.yaml",
        "getAccountDetail",
        "Prism's limit: it routes the path key with its `#fragment` (`/accounts/{id}#detail`), which HTTP never sends, so the request for `/accounts/x` finds no route",
    ),
    (
        "tests/fixtures/wire_cases.yaml",
        "cancelResponseBeta",
        "Prism's limit: it routes the path key with its `?beta=true` as path text, so the request for `/responses/x/cancel?beta=true` finds no route (OpenAI's description has a plain twin of each such key, which Prism answers)",
    ),
    (
        "tests/fixtures/bodies.yaml",
        "Request body property tags must be array",
        "Prism's limit: a one-item array in a form body (`tags=a`, form style, exploded, as OpenAPI says) reads as a string to it",
    ),
    (
        "openapi-3.0/box-openapi.json",
        "Request body property attributes must be object",
        "Prism's limit: it reads every multipart part as text, also one sent as `application/json` (OpenAPI's default for an object part)",
    ),
    (
        "openapi-3.0/box-openapi.json",
        "mdfilters.0 must be object",
        "Prism's limit: an array of objects in a query (OpenAPI defines no serialisation for it; we send each item's JSON text, with a warning) passes only in Prism's own `mdfilters[0][scope]=` notation",
    ),
    (
        "openapi-3.0/box-openapi.json",
        "required property 'grant_type'",
        "Prism's limit: it reads a form body by its declared `properties` only; `grant_type` is required but not declared, so the one we send is dropped",
    ),
    (
        "openapi-3.0/datadog-v1.yaml",
        "NO_COMPLEX_OBJECT_TEXT",
        "Prism's limit: it parses `text/json` (the media type these operations declare) as text, not JSON; `application/json` gets 415",
    ),
    (
        "openapi-3.1/lichess-bundled.yaml",
        "required property 'time'",
        "Prism's limit: it reads a form body by the top-level `properties` only, so the fields of its `oneOf` parts (`time`, `increment`, `days`) are dropped",
    ),
    (
        "openapi-3.1/lichess-bundled.yaml",
        "required property 'name'",
        "Prism's limit: it reads a form body by the top-level `properties` only, so the fields of its `allOf` parts (`name`, `syncUrl`) are dropped",
    ),
    (
        "openapi-3.1/lichess-bundled.yaml",
        "must be object",
        "Prism's limit: without an `encoding` entry it keeps every form field a string, so no object or array field (`info`, `tiebreaks`) can pass",
    ),
    (
        "openapi-3.0/openai-3.0.0.yaml",
        "include[] must be array",
        "Prism's limit: without an `encoding` entry it keeps every multipart part a string, so no array part can pass (repeated parts neither)",
    ),
    (
        "openapi-3.1/openai-openapi.yaml",
        "languages must be array",
        "Prism's limit: without an `encoding` entry it keeps every multipart part a string, so no array part can pass (repeated parts neither)",
    ),
    (
        "openapi-3.1/openai-openapi.yaml",
        "expires_after must be object",
        "Prism's limit: it reads every multipart part as text, also one sent as `application/json` (OpenAPI's default for an object part)",
    ),
    // Descriptions that contradict themselves: no valid request exists.
    (
        "openapi-3.0/openai-3.0.0.yaml",
        "required property 'cert_id'",
        "spec fault: the parameter is `cert_id` but the path template says `{certificate_id}`; the undeclared template parameter is sent (with a warning), `cert_id` cannot be",
    ),
    (
        "openapi-3.0/linode-openapi.yaml",
        "root_device must match pattern",
        "spec fault: the pattern is prose (`a-z, A-Z, 0-9, /, _, -`), and the description's own example `/dev/sda` breaks it",
    ),
    (
        "openapi-3.0/linode-openapi.yaml",
        "found 'devices'",
        "spec fault: `rules` requires `inbound_policy` and `outbound_policy` while an `allOf` part with `additionalProperties: false` forbids them and `devices`",
    ),
    (
        "openapi-3.0/linode-openapi.yaml",
        "found 'cluster'",
        "spec fault: `cluster` is required, but the schema has `additionalProperties: false` and no `cluster` property",
    ),
    (
        "openapi-3.0/ory-kratos.json",
        "updateRegistrationFlow",
        "spec fault: the `oneOf` alternatives overlap (WebAuthn, Code, Passkey and Profile all require exactly `traits` and `method`, and `method` is a plain string), so every valid-looking body matches several",
    ),
    (
        "openapi-3.0/ory-kratos.json",
        "updateSettingsFlow",
        "spec fault: six `oneOf` alternatives require only `method`, a plain string, so every body matches several",
    ),
    (
        "openapi-3.0/sonarr-v5.json",
        "Request path must have required property 'path'",
        "spec fault: `/` declares the path parameter `path` (copied from `/{path}`); the template has no such parameter, so it is not sent (with a warning)",
    ),
    (
        "openapi-3.1/lichess-bundled.yaml",
        "accept must be equal to one of the allowed values",
        "spec fault: the `Accept` parameter allows only PGN and NDJSON while the only response is `application/json` (OpenAPI says an `Accept` parameter is ignored; Prism checks it)",
    ),
];

/// The `KNOWN` entry that explains a failure (`operation verdict detail`) or a run's note.
fn known_index(spec: &str, text: &str) -> Option<usize> {
    KNOWN
        .iter()
        .position(|(s, needle, _)| *s == spec && text.contains(needle))
}

/// Verdicts of the generated test that are our fault.
const OURS: &[&str] = &["rejected", "decode", "unrepresentable", "refused"];

fn prism() -> Option<PathBuf> {
    let path = std::env::var_os("PRISM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/prism/node_modules/.bin/prism"));
    path.exists().then_some(path)
}

struct Spec {
    label: String,
    crate_name: String,
    path: PathBuf,
}

fn corpus_specs(shared: &Path) -> Vec<Spec> {
    let unpacked = root().join("target/corpus");
    let status = Command::new("sh")
        .arg(shared.join("unpack-corpus"))
        .arg(&unpacked)
        .stdout(Stdio::null())
        .status()
        .expect("run unpack-corpus");
    assert!(status.success(), "unpack-corpus failed");
    let mut out = vec![Spec {
        label: "stytch/openapi.yml (official)".into(),
        crate_name: "conf-stytch-official".into(),
        path: shared.join("specs/stytch/openapi.yml"),
    }];
    for sub in ["openapi-3.0", "openapi-3.1"] {
        let Ok(entries) = std::fs::read_dir(unpacked.join(sub)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x == "json" || x == "yaml" || x == "yml")
            })
            .collect();
        paths.sort();
        for path in paths {
            let stem: String = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            out.push(Spec {
                label: format!(
                    "{sub}/{}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                ),
                crate_name: format!("conf-{stem}"),
                path,
            });
        }
    }
    out
}

/// One operation's outcome: the worst verdict over its modes, with that call's detail.
#[derive(Default)]
struct OpOutcome {
    verdict: String,
    mode: String,
    detail: String,
}

fn rank(verdict: &str) -> u8 {
    match verdict {
        "ok" => 0,
        "spec" => 1,
        v if OURS.contains(&v) => 3,
        _ => 2,
    }
}

/// Parses the generated test's lines: `conformance\top\tmode\tverdict\tdetail`, each
/// `decode` followed by `conformance-body\top\tmode\tbody`. A body that did not decode
/// is checked against the description by `breaks_schema`: when the mock's answer breaks the
/// response schema itself, the verdict is the spec's (`spec`), not ours.
fn parse_outcomes(
    stdout: &str,
    mut breaks_schema: impl FnMut(&str, &str, &str) -> Option<String>,
) -> BTreeMap<String, OpOutcome> {
    // With several test threads, libtest's `test x ... ` can precede a line of ours on the
    // same output line: each of ours is read from where it starts (they hold no tabs but
    // their separators, and end their line).
    let lines: Vec<&str> = stdout
        .lines()
        .map(
            |l| match (l.find("conformance\t"), l.find("conformance-body\t")) {
                (_, Some(i)) | (Some(i), None) => &l[i..],
                (None, None) => l,
            },
        )
        .collect();
    let mut bodies: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for &line in &lines {
        let mut parts = line.splitn(4, '\t');
        if parts.next() == Some("conformance-body") {
            if let (Some(op), Some(mode), Some(body)) = (parts.next(), parts.next(), parts.next()) {
                bodies.insert((op, mode), body);
            }
        }
    }
    let mut ops: BTreeMap<String, OpOutcome> = BTreeMap::new();
    for &line in &lines {
        let mut parts = line.splitn(5, '\t');
        if parts.next() != Some("conformance") {
            continue;
        }
        let (Some(op), Some(mode), Some(verdict)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let detail = parts.next().unwrap_or("");
        let reason = match bodies.get(&(op, mode)) {
            Some(body) if verdict == "decode" => breaks_schema(op, detail, body),
            _ => None,
        };
        let (verdict, detail) = match &reason {
            Some(reason) => ("spec", format!("{reason}; {detail}")),
            None => (verdict, detail.to_owned()),
        };
        let entry = ops.entry(op.to_owned()).or_default();
        if entry.verdict.is_empty() || rank(verdict) > rank(&entry.verdict) {
            *entry = OpOutcome {
                verdict: verdict.to_owned(),
                mode: mode.to_owned(),
                detail: detail.chars().take(600).collect(),
            };
        }
    }
    ops
}

/// The description's response schemas, to check a body the client could not decode.
struct ResponseSchemas {
    raw: serde_json::Value,
    /// Operation label (as the test prints it) to the operation's JSON pointer.
    pointers: BTreeMap<String, String>,
}

impl ResponseSchemas {
    fn load(spec: &Path) -> Option<ResponseSchemas> {
        let text = std::fs::read_to_string(spec).ok()?;
        let parsed = clientgen::parse_stage(&text).ok()?;
        // Parsed once: the operations' pointers come from lowering the same document.
        let api = clientgen::lower::lower(&parsed, &mut Default::default());
        let raw = parsed.raw;
        let pointers = api
            .operations
            .iter()
            .map(|op| (op.id.clone(), op.pointer.clone()))
            .collect();
        Some(ResponseSchemas { raw, pointers })
    }

    /// Why `body`, answered with the status in `detail` (`... (status 200): ...`), breaks
    /// the operation's response schema, if it does.
    fn breaks(&self, op: &str, detail: &str, body: &str) -> Option<String> {
        let status = detail
            .split_once("(status ")
            .and_then(|(_, rest)| rest.get(..3))?;
        let body: serde_json::Value = serde_json::from_str(body).ok()?;
        let pointer = self.pointers.get(op.split(" (").next().unwrap_or(op))?;
        let synth = clientgen::synth::Synth::lenient(&self.raw);
        let responses = self
            .raw
            .pointer(&format!("{}/responses", pointer.trim_start_matches('#')))?;
        let range = format!("{}XX", &status[..1]);
        let response = [status, range.as_str(), "default"]
            .iter()
            .find_map(|k| responses.get(*k))
            .map(|r| synth.resolve(r))?;
        let schema = response
            .get("content")?
            .as_object()?
            .iter()
            .find(|(media, _)| media.contains("json"))?
            .1
            .get("schema")?;
        (!synth.fits(&body, schema, 0)).then(|| {
            format!(
                "the mock answered {status} with a body that breaks the description's own \
                 response schema (checked by the runner; Prism did not flag it)"
            )
        })
    }
}

/// Builds every conformance test binary; returns the binary per crate and the first compile
/// errors per crate.
fn build_tests(dir: &Path) -> (BTreeMap<String, PathBuf>, BTreeMap<String, String>) {
    // `cargo build --test` rather than `cargo test --no-run`: only `build` keeps going past
    // a crate that fails, and it builds the same test binaries.
    let output = Command::new(env!("CARGO"))
        .args([
            "build",
            "--workspace",
            "--keep-going",
            "--test",
            "conformance",
            // The test reads its arguments as JSON (see the generated manifest).
            "--features",
            "serde-all",
            "--message-format",
            "json-diagnostic-short",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .env("RUSTFLAGS", "-D warnings")
        // Nobody reads the debug info of these binaries; without it they link faster. Built
        // once from scratch: incremental state would only cost time and disk.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stderr(Stdio::piped())
        .output()
        .expect("run cargo build --test conformance");
    let mut bins = BTreeMap::new();
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(member) = msg["manifest_path"]
            .as_str()
            .and_then(|m| Path::new(m).parent()?.file_name())
            .map(|n| n.to_string_lossy().into_owned())
        else {
            continue;
        };
        if let Some(exe) = msg["executable"].as_str() {
            if msg["target"]["name"] == "conformance" {
                bins.insert(member.clone(), PathBuf::from(exe));
            }
        }
        if msg["message"]["level"] == "error" {
            let text = msg["message"]["rendered"].as_str().unwrap_or("").trim();
            let entry = errors.entry(member).or_default();
            if entry.matches(" / ").count() < 3 {
                if !entry.is_empty() {
                    entry.push_str(" / ");
                }
                entry.push_str(text);
            }
        }
    }
    if bins.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        errors.insert(
            "*".into(),
            stderr.lines().take(5).collect::<Vec<_>>().join(" / "),
        );
    }
    (bins, errors)
}

/// The description as Prism gets it. Prism resolves every `$ref` member it finds, also in
/// literal example values (GitHub's SCIM examples carry `"$ref": "https://api.github.com/..."`
/// as data), and exits when it cannot fetch one. Those members are dropped from a copy
/// (written beside the logs) of a JSON description; schemas and operations are untouched.
fn prism_input(spec: &Path, logs: &Path, crate_name: &str) -> PathBuf {
    fn strip_literal_refs(value: &mut serde_json::Value, in_example: bool) -> bool {
        let mut changed = false;
        match value {
            serde_json::Value::Object(map) => {
                if in_example
                    && map
                        .get("$ref")
                        .is_some_and(|r| r.as_str().is_some_and(|r| !r.starts_with('#')))
                {
                    map.remove("$ref");
                    changed = true;
                }
                for (key, member) in map.iter_mut() {
                    let literal = in_example
                        || matches!(
                            key.as_str(),
                            "example" | "value" | "default" | "enum" | "const"
                        );
                    changed |= strip_literal_refs(member, literal);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    changed |= strip_literal_refs(item, in_example);
                }
            }
            _ => {}
        }
        changed
    }
    if spec.extension().is_none_or(|x| x != "json") {
        return spec.to_path_buf();
    }
    let Some(mut doc) = std::fs::read(spec)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    else {
        return spec.to_path_buf();
    };
    if !strip_literal_refs(&mut doc, false) {
        return spec.to_path_buf();
    }
    let copy = logs.join(format!("{crate_name}.prism.json"));
    match std::fs::write(&copy, doc.to_string()) {
        Ok(()) => copy,
        Err(_) => spec.to_path_buf(),
    }
}

/// Prism on 127.0.0.1 only, on a port that was free a moment ago, answering when this returns.
fn start_prism(prism: &Path, spec: &Path, log: &Path) -> Result<(Child, u16), String> {
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let log_file = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let mut child = Command::new(prism)
        .args([
            "mock",
            "--errors",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .arg(spec)
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start prism: {e}"))?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    // Large descriptions take Prism a while to load.
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("prism exited ({status}); see {}", log.display()));
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok((child, port));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(format!(
        "prism did not listen within 300 s; see {}",
        log.display()
    ))
}

/// Runs one description's conformance test against its own Prism and fills in its row.
fn run_spec(
    prism: &Path,
    spec: &Spec,
    row: &mut Row,
    bins: &BTreeMap<String, PathBuf>,
    build_errors: &BTreeMap<String, String>,
    logs: &Path,
) {
    let started = Instant::now();
    let Some(bin) = bins.get(&spec.crate_name) else {
        row.note = format!(
            "build failed: {}",
            build_errors
                .get(&spec.crate_name)
                .or_else(|| build_errors.get("*"))
                .map_or("no test binary", String::as_str)
        );
        row.other = row.operations;
        return;
    };
    let log = logs.join(format!("{}.log", spec.crate_name));
    let input = prism_input(&spec.path, logs, &spec.crate_name);
    let (mut child, port) = match start_prism(prism, &input, &log) {
        Ok(p) => p,
        Err(e) => {
            row.note = e;
            row.other = row.operations;
            return;
        }
    };
    let mut run = Command::new(bin)
        .args(["--nocapture", "--test-threads", "4"])
        .env("TEST_API_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run a conformance test binary");
    let mut stdout = String::new();
    let _ = run
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut stdout);
    let _ = run.wait();
    if let Ok(Some(status)) = child.try_wait() {
        row.note = format!(
            "prism exited during the run ({status}); see {}",
            log.display()
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut schemas: Option<Option<ResponseSchemas>> = None;
    let outcomes = parse_outcomes(&stdout, |op, detail, body| {
        schemas
            .get_or_insert_with(|| ResponseSchemas::load(&spec.path))
            .as_ref()?
            .breaks(op, detail, body)
    });
    row.seconds = started.elapsed().as_secs();
    for (op, outcome) in outcomes {
        match rank(&outcome.verdict) {
            0 => row.ok += 1,
            1 => row.spec_fault += 1,
            3 => row.ours += 1,
            _ => row.other += 1,
        }
        if outcome.verdict != "ok" {
            row.failures.push((op, outcome));
        }
    }
    let seen = row.ok + row.spec_fault + row.ours + row.other;
    if seen < row.operations && row.note.is_empty() {
        row.note = format!("{} operations printed no outcome", row.operations - seen);
    }
    let _ = std::fs::write(logs.join(format!("{}.out", spec.crate_name)), &stdout);
    row.other += row.operations.saturating_sub(seen);
}

struct Row {
    spec: String,
    operations: usize,
    ok: usize,
    spec_fault: usize,
    ours: usize,
    other: usize,
    seconds: u64,
    note: String,
    failures: Vec<(String, OpOutcome)>,
}

#[test]
#[ignore = "slow; run with `cargo test -p clientgen-tests --test conformance -- --ignored --nocapture`"]
fn operations_conform_to_their_descriptions() {
    let Some(prism) = prism() else {
        common::skip_or_fail(
            "the conformance runner needs Prism, which is not installed; `.ci/run` installs it \
             into target/prism (`npm install --no-save --prefix target/prism \
             @stoplight/prism-cli@5.16.0`), or set PRISM_BIN",
        );
        return;
    };
    let mut specs = vec![Spec {
        label: "spec/stytch-b2b.yaml".into(),
        crate_name: "conf-stytch-b2b".into(),
        path: root().join("spec/stytch-b2b.yaml"),
    }];
    // Our fixtures for the schema combinations that used to lose values, and every additive
    // change: their types must carry spec-valid values both ways.
    for fixture in [
        "lossless.yaml",
        "deep_refs.yaml",
        "allof.yaml",
        "oneof.yaml",
        "bodies.yaml",
        "nullable.yaml",
        "evolution/v2.yaml",
        "wire_cases.yaml",
        "wire_cases_31.yaml",
    ] {
        let stem = fixture.trim_end_matches(".yaml").replace(['/', '_'], "-");
        specs.push(Spec {
            label: format!("tests/fixtures/{fixture}"),
            crate_name: format!("conf-fixture-{stem}"),
            path: root().join("tests/fixtures").join(fixture),
        });
    }
    match common::shared() {
        Some(shared) => specs.extend(corpus_specs(&shared)),
        None => common::skip_or_fail(
            "../shared is absent: the corpus and Stytch's official description are not checked",
        ),
    }
    if let Ok(filter) = std::env::var("CONFORMANCE_SPECS") {
        let wanted: Vec<&str> = filter.split(',').map(str::trim).collect();
        specs.retain(|s| wanted.iter().any(|w| s.label.contains(w)));
    }

    let max_operations: usize = std::env::var("CONFORMANCE_MAX_OPERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let mut left_out = Vec::new();
    let mut crates = Vec::new();
    let mut rows: Vec<(Spec, Row)> = Vec::new();
    for spec in specs {
        let text = std::fs::read_to_string(&spec.path).expect("read a spec");
        let options = clientgen::Options {
            jobs: 0,
            ..clientgen::Options::new(spec.crate_name.clone(), spec.label.clone())
        };
        let Ok(output) = clientgen::generate(&text, &options) else {
            // The corpus runner reports specs that do not generate.
            continue;
        };
        if output.operations == 0 {
            continue;
        }
        // Stytch's descriptions, ours and the official one, are what this project is for:
        // the limit never leaves them out.
        if output.operations > max_operations && !spec.label.contains("stytch") {
            left_out.push(format!("{} ({} operations)", spec.label, output.operations));
            continue;
        }
        crates.push((spec.crate_name.clone(), output.files));
        let row = Row {
            spec: spec.label.clone(),
            operations: output.operations,
            ok: 0,
            spec_fault: 0,
            ours: 0,
            other: 0,
            seconds: 0,
            note: String::new(),
            failures: Vec::new(),
        };
        rows.push((spec, row));
    }
    let dir = root().join("target/conformance-crates");
    common::write_workspace(&dir, &crates);
    let build_started = Instant::now();
    let (bins, build_errors) = build_tests(&dir);
    let build_secs = build_started.elapsed().as_secs();

    let logs = root().join("target/conformance-logs");
    let _ = std::fs::create_dir_all(&logs);
    // Two descriptions at a time: Prism (one Node thread) and the test binary share the
    // machine's cores, and large descriptions spend a while loading into Prism.
    let workers: usize = std::env::var("CONFORMANCE_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
        .max(1);
    let queue = std::sync::Mutex::new(rows.iter_mut());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().expect("no worker panics holding it").next();
                    let Some((spec, row)) = next else { break };
                    run_spec(&prism, spec, row, &bins, &build_errors, &logs);
                }
            });
        }
    });

    // Failures of ours that `KNOWN` explains (a Prism limit or a description that contradicts
    // itself, each with its reason below the table) get a column of their own: "ours" is
    // what nobody has explained, and fails the run.
    let explained = |spec: &str, r: &Row| {
        r.failures
            .iter()
            .filter(|(op, o)| {
                OURS.contains(&o.verdict.as_str())
                    && known_index(spec, &format!("{op} {} {}", o.verdict, o.detail)).is_some()
            })
            .count()
    };
    let mut table = String::from(
        "| spec | operations | OK | spec fault | known (mock's limit or spec) | ours | other | seconds | note |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    let mut totals = [0usize; 6];
    for (spec, r) in &rows {
        let known = explained(&spec.label, r);
        let counts = [
            r.operations,
            r.ok,
            r.spec_fault,
            known,
            r.ours - known,
            r.other,
        ];
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.spec,
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4],
            counts[5],
            r.seconds,
            r.note
        ));
        for (t, v) in totals.iter_mut().zip(counts) {
            *t += v;
        }
    }
    table.push_str(&format!(
        "| **total** | {} | {} | {} | {} | {} | {} | | |\n\nbuild of all conformance tests (debug, no debug info, shared target dir): {build_secs} s\n\nFailures:\n",
        totals[0], totals[1], totals[2], totals[3], totals[4], totals[5]
    ));
    if !left_out.is_empty() {
        table.push_str(&format!(
            "Left out (over CONFORMANCE_MAX_OPERATIONS={max_operations}; `bench/conformance.sh` runs them): {}\n\n",
            left_out.join(", ")
        ));
    }
    let mut unexpected = Vec::new();
    let mut used = vec![false; KNOWN.len()];
    let mut known = |spec: &str, text: &str| {
        let hit = known_index(spec, text);
        if let Some(i) = hit {
            used[i] = true;
        }
        hit.map(|i| KNOWN[i].2)
    };
    for (spec, r) in &rows {
        if !r.note.is_empty() {
            match known(&spec.label, &r.note) {
                Some(reason) => {
                    table.push_str(&format!("- {}: {} (known: {reason})\n", spec.label, r.note))
                }
                None => unexpected.push(format!("{}: {}", spec.label, r.note)),
            }
        }
        for (op, o) in &r.failures {
            let ours = OURS.contains(&o.verdict.as_str());
            let reason = if ours {
                known(&spec.label, &format!("{op} {} {}", o.verdict, o.detail))
            } else {
                None
            };
            if ours && reason.is_none() {
                unexpected.push(format!("{} {op}", spec.label));
            }
            let tag = match (ours, o.verdict.as_str()) {
                (true, _) => "ours",
                (false, "spec") => "spec fault",
                _ => "other",
            };
            let reason = reason.map(|r| format!(" (known: {r})")).unwrap_or_default();
            table.push_str(&format!(
                "- {} `{op}` [{tag}, {} mode, {}]{reason}: {}\n",
                spec.label, o.mode, o.verdict, o.detail
            ));
        }
    }
    for ((spec, needle, _), used) in KNOWN.iter().zip(&used) {
        let ran = rows.iter().any(|(s, _)| s.label == *spec);
        if ran && !used {
            unexpected.push(format!(
                "{spec}: known failure `{needle}` does not occur any more: remove it"
            ));
        }
    }
    println!("{table}");
    let _ = std::fs::write(root().join("target/conformance-report.txt"), &table);
    assert!(
        unexpected.is_empty(),
        "failures that are ours and not known, or runs that failed:\n{}\n\n{table}",
        unexpected.join("\n")
    );
}
