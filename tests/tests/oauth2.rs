//! OAuth 2 client credentials: the consumer test `tests/oauth2/oauth2.rs` runs against the
//! crate generated from `tests/fixtures/oauth2.yaml`, with a loopback token server and API
//! server (see that file for what each test tries to break), together with the examples of
//! the consumer guide's "OAuth 2" section.

mod common;

/// The generated client gets, caches and renews its own tokens, one request at a time.
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn client_credentials_tokens_are_got_cached_renewed_and_kept_to_their_origin() {
    let test_file = "tests/oauth2/oauth2.rs";
    let mut source = std::fs::read_to_string(common::root().join(test_file)).unwrap();
    source.push_str(&common::guide_examples("## OAuth 2"));
    let (warnings, stdout) = common::run_consumer_source(
        "tests/fixtures/oauth2.yaml",
        "oauth_api",
        test_file,
        &source,
        &["--features", "mock"],
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    // 15 tests of the consumer test and the guide's one.
    assert!(stdout.contains("test result: ok. 16 passed"), "{stdout}");
    assert!(
        stdout.contains("guide_example_1::one_token_for_two_calls ... ok"),
        "{stdout}"
    );
}
