//! Webhooks of the crate generated from `tests/fixtures/webhooks.yaml` (its `webhooks` and
//! `mock` features): the signature schemes against their published vectors and documented
//! examples, and every way a request can fail to be authentic (a changed byte, a stale
//! timestamp, a wrong or rotated secret, a missing header, several signatures); then the
//! events told apart by their payload. Copied into that crate's `tests/` by
//! `tests/tests/webhooks.rs`, which runs it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use webhooks_api::reqwest::header::{HeaderMap, HeaderValue};
use webhooks_api::webhooks::{self, Event, Verifier, WebhookError};

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

// The Standard Webhooks libraries' published vector (`TestWebhookSign` and
// `test_sign_function` in github.com/standard-webhooks/standard-webhooks).
const SW_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SW_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SW_TIMESTAMP: u64 = 1614265330;
const SW_BODY: &[u8] = br#"{"test": 2432232314}"#;
const SW_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn standard_headers(signature: &str) -> HeaderMap {
    headers(&[
        ("webhook-id", SW_ID),
        ("webhook-timestamp", &SW_TIMESTAMP.to_string()),
        ("webhook-signature", signature),
    ])
}

#[test]
fn standard_webhooks_published_vector() {
    let verifier = Verifier::standard_webhooks(SW_SECRET).unwrap();
    verifier
        .verify_at(&standard_headers(SW_SIGNATURE), SW_BODY, at(SW_TIMESTAMP))
        .expect("the published signature verifies");
    // Signing reproduces it (the `mock` feature).
    let signed = verifier.sign(SW_ID, at(SW_TIMESTAMP), SW_BODY);
    assert_eq!(signed.get("webhook-signature").unwrap(), SW_SIGNATURE);
    // The prefix is optional.
    Verifier::standard_webhooks(SW_SECRET.trim_start_matches("whsec_"))
        .unwrap()
        .verify_at(&standard_headers(SW_SIGNATURE), SW_BODY, at(SW_TIMESTAMP))
        .unwrap();
}

#[test]
fn one_changed_byte_a_wrong_secret_or_a_stale_timestamp_is_refused() {
    let verifier = Verifier::standard_webhooks(SW_SECRET).unwrap();
    let good = standard_headers(SW_SIGNATURE);
    let mut body = SW_BODY.to_vec();
    for i in 0..body.len() {
        body[i] ^= 1;
        let error = verifier.verify_at(&good, &body, at(SW_TIMESTAMP)).unwrap_err();
        assert!(matches!(error, WebhookError::NoValidSignature), "byte {i}: {error}");
        body[i] ^= 1;
    }
    // The id is signed too.
    let mut other_id = good.clone();
    other_id.insert("webhook-id", HeaderValue::from_static("msg_other"));
    assert!(verifier.verify_at(&other_id, SW_BODY, at(SW_TIMESTAMP)).is_err());
    let wrong = Verifier::standard_webhooks("whsec_bm90IHRoZSBzZWNyZXQ=").unwrap();
    assert!(matches!(
        wrong.verify_at(&good, SW_BODY, at(SW_TIMESTAMP)),
        Err(WebhookError::NoValidSignature)
    ));
    // Five minutes either way, not more.
    for now in [SW_TIMESTAMP + 299, SW_TIMESTAMP - 299] {
        verifier.verify_at(&good, SW_BODY, at(now)).unwrap();
    }
    for now in [SW_TIMESTAMP + 301, SW_TIMESTAMP - 301, 0, u64::MAX / 4] {
        let error = verifier.verify_at(&good, SW_BODY, at(now)).unwrap_err();
        assert!(matches!(error, WebhookError::OutsideWindow), "{error}");
        assert!(error.is_signature());
    }
    // A wider window is the caller's choice.
    verifier
        .clone()
        .tolerance(Duration::from_secs(3600))
        .verify_at(&good, SW_BODY, at(SW_TIMESTAMP + 3000))
        .unwrap();
    // A timestamp that is not a number, or overflows, is refused.
    for bad in ["soon", "-1", "99999999999999999999999"] {
        let mut headers = good.clone();
        headers.insert("webhook-timestamp", HeaderValue::from_str(bad).unwrap());
        assert!(verifier.verify_at(&headers, SW_BODY, at(SW_TIMESTAMP)).is_err(), "{bad}");
    }
}

#[test]
fn a_missing_header_or_secret_is_refused() {
    let verifier = Verifier::standard_webhooks(SW_SECRET).unwrap();
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut headers = standard_headers(SW_SIGNATURE);
        headers.remove(missing);
        let error = verifier.verify_at(&headers, SW_BODY, at(SW_TIMESTAMP)).unwrap_err();
        assert!(matches!(error, WebhookError::MissingHeader(name) if name == missing), "{error}");
    }
    for secret in ["", "whsec_", "whsec_not base64!"] {
        assert!(matches!(Verifier::standard_webhooks(secret), Err(WebhookError::InvalidSecret)), "{secret:?}");
    }
    assert!(Verifier::github("").is_err() && Verifier::stripe("").is_err());
    // An empty or foreign signature list matches nothing.
    for signature in ["", "v1,", "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg=="] {
        let error = verifier
            .verify_at(&standard_headers(signature), SW_BODY, at(SW_TIMESTAMP))
            .unwrap_err();
        assert!(matches!(error, WebhookError::NoValidSignature), "{signature}: {error}");
    }
}

#[test]
fn several_signatures_and_a_rotated_secret() {
    // The libraries' multi-signature case: wrong ones and other versions around the good one.
    let several = format!(
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {SW_SIGNATURE} v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
    );
    let verifier = Verifier::standard_webhooks(SW_SECRET).unwrap();
    verifier
        .verify_at(&standard_headers(&several), SW_BODY, at(SW_TIMESTAMP))
        .unwrap();
    // Rotation: the new secret, with the old one still accepted.
    let new_secret = "whsec_bmV3LXNlY3JldC1ieXRlcy0wMTIzNDU2Nzg5";
    let rotating = Verifier::standard_webhooks(new_secret).unwrap().also(SW_SECRET).unwrap();
    rotating
        .verify_at(&standard_headers(SW_SIGNATURE), SW_BODY, at(SW_TIMESTAMP))
        .expect("signed with the old secret");
    let signed_new = rotating.sign(SW_ID, at(SW_TIMESTAMP), SW_BODY);
    rotating.verify_at(&signed_new, SW_BODY, at(SW_TIMESTAMP)).expect("signed with the new one");
    // Without the old secret, the old signature is refused.
    let only_new = Verifier::standard_webhooks(new_secret).unwrap();
    assert!(only_new.verify_at(&standard_headers(SW_SIGNATURE), SW_BODY, at(SW_TIMESTAMP)).is_err());
    assert!(verifier.verify_at(&signed_new, SW_BODY, at(SW_TIMESTAMP)).is_err());
}

#[test]
fn githubs_documented_example() {
    // docs.github.com, "Validating webhook deliveries": the secret, payload and signature
    // it gives as test values.
    let verifier = Verifier::github("It's a Secret to Everybody").unwrap();
    let signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    let good = headers(&[("x-hub-signature-256", signature)]);
    verifier.verify(&good, b"Hello, World!").unwrap();
    assert_eq!(verifier.sign("", SystemTime::now(), b"Hello, World!").get("x-hub-signature-256").unwrap(), signature);
    assert!(verifier.verify(&good, b"Hello, World?").is_err());
    for bad in ["757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "sha256=xyz", "sha1=757107ea"] {
        assert!(verifier.verify(&headers(&[("x-hub-signature-256", bad)]), b"Hello, World!").is_err(), "{bad}");
    }
    assert!(matches!(
        verifier.verify(&HeaderMap::new(), b"Hello, World!"),
        Err(WebhookError::MissingHeader("x-hub-signature-256"))
    ));
}

#[test]
fn stripes_scheme() {
    // Computed with Python's hmac (an implementation we did not write): HMAC-SHA256 of
    // `{t}.{body}` under the whole `whsec_` secret.
    let verifier = Verifier::stripe("whsec_test_secret").unwrap();
    let body = br#"{"id":"evt_1","type":"invoice.paid"}"#;
    let v1 = "f7a632a9ffdbb1ced2fc48e44c374ec2cb4292469db292862c06ae703e2befbd";
    let header = format!("t=1492774577,v1={v1}");
    verifier.verify_at(&headers(&[("stripe-signature", &header)]), body, at(1492774577)).unwrap();
    // Several v1 signatures (a secret being rolled) and a v0 are fine; the right one counts.
    let several = format!("t=1492774577,v1={},v0=abc,v1={v1}", "0".repeat(64));
    verifier.verify_at(&headers(&[("stripe-signature", &several)]), body, at(1492774577)).unwrap();
    assert!(verifier.verify_at(&headers(&[("stripe-signature", &header)]), body, at(1492774577 + 301)).is_err());
    let no_time = format!("v1={v1}");
    assert!(matches!(
        verifier.verify_at(&headers(&[("stripe-signature", &no_time)]), body, at(1492774577)),
        Err(WebhookError::InvalidHeader("stripe-signature"))
    ));
    let other_time = format!("t=1492774578,v1={v1}");
    assert!(verifier.verify_at(&headers(&[("stripe-signature", &other_time)]), body, at(1492774577)).is_err());
    let signed = verifier.sign("", at(1492774577), body);
    assert_eq!(signed.get("stripe-signature").unwrap().to_str().unwrap(), header);
}

#[test]
fn events_are_told_apart_by_their_payload() {
    let cases: [(&[u8], &str); 3] = [
        (br#"{"type":"invoice.paid","data":{"id":"in_1","amount":500}}"#, "invoice.paid"),
        (br#"{"type":"invoice.voided","data":{"id":"in_1","amount":500},"reason":"dup"}"#, "invoice.voided"),
        (br#"{"type":"user.created","data":{"id":"u_1"}}"#, "user.created"),
    ];
    for (body, name) in cases {
        let event = webhooks::unsafe_unwrap(&HeaderMap::new(), body).unwrap();
        assert_eq!(event.name(), name);
    }
    match webhooks::unsafe_unwrap(&HeaderMap::new(), cases[1].0).unwrap() {
        Event::InvoiceVoided(voided) => {
            assert_eq!(voided.data.amount, 500);
            assert_eq!(voided.reason.as_deref(), Some("dup"));
        }
        other => panic!("{other:?}"),
    }
    // An event the description does not have keeps its raw body.
    let unknown = br#"{"type":"invoice.\u001b[31mrefunded","data":{}}"#;
    match webhooks::unsafe_unwrap(&HeaderMap::new(), unknown) {
        Err(WebhookError::UnknownEvent { body, .. }) => assert_eq!(body, unknown),
        other => panic!("{other:?}"),
    }
    // A known event with the wrong shape names its webhook; text that is no JSON says so.
    match webhooks::unsafe_unwrap(&HeaderMap::new(), br#"{"type":"invoice.paid","data":{"id":5}}"#) {
        Err(e @ WebhookError::Decode { webhook: Some("invoice.paid"), .. }) => {
            assert!(e.to_string().contains("invoice.paid"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        webhooks::unsafe_unwrap(&HeaderMap::new(), b"\x1b[2J not json"),
        Err(WebhookError::Decode { webhook: None, .. })
    ));
}

#[test]
fn unwrap_checks_the_signature_before_reading() {
    let verifier = webhooks::verifier(SW_SECRET).unwrap();
    let body = br#"{"type":"user.created","data":{"id":"u_1","email":"a@example.com"}}"#;
    let now = SystemTime::now();
    let signed = verifier.sign("msg_1", now, body);
    match webhooks::unwrap(&verifier, &signed, body).unwrap() {
        Event::UserCreated(user) => assert_eq!(user.data.email.as_deref(), Some("a@example.com")),
        other => panic!("{other:?}"),
    }
    let mut tampered = body.to_vec();
    tampered[10] = b'X';
    let error = webhooks::unwrap(&verifier, &signed, &tampered).unwrap_err();
    assert!(error.is_signature(), "{error}");
    // Re-serialised JSON no longer matches: the raw body is what is signed.
    let value: serde_json::Value = serde_json::from_slice(body).unwrap();
    let pretty = serde_json::to_vec_pretty(&value).unwrap();
    assert!(webhooks::unwrap(&verifier, &signed, &pretty).is_err());
    // Debug shows no secret.
    assert!(!format!("{verifier:?}").contains("MfKQ9r8"));
}
