//! The crate generated from `tests/fixtures/wire_cases.yaml` against a loopback server: what
//! each case puts on the wire, and what it reads back. Copied into that crate's `tests/` by
//! `tests/tests/wire_cases.rs`, which runs it.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wire_cases::types::*;
use wire_cases::Client;

/// One request as received: its head (request line and headers) and body.
#[derive(Clone, Debug)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

impl Seen {
    fn line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// Answers every request with `answer(request line)` (status line, extra headers, body);
/// returns the base URL and the requests received.
async fn serve(
    answer: fn(&str) -> (&'static str, &'static str, &'static str),
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let log = log.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                loop {
                    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                        let mut chunk = [0u8; 4096];
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let end = buffer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                    let head = String::from_utf8_lossy(&buffer[..end]).to_string();
                    buffer.drain(..end);
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            let (n, v) = l.split_once(':')?;
                            n.eq_ignore_ascii_case("content-length").then(|| v.trim().parse().ok())?
                        })
                        .unwrap_or(0);
                    while buffer.len() < length {
                        let mut chunk = [0u8; 4096];
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let body: Vec<u8> = buffer.drain(..length).collect();
                    let request = Seen { head, body };
                    let (status, headers, text) = answer(request.line());
                    log.lock().unwrap().push(request);
                    let response = format!(
                        "HTTP/1.1 {status}\r\n{headers}content-type: application/json\r\ncontent-length: {}\r\n\r\n{text}",
                        text.len()
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (base, seen)
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).max_retries(0).build().unwrap()
}

#[tokio::test]
async fn a_query_in_the_path_key_and_an_array_header() {
    let (base, seen) = serve(|_| ("200 OK", "", r#"{"id":"r1"}"#)).await;
    let client = client(&base);
    client
        .cancel_response_beta("r1")
        .feature_flags(vec![
            CancelResponseBetaFeatureFlagsItem::Alpha,
            CancelResponseBetaFeatureFlagsItem::Beta,
        ])
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap()[0].clone();
    assert_eq!(seen.line(), "POST /responses/r1/cancel?beta=true HTTP/1.1");
    assert_eq!(seen.header("feature-flags").as_deref(), Some("alpha,beta"));
}

#[tokio::test]
async fn nulls_inside_maps_and_arrays_decode() {
    let (base, _) = serve(|_| {
        ("200 OK", "", r#"{"labels":{"team":"core","owner":null},"runs":[1,null,3]}"#)
    })
    .await;
    let workflow = client(&base)
        .get_workflow(GetWorkflowWorkflowId::String("deploy".to_owned())).send().await.unwrap();
    assert_eq!(workflow.labels.get("owner"), Some(&None));
    assert_eq!(workflow.labels.get("team"), Some(&Some("core".to_owned())));
    assert_eq!(workflow.runs, vec![Some(1), None, Some(3)]);
}

#[tokio::test]
async fn a_body_that_requires_names_through_alternatives_is_an_argument() {
    let (base, seen) = serve(|_| ("204 No Content", "", "")).await;
    let body = UpdateAlertBody::new().state(UpdateAlertBodyState::Open);
    client(&base).update_alert(7, body).send().await.unwrap();
    let seen = seen.lock().unwrap()[0].clone();
    assert_eq!(seen.line(), "PATCH /alerts/7 HTTP/1.1");
    assert_eq!(String::from_utf8_lossy(&seen.body), r#"{"state":"open"}"#);
}

#[tokio::test]
async fn a_required_name_without_a_schema_is_kept_both_ways() {
    let (base, seen) = serve(|_| {
        ("201 Created", "", r#"{"actionable_by":{"id":42,"login":"ann"},"size":3}"#)
    })
    .await;
    let body = Invite::new(InviteActionableBy::new().id(serde_json::json!(42)).login("ann"));
    let invite = client(&base).create_invite(body).send().await.unwrap();
    let seen = seen.lock().unwrap()[0].clone();
    assert_eq!(
        String::from_utf8_lossy(&seen.body),
        r#"{"actionable_by":{"login":"ann","id":42}}"#
    );
    assert_eq!(invite.actionable_by.id, Some(serde_json::json!(42)));
    assert_eq!(invite.size, Some(3));
}

#[tokio::test]
async fn a_discriminator_reads_the_tag_its_alternatives_declare() {
    let (base, seen) = serve(|_| ("200 OK", "", r#"{"type":"file_search","max_results":5}"#)).await;
    let tool = Tool::FunctionTool(FunctionTool::new(
        FunctionToolType::Function,
        "lookup".to_owned(),
    ));
    let answer = client(&base).add_tool(tool).send().await.unwrap();
    assert!(
        matches!(&answer, Tool::FileSearchTool(t) if t.max_results == Some(5)),
        "{answer:?}"
    );
    let seen = seen.lock().unwrap()[0].clone();
    assert_eq!(
        String::from_utf8_lossy(&seen.body),
        r#"{"type":"function","name":"lookup"}"#
    );
}

#[tokio::test]
async fn alternatives_with_one_tag_are_told_apart_by_their_properties() {
    let (base, _) = serve(|_| ("200 OK", "", r#"{"type":"function","call_id":"c1"}"#)).await;
    let tool = Tool::FunctionTool(FunctionTool::new(
        FunctionToolType::Function,
        "lookup".to_owned(),
    ));
    let answer = client(&base).add_tool(tool).send().await.unwrap();
    assert!(
        matches!(&answer, Tool::FunctionCall(c) if c.call_id == "c1"),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_required_file_part_is_an_argument() {
    let (base, seen) = serve(|_| ("200 OK", "", r#"{"size":5}"#)).await;
    client(&base)
        .upload_part("a.txt", b"hello".to_vec())
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap()[0].clone();
    let body = String::from_utf8_lossy(&seen.body);
    assert!(
        body.contains("name=\"data\"; filename=\"a.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n"),
        "{body}"
    );
}

#[tokio::test]
async fn see_other_is_the_answer_and_is_not_followed() {
    let (base, seen) = serve(|line| {
        if line.starts_with("POST /login") {
            ("303 See Other", "location: /console\r\nset-cookie: session=s1\r\n", "")
        } else {
            ("404 Not Found", "", "{}")
        }
    })
    .await;
    let body = LoginBody::new("ann".to_owned());
    let response = client(&base)
        .login(body)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers().get("set-cookie").and_then(|v| v.to_str().ok()),
        Some("session=s1")
    );
    let lines: Vec<String> = seen.lock().unwrap().iter().map(|s| s.line().to_owned()).collect();
    assert_eq!(lines, vec!["POST /login HTTP/1.1"]);
}

/// An optional multipart body does not hold back the call's required file: it is sent
/// without `.body(..)`, and beside the text fields with it.
#[tokio::test]
async fn a_required_file_goes_out_without_the_optional_body() {
    let (base, seen) = serve(|_| ("200 OK", "", r#"{"size":5}"#)).await;
    let client = client(&base);
    client.upload_optional("a.txt", b"hello".to_vec()).send().await.unwrap();
    client
        .upload_optional("b.txt", b"world".to_vec())
        .body(wire_cases::UploadOptionalBody::new().note("n"))
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let alone = String::from_utf8_lossy(&seen[0].body);
    assert!(alone.contains("name=\"data\"; filename=\"a.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n"), "{alone}");
    let both = String::from_utf8_lossy(&seen[1].body);
    assert!(both.contains("filename=\"b.txt\""), "{both}");
    assert!(both.contains("name=\"note\"\r\n\r\nn\r\n"), "{both}");
}

/// An `Authorization` header parameter that no security scheme covers reaches the wire, and
/// is held as a secret: `Debug` of the builder does not show it.
#[tokio::test]
async fn an_authorization_parameter_without_a_scheme_is_sent() {
    let (base, seen) = serve(|_| ("200 OK", "", r#"{"count":1}"#)).await;
    let client = client(&base);
    let builder = client.legacy_records("Token secret-abc");
    assert!(!format!("{builder:?}").contains("secret-abc"));
    builder.send().await.unwrap();
    let seen = seen.lock().unwrap()[0].clone();
    assert!(seen.head.contains("authorization: Token secret-abc"), "{}", seen.head);
}
