//! Schemas to types: scalars, arrays, maps, enums, structs and unions; cycles boxed.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use crate::diag::{Diagnostics, join};
use crate::model::{EnumVariant, Field, TypeDef, TypeKind, TypeRef, UnionVariant};
use crate::naming::{Scope, pascal, snake};

use super::combinations::{Combined, ObjectParts, Parts, annotates_null};
use super::type_space::TypeSpace;

/// The doc text of a schema: its description, else its title.
fn doc_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
}

pub(super) fn is_scalar(t: &TypeRef, types: &[Option<TypeDef>]) -> bool {
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

/// An array item or map value that may be null keeps the null: `Option<T>` (`Value` holds
/// null already).
fn or_null(t: TypeRef, nullable: bool) -> TypeRef {
    match t {
        TypeRef::Json => TypeRef::Json,
        t if nullable => TypeRef::Nullable(Box::new(t)),
        t => t,
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
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Bool => "Bool".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Array(_) => "Array".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Nullable(inner) => variant_name(inner, types, i),
        TypeRef::Json => "Json".into(),
    }
}

pub(super) fn is_null_schema(s: &ReferenceOr<Schema>) -> bool {
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

/// Boxes the fields and variants that close a cycle of types that contain each other
/// directly (Vec and maps already add the indirection), found as strongly connected components.
pub(super) fn mark_boxed_cycles(types: &mut [TypeDef], diags: &mut Diagnostics) {
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
pub(super) fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
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

impl TypeSpace<'_> {
    /// Lowers a schema in a position that wants a type; returns the type and whether null is
    /// allowed. Takes `Schema` and `Box<Schema>` items alike (openapiv3 boxes properties).
    pub(super) fn lower_schema_ref<S: std::borrow::Borrow<Schema>>(
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

    pub(super) fn lower_schema(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &str,
    ) -> (TypeRef, bool) {
        if self.deep_refs.contains(pointer) {
            // The target of a reference elsewhere: the one type that reference gets.
            return (
                self.lower_deep_ref(pointer, pointer),
                schema.schema_data.nullable,
            );
        }
        if pointer.starts_with("#/components/") {
            self.lower_owner_first(pointer);
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
        let nullable = schema.schema_data.nullable || annotates_null(schema);
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
                    let name = pascal(hint);
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
                let name = pascal(hint);
                let def = self.lower_named(schema, name, pointer);
                self.add_type(def)
            }
            SchemaKind::Type(Type::String(s)) => string_type(match &s.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => {
                    Some("date-time")
                }
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date) => {
                    Some("date")
                }
                openapiv3::VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
                _ => None,
            }),
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
            SchemaKind::Type(Type::Array(a)) => self.array_type(a.items.as_ref(), hint, pointer),
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                self.map_type(o.additional_properties.as_ref(), hint, pointer)
            }
            SchemaKind::Any(a)
                if a.properties.is_empty() && a.one_of.is_empty() && a.any_of.is_empty() =>
            {
                match a.typ.as_deref() {
                    Some("string") => string_type(a.format.as_deref()),
                    Some("integer") => self.integer_type(
                        a.format.as_deref(),
                        a.minimum,
                        a.maximum,
                        schema,
                        pointer,
                    ),
                    Some("number") => TypeRef::F64,
                    Some("boolean") => TypeRef::Bool,
                    Some("array") => self.array_type(a.items.as_ref(), hint, pointer),
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
                let name = pascal(hint);
                let def = self.lower_named(schema, name, pointer);
                return (self.add_type(def), nullable || has_null);
            }
            _ => {
                let name = pascal(hint);
                let def = self.lower_named(schema, name, pointer);
                self.add_type(def)
            }
        };
        (ty, nullable)
    }

    /// `{type: array}`: a `Vec` of the items' type (any JSON value when they are not given).
    fn array_type(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let item = match items {
            Some(items) => {
                let (item, nullable) =
                    self.lower_schema_ref(items, &format!("{hint}Item"), &join(pointer, "items"));
                or_null(item, nullable)
            }
            None => TypeRef::Json,
        };
        TypeRef::Array(Box::new(item))
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
                let (v, nullable) = self.lower_schema_ref(
                    s,
                    &format!("{hint}Value"),
                    &join(pointer, "additionalProperties"),
                );
                TypeRef::Map(Box::new(or_null(v, nullable)))
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
    pub(super) fn lower_named(&mut self, schema: &Schema, name: String, pointer: &str) -> TypeDef {
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
    pub(super) fn struct_kind(&mut self, name: &str, parts: &ObjectParts) -> TypeKind {
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
            let (description, deprecated, read_only, write_only, example) = match prop {
                ReferenceOr::Item(s) => (
                    s.schema_data.description.clone(),
                    s.schema_data.deprecated,
                    s.schema_data.read_only,
                    s.schema_data.write_only,
                    s.schema_data
                        .example
                        .as_ref()
                        .filter(|e| e.is_string() || e.is_number() || e.is_boolean()),
                ),
                ReferenceOr::Reference { .. } => (None, false, false, false, None),
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
                read_only,
                write_only,
                setter: String::new(),
                example: example.cloned(),
            });
        }
        let additional = match &parts.additional {
            Some((AdditionalProperties::Schema(s), p)) => {
                Some(self.lower_schema_ref(s, &format!("{name}Extra"), p).0)
            }
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            _ => None,
        };
        // A required name without a property schema (Box's `actionable_by` requires `id` but
        // declares only `login`) is still a member of every valid value: without a field for
        // it, the value would be dropped. It gets a field of any JSON value (an
        // extra-properties map would keep it as well, when there is one). The field is
        // optional: such a name is as often a slip (Box's shared links require an
        // undescribed `accessed` that its own examples leave out), and a response without it
        // must still decode.
        if additional.is_none() {
            let object_pointer = parts
                .properties
                .values()
                .next()
                .and_then(|(_, p)| p.rsplit_once("/properties/").map(|(o, _)| o.to_owned()))
                .unwrap_or_default();
            for wire in &parts.required {
                if parts.properties.contains_key(wire)
                    || fields.iter().any(|f| &f.wire_name == wire)
                {
                    continue;
                }
                self.diags.warn(
                    &join(&object_pointer, "required"),
                    format!("required property `{wire}` has no schema: an optional field of any JSON value"),
                );
                fields.push(Field {
                    wire_name: wire.clone(),
                    rust_name: scope.claim(snake(wire)),
                    ty: TypeRef::Json,
                    required: false,
                    nullable: false,
                    boxed: false,
                    description: None,
                    deprecated: false,
                    read_only: false,
                    write_only: false,
                    setter: String::new(),
                    example: None,
                });
            }
        }
        // The extra-properties map keeps its name beside a property of that name.
        let additional_name = if fields
            .iter()
            .any(|f| f.rust_name == "additional_properties")
        {
            "additional_properties_"
        } else {
            "additional_properties"
        };
        TypeKind::Struct {
            fields,
            additional,
            additional_name: additional_name.to_owned(),
        }
    }

    pub(super) fn union_kind(
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
                    .or_else(|| {
                        let raw_alt = self.raw.pointer(alt_pointer.trim_start_matches('#'))?;
                        super::raw_checks::implicit_tag(self.raw, raw_alt, &d.property_name)
                    })
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
                let name = pascal(&hint);
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
}

/// The type of a `string` by its format: dates, times and UUIDs are typed; every other format
/// (byte, binary in JSON, email, uri, ...) stays a `String`.
fn string_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("date-time") => TypeRef::DateTime,
        Some("date") => TypeRef::Date,
        Some("uuid") => TypeRef::Uuid,
        _ => TypeRef::String,
    }
}
