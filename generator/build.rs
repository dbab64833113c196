//! Records where this clientgen is built from when that is a git checkout with a remote (its
//! URL and commit), for `clientgen init`: until clientgen is on crates.io, the CI workflow
//! `init` writes installs this same clientgen from there (`src/install.rs`). A build from a
//! package (crates.io, `cargo package`) has no checkout and records nothing.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The absolute path of a file in the git directory (`HEAD`, `refs/heads/main`).
fn git_path(dir: &Path, file: &str) -> Option<String> {
    git(
        dir,
        &["rev-parse", "--path-format=absolute", "--git-path", file],
    )
}

/// A URL another machine can clone: not a local path (a clone's origin on this machine, or
/// the database cargo keeps for `cargo install --git`), which a CI runner cannot reach.
fn reachable(url: &str) -> bool {
    let remote = url.contains("://") || (url.contains('@') && url.contains(':'));
    remote && !url.starts_with("file://")
}

fn main() {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&dir);
    println!("cargo:rerun-if-changed=build.rs");
    // Only a checkout of clientgen itself: a package unpacked inside some other repository
    // (a vendored copy) is not where clientgen comes from.
    let Some(top) = git(dir, &["rev-parse", "--show-toplevel"]) else {
        return;
    };
    if !Path::new(&top).join("generator/Cargo.toml").exists() {
        return;
    }
    // Built again when the commit moves: HEAD, the branch it names, and packed refs.
    for file in ["HEAD", "packed-refs"] {
        if let Some(path) = git_path(dir, file) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        if let Some(path) = git_path(dir, &branch) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let remote = git(dir, &["remote"]).and_then(|names| {
        let names: Vec<&str> = names.lines().collect();
        let name = if names.contains(&"origin") {
            "origin"
        } else {
            names.first()?
        };
        git(dir, &["remote", "get-url", name])
    });
    let remote = remote.filter(|url| reachable(url));
    if let (Some(url), Some(rev)) = (remote, git(dir, &["rev-parse", "HEAD"])) {
        println!("cargo:rustc-env=CLIENTGEN_GIT_URL={url}");
        println!("cargo:rustc-env=CLIENTGEN_GIT_REV={rev}");
    }
}
