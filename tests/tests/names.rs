//! Generated names depend on each item's own place in the description, not on the order of
//! the document or on what else it holds: reversing `paths` and `components/schemas` keeps
//! every name (keyed by JSON pointer) for every corpus description and Stytch's official one,
//! and growing a description by operations that ask for existing names renames nothing.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use clientgen::model::{Api, Namespace};
use common::root;
use serde_json::{Map, Value};

/// Every name of the generated crate with where it comes from: types and operations (builder,
/// method, success enum, mock names) by JSON pointer, namespaces by accessor path, and every
/// item of the public surface (fields, variants, calls, builder methods) as (path, pointer).
fn names(api: &Api) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for t in &api.types {
        out.insert(format!("type {} = {}", t.pointer, t.name));
    }
    for op in &api.operations {
        out.insert(format!(
            "operation {}: {} {} {:?} {} {}",
            op.pointer,
            op.method_name,
            op.builder_name,
            op.success_enum,
            op.mock.method,
            op.mock.marker
        ));
    }
    fn walk(ns: &Namespace, path: &str, out: &mut BTreeSet<String>) {
        for child in &ns.children {
            let path = format!("{path}.{}()", child.rust_name);
            out.insert(format!("namespace {path} = {}", child.type_name));
            walk(child, &path, out);
        }
    }
    walk(&api.root, "client", &mut out);
    let surface = clientgen::surface::Surface::of(api);
    out.extend(surface.keys().map(|k| format!("item {k}")));
    out
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

fn lower(text: &str, what: &str) -> Api {
    match clientgen::lower_text(text) {
        Ok((api, _)) => api,
        Err(e) => panic!("{what} does not lower: {e}"),
    }
}

fn corpus() -> Option<Vec<PathBuf>> {
    let shared = common::shared()?;
    let unpacked = root().join("target/corpus");
    let status = Command::new("sh")
        .arg(shared.join("unpack-corpus"))
        .arg(&unpacked)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run unpack-corpus");
    assert!(status.success(), "unpack-corpus failed");
    let mut specs = Vec::new();
    for sub in ["openapi-3.0", "openapi-3.1"] {
        for e in std::fs::read_dir(unpacked.join(sub)).expect("the unpacked corpus") {
            specs.push(e.expect("a corpus entry").path());
        }
    }
    specs.sort();
    assert!(
        specs.len() >= 29,
        "the corpus should hold 29 specs, found {}",
        specs.len()
    );
    specs.push(shared.join("specs/stytch/openapi.yml"));
    Some(specs)
}

#[test]
fn names_do_not_depend_on_the_order_of_paths_and_schemas() {
    let Some(specs) = corpus() else {
        common::skip_or_fail("the order test needs ../shared/corpus.tar.xz beside this checkout");
        return;
    };
    let mut failures = Vec::new();
    for path in &specs {
        let label = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).expect("read a corpus spec");
        let doc = clientgen::parse::parse_value(&text).expect("the corpus parses");
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
    let op = |api: &Api, id: &str| {
        let op = api
            .operations
            .iter()
            .find(|o| o.id == id)
            .expect("the operation");
        (op.builder_name.clone(), op.success_enum.clone())
    };
    assert_eq!(
        op(&v1, "users/get"),
        ("UsersGetBuilder".into(), Some("UsersGetResponse".into()))
    );
    assert_eq!(op(&v2, "get").0, "GetBuilder");
    assert_eq!(op(&v2, "repos/get").0, "ReposGetBuilder");
    let by_pointer: BTreeMap<&str, &str> = v2
        .types
        .iter()
        .map(|t| (t.pointer.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(
        by_pointer["#/paths/~1repos/post/requestBody/content/application~1json/schema"],
        "ReposCreateBody"
    );
}
