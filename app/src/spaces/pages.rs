//! A carrier's spaces: the area page, the floor view, unit changes, and unit import.

use super::api::{self, AddUnit, ChangeUnit, CreateBuilding, CreateFloor, CreateSite};
use crate::components::chart::AreaChart;
use crate::components::{ErrorNotice, FieldProblems, SelectField, TextField, coded_options, loaded};
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use crate::pages::{DayPicker, action_errors, action_failure, id_param, on_param, today};
use domain::space::import::{ImportReport, UNIT_COLUMNS};
use domain::space::{
    AreaReport, AreaTotals, ChangeAction, FloorView, RentBasis, SiteTree, UnitForm, UnitKind, UnitStatus, UnitView,
    UseCategory, field,
};
use domain::{CarrierId, FieldErrors, format};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AreaPage() -> impl IntoView {
    let carrier = id_param("id");
    let on = on_param();
    let site_action = ServerAction::<CreateSite>::new();
    let building_action = ServerAction::<CreateBuilding>::new();
    let floor_action = ServerAction::<CreateFloor>::new();
    let report = Resource::new(
        move || {
            (
                carrier.get(),
                on.get(),
                site_action.version().get(),
                building_action.version().get(),
                floor_action.version().get(),
            )
        },
        |(carrier, on, ..)| async move {
            match carrier {
                Some(id) => api::get_area_report(id, on).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "spaces-title") />
        {loaded(report, move |report| view! { <AreaReportView report site_action building_action floor_action /> })}
    }
}

#[component]
fn AreaReportView(
    report: AreaReport,
    site_action: ServerAction<CreateSite>,
    building_action: ServerAction<CreateBuilding>,
    floor_action: ServerAction<CreateFloor>,
) -> impl IntoView {
    let AreaReport { carrier, carrier_name, on, totals, sites, series, history, can_edit } = report;
    let lang = i18n::lang();
    let points: Vec<(String, domain::Area)> =
        series.into_iter().map(|(end, area)| (end.format("%Y-%m").to_string(), area)).collect();
    let has_units = totals.units > 0 || totals.out_of_service_gross > domain::Area::ZERO;
    view! {
        <Title text=carrier_name.clone() />
        <p class="breadcrumb">
            <a href=format!("/carriers/{carrier}")>{carrier_name.clone()}</a>
        </p>
        <div class="page-heading">
            <h1>{move || tr!("spaces-title")}</h1>
            <div class="actions">
                <a class="button" href=format!("/carriers/{carrier}/units.csv") download="">{move || tr!("spaces-export-csv")}</a>
                <a class="button" href=format!("/carriers/{carrier}/units.xlsx") download="">{move || tr!("spaces-export-xlsx")}</a>
                {can_edit.then(|| view! {
                    <a class="button" href=format!("/carriers/{carrier}/spaces/import")>{move || tr!("spaces-import")}</a>
                })}
            </div>
        </div>
        <DayPicker on action=format!("/carriers/{carrier}/spaces") />
        <TotalsCards totals />
        <CategoryTable totals />
        <crate::tenancy::leases::OccupancyPanel level="carrier" id=Some(carrier.0) on=Some(on) />
        {has_units.then(|| {
            view! {
                <AreaChart
                    points
                    title=tr!("spaces-chart-title")
                    period_header=tr!("spaces-month")
                    value_header=tr!("spaces-gross")
                    lang
                />
            }
        })}
        <h2>{move || tr!("spaces-places")}</h2>
        <SiteList sites can_edit building_action floor_action />
        {can_edit.then(|| view! { <NewSiteForm carrier action=site_action /> })}
        <h2>{move || tr!("spaces-history")}</h2>
        <HistoryTable history />
    }
}

#[component]
fn TotalsCards(totals: AreaTotals) -> impl IntoView {
    let share = totals.tenant_share_basis_points();
    let meets = totals.meets_tenant_share();
    view! {
        <section class="stat-cards" data-testid="area-totals">
            <div class="stat-card stat-card-total">
                <span class="stat-label">{move || tr!("spaces-total-gross")}</span>
                <span class="stat-value" data-testid="total-gross">{move || i18n::area(totals.total_gross())}</span>
            </div>
            <div class="stat-card">
                <span class="stat-label">{move || tr!("spaces-total-usable")}</span>
                <span class="stat-value">{move || i18n::area(totals.total_usable())}</span>
            </div>
            <div class="stat-card">
                <span class="stat-label">{move || tr!("spaces-units-desks")}</span>
                <span class="stat-value" data-testid="units-desks">
                    {format::integer(totals.units)} " / " {format::integer(totals.desks)}
                </span>
            </div>
            <div class="stat-card" class:stat-ok=meets class:stat-warn=!meets>
                <span class="stat-label">{move || tr!("spaces-tenant-share")}</span>
                <span class="stat-value" data-testid="tenant-share">
                    {domain::tenancy::lease::percent(share)}
                </span>
                <span class="stat-note">
                    {move || if meets { tr!("spaces-share-meets") } else { tr!("spaces-share-below") }}
                </span>
            </div>
        </section>
    }
}

#[component]
fn CategoryTable(totals: AreaTotals) -> impl IntoView {
    view! {
        <table class="data-table" data-testid="by-category">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("spaces-category")}</th>
                    <th scope="col" class="number">{move || tr!("spaces-gross")}</th>
                    <th scope="col" class="number">{move || tr!("spaces-usable")}</th>
                </tr>
            </thead>
            <tbody>
                {UseCategory::ALL
                    .iter()
                    .map(|&category| {
                        view! {
                            <tr>
                                <th scope="row">{move || i18n::use_category(category)}</th>
                                <td class="number">{move || i18n::area(totals.gross_of(category))}</td>
                                <td class="number">{move || i18n::area(totals.usable_of(category))}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
                <tr class="muted">
                    <th scope="row">{move || tr!("spaces-out-of-service")}</th>
                    <td class="number">{move || i18n::area(totals.out_of_service_gross)}</td>
                    <td class="number">{move || i18n::area(totals.out_of_service_usable)}</td>
                </tr>
            </tbody>
        </table>
    }
}

#[component]
fn SiteList(
    sites: Vec<SiteTree>,
    can_edit: bool,
    building_action: ServerAction<CreateBuilding>,
    floor_action: ServerAction<CreateFloor>,
) -> impl IntoView {
    if sites.is_empty() {
        return view! { <p class="empty">{move || tr!("spaces-no-sites")}</p> }.into_any();
    }
    let building_errors = action_errors(building_action);
    let floor_errors = action_errors(floor_action);
    view! {
        <div class="site-list">
            {sites
                .into_iter()
                .map(|site| {
                    view! {
                        <section class="site">
                            <h3>{site.name.clone()} " " <span class="muted">{site.address.clone()}</span></h3>
                            {site
                                .buildings
                                .into_iter()
                                .map(|building| {
                                    let building_id = building.id;
                                    view! {
                                        <div class="building">
                                            <h4>{building.name.clone()}</h4>
                                            <ul class="floors">
                                                {building
                                                    .floors
                                                    .into_iter()
                                                    .map(|floor| {
                                                        view! {
                                                            <li>
                                                                <a href=format!("/floors/{}", floor.id)>{floor.label.clone()}</a>
                                                                " "
                                                                <span class="muted">
                                                                    {move || tr!("spaces-floor-summary", {
                                                                        "units" => floor.units,
                                                                        "area" => i18n::area(floor.gross),
                                                                    })}
                                                                </span>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                            {can_edit.then(|| view! {
                                                <ActionForm action=floor_action>
                                                    <input type="hidden" name="building" value=building_id.to_string() />
                                                    <div class="inline-form">
                                                        <label for=format!("floor-label-{building_id}")>{move || tr!("spaces-new-floor")}</label>
                                                        <input id=format!("floor-label-{building_id}") name="label" placeholder="3F" />
                                                        <button type="submit" class="button">{move || tr!("spaces-add")}</button>
                                                    </div>
                                                    <FieldProblems field=field::LABEL errors=floor_errors />
                                                </ActionForm>
                                            })}
                                        </div>
                                    }
                                })
                                .collect_view()}
                            {can_edit.then(|| {
                                let site_id = site.id;
                                view! {
                                    <ActionForm action=building_action>
                                        <input type="hidden" name="site" value=site_id.to_string() />
                                        <div class="inline-form">
                                            <label for=format!("building-name-{site_id}")>{move || tr!("spaces-new-building")}</label>
                                            <input id=format!("building-name-{site_id}") name="name" />
                                            <button type="submit" class="button">{move || tr!("spaces-add")}</button>
                                        </div>
                                        <FieldProblems field=field::NAME errors=building_errors />
                                    </ActionForm>
                                }
                            })}
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn NewSiteForm(carrier: CarrierId, action: ServerAction<CreateSite>) -> impl IntoView {
    let errors = action_errors(action);
    let failure = action_failure(action);
    view! {
        <section class="form-section">
            <h3>{move || tr!("spaces-new-site")}</h3>
            {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action>
                <input type="hidden" name="carrier" value=carrier.to_string() />
                <div class="field-row">
                    <TextField field=field::NAME label=|| tr!("spaces-site-name") value=String::new() errors />
                    <TextField field=field::ADDRESS label=|| tr!("field-address") value=String::new() errors />
                </div>
                <button type="submit" class="button">{move || tr!("spaces-add")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn HistoryTable(history: Vec<domain::space::ChangeEntry>) -> impl IntoView {
    if history.is_empty() {
        return view! { <p class="muted">{move || tr!("spaces-no-history")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="data-table" data-testid="history">
                <thead>
                    <tr>
                        <th scope="col">{move || tr!("spaces-effective")}</th>
                        <th scope="col">{move || tr!("spaces-unit")}</th>
                        <th scope="col">{move || tr!("spaces-change")}</th>
                        <th scope="col" class="number">{move || tr!("spaces-gross")}</th>
                        <th scope="col">{move || tr!("spaces-reason")}</th>
                        <th scope="col">{move || tr!("audit-actor")}</th>
                    </tr>
                </thead>
                <tbody>
                    {history
                        .into_iter()
                        .map(|entry| {
                            let (before, after) = (entry.gross_before, entry.gross_after);
                            view! {
                                <tr>
                                    <td class="date">{move || i18n::date(entry.effective_on)}</td>
                                    <td>{entry.floor.clone()} " · " {entry.unit.clone()}</td>
                                    <td>{move || i18n::change_kind(entry.kind)}</td>
                                    <td class="number">
                                        {move || format!("{} → {}", i18n::area(before), i18n::area(after))}
                                    </td>
                                    <td>{let reason = domain::text::stored(&entry.reason); move || i18n::text(&reason)}</td>
                                    <td>{entry.author.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

// ---- the floor view -------------------------------------------------------------------------

#[component]
pub fn FloorPage() -> impl IntoView {
    let floor = id_param("id");
    let on = on_param();
    let add = ServerAction::<AddUnit>::new();
    let view_of = Resource::new(
        move || (floor.get(), on.get(), add.version().get()),
        |(floor, on, _)| async move {
            match floor {
                Some(id) => api::get_floor(id, on).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "spaces-floor-title") />
        {loaded(view_of, move |floor| view! { <FloorDetail floor add /> })}
    }
}

#[component]
fn FloorDetail(floor: FloorView, add: ServerAction<AddUnit>) -> impl IntoView {
    let FloorView { id, carrier, carrier_name, site, building, label, on, units, totals, can_edit } = floor;
    let heading = format!("{site} · {building} · {label}");
    view! {
        <Title text=heading.clone() />
        <p class="breadcrumb">
            <a href=format!("/carriers/{carrier}/spaces")>{carrier_name}</a>
        </p>
        <h1>{heading}</h1>
        <DayPicker on action=format!("/floors/{id}") />
        <p class="floor-totals" data-testid="floor-totals">
            {move || tr!("spaces-floor-totals", {
                "units" => totals.units,
                "area" => i18n::area(totals.total_gross()),
                "desks" => totals.desks,
            })}
        </p>
        <crate::tenancy::leases::OccupancyPanel level="floor" id=Some(id) on=Some(on) />
        <StatusLegend />
        {if units.is_empty() {
            view! { <p class="empty">{move || tr!("spaces-no-units")}</p> }.into_any()
        } else {
            view! {
                <ul class="unit-grid" data-testid="unit-grid">
                    {units.into_iter().map(|unit| view! { <UnitTile unit can_edit /> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
        {can_edit.then(|| view! { <NewUnitForm floor=id action=add /> })}
    }
}

#[component]
fn StatusLegend() -> impl IntoView {
    view! {
        <ul class="legend" aria-label=move || tr!("spaces-legend")>
            {UnitStatus::ALL
                .iter()
                .map(|&status| {
                    view! {
                        <li>
                            <span class=format!("swatch status-{}", status.code())></span>
                            {move || i18n::unit_status(status)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn UnitTile(unit: UnitView, can_edit: bool) -> impl IntoView {
    let UnitView { id, code, spec, status, tenant, .. } = unit;
    let class = format!("unit-tile status-{}", status.code());
    view! {
        <li class=class data-status=status.code()>
            <span class="unit-code">{code.clone()}</span>
            <span class="unit-kind">{move || i18n::unit_kind(spec.kind)}</span>
            <span class="unit-area">{move || i18n::area(spec.gross)}</span>
            {spec.desks.map(|desks| view! { <span class="unit-desks">{move || tr!("spaces-desks", { "desks" => desks })}</span> })}
            <span class="unit-status">{move || i18n::unit_status(status)}</span>
            {tenant.map(|t| view! {
                <span class="unit-tenant">
                    <a href=format!("/startups/{}", t.startup)>{t.name}</a>
                    " · "
                    <a href=format!("/leases/{}", t.lease) data-testid="unit-lease">{move || tr!("spaces-unit-lease")}</a>
                </span>
            })}
            {can_edit.then(|| view! { <a class="unit-change" href=format!("/units/{id}/change")>{move || tr!("spaces-change-unit")}</a> })}
        </li>
    }
}

/// The unit fields: kind, areas, category, desks and rent.
#[component]
fn UnitFields(initial: UnitForm, errors: Signal<FieldErrors>, prefix: &'static str) -> impl IntoView {
    let UnitForm { kind, gross_area, usable_area, use_category, desks, list_rent, rent_basis, .. } = initial;
    view! {
        <div class="field-row">
            <SelectField
                field=field::KIND
                label=|| tr!("spaces-kind")
                options=coded_options(UnitKind::ALL, UnitKind::code, i18n::unit_kind)
                selected=kind
                errors
                prefix
            />
            <SelectField
                field=field::CATEGORY
                label=|| tr!("spaces-category")
                options=coded_options(UseCategory::ALL, UseCategory::code, i18n::use_category)
                selected=use_category
                errors
                prefix
            />
        </div>
        <div class="field-row">
            <TextField field=field::GROSS label=|| tr!("spaces-gross-m2") value=gross_area errors prefix input_type="text" />
            <TextField field=field::USABLE label=|| tr!("spaces-usable-m2") value=usable_area errors prefix />
            <TextField field=field::DESKS label=|| tr!("spaces-desk-capacity") value=desks errors prefix optional=true />
        </div>
        // The basis first: the rent is read per m² or per desk, as it says.
        <div class="field-row">
            <SelectField
                field=field::BASIS
                label=|| tr!("spaces-rent-basis")
                options=coded_options(RentBasis::ALL, RentBasis::code, i18n::rent_basis)
                selected=rent_basis
                errors
                prefix
            />
            <TextField
                field=field::RENT
                label=|| tr!("spaces-list-rent")
                hint=|| tr!("spaces-list-rent-hint")
                value=list_rent
                errors
                prefix
                optional=true
            />
        </div>
    }
}

#[component]
fn NewUnitForm(floor: i64, action: ServerAction<AddUnit>) -> impl IntoView {
    let errors = action_errors(action);
    let failure = action_failure(action);
    view! {
        <section class="form-section">
            <h2>{move || tr!("spaces-new-unit")}</h2>
            {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action>
                <input type="hidden" name="floor" value=floor.to_string() />
                <TextField field=field::CODE label=|| tr!("spaces-unit-code") value=String::new() errors />
                <UnitFields initial=UnitForm::default() errors prefix="form" />
                <div class="field-row">
                    <TextField
                        field=field::EFFECTIVE
                        label=|| tr!("spaces-effective")
                        value=today().format("%Y-%m-%d").to_string()
                        errors
                        input_type="date"
                        prefix=""
                    />
                    <TextField field=field::REASON label=|| tr!("spaces-reason") value=tr!("spaces-reason-new") errors prefix="" />
                </div>
                <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                    {move || tr!("spaces-add-unit")}
                </button>
            </ActionForm>
        </section>
    }
}

// ---- changing a unit ------------------------------------------------------------------------

#[component]
pub fn ChangeUnitPage() -> impl IntoView {
    let unit = id_param("id");
    let action = ServerAction::<ChangeUnit>::new();
    let current = Resource::new(
        move || (unit.get(), action.version().get()),
        |(unit, _)| async move {
            match unit {
                Some(id) => api::get_unit(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "spaces-change-title") />
        {loaded(current, move |unit| view! { <UnitChangeForm unit action /> })}
    }
}

#[component]
fn UnitChangeForm(unit: UnitView, action: ServerAction<ChangeUnit>) -> impl IntoView {
    let errors = action_errors(action);
    let failure = action_failure(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let echoed: Option<domain::space::ChangeForm> =
        action.value().with_untracked(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::echo));
    let initial = echoed.clone().map(|c| c.unit).unwrap_or_else(|| UnitForm::from((unit.code.as_str(), &unit.spec)));
    let selected_action =
        echoed.as_ref().map(|c| c.action.clone()).unwrap_or_else(|| ChangeAction::Update.code().to_owned());
    let action_options = coded_options(ChangeAction::ALL, ChangeAction::code, i18n::change_action);
    let code = unit.code.clone();
    view! {
        <h1>{move || tr!("spaces-change-title")} " " {code.clone()}</h1>
        <p class="lead">
            {move || tr!("spaces-unit-now", {
                "kind" => i18n::unit_kind(unit.spec.kind),
                "area" => i18n::area(unit.spec.gross),
                "status" => i18n::unit_status(unit.status),
            })}
        </p>
        {move || done().then(|| view! { <p class="notice" role="status">{move || tr!("spaces-change-saved")}</p> })}
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        <ActionForm action>
            <input type="hidden" name="unit" value=unit.id.to_string() />
            <SelectField field=field::ACTION label=|| tr!("spaces-change") options=action_options selected=selected_action errors prefix="change" />
            <div class="field-row">
                <TextField
                    field=field::EFFECTIVE
                    label=|| tr!("spaces-effective")
                    value=echoed.as_ref().map(|c| c.effective_on.clone()).unwrap_or_else(|| today().format("%Y-%m-%d").to_string())
                    errors
                    input_type="date"
                    prefix="change"
                />
                <TextField
                    field=field::REASON
                    label=|| tr!("spaces-reason")
                    value=echoed.as_ref().map(|c| c.reason.clone()).unwrap_or_default()
                    errors
                    prefix="change"
                />
            </div>
            <fieldset class="form-section">
                <legend>{move || tr!("spaces-new-values")}</legend>
                <p class="hint">{move || tr!("spaces-new-values-hint")}</p>
                <UnitFields initial errors prefix="change[unit]" />
            </fieldset>
            <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                {move || tr!("carrier-save")}
            </button>
        </ActionForm>
    }
}

// ---- import -------------------------------------------------------------------------------

#[component]
pub fn ImportPage() -> impl IntoView {
    let carrier = id_param::<CarrierId>("id");
    let error = use_query_map().with_untracked(|q| q.get("error"));
    view! {
        <PageTitle text=|i18n| tr!(i18n, "spaces-import-title") />
        <p class="breadcrumb">
            <a href=move || format!("/carriers/{}/spaces", carrier.get().map_or(0, |c| c.0))>{move || tr!("spaces-title")}</a>
        </p>
        <h1>{move || tr!("spaces-import-title")}</h1>
        <p class="lead">{move || tr!("spaces-import-lead")}</p>
        {error.map(|code| {
            view! {
                <div class="notice notice-error" role="alert">
                    {move || match code.as_str() {
                        "type" => tr!("spaces-import-error-type"),
                        "size" => tr!("spaces-import-error-size"),
                        "rows" => tr!("spaces-import-error-rows"),
                        "busy" => tr!("spaces-import-error-busy"),
                        "date" => tr!("spaces-import-error-date"),
                        _ => tr!("spaces-import-error-read"),
                    }}
                </div>
            }
        })}
        <form
            method="post"
            enctype="multipart/form-data"
            action=move || format!("/carriers/{}/units/import", carrier.get().map_or(0, |c| c.0))
            class="stack"
        >
            <div class="field">
                <label for="import-file">{move || tr!("spaces-import-file")}</label>
                <input id="import-file" type="file" name="file" accept=".csv,.xlsx,text/csv" required />
            </div>
            <div class="field">
                <label for="import-effective">{move || tr!("spaces-effective")}</label>
                <input id="import-effective" type="date" name="effective_on" value=today().format("%Y-%m-%d").to_string() required />
            </div>
            <button type="submit" class="button button-primary">{move || tr!("spaces-import-submit")}</button>
        </form>
        <h2>{move || tr!("spaces-import-columns")}</h2>
        <table class="data-table">
            <tbody>
                {UNIT_COLUMNS
                    .iter()
                    .map(|column| view! { <tr><th scope="row"><code>{*column}</code></th><td>{move || i18n::unit_column(column)}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn ImportReportPage() -> impl IntoView {
    let id = id_param("id");
    let report = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => api::get_import(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "spaces-import-report") />
        {loaded(report, move |report| view! { <ReportView report /> })}
    }
}

#[component]
fn ReportView(report: ImportReport) -> impl IntoView {
    let ImportReport {
        carrier, file_name, rows, problems, problem_total, added, changed, unchanged, effective_on, ..
    } = report;
    let failed = !problems.is_empty();
    let shown = i64::try_from(problems.len()).unwrap_or(0);
    let count = i64::try_from(problem_total.max(problems.len())).unwrap_or(0);
    let rows = i64::try_from(rows).unwrap_or(0);
    let (added, changed, unchanged) =
        (i64::try_from(added).unwrap_or(0), i64::try_from(changed).unwrap_or(0), i64::try_from(unchanged).unwrap_or(0));
    view! {
        <p class="breadcrumb">
            <a href=format!("/carriers/{carrier}/spaces")>{move || tr!("spaces-title")}</a>
        </p>
        <h1>{move || tr!("spaces-import-report")}</h1>
        <p>{file_name} " · " {move || i18n::date(effective_on)}</p>
        {if failed {
            view! {
                <div class="notice notice-error" role="alert" data-testid="import-failed">
                    {move || tr!("spaces-import-failed", { "count" => count, "rows" => rows })}
                </div>
                {(count > shown).then(|| view! {
                    <p class="hint" data-testid="import-problems-more">
                        {move || tr!("spaces-import-first-problems", { "shown" => shown, "count" => count })}
                    </p>
                })}
                <ProblemTable problems />
                <p>
                    <a href=format!("/carriers/{carrier}/spaces/import")>{move || tr!("spaces-import-again")}</a>
                </p>
            }
            .into_any()
        } else {
            view! {
                <div class="notice" role="status" data-testid="import-done">
                    {move || tr!("spaces-import-done", { "added" => added, "changed" => changed, "unchanged" => unchanged })}
                </div>
            }
            .into_any()
        }}
    }
}

/// Every problem of a rejected import, by row and column.
#[component]
fn ProblemTable(problems: Vec<domain::space::import::ImportProblem>) -> impl IntoView {
    view! {
                <table class="data-table" data-testid="import-problems">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("spaces-import-row")}</th>
                    <th scope="col">{move || tr!("spaces-import-column")}</th>
                    <th scope="col">{move || tr!("spaces-import-message")}</th>
                </tr>
            </thead>
            <tbody>
                {problems
                    .into_iter()
                    .map(|p| {
                        let problem = p.problem.clone();
                        view! {
                            <tr>
                                <td class="number">{p.row}</td>
                                <td><code>{p.column.clone()}</code></td>
                                <td>{move || i18n::problem(&problem)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
