//! The Swagger 2.0 converter: each construct as OpenAPI 3.0 says it, and pointers back.
use super::*;

fn converted(yaml: &str) -> (Value, PointerMap, Vec<String>) {
    let doc = crate::parse::parse_value(yaml).expect("YAML");
    let mut diags = Diagnostics::default();
    let (value, map) = convert(&doc, &mut diags);
    let said = diags
        .into_vec()
        .into_iter()
        .map(|d| format!("{} at {}", d.message, d.pointer))
        .collect();
    (value, map, said)
}

#[test]
fn servers_security_and_schemas_are_rewritten() {
    let (v, _, said) = converted(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: h.example\nbasePath: /api/\nschemes: [http, https, ws]\n\
             securityDefinitions:\n  a: {type: oauth2, flow: password, tokenUrl: /t, scopes: {}}\n  b: {type: oauth2, flow: implicit, authorizationUrl: /a, scopes: {x: y}}\n\
             paths: {}\ndefinitions:\n  P: {type: object, discriminator: k, properties: {k: {type: string}, f: {type: file}, n: {type: string, x-nullable: true}, r: {$ref: '#/definitions/P'}}}\n",
    );
    assert!(said.is_empty(), "{said:?}");
    assert_eq!(
        v["servers"],
        json!([{"url": "https://h.example/api"}, {"url": "http://h.example/api"}])
    );
    let schemes = &v["components"]["securitySchemes"];
    assert_eq!(schemes["a"]["flows"]["password"]["tokenUrl"], "/t");
    assert_eq!(schemes["b"]["flows"]["implicit"]["scopes"]["x"], "y");
    let p = &v["components"]["schemas"]["P"];
    assert_eq!(p["discriminator"], json!({"propertyName": "k"}));
    assert_eq!(
        p["properties"]["f"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(p["properties"]["n"]["nullable"], true);
    assert_eq!(p["properties"]["r"]["$ref"], "#/components/schemas/P");
}

#[test]
fn pointers_translate_by_their_longest_recorded_prefix_on_a_token_boundary() {
    let map: PointerMap = vec![
        ("#/components/schemas".into(), "#/definitions".into()),
        (
            "#/paths/~1a/get/parameters/0".into(),
            "#/paths/~1a/get/parameters/2".into(),
        ),
        (
            "#/paths/~1a/get/requestBody".into(),
            "#/paths/~1a/get/parameters/0".into(),
        ),
        (
            "#/paths/~1a/get/requestBody/content/application~1json/schema".into(),
            "#/paths/~1a/get/parameters/0/schema".into(),
        ),
    ];
    assert_eq!(
        translate(&map, "#/components/schemas/P/properties/x"),
        "#/definitions/P/properties/x"
    );
    assert_eq!(
        translate(&map, "#/components/schemasX"),
        "#/components/schemasX"
    );
    assert_eq!(
        translate(&map, "#/paths/~1a/get/parameters/0/schema"),
        "#/paths/~1a/get/parameters/2/schema"
    );
    assert_eq!(
        translate(&map, "#/paths/~1a/get/parameters/01"),
        "#/paths/~1a/get/parameters/01"
    );
    assert_eq!(
        translate(
            &map,
            "#/paths/~1a/get/requestBody/content/application~1json/schema/items"
        ),
        "#/paths/~1a/get/parameters/0/schema/items"
    );
    assert_eq!(
        translate(&map, "#/paths/~1a/get/requestBody/required"),
        "#/paths/~1a/get/parameters/0/required"
    );
    assert_eq!(translate(&map, "#/info"), "#/info");
}
