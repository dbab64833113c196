//! Code written as text instead of token streams parsed back by syn. Declarations of
//! `src/types.rs` (struct definitions, type aliases here; the `from_map!`, `constructor!` and
//! `string_enum!` lines in `macros.rs`, most of a large API's code) go through
//! [`crate::layout`]: each function writes the words, breaks and boxes prettyplease prints
//! the same item with (attributes as its `attr_tokens` does, a macro's tokens as its
//! `macro_rules_tokens` does). Impls of one-line methods (the typed mocks, the namespaces)
//! are `sketch.rs`'s, written out where prettyplease's layout of them is certain and parsed
//! back into tokens where it is not. Either way the bytes are prettyplease's: `super::tests`
//! prints every fixture's files again through syn and prettyplease and requires no change.
//! Impls with bodies of statements stay on the token path, where syn and prettyplease earn
//! their keep.

use crate::layout::{INDENT, Layout};
use crate::model::*;

use super::{SerdeImpls, doc_lines, string_lit};

/// A token of an attribute's list, as quote! would write it.
pub(super) enum AttrTok<'a> {
    Ident(&'a str),
    Punct(char),
    /// A literal, as `proc_macro2` prints it.
    Lit(String),
    Paren(Vec<AttrTok<'a>>),
}

/// An outer attribute.
pub(super) enum Attr<'a> {
    /// `#[doc = " text"]`, printed as `/// text`.
    Doc(&'a str),
    /// `#[name]`.
    Path(&'a str),
    /// `#[name(tokens)]`.
    List(&'a str, Vec<AttrTok<'a>>),
}

/// `feature = "name"`.
pub(super) fn feature<'a>(name: &str, out: &mut Vec<AttrTok<'a>>) {
    out.push(AttrTok::Ident("feature"));
    out.push(AttrTok::Punct('='));
    out.push(AttrTok::Lit(string_lit(name)));
}

/// The `cfg` of a set of the API's features, as [`super::cfg_features`] writes it.
pub(super) fn cfg_attr_of<'a>(api: &'a Api, set: Option<&[usize]>) -> Option<Attr<'a>> {
    let set = set?;
    if api.features.list.is_empty() {
        return None;
    }
    let mut inner = Vec::new();
    match set {
        [one] => feature(&api.features.list[*one].name, &mut inner),
        _ => {
            let mut list = Vec::new();
            for (k, &i) in set.iter().enumerate() {
                if k > 0 {
                    list.push(AttrTok::Punct(','));
                }
                feature(&api.features.list[i].name, &mut list);
            }
            inner.push(AttrTok::Ident("any"));
            inner.push(AttrTok::Paren(list));
        }
    }
    Some(Attr::List("cfg", inner))
}

/// The gate of type `index`, as [`super::type_cfg`].
pub(super) fn type_cfg(api: &Api, index: usize) -> Option<Attr<'_>> {
    cfg_attr_of(api, api.features.types.get(index).map(Vec::as_slice))
}

pub(super) fn cfg_feature(name: &str) -> Attr<'_> {
    let mut inner = Vec::new();
    feature(name, &mut inner);
    Attr::List("cfg", inner)
}

/// Outer attributes, as prettyplease prints them.
pub(super) fn attrs(l: &mut Layout, attrs: &[Attr<'_>]) {
    for attr in attrs {
        match attr {
            Attr::Doc(doc) => {
                // Our doc lines are single lines starting with a space, which prettyplease
                // prints as `///` comments with trailing spaces trimmed.
                debug_assert!(!doc.contains('\n') && !doc.starts_with('/'));
                l.word("///");
                l.word(doc.trim_end_matches(' '));
                l.hardbreak();
            }
            Attr::Path(path) => {
                l.word("#[");
                l.word(path);
                l.word("]");
                l.space();
            }
            Attr::List(path, tokens) => {
                l.word("#[");
                l.word(path);
                // The list is one parenthesised group, inside which a space may break.
                let mut state = AttrState::Word;
                attr_group(l, tokens, &mut state);
                l.word("]");
                l.space();
            }
        }
    }
}

#[derive(PartialEq, Clone, Copy)]
enum AttrState {
    Word,
    Punct,
    TrailingComma,
}

/// A parenthesised group of an attribute: a consistent box indented by one level.
fn attr_group(l: &mut Layout, tokens: &[AttrTok<'_>], state: &mut AttrState) {
    l.word("(");
    l.cbox(INDENT);
    l.zerobreak();
    *state = AttrState::Punct;
    for (k, tok) in tokens.iter().enumerate() {
        let last = k + 1 == tokens.len();
        match tok {
            AttrTok::Ident(s) => {
                if *state == AttrState::Word {
                    l.space();
                }
                l.word(s);
                *state = AttrState::Word;
            }
            AttrTok::Lit(s) => {
                if *state == AttrState::Word {
                    l.space();
                }
                l.word(s);
                *state = AttrState::Word;
            }
            AttrTok::Punct(c) => {
                if *state == AttrState::Word && *c == '=' {
                    l.nbsp();
                }
                if *c == ',' && last {
                    l.trailing_comma(true);
                    *state = AttrState::TrailingComma;
                } else {
                    l.word(c.encode_utf8(&mut [0; 4]));
                    if *c == '=' {
                        l.nbsp();
                    } else if *c == ',' {
                        l.space();
                    }
                    *state = AttrState::Punct;
                }
            }
            AttrTok::Paren(inner) => attr_group(l, inner, state),
        }
    }
    if *state != AttrState::TrailingComma {
        l.zerobreak();
    }
    l.offset(-INDENT);
    l.end();
    l.word(")");
    *state = AttrState::Punct;
}

/// The doc lines of a description, as [`super::docs`] writes them.
pub(super) fn doc_attrs<'a>(lines: &'a [String], out: &mut Vec<Attr<'a>>) {
    out.extend(lines.iter().map(|d| Attr::Doc(d)));
}

/// A Rust type: a path whose segments may have generic arguments.
pub(super) enum Ty<'a> {
    Ref(&'a TypeRef),
    /// `Box<T>` or `Option<T>`.
    Wrap(&'static str, Box<Ty<'a>>),
}

pub(super) fn field_ty(f: &Field) -> Ty<'_> {
    let mut ty = Ty::Ref(&f.ty);
    if f.boxed {
        ty = Ty::Wrap("Box", Box::new(ty));
    }
    match (f.required, f.nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => Ty::Wrap("Option", Box::new(ty)),
        (false, true) => Ty::Wrap("Option", Box::new(Ty::Wrap("Option", Box::new(ty)))),
    }
}

/// Generic arguments as prettyplease prints a type path's: a consistent box, with a comma
/// after the last argument only when broken.
fn generic_args(l: &mut Layout, args: &[&dyn Fn(&mut Layout)]) {
    generic_list(l, args.len(), |l, k| args[k](l));
}

/// `<` `n` arguments `>`, each printed by `arg(l, k)`, broken as prettyplease breaks them.
fn generic_list(l: &mut Layout, n: usize, arg: impl Fn(&mut Layout, usize)) {
    l.word("<");
    l.cbox(INDENT);
    l.zerobreak();
    for k in 0..n {
        arg(l, k);
        l.trailing_comma(k + 1 == n);
    }
    l.offset(-INDENT);
    l.end();
    l.word(">");
}

pub(super) fn print_ty(l: &mut Layout, api: &Api, ty: &Ty<'_>) {
    match ty {
        Ty::Wrap(name, inner) => {
            l.word(name);
            generic_args(l, &[&|l| print_ty(l, api, inner)]);
        }
        Ty::Ref(t) => print_type_ref(l, api, t),
    }
}

pub(super) fn print_type_ref(l: &mut Layout, api: &Api, t: &TypeRef) {
    use crate::spelling::{Arg, spelling};
    let s = spelling(api, t);
    l.word(s.path);
    if s.args.is_empty() {
        return;
    }
    generic_list(l, s.args.len(), |l, k| match &s.args[k] {
        Arg::Type(t) => print_type_ref(l, api, t),
        Arg::Path(p) => l.word(p),
    });
}

/// A struct's definition: its docs, gate, derives and fields.
pub(super) fn struct_def(
    l: &mut Layout,
    api: &Api,
    index: usize,
    fields: &[Field],
    extra: Option<(&TypeRef, &str)>,
    serde: &SerdeImpls,
) {
    let t = &api.types[index];
    let docs = doc_lines(t.description.as_deref());
    let mut outer = Vec::new();
    doc_attrs(&docs, &mut outer);
    outer.extend(type_cfg(api, index));
    let mut derive = vec![
        AttrTok::Ident("Debug"),
        AttrTok::Punct(','),
        AttrTok::Ident("Clone"),
        AttrTok::Punct(','),
        AttrTok::Ident("PartialEq"),
        AttrTok::Punct(','),
    ];
    if fields.iter().all(|f| !f.required) {
        derive.push(AttrTok::Ident("Default"));
        derive.push(AttrTok::Punct(','));
    }
    let always = serde.always_serialize();
    if always {
        derive.push(AttrTok::Ident("Serialize"));
    }
    outer.push(Attr::List("derive", derive));
    if !always {
        outer.push(serde_all(vec![
            AttrTok::Ident("derive"),
            AttrTok::Paren(vec![AttrTok::Ident("Serialize")]),
        ]));
    }
    outer.push(Attr::Path("non_exhaustive"));
    attrs(l, &outer);
    l.cbox(INDENT);
    l.word("pub struct ");
    l.word(&t.name);
    l.nbsp();
    l.word("{");
    let field_docs: Vec<Vec<String>> = fields
        .iter()
        .map(|f| doc_lines(f.description.as_deref()))
        .collect();
    if !fields.is_empty() || extra.is_some() {
        l.hardbreak();
    }
    for (f, docs) in fields.iter().zip(&field_docs) {
        let mut outer = Vec::new();
        doc_attrs(docs, &mut outer);
        if f.deprecated {
            outer.push(Attr::Doc(""));
            outer.push(Attr::Doc(" Deprecated by the API."));
        }
        let mut args = Vec::new();
        if f.rust_name != f.wire_name {
            args.extend([
                AttrTok::Ident("rename"),
                AttrTok::Punct('='),
                AttrTok::Lit(string_lit(&f.wire_name)),
            ]);
        }
        if !f.required {
            if !args.is_empty() {
                args.push(AttrTok::Punct(','));
            }
            args.extend([
                AttrTok::Ident("skip_serializing_if"),
                AttrTok::Punct('='),
                AttrTok::Lit(string_lit("Option::is_none")),
            ]);
            if f.nullable {
                args.extend([
                    AttrTok::Punct(','),
                    AttrTok::Ident("serialize_with"),
                    AttrTok::Punct('='),
                    AttrTok::Lit(string_lit("crate::runtime::nullable::serialize")),
                ]);
            }
        }
        if !args.is_empty() {
            outer.push(serde_attr(args, always));
        }
        attrs(l, &outer);
        l.word("pub ");
        l.word(&f.rust_name);
        l.word(": ");
        print_ty(l, api, &field_ty(f));
        l.word(",");
        l.hardbreak();
    }
    if let Some((extra_ty, name)) = extra {
        let flatten = vec![AttrTok::Ident("flatten")];
        attrs(
            l,
            &[
                Attr::Doc(" Properties beyond the ones listed above."),
                serde_attr(flatten, always),
            ],
        );
        l.word("pub ");
        l.word(name);
        l.word(": ");
        l.word("std::collections::BTreeMap");
        generic_args(
            l,
            &[&|l| l.word("String"), &|l| print_type_ref(l, api, extra_ty)],
        );
        l.word(",");
        l.hardbreak();
    }
    l.offset(-INDENT);
    l.end();
    l.word("}");
    l.hardbreak();
}

/// `#[cfg_attr(feature = "serde-all", tokens)]`.
fn serde_all(tokens: Vec<AttrTok<'_>>) -> Attr<'_> {
    let mut inner = Vec::new();
    feature("serde-all", &mut inner);
    inner.push(AttrTok::Punct(','));
    inner.extend(tokens);
    Attr::List("cfg_attr", inner)
}

/// `#[serde(args)]`, or its `cfg_attr` of `serde-all` when `Serialize` is not always derived.
fn serde_attr(args: Vec<AttrTok<'_>>, always: bool) -> Attr<'_> {
    if always {
        Attr::List("serde", args)
    } else {
        serde_all(vec![AttrTok::Ident("serde"), AttrTok::Paren(args)])
    }
}

/// `pub type Name = Target;`
pub(super) fn alias(l: &mut Layout, api: &Api, index: usize, target: &TypeRef) {
    let t = &api.types[index];
    let docs = doc_lines(t.description.as_deref());
    let mut outer = Vec::new();
    doc_attrs(&docs, &mut outer);
    outer.extend(type_cfg(api, index));
    attrs(l, &outer);
    l.cbox(INDENT);
    l.word("pub type ");
    l.word(&t.name);
    l.nbsp();
    l.word("= ");
    l.neverbreak();
    l.ibox(-INDENT);
    print_type_ref(l, api, target);
    l.end();
    l.word(";");
    l.end();
    l.hardbreak();
}
