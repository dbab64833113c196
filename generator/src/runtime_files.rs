//! The runtime copied verbatim into every generated crate (`generator/runtime/*.rs`, embedded
//! with `include_str!`).

/// The runtime files of a generated crate, each under `header`.
pub(crate) fn with_header(header: &str) -> impl Iterator<Item = crate::OutFile> + '_ {
    RUNTIME.iter().map(move |(path, text)| crate::OutFile {
        path: (*path).into(),
        contents: format!("{header}\n{text}"),
    })
}

/// `(src/runtime/FILE, the text of generator/runtime/FILE)` for each file named: a file's
/// name is written once, so the path and the text cannot name different files.
macro_rules! runtime_files {
    ($($file:literal),* $(,)?) => {
        &[$((concat!("src/runtime/", $file), include_str!(concat!("../runtime/", $file)))),*]
    };
}

/// The runtime copied verbatim into every generated crate, as (path, contents).
pub const RUNTIME: &[(&str, &str)] = runtime_files![
    "mod.rs",
    "pagination.rs",
    "body.rs",
    "client.rs",
    "config.rs",
    "error.rs",
    "hooks.rs",
    "mock.rs",
    "oauth2.rs",
    "request.rs",
    "response.rs",
    "retry.rs",
    "secret.rs",
    "streaming.rs",
    "tls.rs",
];

/// The webhook signature checks, written as `src/webhooks/signature.rs` into a crate whose
/// API has webhooks (compiled with its `webhooks` feature only).
pub const WEBHOOK_SIGNATURES: (&str, &str) = (
    "src/webhooks/signature.rs",
    include_str!("../runtime/webhooks.rs"),
);
