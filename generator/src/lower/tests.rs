//! Lowering: combinations, references, names, enums.

use crate::diag::Diagnostics;
use crate::model::{
    Api, CursorIn, FeatureKind, Field, NextCursor, Operation, ResponseKind, TypeDef, TypeKind,
    TypeRef,
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

/// Operations: credentials and parameters, namespaces, methods, streams and webhooks.
mod operations;
