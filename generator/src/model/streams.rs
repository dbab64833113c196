//! How a response arrives beyond one JSON body: server-sent events, a sequence of JSON
//! items, and pages.

use super::TypeRef;

/// What one server-sent event is decoded into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EventShape {
    /// The event's `data`, as JSON.
    #[default]
    Data,
    /// The whole event as an object of its `event`, `data`, `id` and `retry` fields (OpenAPI
    /// 3.2 `itemSchema`); `data` parsed as JSON when `json_data` (the schema gives it
    /// `contentMediaType: application/json`), else kept as text.
    Whole {
        /// `data` holds JSON.
        json_data: bool,
    },
}

/// A response read as a sequence of JSON items.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonSequence {
    /// The media type asked for in `Accept`.
    pub media: String,
    /// How items are delimited.
    pub framing: Framing,
    /// The type of one item.
    pub item: TypeRef,
    /// Every success answers only with this sequence: `send()` returns it too.
    pub only: bool,
}

/// How the items of a JSON sequence are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One JSON text per line (`application/jsonl`, `application/x-ndjson`).
    Lines,
    /// RFC 7464 JSON text sequences: each item after an ASCII record separator
    /// (`application/json-seq`).
    RecordSeparator,
}

/// A paginated operation: where the next page's cursor goes, where it comes from, and where
/// a page's items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Where the cursor goes in the next request.
    pub cursor: CursorIn,
    /// Where the next cursor comes from.
    pub next: NextCursor,
    /// Where a page's items are, when the page has one list of them.
    pub items: Option<PageItems>,
    /// Why the operation is treated as paginated, for the report.
    pub reason: String,
}

/// Where the cursor goes in the next request.
#[derive(Debug, Clone, PartialEq)]
pub enum CursorIn {
    /// A query parameter, by index into `Operation::params` (a string, or an integer page
    /// number parsed from the cursor).
    Query(usize),
    /// A property of the JSON body.
    Body(Step),
}

/// Where the next cursor comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum NextCursor {
    /// A string (or integer) property of the response, by its path from the body.
    Path(Vec<Step>),
    /// `has_more` (a boolean at this path) with the `id` of the last item (Stripe).
    LastItemId {
        /// The boolean that says another page exists.
        has_more: Vec<Step>,
        /// The item property whose value is the next cursor.
        id: Step,
    },
    /// An offset: the request's offset plus the page's items, while below the total at this
    /// path.
    Offset {
        /// The integer total of items.
        total: Vec<Step>,
    },
    /// The `rel="next"` link of the `Link` header, its query parameter of the cursor's name
    /// (GitHub).
    LinkHeader(String),
}

/// One property on a path through a response or request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The Rust field name.
    pub field: String,
    /// The property name on the wire.
    pub wire: String,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
}

/// Where a page's items are.
#[derive(Debug, Clone, PartialEq)]
pub struct PageItems {
    /// The array property of the page; `None` when the page is the array itself.
    pub field: Option<Step>,
    /// The item type.
    pub item: TypeRef,
}
