//! How the generated `stytch-b2b` client behaves when things go wrong: retries, timeouts,
//! broken and undecodable responses, refused requests, and secrets in diagnostics.

use std::time::{Duration, Instant};

use clientgen_tests::{Reply, Server, unused_url};
use serde_json::json;
use stytch_b2b::{Client, Error, ErrorBody};

const PROJECT_ID: &str = "project-test-123";
const SECRET: &str = "secret-xyz";
/// `base64("project-test-123:secret-xyz")`, the secret as it travels in the Basic header.
const SECRET_BASE64: &str = "cHJvamVjdC10ZXN0LTEyMzpzZWNyZXQteHl6";
/// A path prefix in the base URL, so that every test also checks that the prefix is kept
/// (a base URL without a path is covered by `bare_host_base_url_sends_exact_operation_paths`).
const PREFIX: &str = "/stytch";

const MEMBER_APPS_PATH: &str = "/stytch/v1/b2b/organizations/org-1/members/mem-1/connected_apps";
const REVOKE_PATH: &str =
    "/stytch/v1/b2b/organizations/org-1/members/mem-1/connected_apps/app-1/revoke";

fn client_for(base_url: String) -> Client {
    Client::builder(PROJECT_ID, SECRET)
        .base_url(base_url)
        .timeout(Duration::from_millis(300))
        .max_retries(2)
        .build()
        .expect("a loopback http base URL is accepted")
}

fn client(server: &Server) -> Client {
    client_for(format!("{}{PREFIX}", server.url()))
}

fn member_apps_ok() -> Reply {
    Reply::json(
        200,
        r#"{"request_id": "req-ok", "status_code": 200, "connected_apps": []}"#,
    )
}

fn revoke_ok() -> Reply {
    Reply::json(200, r#"{"request_id": "req-revoked", "status_code": 200}"#)
}

fn stytch_error(status: u16, request_id: &str) -> Reply {
    Reply::json(
        status,
        json!({
            "status_code": status,
            "request_id": request_id,
            "error_type": format!("error_{status}"),
            "error_message": format!("failure {status}"),
            "error_url": "https://stytch.com/docs/api/errors",
        })
        .to_string(),
    )
}

/// Asserts that neither the client secret nor the given values show in `text`.
fn assert_hides_secrets(text: &str, others: &[&str]) {
    for secret in [SECRET, SECRET_BASE64].iter().chain(others) {
        assert!(!text.contains(secret), "{secret:?} leaks into {text:?}");
    }
}

#[tokio::test]
async fn get_is_retried_after_503_and_succeeds() {
    let server = Server::start(vec![stytch_error(503, "req-unavailable"), member_apps_ok()]);
    let client = client(&server);

    let body = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .member_session_token("tok")
        .send()
        .await
        .expect("the retry succeeds");

    assert_eq!(body.request_id, "req-ok");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // The retry is the same request again.
    assert_eq!(requests[0].method, requests[1].method);
    assert_eq!(requests[0].target, MEMBER_APPS_PATH);
    assert_eq!(requests[1].target, MEMBER_APPS_PATH);
    assert_eq!(requests[0].headers, requests[1].headers);
}

/// `retry_backoff(Duration::ZERO, Duration::ZERO)` (for tests against a mock) retries at once:
/// the gaps between attempts stay below the default backoff's shortest wait (250 ms, half of
/// 0.5 s), which the default client does wait.
#[tokio::test]
async fn a_zero_backoff_retries_at_once() {
    let replies = || {
        vec![
            stytch_error(503, "req-1"),
            stytch_error(503, "req-2"),
            member_apps_ok(),
        ]
    };
    let call = |client: Client| async move {
        client
            .organizations()
            .members()
            .get_connected_apps("org-1", "mem-1")
            .send()
            .await
    };
    let server = Server::start(replies());
    let instant = Client::builder(PROJECT_ID, SECRET)
        .base_url(format!("{}{PREFIX}", server.url()))
        .retry_backoff(Duration::ZERO, Duration::ZERO)
        .build()
        .unwrap();
    call(instant).await.expect("the third attempt succeeds");
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    for pair in seen.windows(2) {
        let gap = pair[1].received_at - pair[0].received_at;
        assert!(gap < Duration::from_millis(250), "{gap:?}");
    }
    let server = Server::start(replies());
    call(client(&server))
        .await
        .expect("the third attempt succeeds");
    let seen = server.requests();
    for pair in seen.windows(2) {
        let gap = pair[1].received_at - pair[0].received_at;
        assert!(gap >= Duration::from_millis(250), "{gap:?}");
    }
}

#[tokio::test]
async fn retry_after_on_429_is_waited_for() {
    let server = Server::start(vec![
        stytch_error(429, "req-slow-down").header("Retry-After", "1"),
        member_apps_ok(),
    ]);
    let client = client(&server);

    let started = Instant::now();
    let body = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .send()
        .await
        .expect("the retry succeeds");
    let elapsed = started.elapsed();

    assert_eq!(body.request_id, "req-ok");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].received_at - requests[0].received_at;
    assert!(
        gap >= Duration::from_millis(900),
        "second attempt after {gap:?}"
    );
    // Well below any second backoff or a missed Retry-After, with room for a loaded machine.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[tokio::test]
async fn retry_after_longer_than_the_limit_ends_retries_at_once() {
    let server = Server::start(vec![
        stytch_error(429, "req-come-back-later").header("Retry-After", "3600"),
        member_apps_ok(),
    ]);
    let client = client(&server);

    let started = Instant::now();
    let error = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .send()
        .await
        .expect_err("a one-hour Retry-After is not waited for");

    // The hour is not waited for; the bound leaves room for a loaded machine.
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(server.count(), 1);
    let api = error.api_error().expect("an API error");
    assert_eq!(api.status(), 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(api.attempts(), 1);
    assert_eq!(error.request_id(), Some("req-come-back-later"));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn retries_stop_at_the_cap() {
    let server = Server::start(vec![stytch_error(500, "req-broken")]);
    let client = client(&server);

    let error = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .max_retries(1)
        .send()
        .await
        .expect_err("every attempt fails");

    assert_eq!(server.count(), 2);
    assert_eq!(error.status(), Some(500));
    assert!(error.is_retryable());
    assert!(!error.is_timeout());
    let api = error.api_error().expect("an API error");
    assert_eq!(api.attempts(), 2);
    assert_eq!(error.request_id(), Some("req-broken"));
    assert!(matches!(api.body(), Some(ErrorBody::StytchError(_))));
}

#[tokio::test]
async fn max_retries_zero_sends_once() {
    let server = Server::start(vec![stytch_error(500, "req-broken")]);
    let client = client(&server);

    let error = client
        .organizations()
        .connected_apps("org-1")
        .max_retries(0)
        .send()
        .await
        .expect_err("the only attempt fails");

    assert_eq!(server.count(), 1);
    assert_eq!(error.status(), Some(500));
    assert_eq!(error.api_error().map(|e| e.attempts()), Some(1));
}

#[tokio::test]
async fn not_found_is_final_with_typed_body() {
    let server = Server::start(vec![stytch_error(404, "req-missing"), member_apps_ok()]);
    let client = client(&server);

    let error = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .send()
        .await
        .expect_err("404 fails the call");

    assert_eq!(server.count(), 1);
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.request_id(), Some("req-missing"));
    assert!(!error.is_retryable());
    let Some(ErrorBody::StytchError(body)) = error.api_error().and_then(|e| e.body()) else {
        panic!("expected a typed Stytch error, got {error:?}");
    };
    assert_eq!(body.status_code, 404);
    assert_eq!(body.error_type, "error_404");
    assert_eq!(body.error_message, "failure 404");
}

#[tokio::test]
async fn bad_gateway_html_keeps_a_snippet_and_no_typed_body() {
    let html = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>";
    let server = Server::start(vec![
        Reply::status(502)
            .header("Content-Type", "text/html")
            .header("X-Request-Id", "proxy-req-7")
            .body(html),
    ]);
    let client = client(&server);

    let error = client
        .organizations()
        .connected_apps("org-1")
        .max_retries(1)
        .send()
        .await
        .expect_err("502 fails the call");

    // 502 on a GET is retried once, then reported.
    assert_eq!(server.count(), 2);
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status(), 502);
    assert!(api.body().is_none(), "body {:?}", api.body());
    assert!(api.snippet().contains(html), "snippet {:?}", api.snippet());
    assert_eq!(api.request_id(), Some("proxy-req-7"));
    assert_eq!(api.attempts(), 2);
    assert!(error.is_retryable());
    assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = Server::start(vec![member_apps_ok().delay(Duration::from_secs(30))]);
    let client = Client::builder(PROJECT_ID, SECRET)
        .base_url(format!("{}{PREFIX}", server.url()))
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .expect("a loopback base URL is accepted");

    let started = Instant::now();
    let error = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .send()
        .await
        .expect_err("the server is too slow");
    let elapsed = started.elapsed();

    assert!(error.is_timeout(), "expected a timeout, got {error:?}");
    assert!(matches!(&error, Error::Timeout(t) if t.attempts() == 1));
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    // The server answers only after 30 s: returning well before proves the timeout fired.
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn per_request_timeout_overrides_the_client() {
    let server = Server::start(vec![member_apps_ok().delay(Duration::from_secs(30))]);
    // The client itself would wait 60 s; the request allows 200 ms.
    let client = Client::builder(PROJECT_ID, SECRET)
        .base_url(format!("{}{PREFIX}", server.url()))
        .build()
        .expect("a loopback base URL is accepted");

    let started = Instant::now();
    let error = client
        .organizations()
        .connected_apps("org-1")
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .send()
        .await
        .expect_err("the server is too slow");

    assert!(error.is_timeout(), "expected a timeout, got {error:?}");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn dot_segments_in_path_params_are_refused_before_sending() {
    let server = Server::start(vec![member_apps_ok()]);
    let client = client(&server);
    let members = client.organizations().members();

    let errors = [
        members
            .get_connected_apps("org-1", "..")
            .send()
            .await
            .map(drop),
        members
            .get_connected_apps(".", "mem-1")
            .send()
            .await
            .map(drop),
        members
            .get_connected_apps("org-1", "")
            .send()
            .await
            .map(drop),
        members
            .connected_apps()
            .revoke("org-1", "mem-1", "..")
            .send()
            .await
            .map(drop),
        client
            .organizations()
            .get_connected_app("..", "app-1")
            .send()
            .await
            .map(drop),
    ];

    for result in errors {
        let error = result.expect_err("a dot segment is refused");
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "expected InvalidRequest, got {error:?}"
        );
        assert!(!error.is_retryable());
        assert_eq!(error.status(), None);
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn line_breaks_in_header_values_are_refused_before_sending() {
    let server = Server::start(vec![member_apps_ok()]);
    let client = client(&server);

    let token = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .member_session_token("a\r\nX-Evil: 1")
        .send()
        .await
        .expect_err("CR LF in the session token is refused");
    let jwt = client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .member_session_jwt("jwt\rX-Evil: 1")
        .send()
        .await
        .expect_err("CR in the session JWT is refused");
    let extra = client
        .organizations()
        .connected_apps("org-1")
        .header("x-extra", "a\nb")
        .send()
        .await
        .expect_err("LF in an extra header is refused");
    let nul = client
        .organizations()
        .get_connected_app("org-1", "app-1")
        .header("x-extra", "a\0b")
        .send()
        .await
        .expect_err("NUL in an extra header is refused");
    let name = client
        .organizations()
        .connected_apps("org-1")
        .header("x-bad\r\nname", "value")
        .send()
        .await
        .expect_err("a header name with CR LF is refused");

    for error in [token, jwt, extra, nul, name] {
        let Error::InvalidRequest(refusal) = &error else {
            panic!("expected InvalidRequest, got {error:?}");
        };
        assert!(!refusal.message().is_empty());
        // The refusal does not echo the header's value.
        assert_hides_secrets(&error.to_string(), &["X-Evil"]);
        assert_hides_secrets(&format!("{error:?}"), &["X-Evil"]);
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn refused_connection_is_a_connection_error() {
    let client = client_for(unused_url());

    let started = Instant::now();
    let error = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .max_retries(1)
        .send()
        .await
        .expect_err("nothing listens");

    let Error::Connection(transport) = &error else {
        panic!("expected Error::Connection, got {error:?}");
    };
    // A refused connection is retried (nothing reached the server).
    assert_eq!(transport.attempts(), 2);
    assert!(transport.is_connect());
    assert!(transport.inner().is_some_and(|e| e.is_connect()));
    assert!(error.is_retryable());
    assert!(!error.is_timeout());
    assert_eq!(error.status(), None);
    assert_eq!(error.request_id(), None);
    // One backoff (at most 0.5 s) between the attempts, not more.
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn refused_connection_is_retried_for_post_too() {
    let client = client_for(unused_url());

    let error = client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .max_retries(1)
        .send()
        .await
        .expect_err("nothing listens");

    let Error::Connection(transport) = &error else {
        panic!("expected Error::Connection, got {error:?}");
    };
    assert_eq!(transport.attempts(), 2);
}

#[tokio::test]
async fn invalid_json_on_200_is_a_decode_error() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"request_id": "#).header("X-Request-Id", "req-cut"),
    ]);
    let client = client(&server);

    let error = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .send()
        .await
        .expect_err("the body is not JSON");

    assert_eq!(server.count(), 1, "a decode error is not retried");
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.status(), 200);
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.request_id(), Some("req-cut"));
    assert_eq!(decode.snippet(), r#"{"request_id": "#);
    assert!(!decode.message().is_empty());
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_decode_error() {
    let server = Server::start(vec![
        // `connected_apps` is missing.
        Reply::json(200, r#"{"request_id": "r", "status_code": 200}"#),
        // An empty body decodes as `null`.
        Reply::status(200),
    ]);
    let client = client(&server);

    for expected_snippet in [r#"{"request_id": "r", "status_code": 200}"#, ""] {
        let error = client
            .organizations()
            .connected_apps("org-1")
            .send()
            .await
            .expect_err("the body does not match");
        let Error::Decode(decode) = &error else {
            panic!("expected Error::Decode, got {error:?}");
        };
        assert_eq!(decode.status(), 200);
        assert_eq!(decode.snippet(), expected_snippet);
    }
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn truncated_body_is_a_connection_error() {
    // `Content-Length` promises more than arrives. reqwest 0.13 reports this while reading the
    // body (kind `Decode` wrapping hyper's `IncompleteBody`), before any JSON is parsed, and
    // the client classifies it as a broken connection, not as `Error::Decode`.
    let server = Server::start(vec![
        Reply::json(200, r#"{"request_id": "r", "status_code": 200"#).truncate(),
    ]);
    let client = client(&server);

    let error = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .max_retries(0)
        .send()
        .await
        .expect_err("the body ends early");

    let Error::Connection(transport) = &error else {
        panic!("expected Error::Connection, got {error:?}");
    };
    let inner = transport.inner().expect("reqwest's own error");
    assert!(inner.is_decode() || inner.is_body(), "{inner:?}");
    assert!(!inner.is_connect() && !inner.is_timeout(), "{inner:?}");
    assert_eq!(transport.attempts(), 1);
    assert_eq!(error.status(), None);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn truncated_body_on_get_is_retried() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"request_id": "r""#).truncate(),
        member_apps_ok(),
    ]);
    let client = client(&server);

    let body = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .max_retries(1)
        .send()
        .await
        .expect("the retry succeeds");

    assert_eq!(body.request_id, "req-ok");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn truncated_body_on_post_is_not_retried() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"request_id": "r""#).truncate(),
        revoke_ok(),
    ]);
    let client = client(&server);

    let error = client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .send()
        .await
        .expect_err("the server may have acted: no retry");

    assert!(matches!(error, Error::Connection(_)), "got {error:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn post_is_not_retried_on_500_or_503_without_retry_after() {
    for status in [500, 502, 503, 504] {
        let server = Server::start(vec![stytch_error(status, "req-post"), revoke_ok()]);
        let client = client(&server);

        let error = client
            .organizations()
            .members()
            .connected_apps()
            .revoke("org-1", "mem-1", "app-1")
            .send()
            .await
            .expect_err("the error is reported");

        assert_eq!(server.count(), 1, "POST must not be retried on {status}");
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.api_error().map(|e| e.attempts()), Some(1));
        // Retryable in principle, but the client did not retry it itself.
        assert!(error.is_retryable());
    }
}

#[tokio::test]
async fn post_is_retried_on_429() {
    let server = Server::start(vec![stytch_error(429, "req-limited"), revoke_ok()]);
    let client = client(&server);

    let body = client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .send()
        .await
        .expect("the retry succeeds");

    assert_eq!(body.request_id, "req-revoked");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, REVOKE_PATH);
        assert_eq!(request.body, b"{}");
    }
}

#[tokio::test]
async fn post_is_retried_on_503_with_retry_after() {
    let server = Server::start(vec![
        stytch_error(503, "req-maintenance").header("Retry-After", "0"),
        revoke_ok(),
    ]);
    let client = client(&server);

    client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .send()
        .await
        .expect("the retry succeeds");

    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn debug_output_hides_secrets() {
    let builder = Client::builder(PROJECT_ID, SECRET).base_url("https://stytch.example.com");
    assert_hides_secrets(&format!("{builder:?}"), &[]);
    let client = builder.build().expect("an https base URL is accepted");
    let shown = format!("{client:?}");
    assert_hides_secrets(&shown, &[]);
    // The output is still useful.
    assert!(shown.contains(PROJECT_ID), "{shown}");
    assert!(shown.contains("https://stytch.example.com"), "{shown}");

    let request = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .member_session_token("session-token-secret-1")
        .member_session_jwt("session-jwt-secret-2")
        .header("x-extra", "extra-secret-3");
    let shown = format!("{request:?}");
    assert_hides_secrets(
        &shown,
        &[
            "session-token-secret-1",
            "session-jwt-secret-2",
            "extra-secret-3",
        ],
    );
    assert!(shown.contains("mem-1"), "{shown}");

    let revoke = client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .member_session_token("session-token-secret-1");
    assert_hides_secrets(&format!("{revoke:?}"), &["session-token-secret-1"]);
}

#[tokio::test]
async fn error_output_hides_secrets() {
    let token = "session-token-secret-4";
    let server = Server::start(vec![
        stytch_error(401, "req-denied"),
        Reply::json(200, "not json"),
        member_apps_ok().delay(Duration::from_secs(30)),
    ]);
    let client = client(&server);
    let call = || {
        client
            .organizations()
            .members()
            .get_connected_apps("org-1", "mem-1")
            .member_session_token(token)
            .max_retries(0)
    };

    let api = call().send().await.expect_err("401");
    assert!(matches!(api, Error::Api(_)), "{api:?}");
    let decode = call().send().await.expect_err("not JSON");
    assert!(matches!(decode, Error::Decode(_)), "{decode:?}");
    let timeout = call().send().await.expect_err("too slow");
    assert!(timeout.is_timeout(), "{timeout:?}");
    let connection = client_for(unused_url())
        .organizations()
        .connected_apps("org-1")
        .member_session_token(token)
        .max_retries(0)
        .send()
        .await
        .expect_err("nothing listens");
    assert!(matches!(connection, Error::Connection(_)), "{connection:?}");
    let invalid = call()
        .member_session_jwt(format!("{token}\n"))
        .send()
        .await
        .expect_err("a line break is refused");
    assert!(matches!(invalid, Error::InvalidRequest(_)), "{invalid:?}");
    let config = Client::builder(PROJECT_ID, SECRET)
        .base_url("http://example.com")
        .build()
        .expect_err("plain http to a remote host is refused");

    for error in [api, decode, timeout, connection, invalid, config] {
        assert_hides_secrets(&error.to_string(), &[token]);
        assert_hides_secrets(&format!("{error:?}"), &[token]);
        let mut source = std::error::Error::source(&error);
        while let Some(inner) = source {
            assert_hides_secrets(&inner.to_string(), &[token]);
            source = inner.source();
        }
    }
}

#[test]
fn plain_http_to_a_remote_host_is_refused_at_build() {
    for base in [
        "http://example.com",
        "http://example.com/",
        "http://10.0.0.1:8080",
        "ftp://127.0.0.1",
        "http://user:pass@127.0.0.1",
        "http://127.0.0.1/?a=b",
        "not a url",
        "",
    ] {
        let result = Client::builder(PROJECT_ID, SECRET).base_url(base).build();
        match result {
            Err(Error::Config(message)) => assert!(!message.is_empty()),
            other => panic!("{base:?}: expected Error::Config, got {other:?}"),
        }
    }
}

#[test]
fn https_and_loopback_http_are_accepted_at_build() {
    for base in [
        "https://example.com",
        "https://stytch.example.com/api/",
        "http://localhost:8080",
        "http://127.0.0.1:1",
        "http://127.1.2.3",
        "http://[::1]:8080",
    ] {
        let result = Client::builder(PROJECT_ID, SECRET).base_url(base).build();
        assert!(result.is_ok(), "{base:?}: {result:?}");
    }
}
