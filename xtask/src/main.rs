//! Fuhua's build tool. It produces the site in cargo-leptos's layout with nothing to install but
//! the `wasm32-unknown-unknown` target:
//!
//! ```text
//! target/site/favicon.svg             public/ copied as it is
//! target/site/pkg/fuhua.css           style/main.css (plain CSS, copied)
//! target/site/pkg/fuhua.js            the JavaScript glue that wasm-bindgen writes
//! target/site/pkg/fuhua.wasm          the `frontend` crate, bound (and, in release, wasm-opt -Oz)
//! target/{debug,release}/fuhua        the server
//! ```
//!
//! In release the wasm crate compiles in `target/wasm/`, beside the server's build rather than
//! after it (the two optimised builds share no artifact).
//!
//! `.cargo/config.toml` sets `LEPTOS_OUTPUT_NAME=fuhua` for every cargo command, as cargo-leptos
//! does for its own builds: Leptos then links the bundle as `fuhua.wasm`, and the binary that
//! `cargo test` builds is the same one that serves the site, so nothing is compiled twice.
//!
//! ```text
//! cargo run -p xtask -- layout               no import loop within a crate, no file over 800 lines
//! cargo run -p xtask -- site [--release]      the browser half: wasm, glue, CSS, assets
//! cargo run -p xtask -- build [--release]     the site and the server
//! cargo run -p xtask -- serve [--release] [-- ARGS]   build, then run `fuhua ARGS`
//! ```

mod layout;

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The name every file of the site carries; the server's `LeptosOptions::output_name`.
const OUTPUT_NAME: &str = "fuhua";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match Task::parse(&args).and_then(|task| task.run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug)]
struct Failure(String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail<T>(message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure(message.into()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Layout,
    Site,
    Build,
    Serve,
}

#[derive(Debug)]
struct Task {
    step: Step,
    release: bool,
    /// Passed to `fuhua` by `serve`, after `--`.
    server_args: Vec<OsString>,
    root: PathBuf,
}

const USAGE: &str = "usage: cargo run -p xtask -- (layout | site | build | serve) [--release] [-- SERVER ARGS]";

impl Task {
    fn parse(args: &[OsString]) -> Result<Self, Failure> {
        let mut args = args.iter();
        let step = match args.next().and_then(|a| a.to_str()) {
            Some("layout") => Step::Layout,
            Some("site") => Step::Site,
            Some("build") => Step::Build,
            Some("serve") => Step::Serve,
            Some("help" | "--help" | "-h") | None => return fail(USAGE),
            Some(other) => return fail(format!("unknown task `{other}`\n{USAGE}")),
        };
        let mut release = false;
        let mut server_args = Vec::new();
        while let Some(arg) = args.next() {
            match arg.to_str() {
                Some("--release") => release = true,
                Some("--") if step == Step::Serve => server_args.extend(args.by_ref().cloned()),
                _ => return fail(format!("unexpected argument {arg:?}\n{USAGE}")),
            }
        }
        // xtask lives one level below the workspace root.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf)
            .ok_or_else(|| Failure("the xtask crate has no parent folder".into()))?;
        Ok(Task { step, release, server_args, root })
    }

    fn run(&self) -> Result<(), Failure> {
        if self.step == Step::Layout {
            let problems = layout::check(&self.root);
            if problems.is_empty() {
                say("The source tree keeps its rules: no import loop, no file over 800 lines");
                return Ok(());
            }
            return fail(format!("the source tree breaks its rules:\n{}", problems.join("\n")));
        }
        if self.step == Step::Site {
            return self.site();
        }
        if self.release {
            // The optimised builds share nothing (the wasm-release and release profiles keep their
            // own proc-macros and build scripts), so they run side by side, each in its own target
            // folder: the wasm build's serial LTO overlaps the server's long optimisation of `app`.
            say("Building the server (release) and the browser bundle (wasm-release) side by side");
            let server = self.server_build().spawn().map_err(|e| Failure(format!("cannot start cargo: {e}")))?;
            let site = self.site();
            let status = wait(server)?;
            site?;
            if !status.success() {
                return fail(format!("the server's build failed ({status})"));
            }
        } else {
            // Debug builds share the host's proc-macros with each other and with `cargo test`:
            // one after the other, in one target folder.
            self.site()?;
            say(&format!("Building the server ({})", self.profile_dir()));
            run(&mut self.server_build())?;
        }
        if self.step == Step::Serve {
            let binary = self.target().join(self.profile_dir()).join(OUTPUT_NAME);
            say(&format!("Serving: {} {}", binary.display(), show(&self.server_args)));
            let status = Command::new(&binary)
                .args(&self.server_args)
                .current_dir(&self.root)
                .env("LEPTOS_SITE_ROOT", self.site_root())
                .status()
                .map_err(|e| Failure(format!("cannot start {}: {e}", binary.display())))?;
            if !status.success() {
                return fail(format!("{} ended with {status}", binary.display()));
            }
        }
        Ok(())
    }

    fn target(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| self.root.join("target"))
    }

    /// Where the wasm crate is compiled: beside the server in debug (they share host artifacts);
    /// in a folder of its own in release, so that both optimised builds can run at once.
    fn wasm_target_dir(&self) -> PathBuf {
        if self.release { self.target().join("wasm") } else { self.target() }
    }

    fn site_root(&self) -> PathBuf {
        self.target().join("site")
    }

    fn profile_dir(&self) -> &'static str {
        if self.release { "release" } else { "debug" }
    }

    /// The browser half: the `frontend` crate for wasm, bound by wasm-bindgen, the stylesheet
    /// and the public assets.
    fn site(&self) -> Result<(), Failure> {
        let started = Instant::now();
        say(&format!("Building the browser bundle ({})", if self.release { "wasm-release" } else { "debug" }));
        let mut build = self.cargo_build();
        build.args(["-p", "frontend", "--lib", "--target", WASM_TARGET]);
        build.arg("--target-dir").arg(self.wasm_target_dir());
        if self.release {
            build.args(["--profile", "wasm-release"]);
        }
        run(&mut build)?;

        let profile = if self.release { "wasm-release" } else { "debug" };
        let input = self.wasm_target_dir().join(WASM_TARGET).join(profile).join("frontend.wasm");
        let pkg = self.site_root().join("pkg");
        std::fs::create_dir_all(&pkg).map_err(|e| io_failure(&pkg, e))?;
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&input)
            .web(true)
            .and_then(|b| b.out_name(OUTPUT_NAME).typescript(false).debug(!self.release).generate(&pkg))
            .map_err(|e| Failure(format!("wasm-bindgen on {}: {e:#}", input.display())))?;

        // wasm-bindgen names the bundle `fuhua_bg.wasm`; Leptos asks for `fuhua.wasm`.
        let wasm = pkg.join(format!("{OUTPUT_NAME}.wasm"));
        let bound = pkg.join(format!("{OUTPUT_NAME}_bg.wasm"));
        std::fs::rename(&bound, &wasm).map_err(|e| io_failure(&bound, e))?;
        if self.release {
            optimise(&wasm)?;
        }

        let css = self.root.join("style/main.css");
        copy(&css, &pkg.join(format!("{OUTPUT_NAME}.css")))?;
        copy_dir(&self.root.join("public"), &self.site_root())?;

        let size = std::fs::metadata(&wasm).map_err(|e| io_failure(&wasm, e))?.len();
        say(&format!(
            "Site ready in {}: {} ({size} bytes), {:.0?}",
            self.site_root().display(),
            wasm.display(),
            started.elapsed()
        ));
        Ok(())
    }

    fn server_build(&self) -> Command {
        let mut build = self.cargo_build();
        build.args(["-p", "server", "--bin", OUTPUT_NAME]);
        if self.release {
            build.arg("--release");
        }
        build
    }

    /// `cargo build …` in the workspace; with `XTASK_TIMINGS=1`, each build also writes cargo's
    /// timing report (target/cargo-timings/), to see where compile time goes.
    fn cargo_build(&self) -> Command {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.current_dir(&self.root).args(["build", "--locked"]);
        if std::env::var_os("XTASK_TIMINGS").is_some_and(|v| v == "1") {
            command.arg("--timings");
        }
        command
    }
}

/// `wasm-opt -Oz`, from binaryen (the npm package of `end2end/` puts it on the PATH that
/// `make release` sets). Size is what a phone on a slow link waits for.
fn optimise(wasm: &Path) -> Result<(), Failure> {
    let Some(wasm_opt) = find_on_path("wasm-opt") else {
        return fail(
            "wasm-opt is not on PATH: run `make release` (it installs binaryen's wasm-opt with the \
             npm packages of end2end/), or put binaryen's wasm-opt on PATH",
        );
    };
    say(&format!("Optimising {} with {}", wasm.display(), wasm_opt.display()));
    let optimised = wasm.with_extension("opt.wasm");
    run(Command::new(&wasm_opt)
        .arg("-Oz")
        .arg("--enable-bulk-memory")
        .arg("--enable-nontrapping-float-to-int")
        .arg("--enable-sign-ext")
        .arg("--enable-mutable-globals")
        .arg("--enable-reference-types")
        .arg("--enable-multivalue")
        .arg(wasm)
        .arg("-o")
        .arg(&optimised))?;
    std::fs::rename(&optimised, wasm).map_err(|e| io_failure(wasm, e))
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| candidate.is_file())
}

fn wait(mut child: std::process::Child) -> Result<std::process::ExitStatus, Failure> {
    child.wait().map_err(|e| Failure(format!("waiting for cargo: {e}")))
}

fn run(command: &mut Command) -> Result<(), Failure> {
    let status = command.status().map_err(|e| Failure(format!("cannot run {:?}: {e}", command.get_program())))?;
    if status.success() {
        Ok(())
    } else {
        fail(format!(
            "`{} {}` failed ({status})",
            command.get_program().to_string_lossy(),
            show(&command.get_args().map(OsString::from).collect::<Vec<_>>())
        ))
    }
}

fn copy(from: &Path, to: &Path) -> Result<(), Failure> {
    std::fs::copy(from, to).map(drop).map_err(|e| io_failure(from, e))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(to).map_err(|e| io_failure(to, e))?;
    for entry in std::fs::read_dir(from).map_err(|e| io_failure(from, e))? {
        let entry = entry.map_err(|e| io_failure(from, e))?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            copy(&path, &target)?;
        }
    }
    Ok(())
}

fn io_failure(path: &Path, error: std::io::Error) -> Failure {
    Failure(format!("{}: {error}", path.display()))
}

fn show(args: &[OsString]) -> String {
    args.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" ")
}

fn say(message: &str) {
    eprintln!("\n\x1b[1m==> {message}\x1b[0m");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Task, Failure> {
        Task::parse(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn serve_passes_what_follows_the_double_dash_to_the_server() {
        let task = parse(&["serve", "--release", "--", "serve", "--demo"]).expect("parses");
        assert_eq!(task.step, Step::Serve);
        assert!(task.release);
        assert_eq!(task.server_args, vec![OsString::from("serve"), OsString::from("--demo")]);
    }

    #[test]
    fn an_unknown_task_or_argument_is_refused_with_the_usage() {
        assert!(parse(&["deploy"]).expect_err("refused").0.contains("unknown task `deploy`"));
        assert!(parse(&["site", "--fast"]).expect_err("refused").0.contains("usage:"));
        assert!(parse(&["build", "--", "x"]).is_err(), "only serve takes server arguments");
    }
}
