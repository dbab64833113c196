//! The client, its builder and the send loop (auth, timeouts, retries).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::body::RequestBody;
use super::config::{
    Credential, Limits, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
    ERROR_BODY_PREFIX, MAX_REDIRECTS,
};
use super::error::{
    redacted_url, Cause, Error, InvalidRequest, LimitExceeded, RedirectError, TransportError,
};
use super::hooks::{AfterAttempt, AfterHook, BeforeAttempt, BeforeHook};
use super::oauth2::{self, AccessToken, Source, TokenError, Tokens};
use super::request::{base64, check_header_value, Request};
use super::response::RawResponse;
use super::retry;
use super::secret::Secret;
use super::streaming::Live;
use super::tls;

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

struct Config {
    base_url: url::Url,
    http: reqwest::Client,
    timeout: Duration,
    max_retries: u32,
    backoff: retry::Backoff,
    credentials: Vec<(&'static str, Credential)>,
    limits: Limits,
    max_redirects: usize,
    before: Vec<BeforeHook>,
    after: Vec<AfterHook>,
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
            .field("backoff", &self.config.backoff)
            .field("limits", &self.config.limits)
            .field("max_redirects", &self.config.max_redirects)
            .field(
                "hooks",
                &(self.config.before.len() + self.config.after.len()),
            )
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
    backoff: retry::Backoff,
    http: Option<reqwest::Client>,
    credentials: Vec<(&'static str, Credential)>,
    limits: Limits,
    max_redirects: usize,
    before: Vec<BeforeHook>,
    after: Vec<AfterHook>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&Credential> = self.credentials.iter().map(|(_, c)| c).collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &shown_base_url(&self.base_url))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("backoff", &self.backoff)
            .field("limits", &self.limits)
            .field("max_redirects", &self.max_redirects)
            .field("hooks", &(self.before.len() + self.after.len()))
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
            backoff: retry::Backoff::default(),
            http: None,
            credentials: Vec::new(),
            limits: Limits::default(),
            max_redirects: MAX_REDIRECTS,
            before: Vec::new(),
            after: Vec::new(),
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
    /// for local testing, and carry no user name, password, query or fragment. Checked by
    /// [`ClientBuilder::build`]. A client with a loopback base URL uses no proxy from the
    /// environment (`HTTP_PROXY`, `ALL_PROXY`, ...): a local server is reached directly.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Limit for each attempt of a request, from connecting until the whole response is read
    /// (default 60 s), redirects included. For a body read as a stream (`send_stream()`,
    /// events) it ends when the response headers arrive; [`ClientBuilder::idle_timeout`] and
    /// [`ClientBuilder::stream_timeout`] apply to the body. Requests can override it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Adds a hook that runs before each attempt of every request (a retry is an attempt of
    /// its own), after the client's headers and credentials are set: it may add or change
    /// headers, to propagate trace context for example. It sees no secret in clear (see
    /// `hooks::BeforeAttempt`). Hooks run in the order they were added.
    pub fn before_attempt(
        mut self,
        hook: impl Fn(&mut super::hooks::BeforeAttempt<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.before.push(Arc::new(hook));
        self
    }

    /// Adds a hook that runs after each attempt of every request, with its status, response
    /// headers and timing, or what went wrong (see `hooks::AfterAttempt`). For a streamed
    /// body it runs when the response headers arrive.
    pub fn after_attempt(
        mut self,
        hook: impl Fn(&super::hooks::AfterAttempt<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.after.push(Arc::new(hook));
        self
    }

    /// How many redirects in a row are followed (default 10; more is [`Error::Redirect`]).
    /// With 0, no redirect is followed: a `3xx` response is the answer, as the operation
    /// reads it (a documented redirect is its success; another is an `Error::Api`).
    pub fn max_redirects(mut self, max_redirects: usize) -> Self {
        self.max_redirects = max_redirects;
        self
    }

    /// The largest response body read whole, in bytes (default 64 MiB). A larger one ends the
    /// request with [`Error::LimitExceeded`] without reading more; `send_stream()` reads a
    /// body of any size. Of an error response only the first 1 MiB at most is read (enough
    /// for any error document), then the connection is closed. Requests can override it.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.limits.max_body_size = bytes;
        self
    }

    /// The longest line, and the most data of one event, of a server-sent event stream, in
    /// bytes (default 1 MiB). Past it the stream ends with an [`Error::LimitExceeded`] item.
    /// Comment lines are skipped without being kept, whatever their length.
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.limits.max_event_size = bytes;
        self
    }

    /// The longest pause in a streamed body (`send_stream()`, events): no bytes for this long
    /// ends the stream with an [`Error::Timeout`] item (default 60 s). Requests can override it.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// A limit for the whole of a streamed body, from when its headers arrive (default: none,
    /// a stream that keeps sending may run as long as it does). Requests can override it.
    pub fn stream_timeout(mut self, timeout: Duration) -> Self {
        self.limits.stream_timeout = Some(timeout);
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

    /// The wait before a retry when the server gives no `Retry-After`: `base × 2^(n-1)` before
    /// the n-th retry, at most `max`, then a random point between half of it and all of it
    /// (default 0.5 s and 8 s). `Duration::ZERO` for both retries at once, for tests against a
    /// mock; a `Retry-After` the server sends is still waited as sent.
    pub fn retry_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff = retry::Backoff { base, max };
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
    /// This builder passes the selected rustls provider explicitly (with `rustls-graviola`, a
    /// client from `reqwest::Client::builder()` itself would panic when built unless the
    /// program installed a process-wide provider first: reqwest picks none on its own except
    /// aws-lc-rs). Its rustls configuration is complete, so reqwest's own TLS options (extra
    /// root certificates, client identities, TLS versions) do not apply to it; for those,
    /// start from `reqwest::Client::builder()` and keep redirects off (below).
    ///
    /// The builder follows no redirect itself (`redirect::Policy::none()`): the client
    /// follows them, so that credentials stay with the base URL's origin (see the crate's
    /// "Redirects" docs). A reqwest client of your own must not follow redirects either, or
    /// reqwest would carry every header but `Authorization` and `Cookie` to another host:
    /// keep the policy this builder sets.
    pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
        tls::configure(reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()))
    }

    /// Checks the configuration and creates the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(&self.base_url)?;
        // Each client gets its own token cache, with the token URL resolved against its base.
        let credentials = self
            .credentials
            .into_iter()
            .map(|(scheme, credential)| {
                Ok((
                    scheme,
                    match credential {
                        Credential::OAuth2(tokens) => {
                            let url = match tokens.token_url_text() {
                                Some(text) => Some(token_url(&base_url, text)?),
                                None => None,
                            };
                            Credential::OAuth2(Arc::new(tokens.with_url(url)))
                        }
                        other => other,
                    },
                ))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let http = match self.http {
            Some(http) => http,
            None => {
                if tls::BACKEND.is_none() && base_url.scheme() == "https" {
                    return Err(Error::Config(
                        "this build has no TLS: enable one of the crate's features \
                         rustls-aws-lc-rs, rustls-graviola or native-tls, or pass a reqwest \
                         client with ClientBuilder::http_client"
                            .into(),
                    ));
                }
                let mut http = Self::http_client_builder()?.connect_timeout(self.connect_timeout);
                if is_loopback(&base_url) {
                    // A proxy from the environment is meant for the network: sent through it,
                    // a plain-http request to a local server would carry its credentials in
                    // clear to the proxy, and never reach the server.
                    http = http.no_proxy();
                }
                http.build().map_err(|e| {
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
                backoff: self.backoff,
                credentials,
                limits: self.limits,
                max_redirects: self.max_redirects,
                before: self.before,
                after: self.after,
            }),
        })
    }
}

/// The base URL as `Debug` shows it: as the client will use it when it is valid, else its
/// origin only (a user name, a password, a query or a fragment may hold a secret).
fn shown_base_url(text: &str) -> String {
    match parse_base_url(text) {
        Ok(url) => url.as_str().to_owned(),
        Err(_) if text.is_empty() => String::new(),
        Err(_) => format!("{} (not valid)", redacted_url(text)),
    }
}

/// Checks a base URL. The errors name what is wrong and show the URL's origin at most: the
/// text itself may hold a password, an API key in the query, or a token.
fn parse_base_url(text: &str) -> Result<url::Url, Error> {
    if text.is_empty() {
        return Err(Error::Config(
            "no base URL: the API description names no absolute server URL; set one with ClientBuilder::base_url".into(),
        ));
    }
    let mut url = url::Url::parse(text)
        .map_err(|e| Error::Config(format!("the base URL is not a valid URL: {e}")))?;
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(Error::Config(format!(
            "the base URL (scheme `{}`) has no host",
            url.scheme()
        )));
    }
    let origin = url.origin().ascii_serialization();
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(format!(
            "the base URL {origin} must not carry credentials (a user name or password); use \
             the client's credential arguments"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "the base URL {origin} must not have a query or fragment (not shown here: it may \
             hold a secret)"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "the base URL {origin} uses plain http, which would send credentials \
                 unencrypted; use https (plain http is allowed only for localhost and loopback \
                 addresses)"
            )))
        }
        other => {
            return Err(Error::Config(format!(
                "the base URL has scheme `{other}`; use https"
            )))
        }
    }
    // Operation paths start with `/`, so the base keeps no trailing slash.
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

/// A token URL resolved against the base URL and checked: `https`, or plain `http` on
/// loopback only, and no user name, password or fragment.
fn token_url(base: &url::Url, text: &str) -> Result<url::Url, Error> {
    let url = base
        .join(text)
        .map_err(|e| Error::Config(format!("the OAuth 2 token URL is not a valid URL: {e}")))?;
    let origin = url.origin().ascii_serialization();
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "the OAuth 2 token URL {origin} must not carry a user name, password or fragment"
        )));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        scheme => Err(Error::Config(format!(
            "the OAuth 2 token URL {origin} uses `{scheme}`, which would send the client \
             secret unencrypted; use https (plain http is allowed only for loopback addresses)"
        ))),
    }
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
/// (`timeout`, `max_retries`, `header`, `max_body_size`, `idle_timeout`, `stream_timeout`).
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) max_body_size: Option<u64>,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) stream_timeout: Option<Duration>,
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
            // Only returned when asked for.
            Outcome::Live(_) => unreachable!("a live response is returned only to streams"),
        }
    }

    /// Like [`Client::execute`], but a success response is returned before its body is read,
    /// for reading as a stream: retries apply until a success status arrives, never after
    /// its first byte. Other statuses are read (a bounded prefix), as errors are.
    pub(crate) async fn execute_streaming(
        &self,
        request: Request,
        options: RequestOptions,
    ) -> Result<Result<Live, RawResponse>, Error> {
        Ok(match self.attempts(request, options, true).await? {
            Outcome::Read(raw) => Err(raw),
            Outcome::Live(live) => Ok(live),
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
        let token_sources = self.apply_credentials(&mut request)?;
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
        let limits = Limits {
            max_body_size: options.max_body_size.unwrap_or(config.limits.max_body_size),
            max_event_size: config.limits.max_event_size,
            idle_timeout: options.idle_timeout.unwrap_or(config.limits.idle_timeout),
            stream_timeout: options.stream_timeout.or(config.limits.stream_timeout),
        };
        let idempotent = retry::is_idempotent(&request.method);
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut streamed = false;
        // Whether a `401` already made the request go again with a new token: once only.
        let mut reauthorized = false;
        // Bytes are shared by every attempt and redirect without a copy.
        let (bytes, mut stream_body) = match request.body.take() {
            Some(RequestBody::Bytes(body)) => (Some(bytes::Bytes::from(body)), None),
            Some(RequestBody::Stream(body)) => (None, Some(body)),
            None => (None, None),
        };
        loop {
            attempt += 1;
            let body = match (&bytes, stream_body.take()) {
                (Some(bytes), _) => Some(HopBody::Bytes(bytes.clone())),
                (None, Some(stream)) => {
                    // A stream cannot be replayed: this is the only attempt.
                    streamed = true;
                    Some(HopBody::Stream(stream))
                }
                (None, None) => None,
            };
            let attempt_started = Instant::now();
            let mut attempt_headers = headers.clone();
            // OAuth 2 tokens are got per attempt: a retry after a renewal sends the new one.
            let mut tokens_sent = Vec::with_capacity(token_sources.len());
            for tokens in &token_sources {
                let (token, id) = self.access_token(tokens).await?;
                let value = check_header_value(
                    "authorization",
                    &format!("Bearer {}", token.expose()),
                    true,
                )?;
                attempt_headers.insert(reqwest::header::AUTHORIZATION, value);
                tokens_sent.push((tokens, id));
            }
            for hook in &config.before {
                hook(&mut BeforeAttempt {
                    method: &request.method,
                    template: request.template,
                    path: url.path(),
                    attempt,
                    headers: &mut attempt_headers,
                });
            }
            let hop = Hop {
                method: request.method.clone(),
                url: url.clone(),
                headers: attempt_headers,
                body,
            };
            // One deadline for the attempt: every redirect, and the body unless it is
            // streamed to the caller.
            let sent = tokio::time::timeout(timeout, async {
                let response = self.follow(hop, false).await?;
                if stream && response.status().is_success() {
                    return Ok(Received::Live(response));
                }
                read_limited(response, limits.max_body_size)
                    .await
                    .map(Received::Read)
            })
            .await
            .unwrap_or(Err(Failure::Deadline));
            // The attempt after a `401` with a stale token is not one of the retries.
            let retries_left = attempt - u32::from(reauthorized) <= max_retries && !streamed;
            if !config.after.is_empty() {
                let (status, response_headers, failure) = match &sent {
                    Ok(Received::Live(response)) => (
                        Some(response.status().as_u16()),
                        Some(response.headers()),
                        None,
                    ),
                    Ok(Received::Read(raw)) => (Some(raw.status), Some(&raw.headers), None),
                    Err(failure) => (None, None, Some(failure.summary())),
                };
                for hook in &config.after {
                    hook(&AfterAttempt {
                        method: &request.method,
                        template: request.template,
                        attempt,
                        status,
                        headers: response_headers,
                        elapsed: attempt_started.elapsed(),
                        failure: failure.as_deref(),
                    });
                }
            }
            match sent {
                Ok(Received::Live(response)) => {
                    log_attempt(&request, attempt, Some(response.status().as_u16()), started);
                    let deadline = stream_deadline(limits.stream_timeout);
                    return Ok(Outcome::Live(Live {
                        response,
                        limits,
                        deadline,
                    }));
                }
                Ok(Received::Read(raw)) => {
                    log_attempt(&request, attempt, Some(raw.status), started);
                    if raw.status == 401 && !tokens_sent.is_empty() && !reauthorized && !streamed {
                        // The token may have been revoked or expired early: drop it, get a
                        // new one and go once more.
                        for (tokens, id) in &tokens_sent {
                            tokens.refused(*id);
                        }
                        reauthorized = true;
                        continue;
                    }
                    if retries_left && !raw.is_success() {
                        if let Some(delay) =
                            retry::delay_after_status(
                                raw.status,
                                &raw.headers,
                                idempotent,
                                attempt,
                                config.backoff,
                            )
                        {
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                    }
                    return Ok(Outcome::Read(raw.with_attempts(attempt)));
                }
                Err(failure) => {
                    log_attempt(&request, attempt, None, started);
                    let (connect, transient) = match &failure {
                        Failure::Http(e) => (e.is_connect(), !e.is_builder() && !e.is_redirect()),
                        Failure::Deadline => (false, true),
                        Failure::Redirect(_) | Failure::Limit(_) => (false, false),
                    };
                    if retries_left {
                        if let Some(delay) =
                            retry::delay_after_error(
                                connect,
                                transient,
                                idempotent,
                                attempt,
                                config.backoff,
                            )
                        {
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                    }
                    return Err(failure.into_error(attempt, timeout));
                }
            }
        }
    }

    /// Sends one attempt, following redirects as the crate docs' "Redirects" section says:
    /// `301`, `302`, `307` and `308` are followed (at most `max_redirects`); `303 See Other`
    /// and a redirect without a usable `Location` are returned as they are. Once a redirect
    /// leaves the base URL's origin (scheme, host and port), every credential the client
    /// added is removed for the rest of the chain: `Authorization`, `Cookie`, and every
    /// header marked sensitive (API keys, secret header parameters, extra headers). The next
    /// URL is the `Location` as the server gave it, so a query API key is never copied to it.
    /// A redirect from `https` to plain `http`, or to plain `http` on a host that is not
    /// loopback, is refused.
    ///
    /// A token request (`token_request`) starts at the token URL's origin and never leaves
    /// it: its `Authorization` header or body holds the client secret.
    async fn follow(
        &self,
        mut hop: Hop,
        token_request: bool,
    ) -> Result<reqwest::Response, Failure> {
        let origin = if token_request {
            hop.url.origin()
        } else {
            self.config.base_url.origin()
        };
        let max_redirects = self.config.max_redirects;
        let mut stripped = false;
        for redirects in 0..=max_redirects {
            let mut builder = self
                .config
                .http
                .request(hop.method.clone(), hop.url.clone())
                .headers(hop.headers.clone());
            let mut sent_stream = false;
            match hop.body.take() {
                Some(HopBody::Bytes(body)) => {
                    builder = builder.body(body.clone());
                    hop.body = Some(HopBody::Bytes(body));
                }
                Some(HopBody::Stream(body)) => {
                    builder = builder.body(body);
                    sent_stream = true;
                }
                None => {}
            }
            let response = builder.send().await.map_err(Failure::Http)?;
            let status = response.status().as_u16();
            if !matches!(status, 301 | 302 | 307 | 308) || max_redirects == 0 {
                return Ok(response);
            }
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let Ok(next) = hop.url.join(&location) else {
                return Ok(response);
            };
            if location.is_empty() {
                return Ok(response);
            }
            let refuse = |reason| Failure::Redirect(RedirectError::new(status, &location, reason));
            if redirects == max_redirects {
                return Err(refuse(
                    "more redirects in a row than `max_redirects` allows",
                ));
            }
            match next.scheme() {
                "https" => {}
                "http" if hop.url.scheme() == "https" => {
                    return Err(refuse("it leads from https to plain http"));
                }
                "http" if is_loopback(&next) => {}
                _ => return Err(refuse("it leads to plain http or another scheme")),
            }
            // 301 and 302 turn a POST into a GET without its body, as browsers and reqwest
            // do; 307 and 308 repeat the request as it was.
            if matches!(status, 301 | 302) && hop.method == reqwest::Method::POST {
                hop.method = reqwest::Method::GET;
                hop.body = None;
                hop.headers.remove(reqwest::header::CONTENT_TYPE);
                hop.headers.remove(reqwest::header::CONTENT_LENGTH);
            } else if sent_stream {
                return Err(refuse(
                    "a streamed request body cannot be sent a second time",
                ));
            }
            if token_request && next.origin() != origin {
                return Err(refuse(
                    "it leads to another origin, and the token request carries the client secret",
                ));
            }
            if !stripped && next.origin() != origin {
                strip_credentials(&mut hop.headers);
                stripped = true;
            }
            hop.url = next;
        }
        unreachable!("the loop returns at its last redirect")
    }
    /// Adds the credentials of the first security alternative that this client can satisfy,
    /// and returns its OAuth 2 token sources, whose tokens each attempt adds.
    fn apply_credentials(&self, request: &mut Request) -> Result<Vec<Arc<Tokens>>, Error> {
        let alternatives = request.security;
        let mut token_sources = Vec::new();
        if alternatives.is_empty() {
            return Ok(token_sources);
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
            match lookup(scheme) {
                Some(Credential::OAuth2(tokens)) => token_sources.push(tokens.clone()),
                Some(credential) => request.authenticate(credential)?,
                None => {}
            }
        }
        Ok(token_sources)
    }

    /// A valid token from `tokens`, fetched when none is cached.
    async fn access_token(&self, tokens: &Tokens) -> Result<(Secret, u64), Error> {
        tokens
            .get(|| async {
                match (&tokens.source, &tokens.token_url) {
                    (Source::Provider(provider), _) => provider.token().await,
                    (
                        Source::Grant {
                            credentials,
                            described_scopes,
                            ..
                        },
                        Some(url),
                    ) => self
                        .request_token(url, credentials, described_scopes)
                        .await
                        .map_err(|e| Error::Token(Box::new(e))),
                    (Source::Grant { .. }, None) => Err(Error::Config(
                        "the OAuth 2 token URL was not resolved".into(),
                    )),
                }
            })
            .await
    }

    /// Asks the token endpoint for a token with the client credentials grant, within the
    /// client's timeout, reading at most [`oauth2::MAX_TOKEN_RESPONSE`] bytes. Hooks do not
    /// run for it (its request carries the client secret), and it is not retried: its
    /// failure is the call's.
    async fn request_token(
        &self,
        url: &url::Url,
        credentials: &oauth2::ClientCredentials,
        described_scopes: &[&str],
    ) -> Result<AccessToken, TokenError> {
        use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
        let origin = url.origin().ascii_serialization();
        let (form, authorization) = oauth2::grant_request(credentials, described_scopes);
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static(USER_AGENT),
        );
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(pair) = authorization {
            let authorization = format!("Basic {}", base64(pair.expose().as_bytes()));
            let value =
                check_header_value("authorization", &authorization, true).map_err(|_| {
                    TokenError::new(&origin, "the client id cannot be sent in a header")
                })?;
            headers.insert(AUTHORIZATION, value);
        }
        let hop = Hop {
            method: reqwest::Method::POST,
            url: url.clone(),
            headers,
            body: Some(HopBody::Bytes(bytes::Bytes::from(form))),
        };
        let timeout = self.config.timeout;
        let answer = tokio::time::timeout(timeout, async {
            let response = self.follow(hop, true).await?;
            read_limited(response, oauth2::MAX_TOKEN_RESPONSE).await
        })
        .await
        .unwrap_or(Err(Failure::Deadline));
        match answer {
            Ok(raw) => oauth2::read_token_response(&origin, raw.status, &raw.body),
            Err(Failure::Deadline) => {
                Err(TokenError::new(&origin, format!("no answer within {timeout:?}")).timed_out())
            }
            Err(Failure::Http(e)) if e.is_timeout() => {
                Err(TokenError::new(&origin, "the connection timed out").timed_out())
            }
            Err(Failure::Limit(_)) => Err(TokenError::new(
                &origin,
                format!(
                    "the token response is larger than {} bytes",
                    oauth2::MAX_TOKEN_RESPONSE
                ),
            )),
            Err(failure) => Err(TokenError::new(&origin, failure.summary())),
        }
    }
}

/// What the attempts of one request came to.
enum Outcome {
    /// A response read whole.
    Read(RawResponse),
    /// A success response whose body is still to be read.
    Live(Live),
}

/// What one attempt received.
enum Received {
    Read(RawResponse),
    Live(reqwest::Response),
}

/// One request of an attempt: the first, or one a redirect leads to.
struct Hop {
    method: reqwest::Method,
    url: url::Url,
    headers: HeaderMap,
    body: Option<HopBody>,
}

enum HopBody {
    Bytes(bytes::Bytes),
    Stream(reqwest::Body),
}

/// Why an attempt got no response to return.
enum Failure {
    Http(reqwest::Error),
    /// The attempt's timeout passed.
    Deadline,
    Redirect(RedirectError),
    Limit(LimitExceeded),
}

impl Failure {
    /// What happened, for an after-attempt hook: no URL (its query may hold an API key).
    fn summary(&self) -> String {
        match self {
            Failure::Http(e) if e.is_timeout() => "timed out".into(),
            Failure::Http(e) if e.is_connect() => "could not connect".into(),
            Failure::Http(e) if e.is_builder() => "the request could not be built".into(),
            Failure::Http(_) => "the connection failed".into(),
            Failure::Deadline => "timed out".into(),
            Failure::Redirect(e) => e.to_string(),
            Failure::Limit(e) => e.to_string(),
        }
    }

    fn into_error(self, attempts: u32, timeout: Duration) -> Error {
        match self {
            // A request reqwest could not build was never sent: not a connection failure.
            Failure::Http(e) if e.is_builder() => Error::InvalidRequest(InvalidRequest::new(
                format!("the request could not be built: {}", e.without_url()),
            )),
            Failure::Http(e) => {
                let transport = TransportError::new(e.without_url(), attempts);
                if transport.is_timeout() {
                    Error::Timeout(transport)
                } else {
                    Error::Connection(transport)
                }
            }
            Failure::Deadline => Error::Timeout(TransportError::from_cause(
                Cause::Deadline(timeout),
                attempts,
            )),
            Failure::Redirect(e) => Error::Redirect(e),
            Failure::Limit(e) => Error::LimitExceeded(Box::new(e)),
        }
    }
}

/// Removes every credential the client added from headers bound for another origin.
fn strip_credentials(headers: &mut HeaderMap) {
    use reqwest::header::{AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION};
    let secret: Vec<HeaderName> = headers
        .iter()
        .filter(|(name, value)| {
            value.is_sensitive()
                || *name == AUTHORIZATION
                || *name == COOKIE
                || *name == PROXY_AUTHORIZATION
        })
        .map(|(name, _)| name.clone())
        .collect();
    for name in secret {
        headers.remove(name);
    }
}

/// When a streamed body must have ended, `stream_timeout` from now; a limit too long to add
/// to now (`Duration::MAX`) is no limit.
fn stream_deadline(limit: Option<Duration>) -> Option<tokio::time::Instant> {
    limit.and_then(|limit| tokio::time::Instant::now().checked_add(limit))
}

/// The most a response buffer holds before its bytes arrive, whatever `Content-Length` says.
const INITIAL_BODY_CAPACITY: u64 = 64 * 1024;

/// Reads a response whole, within a limit. A success body larger than `max_body_size` is a
/// [`LimitExceeded`] failure, found from `Content-Length` before anything is read where the
/// server sends it. Of any other status only the first [`ERROR_BODY_PREFIX`] bytes are kept
/// (an error document is short; a cut one is typed as no body and kept as a snippet), and the
/// rest is left unread: dropping the response closes its connection.
async fn read_limited(
    mut response: reqwest::Response,
    max_body_size: u64,
) -> Result<RawResponse, Failure> {
    let status = response.status().as_u16();
    let headers: HeaderMap = response.headers().clone();
    let success = response.status().is_success();
    let limit = if success {
        max_body_size
    } else {
        max_body_size.min(ERROR_BODY_PREFIX)
    };
    let too_large = |headers: &HeaderMap| {
        Failure::Limit(
            LimitExceeded::new("response body", max_body_size, "max_body_size")
                .response(status, headers),
        )
    };
    let announced = response.content_length();
    if success && announced.is_some_and(|n| n > limit) {
        return Err(too_large(&headers));
    }
    // The buffer grows with the bytes that arrive, never with what `Content-Length` promises:
    // a promise of 2^60 bytes would otherwise abort the process before a byte arrived.
    let capacity = announced.unwrap_or(0).min(limit).min(INITIAL_BODY_CAPACITY);
    let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(Failure::Http)? {
        let room = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .saturating_sub(body.len());
        if chunk.len() > room {
            if success {
                return Err(too_large(&headers));
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(RawResponse::new(status, headers, body))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `Duration::MAX` as `stream_timeout` is no deadline, not a panic.
    #[test]
    fn a_stream_timeout_past_any_instant_is_no_deadline() {
        assert!(stream_deadline(Some(Duration::MAX)).is_none());
        assert!(stream_deadline(None).is_none());
        assert!(stream_deadline(Some(Duration::from_secs(5))).is_some());
    }

    /// The builder's `Debug` and the build errors show a base URL's origin at most.
    #[test]
    fn base_url_errors_name_the_problem_without_the_secret() {
        for text in [
            "https://user:hunter2@example.com",
            "https://example.com/?key=hunter2",
            "http://example.com/hunter2",
            "hunter2",
        ] {
            let message = parse_base_url(text).unwrap_err().to_string();
            assert!(!message.contains("hunter2"), "{message}");
            assert!(!shown_base_url(text).contains("hunter2"), "{text}");
        }
        assert_eq!(
            shown_base_url("https://example.com/v1/"),
            "https://example.com/v1"
        );
    }
}
