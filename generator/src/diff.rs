//! `clientgen diff`: what changes for a consumer of the generated crate between two API
//! descriptions.
//!
//! Both descriptions are lowered to the IR, and each IR is flattened into its public Rust
//! surface: calls, builder methods, `send` return types, types, fields, variants, the
//! constructor and the default server, each keyed by the Rust path a consumer writes, with a
//! signature and the JSON pointer it came from. The two surfaces are compared key by key, so a
//! renamed schema is what it is for a consumer: one type removed and one added.
//!
//! What counts as breaking follows what the generated code lets a consumer do with an item.
//! Every struct and enum is `#[non_exhaustive]` and structs are built with
//! `Type::new(required..)` plus setters, so an addition (a call, a builder method, a field, a
//! variant, a type) breaks nobody; a removal, or a changed signature (a new required argument
//! of a call or of `Type::new`, a field's type) does.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::emit;
use crate::model::*;

/// One item of the public surface.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    /// What it is, for people: `call`, `builder method`, `field`, ...
    what: &'static str,
    /// Its signature or value; a change here changes the consumer's code.
    sig: String,
    /// Where it comes from in the description.
    pointer: String,
    /// Its documentation; a change here changes nothing a consumer compiles.
    doc: Option<String>,
}

/// Added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// In the new description only.
    Added,
    /// In the old description only.
    Removed,
    /// In both, with a different signature.
    Changed,
}

/// One change in the generated crate's public API.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// What the item is: `call`, `builder method`, `send return type`, `type`, `field`, ...
    pub what: String,
    /// The Rust path a consumer writes (`client.users().search(..).cursor(..)`,
    /// `types::Member.status`).
    pub item: String,
    /// The old signature.
    pub old: Option<String>,
    /// The new signature.
    pub new: Option<String>,
    /// JSON pointer in the old description.
    pub old_pointer: Option<String>,
    /// JSON pointer in the new description.
    pub new_pointer: Option<String>,
    /// Whether consumer code that compiled before may not compile, or mean something else.
    pub breaking: bool,
    /// Why it is breaking, when it is.
    pub reason: Option<String>,
}

/// The semver bump a set of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Documentation only, or nothing.
    Patch,
    /// Additions only.
    Minor,
    /// Something breaks.
    Major,
}

/// Everything `diff` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Changes, breaking ones first, each group in item order.
    pub changes: Vec<Change>,
    /// How many items changed only their documentation.
    pub doc_changes: usize,
}

impl Report {
    /// Whether anything breaks consumers.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    /// The bump for a crate at 1.0 or later.
    pub fn bump(&self) -> Bump {
        if self.is_breaking() {
            Bump::Major
        } else if !self.changes.is_empty() {
            Bump::Minor
        } else {
            Bump::Patch
        }
    }

    /// The next version of a crate now at `version`, as Cargo reads semver: before 1.0, a
    /// breaking change bumps the minor number and anything else the patch number.
    pub fn next_version(&self, version: &str) -> Option<String> {
        let mut parts = version.split('-').next()?.split('.');
        let (major, minor, patch): (u64, u64, u64) = (
            parts.next()?.parse().ok()?,
            parts.next()?.parse().ok()?,
            parts.next()?.parse().ok()?,
        );
        let bump = self.bump();
        Some(match (major, bump) {
            (0, Bump::Major) => format!("0.{}.0", minor + 1),
            (0, _) => format!("0.{minor}.{}", patch + 1),
            (_, Bump::Major) => format!("{}.0.0", major + 1),
            (_, Bump::Minor) => format!("{major}.{}.0", minor + 1),
            (_, Bump::Patch) => format!("{major}.{minor}.{}", patch + 1),
        })
    }

    /// The breaking changes, or the additive ones, in report order.
    fn group(&self, breaking: bool) -> Vec<&Change> {
        self.changes
            .iter()
            .filter(|c| c.breaking == breaking)
            .collect()
    }

    /// A report for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.summary());
        for (title, breaking, mark) in [("breaking", true, '-'), ("additive", false, '+')] {
            let group = self.group(breaking);
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title}:");
            for c in group {
                let _ = writeln!(out, "  {mark} {}", c.sentence());
                if let Some(p) = &c.old_pointer {
                    let _ = writeln!(out, "      old: {p}");
                }
                if let Some(p) = &c.new_pointer {
                    let _ = writeln!(out, "      new: {p}");
                }
                if let Some(r) = &c.reason {
                    let _ = writeln!(out, "      why: {r}");
                }
            }
        }
        out
    }

    /// A report for a pull request or a CHANGELOG entry.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("## API changes\n\n");
        let _ = writeln!(out, "{}", self.summary());
        for (title, breaking) in [("Breaking", true), ("Additive", false)] {
            let group = self.group(breaking);
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title}\n");
            for c in group {
                let pointers = [
                    c.old_pointer.as_ref().map(|p| format!("old `{p}`")),
                    c.new_pointer.as_ref().map(|p| format!("new `{p}`")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                let reason = c
                    .reason
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                let _ = writeln!(out, "- {}{reason}; {pointers}", c.sentence_markdown());
            }
        }
        out
    }

    /// A report for tools.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            breaking: bool,
            bump: Bump,
            changes: &'a [Change],
            doc_changes: usize,
        }
        serde_json::to_string_pretty(&Json {
            breaking: self.is_breaking(),
            bump: self.bump(),
            changes: &self.changes,
            doc_changes: self.doc_changes,
        })
        .unwrap_or_default()
    }

    fn summary(&self) -> String {
        let breaking = self.changes.iter().filter(|c| c.breaking).count();
        let additive = self.changes.len() - breaking;
        let bump = match self.bump() {
            Bump::Major => "semver: major (minor while the crate is 0.x)",
            Bump::Minor => "semver: minor (patch while the crate is 0.x)",
            Bump::Patch => "semver: patch",
        };
        let docs = match self.doc_changes {
            0 => String::new(),
            1 => "; documentation changed on 1 item".to_owned(),
            n => format!("; documentation changed on {n} items"),
        };
        format!("{breaking} breaking, {additive} additive{docs}; {bump}")
    }
}

impl Change {
    fn sentence(&self) -> String {
        self.describe(|s| s.to_owned(), "->")
    }

    fn sentence_markdown(&self) -> String {
        self.describe(|s| format!("`{s}`"), "→")
    }

    /// `added call `x`: sig`, with signatures written by `code` and `arrow` between the old
    /// and the new one.
    fn describe(&self, code: impl Fn(&str) -> String, arrow: &str) -> String {
        match (self.kind, &self.old, &self.new) {
            (ChangeKind::Added, _, Some(new)) => {
                format!("added {} `{}`: {}", self.what, self.item, code(new))
            }
            (ChangeKind::Removed, Some(old), _) => {
                format!("removed {} `{}`: {}", self.what, self.item, code(old))
            }
            (_, Some(old), Some(new)) => format!(
                "changed {} `{}`: {} {arrow} {}",
                self.what,
                self.item,
                code(old),
                code(new)
            ),
            _ => format!("{:?} {} `{}`", self.kind, self.what, self.item),
        }
    }
}

/// Compares two lowered descriptions as a consumer of the generated crate sees them.
pub fn diff(old: &Api, new: &Api) -> Report {
    let old_items = surface(old);
    let new_items = surface(new);
    let mut changes = Vec::new();
    let mut doc_changes = 0;
    for (key, o) in &old_items {
        match new_items.get(key) {
            None => changes.push(Change {
                kind: ChangeKind::Removed,
                what: o.what.into(),
                item: key.clone(),
                old: Some(o.sig.clone()),
                new: None,
                old_pointer: Some(o.pointer.clone()),
                new_pointer: None,
                breaking: true,
                reason: Some("code that uses it no longer compiles".into()),
            }),
            Some(n) if n.sig != o.sig || n.what != o.what => changes.push(Change {
                kind: ChangeKind::Changed,
                what: n.what.into(),
                item: key.clone(),
                old: Some(o.sig.clone()),
                new: Some(n.sig.clone()),
                old_pointer: Some(o.pointer.clone()),
                new_pointer: Some(n.pointer.clone()),
                // Another HTTP method compiles as before: the call sends it, and is retried
                // as that method allows.
                breaking: n.what != "http method",
                reason: Some(changed_reason(n.what).into()),
            }),
            Some(n) => {
                if n.doc != o.doc {
                    doc_changes += 1;
                }
            }
        }
    }
    for (key, n) in &new_items {
        if !old_items.contains_key(key) {
            changes.push(Change {
                kind: ChangeKind::Added,
                what: n.what.into(),
                item: key.clone(),
                old: None,
                new: Some(n.sig.clone()),
                old_pointer: None,
                new_pointer: Some(n.pointer.clone()),
                breaking: false,
                reason: None,
            });
        }
    }
    // A member of an item that is itself added or removed says nothing more: fold it in.
    let whole: std::collections::BTreeSet<String> = changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Changed)
        .map(|c| c.item.clone())
        .collect();
    changes.retain(|c| {
        c.kind == ChangeKind::Changed || !container(&c.item).is_some_and(|k| whole.contains(k))
    });
    changes.sort_by(|a, b| (!a.breaking, &a.item, a.kind).cmp(&(!b.breaking, &b.item, b.kind)));
    Report {
        changes,
        doc_changes,
    }
}

fn changed_reason(what: &str) -> &'static str {
    match what {
        "call" => "its arguments or builder changed",
        "send return type" => "the type `send()` returns changed",
        "field" => "the field's type changed",
        "type" => "the kind of type changed",
        "default server" => "requests go to another URL unless a base URL is set",
        "constructor" => "the constructor takes other arguments",
        "http method" => {
            "the call compiles as before; it sends the other method, retried as that method allows"
        }
        _ => "its signature changed",
    }
}

/// The item a member belongs to: `types::A` for `types::A.f` and `types::A::V`, the call
/// for a builder method.
fn container(key: &str) -> Option<&str> {
    if let Some(call) = key.strip_suffix(" http method") {
        return Some(call);
    }
    if let Some(rest) = key.strip_prefix("types::") {
        let end = rest.find(['.', ':']).map(|i| i + "types::".len())?;
        return Some(&key[..end]);
    }
    key.find("(..).").map(|i| &key[..i + 4])
}

/// The public surface of the crate generated from `api`.
fn surface(api: &Api) -> BTreeMap<String, Item> {
    let mut items = BTreeMap::new();
    let mut add = |key: String, item: Item| {
        items.entry(key).or_insert(item);
    };
    let plain = |what: &'static str, sig: String, pointer: &str, doc: Option<&String>| Item {
        what,
        sig,
        pointer: pointer.to_owned(),
        doc: doc.cloned(),
    };
    let ty = |t: &TypeRef| emit::type_text(api, t);

    // The client: its credentials and default server.
    let credentials = api
        .constructor_scheme
        .and_then(|i| api.schemes.get(i))
        .map(|s| s.credentials.join(", "))
        .unwrap_or_default();
    add(
        "Client::new".into(),
        plain(
            "constructor",
            format!("({credentials})"),
            "#/security",
            None,
        ),
    );
    if let Some(first) = api
        .servers
        .iter()
        .find(|s| s.select.is_none())
        .or(api.servers.first())
    {
        add(
            "Client default server".into(),
            plain("default server", first.url.clone(), "#/servers/0", None),
        );
    }
    for s in &api.schemes {
        add(
            format!("ClientBuilder::{}", s.rust_name),
            plain(
                "credential setter",
                format!("{:?}", s.kind),
                &format!("#/components/securitySchemes/{}", s.key),
                s.description.as_ref(),
            ),
        );
    }

    // Calls, by the path a consumer writes.
    let mut calls: Vec<(String, usize)> = Vec::new();
    walk(&api.root, "client", &mut calls);
    for (prefix, i) in calls {
        let op = &api.operations[i];
        let call = format!("{prefix}.{}(..)", op.method_name);
        let mut args = Vec::new();
        for p in op.params.iter().filter(|p| p.required) {
            args.push(format!("{}: {}", p.rust_name, param_sig(api, p)));
        }
        if let Some(b) = op.body.as_ref().filter(|b| b.required && !b.defaultable) {
            args.push(format!("body: {}", body_sig(api, b)));
        }
        for f in op.body.iter().flat_map(|b| &b.files).filter(|f| f.required) {
            args.push(format!("{0}_file_name: String, {0}: bytes", f.rust_name));
        }
        let doc = [op.summary.as_deref(), op.description.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
        add(
            call.clone(),
            plain(
                "call",
                format!("({})", args.join(", ")),
                &op.pointer,
                Some(&doc),
            ),
        );
        for p in op.params.iter().filter(|p| !p.required) {
            add(
                format!("{call}.{}(..)", p.rust_name),
                plain(
                    "builder method",
                    format!("({})", param_sig(api, p)),
                    &op.pointer,
                    p.description.as_ref(),
                ),
            );
        }
        if let Some(b) = op.body.as_ref().filter(|b| !b.required || b.defaultable) {
            add(
                format!("{call}.body(..)"),
                plain(
                    "builder method",
                    format!("({})", body_sig(api, b)),
                    &format!("{}/requestBody", op.pointer),
                    None,
                ),
            );
        }
        for f in op
            .body
            .iter()
            .flat_map(|b| &b.files)
            .filter(|f| !f.required)
        {
            add(
                format!("{call}.{}(..)", f.rust_name),
                plain(
                    "builder method",
                    "(file_name, bytes)".into(),
                    &format!("{}/requestBody", op.pointer),
                    f.description.as_ref(),
                ),
            );
        }
        let ret = emit::success_type(api, op).to_string().replace(' ', "");
        // The streams beside `send()`: pages and items of a paginated operation, events and
        // the streamed body.
        if let Some(p) = &op.pagination {
            add(
                format!("{call}.pages()"),
                plain("builder method", format!("Pages<{ret}>"), &op.pointer, None),
            );
            if let Some(items) = &p.items {
                add(
                    format!("{call}.items()"),
                    plain(
                        "builder method",
                        format!("Items<{}>", emit::type_text(api, &items.item)),
                        &op.pointer,
                        None,
                    ),
                );
            }
        }
        if let Some(events) = &op.events {
            add(
                format!("{call}.send_events()"),
                plain(
                    "builder method",
                    format!("EventStream<{}>", emit::type_text(api, events)),
                    &op.pointer,
                    None,
                ),
            );
        }
        if let Some(sequence) = &op.items {
            add(
                format!("{call}.send_items()"),
                plain(
                    "builder method",
                    format!("JsonStream<{}>", emit::type_text(api, &sequence.item)),
                    &op.pointer,
                    None,
                ),
            );
        }
        // The method the call sends: a call that moves to another (POST to OpenAPI 3.2's
        // QUERY, say) compiles as before but is retried differently.
        add(
            format!("{call} http method"),
            plain(
                "http method",
                op.method.as_str().to_owned(),
                &op.pointer,
                None,
            ),
        );
        if emit::streams_body(op) {
            add(
                format!("{call}.send_stream()"),
                plain("builder method", "ByteStream".into(), &op.pointer, None),
            );
        }
        add(
            format!("{call}.send()"),
            plain(
                "send return type",
                format!("Result<{ret}, Error>"),
                &op.pointer,
                None,
            ),
        );
        if let Some(name) = &op.success_enum {
            for (status, _) in &op.success {
                add(
                    format!("types::{name}::{}", emit::status_variant(*status)),
                    plain("variant", emit::status_variant(*status), &op.pointer, None),
                );
            }
        }
    }

    // Types.
    for t in &api.types {
        let key = format!("types::{}", t.name);
        let doc = t.description.as_ref();
        match &t.kind {
            TypeKind::Struct { fields, additional } => {
                add(key.clone(), plain("type", "struct".into(), &t.pointer, doc));
                // Structs are built with `new(required..)` (a type only responses carry, with
                // the `mock` feature, for tests); a new required property changes its
                // arguments.
                let args: Vec<String> = fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| format!("{}: {}", f.rust_name, field_sig(api, f)))
                    .collect();
                add(
                    format!("{key}::new"),
                    plain(
                        "constructor",
                        format!("({})", args.join(", ")),
                        &t.pointer,
                        None,
                    ),
                );
                for f in fields {
                    add(
                        format!("{key}.{}", f.rust_name),
                        plain(
                            "field",
                            field_sig(api, f),
                            &format!(
                                "{}/properties/{}",
                                t.pointer,
                                crate::diag::escape_token(&f.wire_name)
                            ),
                            f.description.as_ref(),
                        ),
                    );
                }
                if let Some(extra) = additional {
                    add(
                        format!("{key}.additional_properties"),
                        plain(
                            "field",
                            format!("BTreeMap<String,{}>", ty(extra)),
                            &format!("{}/additionalProperties", t.pointer),
                            None,
                        ),
                    );
                }
            }
            TypeKind::Enum { variants } => {
                add(key.clone(), plain("type", "enum".into(), &t.pointer, doc));
                for v in variants {
                    add(
                        format!("{key}::{}", v.rust_name),
                        plain(
                            "variant",
                            format!("{:?}", v.wire),
                            &format!("{}/enum", t.pointer),
                            None,
                        ),
                    );
                }
            }
            TypeKind::Union { variants, tag } => {
                let kind = match tag {
                    Some(tag) => format!("union tagged by {tag:?}"),
                    None => "union".into(),
                };
                add(key.clone(), plain("type", kind, &t.pointer, doc));
                for v in variants {
                    let mut sig = ty(&v.ty);
                    if v.boxed {
                        sig = format!("Box<{sig}>");
                    }
                    if let Some(tag) = &v.tag_value {
                        sig = format!("{sig} when {tag:?}");
                    }
                    add(
                        format!("{key}::{}", v.rust_name),
                        plain("variant", sig, &t.pointer, None),
                    );
                }
            }
            TypeKind::Alias(target) => {
                add(
                    key,
                    plain("type", format!("= {}", ty(target)), &t.pointer, doc),
                );
            }
        }
    }
    for v in &api.error_variants {
        add(
            format!("types::ErrorBody::{}", v.rust_name),
            plain("error variant", ty(&v.ty), "#/paths", None),
        );
    }
    items
}

/// A field's Rust type as declared.
fn field_sig(api: &Api, f: &Field) -> String {
    let mut sig = emit::type_text(api, &f.ty);
    if f.boxed {
        sig = format!("Box<{sig}>");
    }
    match (f.required, f.nullable) {
        (true, false) => sig,
        (true, true) | (false, false) => format!("Option<{sig}>"),
        (false, true) => format!("Option<Option<{sig}>>"),
    }
}

fn param_sig(api: &Api, p: &Param) -> String {
    let (_, arg, _) = emit::param_types(api, p);
    let sig = arg
        .to_string()
        .replace(' ', "")
        .replace("implInto", "impl Into");
    match p.location {
        // The same type as a query parameter or as the whole query string sends other URLs.
        ParamLocation::QueryString(encoding) => format!("{sig} as the query string ({encoding:?})"),
        _ => sig,
    }
}

fn body_sig(api: &Api, b: &Body) -> String {
    emit::body_field_type(api, b).to_string().replace(' ', "")
}

/// Every operation with the accessor path that reaches it (`client.organizations().members()`).
fn walk(ns: &Namespace, prefix: &str, out: &mut Vec<(String, usize)>) {
    for &i in &ns.operations {
        out.push((prefix.to_owned(), i));
    }
    for child in &ns.children {
        walk(child, &format!("{prefix}.{}()", child.rust_name), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(text: &str) -> Api {
        crate::lower_text(text).expect("lowers").0
    }

    const BASE: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /pets:
    get:
      operationId: pets.list
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
    post:
      operationId: pets.create
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/NewPet"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string}
        kind: {$ref: "#/components/schemas/Kind"}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Kind: {type: string, enum: [cat, dog]}
"##;

    fn changes(old: &str, new: &str) -> Vec<(ChangeKind, String, bool)> {
        diff(&api(old), &api(new))
            .changes
            .into_iter()
            .map(|c| (c.kind, c.item, c.breaking))
            .collect()
    }

    #[test]
    fn the_same_description_has_no_changes() {
        let report = diff(&api(BASE), &api(BASE));
        assert!(report.changes.is_empty());
        assert_eq!(report.bump(), Bump::Patch);
        assert_eq!(report.next_version("0.3.1").as_deref(), Some("0.3.2"));
    }

    #[test]
    fn additions_that_break_nobody_are_additive() {
        let new = BASE
            .replace(
                "        - {name: limit, in: query, schema: {type: integer}}",
                "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: cursor, in: query, schema: {type: string}}",
            )
            .replace(
                "        id: {type: string}\n",
                "        id: {type: string}\n        age: {type: integer}\n",
            )
            .replace(
                "components:",
                "  /toys:\n    get:\n      operationId: toys.list\n      responses:\n        \"204\": {description: none}\ncomponents:",
            );
        let found = changes(BASE, &new);
        assert_eq!(
            found,
            [
                (
                    ChangeKind::Added,
                    "client.pets().list(..).cursor(..)".into(),
                    false
                ),
                // The new call's `send()` is folded into it.
                (ChangeKind::Added, "client.toys().list(..)".into(), false),
                (ChangeKind::Added, "types::Pet.age".into(), false),
            ],
            "{found:#?}"
        );
        let report = diff(&api(BASE), &api(&new));
        assert_eq!(report.bump(), Bump::Minor);
        assert_eq!(report.next_version("0.3.1").as_deref(), Some("0.3.2"));
        assert_eq!(report.next_version("1.3.1").as_deref(), Some("1.4.0"));
    }

    #[test]
    fn removals_type_changes_and_new_required_things_break() {
        let new = BASE
            .replace("        id: {type: string}\n", "        id: {type: integer}\n")
            .replace(
                "      required: [name]\n      properties:\n        name: {type: string}\n",
                "      required: [name, owner]\n      properties:\n        name: {type: string}\n        owner: {type: string}\n",
            )
            .replace("[cat, dog]", "[cat, dog, bird]")
            .replace("        - {name: limit, in: query, schema: {type: integer}}\n", "        - {name: limit, in: query, required: true, schema: {type: integer}}\n");
        let report = diff(&api(BASE), &api(&new));
        let found: Vec<(ChangeKind, String, bool)> = report
            .changes
            .iter()
            .map(|c| (c.kind, c.item.clone(), c.breaking))
            .collect();
        assert_eq!(
            found,
            [
                (ChangeKind::Changed, "client.pets().list(..)".into(), true),
                (
                    ChangeKind::Removed,
                    "client.pets().list(..).limit(..)".into(),
                    true
                ),
                (ChangeKind::Changed, "types::NewPet::new".into(), true),
                (ChangeKind::Changed, "types::Pet.id".into(), true),
                // Every struct has a constructor, a response's too: its argument changed.
                (ChangeKind::Changed, "types::Pet::new".into(), true),
                // Additions to `#[non_exhaustive]` types break nobody.
                (ChangeKind::Added, "types::Kind::Bird".into(), false),
                (ChangeKind::Added, "types::NewPet.owner".into(), false),
            ],
            "{found:#?}"
        );
        let id = &report.changes[3];
        assert_eq!(id.old.as_deref(), Some("String"));
        assert_eq!(id.new.as_deref(), Some("i64"));
        assert_eq!(
            id.new_pointer.as_deref(),
            Some("#/components/schemas/Pet/properties/id")
        );
        assert_eq!(report.bump(), Bump::Major);
        assert_eq!(report.next_version("0.3.1").as_deref(), Some("0.4.0"));
        assert_eq!(report.next_version("2.3.1").as_deref(), Some("3.0.0"));
        assert!(
            report
                .to_text()
                .starts_with("5 breaking, 2 additive; semver: major")
        );
        assert!(report.to_markdown().contains("### Breaking"));
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
        assert_eq!(json["breaking"], true);
        assert_eq!(
            json["changes"][3]["old_pointer"],
            "#/components/schemas/Pet/properties/id"
        );
    }

    /// The OpenAPI 3.2 constructs as a consumer sees them: a call that moves from POST to
    /// QUERY, a query parameter that becomes the whole query string, JSON items, and a call
    /// that nested tags move into a namespace.
    #[test]
    fn openapi_32_constructs_are_compared() {
        let old = r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /books/search:
    post:
      operationId: search
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /authors:
    get:
      operationId: authors
      tags: [authors]
      parameters:
        - {name: filter, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}
"##;
        let new = r##"
openapi: 3.2.0
info: {title: t, version: "1"}
tags: [{name: catalog}, {name: authors, parent: catalog}]
paths:
  /books/search:
    query:
      operationId: search
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /authors:
    get:
      operationId: authors
      tags: [authors]
      parameters:
        - {name: filter, in: querystring, content: {text/plain: {schema: {type: string}}}}
      responses:
        "200": {description: ok, content: {application/x-ndjson: {itemSchema: {type: string}}}}
"##;
        let report = diff(&api(old), &api(new));
        let found: Vec<(ChangeKind, &str, bool, Option<&str>)> = report
            .changes
            .iter()
            .map(|c| (c.kind, c.item.as_str(), c.breaking, c.new.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (ChangeKind::Removed, "client.authors(..)", true, None),
                (
                    ChangeKind::Added,
                    "client.catalog().authors().authors(..)",
                    false,
                    Some("()")
                ),
                (
                    ChangeKind::Changed,
                    "client.search(..) http method",
                    false,
                    Some("QUERY")
                ),
            ],
            "{found:#?}"
        );
        // The same call in both, its parameter and response changed.
        let moved = new.replace(
            "tags: [{name: catalog}, {name: authors, parent: catalog}]",
            "",
        );
        let report = diff(&api(&old.replace("3.1.0", "3.2.0")), &api(&moved));
        let found: Vec<(ChangeKind, &str, Option<&str>)> = report
            .changes
            .iter()
            .map(|c| (c.kind, c.item.as_str(), c.new.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    ChangeKind::Changed,
                    "client.authors(..).filter(..)",
                    Some("(impl Into<String> as the query string (Text))")
                ),
                (
                    ChangeKind::Changed,
                    "client.authors(..).send()",
                    Some("Result<crate::streaming::JsonStream<String>, Error>")
                ),
                (
                    ChangeKind::Added,
                    "client.authors(..).send_items()",
                    Some("JsonStream<String>")
                ),
                (
                    ChangeKind::Changed,
                    "client.search(..) http method",
                    Some("QUERY")
                ),
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn documentation_changes_are_counted_not_listed() {
        let new = BASE.replace(
            "operationId: pets.list\n",
            "operationId: pets.list\n      summary: Lists pets\n",
        );
        let report = diff(&api(BASE), &api(&new));
        assert!(report.changes.is_empty());
        assert_eq!(report.doc_changes, 1);
        assert!(report.to_text().contains("documentation changed on 1 item"));
    }
}
