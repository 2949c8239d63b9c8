//! The performance harness's baselines (`service::bench`), mounted only when the server runs
//! with `--bench-baseline`: TechEmpower's Fortunes page, and one committed write.

use crate::AppState;
use crate::route_table::RouteTable;
use app::error::AppError;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

pub fn routes() -> RouteTable {
    RouteTable::new().get("/bench/fortunes", fortunes).post("/bench/commit", commit, 0)
}

/// Fortunes, rendered as the benchmark specifies: a table of id and HTML-escaped message.
async fn fortunes(State(state): State<AppState>) -> Result<Response, AppError> {
    let fortunes = service::bench::fortunes(&state.db).await?;
    let mut html = String::with_capacity(2048);
    html.push_str(
        "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>",
    );
    for fortune in &fortunes {
        let _ = write!(html, "<tr><td>{}</td><td>", fortune.id);
        escape_into(&mut html, &fortune.message);
        html.push_str("</td></tr>");
    }
    html.push_str("</table></body></html>");
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// One row committed in its own transaction.
async fn commit(State(state): State<AppState>) -> Result<StatusCode, AppError> {
    service::bench::commit_one(&state.db).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}
