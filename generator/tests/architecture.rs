//! ARCHITECTURE.md stays a map of the code: every source file of the generator and of the
//! runtime is named there, and every `.rs` file it names exists.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read a source dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `.rs` names in backticks in `text` (`lower/bodies.rs`, `client.rs`).
fn named_files(text: &str) -> Vec<&str> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.ends_with(".rs") && !s.starts_with('.') && !s.contains([' ', '*']))
        .collect()
}

#[test]
fn every_source_file_is_in_the_code_map_and_every_named_file_exists() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let named = named_files(&doc);
    let generator = root().join("generator");
    let mut files = Vec::new();
    rust_files(&generator.join("src"), &mut files);
    rust_files(&generator.join("runtime"), &mut files);
    files.push(generator.join("build.rs"));
    files.sort();
    let mut unnamed = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&generator).expect("under generator/");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let name = file
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        // A file is named by its name, or by a path that ends with its path below `src/`.
        let below_src = rel
            .trim_start_matches("src/")
            .trim_start_matches("runtime/");
        let found = named
            .iter()
            .any(|n| *n == name || n.ends_with(&format!("/{below_src}")) || *n == below_src);
        if !found {
            unnamed.push(rel);
        }
    }
    assert!(
        unnamed.is_empty(),
        "files ARCHITECTURE.md does not name (add them to the code map or their stage's section): {unnamed:?}"
    );
    let mut absent = Vec::new();
    let mut all = Vec::new();
    for dir in ["generator", "tests", "testkit", "generated-client", "bench"] {
        let dir = root().join(dir);
        if dir.is_dir() {
            rust_files(&dir, &mut all);
        }
    }
    for n in &named {
        let exists = all.iter().any(|f| {
            let f = f.to_string_lossy().replace('\\', "/");
            !f.contains("/target/") && (f.ends_with(&format!("/{n}")) || f == *n)
        });
        if !exists {
            absent.push(*n);
        }
    }
    assert!(
        absent.is_empty(),
        "ARCHITECTURE.md names files that do not exist: {absent:?}"
    );
}
