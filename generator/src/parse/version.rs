//! The version check: OpenAPI 3.0, 3.1 and 3.2 are read; anything else is refused.

use serde_json::Value;

use crate::diag::Diagnostics;

/// The OpenAPI version of a document that can be read.
pub(super) struct Version {
    /// OpenAPI 3.1 or 3.2 (normalised to the 3.0 model).
    pub(super) is_31: bool,
    /// OpenAPI 3.2.
    pub(super) is_32: bool,
}

/// The version the document's `openapi` field names; `None`, with an error at `#/openapi`,
/// when it is not one that can be read.
pub(super) fn check(raw: &Value, diags: &mut Diagnostics) -> Option<Version> {
    let version = raw
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let is_32 = version.starts_with("3.2.") || version == "3.2";
    let is_31 = if version.starts_with("3.0.") || version == "3.0" {
        false
    } else if version.starts_with("3.1.") || version == "3.1" || is_32 {
        true
    } else {
        let message = if version.is_empty() {
            match raw.get("swagger") {
                Some(_) => "unsupported OpenAPI version: swagger 2.0 (convert it to OpenAPI 3 first)".to_owned(),
                None => "no `openapi` field: not an OpenAPI description (expected `openapi: 3.0.x`, 3.1.x or 3.2.x)".to_owned(),
            }
        } else {
            format!("unsupported OpenAPI version `{version}`; expected 3.0.x, 3.1.x or 3.2.x")
        };
        diags.error("#/openapi", message);
        return None;
    };
    Some(Version { is_31, is_32 })
}
