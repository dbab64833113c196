//! The intermediate representation: plain data between lowering and emitting. It holds
//! nothing from openapiv3 or quote, so another front end or back end changes one stage only.

mod streams;
pub use streams::*;

/// A whole API, ready to emit.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The licence `info.license` names, as an SPDX expression (see [`License`]).
    pub license: License,
    /// Servers in spec order, with variables replaced by their defaults.
    pub servers: Vec<Server>,
    /// Security schemes the client can hold credentials for.
    pub schemes: Vec<SecurityScheme>,
    /// The scheme whose credentials are the arguments of `Client::new` and `Client::builder`:
    /// the scheme of the first global security alternative, when that alternative is one
    /// scheme.
    pub constructor_scheme: Option<usize>,
    /// Named types, in a deterministic order.
    pub types: Vec<TypeDef>,
    /// Operations, in spec order.
    pub operations: Vec<Operation>,
    /// The root of the resource namespace tree (the client itself).
    pub root: Namespace,
    /// Types that error responses carry: the variants of the generated `ErrorBody`.
    pub error_variants: Vec<ErrorVariant>,
    /// Distinct mappings from status to error variant; operations point into this list.
    pub error_decoders: Vec<Vec<(StatusMatch, Option<usize>)>>,
    /// Which cargo feature compiles what, and which serde impls each type needs.
    pub features: Features,
    /// The webhooks the API sends (`webhooks`, or `x-webhooks` in 3.0), sorted by name.
    pub webhooks: Vec<Webhook>,
    /// How the API signs its webhooks, as the description's `x-clientgen-webhook-signature`
    /// names it (the description itself cannot say).
    pub webhook_signature: Option<WebhookSignature>,
    /// Per type, by index into `types`: whether a finite value of it can be built for a test
    /// (`Type::sample()`). False only for a type that requires itself through required
    /// properties and union alternatives alone, which no finite JSON value satisfies.
    pub sampled: Vec<bool>,
    /// The JSON schemas a conformance test synthesises its arguments from: filled only when
    /// one is asked for ([`crate::lower::lower_with`]), so that the rendered crate needs no
    /// raw document.
    pub conformance: Option<ConformanceSchemas>,
}

impl Api {
    /// The crate-private function that decodes the error responses of decoder `index` (one
    /// per distinct mapping of statuses to `ErrorBody` variants).
    pub fn error_decoder_name(index: usize) -> String {
        format!("decode_error_{index}")
    }
}

/// The description's own JSON of each parameter and body, for the conformance test (see
/// `clientgen_testkit::conformance`).
#[derive(Debug, Clone, Default)]
pub struct ConformanceSchemas {
    /// OpenAPI 3.1: required read-only properties are sent below a body's top level (Prism
    /// enforces them there).
    pub is_31: bool,
    /// By operation index, as `Api::operations`.
    pub operations: Vec<OperationSchemas>,
    /// The targets of every `$ref` those values reach, directly or through other targets, by
    /// JSON pointer without the leading `#` (`/components/schemas/Pet`).
    pub refs: std::collections::BTreeMap<String, serde_json::Value>,
}

/// One operation's part of [`ConformanceSchemas`].
#[derive(Debug, Clone, Default)]
pub struct OperationSchemas {
    /// By parameter index, as `Operation::params`: the parameter object (its `$ref` resolved),
    /// the operation's own or its path item's; `None` when the description declares none (an
    /// undeclared path template parameter).
    pub params: Vec<Option<serde_json::Value>>,
    /// The schema of the body's media type, when it has one.
    pub body: Option<serde_json::Value>,
}

/// What `info.license` says, for the generated manifest's `license`.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum License {
    /// No `info.license`.
    #[default]
    None,
    /// An SPDX expression: OpenAPI 3.1's `identifier`, or a `name` that is one of the common
    /// SPDX identifiers (`MIT`, `Apache-2.0`, or `Apache 2.0` written with a space).
    Spdx(String),
    /// A `name` that is not an SPDX identifier clientgen knows (`Proprietary`, a URL's title).
    Named(String),
}

/// The generated crate's API features: one per top-level namespace (or per tag, for operations
/// on the client itself), each compiling its operations and the types they reach. Computed
/// last, from the finished API; empty for an API lowered without it (unit tests), which emits
/// no feature gates.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// The features, sorted by name.
    pub list: Vec<ApiFeature>,
    /// Per operation: its feature, by index into `list`.
    pub operation: Vec<usize>,
    /// Per type: the features that compile it, sorted; never empty.
    pub types: Vec<Vec<usize>>,
    /// Per type: some request sends it (it needs `Serialize`).
    pub sent: Vec<bool>,
    /// Per type: some response carries it (it needs `Deserialize`).
    pub received: Vec<bool>,
    /// Per `ErrorBody` variant: the features whose operations can return it.
    pub error_variants: Vec<Vec<usize>>,
    /// Per error decoder: the features whose operations use it.
    pub error_decoders: Vec<Vec<usize>>,
}

/// One API feature of the generated crate.
#[derive(Debug, Clone)]
pub struct ApiFeature {
    /// The cargo feature's name.
    pub name: String,
    /// What it compiles.
    pub kind: FeatureKind,
    /// How many operations it compiles.
    pub operations: usize,
}

/// What an API feature compiles.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureKind {
    /// A top-level namespace (`client.repos()`), by accessor name; operations of the client
    /// itself whose first tag has the same name join it.
    Namespace(String),
    /// Operations of the client itself whose first tag is this.
    Tag(String),
    /// Operations of the client itself without tags.
    Untagged,
    /// Schemas no operation uses (webhook payloads, for example).
    ExtraTypes,
    /// The payload types of the webhooks, and the `webhooks` module (off by default: not in
    /// `full`).
    Webhooks,
}

/// A webhook: a request the API sends to its users.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Its key in `webhooks`.
    pub name: String,
    /// PascalCase variant of the generated `Event` enum, unique among the webhooks.
    pub variant: String,
    /// The JSON payload's type (`TypeRef::Json` when the body has no JSON schema).
    pub payload: TypeRef,
    /// The header that names the event, lowercase, and this webhook's value of it.
    pub header: Option<(String, String)>,
    /// Top-level payload properties with a single allowed string value (`enum` of one, or
    /// `const`), sorted by name: how the payload tells this webhook apart.
    pub consts: Vec<(String, String)>,
    /// Summary or description.
    pub description: Option<String>,
    /// JSON pointer of the webhook.
    pub pointer: String,
}

/// A webhook signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookSignature {
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    StandardWebhooks,
    /// GitHub's `X-Hub-Signature-256`.
    GitHub,
    /// Stripe's `Stripe-Signature`.
    Stripe,
}

/// One server.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL with variables replaced by their defaults.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
    /// `x-clientgen-select`: use this server when the credential starts with the prefix.
    pub select: Option<ServerSelect>,
}

/// `x-clientgen-select` on a server.
#[derive(Debug, Clone)]
pub struct ServerSelect {
    /// Name of a constructor credential argument.
    pub credential: String,
    /// The prefix that selects this server.
    pub prefix: String,
}

/// A security scheme.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// The key in `components.securitySchemes`.
    pub key: String,
    /// snake_case name for builder setters.
    pub rust_name: String,
    /// How credentials are sent.
    pub kind: SchemeKind,
    /// Names of the credential arguments (two for basic, one otherwise).
    pub credentials: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// The OAuth 2 client credentials flow, when the scheme declares one.
    pub client_credentials: Option<ClientCredentialsFlow>,
    /// The `ClientBuilder` setter names of the scheme's token sources (a bearer-kind scheme
    /// only): `(client credentials, token provider)`; the first only with the flow.
    pub token_setters: Option<(Option<String>, String)>,
}

/// An OAuth 2 client credentials flow (`flows.clientCredentials`).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientCredentialsFlow {
    /// `tokenUrl`, perhaps relative to the server URL.
    pub token_url: String,
    /// The scopes the operations (and the document) ask for with this scheme, sorted.
    pub scopes: Vec<String>,
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// HTTP basic.
    Basic,
    /// HTTP bearer; also oauth2 and openIdConnect, whose tokens are sent the same way.
    Bearer,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ParamLocation,
        /// The header, query or cookie name.
        name: String,
    },
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// PascalCase Rust name, unique in the crate.
    pub name: String,
    /// Doc text.
    pub description: Option<String>,
    /// What kind of type.
    pub kind: TypeKind,
    /// JSON pointer of the schema it came from.
    pub pointer: String,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Properties in spec order.
        fields: Vec<Field>,
        /// Type of extra properties (`additionalProperties`), flattened into a map.
        additional: Option<TypeRef>,
        /// The map's field name: `additional_properties`, unless a property has it.
        additional_name: String,
    },
    /// A string enum; unknown values decode into a fallback variant.
    Enum {
        /// Known values.
        variants: Vec<EnumVariant>,
    },
    /// `oneOf`/`anyOf`.
    Union {
        /// Alternatives.
        variants: Vec<UnionVariant>,
        /// The discriminator property, for a tagged union.
        tag: Option<String>,
    },
    /// Another name for a type.
    Alias(TypeRef),
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The property name on the wire.
    pub wire_name: String,
    /// The Rust field name.
    pub rust_name: String,
    /// The value type (without the Option that optional or nullable adds).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Breaks a cycle of types, so it is boxed.
    pub boxed: bool,
    /// Doc text.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `readOnly: true`: sent by the server only.
    pub read_only: bool,
    /// `writeOnly: true`: sent by the client only.
    pub write_only: bool,
    /// The field's setter (`Type::new(..).setter(value)`, `Type::sample().setter(value)`):
    /// its Rust name, kept clear of `new` and `sample`. Request types print it for optional
    /// fields only; their required ones are `new`'s arguments.
    pub setter: String,
    /// The property's `example` when it is a string, number or boolean: the value
    /// `Type::sample()` gives the field.
    pub example: Option<serde_json::Value>,
}

/// A string enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// PascalCase variant name.
    pub rust_name: String,
    /// The value on the wire.
    pub wire: String,
}

/// A union alternative.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// PascalCase variant name.
    pub rust_name: String,
    /// The alternative's type.
    pub ty: TypeRef,
    /// For a tagged union: the tag value.
    pub tag_value: Option<String>,
    /// Breaks a cycle of types, so it is boxed.
    pub boxed: bool,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// A named type, by index into `Api::types`.
    Named(usize),
    /// `string` (also byte, binary in JSON and the string formats not typed below).
    String,
    /// `boolean`.
    Bool,
    /// `integer` int32.
    I32,
    /// `integer` int64 or no format.
    I64,
    /// `integer` whose bounds, format (`uint64`) or examples go past `i64::MAX`.
    U64,
    /// `number` float.
    F32,
    /// `number` double or no format.
    F64,
    /// `string` with format `date-time`: `chrono::DateTime<chrono::FixedOffset>` (RFC 3339,
    /// the offset kept as sent).
    DateTime,
    /// `string` with format `date`: `chrono::NaiveDate`.
    Date,
    /// `string` with format `uuid`: `uuid::Uuid`.
    Uuid,
    /// Any JSON value (untyped schemas and unsupported constructs).
    Json,
    /// `array`.
    Array(Box<TypeRef>),
    /// `object` with only `additionalProperties`.
    Map(Box<TypeRef>),
    /// An array item or map value that may be `null`: `Option<T>`. (A nullable field is
    /// `Field::nullable`; this is for the values inside containers.)
    Nullable(Box<TypeRef>),
}

/// HTTP methods: the fixed fields of a path item, and any other method OpenAPI 3.2's
/// `additionalOperations` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
    /// QUERY (OpenAPI 3.2's `query` field): safe and idempotent, with a body.
    Query,
    /// Another method (`additionalOperations` in OpenAPI 3.2), sent exactly as written.
    Other(String),
}

impl Method {
    /// The method as written in HTTP.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
            Method::Other(name) => name,
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// The whole query string (OpenAPI 3.2's `in: querystring`), serialised as its `content`
    /// media type says.
    QueryString(QueryStringEncoding),
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// How an `in: querystring` parameter becomes the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStringEncoding {
    /// `application/x-www-form-urlencoded`: the members of an object as `name=value` pairs.
    Form,
    /// A JSON media type: the value's JSON text, percent-encoded.
    Json,
    /// Any other media type: the value as text, percent-encoded.
    Text,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operationId, or a name made from method and path.
    pub id: String,
    /// snake_case method name in its namespace.
    pub method_name: String,
    /// The accessors that reach its namespace from the client (`["organizations",
    /// "members"]`), set once the namespaces are built: see [`Operation::call`].
    pub accessors: Vec<String>,
    /// PascalCase name of its request builder.
    pub builder_name: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template.
    pub path: String,
    /// The template split into literal text and parameter indexes.
    pub path_parts: Vec<PathPart>,
    /// Query pairs written into the path key itself (`/responses?beta=true`): always sent,
    /// before the query parameters.
    pub fixed_query: Vec<(String, String)>,
    /// Parameters, required ones first in path order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// What success returns.
    pub success: Vec<(StatusMatch, ResponseKind)>,
    /// Error responses (codes, ranges, `default` when a success is documented).
    pub errors: Vec<(StatusMatch, ResponseKind)>,
    /// When successes carry different kinds of body: the name of the enum `send()` returns.
    pub success_enum: Option<String>,
    /// Its names in the typed mock server (the `mock` feature).
    pub mock: MockNames,
    /// Index into `Api::error_decoders`.
    pub error_decoder: usize,
    /// Alternatives of scheme sets (indexes into `Api::schemes`); empty: no authentication.
    pub security: Vec<Vec<usize>>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Doc text.
    pub summary: Option<String>,
    /// Doc text.
    pub description: Option<String>,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// The `Accept` header to send: the media types the responses are read as.
    pub accept: Option<String>,
    /// The media type each documented response is read as (the one the client prefers when
    /// several are documented), by status: what a mock answers with.
    pub response_media: Vec<(StatusMatch, String)>,
    /// The first tag: names the cargo feature of an operation of the client itself.
    pub tag: Option<String>,
    /// The first tag's place in the tree of OpenAPI 3.2 nested tags (`parent`), from the root
    /// tag down to it; empty when the document does not nest tags. The namespace of an
    /// operation whose id names none.
    pub tag_path: Vec<String>,
    /// How the operation's results come in pages, when they do.
    pub pagination: Option<Pagination>,
    /// The event type, when a success response is offered as `text/event-stream`.
    pub events: Option<TypeRef>,
    /// Every success answers only with events: `send()` returns them as they arrive.
    pub events_only: bool,
    /// What each event is: its `data` (OpenAPI 3.0 and 3.1 `schema`), or the whole event
    /// as an OpenAPI 3.2 `itemSchema` describes it.
    pub event_shape: EventShape,
    /// A success response offered as a sequence of JSON items (JSON Lines, NDJSON, JSON text
    /// sequences): `send_items()`.
    pub items: Option<JsonSequence>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    /// Text as written.
    Literal(String),
    /// A parameter, by index into `Operation::params`.
    Param(usize),
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The name on the wire.
    pub wire_name: String,
    /// The Rust name (argument or setter).
    pub rust_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Required parameters are method arguments; others are setters.
    pub required: bool,
    /// The value type.
    pub ty: TypeRef,
    /// A secret: kept as `Secret` and redacted from Debug.
    pub sensitive: bool,
    /// Arrays: repeat the name (`form`, explode) or join with commas.
    pub explode: bool,
    /// Objects: `deepObject` style.
    pub deep_object: bool,
    /// Arrays not exploded: what joins the values (`,`; ` ` for `spaceDelimited`, `|` for
    /// `pipeDelimited`).
    pub delimiter: char,
    /// Doc text.
    pub description: Option<String>,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The media type sent.
    pub content_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The Rust type the caller passes.
    pub ty: TypeRef,
    /// A required body is an argument unless it can be defaulted.
    pub required: bool,
    /// The type has a `Default` (an object with no required properties): the body is then
    /// optional to the caller and sent as its default.
    pub defaultable: bool,
    /// Multipart file parts (binary properties), set with builder methods of their own.
    pub files: Vec<FilePart>,
    /// Form bodies: the array properties whose `encoding` does not explode them, each sent as
    /// one pair, its values joined by the delimiter of its style (`,`, ` ` or `|`).
    pub joined: Vec<(String, char)>,
}

/// One file part of a multipart body.
#[derive(Debug, Clone)]
pub struct FilePart {
    /// The part name on the wire.
    pub wire_name: String,
    /// The builder method's name (for a required part, the argument's).
    pub rust_name: String,
    /// For a required part, the argument with its file name (`{rust_name}_file_name`).
    pub file_name_arg: String,
    /// In the body schema's `required`: the part is an argument of the call (its file name
    /// and contents), not a builder method.
    pub required: bool,
    /// Doc text.
    pub description: Option<String>,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (`application/json` and `+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data` (fields as text parts).
    Multipart,
    /// Raw bytes (octet-stream and any other media type).
    Binary,
    /// `text/plain`.
    Text,
}

/// An operation's names in the generated `mock` module.
#[derive(Debug, Clone, Default)]
pub struct MockNames {
    /// The `MockServer` method (`organizations_get`).
    pub method: String,
    /// The marker type in `mock::operations` (`OrganizationsGet`).
    pub marker: String,
    /// The matcher of each parameter, by index into `params` (none for a cookie or a whole
    /// query string, which are not matched).
    pub matchers: Vec<Option<String>>,
    /// The answer method of each documented status, successes then errors, in the order of
    /// `success` and `errors` (`respond_200`, `respond_4xx`): each answers the status with a
    /// sample of its documented body.
    pub responders: Vec<String>,
    /// Beside each responder, the one that takes the body (`respond_200_with`), for a status
    /// documented with one.
    pub responders_with: Vec<Option<String>>,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusMatch {
    /// One status.
    Code(u16),
    /// `1XX` .. `5XX`: the first digit.
    Range(u16),
    /// `default`.
    Default,
}

impl StatusMatch {
    /// The variant of a success enum for this status (`Status201`, `Status2xx`, `Default`).
    pub fn variant_name(self) -> String {
        match self {
            StatusMatch::Code(c) => format!("Status{c}"),
            StatusMatch::Range(r) => format!("Status{r}xx"),
            StatusMatch::Default => "Default".into(),
        }
    }

    /// Sort key for OpenAPI's precedence: exact codes before ranges before `default`.
    pub fn precedence(self) -> (u8, u16) {
        match self {
            StatusMatch::Code(c) => (0, c),
            StatusMatch::Range(r) => (1, r),
            StatusMatch::Default => (2, 0),
        }
    }
}

/// What a response body becomes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResponseKind {
    /// A JSON body of this type.
    Json(TypeRef),
    /// No body.
    Empty,
    /// Raw bytes.
    Bytes,
    /// Text.
    Text,
}

/// One variant of the generated `ErrorBody`.
#[derive(Debug, Clone)]
pub struct ErrorVariant {
    /// Variant name.
    pub rust_name: String,
    /// The body type.
    pub ty: TypeRef,
    /// A string field holding the request id: (field name, required).
    pub request_id_field: Option<(String, bool)>,
    /// A string field holding a human-readable message: (field name, required).
    pub message_field: Option<(String, bool)>,
}

/// A resource namespace: `client.organizations().members()`.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    /// snake_case accessor name (empty for the root).
    pub rust_name: String,
    /// PascalCase struct name (empty for the root).
    pub type_name: String,
    /// Nested namespaces.
    pub children: Vec<Namespace>,
    /// Operations, by index into `Api::operations`.
    pub operations: Vec<usize>,
}

impl Body {
    /// Whether the body is an argument of the call (`client.pets().create(body)`) rather than
    /// a builder method (`.body(..)`): required, and with no value to default to.
    pub fn is_argument(&self) -> bool {
        self.required && !self.defaultable
    }
}

impl Operation {
    /// The call a consumer writes: `client.organizations().members().get_connected_apps(..)`.
    pub fn call(&self) -> String {
        let mut call = String::from("client");
        for a in &self.accessors {
            call.push('.');
            call.push_str(a);
            call.push_str("()");
        }
        call.push('.');
        call.push_str(&self.method_name);
        call.push_str("(..)");
        call
    }
}

impl Api {
    /// Types that requests carry: callers build these for every call, so their constructors are
    /// always compiled; the others' only for tests (the `mock` feature).
    pub fn request_types(&self) -> Vec<bool> {
        let api = self;
        let mut used = vec![false; api.types.len()];
        let mut stack: Vec<TypeRef> = Vec::new();
        for op in &api.operations {
            stack.extend(op.params.iter().map(|p| p.ty.clone()));
            if let Some(b) = &op.body {
                stack.push(b.ty.clone());
            }
        }
        while let Some(t) = stack.pop() {
            match t {
                TypeRef::Named(i) if !used[i] => {
                    used[i] = true;
                    match &api.types[i].kind {
                        TypeKind::Struct {
                            fields, additional, ..
                        } => {
                            stack.extend(fields.iter().map(|f| f.ty.clone()));
                            stack.extend(additional.iter().cloned());
                        }
                        TypeKind::Union { variants, .. } => {
                            stack.extend(variants.iter().map(|v| v.ty.clone()))
                        }
                        TypeKind::Alias(t) => stack.push(t.clone()),
                        TypeKind::Enum { .. } => {}
                    }
                }
                TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                    stack.push(*inner)
                }
                _ => {}
            }
        }
        used
    }
}
