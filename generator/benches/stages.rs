//! Each generator stage on its own (parse, lower, emit, render, on one thread), then the whole
//! pipeline as the CLI runs it, for our Stytch spec and,
//! where `../shared` is present, oxide-nexus (193 operations) and the 13 MB GitHub spec.
//!
//! `cargo bench -p clientgen --bench stages` (unpack the corpus first:
//! `../shared/unpack-corpus target/corpus`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use clientgen::internals;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

// The CLI's allocator, so that the stages are measured as the CLI runs them (with the system
// allocator the GitHub spec takes about 1.8 times as long).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn specs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let mut out = vec![("stytch-b2b".to_owned(), root.join("spec/stytch-b2b.yaml"))];
    let corpus = root.join("target/corpus/openapi-3.0");
    for (name, file) in [
        ("nexus", "oxide-nexus.json"),
        ("github", "github-api.github.com-octokit.json"),
    ] {
        let path: PathBuf = corpus.join(file);
        if path.exists() {
            out.push((name.to_owned(), path));
        } else {
            eprintln!(
                "skipping {name}: {} is missing (run ../shared/unpack-corpus target/corpus)",
                path.display()
            );
        }
    }
    out.into_iter()
        .map(|(n, p)| (n, std::fs::read_to_string(p).expect("read the spec")))
        .collect()
}

fn stages(c: &mut Criterion) {
    for (name, text) in specs() {
        let mut group = c.benchmark_group(&name);
        if text.len() > 1_000_000 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(20));
        }
        group.bench_function("parse", |b| {
            b.iter(|| internals::parse(&text).expect("parses"))
        });
        let parsed = internals::parse(&text).expect("parses");
        group.bench_function("lower", |b| b.iter(|| internals::lower(&parsed)));
        let api = internals::lower(&parsed);
        group.bench_function("emit", |b| b.iter(|| internals::emit(&api)));
        group.bench_function("render", |b| {
            b.iter_batched(
                || internals::emit(&api),
                |emitted| internals::render(emitted).expect("renders"),
                BatchSize::LargeInput,
            )
        });
        // The whole pipeline as the CLI runs it: emit and render in pieces on every core.
        let options = clientgen::Options {
            jobs: 0,
            ..clientgen::Options::new("bench", "bench")
        };
        group.bench_function("generate (all stages, all cores)", |b| {
            b.iter(|| clientgen::generate(&text, &options).expect("generates"))
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
