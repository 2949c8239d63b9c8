//! The registry list: filters, search, sort and pages, all in the URL so a view can be shared.

use super::api;
use crate::components::use_current_user;
use crate::components::{ErrorPage, FilterFold, Loading, Pager, coded_options, query_string};
use crate::i18n::{self, PageTitle};
use domain::account::Role;
use domain::carrier::{CarrierKind, CarrierQuery, CarrierRow, CarrierSort, Industry, Level, OperatingModel};
use domain::district::DistrictView;
use domain::{Page, format};
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CarrierList() -> impl IntoView {
    let params = use_query_map();
    let query =
        Memo::new(move |_| params.with(|p| CarrierQuery::from_pairs(p.into_iter().map(|(k, v)| (k.as_ref(), v)))));
    let districts = Resource::new(|| (), |()| api::list_districts());
    let page = Resource::new(move || query.get(), api::list_carriers);
    let me = use_current_user();

    view! {
        <PageTitle text=|i18n| tr!(i18n, "carriers-title") />
        <div class="page-heading">
            <h1>{move || tr!("carriers-title")}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let bureau = matches!(me.await, Ok(Some(ref me)) if me.has(Role::Bureau));
                    bureau.then(|| view! {
                        <a class="button button-primary" href="/carriers/new">
                            {move || tr!("carriers-new")}
                        </a>
                    })
                })}
            </Suspense>
        </div>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let districts = districts.await;
                let page = page.await;
                match (districts, page) {
                    (Ok(districts), Ok(page)) => {
                        let query = query.get_untracked();
                        view! {
                            <Filters query=query.clone() districts />
                            <Results query page />
                        }
                            .into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The filter form. It is a plain GET form: it works without JavaScript, and with it the router
/// navigates without a reload.
#[component]
fn Filters(query: CarrierQuery, districts: Vec<DistrictView>) -> impl IntoView {
    let search = query.search.clone().unwrap_or_default();
    let district = query.district.map(|d| d.to_string()).unwrap_or_default();
    let district_options: Vec<(String, Signal<String>)> = districts
        .into_iter()
        .map(|d| (d.id.to_string(), Signal::derive(move || d.name(i18n::lang()).to_owned())))
        .collect();
    let kind_options = coded_options(CarrierKind::ALL, |k| k.code(), i18n::kind);
    let level_options = coded_options(Level::ALL, |l| l.code(), i18n::level);
    let model_options = coded_options(OperatingModel::ALL, |m| m.code(), i18n::model);
    let industry_options = coded_options(Industry::ALL, |i| i.code(), i18n::industry);
    let sort_options: Vec<(String, Signal<String>)> = vec![
        (CarrierSort::Name.code().to_owned(), Signal::derive(move || tr!("carriers-sort-name"))),
        (CarrierSort::Opened.code().to_owned(), Signal::derive(move || tr!("carriers-sort-opened"))),
        (CarrierSort::Level.code().to_owned(), Signal::derive(move || tr!("carriers-sort-level"))),
        (CarrierSort::District.code().to_owned(), Signal::derive(move || tr!("carriers-sort-district"))),
        (CarrierSort::Updated.code().to_owned(), Signal::derive(move || tr!("carriers-sort-updated"))),
    ];
    let code_of = |code: Option<&'static str>| code.unwrap_or_default().to_owned();

    let filtered = query.search.is_some()
        || query.district.is_some()
        || query.kind.is_some()
        || query.level.is_some()
        || query.model.is_some()
        || query.industry.is_some();
    view! {
        <FilterFold id="fold-carriers" open=filtered>
            <Form method="GET" action="/carriers">
                <fieldset class="filters">
                    <legend>{move || tr!("carriers-filters")}</legend>
                    {query.on.map(|on| view! { <input type="hidden" name="on" value=on.to_string() /> })}
                    <label class="filter filter-search">
                        <span>{move || tr!("carriers-search")}</span>
                        <input type="search" name="q" value=search placeholder=move || tr!("carriers-search-hint") />
                    </label>
                    <FilterSelect name="district" label=|| tr!("field-district") options=district_options selected=district />
                    <FilterSelect
                        name="kind"
                        label=|| tr!("field-kind")
                        options=kind_options
                        selected=code_of(query.kind.map(CarrierKind::code))
                    />
                    <FilterSelect
                        name="level"
                        label=|| tr!("field-level")
                        options=level_options
                        selected=code_of(query.level.map(Level::code))
                    />
                    <FilterSelect
                        name="model"
                        label=|| tr!("field-model")
                        options=model_options
                        selected=code_of(query.model.map(OperatingModel::code))
                    />
                    <FilterSelect
                        name="industry"
                        label=|| tr!("field-industries")
                        options=industry_options
                        selected=code_of(query.industry.map(Industry::code))
                    />
                    <label class="filter">
                        <span>{move || tr!("carriers-sort")}</span>
                        <select name="sort">
                            {sort_options
                                .into_iter()
                                .map(|(code, label)| {
                                    let selected = query.sort.unwrap_or(CarrierSort::Name).code() == code;
                                    view! {
                                        <option value=code selected=selected>
                                            {label}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <label class="filter">
                        <span>{move || tr!("carriers-direction")}</span>
                        <select name="dir">
                            <option value="asc" selected=!query.descending>
                                {move || tr!("carriers-ascending")}
                            </option>
                            <option value="desc" selected=query.descending>
                                {move || tr!("carriers-descending")}
                            </option>
                        </select>
                    </label>
                    <label class="filter filter-checkbox">
                        <input type="checkbox" name="archived" value="1" checked=query.include_archived />
                        <span>{move || tr!("carriers-include-archived")}</span>
                    </label>
                    <div class="filter-actions">
                        <button type="submit" class="button">
                            {move || tr!("carriers-apply")}
                        </button>
                        <a href="/carriers">{move || tr!("carriers-reset")}</a>
                    </div>
                </fieldset>
            </Form>
        </FilterFold>
    }
}

#[component]
fn FilterSelect(
    name: &'static str,
    label: fn() -> String,
    options: Vec<(String, Signal<String>)>,
    selected: String,
) -> impl IntoView {
    view! {
        <label class="filter">
            <span>{label}</span>
            <select name=name>
                <option value="" selected=selected.is_empty()>
                    {move || tr!("carriers-any")}
                </option>
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        let is_selected = code == selected;
                        view! {
                            <option value=code selected=is_selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
fn Results(query: CarrierQuery, page: Page<CarrierRow>) -> impl IntoView {
    let total = page.total;
    let pages = page.page_count();
    let current = page.page;
    let figures_on = query.on;
    let href = move |n: u32| {
        let mut target = query.clone();
        target.page = n;
        format!("/carriers?{}", query_string(&target.to_pairs()))
    };
    let rows = page.items;
    view! {
        {figures_on.map(|on| view! { <p class="hint">{move || tr!("carriers-figures-on", { "date" => i18n::date(on) })}</p> })}
        <p class="result-count" data-testid="result-count">
            {move || tr!("carriers-found", { "count" => i64::try_from(total).unwrap_or(i64::MAX) })}
        </p>
        {if rows.is_empty() {
            view! { <p class="empty">{move || tr!("carriers-empty")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="data-table carriers-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || tr!("field-name")}</th>
                                <th scope="col">{move || tr!("field-kind")}</th>
                                <th scope="col">{move || tr!("field-level")}</th>
                                <th scope="col">{move || tr!("field-district")}</th>
                                <th scope="col">{move || tr!("field-model")}</th>
                                <th scope="col">{move || tr!("field-opened-on")}</th>
                                <th scope="col" class="number">{move || tr!("carriers-gross")}</th>
                                <th scope="col" class="number">{move || tr!("carriers-tenants")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows.into_iter().map(|row| view! { <Row row /> }).collect_view()}</tbody>
                    </table>
                </div>
            }
                .into_any()
        }}
        {(pages > 1).then(|| view! { <Pager page=current pages href /> })}
    }
}

#[component]
fn Row(row: CarrierRow) -> impl IntoView {
    let CarrierRow { id, name, kind, accreditation, district, operating_model, opened_on, archived, gross, tenants } =
        row;
    view! {
        <tr class:archived=archived>
            <th scope="row">
                <a href=format!("/carriers/{id}")>{name}</a>
                {archived.then(|| view! { " " <span class="badge">{move || tr!("carriers-archived-badge")}</span> })}
            </th>
            <td>{move || i18n::kind(kind)}</td>
            <td>{move || i18n::accreditation(accreditation)}</td>
            <td>{move || district.name(i18n::lang()).to_owned()}</td>
            <td>{move || i18n::model(operating_model)}</td>
            <td class="date">{move || i18n::date(opened_on)}</td>
            <td class="number" data-testid="carrier-gross">
                <a href=format!("/carriers/{id}/spaces")>{format::two_decimals(gross.hundredths())}</a>
            </td>
            <td class="number">{format::integer(i64::try_from(tenants).unwrap_or(i64::MAX))}</td>
        </tr>
    }
}
