//! The generated `stytch-b2b` client against servers that misbehave: bodies far larger than
//! memory, `Retry-After` values beyond any wait, redirect loops, request ids and error bodies
//! that are not text. Memory is bounded by the limits' typed errors, not measured; time by
//! short settings. Streams and event streams are covered by the streaming fixture's consumer
//! test (`tests/streaming/streams.rs`), pagination by the pagination fixture's.

use std::time::{Duration, Instant};

use clientgen_tests::{Reply, Server};
use stytch_b2b::{Client, Error};

/// Far more than any limit: the server would write 2 GiB if the client read it.
const TWO_GIB: u64 = 2 << 30;

fn client(server: &Server) -> Client {
    Client::builder("project-test-123", "secret-xyz")
        .base_url(server.url())
        .timeout(Duration::from_secs(20))
        .max_retries(0)
        .build()
        .expect("a loopback base URL")
}

async fn get_apps(client: &Client) -> Result<stytch_b2b::GetConnectedAppsResponse, Error> {
    client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .send()
        .await
}

/// A 2 GiB success body ends with `Error::LimitExceeded` at the limit, whether the server
/// announces its length (refused before reading) or not (refused at the limit).
#[tokio::test]
async fn a_huge_success_body_ends_at_the_body_limit() {
    for announce in [true, false] {
        let server = Server::start(vec![
            Reply::status(200)
                .header("Content-Type", "application/json")
                .header("x-request-id", "req-huge")
                .huge(TWO_GIB, announce),
        ]);
        let client = Client::builder("project-test-123", "secret-xyz")
            .base_url(server.url())
            .max_body_size(1 << 20)
            .max_retries(2)
            .build()
            .unwrap();
        let started = Instant::now();
        let error = get_apps(&client).await.expect_err("the body is too large");
        let Error::LimitExceeded(limit) = &error else {
            panic!("expected Error::LimitExceeded, got {error:?}");
        };
        assert_eq!(limit.what(), "response body");
        assert_eq!(limit.limit(), 1 << 20);
        assert_eq!(limit.setting(), "max_body_size");
        assert_eq!(error.status(), Some(200));
        assert_eq!(error.request_id(), Some("req-huge"));
        assert!(!error.is_retryable());
        let message = error.to_string();
        assert!(
            message.contains("max_body_size") && message.contains("send_stream()"),
            "{message}"
        );
        // Not retried: the same body would come again.
        assert_eq!(server.count(), 1);
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{:?}",
            started.elapsed()
        );
    }
}

/// The default limit applies without any setting, and a request can raise it.
#[tokio::test]
async fn the_default_body_limit_and_a_per_request_one() {
    let server = Server::start(vec![
        Reply::status(200)
            .header("Content-Type", "application/json")
            .huge(65 * 1024 * 1024, true),
    ]);
    let error = get_apps(&client(&server)).await.expect_err("past 64 MiB");
    assert!(
        matches!(&error, Error::LimitExceeded(l) if l.limit() == 64 * 1024 * 1024),
        "{error:?}"
    );

    // A request's own limit: a body of 2 MiB of spaces then nothing decodes as no JSON, so
    // reaching the decoder proves the whole body was read.
    let server = Server::start(vec![Reply::status(200).body(" ").huge(2 << 20, false)]);
    let error = client(&server)
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .max_body_size(1 << 20)
        .send()
        .await
        .expect_err("1 MiB is too little");
    assert!(matches!(error, Error::LimitExceeded(_)), "{error:?}");
    let server = Server::start(vec![Reply::status(200).body(" ").huge(2 << 20, false)]);
    let error = client(&server)
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .max_body_size(3 << 20)
        .send()
        .await
        .expect_err("spaces are no JSON object");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

/// An error status with a 2 GiB body is read only as far as an error needs (1 MiB at most),
/// then the connection is dropped: the typed error arrives, with the status and a snippet,
/// and retries go on as the status allows.
#[tokio::test]
async fn a_huge_error_body_is_read_only_in_part() {
    for (status, attempts) in [(500, 3), (429, 3), (404, 1)] {
        let server = Server::start(vec![
            Reply::status(status)
                .header("x-request-id", "req-err")
                .body("{\"error\": \"")
                .huge(TWO_GIB, true),
        ]);
        let client = Client::builder("project-test-123", "secret-xyz")
            .base_url(server.url())
            .max_retries(2)
            .build()
            .unwrap();
        let started = Instant::now();
        let error = get_apps(&client).await.expect_err("an error status");
        let Error::Api(api) = &error else {
            panic!("{status}: expected Error::Api, got {error:?}");
        };
        assert_eq!(api.status(), status);
        assert_eq!(api.request_id(), Some("req-err"));
        assert!(api.body().is_none(), "a cut body is not typed");
        assert!(
            api.snippet().starts_with("{\"error\": \""),
            "{}",
            api.snippet()
        );
        assert!(api.snippet().len() <= 512);
        assert_eq!(server.count(), attempts, "{status}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }
}

/// `Retry-After` beyond any wait (a date in the year 10^14, a number past `u64`) ends the
/// retries at once, as a long wait does, and never panics or wraps, also through the error's
/// own retry hint with retries off.
#[tokio::test]
async fn retry_after_beyond_any_wait_ends_retrying() {
    for value in [
        "Sun, 06 Nov 100000000000000 08:49:37 GMT",
        "99999999999999999999",
    ] {
        for retries in [0, 2] {
            let server = Server::start(vec![Reply::status(429).header("Retry-After", value)]);
            let client = Client::builder("project-test-123", "secret-xyz")
                .base_url(server.url())
                .max_retries(retries)
                .build()
                .unwrap();
            let started = Instant::now();
            let error = get_apps(&client).await.expect_err("429");
            let api = error.api_error().expect("an API error");
            assert_eq!(api.retry_after(), Some(Duration::MAX), "{value}");
            assert_eq!(server.count(), 1, "{value}: not retried");
            assert!(started.elapsed() < Duration::from_secs(5));
        }
    }
}

/// A request id under a later header name is found when an earlier one holds bytes that are
/// not text.
#[tokio::test]
async fn the_first_valid_request_id_header_is_taken() {
    let server = Server::start(vec![
        Reply::status(500)
            .header("x-request-id", "bad\u{e9}id")
            .header("request-id", "req-valid"),
    ]);
    let error = get_apps(&client(&server)).await.expect_err("500");
    assert_eq!(error.request_id(), Some("req-valid"));
}

/// A snippet of an error body that is not UTF-8 stays within its 512 bytes once decoded
/// (each bad byte becomes a three-byte replacement character).
#[tokio::test]
async fn a_snippet_of_bytes_that_are_not_text_stays_within_its_bound() {
    let server = Server::start(vec![Reply::status(502).body(vec![0xff; 2000])]);
    let error = get_apps(&client(&server)).await.expect_err("502");
    let snippet = error.api_error().expect("an API error").snippet();
    assert!(snippet.len() <= 512, "{} bytes", snippet.len());
    assert!(snippet.ends_with('…'));
    assert!(error.to_string().len() < 1024);
}
