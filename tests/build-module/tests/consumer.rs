//! The module generated at build time sends a real request and reads the answer, against the
//! loopback server of `clientgen_tests`.

use build_module::api::{self, pets};
use clientgen_tests::{Reply, Server};

#[tokio::test]
async fn the_generated_module_calls_the_api() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"id": "p1", "name": "Rex", "kind": "dog"}"#,
    )]);
    let client = pets::Client::builder("t0ken")
        .base_url(server.url())
        .build()
        .expect("a client");
    let pet = api::adopt(&client, "Rex").await.expect("the call succeeds");
    assert_eq!(pet.id, "p1");
    assert_eq!(pet.kind, Some(pets::Kind::Dog));
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let request = &requests[0];
    assert_eq!(request.line(), "POST /pets HTTP/1.1");
    assert_eq!(
        request.header("authorization"),
        Some("Bearer t0ken"),
        "{}",
        request.text()
    );
    assert_eq!(
        request.body_text(),
        r#"{"name":"Rex","kind":"dog","tag":"adopted"}"#
    );
}
