//! Generated names depend on each item's own place in the description, not on the order of
//! the document or on what else it holds: reversing `paths` and `components/schemas` keeps
//! every name (keyed by JSON pointer) for every corpus description and Stytch's official one,
//! and growing a description by operations that ask for existing names renames nothing.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use clientgen::Surface;
use common::root;
use serde_json::{Map, Value};

/// Every name of the generated crate with where it comes from: each item of the public
/// surface (types, fields, variants, calls, builder methods and types, namespaces, setters,
/// mock methods, cargo features) with its signature (which holds the names it mentions:
/// builder types, success enums) and its JSON pointer.
fn names(surface: &Surface) -> BTreeSet<String> {
    surface
        .entries()
        .map(|e| format!("{} | {} | {} | {}", e.path, e.what, e.signature, e.pointer))
        .collect()
}

/// The description with the entries of `paths` and `components/schemas` in reverse order.
fn reversed(mut doc: Value) -> Value {
    fn reverse(map: &mut Value) {
        if let Value::Object(m) = map {
            let entries: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
            *m = entries.into_iter().rev().collect::<Map<String, Value>>();
        }
    }
    if let Some(paths) = doc.get_mut("paths") {
        reverse(paths);
    }
    if let Some(schemas) = doc.pointer_mut("/components/schemas") {
        reverse(schemas);
    }
    doc
}

fn lower(text: &str, what: &str) -> Surface {
    match clientgen::surface(text) {
        Ok((surface, _)) => surface,
        Err(e) => panic!("{what} does not lower: {e}"),
    }
}

fn corpus() -> Option<Vec<PathBuf>> {
    let shared = common::shared()?;
    let (_, mut specs) = common::corpus_specs(&shared);
    specs.push(shared.join("specs/stytch/openapi.yml"));
    Some(specs)
}

#[test]
#[ignore = "needs ../shared: run by `cargo test-shared`"]
fn names_do_not_depend_on_the_order_of_paths_and_schemas() {
    let Some(specs) = corpus() else {
        common::skip_or_fail("the order test needs ../shared/corpus.tar.xz beside this checkout");
        return;
    };
    let mut failures = Vec::new();
    for path in &specs {
        let label = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).expect("read a corpus spec");
        let doc = clientgen::internals::parse_value(&text).expect("the corpus parses");
        let forward = lower(&serde_json::to_string(&doc).unwrap(), &label);
        let backward = lower(&serde_json::to_string(&reversed(doc)).unwrap(), &label);
        let (a, b) = (names(&forward), names(&backward));
        if a != b {
            let moved: Vec<&String> = a.symmetric_difference(&b).take(6).collect();
            failures.push(format!(
                "{label}: {} names differ, e.g. {moved:#?}",
                a.symmetric_difference(&b).count()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "names depend on order:\n{}",
        failures.join("\n")
    );
}

#[test]
fn added_operations_rename_nothing() {
    let dir = root().join("tests/fixtures/names");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("read a names fixture");
    let (v1, v2) = (lower(&read("v1.yaml"), "v1"), lower(&read("v2.yaml"), "v2"));
    let (old, new) = (names(&v1), names(&v2));
    let lost: Vec<&String> = old.difference(&new).collect();
    assert!(lost.is_empty(), "v2 renamed or dropped: {lost:#?}");
    // What the fixture is about: without qualified names the additions would have taken
    // these, so the check above would fail.
    let signature = |surface: &Surface, path: &str| {
        surface
            .entries()
            .find(|e| e.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .signature
            .to_owned()
    };
    let users_get = "client.users().get(..)";
    assert_eq!(
        signature(&v1, &format!("{users_get} builder type")),
        "operations::UsersGetBuilder"
    );
    assert_eq!(
        signature(&v1, &format!("{users_get}.send()")),
        "Result<UsersGetResponse, Error>"
    );
    assert_eq!(
        signature(&v2, "client.get(..) builder type"),
        "operations::GetBuilder"
    );
    assert_eq!(
        signature(&v2, "client.repos().get(..) builder type"),
        "operations::ReposGetBuilder"
    );
    let body = v2
        .entries()
        .find(|e| {
            e.what == "type"
                && e.pointer == "#/paths/~1repos/post/requestBody/content/application~1json/schema"
        })
        .expect("the body type");
    assert_eq!(body.path, "types::ReposCreateBody");
}
