//! The loopback HTTP/1.1 server of every consumer test: the tests in `tests/tests/` and the
//! consumer tests copied into crates generated from fixtures (which depend on this crate by
//! path; it needs nothing but tokio).
//!
//! [`Server`] listens on `127.0.0.1` only, on a port the operating system picks, and:
//!
//! - accepts any number of connections, each served by its own task, and reads any number of
//!   requests from each connection (keep-alive), so a client's connection pool and its retries
//!   work as they would against a real server;
//! - records every request as it arrived ([`Recorded`]: method, raw target, version, headers,
//!   body) and counts the connections it accepted;
//! - answers either from a scripted queue of [`Reply`] values, one per request, repeating the
//!   last reply once the queue runs out ([`Server::start`]), or with a function of the request
//!   ([`Server::answering`]), for answers that depend on the path or the body.
//!
//! A [`Reply`] can wait before answering ([`Reply::delay`]), write its body in parts with a
//! pause before each ([`Reply::parts`]), end its body by closing the connection instead of
//! announcing a length ([`Reply::until_close`]) or send it chunked ([`Reply::chunked`]),
//! announce a length of its own ([`Reply::content_length`], [`Reply::truncate`]), close the
//! connection after answering ([`Reply::close`]), write a body far larger than memory
//! ([`Reply::huge`]), or be bytes written as they are ([`Reply::raw`], [`Reply::hang_up`]).
//!
//! [`unused_url`] gives the URL of a loopback port where nothing listens, for connection
//! failures.

use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The largest request head (request line and headers) the server accepts.
const MAX_HEAD: usize = 64 * 1024;

/// How many bytes more than it sends a [`Reply::truncate`] response announces.
const TRUNCATED_SHORTFALL: usize = 32;

/// One answer of the [`Server`]: a status, headers and a body, and how to write them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    /// The body, in the parts it is written in.
    parts: Vec<Vec<u8>>,
    /// The wait before each part, when the body is written in parts.
    pause: Duration,
    /// The wait after reading the request, before answering.
    delay: Option<Duration>,
    framing: Framing,
    /// Whether the connection closes after this reply.
    close: bool,
    huge: Option<Huge>,
}

/// How the end of a reply's body is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    /// `Content-Length` of the body, unless the reply's headers say `Content-Length` or
    /// `Transfer-Encoding` themselves.
    Length,
    /// `Content-Length` of this many bytes, whatever the body has.
    Announce(u64),
    /// `Content-Length` of more bytes than the body has ([`Reply::truncate`]).
    Short,
    /// No length: the body ends when the connection closes.
    UntilClose,
    /// `Transfer-Encoding: chunked`, one chunk per part.
    Chunked,
    /// No head at all: the parts are the bytes written, then the connection closes.
    Raw,
}

/// A generated body: [`Reply::huge`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Huge {
    /// How many bytes to write at most (the client may close the connection first).
    len: u64,
    /// Whether `Content-Length` announces them, or the body is sent chunked with no length.
    announce: bool,
}

impl Reply {
    /// A reply with this status, no extra headers and an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            parts: Vec::new(),
            pause: Duration::ZERO,
            delay: None,
            framing: Framing::Length,
            close: false,
            huge: None,
        }
    }

    /// A reply with this status and a JSON body (`Content-Type: application/json`).
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply::status(status)
            .header("Content-Type", "application/json")
            .body(body.into())
    }

    /// Bytes written exactly as given, without a response head or framing, after which the
    /// connection closes: for answers no well-behaved server gives.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Self {
        Reply {
            framing: Framing::Raw,
            close: true,
            ..Reply::status(0).body(bytes)
        }
    }

    /// No answer at all: the connection closes once the request is read.
    pub fn hang_up() -> Self {
        Reply::raw(Vec::new())
    }

    /// Adds a response header, sent as given.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the response body, written at once.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.parts = vec![body.into()];
        self
    }

    /// Sets the response body as parts written one at a time, each after waiting `pause`: the
    /// head goes out at once, then the first part after `pause`, and so on.
    pub fn parts<I>(mut self, parts: I, pause: Duration) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Vec<u8>>,
    {
        self.parts = parts.into_iter().map(Into::into).collect();
        self.pause = pause;
        self
    }

    /// Waits this long after reading the request before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Sends no length: the body ends when the connection closes, as with event streams
    /// (`Connection: close` is sent).
    pub fn until_close(mut self) -> Self {
        self.framing = Framing::UntilClose;
        self.close()
    }

    /// Sends the body with `Transfer-Encoding: chunked`, one chunk per part.
    pub fn chunked(mut self) -> Self {
        self.framing = Framing::Chunked;
        self
    }

    /// Announces `Content-Length: len` whatever the body's length is.
    pub fn content_length(mut self, len: u64) -> Self {
        self.framing = Framing::Announce(len);
        self
    }

    /// Announces a longer body than is sent (by 32 bytes), then closes the connection, so the
    /// client sees a response that ends early.
    pub fn truncate(mut self) -> Self {
        self.framing = Framing::Short;
        self.close()
    }

    /// Closes the connection after this reply (`Connection: close` is sent).
    pub fn close(mut self) -> Self {
        if !self.close {
            self.close = true;
            self.headers.push(("Connection".into(), "close".into()));
        }
        self
    }

    /// A body of `len` bytes, repeating the reply's `body` (or `x`), written 64 KiB at a time
    /// as the client reads it, with `Content-Length` when `announce` and chunked otherwise.
    /// Writing stops when the client closes the connection, which then ends.
    pub fn huge(mut self, len: u64, announce: bool) -> Self {
        self.huge = Some(Huge { len, announce });
        self.close()
    }

    /// The body's bytes, all parts together.
    fn whole_body(&self) -> Vec<u8> {
        self.parts.concat()
    }
}

/// A request as the [`Server`] received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The method, such as `GET`.
    pub method: String,
    /// The request target exactly as sent: the path and, if any, `?` and the query.
    pub target: String,
    /// The protocol version of the request line, such as `HTTP/1.1`.
    pub version: String,
    /// The headers in the order they arrived, names in lowercase, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked when it was sent with `Transfer-Encoding: chunked`).
    pub body: Vec<u8>,
    /// When the request head had been read completely.
    pub received_at: Instant,
}

impl Recorded {
    /// The request line as sent: method, target and version, such as
    /// `GET /items?page=2 HTTP/1.1`.
    pub fn line(&self) -> String {
        format!("{} {} {}", self.method, self.target, self.version)
    }

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

    /// The whole request as text: the request line, a `name: value` line per header and the
    /// body (invalid UTF-8 replaced), for searching it and for failure messages.
    pub fn text(&self) -> String {
        let mut text = self.line();
        text.push('\n');
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push('\n');
        text.push_str(&self.body_text());
        text
    }
}

/// A function that answers a request.
type Answer = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

/// Where replies come from.
enum Answers {
    /// The queue of replies still to give, and the last reply given.
    Script {
        queue: VecDeque<Reply>,
        last: Option<Reply>,
    },
    /// A function of the request.
    Function(Answer),
}

/// The state shared by the server's tasks and its handle.
struct Shared {
    requests: Mutex<Vec<Recorded>>,
    answers: Mutex<Answers>,
    connections: AtomicUsize,
}

impl Shared {
    fn next_reply(&self, request: &Recorded) -> Reply {
        let function = match &mut *lock(&self.answers) {
            Answers::Script { queue, last } => {
                return match queue.pop_front() {
                    Some(reply) => {
                        *last = Some(reply.clone());
                        reply
                    }
                    None => last.clone().expect("the script has at least one reply"),
                };
            }
            Answers::Function(function) => Arc::clone(function),
        };
        // Called without the lock, so that a function may take its time or panic.
        function(request)
    }
}

/// Locks a mutex, ignoring poisoning: a panicking test must not hide the recorded requests.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A stand-in HTTP/1.1 server on `127.0.0.1`. Stops when dropped.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .field("requests", &self.count())
            .field("connections", &self.connections())
            .finish_non_exhaustive()
    }
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
        Server::with(Answers::Script {
            queue: replies.into(),
            last: None,
        })
    }

    /// Starts a server on `127.0.0.1` at a free port that answers each request with
    /// `answer(request)`.
    ///
    /// # Panics
    ///
    /// When the port cannot be bound, or outside a tokio runtime.
    pub fn answering(answer: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
        Server::with(Answers::Function(Arc::new(answer)))
    }

    fn with(answers: Answers) -> Server {
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
            answers: Mutex::new(answers),
            connections: AtomicUsize::new(0),
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

    /// How many connections were accepted so far, whether or not a request came on them.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Replaces the replies still to give (for a script that needs another server's URL,
    /// which exists only once that server has started).
    ///
    /// # Panics
    ///
    /// When `replies` is empty.
    pub fn replace_script(&self, replies: Vec<Reply>) {
        assert!(!replies.is_empty(), "a server needs at least one reply");
        *lock(&self.shared.answers) = Answers::Script {
            queue: replies.into(),
            last: None,
        };
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
                shared.connections.fetch_add(1, Ordering::SeqCst);
                // Parts written with pauses go out as they are written.
                let _ = stream.set_nodelay(true);
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
        lock(&shared.requests).push(request.clone());
        let reply = shared.next_reply(&request);
        if let Some(delay) = reply.delay {
            tokio::time::sleep(delay).await;
        }
        if write_reply(&mut stream, &reply).await.is_err() || reply.close || wants_close {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

/// Reads more bytes into `buffer`; `Ok(0)` means the peer closed the connection.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut chunk = [0u8; 65536];
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
    let (Some(method), Some(target), Some(version), None) =
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
        version: version.to_owned(),
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
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
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

/// The status line and the reply's own headers, without the blank line that ends the head.
fn head_of(reply: &Reply) -> String {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head
}

/// One part of a body as written with `framing`.
fn framed(part: &[u8], framing: Framing) -> Vec<u8> {
    match framing {
        Framing::Chunked if part.is_empty() => Vec::new(),
        Framing::Chunked => {
            let mut bytes = format!("{:x}\r\n", part.len()).into_bytes();
            bytes.extend_from_slice(part);
            bytes.extend_from_slice(b"\r\n");
            bytes
        }
        _ => part.to_vec(),
    }
}

/// Writes a reply; an `Err` tells the caller to end the connection.
async fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    if let Some(huge) = reply.huge {
        return write_huge(stream, reply, huge).await;
    }
    let mut head = Vec::new();
    if reply.framing != Framing::Raw {
        let mut text = head_of(reply);
        match reply.framing {
            Framing::Length => {
                let explicit = reply.headers.iter().any(|(name, _)| {
                    name.eq_ignore_ascii_case("content-length")
                        || name.eq_ignore_ascii_case("transfer-encoding")
                });
                if !explicit {
                    let length: usize = reply.parts.iter().map(Vec::len).sum();
                    text.push_str(&format!("Content-Length: {length}\r\n"));
                }
            }
            Framing::Announce(length) => text.push_str(&format!("Content-Length: {length}\r\n")),
            Framing::Short => {
                let length = reply.parts.iter().map(Vec::len).sum::<usize>() + TRUNCATED_SHORTFALL;
                text.push_str(&format!("Content-Length: {length}\r\n"));
            }
            Framing::Chunked => text.push_str("Transfer-Encoding: chunked\r\n"),
            Framing::UntilClose | Framing::Raw => {}
        }
        text.push_str("\r\n");
        head = text.into_bytes();
    }
    let end: &[u8] = if reply.framing == Framing::Chunked {
        b"0\r\n\r\n"
    } else {
        b""
    };
    if reply.pause.is_zero() {
        // All at once: one write, so that no part waits for the client's acknowledgement.
        let mut bytes = head;
        for part in &reply.parts {
            bytes.extend(framed(part, reply.framing));
        }
        bytes.extend_from_slice(end);
        stream.write_all(&bytes).await?;
        return stream.flush().await;
    }
    stream.write_all(&head).await?;
    stream.flush().await?;
    for part in &reply.parts {
        tokio::time::sleep(reply.pause).await;
        stream.write_all(&framed(part, reply.framing)).await?;
        stream.flush().await?;
    }
    stream.write_all(end).await?;
    stream.flush().await
}

/// Writes a [`Reply::huge`] body, then ends the connection (an `Err` tells the caller to).
async fn write_huge(stream: &mut TcpStream, reply: &Reply, huge: Huge) -> std::io::Result<()> {
    let mut head = head_of(reply);
    if huge.announce {
        head.push_str(&format!("Content-Length: {}\r\n", huge.len));
    } else {
        head.push_str("Transfer-Encoding: chunked\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    let body = reply.whole_body();
    let unit: &[u8] = if body.is_empty() { b"x" } else { &body };
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

#[cfg(test)]
mod tests {
    //! The server's own features, checked with std's blocking sockets on another thread so
    //! that the bytes on the wire are seen exactly.

    use super::*;
    use std::io::{Read, Write};

    /// Sends `request` on a new connection and reads until the server closes it.
    async fn exchange(server: &Server, request: &'static [u8]) -> (Vec<u8>, Duration) {
        let addr = server.addr();
        tokio::task::spawn_blocking(move || {
            let mut socket = std::net::TcpStream::connect(addr).expect("connect");
            let started = Instant::now();
            socket.write_all(request).expect("write");
            let mut answer = Vec::new();
            socket.read_to_end(&mut answer).expect("read");
            (answer, started.elapsed())
        })
        .await
        .expect("the client thread")
    }

    const GET_CLOSE: &[u8] = b"GET /a?b=c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    #[tokio::test]
    async fn a_reply_has_its_length_and_the_request_is_recorded() {
        let server = Server::start(vec![Reply::json(201, "{}").header("X-One", "1")]);
        let (answer, _) = exchange(
            &server,
            b"POST /p?q=1 HTTP/1.1\r\nHost: x\r\nX-Two: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
        )
        .await;
        assert_eq!(
            String::from_utf8(answer).unwrap(),
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-One: 1\r\nContent-Length: 2\r\n\r\n{}"
        );
        let request = &server.requests()[0];
        assert_eq!(request.line(), "POST /p?q=1 HTTP/1.1");
        assert_eq!((request.path(), request.query()), ("/p", Some("q=1")));
        assert_eq!(request.header("x-two"), Some("2"));
        assert_eq!(request.body_text(), "abc");
        assert_eq!(server.connections(), 1);
    }

    #[tokio::test]
    async fn a_chunked_request_body_is_read_whole() {
        let server = Server::start(vec![Reply::status(204)]);
        exchange(
            &server,
            b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: 1\r\n\r\n",
        )
        .await;
        assert_eq!(server.requests()[0].body, b"abcde");
    }

    #[tokio::test]
    async fn parts_come_after_their_pauses_and_the_body_ends_at_the_close() {
        let server = Server::start(vec![
            Reply::status(200)
                .parts(["ab", "cd"], Duration::from_millis(100))
                .until_close(),
        ]);
        let (answer, elapsed) = exchange(&server, GET_CLOSE).await;
        assert_eq!(
            String::from_utf8(answer).unwrap(),
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabcd"
        );
        assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    }

    #[tokio::test]
    async fn chunked_parts_are_one_chunk_each() {
        let server = Server::start(vec![
            Reply::status(200)
                .parts(["ab", "cde"], Duration::from_millis(1))
                .chunked(),
        ]);
        let (answer, _) = exchange(&server, GET_CLOSE).await;
        assert_eq!(
            String::from_utf8(answer).unwrap(),
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n"
        );
    }

    #[tokio::test]
    async fn a_truncated_reply_announces_more_and_closes() {
        let server = Server::start(vec![Reply::status(200).body("abc").truncate()]);
        let (answer, _) = exchange(&server, b"GET / HTTP/1.1\r\n\r\n").await;
        assert_eq!(
            String::from_utf8(answer).unwrap(),
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 35\r\n\r\nabc"
        );
    }

    #[tokio::test]
    async fn raw_bytes_go_out_as_they_are_and_a_hang_up_sends_nothing() {
        let server = Server::start(vec![Reply::raw("HTTP/1.1 999\r\n\r\n"), Reply::hang_up()]);
        let (answer, _) = exchange(&server, b"GET / HTTP/1.1\r\n\r\n").await;
        assert_eq!(answer, b"HTTP/1.1 999\r\n\r\n");
        let (answer, _) = exchange(&server, b"GET / HTTP/1.1\r\n\r\n").await;
        assert!(answer.is_empty());
        assert_eq!(server.count(), 2);
    }

    #[tokio::test]
    async fn the_last_reply_repeats_and_a_function_answers_by_request() {
        let server = Server::start(vec![Reply::status(500), Reply::status(201)]);
        for expected in ["500", "201", "201"] {
            let (answer, _) = exchange(&server, GET_CLOSE).await;
            assert!(String::from_utf8(answer).unwrap().contains(expected));
        }
        let server = Server::answering(|request| Reply::status(200).body(request.path()));
        let (answer, _) = exchange(&server, GET_CLOSE).await;
        assert!(String::from_utf8(answer).unwrap().ends_with("\r\n\r\n/a"));
    }

    #[tokio::test]
    async fn requests_on_one_connection_are_all_answered() {
        let server = Server::start(vec![Reply::status(200).body("x")]);
        let (answer, _) = exchange(
            &server,
            b"GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert_eq!(
            String::from_utf8(answer).unwrap().matches("200 OK").count(),
            2
        );
        assert_eq!((server.count(), server.connections()), (2, 1));
    }
}
