//! Responses: success kinds by status, and the typed error bodies.

use openapiv3::{ReferenceOr, Schema, StatusCode};
use serde_json::Value;

use crate::diag::join;
use crate::model::{
    ErrorVariant, EventShape, JsonSequence, ResponseKind, StatusMatch, TypeKind, TypeRef,
};
use crate::naming::pascal;

use super::bodies::pick_media;
use super::operation_lowerer::OperationLowerer;
use super::{is_json_media, media_essence, sequence_framing};

/// Whether the successes carry different kinds of body, so that `send()` returns an enum with
/// a variant per status. One JSON type plus empty responses is `Option<T>` instead.
pub(super) fn needs_success_enum(success: &[(StatusMatch, ResponseKind)]) -> bool {
    let mut kinds: Vec<&ResponseKind> = success.iter().map(|(_, k)| k).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    kinds.dedup();
    let json = kinds
        .iter()
        .filter(|k| matches!(k, ResponseKind::Json(_)))
        .count();
    let empty = kinds
        .iter()
        .filter(|k| matches!(k, ResponseKind::Empty))
        .count();
    kinds.len() > 1 && !(json == 1 && empty == 1 && kinds.len() == 2)
}

/// 2xx, and a documented `303 See Other`: the client does not follow it (see the runtime's
/// redirect policy), so it is the answer.
pub(super) fn is_success(s: StatusMatch) -> bool {
    match s {
        StatusMatch::Code(c) => (200..300).contains(&c) || c == 303,
        StatusMatch::Range(r) => r == 2,
        StatusMatch::Default => false,
    }
}

impl OperationLowerer<'_, '_> {
    /// An `ErrorBody` variant for a body type; its name is settled with the others once type
    /// names are (`members.rs`).
    pub(super) fn error_variant(&self, ty: TypeRef) -> ErrorVariant {
        let fields = match &ty {
            TypeRef::Named(i) => match &self.types.types[*i] {
                Some(def) => match &def.kind {
                    TypeKind::Struct { fields, .. } => fields.clone(),
                    _ => Vec::new(),
                },
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        let find = |names: &[&str]| {
            names.iter().find_map(|n| {
                fields
                    .iter()
                    .find(|f| f.wire_name == *n && f.ty == TypeRef::String && !f.nullable)
                    .map(|f| (f.rust_name.clone(), f.required))
            })
        };
        ErrorVariant {
            rust_name: String::new(),
            ty,
            request_id_field: find(&["request_id", "requestId", "request-id"]),
            message_field: find(&[
                "error_message",
                "message",
                "error_description",
                "detail",
                "title",
                "error",
            ]),
        }
    }

    fn response_kind(
        &mut self,
        response: &ReferenceOr<openapiv3::Response>,
        hint: &str,
        pointer: &str,
    ) -> Option<ResponseKind> {
        let (response, home, name) = self.types.deref_home(response, pointer)?;
        let hint = name.map(|n| pascal(&n)).unwrap_or_else(|| hint.to_owned());
        let hint = hint.as_str();
        let Some((media, content)) = pick_media(&response.content) else {
            return Some(ResponseKind::Empty);
        };
        let media_pointer = join(&join(&home, "content"), &media);
        Some(if is_json_media(&media) {
            match &content.schema {
                Some(s) => ResponseKind::Json(
                    self.types
                        .lower_schema_ref(s, hint, &join(&media_pointer, "schema"))
                        .0,
                ),
                None => ResponseKind::Json(TypeRef::Json),
            }
        } else if media.starts_with("text/") {
            ResponseKind::Text
        } else {
            ResponseKind::Bytes
        })
    }

    /// The streams of an operation's success responses, in one pass over them:
    ///
    /// - events, for `send_events()`, when a response offers `text/event-stream`: the type of
    ///   its OpenAPI 3.2 `itemSchema` (each event whole), else of its `schema` (each event's
    ///   data), else any JSON value; and whether every success response with a body is read as
    ///   events (it offers nothing the client prefers, such as JSON), so that `send()` returns
    ///   them too;
    /// - a sequence of JSON items, for `send_items()`, when a response offers JSON Lines,
    ///   NDJSON or JSON text sequences: see [`OperationLowerer::sequence_item`] for the item type.
    pub(super) fn streams(
        &mut self,
        op: &openapiv3::Operation,
        id: &str,
        pointer: &str,
    ) -> (Option<(TypeRef, bool, EventShape)>, Option<JsonSequence>) {
        let mut event = None;
        let mut sequence: Option<JsonSequence> = None;
        let mut events_only = true;
        let mut sequence_only = true;
        for (code, response) in &op.responses.responses {
            let label = match code {
                StatusCode::Code(c @ 200..=299) => c.to_string(),
                StatusCode::Range(2) => "2XX".to_owned(),
                _ => continue,
            };
            let rp = join(&join(pointer, "responses"), &label);
            let Some((response, home, _)) = self.types.deref_home(response, &rp) else {
                continue;
            };
            if let Some((media, _)) = pick_media(&response.content) {
                events_only &= media_essence(&media) == "text/event-stream";
                sequence_only &= sequence_framing(&media).is_some();
            }
            if event.is_none() {
                if let Some((media, content)) = response
                    .content
                    .iter()
                    .find(|(m, _)| media_essence(m) == "text/event-stream")
                {
                    let media_pointer = join(&join(&home, "content"), media);
                    let hint = format!("{}Event", pascal(id));
                    event = Some(match self.item_schema(&media_pointer) {
                        Some(item) => {
                            let ty = self
                                .types
                                .lower_schema_ref(&item, &hint, &join(&media_pointer, "itemSchema"))
                                .0;
                            let json_data = content
                                .extensions
                                .get("x-clientgen-event-data-json")
                                .and_then(Value::as_bool)
                                .unwrap_or(false);
                            (ty, EventShape::Whole { json_data })
                        }
                        None => match &content.schema {
                            Some(s) => (
                                self.types
                                    .lower_schema_ref(s, &hint, &join(&media_pointer, "schema"))
                                    .0,
                                EventShape::Data,
                            ),
                            None => (TypeRef::Json, EventShape::Data),
                        },
                    });
                }
            }
            if sequence.is_none() {
                if let Some((media, content, framing)) = response
                    .content
                    .iter()
                    .find_map(|(m, c)| sequence_framing(m).map(|f| (m, c, f)))
                {
                    let media_pointer = join(&join(&home, "content"), media);
                    let item = self.sequence_item(content, &media_pointer, id);
                    let safe = media
                        .bytes()
                        .all(|b| (0x20..0x7f).contains(&b) && b != b',');
                    sequence = Some(JsonSequence {
                        media: if safe {
                            media.trim().to_owned()
                        } else {
                            media_essence(media)
                        },
                        framing,
                        item,
                        only: false,
                    });
                }
            }
        }
        let event = event.map(|(ty, shape)| (ty, events_only, shape));
        if let Some(sequence) = &mut sequence {
            sequence.only = sequence_only;
        }
        (event, sequence)
    }

    /// The `itemSchema` of the media type object at `media_pointer` (OpenAPI 3.2), read from
    /// the raw document, which keeps what the 3.0 model has no field for.
    fn item_schema(&mut self, media_pointer: &str) -> Option<ReferenceOr<Schema>> {
        let pointer = join(media_pointer, "itemSchema");
        let raw = self.raw.pointer(pointer.strip_prefix('#')?)?.clone();
        match serde_json::from_value(raw) {
            Ok(schema) => Some(schema),
            Err(e) => {
                self.types
                    .diags
                    .error(&pointer, format!("not a valid schema: {e}"));
                None
            }
        }
    }

    /// The type of one item of a sequence of JSON items. The rule, for every OpenAPI version:
    ///
    /// 1. an OpenAPI 3.2 `itemSchema` is the schema of one item;
    /// 2. else a `schema` that is an array describes the whole sequence, as OpenAPI 3.2 reads
    ///    the `schema` of a sequential media type: its `items` is the item's schema;
    /// 3. else `schema` describes one item: an array could not hold a sequence of anything
    ///    else, and that is how OpenAPI 3.0 and 3.1 descriptions write them (Lichess's
    ///    `application/x-ndjson` responses are objects and unions of the items they stream);
    /// 4. without a schema, each item is any JSON value.
    fn sequence_item(
        &mut self,
        content: &openapiv3::MediaType,
        media_pointer: &str,
        id: &str,
    ) -> TypeRef {
        let hint = format!("{}Item", pascal(id));
        if let Some(item) = self.item_schema(media_pointer) {
            return self
                .types
                .lower_schema_ref(&item, &hint, &join(media_pointer, "itemSchema"))
                .0;
        }
        let Some(schema) = &content.schema else {
            return TypeRef::Json;
        };
        let ty = self
            .types
            .lower_schema_ref(schema, &hint, &join(media_pointer, "schema"))
            .0;
        let mut seen = 0;
        let mut current = ty.clone();
        // Through aliases (a component that is an array), a bounded number of times.
        while let TypeRef::Named(i) = current {
            seen += 1;
            match self
                .types
                .types
                .get(i)
                .and_then(Option::as_ref)
                .map(|t| &t.kind)
            {
                Some(TypeKind::Alias(inner)) if seen < 16 => current = inner.clone(),
                _ => break,
            }
        }
        match current {
            TypeRef::Array(inner) => *inner,
            _ => ty,
        }
    }

    pub(super) fn responses(
        &mut self,
        op: &openapiv3::Operation,
        id: &str,
        pointer: &str,
    ) -> Vec<(StatusMatch, ResponseKind)> {
        let mut out = Vec::new();
        let responses = &op.responses.responses;
        // With several successes, each inline body is named by its status, leaving
        // `{Op}Response` to the enum of them all.
        let successes = responses
            .iter()
            .filter(|(c, _)| matches!(c, StatusCode::Code(200..=299) | StatusCode::Range(2)))
            .count();
        for (code, response) in responses {
            let (status, label) = match code {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            let rp = join(&join(pointer, "responses"), &label);
            let hint = if is_success(status) && successes > 1 {
                format!("{}Response{label}", pascal(id))
            } else if is_success(status) {
                format!("{}Response", pascal(id))
            } else {
                format!("{}Error{label}", pascal(id))
            };
            if let Some(kind) = self.response_kind(response, &hint, &rp) {
                out.push((status, kind));
            }
        }
        if let Some(default) = &op.responses.default {
            let rp = join(&join(pointer, "responses"), "default");
            let hint = format!("{}DefaultResponse", pascal(id));
            if let Some(kind) = self.response_kind(default, &hint, &rp) {
                out.push((StatusMatch::Default, kind));
            }
        }
        out
    }

    /// The media type each documented response is read as, by status.
    pub(super) fn response_media(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> Vec<(StatusMatch, String)> {
        let mut out = Vec::new();
        let responses = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| match code {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string(), r),
                StatusCode::Range(n) => (StatusMatch::Range(*n), format!("{n}XX"), r),
            })
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| (StatusMatch::Default, "default".to_owned(), r)),
            );
        for (status, label, response) in responses {
            // At the pointer `responses` reports a broken reference at, so it is said once.
            let rp = join(&join(pointer, "responses"), &label);
            let Some(response) = self.types.deref(response, &rp) else {
                continue;
            };
            if let Some((media, _)) = pick_media(&response.content) {
                out.push((status, media));
            }
        }
        out
    }

    /// The `Accept` header: the media types the client reads for this operation's responses
    /// (the one each response's body is decoded as), in order. Without it a server that can
    /// answer in several types picks its own first, which may be one the client cannot read
    /// (XML before JSON). Media types that are not plain visible ASCII are left out.
    pub(super) fn accept(&mut self, op: &openapiv3::Operation, pointer: &str) -> Option<String> {
        let mut types: Vec<String> = Vec::new();
        let responses = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (code.to_string(), r))
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| ("default".to_owned(), r)),
            );
        for (code, response) in responses {
            let rp = join(&join(pointer, "responses"), &code);
            let Some(response) = self.types.deref(response, &rp) else {
                continue;
            };
            if let Some((media, _)) = pick_media(&response.content) {
                let media = media.trim().to_owned();
                if media
                    .bytes()
                    .all(|b| (0x20..0x7f).contains(&b) && b != b',')
                    && !types.contains(&media)
                {
                    types.push(media);
                }
            }
        }
        (!types.is_empty()).then(|| types.join(", "))
    }
}
