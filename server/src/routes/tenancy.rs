//! Routes for applications' documents: uploading a business plan (multipart) and downloading it.
//! Authorization is the service's: only the applicant uploads, and only those who may read the
//! application download.

use crate::AppState;
use crate::files::refuse_upload;
use crate::route_table::RouteTable;
use crate::routes::signed_in;
use app::error::AppError;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Problem;
use service::ServiceError;
use tower_sessions::Session;

/// The largest business plan accepted (the service checks it too).
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// Business plans read at once, process-wide (each up to 10 MB in memory while checked); more
/// are asked to retry.
static UPLOADS: crate::files::UploadSlots = crate::files::UploadSlots::new(4);

pub fn routes() -> RouteTable {
    RouteTable::new()
        .post("/applications/{id}/document", upload, MAX_DOCUMENT_BYTES + 64 * 1024)
        .get("/documents/{id}", download)
}

/// Receives a PDF for an application and sends the browser back to the application, with
/// `?error=` naming what was wrong with the file (so the page can say it in the user's language).
/// Who may upload, and whether the file fits the allowance, is decided before a byte of the
/// upload is read.
async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    request: axum::extract::Request,
) -> Response {
    let actor = match signed_in(&state, &session).await {
        Ok(actor) => actor,
        Err(error) => return refuse_upload(request, error.into_response()).await,
    };
    let back = |reason: &str| Redirect::to(&format!("/applications/{id}?error={reason}")).into_response();
    match service::tenancy::applications::check_upload(
        &state.db,
        &actor,
        id,
        crate::files::declared_length(request.headers()),
    )
    .await
    {
        Ok(()) => {}
        Err(ServiceError::Invalid(errors)) => return refuse_upload(request, back(upload_problem(&errors))).await,
        Err(ServiceError::QuotaExceeded { .. }) => return refuse_upload(request, back("quota")).await,
        Err(error) => return refuse_upload(request, AppError::from(error).into_response()).await,
    }
    let Some(_slot) = UPLOADS.try_take() else {
        return refuse_upload(request, back("busy")).await;
    };
    let mut multipart = match crate::files::multipart_of(request, back("read")).await {
        Ok(multipart) => multipart,
        Err(refused) => return refused,
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("document") => {
                let name = field.file_name().unwrap_or("plan.pdf").to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    // Over the body limit, or a broken upload.
                    Err(_) => return back("size"),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return back("size"),
        }
    }
    let Some((name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else { return back("read") };
    match service::tenancy::applications::attach_document(&state.db, &actor, id, &name, &bytes).await {
        Ok(_) => Redirect::to(&format!("/applications/{id}")).into_response(),
        Err(ServiceError::Invalid(errors)) => back(upload_problem(&errors)),
        Err(ServiceError::QuotaExceeded { .. }) => back("quota"),
        Err(error) => AppError::from(error).into_response(),
    }
}

/// The `?error=` code of a refused upload.
fn upload_problem(errors: &domain::FieldErrors) -> &'static str {
    if errors.iter().any(|e| matches!(e.problem, Problem::FileTooLarge { .. })) {
        "size"
    } else if errors.iter().any(|e| matches!(e.problem, Problem::TooManyFiles { .. })) {
        "files"
    } else {
        "type"
    }
}

/// `filename*=` (RFC 6266/5987) keeps Chinese file names; the plain `filename` is an ASCII stand-in.
fn disposition(file_name: &str) -> String {
    let encoded = app::url_encode(file_name);
    format!("attachment; filename=\"business-plan.pdf\"; filename*=UTF-8''{encoded}")
}

async fn download(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Result<Response, AppError> {
    let actor = signed_in(&state, &session).await?;
    let (file_name, bytes) = service::tenancy::applications::document(&state.db, &actor, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition(&file_name)),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            // A PDF opened in the browser runs no script of ours and is framed by nobody.
            (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_file_names_survive_in_the_download_header() {
        let header = disposition("商业计划书 v2.pdf");
        assert!(header.starts_with("attachment; filename=\"business-plan.pdf\""));
        assert!(header.ends_with("filename*=UTF-8''%E5%95%86%E4%B8%9A%E8%AE%A1%E5%88%92%E4%B9%A6%20v2.pdf"));
    }
}
