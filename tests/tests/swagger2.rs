//! Swagger 2.0, read as it is: a 2.0 description and its OpenAPI 3.0 twin generate the same
//! crate; diagnostics point into the 2.0 document; and (crates tier) what `collectionFormat`
//! and `formData` put on the wire, byte for byte, against a loopback server.

mod common;

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(common::root().join(path)).expect("read a fixture")
}

fn files(text: &str) -> Vec<clientgen::OutFile> {
    let options = clientgen::Options {
        jobs: 1,
        ..clientgen::Options::new("pets", "pets.yaml")
    };
    clientgen::generate(text, &options)
        .expect("generates")
        .files
}

/// An API that moves from Swagger 2.0 to OpenAPI 3.0 without changing breaks no consumer:
/// the surfaces are equal, and so is every generated file but the manifest's record of
/// which description it came from.
#[test]
fn a_swagger_2_description_and_its_openapi_3_twin_generate_the_same_crate() {
    let v2 = read("tests/fixtures/swagger2/pets.v2.yaml");
    let v3 = read("tests/fixtures/swagger2/pets.v3.yaml");
    let (old, _) = clientgen::surface(&v2).expect("2.0 reads");
    let (new, _) = clientgen::surface(&v3).expect("3.0 reads");
    let report = clientgen::diff(&old, &new);
    assert!(
        report.changes.is_empty() && report.doc_changes == 0,
        "{report:?}"
    );
    let (a, b) = (files(&v2), files(&v3));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.path, y.path);
        if x.path == Path::new("Cargo.toml") {
            let strip = |s: &str| {
                s.lines()
                    .filter(|l| !l.starts_with("spec-blob"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(strip(&x.contents), strip(&y.contents));
        } else {
            assert_eq!(x.contents, y.contents, "{} differs", x.path.display());
        }
    }
}

/// A problem in the rewritten document is reported where the 2.0 document has it: its
/// pointer, its line, and references as it writes them.
#[test]
fn diagnostics_point_into_the_swagger_2_document() {
    let text = "swagger: \"2.0\"
info: {title: Bad, version: \"1\", license: {name: MIT}}
paths:
  /pets:
    post:
      parameters:
        - {name: q, in: query, type: array, items: {type: string}, collectionFormat: tsv}
        - name: pet
          in: body
          schema: {$ref: \"#/definitions/Gone\"}
      responses:
        \"200\":
          description: ok
          schema: {$ref: \"#/definitions/Missing\"}
";
    let Err(errors) = clientgen::generate(text, &clientgen::Options::new("bad", "bad.yaml")) else {
        panic!("dangling references are errors");
    };
    let shown = errors.to_string();
    assert!(
        shown.contains("`#/definitions/Gone`")
            && shown.contains("#/paths/~1pets/post/parameters/1/schema (line 10)"),
        "{shown}"
    );
    assert!(
        shown.contains("`#/definitions/Missing`")
            && shown.contains("#/paths/~1pets/post/responses/200/schema (line 14)"),
        "{shown}"
    );
    assert!(
        !shown.contains("components") && !shown.contains("requestBody"),
        "{shown}"
    );
    let fixed = text
        .replace("{$ref: \"#/definitions/Gone\"}", "{type: object}")
        .replace("{$ref: \"#/definitions/Missing\"}", "{type: string}");
    let output = clientgen::generate(&fixed, &clientgen::Options::new("bad", "bad.yaml"))
        .expect("generates");
    let warning = output
        .warnings
        .iter()
        .find(|w| w.message.contains("tsv"))
        .expect("a tsv warning");
    assert_eq!(
        warning.pointer,
        "#/paths/~1pets/post/parameters/0/collectionFormat"
    );
    assert_eq!(warning.line, Some(7));
}

/// Every other version is refused at its pointer, as before.
#[test]
fn only_swagger_2_0_is_read() {
    let Err(errors) = clientgen::generate(
        "swagger: \"1.2\"\ninfo: {title: t, version: \"1\"}\npaths: {}\n",
        &clientgen::Options::new("t", "t.yaml"),
    ) else {
        panic!("1.2 is refused");
    };
    let errors = errors.to_string();
    assert!(errors.contains("#/swagger"), "{errors}");
}

/// What the crate of `tests/fixtures/swagger2.yaml` sends, byte for byte: each
/// `collectionFormat`, a form body and a multipart upload (`tests/swagger2/swagger2.rs`).
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn collection_formats_and_form_data_on_the_wire() {
    let (warnings, stdout) = common::run_consumer_test(
        "tests/fixtures/swagger2.yaml",
        "swagger_two",
        "tests/swagger2/swagger2.rs",
        &[],
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(stdout.contains("test result: ok. 4 passed"), "{stdout}");
}
