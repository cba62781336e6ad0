//! The library's layout, checked: the rules of docs/architecture.md ("The rule the tree obeys")
//! applied to every file under `crates/bulwark/src`.
//!
//! 1. **Floors.** The stages follow the data flow, earth → flight → sensor → track → engage →
//!    scenario → sim → campaign / analysis ([`STAGES`]); a file of one stage may name another
//!    stage only if that stage sits on a strictly lower floor (campaign and analysis share the
//!    top floor and do not use each other). The ground floor ([`GROUND_FLOOR`]: numerics, limits,
//!    finite, names, preset_file, random) sits below earth and names no stage. Every top-level
//!    module must be placed on a floor, so a new module cannot slip past the rule.
//! 2. **No cycles between the files of a module.** Each reference from the file of module
//!    `a::b::x` to a path `a::b::y::…` where `y` is another module of `a::b` with a file of its own
//!    is an edge `x → y` of the graph of `a::b` (the crate root included, whose nodes are the
//!    stages); every such graph must be acyclic. A module's `mod.rs` (or `a/b.rs` beside `a/b/`)
//!    is the module itself, not one of its files: it may re-export its children, and children may
//!    use the items it defines. A name it re-exports (`pub use x::Y`) is followed back to the file
//!    that defines it, so `use super::Y` in a sibling is an edge to `x`; a glob (`pub use x::*`)
//!    is not followed.
//! 3. **Size.** No file holds more than [`MAX_LINES_OF_CODE`] lines of code unless its opening
//!    comment block (the `//` and `//!` lines before the first line of code) has a line starting
//!    `Size:` followed by the reason, e.g. `//! Size: one Butcher tableau of 180 published
//!    coefficients, read best in one place.` Files waiting for a split are listed in
//!    [`PENDING_SPLIT`] with who splits them; that list may hold only files that really exceed the
//!    limit without a reason, so it cannot go stale.
//!
//! What counts as a reference: a path starting `crate::`, `super::` or `self::` in code (a `use`,
//! including grouped `use crate::{a, b::c}` trees, a type, an expression, a macro argument),
//! resolved against the file's module and any inline `mod` it sits in. Comments and strings are not
//! code: a doc link such as ``[`crate::flight::kepler`]`` may point anywhere, because it builds no
//! dependency, and a reader is helped by a link to where a value is used.
//!
//! What counts as a line of code: a line that holds at least part of a token other than a comment
//! (so blank lines, comment lines and doc-comment lines are not code; a line of a multi-line string
//! is), outside every inline module marked `#[cfg(test)]` (from its attribute to its closing brace).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The stages of the pipeline with their floor: a stage may use only stages on lower floors.
const STAGES: &[(&str, u32)] = &[
    ("earth", 1),
    ("flight", 2),
    ("sensor", 3),
    ("track", 4),
    ("engage", 5),
    ("scenario", 6),
    ("sim", 7),
    ("provenance", 7),
    ("campaign", 8),
    ("analysis", 8),
];

/// Modules below every stage: they may use one another (without cycles) but no stage.
/// `numerics` is listed before it lands, so it is placed when it does.
const GROUND_FLOOR: &[&str] = &[
    "event_queue",
    "finite",
    "ids",
    "limits",
    "names",
    "numerics",
    "preset_file",
    "random",
];

/// The most lines of code a file may hold without a `Size:` reason at its top.
const MAX_LINES_OF_CODE: usize = 600;

/// Files over [`MAX_LINES_OF_CODE`] without a reason, waiting for a split by whoever owns them
/// now: (path under `crates/bulwark/src`, who and why). To be emptied; a listed file that no
/// longer exceeds the limit, or that gains a `Size:` reason, fails the test until it is removed.
const PENDING_SPLIT: &[(&str, &str)] = &[];

/// Imports that close a cycle between the files of a module, waiting for the owner of the files to
/// move the shared item down: (module, `::`-separated, "" for the root; importing file; imported
/// file; who and why). The edge is left out of the cycle check; a listed edge that no longer
/// exists, or no longer closes a cycle, fails the test until it is removed.
const PENDING_CYCLE: &[(&str, &str, &str, &str)] = &[];

/// Where the source files are, as written in messages.
const SRC_LABEL: &str = "crates/bulwark/src/";

#[test]
fn the_library_obeys_its_architecture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&root, &root, &mut files);
    assert!(
        files.len() > 50,
        "found only {} source files under {}",
        files.len(),
        root.display()
    );
    let problems = check_tree(&files, PENDING_SPLIT, PENDING_CYCLE);
    assert!(
        problems.is_empty(),
        "the library breaks its architecture (docs/architecture.md, tests/architecture.rs):\n{}",
        problems.join("\n")
    );
}

/// One source file: its path under `src`, with `/` separators, and its text.
#[derive(Debug, Clone)]
struct SourceFile {
    path: String,
    text: String,
}

fn read_tree(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap();
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            out.push(SourceFile { path: rel, text });
        }
    }
}

/// Every breach of the three rules in `files`, one message each (file:line, the path, the rule).
fn check_tree(
    files: &[SourceFile],
    pending: &[(&str, &str)],
    pending_cycle: &[(&str, &str, &str, &str)],
) -> Vec<String> {
    let mut problems = Vec::new();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(&f.path)).collect();
    let aliases = re_exports(files, &modules);
    for m in modules.iter().filter(|m| m.len() == 1) {
        if floor(&m[0]).is_none() {
            problems.push(format!(
                "{SRC_LABEL}{}: module `{}` is on no floor: add it to STAGES or GROUND_FLOOR in \
                 tests/architecture.rs and to docs/architecture.md",
                m[0], m[0]
            ));
        }
    }
    // Graph of each module: (module path) → (child → (child → first witness "file:line path")).
    let mut graphs: BTreeMap<Vec<String>, BTreeMap<String, BTreeMap<String, String>>> = BTreeMap::new();
    for file in files {
        let here = module_path(&file.path);
        let tokens = lex(&file.text);
        for reference in references(&tokens, &here) {
            let witness = format!("{SRC_LABEL}{}:{}: `{}`", file.path, reference.line, reference.written);
            if let Some(problem) = floor_breach(&here, &reference.target) {
                problems.push(format!("{witness}: {problem}"));
            }
            let target = through_re_exports(&aliases, &reference.target);
            let common = here.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if here.len() > common && target.len() > common {
                let (from, to) = (&here[common], &target[common]);
                let mut child = here[..common].to_vec();
                child.push(to.clone());
                if modules.contains(&child) {
                    graphs
                        .entry(here[..common].to_vec())
                        .or_default()
                        .entry(from.clone())
                        .or_default()
                        .entry(to.clone())
                        .or_insert(witness);
                }
            }
        }
    }
    for (module, from, to, who) in pending_cycle {
        let key: Vec<String> = module
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let graph = graphs.entry(key).or_default();
        let edge = graph.get_mut(*from).and_then(|m| m.remove(*to));
        let closes = edge.is_some() && reaches(graph, to, from);
        if !closes {
            problems.push(format!(
                "PENDING_CYCLE lists {from} → {to} in {} ({who}), but that import {}: remove it from the list",
                if module.is_empty() { "the crate root" } else { module },
                if edge.is_some() {
                    "no longer closes a cycle"
                } else {
                    "no longer exists"
                }
            ));
            if let Some(witness) = edge {
                graph
                    .entry(from.to_string())
                    .or_default()
                    .insert(to.to_string(), witness);
            }
        }
    }
    for (module, graph) in &graphs {
        if let Some(cycle) = find_cycle(graph) {
            let name = if module.is_empty() {
                "the crate root".to_string()
            } else {
                module.join("::")
            };
            let steps: Vec<String> = cycle.windows(2).map(|w| format!("  {}", graph[&w[0]][&w[1]])).collect();
            problems.push(format!(
                "files of {name} import each other in a cycle {}:\n{}",
                cycle.join(" → "),
                steps.join("\n")
            ));
        }
    }
    let mut over = BTreeSet::new();
    for file in files {
        let lines = lines_of_code(&file.text);
        if lines > MAX_LINES_OF_CODE && size_reason(&file.text).is_none() {
            over.insert(file.path.clone());
            if !pending.iter().any(|(p, _)| *p == file.path) {
                problems.push(format!(
                    "{SRC_LABEL}{}: {lines} lines of code, over {MAX_LINES_OF_CODE}: split it, or write \
                     `//! Size: <why it is one file>` in its opening comment",
                    file.path
                ));
            }
        }
    }
    for (path, who) in pending {
        if !over.contains(*path) {
            problems.push(format!(
                "{SRC_LABEL}{path}: listed in PENDING_SPLIT ({who}) but not over {MAX_LINES_OF_CODE} lines of \
                 code without a reason (or missing): remove it from the list"
            ));
        }
    }
    problems
}

/// Names that a module re-exports from one of its children: `pub use x::Y;` in the file of `a`
/// makes `a::Y` stand for `a::x::Y`, so that a sibling's `use super::Y` counts as using `x`.
/// Globs (`pub use x::*`) name nothing and are not followed.
fn re_exports(files: &[SourceFile], modules: &BTreeSet<Vec<String>>) -> BTreeMap<Vec<String>, Vec<String>> {
    let mut aliases = BTreeMap::new();
    for file in files {
        let here = module_path(&file.path);
        let tokens = lex(&file.text);
        for i in 1..tokens.len() {
            let public = is_ident(tokens.get(i - 1), "pub")
                || (i >= 4 && is_punct(tokens.get(i - 1), ')') && is_ident(tokens.get(i - 4), "pub"));
            if !is_ident(tokens.get(i), "use") || !public {
                continue;
            }
            let mut paths = Vec::new();
            let end = use_tree(&tokens, i + 1, Vec::new(), &mut paths);
            let rename = match (paths.len(), tokens.get(end + 1).map(|t| &t.tok)) {
                (1, Some(Tok::Ident(name))) if is_ident(tokens.get(end), "as") => Some(name.clone()),
                _ => None,
            };
            for path in paths {
                let mut target = here.clone();
                match path.first().map(String::as_str) {
                    Some("crate") => {
                        target.clear();
                        target.extend(path[1..].iter().cloned());
                    }
                    Some("self") => target.extend(path[1..].iter().cloned()),
                    Some("super") | None => continue,
                    Some(_) => target.extend(path.iter().cloned()),
                }
                if target.len() < here.len() + 2 || target[..here.len()] != here[..] {
                    continue;
                }
                if !modules.contains(&target[..=here.len()].to_vec()) {
                    continue;
                }
                let mut alias = here.clone();
                alias.push(rename.clone().unwrap_or_else(|| target.last().unwrap().clone()));
                aliases.insert(alias, target);
            }
        }
    }
    aliases
}

/// `target` with a re-exported name at its front replaced by the path it stands for.
fn through_re_exports(aliases: &BTreeMap<Vec<String>, Vec<String>>, target: &[String]) -> Vec<String> {
    let mut t = target.to_vec();
    for _ in 0..4 {
        let Some((n, path)) = (1..=t.len())
            .rev()
            .find_map(|n| aliases.get(&t[..n]).map(|p| (n, p.clone())))
        else {
            break;
        };
        let mut next = path;
        next.extend_from_slice(&t[n..]);
        if next == t {
            break;
        }
        t = next;
    }
    t
}

/// The floor of a top-level module: 0 for the ground floor, the stage's floor otherwise.
fn floor(module: &str) -> Option<u32> {
    if GROUND_FLOOR.contains(&module) {
        return Some(0);
    }
    STAGES.iter().find(|(m, _)| *m == module).map(|(_, f)| *f)
}

/// Why a reference from module `here` to the absolute path `target` breaks the floors, if it does.
fn floor_breach(here: &[String], target: &[String]) -> Option<String> {
    let (from, to) = (here.first()?, target.first()?);
    if from == to {
        return None;
    }
    let (from_floor, to_floor) = (floor(from)?, floor(to)?);
    if to_floor == 0 {
        return None;
    }
    let order = "earth → flight → sensor → track → engage → scenario → sim → campaign/analysis";
    Some(if from_floor == 0 {
        format!("`{from}` is on the ground floor and may not use the stage `{to}`")
    } else if from_floor == to_floor {
        format!("stage `{from}` may not use `{to}`, which shares its floor ({order})")
    } else if to_floor > from_floor {
        format!("stage `{from}` may not use the later stage `{to}` ({order})")
    } else {
        return None;
    })
}

/// The module a file defines: `sensor/radar.rs` → `sensor::radar`, `sensor/mod.rs` → `sensor`,
/// `lib.rs` → the root.
fn module_path(path: &str) -> Vec<String> {
    let stem = path.strip_suffix(".rs").unwrap_or(path);
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if parts.last().map(String::as_str) == Some("mod") || (parts.len() == 1 && parts[0] == "lib") {
        parts.pop();
    }
    parts
}

/// A reference to a path of the crate, resolved.
#[derive(Debug, Clone, PartialEq)]
struct Reference {
    /// 1-based line of the path's first token.
    line: usize,
    /// The path as written, with a grouped `use` expanded (`super::x::Y`).
    written: String,
    /// The absolute path from the crate root (`["sensor", "x", "Y"]`).
    target: Vec<String>,
}

/// A token of Rust source: enough to find paths and braces. Comments are dropped.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
    /// A string, character or number literal.
    Literal,
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    tok: Tok,
    /// 1-based lines of the token's first and last characters.
    line: usize,
    end_line: usize,
}

/// Splits Rust source into tokens, dropping comments; handles nested block comments, strings
/// with escapes, raw strings, byte strings, characters and lifetimes.
fn lex(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let n = c.len();
    let at = |i: usize| if i < n { c[i] } else { '\0' };
    let mut tokens = Vec::new();
    let (mut i, mut line) = (0, 1);
    // Advances over c[from..to], counting newlines; returns the line at `to`.
    let count =
        |from: usize, to: usize, line: usize| line + c[from..to.min(n)].iter().filter(|&&ch| ch == '\n').count();
    while i < n {
        let ch = c[i];
        let start = i;
        if ch == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        if ch == '/' && at(i + 1) == '/' {
            while i < n && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < n {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line = count(start, i, line);
            continue;
        }
        // Raw strings r"…", r#"…"#, br#"…"#, cr"…".
        let prefix = if matches!(ch, 'b' | 'c') && at(i + 1) == 'r' {
            2
        } else if ch == 'r' {
            1
        } else {
            0
        };
        if prefix > 0 && matches!(at(i + prefix), '"' | '#') {
            let mut j = i + prefix;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) == '"' {
                j += 1;
                loop {
                    if j >= n {
                        break;
                    }
                    if c[j] == '"' && (0..hashes).all(|k| at(j + 1 + k) == '#') {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                let end_line = count(start, j, line);
                tokens.push(Token {
                    tok: Tok::Literal,
                    line,
                    end_line,
                });
                line = end_line;
                i = j;
                continue;
            }
        }
        // Strings "…", b"…", c"…"; byte characters b'…'.
        let quoted = if ch == '"' {
            Some(i)
        } else if matches!(ch, 'b' | 'c') && matches!(at(i + 1), '"' | '\'') {
            Some(i + 1)
        } else {
            None
        };
        if let Some(q) = quoted {
            let close = c[q];
            let mut j = q + 1;
            while j < n && c[j] != close {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            j += 1;
            let end_line = count(start, j, line);
            tokens.push(Token {
                tok: Tok::Literal,
                line,
                end_line,
            });
            line = end_line;
            i = j;
            continue;
        }
        if ch == '\'' {
            // A character literal ('a', '\n', '\u{1F600}', '{') or a lifetime / label ('a).
            if at(i + 1) == '\\' {
                let mut j = i + 3;
                while j < n && c[j] != '\'' {
                    j += 1;
                }
                tokens.push(Token {
                    tok: Tok::Literal,
                    line,
                    end_line: line,
                });
                i = j + 1;
            } else if at(i + 2) == '\'' {
                tokens.push(Token {
                    tok: Tok::Literal,
                    line,
                    end_line: line,
                });
                i += 3;
            } else {
                tokens.push(Token {
                    tok: Tok::Punct('\''),
                    line,
                    end_line: line,
                });
                i += 1;
            }
            continue;
        }
        if ch.is_alphabetic() || ch == '_' {
            if ch == 'r' && at(i + 1) == '#' {
                i += 2; // a raw identifier r#type
            }
            let mut j = i;
            while j < n && (c[j].is_alphanumeric() || c[j] == '_') {
                j += 1;
            }
            let word: String = c[i..j].iter().collect();
            tokens.push(Token {
                tok: Tok::Ident(word),
                line,
                end_line: line,
            });
            i = j;
            continue;
        }
        if ch.is_ascii_digit() {
            let mut j = i;
            while j < n && (c[j].is_alphanumeric() || c[j] == '_' || (c[j] == '.' && at(j + 1).is_ascii_digit())) {
                j += 1;
            }
            tokens.push(Token {
                tok: Tok::Literal,
                line,
                end_line: line,
            });
            i = j;
            continue;
        }
        if ch == ':' && at(i + 1) == ':' {
            tokens.push(Token {
                tok: Tok::PathSep,
                line,
                end_line: line,
            });
            i += 2;
            continue;
        }
        tokens.push(Token {
            tok: Tok::Punct(ch),
            line,
            end_line: line,
        });
        i += 1;
    }
    tokens
}

fn is_ident(t: Option<&Token>, word: &str) -> bool {
    matches!(t.map(|t| &t.tok), Some(Tok::Ident(w)) if w == word)
}

fn is_punct(t: Option<&Token>, p: char) -> bool {
    t.is_some_and(|t| t.tok == Tok::Punct(p))
}

/// For each `{`, `[` or `(`, the index of its partner (and back); unbalanced ones map to the end.
fn partners(tokens: &[Token]) -> Vec<usize> {
    let mut partner = vec![tokens.len(); tokens.len()];
    let mut stack = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match t.tok {
            Tok::Punct('{' | '[' | '(') => stack.push(i),
            Tok::Punct('}' | ']' | ')') => {
                if let Some(open) = stack.pop() {
                    partner[open] = i;
                    partner[i] = open;
                }
            }
            _ => {}
        }
    }
    partner
}

/// Inline modules `mod name { … }`: (index of `mod`, index of `{`, index of `}`, name, whether
/// an attribute `#[cfg(test)]` stands before it, index of the first token of its attributes).
fn inline_modules(tokens: &[Token]) -> Vec<(usize, usize, usize, String, bool, usize)> {
    let partner = partners(tokens);
    let mut found = Vec::new();
    for i in 0..tokens.len() {
        if !is_ident(tokens.get(i), "mod") || !is_punct(tokens.get(i + 2), '{') {
            continue;
        }
        let Some(Tok::Ident(name)) = tokens.get(i + 1).map(|t| &t.tok) else {
            continue;
        };
        // Walk back over a visibility and the attributes.
        let mut first = i;
        if first > 0 && is_punct(tokens.get(first - 1), ')') {
            let open = partner[first - 1];
            if open > 0 && is_ident(tokens.get(open - 1), "pub") {
                first = open - 1;
            }
        } else if first > 0 && is_ident(tokens.get(first - 1), "pub") {
            first -= 1;
        }
        let mut test = false;
        while first > 0 && is_punct(tokens.get(first - 1), ']') {
            let open = partner[first - 1];
            if open == 0 || open >= tokens.len() || !is_punct(tokens.get(open - 1), '#') {
                break;
            }
            let inner: Vec<&Tok> = tokens[open + 1..first - 1].iter().map(|t| &t.tok).collect();
            if inner
                == [
                    &Tok::Ident("cfg".into()),
                    &Tok::Punct('('),
                    &Tok::Ident("test".into()),
                    &Tok::Punct(')'),
                ]
            {
                test = true;
            }
            first = open - 1;
        }
        found.push((i, i + 2, partner[i + 2], name.clone(), test, first));
    }
    found
}

/// Every path of the crate named in code, resolved from module `here`.
fn references(tokens: &[Token], here: &[String]) -> Vec<Reference> {
    let modules = inline_modules(tokens);
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        let Tok::Ident(word) = &tokens[i].tok else { continue };
        if !matches!(word.as_str(), "crate" | "super" | "self")
            || tokens.get(i + 1).map(|t| &t.tok) != Some(&Tok::PathSep)
        {
            continue;
        }
        if i > 0
            && (tokens[i - 1].tok == Tok::PathSep
                || is_punct(tokens.get(i - 1), '$')
                || is_ident(tokens.get(i - 1), "in"))
        {
            continue; // the middle of a path, `$crate`, or `pub(in crate::x)`
        }
        // The module this token sits in: the file's, then the inline modules around it.
        let mut module = here.to_vec();
        for (_, open, close, name, _, _) in &modules {
            if *open < i && i < *close {
                module.push(name.clone());
            }
        }
        let mut paths = Vec::new();
        use_tree(tokens, i, Vec::new(), &mut paths);
        for written in paths {
            let mut target = module.clone();
            let mut rest = written.as_slice();
            if rest.first().map(String::as_str) == Some("crate") {
                target.clear();
                rest = &rest[1..];
            } else {
                while rest.first().map(String::as_str) == Some("super") {
                    target.pop();
                    rest = &rest[1..];
                }
                if rest.first().map(String::as_str) == Some("self") {
                    rest = &rest[1..];
                }
            }
            target.extend(rest.iter().cloned());
            out.push(Reference {
                line: tokens[i].line,
                written: written.join("::"),
                target,
            });
        }
    }
    out
}

/// Reads the path (or `use` tree) starting at `tokens[i]` under `prefix`; pushes each full path
/// to `out` and returns the index after it.
fn use_tree(tokens: &[Token], mut i: usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    loop {
        match tokens.get(i).map(|t| &t.tok) {
            Some(Tok::Ident(word)) => {
                if word != "self" || prefix.is_empty() {
                    prefix.push(word.clone());
                }
                i += 1;
                if tokens.get(i).map(|t| &t.tok) == Some(&Tok::PathSep) {
                    i += 1;
                    continue;
                }
                out.push(prefix);
                return i;
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                while i < tokens.len() && !is_punct(tokens.get(i), '}') {
                    let before = i;
                    i = use_tree(tokens, i, prefix.clone(), out);
                    if is_ident(tokens.get(i), "as") {
                        i += 2;
                    }
                    if is_punct(tokens.get(i), ',') {
                        i += 1;
                    }
                    if i == before {
                        i += 1;
                    }
                }
                return i + 1;
            }
            _ => {
                // `*`, `<…>` after `::`, or the end: the path so far.
                out.push(prefix);
                return i;
            }
        }
    }
}

/// Whether `to` can be reached from `from` along the edges of `graph`.
fn reaches(graph: &BTreeMap<String, BTreeMap<String, String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(node) = todo.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node.clone()) {
            todo.extend(graph.get(&node).into_iter().flat_map(|m| m.keys().cloned()));
        }
    }
    false
}

/// A cycle in a directed graph, as its nodes with the first repeated at the end, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeMap<String, String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|m| m.keys()) {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|s| s == next).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node).copied().unwrap_or(0) == 0
            && let Some(c) = visit(node, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// Lines of code of a file: lines holding part of a token other than a comment, outside inline
/// modules marked `#[cfg(test)]`.
fn lines_of_code(src: &str) -> usize {
    let tokens = lex(src);
    let lines = src.lines().count() + 1;
    let mut code = vec![false; lines + 1];
    for t in &tokens {
        code[t.line..=t.end_line.min(lines)].fill(true);
    }
    for (_, _, close, _, test, first) in inline_modules(&tokens) {
        if test {
            let end = tokens.get(close).map_or(lines, |t| t.end_line);
            code[tokens[first].line..=end.min(lines)].fill(false);
        }
    }
    code.iter().filter(|&&c| c).count()
}

/// The reason a long file gives in its opening comment block (`//! Size: …` or `// Size: …`).
fn size_reason(src: &str) -> Option<String> {
    for line in src.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix("//") else { break };
        let comment = comment.strip_prefix('!').unwrap_or(comment).trim();
        if let Some(reason) = comment.strip_prefix("Size:") {
            let reason = reason.trim();
            if !reason.is_empty() {
                return Some(reason.to_string());
            }
        }
    }
    None
}

// The checker's own tests: each rule, given a small tree that breaks it, must say so.

fn tree(files: &[(&str, &str)]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|(p, t)| SourceFile {
            path: p.to_string(),
            text: t.to_string(),
        })
        .collect()
}

#[test]
fn a_lower_stage_using_a_later_one_is_reported_with_file_line_and_path() {
    let files = tree(&[
        ("lib.rs", "pub mod sensor;\npub mod sim;\n"),
        ("sensor/mod.rs", "pub mod radar;\n"),
        (
            "sensor/radar.rs",
            "//! A radar.\n\nfn f() -> f64 {\n    crate::sim::MIN_PERIOD_S\n}\n",
        ),
        ("sim/mod.rs", "pub const MIN_PERIOD_S: f64 = 1e-3;\n"),
    ]);
    let problems = check_tree(&files, &[], &[]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].starts_with("crates/bulwark/src/sensor/radar.rs:4: `crate::sim::MIN_PERIOD_S`: stage `sensor` may not use the later stage `sim`"), "{}", problems[0]);
}

#[test]
fn grouped_uses_super_paths_and_the_ground_floor_are_checked() {
    let files = tree(&[
        (
            "earth/mod.rs",
            "use crate::{random::stream, flight::{aim, Shape as S}};\n",
        ),
        ("flight/mod.rs", ""),
        ("random.rs", "fn f() { let _ = super::earth::X; }\n"),
        ("track/deep.rs", "mod inner { use super::super::super::engage::Y; }\n"),
        ("engage/mod.rs", ""),
        ("sim/mod.rs", "use crate::campaign::Z;\n"),
        ("campaign/mod.rs", "use crate::analysis::W;\n"),
        ("analysis/mod.rs", ""),
    ]);
    let problems = check_tree(&files, &[], &[]);
    let expect = [
        "analysis/mod.rs",
        "campaign/mod.rs:1: `crate::analysis::W`: stage `campaign` may not use `analysis`, which shares its floor",
        "earth/mod.rs:1: `crate::flight::aim`: stage `earth` may not use the later stage `flight`",
        "earth/mod.rs:1: `crate::flight::Shape`",
        "random.rs:1: `super::earth::X`: `random` is on the ground floor and may not use the stage `earth`",
        "sim/mod.rs:1: `crate::campaign::Z`: stage `sim` may not use the later stage `campaign`",
        "track/deep.rs:1: `super::super::super::engage::Y`: stage `track` may not use the later stage `engage`",
    ];
    for e in &expect[1..] {
        assert!(problems.iter().any(|p| p.contains(e)), "missing {e:?} in {problems:#?}");
    }
    assert!(!problems.iter().any(|p| p.contains(expect[0])), "{problems:#?}");
    // earth → random is allowed by the floors, but with random → earth it closes a cycle.
    assert!(
        !problems.iter().any(|p| p.contains("random::stream`:")),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("files of the crate root import each other in a cycle earth → random → earth")),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), 7, "{problems:#?}");
}

#[test]
fn comments_strings_and_doc_links_are_not_references() {
    let src = "//! See [`crate::sim::run`].\n/// Also [`crate::campaign`].\nconst S: &str = \"crate::sim::x\";\nconst R: &str = r#\"crate::sim::\"y\"#;\n/* crate::sim::z /* nested */ crate::sim::w */\nfn f<'a>(c: char) -> bool { c == '{' }\n";
    let files = tree(&[("earth/mod.rs", src), ("sim/mod.rs", ""), ("campaign/mod.rs", "")]);
    assert_eq!(check_tree(&files, &[], &[]), Vec::<String>::new());
}

#[test]
fn a_module_on_no_floor_is_reported() {
    let problems = check_tree(&tree(&[("lib.rs", "pub mod gadgets;\n"), ("gadgets.rs", "")]), &[], &[]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("module `gadgets` is on no floor"),
        "{}",
        problems[0]
    );
}

#[test]
fn an_import_cycle_between_files_of_a_module_is_reported() {
    let files = tree(&[
        ("track/mod.rs", "mod a;\nmod b;\nmod c;\npub use a::A;\n"),
        ("track/a.rs", "use super::b::B;\n"),
        ("track/b.rs", "\n\nfn f() { let _ = crate::track::c::C; }\n"),
        ("track/c.rs", "use super::{a::A, Other};\n"),
    ]);
    let problems = check_tree(&files, &[], &[]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = &problems[0];
    assert!(
        p.starts_with("files of track import each other in a cycle a → b → c → a:"),
        "{p}"
    );
    assert!(
        p.contains("crates/bulwark/src/track/b.rs:3: `crate::track::c::C`"),
        "{p}"
    );
    // Without the edge c → a there is no cycle: the parent's own items are not edges.
    let files = tree(&[
        (
            "track/mod.rs",
            "mod a;\nmod b;\nmod c;\npub use a::A;\npub struct Other;\n",
        ),
        ("track/a.rs", "use super::b::B;\n"),
        ("track/b.rs", "use crate::track::c::C;\n"),
        ("track/c.rs", "use super::Other;\n"),
    ]);
    assert_eq!(check_tree(&files, &[], &[]), Vec::<String>::new());
    // A name the parent re-exports from a (plainly, renamed or in a group) leads back to a.
    for (reexport, used) in [
        ("pub use a::A;", "super::A"),
        ("pub(crate) use self::a::A as Renamed;", "super::Renamed"),
        ("pub use a::{A, Z};", "crate::track::Z"),
    ] {
        let files = tree(&[
            ("track/mod.rs", &format!("mod a;\nmod b;\nmod c;\n{reexport}\n")),
            ("track/a.rs", "use super::b::B;\n"),
            ("track/b.rs", "use crate::track::c::C;\n"),
            ("track/c.rs", &format!("fn f() {{ let _ = {used}; }}\n")),
        ]);
        let problems = check_tree(&files, &[], &[]);
        assert_eq!(problems.len(), 1, "{reexport}: {problems:#?}");
        assert!(
            problems[0].contains(&format!("track/c.rs:1: `{used}`")),
            "{}",
            problems[0]
        );
    }
}

#[test]
fn a_pending_cycle_is_left_out_until_it_is_broken() {
    let cycle = tree(&[
        ("engage/mod.rs", "mod envelope;\nmod flyout;\n"),
        ("engage/envelope.rs", "use super::flyout::Burnout;\n"),
        ("engage/flyout.rs", "use super::envelope::FlyoutPoint;\n"),
    ]);
    assert_eq!(
        check_tree(&cycle, &[], &[("engage", "flyout", "envelope", "X")]),
        Vec::<String>::new()
    );
    // Listing the edge of another module does not hide this one.
    let problems = check_tree(&cycle, &[], &[("track", "flyout", "envelope", "X")]);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].contains("PENDING_CYCLE lists flyout → envelope in track (X), but that import no longer exists")
    );
    assert!(problems[1].starts_with("files of engage import each other in a cycle envelope → flyout → envelope"));
    // Once the cycle is broken, the entry is stale.
    let broken = tree(&[
        ("engage/mod.rs", "mod envelope;\nmod flyout;\n"),
        ("engage/envelope.rs", "use super::flyout::{Burnout, FlyoutPoint};\n"),
        ("engage/flyout.rs", "use crate::flight::Missile;\n"),
    ]);
    let problems = check_tree(&broken, &[], &[("engage", "flyout", "envelope", "X")]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("no longer exists"), "{}", problems[0]);
    let one_way = tree(&[
        ("engage/mod.rs", "mod envelope;\nmod flyout;\n"),
        ("engage/envelope.rs", "use crate::flight::Missile;\n"),
        ("engage/flyout.rs", "use super::envelope::FlyoutPoint;\n"),
    ]);
    let problems = check_tree(&one_way, &[], &[("engage", "flyout", "envelope", "X")]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("no longer closes a cycle"), "{}", problems[0]);
}

#[test]
fn a_cycle_between_ground_floor_modules_is_reported() {
    let files = tree(&[
        ("names.rs", "use crate::random::R;\n"),
        ("random.rs", "use crate::names::N;\n"),
    ]);
    let problems = check_tree(&files, &[], &[]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].starts_with("files of the crate root import each other in a cycle names → random → names"));
}

#[test]
fn lines_of_code_skip_blanks_comments_and_test_modules() {
    let src = "//! Doc.\n\n// A comment.\nfn f() {\n    /* block\n       comment */\n    let s = \"two\n lines\";\n}\n\n#[cfg(test)]\n#[allow(dead_code)]\nmod tests {\n    fn g() {}\n}\n#[cfg(test)]\nmod helper;\n";
    // Code: `fn f() {`, the two lines of the string, `}`, `#[cfg(test)]` and `mod helper;`.
    assert_eq!(lines_of_code(src), 6);
}

#[test]
fn a_long_file_needs_a_reason_and_the_pending_list_cannot_go_stale() {
    let long: String = (0..MAX_LINES_OF_CODE + 1)
        .map(|i| format!("const C{i}: u8 = 0;\n"))
        .collect();
    let short = "const C: u8 = 0;\n".to_string();
    let reasoned = format!("//! A tableau.\n//!\n//! Size: one published table, read best in one place.\n\n{long}");
    let files = tree(&[
        ("earth/long.rs", &long),
        ("earth/reasoned.rs", &reasoned),
        ("earth/short.rs", &short),
    ]);
    let problems = check_tree(&files, &[], &[]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("crates/bulwark/src/earth/long.rs: 601 lines of code, over 600"),
        "{}",
        problems[0]
    );
    assert_eq!(
        size_reason(&reasoned).as_deref(),
        Some("one published table, read best in one place.")
    );
    // Listed as pending: accepted. A listed file that is short, has a reason or is missing: stale.
    assert_eq!(
        check_tree(&files, &[("earth/long.rs", "X splits it")], &[]),
        Vec::<String>::new()
    );
    let stale = check_tree(
        &files,
        &[
            ("earth/long.rs", "X"),
            ("earth/short.rs", "Y"),
            ("earth/reasoned.rs", "Z"),
            ("earth/gone.rs", "W"),
        ],
        &[],
    );
    assert_eq!(stale.len(), 3, "{stale:#?}");
    assert!(
        stale.iter().all(|p| p.contains("listed in PENDING_SPLIT")),
        "{stale:#?}"
    );
    // A `Size:` line after the first line of code does not count.
    assert_eq!(size_reason(&format!("{short}//! Size: late.\n")), None);
}
