//! The cost of the generated client over a hand-written reqwest call: the same GET with the
//! same Basic credentials and the same JSON decoding, against one loopback server that answers
//! both with the same canned response.
//!
//! `cargo bench -p clientgen-tests --bench overhead`

use std::time::{Duration, Instant};

use clientgen_tests::{Reply, Server};
use criterion::{Criterion, criterion_group, criterion_main};

const BODY: &str = r#"{"request_id":"request-id-test-0a1b2c","status_code":200,"connected_apps":[
{"connected_app_id":"connected-app-test-1","name":"Reports","description":"Monthly reports",
"client_type":"third_party","scopes_granted":"openid email profile","logo_url":"https://example.com/a.png"},
{"connected_app_id":"connected-app-test-2","name":"Sync","description":"Calendar sync",
"client_type":"first_party","scopes_granted":"openid"}]}"#;

fn overhead(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let _enter = rt.enter();
    let server = Server::start(vec![Reply::json(200, BODY)]);
    let base = server.url();
    let client = stytch_b2b::Client::builder("project-test-bench", "secret-bench")
        .base_url(&base)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    // The generated client's TLS setup: reqwest alone finds no rustls provider with ring.
    let http = stytch_b2b::ClientBuilder::http_client_builder()
        .expect("TLS setup")
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest");
    let url = format!("{base}/v1/b2b/organizations/org-1/members/member-1/connected_apps");
    // base64("project-test-bench:secret-bench"), as the generated client sends it.
    let auth = "Basic cHJvamVjdC10ZXN0LWJlbmNoOnNlY3JldC1iZW5jaA==";

    let hand = || {
        rt.block_on(async {
            let response = http
                .get(&url)
                .header("authorization", auth)
                .header("user-agent", "bench/1")
                .timeout(Duration::from_secs(5))
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status().as_u16(), 200);
            let bytes = response.bytes().await.expect("body");
            serde_json::from_slice::<stytch_b2b::GetConnectedAppsResponse>(&bytes).expect("decodes")
        })
    };
    let generated = || {
        rt.block_on(async {
            client
                .organizations()
                .members()
                .get_connected_apps("org-1", "member-1")
                .send()
                .await
                .expect("succeeds")
        })
    };
    // Loopback latency drifts on a shared machine by more than the difference measured here,
    // so each benchmark interleaves the other call, untimed, between its own timed calls:
    // both sides then see the same conditions.
    let mut group = c.benchmark_group("get_connected_apps");
    group.bench_function("hand-written reqwest", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                std::hint::black_box(generated());
                let start = Instant::now();
                std::hint::black_box(hand());
                total += start.elapsed();
            }
            server.clear();
            total
        })
    });
    group.bench_function("generated client", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                std::hint::black_box(hand());
                let start = Instant::now();
                std::hint::black_box(generated());
                total += start.elapsed();
            }
            server.clear();
            total
        })
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
