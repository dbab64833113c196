//! OpenAPI to IR. Every naming and type decision happens here; emitting only prints.
//!
//! [`lower`] builds a `TypeSpace` (`type_space.rs`; its schema methods are in `schemas.rs`,
//! `combinations.rs` and `refs.rs`) and lowers the component schemas into it; then an
//! `OperationLowerer` (`operation_lowerer.rs`; methods in `operations.rs`, `bodies.rs`,
//! `responses.rs` and `security_servers.rs`) borrows it to lower the paths, handing it every
//! schema; then the passes over the whole API run (`namespaces.rs`, `pagination.rs`,
//! `features.rs`, `members.rs`). Each file imports what it uses from its siblings by name, and
//! the type-space files never refer to the operation files.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

use crate::diag::{Diagnostics, escape_token, join};
use crate::model::{Api, Framing, License, TypeDef, TypeKind, TypeRef};
use crate::naming::{Names, RESERVED_TYPE_NAMES, pascal};
use crate::parse::media_essence;

mod bodies;
mod combinations;
mod conformance;
mod features;
mod members;
mod namespaces;
mod operation_lowerer;
mod operations;
mod pagination;
mod raw_checks;
mod refs;
mod responses;
mod schemas;
mod security_servers;
#[cfg(test)]
mod tests;
mod type_space;
mod webhooks;

use combinations::annotates_null;
use namespaces::build_namespaces;
use operation_lowerer::OperationLowerer;
use schemas::{is_null_schema, mark_boxed_cycles};
use type_space::TypeSpace;

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
    // Tags first: their diagnostics come before those of the schemas.
    let tag_paths = namespaces::tag_paths(&parsed.raw, diags);
    let mut space = TypeSpace::new(spec, &parsed.raw, &parsed.deep_refs, diags);
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
                space
                    .nullable_components
                    .insert(format!("#/components/schemas/{}", escape_token(key)));
            }
        }
    }
    for (key, _) in &components {
        let mut name = pascal(key);
        if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
            name.push_str("Model");
        }
        space
            .component_index
            .insert((*key).clone(), space.types.len());
        space.types.push(Some(TypeDef {
            name,
            description: None,
            kind: TypeKind::Alias(TypeRef::Json),
            pointer: join("#/components/schemas", key),
        }));
    }
    for (key, _) in &components {
        space.lower_component(key);
    }

    let mut ops = OperationLowerer {
        spec,
        raw: &parsed.raw,
        types: &mut space,
        tag_paths,
        pagination_extensions: BTreeMap::new(),
        scopes: BTreeMap::new(),
    };
    let schemes = ops.lower_schemes();
    let mut api = Api {
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        version: spec.info.version.clone(),
        license: license(&parsed.raw),
        servers: ops.lower_servers(),
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
    let (operations, error_variants, error_decoders) = ops.lower_operations(&api.schemes);
    let (webhooks, webhook_signature) = ops.lower_webhooks();
    api.webhooks = webhooks;
    api.webhook_signature = webhook_signature;
    let pagination_extensions = std::mem::take(&mut ops.pagination_extensions);
    // A client credentials token asks for every scope the description asks for with its
    // scheme, in the document's requirements and the operations'.
    for requirement in spec.security.iter().flatten() {
        for (key, scopes) in requirement {
            ops.scopes
                .entry(key.clone())
                .or_default()
                .extend(scopes.iter().cloned());
        }
    }
    for scheme in &mut api.schemes {
        if let (Some(flow), Some(scopes)) =
            (&mut scheme.client_credentials, ops.scopes.get(&scheme.key))
        {
            flow.scopes = scopes.iter().cloned().collect();
        }
    }
    api.operations = operations;
    api.error_variants = error_variants;
    api.error_decoders = error_decoders;
    api.types = space.types.into_iter().flatten().collect();
    let mut type_names = settle_type_names(&mut api.types, &space.component_index);
    mark_boxed_cycles(&mut api.types, space.diags);
    api.root = build_namespaces(&mut api.operations, &mut type_names, space.diags);
    pagination::detect(&mut api, &pagination_extensions, space.diags);
    api.features = features::assign(&api);
    relax_one_way_requirements(&mut api);
    members::settle(&mut api);
    api
}

/// Every named type gets its final name here, once all of them are known. While lowering, a
/// type carries its natural name: a component's key, an inline schema's made from the natural
/// name of its parent and its own place (`{Parent}{Property}`, `{Parent}Item`, ..), never from
/// a numbered name. Components are settled first, so an inline type never takes a
/// component's name; clashes within a tier go by JSON pointer ([`Names::settle`]). So a type's
/// name depends on its own place, not on the order of the document or on what else it holds.
fn settle_type_names(types: &mut [TypeDef], components: &BTreeMap<String, usize>) -> Names {
    let mut names = Names::with_reserved(RESERVED_TYPE_NAMES);
    let component: std::collections::BTreeSet<usize> = components.values().copied().collect();
    for tier in [true, false] {
        let members: Vec<usize> = (0..types.len())
            .filter(|i| component.contains(i) == tier)
            .collect();
        // A component spelled as its type (`FooBar`) keeps the name over one that only
        // converts to it (`foo_bar`); then the JSON pointer decides.
        let requests: Vec<(String, String)> = members
            .iter()
            .map(|&i| {
                let t = &types[i];
                let spelled = t.pointer.rsplit('/').next() == Some(t.name.as_str());
                let exact = if tier && spelled { '0' } else { '1' };
                (t.name.clone(), format!("{exact}{}", t.pointer))
            })
            .collect();
        for (i, name) in members.into_iter().zip(names.settle(&requests)) {
            types[i].name = name;
        }
    }
    names
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

/// How the items of a sequential JSON media type are delimited, when `media` is one:
/// `application/jsonl`, `application/x-ndjson` (and `x-jsonlines`, `jsonlines`) are lines,
/// `application/json-seq` (and `+json-seq`) record separators.
fn sequence_framing(media: &str) -> Option<Framing> {
    let essence = media_essence(media);
    if crate::parse::is_json_lines(&essence) {
        Some(Framing::Lines)
    } else if crate::parse::is_json_seq(&essence) {
        Some(Framing::RecordSeparator)
    } else {
        None
    }
}

fn is_json_media(media: &str) -> bool {
    let essence = media_essence(media);
    essence == "application/json" || essence.ends_with("+json")
}
