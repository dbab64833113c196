//! Hooks a caller sets on the `ClientBuilder`: one that runs before each attempt (and may add
//! or change headers, to propagate trace context for example) and one that runs after each
//! attempt (to observe its status, headers and timing).
//!
//! Both run once per *attempt*, not once per call: a request retried twice runs each hook
//! three times, with [`BeforeAttempt::attempt`] and [`AfterAttempt::attempt`] counting. A
//! redirect the client follows is part of its attempt. For a body read as a stream
//! (`send_stream()`, events), the after-hook runs when the response headers arrive.
//!
//! Hooks never see a secret in clear: a header the client marked sensitive (credentials,
//! secret header parameters, extra headers set with `.header(..)`) reads as `***`, and the
//! query string, which may hold an API key, is not shown. A header a hook sets is its own and
//! reads as set.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::error::InvalidRequest;
use super::request::check_header_value;

pub(crate) type BeforeHook = Arc<dyn Fn(&mut BeforeAttempt<'_>) + Send + Sync>;
pub(crate) type AfterHook = Arc<dyn Fn(&AfterAttempt<'_>) + Send + Sync>;

/// What a hook set with `ClientBuilder::before_attempt` sees of an attempt about to be sent.
pub struct BeforeAttempt<'a> {
    pub(crate) method: &'a reqwest::Method,
    pub(crate) template: &'static str,
    pub(crate) path: &'a str,
    pub(crate) attempt: u32,
    pub(crate) headers: &'a mut HeaderMap,
}

impl BeforeAttempt<'_> {
    /// The HTTP method.
    pub fn method(&self) -> &reqwest::Method {
        self.method
    }

    /// The operation's path template from the API description (`/users/{id}`).
    pub fn path_template(&self) -> &'static str {
        self.template
    }

    /// The request's path, parameters filled in (without the query string).
    pub fn path(&self) -> &str {
        self.path
    }

    /// Which attempt this is: 1 for the first, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// A request header's value; `***` for one the client holds as a secret.
    pub fn header(&self, name: &str) -> Option<&str> {
        let value = self.headers.get(name)?;
        if value.is_sensitive() {
            return Some("***");
        }
        value.to_str().ok()
    }

    /// Sets a header of this attempt (replacing one of the same name). The name and value are
    /// checked as every header is: a line break or another control byte is refused.
    pub fn set_header(&mut self, name: &str, value: &str) -> Result<(), InvalidRequest> {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            InvalidRequest::new(format!(
                "header name `{}` set by a hook is not a valid HTTP header name",
                name.escape_debug()
            ))
        })?;
        let value: HeaderValue = match check_header_value(name, value, false) {
            Ok(value) => value,
            Err(super::error::Error::InvalidRequest(e)) => return Err(e),
            Err(other) => return Err(InvalidRequest::new(other.to_string())),
        };
        self.headers.insert(header, value);
        Ok(())
    }
}

/// What a hook set with `ClientBuilder::after_attempt` sees of an attempt that ended.
pub struct AfterAttempt<'a> {
    pub(crate) method: &'a reqwest::Method,
    pub(crate) template: &'static str,
    pub(crate) attempt: u32,
    pub(crate) status: Option<u16>,
    pub(crate) headers: Option<&'a HeaderMap>,
    pub(crate) elapsed: Duration,
    pub(crate) failure: Option<&'a str>,
}

impl AfterAttempt<'_> {
    /// The HTTP method.
    pub fn method(&self) -> &reqwest::Method {
        self.method
    }

    /// The operation's path template from the API description (`/users/{id}`).
    pub fn path_template(&self) -> &'static str {
        self.template
    }

    /// Which attempt this was: 1 for the first, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The response status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The response headers, when a response arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.headers
    }

    /// How long the attempt took, from before the first hook ran until its response (its
    /// headers, for a streamed body) or its failure.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// What went wrong, when no response arrived (a timeout, a refused connection, a redirect
    /// not followed, a limit reached).
    pub fn failure(&self) -> Option<&str> {
        self.failure
    }
}
