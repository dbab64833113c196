//! Hand-written runtime that clientgen copies into every generated crate: the client, its
//! configuration, sending with retries and timeouts, request safety checks and errors.
//!
//! Not every API uses every helper here (an API without query parameters never builds a query),
//! so unused items are expected rather than a sign of rot.
#![allow(dead_code)]

mod client;
mod error;
mod request;
mod response;
mod retry;
mod secret;

pub use client::{Client, ClientBuilder, RequestOptions};
pub use error::{ApiError, DecodeError, Error, InvalidRequest, TransportError};
pub use response::Response;
pub use secret::Secret;

pub(crate) use client::{Credential, KeyLocation};
pub(crate) use request::{ParamValue, Request};

/// Serde helpers for fields that may be absent, null or a value (`Option<Option<T>>`):
/// absent is `None`, null is `Some(None)`.
pub(crate) mod nullable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// The methods every request builder has: per-request timeout, retries and extra headers.
#[allow(unused_macros)]
macro_rules! request_options_methods {
    () => {
        /// Overrides the client's timeout for this request.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options.timeout = Some(timeout);
            self
        }

        /// Overrides the client's retry limit for this request (0 turns retries off).
        pub fn max_retries(mut self, max_retries: u32) -> Self {
            self.options.max_retries = Some(max_retries);
            self
        }

        /// Adds a header to this request. Its value is treated as a secret: it never shows in
        /// `Debug` output. Names and values are checked before sending.
        pub fn header(mut self, name: impl Into<String>, value: impl Into<crate::Secret>) -> Self {
            self.options.headers.push((name.into(), value.into()));
            self
        }
    };
}
#[allow(unused_imports)]
pub(crate) use request_options_methods;
