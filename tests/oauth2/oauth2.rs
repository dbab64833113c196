//! OAuth 2 client credentials of the crate generated from `tests/fixtures/oauth2.yaml`,
//! against a loopback token server and a loopback API server on another port (so another
//! origin): one token request for many concurrent calls, renewal before expiry, a new token
//! after a `401`, token endpoint errors and hostile answers, and the client secret and the
//! token each staying with their own origin. Copied into that crate's `tests/` by
//! `tests/tests/oauth2.rs`, which runs it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clientgen_tests::{Recorded, Reply, Server};
use oauth_api::oauth2::{AccessToken, ClientCredentials, TokenFuture, TokenProvider};
use oauth_api::{Client, CreateItemBody, Error};

const CLIENT_ID: &str = "client-1";
const CLIENT_SECRET: &str = "client-secret-xyz";
/// `base64("client-1:client-secret-xyz")`, the secret as it travels in the Basic header.
const BASIC: &str = "Basic Y2xpZW50LTE6Y2xpZW50LXNlY3JldC14eXo=";

/// A token server that numbers its tokens (`token-1`, `token-2`, ...), each valid for
/// `expires_in` seconds when given, answering after `delay`.
fn token_server(expires_in: Option<u64>, delay: Duration) -> Server {
    let issued = AtomicUsize::new(0);
    Server::answering(move |_| {
        let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
        let expiry = expires_in.map(|s| format!(r#","expires_in":{s}"#)).unwrap_or_default();
        Reply::json(200, format!(r#"{{"access_token":"token-{n}","token_type":"Bearer"{expiry}}}"#))
            .delay(delay)
    })
}

/// An API server that answers every call, refusing the tokens in `revoked` with `401`.
fn api_server(revoked: &'static [&'static str]) -> Server {
    Server::answering(move |seen| {
        let auth = seen.header("authorization").unwrap_or_default();
        if revoked.iter().any(|t| auth == format!("Bearer {t}")) {
            return Reply::json(401, r#"{"message":"token revoked"}"#);
        }
        match seen.method.as_str() {
            "POST" => Reply::status(201),
            _ => Reply::json(200, r#"{"items":["a"]}"#),
        }
    })
}

fn credentials(tokens: &Server) -> ClientCredentials {
    ClientCredentials::new(CLIENT_ID, CLIENT_SECRET).token_url(format!("{}/token", tokens.url()))
}

fn api_client(api: &Server, credentials: ClientCredentials) -> Client {
    Client::with_client_credentials(credentials)
        .base_url(api.url())
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .expect("loopback URLs")
}

/// `n` calls of `list_items` at once, each on a task of its own.
fn concurrently(
    client: &Client,
    n: usize,
) -> Vec<tokio::task::JoinHandle<Result<oauth_api::ListItemsResponse, Error>>> {
    (0..n)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_items().send().await })
        })
        .collect()
}

fn bearer(seen: &Recorded) -> &str {
    seen.header("authorization").unwrap_or_default()
}

fn assert_no_client_secret(server: &Server, what: &str) {
    for seen in server.requests() {
        let text = seen.text();
        assert!(!text.contains(CLIENT_SECRET) && !text.contains(BASIC), "{what} saw the client secret:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_calls_on_a_cold_client_make_one_token_request() {
    let tokens = token_server(Some(3600), Duration::from_millis(200));
    let api = api_server(&[]);
    let client = api_client(&api, credentials(&tokens));
    let calls = concurrently(&client, 100);
    for call in calls {
        call.await.unwrap().expect("each call succeeds");
    }
    assert_eq!(tokens.count(), 1, "{:#?}", tokens.requests());
    let seen = api.requests();
    assert_eq!(seen.len(), 100);
    assert!(seen.iter().all(|s| bearer(s) == "Bearer token-1"));
    // The token request: a form POST with the grant, the scopes the description asks for
    // with this scheme (not `items:admin`, which no operation asks for), and Basic credentials.
    let request = &tokens.requests()[0];
    assert_eq!(request.line(), "POST /token HTTP/1.1");
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(request.header("authorization"), Some(BASIC));
    assert_eq!(request.body_text(), "grant_type=client_credentials&scope=items%3Aread+items%3Awrite");
    assert_no_client_secret(&api, "the API server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_is_renewed_before_it_expires_once_under_load() {
    // Valid for 2 s: renewed after 1 s (at most half of a lifetime is the margin).
    let tokens = token_server(Some(2), Duration::from_millis(100));
    let api = api_server(&[]);
    let client = api_client(&api, credentials(&tokens));
    client.list_items().send().await.unwrap();
    client.list_items().send().await.unwrap();
    assert_eq!(tokens.count(), 1);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let calls = concurrently(&client, 50);
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(tokens.count(), 2, "one renewal for fifty calls");
    let seen = api.requests();
    assert!(seen[..2].iter().all(|s| bearer(s) == "Bearer token-1"));
    assert!(seen[2..].iter().all(|s| bearer(s) == "Bearer token-2"));
}

#[tokio::test]
async fn a_token_without_expiry_is_kept_until_a_401_then_renewed_once() {
    let tokens = token_server(None, Duration::ZERO);
    // The first token is revoked at the API: the call gets a new one and goes again.
    let api = api_server(&["token-1"]);
    let client = api_client(&api, credentials(&tokens));
    client.list_items().send().await.expect("the second attempt has a new token");
    client.list_items().send().await.unwrap();
    assert_eq!(tokens.count(), 2);
    let seen: Vec<String> = api.requests().iter().map(|s| bearer(s).to_owned()).collect();
    assert_eq!(seen, ["Bearer token-1", "Bearer token-2", "Bearer token-2"]);
    // A POST with a body is sent again as it was.
    let tokens = token_server(None, Duration::ZERO);
    let api = api_server(&["token-1"]);
    let client = api_client(&api, credentials(&tokens));
    client.create_item().body(CreateItemBody::new().name("x")).send().await.unwrap();
    let seen = api.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].body_text(), r#"{"name":"x"}"#);
}

#[tokio::test]
async fn a_second_401_is_the_error() {
    let tokens = token_server(None, Duration::ZERO);
    let api = api_server(&["token-1", "token-2", "token-3"]);
    let client = api_client(&api, credentials(&tokens));
    let error = client.list_items().send().await.expect_err("both tokens are refused");
    assert_eq!(error.status(), Some(401), "{error:?}");
    assert_eq!(tokens.count(), 2);
    assert_eq!(api.count(), 2);
}

#[tokio::test]
async fn token_endpoint_errors_are_typed_and_name_its_origin() {
    let tokens = Server::start(vec![Reply::json(
        400,
        "{\"error\":\"invalid_client\",\"error_description\":\"unknown client\\u001b[2J\"}",
    )]);
    let api = api_server(&[]);
    let client = api_client(&api, credentials(&tokens));
    let error = client.list_items().send().await.expect_err("no token");
    let Error::Token(token) = &error else { panic!("{error:?}") };
    assert_eq!(token.origin(), tokens.url());
    assert_eq!(token.status(), Some(400));
    assert_eq!(token.code(), Some("invalid_client"));
    // Server text is escaped: no terminal escape reaches a log.
    assert_eq!(token.description(), Some("unknown client\\u{1b}[2J"));
    let shown = error.to_string();
    assert!(shown.contains(&tokens.url()) && !shown.contains(&api.url()), "{shown}");
    assert!(!shown.contains('\u{1b}'));
    assert!(!error.is_retryable());
    assert_eq!(api.count(), 0, "no call without a token");
    // The calls that waited for a failed fetch share its failure: one request, not one each.
    let tokens = Server::start(vec![Reply::json(500, "{}").delay(Duration::from_millis(200))]);
    let client = api_client(&api, credentials(&tokens));
    let calls = concurrently(&client, 20);
    for call in calls {
        let error = call.await.unwrap().expect_err("no token");
        assert!(matches!(error, Error::Token(_)), "{error:?}");
    }
    assert_eq!(tokens.count(), 1);
}

#[tokio::test]
async fn huge_malformed_and_unbounded_token_responses() {
    let api = api_server(&[]);
    for (reply, expected) in [
        (Reply::json(200, "").huge(1 << 30, true), "larger than 65536 bytes"),
        (Reply::json(200, "").huge(1 << 30, false), "larger than 65536 bytes"),
        (Reply::json(200, "<html>"), "is not JSON"),
        (Reply::json(200, r#"{"token":"t"}"#), "no `access_token`"),
        (Reply::json(200, r#"{"access_token":"a\r\nX-Evil: 1"}"#), "cannot be sent in a header"),
        (Reply::json(200, r#"{"access_token":"t","token_type":"mac"}"#), "other than `Bearer`"),
    ] {
        let tokens = Server::start(vec![reply]);
        let error = api_client(&api, credentials(&tokens))
            .list_items()
            .send()
            .await
            .expect_err("no usable token");
        assert!(matches!(error, Error::Token(_)), "{error:?}");
        assert!(error.to_string().contains(expected), "{error}");
    }
    assert_eq!(api.count(), 0);
    // `expires_in` of u64::MAX seconds neither overflows nor expires.
    let tokens = Server::start(vec![Reply::json(
        200,
        r#"{"access_token":"forever","expires_in":18446744073709551615}"#,
    )]);
    let client = api_client(&api, credentials(&tokens));
    client.list_items().send().await.unwrap();
    client.list_items().send().await.unwrap();
    assert_eq!(tokens.count(), 1);
}

#[tokio::test]
async fn a_token_endpoint_that_hangs_is_bounded_by_the_timeout() {
    let tokens = Server::start(vec![Reply::json(200, "{}").delay(Duration::from_secs(30))]);
    let api = api_server(&[]);
    let client = Client::with_client_credentials(credentials(&tokens))
        .base_url(api.url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = client.list_items().send().await.expect_err("no answer");
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn the_secret_stays_with_the_token_endpoint_and_the_token_with_the_api() {
    let elsewhere = Server::start(vec![Reply::json(200, r#"{"items":[]}"#)]);
    // The API redirects to another origin: the token is not carried there.
    let target = format!("{}/landing", elsewhere.url());
    let api = Server::start(vec![Reply::status(307).header("location", target)]);
    let tokens = token_server(Some(3600), Duration::ZERO);
    api_client(&api, credentials(&tokens)).list_items().send().await.unwrap();
    assert_eq!(bearer(&api.requests()[0]), "Bearer token-1");
    let landed = &elsewhere.requests()[0];
    assert!(!landed.text().contains("token-1"), "{}", landed.text());
    assert_no_client_secret(&api, "the API server");
    assert_no_client_secret(&elsewhere, "another origin");
    // The token endpoint redirects to another origin: refused, the secret goes nowhere else.
    let elsewhere = Server::start(vec![Reply::json(200, r#"{"access_token":"stolen"}"#)]);
    let tokens = Server::start(vec![
        Reply::status(307).header("location", format!("{}/token", elsewhere.url()))
    ]);
    let api = api_server(&[]);
    let error = api_client(&api, credentials(&tokens))
        .list_items()
        .send()
        .await
        .expect_err("the redirect is refused");
    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert_eq!(elsewhere.count(), 0);
    // A same-origin redirect of the token request is followed.
    let tokens = Server::answering(|seen| {
        if seen.path() == "/token" {
            Reply::status(307).header("location", "/token2")
        } else {
            Reply::json(200, r#"{"access_token":"moved"}"#)
        }
    });
    api_client(&api, credentials(&tokens)).list_items().send().await.unwrap();
    assert_eq!(tokens.requests()[1].header("authorization"), Some(BASIC));
    // A hook sees the token as `***`.
    let seen_by_hook = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen_by_hook.clone();
    let hooked = Client::with_client_credentials(credentials(&tokens))
        .base_url(api.url())
        .before_attempt(move |attempt| {
            let value = attempt.header("authorization").unwrap_or_default().to_owned();
            record.lock().unwrap().push(value);
        })
        .build()
        .unwrap();
    hooked.list_items().send().await.unwrap();
    assert_eq!(*seen_by_hook.lock().unwrap(), ["***"]);
    assert_eq!(bearer(api.requests().last().unwrap()), "Bearer moved");
    // Debug output and errors never show the secret or the token.
    let client = api_client(&api, credentials(&tokens));
    let shown = format!("{client:?} {:?}", credentials(&tokens));
    assert!(!shown.contains(CLIENT_SECRET) && !shown.contains("moved"), "{shown}");
}

#[tokio::test]
async fn client_secret_post_puts_the_credentials_in_the_body() {
    let tokens = token_server(None, Duration::ZERO);
    let api = api_server(&[]);
    let credentials = credentials(&tokens).client_secret_post().scopes(["custom"]);
    api_client(&api, credentials).list_items().send().await.unwrap();
    let request = &tokens.requests()[0];
    assert!(request.header("authorization").is_none());
    assert_eq!(
        request.body_text(),
        "grant_type=client_credentials&scope=custom&client_id=client-1&client_secret=client-secret-xyz"
    );
}

#[tokio::test]
async fn an_operation_without_security_asks_for_no_token() {
    let tokens = token_server(None, Duration::ZERO);
    let api = api_server(&[]);
    api_client(&api, credentials(&tokens)).health().send().await.unwrap();
    assert_eq!(tokens.count(), 0);
    assert!(api.requests()[0].header("authorization").is_none());
}

#[tokio::test]
async fn a_relative_token_url_is_resolved_against_the_base_url() {
    // One server: the API under /v1, the token endpoint at the description's `/oauth/token`.
    let server = Server::answering(|seen| match seen.path() {
        "/oauth/token" => Reply::json(200, r#"{"access_token":"here","expires_in":60}"#),
        _ => Reply::json(200, r#"{"items":[]}"#),
    });
    let client = Client::with_client_credentials(ClientCredentials::new(CLIENT_ID, CLIENT_SECRET))
        .base_url(format!("{}/v1", server.url()))
        .build()
        .unwrap();
    client.list_items().send().await.unwrap();
    let seen = server.requests();
    assert_eq!(seen[0].path(), "/oauth/token");
    assert_eq!(seen[1].path(), "/v1/items");
    assert_eq!(bearer(&seen[1]), "Bearer here");
}

#[tokio::test]
async fn a_token_endpoint_on_plain_http_is_refused_unless_loopback() {
    for url in ["http://auth.example.org/token", "ftp://127.0.0.1/token", "https://user:pw@auth.example.org/t"] {
        let error = Client::with_client_credentials(
            ClientCredentials::new(CLIENT_ID, CLIENT_SECRET).token_url(url),
        )
        .build()
        .expect_err("refused before anything is sent");
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert!(!error.to_string().contains("pw"), "{error}");
    }
}

#[tokio::test]
async fn another_scheme_gets_its_own_tokens() {
    let tokens = token_server(None, Duration::ZERO);
    let api = api_server(&[]);
    let client = Client::builder("unused")
        .partner_client_credentials(credentials(&tokens))
        .base_url(api.url())
        .build()
        .unwrap();
    client.get_partner().send().await.unwrap();
    assert_eq!(bearer(&api.requests()[0]), "Bearer token-1");
    // The partner scheme names no scope: the request asks for none.
    assert_eq!(tokens.requests()[0].body_text(), "grant_type=client_credentials");
}

/// Tokens from a provider of the caller's own: counted, shared and renewed the same way.
struct Counting(Arc<AtomicUsize>);

impl TokenProvider for Counting {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
            Ok(AccessToken::new(format!("provided-{n}")).expires_in(Duration::from_secs(600)))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_provider_is_asked_once_and_again_after_a_401() {
    let asked = Arc::new(AtomicUsize::new(0));
    let api = api_server(&["provided-1"]);
    let client = Client::with_token_provider(Counting(asked.clone()))
        .base_url(api.url())
        .build()
        .unwrap();
    let calls = concurrently(&client, 30);
    for call in calls {
        call.await.unwrap().unwrap();
    }
    // One token for thirty calls; it is refused, and every refused call shares one new token.
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    // A plain bearer scheme takes a provider too.
    let legacy = Client::builder("t")
        .legacy_token_provider(Counting(Arc::new(AtomicUsize::new(0))))
        .base_url(api.url())
        .build()
        .unwrap();
    legacy.get_legacy().send().await.unwrap();
    // Its first token is refused too: the second is sent.
    assert_eq!(bearer(api.requests().last().unwrap()), "Bearer provided-2");
}

#[tokio::test]
async fn the_mock_serves_the_token_endpoint() {
    let mock = oauth_api::mock::MockServer::start().await;
    let tokens = mock.token_endpoint("/oauth/token", "mock-token", Some(3600)).await;
    let items = mock.list_items().respond_200_with(oauth_api::ListItemsResponse::sample().items(vec!["a".into()])).mount().await;
    let client = Client::with_client_credentials(ClientCredentials::new(CLIENT_ID, CLIENT_SECRET))
        .base_url(mock.uri())
        .build()
        .unwrap();
    client.list_items().send().await.unwrap();
    client.list_items().send().await.unwrap();
    tokens.assert_calls(1);
    items.assert_calls(2);
    mock.verify().await;
}
