//! Hand-written runtime that clientgen copies into every generated crate: the client, its
//! configuration, sending with retries and timeouts, request safety checks and errors.
//!
//! Not every API uses every helper here (an API without query parameters never builds a query),
//! so unused items are expected rather than a sign of rot.
#![allow(dead_code)]

mod body;
mod client;
mod config;
mod error;
pub mod hooks;
#[cfg(feature = "mock")]
pub mod mock;
pub mod oauth2;
pub mod pagination;
mod request;
mod response;
mod retry;
mod secret;
pub mod streaming;
mod tls;

pub use client::{Client, ClientBuilder, RequestOptions};
pub use error::{
    ApiError, DecodeError, Error, InvalidRequest, LimitExceeded, RedirectError, TransportError,
};
pub use response::Response;
pub use secret::Secret;

pub(crate) use config::{Credential, KeyLocation};
#[allow(unused_imports)]
pub(crate) use pagination::next_link_param;
#[allow(unused_imports)]
pub(crate) use request::simple_param;
pub(crate) use request::{ParamValue, Request};

/// Serializes a field that may be absent, null or a value (`Option<Option<T>>`): absent is
/// `None` (left out by `skip_serializing_if`), null is `Some(None)`. Reading is in the
/// generated `FromMap` impls, which tell absent from null.
pub(crate) mod nullable {
    use serde::{Serialize, Serializer};

    pub(crate) fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }
}

/// What the generated `Deserialize` impls of structs share. serde's derive writes, per struct,
/// a field enum with three visitors, a sequence visitor and a map visitor with duplicate
/// checks: about 30 lines per field, six times the size of the type itself on GitHub's API,
/// and most of the crate's compile time. A JSON object needs only the map path, so each
/// struct gets one `FromMap` impl (a loop over keys, one arm per property) and this module
/// holds the rest once. Differences from the derive: a repeated key keeps the last value
/// (serde's derive refuses it), and an array is never read as a struct.
pub(crate) mod de {
    use std::borrow::Cow;
    use std::marker::PhantomData;

    use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};

    /// An object key, borrowed from the input when the deserializer allows.
    pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

    impl<'de> Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KeyVisitor;
            impl<'de> Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a property name")
                }
                fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Borrowed(v)))
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(v.to_owned())))
                }
                fn visit_string<E: Error>(self, v: String) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(v)))
                }
            }
            deserializer.deserialize_str(KeyVisitor)
        }
    }

    /// A struct read from the entries of a JSON object.
    pub(crate) trait FromMap<'de>: Sized {
        /// The type's name, for "expected" messages.
        const NAME: &'static str;
        fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
    }

    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: FromMap<'de>> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "an object ({})", T::NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }

    /// `Deserialize::deserialize` of every generated struct.
    pub(crate) fn object<'de, T: FromMap<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(PhantomData))
    }

    /// A required property's value, or serde's "missing field" error.
    pub(crate) fn required<T, E: Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
        value.ok_or_else(|| E::missing_field(name))
    }

    /// `result` with the property's name in its error: `` `created_at`: input contains
    /// invalid characters ``. The inner position is left out; the deserializer adds it again.
    pub(crate) fn named<T, E: Error>(result: Result<T, E>, name: &str) -> Result<T, E> {
        result.map_err(|e| {
            let message = e.to_string();
            let message = message
                .rfind(" at line ")
                .map_or(message.as_str(), |i| &message[..i]);
            E::custom(format_args!("`{name}`: {message}"))
        })
    }

    /// The first alternative of an untagged union that reads `value`: each generated union
    /// tries its alternatives in order through this, on one buffered `serde_json::Value`.
    pub(crate) fn alternative<'v, T: Deserialize<'v>>(value: &'v serde_json::Value) -> Option<T> {
        T::deserialize(value).ok()
    }
}

/// `Deserialize` of a generated struct, through [`de::FromMap`]: properties listed by how they
/// are read. `req`: required, an error when absent; `opt`: `Option<T>`, absent or null is
/// `None`; `nul`: `Option<Option<T>>`, absent is `None`, null `Some(None)`; `extra`: the map
/// that collects every other property. One line per struct in the generated source, which
/// keeps large APIs quick to generate and to parse.
#[allow(unused_macros)]
macro_rules! from_map {
    ($name:ident {
        req: [$($rw:literal $rf:ident),*],
        opt: [$($ow:literal $of:ident),*],
        nul: [$($nw:literal $nf:ident),*] $(,)?
        $(named: [$($kw:literal $kf:ident $kk:ident),*],)?
        $(extra: $extra:ident)?
    }) => {
        impl<'de> $crate::runtime::de::FromMap<'de> for $name {
            const NAME: &'static str = stringify!($name);
            fn from_map<A: ::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $( let mut $rf = None; )*
                $( let mut $of = None; )*
                $( let mut $nf = None; )*
                $($( let mut $kf = None; )*)?
                $( let mut $extra = ::std::collections::BTreeMap::new(); )?
                while let Some(key) = map.next_key::<$crate::runtime::de::Key<'de>>()? {
                    match &*key.0 {
                        $( $rw => $rf = Some(map.next_value()?), )*
                        $( $ow => $of = map.next_value()?, )*
                        $( $nw => $nf = Some(map.next_value()?), )*
                        $($( $kw => $kf = $crate::runtime::from_map!(@named $kk map $kw), )*)?
                        _ => $crate::runtime::from_map!(@other map key $($extra)?),
                    }
                }
                Ok(Self {
                    $( $rf: $crate::runtime::de::required::<_, A::Error>($rf, $rw)?, )*
                    $( $of, )*
                    $( $nf, )*
                    $($( $kf: $crate::runtime::from_map!(@finish $kk $kf $kw A), )*)?
                    $( $extra, )?
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::de::object(deserializer)
            }
        }
    };
    // Typed formats (dates, UUIDs): a value that does not parse is an error naming the
    // property, which the crates' own messages ("input contains invalid characters") do not.
    (@named opt $map:ident $wire:literal) => {
        $crate::runtime::de::named($map.next_value(), $wire)?
    };
    (@named $kind:ident $map:ident $wire:literal) => {
        Some($crate::runtime::de::named($map.next_value(), $wire)?)
    };
    (@finish req $field:ident $wire:literal $a:ident) => {
        $crate::runtime::de::required::<_, $a::Error>($field, $wire)?
    };
    (@finish $kind:ident $field:ident $wire:literal $a:ident) => {
        $field
    };
    (@other $map:ident $key:ident) => {{
        $map.next_value::<::serde::de::IgnoredAny>()?;
    }};
    (@other $map:ident $key:ident $extra:ident) => {{
        $extra.insert($key.0.into_owned(), $map.next_value()?);
    }};
}
#[allow(unused_imports)]
pub(crate) use from_map;

/// A string enum: the enum (a variant per known value and `Unknown` for the rest), `as_str`,
/// `From<&str>`, `Display`, serde (a value the client does not know is kept as `Unknown`),
/// equality, order and hashing by wire value, and use as a parameter. One macro call per enum,
/// so that the generated source names each value once and carries the enum's feature gate
/// once (a large API has thousands of enums).
#[allow(unused_macros)]
macro_rules! string_enum {
    (
        $(#[doc = $doc:expr])*
        $(#[cfg($cfg:meta)])*
        pub enum $name:ident { $($variant:ident = $wire:literal),* $(,)? }
    ) => {
        $(#[doc = $doc])*
        $(#[cfg($cfg)])*
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!(" `", $wire, "`")]
                $variant,
            )*
            /// A value this version of the client does not know; kept as sent.
            Unknown(String),
        }

        $(#[cfg($cfg)])*
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        $(#[cfg($cfg)])*
        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        // Compared, ordered and hashed by their wire value: a few lines here instead of five
        // derives in each of the thousands of enums a large API has.
        $(#[cfg($cfg)])*
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        $(#[cfg($cfg)])*
        impl ::std::cmp::Eq for $name {}

        $(#[cfg($cfg)])*
        impl ::std::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        $(#[cfg($cfg)])*
        impl ::std::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        $(#[cfg($cfg)])*
        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state)
            }
        }

        $(#[cfg($cfg)])*
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $(#[cfg($cfg)])*
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        $(#[cfg($cfg)])*
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }

        $(#[cfg($cfg)])*
        impl $crate::runtime::ParamValue for $name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// `Type::new(required..)` and a setter per optional field, in one line per struct: the
/// constructors of types only responses carry, which the `mock` feature compiles for tests
/// (thousands in a large API; as a macro call each is a line of the generated source, so
/// generating and parsing the crate stays quick). Each field is `name kind: Type`, with `s`
/// for a `String` (taken as `impl Into<String>`) and `v` for any other type; an optional
/// field is `setter name kind: Type` with the type inside its `Option`; `extra` is the map of
/// other properties.
#[allow(unused_macros)]
macro_rules! constructor {
    ($name:ident {
        req: [$($rs:ident $rf:ident $rk:ident : $rt:ty = $sample:expr),*],
        opt: [$($os:ident $of:ident $ok:ident : $ot:ty),*] $(,)?
        $(extra: $extra:ident)?
    }) => {
        // Called only under the `mock` feature (a response type's constructor is for tests):
        // docs.rs says so on the impl, which the invocation's own `cfg` does not reach.
        #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
        impl $name {
            /// A value for tests: each required property is the description's example, or a
            /// placeholder of its type (`"string"`, 0, `false`, empty, the first enum value);
            /// the optional ones are unset. Set what the test cares about with the methods
            /// below; a property the API adds later leaves this call as it is.
            #[allow(clippy::new_without_default)]
            pub fn sample() -> Self {
                Self {
                    $($rf: $sample,)*
                    $($of: None,)*
                    $($extra: Default::default(),)?
                }
            }
            $(
                #[doc = concat!(" Sets `", stringify!($rf), "`.")]
                pub fn $rs(mut self, value: $crate::runtime::constructor!(@arg $rk $rt)) -> Self {
                    self.$rf = $crate::runtime::constructor!(@init $rk value);
                    self
                }
            )*
            $(
                #[doc = concat!(" Sets `", stringify!($of), "`.")]
                pub fn $os(mut self, value: $crate::runtime::constructor!(@arg $ok $ot)) -> Self {
                    self.$of = Some($crate::runtime::constructor!(@init $ok value));
                    self
                }
            )*
        }
    };
    (@arg s $t:ty) => { impl Into<String> };
    (@arg v $t:ty) => { $t };
    (@init s $v:ident) => { $v.into() };
    (@init v $v:ident) => { $v };
}
#[allow(unused_imports)]
pub(crate) use constructor;

/// `sample()` of a request type (the `mock` feature), beside the `new(required..)` and setters
/// it always has: the same value `constructor!` gives a response type, each required field
/// `name = sample`, each optional one unset.
#[allow(unused_macros)]
macro_rules! sample {
    ($name:ident {
        req: [$($rf:ident = $sample:expr),*],
        opt: [$($of:ident),*] $(,)?
        $(extra: $extra:ident)?
    }) => {
        #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
        impl $name {
            /// A value for tests: each required property is the description's example, or a
            /// placeholder of its type (`"string"`, 0, `false`, empty, the first enum value);
            /// the optional ones are unset.
            pub fn sample() -> Self {
                Self {
                    $($rf: $sample,)*
                    $($of: None,)*
                    $($extra: Default::default(),)?
                }
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use sample;

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

        /// Overrides the client's `max_body_size` for this request: the largest response body
        /// read whole, in bytes.
        pub fn max_body_size(mut self, bytes: u64) -> Self {
            self.options.max_body_size = Some(bytes);
            self
        }

        /// Overrides the client's `idle_timeout` for this request: the longest pause in a
        /// streamed response body.
        pub fn idle_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options.idle_timeout = Some(timeout);
            self
        }

        /// A limit for the whole of this request's streamed response body, from when its
        /// headers arrive (by default none).
        pub fn stream_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options.stream_timeout = Some(timeout);
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
    crate::runtime::string_enum! {
        /// An enum written the way the generator writes them.
        pub enum Size { Small = "small" }
    }

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
