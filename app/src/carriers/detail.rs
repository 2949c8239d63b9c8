//! A carrier's page: its registration data, and the way to edit or archive it.

use super::api::{self, SetCarrierArchived};
use crate::catalogue::api::UpdateListing;
use crate::catalogue::pages::ListingEditor;
use crate::components::{ErrorNotice, loaded};
use crate::error::AppError;
use crate::i18n;
use domain::CarrierId;
use domain::carrier::CarrierView;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The carrier id in the current URL, if it is a number.
pub(super) fn carrier_id_param() -> Memo<Option<CarrierId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|id| id.parse().ok())))
}

#[component]
pub fn CarrierDetail() -> impl IntoView {
    let id = carrier_id_param();
    let archive = ServerAction::<SetCarrierArchived>::new();
    let listing = ServerAction::<UpdateListing>::new();
    let carrier = Resource::new(
        move || (id.get(), archive.version().get(), listing.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => api::get_carrier(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        {loaded(carrier, move |carrier| view! { <Detail carrier archive listing_action=listing /> })}
    }
}

#[component]
fn Detail(
    carrier: CarrierView,
    archive: ServerAction<SetCarrierArchived>,
    listing_action: ServerAction<UpdateListing>,
) -> impl IntoView {
    let CarrierView {
        id,
        data,
        district,
        archived,
        created_at,
        updated_at,
        can_manage,
        history,
        version,
        listing,
        can_list,
        ..
    } = carrier;
    let title = data.name.clone();
    let industries = data.industries.clone();
    let archive_error = move || archive.value().get().and_then(Result::err);
    let date_time = |at: chrono::DateTime<chrono::Utc>| move || i18n::date_time(domain::time::china_date_time(at));
    view! {
        <Title text=title.clone() />
        <p class="breadcrumb">
            <a href="/carriers">{move || tr!("carrier-back")}</a>
        </p>
        <div class="page-heading">
            <h1>
                {title}
                {archived.then(|| view! { " " <span class="badge">{move || tr!("carriers-archived-badge")}</span> })}
            </h1>
            <div class="actions">
                <a class="button" href=format!("/carriers/{id}/spaces")>
                    {move || tr!("carrier-spaces")}
                </a>
                <a class="button" href=crate::tenancy::applications::queue_href(id)>
                    {move || tr!("carrier-applications")}
                </a>
                <a class="button" href=format!("/carriers/{id}/tenants")>
                    {move || tr!("carrier-tenants")}
                </a>
                <a class="button" href=format!("/carriers/{id}/rent-roll")>
                    {move || tr!("carrier-rent-roll")}
                </a>
                <a class="button" href=format!("/carriers/{id}/portfolio")>
                    {move || tr!("portfolio-title")}
                </a>
                <a class="button" href=format!("/carriers/{id}/readiness")>
                    {move || tr!("carrier-readiness")}
                </a>
                <a class="button" href=format!("/carriers/{id}/annual")>
                    {move || tr!("carrier-annual")}
                </a>
                {can_manage.then(|| view! {
                <a class="button" href=format!("/carriers/{id}/edit")>
                    {move || tr!("carrier-edit")}
                </a>
                <ActionForm action=archive attr:class="inline-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="archived" value=(!archived).to_string() />
                    <label class="inline-field">
                        <span>{move || tr!("carrier-archive-from")}</span>
                        <input type="date" name="effective_on" data-testid="archive-from" />
                    </label>
                    <button type="submit" class="button button-quiet" disabled=move || archive.pending().get()>
                        {move || if archived { tr!("carrier-restore") } else { tr!("carrier-archive") }}
                    </button>
                </ActionForm>
                })}
            </div>
        </div>
        {move || archive_error().map(|error| view! { <ErrorNotice error /> })}
        {archived.then(|| view! { <p class="notice">{move || tr!("carrier-archived-note")}</p> })}
        <dl class="facts">
            <dt>{move || tr!("field-kind")}</dt>
            <dd>{move || i18n::kind(data.kind)}</dd>
            <dt>{move || tr!("field-level")}</dt>
            <dd>{move || i18n::accreditation(data.accreditation)}</dd>
            <dt>{move || tr!("field-district")}</dt>
            <dd>
                <a href=format!("/carriers?district={}", district.id)>
                    {
                        let district = district.clone();
                        move || district.name(i18n::lang()).to_owned()
                    }
                </a>
            </dd>
            <dt>{move || tr!("field-operator-org")}</dt>
            <dd>{data.operator_org}</dd>
            <dt>{move || tr!("field-model")}</dt>
            <dd>{move || i18n::model(data.operating_model)}</dd>
            <dt>{move || tr!("field-address")}</dt>
            <dd>{data.address}</dd>
            <dt>{move || tr!("field-opened-on")}</dt>
            <dd>{move || i18n::date(data.opened_on)}</dd>
            <dt>{move || tr!("field-industries")}</dt>
            <dd>
                <ul class="tags">
                    {industries
                        .into_iter()
                        .map(|industry| view! { <li>{move || i18n::industry(industry)}</li> })
                        .collect_view()}
                </ul>
            </dd>
            <dt>{move || tr!("field-contact-name")}</dt>
            <dd>{data.contact_name}</dd>
            <dt>{move || tr!("field-contact-phone")}</dt>
            <dd>
                <a href=format!("tel:{}", data.contact_phone.replace(" 转 ", ","))>{data.contact_phone.clone()}</a>
            </dd>
            <dt>{move || tr!("field-contact-email")}</dt>
            <dd>
                {match data.contact_email {
                    Some(email) => view! { <a href=format!("mailto:{email}")>{email.clone()}</a> }.into_any(),
                    None => view! { <span class="muted">{move || tr!("not-available")}</span> }.into_any(),
                }}
            </dd>
            <dt>{move || tr!("field-created-at")}</dt>
            <dd>{date_time(created_at)}</dd>
            <dt>{move || tr!("field-updated-at")}</dt>
            <dd>{date_time(updated_at)}</dd>
            <dt>{move || tr!("field-variant")}</dt>
            <dd>
                {move || {
                    let mut parts = Vec::new();
                    if data.specialised {
                        parts.push(tr!("field-specialised"));
                    }
                    if data.relaxed {
                        parts.push(tr!("field-relaxed"));
                    }
                    if parts.is_empty() { tr!("carrier-variant-general") } else { parts.join("；") }
                }}
            </dd>
        </dl>
        {(!archived).then(|| view! { <ListingEditor carrier=id version listing can_edit=can_list action=listing_action /> })}
        <h2>{move || tr!("carrier-history-title")}</h2>
        <p class="hint">{move || tr!("carrier-history-hint")}</p>
        <div class="table-scroll">
            <table class="data-table" data-testid="carrier-history">
                <thead>
                    <tr>
                        <th>{move || tr!("carrier-history-from")}</th>
                        <th>{move || tr!("field-district")}</th>
                        <th>{move || tr!("field-kind")}</th>
                        <th>{move || tr!("field-level")}</th>
                        <th>{move || tr!("field-model")}</th>
                        <th>{move || tr!("carrier-history-state")}</th>
                    </tr>
                </thead>
                <tbody>
                    {history
                        .into_iter()
                        .map(|row| {
                            let archived = row.archived;
                            view! {
                                <tr>
                                    <td>{move || i18n::date(row.from)}</td>
                                    <td>
                                        {move || {
                                            if i18n::lang() == domain::Lang::En {
                                                row.district_en.clone()
                                            } else {
                                                row.district_zh.clone()
                                            }
                                        }}
                                    </td>
                                    <td>{move || i18n::kind(row.kind)}</td>
                                    <td>{move || i18n::level(row.level)}</td>
                                    <td>{move || i18n::model(row.model)}</td>
                                    <td>
                                        {move || {
                                            if archived { tr!("carriers-archived-badge") } else { tr!("carrier-history-open") }
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
