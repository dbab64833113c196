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
pub fn lower(spec: &OpenAPI, raw: &Value, diags: &mut Diagnostics) -> Api {
    let mut l = Lowerer {
        spec,
        raw,
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
    api.constructor_scheme = match spec.security.as_deref() {
        Some([only]) if only.len() == 1 => only
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
        let Some(local) = reference.strip_prefix('#') else {
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
        if let Some(key) = reference.strip_prefix("#/components/schemas/") {
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
        match self.resolve::<ReferenceOr<Schema>>(reference, pointer) {
            Some(ReferenceOr::Item(schema)) => self.lower_schema(&schema, hint, pointer).0,
            Some(ReferenceOr::Reference { reference: next }) if next != reference => {
                self.lower_ref(&next, hint, pointer)
            }
            _ => TypeRef::Json,
        }
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
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let name = self.type_names.claim(pascal(hint));
                let def = self.lower_named(schema, name, pointer);
                self.add_type(def)
            }
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                    TypeRef::I32
                }
                _ => TypeRef::I64,
            },
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
                match &o.additional_properties {
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
            SchemaKind::Any(a)
                if a.properties.is_empty()
                    && a.all_of.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty() =>
            {
                match a.typ.as_deref() {
                    Some("string") => TypeRef::String,
                    Some("integer") => TypeRef::I64,
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
            SchemaKind::AllOf { all_of }
                if all_of.len() == 1 && schema.schema_data.discriminator.is_none() =>
            {
                let (t, n) = self.lower_schema_ref(&all_of[0], hint, &join(pointer, "allOf/0"));
                return (t, n || nullable);
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

    /// Lowers a schema that gets its own named type.
    fn lower_named(&mut self, schema: &Schema, name: String, pointer: &str) -> TypeDef {
        let description = schema
            .schema_data
            .description
            .clone()
            .or_else(|| schema.schema_data.title.clone());
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let mut scope = Scope::with_reserved(&["Unknown"]);
                let variants = s
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|wire| EnumVariant {
                        rust_name: scope.claim(pascal(wire)),
                        wire: wire.clone(),
                    })
                    .collect();
                TypeKind::Enum { variants }
            }
            SchemaKind::Type(Type::Object(o)) => self.struct_kind(
                &name,
                pointer,
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
            ),
            SchemaKind::Any(a)
                if !a.properties.is_empty() || a.typ.as_deref() == Some("object") =>
            {
                self.struct_kind(
                    &name,
                    pointer,
                    &a.properties,
                    &a.required,
                    a.additional_properties.as_ref(),
                )
            }
            SchemaKind::AllOf { all_of } => self.merge_all_of(&name, pointer, all_of),
            SchemaKind::Any(a) if !a.all_of.is_empty() => {
                self.merge_all_of(&name, pointer, &a.all_of)
            }
            SchemaKind::OneOf { one_of: alts } | SchemaKind::AnyOf { any_of: alts } => self
                .union_kind(
                    &name,
                    pointer,
                    alts,
                    schema.schema_data.discriminator.as_ref(),
                ),
            SchemaKind::Any(a) if !a.one_of.is_empty() || !a.any_of.is_empty() => {
                let alts = if a.one_of.is_empty() {
                    &a.any_of
                } else {
                    &a.one_of
                };
                self.union_kind(
                    &name,
                    pointer,
                    alts,
                    schema.schema_data.discriminator.as_ref(),
                )
            }
            _ => {
                let (t, _) = self.lower_schema(schema, &format!("{name}Inner"), pointer);
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

    fn struct_kind(
        &mut self,
        name: &str,
        pointer: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
    ) -> TypeKind {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (wire, prop) in properties {
            let prop_pointer = join(&join(pointer, "properties"), wire);
            let (ty, nullable) =
                self.lower_schema_ref(prop, &format!("{name}{}", pascal(wire)), &prop_pointer);
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
                required: required.contains(wire),
                nullable,
                boxed: false,
                description,
                deprecated,
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(s)) if !fields.is_empty() => Some(
                self.lower_schema_ref(
                    s,
                    &format!("{name}Extra"),
                    &join(pointer, "additionalProperties"),
                )
                .0,
            ),
            Some(AdditionalProperties::Any(true)) if !fields.is_empty() => Some(TypeRef::Json),
            _ => None,
        };
        TypeKind::Struct { fields, additional }
    }

    /// `allOf`: the properties and required lists of every part, merged into one struct.
    fn merge_all_of(
        &mut self,
        name: &str,
        pointer: &str,
        parts: &[ReferenceOr<Schema>],
    ) -> TypeKind {
        let mut properties = indexmap::IndexMap::new();
        let mut required = Vec::new();
        let mut additional = None;
        let mut pending: Vec<(ReferenceOr<Schema>, String)> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), join(&join(pointer, "allOf"), &i.to_string())))
            .collect();
        let mut seen = 0;
        while let Some((part, part_pointer)) = pending.pop() {
            seen += 1;
            if seen > 256 {
                self.diags
                    .error(pointer, "allOf nests too deeply (a cycle?)");
                break;
            }
            let Some(schema) = self.deref(&part, &part_pointer) else {
                continue;
            };
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    for (k, v) in o.properties.iter().rev() {
                        properties.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                    required.extend(o.required.iter().cloned());
                    additional = additional.or(o.additional_properties.clone());
                }
                SchemaKind::Any(a) => {
                    for (k, v) in a.properties.iter().rev() {
                        properties.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                    required.extend(a.required.iter().cloned());
                    for (i, p) in a.all_of.iter().enumerate() {
                        pending.push((
                            p.clone(),
                            join(&join(&part_pointer, "allOf"), &i.to_string()),
                        ));
                    }
                    if !a.one_of.is_empty() || !a.any_of.is_empty() {
                        self.diags.warn(
                            &part_pointer,
                            "oneOf/anyOf inside allOf: only the shared properties are typed",
                        );
                    }
                }
                SchemaKind::AllOf { all_of } => {
                    for (i, p) in all_of.iter().enumerate() {
                        pending.push((
                            p.clone(),
                            join(&join(&part_pointer, "allOf"), &i.to_string()),
                        ));
                    }
                }
                _ => {
                    self.diags.warn(
                        &part_pointer,
                        "allOf part that is not an object: its constraints are not typed",
                    );
                }
            }
        }
        // Parts were popped last-first with reversed properties; restore spec order.
        let mut ordered: Vec<(String, ReferenceOr<Box<Schema>>)> = properties.into_iter().collect();
        ordered.reverse();
        let properties: indexmap::IndexMap<_, _> = ordered.into_iter().collect();
        self.struct_kind(name, pointer, &properties, &required, additional.as_ref())
    }

    fn union_kind(
        &mut self,
        name: &str,
        pointer: &str,
        alts: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
    ) -> TypeKind {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        for (i, alt) in alts.iter().enumerate() {
            if is_null_schema(alt) {
                continue;
            }
            let alt_pointer = join(pointer, &i.to_string());
            let (ty, _) = self.lower_schema_ref(alt, &format!("{name}Variant{i}"), &alt_pointer);
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
        let all = self.responses(op, id, pointer);
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
        let defaultable = match &ty {
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
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
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
                let base: String = prefix.iter().map(|s| pascal(s)).collect();
                let type_name = if type_names.is_taken(&base) {
                    type_names.claim(format!("{base}Api"))
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
        let base = format!("{}Builder", pascal(&op.method_name));
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
