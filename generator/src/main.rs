//! The clientgen command line: `clientgen generate [--spec FILE --out DIR --name CRATE] [--check]`.

use std::path::PathBuf;
use std::process::ExitCode;

// Generation allocates and frees millions of small token trees and strings; with the system
// allocator, allocation was a quarter of the time on the 13 MB GitHub spec (perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: clientgen generate [--spec FILE] [--out DIR] [--name CRATE] [--check] [--quiet]
                          [--crate-version X.Y.Z | --bump]
       clientgen diff OLD NEW [--format text|markdown|json] [--version X.Y.Z]

Generates a Rust client crate from an OpenAPI 3.0 or 3.1 description (YAML or JSON).
With no options: spec/stytch-b2b.yaml -> generated-client/ (crate stytch-b2b).

  --spec FILE   the OpenAPI description
  --out DIR     the crate directory to write
  --name CRATE  the generated package name (default: the --out directory's name)
  --check       write nothing; exit 0 if DIR matches, 1 listing stale, missing and extra files
  --quiet       do not print warnings
  --timings     print how long each stage took (parse, lower, emit and render)
  --crate-version V  the generated crate's version (default: the one in DIR/Cargo.toml,
                else 0.1.0)
  --bump        set the version by what changed for consumers since the description the
                crate was last generated from (recorded in DIR/Cargo.toml, read from git)

`diff` compares two descriptions as a consumer of the generated crate sees them: each call,
builder method, type, field and variant added, removed or changed, breaking or additive, and
the semver bump it needs. OLD or NEW may be a git revision of a file: `HEAD:spec/x.yaml`.

  --format F      text (default), markdown (for a pull request or CHANGELOG) or json
  --version V     the crate's current version: also print the next one

Exit codes: 0 success (diff: nothing breaking), 1 --check found differences (diff: something
breaks consumers), 2 bad arguments or a bad spec.";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    name: String,
    check: bool,
    quiet: bool,
    timings: bool,
    crate_version: Option<String>,
    bump: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    match args.next().as_deref() {
        Some("generate") => {}
        Some("-h" | "--help") | None => return Err(String::new()),
        Some(other) => return Err(format!("unknown command `{other}`")),
    }
    let (mut spec, mut out, mut name, mut check, mut quiet, mut timings) =
        (None, None, None, false, false, false);
    let (mut crate_version, mut bump) = (None, false);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--name" => name = Some(value("--name")?),
            "--check" => check = true,
            "--quiet" => quiet = true,
            "--timings" => timings = true,
            "--crate-version" => crate_version = Some(value("--crate-version")?),
            "--bump" => bump = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if bump && (check || crate_version.is_some()) {
        return Err("--bump cannot go with --check or --crate-version".into());
    }
    let defaults = spec.is_none() && out.is_none();
    let spec = spec.unwrap_or_else(|| PathBuf::from("spec/stytch-b2b.yaml"));
    let out = match out {
        Some(o) => o,
        None if defaults => PathBuf::from("generated-client"),
        None => return Err("--out is needed with --spec".into()),
    };
    let name = match name {
        Some(n) => n,
        None if defaults => "stytch-b2b".to_owned(),
        None => out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| "--name is needed when --out has no final component".to_owned())?,
    };
    Ok(Args {
        spec,
        out,
        name,
        check,
        quiet,
        timings,
        crate_version,
        bump,
    })
}

/// The version to generate: `--crate-version`, else the bump `--bump` computes, else the
/// existing manifest's, else 0.1.0.
fn crate_version(args: &Args, spec_text: &str) -> Result<String, String> {
    if let Some(v) = &args.crate_version {
        return Ok(v.clone());
    }
    let manifest = std::fs::read_to_string(args.out.join("Cargo.toml")).ok();
    let info = manifest
        .as_deref()
        .map(clientgen::read_manifest)
        .unwrap_or_default();
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
        println!("the description is the one {current} was generated from: version kept");
        return Ok(current);
    }
    let old_text = read_spec(&blob).map_err(|e| {
        format!(
            "--bump: the description the crate was generated from (git blob {blob}) is not in this repository ({e}); commit it, or set the version with --crate-version after `clientgen diff`"
        )
    })?;
    let old = clientgen::lower_text(&old_text)
        .map_err(|e| format!("--bump: the previous description does not lower:\n{e}"))?
        .0;
    let new = clientgen::lower_text(spec_text)
        .map_err(|e| format!("{}: {} error(s)\n{e}", args.spec.display(), e.0.len()))?
        .0;
    let report = clientgen::diff::diff(&old, &new);
    let next = report
        .next_version(&current)
        .ok_or_else(|| format!("--bump: the crate version `{current}` is not semver"))?;
    print!("{}", report.to_text());
    println!("version: {current} -> {next}");
    Ok(next)
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
                git(&["show", source], source, &e)
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

fn diff_main(mut args: impl Iterator<Item = String>) -> ExitCode {
    let mut sources = Vec::new();
    let mut format = "text".to_owned();
    let mut version = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => match args.next() {
                Some(f) if ["text", "markdown", "json"].contains(&f.as_str()) => format = f,
                _ => {
                    eprintln!("error: --format needs text, markdown or json\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--version" => match args.next() {
                Some(v) => version = Some(v),
                None => {
                    eprintln!("error: --version needs a value\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other if other.starts_with("--") => {
                eprintln!("error: unknown option `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
            _ => sources.push(arg),
        }
    }
    let [old, new] = sources.as_slice() else {
        eprintln!("error: diff needs OLD and NEW\n\n{USAGE}");
        return ExitCode::from(2);
    };
    // Both sides are read and lowered at once, on two threads.
    let (old_api, new_api) = std::thread::scope(|s| {
        let lower = &|source: &String| {
            let text = read_spec(source)?;
            clientgen::lower_text(&text)
                .map(|(api, _)| api)
                .map_err(|errors| format!("{source}: {} error(s)\n{errors}", errors.0.len()))
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
                eprintln!("{e}");
            }
            return ExitCode::from(2);
        }
    };
    let report = clientgen::diff::diff(&old_api, &new_api);
    let mut text = match format.as_str() {
        "markdown" => report.to_markdown(),
        "json" => report.to_json(),
        _ => report.to_text(),
    };
    if let Some(v) = version {
        match report.next_version(&v) {
            Some(next) if format != "json" => {
                text.push_str(&format!("\nnext version: {v} -> {next}\n"))
            }
            Some(_) => {}
            None => {
                eprintln!("error: --version `{v}` is not a semver version");
                return ExitCode::from(2);
            }
        }
    }
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    if report.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let mut raw = std::env::args().skip(1).peekable();
    if raw.peek().map(String::as_str) == Some("diff") {
        raw.next();
        return diff_main(raw);
    }
    let args = match parse_args(raw) {
        Ok(a) => a,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&args.spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.spec.display());
            return ExitCode::from(2);
        }
    };
    let version = match crate_version(&args, &text) {
        Ok(v) => v,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let options = clientgen::Options {
        crate_name: args.name.clone(),
        spec_label: args.spec.display().to_string().replace('\\', "/"),
        jobs: 0,
        crate_version: version,
    };
    let output = match clientgen::generate(&text, &options) {
        Ok(o) => o,
        Err(errors) => {
            eprintln!(
                "{}: {} error(s)\n{errors}",
                args.spec.display(),
                errors.0.len()
            );
            return ExitCode::from(2);
        }
    };
    if args.timings {
        let [parse, lower, emit] = output.timings_us.map(|us| us as f64 / 1000.0);
        eprintln!(
            "timings: parse {parse:.1} ms, lower {lower:.1} ms, emit and render {emit:.1} ms"
        );
    }
    if !args.quiet {
        for w in &output.warnings {
            eprintln!("{}: {w}", args.spec.display());
        }
    }
    let result = if args.check {
        clientgen::write::check(&args.out, &output.files)
    } else {
        clientgen::write::write(&args.out, &output.files)
    };
    let drift = match result {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {}: {e}", args.out.display());
            return ExitCode::from(2);
        }
    };
    let list = |label: &str, paths: &[PathBuf]| {
        for p in paths {
            println!("{label} {}", args.out.join(p).display());
        }
    };
    if args.check {
        if drift.is_empty() {
            println!(
                "{} is up to date with {}",
                args.out.display(),
                args.spec.display()
            );
            return ExitCode::SUCCESS;
        }
        list("stale:  ", &drift.stale);
        list("missing:", &drift.missing);
        list("extra:  ", &drift.extra);
        println!(
            "{} is out of date; run `cargo run -p clientgen -- generate` and commit the result",
            args.out.display()
        );
        return ExitCode::from(1);
    }
    keep_in_git(&text, &output.spec_blob);
    list("wrote:  ", &drift.stale);
    list("created:", &drift.missing);
    list("removed:", &drift.extra);
    println!(
        "{}: {} operations, {} types, {} files ({} changed)",
        args.out.display(),
        output.operations,
        output.types,
        output.files.len(),
        drift.stale.len() + drift.missing.len() + drift.extra.len()
    );
    ExitCode::SUCCESS
}
