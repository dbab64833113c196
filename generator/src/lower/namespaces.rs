//! Namespaces from operationIds: `client.organizations().members().get_connected_apps(..)`.

use super::*;

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

/// Claims an operation's type name (`GetBuilder`), prefixed with its namespace path
/// (`UsersGetBuilder`) when another operation already has the short one.
pub(super) fn claim_in_namespace(type_names: &mut Scope, path: &[String], base: String) -> String {
    if type_names.is_taken(&base) {
        let prefixed: String = path.iter().map(|s| pascal(s)).collect::<String>() + &base;
        type_names.claim(prefixed)
    } else {
        type_names.claim(base)
    }
}

/// Builds the namespace tree from operation ids (see [`split_operation_id`]).
pub(super) fn build_namespaces(ops: &mut [Operation], type_names: &mut Scope) -> Namespace {
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
    // Child namespaces first, so that their accessor names are claimed before methods.
    pub(super) fn insert(
        ns: &mut Namespace,
        prefix: &mut Vec<String>,
        rest: &[String],
        type_names: &mut Scope,
    ) {
        let Some((first, tail)) = rest.split_first() else {
            return;
        };
        let accessor = snake(first);
        prefix.push(first.clone());
        let pos = match ns.children.iter().position(|c| c.rust_name == accessor) {
            Some(p) => p,
            None => {
                // Cased as one name, so that a keyword segment (`self`) is escaped only when
                // it stands alone: `SelfApi`, not `Self_Api`.
                let words = prefix.join(" ");
                let base = pascal(&words);
                let type_name = if type_names.is_taken(&base) {
                    type_names.claim(pascal(&format!("{words} api")))
                } else {
                    type_names.claim(base)
                };
                ns.children.push(Namespace {
                    rust_name: accessor,
                    type_name,
                    ..Namespace::default()
                });
                ns.children.len() - 1
            }
        };
        insert(&mut ns.children[pos], prefix, tail, type_names);
        prefix.pop();
    }
    for path in &paths {
        insert(&mut root, &mut Vec::new(), path, type_names);
    }
    pub(super) fn find<'n>(ns: &'n mut Namespace, path: &[String]) -> &'n mut Namespace {
        match path.split_first() {
            None => ns,
            Some((first, tail)) => {
                let accessor = snake(first);
                let pos = ns
                    .children
                    .iter()
                    .position(|c| c.rust_name == accessor)
                    .unwrap_or(0);
                find(&mut ns.children[pos], tail)
            }
        }
    }
    let mut scopes: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
    for (i, op) in ops.iter_mut().enumerate() {
        let path = &paths[i];
        let ns = find(&mut root, path);
        let scope = scopes.entry(path.clone()).or_insert_with(|| {
            let names: Vec<&str> = ns.children.iter().map(|c| c.rust_name.as_str()).collect();
            Scope::with_reserved(&names)
        });
        let last = methods[i].clone();
        op.method_name = scope.claim(snake(&last));
        let base = pascal(&format!("{} builder", op.method_name));
        op.builder_name = claim_in_namespace(type_names, path, base);
        if needs_success_enum(&op.success) {
            let base = format!("{}Response", pascal(&op.method_name));
            op.success_enum = Some(claim_in_namespace(type_names, path, base));
        }
        ns.operations.push(i);
    }
    root
}
