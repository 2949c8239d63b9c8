//! Startups' server functions.

use crate::error::AppError;
use domain::StartupId;
use domain::account::StartupView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{actor, db};

/// A startup's own page.
#[server(prefix = "/api", endpoint = "get_startup")]
pub async fn get_startup(id: StartupId) -> Result<StartupView, AppError> {
    Ok(service::startups::get(&db()?, &actor().await?, id).await?)
}
