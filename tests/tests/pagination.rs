//! Auto-pagination on the wire: the crate generated from `tests/fixtures/pagination.yaml`
//! gets the consumer test `tests/pagination/pages.rs` (a loopback server answering each page
//! in turn: three pages then the end for each shape, an error on page two, a repeated
//! cursor, laziness, the builder's options on every page), and that test runs with
//! `cargo test` in a scratch workspace sharing the generated-check target dir.

mod common;

#[test]
fn pages_and_items_follow_every_shape_on_the_wire() {
    let (warnings, stdout) = common::run_consumer_test(
        "tests/fixtures/pagination.yaml",
        "pagination",
        "tests/pagination/pages.rs",
        &[],
    );
    // What was inferred is reported, one warning per paginated operation.
    let reported: Vec<&str> = warnings
        .iter()
        .filter(|w| w.message.starts_with("paginated"))
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        reported,
        [
            "#/paths/~1members~1search/post",
            "#/paths/~1instances/get",
            "#/paths/~1charges/get",
            "#/paths/~1repos/get",
            "#/paths/~1events/get"
        ]
    );
    assert!(stdout.contains("test result: ok. 8 passed"), "{stdout}");
}
