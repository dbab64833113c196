//! Operations: path templates, parameters, and what each operation sends and returns.

use std::borrow::Cow;
use std::collections::BTreeMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};
use serde_json::Value;

use crate::diag::join;
use crate::model::{
    ErrorVariant, EventShape, Method, MockNames, Operation, Param, ParamLocation, PathPart,
    QueryStringEncoding, ResponseKind, SecurityScheme, StatusMatch, TypeRef,
};
use crate::naming::{Scope, pascal, snake};

use super::namespaces::split_operation_id;
use super::operation_lowerer::OperationLowerer;
use super::responses::is_success;
use super::schemas::is_scalar;
use super::{ext_str, is_json_media, media_essence};

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// HTTP token characters (RFC 9110), which header names are made of.
pub(super) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[derive(Debug, PartialEq)]
pub(super) enum Tpl {
    Literal(String),
    Param(String),
}

/// Splits a path template once into literal text and `{parameter}` parts.
/// The `name=value` pairs of a query string, percent-decoded (a name alone has an empty value).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (bytes[i], hex) {
                (b'%', Some(b)) => {
                    out.push(b);
                    i += 3;
                }
                (b'+', _) => {
                    out.push(b' ');
                    i += 1;
                }
                (b, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

pub(super) fn parse_template(path: &str) -> Vec<Tpl> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            out.push(Tpl::Literal(rest[..start].to_owned()));
        }
        out.push(Tpl::Param(rest[start + 1..start + len].to_owned()));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Tpl::Literal(rest.to_owned()));
    }
    out
}

impl OperationLowerer<'_, '_> {
    #[allow(clippy::type_complexity)]
    pub(super) fn lower_operations(
        &mut self,
        schemes: &[SecurityScheme],
    ) -> (
        Vec<Operation>,
        Vec<ErrorVariant>,
        Vec<Vec<(StatusMatch, Option<usize>)>>,
    ) {
        let mut ops = Vec::new();
        let mut error_variants: Vec<ErrorVariant> = Vec::new();
        let mut decoders: Vec<Vec<(StatusMatch, Option<usize>)>> = Vec::new();
        let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
        // Path items are typed one at a time from the JSON tree (see `parse::parse_on`), as
        // openapiv3 reads `paths`: the keys that start with `/`.
        let raw = self.raw;
        let paths = raw
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten();
        for (path, item) in paths.filter(|(path, _)| path.starts_with('/')) {
            let path_pointer = join("#/paths", path);
            let Some(item) = crate::parse::path_item(raw, item, &path_pointer, self.types.diags)
            else {
                continue;
            };
            let Some(item) = self.types.deref(&item, &path_pointer) else {
                continue;
            };
            let fixed = [
                (Method::Get, &item.get, "get"),
                (Method::Put, &item.put, "put"),
                (Method::Post, &item.post, "post"),
                (Method::Delete, &item.delete, "delete"),
                (Method::Options, &item.options, "options"),
                (Method::Head, &item.head, "head"),
                (Method::Patch, &item.patch, "patch"),
                (Method::Trace, &item.trace, "trace"),
            ];
            let mut methods: Vec<(Method, Cow<openapiv3::Operation>, String)> = fixed
                .into_iter()
                .filter_map(|(m, op, key)| {
                    Some((m, Cow::Borrowed(op.as_ref()?), join(&path_pointer, key)))
                })
                .collect();
            methods.extend(self.more_operations(&path_pointer));
            for (method, op, pointer) in methods {
                let op = &*op;
                if let Some(ext) = op.extensions.get("x-clientgen-pagination") {
                    self.pagination_extensions
                        .insert(pointer.clone(), ext.clone());
                }
                let key = method.as_str().to_ascii_lowercase();
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    // No id: a name from method and path, without `/`, so it never reads as
                    // a namespace (`GET /users/{id}` -> `get_users_id`).
                    _ => format!("{key}_{path}").replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
                };
                if let Some(first) = seen_ids.insert(id.clone(), pointer.clone()) {
                    self.types.diags.warn(&pointer, format!("operationId `{id}` is also used at {first}; this one gets a numbered name"));
                }
                // Security: the operation's own, else the document's.
                let requirements = op.security.as_ref().or(self.spec.security.as_ref());
                // Whether a security scheme sets the credentials of this call: an
                // `Authorization` header parameter is then the scheme's, not the caller's.
                let secured = requirements.is_some_and(|reqs| {
                    reqs.iter().any(|req| {
                        !req.is_empty() && req.keys().all(|k| schemes.iter().any(|s| &s.key == k))
                    })
                });
                let Some(mut operation) = self.lower_operation(
                    method.clone(),
                    path,
                    &item.parameters,
                    op,
                    (&id, &pointer),
                    secured,
                ) else {
                    continue;
                };
                if let Some(reqs) = requirements {
                    for req in reqs {
                        for (key, scopes) in req {
                            self.scopes
                                .entry(key.clone())
                                .or_default()
                                .extend(scopes.iter().cloned());
                        }
                        let mut alternative = Vec::new();
                        let mut satisfiable = true;
                        for name in req.keys() {
                            match schemes.iter().position(|s| &s.key == name) {
                                Some(i) => alternative.push(i),
                                None => satisfiable = false,
                            }
                        }
                        if !satisfiable {
                            continue;
                        }
                        if alternative.is_empty() {
                            // `{}` makes authentication optional.
                            operation.security.clear();
                            break;
                        }
                        operation.security.push(alternative);
                    }
                }
                operation.tag_path = op
                    .tags
                    .first()
                    .and_then(|t| self.tag_paths.get(t))
                    .cloned()
                    .unwrap_or_default();
                // Errors: one ErrorBody variant per distinct error type.
                let mut decoder = Vec::new();
                for (status, kind) in operation.errors.clone() {
                    let variant = match kind {
                        ResponseKind::Json(ty) => {
                            Some(match error_variants.iter().position(|v| v.ty == ty) {
                                Some(i) => i,
                                None => {
                                    error_variants.push(self.error_variant(ty));
                                    error_variants.len() - 1
                                }
                            })
                        }
                        _ => None,
                    };
                    decoder.push((status, variant));
                }
                operation.error_decoder = match decoders.iter().position(|d| *d == decoder) {
                    Some(i) => i,
                    None => {
                        decoders.push(decoder);
                        decoders.len() - 1
                    }
                };
                ops.push(operation);
            }
        }
        (ops, error_variants, decoders)
    }

    /// The encoding and type of an `in: querystring` parameter, from its `content` media type
    /// (`application/x-www-form-urlencoded`: an object's members as pairs; JSON: the JSON text;
    /// anything else: text), or from its `schema`, as a form, when it has no `content`.
    /// A parameter's Rust name, unique among the operation's parameters. One that a request
    /// builder's own method or field has (`items`, `timeout`, `send`) is numbered, and said at
    /// the parameter's pointer: the setter a user looks for by the wire name is not there.
    fn param_name(&mut self, scope: &mut Scope, natural: String, pointer: &str) -> String {
        let reserved = crate::reserved::reserved()
            .builder
            .contains(&natural.as_str());
        let name = scope.claim(natural.clone());
        if reserved {
            self.types.diags.warn(
                pointer,
                format!(
                    "the parameter is `{name}` in Rust: `{natural}` is a method or field every request builder has"
                ),
            );
        }
        name
    }

    fn querystring(
        &mut self,
        data: &openapiv3::ParameterData,
        op_name: &str,
        component: Option<&str>,
        pp: &str,
    ) -> (QueryStringEncoding, TypeRef) {
        let hint = match component {
            Some(c) => pascal(c),
            None => format!("{op_name}{}", pascal(&data.name)),
        };
        match &data.format {
            ParameterSchemaOrContent::Schema(s) => (
                QueryStringEncoding::Form,
                self.types.lower_schema_ref(s, &hint, &join(pp, "schema")).0,
            ),
            ParameterSchemaOrContent::Content(content) => {
                if content.len() > 1 {
                    self.types.diags.warn(
                        &join(pp, "content"),
                        "a parameter's `content` has more than one media type: the first is used",
                    );
                }
                let Some((media, m)) = content.iter().next() else {
                    return (QueryStringEncoding::Text, TypeRef::String);
                };
                let essence = media_essence(media);
                let encoding = if essence == "application/x-www-form-urlencoded" {
                    QueryStringEncoding::Form
                } else if is_json_media(media) {
                    QueryStringEncoding::Json
                } else {
                    QueryStringEncoding::Text
                };
                let media_pointer = join(&join(pp, "content"), media);
                let ty = match &m.schema {
                    Some(s) => {
                        self.types
                            .lower_schema_ref(s, &hint, &join(&media_pointer, "schema"))
                            .0
                    }
                    None if encoding == QueryStringEncoding::Text => TypeRef::String,
                    None => TypeRef::Json,
                };
                if !m.encoding.is_empty() {
                    self.types.diags.warn(
                        &join(&media_pointer, "encoding"),
                        "`encoding` of a query string is not applied: members are written as forms write them (arrays repeated, objects as JSON text)",
                    );
                }
                (encoding, ty)
            }
        }
    }

    /// The operations of a path item that the 3.0 model has no field for, read from the raw
    /// document: OpenAPI 3.2's `query` (the QUERY method) and `additionalOperations` (any
    /// other method, sent exactly as its key is written), with their pointers.
    fn more_operations(
        &mut self,
        path_pointer: &str,
    ) -> Vec<(Method, Cow<'static, openapiv3::Operation>, String)> {
        let mut home = path_pointer.to_owned();
        let mut item = self.raw.pointer(&home[1..]);
        // A path item that is a reference (3.1 `components/pathItems`), a bounded number of times.
        for _ in 0..8 {
            match item.and_then(|i| i.get("$ref")).and_then(Value::as_str) {
                Some(r) if r.starts_with("#/") => {
                    home = r.to_owned();
                    item = self.raw.pointer(&crate::parse::percent_decode(&r[1..]));
                }
                _ => break,
            }
        }
        let Some(item) = item.and_then(Value::as_object) else {
            return Vec::new();
        };
        let mut found: Vec<(Method, &Value, String)> = Vec::new();
        if let Some(op) = item.get("query") {
            found.push((Method::Query, op, join(&home, "query")));
        }
        if let Some(Value::Object(more)) = item.get("additionalOperations") {
            let more_pointer = join(&home, "additionalOperations");
            for (name, op) in more {
                let pointer = join(&more_pointer, name);
                if !is_token(name) {
                    self.types
                        .diags
                        .error(&pointer, format!("`{name}` is not a valid HTTP method"));
                    continue;
                }
                let upper = name.to_ascii_uppercase();
                if [
                    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY",
                ]
                .contains(&upper.as_str())
                {
                    self.types.diags.warn(
                        &pointer,
                        format!("`{name}` has a field of its own in a path item, which `additionalOperations` must not repeat; sent as written"),
                    );
                }
                found.push((Method::Other(name.clone()), op, pointer));
            }
        }
        let mut out = Vec::new();
        for (method, op, pointer) in found {
            match serde_path_to_error::deserialize::<_, openapiv3::Operation>(op) {
                Ok(op) => out.push((method, Cow::Owned(op), pointer)),
                Err(e) => {
                    let suffix = crate::parse::path_to_pointer(e.path());
                    let (at, message) = crate::parse::refine(
                        self.raw,
                        format!("{pointer}{}", &suffix[1..]),
                        e.inner().to_string(),
                    );
                    self.types
                        .diags
                        .error(&at, format!("not a valid OpenAPI document: {message}"));
                }
            }
        }
        out
    }

    /// One parameter of an operation, or `None` when it is not sent (a header OpenAPI says
    /// to ignore, a path parameter the template lacks) or is an error; each case is reported
    /// at its pointer.
    #[allow(clippy::too_many_arguments)]
    fn lower_param(
        &mut self,
        p: &Parameter,
        pp: &str,
        component: Option<&str>,
        template: &[Tpl],
        op_name: &str,
        secured: bool,
        scope: &mut Scope,
    ) -> Option<Param> {
        let data = p.parameter_data_ref();
        let location = location_of(p);
        // OpenAPI says `Accept`, `Content-Type` and `Authorization` header parameters are
        // ignored: the client sets the first two from the media types, and a security
        // scheme sets the third. Each is reported, so that no parameter vanishes silently.
        // An `Authorization` parameter of a call that no scheme covers is the only way to
        // authenticate it (keeper's description has no security scheme at all): it is
        // kept, as a secret header argument.
        let lower_name = data.name.to_ascii_lowercase();
        let mut forced_secret = false;
        if location == ParamLocation::Header
            && ["accept", "content-type", "authorization"].contains(&lower_name.as_str())
        {
            if lower_name != "authorization" {
                self.types.diags.note(
                    pp,
                    format!(
                        "the `{}` header parameter is ignored, as OpenAPI says: the client sets it from the media types",
                        data.name
                    ),
                );
                return None;
            }
            if secured {
                self.types.diags.note(
                    pp,
                    "the `Authorization` header parameter is ignored, as OpenAPI says: the operation's security scheme sets it",
                );
                return None;
            }
            self.types.diags.warn(
                pp,
                "the `Authorization` header parameter is kept as a secret argument: no security scheme covers this operation, so it is the only way to authenticate it",
            );
            forced_secret = true;
        }
        if location == ParamLocation::Header && !is_token(&data.name) {
            self.types
                .diags
                .error(pp, format!("`{}` is not a valid header name", data.name));
            return None;
        }
        if location == ParamLocation::Path
            && !template
                .iter()
                .any(|t| matches!(t, Tpl::Param(n) if n == &data.name))
        {
            self.types.diags.warn(
                pp,
                format!(
                    "path parameter `{}` is not in the path template; it is not sent",
                    data.name
                ),
            );
            return None;
        }
        // OpenAPI 3.2 `in: querystring` (read as `in: query` with this mark): the whole
        // query string, typed by its one `content` media type.
        let querystring = location == ParamLocation::Query
            && data
                .extensions
                .get("x-clientgen-querystring")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        if querystring {
            let (encoding, ty) = self.querystring(data, op_name, component, pp);
            return Some(Param {
                wire_name: data.name.clone(),
                rust_name: self.param_name(
                    scope,
                    snake(ext_str(&data.extensions, "x-clientgen-name").unwrap_or(&data.name)),
                    pp,
                ),
                location: ParamLocation::QueryString(encoding),
                required: data.required,
                ty,
                sensitive: false,
                explode: false,
                deep_object: false,
                delimiter: ',',
                description: data.description.clone(),
            });
        }
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                self.types
                    .lower_schema_ref(
                        s,
                        &match component {
                            Some(c) => pascal(c),
                            None => format!("{op_name}{}", pascal(&data.name)),
                        },
                        &join(pp, "schema"),
                    )
                    .0
            }
            ParameterSchemaOrContent::Content(_) => TypeRef::Json,
        };
        let ty = match (&ty, location) {
            // An array of scalars keeps its type: its items are sent joined by commas
            // (the `simple` style of paths and headers, and unexploded `form` of cookies).
            (
                TypeRef::Array(inner),
                ParamLocation::Path | ParamLocation::Header | ParamLocation::Cookie,
            ) if is_scalar(inner, &self.types.types) => ty,
            (
                TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Json,
                ParamLocation::Path | ParamLocation::Header | ParamLocation::Cookie,
            ) => {
                self.types.diags.warn(
                    pp,
                    "non-scalar path, header or cookie parameter: a JSON value, sent in the `simple` style (members joined by commas)",
                );
                TypeRef::Json
            }
            (TypeRef::Array(inner), ParamLocation::Query)
                if !is_scalar(inner, &self.types.types) =>
            {
                self.types.diags.warn(
                    pp,
                    "array of non-scalar query values: each sent as JSON text",
                );
                TypeRef::Array(Box::new(TypeRef::Json))
            }
            _ => ty,
        };
        let name_hint = ext_str(&data.extensions, "x-clientgen-name")
            .unwrap_or(&data.name)
            .to_owned();
        let sensitive = forced_secret
            || data
                .extensions
                .get("x-clientgen-sensitive")
                .and_then(Value::as_bool)
                .unwrap_or(false)
            || (location != ParamLocation::Path
                && [
                    "token", "secret", "password", "session", "api-key", "api_key", "apikey",
                    "cookie",
                ]
                .iter()
                .any(|w| lower_name.contains(w)));
        let (explode, deep_object) = match p {
            Parameter::Query { style, .. } => (
                data.explode.unwrap_or(*style == QueryStyle::Form),
                *style == QueryStyle::DeepObject,
            ),
            _ => (data.explode.unwrap_or(false), false),
        };
        let delimiter = match p {
            Parameter::Query {
                style: QueryStyle::SpaceDelimited,
                ..
            } => ' ',
            Parameter::Query {
                style: QueryStyle::PipeDelimited,
                ..
            } => '|',
            _ => ',',
        };
        Some(Param {
            wire_name: data.name.clone(),
            rust_name: self.param_name(scope, snake(&name_hint), pp),
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            sensitive,
            explode,
            deep_object,
            delimiter,
            description: data.description.clone(),
        })
    }

    fn lower_operation(
        &mut self,
        method: Method,
        path: &str,
        path_params: &[ReferenceOr<Parameter>],
        op: &openapiv3::Operation,
        (id, pointer): (&str, &str),
        secured: bool,
    ) -> Option<Operation> {
        // Inline types are named after the operation's namespaces and method
        // (`ReposCreateBody`), as its builder is: the method alone (`CreateBody`) would
        // clash with every other namespace's `create`, and an added operation could win the
        // name from an existing one.
        let (segments, method_part) = split_operation_id(id);
        let op_name = pascal(
            &segments
                .iter()
                .chain(std::iter::once(&method_part))
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        );
        // Path-level parameters, overridden by operation parameters with the same name and place.
        let mut params: Vec<(Cow<Parameter>, String, Option<String>)> = Vec::new();
        for (i, p) in path_params.iter().enumerate() {
            let pp = format!(
                "{}/parameters/{i}",
                pointer.rsplit_once('/').map_or(pointer, |(a, _)| a)
            );
            if let Some(found) = self.types.deref_home(p, &pp) {
                params.push(found);
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let pp = format!("{pointer}/parameters/{i}");
            if let Some(found) = self.types.deref_home(p, &pp) {
                let key = (
                    found.0.parameter_data_ref().name.clone(),
                    location_of(&found.0),
                );
                params.retain(|(q, _, _)| {
                    (q.parameter_data_ref().name.clone(), location_of(q)) != key
                });
                params.push(found);
            }
        }
        // A `#fragment` in a path key only tells operations apart in the description (Box's
        // `/files/{file_id}#get_shared_link`); it is never sent.
        let path = path.split_once('#').map_or(path, |(p, _)| p);
        // A `?query` in a path key (OpenAI's `/responses?beta=true`) is not part of the path:
        // a path cannot hold `?` (RFC 3986), and sent as path text it would be encoded as
        // `%3F` and address another resource. It is sent as query pairs on every request.
        let (path, fixed_query) = match path.split_once('?') {
            Some((p, query)) => {
                self.types.diags.warn(
                    pointer,
                    format!("the path key holds a query (`?{query}`): sent as query pairs"),
                );
                (p, query_pairs(query))
            }
            None => (path, Vec::new()),
        };
        let template = parse_template(path);
        let mut scope = Scope::with_reserved(&crate::reserved::reserved().builder);
        let mut lowered: Vec<Param> = Vec::new();
        for (p, pp, component) in &params {
            if let Some(param) = self.lower_param(
                p,
                pp,
                component.as_deref(),
                &template,
                &op_name,
                secured,
                &mut scope,
            ) {
                lowered.push(param);
            }
        }
        if lowered
            .iter()
            .any(|p| matches!(p.location, ParamLocation::QueryString(_)))
        {
            if lowered
                .iter()
                .filter(|p| matches!(p.location, ParamLocation::QueryString(_)))
                .count()
                > 1
            {
                self.types.diags.warn(
                    pointer,
                    "more than one `in: querystring` parameter: the last one set is the query string",
                );
            }
            if lowered.iter().any(|p| p.location == ParamLocation::Query) {
                self.types.diags.warn(
                    pointer,
                    "`in: query` parameters beside an `in: querystring` one, which OpenAPI 3.2 forbids: they are sent after the query string",
                );
            }
        }
        // Template parameters the spec forgot to declare are still sent, as strings.
        for t in &template {
            if let Tpl::Param(name) = t {
                if !lowered
                    .iter()
                    .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
                {
                    self.types.diags.warn(pointer, format!("path parameter `{name}` is not declared; it is taken as a required string"));
                    lowered.push(Param {
                        wire_name: name.clone(),
                        rust_name: self.param_name(&mut scope, snake(name), pointer),
                        location: ParamLocation::Path,
                        required: true,
                        ty: TypeRef::String,
                        sensitive: false,
                        explode: false,
                        deep_object: false,
                        delimiter: ',',
                        description: None,
                    });
                }
            }
        }
        // Required parameters first (path ones in template order), then the optional ones.
        let path_order = |p: &Param| {
            template
                .iter()
                .position(|t| matches!(t, Tpl::Param(n) if n == &p.wire_name))
                .unwrap_or(usize::MAX)
        };
        lowered.sort_by_key(|p| {
            (
                !p.required,
                p.location != ParamLocation::Path,
                path_order(p),
            )
        });
        let path_parts = template
            .iter()
            .map(|t| match t {
                Tpl::Literal(s) => PathPart::Literal(s.clone()),
                Tpl::Param(n) => PathPart::Param(
                    lowered
                        .iter()
                        .position(|p| p.location == ParamLocation::Path && &p.wire_name == n)
                        .unwrap_or(0),
                ),
            })
            .collect();
        let body = match &op.request_body {
            Some(b) => self.lower_body(b, &op_name, &join(pointer, "requestBody"), &mut scope),
            None => None,
        };
        let accept = self.accept(op, pointer);
        let response_media = self.response_media(op, pointer);
        let (events, items) = self.streams(op, id, pointer);
        let (events, events_only, event_shape) = match events {
            Some((event, only, shape)) => (Some(event), only, shape),
            None => (None, false, EventShape::Data),
        };
        // `default` is an error when a success is documented, else the success itself.
        let mut all = self.responses(op, id, pointer);
        if op.responses.responses.is_empty() && op.responses.default.is_none() {
            // No response documented (parsing warned): whatever the server sends, raw.
            all.push((StatusMatch::Range(2), ResponseKind::Bytes));
        }
        let has_success = all.iter().any(|(s, _)| is_success(*s));
        let (success, mut errors): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|(s, _)| is_success(*s) || (!has_success && *s == StatusMatch::Default));
        // Codes before ranges before default, as OpenAPI's precedence says.
        errors.sort_by_key(|(s, _)| s.precedence());
        Some(Operation {
            id: id.to_owned(),
            method_name: String::new(),
            accessors: Vec::new(),
            builder_name: String::new(),
            method,
            path: path.to_owned(),
            path_parts,
            fixed_query,
            params: lowered,
            body,
            success,
            errors,
            success_enum: None,
            mock: MockNames::default(),
            error_decoder: 0,
            security: Vec::new(),
            deprecated: op.deprecated,
            summary: op.summary.clone(),
            description: op.description.clone(),
            pointer: pointer.to_owned(),
            accept,
            response_media,
            tag: op.tags.first().cloned(),
            tag_path: Vec::new(),
            pagination: None,
            events,
            events_only,
            event_shape,
            items,
        })
    }
}
