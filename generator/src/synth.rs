//! Spec-valid sample values, synthesised from the raw schemas of the description: the
//! schema's own example when it fits the schema, else a value built from its constraints
//! (enum, const, format, bounds, lengths, simple patterns). The conformance test uses them as
//! the arguments of every operation.

use serde_json::{Map, Value, json};

/// Which properties an object gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required properties only.
    Required,
    /// Every property (and one entry of `additionalProperties` maps).
    All,
}

/// Synthesises values from schemas of one document.
pub struct Synth<'a> {
    raw: &'a Value,
}

/// Nesting depth after which objects get only their required properties, so that recursive
/// schemas with optional self-references end.
const FULL_DEPTH: usize = 4;
/// Nesting depth after which nothing more is built (a required cycle has no finite value).
const MAX_DEPTH: usize = 16;

impl<'a> Synth<'a> {
    /// A synthesiser over the (normalised) document.
    pub fn new(raw: &'a Value) -> Self {
        Synth { raw }
    }

    /// Follows local `$ref`s (at most 32) to the schema or object they name.
    pub fn resolve(&self, mut value: &'a Value) -> &'a Value {
        for _ in 0..32 {
            match value.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.raw.pointer(p)) {
                    Some(target) => value = target,
                    None => return value,
                },
                None => return value,
            }
        }
        value
    }

    /// The value of the object at a JSON pointer of the document (`#/paths/...`).
    pub fn at(&self, pointer: &str) -> Option<&'a Value> {
        self.raw
            .pointer(pointer.strip_prefix('#').unwrap_or(pointer))
    }

    /// A value for `schema`, valid against it as far as this module can tell.
    pub fn value(&self, schema: &Value, fill: Fill, request: bool) -> Value {
        self.build(schema, fill, request, 0)
    }

    /// A parameter's value: its own example when it fits, else one from its schema.
    pub fn param_value(&self, param: &Value, fill: Fill) -> Value {
        let param = self.resolve(param);
        let schema = param
            .get("schema")
            .or_else(|| {
                param
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.values().next())
                    .and_then(|m| m.get("schema"))
            })
            .map(|s| self.resolve(s));
        let Some(schema) = schema else {
            return json!("conformance");
        };
        let example = param.get("example").or_else(|| {
            param
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|e| e.values().next())
                .map(|e| self.resolve(e))
                .and_then(|e| e.get("value"))
        });
        match example {
            Some(e) if self.fits(e, schema, 0) && !e.is_null() => e.clone(),
            _ => {
                let v = self.value(schema, fill, true);
                // An empty array or object would send nothing at all, which a required
                // parameter does not allow: such a parameter gets its optional parts too.
                let empty = v.as_array().is_some_and(Vec::is_empty)
                    || v.as_object().is_some_and(Map::is_empty);
                if empty {
                    self.value(schema, Fill::All, true)
                } else {
                    v
                }
            }
        }
    }

    fn build(&self, schema: &Value, fill: Fill, request: bool, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        let fill = if depth > FULL_DEPTH {
            Fill::Required
        } else {
            fill
        };
        let Some(obj) = schema.as_object() else {
            // `true` or an empty schema: anything goes.
            return json!("conformance");
        };
        if let Some(c) = obj.get("const") {
            return c.clone();
        }
        if let Some(values) = obj.get("enum").and_then(Value::as_array) {
            if let Some(v) = values.iter().find(|v| !v.is_null()) {
                return v.clone();
            }
        }
        if let Some(parts) = obj.get("allOf").and_then(Value::as_array) {
            return self.build_all_of(schema, parts, fill, request, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = obj.get(key).and_then(Value::as_array) {
                // Properties beside the alternatives (often alternatives that only list
                // `required` names): the value must satisfy both, as with `allOf`.
                if obj.contains_key("properties") {
                    let first = alts.iter().find(|a| {
                        self.resolve(a).get("type").and_then(Value::as_str) != Some("null")
                    });
                    let mut own = obj.clone();
                    own.remove(key);
                    own.insert(
                        "allOf".into(),
                        Value::Array(first.into_iter().cloned().collect()),
                    );
                    return self.build(&Value::Object(own), fill, request, depth + 1);
                }
                return self.build_alternative(schema, alts, fill, request, depth);
            }
        }
        // Scalars keep the spec's own example when it fits; objects and arrays are built
        // property by property, so that `Fill::Required` stays minimal.
        let ty = type_of(obj);
        if !matches!(ty, "object" | "array") {
            if let Some(e) = schema_example(obj) {
                if !e.is_null() && self.fits(e, schema, 0) {
                    return e.clone();
                }
            }
        }
        match ty {
            "object" => self.build_object(obj, fill, request, depth),
            "array" => {
                let min = obj.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let max = obj
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(u64::MAX);
                let wanted = if fill == Fill::All { 1 } else { 0 };
                let n = min.max(wanted).min(max).min(8);
                let items = obj.get("items").cloned().unwrap_or(json!({}));
                let unique = obj.get("uniqueItems").and_then(Value::as_bool) == Some(true);
                let mut out: Vec<Value> = Vec::new();
                for i in 0..n {
                    let mut v = self.build(&items, fill, request, depth + 1);
                    if unique && out.contains(&v) {
                        v = distinct(v, i);
                    }
                    out.push(v);
                }
                Value::Array(out)
            }
            "integer" => integer(obj),
            "number" => number(obj),
            "boolean" => Value::Bool(true),
            "null" => Value::Null,
            _ => Value::String(string(obj)),
        }
    }

    fn build_all_of(
        &self,
        schema: &Value,
        parts: &[Value],
        fill: Fill,
        request: bool,
        depth: usize,
    ) -> Value {
        // The parts' properties and required lists merged into one object schema, with the
        // schema's own keywords beside `allOf`.
        let mut merged = Map::new();
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        let mut scalar = None;
        let mut own = schema.as_object().cloned().unwrap_or_default();
        own.remove("allOf");
        let mut all: Vec<Value> = parts.to_vec();
        all.push(Value::Object(own));
        for part in &all {
            let part = self.resolve(part);
            let Some(p) = part.as_object() else { continue };
            if p.contains_key("allOf") || p.contains_key("oneOf") || p.contains_key("anyOf") {
                let v = self.build(part, fill, request, depth + 1);
                match v {
                    Value::Object(o) => {
                        for (k, v) in o {
                            properties.insert(k.clone(), json!({ "const": v }));
                            required.push(Value::String(k));
                        }
                    }
                    other => scalar = Some(other),
                }
                continue;
            }
            if let Some(props) = p.get("properties").and_then(Value::as_object) {
                for (k, v) in props {
                    properties.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            if let Some(req) = p.get("required").and_then(Value::as_array) {
                required.extend(req.iter().cloned());
            }
            for (k, v) in p {
                if !matches!(k.as_str(), "properties" | "required" | "$ref") {
                    merged.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
        if properties.is_empty() {
            if let Some(s) = scalar {
                return s;
            }
        }
        merged.insert("properties".into(), Value::Object(properties));
        merged.insert("required".into(), Value::Array(required));
        if type_of(&merged) == "object" {
            merged.insert("type".into(), json!("object"));
        }
        self.build(&Value::Object(merged), fill, request, depth + 1)
    }

    fn build_alternative(
        &self,
        schema: &Value,
        alts: &[Value],
        fill: Fill,
        request: bool,
        depth: usize,
    ) -> Value {
        let Some(first) = alts
            .iter()
            .find(|a| self.resolve(a).get("type").and_then(Value::as_str) != Some("null"))
        else {
            return Value::Null;
        };
        let mut v = self.build(first, fill, request, depth + 1);
        // With a discriminator the tag must name the chosen alternative.
        if let Some(d) = schema.get("discriminator") {
            if let (Some(prop), Some(o)) = (
                d.get("propertyName").and_then(Value::as_str),
                v.as_object_mut(),
            ) {
                let reference = first.get("$ref").and_then(Value::as_str);
                let mapped = d.get("mapping").and_then(Value::as_object).and_then(|m| {
                    m.iter()
                        .find(|(_, target)| target.as_str() == reference)
                        .map(|(k, _)| k.clone())
                });
                let tag = mapped
                    .or_else(|| reference.and_then(|r| r.rsplit('/').next().map(str::to_owned)));
                if let Some(tag) = tag {
                    o.insert(prop.to_owned(), Value::String(tag));
                }
            }
        }
        v
    }

    fn build_object(
        &self,
        obj: &Map<String, Value>,
        fill: Fill,
        request: bool,
        depth: usize,
    ) -> Value {
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let is_required = required.contains(&name.as_str());
                let p = self.resolve(prop);
                // Read-only properties are not sent, even when required (OpenAPI: `required`
                // then applies to responses only); write-only ones are not received.
                let skip_key = if request { "readOnly" } else { "writeOnly" };
                if p.get(skip_key).and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                if is_required || fill == Fill::All {
                    let v = self.build(prop, fill, request, depth + 1);
                    if v.is_null() && !is_required {
                        continue;
                    }
                    out.insert(name.clone(), v);
                }
            }
        }
        // Required names with no property schema still need a value.
        let props = obj.get("properties").and_then(Value::as_object);
        for name in required {
            if props.is_none_or(|p| !p.contains_key(name)) {
                out.entry(name.to_owned())
                    .or_insert_with(|| json!("conformance"));
            }
        }
        let extra = obj.get("additionalProperties");
        let min_props = obj
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let want_extra = (fill == Fill::All && out.is_empty()) || (out.len() as u64) < min_props;
        if want_extra {
            if let Some(schema) = extra.filter(|e| e.is_object()) {
                let mut i = 0;
                while (out.len() as u64) < min_props.max(1) && i < 8 {
                    let key = format!("key{}", i + 1);
                    out.insert(key, self.build(schema, fill, request, depth + 1));
                    i += 1;
                }
            }
        }
        Value::Object(out)
    }

    /// Whether `value` fits `schema`, for the keywords that examples get wrong in practice:
    /// type, enum, bounds, lengths, formats, required properties. Patterns are trusted.
    pub fn fits(&self, value: &Value, schema: &Value, depth: usize) -> bool {
        let schema = self.resolve(schema);
        let Some(obj) = schema.as_object() else {
            return true;
        };
        if depth > MAX_DEPTH {
            return true;
        }
        if value.is_null() {
            return obj.get("nullable").and_then(Value::as_bool) == Some(true)
                || type_list(obj).contains(&"null");
        }
        if let Some(values) = obj.get("enum").and_then(Value::as_array) {
            if !values.contains(value) {
                return false;
            }
        }
        if let Some(parts) = obj.get("allOf").and_then(Value::as_array) {
            if !parts.iter().all(|p| self.fits(value, p, depth + 1)) {
                return false;
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = obj.get(key).and_then(Value::as_array) {
                if !alts.iter().any(|p| self.fits(value, p, depth + 1)) {
                    return false;
                }
            }
        }
        let types = type_list(obj);
        let type_ok = types.is_empty()
            || types.iter().any(|t| match *t {
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                "array" => value.is_array(),
                "object" => value.is_object(),
                _ => false,
            });
        if !type_ok {
            return false;
        }
        let num = |k: &str| obj.get(k).and_then(Value::as_f64);
        match value {
            Value::String(s) => {
                let len = s.chars().count() as u64;
                if obj
                    .get("minLength")
                    .and_then(Value::as_u64)
                    .is_some_and(|m| len < m)
                    || obj
                        .get("maxLength")
                        .and_then(Value::as_u64)
                        .is_some_and(|m| len > m)
                {
                    return false;
                }
                if let Some(format) = obj.get("format").and_then(Value::as_str) {
                    if !format_fits(format, s) {
                        return false;
                    }
                }
                true
            }
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(0.0);
                !(num("minimum").is_some_and(|m| x < m)
                    || num("maximum").is_some_and(|m| x > m)
                    || num("exclusiveMinimum").is_some_and(|m| x <= m)
                    || num("exclusiveMaximum").is_some_and(|m| x >= m))
            }
            Value::Array(items) => {
                let len = items.len() as u64;
                if obj
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .is_some_and(|m| len < m)
                    || obj
                        .get("maxItems")
                        .and_then(Value::as_u64)
                        .is_some_and(|m| len > m)
                {
                    return false;
                }
                match obj.get("items") {
                    Some(s) => items.iter().all(|i| self.fits(i, s, depth + 1)),
                    None => true,
                }
            }
            Value::Object(map) => {
                let required_ok = obj
                    .get("required")
                    .and_then(Value::as_array)
                    .is_none_or(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .all(|k| map.contains_key(k))
                    });
                let props = obj.get("properties").and_then(Value::as_object);
                required_ok
                    && map.iter().all(|(k, v)| match props.and_then(|p| p.get(k)) {
                        Some(s) => self.fits(v, s, depth + 1),
                        None => obj.get("additionalProperties") != Some(&Value::Bool(false)),
                    })
            }
            _ => true,
        }
    }
}

/// The schema's example: `example`, else the first of `examples` (3.1), else `default`.
fn schema_example(obj: &Map<String, Value>) -> Option<&Value> {
    obj.get("example")
        .or_else(|| {
            obj.get("examples")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
        })
        .or_else(|| obj.get("default"))
}

/// The declared types, `null` included (3.1 type lists, 3.0 single types).
fn type_list(obj: &Map<String, Value>) -> Vec<&str> {
    match obj.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The type to build: the first declared one that is not `null`, else what the keywords say.
fn type_of(obj: &Map<String, Value>) -> &str {
    if let Some(t) = type_list(obj).into_iter().find(|t| *t != "null") {
        return t;
    }
    if obj.contains_key("properties")
        || obj.contains_key("additionalProperties")
        || obj.contains_key("required")
    {
        "object"
    } else if obj.contains_key("items") {
        "array"
    } else if obj.contains_key("minimum") || obj.contains_key("maximum") {
        "number"
    } else {
        "string"
    }
}

/// Makes a later item of a `uniqueItems` array differ from the earlier ones.
fn distinct(v: Value, i: u64) -> Value {
    match v {
        Value::String(s) => Value::String(format!("{s}{i}")),
        Value::Number(n) => json!(n.as_i64().unwrap_or(0) + i as i64),
        other => other,
    }
}

fn bound(obj: &Map<String, Value>, key: &str, exclusive_key: &str) -> Option<(f64, bool)> {
    // 3.0: `exclusiveMinimum: true` beside `minimum`; 3.1: `exclusiveMinimum: 5`.
    match obj.get(exclusive_key) {
        Some(Value::Number(n)) => n.as_f64().map(|x| (x, true)),
        Some(Value::Bool(b)) => obj.get(key).and_then(Value::as_f64).map(|x| (x, *b)),
        _ => obj.get(key).and_then(Value::as_f64).map(|x| (x, false)),
    }
}

fn integer(obj: &Map<String, Value>) -> Value {
    let min = bound(obj, "minimum", "exclusiveMinimum").map(|(x, ex)| {
        if ex {
            x.floor() as i64 + 1
        } else {
            x.ceil() as i64
        }
    });
    let max = bound(obj, "maximum", "exclusiveMaximum").map(|(x, ex)| {
        if ex {
            x.ceil() as i64 - 1
        } else {
            x.floor() as i64
        }
    });
    let mut v = match (min, max) {
        (Some(lo), _) if lo > 1 => lo,
        (_, Some(hi)) if hi < 1 => hi,
        _ => 1,
    };
    if let Some(m) = obj
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m >= 1.0)
    {
        let m = m as i64;
        v = (v + m - 1).div_euclid(m) * m;
    }
    json!(v)
}

fn number(obj: &Map<String, Value>) -> Value {
    let min = bound(obj, "minimum", "exclusiveMinimum");
    let max = bound(obj, "maximum", "exclusiveMaximum");
    let v = match (min, max) {
        (Some((lo, ex)), Some((hi, _))) if lo >= 1.0 || hi < 1.0 => {
            if ex {
                (lo + hi) / 2.0
            } else {
                lo
            }
        }
        (Some((lo, ex)), None) if lo >= 1.0 => {
            if ex {
                lo + 1.0
            } else {
                lo
            }
        }
        (_, Some((hi, ex))) if hi <= 1.0 => {
            if ex {
                hi - 1.0
            } else {
                hi
            }
        }
        _ => 1.0,
    };
    // Whole numbers are written without a fraction, which both integer and number accept.
    if v.fract() == 0.0 && v.abs() < 1e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn string(obj: &Map<String, Value>) -> String {
    let format = obj.get("format").and_then(Value::as_str).unwrap_or("");
    let formatted = match format {
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05Z"),
        "uuid" => Some("123e4567-e89b-42d3-a456-426614174000"),
        "email" | "idn-email" => Some("user@example.com"),
        "uri" | "url" | "iri" => Some("https://example.com/conformance"),
        "uri-reference" | "iri-reference" => Some("/conformance"),
        "hostname" | "idn-hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("Y29uZm9ybWFuY2U="),
        "duration" => Some("P1D"),
        _ => None,
    };
    if let Some(f) = formatted {
        return f.to_owned();
    }
    let base = obj
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(from_pattern)
        .unwrap_or_else(|| "conformance".to_owned());
    let min = obj.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = obj
        .get("maxLength")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |m| m as usize);
    let mut s = base;
    if obj.contains_key("pattern") {
        // Padding or cutting would break the pattern; a pattern sample is kept as it is.
        return s;
    }
    while s.chars().count() < min {
        s.push('x');
    }
    if s.chars().count() > max {
        s = s.chars().take(max.max(1)).collect();
    }
    s
}

/// A string matching a simple regular expression: literals, escapes (`\d`, `\w`, `\s`, `\.`),
/// classes, groups with alternatives (the first is taken) and quantifiers. `None` for anything
/// else (lookarounds, backreferences).
pub fn from_pattern(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    let out = sequence(&chars, &mut pos, 0)?;
    (pos == chars.len()).then_some(out)
}

/// Parses alternatives up to `)` or the end, producing a sample of the first.
fn sequence(chars: &[char], pos: &mut usize, depth: usize) -> Option<String> {
    if depth > 16 {
        return None;
    }
    let mut first: Option<String> = None;
    let mut current = String::new();
    while *pos < chars.len() {
        let c = chars[*pos];
        let atom: String = match c {
            ')' => break,
            '|' => {
                *pos += 1;
                first.get_or_insert(std::mem::take(&mut current));
                current.clear();
                continue;
            }
            '^' | '$' => {
                *pos += 1;
                continue;
            }
            '(' => {
                *pos += 1;
                if chars.get(*pos) == Some(&'?') {
                    // Only non-capturing groups `(?:...)`.
                    if chars.get(*pos + 1) != Some(&':') {
                        return None;
                    }
                    *pos += 2;
                }
                let inner = sequence(chars, pos, depth + 1)?;
                if chars.get(*pos) != Some(&')') {
                    return None;
                }
                *pos += 1;
                inner
            }
            '[' => {
                *pos += 1;
                class(chars, pos)?.to_string()
            }
            '\\' => {
                let e = *chars.get(*pos + 1)?;
                *pos += 2;
                match e {
                    'd' => "1".into(),
                    'w' => "a".into(),
                    's' => " ".into(),
                    'D' | 'W' | 'S' => "-".into(),
                    'b' | 'B' | 'A' | 'z' | 'Z' => String::new(),
                    c if c.is_ascii_alphanumeric() => return None,
                    c => c.to_string(),
                }
            }
            '.' => {
                *pos += 1;
                "a".into()
            }
            '*' | '+' | '?' | '{' => return None,
            c => {
                *pos += 1;
                c.to_string()
            }
        };
        let count = quantifier(chars, pos)?;
        for _ in 0..count {
            current.push_str(&atom);
        }
    }
    Some(first.unwrap_or(current))
}

/// Reads a quantifier after an atom and returns how often to repeat it.
fn quantifier(chars: &[char], pos: &mut usize) -> Option<usize> {
    let n = match chars.get(*pos) {
        Some('*') => {
            *pos += 1;
            0
        }
        Some('+') => {
            *pos += 1;
            1
        }
        Some('?') => {
            *pos += 1;
            0
        }
        Some('{') => {
            let end = chars[*pos..].iter().position(|&c| c == '}')? + *pos;
            let body: String = chars[*pos + 1..end].iter().collect();
            *pos = end + 1;
            let min = body.split(',').next()?.trim();
            min.parse::<usize>().ok()?.min(64)
        }
        _ => 1,
    };
    // A lazy or possessive marker changes nothing for a sample.
    if matches!(chars.get(*pos), Some('?') | Some('+')) {
        *pos += 1;
    }
    Some(n)
}

/// Reads a character class after `[` and returns a character it matches.
fn class(chars: &[char], pos: &mut usize) -> Option<char> {
    if chars.get(*pos) == Some(&'^') {
        // A negated class: a letter is rarely excluded; check the common exclusions.
        let end = chars[*pos..].iter().position(|&c| c == ']')? + *pos;
        let excluded: String = chars[*pos + 1..end].iter().collect();
        *pos = end + 1;
        return ['a', 'x', '1', '-']
            .into_iter()
            .find(|c| !excluded.contains(*c));
    }
    let mut chosen = None;
    let start = *pos;
    while *pos < chars.len() && (chars[*pos] != ']' || *pos == start) {
        let c = if chars[*pos] == '\\' {
            *pos += 1;
            match chars.get(*pos)? {
                'd' => '1',
                'w' => 'a',
                's' => ' ',
                c => *c,
            }
        } else {
            chars[*pos]
        };
        *pos += 1;
        chosen.get_or_insert(c);
    }
    if chars.get(*pos) != Some(&']') {
        return None;
    }
    *pos += 1;
    chosen
}

/// A loose check of the common formats, to tell whether an example can be kept.
fn format_fits(format: &str, s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match format {
        "date" => {
            let p: Vec<&str> = s.split('-').collect();
            p.len() == 3 && p.iter().all(|x| digits(x)) && s.len() == 10
        }
        "date-time" => {
            s.len() >= 20
                && s.get(..10).is_some_and(|d| format_fits("date", d))
                && matches!(s.as_bytes()[10], b'T' | b't')
                && (s.ends_with('Z') || s.ends_with('z') || s[19..].contains(['+', '-']))
        }
        "uuid" => {
            let p: Vec<&str> = s.split('-').collect();
            p.iter().map(|x| x.len()).eq([8, 4, 4, 4, 12])
                && p.iter().all(|x| x.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        "email" => s
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.')),
        "uri" | "url" => s.contains("://") || s.starts_with("urn:") || s.starts_with("mailto:"),
        "ipv4" => {
            let p: Vec<&str> = s.split('.').collect();
            p.len() == 4 && p.iter().all(|x| x.parse::<u8>().is_ok())
        }
        "ipv6" => s.contains(':') && s.parse::<std::net::Ipv6Addr>().is_ok(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_patterns_give_matching_samples() {
        assert_eq!(from_pattern("^[a-z]{3}-\\d{2}$").as_deref(), Some("aaa-11"));
        assert_eq!(from_pattern("^(foo|bar)+$").as_deref(), Some("foo"));
        assert_eq!(from_pattern("^[^/]+$").as_deref(), Some("a"));
        assert_eq!(from_pattern("(?=x)"), None);
    }

    #[test]
    fn objects_get_required_or_all_properties() {
        let doc = json!({"components": {"schemas": {"Id": {"type": "string", "format": "uuid"}}}});
        let s = Synth::new(&doc);
        let schema = json!({
            "type": "object",
            "required": ["id", "n"],
            "properties": {
                "id": {"$ref": "#/components/schemas/Id"},
                "n": {"type": "integer", "minimum": 5, "example": 2},
                "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                "ro": {"type": "string", "readOnly": true}
            }
        });
        assert_eq!(
            s.value(&schema, Fill::Required, true),
            json!({"id": "123e4567-e89b-42d3-a456-426614174000", "n": 5})
        );
        let all = s.value(&schema, Fill::All, true);
        assert_eq!(all["tags"], json!(["a"]));
        assert!(all.get("ro").is_none(), "read-only properties are not sent");
    }

    #[test]
    fn alternatives_beside_properties_add_their_required_names() {
        let doc = json!({});
        let s = Synth::new(&doc);
        let schema = json!({
            "type": "object",
            "properties": {"id": {"type": "integer"}, "owner": {"type": "string"}},
            "oneOf": [{"required": ["id"]}, {"required": ["owner"]}]
        });
        assert_eq!(s.value(&schema, Fill::Required, true), json!({"id": 1}));
    }

    #[test]
    fn discriminated_unions_carry_their_tag() {
        let doc = json!({"components": {"schemas": {"Cat": {"type": "object", "properties": {"kind": {"type": "string"}}}}}});
        let s = Synth::new(&doc);
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}],
            "discriminator": {"propertyName": "kind"}
        });
        assert_eq!(
            s.value(&schema, Fill::Required, true),
            json!({"kind": "Cat"})
        );
    }
}
