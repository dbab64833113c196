//! Swagger 2.0, read as it is: the document is rewritten into the OpenAPI 3.0 model before
//! anything else reads it, and every place it moved is recorded, so that a diagnostic about
//! the rewritten document points into the 2.0 document the user wrote (its pointers, and so
//! its lines).
//!
//! - `host`, `basePath` and `schemes` become `servers` (https first);
//! - `consumes` and `produces` (the document's, or an operation's own) become the media types
//!   of bodies and responses;
//! - `in: body` becomes the request body; `in: formData` a form body (`multipart/form-data`
//!   when a part is a `type: file` or the operation consumes only multipart);
//! - other parameters get a `schema` from their type keywords, and `collectionFormat` the
//!   matching `style` and `explode` (`csv` is `explode: false`, `multi` `explode: true`,
//!   `ssv` `spaceDelimited`, `pipes` `pipeDelimited`; `tsv` has no 3.0 form and is sent as
//!   `csv`, with a warning);
//! - `definitions`, `parameters`, `responses` and `securityDefinitions` become components
//!   (body and form parameters are written where they are used), and every `$ref` follows;
//! - `x-nullable` becomes `nullable`, a `discriminator` name `{propertyName}`, `type: file`
//!   a binary string; response `headers` get a schema; response `examples` become examples.

use serde_json::{Map, Value, json};

#[cfg(test)]
use crate::diag::translate_pointer as translate;
use crate::diag::{Diagnostics, PointerMap, escape_token};

/// The keywords of a 2.0 parameter, header or items object that describe its value.
const VALUE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Converts a Swagger 2.0 document (already read as JSON) to the OpenAPI 3.0 model.
pub(crate) fn convert(doc: &Value, diags: &mut Diagnostics) -> (Value, PointerMap) {
    let mut c = Converter {
        doc,
        diags,
        map: vec![
            ("#/components/schemas".into(), "#/definitions".into()),
            ("#/components/parameters".into(), "#/parameters".into()),
            ("#/components/responses".into(), "#/responses".into()),
            (
                "#/components/securitySchemes".into(),
                "#/securityDefinitions".into(),
            ),
            ("#/servers".into(), "#/host".into()),
            ("#/openapi".into(), "#/swagger".into()),
        ],
    };
    let out = c.document();
    (out, c.map)
}

struct Converter<'a, 'd> {
    doc: &'a Value,
    diags: &'d mut Diagnostics,
    map: PointerMap,
}

fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    value?.as_array().map(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}

fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

impl Converter<'_, '_> {
    fn document(&mut self) -> Value {
        let doc = self.doc;
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        for (key, value) in doc.as_object().into_iter().flatten() {
            match key.as_str() {
                "info" | "tags" | "externalDocs" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        if let Some(servers) = self.servers() {
            out.insert("servers".into(), servers);
        }
        let consumes =
            strings(doc.get("consumes")).unwrap_or_else(|| vec!["application/json".into()]);
        let produces =
            strings(doc.get("produces")).unwrap_or_else(|| vec!["application/json".into()]);
        let mut components = Map::new();
        if let Some(definitions) = doc.get("definitions").and_then(Value::as_object) {
            let schemas: Map<String, Value> = definitions
                .iter()
                .map(|(k, v)| (k.clone(), schema(v)))
                .collect();
            components.insert("schemas".into(), Value::Object(schemas));
        }
        if let Some(parameters) = doc.get("parameters").and_then(Value::as_object) {
            let mut converted = Map::new();
            for (name, parameter) in parameters {
                // Body and form parameters are written where they are used.
                if matches!(
                    parameter.get("in").and_then(Value::as_str),
                    Some("body" | "formData")
                ) {
                    continue;
                }
                let pointer = join("#/parameters", name);
                converted.insert(name.clone(), self.parameter(parameter, &pointer));
            }
            components.insert("parameters".into(), Value::Object(converted));
        }
        if let Some(responses) = doc.get("responses").and_then(Value::as_object) {
            let converted: Map<String, Value> = responses
                .iter()
                .map(|(name, r)| {
                    let new = join("#/components/responses", name);
                    let old = join("#/responses", name);
                    (name.clone(), self.response(r, &produces, &new, &old))
                })
                .collect();
            components.insert("responses".into(), Value::Object(converted));
        }
        if let Some(schemes) = doc.get("securityDefinitions").and_then(Value::as_object) {
            let converted: Map<String, Value> = schemes
                .iter()
                .map(|(name, s)| {
                    (
                        name.clone(),
                        self.security_scheme(s, &join("#/securityDefinitions", name)),
                    )
                })
                .collect();
            components.insert("securitySchemes".into(), Value::Object(converted));
        }
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        let mut paths = Map::new();
        for (path, item) in doc
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let pointer = join("#/paths", path);
            paths.insert(
                path.clone(),
                self.path_item(item, &pointer, &consumes, &produces),
            );
        }
        out.insert("paths".into(), Value::Object(paths));
        Value::Object(out)
    }

    /// `host` + `basePath` + `schemes` as servers, https first.
    fn servers(&mut self) -> Option<Value> {
        let doc = self.doc;
        let host = doc.get("host").and_then(Value::as_str);
        let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
        let base = base.trim_end_matches('/');
        let Some(host) = host else {
            return (!base.is_empty()).then(|| json!([{"url": base}]));
        };
        let mut schemes = strings(doc.get("schemes")).unwrap_or_else(|| vec!["https".into()]);
        schemes.retain(|s| s == "https" || s == "http");
        schemes.sort_by_key(|s| s != "https");
        if schemes.is_empty() {
            schemes.push("https".into());
        }
        Some(Value::Array(
            schemes
                .iter()
                .map(|s| json!({"url": format!("{s}://{host}{base}")}))
                .collect(),
        ))
    }

    fn path_item(
        &mut self,
        item: &Value,
        pointer: &str,
        consumes: &[String],
        produces: &[String],
    ) -> Value {
        let mut out = Map::new();
        if let Some(reference) = item.get("$ref").and_then(Value::as_str) {
            out.insert("$ref".into(), json!(reference));
            return Value::Object(out);
        }
        // Path-level parameters: the plain ones stay; body and form ones go to each operation.
        let shared: Vec<(usize, &Value)> = item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .collect();
        let mut kept = Vec::new();
        let mut shared_bodies = Vec::new();
        for (i, parameter) in &shared {
            let old = format!("{pointer}/parameters/{i}");
            let target = self.parameter_target(parameter);
            if matches!(
                target.get("in").and_then(Value::as_str),
                Some("body" | "formData")
            ) {
                shared_bodies.push((old, target.clone()));
                continue;
            }
            let new = format!("{pointer}/parameters/{}", kept.len());
            self.map.push((new.clone(), old.clone()));
            kept.push(self.parameter(parameter, &old));
        }
        if !kept.is_empty() {
            out.insert("parameters".into(), Value::Array(kept));
        }
        for (key, value) in item.as_object().into_iter().flatten() {
            if METHODS.contains(&key.as_str()) {
                let op_pointer = join(pointer, key);
                let converted =
                    self.operation(value, &op_pointer, &shared_bodies, consumes, produces);
                out.insert(key.clone(), converted);
            } else if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    /// A parameter itself: a `$ref` to the document's `parameters` followed.
    fn parameter_target(&self, parameter: &Value) -> Value {
        let mut current = parameter;
        for _ in 0..16 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.doc.pointer(p)) {
                    Some(next) => current = next,
                    None => break,
                },
                None => break,
            }
        }
        current.clone()
    }

    fn operation(
        &mut self,
        op: &Value,
        pointer: &str,
        shared_bodies: &[(String, Value)],
        consumes: &[String],
        produces: &[String],
    ) -> Value {
        let consumes = strings(op.get("consumes")).unwrap_or_else(|| consumes.to_vec());
        let produces = strings(op.get("produces")).unwrap_or_else(|| produces.to_vec());
        let mut out = Map::new();
        for (key, value) in op.as_object().into_iter().flatten() {
            match key.as_str() {
                "tags" | "summary" | "description" | "externalDocs" | "operationId"
                | "deprecated" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        let mut parameters = Vec::new();
        let mut body: Option<(String, Value)> = None;
        let mut form: Vec<(String, Value)> = shared_bodies
            .iter()
            .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("formData"))
            .cloned()
            .collect();
        if let Some(shared_body) = shared_bodies
            .iter()
            .find(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
        {
            body = Some(shared_body.clone());
        }
        for (i, parameter) in op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let old = format!("{pointer}/parameters/{i}");
            let target = self.parameter_target(parameter);
            match target.get("in").and_then(Value::as_str) {
                Some("body") => body = Some((old, target)),
                Some("formData") => form.push((old, target)),
                _ => {
                    let new = format!("{pointer}/parameters/{}", parameters.len());
                    self.map.push((new, old.clone()));
                    parameters.push(self.parameter(parameter, &old));
                }
            }
        }
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        let body_pointer = format!("{pointer}/requestBody");
        if let Some((old, parameter)) = body {
            self.map.push((body_pointer.clone(), old.clone()));
            let schema = schema(parameter.get("schema").unwrap_or(&json!({})));
            let mut content = Map::new();
            let media: Vec<String> = if consumes.is_empty() {
                vec!["application/json".into()]
            } else {
                consumes.clone()
            };
            for mt in &media {
                let new = join(&join(&body_pointer, "content"), mt);
                self.map.push((join(&new, "schema"), join(&old, "schema")));
                content.insert(mt.clone(), json!({"schema": schema.clone()}));
            }
            let mut request = Map::new();
            request.insert("content".into(), Value::Object(content));
            if let Some(description) = parameter.get("description") {
                request.insert("description".into(), description.clone());
            }
            if parameter.get("required").and_then(Value::as_bool) == Some(true) {
                request.insert("required".into(), json!(true));
            }
            for (key, value) in parameter.as_object().into_iter().flatten() {
                if key.starts_with("x-") {
                    request.insert(key.clone(), value.clone());
                }
            }
            out.insert("requestBody".into(), Value::Object(request));
        } else if !form.is_empty() {
            out.insert(
                "requestBody".into(),
                self.form_body(&form, &consumes, &body_pointer),
            );
        }
        let mut responses = Map::new();
        for (code, response) in op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let new = join(&join(pointer, "responses"), code);
            let old = new.clone();
            responses.insert(code.clone(), self.response(response, &produces, &new, &old));
        }
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }

    /// `in: formData` parameters as one form body.
    fn form_body(&mut self, form: &[(String, Value)], consumes: &[String], pointer: &str) -> Value {
        let has_file = form
            .iter()
            .any(|(_, p)| p.get("type").and_then(Value::as_str) == Some("file"));
        let multipart = has_file
            || (consumes
                .iter()
                .any(|c| c.starts_with("multipart/form-data"))
                && !consumes
                    .iter()
                    .any(|c| c.starts_with("application/x-www-form-urlencoded")));
        let media = if multipart {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let schema_pointer = join(&join(&join(pointer, "content"), media), "schema");
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for (old, parameter) in form {
            let Some(name) = parameter.get("name").and_then(Value::as_str) else {
                continue;
            };
            self.map.push((
                join(&join(&schema_pointer, "properties"), name),
                old.clone(),
            ));
            let mut property = value_schema(parameter);
            if let Some(description) = parameter.get("description") {
                property.insert("description".into(), description.clone());
            }
            properties.insert(name.to_owned(), Value::Object(property));
            if parameter.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(json!(name));
            }
            if let Some((style, explode)) = self.collection_style(parameter, "query", old) {
                encoding.insert(name.to_owned(), json!({"style": style, "explode": explode}));
            }
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        let mut media_type = Map::new();
        media_type.insert("schema".into(), Value::Object(schema));
        if !encoding.is_empty() && !multipart {
            media_type.insert("encoding".into(), Value::Object(encoding));
        }
        let required = form
            .iter()
            .any(|(_, p)| p.get("required").and_then(Value::as_bool) == Some(true));
        let mut content = Map::new();
        content.insert(media.into(), Value::Object(media_type));
        let mut body = Map::new();
        body.insert("content".into(), Value::Object(content));
        if required {
            body.insert("required".into(), json!(true));
        }
        Value::Object(body)
    }

    /// A `collectionFormat` as (`style`, `explode`) for a parameter in `location`.
    fn collection_style(
        &mut self,
        parameter: &Value,
        location: &str,
        pointer: &str,
    ) -> Option<(&'static str, bool)> {
        if parameter.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let format = parameter
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let plain = if location == "query" || location == "cookie" {
            "form"
        } else {
            "simple"
        };
        Some(match format {
            "multi" if location == "query" => ("form", true),
            "ssv" if location == "query" => ("spaceDelimited", false),
            "pipes" if location == "query" => ("pipeDelimited", false),
            "csv" => (plain, false),
            other => {
                self.diags.warn(
                    &join(pointer, "collectionFormat"),
                    format!("collectionFormat `{other}` has no OpenAPI 3 form for a {location} parameter: the values are sent comma-separated"),
                );
                (plain, false)
            }
        })
    }

    /// A plain (path, query, header) parameter, or a `$ref` to one.
    fn parameter(&mut self, parameter: &Value, pointer: &str) -> Value {
        if let Some(reference) = parameter.get("$ref").and_then(Value::as_str) {
            return json!({"$ref": rewrite_ref(reference)});
        }
        let location = parameter
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("query");
        let mut out = Map::new();
        for (key, value) in parameter.as_object().into_iter().flatten() {
            match key.as_str() {
                "name" | "in" | "description" | "required" | "allowEmptyValue" => {
                    out.insert(key.clone(), value.clone());
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        if location == "path" {
            out.insert("required".into(), json!(true));
        }
        if let Some((style, explode)) = self.collection_style(parameter, location, pointer) {
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        self.map.push((join(pointer, "schema"), pointer.to_owned()));
        out.insert("schema".into(), Value::Object(value_schema(parameter)));
        Value::Object(out)
    }

    fn response(&mut self, response: &Value, produces: &[String], new: &str, old: &str) -> Value {
        if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
            return json!({"$ref": rewrite_ref(reference)});
        }
        if new != old {
            self.map.push((new.to_owned(), old.to_owned()));
        }
        let mut out = Map::new();
        out.insert(
            "description".into(),
            response
                .get("description")
                .cloned()
                .unwrap_or_else(|| json!("")),
        );
        for (key, value) in response.as_object().into_iter().flatten() {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        if let Some(headers) = response.get("headers").and_then(Value::as_object) {
            let mut converted = Map::new();
            for (name, header) in headers {
                let mut h = Map::new();
                if let Some(description) = header.get("description") {
                    h.insert("description".into(), description.clone());
                }
                self.map.push((
                    join(&join(&join(new, "headers"), name), "schema"),
                    join(&join(old, "headers"), name),
                ));
                h.insert("schema".into(), Value::Object(value_schema(header)));
                converted.insert(name.clone(), Value::Object(h));
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        if let Some(s) = response.get("schema") {
            let is_file = s.get("type").and_then(Value::as_str) == Some("file");
            let schema = schema(s);
            let examples = response.get("examples").and_then(Value::as_object);
            let media: Vec<String> = match (is_file, produces.is_empty()) {
                (true, true) => vec!["application/octet-stream".into()],
                (false, true) => vec!["application/json".into()],
                _ => produces.to_vec(),
            };
            let mut content = Map::new();
            for mt in &media {
                let path = join(&join(new, "content"), mt);
                self.map.push((join(&path, "schema"), join(old, "schema")));
                let mut media_type = Map::new();
                media_type.insert("schema".into(), schema.clone());
                if let Some(example) = examples.and_then(|e| e.get(mt)) {
                    media_type.insert("example".into(), example.clone());
                }
                content.insert(mt.clone(), Value::Object(media_type));
            }
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }

    fn security_scheme(&mut self, scheme: &Value, pointer: &str) -> Value {
        let mut out = Map::new();
        for (key, value) in scheme.as_object().into_iter().flatten() {
            if key == "description" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("apiKey") => {
                out.insert("type".into(), json!("apiKey"));
                for key in ["name", "in"] {
                    if let Some(value) = scheme.get(key) {
                        out.insert(key.into(), value.clone());
                    }
                }
            }
            Some("oauth2") => {
                out.insert("type".into(), json!("oauth2"));
                let scopes = scheme.get("scopes").cloned().unwrap_or_else(|| json!({}));
                let url = |key: &str| scheme.get(key).cloned().unwrap_or_else(|| json!(""));
                let (name, flow) = match scheme.get("flow").and_then(Value::as_str) {
                    Some("implicit") => (
                        "implicit",
                        json!({"authorizationUrl": url("authorizationUrl"), "scopes": scopes}),
                    ),
                    Some("password") => (
                        "password",
                        json!({"tokenUrl": url("tokenUrl"), "scopes": scopes}),
                    ),
                    Some("application") => (
                        "clientCredentials",
                        json!({"tokenUrl": url("tokenUrl"), "scopes": scopes}),
                    ),
                    Some("accessCode") => (
                        "authorizationCode",
                        json!({"authorizationUrl": url("authorizationUrl"), "tokenUrl": url("tokenUrl"), "scopes": scopes}),
                    ),
                    other => {
                        self.diags.warn(&join(pointer, "flow"), format!("OAuth 2 flow {other:?} is not one of Swagger 2.0's four (`implicit`, `password`, `application`, `accessCode`)"));
                        (
                            "implicit",
                            json!({"authorizationUrl": "", "scopes": scopes}),
                        )
                    }
                };
                self.map.push((
                    join(
                        &join(
                            pointer
                                .replace("#/securityDefinitions", "#/components/securitySchemes")
                                .as_str(),
                            "flows",
                        ),
                        name,
                    ),
                    pointer.to_owned(),
                ));
                out.insert("flows".into(), json!({ name: flow }));
            }
            _ => {
                // Left as written: the typed reading reports it at its pointer.
                out = scheme.as_object().cloned().unwrap_or_default();
            }
        }
        Value::Object(out)
    }
}

/// A 2.0 `$ref` as the 3.0 document names the same thing.
fn rewrite_ref(reference: &str) -> String {
    for (old, new) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        if let Some(rest) = reference.strip_prefix(old) {
            return format!("{new}{rest}");
        }
    }
    reference.to_owned()
}

/// A 2.0 schema in the 3.0 model: references renamed, `x-nullable`, `discriminator` and
/// `type: file` rewritten, everywhere below it.
fn schema(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut out = Map::new();
            for (key, v) in object {
                match key.as_str() {
                    "$ref" => {
                        out.insert(
                            key.clone(),
                            json!(rewrite_ref(v.as_str().unwrap_or_default())),
                        );
                    }
                    "x-nullable" => {
                        out.insert("nullable".into(), v.clone());
                    }
                    "discriminator" => match v {
                        Value::String(name) => {
                            out.insert(key.clone(), json!({"propertyName": name}));
                        }
                        other => {
                            out.insert(key.clone(), other.clone());
                        }
                    },
                    "type" if v == "file" => {
                        out.insert("type".into(), json!("string"));
                        out.insert("format".into(), json!("binary"));
                    }
                    "properties" | "definitions" | "patternProperties" => {
                        let children = v
                            .as_object()
                            .map(|m| m.iter().map(|(k, s)| (k.clone(), schema(s))).collect())
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Object(children));
                    }
                    "items" | "additionalProperties" | "not" => {
                        out.insert(key.clone(), schema(v));
                    }
                    "allOf" | "oneOf" | "anyOf" => {
                        out.insert(
                            key.clone(),
                            Value::Array(v.as_array().into_iter().flatten().map(schema).collect()),
                        );
                    }
                    _ => {
                        out.insert(key.clone(), v.clone());
                    }
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// The schema of a parameter, header or items object: its value keywords (`type: file` a
/// binary string, `items` below it the same way).
fn value_schema(value: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for key in VALUE_KEYWORDS {
        let Some(v) = value.get(*key) else {
            continue;
        };
        match *key {
            "type" if v == "file" => {
                out.insert("type".into(), json!("string"));
                out.insert("format".into(), json!("binary"));
            }
            "items" => {
                out.insert("items".into(), Value::Object(value_schema(v)));
            }
            _ => {
                out.insert((*key).into(), v.clone());
            }
        }
    }
    if value.get("x-nullable").and_then(Value::as_bool) == Some(true) {
        out.insert("nullable".into(), json!(true));
    }
    if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        out.insert("$ref".into(), json!(rewrite_ref(reference)));
    }
    out
}

#[cfg(test)]
mod tests;
