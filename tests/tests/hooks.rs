//! Hooks of the generated `stytch-b2b` client against a loopback server: a before-attempt
//! hook adds a header to every attempt (retries too) and never sees a secret in clear; an
//! after-attempt hook sees each attempt's status, headers, timing or failure. Streamed bodies
//! with hooks on are covered by the streaming fixture's consumer test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use clientgen_tests::{Reply, Server, unused_url};
use stytch_b2b::Client;

const SECRET: &str = "secret-xyz";
const SESSION: &str = "session-token-abc";

fn ok() -> Reply {
    Reply::json(
        200,
        r#"{"request_id": "req-ok", "status_code": 200, "connected_apps": []}"#,
    )
    .header("x-request-id", "req-ok")
}

/// What the after-attempt hook recorded: attempt, status, request id, elapsed.
type AfterLog = Arc<Mutex<Vec<(u32, Option<u16>, Option<String>, Duration)>>>;
/// Attempt, status and failure of each attempt.
type FailureLog = Arc<Mutex<Vec<(u32, Option<u16>, String)>>>;

#[derive(Debug, Clone, PartialEq)]
struct Seen {
    attempt: u32,
    template: String,
    path: String,
    authorization: Option<String>,
    session: Option<String>,
}

#[tokio::test]
async fn hooks_run_per_attempt_and_see_no_secret() {
    let server = Server::start(vec![Reply::status(503).header("retry-after", "0"), ok()]);
    let before: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let after: AfterLog = Arc::default();
    let (b, a) = (before.clone(), after.clone());
    let client = Client::builder("project-test-123", SECRET)
        .base_url(server.url())
        .max_retries(2)
        .before_attempt(move |attempt| {
            b.lock().unwrap().push(Seen {
                attempt: attempt.attempt(),
                template: attempt.path_template().to_owned(),
                path: attempt.path().to_owned(),
                authorization: attempt.header("authorization").map(str::to_owned),
                session: attempt.header("x-stytch-member-session").map(str::to_owned),
            });
            let trace = format!("00-trace-{}-01", attempt.attempt());
            attempt.set_header("traceparent", &trace).unwrap();
            // A header the hook set is its own, and reads as set.
            assert_eq!(attempt.header("traceparent"), Some(trace.as_str()));
            // A line break is refused, as in every header.
            assert!(attempt.set_header("x-evil", "a\r\nb: c").is_err());
        })
        .after_attempt(move |attempt| {
            a.lock().unwrap().push((
                attempt.attempt(),
                attempt.status(),
                attempt
                    .headers()
                    .and_then(|h| h.get("x-request-id"))
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                attempt.elapsed(),
            ));
        })
        .build()
        .unwrap();
    client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .member_session_token(SESSION)
        .send()
        .await
        .expect("the retry succeeds");

    let before = before.lock().unwrap().clone();
    assert_eq!(before.len(), 2, "{before:?}");
    for (i, seen) in before.iter().enumerate() {
        assert_eq!(seen.attempt, i as u32 + 1);
        assert_eq!(
            seen.template,
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/connected_apps"
        );
        assert_eq!(
            seen.path,
            "/v1/b2b/organizations/org-1/members/mem-1/connected_apps"
        );
        assert_eq!(seen.authorization.as_deref(), Some("***"));
        assert_eq!(seen.session.as_deref(), Some("***"));
    }
    let requests = server.requests();
    assert_eq!(requests[0].header("traceparent"), Some("00-trace-1-01"));
    assert_eq!(requests[1].header("traceparent"), Some("00-trace-2-01"));
    assert!(requests.iter().all(|r| r.header("x-evil").is_none()));
    // The secret still goes out: the hook only did not see it.
    assert!(
        requests[1]
            .header("authorization")
            .unwrap()
            .starts_with("Basic ")
    );

    let after = after.lock().unwrap().clone();
    let statuses: Vec<(u32, Option<u16>)> = after.iter().map(|a| (a.0, a.1)).collect();
    assert_eq!(statuses, [(1, Some(503)), (2, Some(200))]);
    assert_eq!(after[1].2.as_deref(), Some("req-ok"));
    assert!(after.iter().all(|a| a.3 < Duration::from_secs(10)));
}

/// An attempt with no response is reported with what went wrong, and no URL.
#[tokio::test]
async fn the_after_hook_sees_a_failed_attempt() {
    let failures: FailureLog = Arc::default();
    let f = failures.clone();
    let client = Client::builder("project-test-123", SECRET)
        .base_url(unused_url())
        .max_retries(1)
        .after_attempt(move |attempt| {
            f.lock().unwrap().push((
                attempt.attempt(),
                attempt.status(),
                attempt.failure().unwrap_or_default().to_owned(),
            ));
        })
        .build()
        .unwrap();
    client
        .organizations()
        .connected_apps("org-1")
        .send()
        .await
        .expect_err("nothing listens");
    let failures = failures.lock().unwrap().clone();
    assert_eq!(failures.len(), 2);
    assert!(
        failures
            .iter()
            .all(|(_, status, what)| status.is_none() && what == "could not connect"),
        "{failures:?}"
    );
}
