//! The runtime copied verbatim into every generated crate (`generator/runtime/*.rs`, embedded
//! with `include_str!`).

/// The runtime files of a generated crate, each under `header`.
pub(crate) fn with_header(header: &str) -> impl Iterator<Item = crate::OutFile> + '_ {
    RUNTIME.iter().map(move |(path, text)| crate::OutFile {
        path: (*path).into(),
        contents: format!("{header}\n{text}"),
    })
}

/// The runtime copied verbatim into every generated crate, as (path, contents).
pub const RUNTIME: &[(&str, &str)] = &[
    ("src/runtime/mod.rs", include_str!("../runtime/mod.rs")),
    (
        "src/runtime/pagination.rs",
        include_str!("../runtime/pagination.rs"),
    ),
    ("src/runtime/body.rs", include_str!("../runtime/body.rs")),
    (
        "src/runtime/client.rs",
        include_str!("../runtime/client.rs"),
    ),
    (
        "src/runtime/config.rs",
        include_str!("../runtime/config.rs"),
    ),
    ("src/runtime/error.rs", include_str!("../runtime/error.rs")),
    ("src/runtime/hooks.rs", include_str!("../runtime/hooks.rs")),
    ("src/runtime/mock.rs", include_str!("../runtime/mock.rs")),
    (
        "src/runtime/request.rs",
        include_str!("../runtime/request.rs"),
    ),
    (
        "src/runtime/response.rs",
        include_str!("../runtime/response.rs"),
    ),
    ("src/runtime/retry.rs", include_str!("../runtime/retry.rs")),
    (
        "src/runtime/secret.rs",
        include_str!("../runtime/secret.rs"),
    ),
    (
        "src/runtime/streaming.rs",
        include_str!("../runtime/streaming.rs"),
    ),
    ("src/runtime/tls.rs", include_str!("../runtime/tls.rs")),
];
