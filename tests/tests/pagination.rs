//! Auto-pagination on the wire: the crate generated from `tests/fixtures/pagination.yaml`
//! gets the consumer test `tests/pagination/pages.rs` (a loopback server answering each page
//! in turn: three pages then the end for each shape (body cursor, query token, Stripe's
//! `starting_after`, an offset with a total, GitHub's `Link` header), an error on page two, a repeated
//! cursor, laziness, the builder's options on every page), and that test runs with
//! `cargo test` in a scratch workspace sharing the generated-check target dir.

mod common;

#[test]
#[ignore = "compiles generated crates: run by `cargo test-crates`"]
fn pages_and_items_follow_every_shape_on_the_wire() {
    let (warnings, stdout) = common::run_consumer_test(
        "tests/fixtures/pagination.yaml",
        "pagination",
        "tests/pagination/pages.rs",
        // The typed mocks are tested too.
        &["--features", "mock"],
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
            "#/paths/~1records/get",
            "#/paths/~1events/get"
        ]
    );
    assert!(stdout.contains("test result: ok. 11 passed"), "{stdout}");
}

/// The search operations of Stytch's official description (organizations, members, users,
/// connected-app clients, M2M clients) are paginated as the description is, without the
/// extension. Skipped where `../shared` is absent.
#[test]
#[ignore = "needs ../shared: run by `cargo test-shared`"]
fn stytchs_official_search_operations_are_paginated() {
    let Some(shared) = common::shared() else {
        common::skip_or_fail("../shared/specs/stytch/openapi.yml is not beside this checkout");
        return;
    };
    let text = std::fs::read_to_string(shared.join("specs/stytch/openapi.yml"))
        .expect("read Stytch's official description");
    let options = clientgen::Options {
        jobs: 0,
        ..clientgen::Options::new("stytch-official", "openapi.yml")
    };
    let output = clientgen::generate(&text, &options).expect("it generates");
    let paginated: Vec<&str> = output
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("paginated"))
        .map(|w| w.pointer.as_str())
        .collect();
    for search in [
        "#/paths/~1v1~1b2b~1organizations~1search/post",
        "#/paths/~1v1~1b2b~1organizations~1members~1search/post",
        "#/paths/~1v1~1users~1search/post",
        "#/paths/~1v1~1connected_apps~1clients~1search/post",
        "#/paths/~1v1~1m2m~1clients~1search/post",
    ] {
        assert!(
            paginated.contains(&search),
            "{search} is not paginated: {paginated:?}"
        );
    }
    let operations = output
        .files
        .iter()
        .find(|f| f.path == std::path::Path::new("src/operations.rs"))
        .expect("operations.rs");
    assert!(
        operations
            .contents
            .contains("b.body.cursor = Some(cursor);")
    );
}
