//! The conformance runner's own wire check, beside Prism's: Prism says whether a request is
//! valid, not whether it carries what the caller passed (a dropped optional argument is a
//! valid request). A recording proxy on 127.0.0.1 stands between the conformance test and
//! Prism; each call's request is found by its `x-conformance-call` header, and every argument
//! the call was given (its `conformance-expect` line) must be on it, encoded as the
//! description says: path segments, query pairs (form, exploded or not, and deepObject),
//! headers, cookies, and JSON, form and multipart bodies with their files.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

/// A request as the proxy saw it.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub method: String,
    pub target: String,
    /// Names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The bytes a client sent on one connection, growing while it is open.
type Recording = Arc<Mutex<Vec<u8>>>;

/// A recording TCP proxy to `upstream`; stops when dropped.
pub struct Proxy {
    pub port: u16,
    stop: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<Recording>>>,
}

impl Proxy {
    pub fn start(upstream: u16) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let streams: Arc<Mutex<Vec<Recording>>> = Arc::default();
        let (stopped, recorded) = (stop.clone(), streams.clone());
        std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                let _ = client.set_nonblocking(false);
                let Ok(server) =
                    TcpStream::connect(SocketAddr::from((Ipv4Addr::LOCALHOST, upstream)))
                else {
                    continue;
                };
                let log = Arc::new(Mutex::new(Vec::new()));
                recorded.lock().expect("not poisoned").push(log.clone());
                let (Ok(mut client_read), Ok(mut server_write)) =
                    (client.try_clone(), server.try_clone())
                else {
                    continue;
                };
                // Client to server, recorded.
                std::thread::spawn(move || {
                    let mut buffer = [0u8; 16 * 1024];
                    while let Ok(n) = client_read.read(&mut buffer) {
                        if n == 0 || server_write.write_all(&buffer[..n]).is_err() {
                            break;
                        }
                        log.lock()
                            .expect("not poisoned")
                            .extend_from_slice(&buffer[..n]);
                    }
                    let _ = server_write.shutdown(std::net::Shutdown::Write);
                });
                // Server to client.
                let (mut server_read, mut client_write) = (server, client);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut server_read, &mut client_write);
                    let _ = client_write.shutdown(std::net::Shutdown::Write);
                });
            }
        });
        Ok(Proxy {
            port,
            stop,
            streams,
        })
    }

    /// Every request recorded so far, by its `x-conformance-call` key.
    pub fn requests(&self) -> BTreeMap<String, Seen> {
        let mut out = BTreeMap::new();
        for stream in self.streams.lock().expect("not poisoned").iter() {
            let bytes = stream.lock().expect("not poisoned").clone();
            for request in parse_requests(&bytes) {
                if let Some(key) = request.header("x-conformance-call") {
                    out.insert(key.to_owned(), request.clone());
                }
            }
        }
        out
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The requests in one connection's bytes (keep-alive: one after another).
fn parse_requests(mut bytes: &[u8]) -> Vec<Seen> {
    let mut out = Vec::new();
    while let Some(head_end) = find(bytes, b"\r\n\r\n") {
        let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
        bytes = &bytes[head_end + 4..];
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or_default().split(' ');
        let mut seen = Seen {
            method: first.next().unwrap_or_default().to_owned(),
            target: first.next().unwrap_or_default().to_owned(),
            ..Seen::default()
        };
        for line in lines {
            if let Some((name, value)) = line.split_once(':') {
                seen.headers
                    .push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        if seen
            .header("transfer-encoding")
            .is_some_and(|v| v.contains("chunked"))
        {
            loop {
                let Some(end) = find(bytes, b"\r\n") else {
                    return out;
                };
                let size_text = String::from_utf8_lossy(&bytes[..end]).into_owned();
                let size =
                    usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                        .unwrap_or(0);
                bytes = &bytes[end + 2..];
                if size == 0 {
                    bytes = bytes.get(2..).unwrap_or_default();
                    break;
                }
                let Some(chunk) = bytes.get(..size) else {
                    return out;
                };
                seen.body.extend_from_slice(chunk);
                bytes = bytes.get(size + 2..).unwrap_or_default();
            }
        } else {
            let length: usize = seen
                .header("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let Some(body) = bytes.get(..length) else {
                return out;
            };
            seen.body = body.to_vec();
            bytes = &bytes[length..];
        }
        out.push(seen);
    }
    out
}

/// `%XX` and, in queries and forms, `+` decoded.
fn percent_decode(text: &str, plus: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// A scalar as parameter text: strings bare, whole numbers without a fraction (`5.0` is sent
/// by an integer type as `5`), others as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 && n.is_f64() => format!("{}", f as i64),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// Whether `actual` is the text of the scalar `expected` (numbers by value: `1.0` is `1`).
fn text_is(expected: &Value, actual: &str) -> bool {
    match expected {
        Value::Number(n) => actual.parse::<f64>().is_ok_and(|a| Some(a) == n.as_f64()),
        other => text(other) == actual,
    }
}

/// The `simple` style text of a parameter (paths, headers, cookies).
fn simple(v: &Value, explode: bool) -> String {
    match v {
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(members) => members
            .iter()
            .filter(|(_, m)| !m.is_null())
            .map(|(k, m)| {
                if explode {
                    format!("{k}={}", text(m))
                } else {
                    format!("{k},{}", text(m))
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        other => text(other),
    }
}

/// Whether `actual` carries every non-null part of `expected` (extra members are fine: a
/// type may add defaults); numbers by value; a date-time given with `Z` may be sent with
/// `+00:00`.
fn covers(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Null, _) => true,
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => {
            x == y
                || x.strip_suffix('Z')
                    .is_some_and(|x| y.strip_suffix("+00:00") == Some(x))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| covers(x, y))
        }
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .all(|(k, v)| v.is_null() || y.get(k).is_some_and(|w| covers(v, w))),
        _ => expected == actual,
    }
}

/// Every argument of `expected` (a `conformance-expect` line's JSON) that `seen` does not
/// carry, each as a sentence; empty when all are there.
pub fn missing(expected: &Value, seen: &Seen) -> Vec<String> {
    let mut out = Vec::new();
    let (path, query) = seen
        .target
        .split_once('?')
        .unwrap_or((seen.target.as_str(), ""));
    let path = percent_decode(path, false);
    let query = pairs(query);
    let cookies: Vec<(String, String)> = seen
        .headers
        .iter()
        .filter(|(n, _)| n == "cookie")
        .flat_map(|(_, v)| v.split(';'))
        .filter_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect();
    for param in expected["params"].as_array().into_iter().flatten() {
        let name = param["name"].as_str().unwrap_or_default();
        let value = &param["value"];
        let explode = param["explode"].as_bool().unwrap_or(false);
        if value.is_null()
            || value.as_array().is_some_and(Vec::is_empty)
            || value
                .as_object()
                .is_some_and(|o| o.values().all(Value::is_null))
        {
            continue;
        }
        let place = param["in"].as_str().unwrap_or_default();
        let found = match place {
            "path" => path.contains(&simple(value, explode)),
            "header" => seen
                .headers
                .iter()
                .any(|(n, v)| n.eq_ignore_ascii_case(name) && *v == simple(value, explode)),
            "cookie" => cookies
                .iter()
                .any(|(k, v)| k == name && *v == simple(value, explode)),
            // The whole query string (OpenAPI 3.2): an object's members as pairs, else the
            // value's text or JSON text.
            "querystring" => match value {
                Value::Object(_) => query_has(&query, name, value, true, false),
                _ => {
                    let raw =
                        percent_decode(seen.target.split_once('?').map_or("", |(_, q)| q), false);
                    text_is(value, &raw)
                        || serde_json::from_str::<Value>(&raw)
                            .is_ok_and(|sent| covers(value, &sent))
                }
            },
            _ => query_has(
                &query,
                name,
                value,
                explode,
                param["deep"].as_bool() == Some(true),
            ),
        };
        if !found {
            out.push(format!(
                "{place} parameter `{name}` = {value} is not on the wire ({} {})",
                seen.method, seen.target
            ));
        }
    }
    let body = &expected["body"];
    if let Some(encoding) = body["encoding"].as_str() {
        let value = &body["value"];
        let problem = match encoding {
            "json" => match serde_json::from_slice::<Value>(&seen.body) {
                Ok(sent) if covers(value, &sent) => None,
                Ok(sent) => Some(format!("the JSON body {sent} does not carry {value}")),
                Err(e) => Some(format!("the body is not JSON ({e})")),
            },
            "form" => members_missing(value, &pairs(&String::from_utf8_lossy(&seen.body))),
            "multipart" => {
                let parts = multipart_parts(seen);
                let fields: Vec<(String, String)> = parts
                    .iter()
                    .filter(|p| p.file_name.is_none())
                    .map(|p| (p.name.clone(), p.content.clone()))
                    .collect();
                members_missing(value, &fields).or_else(|| {
                    expected["files"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .find(|f| {
                            !parts.iter().any(|p| {
                                p.name == *f
                                    && p.file_name.as_deref() == Some("conformance.txt")
                                    && p.content == "conformance"
                            })
                        })
                        .map(|f| format!("the file part `{f}` is not in the multipart body"))
                })
            }
            "binary" | "text" => (seen.body != text(value).as_bytes()).then(|| {
                format!(
                    "the body is {:?}, not {value}",
                    String::from_utf8_lossy(&seen.body)
                )
            }),
            _ => None,
        };
        out.extend(problem);
    }
    out
}

/// Whether the query carries a parameter: a scalar as one pair, an array as repeated pairs
/// (exploded) or one comma-joined pair, an object as `name[key]` pairs (deepObject) or
/// `key` pairs (form, exploded).
fn query_has(
    query: &[(String, String)],
    name: &str,
    value: &Value,
    explode: bool,
    deep: bool,
) -> bool {
    let values = |key: &str| -> Vec<&str> {
        query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    match value {
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            !values(name).is_empty()
        }
        Value::Array(items) if explode => items
            .iter()
            .all(|item| values(name).iter().any(|v| text_is(item, v))),
        Value::Array(items) => values(name).iter().any(|v| {
            let got: Vec<&str> = v.split(',').collect();
            got.len() == items.len() && items.iter().zip(&got).all(|(i, g)| text_is(i, g))
        }),
        Value::Object(members) => members.iter().filter(|(_, m)| !m.is_null()).all(|(k, m)| {
            let key = if deep {
                format!("{name}[{k}]")
            } else {
                k.clone()
            };
            values(&key).iter().any(|v| match m {
                Value::Object(_) | Value::Array(_) => {
                    serde_json::from_str::<Value>(v).is_ok_and(|sent| covers(m, &sent))
                        || text_is(m, v)
                }
                _ => text_is(m, v),
            })
        }),
        scalar => values(name).iter().any(|v| text_is(scalar, v)),
    }
}

/// The first top-level member of a form or multipart body's value that its fields do not
/// carry: scalars as their text, arrays as repeated fields, objects as JSON text.
fn members_missing(value: &Value, fields: &[(String, String)]) -> Option<String> {
    let members = value.as_object()?;
    members
        .iter()
        .filter(|(_, m)| !m.is_null())
        .find(|(k, m)| {
            let got: Vec<&str> = fields
                .iter()
                .filter(|(n, _)| n == *k)
                .map(|(_, v)| v.as_str())
                .collect();
            let ok = match m {
                Value::Array(items) if items.is_empty() => true,
                Value::Array(items) => {
                    items.iter().all(|i| {
                        got.iter().any(|g| {
                            text_is(i, g)
                                || serde_json::from_str::<Value>(g).is_ok_and(|s| covers(i, &s))
                        })
                    }) || got
                        .iter()
                        .any(|g| serde_json::from_str::<Value>(g).is_ok_and(|s| covers(m, &s)))
                }
                Value::Object(_) => got
                    .iter()
                    .any(|g| serde_json::from_str::<Value>(g).is_ok_and(|s| covers(m, &s))),
                scalar => got.iter().any(|g| text_is(scalar, g)),
            };
            !ok
        })
        .map(|(k, m)| format!("the body field `{k}` = {m} is not in the body"))
}

struct Part {
    name: String,
    file_name: Option<String>,
    content: String,
}

/// The parts of a `multipart/form-data` body.
fn multipart_parts(seen: &Seen) -> Vec<Part> {
    let Some(boundary) = seen
        .header("content-type")
        .and_then(|ct| ct.split("boundary=").nth(1))
        .map(|b| b.trim_matches('"').to_owned())
    else {
        return Vec::new();
    };
    let body = String::from_utf8_lossy(&seen.body).into_owned();
    body.split(&format!("--{boundary}"))
        .filter_map(|raw| {
            let raw = raw.strip_prefix("\r\n")?;
            let (head, content) = raw.split_once("\r\n\r\n")?;
            let disposition = head
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
            let attribute = |key: &str| {
                disposition
                    .split(';')
                    .map(str::trim)
                    .find_map(|a| a.strip_prefix(&format!("{key}=\"")))
                    .and_then(|a| a.strip_suffix('"'))
                    .map(str::to_owned)
            };
            Some(Part {
                name: attribute("name")?,
                file_name: attribute("filename"),
                content: content.strip_suffix("\r\n").unwrap_or(content).to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(target: &str, headers: &[(&str, &str)], body: &str) -> Seen {
        Seen {
            method: "POST".into(),
            target: target.into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn param(place: &str, name: &str, value: Value, explode: bool, deep: bool) -> Value {
        json!({"in": place, "name": name, "value": value, "explode": explode, "deep": deep})
    }

    #[test]
    fn every_kind_of_argument_is_found_or_reported() {
        let expected = json!({
            "params": [
                param("path", "id", json!("a b"), false, false),
                param("query", "tags", json!(["x", "y"]), true, false),
                param("query", "ids", json!([1, 2]), false, false),
                param("query", "filter", json!({"k": "v"}), true, true),
                param("header", "x-n", json!(5.0), false, false),
                param("cookie", "sid", json!("s1"), false, false),
            ],
            "body": {"encoding": "json", "value": {"a": 1, "b": null, "c": {"d": "2024-01-01T00:00:00Z"}}},
            "files": [],
        });
        let good = request(
            "/items/a%20b?tags=x&tags=y&ids=1%2C2&filter%5Bk%5D=v",
            &[("x-n", "5"), ("cookie", "sid=s1; other=o")],
            r#"{"a":1.0,"c":{"d":"2024-01-01T00:00:00+00:00"},"extra":true}"#,
        );
        assert_eq!(missing(&expected, &good), Vec::<String>::new());
        let bad = request("/items/ab?tags=x&ids=1", &[], r#"{"c":{}}"#);
        let problems = missing(&expected, &bad);
        assert_eq!(problems.len(), 7, "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("`tags`")));
        assert!(problems.iter().any(|p| p.contains("JSON body")));
    }

    #[test]
    fn form_and_multipart_bodies_and_files() {
        let form = json!({
            "params": [],
            "body": {"encoding": "form", "value": {"name": "n", "tags": ["a", "b"], "meta": {"x": 1}}},
            "files": [],
        });
        let sent = request("/f", &[], "name=n&tags=a&tags=b&meta=%7B%22x%22%3A1%7D");
        assert_eq!(missing(&form, &sent), Vec::<String>::new());
        assert_eq!(missing(&form, &request("/f", &[], "name=n")).len(), 1);

        let multipart = json!({
            "params": [],
            "body": {"encoding": "multipart", "value": {"note": "hi"}},
            "files": ["file"],
        });
        let body = "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"conformance.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nconformance\r\n--B--\r\n";
        let headers = [("content-type", "multipart/form-data; boundary=B")];
        assert_eq!(
            missing(&multipart, &request("/u", &headers, body)),
            Vec::<String>::new()
        );
        let without_file =
            "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--B--\r\n";
        let problems = missing(&multipart, &request("/u", &headers, without_file));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("file part `file`"));
    }

    #[test]
    fn requests_are_split_on_a_kept_alive_connection() {
        let bytes = b"GET /a HTTP/1.1\r\nx-conformance-call: 1-required\r\n\r\nPOST /b HTTP/1.1\r\ncontent-length: 2\r\nx-conformance-call: 1-all\r\n\r\nhiPUT /c HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        let requests = parse_requests(bytes);
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[1].body, b"hi");
        assert_eq!(requests[2].body, b"abc");
        assert_eq!(requests[2].method, "PUT");
    }
}
