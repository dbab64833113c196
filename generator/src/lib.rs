//! clientgen turns an OpenAPI 3.0, 3.1 or 3.2 description into a self-contained async Rust
//! client crate: parse → lower (IR) → emit → render → write.
//!
//! The library's API is small: [`generate`] (and [`generate_sources`] with [`build`] for a
//! build script), [`surface`] and [`diff`] for what a change of description means to
//! consumers, [`write()`] and [`check`] for a crate directory, their options and outputs, and
//! the diagnostics every one of them reports. The stages behind them are private; this
//! workspace's own tests and benchmarks reach them through the `internals` feature, which
//! promises nothing.
#![deny(missing_docs)]
// docs.rs (`--cfg docsrs`, a nightly rustdoc): an item behind a feature says which.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod build;

mod blob;
mod conformance;
mod diag;
mod diff;
mod emit;
mod layout;
mod lines;
mod lower;
mod model;
mod naming;
mod parse;
mod pieces;
mod render;
mod reserved;
mod runtime_files;
mod spelling;
mod surface;
mod write;

use std::time::Instant;

pub use blob::spec_blob_id;
pub use diag::{Diagnostic, Errors, Severity};
pub use diff::{Bump, Change, ChangeKind, Report};
pub use write::OutFile;

/// The stages behind the facade, for this workspace's tests and benchmarks only.
#[cfg(feature = "internals")]
#[doc(hidden)]
#[allow(missing_docs)]
pub mod internals {
    use crate::{Errors, diag, model, parse};

    pub use crate::runtime_files::RUNTIME;

    /// Every name the generated crate already uses somewhere: the reserved names of each
    /// scope, Rust's keywords and the type names of the prelude and the runtime. For tests
    /// that draw a description's names from them.
    pub fn names_in_use() -> Vec<&'static str> {
        let r = crate::reserved::reserved();
        let mut all: Vec<&'static str> = [
            &r.builder,
            &r.client,
            &r.client_builder,
            &r.mock_server,
            &r.mock,
        ]
        .into_iter()
        .flatten()
        .copied()
        .chain(crate::naming::KEYWORDS.iter().copied())
        .chain(crate::naming::RESERVED_TYPE_NAMES.iter().copied())
        .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// A YAML or JSON document as JSON, with duplicate keys refused (the parser descriptions
    /// go through).
    pub fn parse_value(text: &str) -> Result<serde_json::Value, String> {
        parse::parse_value(text)
    }

    /// The document as JSON and each operation's id with its JSON pointer, as lowering
    /// finds them; `None` when the description does not parse.
    pub fn operation_pointers(
        spec_text: &str,
    ) -> Option<(serde_json::Value, Vec<(String, String)>)> {
        let mut diags = diag::Diagnostics::default();
        let parsed =
            parse::parse_on(spec_text, &mut diags, true, true).filter(|_| !diags.has_errors())?;
        let api = crate::lower::lower(&parsed, &mut diags);
        let pointers = api
            .operations
            .iter()
            .map(|op| (op.id.clone(), op.pointer.clone()))
            .collect();
        Some((parsed.raw, pointers))
    }

    /// A description as parsed, for the stage benchmark.
    pub struct Parsed(parse::Parsed);
    /// The IR, for the stage benchmark.
    pub struct Lowered(model::Api);
    /// `src/types.rs`, `src/operations.rs` and `src/client.rs` as emitted, not yet rendered.
    pub struct Emitted(Vec<crate::emit::Emitted>);

    /// The parse stage alone.
    pub fn parse(spec_text: &str) -> Result<Parsed, Errors> {
        let mut diags = diag::Diagnostics::default();
        match parse::parse_on(spec_text, &mut diags, true, true) {
            Some(p) if !diags.has_errors() => Ok(Parsed(p)),
            _ => Err(crate::errors_of(diags, spec_text)),
        }
    }

    /// The lowering stage alone.
    pub fn lower(parsed: &Parsed) -> Lowered {
        Lowered(crate::lower::lower(
            &parsed.0,
            &mut diag::Diagnostics::default(),
        ))
    }

    /// The emit stage alone, on one thread: the types, the operations and the client.
    pub fn emit(api: &Lowered) -> Emitted {
        let api = &api.0;
        let request = api.request_types();
        Emitted(vec![
            crate::emit::emit_types_part(api, &request, 0..api.types.len()),
            crate::emit::emit_operations_part(api, 0..api.operations.len()),
            crate::emit::emit_client(api).into(),
        ])
    }

    /// The render stage alone: each emitted file formatted, as the pipeline does.
    pub fn render(emitted: Emitted) -> Result<Vec<String>, String> {
        emitted
            .0
            .into_iter()
            .map(crate::render::render_emitted)
            .collect()
    }
}
pub use surface::{Surface, SurfaceEntry};
pub use write::{Drift, MARKER, check, write};

/// The public surface of the crate generated from a description (every item a consumer can
/// name, with its signature and JSON pointer), with the description's warnings, or every
/// error found.
pub fn surface(spec_text: &str) -> Result<(Surface, Vec<Diagnostic>), Errors> {
    let (api, warnings) = lower_text(spec_text)?;
    let surface = Surface::of(&api);
    if !surface.clashes().is_empty() {
        return Err(Errors(
            surface
                .clashes()
                .iter()
                .map(|c| Diagnostic {
                    severity: Severity::Error,
                    pointer: "#".into(),
                    message: format!(
                        "two generated items have one name (a clientgen bug; please report it): {c}"
                    ),
                    line: None,
                })
                .collect(),
        ));
    }
    Ok((surface, warnings))
}

/// What changes for a consumer between the crates generated from two descriptions: each
/// item added, removed or changed, whether it breaks consumers, and the semver bump.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    diff::diff_surfaces(old, new)
}

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
fn lower_text(spec_text: &str) -> Result<(model::Api, Vec<Diagnostic>), Errors> {
    let mut diags = diag::Diagnostics::default();
    let Some(parsed) = parse::parse_on(spec_text, &mut diags, true, false) else {
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
    let mut files = pieces::render_files(&api, &options.crate_name, &header, options.jobs)?;
    files.extend(runtime_files::with_header(&header));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // The crate form's dependencies and features, which the including crate needs as they are,
    // without the `mock` feature (its typed mocks need the crate form) and its dependency.
    let manifest = emit::manifest_tables(&api, false);
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

/// Generates a client crate from spec text (YAML or JSON). Every spec problem is reported
/// together in `Errors`, each with its JSON pointer; nothing in the spec makes this panic.
pub fn generate(spec_text: &str, options: &Options) -> Result<Output, Errors> {
    check_crate_name(&options.crate_name)?;
    let mut diags = diag::Diagnostics::default();
    let t0 = Instant::now();
    let parsed = parse::parse_on(
        spec_text,
        &mut diags,
        options.jobs != 1,
        options.conformance_test,
    );
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
    let mut files = pieces::render_files(&api, &options.crate_name, &header, options.jobs)?;
    files.extend(runtime_files::with_header(&header));
    if !api.webhooks.is_empty() {
        let (path, text) = runtime_files::WEBHOOK_SIGNATURES;
        files.push(OutFile {
            path: path.into(),
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
    let (operations, types) = (api.operations.len(), api.types.len());
    // Placing the warnings in the text comes last, at the run's peak of memory: the model is
    // not needed any more.
    drop(api);
    let t3 = Instant::now();
    Ok(Output {
        files,
        warnings: diags.into_vec_placed(spec_text),
        spec_blob,
        operations,
        types,
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
        assert!(
            manifest.contains("\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n"),
            "{manifest}"
        );
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
