//! Emitting and rendering the generated source files in pieces, on a pool of threads.

use crate::diag::{Diagnostic, Errors, Severity};
use crate::{OutFile, conformance, emit, model, render};

/// One piece of a generated file: which file, and which items.
enum Piece {
    /// The whole conformance test, emitted from the schemas the IR carries for it.
    Conformance,
    Lib,
    Client,
    Types(std::ops::Range<usize>),
    Operations(std::ops::Range<usize>),
    /// The typed mocks of the `mock` feature.
    Mocks(std::ops::Range<usize>),
}

/// Splits `0..len` into ranges of at most `size` items (at least one range, maybe empty).
fn chunks(len: usize, size: usize) -> Vec<std::ops::Range<usize>> {
    (0..len.div_ceil(size).max(1))
        .map(|i| (i * size)..((i + 1) * size).min(len))
        .collect()
}

/// Items per piece. Small pieces keep memory flat: each thread emits, parses and prints one
/// piece, then drops its token streams and syntax tree before the next, so the allocator
/// reuses the same pages instead of the kernel zeroing fresh ones. (Whole-file halves on the
/// GitHub spec peaked at 750 MiB, and page faults were a third of the run.)
const TYPES_PER_PIECE: usize = 64;
const OPERATIONS_PER_PIECE: usize = 16;

/// Emits and renders the generated source files in small pieces, on `jobs` threads that take
/// the next piece from a shared counter. Token streams cannot cross threads, so each thread
/// emits the items it renders; the pieces are put back in order afterwards.
///
/// The conformance test, one piece, emitted when the API carries its schemas
/// ([`model::Api::conformance`]), goes first: it is the largest.
pub(crate) fn render_files(
    api: &model::Api,
    crate_name: &str,
    header: &str,
    jobs: usize,
) -> Result<Vec<OutFile>, Errors> {
    let jobs = if jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        jobs
    };
    let request = emit::request_types(api);
    let mut pieces = Vec::new();
    if api.conformance.is_some() {
        pieces.push(Piece::Conformance);
    }
    pieces.extend([Piece::Lib, Piece::Client]);
    pieces.extend(
        chunks(api.types.len(), TYPES_PER_PIECE)
            .into_iter()
            .map(Piece::Types),
    );
    pieces.extend(
        chunks(api.operations.len(), OPERATIONS_PER_PIECE)
            .into_iter()
            .map(Piece::Operations),
    );
    pieces.extend(
        chunks(api.operations.len(), OPERATIONS_PER_PIECE)
            .into_iter()
            .map(Piece::Mocks),
    );
    let render_piece = |piece: &Piece| {
        let emitted: emit::Emitted = match piece {
            Piece::Conformance => conformance::plan(api, crate_name)
                .map(|plan| clientgen_testkit::conformance::emit_conformance(&plan))
                .unwrap_or_default()
                .into(),
            Piece::Lib => emit::emit_lib(api, crate_name).into(),
            Piece::Client => emit::emit_client(api).into(),
            Piece::Types(r) => emit::emit_types_part(api, &request, r.clone()),
            Piece::Operations(r) => emit::emit_operations_part(api, r.clone()).into(),
            Piece::Mocks(r) => emit::emit_mock_part(api, r.clone()).into(),
        };
        render::render_emitted(emitted)
    };
    // Workers take the next piece from a shared counter; the calling thread is one of them.
    // A piece whose worker panicked stays `None` and becomes an error below.
    let threads = jobs.clamp(1, pieces.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(piece) = pieces.get(i) else {
                return done;
            };
            done.push((i, render_piece(piece)));
        }
    };
    let mut rendered: Vec<Option<Result<String, String>>> = vec![None; pieces.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        let mine = std::panic::catch_unwind(std::panic::AssertUnwindSafe(worker));
        for done in std::iter::once(mine).chain(handles.into_iter().map(|h| h.join())) {
            for (i, text) in done.unwrap_or_default() {
                rendered[i] = Some(text);
            }
        }
    });
    let path_of = |piece: &Piece| match piece {
        Piece::Conformance => "tests/conformance/operations.rs",
        Piece::Lib => "src/lib.rs",
        Piece::Client => "src/client.rs",
        Piece::Types(_) => "src/types.rs",
        Piece::Operations(_) => "src/operations.rs",
        Piece::Mocks(_) => "src/mock.rs",
    };
    // Each file is allocated at its final size: growing GitHub's 10 MB `types.rs` by doubling
    // held a copy of it at the end of the run, which is when memory peaks.
    let mut sizes: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (piece, text) in pieces.iter().zip(&rendered) {
        let len = text
            .as_ref()
            .and_then(|t| t.as_ref().ok())
            .map_or(0, String::len);
        *sizes.entry(path_of(piece)).or_insert(header.len() + 1) += len;
    }
    let mut texts: std::collections::BTreeMap<&str, String> = sizes
        .into_iter()
        .map(|(path, size)| (path, String::with_capacity(size)))
        .collect();
    for (piece, text) in pieces.iter().zip(rendered) {
        let path = path_of(piece);
        let text = text
            .unwrap_or_else(|| Err("a rendering thread panicked (a clientgen bug)".into()))
            .map_err(|message| {
                Errors(vec![Diagnostic {
                    severity: Severity::Error,
                    pointer: "#".into(),
                    message: format!("{path}: {message}"),
                    line: None,
                }])
            })?;
        let file = texts.entry(path).or_default();
        if file.is_empty() {
            file.push_str(header);
            file.push('\n');
        }
        file.push_str(&text);
    }
    Ok(texts
        .into_iter()
        .map(|(path, contents)| OutFile {
            path: path.into(),
            contents,
        })
        .collect())
}
