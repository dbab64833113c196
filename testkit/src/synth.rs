//! Spec-valid sample values, synthesised from the raw schemas of the description: the
//! schema's own example when it fits the schema, else a value built from its constraints
//! (enum, const, format, bounds, lengths, simple patterns). The conformance test uses them as
//! the arguments of every operation.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

/// Which properties an object gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required properties only.
    Required,
    /// Every property (and one entry of `additionalProperties` maps).
    All,
}

/// Where the `$ref`s of the schemas are resolved.
#[derive(Clone, Copy)]
enum Refs<'a> {
    /// The whole (normalised) document.
    Document(&'a Value),
    /// The targets the schemas reach, by JSON pointer (`/components/schemas/Pet`), as
    /// clientgen's IR carries them.
    Targets(&'a BTreeMap<String, Value>),
}

/// Synthesises values from schemas of one document.
pub struct Synth<'a> {
    refs: Refs<'a>,
    /// `oneOf` fits only values that match exactly one alternative. `fits` checks fewer
    /// keywords than a validator (patterns are trusted), so a value may seem to match two
    /// alternatives that a validator tells apart: a check that must not call a valid value
    /// invalid turns this off.
    exact_one_of: bool,
    /// OpenAPI 3.1: a required read-only property below a body's top level is sent too. 3.1
    /// leaves `required` beside `readOnly` to implementations, and Prism enforces it there.
    required_read_only: bool,
}

/// Nesting depth after which objects get only their required properties, so that recursive
/// schemas with optional self-references end.
const FULL_DEPTH: usize = 4;
/// Nesting depth after which nothing more is built (a required cycle has no finite value).
const MAX_DEPTH: usize = 16;

impl<'a> Synth<'a> {
    /// A synthesiser over the (normalised) document.
    pub fn new(raw: &'a Value) -> Self {
        Synth {
            refs: Refs::Document(raw),
            exact_one_of: true,
            required_read_only: false,
        }
    }

    /// A synthesiser over the reference targets the schemas reach, by JSON pointer (without
    /// the leading `#`): a `$ref` that is not among them is left as it is, as one that the
    /// document does not resolve.
    pub fn over_targets(targets: &'a BTreeMap<String, Value>) -> Self {
        Synth {
            refs: Refs::Targets(targets),
            exact_one_of: true,
            required_read_only: false,
        }
    }

    /// Sends required read-only properties in requests too: for an OpenAPI 3.1 document (the
    /// normalised document always says 3.0.3, so the caller tells).
    pub fn sending_required_read_only(mut self, send: bool) -> Self {
        self.required_read_only = send;
        self
    }

    /// A synthesiser whose `fits` reads `oneOf` as `anyOf`: it never calls a value invalid
    /// only because it seems to match two alternatives.
    pub fn lenient(raw: &'a Value) -> Self {
        Synth {
            refs: Refs::Document(raw),
            exact_one_of: false,
            required_read_only: false,
        }
    }

    /// Follows local `$ref`s (at most 32) to the schema or object they name.
    pub fn resolve(&self, mut value: &'a Value) -> &'a Value {
        for _ in 0..32 {
            match value.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.target(p)) {
                    Some(target) => value = target,
                    None => return value,
                },
                None => return value,
            }
        }
        value
    }

    /// The value a reference's JSON pointer (without `#`) names.
    fn target(&self, pointer: &str) -> Option<&'a Value> {
        match self.refs {
            Refs::Document(raw) => raw.pointer(pointer),
            Refs::Targets(targets) => targets.get(pointer),
        }
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
        // A `oneOf` parameter: its text must match exactly one alternative however a
        // validator reads it (`"1"` is a string and an integer).
        if let Some(alts) = schema.get("oneOf").and_then(Value::as_array) {
            return self.choose(true, alts, true, |alt| self.value(alt, fill, true));
        }
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
            // The example when it is a member, else the first member of the declared type
            // (Linode's string enum lists YAML's `true` and `false` beside `local`).
            let types = type_list(obj);
            let typed = |v: &&Value| {
                !v.is_null() && (types.is_empty() || types.iter().any(|t| is_of_type(v, t)))
            };
            let example = schema_example(obj).filter(|e| values.contains(e));
            if let Some(v) = example
                .filter(typed)
                .or_else(|| values.iter().find(typed))
                .or_else(|| values.iter().find(|v| !v.is_null()))
            {
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
                    let mut own = obj.clone();
                    own.remove(key);
                    let own_required = required_names(&own);
                    return self.choose(key == "oneOf", alts, false, |alt| {
                        let mut with = own.clone();
                        with.insert("allOf".into(), Value::Array(vec![alt.clone()]));
                        let mut v = self.build(&Value::Object(with), fill, request, depth + 1);
                        if key == "oneOf" {
                            self.drop_others_required(&mut v, alt, alts, &own_required);
                        }
                        let mut keep = own_required.clone();
                        keep.extend(self.all_required(alt));
                        avoid_not_required(&mut v, obj, &keep);
                        v
                    });
                }
                return self.build_alternative(schema, key == "oneOf", alts, fill, request, depth);
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
                    // A property that several parts describe must satisfy each of them
                    // (Linode's later part marks `size` read-only, or says `type: array`).
                    match properties.get_mut(k) {
                        Some(existing) => {
                            let earlier = existing.take();
                            *existing = json!({ "allOf": [earlier, v] });
                        }
                        None => {
                            properties.insert(k.clone(), v.clone());
                        }
                    }
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
        one_of: bool,
        alts: &[Value],
        fill: Fill,
        request: bool,
        depth: usize,
    ) -> Value {
        self.choose(one_of, alts, false, |alt| {
            let mut v = self.build(alt, fill, request, depth + 1);
            // With a discriminator the tag must name the chosen alternative.
            if let Some(d) = schema.get("discriminator") {
                if let (Some(prop), Some(o)) = (
                    d.get("propertyName").and_then(Value::as_str),
                    v.as_object_mut(),
                ) {
                    let reference = alt.get("$ref").and_then(Value::as_str);
                    let mapped = d.get("mapping").and_then(Value::as_object).and_then(|m| {
                        m.iter()
                            .find(|(_, target)| target.as_str() == reference)
                            .map(|(k, _)| k.clone())
                    });
                    let tag = mapped.or_else(|| self.implicit_tag(alt, prop)).or_else(|| {
                        reference.and_then(|r| r.rsplit('/').next().map(str::to_owned))
                    });
                    if let Some(tag) = tag {
                        o.insert(prop.to_owned(), Value::String(tag));
                    }
                }
            }
            if one_of {
                self.drop_others_required(&mut v, alt, alts, &[]);
            }
            v
        })
    }

    /// The value of the first alternative (`null` ones last) built by `build` that `oneOf`
    /// accepts: one that fits exactly one alternative, since a value matching two is
    /// invalid (Kratos' login methods, GitHub's `workflow_id: oneOf [integer, string]`).
    /// `anyOf` takes the first. `coerce`: the value travels as text (a parameter), which a
    /// validator may read as any type it parses as (`"1"` is an integer too).
    fn choose(
        &self,
        one_of: bool,
        alts: &[Value],
        coerce: bool,
        build: impl Fn(&Value) -> Value,
    ) -> Value {
        let mut first = None;
        for alt in alts.iter().filter(|a| !self.is_null_schema(a)) {
            let v = build(alt);
            if !one_of {
                return v;
            }
            let readings = if coerce { readings(&v) } else { Vec::new() };
            let fitting = alts
                .iter()
                .filter(|a| {
                    if coerce {
                        readings.iter().any(|r| self.fits(r, a, 0))
                    } else {
                        self.fits(&v, a, 0)
                    }
                })
                .count();
            if fitting == 1 {
                return v;
            }
            first.get_or_insert(v);
        }
        first.unwrap_or(Value::Null)
    }

    fn is_null_schema(&self, schema: &Value) -> bool {
        self.resolve(schema).get("type").and_then(Value::as_str) == Some("null")
    }

    /// Removes from an object value the properties that only the other alternatives of a
    /// `oneOf` require (neither `alt` nor `keep` does): with them, the value would match
    /// those alternatives too (`{id}` against `{owner, repo, number}`).
    fn drop_others_required(&self, v: &mut Value, alt: &Value, alts: &[Value], keep: &[String]) {
        let Some(o) = v.as_object_mut() else { return };
        let mine = self.all_required(alt);
        for other in alts {
            if std::ptr::eq(other, alt) {
                continue;
            }
            for name in self.all_required(other) {
                if !mine.contains(&name) && !keep.contains(&name) {
                    o.remove(&name);
                }
            }
        }
    }

    /// The discriminator value an alternative declares itself, when its mapping does not
    /// name it: the `const`, or the only `enum` member, of its tag property (through
    /// `$ref`s and `allOf`). OpenAI's `FileSearchTool` has `type: {enum: [file_search]}`; its
    /// schema name is not a valid tag.
    pub fn implicit_tag(&self, alt: &Value, property: &str) -> Option<String> {
        self.implicit_tag_at(alt, property, 0)
    }

    fn implicit_tag_at(&self, alt: &Value, property: &str, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let schema = self.resolve(alt);
        let obj = schema.as_object()?;
        let own = obj
            .get("properties")
            .and_then(|p| p.get(property))
            .map(|p| self.resolve(p))
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
                .find_map(|part| self.implicit_tag_at(part, property, depth + 1))
        })
    }

    /// A boolean keyword (`readOnly`, `writeOnly`) set on a schema or one of its `allOf` parts.
    fn flag(&self, schema: &Value, key: &str) -> bool {
        self.flag_at(schema, key, 0)
    }

    fn flag_at(&self, schema: &Value, key: &str, depth: usize) -> bool {
        let schema = self.resolve(schema);
        schema.get(key).and_then(Value::as_bool) == Some(true)
            || (depth < MAX_DEPTH
                && schema
                    .get("allOf")
                    .and_then(Value::as_array)
                    .is_some_and(|parts| parts.iter().any(|p| self.flag_at(p, key, depth + 1))))
    }

    /// The names a schema requires, through `$ref`s and `allOf`.
    fn all_required(&self, schema: &Value) -> Vec<String> {
        self.all_required_at(schema, 0)
    }

    fn all_required_at(&self, schema: &Value, depth: usize) -> Vec<String> {
        let schema = self.resolve(schema);
        let Some(obj) = schema.as_object().filter(|_| depth <= MAX_DEPTH) else {
            return Vec::new();
        };
        let mut out = required_names(obj);
        for part in obj
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(self.all_required_at(part, depth + 1));
        }
        out
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
                // 3.1 only, and below the top level: Prism removes a request body's top-level
                // read-only properties from its schema (so `additionalProperties: false`
                // then refuses them) but requires nested ones.
                let send_anyway = is_required && self.required_read_only && depth > 0;
                if self.flag(p, skip_key) && !send_anyway {
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
        let mut out = Value::Object(out);
        avoid_not_required(&mut out, obj, &required_names(obj));
        out
    }

    /// Whether `value` fits `schema`, for the keywords that examples get wrong in practice:
    /// type, enum, bounds, lengths, formats, required properties. Patterns are trusted.
    pub fn fits(&self, value: &Value, schema: &Value, depth: usize) -> bool {
        self.check(value, schema, depth, &mut String::new(), None, None)
    }

    /// Where `value` breaks `schema`: the JSON pointers (into `value`) of the values that
    /// fail a check `fits` makes, innermost first where the failure is inside a property or
    /// item; a combination that no alternative fits is reported at the combination's value.
    /// Empty when it fits.
    pub fn failures(&self, value: &Value, schema: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.check(value, schema, 0, &mut String::new(), None, Some(&mut out));
        out
    }

    /// The check behind [`Synth::fits`] and [`Synth::failures`]. `path` is the pointer of
    /// `value`; `siblings` are property names that other parts of an enclosing `allOf`
    /// declare, which an `additionalProperties: false` of this part does not forbid (the
    /// parts describe one object; read part by part, every property of the others would be
    /// "additional"). With `out`, every failure is recorded at its pointer; without, the first
    /// one ends the check.
    fn check(
        &self,
        value: &Value,
        schema: &Value,
        depth: usize,
        path: &mut String,
        siblings: Option<&std::collections::BTreeSet<String>>,
        mut out: Option<&mut Vec<String>>,
    ) -> bool {
        let schema = self.resolve(schema);
        let Some(obj) = schema.as_object() else {
            return true;
        };
        if depth > MAX_DEPTH {
            return true;
        }
        let fail = |out: &mut Option<&mut Vec<String>>, at: &str| {
            if let Some(out) = out.as_deref_mut() {
                if !out.iter().any(|p| p == at) {
                    out.push(at.to_owned());
                }
            }
            false
        };
        let nullable = obj.get("nullable").and_then(Value::as_bool) == Some(true);
        let types = type_list(obj);
        if value.is_null() {
            // OpenAPI 3.0's `nullable` admits null whatever else the schema says; a type list
            // must name `null`; without a type, null is checked by the combinations and
            // `enum` as any value is (`anyOf: [X, {type: null}]`, `{}`), except that a schema
            // with properties means an object.
            if nullable || types.contains(&"null") {
                return true;
            }
            if !types.is_empty() || obj.contains_key("properties") {
                return fail(&mut out, path);
            }
        }
        if let Some(values) = obj.get("enum").and_then(Value::as_array) {
            if !values.iter().any(|v| same_value(v, value)) {
                return fail(&mut out, path);
            }
        }
        let mut ok = true;
        if let Some(parts) = obj.get("allOf").and_then(Value::as_array) {
            let mut names = siblings.cloned().unwrap_or_default();
            for part in parts {
                collect_property_names(self, part, &mut names, 0);
            }
            for part in parts {
                if !self.check(
                    value,
                    part,
                    depth + 1,
                    path,
                    Some(&names),
                    out.as_deref_mut(),
                ) {
                    ok = false;
                    if out.is_none() {
                        return false;
                    }
                }
            }
        }
        if let Some(alts) = obj.get("anyOf").and_then(Value::as_array) {
            if !alts
                .iter()
                .any(|p| self.check(value, p, depth + 1, &mut path.clone(), siblings, None))
            {
                ok = fail(&mut out, path);
                if out.is_none() {
                    return false;
                }
            }
        }
        if let Some(alts) = obj.get("oneOf").and_then(Value::as_array) {
            let fitting = alts
                .iter()
                .filter(|p| self.check(value, p, depth + 1, &mut path.clone(), siblings, None))
                .count();
            if fitting == 0 || (self.exact_one_of && fitting > 1) {
                ok = fail(&mut out, path);
                if out.is_none() {
                    return false;
                }
            }
        }
        if value.is_null() {
            return ok;
        }
        // No `type` but `properties`: JSON Schema would take any non-object, but a description
        // means an object (and its client reads one), so a string there does not fit (Xero's
        // `Folder` examples are JSON text in a string).
        let type_ok = match types.is_empty() {
            true if obj.contains_key("properties") => value.is_object(),
            true => true,
            false => types.iter().any(|t| is_of_type(value, t)),
        };
        if !type_ok {
            return fail(&mut out, path);
        }
        let num = |k: &str| obj.get(k).and_then(Value::as_f64);
        let here_ok = match value {
            Value::String(s) => {
                let len = s.chars().count() as u64;
                !(obj
                    .get("minLength")
                    .and_then(Value::as_u64)
                    .is_some_and(|m| len < m)
                    || obj
                        .get("maxLength")
                        .and_then(Value::as_u64)
                        .is_some_and(|m| len > m)
                    || obj
                        .get("format")
                        .and_then(Value::as_str)
                        .is_some_and(|format| !format_fits(format, s)))
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
                let size_ok = !(obj
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .is_some_and(|m| len < m)
                    || obj
                        .get("maxItems")
                        .and_then(Value::as_u64)
                        .is_some_and(|m| len > m));
                if !size_ok {
                    return fail(&mut out, path);
                }
                let Some(item_schema) = obj.get("items") else {
                    return ok;
                };
                let mut items_ok = true;
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    let fits =
                        self.check(item, item_schema, depth + 1, path, None, out.as_deref_mut());
                    path.truncate(len);
                    if !fits {
                        items_ok = false;
                        if out.is_none() {
                            return false;
                        }
                    }
                }
                items_ok
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
                let count = map.len() as u64;
                let size_ok = obj
                    .get("minProperties")
                    .and_then(Value::as_u64)
                    .is_none_or(|m| count >= m)
                    && obj
                        .get("maxProperties")
                        .and_then(Value::as_u64)
                        .is_none_or(|m| count <= m);
                if !(required_ok && size_ok) {
                    fail(&mut out, path);
                    if out.is_none() {
                        return false;
                    }
                }
                let props = obj.get("properties").and_then(Value::as_object);
                let closed = obj.get("additionalProperties") == Some(&Value::Bool(false));
                let mut members_ok = true;
                for (k, v) in map {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    let fits = match props.and_then(|p| p.get(k)) {
                        Some(s) => self.check(v, s, depth + 1, path, None, out.as_deref_mut()),
                        None if closed && !siblings.is_some_and(|n| n.contains(k)) => {
                            fail(&mut out, path)
                        }
                        None => true,
                    };
                    path.truncate(len);
                    if !fits {
                        members_ok = false;
                        if out.is_none() {
                            return false;
                        }
                    }
                }
                required_ok && size_ok && members_ok
            }
            _ => true,
        };
        if !here_ok && !matches!(value, Value::Array(_) | Value::Object(_)) {
            fail(&mut out, path);
        }
        ok && here_ok
    }
}

/// The property names `schema` declares, through `$ref`s and `allOf` parts.
fn collect_property_names(
    synth: &Synth,
    schema: &Value,
    names: &mut std::collections::BTreeSet<String>,
    depth: usize,
) {
    let schema = synth.resolve(schema);
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
        collect_property_names(synth, part, names, depth + 1);
    }
}

/// JSON equality with numbers compared by value (`5` and `5.0` are one number).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Whether a (non-null) value is of a JSON Schema type.
fn is_of_type(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        // JSON Schema: a number with no fractional part is an integer, `5.0` too.
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// `not: {required: [a, b]}` (OpenAI's image reference: a URL or a file id, not both): when
/// the value has every one of those names, the ones `keep` does not need are removed until
/// it no longer has them all.
fn avoid_not_required(v: &mut Value, schema: &Map<String, Value>, keep: &[String]) {
    let Some(names) = schema
        .get("not")
        .and_then(|n| n.get("required"))
        .and_then(Value::as_array)
    else {
        return;
    };
    let Some(o) = v.as_object_mut() else { return };
    let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
    if names.is_empty() || !names.iter().all(|n| o.contains_key(*n)) {
        return;
    }
    if let Some(name) = names.iter().rev().find(|n| !keep.iter().any(|k| k == *n)) {
        o.remove(*name);
    }
}

/// The `required` names of an object schema.
fn required_names(obj: &Map<String, Value>) -> Vec<String> {
    obj.get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// What a validator that coerces parameter text (Prism does) may read a value as: its text,
/// and the number or boolean that text parses as.
fn readings(v: &Value) -> Vec<Value> {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = vec![Value::String(text.clone())];
    if let Ok(n) = text.parse::<i64>() {
        out.push(json!(n));
    } else if let Some(n) = text
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
    {
        out.push(Value::Number(n));
    }
    if let Ok(b) = text.parse::<bool>() {
        out.push(Value::Bool(b));
    }
    out
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
    let min = obj.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let base = obj
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(|p| from_pattern_min(p, min))
        .unwrap_or_else(|| "conformance".to_owned());
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
    stretched_sample(pattern, 0)
}

/// A sample of `pattern` at least `min` characters long where its open repetitions (`+`,
/// `*`, `{n,}`) allow (GitHub's `commit_sha`: `^[0-9a-fA-F]+$` with `minLength: 40`).
fn from_pattern_min(pattern: &str, min: usize) -> Option<String> {
    let first = stretched_sample(pattern, 0)?;
    if first.chars().count() >= min {
        return Some(first);
    }
    (1..=min.min(256))
        .filter_map(|stretch| stretched_sample(pattern, stretch))
        .find(|s| s.chars().count() >= min)
        .or(Some(first))
}

/// A sample of `pattern` whose open repetitions repeat `stretch` times (at least their
/// minimum).
fn stretched_sample(pattern: &str, stretch: usize) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    let out = sequence(&chars, &mut pos, 0, stretch)?;
    (pos == chars.len()).then_some(out)
}

/// Parses alternatives up to `)` or the end, producing a sample of the first.
fn sequence(chars: &[char], pos: &mut usize, depth: usize, stretch: usize) -> Option<String> {
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
                let inner = sequence(chars, pos, depth + 1, stretch)?;
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
        let count = quantifier(chars, pos, stretch)?;
        for _ in 0..count {
            current.push_str(&atom);
        }
    }
    Some(first.unwrap_or(current))
}

/// Reads a quantifier after an atom and returns how often to repeat it.
fn quantifier(chars: &[char], pos: &mut usize, stretch: usize) -> Option<usize> {
    let n = match chars.get(*pos) {
        Some('*') => {
            *pos += 1;
            stretch
        }
        Some('+') => {
            *pos += 1;
            stretch.max(1)
        }
        Some('?') => {
            *pos += 1;
            0
        }
        Some('{') => {
            let end = chars[*pos..].iter().position(|&c| c == '}')? + *pos;
            let body: String = chars[*pos + 1..end].iter().collect();
            *pos = end + 1;
            let mut bounds = body.split(',');
            let min = bounds.next()?.trim().parse::<usize>().ok()?.min(64);
            match bounds.next() {
                Some(max) if max.trim().is_empty() => min.max(stretch.min(256)),
                _ => min,
            }
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

    /// The response check must not call a valid body invalid: null under a combination that
    /// admits it or under `{}`, `5.0` as an integer, and `allOf` parts that close the object
    /// with `additionalProperties: false` while another part declares the property.
    #[test]
    fn valid_values_that_a_naive_check_rejects_fit() {
        let raw = json!({});
        let s = Synth::lenient(&raw);
        let nullable_ref = json!({"anyOf": [{"type": "string"}, {"type": "null"}]});
        assert!(s.fits(&Value::Null, &nullable_ref, 0));
        assert!(s.fits(&Value::Null, &json!({}), 0));
        assert!(!s.fits(&Value::Null, &json!({"type": "string"}), 0));
        assert!(!s.fits(&Value::Null, &json!({"anyOf": [{"type": "string"}]}), 0));
        assert!(s.fits(
            &Value::Null,
            &json!({"type": "string", "nullable": true}),
            0
        ));
        assert!(s.fits(&json!(5.0), &json!({"type": "integer"}), 0));
        assert!(!s.fits(&json!(5.5), &json!({"type": "integer"}), 0));
        assert!(s.fits(&json!(2.0), &json!({"enum": [1, 2]}), 0));
        let closed_parts = json!({"allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false},
            {"type": "object", "properties": {"b": {"type": "integer"}}, "additionalProperties": false}
        ]});
        assert!(s.fits(&json!({"a": "x", "b": 1}), &closed_parts, 0));
        assert!(!s.fits(&json!({"a": "x", "c": 1}), &closed_parts, 0));
    }

    /// Failures are reported where they are, so that a body is blamed only for the value
    /// that broke it.
    #[test]
    fn failures_name_the_value_that_breaks_the_schema() {
        let raw = json!({});
        let s = Synth::lenient(&raw);
        let schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "items": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}},
                "kind": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
            }
        });
        assert!(
            s.failures(&json!({"id": "x", "items": [{"n": 1}]}), &schema)
                .is_empty()
        );
        assert_eq!(s.failures(&json!({"id": 3}), &schema), ["/id"]);
        assert_eq!(
            s.failures(
                &json!({"id": "x", "items": [{"n": 1}, {"n": "two"}]}),
                &schema
            ),
            ["/items/1/n"]
        );
        assert_eq!(s.failures(&json!({"items": []}), &schema), [""]);
        assert_eq!(
            s.failures(&json!({"id": "x", "kind": true}), &schema),
            ["/kind"]
        );
    }

    #[test]
    fn simple_patterns_give_matching_samples() {
        assert_eq!(from_pattern("^[a-z]{3}-\\d{2}$").as_deref(), Some("aaa-11"));
        assert_eq!(from_pattern("^(foo|bar)+$").as_deref(), Some("foo"));
        assert_eq!(from_pattern("^[^/]+$").as_deref(), Some("a"));
        assert_eq!(from_pattern("(?=x)"), None);
        assert_eq!(
            from_pattern_min("^[0-9a-f]+$", 40).map(|s| s.len()),
            Some(40)
        );
        assert_eq!(from_pattern_min("^a{2,}b$", 5).as_deref(), Some("aaaab"));
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
    fn references_resolve_among_targets_as_in_the_document() {
        let doc = json!({"components": {"schemas": {
            "Id": {"$ref": "#/components/schemas/Uuid"},
            "Uuid": {"type": "string", "format": "uuid"}
        }}});
        let targets: BTreeMap<String, Value> = [
            "/components/schemas/Id".to_owned(),
            "/components/schemas/Uuid".to_owned(),
        ]
        .into_iter()
        .map(|p| {
            let target = doc.pointer(&p).cloned().unwrap_or_default();
            (p, target)
        })
        .collect();
        let schema = json!({"type": "object", "required": ["id", "other"], "properties": {
            "id": {"$ref": "#/components/schemas/Id"},
            "other": {"$ref": "#/components/schemas/Missing"}
        }});
        let from_document = Synth::new(&doc).value(&schema, Fill::All, true);
        assert_eq!(
            from_document,
            json!({"id": "123e4567-e89b-42d3-a456-426614174000", "other": "conformance"})
        );
        assert_eq!(
            Synth::over_targets(&targets).value(&schema, Fill::All, true),
            from_document
        );
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
    fn one_of_values_match_exactly_one_alternative() {
        let doc = json!({});
        let s = Synth::new(&doc);
        // Every property filled, the first alternative's value would also match the second.
        let beside = json!({
            "type": "object",
            "properties": {
                "type": {"type": "string"}, "id": {"type": "integer"},
                "owner": {"type": "string"}, "repo": {"type": "string"}
            },
            "required": ["type"],
            "oneOf": [{"required": ["id"]}, {"required": ["owner", "repo"]}]
        });
        let all = s.value(&beside, Fill::All, true);
        assert_eq!(all, json!({"type": "conformance", "id": 1}));
        assert!(s.fits(&all, &beside, 0));
        // The first alternative requires a subset of the second's names: the second is the
        // only exclusive choice.
        let overlapping = json!({"oneOf": [
            {"type": "object", "required": ["method"], "properties": {"method": {"type": "string"}}},
            {"type": "object", "required": ["method", "email"], "properties": {
                "method": {"type": "string"}, "email": {"type": "string"}}}
        ]});
        let v = s.value(&overlapping, Fill::Required, true);
        assert!(s.fits(&v, &overlapping, 0), "{v}");
        // A value matching both alternatives does not fit a `oneOf`.
        assert!(!s.fits(&json!({"method": "x", "email": "y"}), &overlapping, 0));
    }

    #[test]
    fn a_not_required_pair_is_never_sent_whole() {
        let doc = json!({});
        let s = Synth::new(&doc);
        let schema = json!({
            "type": "object",
            "properties": {"image_url": {"type": "string"}, "file_id": {"type": "string"}},
            "anyOf": [{"required": ["image_url"]}, {"required": ["file_id"]}],
            "not": {"required": ["image_url", "file_id"]}
        });
        assert_eq!(
            s.value(&schema, Fill::All, true),
            json!({"image_url": "conformance"})
        );
    }

    #[test]
    fn one_of_parameters_avoid_text_that_reads_as_two_types() {
        let doc = json!({});
        let s = Synth::new(&doc);
        let param = json!({"name": "workflow_id", "in": "path", "required": true,
            "schema": {"oneOf": [{"type": "integer"}, {"type": "string"}]}});
        assert_eq!(s.param_value(&param, Fill::Required), json!("conformance"));
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
