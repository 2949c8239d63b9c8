//! The Open Cap Table Format download: `GET /startups/{id}/ocf.zip?on=YYYY-MM-DD`, a zip of the
//! manifest and the files it lists. Authorization is the service's (whoever may read the cap
//! table).

use crate::AppState;
use crate::route_table::RouteTable;
use crate::routes::signed_in;
use app::error::AppError;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::StartupId;
use serde::Deserialize;
use service::ocf::OcfFile;
use std::io::Write;
use tower_sessions::Session;

pub fn routes() -> RouteTable {
    RouteTable::new().get("/startups/{id}/ocf.zip", download)
}

#[derive(Debug, Deserialize)]
struct AsOf {
    on: Option<String>,
}

/// The package as a zip. Entries are stored uncompressed: a few kilobytes of JSON gain nothing
/// from deflating, and anyone can read them with any unzip.
pub fn zip_bytes(files: &[OcfFile]) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for file in files {
        zip.start_file(file.path.as_str(), options)?;
        zip.write_all(&file.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(as_of): Query<AsOf>,
) -> Result<Response, AppError> {
    let actor = signed_in(&state, &session).await?;
    let on = crate::routes::day_param(as_of.on.as_deref()).ok_or(AppError::BadRequest)?;
    let files = service::ocf::export(&state.db, &actor, StartupId(id), on).await?;
    let bytes = zip_bytes(&files).map_err(|error| {
        tracing::error!(%error, "writing the OCF zip");
        AppError::Internal { reference: "ocf".to_owned() }
    })?;
    Ok(crate::files::attachment(bytes, "application/zip", &format!("ocf-startup-{id}-{}.zip", on.format("%Y-%m-%d"))))
}
