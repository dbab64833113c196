//! The generator's output: the committed crate matches it (drift), snapshots of the generated
//! code for our spec and for one-construct fixtures, and every fixture's crate compiles.

mod common;

use std::path::PathBuf;

use common::{in_ci, root};

fn generate(spec: &str, crate_name: &str) -> clientgen::Output {
    generate_with_jobs(spec, crate_name, 0)
}

fn generate_with_jobs(spec: &str, crate_name: &str, jobs: usize) -> clientgen::Output {
    let text = std::fs::read_to_string(root().join(spec)).expect("read the spec");
    generate_text(&text, spec, crate_name, jobs)
}

/// Generates from spec text; `label` names the spec in the header and in a failure. With the
/// conformance test, so that its text is in the snapshots and the crates' builds.
fn generate_text(text: &str, label: &str, crate_name: &str, jobs: usize) -> clientgen::Output {
    let options = clientgen::Options {
        jobs,
        conformance_test: true,
        ..clientgen::Options::new(crate_name, label)
    };
    clientgen::generate(text, &options)
        .unwrap_or_else(|e| panic!("{label} does not generate:\n{e}"))
}

/// The generated files minus the runtime (and the webhook signature checks), which are copied
/// verbatim and reviewed as source.
fn snapshot_text(output: &clientgen::Output) -> String {
    let mut text = String::new();
    for f in &output.files {
        if f.path.starts_with("src/runtime") || f.path.starts_with("src/webhooks/") {
            continue;
        }
        text.push_str(&format!("==== {} ====\n{}\n", f.path.display(), f.contents));
    }
    for w in &output.warnings {
        text.push_str(&format!("==== warning ====\n{w}\n"));
    }
    text
}

#[test]
fn committed_client_matches_the_generator() {
    // As `clientgen generate` writes it: without the conformance test.
    let text = std::fs::read_to_string(root().join("spec/stytch-b2b.yaml")).expect("read the spec");
    let output = clientgen::generate(
        &text,
        &clientgen::Options::new("stytch-b2b", "spec/stytch-b2b.yaml"),
    )
    .expect("our spec generates");
    let dir = root().join("generated-client");
    let drift = clientgen::check(&dir, &output.files).expect("read generated-client/");
    if drift.is_empty() {
        return;
    }
    let summary = format!(
        "stale {:?}, missing {:?}, extra {:?}",
        drift.stale, drift.missing, drift.extra
    );
    if in_ci() {
        panic!(
            "generated-client/ is out of date ({summary}); run `cargo run -p clientgen -- generate` and commit"
        );
    }
    clientgen::write(&dir, &output.files).expect("rewrite generated-client/");
    panic!(
        "generated-client/ was out of date ({summary}); it has been regenerated: review and commit it"
    );
}

#[test]
fn stytch_spec_snapshot() {
    let output = generate("spec/stytch-b2b.yaml", "stytch-b2b");
    assert!(
        output.warnings.is_empty(),
        "our own spec should generate without warnings: {:?}",
        output.warnings
    );
    insta::assert_snapshot!("stytch-b2b", snapshot_text(&output));
}

fn fixtures() -> Vec<PathBuf> {
    let mut list: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    list.sort();
    list
}

fn fixture_crate_name(path: &std::path::Path) -> String {
    format!(
        "fixture-{}",
        path.file_stem()
            .expect("file name")
            .to_string_lossy()
            .replace('_', "-")
    )
}

#[test]
fn fixture_snapshots() {
    let list = fixtures();
    assert!(list.len() >= 10, "fixtures are missing");
    for path in list {
        let rel = path
            .strip_prefix(root())
            .expect("inside the workspace")
            .to_string_lossy()
            .into_owned();
        let output = generate(&rel, &fixture_crate_name(&path));
        let name = path
            .file_stem()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        insta::assert_snapshot!(name, snapshot_text(&output));
    }
}

#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn fixture_crates_compile_without_warnings() {
    let crates: Vec<(String, Vec<clientgen::OutFile>)> = fixtures()
        .iter()
        .map(|path| {
            let rel = path
                .strip_prefix(root())
                .expect("inside the workspace")
                .to_string_lossy()
                .into_owned();
            let name = fixture_crate_name(path);
            let output = generate(&rel, &name);
            (name, output.files)
        })
        .collect();
    let dir = root().join("target/fixture-crates");
    let members = common::write_workspace(&dir, &crates);
    let results = common::cargo_check(&dir, &members);
    // And with the typed mocks, which every crate offers behind `mock`.
    let with_mock = common::cargo_check_with_feature(&dir, &members, "mock")
        .into_iter()
        .map(|(m, e)| (format!("{m} with `mock`"), e));
    // And with every part of the API but nothing else (`--no-default-features --features
    // full`, and the default TLS): what `#[cfg]`s hide must not leave a name unused or missing.
    let full: Vec<(String, String)> = members.iter().map(|m| (m.clone(), "full".into())).collect();
    let only_full = common::cargo_check_features(&dir, &full)
        .into_iter()
        .map(|(m, f, e)| (format!("{m} with only `{f}`"), e));
    let failures: Vec<String> = results
        .into_iter()
        .chain(with_mock)
        .chain(only_full)
        .filter_map(|(m, e)| e.as_ref().map(|e| format!("{m}:\n{e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "fixture crates that do not compile:\n{}",
        failures.join("\n\n")
    );
}

/// The features fixture's crate builds with no API feature, each one alone, all of them, and
/// with `serde-all` (which also builds the conformance test), warnings denied.
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn every_feature_combination_of_a_crate_compiles() {
    let name = "fixture-features-combinations".to_owned();
    let output = generate("tests/fixtures/features.yaml", &name);
    // The features, from the table in the crate docs.
    let features: Vec<String> = common::api_features(&output.files)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        features,
        [
            "admin_tools",
            "extra-types",
            "pets",
            "stores",
            "tracing_api",
            "untagged"
        ]
    );
    let dir = root().join("target/feature-crates");
    common::write_workspace(&dir, &[(name.clone(), output.files)]);
    let mut sets: Vec<String> = vec![String::new(), "serde-all".into()];
    sets.extend(features.iter().cloned());
    sets.extend([
        "pets,serde-all".into(),
        "full".into(),
        "full,serde-all".into(),
    ]);
    let mut failures = Vec::new();
    for set in &sets {
        let stderr = common::run_cargo_check(
            &dir,
            &[
                "-p",
                &name,
                "--all-targets",
                "--no-default-features",
                "--features",
                set,
            ],
        );
        if let Some(e) = common::member_errors(&stderr, &name) {
            failures.push(format!("features [{set}]:\n{e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn generation_is_deterministic_whatever_the_thread_count() {
    let mut specs = vec!["spec/stytch-b2b.yaml".to_owned()];
    for path in fixtures() {
        specs.push(
            path.strip_prefix(root())
                .expect("inside the workspace")
                .to_string_lossy()
                .into_owned(),
        );
    }
    for spec in specs {
        let one = generate_with_jobs(&spec, "x", 1);
        assert_eq!(
            one.files,
            generate_with_jobs(&spec, "x", 1).files,
            "{spec}: two runs differ"
        );
        for jobs in [2, 3, 8] {
            assert_eq!(
                one.files,
                generate_with_jobs(&spec, "x", jobs).files,
                "{spec}: {jobs} threads differ from 1"
            );
        }
    }
}

/// A spec large enough to be emitted and rendered in many pieces (hundreds of types and
/// operations, with inline types), so that piece boundaries are crossed.
fn many_items_spec(types: usize, operations: usize) -> String {
    let mut s = String::from(
        "openapi: 3.0.3\ninfo: {title: Many, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n",
    );
    for i in 0..operations {
        s.push_str(&format!(
            "  /things{i}/{{id}}:\n    post:\n      operationId: things{i}.update\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: limit, in: query, schema: {{type: integer}}}}\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                note: {{type: string}}\n                kind: {{type: string, enum: [a{i}, b{i}]}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing{}'}}\n        '4{:02}':\n          description: failed\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing{}'}}\n",
            i % types,
            i % 30,
            (i + 1) % types,
        ));
    }
    s.push_str("components:\n  schemas:\n");
    for i in 0..types {
        s.push_str(&format!(
            "    Thing{i}:\n      description: Thing number {i}.\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string}}\n        next: {{$ref: '#/components/schemas/Thing{}'}}\n        tags: {{type: array, items: {{type: string}}}}\n        state: {{type: string, enum: [on, off]}}\n",
            (i + 1) % types
        ));
    }
    s
}

#[test]
fn output_split_into_many_pieces_is_the_same_on_any_thread_count() {
    let spec = many_items_spec(300, 90);
    let run = |jobs| generate_text(&spec, "many.yaml", "many", jobs);
    let one = run(1);
    // 300 components, one inline body type and one enum per operation, one enum per component.
    assert!(one.types > 600, "{} types", one.types);
    assert_eq!(one.operations, 90);
    let types_rs = one
        .files
        .iter()
        .find(|f| f.path.ends_with("types.rs"))
        .expect("types.rs");
    for name in [
        "pub struct Thing0 ",
        "pub struct Thing299 ",
        "pub enum Thing150State",
    ] {
        assert_eq!(
            types_rs.contents.matches(name).count(),
            1,
            "`{name}` once in types.rs"
        );
    }
    for jobs in [2, 3, 8] {
        assert_eq!(one.files, run(jobs).files, "{jobs} threads differ from 1");
    }
}

/// The additive changes of `tests/fixtures/evolution/v2.yaml` (an operation, an optional
/// parameter, an optional request property at depth, an optional and a required response
/// property, a body for a status that had none, enum values, a union alternative, a response
/// status, a server, a security alternative) keep consumer code written against v1's crate
/// compiling, its tests' mocks and test data included: `consumer.rs` is compiled against
/// both crates with the `mock` feature.
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn consumers_of_the_old_crate_compile_against_an_additive_update() {
    let fixture = |v: &str| format!("tests/fixtures/evolution/{v}.yaml");
    let v1 = generate(&fixture("v1"), "evolution-v1");
    let v2 = generate(&fixture("v2"), "evolution-v2");
    // `diff` agrees that nothing breaks.
    let api = |v: &str| {
        let text = std::fs::read_to_string(root().join(fixture(v))).expect("read");
        clientgen::surface(&text).expect("lowers").0
    };
    let report = clientgen::diff(&api("v1"), &api("v2"));
    assert!(!report.is_breaking(), "{}", report.to_text());
    assert!(report.changes.len() >= 9, "{}", report.to_text());

    let consumer = std::fs::read_to_string(root().join("tests/fixtures/evolution/consumer.rs"))
        .expect("read consumer.rs");
    let consumer_crate = |version: &str| {
        let manifest = format!(
            "[package]\nname = \"consumer-{version}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nevolution = {{ path = \"../evolution-{version}\", package = \"evolution-{version}\", features = [\"mock\"] }}\n"
        );
        vec![
            clientgen::OutFile {
                path: "Cargo.toml".into(),
                contents: manifest,
            },
            clientgen::OutFile {
                path: "src/lib.rs".into(),
                contents: consumer.clone(),
            },
        ]
    };
    let crates = vec![
        ("evolution-v1".to_owned(), v1.files),
        ("evolution-v2".to_owned(), v2.files),
        ("consumer-v1".to_owned(), consumer_crate("v1")),
        ("consumer-v2".to_owned(), consumer_crate("v2")),
    ];
    let dir = root().join("target/evolution-crates");
    let members = common::write_workspace(&dir, &crates);
    let results = common::cargo_check(&dir, &members);
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(m, e)| e.as_ref().map(|e| format!("{m}:\n{e}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A description whose operation ids, tags, parameters, properties, schemas and enum values
/// are names the generated crate already uses, drawn at random: a paginated list, an event
/// stream and a root operation per draw.
fn drawn_description(draw: &mut common::Rng, names: &[&str]) -> String {
    let q = |n: &str| format!("'{}'", n.replace('\'', "''"));
    let schemas = draw.distinct(names, 6);
    let mut s = String::from(
        "openapi: 3.0.3\ninfo: {title: Drawn, version: '1', license: {name: MIT}}\nservers: [{url: 'https://api.example.com'}]\npaths:\n",
    );
    for (i, schema) in schemas.iter().take(4).enumerate() {
        let tag = draw.pick(names);
        let (op, root) = (draw.pick(names), draw.pick(names));
        let mut params = String::new();
        for name in draw.distinct(names, 6) {
            let where_ = ["query", "header"][draw.below(2)];
            params.push_str(&format!(
                "        - {{name: {}, in: {where_}, schema: {{type: string}}}}\n",
                q(name)
            ));
        }
        let reference = format!("'#/components/schemas/{schema}'");
        s.push_str(&format!(
            "  /list{i}/{{id}}:\n    get:\n      operationId: {}\n      tags: [{}]\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: page_token, in: query, schema: {{type: string}}}}\n{params}      responses:\n        '200':\n          description: a page\n          content:\n            application/json:\n              schema:\n                type: object\n                required: [items]\n                properties:\n                  items: {{type: array, items: {{$ref: {reference}}}}}\n                  next_page: {{type: string, nullable: true}}\n        '404':\n          description: missing\n          content: {{application/json: {{schema: {{$ref: {reference}}}}}}}\n  /events{i}:\n    get:\n      operationId: {}\n      responses:\n        '200':\n          description: events\n          content: {{text/event-stream: {{schema: {{type: string}}}}}}\n",
            q(&format!("{tag}.{op}")),
            q(tag),
            q(root),
        ));
    }
    s.push_str("components:\n  schemas:\n");
    for schema in &schemas {
        let props: Vec<String> = draw.distinct(names, 5).into_iter().map(q).collect();
        let values: Vec<String> = draw.distinct(names, 5).into_iter().map(q).collect();
        s.push_str(&format!(
            "    {}:\n      type: object\n      required: [{}]\n      properties:\n{}        kind: {{type: string, enum: [{}]}}\n",
            q(schema),
            props[0],
            props
                .iter()
                .map(|p| format!("        {p}: {{type: string}}\n"))
                .collect::<String>(),
            values.join(", ")
        ));
    }
    s
}

/// Names the crate already uses (every reserved name, keyword and prelude type, from
/// `clientgen::internals::names_in_use`), drawn at random into descriptions whose crates must
/// check clean with `-D warnings`, with and without `mock`. The seed is printed; set
/// `NAMES_SEED` to draw it again.
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn names_the_crate_already_uses_drawn_at_random_compile() {
    let seed = std::env::var("NAMES_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs())
        })
        | 1;
    println!("NAMES_SEED={seed}");
    let names = clientgen::internals::names_in_use();
    assert!(names.len() > 100, "{} names", names.len());
    let mut draw = common::Rng(seed);
    let crates: Vec<(String, Vec<clientgen::OutFile>)> = (0..3)
        .map(|i| {
            let name = format!("drawn-names-{i}");
            let text = drawn_description(&mut draw, &names);
            let mut files = generate_text(&text, "drawn.yaml", &name, 0).files;
            // Kept beside the crate, to read when it does not compile.
            files.push(clientgen::OutFile {
                path: "drawn.yaml".into(),
                contents: text,
            });
            (name, files)
        })
        .collect();
    let dir = root().join("target/drawn-names-crates");
    let members = common::write_workspace(&dir, &crates);
    let failures: Vec<String> = common::cargo_check(&dir, &members)
        .into_iter()
        .chain(common::cargo_check_with_feature(&dir, &members, "mock"))
        .filter_map(|(m, e)| e.map(|e| format!("{m}:\n{e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "NAMES_SEED={seed}: crates that do not compile (descriptions in {}):\n{}",
        dir.display(),
        failures.join("\n\n")
    );
}

/// The features named in `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", ..))]` on `line`.
fn cfg_features(line: &str) -> Vec<String> {
    let Some(at) = line.find("#[cfg(") else {
        return Vec::new();
    };
    let attr = &line[at..line[at..].find(")]").map_or(line.len(), |e| at + e)];
    if attr.contains("not(") {
        return Vec::new();
    }
    attr.split("feature = \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The documentation of fixture crates built as docs.rs builds it (every feature, `--cfg
/// docsrs` with its nightly `doc_cfg`, warnings denied, links included), and every struct and
/// enum behind a feature saying so on its page ("Available on crate feature X only"), as do
/// the `mock` module and the mock-only constructors.
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn fixture_docs_build_as_docs_rs_builds_them_and_name_each_items_feature() {
    let fixtures = ["features", "pagination", "streaming"];
    let crates: Vec<(String, Vec<clientgen::OutFile>)> = fixtures
        .iter()
        .map(|f| {
            let name = format!("docs-{f}");
            let output = generate(&format!("tests/fixtures/{f}.yaml"), &name);
            (name, output.files)
        })
        .collect();
    let dir = root().join("target/docs-crates");
    common::write_workspace(&dir, &crates);
    let target = root().join("target/generated-check");
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "doc",
            "--workspace",
            "--no-deps",
            "--all-features",
            "--quiet",
        ])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "--cfg docsrs -D warnings")
        // docs.rs builds with a nightly rustdoc; `doc_cfg` is its feature.
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo doc");
    assert!(
        out.status.success(),
        "cargo doc failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut missing = Vec::new();
    let mut checked = 0;
    for (name, files) in &crates {
        let docs = target.join("doc").join(name.replace('-', "_"));
        for file in files {
            let module = match file.path.to_string_lossy().as_ref() {
                "src/types.rs" => Some("types/"),
                "src/operations.rs" => Some(""),
                _ => None,
            };
            let Some(module) = module else { continue };
            let lines: Vec<&str> = file.contents.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let item = ["pub struct ", "pub enum "].iter().find_map(|kw| {
                    let at = line.find(kw)?;
                    let rest = &line[at + kw.len()..];
                    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
                    Some((
                        if kw.contains("struct") {
                            "struct"
                        } else {
                            "enum"
                        },
                        &rest[..end],
                    ))
                });
                let Some((kind, item)) = item else { continue };
                let features: Vec<String> = lines[i.saturating_sub(4)..=i]
                    .iter()
                    .flat_map(|l| cfg_features(l))
                    .collect();
                if features.is_empty() {
                    continue;
                }
                let page = docs.join(format!("{module}{kind}.{item}.html"));
                let html = std::fs::read_to_string(&page).unwrap_or_default();
                checked += 1;
                for f in &features {
                    if !(html.contains("Available on")
                        && html.contains(&format!("<code>{f}</code>")))
                    {
                        missing.push(format!(
                            "{name}: {kind} {item} (feature {f}): {}",
                            page.display()
                        ));
                    }
                }
            }
        }
        let mock = std::fs::read_to_string(docs.join("mock/index.html")).unwrap_or_default();
        if !mock.contains("<code>mock</code>") {
            missing.push(format!("{name}: the mock module"));
        }
    }
    assert!(
        checked > 20,
        "only {checked} items behind a feature were found"
    );
    // A response type's constructor is for the mock feature.
    let members = target.join("doc/docs_pagination/types/struct.Member.html");
    let html = std::fs::read_to_string(&members).expect("the Member page");
    assert!(
        html.contains("<code>mock</code>"),
        "no mock badge on {}",
        members.display()
    );
    assert!(
        missing.is_empty(),
        "items whose page names no feature:\n{}",
        missing.join("\n")
    );
}
