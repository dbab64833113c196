//! Token streams to formatted source text, with the generated-file header.

use proc_macro2::TokenStream;

/// Formats a whole file with prettyplease. A failure here is a generator bug, reported as an
/// error instead of a panic.
pub fn render(tokens: TokenStream, header: &str) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("generated code does not parse (a clientgen bug): {e}"))?;
    let mut out = String::with_capacity(4096);
    out.push_str(header);
    out.push('\n');
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
}
