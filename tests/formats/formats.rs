//! Typed formats of the crate generated from `tests/fixtures/formats.yaml`, against a loopback
//! server: parameters sent in their JSON text, values decoded into chrono and uuid types, and
//! a value that does not parse is a decode error naming its property. Copied into that crate's
//! `tests/` by `tests/tests/formats.rs`, which runs it.

use std::sync::{Arc, Mutex};

use formats::chrono::{Datelike, TimeZone};
use formats::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers each request with `body`; returns the base URL and the request lines received.
async fn serve(body: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let log = log.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                loop {
                    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                        let mut chunk = [0u8; 4096];
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let end = buffer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                    let head = String::from_utf8_lossy(&buffer[..end]).to_string();
                    buffer.drain(..end);
                    log.lock().unwrap().push(head.lines().next().unwrap_or("").to_owned());
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (base, seen)
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).max_retries(0).build().unwrap()
}

#[tokio::test]
async fn formats_are_typed_both_ways() {
    let (base, seen) = serve(
        r#"{"id":"123e4567-e89b-42d3-a456-426614174000","at":"2024-01-02T03:04:05+02:00","day":"2024-02-29","ended":null,"seen":["2024-01-02T03:04:05Z"]}"#,
    )
    .await;
    let id = formats::uuid::Uuid::parse_str("123e4567-e89b-42d3-a456-426614174000").unwrap();
    let since = formats::chrono::FixedOffset::east_opt(0)
        .unwrap()
        .with_ymd_and_hms(2024, 1, 2, 3, 4, 5)
        .unwrap();
    let day = formats::chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let event = client(&base)
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
        seen.lock().unwrap()[0],
        "GET /events/123e4567-e89b-42d3-a456-426614174000?since=2024-01-02T03%3A04%3A05Z&day=2024-02-29 HTTP/1.1"
    );
}

#[tokio::test]
async fn a_value_that_does_not_parse_names_its_property() {
    let (base, _) =
        serve(r#"{"id":"123e4567-e89b-42d3-a456-426614174000","at":"yesterday at noon"}"#).await;
    let id = formats::uuid::Uuid::nil();
    let error = client(&base).events().get(id).send().await.unwrap_err();
    let text = error.to_string();
    assert!(text.contains("`at`"), "{text}");
    assert!(matches!(error, formats::Error::Decode(_)), "{error:?}");

    let (base, _) = serve(r#"{"id":"not-a-uuid","at":"2024-01-02T03:04:05Z"}"#).await;
    let error = client(&base).events().get(id).send().await.unwrap_err();
    assert!(error.to_string().contains("`id`"), "{error}");
}
