//! Building one request safely: path segments, query, headers, credentials and body.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;

use super::body::{RequestBody, UploadBody};
use super::config::{Credential, KeyLocation};
use super::error::{Error, InvalidRequest};
use super::retry;
use super::secret::Secret;

/// A request as the generated operation code describes it, before credentials are added.
pub(crate) struct Request {
    pub(crate) method: Method,
    /// The path template from the API description, used in logs and messages.
    pub(crate) template: &'static str,
    /// Alternatives of security scheme sets; empty means no authentication.
    pub(crate) security: &'static [&'static [&'static str]],
    path: String,
    /// A whole query string written as one value (`in: querystring`), already encoded; the
    /// query pairs follow it.
    raw_query: Option<String>,
    query: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) content_type: Option<HeaderValue>,
    pub(crate) body: Option<RequestBody>,
}

/// Characters left as they are in a path segment: RFC 3986 unreserved characters.
/// Everything else, `/`, `?`, `#` and `%` included, is percent-encoded, so a value
/// always stays inside its one segment.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `value` percent-encoded: every byte but the unreserved characters.
fn percent_encode(value: &str, out: &mut String) {
    for &b in value.as_bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
}

/// The `name=value` pairs of an object's top-level members, as forms send them: arrays are
/// repeated pairs, nulls are left out, nested objects and other values are JSON text.
fn form_pairs(value: &serde_json::Value) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if let serde_json::Value::Object(members) = value {
        for (key, member) in members {
            let items: Vec<&serde_json::Value> = match member {
                serde_json::Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for item in items {
                match item {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(s) => pairs.push((key.clone(), s.clone())),
                    other => pairs.push((key.clone(), other.to_string())),
                }
            }
        }
    }
    pairs
}

fn refused(message: String) -> Error {
    Error::InvalidRequest(InvalidRequest::new(message))
}

/// Checks a header value before it is sent: CR, LF, NUL and other control bytes would let a
/// value add headers of its own or split the request, so they are refused.
pub(crate) fn check_header_value(
    name: &str,
    value: &str,
    sensitive: bool,
) -> Result<HeaderValue, Error> {
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(refused(format!(
            "header `{name}` contains a control character (CR, LF or similar), \
             which could change the request's meaning"
        )));
    }
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        refused(format!(
            "header `{name}` contains bytes that are not allowed in HTTP header values"
        ))
    })?;
    header.set_sensitive(sensitive);
    Ok(header)
}

impl Request {
    pub(crate) fn new(
        method: Method,
        template: &'static str,
        security: &'static [&'static [&'static str]],
    ) -> Self {
        Request {
            method,
            template,
            security,
            path: String::with_capacity(template.len() + 32),
            raw_query: None,
            query: Vec::new(),
            cookies: Vec::new(),
            headers: HeaderMap::new(),
            content_type: None,
            body: None,
        }
    }

    /// A method the API description names that `reqwest::Method` has no constant for
    /// (`QUERY`, or any method of OpenAPI 3.2's `additionalOperations`), sent as written.
    /// The generator checked that it is an HTTP token; a name that is not one is refused.
    pub(crate) fn method(name: &'static str) -> Result<Method, Error> {
        Method::from_bytes(name.as_bytes())
            .map_err(|_| refused(format!("`{name}` is not a valid HTTP method")))
    }

    /// Appends a literal part of the path template, as written in the API description.
    pub(crate) fn literal(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// Appends a path parameter, percent-encoded so that it stays one segment.
    /// Empty values, `.` and `..` are refused: they would change which resource is addressed.
    pub(crate) fn path_param(&mut self, name: &str, value: &str) -> Result<(), Error> {
        if value.is_empty() {
            return Err(refused(format!("path parameter `{name}` is empty")));
        }
        if value == "." || value == ".." {
            return Err(refused(format!(
                "path parameter `{name}` is `{value}`, which would change the request's path"
            )));
        }
        percent_encode(value, &mut self.path);
        Ok(())
    }

    /// Adds one query pair; the value is encoded when the URL is built.
    pub(crate) fn query(&mut self, name: &str, value: String) {
        self.query.push((name.to_owned(), value));
    }

    /// Sets the whole query string from the members of an object, as
    /// `application/x-www-form-urlencoded` (`in: querystring`).
    pub(crate) fn query_string_form<T: serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value)
            .map_err(|e| refused(format!("the query string cannot be encoded: {e}")))?;
        if !value.is_object() {
            return Err(refused(
                "the query string is not an object, which a form needs".into(),
            ));
        }
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in form_pairs(&value) {
            form.append_pair(&name, &value);
        }
        self.raw_query = Some(form.finish());
        Ok(())
    }

    /// Sets the whole query string to `text`, percent-encoded (`in: querystring` with a media
    /// type other than a form).
    pub(crate) fn query_string_text(&mut self, text: &str) {
        let mut encoded = String::with_capacity(text.len());
        percent_encode(text, &mut encoded);
        self.raw_query = Some(encoded);
    }

    /// Sets the whole query string to a value's JSON text, percent-encoded.
    pub(crate) fn query_string_json<T: serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), Error> {
        let text = serde_json::to_string(value)
            .map_err(|e| refused(format!("the query string cannot be encoded as JSON: {e}")))?;
        self.query_string_text(&text);
        Ok(())
    }

    /// Adds a query array: repeated pairs when `explode`, one comma-separated pair otherwise.
    pub(crate) fn query_array<T: ParamValue>(&mut self, name: &str, values: &[T], explode: bool) {
        if explode {
            for value in values {
                self.query(name, value.to_param());
            }
        } else if !values.is_empty() {
            let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
            self.query(name, joined.join(","));
        }
    }

    /// Adds an array as one `name=value` pair, its values joined by `delimiter` (` ` for the
    /// `spaceDelimited` style, `|` for `pipeDelimited`; each encoded in the query).
    pub(crate) fn query_array_joined<T: ParamValue>(
        &mut self,
        name: &str,
        values: &[T],
        delimiter: &str,
    ) {
        if !values.is_empty() {
            let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
            self.query(name, joined.join(delimiter));
        }
    }

    /// Adds the members of an object as `name[key]=value` pairs (OpenAPI `deepObject` style)
    /// or, with `deep == false`, as plain `key=value` pairs (`form` style with explode).
    pub(crate) fn query_object(&mut self, name: &str, value: &serde_json::Value, deep: bool) {
        if let serde_json::Value::Object(members) = value {
            for (key, member) in members {
                let text = match member {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if deep {
                    self.query(&format!("{name}[{key}]"), text);
                } else {
                    self.query(key, text);
                }
            }
        }
    }

    /// Sets the `Accept` header: the media types the generator found the responses in
    /// (visible ASCII, checked at generation time).
    pub(crate) fn accept(&mut self, media: &'static str) {
        self.headers
            .insert(reqwest::header::ACCEPT, HeaderValue::from_static(media));
    }

    /// Adds a header parameter after checking its value.
    pub(crate) fn header(
        &mut self,
        name: &'static str,
        value: &str,
        sensitive: bool,
    ) -> Result<(), Error> {
        let value = check_header_value(name, value, sensitive)?;
        self.headers.append(HeaderName::from_static(name), value);
        Ok(())
    }

    /// Adds a cookie parameter; `;` and control characters are refused.
    pub(crate) fn cookie(&mut self, name: &str, value: &str) -> Result<(), Error> {
        if value.bytes().any(|b| b < 0x20 || b == 0x7f || b == b';') {
            return Err(refused(format!(
                "cookie `{name}` contains `;` or a control character, which could change the request's meaning"
            )));
        }
        self.cookies.push((name.to_owned(), value.to_owned()));
        Ok(())
    }

    /// Sets the body and its media type.
    pub(crate) fn body(&mut self, content_type: &'static str, body: Vec<u8>) {
        self.content_type = Some(HeaderValue::from_static(content_type));
        self.body = Some(RequestBody::Bytes(body));
    }

    /// Sets a binary body, in memory or streamed.
    pub(crate) fn upload(
        &mut self,
        content_type: &'static str,
        body: &UploadBody,
    ) -> Result<(), Error> {
        self.content_type = Some(HeaderValue::from_static(content_type));
        self.body = Some(body.take()?);
        Ok(())
    }

    /// Sets a JSON body.
    pub(crate) fn json<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| refused(format!("the request body cannot be encoded as JSON: {e}")))?;
        self.body(content_type, bytes);
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from the top-level members of `value`.
    /// Arrays become repeated pairs; nested objects are sent as JSON text.
    pub(crate) fn form<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let value = serde_json::to_value(value)
            .map_err(|e| refused(format!("the request body cannot be encoded: {e}")))?;
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in form_pairs(&value) {
            form.append_pair(&name, &value);
        }
        self.body(
            "application/x-www-form-urlencoded",
            form.finish().into_bytes(),
        );
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body whose listed array members are sent
    /// as one pair each, their values joined by the delimiter given (the form `encoding` of
    /// an array that does not explode).
    pub(crate) fn form_joined<T: serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
        joined: &[(&str, &str)],
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value)
            .map_err(|e| refused(format!("the request body cannot be encoded: {e}")))?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in form_pairs(&value) {
            if let Some((_, delimiter)) = joined.iter().find(|(n, _)| *n == name) {
                if let Some(pair) = pairs.iter_mut().find(|(n, _)| *n == name) {
                    pair.1.push_str(delimiter);
                    pair.1.push_str(&value);
                    continue;
                }
            }
            pairs.push((name, value));
        }
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &pairs {
            form.append_pair(name, value);
        }
        self.body(
            "application/x-www-form-urlencoded",
            form.finish().into_bytes(),
        );
        Ok(())
    }

    /// Sets a `multipart/form-data` body: text parts from the top-level members of `fields`
    /// and one binary part per file.
    pub(crate) fn multipart<T: serde::Serialize + ?Sized>(
        &mut self,
        fields: &T,
        files: &[(&str, &str, &[u8])],
    ) -> Result<(), Error> {
        let value = serde_json::to_value(fields)
            .map_err(|e| refused(format!("the request body cannot be encoded: {e}")))?;
        let boundary = format!("clientgen-{:016x}", retry::random_u64());
        let mut body = Vec::new();
        // Quotes and line breaks would end the header early: they are replaced.
        let header_safe = |s: &str| s.replace(['"', '\r', '\n'], "_");
        let mut part =
            |name: &str, filename: Option<&str>, content_type: Option<&str>, data: &[u8]| {
                body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
                let name = header_safe(name);
                match filename.map(header_safe) {
                    Some(f) => body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n"
                        )
                        .as_bytes(),
                    ),
                    None => body.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes(),
                    ),
                }
                if let Some(ct) = content_type {
                    body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
                }
                body.extend_from_slice(b"\r\n");
                body.extend_from_slice(data);
                body.extend_from_slice(b"\r\n");
            };
        if let serde_json::Value::Object(members) = &value {
            for (key, member) in members {
                match member {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(s) => part(key, None, None, s.as_bytes()),
                    // OpenAPI's default for an object part is `application/json`.
                    serde_json::Value::Object(_) => part(
                        key,
                        None,
                        Some("application/json"),
                        member.to_string().as_bytes(),
                    ),
                    other => part(key, None, None, other.to_string().as_bytes()),
                }
            }
        }
        for (name, file_name, data) in files {
            part(name, Some(file_name), Some("application/octet-stream"), data);
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.content_type =
            Some(HeaderValue::from_str(&content_type).map_err(|_| refused("bad boundary".into()))?);
        self.body = Some(RequestBody::Bytes(body));
        Ok(())
    }

    /// Adds one credential to the request.
    pub(crate) fn authenticate(&mut self, credential: &Credential) -> Result<(), Error> {
        match credential {
            Credential::Basic { username, password } => {
                let encoded = base64(format!("{username}:{}", password.expose()).as_bytes());
                let value = check_header_value("authorization", &format!("Basic {encoded}"), true)?;
                self.headers.insert(reqwest::header::AUTHORIZATION, value);
            }
            Credential::Bearer(token) => {
                let value = check_header_value(
                    "authorization",
                    &format!("Bearer {}", token.expose()),
                    true,
                )?;
                self.headers.insert(reqwest::header::AUTHORIZATION, value);
            }
            Credential::ApiKey {
                location,
                name,
                value,
            } => match location {
                KeyLocation::Header => {
                    let header = HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| refused(format!("API key header name `{name}` is invalid")))?;
                    let value = check_header_value(name, value.expose(), true)?;
                    self.headers.insert(header, value);
                }
                KeyLocation::Query => self.query(name, value.expose().to_owned()),
                KeyLocation::Cookie => self.cookie(name, value.expose())?,
            },
            // Sent per attempt by the client, which gets the token first.
            Credential::OAuth2(_) => {}
        }
        Ok(())
    }

    /// The full URL: the base URL's path, then this request's path and query.
    pub(crate) fn url(&mut self, base: &url::Url) -> Result<url::Url, Error> {
        let mut url = base.clone();
        // A base without a path still has `/` as its path; operation paths bring their own.
        let path = format!("{}{}", base.path().trim_end_matches('/'), self.path);
        url.set_path(&path);
        if let Some(raw) = self.raw_query.as_deref().filter(|q| !q.is_empty()) {
            url.set_query(Some(raw));
        }
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name, value);
            }
        }
        if !self.cookies.is_empty() {
            let joined: Vec<String> = self
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            let value = check_header_value("cookie", &joined.join("; "), true)?;
            self.headers.insert(reqwest::header::COOKIE, value);
        }
        Ok(url)
    }
}

/// Standard base64 with padding, for the Basic authorization header. Small enough that a
/// dependency would cost consumers more than these lines.
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `%XX` sequences decoded (a path segment as the client encoded it); invalid UTF-8 is
/// replaced.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// How a parameter value is written in a path, query or header.
pub(crate) trait ParamValue {
    fn to_param(&self) -> String;
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ParamValue for &str {
    fn to_param(&self) -> String {
        (*self).to_owned()
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {
        $(impl ParamValue for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}
display_param!(bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// The text of a structured path, header or cookie value in OpenAPI's `simple` style (the
/// style of paths and headers; a cookie's `form` style writes the same text): an array's
/// items joined by commas, an object's members as `key,value,...`, or `key=value,...` when
/// `explode`. Strings are written bare, other members as their JSON text.
pub(crate) fn simple_param(value: &serde_json::Value, explode: bool) -> String {
    match value {
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(ParamValue::to_param).collect();
            items.join(",")
        }
        serde_json::Value::Object(members) => {
            let mut parts = Vec::with_capacity(members.len() * 2);
            for (key, member) in members {
                if member.is_null() {
                    continue;
                }
                if explode {
                    parts.push(format!("{key}={}", member.to_param()));
                } else {
                    parts.push(key.clone());
                    parts.push(member.to_param());
                }
            }
            parts.join(",")
        }
        other => other.to_param(),
    }
}

impl ParamValue for Secret {
    fn to_param(&self) -> String {
        self.expose().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_style_joins_arrays_and_objects() {
        let array = serde_json::json!(["a", 1, true]);
        assert_eq!(simple_param(&array, false), "a,1,true");
        // One member beside a null (member order depends on serde_json's features).
        let object = serde_json::json!({"role": "admin", "gone": null});
        assert_eq!(simple_param(&object, false), "role,admin");
        assert_eq!(simple_param(&serde_json::json!({"n": 2}), true), "n=2");
        assert_eq!(simple_param(&serde_json::json!("x"), false), "x");
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn multipart_object_parts_are_json() {
        let mut r = Request::new(Method::POST, "/upload", &[]);
        let fields = serde_json::json!({"attributes": {"name": "a.txt"}, "note": "n"});
        r.multipart(&fields, &[("file", "a.txt", b"hi")]).unwrap();
        let Some(RequestBody::Bytes(body)) = &r.body else {
            panic!("a multipart body is bytes");
        };
        let text = String::from_utf8_lossy(body);
        assert!(
            text.contains(
                "name=\"attributes\"\r\nContent-Type: application/json\r\n\r\n{\"name\":\"a.txt\"}"
            ),
            "{text}"
        );
        assert!(text.contains("name=\"note\"\r\n\r\nn\r\n"), "{text}");
        assert!(text.contains("filename=\"a.txt\"\r\nContent-Type: application/octet-stream"));
    }

    #[test]
    fn a_query_string_parameter_is_the_whole_query() {
        let base = url::Url::parse("https://api.example.com/v1").unwrap();
        let mut r = Request::new(Method::GET, "/search", &[]);
        r.literal("/search");
        let filter = serde_json::json!({"q": "a b&c", "tag": ["x", "y"], "page": 2, "none": null});
        r.query_string_form(&filter).unwrap();
        r.query("api_key", "k".into());
        let url = r.url(&base).unwrap();
        assert_eq!(url.path(), "/v1/search");
        // The members' order depends on serde_json's features (`preserve_order` where another
        // crate of the build switches it on): compared as a set, the credential last.
        let query = url.query().unwrap();
        assert!(query.ends_with("&api_key=k"), "{query}");
        let mut pairs: Vec<&str> = query.split('&').collect();
        pairs.sort_unstable();
        assert_eq!(pairs, ["api_key=k", "page=2", "q=a+b%26c", "tag=x", "tag=y"]);
        let mut r = Request::new(Method::GET, "/search", &[]);
        r.query_string_json(&serde_json::json!({"a": [1, 2]})).unwrap();
        assert_eq!(r.url(&base).unwrap().query(), Some("%7B%22a%22%3A%5B1%2C2%5D%7D"));
        let mut r = Request::new(Method::GET, "/search", &[]);
        r.query_string_text("$.store[?(@.price < 10)]");
        assert_eq!(
            r.url(&base).unwrap().query(),
            Some("%24.store%5B%3F%28%40.price%20%3C%2010%29%5D")
        );
        assert!(matches!(
            Request::new(Method::GET, "/", &[]).query_string_form(&"text"),
            Err(Error::InvalidRequest(_))
        ));
    }

    #[test]
    fn methods_without_a_constant_are_sent_as_written() {
        assert_eq!(Request::method("QUERY").unwrap().as_str(), "QUERY");
        assert_eq!(Request::method("LINK").unwrap().as_str(), "LINK");
        assert!(Request::method("BAD METHOD").is_err());
    }

    #[test]
    fn path_params_stay_one_segment() {
        let mut r = Request::new(Method::GET, "/a/{id}", &[]);
        r.literal("/a/");
        r.path_param("id", "a/b c?d#%").unwrap();
        assert_eq!(r.path, "/a/a%2Fb%20c%3Fd%23%25");
        for bad in ["", ".", ".."] {
            assert!(matches!(
                r.path_param("id", bad),
                Err(Error::InvalidRequest(_))
            ));
        }
    }

    #[test]
    fn header_values_with_line_breaks_are_refused() {
        for bad in ["a\r\nX-Evil: 1", "a\nb", "a\rb", "a\0b"] {
            assert!(check_header_value("x", bad, false).is_err(), "{bad:?}");
        }
        assert!(check_header_value("x", "token value\twith tab", false).is_ok());
    }
}
