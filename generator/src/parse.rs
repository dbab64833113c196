//! Text to `openapiv3::OpenAPI`: YAML or JSON without silent losses (duplicate keys are
//! errors, `<<` merge keys are applied, integers beyond 64 bits are kept as floats), a version
//! check, and normalisation of OpenAPI 3.1 and `$ref` siblings to the 3.0 model.

use std::fmt::{self, Write as _};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diag::{Diagnostics, escape_token};

/// The parsed document and what parsing noticed.
pub struct Parsed {
    /// The typed document.
    pub spec: openapiv3::OpenAPI,
    /// The normalised JSON tree it came from (for extensions openapiv3 does not keep).
    pub raw: Value,
    /// Targets of local references that are not a whole component (`#/components/schemas/A/
    /// properties/b`, a schema inside an operation): lowering shares one type for each.
    pub deep_refs: std::collections::BTreeSet<String>,
    /// The document is OpenAPI 3.1 or 3.2 (normalised to the 3.0 model above).
    pub is_31: bool,
    /// The document is OpenAPI 3.2. What the 3.0 model has no place for stays in `raw`, where
    /// lowering reads it: the `query` and `additionalOperations` operations of a path item,
    /// `itemSchema` of a media type and nested tags; an `in: querystring` parameter is read
    /// as `in: query` with `x-clientgen-querystring: true`.
    pub is_32: bool,
}

/// Parses spec text (YAML or JSON). Problems are added to `diags`; `None` when the text
/// cannot become a document at all.
pub fn parse(text: &str, diags: &mut Diagnostics) -> Option<Parsed> {
    parse_on(text, diags, true)
}

/// `parse`, with a second thread for large documents only if `threads`.
pub(crate) fn parse_on(text: &str, diags: &mut Diagnostics, threads: bool) -> Option<Parsed> {
    let mut raw = match parse_value(text) {
        Ok(v) => v,
        Err(message) => {
            diags.error("#", message);
            return None;
        }
    };
    let version = raw
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let is_32 = version.starts_with("3.2.") || version == "3.2";
    let is_31 = if version.starts_with("3.0.") || version == "3.0" {
        false
    } else if version.starts_with("3.1.") || version == "3.1" || is_32 {
        true
    } else {
        let found = if version.is_empty() {
            match raw.get("swagger") {
                Some(_) => "swagger 2.0 (convert it to OpenAPI 3 first)".to_owned(),
                None => "no `openapi` field".to_owned(),
            }
        } else {
            format!("`{version}`")
        };
        diags.error(
            "#/openapi",
            format!("unsupported OpenAPI version {found}; expected 3.0.x, 3.1.x or 3.2.x"),
        );
        return None;
    };
    if !raw.is_object() {
        diags.error("#", "the document is not an object");
        return None;
    }
    if is_32 {
        crate::parse32::prepare(&mut raw, diags);
    }
    let mut deep_refs = std::collections::BTreeSet::new();
    normalise(
        &mut raw,
        is_31,
        &mut String::from("#"),
        None,
        diags,
        &mut deep_refs,
    );
    accept_slips(&mut raw, diags);
    if let Some(obj) = raw.as_object_mut() {
        // 3.1 allows documents with only webhooks or components.
        obj.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        obj.insert("openapi".into(), Value::String("3.0.3".into()));
    }
    // The plain deserialiser first; only a document that fails is read again with path
    // tracking, which costs a good part of the parse on large specs.
    let plain = if threads && text.len() >= TWO_HALVES_FROM {
        deserialize_in_two_halves(&mut raw)
    } else {
        <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&raw).ok()
    };
    if let Some(spec) = plain {
        return Some(Parsed {
            spec,
            raw,
            deep_refs,
            is_31,
            is_32,
        });
    }
    let spec = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw) {
        Ok(spec) => spec,
        Err(e) => {
            let (pointer, message) = refine(&raw, path_to_pointer(e.path()), e.inner().to_string());
            diags.error(&pointer, format!("not a valid OpenAPI document: {message}"));
            return None;
        }
    };
    Some(Parsed {
        spec,
        raw,
        deep_refs,
        is_31,
        is_32,
    })
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Fills in what OpenAPI requires but real descriptions often leave out, each with a warning
/// at its pointer, so that one omission does not refuse the whole document:
/// - no `info`, or one without `title` or `version`: empty text;
/// - a response without `description`: empty text;
/// - an operation without `responses`: none (its success body is returned as raw bytes);
/// - a server variable without `default`: its first `enum` value; with no `enum` either, the
///   server is left out (set the URL with `ClientBuilder::base_url`).
fn accept_slips(raw: &mut Value, diags: &mut Diagnostics) {
    let Some(doc) = raw.as_object_mut() else {
        return;
    };
    match doc.get_mut("info") {
        Some(Value::Object(info)) => {
            for key in ["title", "version"] {
                if !info.contains_key(key) {
                    diags.warn("#/info", format!("`info` without `{key}`: taken as empty"));
                    info.insert(key.into(), Value::String(String::new()));
                }
            }
        }
        _ => {
            diags.warn("#", "no `info`: the API has no title or version");
            let mut info = Map::new();
            info.insert("title".into(), Value::String(String::new()));
            info.insert("version".into(), Value::String(String::new()));
            doc.insert("info".into(), Value::Object(info));
        }
    }
    accept_server_slips(doc.get_mut("servers"), "#/servers", diags);
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let item_pointer = format!("#/paths/{}", escape_token(path));
            accept_server_slips(
                item.get_mut("servers"),
                &format!("{item_pointer}/servers"),
                diags,
            );
            // The fixed methods in their order, then 3.2's `query` and `additionalOperations`.
            let mut operations: Vec<(usize, String, &mut Map<String, Value>)> = Vec::new();
            for (key, value) in item.iter_mut() {
                let Value::Object(obj) = value else { continue };
                let rank = METHODS
                    .iter()
                    .position(|m| m == key)
                    .or((key == "query").then_some(METHODS.len()));
                if let Some(rank) = rank {
                    operations.push((rank, format!("{item_pointer}/{key}"), obj));
                } else if key == "additionalOperations" {
                    for (method, op) in obj.iter_mut() {
                        if let Value::Object(op) = op {
                            let pointer = format!(
                                "{item_pointer}/additionalOperations/{}",
                                escape_token(method)
                            );
                            operations.push((METHODS.len() + 1, pointer, op));
                        }
                    }
                }
            }
            operations.sort_by_key(|(rank, _, _)| *rank);
            for (_, op_pointer, op) in operations {
                accept_server_slips(
                    op.get_mut("servers"),
                    &format!("{op_pointer}/servers"),
                    diags,
                );
                let responses = op.entry("responses").or_insert_with(|| {
                    diags.warn(
                        &op_pointer,
                        "operation without `responses`: its response body is returned as raw bytes",
                    );
                    Value::Object(Map::new())
                });
                accept_response_slips(responses, &format!("{op_pointer}/responses"), diags);
            }
        }
    }
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        if let Some(responses) = components.get_mut("responses") {
            accept_response_slips(responses, "#/components/responses", diags);
        }
    }
}

fn accept_response_slips(responses: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    let Value::Object(responses) = responses else {
        return;
    };
    for (code, response) in responses.iter_mut() {
        let Value::Object(response) = response else {
            continue;
        };
        if !response.contains_key("$ref") && !response.contains_key("description") {
            diags.warn(
                &format!("{pointer}/{}", escape_token(code)),
                "response without `description`",
            );
            response.insert("description".into(), Value::String(String::new()));
        }
    }
}

fn accept_server_slips(servers: Option<&mut Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(Value::Array(servers)) = servers else {
        return;
    };
    let mut index = 0;
    servers.retain_mut(|server| {
        let server_pointer = format!("{pointer}/{index}");
        index += 1;
        let Some(Value::Object(vars)) = server.get_mut("variables") else {
            return true;
        };
        for (name, var) in vars.iter_mut() {
            let Value::Object(var) = var else { continue };
            if var.contains_key("default") {
                continue;
            }
            let var_pointer = format!("{server_pointer}/variables/{}", escape_token(name));
            match var.get("enum").and_then(Value::as_array).and_then(|e| e.first()).cloned() {
                Some(first) => {
                    diags.warn(
                        &var_pointer,
                        format!("server variable without `default`: its first `enum` value {first} is used"),
                    );
                    var.insert("default".into(), first);
                }
                None => {
                    diags.warn(
                        &var_pointer,
                        "server variable without `default` or `enum`: the server is left out; set the URL with `ClientBuilder::base_url`",
                    );
                    return false;
                }
            }
        }
        true
    });
}

/// Spec size from which the typed document is deserialised on two threads; below it, starting
/// a thread costs more than it saves (our 4-operation spec parsed in 0.9 ms on one thread and
/// 1.5 ms on two).
pub(crate) const TWO_HALVES_FROM: usize = 256 * 1024;

/// Deserialises the typed document with `components` on a second thread and the rest (paths,
/// mostly) on this one: on large specs the two are of similar size. The top-level values are
/// moved out of `raw` for the duration and put back, so nothing is copied and the key order
/// of `raw` is kept. `None` when either half fails; the caller then reports the pointer.
fn deserialize_in_two_halves(raw: &mut Value) -> Option<openapiv3::OpenAPI> {
    let obj = raw.as_object_mut()?;
    let mut rest = Map::new();
    for (key, value) in obj.iter_mut() {
        if key != "components" {
            rest.insert(key.clone(), std::mem::take(value));
        }
    }
    let rest = Value::Object(rest);
    let components = obj.get("components");
    let (spec, components) = std::thread::scope(|scope| {
        let components = components.map(|c| {
            scope.spawn(move || <openapiv3::Components as serde::Deserialize>::deserialize(c))
        });
        let spec = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&rest);
        let components = components.map(|h| h.join());
        (spec, components)
    });
    if let Value::Object(mut rest) = rest {
        for (key, value) in obj.iter_mut() {
            if let Some(moved) = rest.remove(key) {
                *value = moved;
            }
        }
    }
    let mut spec = spec.ok()?;
    spec.components = match components {
        None => None,
        Some(Ok(Ok(c))) => Some(c),
        Some(_) => return None,
    };
    Some(spec)
}

/// What the OpenAPI model expects at a place in the document.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Header,
    Schema,
    SecurityScheme,
    Server,
    Info,
    Components,
}

fn expect_at(pointer: &str) -> Option<Expect> {
    let tokens: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let index = |s: &str| s.parse::<usize>().is_ok();
    Some(match t.as_slice() {
        ["paths"] => Expect::Paths,
        ["paths", _] => Expect::PathItem,
        ["paths", _, m] if METHODS.contains(m) || *m == "query" => Expect::Operation,
        ["paths", _, "additionalOperations", _] => Expect::Operation,
        ["info"] => Expect::Info,
        ["components"] => Expect::Components,
        ["servers", i] if index(i) => Expect::Server,
        ["components", "schemas", _] => Expect::Schema,
        ["components", "parameters", _] => Expect::Parameter,
        ["components", "requestBodies", _] => Expect::RequestBody,
        ["components", "responses", _] => Expect::Response,
        ["components", "headers", _] => Expect::Header,
        ["components", "securitySchemes", _] => Expect::SecurityScheme,
        [.., "parameters", i] if index(i) => Expect::Parameter,
        [.., "requestBody"] => Expect::RequestBody,
        [.., "responses", _] => Expect::Response,
        [.., "content", _] => Expect::MediaType,
        [.., "headers", _] => Expect::Header,
        [
            ..,
            "schema" | "itemSchema" | "items" | "not" | "additionalProperties",
        ] => Expect::Schema,
        [.., "properties", _] => Expect::Schema,
        [.., "allOf" | "oneOf" | "anyOf", i] if index(i) => Expect::Schema,
        _ => return None,
    })
}

/// Reads `node` as what is expected there; on failure, the pointer suffix and message of the
/// first problem inside it.
fn try_as(expect: Expect, node: &Value) -> Result<(), (String, String)> {
    fn read<T: serde::de::DeserializeOwned>(node: &Value) -> Result<(), (String, String)> {
        serde_path_to_error::deserialize::<_, T>(node)
            .map(|_| ())
            .map_err(|e| {
                let suffix = path_to_pointer(e.path());
                (suffix[1..].to_owned(), e.inner().to_string())
            })
    }
    match expect {
        Expect::Paths => read::<openapiv3::Paths>(node),
        Expect::PathItem => read::<openapiv3::PathItem>(node),
        Expect::Operation => read::<openapiv3::Operation>(node),
        Expect::Parameter => read::<openapiv3::Parameter>(node),
        Expect::RequestBody => read::<openapiv3::RequestBody>(node),
        Expect::Response => read::<openapiv3::Response>(node),
        Expect::MediaType => read::<openapiv3::MediaType>(node),
        Expect::Header => read::<openapiv3::Header>(node),
        Expect::Schema => read::<openapiv3::Schema>(node),
        Expect::SecurityScheme => read::<openapiv3::SecurityScheme>(node),
        Expect::Server => read::<openapiv3::Server>(node),
        Expect::Info => read::<openapiv3::Info>(node),
        Expect::Components => read::<openapiv3::Components>(node),
    }
}

/// Narrows a typed-parse error to the node that is wrong. serde loses the location inside
/// `$ref`-or-item values (they are untagged enums), so the error may name only `#/paths`:
/// each place below it is read again as what OpenAPI expects there, as deep as it goes.
pub(crate) fn refine(raw: &Value, mut pointer: String, mut message: String) -> (String, String) {
    'deeper: for _ in 0..64 {
        let Some(node) = raw.pointer(&pointer[1..]) else {
            break;
        };
        let is_ref = node.get("$ref").is_some();
        if let (Some(expect), false) = (expect_at(&pointer), is_ref) {
            match try_as(expect, node) {
                Ok(()) => {}
                Err((suffix, inner)) if !suffix.is_empty() => {
                    pointer.push_str(&suffix);
                    message = inner;
                    continue 'deeper;
                }
                Err((_, inner)) => message = inner,
            }
        }
        let children: Vec<String> = match node {
            Value::Object(map) => map
                .keys()
                .map(|k| format!("{pointer}/{}", escape_token(k)))
                .collect(),
            Value::Array(items) => (0..items.len()).map(|i| format!("{pointer}/{i}")).collect(),
            _ => Vec::new(),
        };
        for child in children {
            let Some(expect) = expect_at(&child) else {
                continue;
            };
            let Some(value) = raw.pointer(&child[1..]) else {
                continue;
            };
            if value.get("$ref").is_some() {
                continue;
            }
            if let Err((suffix, inner)) = try_as(expect, value) {
                pointer = format!("{child}{suffix}");
                message = inner;
                continue 'deeper;
            }
        }
        break;
    }
    (pointer, message)
}

pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_token(key));
            }
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    pointer
}

/// Parses YAML or JSON into a JSON tree, strictly.
pub fn parse_value(text: &str) -> Result<Value, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(trimmed);
        let v = Strict::deserialize(&mut de).map_err(|e| format!("invalid JSON: {e}"))?;
        de.end().map_err(|e| format!("invalid JSON: {e}"))?;
        Ok(v.0)
    } else {
        let de = serde_yaml::Deserializer::from_str(trimmed);
        let v = Strict::deserialize(de).map_err(|e| format!("invalid YAML: {e}"))?;
        Ok(v.0)
    }
}

/// A JSON value deserialised without silent losses.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    // Real specs carry values such as `minimum: -9223372036854776000` (an i64 bound written
    // through a float). They are kept as the nearest float rather than failing the parse.
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(|i| Value::Number(i.into()))
            .unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v)
            .map(|i| Value::Number(i.into()))
            .unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Strict::deserialize(d).map(|s| s.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merged: Vec<Map<String, Value>> = Vec::new();
        while let Some(Strict(key)) = map.next_key()? {
            let key = match key {
                Value::String(s) => s,
                // YAML allows non-string keys (`200:` is an integer); OpenAPI means the text.
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_owned(),
                other => {
                    return Err(de::Error::custom(format!(
                        "unsupported mapping key {other}"
                    )));
                }
            };
            let Strict(value) = map.next_value()?;
            if key == "<<" {
                // YAML merge key: explicit keys win over merged ones, earlier merges over later.
                match value {
                    Value::Object(m) => merged.push(m),
                    Value::Array(items) => {
                        for item in items {
                            match item {
                                Value::Object(m) => merged.push(m),
                                _ => {
                                    return Err(de::Error::custom("`<<` merge key needs mappings"));
                                }
                            }
                        }
                    }
                    _ => return Err(de::Error::custom("`<<` merge key needs a mapping")),
                }
                continue;
            }
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            out.insert(key, value);
        }
        for m in merged {
            for (k, v) in m {
                out.entry(k).or_insert(v);
            }
        }
        Ok(Value::Object(out))
    }
}

/// Keys whose values are maps from names to schemas (so a key there is a name, not a keyword).
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "$defs",
    "definitions",
];

/// Rewrites 3.1 constructs into their 3.0 form and makes `$ref` siblings explicit.
/// Walks the document; `pointer` is a buffer holding the current node's JSON pointer, grown
/// and cut back in place rather than allocated per node (the GitHub spec has millions).
fn normalise(
    v: &mut Value,
    is_31: bool,
    pointer: &mut String,
    parent_key: Option<&str>,
    diags: &mut Diagnostics,
    deep_refs: &mut std::collections::BTreeSet<String>,
) {
    match v {
        Value::Object(obj) => {
            let in_name_map = parent_key.is_some_and(|k| NAME_MAPS.contains(&k));
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
                normalise(value, is_31, pointer, Some(key), diags, deep_refs);
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
                normalise(item, is_31, pointer, None, diags, deep_refs);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str) -> Vec<String> {
        match crate::generate(
            text,
            &crate::Options {
                jobs: 1,
                ..crate::Options::new("x", "t")
            },
        ) {
            Ok(_) => Vec::new(),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn errors_inside_ref_or_item_values_point_at_the_node_with_its_line() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      parameters:\n        - name: limit\n          in: querystring\n      responses:\n        '200': {description: ok}\n";
        assert_eq!(
            errors_of(text),
            [
                "error: not a valid OpenAPI document: unknown variant `querystring`, expected one of `query`, `header`, `path`, `cookie` at #/paths/~1pets/get/parameters/0/in (line 8)"
            ]
        );
        // A response that is neither a reference nor a response, in JSON text.
        let json = r#"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "components": {
    "responses": {
      "Gone": {"description": "gone", "content": {"application/json": {"schema": {"type": "object", "properties": 5}}}}
    }
  },
  "paths": {}
}"#;
        assert_eq!(
            errors_of(json),
            [
                "error: not a valid OpenAPI document: invalid type: integer `5`, expected a map at #/components/responses/Gone/content/application~1json/schema (line 6)"
            ]
        );
    }

    #[test]
    fn slips_are_accepted_with_a_warning_at_their_line() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '200': {}\n  /b:\n    post: {}\n";
        let out = crate::generate(
            text,
            &crate::Options {
                jobs: 1,
                // A licence given, so that only the slips warn.
                license: Some("MIT".into()),
                ..crate::Options::new("x", "t")
            },
        )
        .expect("accepted");
        let warnings: Vec<String> = out.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "warning: no `info`: the API has no title or version at #",
                "warning: response without `description` at #/paths/~1a/get/responses/200 (line 6)",
                "warning: operation without `responses`: its response body is returned as raw bytes at #/paths/~1b/post (line 8)",
            ]
        );
    }

    const TWO_HALVES: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
x-top: {a: 1}
paths:
  /p:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
components:
  schemas:
    A: {type: object, properties: {b: {type: string}}}
  parameters:
    P: {name: p, in: query, schema: {type: integer}}
tags: [{name: t}]
"#;

    #[test]
    fn the_two_halves_give_the_whole_document_and_leave_the_tree_as_it_was() {
        let mut raw = parse_value(TWO_HALVES).unwrap();
        let before = raw.clone();
        let whole = <openapiv3::OpenAPI as Deserialize>::deserialize(&before).unwrap();
        let halves = deserialize_in_two_halves(&mut raw).expect("valid");
        assert_eq!(halves, whole);
        assert_eq!(raw, before);
        let keys: Vec<&String> = raw.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["openapi", "info", "x-top", "paths", "components", "tags"]
        );
    }

    #[test]
    fn a_failing_half_gives_none_and_the_pointer_comes_from_the_whole_document() {
        let broken = TWO_HALVES.replace("in: query", "in: 7");
        let mut raw = parse_value(&broken).unwrap();
        let before = raw.clone();
        assert!(deserialize_in_two_halves(&mut raw).is_none());
        assert_eq!(raw, before);
        let mut diags = Diagnostics::default();
        assert!(parse(&broken, &mut diags).is_none());
        let text = format!("{:?}", diags.into_vec());
        assert!(text.contains("#/components/parameters/P"), "{text}");
    }

    #[test]
    fn duplicate_keys_are_errors_in_yaml_and_json() {
        assert!(
            parse_value("a: 1\na: 2\n")
                .unwrap_err()
                .contains("duplicate key `a`")
        );
        assert!(
            parse_value("{\"a\": 1, \"a\": 2}")
                .unwrap_err()
                .contains("duplicate key `a`")
        );
    }

    #[test]
    fn merge_keys_are_applied_and_explicit_keys_win() {
        let v = parse_value("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n").unwrap();
        assert_eq!(v["derived"], serde_json::json!({"x": 1, "y": 3}));
    }

    #[test]
    fn integers_beyond_64_bits_are_kept_as_floats() {
        let v = parse_value("minimum: -9223372036854776000\nmax: 18446744073709551616\n").unwrap();
        assert_eq!(v["minimum"].as_f64(), Some(-9223372036854776000.0));
        assert!(v["max"].as_f64().is_some());
    }

    #[test]
    fn version_is_checked() {
        let mut d = Diagnostics::default();
        assert!(parse("swagger: '2.0'\n", &mut d).is_none());
        assert!(format!("{:?}", d.into_vec()).contains("swagger 2.0"));
    }

    #[test]
    fn openapi_31_is_normalised() {
        let text = r##"{"openapi":"3.1.0","info":{"title":"t","version":"1"},
            "components":{"schemas":{"A":{"type":["string","null"],"const":"x"},
            "B":{"type":"integer","exclusiveMinimum":1},
            "C":{"$ref":"#/components/schemas/A","nullable":true}}}}"##;
        let mut d = Diagnostics::default();
        let parsed = parse(text, &mut d).expect("parses");
        let a = &parsed.raw["components"]["schemas"]["A"];
        assert_eq!(a["type"], "string");
        assert_eq!(a["nullable"], true);
        assert_eq!(a["enum"], serde_json::json!(["x"]));
        assert_eq!(parsed.raw["components"]["schemas"]["B"]["minimum"], 1);
        assert_eq!(
            parsed.raw["components"]["schemas"]["C"]["allOf"][0]["$ref"],
            "#/components/schemas/A"
        );
        assert!(parsed.spec.paths.paths.is_empty());
    }
}
