//! `leptos_fluent::leptos_fluent!` reads the Fluent files while compiling `app` but does not tell
//! cargo, so a changed translation would not reach an incremental build (the browser bundle kept
//! the old words while the server had the new). Naming them here does.

fn main() {
    for file in ["../texts/locales/zh-CN/main.ftl", "../texts/locales/en/main.ftl"] {
        println!("cargo:rerun-if-changed={file}");
    }
}
