//! Token streams to formatted source text, with the generated-file header.

use proc_macro2::TokenStream;

/// Formats a piece: its token parts with prettyplease, its text parts as they are.
pub fn render_emitted(emitted: crate::emit::Emitted) -> Result<String, String> {
    let mut out = String::new();
    for part in emitted.parts {
        match part {
            crate::emit::Part::Tokens(tokens) => out.push_str(&render_part(tokens)?),
            crate::emit::Part::Text(text) => {
                if out.is_empty() {
                    out = text;
                } else {
                    out.push_str(&text);
                }
            }
        }
    }
    Ok(out)
}

/// Formats a run of items. prettyplease prints each top-level item on its own, without
/// blank lines between items, so consecutive runs rendered apart concatenate to exactly the
/// text of the whole file; that lets large files render on several threads.
pub fn render_part(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("generated code does not parse (a clientgen bug): {e}"))?;
    Ok(prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn pieces_concatenate_to_the_whole_file() {
        let a = quote! { #![allow(dead_code)] /// A.
        pub struct A { x: i32 } };
        let b = quote! { pub fn b() -> u8 { 1 } pub enum C { D } };
        let whole = render_part(quote! { #a #b }).expect("renders");
        let pieces = render_part(a).expect("renders") + &render_part(b).expect("renders");
        assert_eq!(whole, pieces);
    }

    #[test]
    fn tokens_that_are_not_rust_are_an_error_not_a_panic() {
        let err = render_part(quote! { pub struct ; }).expect_err("not an item");
        assert!(err.contains("clientgen bug"), "{err}");
    }
}
