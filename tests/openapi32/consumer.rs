//! The crate generated from `tests/fixtures/openapi32.yaml`, every OpenAPI 3.2 construct at
//! once, against a loopback server that writes its answers in parts: JSON Lines, NDJSON and
//! JSON text sequences typed item by item (split across reads, a bad item an error item, an
//! endless item bounded by `max_event_size`, retries only before the first byte), events
//! decoded whole from `itemSchema`, the QUERY method and `additionalOperations` sent as
//! written and retried by their safety, `in: querystring` in its three serialisations, nested
//! tags as namespaces, and the device-flow token as a bearer credential. Copied into that
//! crate's `tests/` by `tests/tests/openapi32.rs`, which runs it.

use std::time::Duration;

use clientgen_tests::{Reply, Server};
use openapi32::Client;

fn client(base: &str, retries: u32) -> Client {
    Client::builder("device-token").base_url(base).max_retries(retries).build().unwrap()
}

/// A streamed answer: no length, the `parts` written each after `pause`, ended by closing the
/// connection.
fn streamed(content_type: &str, parts: &[&[u8]], pause: Duration) -> Reply {
    Reply::status(200)
        .header("content-type", content_type)
        .parts(parts.iter().map(|p| p.to_vec()), pause)
        .until_close()
}

/// A 503 that allows a retry at once.
fn busy() -> Reply {
    Reply::status(503).header("retry-after", "0")
}

/// JSON Lines items arrive one by one as written: an item split across writes is put
/// together, blank keep-alive lines are skipped, a bad item is an error item and the stream
/// goes on, `\r\n` ends a line too and the last line needs no newline. The form query string
/// is the whole query, and the nested tags are the namespaces.
#[tokio::test]
async fn json_lines_arrive_typed_and_a_bad_item_is_an_error_item() {
    let server = Server::start(
        vec![streamed(
            "application/jsonl",
            &[b"{\"name\":\"A\",\"bo", b"oks\":1}\n", b"\n", b"{bad}\n", b"{\"name\":\"C\"}\r\n", b"{\"name\":\"D\"}"],
            Duration::from_millis(20),
        )]
    );
    let filter = openapi32::types::AuthorFilter::new().name("Ann B&").tag(vec!["x".into(), "y".into()]);
    let mut authors = client(&server.url(), 0).catalog().authors().list().filter(filter).send().await.unwrap();
    assert_eq!(authors.status(), 200);
    let first = authors.next().await.unwrap().unwrap();
    assert_eq!((first.name.as_str(), first.books), ("A", Some(1)));
    let bad = authors.next().await.unwrap().unwrap_err();
    assert!(bad.to_string().contains("JSON item"), "{bad}");
    assert_eq!(authors.next().await.unwrap().unwrap().name, "C");
    assert_eq!(authors.next().await.unwrap().unwrap().name, "D");
    assert!(authors.next().await.is_none());
    let seen = server.requests();
    assert_eq!(seen[0].line(), "GET /authors?name=Ann+B%26&tag=x&tag=y HTTP/1.1");
    assert_eq!(seen[0].header("accept"), Some("application/jsonl"), "{}", seen[0].text());
    assert_eq!(seen[0].header("authorization"), Some("Bearer device-token"), "{}", seen[0].text());
}

/// JSON text sequences split at record separators; the JSON query string is the value's JSON
/// text, percent-encoded.
#[tokio::test]
async fn json_text_sequences_split_at_record_separators() {
    let server = Server::start(
        vec![streamed(
            "application/json-seq",
            &[b"\x1e{\"name\":\"A\"}\n\x1e{\"na", b"me\":\"B\"}\n", b"\x1e{oops}\n\x1e{\"name\":\"C\"}\n"],
            Duration::from_millis(20),
        )]
    );
    let selector = openapi32::types::LookupSelector::new().ids(vec![1, 2]);
    let mut authors = client(&server.url(), 0).catalog().authors().lookup(selector).send().await.unwrap();
    assert_eq!(authors.next().await.unwrap().unwrap().name, "A");
    assert_eq!(authors.next().await.unwrap().unwrap().name, "B");
    assert!(authors.next().await.unwrap().is_err());
    assert_eq!(authors.next().await.unwrap().unwrap().name, "C");
    assert!(authors.next().await.is_none());
    let seen = server.requests();
    assert_eq!(seen[0].line(), "GET /authors/lookup?%7B%22ids%22%3A%5B1%2C2%5D%7D HTTP/1.1");
}

/// An NDJSON response whose schema is an array describes the whole sequence: each item is one
/// of its items (here any JSON value). A text query string is percent-encoded whole.
#[tokio::test]
async fn an_array_schema_types_each_item_by_its_items() {
    let server = Server::start(
        vec![streamed("application/x-ndjson", &[b"1\n\"two\"\n{\"three\":3}\n"], Duration::ZERO)]
    );
    let mut values = client(&server.url(), 0).catalog().authors().at_path("$.a b").send_items().await.unwrap();
    let mut all = Vec::new();
    while let Some(value) = values.next().await {
        all.push(value.unwrap());
    }
    assert_eq!(all, [serde_json::json!(1), serde_json::json!("two"), serde_json::json!({"three": 3})]);
    let seen = server.requests();
    assert_eq!(seen[0].line(), "GET /authors/path?%24.a%20b HTTP/1.1");
}

/// An item that never ends (4 MiB here, endless on a hostile server) ends the stream with a
/// limit error at `max_event_size`, after the items before it.
#[tokio::test]
async fn an_endless_item_ends_the_stream_at_the_limit() {
    let mut parts: Vec<Vec<u8>> = vec![b"{\"name\":\"ok\"}\n{\"name\":\"".to_vec()];
    parts.extend((0..64).map(|_| vec![b'a'; 64 * 1024]));
    let server = Server::start(vec![streamed("application/jsonl", &[], Duration::ZERO).parts(parts, Duration::ZERO)]);
    let client = Client::builder("t").base_url(server.url()).max_retries(0).max_event_size(64 * 1024).build().unwrap();
    let mut authors = client.catalog().authors().list().send().await.unwrap();
    assert_eq!(authors.next().await.unwrap().unwrap().name, "ok");
    match authors.next().await {
        Some(Err(openapi32::Error::LimitExceeded(limit))) => {
            assert_eq!(limit.what(), "JSON item");
            assert_eq!(limit.limit(), 64 * 1024);
            assert_eq!(limit.setting(), "max_event_size");
        }
        other => panic!("expected a limit error, got {other:?}"),
    }
    assert!(authors.next().await.is_none());
}

/// A request for items is retried before the stream starts, never after its first byte: a
/// stream cut short ends with what arrived.
#[tokio::test]
async fn items_are_retried_only_before_the_first_byte() {
    let cut = Reply::status(200)
        .header("content-type", "application/jsonl")
        .body(b"{\"name\":\"A\"}\n{\"name\":".to_vec())
        .content_length(100)
        .close();
    let server = Server::start(vec![busy(), cut]);
    let mut authors = client(&server.url(), 3).catalog().authors().list().send().await.unwrap();
    assert_eq!(authors.next().await.unwrap().unwrap().name, "A");
    // The body ends 85 bytes short: an error, not a second request.
    assert!(authors.next().await.unwrap().is_err());
    assert!(authors.next().await.is_none());
    assert_eq!(server.count(), 2);
}

/// Events typed from `itemSchema`: each is the whole event, its JSON data decoded by
/// `contentSchema`, the last id kept across events, a bad one an error item.
#[tokio::test]
async fn events_decode_whole_with_their_json_data() {
    let server = Server::start(
        vec![streamed(
            "text/event-stream",
            &[
                b": hello\nevent: added\nid: 7\ndata: {\"id\":\"b1\",",
                b"\"title\":\"T\"}\n\n",
                b"data: {bad}\n\n",
                b"retry: 100\ndata: {\"id\":\"b2\",\"title\":\"U\"}\n\n",
                b"data: [DONE]\n\ndata: {\"id\":\"late\",\"title\":\"\"}\n\n",
            ],
            Duration::from_millis(20),
        )]
    );
    let mut events = client(&server.url(), 0).feed().send().await.unwrap();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!((first.event.as_deref(), first.id.as_deref()), (Some("added"), Some("7")));
    assert_eq!((first.data.id.as_str(), first.data.title.as_str()), ("b1", "T"));
    assert!(events.next().await.unwrap().is_err());
    let third = events.next().await.unwrap().unwrap();
    assert_eq!((third.event, third.id.as_deref(), third.retry), (None, Some("7"), Some(100)));
    assert_eq!(third.data.id, "b2");
    assert!(events.next().await.is_none());
    let seen = server.requests();
    assert_eq!(seen[0].header("accept"), Some("text/event-stream"), "{}", seen[0].text());
}

/// Events whose data is text keep it as text: `[DONE]` is data there, not an end marker.
#[tokio::test]
async fn events_with_text_data_keep_it_as_text() {
    let server = Server::start(
        vec![streamed("text/event-stream", &[b"data: [DONE]\n\n", b"event: line\ndata: two\ndata: lines\n\n"], Duration::ZERO)]
    );
    let mut events = client(&server.url(), 0).log().send().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data.as_deref(), Some("[DONE]"));
    let second = events.next().await.unwrap().unwrap();
    assert_eq!((second.event.as_deref(), second.data.as_deref()), (Some("line"), Some("two\nlines")));
    assert!(events.next().await.is_none());
}

/// QUERY is sent as written, with its body, and retried after a server error like GET: the
/// method is safe and idempotent.
#[tokio::test]
async fn query_is_sent_as_written_and_retried_as_idempotent() {
    let ok = Reply::json(200, "[{\"id\":\"1\",\"title\":\"T\"}]");
    let server = Server::start(vec![Reply::status(500), ok]);
    let filter = openapi32::types::Filter::new().title("T");
    let books = client(&server.url(), 2).catalog().books().search().body(filter).send().await.unwrap();
    assert_eq!(books[0].title, "T");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].line(), "QUERY /books HTTP/1.1");
    assert_eq!(seen[1].body, b"{\"title\":\"T\"}");
}

/// A method of `additionalOperations` is sent exactly as written and, being unknown, is not
/// retried after a server error (it may have acted); a 503 with `Retry-After` says it did
/// not, and is retried.
#[tokio::test]
async fn other_methods_are_sent_as_written_and_not_retried_after_an_error() {
    let server = Server::start(vec![Reply::status(502), Reply::status(502)]);
    let error = client(&server.url(), 2).catalog().books().link("b1", "</authors/a1>; rel=\"author\"").send().await.unwrap_err();
    assert_eq!(error.status(), Some(502));
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].line(), "LINK /books/b1 HTTP/1.1");
    assert_eq!(seen[0].header("link"), Some("</authors/a1>; rel=\"author\""), "{}", seen[0].text());

    let server = Server::start(vec![busy(), Reply::status(204)]);
    client(&server.url(), 2).catalog().books().link("b1", "x").send().await.unwrap();
    assert_eq!(server.count(), 2);
}
