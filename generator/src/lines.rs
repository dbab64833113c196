//! Line numbers of JSON pointers in the spec text, for diagnostics.
//!
//! The document is parsed for generation with serde, which keeps no positions; this reads the
//! text a second time with an event parser that does (JSON is YAML, so one reader serves
//! both), and only when there is a diagnostic to place. A pointer that names no node of the
//! text (one made by normalisation, such as the `allOf` wrapper of a `$ref` with siblings) gets
//! the line of its nearest ancestor that does.

use std::collections::{BTreeMap, BTreeSet};

use saphyr_parser::{Event, Parser};

use crate::diag::escape_token;

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
    let found = scan(text, &wanted);
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

/// Lines of the wanted pointers that are nodes of the text: a mapping value's line is its
/// key's line.
fn scan(text: &str, wanted: &BTreeSet<&str>) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    let mut pointer = String::from("#");
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    let record = |pointer: &str, line: usize, found: &mut BTreeMap<String, usize>| {
        if wanted.contains(pointer) && !found.contains_key(pointer) {
            found.insert(pointer.to_owned(), line);
        }
    };
    while let Some(Ok((event, span))) = parser.next_event() {
        let line = span.start.line();
        match event {
            Event::Scalar(value, ..) => match stack.last_mut() {
                Some(Frame::Map {
                    key: key @ None,
                    len,
                }) => {
                    let token = escape_token(&value);
                    pointer.truncate(*len);
                    pointer.push('/');
                    pointer.push_str(&token);
                    record(&pointer, line, &mut found);
                    pointer.truncate(*len);
                    *key = Some(token);
                }
                Some(Frame::Map { key, .. }) => *key = None,
                Some(Frame::Seq { index, len }) => {
                    pointer.truncate(*len);
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    record(&pointer, line, &mut found);
                    pointer.truncate(*len);
                    *index += 1;
                }
                None => {}
            },
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                match stack.last() {
                    Some(Frame::Map { key: Some(key), .. }) => {
                        pointer.push('/');
                        pointer.push_str(key);
                    }
                    Some(Frame::Seq { index, .. }) => {
                        pointer.push('/');
                        pointer.push_str(&index.to_string());
                    }
                    // A complex key, or the root.
                    _ => {}
                }
                record(&pointer, line, &mut found);
                let inner = pointer.len();
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map {
                        key: None,
                        len: inner,
                    }
                } else {
                    Frame::Seq {
                        index: 0,
                        len: inner,
                    }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                match stack.last_mut() {
                    Some(Frame::Map { key, len }) => {
                        pointer.truncate(*len);
                        *key = None;
                    }
                    Some(Frame::Seq { index, len }) => {
                        pointer.truncate(*len);
                        *index += 1;
                    }
                    None => pointer.truncate(1),
                }
            }
            // An alias stands for a node: it takes the place of a value.
            Event::Alias(_) => match stack.last_mut() {
                Some(Frame::Map {
                    key: key @ Some(_), ..
                }) => *key = None,
                Some(Frame::Map { key, .. }) => *key = Some(String::new()),
                Some(Frame::Seq { index, .. }) => *index += 1,
                None => {}
            },
            _ => {}
        }
    }
    found
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

    #[test]
    fn text_that_does_not_parse_places_what_came_before() {
        let lines = lines_of("a:\n  b: 1\nc: [\n", &["#/a/b", "#/c"]);
        assert_eq!(lines.get("#/a/b"), Some(&2));
    }
}
