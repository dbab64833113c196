//! `clientgen diff`: what changes for a consumer of the generated crate between two API
//! descriptions.
//!
//! Both descriptions are lowered to the IR, and each IR's public surface ([`Surface`]: calls,
//! builder methods, `send` return types, types, fields, variants, the constructor and the
//! default server, each keyed by the Rust path a consumer writes, with a signature and the
//! JSON pointer it came from) is compared key by key, so a renamed schema is what it is for a
//! consumer: one type removed and one added. Names and signatures come from the surface, as
//! the emitted code's do: nothing here derives a name.
//!
//! What counts as breaking follows what the generated code lets a consumer do with an item.
//! Every struct and enum is `#[non_exhaustive]` and structs are built with
//! `Type::new(required..)` plus setters, so an addition (a call, a builder method, a field, a
//! variant, a type) breaks nobody; a removal, or a changed signature (a new required argument
//! of a call or of `Type::new`, a field's type) does.

use std::fmt::Write as _;

use serde::Serialize;

use crate::surface::Surface;

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
#[cfg(test)]
fn diff(old: &crate::model::Api, new: &crate::model::Api) -> Report {
    diff_surfaces(&Surface::of(old), &Surface::of(new))
}

/// Compares two public surfaces, item by item.
pub fn diff_surfaces(old: &Surface, new: &Surface) -> Report {
    let (old_items, new_items) = (&old.items, &new.items);
    let mut changes = Vec::new();
    let mut doc_changes = 0;
    for (key, o) in old_items {
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
    for (key, n) in new_items {
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
        "builder type" | "namespace" => "code that names the type no longer compiles",
        "setter" => "the setter has another name",
        "mock method" => "tests that mock the call use another method or marker type",
        "http method" => {
            "the call compiles as before; it sends the other method, retried as that method allows"
        }
        _ => "its signature changed",
    }
}

/// The item a member belongs to: `types::A` for `types::A.f` and `types::A::V`, the field
/// for its setter, the call for a builder method, its builder type, its mock and the mock's
/// methods (`client.pets().list(..) mock .respond_200()`).
fn container(key: &str) -> Option<&str> {
    for suffix in [" http method", " builder type", " mock method", " setter"] {
        if let Some(owner) = key.strip_suffix(suffix) {
            return Some(owner);
        }
    }
    if let Some(i) = key.find(" mock .") {
        return Some(&key[..i]);
    }
    if let Some(rest) = key.strip_prefix("types::") {
        let end = rest.find(['.', ':']).map(|i| i + "types::".len())?;
        return Some(&key[..end]);
    }
    key.find("(..).").map(|i| &key[..i + 4])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Api;

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

    /// The extra-properties map beside a property called `additional_properties` is
    /// `additional_properties_`; a change of its value type breaks its users, and the report
    /// keys it by that name (it once folded it into the property's key and reported nothing).
    #[test]
    fn the_extra_properties_map_beside_a_property_of_its_name_is_compared() {
        let old = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Bag:
      type: object
      properties:
        additional_properties: {type: string}
      additionalProperties: {type: string}
"#;
        let new = old.replace(
            "      additionalProperties: {type: string}",
            "      additionalProperties: {type: boolean}",
        );
        let report = diff(&api(old), &api(&new));
        let found: Vec<(ChangeKind, String, bool)> = report
            .changes
            .iter()
            .map(|c| (c.kind, c.item.clone(), c.breaking))
            .collect();
        assert_eq!(
            found,
            [(
                ChangeKind::Changed,
                "types::Bag.additional_properties_".into(),
                true
            )],
            "{found:#?}"
        );
        assert_eq!(report.bump(), Bump::Major);
        // Without the clashing property, the map keeps its plain name.
        let plain = |text: &str| {
            text.replace(
                "        additional_properties: {type: string}\n",
                "        other: {type: string}\n",
            )
        };
        let found = changes(&plain(old), &plain(&new));
        assert_eq!(
            found,
            [(
                ChangeKind::Changed,
                "types::Bag.additional_properties".into(),
                true
            )],
            "{found:#?}"
        );
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
                // The mock's matcher of the new parameter.
                (
                    ChangeKind::Added,
                    "client.pets().list(..) mock .cursor(..)".into(),
                    false
                ),
                (
                    ChangeKind::Added,
                    "client.pets().list(..).cursor(..)".into(),
                    false
                ),
                // The new call's `send()`, builder type and mock are folded into it; its
                // namespace and cargo feature are new too.
                (ChangeKind::Added, "client.toys()".into(), false),
                (ChangeKind::Added, "client.toys().list(..)".into(), false),
                (ChangeKind::Added, "feature toys".into(), false),
                // Its setter is folded into the field.
                (ChangeKind::Added, "types::Pet.age".into(), false),
            ],
            "{found:#?}"
        );
        let report = diff(&api(BASE), &api(&new));
        assert_eq!(report.bump(), Bump::Minor);
        assert_eq!(report.next_version("0.3.1").as_deref(), Some("0.3.2"));
        assert_eq!(report.next_version("1.3.1").as_deref(), Some("1.4.0"));
    }

    /// What a test suite writes against the mock (responders, `sample()` and setters) still
    /// compiles after additions: a required property of a response, a body documented for a
    /// status that had none, another status. Each adds methods and changes none.
    #[test]
    fn additions_leave_the_mocks_and_test_data_as_they_were() {
        let old = BASE.replace(
            "        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Pet\"}}}}\n    post:",
            "        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Pet\"}}}}\n        \"404\": {description: gone}\n    post:",
        );
        let new = old
            .replace(
                "        \"404\": {description: gone}\n",
                "        \"404\": {description: gone, content: {application/json: {schema: {$ref: \"#/components/schemas/Problem\"}}}}\n        \"500\": {description: down}\n",
            )
            .replace(
                "      required: [id]\n      properties:\n        id: {type: string}\n",
                "      required: [id, age]\n      properties:\n        id: {type: string}\n        age: {type: integer}\n",
            )
            .replace(
                "    Kind: {type: string",
                "    Problem: {type: object, required: [detail], properties: {detail: {type: string}}}\n    Kind: {type: string",
            );
        assert_ne!(old, new);
        let found = changes(&old, &new);
        assert!(found.iter().all(|(_, _, breaking)| !breaking), "{found:#?}");
        let items: Vec<&str> = found.iter().map(|(_, item, _)| item.as_str()).collect();
        for item in [
            "client.pets().list(..) mock .respond_404_with(..)",
            "client.pets().list(..) mock .respond_500()",
            "types::Pet.age",
            "types::Problem",
        ] {
            assert!(items.contains(&item), "{item} in {items:#?}");
        }
        assert_eq!(diff(&api(&old), &api(&new)).bump(), Bump::Minor);
    }

    /// A binary body and file parts are reported with the argument types the crate takes
    /// them as, so that a change to either is seen.
    #[test]
    fn binary_bodies_and_file_parts_have_their_argument_types() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /blobs:
    put:
      operationId: blobs.put
      requestBody:
        required: true
        content: {application/octet-stream: {schema: {type: string, format: binary}}}
      responses: {"204": {description: ok}}
  /photos:
    post:
      operationId: photos.upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [photo]
              properties:
                photo: {type: string, format: binary}
                thumb: {type: string, format: binary}
      responses: {"204": {description: ok}}
"##;
        let surface = crate::surface::Surface::of(&api(text));
        let sig = |path: &str| {
            surface
                .entries()
                .find(|e| e.path == path)
                .map(|e| e.signature.to_owned())
                .unwrap_or_else(|| panic!("no {path}"))
        };
        assert_eq!(
            sig("client.blobs().put(..)"),
            "(body: impl Into<crate::streaming::UploadBody>)"
        );
        assert_eq!(
            sig("client.photos().upload(..)"),
            "(photo_file_name: impl Into<String>, photo: impl Into<Vec<u8>>)"
        );
        assert_eq!(
            sig("client.photos().upload(..).thumb(..)"),
            "(file_name: impl Into<String>, contents: impl Into<Vec<u8>>)"
        );
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
                // A response type is built by `sample()` and setters, which a changed
                // property type leaves as they are: only the field is reported.
                (ChangeKind::Changed, "types::Pet.id".into(), true),
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
                .starts_with("4 breaking, 2 additive; semver: major")
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
                // The cargo feature follows the tag: `features = ["authors"]` breaks.
                (ChangeKind::Removed, "feature authors", true, None),
                (
                    ChangeKind::Added,
                    "client.catalog()",
                    false,
                    Some("operations::Catalog")
                ),
                (
                    ChangeKind::Added,
                    "client.catalog().authors()",
                    false,
                    Some("operations::CatalogAuthors")
                ),
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
                (ChangeKind::Added, "feature catalog", false, Some("")),
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
                // A whole query string is not matched by the mock.
                (
                    ChangeKind::Removed,
                    "client.authors(..) mock .filter(..)",
                    None
                ),
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
