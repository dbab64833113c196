//! Redirects of the crate generated from `tests/fixtures/redirects.yaml`, which has every
//! credential kind the generator supports: bearer and basic `Authorization`, API keys in a
//! header, the query and a cookie, and secret header parameters. Server A (the base URL)
//! redirects to server B on another port, so another origin, with every redirect status; B
//! must never see a secret. Copied into that crate's `tests/` by `tests/tests/redirects.rs`,
//! which runs it.

use std::sync::{Arc, Mutex};

use redirects::{Client, Error, PostSecretHeaderBody};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

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

/// A request as a server saw it: the request line, the head's other lines and the body.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    head: String,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Serves on 127.0.0.1: each request is answered by `answer` (the response head's status line
/// and headers, without the blank line, and an empty body); returns the base URL and what
/// was received.
async fn serve(answer: impl Fn(&Seen) -> String + Send + Sync + 'static) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let log = log.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                loop {
                    let head_end = loop {
                        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        let mut chunk = [0u8; 4096];
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
                    let (line, rest) = head.split_once("\r\n").unwrap_or((&head, ""));
                    let mut seen = Seen { line: line.to_owned(), head: rest.to_owned(), body: String::new() };
                    let length: usize = seen.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
                    while buffer.len() < head_end + length {
                        let mut chunk = [0u8; 4096];
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    seen.body = String::from_utf8_lossy(&buffer[head_end..head_end + length]).to_string();
                    buffer.drain(..head_end + length);
                    let reply = format!("{}\r\ncontent-length: 0\r\n\r\n", answer(&seen));
                    log.lock().unwrap().push(seen);
                    if socket.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (base, seen)
}

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
        let (b, b_seen) = serve(|_| "HTTP/1.1 200 OK".to_owned()).await;
        let target = format!("{b}/landing?page=2");
        let (a, a_seen) = serve(move |_| format!("HTTP/1.1 {status} Moved\r\nlocation: {target}")).await;
        let results = call_each(&client(&a)).await;
        for (kind, result) in &results {
            match (status, result) {
                (303, Err(error)) => assert_eq!(error.status(), Some(303), "{kind}"),
                (303, Ok(())) => panic!("{kind}: a 303 is returned, not followed"),
                (_, Ok(())) => {}
                (_, Err(error)) => panic!("{status} {kind}: {error:?}"),
            }
        }
        // A got each credential where its kind puts it.
        let a_seen = a_seen.lock().unwrap().clone();
        assert_eq!(a_seen.len(), 6, "{a_seen:#?}");
        assert_eq!(a_seen[0].header("authorization"), Some(format!("Bearer {BEARER}").as_str()));
        assert_eq!(a_seen[1].header("authorization"), Some(format!("Basic {BASIC_BASE64}").as_str()));
        assert_eq!(a_seen[2].header("x-api-key"), Some(HEADER_KEY));
        assert!(a_seen[3].line.contains(&format!("api_key={QUERY_KEY}")), "{:?}", a_seen[3]);
        assert_eq!(a_seen[4].header("cookie"), Some(format!("sid={COOKIE_KEY}").as_str()));
        assert_eq!(a_seen[5].header("x-session-token"), Some(SESSION));
        assert_eq!(a_seen[5].header("x-marker"), Some(MARKER));
        // B saw none of them, whatever the status.
        let b_seen = b_seen.lock().unwrap().clone();
        assert_eq!(b_seen.len(), if status == 303 { 0 } else { 6 }, "{status}: {b_seen:#?}");
        for seen in &b_seen {
            let text = format!("{}\n{}\n{}", seen.line, seen.head, seen.body);
            for secret in SECRETS {
                assert!(!text.contains(secret), "{status}: {secret} reached B:\n{text}");
            }
            assert!(seen.line.contains("/landing?page=2"), "{status}: {}", seen.line);
            assert!(seen.header("authorization").is_none() && seen.header("cookie").is_none());
        }
        if status == 307 || status == 308 {
            // The body and the header that is not a secret go on; the method stays.
            let post = &b_seen[5];
            assert!(post.line.starts_with("POST "), "{}", post.line);
            assert_eq!(post.body, r#"{"note":"hello"}"#);
            assert_eq!(post.header("x-trace"), Some("trace-1"));
        }
    }
}

/// The same calls redirected within the origin keep every credential.
#[tokio::test]
async fn credentials_of_every_kind_follow_a_same_origin_redirect() {
    let (a, a_seen) = serve(|seen| {
        if seen.line.contains("/moved") {
            "HTTP/1.1 200 OK".to_owned()
        } else {
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: /moved".to_owned()
        }
    })
    .await;
    for (kind, result) in call_each(&client(&a)).await {
        result.unwrap_or_else(|e| panic!("{kind}: {e:?}"));
    }
    let seen = a_seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 12);
    let moved: Vec<&Seen> = seen.iter().filter(|s| s.line.contains("/moved")).collect();
    assert_eq!(moved[0].header("authorization"), Some(format!("Bearer {BEARER}").as_str()));
    assert_eq!(moved[1].header("authorization"), Some(format!("Basic {BASIC_BASE64}").as_str()));
    assert_eq!(moved[2].header("x-api-key"), Some(HEADER_KEY));
    assert_eq!(moved[4].header("cookie"), Some(format!("sid={COOKIE_KEY}").as_str()));
    assert_eq!(moved[5].header("x-session-token"), Some(SESSION));
    assert_eq!(moved[5].header("x-extra"), Some(EXTRA));
}
