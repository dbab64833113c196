//! `.pages()` and `.items()` of the crate generated from `tests/fixtures/pagination.yaml`,
//! against a loopback server that answers each request with the next canned page. Copied
//! into that crate's `tests/` by `tests/tests/pagination.rs`, which runs it.

use clientgen_tests::{Reply, Server};
use pagination::Client;

/// Serves `answers` in order on 127.0.0.1, one per request (keep-alive connections too), then
/// a 500 for every request after them.
fn serve(mut answers: Vec<Reply>) -> Server {
    answers.push(Reply::json(500, "{\"error\":\"no more pages\"}"));
    Server::start(answers)
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).max_retries(0).build().unwrap()
}

fn ok(body: &str) -> Reply {
    Reply::json(200, body)
}

/// The request lines received so far.
fn lines(server: &Server) -> Vec<String> {
    server.requests().iter().map(|r| r.line()).collect()
}

/// Stytch's search shape: the cursor in the body, the next one in `results_metadata`.
#[tokio::test]
async fn body_cursor_three_pages_then_the_end() {
    let server = serve(vec![
        ok(r#"{"members":[{"id":"m1"},{"id":"m2"}],"results_metadata":{"total":5,"next_cursor":"c1"}}"#),
        ok(r#"{"members":[{"id":"m3"},{"id":"m4"}],"results_metadata":{"total":5,"next_cursor":"c2"}}"#),
        ok(r#"{"members":[{"id":"m5"}],"results_metadata":{"total":5,"next_cursor":null}}"#),
    ]);
    let client = client(&server.url());
    let body = pagination::MembersSearchBody::default().query("name:a");
    let mut items = client
        .members()
        .search()
        .body(body)
        .header("x-test", "kept")
        .items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, ["m1", "m2", "m3", "m4", "m5"]);
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    let bodies: Vec<serde_json::Value> = seen.iter().map(|s| serde_json::from_slice(&s.body).unwrap()).collect();
    assert_eq!(bodies[0], serde_json::json!({"query": "name:a"}));
    assert_eq!(bodies[1], serde_json::json!({"query": "name:a", "cursor": "c1"}));
    assert_eq!(bodies[2], serde_json::json!({"query": "name:a", "cursor": "c2"}));
    // Every page keeps the builder's options.
    assert!(seen.iter().all(|s| s.header("x-test") == Some("kept")));
}

/// Dropshot's shape: `page_token` in the query, `next_page` in the response; nothing is sent
/// before the stream is polled.
#[tokio::test]
async fn query_token_pages_are_lazy() {
    let server = serve(vec![
        ok(r#"{"items":[{"id":"a"}],"next_page":"t1"}"#),
        ok(r#"{"items":[{"id":"b"}],"next_page":"t2"}"#),
        ok(r#"{"items":[{"id":"c"}],"next_page":null}"#),
    ]);
    let client = client(&server.url());
    let mut pages = client.instances().list().limit(1).pages();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(lines(&server).is_empty(), "a request was sent before the first poll");
    let mut count = 0;
    while let Some(page) = pages.next().await {
        assert_eq!(page.unwrap().items.len(), 1);
        count += 1;
    }
    assert_eq!(count, 3);
    assert_eq!(
        lines(&server),
        [
            "GET /instances?limit=1 HTTP/1.1",
            "GET /instances?page_token=t1&limit=1 HTTP/1.1",
            "GET /instances?page_token=t2&limit=1 HTTP/1.1"
        ]
    );
}

/// Stripe's shape: `starting_after` the last id while `has_more`.
#[tokio::test]
async fn starting_after_follows_the_last_id_while_has_more() {
    let server = serve(vec![
        ok(r#"{"data":[{"id":"ch_1"},{"id":"ch_2"}],"has_more":true}"#),
        ok(r#"{"data":[{"id":"ch_3"}],"has_more":true}"#),
        ok(r#"{"data":[{"id":"ch_4"}],"has_more":false}"#),
    ]);
    let client = client(&server.url());
    let mut items = client.charges().list().items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, ["ch_1", "ch_2", "ch_3", "ch_4"]);
    assert_eq!(
        lines(&server),
        [
            "GET /charges HTTP/1.1",
            "GET /charges?starting_after=ch_2 HTTP/1.1",
            "GET /charges?starting_after=ch_3 HTTP/1.1"
        ]
    );
}

/// GitHub's shape: `page`, with the next one in the `Link` header.
#[tokio::test]
async fn link_header_gives_the_next_page() {
    let link = |n: u32| format!("<http://example.invalid/repos?per_page=1&page={n}>; rel=\"next\", <http://example.invalid/repos?page=3>; rel=\"last\"");
    let server = serve(vec![
        ok(r#"[{"id":"r1"}]"#).header("link", link(2)),
        ok(r#"[{"id":"r2"}]"#).header("link", link(3)),
        ok(r#"[{"id":"r3"}]"#).header("link", "<http://example.invalid/repos?page=1>; rel=\"first\""),
    ]);
    let client = client(&server.url());
    let mut items = client.repos().list().per_page(1).items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, ["r1", "r2", "r3"]);
    assert_eq!(
        lines(&server),
        [
            "GET /repos?per_page=1 HTTP/1.1",
            "GET /repos?per_page=1&page=2 HTTP/1.1",
            "GET /repos?per_page=1&page=3 HTTP/1.1"
        ]
    );
}

/// An offset with a total: the next offset is this one plus the page's items.
#[tokio::test]
async fn offset_moves_past_each_page_until_the_total() {
    let server = serve(vec![
        ok(r#"{"records":[{"id":"a"},{"id":"b"}],"total":5}"#),
        ok(r#"{"records":[{"id":"c"},{"id":"d"}],"total":5}"#),
        ok(r#"{"records":[{"id":"e"}],"total":5}"#),
    ]);
    let client = client(&server.url());
    let mut items = client.records().list().limit(2).items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        lines(&server),
        [
            "GET /records?limit=2 HTTP/1.1",
            "GET /records?offset=2&limit=2 HTTP/1.1",
            "GET /records?offset=4&limit=2 HTTP/1.1"
        ]
    );
}

/// An error on page 2 reaches the caller after the items of page 1, and ends the stream.
#[tokio::test]
async fn an_error_on_page_two_comes_after_the_items_of_page_one() {
    let server = serve(vec![
        ok(r#"{"items":[{"id":"a"},{"id":"b"}],"next_page":"t1"}"#),
        Reply::json(500, r#"{"message":"boom"}"#),
        ok(r#"{"items":[{"id":"never"}],"next_page":null}"#),
    ]);
    let client = client(&server.url());
    let mut items = client.instances().list().items();
    assert_eq!(items.next().await.unwrap().unwrap().id, "a");
    assert_eq!(items.next().await.unwrap().unwrap().id, "b");
    let error = items.next().await.unwrap().unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert!(items.next().await.is_none());
    assert_eq!(lines(&server).len(), 2);
}

/// A cursor seen before ends the stream instead of looping.
#[tokio::test]
async fn a_repeated_cursor_ends_the_stream() {
    let server = serve(vec![
        ok(r#"{"items":[{"id":"a"}],"next_page":"same"}"#),
        ok(r#"{"items":[{"id":"b"}],"next_page":"same"}"#),
        ok(r#"{"items":[{"id":"c"}],"next_page":"other"}"#),
    ]);
    let client = client(&server.url());
    let mut pages = client.instances().list().pages();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        page.unwrap();
        count += 1;
    }
    assert_eq!(count, 2);
    assert_eq!(lines(&server).len(), 2);
}

/// `x-clientgen-pagination` names the cursor, the next one and the items.
#[tokio::test]
async fn the_extension_sets_cursor_next_and_items() {
    let server = serve(vec![
        ok(r#"{"events":["e1","e2"],"paging":{"resume_at":"p2"}}"#),
        ok(r#"{"events":["e3"],"paging":{"resume_at":""}}"#),
    ]);
    let client = client(&server.url());
    let mut items = client.events().list().items();
    let mut events = Vec::new();
    while let Some(item) = items.next().await {
        events.push(item.unwrap());
    }
    assert_eq!(events, ["e1", "e2", "e3"]);
    assert_eq!(lines(&server), ["GET /events HTTP/1.1", "GET /events?from=p2 HTTP/1.1"]);
}

/// The streams are `futures_core::Stream + Unpin + Send`, for callers with a stream library.
#[test]
fn the_streams_are_streams() {
    fn stream<S: futures_core::Stream + Unpin + Send>(_: &S) {}
    let client = client("http://127.0.0.1:9");
    stream(&client.members().search().pages());
    stream(&client.members().search().items());
}

/// A server that always sends a new cursor is stopped by the page limit, with a limit error
/// after the last page's items, so that a cut list never looks complete.
#[tokio::test]
async fn a_server_that_never_ends_is_stopped_by_the_page_limit() {
    let answers: Vec<Reply> = (0..10)
        .map(|i| ok(&format!(r#"{{"members":[{{"id":"m{i}"}}],"results_metadata":{{"total":99,"next_cursor":"c{i}"}}}}"#)))
        .collect();
    let server = serve(answers);
    let client = client(&server.url());
    let mut items = client.members().search().body(pagination::MembersSearchBody::default()).items().max_pages(4);
    let mut ids = Vec::new();
    let error = loop {
        match items.next().await {
            Some(Ok(item)) => ids.push(item.id),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without saying it was cut"),
        }
    };
    assert_eq!(ids, ["m0", "m1", "m2", "m3"]);
    let pagination::Error::LimitExceeded(limit) = &error else {
        panic!("expected a page limit error, got {error:?}");
    };
    assert_eq!((limit.what(), limit.limit(), limit.setting()), ("pages", 4, "max_pages"));
    assert!(items.next().await.is_none());
    assert_eq!(server.count(), 4);
}

/// The typed mock (the `mock` feature) serves pages in order and links them itself, whatever
/// their cursor fields say: a body cursor (left unset here), GitHub's `Link` header, Stripe's
/// `has_more` (set wrong here) and an offset's total (zero here); each mock answered as many
/// requests as there were pages.
#[tokio::test]
async fn the_mock_serves_pages_in_order() {
    use pagination::mock::MockServer;
    use pagination::{Member, MembersSearchResponse, MembersSearchResponseResultsMetadata};
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        MembersSearchResponse::sample()
            .members(ids.iter().map(|id| Member::sample().id(*id)).collect())
            .results_metadata(
                MembersSearchResponseResultsMetadata::sample()
                    .total(3)
                    .next_cursor(next.map(str::to_owned)),
            )
    };
    let search = server
        .members_search()
        .respond_pages(vec![page(&["m1", "m2"], None), page(&["m3"], Some("stale"))])
        .expect(2)
        .mount()
        .await;
    let client = Client::builder().base_url(server.uri()).max_retries(0).build().unwrap();
    let mut items = client.members().search().items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, ["m1", "m2", "m3"]);
    search.assert_calls(2);

    let repos = server
        .repos_list()
        .respond_pages(vec![vec![Member::sample().id("r1")], vec![Member::sample().id("r2")], vec![Member::sample().id("r3")]])
        .mount()
        .await;
    let mut pages = client.repos().list().pages();
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        seen.extend(page.unwrap().into_iter().map(|m| m.id));
    }
    assert_eq!(seen, ["r1", "r2", "r3"]);
    repos.assert_calls(3);

    let charges = server
        .charges_list()
        .respond_pages(vec![
            pagination::ChargesListResponse::sample().data(vec![Member::sample().id("c1")]).has_more(false),
            pagination::ChargesListResponse::sample().data(vec![Member::sample().id("c2")]).has_more(true),
        ])
        .mount()
        .await;
    let mut items = client.charges().list().items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, ["c1", "c2"]);
    charges.assert_calls(2);

    let records = server
        .records_list()
        .respond_pages(vec![
            pagination::RecordsListResponse::sample().records(vec![Member::sample().id("x1"), Member::sample().id("x2")]),
            pagination::RecordsListResponse::sample().records(vec![Member::sample().id("x3")]),
        ])
        .mount()
        .await;
    let mut items = client.records().list().items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, ["x1", "x2", "x3"]);
    records.assert_calls(2);
    server.verify().await;
}
