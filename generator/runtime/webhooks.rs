//! Webhook signatures, checked on the raw bytes of the request, in constant time, with a
//! replay window: Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`),
//! GitHub's `X-Hub-Signature-256` and Stripe's `Stripe-Signature`. HMAC-SHA256 and its
//! constant-time comparison are RustCrypto's (`hmac`, `sha2`).
//!
//! Written into a generated crate with webhooks as `src/webhooks/signature.rs`, compiled
//! with its `webhooks` feature only. Not every API uses every helper (one without an event
//! header never reads a header by name).
#![allow(dead_code)]

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::HeaderMap;
use sha2::Sha256;

use crate::Secret;

/// How far a signed timestamp may be from now, either way, unless
/// [`Verifier::tolerance`] says otherwise: five minutes, as Standard Webhooks and Stripe say.
const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);
/// How much of a server-supplied value an error shows: an event name, and a decode message.
const SHOWN_NAME: usize = 64;
const SHOWN_MESSAGE: usize = 256;
/// The most signatures of one header that are tried.
const MAX_SIGNATURES: usize = 16;

/// Which signature scheme a [`Verifier`] checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scheme {
    /// [Standard Webhooks](https://www.standardwebhooks.com/): HMAC-SHA256 of
    /// `{webhook-id}.{webhook-timestamp}.{body}`, base64, in `webhook-signature` (`v1,<sig>`,
    /// several separated by spaces); secrets are `whsec_` and base64.
    StandardWebhooks,
    /// GitHub: HMAC-SHA256 of the body, hex, in `X-Hub-Signature-256` (`sha256=<hex>`). GitHub
    /// signs no timestamp, so there is no replay window.
    GitHub,
    /// Stripe: HMAC-SHA256 of `{t}.{body}`, hex, in `Stripe-Signature` (`t=<unix>,v1=<hex>`,
    /// several `v1` allowed).
    Stripe,
}

/// Checks the signature of webhook requests: the raw body exactly as it arrived (never JSON
/// read and written again), the signature compared in constant time, and the signed time
/// within the replay window. Accepts the signature of any of its secrets, for rotation.
#[derive(Clone)]
pub struct Verifier {
    scheme: Scheme,
    /// Raw key bytes, newest first.
    keys: Vec<Vec<u8>>,
    tolerance: Duration,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("scheme", &self.scheme)
            .field("secrets", &self.keys.len())
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Verifier {
    /// A Standard Webhooks verifier: `secret` is `whsec_` followed by base64 (the prefix may
    /// be left out).
    pub fn standard_webhooks(secret: impl Into<Secret>) -> Result<Self, WebhookError> {
        Ok(Verifier {
            scheme: Scheme::StandardWebhooks,
            keys: vec![standard_key(&secret.into())?],
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// A GitHub verifier: `secret` is the webhook's secret as entered in GitHub.
    pub fn github(secret: impl Into<Secret>) -> Result<Self, WebhookError> {
        Ok(Verifier {
            scheme: Scheme::GitHub,
            keys: vec![plain_key(&secret.into())?],
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// A Stripe verifier: `secret` is the endpoint's signing secret (`whsec_...`), used as
    /// it is.
    pub fn stripe(secret: impl Into<Secret>) -> Result<Self, WebhookError> {
        Ok(Verifier {
            scheme: Scheme::Stripe,
            keys: vec![plain_key(&secret.into())?],
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// Also accepts signatures made with `secret`: the previous secret, while a rotation
    /// is under way.
    pub fn also(mut self, secret: impl Into<Secret>) -> Result<Self, WebhookError> {
        let secret = secret.into();
        self.keys.push(match self.scheme {
            Scheme::StandardWebhooks => standard_key(&secret)?,
            Scheme::GitHub | Scheme::Stripe => plain_key(&secret)?,
        });
        Ok(self)
    }

    /// How far the signed timestamp may be from now, either way (default 5 minutes).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The scheme this verifier checks.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Checks the signature of a request with these headers and this raw body, now.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`Verifier::verify`] as at `now` (for tests and replays of recorded requests).
    pub fn verify_at(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        match self.scheme {
            Scheme::StandardWebhooks => {
                let id = required(headers, "webhook-id")?;
                let timestamp = required(headers, "webhook-timestamp")?;
                let signatures = required(headers, "webhook-signature")?;
                self.check_time(timestamp, "webhook-timestamp", now)?;
                let signed = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body];
                let candidates = signatures
                    .split(' ')
                    .filter_map(|s| s.strip_prefix("v1,"))
                    .take(MAX_SIGNATURES)
                    .filter_map(base64_decode);
                self.check(&signed, candidates)
            }
            Scheme::GitHub => {
                let signature = required(headers, "x-hub-signature-256")?;
                let candidates = signature
                    .strip_prefix("sha256=")
                    .and_then(hex_decode)
                    .into_iter();
                self.check(&[body], candidates)
            }
            Scheme::Stripe => {
                let header = required(headers, "stripe-signature")?;
                let mut timestamp = None;
                let mut candidates = Vec::new();
                for part in header.split(',').take(MAX_SIGNATURES * 2) {
                    match part.trim().split_once('=') {
                        Some(("t", t)) => timestamp = Some(t),
                        Some(("v1", v)) => candidates.extend(hex_decode(v)),
                        _ => {}
                    }
                }
                let timestamp = timestamp.ok_or(WebhookError::InvalidHeader("stripe-signature"))?;
                self.check_time(timestamp, "stripe-signature", now)?;
                let signed = [timestamp.as_bytes(), b".", body];
                self.check(&signed, candidates.into_iter())
            }
        }
    }

    /// Signs `body` as the API would, sent at `timestamp` with the message id `id` (Standard
    /// Webhooks only; the others ignore it): the headers to send with it, for testing a
    /// webhook handler. Signs with the newest secret.
    #[cfg(feature = "mock")]
    pub fn sign(&self, id: &str, timestamp: SystemTime, body: &[u8]) -> HeaderMap {
        let seconds = timestamp
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            .to_string();
        let mut headers = HeaderMap::new();
        let mut set = |name: &'static str, value: String| {
            if let Ok(value) = reqwest::header::HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        };
        match self.scheme {
            Scheme::StandardWebhooks => {
                let mac = mac(&self.keys[0], &[id.as_bytes(), b".", seconds.as_bytes(), b".", body]);
                set("webhook-id", id.to_owned());
                set("webhook-timestamp", seconds);
                set("webhook-signature", format!("v1,{}", base64_encode(&mac)));
            }
            Scheme::GitHub => {
                let mac = mac(&self.keys[0], &[body]);
                set("x-hub-signature-256", format!("sha256={}", hex_encode(&mac)));
            }
            Scheme::Stripe => {
                let mac = mac(&self.keys[0], &[seconds.as_bytes(), b".", body]);
                set("stripe-signature", format!("t={seconds},v1={}", hex_encode(&mac)));
            }
        }
        headers
    }

    fn check_time(&self, text: &str, header: &'static str, now: SystemTime) -> Result<(), WebhookError> {
        let seconds: u64 = text.trim().parse().map_err(|_| WebhookError::InvalidHeader(header))?;
        let signed = UNIX_EPOCH
            .checked_add(Duration::from_secs(seconds))
            .ok_or(WebhookError::InvalidHeader(header))?;
        let apart = now
            .duration_since(signed)
            .unwrap_or_else(|e| e.duration());
        if apart > self.tolerance {
            return Err(WebhookError::OutsideWindow);
        }
        Ok(())
    }

    /// Whether a candidate is the MAC of `signed` under one of the keys, compared in
    /// constant time by `hmac`.
    fn check(
        &self,
        signed: &[&[u8]],
        candidates: impl Iterator<Item = Vec<u8>>,
    ) -> Result<(), WebhookError> {
        let macs: Vec<Hmac<Sha256>> = self
            .keys
            .iter()
            .map(|key| {
                let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
                    .expect("HMAC takes a key of any length");
                for part in signed {
                    mac.update(part);
                }
                mac
            })
            .collect();
        for candidate in candidates {
            for mac in &macs {
                if mac.clone().verify_slice(&candidate).is_ok() {
                    return Ok(());
                }
            }
        }
        Err(WebhookError::NoValidSignature)
    }
}

#[cfg(feature = "mock")]
fn mac(key: &[u8], signed: &[&[u8]]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in signed {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

fn standard_key(secret: &Secret) -> Result<Vec<u8>, WebhookError> {
    let text = secret.expose();
    let text = text.strip_prefix("whsec_").unwrap_or(text);
    match base64_decode(text) {
        Some(key) if !key.is_empty() => Ok(key),
        _ => Err(WebhookError::InvalidSecret),
    }
}

fn plain_key(secret: &Secret) -> Result<Vec<u8>, WebhookError> {
    match secret.expose().as_bytes() {
        [] => Err(WebhookError::InvalidSecret),
        key => Ok(key.to_vec()),
    }
}

/// A header's value as text, when present once and readable.
pub(crate) fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn required<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, WebhookError> {
    match headers.get(name) {
        None => Err(WebhookError::MissingHeader(name)),
        Some(value) => value.to_str().map_err(|_| WebhookError::InvalidHeader(name)),
    }
}

/// Standard base64, padding optional.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(feature = "mock")]
fn base64_encode(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(feature = "mock")]
fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a webhook request was refused or could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the signature scheme needs is missing.
    MissingHeader(&'static str),
    /// A header the signature scheme needs is not as the scheme writes it.
    InvalidHeader(&'static str),
    /// The signed timestamp is outside the replay window.
    OutsideWindow,
    /// No signature matched the body under any of the secrets.
    NoValidSignature,
    /// The secret is empty or (Standard Webhooks) not base64.
    InvalidSecret,
    /// No webhook of the API description matches the request; the body is kept as it arrived.
    UnknownEvent {
        /// The event header's value, when the API sends one (bounded and escaped).
        event: Option<String>,
        /// The raw body.
        body: Vec<u8>,
    },
    /// The body is not JSON, or not the payload of the webhook it was told apart as.
    Decode {
        /// The webhook it was read as, when known.
        webhook: Option<&'static str>,
        /// What did not match (bounded and escaped).
        message: String,
        /// The raw body.
        body: Vec<u8>,
    },
}

impl WebhookError {
    pub(crate) fn unknown(event: Option<&str>, body: &[u8]) -> Self {
        WebhookError::UnknownEvent {
            event: event.map(|e| shown(e, SHOWN_NAME)),
            body: body.to_vec(),
        }
    }

    /// Whether the request's authenticity was not established (a signature problem).
    pub fn is_signature(&self) -> bool {
        matches!(
            self,
            WebhookError::MissingHeader(_)
                | WebhookError::InvalidHeader(_)
                | WebhookError::OutsideWindow
                | WebhookError::NoValidSignature
        )
    }
}

/// A server-supplied text as an error shows it: control and bidirectional characters
/// escaped, at most `limit` characters.
fn shown(text: &str, limit: usize) -> String {
    let mut out: String = text
        .chars()
        .take(limit)
        .flat_map(|c| {
            if c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if text.chars().count() > limit {
        out.push('…');
    }
    out
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader(name) => write!(f, "the webhook request has no `{name}` header"),
            WebhookError::InvalidHeader(name) => write!(f, "the webhook request's `{name}` header is not valid"),
            WebhookError::OutsideWindow => f.write_str("the webhook's signed timestamp is outside the replay window"),
            WebhookError::NoValidSignature => f.write_str("no signature of the webhook request matches its body"),
            WebhookError::InvalidSecret => f.write_str("the webhook secret is empty or not in the scheme's format"),
            WebhookError::UnknownEvent { event: Some(event), body } => write!(f, "no webhook of the API description is `{event}` ({} bytes)", body.len()),
            WebhookError::UnknownEvent { event: None, body } => write!(f, "no webhook of the API description matches the payload ({} bytes)", body.len()),
            WebhookError::Decode { webhook: Some(webhook), message, .. } => write!(f, "the payload of webhook `{webhook}` does not match its schema: {message}"),
            WebhookError::Decode { webhook: None, message, .. } => write!(f, "the webhook payload is not JSON: {message}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// The body as JSON, for telling the webhook apart.
pub(crate) fn json(body: &[u8]) -> Result<serde_json::Value, WebhookError> {
    serde_json::from_slice(body).map_err(|e| WebhookError::Decode {
        webhook: None,
        message: shown(&e.to_string(), SHOWN_MESSAGE),
        body: body.to_vec(),
    })
}

/// The body as the payload of `webhook`.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &[u8], webhook: &'static str) -> Result<T, WebhookError> {
    serde_json::from_slice(body).map_err(|e| WebhookError::Decode {
        webhook: Some(webhook),
        message: shown(&e.to_string(), SHOWN_MESSAGE),
        body: body.to_vec(),
    })
}
