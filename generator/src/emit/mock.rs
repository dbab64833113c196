//! `src/mock.rs` (the `mock` feature): the table of operations the mock server checks
//! requests against, and per operation a typed mock builder whose matchers and answers take
//! the operation's own Rust types. The machinery is the runtime's (`runtime/mock.rs`, on
//! wiremock); this file only types it, as progenitor's httpmock extensions do, with the
//! checks of a spec-validating mock such as Prism built in: a request the description would
//! reject fails the test, naming the operation.

use super::operations::{is_scalar, location_word};
use super::sample;
use super::sketch::{SketchFn, SketchImpl, SketchStmt, flat_type, param_arg_text};
use super::*;

/// The part of `src/mock.rs` with the operations in `range`; the part that starts at 0 also
/// has the prelude and the table of every operation.
pub fn emit_mock_part(api: &Api, range: std::ops::Range<usize>) -> Emitted {
    let prelude = if range.start == 0 {
        let calls: Vec<String> = api.operations.iter().map(Operation::call).collect();
        let specs = api
            .operations
            .iter()
            .enumerate()
            .map(|(i, op)| emit_spec(api, i, op, &calls[i]));
        let markers = api.operations.iter().enumerate().map(|(i, op)| {
            let cfg = operation_cfg(api, i);
            let marker = ident(&op.mock.marker);
            let doc = format!(" `{}`.", calls[i]);
            quote! {
                #[doc = #doc]
                #cfg
                #[derive(Debug)]
                pub struct #marker;
            }
        });
        quote! {
            //! Typed mocks of every operation, on wiremock (the `mock` feature): start a
            //! [`MockServer`], point a normal `Client` at [`MockServer::uri`], and set up
            //! each answer with the operation's own types:
            //! `server.users_get().id("u1").respond_200_with(body).mount().await` (the method is
            //! the operation's namespaces and name in one: `client.users().get(..)`).
            //! A matcher left out matches any value. A request the API description would
            //! reject (a path of no operation, a required parameter missing, a body that is
            //! not the operation's body type), or one no mock answers, is answered with an
            //! error naming the operation, and fails [`MockServer::verify`] and the drop of
            //! the server.
            #![allow(clippy::too_many_arguments, clippy::needless_lifetimes, unused_imports)]
            pub use crate::runtime::mock::{Mock, MockServer, Mounted, ReceivedRequest};
            use crate::runtime::mock::OperationSpec;
            use crate::runtime::{ParamValue, Secret};
            use crate::types::*;

            impl MockServer {
                /// Starts a mock of the API on 127.0.0.1.
                pub async fn start() -> MockServer {
                    MockServer::start_with(OPERATIONS).await
                }
            }

            /// Every operation, in the order the generator lowered them.
            static OPERATIONS: &[OperationSpec] = &[#(#specs),*];

            /// One marker type per operation, naming it in [`Mock`]`<'_, Op>`.
            pub mod operations {
                #(#markers)*
            }
        }
    } else {
        quote! {}
    };
    let mut out = Emitted::default();
    out.tokens(prelude);
    for i in range {
        for block in emit_mock(api, i) {
            block.emit(&mut out);
        }
    }
    out
}

/// One entry of the operations table.
fn emit_spec(api: &Api, index: usize, op: &Operation, call: &str) -> TokenStream {
    let method = op.method.as_str();
    let template = op.path.as_str();
    let required_query = op
        .params
        .iter()
        .filter(|p| p.required && p.location == ParamLocation::Query)
        .map(|p| p.wire_name.as_str());
    let required_headers = op
        .params
        .iter()
        .filter(|p| p.required && p.location == ParamLocation::Header)
        .map(|p| p.wire_name.to_ascii_lowercase());
    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    // A JSON body must decode as the operation's body type. The check is a function of its
    // own, so that the table stands whatever API features leave the type out.
    let body_check = match &op.body {
        Some(b) if b.encoding == BodyEncoding::Json => {
            let ty = type_tokens(api, &b.ty);
            let decode = quote! {
                serde_json::from_slice::<#ty>(body).map(|_| ()).map_err(|e| e.to_string())
            };
            let result = match api.features.operation.get(index) {
                Some(&f) => {
                    let feature = api.features.list[f].name.as_str();
                    quote! {
                        #[cfg(feature = #feature)]
                        let result = #decode;
                        #[cfg(not(feature = #feature))]
                        let result = Ok(());
                        result
                    }
                }
                None => decode,
            };
            quote! {
                Some({
                    #[allow(unused_variables)]
                    fn check(body: &[u8]) -> Result<(), String> {
                        #result
                    }
                    check
                })
            }
        }
        _ => quote! { None },
    };
    quote! {
        OperationSpec {
            call: #call,
            method: #method,
            template: #template,
            required_query: &[#(#required_query),*],
            required_headers: &[#(#required_headers),*],
            body_required: #body_required,
            body_check: #body_check,
        }
    }
}

/// A `respond_..` method name for a status match.
/// The status code a mock's answer method sends, when it is one code.
fn status_code(s: &StatusMatch) -> Option<u16> {
    match s {
        StatusMatch::Code(c) => Some(*c),
        _ => None,
    }
}

/// The mock builder of one operation and its `MockServer` method.
fn emit_mock(api: &Api, index: usize) -> [SketchImpl<'_>; 2] {
    let op = &api.operations[index];
    let call = op.call();
    let (method, builder) = (&op.mock.method, &op.mock.marker);
    let feature = operation_feature(api, index);
    let mut items = matchers(api, op);
    if let Some(b) = op
        .body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)
    {
        items.push(method_fn(
            vec![" Answers only requests whose JSON body is this value.".to_owned()],
            "match_body",
            vec![format!("body: {}", flat_type(api, &b.ty))],
            vec!["self.inner.body(&body);".to_owned()],
        ));
    }
    items.extend(responders(api, op));
    items.extend(page_responder(api, op));
    if let Some(event) = &op.events {
        items.push(method_fn(
            vec![
                " Answers `200` with these server-sent events, each event's data as JSON, then"
                    .to_owned(),
                " `data: [DONE]` when `done`.".to_owned(),
            ],
            "respond_events",
            vec![
                format!("events: Vec<{}>", flat_type(api, event)),
                "done: bool".to_owned(),
            ],
            vec!["self.inner.answer_events(&events, done);".to_owned()],
        ));
    }
    let doc = format!(" Mocks `{call}`: `{} {}`.", op.method.as_str(), op.path);
    [
        SketchImpl {
            feature,
            header: "impl MockServer".to_owned(),
            fns: vec![SketchFn {
                pre: Vec::new(),
                docs: vec![doc],
                attrs: Vec::new(),
                head: format!("pub fn {method}"),
                args: vec!["&self".to_owned()],
                ret: format!(" -> Mock<'_, operations::{builder}>"),
                body: vec![SketchStmt::Line(format!("Mock::new(self, {index}usize)"))],
            }],
        },
        SketchImpl {
            feature,
            header: format!("impl Mock<'_, operations::{builder}>"),
            fns: items,
        },
    ]
}

/// The type at `steps` (wire names) below a page type, through aliases and nullables.
fn path_type<'a>(api: &'a Api, root: &'a TypeRef, steps: &[Step]) -> Option<&'a TypeRef> {
    fn strip<'a>(api: &'a Api, mut t: &'a TypeRef) -> &'a TypeRef {
        for _ in 0..16 {
            match t {
                TypeRef::Nullable(inner) => t = inner,
                TypeRef::Named(i) => match &api.types[*i].kind {
                    TypeKind::Alias(inner) => t = inner,
                    _ => return t,
                },
                _ => return t,
            }
        }
        t
    }
    let mut current = strip(api, root);
    for step in steps {
        let TypeRef::Named(i) = current else {
            return None;
        };
        let TypeKind::Struct { fields, .. } = &api.types[*i].kind else {
            return None;
        };
        let field = fields.iter().find(|f| f.wire_name == step.wire)?;
        current = strip(api, &field.ty);
    }
    Some(current)
}

/// A builder method: `pub fn name(mut self, args..) -> Self { body.. self }`.
fn method_fn(docs: Vec<String>, name: &str, args: Vec<String>, body: Vec<String>) -> SketchFn {
    let mut all_args = vec!["mut self".to_owned()];
    all_args.extend(args);
    let mut body: Vec<SketchStmt> = body.into_iter().map(SketchStmt::Line).collect();
    body.push(SketchStmt::Line("self".to_owned()));
    SketchFn {
        pre: Vec::new(),
        docs,
        attrs: Vec::new(),
        head: format!("pub fn {name}"),
        args: all_args,
        ret: " -> Self".to_owned(),
        body,
    }
}

/// A matcher per path, query and header parameter.
fn matchers(api: &Api, op: &Operation) -> Vec<SketchFn> {
    let mut items = Vec::new();
    for (p, matcher) in op.params.iter().zip(&op.mock.matchers) {
        let Some(matcher) = matcher else {
            continue;
        };
        let wire = string_lit(&p.wire_name);
        let (field_ty, arg_ty, into) = param_arg_text(api, p);
        let mut body = Vec::new();
        if into {
            body.push(format!("let value: {field_ty} = value.into();"));
        }
        let text = |ty: &TypeRef| match ty {
            t if is_scalar(api, t) => "value.to_param()".to_owned(),
            TypeRef::Array(inner) if is_scalar(api, inner) => {
                "value.iter().map(ParamValue::to_param).collect::<Vec<String>>().join(\",\")"
                    .to_owned()
            }
            _ => format!(
                "crate::runtime::simple_param(&serde_json::to_value(&value).unwrap_or_default(), {})",
                p.explode
            ),
        };
        body.push(match p.location {
            ParamLocation::Path => format!("self.inner.path_param({wire}, {});", text(&p.ty)),
            ParamLocation::Header => format!(
                "self.inner.header({}, {});",
                string_lit(&p.wire_name.to_ascii_lowercase()),
                text(&p.ty)
            ),
            ParamLocation::Query => match &p.ty {
                t if is_scalar(api, t) => {
                    format!("self.inner.query({wire}, vec![value.to_param()]);")
                }
                TypeRef::Array(inner) if is_scalar(api, inner) => format!(
                    "self.inner.query({wire}, value.iter().map(ParamValue::to_param).collect());"
                ),
                _ => format!(
                    "self.inner.query_object({wire}, serde_json::to_value(&value).unwrap_or_default(), {});",
                    p.deep_object
                ),
            },
            // Cookies and a whole query string are not matched: any value is taken.
            ParamLocation::Cookie | ParamLocation::QueryString(_) => continue,
        });
        items.push(method_fn(
            vec![format!(
                " Answers only requests whose `{}` {} is this value.",
                p.wire_name,
                location_word(p.location)
            )],
            matcher,
            vec![format!("value: {arg_ty}")],
            body,
        ));
    }
    items
}

/// `respond_<status>()` (a sample of the documented body) and, where a body is documented,
/// `respond_<status>_with(body)`, for each documented status.
fn responders(api: &Api, op: &Operation) -> Vec<SketchFn> {
    let mut items = Vec::new();
    let mut answers: Vec<&(StatusMatch, ResponseKind)> = op.success.iter().collect();
    answers.extend(op.errors.iter());
    let names = op.mock.responders.iter().zip(&op.mock.responders_with);
    for ((status, kind), (name, name_with)) in answers.into_iter().zip(names) {
        let code = status_code(status);
        let status_value = match code {
            Some(c) => format!("{c}u16"),
            None => "status".to_owned(),
        };
        let status_doc = match code {
            Some(c) => format!("`{c}`"),
            None => "`status`".to_owned(),
        };
        // The media type the description documents for this status (the client's choice
        // where it documents several), else the kind's usual one.
        let media = op
            .response_media
            .iter()
            .find(|(s, _)| s == status)
            .map(|(_, m)| m.as_str());
        let media_literal = |fallback: &str| format!("{:?}", media.unwrap_or(fallback));
        // What the body-taking responder records, given `body`, and its argument.
        let (what, body_arg, record) = match kind {
            ResponseKind::Json(t) => (
                "this JSON body",
                format!("body: {}", flat_type(api, t)),
                match media {
                    Some(m) if m != "application/json" => {
                        format!("self.inner.answer_json_as({status_value}, &body, {:?});", m)
                    }
                    _ => format!("self.inner.answer_json({status_value}, &body);"),
                },
            ),
            ResponseKind::Empty => (
                "",
                String::new(),
                format!("self.inner.answer_raw({status_value}, Vec::new(), None);"),
            ),
            ResponseKind::Bytes => (
                "these bytes",
                "body: impl Into<Vec<u8>>".to_owned(),
                format!(
                    "self.inner.answer_raw({status_value}, body.into(), Some({}));",
                    media_literal("application/octet-stream")
                ),
            ),
            ResponseKind::Text => (
                "this text",
                "body: impl Into<String>".to_owned(),
                format!(
                    "self.inner.answer_raw({status_value}, body.into().into_bytes(), Some({}));",
                    media_literal("text/plain")
                ),
            ),
        };
        // What the argument-less responder does: a JSON body's sample goes through the
        // `_with` responder (one short line, whatever the type's name), an empty, text or
        // bytes answer is recorded as it is.
        let status_arg = code.is_none().then(|| "status: u16".to_owned());
        let sample = match (kind, name_with) {
            (ResponseKind::Json(t), Some(with)) => sample::sample_expr(api, t).map(|e| {
                let status = if code.is_none() { "status, " } else { "" };
                SketchStmt::Line(format!("self.{with}({status}{e})"))
            }),
            (ResponseKind::Json(_), None) => None,
            (ResponseKind::Empty, _) => Some(SketchStmt::Line(record.clone())),
            (ResponseKind::Bytes | ResponseKind::Text, _) => Some(SketchStmt::Line(format!(
                "self.inner.answer_raw({status_value}, Vec::new(), Some({}));",
                media_literal(if *kind == ResponseKind::Text {
                    "text/plain"
                } else {
                    "application/octet-stream"
                })
            ))),
        };
        if let Some(sample) = sample {
            let doc = match kind {
                ResponseKind::Empty => format!(
                    " Answers {status_doc} without a body, as the API description documents it."
                ),
                ResponseKind::Json(_) => {
                    format!(" Answers {status_doc} with a sample of the documented body.")
                }
                _ => format!(" Answers {status_doc} with an empty body of the documented type."),
            };
            let delegates = matches!(kind, ResponseKind::Json(_));
            let mut args = vec![if delegates { "self" } else { "mut self" }.to_owned()];
            args.extend(status_arg.iter().cloned());
            let mut body = vec![sample];
            if !delegates {
                body.push(SketchStmt::Line("self".to_owned()));
            }
            items.push(SketchFn {
                pre: Vec::new(),
                docs: vec![doc],
                attrs: Vec::new(),
                head: format!("pub fn {name}"),
                args,
                ret: " -> Self".to_owned(),
                body,
            });
        }
        if let Some(with) = name_with {
            let mut args: Vec<String> = status_arg.iter().cloned().collect();
            args.push(body_arg);
            items.push(method_fn(
                vec![format!(
                    " Answers {status_doc} with {what}, as the API description documents it."
                )],
                with,
                args,
                vec![record],
            ));
        }
    }
    items
}

/// `respond_pages(pages)` of a paginated operation, linking the pages as its pagination
/// reads them.
fn page_responder(api: &Api, op: &Operation) -> Option<SketchFn> {
    if let Some(p) = &op.pagination {
        let page_ty = op.success.iter().find_map(|(_, k)| match k {
            ResponseKind::Json(t) => Some(flat_type(api, t)),
            _ => None,
        });
        let page_ref = op.success.iter().find_map(|(_, k)| match k {
            ResponseKind::Json(t) => Some(t),
            _ => None,
        });
        if let (Some(page_ty), Some(page_ref)) = (page_ty, page_ref) {
            let path_lit = |steps: &[Step]| {
                let wires: Vec<String> = steps.iter().map(|s| string_lit(&s.wire)).collect();
                format!("&[{}]", wires.join(", "))
            };
            let items_lit = match &p.items {
                Some(PageItems { field: Some(f), .. }) => format!("Some({})", string_lit(&f.wire)),
                _ => "None".to_owned(),
            };
            let link = match &p.next {
                NextCursor::LinkHeader(param) => {
                    format!(
                        "crate::runtime::mock::PageLinks::Header({})",
                        string_lit(param)
                    )
                }
                NextCursor::Path(steps) => {
                    let last = steps.last();
                    let integer = matches!(
                        path_type(api, page_ref, steps),
                        Some(TypeRef::I32 | TypeRef::I64 | TypeRef::U64)
                    );
                    format!(
                        "crate::runtime::mock::PageLinks::Cursor {{ path: {}, integer: {integer}, required: {}, nullable: {} }}",
                        path_lit(steps),
                        last.is_some_and(|s| s.required),
                        last.is_some_and(|s| s.nullable)
                    )
                }
                NextCursor::LastItemId { has_more, .. } => format!(
                    "crate::runtime::mock::PageLinks::HasMore {{ has_more: {} }}",
                    path_lit(has_more)
                ),
                NextCursor::Offset { total } => format!(
                    "crate::runtime::mock::PageLinks::Offset {{ total: {}, items: {items_lit} }}",
                    path_lit(total)
                ),
            };
            return Some(method_fn(
                vec![
                    " Answers `200` with these pages, one per request in order (the last one"
                        .to_owned(),
                    " again after them), for `.pages()` and `.items()`. The mock links them as the"
                        .to_owned(),
                    " API does, whatever their cursor fields say: each but the last points to the"
                        .to_owned(),
                    " next (its cursor, `has_more`, total or `Link` header), the last to none."
                        .to_owned(),
                ],
                "respond_pages",
                vec![format!("pages: Vec<{page_ty}>")],
                vec![format!("self.inner.pages(&pages, {link});")],
            ));
        }
    }
    None
}
