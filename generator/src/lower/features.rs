//! Cargo features of the generated crate: one per top-level namespace, each compiling its
//! operations and only the types they reach; and which serde impls each type needs.
//!
//! aws-sdk-rust and google-cloud-rust answer "a consumer pays for the whole API" with a crate
//! per service, async-stripe with a feature per object. One crate with a feature per namespace
//! keeps the names a consumer calls (`client.repos()` is feature `repos`) and compiles a type
//! shared by several namespaces once, under `cfg(any(..))` of the features that reach it.

use std::collections::BTreeMap;

use crate::model::{
    Api, ApiFeature, FeatureKind, Features, Namespace, ResponseKind, TypeKind, TypeRef,
};
use crate::naming::snake;

/// Feature names the generated manifest defines for other purposes; a namespace or tag with
/// one of these names gets `_api` appended.
const RESERVED: &[&str] = &[
    "default",
    "full",
    "tracing",
    "http2",
    "native-tls",
    // No longer defined (ring is not offered); kept so that no API feature takes its name.
    "rustls-ring",
    "rustls-aws-lc-rs",
    "rustls-graviola",
    "serde-all",
    "mock",
    "extra-types",
];

/// The feature of operations on the client itself that have no tag.
const UNTAGGED: &str = "untagged";

/// The feature of the webhooks' payload types and the `webhooks` module, when the API has
/// webhooks (a namespace or tag of that name then gets `_api` appended).
pub(crate) const WEBHOOKS: &str = "webhooks";

fn feature_name(raw: &str, webhooks: bool) -> String {
    if RESERVED.contains(&raw) || (webhooks && raw == WEBHOOKS) {
        format!("{raw}_api")
    } else {
        raw.to_owned()
    }
}

/// Features of `api`, from its namespaces, tags and type graph.
pub(super) fn assign(api: &Api) -> Features {
    // Each operation's feature: its top-level namespace, or for an operation of the client
    // itself, its first tag (joining a namespace of the same name).
    let mut op_feature: Vec<(String, FeatureKind)> =
        vec![(String::new(), FeatureKind::Untagged); api.operations.len()];
    fn mark(ns: &Namespace, name: &str, accessor: &str, out: &mut [(String, FeatureKind)]) {
        for &i in &ns.operations {
            out[i] = (name.to_owned(), FeatureKind::Namespace(accessor.to_owned()));
        }
        for child in &ns.children {
            mark(child, name, accessor, out);
        }
    }
    let webhooks = !api.webhooks.is_empty();
    let mut namespaces = std::collections::BTreeMap::new();
    for child in &api.root.children {
        let name = feature_name(&child.rust_name, webhooks);
        mark(child, &name, &child.rust_name, &mut op_feature);
        namespaces.insert(name, child.rust_name.clone());
    }
    for &i in &api.root.operations {
        op_feature[i] = match api.operations[i].tag.as_deref().map(snake) {
            Some(tag) if !tag.is_empty() => {
                let name = feature_name(&tag, webhooks);
                match namespaces.get(&name) {
                    Some(accessor) => (name, FeatureKind::Namespace(accessor.clone())),
                    None => (
                        name,
                        FeatureKind::Tag(api.operations[i].tag.clone().unwrap_or_default()),
                    ),
                }
            }
            _ => (feature_name(UNTAGGED, webhooks), FeatureKind::Untagged),
        };
    }
    let mut list: Vec<ApiFeature> = Vec::new();
    let mut by_name: BTreeMap<String, (FeatureKind, usize)> = BTreeMap::new();
    for (name, kind) in &op_feature {
        by_name.entry(name.clone()).or_insert((kind.clone(), 0)).1 += 1;
    }

    let n = api.types.len();
    let mut sent = vec![false; n];
    let mut received = vec![false; n];
    // Walked per direction, so that a type one feature both sends and receives has everything
    // below it marked both ways.
    let mut reached_out: Vec<std::collections::BTreeSet<String>> = vec![Default::default(); n];
    let mut reached_in: Vec<std::collections::BTreeSet<String>> = vec![Default::default(); n];
    for (i, op) in api.operations.iter().enumerate() {
        let name = &op_feature[i].0;
        let mut out_types: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
        out_types.extend(op.body.as_ref().map(|b| &b.ty));
        let in_types: Vec<&TypeRef> = op
            .success
            .iter()
            .chain(&op.errors)
            .filter_map(|(_, k)| match k {
                ResponseKind::Json(t) => Some(t),
                _ => None,
            })
            .chain(&op.events)
            .chain(op.items.as_ref().map(|s| &s.item))
            .collect();
        walk(api, out_types.iter().copied(), |t| {
            sent[t] = true;
            reached_out[t].insert(name.clone())
        });
        walk(api, in_types.iter().copied(), |t| {
            received[t] = true;
            reached_in[t].insert(name.clone())
        });
    }
    // Webhook payloads are received, by the `webhooks` feature.
    if webhooks {
        by_name.insert(WEBHOOKS.to_owned(), (FeatureKind::Webhooks, 0));
        walk(api, api.webhooks.iter().map(|w| &w.payload), |t| {
            received[t] = true;
            reached_in[t].insert(WEBHOOKS.to_owned())
        });
    }
    let mut reached: Vec<std::collections::BTreeSet<String>> = reached_out;
    for (all, incoming) in reached.iter_mut().zip(reached_in) {
        all.extend(incoming);
    }
    // Schemas no operation reaches are a feature of their own. A consumer reads them by hand
    // (webhook payloads, mostly), so they get `Deserialize`; `serde-all` adds `Serialize`.
    // Webhook payloads are among them too, beside the `webhooks` feature: a crate that used
    // them under `extra-types` before its API's webhooks were typed keeps them there.
    let extra: Vec<TypeRef> = (0..n)
        .filter(|&t| reached[t].iter().all(|f| f == WEBHOOKS))
        .map(TypeRef::Named)
        .collect();
    if !extra.is_empty() {
        let name = "extra-types".to_owned();
        by_name.insert(name.clone(), (FeatureKind::ExtraTypes, 0));
        walk(api, extra.iter(), |t| {
            received[t] = true;
            reached[t].insert(name.clone())
        });
    }
    for (name, (kind, operations)) in by_name {
        list.push(ApiFeature {
            name,
            kind,
            operations,
        });
    }
    let index: BTreeMap<&str, usize> = list
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    let operation: Vec<usize> = op_feature.iter().map(|(n, _)| index[n.as_str()]).collect();
    let types: Vec<Vec<usize>> = reached
        .iter()
        .map(|names| names.iter().map(|n| index[n.as_str()]).collect())
        .collect();
    let mut error_variants = vec![Vec::new(); api.error_variants.len()];
    let mut error_decoders = vec![Vec::new(); api.error_decoders.len()];
    for (i, op) in api.operations.iter().enumerate() {
        let f = operation[i];
        if let Some(decoder) = api.error_decoders.get(op.error_decoder) {
            error_decoders[op.error_decoder].push(f);
            for (_, v) in decoder {
                if let Some(v) = v {
                    error_variants[*v].push(f);
                }
            }
        }
    }
    for set in error_variants.iter_mut().chain(error_decoders.iter_mut()) {
        set.sort_unstable();
        set.dedup();
    }
    Features {
        list,
        operation,
        types,
        sent,
        received,
        error_variants,
        error_decoders,
    }
}

/// Calls `visit` on every named type reachable from `roots`; `visit` returns whether the type
/// is newly marked, and only then is it walked further.
fn walk<'t>(
    api: &Api,
    roots: impl Iterator<Item = &'t TypeRef>,
    mut visit: impl FnMut(usize) -> bool,
) {
    let mut stack: Vec<&TypeRef> = roots.collect();
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Named(i) => {
                if !visit(*i) {
                    continue;
                }
                match &api.types[*i].kind {
                    TypeKind::Struct {
                        fields, additional, ..
                    } => {
                        stack.extend(fields.iter().map(|f| &f.ty));
                        stack.extend(additional.iter());
                    }
                    TypeKind::Union { variants, .. } => {
                        stack.extend(variants.iter().map(|v| &v.ty))
                    }
                    TypeKind::Alias(t) => stack.push(t),
                    TypeKind::Enum { .. } => {}
                }
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                stack.push(inner)
            }
            _ => {}
        }
    }
}
