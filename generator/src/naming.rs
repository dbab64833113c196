//! The one sanitiser for every identifier: case conversion, keywords, leading digits,
//! non-ASCII and punctuation, and de-duplication of collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers in any edition, plus `gen` (reserved since 2024).
pub(crate) const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that generated code or the prelude already uses; a schema with one of these
/// names gets a `Model` suffix, so generated code never has to spell `::std::option::Option`.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Error",
    "Client",
    "ClientBuilder",
    "Response",
    "RequestOptions",
    "Secret",
    "ErrorBody",
    "ApiError",
    "DecodeError",
    "InvalidRequest",
    "TransportError",
    "RedirectError",
    "LimitExceeded",
    "Value",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Iterator",
    "Into",
    "From",
    "ToString",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Map",
    "Duration",
    // Items the generated modules import by name (`use crate::runtime::{..}`, serde's derives).
    "Request",
    "ParamValue",
    "Credential",
    "KeyLocation",
    "Serialize",
    "Deserialize",
];

/// Replaces everything that cannot be in an identifier, so that heck sees word boundaries.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '+' {
            out.push_str(" plus ");
        } else if c == '-' && out.is_empty() {
            out.push_str("minus ");
        } else if c.is_alphanumeric() {
            // Non-ASCII letters are spelled out so that distinct names stay distinct.
            out.push_str(&format!(" u{:04x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

/// snake_case identifier: fields, methods, arguments, modules.
pub fn snake(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name.push_str("value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) || name == "_" {
        name.push('_');
    }
    name
}

/// PascalCase identifier: types and variants.
pub fn pascal(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name.push_str("Value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Hands out names that are unique within one scope, in request order: the first request
/// for a name gets it; later ones get `_2`, `_3`... (snake) or `2`, `3`... (Pascal).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether a name is taken.
    #[cfg(test)]
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `name`, or the first free numbered form of it.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let sep = numbering_separator(&name);
        let base = name.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

/// Names in one namespace that no order decides: requests are settled a tier at a time
/// (a lower tier first, so its items keep their names whatever a later tier asks for), and
/// within a tier every request is seen before any is granted. The natural name goes to the one
/// request for it, or, when several ask for the same name, to the one whose key sorts first;
/// the others get the first free numbered form, in key order.
///
/// [`Scope`] hands names out first come, first served, which is right where the order is the
/// item's own (the properties of one schema). Across the description it is not: adding an
/// operation or a schema, or reordering the document, would rename items that did not change.
/// Keys are JSON pointers, so a clash is settled by where the clashing items are, never by
/// what else the description contains.
#[derive(Debug, Default, Clone)]
pub struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// A namespace in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Names {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether a name is taken by an earlier tier (or reserved).
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Settles one tier: `requests` are (natural name, key); returns the names, in the
    /// order of the requests.
    pub fn settle(&mut self, requests: &[(String, String)]) -> Vec<String> {
        let mut order: Vec<usize> = (0..requests.len()).collect();
        order.sort_by(|&a, &b| {
            (&requests[a].0, &requests[a].1, a).cmp(&(&requests[b].0, &requests[b].1, b))
        });
        let mut out = vec![String::new(); requests.len()];
        // Natural names first, so that a numbered name never takes another item's own.
        let mut losers = Vec::new();
        let mut wanted: BTreeSet<&str> = BTreeSet::new();
        for &i in &order {
            let natural = requests[i].0.as_str();
            if wanted.insert(natural) && !self.taken.contains(natural) {
                out[i] = natural.to_owned();
            } else {
                losers.push(i);
            }
        }
        for i in &order {
            if !out[*i].is_empty() {
                self.taken.insert(out[*i].clone());
            }
        }
        for i in losers {
            let name = &requests[i].0;
            let sep = numbering_separator(name);
            let base = name.trim_end_matches('_');
            let numbered = (2..)
                .map(|n| format!("{base}{sep}{n}"))
                .find(|candidate| {
                    !self.taken.contains(candidate) && !wanted.contains(candidate.as_str())
                })
                .expect("an unbounded range always yields a free name");
            self.taken.insert(numbered.clone());
            out[i] = numbered;
        }
        out
    }
}

/// `_` between a snake_case name and its number, nothing after a PascalCase one (whose only
/// `_` is a keyword's escape: `Self_` and `Self` settle as `Self_` and `Self2`, since
/// `Self_2` is not camel case).
fn numbering_separator(name: &str) -> &'static str {
    if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        ""
    } else {
        "_"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises_awkward_names() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("fooBar"), "foo_bar");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("X-Stytch-Member-Session"), "x_stytch_member_session");
        assert_eq!(snake("$filter"), "filter");
        assert_eq!(snake("@@@"), "value");
        assert_eq!(snake("gen"), "gen_");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(pascal("+1"), "Plus1");
        assert_eq!(pascal("-1"), "Minus1");
        assert_eq!(pascal("404"), "V404");
        assert_eq!(pascal("über"), "U00fcBer");
        assert_eq!(pascal("get_connected_apps"), "GetConnectedApps");
    }

    #[test]
    fn collisions_after_case_conversion_are_numbered() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim(snake("fooBar")), "foo_bar");
        assert_eq!(scope.claim(snake("foo_bar")), "foo_bar_2");
        assert_eq!(scope.claim(snake("FooBar")), "foo_bar_3");
        let mut types = Scope::with_reserved(RESERVED_TYPE_NAMES);
        assert_eq!(types.claim(pascal("Pet")), "Pet");
        assert_eq!(types.claim(pascal("pet")), "Pet2");
        assert!(types.is_taken("Option"));
    }

    #[test]
    fn settled_names_do_not_depend_on_request_order() {
        let requests = |order: &[usize]| {
            let all = [
                ("Pet", "#/paths/~1b"),
                ("Pet", "#/paths/~1a"),
                ("Pet2", "#/paths/~1c"),
                ("Option", "#/paths/~1d"),
                ("Cat", "#/paths/~1e"),
            ];
            order
                .iter()
                .map(|&i| (all[i].0.to_owned(), all[i].1.to_owned()))
                .collect::<Vec<_>>()
        };
        let forward = Names::with_reserved(&["Option"]).settle(&requests(&[0, 1, 2, 3, 4]));
        assert_eq!(forward, ["Pet3", "Pet", "Pet2", "Option2", "Cat"]);
        let backward = Names::with_reserved(&["Option"]).settle(&requests(&[4, 3, 2, 1, 0]));
        assert_eq!(backward, ["Cat", "Option2", "Pet2", "Pet", "Pet3"]);
        // A later tier yields to an earlier one.
        let mut names = Names::default();
        names.settle(&[("Users".into(), "#/components/schemas/Users".into())]);
        assert!(names.is_taken("Users"));
        assert_eq!(
            names.settle(&[("Users".into(), "#/paths".into())]),
            ["Users2"]
        );
    }
}
