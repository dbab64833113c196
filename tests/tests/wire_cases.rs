//! The wire cases of `tests/fixtures/wire_cases.yaml` (each a way a real description was sent
//! or read wrongly) against a loopback server: the crate generated from it gets the consumer
//! test `tests/wire_cases/wire.rs`, which runs with `cargo test` in a scratch workspace. The
//! conformance runner calls the same crate against Prism.

mod common;

#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn wire_cases_send_and_read_what_the_description_says() {
    let (_, stdout) = common::run_consumer_test(
        "tests/fixtures/wire_cases.yaml",
        "wire_cases",
        "tests/wire_cases/wire.rs",
        &[],
    );
    assert!(stdout.contains("test result: ok. 10 passed"), "{stdout}");
}
