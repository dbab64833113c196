//! The error type of every operation.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::retry;

/// At most this many bytes of an unexpected body are kept, for messages and debugging.
const SNIPPET_LIMIT: usize = 512;

/// The start of `body` as text, at most [`SNIPPET_LIMIT`] bytes of UTF-8 after invalid bytes
/// are replaced (each replacement character takes three bytes, so the bound is taken on the
/// decoded text, not on the raw bytes), with `…` (counted in the bound) when cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_LIMIT)]);
    if body.len() <= SNIPPET_LIMIT && text.len() <= SNIPPET_LIMIT {
        return text.into_owned();
    }
    let mut end = SNIPPET_LIMIT - '…'.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut cut = text[..end].to_owned();
    cut.push('…');
    cut
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
/// not, under one name, does not hide a good one under another).
pub(crate) fn request_id_header(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .flat_map(|name| headers.get_all(*name))
        .filter_map(|v| v.to_str().ok())
        .map(str::trim)
        .find(|v| !v.is_empty())
        .map(str::to_owned)
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
        matches!(self, Error::Timeout(_))
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
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout(e) | Error::Connection(e) => Some(e),
            _ => None,
        }
    }
}

/// An error status from the API, with the body typed where it matches the error schema.
#[derive(Debug, Clone)]
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
            .map(str::to_owned)
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

    /// The request id, from the body if the error schema has one, else from the headers.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The typed error body, when the body matched the API description's error schema.
    pub fn body(&self) -> Option<&crate::ErrorBody> {
        self.body.as_ref()
    }

    /// The start of the raw body (at most 512 bytes), for bodies that are not typed.
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

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered with status {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        match self.body.as_ref().and_then(|b| b.message()) {
            Some(message) => write!(f, ": {message}"),
            None if self.snippet.is_empty() => Ok(()),
            None => write!(f, ": {}", self.snippet),
        }
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
#[derive(Debug, Clone)]
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

    /// The `Location` the redirect pointed to, as the server sent it.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Why it was not followed.
    pub fn reason(&self) -> &str {
        self.reason
    }
}

/// The target's scheme, host and port only: a redirect's query may hold a signed token.
impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "did not follow a redirect ({}", self.status)?;
        if let Ok(url) = url::Url::parse(&self.location) {
            write!(f, " to {}", url.origin().ascii_serialization())?;
        }
        write!(f, "): {}", self.reason)
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
            .field("request_id", &self.request_id)
            .field("message", &self.message)
            .field("snippet", &self.snippet)
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
            message,
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

    /// The start of the body (at most 512 bytes).
    pub fn snippet(&self) -> &str {
        &self.snippet
    }

    /// What did not match.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the API's response (status {}): {}; the API description may be out \
             of date with the API (body starts with: {:?})",
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

#[cfg(test)]
mod tests {
    use super::*;

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
