//! Routes for files: exporting a carrier's units, and importing them (multipart upload).
//! Authorization is the service's, as for every server function.

use crate::AppState;
use crate::files::{self, FileError, TableFormat};
use crate::route_table::RouteTable;
use crate::routes::signed_in;
use app::error::AppError;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::CarrierId;
use domain::space::import::{UNIT_COLUMNS, UnitRecord};
use tower_sessions::Session;

/// The largest file accepted for import.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

pub fn routes() -> RouteTable {
    RouteTable::new().get("/carriers/{id}/units.csv", export_csv).get("/carriers/{id}/units.xlsx", export_xlsx).post(
        "/carriers/{id}/units/import",
        import,
        MAX_IMPORT_BYTES + 64 * 1024,
    )
}

async fn export(state: &AppState, session: &Session, carrier: i64, format: TableFormat) -> Result<Response, AppError> {
    let actor = signed_in(state, session).await?;
    let records = service::spaces::export(&state.db, &actor, CarrierId(carrier)).await?;
    let rows: Vec<Vec<String>> = records.iter().map(UnitRecord::cells).collect();
    // Text throughout: the file is a template that comes back through the import, codes and all.
    Ok(files::table_download(
        format,
        &files::Export {
            sheet: "units",
            stem: &format!("units-{carrier}"),
            header: &UNIT_COLUMNS,
            kinds: &[files::ColumnKind::Text; UNIT_COLUMNS.len()],
            rows: &rows,
            totals_row: false,
        },
    ))
}

async fn export_csv(
    State(state): State<AppState>,
    session: Session,
    Path(carrier): Path<i64>,
) -> Result<Response, AppError> {
    export(&state, &session, carrier, TableFormat::Csv).await
}

async fn export_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(carrier): Path<i64>,
) -> Result<Response, AppError> {
    export(&state, &session, carrier, TableFormat::Xlsx).await
}

/// Imports running at once, process-wide; more are asked to retry until one finishes. Each
/// holds a file of up to 5 MB and the rows read from it.
static IMPORTS: files::UploadSlots = files::UploadSlots::new(2);

/// Receives a unit file; every row is checked, and the outcome — applied, or rejected with its
/// problems — is kept as an import report, which the browser is sent to.
///
/// The caller's right to import into the carrier is checked before a byte of the file is read,
/// a declared size over the limit is refused unread, and the file is parsed on a blocking thread
/// with the limits of [`files::read_table`].
async fn import(
    State(state): State<AppState>,
    session: Session,
    Path(carrier): Path<i64>,
    request: axum::extract::Request,
) -> Response {
    let actor = match signed_in(&state, &session).await {
        Ok(actor) => actor,
        Err(error) => return files::refuse_upload(request, error.into_response()).await,
    };
    if let Err(error) = service::spaces::may_import(&actor, CarrierId(carrier)) {
        return files::refuse_upload(request, AppError::from(error).into_response()).await;
    }
    let back =
        |reason: &str| Redirect::to(&format!("/carriers/{carrier}/spaces/import?error={reason}")).into_response();
    if files::declared_length(request.headers()).is_some_and(|length| length > (MAX_IMPORT_BYTES + 64 * 1024) as u64) {
        return back("size");
    }
    let Some(_slot) = IMPORTS.try_take() else {
        return files::refuse_upload(request, back("busy")).await;
    };
    let mut multipart = match files::multipart_of(request, back("read")).await {
        Ok(multipart) => multipart,
        Err(refused) => return refused,
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut effective_on = String::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or("upload").chars().take(200).collect::<String>();
                    match field.bytes().await {
                        Ok(bytes) if bytes.len() <= MAX_IMPORT_BYTES => file = Some((name, bytes.to_vec())),
                        _ => return back("size"),
                    }
                }
                Some("effective_on") => {
                    effective_on = field.text().await.unwrap_or_default().chars().take(32).collect();
                }
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return back("size"),
        }
    }
    let Some((file_name, bytes)) = file else { return back("read") };
    let Ok(on) = domain::space::effective_date(&effective_on, crate::routes::today()) else { return back("date") };
    let name = file_name.clone();
    let table = match tokio::task::spawn_blocking(move || files::read_table(&name, &bytes)).await {
        Ok(Ok(table)) => table,
        Ok(Err(FileError::UnsupportedType)) => return back("type"),
        Ok(Err(FileError::TooManyRows)) => return back("rows"),
        Ok(Err(FileError::TooLarge)) => return back("size"),
        Ok(Err(FileError::Unreadable(_))) => return back("read"),
        Err(error) => {
            tracing::error!(%error, "reading an import file failed");
            return AppError::Internal { reference: "import".to_owned() }.into_response();
        }
    };
    let (header, rows) = table.split_first().map_or((&[][..], &[][..]), |(h, r)| (h.as_slice(), r));
    match service::spaces::import(&state.db, &actor, CarrierId(carrier), &file_name, header, rows, on).await {
        Ok(report) => Redirect::to(&format!("/imports/{}", report.id)).into_response(),
        Err(error) => AppError::from(error).into_response(),
    }
}
