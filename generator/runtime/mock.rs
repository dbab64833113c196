//! Typed mocks of the API (the `mock` feature), on wiremock: a [`MockServer`] on 127.0.0.1
//! that a normal `Client` is pointed at, and per operation a mock builder (in the crate's
//! `mock` module) whose matchers and responses take the operation's own Rust types.
//!
//! Every request that reaches the server is checked against the API description as the
//! generator read it: the method and path must be one of an operation's, its required query
//! parameters and headers must be there, and a JSON body must decode as the operation's body
//! type. A request that breaks this, or that no mounted mock answers, is answered with an
//! error status naming the operation and what was wrong, and recorded: [`MockServer::verify`]
//! fails with every such problem, and so does dropping the server (as wiremock does for a
//! mock whose `expect(n)` was not met).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::request::{percent_decode, simple_param};

/// How a JSON request body is checked: decoded as the operation's body type.
pub(crate) type BodyCheck = fn(&[u8]) -> Result<(), String>;

/// What the mock knows of one operation of the API.
pub struct OperationSpec {
    /// How a consumer calls it (`client.organizations().connected_apps(..)`), for messages.
    pub(crate) call: &'static str,
    pub(crate) method: &'static str,
    /// The path template, as the client fills it in.
    pub(crate) template: &'static str,
    pub(crate) required_query: &'static [&'static str],
    pub(crate) required_headers: &'static [&'static str],
    /// Whether a body is required, and how a JSON body is checked (decoded as the
    /// operation's body type), when it is JSON.
    pub(crate) body_required: bool,
    pub(crate) body_check: Option<BodyCheck>,
}

impl OperationSpec {
    fn matches_route(&self, method: &str, path: &str) -> bool {
        method.eq_ignore_ascii_case(self.method) && path_params(self.template, path).is_some()
    }

    /// What the description would reject in this request.
    fn problems(&self, request: &wiremock::Request) -> Vec<String> {
        let mut out = Vec::new();
        let pairs: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for name in self.required_query {
            if !pairs
                .iter()
                .any(|(k, _)| k == name || k.starts_with(&format!("{name}[")))
            {
                out.push(format!("the required query parameter `{name}` is missing"));
            }
        }
        for name in self.required_headers {
            if !request.headers.contains_key(*name) {
                out.push(format!("the required header `{name}` is missing"));
            }
        }
        if request.body.is_empty() {
            if self.body_required {
                out.push("the required request body is missing".into());
            }
        } else if let Some(check) = self.body_check {
            if let Err(e) = check(&request.body) {
                out.push(format!("the request body breaks its schema: {e}"));
            }
        }
        out
    }
}

/// The values of the template's parameters in `path`, or `None` when the path is not one of
/// the template's. A parameter takes at least one character of one segment.
fn path_params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    fn walk(t: &[u8], p: &[u8], out: &mut Vec<(String, String)>) -> bool {
        match t.first() {
            None => p.is_empty(),
            Some(b'{') => {
                let Some(close) = t.iter().position(|&b| b == b'}') else {
                    return false;
                };
                let name = String::from_utf8_lossy(&t[1..close]).into_owned();
                let rest = &t[close + 1..];
                let segment_end = p.iter().position(|&b| b == b'/').unwrap_or(p.len());
                // The shortest value that lets the rest of the template match.
                for end in 1..=segment_end {
                    out.push((
                        name.clone(),
                        String::from_utf8_lossy(&p[..end]).into_owned(),
                    ));
                    if walk(rest, &p[end..], out) {
                        return true;
                    }
                    out.pop();
                }
                false
            }
            Some(&c) => p.first() == Some(&c) && walk(&t[1..], &p[1..], out),
        }
    }
    let mut out = Vec::new();
    walk(template.as_bytes(), path.as_bytes(), &mut out).then(|| {
        out.into_iter()
            .map(|(name, value)| (name, percent_decode(&value)))
            .collect()
    })
}

/// A mock of the API on 127.0.0.1. Point a `Client` at [`MockServer::uri`]; set up answers
/// with the per-operation methods of the crate's `mock` module.
pub struct MockServer {
    server: wiremock::MockServer,
    problems: Arc<Mutex<Vec<String>>>,
    operations: &'static [OperationSpec],
    /// Every mock mounted since the start or the last reset: for expectations, and for
    /// naming the closest mock when a request finds none.
    mounted: Arc<Mutex<Vec<MountedMock>>>,
}

/// A mounted mock, as the server remembers it.
struct MountedMock {
    spec: &'static OperationSpec,
    expected: Expected,
    times: Option<u64>,
    calls: Arc<AtomicUsize>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    pub(crate) async fn start_with(operations: &'static [OperationSpec]) -> Self {
        let server = wiremock::MockServer::start().await;
        let problems: Arc<Mutex<Vec<String>>> = Arc::default();
        let mounted: Arc<Mutex<Vec<MountedMock>>> = Arc::default();
        Self::mount_unanswered(&server, operations, &problems, &mounted).await;
        MockServer {
            server,
            problems,
            operations,
            mounted,
        }
    }

    /// The base URL to give `ClientBuilder::base_url`: `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Every problem so far: requests the description would reject, and requests no mock
    /// answered, each naming the operation.
    pub fn problems(&self) -> Vec<String> {
        lock(&self.problems).clone()
    }

    /// Forgets every mounted mock and every problem so far (a test that expected the mock
    /// to refuse a request says so by calling this after checking [`MockServer::problems`]).
    pub async fn reset(&self) {
        lock(&self.problems).clear();
        lock(&self.mounted).clear();
        self.server.reset().await;
        Self::mount_unanswered(&self.server, self.operations, &self.problems, &self.mounted).await;
    }

    async fn mount_unanswered(
        server: &wiremock::MockServer,
        operations: &'static [OperationSpec],
        problems: &Arc<Mutex<Vec<String>>>,
        mounted: &Arc<Mutex<Vec<MountedMock>>>,
    ) {
        // Below every mock: a request nothing answers.
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Unanswered {
                operations,
                problems: problems.clone(),
                mounted: mounted.clone(),
            })
            .with_priority(u8::MAX)
            .named("unanswered requests")
            .mount(server)
            .await;
    }

    /// How many requests reached the server.
    pub async fn received(&self) -> usize {
        self.server
            .received_requests()
            .await
            .map_or(0, |requests| requests.len())
    }

    /// Every request the server received, in order, as a test reads it back: method, path,
    /// query, headers (secrets masked) and body (typed with [`ReceivedRequest::body_json`]).
    pub async fn received_requests(&self) -> Vec<ReceivedRequest> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .map(|r| ReceivedRequest::of(r, self.operations))
            .collect()
    }

    /// Every problem at once, without panicking: requests refused (each naming the closest
    /// mock and the matcher that differed), then each `expect(n)` not met. Empty when all is
    /// well.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut all = self.problems();
        for m in lock(&self.mounted).iter() {
            if let Some(times) = m.times {
                let calls = m.calls.load(Ordering::SeqCst) as u64;
                if calls != times {
                    all.push(format!(
                        "`{}` was expected {times} time(s) and answered {calls}",
                        m.spec.call
                    ));
                }
            }
        }
        if all.is_empty() {
            Ok(())
        } else {
            Err(all)
        }
    }

    /// Fails (panics) when a request broke the description or found no mock, or when a mock's
    /// `expect(n)` was not met, listing every problem ([`MockServer::check`] returns them
    /// instead). Dropping the server checks the same.
    pub async fn verify(&self) {
        if let Err(problems) = self.check() {
            panic!(
                "the mock of the API found problems:\n{}",
                problems.join("\n")
            );
        }
    }

    /// Serves an OAuth 2 token endpoint at `path` (such as `/oauth/token`): each
    /// `POST` with the client credentials grant (`grant_type=client_credentials` in a form
    /// body) gets `{"access_token": access_token, "token_type": "Bearer", "expires_in": ..}`,
    /// with `expires_in` when given. Give the client that path as its token URL
    /// (`ClientCredentials::token_url(format!("{}/oauth/token", server.uri()))`), or nothing
    /// when the description's `tokenUrl` is relative and the client's base URL is this server.
    /// The returned handle counts the token requests.
    pub async fn token_endpoint(
        &self,
        path: &str,
        access_token: &str,
        expires_in: Option<u64>,
    ) -> Mounted {
        let mut body = serde_json::json!({"access_token": access_token, "token_type": "Bearer"});
        if let Some(seconds) = expires_in {
            body["expires_in"] = seconds.into();
        }
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .and(wiremock::matchers::path(path))
            .and(wiremock::matchers::body_string_contains(
                "grant_type=client_credentials",
            ))
            .respond_with(move |_: &wiremock::Request| {
                counted.fetch_add(1, Ordering::SeqCst);
                wiremock::ResponseTemplate::new(200).set_body_json(&body)
            })
            .named("OAuth 2 token endpoint")
            .mount(&self.server)
            .await;
        Mounted {
            calls,
            call: "OAuth 2 token endpoint",
        }
    }

    pub(crate) fn operation(&self, index: usize) -> &'static OperationSpec {
        &self.operations[index]
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        if let Err(problems) = self.check() {
            panic!(
                "the mock of the API found problems:\n{}",
                problems.join("\n")
            );
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Answers a request that no mock matched: names the operation it was meant for, if any.
struct Unanswered {
    operations: &'static [OperationSpec],
    problems: Arc<Mutex<Vec<String>>>,
    mounted: Arc<Mutex<Vec<MountedMock>>>,
}

impl wiremock::Respond for Unanswered {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let method = request.method.as_str();
        let path = request.url.path();
        let problem = match self
            .operations
            .iter()
            .find(|op| op.matches_route(method, path))
        {
            Some(op) => {
                let mut problem = format!(
                    "`{}` ({method} {path}): no mounted mock matched the request",
                    op.call
                );
                // The closest mock of the operation: the one with the fewest differences.
                let received = ReceivedRequest::of(request, self.operations);
                let closest = lock(&self.mounted)
                    .iter()
                    .filter(|m| std::ptr::eq(m.spec, op))
                    .map(|m| differences(&m.expected, &received))
                    .min_by_key(Vec::len);
                match closest {
                    Some(differences) => problem.push_str(&format!(
                        "; the closest mock of it differs: {}",
                        differences.join("; ")
                    )),
                    None => problem.push_str("; none of it is mounted"),
                }
                let invalid = op.problems(request);
                if !invalid.is_empty() {
                    problem.push_str(&format!("; and {}", invalid.join("; ")));
                }
                problem
            }
            None => format!("{method} {path}: the API has no such operation"),
        };
        lock(&self.problems).push(problem.clone());
        wiremock::ResponseTemplate::new(404).set_body_string(format!("mock: {problem}"))
    }
}

/// How `respond_pages` links the pages, by the operation's pagination shape.
pub(crate) enum PageLinks {
    /// A `Link` header whose `rel="next"` sets this query parameter.
    Header(&'static str),
    /// The next cursor at this path of the page (wire names): a string, or an integer page
    /// number; the last page's as the field allows (absent, null, or one that ends them).
    Cursor {
        path: &'static [&'static str],
        integer: bool,
        required: bool,
        nullable: bool,
    },
    /// A `has_more` boolean at this path (the cursor is the last item's id, as given).
    HasMore { has_more: &'static [&'static str] },
    /// The total of items at this path, the items in this field (or the page itself).
    Offset {
        total: &'static [&'static str],
        items: Option<&'static str>,
    },
}

/// Sets the value at `path` of a JSON object, making the objects on the way.
fn set_at(value: &mut serde_json::Value, path: &[&str], new: serde_json::Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = value;
    for key in parents {
        let Some(object) = current.as_object_mut() else {
            return;
        };
        current = object
            .entry((*key).to_owned())
            .or_insert_with(|| serde_json::json!({}));
    }
    if let Some(object) = current.as_object_mut() {
        object.insert((*last).to_owned(), new);
    }
}

/// Removes the value at `path` of a JSON object.
fn remove_at(value: &mut serde_json::Value, path: &[&str]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = value;
    for key in parents {
        match current.get_mut(*key) {
            Some(next) => current = next,
            None => return,
        }
    }
    if let Some(object) = current.as_object_mut() {
        object.remove(*last);
    }
}

/// One answer of a mock.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    content_type: Option<&'static str>,
}

/// What a request must carry for a mock to answer it.
#[derive(Clone, Debug, Default)]
struct Expected {
    path: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    custom: Vec<CustomMatcher>,
}

/// A matcher of the test's own.
#[derive(Clone)]
struct CustomMatcher(Arc<dyn Fn(&ReceivedRequest) -> bool + Send + Sync>);

impl std::fmt::Debug for CustomMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CustomMatcher")
    }
}

/// The part of every operation's mock builder that does not depend on its types: built by
/// the generated `mock` module.
pub struct OperationMock<'a> {
    server: &'a MockServer,
    spec: &'static OperationSpec,
    expected: Expected,
    answers: Vec<Answer>,
    delay: Option<Duration>,
    times: Option<u64>,
    link_param: Option<&'static str>,
}

impl std::fmt::Debug for OperationMock<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperationMock")
            .field("operation", &self.spec.call)
            .field("answers", &self.answers.len())
            .finish_non_exhaustive()
    }
}

impl<'a> OperationMock<'a> {
    pub(crate) fn new(server: &'a MockServer, index: usize) -> Self {
        OperationMock {
            server,
            spec: server.operation(index),
            expected: Expected::default(),
            answers: Vec::new(),
            delay: None,
            times: None,
            link_param: None,
        }
    }

    pub(crate) fn path_param(&mut self, name: &'static str, value: String) {
        self.expected.path.push((name, value));
    }

    /// Every item must be sent as a value of `name` (repeated pairs, or a comma-joined one).
    pub(crate) fn query(&mut self, name: &'static str, values: Vec<String>) {
        for value in values {
            self.expected.query.push((name.to_owned(), value));
        }
    }

    /// An object parameter: each member as `name[key]` (deepObject) or `key` pairs.
    pub(crate) fn query_object(
        &mut self,
        name: &'static str,
        value: serde_json::Value,
        deep: bool,
    ) {
        if let serde_json::Value::Object(members) = value {
            for (key, member) in members {
                if member.is_null() {
                    continue;
                }
                let text = match member {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                let key = if deep { format!("{name}[{key}]") } else { key };
                self.expected.query.push((key, text));
            }
        }
    }

    pub(crate) fn header(&mut self, name: &'static str, value: String) {
        self.expected.headers.push((name.to_owned(), value));
    }

    /// A structured header or path value, as the client writes it (`simple` style).
    pub(crate) fn simple(value: &serde_json::Value, explode: bool) -> String {
        simple_param(value, explode)
    }

    pub(crate) fn body<T: serde::Serialize>(&mut self, body: &T) {
        self.expected.body = serde_json::to_value(body).ok();
    }

    pub(crate) fn answer_json<T: serde::Serialize>(&mut self, status: u16, body: &T) {
        self.answers.push(Answer {
            status,
            headers: Vec::new(),
            body: serde_json::to_vec(body).unwrap_or_default(),
            content_type: Some("application/json"),
        });
    }

    /// A JSON answer with the media type the description documents (`application/problem+json`).
    pub(crate) fn answer_json_as<T: serde::Serialize>(
        &mut self,
        status: u16,
        body: &T,
        content_type: &'static str,
    ) {
        self.answers.push(Answer {
            status,
            headers: Vec::new(),
            body: serde_json::to_vec(body).unwrap_or_default(),
            content_type: Some(content_type),
        });
    }

    pub(crate) fn answer_raw(
        &mut self,
        status: u16,
        body: Vec<u8>,
        content_type: Option<&'static str>,
    ) {
        self.answers.push(Answer {
            status,
            headers: Vec::new(),
            body,
            content_type,
        });
    }

    /// Server-sent events, each event's data as JSON, then `data: [DONE]` when `done`.
    pub(crate) fn answer_events<T: serde::Serialize>(&mut self, events: &[T], done: bool) {
        let mut body = String::new();
        for event in events {
            body.push_str("data: ");
            body.push_str(&serde_json::to_string(event).unwrap_or_default());
            body.push_str("\n\n");
        }
        if done {
            body.push_str("data: [DONE]\n\n");
        }
        self.answer_raw(200, body.into_bytes(), Some("text/event-stream"));
    }

    /// Pages served in order, linked as the operation's pagination reads them, whatever the
    /// test put in their cursor fields: each but the last points to the next one, the last
    /// to none.
    pub(crate) fn pages<T: serde::Serialize>(&mut self, pages: &[T], links: PageLinks) {
        let mut values: Vec<serde_json::Value> = pages
            .iter()
            .map(|page| serde_json::to_value(page).unwrap_or_default())
            .collect();
        let n = values.len();
        match links {
            PageLinks::Header(param) => self.link_param = Some(param),
            PageLinks::Cursor {
                path,
                integer,
                required,
                nullable,
            } => {
                for (i, value) in values.iter_mut().enumerate() {
                    let next = if i + 1 < n {
                        if integer {
                            serde_json::json!(i + 2)
                        } else {
                            serde_json::json!(format!("page-{}", i + 2))
                        }
                    } else if nullable {
                        serde_json::Value::Null
                    } else if !required {
                        remove_at(value, path);
                        continue;
                    } else if integer {
                        // The cursor this page was asked with: one seen before ends the pages.
                        serde_json::json!(i + 1)
                    } else {
                        serde_json::json!("")
                    };
                    set_at(value, path, next);
                }
            }
            PageLinks::HasMore { has_more } => {
                for (i, value) in values.iter_mut().enumerate() {
                    set_at(value, has_more, serde_json::json!(i + 1 < n));
                }
            }
            PageLinks::Offset { total, items } => {
                let count: usize = values
                    .iter()
                    .map(|v| {
                        let list = match items {
                            Some(field) => v.get(field),
                            None => Some(v),
                        };
                        list.and_then(serde_json::Value::as_array).map_or(0, Vec::len)
                    })
                    .sum();
                for value in &mut values {
                    set_at(value, total, serde_json::json!(count));
                }
            }
        }
        for value in &values {
            self.answer_json(200, value);
        }
    }

    pub(crate) fn answer_header(&mut self, name: &str, value: &str) {
        if let Some(answer) = self.answers.last_mut() {
            answer.headers.push((name.to_owned(), value.to_owned()));
        }
    }

    pub(crate) fn delay(&mut self, delay: Duration) {
        self.delay = Some(delay);
    }

    pub(crate) fn expect(&mut self, times: u64) {
        self.times = Some(times);
    }

    pub(crate) async fn mount(self) -> Mounted {
        assert!(
            !self.answers.is_empty(),
            "the mock of `{}` has no answer: give it one with a `respond_..` method",
            self.spec.call
        );
        let calls = Arc::new(AtomicUsize::new(0));
        let mock = wiremock::Mock::given(Matcher {
            spec: self.spec,
            expected: self.expected.clone(),
            operations: self.server.operations,
        })
        .respond_with(Responder {
            spec: self.spec,
            answers: self.answers,
            delay: self.delay,
            link_param: self.link_param,
            calls: calls.clone(),
            problems: self.server.problems.clone(),
        })
        .named(self.spec.call);
        // Expectations are the server's own (`check`), so that they are listed with the
        // other problems.
        lock(&self.server.mounted).push(MountedMock {
            spec: self.spec,
            expected: self.expected,
            times: self.times,
            calls: calls.clone(),
        });
        mock.mount(&self.server.server).await;
        Mounted {
            calls,
            call: self.spec.call,
        }
    }
}

/// The mock builder of one operation: `Op` is the operation's marker type (in the crate's
/// `mock::operations` module), whose methods match its parameters and answer with its
/// documented responses, in the operation's own types. Finish with `.mount().await`.
#[must_use = "a mock does nothing until `.mount().await`"]
pub struct Mock<'a, Op> {
    pub(crate) inner: OperationMock<'a>,
    op: std::marker::PhantomData<Op>,
}

impl<Op> std::fmt::Debug for Mock<'_, Op> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<'a, Op> Mock<'a, Op> {
    pub(crate) fn new(server: &'a MockServer, index: usize) -> Self {
        Mock {
            inner: OperationMock::new(server, index),
            op: std::marker::PhantomData,
        }
    }

    /// Answers `status` with this JSON body (for a status the description does not
    /// document, or a body it does not type).
    pub fn respond_json(mut self, status: u16, body: serde_json::Value) -> Self {
        self.inner.answer_json(status, &body);
        self
    }

    /// Answers `status` without a body.
    pub fn respond_status(mut self, status: u16) -> Self {
        self.inner.answer_raw(status, Vec::new(), None);
        self
    }

    /// Answers only requests with this header value (any header: one a hook adds, such as
    /// `traceparent`, or one set with `.header(..)`). The name is not case-sensitive.
    pub fn match_header(mut self, name: &str, value: &str) -> Self {
        self.inner
            .expected
            .headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Answers only requests for which `matches` is true, beside the other matchers.
    pub fn match_request(
        mut self,
        matches: impl Fn(&ReceivedRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.inner.expected.custom.push(CustomMatcher(Arc::new(matches)));
        self
    }

    /// Adds a header to the last answer set up.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.inner.answer_header(name, value);
        self
    }

    /// Waits this long before each answer.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.inner.delay(delay);
        self
    }

    /// Expects exactly `times` requests: checked by [`MockServer::verify`] and when the
    /// server is dropped.
    pub fn expect(mut self, times: u64) -> Self {
        self.inner.expect(times);
        self
    }

    /// Mounts the mock on its server; its answers are given in order, the last one again
    /// after them.
    pub async fn mount(self) -> Mounted {
        self.inner.mount().await
    }
}

/// A mounted mock: how often it answered.
#[derive(Debug, Clone)]
pub struct Mounted {
    calls: Arc<AtomicUsize>,
    call: &'static str,
}

impl Mounted {
    /// How many requests this mock answered.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Fails (panics) unless this mock answered exactly `n` requests.
    pub fn assert_calls(&self, n: usize) {
        let calls = self.calls();
        assert_eq!(
            calls, n,
            "the mock of `{}` answered {calls} requests, not {n}",
            self.call
        );
    }
}

struct Matcher {
    spec: &'static OperationSpec,
    expected: Expected,
    operations: &'static [OperationSpec],
}

impl wiremock::Match for Matcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if !self
            .spec
            .matches_route(request.method.as_str(), request.url.path())
        {
            return false;
        }
        let received = ReceivedRequest::of(request, self.operations);
        differences(&self.expected, &received).is_empty()
    }
}

/// How a request differs from what a mock expects, one line per matcher that differs.
fn differences(expected: &Expected, received: &ReceivedRequest) -> Vec<String> {
    let mut out = Vec::new();
    let params = received.path_params.as_deref().unwrap_or_default();
    for (name, value) in &expected.path {
        if !params.iter().any(|(n, v)| n == name && v == value) {
            let got = params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
            out.push(format!("path parameter `{name}`: wants `{value}`, got {}", shown(got)));
        }
    }
    for (name, value) in &expected.query {
        let sent: Vec<&str> = received
            .query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        if !sent.iter().any(|v| v == value || v.split(',').any(|item| item == value)) {
            out.push(format!("query `{name}`: wants `{value}`, got {}", shown(sent.first().copied())));
        }
    }
    for (name, value) in &expected.headers {
        let sent: Vec<&str> = received
            .raw_headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        if !sent.iter().any(|v| v == value) {
            let got = if is_secret_header(name) {
                sent.first().map(|_| "***")
            } else {
                sent.first().copied()
            };
            out.push(format!("header `{name}`: wants the value set, got {}", shown(got)));
        }
    }
    if let Some(expected) = &expected.body {
        match serde_json::from_slice::<serde_json::Value>(&received.body) {
            Ok(sent) if &sent == expected => {}
            Ok(_) => out.push("the JSON body is another value".to_owned()),
            Err(_) => out.push("the body is not JSON".to_owned()),
        }
    }
    for (i, custom) in expected.custom.iter().enumerate() {
        if !(custom.0)(received) {
            out.push(format!("match_request #{} returned false", i + 1));
        }
    }
    out
}

/// A received value as a message shows it: escaped, at most 64 characters, or "nothing".
fn shown(value: Option<&str>) -> String {
    match value {
        None => "nothing".to_owned(),
        Some(v) => {
            let mut out: String = v.chars().take(64).flat_map(char::escape_default).collect();
            if v.chars().count() > 64 {
                out.push('…');
            }
            format!("`{out}`")
        }
    }
}

/// Whether a header's value is a secret the received requests mask: credentials, cookies,
/// and names that say token, secret, key, session, password or auth.
fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["authorization", "cookie", "token", "secret", "key", "session", "password", "auth"]
        .iter()
        .any(|w| name.contains(w))
}

/// A request the mock server received, as a test reads it back.
#[derive(Clone)]
pub struct ReceivedRequest {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    /// As sent: for the matchers only, never shown.
    raw_headers: Vec<(String, String)>,
    body: Vec<u8>,
    operation: Option<&'static str>,
    path_params: Option<Vec<(String, String)>>,
}

impl ReceivedRequest {
    fn of(request: &wiremock::Request, operations: &'static [OperationSpec]) -> Self {
        let method = request.method.as_str().to_owned();
        let path = request.url.path().to_owned();
        let operation = operations.iter().find(|op| op.matches_route(&method, &path));
        ReceivedRequest {
            query: request
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            raw_headers: request
                .headers
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect(),
            body: request.body.clone(),
            operation: operation.map(|op| op.call),
            path_params: operation.and_then(|op| path_params(op.template, &path)),
            method,
            path,
        }
    }

    /// The method, such as `GET`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path, as sent (percent-encoded).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs, decoded, in order.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The first value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A header's value (the first, case-insensitive); `***` for a secret one (see
    /// [`ReceivedRequest::headers`]).
    pub fn header(&self, name: &str) -> Option<&str> {
        let (key, value) = self
            .raw_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))?;
        Some(if is_secret_header(key) { "***" } else { value })
    }

    /// Every header, lowercase names, secrets (`Authorization`, cookies, and names with
    /// token, secret, key, session, password or auth in them) as `***`.
    pub fn headers(&self) -> Vec<(&str, &str)> {
        self.raw_headers
            .iter()
            .map(|(k, v)| (k.as_str(), if is_secret_header(k) { "***" } else { v.as_str() }))
            .collect()
    }

    /// The body's bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body decoded as `T` (an operation's body type), when it decodes.
    pub fn body_json<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The operation the request was for (`client.organizations().get(..)`), when it is one
    /// of the API's.
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }
}

impl std::fmt::Debug for ReceivedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers())
            .field("body_len", &self.body.len())
            .field("operation", &self.operation)
            .finish()
    }
}

struct Responder {
    spec: &'static OperationSpec,
    answers: Vec<Answer>,
    delay: Option<Duration>,
    link_param: Option<&'static str>,
    calls: Arc<AtomicUsize>,
    problems: Arc<Mutex<Vec<String>>>,
}

impl wiremock::Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let invalid = self.spec.problems(request);
        if !invalid.is_empty() {
            let problem = format!(
                "`{}` ({} {}): {}",
                self.spec.call,
                request.method,
                request.url.path(),
                invalid.join("; ")
            );
            lock(&self.problems).push(problem.clone());
            return wiremock::ResponseTemplate::new(400)
                .set_body_string(format!("mock: {problem}"));
        }
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let answer = &self.answers[n.min(self.answers.len() - 1)];
        let mut template = wiremock::ResponseTemplate::new(answer.status);
        template = match answer.content_type {
            Some(content_type) => template.set_body_raw(answer.body.clone(), content_type),
            None => template.set_body_bytes(answer.body.clone()),
        };
        for (name, value) in &answer.headers {
            template = template.append_header(name.as_str(), value.as_str());
        }
        if let Some(param) = self.link_param {
            if n + 1 < self.answers.len() {
                let mut next = request.url.clone();
                let others: Vec<(String, String)> = next
                    .query_pairs()
                    .filter(|(k, _)| k != param)
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                next.query_pairs_mut()
                    .clear()
                    .extend_pairs(others)
                    .append_pair(param, &(n + 2).to_string());
                template =
                    template.append_header("link", format!("<{next}>; rel=\"next\"").as_str());
            }
        }
        if let Some(delay) = self.delay {
            template = template.set_delay(delay);
        }
        template
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_paths_and_give_their_parameters() {
        let params = path_params(
            "/orgs/{org}/files/{name}.{ext}",
            "/orgs/a%20b/files/report.v2.pdf",
        )
        .expect("matches");
        assert_eq!(
            params,
            [
                ("org".to_owned(), "a b".to_owned()),
                ("name".to_owned(), "report".to_owned()),
                ("ext".to_owned(), "v2.pdf".to_owned())
            ]
        );
        assert!(path_params("/orgs/{org}", "/orgs/a/b").is_none());
        assert!(path_params("/orgs/{org}", "/orgs/").is_none());
        assert!(path_params("/orgs", "/orgs").is_some());
    }
}
