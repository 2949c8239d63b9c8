//! The Fluent files against the code that names their messages. Pages name messages in `tr!`
//! calls; the domain and the service name them as `Text::key(…)`, as `l(m, …)` and in the arms
//! of `Text::key(match … { … })`. Every key named must exist in both languages, and every
//! message in the files must be named somewhere (a dead message is a label nobody maintains).

use domain::Lang;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_owned()
}

fn sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("a source file");
            out.push((path, text));
        }
    }
}

fn all_sources() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for krate in ["app", "domain", "service", "server"] {
        sources(&workspace().join(krate).join("src"), &mut out);
    }
    out
}

/// The string literal at the start of `rest` (after spaces), if it is one.
fn literal(rest: &str) -> Option<&str> {
    let rest = rest.trim_start().strip_prefix('"')?;
    rest.find('"').map(|end| &rest[..end])
}

/// The keys a file names: `tr!("k"`, `tr!(i18n, "k"`, `move_tr!("k"`, `Text::key("k")`,
/// `l(m, "k")`, and the literal arms of a `Text::key(match … {` block.
fn named_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for (marker, skip_arg) in [("tr!(", true), ("Text::key(", false), ("l(m, ", false)] {
        let mut from = 0;
        while let Some(at) = text[from..].find(marker) {
            let before = text[..from + at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || (c == '_' && marker != "tr!(")) {
                from += at + marker.len();
                continue;
            }
            let mut rest = &text[from + at + marker.len()..];
            if skip_arg && let Some(after) = rest.strip_prefix("i18n,") {
                rest = after;
            }
            if let Some(key) = literal(rest) {
                keys.push(key.to_owned());
            }
            from += at + marker.len();
        }
    }
    let mut in_match = false;
    for line in text.lines() {
        if line.contains("Text::key(match ") {
            in_match = true;
        } else if in_match && line.trim_start().starts_with('}') {
            in_match = false;
        } else if in_match
            && let Some((_, arm)) = line.split_once("=> ")
            && let Some(key) = literal(arm)
        {
            keys.push(key.to_owned());
        }
    }
    keys
}

#[test]
fn every_key_the_code_names_exists_in_both_languages() {
    let mut missing = Vec::new();
    let mut named = 0;
    for (path, text) in all_sources() {
        for key in named_keys(&text) {
            named += 1;
            for lang in [Lang::Zh, Lang::En] {
                if !texts::has(lang, &key) {
                    missing.push(format!("{} names {key:?}, missing in {lang:?}", path.display()));
                }
            }
        }
    }
    assert!(named > 1_000, "only {named} keys named: the scanner lost its way");
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_message_is_named_by_the_code() {
    let sources = all_sources();
    let quoted: BTreeSet<String> = sources
        .iter()
        .flat_map(|(_, text)| text.split('"').skip(1).step_by(2).map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let dead: Vec<&str> = texts::keys(Lang::Zh).into_iter().filter(|k| !quoted.contains(*k)).collect();
    assert!(dead.is_empty(), "messages no code names: {dead:?}");
}

#[test]
fn the_scanner_finds_every_form_of_naming() {
    let text = r#"
        tr!("a-b") include_str!("../not/a/key") tr!(i18n, "c-d") move_tr!("e-f", { "x" => 1 }) Text::key("g-h") l(m, "i-j")
        Text::key(match kind {
            Kind::One => "k-l",
            Kind::Two => "m-n",
        })
        Other::Thing => "not-a-key",
    "#;
    assert_eq!(named_keys(text), ["a-b", "c-d", "e-f", "g-h", "i-j", "k-l", "m-n"]);
}
