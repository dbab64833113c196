//! OAuth 2 access tokens: the client credentials grant (RFC 6749, section 4.4), tokens from a
//! source of the caller's own, and the cache that shares one token between every call.
//!
//! A client built with [`ClientCredentials`] asks the token endpoint for a token the first
//! time a call needs one, keeps it, and asks again shortly before it expires (`expires_in`
//! minus [`ClientCredentials::renew_before`]); a token the endpoint gives without
//! `expires_in` is kept until the API answers `401`. Concurrent calls share one token
//! request: a hundred calls on a cold client make one, and so does a renewal under load.
//! A call answered `401` with a cached token drops that token, gets a new one and is sent
//! once more; a second `401` is the call's error.
//!
//! The client secret goes only to the token endpoint and the token only to the API's base
//! URL origin: a redirect of the token request to another origin is refused, and the API's
//! redirect rules strip the token as they strip every credential. A token endpoint on plain
//! `http` is refused unless it is a loopback address.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

pub use super::error::TokenError;
use super::error::{loggable_text, Error};
use super::secret::Secret;

/// The largest token response read, in bytes: a token document is small, and a larger one
/// is refused without reading more.
pub(crate) const MAX_TOKEN_RESPONSE: u64 = 64 * 1024;
/// The longest lifetime taken from `expires_in`: a larger value (up to `u64::MAX` seconds)
/// counts as this, so no instant overflows.
const MAX_LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);
/// How long before its expiry a token is renewed, unless [`ClientCredentials::renew_before`]
/// says otherwise.
const DEFAULT_RENEW_BEFORE: Duration = Duration::from_secs(30);
/// How much of the token endpoint's error texts is shown.
const TEXT_LIMIT: usize = 256;

/// An access token, with how long it stays valid when known.
#[derive(Clone, Debug)]
pub struct AccessToken {
    token: Secret,
    expires_in: Option<Duration>,
}

impl AccessToken {
    /// A token with no known expiry: it is used until the API answers `401`.
    pub fn new(token: impl Into<Secret>) -> Self {
        AccessToken {
            token: token.into(),
            expires_in: None,
        }
    }

    /// How long from now the token stays valid; the client renews it shortly before.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// The token itself.
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// How long the token was valid when it was issued, when known.
    pub fn lifetime(&self) -> Option<Duration> {
        self.expires_in
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>>;

/// A source of access tokens of the caller's own: tokens from an authorization code flow, a
/// refresh-token grant, a vault or another process. The client calls [`TokenProvider::token`]
/// when it has no valid token, one call at a time, keeps the token until it expires (or until
/// the API answers `401`), and sends it as a bearer token.
///
/// The consumer guide's "OAuth 2" section has an example.
pub trait TokenProvider: Send + Sync + 'static {
    /// A new token. An error is the error of every call waiting for it.
    fn token(&self) -> TokenFuture<'_>;
}

/// A client id and secret for the OAuth 2 client credentials grant, and how to use them.
///
/// By default the secret is sent as HTTP Basic credentials (`client_secret_basic`), the token
/// asks for the scopes the API description names for the scheme's operations, and it is
/// renewed 30 seconds before it expires.
#[derive(Clone)]
pub struct ClientCredentials {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) scopes: Option<Vec<String>>,
    pub(crate) secret_in_body: bool,
    pub(crate) renew_before: Duration,
    pub(crate) token_url: Option<String>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("client_secret_post", &self.secret_in_body)
            .field("renew_before", &self.renew_before)
            .field("token_url", &self.token_url)
            .finish()
    }
}

impl ClientCredentials {
    /// The client's id and secret, as the authorization server issued them.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        ClientCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: None,
            secret_in_body: false,
            renew_before: DEFAULT_RENEW_BEFORE,
            token_url: None,
        }
    }

    /// The scopes to ask for, instead of those the API description names (none: the
    /// authorization server's default).
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Sends the id and secret in the token request's form body (`client_secret_post`)
    /// instead of as HTTP Basic credentials.
    pub fn client_secret_post(mut self) -> Self {
        self.secret_in_body = true;
        self
    }

    /// How long before its expiry a token is renewed (default 30 s; at most half of the
    /// token's lifetime is used, so a short-lived token is not renewed on every call).
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
        self
    }

    /// The token endpoint, instead of the API description's `tokenUrl` (a relative URL is
    /// resolved against the client's base URL). It must use `https`, except on loopback.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }
}

/// Where a client's tokens come from.
#[derive(Clone)]
pub(crate) enum Source {
    /// The client credentials grant at a token URL (resolved by [`Tokens::resolve`]).
    Grant {
        credentials: ClientCredentials,
        /// `tokenUrl` as the description gives it, perhaps relative.
        described_url: &'static str,
        /// The scopes the description names for the scheme's operations.
        described_scopes: &'static [&'static str],
    },
    Provider(Arc<dyn TokenProvider>),
}

/// A token source with its cache: one per client (clones share it).
pub(crate) struct Tokens {
    pub(crate) source: Source,
    /// The token endpoint, resolved against the base URL when the client is built.
    pub(crate) token_url: Option<url::Url>,
    state: Mutex<State>,
    /// Held while a token is being fetched: one fetch at a time.
    fetching: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    current: Option<Current>,
    /// How many fetches have ended; a call that waited for another's fetch tells by this
    /// whether that fetch ended while it waited.
    fetches: u64,
    /// How the last fetch failed, for the calls that waited for it.
    failure: Option<TokenError>,
}

struct Current {
    token: Secret,
    /// When to get a new one; none for a token without `expires_in`.
    renew_at: Option<Instant>,
    /// Which fetch gave it, so that a `401` drops only the token it was answered for.
    id: u64,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Grant {
                credentials,
                described_url,
                ..
            } => f
                .debug_struct("OAuth2ClientCredentials")
                .field(
                    "token_url",
                    &credentials.token_url.as_deref().unwrap_or(described_url),
                )
                .field("client_id", &credentials.client_id)
                .field("client_secret", &"***")
                .finish(),
            Source::Provider(_) => f.write_str("OAuth2TokenProvider"),
        }
    }
}

impl Tokens {
    pub(crate) fn new(source: Source) -> Self {
        Tokens {
            source,
            token_url: None,
            state: Mutex::new(State::default()),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// A fresh cache for a new client, with its token endpoint (checked by the client).
    pub(crate) fn with_url(&self, token_url: Option<url::Url>) -> Tokens {
        let mut tokens = Tokens::new(self.source.clone());
        tokens.token_url = token_url;
        tokens
    }

    /// The token URL as given: the credentials' own, else the description's.
    pub(crate) fn token_url_text(&self) -> Option<&str> {
        match &self.source {
            Source::Grant {
                credentials,
                described_url,
                ..
            } => Some(credentials.token_url.as_deref().unwrap_or(described_url)),
            Source::Provider(_) => None,
        }
    }

    /// A valid token and the id of the fetch that gave it, fetched with `fetch` when none is
    /// cached. Concurrent callers share one fetch, and its failure.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<(Secret, u64), Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<AccessToken, Error>>,
    {
        let seen = {
            let state = self.lock();
            if let Some(current) = state.fresh() {
                return Ok(current);
            }
            state.fetches
        };
        let _fetching = self.fetching.lock().await;
        {
            let state = self.lock();
            if let Some(current) = state.fresh() {
                return Ok(current);
            }
            if state.fetches != seen {
                if let Some(failure) = &state.failure {
                    return Err(Error::Token(Box::new(failure.clone())));
                }
            }
        }
        let result = fetch().await;
        let mut state = self.lock();
        state.fetches += 1;
        match result {
            Ok(token) => {
                let id = state.fetches;
                let renew_at = token.expires_in.map(|lifetime| {
                    let lifetime = lifetime.min(MAX_LIFETIME);
                    let margin = self.renew_before().min(lifetime / 2);
                    Instant::now() + (lifetime - margin)
                });
                state.current = Some(Current {
                    token: token.token.clone(),
                    renew_at,
                    id,
                });
                state.failure = None;
                Ok((token.token, id))
            }
            Err(error) => {
                state.current = None;
                state.failure = Some(match &error {
                    Error::Token(e) => (**e).clone(),
                    other => TokenError::new(
                        "(token provider)",
                        loggable_text(&other.to_string(), TEXT_LIMIT, false),
                    ),
                });
                Err(error)
            }
        }
    }

    /// Drops the token of fetch `id` after the API refused it; a newer token stays.
    pub(crate) fn refused(&self, id: u64) {
        let mut state = self.lock();
        if state.current.as_ref().is_some_and(|c| c.id == id) {
            state.current = None;
        }
    }

    fn renew_before(&self) -> Duration {
        match &self.source {
            Source::Grant { credentials, .. } => credentials.renew_before,
            Source::Provider(_) => DEFAULT_RENEW_BEFORE,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    fn fresh(&self) -> Option<(Secret, u64)> {
        let current = self.current.as_ref()?;
        if current.renew_at.is_some_and(|at| Instant::now() >= at) {
            return None;
        }
        Some((current.token.clone(), current.id))
    }
}

/// The form body of a client credentials token request, and the `id:secret` pair of its HTTP
/// Basic credentials (`client_secret_basic`), each form-encoded first as RFC 6749 (section
/// 2.3.1) says, unless the secret goes in the body.
pub(crate) fn grant_request(
    credentials: &ClientCredentials,
    described_scopes: &[&str],
) -> (String, Option<Secret>) {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "client_credentials");
    let scopes: Vec<&str> = match &credentials.scopes {
        Some(scopes) => scopes.iter().map(String::as_str).collect(),
        None => described_scopes.to_vec(),
    };
    if !scopes.is_empty() {
        form.append_pair("scope", &scopes.join(" "));
    }
    let authorization = if credentials.secret_in_body {
        form.append_pair("client_id", &credentials.client_id);
        form.append_pair("client_secret", credentials.client_secret.expose());
        None
    } else {
        let encode =
            |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let pair = format!(
            "{}:{}",
            encode(&credentials.client_id),
            encode(credentials.client_secret.expose())
        );
        Some(Secret::new(pair))
    };
    (form.finish(), authorization)
}

/// Reads a token endpoint's answer: a token from a `2xx` JSON document with `access_token`
/// (and `token_type` `Bearer` when given), or the RFC 6749 error it gives.
pub(crate) fn read_token_response(
    origin: &str,
    status: u16,
    body: &[u8],
) -> Result<AccessToken, TokenError> {
    let document: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let text = |key: &str| {
        document
            .as_ref()
            .and_then(|d| d.get(key))
            .and_then(serde_json::Value::as_str)
            .map(|s| loggable_text(s, TEXT_LIMIT, false))
    };
    if !(200..300).contains(&status) {
        let mut error = TokenError::new(origin, "the token request was refused");
        error.status = Some(status);
        error.code = text("error");
        error.description = text("error_description");
        return Err(error);
    }
    let malformed = |what: &str| {
        let mut error = TokenError::new(origin, format!("the token response {what}"));
        error.status = Some(status);
        error
    };
    let Some(document) = document else {
        return Err(malformed("is not JSON"));
    };
    let Some(token) = document
        .get("access_token")
        .and_then(serde_json::Value::as_str)
    else {
        return Err(malformed("has no `access_token` string"));
    };
    if token.is_empty() || token.bytes().any(|b| b < 0x21 || b == 0x7f) {
        return Err(malformed(
            "has an `access_token` that cannot be sent in a header",
        ));
    }
    match document.get("token_type") {
        None => {}
        Some(serde_json::Value::String(kind)) if kind.eq_ignore_ascii_case("bearer") => {}
        Some(_) => return Err(malformed("has a `token_type` other than `Bearer`")),
    }
    // A number of seconds; some servers send it as a string. Anything else is no expiry.
    let expires_in = match document.get("expires_in") {
        Some(serde_json::Value::Number(n)) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| *f >= 0.0)
                .map(|f| f.min(u64::MAX as f64) as u64)
        }),
        Some(serde_json::Value::String(s)) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    let mut access = AccessToken::new(token);
    if let Some(seconds) = expires_in {
        access = access.expires_in(Duration::from_secs(seconds).min(MAX_LIFETIME));
    }
    Ok(access)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_encoded_first() {
        let credentials = ClientCredentials::new("id:1", "s&cret");
        let (form, authorization) = grant_request(&credentials, &["read", "write"]);
        assert_eq!(form, "grant_type=client_credentials&scope=read+write");
        assert_eq!(
            authorization.as_ref().map(Secret::expose),
            Some("id%3A1:s%26cret")
        );
        let (form, authorization) = grant_request(
            &credentials.clone().client_secret_post().scopes(["x"]),
            &["read"],
        );
        assert_eq!(
            form,
            "grant_type=client_credentials&scope=x&client_id=id%3A1&client_secret=s%26cret"
        );
        assert!(authorization.is_none());
    }

    #[test]
    fn token_responses_are_read_strictly_and_bounded() {
        let ok = read_token_response(
            "o",
            200,
            br#"{"access_token":"t","token_type":"bearer","expires_in":"60"}"#,
        )
        .unwrap();
        assert_eq!(ok.lifetime(), Some(Duration::from_secs(60)));
        let huge = read_token_response(
            "o",
            200,
            br#"{"access_token":"t","expires_in":18446744073709551615}"#,
        )
        .unwrap();
        assert_eq!(huge.lifetime(), Some(MAX_LIFETIME));
        let float =
            read_token_response("o", 200, br#"{"access_token":"t","expires_in":1e300}"#).unwrap();
        assert_eq!(float.lifetime(), Some(MAX_LIFETIME));
        for bad in [
            &b"not json"[..],
            br#"{"token":"t"}"#,
            br#"{"access_token":"a\r\nb"}"#,
            br#"{"access_token":"t","token_type":"mac"}"#,
        ] {
            assert!(read_token_response("o", 200, bad).is_err());
        }
        let refused = read_token_response(
            "https://auth",
            401,
            b"{\"error\":\"invalid_client\",\"error_description\":\"bad\\u001b[31m\"}",
        )
        .unwrap_err();
        assert_eq!(refused.code(), Some("invalid_client"));
        assert_eq!(refused.description(), Some("bad\\u{1b}[31m"));
        assert!(refused.to_string().contains("https://auth"));
    }
}
