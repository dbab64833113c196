//! Streamed bodies of the crate generated from `tests/fixtures/streaming.yaml`, against a
//! loopback server that writes its answers in parts, with delays: binary downloads read as
//! they arrive, uploads from bytes, a stream and a file, server-sent events. Copied into that
//! crate's `tests/` by `tests/tests/streaming.rs`, which runs it. The 1 GiB download is an
//! ignored test that `bench/streaming.sh` runs to measure its memory.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use clientgen_tests::{Recorded, Reply, Server};
use streaming::streaming::{Bytes, UploadBody};
use streaming::Client;

/// An answer with a length: `status`, `content-type` and the body written in `parts`, each
/// after `pause`.
fn answer<P: Into<Vec<u8>>>(status: u16, content_type: &str, parts: impl IntoIterator<Item = P>, pause: Duration) -> Reply {
    Reply::status(status).header("content-type", content_type).parts(parts, pause)
}

/// A 503 that allows a retry at once.
fn busy() -> Reply {
    Reply::status(503).header("retry-after", "0")
}

fn client(base: &str, retries: u32) -> Client {
    Client::builder().base_url(base).max_retries(retries).build().unwrap()
}

/// A download is read chunk by chunk as the server writes it.
#[tokio::test]
async fn a_download_arrives_in_chunks() {
    let parts: Vec<Vec<u8>> = (0..4u8).map(|i| vec![i; 1000]).collect();
    let server = Server::start(
        vec![answer(200, "application/octet-stream", parts, Duration::from_millis(30))]
    );
    let client = client(&server.url(), 0);
    let mut stream = client.files().download("f").send_stream().await.unwrap();
    assert_eq!(stream.status(), 200);
    let mut chunks = 0;
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk: Bytes = chunk.unwrap();
        chunks += 1;
        body.extend_from_slice(&chunk);
    }
    assert_eq!(body.len(), 4000);
    assert_eq!(&body[3000..3003], &[3, 3, 3]);
    // Written in four parts 30 ms apart: read as they came, not as one buffered body.
    assert!(chunks >= 4, "{chunks} chunks");
}

/// The buffered `send()` of the same operation still returns the whole body.
#[tokio::test]
async fn the_buffered_download_still_works() {
    let server = Server::start(
        vec![answer(200, "application/octet-stream", vec![b"abc".to_vec(), b"def".to_vec()], Duration::ZERO)]
    );
    let client = client(&server.url(), 0);
    assert_eq!(client.files().download("f").send().await.unwrap(), b"abcdef");
}

/// An error status is read whole and typed as every error is.
#[tokio::test]
async fn a_download_error_is_an_api_error() {
    let server = Server::start(
        vec![answer(404, "application/json", vec![b"{\"message\":\"gone\"}".to_vec()], Duration::ZERO)]
    );
    let client = client(&server.url(), 0);
    let error = client.files().download("f").send_stream().await.unwrap_err();
    assert_eq!(error.status(), Some(404));
}

/// The server answers an upload with the size it received, and anything else by closing the
/// connection.
fn echo_size(seen: &Recorded) -> Reply {
    if seen.method != "PUT" {
        return Reply::hang_up();
    }
    let body = format!("{{\"size\":{}}}", seen.body.len());
    answer(200, "application/json", [body], Duration::ZERO)
}

/// Uploads from bytes, from a stream of chunks and from a file all arrive whole.
#[tokio::test]
async fn uploads_come_from_bytes_a_stream_or_a_file() {
    let server = Server::answering(echo_size);
    let client = client(&server.url(), 0);
    let sent = client.files().upload("a", b"hello".to_vec()).send().await.unwrap();
    assert_eq!(sent.size, 5);

    let chunks: Vec<Result<Bytes, std::io::Error>> =
        (0..3).map(|i| Ok(Bytes::from(vec![b'x'; 1000 + i]))).collect();
    let stream = ChunkStream(chunks.into_iter());
    let sent = client
        .files()
        .upload("b", UploadBody::from_stream(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.size, 3003);

    let path = std::env::temp_dir().join(format!("clientgen-upload-{}.bin", std::process::id()));
    std::fs::write(&path, vec![7u8; 200_000]).unwrap();
    let file = UploadBody::from_file(&path).await.unwrap();
    let sent = client.files().upload("c", file).send().await.unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(sent.size, 200_000);

    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].header("content-type"), Some("application/octet-stream"), "{}", seen[0].text());
    // A stream of unknown length goes out chunked.
    assert_eq!(seen[1].header("transfer-encoding"), Some("chunked"), "{}", seen[1].text());
    assert!(seen[2].body.iter().all(|b| *b == 7));
}

/// A streamed upload is sent once: no retry, whatever the settings, and a clone of the
/// builder cannot send it again.
#[tokio::test]
async fn a_streamed_upload_is_never_replayed() {
    let server = Server::start(vec![busy(), busy(), busy()]);
    let client = client(&server.url(), 3);
    let stream = ChunkStream(vec![Ok::<_, std::io::Error>(Bytes::from_static(b"once"))].into_iter());
    let builder = client.files().upload("a", UploadBody::from_stream(stream));
    let again = builder.clone();
    let error = builder.send().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.count(), 1, "a stream was sent twice");
    let refused = again.send().await.unwrap_err();
    assert!(refused.to_string().contains("sent already"), "{refused}");
    assert_eq!(server.count(), 1);
}

/// An event stream: no length, the `parts` written each after `pause`, then the connection
/// closes.
fn sse<P: Into<Vec<u8>>>(parts: impl IntoIterator<Item = P>, pause: Duration) -> Reply {
    Reply::status(200)
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .parts(parts, pause)
        .until_close()
}

/// Server-sent events arrive one by one as the server writes them; a malformed one is an
/// error item and the stream goes on; comments and other fields are skipped; an event split
/// across writes is put together; the stream ends when the server closes it.
#[tokio::test]
async fn events_arrive_typed_and_a_bad_one_is_an_error_item() {
    let server = Server::start(
        vec![sse(
            [
                ": a comment\n",
                "event: token\nid: 1\ndata: {\"id\":1,\"text\":\"Hel\"}\n\n",
                "data: {\"id\":2,",
                "\"text\":\"lo\"}\r\n\r\n",
                "data: {oops}\n\n",
                "data: {\"id\":3,\n",
                "data: \"text\":\"!\"}\n\n",
            ],
            Duration::from_millis(20),
        )]
    );
    let client = client(&server.url(), 0);
    let mut events = client
        .generate()
        .stream(streaming::GenerateStreamBody::new("hi"))
        .send_events()
        .await
        .unwrap();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!((first.id, first.text.as_str()), (1, "Hel"));
    assert_eq!(events.next().await.unwrap().unwrap().text, "lo");
    let bad = events.next().await.unwrap().unwrap_err();
    assert!(bad.to_string().contains("event"), "{bad}");
    // Two data lines make one event, joined by a newline.
    assert_eq!(events.next().await.unwrap().unwrap().text, "!");
    assert!(events.next().await.is_none());
    let seen = server.requests();
    assert_eq!(seen[0].header("accept"), Some("text/event-stream"), "{}", seen[0].text());
}

/// An operation that answers only with events: `send()` returns them as they arrive too.
#[tokio::test]
async fn send_of_an_events_only_operation_streams_them() {
    let server = Server::start(
        vec![sse(
            ["data: {\"id\":1,\"text\":\"a\"}\n\n", "data: {\"id\":2,\"text\":\"b\"}\n\n"],
            Duration::from_millis(10),
        )]
    );
    let client = client(&server.url(), 0);
    let mut events = client
        .generate()
        .stream(streaming::GenerateStreamBody::new("hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    assert_eq!(events.next().await.unwrap().unwrap().text, "a");
    assert_eq!(events.next().await.unwrap().unwrap().text, "b");
    assert!(events.next().await.is_none());
}

/// `data: [DONE]` ends an OpenAI-style stream; the same operation's `send()` reads JSON.
#[tokio::test]
async fn done_ends_the_stream_and_send_still_reads_json() {
    let server = Server::start(
        vec![
            sse(
                ["data: {\"delta\":\"a\"}\n\n", "data: {\"delta\":\"b\"}\n\n", "data: [DONE]\n\n", "data: {\"delta\":\"late\"}\n\n"],
                Duration::from_millis(10),
            ),
            answer(200, "application/json", vec![b"{\"text\":\"ab\"}".to_vec()], Duration::ZERO),
        ]
    );
    let client = client(&server.url(), 0);
    let mut events = client.chat().create().send_events().await.unwrap();
    let mut deltas = Vec::new();
    while let Some(event) = events.next().await {
        deltas.push(event.unwrap().delta);
    }
    assert_eq!(deltas, ["a", "b"]);
    assert_eq!(client.chat().create().send().await.unwrap().text, "ab");
    let seen = server.requests();
    assert_eq!(seen[1].header("accept"), Some("application/json"), "{}", seen[1].text());
}

/// A request for events is retried only before the stream starts.
#[tokio::test]
async fn events_are_retried_only_before_the_first_byte() {
    let server = Server::start(vec![busy(), sse(["data: {\"delta\":\"x\"}\n\n"], Duration::ZERO)]);
    let client = client(&server.url(), 2);
    let mut events = client.chat().create().send_events().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().delta, "x");
    assert!(events.next().await.is_none());
    assert_eq!(server.count(), 2);
}

/// A client whose events may be at most 64 KiB.
fn small_events_client(base: &str) -> Client {
    Client::builder().base_url(base).max_retries(0).max_event_size(64 * 1024).build().unwrap()
}

fn expect_limit(item: Option<Result<impl std::fmt::Debug, streaming::Error>>, what: &str) {
    match item {
        Some(Err(streaming::Error::LimitExceeded(limit))) => {
            assert_eq!(limit.what(), what);
            assert_eq!(limit.limit(), 64 * 1024);
            assert_eq!(limit.setting(), "max_event_size");
        }
        other => panic!("expected a {what} limit error, got {other:?}"),
    }
}

/// A `data:` line that never ends (4 MiB here, endless on a hostile server) ends the stream
/// with a limit error at `max_event_size`, after the events before it.
#[tokio::test]
async fn an_endless_line_ends_the_stream_at_the_event_limit() {
    let mut parts = vec![b"data: {\"delta\":\"ok\"}\n\ndata: ".to_vec()];
    parts.extend((0..64).map(|_| vec![b'a'; 64 * 1024]));
    let server = Server::start(vec![sse(parts, Duration::ZERO)]);
    let mut events = small_events_client(&server.url()).chat().create().send_events().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().delta, "ok");
    expect_limit(events.next().await, "event-stream line");
    assert!(events.next().await.is_none());
}

/// `data:` lines without the blank line that ends an event: the event's data is bounded too.
#[tokio::test]
async fn data_lines_without_an_end_stop_at_the_event_limit() {
    let line = format!("data: {}\n", "b".repeat(100));
    let parts: Vec<Vec<u8>> = (0..2000).map(|_| line.as_bytes().to_vec()).collect();
    let server = Server::start(vec![sse(parts, Duration::ZERO)]);
    let mut events = small_events_client(&server.url()).chat().create().send_events().await.unwrap();
    expect_limit(events.next().await, "event data");
    assert!(events.next().await.is_none());
}

/// A comment line is skipped without being kept: 4 MiB of comment, far past the event limit,
/// and the event after it arrives.
#[tokio::test]
async fn a_long_comment_is_skipped_not_kept() {
    let mut parts = vec![b": ".to_vec()];
    parts.extend((0..64).map(|_| vec![b'c'; 64 * 1024]));
    parts.push(b"\ndata: {\"delta\":\"after\"}\n\n".to_vec());
    let server = Server::start(vec![sse(parts, Duration::ZERO)]);
    let mut events = small_events_client(&server.url()).chat().create().send_events().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().delta, "after");
    assert!(events.next().await.is_none());
}

/// The request's timeout ends when the headers arrive: a healthy stream runs past it.
#[tokio::test]
async fn a_healthy_stream_outlives_the_request_timeout() {
    let parts: Vec<String> = (0..8).map(|i| format!("data: {{\"delta\":\"{i}\"}}\n\n")).collect();
    let server = Server::start(vec![sse(parts, Duration::from_millis(100))]);
    let client = client(&server.url(), 0);
    let started = std::time::Instant::now();
    let mut events = client
        .chat()
        .create()
        .timeout(Duration::from_millis(300))
        .send_events()
        .await
        .unwrap();
    let mut deltas = Vec::new();
    while let Some(event) = events.next().await {
        deltas.push(event.unwrap().delta);
    }
    assert_eq!(deltas.len(), 8);
    assert!(started.elapsed() > Duration::from_millis(700));
}

/// A stream that goes quiet for longer than `idle_timeout` ends with a timeout item.
#[tokio::test]
async fn a_stalled_stream_ends_at_the_idle_timeout() {
    let server = Server::start(vec![sse(["data: {\"delta\":\"late\"}\n\n"], Duration::from_secs(2))]);
    let client = client(&server.url(), 0);
    let started = std::time::Instant::now();
    let mut events = client
        .chat()
        .create()
        .idle_timeout(Duration::from_millis(300))
        .send_events()
        .await
        .unwrap();
    let error = events.next().await.unwrap().unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.to_string().contains("idle_timeout"), "{error}");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert!(events.next().await.is_none());
}

/// A total limit for a stream applies only when the caller sets one.
#[tokio::test]
async fn a_stream_timeout_set_by_the_caller_ends_the_stream() {
    let parts: Vec<String> = (0..20).map(|i| format!("data: {{\"delta\":\"{i}\"}}\n\n")).collect();
    let server = Server::start(vec![sse(parts, Duration::from_millis(100))]);
    let client = client(&server.url(), 0);
    let mut events = client
        .chat()
        .create()
        .stream_timeout(Duration::from_millis(450))
        .send_events()
        .await
        .unwrap();
    let mut received = 0;
    let error = loop {
        match events.next().await.unwrap() {
            Ok(_) => received += 1,
            Err(error) => break error,
        }
    };
    assert!((2..=5).contains(&received), "{received}");
    assert!(error.is_timeout() && error.to_string().contains("stream_timeout"), "{error}");
}

/// A download's body read whole is bounded by `max_body_size`; `send_stream()` is not.
#[tokio::test]
async fn a_download_past_the_body_limit_is_refused_but_streams() {
    let body = vec![7u8; 3 << 20];
    let server = Server::start(
        vec![
            answer(200, "application/octet-stream", vec![body.clone()], Duration::ZERO),
            answer(200, "application/octet-stream", vec![body], Duration::ZERO),
        ]
    );
    let client = Client::builder().base_url(server.url()).max_retries(0).max_body_size(1 << 20).build().unwrap();
    let error = client.files().download("big").send().await.unwrap_err();
    assert!(matches!(&error, streaming::Error::LimitExceeded(l) if l.what() == "response body"), "{error:?}");
    let mut stream = client.files().download("big").send_stream().await.unwrap();
    let mut total = 0;
    while let Some(chunk) = stream.next().await {
        total += chunk.unwrap().len();
    }
    assert_eq!(total, 3 << 20);
}

/// Hooks run for a streamed body too: the before-attempt hook's header is sent, and the
/// after-attempt hook has run once the headers arrived, before any event is read.
#[tokio::test]
async fn hooks_run_for_a_streamed_body() {
    let server = Server::start(vec![sse(["data: {\"delta\":\"x\"}\n\n"], Duration::from_millis(200))]);
    let statuses: Arc<Mutex<Vec<Option<u16>>>> = Arc::default();
    let s = statuses.clone();
    let client = Client::builder()
        .base_url(server.url())
        .max_retries(0)
        .before_attempt(|attempt| attempt.set_header("traceparent", "00-stream-01").unwrap())
        .after_attempt(move |attempt| s.lock().unwrap().push(attempt.status()))
        .build()
        .unwrap();
    let mut events = client.chat().create().send_events().await.unwrap();
    assert_eq!(*statuses.lock().unwrap(), [Some(200)]);
    assert_eq!(events.next().await.unwrap().unwrap().delta, "x");
    assert!(events.next().await.is_none());
    assert_eq!(statuses.lock().unwrap().len(), 1);
    let seen = server.requests();
    assert_eq!(seen[0].header("traceparent"), Some("00-stream-01"), "{}", seen[0].text());
}

/// 1 GiB read as a stream: `bench/streaming.sh` runs this with and without `BUFFERED=1` and
/// compares the peak memory of the two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: bench/streaming.sh"]
async fn one_gib_download() {
    const SIZE: u64 = 1 << 30;
    // 1 GiB of ones with its length, written 64 KiB at a time as the client reads it.
    let server = Server::start(vec![Reply::status(200)
        .header("content-type", "application/octet-stream")
        .body([1u8])
        .huge(SIZE, true)]);
    let client = Client::builder()
        .base_url(server.url())
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let total = if std::env::var_os("BUFFERED").is_some() {
        // Past the 64 MiB default for bodies read whole: raised for this request.
        client.files().download("big").max_body_size(2 << 30).send().await.unwrap().len() as u64
    } else {
        let mut stream = client.files().download("big").send_stream().await.unwrap();
        let mut total = 0u64;
        while let Some(chunk) = stream.next().await {
            total += chunk.unwrap().len() as u64;
        }
        total
    };
    assert_eq!(total, SIZE);
    println!("read {total} bytes in {:.2} s", started.elapsed().as_secs_f64());
}

/// A stream of ready chunks, without a stream library.
struct ChunkStream<I>(I);

impl<I: Iterator + Unpin> futures_core::Stream for ChunkStream<I> {
    type Item = I::Item;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<I::Item>> {
        std::task::Poll::Ready(self.0.next())
    }
}

/// The typed mock (the `mock` feature) streams typed events, then `[DONE]`.
#[tokio::test]
async fn the_mock_streams_typed_events() {
    use streaming::mock::MockServer;
    use streaming::ChatCreateEvent;
    let server = MockServer::start().await;
    let mock = server
        .chat_create()
        .respond_events(vec![ChatCreateEvent::sample().delta("a"), ChatCreateEvent::sample().delta("b")], true)
        .mount()
        .await;
    let client = Client::builder().base_url(server.uri()).max_retries(0).build().unwrap();
    let mut events = client.chat().create().send_events().await.unwrap();
    let mut deltas = Vec::new();
    while let Some(event) = events.next().await {
        deltas.push(event.unwrap().delta);
    }
    assert_eq!(deltas, ["a", "b"]);
    mock.assert_calls(1);
    server.verify().await;
}

/// A responder answers with the media type the description documents for its status: the
/// text of an event-stream operation is `text/event-stream`, not `text/plain`.
#[tokio::test]
async fn the_mock_answers_with_the_documented_media_type() {
    use streaming::mock::MockServer;
    let server = MockServer::start().await;
    server
        .generate_stream()
        .respond_200_with("data: {\"text\":\"a\"}\n\n")
        .mount()
        .await;
    let response = streaming::reqwest::Client::new()
        .post(format!("{}/generate_stream", server.uri()))
        .header("content-type", "application/json")
        .body(r#"{"inputs":"hi"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    server.verify().await;
}
