//! Lowering of operations: credentials and parameters, namespaces and methods, streams and
//! webhooks.

use super::super::lower;
use super::{lower_text, type_of};
use crate::diag::Diagnostics;
use crate::model::{Api, Framing, Namespace, SchemeKind};

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
