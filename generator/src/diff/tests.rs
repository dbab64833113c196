//! `diff`: what each kind of change to a description means to consumers.
use super::*;
use crate::model::Api;

fn api(text: &str) -> Api {
    crate::lower_text(text).expect("lowers").0
}

const BASE: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /pets:
    get:
      operationId: pets.list
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
    post:
      operationId: pets.create
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/NewPet"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string}
        kind: {$ref: "#/components/schemas/Kind"}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Kind: {type: string, enum: [cat, dog]}
"##;

fn changes(old: &str, new: &str) -> Vec<(ChangeKind, String, bool)> {
    diff(&api(old), &api(new))
        .changes
        .into_iter()
        .map(|c| (c.kind, c.item, c.breaking))
        .collect()
}

/// The extra-properties map beside a property called `additional_properties` is
/// `additional_properties_`; a change of its value type breaks its users, and the report
/// keys it by that name (it once folded it into the property's key and reported nothing).
#[test]
fn the_extra_properties_map_beside_a_property_of_its_name_is_compared() {
    let old = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Bag:
      type: object
      properties:
        additional_properties: {type: string}
      additionalProperties: {type: string}
"#;
    let new = old.replace(
        "      additionalProperties: {type: string}",
        "      additionalProperties: {type: boolean}",
    );
    let report = diff(&api(old), &api(&new));
    let found: Vec<(ChangeKind, String, bool)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.item.clone(), c.breaking))
        .collect();
    assert_eq!(
        found,
        [(
            ChangeKind::Changed,
            "types::Bag.additional_properties_".into(),
            true
        )],
        "{found:#?}"
    );
    assert_eq!(report.bump(), Bump::Major);
    // Without the clashing property, the map keeps its plain name.
    let plain = |text: &str| {
        text.replace(
            "        additional_properties: {type: string}\n",
            "        other: {type: string}\n",
        )
    };
    let found = changes(&plain(old), &plain(&new));
    assert_eq!(
        found,
        [(
            ChangeKind::Changed,
            "types::Bag.additional_properties".into(),
            true
        )],
        "{found:#?}"
    );
}

#[test]
fn the_same_description_has_no_changes() {
    let report = diff(&api(BASE), &api(BASE));
    assert!(report.changes.is_empty());
    assert_eq!(report.bump(), Bump::Patch);
    assert_eq!(report.next_version("0.3.1").as_deref(), Some("0.3.2"));
}

#[test]
fn additions_that_break_nobody_are_additive() {
    let new = BASE
            .replace(
                "        - {name: limit, in: query, schema: {type: integer}}",
                "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: cursor, in: query, schema: {type: string}}",
            )
            .replace(
                "        id: {type: string}\n",
                "        id: {type: string}\n        age: {type: integer}\n",
            )
            .replace(
                "components:",
                "  /toys:\n    get:\n      operationId: toys.list\n      responses:\n        \"204\": {description: none}\ncomponents:",
            );
    let found = changes(BASE, &new);
    assert_eq!(
        found,
        [
            // The mock's matcher of the new parameter.
            (
                ChangeKind::Added,
                "client.pets().list(..) mock .cursor(..)".into(),
                false
            ),
            (
                ChangeKind::Added,
                "client.pets().list(..).cursor(..)".into(),
                false
            ),
            // The new call's `send()`, builder type and mock are folded into it; its
            // namespace and cargo feature are new too.
            (ChangeKind::Added, "client.toys()".into(), false),
            (ChangeKind::Added, "client.toys().list(..)".into(), false),
            (ChangeKind::Added, "feature toys".into(), false),
            // Its setter is folded into the field.
            (ChangeKind::Added, "types::Pet.age".into(), false),
        ],
        "{found:#?}"
    );
    let report = diff(&api(BASE), &api(&new));
    assert_eq!(report.bump(), Bump::Minor);
    assert_eq!(report.next_version("0.3.1").as_deref(), Some("0.3.2"));
    assert_eq!(report.next_version("1.3.1").as_deref(), Some("1.4.0"));
}

/// What a test suite writes against the mock (responders, `sample()` and setters) still
/// compiles after additions: a required property of a response, a body documented for a
/// status that had none, another status. Each adds methods and changes none.
#[test]
fn additions_leave_the_mocks_and_test_data_as_they_were() {
    let old = BASE.replace(
            "        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Pet\"}}}}\n    post:",
            "        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Pet\"}}}}\n        \"404\": {description: gone}\n    post:",
        );
    let new = old
            .replace(
                "        \"404\": {description: gone}\n",
                "        \"404\": {description: gone, content: {application/json: {schema: {$ref: \"#/components/schemas/Problem\"}}}}\n        \"500\": {description: down}\n",
            )
            .replace(
                "      required: [id]\n      properties:\n        id: {type: string}\n",
                "      required: [id, age]\n      properties:\n        id: {type: string}\n        age: {type: integer}\n",
            )
            .replace(
                "    Kind: {type: string",
                "    Problem: {type: object, required: [detail], properties: {detail: {type: string}}}\n    Kind: {type: string",
            );
    assert_ne!(old, new);
    let found = changes(&old, &new);
    assert!(found.iter().all(|(_, _, breaking)| !breaking), "{found:#?}");
    let items: Vec<&str> = found.iter().map(|(_, item, _)| item.as_str()).collect();
    for item in [
        "client.pets().list(..) mock .respond_404_with(..)",
        "client.pets().list(..) mock .respond_500()",
        "types::Pet.age",
        "types::Problem",
    ] {
        assert!(items.contains(&item), "{item} in {items:#?}");
    }
    assert_eq!(diff(&api(&old), &api(&new)).bump(), Bump::Minor);
}

/// A binary body and file parts are reported with the argument types the crate takes
/// them as, so that a change to either is seen.
#[test]
fn binary_bodies_and_file_parts_have_their_argument_types() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /blobs:
    put:
      operationId: blobs.put
      requestBody:
        required: true
        content: {application/octet-stream: {schema: {type: string, format: binary}}}
      responses: {"204": {description: ok}}
  /photos:
    post:
      operationId: photos.upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [photo]
              properties:
                photo: {type: string, format: binary}
                thumb: {type: string, format: binary}
      responses: {"204": {description: ok}}
"##;
    let surface = crate::surface::Surface::of(&api(text));
    let sig = |path: &str| {
        surface
            .entries()
            .find(|e| e.path == path)
            .map(|e| e.signature.to_owned())
            .unwrap_or_else(|| panic!("no {path}"))
    };
    assert_eq!(
        sig("client.blobs().put(..)"),
        "(body: impl Into<crate::streaming::UploadBody>)"
    );
    assert_eq!(
        sig("client.photos().upload(..)"),
        "(photo_file_name: impl Into<String>, photo: impl Into<Vec<u8>>)"
    );
    assert_eq!(
        sig("client.photos().upload(..).thumb(..)"),
        "(file_name: impl Into<String>, contents: impl Into<Vec<u8>>)"
    );
}

#[test]
fn removals_type_changes_and_new_required_things_break() {
    let new = BASE
            .replace("        id: {type: string}\n", "        id: {type: integer}\n")
            .replace(
                "      required: [name]\n      properties:\n        name: {type: string}\n",
                "      required: [name, owner]\n      properties:\n        name: {type: string}\n        owner: {type: string}\n",
            )
            .replace("[cat, dog]", "[cat, dog, bird]")
            .replace("        - {name: limit, in: query, schema: {type: integer}}\n", "        - {name: limit, in: query, required: true, schema: {type: integer}}\n");
    let report = diff(&api(BASE), &api(&new));
    let found: Vec<(ChangeKind, String, bool)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.item.clone(), c.breaking))
        .collect();
    assert_eq!(
        found,
        [
            (ChangeKind::Changed, "client.pets().list(..)".into(), true),
            (
                ChangeKind::Removed,
                "client.pets().list(..).limit(..)".into(),
                true
            ),
            (ChangeKind::Changed, "types::NewPet::new".into(), true),
            // A response type is built by `sample()` and setters, which a changed
            // property type leaves as they are: only the field is reported.
            (ChangeKind::Changed, "types::Pet.id".into(), true),
            // Additions to `#[non_exhaustive]` types break nobody.
            (ChangeKind::Added, "types::Kind::Bird".into(), false),
            (ChangeKind::Added, "types::NewPet.owner".into(), false),
        ],
        "{found:#?}"
    );
    let id = &report.changes[3];
    assert_eq!(id.old.as_deref(), Some("String"));
    assert_eq!(id.new.as_deref(), Some("i64"));
    assert_eq!(
        id.new_pointer.as_deref(),
        Some("#/components/schemas/Pet/properties/id")
    );
    assert_eq!(report.bump(), Bump::Major);
    assert_eq!(report.next_version("0.3.1").as_deref(), Some("0.4.0"));
    assert_eq!(report.next_version("2.3.1").as_deref(), Some("3.0.0"));
    assert!(
        report
            .to_text()
            .starts_with("4 breaking, 2 additive; semver: major")
    );
    assert!(report.to_markdown().contains("### Breaking"));
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
    assert_eq!(json["breaking"], true);
    assert_eq!(
        json["changes"][3]["old_pointer"],
        "#/components/schemas/Pet/properties/id"
    );
}

/// The OpenAPI 3.2 constructs as a consumer sees them: a call that moves from POST to
/// QUERY, a query parameter that becomes the whole query string, JSON items, and a call
/// that nested tags move into a namespace.
#[test]
fn openapi_32_constructs_are_compared() {
    let old = r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /books/search:
    post:
      operationId: search
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /authors:
    get:
      operationId: authors
      tags: [authors]
      parameters:
        - {name: filter, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}
"##;
    let new = r##"
openapi: 3.2.0
info: {title: t, version: "1"}
tags: [{name: catalog}, {name: authors, parent: catalog}]
paths:
  /books/search:
    query:
      operationId: search
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /authors:
    get:
      operationId: authors
      tags: [authors]
      parameters:
        - {name: filter, in: querystring, content: {text/plain: {schema: {type: string}}}}
      responses:
        "200": {description: ok, content: {application/x-ndjson: {itemSchema: {type: string}}}}
"##;
    let report = diff(&api(old), &api(new));
    let found: Vec<(ChangeKind, &str, bool, Option<&str>)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.item.as_str(), c.breaking, c.new.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (ChangeKind::Removed, "client.authors(..)", true, None),
            // The cargo feature follows the tag: `features = ["authors"]` breaks.
            (ChangeKind::Removed, "feature authors", true, None),
            (
                ChangeKind::Added,
                "client.catalog()",
                false,
                Some("operations::Catalog")
            ),
            (
                ChangeKind::Added,
                "client.catalog().authors()",
                false,
                Some("operations::CatalogAuthors")
            ),
            (
                ChangeKind::Added,
                "client.catalog().authors().authors(..)",
                false,
                Some("()")
            ),
            (
                ChangeKind::Changed,
                "client.search(..) http method",
                false,
                Some("QUERY")
            ),
            (ChangeKind::Added, "feature catalog", false, Some("")),
        ],
        "{found:#?}"
    );
    // The same call in both, its parameter and response changed.
    let moved = new.replace(
        "tags: [{name: catalog}, {name: authors, parent: catalog}]",
        "",
    );
    let report = diff(&api(&old.replace("3.1.0", "3.2.0")), &api(&moved));
    let found: Vec<(ChangeKind, &str, Option<&str>)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.item.as_str(), c.new.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            // A whole query string is not matched by the mock.
            (
                ChangeKind::Removed,
                "client.authors(..) mock .filter(..)",
                None
            ),
            (
                ChangeKind::Changed,
                "client.authors(..).filter(..)",
                Some("(impl Into<String> as the query string (Text))")
            ),
            (
                ChangeKind::Changed,
                "client.authors(..).send()",
                Some("Result<crate::streaming::JsonStream<String>, Error>")
            ),
            (
                ChangeKind::Added,
                "client.authors(..).send_items()",
                Some("JsonStream<String>")
            ),
            (
                ChangeKind::Changed,
                "client.search(..) http method",
                Some("QUERY")
            ),
        ],
        "{found:#?}"
    );
}

#[test]
fn documentation_changes_are_counted_not_listed() {
    let new = BASE.replace(
        "operationId: pets.list\n",
        "operationId: pets.list\n      summary: Lists pets\n",
    );
    let report = diff(&api(BASE), &api(&new));
    assert!(report.changes.is_empty());
    assert_eq!(report.doc_changes, 1);
    assert!(report.to_text().contains("documentation changed on 1 item"));
}
