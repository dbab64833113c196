//! A line-breaking printer for the items clientgen writes as text instead of through syn and
//! prettyplease.
//!
//! Most of a large API's generated code is declarations of one shape: structs with attributes
//! and fields, and `from_map!`/`constructor!`/`string_enum!` lines. Building those as token
//! streams, parsing the tokens back into a syntax tree and printing the tree was half of the
//! time spent emitting GitHub's API. They are written here from the IR as the same stream of
//! words, breaks and boxes prettyplease prints them with, and laid out with the same rules (a
//! box is broken when it does not fit before the next break; a consistent box breaks all its
//! breaks, an inconsistent one each break whose text up to the next break does not fit), so
//! the output is byte for byte what prettyplease would print: the generated files do not
//! depend on which path printed an item, and `emit::tests` checks that printing every
//! fixture's files again through syn and prettyplease changes nothing. (progenitor and typify
//! print everything through prettyplease; rust-analyzer's codegen writes text but leaves the
//! layout to rustfmt, which a generator cannot call.)
//!
//! Unlike prettyplease's streaming printer with its ring buffer, a layout is whole before it
//! is printed, so sizes are computed in one pass over the tokens, and printing in a second.

/// Line width the layout aims for, as prettyplease's.
pub(crate) const MARGIN: isize = 89;
/// Indentation of a nested block.
pub(crate) const INDENT: isize = 4;
/// The least room a line keeps after deep indentation.
const MIN_SPACE: isize = 60;
/// The size of a break that always breaks, and of anything that spans one.
const INFINITY: isize = 0xffff;

#[derive(Clone, Copy)]
enum Tok {
    /// `text[start..end]`.
    Text {
        start: u32,
        end: u32,
    },
    Break {
        blank: isize,
        offset: isize,
        /// Printed before the line break only when the break breaks (a trailing comma).
        pre_break: Option<char>,
        never: bool,
    },
    Begin {
        consistent: bool,
        offset: isize,
    },
    End,
}

/// Words, breaks and boxes of one or more items, then laid out into lines.
#[derive(Default)]
pub(crate) struct Layout {
    text: String,
    toks: Vec<Tok>,
}

#[derive(Clone, Copy)]
enum Frame {
    Fits,
    Broken { indent: isize, consistent: bool },
}

impl Layout {
    /// Empties the layout, keeping its buffers.
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.toks.clear();
    }

    pub(crate) fn word(&mut self, s: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        self.toks.push(Tok::Text {
            start,
            end: self.text.len() as u32,
        });
    }

    /// A box whose breaks all break when it does not fit.
    pub(crate) fn cbox(&mut self, offset: isize) {
        self.toks.push(Tok::Begin {
            consistent: true,
            offset,
        });
    }

    /// A box whose breaks break one by one, where the text after each does not fit.
    pub(crate) fn ibox(&mut self, offset: isize) {
        self.toks.push(Tok::Begin {
            consistent: false,
            offset,
        });
    }

    pub(crate) fn end(&mut self) {
        self.toks.push(Tok::End);
    }

    fn brk(&mut self, blank: isize, pre_break: Option<char>, never: bool) {
        self.toks.push(Tok::Break {
            blank,
            offset: 0,
            pre_break,
            never,
        });
    }

    /// A space, or a line break.
    pub(crate) fn space(&mut self) {
        self.brk(1, None, false);
    }

    /// Nothing, or a line break.
    pub(crate) fn zerobreak(&mut self) {
        self.brk(0, None, false);
    }

    /// Always a line break.
    pub(crate) fn hardbreak(&mut self) {
        self.brk(INFINITY, None, false);
    }

    /// A break that never breaks.
    pub(crate) fn neverbreak(&mut self) {
        self.brk(0, None, true);
    }

    /// A space that never breaks.
    pub(crate) fn nbsp(&mut self) {
        self.word(" ");
    }

    /// After the last item of a list: a comma only if the list is broken into lines.
    pub(crate) fn trailing_comma(&mut self, is_last: bool) {
        if is_last {
            self.brk(0, Some(','), false);
        } else {
            self.word(",");
            self.space();
        }
    }

    /// Moves the indentation of the line that the last break starts.
    pub(crate) fn offset(&mut self, delta: isize) {
        if let Some(Tok::Break { offset, .. }) = self.toks.last_mut() {
            *offset += delta;
        }
    }

    /// Lays the tokens out into lines, appended to `out`, starting at the beginning of a line
    /// in a broken box at indentation 0 (where a file's items are).
    pub(crate) fn print_into(&self, out: &mut String) {
        let sizes = self.sizes();
        let mut frames: Vec<Frame> = vec![Frame::Broken {
            indent: 0,
            consistent: true,
        }];
        let mut space = MARGIN;
        let mut indent: isize = 0;
        let mut pending: isize = 0;
        for (tok, &size) in self.toks.iter().zip(&sizes) {
            match *tok {
                Tok::Text { start, end } => {
                    push_spaces(out, pending);
                    pending = 0;
                    out.push_str(&self.text[start as usize..end as usize]);
                    space -= (end - start) as isize;
                }
                Tok::Begin { consistent, offset } => {
                    if size > space {
                        frames.push(Frame::Broken { indent, consistent });
                        indent += offset;
                    } else {
                        frames.push(Frame::Fits);
                    }
                }
                Tok::End => {
                    if let Some(Frame::Broken { indent: saved, .. }) = frames.pop() {
                        indent = saved;
                    }
                }
                Tok::Break {
                    blank,
                    offset,
                    pre_break,
                    never,
                } => {
                    let fits = never
                        || match frames.last() {
                            Some(Frame::Fits) => true,
                            Some(Frame::Broken {
                                consistent: true, ..
                            }) => false,
                            Some(Frame::Broken {
                                consistent: false, ..
                            })
                            | None => size <= space,
                        };
                    if fits {
                        pending += blank;
                        space -= blank;
                    } else {
                        if let Some(c) = pre_break {
                            push_spaces(out, pending);
                            out.push(c);
                        }
                        out.push('\n');
                        let line_indent = indent + offset;
                        pending = line_indent;
                        space = (MARGIN - line_indent).max(MIN_SPACE);
                    }
                }
            }
        }
    }

    /// The size of each box and break: the width, laid out flat, from it to the next break
    /// that is not inside a box opened after it (for a box, after its end). A break that is
    /// always a line break makes everything spanning it too wide.
    fn sizes(&self) -> Vec<isize> {
        let mut sizes = vec![0isize; self.toks.len()];
        // Boxes, ends and breaks whose size is not known yet.
        let mut open: Vec<usize> = Vec::new();
        let mut total: isize = 0;
        for (i, tok) in self.toks.iter().enumerate() {
            match *tok {
                Tok::Text { start, end } => total += (end - start) as isize,
                Tok::Begin { .. } => {
                    sizes[i] = -total;
                    open.push(i);
                }
                Tok::End => open.push(i),
                Tok::Break { blank, .. } => {
                    let mut depth = 0usize;
                    while let Some(&j) = open.last() {
                        match self.toks[j] {
                            Tok::Begin { .. } => {
                                if depth == 0 {
                                    break;
                                }
                                open.pop();
                                sizes[j] += total;
                                depth -= 1;
                            }
                            Tok::End => {
                                open.pop();
                                depth += 1;
                            }
                            Tok::Break { .. } => {
                                open.pop();
                                sizes[j] += total;
                                if depth == 0 {
                                    break;
                                }
                            }
                            Tok::Text { .. } => unreachable!("text is never pending"),
                        }
                    }
                    sizes[i] = -total;
                    open.push(i);
                    total += blank;
                }
            }
        }
        for j in open {
            if !matches!(self.toks[j], Tok::End) {
                sizes[j] = INFINITY;
            }
        }
        sizes
    }
}

fn push_spaces(out: &mut String, n: isize) {
    for _ in 0..n {
        out.push(' ');
    }
}
