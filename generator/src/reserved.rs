//! The names a generated item shares a scope with, taken from what defines them: the
//! runtime's source (embedded, so the list cannot lag behind it) and the methods emit prints
//! beside the description's items (named here; a test reads a generated crate's builders back
//! and fails on a method emit prints that is not).
//!
//! A scope here is an `impl` a description's names are added to: an operation builder (its
//! parameters' setters), `Client` (operations and namespaces at the root), `ClientBuilder`
//! (security schemes' setters), `MockServer` (an operation's mock) and `Mock` (its matchers
//! and responders). `names_in_block` reads the runtime as text; the tests read it again with
//! syn and fail when a method there is not reserved here.

use std::sync::OnceLock;

use crate::runtime_files::RUNTIME;

/// Methods emit prints on an operation builder, beside the runtime's request options: the
/// sends, pagination and streaming (each on the builders whose operation has it).
const BUILDER_EMITTED: &[&str] = &[
    "send",
    "send_with_response",
    "pages",
    "items",
    "send_events",
    "send_items",
    "send_stream",
];
/// The builder's setter of an optional request body.
const BODY: &str = "body";
/// The builder's own fields, which parameters' fields sit beside, and `new`: no builder has
/// one, but earlier releases numbered a parameter named `new`, and renaming its setter now
/// would break the code that calls it.
const BUILDER_FIELDS: &[&str] = &["client", "options", "new"];

/// Methods emit prints on `Client` (its constructors) and on `MockServer` (`start`).
const CLIENT_EMITTED: &[&str] = &[
    "new",
    "builder",
    "with_client_credentials",
    "with_token_provider",
];
const MOCK_SERVER_EMITTED: &[&str] = &["start"];
/// Methods emit prints on an operation's `Mock` beside its matchers and responders.
const MOCK_EMITTED: &[&str] = &["new", "match_body", "respond_pages", "respond_events"];

/// Every reserved name of each scope, computed once.
pub(crate) struct Reserved {
    pub builder: Vec<&'static str>,
    pub client: Vec<&'static str>,
    pub client_builder: Vec<&'static str>,
    pub mock_server: Vec<&'static str>,
    pub mock: Vec<&'static str>,
}

/// The reserved names of every scope.
pub(crate) fn reserved() -> &'static Reserved {
    static RESERVED: OnceLock<Reserved> = OnceLock::new();
    RESERVED.get_or_init(|| {
        let (module, client, mock) = (
            runtime_text("/mod.rs"),
            runtime_text("/client.rs"),
            runtime_text("/mock.rs"),
        );
        let join = |parts: &[&[&'static str]]| {
            let mut all: Vec<&'static str> = parts.iter().flat_map(|p| p.iter().copied()).collect();
            all.sort_unstable();
            all.dedup();
            all
        };
        Reserved {
            builder: join(&[
                &names_in_block(module, "macro_rules! request_options_methods {"),
                BUILDER_EMITTED,
                &[BODY],
                BUILDER_FIELDS,
                // Every type has these through derives a caller may call as methods.
                &["clone", "fmt"],
            ]),
            client: join(&[
                &names_in_block(client, "impl Client {"),
                CLIENT_EMITTED,
                &["clone", "fmt"],
            ]),
            client_builder: join(&[&names_in_block(client, "impl ClientBuilder {"), &["fmt"]]),
            mock_server: join(&[
                &names_in_block(mock, "impl MockServer {"),
                MOCK_SERVER_EMITTED,
                &["fmt", "drop"],
            ]),
            mock: join(&[
                &names_in_block(mock, "impl<'a, Op> Mock<'a, Op> {"),
                MOCK_EMITTED,
                &["fmt"],
            ]),
        }
    })
}

/// The text of the runtime file whose path ends with `file` (`/client.rs`); empty for none,
/// which the tests would notice as a scope without methods.
fn runtime_text(file: &str) -> &'static str {
    RUNTIME
        .iter()
        .find(|(path, _)| path.ends_with(file))
        .map(|(_, text)| *text)
        .unwrap_or_default()
}

/// The names of the functions defined one level inside the block that `opening` starts (a
/// line of its own in the runtime, closed by a `}` at the same indentation).
fn names_in_block(text: &'static str, opening: &str) -> Vec<&'static str> {
    let Some(start) = text.lines().position(|l| l.trim_end() == opening) else {
        return Vec::new();
    };
    let mut found: Vec<(usize, &'static str)> = Vec::new();
    let lines: Vec<&'static str> = text.lines().collect();
    let indent = lines[start].len() - lines[start].trim_start().len();
    for line in &lines[start + 1..] {
        let trimmed = line.trim_start();
        let depth = line.len() - trimmed.len();
        if depth <= indent && trimmed.starts_with('}') {
            break;
        }
        let mut rest = trimmed;
        for prefix in ["pub(crate) ", "pub ", "async ", "const ", "unsafe "] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        if let Some(after) = rest.strip_prefix("fn ") {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if end > 0 {
                found.push((depth, &after[..end]));
            }
        }
    }
    // The block's own functions, not those nested in their bodies.
    let own = found.iter().map(|(d, _)| *d).min().unwrap_or(0);
    found
        .into_iter()
        .filter(|(d, _)| *d == own)
        .map(|(_, n)| n)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every method of the runtime's scopes, read with syn (not the text scan above).
    fn runtime_methods(file: &str, self_ty: &str) -> Vec<String> {
        let text = runtime_text(file);
        let parsed = syn::parse_file(text).expect("the runtime parses");
        let mut out = Vec::new();
        for item in &parsed.items {
            match item {
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    let syn::Type::Path(p) = &*imp.self_ty else {
                        continue;
                    };
                    let last = p.path.segments.last().expect("a type name");
                    if last.ident != self_ty {
                        continue;
                    }
                    for it in &imp.items {
                        if let syn::ImplItem::Fn(f) = it {
                            out.push(f.sig.ident.to_string());
                        }
                    }
                }
                syn::Item::Macro(m)
                    if self_ty == "request_options_methods"
                        && m.ident.as_ref().is_some_and(|i| i == self_ty) =>
                {
                    // `pub fn NAME` inside the macro's body.
                    let tokens: Vec<String> =
                        m.mac.tokens.clone().into_iter().flat_map(flatten).collect();
                    for w in tokens.windows(2) {
                        if w[0] == "fn" {
                            out.push(w[1].clone());
                        }
                    }
                }
                _ => {}
            }
        }
        assert!(!out.is_empty(), "no methods of {self_ty} in {file}");
        out
    }

    fn flatten(t: proc_macro2::TokenTree) -> Vec<String> {
        match t {
            proc_macro2::TokenTree::Group(g) => g.stream().into_iter().flat_map(flatten).collect(),
            other => vec![other.to_string()],
        }
    }

    #[test]
    fn every_runtime_method_of_a_shared_scope_is_reserved() {
        let r = reserved();
        let cases: [(&str, &str, &Vec<&str>); 5] = [
            ("/mod.rs", "request_options_methods", &r.builder),
            ("/client.rs", "Client", &r.client),
            ("/client.rs", "ClientBuilder", &r.client_builder),
            ("/mock.rs", "MockServer", &r.mock_server),
            ("/mock.rs", "Mock", &r.mock),
        ];
        for (file, scope, reserved) in cases {
            for method in runtime_methods(file, scope) {
                assert!(
                    reserved.contains(&method.as_str()),
                    "`{method}` of the runtime's {scope} is not reserved: a description's name could clash with it"
                );
            }
        }
    }

    #[test]
    fn the_text_scan_finds_methods_of_each_block_and_no_others() {
        let text = "impl A {\n    pub fn one(&self) {}\n    pub(crate) async fn two() {\n        fn inner() {}\n    }\n}\nimpl B {\n    fn three() {}\n}\n";
        assert_eq!(names_in_block(text, "impl A {"), ["one", "two"]);
        assert_eq!(names_in_block(text, "impl B {"), ["three"]);
        assert!(names_in_block(text, "impl C {").is_empty());
        let r = reserved();
        for name in [
            "max_body_size",
            "idle_timeout",
            "stream_timeout",
            "header",
            "pages",
        ] {
            assert!(r.builder.contains(&name), "{name}");
        }
        for name in ["execute", "execute_streaming", "new", "builder"] {
            assert!(r.client.contains(&name), "{name}");
        }
        assert!(r.client_builder.contains(&"before_attempt"));
    }

    /// The methods emit prints on builders, read back from a crate generated from
    /// `tests/fixtures/reserved.yaml` (pagination, every kind of streamed response, a body):
    /// each is reserved, so a new method emit prints fails here until it is.
    #[test]
    fn every_method_emit_prints_on_a_builder_is_reserved() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/reserved.yaml"
        );
        let text = std::fs::read_to_string(path).expect("read the fixture");
        let (api, _) = crate::lower_text(&text).expect("the fixture lowers");
        let output = crate::generate(&text, &crate::Options::new("reserved", "reserved.yaml"))
            .expect("the fixture generates");
        let operations = output
            .files
            .iter()
            .find(|f| f.path.ends_with("operations.rs"))
            .expect("operations.rs");
        let parsed = syn::parse_file(&operations.contents).expect("operations.rs parses");
        let mut seen = std::collections::BTreeSet::new();
        for item in &parsed.items {
            let syn::Item::Impl(imp) = item else { continue };
            let syn::Type::Path(p) = &*imp.self_ty else {
                continue;
            };
            let name = p.path.segments.last().expect("a name").ident.to_string();
            let Some(op) = api.operations.iter().find(|o| o.builder_name == name) else {
                continue;
            };
            let setters: Vec<&str> = op.params.iter().map(|p| p.rust_name.as_str()).collect();
            for it in &imp.items {
                let syn::ImplItem::Fn(f) = it else { continue };
                let method = f.sig.ident.to_string();
                if setters.contains(&method.as_str()) {
                    continue;
                }
                assert!(
                    reserved().builder.contains(&method.as_str()),
                    "`{name}::{method}` is printed by emit but not reserved"
                );
                seen.insert(method);
            }
        }
        // The fixture reaches every kind of method.
        for m in BUILDER_EMITTED {
            assert!(seen.contains(*m), "the fixture has no `{m}`: {seen:?}");
        }
    }

    /// The surface (what `diff` compares) reports two items with one Rust name instead of
    /// keeping the first: a parameter's setter renamed back to `pages` is caught there.
    #[test]
    fn a_name_two_items_share_is_a_clash_in_the_surface() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/reserved.yaml"
        );
        let text = std::fs::read_to_string(path).expect("read the fixture");
        let (mut api, _) = crate::lower_text(&text).expect("the fixture lowers");
        assert!(crate::Surface::of(&api).clashes().is_empty());
        let param = api
            .operations
            .iter_mut()
            .flat_map(|op| op.params.iter_mut())
            .find(|p| p.rust_name == "pages_2")
            .expect("the fixture's `pages` parameter");
        param.rust_name = "pages".into();
        let clashes = crate::Surface::of(&api).clashes().to_vec();
        assert_eq!(clashes.len(), 1, "{clashes:?}");
        assert!(clashes[0].contains("list(..).pages(..)"), "{clashes:?}");
    }
}
