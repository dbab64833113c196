//! A consumer's own tests against the typed mock of `stytch-b2b` (the `mock` feature),
//! written only against the crate's public API, as the README's "Testing your code" shows: a
//! function of the consumer's that lists a member's connected apps, tested for a 200, a 404
//! with Stytch's typed error and a 429 that the client retries; then the matchers, call
//! counts, delays and the mock's refusal of requests the description would reject. No
//! network: the mock listens on 127.0.0.1.

use std::time::{Duration, Instant};

use stytch_b2b::mock::MockServer;
use stytch_b2b::{
    Client, Error, ErrorBody, GetConnectedAppsResponse, MemberConnectedApp,
    RevokeConnectedAppRequest, RevokeConnectedAppResponse, StytchError,
};

/// The consumer's code under test: the names of a member's connected apps.
async fn app_names(client: &Client, org: &str, member: &str) -> Result<Vec<String>, Error> {
    let apps = client
        .organizations()
        .members()
        .get_connected_apps(org, member)
        .send()
        .await?;
    Ok(apps.connected_apps.into_iter().map(|a| a.name).collect())
}

fn client(server: &MockServer) -> Client {
    Client::builder("project-test-123", "secret-xyz")
        .base_url(server.uri())
        .build()
        .expect("a loopback base URL")
}

fn app(id: &str, name: &str) -> MemberConnectedApp {
    MemberConnectedApp::sample().connected_app_id(id).name(name)
}

fn not_found() -> StytchError {
    StytchError::sample()
        .status_code(404)
        .request_id("req-404")
        .error_type("member_not_found")
}

#[tokio::test]
async fn a_member_with_apps() {
    let server = MockServer::start().await;
    let apps = GetConnectedAppsResponse::sample()
        .request_id("req-1")
        .connected_apps(vec![app("a1", "Notes"), app("a2", "Calendar")]);
    let mock = server
        .organizations_members_get_connected_apps()
        .organization_id("org-1")
        .member_id("mem-1")
        .respond_200_with(apps)
        .expect(1)
        .mount()
        .await;
    let names = app_names(&client(&server), "org-1", "mem-1").await.unwrap();
    assert_eq!(names, ["Notes", "Calendar"]);
    mock.assert_calls(1);
    server.verify().await;
}

#[tokio::test]
async fn a_missing_member_is_a_typed_stytch_error() {
    let server = MockServer::start().await;
    server
        .organizations_members_get_connected_apps()
        .respond_default_with(404, not_found())
        .mount()
        .await;
    let error = app_names(&client(&server), "org-1", "nobody")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.request_id(), Some("req-404"));
    let Some(ErrorBody::StytchError(body)) = error.api_error().and_then(|e| e.body()) else {
        panic!("expected Stytch's typed error, got {error:?}");
    };
    assert_eq!(body.error_type, "member_not_found");
    server.verify().await;
}

#[tokio::test]
async fn a_rate_limit_is_retried() {
    let server = MockServer::start().await;
    let mock = server
        .organizations_members_get_connected_apps()
        .respond_default_with(
            429,
            StytchError::sample()
                .status_code(429)
                .error_type("too_many_requests"),
        )
        .with_header("retry-after", "0")
        .respond_200_with(
            GetConnectedAppsResponse::sample()
                .request_id("req-2")
                .connected_apps(vec![app("a1", "Notes")]),
        )
        .expect(2)
        .mount()
        .await;
    let names = app_names(&client(&server), "org-1", "mem-1").await.unwrap();
    assert_eq!(names, ["Notes"]);
    mock.assert_calls(2);
    server.verify().await;
}

/// Matchers take the operation's own types: a request with other values finds no mock,
/// which the server reports, naming the operation.
#[tokio::test]
async fn matchers_select_requests_and_an_unmatched_one_is_reported() {
    let server = MockServer::start().await;
    server
        .organizations_members_get_connected_apps()
        .member_id("mem-1")
        .member_session_token("session-1")
        .respond_200_with(GetConnectedAppsResponse::sample().request_id("req-3"))
        .mount()
        .await;
    let client = client(&server);
    let call = |token: &'static str| {
        client
            .organizations()
            .members()
            .get_connected_apps("org-1", "mem-1")
            .member_session_token(token)
            .send()
    };
    assert!(call("session-1").await.is_ok());
    let error = call("session-2").await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    let problems = server.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("client.organizations().members().get_connected_apps(..)")
            && problems[0].contains("no mounted mock matched"),
        "{problems:?}"
    );
    // `verify` fails on them, and so would the drop of the server: this test expected them.
    let failed = std::panic::AssertUnwindSafe(server.verify());
    assert!(futures_like::catch(failed).await.is_err());
    server.reset().await;
}

/// The body matcher and a delay, on the POST that revokes an app.
#[tokio::test]
async fn a_body_matcher_and_a_delay() {
    let server = MockServer::start().await;
    let mock = server
        .organizations_members_connected_apps_revoke()
        .connected_app_id("app-1")
        .match_body(RevokeConnectedAppRequest::new())
        .respond_200_with(RevokeConnectedAppResponse::sample().request_id("req-4"))
        .with_delay(Duration::from_millis(200))
        .mount()
        .await;
    let started = Instant::now();
    let revoked = client(&server)
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.request_id, "req-4");
    assert!(started.elapsed() >= Duration::from_millis(200));
    mock.assert_calls(1);
    server.verify().await;
}

/// A request the description would reject (a body that is not the operation's body type, a
/// path of no operation) fails with a message naming the operation and what was wrong.
#[tokio::test]
async fn requests_the_description_rejects_are_refused_and_named() {
    let server = MockServer::start().await;
    server
        .organizations_members_connected_apps_revoke()
        .respond_200_with(RevokeConnectedAppResponse::sample().request_id("req-5"))
        .mount()
        .await;
    let http = stytch_b2b::reqwest::Client::new();
    let path = "/v1/b2b/organizations/org-1/members/mem-1/connected_apps/app-1/revoke";
    let refused = http
        .post(format!("{}{path}", server.uri()))
        .header("content-type", "application/json")
        .body("[1, 2]")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    let unknown = http
        .get(format!("{}/v1/b2b/nothing", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    let problems = server.problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("client.organizations().members().connected_apps().revoke(..)")
            && problems[0].contains("the request body breaks its schema"),
        "{problems:?}"
    );
    assert!(problems[1].contains("GET /v1/b2b/nothing: the API has no such operation"));
    let failed = std::panic::AssertUnwindSafe(server.verify());
    assert!(futures_like::catch(failed).await.is_err());
    server.reset().await;
}

/// A mock's `expect(n)` that was not met fails `verify`.
#[tokio::test]
async fn an_expected_call_that_never_came_fails_verify() {
    let server = MockServer::start().await;
    server
        .organizations_connected_apps()
        .respond_status(204)
        .expect(1)
        .mount()
        .await;
    let failed = std::panic::AssertUnwindSafe(server.verify());
    assert!(futures_like::catch(failed).await.is_err());
    server.reset().await;
}

/// The requests received can be read back: method, path, query, headers with every secret
/// masked (the Basic credential, the member session token), and the body typed.
#[tokio::test]
async fn received_requests_are_readable_with_secrets_masked() {
    let server = MockServer::start().await;
    server
        .organizations_members_connected_apps_revoke()
        .respond_200_with(RevokeConnectedAppResponse::sample().request_id("req-6"))
        .mount()
        .await;
    server
        .organizations_members_get_connected_apps()
        .respond_200_with(GetConnectedAppsResponse::sample().request_id("req-7"))
        .mount()
        .await;
    let client = client(&server);
    client
        .organizations()
        .members()
        .connected_apps()
        .revoke("org-1", "mem-1", "app-1")
        .send()
        .await
        .unwrap();
    client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .member_session_token("session-secret-1")
        .send()
        .await
        .unwrap();
    let received = server.received_requests().await;
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].method(), "POST");
    assert_eq!(
        received[0].path(),
        "/v1/b2b/organizations/org-1/members/mem-1/connected_apps/app-1/revoke"
    );
    assert_eq!(
        received[0].operation(),
        Some("client.organizations().members().connected_apps().revoke(..)")
    );
    let body: RevokeConnectedAppRequest = received[0].body_json().expect("the body decodes");
    assert_eq!(body, RevokeConnectedAppRequest::new());
    assert_eq!(received[1].header("authorization"), Some("***"));
    assert_eq!(received[1].header("x-stytch-member-session"), Some("***"));
    let shown = format!("{received:?}");
    assert!(
        !shown.contains("session-secret-1") && !shown.contains("Basic "),
        "{shown}"
    );
    server.verify().await;
}

/// A matcher for any header (one the caller adds, such as `traceparent`) and a matcher of
/// the test's own; a request neither accepts is refused, naming the closest mock and each
/// matcher that differed.
#[tokio::test]
async fn header_and_custom_matchers_and_the_closest_mock() {
    let server = MockServer::start().await;
    let traced = server
        .organizations_members_get_connected_apps()
        .member_id("mem-1")
        .match_header("Traceparent", "00-trace-1")
        .match_request(|r| r.query().is_empty() && r.path().ends_with("/connected_apps"))
        .respond_200_with(GetConnectedAppsResponse::sample().request_id("req-8"))
        .mount()
        .await;
    let client = client(&server);
    let call = |trace: &'static str, member: &'static str| {
        client
            .organizations()
            .members()
            .get_connected_apps("org-1", member)
            .header("traceparent", trace)
            .send()
    };
    call("00-trace-1", "mem-1").await.unwrap();
    traced.assert_calls(1);
    assert_eq!(
        call("00-trace-2", "mem-2").await.unwrap_err().status(),
        Some(404)
    );
    let problems = server.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("the closest mock of it differs")
            && problems[0].contains("path parameter `member_id`: wants `mem-1`, got `mem-2`")
            && problems[0].contains("header `traceparent`"),
        "{problems:?}"
    );
    server.reset().await;
}

/// `check` returns every problem without panicking: a refused request and an `expect(n)`
/// not met, together; `verify` lists the same.
#[tokio::test]
async fn check_lists_every_problem_without_panicking() {
    let server = MockServer::start().await;
    server
        .organizations_connected_apps()
        .respond_status(204)
        .expect(2)
        .mount()
        .await;
    let unknown = stytch_b2b::reqwest::Client::new()
        .get(format!("{}/v1/b2b/nothing", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    let problems = server.check().unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("the API has no such operation"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("was expected 2 time(s) and answered 0"),
        "{problems:?}"
    );
    server.reset().await;
    assert!(server.check().is_ok());
}

/// Test data by name: `sample()` fills every required property from the description's
/// examples (spec/stytch-b2b.yaml gives the app's) or a placeholder of its type, leaves the
/// optional ones unset, and the setters change only what a test names. The argument-less
/// responders answer exactly that sample, as a valid value the client decodes.
#[tokio::test]
async fn samples_come_from_the_description_and_answer_argument_less_responders() {
    let app = MemberConnectedApp::sample();
    assert_eq!(
        app.connected_app_id,
        "connected-app-test-d731954d-dab3-4a2b-bdee-07f3ad1be885"
    );
    assert_eq!(app.name, "Notes");
    assert_eq!(app.client_type, "third_party");
    assert_eq!(app.scopes_granted, "openid email profile");
    assert_eq!(app.logo_url, None);
    let renamed = MemberConnectedApp::sample()
        .name("Calendar")
        .logo_url("https://x.test/l.png");
    assert_eq!(renamed.name, "Calendar");
    assert_eq!(renamed.description, app.description);
    assert_eq!(renamed.logo_url.as_deref(), Some("https://x.test/l.png"));
    // No example: a placeholder of the property's type.
    let error = StytchError::sample();
    assert_eq!(
        (error.status_code, error.error_type.as_str()),
        (0, "string")
    );

    let server = MockServer::start().await;
    let mock = server
        .organizations_members_get_connected_apps()
        .respond_default(503)
        .respond_200()
        .mount()
        .await;
    let client = Client::builder("project-test-123", "secret-xyz")
        .base_url(server.uri())
        .retry_backoff(Duration::ZERO, Duration::ZERO)
        .build()
        .unwrap();
    let apps = client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .send()
        .await
        .unwrap();
    assert_eq!(apps, GetConnectedAppsResponse::sample());
    mock.assert_calls(2);
    server.verify().await;
}

/// `catch_unwind` for a future, without a futures crate.
mod futures_like {
    use std::future::Future;
    use std::panic::AssertUnwindSafe;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub async fn catch<F: Future>(future: AssertUnwindSafe<F>) -> std::thread::Result<F::Output> {
        let mut future = Box::pin(future.0);
        std::future::poll_fn(move |cx: &mut Context<'_>| {
            let polled =
                std::panic::catch_unwind(AssertUnwindSafe(|| Pin::as_mut(&mut future).poll(cx)));
            match polled {
                Ok(Poll::Pending) => Poll::Pending,
                Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
                Err(panic) => Poll::Ready(Err(panic)),
            }
        })
        .await
    }
}
