//! `src/mock.rs` (the `mock` feature): the table of operations the mock server checks
//! requests against, and per operation a typed mock builder whose matchers and answers take
//! the operation's own Rust types. The machinery is the runtime's (`runtime/mock.rs`, on
//! wiremock); this file only types it, as progenitor's httpmock extensions do, with the
//! checks of a spec-validating mock such as Prism built in: a request the description would
//! reject fails the test, naming the operation.

use super::operations::{is_scalar, location_word, param_text, param_types};
use super::*;

/// The accessor chain and method a consumer calls an operation with, by operation index:
/// `client.organizations().members().get_connected_apps(..)`.
fn calls(api: &Api) -> Vec<String> {
    fn walk(ns: &Namespace, chain: &mut Vec<String>, out: &mut Vec<String>, api: &Api) {
        for &i in &ns.operations {
            let mut call = String::from("client");
            for c in chain.iter() {
                call.push_str(&format!(".{c}()"));
            }
            call.push_str(&format!(".{}(..)", api.operations[i].method_name));
            out[i] = call;
        }
        for child in &ns.children {
            chain.push(child.rust_name.clone());
            walk(child, chain, out, api);
            chain.pop();
        }
    }
    let mut out = vec![String::new(); api.operations.len()];
    walk(&api.root, &mut Vec::new(), &mut out, api);
    out
}

/// The `MockServer` method and the marker type of each operation, as lowering named them.
fn mock_names(api: &Api) -> Vec<(String, String)> {
    api.operations
        .iter()
        .map(|op| (op.mock.method.clone(), op.mock.marker.clone()))
        .collect()
}

/// The part of `src/mock.rs` with the operations in `range`; the part that starts at 0 also
/// has the prelude and the table of every operation.
pub fn emit_mock_part(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let calls = calls(api);
    let names = mock_names(api);
    let prelude = if range.start == 0 {
        let specs = api
            .operations
            .iter()
            .enumerate()
            .map(|(i, op)| emit_spec(api, i, op, &calls[i]));
        let markers = names.iter().enumerate().map(|(i, (_, marker))| {
            let cfg = operation_cfg(api, i);
            let marker = ident(marker);
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
            //! `server.users_get().id("u1").respond_200(body).mount().await` (the method is
            //! the operation's namespaces and name in one: `client.users().get(..)`).
            //! A matcher left out matches any value. A request the API description would
            //! reject (a path of no operation, a required parameter missing, a body that is
            //! not the operation's body type), or one no mock answers, is answered with an
            //! error naming the operation, and fails [`MockServer::verify`] and the drop of
            //! the server.
            #![allow(clippy::too_many_arguments, clippy::needless_lifetimes, unused_imports)]
            pub use crate::runtime::mock::{Mock, MockServer, Mounted};
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
    let mocks = range.map(|i| emit_mock(api, i, &calls[i], &names[i]));
    quote! {
        #prelude
        #(#mocks)*
    }
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
fn emit_mock(
    api: &Api,
    index: usize,
    call: &str,
    (method, builder): &(String, String),
) -> TokenStream {
    let op = &api.operations[index];
    let cfg = operation_cfg(api, index);
    let method = ident(method);
    let builder = ident(builder);
    let mut items = Vec::new();
    for (p, matcher) in op.params.iter().zip(&op.mock.matchers) {
        let Some(matcher) = matcher else {
            continue;
        };
        let wire = p.wire_name.as_str();
        let (field_ty, arg_ty, into) = param_types(api, p);
        let value = if into {
            quote! { let value: #field_ty = value.into(); }
        } else {
            quote! {}
        };
        let record = match p.location {
            ParamLocation::Path => {
                let text = param_text(api, &p.ty, quote! { value }, p.explode);
                quote! { self.inner.path_param(#wire, #text); }
            }
            ParamLocation::Header => {
                let lower = wire.to_ascii_lowercase();
                let text = param_text(api, &p.ty, quote! { value }, p.explode);
                quote! { self.inner.header(#lower, #text); }
            }
            ParamLocation::Query => match &p.ty {
                t if is_scalar(api, t) => {
                    quote! { self.inner.query(#wire, vec![value.to_param()]); }
                }
                TypeRef::Array(inner) if is_scalar(api, inner) => quote! {
                    self.inner.query(#wire, value.iter().map(ParamValue::to_param).collect());
                },
                _ => {
                    let deep = p.deep_object;
                    quote! { self.inner.query_object(#wire, serde_json::to_value(&value).unwrap_or_default(), #deep); }
                }
            },
            // Cookies and a whole query string are not matched: any value is taken.
            ParamLocation::Cookie | ParamLocation::QueryString(_) => continue,
        };
        let name = ident(matcher);
        let doc = format!(
            " Answers only requests whose `{wire}` {} is this value.",
            location_word(p.location)
        );
        items.push(quote! {
            #[doc = #doc]
            pub fn #name(mut self, value: #arg_ty) -> Self {
                #value
                #record
                self
            }
        });
    }
    if let Some(b) = op
        .body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)
    {
        let ty = type_tokens(api, &b.ty);
        items.push(quote! {
            /// Answers only requests whose JSON body is this value.
            pub fn match_body(mut self, body: #ty) -> Self {
                self.inner.body(&body);
                self
            }
        });
    }
    let mut answers: Vec<&(StatusMatch, ResponseKind)> = op.success.iter().collect();
    answers.extend(op.errors.iter());
    for ((status, kind), name) in answers.into_iter().zip(&op.mock.responders) {
        let code = status_code(status);
        let name = ident(name);
        let (status_arg, status_value) = match code {
            Some(c) => (quote! {}, quote! { #c }),
            None => (quote! { status: u16, }, quote! { status }),
        };
        let (doc, body_arg, record) = match kind {
            ResponseKind::Json(t) => {
                let ty = type_tokens(api, t);
                (
                    "with this JSON body",
                    quote! { body: #ty },
                    quote! { self.inner.answer_json(#status_value, &body); },
                )
            }
            ResponseKind::Empty => (
                "without a body",
                quote! {},
                quote! { self.inner.answer_raw(#status_value, Vec::new(), None); },
            ),
            ResponseKind::Bytes => (
                "with these bytes",
                quote! { body: impl Into<Vec<u8>> },
                quote! { self.inner.answer_raw(#status_value, body.into(), Some("application/octet-stream")); },
            ),
            ResponseKind::Text => (
                "with this text",
                quote! { body: impl Into<String> },
                quote! { self.inner.answer_raw(#status_value, body.into().into_bytes(), Some("text/plain")); },
            ),
        };
        let doc = match code {
            Some(c) => format!(" Answers `{c}` {doc}, as the API description documents it."),
            None => format!(" Answers `status` {doc}, as the API description documents it."),
        };
        items.push(quote! {
            #[doc = #doc]
            pub fn #name(mut self, #status_arg #body_arg) -> Self {
                #record
                self
            }
        });
    }
    if let Some(p) = &op.pagination {
        let page_ty = op.success.iter().find_map(|(_, k)| match k {
            ResponseKind::Json(t) => Some(type_tokens(api, t)),
            _ => None,
        });
        if let Some(page_ty) = page_ty {
            let link = match &p.next {
                NextCursor::LinkHeader(param) => quote! { Some(#param) },
                _ => quote! { None },
            };
            items.push(quote! {
                /// Answers `200` with these pages, one per request in order (the last one
                /// again after them), for `.pages()` and `.items()`; each page carries the
                /// cursor of the next as the API does.
                pub fn respond_pages(mut self, pages: Vec<#page_ty>) -> Self {
                    self.inner.pages(&pages, #link);
                    self
                }
            });
        }
    }
    if let Some(event) = &op.events {
        let ty = type_tokens(api, event);
        items.push(quote! {
            /// Answers `200` with these server-sent events, each event's data as JSON, then
            /// `data: [DONE]` when `done`.
            pub fn respond_events(mut self, events: Vec<#ty>, done: bool) -> Self {
                self.inner.answer_events(&events, done);
                self
            }
        });
    }
    let doc = format!(" Mocks `{call}`: `{} {}`.", op.method.as_str(), op.path);
    quote! {
        #cfg
        impl MockServer {
            #[doc = #doc]
            pub fn #method(&self) -> Mock<'_, operations::#builder> {
                Mock::new(self, #index)
            }
        }

        #cfg
        impl Mock<'_, operations::#builder> {
            #(#items)*
        }
    }
}
