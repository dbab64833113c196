//! Which operations come in pages, and how: from `x-clientgen-pagination`, else from the
//! shapes APIs use. Each paginated operation is reported with a warning that says why, so a
//! maintainer sees what was inferred and can correct it with the extension.
//!
//! Shapes recognised without the extension:
//! - a cursor parameter or body property (`cursor`, `page_token`, `next_token`, ...) with the
//!   next cursor in the response, at the top or one object down (`next_cursor`, `next_page`,
//!   `results_metadata.next_cursor` as Stytch's search endpoints have);
//! - `starting_after` with `has_more` and items that have an `id` (Stripe);
//! - an integer `offset` (or `skip`) query parameter with a `total` in the page: the next
//!   offset is this one plus the page's items, while below the total;
//! - an integer `page` query parameter beside `per_page`, followed through the `Link`
//!   header's `rel="next"` (GitHub).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::{Diagnostics, join};
use crate::model::{
    Api, BodyEncoding, CursorIn, Field, NextCursor, Operation, PageItems, Pagination,
    ParamLocation, ResponseKind, Step, TypeKind, TypeRef,
};

/// Request cursor names, lowercased without `_` and `-`.
const CURSOR_NAMES: &[&str] = &[
    "cursor",
    "pagetoken",
    "nexttoken",
    "pagecursor",
    "continuationtoken",
    "after",
];

/// Response next-cursor names, lowercased without `_` and `-`.
const NEXT_NAMES: &[&str] = &[
    "nextcursor",
    "nextpage",
    "nextpagetoken",
    "nexttoken",
    "continuationtoken",
];

/// Names preferred for the items when a page has several arrays.
const ITEM_NAMES: &[&str] = &["data", "items", "results", "entries", "values", "records"];

fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Follows aliases to what a type reference is.
fn resolve<'a>(api: &'a Api, mut t: &'a TypeRef) -> &'a TypeRef {
    for _ in 0..16 {
        match t {
            TypeRef::Named(i) => match &api.types[*i].kind {
                TypeKind::Alias(target) => t = target,
                _ => return t,
            },
            _ => return t,
        }
    }
    t
}

fn fields<'a>(api: &'a Api, t: &TypeRef) -> Option<&'a [Field]> {
    match resolve(api, t) {
        TypeRef::Named(i) => match &api.types[*i].kind {
            TypeKind::Struct { fields, .. } => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

fn step(f: &Field) -> Step {
    Step {
        field: f.rust_name.clone(),
        wire: f.wire_name.clone(),
        required: f.required,
        nullable: f.nullable,
    }
}

fn is_string(api: &Api, t: &TypeRef) -> bool {
    matches!(resolve(api, t), TypeRef::String)
}

fn is_cursor_value(api: &Api, t: &TypeRef) -> bool {
    matches!(
        resolve(api, t),
        TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::U64
    )
}

fn path_text(path: &[Step]) -> String {
    path.iter()
        .map(|s| s.wire.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

/// The page type: the one JSON type every success returns.
fn page_type(op: &Operation) -> Option<&TypeRef> {
    if op.success_enum.is_some() {
        return None;
    }
    let mut page = None;
    for (_, kind) in &op.success {
        match kind {
            ResponseKind::Json(t) if page.is_none_or(|p| p == t) => page = Some(t),
            _ => return None,
        }
    }
    page
}

/// Where a page's items are: the page itself when it is an array, else its one array
/// property (or the one with a usual name, when it has several).
fn items(api: &Api, page: &TypeRef) -> Option<PageItems> {
    if let TypeRef::Array(inner) = resolve(api, page) {
        return Some(PageItems {
            field: None,
            item: (**inner).clone(),
        });
    }
    let arrays: Vec<(&Field, &TypeRef)> = fields(api, page)?
        .iter()
        .filter(|f| !f.boxed)
        .filter_map(|f| match resolve(api, &f.ty) {
            TypeRef::Array(inner) => Some((f, &**inner)),
            _ => None,
        })
        .collect();
    let (f, item) = match arrays.as_slice() {
        [one] => *one,
        many => *many
            .iter()
            .find(|(f, _)| ITEM_NAMES.contains(&norm(&f.wire_name).as_str()))?,
    };
    Some(PageItems {
        field: Some(step(f)),
        item: item.clone(),
    })
}

/// A property of `t` by wire name (a dotted path), each step an unboxed property, with the
/// type of the last.
fn find_path(api: &Api, t: &TypeRef, path: &str) -> Option<(Vec<Step>, TypeRef)> {
    let mut out = Vec::new();
    let mut here = t.clone();
    for name in path.split('.') {
        let f = fields(api, &here)?
            .iter()
            .find(|f| f.wire_name == name && !f.boxed)?;
        out.push(step(f));
        here = f.ty.clone();
    }
    Some((out, here))
}

/// The response's next cursor, at the top of the page or one object down.
fn next_in(api: &Api, page: &TypeRef) -> Option<Vec<Step>> {
    let top = fields(api, page)?;
    let hit = |f: &&Field| {
        !f.boxed && NEXT_NAMES.contains(&norm(&f.wire_name).as_str()) && is_cursor_value(api, &f.ty)
    };
    if let Some(f) = top.iter().find(hit) {
        return Some(vec![step(f)]);
    }
    top.iter().filter(|f| !f.boxed).find_map(|outer| {
        let inner = fields(api, &outer.ty)?.iter().find(hit)?;
        Some(vec![step(outer), step(inner)])
    })
}

/// The request's cursor: an optional query parameter or body property with a cursor name.
fn cursor_in(api: &Api, op: &Operation, names: &[&str]) -> Option<(CursorIn, String)> {
    let param = op.params.iter().position(|p| {
        p.location == ParamLocation::Query
            && !p.required
            && is_string(api, &p.ty)
            && names.contains(&norm(&p.wire_name).as_str())
    });
    if let Some(i) = param {
        return Some((
            CursorIn::Query(i),
            format!("query parameter `{}`", op.params[i].wire_name),
        ));
    }
    let body = op
        .body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)?;
    let f = fields(api, &body.ty)?.iter().find(|f| {
        !f.required
            && !f.boxed
            && is_string(api, &f.ty)
            && names.contains(&norm(&f.wire_name).as_str())
    })?;
    Some((
        CursorIn::Body(step(f)),
        format!("body property `{}`", f.wire_name),
    ))
}

/// The pagination the shapes of `op` suggest.
fn infer(api: &Api, op: &Operation) -> Option<Pagination> {
    let page = page_type(op)?;
    let items = items(api, page);
    if let (Some((cursor, where_)), Some(next)) =
        (cursor_in(api, op, CURSOR_NAMES), next_in(api, page))
    {
        return Some(Pagination {
            reason: format!(
                "the {where_} takes the `{}` of each response",
                path_text(&next)
            ),
            cursor,
            next: NextCursor::Path(next),
            items,
        });
    }
    // Stripe: `starting_after` the last item's `id`, while `has_more`.
    if let (
        Some((cursor, where_)),
        Some(PageItems {
            field: Some(list),
            item,
        }),
    ) = (cursor_in(api, op, &["startingafter"]), items.as_ref())
    {
        // Without `has_more` or an item `id`, the other shapes are still tried.
        let has_more = fields(api, page).and_then(|fs| {
            fs.iter()
                .find(|f| f.wire_name == "has_more" && resolve(api, &f.ty) == &TypeRef::Bool)
        });
        let id = fields(api, item).and_then(|fs| {
            fs.iter()
                .find(|f| f.wire_name == "id" && f.required && !f.nullable && is_string(api, &f.ty))
        });
        if let (Some(has_more), Some(id)) = (has_more, id) {
            return Some(Pagination {
                reason: format!(
                    "the {where_} takes the `id` of the last of `{}` while `has_more`",
                    list.wire
                ),
                cursor,
                next: NextCursor::LastItemId {
                    has_more: vec![step(has_more)],
                    id: step(id),
                },
                items,
            });
        }
    }
    // Offset and limit: the next offset is this one plus the page's items, below the total.
    if let Some(PageItems {
        field: Some(list), ..
    }) = items.as_ref()
    {
        let offset = op.params.iter().position(|p| {
            p.location == ParamLocation::Query
                && !p.required
                && matches!(norm(&p.wire_name).as_str(), "offset" | "skip")
                && matches!(resolve(api, &p.ty), TypeRef::I32 | TypeRef::I64)
        });
        let total = fields(api, page).and_then(|top| {
            let is_total = |f: &&Field| {
                !f.boxed
                    && matches!(
                        norm(&f.wire_name).as_str(),
                        "total" | "totalcount" | "totalresults" | "totalitems"
                    )
                    && matches!(resolve(api, &f.ty), TypeRef::I32 | TypeRef::I64)
            };
            if let Some(f) = top.iter().find(is_total) {
                return Some(vec![step(f)]);
            }
            top.iter().filter(|f| !f.boxed).find_map(|outer| {
                let inner = fields(api, &outer.ty)?.iter().find(is_total)?;
                Some(vec![step(outer), step(inner)])
            })
        });
        if let (Some(i), Some(total)) = (offset, total) {
            return Some(Pagination {
                reason: format!(
                    "query parameter `{}` moves past the `{}` of each page while below `{}`",
                    op.params[i].wire_name,
                    list.wire,
                    path_text(&total)
                ),
                cursor: CursorIn::Query(i),
                next: NextCursor::Offset { total },
                items,
            });
        }
    }
    // GitHub: `page` and `per_page`, the next page from the `Link` header.
    let page_param = op.params.iter().position(|p| {
        p.location == ParamLocation::Query
            && !p.required
            && p.wire_name == "page"
            && matches!(resolve(api, &p.ty), TypeRef::I32 | TypeRef::I64)
    })?;
    if !op.params.iter().any(|p| {
        p.location == ParamLocation::Query
            && matches!(p.wire_name.as_str(), "per_page" | "page_size")
    }) {
        return None;
    }
    Some(Pagination {
        reason: "query parameter `page` follows the `Link` header's `rel=\"next\"`".into(),
        cursor: CursorIn::Query(page_param),
        next: NextCursor::LinkHeader("page".into()),
        items,
    })
}

/// `x-clientgen-pagination` on an operation: `false`, or `{cursor, next, items}` where
/// `cursor` names a query parameter or body property, `next` is a dotted path in the
/// response or `link`, and `items` (optional) names the array property of a page.
fn from_extension(
    api: &Api,
    op: &Operation,
    ext: &Value,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Option<Pagination> {
    let pointer = join(pointer, "x-clientgen-pagination");
    let fail = |diags: &mut Diagnostics, why: String| {
        diags.warn(&pointer, format!("{why}; the operation is not paginated"));
        None
    };
    if ext == &Value::Bool(false) {
        return None;
    }
    let Some(page) = page_type(op) else {
        return fail(
            diags,
            "the operation has no single JSON success type to page through".into(),
        );
    };
    let (Some(cursor_name), Some(next)) = (
        ext.get("cursor").and_then(Value::as_str),
        ext.get("next").and_then(Value::as_str),
    ) else {
        return fail(
            diags,
            "`x-clientgen-pagination` needs `cursor` and `next` (strings), or is `false`".into(),
        );
    };
    let Some((cursor, where_)) = cursor_in(api, op, &[norm(cursor_name).as_str()]).or_else(|| {
        // An integer page parameter, with `next: link`.
        let i = op.params.iter().position(|p| {
            p.location == ParamLocation::Query && p.wire_name == cursor_name && !p.required
        })?;
        Some((
            CursorIn::Query(i),
            format!("query parameter `{cursor_name}`"),
        ))
    }) else {
        return fail(
            diags,
            format!("no optional query parameter or body property `{cursor_name}`"),
        );
    };
    let next_cursor = if next == "link" {
        NextCursor::LinkHeader(cursor_name.to_owned())
    } else {
        match find_path(api, page, next) {
            Some((path, ty)) if is_cursor_value(api, &ty) => NextCursor::Path(path),
            _ => {
                return fail(
                    diags,
                    format!("the response has no string or integer property `{next}`"),
                );
            }
        }
    };
    let items = match ext.get("items").and_then(Value::as_str) {
        None => items(api, page),
        Some(name) => {
            let Some(f) = fields(api, page)
                .and_then(|fs| fs.iter().find(|f| f.wire_name == name && !f.boxed))
            else {
                return fail(diags, format!("the response has no property `{name}`"));
            };
            let TypeRef::Array(inner) = resolve(api, &f.ty) else {
                return fail(diags, format!("`{name}` is not an array"));
            };
            Some(PageItems {
                field: Some(step(f)),
                item: (**inner).clone(),
            })
        }
    };
    Some(Pagination {
        reason: format!("x-clientgen-pagination: the {where_} takes `{next}`"),
        cursor,
        next: next_cursor,
        items,
    })
}

/// Sets `pagination` on every operation that pages, with a warning saying why. `extensions`:
/// each operation's `x-clientgen-pagination`, by its pointer, as lowering met them.
pub(super) fn detect(api: &mut Api, extensions: &BTreeMap<String, Value>, diags: &mut Diagnostics) {
    for i in 0..api.operations.len() {
        let op = &api.operations[i];
        let ext = extensions.get(&op.pointer);
        let found = match ext {
            Some(ext) => from_extension(api, op, ext, &op.pointer.clone(), diags),
            None => infer(api, op),
        };
        if let Some(p) = &found {
            let items = match &p.items {
                Some(PageItems { field: Some(f), .. }) => {
                    format!("; `.items()` walks `{}`", f.wire)
                }
                Some(PageItems { field: None, .. }) => "; `.items()` walks the page".into(),
                None => "; no single list of items, so `.pages()` only".into(),
            };
            diags.note(
                &op.pointer,
                format!("paginated (`.pages()`): {}{items}", p.reason),
            );
        }
        api.operations[i].pagination = found;
    }
}
