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
mod tests;
