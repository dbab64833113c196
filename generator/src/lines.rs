//! Line numbers of JSON pointers in the spec text, for diagnostics.
//!
//! The document is parsed for generation with serde, which keeps no positions; this reads the
//! text a second time, and only when there is a diagnostic to place. JSON text is read by a
//! scanner of its own that steps over every collection holding no wanted pointer; YAML text by
//! an event parser with positions. (The event parser on JSON buffers the whole document, since
//! a flow mapping could still turn out to be a key: 300 MiB and 0.2 s for the 13 MB GitHub
//! description.) Both stop once every wanted pointer is placed. A pointer that names no node of
//! the text (one made by normalisation, such as the `allOf` wrapper of a `$ref` with siblings)
//! gets the line of its nearest ancestor that does.

use std::collections::{BTreeMap, BTreeSet};

use saphyr_parser::{Event, Parser};

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

enum Frame {
    /// A mapping; `key` is the escaped key whose value comes next.
    Map { key: Option<String>, len: usize },
    /// A sequence; `index` is the index of the next item.
    Seq { index: usize, len: usize },
}

/// The 1-based line of each pointer in `pointers` (or of its nearest ancestor in the text).
/// Pointers that cannot be placed, or text that does not parse, are left out.
pub fn lines_of(text: &str, pointers: &[&str]) -> BTreeMap<String, usize> {
    // Every ancestor is wanted too, for pointers the text does not have.
    let mut wanted: BTreeSet<&str> = BTreeSet::new();
    for p in pointers {
        let mut end = p.len();
        loop {
            wanted.insert(&p[..end]);
            match p[..end].rfind('/') {
                Some(i) => end = i,
                None => break,
            }
        }
    }
    let mut walk = Walk {
        wanted: &wanted,
        found: BTreeMap::new(),
        pointer: String::from("#"),
        stack: Vec::new(),
    };
    // The test `parse::parse_value` uses to tell JSON from YAML.
    let body = text.trim_start_matches('\u{feff}');
    if body.trim_start().starts_with('{') {
        scan_json(body, &mut walk);
    } else {
        scan_yaml(text, &mut walk);
    }
    let found = walk.found;
    let mut out = BTreeMap::new();
    for p in pointers {
        let mut end = p.len();
        loop {
            if let Some(line) = found.get(&p[..end]) {
                out.insert((*p).to_owned(), *line);
                break;
            }
            match p[..end].rfind('/') {
                Some(i) => end = i,
                None => break,
            }
        }
    }
    out
}

/// The walk through the document's nodes, in text order: the current node's pointer, one frame
/// per open collection, and the lines of the wanted pointers met so far. A mapping value's line
/// is its key's line.
struct Walk<'w> {
    wanted: &'w BTreeSet<&'w str>,
    found: BTreeMap<String, usize>,
    pointer: String,
    stack: Vec<Frame>,
}

impl Walk<'_> {
    fn record(&mut self, line: usize) {
        if self.wanted.contains(self.pointer.as_str()) && !self.found.contains_key(&self.pointer) {
            self.found.insert(self.pointer.clone(), line);
        }
    }

    /// Every wanted pointer has its line.
    fn done(&self) -> bool {
        self.found.len() == self.wanted.len()
    }

    /// The next scalar is a mapping key.
    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// A scalar: a mapping key (`value` is its text), a mapping value or a sequence item.
    fn scalar(&mut self, value: &str, line: usize) {
        match self.stack.last_mut() {
            Some(Frame::Map {
                key: key @ None,
                len,
            }) => {
                let len = *len;
                let token = escape_token(value);
                self.pointer.truncate(len);
                self.pointer.push('/');
                self.pointer.push_str(&token);
                *key = Some(token);
                self.record(line);
                self.pointer.truncate(len);
            }
            Some(Frame::Map { key, .. }) => *key = None,
            Some(Frame::Seq { index, len }) => {
                let len = *len;
                self.pointer.truncate(len);
                self.pointer.push('/');
                self.pointer.push_str(&index.to_string());
                *index += 1;
                self.record(line);
                self.pointer.truncate(len);
            }
            None => {}
        }
    }

    /// The start of a mapping or sequence; whether a wanted pointer can be inside it.
    fn start(&mut self, map: bool, line: usize) -> bool {
        match self.stack.last() {
            Some(Frame::Map { key: Some(key), .. }) => {
                self.pointer.push('/');
                self.pointer.push_str(key);
            }
            Some(Frame::Seq { index, .. }) => {
                self.pointer.push('/');
                self.pointer.push_str(&index.to_string());
            }
            // A complex key, or the root.
            _ => {}
        }
        self.record(line);
        let len = self.pointer.len();
        self.stack.push(if map {
            Frame::Map { key: None, len }
        } else {
            Frame::Seq { index: 0, len }
        });
        // Every ancestor of a wanted pointer is wanted.
        self.wanted.contains(self.pointer.as_str())
    }

    fn end(&mut self) {
        self.stack.pop();
        match self.stack.last_mut() {
            Some(Frame::Map { key, len }) => {
                self.pointer.truncate(*len);
                *key = None;
            }
            Some(Frame::Seq { index, len }) => {
                self.pointer.truncate(*len);
                *index += 1;
            }
            None => self.pointer.truncate(1),
        }
    }

    /// An alias stands for a node: it takes the place of a value.
    fn alias(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map {
                key: key @ Some(_), ..
            }) => *key = None,
            Some(Frame::Map { key, .. }) => *key = Some(String::new()),
            Some(Frame::Seq { index, .. }) => *index += 1,
            None => {}
        }
    }
}

fn scan_yaml(text: &str, walk: &mut Walk) {
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        let line = span.start.line();
        match event {
            Event::Scalar(value, ..) => walk.scalar(&value, line),
            Event::MappingStart(..) => {
                walk.start(true, line);
            }
            Event::SequenceStart(..) => {
                walk.start(false, line);
            }
            Event::MappingEnd | Event::SequenceEnd => walk.end(),
            Event::Alias(_) => walk.alias(),
            _ => {}
        }
        if walk.done() {
            break;
        }
    }
}

/// Reads JSON text (without its byte order mark) as the event parser would, stepping over the
/// collections that hold no wanted pointer. Text that is not JSON ends the scan where it stops
/// making sense.
fn scan_json(text: &str, walk: &mut Walk) {
    let bytes = text.as_bytes();
    let (mut i, mut line) = (0, 1);
    while i < bytes.len() && !walk.done() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b',' | b':' => i += 1,
            open @ (b'{' | b'[') => {
                i += 1;
                if !walk.start(open == b'{', line) {
                    let Some(after) = skip_collection(bytes, i, &mut line) else {
                        return;
                    };
                    i = after;
                    walk.end();
                }
            }
            b'}' | b']' => {
                i += 1;
                walk.end();
            }
            b'"' => {
                let at = line;
                let Some(close) = string_end(bytes, i + 1, &mut line) else {
                    return;
                };
                let quoted = &text[i..=close];
                i = close + 1;
                if !walk.expects_key() {
                    walk.scalar("", at);
                } else if quoted.contains('\\') {
                    let Ok(key) = serde_json::from_str::<String>(quoted) else {
                        return;
                    };
                    walk.scalar(&key, at);
                } else {
                    walk.scalar(&quoted[1..quoted.len() - 1], at);
                }
            }
            // A number, `true`, `false` or `null`.
            _ => {
                let at = line;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b',' | b':'
                            | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b'"'
                            | b' '
                            | b'\t'
                            | b'\r'
                            | b'\n'
                    )
                {
                    i += 1;
                }
                walk.scalar("", at);
            }
        }
    }
}

/// The index of the closing quote of a string whose text starts at `i`.
fn string_end(bytes: &[u8], mut i: usize, line: &mut usize) -> Option<usize> {
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Some(i),
            b'\\' => i += 2,
            b'\n' => {
                *line += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The index just past the end of the collection whose content starts at `i`.
fn skip_collection(bytes: &[u8], mut i: usize, line: &mut usize) -> Option<usize> {
    let mut depth = 1usize;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i + 1, line)?,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\n' => *line += 1,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_get_the_line_of_their_node_in_yaml_and_json() {
        let yaml = "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      responses:\n        \"200\":\n          content: {}\n      tags: [a, b]\n";
        let lines = lines_of(
            yaml,
            &[
                "#/paths/~1pets/get/responses/200",
                "#/paths/~1pets/get/tags/1",
                "#/paths/~1pets/get/responses/200/allOf/0",
                "#/openapi",
            ],
        );
        assert_eq!(lines["#/paths/~1pets/get/responses/200"], 6);
        assert_eq!(lines["#/paths/~1pets/get/tags/1"], 8);
        // Not in the text: its nearest ancestor's line.
        assert_eq!(lines["#/paths/~1pets/get/responses/200/allOf/0"], 6);
        assert_eq!(lines["#/openapi"], 1);

        let json = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\"responses\": {}}\n    },\n    \"/b\": {\n      \"post\": {}\n    }\n  }\n}\n";
        let lines = lines_of(json, &["#/paths/~1b/post", "#/paths/~1a/get/responses"]);
        assert_eq!(lines["#/paths/~1b/post"], 8);
        assert_eq!(lines["#/paths/~1a/get/responses"], 5);
    }

    /// Every pointer of a JSON value, with its ancestors' included.
    fn all_pointers(v: &serde_json::Value, pointer: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map {
                    all_pointers(child, format!("{pointer}/{}", escape_token(k)), out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    all_pointers(child, format!("{pointer}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(pointer);
    }

    /// The JSON scanner places every node where the event parser does.
    fn json_scan_agrees_with_the_event_parser(text: &str) {
        let value: serde_json::Value =
            serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("valid JSON");
        let mut pointers = Vec::new();
        all_pointers(&value, "#".into(), &mut pointers);
        let wanted: BTreeSet<&str> = pointers.iter().map(String::as_str).collect();
        let walk = |json: bool| {
            let mut walk = Walk {
                wanted: &wanted,
                found: BTreeMap::new(),
                pointer: String::from("#"),
                stack: Vec::new(),
            };
            if json {
                scan_json(text.trim_start_matches('\u{feff}'), &mut walk);
            } else {
                scan_yaml(text, &mut walk);
            }
            walk.found
        };
        let (by_json, by_yaml) = (walk(true), walk(false));
        assert_eq!(by_json, by_yaml);
        assert_eq!(by_json.len(), wanted.len(), "every node placed");
    }

    #[test]
    fn json_is_placed_as_the_event_parser_places_it() {
        json_scan_agrees_with_the_event_parser(
            "\u{feff}\n  {\"openapi\": \"3.0.3\", \"a/b~c\": {\"x\": [1, -2.5e3, true, null,\n  {\"y\" :\n\"z\"}, [], {}],\n\"q\\\"\\u00e9\\/\\n\": \"v\\\"\\\\\",\n \"\": {\"[\": \"]}{\"}},\n \"e\": []\n}\n",
        );
        json_scan_agrees_with_the_event_parser("{}");
        json_scan_agrees_with_the_event_parser(
            "{\n\t\"paths\": {\r\n \"/a/{id}\": {\"get\": {\"responses\": {\"200\": {}}}}},\n\"n\": [[[0]], [{}, {\"k\": [\"a,b\"]}]]\n}",
        );
    }

    #[test]
    fn a_json_collection_without_wanted_pointers_is_stepped_over() {
        let json =
            "{\n\"skip\": {\"a\": [\"}]\\\"\", {\"b\": 1}],\n\"c\": 2},\n\"keep\": {\n\"d\": 3}\n}";
        let lines = lines_of(json, &["#/keep/d", "#/skip"]);
        assert_eq!(lines["#/keep/d"], 5);
        assert_eq!(lines["#/skip"], 2);
    }

    #[test]
    fn text_that_does_not_parse_places_what_came_before() {
        let lines = lines_of("a:\n  b: 1\nc: [\n", &["#/a/b", "#/c"]);
        assert_eq!(lines.get("#/a/b"), Some(&2));
    }
}
