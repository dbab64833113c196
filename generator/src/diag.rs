//! Problems found in a spec, each with the JSON pointer of where it is.

use std::fmt;

pub use crate::lines::escape_token;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information: what generation recognised or did by the rules (an operation found to be
    /// paginated, a header parameter OpenAPI says to ignore). Nothing to act on.
    Note,
    /// Generation went on with a documented fallback.
    Warning,
    /// Generation cannot produce a correct crate.
    Error,
}

impl Severity {
    /// How a line of this severity starts: `note`, `warning` or `error`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// JSON pointer into the spec (`#/paths/~1pets/get`).
    pub pointer: String,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// The 1-based line of `pointer` in the spec text (or of its nearest ancestor there),
    /// when the text was read and the pointer is below the root.
    pub line: Option<usize>,
}

impl Diagnostic {
    /// The kind of problem: the message with its particulars (names in backticks, quoted
    /// values, numbers, pointers) taken out, so that reports can count problems by kind.
    pub fn kind(&self) -> String {
        let mut out = String::with_capacity(self.message.len());
        let mut chars = self.message.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '`' | '"' => {
                    for d in chars.by_ref() {
                        if d == c {
                            break;
                        }
                    }
                    out.push('…');
                }
                '#' if chars.peek() == Some(&'/') => {
                    while chars
                        .peek()
                        .is_some_and(|d| !d.is_whitespace() && *d != ';' && *d != ',')
                    {
                        chars.next();
                    }
                    out.push('…');
                }
                c if c.is_ascii_digit() => {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    out.push('N');
                }
                c => out.push(c),
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = self.severity.label();
        write!(f, "{level}: {}", self.message)?;
        // The document as a whole (a syntax error) has no place to name but its line.
        if self.pointer != "#" {
            write!(f, " at {}", self.pointer)?;
        }
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        Ok(())
    }
}

/// Every error found, reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Diagnostic>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// Collects diagnostics while a stage runs.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// For a Swagger 2.0 document: where the 3.0 document's parts came from, and the first
    /// diagnostic about the 3.0 document (those before it point into the 2.0 one already).
    pointers: Option<(PointerMap, usize)>,
}

impl Diagnostics {
    /// Records an error.
    pub fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Error, pointer, message.into());
    }

    /// Records a warning.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Warning, pointer, message.into());
    }

    /// Records a note: information, not a problem.
    pub fn note(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Note, pointer, message.into());
    }

    fn push(&mut self, severity: Severity, pointer: &str, message: String) {
        let d = Diagnostic {
            severity,
            pointer: pointer.to_owned(),
            message,
            line: None,
        };
        // The same schema can be reached from many places; say each thing once.
        if !self.items.contains(&d) {
            self.items.push(d);
        }
    }

    /// Reports what comes next (about a document rewritten from Swagger 2.0) at the 2.0
    /// document's pointers.
    pub(crate) fn translate_pointers(&mut self, map: PointerMap) {
        self.pointers = Some((map, self.items.len()));
    }

    /// Every diagnostic, its pointer in the document the user wrote.
    fn translated(self) -> Vec<Diagnostic> {
        let mut items = self.items;
        if let Some((map, from)) = &self.pointers {
            for d in items.iter_mut().skip(*from) {
                d.pointer = translate_pointer(map, &d.pointer);
                // A reference quoted in a message, as the 2.0 document writes it.
                for (new, old) in map
                    .iter()
                    .filter(|(new, _)| new.starts_with("#/components/"))
                {
                    if d.message.contains(new.as_str()) {
                        d.message = d.message.replace(&format!("{new}/"), &format!("{old}/"));
                    }
                }
            }
        }
        items
    }

    /// Whether an error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics in the order found.
    #[cfg(test)]
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.translated()
    }

    /// All diagnostics in the order found, each with the line of its pointer in `text`.
    pub fn into_vec_placed(self, text: &str) -> Vec<Diagnostic> {
        let mut items = self.translated();
        let pointers: Vec<&str> = items
            .iter()
            .map(|d| d.pointer.as_str())
            .filter(|p| p.starts_with("#/"))
            .collect();
        if pointers.is_empty() {
            return items;
        }
        let lines = crate::lines::lines_of(text, &pointers);
        for d in &mut items {
            d.line = lines.get(&d.pointer).copied();
        }
        items
    }
}

/// Where the parts of a document rewritten from Swagger 2.0 came from: (3.0 pointer prefix,
/// 2.0 pointer prefix).
pub(crate) type PointerMap = Vec<(String, String)>;

/// A diagnostic's pointer in the 2.0 document: the longest recorded prefix replaced.
pub(crate) fn translate_pointer(map: &PointerMap, pointer: &str) -> String {
    let mut best: Option<&(String, String)> = None;
    for entry in map {
        let (new, _) = entry;
        let fits = pointer == new
            || (pointer.starts_with(new.as_str())
                && pointer.as_bytes().get(new.len()) == Some(&b'/'));
        if fits && best.is_none_or(|b| b.0.len() < new.len()) {
            best = Some(entry);
        }
    }
    match best {
        Some((new, old)) => format!("{old}{}", &pointer[new.len()..]),
        None => pointer.to_owned(),
    }
}

/// Appends a token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_leave_out_the_particulars() {
        let d = |message: &str| Diagnostic {
            severity: Severity::Warning,
            pointer: "#/x".into(),
            message: message.into(),
            line: None,
        };
        assert_eq!(
            d("path parameter `id` is not declared; it is taken as a required string").kind(),
            "path parameter … is not declared; it is taken as a required string"
        );
        assert_eq!(
            d("operationId `a` is also used at #/paths/~1a/get; this one gets a numbered name")
                .kind(),
            d("operationId `b` is also used at #/paths/~1b/post; this one gets a numbered name")
                .kind(),
        );
        assert_eq!(
            d("server variable without `default`: its first `enum` value \"eu\" is used").kind(),
            "server variable without …: its first … value … is used"
        );
    }
}
