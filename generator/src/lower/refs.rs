//! Resolving `$ref`: to components, to any JSON pointer in the document, and through chains.

use std::borrow::Cow;

use openapiv3::{ReferenceOr, Schema};

use crate::model::{TypeDef, TypeKind, TypeRef};
use crate::naming::pascal;

use super::type_space::TypeSpace;

/// Words for a type named after its place in the document: the names along the pointer,
/// without OpenAPI's structural keywords, indexes and media types.
pub(super) fn name_from_pointer(pointer: &str) -> String {
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

impl TypeSpace<'_> {
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
    pub(super) fn deref<'s, T: serde::de::DeserializeOwned + Clone>(
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
    pub(super) fn deref_home<'s, T: serde::de::DeserializeOwned + Clone>(
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

    pub(super) fn lower_ref(&mut self, reference: &str, hint: &str, pointer: &str) -> TypeRef {
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
    pub(super) fn lower_deep_ref(&mut self, target: &str, pointer: &str) -> TypeRef {
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
        let name = pascal(&name_from_pointer(target));
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
}
