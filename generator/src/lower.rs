//! OpenAPI to IR. Every naming and type decision happens here; emitting only prints.

use std::borrow::Cow;
use std::collections::BTreeMap;

use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr,
    Schema, SchemaKind, StatusCode, Type,
};
use serde_json::Value;

use crate::diag::{Diagnostics, escape_token, join};
use crate::model::*;
use crate::naming::{RESERVED_TYPE_NAMES, Scope, pascal, snake};

/// Names that builder methods already use, so parameters cannot take them.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "options",
    "body",
    "send",
    "send_with_response",
    "timeout",
    "max_retries",
    "header",
    "new",
];

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    raw: &'a Value,
    /// Targets of references into the middle of the document (see `Parsed::deep_refs`):
    /// lowered once, and shared with the inline schema at the same place.
    deep_refs: &'a std::collections::BTreeSet<String>,
    /// Named types reserved for such targets while they are being lowered (cycles).
    ref_types: BTreeMap<String, TypeRef>,
    diags: &'a mut Diagnostics,
    types: Vec<Option<TypeDef>>,
    type_names: Scope,
    component_index: BTreeMap<String, usize>,
    /// Inline schemas owned by a component (a shared response, parameter or body) are lowered
    /// once, however many operations refer to them.
    shared: BTreeMap<String, (TypeRef, bool)>,
    /// Component schemas that allow null themselves (`nullable: true`, or a `null` alternative):
    /// every reference to them is an `Option`.
    nullable_components: std::collections::BTreeSet<String>,
}

/// Lowers a parsed document. Problems go to `diags`; the result is always usable when
/// `diags` has no errors.
pub fn lower(parsed: &crate::parse::Parsed, diags: &mut Diagnostics) -> Api {
    let spec = &parsed.spec;
    let mut l = Lowerer {
        spec,
        raw: &parsed.raw,
        deep_refs: &parsed.deep_refs,
        ref_types: BTreeMap::new(),
        diags,
        types: Vec::new(),
        type_names: Scope::with_reserved(RESERVED_TYPE_NAMES),
        component_index: BTreeMap::new(),
        shared: BTreeMap::new(),
        nullable_components: std::collections::BTreeSet::new(),
    };
    // Component schemas are named first, so that their names win over inline types.
    let components: Vec<(&String, &ReferenceOr<Schema>)> = spec
        .components
        .as_ref()
        .map(|c| c.schemas.iter().collect())
        .unwrap_or_default();
    for (key, schema) in &components {
        if let ReferenceOr::Item(schema) = schema {
            let null_alternative = match &schema.schema_kind {
                SchemaKind::OneOf { one_of: alts } | SchemaKind::AnyOf { any_of: alts } => {
                    alts.iter().any(is_null_schema)
                }
                _ => false,
            };
            if schema.schema_data.nullable || null_alternative {
                l.nullable_components
                    .insert(format!("#/components/schemas/{}", escape_token(key)));
            }
        }
    }
    for (key, _) in &components {
        let mut name = pascal(key);
        if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
            name.push_str("Model");
        }
        let name = l.type_names.claim(name);
        l.component_index.insert((*key).clone(), l.types.len());
        l.types.push(Some(TypeDef {
            name,
            description: None,
            kind: TypeKind::Alias(TypeRef::Json),
            pointer: join("#/components/schemas", key),
        }));
    }
    for (key, schema) in &components {
        let idx = l.component_index[key.as_str()];
        let pointer = join("#/components/schemas", key);
        let name = l.types[idx]
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let def = match schema {
            ReferenceOr::Reference { reference } => {
                let target = l.lower_ref(reference, &name, &pointer);
                TypeDef {
                    name,
                    description: None,
                    kind: TypeKind::Alias(target),
                    pointer,
                }
            }
            ReferenceOr::Item(schema) => l.lower_named(schema, name, &pointer),
        };
        l.types[idx] = Some(def);
    }

    let schemes = l.lower_schemes();
    let mut api = Api {
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        version: spec.info.version.clone(),
        servers: l.lower_servers(),
        ..Api::default()
    };
    // The first alternative, so that adding another alternative later keeps `Client::new`
    // as it was (the others are `ClientBuilder` setters).
    api.constructor_scheme = match spec.security.as_deref() {
        Some([first, ..]) if first.len() == 1 => first
            .keys()
            .next()
            .and_then(|k| schemes.iter().position(|s| &s.key == k)),
        _ => None,
    };
    api.schemes = schemes;
    let (operations, error_variants, error_decoders) = l.lower_operations(&api.schemes);
    api.operations = operations;
    api.error_variants = error_variants;
    api.error_decoders = error_decoders;
    api.types = l.types.into_iter().flatten().collect();
    mark_boxed_cycles(&mut api.types, l.diags);
    api.root = build_namespaces(&mut api.operations, &mut l.type_names);
    api
}

fn ext_str<'v>(ext: &'v indexmap::IndexMap<String, Value>, key: &str) -> Option<&'v str> {
    ext.get(key).and_then(Value::as_str)
}

/// Object keywords of one schema (or of several, merged), each property with the JSON pointer
/// where it is written, so that names, warnings and the lowering cache follow the document.
#[derive(Clone, Default)]
struct ObjectParts {
    properties: indexmap::IndexMap<String, (ReferenceOr<Box<Schema>>, String)>,
    required: Vec<String>,
    additional: Option<(AdditionalProperties, String)>,
}

impl ObjectParts {
    fn of(
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
struct UnionPart {
    /// The part as written (a `$ref`, or the union schema itself).
    origin: ReferenceOr<Schema>,
    /// Where `origin` is.
    pointer: String,
    alts: Vec<ReferenceOr<Schema>>,
    /// Pointer of the `oneOf`/`anyOf` array.
    alts_pointer: String,
    discriminator: Option<openapiv3::Discriminator>,
}

/// An object part of a combination, with the `$ref` it came through, if any.
type ObjectPart = (Option<(ReferenceOr<Schema>, String)>, ObjectParts);

/// The parts of a combination, sorted by what they describe.
#[derive(Default)]
struct Parts {
    /// Object parts; with the `$ref` they came through, if any.
    objects: Vec<ObjectPart>,
    unions: Vec<UnionPart>,
    /// Parts of any other kind (scalars, enums, arrays, `not`), as written.
    values: Vec<(ReferenceOr<Schema>, String)>,
    /// `type` keywords that carry no other shape.
    types: Vec<(String, String)>,
}

/// What a combination comes to.
enum Combined {
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
    fn single(part: ReferenceOr<Schema>, pointer: String) -> Combined {
        Combined::Single(Box::new(part), pointer)
    }
}

/// Merges object parts in order: properties keep their first position, and a later part's
/// schema for the same property replaces the earlier one; `required` lists add up.
fn merge_objects(objects: Vec<ObjectPart>) -> ObjectParts {
    let mut out = ObjectParts::default();
    for (_, part) in objects {
        for (k, v) in part.properties {
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

/// An inline schema that only constrains an object (`required`, property counts) and adds no
/// property or type of its own.
fn is_constraint_only(s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(a) => {
                matches!(a.typ.as_deref(), None | Some("object"))
                    && a.properties.is_empty()
                    && a.additional_properties.is_none()
                    && a.items.is_none()
                    && a.enumeration.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.all_of.is_empty()
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

/// Words for a type named after its place in the document: the names along the pointer,
/// without OpenAPI's structural keywords, indexes and media types.
fn name_from_pointer(pointer: &str) -> String {
    const STRUCTURAL: &[&str] = &[
        "components",
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "additionalProperties",
        "content",
        "schema",
        "paths",
        "requestBody",
        "$defs",
        "definitions",
        "webhooks",
        "callbacks",
        "get",
        "put",
        "post",
        "delete",
        "options",
        "head",
        "patch",
        "trace",
    ];
    let tokens: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    // An alternative of a union is named like an inline one: `{Union}Variant{i}`.
    let variant = match tokens.as_slice() {
        [.., key, index]
            if (key == "oneOf" || key == "anyOf") && index.parse::<usize>().is_ok() =>
        {
            Some(format!("variant {index}"))
        }
        _ => None,
    };
    let mut words: Vec<String> = tokens
        .into_iter()
        .filter(|t| {
            let index = t.chars().all(|c| c.is_ascii_digit());
            let status_range = t.len() == 3
                && t.starts_with(|c: char| c.is_ascii_digit())
                && t[1..].eq_ignore_ascii_case("xx");
            let media_type = t.contains('/') && !t.starts_with('/');
            !(t.is_empty()
                || STRUCTURAL.contains(&t.as_str())
                || index
                || status_range
                || media_type)
        })
        .collect();
    words.extend(variant);
    if words.is_empty() {
        "Schema".to_owned()
    } else {
        words.join(" ")
    }
}

/// The doc text of a schema: its description, else its title./// The doc text of a schema: its description, else its title.
fn doc_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
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

fn is_json_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

impl Lowerer<'_> {
    /// Resolves a local reference into the raw document and deserialises its target.
    fn resolve<T: serde::de::DeserializeOwned>(
        &mut self,
        reference: &str,
        pointer: &str,
    ) -> Option<T> {
        let decoded = crate::parse::percent_decode(reference);
        let Some(local) = decoded.strip_prefix('#') else {
            self.diags.warn(
                pointer,
                format!("external reference `{reference}` is not followed"),
            );
            return None;
        };
        let Some(target) = self.raw.pointer(local) else {
            self.diags.error(
                pointer,
                format!("reference `{reference}` points to nothing"),
            );
            return None;
        };
        match serde_json::from_value(target.clone()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.diags.error(
                    pointer,
                    format!("reference `{reference}` has the wrong shape: {e}"),
                );
                None
            }
        }
    }

    /// Follows references until an item, with a bound against reference cycles. An inline
    /// item is borrowed, not copied: large specs have thousands of them.
    fn deref<'s, T: serde::de::DeserializeOwned + Clone>(
        &mut self,
        item: &'s ReferenceOr<T>,
        pointer: &str,
    ) -> Option<Cow<'s, T>> {
        let mut current = match item {
            ReferenceOr::Item(t) => return Some(Cow::Borrowed(t)),
            ReferenceOr::Reference { reference } => {
                self.resolve::<ReferenceOr<T>>(reference, pointer)?
            }
        };
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(t) => return Some(Cow::Owned(t)),
                ReferenceOr::Reference { reference } => {
                    current = self.resolve::<ReferenceOr<T>>(&reference, pointer)?;
                }
            }
        }
        self.diags
            .error(pointer, "reference chain is too long or circular");
        None
    }

    /// Like `deref`, also telling where the item really lives: the referenced component's
    /// pointer and name, or `pointer` itself for an inline item.
    fn deref_home<'s, T: serde::de::DeserializeOwned + Clone>(
        &mut self,
        item: &'s ReferenceOr<T>,
        pointer: &str,
    ) -> Option<(Cow<'s, T>, String, Option<String>)> {
        let mut home = pointer.to_owned();
        let mut name = None;
        if let ReferenceOr::Reference { reference } = item {
            if reference.starts_with("#/") {
                home = reference.clone();
                if reference.starts_with("#/components/") {
                    name = reference
                        .rsplit('/')
                        .next()
                        .map(|n| n.replace("~1", "/").replace("~0", "~"));
                }
            }
        }
        let value = self.deref(item, pointer)?;
        Some((value, home, name))
    }

    fn lower_ref(&mut self, reference: &str, hint: &str, pointer: &str) -> TypeRef {
        if let Some(key) = reference
            .strip_prefix("#/components/schemas/")
            .filter(|k| !k.contains('/'))
        {
            let key = key.replace("~1", "/").replace("~0", "~");
            if let Some(&idx) = self.component_index.get(&key) {
                return TypeRef::Named(idx);
            }
            self.diags.error(
                pointer,
                format!("reference `{reference}` points to no schema"),
            );
            return TypeRef::Json;
        }
        if let Some(target) = crate::parse::deep_target(reference) {
            return self.lower_deep_ref(&target, pointer);
        }
        match self.resolve::<ReferenceOr<Schema>>(reference, pointer) {
            Some(ReferenceOr::Item(schema)) => self.lower_schema(&schema, hint, pointer).0,
            Some(ReferenceOr::Reference { reference: next }) if next != reference => {
                self.lower_ref(&next, hint, pointer)
            }
            _ => TypeRef::Json,
        }
    }

    /// A reference into the middle of the document (a property of a component, a schema
    /// inside an operation): one named type for the target, named after where it is
    /// (`#/components/schemas/Template/properties/created_by` is `TemplateCreatedBy`), shared
    /// by every reference and by the inline schema itself. The type is reserved before its
    /// schema is lowered, so a target that refers back to itself ends in a cycle of named
    /// types, which `mark_boxed_cycles` boxes.
    fn lower_deep_ref(&mut self, target: &str, pointer: &str) -> TypeRef {
        if let Some((t, nullable)) = self.shared.get(target) {
            if *nullable {
                self.nullable_components.insert(target.to_owned());
            }
            return t.clone();
        }
        if let Some(t) = self.ref_types.get(target) {
            return t.clone();
        }
        let schema = match self.resolve::<ReferenceOr<Schema>>(target, pointer) {
            Some(ReferenceOr::Item(schema)) => schema,
            Some(ReferenceOr::Reference { reference }) => {
                // A reference to a reference: a bounded chain, as `deref` allows.
                if self.ref_types.len() > 4096 || reference == target {
                    self.diags
                        .error(pointer, "reference chain is too long or circular");
                    return TypeRef::Json;
                }
                self.ref_types.insert(target.to_owned(), TypeRef::Json);
                let t = self.lower_ref(&reference, "", pointer);
                self.ref_types.insert(target.to_owned(), t.clone());
                return t;
            }
            None => return TypeRef::Json,
        };
        let name = self.type_names.claim(pascal(&name_from_pointer(target)));
        let idx = self.types.len();
        self.types.push(Some(TypeDef {
            name: name.clone(),
            description: None,
            kind: TypeKind::Alias(TypeRef::Json),
            pointer: target.to_owned(),
        }));
        self.ref_types
            .insert(target.to_owned(), TypeRef::Named(idx));
        let def = self.lower_named(&schema, name, target);
        self.types[idx] = Some(def);
        let nullable = schema.schema_data.nullable;
        if nullable {
            self.nullable_components.insert(target.to_owned());
        }
        self.shared
            .insert(target.to_owned(), (TypeRef::Named(idx), nullable));
        TypeRef::Named(idx)
    }

    /// Lowers a schema in a position that wants a type; returns the type and whether null is
    /// allowed. Takes `Schema` and `Box<Schema>` items alike (openapiv3 boxes properties).
    fn lower_schema_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: &str,
    ) -> (TypeRef, bool) {
        match schema {
            ReferenceOr::Reference { reference } => (
                self.lower_ref(reference, hint, pointer),
                self.nullable_components.contains(reference),
            ),
            ReferenceOr::Item(s) => self.lower_schema(s.borrow(), hint, pointer),
        }
    }

    /// Adds an inline named type and returns a reference to it.
    fn add_type(&mut self, def: TypeDef) -> TypeRef {
        self.types.push(Some(def));
        TypeRef::Named(self.types.len() - 1)
    }

    fn lower_schema(&mut self, schema: &Schema, hint: &str, pointer: &str) -> (TypeRef, bool) {
        if self.deep_refs.contains(pointer) {
            // The target of a reference elsewhere: the one type that reference gets.
            return (
                self.lower_deep_ref(pointer, pointer),
                schema.schema_data.nullable,
            );
        }
        if pointer.starts_with("#/components/") {
            if let Some(done) = self.shared.get(pointer) {
                return done.clone();
            }
            let done = self.lower_schema_uncached(schema, hint, pointer);
            self.shared.insert(pointer.to_owned(), done.clone());
            return done;
        }
        self.lower_schema_uncached(schema, hint, pointer)
    }

    fn lower_schema_uncached(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &str,
    ) -> (TypeRef, bool) {
        let nullable = schema.schema_data.nullable;
        // `allOf`, or object keywords beside `oneOf`/`anyOf`: one part may carry the whole
        // shape (a `$ref` with constraints beside it), or no Rust type holds it (JSON).
        if let Some(combined) = self.combine(schema, pointer) {
            match combined {
                Combined::Single(part, part_pointer) => {
                    let (t, n) = self.lower_schema_ref(&*part, hint, &part_pointer);
                    return (t, n || nullable);
                }
                Combined::Json => return (TypeRef::Json, nullable),
                combined => {
                    let name = self.type_names.claim(pascal(hint));
                    let kind = self.combined_kind(&name, combined);
                    let def = TypeDef {
                        name,
                        description: doc_of(schema),
                        kind,
                        pointer: pointer.to_owned(),
                    };
                    return (self.add_type(def), nullable);
                }
            }
        }
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let name = self.type_names.claim(pascal(hint));
                let def = self.lower_named(schema, name, pointer);
                self.add_type(def)
            }
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Integer(i)) => {
                let format = match &i.format {
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        Some("int32")
                    }
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => {
                        Some("int64")
                    }
                    openapiv3::VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
                    openapiv3::VariantOrUnknownOrEmpty::Empty => None,
                };
                self.integer_type(
                    format,
                    i.minimum.map(|m| m as f64),
                    i.maximum.map(|m| m as f64),
                    schema,
                    pointer,
                )
            }
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                    TypeRef::F32
                }
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => {
                    let (item, _) = self.lower_schema_ref(
                        items,
                        &format!("{hint}Item"),
                        &join(pointer, "items"),
                    );
                    TypeRef::Array(Box::new(item))
                }
                None => TypeRef::Array(Box::new(TypeRef::Json)),
            },
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                self.map_type(o.additional_properties.as_ref(), hint, pointer)
            }
            SchemaKind::Any(a)
                if a.properties.is_empty() && a.one_of.is_empty() && a.any_of.is_empty() =>
            {
                match a.typ.as_deref() {
                    Some("string") => TypeRef::String,
                    Some("integer") => self.integer_type(
                        a.format.as_deref(),
                        a.minimum,
                        a.maximum,
                        schema,
                        pointer,
                    ),
                    Some("number") => TypeRef::F64,
                    Some("boolean") => TypeRef::Bool,
                    Some("array") => match &a.items {
                        Some(items) => {
                            let (item, _) = self.lower_schema_ref(
                                items,
                                &format!("{hint}Item"),
                                &join(pointer, "items"),
                            );
                            TypeRef::Array(Box::new(item))
                        }
                        None => TypeRef::Array(Box::new(TypeRef::Json)),
                    },
                    Some("object") => {
                        self.map_type(a.additional_properties.as_ref(), hint, pointer)
                    }
                    // No type, but `additionalProperties` says it is a map.
                    None if a.additional_properties.is_some() => {
                        self.map_type(a.additional_properties.as_ref(), hint, pointer)
                    }
                    _ => TypeRef::Json,
                }
            }
            SchemaKind::Not { .. } => {
                self.diags.warn(
                    pointer,
                    "`not` schemas are generated as untyped JSON values",
                );
                TypeRef::Json
            }
            SchemaKind::OneOf { one_of: alts } | SchemaKind::AnyOf { any_of: alts } => {
                // `anyOf: [X, {type: null}]` is how many specs (and 3.1) write a nullable X.
                let non_null: Vec<&ReferenceOr<Schema>> =
                    alts.iter().filter(|a| !is_null_schema(a)).collect();
                let has_null = non_null.len() < alts.len();
                if non_null.len() == 1 {
                    let (t, n) = self.lower_schema_ref(non_null[0], hint, pointer);
                    return (t, n || nullable || has_null);
                }
                if non_null.is_empty() {
                    return (TypeRef::Json, true);
                }
                let name = self.type_names.claim(pascal(hint));
                let def = self.lower_named(schema, name, pointer);
                return (self.add_type(def), nullable || has_null);
            }
            _ => {
                let name = self.type_names.claim(pascal(hint));
                let def = self.lower_named(schema, name, pointer);
                self.add_type(def)
            }
        };
        (ty, nullable)
    }

    /// `{type: object}` without properties: a map of `additionalProperties` (any JSON value
    /// when they are not given). An empty struct would drop every property it is sent.
    fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let (v, _) = self.lower_schema_ref(
                    s,
                    &format!("{hint}Value"),
                    &join(pointer, "additionalProperties"),
                );
                TypeRef::Map(Box::new(v))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Json)),
        }
    }

    /// The Rust integer for an `integer` schema: `i32` for int32, `u64` when the bounds, the
    /// format or the examples go past `i64::MAX` (a uint64 setting), `i64` otherwise.
    fn integer_type(
        &mut self,
        format: Option<&str>,
        minimum: Option<f64>,
        maximum: Option<f64>,
        schema: &Schema,
        pointer: &str,
    ) -> TypeRef {
        // 2^63 and 2^64 are exact in f64; the bounds compare against them.
        const I64_END: f64 = 9_223_372_036_854_775_808.0;
        const U64_END: f64 = 18_446_744_073_709_551_616.0;
        let samples = [
            schema.schema_data.example.as_ref(),
            schema.schema_data.default.as_ref(),
        ];
        let sample_beyond_i64 = samples.iter().flatten().any(|v| {
            v.as_u64().is_some_and(|u| u > i64::MAX as u64)
                || v.as_f64()
                    .is_some_and(|f| f >= I64_END && v.as_u64().is_none())
        });
        let unsigned_format = matches!(format, Some("uint64" | "uint" | "u64"));
        // `i64::MAX` written as a double is 2^63, so only a bound past 2^63 is past i64.
        let beyond_i64 = maximum.is_some_and(|m| m > I64_END) || sample_beyond_i64;
        let negative = minimum.is_some_and(|m| m < 0.0);
        if maximum.is_some_and(|m| m > U64_END) || minimum.is_some_and(|m| m < -I64_END) {
            self.diags.warn(
                pointer,
                "integer bounds beyond 64 bits: generated as f64, which rounds values past 2^53",
            );
            return TypeRef::F64;
        }
        match format {
            Some("int32") if !beyond_i64 => TypeRef::I32,
            _ if (unsigned_format || beyond_i64) && !negative => TypeRef::U64,
            _ if beyond_i64 => {
                self.diags.warn(
                    pointer,
                    "integer range spans both negative values and values past i64::MAX: generated as f64",
                );
                TypeRef::F64
            }
            _ => TypeRef::I64,
        }
    }

    /// Lowers a schema that gets its own named type.
    fn lower_named(&mut self, schema: &Schema, name: String, pointer: &str) -> TypeDef {
        let description = doc_of(schema);
        if let Some(combined) = self.combine(schema, pointer) {
            let kind = match combined {
                // An inline part (a `oneOf` written beside `type: object`) is this type
                // itself, not an alias of a second one.
                Combined::Single(part, part_pointer) => match *part {
                    ReferenceOr::Item(item) => {
                        self.lower_named(&item, name.clone(), &part_pointer).kind
                    }
                    reference => {
                        TypeKind::Alias(self.lower_schema_ref(&reference, &name, &part_pointer).0)
                    }
                },
                Combined::Json => TypeKind::Alias(TypeRef::Json),
                combined => self.combined_kind(&name, combined),
            };
            return TypeDef {
                name,
                description,
                kind,
                pointer: pointer.to_owned(),
            };
        }
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let mut scope = Scope::with_reserved(&["Unknown"]);
                let mut variants: Vec<EnumVariant> = Vec::new();
                for wire in s.enumeration.iter().flatten() {
                    if variants.iter().any(|v| &v.wire == wire) {
                        self.diags.warn(
                            &join(pointer, "enum"),
                            format!("enum value `{wire}` is listed twice: one variant"),
                        );
                        continue;
                    }
                    variants.push(EnumVariant {
                        rust_name: scope.claim(pascal(wire)),
                        wire: wire.clone(),
                    });
                }
                TypeKind::Enum { variants }
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                let parts = ObjectParts::of(
                    pointer,
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                );
                self.struct_kind(&name, &parts)
            }
            SchemaKind::Any(a) if !a.properties.is_empty() => {
                let parts = ObjectParts::of(
                    pointer,
                    &a.properties,
                    &a.required,
                    a.additional_properties.as_ref(),
                );
                self.struct_kind(&name, &parts)
            }
            SchemaKind::OneOf { one_of: alts } | SchemaKind::AnyOf { any_of: alts } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.union_kind(
                    &name,
                    &join(pointer, key),
                    alts,
                    schema.schema_data.discriminator.as_ref(),
                    None,
                )
            }
            SchemaKind::Any(a) if !a.one_of.is_empty() || !a.any_of.is_empty() => {
                let (alts, key) = if a.one_of.is_empty() {
                    (&a.any_of, "anyOf")
                } else {
                    (&a.one_of, "oneOf")
                };
                self.union_kind(
                    &name,
                    &join(pointer, key),
                    alts,
                    schema.schema_data.discriminator.as_ref(),
                    None,
                )
            }
            // Not through `lower_schema`: its cache may hold this very type for `pointer`.
            _ => {
                let (t, _) = self.lower_schema_uncached(schema, &format!("{name}Inner"), pointer);
                TypeKind::Alias(t)
            }
        };
        TypeDef {
            name,
            description,
            kind,
            pointer: pointer.to_owned(),
        }
    }

    /// A struct of the given properties; without properties, a map (see `map_type`).
    fn struct_kind(&mut self, name: &str, parts: &ObjectParts) -> TypeKind {
        if parts.properties.is_empty() {
            let additional = parts.additional.as_ref().map(|(a, _)| a);
            let pointer = parts
                .additional
                .as_ref()
                .map(|(_, p)| p.trim_end_matches("/additionalProperties").to_owned())
                .unwrap_or_default();
            return TypeKind::Alias(self.map_type(additional, name, &pointer));
        }
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (wire, (prop, prop_pointer)) in &parts.properties {
            let (ty, nullable) =
                self.lower_schema_ref(prop, &format!("{name}{}", pascal(wire)), prop_pointer);
            let (description, deprecated) = match prop {
                ReferenceOr::Item(s) => {
                    (s.schema_data.description.clone(), s.schema_data.deprecated)
                }
                ReferenceOr::Reference { .. } => (None, false),
            };
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name: scope.claim(snake(wire)),
                ty,
                required: parts.required.contains(wire),
                nullable,
                boxed: false,
                description,
                deprecated,
            });
        }
        let additional = match &parts.additional {
            Some((AdditionalProperties::Schema(s), p)) => {
                Some(self.lower_schema_ref(s, &format!("{name}Extra"), p).0)
            }
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            _ => None,
        };
        TypeKind::Struct { fields, additional }
    }

    /// Sorts a combination into what it holds: `None` when the schema is no combination
    /// (no `allOf`, and no object keywords beside `oneOf`/`anyOf`).
    ///
    /// Unlike a plain merge of object parts, every part is accounted for: annotation-only
    /// parts (`description`, `example`, constraints) and a `type` that agrees with the rest
    /// change no Rust type; a lone non-object part (a `$ref` to an enum with `type: string`
    /// beside it, an array with an example) is that part's type; objects merge; one `oneOf`
    /// beside objects distributes over them. What no Rust type can hold is JSON, with a
    /// warning, never an empty struct.
    fn combine(&mut self, schema: &Schema, pointer: &str) -> Option<Combined> {
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
    fn collect_part(
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
        let schema = schema.into_owned();
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
    fn decide(&mut self, parts: Parts, pointer: &str, discriminated: bool) -> Combined {
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
    fn combined_kind(&mut self, name: &str, combined: Combined) -> TypeKind {
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

    fn union_kind(
        &mut self,
        name: &str,
        pointer: &str,
        alts: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        common: Option<&ObjectParts>,
    ) -> TypeKind {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        for (i, alt) in alts.iter().enumerate() {
            if is_null_schema(alt) {
                continue;
            }
            let alt_pointer = join(pointer, &i.to_string());
            let (ty, _) = match common {
                None => self.lower_schema_ref(alt, &format!("{name}Variant{i}"), &alt_pointer),
                Some(common) => self.merged_variant(name, i, alt, &alt_pointer, common),
            };
            let (base, ref_key) = match alt {
                ReferenceOr::Reference { reference } => {
                    let key = reference.rsplit('/').next().unwrap_or("").to_owned();
                    (pascal(&key), Some(key))
                }
                ReferenceOr::Item(_) => (variant_name(&ty, &self.types, i), None),
            };
            let tag_value = discriminator.map(|d| {
                d.mapping
                    .iter()
                    .find(|(_, target)| match alt {
                        ReferenceOr::Reference { reference } => {
                            reference == *target || target.rsplit('/').next() == ref_key.as_deref()
                        }
                        ReferenceOr::Item(_) => false,
                    })
                    .map(|(value, _)| value.clone())
                    .or_else(|| ref_key.clone())
                    .unwrap_or_else(|| i.to_string())
            });
            variants.push(UnionVariant {
                rust_name: scope.claim(base),
                ty,
                tag_value,
                boxed: false,
            });
        }
        let tag = discriminator.map(|d| d.property_name.clone());
        if tag.is_some() && variants.iter().any(|v| v.tag_value.is_none()) {
            self.diags.warn(
                pointer,
                "discriminator without a value for every alternative",
            );
        }
        TypeKind::Union { variants, tag }
    }

    /// One alternative of a distributed combination: the alternative with the shared object
    /// properties merged in, as a struct of its own.
    fn merged_variant(
        &mut self,
        name: &str,
        i: usize,
        alt: &ReferenceOr<Schema>,
        alt_pointer: &str,
        common: &ObjectParts,
    ) -> (TypeRef, bool) {
        let hint = match alt {
            ReferenceOr::Reference { reference } => {
                format!(
                    "{name}{}",
                    pascal(reference.rsplit('/').next().unwrap_or(""))
                )
            }
            ReferenceOr::Item(_) => format!("{name}Variant{i}"),
        };
        let mut parts = Parts::default();
        let mut visiting = Vec::new();
        self.collect_part(alt, alt_pointer, &mut parts, &mut visiting);
        parts.objects.push((None, common.clone()));
        match self.decide(parts, alt_pointer, false) {
            Combined::Single(part, part_pointer) => {
                self.lower_schema_ref(&*part, &hint, &part_pointer)
            }
            Combined::Json => (TypeRef::Json, false),
            combined => {
                let name = self.type_names.claim(pascal(&hint));
                let kind = self.combined_kind(&name, combined);
                let description = match alt {
                    ReferenceOr::Item(s) => doc_of(s),
                    ReferenceOr::Reference { .. } => None,
                };
                let def = TypeDef {
                    name,
                    description,
                    kind,
                    pointer: alt_pointer.to_owned(),
                };
                (self.add_type(def), false)
            }
        }
    }

    fn lower_servers(&mut self) -> Vec<Server> {
        let mut out = Vec::new();
        for (i, s) in self.spec.servers.iter().enumerate() {
            let pointer = format!("#/servers/{i}");
            let mut url = s.url.clone();
            if let Some(vars) = &s.variables {
                for (name, var) in vars {
                    url = url.replace(&format!("{{{name}}}"), &var.default);
                }
            }
            if url.contains('{') {
                self.diags
                    .warn(&pointer, "server URL has a variable without a default");
            }
            let select = s.extensions.get("x-clientgen-select").and_then(|v| {
                let credential = v.get("credential")?.as_str()?.to_owned();
                let prefix = v.get("prefix")?.as_str()?.to_owned();
                Some(ServerSelect { credential, prefix })
            });
            if s.extensions.contains_key("x-clientgen-select") && select.is_none() {
                self.diags.error(
                    &pointer,
                    "x-clientgen-select needs string `credential` and `prefix`",
                );
            }
            out.push(Server {
                url,
                description: s.description.clone(),
                select,
            });
        }
        out
    }

    fn lower_schemes(&mut self) -> Vec<SecurityScheme> {
        let mut out = Vec::new();
        // Setter names must not clash with the builder's own methods.
        let mut scope = Scope::with_reserved(&[
            "base_url",
            "timeout",
            "connect_timeout",
            "max_retries",
            "http_client",
            "build",
            "credential",
            "with_base_url",
        ]);
        let Some(components) = &self.spec.components else {
            return out;
        };
        for (key, scheme) in &components.security_schemes {
            let pointer = join("#/components/securitySchemes", key);
            let Some(scheme) = self.deref(scheme, &pointer) else {
                continue;
            };
            use openapiv3::SecurityScheme as S;
            let (kind, description, ext) = match &*scheme {
                S::HTTP {
                    scheme: s,
                    description,
                    extensions,
                    ..
                } if s.eq_ignore_ascii_case("basic") => {
                    (SchemeKind::Basic, description, extensions)
                }
                S::HTTP {
                    scheme: s,
                    description,
                    extensions,
                    ..
                } if s.eq_ignore_ascii_case("bearer") => {
                    (SchemeKind::Bearer, description, extensions)
                }
                S::HTTP { scheme: s, .. } => {
                    self.diags.warn(&pointer, format!("http scheme `{s}` is not supported; operations that need only it are sent without credentials"));
                    continue;
                }
                S::APIKey {
                    location,
                    name,
                    description,
                    extensions,
                } => {
                    let location = match location {
                        openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                        openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                        openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    if location == ParamLocation::Header && !is_token(name) {
                        self.diags
                            .error(&pointer, format!("`{name}` is not a valid header name"));
                        continue;
                    }
                    (
                        SchemeKind::ApiKey {
                            location,
                            name: name.clone(),
                        },
                        description,
                        extensions,
                    )
                }
                S::OAuth2 {
                    description,
                    extensions,
                    ..
                }
                | S::OpenIDConnect {
                    description,
                    extensions,
                    ..
                } => (SchemeKind::Bearer, description, extensions),
            };
            let rust_name = scope.claim(snake(key));
            let default_names: Vec<String> = match kind {
                SchemeKind::Basic => vec!["username".into(), "password".into()],
                SchemeKind::Bearer => vec!["token".into()],
                SchemeKind::ApiKey { .. } => vec!["api_key".into()],
            };
            let credentials = match ext.get("x-clientgen-credentials").and_then(Value::as_array) {
                Some(names)
                    if names.len() == default_names.len() && names.iter().all(Value::is_string) =>
                {
                    names.iter().filter_map(Value::as_str).map(snake).collect()
                }
                Some(_) => {
                    self.diags.error(
                        &pointer,
                        format!(
                            "x-clientgen-credentials needs {} names",
                            default_names.len()
                        ),
                    );
                    default_names
                }
                None => default_names,
            };
            out.push(SecurityScheme {
                key: key.clone(),
                rust_name,
                kind,
                credentials,
                description: description.clone(),
            });
        }
        out
    }

    #[allow(clippy::type_complexity)]
    fn lower_operations(
        &mut self,
        schemes: &[SecurityScheme],
    ) -> (
        Vec<Operation>,
        Vec<ErrorVariant>,
        Vec<Vec<(StatusMatch, Option<usize>)>>,
    ) {
        let mut ops = Vec::new();
        let mut error_variants: Vec<ErrorVariant> = Vec::new();
        let mut decoders: Vec<Vec<(StatusMatch, Option<usize>)>> = Vec::new();
        let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
        let spec = self.spec;
        for (path, item) in &spec.paths.paths {
            let path_pointer = join("#/paths", path);
            let Some(item) = self.deref(item, &path_pointer) else {
                continue;
            };
            let methods = [
                (Method::Get, &item.get, "get"),
                (Method::Put, &item.put, "put"),
                (Method::Post, &item.post, "post"),
                (Method::Delete, &item.delete, "delete"),
                (Method::Options, &item.options, "options"),
                (Method::Head, &item.head, "head"),
                (Method::Patch, &item.patch, "patch"),
                (Method::Trace, &item.trace, "trace"),
            ];
            for (method, op, key) in methods {
                let Some(op) = op else { continue };
                let pointer = join(&path_pointer, key);
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    // No id: a name from method and path, without `/`, so it never reads as
                    // a namespace (`GET /users/{id}` -> `get_users_id`).
                    _ => format!("{key}_{path}").replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
                };
                if let Some(first) = seen_ids.insert(id.clone(), pointer.clone()) {
                    self.diags.warn(&pointer, format!("operationId `{id}` is also used at {first}; this one gets a numbered name"));
                }
                let Some(mut operation) =
                    self.lower_operation(method, path, &item.parameters, op, &id, &pointer)
                else {
                    continue;
                };
                // Security: the operation's own, else the document's.
                let requirements = op.security.as_ref().or(self.spec.security.as_ref());
                if let Some(reqs) = requirements {
                    for req in reqs {
                        let mut alternative = Vec::new();
                        let mut satisfiable = true;
                        for name in req.keys() {
                            match schemes.iter().position(|s| &s.key == name) {
                                Some(i) => alternative.push(i),
                                None => satisfiable = false,
                            }
                        }
                        if !satisfiable {
                            continue;
                        }
                        if alternative.is_empty() {
                            // `{}` makes authentication optional.
                            operation.security.clear();
                            break;
                        }
                        operation.security.push(alternative);
                    }
                }
                // Errors: one ErrorBody variant per distinct error type.
                let mut decoder = Vec::new();
                for (status, kind) in operation.errors.clone() {
                    let variant = match kind {
                        ResponseKind::Json(ty) => {
                            Some(match error_variants.iter().position(|v| v.ty == ty) {
                                Some(i) => i,
                                None => {
                                    error_variants.push(self.error_variant(ty, &error_variants));
                                    error_variants.len() - 1
                                }
                            })
                        }
                        _ => None,
                    };
                    decoder.push((status, variant));
                }
                operation.error_decoder = match decoders.iter().position(|d| *d == decoder) {
                    Some(i) => i,
                    None => {
                        decoders.push(decoder);
                        decoders.len() - 1
                    }
                };
                ops.push(operation);
            }
        }
        (ops, error_variants, decoders)
    }

    fn error_variant(&self, ty: TypeRef, existing: &[ErrorVariant]) -> ErrorVariant {
        let (base, fields) = match &ty {
            TypeRef::Named(i) => match &self.types[*i] {
                Some(def) => (
                    def.name.clone(),
                    match &def.kind {
                        TypeKind::Struct { fields, .. } => fields.clone(),
                        _ => Vec::new(),
                    },
                ),
                None => ("Json".to_owned(), Vec::new()),
            },
            _ => ("Json".to_owned(), Vec::new()),
        };
        let find = |names: &[&str]| {
            names.iter().find_map(|n| {
                fields
                    .iter()
                    .find(|f| f.wire_name == *n && f.ty == TypeRef::String && !f.nullable)
                    .map(|f| (f.rust_name.clone(), f.required))
            })
        };
        let mut rust_name = base.clone();
        let mut n = 2;
        while existing.iter().any(|v| v.rust_name == rust_name) {
            rust_name = format!("{base}{n}");
            n += 1;
        }
        ErrorVariant {
            rust_name,
            ty,
            request_id_field: find(&["request_id", "requestId", "request-id"]),
            message_field: find(&[
                "error_message",
                "message",
                "error_description",
                "detail",
                "title",
                "error",
            ]),
        }
    }

    fn response_kind(
        &mut self,
        response: &ReferenceOr<openapiv3::Response>,
        hint: &str,
        pointer: &str,
    ) -> Option<ResponseKind> {
        let (response, home, name) = self.deref_home(response, pointer)?;
        let hint = name.map(|n| pascal(&n)).unwrap_or_else(|| hint.to_owned());
        let hint = hint.as_str();
        let Some((media, content)) = pick_media(&response.content) else {
            return Some(ResponseKind::Empty);
        };
        let media_pointer = join(&join(&home, "content"), &media);
        Some(if is_json_media(&media) {
            match &content.schema {
                Some(s) => ResponseKind::Json(
                    self.lower_schema_ref(s, hint, &join(&media_pointer, "schema"))
                        .0,
                ),
                None => ResponseKind::Json(TypeRef::Json),
            }
        } else if media.starts_with("text/") {
            ResponseKind::Text
        } else {
            ResponseKind::Bytes
        })
    }

    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        id: &str,
        pointer: &str,
    ) -> Vec<(StatusMatch, ResponseKind)> {
        let mut out = Vec::new();
        let responses = &op.responses.responses;
        // With several successes, each inline body is named by its status, leaving
        // `{Op}Response` to the enum of them all.
        let successes = responses
            .iter()
            .filter(|(c, _)| matches!(c, StatusCode::Code(200..=299) | StatusCode::Range(2)))
            .count();
        for (code, response) in responses {
            let (status, label) = match code {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            let rp = join(&join(pointer, "responses"), &label);
            let hint = if is_success(status) && successes > 1 {
                format!("{}Response{label}", pascal(id))
            } else if is_success(status) {
                format!("{}Response", pascal(id))
            } else {
                format!("{}Error{label}", pascal(id))
            };
            if let Some(kind) = self.response_kind(response, &hint, &rp) {
                out.push((status, kind));
            }
        }
        if let Some(default) = &op.responses.default {
            let rp = join(&join(pointer, "responses"), "default");
            let hint = format!("{}DefaultResponse", pascal(id));
            if let Some(kind) = self.response_kind(default, &hint, &rp) {
                out.push((StatusMatch::Default, kind));
            }
        }
        out
    }

    fn lower_operation(
        &mut self,
        method: Method,
        path: &str,
        path_params: &[ReferenceOr<Parameter>],
        op: &openapiv3::Operation,
        id: &str,
        pointer: &str,
    ) -> Option<Operation> {
        let op_name = pascal(&split_operation_id(id).1);
        // Path-level parameters, overridden by operation parameters with the same name and place.
        let mut params: Vec<(Cow<Parameter>, String, Option<String>)> = Vec::new();
        for (i, p) in path_params.iter().enumerate() {
            let pp = format!(
                "{}/parameters/{i}",
                pointer.rsplit_once('/').map_or(pointer, |(a, _)| a)
            );
            if let Some(found) = self.deref_home(p, &pp) {
                params.push(found);
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let pp = format!("{pointer}/parameters/{i}");
            if let Some(found) = self.deref_home(p, &pp) {
                let key = (
                    found.0.parameter_data_ref().name.clone(),
                    location_of(&found.0),
                );
                params.retain(|(q, _, _)| {
                    (q.parameter_data_ref().name.clone(), location_of(q)) != key
                });
                params.push(found);
            }
        }
        let template = parse_template(path);
        let mut scope = Scope::with_reserved(BUILDER_RESERVED);
        let mut lowered: Vec<Param> = Vec::new();
        for (p, pp, component) in &params {
            let data = p.parameter_data_ref();
            let location = location_of(p);
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue; // OpenAPI says these header parameters are ignored.
            }
            if location == ParamLocation::Header && !is_token(&data.name) {
                self.diags
                    .error(pp, format!("`{}` is not a valid header name", data.name));
                continue;
            }
            if location == ParamLocation::Path
                && !template
                    .iter()
                    .any(|t| matches!(t, Tpl::Param(n) if n == &data.name))
            {
                self.diags.warn(
                    pp,
                    format!(
                        "path parameter `{}` is not in the path template; it is not sent",
                        data.name
                    ),
                );
                continue;
            }
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    self.lower_schema_ref(
                        s,
                        &match component {
                            Some(c) => pascal(c),
                            None => format!("{op_name}{}", pascal(&data.name)),
                        },
                        &join(pp, "schema"),
                    )
                    .0
                }
                ParameterSchemaOrContent::Content(_) => TypeRef::Json,
            };
            let ty = match (&ty, location) {
                (
                    TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Json,
                    ParamLocation::Path | ParamLocation::Header | ParamLocation::Cookie,
                ) => {
                    self.diags.warn(
                        pp,
                        "non-scalar path, header or cookie parameter: sent as its JSON text",
                    );
                    TypeRef::Json
                }
                (TypeRef::Array(inner), ParamLocation::Query) if !is_scalar(inner, &self.types) => {
                    self.diags.warn(
                        pp,
                        "array of non-scalar query values: each sent as JSON text",
                    );
                    TypeRef::Array(Box::new(TypeRef::Json))
                }
                _ => ty,
            };
            let name_hint = ext_str(&data.extensions, "x-clientgen-name")
                .unwrap_or(&data.name)
                .to_owned();
            let lower_name = data.name.to_ascii_lowercase();
            let sensitive = data
                .extensions
                .get("x-clientgen-sensitive")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                || (location != ParamLocation::Path
                    && [
                        "token", "secret", "password", "session", "api-key", "api_key", "apikey",
                        "cookie",
                    ]
                    .iter()
                    .any(|w| lower_name.contains(w)));
            let (explode, deep_object) = match &**p {
                Parameter::Query { style, .. } => (
                    data.explode.unwrap_or(*style == QueryStyle::Form),
                    *style == QueryStyle::DeepObject,
                ),
                _ => (data.explode.unwrap_or(false), false),
            };
            lowered.push(Param {
                wire_name: data.name.clone(),
                rust_name: scope.claim(snake(&name_hint)),
                location,
                required: data.required || location == ParamLocation::Path,
                ty,
                sensitive,
                explode,
                deep_object,
                description: data.description.clone(),
            });
        }
        // Template parameters the spec forgot to declare are still sent, as strings.
        for t in &template {
            if let Tpl::Param(name) = t {
                if !lowered
                    .iter()
                    .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
                {
                    self.diags.warn(pointer, format!("path parameter `{name}` is not declared; it is taken as a required string"));
                    lowered.push(Param {
                        wire_name: name.clone(),
                        rust_name: scope.claim(snake(name)),
                        location: ParamLocation::Path,
                        required: true,
                        ty: TypeRef::String,
                        sensitive: false,
                        explode: false,
                        deep_object: false,
                        description: None,
                    });
                }
            }
        }
        // Required parameters first (path ones in template order), then the optional ones.
        let path_order = |p: &Param| {
            template
                .iter()
                .position(|t| matches!(t, Tpl::Param(n) if n == &p.wire_name))
                .unwrap_or(usize::MAX)
        };
        lowered.sort_by_key(|p| {
            (
                !p.required,
                p.location != ParamLocation::Path,
                path_order(p),
            )
        });
        let path_parts = template
            .iter()
            .map(|t| match t {
                Tpl::Literal(s) => PathPart::Literal(s.clone()),
                Tpl::Param(n) => PathPart::Param(
                    lowered
                        .iter()
                        .position(|p| p.location == ParamLocation::Path && &p.wire_name == n)
                        .unwrap_or(0),
                ),
            })
            .collect();
        let body = match &op.request_body {
            Some(b) => self.lower_body(b, &op_name, &join(pointer, "requestBody"), &mut scope),
            None => None,
        };
        // `default` is an error when a success is documented, else the success itself.
        let mut all = self.responses(op, id, pointer);
        if op.responses.responses.is_empty() && op.responses.default.is_none() {
            // No response documented (parsing warned): whatever the server sends, raw.
            all.push((StatusMatch::Range(2), ResponseKind::Bytes));
        }
        let has_success = all.iter().any(|(s, _)| is_success(*s));
        let (success, mut errors): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|(s, _)| is_success(*s) || (!has_success && *s == StatusMatch::Default));
        // Codes before ranges before default, as OpenAPI's precedence says.
        errors.sort_by_key(|(s, _)| s.precedence());
        Some(Operation {
            id: id.to_owned(),
            method_name: String::new(),
            builder_name: String::new(),
            method,
            path: path.to_owned(),
            path_parts,
            params: lowered,
            body,
            success,
            errors,
            success_enum: None,
            error_decoder: 0,
            security: Vec::new(),
            deprecated: op.deprecated,
            summary: op.summary.clone(),
            description: op.description.clone(),
            pointer: pointer.to_owned(),
        })
    }

    fn lower_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        op_name: &str,
        pointer: &str,
        names: &mut Scope,
    ) -> Option<Body> {
        let (body, home, component) = self.deref_home(body, pointer)?;
        let pointer = home.as_str();
        let body_hint = component
            .map(|c| pascal(&c))
            .unwrap_or_else(|| format!("{op_name}Body"));
        let (media, content) = pick_media(&body.content)?;
        let essence = media
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let encoding = if is_json_media(&media) {
            BodyEncoding::Json
        } else if essence == "application/x-www-form-urlencoded" {
            BodyEncoding::Form
        } else if essence == "multipart/form-data" {
            BodyEncoding::Multipart
        } else if essence.starts_with("text/") {
            BodyEncoding::Text
        } else {
            BodyEncoding::Binary
        };
        let schema_pointer = join(&join(&join(pointer, "content"), &media), "schema");
        // Multipart: binary properties are file parts with builder methods of their own; the
        // other properties form the body type, sent as text parts.
        let mut files = Vec::new();
        let mut content = content;
        if encoding == BodyEncoding::Multipart {
            if let Some(mut schema) = content
                .schema
                .as_ref()
                .and_then(|s| self.deref(s, &schema_pointer))
                .map(Cow::into_owned)
            {
                let properties = match &mut schema.schema_kind {
                    SchemaKind::Type(Type::Object(o)) => Some(&mut o.properties),
                    SchemaKind::Any(a) => Some(&mut a.properties),
                    _ => None,
                };
                if let Some(properties) = properties {
                    let binary: Vec<String> = properties
                        .iter()
                        .filter(|(_, p)| is_binary(p))
                        .map(|(k, _)| k.clone())
                        .collect();
                    for wire in binary {
                        let description = match properties.shift_remove(&wire) {
                            Some(ReferenceOr::Item(s)) => s.schema_data.description.clone(),
                            _ => None,
                        };
                        files.push(FilePart {
                            rust_name: names.claim(snake(&wire)),
                            wire_name: wire,
                            description,
                        });
                    }
                }
                if !files.is_empty() {
                    content.schema = Some(ReferenceOr::Item(schema));
                }
            }
        }
        let ty = match (&content.schema, encoding) {
            (Some(s), BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart) => {
                self.lower_schema_ref(s, &body_hint, &schema_pointer).0
            }
            _ => TypeRef::Json,
        };
        // Follows aliases: a component `{type: object}` is an alias of a map.
        let mut target = &ty;
        for _ in 0..16 {
            match target {
                TypeRef::Named(i) => {
                    match self.types.get(*i).and_then(Option::as_ref).map(|t| &t.kind) {
                        Some(TypeKind::Alias(next)) => target = next,
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        let defaultable = match target {
            TypeRef::Named(i) => matches!(
                self.types.get(*i).and_then(Option::as_ref).map(|t| &t.kind),
                Some(TypeKind::Struct { fields, .. }) if fields.iter().all(|f| !f.required)
            ),
            TypeRef::Map(_) => true,
            _ => false,
        };
        Some(Body {
            content_type: media,
            encoding,
            ty,
            required: body.required,
            defaultable,
            files,
        })
    }
}

/// `type: string, format: binary` (or an array of them, sent as the first file).
fn is_binary(p: &ReferenceOr<Box<Schema>>) -> bool {
    match p {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                matches!(
                    t.format,
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
                )
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// Whether the successes carry different kinds of body, so that `send()` returns an enum with
/// a variant per status. One JSON type plus empty responses is `Option<T>` instead.
fn needs_success_enum(success: &[(StatusMatch, ResponseKind)]) -> bool {
    let mut kinds: Vec<&ResponseKind> = success.iter().map(|(_, k)| k).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    kinds.dedup();
    let json = kinds
        .iter()
        .filter(|k| matches!(k, ResponseKind::Json(_)))
        .count();
    let empty = kinds
        .iter()
        .filter(|k| matches!(k, ResponseKind::Empty))
        .count();
    kinds.len() > 1 && !(json == 1 && empty == 1 && kinds.len() == 2)
}

fn is_success(s: StatusMatch) -> bool {
    match s {
        StatusMatch::Code(c) => (200..300).contains(&c),
        StatusMatch::Range(r) => r == 2,
        StatusMatch::Default => false,
    }
}

fn is_scalar(t: &TypeRef, types: &[Option<TypeDef>]) -> bool {
    match t {
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::U64
        | TypeRef::F32
        | TypeRef::F64 => true,
        TypeRef::Named(i) => matches!(
            types.get(*i).and_then(Option::as_ref).map(|d| &d.kind),
            Some(TypeKind::Enum { .. })
        ),
        _ => false,
    }
}

fn variant_name(ty: &TypeRef, types: &[Option<TypeDef>], i: usize) -> String {
    match ty {
        TypeRef::Named(n) => types
            .get(*n)
            .and_then(Option::as_ref)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| format!("Variant{i}")),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Bool".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Array(_) => "Array".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Json => "Json".into(),
    }
}

fn is_null_schema(s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(a) => {
                s.schema_data.nullable
                    && a.typ.is_none()
                    && a.properties.is_empty()
                    && a.one_of.is_empty()
                    && a.all_of.is_empty()
                    && a.any_of.is_empty()
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// Prefers JSON, then forms, then anything else, so the richest typing wins.
fn pick_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(String, openapiv3::MediaType)> {
    let rank = |m: &str| {
        let m = m.to_ascii_lowercase();
        if is_json_media(&m) {
            0
        } else if m.starts_with("application/x-www-form-urlencoded") {
            1
        } else if m.starts_with("multipart/form-data") {
            2
        } else if m.starts_with("text/plain") {
            3
        } else {
            4
        }
    };
    content
        .iter()
        .min_by_key(|(m, _)| rank(m))
        .map(|(m, c)| (m.clone(), c.clone()))
}

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// HTTP token characters (RFC 9110), which header names are made of.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[derive(Debug, PartialEq)]
enum Tpl {
    Literal(String),
    Param(String),
}

/// Splits a path template once into literal text and `{parameter}` parts.
fn parse_template(path: &str) -> Vec<Tpl> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            out.push(Tpl::Literal(rest[..start].to_owned()));
        }
        out.push(Tpl::Param(rest[start + 1..start + len].to_owned()));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Tpl::Literal(rest.to_owned()));
    }
    out
}

/// Boxes the fields and variants that close a cycle of types that contain each other
/// directly (Vec and maps already add the indirection), found as strongly connected components.
fn mark_boxed_cycles(types: &mut [TypeDef], diags: &mut Diagnostics) {
    let direct = |t: &TypeRef| match t {
        TypeRef::Named(i) => Some(*i),
        _ => None,
    };
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter().filter_map(|f| direct(&f.ty)).collect()
            }
            TypeKind::Union { variants, .. } => {
                variants.iter().filter_map(|v| direct(&v.ty)).collect()
            }
            TypeKind::Alias(t) => direct(t).into_iter().collect(),
            TypeKind::Enum { .. } => Vec::new(),
        })
        .collect();
    let component = tarjan(&edges);
    for i in 0..types.len() {
        let c = component[i];
        let same = |t: &TypeRef| direct(t).is_some_and(|j| component[j] == c);
        match &mut types[i].kind {
            TypeKind::Struct { fields, .. } => fields
                .iter_mut()
                .filter(|f| same(&f.ty))
                .for_each(|f| f.boxed = true),
            TypeKind::Union { variants, .. } => variants
                .iter_mut()
                .filter(|v| same(&v.ty))
                .for_each(|v| v.boxed = true),
            TypeKind::Alias(t) if same(t) => {
                // A type alias cannot point back at itself; such a schema says nothing typed.
                diags.warn(
                    &types[i].pointer,
                    "schema refers only to itself: generated as an untyped JSON value",
                );
                types[i].kind = TypeKind::Alias(TypeRef::Json);
            }
            _ => {}
        }
    }
}

/// Strongly connected components (iterative Tarjan): the component id of each node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if w >= n {
                    continue;
                }
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    // A node alone in its component has edges only to other components, or to itself
    // (a self-cycle), so comparing component ids finds exactly the edges inside cycles.
    comp
}

/// Splits an operationId into namespaces and a method name. Two shapes name namespaces:
///
/// - separators: `a.b.c` and `a/b/c` put `c` under `a().b()`;
/// - a versioned snake path ending in a PascalCase verb, as Stytch's official description has
///   (`api_organization_v1_organizations_members_GetConnectedApps`): the words after the last
///   `v<N>` word are the namespaces (`organizations().members()`), or, when there are none, the
///   words between the first word and the version (`api_organization_v1_Update` →
///   `organization().update()`).
///
/// Any other id is a method on the client itself.
fn split_operation_id(id: &str) -> (Vec<String>, String) {
    let parts: Vec<&str> = id.split(['.', '/']).filter(|s| !s.is_empty()).collect();
    if parts.len() > 1 {
        let (last, rest) = parts.split_last().expect("more than one part");
        return (
            rest.iter().map(|s| (*s).to_owned()).collect(),
            (*last).to_owned(),
        );
    }
    let words: Vec<&str> = id.split('_').collect();
    let is_version =
        |w: &&str| w.len() > 1 && w.starts_with('v') && w[1..].bytes().all(|b| b.is_ascii_digit());
    let verb_ok = words
        .last()
        .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_uppercase()));
    let snake_ok = words[..words.len().saturating_sub(1)].iter().all(|w| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if let Some(version) = words.iter().rposition(is_version) {
        if verb_ok && snake_ok && words.len() >= 3 {
            let verb = words[words.len() - 1].to_owned();
            let after = &words[version + 1..words.len() - 1];
            let namespaces = if after.is_empty() {
                &words[1.min(version)..version]
            } else {
                after
            };
            return (namespaces.iter().map(|s| (*s).to_owned()).collect(), verb);
        }
    }
    (Vec::new(), id.to_owned())
}

/// Claims an operation's type name (`GetBuilder`), prefixed with its namespace path
/// (`UsersGetBuilder`) when another operation already has the short one.
fn claim_in_namespace(type_names: &mut Scope, path: &[String], base: String) -> String {
    if type_names.is_taken(&base) {
        let prefixed: String = path.iter().map(|s| pascal(s)).collect::<String>() + &base;
        type_names.claim(prefixed)
    } else {
        type_names.claim(base)
    }
}

/// Builds the namespace tree from operation ids (see [`split_operation_id`]).
fn build_namespaces(ops: &mut [Operation], type_names: &mut Scope) -> Namespace {
    let mut root = Namespace::default();
    let mut paths: Vec<Vec<String>> = Vec::new();
    let mut methods: Vec<String> = Vec::new();
    for op in ops.iter() {
        let (segments, method) = split_operation_id(&op.id);
        methods.push(method);
        paths.push(segments);
    }
    // Child namespaces first, so that their accessor names are claimed before methods.
    fn insert(
        ns: &mut Namespace,
        prefix: &mut Vec<String>,
        rest: &[String],
        type_names: &mut Scope,
    ) {
        let Some((first, tail)) = rest.split_first() else {
            return;
        };
        let accessor = snake(first);
        prefix.push(first.clone());
        let pos = match ns.children.iter().position(|c| c.rust_name == accessor) {
            Some(p) => p,
            None => {
                // Cased as one name, so that a keyword segment (`self`) is escaped only when
                // it stands alone: `SelfApi`, not `Self_Api`.
                let words = prefix.join(" ");
                let base = pascal(&words);
                let type_name = if type_names.is_taken(&base) {
                    type_names.claim(pascal(&format!("{words} api")))
                } else {
                    type_names.claim(base)
                };
                ns.children.push(Namespace {
                    rust_name: accessor,
                    type_name,
                    ..Namespace::default()
                });
                ns.children.len() - 1
            }
        };
        insert(&mut ns.children[pos], prefix, tail, type_names);
        prefix.pop();
    }
    for path in &paths {
        insert(&mut root, &mut Vec::new(), path, type_names);
    }
    fn find<'n>(ns: &'n mut Namespace, path: &[String]) -> &'n mut Namespace {
        match path.split_first() {
            None => ns,
            Some((first, tail)) => {
                let accessor = snake(first);
                let pos = ns
                    .children
                    .iter()
                    .position(|c| c.rust_name == accessor)
                    .unwrap_or(0);
                find(&mut ns.children[pos], tail)
            }
        }
    }
    let mut scopes: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
    for (i, op) in ops.iter_mut().enumerate() {
        let path = &paths[i];
        let ns = find(&mut root, path);
        let scope = scopes.entry(path.clone()).or_insert_with(|| {
            let names: Vec<&str> = ns.children.iter().map(|c| c.rust_name.as_str()).collect();
            Scope::with_reserved(&names)
        });
        let last = methods[i].clone();
        op.method_name = scope.claim(snake(&last));
        let base = pascal(&format!("{} builder", op.method_name));
        op.builder_name = claim_in_namespace(type_names, path, base);
        if needs_success_enum(&op.success) {
            let base = format!("{}Response", pascal(&op.method_name));
            op.success_enum = Some(claim_in_namespace(type_names, path, base));
        }
        ns.operations.push(i);
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lowers spec text; returns the API and the warnings as `message at pointer` lines.
    fn lower_text(text: &str) -> (Api, Vec<String>) {
        let mut diags = Diagnostics::default();
        let parsed = crate::parse::parse(text, &mut diags).expect("the fixture parses");
        let api = lower(&parsed, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.into_vec());
        let warnings = diags
            .into_vec()
            .into_iter()
            .map(|d| format!("{} at {}", d.message, d.pointer))
            .collect();
        (api, warnings)
    }

    fn named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
        api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type {name}"))
    }

    fn field<'a>(api: &'a Api, ty: &str, wire: &str) -> &'a Field {
        match &named(api, ty).kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .find(|f| f.wire_name == wire)
                .unwrap_or_else(|| panic!("{ty} has no field {wire}")),
            other => panic!("{ty} is not a struct: {other:?}"),
        }
    }

    fn type_of(api: &Api, t: &TypeRef) -> String {
        match t {
            TypeRef::Named(i) => api.types[*i].name.clone(),
            TypeRef::Array(inner) => format!("Vec<{}>", type_of(api, inner)),
            TypeRef::Map(inner) => format!("Map<{}>", type_of(api, inner)),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn no_schema_part_is_lost_in_combinations() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/lossless.yaml"
        ))
        .expect("fixture");
        let (api, warnings) = lower_text(&text);
        // Nothing in the fixture is beyond a Rust type, so nothing is warned about.
        assert_eq!(warnings, Vec::<String>::new());
        // No struct came out empty.
        for t in &api.types {
            if let TypeKind::Struct { fields, additional } = &t.kind {
                assert!(
                    !fields.is_empty() || additional.is_some(),
                    "{} is an empty struct",
                    t.name
                );
            }
        }
        let f = |ty: &str, wire: &str| {
            let f = field(&api, ty, wire);
            (type_of(&api, &f.ty), f.required, f.nullable)
        };
        // 1. `$ref` with `type: string` beside it, to a string enum: the enum.
        assert_eq!(f("Account", "type"), ("AccountType".into(), true, false));
        assert_eq!(
            f("Account", "previous_type"),
            ("AccountType".into(), false, true)
        );
        // 2. `allOf` of an array and an annotation: the array.
        assert_eq!(f("Account", "tags").0, "Tags");
        assert!(matches!(
            named(&api, "Tags").kind,
            TypeKind::Alias(TypeRef::Array(_))
        ));
        // A component map is a map, not an empty struct.
        assert!(matches!(
            named(&api, "Labels").kind,
            TypeKind::Alias(TypeRef::Map(_))
        ));
        // 3. `type: object` beside `allOf`: the merged properties.
        assert_eq!(f("AccountOwner", "name"), ("String".into(), true, false));
        assert_eq!(f("AccountOwner", "email"), ("String".into(), false, false));
        // 4. `required` beside `allOf` applies to the merged properties.
        assert_eq!(
            f("SettingsUpdate", "settings"),
            ("Settings".into(), true, false)
        );
        assert!(!f("SettingsUpdate", "comment").1);
        // 5. `allOf` with a `oneOf` part: every alternative gets the shared properties.
        let TypeKind::Union { variants, .. } = &named(&api, "ChatMessage").kind else {
            panic!("ChatMessage is not a union");
        };
        assert_eq!(variants.len(), 2);
        let first = type_of(&api, &variants[0].ty);
        let second = type_of(&api, &variants[1].ty);
        assert!(f(&first, "content").1);
        assert!(f(&first, "role").1);
        assert!(f(&second, "tool_calls").1);
        assert!(!f(&second, "name").1);
        // The same for `oneOf` beside an object's own properties.
        let TypeKind::Union { variants, .. } = &named(&api, "Shape").kind else {
            panic!("Shape is not a union");
        };
        assert!(f(&type_of(&api, &variants[0].ty), "id").1);
        assert!(f(&type_of(&api, &variants[1].ty), "side").1);
        // 6. Integers past i64::MAX, by bound or by example: u64.
        assert_eq!(f("Account", "quota").0, "U64");
        assert_eq!(f("Account", "serial").0, "U64");
    }

    #[test]
    fn combinations_no_type_can_hold_are_json_with_a_warning() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Word: {type: string, enum: [a, b]}
    Both:
      allOf:
        - $ref: "#/components/schemas/Word"
        - type: object
          properties: {x: {type: string}}
    Twice:
      allOf:
        - oneOf: [{type: object, properties: {a: {type: string}}}, {type: string}]
        - oneOf: [{type: object, properties: {b: {type: string}}}, {type: integer}]
    Wide: {type: integer, minimum: -1, example: 18446744073709551000}
    Huge: {type: integer, maximum: 1e30}
    Range: {type: integer, minimum: -9223372036854776000, maximum: 9223372036854776000}
    OneOf:
      type: object
      properties: {url: {type: string}, id: {type: string}}
      anyOf: [{required: [url]}, {required: [id]}]
      not: {required: [url, id]}
"##;
        let (api, warnings) = lower_text(text);
        let alias = |name: &str| match &named(&api, name).kind {
            TypeKind::Alias(t) => type_of(&api, t),
            other => format!("{other:?}"),
        };
        assert_eq!(alias("Both"), "Json");
        assert_eq!(alias("Twice"), "Json");
        assert_eq!(alias("Wide"), "F64");
        assert_eq!(alias("Huge"), "F64");
        // `i64::MIN..=i64::MAX` written as doubles is still i64.
        assert_eq!(alias("Range"), "I64");
        // Constraint-only alternatives and `not` beside properties keep the plain struct.
        assert!(!field(&api, "OneOf", "url").required);
        for (pointer, words) in [
            ("#/components/schemas/Both", "1 object, 1 non-object"),
            ("#/components/schemas/Twice", "2 oneOf/anyOf"),
            (
                "#/components/schemas/Wide",
                "negative values and values past i64::MAX",
            ),
            ("#/components/schemas/Huge", "beyond 64 bits"),
        ] {
            assert!(
                warnings
                    .iter()
                    .any(|w| w.ends_with(&format!(" at {pointer}")) && w.contains(words)),
                "no warning with `{words}` at {pointer}: {warnings:#?}"
            );
        }
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
    }

    #[test]
    fn duplicate_enum_values_are_one_variant_and_a_warning() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Shade: {type: string, enum: [Foo, Bar, Bar, foo]}
"##;
        let (api, warnings) = lower_text(text);
        let TypeKind::Enum { variants } = &named(&api, "Shade").kind else {
            panic!("Shade is not an enum");
        };
        let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
        // `foo` differs from `Foo` on the wire, so it stays, under another Rust name.
        assert_eq!(wires, ["Foo", "Bar", "foo"]);
        assert_eq!(variants[2].rust_name, "Foo2");
        assert_eq!(
            warnings,
            ["enum value `Bar` is listed twice: one variant at #/components/schemas/Shade/enum"]
        );
    }

    #[test]
    fn references_into_the_middle_of_the_document_share_one_type() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/deep_refs.yaml"
        ))
        .expect("fixture");
        let (api, warnings) = lower_text(&text);
        assert_eq!(warnings, Vec::<String>::new());
        // The enum is lowered once, for the property and for the reference to it.
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names
                .iter()
                .filter(|n| n.starts_with("CustomFieldsFieldValueName"))
                .count(),
            1,
            "{names:?}"
        );
        let list = api
            .operations
            .iter()
            .find(|o| o.id == "listFields")
            .expect("op");
        let created_by = field(&api, "Template", "created_by");
        let TypeKind::Union { variants, .. } = &named(&api, "TemplateCreatedBy").kind else {
            panic!("created_by is not a union");
        };
        assert_eq!(type_of(&api, &created_by.ty), "TemplateCreatedBy");
        // The alternative that is referenced elsewhere is one type, named after its place,
        // and refers to itself through a box.
        assert_eq!(type_of(&api, &variants[1].ty), "TemplateCreatedByVariant1");
        let manager = field(&api, "TemplateCreatedByVariant1", "manager");
        assert_eq!(type_of(&api, &manager.ty), "TemplateCreatedByVariant1");
        assert!(manager.boxed);
        let success = |op: &Operation| match &op.success[0].1 {
            ResponseKind::Json(t) => type_of(&api, t),
            other => format!("{other:?}"),
        };
        assert_eq!(success(list), "Vec<CustomFieldsFieldValueName>");
        let create = api
            .operations
            .iter()
            .find(|o| o.id == "createTemplate")
            .expect("op");
        let echo = api.operations.iter().find(|o| o.id == "echo").expect("op");
        assert_eq!(success(create), success(echo));
        assert_eq!(
            type_of(&api, &field(&api, &success(create), "creator").ty),
            "TemplateCreatedByVariant1"
        );
    }

    #[test]
    fn a_reference_to_nothing_in_the_middle_of_the_document_is_an_error_at_its_use() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: "#/components/schemas/A/properties/missing"}
"##;
        let mut diags = Diagnostics::default();
        let parsed = crate::parse::parse(text, &mut diags).expect("parses");
        lower(&parsed, &mut diags);
        let errors: Vec<String> = diags
            .into_vec()
            .into_iter()
            .map(|d| format!("{} at {}", d.message, d.pointer))
            .collect();
        assert_eq!(
            errors,
            [
                "reference `#/components/schemas/A/properties/missing` points to nothing at #/components/schemas/A/properties/b"
            ]
        );
    }

    #[test]
    fn names_follow_the_place_in_the_document() {
        for (pointer, name) in [
            (
                "#/components/schemas/CustomFieldsFieldValue/properties/name",
                "CustomFieldsFieldValueName",
            ),
            (
                "#/components/schemas/Template/allOf/1/properties/created_by/oneOf/1",
                "TemplateCreatedByVariant1",
            ),
            (
                "#/paths/~1pets~1{id}/get/responses/2XX/content/application~1json/schema/items",
                "PetsId",
            ),
            ("#/components/schemas/X/properties/x", "XX"),
        ] {
            assert_eq!(pascal(&name_from_pointer(pointer)), name, "{pointer}");
        }
    }

    #[test]
    fn an_allof_that_includes_itself_is_skipped_with_a_warning() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Node:
      allOf:
        - $ref: "#/components/schemas/Node"
        - type: object
          properties: {name: {type: string}}
"##;
        let (api, warnings) = lower_text(text);
        assert_eq!(field(&api, "Node", "name").ty, TypeRef::String);
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("includes") && w.contains("allOf/0")),
            "{warnings:#?}"
        );
    }

    #[test]
    fn operation_ids_name_namespaces() {
        let split = |id: &str| split_operation_id(id);
        assert_eq!(
            split("organizations.members.getConnectedApps"),
            (
                vec!["organizations".into(), "members".into()],
                "getConnectedApps".into()
            )
        );
        assert_eq!(
            split("repos/get-content"),
            (vec!["repos".into()], "get-content".into())
        );
        assert_eq!(
            split("api_organization_v1_organizations_members_GetConnectedApps"),
            (
                vec!["organizations".into(), "members".into()],
                "GetConnectedApps".into()
            )
        );
        assert_eq!(
            split("api_organization_v1_Update"),
            (vec!["organization".into()], "Update".into())
        );
        assert_eq!(split("listPets"), (vec![], "listPets".into()));
        assert_eq!(split("get_users_v2"), (vec![], "get_users_v2".into()));
        assert_eq!(split("get_users_id"), (vec![], "get_users_id".into()));
    }

    #[test]
    fn templates_split_once() {
        assert_eq!(
            parse_template("/files/{name}.{ext}"),
            vec![
                Tpl::Literal("/files/".into()),
                Tpl::Param("name".into()),
                Tpl::Literal(".".into()),
                Tpl::Param("ext".into())
            ]
        );
        assert_eq!(parse_template("/a"), vec![Tpl::Literal("/a".into())]);
    }

    #[test]
    fn cycles_are_found() {
        // 0 -> 1 -> 0 is a cycle, 2 -> 2 is a self-cycle, 3 -> 0 is not in a cycle.
        let c = tarjan(&[vec![1], vec![0], vec![2], vec![0]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[2], c[3]);
    }
}
