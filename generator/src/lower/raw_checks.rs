//! The two questions lowering asks of raw schemas beyond their types: whether a request body
//! may be sent as an empty object (with only its required file parts), and which tag a
//! discriminated alternative declares itself. Each is answered here as narrowly as it is asked,
//! so that the generator's core does not depend on the test tooling's sample values and
//! schema checker (`clientgen-testkit`), whose answers these match.

use std::collections::BTreeSet;

use serde_json::Value;

/// Nesting depth after which a schema is taken as it is (a cycle of references has no end).
const MAX_DEPTH: usize = 16;

/// Follows local `$ref`s (at most 32) to the schema or object they name; one that names
/// nothing is left as it is.
pub(super) fn resolve<'a>(raw: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| raw.pointer(p)) {
                Some(target) => value = target,
                None => return value,
            },
            None => return value,
        }
    }
    value
}

/// The discriminator value an alternative declares itself, when its mapping does not name it:
/// the `const`, or the only `enum` member, of its tag property (through `$ref`s and `allOf`).
/// OpenAI's `FileSearchTool` has `type: {enum: [file_search]}`; its schema name is not a
/// valid tag.
pub(super) fn implicit_tag(raw: &Value, alt: &Value, property: &str) -> Option<String> {
    implicit_tag_at(raw, alt, property, 0)
}

fn implicit_tag_at(raw: &Value, alt: &Value, property: &str, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let obj = resolve(raw, alt).as_object()?;
    let own = obj
        .get("properties")
        .and_then(|p| p.get(property))
        .map(|p| resolve(raw, p))
        .and_then(|p| {
            p.get("const")
                .or_else(|| match p.get("enum")?.as_array()?.as_slice() {
                    [only] => Some(only),
                    _ => None,
                })
        })
        .and_then(Value::as_str)
        .map(str::to_owned);
    own.or_else(|| {
        obj.get("allOf")?
            .as_array()?
            .iter()
            .find_map(|part| implicit_tag_at(raw, part, property, depth + 1))
    })
}

/// Whether `schema` takes the object whose only members are `files`, each an empty string:
/// the body a caller sends by default when the body type has no required field (the required
/// file parts are arguments of their own). It says no where the schema's keywords refuse
/// that object: a `required` name it lacks, `minProperties`, alternatives that each require
/// a name (GitHub's `anyOf: [{required: [state]}, ..]`) or that it matches more than one of
/// under `oneOf`, an `enum` without it, a type other than `object`, and file parts whose
/// schemas refuse an empty string (a length, a format) or that a closed object does not
/// declare. Patterns are trusted.
pub(super) fn takes_empty_body(raw: &Value, schema: &Value, files: &[&str]) -> bool {
    let mut names: Vec<&str> = Vec::new();
    for f in files {
        if !names.contains(f) {
            names.push(f);
        }
    }
    fits(raw, Probe::Body(&names), schema, 0, None)
}

/// The two values the check meets: the default body, and one of its file members.
#[derive(Clone, Copy)]
enum Probe<'v> {
    /// An object with these members, each an empty string.
    Body(&'v [&'v str]),
    /// An empty string.
    Empty,
}

impl Probe<'_> {
    /// JSON equality with an `enum` member.
    fn equals(self, v: &Value) -> bool {
        match (self, v) {
            (Probe::Empty, Value::String(s)) => s.is_empty(),
            (Probe::Body(names), Value::Object(o)) => {
                o.len() == names.len()
                    && names
                        .iter()
                        .all(|n| o.get(*n).and_then(Value::as_str) == Some(""))
            }
            _ => false,
        }
    }

    /// Whether it is of a JSON Schema type.
    fn is_of_type(self, t: &str) -> bool {
        match self {
            Probe::Body(_) => t == "object",
            Probe::Empty => t == "string",
        }
    }
}

/// `siblings`: property names that the other parts of an enclosing `allOf` declare, which an
/// `additionalProperties: false` of this part does not forbid.
fn fits(
    raw: &Value,
    value: Probe,
    schema: &Value,
    depth: usize,
    siblings: Option<&BTreeSet<String>>,
) -> bool {
    let Some(obj) = resolve(raw, schema).as_object() else {
        return true;
    };
    if depth > MAX_DEPTH {
        return true;
    }
    if let Some(values) = obj.get("enum").and_then(Value::as_array) {
        if !values.iter().any(|v| value.equals(v)) {
            return false;
        }
    }
    if let Some(parts) = obj.get("allOf").and_then(Value::as_array) {
        let mut names = siblings.cloned().unwrap_or_default();
        for part in parts {
            property_names(raw, part, &mut names, 0);
        }
        if !parts
            .iter()
            .all(|part| fits(raw, value, part, depth + 1, Some(&names)))
        {
            return false;
        }
    }
    if let Some(alts) = obj.get("anyOf").and_then(Value::as_array) {
        if !alts
            .iter()
            .any(|alt| fits(raw, value, alt, depth + 1, siblings))
        {
            return false;
        }
    }
    if let Some(alts) = obj.get("oneOf").and_then(Value::as_array) {
        let fitting = alts
            .iter()
            .filter(|alt| fits(raw, value, alt, depth + 1, siblings))
            .count();
        if fitting != 1 {
            return false;
        }
    }
    // No `type` but `properties`: a description means an object.
    let types: Vec<&str> = match obj.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let type_ok = match types.is_empty() {
        true if obj.contains_key("properties") => matches!(value, Probe::Body(_)),
        true => true,
        false => types.iter().any(|t| value.is_of_type(t)),
    };
    if !type_ok {
        return false;
    }
    let count = |key: &str| obj.get(key).and_then(Value::as_u64);
    match value {
        Probe::Empty => {
            // Every format the check knows refuses an empty string; others are trusted.
            let format_refuses = obj.get("format").and_then(Value::as_str).is_some_and(|f| {
                matches!(
                    f,
                    "date" | "date-time" | "uuid" | "email" | "uri" | "url" | "ipv4" | "ipv6"
                )
            });
            !(count("minLength").is_some_and(|m| m > 0) || format_refuses)
        }
        Probe::Body(names) => {
            let required_ok = obj
                .get("required")
                .and_then(Value::as_array)
                .is_none_or(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .all(|k| names.contains(&k))
                });
            let n = names.len() as u64;
            let size_ok = count("minProperties").is_none_or(|m| n >= m)
                && count("maxProperties").is_none_or(|m| n <= m);
            if !(required_ok && size_ok) {
                return false;
            }
            let props = obj.get("properties").and_then(Value::as_object);
            let closed = obj.get("additionalProperties") == Some(&Value::Bool(false));
            names.iter().all(|k| match props.and_then(|p| p.get(*k)) {
                Some(s) => fits(raw, Probe::Empty, s, depth + 1, None),
                None => !closed || siblings.is_some_and(|n| n.contains(*k)),
            })
        }
    }
}

/// The property names `schema` declares, through `$ref`s and `allOf` parts.
fn property_names(raw: &Value, schema: &Value, names: &mut BTreeSet<String>, depth: usize) {
    let schema = resolve(raw, schema);
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        names.extend(props.keys().cloned());
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        property_names(raw, part, names, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_object_with_nothing_required_takes_the_empty_body() {
        let raw = json!({"components": {"schemas": {"Opts": {
            "type": "object", "properties": {"a": {"type": "string"}}
        }}}});
        let schema = json!({"$ref": "#/components/schemas/Opts"});
        assert!(takes_empty_body(&raw, &schema, &[]));
        assert!(takes_empty_body(&raw, &json!({}), &[]));
        assert!(takes_empty_body(&raw, &json!({"type": "object"}), &[]));
        // Not an object at all.
        assert!(!takes_empty_body(&raw, &json!({"type": "string"}), &[]));
        assert!(!takes_empty_body(
            &raw,
            &json!({"type": ["array", "null"]}),
            &[]
        ));
    }

    #[test]
    fn names_required_through_alternatives_or_sizes_refuse_it() {
        let raw = json!({});
        // GitHub's alert updates: one of the names is always required.
        let any_of = json!({
            "type": "object",
            "properties": {"state": {"type": "string"}, "note": {"type": "string"}},
            "anyOf": [{"required": ["state"]}, {"required": ["note"]}]
        });
        assert!(!takes_empty_body(&raw, &any_of, &[]));
        assert!(!takes_empty_body(
            &raw,
            &json!({"type": "object", "minProperties": 1}),
            &[]
        ));
        assert!(!takes_empty_body(
            &raw,
            &json!({"type": "object", "required": ["a"]}),
            &[]
        ));
        // Two alternatives that both take it: `oneOf` needs exactly one.
        let one_of = json!({"oneOf": [{"type": "object"}, {"type": "object", "properties": {}}]});
        assert!(!takes_empty_body(&raw, &one_of, &[]));
        let one_of = json!({"oneOf": [{"type": "object"}, {"type": "string"}]});
        assert!(takes_empty_body(&raw, &one_of, &[]));
        // An `enum` lists the value, or not.
        assert!(takes_empty_body(&raw, &json!({"enum": [{}]}), &[]));
        assert!(!takes_empty_body(&raw, &json!({"enum": [{"a": 1}]}), &[]));
    }

    #[test]
    fn required_file_parts_are_members_the_schema_must_take() {
        let raw = json!({});
        let upload = json!({
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}
        });
        assert!(takes_empty_body(&raw, &upload, &["file"]));
        assert!(!takes_empty_body(&raw, &upload, &[]));
        // An empty string breaks a length or a known format.
        let sized =
            json!({"type": "object", "properties": {"file": {"type": "string", "minLength": 1}}});
        assert!(!takes_empty_body(&raw, &sized, &["file"]));
        let dated = json!({"type": "object", "properties": {"file": {"format": "date"}}});
        assert!(!takes_empty_body(&raw, &dated, &["file"]));
        // A closed object takes only members it or a sibling `allOf` part declares.
        let closed = json!({"type": "object", "additionalProperties": false});
        assert!(!takes_empty_body(&raw, &closed, &["file"]));
        let parts = json!({"allOf": [
            {"type": "object", "additionalProperties": false},
            {"type": "object", "properties": {"file": {"type": "string"}}}
        ]});
        assert!(takes_empty_body(&raw, &parts, &["file"]));
        assert!(takes_empty_body(
            &raw,
            &json!({"enum": [{"file": ""}]}),
            &["file", "file"]
        ));
    }

    #[test]
    fn an_alternative_declares_its_tag_by_const_or_single_enum() {
        let raw = json!({"components": {"schemas": {
            "Kind": {"type": "string", "enum": ["file_search"]},
            "Tool": {"type": "object", "properties": {"type": {"$ref": "#/components/schemas/Kind"}}},
            "Wrapped": {"allOf": [{"$ref": "#/components/schemas/Tool"}]},
            "Open": {"type": "object", "properties": {"type": {"enum": ["a", "b"]}}},
            "Const": {"properties": {"type": {"const": "c"}}}
        }}});
        let tag = |name: &str| {
            implicit_tag(
                &raw,
                &json!({"$ref": format!("#/components/schemas/{name}")}),
                "type",
            )
        };
        assert_eq!(tag("Tool").as_deref(), Some("file_search"));
        assert_eq!(tag("Wrapped").as_deref(), Some("file_search"));
        assert_eq!(tag("Const").as_deref(), Some("c"));
        assert_eq!(tag("Open"), None);
        assert_eq!(tag("Missing"), None);
    }

    /// The same answers as the test tooling's checker and sample values, which these
    /// replace in lowering, on every component schema and body schema of the fixtures (and of
    /// the corpus, when it is unpacked in `target/corpus`).
    #[test]
    fn the_answers_are_the_test_tooling_ones() {
        use clientgen_testkit::synth::Synth;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        let mut dirs = vec![root.join("tests/fixtures"), root.join("target/corpus")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                {
                    files.push(path);
                }
            }
        }
        assert!(files.len() >= 20, "the fixtures are missing");
        let mut compared = 0;
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(raw) = crate::parse::parse_value(&text) else {
                continue;
            };
            let mut schemas: Vec<&Value> = raw
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.values())
                .collect();
            for item in raw
                .get("paths")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.values())
            {
                for op in item.as_object().into_iter().flat_map(|m| m.values()) {
                    let content = op
                        .pointer("/requestBody/content")
                        .and_then(Value::as_object);
                    schemas.extend(
                        content
                            .into_iter()
                            .flat_map(|c| c.values())
                            .filter_map(|m| m.get("schema")),
                    );
                }
            }
            let synth = Synth::new(&raw);
            for schema in schemas {
                let props: Vec<&str> = resolve(&raw, schema)
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|p| p.keys().map(String::as_str).take(2).collect())
                    .unwrap_or_default();
                for files in [&[][..], &props[..]] {
                    let mut empty = serde_json::Map::new();
                    for f in files {
                        empty.insert((*f).to_owned(), Value::String(String::new()));
                    }
                    assert_eq!(
                        takes_empty_body(&raw, schema, files),
                        synth.fits(&Value::Object(empty), schema, 0),
                        "{}: {schema} with {files:?}",
                        path.display()
                    );
                }
                for property in props.iter().copied().chain(["type", "kind"]) {
                    assert_eq!(
                        implicit_tag(&raw, schema, property),
                        synth.implicit_tag(schema, property),
                        "{}: {schema} tag {property}",
                        path.display()
                    );
                }
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared} schemas compared");
    }
}
