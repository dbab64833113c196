//! The default TLS setup (rustls with aws-lc-rs) against loopback HTTPS servers:
//! - a server that accepts only the post-quantum hybrid key exchange X25519MLKEM768: the
//!   default client must complete a request with it;
//! - in a program that links two rustls providers, ring and aws-lc-rs, as a consumer's program
//!   may: rustls then cannot pick a process-wide provider, and a client that relied on one would
//!   panic; the generated client passes its provider explicitly;
//! - a redirect from https to plain http is refused, and the plain-http server (the loopback
//!   server of `clientgen_tests`) sees no connection.
//!
//! The HTTPS servers are written here: the loopback server of `clientgen_tests` speaks plain
//! HTTP only, and these need a TLS handshake with a chosen provider and key exchange.
//!
//! No test harness: `main` sets `SSL_CERT_FILE` (how the platform verifier on Linux finds the
//! test CA in `tests/tls/`) while it is the only thread, which is what makes changing the
//! environment sound.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use clientgen_tests::{Reply, Server};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const BODY: &str = r#"{"request_id":"req-tls","status_code":200,"connected_apps":[]}"#;

fn main() {
    let certs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tls");
    // SAFETY: no other thread exists yet; nothing below changes the environment.
    unsafe {
        std::env::set_var("SSL_CERT_FILE", certs.join("ca.pem"));
        std::env::remove_var("SSL_CERT_DIR");
        for proxy in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
            std::env::remove_var(proxy);
        }
    }

    both_providers_leave_rustls_without_a_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let url = https_server(&certs, post_quantum_only(), Answer::Ok);
    runtime.block_on(default_client_completes_https_request(&url));
    runtime.block_on(own_http_client_from_the_crates_tls_setup(&url));
    runtime.block_on(a_client_without_post_quantum_is_refused(&url, &certs));
    let plain = {
        let _runtime = runtime.enter();
        Server::start(vec![Reply::status(200)])
    };
    let downgrade = format!("{}/plain", plain.url());
    let url = https_server(&certs, post_quantum_only(), Answer::Redirect(downgrade));
    runtime.block_on(https_to_http_is_never_followed(&url));
    // Time for the server to accept a connection that reached it while the client failed.
    runtime.block_on(async { tokio::time::sleep(Duration::from_millis(50)).await });
    assert_eq!(
        plain.connections(),
        0,
        "the plain-http server was contacted"
    );
    println!("tls: 5 passed, 0 failed");
}

/// The aws-lc-rs provider with X25519MLKEM768 as its only key exchange: a client that cannot
/// negotiate it fails the handshake.
fn post_quantum_only() -> CryptoProvider {
    CryptoProvider {
        kx_groups: vec![rustls::crypto::aws_lc_rs::kx_group::X25519MLKEM768],
        ..rustls::crypto::aws_lc_rs::default_provider()
    }
}

/// The server really insists: a client that offers only X25519 cannot talk to it.
async fn a_client_without_post_quantum_is_refused(url: &str, certs: &Path) {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(certs.join("ca.pem")).expect("tests/tls/ca.pem") {
        roots
            .add(cert.expect("a PEM certificate"))
            .expect("a CA certificate");
    }
    let classic = CryptoProvider {
        kx_groups: vec![rustls::crypto::aws_lc_rs::kx_group::X25519],
        ..rustls::crypto::aws_lc_rs::default_provider()
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(classic))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let http = stytch_b2b::reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .expect("a reqwest client");
    let client = stytch_b2b::Client::builder("project-test-tls", "secret-tls")
        .base_url(url)
        .max_retries(0)
        .http_client(http)
        .build()
        .expect("a client");
    let error = client
        .organizations()
        .connected_apps("org-1")
        .send()
        .await
        .expect_err("the handshake fails without X25519MLKEM768");
    assert!(
        matches!(error, stytch_b2b::Error::Connection(_)),
        "{error:?}"
    );
}

/// What the test server answers.
#[derive(Clone)]
enum Answer {
    Ok,
    Redirect(String),
}

async fn https_to_http_is_never_followed(url: &str) {
    let client = stytch_b2b::Client::builder("project-test-tls", "secret-tls")
        .base_url(url)
        .max_retries(2)
        .build()
        .expect("a client");
    let error = client
        .organizations()
        .connected_apps("org-1")
        .send()
        .await
        .expect_err("a downgrade is refused");
    let stytch_b2b::Error::Redirect(redirect) = &error else {
        panic!("expected Error::Redirect, got {error:?}");
    };
    assert_eq!(redirect.status(), 301);
    assert!(redirect.location().starts_with("http://127.0.0.1"));
    assert!(
        error.to_string().contains("from https to plain http"),
        "{error}"
    );
}

/// The situation the explicit provider is for: with both providers linked and none installed,
/// rustls's own default configuration panics.
fn both_providers_leave_rustls_without_a_default() {
    // Deprecated upstream (no post-quantum key exchange), which is why the generated crate no
    // longer offers it; a consumer's program may still link it.
    #[allow(deprecated)]
    let _ring = rustls::crypto::ring::default_provider();
    let _aws_lc_rs = rustls::crypto::aws_lc_rs::default_provider();
    assert!(CryptoProvider::get_default().is_none());
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let ambiguous = std::panic::catch_unwind(rustls::ClientConfig::builder);
    std::panic::set_hook(quiet);
    assert!(
        ambiguous.is_err(),
        "rustls picked a default provider although both are linked"
    );
}

async fn default_client_completes_https_request(url: &str) {
    let client = stytch_b2b::Client::builder("project-test-tls", "secret-tls")
        .base_url(url)
        .max_retries(0)
        .build()
        .expect("the default TLS setup builds with both providers linked");
    send(&client, url).await;
    assert!(
        CryptoProvider::get_default().is_none(),
        "a default was installed"
    );
}

/// A caller's own reqwest client, started from the crate's TLS setup, passed to `http_client`.
async fn own_http_client_from_the_crates_tls_setup(url: &str) {
    let http = stytch_b2b::ClientBuilder::http_client_builder()
        .expect("the crate's TLS setup")
        .pool_max_idle_per_host(1)
        .build()
        .expect("a reqwest client");
    let client = stytch_b2b::Client::builder("project-test-tls", "secret-tls")
        .base_url(url)
        .max_retries(0)
        .http_client(http)
        .build()
        .expect("a client with the caller's reqwest client");
    send(&client, url).await;
}

async fn send(client: &stytch_b2b::Client, url: &str) {
    let body = client
        .organizations()
        .connected_apps("org-1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("an HTTPS request to {url} failed: {e:?}"));
    assert_eq!(body.request_id, "req-tls");
}

/// Serves HTTPS on 127.0.0.1 with the test certificate (signed by `ca.pem`) and `provider`,
/// one request per connection, and returns the base URL.
fn https_server(certs: &Path, provider: CryptoProvider, answer: Answer) -> String {
    let chain = CertificateDer::pem_file_iter(certs.join("server.pem"))
        .expect("tests/tls/server.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("a PEM certificate");
    let key = PrivateKeyDer::from_pem_file(certs.join("server.key")).expect("tests/tls/server.key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("the test certificate and key");
    let config = Arc::new(config);
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("binding 127.0.0.1:0");
    let url = format!("https://{}", listener.local_addr().expect("local address"));
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            serve_one(tcp.expect("a connection"), config.clone(), &answer);
        }
    });
    url
}

fn serve_one(tcp: TcpStream, config: Arc<rustls::ServerConfig>, answer: &Answer) {
    let tls = rustls::ServerConnection::new(config).expect("a TLS session");
    let mut stream = BufReader::new(rustls::StreamOwned::new(tls, tcp));
    let mut line = String::new();
    // The request head; a GET has no body. A client that cannot complete the handshake ends
    // here with an error, and its request fails.
    loop {
        match stream.read_line(&mut line) {
            Ok(n) if n > 2 => line.clear(),
            Ok(_) => break,
            Err(_) => return,
        }
    }
    let stream = stream.get_mut();
    let written = match answer {
        Answer::Ok => write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{BODY}",
            BODY.len()
        ),
        Answer::Redirect(location) => write!(
            stream,
            "HTTP/1.1 301 Moved Permanently\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        ),
    };
    written
        .and_then(|()| stream.flush())
        .expect("writing the response");
    stream.conn.send_close_notify();
    let _ = stream.flush();
}
