//! IR to token streams: one function per thing emitted. Names come from the IR as they are.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::*;

mod client;
mod lib_manifest;
mod mock;
mod operations;
#[cfg(test)]
mod tests;
mod text;
mod types;

pub use client::*;
pub use lib_manifest::*;
pub use mock::emit_mock_part;
pub use operations::*;
pub use types::*;

fn ident(name: &str) -> Ident {
    // Names from the IR are sanitised already; raw identifiers are not needed.
    Ident::new(name, Span::call_site())
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
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let line = line.trim();
        if line.starts_with("```") {
            out.push(if in_fence { " ```" } else { " ```text" }.to_owned());
            in_fence = !in_fence;
        } else {
            out.push(format!(" {line}"));
        }
    }
    if in_fence {
        out.push(" ```".to_owned());
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
    match t {
        TypeRef::Named(i) => {
            let name = ident(&api.types[*i].name);
            quote! { #name }
        }
        TypeRef::String => quote! { String },
        TypeRef::DateTime => quote! { chrono::DateTime<chrono::FixedOffset> },
        TypeRef::Date => quote! { chrono::NaiveDate },
        TypeRef::Uuid => quote! { uuid::Uuid },
        TypeRef::Bool => quote! { bool },
        TypeRef::I32 => quote! { i32 },
        TypeRef::I64 => quote! { i64 },
        TypeRef::U64 => quote! { u64 },
        TypeRef::F32 => quote! { f32 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::Json => quote! { serde_json::Value },
        TypeRef::Array(inner) => {
            let inner = type_tokens(api, inner);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(api, inner);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(api, inner);
            quote! { Option<#inner> }
        }
    }
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

/// Types that requests carry: callers build these for every call, so their constructors are
/// always compiled; the others' only for tests (the `mock` feature).
pub fn request_types(api: &Api) -> Vec<bool> {
    let mut used = vec![false; api.types.len()];
    let mut stack: Vec<TypeRef> = Vec::new();
    for op in &api.operations {
        stack.extend(op.params.iter().map(|p| p.ty.clone()));
        if let Some(b) = &op.body {
            stack.push(b.ty.clone());
        }
    }
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Named(i) if !used[i] => {
                used[i] = true;
                match &api.types[i].kind {
                    TypeKind::Struct {
                        fields, additional, ..
                    } => {
                        stack.extend(fields.iter().map(|f| f.ty.clone()));
                        stack.extend(additional.iter().cloned());
                    }
                    TypeKind::Union { variants, .. } => {
                        stack.extend(variants.iter().map(|v| v.ty.clone()))
                    }
                    TypeKind::Alias(t) => stack.push(t.clone()),
                    TypeKind::Enum { .. } => {}
                }
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                stack.push(*inner)
            }
            _ => {}
        }
    }
    used
}
