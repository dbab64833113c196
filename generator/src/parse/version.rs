//! The version check: OpenAPI 3.0, 3.1 and 3.2 are read; anything else is refused.

use serde_json::Value;

use crate::diag::Diagnostics;

/// The OpenAPI version of a document that can be read.
pub(super) struct Version {
    /// OpenAPI 3.1 or 3.2 (normalised to the 3.0 model).
    pub(super) is_31: bool,
    /// OpenAPI 3.2.
    pub(super) is_32: bool,
    /// Swagger 2.0 (rewritten to the 3.0 model by `swagger2`).
    pub(super) is_20: bool,
}

/// The version the document's `openapi` field names; `None`, with an error at `#/openapi`,
/// when it is not one that can be read.
pub(super) fn check(raw: &Value, diags: &mut Diagnostics) -> Option<Version> {
    let version = raw
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if version.is_empty() {
        match raw.get("swagger") {
            Some(Value::String(v)) if v == "2.0" => {
                return Some(Version {
                    is_31: false,
                    is_32: false,
                    is_20: true,
                });
            }
            Some(other) => {
                diags.error(
                    "#/swagger",
                    format!("unsupported Swagger version {other}; expected `2.0`, or an OpenAPI 3.0.x, 3.1.x or 3.2.x document"),
                );
                return None;
            }
            None => {}
        }
    }
    let is_32 = version.starts_with("3.2.") || version == "3.2";
    let is_31 = if version.starts_with("3.0.") || version == "3.0" {
        false
    } else if version.starts_with("3.1.") || version == "3.1" || is_32 {
        true
    } else {
        let message = if version.is_empty() {
            "no `openapi` field: not an OpenAPI description (expected `openapi: 3.0.x`, 3.1.x or 3.2.x, or `swagger: \"2.0\"`)".to_owned()
        } else {
            format!("unsupported OpenAPI version `{version}`; expected 3.0.x, 3.1.x or 3.2.x")
        };
        diags.error("#/openapi", message);
        return None;
    };
    Some(Version {
        is_31,
        is_32,
        is_20: false,
    })
}
