//! Generation at build time: the fixture crate `tests/build-module/`, whose build.rs calls
//! `clientgen::build::generate_module`, compiles with warnings denied and its consumer test
//! calls a loopback server through the generated module. Then the same crate with a broken
//! description, and with a manifest that lacks a feature the module needs: the build fails
//! with the description's path and line, or with the lines to add.
//!
//! Runs in a copy under `target/build-module-crate` (with the workspace's lock file) and the
//! shared `target/generated-check` target dir.

mod common;

use std::path::Path;
use std::process::Command;

use common::root;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a dir");
    for entry in std::fs::read_dir(from).expect("read the fixture") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn a_crate_generates_its_client_in_build_rs() {
    let dir = root().join("target/build-module-crate");
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("tests/build-module"), &dir);
    let manifest_path = dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).expect("manifest");
    let generator = root().join("generator");
    let library = root().join("tests");
    let manifest = manifest
        .replace(
            "path = \"../../generator\"",
            &format!("path = {:?}", generator.to_string_lossy()),
        )
        .replace(
            "path = \"../../tests\"",
            &format!("path = {:?}", library.to_string_lossy()),
        );
    std::fs::write(&manifest_path, &manifest).expect("write the manifest");
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy the lock");

    let (ok, out) = cargo(&dir, &["test", "--quiet"]);
    assert!(ok, "the build-module crate failed:\n{out}");
    assert!(out.contains("1 passed"), "{out}");

    // A broken description: the build fails at its path and line.
    let spec = dir.join("openapi/pets.yaml");
    let good = std::fs::read_to_string(&spec).expect("the description");
    std::fs::write(
        &spec,
        good.replace("- {name: limit, in: query,", "- {name: limit, in: body,"),
    )
    .expect("break it");
    let (ok, out) = cargo(&dir, &["build", "--quiet"]);
    assert!(!ok, "a broken description built:\n{out}");
    assert!(
        out.contains("openapi/pets.yaml:13: error: ")
            && out.contains("at #/paths/~1pets/get/parameters/0/in"),
        "{out}"
    );
    std::fs::write(&spec, &good).expect("restore it");

    // A manifest without a feature the module's code tests: the lines to add.
    std::fs::write(&manifest_path, manifest.replace("serde-all = []\n", "")).expect("write");
    let (ok, out) = cargo(&dir, &["build", "--quiet"]);
    assert!(!ok, "a manifest without serde-all built:\n{out}");
    assert!(out.contains("needs: feature `serde-all`"), "{out}");
    assert!(out.contains("[features]"), "{out}");
}
