//! Streamed bodies on the wire: the crate generated from `tests/fixtures/streaming.yaml` gets
//! the consumer test `tests/streaming/streams.rs` (a loopback server writing in parts with
//! delays: downloads read as they arrive, uploads from bytes, a stream and a file, streamed
//! uploads never replayed, server-sent events typed, `[DONE]`, retries only before the first
//! byte; hostile servers: endless lines, event data and comments bounded by `max_event_size`,
//! stalled streams ended by `idle_timeout`, healthy ones outliving the request's timeout, a
//! caller's `stream_timeout`, bodies read whole bounded by `max_body_size`), and that test runs
//! with `cargo test` in a scratch workspace.

mod common;

#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn streamed_bodies_and_events_on_the_wire() {
    let (_, stdout) = common::run_consumer_test(
        "tests/fixtures/streaming.yaml",
        "streaming",
        "tests/streaming/streams.rs",
        // The typed mocks are tested too.
        &["--features", "mock"],
    );
    assert!(
        stdout.contains("test result: ok. 19 passed; 0 failed; 1 ignored"),
        "{stdout}"
    );
}
