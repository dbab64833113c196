//! OpenAPI 3.1 to the 3.0 model: 3.1 schema keywords rewritten in their 3.0 form, `$ref`
//! siblings made explicit, and the targets of deep local references collected.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, escape_token};

/// Keys whose values are maps from names to schemas (so a key there is a name, not a keyword).
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "$defs",
    "definitions",
];

/// Keys whose values are maps from names to other objects than schemas: a key there is a
/// name too (a header may be called `examples`).
const OTHER_NAME_MAPS: &[&str] = &[
    "paths",
    "webhooks",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "content",
    "encoding",
    "variables",
    "mapping",
    "scopes",
    "examples",
    "dependentSchemas",
];

/// Drops the examples of media types, parameters and headers (`example`, `examples`) and the
/// maps of Example Objects (`components/examples`): nothing generated reads them, and on
/// GitHub's API they are a fifth of the document, held twice (the JSON tree and the typed
/// document) through lowering. A schema's own `example` stays: it decides between `i64` and
/// `u64`. Only the conformance test's synthesiser reads examples; it parses with them kept.
fn drop_examples(obj: &mut Map<String, Value>) {
    let has_schema = obj.contains_key("schema");
    if obj
        .get("examples")
        .is_some_and(|v| v.is_object() || has_schema)
    {
        obj.shift_remove("examples");
    }
    if has_schema && obj.contains_key("example") {
        obj.shift_remove("example");
    }
}

/// Rewrites 3.1 constructs into their 3.0 form and makes `$ref` siblings explicit.
/// Walks the document; `pointer` is a buffer holding the current node's JSON pointer, grown
/// and cut back in place rather than allocated per node (the GitHub spec has millions).
pub(super) fn normalise(
    v: &mut Value,
    is_31: bool,
    pointer: &mut String,
    parent_key: Option<&str>,
    diags: &mut Diagnostics,
    deep_refs: &mut std::collections::BTreeSet<String>,
    keep_examples: bool,
) {
    match v {
        Value::Object(obj) => {
            let in_name_map = parent_key.is_some_and(|k| NAME_MAPS.contains(&k));
            if !keep_examples
                && !in_name_map
                && !parent_key.is_some_and(|k| OTHER_NAME_MAPS.contains(&k))
            {
                drop_examples(obj);
            }
            if !in_name_map {
                if let Some(Value::String(r)) = obj.get("$ref") {
                    if let Some(target) = deep_target(r) {
                        deep_refs.insert(target);
                    }
                }
                normalise_schema_keywords(obj, is_31, pointer, diags);
            }
            for (key, value) in obj.iter_mut() {
                // Examples and extension values are data, not schemas.
                if !in_name_map
                    && (key == "example"
                        || key == "examples"
                        || key.starts_with("x-")
                        || key == "enum"
                        || key == "default")
                {
                    continue;
                }
                if !matches!(value, Value::Object(_) | Value::Array(_)) {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(key));
                normalise(
                    value,
                    is_31,
                    pointer,
                    Some(key),
                    diags,
                    deep_refs,
                    keep_examples,
                );
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                if !matches!(item, Value::Object(_) | Value::Array(_)) {
                    continue;
                }
                let len = pointer.len();
                // Writing to a String cannot fail.
                let _ = write!(pointer, "/{i}");
                normalise(item, is_31, pointer, None, diags, deep_refs, keep_examples);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The target of a local reference that is not a whole component (`#/components/KIND/NAME`),
/// with percent-escapes decoded.
pub fn deep_target(reference: &str) -> Option<String> {
    let local = reference.strip_prefix('#')?;
    let tokens = local.split('/').count();
    let decoded = percent_decode(local);
    let whole_component = decoded.starts_with("/components/") && tokens == 4;
    (!whole_component && decoded.starts_with('/')).then(|| format!("#{decoded}"))
}

/// Decodes `%XX` escapes (a JSON pointer in a URI fragment may use them); anything else is
/// kept as written.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

fn normalise_schema_keywords(
    obj: &mut Map<String, Value>,
    is_31: bool,
    pointer: &str,
    diags: &mut Diagnostics,
) {
    // `$ref` with siblings: OpenAPI 3.0 ignores the siblings, but specs put `nullable`,
    // `description` or `readOnly` there meaning them. Schema references keep their
    // constraints through an `allOf` wrapper; descriptions and examples are dropped on purpose
    // since they change nothing in the generated code's shape.
    if let Some(Value::String(r)) = obj.get("$ref") {
        let r = r.clone();
        let meaningful: Vec<String> = obj
            .keys()
            .filter(|k| {
                !matches!(
                    k.as_str(),
                    "$ref" | "description" | "summary" | "example" | "examples" | "title"
                ) && !k.starts_with("x-")
            })
            .cloned()
            .collect();
        if !meaningful.is_empty() && r.starts_with("#/components/schemas/") {
            let mut wrapper = Map::new();
            for k in meaningful {
                if let Some(v) = obj.remove(&k) {
                    wrapper.insert(k, v);
                }
            }
            let mut inner = Map::new();
            inner.insert("$ref".into(), Value::String(r));
            wrapper.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
            obj.clear();
            obj.extend(wrapper);
        }
        return;
    }
    // `type: [T, "null"]` (3.1) is `type: T` with `nullable: true` (3.0).
    if let Some(Value::Array(types)) = obj.get("type") {
        let mut names: Vec<String> = types
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect();
        let nullable = names.iter().any(|t| t == "null");
        names.retain(|t| t != "null");
        if nullable {
            obj.insert("nullable".into(), Value::Bool(true));
        }
        match names.len() {
            0 => {
                obj.remove("type");
            }
            1 => {
                obj.insert("type".into(), Value::String(names.remove(0)));
            }
            _ => {
                // Several types: an untyped value is the honest 3.0 form.
                diags.warn(
                    pointer,
                    format!("several types {names:?}: generated as an untyped JSON value"),
                );
                obj.remove("type");
            }
        }
    } else if obj.get("type").and_then(Value::as_str) == Some("null") {
        obj.remove("type");
        obj.insert("nullable".into(), Value::Bool(true));
    }
    // Numeric exclusive bounds (3.1) become the 3.0 boolean form.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n) = obj.get(exclusive).filter(|v| v.is_number()).cloned() {
            obj.insert(bound.into(), n);
            obj.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(c) = obj.remove("const") {
        if !obj.contains_key("enum") {
            obj.insert("enum".into(), Value::Array(vec![c]));
        }
    }
    if is_31 {
        // 3.1 `examples` in a schema is an array; 3.0 has no such schema keyword.
        if obj.get("examples").is_some_and(Value::is_array) && obj.contains_key("type") {
            obj.remove("examples");
        }
    }
    // openapiv3 wants booleans or schemas here; `additionalProperties: {}` and friends are fine,
    // but 3.1 allows `items: false` and similar, which mean "no items".
    if obj.get("items").is_some_and(Value::is_boolean) {
        obj.remove("items");
    }
}
