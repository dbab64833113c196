//! The clientgen command line: `generate`, `diff`, `init` and `completions`, parsed with clap.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

// Generation allocates and frees millions of small token trees and strings; with the system
// allocator, allocation was a quarter of the time on the 13 MB GitHub spec (perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `println!` that does not panic when standard output is closed (`clientgen init | head -1`):
/// what was asked is done whole; only the report is lost.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` likewise, for standard error.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod init;
mod install;

/// Exit code of a bad description or bad arguments (clap exits with 2 on a usage error too).
const BAD_INPUT: u8 = 2;

const AFTER_HELP: &str = "Exit codes: 0 success (diff: nothing breaking), 1 --check found differences (diff: \
something breaks consumers), 2 bad arguments or a bad description.";

/// The options `generate` and `init` share: what goes in the generated manifest.
fn package_args() -> [Arg; 4] {
    [
        Arg::new("license")
            .long("license")
            .value_name("SPDX")
            .help("The crate's licence (an SPDX expression such as `MIT OR Apache-2.0`); default: the description's info.license"),
        Arg::new("repository")
            .long("repository")
            .value_name("URL")
            .help("`repository` of the generated manifest"),
        Arg::new("homepage")
            .long("homepage")
            .value_name("URL")
            .help("`homepage` of the generated manifest"),
        Arg::new("documentation")
            .long("documentation")
            .value_name("URL")
            .help("`documentation` of the generated manifest (default: the crate's docs.rs page)"),
    ]
}

/// The whole command line: every subcommand with its own `--help`, and suggestions for a
/// misspelled one or a misspelled flag (clap's).
fn cli() -> Command {
    let spec = Arg::new("spec")
        .long("spec")
        .value_name("FILE")
        .value_parser(value_parser!(PathBuf))
        .help("The OpenAPI 3.0, 3.1 or 3.2 description, YAML or JSON");
    let name = Arg::new("name")
        .long("name")
        .value_name("CRATE")
        .help("The generated package name (default: the last component of the crate directory)");
    Command::new("clientgen")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Generates self-contained async Rust client crates from OpenAPI descriptions (3.0, 3.1, 3.2) and Swagger 2.0")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(AFTER_HELP)
        .subcommand(
            Command::new("generate")
                .about("Writes (or with --check, compares) a client crate generated from a description")
                .long_about(
                    "Writes a client crate generated from an OpenAPI description (3.0, 3.1 or 3.2, \
                     or Swagger 2.0 read as it is; YAML or JSON), or with --check compares the \
                     crate directory with what it would write.\n\nWith neither --spec \
                     nor --out: spec/stytch-b2b.yaml -> generated-client/ (crate stytch-b2b), \
                     this project's own client.",
                )
                .after_help(AFTER_HELP)
                .arg(spec.clone().requires("out"))
                .arg(
                    Arg::new("out")
                        .long("out")
                        .value_name("DIR")
                        .value_parser(value_parser!(PathBuf))
                        .help("The crate directory: gets Cargo.toml, README.md and src/, and builds on its own"),
                )
                .arg(name.clone())
                .arg(
                    Arg::new("check")
                        .long("check")
                        .action(ArgAction::SetTrue)
                        .help("Write nothing; exit 0 if DIR matches, 1 listing stale, missing and extra files"),
                )
                .args(report_args())
                .arg(
                    Arg::new("timings")
                        .long("timings")
                        .action(ArgAction::SetTrue)
                        .help("Print how long each stage took (parse, lower, emit and render)"),
                )
                .arg(
                    Arg::new("conformance-test")
                        .long("conformance-test")
                        .action(ArgAction::SetTrue)
                        .help("Also generate tests/conformance/, which calls every operation against a spec-validating mock at TEST_API_BASE_URL (such as `prism mock --errors`)"),
                )
                .arg(
                    Arg::new("crate-version")
                        .long("crate-version")
                        .value_name("X.Y.Z")
                        .help("The generated crate's version (default: the one in DIR/Cargo.toml, else 0.1.0)"),
                )
                .arg(
                    Arg::new("bump")
                        .long("bump")
                        .action(ArgAction::SetTrue)
                        .conflicts_with_all(["check", "crate-version"])
                        .help("Set the version by what changed for consumers since the description the crate was last generated from (recorded in DIR/Cargo.toml, read from git)"),
                )
                .args(package_args()),
        )
        .subcommand(
            Command::new("diff")
                .about("What changes for consumers between two descriptions, and the semver bump it needs")
                .long_about(
                    "Compares two descriptions as a consumer of the generated crate sees them: \
                     each call, builder method, type, field and variant added, removed or changed, \
                     breaking or additive, and the semver bump it needs. OLD or NEW may be a git \
                     revision of a file: `HEAD:spec/x.yaml`.",
                )
                .after_help(AFTER_HELP)
                .arg(Arg::new("old").value_name("OLD").required(true).help("The description before"))
                .arg(Arg::new("new").value_name("NEW").required(true).help("The description after"))
                .arg(
                    Arg::new("format")
                        .long("format")
                        .value_name("FORMAT")
                        .value_parser(["text", "markdown", "json"])
                        .default_value("text")
                        .help("text, markdown (for a pull request or CHANGELOG) or json"),
                )
                .arg(
                    Arg::new("version")
                        .long("version")
                        .value_name("X.Y.Z")
                        .help("The crate's current version: also print the next one"),
                ),
        )
        .subcommand(
            Command::new("init")
                .about("Creates a client crate directory from a description: manifest, code, README and a CI workflow")
                .long_about(
                    "Creates DIR as a new client crate: copies the description to DIR/spec/ (unless \
                     it is inside DIR already), generates the crate there (Cargo.toml, README.md, \
                     src/), and writes .gitignore and .github/workflows/clientgen.yml, a workflow \
                     that runs `generate --check` and `diff` on pull requests. Refuses a DIR that \
                     already has a Cargo.toml: regenerate that one with `generate`.",
                )
                .after_help(AFTER_HELP)
                .arg(
                    Arg::new("dir")
                        .value_name("DIR")
                        .required(true)
                        .value_parser(value_parser!(PathBuf))
                        .help("The new crate's directory"),
                )
                .arg(spec.required(true))
                .arg(name)
                .arg(
                    Arg::new("install-from")
                        .long("install-from")
                        .value_name("SOURCE")
                        .help("Where the workflow installs clientgen from: `git:URL[#REV]`, `path:DIR` or `crates-io[@VERSION]` (default: the git repository and commit this clientgen was built from, when known)"),
                )
                .args(report_args())
                .args(package_args()),
        )
        .subcommand(
            Command::new("completions")
                .about("Prints a shell completion script")
                .long_about(
                    "Prints a completion script for SHELL on standard output, for example \
                     `clientgen completions bash > ~/.local/share/bash-completion/completions/clientgen`.",
                )
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(value_parser!(clap_complete::Shell)),
                ),
        )
}

/// How much of what generation found is printed, and whether a warning fails the run.
fn report_args() -> [Arg; 3] {
    [
        Arg::new("quiet")
            .long("quiet")
            .short('q')
            .action(ArgAction::SetTrue)
            .help("Print neither warnings nor notes"),
        Arg::new("verbose")
            .long("verbose")
            .short('v')
            .action(ArgAction::SetTrue)
            .help("Print every note (what was recognised, such as paginated operations), not only their count"),
        Arg::new("deny-warnings")
            .long("deny-warnings")
            .action(ArgAction::SetTrue)
            .help("Exit 2 without writing anything when the description has a warning (for CI)"),
    ]
}

/// `--quiet`, `--verbose`, `--deny-warnings`.
#[derive(Debug, Clone, Copy, Default)]
struct Report {
    quiet: bool,
    verbose: bool,
    deny_warnings: bool,
}

impl Report {
    fn of(m: &ArgMatches) -> Report {
        Report {
            quiet: m.get_flag("quiet"),
            verbose: m.get_flag("verbose"),
            deny_warnings: m.get_flag("deny-warnings"),
        }
    }

    /// Prints warnings, and notes (each with `--verbose`, else their count), under `label`;
    /// false when a warning fails the run (`--deny-warnings`).
    fn print(&self, label: &str, diagnostics: &[clientgen::Diagnostic]) -> bool {
        let notes = diagnostics
            .iter()
            .filter(|d| d.severity == clientgen::Severity::Note)
            .count();
        let warnings = diagnostics.len() - notes;
        if !self.quiet {
            for d in diagnostics {
                if d.severity != clientgen::Severity::Note || self.verbose {
                    tell!("{label}: {d}");
                }
            }
            if notes > 0 && !self.verbose {
                tell!(
                    "{label}: {notes} {} (what was recognised, such as paginated operations); --verbose lists {}",
                    plural(notes, "note", "notes"),
                    plural(notes, "it", "them")
                );
            }
        }
        if self.deny_warnings && warnings > 0 {
            tell!(
                "error: {label}: {warnings} {} and --deny-warnings: nothing written",
                plural(warnings, "warning", "warnings")
            );
            return false;
        }
        true
    }
}

/// A description's errors under its name: `api.yaml: 2 errors` and one line each. Errors of
/// an option (`--name`), which the description cannot fix, stand alone.
fn errors_report(label: &str, errors: &clientgen::Errors) -> String {
    let (options, spec): (Vec<_>, Vec<_>) =
        errors.0.iter().partition(|d| d.pointer.starts_with("--"));
    let mut lines: Vec<String> = options
        .iter()
        .map(|d| format!("error: {}: {}", d.pointer, d.message))
        .collect();
    if !spec.is_empty() {
        lines.push(format!(
            "{label}: {} {}",
            spec.len(),
            plural(spec.len(), "error", "errors")
        ));
        lines.extend(spec.iter().map(|d| d.to_string()));
    }
    lines.join("\n")
}

/// `one` for 1, else `many`.
fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// What `generate` does, from its arguments or from `init`'s.
struct Args {
    spec: PathBuf,
    out: PathBuf,
    name: String,
    check: bool,
    report: Report,
    timings: bool,
    /// `--conformance-test`.
    conformance_test: bool,
    crate_version: Option<String>,
    bump: bool,
    package: Package,
    /// How the files' headers name the description, when not as `spec` is written.
    spec_label: Option<String>,
}

/// The manifest's licence and links.
#[derive(Clone, Default)]
struct Package {
    license: Option<String>,
    repository: Option<String>,
    homepage: Option<String>,
    documentation: Option<String>,
}

fn package_of(m: &ArgMatches) -> Package {
    let get = |id: &str| m.get_one::<String>(id).cloned();
    Package {
        license: get("license"),
        repository: get("repository"),
        homepage: get("homepage"),
        documentation: get("documentation"),
    }
}

/// The package name: `--name`, else the crate directory's last component.
fn crate_name_of(name: Option<&String>, out: &Path) -> Result<String, String> {
    match name {
        Some(n) => Ok(n.clone()),
        None => std::fs::canonicalize(out)
            .ok()
            .as_deref()
            .unwrap_or(out)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| "--name is needed when --out has no final component".to_owned()),
    }
}

fn generate_args(m: &ArgMatches) -> Result<Args, String> {
    let spec = m.get_one::<PathBuf>("spec").cloned();
    let out = m.get_one::<PathBuf>("out").cloned();
    let defaults = spec.is_none() && out.is_none();
    if spec.is_none() && !Path::new("spec/stytch-b2b.yaml").exists() {
        return Err(
            "no --spec given: `clientgen generate --spec FILE --out DIR` (without --spec, it regenerates the clientgen repository's own client, from spec/stytch-b2b.yaml, which is not here)"
                .into(),
        );
    }
    let (spec, out) = match (spec, out) {
        (Some(s), Some(o)) => (s, o),
        (None, Some(o)) => (PathBuf::from("spec/stytch-b2b.yaml"), o),
        // `--spec` requires `--out` (clap checks it).
        _ => (
            PathBuf::from("spec/stytch-b2b.yaml"),
            PathBuf::from("generated-client"),
        ),
    };
    let name = match m.get_one::<String>("name") {
        None if defaults => "stytch-b2b".to_owned(),
        name => crate_name_of(name, &out)?,
    };
    let package = package_of(m);
    Ok(Args {
        spec,
        out,
        name,
        check: m.get_flag("check"),
        report: Report::of(m),
        timings: m.get_flag("timings"),
        conformance_test: m.get_flag("conformance-test"),
        crate_version: m.get_one::<String>("crate-version").cloned(),
        bump: m.get_flag("bump"),
        package,
        spec_label: None,
    })
}

/// The version to generate: `--crate-version`, else the bump `--bump` computes, else the
/// existing manifest's, else 0.1.0.
fn crate_version(args: &Args, spec_text: &str) -> Result<String, String> {
    if let Some(v) = &args.crate_version {
        return Ok(v.clone());
    }
    let manifest = std::fs::read_to_string(args.out.join("Cargo.toml")).ok();
    let info = manifest.as_deref().map(read_manifest).unwrap_or_default();
    let current = info.version.clone().unwrap_or_else(|| "0.1.0".into());
    if !args.bump {
        return Ok(current);
    }
    let Some(blob) = info.spec_blob else {
        return Err(format!(
            "--bump: {} records no description to compare with; generate once without --bump",
            args.out.join("Cargo.toml").display()
        ));
    };
    if blob == clientgen::spec_blob_id(spec_text) {
        say!("the description is the one {current} was generated from: version kept");
        return Ok(current);
    }
    let old_text = read_spec(&blob).map_err(|e| {
        format!(
            "--bump: the description the crate was generated from (git blob {blob}) is not in this repository ({e}); commit it, or set the version with --crate-version after `clientgen diff`"
        )
    })?;
    let old = clientgen::surface(&old_text)
        .map_err(|e| format!("--bump: the previous description does not lower:\n{e}"))?
        .0;
    let new = clientgen::surface(spec_text)
        .map_err(|e| errors_report(&args.spec.display().to_string(), &e))?
        .0;
    let report = clientgen::diff(&old, &new);
    let next = report
        .next_version(&current)
        .ok_or_else(|| format!("--bump: the crate version `{current}` is not semver"))?;
    let text = report.to_text();
    say!("{}", text.strip_suffix('\n').unwrap_or(&text));
    say!("version: {current} -> {next}");
    Ok(next)
}

/// What an existing generated manifest says: the crate version and the blob id of the
/// description it was generated from.
#[derive(Debug, Clone, Default, PartialEq)]
struct ManifestInfo {
    /// `[package] version`.
    version: Option<String>,
    /// `[package.metadata.clientgen] spec-blob`.
    spec_blob: Option<String>,
}

/// Reads the version and the recorded description of a generated `Cargo.toml`, with a TOML
/// parser (a manifest is the user's to edit: tables may be inline, keys quoted, values
/// commented). A manifest that does not parse says nothing.
fn read_manifest(text: &str) -> ManifestInfo {
    let Ok(manifest) = text.parse::<toml::Table>() else {
        return ManifestInfo::default();
    };
    let package = manifest.get("package").and_then(toml::Value::as_table);
    let string = |v: Option<&toml::Value>| v.and_then(toml::Value::as_str).map(str::to_owned);
    ManifestInfo {
        version: string(package.and_then(|p| p.get("version"))),
        spec_blob: string(
            package
                .and_then(|p| p.get("metadata"))
                .and_then(|m| m.get("clientgen"))
                .and_then(|c| c.get("spec-blob")),
        ),
    }
}

/// Reads a description from a file, or from git when it is `REV:path` and no such file exists.
fn read_spec(source: &str) -> Result<String, String> {
    // A git object id: a blob recorded by `generate`.
    let is_blob = source.len() == 40 && source.chars().all(|c| c.is_ascii_hexdigit());
    match std::fs::read_to_string(source) {
        Ok(text) => Ok(text),
        Err(e) => match source.split_once(':') {
            _ if is_blob => git(&["cat-file", "-p", source], source, &e),
            Some((rev, path)) if !rev.is_empty() && !path.is_empty() => {
                // Relative to the current directory, as git's `REV:./path` is (plain
                // `REV:path` is relative to the repository's root): the same path names the
                // same file on both sides of `clientgen diff REV:spec/api.yaml spec/api.yaml`,
                // in a crate at the root of its repository or below it.
                let relative =
                    if path.starts_with("./") || path.starts_with("../") || path.starts_with('/') {
                        source.to_owned()
                    } else {
                        format!("{rev}:./{path}")
                    };
                git(&["show", &relative], source, &e)
            }
            _ => Err(format!("cannot read {source}: {e}")),
        },
    }
}

/// Stores the description's text in git's object database (`git hash-object -w`), so that a
/// later `--bump` finds the description the crate was generated from by the blob id the
/// manifest records, even if that text was never committed. Outside a git repository, or
/// without git, nothing happens: `--bump` then says what it could not find. A blob git has
/// already is not hashed again (`git cat-file -e`: 2 ms, where hashing the 13 MB GitHub spec
/// takes 26).
fn keep_in_git(text: &str, blob: &str) {
    use std::io::Write as _;
    let known = std::process::Command::new("git")
        .args(["cat-file", "-e", blob])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if known {
        return;
    }
    let child = std::process::Command::new("git")
        .args(["hash-object", "-w", "--no-filters", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(text.as_bytes());
        }
        let _ = child.wait();
    }
}

fn git(git_args: &[&str], source: &str, e: &std::io::Error) -> Result<String, String> {
    let out = std::process::Command::new("git")
        .args(git_args)
        .output()
        .map_err(|g| format!("cannot read {source}: {e}; nor run git: {g}"))?;
    if out.status.success() {
        String::from_utf8(out.stdout).map_err(|_| format!("{source} is not UTF-8"))
    } else {
        Err(format!(
            "cannot read {source}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

fn diff_main(m: &ArgMatches) -> ExitCode {
    let (Some(old), Some(new)) = (m.get_one::<String>("old"), m.get_one::<String>("new")) else {
        return ExitCode::from(BAD_INPUT);
    };
    let format = m.get_one::<String>("format").map_or("text", String::as_str);
    let version = m.get_one::<String>("version");
    // Both sides are read and lowered at once, on two threads.
    let (old_api, new_api) = std::thread::scope(|s| {
        let lower = &|source: &String| {
            let text = read_spec(source)?;
            clientgen::surface(&text)
                .map(|(surface, _)| surface)
                .map_err(|errors| errors_report(source, &errors))
        };
        let handle = s.spawn(move || lower(old));
        let new = lower(new);
        let old = handle
            .join()
            .unwrap_or_else(|_| Err(format!("{old}: lowering panicked (a clientgen bug)")));
        (old, new)
    });
    let (old_api, new_api) = match (old_api, new_api) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            for e in [o.err(), n.err()].into_iter().flatten() {
                tell!("{e}");
            }
            return ExitCode::from(BAD_INPUT);
        }
    };
    let report = clientgen::diff(&old_api, &new_api);
    let mut text = match format {
        "markdown" => report.to_markdown(),
        "json" => report.to_json(),
        _ => report.to_text(),
    };
    if let Some(v) = version {
        match report.next_version(v) {
            Some(next) if format != "json" => {
                text.push_str(&format!("\nnext version: {v} -> {next}\n"))
            }
            Some(_) => {}
            None => {
                tell!("error: --version `{v}` is not a semver version");
                return ExitCode::from(BAD_INPUT);
            }
        }
    }
    // One line end after the report, whether it brought one or not.
    say!("{}", text.strip_suffix('\n').unwrap_or(&text));
    if report.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    match matches.subcommand() {
        Some(("generate", m)) => match generate_args(m) {
            Ok(args) => generate_main(&args),
            Err(message) => {
                tell!("error: {message}");
                ExitCode::from(BAD_INPUT)
            }
        },
        Some(("diff", m)) => diff_main(m),
        Some(("init", m)) => init::init_main(m),
        Some(("completions", m)) => {
            let Some(shell) = m.get_one::<clap_complete::Shell>("shell") else {
                return ExitCode::from(BAD_INPUT);
            };
            clap_complete::generate(*shell, &mut cli(), "clientgen", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        // `subcommand_required` makes clap refuse anything else.
        _ => ExitCode::from(BAD_INPUT),
    }
}

/// `clientgen generate`: generates, then writes or checks.
fn generate_main(args: &Args) -> ExitCode {
    let text = match std::fs::read_to_string(&args.spec) {
        Ok(t) => t,
        Err(e) => {
            tell!("error: cannot read {}: {e}", args.spec.display());
            return ExitCode::from(BAD_INPUT);
        }
    };
    let version = match crate_version(args, &text) {
        Ok(v) => v,
        Err(message) => {
            tell!("error: {message}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let spec_label = args
        .spec_label
        .clone()
        .unwrap_or_else(|| args.spec.display().to_string().replace('\\', "/"));
    let options = clientgen::Options {
        crate_version: version,
        license: args.package.license.clone(),
        repository: args.package.repository.clone(),
        homepage: args.package.homepage.clone(),
        documentation: args.package.documentation.clone(),
        conformance_test: args.conformance_test,
        ..clientgen::Options::new(args.name.clone(), spec_label)
    };
    let output = match clientgen::generate(&text, &options) {
        Ok(o) => o,
        Err(errors) => {
            tell!(
                "{}",
                errors_report(&args.spec.display().to_string(), &errors)
            );
            return ExitCode::from(BAD_INPUT);
        }
    };
    if args.timings {
        let [parse, lower, emit] = output.timings_us.map(|us| us as f64 / 1000.0);
        tell!("timings: parse {parse:.1} ms, lower {lower:.1} ms, emit and render {emit:.1} ms");
    }
    if !args
        .report
        .print(&args.spec.display().to_string(), &output.warnings)
    {
        return ExitCode::from(BAD_INPUT);
    }
    let result = if args.check {
        clientgen::check(&args.out, &output.files)
    } else {
        clientgen::write(&args.out, &output.files)
    };
    let drift = match result {
        Ok(d) => d,
        Err(e) => {
            tell!("error: {}: {e}", args.out.display());
            return ExitCode::from(BAD_INPUT);
        }
    };
    let list = |label: &str, paths: &[PathBuf]| {
        for p in paths {
            say!("{label} {}", args.out.join(p).display());
        }
    };
    if args.check {
        if drift.is_empty() {
            say!(
                "{} is up to date with {}",
                args.out.display(),
                args.spec.display()
            );
            return ExitCode::SUCCESS;
        }
        list("stale:  ", &drift.stale);
        list("missing:", &drift.missing);
        list("extra:  ", &drift.extra);
        say!(
            "{} is out of date; run `clientgen generate` with the same options and commit the result",
            args.out.display()
        );
        return ExitCode::from(1);
    }
    keep_in_git(&text, &output.spec_blob);
    list("wrote:  ", &drift.stale);
    list("created:", &drift.missing);
    list("removed:", &drift.extra);
    let count = |n: usize, one, many| format!("{n} {}", plural(n, one, many));
    say!(
        "{}: {}, {}, {} ({} changed)",
        args.out.display(),
        count(output.operations, "operation", "operations"),
        count(output.types, "type", "types"),
        count(output.files.len(), "file", "files"),
        drift.stale.len() + drift.missing.len() + drift.extra.len()
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_edited_manifest_is_read_as_toml() {
        let text = "[package]\nname = \"x\"\n\"version\" = \"2.0.1\" # bumped by hand\n# version = \"9.9.9\"\n\n[package.metadata]\nclientgen = { spec-blob = 'abc' }\n";
        assert_eq!(
            read_manifest(text),
            ManifestInfo {
                version: Some("2.0.1".into()),
                spec_blob: Some("abc".into()),
            }
        );
        assert_eq!(
            read_manifest("[package\nversion = 1"),
            ManifestInfo::default()
        );
    }

    #[test]
    fn a_generated_manifest_gives_back_its_version_and_description() {
        let output = clientgen::generate(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
            &clientgen::Options {
                crate_version: "1.4.0-beta.1".into(),
                ..clientgen::Options::new("x", "t")
            },
        )
        .expect("generates");
        let manifest = output
            .files
            .iter()
            .find(|f| f.path == std::path::Path::new("Cargo.toml"))
            .expect("a manifest");
        assert_eq!(
            read_manifest(&manifest.contents),
            ManifestInfo {
                version: Some("1.4.0-beta.1".into()),
                spec_blob: Some(clientgen::spec_blob_id(
                    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
                )),
            }
        );
    }
}
