//! Code written as text instead of token streams parsed back by syn. Declarations of
//! `src/types.rs` (struct definitions, type aliases and the `from_map!`, `constructor!` and
//! `string_enum!` lines, most of a large API's code) go through [`crate::layout`]: each
//! function writes the words, breaks and boxes prettyplease prints the same item with
//! (attributes as its `attr_tokens` does, a macro's tokens as its `macro_rules_tokens` does).
//! Impls of one-line methods (the typed mocks, the namespaces) are [`SketchImpl`]s, written
//! out where prettyplease's layout of them is certain and parsed back into tokens where it is
//! not. Either way the bytes are prettyplease's: `super::tests` prints every fixture's files
//! again through syn and prettyplease and requires no change, and `tests` here checks the
//! sketches at the layout's boundaries. Impls with bodies of statements stay on the token
//! path, where syn and prettyplease earn their keep.

use crate::layout::{INDENT, Layout};
use crate::model::*;

use super::{SerdeImpls, doc_lines};

/// A token of an attribute's list, as quote! would write it.
enum AttrTok<'a> {
    Ident(&'a str),
    Punct(char),
    /// A literal, as `proc_macro2` prints it.
    Lit(String),
    Paren(Vec<AttrTok<'a>>),
}

/// An outer attribute.
enum Attr<'a> {
    /// `#[doc = " text"]`, printed as `/// text`.
    Doc(&'a str),
    /// `#[name]`.
    Path(&'a str),
    /// `#[name(tokens)]`.
    List(&'a str, Vec<AttrTok<'a>>),
}

pub(super) fn string_lit(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// `feature = "name"`.
fn feature<'a>(name: &str, out: &mut Vec<AttrTok<'a>>) {
    out.push(AttrTok::Ident("feature"));
    out.push(AttrTok::Punct('='));
    out.push(AttrTok::Lit(string_lit(name)));
}

/// The `cfg` of a set of the API's features, as [`super::cfg_features`] writes it.
fn cfg_attr_of<'a>(api: &'a Api, set: Option<&[usize]>) -> Option<Attr<'a>> {
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
fn type_cfg(api: &Api, index: usize) -> Option<Attr<'_>> {
    cfg_attr_of(api, api.features.types.get(index).map(Vec::as_slice))
}

fn cfg_feature(name: &str) -> Attr<'_> {
    let mut inner = Vec::new();
    feature(name, &mut inner);
    Attr::List("cfg", inner)
}

/// Outer attributes, as prettyplease prints them.
fn attrs(l: &mut Layout, attrs: &[Attr<'_>]) {
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
fn doc_attrs<'a>(lines: &'a [String], out: &mut Vec<Attr<'a>>) {
    out.extend(lines.iter().map(|d| Attr::Doc(d)));
}

/// A Rust type: a path whose segments may have generic arguments.
enum Ty<'a> {
    Ref(&'a TypeRef),
    /// `Box<T>` or `Option<T>`.
    Wrap(&'static str, Box<Ty<'a>>),
}

fn field_ty(f: &Field) -> Ty<'_> {
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
    l.word("<");
    l.cbox(INDENT);
    l.zerobreak();
    for (k, arg) in args.iter().enumerate() {
        arg(l);
        l.trailing_comma(k + 1 == args.len());
    }
    l.offset(-INDENT);
    l.end();
    l.word(">");
}

fn print_ty(l: &mut Layout, api: &Api, ty: &Ty<'_>) {
    match ty {
        Ty::Wrap(name, inner) => {
            l.word(name);
            generic_args(l, &[&|l| print_ty(l, api, inner)]);
        }
        Ty::Ref(t) => print_type_ref(l, api, t),
    }
}

fn print_type_ref(l: &mut Layout, api: &Api, t: &TypeRef) {
    match t {
        TypeRef::Named(i) => l.word(&api.types[*i].name),
        TypeRef::DateTime => {
            l.word("chrono::DateTime");
            generic_args(l, &[&|l| l.word("chrono::FixedOffset")]);
        }
        TypeRef::Array(inner) => {
            l.word("Vec");
            generic_args(l, &[&|l| print_type_ref(l, api, inner)]);
        }
        TypeRef::Map(inner) => {
            l.word("std::collections::BTreeMap");
            generic_args(
                l,
                &[&|l| l.word("String"), &|l| print_type_ref(l, api, inner)],
            );
        }
        TypeRef::Nullable(inner) => {
            l.word("Option");
            generic_args(l, &[&|l| print_type_ref(l, api, inner)]);
        }
        _ => l.word(simple_type(t)),
    }
}

/// The text of a type without generic arguments.
fn simple_type(t: &TypeRef) -> &'static str {
    match t {
        TypeRef::String => "String",
        TypeRef::Date => "chrono::NaiveDate",
        TypeRef::Uuid => "uuid::Uuid",
        TypeRef::Bool => "bool",
        TypeRef::I32 => "i32",
        TypeRef::I64 => "i64",
        TypeRef::U64 => "u64",
        TypeRef::F32 => "f32",
        TypeRef::F64 => "f64",
        TypeRef::Json => "serde_json::Value",
        TypeRef::Named(_)
        | TypeRef::DateTime
        | TypeRef::Array(_)
        | TypeRef::Map(_)
        | TypeRef::Nullable(_) => unreachable!("has generic arguments or a name"),
    }
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

/// A token of a macro call, as quote! would write it.
enum MTok<'a> {
    Ident(&'a str),
    /// An identifier of text made here (a sample expression's).
    Word(String),
    Lit(String),
    /// A punctuation character; `true` when joined to the next (the first `:` of `::`).
    Punct(char, bool),
    Group(Delim, Vec<MTok<'a>>),
}

#[derive(Clone, Copy, PartialEq)]
enum Delim {
    Paren,
    Bracket,
    Brace,
}

/// Tokens of a type in a macro call (`chrono::DateTime<chrono::FixedOffset>`).
fn ty_tokens<'a>(api: &'a Api, ty: &Ty<'a>, out: &mut Vec<MTok<'a>>) {
    match ty {
        Ty::Wrap(name, inner) => {
            out.push(MTok::Ident(name));
            out.push(MTok::Punct('<', false));
            ty_tokens(api, inner, out);
            out.push(MTok::Punct('>', false));
        }
        Ty::Ref(t) => type_ref_tokens(api, t, out),
    }
}

fn path_tokens<'a>(path: &'a str, out: &mut Vec<MTok<'a>>) {
    for (k, segment) in path.split("::").enumerate() {
        if k > 0 {
            out.push(MTok::Punct(':', true));
            out.push(MTok::Punct(':', false));
        }
        out.push(MTok::Ident(segment));
    }
}

fn type_ref_tokens<'a>(api: &'a Api, t: &'a TypeRef, out: &mut Vec<MTok<'a>>) {
    let generic = |out: &mut Vec<MTok<'a>>, path: &'a str, args: &dyn Fn(&mut Vec<MTok<'a>>)| {
        path_tokens(path, out);
        out.push(MTok::Punct('<', false));
        args(out);
        out.push(MTok::Punct('>', false));
    };
    match t {
        TypeRef::Named(i) => out.push(MTok::Ident(&api.types[*i].name)),
        TypeRef::DateTime => generic(out, "chrono::DateTime", &|out| {
            path_tokens("chrono::FixedOffset", out)
        }),
        TypeRef::Array(inner) => generic(out, "Vec", &|out| type_ref_tokens(api, inner, out)),
        TypeRef::Map(inner) => generic(out, "std::collections::BTreeMap", &|out| {
            out.push(MTok::Ident("String"));
            out.push(MTok::Punct(',', false));
            type_ref_tokens(api, inner, out);
        }),
        TypeRef::Nullable(inner) => {
            generic(out, "Option", &|out| type_ref_tokens(api, inner, out))
        }
        _ => path_tokens(simple_type(t), out),
    }
}

/// Tokens of an attribute inside a macro call: `#[doc = " text"]`, `#[cfg(..)]`.
fn attr_mtokens<'a>(attr: &Attr<'a>, out: &mut Vec<MTok<'a>>) {
    fn list<'a>(tokens: &[AttrTok<'a>], out: &mut Vec<MTok<'a>>) {
        for t in tokens {
            out.push(match t {
                AttrTok::Ident(s) => MTok::Ident(s),
                AttrTok::Punct(c) => MTok::Punct(*c, false),
                AttrTok::Lit(s) => MTok::Lit(s.clone()),
                AttrTok::Paren(inner) => {
                    let mut group = Vec::new();
                    list(inner, &mut group);
                    MTok::Group(Delim::Paren, group)
                }
            });
        }
    }
    out.push(MTok::Punct('#', false));
    let inner = match attr {
        Attr::Doc(doc) => vec![
            MTok::Ident("doc"),
            MTok::Punct('=', false),
            MTok::Lit(string_lit(doc)),
        ],
        Attr::Path(path) => vec![MTok::Ident(path)],
        Attr::List(path, tokens) => {
            let mut group = Vec::new();
            list(tokens, &mut group);
            vec![MTok::Ident(path), MTok::Group(Delim::Paren, group)]
        }
    };
    out.push(MTok::Group(Delim::Bracket, inner));
}

/// `name: [items],` in a macro call, items separated by commas.
fn labelled_list<'a>(label: &'a str, items: Vec<Vec<MTok<'a>>>, out: &mut Vec<MTok<'a>>) {
    out.push(MTok::Ident(label));
    out.push(MTok::Punct(':', false));
    let mut list = Vec::new();
    for (k, item) in items.into_iter().enumerate() {
        if k > 0 {
            list.push(MTok::Punct(',', false));
        }
        list.extend(item);
    }
    out.push(MTok::Group(Delim::Bracket, list));
}

/// A macro call as an item, as prettyplease prints it: `path!(tokens);` or `path! { tokens }`.
fn macro_item(l: &mut Layout, outer: &[Attr<'_>], path: &str, delim: Delim, tokens: &[MTok<'_>]) {
    attrs(l, outer);
    l.word(path);
    l.word("!");
    let brace = delim == Delim::Brace;
    l.word(if brace { " {" } else { "(" });
    if !tokens.is_empty() {
        l.cbox(INDENT);
        if brace { l.hardbreak() } else { l.zerobreak() }
        l.ibox(0);
        macro_tokens(l, tokens);
        l.end();
        if brace { l.hardbreak() } else { l.zerobreak() }
        l.offset(-INDENT);
        l.end();
    }
    l.word(if brace { "}" } else { ")" });
    if !brace {
        l.word(";");
    }
    l.hardbreak();
}

#[derive(PartialEq, Clone, Copy)]
enum MState {
    Start,
    Pound,
    Dot,
    Colon,
    Colon2,
    Ident,
    IdentBang,
    Delimited,
    Other,
}

/// Rust's keywords, which a macro call's tokens space like punctuation.
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "as" | "async"
            | "await"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
    )
}

/// A macro call's tokens: words with a break wherever prettyplease puts a space between two
/// tokens, all in the one inconsistent box the caller opened.
fn macro_tokens(l: &mut Layout, tokens: &[MTok<'_>]) {
    use MState::*;
    let mut state = Start;
    let mut previous_is_joint = true;
    for tok in tokens {
        let (needs_space, next) = match (state, tok) {
            (Pound, MTok::Group(Delim::Bracket, _)) => (false, Other),
            (Ident, MTok::Group(Delim::Paren | Delim::Bracket, _)) => (false, Delimited),
            (Ident, MTok::Punct('!', false)) => (false, IdentBang),
            (IdentBang, MTok::Group(Delim::Paren | Delim::Bracket, _)) => (false, Other),
            (Colon, MTok::Punct(':', _)) => (false, Colon2),
            (_, MTok::Group(Delim::Paren | Delim::Bracket, _)) => (true, Delimited),
            (_, MTok::Group(Delim::Brace, _)) => (true, Other),
            (_, MTok::Ident(ident)) if !is_keyword(ident) => {
                (state != Dot && state != Colon2, Ident)
            }
            (_, MTok::Word(ident)) if !is_keyword(ident) => {
                (state != Dot && state != Colon2, Ident)
            }
            (_, MTok::Lit(text)) if text.ends_with('.') => (state != Dot, Other),
            (_, MTok::Lit(_)) => (state != Dot, Ident),
            (_, MTok::Punct(',' | ';', _)) => (false, Other),
            (_, MTok::Punct('.', _)) => (state != Ident && state != Delimited, Dot),
            (_, MTok::Punct(':', true)) => (state != Ident, Colon),
            (_, MTok::Punct('#', _)) => (true, Pound),
            (_, _) => (true, Other),
        };
        if !previous_is_joint {
            if needs_space {
                l.space();
            } else if let MTok::Punct('.', _) = tok {
                l.zerobreak();
            }
        }
        previous_is_joint = matches!(tok, MTok::Punct(_, true));
        match tok {
            MTok::Ident(s) => l.word(s),
            MTok::Word(s) | MTok::Lit(s) => l.word(s),
            MTok::Punct(c, _) => l.word(c.encode_utf8(&mut [0; 4])),
            MTok::Group(delim, inner) => {
                let (open, close) = match delim {
                    Delim::Paren => ("(", ")"),
                    Delim::Bracket => ("[", "]"),
                    Delim::Brace => ("{", "}"),
                };
                l.word(open);
                if !inner.is_empty() {
                    if *delim == Delim::Brace {
                        l.space();
                    }
                    macro_tokens(l, inner);
                    if *delim == Delim::Brace {
                        l.space();
                    }
                }
                l.word(close);
            }
        }
        state = next;
    }
}

/// `from_map!`: a struct's `Deserialize` (see `runtime::de` for why not serde's derive), its
/// properties grouped by how they are read: required, optional, optional and nullable (absent,
/// null and a value are three answers only there), and typed formats, whose parse errors
/// name their property.
pub(super) fn from_map(
    l: &mut Layout,
    api: &Api,
    index: usize,
    fields: &[Field],
    extra: Option<&str>,
    serde: &SerdeImpls,
) {
    let mut required = Vec::new();
    let mut optional = Vec::new();
    let mut nullable = Vec::new();
    let mut named = Vec::new();
    for f in fields {
        let mut entry = vec![MTok::Lit(string_lit(&f.wire_name)), MTok::Ident(&f.rust_name)];
        let kind = match (f.required, f.nullable) {
            (true, false) => "req",
            (false, true) => "nul",
            _ => "opt",
        };
        if super::typed_format(&f.ty) {
            entry.push(MTok::Ident(kind));
            named.push(entry);
            continue;
        }
        match kind {
            "req" => required.push(entry),
            "nul" => nullable.push(entry),
            _ => optional.push(entry),
        }
    }
    let mut lists = vec![("req", required), ("opt", optional), ("nul", nullable)];
    if !named.is_empty() {
        lists.push(("named", named));
    }
    let gate = (!serde.deserialize_always()).then(|| cfg_feature("serde-all"));
    struct_macro(l, api, index, "crate::runtime::from_map", lists, extra, gate);
}

/// `path!(Name { label: [items], .., extra: e })` for type `index`, gated by its features and
/// `gate`: the shape of `from_map!` and `constructor!`.
fn struct_macro<'a>(
    l: &mut Layout,
    api: &'a Api,
    index: usize,
    path: &str,
    lists: Vec<(&'a str, Vec<Vec<MTok<'a>>>)>,
    extra: Option<&'a str>,
    gate: Option<Attr<'a>>,
) {
    let mut body = Vec::new();
    for (label, items) in lists {
        labelled_list(label, items, &mut body);
        body.push(MTok::Punct(',', false));
    }
    if let Some(e) = extra {
        body.extend([MTok::Ident("extra"), MTok::Punct(':', false), MTok::Ident(e)]);
    }
    let tokens = [
        MTok::Ident(&api.types[index].name),
        MTok::Group(Delim::Brace, body),
    ];
    let mut outer = Vec::new();
    outer.extend(type_cfg(api, index));
    outer.extend(gate);
    macro_item(l, &outer, path, Delim::Paren, &tokens);
}

/// `constructor!`: `sample()` and a setter per field of a type only responses carry, for
/// tests (the `mock` feature). Request types get `new(required..)` from `emit_constructor`,
/// with the same `sample()`.
pub(super) fn test_constructor(
    l: &mut Layout,
    api: &Api,
    index: usize,
    fields: &[Field],
    extra: Option<&str>,
) {
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for f in fields {
        let mut ty = Ty::Ref(&f.ty);
        if f.boxed {
            ty = Ty::Wrap("Box", Box::new(ty));
        }
        if f.nullable {
            ty = Ty::Wrap("Option", Box::new(ty));
        }
        let kind = if f.ty == TypeRef::String && !f.boxed && !f.nullable {
            "s"
        } else {
            "v"
        };
        let mut entry = vec![
            MTok::Ident(f.setter.as_str()),
            MTok::Ident(&f.rust_name),
            MTok::Ident(kind),
            MTok::Punct(':', false),
        ];
        ty_tokens(api, &ty, &mut entry);
        if f.required {
            // `sampled` holds for the type, so every required field has a sample.
            let sample = super::sample::field_sample(api, f).unwrap_or_default();
            entry.push(MTok::Punct('=', false));
            expr_tokens(&sample, &mut entry);
            required.push(entry);
        } else {
            optional.push(entry);
        }
    }
    let lists = vec![("req", required), ("opt", optional)];
    let gate = Some(cfg_feature("mock"));
    struct_macro(l, api, index, "crate::runtime::constructor", lists, extra, gate);
}

/// The tokens of an expression made here (a sample value), as a macro call holds them.
fn expr_tokens(text: &str, out: &mut Vec<MTok<'_>>) {
    fn convert(stream: proc_macro2::TokenStream, out: &mut Vec<MTok<'_>>) {
        use proc_macro2::{Delimiter, Spacing, TokenTree};
        for tree in stream {
            match tree {
                TokenTree::Ident(i) => out.push(MTok::Word(i.to_string())),
                TokenTree::Literal(l) => out.push(MTok::Lit(l.to_string())),
                TokenTree::Punct(p) => {
                    out.push(MTok::Punct(p.as_char(), p.spacing() == Spacing::Joint))
                }
                TokenTree::Group(g) => {
                    let delim = match g.delimiter() {
                        Delimiter::Parenthesis => Delim::Paren,
                        Delimiter::Bracket => Delim::Bracket,
                        Delimiter::Brace => Delim::Brace,
                        Delimiter::None => {
                            convert(g.stream(), out);
                            continue;
                        }
                    };
                    let mut inner = Vec::new();
                    convert(g.stream(), &mut inner);
                    out.push(MTok::Group(delim, inner));
                }
            }
        }
    }
    if let Ok(stream) = text.parse() {
        convert(stream, out);
    }
}

/// `string_enum!`: a string enum, its docs and gate inside the call; everything else (the
/// `Unknown` variant, `as_str`, `From<&str>`, serde, equality by wire value) comes from the
/// macro.
pub(super) fn string_enum(l: &mut Layout, api: &Api, index: usize, variants: &[EnumVariant]) {
    let t = &api.types[index];
    let docs = doc_lines(t.description.as_deref());
    let mut tokens = Vec::new();
    for d in &docs {
        attr_mtokens(&Attr::Doc(d), &mut tokens);
    }
    if let Some(cfg) = type_cfg(api, index) {
        attr_mtokens(&cfg, &mut tokens);
    }
    tokens.extend([MTok::Ident("pub"), MTok::Ident("enum"), MTok::Ident(&t.name)]);
    let mut body = Vec::new();
    for v in variants {
        body.extend([
            MTok::Ident(&v.rust_name),
            MTok::Punct('=', false),
            MTok::Lit(string_lit(&v.wire)),
            MTok::Punct(',', false),
        ]);
    }
    tokens.push(MTok::Group(Delim::Brace, body));
    macro_item(l, &[], "crate::runtime::string_enum", Delim::Brace, &tokens);
}

/// A type as prettyplease prints it on one line (`std::collections::BTreeMap<String, Vec<A>>`).
pub(super) fn flat_type(api: &Api, t: &TypeRef) -> String {
    match t {
        TypeRef::Named(i) => api.types[*i].name.clone(),
        TypeRef::DateTime => "chrono::DateTime<chrono::FixedOffset>".to_owned(),
        TypeRef::Array(inner) => format!("Vec<{}>", flat_type(api, inner)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            flat_type(api, inner)
        ),
        TypeRef::Nullable(inner) => format!("Option<{}>", flat_type(api, inner)),
        _ => simple_type(t).to_owned(),
    }
}

/// `#[cfg(feature = "name")]` on one line.
pub(super) fn cfg_line(feature: &str) -> String {
    format!("#[cfg(feature = {})]", string_lit(feature))
}

/// How an operation's parameter is taken, as text (as [`crate::surface::param_arg`] decides):
/// `(the type it is stored as, the argument's type, whether the argument is converted)`.
pub(super) fn param_arg_text(api: &Api, p: &Param) -> (String, String, bool) {
    use crate::surface::ParamArg;
    match crate::surface::param_arg(p) {
        ParamArg::Secret => ("Secret".to_owned(), "impl Into<Secret>".to_owned(), true),
        ParamArg::IntoString => ("String".to_owned(), "impl Into<String>".to_owned(), true),
        ParamArg::Type => {
            let ty = flat_type(api, &p.ty);
            (ty.clone(), ty, false)
        }
    }
}

/// A method of a [`SketchImpl`]: its doc lines (each with its leading space), attributes,
/// signature and statements, each as prettyplease prints it on one line.
pub(super) struct SketchFn {
    /// Outer attributes before the doc lines, on one line each.
    pub pre: Vec<String>,
    pub docs: Vec<String>,
    /// Outer attributes on one line each (`#[cfg(feature = "x")]`).
    pub attrs: Vec<String>,
    /// `pub fn name`.
    pub head: String,
    /// The arguments, `&self` first.
    pub args: Vec<String>,
    /// ` -> Type`, or nothing.
    pub ret: String,
    pub body: Vec<SketchStmt>,
}

/// A statement of a [`SketchFn`].
pub(super) enum SketchStmt {
    /// A statement on one line.
    Line(String),
    /// A struct literal as the value of the function: `Path { fields }`.
    Struct { path: String, fields: Vec<String> },
}

/// An impl block of simple methods, written as text when prettyplease's layout of it is
/// certain: every line fits within the margin, except a signature (broken into one argument
/// per line) and a struct literal (one field per line), whose breaking is written out as
/// prettyplease does it. Otherwise the same text is parsed and printed through syn and
/// prettyplease. One description of the code, two ways to print it.
pub(super) struct SketchImpl<'a> {
    /// The API feature the impl is compiled with.
    pub feature: Option<&'a str>,
    /// `impl Mock<'_, operations::X>`.
    pub header: String,
    pub fns: Vec<SketchFn>,
}

/// The column at which prettyplease breaks lines.
const MARGIN: usize = crate::layout::MARGIN as usize;
/// The widest struct literal prettyplease keeps on one line (`end_with_max_width(34)`, counted
/// without its closing brace).
const STRUCT_LITERAL_MAX: usize = 34;

impl SketchFn {
    fn flat_signature(&self) -> String {
        format!("{}({}){}", self.head, self.args.join(", "), self.ret)
    }

    /// Whether the signature fits on its line (else each argument takes a line).
    fn signature_fits(&self) -> bool {
        4 + self.flat_signature().len() + 2 <= MARGIN
    }
}

impl SketchStmt {
    fn flat(&self) -> String {
        match self {
            SketchStmt::Line(line) => line.clone(),
            SketchStmt::Struct { path, fields } => format!("{path} {{ {} }}", fields.join(", ")),
        }
    }
}

impl SketchImpl<'_> {
    fn fits(&self) -> bool {
        let line = |indent: usize, text: &str| indent + text.len() <= MARGIN;
        self.header.len() + 2 <= MARGIN
            && self.fns.iter().all(|f| {
                f.attrs.iter().chain(&f.pre).all(|a| line(4, a))
                    && (f.signature_fits()
                        || (f.args.iter().all(|a| line(9, a))
                            && 4 + 1 + f.ret.len() + 2 <= MARGIN))
                    && f.body.iter().all(|s| match s {
                        SketchStmt::Line(text) => line(8, text),
                        SketchStmt::Struct { path, fields } => {
                            s.flat().len() - 1 <= STRUCT_LITERAL_MAX
                                || (8 + path.len() + 2 <= MARGIN
                                    && fields.iter().all(|f| line(13, f)))
                        }
                    })
            })
    }

    /// Adds the impl to `out`.
    pub(super) fn emit(&self, out: &mut super::Emitted) {
        let mut text = String::new();
        self.write(&mut text);
        if self.fits() {
            out.text(|l| {
                if let Some(feature) = self.feature {
                    attrs(l, &[cfg_feature(feature)]);
                }
                l.word(&text);
                l.hardbreak();
            });
        } else {
            // The same code, laid out by prettyplease: its tokens do not depend on the layout.
            // It is Rust we wrote: a lexing failure would be a clientgen bug, which rendering
            // then reports (the tokens of an empty item do not parse as one).
            let tokens = self
                .source(&text)
                .parse::<proc_macro2::TokenStream>()
                .unwrap_or_else(|_| quote::quote! { impl });
            out.tokens(tokens);
        }
    }

    /// The block with its gate, as Rust source.
    fn source(&self, text: &str) -> String {
        match self.feature {
            Some(feature) => format!("{}\n{text}", cfg_line(feature)),
            None => text.to_owned(),
        }
    }

    /// The block as prettyplease lays it out when it fits (see [`Self::fits`]); otherwise
    /// still the same code.
    fn write(&self, out: &mut String) {
        // A new line at `indent` columns, then `text`.
        fn line(out: &mut String, indent: usize, text: &str) {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(text);
        }
        out.push_str(&self.header);
        if self.fns.is_empty() {
            out.push_str(" {}");
            return;
        }
        out.push_str(" {");
        for f in &self.fns {
            f.pre.iter().for_each(|a| line(out, 4, a));
            for d in &f.docs {
                line(out, 4, "///");
                out.push_str(d.trim_end_matches(' '));
            }
            f.attrs.iter().for_each(|a| line(out, 4, a));
            if f.signature_fits() {
                line(out, 4, &f.flat_signature());
            } else {
                line(out, 4, &f.head);
                out.push('(');
                for a in &f.args {
                    line(out, 8, a);
                    out.push(',');
                }
                line(out, 4, ")");
                out.push_str(&f.ret);
            }
            if f.body.is_empty() {
                out.push_str(" {}");
                continue;
            }
            out.push_str(" {");
            for s in &f.body {
                match s {
                    SketchStmt::Struct { path, fields }
                        if s.flat().len() - 1 > STRUCT_LITERAL_MAX =>
                    {
                        line(out, 8, path);
                        out.push_str(" {");
                        for field in fields {
                            line(out, 12, field);
                            out.push(',');
                        }
                        line(out, 8, "}");
                    }
                    _ => line(out, 8, &s.flat()),
                }
            }
            line(out, 4, "}");
        }
        line(out, 0, "}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(args: &[&str], ret: &str, body: Vec<SketchStmt>) -> SketchFn {
        SketchFn {
            pre: vec!["#[cfg(feature = \"f\")]".to_owned()],
            docs: vec![" Does it.".to_owned(), String::new()],
            attrs: vec!["#[deprecated = \"no\"]".to_owned()],
            head: "pub fn call".to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            ret: ret.to_owned(),
            body,
        }
    }

    /// Struct literals on both sides of prettyplease's 34-column limit, signatures on both
    /// sides of the margin, an empty impl: laid out as text, each is what prettyplease prints
    /// for the same code.
    #[test]
    fn sketches_are_laid_out_as_prettyplease_lays_them_out() {
        let literal = |width: usize| {
            // `P { client: x }` with `x` padded so the literal is `width` wide without `}`.
            let pad = "a".repeat(width - "P { client:  ".len());
            SketchStmt::Struct {
                path: "P".to_owned(),
                fields: vec![format!("client: {pad}")],
            }
        };
        let long_arg = format!("value: {}", "B".repeat(60));
        let cases = [
            vec![method(&["&self"], " -> P<'_>", vec![literal(34)])],
            vec![method(&["&self"], " -> P<'_>", vec![literal(35)])],
            vec![method(
                &["&self", &long_arg],
                " -> Self",
                vec![SketchStmt::Line("self.x(value);".to_owned()), literal(20)],
            )],
            vec![method(&["mut self", "x: u8"], "", vec![])],
            vec![],
        ];
        for fns in cases {
            let sketch = SketchImpl {
                feature: Some("g"),
                header: "impl<'a> Thing<'a>".to_owned(),
                fns,
            };
            assert!(sketch.fits());
            let mut emitted = super::super::Emitted::default();
            sketch.emit(&mut emitted);
            let [super::super::Part::Text(text)] = emitted.parts.as_slice() else {
                panic!("written as text");
            };
            let mut code = String::new();
            sketch.write(&mut code);
            let file = syn::parse_file(&sketch.source(&code)).expect("parses");
            assert_eq!(text, &prettyplease::unparse(&file), "{code}");
        }
    }
}
