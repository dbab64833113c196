//! Response bodies read as they arrive: [`ByteStream`] for binary downloads
//! (`send_stream()`), [`EventStream`] for server-sent events (`text/event-stream`),
//! [`JsonStream`] for sequences of JSON items (JSON Lines, NDJSON, JSON text sequences).
//!
//! Each holds the response whose status and headers have arrived and reads its body chunk by
//! chunk, so a body of any size is read in flat memory; an event stream keeps at most one line
//! and one event's data, and a JSON stream one item, each within `max_event_size`. A request is retried (as the client's
//! policy allows) only until a success status arrives, never after its first byte: a stream
//! cannot be replayed to its reader.
//!
//! Time: the request's `timeout` ends when the response headers arrive. After that, a pause
//! of `idle_timeout` without a byte ends the stream with an [`Error::Timeout`] item, and so
//! does `stream_timeout` for the whole body when the caller set one; a stream that keeps
//! sending may otherwise run as long as it does.

use std::collections::VecDeque;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::HeaderMap;

pub use super::body::UploadBody;
use super::config::Limits;
use super::error::{request_id_header, Cause, DecodeError, Error, LimitExceeded, TransportError};

type Chunk = (reqwest::Response, Result<Option<Bytes>, Error>);

/// A success response whose body is still to be read as a stream, with the limits that apply
/// to reading it (`stream_timeout` already turned into a deadline).
pub(crate) struct Live {
    pub(crate) response: reqwest::Response,
    pub(crate) limits: Limits,
    pub(crate) deadline: Option<tokio::time::Instant>,
}

/// A response body as it arrives: a [`Stream`](futures_core::Stream) of `Result<Bytes, Error>`
/// chunks, with [`ByteStream::next`] for callers without a stream library. A transport error
/// (the connection dropped, `idle_timeout` or `stream_timeout` passed) is the last item.
#[must_use = "a stream does nothing until polled"]
pub struct ByteStream {
    status: u16,
    headers: HeaderMap,
    response: Option<reqwest::Response>,
    pending: Option<Pin<Box<dyn Future<Output = Chunk> + Send>>>,
    idle_timeout: std::time::Duration,
    deadline: Option<(tokio::time::Instant, std::time::Duration)>,
}

// Nothing is pinned in place: the read in flight is boxed.
impl Unpin for ByteStream {}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("ended", &(self.response.is_none() && self.pending.is_none()))
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new(live: Live) -> Self {
        let Live {
            response,
            limits,
            deadline,
        } = live;
        Self {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            response: Some(response),
            pending: None,
            idle_timeout: limits.idle_timeout,
            deadline: deadline.zip(limits.stream_timeout),
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id from the response headers, when the API sends one there.
    pub fn request_id(&self) -> Option<String> {
        request_id_header(&self.headers)
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let pending = match &mut this.pending {
            Some(pending) => pending,
            None => {
                let Some(mut response) = this.response.take() else {
                    return Poll::Ready(None);
                };
                let idle = this.idle_timeout;
                let deadline = this.deadline;
                this.pending.insert(Box::pin(async move {
                    let timeout = |cause| Error::Timeout(TransportError::from_cause(cause, 1));
                    let read = async {
                        match tokio::time::timeout(idle, response.chunk()).await {
                            Err(_) => Err(timeout(Cause::Idle(idle))),
                            Ok(Err(error)) => {
                                let transport = TransportError::new(error.without_url(), 1);
                                Err(if transport.is_timeout() {
                                    Error::Timeout(transport)
                                } else {
                                    Error::Connection(transport)
                                })
                            }
                            Ok(Ok(chunk)) => Ok(chunk),
                        }
                    };
                    let chunk = match deadline {
                        Some((at, limit)) => tokio::time::timeout_at(at, read)
                            .await
                            .unwrap_or_else(|_| Err(timeout(Cause::StreamDeadline(limit)))),
                        None => read.await,
                    };
                    (response, chunk)
                }))
            }
        };
        let (response, chunk) = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        this.pending = None;
        match chunk {
            Ok(Some(bytes)) => {
                this.response = Some(response);
                Poll::Ready(Some(Ok(bytes)))
            }
            Ok(None) => Poll::Ready(None),
            // The response is dropped with the error: its connection is closed.
            Err(error) => Poll::Ready(Some(Err(error))),
        }
    }
}

/// Server-sent events (`text/event-stream`) decoded into `T`: a
/// [`Stream`](futures_core::Stream) of `Result<T, Error>`, with [`EventStream::next`].
///
/// `T` is each event's `data` decoded as JSON (an OpenAPI 3.0 or 3.1 `schema`), or, where an
/// OpenAPI 3.2 `itemSchema` describes the whole event, an object of the event's `event`, `data`,
/// `id` (the last event id, as the specification of server-sent events keeps it) and `retry`
/// fields, with `data` parsed as JSON when the schema says its content is JSON and kept as
/// text otherwise. Comments are skipped, and so are the other fields when `T` is the data.
///
/// It ends when the server closes the stream, or at a `data: [DONE]` event whose data is
/// JSON (the end marker of OpenAI-style streams). An event that does not decode is a decode
/// error item, and the stream goes on; a transport error is the last item. A line or an
/// event's data longer than `max_event_size` ends the stream with an [`Error::LimitExceeded`]
/// item.
#[must_use = "a stream does nothing until polled"]
pub struct EventStream<T> {
    bytes: ByteStream,
    /// Bytes of an unfinished line.
    line: Vec<u8>,
    /// The line being read is a comment: its bytes are skipped, not kept.
    comment: bool,
    max_event_size: usize,
    /// The data lines of the event being read.
    data: String,
    has_data: bool,
    /// `None`: `T` is the data. `Some(json_data)`: `T` is the whole event, its data parsed as
    /// JSON when `json_data`.
    whole: Option<bool>,
    /// The event type of the event being read (`event:`).
    event_type: Option<String>,
    /// The last event id (`id:`), which later events keep.
    last_id: Option<String>,
    /// The reconnection time of the event being read (`retry:`), in milliseconds.
    retry: Option<u64>,
    /// A `\r` ended the last chunk: a `\n` first in the next one belongs to it.
    after_cr: bool,
    ready: VecDeque<Result<T, Error>>,
    ended: bool,
    _event: PhantomData<fn() -> T>,
}

impl<T> Unpin for EventStream<T> {}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.bytes.status)
            .finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned> EventStream<T> {
    /// Events whose data is `T`.
    pub(crate) fn new(live: Live) -> Self {
        Self::of(live, None)
    }

    /// Events that are `T` whole (OpenAPI 3.2 `itemSchema`), their data parsed as JSON when
    /// `json_data`.
    pub(crate) fn whole(live: Live, json_data: bool) -> Self {
        Self::of(live, Some(json_data))
    }

    fn of(live: Live, whole: Option<bool>) -> Self {
        let max_event_size = live.limits.max_event_size;
        Self {
            bytes: ByteStream::new(live),
            line: Vec::new(),
            comment: false,
            max_event_size,
            data: String::new(),
            has_data: false,
            whole,
            event_type: None,
            last_id: None,
            retry: None,
            after_cr: false,
            ready: VecDeque::new(),
            ended: false,
            _event: PhantomData,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.bytes.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.bytes.headers
    }

    /// The next event, or `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads one chunk of the stream: complete lines are taken in, events dispatched.
    fn feed(&mut self, chunk: &[u8]) {
        for &b in chunk {
            if self.ended {
                return;
            }
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\n' => self.end_line(),
                b'\r' => {
                    self.end_line();
                    self.after_cr = true;
                }
                _ if self.comment => {}
                b':' if self.line.is_empty() => self.comment = true,
                _ if self.line.len() >= self.max_event_size => {
                    self.too_large("event-stream line");
                }
                _ => self.line.push(b),
            }
        }
    }

    /// Ends the stream with a limit error after the events read so far.
    fn too_large(&mut self, what: &'static str) {
        let error = LimitExceeded::new(what, self.max_event_size as u64, "max_event_size")
            .response(self.bytes.status, &self.bytes.headers);
        self.ready
            .push_back(Err(Error::LimitExceeded(Box::new(error))));
        self.ended = true;
        self.line = Vec::new();
        self.data = String::new();
    }

    fn end_line(&mut self) {
        if std::mem::take(&mut self.comment) {
            return;
        }
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            self.dispatch();
            return;
        }
        let line = String::from_utf8_lossy(&line);
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "data" => {
                if self.data.len() + value.len() + 1 > self.max_event_size {
                    self.too_large("event data");
                    return;
                }
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            // Kept only when `T` is the whole event; each is one line, bounded like every line.
            "event" if self.whole.is_some() => self.event_type = Some(value.to_owned()),
            // An id with NUL is ignored, as the specification of server-sent events says.
            "id" if self.whole.is_some() && !value.contains('\0') => {
                self.last_id = Some(value.to_owned())
            }
            "retry" if self.whole.is_some() => {
                if let Ok(ms) = value.parse::<u64>() {
                    self.retry = Some(ms);
                }
            }
            _ => {}
        }
    }

    fn dispatch(&mut self) {
        let event_type = self.event_type.take();
        let retry = self.retry.take();
        if !self.has_data {
            return;
        }
        self.has_data = false;
        let data = std::mem::take(&mut self.data);
        if self.ended {
            return;
        }
        let json_data = self.whole.unwrap_or(true);
        if json_data && data.trim() == "[DONE]" {
            self.ended = true;
            return;
        }
        let decode_error = |status, headers: &HeaderMap, data: &str, what: String| {
            Error::Decode(Box::new(DecodeError::new(
                status,
                request_id_header(headers),
                data.as_bytes().to_vec(),
                what,
            )))
        };
        let (status, headers) = (self.bytes.status, &self.bytes.headers);
        let item = match self.whole {
            None => serde_json::from_str(&data)
                .map_err(|e| decode_error(status, headers, &data, format!("an event's data: {e}"))),
            Some(_) => {
                let value = if json_data {
                    serde_json::from_str::<serde_json::Value>(&data).map_err(|e| {
                        decode_error(status, headers, &data, format!("an event's data: {e}"))
                    })
                } else {
                    Ok(serde_json::Value::String(data.clone()))
                };
                value.and_then(|value| {
                    let mut event = serde_json::Map::new();
                    event.insert("data".into(), value);
                    if let Some(event_type) = event_type {
                        event.insert("event".into(), event_type.into());
                    }
                    if let Some(id) = &self.last_id {
                        event.insert("id".into(), id.clone().into());
                    }
                    if let Some(retry) = retry {
                        event.insert("retry".into(), retry.into());
                    }
                    serde_json::from_value(serde_json::Value::Object(event))
                        .map_err(|e| decode_error(status, headers, &data, format!("an event: {e}")))
                })
            }
        };
        self.ready.push_back(item);
    }
}

impl<T: serde::de::DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(event) = this.ready.pop_front() {
                return Poll::Ready(Some(event));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.bytes).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.feed(&chunk),
                Poll::Ready(Some(Err(error))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(error)));
                }
                // An event not ended by a blank line when the stream closes is dropped, as
                // the specification of server-sent events says.
                Poll::Ready(None) => this.ended = true,
            }
        }
    }
}

/// How the items of a [`JsonStream`] are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// One JSON text per line (`application/jsonl`, `application/x-ndjson`): `\n` ends an
    /// item, a `\r` before it is dropped, blank lines (keep-alives) are skipped, and a last
    /// line without `\n` is an item too.
    Lines,
    /// RFC 7464 JSON text sequences (`application/json-seq`): each item starts with the ASCII
    /// record separator (0x1E); whitespace around it, the `\n` that ends it included, is
    /// dropped.
    RecordSeparator,
}

/// A sequence of JSON items (JSON Lines, NDJSON, JSON text sequences), each decoded into `T`
/// as it arrives: a [`Stream`](futures_core::Stream) of `Result<T, Error>`, with
/// [`JsonStream::next`]. An item split across reads is put together; an item that does not
/// decode is a decode error item, and the stream goes on; a transport error is the last item.
/// It keeps at most one item in memory: an item longer than `max_event_size` ends the stream
/// with an [`Error::LimitExceeded`] item.
#[must_use = "a stream does nothing until polled"]
pub struct JsonStream<T> {
    bytes: ByteStream,
    framing: Framing,
    /// Bytes of the unfinished item.
    item: Vec<u8>,
    max_item_size: usize,
    ready: VecDeque<Result<T, Error>>,
    ended: bool,
    _item: PhantomData<fn() -> T>,
}

impl<T> Unpin for JsonStream<T> {}

impl<T> std::fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonStream")
            .field("status", &self.bytes.status)
            .field("framing", &self.framing)
            .finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned> JsonStream<T> {
    pub(crate) fn new(live: Live, framing: Framing) -> Self {
        let max_item_size = live.limits.max_event_size;
        Self {
            bytes: ByteStream::new(live),
            framing,
            item: Vec::new(),
            max_item_size,
            ready: VecDeque::new(),
            ended: false,
            _item: PhantomData,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.bytes.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.bytes.headers
    }

    /// The next item, or `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn feed(&mut self, mut chunk: &[u8]) {
        let separator = match self.framing {
            Framing::Lines => b'\n',
            Framing::RecordSeparator => 0x1e,
        };
        while !self.ended && !chunk.is_empty() {
            let (part, rest, complete) = match chunk.iter().position(|&b| b == separator) {
                Some(i) => (&chunk[..i], &chunk[i + 1..], true),
                None => (chunk, &[][..], false),
            };
            if self.item.len() + part.len() > self.max_item_size {
                let error = LimitExceeded::new("JSON item", self.max_item_size as u64, "max_event_size")
                    .response(self.bytes.status, &self.bytes.headers);
                self.ready.push_back(Err(Error::LimitExceeded(Box::new(error))));
                self.ended = true;
                self.item = Vec::new();
                return;
            }
            self.item.extend_from_slice(part);
            if complete {
                self.finish_item();
            }
            chunk = rest;
        }
    }

    /// Decodes the item read so far, unless it is only whitespace.
    fn finish_item(&mut self) {
        let item = std::mem::take(&mut self.item);
        let text = item.trim_ascii();
        if text.is_empty() {
            return;
        }
        self.ready.push_back(serde_json::from_slice(text).map_err(|e| {
            Error::Decode(Box::new(DecodeError::new(
                self.bytes.status,
                request_id_header(&self.bytes.headers),
                text.to_vec(),
                format!("a JSON item: {e}"),
            )))
        }));
    }
}

impl<T: serde::de::DeserializeOwned> Stream for JsonStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.ready.pop_front() {
                return Poll::Ready(Some(item));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.bytes).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.feed(&chunk),
                Poll::Ready(Some(Err(error))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(error)));
                }
                // The last item needs no delimiter after it.
                Poll::Ready(None) => {
                    this.finish_item();
                    this.ended = true;
                }
            }
        }
    }
}
