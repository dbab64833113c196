//! `src/operations.rs`: namespaces, one request builder per operation, and `send`.

use super::sketch::{SketchFn, SketchImpl, SketchStmt, cfg_line, param_arg_text};
use super::streams::{emit_pagination, emit_streaming};
use super::*;
use crate::surface::{self, BodyField, ParamArg, Success};

/// What `send()` returns ([`surface::success`] decides), the match arms that decode
/// successes, and the success enum when there is one.
pub(super) fn success_shape(
    api: &Api,
    op: &Operation,
) -> (TokenStream, Vec<TokenStream>, TokenStream) {
    let (ret, call) = match surface::success(op) {
        Success::Events(e) => {
            let event = type_tokens(api, e);
            return (
                quote! { crate::streaming::EventStream<#event> },
                Vec::new(),
                quote! {},
            );
        }
        Success::Items(t) => {
            let item = type_tokens(api, t);
            return (
                quote! { crate::streaming::JsonStream<#item> },
                Vec::new(),
                quote! {},
            );
        }
        Success::Enum(enum_name) => return success_enum(api, op, enum_name),
        Success::OptionalJson(t) => {
            let t = type_tokens(api, t);
            (quote! { Option<#t> }, quote! { response.json() })
        }
        Success::Kind(kind) => (
            kind_type(api, kind).unwrap_or(quote! { () }),
            decode_call(kind),
        ),
        Success::Unit => (quote! { () }, quote! { response.empty() }),
    };
    // A documented `303 See Other` is an answer too (the client does not follow it).
    let pattern = if op.success.iter().any(|(s, _)| *s == StatusMatch::Code(303)) {
        quote! { 200..=299 | 303 }
    } else {
        quote! { 200..=299 }
    };
    (ret, vec![quote! { #pattern => #call, }], quote! {})
}

/// The success enum of an operation whose successes carry different kinds of body.
fn success_enum(
    api: &Api,
    op: &Operation,
    enum_name: &str,
) -> (TokenStream, Vec<TokenStream>, TokenStream) {
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
    (quote! { #name }, arms, item)
}

/// The part of `src/operations.rs` with the builders of the operations in `range`; the part
/// that starts at 0 also has the file's prelude and the namespaces.
pub fn emit_operations_part(api: &Api, range: std::ops::Range<usize>) -> Emitted {
    let mut out = Emitted::default();
    if range.start == 0 {
        out.tokens(quote! {
            //! Resource namespaces and one request builder per operation.
            #![allow(clippy::too_many_arguments, clippy::needless_lifetimes)]
            #[allow(unused_imports)]
            use crate::runtime::{ParamValue, Request, RequestOptions, Secret};
            #[allow(unused_imports)]
            use crate::{Client, Error, Response};
            #[allow(unused_imports)]
            use crate::types::*;
        });
        emit_namespace(api, &api.root, None, &mut out);
    }
    for i in range {
        out.tokens(emit_builder(api, i));
    }
    out
}

/// The first operation under a namespace, whose feature is the namespace's.
fn first_operation(ns: &Namespace) -> Option<usize> {
    ns.operations
        .first()
        .copied()
        .or_else(|| ns.children.iter().find_map(first_operation))
}

/// A namespace's struct, accessors and operation methods. `gate` is `None` for the root (whose
/// top-level namespaces and operations are gated one by one) and the top-level namespace's
/// feature below it.
pub(super) fn emit_namespace<'a>(
    api: &'a Api,
    ns: &Namespace,
    gate: Option<Option<&'a str>>,
    out: &mut Emitted,
) {
    let is_root = gate.is_none();
    let (client_expr, lifetime) = if is_root {
        ("self", "'_")
    } else {
        ("self.client", "'a")
    };
    let child_gate = |child: &Namespace| match gate {
        Some(g) => g,
        None => first_operation(child).and_then(|i| operation_feature(api, i)),
    };
    let mut methods = Vec::new();
    for child in &ns.children {
        let ty = &child.type_name;
        let attrs = match child_gate(child) {
            Some(feature) if is_root => vec![cfg_line(feature)],
            _ => Vec::new(),
        };
        methods.push(SketchFn {
            pre: Vec::new(),
            docs: vec![format!(" Operations under `{}`.", child.rust_name)],
            attrs,
            head: format!("pub fn {}", child.rust_name),
            args: vec!["&self".to_owned()],
            ret: format!(" -> {ty}<{lifetime}>"),
            body: vec![SketchStmt::Struct {
                path: ty.clone(),
                fields: vec![format!("client: {client_expr}")],
            }],
        });
    }
    for &i in &ns.operations {
        let mut method = emit_operation_method(api, &api.operations[i], client_expr, lifetime);
        if let Some(feature) = operation_feature(api, i).filter(|_| is_root) {
            method.pre.push(cfg_line(feature));
        }
        methods.push(method);
    }
    if is_root {
        SketchImpl {
            feature: None,
            header: "impl Client".to_owned(),
            fns: methods,
        }
        .emit(out);
    } else {
        let ty = ident(&ns.type_name);
        let feature = gate.flatten();
        let links = |names: Vec<&str>| {
            names
                .iter()
                .map(|n| format!("[`{n}`](Self::{n})"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut doc = vec![format!(
            " The `{}` operations; from the client, `{}`.",
            ns.rust_name, ns.rust_name
        )];
        let operations: Vec<&str> = ns
            .operations
            .iter()
            .map(|&i| api.operations[i].method_name.as_str())
            .collect();
        if !operations.is_empty() {
            doc.push(String::new());
            doc.push(format!(" Operations: {}.", links(operations)));
        }
        if !ns.children.is_empty() {
            let children = ns.children.iter().map(|c| c.rust_name.as_str()).collect();
            doc.push(String::new());
            doc.push(format!(" Nested: {}.", links(children)));
        }
        if let Some(f) = feature {
            doc.push(String::new());
            doc.push(format!(" Needs the cargo feature `{f}` (on by default)."));
        }
        let cfg = feature.map(|f| quote! { #[cfg(feature = #f)] });
        out.tokens(quote! {
            #(#[doc = #doc])*
            #cfg
            #[derive(Debug, Clone, Copy)]
            pub struct #ty<'a> { client: &'a Client }
        });
        SketchImpl {
            feature,
            header: format!("impl<'a> {}<'a>", ns.type_name),
            fns: methods,
        }
        .emit(out);
    }
    for child in &ns.children {
        emit_namespace(api, child, Some(child_gate(child)), out);
    }
}

/// The type a builder stores for a parameter, and the argument type that fills it (as
/// [`surface::param_arg`] decides).
pub(crate) fn param_types(api: &Api, p: &Param) -> (TokenStream, TokenStream, bool) {
    match surface::param_arg(p) {
        ParamArg::Secret => (quote! { Secret }, quote! { impl Into<Secret> }, true),
        ParamArg::IntoString => (quote! { String }, quote! { impl Into<String> }, true),
        ParamArg::Type => {
            let t = type_tokens(api, &p.ty);
            (t.clone(), t, false)
        }
    }
}

pub(crate) fn body_field_type(api: &Api, b: &Body) -> TokenStream {
    match surface::body_field(b) {
        BodyField::Upload => quote! { crate::streaming::UploadBody },
        BodyField::Text => quote! { String },
        BodyField::Type => type_tokens(api, &b.ty),
    }
}

/// The method that starts an operation's builder, on its namespace (or the client).
pub(super) fn emit_operation_method(
    api: &Api,
    op: &Operation,
    client_expr: &str,
    lifetime: &str,
) -> SketchFn {
    let mut args = vec!["&self".to_owned()];
    let mut inits = vec![format!("client: {client_expr}")];
    for p in &op.params {
        let name = &p.rust_name;
        if p.required {
            let (_, arg_ty, into) = param_arg_text(api, p);
            args.push(format!("{name}: {arg_ty}"));
            inits.push(if into {
                format!("{name}: {name}.into()")
            } else {
                name.clone()
            });
        } else {
            inits.push(format!("{name}: None"));
        }
    }
    if let Some(b) = &op.body {
        if b.is_argument() {
            // A binary body: bytes, or a stream or file (`UploadBody::from_file`).
            args.push(format!("body: {}", surface::body_arg_type(api, b, ", ")));
            inits.push(
                if surface::body_takes_into(b) {
                    "body: body.into()"
                } else {
                    "body"
                }
                .to_owned(),
            );
        } else if b.required {
            inits.push("body: Default::default()".to_owned());
        } else {
            inits.push("body: None".to_owned());
        }
        for f in &b.files {
            let name = &f.rust_name;
            if f.required {
                // A required file part: its file name and contents (bytes, a `String`, ..).
                let file_name = &f.file_name_arg;
                args.push(format!("{file_name}: {}", surface::FILE_ARGS[0]));
                args.push(format!("{name}: {}", surface::FILE_ARGS[1]));
                inits.push(format!("{name}: Some(({file_name}.into(), {name}.into()))"));
            } else {
                inits.push(format!("{name}: None"));
            }
        }
    }
    inits.push("options: RequestOptions::default()".to_owned());
    let docs = doc_lines(
        join_docs(&[
            op.summary.as_deref(),
            op.description.as_deref(),
            Some(&format!("`{} {}`", op.method.as_str(), op.path)),
        ])
        .as_deref(),
    );
    let attrs = if op.deprecated {
        vec!["#[deprecated = \"the API marks this operation as deprecated\"]".to_owned()]
    } else {
        Vec::new()
    };
    SketchFn {
        pre: Vec::new(),
        docs,
        attrs,
        head: format!("pub fn {}", op.method_name),
        args,
        ret: format!(" -> {}<{lifetime}>", op.builder_name),
        body: vec![SketchStmt::Struct {
            path: op.builder_name.clone(),
            fields: inits,
        }],
    }
}

pub(super) fn emit_builder(api: &Api, index: usize) -> TokenStream {
    let op = &api.operations[index];
    let cfg = operation_cfg(api, index);
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
        if b.is_argument() {
            fields.push(quote! { body: #ty });
        } else {
            // A binary body is bytes, or a stream or file (`UploadBody::from_file`).
            let (arg, value) = if surface::body_takes_into(b) {
                (quote! { impl Into<#ty> }, quote! { body.into() })
            } else {
                (ty.clone(), quote! { body })
            };
            if b.required {
                fields.push(quote! { body: #ty });
                setters.push(quote! {
                    /// The request body; without this call its default is sent.
                    pub fn body(mut self, body: #arg) -> Self { self.body = #value; self }
                });
            } else {
                fields.push(quote! { body: Option<#ty> });
                setters.push(quote! {
                    /// The request body.
                    pub fn body(mut self, body: #arg) -> Self { self.body = Some(#value); self }
                });
            }
        }
    }
    for f in op.body.iter().flat_map(|b| &b.files) {
        let name = ident(&f.rust_name);
        fields.push(quote! { #name: Option<(String, Vec<u8>)> });
        if f.required {
            continue; // An argument of the call.
        }
        let doc = docs(
            join_docs(&[
                f.description.as_deref(),
                Some(&format!("Sent as the `{}` file part.", f.wire_name)),
            ])
            .as_deref(),
        );
        // The argument types the surface names (`surface::FILE_ARGS`), as tokens.
        let [name_ty, contents_ty] = surface::FILE_ARGS.map(|t| {
            t.parse::<TokenStream>()
                .unwrap_or_else(|_| quote! { compile_error!("a file part's argument type") })
        });
        setters.push(quote! {
            #doc
            pub fn #name(mut self, file_name: #name_ty, contents: #contents_ty) -> Self {
                self.#name = Some((file_name.into(), contents.into()));
                self
            }
        });
    }
    let (ret, success_arms, success_enum) = success_shape(api, op);
    let send_body = emit_send(api, op);
    let decoder = ident(&Api::error_decoder_name(op.error_decoder));
    let doc = format!(
        " Request builder for `{} {}`; finish with `.send().await`.",
        op.method.as_str(),
        op.path
    );
    let streaming = emit_streaming(api, op, &send_body, &decoder);
    let send_with_response =
        if matches!(surface::success(op), Success::Events(_) | Success::Items(_)) {
            // The events or items as they arrive: the whole stream read at once would never
            // return from an endless one.
            let (send, stream) = if op.events_only && op.events.is_some() {
                (quote! { send_events }, quote! { events })
            } else {
                (quote! { send_items }, quote! { items })
            };
            quote! {
                let #stream = self.#send().await?;
                Ok(Response::new(#stream.status(), #stream.headers().clone(), #stream))
            }
        } else {
            quote! {
                #send_body
                let response = self.client.execute(request, self.options).await?;
                match response.status {
                    #(#success_arms)*
                    _ => Err(response.into_error(crate::types::#decoder)),
                }
            }
        };
    let pagination = op
        .pagination
        .as_ref()
        .map(|p| emit_pagination(api, op, p, &ret))
        .unwrap_or_default();
    let success_enum = if success_enum.is_empty() {
        success_enum
    } else {
        quote! { #cfg #success_enum }
    };
    quote! {
        #[doc = #doc]
        #cfg
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields,)*
            options: RequestOptions,
        }

        #cfg
        impl<'a> #builder<'a> {
            #(#setters)*

            crate::runtime::request_options_methods!();

            /// Sends the request and returns the decoded body.
            pub async fn send(self) -> Result<#ret, Error> {
                self.send_with_response().await.map(Response::into_body)
            }

            #pagination

            #streaming

            /// Sends the request and returns the decoded body with the status and headers.
            pub async fn send_with_response(self) -> Result<Response<#ret>, Error> {
                #send_with_response
            }
        }

        #success_enum
    }
}

pub(super) fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path parameter",
        ParamLocation::Query => "query parameter",
        ParamLocation::QueryString(_) => "query string",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

pub(super) fn is_scalar(api: &Api, t: &TypeRef) -> bool {
    match t {
        TypeRef::String
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Uuid
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

/// The text of a path, header or cookie value: scalars directly, an array of scalars joined
/// by commas, anything else (a union, an object) in the `simple` style through its JSON form
/// (see `runtime::simple_param`).
pub(super) fn param_text(
    api: &Api,
    ty: &TypeRef,
    value: TokenStream,
    explode: bool,
) -> TokenStream {
    match ty {
        t if is_scalar(api, t) => quote! { #value.to_param() },
        TypeRef::Array(inner) if is_scalar(api, inner) => quote! {
            #value.iter().map(ParamValue::to_param).collect::<Vec<String>>().join(",")
        },
        _ => quote! {
            crate::runtime::simple_param(&serde_json::to_value(&#value).unwrap_or_default(), #explode)
        },
    }
}

/// The statements that build `request`.
pub(super) fn emit_send(api: &Api, op: &Operation) -> TokenStream {
    let method = match &op.method {
        // No `reqwest::Method` constant: built from its name, which lowering checked.
        Method::Query | Method::Other(_) => {
            let name = op.method.as_str();
            quote! { Request::method(#name)? }
        }
        m => {
            let constant = ident(m.as_str());
            quote! { reqwest::Method::#constant }
        }
    };
    let template = &op.path;
    let security = op.security.iter().map(|alt| {
        let keys = alt.iter().map(|&i| api.schemes[i].key.as_str());
        quote! { &[#(#keys),*] }
    });
    let mut stmts = vec![quote! {
        let mut request = Request::new(#method, #template, &[#(#security),*]);
    }];
    if let Some(accept) = &op.accept {
        stmts.push(quote! { request.accept(#accept); });
    }
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => stmts.push(quote! { request.literal(#text); }),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let name = ident(&p.rust_name);
                let wire = &p.wire_name;
                let text = param_text(api, &p.ty, quote! { self.#name }, p.explode);
                stmts.push(quote! { request.path_param(#wire, &#text)?; });
            }
        }
    }
    for (name, value) in &op.fixed_query {
        stmts.push(quote! { request.query(#name, #value.to_owned()); });
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
            (ParamLocation::Query, TypeRef::Array(inner))
                if is_scalar(api, inner) && !p.explode && p.delimiter != ',' =>
            {
                let delimiter = p.delimiter.to_string();
                quote! { request.query_array_joined(#wire, value, #delimiter); }
            }
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
            (ParamLocation::QueryString(QueryStringEncoding::Form), _) => {
                quote! { request.query_string_form(value)?; }
            }
            (ParamLocation::QueryString(QueryStringEncoding::Json), _) => {
                quote! { request.query_string_json(value)?; }
            }
            (ParamLocation::QueryString(QueryStringEncoding::Text), t) => {
                let text = param_text(api, t, quote! { value }, false);
                quote! { request.query_string_text(&#text); }
            }
            (ParamLocation::Header, t) => {
                let lower = p.wire_name.to_ascii_lowercase();
                let sensitive = p.sensitive;
                let text = param_text(api, t, quote! { value }, p.explode);
                quote! { request.header(#lower, &#text, #sensitive)?; }
            }
            (ParamLocation::Cookie, t) => {
                let text = param_text(api, t, quote! { value }, p.explode);
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
        let file_pushes = || {
            b.files.iter().map(|f| {
                let name = ident(&f.rust_name);
                let wire = &f.wire_name;
                quote! { if let Some((file_name, data)) = &self.#name { files.push((#wire, file_name.as_str(), data.as_slice())); } }
            })
        };
        let send = match b.encoding {
            BodyEncoding::Json => quote! { request.json(#content_type, body)?; },
            BodyEncoding::Form if !b.joined.is_empty() => {
                let names = b.joined.iter().map(|(name, _)| name);
                let delimiters = b.joined.iter().map(|(_, d)| d.to_string());
                quote! { request.form_joined(body, &[#((#names, #delimiters)),*])?; }
            }
            BodyEncoding::Form => quote! { request.form(body)?; },
            BodyEncoding::Multipart => {
                let pushes = file_pushes();
                quote! {
                    #[allow(unused_mut)]
                    let mut files: Vec<(&str, &str, &[u8])> = Vec::new();
                    #(#pushes)*
                    request.multipart(body, &files)?;
                }
            }
            BodyEncoding::Binary => quote! { request.upload(#content_type, body)?; },
            BodyEncoding::Text => {
                quote! { request.body(#content_type, body.clone().into_bytes()); }
            }
        };
        stmts.push(match (b.required, b.encoding) {
            (true, _) => quote! { { let body = &self.body; #send } },
            // An optional multipart body still carries the call's file parts: without the
            // text fields, the files go alone (a required file is an argument of the call,
            // and must reach the wire whether or not `.body(..)` was set).
            (false, BodyEncoding::Multipart) if !b.files.is_empty() => {
                let pushes = file_pushes();
                quote! {
                    match &self.body {
                        Some(body) => { #send }
                        None => {
                            let mut files: Vec<(&str, &str, &[u8])> = Vec::new();
                            #(#pushes)*
                            if !files.is_empty() {
                                request.multipart(&serde_json::Map::new(), &files)?;
                            }
                        }
                    }
                }
            }
            (false, _) => quote! { if let Some(body) = &self.body { #send } },
        });
    }
    quote! { #(#stmts)* }
}

/// A media type that is safe as a static header value; wildcards become concrete types.
pub(super) fn safe_media(media: &str, encoding: BodyEncoding) -> String {
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
