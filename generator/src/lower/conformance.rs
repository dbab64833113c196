//! The description's own JSON that a conformance test synthesises its arguments from, copied
//! into the IR when one is asked for: each parameter object and body schema, and the targets
//! of every `$ref` they reach. With it, nothing after lowering reads the raw document.

use std::collections::BTreeMap;

use serde_json::Value;

use super::raw_checks::resolve;
use crate::model::*;

/// The parameter object of an IR parameter: the operation's own, else the path item's.
fn declared_param<'a>(raw: &'a Value, op: &Operation, p: &Param) -> Option<&'a Value> {
    let location = match p.location {
        ParamLocation::Path => "path",
        // `in: querystring` reads as `in: query` once parsed.
        ParamLocation::Query | ParamLocation::QueryString(_) => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let path_item = op.pointer.rsplit_once('/').map_or("", |(a, _)| a);
    let path_item = path_item
        .strip_suffix("/additionalOperations")
        .unwrap_or(path_item);
    [op.pointer.as_str(), path_item]
        .into_iter()
        .filter_map(|ptr| {
            raw.pointer(ptr.strip_prefix('#').unwrap_or(ptr))?
                .get("parameters")?
                .as_array()
        })
        .flatten()
        .map(|q| resolve(raw, q))
        .find(|q| {
            q.get("name").and_then(Value::as_str) == Some(p.wire_name.as_str())
                && q.get("in").and_then(Value::as_str) == Some(location)
        })
}

/// The schema of the operation's request body, for its media type.
fn body_schema<'a>(raw: &'a Value, op: &Operation, b: &Body) -> Option<&'a Value> {
    let pointer = op.pointer.strip_prefix('#').unwrap_or(&op.pointer);
    let body = resolve(raw, raw.pointer(pointer)?.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    let media = content
        .get(&b.content_type)
        .or_else(|| content.values().next())?;
    media.get("schema")
}

/// Adds to `refs` the target of every `$ref` in `value`, and of every `$ref` in those targets.
fn reach(raw: &Value, value: &Value, refs: &mut BTreeMap<String, Value>) {
    let mut todo = vec![value];
    while let Some(v) = todo.pop() {
        match v {
            Value::Object(o) => {
                if let Some(p) = o
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                {
                    if !refs.contains_key(p) {
                        if let Some(target) = raw.pointer(p) {
                            refs.insert(p.to_owned(), target.clone());
                            todo.push(target);
                        }
                    }
                }
                todo.extend(o.values());
            }
            Value::Array(a) => todo.extend(a),
            _ => {}
        }
    }
}

/// What the conformance test of `api` needs of the raw document `raw`.
pub(super) fn schemas(api: &Api, raw: &Value, is_31: bool) -> ConformanceSchemas {
    let mut refs = BTreeMap::new();
    let operations = api
        .operations
        .iter()
        .map(|op| {
            let params = op
                .params
                .iter()
                .map(|p| declared_param(raw, op, p))
                .collect::<Vec<_>>();
            let body = op.body.as_ref().and_then(|b| body_schema(raw, op, b));
            for v in params.iter().flatten().chain(&body) {
                reach(raw, v, &mut refs);
            }
            OperationSchemas {
                params: params.into_iter().map(|p| p.cloned()).collect(),
                body: body.cloned(),
            }
        })
        .collect();
    ConformanceSchemas {
        is_31,
        operations,
        refs,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::diag::Diagnostics;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets/{id}:
    parameters:
      - {$ref: '#/components/parameters/Id'}
    put:
      operationId: updatePet
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}, example: true}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '204': {description: done}
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}}
  schemas:
    Id: {type: string, format: uuid}
    Pet:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      type: object
      properties:
        id: {$ref: '#/components/schemas/Id'}
    Unused: {type: integer}
"##;

    fn lower(conformance: bool) -> crate::model::Api {
        let mut diags = Diagnostics::default();
        let parsed = crate::parse::parse(SPEC, &mut diags).expect("parses");
        super::super::lower_with(&parsed, &mut diags, conformance)
    }

    #[test]
    fn the_ir_carries_what_the_conformance_test_reads_only_when_asked() {
        assert!(lower(false).conformance.is_none());
        let api = lower(true);
        let schemas = api.conformance.expect("asked for");
        assert!(!schemas.is_31);
        let [op] = schemas.operations.as_slice() else {
            panic!("one operation")
        };
        let by_name = |name: &str| {
            let i = api.operations[0]
                .params
                .iter()
                .position(|p| p.wire_name == name)
                .expect("a parameter");
            op.params[i].clone().expect("declared")
        };
        // The path item's parameter, through its `$ref`; the operation's own, as it is.
        assert_eq!(by_name("id")["in"], json!("path"));
        assert_eq!(by_name("verbose")["example"], json!(true));
        assert_eq!(op.body, Some(json!({"$ref": "#/components/schemas/Pet"})));
        // Every target the values reach, through other targets; nothing else.
        let refs: Vec<&str> = schemas.refs.keys().map(String::as_str).collect();
        assert_eq!(
            refs,
            [
                "/components/schemas/Id",
                "/components/schemas/Owner",
                "/components/schemas/Pet"
            ]
        );
    }
}
