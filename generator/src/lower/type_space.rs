//! The type space: the named types of the API being built, and everything lowering a schema
//! needs (the document, the caches that make each schema lower once, the diagnostics). The
//! methods that lower schemas live beside it, in `schemas.rs`, `combinations.rs` and `refs.rs`;
//! operation lowering (`operations.rs` and the files around it) borrows a type space and asks
//! it for every schema. These files never refer to the operation files.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;

use crate::diag::{Diagnostics, join};
use crate::model::{TypeDef, TypeKind, TypeRef};

pub(super) struct TypeSpace<'a> {
    spec: &'a OpenAPI,
    pub(super) raw: &'a Value,
    /// Targets of references into the middle of the document (see `Parsed::deep_refs`):
    /// lowered once, and shared with the inline schema at the same place.
    pub(super) deep_refs: &'a BTreeSet<String>,
    /// Named types reserved for such targets while they are being lowered (cycles).
    pub(super) ref_types: BTreeMap<String, TypeRef>,
    pub(super) diags: &'a mut Diagnostics,
    /// Types with their natural names (see [`super::settle_type_names`]).
    pub(super) types: Vec<Option<TypeDef>>,
    pub(super) component_index: BTreeMap<String, usize>,
    /// Component schemas whose lowering has begun (see [`TypeSpace::lower_component`]).
    components_started: BTreeSet<String>,
    /// Inline schemas owned by a component (a shared response, parameter or body) are lowered
    /// once, however many operations refer to them.
    pub(super) shared: BTreeMap<String, (TypeRef, bool)>,
    /// Component schemas that allow null themselves (`nullable: true`, or a `null` alternative):
    /// every reference to them is an `Option`.
    pub(super) nullable_components: BTreeSet<String>,
}

impl<'a> TypeSpace<'a> {
    /// An empty type space over a parsed document; diagnostics go to `diags`.
    pub(super) fn new(
        spec: &'a OpenAPI,
        raw: &'a Value,
        deep_refs: &'a BTreeSet<String>,
        diags: &'a mut Diagnostics,
    ) -> Self {
        TypeSpace {
            spec,
            raw,
            deep_refs,
            ref_types: BTreeMap::new(),
            diags,
            types: Vec::new(),
            component_index: BTreeMap::new(),
            components_started: BTreeSet::new(),
            shared: BTreeMap::new(),
            nullable_components: BTreeSet::new(),
        }
    }
}

impl TypeSpace<'_> {
    /// Lowers component schema `key` once. Its inline schemas are named after it, whoever
    /// reaches them first: a component that merges another's properties (`allOf` with a
    /// `$ref`) lowers that other component before taking its parts, so the shared enum of a
    /// property is `BaseKind`, never `DerivedKind` or `OtherDerivedKind` by document order.
    pub(super) fn lower_component(&mut self, key: &str) {
        if self.components_started.contains(key) {
            return;
        }
        self.components_started.insert(key.to_owned());
        let Some(schema) = self
            .spec
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(key))
        else {
            return;
        };
        let idx = self.component_index[key];
        let pointer = join("#/components/schemas", key);
        let name = self.types[idx]
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let def = match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.lower_ref(reference, &name, &pointer);
                TypeDef {
                    name,
                    description: None,
                    kind: TypeKind::Alias(target),
                    pointer,
                }
            }
            ReferenceOr::Item(schema) => self.lower_named(schema, name, &pointer),
        };
        self.types[idx] = Some(def);
    }

    /// Before an inline schema inside component schema `K` is lowered from elsewhere, `K`
    /// itself is lowered (unless it is being lowered already: a cycle).
    pub(super) fn lower_owner_first(&mut self, pointer: &str) {
        let Some(rest) = pointer.strip_prefix("#/components/schemas/") else {
            return;
        };
        let token = rest.split('/').next().unwrap_or("");
        if token.len() == rest.len() {
            return;
        }
        // Most keys need no unescaping: no allocation on the way to the lookup.
        let key: std::borrow::Cow<str> = if token.contains(['%', '~']) {
            crate::parse::percent_decode(token)
                .replace("~1", "/")
                .replace("~0", "~")
                .into()
        } else {
            token.into()
        };
        if self.component_index.contains_key(key.as_ref())
            && !self.components_started.contains(key.as_ref())
        {
            self.lower_component(&key);
        }
    }
}
