//! Impls of one-line methods (the typed mocks, the namespaces, the client's setters) as
//! [`SketchImpl`]s: written out as text where prettyplease's layout of them is certain, and
//! parsed back into tokens where it is not. `tests` here checks the sketches at the layout's
//! boundaries; `super::tests` prints every fixture's files again through syn and prettyplease.

use crate::model::*;

use super::string_lit;
use super::text::{attrs, cfg_feature};

/// A type as prettyplease prints it on one line (`std::collections::BTreeMap<String, Vec<A>>`).
pub(super) fn flat_type(api: &Api, t: &TypeRef) -> String {
    crate::spelling::one_line(api, t, ", ")
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
    /// The signature's length on one line: `head(a, b) -> Ret`.
    fn flat_signature_len(&self) -> usize {
        let args: usize = self.args.iter().map(String::len).sum();
        self.head.len() + 2 + args + 2 * self.args.len().saturating_sub(1) + self.ret.len()
    }

    /// Writes the signature on one line.
    fn write_flat_signature(&self, out: &mut String) {
        out.push_str(&self.head);
        out.push('(');
        for (k, a) in self.args.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            out.push_str(a);
        }
        out.push(')');
        out.push_str(&self.ret);
    }

    /// Whether the signature fits on its line (else each argument takes a line).
    fn signature_fits(&self) -> bool {
        4 + self.flat_signature_len() + 2 <= MARGIN
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
                        || (f.args.iter().all(|a| line(9, a)) && 4 + 1 + f.ret.len() + 2 <= MARGIN))
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
        // Sized up front: the impls of a large API's mocks are most of `src/mock.rs`, and a
        // string grown by doubling allocates about twice its length on the way.
        let mut text = String::with_capacity(self.estimated_len());
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

    /// About the length of [`Self::write`]'s text: each line's text and indentation.
    fn estimated_len(&self) -> usize {
        let fns: usize = self
            .fns
            .iter()
            .map(|f| {
                let lines = f.pre.len() + f.attrs.len() + f.docs.len() + f.body.len() + 2;
                let text: usize = f
                    .pre
                    .iter()
                    .chain(&f.attrs)
                    .chain(&f.docs)
                    .map(String::len)
                    .sum();
                let body: usize = f
                    .body
                    .iter()
                    .map(|s| match s {
                        SketchStmt::Line(l) => l.len(),
                        SketchStmt::Struct { path, fields } => {
                            path.len() + fields.iter().map(|f| f.len() + 14).sum::<usize>() + 12
                        }
                    })
                    .sum();
                text + body + f.flat_signature_len() + 8 * f.args.len() + 13 * lines
            })
            .sum();
        self.header.len() + 4 + fns
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
                line(out, 4, "");
                f.write_flat_signature(out);
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
                    SketchStmt::Line(text) => line(out, 8, text),
                    SketchStmt::Struct { .. } => line(out, 8, &s.flat()),
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
