//! No circles between modules: in the runtime copied into every generated crate
//! (`generator/runtime/`) and in the generator itself (`generator/src/`). A module may use the
//! modules below it, never one that uses it back, so that each can be read, changed and tested
//! from the bottom up.
//!
//! The check reads the source text; it does not compile it. Every file is a module (`a.rs` and
//! `a/mod.rs` are `a`, `a/b.rs` is `a::b`; `lib.rs`, and the runtime's `mod.rs`, are the root;
//! `main.rs` is a crate of its own and left out). Comments, strings and character literals are
//! dropped; then every path that starts with `crate::`, `super::` or `self::` (`$crate::` in
//! macros too), in `use` lines, `use` groups (`use super::{a::X, b}`) and in bodies alike, is
//! resolved from the module it is written in, inline modules (`mod tests { .. }`, whose `super`
//! is the file's module) included: a test module counts for its file, since a test of a lower
//! module that needs a higher one ties the two together just the same. In the runtime,
//! `crate::runtime::x` is the runtime's `x` and any other `crate::` path is the generated
//! crate's own code, outside the check.
//!
//! A reference from module `p::a::..` to `p::b::..` is an edge `a -> b` among the children of
//! `p`, so every level is checked: the top-level modules (what `lower/*` uses counts for `lower`)
//! and the files of each directory module among themselves (`parse/*`, `lower/*`). A name that
//! a parent imports or re-exports (`pub use client::Client` in the runtime's `mod.rs`) stands for
//! the module it comes from. A child's use of its parent's own items, and a parent's use of its
//! children, are not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[test]
fn the_runtime_has_no_module_circle() {
    let graph = Graph::of_dir(&root().join("runtime"), &["runtime"], &[]);
    // The reader sees the references it must see.
    graph.assert_edge("client", "error");
    graph.assert_edge("request", "error");
    println!("generator/runtime:\n{}", graph.describe());
    graph.assert_acyclic("generator/runtime");
}

#[test]
fn the_generator_has_no_module_circle() {
    let graph = Graph::of_dir(&root().join("src"), &[], &["main.rs"]);
    graph.assert_edge("lower", "model");
    graph.assert_edge("diag", "lines");
    println!("generator/src:\n{}", graph.describe());
    graph.assert_acyclic("generator/src");
}

/// The check itself: each way of naming a sibling is an edge, and a circle through any of
/// them fails with the circle and where its edges come from.
#[test]
fn a_circle_is_found_whichever_way_it_is_written() {
    let sources = [
        ("mod.rs", "mod a;\nmod b;\npub use a::Thing;\n"),
        // A `use` group, and an inline test module, whose `super::super` is the parent.
        (
            "a.rs",
            "use super::{b::X, c};\n// crate::runtime::d::Y in a comment is no edge\n\
             fn f() { let s = \"crate::runtime::d::Z\"; let c = '{'; }\n\
             #[cfg(test)]\nmod tests { use super::super::e::E; use super::*; }\n",
        ),
        ("b.rs", "fn g<'de>() { crate::runtime::c::h(); }\n"),
        ("c.rs", "fn h() { let _ = super::Thing::new(); }\n"),
        ("d.rs", ""),
        ("e.rs", ""),
        ("f/mod.rs", "mod g;\nfn i() { g::j(); }\n"),
        (
            "f/g.rs",
            "use crate::runtime::d;\nfn j() { super::super::secret::k(); }\n",
        ),
    ];
    let files: Vec<(String, String)> = sources
        .iter()
        .map(|(p, s)| (p.to_string(), s.to_string()))
        .collect();
    let graph = Graph::of_sources(&files, &["runtime"]);
    let edges = graph.edges(&[]);
    let expected: BTreeSet<(String, String)> = [
        ("a", "b"),
        ("a", "c"),
        ("a", "e"),
        ("b", "c"),
        ("c", "a"),
        ("f", "d"),
    ]
    .iter()
    .map(|(x, y)| (x.to_string(), y.to_string()))
    .collect();
    assert_eq!(edges, expected, "{}", graph.describe());
    let circle = graph.circle().expect("a -> c -> a is a circle");
    assert!(circle.contains("c -> a"), "{circle}");
    assert!(circle.contains("c.rs:1"), "{circle}");
    let acyclic: Vec<(String, String)> = files.into_iter().filter(|(p, _)| p != "c.rs").collect();
    assert_eq!(Graph::of_sources(&acyclic, &["runtime"]).circle(), None);
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Where an edge was seen first: file and line.
type Origin = (String, usize);

/// The edges among the children of each module (the key), found in a tree of source files.
struct Graph {
    levels: BTreeMap<Vec<String>, BTreeMap<String, BTreeMap<String, Origin>>>,
}

impl Graph {
    /// Every `.rs` file under `dir`, but `skip`.
    fn of_dir(dir: &Path, crate_prefix: &[&str], skip: &[&str]) -> Graph {
        let mut files = Vec::new();
        collect(dir, dir, &mut files);
        files.retain(|(path, _)| !skip.contains(&path.as_str()));
        assert!(!files.is_empty(), "no source under {}", dir.display());
        Graph::of_sources(&files, crate_prefix)
    }

    /// `files` as (path relative to the tree's root, text). `crate_prefix`: the tree's module
    /// path from its crate's root (`["runtime"]` for the runtime, nothing for a crate's `src`).
    fn of_sources(files: &[(String, String)], crate_prefix: &[&str]) -> Graph {
        let modules: BTreeSet<Vec<String>> =
            files.iter().map(|(path, _)| module_of(path)).collect();
        let tree = Tree {
            modules,
            crate_prefix: crate_prefix.iter().map(|s| s.to_string()).collect(),
        };
        let parsed: Vec<(&String, Vec<String>, Tokens)> = files
            .iter()
            .map(|(path, text)| (path, module_of(path), lex(text)))
            .collect();
        // What each file's own `use` lines name: `super::Name` may mean one of them.
        let mut aliases = BTreeMap::new();
        for (_, module, toks) in &parsed {
            let refs = references(&tree, module, toks);
            let names: BTreeMap<String, Vec<String>> = refs
                .into_iter()
                .filter_map(|r| r.alias.map(|name| (name, r.path)))
                .collect();
            aliases.insert(module.clone(), names);
        }
        let mut graph = Graph {
            levels: BTreeMap::new(),
        };
        for (path, module, toks) in &parsed {
            for r in references(&tree, module, toks) {
                let target = tree.through_aliases(r.path, &aliases);
                graph.add(&tree, &r.from, &target, (path.to_string(), r.line));
            }
        }
        graph
    }

    fn add(&mut self, tree: &Tree, from: &[String], to: &[String], origin: Origin) {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        // Within itself, or a use of an enclosing module's own items.
        if common == from.len() || common == to.len() {
            return;
        }
        let parent = &to[..common];
        if !tree.modules.contains(&to[..=common]) {
            return;
        }
        self.levels
            .entry(parent.to_vec())
            .or_default()
            .entry(from[common].clone())
            .or_default()
            .entry(to[common].clone())
            .or_insert(origin);
    }

    fn edges(&self, level: &[&str]) -> BTreeSet<(String, String)> {
        let level: Vec<String> = level.iter().map(|s| s.to_string()).collect();
        self.levels
            .get(&level)
            .into_iter()
            .flatten()
            .flat_map(|(from, tos)| tos.keys().map(move |to| (from.clone(), to.clone())))
            .collect()
    }

    /// Fails unless `from -> to` is an edge among the top-level modules.
    fn assert_edge(&self, from: &str, to: &str) {
        let edge = (from.to_owned(), to.to_owned());
        assert!(
            self.edges(&[]).contains(&edge),
            "no edge {from} -> {to} found:\n{}",
            self.describe()
        );
    }

    /// The first circle found, with the reference behind each of its edges.
    fn circle(&self) -> Option<String> {
        for (level, edges) in &self.levels {
            let mut done = BTreeSet::new();
            for start in edges.keys() {
                let mut stack = Vec::new();
                if let Some(circle) = find_circle(edges, start, &mut stack, &mut done) {
                    let place = if level.is_empty() {
                        "top-level modules".to_owned()
                    } else {
                        format!("children of `{}`", level.join("::"))
                    };
                    let mut text = format!("circle among the {place}: {}\n", circle.join(" -> "));
                    for pair in circle.windows(2) {
                        let (file, line) = &edges[&pair[0]][&pair[1]];
                        text.push_str(&format!("  {} -> {}: {file}:{line}\n", pair[0], pair[1]));
                    }
                    return Some(text);
                }
            }
        }
        None
    }

    fn assert_acyclic(&self, what: &str) {
        if let Some(circle) = self.circle() {
            panic!(
                "{what} has an import circle\n{circle}\nall edges:\n{}",
                self.describe()
            );
        }
    }

    fn describe(&self) -> String {
        let mut text = String::new();
        for (level, edges) in &self.levels {
            let name = if level.is_empty() {
                "(top)".to_owned()
            } else {
                level.join("::")
            };
            for (from, tos) in edges {
                let tos: Vec<&str> = tos.keys().map(String::as_str).collect();
                text.push_str(&format!("  {name}: {from} -> {}\n", tos.join(", ")));
            }
        }
        text
    }
}

/// Depth first; `stack` is the path from the start, `done` the nodes known to reach no circle.
fn find_circle(
    edges: &BTreeMap<String, BTreeMap<String, Origin>>,
    node: &str,
    stack: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(at) = stack.iter().position(|n| n == node) {
        let mut circle = stack[at..].to_vec();
        circle.push(node.to_owned());
        return Some(circle);
    }
    if done.contains(node) {
        return None;
    }
    stack.push(node.to_owned());
    for next in edges.get(node).into_iter().flat_map(BTreeMap::keys) {
        if let Some(circle) = find_circle(edges, next, stack, done) {
            return Some(circle);
        }
    }
    stack.pop();
    done.insert(node.to_owned());
    None
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("under the root");
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(&path).expect("read a source file");
            out.push((relative, text));
        }
    }
}

/// `a.rs` and `a/mod.rs` are `a`, `a/b.rs` is `a::b`, `lib.rs` and `mod.rs` are the root.
fn module_of(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = path
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

struct Tree {
    modules: BTreeSet<Vec<String>>,
    crate_prefix: Vec<String>,
}

impl Tree {
    /// `path` with a leading name that a module's `use` line brings in replaced by what it
    /// stands for: `super::Client` in a runtime module is `client::Client`.
    fn through_aliases(
        &self,
        mut path: Vec<String>,
        aliases: &BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>,
    ) -> Vec<String> {
        'again: for _ in 0..8 {
            for k in 0..path.len() {
                if self.modules.contains(&path[..=k]) {
                    continue;
                }
                if let Some(target) = aliases.get(&path[..k]).and_then(|a| a.get(&path[k])) {
                    if target != &path[..=k] {
                        let mut next = target.clone();
                        next.extend_from_slice(&path[k + 1..]);
                        path = next;
                        continue 'again;
                    }
                }
                break;
            }
            break;
        }
        path
    }
}

/// A path one module names: where it leads (from the tree's root), from which module (inline
/// ones included) and line, and the name a file-level `use` gives it.
struct Reference {
    from: Vec<String>,
    path: Vec<String>,
    line: usize,
    alias: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Open,
    Close,
    Other(char),
}

/// Tokens and their lines.
type Tokens = Vec<(Tok, usize)>;

/// Tokens and their lines, without comments, strings and character literals.
fn lex(text: &str) -> Tokens {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let ident_char = |c: char| c.is_alphanumeric() || c == '_';
    // Skips a quoted literal starting at `i` (the opening quote), escapes honoured.
    let skip_quoted = |i: &mut usize, line: &mut usize, quote: char| {
        *i += 1;
        while *i < chars.len() && chars[*i] != quote {
            if chars[*i] == '\\' {
                *i += 1;
            }
            if chars.get(*i) == Some(&'\n') {
                *line += 1;
            }
            *i += 1;
        }
        *i += 1;
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() || c == '$' {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            skip_quoted(&mut i, &mut line, '"');
        } else if c == '\'' {
            if next == Some('\\') || chars.get(i + 2) == Some(&'\'') {
                skip_quoted(&mut i, &mut line, '\'');
            } else {
                // A lifetime or a label: its name is an identifier like any other.
                i += 1;
            }
        } else if ident_char(c) {
            let start = i;
            while i < chars.len() && ident_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let after = chars.get(i).copied();
            if matches!(word.as_str(), "r" | "br" | "cr") && matches!(after, Some('"' | '#')) {
                let mut hashes = 0;
                while chars.get(i) == Some(&'#') {
                    hashes += 1;
                    i += 1;
                }
                if chars.get(i) != Some(&'"') {
                    // `r#ident`: a raw identifier.
                    let start = i;
                    while i < chars.len() && ident_char(chars[i]) {
                        i += 1;
                    }
                    toks.push((Tok::Ident(chars[start..i].iter().collect()), line));
                    continue;
                }
                i += 1;
                loop {
                    if i >= chars.len() {
                        break;
                    }
                    if chars[i] == '"' && (1..=hashes).all(|h| chars.get(i + h) == Some(&'#')) {
                        i += 1 + hashes;
                        break;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            } else if matches!(word.as_str(), "b" | "c") && after == Some('"') {
                skip_quoted(&mut i, &mut line, '"');
            } else if word == "b" && after == Some('\'') {
                skip_quoted(&mut i, &mut line, '\'');
            } else {
                toks.push((Tok::Ident(word), line));
            }
        } else if c == ':' && next == Some(':') {
            toks.push((Tok::PathSep, line));
            i += 2;
        } else if c == '{' {
            toks.push((Tok::Open, line));
            i += 1;
        } else if c == '}' {
            toks.push((Tok::Close, line));
            i += 1;
        } else {
            toks.push((Tok::Other(c), line));
            i += 1;
        }
    }
    toks
}

/// Every path of a file that leads into the tree, resolved.
fn references(tree: &Tree, file_module: &[String], toks: &[(Tok, usize)]) -> Vec<Reference> {
    let mut out = Vec::new();
    // Inline modules: name and the brace depth inside them.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut in_use = false;
    let mut i = 0;
    while i < toks.len() {
        let (tok, line) = &toks[i];
        let ident = |k: usize| match toks.get(k) {
            Some((Tok::Ident(s), _)) => Some(s.as_str()),
            _ => None,
        };
        match tok {
            Tok::Open => depth += 1,
            Tok::Close => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            Tok::Other(';') => in_use = false,
            Tok::Ident(word) if word == "mod" => {
                if let (Some(name), Some((Tok::Open, _))) = (ident(i + 1), toks.get(i + 2)) {
                    inline.push((name.to_owned(), depth + 1));
                }
            }
            Tok::Ident(word) if word == "use" => in_use = true,
            Tok::Ident(word) if i == 0 || toks[i - 1].0 != Tok::PathSep => {
                let starts_use = in_use && i > 0 && toks[i - 1].0 == Tok::Ident("use".into());
                let mut here: Vec<String> = file_module.to_vec();
                here.extend(inline.iter().map(|(n, _)| n.clone()));
                let sep_at = |k: usize| toks.get(k).map(|t| &t.0) == Some(&Tok::PathSep);
                let mut k = i;
                // Where the path starts, and the names it must go through to enter the tree.
                let start: Option<(Vec<String>, Vec<String>)> = match word.as_str() {
                    "crate" => Some((Vec::new(), tree.crate_prefix.clone())),
                    "self" => Some((here.clone(), Vec::new())),
                    "super" => {
                        let mut path = here.clone();
                        let mut inside = path.pop().is_some();
                        while sep_at(k + 1) && ident(k + 2) == Some("super") {
                            inside &= path.pop().is_some();
                            k += 2;
                        }
                        inside.then_some((path, Vec::new()))
                    }
                    // `use child::X` in a module with a child of that name.
                    name if starts_use => {
                        let mut child = here.clone();
                        child.push(name.to_owned());
                        tree.modules.contains(&child).then_some((child, Vec::new()))
                    }
                    _ => None,
                };
                if let Some((mut path, mut entry)) = start {
                    let mut outside = false;
                    while sep_at(k + 1) {
                        let Some(segment) = ident(k + 2) else { break };
                        if entry.is_empty() {
                            path.push(segment.to_owned());
                        } else if entry.remove(0) != segment {
                            outside = true;
                        }
                        k += 2;
                    }
                    if outside || !entry.is_empty() {
                        i = k + 1;
                        continue;
                    }
                    let file_level = inline.is_empty();
                    if sep_at(k + 1) && toks.get(k + 2).map(|t| &t.0) == Some(&Tok::Open) {
                        k = group(toks, k + 3, &path, &here, in_use && file_level, &mut out);
                    } else {
                        let alias = match (ident(k + 1), ident(k + 2)) {
                            (Some("as"), Some(name)) => Some(name.to_owned()),
                            _ => path.last().cloned(),
                        };
                        out.push(Reference {
                            from: here,
                            path,
                            line: *line,
                            alias: alias.filter(|_| in_use && file_level),
                        });
                    }
                    i = k + 1;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A `use` group (`{a::X, b::{c, d}, self}`) from its first token after `{`; the index of
/// its `}`.
fn group(
    toks: &[(Tok, usize)],
    mut k: usize,
    prefix: &[String],
    here: &[String],
    aliases: bool,
    out: &mut Vec<Reference>,
) -> usize {
    while k < toks.len() {
        match &toks[k].0 {
            Tok::Close => return k,
            Tok::Ident(first) => {
                let line = toks[k].1;
                let mut path = prefix.to_vec();
                if first != "self" {
                    path.push(first.clone());
                }
                while toks.get(k + 1).map(|t| &t.0) == Some(&Tok::PathSep) {
                    match toks.get(k + 2) {
                        Some((Tok::Ident(seg), _)) => {
                            path.push(seg.clone());
                            k += 2;
                        }
                        Some((Tok::Open, _)) => {
                            k = group(toks, k + 3, &path, here, aliases, out);
                            path.clear();
                            break;
                        }
                        _ => {
                            // A glob.
                            k += 2;
                            break;
                        }
                    }
                }
                if !path.is_empty() || first == "self" {
                    let alias = match (&toks.get(k + 1).map(|t| &t.0), toks.get(k + 2)) {
                        (Some(Tok::Ident(a)), Some((Tok::Ident(name), _))) if a == "as" => {
                            k += 2;
                            Some(name.clone())
                        }
                        _ => path.last().cloned(),
                    };
                    out.push(Reference {
                        from: here.to_vec(),
                        path,
                        line,
                        alias: alias.filter(|_| aliases),
                    });
                }
                k += 1;
            }
            _ => k += 1,
        }
    }
    k
}
