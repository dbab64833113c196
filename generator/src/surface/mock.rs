//! The typed mock's methods of each operation, as the surface lists them: what a consumer's
//! tests call, so that `diff` sees a change to any of them.

use super::{kind_text, param_sig, type_text};
use crate::model::*;

/// The methods of an operation's typed mock beside `mount` and the runtime's own, keyed as
/// a consumer calls them (`respond_200()`, `respond_200_with(..)`), with their arguments.
pub(super) fn mock_methods(api: &Api, op: &Operation) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (p, matcher) in op.params.iter().zip(&op.mock.matchers) {
        if let Some(m) = matcher {
            out.push((format!("{m}(..)"), format!("({})", param_sig(api, p))));
        }
    }
    if let Some(b) = op
        .body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)
    {
        out.push((
            "match_body(..)".into(),
            format!("({})", type_text(api, &b.ty)),
        ));
    }
    let answers = op.success.iter().chain(&op.errors);
    let names = op.mock.responders.iter().zip(&op.mock.responders_with);
    for ((status, kind), (name, with)) in answers.zip(names) {
        let status_arg = match status {
            StatusMatch::Code(_) => "",
            _ => "status: u16",
        };
        let sampled = match kind {
            ResponseKind::Json(TypeRef::Named(i)) => api.sampled.get(*i).copied().unwrap_or(false),
            _ => true,
        };
        if sampled {
            let key = if status_arg.is_empty() {
                format!("{name}()")
            } else {
                format!("{name}(..)")
            };
            out.push((key, format!("({status_arg})")));
        }
        if let (Some(with), Some(body)) = (with, kind_text(api, kind)) {
            let args = [status_arg, &format!("body: {body}")]
                .into_iter()
                .filter(|a| !a.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            out.push((format!("{with}(..)"), format!("({args})")));
        }
    }
    if op.pagination.is_some() {
        if let Some(page) = op.success.iter().find_map(|(_, k)| match k {
            ResponseKind::Json(t) => Some(type_text(api, t)),
            _ => None,
        }) {
            out.push(("respond_pages(..)".into(), format!("(Vec<{page}>)")));
        }
    }
    if let Some(event) = &op.events {
        out.push((
            "respond_events(..)".into(),
            format!("(Vec<{}>, bool)", type_text(api, event)),
        ));
    }
    out
}
