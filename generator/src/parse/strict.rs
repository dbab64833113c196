//! Strict reading of YAML and JSON text: duplicate keys are errors, `<<` merge keys are
//! applied, integers beyond 64 bits are kept as floats. JSON through serde_json with the
//! visitor below; YAML by `yaml.rs`, on saphyr-parser's events.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses YAML or JSON into a JSON tree, strictly.
pub fn parse_value(text: &str) -> Result<Value, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(trimmed);
        let v = Strict::deserialize(&mut de).map_err(|e| format!("invalid JSON: {e}"))?;
        de.end().map_err(|e| format!("invalid JSON: {e}"))?;
        Ok(v.0)
    } else {
        // The text as written (less a byte-order mark), so that lines in errors are the file's.
        super::yaml::parse_yaml(text.trim_start_matches('\u{feff}'))
            .map_err(|e| format!("invalid YAML: {e}"))
    }
}

/// A JSON value deserialised without silent losses.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    // Real specs carry values such as `minimum: -9223372036854776000` (an i64 bound written
    // through a float). They are kept as the nearest float rather than failing the parse.
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(|i| Value::Number(i.into()))
            .unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v)
            .map(|i| Value::Number(i.into()))
            .unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Strict::deserialize(d).map(|s| s.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merged: Vec<Map<String, Value>> = Vec::new();
        while let Some(Strict(key)) = map.next_key()? {
            let key = match key {
                Value::String(s) => s,
                // YAML allows non-string keys (`200:` is an integer); OpenAPI means the text.
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_owned(),
                other => {
                    return Err(de::Error::custom(format!(
                        "unsupported mapping key {other}"
                    )));
                }
            };
            let Strict(value) = map.next_value()?;
            if key == "<<" {
                // YAML merge key: explicit keys win over merged ones, earlier merges over later.
                match value {
                    Value::Object(m) => merged.push(m),
                    Value::Array(items) => {
                        for item in items {
                            match item {
                                Value::Object(m) => merged.push(m),
                                _ => {
                                    return Err(de::Error::custom("`<<` merge key needs mappings"));
                                }
                            }
                        }
                    }
                    _ => return Err(de::Error::custom("`<<` merge key needs a mapping")),
                }
                continue;
            }
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            out.insert(key, value);
        }
        for m in merged {
            for (k, v) in m {
                out.entry(k).or_insert(v);
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_value;

    #[test]
    fn duplicate_keys_are_errors_in_yaml_and_json() {
        assert!(
            parse_value("a: 1\na: 2\n")
                .unwrap_err()
                .contains("duplicate key `a`")
        );
        assert!(
            parse_value("{\"a\": 1, \"a\": 2}")
                .unwrap_err()
                .contains("duplicate key `a`")
        );
    }

    #[test]
    fn merge_keys_are_applied_and_explicit_keys_win() {
        let v = parse_value("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n").unwrap();
        assert_eq!(v["derived"], serde_json::json!({"x": 1, "y": 3}));
    }

    #[test]
    fn integers_beyond_64_bits_are_kept_as_floats() {
        let v = parse_value("minimum: -9223372036854776000\nmax: 18446744073709551616\n").unwrap();
        assert_eq!(v["minimum"].as_f64(), Some(-9223372036854776000.0));
        assert!(v["max"].as_f64().is_some());
    }
}
