//! Request bodies: media types, encodings, multipart file parts.

use std::borrow::Cow;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::diag::join;
use crate::model::{Body, BodyEncoding, FilePart, TypeKind, TypeRef};
use crate::naming::{Scope, pascal, snake};

use super::operation_lowerer::OperationLowerer;
use super::{is_json_media, media_essence, sequence_framing};

/// `type: string, format: binary` (or an array of them, sent as the first file).
fn is_binary(p: &ReferenceOr<Box<Schema>>) -> bool {
    match p {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                matches!(
                    t.format,
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
                )
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// Prefers JSON, then forms, then sequences of JSON items (JSON Lines, JSON text sequences),
/// then anything else, so the richest typing wins.
pub(super) fn pick_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(String, openapiv3::MediaType)> {
    let rank = |m: &str| {
        let m = m.to_ascii_lowercase();
        if is_json_media(&m) {
            0
        } else if m.starts_with("application/x-www-form-urlencoded") {
            1
        } else if m.starts_with("multipart/form-data") {
            2
        } else if sequence_framing(&m).is_some() {
            3
        } else if m.starts_with("text/plain") {
            4
        } else {
            5
        }
    };
    content
        .iter()
        .min_by_key(|(m, _)| rank(m))
        .map(|(m, c)| (m.clone(), c.clone()))
}

impl OperationLowerer<'_, '_> {
    pub(super) fn lower_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        op_name: &str,
        pointer: &str,
        names: &mut Scope,
    ) -> Option<Body> {
        let (body, home, component) = self.types.deref_home(body, pointer)?;
        let pointer = home.as_str();
        let body_hint = component
            .map(|c| pascal(&c))
            .unwrap_or_else(|| format!("{op_name}Body"));
        let (media, content) = pick_media(&body.content)?;
        let essence = media_essence(&media);
        let encoding = if is_json_media(&media) {
            BodyEncoding::Json
        } else if essence == "application/x-www-form-urlencoded" {
            BodyEncoding::Form
        } else if essence == "multipart/form-data" {
            BodyEncoding::Multipart
        } else if essence.starts_with("text/") {
            BodyEncoding::Text
        } else {
            BodyEncoding::Binary
        };
        let schema_pointer = join(&join(&join(pointer, "content"), &media), "schema");
        // Multipart: binary properties are file parts with builder methods of their own; the
        // other properties form the body type, sent as text parts.
        let mut files = Vec::new();
        let mut content = content;
        if encoding == BodyEncoding::Multipart {
            if let Some(mut schema) = content
                .schema
                .as_ref()
                .and_then(|s| self.types.deref(s, &schema_pointer))
                .map(Cow::into_owned)
            {
                let (properties, required) = match &mut schema.schema_kind {
                    SchemaKind::Type(Type::Object(o)) => {
                        (Some(&mut o.properties), Some(&mut o.required))
                    }
                    SchemaKind::Any(a) => (Some(&mut a.properties), Some(&mut a.required)),
                    _ => (None, None),
                };
                let mut no_required = Vec::new();
                let required = required.unwrap_or(&mut no_required);
                if let Some(properties) = properties {
                    let binary: Vec<String> = properties
                        .iter()
                        .filter(|(_, p)| is_binary(p))
                        .map(|(k, _)| k.clone())
                        .collect();
                    for wire in binary {
                        let description = match properties.shift_remove(&wire) {
                            Some(ReferenceOr::Item(s)) => s.schema_data.description.clone(),
                            _ => None,
                        };
                        // A required file part is an argument; the body type does not
                        // hold it, so its name leaves the body's `required` too.
                        let is_required = required.contains(&wire);
                        required.retain(|r| r != &wire);
                        let rust_name = names.claim(snake(&wire));
                        let file_name_arg = if is_required {
                            names.claim(format!("{rust_name}_file_name"))
                        } else {
                            String::new()
                        };
                        files.push(FilePart {
                            rust_name,
                            file_name_arg,
                            required: is_required,
                            wire_name: wire,
                            description,
                        });
                    }
                }
                if !files.is_empty() {
                    content.schema = Some(ReferenceOr::Item(schema));
                }
            }
        }
        let ty = match (&content.schema, encoding) {
            (Some(s), BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart) => {
                self.types
                    .lower_schema_ref(s, &body_hint, &schema_pointer)
                    .0
            }
            _ => TypeRef::Json,
        };
        // Follows aliases: a component `{type: object}` is an alias of a map.
        let mut target = &ty;
        for _ in 0..16 {
            match target {
                TypeRef::Named(i) => {
                    match self
                        .types
                        .types
                        .get(*i)
                        .and_then(Option::as_ref)
                        .map(|t| &t.kind)
                    {
                        Some(TypeKind::Alias(next)) => target = next,
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        let defaultable = match target {
            TypeRef::Named(i) => matches!(
                self.types.types.get(*i).and_then(Option::as_ref).map(|t| &t.kind),
                Some(TypeKind::Struct { fields, .. }) if fields.iter().all(|f| !f.required)
            ),
            TypeRef::Map(_) => true,
            _ => false,
        };
        // A type with no required field may still not take `{}`: the body schema can require
        // names through its alternatives (GitHub's alert updates, `anyOf: [{required:
        // [state]}, ..]`) or ask for `minProperties`. Then the body is an argument, never a
        // default that the server refuses. (Required file parts are arguments of their own.)
        let defaultable = defaultable
            && self
                .raw
                .pointer(schema_pointer.trim_start_matches('#'))
                .is_none_or(|schema| {
                    let required: Vec<&str> = files
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.wire_name.as_str())
                        .collect();
                    super::raw_checks::takes_empty_body(self.raw, schema, &required)
                });
        // A required file part is an argument of the call, so a body with one is always
        // sent, whatever `requestBody.required` says (Box's uploads, OpenAI's video
        // characters): the body is then required, and its own required fields are arguments
        // too, or the file would go out in a body that breaks its schema.
        let required = body.required || files.iter().any(|f| f.required);
        // A form's `encoding` (read from the document: openapiv3 keeps no absent `explode`):
        // arrays whose style does not explode them go as one pair.
        let joined = if encoding == BodyEncoding::Form {
            let encodings = join(&join(&join(pointer, "content"), &media), "encoding");
            self.raw
                .pointer(&encodings[1..])
                .and_then(serde_json::Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(property, e)| {
                    let style = e
                        .get("style")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("form");
                    let explode = e
                        .get("explode")
                        .and_then(serde_json::Value::as_bool)
                        .unwrap_or(style == "form");
                    let delimiter = match style {
                        "spaceDelimited" => ' ',
                        "pipeDelimited" => '|',
                        _ => ',',
                    };
                    (!explode).then(|| (property.clone(), delimiter))
                })
                .collect()
        } else {
            Vec::new()
        };
        Some(Body {
            content_type: media,
            encoding,
            ty,
            required,
            defaultable,
            files,
            joined,
        })
    }
}
