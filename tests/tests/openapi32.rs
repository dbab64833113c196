//! OpenAPI 3.2 on the wire: the crate generated from `tests/fixtures/openapi32.yaml` (every 3.2
//! construct at once) gets the consumer test `tests/openapi32/consumer.rs`, which runs with
//! `cargo test` in a scratch workspace against a loopback server, warnings denied.

mod common;

#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn every_openapi_32_construct_on_the_wire() {
    let (warnings, stdout) = common::run_consumer_test(
        "tests/fixtures/openapi32.yaml",
        "openapi32",
        "tests/openapi32/consumer.rs",
        &[],
    );
    assert!(
        stdout.contains("test result: ok. 9 passed; 0 failed"),
        "{stdout}"
    );
    // What is not supported yet is said at its pointer, and nothing else is reported.
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(
        warnings.iter().all(|w| w.contains("/paths/~1batch/post/")),
        "{warnings:#?}"
    );
}
