//! Common slips: what OpenAPI requires but real descriptions often leave out, filled in with
//! a warning.

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, escape_token};

/// The fixed operation methods of a path item, in their order.
pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Fills in what OpenAPI requires but real descriptions often leave out, each with a warning
/// at its pointer, so that one omission does not refuse the whole document:
/// - no `info`, or one without `title` or `version`: empty text;
/// - a response without `description`: empty text;
/// - an operation without `responses`: none (its success body is returned as raw bytes);
/// - a server variable without `default`: its first `enum` value; with no `enum` either, the
///   server is left out (set the URL with `ClientBuilder::base_url`).
pub(super) fn accept_slips(raw: &mut Value, diags: &mut Diagnostics) {
    let Some(doc) = raw.as_object_mut() else {
        return;
    };
    match doc.get_mut("info") {
        Some(Value::Object(info)) => {
            for key in ["title", "version"] {
                if !info.contains_key(key) {
                    diags.warn("#/info", format!("`info` without `{key}`: taken as empty"));
                    info.insert(key.into(), Value::String(String::new()));
                }
            }
        }
        _ => {
            diags.warn("#", "no `info`: the API has no title or version");
            let mut info = Map::new();
            info.insert("title".into(), Value::String(String::new()));
            info.insert("version".into(), Value::String(String::new()));
            doc.insert("info".into(), Value::Object(info));
        }
    }
    accept_server_slips(doc.get_mut("servers"), "#/servers", diags);
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let item_pointer = format!("#/paths/{}", escape_token(path));
            accept_server_slips(
                item.get_mut("servers"),
                &format!("{item_pointer}/servers"),
                diags,
            );
            // The fixed methods in their order, then 3.2's `query` and `additionalOperations`.
            let mut operations: Vec<(usize, String, &mut Map<String, Value>)> = Vec::new();
            for (key, value) in item.iter_mut() {
                let Value::Object(obj) = value else { continue };
                let rank = METHODS
                    .iter()
                    .position(|m| m == key)
                    .or((key == "query").then_some(METHODS.len()));
                if let Some(rank) = rank {
                    operations.push((rank, format!("{item_pointer}/{key}"), obj));
                } else if key == "additionalOperations" {
                    for (method, op) in obj.iter_mut() {
                        if let Value::Object(op) = op {
                            let pointer = format!(
                                "{item_pointer}/additionalOperations/{}",
                                escape_token(method)
                            );
                            operations.push((METHODS.len() + 1, pointer, op));
                        }
                    }
                }
            }
            operations.sort_by_key(|(rank, _, _)| *rank);
            for (_, op_pointer, op) in operations {
                accept_server_slips(
                    op.get_mut("servers"),
                    &format!("{op_pointer}/servers"),
                    diags,
                );
                let responses = op.entry("responses").or_insert_with(|| {
                    diags.warn(
                        &op_pointer,
                        "operation without `responses`: its response body is returned as raw bytes",
                    );
                    Value::Object(Map::new())
                });
                accept_response_slips(responses, &format!("{op_pointer}/responses"), diags);
            }
        }
    }
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        if let Some(responses) = components.get_mut("responses") {
            accept_response_slips(responses, "#/components/responses", diags);
        }
    }
}

fn accept_response_slips(responses: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    let Value::Object(responses) = responses else {
        return;
    };
    for (code, response) in responses.iter_mut() {
        let Value::Object(response) = response else {
            continue;
        };
        if !response.contains_key("$ref") && !response.contains_key("description") {
            diags.warn(
                &format!("{pointer}/{}", escape_token(code)),
                "response without `description`",
            );
            response.insert("description".into(), Value::String(String::new()));
        }
    }
}

fn accept_server_slips(servers: Option<&mut Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(Value::Array(servers)) = servers else {
        return;
    };
    let mut index = 0;
    servers.retain_mut(|server| {
        let server_pointer = format!("{pointer}/{index}");
        index += 1;
        let Some(Value::Object(vars)) = server.get_mut("variables") else {
            return true;
        };
        for (name, var) in vars.iter_mut() {
            let Value::Object(var) = var else { continue };
            if var.contains_key("default") {
                continue;
            }
            let var_pointer = format!("{server_pointer}/variables/{}", escape_token(name));
            match var.get("enum").and_then(Value::as_array).and_then(|e| e.first()).cloned() {
                Some(first) => {
                    diags.warn(
                        &var_pointer,
                        format!("server variable without `default`: its first `enum` value {first} is used"),
                    );
                    var.insert("default".into(), first);
                }
                None => {
                    diags.warn(
                        &var_pointer,
                        "server variable without `default` or `enum`: the server is left out; set the URL with `ClientBuilder::base_url`",
                    );
                    return false;
                }
            }
        }
        true
    });
}
