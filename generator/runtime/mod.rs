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
mod tls;

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

/// The impls every string enum shares, written once here rather than in each enum: `Display`,
/// serde (a value the client does not know is kept as `Unknown`), and use as a parameter. The
/// enum itself, its `as_str` and its `From<&str>` carry the values and are generated in full.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }

        impl $crate::runtime::ParamValue for $name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

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

#[cfg(test)]
mod tests {
    /// An enum written the way the generator writes them.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Size {
        Small,
        Unknown(String),
    }

    impl Size {
        fn as_str(&self) -> &str {
            match self {
                Self::Small => "small",
                Self::Unknown(value) => value,
            }
        }
    }

    impl From<&str> for Size {
        fn from(value: &str) -> Self {
            match value {
                "small" => Self::Small,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }

    crate::runtime::string_enum!(Size);

    #[test]
    fn string_enums_keep_unknown_values_both_ways() {
        use crate::runtime::ParamValue;
        let known: Size = serde_json::from_str("\"small\"").unwrap();
        assert_eq!(known, Size::Small);
        let unknown: Size = serde_json::from_str("\"huge\"").unwrap();
        assert_eq!(unknown, Size::Unknown("huge".into()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"huge\"");
        assert_eq!(serde_json::to_string(&Size::Small).unwrap(), "\"small\"");
        assert_eq!(Size::Small.to_string(), "small");
        assert_eq!(unknown.to_param(), "huge");
        assert!(serde_json::from_str::<Size>("3").is_err());
    }
}
