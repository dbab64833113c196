//! The TLS stack of the HTTP client, chosen with the crate's cargo features.
//!
//! Cargo features are additive: a crate elsewhere in a build can switch on a second TLS
//! feature, so several may be on at once and one is picked by a fixed precedence:
//! `native-tls`, then `rustls-aws-lc-rs`, then `rustls-ring` (the default). An explicit choice
//! beats the default, which is the one most likely to have been switched on by accident.
//!
//! With rustls the crypto provider is passed explicitly. rustls refuses to guess a
//! process-wide provider when a program links both ring and aws-lc-rs, and reqwest's own rustls
//! setup without aws-lc-rs panics unless one is installed; a library must not install one for
//! the whole program either.

use super::error::Error;

/// Which TLS stack [`configure`] sets up, for error messages.
#[cfg(feature = "native-tls")]
pub(crate) const BACKEND: Option<&str> = Some("native-tls");
#[cfg(all(feature = "rustls-aws-lc-rs", not(feature = "native-tls")))]
pub(crate) const BACKEND: Option<&str> = Some("rustls with aws-lc-rs");
#[cfg(all(
    feature = "rustls-ring",
    not(feature = "rustls-aws-lc-rs"),
    not(feature = "native-tls")
))]
pub(crate) const BACKEND: Option<&str> = Some("rustls with ring");
#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc-rs",
    feature = "native-tls"
)))]
pub(crate) const BACKEND: Option<&str> = None;

/// Sets up the selected TLS stack on a new reqwest client. Without a TLS feature the builder is
/// returned as it is; `ClientBuilder::build` then refuses `https` base URLs unless the caller
/// supplies its own reqwest client.
#[allow(unused_mut)]
pub(crate) fn configure(
    mut builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, Error> {
    #[cfg(feature = "native-tls")]
    {
        // reqwest may also have rustls switched on by another crate: say which one to use.
        builder = builder.tls_backend_native();
    }
    #[cfg(all(
        any(feature = "rustls-ring", feature = "rustls-aws-lc-rs"),
        not(feature = "native-tls")
    ))]
    {
        builder = builder.tls_backend_preconfigured(rustls_config()?);
    }
    Ok(builder)
}

/// A rustls configuration with the selected provider and the platform's certificate verifier
/// (the system trust store; the OS verifier on macOS, Windows and Android), as reqwest's own
/// rustls setup would build it.
#[cfg(all(
    any(feature = "rustls-ring", feature = "rustls-aws-lc-rs"),
    not(feature = "native-tls")
))]
fn rustls_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;

    #[cfg(feature = "rustls-aws-lc-rs")]
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    #[cfg(not(feature = "rustls-aws-lc-rs"))]
    let provider = rustls::crypto::ring::default_provider();
    let tls_error = |e: rustls::Error| Error::Config(format!("cannot set up TLS: {e}"));
    let mut config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(provider))
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_platform_verifier()
        .map_err(tls_error)?
        .with_no_client_auth();
    // reqwest leaves ALPN to a preconfigured config: offer what this build of reqwest speaks.
    config.alpn_protocols = vec![
        #[cfg(feature = "http2")]
        b"h2".to_vec(),
        b"http/1.1".to_vec(),
    ];
    Ok(config)
}
