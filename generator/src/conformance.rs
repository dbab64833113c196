//! The conformance test of a generated crate (`Options::conformance_test`): its plan, built
//! from the IR, for `clientgen_testkit::conformance`, which emits the test.

use clientgen_testkit::conformance::{
    BodyPlan, ConformancePlan, Encoding, FilePlan, Location, OperationPlan, ParamPlan,
};

use crate::model::*;

/// An operation's schemas when the IR has none for it (it always has).
static NO_SCHEMAS: OperationSchemas = OperationSchemas {
    params: Vec::new(),
    body: None,
};

/// The plan of `api`'s conformance test; `None` unless it was lowered with its schemas
/// (`lower::lower_with`).
pub fn plan<'a>(api: &'a Api, crate_name: &str) -> Option<ConformancePlan<'a>> {
    let schemas = api.conformance.as_ref()?;
    let operations = api
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| {
            let own = schemas.operations.get(index).unwrap_or(&NO_SCHEMAS);
            operation(api, index, op, op.accessors.clone(), own)
        })
        .collect();
    let constructor = api.constructor_scheme.and_then(|i| api.schemes.get(i));
    Some(ConformancePlan {
        crate_name: crate_name.to_owned(),
        is_31: schemas.is_31,
        constructor_credentials: constructor
            .map(|s| s.credentials.clone())
            .unwrap_or_default(),
        scheme_setters: api
            .schemes
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != api.constructor_scheme)
            .map(|(_, s)| (s.rust_name.clone(), s.credentials.clone()))
            .collect(),
        operations,
        refs: &schemas.refs,
    })
}

fn operation<'a>(
    api: &Api,
    index: usize,
    op: &Operation,
    chain: Vec<String>,
    schemas: &'a OperationSchemas,
) -> OperationPlan<'a> {
    let params = op
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| ParamPlan {
            wire_name: p.wire_name.clone(),
            rust_name: p.rust_name.clone(),
            location: match p.location {
                ParamLocation::Path => Location::Path,
                ParamLocation::Query => Location::Query,
                ParamLocation::QueryString(_) => Location::QueryString,
                ParamLocation::Header => Location::Header,
                ParamLocation::Cookie => Location::Cookie,
            },
            required: p.required,
            rust_type: crate::emit::type_tokens(api, &p.ty).to_string(),
            is_string: matches!(p.ty, TypeRef::String),
            explode: p.explode,
            deep_object: p.deep_object,
            declared: schemas.params.get(i).and_then(Option::as_ref),
        })
        .collect();
    let body = op.body.as_ref().map(|b| BodyPlan {
        encoding: match b.encoding {
            BodyEncoding::Json => Encoding::Json,
            BodyEncoding::Form => Encoding::Form,
            BodyEncoding::Multipart => Encoding::Multipart,
            BodyEncoding::Binary => Encoding::Binary,
            BodyEncoding::Text => Encoding::Text,
        },
        rust_type: crate::emit::type_tokens(api, &b.ty).to_string(),
        required: b.required,
        defaultable: b.defaultable,
        files: b
            .files
            .iter()
            .map(|f| FilePlan {
                wire_name: f.wire_name.clone(),
                rust_name: f.rust_name.clone(),
                required: f.required,
            })
            .collect(),
        schema: schemas.body.as_ref(),
    });
    OperationPlan {
        id: op.id.clone(),
        method: op.method.as_str().to_owned(),
        path: op.path.clone(),
        chain,
        method_name: op.method_name.clone(),
        cfg: crate::emit::operation_cfg(api, index).to_string(),
        has_success: op.success.iter().any(|(s, _)| match s {
            StatusMatch::Code(c) => (200..300).contains(c),
            StatusMatch::Range(r) => *r == 2,
            StatusMatch::Default => false,
        }),
        params,
        body,
    }
}
