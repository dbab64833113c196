//! What a server sends cannot reach a terminal, a log or the allocator unchecked, and no
//! `Debug` output shows a secret: the generated `stytch-b2b` client against loopback servers
//! that announce absurd lengths, send megabytes where a number belongs, put control characters
//! and terminal escapes in request ids, error messages and bodies, or redirect to URLs that carry
//! passwords and signed queries; base URLs with secrets; an environment proxy beside a loopback
//! base URL; `Duration::MAX` settings; and a seeded run of random statuses, headers and bodies.
//!
//! Cases that could abort the process (an allocation of 2^60 bytes) or need an environment of
//! their own (proxy variables) run in a child process: this test binary run again
//! (`std::env::current_exe()`) with `HARDENING_CASE` naming the case, whose exit status and
//! stderr the parent checks. A global allocator records the largest single allocation, so that
//! a buffer reserved from a promise is seen even when the allocation would succeed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clientgen_tests::{Reply, Server};
use serde_json::json;
use stytch_b2b::{Client, Error};

/// The system allocator, recording the largest single allocation.
struct Recording;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Recording = Recording;

const PROJECT_ID: &str = "project-test-123";
const SECRET: &str = "secret-xyz";
const SESSION: &str = "session-token-abc";

/// The bounds the consumer guide promises.
const REQUEST_ID_BOUND: usize = 256;
const MESSAGE_BOUND: usize = 1024;
const SNIPPET_BOUND: usize = 512;
const DISPLAY_BOUND: usize = 2 * 1024;
const DEBUG_BOUND: usize = 8 * 1024;

const CHILD_CASE: &str = "HARDENING_CASE";

fn client(server: &Server) -> Client {
    Client::builder(PROJECT_ID, SECRET)
        .base_url(server.url())
        .timeout(Duration::from_secs(5))
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

/// Characters that must never reach a log or a terminal raw: C0 and C1 controls, DEL, the
/// line and paragraph separators, and the bidirectional overrides and isolates.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn assert_loggable(text: &str, bound: usize, what: &str) {
    assert!(
        text.len() <= bound,
        "{what}: {} bytes, more than {bound}: {}…",
        text.len(),
        text.chars().take(100).collect::<String>()
    );
    assert!(
        !text.chars().any(is_unsafe),
        "{what} has a raw control character: {text:?}"
    );
}

/// An error's `Display` and `Debug` are within their bounds and hold no raw control character.
fn assert_error_loggable(error: &Error) {
    assert_loggable(&error.to_string(), DISPLAY_BOUND, "Display");
    assert_loggable(&format!("{error:?}"), DEBUG_BOUND, "Debug");
    if let Some(id) = error.request_id() {
        assert_loggable(id, REQUEST_ID_BOUND, "request_id()");
    }
    match error {
        Error::Api(api) => assert_loggable(api.snippet(), SNIPPET_BOUND, "snippet()"),
        Error::Decode(decode) => {
            assert_loggable(decode.snippet(), SNIPPET_BOUND, "snippet()");
            assert_loggable(decode.message(), MESSAGE_BOUND, "message()");
        }
        _ => {}
    }
}

/// Runs this test binary again with `HARDENING_CASE=case` (and `env`), running only
/// [`child_case`], and returns what it did.
fn run_child(case: &str, env: &[(&str, String)]) -> Output {
    let mut command = Command::new(std::env::current_exe().expect("the test binary"));
    command
        .args(["child_case", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_CASE, case);
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("running the test binary again")
}

fn assert_child_passed(case: &str, output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "case {case}: {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    for sign in ["memory allocation", "capacity overflow", "panicked"] {
        assert!(!stderr.contains(sign), "case {case}: {stderr}");
    }
}

/// The cases that run in a child process; a no-op in the parent.
#[test]
fn child_case() {
    let Ok(case) = std::env::var(CHILD_CASE) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        if let Some(length) = case.strip_prefix("content-length:") {
            announced_length_case(length.parse().unwrap()).await;
        } else if case == "proxy" {
            proxy_case().await;
        } else {
            panic!("unknown case {case}");
        }
    });
}

/// A `Content-Length` far past memory, with `max_body_size` raised to `u64::MAX`: the
/// body that arrives (two bytes, then the connection closes) is a broken connection, and no
/// allocation came near the promise.
async fn announced_length_case(length: u64) {
    let server = Server::start(vec![Reply::json(200, "{}").content_length(length).close()]);
    let client = Client::builder(PROJECT_ID, SECRET)
        .base_url(server.url())
        .max_body_size(u64::MAX)
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    LARGEST.store(0, Ordering::Relaxed);
    let error = get_apps(&client).await.expect_err("the body ends early");
    let largest = LARGEST.load(Ordering::Relaxed);
    assert!(matches!(error, Error::Connection(_)), "{length}: {error:?}");
    assert!(
        largest < 16 << 20,
        "{length}: an allocation of {largest} bytes for a two-byte body"
    );
}

/// Each announced length would abort the process (allocation failure), panic (capacity
/// overflow) or reserve 16 GiB, if the buffer followed the promise rather than the bytes.
#[test]
fn an_announced_length_past_memory_allocates_only_what_arrives() {
    for length in [1u64 << 60, u64::MAX - 2, 16 << 30, 64 << 20] {
        let case = format!("content-length:{length}");
        let output = run_child(&case, &[]);
        assert_child_passed(&case, &output);
    }
}

/// The child of [`a_loopback_base_url_never_goes_through_an_environment_proxy`]: every proxy
/// variable points at the parent's stand-in proxy; the call goes to the loopback API itself,
/// credentials and all.
async fn proxy_case() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"request_id": "r", "status_code": 200, "connected_apps": []}"#,
    )]);
    let base = server.url().replace("127.0.0.1", "localhost");
    for base_url in [server.url(), base] {
        let client = Client::builder(PROJECT_ID, SECRET)
            .base_url(base_url.clone())
            .max_retries(0)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        client
            .organizations()
            .members()
            .get_connected_apps("org-1", "mem-1")
            .member_session_token(SESSION)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{base_url}: {e}"));
    }
    assert_eq!(server.count(), 2);
    assert!(server.requests()[0].header("authorization").is_some());
}

/// `HTTP_PROXY`, `ALL_PROXY` (and their lowercase forms) set, base URL on loopback: the proxy
/// sees nothing, in particular not the Basic credential and the session token in clear.
#[tokio::test]
async fn a_loopback_base_url_never_goes_through_an_environment_proxy() {
    let proxy = Server::start(vec![Reply::status(502)]);
    let url = proxy.url();
    let env: Vec<(&str, String)> = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
        .into_iter()
        .map(|name| (name, url.clone()))
        .collect();
    let output = tokio::task::spawn_blocking(move || run_child("proxy", &env))
        .await
        .unwrap();
    let seen: Vec<String> = proxy.requests().iter().map(|r| r.text()).collect();
    assert!(seen.is_empty(), "the proxy received:\n{}", seen.join("\n"));
    assert_child_passed("proxy", &output);
}

/// A 5 MB string where a number belongs: serde_json's message quotes it whole; the error
/// keeps the start of it and the location.
#[tokio::test]
async fn a_huge_value_in_a_decode_error_is_cut() {
    let huge = "9".repeat(5_000_000);
    let body = format!(r#"{{"request_id": "r", "status_code": "{huge}", "connected_apps": []}}"#);
    let server = Server::start(vec![Reply::json(200, body)]);
    let error = get_apps(&client(&server))
        .await
        .expect_err("a string is no number");
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert!(
        decode.message().contains("invalid type"),
        "{}",
        decode.message()
    );
    assert!(decode.message().contains("column"), "{}", decode.message());
    assert_eq!(decode.body().len(), body_len(&huge));
    assert_error_loggable(&error);
}

fn body_len(huge: &str) -> usize {
    r#"{"request_id": "r", "status_code": "", "connected_apps": []}"#.len() + huge.len()
}

/// A 300 KB `x-request-id`: the id, `Display` and `Debug` stay within their bounds.
#[tokio::test]
async fn a_huge_request_id_header_is_bounded() {
    let id = "r".repeat(300_000);
    let server = Server::start(vec![Reply::status(500).header("x-request-id", id)]);
    let error = get_apps(&client(&server)).await.expect_err("500");
    assert!(error.request_id().unwrap().starts_with("rrrr"));
    assert!(error.request_id().unwrap().ends_with('…'));
    assert_error_loggable(&error);
}

/// A typed error body whose request id and message hold ESC, CR, LF and BEL (a forged log
/// line, terminal control): shown escaped; `request_id()` is escaped too, the typed body keeps
/// the value as sent.
#[tokio::test]
async fn control_characters_in_a_typed_error_are_escaped() {
    let forged = "req-1\u{1b}[31m\r\n2024-01-01 INFO login ok\u{7}\u{202e}";
    let server = Server::start(vec![Reply::json(
        400,
        json!({
            "status_code": 400,
            "request_id": forged,
            "error_type": "bad\u{1b}]0;title\u{7}",
            "error_message": format!("no\r\n{}", "m".repeat(5000)),
            "error_url": "https://stytch.com/docs",
        })
        .to_string(),
    )]);
    let error = get_apps(&client(&server)).await.expect_err("400");
    assert_error_loggable(&error);
    let id = error.request_id().unwrap();
    assert!(id.starts_with("req-1\\u{1b}[31m\\r\\n2024"), "{id}");
    let api = error.api_error().unwrap();
    let Some(stytch_b2b::ErrorBody::StytchError(body)) = api.body() else {
        panic!("a typed body: {api:?}");
    };
    assert_eq!(
        body.request_id, forged,
        "the typed body is the data as sent"
    );
    let display = error.to_string();
    assert!(display.contains("no\\r\\nmmm"), "{display}");
}

/// An untyped error body (a proxy's text page) with ESC, CR and LF: the snippet and the
/// messages show them escaped, as `DecodeError` does.
#[tokio::test]
async fn control_characters_in_an_untyped_body_are_escaped() {
    let server = Server::start(vec![
        Reply::status(502)
            .header("Content-Type", "text/plain")
            .body("bad gateway\u{1b}[2J\r\nINFO forged\u{85}\u{9b}31m"),
    ]);
    let error = get_apps(&client(&server)).await.expect_err("502");
    assert_error_loggable(&error);
    let snippet = error.api_error().unwrap().snippet();
    assert_eq!(
        snippet,
        "bad gateway\\u{1b}[2J\\r\\nINFO forged\\u{85}\\u{9b}31m"
    );
}

/// A redirect the client refuses, to a URL with a password and a signed query: neither
/// `Display` nor `Debug` shows them (the `location()` accessor is the value as sent).
#[tokio::test]
async fn a_refused_redirect_shows_no_password_or_query() {
    let location = "http://user:PASSWORD@example.com/export?sig=TOKEN#frag";
    let server = Server::start(vec![Reply::status(302).header("Location", location)]);
    let error = get_apps(&client(&server)).await.expect_err("refused");
    let Error::Redirect(redirect) = &error else {
        panic!("expected Error::Redirect, got {error:?}");
    };
    assert_eq!(redirect.location(), location);
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
        format!("{redirect:?}"),
    ] {
        for secret in ["PASSWORD", "TOKEN", "user", "sig="] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("http://example.com"), "{text}");
    }
    assert_error_loggable(&error);
}

/// Base URLs with userinfo or a query: neither the builder's `Debug` nor the build error
/// shows the secret, and the error still says what is wrong.
#[test]
fn a_base_url_with_secrets_is_never_echoed() {
    for (base_url, problem) in [
        ("https://user:PASSWORD@api.example.com/v1", "credentials"),
        ("https://api.example.com/v1?api_key=PASSWORD", "query"),
        ("https://api.example.com/v1#PASSWORD", "fragment"),
        ("http://api.example.com/PASSWORD", "plain http"),
        ("ftp://api.example.com/PASSWORD", "scheme"),
        ("PASSWORD", "not a valid URL"),
        ("https://api.example.com:99999/PASSWORD", "not a valid URL"),
        ("data:PASSWORD", "host"),
    ] {
        let builder = Client::builder(PROJECT_ID, SECRET).base_url(base_url);
        let debug = format!("{builder:?} {builder:#?}");
        let error = builder.build().expect_err(base_url);
        let display = error.to_string();
        for text in [&debug, &display, &format!("{error:?}")] {
            for secret in ["PASSWORD", SECRET] {
                assert!(!text.contains(secret), "{base_url}: {secret} in {text}");
            }
        }
        assert!(display.contains(problem), "{base_url}: {display}");
    }
    // A good base URL shows in full, and the client's `Debug` shows no secret.
    let builder = Client::builder(PROJECT_ID, SECRET).base_url("https://api.example.com/v1");
    assert!(format!("{builder:?}").contains("https://api.example.com/v1"));
    let client = builder.build().unwrap();
    let debug = format!("{client:?}");
    assert!(debug.contains("https://api.example.com/v1") && !debug.contains(SECRET));
}

/// `Duration::MAX` for every time setting, on the client and the request: nothing panics
/// (no `Instant + Duration` overflows) and the call completes.
#[tokio::test]
async fn duration_max_settings_do_not_panic() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"request_id": "r", "status_code": 200, "connected_apps": []}"#,
    )]);
    let client = Client::builder(PROJECT_ID, SECRET)
        .base_url(server.url())
        .timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .idle_timeout(Duration::MAX)
        .stream_timeout(Duration::MAX)
        .build()
        .unwrap();
    client
        .organizations()
        .members()
        .get_connected_apps("org-1", "mem-1")
        .timeout(Duration::MAX)
        .idle_timeout(Duration::MAX)
        .stream_timeout(Duration::MAX)
        .send()
        .await
        .expect("the call completes");
}

/// A small seeded PRNG (xorshift64*): the same run every time, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// Text mixing the ASCII, terminal escapes, line breaks, bidi overrides and the rest.
    fn text(&mut self, max: u64) -> String {
        const PIECES: &[&str] = &[
            "a",
            "req-",
            " ",
            "\"",
            "\\",
            "\u{1b}[31m",
            "\r\n",
            "\n",
            "\u{7}",
            "\u{0}",
            "\t",
            "\u{7f}",
            "\u{85}",
            "\u{9b}",
            "\u{202e}",
            "\u{2028}",
            "\u{2066}",
            "é",
            "💥",
            "{",
            "}",
            "%",
            "`",
            "u{1b}",
        ];
        let len = self.below(max + 1);
        let mut text = String::new();
        for _ in 0..len {
            let piece = *self.pick(PIECES);
            text.push_str(piece);
        }
        text
    }
    /// A header value the loopback server can write: visible ASCII, tabs and (sometimes)
    /// UTF-8 beyond ASCII or an escape byte, which clients may refuse.
    fn header_value(&mut self, max: u64) -> String {
        const PIECES: &[&str] = &["a", "0", "-", " ", "\t", "é", "\u{202e}", "\"", "=", ";"];
        let len = self.below(max + 1);
        let mut text = String::new();
        for _ in 0..len {
            let piece = *self.pick(PIECES);
            text.push_str(piece);
        }
        if self.below(20) == 0 {
            text.push('\u{1b}');
        }
        text
    }
}

fn random_reply(rng: &mut Rng) -> Reply {
    const STATUSES: &[u16] = &[
        200, 200, 201, 204, 301, 302, 303, 307, 308, 400, 401, 404, 408, 418, 429, 500, 502, 503,
        599, 299, 399, 499,
    ];
    let status = if rng.below(3) == 0 {
        200
    } else {
        *rng.pick(STATUSES)
    };
    let long = |rng: &mut Rng| if rng.below(10) == 0 { 40_000 } else { 40 };
    let mut reply = Reply::status(status);
    for _ in 0..rng.below(6) {
        let name = *rng.pick(&[
            "x-request-id",
            "request-id",
            "x-correlation-id",
            "retry-after",
            "location",
            "set-cookie",
            "content-type",
            "x-other",
        ]);
        let value = match name {
            "retry-after" => rng
                .pick(&[
                    "0",
                    "-1",
                    "99999999999999999999",
                    "Sun, 06 Nov 100000000000000 08:49:37 GMT",
                    "x",
                ])
                .to_string(),
            "location" => rng
                .pick(&[
                    "http://user:pw@example.com/?sig=TOKEN",
                    "/again",
                    "https://127.0.0.1:1/",
                    "",
                    "::",
                    "//example.com",
                ])
                .to_string(),
            "content-type" => "application/json".into(),
            _ => {
                let n = long(rng);
                rng.header_value(n)
            }
        };
        reply = reply.header(name, value);
    }
    let shape = if status == 200 && rng.below(2) == 0 {
        4
    } else {
        rng.below(6)
    };
    let body = match shape {
        0 => Vec::new(),
        1 => {
            let n = long(rng);
            rng.text(n).into_bytes()
        }
        2 => (0..rng.below(3000)).map(|_| rng.next() as u8).collect(),
        3 => {
            let (n, m) = (long(rng), long(rng));
            json!({
                "status_code": status,
                "request_id": rng.text(n),
                "error_type": rng.text(20),
                "error_message": rng.text(m),
                "error_url": rng.text(10),
            })
            .to_string()
            .into_bytes()
        }
        4 => {
            let n = long(rng);
            json!({
                "request_id": rng.text(n),
                "status_code": if rng.below(2) == 0 { json!(rng.text(n)) } else { json!(200) },
                "connected_apps": [],
            })
            .to_string()
            .into_bytes()
        }
        _ => {
            let mut text = format!(r#"{{"request_id": "{}"#, rng.text(30)).into_bytes();
            text.truncate(rng.below(text.len() as u64 + 1) as usize);
            text
        }
    };
    reply.body(body)
}

/// Random statuses, headers and bodies at a call, 300 times from a fixed seed: no panic, no
/// abort, and every error's `Display` and `Debug` (and request id, snippet and message) within
/// their bounds, with no raw control character. A request id of a success response too.
#[tokio::test]
async fn random_responses_stay_within_the_bounds() {
    let rng = Arc::new(Mutex::new(Rng(0x5eed_1234_abcd_ef01)));
    let answers = Arc::clone(&rng);
    let server = Server::answering(move |_| random_reply(&mut answers.lock().unwrap()));
    let client = Client::builder(PROJECT_ID, SECRET)
        .base_url(server.url())
        .timeout(Duration::from_millis(500))
        // Retries would only add backoff waits: `Retry-After` is read into every `ApiError`.
        .max_retries(0)
        .max_redirects(3)
        .build()
        .unwrap();
    let started = Instant::now();
    let (mut errors, mut successes) = (0, 0);
    for _ in 0..300 {
        match client
            .organizations()
            .members()
            .get_connected_apps("org-1", "mem-1")
            .send_with_response()
            .await
        {
            Ok(response) => {
                successes += 1;
                if let Some(id) = response.request_id() {
                    assert_loggable(&id, REQUEST_ID_BOUND, "Response::request_id()");
                }
                // The typed body is shown whole (its strings escaped by `Debug`).
                assert_loggable(&format!("{response:?}"), usize::MAX, "Response's Debug");
            }
            Err(error) => {
                errors += 1;
                assert_error_loggable(&error);
            }
        }
    }
    assert!(
        errors > 100 && successes > 20,
        "{errors} errors, {successes} successes"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}
