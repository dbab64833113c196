//! The generated crate's conformance test (`tests/conformance/`): one test per operation that calls it with
//! spec-valid arguments (required ones only, then every optional one too) against the server
//! at `TEST_API_BASE_URL`, meant to be a spec-validating mock such as Prism in `--errors` mode.
//! Each call prints one tab-separated line (`conformance`, operation, mode, verdict, detail)
//! that the workspace's conformance runner collects.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::type_tokens;
use crate::model::*;
use crate::synth::{Fill, Synth};

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

/// The accessor chain of every operation: `["organizations", "members"]`, by operation index.
fn chains(api: &Api) -> Vec<Vec<String>> {
    fn walk(ns: &Namespace, chain: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        for &i in &ns.operations {
            out[i] = chain.clone();
        }
        for child in &ns.children {
            chain.push(child.rust_name.clone());
            walk(child, chain, out);
            chain.pop();
        }
    }
    let mut out = vec![Vec::new(); api.operations.len()];
    walk(&api.root, &mut Vec::new(), &mut out);
    out
}

/// The raw parameter object for an IR parameter: the operation's own, else the path item's.
fn raw_param<'a>(synth: &Synth<'a>, op: &Operation, p: &Param) -> Option<&'a Value> {
    let location = match p.location {
        ParamLocation::Path => "path",
        // `in: querystring` reads as `in: query` once parsed.
        ParamLocation::Query | ParamLocation::QueryString(_) => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let path_item = op.pointer.rsplit_once('/').map_or("", |(a, _)| a);
    let path_item = path_item
        .strip_suffix("/additionalOperations")
        .unwrap_or(path_item);
    [op.pointer.as_str(), path_item]
        .into_iter()
        .filter_map(|ptr| synth.at(ptr)?.get("parameters")?.as_array())
        .flatten()
        .map(|q| synth.resolve(q))
        .find(|q| {
            q.get("name").and_then(Value::as_str) == Some(p.wire_name.as_str())
                && q.get("in").and_then(Value::as_str) == Some(location)
        })
}

/// The raw schema of the operation's request body, for its media type.
fn raw_body_schema<'a>(synth: &Synth<'a>, op: &Operation, b: &Body) -> Option<&'a Value> {
    let body = synth.resolve(synth.at(&op.pointer)?.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    let media = content
        .get(&b.content_type)
        .or_else(|| content.values().next())?;
    media.get("schema")
}

/// JSON text of a synthesised value, shaped for the Rust type that receives it: strings for
/// `String` parameters whatever the schema says (undeclared template parameters have none).
fn json_for(ty: &TypeRef, v: Value) -> String {
    let v = match (ty, v) {
        (TypeRef::String, Value::String(s)) => Value::String(s),
        (TypeRef::String, Value::Null) => Value::String("conformance".into()),
        (TypeRef::String, other) => Value::String(other.to_string()),
        (_, other) => other,
    };
    v.to_string()
}

/// The call of one operation in one mode (an async block yielding the outcome), and a
/// fingerprint of the request it sends.
fn emit_call(
    api: &Api,
    synth: &Synth,
    op: &Operation,
    chain: &[String],
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
        let value = match raw_param(synth, op, p) {
            Some(raw) => synth.param_value(raw, fill),
            None => Value::String("conformance".into()),
        };
        let json = json_for(&p.ty, value);
        fingerprint.push_str(&format!("{}={json};", p.wire_name));
        let location = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::QueryString(_) => "querystring",
        };
        expected_params.push(serde_json::json!({
            "in": location,
            "name": p.wire_name,
            "value": serde_json::from_str::<Value>(&json).unwrap_or(Value::Null),
            "explode": p.explode,
            "deep": p.deep_object,
        }));
        let var = ident(&format!("p{i}"));
        let ty = type_tokens(api, &p.ty);
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
            && matches!(b.encoding, BodyEncoding::Form | BodyEncoding::Multipart)
            && b.files.iter().all(|f| !f.required);
        let body_fill = if empty_form { Fill::All } else { fill };
        if b.required || fill == Fill::All {
            let mut value = match raw_body_schema(synth, op, b) {
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
                BodyEncoding::Binary => ("binary", Value::String("conformance".into())),
                BodyEncoding::Text => (
                    "text",
                    Value::String(match value {
                        Value::String(s) => s,
                        other => other.to_string(),
                    }),
                ),
                BodyEncoding::Json => ("json", value),
                BodyEncoding::Form => ("form", value),
                BodyEncoding::Multipart => ("multipart", value),
            };
            let body = match (&b.encoding, &given) {
                (BodyEncoding::Binary, _) => {
                    fingerprint.push_str("body=bytes;");
                    quote! { let body: Vec<u8> = b"conformance".to_vec(); }
                }
                (BodyEncoding::Text, Value::String(text)) => {
                    fingerprint.push_str(&format!("body={text};"));
                    quote! { let body: String = #text.to_owned(); }
                }
                _ => {
                    let json = given.to_string();
                    fingerprint.push_str(&format!("body={json};"));
                    let ty = type_tokens(api, &b.ty);
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
    let accessors = chain.iter().map(|c| {
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
fn emit_client_fn(api: &Api) -> TokenStream {
    let dummy = |c: &str| Literal::string(&format!("conformance-{}", c.replace('_', "-")));
    let constructor = api.constructor_scheme.map(|i| &api.schemes[i]);
    let args: Vec<Literal> = constructor
        .map(|s| s.credentials.iter().map(|c| dummy(c)).collect())
        .unwrap_or_default();
    let setters = api
        .schemes
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != api.constructor_scheme)
        .map(|(_, s)| {
            let name = ident(&s.rust_name);
            let values = s.credentials.iter().map(|c| dummy(c));
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
pub fn emit_conformance(api: &Api, raw: &Value, crate_name: &str, is_31: bool) -> TokenStream {
    let synth = Synth::new(raw).sending_required_read_only(is_31);
    let lib = ident(&crate_name.replace('-', "_"));
    let client_fn = emit_client_fn(api);
    let mut names = BTreeSet::new();
    let mut tests = Vec::new();
    // Operations are reported by id; a duplicated id (a spec error the generator tolerates)
    // gets its method and path too, so that each operation has a line of its own.
    let mut seen_ids = BTreeSet::new();
    let duplicated: BTreeSet<&str> = api
        .operations
        .iter()
        .filter(|op| !seen_ids.insert(op.id.as_str()))
        .map(|op| op.id.as_str())
        .collect();
    for (index, (op, chain)) in api.operations.iter().zip(chains(api)).enumerate() {
        let cfg = crate::emit::operation_cfg(api, index);
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
            Literal::string(&format!("{} ({} {})", op.id, op.method.as_str(), op.path))
        } else {
            Literal::string(&op.id)
        };
        let has_success = op.success.iter().any(|(s, _)| match s {
            StatusMatch::Code(c) => (200..300).contains(c),
            StatusMatch::Range(r) => *r == 2,
            StatusMatch::Default => false,
        });
        // Each call's request carries a key of its own, which the runner's recording proxy
        // finds it by.
        let (required, required_print, required_expected) = emit_call(
            api,
            &synth,
            op,
            &chain,
            Fill::Required,
            &format!("{index}-required"),
        );
        let (all, all_print, all_expected) =
            emit_call(api, &synth, op, &chain, Fill::All, &format!("{index}-all"));
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
