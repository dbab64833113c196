//! Auto-pagination: what `.pages()` and `.items()` of a paginated operation's request
//! builder return.
//!
//! A page is the operation's own request, sent through its builder, so every option the caller
//! set (headers, timeout, retries, parameters) applies to every page. The next request is the
//! first one with the cursor the previous response gave; the stream ends when a response gives
//! no cursor, an empty one or one it gave in the last [`SEEN_CURSORS`] pages (a server that
//! loops is not followed forever), and after an error, which is the stream's last item. A
//! server that always sends a new cursor is stopped by the page limit
//! ([`Pages::max_pages`], default [`DEFAULT_MAX_PAGES`]): the stream then ends with an
//! [`Error::LimitExceeded`] item, so that a cut list never looks complete. Memory stays flat:
//! one page at a time, and a bounded record of cursors. Nothing is sent before the first poll.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use reqwest::header::HeaderMap;

use super::error::{Error, LimitExceeded};
use super::response::Response;

/// How many pages a stream fetches at most, unless [`Pages::max_pages`] says otherwise.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;
/// How many of the latest cursors are remembered to notice a server that loops.
pub const SEEN_CURSORS: usize = 1_000;

type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send + 'a>>;

/// The pages of a paginated operation, each response body in turn: a
/// [`Stream`](futures_core::Stream) of `Result<T, Error>`, with [`Pages::next`] for callers
/// without a stream library.
#[must_use = "a stream does nothing until polled"]
pub struct Pages<'a, B, T> {
    /// The request of the page in flight, kept to derive the next one from.
    current: Option<B>,
    /// The request to send on the next poll; `None` once the stream has ended.
    next: Option<B>,
    pending: Option<PageFuture<'a, T>>,
    send: fn(B) -> PageFuture<'a, T>,
    set_cursor: fn(B, String) -> B,
    next_cursor: fn(&B, &Response<T>) -> Option<String>,
    /// The latest cursors, as a set and in the order they came (to forget the oldest).
    seen: HashSet<String>,
    seen_order: VecDeque<String>,
    fetched: u32,
    max_pages: u32,
}

// Nothing is pinned in place: the request in flight is boxed.
impl<B, T> Unpin for Pages<'_, B, T> {}

impl<'a, B: Clone, T> Pages<'a, B, T> {
    pub(crate) fn new(
        first: B,
        send: fn(B) -> PageFuture<'a, T>,
        set_cursor: fn(B, String) -> B,
        next_cursor: fn(&B, &Response<T>) -> Option<String>,
    ) -> Self {
        Self {
            current: None,
            next: Some(first),
            pending: None,
            send,
            set_cursor,
            next_cursor,
            seen: HashSet::new(),
            seen_order: VecDeque::new(),
            fetched: 0,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// The most pages to fetch (default [`DEFAULT_MAX_PAGES`]). A list with more ends with an
    /// [`Error::LimitExceeded`] item after this many pages.
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// Records a cursor; false when it is one of the latest seen.
    fn remember(&mut self, cursor: &str) -> bool {
        if !self.seen.insert(cursor.to_owned()) {
            return false;
        }
        self.seen_order.push_back(cursor.to_owned());
        if self.seen_order.len() > SEEN_CURSORS {
            if let Some(oldest) = self.seen_order.pop_front() {
                self.seen.remove(&oldest);
            }
        }
        true
    }

    /// The next page, or `None` at the end: `while let Some(page) = pages.next().await`.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<B: Clone, T> Stream for Pages<'_, B, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(pending) = &mut this.pending {
                let result = match pending.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(result) => result,
                };
                this.pending = None;
                let current = this.current.take();
                return Poll::Ready(Some(match result {
                    Ok(response) => {
                        // The next cursor, from the page and the request that got it (an
                        // offset is the request's plus the page's items).
                        let cursor = current
                            .as_ref()
                            .and_then(|current| (this.next_cursor)(current, &response));
                        this.next = match (cursor, current) {
                            (Some(cursor), Some(current))
                                if !cursor.is_empty() && this.remember(&cursor) =>
                            {
                                Some((this.set_cursor)(current, cursor))
                            }
                            _ => None,
                        };
                        Ok(response.into_body())
                    }
                    Err(error) => {
                        this.next = None;
                        Err(error)
                    }
                }));
            }
            let Some(request) = this.next.take() else {
                return Poll::Ready(None);
            };
            if this.fetched >= this.max_pages {
                let limit = LimitExceeded::new("pages", this.max_pages.into(), "max_pages");
                return Poll::Ready(Some(Err(Error::LimitExceeded(Box::new(limit)))));
            }
            this.fetched += 1;
            this.current = Some(request.clone());
            this.pending = Some((this.send)(request));
        }
    }
}

/// The items of every page of a paginated operation, in order: a
/// [`Stream`](futures_core::Stream) of `Result<I, Error>`. An error ends it, after the items
/// of the pages before.
#[must_use = "a stream does nothing until polled"]
pub struct Items<'a, B, T, I> {
    pages: Pages<'a, B, T>,
    items: fn(T) -> Vec<I>,
    buffered: VecDeque<I>,
}

impl<B, T, I> Unpin for Items<'_, B, T, I> {}

impl<'a, B: Clone, T, I> Items<'a, B, T, I> {
    pub(crate) fn new(pages: Pages<'a, B, T>, items: fn(T) -> Vec<I>) -> Self {
        Self {
            pages,
            items,
            buffered: VecDeque::new(),
        }
    }

    /// The most pages to fetch (see [`Pages::max_pages`]).
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.pages = self.pages.max_pages(max_pages);
        self
    }

    /// The next item, or `None` at the end: `while let Some(item) = items.next().await`.
    pub async fn next(&mut self) -> Option<Result<I, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<B: Clone, T, I> Stream for Items<'_, B, T, I> {
    type Item = Result<I, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.buffered.extend((this.items)(page)),
            }
        }
    }
}

/// The value of query parameter `name` in the `rel="next"` target of a `Link` header
/// (RFC 8288), as GitHub paginates: `<https://api.github.com/x?page=2>; rel="next"`.
pub(crate) fn next_link_param(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|link| {
            let (target, params) = link.trim().split_once(';')?;
            let is_next = params.split(';').any(|p| {
                let p = p.trim().replace(' ', "");
                p == "rel=\"next\"" || p == "rel=next"
            });
            if !is_next {
                return None;
            }
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            let url = url::Url::parse(target)
                .or_else(|_| url::Url::parse("http://relative.invalid").and_then(|b| b.join(target)))
                .ok()?;
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_gives_its_page() {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::LINK,
            "<https://api.example.com/r?per_page=2&page=3>; rel=\"next\", <https://api.example.com/r?page=9>; rel=\"last\""
                .parse()
                .unwrap(),
        );
        assert_eq!(next_link_param(&headers, "page").as_deref(), Some("3"));
        headers.insert(
            reqwest::header::LINK,
            "</r?page=1>; rel=\"prev\", </r?page=5>; rel=next".parse().unwrap(),
        );
        assert_eq!(next_link_param(&headers, "page").as_deref(), Some("5"));
        headers.insert(
            reqwest::header::LINK,
            "<https://api.example.com/r?page=1>; rel=\"first\"".parse().unwrap(),
        );
        assert_eq!(next_link_param(&headers, "page"), None);
    }
}
