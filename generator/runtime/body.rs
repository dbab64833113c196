//! Request bodies: what a request sends, in memory or read from a stream as it is sent.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use super::error::{Error, InvalidRequest};

/// A request body: bytes, sent again on each attempt, or a stream, sent once.
pub(crate) enum RequestBody {
    Bytes(Vec<u8>),
    Stream(reqwest::Body),
}

/// A request body: bytes in memory, or read as it is sent from a stream, a file or any
/// `AsyncRead`. Builders of operations with a binary body take one (`Vec<u8>` converts).
///
/// Bytes are sent again when a request is retried. A streamed body cannot be replayed: a
/// request with one is sent once, whatever the retry settings, and a clone of the builder that
/// carries it sends it only once (a second send is refused before anything is sent).
#[derive(Clone)]
pub struct UploadBody {
    inner: UploadInner,
}

#[derive(Clone)]
enum UploadInner {
    Bytes(Vec<u8>),
    Stream(std::sync::Arc<std::sync::Mutex<Option<reqwest::Body>>>),
}

impl std::fmt::Debug for UploadBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            UploadInner::Bytes(bytes) => write!(f, "UploadBody({} bytes)", bytes.len()),
            UploadInner::Stream(_) => f.write_str("UploadBody(stream)"),
        }
    }
}

impl Default for UploadBody {
    fn default() -> Self {
        Vec::new().into()
    }
}

impl From<Vec<u8>> for UploadBody {
    fn from(bytes: Vec<u8>) -> Self {
        Self {
            inner: UploadInner::Bytes(bytes),
        }
    }
}

impl From<&[u8]> for UploadBody {
    fn from(bytes: &[u8]) -> Self {
        bytes.to_vec().into()
    }
}

impl From<Bytes> for UploadBody {
    fn from(bytes: Bytes) -> Self {
        bytes.to_vec().into()
    }
}

impl UploadBody {
    /// A body read from `stream` as it is sent.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        Self::streamed(reqwest::Body::wrap(StreamBody(std::sync::Mutex::new(
            Box::pin(stream),
        ))))
    }

    /// A body read from `reader` (a file, a pipe, ...) as it is sent, 64 KiB at a time.
    pub fn from_reader<R: tokio::io::AsyncRead + Send + 'static>(reader: R) -> Self {
        Self::streamed(reqwest::Body::wrap(ReaderBody {
            reader: std::sync::Mutex::new(Box::pin(reader)),
            buffer: vec![0; 64 * 1024],
        }))
    }

    /// A body read from the file at `path` as it is sent.
    pub async fn from_file(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        Ok(Self::from_reader(tokio::fs::File::open(path).await?))
    }

    fn streamed(body: reqwest::Body) -> Self {
        Self {
            inner: UploadInner::Stream(std::sync::Arc::new(std::sync::Mutex::new(Some(body)))),
        }
    }

    /// The bytes to send on every attempt, or the stream to send once.
    pub(crate) fn take(&self) -> Result<RequestBody, Error> {
        match &self.inner {
            UploadInner::Bytes(bytes) => Ok(RequestBody::Bytes(bytes.clone())),
            UploadInner::Stream(slot) => slot
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take()
                .map(RequestBody::Stream)
                .ok_or_else(|| {
                    Error::InvalidRequest(InvalidRequest::new(
                        "this streamed body was sent already; a stream cannot be sent twice"
                            .into(),
                    ))
                }),
        }
    }
}

/// A `Stream` of chunks as an HTTP body; the mutex makes it `Sync`, as reqwest asks, and is
/// never contended (`get_mut`).
struct StreamBody<S>(std::sync::Mutex<Pin<Box<S>>>);

impl<S, E> http_body::Body for StreamBody<S>
where
    S: Stream<Item = Result<Bytes, E>>,
{
    type Data = Bytes;
    type Error = E;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, E>>> {
        let stream = self
            .get_mut()
            .0
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        stream
            .as_mut()
            .poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }
}

/// An `AsyncRead` as an HTTP body.
struct ReaderBody<R> {
    reader: std::sync::Mutex<Pin<Box<R>>>,
    buffer: Vec<u8>,
}

impl<R: tokio::io::AsyncRead> http_body::Body for ReaderBody<R> {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        let this = self.get_mut();
        let reader = this
            .reader
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut buffer = tokio::io::ReadBuf::new(&mut this.buffer);
        match reader.as_mut().poll_read(cx, &mut buffer) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(error)) => Poll::Ready(Some(Err(error))),
            Poll::Ready(Ok(())) if buffer.filled().is_empty() => Poll::Ready(None),
            Poll::Ready(Ok(())) => Poll::Ready(Some(Ok(http_body::Frame::data(
                Bytes::copy_from_slice(buffer.filled()),
            )))),
        }
    }
}
