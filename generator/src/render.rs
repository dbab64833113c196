//! Token streams to formatted source text, with the generated-file header.

use proc_macro2::TokenStream;

/// Formats a whole file with prettyplease. A failure here is a generator bug, reported as an
/// error instead of a panic.
pub fn render(tokens: TokenStream, header: &str) -> Result<String, String> {
    let body = render_part(tokens)?;
    let mut out = String::with_capacity(header.len() + 1 + body.len());
    out.push_str(header);
    out.push('\n');
    out.push_str(&body);
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
