//! Names of the members that types and operations expose besides their fields and
//! parameters: struct setters, and the typed mock server's methods. Decided here, once, so
//! that emitting and `diff` print the same names and neither makes one up.

use crate::model::{Api, MockNames, ParamLocation, ResponseKind, StatusMatch, TypeKind, TypeRef};
use crate::naming::{Names, Scope, pascal, snake};

/// Settles setters, `ErrorBody` variants and mock names; runs last, when type names and
/// `required` are final.
pub(super) fn settle(api: &mut Api) {
    api.sampled = sampled(api);
    // `ErrorBody` variants: the body type's name (`Json` for a type without one), a clash
    // settled by the type as Rust spells it, not by which operation came first.
    let requests: Vec<(String, String)> = api
        .error_variants
        .iter()
        .map(|v| {
            let base = match &v.ty {
                TypeRef::Named(i) => api.types[*i].name.clone(),
                _ => "Json".to_owned(),
            };
            (base, crate::surface::type_text(api, &v.ty))
        })
        .collect();
    let names = Names::default().settle(&requests);
    for (v, name) in api.error_variants.iter_mut().zip(names) {
        v.rust_name = name;
    }
    for t in &mut api.types {
        if let TypeKind::Struct { fields, .. } = &mut t.kind {
            // Setters share the impl with `new` and `sample`; a field's order in its own
            // schema settles a clash, which only the schema itself can change.
            let mut methods = Scope::with_reserved(&["new", "sample"]);
            for f in fields.iter_mut() {
                f.setter = methods.claim(f.rust_name.clone());
            }
        }
    }
    // The server's method per operation: the builder's name without `Builder`, unique as
    // builders are, settled by JSON pointer where snake case merges two.
    let bases: Vec<String> = api
        .operations
        .iter()
        .map(|op| {
            op.builder_name
                .strip_suffix("Builder")
                .unwrap_or(&op.builder_name)
                .to_owned()
        })
        .collect();
    let requests: Vec<(String, String)> = api
        .operations
        .iter()
        .zip(&bases)
        .map(|(op, base)| (snake(base), op.pointer.clone()))
        .collect();
    let methods = Names::with_reserved(&crate::reserved::reserved().mock_server).settle(&requests);
    for ((op, base), method) in api.operations.iter_mut().zip(&bases).zip(methods) {
        let mut scope = Scope::with_reserved(&crate::reserved::reserved().mock);
        let matchers = op
            .params
            .iter()
            .map(|p| match p.location {
                // Cookies and a whole query string are not matched: any value is taken.
                ParamLocation::Cookie | ParamLocation::QueryString(_) => None,
                _ => Some(scope.claim(p.rust_name.clone())),
            })
            .collect();
        let answers: Vec<_> = op.success.iter().chain(&op.errors).collect();
        let responders = answers
            .iter()
            .map(|(status, _)| scope.claim(responder(*status)))
            .collect();
        let responders_with = answers
            .iter()
            .map(|(status, kind)| {
                (*kind != ResponseKind::Empty)
                    .then(|| scope.claim(format!("{}_with", responder(*status))))
            })
            .collect();
        op.mock = MockNames {
            method,
            marker: pascal(base),
            matchers,
            responders,
            responders_with,
        };
    }
}

/// The mock's answer method for a status.
fn responder(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(c) => format!("respond_{c}"),
        StatusMatch::Range(r) => format!("respond_{r}xx"),
        StatusMatch::Default => "respond_default".into(),
    }
}

/// Which types a finite sample value exists for: the least fixed point of "every required,
/// non-null property has one" (structs), "one alternative has one" (unions) and "the target
/// has one" (aliases), where containers and nullable values always have one (empty, `None`).
fn sampled(api: &Api) -> Vec<bool> {
    fn finite(done: &[bool], t: &TypeRef) -> bool {
        match t {
            TypeRef::Named(i) => done[*i],
            _ => true,
        }
    }
    let mut done = vec![false; api.types.len()];
    loop {
        let mut changed = false;
        for (i, t) in api.types.iter().enumerate() {
            if done[i] {
                continue;
            }
            let now = match &t.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .filter(|f| f.required && !f.nullable)
                    .all(|f| finite(&done, &f.ty)),
                TypeKind::Enum { .. } => true,
                TypeKind::Union { variants, .. } => variants.iter().any(|v| finite(&done, &v.ty)),
                TypeKind::Alias(target) => finite(&done, target),
            };
            if now {
                done[i] = true;
                changed = true;
            }
        }
        if !changed {
            return done;
        }
    }
}
