//! Emitting: types and manifests.

use super::*;

#[test]
fn docs_never_become_doctests() {
    let text = docs(Some(
        "Example:\n    let x = 1;\n```\nfn main() {}\n```\n```rust\nmore",
    ))
    .to_string();
    assert!(text.contains("\" ```text\""), "{text}");
    assert!(
        !text.contains("\"     let"),
        "indentation is dropped, so no indented code block forms: {text}"
    );
    // An unclosed fence is closed, so the rest of the crate's docs stay prose.
    assert_eq!(text.matches("```").count() % 2, 0, "{text}");
}

#[test]
fn type_references_print_as_rust_types() {
    let api = Api::default();
    let t = TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::I32))));
    assert_eq!(
        type_tokens(&api, &t).to_string(),
        "std :: collections :: BTreeMap < String , Vec < i32 > >"
    );
    assert_eq!(
        type_tokens(&api, &TypeRef::Json).to_string(),
        "serde_json :: Value"
    );
}

#[test]
fn status_patterns() {
    assert_eq!(status_pattern(StatusMatch::Code(404)).to_string(), "404");
    assert_eq!(
        status_pattern(StatusMatch::Range(5)).to_string(),
        "500 ..= 599"
    );
    assert_eq!(status_pattern(StatusMatch::Default).to_string(), "_");
}
