//! Generation at build time: a description becomes one module of the calling crate, written
//! into `OUT_DIR` by that crate's `build.rs`.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), clientgen::build::BuildError> {
//!     clientgen::build::generate_module("openapi/petstore.yaml", "petstore")?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs: the module path given above (`petstore`, at the crate root).
//! pub mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! }
//! ```
//!
//! The module is the crate form's `src/` in one file: the client, the operations, the types
//! and the runtime as the submodule `runtime`, every `crate::` path rewritten to go through
//! the module. It needs the crate form's dependencies and features in the including crate's
//! manifest ([`Module::manifest`] prints them); [`generate_module`] checks the manifest for
//! them and fails the build with the lines to add when some are missing.
//!
//! What differs from the crate form: there are no features per namespace (every operation
//! is compiled: a large API is better served by the crate form, whose features compile only
//! the parts a consumer names), no crate docs, README or conformance test, and the
//! `User-Agent` names the including crate. The code is regenerated on every change of the
//! description, so nothing generated is committed and `generate --check` has nothing to check.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Diagnostic, Errors, Options, Severity};

/// The module form of a description's client.
#[derive(Debug, Clone)]
pub struct Module {
    /// The module's source: the contents of the file to `include!`.
    pub source: String,
    /// The `[dependencies]` and `[features]` the including crate needs.
    pub manifest: String,
    /// Warnings: constructs generated with a documented fallback.
    pub warnings: Vec<Diagnostic>,
}

/// Generates the module form of `spec_text`, to be included at `module` (a path from the
/// crate root: `petstore`, `api::petstore`). `spec_label` names the description in the header.
pub fn module_source(spec_text: &str, spec_label: &str, module: &str) -> Result<Module, Errors> {
    let segments: Vec<&str> = module.split("::").collect();
    let valid = segments.iter().all(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !crate::naming::KEYWORDS.contains(s)
    });
    if !valid {
        return Err(error(
            "module",
            format!("`{module}` is not a module path (`petstore` or `api::petstore`)"),
        ));
    }
    let options = Options::new(segments[segments.len() - 1].replace('_', "-"), spec_label);
    let sources = crate::generate_sources(spec_text, &options)?;
    let prefix = format!("crate::{module}::");
    let mut files = std::collections::BTreeMap::new();
    for f in &sources.files {
        let path = f.path.to_string_lossy().replace('\\', "/");
        let Some(path) = path.strip_prefix("src/").map(str::to_owned) else {
            continue;
        };
        let text = rewrite_crate_paths(&f.contents, &prefix);
        let file = syn::parse_file(&text).map_err(|e| {
            error(
                "#",
                format!("{path} of the module does not parse (a clientgen bug): {e}"),
            )
        })?;
        files.insert(path, file);
    }
    let mut lib = files.remove("lib.rs").ok_or_else(|| {
        error(
            "#",
            "no lib.rs to make the module of (a clientgen bug)".into(),
        )
    })?;
    // Inner attributes (the crate docs, `forbid(unsafe_code)`) cannot stand at the top of an
    // included file.
    lib.attrs.clear();
    lib.items = inline_modules(lib.items, "", &mut files)?;
    let header = format!(
        "// {} from {}. DO NOT EDIT.\n// The module `{module}`: include it with `include!` inside `mod {}`.\n",
        crate::write::MARKER,
        spec_label.replace(['\n', '\r'], " "),
        segments[segments.len() - 1]
    );
    Ok(Module {
        source: header + &prettyplease::unparse(&lib),
        manifest: sources.manifest,
        warnings: sources.warnings,
    })
}

fn error(pointer: &str, message: String) -> Errors {
    Errors(vec![Diagnostic {
        severity: Severity::Error,
        pointer: pointer.into(),
        message,
        line: None,
    }])
}

/// `crate::` (and `$crate::` in macros) becomes `prefix`, where `crate` is a whole word.
fn rewrite_crate_paths(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let word_start = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        out.push_str(&rest[..at]);
        out.push_str(if word_start { prefix } else { "crate::" });
        rest = &rest[at + "crate::".len()..];
    }
    out.push_str(rest);
    out
}

/// Replaces each `mod name;` with the items of its file (`dir/name.rs` or
/// `dir/name/mod.rs`), recursively, and drops `#[cfg(test)]` items: the runtime's own unit
/// tests need the crate form's dev-dependencies.
fn inline_modules(
    items: Vec<syn::Item>,
    dir: &str,
    files: &mut std::collections::BTreeMap<String, syn::File>,
) -> Result<Vec<syn::Item>, Errors> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if attrs_of(&item)
            .iter()
            .any(|a| is_cfg_test(a) || is_cfg_mock(a))
        {
            continue;
        }
        let syn::Item::Mod(mut m) = item else {
            out.push(item);
            continue;
        };
        if m.content.is_none() {
            let name = m.ident.to_string();
            let (file, child_dir) = match files.remove(&format!("{dir}{name}.rs")) {
                Some(f) => (f, format!("{dir}{name}/")),
                None => (
                    files
                        .remove(&format!("{dir}{name}/mod.rs"))
                        .ok_or_else(|| {
                            error("#", format!("no file for `mod {name}` (a clientgen bug)"))
                        })?,
                    format!("{dir}{name}/"),
                ),
            };
            m.attrs.extend(file.attrs);
            let items = inline_modules(file.items, &child_dir, files)?;
            m.content = Some((Default::default(), items));
            m.semi = None;
        }
        out.push(syn::Item::Mod(m));
    }
    Ok(out)
}

fn attrs_of(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        _ => &[],
    }
}

/// `#[cfg(feature = "mock")]`: the typed mocks need the crate form's `mock` feature.
fn is_cfg_mock(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg")
        && attr.parse_args::<syn::MetaNameValue>().is_ok_and(|m| {
            m.path.is_ident("feature")
                && quote::ToTokens::to_token_stream(&m.value).to_string() == "\"mock\""
        })
}

fn is_cfg_test(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg") && attr.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
}

/// The key of a manifest entry: `name` of `name = ..` or `name.workspace = true`.
fn entry_key(line: &str) -> &str {
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(line.len());
    &line[..end]
}

/// The dependency and feature names `needed` (a manifest's `[dependencies]` and `[features]`)
/// declares that `manifest` does not, as `dependency x` or `feature x`. Both are read with a
/// TOML parser: a dependency of `manifest` counts wherever it is declared (`[dependencies]`,
/// an inline table, `[target.'cfg(..)'.dependencies]`). A manifest that does not parse has
/// nothing.
pub fn missing_from_manifest(needed: &str, manifest: &str) -> Vec<String> {
    fn keys(text: &str, dependencies: bool) -> Vec<String> {
        let Ok(table) = text.parse::<toml::Table>() else {
            return Vec::new();
        };
        let names = |t: Option<&toml::Value>| -> Vec<String> {
            t.and_then(toml::Value::as_table)
                .map(|t| t.keys().cloned().collect())
                .unwrap_or_default()
        };
        if !dependencies {
            return names(table.get("features"));
        }
        let mut out = names(table.get("dependencies"));
        if let Some(targets) = table.get("target").and_then(toml::Value::as_table) {
            for target in targets.values() {
                out.extend(names(target.get("dependencies")));
            }
        }
        out
    }
    let mut missing = Vec::new();
    for (dependencies, kind) in [(true, "dependency"), (false, "feature")] {
        let have = keys(manifest, dependencies);
        for key in keys(needed, dependencies) {
            if !have.contains(&key) {
                missing.push(format!("{kind} `{key}`"));
            }
        }
    }
    missing
}

/// What to paste into `manifest` for what it lacks of `needed`: each missing entry with the
/// comment above it, under the table it goes in, said in words rather than as a table header
/// (a `[dependencies]` line pasted below the manifest's own would declare the table twice).
fn lines_to_add(needed: &str, manifest: &str) -> String {
    let missing = missing_from_manifest(needed, manifest);
    let mut tables: Vec<(&str, String)> = Vec::new();
    let mut table = "";
    let mut comment = String::new();
    for line in needed.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            table = trimmed;
            comment.clear();
            continue;
        }
        if trimmed.starts_with('#') {
            comment.push_str(line);
            comment.push('\n');
            continue;
        }
        let key = entry_key(trimmed);
        let kind = if table == "[features]" {
            "feature"
        } else {
            "dependency"
        };
        if !key.is_empty() && missing.contains(&format!("{kind} `{key}`")) {
            let text = format!("{comment}{line}\n");
            match tables.iter_mut().find(|(t, _)| *t == table) {
                Some((_, lines)) => lines.push_str(&text),
                None => tables.push((table, text)),
            }
        }
        comment.clear();
    }
    tables
        .into_iter()
        .map(|(table, lines)| {
            let has_table = manifest.lines().any(|l| l.trim() == table);
            let place = if has_table {
                format!("Add to its {table} table:")
            } else {
                format!("Add a {table} table to it with:")
            };
            format!("{place}\n\n{lines}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Generates the client of the description at `spec` (relative to the package root, where
/// cargo runs build scripts) as the module `module`, into `OUT_DIR/<last segment>.rs`, from a
/// `build.rs`. Prints `cargo:rerun-if-changed` for the description and `cargo:warning` for
/// each generation warning, and checks that the package's manifest has the dependencies and
/// features the module needs. Returns the file written.
pub fn generate_module(spec: impl AsRef<Path>, module: &str) -> Result<PathBuf, BuildError> {
    let spec = spec.as_ref();
    let label = spec.display().to_string().replace('\\', "/");
    let fail = |problems: Vec<String>| BuildError {
        spec: label.clone(),
        problems,
    };
    println!("cargo:rerun-if-changed={}", spec.display());
    let text = std::fs::read_to_string(spec)
        .map_err(|e| fail(vec![format!("cannot read {label}: {e}")]))?;
    let module_form = module_source(&text, &label, module).map_err(|errors| {
        fail(
            errors
                .0
                .iter()
                .map(|d| located(&label, d))
                .collect::<Vec<_>>(),
        )
    })?;
    // Notes are information, not problems: cargo shows only warnings.
    for w in module_form
        .warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning)
    {
        println!("cargo:warning={}", located(&label, w));
    }
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let path = Path::new(&dir).join("Cargo.toml");
        if let Ok(manifest) = std::fs::read_to_string(&path) {
            let missing = missing_from_manifest(&module_form.manifest, &manifest);
            if !missing.is_empty() {
                return Err(fail(vec![format!(
                    "{} lacks what the module of {label} needs: {}.\n\n{}",
                    path.display(),
                    missing.join(", "),
                    lines_to_add(&module_form.manifest, &manifest)
                )]));
            }
        }
    }
    let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
        fail(vec![
            "OUT_DIR is not set: generate_module runs from a build script".into(),
        ])
    })?;
    let file_name = format!("{}.rs", module.rsplit("::").next().unwrap_or(module));
    let out = Path::new(&out_dir).join(file_name);
    // Unchanged text is not rewritten, so that cargo does not rebuild what has not changed.
    if std::fs::read_to_string(&out).ok().as_deref() != Some(module_form.source.as_str()) {
        std::fs::write(&out, &module_form.source)
            .map_err(|e| fail(vec![format!("cannot write {}: {e}", out.display())]))?;
    }
    Ok(out)
}

/// `path:line: message at pointer`, the shape editors and terminals link to the file.
fn located(path: &str, d: &Diagnostic) -> String {
    let level = d.severity.label();
    // The document as a whole (a syntax error) has no place to name but its line.
    let at = if d.pointer == "#" {
        String::new()
    } else {
        format!(" at {}", d.pointer)
    };
    match d.line {
        Some(line) => format!("{path}:{line}: {level}: {}{at}", d.message),
        None => format!("{path}: {level}: {}{at}", d.message),
    }
}

/// Why [`generate_module`] failed: every problem, each on its own line with the
/// description's path and line. Its `Debug` is its `Display`, so that a `build.rs` whose
/// `main` returns it prints the problems as they are.
pub struct BuildError {
    spec: String,
    problems: Vec<String>,
}

impl BuildError {
    /// Each problem, as printed.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "clientgen could not generate the module of {}:",
            self.spec
        )?;
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_are_rewritten_only_as_whole_words() {
        assert_eq!(
            rewrite_crate_paths(
                "use crate::types::*; $crate::runtime::x!(); my_crate::y; pub(crate) fn f() {}",
                "crate::api::pets::"
            ),
            "use crate::api::pets::types::*; $crate::api::pets::runtime::x!(); my_crate::y; pub(crate) fn f() {}"
        );
    }

    #[test]
    fn a_missing_dependency_or_feature_is_named() {
        let needed = "[dependencies]\nreqwest = \"0.13\"\nserde = \"1\"\n\n[features]\n# TLS\ntracing = []\nserde-all = []\n";
        let have = "[package]\nname = \"x\"\n\n[dependencies]\nreqwest.workspace = true\n\n[target.'cfg(unix)'.dependencies]\nserde = \"1\"\n\n[features]\ntracing = []\n";
        assert_eq!(missing_from_manifest(needed, have), ["feature `serde-all`"]);
        assert_eq!(
            missing_from_manifest(needed, "[package]\nname = \"x\"\n"),
            [
                "dependency `reqwest`",
                "dependency `serde`",
                "feature `tracing`",
                "feature `serde-all`"
            ]
        );
    }

    /// A manifest as people write them: an inline dependency table, quoted keys, a table
    /// header with spaces, a key in a comment or a string. A line reader took the comment's
    /// key as declared and missed the others; the parser reads what Cargo reads.
    #[test]
    fn a_manifest_is_read_as_toml_not_as_lines() {
        let needed = "[dependencies]\nreqwest = \"0.13\"\nserde = \"1\"\nurl = \"2\"\n\n[features]\ntracing = []\n";
        let have = "[package]\nname = \"x\"\ndescription = \"\"\"\n[features]\ntracing = []\n\"\"\"\n\n[ dependencies ]\n# url = \"2\"\n\"reqwest\" = { version = \"0.13\" }\nserde = { version = \"1\", features = [\"derive\"] }\n";
        assert_eq!(
            missing_from_manifest(needed, have),
            ["dependency `url`", "feature `tracing`"]
        );
        // One that is not TOML declares nothing.
        assert_eq!(
            missing_from_manifest(needed, "[dependencies\nurl = 2").len(),
            4
        );
    }

    #[test]
    fn the_module_form_is_one_file_without_tests_or_features() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      operationId: pets.get\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}}\n";
        let module = module_source(spec, "pets.yaml", "api::pets").expect("generates");
        let text = &module.source;
        assert!(text.starts_with("// @generated by clientgen from pets.yaml."));
        assert!(!text.contains("\nmod client;") && text.contains("mod runtime {"));
        assert!(
            !text.contains("#[cfg(test)]"),
            "the runtime's tests are left out"
        );
        assert!(!text.contains("feature = \"pets\""), "no API feature gates");
        // The typed mocks and the response types' constructors need the crate form's
        // `mock` feature: the module has neither, nor the feature in its manifest.
        assert!(
            !text.contains("#[cfg(feature = \"mock\")]"),
            "no mock feature gates"
        );
        assert!(
            !text.lines().any(|l| l
                .trim_start()
                .starts_with("crate::api::pets::runtime::constructor!(")),
            "no response constructors"
        );
        assert!(!module.manifest.contains("mock"), "{}", module.manifest);
        assert!(text.contains("crate::api::pets::runtime"));
        assert!(!text.contains("use crate::runtime"));
        assert!(module.manifest.starts_with("[dependencies]\n"));
        assert!(module.manifest.contains("serde-all = []"));
        // Every comment stands above the entry it is about: none is left over from a line
        // taken out (the `mock` feature's).
        let lines: Vec<&str> = module.manifest.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with('#') {
                let next = lines.get(i + 1).copied().unwrap_or_default();
                assert!(
                    !next.is_empty() && !next.starts_with('['),
                    "an orphan comment: {line}\n{}",
                    module.manifest
                );
            }
        }
        // The lines to add for what a manifest lacks: the entries alone, under the table
        // they go in, never a second `[dependencies]` header.
        let have = "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\n";
        let add = lines_to_add(&module.manifest, have);
        assert!(
            add.starts_with("Add to its [dependencies] table:\n\n"),
            "{add}"
        );
        assert!(add.contains("\nreqwest = "), "{add}");
        assert!(!add.contains("serde = "), "{add}");
        assert!(!add.contains("\n[dependencies]"), "{add}");
        assert!(
            add.contains("Add a [features] table to it with:\n\n"),
            "{add}"
        );
        assert!(add.contains("serde-all = []"), "{add}");
        let err = module_source(spec, "pets.yaml", "api::type").expect_err("a keyword");
        assert_eq!(err.0[0].pointer, "module");
        let bad = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: x, in: body}]\n";
        let err = module_source(bad, "bad.yaml", "bad").expect_err("a bad parameter");
        assert_eq!(
            located("bad.yaml", &err.0[0]),
            "bad.yaml:6: error: not a valid OpenAPI document: unknown variant `body`, expected one of `query`, `header`, `path`, `cookie` at #/paths/~1a/get/parameters/0/in"
        );
    }
}
