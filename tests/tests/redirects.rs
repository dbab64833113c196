//! Redirects of the generated `stytch-b2b` client against two loopback servers: a credential
//! goes only to the base URL's origin. Server A (the base URL) redirects; server B, another
//! port and so another origin, must never see the Basic credential, a member session token or
//! JWT, or an extra header. Every redirect status is tried, for a GET with every secret the
//! operation takes and for a POST with a body. Every other credential kind the generator
//! supports (bearer, API keys in a header, the query and a cookie) is covered by the consumer
//! test `tests/redirects/redirects.rs`, run by `redirected_credentials_of_every_kind`.

mod common;

use std::time::Duration;

use clientgen_tests::{Recorded, Reply, Server};
use stytch_b2b::{Client, Error};

const PROJECT_ID: &str = "project-test-123";
const SECRET: &str = "secret-xyz";
/// `base64("project-test-123:secret-xyz")`, the secret as it travels in the Basic header.
const SECRET_BASE64: &str = "cHJvamVjdC10ZXN0LTEyMzpzZWNyZXQteHl6";
const SESSION: &str = "session-token-abc";
const JWT: &str = "session-jwt-def";
const EXTRA: &str = "extra-header-ghi";

fn client(server: &Server) -> Client {
    Client::builder(PROJECT_ID, SECRET)
        .base_url(server.url())
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .expect("a loopback base URL")
}

fn member_apps_ok() -> Reply {
    Reply::json(
        200,
        r#"{"request_id": "req-b", "status_code": 200, "connected_apps": []}"#,
    )
}

fn redirect(status: u16, location: &str) -> Reply {
    Reply::status(status).header("Location", location)
}

/// Asserts that no secret of the client reached `request`, in any header, the target or the
/// body.
fn assert_no_secret(request: &Recorded, context: &str) {
    let mut text = format!("{} {}\n", request.method, request.target);
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    text.push_str(&request.body_text());
    for secret in [SECRET, SECRET_BASE64, SESSION, JWT, EXTRA] {
        assert!(
            !text.contains(secret),
            "{context}: {secret:?} reached B:\n{text}"
        );
    }
    assert!(
        request.header("authorization").is_none(),
        "{context}: {text}"
    );
}

async fn get_with_every_secret(
    client: &Client,
) -> Result<stytch_b2b::GetConnectedAppsResponse, Error> {
    client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .member_session_token(SESSION)
        .member_session_jwt(JWT)
        .header("x-extra", EXTRA)
        .send()
        .await
}

/// 301, 302, 307, 308 to another origin are followed without a credential; 303 is returned
/// as it is, and B sees nothing.
#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    for status in [301, 302, 303, 307, 308] {
        let b = Server::start(vec![member_apps_ok()]);
        let a = Server::start(vec![redirect(
            status,
            &format!("{}/elsewhere?x=1", b.url()),
        )]);
        let result = get_with_every_secret(&client(&a)).await;

        // A, the configured origin, got every credential.
        let first = &a.requests()[0];
        assert_eq!(first.header("x-stytch-member-session"), Some(SESSION));
        assert_eq!(
            first.header("authorization"),
            Some(format!("Basic {SECRET_BASE64}").as_str())
        );
        if status == 303 {
            let error = result.expect_err("a 303 is returned, not followed");
            assert_eq!(error.status(), Some(303), "{error:?}");
            assert_eq!(b.count(), 0);
            continue;
        }
        let body = result.unwrap_or_else(|e| panic!("{status}: B answers: {e:?}"));
        assert_eq!(body.request_id, "req-b");
        let requests = b.requests();
        assert_eq!(requests.len(), 1, "{status}");
        assert_eq!(requests[0].target, "/elsewhere?x=1");
        assert_eq!(requests[0].method, "GET");
        assert_no_secret(&requests[0], &format!("GET, {status}"));
    }
}

/// A POST's body goes on with 307 and 308 (and becomes a GET without it for 301 and 302), but
/// its credentials do not.
#[tokio::test]
async fn a_redirected_post_keeps_its_body_and_loses_its_credentials() {
    for (status, method) in [(301, "GET"), (302, "GET"), (307, "POST"), (308, "POST")] {
        let b = Server::start(vec![Reply::json(
            200,
            r#"{"request_id": "req-b", "status_code": 200}"#,
        )]);
        let a = Server::start(vec![redirect(status, &format!("{}/landing", b.url()))]);
        client(&a)
            .organizations()
            .members()
            .connected_apps()
            .revoke("org-1", "mem-1", "app-1")
            .member_session_jwt(JWT)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{status}: {e:?}"));
        let seen = &b.requests()[0];
        assert_eq!(seen.method, method, "{status}");
        if method == "POST" {
            assert_eq!(seen.body_text(), a.requests()[0].body_text(), "{status}");
            assert_eq!(seen.header("content-type"), Some("application/json"));
        } else {
            assert!(seen.body.is_empty(), "{status}");
        }
        assert_no_secret(seen, &format!("POST, {status}"));
    }
}

/// A redirect that stays on the base URL's origin (a relative `Location` too) keeps every
/// credential, as before.
#[tokio::test]
async fn same_origin_redirects_keep_credentials() {
    for status in [301, 302, 307, 308] {
        let a = Server::start(vec![redirect(status, "/moved/here"), member_apps_ok()]);
        get_with_every_secret(&client(&a))
            .await
            .unwrap_or_else(|e| panic!("{status}: {e:?}"));
        let requests = a.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[1].target, "/moved/here");
        assert_eq!(requests[1].header("x-stytch-member-sessionjwt"), Some(JWT));
        assert_eq!(requests[1].header("x-extra"), Some(EXTRA));
        assert_eq!(
            requests[1].header("authorization"),
            Some(format!("Basic {SECRET_BASE64}").as_str())
        );
    }
}

/// Once a chain has left the origin, its credentials stay removed, even when a later
/// redirect leads back to it.
#[tokio::test]
async fn a_chain_that_comes_back_stays_without_credentials() {
    let a = Server::start(vec![Reply::status(500)]);
    let b = Server::start(vec![redirect(302, &format!("{}/back", a.url()))]);
    a.replace_script(vec![
        redirect(302, &format!("{}/out", b.url())),
        member_apps_ok(),
    ]);
    get_with_every_secret(&client(&a))
        .await
        .expect("the chain ends at A with a 200");
    assert_no_secret(&b.requests()[0], "B");
    let back = &a.requests()[1];
    assert_eq!(back.target, "/back");
    assert_no_secret(back, "back at A");
}

/// A server that redirects forever is left after 10 redirects with `Error::Redirect`: no
/// retry, and not called a connection failure.
#[tokio::test]
async fn a_redirect_loop_ends_with_a_redirect_error() {
    let a = Server::start(vec![redirect(302, "/again")]);
    let error = Client::builder(PROJECT_ID, SECRET)
        .base_url(a.url())
        .max_retries(3)
        .build()
        .unwrap()
        .organizations()
        .connected_apps("org-1")
        .send()
        .await
        .expect_err("a loop never ends well");
    let Error::Redirect(redirect) = &error else {
        panic!("expected Error::Redirect, got {error:?}");
    };
    assert_eq!(redirect.status(), 302);
    assert!(!error.is_retryable());
    assert!(
        error
            .to_string()
            .contains("more redirects in a row than `max_redirects` allows"),
        "{error}"
    );
    // The first request and 10 redirects, once: not retried.
    assert_eq!(a.count(), 11);
}

/// With `max_redirects(0)` a redirect is the answer: returned as the operation reads it, and
/// its target never contacted.
#[tokio::test]
async fn max_redirects_zero_returns_the_redirect() {
    let b = Server::start(vec![member_apps_ok()]);
    let a = Server::start(vec![redirect(307, &format!("{}/elsewhere", b.url()))]);
    let client = Client::builder(PROJECT_ID, SECRET)
        .base_url(a.url())
        .max_redirects(0)
        .max_retries(0)
        .build()
        .unwrap();
    let error = get_with_every_secret(&client)
        .await
        .expect_err("a 307 is no success of this operation");
    assert_eq!(error.status(), Some(307));
    assert_eq!(b.count(), 0);
}

/// A generated crate with every credential kind, redirected to another origin with every
/// redirect status: the consumer test in `tests/redirects/` asserts that the second server
/// sees none of them.
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn redirected_credentials_of_every_kind() {
    let (_, stdout) = common::run_consumer_test(
        "tests/fixtures/redirects.yaml",
        "redirects",
        "tests/redirects/redirects.rs",
        &[],
    );
    assert!(stdout.contains("test result: ok. 2 passed"), "{stdout}");
}
