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

#[test]
fn type_text_is_what_type_tokens_prints() {
    let api = Api {
        types: vec![TypeDef {
            name: "Type".into(),
            description: None,
            kind: TypeKind::Alias(TypeRef::Json),
            pointer: "#".into(),
        }],
        ..Api::default()
    };
    let all = [
        TypeRef::Named(0),
        TypeRef::String,
        TypeRef::Bool,
        TypeRef::I32,
        TypeRef::I64,
        TypeRef::U64,
        TypeRef::F32,
        TypeRef::F64,
        TypeRef::Json,
        TypeRef::Array(Box::new(TypeRef::Map(Box::new(TypeRef::Named(0))))),
    ];
    for t in &all {
        assert_eq!(
            crate::surface::type_text(&api, t),
            type_tokens(&api, t).to_string().replace(' ', ""),
            "{t:?}"
        );
    }
}
