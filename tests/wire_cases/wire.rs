//! The crate generated from `tests/fixtures/wire_cases.yaml` against a loopback server: what
//! each case puts on the wire, and what it reads back. Copied into that crate's `tests/` by
//! `tests/tests/wire_cases.rs`, which runs it.

use clientgen_tests::{Reply, Server};
use wire_cases::types::*;
use wire_cases::Client;

/// Answers every request with `status` and the JSON `body`.
fn serve(status: u16, body: &str) -> Server {
    Server::start(vec![Reply::json(status, body)])
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).max_retries(0).build().unwrap()
}

#[tokio::test]
async fn a_query_in_the_path_key_and_an_array_header() {
    let server = serve(200, r#"{"id":"r1"}"#);
    let client = client(&server.url());
    client
        .cancel_response_beta("r1")
        .feature_flags(vec![
            CancelResponseBetaFeatureFlagsItem::Alpha,
            CancelResponseBetaFeatureFlagsItem::Beta,
        ])
        .send()
        .await
        .unwrap();
    let seen = server.requests()[0].clone();
    assert_eq!(seen.line(), "POST /responses/r1/cancel?beta=true HTTP/1.1");
    assert_eq!(seen.header("feature-flags"), Some("alpha,beta"));
}

#[tokio::test]
async fn nulls_inside_maps_and_arrays_decode() {
    let server = serve(200, r#"{"labels":{"team":"core","owner":null},"runs":[1,null,3]}"#);
    let workflow = client(&server.url())
        .get_workflow(GetWorkflowWorkflowId::String("deploy".to_owned())).send().await.unwrap();
    assert_eq!(workflow.labels.get("owner"), Some(&None));
    assert_eq!(workflow.labels.get("team"), Some(&Some("core".to_owned())));
    assert_eq!(workflow.runs, vec![Some(1), None, Some(3)]);
}

#[tokio::test]
async fn a_body_that_requires_names_through_alternatives_is_an_argument() {
    let server = serve(204, "");
    let body = UpdateAlertBody::new().state(UpdateAlertBodyState::Open);
    client(&server.url()).update_alert(7, body).send().await.unwrap();
    let seen = server.requests()[0].clone();
    assert_eq!(seen.line(), "PATCH /alerts/7 HTTP/1.1");
    assert_eq!(seen.body_text(), r#"{"state":"open"}"#);
}

#[tokio::test]
async fn a_required_name_without_a_schema_is_kept_both_ways() {
    let server = serve(201, r#"{"actionable_by":{"id":42,"login":"ann"},"size":3}"#);
    let body = Invite::new(InviteActionableBy::new().id(serde_json::json!(42)).login("ann"));
    let invite = client(&server.url()).create_invite(body).send().await.unwrap();
    let seen = server.requests()[0].clone();
    assert_eq!(
        seen.body_text(),
        r#"{"actionable_by":{"login":"ann","id":42}}"#
    );
    assert_eq!(invite.actionable_by.id, Some(serde_json::json!(42)));
    assert_eq!(invite.size, Some(3));
}

#[tokio::test]
async fn a_discriminator_reads_the_tag_its_alternatives_declare() {
    let server = serve(200, r#"{"type":"file_search","max_results":5}"#);
    let tool = Tool::FunctionTool(FunctionTool::new(
        FunctionToolType::Function,
        "lookup".to_owned(),
    ));
    let answer = client(&server.url()).add_tool(tool).send().await.unwrap();
    assert!(
        matches!(&answer, Tool::FileSearchTool(t) if t.max_results == Some(5)),
        "{answer:?}"
    );
    let seen = server.requests()[0].clone();
    assert_eq!(
        seen.body_text(),
        r#"{"type":"function","name":"lookup"}"#
    );
}

#[tokio::test]
async fn alternatives_with_one_tag_are_told_apart_by_their_properties() {
    let server = serve(200, r#"{"type":"function","call_id":"c1"}"#);
    let tool = Tool::FunctionTool(FunctionTool::new(
        FunctionToolType::Function,
        "lookup".to_owned(),
    ));
    let answer = client(&server.url()).add_tool(tool).send().await.unwrap();
    assert!(
        matches!(&answer, Tool::FunctionCall(c) if c.call_id == "c1"),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_required_file_part_is_an_argument() {
    let server = serve(200, r#"{"size":5}"#);
    client(&server.url())
        .upload_part("a.txt", b"hello".to_vec())
        .send()
        .await
        .unwrap();
    let seen = server.requests()[0].clone();
    let body = seen.body_text();
    assert!(
        body.contains("name=\"data\"; filename=\"a.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n"),
        "{body}"
    );
}

#[tokio::test]
async fn see_other_is_the_answer_and_is_not_followed() {
    let server = Server::answering(|request| {
        if request.line().starts_with("POST /login") {
            Reply::json(303, "")
                .header("location", "/console")
                .header("set-cookie", "session=s1")
        } else {
            Reply::json(404, "{}")
        }
    });
    let body = LoginBody::new("ann".to_owned());
    let response = client(&server.url())
        .login(body)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers().get("set-cookie").and_then(|v| v.to_str().ok()),
        Some("session=s1")
    );
    let lines: Vec<String> = server.requests().iter().map(|s| s.line()).collect();
    assert_eq!(lines, vec!["POST /login HTTP/1.1"]);
}

/// An optional multipart body does not hold back the call's required file: it is sent
/// without `.body(..)`, and beside the text fields with it.
#[tokio::test]
async fn a_required_file_goes_out_without_the_optional_body() {
    let server = serve(200, r#"{"size":5}"#);
    let client = client(&server.url());
    client.upload_optional("a.txt", b"hello".to_vec()).send().await.unwrap();
    client
        .upload_optional("b.txt", b"world".to_vec())
        .body(wire_cases::UploadOptionalBody::new().note("n"))
        .send()
        .await
        .unwrap();
    let seen = server.requests();
    let alone = seen[0].body_text();
    assert!(alone.contains("name=\"data\"; filename=\"a.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n"), "{alone}");
    let both = seen[1].body_text();
    assert!(both.contains("filename=\"b.txt\""), "{both}");
    assert!(both.contains("name=\"note\"\r\n\r\nn\r\n"), "{both}");
}

/// An `Authorization` header parameter that no security scheme covers reaches the wire, and
/// is held as a secret: `Debug` of the builder does not show it.
#[tokio::test]
async fn an_authorization_parameter_without_a_scheme_is_sent() {
    let server = serve(200, r#"{"count":1}"#);
    let client = client(&server.url());
    let builder = client.legacy_records("Token secret-abc");
    assert!(!format!("{builder:?}").contains("secret-abc"));
    builder.send().await.unwrap();
    let seen = server.requests()[0].clone();
    assert_eq!(seen.header("authorization"), Some("Token secret-abc"), "{}", seen.text());
}
