//! The catalogue page (`/space`): filters, one card per carrier with its vacant units, and the
//! way to apply from a chosen carrier or unit. The carrier's own entry is edited on its page
//! ([`ListingEditor`]).

use super::api::{self, UpdateListing};
use crate::components::{ErrorNotice, FieldProblems, FilterFold, Pager, loaded, query_string, use_current_user};
use crate::i18n::{self, PageTitle};
use crate::pages::{action_errors, action_failure};
use domain::carrier::{CarrierKind, Industry};
use domain::catalogue::{Catalogue, CatalogueEntry, CatalogueQuery, VacantUnit};
use domain::listing::{DESCRIPTION_MAX, Listing, ListingForm, field};
use domain::space::{UnitKind, monthly_list_rent};
use domain::tenancy::application::RequestKind;
use domain::{CarrierId, StartupId, format};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| {
            CatalogueQuery::from_pairs(
                ["district", "industry", "kind", "min_area", "page"]
                    .into_iter()
                    .filter_map(|k| q.get_str(k).map(|v| (k, v))),
            )
        })
    });
    let catalogue = Resource::new(move || filters.get(), api::search_catalogue);
    let me = use_current_user();
    view! {
        <PageTitle text=|i18n| tr!(i18n, "catalogue-title") />
        <h1>{move || tr!("catalogue-title")}</h1>
        {loaded(me, move |me| {
            let startups: Vec<(StartupId, String)> =
                me.as_ref().map(|m| m.startups().map(|(id, name)| (id, name.to_owned())).collect()).unwrap_or_default();
            let signed_in = me.is_some();
            view! {
                {loaded(catalogue, move |catalogue| {
                    let current = filters.get_untracked();
                    view! { <CatalogueView catalogue current startups=startups.clone() signed_in /> }
                })}
            }
        })}
    }
}

#[component]
fn CatalogueView(
    catalogue: Catalogue,
    current: CatalogueQuery,
    startups: Vec<(StartupId, String)>,
    signed_in: bool,
) -> impl IntoView {
    let Catalogue { page, public_only, districts } = catalogue;
    let total = page.total;
    let pages = page.page_count();
    let filters = current.to_pairs();
    let href = move |n: u32| {
        let mut pairs = filters.clone();
        pairs.push(("page", n.to_string()));
        format!("/space?{}", query_string(&pairs))
    };
    let lead = move || if public_only { tr!("catalogue-lead-public") } else { tr!("catalogue-lead") };
    view! {
        <p class="lead">{lead}</p>
        <CatalogueFilters current districts />
        <p class="result-count" data-testid="catalogue-count">
            {move || tr!("catalogue-count", { "count" => format::integer(i64::try_from(total).unwrap_or(i64::MAX)) })}
        </p>
        {page.items.is_empty().then(|| view! { <p class="empty">{move || tr!("catalogue-empty")}</p> })}
        <div class="catalogue">
            {page
                .items
                .into_iter()
                .map(|entry| view! { <EntryCard entry startups=startups.clone() signed_in /> })
                .collect_view()}
        </div>
        {(pages > 1).then(|| view! { <Pager page=page.page pages href /> })}
    }
}

#[component]
fn CatalogueFilters(current: CatalogueQuery, districts: Vec<domain::district::DistrictView>) -> impl IntoView {
    let district = current.district.map(|d| d.to_string()).unwrap_or_default();
    let industry = current.industry.map(|i| i.code().to_owned()).unwrap_or_default();
    let kind = current.kind.map(|k| k.code().to_owned()).unwrap_or_default();
    let min_area = current.min_area.map(|a| a.to_string()).unwrap_or_default();
    let filtered = !current.to_pairs().is_empty();
    view! {
        <FilterFold id="fold-catalogue" open=filtered>
            <Form method="GET" action="/space">
                <div class="filters" data-testid="catalogue-filters">
                    <label>
                        {move || tr!("field-district")} " "
                        <select name="district">
                            <option value="" selected=district.is_empty()>{move || tr!("catalogue-any")}</option>
                            {districts
                                .into_iter()
                                .map(|d| {
                                    let id = d.id.to_string();
                                    let selected = id == district;
                                    view! { <option value=id selected=selected>{move || d.name(i18n::lang()).to_owned()}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <label>
                        {move || tr!("field-industries")} " "
                        <select name="industry">
                            <option value="" selected=industry.is_empty()>{move || tr!("catalogue-any")}</option>
                            {Industry::ALL
                                .iter()
                                .map(|&i| view! { <option value=i.code() selected=industry == i.code()>{move || i18n::industry(i)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label>
                        {move || tr!("field-kind")} " "
                        <select name="kind">
                            <option value="" selected=kind.is_empty()>{move || tr!("catalogue-any")}</option>
                            {CarrierKind::ALL
                                .iter()
                                .map(|&k| view! { <option value=k.code() selected=kind == k.code()>{move || i18n::kind(k)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label>
                        {move || tr!("catalogue-min-area")} " "
                        <input type="number" name="min_area" min="0" step="any" inputmode="decimal" value=min_area class="short" />
                    </label>
                    <button type="submit" class="button">{move || tr!("catalogue-filter")}</button>
                </div>
            </Form>
        </FilterFold>
    }
}

/// Where applying for space from this carrier (and these units) begins, for `startup`.
fn apply_href(startup: StartupId, carrier: CarrierId, unit: Option<&VacantUnit>) -> String {
    let mut pairs = vec![("carrier", carrier.to_string())];
    if let Some(unit) = unit {
        match (unit.kind, unit.desks) {
            (UnitKind::OpenWorkstations, Some(desks)) => {
                pairs.push(("kind", RequestKind::Desks.code().to_owned()));
                pairs.push(("desks", desks.to_string()));
            }
            _ => {
                pairs.push(("kind", RequestKind::Area.code().to_owned()));
                pairs.push(("area", unit.usable.to_string()));
            }
        }
        pairs.push(("unit", unit.name.clone()));
    }
    format!("/startups/{startup}/apply?{}", query_string(&pairs))
}

#[component]
fn EntryCard(entry: CatalogueEntry, startups: Vec<(StartupId, String)>, signed_in: bool) -> impl IntoView {
    let CatalogueEntry {
        carrier,
        name,
        kind,
        level,
        district_zh,
        district_en,
        industries,
        address,
        description,
        contact_name,
        contact_phone,
        contact_email,
        vacant_units,
        vacant_area,
        vacant_desks,
        units,
    } = entry;
    let more = vacant_units.saturating_sub(u64::try_from(units.len()).unwrap_or(0));
    let first_startup = startups.first().map(|(id, _)| *id);
    let several = startups.len() > 1;
    let district = move || i18n::names(&district_zh, &district_en);
    view! {
        <article class="catalogue-entry" data-testid="catalogue-entry">
            <header>
                <h2>{name.clone()}</h2>
                <p class="muted">
                    {district} " · " {move || i18n::kind(kind)} " · " {move || i18n::level(level)}
                </p>
            </header>
            <ul class="tags">
                {industries.into_iter().map(|i| view! { <li>{move || i18n::industry(i)}</li> }).collect_view()}
            </ul>
            {(!description.is_empty()).then(|| view! { <p class="description">{description}</p> })}
            <dl class="vacancy">
                <div>
                    <dt>{move || tr!("catalogue-vacant-area")}</dt>
                    <dd class="nowrap" data-testid="vacant-area">{move || i18n::area(vacant_area)}</dd>
                </div>
                <div>
                    <dt>{move || tr!("catalogue-vacant-units")}</dt>
                    <dd data-testid="vacant-units">{format::integer(i64::try_from(vacant_units).unwrap_or(i64::MAX))}</dd>
                </div>
                {(vacant_desks > 0).then(|| view! {
                    <div>
                        <dt>{move || tr!("catalogue-vacant-desks")}</dt>
                        <dd>{format::integer(i64::try_from(vacant_desks).unwrap_or(i64::MAX))}</dd>
                    </div>
                })}
            </dl>
            <div class="table-scroll">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr!("catalogue-unit")}</th>
                            <th scope="col">{move || tr!("spaces-kind")}</th>
                            <th scope="col" class="num">{move || tr!("catalogue-usable")}</th>
                            <th scope="col" class="num">{move || tr!("catalogue-list-rent")}</th>
                            {first_startup.map(|_| view! { <th scope="col"><span class="visually-hidden">{move || tr!("catalogue-apply")}</span></th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {units
                            .into_iter()
                            .map(|unit| {
                                let apply = first_startup.map(|s| apply_href(s, carrier, Some(&unit)));
                                let monthly = monthly_list_rent(unit.rent, unit.usable, unit.desks);
                                let rent = unit.rent;
                                let desks = unit.desks;
                                view! {
                                    <tr>
                                        <th scope="row" class="nowrap">{unit.name.clone()}</th>
                                        <td>
                                            {move || i18n::unit_kind(unit.kind)}
                                            {desks.map(|d| view! { " · " {move || tr!("catalogue-desks", { "count" => d.to_string() })} })}
                                        </td>
                                        <td class="num nowrap">{move || i18n::area(unit.usable)}</td>
                                        <td class="num">
                                            {match rent {
                                                Some(rent) => view! {
                                                    <span class="nowrap">{rent.amount.to_string()} " " {move || i18n::rent_basis(rent.basis)}</span>
                                                    <br />
                                                    <span class="muted nowrap">{move || tr!("catalogue-per-month", { "amount" => monthly.display() })}</span>
                                                }.into_any(),
                                                None => view! { <span class="muted">{move || tr!("catalogue-rent-on-request")}</span> }.into_any(),
                                            }}
                                        </td>
                                        {apply.map(|href| view! { <td><a href=href data-testid="apply-unit">{move || tr!("catalogue-apply-unit")}</a></td> })}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(more > 0).then(|| view! {
                <p class="hint">{move || tr!("catalogue-more-units", { "count" => more.to_string() })}</p>
            })}
            <p class="contact">
                <span>{move || tr!("catalogue-address", { "address" => address.clone() })}</span>
                <br />
                <span>{move || tr!("catalogue-contact", { "name" => contact_name.clone() })} " "</span>
                <a href=format!("tel:{}", contact_phone.replace(" 转 ", ","))>{contact_phone.clone()}</a>
                {contact_email.map(|email| view! { " " <a href=format!("mailto:{email}")>{email.clone()}</a> })}
            </p>
            <div class="actions">
                {startups
                    .into_iter()
                    .map(|(id, startup_name)| {
                        let label = startup_name.clone();
                        view! {
                            <a class="button button-primary" href=apply_href(id, carrier, None) data-testid="apply-carrier">
                                {move || {
                                    if several {
                                        tr!("catalogue-apply-as", { "startup" => label.clone() })
                                    } else {
                                        tr!("catalogue-apply")
                                    }
                                }}
                            </a>
                        }
                    })
                    .collect_view()}
                {(!signed_in).then(|| view! {
                    <a class="button button-primary" href="/register">{move || tr!("catalogue-register-to-apply")}</a>
                    " "
                    <a class="button" href="/login">{move || tr!("nav-login")}</a>
                })}
            </div>
        </article>
    }
}

/// A carrier's catalogue entry on its page: what startups read, and for its operators the form
/// that changes it.
#[component]
pub fn ListingEditor(
    carrier: CarrierId,
    version: i32,
    listing: Listing,
    can_edit: bool,
    action: ServerAction<UpdateListing>,
) -> impl IntoView {
    let errors = action_errors(action);
    let failure = action_failure(action);
    let echoed: Option<ListingForm> = action
        .value()
        .with_untracked(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(crate::error::AppError::echo));
    let form = echoed.unwrap_or_else(|| ListingForm::from(&listing));
    let public = !form.public.is_empty();
    let shown = listing.clone();
    view! {
        <section id="listing" class="listing">
            <h2>{move || tr!("listing-title")}</h2>
            <p class="hint">
                {move || if shown.public { tr!("listing-public-yes") } else { tr!("listing-public-no") }}
                " "
                <a href="/space">{move || tr!("listing-see-catalogue")}</a>
            </p>
            {(!can_edit).then(|| view! {
                <p data-testid="listing-description">
                    {if listing.description.is_empty() { None } else { Some(listing.description.clone()) }}
                </p>
            })}
            {can_edit.then(|| view! {
                {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
                <ActionForm action>
                    <input type="hidden" name="carrier" value=carrier.to_string() />
                    <input type="hidden" name="version" value=version.to_string() />
                    <div class="field">
                        <label for="field-description">{move || tr!("listing-description")}</label>
                        <textarea
                            id="field-description"
                            name=format!("form[{}]", field::DESCRIPTION)
                            rows="4"
                            maxlength=DESCRIPTION_MAX.to_string()
                            aria-describedby="description-hint description-problems"
                        >
                            {form.description.clone()}
                        </textarea>
                        <p class="hint" id="description-hint">
                            {move || tr!("listing-description-hint", { "max" => DESCRIPTION_MAX.to_string() })}
                        </p>
                        <FieldProblems field=field::DESCRIPTION errors />
                    </div>
                    <label class="checkbox">
                        <input type="checkbox" name=format!("form[{}]", field::PUBLIC) value="on" checked=public />
                        " " {move || tr!("listing-public")}
                    </label>
                    <div class="actions">
                        <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                            {move || tr!("listing-save")}
                        </button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}
