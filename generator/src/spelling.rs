//! How each type of the IR is spelled in Rust: decided here once, and printed by whoever
//! needs it in their form (`emit`'s tokens, the text layouts of `emit/text.rs` and
//! `emit/macros.rs`, the one-line text of sketches and of `surface`). A printer walks
//! [`spelling`] and decides nothing but spacing.

use crate::model::{Api, TypeRef};

/// A type as Rust spells it: a path, with generic arguments when it takes some.
pub(crate) struct Spelling<'a> {
    /// `Vec`, `chrono::DateTime`, `Pet`.
    pub path: &'a str,
    /// The generic arguments, in order (empty for a plain path).
    pub args: Vec<Arg<'a>>,
}

/// A generic argument: another type of the IR, or a fixed path (`String` as a map's key,
/// `chrono::FixedOffset`).
pub(crate) enum Arg<'a> {
    Type(&'a TypeRef),
    Path(&'static str),
}

/// The spelling of `t`.
pub(crate) fn spelling<'a>(api: &'a Api, t: &'a TypeRef) -> Spelling<'a> {
    let plain = |path: &'a str| Spelling {
        path,
        args: Vec::new(),
    };
    match t {
        TypeRef::Named(i) => plain(&api.types[*i].name),
        TypeRef::String => plain("String"),
        TypeRef::Bool => plain("bool"),
        TypeRef::I32 => plain("i32"),
        TypeRef::I64 => plain("i64"),
        TypeRef::U64 => plain("u64"),
        TypeRef::F32 => plain("f32"),
        TypeRef::F64 => plain("f64"),
        TypeRef::Date => plain("chrono::NaiveDate"),
        TypeRef::Uuid => plain("uuid::Uuid"),
        TypeRef::Json => plain("serde_json::Value"),
        TypeRef::DateTime => Spelling {
            path: "chrono::DateTime",
            args: vec![Arg::Path("chrono::FixedOffset")],
        },
        TypeRef::Array(inner) => Spelling {
            path: "Vec",
            args: vec![Arg::Type(inner)],
        },
        TypeRef::Map(inner) => Spelling {
            path: "std::collections::BTreeMap",
            args: vec![Arg::Path("String"), Arg::Type(inner)],
        },
        TypeRef::Nullable(inner) => Spelling {
            path: "Option",
            args: vec![Arg::Type(inner)],
        },
    }
}

/// The type on one line, its generic arguments separated by `sep` (`", "` as prettyplease
/// prints it, `","` in the surface's signatures).
pub(crate) fn one_line(api: &Api, t: &TypeRef, sep: &str) -> String {
    let mut out = String::new();
    write_line(api, t, sep, &mut out);
    out
}

fn write_line(api: &Api, t: &TypeRef, sep: &str, out: &mut String) {
    let s = spelling(api, t);
    out.push_str(s.path);
    if s.args.is_empty() {
        return;
    }
    out.push('<');
    for (k, arg) in s.args.iter().enumerate() {
        if k > 0 {
            out.push_str(sep);
        }
        match arg {
            Arg::Type(t) => write_line(api, t, sep, out),
            Arg::Path(p) => out.push_str(p),
        }
    }
    out.push('>');
}
