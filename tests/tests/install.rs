//! clientgen as a new user gets it: installed with `cargo install --path generator` into a
//! temporary root, then run in an empty temporary directory outside this workspace (`init`,
//! `generate --check` as the CI workflow runs it), and the crate it wrote builds and packages
//! without warnings. Also: the generator and stytch-b2b package without warnings.
//!
//! Everything builds in the shared `target/generated-check` (a debug install, offline, with
//! the workspace's lock file), so a second run costs seconds.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::root;

fn check_target() -> std::path::PathBuf {
    root().join("target/generated-check")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run a command")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn cargo(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", check_target())
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    cmd
}

/// `cargo package` output lines that warn.
fn warnings(out: &Output) -> Vec<String> {
    text(out)
        .lines()
        .filter(|l| l.trim_start().starts_with("warning"))
        .map(str::to_owned)
        .collect()
}

/// `cargo install --path generator` of this checkout into `install_root` (debug, offline, with
/// the workspace's lock file); the binary's path.
fn install_from_checkout(install_root: &Path) -> std::path::PathBuf {
    let out = run(cargo(&root())
        .args([
            "install",
            "--path",
            "generator",
            "--debug",
            "--locked",
            "--offline",
            "--root",
        ])
        .arg(install_root));
    assert!(
        out.status.success(),
        "cargo install failed:\n{}",
        text(&out)
    );
    install_root
        .join("bin")
        .join(format!("clientgen{}", std::env::consts::EXE_SUFFIX))
}

#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn an_installed_clientgen_makes_a_crate_that_builds_outside_the_workspace() {
    let scratch = std::env::temp_dir().join(format!("clientgen-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let bin = install_from_checkout(&scratch.join("root"));

    // An empty directory outside the workspace, the description copied there: nothing of
    // this checkout is in reach but the binary.
    let work = scratch.join("work");
    std::fs::create_dir_all(&work).expect("create the work dir");
    std::fs::copy(
        root().join("tests/fixtures/evolution/v1.yaml"),
        work.join("pets.yaml"),
    )
    .expect("copy the description");
    let out = run(Command::new(&bin).current_dir(&work).args([
        "init",
        "pets-client",
        "--spec",
        "pets.yaml",
        "--license",
        "MIT OR Apache-2.0",
        "--repository",
        "https://example.com/pets-client",
    ]));
    assert!(out.status.success(), "init failed:\n{}", text(&out));
    let crate_dir = work.join("pets-client");
    for file in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "src/runtime/mod.rs",
        "spec/pets.yaml",
        ".github/workflows/clientgen.yml",
    ] {
        assert!(crate_dir.join(file).exists(), "init did not write {file}");
    }
    // What the workflow runs passes.
    let out = run(Command::new(&bin).current_dir(&crate_dir).args([
        "generate",
        "--spec",
        "spec/pets.yaml",
        "--out",
        ".",
        "--name",
        "pets-client",
        "--quiet",
        "--license",
        "MIT OR Apache-2.0",
        "--repository",
        "https://example.com/pets-client",
        "--check",
    ]));
    assert!(
        out.status.success(),
        "generate --check failed:\n{}",
        text(&out)
    );

    // The crate builds on its own, with the versions this workspace is tested with.
    std::fs::copy(root().join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("copy the lock");
    let out = run(cargo(&crate_dir).args(["build", "--offline", "--quiet"]));
    assert!(
        out.status.success(),
        "the generated crate does not build:\n{}",
        text(&out)
    );
    let out = run(cargo(&crate_dir).args(["package", "--offline", "--no-verify", "--allow-dirty"]));
    assert!(
        out.status.success(),
        "cargo package failed:\n{}",
        text(&out)
    );
    assert!(
        warnings(&out).is_empty(),
        "cargo package warned:\n{}",
        text(&out)
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn the_generator_and_stytch_b2b_package_without_warnings() {
    // The generator's test tooling is packaged with it: the generator depends on it.
    let out = run(cargo(&root()).args([
        "package",
        "-p",
        "clientgen-testkit",
        "-p",
        "clientgen",
        "-p",
        "stytch-b2b",
        "--offline",
        "--no-verify",
        "--allow-dirty",
    ]));
    assert!(
        out.status.success(),
        "cargo package failed:\n{}",
        text(&out)
    );
    assert!(
        warnings(&out).is_empty(),
        "cargo package warned:\n{}",
        text(&out)
    );
    // The runtime travels inside the generator's package.
    let list = run(cargo(&root()).args([
        "package",
        "-p",
        "clientgen",
        "--list",
        "--offline",
        "--allow-dirty",
    ]));
    assert!(list.status.success(), "{}", text(&list));
    let files = String::from_utf8_lossy(&list.stdout);
    for (path, _) in clientgen::internals::RUNTIME {
        let name = path.trim_start_matches("src/");
        assert!(
            files.lines().any(|l| l == name),
            "{name} is not packaged:\n{files}"
        );
    }
}

/// The CI workflow `init` writes, run step by step in a new git repository as a runner would
/// (`bash -eo pipefail`, `GITHUB_STEP_SUMMARY`, the base branch as `origin/main`): its install
/// step installs clientgen from where `--install-from` says (this checkout's commit, by its
/// `file://` URL, as a clone's `https://` URL is used by default), then `generate --check`,
/// `diff` and the crate's own tests pass.
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn the_workflow_init_writes_installs_clientgen_and_passes() {
    let scratch = std::env::temp_dir().join(format!("clientgen-workflow-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("create the scratch dir");
    let head = run(Command::new("git")
        .current_dir(root())
        .args(["rev-parse", "HEAD"]));
    assert!(head.status.success(), "{}", text(&head));
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();

    // A clientgen to run `init` with.
    let first = install_from_checkout(&scratch.join("first"));

    let repo = scratch.join("pets-client");
    std::fs::create_dir_all(&scratch).expect("scratch");
    std::fs::copy(
        root().join("tests/fixtures/evolution/v1.yaml"),
        scratch.join("pets.yaml"),
    )
    .expect("copy the description");
    let source = format!("git:file://{}#{head}", root().display());
    let out = run(Command::new(&first).current_dir(&scratch).args([
        "init",
        "pets-client",
        "--spec",
        "pets.yaml",
        "--license",
        "MIT",
        "--install-from",
        &source,
    ]));
    assert!(out.status.success(), "init failed:\n{}", text(&out));
    let workflow =
        std::fs::read_to_string(repo.join(".github/workflows/clientgen.yml")).expect("workflow");
    let install_line = format!(
        "cargo install --git file://{} --rev {head} clientgen --locked",
        root().display()
    );
    assert!(workflow.contains(&install_line), "{workflow}");

    // The repository, with the base branch as a runner's checkout has it.
    std::fs::copy(root().join("Cargo.lock"), repo.join("Cargo.lock")).expect("copy the lock");
    let git = |args: &[&str]| {
        let out = run(Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(&repo));
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "the client"]);
    git(&["remote", "add", "origin", "."]);
    git(&["fetch", "-q", "origin"]);

    // Each `run:` of the workflow, in order.
    let doc = clientgen::internals::parse_value(&workflow).expect("the workflow is YAML");
    let steps = doc
        .pointer("/jobs/generated-code/steps")
        .and_then(|s| s.as_array())
        .expect("the job's steps");
    let install_root = scratch.join("installed");
    let summary = scratch.join("summary.md");
    let path = format!(
        "{}:{}",
        install_root.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Cargo takes a git package's version as its fingerprint: a clientgen built from an
    // earlier commit of the same version would count as fresh in the shared target and be
    // installed instead of this commit's. Its fingerprints go, so the install builds it (and
    // clientgen-testkit) again; their dependencies stay built.
    let fingerprints = check_target().join("release/.fingerprint");
    for entry in std::fs::read_dir(&fingerprints)
        .into_iter()
        .flatten()
        .flatten()
    {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("clientgen-")
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let mut ran = Vec::new();
    for step in steps {
        let Some(script) = step.get("run").and_then(|r| r.as_str()) else {
            continue;
        };
        let name = step.get("name").and_then(|n| n.as_str()).unwrap_or("?");
        let script = script.replace("${{ github.base_ref }}", "main");
        let out = run(Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(&repo)
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            // Where `cargo install` puts the binary, instead of ~/.cargo/bin.
            .env("CARGO_INSTALL_ROOT", &install_root)
            // The shared check target, and a release profile that builds like a debug one:
            // the commands are the workflow's, the build time this machine's.
            .env("CARGO_TARGET_DIR", check_target())
            .env("RUSTFLAGS", "-D warnings")
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env_remove("CARGO_ENCODED_RUSTFLAGS"));
        assert!(
            out.status.success(),
            "step `{name}` failed:\n{script}\n{}",
            text(&out)
        );
        ran.push(name.to_owned());
    }
    assert_eq!(
        ran,
        [
            "Install clientgen",
            "The crate is what the description generates",
            "What changes for consumers",
            "Build and test"
        ]
    );
    assert!(
        install_root.join("bin/clientgen").exists(),
        "the install step installed nothing"
    );
    let summary = std::fs::read_to_string(&summary).expect("the summary");
    assert!(summary.contains("0 breaking"), "{summary}");
    let _ = std::fs::remove_dir_all(&scratch);
}
