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

/// The generated `.rs` files of a description outside the runtime (which is not printed by
/// prettyplease), without their `// @generated` line (a comment, which syn does not keep).
fn printed_files(spec: &str) -> Vec<(String, String)> {
    let out = crate::generate(
        spec,
        &crate::Options {
            jobs: 1,
            ..crate::Options::new("fixture", "fixture.yaml")
        },
    )
    .unwrap_or_else(|e| panic!("generates: {e:?}"));
    out.files
        .iter()
        .filter(|f| {
            // The runtime and the webhook signature checks are copied as written.
            f.path.extension().is_some_and(|e| e == "rs")
                && !f.path.starts_with("src/runtime")
                && !f.path.starts_with("src/webhooks/")
        })
        .map(|f| {
            let text = f
                .contents
                .lines()
                .filter(|l| !l.starts_with("// @generated"))
                .map(|l| format!("{l}\n"))
                .collect();
            (f.path.display().to_string(), text)
        })
        .collect()
}

fn types_rs(spec: &str) -> String {
    printed_files(spec)
        .into_iter()
        .find(|(path, _)| path == "src/types.rs")
        .expect("types.rs")
        .1
}

/// The code written as text (`text.rs`) must be laid out exactly as prettyplease lays out the
/// same code, or a file would mix two styles: printing a file again through syn and
/// prettyplease must change nothing.
fn assert_prettyplease_fixpoint(name: &str, text: &str) {
    let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{name}: does not parse: {e}"));
    let again = prettyplease::unparse(&file);
    if again != text {
        let line = again
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name}: differs from prettyplease's layout at line {}:\n  written: {:?}\n  prettyplease: {:?}",
            line + 1,
            text.lines().nth(line),
            again.lines().nth(line)
        );
    }
}

#[test]
fn text_declarations_are_laid_out_as_prettyplease_lays_them_out() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let spec = std::fs::read_to_string(&path).expect("fixture");
            for (file, text) in printed_files(&spec) {
                assert_prettyplease_fixpoint(&format!("{}: {file}", path.display()), &text);
            }
            seen += 1;
        }
    }
    assert!(seen >= 20, "only {seen} fixtures");
}

/// Lines at and past the margin: long feature lists, types whose generic arguments break,
/// attributes that break, macro calls that wrap, long and empty docs.
#[test]
fn long_declarations_break_where_prettyplease_breaks_them() {
    let long = "a_property_name_long_enough_to_push_its_type_past_the_margin_of_eighty_nine";
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    // Enough tags that a type reached by all of them has a long `cfg(any(..))`.
    for i in 0..12 {
        spec.push_str(&format!(
            "  /tag{i}:\n    get:\n      tags: [namespace_number_{i}]\n      operationId: op{i}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Shared'}}\n"
        ));
    }
    spec.push_str(&format!(
        r#"components:
  schemas:
    Shared:
      type: object
      description: "{desc}\n\n  indented line\n```\ncode\n```"
      required: [id]
      properties:
        id: {{type: string, format: date-time}}
        {long}:
          type: object
          additionalProperties:
            type: object
            additionalProperties:
              type: array
              items: {{$ref: '#/components/schemas/AnotherTypeWithAVeryLongNameIndeed'}}
        {long}_nullable:
          type: array
          nullable: true
          items: {{type: string, format: uuid}}
        Renamed-Property:
          type: string
          deprecated: true
          description: "{desc}"
        empty: {{$ref: '#/components/schemas/Empty'}}
        kind: {{$ref: '#/components/schemas/Kind'}}
        alias: {{$ref: '#/components/schemas/Alias'}}
      additionalProperties: {{type: integer}}
    AnotherTypeWithAVeryLongNameIndeed:
      type: object
      properties:
        x: {{type: string}}
    Empty:
      type: object
    Alias:
      type: array
      items:
        type: object
        additionalProperties:
          type: array
          items: {{$ref: '#/components/schemas/AnotherTypeWithAVeryLongNameIndeed'}}
    Kind:
      type: string
      description: "{desc}"
      enum: [{values}]
"#,
        desc = "A description long enough to go past the margin of the line on its own, and then some more words.",
        long = long,
        values = (0..40).map(|i| format!("value_number_{i}")).collect::<Vec<_>>().join(", "),
    ));
    let text = types_rs(&spec);
    assert!(
        text.contains("    any(\n"),
        "a broken feature list:\n{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("std::collections::BTreeMap<")),
        "a type broken across lines:\n{text}"
    );
    assert_prettyplease_fixpoint("long declarations", &text);
}

#[test]
fn bare_urls_in_descriptions_become_links() {
    use super::doc_text as autolink;
    assert_eq!(
        autolink("See https://github.com/notifications. Or (http://a.example/x_(y))."),
        "See <https://github.com/notifications>. Or (<http://a.example/x_(y)>)."
    );
    // Already a link, an autolink, an attribute or code: as written.
    for kept in [
        "[docs](https://docs.example.com)",
        "<https://example.com>",
        "<a href=\"https://example.com\">x</a>",
        "`curl https://example.com`",
        "no url here",
        "https://",
    ] {
        assert_eq!(autolink(kept), kept);
    }
    assert_eq!(
        autolink("a https://x.example/é, then `https://y` and https://z.example?q=1!"),
        "a <https://x.example/é>, then `https://y` and <https://z.example?q=1>!"
    );
}

#[test]
fn description_text_that_rustdoc_would_warn_about_is_escaped() {
    use super::doc_text;
    let cases = [
        ("see [RFC6749] and [0]", "see \\[RFC6749\\] and \\[0\\]"),
        (
            "[docs](https://docs.example.com) stay",
            "[docs](https://docs.example.com) stay",
        ),
        ("[anchor](#section) stays", "[anchor](#section) stays"),
        (
            "[Pagination](ref:pagination)",
            "\\[Pagination\\](ref:pagination)",
        ),
        ("put [`Role`]s in a policy", "put \\[`Role`\\]s in a policy"),
        ("must contain <num> here", "must contain &lt;num> here"),
        ("Array<string>", "Array&lt;string>"),
        (
            "<b>bold</b> and <br/> and <a href=\"x\">a</a>",
            "<b>bold</b> and <br/> and <a href=\"x\">a</a>",
        ),
        ("<<LB>>", "&lt;&lt;LB>>"),
        ("`Vec<T>` and `[0]` in code", "`Vec<T>` and `[0]` in code"),
        ("<https://example.com> stays", "<https://example.com> stays"),
        ("http://<host>?flow=<id>", "http://&lt;host>?flow=&lt;id>"),
        ("> quoted, 2 > 1", "> quoted, 2 > 1"),
        ("plain text", "plain text"),
    ];
    for (text, want) in cases {
        assert_eq!(doc_text(text), want, "{text}");
    }
}

#[test]
fn a_link_broken_over_two_lines_stays_a_link() {
    let lines = super::doc_paragraphs(&[
        "while [`amazing",
        "language:go`](https://example.com/search?q=go) is. [RFC1]",
        "",
        "Next `paragraph",
    ]);
    assert_eq!(
        lines,
        [
            "while [`amazing",
            "language:go`](https://example.com/search?q=go) is. \\[RFC1\\]",
            "",
            "Next `paragraph",
        ]
    );
    assert!(super::doc_paragraphs(&[]).is_empty());
}
