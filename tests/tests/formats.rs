//! Typed formats on the wire: the crate generated from `tests/fixtures/formats.yaml` gets the
//! consumer test `tests/formats/formats.rs` (parameters sent in their JSON text, values
//! decoded into chrono and uuid types, a value that does not parse is a decode error naming
//! its property), and that test runs with `cargo test` in a scratch workspace.

mod common;

#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn dates_times_and_uuids_are_typed_on_the_wire() {
    let (_, stdout) = common::run_consumer_test(
        "tests/fixtures/formats.yaml",
        "formats",
        "tests/formats/formats.rs",
        &[],
    );
    assert!(stdout.contains("test result: ok. 2 passed"), "{stdout}");
}
