//! Responses: the typed body with its status and headers, and decoding.

use reqwest::header::HeaderMap;

use super::error::{request_id_header, ApiError, DecodeError, Error, HeadersDebug};

/// A typed response body together with the HTTP status and headers it arrived with.
/// Returned by `send_with_response()`; `send()` returns only the body.
#[derive(Clone)]
pub struct Response<T> {
    status: u16,
    headers: HeaderMap,
    body: T,
}

/// The headers bounded and escaped as an error's are (cookies the server sets as `***`); the
/// body as its own `Debug` shows it.
impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &HeadersDebug(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

impl<T> Response<T> {
    pub(crate) fn new(status: u16, headers: HeaderMap, body: T) -> Self {
        Response {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, consuming the response.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body transformed.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body) }
    }

    /// The request id from the response headers, when the API sends one there: as sent when
    /// it is safe to log (at most 256 bytes, no control character), else escaped and cut.
    pub fn request_id(&self) -> Option<String> {
        request_id_header(&self.headers)
    }
}

/// A complete HTTP response before decoding.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) attempts: u32,
}

impl RawResponse {
    pub(crate) fn new(status: u16, headers: HeaderMap, body: Vec<u8>) -> Self {
        RawResponse {
            status,
            headers,
            body,
            attempts: 1,
        }
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn typed<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            body,
        }
    }

    /// Decodes a JSON body. An empty body decodes as JSON `null`, so that an optional or
    /// untyped result can still be read from a response that carries nothing.
    pub(crate) fn json<T: serde::de::DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let parsed = if self.body.iter().all(u8::is_ascii_whitespace) {
            serde_json::from_slice(b"null")
        } else {
            serde_json::from_slice(&self.body)
        };
        match parsed {
            Ok(body) => Ok(self.typed(body)),
            Err(source) => Err(Error::Decode(Box::new(DecodeError::new(
                self.status,
                request_id_header(&self.headers),
                self.body,
                source.to_string(),
            )))),
        }
    }

    /// A response whose body carries nothing the API description types.
    pub(crate) fn empty(self) -> Result<Response<()>, Error> {
        Ok(self.typed(()))
    }

    /// The raw body bytes.
    pub(crate) fn bytes(mut self) -> Result<Response<Vec<u8>>, Error> {
        let body = std::mem::take(&mut self.body);
        Ok(self.typed(body))
    }

    /// The body as text; invalid UTF-8 is a decode error.
    pub(crate) fn text(mut self) -> Result<Response<String>, Error> {
        let body = std::mem::take(&mut self.body);
        match String::from_utf8(body) {
            Ok(text) => Ok(self.typed(text)),
            Err(e) => Err(Error::Decode(Box::new(DecodeError::new(
                self.status,
                request_id_header(&self.headers),
                e.into_bytes(),
                "the body is not valid UTF-8".into(),
            )))),
        }
    }

    /// Turns a response that the operation does not treat as success into an error, typing the
    /// body with `decode` where it matches the API description's error schema.
    pub(crate) fn into_error(self, decode: fn(u16, &[u8]) -> Option<crate::ErrorBody>) -> Error {
        let body = decode(self.status, &self.body);
        Error::Api(Box::new(ApiError::new(
            self.status,
            &self.headers,
            body,
            &self.body,
            self.attempts,
        )))
    }
}
