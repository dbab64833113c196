//! IR to token streams: one function per thing emitted. Names come from the IR as they are.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::*;

mod client;
mod lib_manifest;
mod macros;
mod mock;
mod operations;
mod sample;
mod sketch;
mod streams;
#[cfg(test)]
mod tests;
mod text;
mod types;
mod webhooks;

pub use client::*;
pub use lib_manifest::*;
pub use mock::emit_mock_part;
pub use operations::*;
pub use types::*;
pub use webhooks::emit_webhooks;

fn ident(name: &str) -> Ident {
    // Names from the IR are sanitised already; raw identifiers are not needed.
    Ident::new(name, Span::call_site())
}

/// A Rust string literal of `s`, escaped as the compiler reads it back.
fn string_lit(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// `#[doc = "..."]` attributes, one per line of `doc_lines`.
pub fn docs(text: Option<&str>) -> TokenStream {
    let mut out = TokenStream::new();
    for doc in doc_lines(text) {
        out.extend(quote! { #[doc = #doc] });
    }
    out
}

/// The doc lines of a description, each with its leading space. Leading indentation is
/// dropped and code fences are marked `text`, so that descriptions never become doctests of
/// the generated crate.
fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else {
        return Vec::new();
    };
    description_lines(text.trim().lines().map(str::trim))
        .into_iter()
        .map(|l| format!(" {l}"))
        .collect()
}

/// A description's lines as doc text (without the leading space): each code block a `text`
/// block (never a doctest of the generated crate; one left open is closed), the prose between
/// them through [`doc_paragraphs`].
pub(crate) fn description_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut prose: Vec<&str> = Vec::new();
    for line in lines {
        if line.trim_start().starts_with("```") {
            out.extend(doc_paragraphs(&prose));
            prose.clear();
            out.push(if in_fence { "```" } else { "```text" }.to_owned());
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line.to_owned());
        } else {
            prose.push(line);
        }
    }
    out.extend(doc_paragraphs(&prose));
    if in_fence {
        out.push("```".to_owned());
    }
    out
}

/// Lines of prose (no code fence among them) through [`doc_text`] a paragraph at a time, so
/// that a link or a code span broken over two lines is seen whole; as many lines back.
fn doc_paragraphs(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    if lines.is_empty() {
        return out;
    }
    for paragraph in lines.split(|l| l.trim().is_empty()) {
        out.extend(
            doc_text(&paragraph.join("\n"))
                .split('\n')
                .map(str::to_owned),
        );
        out.push(String::new());
    }
    // `split` gives one paragraph more than there are blank lines.
    out.pop();
    out
}

/// HTML elements a description may use as HTML: any other `<name>` is text (`<id>`,
/// `Array<string>`), escaped so that rustdoc reads no unclosed tag.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// A line of a description as rustdoc should read it: Markdown as written, but what rustdoc
/// would warn about (and docs.rs's `-D warnings` checks refuse) made plain text. Brackets that
/// are not a link to a URL or an anchor are escaped (`[RFC6749]`, `[0]`, `[optional]` would
/// be intra-doc links to nothing); a `<name>` that is not an HTML element is escaped (`<id>`
/// would be an unclosed tag); a bare URL is put in angle brackets. Code spans are left as
/// they are.
pub(crate) fn doc_text(line: &str) -> String {
    if !line.contains(['[', '<', ':']) {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        match c {
            '`' => {
                // A code span: up to the same run of backticks; a run that none closes is
                // plain text.
                let run = rest.len() - rest.trim_start_matches('`').len();
                let ticks = &rest[..run];
                let end = rest[run..].find(ticks).map_or(run, |e| run + e + run);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '<' => {
                let tag_end = rest.find('>');
                let inner = tag_end.map(|e| &rest[1..e]);
                let is_url = inner.is_some_and(|t| {
                    (t.starts_with("http://")
                        || t.starts_with("https://")
                        || t.starts_with("mailto:"))
                        && !t.contains(char::is_whitespace)
                });
                let is_html = inner.is_some_and(|t| {
                    let name: String = t
                        .trim_start_matches('/')
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect();
                    let after = &t.trim_start_matches('/')[name.len()..];
                    HTML_TAGS.contains(&name.to_ascii_lowercase().as_str())
                        && (after.is_empty() || after.starts_with([' ', '/']))
                });
                match tag_end {
                    Some(e) if is_url || is_html => {
                        out.push_str(&rest[..=e]);
                        rest = &rest[e + 1..];
                    }
                    _ => {
                        out.push_str("&lt;");
                        rest = &rest[1..];
                    }
                }
            }
            '[' => {
                // `[text](target)` to a URL or an anchor stays a link; anything else in
                // brackets is text.
                let link = rest.find("](").and_then(|close| {
                    let target_end = rest[close + 2..].find(')')? + close + 2;
                    let text = &rest[1..close];
                    let target = &rest[close + 2..target_end];
                    let linkable = target.contains("://")
                        || target.starts_with('#')
                        || target.starts_with("mailto:");
                    (linkable && !text.contains([']', '['])).then_some((text, target_end))
                });
                match link {
                    Some((text, end)) => {
                        out.push('[');
                        out.push_str(&doc_text(text));
                        out.push_str(&rest[1 + text.len()..=end]);
                        rest = &rest[end + 1..];
                    }
                    None => {
                        out.push_str("\\[");
                        rest = &rest[1..];
                    }
                }
            }
            ']' => {
                out.push_str("\\]");
                rest = &rest[1..];
            }
            _ => {
                // Up to the next character this handles, with bare URLs linked.
                let end = rest[1..]
                    .find(['`', '<', '[', ']'])
                    .map_or(rest.len(), |e| e + 1);
                out.push_str(&autolink(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    out
}

/// A description's line with each bare URL in angle brackets (`<https://..>`), which rustdoc
/// makes a link and otherwise warns about (`rustdoc::bare_urls`, an error under docs.rs's
/// `-D warnings` checks). A URL already in a Markdown link, in angle brackets, in an HTML
/// attribute or in a code span is left as it is; trailing punctuation stays outside.
fn autolink(line: &str) -> String {
    if !line.contains("://") {
        return line.to_owned();
    }
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        if rest.starts_with('`') {
            in_code = !in_code;
        }
        let starts_url = !in_code
            && (rest.starts_with("https://") || rest.starts_with("http://"))
            && !matches!(
                i.checked_sub(1).map(|p| bytes[p]),
                Some(b'<' | b'"' | b'\'' | b'=' | b'/' | b'[')
            )
            // A Markdown link's target: `](https://..)`.
            && !line[..i].ends_with("](");
        if !starts_url {
            let c = rest.chars().next().expect("not at the end");
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let mut end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
            .unwrap_or(rest.len());
        // Sentence punctuation after a URL is not part of it, nor an unbalanced `)`.
        loop {
            let url = &rest[..end];
            let trim = url.ends_with(['.', ',', ';', ':', '!', '?', '*', '_'])
                || (url.ends_with(')') && url.matches('(').count() < url.matches(')').count());
            if !trim || end == 0 {
                break;
            }
            end -= 1;
        }
        let url = &rest[..end];
        if url.len() <= "https://".len() {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        i += end;
    }
    out
}

/// Code emitted for one piece of a file: token streams, which rendering parses and prints with
/// prettyplease, and text already laid out (by `crate::layout`), in file order.
#[derive(Default)]
pub struct Emitted {
    /// The parts in order.
    pub parts: Vec<Part>,
    scratch: crate::layout::Layout,
}

/// A run of items of [`Emitted`].
pub enum Part {
    /// Items to parse and print.
    Tokens(TokenStream),
    /// Items already printed.
    Text(String),
}

impl Emitted {
    /// Adds items as tokens.
    pub fn tokens(&mut self, tokens: TokenStream) {
        if tokens.is_empty() {
            return;
        }
        match self.parts.last_mut() {
            Some(Part::Tokens(last)) => last.extend(tokens),
            _ => self.parts.push(Part::Tokens(tokens)),
        }
    }

    /// Adds items written as a layout by `write`.
    pub(crate) fn text(&mut self, write: impl FnOnce(&mut crate::layout::Layout)) {
        let mut layout = std::mem::take(&mut self.scratch);
        layout.clear();
        write(&mut layout);
        if !matches!(self.parts.last(), Some(Part::Text(_))) {
            self.parts.push(Part::Text(String::new()));
        }
        if let Some(Part::Text(text)) = self.parts.last_mut() {
            layout.print_into(text);
        }
        self.scratch = layout;
    }
}

impl From<TokenStream> for Emitted {
    fn from(tokens: TokenStream) -> Self {
        let mut e = Emitted::default();
        e.tokens(tokens);
        e
    }
}

/// A type whose values are parsed from strings with a format (dates, times, UUIDs), so that
/// a parse error can name the property.
fn typed_format(t: &TypeRef) -> bool {
    match t {
        TypeRef::DateTime | TypeRef::Date | TypeRef::Uuid => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            typed_format(inner)
        }
        _ => false,
    }
}

fn join_docs(parts: &[Option<&str>]) -> Option<String> {
    let text: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if text.is_empty() {
        None
    } else {
        Some(text.join("\n\n"))
    }
}

/// The Rust type of a type reference.
pub fn type_tokens(api: &Api, t: &TypeRef) -> TokenStream {
    let mut out = TokenStream::new();
    push_type_tokens(api, t, &mut out);
    out
}

/// [`type_tokens`] into one stream: no stream per path or argument (types are spelled in
/// every field and argument, so this is on the hot path of emit).
fn push_type_tokens(api: &Api, t: &TypeRef, out: &mut TokenStream) {
    use crate::spelling::{Arg, spelling};
    use proc_macro2::{Punct, Spacing, TokenTree};
    fn path(p: &str, out: &mut TokenStream) {
        for (k, segment) in p.split("::").enumerate() {
            if k > 0 {
                out.extend([
                    TokenTree::Punct(Punct::new(':', Spacing::Joint)),
                    TokenTree::Punct(Punct::new(':', Spacing::Alone)),
                ]);
            }
            out.extend([TokenTree::Ident(ident(segment))]);
        }
    }
    let s = spelling(api, t);
    path(s.path, out);
    if s.args.is_empty() {
        return;
    }
    out.extend([TokenTree::Punct(Punct::new('<', Spacing::Alone))]);
    for (k, arg) in s.args.iter().enumerate() {
        if k > 0 {
            out.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
        }
        match arg {
            Arg::Type(t) => push_type_tokens(api, t, out),
            Arg::Path(p) => path(p, out),
        }
    }
    out.extend([TokenTree::Punct(Punct::new('>', Spacing::Alone))]);
}

/// `#[cfg(any(feature = "a", ..))]` for a set of API features; nothing when the API has none
/// (see [`Features`]). An empty set compiles the item under no feature at all.
pub(crate) fn cfg_features(api: &Api, set: &[usize]) -> TokenStream {
    if api.features.list.is_empty() {
        return quote! {};
    }
    let names: Vec<&str> = set
        .iter()
        .map(|&i| api.features.list[i].name.as_str())
        .collect();
    match names.as_slice() {
        [one] => quote! { #[cfg(feature = #one)] },
        _ => quote! { #[cfg(any(#(feature = #names),*))] },
    }
}

/// The gate of operation `i`: its feature.
pub(crate) fn operation_cfg(api: &Api, i: usize) -> TokenStream {
    match operation_feature(api, i) {
        Some(feature) => quote! { #[cfg(feature = #feature)] },
        None => quote! {},
    }
}

/// The API feature operation `i` is compiled with, when the API has features.
fn operation_feature(api: &Api, i: usize) -> Option<&str> {
    api.features
        .operation
        .get(i)
        .filter(|_| !api.features.list.is_empty())
        .map(|&f| api.features.list[f].name.as_str())
}

/// The gate of type `i`: the features that reach it.
pub(crate) fn type_cfg(api: &Api, i: usize) -> TokenStream {
    match api.features.types.get(i) {
        Some(set) => cfg_features(api, set),
        None => quote! {},
    }
}

/// Which typed formats the API uses anywhere: (chrono for dates and times, uuid). The
/// generated crate depends on those crates only then.
pub fn formats_used(api: &Api) -> (bool, bool) {
    fn visit(t: &TypeRef, out: &mut (bool, bool)) {
        match t {
            TypeRef::DateTime | TypeRef::Date => out.0 = true,
            TypeRef::Uuid => out.1 = true,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                visit(inner, out)
            }
            _ => {}
        }
    }
    let mut out = (false, false);
    for t in &api.types {
        match &t.kind {
            TypeKind::Struct {
                fields, additional, ..
            } => {
                fields.iter().for_each(|f| visit(&f.ty, &mut out));
                additional.iter().for_each(|a| visit(a, &mut out));
            }
            TypeKind::Union { variants, .. } => {
                variants.iter().for_each(|v| visit(&v.ty, &mut out))
            }
            TypeKind::Alias(a) => visit(a, &mut out),
            TypeKind::Enum { .. } => {}
        }
    }
    for op in &api.operations {
        op.params.iter().for_each(|p| visit(&p.ty, &mut out));
        op.body.iter().for_each(|b| visit(&b.ty, &mut out));
        for (_, k) in op.success.iter().chain(&op.errors) {
            if let ResponseKind::Json(t) = k {
                visit(t, &mut out);
            }
        }
        op.events.iter().for_each(|e| visit(e, &mut out));
        op.items.iter().for_each(|s| visit(&s.item, &mut out));
    }
    out
}

/// Types that requests carry (see [`Api::request_types`]).
pub fn request_types(api: &Api) -> Vec<bool> {
    api.request_types()
}
