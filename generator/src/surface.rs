//! The public surface of a generated crate: every item a consumer can name (calls, builder
//! methods, `send` return types, types, fields, variants, the constructor, the default
//! server), keyed by the Rust path a consumer writes, with its signature and the JSON pointer
//! it came from. Names come from the IR as lowering settled them; the signature decisions
//! that depend on more than a name (how a parameter is taken, what `send()` returns, which
//! builder streams its body) are made here, once: the emitter prints them as tokens and
//! `diff` compares them as text.

use std::collections::BTreeMap;

use crate::model::*;

mod mock;
use mock::mock_methods;

/// One item of the public surface.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    /// What it is, for people: `call`, `builder method`, `field`, ...
    pub(crate) what: &'static str,
    /// Its signature or value; a change here changes the consumer's code.
    pub(crate) sig: String,
    /// Where it comes from in the description.
    pub(crate) pointer: String,
    /// Its documentation; a change here changes nothing a consumer compiles.
    pub(crate) doc: Option<String>,
}

/// A generated crate's public surface.
#[derive(Debug, Clone, Default)]
pub struct Surface {
    pub(crate) items: BTreeMap<String, Item>,
    /// Paths that two different items were given: the crate would not compile, so lowering
    /// has a rule missing. Never hidden by keeping the first.
    pub(crate) clashes: Vec<String>,
}

impl Surface {
    /// The surface of the crate generated from `api`.
    pub fn of(api: &Api) -> Surface {
        let (items, clashes) = items(api);
        Surface { items, clashes }
    }

    /// Each path two different items were given, with what and where each came from.
    pub fn clashes(&self) -> &[String] {
        &self.clashes
    }

    /// Every item, in order of its Rust path.
    pub fn entries(&self) -> impl Iterator<Item = SurfaceEntry<'_>> {
        self.items.iter().map(|(path, item)| SurfaceEntry {
            path,
            what: item.what,
            signature: &item.sig,
            pointer: &item.pointer,
        })
    }
}

/// One item of a [`Surface`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurfaceEntry<'a> {
    /// The Rust path a consumer writes (`client.users().get(..)`, `types::User.name`), or
    /// what names the item (`client.users().get(..) builder type`, `feature users`).
    pub path: &'a str,
    /// What it is: `call`, `builder method`, `field`, `type`, `cargo feature`, ...
    pub what: &'a str,
    /// Its signature or value.
    pub signature: &'a str,
    /// The JSON pointer it comes from.
    pub pointer: &'a str,
}

/// How a builder takes a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamArg {
    /// A secret string: `impl Into<Secret>`, stored as `Secret`.
    Secret,
    /// A string: `impl Into<String>`.
    IntoString,
    /// Its own type, as it is.
    Type,
}

/// How a builder takes a parameter.
pub fn param_arg(p: &Param) -> ParamArg {
    match &p.ty {
        TypeRef::String if p.sensitive => ParamArg::Secret,
        TypeRef::String => ParamArg::IntoString,
        _ => ParamArg::Type,
    }
}

/// What a builder stores a body as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyField {
    /// Bytes, a stream or a file: `crate::streaming::UploadBody`.
    Upload,
    /// Text: `String`.
    Text,
    /// Its own type.
    Type,
}

/// What a builder stores a body as.
pub fn body_field(b: &Body) -> BodyField {
    match b.encoding {
        BodyEncoding::Binary => BodyField::Upload,
        BodyEncoding::Text => BodyField::Text,
        _ => BodyField::Type,
    }
}

/// What `send()` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Success<'a> {
    /// Only server-sent events: `EventStream<T>`, read as they arrive.
    Events(&'a TypeRef),
    /// Only a sequence of JSON items: `JsonStream<T>`.
    Items(&'a TypeRef),
    /// Successes with different kinds of body: the operation's success enum.
    Enum(&'a str),
    /// A JSON body or none: `Option<T>`.
    OptionalJson(&'a TypeRef),
    /// One kind of body.
    Kind(&'a ResponseKind),
    /// No success documented: `()`.
    Unit,
}

/// What `send()` returns.
pub fn success(op: &Operation) -> Success<'_> {
    if let Some(e) = op.events.as_ref().filter(|_| op.events_only) {
        return Success::Events(e);
    }
    if let Some(s) = op.items.as_ref().filter(|s| s.only) {
        return Success::Items(&s.item);
    }
    if let Some(name) = &op.success_enum {
        return Success::Enum(name);
    }
    let json = op.success.iter().find_map(|(_, k)| match k {
        ResponseKind::Json(t) => Some(t),
        _ => None,
    });
    let has_empty = op.success.iter().any(|(_, k)| *k == ResponseKind::Empty);
    match (json, op.success.first().map(|(_, k)| k)) {
        (Some(t), _) if has_empty => Success::OptionalJson(t),
        (_, Some(kind)) => Success::Kind(kind),
        (_, None) => Success::Unit,
    }
}

/// Whether the operation's success body is binary, so that its builder has `send_stream()`.
pub fn streams_body(op: &Operation) -> bool {
    !op.success.is_empty() && op.success.iter().all(|(_, k)| *k == ResponseKind::Bytes)
}

/// The Rust type of a type reference as text, without spaces (`Vec<Pet>`), as the emitter
/// prints it.
pub fn type_text(api: &Api, t: &TypeRef) -> String {
    crate::spelling::one_line(api, t, ",")
}

/// A response body's Rust type as text; `None` for no body.
fn kind_text(api: &Api, kind: &ResponseKind) -> Option<String> {
    match kind {
        ResponseKind::Json(t) => Some(type_text(api, t)),
        ResponseKind::Empty => None,
        ResponseKind::Bytes => Some("Vec<u8>".into()),
        ResponseKind::Text => Some("String".into()),
    }
}

/// What `send()` returns, as text.
fn success_text(api: &Api, op: &Operation) -> String {
    match success(op) {
        Success::Events(t) => format!("crate::streaming::EventStream<{}>", type_text(api, t)),
        Success::Items(t) => format!("crate::streaming::JsonStream<{}>", type_text(api, t)),
        Success::Enum(name) => name.to_owned(),
        Success::OptionalJson(t) => format!("Option<{}>", type_text(api, t)),
        Success::Kind(kind) => kind_text(api, kind).unwrap_or_else(|| "()".into()),
        Success::Unit => "()".into(),
    }
}

/// The public surface of the crate generated from `api`.
fn items(api: &Api) -> (BTreeMap<String, Item>, Vec<String>) {
    let mut c = Collector::default();
    client_items(api, &mut c);
    webhook_items(api, &mut c);
    namespace_items(api, &mut c);
    // Calls, by the path a consumer writes.
    for op in &api.operations {
        call_items(api, op, &mut c);
    }
    let request = api.request_types();
    for (index, t) in api.types.iter().enumerate() {
        type_items(
            api,
            index,
            t,
            request.get(index).copied().unwrap_or(true),
            &mut c,
        );
    }
    for v in &api.error_variants {
        c.add(
            format!("types::ErrorBody::{}", v.rust_name),
            plain("error variant", type_text(api, &v.ty), "#/paths", None),
        );
    }
    (c.items, c.clashes)
}

/// The items of a surface as they are added, and every clash met on the way.
#[derive(Default)]
struct Collector {
    items: BTreeMap<String, Item>,
    clashes: Vec<String>,
    /// A method's key without its arguments (`..pages()` and `..pages(..)` are one name in
    /// Rust), to the key first given it.
    methods: BTreeMap<String, String>,
}

impl Collector {
    fn add(&mut self, key: String, item: Item) {
        if let Some(name) = key
            .strip_suffix("(..)")
            .or_else(|| key.strip_suffix("()"))
            .filter(|name| !name.ends_with(')'))
        {
            match self.methods.get(name) {
                Some(other) if *other != key => {
                    self.clashes
                        .push(format!("`{name}`: the methods `{other}` and `{key}`"));
                }
                Some(_) => {}
                None => {
                    self.methods.insert(name.to_owned(), key.clone());
                }
            }
        }
        match self.items.get(&key) {
            // The same item reached twice (a type several operations use) is one item.
            Some(same) if *same == item => {}
            Some(other) => self.clashes.push(format!(
                "`{key}`: {} `{}` from {} and {} `{}` from {}",
                other.what, other.sig, other.pointer, item.what, item.sig, item.pointer
            )),
            None => {
                self.items.insert(key, item);
            }
        }
    }
}

/// An item with no more to it than what it is, its signature, pointer and docs.
fn plain(what: &'static str, sig: String, pointer: &str, doc: Option<&String>) -> Item {
    Item {
        what,
        sig,
        pointer: pointer.to_owned(),
        doc: doc.cloned(),
    }
}

/// The client's constructor, default server, credential setters and token sources.
fn client_items(api: &Api, c: &mut Collector) {
    // The client: its credentials and default server.
    let credentials = api
        .constructor_scheme
        .and_then(|i| api.schemes.get(i))
        .map(|s| s.credentials.join(", "))
        .unwrap_or_default();
    c.add(
        "Client::new".into(),
        plain(
            "constructor",
            format!("({credentials})"),
            "#/security",
            None,
        ),
    );
    if let Some(first) = api
        .servers
        .iter()
        .find(|s| s.select.is_none())
        .or(api.servers.first())
    {
        c.add(
            "Client default server".into(),
            plain("default server", first.url.clone(), "#/servers/0", None),
        );
    }
    for s in &api.schemes {
        c.add(
            format!("ClientBuilder::{}", s.rust_name),
            plain(
                "credential setter",
                format!("{:?}", s.kind),
                &format!("#/components/securitySchemes/{}", s.key),
                s.description.as_ref(),
            ),
        );
    }
    // Token sources of bearer-kind schemes: builders on `Client` for the constructor's
    // scheme, setters for the others (as `emit/client.rs` prints them).
    for (i, s) in api.schemes.iter().enumerate() {
        let Some((grant, provider)) = &s.token_setters else {
            continue;
        };
        let pointer = format!("#/components/securitySchemes/{}", s.key);
        let (grant, provider) = if Some(i) == api.constructor_scheme {
            let grant = grant
                .as_ref()
                .map(|_| "Client::with_client_credentials".to_owned());
            (grant, "Client::with_token_provider".to_owned())
        } else {
            let grant = grant.as_ref().map(|g| format!("ClientBuilder::{g}"));
            (grant, format!("ClientBuilder::{provider}"))
        };
        if let Some(grant) = grant {
            c.add(
                grant,
                plain(
                    "OAuth 2 client credentials",
                    "(ClientCredentials)".into(),
                    &pointer,
                    None,
                ),
            );
        }
        c.add(
            provider,
            plain(
                "token provider",
                "(impl TokenProvider)".into(),
                &pointer,
                None,
            ),
        );
    }
}

/// Webhook events, with their payload types, and the verifier of the named scheme.
fn webhook_items(api: &Api, c: &mut Collector) {
    // Webhook events, with their payload types, and the verifier of the named scheme.
    for w in &api.webhooks {
        c.add(
            format!("webhooks::Event::{}", w.variant),
            plain(
                "webhook event",
                type_text(api, &w.payload),
                &w.pointer,
                w.description.as_ref(),
            ),
        );
    }
    if let Some(scheme) = api.webhook_signature {
        c.add(
            "webhooks::verifier".into(),
            plain(
                "webhook verifier",
                format!("{scheme:?}"),
                "#/x-clientgen-webhook-signature",
                None,
            ),
        );
    }
}

/// Namespaces and cargo features.
fn namespace_items(api: &Api, c: &mut Collector) {
    // Namespaces, by the accessor path that reaches them, with their type.
    fn namespaces(ns: &Namespace, prefix: &str, out: &mut Vec<(String, String)>) {
        for child in &ns.children {
            let path = format!("{prefix}.{}()", child.rust_name);
            out.push((path.clone(), child.type_name.clone()));
            namespaces(child, &path, out);
        }
    }
    let mut spaces = Vec::new();
    namespaces(&api.root, "client", &mut spaces);
    for (path, type_name) in spaces {
        c.add(
            path,
            plain(
                "namespace",
                format!("operations::{type_name}"),
                "#/paths",
                None,
            ),
        );
    }
    // Cargo features: enabling one that is gone fails the build.
    for f in &api.features.list {
        c.add(
            format!("feature {}", f.name),
            plain("cargo feature", String::new(), "#/tags", None),
        );
    }
}

/// A call, its builder's methods, its streams, its mock and its success enum.
fn call_items(api: &Api, op: &Operation, c: &mut Collector) {
    let call = op.call();
    c.add(
        format!("{call} builder type"),
        plain(
            "builder type",
            format!("operations::{}", op.builder_name),
            &op.pointer,
            None,
        ),
    );
    c.add(
        format!("{call} mock method"),
        plain(
            "mock method",
            format!(
                "server.{}() -> Mock<operations::{}>",
                op.mock.method, op.mock.marker
            ),
            &op.pointer,
            None,
        ),
    );
    // Keyed under the call, so that they fold into it when it comes or goes.
    for (key, sig) in mock_methods(api, op) {
        c.add(
            format!("{call} mock .{key}"),
            plain("mock method", sig, &op.pointer, None),
        );
    }
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        args.push(format!("{}: {}", p.rust_name, param_sig(api, p)));
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.is_argument()) {
        args.push(format!("body: {}", body_sig(api, b)));
    }
    for f in op.body.iter().flat_map(|b| &b.files).filter(|f| f.required) {
        args.push(format!(
            "{}: {}, {}: {}",
            f.file_name_arg, FILE_ARGS[0], f.rust_name, FILE_ARGS[1]
        ));
    }
    let doc = [op.summary.as_deref(), op.description.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    c.add(
        call.clone(),
        plain(
            "call",
            format!("({})", args.join(", ")),
            &op.pointer,
            Some(&doc),
        ),
    );
    for p in op.params.iter().filter(|p| !p.required) {
        c.add(
            format!("{call}.{}(..)", p.rust_name),
            plain(
                "builder method",
                format!("({})", param_sig(api, p)),
                &op.pointer,
                p.description.as_ref(),
            ),
        );
    }
    if let Some(b) = op.body.as_ref().filter(|b| !b.is_argument()) {
        c.add(
            format!("{call}.body(..)"),
            plain(
                "builder method",
                format!("({})", body_sig(api, b)),
                &format!("{}/requestBody", op.pointer),
                None,
            ),
        );
    }
    for f in op
        .body
        .iter()
        .flat_map(|b| &b.files)
        .filter(|f| !f.required)
    {
        c.add(
            format!("{call}.{}(..)", f.rust_name),
            plain(
                "builder method",
                format!("(file_name: {}, contents: {})", FILE_ARGS[0], FILE_ARGS[1]),
                &format!("{}/requestBody", op.pointer),
                f.description.as_ref(),
            ),
        );
    }
    let ret = success_text(api, op);
    stream_items(api, op, &call, &ret, c);
    // The method the call sends: a call that moves to another (POST to OpenAPI 3.2's
    // QUERY, say) compiles as before but is retried differently.
    c.add(
        format!("{call} http method"),
        plain(
            "http method",
            op.method.as_str().to_owned(),
            &op.pointer,
            None,
        ),
    );
    if streams_body(op) {
        c.add(
            format!("{call}.send_stream()"),
            plain("builder method", "ByteStream".into(), &op.pointer, None),
        );
    }
    c.add(
        format!("{call}.send()"),
        plain(
            "send return type",
            format!("Result<{ret}, Error>"),
            &op.pointer,
            None,
        ),
    );
    if let Some(name) = &op.success_enum {
        for (status, _) in &op.success {
            c.add(
                format!("types::{name}::{}", status.variant_name()),
                plain("variant", status.variant_name(), &op.pointer, None),
            );
        }
    }
}

/// The streams beside `send()`: pages and items of a paginated operation, events and JSON
/// items.
fn stream_items(api: &Api, op: &Operation, call: &str, ret: &str, c: &mut Collector) {
    if let Some(p) = &op.pagination {
        c.add(
            format!("{call}.pages()"),
            plain("builder method", format!("Pages<{ret}>"), &op.pointer, None),
        );
        if let Some(items) = &p.items {
            c.add(
                format!("{call}.items()"),
                plain(
                    "builder method",
                    format!("Items<{}>", type_text(api, &items.item)),
                    &op.pointer,
                    None,
                ),
            );
        }
    }
    if let Some(events) = &op.events {
        c.add(
            format!("{call}.send_events()"),
            plain(
                "builder method",
                format!("EventStream<{}>", type_text(api, events)),
                &op.pointer,
                None,
            ),
        );
    }
    if let Some(sequence) = &op.items {
        c.add(
            format!("{call}.send_items()"),
            plain(
                "builder method",
                format!("JsonStream<{}>", type_text(api, &sequence.item)),
                &op.pointer,
                None,
            ),
        );
    }
}

/// A type and its members: constructor or sample, setters, fields, variants.
fn type_items(api: &Api, index: usize, t: &TypeDef, is_request: bool, c: &mut Collector) {
    let key = format!("types::{}", t.name);
    let doc = t.description.as_ref();
    match &t.kind {
        TypeKind::Struct {
            fields,
            additional,
            additional_name,
        } => {
            c.add(key.clone(), plain("type", "struct".into(), &t.pointer, doc));
            // A request type is built with `new(required..)`: a new required property
            // changes its arguments. A type only responses carry is built (with the
            // `mock` feature, for tests) with `sample()` and a setter per property, which
            // a new property leaves as they are.
            if is_request {
                let args: Vec<String> = fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| format!("{}: {}", f.rust_name, field_sig(api, f)))
                    .collect();
                c.add(
                    format!("{key}::new"),
                    plain(
                        "constructor",
                        format!("({})", args.join(", ")),
                        &t.pointer,
                        None,
                    ),
                );
            }
            let sampled = api.sampled.get(index).copied().unwrap_or(false);
            if sampled {
                c.add(
                    format!("{key}::sample"),
                    plain("sample (mock)", "()".into(), &t.pointer, None),
                );
            }
            for f in fields
                .iter()
                .filter(|f| !f.required || (!is_request && sampled))
            {
                c.add(
                    format!("{key}.{} setter", f.rust_name),
                    plain("setter", format!(".{}(..)", f.setter), &t.pointer, None),
                );
            }
            for f in fields {
                c.add(
                    format!("{key}.{}", f.rust_name),
                    plain(
                        "field",
                        field_sig(api, f),
                        &format!(
                            "{}/properties/{}",
                            t.pointer,
                            crate::diag::escape_token(&f.wire_name)
                        ),
                        f.description.as_ref(),
                    ),
                );
            }
            if let Some(extra) = additional {
                c.add(
                    format!("{key}.{additional_name}"),
                    plain(
                        "field",
                        format!("BTreeMap<String,{}>", type_text(api, extra)),
                        &format!("{}/additionalProperties", t.pointer),
                        None,
                    ),
                );
            }
        }
        TypeKind::Enum { variants } => {
            c.add(key.clone(), plain("type", "enum".into(), &t.pointer, doc));
            for v in variants {
                c.add(
                    format!("{key}::{}", v.rust_name),
                    plain(
                        "variant",
                        format!("{:?}", v.wire),
                        &format!("{}/enum", t.pointer),
                        None,
                    ),
                );
            }
        }
        TypeKind::Union { variants, tag } => {
            let kind = match tag {
                Some(tag) => format!("union tagged by {tag:?}"),
                None => "union".into(),
            };
            c.add(key.clone(), plain("type", kind, &t.pointer, doc));
            for v in variants {
                let mut sig = type_text(api, &v.ty);
                if v.boxed {
                    sig = format!("Box<{sig}>");
                }
                if let Some(tag) = &v.tag_value {
                    sig = format!("{sig} when {tag:?}");
                }
                c.add(
                    format!("{key}::{}", v.rust_name),
                    plain("variant", sig, &t.pointer, None),
                );
            }
        }
        TypeKind::Alias(target) => {
            c.add(
                key,
                plain(
                    "type",
                    format!("= {}", type_text(api, target)),
                    &t.pointer,
                    doc,
                ),
            );
        }
    }
}

/// A field's Rust type as declared.
fn field_sig(api: &Api, f: &Field) -> String {
    let mut sig = type_text(api, &f.ty);
    if f.boxed {
        sig = format!("Box<{sig}>");
    }
    match (f.required, f.nullable) {
        (true, false) => sig,
        (true, true) | (false, false) => format!("Option<{sig}>"),
        (false, true) => format!("Option<Option<{sig}>>"),
    }
}

fn param_sig(api: &Api, p: &Param) -> String {
    let sig = match param_arg(p) {
        ParamArg::Secret => "impl Into<Secret>".to_owned(),
        ParamArg::IntoString => "impl Into<String>".to_owned(),
        ParamArg::Type => type_text(api, &p.ty),
    };
    match p.location {
        // The same type as a query parameter or as the whole query string sends other URLs.
        ParamLocation::QueryString(encoding) => format!("{sig} as the query string ({encoding:?})"),
        _ => sig,
    }
}

fn body_sig(api: &Api, b: &Body) -> String {
    body_arg_type(api, b, ",")
}

/// Whether a body is taken as `impl Into<T>` (a binary one: bytes, a stream or a file)
/// rather than as `T`, by the call and by `.body(..)`.
pub fn body_takes_into(b: &Body) -> bool {
    b.encoding == BodyEncoding::Binary
}

/// The type a call or its `.body(..)` takes the body as, as emit writes it (`sep` between
/// generic arguments).
pub fn body_arg_type(api: &Api, b: &Body, sep: &str) -> String {
    let ty = match body_field(b) {
        BodyField::Upload => "crate::streaming::UploadBody".to_owned(),
        BodyField::Text => "String".to_owned(),
        BodyField::Type => crate::spelling::one_line(api, &b.ty, sep),
    };
    if body_takes_into(b) {
        format!("impl Into<{ty}>")
    } else {
        ty
    }
}

/// The arguments of a file part, by the call for a required one and by its method for an
/// optional one: its file name, then its contents.
pub const FILE_ARGS: [&str; 2] = ["impl Into<String>", "impl Into<Vec<u8>>"];
