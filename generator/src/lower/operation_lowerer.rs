//! The operation lowerer: what lowering the paths of a document needs beside the type space it
//! borrows. Its methods live in `operations.rs`, `bodies.rs`, `responses.rs` and
//! `security_servers.rs`; every schema they meet is lowered by the type space
//! (`self.types.lower_schema_ref(..)`), and they report through the type space's diagnostics
//! (`self.types.diags`). Operations use the type space, never the reverse.

use std::collections::BTreeMap;

use openapiv3::OpenAPI;
use serde_json::Value;

use super::type_space::TypeSpace;

pub(super) struct OperationLowerer<'a, 'b> {
    /// The document read, as the type space has it.
    pub(super) spec: &'a OpenAPI,
    pub(super) raw: &'a Value,
    /// The types being built, which every schema is lowered into; and the diagnostics.
    pub(super) types: &'b mut TypeSpace<'a>,
    /// Tags of an OpenAPI 3.2 tree of nested tags (`parent`), each with its path from the
    /// root tag down to it; empty when no tag has a parent.
    pub(super) tag_paths: BTreeMap<String, Vec<String>>,
    /// Each operation's `x-clientgen-pagination`, by the operation's pointer, for the
    /// pagination pass after the operations are lowered.
    pub(super) pagination_extensions: BTreeMap<String, Value>,
    /// The scopes the security requirements ask for, by scheme key.
    pub(super) scopes: BTreeMap<String, std::collections::BTreeSet<String>>,
}
