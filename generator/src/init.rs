//! `clientgen init DIR --spec FILE`: a new crate directory with the description under
//! `spec/`, the generated crate, `.gitignore` and a pull-request workflow.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ArgMatches;

use crate::{
    Args, BAD_INPUT, Report, crate_name_of, errors_report, generate_main, install, package_of,
};

/// `clientgen init DIR --spec FILE`: a new crate directory with the description under
/// `spec/`, the generated crate, `.gitignore` and a CI workflow.
pub(crate) fn init_main(m: &ArgMatches) -> ExitCode {
    match init(m) {
        Ok(args) => {
            let code = generate_main(&args);
            if code == ExitCode::SUCCESS {
                say!(
                    "next: cd {} && cargo test, then commit the directory (git init first if it is not in a repository)",
                    args.out.display()
                );
            }
            code
        }
        Err(message) => {
            // A description's errors come as a report of their own; a message, as an error.
            if message.contains('\n') {
                tell!("{message}");
            } else {
                tell!("error: {message}");
            }
            ExitCode::from(BAD_INPUT)
        }
    }
}

/// Lays out the new crate directory and returns what `generate` should do there.
fn init(m: &ArgMatches) -> Result<Args, String> {
    let (Some(dir), Some(spec)) = (m.get_one::<PathBuf>("dir"), m.get_one::<PathBuf>("spec"))
    else {
        return Err("init needs DIR and --spec".into());
    };
    if dir.join("Cargo.toml").exists() {
        return Err(format!(
            "{} already has a Cargo.toml; regenerate it with `clientgen generate --spec FILE --out {}`",
            dir.display(),
            dir.display()
        ));
    }
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    // Refuse a description that does not generate before writing anything.
    if let Err(errors) = clientgen::surface(&text) {
        return Err(errors_report(&spec.display().to_string(), &errors));
    }
    let install = match m.get_one::<String>("install-from") {
        Some(text) => install::Source::parse(text)?,
        None => install::Source::default_for_this_build().unwrap_or_else(|| {
            let version = env!("CARGO_PKG_VERSION");
            tell!(
                "warning: the workflow installs clientgen {version} from crates.io, which has no release of it yet, and this clientgen was not built from a clone with a remote to install from instead: pass --install-from git:URL#REV (or path:DIR)"
            );
            install::Source::CratesIo(version.to_owned())
        }),
    };
    let name = crate_name_of(m.get_one::<String>("name"), dir).or_else(|_| {
        std::env::current_dir()
            .map_err(|e| e.to_string())
            .and_then(|cwd| crate_name_of(None, &cwd.join(dir)))
    })?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let dir_abs = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // The description lives in the crate's repository, so that CI can check the crate
    // against it and diff it against the base branch's.
    let spec_abs = std::fs::canonicalize(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let spec_rel = match spec_abs.strip_prefix(&dir_abs) {
        Ok(inside) => inside.to_path_buf(),
        Err(_) => {
            let file = spec_abs
                .file_name()
                .ok_or_else(|| format!("{} has no file name", spec.display()))?;
            let rel = Path::new("spec").join(file);
            let target = dir_abs.join(&rel);
            std::fs::create_dir_all(dir_abs.join("spec"))
                .and_then(|()| std::fs::write(&target, &text))
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            rel
        }
    };
    let spec_label = spec_rel.display().to_string().replace('\\', "/");
    let package = package_of(m);
    let mut flags = format!("--spec {spec_label} --out . --name {name} --quiet");
    for (flag, value) in [
        ("--license", &package.license),
        ("--repository", &package.repository),
        ("--homepage", &package.homepage),
        ("--documentation", &package.documentation),
    ] {
        if let Some(v) = value {
            flags.push_str(&format!(" {flag} '{}'", v.replace('\'', "'\\''")));
        }
    }
    let files = [
        (".gitignore", "/target\n".to_owned()),
        (
            ".github/workflows/clientgen.yml",
            workflow(&spec_label, &flags, &install.command()),
        ),
    ];
    for (path, contents) in files {
        let target = dir_abs.join(path);
        if target.exists() {
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, contents)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        say!("created: {}", dir.join(path).display());
    }
    Ok(Args {
        // Generated from inside the directory's own view, so that the files' headers name
        // the description as CI will (`spec/api.yaml`), wherever `init` ran.
        spec: dir.join(&spec_rel),
        out: dir.clone(),
        name,
        check: false,
        report: Report::of(m),
        timings: false,
        conformance_test: false,
        crate_version: None,
        bump: false,
        package,
        spec_label: Some(spec_label),
    })
}

/// The pull-request workflow `init` writes: the crate matches its description, and what the
/// description's change means for consumers, in the run's summary.
fn workflow(spec: &str, flags: &str, install: &str) -> String {
    format!(
        r#"# Written by `clientgen init`; yours to edit (clientgen never rewrites this file).
# On every pull request: the committed crate matches the description (`generate --check`),
# and what the description's change means for consumers (`diff`) goes to the run's summary.
name: clientgen

on:
  pull_request:

jobs:
  generated-code:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - name: Install clientgen
        run: {install}
      - name: The crate is what the description generates
        run: clientgen generate {flags} --check
      - name: What changes for consumers
        run: |
          status=0
          clientgen diff "origin/${{{{ github.base_ref }}}}:{spec}" {spec} --format markdown > api-changes.md || status=$?
          cat api-changes.md >> "$GITHUB_STEP_SUMMARY"
          # 1: something breaks consumers (the version needs a breaking bump); 2: a bad description.
          test "$status" -ne 2
      - name: Build and test
        run: cargo test --all-features
"#,
    )
}
