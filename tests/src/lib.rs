//! Test support for the loopback tests of generated clients: the tests in `tests/tests/` of
//! the generated `stytch-b2b` client, and the consumer tests that `tests/tests/` copies into
//! crates generated from fixtures (`tests/formats/`, `tests/pagination/`, ...), which depend on
//! this crate by path. It depends on tokio only, so that it builds quickly in those crates.
//!
//! [`Server`] is the one loopback HTTP/1.1 server of all of them; see [`server`].
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

pub mod server;

pub use server::{Recorded, Reply, Server, unused_url};

/// The README's Rust example, compiled as a doctest so that it cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExample;

/// The consumer guide's Rust examples (the client, the typed mocks), compiled likewise.
#[doc = include_str!("../../docs/consumer-guide.md")]
#[cfg(doctest)]
pub struct ConsumerGuideExamples;
