//! Namespaces from operationIds: `client.organizations().members().get_connected_apps(..)`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::Diagnostics;
use crate::model::{Namespace, Operation};
use crate::naming::{Names, pascal, snake};

use super::responses::needs_success_enum;

/// Splits an operationId into namespaces and a method name. Two shapes name namespaces:
///
/// - separators: `a.b.c` and `a/b/c` put `c` under `a().b()`;
/// - a versioned snake path ending in a PascalCase verb, as Stytch's official description has
///   (`api_organization_v1_organizations_members_GetConnectedApps`): the words after the last
///   `v<N>` word are the namespaces (`organizations().members()`), or, when there are none, the
///   words between the first word and the version (`api_organization_v1_Update` →
///   `organization().update()`).
///
/// Any other id is a method on the client itself.
pub(super) fn split_operation_id(id: &str) -> (Vec<String>, String) {
    let parts: Vec<&str> = id.split(['.', '/']).filter(|s| !s.is_empty()).collect();
    if parts.len() > 1 {
        let (last, rest) = parts.split_last().expect("more than one part");
        return (
            rest.iter().map(|s| (*s).to_owned()).collect(),
            (*last).to_owned(),
        );
    }
    let words: Vec<&str> = id.split('_').collect();
    let is_version =
        |w: &&str| w.len() > 1 && w.starts_with('v') && w[1..].bytes().all(|b| b.is_ascii_digit());
    let verb_ok = words
        .last()
        .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_uppercase()));
    let snake_ok = words[..words.len().saturating_sub(1)].iter().all(|w| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if let Some(version) = words.iter().rposition(is_version) {
        if verb_ok && snake_ok && words.len() >= 3 {
            let verb = words[words.len() - 1].to_owned();
            let after = &words[version + 1..words.len() - 1];
            let namespaces = if after.is_empty() {
                &words[1.min(version)..version]
            } else {
                after
            };
            return (namespaces.iter().map(|s| (*s).to_owned()).collect(), verb);
        }
    }
    (Vec::new(), id.to_owned())
}

/// The tree of OpenAPI 3.2 nested tags: for every tag that has a `parent` or is one, the tag
/// names from the root down to it. A parent that no tag names is a root (with a warning), and
/// so is a tag whose parents lead back to it.
pub(super) fn tag_paths(raw: &Value, diags: &mut Diagnostics) -> BTreeMap<String, Vec<String>> {
    let Some(tags) = raw.get("tags").and_then(Value::as_array) else {
        return BTreeMap::new();
    };
    let names: Vec<Option<&str>> = tags
        .iter()
        .map(|t| t.get("name").and_then(Value::as_str))
        .collect();
    let mut parents: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, tag) in tags.iter().enumerate() {
        let (Some(name), Some(parent)) = (names[i], tag.get("parent").and_then(Value::as_str))
        else {
            continue;
        };
        if names.contains(&Some(parent)) {
            parents.insert(name, parent);
        } else {
            diags.warn(
                &format!("#/tags/{i}/parent"),
                format!("no tag is named `{parent}`: `{name}` is a root tag"),
            );
        }
    }
    let mut out = BTreeMap::new();
    if parents.is_empty() {
        return out;
    }
    for (i, name) in names.iter().enumerate() {
        let Some(name) = *name else { continue };
        let is_parent = parents.values().any(|p| *p == name);
        if !parents.contains_key(name) && !is_parent {
            continue;
        }
        let mut path = vec![name.to_owned()];
        let mut current = name;
        while let Some(parent) = parents.get(current) {
            if path.iter().any(|p| p == parent) {
                diags.warn(
                    &format!("#/tags/{i}/parent"),
                    format!("the parents of tag `{name}` lead back to it: the cycle is cut at `{current}`"),
                );
                break;
            }
            path.push((*parent).to_owned());
            current = parent;
        }
        path.reverse();
        out.insert(name.to_owned(), path);
    }
    out
}

/// A namespace's accessor: its segment in snake case; at the root, where it sits beside
/// `Client`'s own methods, one of those names is numbered (`new_2`).
fn accessor_name(segment: &str, at_root: bool) -> String {
    let name = snake(segment);
    let reserved = &crate::reserved::reserved().client;
    if !at_root || !reserved.contains(&name.as_str()) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}_{n}"))
        .find(|n| !reserved.contains(&n.as_str()))
        .expect("an unbounded range always yields a free name")
}

/// Builds the namespace tree from operation ids (see [`split_operation_id`]) and names what
/// it holds, each name from its own place only:
///
/// - a namespace's type is its path (`OrganizationsMembers`), or with `Api` when a schema's type
///   has that name;
/// - a method is the id's last segment; two that clash in one namespace are settled by the
///   one spelled as the method is (`get_user` over `getUser`), then by JSON pointer;
/// - a builder is the namespace path and the method (`OrganizationsMembersGetBuilder`), and a
///   success enum the same with `Response`: unique by construction, so adding an operation
///   renames none. (A name made unique only when it clashes, `GetBuilder` until a second `get`
///   arrives, is renamed by that arrival.)
pub(super) fn build_namespaces(
    ops: &mut [Operation],
    type_names: &mut Names,
    diags: &mut Diagnostics,
) -> Namespace {
    let mut root = Namespace::default();
    let mut paths: Vec<Vec<String>> = Vec::new();
    let mut methods: Vec<String> = Vec::new();
    for op in ops.iter() {
        // Namespaces from the operationId win; an id that names none takes its first tag's
        // place in a tree of nested tags.
        let (mut segments, method) = split_operation_id(&op.id);
        if segments.is_empty() {
            segments = op.tag_path.clone();
        }
        methods.push(method);
        paths.push(segments);
    }
    // Child namespaces first, so that their accessor names are known before methods. A
    // namespace's type name is its natural one until all are known.
    fn insert(ns: &mut Namespace, prefix: &mut Vec<String>, rest: &[String]) {
        let Some((first, tail)) = rest.split_first() else {
            return;
        };
        let accessor = accessor_name(first, prefix.is_empty());
        prefix.push(first.clone());
        let pos = match ns.children.iter().position(|c| c.rust_name == accessor) {
            Some(p) => p,
            None => {
                ns.children.push(Namespace {
                    rust_name: accessor,
                    // Cased as one name, so that a keyword segment (`self`) is escaped only
                    // when it stands alone: `SelfApi`, not `Self_Api`.
                    type_name: prefix.join(" "),
                    ..Namespace::default()
                });
                ns.children.len() - 1
            }
        };
        insert(&mut ns.children[pos], prefix, tail);
        prefix.pop();
    }
    for path in &paths {
        insert(&mut root, &mut Vec::new(), path);
    }
    // Namespace types: keyed by their accessor path, which is unique.
    fn collect_one<'n>(
        ns: &'n mut Namespace,
        key: String,
        out: &mut Vec<(String, &'n mut String)>,
    ) {
        let Namespace {
            type_name,
            children,
            ..
        } = ns;
        out.push((key.clone(), type_name));
        for child in children.iter_mut() {
            let key = format!("{key}.{}", child.rust_name);
            collect_one(child, key, out);
        }
    }
    let mut slots = Vec::new();
    for child in root.children.iter_mut() {
        let key = format!("client.{}", child.rust_name);
        collect_one(child, key, &mut slots);
    }
    let requests: Vec<(String, String)> = slots
        .iter()
        .map(|(key, words)| {
            let base = pascal(words);
            let natural = if type_names.is_taken(&base) {
                pascal(&format!("{words} api"))
            } else {
                base
            };
            (natural, key.clone())
        })
        .collect();
    for ((_, slot), name) in slots.into_iter().zip(type_names.settle(&requests)) {
        *slot = name;
    }
    fn find<'n>(ns: &'n mut Namespace, path: &[String], at_root: bool) -> &'n mut Namespace {
        match path.split_first() {
            None => ns,
            Some((first, tail)) => {
                let accessor = accessor_name(first, at_root);
                let pos = ns
                    .children
                    .iter()
                    .position(|c| c.rust_name == accessor)
                    .unwrap_or(0);
                find(&mut ns.children[pos], tail, false)
            }
        }
    }
    // Methods, settled per namespace; the accessors of child namespaces are taken.
    let mut members: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for (i, path) in paths.iter().enumerate() {
        let accessors: Vec<String> = path
            .iter()
            .enumerate()
            .map(|(depth, s)| accessor_name(s, depth == 0))
            .collect();
        members.entry(accessors).or_default().push(i);
    }
    for indices in members.values() {
        let ns = find(&mut root, &paths[indices[0]], true);
        let mut taken: Vec<&str> = ns.children.iter().map(|c| c.rust_name.as_str()).collect();
        // At the root, methods sit beside `Client`'s own.
        if paths[indices[0]].is_empty() {
            taken.extend(crate::reserved::reserved().client.iter().copied());
        }
        let mut scope = Names::with_reserved(&taken);
        let requests: Vec<(String, String)> = indices
            .iter()
            .map(|&i| {
                let natural = snake(&methods[i]);
                let exact = if natural == methods[i] { '0' } else { '1' };
                (natural, format!("{exact}{}", ops[i].pointer))
            })
            .collect();
        for (&i, name) in indices.iter().zip(scope.settle(&requests)) {
            // A method renamed for one of `Client`'s own: the call a reader of the
            // description looks for is not there, so say where it went.
            let natural = snake(&methods[i]);
            if paths[i].is_empty()
                && name != natural
                && crate::reserved::reserved()
                    .client
                    .contains(&natural.as_str())
            {
                diags.warn(
                    &ops[i].pointer,
                    format!("`{natural}` is a method of `Client` already: this operation is `client.{name}(..)`"),
                );
            }
            ops[i].method_name = name;
        }
    }
    // The same for a namespace at the root, once, at its first operation.
    let mut told = std::collections::BTreeSet::new();
    for (i, path) in paths.iter().enumerate() {
        let Some(first) = path.first() else {
            continue;
        };
        let (natural, accessor) = (snake(first), accessor_name(first, true));
        if natural != accessor && told.insert(accessor.clone()) {
            diags.warn(
                &ops[i].pointer,
                format!("`{natural}` is a method of `Client` already: this namespace is `client.{accessor}()`"),
            );
        }
    }
    // Builders and success enums: the namespace path and the method.
    let mut requests = Vec::new();
    let mut slots = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        // Cased as one name, so that a keyword segment is escaped only when it stands alone.
        let words = paths[i]
            .iter()
            .chain(std::iter::once(&op.method_name))
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        requests.push((pascal(&format!("{words} builder")), op.pointer.clone()));
        slots.push((i, false));
        if needs_success_enum(&op.success) {
            requests.push((pascal(&format!("{words} response")), op.pointer.clone()));
            slots.push((i, true));
        }
    }
    for ((i, is_enum), name) in slots.into_iter().zip(type_names.settle(&requests)) {
        if is_enum {
            ops[i].success_enum = Some(name);
        } else {
            ops[i].builder_name = name;
        }
    }
    for (i, path) in paths.iter().enumerate() {
        find(&mut root, path, true).operations.push(i);
        ops[i].accessors = path
            .iter()
            .enumerate()
            .map(|(depth, s)| accessor_name(s, depth == 0))
            .collect();
    }
    root
}
