//! The audit trail: every change, who made it, when, and the values before and after.

use super::api;
use crate::components::{ErrorPage, FilterFold, Loading, Pager, query_string};
use crate::i18n::{self, PageTitle};
use domain::Page;
use domain::account::{AuditEntry, AuditQuery};
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query =
        Memo::new(move |_| params.with(|p| AuditQuery::from_pairs(p.into_iter().map(|(k, v)| (k.as_ref(), v)))));
    let page = Resource::new(move || query.get(), api::list_audit);
    view! {
        <PageTitle text=|i18n| tr!(i18n, "audit-title") />
        <h1>{move || tr!("audit-title")}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let query = query.get_untracked();
                        view! {
                            <AuditFilters query=query.clone() />
                            <AuditTable query page />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuditFilters(query: AuditQuery) -> impl IntoView {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let entity = query.entity_type.clone().unwrap_or_default();
    let filtered = query.entity_type.is_some() || query.actor.is_some() || query.from.is_some() || query.to.is_some();
    view! {
        <FilterFold id="fold-audit" open=filtered>
            <Form method="GET" action="/audit">
                <fieldset class="filters">
                    <legend>{move || tr!("carriers-filters")}</legend>
                    <label class="filter">
                        <span>{move || tr!("audit-entity")}</span>
                        <select name="entity">
                            <option value="" selected=entity.is_empty()>{move || tr!("carriers-any")}</option>
                            {domain::audit::ENTITIES
                                .into_iter()
                                .map(|code| {
                                    view! {
                                        <option value=code selected=entity == code>
                                            {move || i18n::text(&domain::audit::entity(code))}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <label class="filter">
                        <span>{move || tr!("audit-actor")}</span>
                        <input type="search" name="actor" value=query.actor.clone().unwrap_or_default() />
                    </label>
                    <label class="filter">
                        <span>{move || tr!("audit-from")}</span>
                        <input type="date" name="from" value=date(query.from) />
                    </label>
                    <label class="filter">
                        <span>{move || tr!("audit-to")}</span>
                        <input type="date" name="to" value=date(query.to) />
                    </label>
                    <div class="filter-actions">
                        <button type="submit" class="button">{move || tr!("carriers-apply")}</button>
                        <a href="/audit">{move || tr!("carriers-reset")}</a>
                    </div>
                </fieldset>
            </Form>
        </FilterFold>
    }
}

#[component]
fn AuditTable(query: AuditQuery, page: Page<AuditEntry>) -> impl IntoView {
    let pages = page.page_count();
    let current = page.page;
    let total = page.total;
    let more = page.more;
    let href = move |n: u32| {
        let mut target = query.clone();
        target.page = n;
        format!("/audit?{}", query_string(&target.to_pairs()))
    };
    view! {
        <p class="result-count" data-testid="audit-count">
            {move || {
                let count = i64::try_from(total).unwrap_or(0);
                if more { tr!("audit-found-more", { "count" => count }) } else { tr!("audit-found", { "count" => count }) }
            }}
        </p>
        <div class="table-scroll">
            <table class="data-table audit-table" data-testid="audit">
                <thead>
                    <tr>
                        <th scope="col">{move || tr!("audit-at")}</th>
                        <th scope="col">{move || tr!("audit-what")}</th>
                        <th scope="col">{move || tr!("audit-change")}</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .items
                        .into_iter()
                        .map(|entry| {
                            let at = entry.at;
                            let sentence = domain::audit::sentence(&entry);
                            let system = domain::audit::by_system(&entry.actor);
                            let email = entry.actor.clone();
                            view! {
                                <tr>
                                    <td class="date">{move || i18n::date_time(domain::time::china_date_time(at))}</td>
                                    <td data-testid="audit-sentence">
                                        {system.then(|| view! { <span class="badge">{move || tr!("audit-by-system")}</span> " " })}
                                        <span title=email>{move || i18n::text(&sentence)}</span>
                                        {entry.carrier.map(|c| view! { " " <a href=format!("/carriers/{c}")>{move || tr!("audit-carrier-link")}</a> })}
                                    </td>
                                    <td>
                                        <details>
                                            <summary>{move || tr!("audit-show-values")}</summary>
                                            <div class="before-after">
                                                <div>
                                                    <strong>{move || tr!("audit-before")}</strong>
                                                    <pre>{pretty(entry.before.as_deref())}</pre>
                                                </div>
                                                <div>
                                                    <strong>{move || tr!("audit-after")}</strong>
                                                    <pre>{pretty(entry.after.as_deref())}</pre>
                                                </div>
                                            </div>
                                        </details>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {(pages > 1).then(|| view! { <Pager page=current pages href /> })}
    }
}

/// Indented JSON, or a dash where there was nothing.
fn pretty(json: Option<&str>) -> String {
    match json.map(serde_json::from_str::<serde_json::Value>) {
        Some(Ok(value)) => serde_json::to_string_pretty(&value).unwrap_or_default(),
        Some(Err(_)) => json.unwrap_or_default().to_owned(),
        None => "—".to_owned(),
    }
}
