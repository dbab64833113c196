//! YAML text to a JSON tree, strictly, on saphyr-parser's events (the parser `lines.rs` places
//! diagnostics with): scalars resolved by YAML 1.2's core schema, as serde_yaml 0.9 did
//! (leading-zero digits stay text; integers past 64 bits become floats, as `strict.rs` keeps
//! JSON's), `<<` merge keys applied with explicit keys winning, aliases expanded within a
//! budget, and every error (a duplicate key, a tag clientgen cannot read, a syntax error) at
//! its line and column, with the JSON pointer of the mapping where there is one.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use crate::diag::escape_token;

/// How deep collections may nest: as deep as serde_json reads JSON, so that no later stage
/// recurses past what a thread's stack holds.
const MAX_DEPTH: usize = 128;

/// Nodes that aliases may copy in all, beyond the document's own: a few anchors that name
/// each other ("billion laughs") cannot make a document of billions of nodes.
const ALIAS_BUDGET: usize = 1_000_000;

enum Frame {
    Map {
        out: Map<String, Value>,
        merged: Vec<Map<String, Value>>,
        /// The key whose value comes next, with where it is.
        key: Option<(String, Span)>,
        anchor: usize,
    },
    Seq {
        out: Vec<Value>,
        anchor: usize,
    },
}

/// Parses YAML text (one document) into a JSON tree.
pub(super) fn parse_yaml(text: &str) -> Result<Value, String> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut budget = ALIAS_BUDGET;
    let mut root: Option<Value> = None;
    let mut documents = 0;
    loop {
        let (event, span) = match parser.next_event() {
            Some(Ok(next)) => next,
            Some(Err(e)) => {
                return Err(format!(
                    "{} at line {} column {}",
                    e.info(),
                    e.marker().line(),
                    e.marker().col() + 1
                ));
            }
            None => break,
        };
        let at =
            |span: &Span| format!("line {} column {}", span.start.line(), span.start.col() + 1);
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => continue,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(format!(
                        "more than one YAML document in the text (the second at {})",
                        at(&span)
                    ));
                }
                continue;
            }
            Event::MappingStart(..) | Event::SequenceStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(format!(
                    "collections nest more than {MAX_DEPTH} deep at {}",
                    at(&span)
                ));
            }
            Event::MappingStart(anchor, tag) => {
                collection_tag(tag.as_deref(), "map", &span, &stack)?;
                stack.push(Frame::Map {
                    out: Map::new(),
                    merged: Vec::new(),
                    key: None,
                    anchor,
                });
                continue;
            }
            Event::SequenceStart(anchor, tag) => {
                collection_tag(tag.as_deref(), "seq", &span, &stack)?;
                stack.push(Frame::Seq {
                    out: Vec::new(),
                    anchor,
                });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (value, anchor) = match stack.pop() {
                    Some(Frame::Map {
                        mut out,
                        merged,
                        anchor,
                        ..
                    }) => {
                        // Explicit keys win over merged ones, earlier merges over later.
                        for m in merged {
                            for (k, v) in m {
                                out.entry(k).or_insert(v);
                            }
                        }
                        (Value::Object(out), anchor)
                    }
                    Some(Frame::Seq { out, anchor }) => (Value::Array(out), anchor),
                    None => {
                        return Err(format!(
                            "an unbalanced end of a collection at {}",
                            at(&span)
                        ));
                    }
                };
                if anchor != 0 {
                    anchors.insert(anchor, value.clone());
                }
                value
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(&text, style, tag.as_deref())
                    .map_err(|e| format!("{e} at {} ({})", at(&span), pointer_of(&stack)))?;
                if anchor != 0 {
                    anchors.insert(anchor, value.clone());
                }
                // A mapping key: kept as text until its value comes.
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = stack.last_mut()
                {
                    let text = match value {
                        Value::String(s) => s,
                        // YAML allows non-string keys (`200:` is an integer); OpenAPI means the
                        // text.
                        Value::Null => "null".to_owned(),
                        other => other.to_string(),
                    };
                    *key = Some((text, span));
                    continue;
                }
                value
            }
            Event::Alias(id) => {
                let Some(value) = anchors.get(&id) else {
                    return Err(format!(
                        "an alias to a node that is not finished (a cycle) at {}",
                        at(&span)
                    ));
                };
                let size = nodes(value);
                if size > budget {
                    return Err(format!(
                        "aliases expand to more than {ALIAS_BUDGET} nodes at {}",
                        at(&span)
                    ));
                }
                budget -= size;
                let value = value.clone();
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = stack.last_mut()
                {
                    match value {
                        Value::String(s) => {
                            *key = Some((s, span));
                            continue;
                        }
                        _ => {
                            return Err(format!(
                                "a mapping key that is a collection at {}",
                                at(&span)
                            ));
                        }
                    }
                }
                value
            }
        };
        // A finished node: the root, an item, or a mapping's key or value.
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { out, .. }) => out.push(node),
            Some(Frame::Map { key: None, .. }) => {
                return Err(format!(
                    "a mapping key that is a collection at {} ({})",
                    at(&span),
                    pointer_of(&stack)
                ));
            }
            Some(Frame::Map {
                out, merged, key, ..
            }) => {
                let (key, key_span) = key.take().expect("matched above");
                if key == "<<" {
                    match node {
                        Value::Object(m) => merged.push(m),
                        Value::Array(items) if items.iter().all(Value::is_object) => {
                            merged.extend(items.into_iter().filter_map(|i| match i {
                                Value::Object(m) => Some(m),
                                _ => None,
                            }));
                        }
                        _ => {
                            return Err(format!(
                                "a `<<` merge key needs a mapping or a list of mappings at {}",
                                at(&key_span)
                            ));
                        }
                    }
                } else if out.contains_key(&key) {
                    return Err(format!(
                        "duplicate key `{key}` at {} ({})",
                        at(&key_span),
                        pointer_of(&stack)
                    ));
                } else {
                    out.insert(key, node);
                }
            }
        }
    }
    Ok(root.unwrap_or(Value::Null))
}

/// The JSON pointer of the innermost open collection, for messages.
fn pointer_of(stack: &[Frame]) -> String {
    let mut pointer = String::from("#");
    // Each frame but the innermost names the step to the one inside it.
    for frame in &stack[..stack.len().saturating_sub(1)] {
        match frame {
            Frame::Map {
                key: Some((key, _)),
                ..
            } => {
                pointer.push('/');
                pointer.push_str(&escape_token(key));
            }
            Frame::Seq { out, .. } => {
                pointer.push('/');
                pointer.push_str(&out.len().to_string());
            }
            Frame::Map { .. } => {}
        }
    }
    if pointer == "#" {
        "the document".to_owned()
    } else {
        pointer
    }
}

/// How many nodes a value holds, itself included.
fn nodes(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(nodes).sum::<usize>(),
        Value::Object(m) => 1 + m.values().map(nodes).sum::<usize>(),
        _ => 1,
    }
}

/// A collection's tag: none, or the core schema's `!!map` / `!!seq`.
fn collection_tag(
    tag: Option<&Tag>,
    expected: &str,
    span: &Span,
    stack: &[Frame],
) -> Result<(), String> {
    match tag {
        None => Ok(()),
        Some(t) if t.is_yaml_core_schema() && t.suffix == expected => Ok(()),
        Some(t) => Err(format!(
            "unsupported tag `{t}` at line {} column {} ({})",
            span.start.line(),
            span.start.col() + 1,
            pointer_of(stack)
        )),
    }
}

/// A scalar's value: a quoted or block scalar is text; a plain one is resolved by YAML 1.2's
/// core schema; a core-schema tag (`!!str 1.0`) says which it is.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag {
        if !tag.is_yaml_core_schema() {
            return Err(format!("unsupported tag `{tag}`"));
        }
        let wrong = || format!("`{text}` is not a valid !!{}", tag.suffix);
        return match tag.suffix.as_str() {
            "str" => Ok(Value::String(text.to_owned())),
            "null" if is_null(text) => Ok(Value::Null),
            "bool" => bool_of(text).map(Value::Bool).ok_or_else(wrong),
            "int" => int(text).ok_or_else(wrong),
            "float" => int(text)
                .and_then(|v| v.as_f64())
                .or_else(|| float(text))
                .and_then(Number::from_f64)
                .map(Value::Number)
                .ok_or_else(wrong),
            _ => Err(wrong()),
        };
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_owned()));
    }
    if is_null(text) {
        return Ok(Value::Null);
    }
    if let Some(b) = bool_of(text) {
        return Ok(Value::Bool(b));
    }
    if let Some(v) = int(text) {
        return Ok(v);
    }
    if !leading_zero_digits(text) {
        if let Some(f) = float(text) {
            // Infinities and NaN have no JSON form: null, as JSON text of them would not parse.
            return Ok(Number::from_f64(f).map_or(Value::Null, Value::Number));
        }
    }
    Ok(Value::String(text.to_owned()))
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn bool_of(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `0123`: digits after a leading zero, which YAML 1.2 reads as text.
fn leading_zero_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

/// An integer: decimal, `0x`, `0o` or `0b`, signed; one past 64 bits is kept as the nearest
/// float (real descriptions write i64 bounds through floats: `-9223372036854776000`).
fn int(text: &str) -> Option<Value> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if unsigned.starts_with(['+', '-']) || unsigned.is_empty() {
        return None;
    }
    let (radix, digits) = if let Some(d) = unsigned.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = unsigned.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = unsigned.strip_prefix("0b") {
        (2, d)
    } else {
        if leading_zero_digits(unsigned) {
            return None;
        }
        (10, unsigned)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok();
    let value = match (negative, magnitude) {
        (false, Some(m)) => match u64::try_from(m) {
            Ok(u) => Value::Number(u.into()),
            Err(_) => Value::Number(Number::from_f64(m as f64)?),
        },
        (true, Some(m)) => match i64::try_from(m).ok().and_then(|i| i.checked_neg()) {
            Some(i) => Value::Number(i.into()),
            None if m == 1 << 63 => Value::Number(i64::MIN.into()),
            None => Value::Number(Number::from_f64(-(m as f64))?),
        },
        // Past 128 bits: a float too, from the decimal text.
        (_, None) if radix == 10 => Value::Number(Number::from_f64(text.parse::<f64>().ok()?)?),
        (_, None) => return None,
    };
    Some(value)
}

/// A float as the core schema writes it, `.inf` and `.nan` included.
fn float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    if unsigned.starts_with(['+', '-']) && text.starts_with('+') {
        return None;
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    // Rust reads `inf`, `nan` and `infinity` too, which YAML does not.
    if unsigned
        .trim_start_matches('-')
        .starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return None;
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::parse_yaml;
    use serde_json::json;

    #[test]
    fn scalars_resolve_by_the_core_schema() {
        let v = parse_yaml(
            "a: 1\nb: -2\nc: 0x1f\nd: 0o17\ne: 0b11\nf: 1.5\ng: 1e3\nh: true\ni: False\nj: ~\nk: null\nl:\nm: '1'\nn: \"true\"\no: 0123\np: yes\nq: .inf\nr: 1_000\ns: !!str 12\nt: !!float 3\nu: 18446744073709551615\nv: -9223372036854775808\nw: |\n  text\nx: 1.0.0\ny: +3\nz: nan\n",
        )
        .expect("parses");
        assert_eq!(
            v,
            json!({
                "a": 1, "b": -2, "c": 31, "d": 15, "e": 3, "f": 1.5, "g": 1000.0, "h": true,
                "i": false, "j": null, "k": null, "l": null, "m": "1", "n": "true", "o": "0123",
                "p": "yes", "q": null, "r": "1_000", "s": "12", "t": 3.0,
                "u": 18446744073709551615u64, "v": i64::MIN, "w": "text\n", "x": "1.0.0",
                "y": 3, "z": "nan"
            })
        );
    }

    #[test]
    fn errors_say_where() {
        let e = parse_yaml("info:\n  title: a\n  title: b\n").unwrap_err();
        assert_eq!(e, "duplicate key `title` at line 3 column 3 (#/info)");
        let e = parse_yaml("a: !custom 1\n").unwrap_err();
        assert!(
            e.starts_with("unsupported tag `!custom` at line 1 column 4"),
            "{e}"
        );
        let e = parse_yaml("a: [1\n").unwrap_err();
        assert!(e.contains("at line 2 column 1"), "{e}");
        let e = parse_yaml("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.starts_with("more than one YAML document"), "{e}");
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let e = parse_yaml(&deep).unwrap_err();
        assert!(e.starts_with("collections nest more than 128 deep"), "{e}");
    }

    #[test]
    fn aliases_and_merges_expand_within_a_budget() {
        let v = parse_yaml("base: &b {x: 1, y: 2}\nlist: &l [1, 2]\nd:\n  <<: *b\n  y: 3\ne: *l\n")
            .expect("parses");
        assert_eq!(v["d"], json!({"x": 1, "y": 3}));
        assert_eq!(v["e"], json!([1, 2]));
        let v =
            parse_yaml("a: &a {x: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n").expect("parses");
        assert_eq!(v["c"], json!({"x": 1, "z": 2}));
        // Nine levels of ten aliases each: a billion nodes.
        let mut text = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!(
                "l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
            ));
        }
        let e = parse_yaml(&text).unwrap_err();
        assert!(e.starts_with("aliases expand to more than"), "{e}");
    }
}
