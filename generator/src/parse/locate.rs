//! Refining error locations: a typed-parse error narrowed to the node that is wrong.

use serde_json::Value;

use super::slips::METHODS;
use crate::diag::escape_token;

/// What the OpenAPI model expects at a place in the document.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Header,
    Schema,
    SecurityScheme,
    Server,
    Info,
    Components,
}

fn expect_at(pointer: &str) -> Option<Expect> {
    let tokens: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let index = |s: &str| s.parse::<usize>().is_ok();
    Some(match t.as_slice() {
        ["paths"] => Expect::Paths,
        ["paths", _] => Expect::PathItem,
        ["paths", _, m] if METHODS.contains(m) || *m == "query" => Expect::Operation,
        ["paths", _, "additionalOperations", _] => Expect::Operation,
        ["info"] => Expect::Info,
        ["components"] => Expect::Components,
        ["servers", i] if index(i) => Expect::Server,
        ["components", "schemas", _] => Expect::Schema,
        ["components", "parameters", _] => Expect::Parameter,
        ["components", "requestBodies", _] => Expect::RequestBody,
        ["components", "responses", _] => Expect::Response,
        ["components", "headers", _] => Expect::Header,
        ["components", "securitySchemes", _] => Expect::SecurityScheme,
        [.., "parameters", i] if index(i) => Expect::Parameter,
        [.., "requestBody"] => Expect::RequestBody,
        [.., "responses", _] => Expect::Response,
        [.., "content", _] => Expect::MediaType,
        [.., "headers", _] => Expect::Header,
        [
            ..,
            "schema" | "itemSchema" | "items" | "not" | "additionalProperties",
        ] => Expect::Schema,
        [.., "properties", _] => Expect::Schema,
        [.., "allOf" | "oneOf" | "anyOf", i] if index(i) => Expect::Schema,
        _ => return None,
    })
}

/// Reads `node` as what is expected there; on failure, the pointer suffix and message of the
/// first problem inside it.
fn try_as(expect: Expect, node: &Value) -> Result<(), (String, String)> {
    fn read<T: serde::de::DeserializeOwned>(node: &Value) -> Result<(), (String, String)> {
        serde_path_to_error::deserialize::<_, T>(node)
            .map(|_| ())
            .map_err(|e| {
                let suffix = path_to_pointer(e.path());
                (suffix[1..].to_owned(), e.inner().to_string())
            })
    }
    match expect {
        Expect::Paths => read::<openapiv3::Paths>(node),
        Expect::PathItem => read::<openapiv3::PathItem>(node),
        Expect::Operation => read::<openapiv3::Operation>(node),
        Expect::Parameter => read::<openapiv3::Parameter>(node),
        Expect::RequestBody => read::<openapiv3::RequestBody>(node),
        Expect::Response => read::<openapiv3::Response>(node),
        Expect::MediaType => read::<openapiv3::MediaType>(node),
        Expect::Header => read::<openapiv3::Header>(node),
        Expect::Schema => read::<openapiv3::Schema>(node),
        Expect::SecurityScheme => read::<openapiv3::SecurityScheme>(node),
        Expect::Server => read::<openapiv3::Server>(node),
        Expect::Info => read::<openapiv3::Info>(node),
        Expect::Components => read::<openapiv3::Components>(node),
    }
}

/// Narrows a typed-parse error to the node that is wrong. serde loses the location inside
/// `$ref`-or-item values (they are untagged enums), so the error may name only `#/paths`:
/// each place below it is read again as what OpenAPI expects there, as deep as it goes.
pub(crate) fn refine(raw: &Value, mut pointer: String, mut message: String) -> (String, String) {
    'deeper: for _ in 0..64 {
        let Some(node) = raw.pointer(&pointer[1..]) else {
            break;
        };
        let is_ref = node.get("$ref").is_some();
        if let (Some(expect), false) = (expect_at(&pointer), is_ref) {
            match try_as(expect, node) {
                Ok(()) => {}
                Err((suffix, inner)) if !suffix.is_empty() => {
                    pointer.push_str(&suffix);
                    message = inner;
                    continue 'deeper;
                }
                Err((_, inner)) => message = inner,
            }
        }
        let children: Vec<String> = match node {
            Value::Object(map) => map
                .keys()
                .map(|k| format!("{pointer}/{}", escape_token(k)))
                .collect(),
            Value::Array(items) => (0..items.len()).map(|i| format!("{pointer}/{i}")).collect(),
            _ => Vec::new(),
        };
        for child in children {
            let Some(expect) = expect_at(&child) else {
                continue;
            };
            let Some(value) = raw.pointer(&child[1..]) else {
                continue;
            };
            if value.get("$ref").is_some() {
                continue;
            }
            if let Err((suffix, inner)) = try_as(expect, value) {
                pointer = format!("{child}{suffix}");
                message = inner;
                continue 'deeper;
            }
        }
        break;
    }
    (pointer, message)
}

pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_token(key));
            }
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    pointer
}
