//! IR to token streams: one function per thing emitted. Names come from the IR as they are.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::*;

fn ident(name: &str) -> Ident {
    // Names from the IR are sanitised already; raw identifiers are not needed.
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` attributes, one per line. Leading indentation is dropped and code fences
/// are marked `text`, so that descriptions never become doctests of the generated crate.
pub fn docs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let mut out = TokenStream::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let mut line = line.trim().to_owned();
        if line.starts_with("```") {
            if !in_fence {
                line = "```text".to_owned();
            } else {
                line = "```".to_owned();
            }
            in_fence = !in_fence;
        }
        let doc = format!(" {line}");
        out.extend(quote! { #[doc = #doc] });
    }
    if in_fence {
        out.extend(quote! { #[doc = " ```"] });
    }
    out
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
    }
}

/// Types that requests carry: callers build these, so they stay exhaustive.
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
                    TypeKind::Struct { fields, additional } => {
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
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(*inner),
            _ => {}
        }
    }
    used
}

/// `src/types.rs`: every named type and `ErrorBody`.
pub fn emit_types(api: &Api) -> TokenStream {
    emit_types_part(api, &request_types(api), 0..api.types.len())
}

/// The part of `src/types.rs` with the types in `range`. The part that starts at 0 also has
/// the file's prelude, and the part that ends at the last type has `ErrorBody` and the error
/// decoders, so that the parts rendered one after another make the whole file.
pub fn emit_types_part(api: &Api, request: &[bool], range: std::ops::Range<usize>) -> TokenStream {
    let prelude = if range.start == 0 {
        quote! {
            //! Types of the API's requests and responses.
            #![allow(clippy::large_enum_variant, clippy::too_many_arguments)]
            #[allow(unused_imports)]
            use serde::{Deserialize, Serialize};
        }
    } else {
        quote! {}
    };
    let last = range.end >= api.types.len();
    let items = api.types[range.clone()]
        .iter()
        .zip(range)
        .map(|(t, i)| emit_type(api, t, request[i]));
    let error_body = if last {
        emit_error_body(api)
    } else {
        quote! {}
    };
    quote! {
        #prelude
        #(#items)*
        #error_body
    }
}

// Every struct and enum is `#[non_exhaustive]`, so that what a description can add without
// breaking its API (a property, an enum value, a union alternative) does not break the crate's
// consumers either. Structs that requests carry are built with `Type::new(required..)` and a
// setter per optional property instead of a struct literal, which would have to name every
// field (smithy-rs and async-openai's builders serve the same end; a constructor plus setters
// on the type itself needs no second builder type per struct, which large APIs pay for in
// compile time).
fn emit_type(api: &Api, t: &TypeDef, is_request: bool) -> TokenStream {
    let name = ident(&t.name);
    let doc = docs(t.description.as_deref());
    let non_exhaustive = quote! { #[non_exhaustive] };
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            let all_optional = fields.iter().all(|f| !f.required);
            let default = if all_optional {
                quote! { Default, }
            } else {
                quote! {}
            };
            let mut field_tokens: Vec<TokenStream> =
                fields.iter().map(|f| emit_field(api, f)).collect();
            if let Some(extra) = additional {
                let extra_ty = type_tokens(api, extra);
                let field_name = if fields
                    .iter()
                    .any(|f| f.rust_name == "additional_properties")
                {
                    format_ident!("additional_properties_")
                } else {
                    format_ident!("additional_properties")
                };
                field_tokens.push(quote! {
                    /// Properties beyond the ones listed above.
                    #[serde(flatten)]
                    pub #field_name: std::collections::BTreeMap<String, #extra_ty>,
                });
            }
            let constructor = if is_request {
                emit_constructor(api, &name, fields, additional.is_some())
            } else {
                quote! {}
            };
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
                #non_exhaustive
                pub struct #name { #(#field_tokens)* }
                #constructor
            }
        }
        TypeKind::Enum { variants } => emit_enum(&name, doc, variants),
        TypeKind::Union { variants, tag } => emit_union(api, &name, doc, variants, tag.as_deref()),
        TypeKind::Alias(target) => {
            let target = type_tokens(api, target);
            quote! { #doc pub type #name = #target; }
        }
    }
}

/// `Type::new(required..)` and a setter per optional field, for a struct that requests carry.
fn emit_constructor(api: &Api, name: &Ident, fields: &[Field], additional: bool) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    // Setters share the impl with `new`.
    let mut methods = crate::naming::Scope::with_reserved(&["new"]);
    for f in fields {
        let field = ident(&f.rust_name);
        let ty = type_tokens(api, &f.ty);
        let is_string = f.ty == TypeRef::String;
        let (arg_ty, into) = if is_string {
            (quote! { impl Into<String> }, quote! { value.into() })
        } else {
            (ty.clone(), quote! { value })
        };
        let stored = if f.boxed {
            quote! { Box::new(#into) }
        } else {
            into
        };
        if f.required {
            if f.nullable {
                args.push(quote! { #field: Option<#ty> });
                inits.push(if f.boxed {
                    quote! { #field: #field.map(Box::new) }
                } else {
                    quote! { #field }
                });
            } else {
                args.push(quote! { #field: #arg_ty });
                inits.push(match (is_string, f.boxed) {
                    (true, true) => quote! { #field: Box::new(#field.into()) },
                    (true, false) => quote! { #field: #field.into() },
                    (false, true) => quote! { #field: Box::new(#field) },
                    (false, false) => quote! { #field },
                });
            }
            continue;
        }
        inits.push(quote! { #field: None });
        let setter = ident(&methods.claim(f.rust_name.clone()));
        let doc = format!(" Sets `{}`.", f.wire_name);
        let (arg_ty, value) = if f.nullable {
            // `None` sends an explicit null; not calling the setter leaves the field out.
            let inner = if f.boxed {
                quote! { value.map(Box::new) }
            } else {
                quote! { value }
            };
            (quote! { Option<#ty> }, quote! { Some(#inner) })
        } else {
            (arg_ty, quote! { Some(#stored) })
        };
        setters.push(quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: #arg_ty) -> Self {
                self.#field = #value;
                self
            }
        });
    }
    if additional {
        let field_name = if fields
            .iter()
            .any(|f| f.rust_name == "additional_properties")
        {
            format_ident!("additional_properties_")
        } else {
            format_ident!("additional_properties")
        };
        inits.push(quote! { #field_name: Default::default() });
    }
    let doc = format!(
        " Creates a `{name}` from its required properties; set the others with the methods below."
    );
    quote! {
        impl #name {
            #[doc = #doc]
            #[allow(clippy::new_without_default)]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* }
            }
            #(#setters)*
        }
    }
}

fn emit_field(api: &Api, f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let doc = docs(f.description.as_deref());
    let wire = &f.wire_name;
    let rename = if f.rust_name != f.wire_name {
        quote! { #[serde(rename = #wire)] }
    } else {
        quote! {}
    };
    let deprecated = if f.deprecated {
        quote! { #[doc = ""] #[doc = " Deprecated by the API."] }
    } else {
        quote! {}
    };
    let mut ty = type_tokens(api, &f.ty);
    if f.boxed {
        ty = quote! { Box<#ty> };
    }
    let (attr, ty) = match (f.required, f.nullable) {
        (true, false) => (quote! {}, ty),
        (true, true) => (quote! {}, quote! { Option<#ty> }),
        (false, false) => (
            quote! { #[serde(skip_serializing_if = "Option::is_none")] },
            quote! { Option<#ty> },
        ),
        // Absent and null are different answers here: None and Some(None).
        (false, true) => (
            quote! { #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::nullable")] },
            quote! { Option<Option<#ty>> },
        ),
    };
    quote! { #doc #deprecated #rename #attr pub #name: #ty, }
}

fn emit_enum(name: &Ident, doc: TokenStream, variants: &[EnumVariant]) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let docs_each = wires.iter().map(|w| {
        let d = format!(" `{w}`");
        quote! { #[doc = #d] }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs_each #idents, )*
            /// A value this version of the client does not know; kept as sent.
            Unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        crate::runtime::string_enum!(#name);
    }
}

fn emit_union(
    api: &Api,
    name: &Ident,
    doc: TokenStream,
    variants: &[UnionVariant],
    tag: Option<&str>,
) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let tys: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let t = type_tokens(api, &v.ty);
            if v.boxed {
                quote! { Box<#t> }
            } else {
                t
            }
        })
        .collect();
    match tag {
        None => quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #( #idents(#tys), )*
                /// A value that matches none of the alternatives this client knows.
                Unknown(serde_json::Value),
            }
        },
        Some(tag) => {
            // Tagged by a discriminator: the tag picks the variant, and the variant's own type
            // still sees the tag property (serde's internally tagged enums would remove it).
            let arms = variants.iter().zip(&idents).filter_map(|(v, id)| {
                let value = v.tag_value.as_deref()?;
                let wrap = if v.boxed { quote! { |v| Self::#id(Box::new(v)) } } else { quote! { Self::#id } };
                Some(quote! { Some(#value) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom), })
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Serialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #( #idents(#tys), )*
                    /// A tag value this version of the client does not know; kept as sent.
                    Unknown(serde_json::Value),
                }

                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = serde_json::Value::deserialize(deserializer)?;
                        let tag = value.get(#tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                        match tag.as_deref() {
                            #(#arms)*
                            _ => Ok(Self::Unknown(value)),
                        }
                    }
                }
            }
        }
    }
}

fn emit_error_body(api: &Api) -> TokenStream {
    let variants: Vec<Ident> = api
        .error_variants
        .iter()
        .map(|v| ident(&v.rust_name))
        .collect();
    let tys: Vec<TokenStream> = api
        .error_variants
        .iter()
        .map(|v| type_tokens(api, &v.ty))
        .collect();
    let accessor = |pick: fn(&ErrorVariant) -> &Option<(String, bool)>| -> TokenStream {
        if api.error_variants.is_empty() {
            return quote! { match *self {} };
        }
        let arms = api.error_variants.iter().map(|v| {
            let id = ident(&v.rust_name);
            match pick(v) {
                Some((field, true)) => {
                    let f = ident(field);
                    quote! { Self::#id(body) => Some(body.#f.as_str()), }
                }
                Some((field, false)) => {
                    let f = ident(field);
                    quote! { Self::#id(body) => body.#f.as_deref(), }
                }
                None => quote! { Self::#id(_) => None, },
            }
        });
        quote! { match self { #(#arms)* } }
    };
    let request_id = accessor(|v| &v.request_id_field);
    let message = accessor(|v| &v.message_field);
    let decoders = api
        .error_decoders
        .iter()
        .enumerate()
        .map(|(i, d)| emit_error_decoder(api, i, d));
    quote! {
        /// The typed body of an error response, one variant per error schema of the API.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ErrorBody {
            #( #[allow(missing_docs)] #variants(#tys), )*
        }

        impl ErrorBody {
            /// The request id carried in the body, if the error schema has one.
            pub fn request_id(&self) -> Option<&str> { #request_id }

            /// The human-readable message carried in the body, if the error schema has one.
            pub fn message(&self) -> Option<&str> { #message }
        }

        #(#decoders)*
    }
}

fn status_pattern(s: StatusMatch) -> TokenStream {
    match s {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote! { #c }
        }
        StatusMatch::Range(r) => {
            let lo = Literal::u16_unsuffixed(r * 100);
            let hi = Literal::u16_unsuffixed(r * 100 + 99);
            quote! { #lo..=#hi }
        }
        StatusMatch::Default => quote! { _ },
    }
}

fn emit_error_decoder(
    api: &Api,
    index: usize,
    decoder: &[(StatusMatch, Option<usize>)],
) -> TokenStream {
    let name = format_ident!("decode_error_{}", index);
    let decode = |variant: Option<usize>| match variant {
        Some(v) => {
            let id = ident(&api.error_variants[v].rust_name);
            quote! { serde_json::from_slice(body).ok().map(ErrorBody::#id) }
        }
        None => quote! { None },
    };
    let doc =
        quote! { #[doc = " Types an error body by its status, as the operation's responses say."] };
    match decoder {
        [] => {
            quote! { #doc pub(crate) fn #name(_status: u16, _body: &[u8]) -> Option<ErrorBody> { None } }
        }
        [(StatusMatch::Default, v)] => {
            let body = decode(*v);
            let body_arg = if v.is_some() {
                quote! { body }
            } else {
                quote! { _body }
            };
            quote! { #doc pub(crate) fn #name(_status: u16, #body_arg: &[u8]) -> Option<ErrorBody> { #body } }
        }
        _ => {
            let uses_body = decoder.iter().any(|(_, v)| v.is_some());
            let body_arg = if uses_body {
                quote! { body }
            } else {
                quote! { _body }
            };
            let mut arms: Vec<TokenStream> = decoder
                .iter()
                .map(|(s, v)| {
                    let p = status_pattern(*s);
                    let d = decode(*v);
                    quote! { #p => #d, }
                })
                .collect();
            if !decoder.iter().any(|(s, _)| *s == StatusMatch::Default) {
                arms.push(quote! { _ => None, });
            }
            quote! { #doc pub(crate) fn #name(status: u16, #body_arg: &[u8]) -> Option<ErrorBody> { match status { #(#arms)* } } }
        }
    }
}

/// The decoding call for one kind of response body.
fn decode_call(kind: &ResponseKind) -> TokenStream {
    match kind {
        ResponseKind::Json(_) => quote! { response.json() },
        ResponseKind::Empty => quote! { response.empty() },
        ResponseKind::Bytes => quote! { response.bytes() },
        ResponseKind::Text => quote! { response.text() },
    }
}

fn kind_type(api: &Api, kind: &ResponseKind) -> Option<TokenStream> {
    match kind {
        ResponseKind::Json(t) => Some(type_tokens(api, t)),
        ResponseKind::Empty => None,
        ResponseKind::Bytes => Some(quote! { Vec<u8> }),
        ResponseKind::Text => Some(quote! { String }),
    }
}

fn status_label(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(c) => format!("Status{c}"),
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".into(),
    }
}

/// What `send()` returns, the match arms that decode successes, and the success enum when
/// there is one.
/// The type `send()` returns.
pub(crate) fn success_type(api: &Api, op: &Operation) -> TokenStream {
    success_shape(api, op).0
}

/// The success enum's variant for a status.
pub(crate) fn status_variant(s: StatusMatch) -> String {
    status_label(s)
}

fn success_shape(api: &Api, op: &Operation) -> (TokenStream, Vec<TokenStream>, TokenStream) {
    if let Some(enum_name) = &op.success_enum {
        let name = ident(enum_name);
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        let mut ordered: Vec<&(StatusMatch, ResponseKind)> = op.success.iter().collect();
        ordered.sort_by_key(|(s, _)| s.precedence());
        for (status, kind) in ordered {
            let variant = ident(&status_label(*status));
            let pattern = match status {
                StatusMatch::Default => quote! { 200..=299 },
                other => status_pattern(*other),
            };
            let call = decode_call(kind);
            let doc = format!(
                " The `{}` response.",
                status_label(*status).trim_start_matches("Status")
            );
            match kind_type(api, kind) {
                Some(t) => {
                    variants.push(quote! { #[doc = #doc] #variant(#t), });
                    arms.push(quote! { #pattern => #call.map(|r| r.map(#name::#variant)), });
                }
                None => {
                    variants.push(quote! { #[doc = #doc] #variant, });
                    arms.push(quote! { #pattern => #call.map(|r| r.map(|()| #name::#variant)), });
                }
            }
        }
        let covers_all = op
            .success
            .iter()
            .any(|(s, _)| matches!(s, StatusMatch::Range(2) | StatusMatch::Default));
        if !covers_all {
            arms.push(quote! { 200..=299 => response.bytes().map(|r| { let status = r.status(); r.map(|body| #name::Other(status, body)) }), });
        }
        let doc = format!(
            " The successful responses of `{} {}`, one variant per documented status.",
            op.method.as_str(),
            op.path
        );
        let item = quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A success status the API description does not list, with the raw body.
                Other(u16, Vec<u8>),
            }
        };
        return (quote! { #name }, arms, item);
    }
    let kinds: Vec<&ResponseKind> = op.success.iter().map(|(_, k)| k).collect();
    let json = kinds.iter().find_map(|k| {
        if let ResponseKind::Json(t) = k {
            Some(t)
        } else {
            None
        }
    });
    let (ret, call) = match (json, kinds.first()) {
        (Some(t), _) if kinds.contains(&&ResponseKind::Empty) => {
            let t = type_tokens(api, t);
            (quote! { Option<#t> }, quote! { response.json() })
        }
        (_, Some(kind)) => (
            kind_type(api, kind).unwrap_or(quote! { () }),
            decode_call(kind),
        ),
        (_, None) => (quote! { () }, quote! { response.empty() }),
    };
    (ret, vec![quote! { 200..=299 => #call, }], quote! {})
}

/// `src/operations.rs`: namespaces, the client's accessors and one builder per operation.
pub fn emit_operations(api: &Api) -> TokenStream {
    emit_operations_part(api, 0..api.operations.len())
}

/// The part of `src/operations.rs` with the builders of the operations in `range`; the part
/// that starts at 0 also has the file's prelude and the namespaces.
pub fn emit_operations_part(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let prelude = if range.start == 0 {
        let mut items = Vec::new();
        emit_namespace(api, &api.root, true, &mut items);
        quote! {
            //! Resource namespaces and one request builder per operation.
            #![allow(clippy::too_many_arguments, clippy::needless_lifetimes)]
            #[allow(unused_imports)]
            use crate::runtime::{ParamValue, Request, RequestOptions, Secret};
            #[allow(unused_imports)]
            use crate::{Client, Error, Response};
            #[allow(unused_imports)]
            use crate::types::*;
            #(#items)*
        }
    } else {
        quote! {}
    };
    let builders = api.operations[range].iter().map(|op| emit_builder(api, op));
    quote! {
        #prelude
        #(#builders)*
    }
}

fn emit_namespace(api: &Api, ns: &Namespace, is_root: bool, out: &mut Vec<TokenStream>) {
    let client_expr = if is_root {
        quote! { self }
    } else {
        quote! { self.client }
    };
    let lifetime = if is_root {
        quote! { '_ }
    } else {
        quote! { 'a }
    };
    let mut methods = Vec::new();
    for child in &ns.children {
        let accessor = ident(&child.rust_name);
        let ty = ident(&child.type_name);
        let doc = format!(" Operations under `{}`.", child.rust_name);
        methods.push(quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> #ty<#lifetime> { #ty { client: #client_expr } }
        });
    }
    for &i in &ns.operations {
        methods.push(emit_operation_method(
            api,
            &api.operations[i],
            &client_expr,
            &lifetime,
        ));
    }
    if is_root {
        out.push(quote! { impl Client { #(#methods)* } });
    } else {
        let ty = ident(&ns.type_name);
        let doc = format!(
            " The `{}` operations; from the client, `{}`.",
            ns.rust_name, ns.rust_name
        );
        out.push(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy)]
            pub struct #ty<'a> { client: &'a Client }
            impl<'a> #ty<'a> { #(#methods)* }
        });
    }
    for child in &ns.children {
        emit_namespace(api, child, false, out);
    }
}

/// The type a builder stores for a parameter, and the argument type that fills it.
pub(crate) fn param_types(api: &Api, p: &Param) -> (TokenStream, TokenStream, bool) {
    if p.sensitive && matches!(p.ty, TypeRef::String) {
        return (quote! { Secret }, quote! { impl Into<Secret> }, true);
    }
    match &p.ty {
        TypeRef::String => (quote! { String }, quote! { impl Into<String> }, true),
        other => {
            let t = type_tokens(api, other);
            (t.clone(), t, false)
        }
    }
}

pub(crate) fn body_field_type(api: &Api, b: &Body) -> TokenStream {
    match b.encoding {
        BodyEncoding::Binary => quote! { Vec<u8> },
        BodyEncoding::Text => quote! { String },
        _ => type_tokens(api, &b.ty),
    }
}

/// Whether the body is a required method argument.
fn body_is_argument(b: &Body) -> bool {
    b.required && !b.defaultable
}

fn emit_operation_method(
    api: &Api,
    op: &Operation,
    client_expr: &TokenStream,
    lifetime: &TokenStream,
) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &op.params {
        let name = ident(&p.rust_name);
        let (_, arg_ty, into) = param_types(api, p);
        if p.required {
            args.push(quote! { #name: #arg_ty });
            inits.push(if into {
                quote! { #name: #name.into() }
            } else {
                quote! { #name }
            });
        } else {
            inits.push(quote! { #name: None });
        }
    }
    if let Some(b) = &op.body {
        let ty = body_field_type(api, b);
        if body_is_argument(b) {
            args.push(quote! { body: #ty });
            inits.push(quote! { body });
        } else if b.required {
            inits.push(quote! { body: Default::default() });
        } else {
            inits.push(quote! { body: None });
        }
        for f in &b.files {
            let name = ident(&f.rust_name);
            inits.push(quote! { #name: None });
        }
    }
    let doc = docs(
        join_docs(&[
            op.summary.as_deref(),
            op.description.as_deref(),
            Some(&format!("`{} {}`", op.method.as_str(), op.path)),
        ])
        .as_deref(),
    );
    let deprecated = if op.deprecated {
        quote! { #[deprecated = "the API marks this operation as deprecated"] }
    } else {
        quote! {}
    };
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder<#lifetime> {
            #builder { client: #client_expr, #(#inits,)* options: RequestOptions::default() }
        }
    }
}

fn emit_builder(api: &Api, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let name = ident(&p.rust_name);
        let (field_ty, arg_ty, into) = param_types(api, p);
        if p.required {
            fields.push(quote! { #name: #field_ty });
        } else {
            fields.push(quote! { #name: Option<#field_ty> });
            let doc = docs(
                join_docs(&[
                    p.description.as_deref(),
                    Some(&format!(
                        "Sent as the `{}` {}.",
                        p.wire_name,
                        location_word(p.location)
                    )),
                ])
                .as_deref(),
            );
            let value = if into {
                quote! { value.into() }
            } else {
                quote! { value }
            };
            setters.push(quote! {
                #doc
                pub fn #name(mut self, value: #arg_ty) -> Self { self.#name = Some(#value); self }
            });
        }
    }
    if let Some(b) = &op.body {
        let ty = body_field_type(api, b);
        if body_is_argument(b) {
            fields.push(quote! { body: #ty });
        } else if b.required {
            fields.push(quote! { body: #ty });
            setters.push(quote! {
                /// The request body; without this call its default is sent.
                pub fn body(mut self, body: #ty) -> Self { self.body = body; self }
            });
        } else {
            fields.push(quote! { body: Option<#ty> });
            setters.push(quote! {
                /// The request body.
                pub fn body(mut self, body: #ty) -> Self { self.body = Some(body); self }
            });
        }
    }
    for f in op.body.iter().flat_map(|b| &b.files) {
        let name = ident(&f.rust_name);
        fields.push(quote! { #name: Option<(String, Vec<u8>)> });
        let doc = docs(
            join_docs(&[
                f.description.as_deref(),
                Some(&format!("Sent as the `{}` file part.", f.wire_name)),
            ])
            .as_deref(),
        );
        setters.push(quote! {
            #doc
            pub fn #name(mut self, file_name: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
                self.#name = Some((file_name.into(), contents.into()));
                self
            }
        });
    }
    let (ret, success_arms, success_enum) = success_shape(api, op);
    let send_body = emit_send(api, op);
    let decoder = format_ident!("decode_error_{}", op.error_decoder);
    let doc = format!(
        " Request builder for `{} {}`; finish with `.send().await`.",
        op.method.as_str(),
        op.path
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields,)*
            options: RequestOptions,
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            crate::runtime::request_options_methods!();

            /// Sends the request and returns the decoded body.
            pub async fn send(self) -> Result<#ret, Error> {
                self.send_with_response().await.map(Response::into_body)
            }

            /// Sends the request and returns the decoded body with the status and headers.
            pub async fn send_with_response(self) -> Result<Response<#ret>, Error> {
                #send_body
                let response = self.client.execute(request, self.options).await?;
                match response.status {
                    #(#success_arms)*
                    _ => Err(response.into_error(crate::types::#decoder)),
                }
            }
        }

        #success_enum
    }
}

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path parameter",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn is_scalar(api: &Api, t: &TypeRef) -> bool {
    match t {
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::U64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::Json => true,
        TypeRef::Named(i) => match &api.types[*i].kind {
            TypeKind::Enum { .. } => true,
            TypeKind::Alias(t) => is_scalar(api, t),
            _ => false,
        },
        _ => false,
    }
}

/// The text of a path, header or cookie value: scalars directly, anything else (a union, an
/// object) through its JSON form, whose strings are sent bare.
fn param_text(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    if is_scalar(api, ty) {
        quote! { #value.to_param() }
    } else {
        quote! { serde_json::to_value(&#value).unwrap_or_default().to_param() }
    }
}

/// The statements that build `request`.
fn emit_send(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(op.method.as_str());
    let template = &op.path;
    let security = op.security.iter().map(|alt| {
        let keys = alt.iter().map(|&i| api.schemes[i].key.as_str());
        quote! { &[#(#keys),*] }
    });
    let mut stmts = vec![quote! {
        let mut request = Request::new(reqwest::Method::#method, #template, &[#(#security),*]);
    }];
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => stmts.push(quote! { request.literal(#text); }),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let name = ident(&p.rust_name);
                let wire = &p.wire_name;
                let text = param_text(api, &p.ty, quote! { self.#name });
                stmts.push(quote! { request.path_param(#wire, &#text)?; });
            }
        }
    }
    for p in &op.params {
        if p.location == ParamLocation::Path {
            continue;
        }
        let name = ident(&p.rust_name);
        let value = if p.required {
            quote! { let value = &self.#name; }
        } else {
            quote! {}
        };
        let wire = &p.wire_name;
        let send = match (p.location, &p.ty) {
            (ParamLocation::Query, TypeRef::Array(inner)) if is_scalar(api, inner) => {
                let explode = p.explode;
                quote! { request.query_array(#wire, value, #explode); }
            }
            (ParamLocation::Query, t) if !is_scalar(api, t) => {
                let deep = p.deep_object;
                quote! {
                    if let Ok(object) = serde_json::to_value(value) {
                        if object.is_object() { request.query_object(#wire, &object, #deep); } else { request.query(#wire, object.to_param()); }
                    }
                }
            }
            (ParamLocation::Query, _) => quote! { request.query(#wire, value.to_param()); },
            (ParamLocation::Header, t) => {
                let lower = p.wire_name.to_ascii_lowercase();
                let sensitive = p.sensitive;
                let text = param_text(api, t, quote! { value });
                quote! { request.header(#lower, &#text, #sensitive)?; }
            }
            (ParamLocation::Cookie, t) => {
                let text = param_text(api, t, quote! { value });
                quote! { request.cookie(#wire, &#text)?; }
            }
            // Path parameters were sent with the path parts above.
            (ParamLocation::Path, _) => continue,
        };
        stmts.push(if p.required {
            quote! { { #value #send } }
        } else {
            quote! { if let Some(value) = &self.#name { #send } }
        });
    }
    if let Some(b) = &op.body {
        let content_type = safe_media(&b.content_type, b.encoding);
        let send = match b.encoding {
            BodyEncoding::Json => quote! { request.json(#content_type, body)?; },
            BodyEncoding::Form => quote! { request.form(body)?; },
            BodyEncoding::Multipart => {
                let pushes = b.files.iter().map(|f| {
                    let name = ident(&f.rust_name);
                    let wire = &f.wire_name;
                    quote! { if let Some((file_name, data)) = &self.#name { files.push((#wire, file_name.as_str(), data.as_slice())); } }
                });
                quote! {
                    #[allow(unused_mut)]
                    let mut files: Vec<(&str, &str, &[u8])> = Vec::new();
                    #(#pushes)*
                    request.multipart(body, &files)?;
                }
            }
            BodyEncoding::Binary => quote! { request.body(#content_type, body.clone()); },
            BodyEncoding::Text => {
                quote! { request.body(#content_type, body.clone().into_bytes()); }
            }
        };
        stmts.push(if b.required {
            quote! { { let body = &self.body; #send } }
        } else {
            quote! { if let Some(body) = &self.body { #send } }
        });
    }
    quote! { #(#stmts)* }
}

/// A media type that is safe as a static header value; wildcards become concrete types.
fn safe_media(media: &str, encoding: BodyEncoding) -> String {
    let valid = !media.is_empty()
        && media.bytes().all(|b| (0x20..0x7f).contains(&b))
        && !media.contains('*');
    if valid {
        return media.to_owned();
    }
    match encoding {
        BodyEncoding::Json => "application/json".into(),
        BodyEncoding::Text => "text/plain".into(),
        _ => "application/octet-stream".into(),
    }
}

/// `src/client.rs`: constructors and credential setters, from the security schemes and servers.
pub fn emit_client(api: &Api) -> TokenStream {
    let constructor = api.constructor_scheme.map(|i| &api.schemes[i]);
    let default_server = api
        .servers
        .iter()
        .find(|s| s.select.is_none())
        .or(api.servers.first())
        .map(|s| s.url.clone())
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .unwrap_or_default();
    let (params, args, credential) = match constructor {
        Some(s) => {
            let names: Vec<Ident> = s.credentials.iter().map(|c| ident(c)).collect();
            let key = &s.key;
            match &s.kind {
                SchemeKind::Basic => {
                    let (u, p) = (&names[0], &names[1]);
                    (
                        quote! { #u: impl Into<String>, #p: impl Into<Secret> },
                        quote! { #u, #p },
                        quote! {
                            let #u: String = #u.into();
                            let credential = Credential::Basic { username: #u.clone(), password: #p.into() };
                            let credential_key = #key;
                        },
                    )
                }
                SchemeKind::Bearer => {
                    let t = &names[0];
                    (
                        quote! { #t: impl Into<Secret> },
                        quote! { #t },
                        quote! {
                            let #t: Secret = #t.into();
                            let credential = Credential::Bearer(#t.clone());
                            let credential_key = #key;
                        },
                    )
                }
                SchemeKind::ApiKey { location, name } => {
                    let t = &names[0];
                    let loc = location_tokens(*location);
                    (
                        quote! { #t: impl Into<Secret> },
                        quote! { #t },
                        quote! {
                            let #t: Secret = #t.into();
                            let credential = Credential::ApiKey { location: #loc, name: #name, value: #t.clone() };
                            let credential_key = #key;
                        },
                    )
                }
            }
        }
        None => (quote! {}, quote! {}, quote! {}),
    };
    // `x-clientgen-select`: servers chosen by a prefix of the first credential (a user name,
    // which is not secret). Rules for other credentials are ignored: secrets never pick servers.
    let first_credential = constructor.and_then(|s| match s.kind {
        SchemeKind::Basic => s.credentials.first().cloned(),
        _ => None,
    });
    let mut base_url = quote! { #default_server };
    for server in api.servers.iter().rev() {
        if let Some(select) = &server.select {
            if Some(&select.credential) == first_credential.as_ref() {
                let var = ident(&select.credential);
                let prefix = &select.prefix;
                let url = &server.url;
                base_url = quote! { if #var.starts_with(#prefix) { #url } else { #base_url } };
            }
        }
    }
    let with_credential = if constructor.is_some() {
        quote! { .credential(credential_key, credential) }
    } else {
        quote! {}
    };
    let server_doc = match (&first_credential, api.servers.iter().find(|s| s.select.is_some())) {
        (Some(_), Some(s)) => {
            let select = s.select.as_ref().map(|x| format!("`{}` starts with `{}`", x.credential, x.prefix)).unwrap_or_default();
            format!(" The server is `{}` when {select}, and `{default_server}` otherwise; change it with [`ClientBuilder::base_url`].", s.url)
        }
        _ if default_server.is_empty() => " The API description names no absolute server: set one with [`ClientBuilder::base_url`].".to_owned(),
        _ => format!(" The server is `{default_server}`; change it with [`ClientBuilder::base_url`]."),
    };
    let setters = api.schemes.iter().enumerate().filter(|(i, _)| Some(*i) != api.constructor_scheme).map(|(_, s)| {
        let name = ident(&s.rust_name);
        let key = &s.key;
        let doc = docs(join_docs(&[s.description.as_deref(), Some(&format!("Credentials for the `{key}` security scheme."))]).as_deref());
        match &s.kind {
            SchemeKind::Basic => {
                let (u, p) = (ident(&s.credentials[0]), ident(&s.credentials[1]));
                quote! { #doc pub fn #name(self, #u: impl Into<String>, #p: impl Into<Secret>) -> Self {
                    self.credential(#key, Credential::Basic { username: #u.into(), password: #p.into() })
                } }
            }
            SchemeKind::Bearer => {
                let t = ident(&s.credentials[0]);
                quote! { #doc pub fn #name(self, #t: impl Into<Secret>) -> Self { self.credential(#key, Credential::Bearer(#t.into())) } }
            }
            SchemeKind::ApiKey { location, name: wire } => {
                let t = ident(&s.credentials[0]);
                let loc = location_tokens(*location);
                quote! { #doc pub fn #name(self, #t: impl Into<Secret>) -> Self {
                    self.credential(#key, Credential::ApiKey { location: #loc, name: #wire, value: #t.into() })
                } }
            }
        }
    });
    quote! {
        //! Creating a client: servers and credentials.
        #[allow(unused_imports)]
        use crate::runtime::{Client, ClientBuilder, Credential, Error, KeyLocation, Secret};

        impl Client {
            /// Creates a client with the default settings (see [`Client::builder`]).
            pub fn new(#params) -> Result<Client, Error> {
                Self::builder(#args).build()
            }

            /// Starts configuring a client: base URL, timeouts, retries, HTTP client.
            #[doc = ""]
            #[doc = #server_doc]
            pub fn builder(#params) -> ClientBuilder {
                #credential
                let base_url = #base_url;
                ClientBuilder::with_base_url(base_url) #with_credential
            }
        }

        impl ClientBuilder {
            #(#setters)*
        }
    }
}

fn location_tokens(l: ParamLocation) -> TokenStream {
    match l {
        ParamLocation::Header => quote! { KeyLocation::Header },
        ParamLocation::Query => quote! { KeyLocation::Query },
        ParamLocation::Cookie => quote! { KeyLocation::Cookie },
        ParamLocation::Path => quote! { KeyLocation::Header },
    }
}

/// The crate docs' section on the TLS features, which the manifest of [`emit_manifest`] defines.
const TLS_DOCS: &str = "
# TLS

HTTPS works with the default features. The TLS stack is a cargo feature of this crate:

| Feature | TLS stack | First build |
|---|---|---|
| `rustls-ring` (default) | rustls with the ring provider | fastest; needs only what Rust itself needs (a C compiler) |
| `rustls-aws-lc-rs` | rustls with the aws-lc-rs provider (FIPS-capable) | a large C build (AWS-LC) |
| `native-tls` | the platform's TLS (OpenSSL on Linux) | needs the OpenSSL headers on Linux |

The default is rustls with ring because it builds quickly everywhere and needs no system
library. To switch, turn the default off and name one:
`default-features = false, features = [\"native-tls\"]`. Certificates are checked against
the platform's trust store in every case.

Several TLS features may be on at once (another crate in the build may switch one on): the
first of `native-tls`, `rustls-aws-lc-rs` and `rustls-ring` is used. With none, `https` needs a
client passed with [`ClientBuilder::http_client`], whose TLS setup is then the caller's. The
rustls provider is passed to rustls explicitly, so a program that links both ring and aws-lc-rs
works without installing a process-wide default. For a client of your own (proxies, pool
settings), start from [`ClientBuilder::http_client_builder`], which has this TLS setup. The
`http2` feature offers HTTP/2.";

/// `src/lib.rs`: crate docs with a compiled example, modules and re-exports.
pub fn emit_lib(api: &Api, crate_name: &str) -> TokenStream {
    let lib = crate_name.replace('-', "_");
    let mut doc_lines: Vec<String> = vec![format!(
        "Async Rust client for the {} (API version {}).",
        api.title.trim(),
        api.version.trim()
    )];
    if let Some(d) = &api.description {
        doc_lines.push(String::new());
        doc_lines.extend(d.trim().lines().map(str::to_owned));
    }
    doc_lines.push(String::new());
    doc_lines.push("# Example".into());
    doc_lines.push(String::new());
    doc_lines.push("```no_run".into());
    doc_lines.push(format!(
        "# async fn example() -> Result<(), {lib}::Error> {{"
    ));
    let constructor_args = match api.constructor_scheme.map(|i| &api.schemes[i]) {
        Some(s) => {
            let select = api.servers.iter().find_map(|x| x.select.as_ref());
            s.credentials
                .iter()
                .enumerate()
                .map(|(i, c)| match select {
                    Some(sel) if i == 0 && &sel.credential == c => {
                        format!("\"{}...\"", sel.prefix.replace("live", "test"))
                    }
                    _ => format!("\"{c}...\""),
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
        None => String::new(),
    };
    doc_lines.push(format!(
        "let client = {lib}::Client::new({constructor_args})?;"
    ));
    if let Some((chain, op)) = example_call(api) {
        let args: Vec<String> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| format!("\"{}\"", p.rust_name))
            .collect();
        doc_lines.push(format!(
            "let response = client{chain}.{}({}).send().await?;",
            op.method_name,
            args.join(", ")
        ));
        doc_lines.push("println!(\"{response:?}\");".into());
    }
    doc_lines.push("# Ok(())".into());
    doc_lines.push("# }".into());
    doc_lines.push("```".into());
    doc_lines.extend(TLS_DOCS.lines().map(str::to_owned));
    let crate_docs = doc_lines.iter().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote! { #![doc = #l] }
    });
    // An API with no operations (a webhooks-only document) exports only types.
    let no_ops_allow = if api.operations.is_empty() {
        quote! { #[allow(unused_imports)] }
    } else {
        quote! {}
    };
    quote! {
        #(#crate_docs)*
        #![forbid(unsafe_code)]

        // Generated code is formatted by clientgen itself; rustfmt must not reformat it, or
        // `cargo fmt` and `clientgen generate --check` would disagree.
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod operations;
        #[rustfmt::skip]
        mod runtime;
        #[rustfmt::skip]
        pub mod types;

        // One item per `use`, in the order rustfmt sorts them, so that `cargo fmt` leaves
        // this file as generated.
        #no_ops_allow
        pub use operations::*;
        /// The HTTP client library, re-exported for [`ClientBuilder::http_client`] and headers.
        pub use reqwest;
        pub use runtime::ApiError;
        pub use runtime::Client;
        pub use runtime::ClientBuilder;
        pub use runtime::DecodeError;
        pub use runtime::Error;
        pub use runtime::InvalidRequest;
        pub use runtime::RequestOptions;
        pub use runtime::Response;
        pub use runtime::Secret;
        pub use runtime::TransportError;
        pub use types::*;
    }
}

/// The first operation whose required arguments are all strings, with its accessor chain.
fn example_call(api: &Api) -> Option<(String, &Operation)> {
    fn walk<'a>(
        api: &'a Api,
        ns: &Namespace,
        chain: &str,
        out: &mut Option<(String, &'a Operation)>,
    ) {
        for &i in &ns.operations {
            let op = &api.operations[i];
            let simple = op
                .params
                .iter()
                .filter(|p| p.required)
                .all(|p| p.ty == TypeRef::String)
                && op.body.as_ref().is_none_or(|b| !body_is_argument(b));
            if out.is_none() && simple && !op.deprecated {
                *out = Some((chain.to_owned(), op));
            }
        }
        for child in &ns.children {
            walk(api, child, &format!("{chain}.{}()", child.rust_name), out);
        }
    }
    let mut out = None;
    walk(api, &api.root, "", &mut out);
    out
}

/// The generated crate's manifest.
pub fn emit_manifest(
    api: &Api,
    crate_name: &str,
    version: &str,
    spec_blob: &str,
    header: &str,
) -> String {
    let description = format!(
        "Async Rust client for the {}, generated by clientgen",
        api.title.trim()
    )
    .replace('\\', "\\\\")
    .replace('"', "\\\"")
    .replace('\n', " ");
    format!(
        r#"{header}
[package]
name = "{crate_name}"
version = "{version}"
edition = "2021"
rust-version = "1.85"
description = "{description}"

[package.metadata.clientgen]
# The git blob id of the description this crate was generated from: `clientgen generate --bump`
# reads it with `git cat-file -p` and bumps `version` by what changed since.
spec-blob = "{spec_blob}"

[dependencies]
# No default features: HTTP/1.1 only, no charset decoding (bodies are JSON, UTF-8), no system
# proxy settings (the proxy environment variables are still honoured); TLS comes from the
# features below.
reqwest = {{ version = "0.13", default-features = false }}
# Only with a rustls feature, to pass the crypto provider explicitly. The same versions
# reqwest 0.13 uses, so the build has one copy of each.
rustls = {{ version = "0.23", optional = true, default-features = false, features = ["std", "tls12"] }}
rustls-platform-verifier = {{ version = "0.7", optional = true }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
tokio = {{ version = "1", features = ["time"] }}
tracing = {{ version = "0.1", optional = true, default-features = false, features = ["std"] }}
url = "2"

[features]
# rustls with ring: Rust plus a small C and assembly build that needs only the C compiler Rust
# itself needs; the fastest first build. Enable several TLS features and the first of native-tls,
# rustls-aws-lc-rs, rustls-ring wins; with none, only `http_client` or plain-http loopback
# base URLs work.
default = ["rustls-ring"]
rustls-ring = ["reqwest/rustls-no-provider", "dep:rustls", "rustls/ring", "dep:rustls-platform-verifier"]
# rustls with aws-lc-rs (AWS-LC, FIPS-capable): a large C build, needs a C compiler and CMake
# on some platforms. reqwest's own `rustls` feature, so that clients a caller builds with
# reqwest directly find a provider too.
rustls-aws-lc-rs = ["reqwest/rustls", "dep:rustls", "rustls/aws-lc-rs", "dep:rustls-platform-verifier"]
# The platform's TLS: SChannel, Secure Transport, or OpenSSL on Linux (needs its headers).
native-tls = ["reqwest/native-tls"]
# Offer HTTP/2 through ALPN (h2 and hpack add to the build).
http2 = ["reqwest/http2"]
# One `tracing` debug event per HTTP attempt: method, path template, status, attempt, elapsed.
tracing = ["dep:tracing"]
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_never_become_doctests() {
        let text = docs(Some(
            "Example:\n    let x = 1;\n```\nfn main() {}\n```\n```rust\nmore",
        ))
        .to_string();
        assert!(text.contains("\" ```text\""), "{text}");
        assert!(
            !text.contains("\"     let"),
            "indentation is dropped, so no indented code block forms: {text}"
        );
        // An unclosed fence is closed, so the rest of the crate's docs stay prose.
        assert_eq!(text.matches("```").count() % 2, 0, "{text}");
    }

    #[test]
    fn type_references_print_as_rust_types() {
        let api = Api::default();
        let t = TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::I32))));
        assert_eq!(
            type_tokens(&api, &t).to_string(),
            "std :: collections :: BTreeMap < String , Vec < i32 > >"
        );
        assert_eq!(
            type_tokens(&api, &TypeRef::Json).to_string(),
            "serde_json :: Value"
        );
    }

    #[test]
    fn status_patterns() {
        assert_eq!(status_pattern(StatusMatch::Code(404)).to_string(), "404");
        assert_eq!(
            status_pattern(StatusMatch::Range(5)).to_string(),
            "500 ..= 599"
        );
        assert_eq!(status_pattern(StatusMatch::Default).to_string(), "_");
    }
}
