//! `xtask layout`: the house rules of the source tree, checked. Within each crate (and each
//! integration-test tree) the files import one another without a loop — a reading of every
//! `crate::…` and `super::…` path, `use` trees included — with one exception, the pairs of
//! sea-orm entities that name each other in their `Related` impls; and no hand-written Rust file
//! is longer than [`MAX_LINES`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a hand-written file may be.
pub const MAX_LINES: usize = 800;

/// The source trees checked, each a module tree of its own.
const TREES: &[&str] = &[
    "domain/src",
    "service/src",
    "migrations/src",
    "app/src",
    "frontend/src",
    "server/src",
    "xtask/src",
    "service/tests/service",
    "server/tests/http",
];

/// Module path (segments below the tree's root) → file.
type Modules = BTreeMap<Vec<String>, PathBuf>;

/// The problems found, one line each; empty when the tree keeps the rules.
pub fn check(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for tree in TREES {
        let base = root.join(tree);
        let mut files = Vec::new();
        rust_files(&base, &mut files);
        let mut modules = Modules::new();
        for file in &files {
            modules.insert(module_of(&base, file), file.clone());
            let lines = std::fs::read_to_string(file).map(|text| text.lines().count()).unwrap_or(0);
            if lines > MAX_LINES {
                problems.push(format!("{}: {lines} lines (at most {MAX_LINES})", shown(root, file)));
            }
        }
        let graph = imports(&modules);
        for cycle in cycles(&graph) {
            let names: Vec<String> = cycle.iter().map(|m| format!("{tree}::{}", m.join("::"))).collect();
            problems.push(format!("import loop: {}", names.join(" -> ")));
        }
    }
    problems
}

fn shown(root: &Path, file: &Path) -> String {
    file.strip_prefix(root).unwrap_or(file).display().to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `a/b.rs` → `[a, b]`; `a/mod.rs` → `[a]`; the root file (`lib.rs`, `main.rs`) → `[]`.
fn module_of(base: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(base).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let at_root = parts.len() == 1;
    if parts.last().is_some_and(|last| last == "mod" || (at_root && (last == "lib" || last == "main"))) {
        parts.pop();
    }
    parts
}

/// Each module's imports of other modules of the same tree. A facade's `pub use` is not an
/// import of its own: a path through it is followed to the module that defines the item, so that
/// `spaces::refresh_leased` counts as an import of `spaces::units`, where it lives.
fn imports(modules: &Modules) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut code_of = BTreeMap::new();
    let mut reexports = BTreeMap::new();
    for (module, file) in modules {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let (code, facades) = split_reexports(&without_tests(&without_comments_and_strings(&text)));
        for statement in facades {
            for (base, rest) in anchors(modules, &BTreeMap::new(), module, &statement) {
                for path in use_paths(rest) {
                    let full: Vec<String> = base.iter().cloned().chain(path).collect();
                    if let (Some(item), Some(target)) = (full.last(), resolve(modules, &BTreeMap::new(), &full))
                        && &target != module
                    {
                        reexports.insert((module.clone(), item.clone()), target);
                    }
                }
            }
        }
        code_of.insert(module.clone(), code);
    }
    let mut graph = BTreeMap::new();
    for (module, code) in &code_of {
        let is_entity = module.first().is_some_and(|m| m == "entity")
            && modules.get(module).is_some_and(|f| f.to_string_lossy().contains("service/src"));
        // `use crate::spaces;` (or `{self, …}`) names a module: what counts is what is taken
        // through that name (`spaces::refresh_leased`), which may live in a room of it.
        let mut aliases = BTreeMap::new();
        for (base, rest) in anchors(modules, &BTreeMap::new(), module, code) {
            for path in use_paths(rest) {
                let full: Vec<String> = base.iter().cloned().chain(path).collect();
                if let Some(name) = full.last()
                    && modules.contains_key(&full)
                    && !module.starts_with(&full)
                {
                    aliases.insert(name.clone(), full.clone());
                }
            }
        }
        let mut targets = BTreeSet::new();
        for (base, rest) in anchors(modules, &aliases, module, code) {
            for path in use_paths(rest) {
                let full: Vec<String> = base.iter().cloned().chain(path).collect();
                // A module named as a whole is an alias (above), not yet an import.
                if modules.contains_key(&full) && aliases.values().any(|a| a == &full) {
                    continue;
                }
                if let Some(target) = resolve(modules, &reexports, &full)
                    && &target != module
                    && !(is_entity && target.first().is_some_and(|m| m == "entity"))
                {
                    targets.insert(target);
                }
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

type Reexports = BTreeMap<(Vec<String>, String), Vec<String>>;

/// The module that defines what `path` names: the longest prefix of it that is a module of the
/// tree, or, where that module re-exports the next segment, the module it comes from.
fn resolve(modules: &Modules, reexports: &Reexports, path: &[String]) -> Option<Vec<String>> {
    let n = (1..=path.len()).rev().find(|&n| modules.contains_key(&path[..n]))?;
    let module = path[..n].to_vec();
    match path.get(n).and_then(|item| reexports.get(&(module.clone(), item.clone()))) {
        Some(target) => Some(target.clone()),
        None => Some(module),
    }
}

/// The code without its `pub use` statements (a facade's re-exports), and those statements.
fn split_reexports(code: &str) -> (String, Vec<String>) {
    let mut kept = String::with_capacity(code.len());
    let mut facades = Vec::new();
    let mut rest = code;
    loop {
        let found = ["pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .filter_map(|keyword| rest.find(keyword).map(|at| (at, keyword.len())))
            .min();
        let Some((at, len)) = found else { break };
        let end = rest[at..].find(';').map_or(rest.len(), |e| at + e + 1);
        kept.push_str(&rest[..at]);
        facades.push(rest[at + len..end].to_owned());
        rest = &rest[end..];
    }
    kept.push_str(rest);
    (kept, facades)
}

/// Where each module path in `code` starts, as the module it is relative to and the text after
/// that: `crate::`, `super::`, `self::`, the name of a child module (`units::…`) or of a module
/// brought into scope by `use` (`spaces::…` after `use crate::spaces;`).
fn anchors<'a>(
    modules: &Modules,
    aliases: &BTreeMap<String, Vec<String>>,
    module: &[String],
    code: &'a str,
) -> Vec<(Vec<String>, &'a str)> {
    let mut found = Vec::new();
    for (i, _) in code.match_indices("::") {
        let before = &code[..i];
        let word_start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |p| p + 1);
        // `super::super::x` is read from its first `super`; `a::b::c` from `a`.
        if before[..word_start].ends_with("::") {
            continue;
        }
        let word = &before[word_start..];
        let rest = &code[i + 2..];
        let base = match word {
            "crate" => Vec::new(),
            // `super` of `a/b.rs` and of `a/b/mod.rs` alike is `a`.
            "super" => module[..module.len().saturating_sub(1)].to_vec(),
            "self" => module.to_vec(),
            name => {
                let mut path = module.to_vec();
                path.push(name.to_owned());
                if modules.contains_key(&path) {
                    path
                } else if let Some(alias) = aliases.get(name) {
                    alias.clone()
                } else {
                    continue;
                }
            }
        };
        found.push((base, rest));
    }
    found
}

/// The paths a use tree (or a plain path) starting at `text` names: `a::{b, c::d}` gives
/// `[a, b]` and `[a, c, d]`.
fn use_paths(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    tree(text, &mut chars, Vec::new(), &mut out);
    out
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

fn tree(text: &str, chars: &mut Chars<'_>, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    loop {
        skip_space(chars);
        match chars.peek().map(|&(_, c)| c) {
            Some('{') => {
                chars.next();
                loop {
                    skip_space(chars);
                    match chars.peek().map(|&(_, c)| c) {
                        Some('}') => {
                            chars.next();
                            return;
                        }
                        Some(',') => {
                            chars.next();
                        }
                        None => return,
                        _ => {
                            let before = chars.peek().map(|&(i, _)| i);
                            tree(text, chars, path.clone(), out);
                            if chars.peek().map(|&(i, _)| i) == before {
                                chars.next();
                            }
                        }
                    }
                }
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                let word = identifier(text, chars);
                if word != "self" {
                    path.push(word);
                }
                skip_space(chars);
                let rest = &text[chars.peek().map_or(text.len(), |&(i, _)| i)..];
                if rest.starts_with("::") {
                    chars.next();
                    chars.next();
                    continue;
                }
                // `x as y`: the import is `x`.
                if rest.starts_with("as") && rest[2..].starts_with(char::is_whitespace) {
                    identifier(text, chars);
                    skip_space(chars);
                    identifier(text, chars);
                }
                out.push(path);
                return;
            }
            _ => {
                if !path.is_empty() {
                    out.push(path);
                }
                return;
            }
        }
    }
}

fn identifier(text: &str, chars: &mut Chars<'_>) -> String {
    let start = chars.peek().map_or(text.len(), |&(i, _)| i);
    let mut end = start;
    while let Some(&(i, c)) = chars.peek() {
        if c.is_alphanumeric() || c == '_' {
            end = i + c.len_utf8();
            chars.next();
        } else {
            break;
        }
    }
    text[start..end].to_owned()
}

fn skip_space(chars: &mut Chars<'_>) {
    while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
        chars.next();
    }
}

/// The code with `// …` comments and the contents of string and char literals blanked (a path
/// written in a doc comment or an error message is not an import).
fn without_comments_and_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            // A char literal (`'"'`, `'\\''`), not a lifetime (`'a`).
            '\'' if chars.peek() == Some(&'\\') => {
                out.push_str("' '");
                chars.next();
                chars.next();
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                }
            }
            '\'' if chars.clone().nth(1) == Some('\'') => {
                out.push_str("' '");
                chars.next();
                chars.next();
            }
            '"' => {
                out.push('"');
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push('"');
            }
            _ => out.push(c),
        }
    }
    out
}

/// The code before a trailing `#[cfg(test)] mod tests`: a test module may use what it tests.
fn without_tests(code: &str) -> String {
    match code.find("#[cfg(test)]\nmod tests") {
        Some(at) => code[..at].to_owned(),
        None => code.to_owned(),
    }
}

/// The cycles of `graph`, one per back edge found by a depth-first walk.
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn walk(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        marks: &mut BTreeMap<Vec<String>, Mark>,
        stack: &mut Vec<Vec<String>>,
        found: &mut Vec<Vec<Vec<String>>>,
    ) {
        marks.insert(node.clone(), Mark::Open);
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next) {
                Some(Mark::Open) => {
                    let from = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    found.push(cycle);
                }
                Some(Mark::Done) => {}
                None => walk(next, graph, marks, stack, found),
            }
        }
        stack.pop();
        marks.insert(node.clone(), Mark::Done);
    }
    let mut marks = BTreeMap::new();
    let mut found = Vec::new();
    for node in graph.keys() {
        if !marks.contains_key(node) {
            walk(node, graph, &mut marks, &mut Vec::new(), &mut found);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<String> {
        use_paths(text).into_iter().map(|p| p.join("::")).collect()
    }

    #[test]
    fn use_trees_name_every_path_they_import() {
        assert_eq!(paths("a::{b, c::{d, e as f}, self};"), ["a::b", "a::c::d", "a::c::e", "a"]);
        assert_eq!(paths("spaces::totals(db, scope)"), ["spaces::totals"]);
        assert_eq!(paths("{Result, ServiceError, db};"), ["Result", "ServiceError", "db"]);
    }

    #[test]
    fn comments_strings_and_test_modules_hold_no_imports() {
        let code =
            without_comments_and_strings("let a = 1; // crate::x\nlet s = \"crate::y\"; let q = '\"'; crate::z\n");
        assert_eq!(code.matches("crate::").count(), 1, "{code}");
        assert_eq!(without_tests("fn a() {}\n#[cfg(test)]\nmod tests {\n use super::*;\n}"), "fn a() {}\n");
    }

    #[test]
    fn a_loop_between_two_modules_is_found_and_a_chain_is_not() {
        let m = |s: &str| vec![s.to_owned()];
        let mut graph = BTreeMap::new();
        graph.insert(m("a"), BTreeSet::from([m("b")]));
        graph.insert(m("b"), BTreeSet::from([m("c")]));
        graph.insert(m("c"), BTreeSet::new());
        assert!(cycles(&graph).is_empty());
        graph.insert(m("c"), BTreeSet::from([m("a")]));
        assert_eq!(cycles(&graph), vec![vec![m("a"), m("b"), m("c"), m("a")]]);
    }

    #[test]
    fn the_workspace_keeps_the_rules() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root");
        let problems = check(root);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
