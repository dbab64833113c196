//! `src/types.rs`: structs (each with a constructor and setters), enums, unions, `ErrorBody`
//! and its decoders.

use super::*;

/// The part of `src/types.rs` with the types in `range`. The part that starts at 0 also has
/// the file's prelude, and the part that ends at the last type has `ErrorBody` and the error
/// decoders, so that the parts rendered one after another make the whole file.
pub fn emit_types_part(api: &Api, request: &[bool], range: std::ops::Range<usize>) -> Emitted {
    let mut out = Emitted::default();
    if range.start == 0 {
        let (chrono, uuid) = formats_used(api);
        // Typed formats as parameters: the same text they have in JSON.
        let chrono_params = if chrono {
            quote! {
                impl crate::runtime::ParamValue for chrono::DateTime<chrono::FixedOffset> {
                    fn to_param(&self) -> String {
                        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                    }
                }
                impl crate::runtime::ParamValue for chrono::NaiveDate {
                    fn to_param(&self) -> String {
                        self.format("%Y-%m-%d").to_string()
                    }
                }
            }
        } else {
            quote! {}
        };
        let uuid_params = if uuid {
            quote! {
                impl crate::runtime::ParamValue for uuid::Uuid {
                    fn to_param(&self) -> String {
                        self.hyphenated().to_string()
                    }
                }
            }
        } else {
            quote! {}
        };
        out.tokens(quote! {
            //! Types of the API's requests and responses.
            #![allow(clippy::large_enum_variant, clippy::too_many_arguments)]
            #[allow(unused_imports)]
            use serde::{Deserialize, Serialize};
            #[allow(unused_imports)]
            use crate::runtime::de;
            #chrono_params
            #uuid_params
        });
    }
    let last = range.end >= api.types.len();
    for i in range {
        emit_type(api, i, request[i], &mut out);
    }
    if last {
        out.tokens(emit_error_body(api));
    }
    out
}

// Every struct and enum is `#[non_exhaustive]`, so that what a description can add without
// breaking its API (a property, an enum value, a union alternative) does not break the crate's
// consumers either. Every struct is built with `Type::new(required..)` and a setter per
// optional property instead of a struct literal, which would have to name every field:
// requests' structs so that a caller can send them, responses' so that a test can build the
// value a mock returns without JSON (smithy-rs and async-openai's builders serve the same end;
// a constructor plus setters on the type itself needs no second builder type per struct,
// which large APIs pay for in compile time). A type only responses carry gets its constructor
// with the `mock` feature only: a normal build compiles none of them (GitHub's API has
// thousands), and only tests build such values.
//
// Declarations (struct definitions, aliases, the `from_map!`, `constructor!` and
// `string_enum!` lines) are written as text (`text.rs`); impls with bodies as tokens.
pub(super) fn emit_type(api: &Api, index: usize, is_request: bool, out: &mut Emitted) {
    let t = &api.types[index];
    let serde = SerdeImpls::of(api, index);
    match &t.kind {
        TypeKind::Struct {
            fields,
            additional,
            additional_name,
        } => {
            let extra_name = additional.as_ref().map(|_| additional_name.as_str());
            out.text(|l| {
                text::struct_def(
                    l,
                    api,
                    index,
                    fields,
                    additional.as_ref().zip(extra_name),
                    &serde,
                )
            });
            if is_request {
                let name = ident(&t.name);
                let extra = extra_name.map(ident);
                let constructor = emit_constructor(api, &name, fields, extra.as_ref());
                let cfg = type_cfg(api, index);
                out.tokens(quote! { #cfg #constructor });
                // An item of its own, gated as a whole: the module form of `build.rs` drops
                // what the `mock` feature gates, item by item.
                if api.sampled.get(index).copied().unwrap_or(false) {
                    out.text(|l| macros::request_sample(l, api, index, fields, extra_name));
                }
            } else if api.sampled.get(index).copied().unwrap_or(false) {
                out.text(|l| macros::test_constructor(l, api, index, fields, extra_name));
            }
            out.text(|l| macros::from_map(l, api, index, fields, extra_name, &serde));
        }
        TypeKind::Enum { variants } => out.text(|l| macros::string_enum(l, api, index, variants)),
        TypeKind::Union { variants, tag } => {
            let name = ident(&t.name);
            let doc = docs(t.description.as_deref());
            let cfg = type_cfg(api, index);
            out.tokens(emit_union(
                api,
                &name,
                doc,
                &cfg,
                &serde,
                variants,
                tag.as_deref(),
            ))
        }
        TypeKind::Alias(target) => out.text(|l| text::alias(l, api, index, target)),
    }
}

/// Which serde impls a type gets. A type only ever received needs no `Serialize`, and one
/// only ever sent needs no `Deserialize`: on GitHub's API that leaves out most `Serialize`
/// impls. The crate's `serde-all` feature adds both to every type, for consumers who store or
/// replay values (and for the generated conformance test, which reads its arguments as JSON).
pub(super) struct SerdeImpls {
    serialize: bool,
    deserialize: bool,
    /// The API has features, so `serde-all` exists.
    gated: bool,
}

impl SerdeImpls {
    pub(super) fn of(api: &Api, index: usize) -> Self {
        let f = &api.features;
        if f.list.is_empty() || index >= f.sent.len() {
            return Self {
                serialize: true,
                deserialize: true,
                gated: false,
            };
        }
        Self {
            serialize: f.sent[index],
            deserialize: f.received[index],
            gated: true,
        }
    }

    /// What `Serialize` adds to a type's derives: `(in the derive list, an attribute of its
    /// own)`; the second is the `cfg_attr` of `serde-all` for a type no request sends.
    pub(super) fn serialize_derive(&self) -> (TokenStream, TokenStream) {
        if self.always_serialize() {
            (quote! { Serialize }, quote! {})
        } else {
            (
                quote! {},
                quote! { #[cfg_attr(feature = "serde-all", derive(Serialize))] },
            )
        }
    }

    /// Whether `Serialize` is derived in every build; if not, the fields' `#[serde(..)]`
    /// attributes are written as `cfg_attr`s of `serde-all`, since without the derive no
    /// attribute named `serde` exists.
    pub(super) fn always_serialize(&self) -> bool {
        self.serialize || !self.gated
    }

    /// Whether `Deserialize` is implemented in every build (else only with `serde-all`).
    pub(super) fn deserialize_always(&self) -> bool {
        self.deserialize || !self.gated
    }

    /// The extra gate of a `Deserialize` impl: `serde-all` when the type is never received.
    pub(super) fn deserialize_cfg(&self) -> TokenStream {
        if self.deserialize_always() {
            quote! {}
        } else {
            quote! { #[cfg(feature = "serde-all")] }
        }
    }
}

/// `Type::new(required..)` and a setter per optional field (its `sample()` is
/// `macros::request_sample`'s).
pub(super) fn emit_constructor(
    api: &Api,
    name: &Ident,
    fields: &[Field],
    additional: Option<&Ident>,
) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
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
        let setter = ident(&f.setter);
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
    if let Some(field_name) = additional {
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

pub(super) fn emit_union(
    api: &Api,
    name: &Ident,
    doc: TokenStream,
    cfg: &TokenStream,
    serde: &SerdeImpls,
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
    let (serialize_listed, serialize) = serde.serialize_derive();
    let untagged = if serde.always_serialize() {
        quote! { #[serde(untagged)] }
    } else {
        quote! { #[cfg_attr(feature = "serde-all", serde(untagged))] }
    };
    let de_cfg = serde.deserialize_cfg();
    let deserialize_body = match tag {
        // The first alternative that reads the value, tried in order on one buffered value:
        // what serde's untagged derive does, in a few lines per alternative instead of a
        // buffering visitor per enum.
        None => quote! {
            let value = serde_json::Value::deserialize(deserializer)?;
            #( if let Some(v) = de::alternative(&value) { return Ok(Self::#idents(v)); } )*
            Ok(Self::Unknown(value))
        },
        // Tagged by a discriminator: the tag picks the variant, and the variant's own type
        // still sees the tag property (serde's internally tagged enums would remove it).
        // Alternatives that declare the same tag (OpenAI's input and output messages are both
        // `type: message`) are tried in turn under it, like an untagged union.
        Some(tag) => {
            let mut groups: Vec<(&str, Vec<(&UnionVariant, &Ident)>)> = Vec::new();
            for (v, id) in variants.iter().zip(&idents) {
                let Some(value) = v.tag_value.as_deref() else {
                    continue;
                };
                match groups.iter_mut().find(|(t, _)| *t == value) {
                    Some((_, members)) => members.push((v, id)),
                    None => groups.push((value, vec![(v, id)])),
                }
            }
            let arms = groups.iter().map(|(value, members)| {
                let wrap = |v: &UnionVariant, id: &Ident| {
                    if v.boxed { quote! { |v| Self::#id(Box::new(v)) } } else { quote! { Self::#id } }
                };
                match members.as_slice() {
                    [(v, id)] => {
                        let wrap = wrap(v, id);
                        quote! { Some(#value) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom), }
                    }
                    _ => {
                        let tries = members.iter().map(|(v, id)| {
                            let wrap = wrap(v, id);
                            quote! { if let Some(v) = de::alternative(&value) { return Ok((#wrap)(v)); } }
                        });
                        quote! { Some(#value) => { #(#tries)* Ok(Self::Unknown(value)) } }
                    }
                }
            });
            quote! {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    };
    let unknown_doc = if tag.is_some() {
        quote! { #[doc = " A tag value this version of the client does not know; kept as sent."] }
    } else {
        quote! { #[doc = " A value that matches none of the alternatives this client knows."] }
    };
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq, #serialize_listed)]
        #serialize
        #untagged
        #[non_exhaustive]
        pub enum #name {
            #( #idents(#tys), )*
            #unknown_doc
            Unknown(serde_json::Value),
        }

        #cfg
        #de_cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize_body
            }
        }
    }
}

pub(super) fn emit_error_body(api: &Api) -> TokenStream {
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
    let variant_cfg = |i: usize| match api.features.error_variants.get(i) {
        Some(set) => cfg_features(api, set),
        None => quote! {},
    };
    let cfgs: Vec<TokenStream> = (0..api.error_variants.len()).map(variant_cfg).collect();
    // `match *self` with `ref` bindings, so that the match stays valid when a build's
    // features leave the enum without variants.
    let accessor = |pick: fn(&ErrorVariant) -> &Option<(String, bool)>| -> TokenStream {
        let arms = api.error_variants.iter().zip(&cfgs).map(|(v, cfg)| {
            let id = ident(&v.rust_name);
            match pick(v) {
                Some((field, true)) => {
                    let f = ident(field);
                    quote! { #cfg Self::#id(ref body) => Some(body.#f.as_str()), }
                }
                Some((field, false)) => {
                    let f = ident(field);
                    quote! { #cfg Self::#id(ref body) => body.#f.as_deref(), }
                }
                None => quote! { #cfg Self::#id(_) => None, },
            }
        });
        quote! { match *self { #(#arms)* } }
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
            #( #[allow(missing_docs)] #cfgs #variants(#tys), )*
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

pub(super) fn status_pattern(s: StatusMatch) -> TokenStream {
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

pub(super) fn emit_error_decoder(
    api: &Api,
    index: usize,
    decoder: &[(StatusMatch, Option<usize>)],
) -> TokenStream {
    let name = ident(&Api::error_decoder_name(index));
    let decode = |variant: Option<usize>| match variant {
        Some(v) => {
            let id = ident(&api.error_variants[v].rust_name);
            quote! { serde_json::from_slice(body).ok().map(ErrorBody::#id) }
        }
        None => quote! { None },
    };
    let cfg = match api.features.error_decoders.get(index) {
        Some(set) => cfg_features(api, set),
        None => quote! {},
    };
    let doc = quote! {
        #[doc = " Types an error body by its status, as the operation's responses say."]
        #cfg
    };
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
pub(super) fn decode_call(kind: &ResponseKind) -> TokenStream {
    match kind {
        ResponseKind::Json(_) => quote! { response.json() },
        ResponseKind::Empty => quote! { response.empty() },
        ResponseKind::Bytes => quote! { response.bytes() },
        ResponseKind::Text => quote! { response.text() },
    }
}

pub(super) fn kind_type(api: &Api, kind: &ResponseKind) -> Option<TokenStream> {
    match kind {
        ResponseKind::Json(t) => Some(type_tokens(api, t)),
        ResponseKind::Empty => None,
        ResponseKind::Bytes => Some(quote! { Vec<u8> }),
        ResponseKind::Text => Some(quote! { String }),
    }
}

pub(super) fn status_label(s: StatusMatch) -> String {
    s.variant_name()
}
