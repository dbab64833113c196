//! What the generated `stytch-b2b` client puts on the wire, and how it reads the answers,
//! checked against the loopback stand-in server of `clientgen_tests`.

use std::time::Duration;

use clientgen_tests::{Recorded, Reply, Server};
use serde_json::json;
use stytch_b2b::{Client, Error, ErrorBody};

const PROJECT_ID: &str = "project-test-123";
const SECRET: &str = "secret-xyz";
/// `"Basic " + base64("project-test-123:secret-xyz")`, checked by `basic_auth_value_is_base64`.
const EXPECTED_AUTH: &str = "Basic cHJvamVjdC10ZXN0LTEyMzpzZWNyZXQteHl6";

const MEMBER_APPS_PATH: &str = "/v1/b2b/organizations/org-1/members/mem-1/connected_apps";
const REVOKE_PATH: &str = "/v1/b2b/organizations/org-1/members/mem-1/connected_apps/app-1/revoke";
const ORG_APPS_PATH: &str = "/v1/b2b/organizations/org-1/connected_apps";
const ORG_APP_PATH: &str = "/v1/b2b/organizations/org-1/connected_apps/app-1";

/// The path prefix of the base URL most tests use, so that they also check that a prefix is
/// kept; `bare_host_base_url_sends_exact_operation_paths` covers a base URL without a path
/// (like the default `https://test.stytch.com`, which once produced `//v1/...`).
const PREFIX: &str = "/stytch";

/// The exact request target for an operation path under [`PREFIX`].
fn at(path: &str) -> String {
    format!("{PREFIX}{path}")
}

fn client(server: &Server) -> Client {
    Client::builder(PROJECT_ID, SECRET)
        .base_url(format!("{}{PREFIX}", server.url()))
        .timeout(Duration::from_millis(1_000))
        .max_retries(2)
        .build()
        .expect("a loopback http base URL is accepted")
}

/// The one request the server received.
fn only_request(server: &Server) -> Recorded {
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request: {requests:#?}"
    );
    requests.into_iter().next().unwrap()
}

/// Standard base64 with padding, to check the hard-coded credential above.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A Stytch error body as the real API sends it.
fn stytch_error(status: u16, request_id: &str, error_type: &str) -> String {
    json!({
        "status_code": status,
        "request_id": request_id,
        "error_type": error_type,
        "error_message": format!("message for {error_type}"),
        "error_url": format!("https://stytch.com/docs/api/errors/{status}#{error_type}"),
    })
    .to_string()
}

/// The checks every request shares: credentials, user agent, no query.
fn assert_common(request: &Recorded) {
    assert_eq!(request.header_all("authorization"), vec![EXPECTED_AUTH]);
    let agent = request.header("user-agent").expect("a User-Agent header");
    assert!(agent.starts_with("stytch-b2b/"), "user agent {agent:?}");
    // Every operation answers JSON, and says so, so a server that could answer otherwise
    // picks what the client reads.
    assert_eq!(request.header_all("accept"), vec!["application/json"]);
    assert_eq!(request.query(), None, "no query string: {}", request.target);
}

fn assert_no_body(request: &Recorded) {
    assert!(request.body.is_empty(), "body {:?}", request.body_text());
    assert_eq!(request.header("content-type"), None);
    assert!(
        matches!(request.header("content-length"), None | Some("0")),
        "content-length {:?}",
        request.header("content-length")
    );
    assert_eq!(request.header("transfer-encoding"), None);
}

#[test]
fn basic_auth_value_is_base64() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(plain.as_bytes()), encoded);
    }
    let expected = format!(
        "Basic {}",
        base64(format!("{PROJECT_ID}:{SECRET}").as_bytes())
    );
    assert_eq!(expected, EXPECTED_AUTH);
}

#[tokio::test]
async fn get_connected_apps_sends_get_with_session_token() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({
            "request_id": "req-member-apps",
            "status_code": 200,
            "connected_apps": [{
                "connected_app_id": "app-1",
                "name": "Calendar",
                "description": "Sync calendars",
                "client_type": "third_party",
                "scopes_granted": "openid email",
                "logo_url": "https://example.com/logo.png",
                "added_later": {"nested": [1, 2, 3]},
            }],
            "next_cursor": null,
            "unknown_flag": true,
        })
        .to_string(),
    )]);
    let client = client(&server);

    let body = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .member_session_token("tok-member-1")
        .send()
        .await
        .expect("the call succeeds");

    assert_eq!(body.request_id, "req-member-apps");
    assert_eq!(body.status_code, 200);
    assert_eq!(body.connected_apps.len(), 1);
    let app = &body.connected_apps[0];
    assert_eq!(app.connected_app_id, "app-1");
    assert_eq!(app.name, "Calendar");
    assert_eq!(app.description, "Sync calendars");
    assert_eq!(app.client_type, "third_party");
    assert_eq!(app.scopes_granted, "openid email");
    assert_eq!(
        app.logo_url.as_deref(),
        Some("https://example.com/logo.png")
    );

    let request = only_request(&server);
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, at(MEMBER_APPS_PATH));
    assert_common(&request);
    assert_no_body(&request);
    assert_eq!(
        request.header_all("x-stytch-member-session"),
        vec!["tok-member-1"]
    );
    assert_eq!(request.header("x-stytch-member-sessionjwt"), None);
}

#[tokio::test]
async fn revoke_posts_an_empty_json_object() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"request_id": "req-revoke", "status_code": 200, "revoked_at": "2024-01-01T00:00:00Z"}"#,
    )]);
    let client = client(&server);

    let body = client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .send()
        .await
        .expect("the call succeeds");

    assert_eq!(body.request_id, "req-revoke");
    assert_eq!(body.status_code, 200);

    let request = only_request(&server);
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, at(REVOKE_PATH));
    assert_common(&request);
    assert_eq!(request.body, b"{}");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("content-length"), Some("2"));
    assert_eq!(request.header("x-stytch-member-session"), None);
    assert_eq!(request.header("x-stytch-member-sessionjwt"), None);
}

#[tokio::test]
async fn revoke_sends_both_session_headers_when_both_are_set() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"request_id": "req-revoke", "status_code": 200}"#,
    )]);
    let client = client(&server);

    client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .member_session_token("tok-2")
        .member_session_jwt("jwt-2")
        .send()
        .await
        .expect("the call succeeds");

    let request = only_request(&server);
    assert_eq!(request.target, at(REVOKE_PATH));
    assert_eq!(request.header_all("x-stytch-member-session"), vec!["tok-2"]);
    assert_eq!(
        request.header_all("x-stytch-member-sessionjwt"),
        vec!["jwt-2"]
    );
    assert_eq!(request.body, b"{}");
}

#[tokio::test]
async fn organization_connected_apps_sends_get_without_session_headers() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({
            "request_id": "req-org-apps",
            "status_code": 200,
            "connected_apps": [
                {
                    "connected_app_id": "app-1",
                    "name": "Calendar",
                    "description": "",
                    "client_type": "first_party",
                    "created_at": "2024-01-01",
                },
                {
                    "connected_app_id": "app-2",
                    "name": "Drive",
                    "description": "Files",
                    "client_type": "third_party_public",
                    "logo_url": null,
                },
            ],
            "extra": {"anything": "goes"},
        })
        .to_string(),
    )]);
    let client = client(&server);

    let body = client
        .organizations()
        .connected_apps("org-1")
        .send()
        .await
        .expect("the call succeeds");

    assert_eq!(body.request_id, "req-org-apps");
    let ids: Vec<&str> = body
        .connected_apps
        .iter()
        .map(|a| a.connected_app_id.as_str())
        .collect();
    assert_eq!(ids, ["app-1", "app-2"]);
    assert_eq!(body.connected_apps[0].logo_url, None);
    assert_eq!(body.connected_apps[1].logo_url, None);
    assert_eq!(body.connected_apps[1].client_type, "third_party_public");

    let request = only_request(&server);
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, at(ORG_APPS_PATH));
    assert_common(&request);
    assert_no_body(&request);
    assert_eq!(request.header("x-stytch-member-session"), None);
    assert_eq!(request.header("x-stytch-member-sessionjwt"), None);
}

#[tokio::test]
async fn get_connected_app_sends_get_with_session_jwt() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({
            "request_id": "req-org-app",
            "status_code": 200,
            "connected_app_id": "app-1",
            "name": "Calendar",
            "description": "Sync calendars",
            "client_type": "first_party_public",
            "active_members": [
                {"member_id": "mem-1", "granted_scopes": ["openid", "email"], "since": 1},
                {"member_id": "mem-2", "granted_scopes": []},
            ],
        })
        .to_string(),
    )]);
    let client = client(&server);

    let body = client
        .organizations()
        .get_connected_app("org-1", "app-1")
        .member_session_jwt("jwt-abc")
        .send()
        .await
        .expect("the call succeeds");

    assert_eq!(body.connected_app_id, "app-1");
    assert_eq!(body.client_type, "first_party_public");
    assert_eq!(body.status_code, 200);
    assert_eq!(body.logo_url, None);
    assert_eq!(body.active_members.len(), 2);
    assert_eq!(body.active_members[0].member_id, "mem-1");
    assert_eq!(body.active_members[0].granted_scopes, ["openid", "email"]);
    assert!(body.active_members[1].granted_scopes.is_empty());

    let request = only_request(&server);
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, at(ORG_APP_PATH));
    assert_common(&request);
    assert_no_body(&request);
    assert_eq!(request.header("x-stytch-member-session"), None);
    assert_eq!(
        request.header_all("x-stytch-member-sessionjwt"),
        vec!["jwt-abc"]
    );
}

#[tokio::test]
async fn path_params_are_percent_encoded_into_one_segment() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"request_id": "r", "status_code": 200, "connected_apps": []}"#,
    )]);
    let client = client(&server);

    client
        .organizations()
        .members()
        .get_connected_apps("org-1", "a/b c")
        .send()
        .await
        .expect("the call succeeds");
    client
        .organizations()
        .members()
        .get_connected_apps("org?x=1#frag", "100%")
        .send()
        .await
        .expect("the call succeeds");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].target,
        at("/v1/b2b/organizations/org-1/members/a%2Fb%20c/connected_apps")
    );
    assert_eq!(
        requests[1].target,
        at("/v1/b2b/organizations/org%3Fx%3D1%23frag/members/100%25/connected_apps")
    );
    let members = ["a%2Fb%20c", "100%25"];
    for (request, member) in requests.iter().zip(members) {
        assert_eq!(request.query(), None);
        assert_no_body(request);
        // `/stytch/v1/b2b/organizations/{org}/members/{member}/connected_apps`: the
        // parameters never split into more segments.
        let segments: Vec<&str> = request.path().split('/').collect();
        assert_eq!(segments.len(), 9, "{}", request.target);
        assert_eq!(segments[6], "members");
        assert_eq!(segments[7], member);
    }
}

#[tokio::test]
async fn path_params_never_reach_the_query_or_the_body() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"request_id": "r", "status_code": 200}"#,
    )]);
    let client = client(&server);

    client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-unique-7", "member unique/8", "app-unique-9")
        .send()
        .await
        .expect("the call succeeds");

    let request = only_request(&server);
    assert_eq!(
        request.target,
        at(
            "/v1/b2b/organizations/org-unique-7/members/member%20unique%2F8/connected_apps/app-unique-9/revoke"
        )
    );
    assert_eq!(request.query(), None);
    assert_eq!(request.body, b"{}");
    for header in &request.headers {
        assert!(!header.1.contains("unique"), "header {header:?}");
    }
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"request_id": "r", "status_code": 200, "connected_apps": []}"#,
    )]);
    let client = Client::builder(PROJECT_ID, SECRET)
        .base_url(format!("{}/proxy/stytch/", server.url()))
        .build()
        .expect("a loopback base URL with a path is accepted");

    client
        .organizations()
        .connected_apps("org-1")
        .send()
        .await
        .expect("the call succeeds");

    let request = only_request(&server);
    assert_eq!(request.target, format!("/proxy/stytch{ORG_APPS_PATH}"));
}

#[tokio::test]
async fn stytch_error_bodies_become_typed_api_errors_without_retry() {
    for (status, error_type) in [
        (401, "unauthorized_credentials"),
        (403, "action_not_allowed"),
        (404, "member_not_found"),
    ] {
        let request_id = format!("request-id-test-{status}");
        let server = Server::start(vec![
            Reply::json(status, stytch_error(status, &request_id, error_type))
                .header("X-Request-Id", "header-id-should-lose"),
        ]);
        let client = client(&server);

        let error = client
            .organizations()
            .members()
            .get_connected_apps("org-1", "mem-1")
            .send()
            .await
            .expect_err("an error status fails the call");

        assert_eq!(server.count(), 1, "status {status} must not be retried");
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.request_id(), Some(request_id.as_str()));
        assert!(!error.is_retryable());
        assert!(!error.is_timeout());
        let Error::Api(api) = &error else {
            panic!("status {status}: expected Error::Api, got {error:?}");
        };
        assert_eq!(api.status(), status);
        assert_eq!(api.attempts(), 1);
        assert_eq!(api.request_id(), Some(request_id.as_str()));
        assert_eq!(api.retry_after(), None);
        let Some(ErrorBody::StytchError(body)) = api.body() else {
            panic!(
                "status {status}: expected a typed body, got {:?}",
                api.body()
            );
        };
        assert_eq!(body.status_code, i32::from(status));
        assert_eq!(body.request_id, request_id);
        assert_eq!(body.error_type, error_type);
        assert_eq!(body.error_message, format!("message for {error_type}"));
        assert_eq!(
            body.error_url,
            format!("https://stytch.com/docs/api/errors/{status}#{error_type}")
        );
        assert_eq!(body.error_details, None);
        let shown = error.to_string();
        assert!(shown.contains(&status.to_string()), "{shown}");
        assert!(shown.contains(&request_id), "{shown}");
    }
}

#[tokio::test]
async fn stytch_error_on_post_is_typed_and_keeps_error_details() {
    let server = Server::start(vec![Reply::json(
        403,
        json!({
            "status_code": 403,
            "request_id": "request-id-post-403",
            "error_type": "unauthorized_action",
            "error_message": "The member may not revoke this app.",
            "error_url": "https://stytch.com/docs/api/errors/403",
            "error_details": {"missing_permission": "connected_apps.revoke"},
            "unexpected": 1,
        })
        .to_string(),
    )]);
    let client = client(&server);

    let error = client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .member_session_token("tok")
        .send()
        .await
        .expect_err("403 fails the call");

    assert_eq!(server.count(), 1);
    assert_eq!(error.status(), Some(403));
    assert_eq!(error.request_id(), Some("request-id-post-403"));
    let api = error.api_error().expect("an API error");
    let Some(ErrorBody::StytchError(body)) = api.body() else {
        panic!("expected a typed body, got {:?}", api.body());
    };
    assert_eq!(body.error_type, "unauthorized_action");
    let details = body.error_details.as_ref().expect("error details");
    assert_eq!(
        details.get("missing_permission"),
        Some(&json!("connected_apps.revoke"))
    );
    assert!(
        error
            .to_string()
            .contains("The member may not revoke this app.")
    );
}

#[tokio::test]
async fn send_with_response_gives_status_and_headers() {
    let server = Server::start(vec![
        Reply::json(
            200,
            r#"{"request_id": "req-body", "status_code": 200, "connected_apps": []}"#,
        )
        .header("X-Request-Id", "req-header")
        .header("X-Custom", "custom value"),
        Reply::json(201, r#"{"request_id": "req-created", "status_code": 201}"#),
    ]);
    let client = client(&server);

    let response = client
        .organizations()
        .connected_apps("org-1")
        .send_with_response()
        .await
        .expect("the call succeeds");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("x-custom")
            .map(|v| v.to_str().unwrap()),
        Some("custom value")
    );
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap()),
        Some("application/json")
    );
    assert_eq!(response.request_id().as_deref(), Some("req-header"));
    assert_eq!(response.body().request_id, "req-body");
    assert!(response.into_body().connected_apps.is_empty());

    let response = client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .send_with_response()
        .await
        .expect("a 201 is a success too");
    assert_eq!(response.status(), 201);
    assert_eq!(response.request_id(), None);
    assert_eq!(response.body().status_code, 201);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn extra_headers_are_sent_but_cannot_replace_the_credentials() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"request_id": "r", "status_code": 200, "connected_apps": []}"#,
    )]);
    let client = client(&server);

    client
        .organizations()
        .connected_apps("org-1")
        .header("x-extra", "extra value")
        .header("authorization", "Bearer not-the-credential")
        .send()
        .await
        .expect("the call succeeds");

    let request = only_request(&server);
    assert_eq!(request.header_all("x-extra"), vec!["extra value"]);
    assert_eq!(request.header_all("authorization"), vec![EXPECTED_AUTH]);
}

#[tokio::test]
async fn one_client_sends_many_requests_in_order() {
    let server = Server::start(vec![
        Reply::json(
            200,
            r#"{"request_id": "1", "status_code": 200, "connected_apps": []}"#,
        ),
        Reply::json(
            200,
            r#"{"request_id": "2", "status_code": 200, "connected_apps": []}"#,
        ),
    ]);
    let client = client(&server);

    let mut ids = Vec::new();
    for org in ["org-a", "org-b", "org-c"] {
        let body = client
            .organizations()
            .connected_apps(org)
            .send()
            .await
            .expect("the call succeeds");
        ids.push(body.request_id);
    }

    // The last scripted reply repeats once the script runs out.
    assert_eq!(ids, ["1", "2", "2"]);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            at("/v1/b2b/organizations/org-a/connected_apps"),
            at("/v1/b2b/organizations/org-b/connected_apps"),
            at("/v1/b2b/organizations/org-c/connected_apps"),
        ]
    );
}

#[tokio::test]
async fn bare_host_base_url_sends_exact_operation_paths() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({
            "request_id": "r",
            "status_code": 200,
            "connected_apps": [],
            "connected_app_id": "app-1",
            "name": "n",
            "description": "d",
            "client_type": "first_party",
            "active_members": [],
        })
        .to_string(),
    )]);
    for base in [server.url(), format!("{}/", server.url())] {
        let client = Client::builder(PROJECT_ID, SECRET)
            .base_url(base)
            .build()
            .expect("a loopback base URL is accepted");
        let organizations = client.organizations();
        let members = organizations.members();
        members
            .get_connected_apps("org-1", "mem-1")
            .send()
            .await
            .expect("get_connected_apps succeeds");
        members
            .connected_apps()
            .revoke("org-1", "mem-1", "app-1")
            .send()
            .await
            .expect("revoke succeeds");
        organizations
            .connected_apps("org-1")
            .send()
            .await
            .expect("connected_apps succeeds");
        organizations
            .get_connected_app("org-1", "app-1")
            .send()
            .await
            .expect("get_connected_app succeeds");
    }
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    let expected = [MEMBER_APPS_PATH, REVOKE_PATH, ORG_APPS_PATH, ORG_APP_PATH];
    assert_eq!(targets, [expected, expected].concat());
}
