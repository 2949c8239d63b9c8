//! The annual statistics report (`/reports/torch.{csv|xlsx}?year=&carrier=`), filed in the
//! national form's Chinese. Authorization is the service's.

use crate::AppState;
use crate::files::{self, TableFormat};
use crate::route_table::RouteTable;
use crate::routes::{invalid, signed_in, today};
use app::error::AppError;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Datelike;
use domain::{CarrierId, Problem};
use serde::Deserialize;
use tower_sessions::Session;

pub fn routes() -> RouteTable {
    RouteTable::new().get("/reports/{file}", torch_report)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReportQuery {
    year: Option<String>,
    carrier: Option<String>,
}

async fn torch_report(
    State(state): State<AppState>,
    session: Session,
    Path(file): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let actor = signed_in(&state, &session).await?;
    let Some(("torch", format)) = TableFormat::of_file(&file) else {
        return Err(AppError::NotFound);
    };
    let year = match query.year.as_deref().filter(|s| !s.is_empty()) {
        None => today().year() - 1,
        Some(raw) => raw.parse::<i32>().map_err(|_| invalid("year", Problem::NotANumber))?,
    };
    let carrier = match query.carrier.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(CarrierId(raw.parse::<i64>().map_err(|_| AppError::NotFound)?)),
    };
    let rows = state.figures.torch_report(&state.db, &actor, carrier, year).await?;
    let scope = carrier.map_or_else(|| "all".to_owned(), |c| format!("carrier-{}", c.0));
    let header = service::readiness::torch_header();
    // Name, district, kind and level are text; the year a year; the rest figures.
    let kinds: Vec<files::ColumnKind> = (0..header.len())
        .map(|i| match i {
            0..=3 => files::ColumnKind::Text,
            4 => files::ColumnKind::Year,
            _ => files::ColumnKind::Number,
        })
        .collect();
    Ok(files::table_download(
        format,
        &files::Export {
            sheet: "torch",
            stem: &format!("fuhua-torch-{year}-{scope}"),
            header: &header.iter().map(String::as_str).collect::<Vec<_>>(),
            kinds: &kinds,
            rows: &rows,
            totals_row: false,
        },
    ))
}
