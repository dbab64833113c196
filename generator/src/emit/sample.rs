//! Sample values for tests (the `mock` feature): `Type::sample()` and the body a mock's
//! `respond_<status>()` answers. A required property gets the description's `example` when
//! it has a scalar one, else a placeholder of its type: `"string"` (as Prism's examples say),
//! zero, `false`, an empty list or map, `null` for a nullable or untyped value, the first
//! value of an enum, the first alternative of a union that has a finite sample, and a named
//! struct's own `sample()`. Optional properties are left out. A test then sets what it cares
//! about with the setters, so a property the description adds later changes nothing it wrote.
//!
//! The expressions are Rust source text without spaces, so that they are single words in the
//! text layout of macro calls (`text.rs`) and parse as tokens elsewhere.

use super::string_lit;
use crate::model::{Api, Field, TypeKind, TypeRef};

/// The longest example string used as a sample; a longer one (a whole document pasted as an
/// example) gives the placeholder.
const MAX_EXAMPLE: usize = 200;

/// A sample value of `t`, or `None` when it has none (see [`Api::sampled`]).
pub(super) fn sample_expr(api: &Api, t: &TypeRef) -> Option<String> {
    sample_depth(api, t, 0)
}

fn sample_depth(api: &Api, t: &TypeRef, depth: usize) -> Option<String> {
    Some(match t {
        TypeRef::String => "\"string\".to_owned()".to_owned(),
        TypeRef::Bool => "false".to_owned(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => "0".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "0.0".to_owned(),
        TypeRef::DateTime => "chrono::DateTime::UNIX_EPOCH.fixed_offset()".to_owned(),
        TypeRef::Date => "chrono::NaiveDate::default()".to_owned(),
        TypeRef::Uuid => "uuid::Uuid::nil()".to_owned(),
        TypeRef::Json => "serde_json::Value::Null".to_owned(),
        TypeRef::Array(_) => "Vec::new()".to_owned(),
        TypeRef::Map(_) => "std::collections::BTreeMap::new()".to_owned(),
        TypeRef::Nullable(_) => "None".to_owned(),
        TypeRef::Named(i) => {
            if !api.sampled.get(*i).copied().unwrap_or(false) || depth > 32 {
                return None;
            }
            let t = &api.types[*i];
            match &t.kind {
                TypeKind::Struct { .. } => format!("{}::sample()", t.name),
                TypeKind::Enum { variants } => match variants.first() {
                    Some(v) => format!("{}::{}", t.name, v.rust_name),
                    None => format!("{}::Unknown(String::new())", t.name),
                },
                TypeKind::Union { variants, tag } => {
                    // The first alternative with a sample; unions of unions are written out
                    // in place, so the depth bounds a chain of them. A tagged union's
                    // alternative carries its own tag value.
                    let (v, inner) = variants.iter().find_map(|v| {
                        let tagged = tag
                            .as_deref()
                            .zip(v.tag_value.as_deref())
                            .and_then(|(tag, value)| tagged_sample(api, &v.ty, tag, value));
                        Some((v, tagged.or_else(|| sample_depth(api, &v.ty, depth + 1))?))
                    })?;
                    let inner = if v.boxed {
                        format!("Box::new({inner})")
                    } else {
                        inner
                    };
                    format!("{}::{}({inner})", t.name, v.rust_name)
                }
                TypeKind::Alias(target) => sample_depth(api, target, depth + 1)?,
            }
        }
    })
}

/// The sample of a tagged union's alternative `t` (a struct) with its tag property set to
/// `value`: `Circle { kind: "circle".to_owned(), ..Circle::sample() }`, written in the
/// generated crate itself, where `#[non_exhaustive]` allows it.
fn tagged_sample(api: &Api, t: &TypeRef, tag: &str, value: &str) -> Option<String> {
    let TypeRef::Named(i) = t else {
        return None;
    };
    if !api.sampled.get(*i).copied().unwrap_or(false) {
        return None;
    }
    let def = &api.types[*i];
    let TypeKind::Struct { fields, .. } = &def.kind else {
        return None;
    };
    let f = fields.iter().find(|f| f.wire_name == tag && !f.boxed)?;
    let mut v = match &f.ty {
        TypeRef::String => format!("{}.to_owned()", string_lit(value)),
        TypeRef::Named(e) if matches!(api.types[*e].kind, TypeKind::Enum { .. }) => {
            format!("{}::from({})", api.types[*e].name, string_lit(value))
        }
        _ => return None,
    };
    // Optional or nullable: `Option<T>`; optional and nullable: `Option<Option<T>>`.
    for wrap in [f.nullable, !f.required] {
        if wrap {
            v = format!("Some({v})");
        }
    }
    Some(format!(
        "{} {{ {}: {v}, ..{}::sample() }}",
        def.name, f.rust_name, def.name
    ))
}

/// The sample of a required field as the struct stores it (boxed, `None` when nullable): its
/// scalar example when the description gives one of the field's type.
pub(super) fn field_sample(api: &Api, f: &Field) -> Option<String> {
    if f.nullable {
        return Some("None".to_owned());
    }
    let value = example(f).or_else(|| sample_expr(api, &f.ty))?;
    Some(if f.boxed {
        format!("Box::new({value})")
    } else {
        value
    })
}

fn example(f: &Field) -> Option<String> {
    let e = f.example.as_ref()?;
    match (&f.ty, e) {
        (TypeRef::String, serde_json::Value::String(s)) if s.len() <= MAX_EXAMPLE => {
            Some(format!("{}.to_owned()", string_lit(s)))
        }
        (TypeRef::Bool, serde_json::Value::Bool(b)) => Some(b.to_string()),
        (TypeRef::I32, serde_json::Value::Number(n)) => n
            .as_i64()
            .filter(|v| i32::try_from(*v).is_ok())
            .map(|v| v.to_string()),
        (TypeRef::I64, serde_json::Value::Number(n)) => n.as_i64().map(|v| v.to_string()),
        (TypeRef::U64, serde_json::Value::Number(n)) => n.as_u64().map(|v| v.to_string()),
        (TypeRef::F32, serde_json::Value::Number(n)) => n
            .as_f64()
            .filter(|v| v.abs() <= f64::from(f32::MAX))
            .map(|v| format!("{v:?}")),
        (TypeRef::F64, serde_json::Value::Number(n)) => n
            .as_f64()
            .filter(|v| v.is_finite())
            .map(|v| format!("{v:?}")),
        _ => None,
    }
}
