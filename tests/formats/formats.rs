//! Typed formats of the crate generated from `tests/fixtures/formats.yaml`, against a loopback
//! server: parameters sent in their JSON text, values decoded into chrono and uuid types, and
//! a value that does not parse is a decode error naming its property. Copied into that crate's
//! `tests/` by `tests/tests/formats.rs`, which runs it.

use clientgen_tests::{Reply, Server};
use formats::chrono::{Datelike, TimeZone};
use formats::Client;

/// A server answering each request with `body`.
fn serve(body: &str) -> Server {
    Server::start(vec![Reply::json(200, body)])
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).max_retries(0).build().unwrap()
}

#[tokio::test]
async fn formats_are_typed_both_ways() {
    let server = serve(
        r#"{"id":"123e4567-e89b-42d3-a456-426614174000","at":"2024-01-02T03:04:05+02:00","day":"2024-02-29","ended":null,"seen":["2024-01-02T03:04:05Z"]}"#,
    );
    let id = formats::uuid::Uuid::parse_str("123e4567-e89b-42d3-a456-426614174000").unwrap();
    let since = formats::chrono::FixedOffset::east_opt(0)
        .unwrap()
        .with_ymd_and_hms(2024, 1, 2, 3, 4, 5)
        .unwrap();
    let day = formats::chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let event = client(&server.url())
        .events()
        .get(id)
        .since(since)
        .day(day)
        .send()
        .await
        .unwrap();
    assert_eq!(event.id, id);
    // The offset is kept as sent.
    assert_eq!(event.at.offset().local_minus_utc(), 7200);
    assert_eq!(event.at.timestamp(), since.timestamp() - 7200);
    assert_eq!(event.day.unwrap().day(), 29);
    assert_eq!(event.ended, Some(None));
    assert_eq!(event.seen.unwrap()[0].timestamp(), since.timestamp());
    assert_eq!(
        server.requests()[0].line(),
        "GET /events/123e4567-e89b-42d3-a456-426614174000?since=2024-01-02T03%3A04%3A05Z&day=2024-02-29 HTTP/1.1"
    );
}

#[tokio::test]
async fn a_value_that_does_not_parse_names_its_property() {
    let server = serve(r#"{"id":"123e4567-e89b-42d3-a456-426614174000","at":"yesterday at noon"}"#);
    let id = formats::uuid::Uuid::nil();
    let error = client(&server.url()).events().get(id).send().await.unwrap_err();
    let text = error.to_string();
    assert!(text.contains("`at`"), "{text}");
    assert!(matches!(error, formats::Error::Decode(_)), "{error:?}");

    let server = serve(r#"{"id":"not-a-uuid","at":"2024-01-02T03:04:05Z"}"#);
    let error = client(&server.url()).events().get(id).send().await.unwrap_err();
    assert!(error.to_string().contains("`id`"), "{error}");
}
