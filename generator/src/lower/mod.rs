//! OpenAPI to IR. Every naming and type decision happens here; emitting only prints.

use std::borrow::Cow;
use std::collections::BTreeMap;

use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr,
    Schema, SchemaKind, StatusCode, Type,
};
use serde_json::Value;

use crate::diag::{Diagnostics, escape_token, join};
use crate::model::*;
use crate::naming::{RESERVED_TYPE_NAMES, Scope, pascal, snake};

mod bodies;
mod combinations;
mod conformance;
mod features;
mod namespaces;
mod operations;
mod pagination;
mod raw_checks;
mod refs;
mod responses;
mod schemas;
mod security_servers;
#[cfg(test)]
mod tests;

use bodies::*;
use combinations::*;
use namespaces::*;
use operations::*;
use responses::*;
use schemas::*;

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    raw: &'a Value,
    /// Targets of references into the middle of the document (see `Parsed::deep_refs`):
    /// lowered once, and shared with the inline schema at the same place.
    deep_refs: &'a std::collections::BTreeSet<String>,
    /// Named types reserved for such targets while they are being lowered (cycles).
    ref_types: BTreeMap<String, TypeRef>,
    diags: &'a mut Diagnostics,
    types: Vec<Option<TypeDef>>,
    type_names: Scope,
    component_index: BTreeMap<String, usize>,
    /// Inline schemas owned by a component (a shared response, parameter or body) are lowered
    /// once, however many operations refer to them.
    shared: BTreeMap<String, (TypeRef, bool)>,
    /// Tags of an OpenAPI 3.2 tree of nested tags (`parent`), each with its path from the
    /// root tag down to it; empty when no tag has a parent.
    tag_paths: BTreeMap<String, Vec<String>>,
    /// Component schemas that allow null themselves (`nullable: true`, or a `null` alternative):
    /// every reference to them is an `Option`.
    nullable_components: std::collections::BTreeSet<String>,
    /// Each operation's `x-clientgen-pagination`, by the operation's pointer, for the
    /// pagination pass after the operations are lowered.
    pagination_extensions: BTreeMap<String, Value>,
}

/// SPDX identifiers a 3.0 description's `info.license.name` is taken as, compared without
/// case and with spaces read as `-` (`Apache 2.0`). A name outside this list is not guessed at:
/// the maintainer says it with `--license`.
const SPDX_NAMES: &[&str] = &[
    "MIT",
    "MIT-0",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "MPL-2.0",
    "Unlicense",
    "CC0-1.0",
    "CC-BY-4.0",
    "Zlib",
    "0BSD",
    "GPL-2.0-only",
    "GPL-3.0-only",
    "LGPL-2.1-only",
    "LGPL-3.0-only",
    "AGPL-3.0-only",
];

/// `info.license`: 3.1's `identifier` is an SPDX expression as it is; a `name` is one when it
/// is in [`SPDX_NAMES`]. Read from the raw document, since openapiv3 keeps no `identifier`.
fn license(raw: &Value) -> License {
    let Some(license) = raw.get("info").and_then(|i| i.get("license")) else {
        return License::None;
    };
    let text = |key: &str| {
        license
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    if let Some(id) = text("identifier") {
        return License::Spdx(id.to_owned());
    }
    match text("name") {
        Some(name) => {
            let key = name.replace(' ', "-");
            match SPDX_NAMES.iter().find(|id| id.eq_ignore_ascii_case(&key)) {
                Some(id) => License::Spdx((*id).to_owned()),
                None => License::Named(name.to_owned()),
            }
        }
        None => License::None,
    }
}

/// [`lower`], and with `conformance_schemas` the JSON a conformance test synthesises its
/// arguments from ([`Api::conformance`]): the IR then holds all that rendering needs.
pub fn lower_with(
    parsed: &crate::parse::Parsed,
    diags: &mut Diagnostics,
    conformance_schemas: bool,
) -> Api {
    let mut api = lower(parsed, diags);
    if conformance_schemas {
        api.conformance = Some(conformance::schemas(&api, &parsed.raw, parsed.is_31));
    }
    api
}

/// Lowers a parsed document. Problems go to `diags`; the result is always usable when
/// `diags` has no errors.
pub fn lower(parsed: &crate::parse::Parsed, diags: &mut Diagnostics) -> Api {
    let spec = &parsed.spec;
    let mut l = Lowerer {
        spec,
        raw: &parsed.raw,
        deep_refs: &parsed.deep_refs,
        ref_types: BTreeMap::new(),
        diags,
        types: Vec::new(),
        type_names: Scope::with_reserved(RESERVED_TYPE_NAMES),
        component_index: BTreeMap::new(),
        shared: BTreeMap::new(),
        tag_paths: BTreeMap::new(),
        nullable_components: std::collections::BTreeSet::new(),
        pagination_extensions: BTreeMap::new(),
    };
    l.tag_paths = namespaces::tag_paths(&parsed.raw, l.diags);
    // Component schemas are named first, so that their names win over inline types.
    let components: Vec<(&String, &ReferenceOr<Schema>)> = spec
        .components
        .as_ref()
        .map(|c| c.schemas.iter().collect())
        .unwrap_or_default();
    for (key, schema) in &components {
        if let ReferenceOr::Item(schema) = schema {
            let null_alternative = match &schema.schema_kind {
                SchemaKind::OneOf { one_of: alts } | SchemaKind::AnyOf { any_of: alts } => {
                    alts.iter().any(is_null_schema)
                }
                _ => false,
            };
            if schema.schema_data.nullable || null_alternative || annotates_null(schema) {
                l.nullable_components
                    .insert(format!("#/components/schemas/{}", escape_token(key)));
            }
        }
    }
    for (key, _) in &components {
        let mut name = pascal(key);
        if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
            name.push_str("Model");
        }
        let name = l.type_names.claim(name);
        l.component_index.insert((*key).clone(), l.types.len());
        l.types.push(Some(TypeDef {
            name,
            description: None,
            kind: TypeKind::Alias(TypeRef::Json),
            pointer: join("#/components/schemas", key),
        }));
    }
    for (key, schema) in &components {
        let idx = l.component_index[key.as_str()];
        let pointer = join("#/components/schemas", key);
        let name = l.types[idx]
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let def = match schema {
            ReferenceOr::Reference { reference } => {
                let target = l.lower_ref(reference, &name, &pointer);
                TypeDef {
                    name,
                    description: None,
                    kind: TypeKind::Alias(target),
                    pointer,
                }
            }
            ReferenceOr::Item(schema) => l.lower_named(schema, name, &pointer),
        };
        l.types[idx] = Some(def);
    }

    let schemes = l.lower_schemes();
    let mut api = Api {
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        version: spec.info.version.clone(),
        license: license(&parsed.raw),
        servers: l.lower_servers(),
        ..Api::default()
    };
    // The first alternative, so that adding another alternative later keeps `Client::new`
    // as it was (the others are `ClientBuilder` setters).
    api.constructor_scheme = match spec.security.as_deref() {
        Some([first, ..]) if first.len() == 1 => first
            .keys()
            .next()
            .and_then(|k| schemes.iter().position(|s| &s.key == k)),
        _ => None,
    };
    api.schemes = schemes;
    let (operations, error_variants, error_decoders) = l.lower_operations(&api.schemes);
    api.operations = operations;
    api.error_variants = error_variants;
    api.error_decoders = error_decoders;
    api.types = l.types.into_iter().flatten().collect();
    mark_boxed_cycles(&mut api.types, l.diags);
    api.root = build_namespaces(&mut api.operations, &mut l.type_names);
    pagination::detect(&mut api, &l.pagination_extensions, l.diags);
    api.features = features::assign(&api);
    relax_one_way_requirements(&mut api);
    api
}

/// `required` with `readOnly` binds responses only, and with `writeOnly` requests only, as
/// OpenAPI 3.0 says: a struct that requests send does not require its read-only properties
/// (the client must be able to leave them out), and one that responses carry does not require
/// its write-only ones (the server leaves them out). A struct used one way only keeps both.
/// OpenAPI 3.1 leaves the rule to implementations (`readOnly` is a JSON Schema annotation
/// there, which says a server ignores or rejects a value sent for it); it is applied to 3.1
/// documents too, so that nobody has to make up an `id` to create a resource. The field stays
/// an `Option`, so a value can still be sent to a server that insists (Prism does, for 3.1
/// documents: the conformance arguments send them there).
fn relax_one_way_requirements(api: &mut Api) {
    let (sent, received) = (&api.features.sent, &api.features.received);
    for (i, t) in api.types.iter_mut().enumerate() {
        let TypeKind::Struct { fields, .. } = &mut t.kind else {
            continue;
        };
        let sent = sent.get(i).copied().unwrap_or(true);
        let received = received.get(i).copied().unwrap_or(true);
        for f in fields.iter_mut() {
            if f.required && ((f.read_only && sent) || (f.write_only && received)) {
                f.required = false;
            }
        }
    }
}

fn ext_str<'v>(ext: &'v indexmap::IndexMap<String, Value>, key: &str) -> Option<&'v str> {
    ext.get(key).and_then(Value::as_str)
}

/// A media type without its parameters, lowercased: `Text/Event-Stream; charset=utf-8` is
/// `text/event-stream`.
fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// How the items of a sequential JSON media type are delimited, when `media` is one:
/// `application/jsonl`, `application/x-ndjson` (and `x-jsonlines`, `jsonlines`) are lines,
/// `application/json-seq` (and `+json-seq`) record separators.
fn sequence_framing(media: &str) -> Option<Framing> {
    let essence = media_essence(media);
    if crate::parse32::is_json_lines(&essence) {
        Some(Framing::Lines)
    } else if crate::parse32::is_json_seq(&essence) {
        Some(Framing::RecordSeparator)
    } else {
        None
    }
}

fn is_json_media(media: &str) -> bool {
    let essence = media_essence(media);
    essence == "application/json" || essence.ends_with("+json")
}
