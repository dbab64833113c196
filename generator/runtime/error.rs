//! The error type of every operation.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::retry;

/// At most this many bytes of an unexpected body are shown, for messages and debugging.
const SNIPPET_LIMIT: usize = 512;
/// At most this many bytes of a request id are shown.
pub(crate) const REQUEST_ID_LIMIT: usize = 256;
/// At most this many bytes of a message are shown: an error body's message, a decode error's.
pub(crate) const MESSAGE_LIMIT: usize = 1024;
/// At most this many bytes of one value quoted inside a decode error's message (serde_json
/// quotes the value it could not read, whatever its size).
const QUOTED_LIMIT: usize = 64;
/// At most this many bytes of a typed error body's `Debug` output.
const BODY_DEBUG_LIMIT: usize = 1024;
/// At most this many response headers are shown by `Debug`, each name and value cut to these.
const HEADERS_SHOWN: usize = 16;
const HEADER_NAME_LIMIT: usize = 64;
const HEADER_VALUE_LIMIT: usize = 128;

/// Whether `c` must not reach a log or a terminal raw: C0 and C1 control characters and DEL
/// (terminal escapes, forged line breaks, bells), the Unicode line and paragraph separators,
/// and the bidirectional marks, embeddings, overrides and isolates (text that reads other
/// than it is).
pub(crate) fn is_unsafe_char(c: char) -> bool {
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

/// Whether `text` can be shown as it is: within `limit` bytes, with no unsafe character.
fn is_loggable(text: &str, limit: usize) -> bool {
    text.len() <= limit && !text.chars().any(is_unsafe_char)
}

/// `text` as it may be shown: every unsafe character escaped as Rust writes it (`\r`, `\n`,
/// `\u{1b}`), and at most `limit` bytes, ending with `…` (counted in the limit) when cut or
/// when `more` says that `text` is itself only the start of something longer.
pub(crate) fn loggable_text(text: &str, limit: usize, more: bool) -> String {
    use std::fmt::Write as _;
    if !more && is_loggable(text, limit) {
        return text.to_owned();
    }
    let room = limit.saturating_sub('…'.len_utf8());
    let mut out = String::with_capacity(limit.min(text.len() + 8));
    // Where the text is cut if it has to be: the end of the last piece that fits in `room`.
    let mut cut = None;
    for c in text.chars() {
        let before = out.len();
        if is_unsafe_char(c) {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
        if cut.is_none() && out.len() > room {
            cut = Some(before);
        }
        if out.len() > limit {
            break;
        }
    }
    if more || out.len() > limit {
        out.truncate(cut.unwrap_or(out.len()));
        out.push('…');
    }
    out
}

/// `text` bounded by `limit` bytes and escaped, keeping its start and its end (a decode
/// error's location is at the end): the middle is cut out and marked `…`.
fn loggable_ends(text: &str, limit: usize) -> String {
    let escaped = loggable_text(text, usize::MAX, false);
    if escaped.len() <= limit {
        return escaped;
    }
    let tail_len = limit / 4;
    let head = loggable_text(&escaped, limit - tail_len, true);
    let mut start = escaped.len() - tail_len;
    while !escaped.is_char_boundary(start) {
        start += 1;
    }
    let mut out = head;
    // The head ends with `…`, which marks the cut.
    out.push_str(&escaped[start..]);
    out
}

/// A decode error's message made fit to show: each value it quotes (`"…"` as serde quotes a
/// string, `` `…` `` as it quotes a field or variant name) cut to [`QUOTED_LIMIT`] bytes,
/// unsafe characters escaped, and the whole kept to [`MESSAGE_LIMIT`] bytes (start and end).
pub(crate) fn decode_message(message: &str) -> String {
    // Quoted values are cut first: a message holds the start of each, and its location.
    let mut short = String::with_capacity(message.len().min(4 * MESSAGE_LIMIT));
    let mut quote: Option<char> = None;
    // Inside a quote: bytes kept so far, and the state of a backslash escape (`\"`,
    // `\u{..}`), which is never cut in half.
    let mut kept = 0usize;
    let mut escape = 0u8;
    let mut cut = false;
    for c in message.chars() {
        let Some(q) = quote else {
            short.push(c);
            if c == '"' || c == '`' {
                quote = Some(c);
                kept = 0;
                escape = 0;
                cut = false;
            }
            continue;
        };
        if escape == 0 && c == q {
            if cut {
                short.push('…');
            }
            short.push(c);
            quote = None;
            continue;
        }
        let within = escape != 0;
        escape = match (escape, c) {
            (0, '\\') if q == '"' => 1,
            (1, 'u') => 2,
            (2, '}') | (1, _) => 0,
            (state, _) => state,
        };
        // An escape begun within the limit is finished; none is begun past it.
        if !cut && (kept < QUOTED_LIMIT || within) {
            short.push(c);
            kept += c.len_utf8();
        } else {
            cut = true;
        }
    }
    if quote.is_some() && cut {
        short.push('…');
    }
    loggable_ends(&short, MESSAGE_LIMIT)
}

/// `Debug` of `value`, at most `limit` bytes (formatting stops there, so a huge value is never
/// written out whole) and escaped.
fn bounded_debug(value: &dyn fmt::Debug, limit: usize) -> String {
    struct Bounded {
        out: String,
        limit: usize,
        full: bool,
    }
    impl fmt::Write for Bounded {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let room = self.limit.saturating_sub(self.out.len());
            if s.len() <= room {
                self.out.push_str(s);
                return Ok(());
            }
            let mut end = room;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.out.push_str(&s[..end]);
            self.full = true;
            Err(fmt::Error)
        }
    }
    let mut bounded = Bounded {
        out: String::new(),
        limit: limit + 1,
        full: false,
    };
    let _ = fmt::write(&mut bounded, format_args!("{value:?}"));
    loggable_text(&bounded.out, limit, bounded.full)
}

/// Response headers in `Debug` output: at most [`HEADERS_SHOWN`], names and values cut and
/// escaped; cookies a server sets shown as `***`, a `Location` as its origin only.
pub(crate) struct HeadersDebug<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for HeadersDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0.iter().take(HEADERS_SHOWN) {
            let shown = if value.is_sensitive()
                || matches!(
                    name.as_str(),
                    "set-cookie" | "cookie" | "authorization" | "proxy-authorization"
                ) {
                "***".to_owned()
            } else if name == reqwest::header::LOCATION {
                redacted_url(&String::from_utf8_lossy(value.as_bytes()))
            } else {
                loggable_text(
                    &String::from_utf8_lossy(value.as_bytes()),
                    HEADER_VALUE_LIMIT,
                    false,
                )
            };
            map.entry(
                &Quoted(&loggable_text(name.as_str(), HEADER_NAME_LIMIT, false)),
                &Quoted(&shown),
            );
        }
        if self.0.len() > HEADERS_SHOWN {
            map.entry(&Quoted("…"), &(self.0.len() - HEADERS_SHOWN));
        }
        map.finish()
    }
}

/// Text already made fit to show, in quotes in `Debug` output without being escaped again.
struct Quoted<'a>(&'a str);

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.0)
    }
}

/// An optional text already made fit to show, for `Debug` output.
fn quoted(text: &Option<String>) -> Option<Quoted<'_>> {
    text.as_deref().map(Quoted)
}

/// A URL as it may be shown: its origin (scheme, host and port) only, at most 256 bytes, with
/// no user name, password, path, query or fragment, which may all hold secrets (a signed
/// query, a token in the path); `<not a URL>` for text that does not parse.
pub(crate) fn redacted_url(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(url) if url.host().is_some() => {
            loggable_text(&url.origin().ascii_serialization(), REQUEST_ID_LIMIT, false)
        }
        Ok(url) => format!("{}:…", url.scheme()),
        Err(_) => "<not a URL>".into(),
    }
}

/// The start of `body` as text that may be shown, at most [`SNIPPET_LIMIT`] bytes after invalid
/// bytes are replaced (each replacement character takes three bytes, so the bound is taken on
/// the decoded text, not on the raw bytes) and unsafe characters escaped, with `…` (counted in
/// the bound) when cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    let prefix = &body[..body.len().min(SNIPPET_LIMIT)];
    loggable_text(
        &String::from_utf8_lossy(prefix),
        SNIPPET_LIMIT,
        body.len() > prefix.len(),
    )
}

/// Header names that APIs commonly use for the request id, in the order they are tried.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-github-request-id",
    "x-correlation-id",
];

/// Finds the request id among the response headers: the first value, in the order of
/// [`REQUEST_ID_HEADERS`], that is visible text and not blank (a value with a byte that is
/// not, under one name, does not hide a good one under another), made fit to show with
/// [`request_id_text`].
pub(crate) fn request_id_header(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .flat_map(|name| headers.get_all(*name))
        .filter_map(|v| v.to_str().ok())
        .map(str::trim)
        .find(|v| !v.is_empty())
        .map(request_id_text)
}

/// A request id as the errors and responses give it: as sent when it is at most
/// [`REQUEST_ID_LIMIT`] bytes with no control character (so safe to log), else escaped and
/// cut to that bound.
pub(crate) fn request_id_text(id: &str) -> String {
    loggable_text(id, REQUEST_ID_LIMIT, false)
}

/// Everything that can go wrong when calling the API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status. The body is typed when it matches the API
    /// description's error schema.
    Api(Box<ApiError>),
    /// No complete response arrived within the timeout (after any retries).
    Timeout(TransportError),
    /// The connection could not be made, or broke (after any retries).
    Connection(TransportError),
    /// The API answered, but its body does not match the API description.
    Decode(Box<DecodeError>),
    /// The request was refused before anything was sent, because a parameter would change
    /// its meaning (`..` in a path, a line break in a header, ...).
    InvalidRequest(InvalidRequest),
    /// The client is configured wrongly (a bad base URL, missing credentials, ...).
    Config(String),
    /// A redirect the client would not follow: more than 10 in a row, one from `https` to
    /// plain `http`, or one that would send a streamed body a second time. Never retried.
    Redirect(RedirectError),
    /// A limit of the client was reached: a response body larger than
    /// `max_body_size`, an event-stream line or event larger than `max_event_size`, or more
    /// pages than `max_pages`. Nothing more is read; never retried.
    LimitExceeded(Box<LimitExceeded>),
    /// No OAuth 2 access token could be had: the token endpoint refused (with its RFC 6749
    /// error code), gave a malformed answer, or did not answer in time. Names the token
    /// endpoint's origin.
    Token(Box<TokenError>),
}

impl Error {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Redirect(e) => Some(e.status),
            Error::LimitExceeded(e) => e.status,
            _ => None,
        }
    }

    /// The request id that the API gave the failed request, from the error body or the headers.
    /// Quote it when asking the API provider for help.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::LimitExceeded(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the request ran out of time.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Token(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// Whether trying the same request again later may succeed: timeouts, connection failures
    /// and the statuses 408, 429, 500, 502, 503 and 504. The client has already retried as
    /// its retry policy allows before returning such an error.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => retry::is_retryable_status(e.status),
            Error::Timeout(_) | Error::Connection(_) => true,
            _ => false,
        }
    }

    /// The API error, when the API answered with an error status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Timeout(e) => match e.cause {
                Cause::Idle(limit) => write!(
                    f,
                    "no data arrived for {limit:?} while reading a streamed response; raise \
                     `idle_timeout` on the client or the request if the API pauses longer"
                ),
                Cause::StreamDeadline(limit) => write!(
                    f,
                    "the streamed response was still going after its `stream_timeout` of {limit:?}"
                ),
                _ => write!(
                    f,
                    "the request timed out after {} attempt(s); raise the timeout on the client \
                     or the request if the API needs longer",
                    e.attempts
                ),
            },
            Error::Connection(e) => write!(
                f,
                "could not reach the API after {} attempt(s): {e}; check the base URL and the \
                 network",
                e.attempts
            ),
            Error::Decode(e) => e.fmt(f),
            Error::InvalidRequest(e) => e.fmt(f),
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::Redirect(e) => e.fmt(f),
            Error::LimitExceeded(e) => e.fmt(f),
            Error::Token(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout(e) | Error::Connection(e) => Some(e),
            Error::Token(e) => Some(&**e),
            _ => None,
        }
    }
}

/// An error status from the API, with the body typed where it matches the error schema.
///
/// What the server sent is shown bounded and escaped by `Display` and `Debug` (see
/// [`ApiError::request_id`], [`ApiError::snippet`]); the typed body and the headers are kept
/// as they arrived, for code to read.
#[derive(Clone)]
pub struct ApiError {
    pub(crate) status: u16,
    request_id: Option<String>,
    body: Option<crate::ErrorBody>,
    snippet: String,
    retry_after: Option<Duration>,
    attempts: u32,
    headers: HeaderMap,
}

impl ApiError {
    pub(crate) fn new(
        status: u16,
        headers: &HeaderMap,
        body: Option<crate::ErrorBody>,
        raw: &[u8],
        attempts: u32,
    ) -> Self {
        let request_id = body
            .as_ref()
            .and_then(|b| b.request_id())
            .map(request_id_text)
            .or_else(|| request_id_header(headers));
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry::parse_retry_after(v, std::time::SystemTime::now()));
        ApiError {
            status,
            request_id,
            body,
            snippet: snippet(raw),
            retry_after,
            attempts,
            headers: headers.clone(),
        }
    }

    /// The response headers (rate limits, a mock server's validation report, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id, from the body if the error schema has one, else from the headers: as
    /// sent when it is safe to log (at most 256 bytes, no control character), else escaped
    /// (`\u{1b}`, `\r\n`) and cut to 256 bytes, ending with `…`. The typed body keeps the value
    /// as sent.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The typed error body, when the body matched the API description's error schema.
    pub fn body(&self) -> Option<&crate::ErrorBody> {
        self.body.as_ref()
    }

    /// The start of the raw body as text that may be logged: at most 512 bytes, invalid UTF-8
    /// replaced and control characters escaped, ending with `…` when cut.
    pub fn snippet(&self) -> &str {
        &self.snippet
    }

    /// The wait the server asked for with `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// How many attempts were made before giving up.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// The status, the request id and the typed message (escaped, at most 1 KiB) or the snippet.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered with status {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        match self.body.as_ref().and_then(|b| b.message()) {
            Some(message) => write!(f, ": {}", loggable_text(message, MESSAGE_LIMIT, false)),
            None if self.snippet.is_empty() => Ok(()),
            None => write!(f, ": {}", self.snippet),
        }
    }
}

/// Bounded and escaped like `Display`: the typed body's `Debug` cut at 1 KiB, at most 16
/// headers, cookies the server sets as `***`.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self
            .body
            .as_ref()
            .map(|body| bounded_debug(body, BODY_DEBUG_LIMIT));
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("request_id", &quoted(&self.request_id))
            .field("body", &body.as_deref().map(Quoted))
            .field("snippet", &Quoted(&self.snippet))
            .field("retry_after", &self.retry_after)
            .field("attempts", &self.attempts)
            .field("headers", &HeadersDebug(&self.headers))
            .finish()
    }
}

/// A failure below HTTP: connecting, sending, or reading the response, or a time limit.
#[derive(Debug)]
pub struct TransportError {
    cause: Cause,
    attempts: u32,
}

/// What ended a request below HTTP.
#[derive(Debug)]
pub(crate) enum Cause {
    /// The HTTP client's own error.
    Http(reqwest::Error),
    /// No response within the attempt's `timeout`.
    Deadline(Duration),
    /// No bytes of a streamed body for this long (`idle_timeout`).
    Idle(Duration),
    /// A streamed body still going after the caller's `stream_timeout`.
    StreamDeadline(Duration),
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error, attempts: u32) -> Self {
        Self::from_cause(Cause::Http(source), attempts)
    }

    pub(crate) fn from_cause(cause: Cause, attempts: u32) -> Self {
        TransportError { cause, attempts }
    }

    pub(crate) fn is_timeout(&self) -> bool {
        match &self.cause {
            Cause::Http(e) => e.is_timeout(),
            Cause::Deadline(_) | Cause::Idle(_) | Cause::StreamDeadline(_) => true,
        }
    }

    /// Whether the connection could not be made (nothing reached the server).
    pub fn is_connect(&self) -> bool {
        matches!(&self.cause, Cause::Http(e) if e.is_connect())
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The underlying HTTP client error; `None` when a time limit of this client ended the
    /// request (the attempt's `timeout`, a stream's `idle_timeout` or `stream_timeout`).
    pub fn inner(&self) -> Option<&reqwest::Error> {
        match &self.cause {
            Cause::Http(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Cause::Http(e) => e.fmt(f),
            Cause::Deadline(limit) => write!(f, "no complete response within {limit:?}"),
            Cause::Idle(limit) => write!(f, "no data for {limit:?}"),
            Cause::StreamDeadline(limit) => write!(f, "the stream ran past {limit:?}"),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            Cause::Http(e) => Some(e),
            _ => None,
        }
    }
}

/// A redirect the client did not follow.
#[derive(Clone)]
pub struct RedirectError {
    status: u16,
    location: String,
    reason: &'static str,
}

impl RedirectError {
    pub(crate) fn new(status: u16, location: &str, reason: &'static str) -> Self {
        RedirectError {
            status,
            location: location.to_owned(),
            reason,
        }
    }

    /// The status of the redirect response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `Location` the redirect pointed to, exactly as the server sent it: it may carry a
    /// user name, a password or a signed query, so it is for code, not for logs (`Display` and
    /// `Debug` show its origin only).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Why it was not followed.
    pub fn reason(&self) -> &str {
        self.reason
    }
}

/// The target's scheme, host and port only: a redirect's query may hold a signed token, its
/// user information a password.
impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "did not follow a redirect ({}", self.status)?;
        if url::Url::parse(&self.location).is_ok_and(|url| url.host().is_some()) {
            write!(f, " to {}", redacted_url(&self.location))?;
        }
        write!(f, "): {}", self.reason)
    }
}

/// Like `Display`: the target's origin only.
impl fmt::Debug for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedirectError")
            .field("status", &self.status)
            .field("location", &Quoted(&redacted_url(&self.location)))
            .field("reason", &self.reason)
            .finish()
    }
}

/// A limit of the client that a response reached.
#[derive(Debug, Clone)]
pub struct LimitExceeded {
    what: &'static str,
    limit: u64,
    setting: &'static str,
    status: Option<u16>,
    request_id: Option<String>,
}

impl LimitExceeded {
    pub(crate) fn new(what: &'static str, limit: u64, setting: &'static str) -> Self {
        LimitExceeded {
            what,
            limit,
            setting,
            status: None,
            request_id: None,
        }
    }

    pub(crate) fn response(mut self, status: u16, headers: &HeaderMap) -> Self {
        self.status = Some(status);
        self.request_id = request_id_header(headers);
        self
    }

    /// What went past its limit: `response body`, `event-stream line`, `event data` or
    /// `pages`.
    pub fn what(&self) -> &str {
        self.what
    }

    /// The limit that was reached (bytes, or pages).
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The setting that raises it (on the `ClientBuilder`, the request or the stream).
    pub fn setting(&self) -> &str {
        self.setting
    }

    /// The HTTP status of the response, when one had arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The request id from the response headers, when the API sends one there.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} went past the limit of {}", self.what, self.limit)?;
        if self.what != "pages" {
            f.write_str(" bytes")?;
        }
        if let Some(status) = self.status {
            write!(f, " (status {status}")?;
            if let Some(id) = &self.request_id {
                write!(f, ", request id {id}")?;
            }
            f.write_str(")")?;
        }
        write!(f, "; raise it with `{}`", self.setting)?;
        if self.what == "response body" {
            f.write_str(", or read the body with `send_stream()` where the operation has it")?;
        }
        Ok(())
    }
}

/// A response body that does not match the API description.
#[derive(Clone)]
pub struct DecodeError {
    status: u16,
    request_id: Option<String>,
    snippet: String,
    message: String,
    body: Vec<u8>,
}

/// The snippet only: a body may be large, and may hold what should not reach logs.
impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("request_id", &quoted(&self.request_id))
            .field("message", &Quoted(&self.message))
            .field("snippet", &Quoted(&self.snippet))
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl DecodeError {
    pub(crate) fn new(
        status: u16,
        request_id: Option<String>,
        body: Vec<u8>,
        message: String,
    ) -> Self {
        DecodeError {
            status,
            request_id,
            snippet: snippet(&body),
            message: decode_message(&message),
            body,
        }
    }

    /// The whole body as received (moved in, not copied), to look at what the server sent
    /// where the description says otherwise. Neither `Display` nor `Debug` shows more than
    /// the snippet.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The start of the body as text that may be logged: at most 512 bytes, invalid UTF-8
    /// replaced and control characters escaped, ending with `…` when cut.
    pub fn snippet(&self) -> &str {
        &self.snippet
    }

    /// The request id from the response headers, as [`ApiError::request_id`] gives it.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// What did not match: the decoder's message, at most 1 KiB (its start and its end, where
    /// the location is), each value it quotes cut to 64 bytes, control characters escaped.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the API's response (status {}): {}; the API description may be out \
             of date with the API (body starts with: \"{}\")",
            self.status, self.message, self.snippet
        )
    }
}

/// A request refused before sending.
#[derive(Debug, Clone)]
pub struct InvalidRequest {
    message: String,
}

impl InvalidRequest {
    pub(crate) fn new(message: String) -> Self {
        InvalidRequest { message }
    }

    /// What was refused and why.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused to send the request: {}", self.message)
    }
}

/// The token endpoint refused to give a token, or could not be asked. It names the token
/// endpoint's origin, not the API's.
#[derive(Clone)]
pub struct TokenError {
    pub(crate) origin: String,
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) problem: String,
    pub(crate) timeout: bool,
}

impl TokenError {
    pub(crate) fn new(origin: &str, problem: impl Into<String>) -> Self {
        TokenError {
            origin: origin.to_owned(),
            status: None,
            code: None,
            description: None,
            problem: problem.into(),
            timeout: false,
        }
    }

    pub(crate) fn timed_out(mut self) -> Self {
        self.timeout = true;
        self
    }

    /// The origin of the token endpoint (`https://auth.example.com`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The HTTP status of the token endpoint's answer, when one arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The RFC 6749 error code (`invalid_client`, `invalid_scope`, ...), when the endpoint
    /// gave one, bounded and escaped.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The endpoint's `error_description`, when it gave one, bounded and escaped.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Whether the token endpoint did not answer within the client's timeout.
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no access token from the token endpoint {}: {}",
            self.origin, self.problem
        )?;
        if let Some(status) = self.status {
            write!(f, " (status {status})")?;
        }
        if let Some(code) = &self.code {
            write!(f, ": {code}")?;
        }
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenError")
            .field("origin", &self.origin)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("description", &self.description)
            .field("problem", &self.problem)
            .finish()
    }
}

impl std::error::Error for TokenError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_safe_to_log_is_kept_and_the_rest_escaped_and_cut() {
        assert_eq!(loggable_text("req-123", 256, false), "req-123");
        assert_eq!(
            loggable_text("a\u{1b}[31m\r\n\u{7}\u{202e}b", 256, false),
            "a\\u{1b}[31m\\r\\n\\u{7}\\u{202e}b"
        );
        let cut = loggable_text(&"é".repeat(300), 256, false);
        assert!(cut.len() <= 256 && cut.ends_with('…'), "{cut}");
        let escapes = loggable_text(&"\u{1b}".repeat(300), 256, false);
        assert!(
            escapes.len() <= 256 && escapes.ends_with("\\u{1b}…"),
            "{escapes}"
        );
        assert_eq!(loggable_text("abc", 256, true), "abc…");
    }

    /// serde_json quotes the whole value it could not read; the message keeps 64 bytes of it,
    /// never half an escape, and the location at its end.
    #[test]
    fn a_decode_message_cuts_what_it_quotes() {
        let value = format!("{}\u{1b}", "x".repeat(5_000));
        let json = serde_json::to_string(&value).unwrap();
        let error = serde_json::from_str::<u64>(&json).unwrap_err();
        let message = decode_message(&error.to_string());
        assert!(message.len() < 200, "{message}");
        assert!(
            message.starts_with("invalid type: string \"xxxx"),
            "{message}"
        );
        assert!(message.contains("x…\""), "{message}");
        assert!(
            message.ends_with(&format!("column {}", json.len())),
            "{message}"
        );
        let message = decode_message(&format!(
            "unknown variant `{}\u{1b}`, expected `a`",
            "v".repeat(100)
        ));
        assert_eq!(
            message,
            format!("unknown variant `{}…`, expected `a`", "v".repeat(64))
        );
        let message = decode_message(&format!("bad \"{}\\u{{1b}}zz\"", "y".repeat(62)));
        assert_eq!(message, format!("bad \"{}\\u{{1b}}…\"", "y".repeat(62)));
        // Many short quotes: the start and the end are kept.
        let long = format!(
            "expected one of {} at line 1 column 9",
            "`abc`, ".repeat(500)
        );
        let message = decode_message(&long);
        assert!(
            message.len() <= MESSAGE_LIMIT && message.contains('…'),
            "{message}"
        );
        assert!(message.ends_with("at line 1 column 9"), "{message}");
    }

    #[test]
    fn a_url_shows_its_origin_only_and_at_most_256_bytes() {
        assert_eq!(
            redacted_url("http://u:pw@example.com:8080/p?sig=t#f"),
            "http://example.com:8080"
        );
        let long = format!("https://{}.example.com/", "a.".repeat(50_000));
        assert!(redacted_url(&long).len() <= 256);
        assert_eq!(redacted_url("not a url"), "<not a URL>");
        assert_eq!(redacted_url("data:secret"), "data:…");
    }

    #[test]
    fn a_typed_body_in_debug_is_bounded_without_being_written_whole() {
        let huge = vec!["\u{1b}x".to_owned(); 100_000];
        let shown = bounded_debug(&huge, 1024);
        assert!(shown.len() <= 1024 && shown.ends_with('…'), "{shown}");
        assert!(!shown.chars().any(is_unsafe_char));
    }

    /// `x-request-id` comes first, but a value that is not text must not hide `request-id`.
    #[test]
    fn request_id_is_the_first_valid_value() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-request-id",
            reqwest::header::HeaderValue::from_bytes(b"bad\xffid").unwrap(),
        );
        headers.insert("request-id", "req-good".parse().unwrap());
        assert_eq!(request_id_header(&headers).as_deref(), Some("req-good"));
        headers.insert("x-request-id", " ".parse().unwrap());
        assert_eq!(request_id_header(&headers).as_deref(), Some("req-good"));
        headers.insert("x-request-id", "req-first".parse().unwrap());
        assert_eq!(request_id_header(&headers).as_deref(), Some("req-first"));
    }
}
