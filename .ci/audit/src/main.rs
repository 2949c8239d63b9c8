//! `fuhua-audit --db DIR --lockfile Cargo.lock [--ignore FILE]`: lists every crate in the lock
//! file with a known vulnerability in the RustSec advisory database at `DIR` (a plain folder, as
//! cargo-audit's `--no-fetch --db` reads it), and fails when there is one that the ignore file
//! does not name with a reason. Informational advisories (unmaintained, unsound) are printed as
//! warnings and do not fail.

use rustsec::advisory::Informational;
use rustsec::database::Query;
use rustsec::{Database, Lockfile};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut db = None;
    let mut lockfile = PathBuf::from("Cargo.lock");
    let mut ignore_file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = args.next().map(PathBuf::from),
            "--lockfile" => lockfile = args.next().map(PathBuf::from).unwrap_or(lockfile),
            "--ignore" => ignore_file = args.next().map(PathBuf::from),
            other => {
                eprintln!("unknown argument {other}; usage: fuhua-audit --db DIR [--lockfile FILE] [--ignore FILE]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(db) = db else {
        eprintln!("--db DIR is required");
        return ExitCode::from(2);
    };
    let database = match Database::open(&db) {
        Ok(database) => database,
        Err(error) => {
            eprintln!("cannot read the advisory database at {}: {error}", db.display());
            return ExitCode::from(2);
        }
    };
    let lock = match Lockfile::load(&lockfile) {
        Ok(lock) => lock,
        Err(error) => {
            eprintln!("cannot read {}: {error}", lockfile.display());
            return ExitCode::from(2);
        }
    };
    // `RUSTSEC-2099-0001  # why this cannot affect us`, one per line.
    let ignored: Vec<(String, String)> = ignore_file
        .and_then(|f| std::fs::read_to_string(f).ok())
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let (id, reason) = line.split_once('#').unwrap_or((line, ""));
            let id = id.trim();
            (!id.is_empty()).then(|| (id.to_owned(), reason.trim().to_owned()))
        })
        .collect();
    if let Some((id, _)) = ignored.iter().find(|(_, reason)| reason.is_empty()) {
        eprintln!("{id} is ignored without a reason; write one after a `#`");
        return ExitCode::from(2);
    }

    let advisories = database.iter().count();
    let vulnerabilities = database.vulnerabilities(&lock);
    let mut failing = 0;
    for v in &vulnerabilities {
        let id = v.advisory.id.to_string();
        let patched: Vec<String> = v.versions.patched().iter().map(ToString::to_string).collect();
        let line = format!(
            "{id} {} {}: {} (patched: {})",
            v.package.name,
            v.package.version,
            v.advisory.title,
            if patched.is_empty() { "none".to_owned() } else { patched.join(", ") }
        );
        match ignored.iter().find(|(ignored, _)| *ignored == id) {
            Some((_, reason)) => println!("ignored   {line} — {reason}"),
            None => {
                println!("VULNERABLE {line}");
                failing += 1;
            }
        }
    }
    let warnings = database.query_vulnerabilities(&lock, &Query::crate_scope().informational(true));
    for w in &warnings {
        let kind = match &w.advisory.informational {
            Some(Informational::Unmaintained) => "unmaintained",
            Some(Informational::Unsound) => "unsound",
            Some(Informational::Notice) => "notice",
            _ => "informational",
        };
        println!("warning   {} {} {} ({kind}): {}", w.advisory.id, w.package.name, w.package.version, w.advisory.title);
    }
    println!(
        "audited {} packages of {} against {advisories} advisories: {} vulnerable ({failing} not ignored), {} warnings",
        lock.packages.len(),
        lockfile.display(),
        vulnerabilities.len(),
        warnings.len()
    );
    if failing > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
