//! Allocation budgets: a regression that a noisy clock hides shows in what generation allocates.
//!
//! Generates the corpus descriptions listed in `tests/alloc-budget.txt` on the calling thread
//! (`jobs: 1`) under a counting global allocator, and fails when the number of allocations or
//! the bytes allocated grow more than 10 % past the budget recorded there. The counts are the
//! same on every run of the same code: nothing here depends on timing or on thread scheduling.
//!
//! The descriptions come from the shared corpus (`../shared`, unpacked into `target/corpus`);
//! without it the test is skipped, except under `CI=true`, where it fails.
//!
//! To change a budget on purpose (a feature that must allocate more, or a saving to lock in),
//! run `UPDATE_ALLOC_BUDGET=1 cargo test -p clientgen --test alloc_budget`: it prints the new
//! numbers and writes them to `tests/alloc-budget.txt`; commit that file with the change and
//! say why in the message.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts the allocations (and reallocations) of the threads that switched counting on.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn count(size: usize) {
    // `try_with`: a thread being torn down has no locals left, and counts nothing.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(size as u64, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and bytes allocated while `f` runs on this thread.
fn measure<T>(f: impl FnOnce() -> T) -> (T, u64, u64) {
    let (a0, b0) = (
        ALLOCATIONS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (
        out,
        ALLOCATIONS.load(Ordering::Relaxed) - a0,
        BYTES.load(Ordering::Relaxed) - b0,
    )
}

/// Growth past the budget that fails the test.
const TOLERANCE: f64 = 0.10;

struct Budget {
    /// Path below the corpus directory.
    spec: String,
    allocations: u64,
    bytes: u64,
}

fn read_budgets(text: &str) -> Vec<Budget> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            let [spec, allocations, bytes] = fields[..] else {
                panic!("alloc-budget.txt: `{l}` is not `SPEC ALLOCATIONS BYTES`");
            };
            let number = |s: &str| {
                s.replace('_', "")
                    .parse::<u64>()
                    .unwrap_or_else(|_| panic!("alloc-budget.txt: `{s}` is not a number"))
            };
            Budget {
                spec: spec.to_owned(),
                allocations: number(allocations),
                bytes: number(bytes),
            }
        })
        .collect()
}

/// `12345678` as `12_345_678`, as the budget file writes numbers.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}

/// The unpacked corpus, unpacking it from `../shared` when needed; `None` (after saying why)
/// when there is no corpus and the test is to be skipped.
fn corpus(root: &Path) -> Option<PathBuf> {
    let corpus = root.join("target/corpus");
    if corpus.join("openapi-3.0").is_dir() {
        return Some(corpus);
    }
    let unpack = root.join("../shared/unpack-corpus");
    if unpack.exists() {
        let status = std::process::Command::new(&unpack)
            .arg(&corpus)
            .current_dir(root)
            .status()
            .expect("runs ../shared/unpack-corpus");
        assert!(status.success(), "../shared/unpack-corpus failed: {status}");
        return Some(corpus);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "allocation budgets: no corpus ({} is absent) under CI=true; CI must provide ../shared",
            unpack.display()
        );
    }
    eprintln!(
        "allocation budgets: SKIPPED, no corpus (neither target/corpus nor ../shared/unpack-corpus)"
    );
    None
}

#[test]
#[ignore = "needs ../shared: run by `cargo test-shared`"]
fn generation_stays_within_its_allocation_budget() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest_dir.parent().expect("the workspace root");
    let Some(corpus) = corpus(root) else {
        return;
    };
    let budget_file = manifest_dir.join("tests/alloc-budget.txt");
    let budget_text = std::fs::read_to_string(&budget_file).expect("tests/alloc-budget.txt");
    let budgets = read_budgets(&budget_text);
    let update = std::env::var_os("UPDATE_ALLOC_BUDGET").is_some();

    let mut measured = Vec::new();
    let mut over = Vec::new();
    for budget in &budgets {
        let text = std::fs::read_to_string(corpus.join(&budget.spec))
            .unwrap_or_else(|e| panic!("{}: {e}", budget.spec));
        let options = clientgen::Options {
            jobs: 1,
            ..clientgen::Options::new("budget", budget.spec.as_str())
        };
        let started = std::time::Instant::now();
        let (output, allocations, bytes) = measure(|| clientgen::generate(&text, &options));
        let elapsed = started.elapsed();
        output.unwrap_or_else(|e| panic!("{}: {e}", budget.spec));
        eprintln!(
            "{}: {} allocations (budget {}), {} bytes (budget {}), {:.1} s",
            budget.spec,
            grouped(allocations),
            grouped(budget.allocations),
            grouped(bytes),
            grouped(budget.bytes),
            elapsed.as_secs_f64()
        );
        for (what, now, allowed) in [
            ("allocations", allocations, budget.allocations),
            ("bytes allocated", bytes, budget.bytes),
        ] {
            let limit = allowed as f64 * (1.0 + TOLERANCE);
            if now as f64 > limit {
                over.push(format!(
                    "{}: {what} {} is {:+.1} % over the budget {}",
                    budget.spec,
                    grouped(now),
                    (now as f64 / allowed as f64 - 1.0) * 100.0,
                    grouped(allowed)
                ));
            } else if (now as f64) < allowed as f64 * (1.0 - TOLERANCE) {
                eprintln!(
                    "  {what} is {:.1} % under the budget: lock the saving in with UPDATE_ALLOC_BUDGET=1",
                    (1.0 - now as f64 / allowed as f64) * 100.0
                );
            }
        }
        measured.push((budget.spec.clone(), allocations, bytes));
    }

    if update {
        // Keep the comment lines, replace the numbers.
        let mut text: String = budget_text
            .lines()
            .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        for (spec, allocations, bytes) in &measured {
            text.push_str(&format!(
                "{spec} {} {}\n",
                grouped(*allocations),
                grouped(*bytes)
            ));
        }
        print!("new allocation budgets:\n{text}");
        std::fs::write(&budget_file, text).expect("writes tests/alloc-budget.txt");
        return;
    }
    assert!(
        over.is_empty(),
        "generation allocates more than its budget (more than {:.0} % over):\n  {}\n\
         Find the cause first (bench/regression.sh compares with a previous release). If the \
         growth is meant, update the budget on purpose: \
         `UPDATE_ALLOC_BUDGET=1 cargo test -p clientgen --test alloc_budget` rewrites \
         generator/tests/alloc-budget.txt; commit it with the change and say why.",
        TOLERANCE * 100.0,
        over.join("\n  ")
    );
}
