//! The TLS stack of the HTTP client, chosen with the crate's cargo features.
//!
//! Cargo features are additive: a crate elsewhere in a build can switch on a second TLS
//! feature, so several may be on at once and one is picked by a fixed precedence:
//! `native-tls`, then `rustls-graviola`, then `rustls-aws-lc-rs` (the default). An explicit
//! choice beats the default, which is the one most likely to have been switched on by accident.
//!
//! With rustls the crypto provider is passed explicitly. rustls refuses to guess a
//! process-wide provider when a program links two, and reqwest's own rustls setup without
//! aws-lc-rs panics unless one is installed; a library must not install one for the whole
//! program either. Both rustls providers offered negotiate the post-quantum hybrid key
//! exchange X25519MLKEM768 first, as rustls does by default; ring, which cannot, is not offered
//! (rustls deprecated its provider for that reason).

use super::error::Error;

/// Which TLS stack [`configure`] sets up, for error messages.
#[cfg(feature = "native-tls")]
pub(crate) const BACKEND: Option<&str> = Some("native-tls");
#[cfg(all(feature = "rustls-graviola", not(feature = "native-tls")))]
pub(crate) const BACKEND: Option<&str> = Some("rustls with graviola");
#[cfg(all(
    feature = "rustls-aws-lc-rs",
    not(feature = "rustls-graviola"),
    not(feature = "native-tls")
))]
pub(crate) const BACKEND: Option<&str> = Some("rustls with aws-lc-rs");
#[cfg(not(any(
    feature = "rustls-aws-lc-rs",
    feature = "rustls-graviola",
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
        any(feature = "rustls-aws-lc-rs", feature = "rustls-graviola"),
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
    any(feature = "rustls-aws-lc-rs", feature = "rustls-graviola"),
    not(feature = "native-tls")
))]
fn rustls_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;

    #[cfg(feature = "rustls-graviola")]
    let provider = rustls_graviola::default_provider();
    #[cfg(not(feature = "rustls-graviola"))]
    let provider = rustls::crypto::aws_lc_rs::default_provider();
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
