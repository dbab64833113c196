//! `clientgen diff` over the whole published history of Stytch's OpenAPI description
//! (`../shared/specs/stytch/history.tar.xz`, 21 versions): the report for every consecutive
//! pair is a snapshot, so a change in what counts as breaking shows up in review. Skips,
//! saying so, where `../shared` is absent.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::root;

fn history() -> Option<Vec<PathBuf>> {
    let tarball = root().join("../shared/specs/stytch/history.tar.xz");
    if !tarball.exists() {
        return None;
    }
    let dir = root().join("target/stytch-history");
    std::fs::create_dir_all(&dir).expect("create target/stytch-history");
    let status = Command::new("tar")
        .arg("-xJf")
        .arg(&tarball)
        .arg("-C")
        .arg(&dir)
        .status()
        .expect("run tar");
    assert!(
        status.success(),
        "tar could not unpack {}",
        tarball.display()
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("stytch-history"))
        .expect("the tarball holds stytch-history/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    Some(files)
}

#[test]
#[ignore = "needs ../shared: run by `cargo test-shared`"]
fn every_update_of_stytchs_description_is_reported_in_rust_terms() {
    let Some(files) = history() else {
        common::skip_or_fail("../shared/specs/stytch/history.tar.xz is not beside this checkout");
        return;
    };
    assert_eq!(files.len(), 21, "the history has 21 versions");
    // Lowered on two threads: each version is 1.5 MB of YAML.
    let half = files.len() / 2;
    let lower = |list: &[PathBuf]| -> Vec<clientgen::Surface> {
        list.iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("read a version");
                clientgen::surface(&text)
                    .unwrap_or_else(|e| panic!("{} does not lower: {e}", p.display()))
                    .0
            })
            .collect()
    };
    let (mut apis, rest) = std::thread::scope(|s| {
        let first = s.spawn(|| lower(&files[..half]));
        let rest = lower(&files[half..]);
        (first.join().expect("lowering thread"), rest)
    });
    apis.extend(rest);
    let name = |p: &PathBuf| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut summary = String::new();
    for i in 0..files.len() - 1 {
        let report = clientgen::diff(&apis[i], &apis[i + 1]);
        let label = format!("{}..{}", name(&files[i]), name(&files[i + 1]));
        summary.push_str(&format!(
            "{label}: {}\n",
            report.to_text().lines().next().unwrap_or_default()
        ));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(label.replace("..", "_to_"));
        settings.bind(|| insta::assert_snapshot!("stytch_history", report.to_text()));
    }
    insta::assert_snapshot!("stytch_history_summary", summary);
}
