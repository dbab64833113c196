//! Webhooks: the requests an API sends to its users (`webhooks`, or `x-webhooks` as GitHub's
//! 3.0 description has them). Each becomes a variant of the generated `webhooks::Event` with
//! its typed payload, and what tells it apart: the event header (a header whose value differs
//! between webhooks, such as GitHub's `X-GitHub-Event`) and the payload's constants (top-level
//! properties with one allowed value, such as `action: [created]` or an event `type`).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use crate::diag::join;
use crate::model::{TypeRef, Webhook, WebhookSignature};
use crate::naming::{Scope, pascal};
use crate::parse::media_essence;

use super::operation_lowerer::OperationLowerer;

/// The methods a webhook's operation may use, in the order they are looked for.
const METHODS: &[&str] = &["post", "put", "patch", "get", "delete"];

/// What tells a webhook apart: its event header's value and its payload's constants.
type Constraints = (Option<(String, String)>, Vec<(String, String)>);

/// A header value a webhook declares, and whether the description fixes it (`const` or an
/// `enum` of one) or only gives it as an example.
struct HeaderValue {
    value: String,
    fixed: bool,
}

impl<'a> OperationLowerer<'a, '_> {
    /// The webhooks of the document, sorted by name, and the signature scheme the description
    /// names with `x-clientgen-webhook-signature`.
    pub(super) fn lower_webhooks(&mut self) -> (Vec<Webhook>, Option<WebhookSignature>) {
        let raw = self.raw;
        let signature = match raw.get("x-clientgen-webhook-signature") {
            None => None,
            Some(Value::String(s)) if s == "standard-webhooks" => {
                Some(WebhookSignature::StandardWebhooks)
            }
            Some(Value::String(s)) if s == "github" => Some(WebhookSignature::GitHub),
            Some(Value::String(s)) if s == "stripe" => Some(WebhookSignature::Stripe),
            Some(_) => {
                self.types.diags.error(
                    "#/x-clientgen-webhook-signature",
                    "x-clientgen-webhook-signature must be `standard-webhooks`, `github` or `stripe`",
                );
                None
            }
        };
        let mut found: BTreeMap<String, (String, &Value)> = BTreeMap::new();
        for section in ["webhooks", "x-webhooks"] {
            for (name, item) in raw
                .get(section)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let pointer = join(&format!("#/{section}"), name);
                if found.contains_key(name) {
                    self.types.diags.warn(
                        &pointer,
                        format!("webhook `{name}` is also in `webhooks`; this one is skipped"),
                    );
                    continue;
                }
                found.insert(name.clone(), (pointer, item));
            }
        }
        if found.is_empty() {
            if signature.is_some() {
                self.types.diags.warn(
                    "#/x-clientgen-webhook-signature",
                    "the description has no webhooks to sign",
                );
            }
            return (Vec::new(), signature);
        }
        let mut variants = Scope::default();
        let mut webhooks = Vec::new();
        let mut headers: Vec<BTreeMap<String, HeaderValue>> = Vec::new();
        for (name, (pointer, item)) in found {
            let Some(item) = self.follow(item, &pointer) else {
                continue;
            };
            let Some((method, op)) = METHODS.iter().find_map(|m| Some((*m, item.get(*m)?))) else {
                self.types.diags.warn(
                    &pointer,
                    "webhook without an operation: it is not part of the `webhooks` module",
                );
                continue;
            };
            let op_pointer = join(&pointer, method);
            let description = ["summary", "description"]
                .iter()
                .find_map(|k| op.get(*k).and_then(Value::as_str))
                .map(str::to_owned);
            let mut declared = BTreeMap::new();
            let parameters = item
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            for parameter in parameters.chain(
                op.get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            ) {
                let Some(parameter) = self.follow(parameter, &op_pointer) else {
                    continue;
                };
                if parameter.get("in").and_then(Value::as_str) != Some("header") {
                    continue;
                }
                let Some(header) = parameter.get("name").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(value) = self.header_value(parameter, &op_pointer) {
                    declared.insert(header.to_ascii_lowercase(), value);
                }
            }
            let (payload, consts) = self.webhook_payload(&name, op, &op_pointer);
            webhooks.push(Webhook {
                variant: variants.claim(pascal(&name)),
                name,
                payload,
                header: None,
                consts,
                description,
                pointer,
            });
            headers.push(declared);
        }
        // The event header: one whose value differs between webhooks (GitHub's examples of
        // `X-GitHub-Event`), or that the description fixes; the one with most values wins.
        let mut values: BTreeMap<&str, (BTreeSet<&str>, bool)> = BTreeMap::new();
        for declared in &headers {
            for (header, value) in declared {
                let entry = values.entry(header).or_default();
                entry.0.insert(&value.value);
                entry.1 |= value.fixed;
            }
        }
        let event_header = values
            .iter()
            .filter(|(_, (distinct, fixed))| distinct.len() > 1 || *fixed)
            .max_by_key(|(header, (distinct, _))| (distinct.len(), std::cmp::Reverse(**header)))
            .map(|(header, _)| (*header).to_owned());
        if let Some(event_header) = &event_header {
            for (webhook, declared) in webhooks.iter_mut().zip(&headers) {
                webhook.header = declared
                    .get(event_header)
                    .map(|v| (event_header.clone(), v.value.clone()));
            }
        }
        // Webhooks nothing tells apart: the first by name takes such a payload.
        let mut seen: BTreeMap<Constraints, String> = BTreeMap::new();
        for webhook in &webhooks {
            let key = (webhook.header.clone(), webhook.consts.clone());
            if let Some(first) = seen.get(&key) {
                self.types.diags.warn(
                    &webhook.pointer,
                    format!(
                        "webhook `{}` cannot be told apart from `{first}` (no header or payload constant differs): a payload of either is read as `{first}`",
                        webhook.name
                    ),
                );
            } else {
                seen.insert(key, webhook.name.clone());
            }
        }
        if signature.is_none() && !webhooks.is_empty() {
            self.types.diags.note(
                "#",
                "the description does not say how its webhooks are signed: name the scheme with `x-clientgen-webhook-signature` (`standard-webhooks`, `github` or `stripe`) for a `webhooks::verifier`",
            );
        }
        (webhooks, signature)
    }

    /// The payload type of a webhook's operation and its constants.
    fn webhook_payload(
        &mut self,
        name: &str,
        op: &'a Value,
        pointer: &str,
    ) -> (TypeRef, Vec<(String, String)>) {
        let body_pointer = join(pointer, "requestBody");
        let Some(body) = op
            .get("requestBody")
            .and_then(|b| self.follow(b, &body_pointer))
        else {
            return (TypeRef::Json, Vec::new());
        };
        let content = body.get("content").and_then(Value::as_object);
        let json = content.into_iter().flatten().find(|(media, _)| {
            let essence = media_essence(media);
            essence == "application/json" || essence.ends_with("+json")
        });
        let Some((media, media_type)) = json else {
            if content.is_some_and(|c| !c.is_empty()) {
                self.types.diags.warn(
                    &join(&body_pointer, "content"),
                    "webhook payload without a JSON media type: read as untyped JSON",
                );
            }
            return (TypeRef::Json, Vec::new());
        };
        let schema_pointer = join(&join(&join(&body_pointer, "content"), media), "schema");
        let Some(schema) = media_type.get("schema") else {
            return (TypeRef::Json, Vec::new());
        };
        let typed: ReferenceOr<Schema> = match serde_json::from_value(schema.clone()) {
            Ok(typed) => typed,
            Err(e) => {
                self.types
                    .diags
                    .error(&schema_pointer, format!("not a valid schema: {e}"));
                return (TypeRef::Json, Vec::new());
            }
        };
        let (ty, _) = self.types.lower_schema_ref(
            &typed,
            &format!("{}Payload", pascal(name)),
            &schema_pointer,
        );
        let consts: Vec<(String, String)> = self
            .schema_consts(schema, &schema_pointer, 0)
            .into_iter()
            .collect();
        (ty, consts)
    }

    /// The top-level properties of a schema with a single allowed string value (`const`, or
    /// an `enum` of one): its own, those of every `allOf` part, and those every `oneOf` or
    /// `anyOf` alternative has alike (GitHub wraps payloads in a `oneOf` of one).
    fn schema_consts(
        &mut self,
        schema: &'a Value,
        pointer: &str,
        depth: usize,
    ) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Some(schema) = self.follow(schema, pointer) else {
            return out;
        };
        if depth > 8 {
            return out;
        }
        for (property, property_schema) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(property_schema) = self.follow(property_schema, pointer) else {
                continue;
            };
            let only = match (
                property_schema.get("const"),
                property_schema.get("enum").and_then(Value::as_array),
            ) {
                (Some(Value::String(value)), _) => Some(value.as_str()),
                (_, Some(values)) if values.len() == 1 => values[0].as_str(),
                _ => None,
            };
            if let Some(value) = only {
                out.insert(property.clone(), value.to_owned());
            }
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(self.schema_consts(part, pointer, depth + 1));
        }
        for key in ["oneOf", "anyOf"] {
            let Some(alternatives) = schema.get(key).and_then(Value::as_array) else {
                continue;
            };
            let mut common: Option<BTreeMap<String, String>> = None;
            for alternative in alternatives {
                let consts = self.schema_consts(alternative, pointer, depth + 1);
                common = Some(match common {
                    None => consts,
                    Some(mut common) => {
                        common.retain(|k, v| consts.get(k) == Some(v));
                        common
                    }
                });
            }
            out.extend(common.unwrap_or_default());
        }
        out
    }

    /// A header parameter's value: fixed by `const` or an `enum` of one, else its example.
    fn header_value(&mut self, parameter: &'a Value, pointer: &str) -> Option<HeaderValue> {
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let schema = parameter
            .get("schema")
            .and_then(|s| self.follow(s, pointer));
        if let Some(schema) = schema {
            let fixed = match (
                schema.get("const"),
                schema.get("enum").and_then(Value::as_array),
            ) {
                (Some(v), _) => text(v),
                (_, Some(values)) if values.len() == 1 => text(&values[0]),
                _ => None,
            };
            if let Some(value) = fixed {
                return Some(HeaderValue { value, fixed: true });
            }
        }
        let example = parameter
            .get("example")
            .or_else(|| schema.and_then(|s| s.get("example")))?;
        Some(HeaderValue {
            value: text(example)?,
            fixed: false,
        })
    }

    /// `value`, or what its local `$ref` chain leads to; a reference that leads nowhere is
    /// reported at `pointer`.
    fn follow(&mut self, value: &'a Value, pointer: &str) -> Option<&'a Value> {
        let raw: &'a Value = self.raw;
        let mut current = value;
        for _ in 0..32 {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                return Some(current);
            };
            match reference.strip_prefix('#').and_then(|p| raw.pointer(p)) {
                Some(next) => current = next,
                None => {
                    self.types.diags.warn(
                        pointer,
                        format!("`{reference}` leads nowhere in this document"),
                    );
                    return None;
                }
            }
        }
        self.types
            .diags
            .warn(pointer, "reference chain is too long or circular");
        None
    }
}
