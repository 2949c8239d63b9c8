//! Downloads of the bureau's figures: every dashboard table as CSV or XLSX
//! (`/dashboard/export/{table}.{csv|xlsx}?on=&district=&lang=`), written from the same table the
//! screen shows (the carriers' table, which the screen links to instead, from the same figures).
//! Authorization is the service's.

use crate::AppState;
use crate::files::{self, TableFormat};
use crate::route_table::RouteTable;
use crate::routes::{day_param, invalid, signed_in};
use app::error::AppError;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::dashboard::TableKind;
use domain::{DistrictId, Lang, Problem};
use serde::Deserialize;
use tower_sessions::Session;

pub fn routes() -> RouteTable {
    RouteTable::new().get("/dashboard/export/{file}", export_table)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TableQuery {
    on: Option<String>,
    district: Option<String>,
    lang: Option<String>,
}

async fn export_table(
    State(state): State<AppState>,
    session: Session,
    Path(file): Path<String>,
    Query(query): Query<TableQuery>,
) -> Result<Response, AppError> {
    let actor = signed_in(&state, &session).await?;
    let (kind, format) = TableFormat::of_file(&file)
        .and_then(|(stem, f)| Some((TableKind::from_code(stem)?, f)))
        .ok_or(AppError::NotFound)?;
    let on = day_param(query.on.as_deref()).ok_or_else(|| invalid("on", Problem::NotADate))?;
    let district = match query.district.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(DistrictId(raw.parse::<i64>().map_err(|_| invalid("district", Problem::UnknownDistrict))?)),
    };
    let lang = if query.lang.as_deref() == Some("en") { Lang::En } else { Lang::Zh };
    let messages = texts::Fluent(lang);
    // The carriers' table is as long as the city and not part of the dashboard's view.
    let table = match kind {
        TableKind::Carriers => {
            let carriers = service::dashboard::carrier_figures(&state.db, &actor, on, district).await?;
            domain::dashboard::carriers_table(&carriers, &messages)
        }
        _ => state
            .figures
            .dashboard(&state.db, &actor, on, district)
            .await?
            .table(kind, &messages)
            .ok_or(AppError::NotFound)?,
    };
    let header: Vec<&str> = table.columns.iter().map(String::as_str).collect();
    let scope = district.map_or_else(|| "city".to_owned(), |d| format!("district-{}", d.0));
    let kinds: Vec<files::ColumnKind> =
        table.numeric.iter().map(|&n| if n { files::ColumnKind::Number } else { files::ColumnKind::Text }).collect();
    Ok(files::table_download(
        format,
        &files::Export {
            sheet: kind.code(),
            stem: &format!("fuhua-{}-{scope}-{on}", kind.code()),
            header: &header,
            kinds: &kinds,
            rows: &table.plain_rows(),
            totals_row: table.totals,
        },
    ))
}
