//! Declarations written as macro calls (`from_map!`, `constructor!`, `string_enum!`), laid
//! out as prettyplease lays out a macro's tokens: the larger part of a large API's
//! `src/types.rs`. The attributes and types around them are `text.rs`'s.

use crate::layout::{INDENT, Layout};
use crate::model::*;

use super::string_lit;
use super::text::{Attr, AttrTok, Ty, attrs, cfg_feature, type_cfg};
use super::{SerdeImpls, doc_lines};

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
    use crate::spelling::{Arg, spelling};
    let s = spelling(api, t);
    path_tokens(s.path, out);
    if s.args.is_empty() {
        return;
    }
    out.push(MTok::Punct('<', false));
    for (k, arg) in s.args.iter().enumerate() {
        if k > 0 {
            out.push(MTok::Punct(',', false));
        }
        match arg {
            Arg::Type(t) => type_ref_tokens(api, t, out),
            Arg::Path(p) => path_tokens(p, out),
        }
    }
    out.push(MTok::Punct('>', false));
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
        if brace {
            l.hardbreak()
        } else {
            l.zerobreak()
        }
        l.ibox(0);
        macro_tokens(l, tokens);
        l.end();
        if brace {
            l.hardbreak()
        } else {
            l.zerobreak()
        }
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
        let mut entry = vec![
            MTok::Lit(string_lit(&f.wire_name)),
            MTok::Ident(&f.rust_name),
        ];
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
    struct_macro(
        l,
        api,
        index,
        "crate::runtime::from_map",
        lists,
        extra,
        gate,
    );
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
        body.extend([
            MTok::Ident("extra"),
            MTok::Punct(':', false),
            MTok::Ident(e),
        ]);
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
/// and the same `sample()` from [`request_sample`].
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
            push_sample(api, f, &mut entry);
            required.push(entry);
        } else {
            optional.push(entry);
        }
    }
    let lists = vec![("req", required), ("opt", optional)];
    let gate = Some(cfg_feature("mock"));
    struct_macro(
        l,
        api,
        index,
        "crate::runtime::constructor",
        lists,
        extra,
        gate,
    );
}

/// `sample!`: `sample()` of a request type, for tests (the `mock` feature); its constructor
/// and setters are `emit_constructor`'s.
pub(super) fn request_sample(
    l: &mut Layout,
    api: &Api,
    index: usize,
    fields: &[Field],
    extra: Option<&str>,
) {
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for f in fields {
        if f.required {
            let mut entry = vec![MTok::Ident(&f.rust_name)];
            push_sample(api, f, &mut entry);
            required.push(entry);
        } else {
            optional.push(vec![MTok::Ident(&f.rust_name)]);
        }
    }
    let lists = vec![("req", required), ("opt", optional)];
    let gate = Some(cfg_feature("mock"));
    struct_macro(l, api, index, "crate::runtime::sample", lists, extra, gate);
}

/// `= sample` of a required field in `constructor!` and `sample!`. The type is `sampled`, so
/// every required field has a sample.
fn push_sample<'a>(api: &Api, f: &Field, entry: &mut Vec<MTok<'a>>) {
    let sample = super::sample::field_sample(api, f).unwrap_or_default();
    entry.push(MTok::Punct('=', false));
    expr_tokens(&sample, entry);
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
    tokens.extend([
        MTok::Ident("pub"),
        MTok::Ident("enum"),
        MTok::Ident(&t.name),
    ]);
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
