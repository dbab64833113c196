//! OAuth 2 client credentials: the consumer test `tests/oauth2/oauth2.rs` runs against the
//! crate generated from `tests/fixtures/oauth2.yaml`, with a loopback token server and API
//! server (see that file for what each test tries to break), together with the examples of
//! the consumer guide's "OAuth 2" section.

mod common;

/// The `rust,ignore` blocks of the consumer guide's "OAuth 2" section, each a module: written
/// for the fixture's crate, they cannot be doctests of this crate, so they are compiled (and
/// their tests run) with the consumer test.
fn guide_examples() -> String {
    let guide = std::fs::read_to_string(common::root().join("docs/consumer-guide.md"))
        .expect("read the consumer guide");
    let start = guide
        .find("\n## OAuth 2")
        .expect("the guide has an OAuth 2 section");
    let section = &guide[start + 1..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut out = String::new();
    for (i, block) in section.split("```rust,ignore\n").skip(1).enumerate() {
        let code = &block[..block.find("```").expect("a closed code block")];
        out.push_str(&format!(
            "\n#[allow(dead_code)]\nmod guide_example_{i} {{\n{code}}}\n"
        ));
    }
    assert!(out.matches("mod guide_example_").count() >= 2, "{section}");
    out
}

/// The generated client gets, caches and renews its own tokens, one request at a time.
#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn client_credentials_tokens_are_got_cached_renewed_and_kept_to_their_origin() {
    let test_file = "tests/oauth2/oauth2.rs";
    let mut source = std::fs::read_to_string(common::root().join(test_file)).unwrap();
    source.push_str(&guide_examples());
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
