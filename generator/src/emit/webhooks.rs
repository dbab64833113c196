//! `src/webhooks.rs`: the `Event` enum of the API's webhooks, telling them apart, and the
//! signature check (`src/webhooks/signature.rs`, copied from `generator/runtime/webhooks.rs`).

use super::*;

/// A payload type spelled from the crate root, so that no item of the `webhooks` module
/// (`Event`, `Verifier`, ...) can stand for a type of the same name.
fn payload_tokens(api: &Api, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::Named(i) => {
            let name = ident(&api.types[*i].name);
            quote! { crate::types::#name }
        }
        TypeRef::Array(inner) => {
            let inner = payload_tokens(api, inner);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = payload_tokens(api, inner);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Nullable(inner) => {
            let inner = payload_tokens(api, inner);
            quote! { Option<#inner> }
        }
        other => type_tokens(api, other),
    }
}

/// `src/webhooks.rs`.
pub fn emit_webhooks(api: &Api) -> TokenStream {
    let variants = api.webhooks.iter().map(|w| {
        let variant = ident(&w.variant);
        let payload = payload_tokens(api, &w.payload);
        let mut lines = vec![format!(" The `{}` webhook.", w.name.replace('`', "'"))];
        if let Some(description) = &w.description {
            lines.push(String::new());
            lines.extend(doc_lines(Some(description)));
        }
        quote! { #(#[doc = #lines])* #variant(Box<#payload>), }
    });
    let names = api.webhooks.iter().map(|w| {
        let variant = ident(&w.variant);
        let name = &w.name;
        quote! { Event::#variant(_) => #name, }
    });
    // The most specific test first: a webhook told apart by more is tried before one it
    // could be mistaken for.
    let mut order: Vec<&Webhook> = api.webhooks.iter().collect();
    order.sort_by_key(|w| {
        (
            std::cmp::Reverse(w.consts.len() + usize::from(w.header.is_some())),
            &w.name,
        )
    });
    let event_header = api
        .webhooks
        .iter()
        .find_map(|w| w.header.as_ref().map(|(h, _)| h.clone()));
    let tests = order.iter().map(|w| {
        let variant = ident(&w.variant);
        let name = &w.name;
        let mut conditions: Vec<TokenStream> = Vec::new();
        if let Some((_, value)) = &w.header {
            conditions.push(quote! { event == Some(#value) });
        }
        for (property, value) in &w.consts {
            conditions.push(quote! { field(#property) == Some(#value) });
        }
        let condition = if conditions.is_empty() {
            quote! { true }
        } else {
            quote! { #(#conditions)&&* }
        };
        quote! {
            if #condition {
                return read(body, #name, Event::#variant);
            }
        }
    });
    let event = match &event_header {
        Some(header) => quote! { let event = signature::header(headers, #header); },
        None => quote! { let event: Option<&str> = None; let _ = headers; },
    };
    let header_doc = match &event_header {
        Some(header) => format!(
            " The event is told apart by its `{header}` header and the payload's constant properties."
        ),
        None => " The event is told apart by the payload's constant properties.".to_owned(),
    };
    let (verifier, verifier_doc) = match api.webhook_signature {
        Some(scheme) => {
            let (constructor, what) = match scheme {
                WebhookSignature::StandardWebhooks => (
                    quote! { standard_webhooks },
                    "Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`)",
                ),
                WebhookSignature::GitHub => (quote! { github }, "GitHub's `X-Hub-Signature-256`"),
                WebhookSignature::Stripe => (quote! { stripe }, "Stripe's `Stripe-Signature`"),
            };
            let doc = format!(
                " A [`Verifier`] of this API's signatures: {what}, with `secret` (more with [`Verifier::also`])."
            );
            (
                quote! {
                    #[doc = #doc]
                    pub fn verifier(secret: impl Into<crate::Secret>) -> Result<Verifier, WebhookError> {
                        Verifier::#constructor(secret)
                    }
                },
                " The API signs them as [`verifier`] checks.",
            )
        }
        None => (
            quote! {},
            " The API description does not say how the API signs them: build the [`Verifier`] of its scheme.",
        ),
    };
    let field = if api.webhooks.iter().any(|w| !w.consts.is_empty()) {
        quote! { let field = |name: &str| document.get(name).and_then(serde_json::Value::as_str); }
    } else {
        quote! { let _ = &document; }
    };
    let count = match api.webhooks.len() {
        1 => " The API's webhook, with its typed payload.".to_owned(),
        n => format!(" The API's {n} webhooks, each with its typed payload."),
    };
    quote! {
        //! Webhooks: the requests the API sends to your endpoints, as typed events, and the
        //! check of their signatures (the `webhooks` feature).
        //!
        //! [`unwrap`] checks the signature of a request on its raw body, then reads the event;
        //! [`unsafe_unwrap`] reads a payload verified elsewhere. Give them the body exactly as
        //! it arrived: JSON read and written again no longer matches its signature.
        #![doc = ""]
        #![doc = #verifier_doc]
        #![doc = ""]
        #![doc = #header_doc]

        mod signature;

        use crate::reqwest::header::HeaderMap;
        pub use signature::{Scheme, Verifier, WebhookError};

        #[doc = #count]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
        }

        impl Event {
            /// The webhook's name in the API description.
            pub fn name(&self) -> &'static str {
                match self {
                    #(#names)*
                }
            }
        }

        /// Checks the request's signature with `verifier`, then reads its event: the headers
        /// and the raw body as they arrived.
        pub fn unwrap(verifier: &Verifier, headers: &HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
            verifier.verify(headers, body)?;
            unsafe_unwrap(headers, body)
        }

        /// Reads the event of a request whose signature was checked elsewhere (or that needs
        /// none): an event no webhook of the description matches is
        /// [`WebhookError::UnknownEvent`], with the raw body.
        pub fn unsafe_unwrap(headers: &HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
            let document = signature::json(body)?;
            #event
            #field
            #(#tests)*
            Err(WebhookError::unknown(event, body))
        }

        /// The body as the payload of `webhook`, in its variant: a function of its own per
        /// payload type, so that `unsafe_unwrap` never holds every payload type on its stack
        /// at once (hundreds of them overflow a thread's stack in a debug build).
        fn read<T: serde::de::DeserializeOwned>(
            body: &[u8],
            webhook: &'static str,
            variant: fn(Box<T>) -> Event,
        ) -> Result<Event, WebhookError> {
            signature::decode(body, webhook).map(|payload| variant(Box::new(payload)))
        }

        #verifier
    }
}
