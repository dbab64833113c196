//! `src/lib.rs` and `Cargo.toml`: crate docs with a compiled example, re-exports, features.

use super::*;

/// The crate docs' section on the TLS features, which the manifest of [`emit_manifest`] defines.
pub(super) const TLS_DOCS: &str = "
# TLS

HTTPS works with the default features. The TLS stack is a cargo feature of this crate:

| Feature | TLS stack | Post-quantum key exchange | First build |
|---|---|---|---|
| `rustls-aws-lc-rs` (default) | rustls with the aws-lc-rs provider (FIPS-capable) | X25519MLKEM768, preferred | a C build (AWS-LC) with the C compiler Rust needs |
| `rustls-graviola` | rustls with the graviola provider (Rust and assembly) | X25519MLKEM768, preferred | no C; x86_64 (with AES-NI, AVX2) and aarch64 only |
| `native-tls` | the platform's TLS (OpenSSL on Linux) | as the platform offers | needs the OpenSSL headers on Linux |

The default is rustls with aws-lc-rs: it negotiates the post-quantum hybrid key exchange with
servers that offer it, runs on every platform Rust does, and is rustls's own default. To
switch, turn the default off and name one:
`default-features = false, features = [\"rustls-graviola\", \"full\"]`. Certificates are
checked against the platform's trust store in every case. rustls with ring is not offered:
ring has no post-quantum key exchange, and rustls deprecated its provider for it.

Several TLS features may be on at once (another crate in the build may switch one on): the
first of `native-tls`, `rustls-graviola` and `rustls-aws-lc-rs` is used. With none, `https`
needs a client passed with [`ClientBuilder::http_client`], whose TLS setup is then the
caller's. The rustls provider is passed to rustls explicitly, so a program that links several
providers works without installing a process-wide default. For a client of your own (proxies,
pool settings), start from [`ClientBuilder::http_client_builder`], which has this TLS setup
and follows no redirect itself. The `http2` feature offers HTTP/2.

# Redirects

`301`, `302`, `307` and `308` are followed, at most 10 in a row; `303 See Other` answers the
call itself and is returned as it is. A credential goes only to the origin (scheme, host and
port) of the base URL: once a redirect leaves it, every credential the client added is
removed for the rest of the chain (the `Authorization` header, API keys in headers and
cookies, every header parameter held as a [`Secret`] and every extra header), and a query API
key is not copied to the new URL. A redirect from `https` to plain `http` is never followed
([`Error::Redirect`]).";

/// `src/lib.rs`: crate docs with a compiled example, modules and re-exports.
pub fn emit_lib(api: &Api, crate_name: &str) -> TokenStream {
    let lib = crate_name.replace('-', "_");
    let mut doc_lines: Vec<String> = vec![format!(
        "Async Rust client for the {} (API version {}).",
        api.title.trim(),
        api.version.trim()
    )];
    if let Some(d) = &api.description {
        doc_lines.push(String::new());
        // As every other doc comment's, but with the lines' indentation kept (lists).
        doc_lines.extend(super::description_lines(d.trim().lines()));
    }
    doc_lines.push(String::new());
    doc_lines.push("# Example".into());
    doc_lines.push(String::new());
    // The example's operation may be left out by the consumer's features; the example is
    // then shown but not compiled.
    let example = example_call(api);
    let example_feature = example.as_ref().and_then(|(_, op)| {
        let i = api.operations.iter().position(|o| std::ptr::eq(o, *op))?;
        let f = *api.features.operation.get(i)?;
        Some(api.features.list[f].name.clone())
    });
    let fence_line = doc_lines.len();
    doc_lines.push("```no_run".into());
    doc_lines.push(format!(
        "# async fn example() -> Result<(), {lib}::Error> {{"
    ));
    doc_lines.extend(example_body(api, &lib));
    doc_lines.push("# Ok(())".into());
    doc_lines.push("# }".into());
    doc_lines.push("```".into());
    doc_lines.extend(TLS_DOCS.lines().map(str::to_owned));
    doc_lines.push(String::new());
    doc_lines.push("# Cargo features".into());
    doc_lines.push(String::new());
    doc_lines.extend(features_table(api));
    doc_lines.push(String::new());
    doc_lines.push(
        "On docs.rs every item that needs a feature says which (\"Available on crate feature … \
         only\")."
            .into(),
    );
    doc_lines.extend(feature_docs(api, "#"));
    let crate_docs = doc_lines.iter().enumerate().map(|(i, l)| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        match &example_feature {
            Some(f) if i == fence_line => quote! {
                #![cfg_attr(feature = #f, doc = " ```no_run")]
                #![cfg_attr(not(feature = #f), doc = " ```ignore")]
            },
            _ => quote! { #![doc = #l] },
        }
    });
    // An API with no operations (a webhooks-only document) exports only types, and so may a
    // build whose features leave out every operation or every type.
    let no_ops_allow = if api.operations.is_empty() || !api.features.list.is_empty() {
        quote! { #[allow(unused_imports)] }
    } else {
        quote! {}
    };
    let webhooks_module = if api.webhooks.is_empty() {
        quote! {}
    } else {
        quote! {
            #[cfg(feature = "webhooks")]
            #[rustfmt::skip]
            pub mod webhooks;
        }
    };
    // OAuth 2 token sources for the schemes that send a bearer token.
    let reexport_oauth2 = if api.schemes.iter().any(|s| s.kind == SchemeKind::Bearer) {
        quote! { pub use runtime::oauth2; }
    } else {
        quote! {}
    };
    // The crates of typed formats, re-exported so that a consumer names the same versions.
    let (chrono, uuid) = formats_used(api);
    let reexport_chrono = if chrono {
        quote! {
            /// Dates and times of `date-time` and `date` strings, re-exported.
            pub use chrono;
        }
    } else {
        quote! {}
    };
    let reexport_uuid = if uuid {
        quote! {
            /// `uuid` strings, re-exported.
            pub use uuid;
        }
    } else {
        quote! {}
    };
    quote! {
        #(#crate_docs)*
        #![forbid(unsafe_code)]
        // docs.rs (`--cfg docsrs`, a nightly rustdoc): each item behind a feature says which.
        #![cfg_attr(docsrs, feature(doc_cfg))]

        // Generated code is formatted by clientgen itself; rustfmt must not reformat it, or
        // `cargo fmt` and `clientgen generate --check` would disagree.
        #[rustfmt::skip]
        mod client;
        // Documented inside the module (`//!` in mock.rs): with docs outside too, rustdoc
        // reads the links of both from here, where `MockServer` is not in scope.
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        pub mod mock;
        #[rustfmt::skip]
        mod operations;
        #[rustfmt::skip]
        mod runtime;
        #[rustfmt::skip]
        pub mod types;
        #webhooks_module

        // One item per `use`, in the order rustfmt sorts them, so that `cargo fmt` leaves
        // this file as generated.
        #reexport_chrono
        #no_ops_allow
        pub use operations::*;
        /// The HTTP client library, re-exported for [`ClientBuilder::http_client`] and headers.
        pub use reqwest;
        pub use runtime::hooks;
        #reexport_oauth2
        pub use runtime::pagination;
        pub use runtime::streaming;
        pub use runtime::ApiError;
        pub use runtime::Client;
        pub use runtime::ClientBuilder;
        pub use runtime::DecodeError;
        pub use runtime::Error;
        pub use runtime::InvalidRequest;
        pub use runtime::LimitExceeded;
        pub use runtime::RedirectError;
        pub use runtime::RequestOptions;
        pub use runtime::Response;
        pub use runtime::Secret;
        pub use runtime::TransportError;
        #no_ops_allow
        pub use types::*;
        #reexport_uuid
    }
}

/// The body of the first-call example (crate docs and README): the client, and one call when
/// some operation takes only strings.
fn example_body(api: &Api, lib: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let constructor_args = match api.constructor_scheme.map(|i| &api.schemes[i]) {
        Some(s) => {
            let select = api.servers.iter().find_map(|x| x.select.as_ref());
            s.credentials
                .iter()
                .enumerate()
                .map(|(i, c)| match select {
                    Some(sel) if i == 0 && &sel.credential == c => {
                        format!("\"{}...\"", sel.prefix.replace("live", "test"))
                    }
                    _ => format!("\"{c}...\""),
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
        None => String::new(),
    };
    lines.push(format!(
        "let client = {lib}::Client::new({constructor_args})?;"
    ));
    if let Some((chain, op)) = example_call(api) {
        let args: Vec<String> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| format!("\"{}\"", p.rust_name))
            .collect();
        lines.push(format!(
            "let response = client{chain}.{}({}).send().await?;",
            op.method_name,
            args.join(", ")
        ));
        lines.push("println!(\"{response:?}\");".into());
    }
    lines
}

/// Every cargo feature of the crate, one line each (README and crate docs).
fn features_table(api: &Api) -> Vec<String> {
    let mut out: Vec<String> = vec![
        "| Feature | What it does |".into(),
        "|---|---|".into(),
        "| `rustls-aws-lc-rs` (default) | TLS with rustls and aws-lc-rs (post-quantum key exchange preferred; a C build) |".into(),
        "| `rustls-graviola` | TLS with rustls and graviola (no C build; x86_64 and aarch64) |".into(),
        "| `native-tls` | the platform's TLS (OpenSSL on Linux) |".into(),
        "| `http2` | offer HTTP/2 |".into(),
        "| `tracing` | one `tracing` debug event per HTTP attempt |".into(),
        "| `serde-all` | `Serialize` and `Deserialize` on every type |".into(),
        "| `mock` | typed mocks of every operation, for the tests of code that calls the API (the `mock` module) |".into(),
    ];
    if !api.features.list.is_empty() {
        out.push(if api.webhooks.is_empty() {
            "| `full` (default) | every part of the API, each a feature of its own (below) |".into()
        } else {
            "| `full` (default) | every part of the API but `webhooks`, each a feature of its own (below) |".into()
        });
    }
    out
}

/// The crate docs' section on the API features: what each compiles, and how to pick some.
/// `heading` is the Markdown heading mark of the section (`#` in the crate docs, `##` in the
/// README).
fn feature_docs(api: &Api, heading: &str) -> Vec<String> {
    let list = &api.features.list;
    if list.is_empty() {
        return Vec::new();
    }
    let mut out = vec![
        String::new(),
        format!("{heading} Features of the API"),
        String::new(),
        format!(
            "Each part of the API is a cargo feature that compiles its operations and only the \
             types they use; types shared by several parts are compiled once. {} To compile \
             less, turn the defaults off and name the parts you call, with a TLS feature:",
            if api.webhooks.is_empty() {
                "All are on by default (`full`)."
            } else {
                "All but `webhooks` are on by default (`full`)."
            }
        ),
        format!(
            "`default-features = false, features = [\"rustls-aws-lc-rs\", \"{}\"]`.",
            list.iter()
                .find(|f| f.operations > 0)
                .or_else(|| list.iter().find(|f| f.kind != FeatureKind::Webhooks))
                .unwrap_or(&list[0])
                .name
        ),
        String::new(),
        "| Feature | Operations | What it compiles |".into(),
        "|---|---:|---|".into(),
    ];
    let schemas = api
        .features
        .types
        .iter()
        .filter(|set| {
            set.iter().any(|f| list[*f].kind == FeatureKind::ExtraTypes)
                && set.iter().all(|f| {
                    matches!(
                        list[*f].kind,
                        FeatureKind::ExtraTypes | FeatureKind::Webhooks
                    )
                })
        })
        .count();
    for f in list {
        let what = match &f.kind {
            FeatureKind::Namespace(accessor) => format!("`client.{accessor}()`"),
            FeatureKind::Tag(tag) => format!(
                "the client's own methods tagged `{}`",
                tag.replace('|', "\\|").replace('`', "'")
            ),
            FeatureKind::Untagged => "the client's own methods without a tag".into(),
            FeatureKind::ExtraTypes => {
                format!("the {schemas} types no operation uses (webhook payloads, for example)")
            }
            FeatureKind::Webhooks => format!(
                "the `webhooks` module: {} typed webhook event{}, the payload types and \
                 signature verification (not in `full`)",
                api.webhooks.len(),
                if api.webhooks.len() == 1 { "" } else { "s" }
            ),
        };
        out.push(format!("| `{}` | {} | {what} |", f.name, f.operations));
    }
    out.push(String::new());
    out.push(
        "A type only received has no `Serialize` and one only sent no `Deserialize`; the \
         `serde-all` feature gives every type both."
            .into(),
    );
    out
}

/// The first operation whose required arguments are all strings, with its accessor chain.
pub(super) fn example_call(api: &Api) -> Option<(String, &Operation)> {
    // In the order of the namespace tree: the root's operations, then each namespace's.
    fn walk<'a>(api: &'a Api, ns: &Namespace) -> Option<&'a Operation> {
        let simple = |op: &&Operation| {
            op.params
                .iter()
                .filter(|p| p.required)
                .all(|p| p.ty == TypeRef::String)
                && op.body.as_ref().is_none_or(|b| !b.is_argument())
                && !op.deprecated
        };
        ns.operations
            .iter()
            .map(|&i| &api.operations[i])
            .find(simple)
            .or_else(|| ns.children.iter().find_map(|child| walk(api, child)))
    }
    let op = walk(api, &api.root)?;
    let chain: String = op.accessors.iter().map(|a| format!(".{a}()")).collect();
    Some((chain, op))
}

/// What the manifest says about the package beside its name and version: what a registry
/// needs to accept it and to link to it.
#[derive(Debug, Clone, Default)]
pub struct PackageMeta {
    /// An SPDX expression (`license`); none leaves the crate unpublishable until one is given.
    pub license: Option<String>,
    /// The crate's source repository URL.
    pub repository: Option<String>,
    /// The API's or the crate's home page.
    pub homepage: Option<String>,
    /// Where the crate's documentation is: docs.rs's page of the crate unless given.
    pub documentation: Option<String>,
}

/// A TOML basic string: quoted, with backslashes, quotes and control characters escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The generated crate's manifest.
pub fn emit_manifest(
    api: &Api,
    crate_name: &str,
    version: &str,
    spec_blob: &str,
    header: &str,
    meta: &PackageMeta,
) -> String {
    let description = format!(
        "Async Rust client for the {}, generated by clientgen",
        api.title.trim()
    )
    .replace('\\', "\\\\")
    .replace('"', "\\\"")
    .replace('\n', " ");
    // What registries show and need: a licence (crates.io refuses a crate without one) and a
    // link (cargo package warns without documentation, homepage or repository).
    let mut links = String::new();
    if let Some(license) = &meta.license {
        links.push_str(&format!("license = {}\n", toml_string(license)));
    }
    let documentation = meta
        .documentation
        .clone()
        .unwrap_or_else(|| format!("https://docs.rs/{crate_name}"));
    links.push_str(&format!(
        "documentation = {}\n",
        toml_string(&documentation)
    ));
    for (key, value) in [
        ("homepage", &meta.homepage),
        ("repository", &meta.repository),
    ] {
        if let Some(value) = value {
            links.push_str(&format!("{key} = {}\n", toml_string(value)));
        }
    }
    let tables = manifest_tables(api, true);
    format!(
        r#"{header}
[package]
name = "{crate_name}"
version = "{version}"
edition = "2021"
rust-version = "1.85"
description = "{description}"
{links}readme = "README.md"
keywords = ["api", "client", "openapi", "async"]
categories = ["api-bindings", "web-programming::http-client"]

[package.metadata.docs.rs]
# Every TLS choice and every part of the API in the documentation, each item marked with the
# feature it needs (`docsrs`).
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

[package.metadata.clientgen]
# The git blob id of the description this crate was generated from: `clientgen generate --bump`
# reads it with `git cat-file -p` and bumps `version` by what changed since.
spec-blob = "{spec_blob}"

{tables}"#
    )
}

/// The manifest's `[dependencies]` and `[features]` tables: the crate form's (`with_mock`),
/// or the module form's, whose including crate needs them as they are, without the `mock`
/// feature and its dependency (the module form has no typed mocks).
pub fn manifest_tables(api: &Api, with_mock: bool) -> String {
    let api_features = api_features_manifest(api);
    let (chrono, uuid) = formats_used(api);
    let mut formats = String::new();
    if chrono {
        formats.push_str(
            "# `date-time` and `date` strings: `chrono::DateTime<FixedOffset>` and `NaiveDate`\n\
             # (no clock, no time zone database: parsing and printing RFC 3339 only).\n\
             chrono = { version = \"0.4.20\", default-features = false, features = [\"std\", \"serde\"] }\n",
        );
    }
    if uuid {
        formats.push_str(
            "# `uuid` strings.\n\
             uuid = { version = \"1\", default-features = false, features = [\"std\", \"serde\"] }\n",
        );
    }
    let webhook_dependencies = if api.webhooks.is_empty() {
        ""
    } else {
        "# Only for the `webhooks` feature: HMAC-SHA256 and its constant-time check (RustCrypto).\n\
         hmac = { version = \"0.13\", optional = true }\n\
         sha2 = { version = \"0.11\", optional = true, default-features = false }\n"
    };
    let default = if api.features.list.is_empty() {
        "\"rustls-aws-lc-rs\""
    } else {
        "\"rustls-aws-lc-rs\", \"full\""
    };
    let (wiremock, mock) = if with_mock {
        (
            "# Only for the `mock` feature: typed mocks for the tests of code that calls the API.\n\
             wiremock = { version = \"0.6\", optional = true }\n",
            "# Typed mocks of every operation (the crate's `mock` module, on wiremock), for the tests of\n\
             # code that calls the API; off by default, so a normal build compiles none of it.\n\
             mock = [\"serde-all\", \"dep:wiremock\"]\n",
        )
    } else {
        ("", "")
    };
    format!(
        r#"[dependencies]
# No default features: HTTP/1.1 only, no charset decoding (bodies are JSON, UTF-8), no system
# proxy settings (the proxy environment variables are still honoured); TLS comes from the
# features below.
reqwest = {{ version = "0.13", default-features = false }}
# Only with a rustls feature, to pass the crypto provider explicitly. The same versions
# reqwest 0.13 uses, so the build has one copy of each.
rustls = {{ version = "0.23", optional = true, default-features = false, features = ["std", "tls12"] }}
rustls-platform-verifier = {{ version = "0.7", optional = true }}
rustls-graviola = {{ version = "0.4", optional = true }}
{wiremock}# Streamed bodies' chunks, and the `Stream` trait of `.pages()`, `.items()` and streamed
# bodies; reqwest depends on both already.
bytes = "1"
{formats}futures-core = {{ version = "0.3", default-features = false }}
{webhook_dependencies}# Streamed request bodies (reqwest takes any `http_body::Body`); in reqwest's graph too.
http-body = "1"
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
# `time` for timeouts and retry delays, `fs` for request bodies streamed from a file, `sync`
# for one OAuth 2 token request at a time (hyper enables it already).
tokio = {{ version = "1", features = ["time", "fs", "sync"] }}
tracing = {{ version = "0.1", optional = true, default-features = false, features = ["std"] }}
url = "2"

[features]
# rustls with aws-lc-rs (AWS-LC, FIPS-capable; post-quantum key exchange preferred): a C build
# that needs the C compiler Rust itself needs. reqwest's own `rustls` feature, so that clients
# a caller builds with reqwest directly find a provider too. Enable several TLS features and the
# first of native-tls, rustls-graviola, rustls-aws-lc-rs wins; with none, only `http_client` or
# plain-http loopback base URLs work.
default = [{default}]
rustls-aws-lc-rs = ["reqwest/rustls", "dep:rustls", "rustls/aws-lc-rs", "dep:rustls-platform-verifier"]
# rustls with graviola (Rust and assembly, no C build; post-quantum key exchange preferred):
# x86_64 with AES-NI and AVX2, and aarch64, only.
rustls-graviola = ["reqwest/rustls-no-provider", "dep:rustls", "dep:rustls-graviola", "dep:rustls-platform-verifier"]
# The platform's TLS: SChannel, Secure Transport, or OpenSSL on Linux (needs its headers).
native-tls = ["reqwest/native-tls"]
# Offer HTTP/2 through ALPN (h2 and hpack add to the build).
http2 = ["reqwest/http2"]
# One `tracing` debug event per HTTP attempt: method, path template, status, attempt, elapsed.
tracing = ["dep:tracing"]
# `Serialize` and `Deserialize` on every type: by default a type only received has no
# `Serialize`, and one only sent has no `Deserialize`.
serde-all = []
{mock}{api_features}"#
    )
}

/// The manifest's API features (see the crate docs' table), and `full` with all of them.
fn api_features_manifest(api: &Api) -> String {
    let list = &api.features.list;
    if list.is_empty() {
        return String::new();
    }
    // Webhooks are off by default, so that a client that only calls the API compiles none of
    // their code or dependencies.
    let names: Vec<String> = list
        .iter()
        .filter(|f| f.kind != FeatureKind::Webhooks)
        .map(|f| format!("\"{}\"", f.name))
        .collect();
    let mut out = String::from(
        "# The parts of the API, one per top-level namespace (or tag, for the client's own\n\
         # methods): each compiles its operations and only the types they use.\n",
    );
    out.push_str(&format!("full = [{}]\n", names.join(", ")));
    for f in list {
        if f.kind == FeatureKind::Webhooks {
            out.push_str(
                "# Typed webhook events and their signature check (the crate's `webhooks` module); not\n\
                 # in `full`.\n",
            );
            out.push_str(&format!("{} = [\"dep:hmac\", \"dep:sha2\"]\n", f.name));
        } else {
            out.push_str(&format!("{} = []\n", f.name));
        }
    }
    out
}

/// The generated crate's `README.md`: what the API is, how to depend on the crate, a first
/// call and its features. `header` is the generated-file marker line, as an HTML comment.
pub fn emit_readme(api: &Api, crate_name: &str, version: &str, header: &str) -> String {
    let lib = crate_name.replace('-', "_");
    let title = api.title.trim();
    let mut out = vec![
        header.to_owned(),
        format!("# {crate_name}"),
        String::new(),
        format!(
            "Async Rust client for the {} (API version {}), generated by \
             [clientgen](https://crates.io/crates/clientgen) from the API's OpenAPI description.",
            if title.is_empty() { "API" } else { title },
            api.version.trim()
        ),
    ];
    if let Some(d) = &api.description {
        out.push(String::new());
        out.extend(d.trim().lines().map(str::to_owned));
    }
    let major_minor = version.split('.').take(2).collect::<Vec<_>>().join(".");
    out.extend([
        String::new(),
        "## Install".into(),
        String::new(),
        "```toml".into(),
        "[dependencies]".into(),
        format!("{crate_name} = \"{major_minor}\""),
        "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }".into(),
        "```".into(),
        String::new(),
        "## First call".into(),
        String::new(),
        "```rust,no_run".into(),
        "#[tokio::main]".into(),
        format!("async fn main() -> Result<(), {lib}::Error> {{"),
    ]);
    out.extend(
        example_body(api, &lib)
            .into_iter()
            .map(|l| format!("    {l}")),
    );
    out.extend([
        "    Ok(())".into(),
        "}".into(),
        "```".into(),
        String::new(),
        format!(
            "The client has timeouts, retries with backoff, redirects that keep credentials to \
             their origin and typed errors (`{lib}::Error`); the \
             [documentation](https://docs.rs/{crate_name}) has every call."
        ),
        String::new(),
        "## Features".into(),
        String::new(),
    ]);
    out.extend(features_table(api));
    // The section starts with its blank line.
    out.extend(feature_docs(api, "##"));
    let mut text = out.join("\n");
    text.push('\n');
    text
}
