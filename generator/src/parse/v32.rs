//! OpenAPI 3.2 before the 3.0 model reads it: `$self` as the base of relative references,
//! `in: querystring` parameters, the `data` of server-sent events typed by `contentSchema`,
//! and warnings for the sequential and multipart media-type fields not supported yet.
//!
//! The rest of 3.2 stays in the raw document, where lowering reads it: the `query` and
//! `additionalOperations` operations of a path item, `itemSchema` and nested tags.

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, escape_token};

/// Rewrites the parts of a 3.2 document the 3.0 model would refuse or lose, in place.
pub(crate) fn prepare(raw: &mut Value, diags: &mut Diagnostics) {
    if let Some(base) = raw.get("$self").and_then(Value::as_str).map(str::to_owned) {
        match Base::parse(&base) {
            Some(base) => rebase_refs(raw, &base),
            None => diags.warn(
                "#/$self",
                format!(
                    "`$self` `{base}` is not an absolute URI or an absolute path: relative references are read as they are written"
                ),
            ),
        }
    }
    let mut media = Vec::new();
    walk(raw, &mut String::from("#"), None, &mut |pointer, _, obj| {
        querystring(obj, pointer, diags);
        // A media type object: `.../content/{media type}`.
        if pointer.rsplit('/').nth(1) == Some("content") {
            media.push(pointer.to_owned());
        }
    });
    for pointer in media {
        media_type(raw, &pointer, diags);
    }
}

/// The sequential media types whose items are JSON texts, one per line.
pub fn is_json_lines(essence: &str) -> bool {
    matches!(
        essence,
        "application/jsonl"
            | "application/x-ndjson"
            | "application/x-jsonlines"
            | "application/jsonlines"
    )
}

/// RFC 7464 JSON text sequences (`application/json-seq` and `+json-seq`).
pub fn is_json_seq(essence: &str) -> bool {
    essence == "application/json-seq" || essence.ends_with("+json-seq")
}

/// A media type without its parameters, lowercased: `Text/Event-Stream; charset=utf-8` is
/// `text/event-stream`.
pub(crate) fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media: &str) -> bool {
    let e = essence(media);
    e == "application/json" || e.ends_with("+json")
}

/// What [`walk`] calls for each object: its pointer, the key it sits under, the object.
type Visit<'f> = dyn FnMut(&str, Option<&str>, &mut Map<String, Value>) + 'f;

/// Visits every object that is not data (examples, defaults, enums and extension values are
/// data), with its pointer and the key it sits under.
fn walk(v: &mut Value, pointer: &mut String, parent: Option<&str>, f: &mut Visit<'_>) {
    match v {
        Value::Object(obj) => {
            f(pointer, parent, obj);
            for (key, value) in obj.iter_mut() {
                if matches!(
                    key.as_str(),
                    "example" | "examples" | "enum" | "default" | "const"
                ) || key.starts_with("x-")
                {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(key));
                walk(value, pointer, Some(key), f);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(item, pointer, None, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// `in: querystring` is read as `in: query` marked `x-clientgen-querystring`, which the 3.0
/// model keeps; lowering makes it the whole query string.
fn querystring(obj: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    if obj.get("in").and_then(Value::as_str) != Some("querystring")
        || !obj.get("name").is_some_and(Value::is_string)
    {
        return;
    }
    obj.insert("in".into(), Value::String("query".into()));
    obj.insert("x-clientgen-querystring".into(), Value::Bool(true));
    if obj.contains_key("schema") && !obj.contains_key("content") {
        diags.warn(
            pointer,
            "an `in: querystring` parameter with `schema` instead of `content`: serialised as `application/x-www-form-urlencoded`",
        );
    }
}

/// One media type object: the `data` of events typed from `contentSchema`, and warnings for
/// what is not supported.
fn media_type(raw: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    let media = pointer
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .replace("~1", "/")
        .replace("~0", "~");
    let essence = essence(&media);
    let in_request =
        pointer.contains("/requestBody/") || pointer.starts_with("#/components/requestBodies/");
    let Some(Value::Object(obj)) = raw.pointer(&pointer[1..]) else {
        return;
    };
    for key in ["itemEncoding", "prefixEncoding"] {
        if obj.contains_key(key) {
            diags.warn(
                &format!("{pointer}/{key}"),
                format!(
                    "`{key}` is not supported yet: the parts of `{media}` are not typed; the body is {}",
                    if in_request {
                        "sent as bytes (`UploadBody`), which the caller builds"
                    } else {
                        "returned as bytes"
                    }
                ),
            );
        }
    }
    let sequential =
        essence == "text/event-stream" || is_json_lines(&essence) || is_json_seq(&essence);
    if obj.contains_key("itemSchema") {
        if in_request {
            diags.warn(
                &format!("{pointer}/itemSchema"),
                format!("a `{media}` request body is sent as bytes (`UploadBody`): its `itemSchema` does not type it yet"),
            );
        } else if !sequential {
            diags.warn(
                &format!("{pointer}/itemSchema"),
                format!(
                    "`itemSchema` of `{media}` is not supported yet: the body is returned as bytes"
                ),
            );
        }
    }
    if essence.starts_with("multipart/")
        && essence != "multipart/form-data"
        && !obj.contains_key("itemEncoding")
        && !obj.contains_key("prefixEncoding")
    {
        diags.warn(
            pointer,
            format!(
                "`{media}` parts are not typed yet: the body is {}",
                if in_request {
                    "sent as bytes (`UploadBody`), which the caller builds"
                } else {
                    "returned as bytes"
                }
            ),
        );
    }
    if essence != "text/event-stream" || in_request {
        return;
    }
    // The schema to rewrite: the item schema itself, or the component it refers to.
    let target = match obj.get("itemSchema") {
        Some(Value::Object(item)) => match item.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#') {
                Some(local) => local.to_owned(),
                None => return,
            },
            None => format!("{}/itemSchema", &pointer[1..]),
        },
        _ => return,
    };
    let json = match raw.pointer_mut(&target) {
        Some(schema) => event_data(schema),
        None => false,
    };
    if json {
        if let Some(Value::Object(obj)) = raw.pointer_mut(&pointer[1..]) {
            obj.insert("x-clientgen-event-data-json".into(), Value::Bool(true));
        }
    }
}

/// Types the `data` property of an event schema (and of its inline `allOf`, `oneOf` and
/// `anyOf` parts) by its `contentSchema` when `contentMediaType` is JSON: the runtime parses
/// the data text as JSON before decoding. Returns whether any `data` is JSON.
fn event_data(schema: &mut Value) -> bool {
    let Value::Object(obj) = schema else {
        return false;
    };
    let mut json = false;
    if let Some(Value::Object(data)) = obj
        .get_mut("properties")
        .and_then(|p| p.as_object_mut())
        .and_then(|p| p.get_mut("data"))
    {
        if data
            .get("contentMediaType")
            .and_then(Value::as_str)
            .is_some_and(is_json)
        {
            json = true;
            let mut typed = match data.remove("contentSchema") {
                Some(Value::Object(s)) => s,
                // Any JSON value.
                _ => Map::new(),
            };
            if !typed.contains_key("$ref") {
                if let Some(d) = data.get("description") {
                    typed.entry("description").or_insert_with(|| d.clone());
                }
            }
            *data = typed;
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = obj.get_mut(key) {
            for part in parts {
                json |= event_data(part);
            }
        }
    }
    json
}

/// `$self` split for resolving references (RFC 3986, section 5.2).
struct Base {
    /// `scheme:` and `//authority`, or empty for an absolute-path `$self`.
    prefix: String,
    /// The path, starting with `/`.
    path: String,
    query: Option<String>,
}

impl Base {
    fn parse(text: &str) -> Option<Base> {
        let text = text.split('#').next().unwrap_or_default();
        let (text, query) = match text.split_once('?') {
            Some((t, q)) => (t, Some(q.to_owned())),
            None => (text, None),
        };
        if text.starts_with('/') && !text.starts_with("//") {
            return Some(Base {
                prefix: String::new(),
                path: text.to_owned(),
                query,
            });
        }
        let colon = text.find(':')?;
        let scheme = &text[..colon];
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return None;
        }
        let rest = &text[colon + 1..];
        let (authority, path) = match rest.strip_prefix("//") {
            Some(r) => match r.find('/') {
                Some(i) => (format!("//{}", &r[..i]), r[i..].to_owned()),
                None => (format!("//{r}"), "/".to_owned()),
            },
            None => (String::new(), rest.to_owned()),
        };
        Some(Base {
            prefix: format!("{scheme}:{authority}"),
            path,
            query,
        })
    }

    /// The reference resolved against this base, without its fragment, and the fragment.
    fn resolve(&self, reference: &str) -> (String, Option<String>) {
        let (reference, fragment) = match reference.split_once('#') {
            Some((r, f)) => (r, Some(f.to_owned())),
            None => (reference, None),
        };
        let with_query = |path: String, query: Option<&str>| match query {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        let (ref_path, ref_query) = match reference.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (reference, None),
        };
        let has_scheme = reference
            .find(':')
            .is_some_and(|c| !reference[..c].contains('/'));
        let target = if has_scheme {
            reference.to_owned()
        } else if reference.starts_with("//") {
            let scheme = self.prefix.split(':').next().unwrap_or_default();
            format!("{scheme}:{reference}")
        } else if reference.is_empty() {
            with_query(
                format!("{}{}", self.prefix, self.path),
                self.query.as_deref(),
            )
        } else if ref_path.is_empty() {
            with_query(format!("{}{}", self.prefix, self.path), ref_query)
        } else if ref_path.starts_with('/') {
            with_query(
                format!("{}{}", self.prefix, remove_dots(ref_path)),
                ref_query,
            )
        } else {
            let dir = &self.path[..self.path.rfind('/').map_or(0, |i| i + 1)];
            with_query(
                format!(
                    "{}{}",
                    self.prefix,
                    remove_dots(&format!("{dir}{ref_path}"))
                ),
                ref_query,
            )
        };
        (target, fragment)
    }

    fn whole(&self) -> String {
        let path = format!("{}{}", self.prefix, self.path);
        match &self.query {
            Some(q) => format!("{path}?{q}"),
            None => path,
        }
    }
}

/// RFC 3986's `remove_dot_segments`, for paths that start with `/`.
fn remove_dots(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// References that resolve against `$self` to the document itself become local ones
/// (`#/components/...`); others stay as written (external, reported where they are used).
fn rebase_refs(raw: &mut Value, base: &Base) {
    let whole = base.whole();
    walk(raw, &mut String::from("#"), None, &mut |_, parent, obj| {
        // A schema's property named `$ref` is a name, not a reference.
        if parent == Some("properties") {
            return;
        }
        let Some(Value::String(reference)) = obj.get("$ref") else {
            return;
        };
        if reference.starts_with('#') {
            return;
        }
        let (target, fragment) = base.resolve(reference);
        if target == whole {
            let local = format!("#{}", fragment.unwrap_or_default());
            obj.insert("$ref".into(), Value::String(local));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_against_self() {
        let base = Base::parse("https://example.com/apis/pets/openapi.yaml").unwrap();
        let whole = base.whole();
        for (reference, same) in [
            ("openapi.yaml#/components/schemas/Pet", true),
            ("./openapi.yaml#/components/schemas/Pet", true),
            ("../pets/openapi.yaml#/components/schemas/Pet", true),
            ("/apis/pets/openapi.yaml#/a", true),
            ("//example.com/apis/pets/openapi.yaml#/a", true),
            ("https://example.com/apis/pets/openapi.yaml#/a", true),
            ("other.yaml#/components/schemas/Pet", false),
            ("https://example.org/apis/pets/openapi.yaml#/a", false),
            ("openapi.yaml?v=2#/a", false),
        ] {
            assert_eq!(base.resolve(reference).0 == whole, same, "{reference}");
        }
        let relative = Base::parse("/specs/api.json").unwrap();
        assert_eq!(relative.resolve("api.json#/x").0, "/specs/api.json");
        assert!(Base::parse("api.json").is_none());
        assert_eq!(remove_dots("/a/b/../c/./d"), "/a/c/d");
    }

    #[test]
    fn event_data_takes_its_content_schema() {
        let mut schema = serde_json::json!({
            "type": "object",
            "properties": {
                "event": {"type": "string"},
                "data": {"type": "string", "contentMediaType": "application/json",
                         "contentSchema": {"$ref": "#/components/schemas/Token"}}
            },
            "oneOf": [{"properties": {"data": {"type": "string", "contentMediaType": "text/plain"}}}]
        });
        assert!(event_data(&mut schema));
        assert_eq!(
            schema["properties"]["data"],
            serde_json::json!({"$ref": "#/components/schemas/Token"})
        );
        assert_eq!(schema["oneOf"][0]["properties"]["data"]["type"], "string");
        let mut text = serde_json::json!({"properties": {"data": {"type": "string"}}});
        assert!(!event_data(&mut text));
    }
}
