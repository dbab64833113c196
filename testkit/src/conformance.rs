//! The generated crate's conformance test (`tests/conformance/`): one test per operation that calls it with
//! spec-valid arguments (required ones only, then every optional one too) against the server
//! at `TEST_API_BASE_URL`, meant to be a spec-validating mock such as Prism in `--errors` mode.
//! Each call prints one tab-separated line (`conformance`, operation, mode, verdict, detail)
//! that the workspace's conformance runner collects.
//!
//! The emitter reads a [`ConformancePlan`]: plain data that clientgen builds from its IR (the
//! Rust names and types of each call, and the JSON schemas its arguments are synthesised from).

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::synth::{Fill, Synth};

/// What the conformance test of one generated crate calls, and with what.
#[derive(Debug, Clone)]
pub struct ConformancePlan<'a> {
    /// The generated package name (`stytch-b2b`).
    pub crate_name: String,
    /// An OpenAPI 3.1 description: required read-only properties below a body's top level are
    /// sent too (see [`Synth::sending_required_read_only`]).
    pub is_31: bool,
    /// The credential names of the scheme `Client::builder` takes, in order.
    pub constructor_credentials: Vec<String>,
    /// Every other security scheme: its `ClientBuilder` setter and credential names.
    pub scheme_setters: Vec<(String, Vec<String>)>,
    /// The operations, in the crate's order.
    pub operations: Vec<OperationPlan<'a>>,
    /// The targets of the `$ref`s that the parameters and bodies reach, by JSON pointer
    /// without the leading `#` (`/components/schemas/Pet`).
    pub refs: &'a BTreeMap<String, Value>,
}

/// One operation's call.
#[derive(Debug, Clone)]
pub struct OperationPlan<'a> {
    /// The operationId, which the test reports the operation by.
    pub id: String,
    /// The HTTP method (`GET`), to tell apart operations with the same id.
    pub method: String,
    /// The path template, to tell apart operations with the same id.
    pub path: String,
    /// The namespace accessors from the client to the operation (`["organizations",
    /// "members"]`).
    pub chain: Vec<String>,
    /// The method's name in its namespace.
    pub method_name: String,
    /// The `#[cfg(..)]` attribute that compiles the operation, as Rust source (may be empty).
    pub cfg: String,
    /// A 2XX response is documented: otherwise a documented error is the expected answer.
    pub has_success: bool,
    /// The parameters, in the order of the method's arguments.
    pub params: Vec<ParamPlan<'a>>,
    /// The request body.
    pub body: Option<BodyPlan<'a>>,
}

/// Where a parameter goes, as the runner's wire check reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// A query pair.
    Query,
    /// The whole query string (`in: querystring`).
    QueryString,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

impl Location {
    fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::QueryString => "querystring",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct ParamPlan<'a> {
    /// The name on the wire.
    pub wire_name: String,
    /// The setter of an optional parameter.
    pub rust_name: String,
    /// Where it goes.
    pub location: Location,
    /// A method argument; otherwise a setter.
    pub required: bool,
    /// The Rust type that receives it, as source (`Vec<String>`).
    pub rust_type: String,
    /// The Rust type is `String`: the value is given as text whatever the schema says.
    pub is_string: bool,
    /// Arrays repeat the name.
    pub explode: bool,
    /// Objects in `deepObject` style.
    pub deep_object: bool,
    /// The parameter object of the description (its `schema` or `content`, and its
    /// examples), with its own `$ref` resolved; `None` when the description declares none.
    pub declared: Option<&'a Value>,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Raw bytes.
    Binary,
    /// `text/plain`.
    Text,
}

/// The request body.
#[derive(Debug, Clone)]
pub struct BodyPlan<'a> {
    /// How it is encoded.
    pub encoding: Encoding,
    /// The Rust type the caller passes, as source.
    pub rust_type: String,
    /// A required body.
    pub required: bool,
    /// Sent as its type's default unless `.body(..)` is called.
    pub defaultable: bool,
    /// The multipart file parts.
    pub files: Vec<FilePlan>,
    /// The schema of the media type sent; `None` when the description gives none.
    pub schema: Option<&'a Value>,
}

/// One multipart file part.
#[derive(Debug, Clone)]
pub struct FilePlan {
    /// The part name on the wire.
    pub wire_name: String,
    /// The setter of an optional part.
    pub rust_name: String,
    /// An argument of the call; otherwise a setter.
    pub required: bool,
}

/// The dev-dependencies the conformance test needs, appended to the generated manifest.
/// A consumer's build never compiles them: only `cargo test` of the generated crate does.
pub const DEV_DEPENDENCIES: &str = "
[dev-dependencies]
# Only for the conformance test (tests/conformance/).
tokio = { version = \"1\", features = [\"macros\", \"rt\"] }

# The test reads its arguments from JSON, so request types need `Deserialize`.
[[test]]
name = \"conformance\"
path = \"tests/conformance/main.rs\"
required-features = [\"serde-all\"]
";

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// JSON text of a synthesised value, shaped for the Rust type that receives it: strings for
/// `String` parameters whatever the schema says (undeclared template parameters have none).
fn json_for(is_string: bool, v: Value) -> String {
    let v = match (is_string, v) {
        (true, Value::String(s)) => Value::String(s),
        (true, Value::Null) => Value::String("conformance".into()),
        (true, other) => Value::String(other.to_string()),
        (_, other) => other,
    };
    v.to_string()
}

/// Rust source from the plan as tokens; text that is not Rust is a bug of the plan's maker.
fn tokens(source: &str) -> TokenStream {
    TokenStream::from_str(source).unwrap_or_else(|e| panic!("not Rust tokens: `{source}`: {e}"))
}

/// The call of one operation in one mode (an async block yielding the outcome), and a
/// fingerprint of the request it sends.
fn emit_call(
    synth: &Synth,
    op: &OperationPlan,
    fill: Fill,
    key: &str,
) -> (TokenStream, String, String) {
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let mut setters = Vec::new();
    // The mode's fingerprint: the same text for two modes means the same request.
    let mut fingerprint = String::new();
    // What the call was given, for the runner's wire check: every argument must be on the
    // request it records, encoded as the description says.
    let mut expected_params = Vec::new();
    let mut expected_body = Value::Null;
    let mut expected_files = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        if !p.required && fill == Fill::Required {
            continue;
        }
        let value = match p.declared {
            Some(declared) => synth.param_value(declared, fill),
            None => Value::String("conformance".into()),
        };
        let json = json_for(p.is_string, value);
        fingerprint.push_str(&format!("{}={json};", p.wire_name));
        expected_params.push(serde_json::json!({
            "in": p.location.as_str(),
            "name": p.wire_name,
            "value": serde_json::from_str::<Value>(&json).unwrap_or(Value::Null),
            "explode": p.explode,
            "deep": p.deep_object,
        }));
        let var = ident(&format!("p{i}"));
        let ty = tokens(&p.rust_type);
        let json = Literal::string(&json);
        lets.push(quote! { let #var: #ty = support::arg(#json)?; });
        if p.required {
            args.push(quote! { #var });
        } else {
            let setter = ident(&p.rust_name);
            setters.push(quote! { .#setter(#var) });
        }
    }
    if let Some(b) = &op.body {
        let is_argument = b.required && !b.defaultable;
        // A required form body whose fields are all optional is sent empty by default, which
        // Prism reads as no body at all ("Body parameter is required"): the required mode
        // sends it with its optional fields, so that the call is still checked.
        let empty_form = b.required
            && b.defaultable
            && matches!(b.encoding, Encoding::Form | Encoding::Multipart)
            && b.files.iter().all(|f| !f.required);
        let body_fill = if empty_form { Fill::All } else { fill };
        if b.required || fill == Fill::All {
            let mut value = match b.schema {
                Some(schema) => synth.value(schema, body_fill, true),
                None => Value::Object(Default::default()),
            };
            // Multipart file parts are not fields of the body type: they have setters.
            if let Value::Object(map) = &mut value {
                for f in &b.files {
                    map.remove(&f.wire_name);
                }
            }
            let (encoding, given) = match b.encoding {
                Encoding::Binary => ("binary", Value::String("conformance".into())),
                Encoding::Text => (
                    "text",
                    Value::String(match value {
                        Value::String(s) => s,
                        other => other.to_string(),
                    }),
                ),
                Encoding::Json => ("json", value),
                Encoding::Form => ("form", value),
                Encoding::Multipart => ("multipart", value),
            };
            let body = match (&b.encoding, &given) {
                (Encoding::Binary, _) => {
                    fingerprint.push_str("body=bytes;");
                    quote! { let body: Vec<u8> = b"conformance".to_vec(); }
                }
                (Encoding::Text, Value::String(text)) => {
                    fingerprint.push_str(&format!("body={text};"));
                    quote! { let body: String = #text.to_owned(); }
                }
                _ => {
                    let json = given.to_string();
                    fingerprint.push_str(&format!("body={json};"));
                    let ty = tokens(&b.rust_type);
                    let json = Literal::string(&json);
                    quote! { let body: #ty = support::arg(#json)?; }
                }
            };
            lets.push(body);
            // A defaultable required body is sent as its default unless `.body(..)` is
            // called; the required mode keeps the default.
            if is_argument {
                args.push(quote! { body });
            } else if fill == Fill::All || empty_form {
                setters.push(quote! { .body(body) });
            } else {
                lets.pop();
            }
            if is_argument || fill == Fill::All || empty_form {
                expected_body = serde_json::json!({"encoding": encoding, "value": given});
            }
        }
        for f in &b.files {
            if f.required {
                fingerprint.push_str(&format!("file={};", f.wire_name));
                expected_files.push(f.wire_name.clone());
                args.push(quote! { "conformance.txt", b"conformance".to_vec() });
            } else if fill == Fill::All {
                fingerprint.push_str(&format!("file={};", f.wire_name));
                expected_files.push(f.wire_name.clone());
                let setter = ident(&f.rust_name);
                setters.push(quote! { .#setter("conformance.txt", b"conformance".to_vec()) });
            }
        }
    }
    let accessors = op.chain.iter().map(|c| {
        let c = ident(c);
        quote! { .#c() }
    });
    let method = ident(&op.method_name);
    let call = quote! {
        async {
            #(#lets)*
            Ok(client #(#accessors)* .#method(#(#args),*) #(#setters)* .header("x-conformance-call", #key).send().await.map(|_| ()))
        }
        .await
    };
    let expected = serde_json::json!({
        "key": key,
        "params": expected_params,
        "body": expected_body,
        "files": expected_files,
    });
    (call, fingerprint, expected.to_string())
}

/// The client built for the conformance test: the base URL from the environment, dummy
/// credentials for every security scheme, no retries (a mock answers at once) and no redirects.
fn emit_client_fn(plan: &ConformancePlan) -> TokenStream {
    let dummy = |c: &str| Literal::string(&format!("conformance-{}", c.replace('_', "-")));
    let args: Vec<Literal> = plan
        .constructor_credentials
        .iter()
        .map(|c| dummy(c))
        .collect();
    let setters = plan.scheme_setters.iter().map(|(setter, credentials)| {
        let name = ident(setter);
        let values = credentials.iter().map(|c| dummy(c));
        quote! { .#name(#(#values),*) }
    });
    quote! {
        /// A client for the server at `TEST_API_BASE_URL`, or `None` (the test is skipped).
        pub fn client() -> Option<Client> {
            let Ok(base_url) = std::env::var("TEST_API_BASE_URL") else {
                println!("conformance: skipped; set TEST_API_BASE_URL to a spec-validating mock of this API (Prism with --errors)");
                return None;
            };
            // Redirects are not followed: the mock's `Location` examples point at hosts
            // other than the mock (GitHub's downloads), which a test must never contact. A
            // documented redirect is then the documented answer.
            let client = Client::builder(#(#args),*)
                .base_url(base_url)
                #(#setters)*
                .max_redirects(0)
                .max_retries(0)
                .build()
                .expect("the conformance client builds");
            Some(client)
        }
    }
}

/// `tests/conformance/main.rs`: the test target's root, which only names the generated
/// module, so that `cargo fmt` (which formats test targets) leaves the generated text alone.
pub fn main_file(header: &str) -> String {
    format!(
        "{header}
//! Calls every operation of this crate with spec-valid arguments against the server at
//! `TEST_API_BASE_URL`, a spec-validating mock of the API such as `prism mock --errors`;
//! without it, every test is skipped. Run with
//! `TEST_API_BASE_URL=http://127.0.0.1:4010 cargo test --features serde-all --test conformance`.

#[rustfmt::skip]
mod operations;
"
    )
}

/// `tests/conformance/operations.rs`: the tests, one per operation.
pub fn emit_conformance(plan: &ConformancePlan) -> TokenStream {
    let synth = Synth::over_targets(plan.refs).sending_required_read_only(plan.is_31);
    let lib = ident(&plan.crate_name.replace('-', "_"));
    let client_fn = emit_client_fn(plan);
    let mut names = BTreeSet::new();
    let mut tests = Vec::new();
    // Operations are reported by id; a duplicated id (a spec error the generator tolerates)
    // gets its method and path too, so that each operation has a line of its own.
    let mut seen_ids = BTreeSet::new();
    let duplicated: BTreeSet<&str> = plan
        .operations
        .iter()
        .filter(|op| !seen_ids.insert(op.id.as_str()))
        .map(|op| op.id.as_str())
        .collect();
    for (index, op) in plan.operations.iter().enumerate() {
        let cfg = tokens(&op.cfg);
        let chain = &op.chain;
        // Joined with single underscores (a double one is not snake case); the rare
        // collision this allows gets a number.
        let mut base = chain.join("_");
        if !base.is_empty() {
            base.push('_');
        }
        base.push_str(op.method_name.trim_start_matches('_'));
        while base.contains("__") {
            base = base.replace("__", "_");
        }
        if base.starts_with(|c: char| c.is_ascii_digit()) || base.is_empty() {
            base.insert_str(0, "op_");
        }
        let mut name = base.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        let name = ident(&name);
        let id = if duplicated.contains(op.id.as_str()) {
            Literal::string(&format!("{} ({} {})", op.id, op.method, op.path))
        } else {
            Literal::string(&op.id)
        };
        let has_success = op.has_success;
        // Each call's request carries a key of its own, which the runner's recording proxy
        // finds it by.
        let (required, required_print, required_expected) =
            emit_call(&synth, op, Fill::Required, &format!("{index}-required"));
        let (all, all_print, all_expected) =
            emit_call(&synth, op, Fill::All, &format!("{index}-all"));
        let all = if all_print == required_print {
            quote! {}
        } else {
            quote! { support::check(#id, "all", #has_success, #all_expected, #all), }
        };
        tests.push(quote! {
            #cfg
            #[tokio::test]
            async fn #name() {
                let Some(client) = support::client() else { return };
                support::assert_ok(&[
                    support::check(#id, "required", #has_success, #required_expected, #required),
                    #all
                ]);
            }
        });
    }
    quote! {
        //! Calls every operation with spec-valid arguments (required ones only, then every
        //! optional one too) against the server at `TEST_API_BASE_URL`; without it every test
        //! is skipped. Meant for a mock that validates requests against the API description and
        //! answers with its examples, such as `prism mock --errors`. Each call prints what it
        //! was given (`conformance-expect<TAB>operation<TAB>mode<TAB>json`, its request marked
        //! with the header `x-conformance-call` of the same key) and its verdict
        //! (`conformance<TAB>operation<TAB>mode<TAB>verdict<TAB>detail`), and fails unless the
        //! verdict is `ok`.
        #![allow(deprecated, unused_imports, clippy::all)]

        use #lib::types::*;
        use #lib::{Client, Error};

        // `arg` goes unused in an API whose operations take no arguments, and all of it in a
        // build whose features leave out every operation.
        #[allow(dead_code)]
        mod support {
            use super::*;

            #client_fn

            /// An argument from its JSON text; failing means the Rust type cannot hold a value
            /// that the API description allows, or holds it only in part (it would send
            /// something else). `from_slice`, as the crate decodes responses with, so that a
            /// debug build reuses the crate's instances of the decoders.
            pub fn arg<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<T, String> {
                let value: T = serde_json::from_slice(json.as_bytes()).map_err(|e| format!("{e}: {json}"))?;
                let sent = serde_json::to_value(&value).map_err(|e| e.to_string())?;
                let given: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
                if same(&given, &sent) {
                    Ok(value)
                } else {
                    Err(format!("the type would send {sent} for {given}"))
                }
            }

            /// JSON equality up to what serialisation may change: number forms (1 and 1.0),
            /// absent against null members, and `Z` against `+00:00`.
            fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
                use serde_json::Value;
                match (a, b) {
                    (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                    (Value::Array(x), Value::Array(y)) => {
                        x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
                    }
                    (Value::Object(x), Value::Object(y)) => {
                        let null = Value::Null;
                        x.keys().chain(y.keys()).all(|k| same(x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null)))
                    }
                    // A string parameter may stand for any scalar the schema allows.
                    (Value::String(x), y) if !y.is_string() => y.to_string() == *x,
                    // A date-time is sent with its offset as `+00:00` where it was given as `Z`.
                    (Value::String(x), Value::String(y)) => x == y || x.strip_suffix('Z').is_some_and(|x| y.strip_suffix("+00:00") == Some(x)),
                    _ => a == b,
                }
            }

            /// Prints the verdict of one call; returns it unless it is `ok`. A body that did
            /// not decode follows on a line of its own (`conformance-body`), so that a runner
            /// can check it against the description: the mock may answer with an example that
            /// breaks its own schema.
            pub fn check(operation: &str, mode: &str, has_success: bool, expected: &str, outcome: Result<Result<(), Error>, String>) -> Option<String> {
                // What the call was given, as JSON: the runner checks that it is on the wire.
                println!("conformance-expect\t{operation}\t{mode}\t{expected}");
                let body = match &outcome {
                    // As a JSON string: one line, and the runner gets the body back as it
                    // was, line breaks (and the positions of decode errors) included.
                    Ok(Err(Error::Decode(d))) => serde_json::to_string(&String::from_utf8_lossy(d.body())).ok(),
                    _ => None,
                };
                let (verdict, detail) = verdict(has_success, outcome);
                let detail = detail.replace(['\t', '\n', '\r'], " ");
                println!("conformance\t{operation}\t{mode}\t{verdict}\t{detail}");
                if let Some(body) = body {
                    println!("conformance-body\t{operation}\t{mode}\t{body}");
                }
                (verdict != "ok").then(|| format!("{operation} ({mode}): {verdict}: {detail}"))
            }

            /// Fails the test when a call of it did not succeed, after every mode has run.
            pub fn assert_ok(outcomes: &[Option<String>]) {
                let failures: Vec<&String> = outcomes.iter().flatten().collect();
                assert!(failures.is_empty(), "{failures:#?}");
            }

            /// `ok`; `rejected` (the server found the request invalid); `decode` (the response
            /// could not be decoded); `unrepresentable` (a spec-valid argument does not fit its
            /// Rust type); `refused` (the client would not send it); `spec` (the server's
            /// answer breaks the description itself); `mock` (the mock cannot answer in the
            /// response's media type: Prism serialises no objects as `application/x-ndjson`);
            /// `status` and `transport` otherwise.
            fn verdict(has_success: bool, outcome: Result<Result<(), Error>, String>) -> (&'static str, String) {
                let error = match outcome {
                    Err(e) => return ("unrepresentable", e),
                    Ok(Ok(())) => return ("ok", String::new()),
                    Ok(Err(e)) => e,
                };
                let api = match &error {
                    Error::Api(api) => api,
                    Error::Decode(_) => return ("decode", error.to_string()),
                    Error::InvalidRequest(_) => return ("refused", error.to_string()),
                    _ => return ("transport", error.to_string()),
                };
                // Prism names the violations in `sl-violations`, each with a location that
                // starts with `request` or `response`; its own errors are problem+json bodies.
                let violations = api
                    .headers()
                    .get("sl-violations")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let snippet = api.snippet();
                let detail = format!("status {}: {violations} {snippet}", api.status());
                if snippet.contains("Cannot find serializer") {
                    ("mock", detail)
                } else if violations.contains("[\"request\"") {
                    ("rejected", detail)
                } else if violations.contains("[\"response\"")
                    // `NO_RESPONSE_RESPONSE_DEFINED`: the operation documents no response.
                    || snippet.contains("prism/errors#NO_RESPONSE_RESPONSE_DEFINED")
                    || snippet.contains("prism/errors#NO_COMPLEX_OBJECT_TEXT")
                {
                    ("spec", detail)
                } else if snippet.contains("stoplight.io/prism/errors#") {
                    ("rejected", detail)
                } else if !has_success {
                    // The operation documents no success: its documented error is the answer.
                    ("ok", String::new())
                } else {
                    ("status", detail)
                }
            }
        }

        #(#tests)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The emitter needs nothing but its plan: arguments come from the plan's schemas, with
    /// their references resolved among the plan's targets.
    #[test]
    fn a_plan_is_enough_to_emit_the_calls() {
        let refs: BTreeMap<String, Value> = [(
            "/components/schemas/Id".to_owned(),
            json!({"type": "string", "format": "uuid"}),
        )]
        .into();
        let param = json!({"name": "id", "in": "path", "required": true,
            "schema": {"$ref": "#/components/schemas/Id"}});
        let body = json!({"type": "object", "required": ["n"],
            "properties": {"n": {"type": "integer", "minimum": 3}, "note": {"type": "string"}}});
        let plan = ConformancePlan {
            crate_name: "pets-api".into(),
            is_31: false,
            constructor_credentials: vec!["api_key".into()],
            scheme_setters: Vec::new(),
            operations: vec![OperationPlan {
                id: "updatePet".into(),
                method: "PUT".into(),
                path: "/pets/{id}".into(),
                chain: vec!["pets".into()],
                method_name: "update".into(),
                cfg: "#[cfg(feature = \"pets\")]".into(),
                has_success: true,
                params: vec![ParamPlan {
                    wire_name: "id".into(),
                    rust_name: "id".into(),
                    location: Location::Path,
                    required: true,
                    rust_type: "String".into(),
                    is_string: true,
                    explode: false,
                    deep_object: false,
                    declared: Some(&param),
                }],
                body: Some(BodyPlan {
                    encoding: Encoding::Json,
                    rust_type: "types::UpdatePet".into(),
                    required: true,
                    defaultable: false,
                    files: Vec::new(),
                    schema: Some(&body),
                }),
            }],
            refs: &refs,
        };
        let text = emit_conformance(&plan).to_string();
        assert!(text.contains("use pets_api :: types :: *"), "{text}");
        assert!(text.contains("\"conformance-api-key\""), "{text}");
        assert!(
            text.contains(r#"support :: arg ("\"123e4567-e89b-42d3-a456-426614174000\"")"#),
            "{text}"
        );
        assert!(text.contains(r#"support :: arg ("{\"n\":3}")"#), "{text}");
        assert!(
            text.contains(r#"support :: arg ("{\"n\":3,\"note\":\"conformance\"}")"#),
            "{text}"
        );
        assert!(
            text.contains("# [cfg (feature = \"pets\")] # [tokio :: test] async fn pets_update"),
            "{text}"
        );
    }
}
