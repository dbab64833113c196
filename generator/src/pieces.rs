//! Emitting and rendering the generated source files in pieces, on a pool of threads.

use crate::diag::{Diagnostic, Errors, Severity};
use crate::write::OutFile;
use crate::{conformance, emit, model, render};

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
    /// The `webhooks` module.
    Webhooks,
}

/// Rendered pieces waiting for the ones before them, and the files so far.
struct Assembly<'a> {
    rendered: Vec<Option<Result<String, String>>>,
    /// The first piece not yet appended.
    next: usize,
    texts: std::collections::BTreeMap<&'a str, String>,
    /// The first piece that failed, with its file.
    error: Option<String>,
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
    if !api.webhooks.is_empty() {
        pieces.push(Piece::Webhooks);
    }
    let render_piece = |piece: &Piece| {
        let emitted: emit::Emitted = match piece {
            Piece::Conformance => conformance::plan(api, crate_name)
                .map(|plan| clientgen_testkit::conformance::emit_conformance(&plan))
                .unwrap_or_default()
                .into(),
            Piece::Lib => emit::emit_lib(api, crate_name).into(),
            Piece::Client => emit::emit_client(api).into(),
            Piece::Types(r) => emit::emit_types_part(api, &request, r.clone()),
            Piece::Operations(r) => emit::emit_operations_part(api, r.clone()),
            Piece::Mocks(r) => emit::emit_mock_part(api, r.clone()),
            Piece::Webhooks => emit::emit_webhooks(api).into(),
        };
        render::render_emitted(emitted)
    };
    let path_of = |i: usize| match pieces[i] {
        Piece::Conformance => "tests/conformance/operations.rs",
        Piece::Lib => "src/lib.rs",
        Piece::Client => "src/client.rs",
        Piece::Types(_) => "src/types.rs",
        Piece::Operations(_) => "src/operations.rs",
        Piece::Mocks(_) => "src/mock.rs",
        Piece::Webhooks => "src/webhooks.rs",
    };
    let mut pieces_of: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for i in 0..pieces.len() {
        *pieces_of.entry(path_of(i)).or_default() += 1;
    }
    // Rendered pieces are appended to their file in order as soon as every piece before them
    // is, and dropped: the pieces of a file and the whole file never all live at once (at the
    // end of a run, where memory peaks; GitHub's files are 17 MB). A file is sized from its
    // first piece times its number of pieces, so that it rarely grows by copying.
    let assembly = std::sync::Mutex::new(Assembly {
        rendered: (0..pieces.len()).map(|_| None).collect(),
        next: 0,
        texts: std::collections::BTreeMap::new(),
        error: None,
    });
    let append_ready = |a: &mut Assembly| {
        while let Some(slot) = a.rendered.get_mut(a.next) {
            let Some(text) = slot.take() else {
                break;
            };
            let path = path_of(a.next);
            a.next += 1;
            match text {
                Ok(text) => {
                    let file = a.texts.entry(path).or_insert_with(|| {
                        let mut file =
                            String::with_capacity(header.len() + 1 + text.len() * pieces_of[path]);
                        file.push_str(header);
                        file.push('\n');
                        file
                    });
                    file.push_str(&text);
                }
                Err(message) => {
                    a.error.get_or_insert_with(|| format!("{path}: {message}"));
                }
            }
        }
    };
    // Workers take the next piece from a shared counter; the calling thread is one of them.
    // A piece whose worker panicked stays unrendered and becomes an error below.
    let threads = jobs.clamp(1, pieces.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(piece) = pieces.get(i) else {
                return;
            };
            let text = render_piece(piece);
            let mut a = assembly.lock().unwrap_or_else(|e| e.into_inner());
            a.rendered[i] = Some(text);
            append_ready(&mut a);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|| {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(worker));
            });
        }
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(worker));
    });
    let Assembly {
        next, texts, error, ..
    } = assembly.into_inner().unwrap_or_else(|e| e.into_inner());
    let error = error.or_else(|| {
        (next < pieces.len()).then(|| {
            format!(
                "{}: a rendering thread panicked (a clientgen bug)",
                path_of(next)
            )
        })
    });
    if let Some(message) = error {
        return Err(Errors(vec![Diagnostic {
            severity: Severity::Error,
            pointer: "#".into(),
            message,
            line: None,
        }]));
    }
    Ok(texts
        .into_iter()
        .map(|(path, contents)| OutFile {
            path: path.into(),
            contents,
        })
        .collect())
}
