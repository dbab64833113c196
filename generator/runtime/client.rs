//! The client, its builder and the send loop (auth, timeouts, retries).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::error::{Error, InvalidRequest, TransportError};
use super::request::{check_header_value, Request, RequestBody};
use super::response::RawResponse;
use super::retry;
use super::secret::Secret;
use super::tls;

/// Default limit for a whole request: connecting, sending and reading the full response.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit for establishing a connection (TCP and TLS).
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of retries after the first attempt.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A credential for one security scheme of the API.
#[derive(Clone)]
pub(crate) enum Credential {
    Basic {
        username: String,
        password: Secret,
    },
    Bearer(Secret),
    ApiKey {
        location: KeyLocation,
        name: &'static str,
        value: Secret,
    },
}

/// Where an API key travels.
#[derive(Clone, Copy, Debug)]
pub(crate) enum KeyLocation {
    Header,
    Query,
    Cookie,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"***")
                .finish(),
            Credential::Bearer(_) => f.write_str("Bearer(***)"),
            Credential::ApiKey { location, name, .. } => f
                .debug_struct("ApiKey")
                .field("location", location)
                .field("name", name)
                .field("value", &"***")
                .finish(),
        }
    }
}

struct Config {
    base_url: url::Url,
    http: reqwest::Client,
    timeout: Duration,
    max_retries: u32,
    credentials: Vec<(&'static str, Credential)>,
}

/// The API client. Cheap to clone: clones share one connection pool and one configuration.
#[derive(Clone)]
pub struct Client {
    config: Arc<Config>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&Credential> = self.config.credentials.iter().map(|(_, c)| c).collect();
        f.debug_struct("Client")
            .field("base_url", &self.config.base_url.as_str())
            .field("timeout", &self.config.timeout)
            .field("max_retries", &self.config.max_retries)
            .field("credentials", &schemes)
            .finish()
    }
}

/// Configures a [`Client`]. Created by the `Client::builder` function of the generated crate.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    http: Option<reqwest::Client>,
    credentials: Vec<(&'static str, Credential)>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&Credential> = self.credentials.iter().map(|(_, c)| c).collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("credentials", &schemes)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder with the default settings and `base_url` as the server.
    pub(crate) fn with_base_url(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            http: None,
            credentials: Vec::new(),
        }
    }

    /// Sets the credential of one security scheme, replacing an earlier one.
    pub(crate) fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.retain(|(s, _)| *s != scheme);
        self.credentials.push((scheme, credential));
        self
    }

    /// The server to talk to, such as a custom domain. It must use `https`, except for
    /// loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`), which may use plain `http`
    /// for local testing. Checked by [`ClientBuilder::build`].
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Limit for each attempt of a request, from connecting until the whole response is read
    /// (default 60 s). Requests can override it with `RequestOptions`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit for establishing a connection (default 10 s). Ignored when
    /// [`ClientBuilder::http_client`] supplies the HTTP client: configure that one instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How many times a failed request is retried (default 2; 0 turns retries off).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Uses this `reqwest::Client` (proxies, custom TLS roots, a shared pool) instead of a new one.
    /// Its TLS setup is the caller's: the crate's TLS features then only decide which TLS
    /// backends reqwest is compiled with. [`ClientBuilder::http_client_builder`] starts one with
    /// this crate's TLS setup.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// A `reqwest::ClientBuilder` with this crate's TLS setup, for a client to pass to
    /// [`ClientBuilder::http_client`]: add proxies, default headers or pool settings, build it,
    /// pass it.
    ///
    /// With the default `rustls-ring` feature, a client from `reqwest::Client::builder()`
    /// itself panics when built unless the program installed a process-wide rustls provider
    /// (`rustls::crypto::ring::default_provider().install_default()`, once, in `main`): reqwest
    /// picks no provider on its own except aws-lc-rs. This builder passes ring explicitly. Its
    /// rustls configuration is complete, so reqwest's own TLS options (extra root certificates,
    /// client identities, TLS versions) do not apply to it; for those, install the provider and
    /// start from `reqwest::Client::builder()`.
    ///
    /// Redirects: followed (at most 10; reqwest drops credentials when one leaves the host),
    /// except `303 See Other`, which answers the call itself (a login's session cookie and
    /// `Location` are on it) and is returned as it is.
    pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
        let redirects = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.status() == reqwest::StatusCode::SEE_OTHER {
                attempt.stop()
            } else if attempt.previous().len() >= 10 {
                attempt.error("more than 10 redirects")
            } else {
                attempt.follow()
            }
        });
        tls::configure(reqwest::Client::builder().redirect(redirects))
    }

    /// Checks the configuration and creates the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(&self.base_url)?;
        let http = match self.http {
            Some(http) => http,
            None => {
                if tls::BACKEND.is_none() && base_url.scheme() == "https" {
                    return Err(Error::Config(
                        "this build has no TLS: enable one of the crate's features rustls-ring, \
                         rustls-aws-lc-rs or native-tls, or pass a reqwest client with \
                         ClientBuilder::http_client"
                            .into(),
                    ));
                }
                Self::http_client_builder()?
                    .connect_timeout(self.connect_timeout)
                    .build()
                    .map_err(|e| {
                        let tls = tls::BACKEND.unwrap_or("no TLS");
                        Error::Config(format!("cannot create the HTTP client ({tls}): {e}"))
                    })?
            }
        };
        Ok(Client {
            config: Arc::new(Config {
                base_url,
                http,
                timeout: self.timeout,
                max_retries: self.max_retries,
                credentials: self.credentials,
            }),
        })
    }
}

fn parse_base_url(text: &str) -> Result<url::Url, Error> {
    if text.is_empty() {
        return Err(Error::Config(
            "no base URL: the API description names no absolute server URL; set one with ClientBuilder::base_url".into(),
        ));
    }
    let mut url = url::Url::parse(text)
        .map_err(|e| Error::Config(format!("base URL `{text}` is not a valid URL: {e}")))?;
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(Error::Config(format!("base URL `{text}` has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "base URL must not carry credentials; use the client's credential arguments".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "base URL `{text}` must not have a query or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "base URL `{text}` uses plain http, which would send credentials unencrypted; \
                 use https (plain http is allowed only for localhost and loopback addresses)"
            )))
        }
        other => {
            return Err(Error::Config(format!(
                "base URL `{text}` has scheme `{other}`; use https"
            )))
        }
    }
    // Operation paths start with `/`, so the base keeps no trailing slash.
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Settings for one request, set through the request builder's methods
/// (`timeout`, `max_retries`, `header`).
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    // Values are kept as secrets: an extra header is often an authorization of some kind.
    pub(crate) headers: Vec<(String, Secret)>,
}

impl Client {
    /// Sends `request` with the client's credentials, retrying as the retry policy allows,
    /// and reads the whole response.
    pub(crate) async fn execute(
        &self,
        request: Request,
        options: RequestOptions,
    ) -> Result<RawResponse, Error> {
        match self.attempts(request, options, false).await? {
            Outcome::Read(raw) => Ok(raw),
            // Not returned unless asked for; read whole all the same.
            Outcome::Live(response) => read_response(response)
                .await
                .map_err(|e| Error::Connection(TransportError::new(e.without_url(), 1))),
        }
    }

    /// Like [`Client::execute`], but a success response is returned before its body is read,
    /// for reading as a stream: retries apply until a success status arrives, never after
    /// its first byte. Other statuses are read whole, as errors are.
    pub(crate) async fn execute_streaming(
        &self,
        request: Request,
        options: RequestOptions,
    ) -> Result<Result<reqwest::Response, RawResponse>, Error> {
        Ok(match self.attempts(request, options, true).await? {
            Outcome::Read(raw) => Err(raw),
            Outcome::Live(response) => Ok(response),
        })
    }

    async fn attempts(
        &self,
        request: Request,
        options: RequestOptions,
        stream: bool,
    ) -> Result<Outcome, Error> {
        let config = &*self.config;
        let mut request = request;
        // Everything is checked before anything is sent: a refused request sends nothing.
        for (name, value) in &options.headers {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::InvalidRequest(InvalidRequest::new(format!(
                    "extra header name `{}` is not a valid HTTP header name",
                    name.escape_debug()
                )))
            })?;
            let value = check_header_value(name, value.expose(), true)?;
            request.headers.append(header, value);
        }
        self.apply_credentials(&mut request)?;
        let url = request.url(&config.base_url)?;
        let mut headers = std::mem::take(&mut request.headers);
        headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static(USER_AGENT),
        );
        if let Some(content_type) = &request.content_type {
            headers.insert(reqwest::header::CONTENT_TYPE, content_type.clone());
        }
        let timeout = options.timeout.unwrap_or(config.timeout);
        let max_retries = options.max_retries.unwrap_or(config.max_retries);
        let idempotent = retry::is_idempotent(&request.method);
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut streamed = false;
        loop {
            attempt += 1;
            let mut builder = config
                .http
                .request(request.method.clone(), url.clone())
                .headers(headers.clone())
                .timeout(timeout);
            if let Some(RequestBody::Bytes(body)) = &request.body {
                builder = builder.body(body.clone());
            } else if let Some(RequestBody::Stream(body)) = request.body.take() {
                builder = builder.body(body);
                // A stream cannot be replayed: this is the only attempt.
                streamed = true;
            }
            let outcome = match builder.send().await {
                Ok(response) if stream && response.status().is_success() => {
                    log_attempt(&request, attempt, Some(response.status().as_u16()), started);
                    return Ok(Outcome::Live(response));
                }
                Ok(response) => read_response(response).await,
                Err(error) => Err(error),
            };
            let retries_left = attempt <= max_retries && !streamed;
            match outcome {
                Ok(raw) => {
                    log_attempt(&request, attempt, Some(raw.status), started);
                    if retries_left && !raw.is_success() {
                        if let Some(delay) =
                            retry::delay_after_status(raw.status, &raw.headers, idempotent, attempt)
                        {
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                    }
                    return Ok(Outcome::Read(raw.with_attempts(attempt)));
                }
                Err(error) => {
                    log_attempt(&request, attempt, None, started);
                    let error = error.without_url();
                    if retries_left {
                        if let Some(delay) = retry::delay_after_error(&error, idempotent, attempt) {
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                    }
                    let transport = TransportError::new(error, attempt);
                    return Err(if transport.is_timeout() {
                        Error::Timeout(transport)
                    } else {
                        Error::Connection(transport)
                    });
                }
            }
        }
    }

    /// Adds the credentials of the first security alternative that this client can satisfy.
    fn apply_credentials(&self, request: &mut Request) -> Result<(), Error> {
        let alternatives = request.security;
        if alternatives.is_empty() {
            return Ok(());
        }
        let lookup = |scheme: &str| {
            self.config
                .credentials
                .iter()
                .find(|(s, _)| *s == scheme)
                .map(|(_, c)| c)
        };
        let Some(chosen) = alternatives
            .iter()
            .find(|alternative| alternative.iter().all(|scheme| lookup(scheme).is_some()))
        else {
            let wanted: Vec<String> = alternatives.iter().map(|a| a.join(" + ")).collect();
            return Err(Error::Config(format!(
                "operation `{}` needs credentials for {}; set them on the ClientBuilder",
                request.template,
                wanted.join(" or ")
            )));
        };
        for scheme in chosen.iter() {
            if let Some(credential) = lookup(scheme) {
                request.authenticate(credential)?;
            }
        }
        Ok(())
    }
}

/// What the attempts of one request came to.
enum Outcome {
    /// A response read whole.
    Read(RawResponse),
    /// A success response whose body is still to be read.
    Live(reqwest::Response),
}

async fn read_response(response: reqwest::Response) -> Result<RawResponse, reqwest::Error> {
    let status = response.status().as_u16();
    let headers: HeaderMap = response.headers().clone();
    let body = response.bytes().await?;
    // `Vec::from` reuses the buffer when it is not shared: one copy of a large body, not two.
    Ok(RawResponse::new(status, headers, Vec::from(body)))
}

#[allow(unused_variables)]
fn log_attempt(request: &Request, attempt: u32, status: Option<u16>, started: Instant) {
    // Only the method, the path template (never the filled-in path, which can carry
    // identifiers) and numbers are logged: never a header, a query value or a body.
    #[cfg(feature = "tracing")]
    tracing::debug!(
        method = %request.method,
        path = request.template,
        status = status.map(u32::from),
        attempt,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "http attempt"
    );
}
