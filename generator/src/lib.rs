//! clientgen turns an OpenAPI 3.0 or 3.1 description into a self-contained async Rust client
//! crate: parse → lower (IR) → emit → render → write.
#![deny(missing_docs)]

pub mod build;
pub mod conformance;
pub mod diag;
pub mod diff;
pub mod emit;
mod lines;
pub mod lower;
pub mod model;
pub mod naming;
pub mod parse;
pub mod render;
pub mod surface;
pub mod write;

use std::path::PathBuf;
use std::time::Instant;

pub use diag::{Diagnostic, Errors, Severity};

/// The runtime copied verbatim into every generated crate, as (path, contents).
pub const RUNTIME: &[(&str, &str)] = &[
    ("src/runtime/mod.rs", include_str!("../runtime/mod.rs")),
    (
        "src/runtime/pagination.rs",
        include_str!("../runtime/pagination.rs"),
    ),
    ("src/runtime/body.rs", include_str!("../runtime/body.rs")),
    (
        "src/runtime/client.rs",
        include_str!("../runtime/client.rs"),
    ),
    (
        "src/runtime/config.rs",
        include_str!("../runtime/config.rs"),
    ),
    ("src/runtime/error.rs", include_str!("../runtime/error.rs")),
    ("src/runtime/hooks.rs", include_str!("../runtime/hooks.rs")),
    ("src/runtime/mock.rs", include_str!("../runtime/mock.rs")),
    (
        "src/runtime/request.rs",
        include_str!("../runtime/request.rs"),
    ),
    (
        "src/runtime/response.rs",
        include_str!("../runtime/response.rs"),
    ),
    ("src/runtime/retry.rs", include_str!("../runtime/retry.rs")),
    (
        "src/runtime/secret.rs",
        include_str!("../runtime/secret.rs"),
    ),
    (
        "src/runtime/streaming.rs",
        include_str!("../runtime/streaming.rs"),
    ),
    ("src/runtime/tls.rs", include_str!("../runtime/tls.rs")),
];

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package name of the generated crate (`stytch-b2b`).
    pub crate_name: String,
    /// How the spec is named in each file's header (`spec/stytch-b2b.yaml`).
    pub spec_label: String,
    /// Threads for emitting and rendering (and, on large descriptions, parsing and hashing);
    /// 0 means one per available core, 1 runs everything on the calling thread. The output is
    /// the same for every value.
    pub jobs: usize,
    /// The generated crate's version. It belongs to the maintainer: the CLI keeps the one in
    /// the existing manifest, or takes `--crate-version`, or `--bump` computes it.
    pub crate_version: String,
    /// The generated crate's licence, an SPDX expression; without it, the one `info.license`
    /// names (3.1's `identifier`, or a `name` that is a common SPDX identifier), else none and
    /// a warning, since crates.io refuses a crate without a licence.
    pub license: Option<String>,
    /// `repository` of the generated manifest.
    pub repository: Option<String>,
    /// `homepage` of the generated manifest.
    pub homepage: Option<String>,
    /// `documentation` of the generated manifest (default: the crate's docs.rs page).
    pub documentation: Option<String>,
    /// Also generate the conformance test (`tests/conformance/`, its `[[test]]` and its
    /// dev-dependencies), which calls every operation against a spec-validating mock: for the
    /// maintainer who runs one. Off by default.
    pub conformance_test: bool,
}

impl Options {
    /// Options with the default version, `0.1.0`, and one thread per core.
    pub fn new(crate_name: impl Into<String>, spec_label: impl Into<String>) -> Options {
        Options {
            crate_name: crate_name.into(),
            spec_label: spec_label.into(),
            jobs: 0,
            crate_version: "0.1.0".into(),
            license: None,
            repository: None,
            homepage: None,
            documentation: None,
            conformance_test: false,
        }
    }
}

/// The git blob id of a description's text (what `git hash-object` prints), recorded in the
/// generated manifest so that `generate --bump` can read the description the crate was last
/// generated from with `git cat-file -p`, without a copy of it.
pub fn spec_blob_id(spec_text: &str) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(format!("blob {}\0", spec_text.len()).as_bytes());
    hasher.update(spec_text.as_bytes());
    hasher.digest().to_string()
}

/// What an existing generated manifest says: the crate version and the blob id of the
/// description it was generated from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManifestInfo {
    /// `[package] version`.
    pub version: Option<String>,
    /// `[package.metadata.clientgen] spec-blob`.
    pub spec_blob: Option<String>,
}

/// Reads the version and the recorded description of a generated `Cargo.toml`.
pub fn read_manifest(text: &str) -> ManifestInfo {
    let mut info = ManifestInfo::default();
    let mut table = "";
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            table = line;
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_owned();
        match (table, key.trim()) {
            ("[package]", "version") => info.version = Some(value),
            ("[package.metadata.clientgen]", "spec-blob") => info.spec_blob = Some(value),
            _ => {}
        }
    }
    info
}

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
fn render_files(
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
        let tokens = match piece {
            Piece::Conformance => conformance::plan(api, crate_name)
                .map(|plan| clientgen_testkit::conformance::emit_conformance(&plan))
                .unwrap_or_default(),
            Piece::Lib => emit::emit_lib(api, crate_name),
            Piece::Client => emit::emit_client(api),
            Piece::Types(r) => emit::emit_types_part(api, &request, r.clone()),
            Piece::Operations(r) => emit::emit_operations_part(api, r.clone()),
            Piece::Mocks(r) => emit::emit_mock_part(api, r.clone()),
        };
        render::render_part(tokens)
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
    let mut texts: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for (piece, text) in pieces.iter().zip(rendered) {
        let path = match piece {
            Piece::Conformance => "tests/conformance/operations.rs",
            Piece::Lib => "src/lib.rs",
            Piece::Client => "src/client.rs",
            Piece::Types(_) => "src/types.rs",
            Piece::Operations(_) => "src/operations.rs",
            Piece::Mocks(_) => "src/mock.rs",
        };
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
        texts
            .entry(path)
            .or_insert_with(|| format!("{header}\n"))
            .push_str(&text);
    }
    Ok(texts
        .into_iter()
        .map(|(path, contents)| OutFile {
            path: path.into(),
            contents,
        })
        .collect())
}

/// One generated file, relative to the crate directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// Path relative to the crate root.
    pub path: PathBuf,
    /// Full contents.
    pub contents: String,
}

/// Generated files, the warnings met on the way, and how long each stage took.
#[derive(Debug, Clone)]
pub struct Output {
    /// The crate's files, sorted by path.
    pub files: Vec<OutFile>,
    /// Warnings: constructs generated with a documented fallback.
    pub warnings: Vec<Diagnostic>,
    /// The git blob id of the description (`spec_blob_id`), as the manifest records it.
    pub spec_blob: String,
    /// Operations generated.
    pub operations: usize,
    /// Named types generated.
    pub types: usize,
    /// Stage timings in microseconds: parse, lower, and emit with render (they run together,
    /// on several threads for large files).
    pub timings_us: [u128; 3],
}

/// Checks that a crate name is a valid Cargo package name.
fn check_crate_name(name: &str) -> Result<(), Errors> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    // Cargo refuses a keyword as a package name, and `use box::..` would not parse.
    let keyword = naming::KEYWORDS.contains(&name.replace('-', "_").as_str());
    let message = if !ok {
        format!(
            "`{name}` is not a valid crate name (ASCII letters, digits, `-` and `_`, starting with a letter)"
        )
    } else if keyword {
        format!("`{name}` is a Rust keyword, which Cargo refuses as a crate name; choose another")
    } else {
        return Ok(());
    };
    Err(Errors(vec![Diagnostic {
        severity: Severity::Error,
        pointer: "--name".into(),
        message,
        line: None,
    }]))
}

/// Parses and lowers: the IR of a description, with its warnings, or every error found.
pub fn lower_text(spec_text: &str) -> Result<(model::Api, Vec<Diagnostic>), Errors> {
    let mut diags = diag::Diagnostics::default();
    let Some(parsed) = parse::parse(spec_text, &mut diags) else {
        return Err(errors_of(diags, spec_text));
    };
    let api = lower_parsed(spec_text, parsed, &mut diags, false)?;
    Ok((api, diags.into_vec_placed(spec_text)))
}

/// Lowers a parsed document, with the conformance test's schemas if asked, and frees it: the
/// model owns everything rendering needs, so rendering reuses the document's memory (peak on
/// the GitHub spec 294 -> 214 MiB). Every error found, placed in the text.
fn lower_parsed(
    spec_text: &str,
    parsed: parse::Parsed,
    diags: &mut diag::Diagnostics,
    conformance_schemas: bool,
) -> Result<model::Api, Errors> {
    let api = lower::lower_with(&parsed, diags, conformance_schemas);
    drop(parsed);
    if diags.has_errors() {
        return Err(errors_of(std::mem::take(diags), spec_text));
    }
    Ok(api)
}

/// The sources of the module form (see [`build`]): the crate's `src/` files without API
/// features (every operation is compiled), and no manifest, README or conformance test.
/// `options.crate_name` names the crate in nothing but the dropped crate docs.
pub fn generate_sources(spec_text: &str, options: &Options) -> Result<Sources, Errors> {
    let (mut api, warnings) = lower_text(spec_text)?;
    // A module has no cargo features of its own: nothing is gated. Which serde impls each
    // type needs stays as it was.
    let features = std::mem::take(&mut api.features);
    api.features.sent = features.sent;
    api.features.received = features.received;
    let label = options.spec_label.replace(['\n', '\r'], " ");
    let header = format!("// {} from {label}. DO NOT EDIT.", write::MARKER);
    let mut files = render_files(&api, &options.crate_name, &header, options.jobs)?;
    for (path, text) in RUNTIME {
        files.push(OutFile {
            path: (*path).into(),
            contents: format!("{header}\n{text}"),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // The crate form's dependencies and features, which the including crate needs as they are.
    let mut manifest = emit::emit_manifest(&api, "x", "0.1.0", "", "", &Default::default());
    manifest.drain(..manifest.find("\n[dependencies]\n").map_or(0, |at| at + 1));
    // The module form has no `mock` feature (its typed mocks need the crate form's feature):
    // neither it nor its dependency is needed.
    let manifest: String = manifest
        .lines()
        .filter(|l| {
            let mock_line = l.starts_with("wiremock ")
                || l.starts_with("mock = ")
                || (l.starts_with('#') && l.contains("mock"));
            !mock_line
        })
        .map(|l| format!("{l}\n"))
        .collect();
    Ok(Sources {
        files,
        manifest,
        warnings,
    })
}

/// What [`generate_sources`] returns.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The crate form's `src/` files, sorted by path.
    pub files: Vec<OutFile>,
    /// The `[dependencies]` and `[features]` sections the code needs.
    pub manifest: String,
    /// Warnings: constructs generated with a documented fallback.
    pub warnings: Vec<Diagnostic>,
}

/// Parses only, for benchmarks and the parse stage's tests.
pub fn parse_stage(spec_text: &str) -> Result<parse::Parsed, Errors> {
    let mut diags = diag::Diagnostics::default();
    match parse::parse(spec_text, &mut diags) {
        Some(p) if !diags.has_errors() => Ok(p),
        _ => Err(Errors(
            diags
                .into_vec()
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect(),
        )),
    }
}

/// Generates a client crate from spec text (YAML or JSON). Every spec problem is reported
/// together in `Errors`, each with its JSON pointer; nothing in the spec makes this panic.
pub fn generate(spec_text: &str, options: &Options) -> Result<Output, Errors> {
    check_crate_name(&options.crate_name)?;
    let mut diags = diag::Diagnostics::default();
    let t0 = Instant::now();
    let parsed = parse::parse_on(spec_text, &mut diags, options.jobs != 1);
    let t1 = Instant::now();
    let Some(parsed) = parsed else {
        return Err(errors_of(diags, spec_text));
    };
    // The description's blob id hashes all its text (15 ms for the 13 MB GitHub spec): on a
    // large one it is computed beside lowering, which leaves a core idle. (Beside parsing, it
    // would take that core from the second half of the typed document.)
    let stages = Stages { t0, t1, diags };
    if options.jobs == 1 || spec_text.len() < parse::TWO_HALVES_FROM {
        return lower_and_render(spec_text, options, parsed, stages, || {
            spec_blob_id(spec_text)
        });
    }
    std::thread::scope(|scope| {
        let blob = scope.spawn(|| spec_blob_id(spec_text));
        lower_and_render(spec_text, options, parsed, stages, move || {
            blob.join().unwrap_or_else(|_| spec_blob_id(spec_text))
        })
    })
}

/// What parsing leaves for the later stages: its start and end, and its diagnostics.
struct Stages {
    t0: Instant,
    t1: Instant,
    diags: diag::Diagnostics,
}

/// The errors among `diags`, placed in the text.
fn errors_of(diags: diag::Diagnostics, spec_text: &str) -> Errors {
    Errors(
        diags
            .into_vec_placed(spec_text)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect(),
    )
}

/// `generate` after parsing, with the blob id of the text from `blob`.
fn lower_and_render(
    spec_text: &str,
    options: &Options,
    parsed: parse::Parsed,
    stages: Stages,
    blob: impl FnOnce() -> String,
) -> Result<Output, Errors> {
    let Stages { t0, t1, mut diags } = stages;
    let api = lower_parsed(spec_text, parsed, &mut diags, options.conformance_test)?;
    let t2 = Instant::now();
    let label = options.spec_label.replace(['\n', '\r'], " ");
    let header = format!("// {} from {label}. DO NOT EDIT.", write::MARKER);
    let mut files = render_files(&api, &options.crate_name, &header, options.jobs)?;
    for (path, text) in RUNTIME {
        files.push(OutFile {
            path: (*path).into(),
            contents: format!("{header}\n{text}"),
        });
    }
    let spec_blob = blob();
    let license = match (&options.license, &api.license) {
        (Some(l), _) => Some(l.clone()),
        (None, model::License::Spdx(l)) => Some(l.clone()),
        (None, model::License::Named(name)) => {
            diags.warn(
                "#/info/license/name",
                format!(
                    "`{name}` is not an SPDX licence identifier clientgen knows: the crate has no `license`, which crates.io requires; pass --license"
                ),
            );
            None
        }
        (None, model::License::None) => {
            diags.warn(
                "#/info",
                "no `info.license`: the crate has no `license`, which crates.io requires; pass --license",
            );
            None
        }
    };
    let meta = emit::PackageMeta {
        license,
        repository: options.repository.clone(),
        homepage: options.homepage.clone(),
        documentation: options.documentation.clone(),
    };
    let mut manifest = emit::emit_manifest(
        &api,
        &options.crate_name,
        &options.crate_version,
        &spec_blob,
        &header.replacen("//", "#", 1),
        &meta,
    );
    files.push(OutFile {
        path: "README.md".into(),
        contents: emit::emit_readme(
            &api,
            &options.crate_name,
            &options.crate_version,
            &format!("<!-- {} from {label}. DO NOT EDIT. -->", write::MARKER),
        ),
    });
    if api.conformance.is_some() {
        manifest.push_str(clientgen_testkit::conformance::DEV_DEPENDENCIES);
        files.push(OutFile {
            path: "tests/conformance/main.rs".into(),
            contents: clientgen_testkit::conformance::main_file(&header),
        });
    }
    files.push(OutFile {
        path: "Cargo.toml".into(),
        contents: manifest,
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let t3 = Instant::now();
    Ok(Output {
        files,
        warnings: diags.into_vec_placed(spec_text),
        spec_blob,
        operations: api.operations.len(),
        types: api.types.len(),
        timings_us: [
            (t1 - t0).as_micros(),
            (t2 - t1).as_micros(),
            (t3 - t2).as_micros(),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_blob_id_is_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            spec_blob_id("hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn keywords_and_bad_characters_are_refused_as_crate_names() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        for (name, says) in [
            ("box", "keyword"),
            ("self", "keyword"),
            ("9lives", "not a valid"),
        ] {
            let Err(errors) = generate(spec, &Options::new(name, "t")) else {
                panic!("`{name}` was accepted");
            };
            assert!(
                errors.0[0].message.contains(says),
                "{name}: {}",
                errors.0[0].message
            );
            assert_eq!(errors.0[0].pointer, "--name");
        }
        assert!(generate(spec, &Options::new("box-api", "t")).is_ok());
    }

    #[test]
    fn a_generated_manifest_gives_back_its_version_and_description() {
        let output = generate(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
            &Options {
                crate_version: "1.4.0-beta.1".into(),
                ..Options::new("x", "t")
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
                spec_blob: Some(spec_blob_id(
                    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
                )),
            }
        );
    }

    fn manifest_and_warnings(spec: &str, options: &Options) -> (String, Vec<String>) {
        let output = generate(spec, options).expect("generates");
        let manifest = output
            .files
            .iter()
            .find(|f| f.path == std::path::Path::new("Cargo.toml"))
            .expect("a manifest")
            .contents
            .clone();
        let warnings = output.warnings.iter().map(ToString::to_string).collect();
        (manifest, warnings)
    }

    #[test]
    fn the_licence_comes_from_the_option_or_info_license_else_a_warning() {
        let options = Options::new("x", "t");
        let doc = |version: &str, license: &str| {
            format!("openapi: {version}\ninfo:\n  title: t\n  version: '1'\n{license}paths: {{}}\n")
        };
        // 3.1: the SPDX identifier.
        let (manifest, warnings) = manifest_and_warnings(
            &doc(
                "3.1.0",
                "  license: {name: Apache License, identifier: Apache-2.0}\n",
            ),
            &options,
        );
        assert!(
            manifest.contains("\nlicense = \"Apache-2.0\"\n"),
            "{manifest}"
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        // 3.0: a name that is a common SPDX identifier, spaces read as dashes.
        let (manifest, _) =
            manifest_and_warnings(&doc("3.0.3", "  license: {name: Apache 2.0}\n"), &options);
        assert!(
            manifest.contains("\nlicense = \"Apache-2.0\"\n"),
            "{manifest}"
        );
        // A name that is not one: no licence, and a warning at the name's line.
        let (manifest, warnings) =
            manifest_and_warnings(&doc("3.0.3", "  license: {name: Proprietary}\n"), &options);
        assert!(!manifest.contains("\nlicense ="), "{manifest}");
        assert_eq!(
            warnings,
            [
                "warning: `Proprietary` is not an SPDX licence identifier clientgen knows: the crate has no `license`, which crates.io requires; pass --license at #/info/license/name (line 5)"
            ]
        );
        // No licence at all: a warning at `info`.
        let (manifest, warnings) = manifest_and_warnings(&doc("3.0.3", ""), &options);
        assert!(!manifest.contains("\nlicense ="), "{manifest}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("no `info.license`"), "{warnings:?}");
        // The option wins over the description, and needs no warning.
        let (manifest, warnings) = manifest_and_warnings(
            &doc("3.0.3", "  license: {name: Proprietary}\n"),
            &Options {
                license: Some("MIT OR Apache-2.0".into()),
                ..options.clone()
            },
        );
        assert!(
            manifest.contains("\nlicense = \"MIT OR Apache-2.0\"\n"),
            "{manifest}"
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn the_manifest_links_to_what_the_options_say_and_to_docs_rs_by_default() {
        let spec =
            "openapi: 3.0.3\ninfo: {title: t, version: '1', license: {name: MIT}}\npaths: {}\n";
        let (manifest, _) = manifest_and_warnings(spec, &Options::new("pets", "t"));
        assert!(
            manifest.contains("\ndocumentation = \"https://docs.rs/pets\"\n"),
            "{manifest}"
        );
        assert!(!manifest.contains("\nrepository ="), "{manifest}");
        assert!(manifest.contains("[package.metadata.docs.rs]\n# Every TLS choice and every part of the API in the documentation.\nall-features = true\n"), "{manifest}");
        let (manifest, _) = manifest_and_warnings(
            spec,
            &Options {
                repository: Some("https://example.com/pets \"client\"".into()),
                homepage: Some("https://pets.example.com".into()),
                documentation: Some("https://docs.example.com/pets".into()),
                ..Options::new("pets", "t")
            },
        );
        assert!(
            manifest.contains("\nrepository = \"https://example.com/pets \\\"client\\\"\"\n"),
            "{manifest}"
        );
        assert!(
            manifest.contains("\nhomepage = \"https://pets.example.com\"\n"),
            "{manifest}"
        );
        assert!(
            manifest.contains("\ndocumentation = \"https://docs.example.com/pets\"\n"),
            "{manifest}"
        );
    }
}
