//! The command line as a maintainer uses it: `diff`'s exit codes and formats, and the crate
//! version across regenerations (`--crate-version`, kept, `--bump`). Runs the built binary in
//! scratch directories under `target/`; the `--bump` test needs git.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clientgen"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/cli-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch dir");
    dir
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run clientgen")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn version_of(crate_dir: &Path) -> String {
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("manifest");
    // The first `version = ".."` is `[package]`'s: the manifest starts with it.
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("a version")
        .to_owned()
}

#[test]
fn diff_exit_codes_and_formats() {
    let v1 = fixture("evolution/v1.yaml");
    let v2 = fixture("evolution/v2.yaml");
    let same = run(bin().arg("diff").arg(&v1).arg(&v1));
    assert_eq!(code(&same), 0, "{}", text(&same));
    assert!(text(&same).starts_with("0 breaking, 0 additive; semver: patch"));

    let additive = run(bin()
        .arg("diff")
        .arg(&v1)
        .arg(&v2)
        .args(["--version", "0.4.2"]));
    assert_eq!(code(&additive), 0, "{}", text(&additive));
    assert!(
        text(&additive).contains("next version: 0.4.2 -> 0.4.3"),
        "{}",
        text(&additive)
    );

    let breaking = run(bin()
        .arg("diff")
        .arg(&v2)
        .arg(&v1)
        .args(["--format", "json"]));
    assert_eq!(code(&breaking), 1, "{}", text(&breaking));
    let json: serde_json::Value = serde_json::from_slice(&breaking.stdout).expect("json on stdout");
    assert_eq!(json["breaking"], true);
    assert_eq!(json["bump"], "major");
    assert!(json["changes"].as_array().is_some_and(|c| !c.is_empty()));

    let markdown = run(bin()
        .arg("diff")
        .arg(&v2)
        .arg(&v1)
        .args(["--format", "markdown"]));
    assert_eq!(code(&markdown), 1);
    assert!(String::from_utf8_lossy(&markdown.stdout).starts_with("## API changes"));

    let dir = scratch("diff-bad");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: x, in: body}]\n").expect("write");
    let out = run(bin().arg("diff").arg(&v1).arg(&bad));
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("#/paths/~1a/get/parameters/0/in (line 6)"),
        "{}",
        text(&out)
    );
    let out = run(bin().arg("diff").arg(&v1));
    assert_eq!(code(&out), 2);
    let out = run(bin().args(["diff", "--format", "yaml"]).arg(&v1).arg(&v2));
    assert_eq!(code(&out), 2);
}

#[test]
fn the_crate_version_survives_regeneration() {
    let dir = scratch("version");
    let out_dir = dir.join("client");
    let spec = fixture("evolution/v1.yaml");
    let generate = |extra: &[&str]| {
        run(bin()
            .arg("generate")
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out_dir)
            .arg("--quiet")
            .args(extra))
    };
    let out = generate(&[]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(version_of(&out_dir), "0.1.0");
    let out = generate(&["--crate-version", "2.3.4"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(version_of(&out_dir), "2.3.4");
    // Regenerating keeps the maintainer's version, and --check agrees.
    let out = generate(&[]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(version_of(&out_dir), "2.3.4");
    let out = generate(&["--check"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = generate(&["--check", "--bump"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
}

#[test]
fn the_conformance_test_is_generated_only_when_asked_for() {
    let dir = scratch("conformance-test");
    let out_dir = dir.join("client");
    let spec = fixture("bodies.yaml");
    let generate = |extra: &[&str]| {
        run(bin()
            .arg("generate")
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out_dir)
            .arg("--quiet")
            .args(extra))
    };
    let manifest = || std::fs::read_to_string(out_dir.join("Cargo.toml")).expect("manifest");
    let tests = out_dir.join("tests/conformance");
    // By default: no test, no `[[test]]`, no dev-dependency.
    let out = generate(&[]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(!tests.exists(), "a conformance test without the flag");
    assert!(!manifest().contains("[[test]]"), "{}", manifest());
    assert!(!manifest().contains("[dev-dependencies]"), "{}", manifest());
    // With the flag: the test, its target and its dev-dependency.
    let out = generate(&["--conformance-test"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    for file in ["main.rs", "operations.rs"] {
        assert!(tests.join(file).exists(), "no tests/conformance/{file}");
    }
    assert!(
        manifest().contains(
            "[[test]]\nname = \"conformance\"\npath = \"tests/conformance/main.rs\"\nrequired-features = [\"serde-all\"]\n"
        ),
        "{}",
        manifest()
    );
    assert!(
        manifest().contains("[dev-dependencies]\n"),
        "{}",
        manifest()
    );
    let out = generate(&["--conformance-test", "--check"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    // Checked without the flag, the test is extra; regenerated without it, it goes.
    let out = generate(&["--check"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("operations.rs"), "{}", text(&out));
    let out = generate(&[]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(!tests.join("operations.rs").exists());
    assert!(!manifest().contains("[[test]]"), "{}", manifest());
}

#[test]
fn bump_applies_what_diff_computes_since_the_last_generation() {
    let git_works = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !git_works {
        eprintln!("skipping: git is not installed");
        return;
    }
    let dir = scratch("bump");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    };
    git(&["init", "-q"]);
    let spec = dir.join("api.yaml");
    let generate = |extra: &[&str]| {
        run(bin()
            .current_dir(&dir)
            .args([
                "generate", "--spec", "api.yaml", "--out", "client", "--quiet",
            ])
            .args(extra))
    };
    let v1 = std::fs::read_to_string(fixture("evolution/v1.yaml")).expect("v1");
    let v2 = std::fs::read_to_string(fixture("evolution/v2.yaml")).expect("v2");
    std::fs::write(&spec, &v1).expect("write");
    let out = generate(&["--crate-version", "0.3.0"]);
    assert_eq!(code(&out), 0, "{}", text(&out));

    // Only additions: a patch bump before 1.0. Nothing was committed: generate kept the
    // description in git's object store.
    std::fs::write(&spec, &v2).expect("write");
    let out = generate(&["--bump"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("version: 0.3.0 -> 0.3.1"),
        "{}",
        text(&out)
    );
    assert_eq!(version_of(&dir.join("client")), "0.3.1");

    // The same description again: the version stays.
    let out = generate(&["--bump"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(version_of(&dir.join("client")), "0.3.1");

    // A removed property breaks consumers: a minor bump before 1.0.
    std::fs::write(&spec, v2.replace("        tag: {type: string}\n", "")).expect("write");
    let out = generate(&["--bump"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("removed field `types::NewPet.tag`"),
        "{}",
        text(&out)
    );
    assert_eq!(version_of(&dir.join("client")), "0.4.0");
}

#[test]
fn help_version_suggestions_and_completions() {
    let out = run(bin().arg("--version"));
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("clientgen {}", env!("CARGO_PKG_VERSION"))
    );
    for sub in ["generate", "diff", "init", "completions"] {
        let out = run(bin().args([sub, "--help"]));
        assert_eq!(code(&out), 0, "{sub}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!("Usage: clientgen {sub}")),
            "{sub}: {}",
            text(&out)
        );
    }
    // A misspelled flag or subcommand: exit 2 with the likely meant one.
    let out = run(bin().args(["generate", "--chek"]));
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("'--check'"), "{}", text(&out));
    let out = run(bin().arg("generat"));
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("'generate'"), "{}", text(&out));
    // `diff --version` is still the crate version to bump from, not clientgen's.
    let out = run(bin()
        .arg("diff")
        .arg(fixture("evolution/v1.yaml"))
        .arg(fixture("evolution/v2.yaml"))
        .args(["--version", "1.2.3"]));
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("next version: 1.2.3 -> 1.3.0"),
        "{}",
        text(&out)
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(bin().args(["completions", shell]));
        assert_eq!(code(&out), 0, "{shell}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("generate"),
            "{shell}"
        );
    }
    let out = run(bin().args(["completions", "tcsh"]));
    assert_eq!(code(&out), 2, "{}", text(&out));
}

#[test]
fn init_lays_out_a_crate_with_its_description_and_a_ci_workflow() {
    let dir = scratch("init");
    let crate_dir = dir.join("petstore-client");
    let out = run(bin()
        .arg("init")
        .arg(&crate_dir)
        .arg("--spec")
        .arg(fixture("evolution/v1.yaml"))
        .args([
            "--license",
            "MIT",
            "--repository",
            "https://example.com/pets",
        ]));
    assert_eq!(code(&out), 0, "{}", text(&out));
    for file in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "spec/v1.yaml",
        ".gitignore",
        ".github/workflows/clientgen.yml",
    ] {
        assert!(crate_dir.join(file).exists(), "{file} is missing");
    }
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("name = \"petstore-client\""),
        "{manifest}"
    );
    assert!(manifest.contains("license = \"MIT\""), "{manifest}");
    assert!(
        manifest.contains("repository = \"https://example.com/pets\""),
        "{manifest}"
    );
    // The headers name the description as the workflow does, from the crate's directory.
    let lib = std::fs::read_to_string(crate_dir.join("src/lib.rs")).expect("lib.rs");
    assert!(
        lib.starts_with("// @generated by clientgen from spec/v1.yaml."),
        "{lib}"
    );
    let workflow = std::fs::read_to_string(crate_dir.join(".github/workflows/clientgen.yml"))
        .expect("workflow");
    let check = "clientgen generate --spec spec/v1.yaml --out . --name petstore-client --quiet --license 'MIT' --repository 'https://example.com/pets' --check";
    assert!(workflow.contains(check), "{workflow}");
    assert!(
        workflow
            .contains("clientgen diff \"origin/${{ github.base_ref }}:spec/v1.yaml\" spec/v1.yaml"),
        "{workflow}"
    );
    // What the workflow runs passes on the fresh crate.
    let args: Vec<&str> = check
        .trim_start_matches("clientgen ")
        .split(' ')
        .map(|a| a.trim_matches('\''))
        .collect();
    let out = run(bin().current_dir(&crate_dir).args(&args));
    assert_eq!(code(&out), 0, "{}", text(&out));
    // A second init refuses to overwrite the crate.
    let out = run(bin()
        .arg("init")
        .arg(&crate_dir)
        .arg("--spec")
        .arg(fixture("evolution/v1.yaml")));
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("already has a Cargo.toml"),
        "{}",
        text(&out)
    );
    // A bad description writes nothing.
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: x, in: body}]\n").expect("write");
    let out = run(bin()
        .arg("init")
        .arg(dir.join("bad"))
        .arg("--spec")
        .arg(&bad));
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("(line 6)"), "{}", text(&out));
    assert!(!dir.join("bad").exists());
}

/// What generation recognised is a note, counted unless `--verbose` lists it; warnings are
/// printed whole; `--deny-warnings` fails on a warning before anything is written, and not on
/// a note.
#[test]
fn notes_are_counted_warnings_are_printed_and_can_fail_the_run() {
    let dir = scratch("notes");
    let spec = fixture("pagination.yaml");
    let generate = |out: &str, extra: &[&str]| {
        run(bin()
            .arg("generate")
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(dir.join(out))
            .args(["--name", "paged"])
            .args(extra))
    };
    let plain = generate("plain", &[]);
    assert_eq!(code(&plain), 0, "{}", text(&plain));
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(!stderr.contains("paginated (`.pages()`)"), "{stderr}");
    assert!(
        stderr.contains(
            "6 notes (what was recognised, such as paginated operations); --verbose lists them"
        ),
        "{stderr}"
    );
    // The fixture has no licence: that one is a warning.
    assert!(stderr.contains("warning: no `info.license`"), "{stderr}");

    let verbose = generate("verbose", &["--verbose"]);
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert_eq!(
        stderr.matches(": note: paginated (`.pages()`)").count(),
        6,
        "{stderr}"
    );
    assert!(!stderr.contains("--verbose lists"), "{stderr}");

    let quiet = generate("quiet", &["--quiet"]);
    assert!(quiet.stderr.is_empty(), "{}", text(&quiet));

    let denied = generate("denied", &["--deny-warnings"]);
    assert_eq!(code(&denied), 2, "{}", text(&denied));
    assert!(
        text(&denied).contains("1 warning and --deny-warnings: nothing written"),
        "{}",
        text(&denied)
    );
    assert!(!dir.join("denied").exists(), "nothing is written");

    // Notes alone do not fail it.
    let licensed = generate("licensed", &["--deny-warnings", "--license", "MIT"]);
    assert_eq!(code(&licensed), 0, "{}", text(&licensed));
    assert!(dir.join("licensed/Cargo.toml").exists());
}

/// Standard output closed early (`clientgen init ... | head -1`): the crate is laid out whole
/// and the run exits 0, without a panic.
#[test]
fn a_closed_standard_output_leaves_no_partial_crate() {
    let dir = scratch("closed-stdout");
    let crate_dir = dir.join("pets");
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = bin()
        .arg("init")
        .arg(&crate_dir)
        .arg("--spec")
        .arg(fixture("evolution/v1.yaml"))
        .args(["--license", "MIT"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run clientgen");
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(!text(&out).contains("panicked"), "{}", text(&out));
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/runtime/client.rs",
        ".github/workflows/clientgen.yml",
    ] {
        assert!(crate_dir.join(file).exists(), "{file} is missing");
    }
}

/// What a maintainer reads when something is wrong: one summary line per description with
/// the right plural, no `at #` for the document as a whole, an option's error under the
/// option, no doubled prefix from `init`, and a plain hint where this repository's default
/// description is absent.
#[test]
fn error_reports_read_as_sentences() {
    let dir = scratch("reports");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path
    };
    let generate = |spec: &Path, extra: &[&str]| {
        run(bin()
            .current_dir(&dir)
            .arg("generate")
            .arg("--spec")
            .arg(spec)
            .args(["--out", "out", "--quiet"])
            .args(extra))
    };
    let syntax = write(
        "syntax.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'\npaths: {}\n",
    );
    let out = generate(&syntax, &[]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("syntax.yaml: 1 error\n"), "{stderr}");
    assert!(stderr.contains("error: invalid YAML:"), "{stderr}");
    assert!(!stderr.trim_end().ends_with(" at #"), "{stderr}");

    let not_openapi = write("not.yaml", "info: {title: t}\npaths: {}\n");
    let out = generate(&not_openapi, &[]);
    assert!(
        text(&out).contains("error: no `openapi` field: not an OpenAPI description"),
        "{}",
        text(&out)
    );

    let single = write(
        "single.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok}}\n",
    );
    let out = generate(&single, &["--name", "self"]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: --name: `self` is a Rust keyword"),
        "{stderr}"
    );
    assert!(!stderr.contains("single.yaml"), "{stderr}");

    let out = generate(&single, &["--name", "one-op"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("out: 1 operation, 0 types,"),
        "{}",
        text(&out)
    );

    let missing = write(
        "missing-ref.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/components/responses/x'}}\n",
    );
    let out = run(bin()
        .current_dir(&dir)
        .arg("init")
        .arg("fresh")
        .arg("--spec")
        .arg(&missing));
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Not `error: missing-ref.yaml: 1 error`: the summary is not itself an error line.
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.ends_with("missing-ref.yaml: 1 error"), "{stderr}");
    assert!(!first.starts_with("error"), "{stderr}");
    assert!(!dir.join("fresh").exists(), "nothing is written");

    let out = run(bin().current_dir(&dir).arg("generate"));
    assert_eq!(code(&out), 2);
    assert!(
        text(&out).contains("no --spec given: `clientgen generate --spec FILE --out DIR`"),
        "{}",
        text(&out)
    );
}

/// `clientgen diff REV:spec/api.yaml spec/api.yaml` run in a crate that is a folder of its
/// repository: `REV:path` is read relative to the current directory, as git's `REV:./path`.
#[test]
fn diff_reads_rev_paths_relative_to_the_current_directory() {
    if !Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("skipping: git is not installed");
        return;
    }
    let dir = scratch("diff-subdir");
    let crate_dir = dir.join("clients/pets");
    std::fs::create_dir_all(crate_dir.join("spec")).expect("dirs");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    };
    git(&["init", "-q"]);
    let v1 = std::fs::read_to_string(fixture("evolution/v1.yaml")).expect("v1");
    let v2 = std::fs::read_to_string(fixture("evolution/v2.yaml")).expect("v2");
    std::fs::write(crate_dir.join("spec/api.yaml"), v1).expect("write");
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "v1"]);
    std::fs::write(crate_dir.join("spec/api.yaml"), v2).expect("write");
    let out =
        run(bin()
            .current_dir(&crate_dir)
            .args(["diff", "HEAD:spec/api.yaml", "spec/api.yaml"]));
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("0 breaking"), "{}", text(&out));
    // The root-relative spelling still works: `./` and `../` are left as written.
    let out =
        run(bin()
            .current_dir(&crate_dir)
            .args(["diff", "HEAD:./spec/api.yaml", "spec/api.yaml"]));
    assert_eq!(code(&out), 0, "{}", text(&out));
}
