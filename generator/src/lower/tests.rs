//! Lowering: combinations, references, names, enums.

use crate::diag::Diagnostics;
use crate::model::{
    Api, CursorIn, FeatureKind, Field, Framing, Namespace, NextCursor, Operation, ResponseKind,
    SchemeKind, TypeDef, TypeKind, TypeRef,
};
use crate::naming::pascal;

use super::lower;
use super::namespaces::split_operation_id;
use super::operations::{Tpl, parse_template};
use super::refs;
use super::schemas::tarjan;

/// Lowers spec text; returns the API and the warnings as `message at pointer` lines.
fn lower_text(text: &str) -> (Api, Vec<String>) {
    let mut diags = Diagnostics::default();
    let parsed = crate::parse::parse(text, &mut diags).expect("the fixture parses");
    let api = lower(&parsed, &mut diags);
    assert!(!diags.has_errors(), "{:?}", diags.into_vec());
    let warnings = diags
        .into_vec()
        .into_iter()
        .map(|d| format!("{} at {}", d.message, d.pointer))
        .collect();
    (api, warnings)
}

fn named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn field<'a>(api: &'a Api, ty: &str, wire: &str) -> &'a Field {
    match &named(api, ty).kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .find(|f| f.wire_name == wire)
            .unwrap_or_else(|| panic!("{ty} has no field {wire}")),
        other => panic!("{ty} is not a struct: {other:?}"),
    }
}

fn type_of(api: &Api, t: &TypeRef) -> String {
    match t {
        TypeRef::Named(i) => api.types[*i].name.clone(),
        TypeRef::Array(inner) => format!("Vec<{}>", type_of(api, inner)),
        TypeRef::Map(inner) => format!("Map<{}>", type_of(api, inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_of(api, inner)),
        other => format!("{other:?}"),
    }
}

/// A fixture spec of `tests/fixtures`.
fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn no_schema_part_is_lost_in_combinations() {
    let text = fixture("lossless.yaml");
    let (api, warnings) = lower_text(&text);
    // Nothing in the fixture is beyond a Rust type, so nothing is warned about.
    assert_eq!(warnings, Vec::<String>::new());
    // No struct came out empty.
    for t in &api.types {
        if let TypeKind::Struct {
            fields, additional, ..
        } = &t.kind
        {
            assert!(
                !fields.is_empty() || additional.is_some(),
                "{} is an empty struct",
                t.name
            );
        }
    }
    let f = |ty: &str, wire: &str| {
        let f = field(&api, ty, wire);
        (type_of(&api, &f.ty), f.required, f.nullable)
    };
    // 1. `$ref` with `type: string` beside it, to a string enum: the enum.
    assert_eq!(f("Account", "type"), ("AccountType".into(), true, false));
    assert_eq!(
        f("Account", "previous_type"),
        ("AccountType".into(), false, true)
    );
    // 2. `allOf` of an array and an annotation: the array.
    assert_eq!(f("Account", "tags").0, "Tags");
    assert!(matches!(
        named(&api, "Tags").kind,
        TypeKind::Alias(TypeRef::Array(_))
    ));
    // A component map is a map, not an empty struct.
    assert!(matches!(
        named(&api, "Labels").kind,
        TypeKind::Alias(TypeRef::Map(_))
    ));
    // 3. `type: object` beside `allOf`: the merged properties.
    assert_eq!(f("AccountOwner", "name"), ("String".into(), true, false));
    assert_eq!(f("AccountOwner", "email"), ("String".into(), false, false));
    // 4. `required` beside `allOf` applies to the merged properties.
    assert_eq!(
        f("SettingsUpdate", "settings"),
        ("Settings".into(), true, false)
    );
    assert!(!f("SettingsUpdate", "comment").1);
    // 5. `allOf` with a `oneOf` part: every alternative gets the shared properties.
    let TypeKind::Union { variants, .. } = &named(&api, "ChatMessage").kind else {
        panic!("ChatMessage is not a union");
    };
    assert_eq!(variants.len(), 2);
    let first = type_of(&api, &variants[0].ty);
    let second = type_of(&api, &variants[1].ty);
    assert!(f(&first, "content").1);
    assert!(f(&first, "role").1);
    assert!(f(&second, "tool_calls").1);
    assert!(!f(&second, "name").1);
    // The same for `oneOf` beside an object's own properties.
    let TypeKind::Union { variants, .. } = &named(&api, "Shape").kind else {
        panic!("Shape is not a union");
    };
    assert!(f(&type_of(&api, &variants[0].ty), "id").1);
    assert!(f(&type_of(&api, &variants[1].ty), "side").1);
    // A union with `{nullable: true}` beside it: optional and nullable; a scalar with
    // `{nullable: false}` beside it: the scalar.
    assert_eq!(f("Account", "choice"), ("Choice".into(), false, true));
    assert_eq!(f("Account", "sequence_id"), ("String".into(), false, false));
    // The `#fragment` of a path key is not part of the path; `Accept` asks for the JSON.
    let detail = api
        .operations
        .iter()
        .find(|o| o.id == "getAccountDetail")
        .expect("op");
    assert_eq!(detail.path, "/accounts/{id}");
    assert_eq!(detail.accept.as_deref(), Some("application/json"));
    // 6. Integers past i64::MAX, by bound or by example: u64.
    assert_eq!(f("Account", "quota").0, "U64");
    assert_eq!(f("Account", "serial").0, "U64");
}

#[test]
fn combinations_no_type_can_hold_are_json_with_a_warning() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Word: {type: string, enum: [a, b]}
    Both:
      allOf:
        - $ref: "#/components/schemas/Word"
        - type: object
          properties: {x: {type: string}}
    Twice:
      allOf:
        - oneOf: [{type: object, properties: {a: {type: string}}}, {type: string}]
        - oneOf: [{type: object, properties: {b: {type: string}}}, {type: integer}]
    Wide: {type: integer, minimum: -1, example: 18446744073709551000}
    Huge: {type: integer, maximum: 1e30}
    Range: {type: integer, minimum: -9223372036854776000, maximum: 9223372036854776000}
    OneOf:
      type: object
      properties: {url: {type: string}, id: {type: string}}
      anyOf: [{required: [url]}, {required: [id]}]
      not: {required: [url, id]}
"##;
    let (api, warnings) = lower_text(text);
    let alias = |name: &str| match &named(&api, name).kind {
        TypeKind::Alias(t) => type_of(&api, t),
        other => format!("{other:?}"),
    };
    assert_eq!(alias("Both"), "Json");
    assert_eq!(alias("Twice"), "Json");
    assert_eq!(alias("Wide"), "F64");
    assert_eq!(alias("Huge"), "F64");
    // `i64::MIN..=i64::MAX` written as doubles is still i64.
    assert_eq!(alias("Range"), "I64");
    // Constraint-only alternatives and `not` beside properties keep the plain struct.
    assert!(!field(&api, "OneOf", "url").required);
    for (pointer, words) in [
        ("#/components/schemas/Both", "1 object, 1 non-object"),
        ("#/components/schemas/Twice", "2 oneOf/anyOf"),
        (
            "#/components/schemas/Wide",
            "negative values and values past i64::MAX",
        ),
        ("#/components/schemas/Huge", "beyond 64 bits"),
    ] {
        assert!(
            warnings
                .iter()
                .any(|w| w.ends_with(&format!(" at {pointer}")) && w.contains(words)),
            "no warning with `{words}` at {pointer}: {warnings:#?}"
        );
    }
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
}

#[test]
fn duplicate_enum_values_are_one_variant_and_a_warning() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Shade: {type: string, enum: [Foo, Bar, Bar, foo]}
"##;
    let (api, warnings) = lower_text(text);
    let TypeKind::Enum { variants } = &named(&api, "Shade").kind else {
        panic!("Shade is not an enum");
    };
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    // `foo` differs from `Foo` on the wire, so it stays, under another Rust name.
    assert_eq!(wires, ["Foo", "Bar", "foo"]);
    assert_eq!(variants[2].rust_name, "Foo2");
    assert_eq!(
        warnings,
        ["enum value `Bar` is listed twice: one variant at #/components/schemas/Shade/enum"]
    );
}

#[test]
fn references_into_the_middle_of_the_document_share_one_type() {
    let text = fixture("deep_refs.yaml");
    let (api, warnings) = lower_text(&text);
    assert_eq!(warnings, Vec::<String>::new());
    // The enum is lowered once, for the property and for the reference to it.
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("CustomFieldsFieldValueName"))
            .count(),
        1,
        "{names:?}"
    );
    let list = api
        .operations
        .iter()
        .find(|o| o.id == "listFields")
        .expect("op");
    let created_by = field(&api, "Template", "created_by");
    let TypeKind::Union { variants, .. } = &named(&api, "TemplateCreatedBy").kind else {
        panic!("created_by is not a union");
    };
    assert_eq!(type_of(&api, &created_by.ty), "TemplateCreatedBy");
    // The alternative that is referenced elsewhere is one type, named after its place,
    // and refers to itself through a box.
    assert_eq!(type_of(&api, &variants[1].ty), "TemplateCreatedByVariant1");
    let manager = field(&api, "TemplateCreatedByVariant1", "manager");
    assert_eq!(type_of(&api, &manager.ty), "TemplateCreatedByVariant1");
    assert!(manager.boxed);
    let success = |op: &Operation| match &op.success[0].1 {
        ResponseKind::Json(t) => type_of(&api, t),
        other => format!("{other:?}"),
    };
    assert_eq!(success(list), "Vec<CustomFieldsFieldValueName>");
    let create = api
        .operations
        .iter()
        .find(|o| o.id == "createTemplate")
        .expect("op");
    let echo = api.operations.iter().find(|o| o.id == "echo").expect("op");
    assert_eq!(success(create), success(echo));
    assert_eq!(
        type_of(&api, &field(&api, &success(create), "creator").ty),
        "TemplateCreatedByVariant1"
    );
}

#[test]
fn a_reference_to_nothing_in_the_middle_of_the_document_is_an_error_at_its_use() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: "#/components/schemas/A/properties/missing"}
"##;
    let mut diags = Diagnostics::default();
    let parsed = crate::parse::parse(text, &mut diags).expect("parses");
    lower(&parsed, &mut diags);
    let errors: Vec<String> = diags
        .into_vec()
        .into_iter()
        .map(|d| format!("{} at {}", d.message, d.pointer))
        .collect();
    assert_eq!(
        errors,
        [
            "reference `#/components/schemas/A/properties/missing` points to nothing at #/components/schemas/A/properties/b"
        ]
    );
}

#[test]
fn names_follow_the_place_in_the_document() {
    for (pointer, name) in [
        (
            "#/components/schemas/CustomFieldsFieldValue/properties/name",
            "CustomFieldsFieldValueName",
        ),
        (
            "#/components/schemas/Template/allOf/1/properties/created_by/oneOf/1",
            "TemplateCreatedByVariant1",
        ),
        (
            "#/paths/~1pets~1{id}/get/responses/2XX/content/application~1json/schema/items",
            "PetsId",
        ),
        ("#/components/schemas/X/properties/x", "XX"),
    ] {
        assert_eq!(pascal(&refs::name_from_pointer(pointer)), name, "{pointer}");
    }
}

#[test]
fn an_allof_that_includes_itself_is_skipped_with_a_warning() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Node:
      allOf:
        - $ref: "#/components/schemas/Node"
        - type: object
          properties: {name: {type: string}}
"##;
    let (api, warnings) = lower_text(text);
    assert_eq!(field(&api, "Node", "name").ty, TypeRef::String);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("includes") && w.contains("allOf/0")),
        "{warnings:#?}"
    );
}

#[test]
fn operation_ids_name_namespaces() {
    let split = |id: &str| split_operation_id(id);
    assert_eq!(
        split("organizations.members.getConnectedApps"),
        (
            vec!["organizations".into(), "members".into()],
            "getConnectedApps".into()
        )
    );
    assert_eq!(
        split("repos/get-content"),
        (vec!["repos".into()], "get-content".into())
    );
    assert_eq!(
        split("api_organization_v1_organizations_members_GetConnectedApps"),
        (
            vec!["organizations".into(), "members".into()],
            "GetConnectedApps".into()
        )
    );
    assert_eq!(
        split("api_organization_v1_Update"),
        (vec!["organization".into()], "Update".into())
    );
    assert_eq!(split("listPets"), (vec![], "listPets".into()));
    assert_eq!(split("get_users_v2"), (vec![], "get_users_v2".into()));
    assert_eq!(split("get_users_id"), (vec![], "get_users_id".into()));
}

#[test]
fn templates_split_once() {
    assert_eq!(
        parse_template("/files/{name}.{ext}"),
        vec![
            Tpl::Literal("/files/".into()),
            Tpl::Param("name".into()),
            Tpl::Literal(".".into()),
            Tpl::Param("ext".into())
        ]
    );
    assert_eq!(parse_template("/a"), vec![Tpl::Literal("/a".into())]);
}

#[test]
fn cycles_are_found() {
    // 0 -> 1 -> 0 is a cycle, 2 -> 2 is a self-cycle, 3 -> 0 is not in a cycle.
    let c = tarjan(&[vec![1], vec![0], vec![2], vec![0]]);
    assert_eq!(c[0], c[1]);
    assert_ne!(c[3], c[0]);
    assert_ne!(c[2], c[3]);
}

/// The features fixture: which feature compiles each operation and type, and which serde
/// impls each type gets.
#[test]
fn features_follow_namespaces_tags_and_the_type_graph() {
    let (api, _) = lower_text(&fixture("features.yaml"));
    let f = &api.features;
    let names: Vec<&str> = f.list.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "admin_tools",
            "extra-types",
            "pets",
            "stores",
            "tracing_api",
            "untagged"
        ]
    );
    let feature_of = |id: &str| {
        let i = api.operations.iter().position(|o| o.id == id).unwrap();
        f.list[f.operation[i]].name.as_str()
    };
    assert_eq!(feature_of("pets.owners.get"), "pets");
    assert_eq!(feature_of("resetEverything"), "admin_tools");
    assert_eq!(feature_of("ping"), "untagged");
    // A namespace named like one of the manifest's own features keeps its accessor.
    assert_eq!(feature_of("tracing.status"), "tracing_api");
    assert_eq!(
        f.list[3..5].iter().map(|x| &x.kind).collect::<Vec<_>>(),
        [
            &FeatureKind::Namespace("stores".into()),
            &FeatureKind::Namespace("tracing".into())
        ]
    );
    assert_eq!(f.list[2].operations, 3);
    let features_of = |ty: &str| {
        let i = api.types.iter().position(|t| t.name == ty).unwrap();
        f.types[i]
            .iter()
            .map(|&x| f.list[x].name.as_str())
            .collect::<Vec<_>>()
    };
    // Shared by three namespaces and the webhook payload: compiled once, under any of them.
    assert_eq!(
        features_of("Owner"),
        ["extra-types", "pets", "stores", "tracing_api"]
    );
    assert_eq!(features_of("PetError"), ["pets"]);
    assert_eq!(features_of("Problem"), ["admin_tools", "stores"]);
    assert_eq!(features_of("WebhookEvent"), ["extra-types"]);
    let index = |ty: &str| api.types.iter().position(|t| t.name == ty).unwrap();
    // Sent and received: both impls; only received: no `Serialize`; the webhook payload is
    // read, not written.
    assert!(f.sent[index("Pet")] && f.received[index("Pet")]);
    assert!(f.sent[index("Owner")] && f.received[index("Owner")]);
    assert!(!f.sent[index("Store")] && f.received[index("Store")]);
    assert!(!f.sent[index("WebhookEvent")] && f.received[index("WebhookEvent")]);
    // Error bodies and their decoders belong to the features whose operations return them.
    let variant = |ty: &str| {
        let i = api
            .error_variants
            .iter()
            .position(|v| v.ty == TypeRef::Named(index(ty)))
            .unwrap();
        f.error_variants[i]
            .iter()
            .map(|&x| f.list[x].name.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(variant("Problem"), ["admin_tools", "stores"]);
    assert_eq!(variant("PetError"), ["pets"]);
}

/// The pagination fixture: each shape is inferred, the extension sets or turns it off, and a
/// wrong extension is a warning at its pointer.
#[test]
fn pagination_is_inferred_from_shapes_and_set_by_the_extension() {
    let (api, warnings) = lower_text(&fixture("pagination.yaml"));
    let of = |id: &str| {
        api.operations
            .iter()
            .find(|o| o.id == id)
            .unwrap()
            .pagination
            .clone()
    };
    let search = of("members.search").expect("body cursor");
    assert!(matches!(&search.cursor, CursorIn::Body(s) if s.wire == "cursor"));
    assert!(matches!(&search.next, NextCursor::Path(p)
        if p.iter().map(|s| s.wire.as_str()).collect::<Vec<_>>() == ["results_metadata", "next_cursor"]));
    assert_eq!(search.items.unwrap().field.unwrap().wire, "members");
    assert!(matches!(
        of("charges.list").unwrap().next,
        NextCursor::LastItemId { .. }
    ));
    assert_eq!(
        of("repos.list").unwrap().next,
        NextCursor::LinkHeader("page".into())
    );
    assert!(of("repos.list").unwrap().items.unwrap().field.is_none());
    assert!(
        of("events.list")
            .unwrap()
            .reason
            .starts_with("x-clientgen-pagination")
    );
    assert_eq!(of("logs.list"), None);
    assert_eq!(of("members.get"), None);
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.starts_with("paginated"))
            .count(),
        6
    );
    assert!(matches!(
        of("records.list").unwrap().next,
        NextCursor::Offset { .. }
    ));

    let broken =
        fixture("pagination.yaml").replace("next: paging.resume_at", "next: paging.nowhere");
    let (api, warnings) = lower_text(&broken);
    assert!(
        api.operations
            .iter()
            .find(|o| o.id == "events.list")
            .unwrap()
            .pagination
            .is_none()
    );
    assert!(
        warnings.contains(&"the response has no string or integer property `paging.nowhere`; the operation is not paginated at #/paths/~1events/get/x-clientgen-pagination".to_owned()),
        "{warnings:?}"
    );
}

/// The extension is read where the operation is, also in a path item that is a reference.
#[test]
fn the_pagination_extension_counts_in_a_referenced_path_item() {
    let spec = |ext: &str| {
        format!(
            r##"
openapi: 3.1.0
info: {{title: t, version: '1'}}
paths:
  /logs: {{$ref: '#/components/pathItems/Logs'}}
components:
  pathItems:
    Logs:
      get:
        operationId: logs.list
{ext}        parameters:
          - {{name: cursor, in: query, schema: {{type: string}}}}
        responses:
          '200':
            description: A page.
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    items: {{type: array, items: {{type: string}}}}
                    next_cursor: {{type: string}}
"##
        )
    };
    let (api, _) = lower_text(&spec(""));
    assert!(api.operations[0].pagination.is_some(), "inferred");
    let (api, _) = lower_text(&spec("        x-clientgen-pagination: false\n"));
    assert!(api.operations[0].pagination.is_none(), "turned off");
}

/// `required` with `readOnly` binds responses only, with `writeOnly` requests only.
#[test]
fn read_only_and_write_only_requirements_bind_one_direction() {
    for version in ["3.0.3", "3.1.0"] {
        read_only_and_write_only_in(version);
    }
}

fn read_only_and_write_only_in(version: &str) {
    let (api, _) = lower_text(
        &r#"
openapi: VERSION
info: {title: t, version: "1"}
paths:
  /users:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/User'}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
    get:
      responses:
        "200":
          description: A receipt.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Receipt'}
components:
  schemas:
    User:
      type: object
      required: [id, name, password]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
    Receipt:
      type: object
      required: [id]
      properties:
        id: {type: string, readOnly: true}
"#
        .replace("VERSION", version),
    );
    assert!(!field(&api, "User", "id").required, "{version}");
    assert!(field(&api, "User", "name").required);
    assert!(!field(&api, "User", "password").required);
    // Only received: its read-only property stays required.
    assert!(field(&api, "Receipt", "id").required);
}

/// An `Authorization` header parameter reaches the wire, or is reported: kept as a secret
/// argument where no security scheme covers the call, ignored (with a warning) where one does.
#[test]
fn an_authorization_parameter_is_kept_or_reported() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /open:
    get:
      operationId: open
      parameters:
        - {name: Authorization, in: header, required: true, schema: {type: string}}
      responses: {"200": {description: ok}}
  /secured:
    get:
      operationId: secured
      security: [{key: []}]
      parameters:
        - {name: Authorization, in: header, schema: {type: string}}
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    key: {type: http, scheme: bearer}
"#;
    let (api, warnings) = lower_text(text);
    let open = api.operations.iter().find(|o| o.path == "/open").unwrap();
    let param = open
        .params
        .iter()
        .find(|p| p.wire_name == "Authorization")
        .unwrap();
    assert!(param.required && param.sensitive);
    let secured = api
        .operations
        .iter()
        .find(|o| o.path == "/secured")
        .unwrap();
    assert!(secured.params.is_empty());
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("kept as a secret argument")
                && w.ends_with("#/paths/~1open/get/parameters/0")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("security scheme sets it")
                && w.ends_with("#/paths/~1secured/get/parameters/0")),
        "{warnings:?}"
    );
}

/// The accessor path of every operation, by operation id.
fn calls(api: &Api) -> Vec<(String, String)> {
    fn walk(ns: &Namespace, prefix: &str, api: &Api, out: &mut Vec<(String, String)>) {
        for &i in &ns.operations {
            let op = &api.operations[i];
            out.push((op.id.clone(), format!("{prefix}.{}", op.method_name)));
        }
        for child in &ns.children {
            walk(child, &format!("{prefix}.{}", child.rust_name), api, out);
        }
    }
    let mut out = Vec::new();
    walk(&api.root, "client", api, &mut out);
    out.sort();
    out
}

/// Nested tags give namespaces to operations whose ids name none; ids that name namespaces
/// win; a parent no tag names and a cycle of parents are warned about and cut.
#[test]
fn nested_tags_are_namespaces_after_operation_ids() {
    let text = r##"
openapi: 3.2.0
info: {title: t, version: "1"}
tags:
  - {name: store}
  - {name: Pet Care, parent: store}
  - {name: orders, parent: store}
  - {name: lost, parent: nowhere}
  - {name: a, parent: b}
  - {name: b, parent: a}
  - {name: flat}
paths:
  /pets:
    get: {operationId: listPets, tags: [Pet Care], responses: {"204": {description: ok}}}
    post: {operationId: pets.create, tags: [Pet Care], responses: {"204": {description: ok}}}
  /orders:
    get: {operationId: listOrders, tags: [orders, flat], responses: {"204": {description: ok}}}
  /flat:
    get: {operationId: flatOne, tags: [flat], responses: {"204": {description: ok}}}
  /store:
    get: {operationId: inventory, tags: [store], responses: {"204": {description: ok}}}
  /cycle:
    get: {operationId: spin, tags: [a], responses: {"204": {description: ok}}}
"##;
    let (api, warnings) = lower_text(text);
    assert_eq!(
        calls(&api),
        [
            ("flatOne".into(), "client.flat_one".into()),
            ("inventory".into(), "client.store.inventory".into()),
            (
                "listOrders".into(),
                "client.store.orders.list_orders".into()
            ),
            ("listPets".into(), "client.store.pet_care.list_pets".into()),
            ("pets.create".into(), "client.pets.create".into()),
            ("spin".into(), "client.b.a.spin".into()),
        ]
    );
    assert_eq!(
        warnings,
        [
            "no tag is named `nowhere`: `lost` is a root tag at #/tags/3/parent",
            "the parents of tag `a` lead back to it: the cycle is cut at `b` at #/tags/4/parent",
            "the parents of tag `b` lead back to it: the cycle is cut at `a` at #/tags/5/parent",
        ]
    );
}

/// QUERY and `additionalOperations` are operations with their method as written; a method
/// name that is not an HTTP token is an error at its pointer, one that has a field of its own
/// a warning.
#[test]
fn query_and_additional_operations_are_operations() {
    let text = r##"
openapi: 3.2.0
info: {title: t, version: "1"}
paths:
  /a:
    query: {responses: {"204": {description: ok}}}
    additionalOperations:
      PURGE: {operationId: purge, responses: {"204": {description: ok}}}
      post: {operationId: shouty, responses: {"204": {description: ok}}}
"##;
    let (api, warnings) = lower_text(text);
    let methods: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o.method.as_str()))
        .collect();
    assert_eq!(
        methods,
        [
            ("query__a", "QUERY"),
            ("purge", "PURGE"),
            ("shouty", "post")
        ]
    );
    assert_eq!(
        api.operations[1].pointer,
        "#/paths/~1a/additionalOperations/PURGE"
    );
    assert_eq!(
        warnings,
        [
            "`post` has a field of its own in a path item, which `additionalOperations` must not repeat; sent as written at #/paths/~1a/additionalOperations/post"
        ]
    );
    let bad = text.replace("PURGE:", "\"BAD METHOD\":");
    let errors = crate::lower_text(&bad)
        .expect_err("an invalid method")
        .to_string();
    assert!(
        errors.contains(
            "`BAD METHOD` is not a valid HTTP method at #/paths/~1a/additionalOperations/BAD METHOD"
        ),
        "{errors}"
    );
    let broken = text.replace("PURGE: {operationId: purge,", "PURGE: {operationId: [1],");
    let errors = crate::lower_text(&broken)
        .expect_err("a broken operation")
        .to_string();
    assert!(
        errors.contains("#/paths/~1a/additionalOperations/PURGE/operationId"),
        "{errors}"
    );
}

/// The device authorization flow is an OAuth 2 scheme like the others: a bearer token set on
/// the client, without a warning.
#[test]
fn the_device_authorization_flow_is_a_bearer_credential() {
    let text = r##"
openapi: 3.2.0
info: {title: t, version: "1"}
security: [{device: []}]
paths: {}
components:
  securitySchemes:
    device:
      type: oauth2
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://auth.example.com/device
          tokenUrl: https://auth.example.com/token
          scopes: {}
"##;
    let (api, warnings) = lower_text(text);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(api.schemes[0].kind, SchemeKind::Bearer);
    assert_eq!(api.schemes[0].credentials, ["token"]);
    assert_eq!(api.constructor_scheme, Some(0));
}

/// JSON Lines in a 3.0 or 3.1 description: a schema that is not an array is one item, an
/// array (inline or a component) the whole sequence; the first success offering JSON keeps
/// `send()` for it.
#[test]
fn json_lines_items_follow_the_rule() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /one:
    get:
      responses:
        "200": {description: ok, content: {application/x-ndjson: {schema: {$ref: '#/components/schemas/Game'}}}}
  /array:
    get:
      responses:
        "200": {description: ok, content: {application/x-ndjson: {schema: {$ref: '#/components/schemas/Games'}}}}
  /both:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Game'}}, application/json-seq: {schema: {type: array, items: {type: integer}}}}}
components:
  schemas:
    Game: {type: object, properties: {id: {type: string}}}
    Games: {type: array, items: {$ref: '#/components/schemas/Game'}}
"##;
    let (api, warnings) = lower_text(text);
    assert!(warnings.is_empty(), "{warnings:?}");
    let items: Vec<(String, bool, Framing)> = api
        .operations
        .iter()
        .map(|o| {
            let s = o.items.as_ref().expect("items");
            (type_of(&api, &s.item), s.only, s.framing)
        })
        .collect();
    assert_eq!(
        items,
        [
            ("Game".into(), true, Framing::Lines),
            ("Game".into(), true, Framing::Lines),
            ("I64".into(), false, Framing::RecordSeparator),
        ]
    );
}

/// A client credentials flow asks for every scope the requirements name with its scheme (the
/// document's and the operations', sorted, once each; not one only listed by the flow), and
/// its setters are claimed like the scheme's own name: a scheme keyed after one is numbered.
#[test]
fn client_credentials_ask_for_the_scopes_the_requirements_name() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{cc: [b]}]
paths:
  /x:
    get:
      security: [{cc: [c, a]}, {cc: [b]}]
      responses: {"200": {description: ok}}
    post:
      security: []
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    cc:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /token
          scopes: {a: A, b: B, c: C, unused: U}
    cc_token_provider:
      type: http
      scheme: bearer
    key:
      type: apiKey
      in: header
      name: X-Key
"##;
    let (api, warnings) = lower_text(text);
    assert!(warnings.is_empty(), "{warnings:?}");
    let flow = api.schemes[0]
        .client_credentials
        .as_ref()
        .expect("the flow");
    assert_eq!(flow.token_url, "/token");
    assert_eq!(flow.scopes, ["a", "b", "c"]);
    assert_eq!(
        api.schemes[0].token_setters,
        Some((
            Some("cc_client_credentials".into()),
            "cc_token_provider".into()
        ))
    );
    // A plain bearer scheme takes a provider and has no flow; its own name was taken.
    assert_eq!(api.schemes[1].rust_name, "cc_token_provider_2");
    assert_eq!(api.schemes[1].client_credentials, None);
    assert_eq!(
        api.schemes[1].token_setters,
        Some((None, "cc_token_provider_2_token_provider".into()))
    );
    // An API key sends no token.
    assert_eq!(api.schemes[2].token_setters, None);
}

/// Webhooks: the event header is the one whose value differs between them (here given as
/// examples, as GitHub gives `X-GitHub-Event`), constants come from the payload's own
/// properties, its `allOf` parts and what every `oneOf` alternative has alike; two webhooks
/// nothing tells apart get a warning; names are sorted and variants unique.
#[test]
fn webhooks_are_told_apart_by_their_event_header_and_payload_constants() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
x-clientgen-webhook-signature: github
paths: {}
x-webhooks:
  issues-opened:
    post:
      parameters:
        - {name: X-GitHub-Event, in: header, example: issues, schema: {type: string}}
        - {name: X-GitHub-Delivery, in: header, example: same-for-all, schema: {type: string}}
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/opened'}}}}
      responses: {"200": {description: ok}}
  issues-closed:
    post:
      parameters:
        - {name: X-GitHub-Event, in: header, example: issues, schema: {type: string}}
        - {name: X-GitHub-Delivery, in: header, example: same-for-all, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - {type: object, properties: {action: {type: string, enum: [closed]}, a: {type: string}}}
                - {type: object, properties: {action: {type: string, enum: [closed]}, b: {type: string}}}
      responses: {"200": {description: ok}}
  push:
    post:
      parameters:
        - {name: X-GitHub-Event, in: header, example: push, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - {type: object, properties: {ref: {type: string}}}
      responses: {"200": {description: ok}}
  push-again:
    post:
      parameters:
        - {name: X-GitHub-Event, in: header, example: push, schema: {type: string}}
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {"200": {description: ok}}
components:
  schemas:
    opened:
      type: object
      properties:
        action: {type: string, enum: [opened]}
        kind: {const: issue}
"##;
    let (api, warnings) = lower_text(text);
    assert_eq!(
        api.webhook_signature,
        Some(crate::model::WebhookSignature::GitHub)
    );
    let names: Vec<&str> = api.webhooks.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        names,
        ["issues-closed", "issues-opened", "push", "push-again"]
    );
    let variants: Vec<&str> = api.webhooks.iter().map(|w| w.variant.as_str()).collect();
    assert_eq!(
        variants,
        ["IssuesClosed", "IssuesOpened", "Push", "PushAgain"]
    );
    for w in &api.webhooks {
        let (header, _) = w.header.as_ref().expect("an event header");
        assert_eq!(
            header, "x-github-event",
            "the delivery id is the same for all"
        );
    }
    assert_eq!(
        api.webhooks[0].consts,
        [("action".to_owned(), "closed".to_owned())]
    );
    assert_eq!(
        api.webhooks[1].consts,
        [
            ("action".to_owned(), "opened".to_owned()),
            ("kind".to_owned(), "issue".to_owned())
        ]
    );
    assert!(api.webhooks[2].consts.is_empty());
    let ambiguous: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("cannot be told apart"))
        .collect();
    assert_eq!(ambiguous.len(), 1, "{warnings:?}");
    assert!(
        ambiguous[0].contains("`push-again` cannot be told apart from `push`"),
        "{ambiguous:?}"
    );
    // A scheme clientgen does not know is an error at its pointer.
    let wrong = text.replace(
        "x-clientgen-webhook-signature: github",
        "x-clientgen-webhook-signature: svix",
    );
    let mut diags = Diagnostics::default();
    let parsed = crate::parse::parse(&wrong, &mut diags).expect("the description parses");
    lower(&parsed, &mut diags);
    let errors: Vec<String> = diags.into_vec().into_iter().map(|d| d.pointer).collect();
    assert!(
        errors
            .iter()
            .any(|p| p == "#/x-clientgen-webhook-signature"),
        "{errors:?}"
    );
}

/// A root operation or namespace named after one of `Client`'s own methods is numbered, and
/// the rename is a warning at the operation, so a reader of the description finds the call.
#[test]
fn a_root_method_renamed_for_the_client_is_a_warning() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: new
      responses: {"204": {description: none}}
  /b:
    get:
      operationId: builder.list
      responses: {"204": {description: none}}
  /c:
    get:
      operationId: builder.get
      responses: {"204": {description: none}}
  /d:
    get:
      operationId: fresh
      responses: {"204": {description: none}}
"#;
    let (api, warnings) = lower_text(text);
    let methods: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert_eq!(methods, ["new_2", "list", "get", "fresh"]);
    assert_eq!(
        warnings,
        [
            "`new` is a method of `Client` already: this operation is `client.new_2(..)` at #/paths/~1a/get",
            "`builder` is a method of `Client` already: this namespace is `client.builder_2()` at #/paths/~1b/get",
        ]
    );
}
