//! Test support for the loopback tests of the generated `stytch-b2b` client.
//!
//! [`Server`] is a small, hand-written HTTP/1.1 stand-in for the real API. It listens on
//! `127.0.0.1` only, on a port the operating system picks, and:
//!
//! - accepts any number of connections, each served by its own task, and reads any number of
//!   requests from each connection (keep-alive), so a client's connection pool and its retries
//!   work as they would against a real server;
//! - records every request exactly as it arrived ([`Recorded`]: method, raw target, headers,
//!   body);
//! - answers from a scripted queue of [`Reply`] values, one per request, repeating the last
//!   reply once the queue runs out. A reply can wait before answering ([`Reply::delay`]) or
//!   promise more body than it sends and then close the connection ([`Reply::truncate`]).
//!
//! [`unused_url`] gives the URL of a loopback port where nothing listens, for connection
//! failures.
//!
//! ```no_run
//! # async fn example() {
//! use clientgen_tests::{Reply, Server};
//!
//! let server = Server::start(vec![Reply::json(200, r#"{"ok": true}"#)]);
//! // ... point a client at `server.url()` and send something ...
//! assert_eq!(server.count(), 1);
//! let request = &server.requests()[0];
//! assert_eq!(request.method, "GET");
//! # }
//! ```

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The largest request head (request line and headers) the server accepts.
const MAX_HEAD: usize = 64 * 1024;

/// How many bytes more than it sends a [`Reply::truncate`] response announces.
const TRUNCATED_SHORTFALL: usize = 32;

/// One scripted answer of the [`Server`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// Extra response headers, sent as given. `Content-Length` is added unless present here.
    pub headers: Vec<(String, String)>,
    /// The response body.
    pub body: Vec<u8>,
    /// How long to wait after reading the request before answering.
    pub delay: Option<Duration>,
    /// When set, `Content-Length` announces more bytes than the body has, and the connection is
    /// closed right after the body, so the client sees a response that ends early.
    pub truncate: bool,
    /// A body of this many bytes (repeating `body`, or `x` when it is empty) made as it is
    /// written, so that a reply can be far larger than memory; see [`Reply::huge`].
    pub huge: Option<Huge>,
}

/// A generated body: [`Reply::huge`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Huge {
    /// How many bytes to write at most (the client may close the connection first).
    pub len: u64,
    /// Whether `Content-Length` announces them, or the body is sent chunked with no length.
    pub announce: bool,
}

impl Reply {
    /// A reply with this status, no extra headers and an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: None,
            truncate: false,
            huge: None,
        }
    }

    /// A reply with this status and a JSON body (`Content-Type: application/json`).
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply::status(status)
            .header("Content-Type", "application/json")
            .body(body.into())
    }

    /// Adds a response header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the response body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits this long after reading the request before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Announces a longer body than is sent, then closes the connection.
    pub fn truncate(mut self) -> Self {
        self.truncate = true;
        self
    }

    /// A body of `len` bytes, repeating the reply's `body` (or `x`), written 64 KiB at a time
    /// as the client reads it, with `Content-Length` when `announce` and chunked otherwise.
    /// Writing stops when the client closes the connection, which then ends.
    pub fn huge(mut self, len: u64, announce: bool) -> Self {
        self.huge = Some(Huge { len, announce });
        self
    }
}

/// A request as the [`Server`] received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The method, such as `GET`.
    pub method: String,
    /// The request target exactly as sent: the path and, if any, `?` and the query.
    pub target: String,
    /// The headers in the order they arrived, names in lowercase, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked when it was sent with `Transfer-Encoding: chunked`).
    pub body: Vec<u8>,
    /// When the request head had been read completely.
    pub received_at: Instant,
}

impl Recorded {
    /// The path part of the target (everything before `?`).
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(p, _)| p)
    }

    /// The query part of the target (after `?`), if the target has one.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The value of the first header with this name (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_all(name).into_iter().next()
    }

    /// The values of every header with this name (compared case-insensitively), in order.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The state shared by the server's tasks and its handle.
#[derive(Debug, Default)]
struct Shared {
    requests: Mutex<Vec<Recorded>>,
    script: Mutex<Script>,
}

/// The queue of replies still to give, and the last reply given.
#[derive(Debug, Default)]
struct Script {
    queue: VecDeque<Reply>,
    last: Option<Reply>,
}

impl Shared {
    fn next_reply(&self) -> Reply {
        let mut script = lock(&self.script);
        match script.queue.pop_front() {
            Some(reply) => {
                script.last = Some(reply.clone());
                reply
            }
            None => script
                .last
                .clone()
                .expect("the script has at least one reply"),
        }
    }
}

/// Locks a mutex, ignoring poisoning: a panicking test must not hide the recorded requests.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A scripted stand-in HTTP/1.1 server on `127.0.0.1`. Stops when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl Server {
    /// Starts a server on `127.0.0.1` at a free port that answers requests with `replies` in
    /// order, repeating the last one when they run out.
    ///
    /// Must be called inside a tokio runtime (for example from a `#[tokio::test]`).
    ///
    /// # Panics
    ///
    /// When `replies` is empty, when the port cannot be bound, or outside a tokio runtime.
    pub fn start(replies: Vec<Reply>) -> Server {
        assert!(!replies.is_empty(), "a server needs at least one reply");
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
            .expect("binding 127.0.0.1:0 for the stand-in server");
        listener
            .set_nonblocking(true)
            .expect("making the listener non-blocking");
        let listener =
            TcpListener::from_std(listener).expect("handing the listener to the tokio runtime");
        let addr = listener.local_addr().expect("the listener's address");
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            script: Mutex::new(Script {
                queue: replies.into(),
                last: None,
            }),
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Server {
            addr,
            shared,
            accept,
        }
    }

    /// The base URL of the server, `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in the order they were read.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// How many requests were received so far.
    pub fn count(&self) -> usize {
        lock(&self.shared.requests).len()
    }

    /// Replaces the replies still to give (for a script that needs another server's URL,
    /// which exists only once that server has started).
    ///
    /// # Panics
    ///
    /// When `replies` is empty.
    pub fn replace_script(&self, replies: Vec<Reply>) {
        assert!(!replies.is_empty(), "a server needs at least one reply");
        let mut script = lock(&self.shared.script);
        script.queue = replies.into();
        script.last = None;
    }

    /// Forgets the requests received so far (benchmarks send many thousands).
    pub fn clear(&self) {
        lock(&self.shared.requests).clear();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// The URL (`http://127.0.0.1:<port>`) of a loopback port where nothing listens: the port is
/// bound, read and released again, so connecting to it is refused.
pub fn unused_url() -> String {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("binding 127.0.0.1:0");
    let port = listener
        .local_addr()
        .expect("the listener's address")
        .port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    // Connection tasks are aborted together with the accept loop, when the server is dropped.
    let mut connections = tokio::task::JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                connections.spawn(serve_connection(stream, Arc::clone(&shared)));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
}

/// Serves requests on one connection until the client closes it or a reply ends it.
async fn serve_connection(mut stream: TcpStream, shared: Arc<Shared>) {
    let mut buffer = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buffer).await {
            Ok(Some(request)) => request,
            Ok(None) | Err(_) => return,
        };
        let wants_close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        lock(&shared.requests).push(request);
        let reply = shared.next_reply();
        if let Some(delay) = reply.delay {
            tokio::time::sleep(delay).await;
        }
        if write_reply(&mut stream, &reply).await.is_err() || reply.truncate || wants_close {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

/// Reads more bytes into `buffer`; `Ok(0)` means the peer closed the connection.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await?;
    buffer.extend_from_slice(&chunk[..n]);
    Ok(n)
}

fn invalid(message: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request. `Ok(None)` when the connection closed cleanly between requests.
/// Bytes after the request stay in `buffer` for the next one.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<Recorded>> {
    let head_end = loop {
        if let Some(pos) = find(buffer, b"\r\n\r\n") {
            break pos;
        }
        if buffer.len() > MAX_HEAD {
            return Err(invalid("request head too large"));
        }
        if fill(stream, buffer).await? == 0 {
            return if buffer.is_empty() {
                Ok(None)
            } else {
                Err(invalid("connection closed inside a request head"))
            };
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    buffer.drain(..head_end + 4);
    let received_at = Instant::now();

    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(_version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("malformed request line"));
    };
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid("malformed header line"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut request = Recorded {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: Vec::new(),
        received_at,
    };

    let chunked = request
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        request.body = read_chunked(stream, buffer).await?;
    } else if let Some(length) = request.header("content-length") {
        let length: usize = length.parse().map_err(|_| invalid("bad Content-Length"))?;
        while buffer.len() < length {
            if fill(stream, buffer).await? == 0 {
                return Err(invalid("connection closed inside a request body"));
            }
        }
        request.body = buffer.drain(..length).collect();
    }
    Ok(Some(request))
}

/// Reads a `Transfer-Encoding: chunked` body, dropping any trailers.
async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(pos) = find(buffer, b"\r\n") {
                break pos;
            }
            if fill(stream, buffer).await? == 0 {
                return Err(invalid("connection closed inside a chunk size"));
            }
        };
        let line = String::from_utf8_lossy(&buffer[..line_end]).into_owned();
        buffer.drain(..line_end + 2);
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| invalid("bad chunk size"))?;
        if size == 0 {
            // Trailers, if any, end with an empty line.
            loop {
                let end = loop {
                    if let Some(pos) = find(buffer, b"\r\n") {
                        break pos;
                    }
                    if fill(stream, buffer).await? == 0 {
                        return Err(invalid("connection closed inside trailers"));
                    }
                };
                buffer.drain(..end + 2);
                if end == 0 {
                    return Ok(body);
                }
            }
        }
        while buffer.len() < size + 2 {
            if fill(stream, buffer).await? == 0 {
                return Err(invalid("connection closed inside a chunk"));
            }
        }
        body.extend(buffer.drain(..size));
        buffer.drain(..2);
    }
}

/// The reason phrase for the statuses tests use; any other status gets `Status`.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

async fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    if let Some(huge) = reply.huge {
        return write_huge(stream, reply, huge).await;
    }
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    let mut has_length = false;
    for (name, value) in &reply.headers {
        has_length |= name.eq_ignore_ascii_case("content-length");
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if reply.truncate {
        let announced = reply.body.len() + TRUNCATED_SHORTFALL;
        head.push_str(&format!(
            "Content-Length: {announced}\r\nConnection: close\r\n"
        ));
    } else if !has_length {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&reply.body);
    stream.write_all(&bytes).await?;
    stream.flush().await
}

/// Writes a [`Reply::huge`] body, then ends the connection (an `Err` tells the caller to).
async fn write_huge(stream: &mut TcpStream, reply: &Reply, huge: Huge) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if huge.announce {
        head.push_str(&format!("Content-Length: {}\r\n", huge.len));
    } else {
        head.push_str("Transfer-Encoding: chunked\r\n");
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await?;
    let unit: &[u8] = if reply.body.is_empty() {
        b"x"
    } else {
        &reply.body
    };
    let block: Vec<u8> = unit.iter().copied().cycle().take(64 * 1024).collect();
    let mut left = huge.len;
    while left > 0 {
        let n = usize::try_from(left.min(block.len() as u64)).unwrap_or(block.len());
        if huge.announce {
            stream.write_all(&block[..n]).await?;
        } else {
            stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
            stream.write_all(&block[..n]).await?;
            stream.write_all(b"\r\n").await?;
        }
        left -= n as u64;
    }
    if !huge.announce {
        stream.write_all(b"0\r\n\r\n").await?;
    }
    stream.flush().await?;
    Err(std::io::Error::other("a huge reply ends its connection"))
}

/// The README's Rust example, compiled as a doctest so that it cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExample;

/// The consumer guide's Rust examples (the client, the typed mocks), compiled likewise.
#[doc = include_str!("../../docs/consumer-guide.md")]
#[cfg(doctest)]
pub struct ConsumerGuideExamples;
