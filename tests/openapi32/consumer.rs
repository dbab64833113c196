//! The crate generated from `tests/fixtures/openapi32.yaml`, every OpenAPI 3.2 construct at
//! once, against a loopback server that writes its answers in parts: JSON Lines, NDJSON and
//! JSON text sequences typed item by item (split across reads, a bad item an error item, an
//! endless item bounded by `max_event_size`, retries only before the first byte), events
//! decoded whole from `itemSchema`, the QUERY method and `additionalOperations` sent as
//! written and retried by their safety, `in: querystring` in its three serialisations, nested
//! tags as namespaces, and the device-flow token as a bearer credential. Copied into that
//! crate's `tests/` by `tests/tests/openapi32.rs`, which runs it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use openapi32::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One canned answer: the response head (status line and headers, without the blank line)
/// and the body parts, written with a pause between them.
struct Answer {
    head: String,
    parts: Vec<Vec<u8>>,
    pause: Duration,
}

fn answer(status: &str, content_type: &str, parts: Vec<Vec<u8>>, pause: Duration) -> Answer {
    let length: usize = parts.iter().map(Vec::len).sum();
    Answer {
        head: format!("HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {length}"),
        parts,
        pause,
    }
}

/// A request as the server saw it: request line, headers, decoded body.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    head: String,
    body: Vec<u8>,
}

async fn read_more(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 65536];
    match socket.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// Reads one request (a `content-length` or chunked body); `None` when the peer closed.
async fn read_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Seen> {
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if !read_more(socket, buffer).await {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_lowercase();
    let line = String::from_utf8_lossy(&buffer[..head_end]).lines().next().unwrap_or("").to_owned();
    buffer.drain(..head_end);
    let mut body = Vec::new();
    if head.contains("transfer-encoding: chunked") {
        loop {
            let line_end = loop {
                if let Some(i) = buffer.windows(2).position(|w| w == b"\r\n") {
                    break i;
                }
                if !read_more(socket, buffer).await {
                    return None;
                }
            };
            let size = usize::from_str_radix(String::from_utf8_lossy(&buffer[..line_end]).trim(), 16).ok()?;
            while buffer.len() < line_end + 2 + size + 2 {
                if !read_more(socket, buffer).await {
                    return None;
                }
            }
            body.extend_from_slice(&buffer[line_end + 2..line_end + 2 + size]);
            buffer.drain(..line_end + 2 + size + 2);
            if size == 0 {
                break;
            }
        }
    } else {
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < length {
            if !read_more(socket, buffer).await {
                return None;
            }
        }
        body = buffer.drain(..length).collect();
    }
    Some(Seen { line, head, body })
}

/// Serves `answers` in order on 127.0.0.1 (an answer may depend on the request: `reply` gets
/// it and may replace the canned answer); returns the base URL and what was received.
async fn serve(
    answers: Vec<Answer>,
    reply: fn(&Seen) -> Option<Answer>,
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let answers = Arc::new(Mutex::new(answers.into_iter()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let log = log.clone();
            let answers = answers.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                while let Some(request) = read_request(&mut socket, &mut buffer).await {
                    log.lock().unwrap().push(request.clone());
                    let canned = answers.lock().unwrap().next();
                    let Some(answer) = reply(&request).or(canned) else { return };
                    let head = format!("{}\r\n\r\n", answer.head);
                    if socket.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    for part in &answer.parts {
                        tokio::time::sleep(answer.pause).await;
                        if socket.write_all(part).await.is_err() {
                            return;
                        }
                        let _ = socket.flush().await;
                    }
                    // A body without a length (the event streams) ends when the connection does.
                    if answer.head.contains("connection: close") {
                        let _ = socket.shutdown().await;
                        return;
                    }
                }
            });
        }
    });
    (base, seen)
}

fn canned(_: &Seen) -> Option<Answer> {
    None
}

fn client(base: &str, retries: u32) -> Client {
    Client::builder("device-token").base_url(base).max_retries(retries).build().unwrap()
}

/// A streamed answer: no length, ended by closing the connection.
fn streamed(content_type: &str, parts: &[&[u8]], pause: Duration) -> Answer {
    Answer {
        head: format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close"),
        parts: parts.iter().map(|p| p.to_vec()).collect(),
        pause,
    }
}

fn status(line: &str) -> Answer {
    Answer {
        head: format!("HTTP/1.1 {line}\r\ncontent-length: 0"),
        parts: vec![],
        pause: Duration::ZERO,
    }
}

/// JSON Lines items arrive one by one as written: an item split across writes is put
/// together, blank keep-alive lines are skipped, a bad item is an error item and the stream
/// goes on, `\r\n` ends a line too and the last line needs no newline. The form query string
/// is the whole query, and the nested tags are the namespaces.
#[tokio::test]
async fn json_lines_arrive_typed_and_a_bad_item_is_an_error_item() {
    let (base, seen) = serve(
        vec![streamed(
            "application/jsonl",
            &[b"{\"name\":\"A\",\"bo", b"oks\":1}\n", b"\n", b"{bad}\n", b"{\"name\":\"C\"}\r\n", b"{\"name\":\"D\"}"],
            Duration::from_millis(20),
        )],
        canned,
    )
    .await;
    let filter = openapi32::types::AuthorFilter::new().name("Ann B&").tag(vec!["x".into(), "y".into()]);
    let mut authors = client(&base, 0).catalog().authors().list().filter(filter).send().await.unwrap();
    assert_eq!(authors.status(), 200);
    let first = authors.next().await.unwrap().unwrap();
    assert_eq!((first.name.as_str(), first.books), ("A", Some(1)));
    let bad = authors.next().await.unwrap().unwrap_err();
    assert!(bad.to_string().contains("JSON item"), "{bad}");
    assert_eq!(authors.next().await.unwrap().unwrap().name, "C");
    assert_eq!(authors.next().await.unwrap().unwrap().name, "D");
    assert!(authors.next().await.is_none());
    let seen = seen.lock().unwrap().clone();
    assert!(seen[0].line.starts_with("GET /authors?name=Ann+B%26&tag=x&tag=y HTTP/1.1"), "{}", seen[0].line);
    assert!(seen[0].head.contains("accept: application/jsonl"), "{}", seen[0].head);
    assert!(seen[0].head.contains("authorization: bearer device-token"), "{}", seen[0].head);
}

/// JSON text sequences split at record separators; the JSON query string is the value's JSON
/// text, percent-encoded.
#[tokio::test]
async fn json_text_sequences_split_at_record_separators() {
    let (base, seen) = serve(
        vec![streamed(
            "application/json-seq",
            &[b"\x1e{\"name\":\"A\"}\n\x1e{\"na", b"me\":\"B\"}\n", b"\x1e{oops}\n\x1e{\"name\":\"C\"}\n"],
            Duration::from_millis(20),
        )],
        canned,
    )
    .await;
    let selector = openapi32::types::LookupSelector::new().ids(vec![1, 2]);
    let mut authors = client(&base, 0).catalog().authors().lookup(selector).send().await.unwrap();
    assert_eq!(authors.next().await.unwrap().unwrap().name, "A");
    assert_eq!(authors.next().await.unwrap().unwrap().name, "B");
    assert!(authors.next().await.unwrap().is_err());
    assert_eq!(authors.next().await.unwrap().unwrap().name, "C");
    assert!(authors.next().await.is_none());
    let seen = seen.lock().unwrap().clone();
    assert!(seen[0].line.starts_with("GET /authors/lookup?%7B%22ids%22%3A%5B1%2C2%5D%7D HTTP/1.1"), "{}", seen[0].line);
}

/// An NDJSON response whose schema is an array describes the whole sequence: each item is one
/// of its items (here any JSON value). A text query string is percent-encoded whole.
#[tokio::test]
async fn an_array_schema_types_each_item_by_its_items() {
    let (base, seen) = serve(
        vec![streamed("application/x-ndjson", &[b"1\n\"two\"\n{\"three\":3}\n"], Duration::ZERO)],
        canned,
    )
    .await;
    let mut values = client(&base, 0).catalog().authors().at_path("$.a b").send_items().await.unwrap();
    let mut all = Vec::new();
    while let Some(value) = values.next().await {
        all.push(value.unwrap());
    }
    assert_eq!(all, [serde_json::json!(1), serde_json::json!("two"), serde_json::json!({"three": 3})]);
    let seen = seen.lock().unwrap().clone();
    assert!(seen[0].line.starts_with("GET /authors/path?%24.a%20b HTTP/1.1"), "{}", seen[0].line);
}

/// An item that never ends (4 MiB here, endless on a hostile server) ends the stream with a
/// limit error at `max_event_size`, after the items before it.
#[tokio::test]
async fn an_endless_item_ends_the_stream_at_the_limit() {
    let mut parts: Vec<Vec<u8>> = vec![b"{\"name\":\"ok\"}\n{\"name\":\"".to_vec()];
    parts.extend((0..64).map(|_| vec![b'a'; 64 * 1024]));
    let (base, _) = serve(vec![Answer { parts, ..streamed("application/jsonl", &[], Duration::ZERO) }], canned).await;
    let client = Client::builder("t").base_url(&base).max_retries(0).max_event_size(64 * 1024).build().unwrap();
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
    let busy = Answer { head: "HTTP/1.1 503 Service Unavailable\r\nretry-after: 0\r\ncontent-length: 0".into(), parts: vec![], pause: Duration::ZERO };
    let cut = Answer {
        head: "HTTP/1.1 200 OK\r\ncontent-type: application/jsonl\r\ncontent-length: 100\r\nconnection: close".into(),
        parts: vec![b"{\"name\":\"A\"}\n{\"name\":".to_vec()],
        pause: Duration::ZERO,
    };
    let (base, seen) = serve(vec![busy, cut], canned).await;
    let mut authors = client(&base, 3).catalog().authors().list().send().await.unwrap();
    assert_eq!(authors.next().await.unwrap().unwrap().name, "A");
    // The body ends 85 bytes short: an error, not a second request.
    assert!(authors.next().await.unwrap().is_err());
    assert!(authors.next().await.is_none());
    assert_eq!(seen.lock().unwrap().len(), 2);
}

/// Events typed from `itemSchema`: each is the whole event, its JSON data decoded by
/// `contentSchema`, the last id kept across events, a bad one an error item.
#[tokio::test]
async fn events_decode_whole_with_their_json_data() {
    let (base, seen) = serve(
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
        )],
        canned,
    )
    .await;
    let mut events = client(&base, 0).feed().send().await.unwrap();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!((first.event.as_deref(), first.id.as_deref()), (Some("added"), Some("7")));
    assert_eq!((first.data.id.as_str(), first.data.title.as_str()), ("b1", "T"));
    assert!(events.next().await.unwrap().is_err());
    let third = events.next().await.unwrap().unwrap();
    assert_eq!((third.event, third.id.as_deref(), third.retry), (None, Some("7"), Some(100)));
    assert_eq!(third.data.id, "b2");
    assert!(events.next().await.is_none());
    assert!(seen.lock().unwrap()[0].head.contains("accept: text/event-stream"));
}

/// Events whose data is text keep it as text: `[DONE]` is data there, not an end marker.
#[tokio::test]
async fn events_with_text_data_keep_it_as_text() {
    let (base, _) = serve(
        vec![streamed("text/event-stream", &[b"data: [DONE]\n\n", b"event: line\ndata: two\ndata: lines\n\n"], Duration::ZERO)],
        canned,
    )
    .await;
    let mut events = client(&base, 0).log().send().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data.as_deref(), Some("[DONE]"));
    let second = events.next().await.unwrap().unwrap();
    assert_eq!((second.event.as_deref(), second.data.as_deref()), (Some("line"), Some("two\nlines")));
    assert!(events.next().await.is_none());
}

/// QUERY is sent as written, with its body, and retried after a server error like GET: the
/// method is safe and idempotent.
#[tokio::test]
async fn query_is_sent_as_written_and_retried_as_idempotent() {
    let ok = answer(
        "200 OK",
        "application/json",
        vec![b"[{\"id\":\"1\",\"title\":\"T\"}]".to_vec()],
        Duration::ZERO,
    );
    let (base, seen) = serve(vec![status("500 Internal Server Error"), ok], canned).await;
    let filter = openapi32::types::Filter::new().title("T");
    let books = client(&base, 2).catalog().books().search().body(filter).send().await.unwrap();
    assert_eq!(books[0].title, "T");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].line.starts_with("QUERY /books HTTP/1.1"), "{}", seen[1].line);
    assert_eq!(seen[1].body, b"{\"title\":\"T\"}");
}

/// A method of `additionalOperations` is sent exactly as written and, being unknown, is not
/// retried after a server error (it may have acted); a 503 with `Retry-After` says it did
/// not, and is retried.
#[tokio::test]
async fn other_methods_are_sent_as_written_and_not_retried_after_an_error() {
    let (base, seen) = serve(vec![status("502 Bad Gateway"), status("502 Bad Gateway")], canned).await;
    let error = client(&base, 2).catalog().books().link("b1", "</authors/a1>; rel=\"author\"").send().await.unwrap_err();
    assert_eq!(error.status(), Some(502));
    let seen_now = seen.lock().unwrap().clone();
    assert_eq!(seen_now.len(), 1);
    assert!(seen_now[0].line.starts_with("LINK /books/b1 HTTP/1.1"), "{}", seen_now[0].line);
    assert!(seen_now[0].head.contains("link: </authors/a1>; rel=\"author\""));

    let busy = Answer { head: "HTTP/1.1 503 Service Unavailable\r\nretry-after: 0\r\ncontent-length: 0".into(), parts: vec![], pause: Duration::ZERO };
    let (base, seen) = serve(vec![busy, status("204 No Content")], canned).await;
    client(&base, 2).catalog().books().link("b1", "x").send().await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), 2);
}
