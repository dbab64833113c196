//! The streams a builder offers beside `send()`: the events, JSON items or raw body of a
//! streamed response (`send_events`, `send_items`, `send_stream`), and the pages and items of
//! a paginated operation (`pages`, `items`).

use super::*;
use crate::surface;

/// `send_events()` and `send_stream()`: the response read as it arrives. `send` builds
/// `request`, as in `send_with_response()`.
pub(super) fn emit_streaming(
    api: &Api,
    op: &Operation,
    send: &TokenStream,
    decoder: &Ident,
) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(events) = &op.events {
        let event = type_tokens(api, events);
        let (doc, open) = match op.event_shape {
            EventShape::Data => (
                " events as they arrive, each event's data decoded as JSON (see",
                quote! { crate::streaming::EventStream::new(response) },
            ),
            EventShape::Whole { json_data } => (
                " events as they arrive, each event decoded whole: its `event`, `data`, `id` and `retry` (see",
                quote! { crate::streaming::EventStream::whole(response, #json_data) },
            ),
        };
        out.extend(quote! {
            /// Sends the request asking for `text/event-stream` and returns the server-sent
            #[doc = #doc]
            /// [`crate::streaming::EventStream`]). Retries apply only until the stream starts.
            pub async fn send_events(self) -> Result<crate::streaming::EventStream<#event>, Error> {
                #send
                request.accept("text/event-stream");
                match self.client.execute_streaming(request, self.options).await? {
                    Ok(response) => Ok(#open),
                    Err(response) => Err(response.into_error(crate::types::#decoder)),
                }
            }
        });
    }
    if let Some(sequence) = &op.items {
        let item = type_tokens(api, &sequence.item);
        let media = &sequence.media;
        let framing = match sequence.framing {
            Framing::Lines => quote! { Lines },
            Framing::RecordSeparator => quote! { RecordSeparator },
        };
        let doc = format!(
            " Sends the request asking for `{media}` and returns its JSON items as they arrive,"
        );
        out.extend(quote! {
            #[doc = #doc]
            /// each decoded on its own (see [`crate::streaming::JsonStream`]). Retries apply only
            /// until the stream starts.
            pub async fn send_items(self) -> Result<crate::streaming::JsonStream<#item>, Error> {
                #send
                request.accept(#media);
                match self.client.execute_streaming(request, self.options).await? {
                    Ok(response) => Ok(crate::streaming::JsonStream::new(
                        response,
                        crate::streaming::Framing::#framing,
                    )),
                    Err(response) => Err(response.into_error(crate::types::#decoder)),
                }
            }
        });
    }
    if surface::streams_body(op) {
        out.extend(quote! {
            /// Sends the request and returns the body as it arrives, in chunks, without holding
            /// all of it in memory (see [`crate::streaming::ByteStream`]). Retries apply only
            /// until the body starts.
            pub async fn send_stream(self) -> Result<crate::streaming::ByteStream, Error> {
                #send
                match self.client.execute_streaming(request, self.options).await? {
                    Ok(response) => Ok(crate::streaming::ByteStream::new(response)),
                    Err(response) => Err(response.into_error(crate::types::#decoder)),
                }
            }
        });
    }
    out
}

/// An `Option<&X>` expression that follows `path` from `start` (an `Option<&T>`).
fn follow(start: TokenStream, path: &[Step]) -> TokenStream {
    let mut expr = start;
    for s in path {
        let f = ident(&s.field);
        expr = match (s.required, s.nullable) {
            (true, false) => quote! { #expr.map(|v| &v.#f) },
            (false, true) => quote! { #expr.and_then(|v| v.#f.as_ref()).and_then(|v| v.as_ref()) },
            _ => quote! { #expr.and_then(|v| v.#f.as_ref()) },
        };
    }
    expr
}

/// `.pages()` and `.items()` of a paginated operation's builder.
pub(super) fn emit_pagination(
    api: &Api,
    op: &Operation,
    p: &Pagination,
    page: &TokenStream,
) -> TokenStream {
    let set_cursor = match &p.cursor {
        CursorIn::Query(i) => {
            let param = &op.params[*i];
            let name = ident(&param.rust_name);
            // `.into()`: a parameter whose name says token is kept as a `Secret`.
            let value = if param.ty == TypeRef::String {
                quote! { Some(cursor.into()) }
            } else {
                quote! { cursor.parse().ok() }
            };
            quote! { |mut b, cursor| { b.#name = #value; b } }
        }
        CursorIn::Body(step) => {
            let f = ident(&step.field);
            let value = if step.nullable {
                quote! { Some(Some(cursor)) }
            } else {
                quote! { Some(cursor) }
            };
            let body = op.body.as_ref();
            let stored_plain = body.is_some_and(|b| b.required || b.is_argument());
            let defaultable = body.is_some_and(|b| b.defaultable);
            if stored_plain {
                quote! { |mut b, cursor| { b.body.#f = #value; b } }
            } else if defaultable {
                quote! { |mut b, cursor| { b.body.get_or_insert_with(Default::default).#f = #value; b } }
            } else {
                quote! { |mut b, cursor| { if let Some(body) = b.body.as_mut() { body.#f = #value; } b } }
            }
        }
    };
    let next_cursor = match &p.next {
        NextCursor::Path(path) => {
            let found = follow(quote! { Some(r.body()) }, path);
            quote! { |_, r| #found.map(|v| v.to_param()) }
        }
        NextCursor::Offset { total } => {
            let offset = match &p.cursor {
                CursorIn::Query(i) => ident(&op.params[*i].rust_name),
                CursorIn::Body(step) => ident(&step.field),
            };
            let total = follow(quote! { Some(r.body()) }, total);
            let list = match &p.items {
                Some(PageItems { field: Some(f), .. }) => {
                    follow(quote! { Some(r.body()) }, std::slice::from_ref(f))
                }
                _ => quote! { None::<&Vec<()>> },
            };
            quote! { |b, r| {
                let offset = b.#offset.map_or(0, i64::from);
                let count = #list.map_or(0, |items| items.len() as i64);
                let total = #total.map(|total| i64::from(*total))?;
                (count > 0 && offset + count < total).then(|| (offset + count).to_string())
            } }
        }
        NextCursor::LastItemId { has_more, id } => {
            let more = follow(quote! { Some(r.body()) }, has_more);
            let list = match &p.items {
                Some(PageItems { field: Some(f), .. }) => {
                    follow(quote! { Some(r.body()) }, std::slice::from_ref(f))
                }
                _ => quote! { None::<&Vec<()>> },
            };
            let id = ident(&id.field);
            quote! { |_, r| if #more.copied().unwrap_or(false) { #list.and_then(|items| items.last()).map(|item| item.#id.to_param()) } else { None } }
        }
        NextCursor::LinkHeader(name) => {
            quote! { |_, r| crate::runtime::next_link_param(r.headers(), #name) }
        }
    };
    let doc = format!(
        " Every page in turn, lazily: the first request is sent when the stream is first polled, \
         and each next one with this builder's options and the cursor the previous page gave ({}). \
         The stream ends at a page without a cursor, or with one seen before, and after an error.",
        p.reason.replace('`', "'")
    );
    let pages = quote! {
        #[doc = #doc]
        pub fn pages(self) -> crate::pagination::Pages<'a, Self, #page> {
            crate::pagination::Pages::new(self, |b| Box::pin(b.send_with_response()), #set_cursor, #next_cursor)
        }
    };
    let items = match &p.items {
        None => quote! {},
        Some(items) => {
            let item = type_tokens(api, &items.item);
            let take = match &items.field {
                None => quote! { |page| page },
                Some(f) => {
                    let name = ident(&f.field);
                    match (f.required, f.nullable) {
                        (true, false) => quote! { |page| page.#name },
                        (false, true) => quote! { |page| page.#name.flatten().unwrap_or_default() },
                        _ => quote! { |page| page.#name.unwrap_or_default() },
                    }
                }
            };
            let doc = format!(
                " The items of every page in turn{}, lazily; see [`Self::pages`].",
                match &items.field {
                    Some(f) => format!(" (`{}`)", f.wire),
                    None => String::new(),
                }
            );
            quote! {
                #[doc = #doc]
                pub fn items(self) -> crate::pagination::Items<'a, Self, #page, #item> {
                    crate::pagination::Items::new(self.pages(), #take)
                }
            }
        }
    };
    quote! { #pages #items }
}
