//! The space catalogue's server functions.

use crate::error::AppError;
use domain::CarrierId;
use domain::catalogue::{Catalogue, CatalogueQuery};
use domain::listing::ListingForm;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::{actor, current_actor, db};

/// One page of the catalogue. Anyone may read it; a visitor who has not signed in sees the
/// carriers listed publicly.
#[server(prefix = "/api", endpoint = "search_catalogue")]
pub async fn search_catalogue(query: CatalogueQuery) -> Result<Catalogue, AppError> {
    let actor = current_actor().await?;
    let context = crate::api::context()?;
    Ok(context.figures.catalogue(&context.db, actor.as_ref(), &query).await?)
}

/// Saves a carrier's catalogue entry, made from the carrier's `version`, and goes back to its
/// page.
#[server(prefix = "/api", endpoint = "update_listing")]
pub async fn update_listing(carrier: CarrierId, version: i32, form: ListingForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let listing = form.parse().map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    service::catalogue::set_listing(&db()?, &actor, carrier, version, &listing)
        .await
        .map_err(|e| AppError::from(e).with_echo(&form))?;
    leptos_axum::redirect(&format!("/carriers/{carrier}#listing"));
    Ok(())
}
