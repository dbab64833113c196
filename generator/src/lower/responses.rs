//! Responses: success kinds by status, and the typed error bodies.

use super::*;

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

impl Lowerer<'_> {
    pub(super) fn error_variant(&self, ty: TypeRef, existing: &[ErrorVariant]) -> ErrorVariant {
        let (base, fields) = match &ty {
            TypeRef::Named(i) => match &self.types[*i] {
                Some(def) => (
                    def.name.clone(),
                    match &def.kind {
                        TypeKind::Struct { fields, .. } => fields.clone(),
                        _ => Vec::new(),
                    },
                ),
                None => ("Json".to_owned(), Vec::new()),
            },
            _ => ("Json".to_owned(), Vec::new()),
        };
        let find = |names: &[&str]| {
            names.iter().find_map(|n| {
                fields
                    .iter()
                    .find(|f| f.wire_name == *n && f.ty == TypeRef::String && !f.nullable)
                    .map(|f| (f.rust_name.clone(), f.required))
            })
        };
        let mut rust_name = base.clone();
        let mut n = 2;
        while existing.iter().any(|v| v.rust_name == rust_name) {
            rust_name = format!("{base}{n}");
            n += 1;
        }
        ErrorVariant {
            rust_name,
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

    pub(super) fn response_kind(
        &mut self,
        response: &ReferenceOr<openapiv3::Response>,
        hint: &str,
        pointer: &str,
    ) -> Option<ResponseKind> {
        let (response, home, name) = self.deref_home(response, pointer)?;
        let hint = name.map(|n| pascal(&n)).unwrap_or_else(|| hint.to_owned());
        let hint = hint.as_str();
        let Some((media, content)) = pick_media(&response.content) else {
            return Some(ResponseKind::Empty);
        };
        let media_pointer = join(&join(&home, "content"), &media);
        Some(if is_json_media(&media) {
            match &content.schema {
                Some(s) => ResponseKind::Json(
                    self.lower_schema_ref(s, hint, &join(&media_pointer, "schema"))
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

    /// The events of an operation whose success responses offer `text/event-stream`, for
    /// `send_events()`: the type of that media type's schema (any JSON value without one), and
    /// whether every success response with a body is read as events (it offers nothing the
    /// client prefers, such as JSON), so that `send()` returns them too. One pass over the
    /// success responses.
    pub(super) fn events(
        &mut self,
        op: &openapiv3::Operation,
        id: &str,
        pointer: &str,
    ) -> Option<(TypeRef, bool)> {
        let mut event = None;
        let mut only = true;
        for (code, response) in &op.responses.responses {
            let label = match code {
                StatusCode::Code(c @ 200..=299) => c.to_string(),
                StatusCode::Range(2) => "2XX".to_owned(),
                _ => continue,
            };
            let rp = join(&join(pointer, "responses"), &label);
            let Some((response, home, _)) = self.deref_home(response, &rp) else {
                continue;
            };
            if let Some((media, _)) = pick_media(&response.content) {
                only &= media_essence(&media) == "text/event-stream";
            }
            if event.is_some() {
                continue;
            }
            let Some((media, content)) = response
                .content
                .iter()
                .find(|(m, _)| media_essence(m) == "text/event-stream")
            else {
                continue;
            };
            let schema_pointer = join(&join(&join(&home, "content"), media), "schema");
            event = Some(match &content.schema {
                Some(s) => {
                    self.lower_schema_ref(s, &format!("{}Event", pascal(id)), &schema_pointer)
                        .0
                }
                None => TypeRef::Json,
            });
        }
        event.map(|e| (e, only))
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
            let Some(response) = self.deref(response, &rp) else {
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
