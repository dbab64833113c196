//! The conformance runner: generates a client for each description, builds every crate's
//! generated conformance test in one scratch workspace (with `-D warnings`), starts Prism in
//! `--errors` mode on 127.0.0.1 for each description, behind a recording proxy, runs the test
//! against it and judges each call (every operation is called twice: required arguments,
//! then all) on its own: OK, spec fault (the description's own example breaks its schema),
//! other (the mock cannot answer in that media type) and ours: Prism rejected our request,
//! our types could not hold a spec-valid value or decode a response Prism had validated, the
//! call failed below HTTP or with an unexpected status, or an argument the call was given is
//! not on the request the proxy recorded (`wire_check`). The table goes to stdout and
//! `target/conformance-report.txt`.
//!
//! Prism comes from `PRISM_BIN` or `target/prism` (where `.ci/run` installs it); without it
//! the runner skips, saying so. `CONFORMANCE_SPECS` (comma-separated substrings of spec labels)
//! limits the run to some descriptions; `CONFORMANCE_MAX_OPERATIONS` leaves out the larger
//! ones other than Stytch's; `CONFORMANCE_JOBS` (default 2) is how many descriptions run at
//! once, each against its own Prism.

mod common;
mod wire_check;

use std::collections::BTreeMap;
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::root;

/// Which calls of an operation a [`Known`] entry covers.
#[derive(Clone, Copy, PartialEq)]
enum Calls {
    /// The call with the required arguments only.
    Required,
    /// The call with every argument.
    All,
    Both,
}

/// A failure of ours that is explained: a limit of the mock, or a description that
/// contradicts itself. It covers the named calls of the named operations of one description,
/// and only the violations it names: a call with any violation that no text of `explains`
/// is found in is ours. The runner fails on any failure of ours not explained, and on an
/// entry that explains nothing any more (so the list shrinks as the causes are fixed).
struct Known {
    spec: &'static str,
    operations: &'static [&'static str],
    calls: Calls,
    explains: &'static [&'static str],
    reason: &'static str,
}

impl Known {
    fn covers(&self, spec: &str, call: &Call) -> bool {
        self.spec == spec
            && self.operations.contains(&call.op.as_str())
            && match self.calls {
                Calls::Required => call.mode == "required",
                Calls::All => call.mode == "all",
                Calls::Both => true,
            }
            && violations(&call.verdict, &call.detail)
                .iter()
                .all(|v| self.explains.iter().any(|e| v.contains(e)))
    }
}

/// Prism reads every multipart part as text and keeps form fields strings without an
/// `encoding` entry.
const MULTIPART_AS_TEXT: &str = "Prism's limit: it reads every multipart part as text, also one sent as `application/json` (OpenAPI's default for an object part), and without an `encoding` entry keeps every part a string, so no object or array part can pass";
const FORM_TOP_LEVEL_ONLY: &str = "Prism's limit: it reads a form body by its top-level `properties` only, so fields that `oneOf` or `allOf` parts declare are dropped, and without an `encoding` entry it keeps every field a string, so no object or array field can pass";

const KNOWN: &[Known] = &[
    // Prism's limits: no request can pass, whatever the client sends.
    Known {
        spec: "tests/fixtures/lossless.yaml",
        operations: &["getAccountDetail"],
        calls: Calls::Required,
        explains: &["NO_PATH_MATCHED_ERROR"],
        reason: "Prism's limit: it routes the path key with its `#fragment` (`/accounts/{id}#detail`), which HTTP never sends, so the request for `/accounts/x` finds no route",
    },
    Known {
        spec: "tests/fixtures/wire_cases.yaml",
        operations: &["cancelResponseBeta"],
        calls: Calls::Both,
        explains: &["NO_PATH_MATCHED_ERROR"],
        reason: "Prism's limit: it routes the path key with its `?beta=true` as path text, so the request for `/responses/x/cancel?beta=true` finds no route (OpenAI's description has a plain twin of each such key, which Prism answers)",
    },
    Known {
        spec: "tests/fixtures/bodies.yaml",
        operations: &["postForm"],
        calls: Calls::All,
        explains: &["Request body property tags must be array"],
        reason: "Prism's limit: a one-item array in a form body (`tags=a`, form style, exploded, as OpenAPI says) reads as a string to it",
    },
    Known {
        spec: "openapi-3.0/box-openapi.json",
        operations: &["post_files_content", "post_files_id_content"],
        calls: Calls::Both,
        explains: &["Request body property attributes must be object"],
        reason: MULTIPART_AS_TEXT,
    },
    Known {
        spec: "openapi-3.0/box-openapi.json",
        operations: &["get_search"],
        calls: Calls::All,
        explains: &["mdfilters.0 must be object"],
        reason: "Prism's limit: an array of objects in a query (OpenAPI defines no serialisation for it; we send each item's JSON text, with a warning) passes only in Prism's own `mdfilters[0][scope]=` notation",
    },
    Known {
        spec: "openapi-3.0/box-openapi.json",
        operations: &["post_oauth2_revoke"],
        calls: Calls::All,
        explains: &["required property 'grant_type'"],
        reason: "Prism's limit: it reads a form body by its declared `properties` only; `grant_type` is required but not declared, so the one we send is dropped",
    },
    Known {
        spec: "openapi-3.0/datadog-v1.yaml",
        operations: &["SubmitDistributionPoints", "SubmitMetrics"],
        calls: Calls::Both,
        explains: &["Request body must be object"],
        reason: "Prism's limit: it parses `text/json` (the media type these operations declare) as text, not JSON; `application/json` gets 415",
    },
    Known {
        spec: "openapi-3.1/lichess-bundled.yaml",
        operations: &[
            "apiBoardSeek",
            "broadcastRoundCreate",
            "broadcastRoundUpdate",
            "broadcastTourCreate",
            "broadcastTourUpdate",
        ],
        calls: Calls::Both,
        explains: &[
            "required property 'syncUrl",
            "required property 'syncIds'",
            "required property 'syncUsers'",
            "required property 'time'",
            "required property 'increment'",
            "required property 'days'",
            "required property 'name'",
            "must be object",
            "must be array",
            "must match exactly one schema in oneOf",
            "must match a schema in anyOf",
        ],
        reason: FORM_TOP_LEVEL_ONLY,
    },
    Known {
        spec: "openapi-3.0/openai-3.0.0.yaml",
        operations: &["createTranscription"],
        calls: Calls::All,
        explains: &["include[] must be array"],
        reason: MULTIPART_AS_TEXT,
    },
    Known {
        spec: "openapi-3.1/openai-openapi.yaml",
        operations: &["createTranscription", "createFile"],
        calls: Calls::All,
        explains: &["languages must be array", "expires_after must be object"],
        reason: MULTIPART_AS_TEXT,
    },
    // Descriptions that contradict themselves: no valid request exists.
    Known {
        spec: "openapi-3.0/openai-3.0.0.yaml",
        operations: &["getCertificate"],
        calls: Calls::Both,
        explains: &["required property 'cert_id'"],
        reason: "spec fault: the parameter is `cert_id` but the path template says `{certificate_id}`; the undeclared template parameter is sent (with a warning), `cert_id` cannot be",
    },
    Known {
        spec: "openapi-3.0/linode-openapi.yaml",
        operations: &["post-add-linode-config", "put-linode-config"],
        calls: Calls::All,
        explains: &["root_device must match pattern"],
        reason: "spec fault: the pattern is prose (`a-z, A-Z, 0-9, /, _, -`), and the description's own example `/dev/sda` breaks it",
    },
    Known {
        spec: "openapi-3.0/linode-openapi.yaml",
        operations: &["post-firewalls"],
        calls: Calls::All,
        explains: &[
            "found 'devices'",
            "found 'inbound_policy'",
            "found 'outbound_policy'",
        ],
        reason: "spec fault: `rules` requires `inbound_policy` and `outbound_policy` while an `allOf` part with `additionalProperties: false` forbids them and `devices`",
    },
    Known {
        spec: "openapi-3.0/linode-openapi.yaml",
        operations: &["post-object-storage-bucket"],
        calls: Calls::All,
        explains: &["found 'cluster'"],
        reason: "spec fault: `cluster` is required, but the schema has `additionalProperties: false` and no `cluster` property",
    },
    Known {
        spec: "openapi-3.0/ory-kratos.json",
        operations: &["updateRegistrationFlow"],
        calls: Calls::Both,
        explains: &[
            "must have required property 'provider'",
            "must match exactly one schema in oneOf",
        ],
        reason: "spec fault: the `oneOf` alternatives overlap (WebAuthn, Code, Passkey and Profile all require exactly `traits` and `method`, and `method` is a plain string), so every valid-looking body matches several",
    },
    Known {
        spec: "openapi-3.0/ory-kratos.json",
        operations: &["updateSettingsFlow"],
        calls: Calls::Both,
        explains: &[
            "must have required property 'traits'",
            "must match exactly one schema in oneOf",
        ],
        reason: "spec fault: six `oneOf` alternatives require only `method`, a plain string, so every body matches several",
    },
    Known {
        spec: "openapi-3.0/sonarr-v5.json",
        operations: &["get__"],
        calls: Calls::Required,
        explains: &["Request path must have required property 'path'"],
        reason: "spec fault: `/` declares the path parameter `path` (copied from `/{path}`); the template has no such parameter, so it is not sent (with a warning)",
    },
    Known {
        spec: "openapi-3.1/lichess-bundled.yaml",
        operations: &["apiExportBookmarks", "gamesExportIds"],
        calls: Calls::Both,
        explains: &["accept must be equal to one of the allowed values"],
        reason: "spec fault: the `Accept` parameter allows only PGN and NDJSON while the only response is `application/json` (OpenAPI says an `Accept` parameter is ignored; Prism checks it)",
    },
];

/// The violations of a failed call, each explained or not on its own: Prism's
/// `sl-violations` (location and message) for a rejected request, each argument the wire
/// check missed, else the whole detail.
fn violations(verdict: &str, detail: &str) -> Vec<String> {
    let (prism, wire) = match detail.split_once(WIRE_SEPARATOR) {
        Some((prism, wire)) => (prism, Some(wire)),
        None => (detail, None),
    };
    let mut out = Vec::new();
    let listed = prism
        .find("[{")
        .and_then(|start| {
            serde_json::Deserializer::from_str(&prism[start..])
                .into_iter::<serde_json::Value>()
                .next()?
                .ok()
        })
        .and_then(|v| v.as_array().cloned());
    match listed {
        Some(items) if verdict == "rejected" => {
            for item in items {
                let location: Vec<String> = item["location"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|l| l.as_str().map_or_else(|| l.to_string(), str::to_owned))
                    .collect();
                let message = item["message"].as_str().unwrap_or_default();
                out.push(format!("{}: {message}", location.join(".")));
            }
        }
        _ if prism.trim().is_empty() && wire.is_some() => {}
        _ => out.push(prism.to_owned()),
    }
    if let Some(wire) = wire {
        out.extend(wire.split(" | ").map(|w| format!("wire: {w}")));
    }
    out
}

/// Between a call's own detail and what the wire check found missing.
const WIRE_SEPARATOR: &str = " ;; wire: ";

/// Verdicts of the generated test that are our fault (`wire` is the runner's own).
const OURS: &[&str] = &[
    "rejected",
    "decode",
    "unrepresentable",
    "refused",
    "transport",
    "status",
    "wire",
];

fn prism() -> Option<PathBuf> {
    let path = std::env::var_os("PRISM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/prism/node_modules/.bin/prism"));
    path.exists().then_some(path)
}

struct Spec {
    label: String,
    crate_name: String,
    path: PathBuf,
}

fn corpus_specs(shared: &Path) -> Vec<Spec> {
    let (unpacked, paths) = common::corpus_specs(shared);
    let mut out = vec![Spec {
        label: "stytch/openapi.yml (official)".into(),
        crate_name: "conf-stytch-official".into(),
        path: shared.join("specs/stytch/openapi.yml"),
    }];
    for path in paths {
        let stem: String = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        // `openapi-3.0/name.json`, as the table and the known verdicts name it.
        let label = path
            .strip_prefix(&unpacked)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        out.push(Spec {
            label,
            crate_name: format!("conf-{stem}"),
            path,
        });
    }
    out
}

/// One call's outcome.
#[derive(Clone, Default)]
struct Call {
    op: String,
    mode: String,
    verdict: String,
    detail: String,
}

fn rank(verdict: &str) -> u8 {
    match verdict {
        "ok" => 0,
        "spec" => 1,
        v if OURS.contains(&v) => 3,
        _ => 2,
    }
}

/// Parses the generated test's lines: `conformance-expect\top\tmode\tjson` before each
/// call, `conformance\top\tmode\tverdict\tdetail` after it, each `decode` followed by
/// `conformance-body\top\tmode\tbody`. A body that did not decode is checked against the
/// description by `breaks_schema`: when the mock's answer breaks the response schema itself,
/// where the decoding failed, the verdict is the spec's (`spec`), not ours. Each call's
/// request (from `requests`, by its key) must carry every argument it was given.
fn parse_outcomes(
    stdout: &str,
    mut breaks_schema: impl FnMut(&str, &str, &str) -> Option<String>,
    requests: &BTreeMap<String, wire_check::Seen>,
) -> Vec<Call> {
    // With several test threads, libtest's `test x ... ` can precede a line of ours on the
    // same output line: each of ours is read from where it starts (they hold no tabs but
    // their separators, and end their line).
    let lines: Vec<&str> = stdout
        .lines()
        .map(|l| {
            [
                "conformance-body\t",
                "conformance-expect\t",
                "conformance\t",
            ]
            .iter()
            .filter_map(|tag| l.find(tag))
            .min()
            .map_or(l, |i| &l[i..])
        })
        .collect();
    let mut bodies: BTreeMap<(&str, &str), String> = BTreeMap::new();
    let mut expected: BTreeMap<(&str, &str), serde_json::Value> = BTreeMap::new();
    for &line in &lines {
        let mut parts = line.splitn(4, '\t');
        let tag = parts.next();
        if let (Some(op), Some(mode), Some(rest)) = (parts.next(), parts.next(), parts.next()) {
            match tag {
                Some("conformance-body") => {
                    // A JSON string, the body as it arrived.
                    if let Ok(body) = serde_json::from_str(rest) {
                        bodies.insert((op, mode), body);
                    }
                }
                Some("conformance-expect") => {
                    if let Ok(json) = serde_json::from_str(rest) {
                        expected.insert((op, mode), json);
                    }
                }
                _ => {}
            }
        }
    }
    let mut calls = Vec::new();
    for &line in &lines {
        let mut parts = line.splitn(5, '\t');
        if parts.next() != Some("conformance") {
            continue;
        }
        let (Some(op), Some(mode), Some(verdict)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let detail = parts.next().unwrap_or("");
        let reason = match bodies.get(&(op, mode)) {
            Some(body) if verdict == "decode" => breaks_schema(op, detail, body),
            _ => None,
        };
        let (mut verdict, mut detail) = match &reason {
            Some(reason) => ("spec", format!("{reason}; {detail}")),
            None => (verdict, detail.to_owned()),
        };
        // The wire check, for every call that sent a request.
        if !matches!(verdict, "unrepresentable" | "refused" | "transport") {
            if let Some(expect) = expected.get(&(op, mode)) {
                let key = expect["key"].as_str().unwrap_or_default();
                let missing = match requests.get(key) {
                    Some(seen) => wire_check::missing(expect, seen),
                    None => vec![format!(
                        "no request with `x-conformance-call: {key}` was recorded"
                    )],
                };
                if !missing.is_empty() {
                    if matches!(verdict, "ok" | "spec" | "mock") {
                        verdict = "wire";
                        detail.clear();
                    }
                    detail = format!("{detail}{WIRE_SEPARATOR}{}", missing.join(" | "));
                }
            }
        }
        calls.push(Call {
            op: op.to_owned(),
            mode: mode.to_owned(),
            verdict: verdict.to_owned(),
            detail: detail.chars().take(1500).collect(),
        });
    }
    calls
}

/// The JSON pointer of the innermost value of `text` that holds byte `at`.
fn pointer_at(text: &str, at: usize) -> Option<String> {
    fn skip_ws(b: &[u8], mut i: usize) -> usize {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    }
    fn string_end(b: &[u8], mut i: usize) -> usize {
        i += 1;
        while i < b.len() && b[i] != b'"' {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        i + 1
    }
    /// Parses the value at `i`; returns its end and, when `at` is inside it, the pointer of
    /// the innermost value there.
    fn value(b: &[u8], i: usize, path: &str, at: usize, depth: usize) -> (usize, Option<String>) {
        let i = skip_ws(b, i);
        if depth > 256 || i >= b.len() {
            return (b.len(), None);
        }
        let (end, inner) = match b[i] {
            b'{' | b'[' => {
                let object = b[i] == b'{';
                let close = if object { b'}' } else { b']' };
                let mut j = skip_ws(b, i + 1);
                let mut index = 0;
                let mut found = None;
                while j < b.len() && b[j] != close {
                    let child = if object {
                        let key_end = string_end(b, j);
                        let key: String =
                            serde_json::from_slice(&b[j..key_end.min(b.len())]).unwrap_or_default();
                        j = skip_ws(b, key_end) + 1;
                        format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"))
                    } else {
                        format!("{path}/{index}")
                    };
                    let (child_end, inner) = value(b, j, &child, at, depth + 1);
                    found = found.or(inner);
                    j = skip_ws(b, child_end);
                    if j < b.len() && b[j] == b',' {
                        j = skip_ws(b, j + 1);
                    }
                    index += 1;
                }
                (j + 1, found)
            }
            b'"' => (string_end(b, i), None),
            _ => {
                let mut j = i;
                while j < b.len()
                    && !matches!(b[j], b',' | b'}' | b']')
                    && !b[j].is_ascii_whitespace()
                {
                    j += 1;
                }
                (j, None)
            }
        };
        let here = (i..end).contains(&at).then(|| path.to_owned());
        (end, inner.or(here))
    }
    value(text.as_bytes(), 0, "", at, 0).1
}

/// The byte offset that serde_json's `... at line L column C` names in `text`.
fn error_offset(text: &str, detail: &str) -> Option<usize> {
    let rest = &detail[detail.rfind(" at line ")? + " at line ".len()..];
    let (line, rest) = rest.split_once(" column ")?;
    let line: usize = line.trim().parse().ok()?;
    let column: usize = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let start: usize = text
        .split('\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    Some((start + column).saturating_sub(1))
}

/// The description's response schemas, to check a body the client could not decode.
struct ResponseSchemas {
    raw: serde_json::Value,
    /// Operation label (as the test prints it) to the operation's JSON pointer.
    pointers: BTreeMap<String, String>,
}

impl ResponseSchemas {
    fn load(spec: &Path) -> Option<ResponseSchemas> {
        let text = std::fs::read_to_string(spec).ok()?;
        // Parsed once: the operations' pointers come from lowering the same document.
        let (raw, pointers) = clientgen::internals::operation_pointers(&text)?;
        let pointers = pointers.into_iter().collect();
        Some(ResponseSchemas { raw, pointers })
    }

    /// Why `body`, answered with the status in `detail` (`... (status 200): ...`), breaks
    /// the operation's response schema, if it does.
    fn breaks(&self, op: &str, detail: &str, text: &str) -> Option<String> {
        let status = detail
            .split_once("(status ")
            .and_then(|(_, rest)| rest.get(..3))?;
        let body: serde_json::Value = serde_json::from_str(text).ok()?;
        let pointer = self.pointers.get(op.split(" (").next().unwrap_or(op))?;
        let synth = clientgen_testkit::synth::Synth::lenient(&self.raw);
        let responses = self
            .raw
            .pointer(&format!("{}/responses", pointer.trim_start_matches('#')))?;
        let range = format!("{}XX", &status[..1]);
        let response = [status, range.as_str(), "default"]
            .iter()
            .find_map(|k| responses.get(*k))
            .map(|r| synth.resolve(r))?;
        let schema = response
            .get("content")?
            .as_object()?
            .iter()
            .find(|(media, _)| media.contains("json"))?
            .1
            .get("schema")?;
        let failures = synth.failures(&body, schema);
        // Blamed only where the client's decoding failed: the value there, or one inside
        // it, breaks the schema. A decode error without a position blames any failure.
        let at = error_offset(text, detail).and_then(|at| pointer_at(text, at));
        let blamed = failures.iter().find(|f| match &at {
            Some(at) => *f == at || f.starts_with(&format!("{at}/")),
            None => true,
        })?;
        Some(format!(
            "the mock answered {status} with a body that breaks the description's own \
             response schema at `{blamed}`, where decoding failed (checked by the runner; \
             Prism did not flag it)"
        ))
    }
}

/// Builds every conformance test binary; returns the binary per crate and the first compile
/// errors per crate.
fn build_tests(dir: &Path) -> (BTreeMap<String, PathBuf>, BTreeMap<String, String>) {
    // `cargo build --test` rather than `cargo test --no-run`: only `build` keeps going past
    // a crate that fails, and it builds the same test binaries.
    let output = Command::new(env!("CARGO"))
        .args([
            "build",
            "--workspace",
            "--keep-going",
            "--test",
            "conformance",
            // The test reads its arguments as JSON (see the generated manifest).
            "--features",
            "serde-all",
            "--message-format",
            "json-diagnostic-short",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .env("RUSTFLAGS", "-D warnings")
        // Nobody reads the debug info of these binaries; without it they link faster. Built
        // once from scratch: incremental state would only cost time and disk.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stderr(Stdio::piped())
        .output()
        .expect("run cargo build --test conformance");
    let mut bins = BTreeMap::new();
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(member) = msg["manifest_path"]
            .as_str()
            .and_then(|m| Path::new(m).parent()?.file_name())
            .map(|n| n.to_string_lossy().into_owned())
        else {
            continue;
        };
        if let Some(exe) = msg["executable"].as_str() {
            if msg["target"]["name"] == "conformance" {
                bins.insert(member.clone(), PathBuf::from(exe));
            }
        }
        if msg["message"]["level"] == "error" {
            let text = msg["message"]["rendered"].as_str().unwrap_or("").trim();
            let entry = errors.entry(member).or_default();
            if entry.matches(" / ").count() < 3 {
                if !entry.is_empty() {
                    entry.push_str(" / ");
                }
                entry.push_str(text);
            }
        }
    }
    if bins.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        errors.insert(
            "*".into(),
            stderr.lines().take(5).collect::<Vec<_>>().join(" / "),
        );
    }
    (bins, errors)
}

/// The description as Prism gets it. Prism resolves every `$ref` member it finds, also in
/// literal example values (GitHub's SCIM examples carry `"$ref": "https://api.github.com/..."`
/// as data), and exits when it cannot fetch one. Those members are dropped from a copy
/// (written beside the logs) of a JSON description; schemas and operations are untouched.
fn prism_input(spec: &Path, logs: &Path, crate_name: &str) -> PathBuf {
    fn strip_literal_refs(value: &mut serde_json::Value, in_example: bool) -> bool {
        let mut changed = false;
        match value {
            serde_json::Value::Object(map) => {
                if in_example
                    && map
                        .get("$ref")
                        .is_some_and(|r| r.as_str().is_some_and(|r| !r.starts_with('#')))
                {
                    map.remove("$ref");
                    changed = true;
                }
                for (key, member) in map.iter_mut() {
                    let literal = in_example
                        || matches!(
                            key.as_str(),
                            "example" | "value" | "default" | "enum" | "const"
                        );
                    changed |= strip_literal_refs(member, literal);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    changed |= strip_literal_refs(item, in_example);
                }
            }
            _ => {}
        }
        changed
    }
    if spec.extension().is_none_or(|x| x != "json") {
        return spec.to_path_buf();
    }
    let Some(mut doc) = std::fs::read(spec)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    else {
        return spec.to_path_buf();
    };
    if !strip_literal_refs(&mut doc, false) {
        return spec.to_path_buf();
    }
    let copy = logs.join(format!("{crate_name}.prism.json"));
    match std::fs::write(&copy, doc.to_string()) {
        Ok(()) => copy,
        Err(_) => spec.to_path_buf(),
    }
}

/// Prism on 127.0.0.1 only, on a port that was free a moment ago, answering when this returns.
fn start_prism(prism: &Path, spec: &Path, log: &Path) -> Result<(Child, u16), String> {
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let log_file = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let mut child = Command::new(prism)
        .args([
            "mock",
            "--errors",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .arg(spec)
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start prism: {e}"))?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    // Large descriptions take Prism a while to load.
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("prism exited ({status}); see {}", log.display()));
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok((child, port));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(format!(
        "prism did not listen within 300 s; see {}",
        log.display()
    ))
}

/// Runs one description's conformance test against its own Prism and fills in its row.
fn run_spec(
    prism: &Path,
    spec: &Spec,
    row: &mut Row,
    bins: &BTreeMap<String, PathBuf>,
    build_errors: &BTreeMap<String, String>,
    logs: &Path,
) {
    let started = Instant::now();
    let Some(bin) = bins.get(&spec.crate_name) else {
        row.note = format!(
            "build failed: {}",
            build_errors
                .get(&spec.crate_name)
                .or_else(|| build_errors.get("*"))
                .map_or("no test binary", String::as_str)
        );
        return;
    };
    let log = logs.join(format!("{}.log", spec.crate_name));
    let input = prism_input(&spec.path, logs, &spec.crate_name);
    let (mut child, port) = match start_prism(prism, &input, &log) {
        Ok(p) => p,
        Err(e) => {
            row.note = e;
            return;
        }
    };
    // The recording proxy between the test and Prism, for the wire check.
    let proxy = match wire_check::Proxy::start(port) {
        Ok(proxy) => proxy,
        Err(e) => {
            row.note = format!("the recording proxy did not start: {e}");
            let _ = child.kill();
            return;
        }
    };
    let mut run = Command::new(bin)
        .args(["--nocapture", "--test-threads", "4"])
        .env(
            "TEST_API_BASE_URL",
            format!("http://127.0.0.1:{}", proxy.port),
        )
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run a conformance test binary");
    let mut stdout = String::new();
    let _ = run
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut stdout);
    let _ = run.wait();
    if let Ok(Some(status)) = child.try_wait() {
        row.note = format!(
            "prism exited during the run ({status}); see {}",
            log.display()
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    let requests = proxy.requests();
    drop(proxy);
    let mut schemas: Option<Option<ResponseSchemas>> = None;
    let calls = parse_outcomes(
        &stdout,
        |op, detail, body| {
            schemas
                .get_or_insert_with(|| ResponseSchemas::load(&spec.path))
                .as_ref()?
                .breaks(op, detail, body)
        },
        &requests,
    );
    row.seconds = started.elapsed().as_secs();
    let started_calls = stdout.matches("conformance-expect\t").count();
    let operations: std::collections::BTreeSet<&str> =
        calls.iter().map(|c| c.op.as_str()).collect();
    let mut notes = Vec::new();
    if started_calls > calls.len() {
        notes.push(format!(
            "{} calls printed no verdict (a panic in the test?)",
            started_calls - calls.len()
        ));
    }
    if operations.len() < row.operations {
        notes.push(format!(
            "{} operations printed no outcome",
            row.operations - operations.len()
        ));
    }
    if !notes.is_empty() && row.note.is_empty() {
        row.note = notes.join("; ");
    }
    for call in calls {
        match rank(&call.verdict) {
            0 => row.ok += 1,
            1 => row.spec_fault += 1,
            3 => row.ours += 1,
            _ => row.other += 1,
        }
        row.calls += 1;
        if call.verdict != "ok" {
            row.failures.push(call);
        }
    }
    let _ = std::fs::write(logs.join(format!("{}.out", spec.crate_name)), &stdout);
}

/// A description's results; counts are of calls (two per operation where its optional
/// arguments make a second request).
struct Row {
    spec: String,
    operations: usize,
    calls: usize,
    ok: usize,
    spec_fault: usize,
    ours: usize,
    other: usize,
    seconds: u64,
    note: String,
    failures: Vec<Call>,
}

#[test]
#[ignore = "slow; run with `cargo test -p clientgen-tests --test conformance -- --ignored --nocapture`"]
fn operations_conform_to_their_descriptions() {
    let Some(prism) = prism() else {
        common::skip_or_fail(
            "the conformance runner needs Prism, which is not installed; `.ci/run` installs it \
             into target/prism (`npm install --no-save --prefix target/prism \
             @stoplight/prism-cli@5.16.0`), or set PRISM_BIN",
        );
        return;
    };
    let mut specs = vec![Spec {
        label: "spec/stytch-b2b.yaml".into(),
        crate_name: "conf-stytch-b2b".into(),
        path: root().join("spec/stytch-b2b.yaml"),
    }];
    // Our fixtures for the schema combinations that used to lose values, and every additive
    // change: their types must carry spec-valid values both ways.
    for fixture in [
        "lossless.yaml",
        "deep_refs.yaml",
        "allof.yaml",
        "oneof.yaml",
        "bodies.yaml",
        "nullable.yaml",
        "evolution/v2.yaml",
        "wire_cases.yaml",
        "wire_cases_31.yaml",
    ] {
        let stem = fixture.trim_end_matches(".yaml").replace(['/', '_'], "-");
        specs.push(Spec {
            label: format!("tests/fixtures/{fixture}"),
            crate_name: format!("conf-fixture-{stem}"),
            path: root().join("tests/fixtures").join(fixture),
        });
    }
    match common::shared() {
        Some(shared) => specs.extend(corpus_specs(&shared)),
        None => common::skip_or_fail(
            "../shared is absent: the corpus and Stytch's official description are not checked",
        ),
    }
    if let Ok(filter) = std::env::var("CONFORMANCE_SPECS") {
        let wanted: Vec<&str> = filter.split(',').map(str::trim).collect();
        specs.retain(|s| wanted.iter().any(|w| s.label.contains(w)));
    }

    let max_operations: usize = std::env::var("CONFORMANCE_MAX_OPERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let mut left_out = Vec::new();
    let mut crates = Vec::new();
    let mut rows: Vec<(Spec, Row)> = Vec::new();
    for spec in specs {
        let text = std::fs::read_to_string(&spec.path).expect("read a spec");
        let options = clientgen::Options {
            jobs: 0,
            conformance_test: true,
            ..clientgen::Options::new(spec.crate_name.clone(), spec.label.clone())
        };
        let Ok(output) = clientgen::generate(&text, &options) else {
            // The corpus runner reports specs that do not generate.
            continue;
        };
        if output.operations == 0 {
            continue;
        }
        // Stytch's descriptions, ours and the official one, are what this project is for:
        // the limit never leaves them out.
        if output.operations > max_operations && !spec.label.contains("stytch") {
            left_out.push(format!("{} ({} operations)", spec.label, output.operations));
            continue;
        }
        crates.push((spec.crate_name.clone(), output.files));
        let row = Row {
            spec: spec.label.clone(),
            operations: output.operations,
            calls: 0,
            ok: 0,
            spec_fault: 0,
            ours: 0,
            other: 0,
            seconds: 0,
            note: String::new(),
            failures: Vec::new(),
        };
        rows.push((spec, row));
    }
    let dir = root().join("target/conformance-crates");
    common::write_workspace(&dir, &crates);
    let build_started = Instant::now();
    let (bins, build_errors) = build_tests(&dir);
    let build_secs = build_started.elapsed().as_secs();

    let logs = root().join("target/conformance-logs");
    let _ = std::fs::create_dir_all(&logs);
    // Two descriptions at a time: Prism (one Node thread) and the test binary share the
    // machine's cores, and large descriptions spend a while loading into Prism.
    let workers: usize = std::env::var("CONFORMANCE_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
        .max(1);
    let queue = std::sync::Mutex::new(rows.iter_mut());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().expect("no worker panics holding it").next();
                    let Some((spec, row)) = next else { break };
                    run_spec(&prism, spec, row, &bins, &build_errors, &logs);
                }
            });
        }
    });

    // Failures of ours that `KNOWN` explains (a Prism limit or a description that contradicts
    // itself, each with its reason below the table) get a column of their own: "ours" is
    // what nobody has explained, and fails the run.
    let mut used = vec![false; KNOWN.len()];
    let mut explain = |spec: &str, call: &Call| {
        if !OURS.contains(&call.verdict.as_str()) {
            return None;
        }
        let i = KNOWN.iter().position(|k| k.covers(spec, call))?;
        used[i] = true;
        Some(KNOWN[i].reason)
    };
    let mut table = String::from(
        "| spec | operations | calls | OK | spec fault | known (mock's limit or spec) | ours | other | seconds | note |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    let mut totals = [0usize; 7];
    let mut failures = String::new();
    let mut unexpected = Vec::new();
    for (spec, r) in &rows {
        let mut known = 0;
        if !r.note.is_empty() {
            unexpected.push(format!("{}: {}", spec.label, r.note));
            failures.push_str(&format!("- {}: {}\n", spec.label, r.note));
        }
        for call in &r.failures {
            let reason = explain(&spec.label, call);
            let ours = OURS.contains(&call.verdict.as_str());
            known += usize::from(reason.is_some());
            if ours && reason.is_none() {
                unexpected.push(format!("{} `{}` ({} call)", spec.label, call.op, call.mode));
            }
            let tag = match (ours, reason.is_some(), call.verdict.as_str()) {
                (true, true, _) => "known",
                (true, false, _) => "ours",
                (false, _, "spec") => "spec fault",
                _ => "other",
            };
            let reason = reason.map(|r| format!(" (known: {r})")).unwrap_or_default();
            failures.push_str(&format!(
                "- {} `{}` [{tag}, {} call, {}]{reason}: {}\n",
                spec.label, call.op, call.mode, call.verdict, call.detail
            ));
        }
        let counts = [
            r.operations,
            r.calls,
            r.ok,
            r.spec_fault,
            known,
            r.ours - known,
            r.other,
        ];
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.spec,
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4],
            counts[5],
            counts[6],
            r.seconds,
            r.note
        ));
        for (t, v) in totals.iter_mut().zip(counts) {
            *t += v;
        }
    }
    table.push_str(&format!(
        "| **total** | {} | {} | {} | {} | {} | {} | {} | | |\n\nbuild of all conformance tests (debug, no debug info, shared target dir): {build_secs} s\n\n",
        totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6]
    ));
    if !left_out.is_empty() {
        table.push_str(&format!(
            "Left out (over CONFORMANCE_MAX_OPERATIONS={max_operations}; `bench/conformance.sh` runs them): {}\n\n",
            left_out.join(", ")
        ));
    }
    table.push_str("Failures:\n");
    table.push_str(&failures);
    for (known, used) in KNOWN.iter().zip(&used) {
        let ran = rows.iter().any(|(s, _)| s.label == known.spec);
        if ran && !used {
            unexpected.push(format!(
                "{}: the known failure of {:?} ({}) does not occur any more: remove it",
                known.spec, known.operations, known.reason
            ));
        }
    }
    println!("{table}");
    let _ = std::fs::write(root().join("target/conformance-report.txt"), &table);
    assert!(
        unexpected.is_empty(),
        "failures that are ours and not known, or runs that failed:\n{}\n\n{table}",
        unexpected.join("\n")
    );
}

/// A decode error's line and column name the value where decoding failed, as a JSON pointer.
#[test]
fn decode_error_positions_become_pointers() {
    let body = "{\n  \"id\": \"x\",\n  \"items\": [1, {\"n\": \"two\"}],\n  \"tail\": true\n}";
    // serde_json's column is the position just past what it read.
    let at = error_offset(
        body,
        "invalid type: string \"two\", expected i64 at line 3 column 26",
    )
    .expect("a position");
    assert_eq!(&body[at..=at], "\"");
    assert_eq!(pointer_at(body, at).as_deref(), Some("/items/1/n"));
    let end = error_offset(body, "missing field `x` at line 5 column 1").expect("a position");
    assert_eq!(pointer_at(body, end).as_deref(), Some(""));
    assert_eq!(error_offset(body, "no position here"), None);
}

/// Violations are read one by one from Prism's list, and each must be explained.
#[test]
fn each_violation_of_a_call_must_be_explained() {
    let detail = r#"status 422: [{"location":["request","body"],"message":"Request body must be object"},{"location":["request","query","x"],"message":"x must be integer"}] {"error":1}"#;
    let found = violations("rejected", detail);
    assert_eq!(
        found,
        [
            "request.body: Request body must be object",
            "request.query.x: x must be integer"
        ]
    );
    let call = Call {
        op: "SubmitMetrics".into(),
        mode: "all".into(),
        verdict: "rejected".into(),
        detail: detail.into(),
    };
    // The datadog entry explains the first violation only: the second makes the call ours.
    assert!(
        !KNOWN
            .iter()
            .any(|k| k.covers("openapi-3.0/datadog-v1.yaml", &call))
    );
    let one = Call {
        detail: r#"status 422: [{"location":["request","body"],"message":"Request body must be object"}]"#.into(),
        ..call
    };
    assert!(
        KNOWN
            .iter()
            .any(|k| k.covers("openapi-3.0/datadog-v1.yaml", &one))
    );
    let wire = format!("{WIRE_SEPARATOR}query parameter `a` = 1 is not on the wire (GET /x)");
    assert_eq!(
        violations("wire", &wire),
        ["wire: query parameter `a` = 1 is not on the wire (GET /x)"]
    );
}
