//! Text to `openapiv3::OpenAPI`: YAML or JSON without silent losses (duplicate keys are
//! errors, `<<` merge keys are applied, integers beyond 64 bits are kept as floats), a version
//! check, and normalisation of OpenAPI 3.1 and `$ref` siblings to the 3.0 model.
//!
//! One module per step: `strict` reads the text, `version` checks the version, `v32` prepares
//! an OpenAPI 3.2 document, `normalise` brings 3.1 to the 3.0 model, `slips` fills in what
//! descriptions often leave out, and `locate` narrows a typed-parse error to the node that is
//! wrong.

mod locate;
mod normalise;
mod slips;
mod strict;
mod swagger2;
mod v32;
mod version;
mod yaml;

use serde_json::{Map, Value};

use crate::diag::Diagnostics;

pub(crate) use locate::{path_to_pointer, refine};
pub use normalise::{deep_target, percent_decode};
pub use strict::parse_value;
pub(crate) use v32::{essence as media_essence, is_json_lines, is_json_seq};

use normalise::normalise;
use slips::accept_slips;
use version::Version;

/// The parsed document and what parsing noticed.
pub struct Parsed {
    /// The typed document.
    pub spec: openapiv3::OpenAPI,
    /// The normalised JSON tree it came from (for extensions openapiv3 does not keep).
    pub raw: Value,
    /// Targets of local references that are not a whole component (`#/components/schemas/A/
    /// properties/b`, a schema inside an operation): lowering shares one type for each.
    pub deep_refs: std::collections::BTreeSet<String>,
    /// The document is OpenAPI 3.1 or 3.2 (normalised to the 3.0 model above).
    pub is_31: bool,
}

/// Parses spec text (YAML or JSON). Problems are added to `diags`; `None` when the text
/// cannot become a document at all.
#[cfg(test)]
pub fn parse(text: &str, diags: &mut Diagnostics) -> Option<Parsed> {
    parse_on(text, diags, true, true)
}

/// `parse`, with a second thread for large documents only if `threads`, and without the
/// examples of media types, parameters and headers unless `keep_examples` (see
/// `normalise::drop_examples`).
pub(crate) fn parse_on(
    text: &str,
    diags: &mut Diagnostics,
    threads: bool,
    keep_examples: bool,
) -> Option<Parsed> {
    let mut raw = match parse_value(text) {
        Ok(v) => v,
        Err(message) => {
            diags.error("#", message);
            return None;
        }
    };
    let Version {
        is_31,
        is_32,
        is_20,
    } = version::check(&raw, diags)?;
    if !raw.is_object() {
        diags.error("#", "the document is not an object");
        return None;
    }
    if is_20 {
        let (converted, pointers) = swagger2::convert(&raw, diags);
        raw = converted;
        // From here on, what is reported about the rewritten document points into the 2.0
        // document the user wrote.
        diags.translate_pointers(pointers);
    }
    if is_32 {
        v32::prepare(&mut raw, diags);
    }
    let mut deep_refs = std::collections::BTreeSet::new();
    normalise(
        &mut raw,
        is_31,
        &mut String::from("#"),
        None,
        diags,
        &mut deep_refs,
        keep_examples,
    );
    accept_slips(&mut raw, diags);
    if let Some(obj) = raw.as_object_mut() {
        // 3.1 allows documents with only webhooks or components.
        obj.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        obj.insert("openapi".into(), Value::String("3.0.3".into()));
    }
    // The path items stay in the JSON tree only: lowering deserialises them one at a time
    // (`lower_operations`), so that the typed path items never all live at once (on GitHub's
    // API they are half of the typed document, 30 MB held through lowering).
    let paths = raw
        .as_object_mut()
        .and_then(|obj| obj.get_mut("paths"))
        .map(|p| std::mem::replace(p, Value::Object(Map::new())));
    let spec = deserialize_document(&mut raw, text, threads, diags);
    if let (Some(paths), Some(slot)) = (paths, raw.as_object_mut().and_then(|o| o.get_mut("paths")))
    {
        *slot = paths;
    }
    Some(Parsed {
        spec: spec?,
        raw,
        deep_refs,
        is_31,
    })
}

/// The typed document (without its path items, see [`parse_on`]). The plain deserialiser
/// first; only a document that fails is read again with path tracking, which costs a good
/// part of the parse on large specs.
fn deserialize_document(
    raw: &mut Value,
    text: &str,
    threads: bool,
    diags: &mut Diagnostics,
) -> Option<openapiv3::OpenAPI> {
    let plain = if threads && text.len() >= TWO_HALVES_FROM {
        deserialize_in_two_halves(raw)
    } else {
        <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&*raw).ok()
    };
    if plain.is_some() {
        return plain;
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&*raw) {
        Ok(spec) => Some(spec),
        Err(e) => {
            let (pointer, message) = refine(raw, path_to_pointer(e.path()), e.inner().to_string());
            diags.error(&pointer, format!("not a valid OpenAPI document: {message}"));
            None
        }
    }
}

/// A path item of `raw` (at `pointer`, `#/paths/..`), typed; a wrong one is reported as the
/// typed document's errors are.
pub(crate) fn path_item(
    raw: &Value,
    item: &Value,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Option<openapiv3::ReferenceOr<openapiv3::PathItem>> {
    if let Ok(item) = serde::Deserialize::deserialize(item) {
        return Some(item);
    }
    let e =
        serde_path_to_error::deserialize::<_, openapiv3::ReferenceOr<openapiv3::PathItem>>(item)
            .err()?;
    let inner = path_to_pointer(e.path());
    let (pointer, message) = refine(
        raw,
        format!("{pointer}{}", &inner[1..]),
        e.inner().to_string(),
    );
    diags.error(&pointer, format!("not a valid OpenAPI document: {message}"));
    None
}

/// Spec size from which the typed document is deserialised on two threads; below it, starting
/// a thread costs more than it saves (our 4-operation spec parsed in 0.9 ms on one thread and
/// 1.5 ms on two).
pub(crate) const TWO_HALVES_FROM: usize = 256 * 1024;

/// Deserialises the typed document with `components` on a second thread and the rest (paths,
/// mostly) on this one: on large specs the two are of similar size. The top-level values are
/// moved out of `raw` for the duration and put back, so nothing is copied and the key order
/// of `raw` is kept. `None` when either half fails; the caller then reports the pointer.
fn deserialize_in_two_halves(raw: &mut Value) -> Option<openapiv3::OpenAPI> {
    let obj = raw.as_object_mut()?;
    let mut rest = Map::new();
    for (key, value) in obj.iter_mut() {
        if key != "components" {
            rest.insert(key.clone(), std::mem::take(value));
        }
    }
    let rest = Value::Object(rest);
    let components = obj.get("components");
    let (spec, components) = std::thread::scope(|scope| {
        let components = components.map(|c| {
            scope.spawn(move || <openapiv3::Components as serde::Deserialize>::deserialize(c))
        });
        let spec = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&rest);
        let components = components.map(|h| h.join());
        (spec, components)
    });
    if let Value::Object(mut rest) = rest {
        for (key, value) in obj.iter_mut() {
            if let Some(moved) = rest.remove(key) {
                *value = moved;
            }
        }
    }
    let mut spec = spec.ok()?;
    spec.components = match components {
        None => None,
        Some(Ok(Ok(c))) => Some(c),
        Some(_) => return None,
    };
    Some(spec)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    fn errors_of(text: &str) -> Vec<String> {
        match crate::generate(
            text,
            &crate::Options {
                jobs: 1,
                ..crate::Options::new("x", "t")
            },
        ) {
            Ok(_) => Vec::new(),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn errors_inside_ref_or_item_values_point_at_the_node_with_its_line() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      parameters:\n        - name: limit\n          in: querystring\n      responses:\n        '200': {description: ok}\n";
        assert_eq!(
            errors_of(text),
            [
                "error: not a valid OpenAPI document: unknown variant `querystring`, expected one of `query`, `header`, `path`, `cookie` at #/paths/~1pets/get/parameters/0/in (line 8)"
            ]
        );
        // A response that is neither a reference nor a response, in JSON text.
        let json = r#"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "components": {
    "responses": {
      "Gone": {"description": "gone", "content": {"application/json": {"schema": {"type": "object", "properties": 5}}}}
    }
  },
  "paths": {}
}"#;
        assert_eq!(
            errors_of(json),
            [
                "error: not a valid OpenAPI document: invalid type: integer `5`, expected a map at #/components/responses/Gone/content/application~1json/schema (line 6)"
            ]
        );
    }

    #[test]
    fn slips_are_accepted_with_a_warning_at_their_line() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '200': {}\n  /b:\n    post: {}\n";
        let out = crate::generate(
            text,
            &crate::Options {
                jobs: 1,
                // A licence given, so that only the slips warn.
                license: Some("MIT".into()),
                ..crate::Options::new("x", "t")
            },
        )
        .expect("accepted");
        let warnings: Vec<String> = out.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "warning: no `info`: the API has no title or version",
                "warning: response without `description` at #/paths/~1a/get/responses/200 (line 6)",
                "warning: operation without `responses`: its response body is returned as raw bytes at #/paths/~1b/post (line 8)",
            ]
        );
    }

    const TWO_HALVES: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
x-top: {a: 1}
paths:
  /p:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
components:
  schemas:
    A: {type: object, properties: {b: {type: string}}}
  parameters:
    P: {name: p, in: query, schema: {type: integer}}
tags: [{name: t}]
"#;

    #[test]
    fn the_two_halves_give_the_whole_document_and_leave_the_tree_as_it_was() {
        let mut raw = parse_value(TWO_HALVES).unwrap();
        let before = raw.clone();
        let whole = <openapiv3::OpenAPI as Deserialize>::deserialize(&before).unwrap();
        let halves = deserialize_in_two_halves(&mut raw).expect("valid");
        assert_eq!(halves, whole);
        assert_eq!(raw, before);
        let keys: Vec<&String> = raw.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["openapi", "info", "x-top", "paths", "components", "tags"]
        );
    }

    #[test]
    fn a_failing_half_gives_none_and_the_pointer_comes_from_the_whole_document() {
        let broken = TWO_HALVES.replace("in: query", "in: 7");
        let mut raw = parse_value(&broken).unwrap();
        let before = raw.clone();
        assert!(deserialize_in_two_halves(&mut raw).is_none());
        assert_eq!(raw, before);
        let mut diags = Diagnostics::default();
        assert!(parse(&broken, &mut diags).is_none());
        let text = format!("{:?}", diags.into_vec());
        assert!(text.contains("#/components/parameters/P"), "{text}");
    }

    #[test]
    fn examples_are_dropped_where_nothing_reads_them_and_names_are_kept() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: examples, in: query, schema: {type: integer, example: 18446744073709551615}, example: 1}
      responses:
        '200':
          description: ok
          headers:
            examples: {schema: {type: string}, examples: {one: {value: x}}}
            X-Rate: {schema: {type: integer}, example: 5}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
              examples: {big: {$ref: '#/components/examples/Big'}}
              example: {examples: 1}
components:
  examples:
    Big: {value: {a: 1}}
  schemas:
    A:
      type: object
      example: {examples: 2}
      properties:
        examples: {type: array, items: {type: string}, examples: [[a]]}
        example: {type: string}
"#;
        let mut diags = Diagnostics::default();
        let dropped = parse_on(text, &mut diags, false, false)
            .expect("parses")
            .raw;
        let kept = parse_on(text, &mut diags, false, true).expect("parses").raw;
        let at = |raw: &Value, p: &str| raw.pointer(p).cloned();
        let response = "/paths/~1a/get/responses/200";
        // Dropped: examples of media types, parameters and headers, and components/examples.
        for p in [
            "/components/examples",
            "/paths/~1a/get/parameters/0/example",
            &format!("{response}/content/application~1json/examples"),
            &format!("{response}/content/application~1json/example"),
            &format!("{response}/headers/X-Rate/example"),
        ] {
            assert!(at(&dropped, p).is_none(), "{p} is dropped");
            assert!(at(&kept, p).is_some(), "{p} is kept when asked");
        }
        // Kept: names that read `examples` or `example` (a header of that name is taken for a
        // map of examples and left whole: keeping too much loses nothing), and schemas' own
        // examples.
        for p in [
            "/paths/~1a/get/parameters/0/schema/example",
            &format!("{response}/headers/examples/schema"),
            &format!("{response}/headers/X-Rate/schema"),
            "/components/schemas/A/example",
            "/components/schemas/A/properties/examples/items",
            "/components/schemas/A/properties/example",
        ] {
            assert!(at(&dropped, p).is_some(), "{p} stays");
        }
        assert_eq!(
            dropped["paths"]["/a"]["get"]["parameters"][0]["name"],
            "examples"
        );
    }

    #[test]
    fn path_items_are_typed_while_lowering_and_every_wrong_one_is_reported() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: x, in: nowhere}]\n      responses: {'200': {description: ok}}\n  /b:\n    get: {responses: 5}\n  /c:\n    get: {responses: {'200': {description: ok}}}\n";
        let mut diags = Diagnostics::default();
        let parsed = parse(text, &mut diags).expect("the document parses: path items wait");
        assert!(parsed.spec.paths.paths.is_empty());
        assert_eq!(parsed.raw["paths"].as_object().map(Map::len), Some(3));
        let errors = errors_of(text);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("#/paths/~1a/get/parameters/0/in (line 6)"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("#/paths/~1b/get/responses"),
            "{errors:?}"
        );
    }

    #[test]
    fn version_is_checked() {
        let mut d = Diagnostics::default();
        assert!(parse("swagger: '1.2'\n", &mut d).is_none());
        assert!(format!("{:?}", d.into_vec()).contains("#/swagger"));
        let mut d = Diagnostics::default();
        assert!(parse("openapi: 4.0.0\n", &mut d).is_none());
        assert!(format!("{:?}", d.into_vec()).contains("unsupported OpenAPI version `4.0.0`"));
        // Swagger 2.0 is read (into the 3.0 model).
        let mut d = Diagnostics::default();
        let parsed = parse(
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            &mut d,
        );
        assert_eq!(parsed.expect("2.0 is read").spec.openapi, "3.0.3");
    }

    #[test]
    fn openapi_31_is_normalised() {
        let text = r##"{"openapi":"3.1.0","info":{"title":"t","version":"1"},
            "components":{"schemas":{"A":{"type":["string","null"],"const":"x"},
            "B":{"type":"integer","exclusiveMinimum":1},
            "C":{"$ref":"#/components/schemas/A","nullable":true}}}}"##;
        let mut d = Diagnostics::default();
        let parsed = parse(text, &mut d).expect("parses");
        let a = &parsed.raw["components"]["schemas"]["A"];
        assert_eq!(a["type"], "string");
        assert_eq!(a["nullable"], true);
        assert_eq!(a["enum"], serde_json::json!(["x"]));
        assert_eq!(parsed.raw["components"]["schemas"]["B"]["minimum"], 1);
        assert_eq!(
            parsed.raw["components"]["schemas"]["C"]["allOf"][0]["$ref"],
            "#/components/schemas/A"
        );
        assert!(parsed.spec.paths.paths.is_empty());
    }
}
