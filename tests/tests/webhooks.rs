//! Webhooks: the consumer test `tests/webhooks/webhooks.rs` runs against the crate generated
//! from `tests/fixtures/webhooks.yaml` with its `webhooks` and `mock` features (see that file
//! for what each test tries to break), together with the examples of the consumer guide's
//! "Receiving webhooks" section; and the crate checks clean without the feature.

mod common;

/// Signatures against published vectors and every way to break them, and events told apart.
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn webhook_signatures_are_checked_and_events_told_apart() {
    let test_file = "tests/webhooks/webhooks.rs";
    let mut source = std::fs::read_to_string(common::root().join(test_file)).unwrap();
    source.push_str(&common::guide_examples("## Receiving webhooks"));
    let (warnings, stdout) = common::run_consumer_source(
        "tests/fixtures/webhooks.yaml",
        "webhooks_api",
        test_file,
        &source,
        &["--features", "webhooks,mock"],
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    // 8 tests of the consumer test and the guide's one.
    assert!(stdout.contains("test result: ok. 9 passed"), "{stdout}");
    assert!(
        stdout.contains("guide_example_1::a_signed_event_is_read_and_a_forged_one_refused ... ok"),
        "{stdout}"
    );
    // The crate checks clean without the feature (its default features), and with only it.
    let dir = common::root().join("target/webhooks_api-crates");
    for args in [
        &["-p", "webhooks_api"][..],
        &[
            "-p",
            "webhooks_api",
            "--no-default-features",
            "--features",
            "webhooks",
        ],
    ] {
        let stderr = common::run_cargo_check(&dir, args);
        assert!(
            common::member_errors(&stderr, "webhooks_api").is_none(),
            "{args:?}:\n{stderr}"
        );
    }
}
