//! Shared by the tests that generate crates and compile them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `../shared` beside the checkout, if it is there.
pub fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    dir.join("corpus.tar.xz").exists().then_some(dir)
}

/// Unpacks `../shared/corpus.tar.xz` into `target/corpus` (unpack-corpus skips what is there)
/// and returns its description files (JSON and YAML, OpenAPI 3.0 then 3.1), sorted.
pub fn corpus_specs(shared: &Path) -> (PathBuf, Vec<PathBuf>) {
    let unpacked = root().join("target/corpus");
    let status = Command::new("sh")
        .arg(shared.join("unpack-corpus"))
        .arg(&unpacked)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run unpack-corpus");
    assert!(status.success(), "unpack-corpus failed");
    let mut out = Vec::new();
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
        out.extend(paths);
    }
    assert!(
        out.len() >= 29,
        "the corpus should hold 29 specs, found {}",
        out.len()
    );
    (unpacked, out)
}

/// Whether this run is in CI, where snapshots and drift only fail and never write.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A test that needs something absent here (`../shared`, Prism): outside CI it says so and
/// the caller skips; in CI (`CI=true`) it fails, since a check that silently did nothing
/// would pass there.
pub fn skip_or_fail(what: &str) {
    assert!(!in_ci(), "{what}; CI must have it (CI=true)");
    eprintln!("skipping: {what}");
}

/// Writes generated crates into `dir` as members of one workspace (one lock file, one
/// resolution) and returns the members' names.
pub fn write_workspace(dir: &Path, crates: &[(String, Vec<clientgen::OutFile>)]) -> Vec<String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create the scratch workspace");
    let mut members = Vec::new();
    for (name, files) in crates {
        for f in files {
            let path = dir.join(name).join(&f.path);
            std::fs::create_dir_all(path.parent().expect("files have parents"))
                .expect("create dirs");
            std::fs::write(&path, &f.contents).expect("write a generated file");
        }
        members.push(name.clone());
    }
    let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    )
    .expect("write the workspace manifest");
    // The project's lock file pins the same dependency versions the project is tested with.
    let _ = std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"));
    members
}

/// Runs `cargo check` with `-D warnings` over the scratch workspace, in a target directory of
/// its own (the outer `cargo test` holds the main one) shared by every such check.
/// Returns, per member, `None` when it compiled or the first error lines otherwise.
pub fn cargo_check(dir: &Path, members: &[String]) -> Vec<(String, Option<String>)> {
    let stderr = run_cargo_check(dir, &["--workspace"]);
    members
        .iter()
        .map(|m| (m.clone(), member_errors(&stderr, m)))
        .collect()
}

/// `cargo check` of some members of the workspace at `dir`, each with its default features
/// off and only the given API feature (and the default TLS feature) on, in one run; returns
/// (member, feature, errors if it failed).
pub fn cargo_check_features(
    dir: &Path,
    members: &[(String, String)],
) -> Vec<(String, String, Option<String>)> {
    if members.is_empty() {
        return Vec::new();
    }
    let mut args: Vec<String> = vec!["--no-default-features".into()];
    let mut features = Vec::new();
    for (m, f) in members {
        args.push("-p".into());
        args.push(m.clone());
        features.push(format!("{m}/rustls-aws-lc-rs,{m}/{f}"));
    }
    args.push("--features".into());
    args.push(features.join(","));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stderr = run_cargo_check(dir, &args);
    members
        .iter()
        .map(|(m, f)| (m.clone(), f.clone(), member_errors(&stderr, m)))
        .collect()
}

/// `cargo check` of `members` of the workspace at `dir` with `feature` of each switched on
/// (beside their defaults), in one run; returns (member, errors if it failed).
pub fn cargo_check_with_feature(
    dir: &Path,
    members: &[String],
    feature: &str,
) -> Vec<(String, Option<String>)> {
    if members.is_empty() {
        return Vec::new();
    }
    let mut args: Vec<String> = Vec::new();
    for m in members {
        args.push("-p".into());
        args.push(m.clone());
    }
    args.push("--features".into());
    args.push(
        members
            .iter()
            .map(|m| format!("{m}/{feature}"))
            .collect::<Vec<_>>()
            .join(","),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stderr = run_cargo_check(dir, &args);
    members
        .iter()
        .map(|m| (m.clone(), member_errors(&stderr, m)))
        .collect()
}

/// Runs `cargo check --keep-going` with `args` in the workspace at `dir`, warnings denied,
/// in the shared target dir; returns its stderr.
pub fn run_cargo_check(dir: &Path, args: &[&str]) -> String {
    let target = root().join("target/generated-check");
    let output = Command::new(env!("CARGO"))
        .arg("check")
        .args(args)
        .args(["--keep-going", "--message-format", "short", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo check");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The first errors of `member` in a `cargo check` run's stderr, if it failed.
pub fn member_errors(stderr: &str, m: &str) -> Option<String> {
    let prefix = format!("{m}/");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .take(5)
        .collect();
    let failed = !errors.is_empty() || stderr.contains(&format!("could not compile `{m}`"));
    let message = if errors.is_empty() {
        stderr.lines().take(5).collect::<Vec<_>>().join("\n")
    } else {
        errors.join("\n")
    };
    failed.then_some(message)
}

/// Generates the crate of `spec` (a fixture) as `crate_name`, adds `test_file` to its `tests/`
/// (a consumer test run against a loopback server), gives its tokio dev-dependency sockets,
/// timers and I/O and a dev-dependency on this crate's library (the loopback server,
/// `clientgen_tests::Server`), and runs that test with `cargo test` in a scratch workspace
/// sharing the generated-check target dir. Returns the generation warnings and the test's
/// stdout; panics with the output when the test fails.
pub fn run_consumer_test(
    spec: &str,
    crate_name: &str,
    test_file: &str,
    extra_args: &[&str],
) -> (Vec<clientgen::Diagnostic>, String) {
    let source = std::fs::read_to_string(root().join(test_file)).expect("read the consumer test");
    run_consumer_source(spec, crate_name, test_file, &source, extra_args)
}

/// [`run_consumer_test`] with the test's source given (`test_file` names it).
pub fn run_consumer_source(
    spec: &str,
    crate_name: &str,
    test_file: &str,
    source: &str,
    extra_args: &[&str],
) -> (Vec<clientgen::Diagnostic>, String) {
    let text = std::fs::read_to_string(root().join(spec)).expect("read the fixture");
    // With the conformance test, whose tokio dev-dependency the consumer test gets.
    let options = clientgen::Options {
        jobs: 0,
        conformance_test: true,
        ..clientgen::Options::new(crate_name, spec)
    };
    let output = clientgen::generate(&text, &options).expect("the fixture generates");
    let warnings = output.warnings;
    let mut files = output.files;
    for f in &mut files {
        if f.path == Path::new("Cargo.toml") {
            f.contents = f.contents.replace(
                "features = [\"macros\", \"rt\"]",
                "features = [\"macros\", \"rt\", \"rt-multi-thread\", \"net\", \"io-util\", \"time\"]",
            );
            f.contents.push_str(&server_dependency());
        }
    }
    let stem = Path::new(test_file)
        .file_stem()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    files.push(clientgen::OutFile {
        path: Path::new("tests").join(format!("{stem}.rs")),
        contents: source.to_owned(),
    });
    let dir = root().join(format!("target/{crate_name}-crates"));
    write_workspace(&dir, &[(crate_name.into(), files)]);
    let output = Command::new(env!("CARGO"))
        .args(["test", "-p", crate_name, "--test", &stem])
        .args(extra_args)
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the consumer test {test_file} failed:\n{stdout}\n{stderr}"
    );
    (warnings, stdout)
}

/// A table to append to a crate's manifest: a dev-dependency by path on this crate's library,
/// where the loopback server of every consumer test is.
fn server_dependency() -> String {
    let library = root().join("tests");
    format!(
        "\n# The loopback server of the consumer test.\n\
         [dev-dependencies.clientgen-tests]\npath = {:?}\n",
        library.to_string_lossy()
    )
}

/// The API features of a generated crate with their operation counts, from the table in its
/// crate docs (`//! | \`repos\` | 204 | ...` under "Features of the API").
pub fn api_features(files: &[clientgen::OutFile]) -> Vec<(String, usize)> {
    let Some(lib) = files.iter().find(|f| f.path == Path::new("src/lib.rs")) else {
        return Vec::new();
    };
    lib.contents
        .lines()
        .skip_while(|l| !l.contains("# Features of the API"))
        .filter_map(|l| {
            let mut cells = l.strip_prefix("//! | `")?.split(" | ");
            let name = cells.next()?.strip_suffix('`')?;
            let operations: usize = cells.next()?.parse().ok()?;
            Some((name.to_owned(), operations))
        })
        .collect()
}

/// A small seeded generator of numbers (xorshift64): the same draws for the same seed, no
/// dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `from`.
    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    /// `n` different ones of `from`.
    pub fn distinct<'a>(&mut self, from: &[&'a str], n: usize) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        while out.len() < n {
            let name = self.pick(from);
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

/// The `rust,ignore` blocks of the consumer guide's section `heading` (`## OAuth 2`), each
/// wrapped as a module: written for a fixture's crate, they cannot be doctests of this crate,
/// so a consumer test appends them to its own source, compiles them and runs their tests.
pub fn guide_examples(heading: &str) -> String {
    let guide = std::fs::read_to_string(root().join("docs/consumer-guide.md"))
        .expect("read the consumer guide");
    let start = guide
        .find(&format!("\n{heading}"))
        .unwrap_or_else(|| panic!("the consumer guide has a section `{heading}`"));
    let section = &guide[start + 1..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut out = String::new();
    for (i, block) in section.split("```rust,ignore\n").skip(1).enumerate() {
        let code = &block[..block.find("```").expect("a closed code block")];
        out.push_str(&format!(
            "\n#[allow(dead_code)]\nmod guide_example_{i} {{\n{code}}}\n"
        ));
    }
    assert!(
        out.contains("mod guide_example_0"),
        "no example in `{heading}`:\n{section}"
    );
    out
}
