//! The homes' server functions.

use crate::error::AppError;
use domain::home::OperatorHome;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::{actor, db};

/// The to-do lists of the carriers the caller operates.
#[server(prefix = "/api", endpoint = "get_operator_home")]
pub async fn get_operator_home() -> Result<OperatorHome, AppError> {
    Ok(service::home::operator_home(&db()?, &actor().await?).await?)
}
