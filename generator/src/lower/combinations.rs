//! `allOf`, and object keywords beside `oneOf`/`anyOf`: sorted by what each part describes,
//! then merged, distributed over a union, or kept as JSON with a warning, never emptied.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use crate::diag::join;
use crate::model::{TypeKind, TypeRef};

use super::type_space::TypeSpace;

/// Object keywords of one schema (or of several, merged), each property with the JSON pointer
/// where it is written, so that names, warnings and the lowering cache follow the document.
#[derive(Clone, Default)]
pub(super) struct ObjectParts {
    pub(super) properties: indexmap::IndexMap<String, (ReferenceOr<Box<Schema>>, String)>,
    pub(super) required: Vec<String>,
    pub(super) additional: Option<(AdditionalProperties, String)>,
}

impl ObjectParts {
    pub(super) fn of(
        pointer: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
    ) -> ObjectParts {
        let props = join(pointer, "properties");
        ObjectParts {
            properties: properties
                .iter()
                .map(|(k, v)| (k.clone(), (v.clone(), join(&props, k))))
                .collect(),
            required: required.to_vec(),
            additional: additional.map(|a| (a.clone(), join(pointer, "additionalProperties"))),
        }
    }
}

/// A `oneOf`/`anyOf` found in a combination.
pub(super) struct UnionPart {
    /// The part as written (a `$ref`, or the union schema itself).
    origin: ReferenceOr<Schema>,
    /// Where `origin` is.
    pub(super) pointer: String,
    pub(super) alts: Vec<ReferenceOr<Schema>>,
    /// Pointer of the `oneOf`/`anyOf` array.
    alts_pointer: String,
    pub(super) discriminator: Option<openapiv3::Discriminator>,
}

/// An object part of a combination, with the `$ref` it came through, if any.
type ObjectPart = (Option<(ReferenceOr<Schema>, String)>, ObjectParts);

/// The parts of a combination, sorted by what they describe.
#[derive(Default)]
pub(super) struct Parts {
    /// Object parts; with the `$ref` they came through, if any.
    pub(super) objects: Vec<ObjectPart>,
    unions: Vec<UnionPart>,
    /// Parts of any other kind (scalars, enums, arrays, `not`), as written.
    pub(super) values: Vec<(ReferenceOr<Schema>, String)>,
    /// `type` keywords that carry no other shape.
    pub(super) types: Vec<(String, String)>,
}

/// What a combination comes to.
pub(super) enum Combined {
    /// One part carries the whole shape.
    Single(Box<ReferenceOr<Schema>>, String),
    /// Objects, merged.
    Object(ObjectParts),
    /// Objects merged into every alternative of a union.
    Distributed(ObjectParts, Box<UnionPart>),
    /// No Rust type holds it (a warning says why).
    Json,
}

impl Combined {
    pub(super) fn single(part: ReferenceOr<Schema>, pointer: String) -> Combined {
        Combined::Single(Box::new(part), pointer)
    }
}

/// Merges object parts in order: properties keep their first position, and a later part's
/// schema for the same property replaces the earlier one; `required` lists add up.
fn merge_objects(objects: Vec<ObjectPart>) -> ObjectParts {
    let mut out = ObjectParts::default();
    for (_, part) in objects {
        for (k, v) in part.properties {
            // A later part that only annotates a property (`size: {readOnly: true}`, as
            // Linode's volume update does) keeps the earlier schema's type, with the
            // annotations added; any other later schema replaces the earlier one.
            if let (Some((earlier, _)), ReferenceOr::Item(later)) =
                (out.properties.get_mut(&k), &v.0)
            {
                if is_annotation_only(later) {
                    // A `$ref`'d earlier property keeps its type and loses the annotations.
                    if let ReferenceOr::Item(earlier) = earlier {
                        let (e, l) = (&mut earlier.schema_data, &later.schema_data);
                        e.read_only |= l.read_only;
                        e.write_only |= l.write_only;
                        e.deprecated |= l.deprecated;
                        if l.description.is_some() {
                            e.description.clone_from(&l.description);
                        }
                    }
                    continue;
                }
            }
            out.properties.insert(k, v);
        }
        for r in part.required {
            if !out.required.contains(&r) {
                out.required.push(r);
            }
        }
        if out.additional.is_none() {
            out.additional = part.additional;
        }
    }
    out
}

/// A schema with no type or structure of its own: only annotations (`readOnly`,
/// `description`, `example`, ..).
fn is_annotation_only(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Any(a) => {
            a.typ.is_none()
                && has_no_shape(a)
                && a.required.is_empty()
                && a.not.is_none()
                && a.format.is_none()
                && a.pattern.is_none()
        }
        _ => false,
    }
}

/// No properties, items, values or alternatives.
fn has_no_shape(a: &openapiv3::AnySchema) -> bool {
    a.properties.is_empty()
        && a.additional_properties.is_none()
        && a.items.is_none()
        && a.enumeration.is_empty()
        && a.one_of.is_empty()
        && a.any_of.is_empty()
        && a.all_of.is_empty()
}

/// An inline schema that only constrains an object (`required`, property counts) and adds no
/// property or type of its own.
fn is_constraint_only(s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(a) => {
                matches!(a.typ.as_deref(), None | Some("object")) && has_no_shape(a)
            }
            SchemaKind::Type(Type::Object(o)) => {
                o.properties.is_empty() && o.additional_properties.is_none()
            }
            SchemaKind::Not { .. } => true,
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// A typed schema with nothing beyond its `type` that shapes a Rust type (no enum values, no
/// items, no properties).
fn is_bare_type(t: &Type) -> bool {
    match t {
        Type::String(s) => s.enumeration.is_empty(),
        Type::Number(n) => n.enumeration.is_empty(),
        Type::Integer(i) => i.enumeration.is_empty() && i.format.is_empty(),
        Type::Boolean(b) => b.enumeration.is_empty(),
        Type::Array(a) => a.items.is_none(),
        Type::Object(o) => o.properties.is_empty() && o.additional_properties.is_none(),
    }
}

fn type_name(t: &Type) -> &'static str {
    match t {
        Type::String(_) => "string",
        Type::Number(_) => "number",
        Type::Integer(_) => "integer",
        Type::Boolean(_) => "boolean",
        Type::Array(_) => "array",
        Type::Object(_) => "object",
    }
}

impl TypeSpace<'_> {
    /// Sorts a combination into what it holds: `None` when the schema is no combination
    /// (no `allOf`, and no object keywords beside `oneOf`/`anyOf`).
    ///
    /// Unlike a plain merge of object parts, every part is accounted for: annotation-only
    /// parts (`description`, `example`, constraints) and a `type` that agrees with the rest
    /// change no Rust type; a lone non-object part (a `$ref` to an enum with `type: string`
    /// beside it, an array with an example) is that part's type; objects merge; one `oneOf`
    /// beside objects distributes over them. What no Rust type can hold is JSON, with a
    /// warning, never an empty struct.
    pub(super) fn combine(&mut self, schema: &Schema, pointer: &str) -> Option<Combined> {
        let is_combination = match &schema.schema_kind {
            SchemaKind::AllOf { .. } => true,
            SchemaKind::Any(a) => {
                !a.all_of.is_empty()
                    || ((!a.one_of.is_empty() || !a.any_of.is_empty())
                        && (!a.properties.is_empty()
                            || !a.required.is_empty()
                            || a.typ.as_deref() == Some("object")))
            }
            _ => false,
        };
        if !is_combination {
            return None;
        }
        // The common `{nullable: true, allOf: [$ref]}` (and any single part with nothing but
        // annotations beside it) is that part.
        if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
            if all_of.len() == 1 && schema.schema_data.discriminator.is_none() {
                return Some(Combined::single(
                    all_of[0].clone(),
                    join(pointer, "allOf/0"),
                ));
            }
        }
        let mut parts = Parts::default();
        // A component's pointer is also how `$ref` names it: a part that includes it again
        // is found at once.
        let mut visiting = vec![pointer.to_owned()];
        self.collect_own(schema, pointer, true, &mut parts, &mut visiting);
        Some(self.decide(parts, pointer, schema.schema_data.discriminator.is_some()))
    }

    /// Adds the keywords of `schema` (and its `allOf` parts, in order) to `parts`. `origin`
    /// says whether this is the combination itself rather than one of its parts.
    fn collect_own(
        &mut self,
        schema: &Schema,
        pointer: &str,
        top: bool,
        parts: &mut Parts,
        visiting: &mut Vec<String>,
    ) {
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => {
                for (i, p) in all_of.iter().enumerate() {
                    let part_pointer = join(&join(pointer, "allOf"), &i.to_string());
                    self.collect_part(p, &part_pointer, parts, visiting);
                }
            }
            SchemaKind::Any(a) => {
                if let Some(t) = a.typ.as_deref() {
                    parts.types.push((t.to_owned(), join(pointer, "type")));
                }
                if !a.properties.is_empty()
                    || !a.required.is_empty()
                    || a.additional_properties.is_some()
                {
                    parts.objects.push((
                        None,
                        ObjectParts::of(
                            pointer,
                            &a.properties,
                            &a.required,
                            a.additional_properties.as_ref(),
                        ),
                    ));
                }
                for (key, alts) in [("oneOf", &a.one_of), ("anyOf", &a.any_of)] {
                    // `anyOf: [{required: [a]}, {required: [b]}]` beside properties only says
                    // which of them must be present: the properties already hold every value.
                    if !alts.is_empty() && !alts.iter().all(is_constraint_only) {
                        let own = Schema {
                            schema_data: openapiv3::SchemaData {
                                discriminator: schema.schema_data.discriminator.clone(),
                                ..Default::default()
                            },
                            schema_kind: if key == "oneOf" {
                                SchemaKind::OneOf {
                                    one_of: alts.clone(),
                                }
                            } else {
                                SchemaKind::AnyOf {
                                    any_of: alts.clone(),
                                }
                            },
                        };
                        parts.unions.push(UnionPart {
                            origin: ReferenceOr::Item(own),
                            pointer: pointer.to_owned(),
                            alts: alts.clone(),
                            alts_pointer: join(pointer, key),
                            discriminator: schema.schema_data.discriminator.clone(),
                        });
                    }
                }
                // `not` only narrows what is valid; every valid value still fits.
                if a.items.is_some() || !a.enumeration.is_empty() {
                    let mut own = schema.clone();
                    if let SchemaKind::Any(a) = &mut own.schema_kind {
                        a.all_of.clear();
                        a.one_of.clear();
                        a.any_of.clear();
                        a.properties.clear();
                        a.required.clear();
                        a.additional_properties = None;
                    }
                    parts
                        .values
                        .push((ReferenceOr::Item(own), pointer.to_owned()));
                }
                for (i, p) in a.all_of.iter().enumerate() {
                    let part_pointer = join(&join(pointer, "allOf"), &i.to_string());
                    self.collect_part(p, &part_pointer, parts, visiting);
                }
            }
            _ if top => {}
            // A part that is itself no combination: sorted by `collect_part`.
            _ => {}
        }
    }

    /// Sorts one `allOf` part.
    pub(super) fn collect_part(
        &mut self,
        part: &ReferenceOr<Schema>,
        pointer: &str,
        parts: &mut Parts,
        visiting: &mut Vec<String>,
    ) {
        if let ReferenceOr::Reference { reference } = part {
            if visiting.contains(reference) || visiting.len() > 64 {
                self.diags.warn(
                    pointer,
                    format!(
                        "allOf includes `{reference}` inside itself: the repeated part is skipped"
                    ),
                );
                return;
            }
        }
        let Some((schema, home, _)) = self.deref_home(part, pointer) else {
            return;
        };
        let is_ref = matches!(part, ReferenceOr::Reference { .. });
        match &schema.schema_kind {
            SchemaKind::AllOf { .. } => {
                visiting.push(home.clone());
                self.collect_own(&schema, &home, false, parts, visiting);
                visiting.pop();
            }
            SchemaKind::Any(a)
                if !a.all_of.is_empty()
                    || ((!a.one_of.is_empty() || !a.any_of.is_empty())
                        && (!a.properties.is_empty() || !a.required.is_empty())) =>
            {
                visiting.push(home.clone());
                self.collect_own(&schema, &home, false, parts, visiting);
                visiting.pop();
            }
            SchemaKind::Type(Type::Object(o)) => parts.objects.push((
                is_ref.then(|| (part.clone(), pointer.to_owned())),
                ObjectParts::of(
                    &home,
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                ),
            )),
            SchemaKind::Any(a)
                if !a.properties.is_empty()
                    || !a.required.is_empty()
                    || a.additional_properties.is_some()
                    || (a.typ.as_deref() == Some("object")
                        && a.one_of.is_empty()
                        && a.any_of.is_empty()) =>
            {
                parts.objects.push((
                    is_ref.then(|| (part.clone(), pointer.to_owned())),
                    ObjectParts::of(
                        &home,
                        &a.properties,
                        &a.required,
                        a.additional_properties.as_ref(),
                    ),
                ))
            }
            SchemaKind::OneOf { one_of: alts } | SchemaKind::AnyOf { any_of: alts } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                parts.unions.push(UnionPart {
                    origin: part.clone(),
                    pointer: pointer.to_owned(),
                    alts: alts.clone(),
                    alts_pointer: join(&home, key),
                    discriminator: schema.schema_data.discriminator.clone(),
                })
            }
            SchemaKind::Any(a) if !a.one_of.is_empty() || !a.any_of.is_empty() => {
                let (alts, key) = if a.one_of.is_empty() {
                    (&a.any_of, "anyOf")
                } else {
                    (&a.one_of, "oneOf")
                };
                parts.unions.push(UnionPart {
                    origin: part.clone(),
                    pointer: pointer.to_owned(),
                    alts: alts.clone(),
                    alts_pointer: join(&home, key),
                    discriminator: schema.schema_data.discriminator.clone(),
                })
            }
            SchemaKind::Any(a)
                if a.items.is_none() && a.enumeration.is_empty() && a.not.is_none() =>
            {
                // Annotations and constraints only; or a bare `type`, which must agree.
                if let Some(t) = a.typ.as_deref() {
                    parts.types.push((t.to_owned(), pointer.to_owned()));
                }
            }
            SchemaKind::Type(t) if !is_ref && is_bare_type(t) => {
                parts
                    .types
                    .push((type_name(t).to_owned(), pointer.to_owned()));
            }
            _ => parts.values.push((part.clone(), pointer.to_owned())),
        }
    }

    /// What the sorted parts of a combination come to.
    pub(super) fn decide(&mut self, parts: Parts, pointer: &str, discriminated: bool) -> Combined {
        let Parts {
            objects,
            unions,
            values,
            types,
        } = parts;
        // Every `type` keyword must agree with the parts that carry the shape.
        let shape_type = if !objects.is_empty() || !unions.is_empty() {
            Some("object")
        } else {
            None
        };
        let mut named: Vec<&str> = types.iter().map(|(t, _)| t.as_str()).collect();
        named.sort_unstable();
        named.dedup();
        let contradiction =
            named.len() > 1 || (shape_type.is_some() && named.iter().any(|t| *t != "object"));
        let kinds = |o: usize, u: usize, v: usize| {
            let mut k = Vec::new();
            if o > 0 {
                k.push(format!("{o} object"));
            }
            if u > 0 {
                k.push(format!("{u} oneOf/anyOf"));
            }
            if v > 0 {
                k.push(format!("{v} non-object"));
            }
            k.join(", ")
        };
        if contradiction || (!values.is_empty() && (values.len() > 1 || shape_type.is_some())) {
            self.diags.warn(
                pointer,
                format!(
                    "allOf combines parts that no one Rust type can hold ({}{}): generated as an untyped JSON value",
                    kinds(objects.len(), unions.len(), values.len()),
                    if named.is_empty() { String::new() } else { format!("; types {}", named.join(", ")) }
                ),
            );
            return Combined::Json;
        }
        if let Some((value, value_pointer)) = values.into_iter().next() {
            return Combined::single(value, value_pointer);
        }
        if unions.len() > 1 {
            self.diags.warn(
                pointer,
                format!(
                    "allOf of {} oneOf/anyOf parts: generated as an untyped JSON value",
                    unions.len()
                ),
            );
            return Combined::Json;
        }
        let mut unions = unions;
        match (objects.len(), unions.pop()) {
            (0, None) => match named.first() {
                // `allOf: [{type: string}, {maxLength: 9}]`: the type alone.
                Some(t) => Combined::single(
                    ReferenceOr::Item(Schema {
                        schema_data: Default::default(),
                        schema_kind: SchemaKind::Any(openapiv3::AnySchema {
                            typ: Some((*t).to_owned()),
                            ..Default::default()
                        }),
                    }),
                    types[0].1.clone(),
                ),
                None => Combined::Json,
            },
            (0, Some(u)) => Combined::single(u.origin, u.pointer),
            // One referenced object with annotations beside it keeps its name.
            (1, None) if !discriminated && objects[0].0.is_some() => {
                match objects.into_iter().next().and_then(|(origin, _)| origin) {
                    Some((origin, origin_pointer)) => Combined::single(origin, origin_pointer),
                    None => Combined::Json,
                }
            }
            (_, None) => Combined::Object(merge_objects(objects)),
            (_, Some(u)) => Combined::Distributed(merge_objects(objects), Box::new(u)),
        }
    }

    /// The type a merged combination becomes.
    pub(super) fn combined_kind(&mut self, name: &str, combined: Combined) -> TypeKind {
        match combined {
            Combined::Object(parts) => self.struct_kind(name, &parts),
            // `allOf: [oneOf: [A, B], C]` is `oneOf: [A + C, B + C]`: every alternative gets
            // the shared properties, so no part of either is lost.
            Combined::Distributed(common, union) => self.union_kind(
                name,
                &union.alts_pointer,
                &union.alts,
                union.discriminator.as_ref(),
                Some(&common),
            ),
            Combined::Single(part, part_pointer) => {
                TypeKind::Alias(self.lower_schema_ref(&*part, name, &part_pointer).0)
            }
            Combined::Json => TypeKind::Alias(TypeRef::Json),
        }
    }
}

/// `allOf: [X, {nullable: true}]`: a part that only says null is allowed makes the whole
/// combination nullable (what writers of such a part mean, though the parts' intersection
/// would not allow null).
pub(super) fn annotates_null(schema: &Schema) -> bool {
    let parts = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(a) => &a.all_of,
        _ => return false,
    };
    parts.iter().any(|p| match p {
        ReferenceOr::Item(s) => {
            s.schema_data.nullable
                && matches!(&s.schema_kind, SchemaKind::Any(a) if a.typ.is_none()
                    && a.properties.is_empty()
                    && a.items.is_none()
                    && a.enumeration.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.all_of.is_empty())
        }
        ReferenceOr::Reference { .. } => false,
    })
}
