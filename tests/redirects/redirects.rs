//! Redirects of the crate generated from `tests/fixtures/redirects.yaml`, which has every
//! credential kind the generator supports: bearer and basic `Authorization`, API keys in a
//! header, the query and a cookie, and secret header parameters. Server A (the base URL)
//! redirects to server B on another port, so another origin, with every redirect status; B
//! must never see a secret. Copied into that crate's `tests/` by `tests/tests/redirects.rs`,
//! which runs it.

use clientgen_tests::{Recorded, Reply, Server};
use redirects::{Client, Error, PostSecretHeaderBody};

const BEARER: &str = "bearer-secret-1";
const BASIC_PASSWORD: &str = "basic-secret-2";
/// `base64("user:basic-secret-2")`.
const BASIC_BASE64: &str = "dXNlcjpiYXNpYy1zZWNyZXQtMg==";
const HEADER_KEY: &str = "header-key-secret-3";
const QUERY_KEY: &str = "query-key-secret-4";
const COOKIE_KEY: &str = "cookie-key-secret-5";
const SESSION: &str = "session-secret-6";
const MARKER: &str = "marker-secret-7";
const EXTRA: &str = "extra-secret-8";
const SECRETS: &[&str] = &[
    BEARER,
    BASIC_PASSWORD,
    BASIC_BASE64,
    HEADER_KEY,
    QUERY_KEY,
    COOKIE_KEY,
    SESSION,
    MARKER,
    EXTRA,
];

fn client(base: &str) -> Client {
    Client::builder(BEARER)
        .base_url(base)
        .basic("user", BASIC_PASSWORD)
        .header_key(HEADER_KEY)
        .query_key(QUERY_KEY)
        .cookie_key(COOKIE_KEY)
        .max_retries(0)
        .build()
        .unwrap()
}

/// Every operation, each sending its credential kind, and the extra header of the request.
async fn call_each(client: &Client) -> Vec<(&'static str, Result<(), Error>)> {
    vec![
        ("bearer", client.get_bearer().header("x-extra", EXTRA).send().await),
        ("basic", client.get_basic().header("x-extra", EXTRA).send().await),
        ("header key", client.get_header_key().header("x-extra", EXTRA).send().await),
        ("query key", client.get_query_key().header("x-extra", EXTRA).send().await),
        ("cookie key", client.get_cookie_key().header("x-extra", EXTRA).send().await),
        (
            "secret headers",
            client
                .post_secret_header(SESSION)
                .x_marker(MARKER)
                .x_trace("trace-1")
                .body(PostSecretHeaderBody::new().note("hello"))
                .header("x-extra", EXTRA)
                .send()
                .await,
        ),
    ]
}

#[tokio::test]
async fn no_credential_of_any_kind_reaches_another_origin() {
    for status in [301, 302, 303, 307, 308] {
        let b = Server::start(vec![Reply::status(200)]);
        let target = format!("{}/landing?page=2", b.url());
        let a = Server::start(vec![Reply::status(status).header("location", target)]);
        let results = call_each(&client(&a.url())).await;
        for (kind, result) in &results {
            match (status, result) {
                (303, Err(error)) => assert_eq!(error.status(), Some(303), "{kind}"),
                (303, Ok(())) => panic!("{kind}: a 303 is returned, not followed"),
                (_, Ok(())) => {}
                (_, Err(error)) => panic!("{status} {kind}: {error:?}"),
            }
        }
        // A got each credential where its kind puts it.
        let a_seen = a.requests();
        assert_eq!(a_seen.len(), 6, "{a_seen:#?}");
        assert_eq!(a_seen[0].header("authorization"), Some(format!("Bearer {BEARER}").as_str()));
        assert_eq!(a_seen[1].header("authorization"), Some(format!("Basic {BASIC_BASE64}").as_str()));
        assert_eq!(a_seen[2].header("x-api-key"), Some(HEADER_KEY));
        assert!(a_seen[3].target.contains(&format!("api_key={QUERY_KEY}")), "{:?}", a_seen[3]);
        assert_eq!(a_seen[4].header("cookie"), Some(format!("sid={COOKIE_KEY}").as_str()));
        assert_eq!(a_seen[5].header("x-session-token"), Some(SESSION));
        assert_eq!(a_seen[5].header("x-marker"), Some(MARKER));
        // B saw none of them, whatever the status.
        let b_seen = b.requests();
        assert_eq!(b_seen.len(), if status == 303 { 0 } else { 6 }, "{status}: {b_seen:#?}");
        for seen in &b_seen {
            let text = seen.text();
            for secret in SECRETS {
                assert!(!text.contains(secret), "{status}: {secret} reached B:\n{text}");
            }
            assert!(seen.target.contains("/landing?page=2"), "{status}: {}", seen.line());
            assert!(seen.header("authorization").is_none() && seen.header("cookie").is_none());
        }
        if status == 307 || status == 308 {
            // The body and the header that is not a secret go on; the method stays.
            let post = &b_seen[5];
            assert_eq!(post.method, "POST", "{}", post.line());
            assert_eq!(post.body_text(), r#"{"note":"hello"}"#);
            assert_eq!(post.header("x-trace"), Some("trace-1"));
        }
    }
}

/// The same calls redirected within the origin keep every credential.
#[tokio::test]
async fn credentials_of_every_kind_follow_a_same_origin_redirect() {
    let a = Server::answering(|seen| {
        if seen.target.contains("/moved") {
            Reply::status(200)
        } else {
            Reply::status(307).header("location", "/moved")
        }
    });
    for (kind, result) in call_each(&client(&a.url())).await {
        result.unwrap_or_else(|e| panic!("{kind}: {e:?}"));
    }
    let seen = a.requests();
    assert_eq!(seen.len(), 12);
    let moved: Vec<&Recorded> = seen.iter().filter(|s| s.target.contains("/moved")).collect();
    assert_eq!(moved[0].header("authorization"), Some(format!("Bearer {BEARER}").as_str()));
    assert_eq!(moved[1].header("authorization"), Some(format!("Basic {BASIC_BASE64}").as_str()));
    assert_eq!(moved[2].header("x-api-key"), Some(HEADER_KEY));
    assert_eq!(moved[4].header("cookie"), Some(format!("sid={COOKIE_KEY}").as_str()));
    assert_eq!(moved[5].header("x-session-token"), Some(SESSION));
    assert_eq!(moved[5].header("x-extra"), Some(EXTRA));
}
