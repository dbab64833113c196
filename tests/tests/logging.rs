//! The `tracing` feature: one event per HTTP attempt with method, path template, status,
//! attempt and elapsed time, and never a secret.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use clientgen_tests::{Reply, Server};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records the fields of every event as `name=value` text.
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<String>>>,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        // Only the client's own events: reqwest and hyper may log too.
        if !event.metadata().target().starts_with("stytch_b2b") {
            return;
        }
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.events.lock().expect("not poisoned").push(fields.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn one_event_per_attempt_without_secrets() {
    let server = Server::start(vec![
        Reply::json(503, r#"{"status_code": 503}"#),
        Reply::json(
            200,
            r#"{"request_id": "r", "status_code": 200, "connected_apps": []}"#,
        ),
    ]);
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let client = stytch_b2b::Client::builder("project-test-123", "secret-xyz")
        .base_url(server.url())
        .max_retries(1)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("valid configuration");
    client
        .organizations()
        .members()
        .get_connected_apps("org-1", "member-1")
        .member_session_token("session-token-abc")
        .send()
        .await
        .expect("the retry succeeds");
    let events = recorder.events.lock().expect("not poisoned").clone();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events[0].contains("status=503 ") && events[0].contains("attempt=1"),
        "{}",
        events[0]
    );
    assert!(
        events[1].contains("status=200 ") && events[1].contains("attempt=2"),
        "{}",
        events[1]
    );
    for e in &events {
        assert!(e.contains("method=GET"), "{e}");
        assert!(e.contains("path=\"/v1/b2b/organizations/{organization_id}/members/{member_id}/connected_apps\""), "{e}");
        assert!(e.contains("elapsed_ms="), "{e}");
        for secret in [
            "secret-xyz",
            "session-token-abc",
            "org-1",
            "member-1",
            "cHJvamVjdC",
        ] {
            assert!(!e.contains(secret), "an event shows `{secret}`: {e}");
        }
    }
}
