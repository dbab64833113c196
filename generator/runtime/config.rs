//! What the client's settings and the layers below it share: credentials, the limits of
//! reading a response, and the defaults.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::oauth2::{ClientCredentials, Source, TokenProvider, Tokens};
use super::secret::Secret;

/// Default limit for a whole request: connecting, sending and reading the full response.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit for establishing a connection (TCP and TLS).
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of retries after the first attempt.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default limit for a response body read whole (`send()`): 64 MiB.
pub(crate) const DEFAULT_MAX_BODY_SIZE: u64 = 64 * 1024 * 1024;
/// How much of an error response's body is read: enough for any error document; the rest is
/// not read and the connection is closed.
pub(crate) const ERROR_BODY_PREFIX: u64 = 1024 * 1024;
/// Default limit for one line, and for one event's data, of a server-sent event stream.
pub(crate) const DEFAULT_MAX_EVENT_SIZE: usize = 1024 * 1024;
/// Default limit for a pause in a streamed body (no bytes at all for this long).
pub(crate) const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How many redirects in a row are followed, unless `ClientBuilder::max_redirects` says
/// otherwise.
pub(crate) const MAX_REDIRECTS: usize = 10;

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
    /// OAuth 2 bearer tokens the client gets itself (or from a provider), sent as `Bearer`.
    OAuth2(Arc<Tokens>),
}

impl Credential {
    /// Tokens got with the client credentials grant at the description's `tokenUrl`, asking
    /// for `scopes` unless the credentials name their own.
    pub(crate) fn client_credentials(
        credentials: ClientCredentials,
        token_url: &'static str,
        scopes: &'static [&'static str],
    ) -> Self {
        Credential::OAuth2(Arc::new(Tokens::new(Source::Grant {
            credentials,
            described_url: token_url,
            described_scopes: scopes,
        })))
    }

    /// Tokens from a provider of the caller's own.
    pub(crate) fn token_provider(provider: impl TokenProvider) -> Self {
        Credential::OAuth2(Arc::new(Tokens::new(Source::Provider(Arc::new(provider)))))
    }
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
            Credential::OAuth2(tokens) => tokens.fmt(f),
        }
    }
}

/// The limits of reading a response, from the client and the request's options.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) max_body_size: u64,
    pub(crate) max_event_size: usize,
    pub(crate) idle_timeout: Duration,
    pub(crate) stream_timeout: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            stream_timeout: None,
        }
    }
}
