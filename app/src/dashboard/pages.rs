//! The bureau's dashboard (area against the targets, breakdowns, trends, occupancy and the
//! shareholder side) and the targets themselves. Readiness and annual returns are next door,
//! in `readiness`.

use super::api::{self, AddTarget, RemoveTarget, UpdateTarget};
use crate::components::chart::{AreaChart, BarChart, ChartGoal};
use crate::components::{ErrorNotice, ErrorPage, FieldProblems, Loading, TextField, loaded, query_string};
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use crate::pages::{action_errors, action_failure, on_param};
use chrono::{Datelike, NaiveDate};
use domain::dashboard::{DashboardView, Table, TableKind, TargetForm, TargetProgress, TargetRow};
use domain::{Area, DistrictId, FieldErrors, Lang, TargetId, format};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

pub(crate) fn query_district() -> Memo<Option<DistrictId>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get_str("district").and_then(|v| v.parse().ok()).map(DistrictId)))
}

pub(crate) fn query_number<T: std::str::FromStr + Clone + Send + Sync + PartialEq + 'static>(
    name: &'static str,
) -> Memo<Option<T>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get_str(name).and_then(|v| v.parse().ok())))
}

pub(super) fn percent_bp(bp: i64) -> String {
    domain::tenancy::lease::percent(Some(bp))
}

// ---- the dashboard ----------------------------------------------------------------------------

#[component]
pub fn DashboardPage() -> impl IntoView {
    let on = on_param();
    let district = query_district();
    let view = Resource::new(move || (on.get(), district.get()), |(on, district)| api::get_dashboard(on, district));
    view! {
        <PageTitle text=|i18n| tr!(i18n, "dashboard-title") />
        {loaded(view, move |view| view! { <Dashboard view /> })}
    }
}

/// The query of the dashboard's day and district, for links and exports.
fn scope_query(on: NaiveDate, district: Option<DistrictId>) -> String {
    let mut pairs = vec![("on".to_owned(), on.format("%Y-%m-%d").to_string())];
    if let Some(d) = district {
        pairs.push(("district".to_owned(), d.0.to_string()));
    }
    query_string(&pairs)
}

#[component]
fn Dashboard(view: DashboardView) -> impl IntoView {
    let on = view.on;
    let district = view.district;
    let totals = view.totals;
    let scope_name =
        district.and_then(|d| view.districts.iter().find(|x| x.0 == d)).map(|(_, zh, en)| (zh.clone(), en.clone()));
    let scope_label = {
        let scope_name = scope_name.clone();
        move || match &scope_name {
            Some((zh, en)) => i18n::names(zh, en),
            None => tr!("dashboard-city"),
        }
    };
    let query = scope_query(on, district);
    let districts = view.districts.clone();
    let chosen = district.map(|d| d.0.to_string()).unwrap_or_default();
    let carriers_href = DashboardView::carriers_href(district, on, "");
    let monthly = view.monthly.clone();
    // The open targets of the chart's own scope (the city's on the city's trend, a district's on
    // the district's), drawn as lines across it, each with its deadline marked where it falls.
    let goals = {
        let monthly = monthly.clone();
        let open: Vec<TargetProgress> = view
            .targets
            .iter()
            .filter(|t| t.outcome.is_none() && t.row.district.as_ref().map(|d| d.0) == district)
            .cloned()
            .collect();
        move || {
            open.iter()
                .map(|t| ChartGoal {
                    label: tr!("dashboard-goal-line", {
                        "name" => t.row.name(i18n::lang()).to_owned(),
                        "month" => i18n::text(&format::month(t.row.target.deadline)),
                    }),
                    area: t.row.target.area,
                    deadline_at: monthly.iter().position(|(d, _)| {
                        (d.year(), d.month()) == (t.row.target.deadline.year(), t.row.target.deadline.month())
                    }),
                })
                .collect::<Vec<_>>()
        }
    };
    let month_points =
        move || -> Vec<(String, Area)> { monthly.iter().map(|(d, a)| (i18n::text(&format::month(*d)), *a)).collect() };
    let (yoy_change, yoy_bp) = view.year_on_year();
    let (quarters, additions): (Vec<NaiveDate>, Vec<Area>) =
        (view.quarters.clone(), view.quarterly.last().map(|(_, adds)| adds.clone()).unwrap_or_default());
    let bars = move || -> Vec<(String, Area)> {
        quarters.iter().map(|q| i18n::text(&format::quarter(*q))).zip(additions.iter().copied()).collect()
    };
    let portfolio = view.portfolio.clone();
    let (holdings_carriers, holdings) = match district {
        Some(d) => portfolio
            .districts
            .iter()
            .find(|p| p.district == d)
            .map(|p| (p.carriers, p.totals.clone()))
            .unwrap_or_default(),
        None => (portfolio.carriers, portfolio.city.clone()),
    };
    let shareholder_carriers = view
        .by_model
        .iter()
        .find(|g| g.href.contains("model=landlord_shareholder"))
        .map(|g| g.totals.carriers)
        .unwrap_or(0);
    let targets = view.targets.clone();
    let view = StoredValue::new(view);
    // The carriers' download, in the reader's language.
    let download = {
        let query = query.clone();
        move |ext: &'static str| {
            let query = query.clone();
            move || {
                let lang = if i18n::lang() == Lang::En { "&lang=en" } else { "" };
                format!("/dashboard/export/carriers.{ext}?{query}{lang}")
            }
        }
    };
    // A table in the reader's language, with its downloads; redrawn when the language changes.
    let shown = {
        let query = query.clone();
        move |kind: TableKind| {
            let query = query.clone();
            move || {
                view.with_value(|v| v.table(kind, &texts::Fluent(i18n::lang())))
                    .map(|table| view! { <DataTable table=table query=query.clone() /> })
            }
        }
    };
    let last_year = on.year() - 1;
    view! {
        <h1>{move || tr!("dashboard-title")} " · " <span data-testid="dashboard-scope">{scope_label.clone()}</span></h1>
        <Form method="GET" action="/dashboard">
            <div class="day-picker">
                <label for="on">{move || tr!("spaces-on-day")}</label>
                <input id="on" type="date" name="on" value=on.format("%Y-%m-%d").to_string() />
                <label for="district">{move || tr!("field-district")}</label>
                <select id="district" name="district">
                    <option value="" selected=chosen.is_empty()>{move || tr!("dashboard-city")}</option>
                    {districts
                        .into_iter()
                        .map(|(id, zh, en)| {
                            let selected = chosen == id.0.to_string();
                            view! { <option value=id.0.to_string() selected=selected>{move || i18n::names(&zh, &en)}</option> }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button">{move || tr!("spaces-show")}</button>
            </div>
        </Form>

        <section aria-labelledby="targets-heading">
            <h2 id="targets-heading">{move || tr!("dashboard-targets")}</h2>
            {if targets.is_empty() {
                view! { <p class="muted" data-testid="no-targets">{move || tr!("dashboard-no-targets")}</p> }.into_any()
            } else {
                view! {
                    <div class="target-cards">
                        {targets.into_iter().map(|t| view! { <TargetCard target=t /> }).collect_view()}
                    </div>
                }
                .into_any()
            }}
            <p><a href="/dashboard/targets">{move || tr!("dashboard-manage-targets")}</a></p>
        </section>

        <section class="stat-cards" aria-label=move || tr!("dashboard-totals")>
            <a class="stat-card stat-card-total" href=carriers_href.clone()>
                <span class="stat-label">{move || tr!("dashboard-area")}</span>
                <span class="stat-value" data-testid="dashboard-area">{move || i18n::area(totals.gross)}</span>
            </a>
            <a class="stat-card" href=carriers_href.clone()>
                <span class="stat-label">{move || tr!("overview-total")}</span>
                <span class="stat-value" data-testid="dashboard-carriers">{format::integer(i64::try_from(totals.carriers).unwrap_or(0))}</span>
            </a>
            <div class="stat-card">
                <span class="stat-label">{move || tr!("dashboard-year-on-year")}</span>
                <span class="stat-value" data-testid="dashboard-year-on-year">
                    {if yoy_change.hundredths() > 0 { "+" } else { "" }}
                    {move || i18n::area(yoy_change)}
                </span>
                <span class="stat-note">{yoy_bp.map(|bp| format!("{}{}", if bp > 0 { "+" } else { "" }, percent_bp(bp)))}</span>
            </div>
            <div class="stat-card">
                <span class="stat-label">{move || tr!("dashboard-occupancy")}</span>
                <span class="stat-value">{totals.occupancy_bp().map_or_else(|| "—".to_owned(), percent_bp)}</span>
            </div>
            <div class="stat-card">
                <span class="stat-label">{move || tr!("carriers-tenants")}</span>
                <span class="stat-value">{format::integer(i64::try_from(totals.tenants).unwrap_or(0))}</span>
            </div>
            <div class="stat-card">
                <span class="stat-label">{move || tr!("dashboard-graduates")}</span>
                <span class="stat-value">{format::integer(i64::try_from(totals.graduates).unwrap_or(0))}</span>
            </div>
        </section>

        <section aria-labelledby="breakdowns-heading">
            <h2 id="breakdowns-heading">{move || tr!("dashboard-breakdowns")}</h2>
            <p class="hint">{move || tr!("dashboard-breakdowns-hint")}</p>
            {[TableKind::Districts, TableKind::Kinds, TableKind::Levels, TableKind::Models].map(&shown)}
        </section>

        <section aria-labelledby="trends-heading">
            <h2 id="trends-heading">{move || tr!("dashboard-trends")}</h2>
            {move || {
                view! {
                    <AreaChart
                        points=month_points()
                        goals=goals()
                        title=tr!("dashboard-monthly")
                        period_header=tr!("dashboard-month")
                        value_header=tr!("dashboard-area")
                        lang=i18n::lang()
                    />
                }
            }}
            {shown(TableKind::Monthly)}
            {move || view! { <BarChart bars=bars() title=tr!("dashboard-quarterly") /> }}
            {shown(TableKind::Quarterly)}
            {shown(TableKind::Flows)}
            {shown(TableKind::Occupancy)}
        </section>

        <section aria-labelledby="shareholder-heading">
            <h2 id="shareholder-heading">{move || tr!("dashboard-shareholder")}</h2>
            <dl class="facts" data-testid="shareholder">
                <dt>{move || tr!("dashboard-shareholder-carriers")}</dt>
                <dd>{shareholder_carriers}</dd>
                <dt>{move || tr!("dashboard-holding-carriers")}</dt>
                <dd>{holdings_carriers}</dd>
                <dt>{move || tr!("portfolio-holdings")}</dt>
                <dd>{holdings.holdings}</dd>
                <dt>{move || tr!("channel-cash")}</dt>
                <dd>{holdings.cost.cash.display()}</dd>
                <dt>{move || tr!("channel-rent")}</dt>
                <dd>{holdings.cost.rent.display()}</dd>
                <dt>{move || tr!("channel-services")}</dt>
                <dd>{holdings.cost.services.display()}</dd>
                <dt>{move || tr!("portfolio-follow-on")}</dt>
                <dd>{holdings.follow_on.display()}</dd>
                <dt>{move || tr!("portfolio-value")}</dt>
                <dd>{holdings.implied_value.display()}</dd>
            </dl>
            <p><a href=format!("/portfolio?on={on}")>{move || tr!("dashboard-see-portfolio")}</a></p>
        </section>

        <section aria-labelledby="carriers-heading">
            <h2 id="carriers-heading">{move || tr!("dashboard-carriers")}</h2>
            // Every carrier would make the page as long as the city: the list pages them, and
            // the download holds them all.
            <p>
                <a href=carriers_href.clone() data-testid="dashboard-carrier-list">
                    {move || tr!("dashboard-carriers-list", { "count" => totals.carriers })}
                </a>
            </p>
            <p>
                {move || tr!("dashboard-carriers-download")} " "
                <a class="download" href=download("csv") download>"CSV"</a> " "
                <a class="download" href=download("xlsx") download data-testid="xlsx-carriers">"XLSX"</a>
            </p>
            {shown(TableKind::Targets)}
        </section>

        <section aria-labelledby="reports-heading">
            <h2 id="reports-heading">{move || tr!("dashboard-reports")}</h2>
            <ul class="links">
                <li><a href="/readiness">{move || tr!("readiness-title")}</a></li>
                <li>
                    {move || tr!("torch-report", { "year" => last_year })} ": "
                    <a href=format!("/reports/torch.xlsx?year={last_year}") download>"XLSX"</a> " · "
                    <a href=format!("/reports/torch.csv?year={last_year}") download>"CSV"</a>
                </li>
            </ul>
        </section>
    }
}

#[component]
fn TargetCard(target: TargetProgress) -> impl IntoView {
    let verdict = StoredValue::new(target.verdict());
    let TargetProgress { row, progress, outcome } = target;
    let name = row.clone();
    let scope = row.district.clone();
    let goal = row.target.area;
    let heading = view! {
        <h3>
            {move || name.name(i18n::lang()).to_owned()}
            {outcome.is_some().then(|| view! { " " <span class="badge" data-testid="target-closed">{move || tr!("dashboard-closed")}</span> })}
        </h3>
        <p class="muted">
            {move || match &scope {
                Some((_, zh, en)) => i18n::names(zh, en),
                None => tr!("dashboard-city"),
            }}
            " · "
            {move || tr!("dashboard-deadline", { "date" => i18n::date(row.target.deadline) })}
        </p>
    };
    // A closed target is read from its deadline: the figure then, and the day it was reached.
    let (shown, achieved_bp) = match outcome {
        Some(o) => (o.final_area, domain::target::share_bp(o.final_area, goal)),
        None => (progress.current, progress.achieved_bp),
    };
    let facts = match outcome {
        Some(_) => view! {
            <dt>{move || tr!("dashboard-final-area")}</dt>
            <dd data-testid="target-achieved">
                {percent_bp(achieved_bp)} " (" {move || i18n::area(shown)} " / " {move || i18n::area(goal)} ")"
            </dd>
            <dt>{move || tr!("dashboard-outcome")}</dt>
            <dd data-testid="target-verdict">{move || verdict.with_value(i18n::text)}</dd>
        }
        .into_any(),
        None => {
            let needed = progress.required_monthly.filter(|_| progress.projection.misses_deadline());
            view! {
                <dt>{move || tr!("dashboard-achieved")}</dt>
                <dd data-testid="target-achieved">
                    {percent_bp(achieved_bp)} " (" {move || i18n::area(shown)} " / " {move || i18n::area(goal)} ")"
                </dd>
                <dt>{move || tr!("dashboard-missing")}</dt>
                <dd>{move || i18n::area(progress.missing)}</dd>
                <dt>{move || tr!("dashboard-months-left")}</dt>
                <dd>{progress.months_left}</dd>
                <dt>{move || tr!("dashboard-required")}</dt>
                <dd>{move || progress.required_monthly.map(i18n::area).unwrap_or_default()}</dd>
                <dt>{move || tr!("dashboard-trend")}</dt>
                <dd>{move || i18n::area(progress.trend_monthly)}</dd>
                <dt>{move || tr!("dashboard-projection")}</dt>
                <dd data-testid="target-verdict" class:warning=progress.projection.misses_deadline()>
                    {move || verdict.with_value(i18n::text)}
                    {needed.map(|needed| view! {
                        <br />
                        <span data-testid="target-needed">
                            {move || tr!("target-needed", {
                                "needed" => i18n::area(needed),
                                "trend" => i18n::area(progress.trend_monthly),
                            })}
                        </span>
                    })}
                </dd>
            }
            .into_any()
        }
    };
    view! {
        <article class="target-card" class:target-closed=outcome.is_some() data-testid="target-card">
            {heading}
            <meter class="progress" min="0" max="10000" value=achieved_bp.clamp(0, 10_000).to_string()>
                {percent_bp(achieved_bp)}
            </meter>
            <dl class="facts">{facts}</dl>
        </article>
    }
}

/// One dashboard table, with its CSV and XLSX downloads: the same rows either way.
#[component]
fn DataTable(table: Table, query: String) -> impl IntoView {
    let Table { kind, title, columns, numeric, rows, .. } = table;
    let code = kind.code();
    let lang = if i18n::lang() == Lang::En { "&lang=en" } else { "" };
    let numeric_cells = numeric.clone();
    view! {
        <div class="table-scroll">
            <table class="data-table" data-testid=format!("table-{code}")>
                <caption>
                    {title} " "
                    <a class="download" href=format!("/dashboard/export/{code}.csv?{query}{lang}") download>"CSV"</a> " "
                    <a class="download" href=format!("/dashboard/export/{code}.xlsx?{query}{lang}") download data-testid=format!("xlsx-{code}")>"XLSX"</a>
                </caption>
                <thead>
                    <tr>
                        {columns
                            .into_iter()
                            .zip(numeric)
                            .map(|(c, n)| view! { <th scope="col" class:number=n>{c}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    {row
                                        .into_iter()
                                        .zip(numeric_cells.clone())
                                        .map(|(cell, n)| {
                                            let content = match cell.href {
                                                Some(href) => view! { <a href=href>{cell.shown}</a> }.into_any(),
                                                None => cell.shown.into_any(),
                                            };
                                            view! { <td class:number=n>{content}</td> }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

// ---- targets ----------------------------------------------------------------------------------

#[component]
pub fn TargetsPage() -> impl IntoView {
    let add = ServerAction::<AddTarget>::new();
    let remove = ServerAction::<RemoveTarget>::new();
    let targets = Resource::new(move || (add.version().get(), remove.version().get()), |_| api::get_targets());
    let districts = Resource::new(|| (), |()| crate::carriers::api::list_districts());
    let errors = action_errors(add);
    let failure = action_failure(add);
    let echo = Signal::derive(move || {
        add.value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.echo::<TargetForm>()))
            .unwrap_or_default()
    });
    view! {
        <PageTitle text=|i18n| tr!(i18n, "targets-title") />
        <p class="breadcrumb"><a href="/dashboard">{move || tr!("dashboard-title")}</a></p>
        <h1>{move || tr!("targets-title")}</h1>
        {loaded(targets, move |rows| view! { <TargetList rows remove /> })}
        <h2>{move || tr!("targets-add")}</h2>
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let districts = districts.await.unwrap_or_default();
                view! {
                    <ActionForm action=add>
                        <TargetFields form=echo.get() districts errors />
                        <button type="submit" class="button button-primary">{move || tr!("targets-add")}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

/// The fields of a target, filled with `form`: the add form's and the edit form's.
#[component]
fn TargetFields(
    form: TargetForm,
    districts: Vec<domain::district::DistrictView>,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    view! {
        <div class="field-row">
            <TextField field="name_zh" label=|| tr!("targets-name-zh") value=form.name_zh.clone() errors />
            <TextField field="name_en" label=|| tr!("targets-name-en") value=form.name_en.clone() errors optional=true />
        </div>
        <div class="field">
            <label for="field-district_id">{move || tr!("targets-scope")}</label>
            <select id="field-district_id" name="form[district_id]">
                <option value="">{move || tr!("dashboard-city")}</option>
                {districts
                    .into_iter()
                    .map(|d| {
                        let selected = form.district_id == d.id.0.to_string();
                        let label = d.clone();
                        view! { <option value=d.id.0.to_string() selected=selected>{move || label.name(i18n::lang()).to_owned()}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldProblems field="district_id" errors />
        </div>
        <div class="field-row">
            <TextField field="area" label=|| tr!("targets-area") value=form.area.clone() errors />
            <TextField field="base_date" label=|| tr!("targets-base-date") value=form.base_date.clone() errors input_type="date" />
            <TextField field="deadline" label=|| tr!("targets-deadline") value=form.deadline.clone() errors input_type="date" />
        </div>
    }
}

/// One target's edit form: the fields as stored, saved from the version shown.
#[component]
pub fn EditTargetPage() -> impl IntoView {
    let id = crate::pages::id_param::<TargetId>("id");
    let save = ServerAction::<UpdateTarget>::new();
    let targets = Resource::new(|| (), |()| api::get_targets());
    let districts = Resource::new(|| (), |()| crate::carriers::api::list_districts());
    let errors = action_errors(save);
    let failure = action_failure(save);
    let echo = Signal::derive(move || {
        save.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.echo::<TargetForm>()))
    });
    view! {
        <PageTitle text=|i18n| tr!(i18n, "targets-edit-title") />
        <p class="breadcrumb">
            <a href="/dashboard">{move || tr!("dashboard-title")}</a> " › "
            <a href="/dashboard/targets">{move || tr!("targets-title")}</a>
        </p>
        <h1>{move || tr!("targets-edit-title")}</h1>
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let found = targets.await.and_then(|rows| {
                    rows.into_iter().find(|t| Some(TargetId(t.id)) == id.get()).ok_or(AppError::NotFound)
                });
                match (found, districts.await) {
                    (Ok(row), Ok(districts)) => view! {
                        <ActionForm action=save>
                            <input type="hidden" name="id" value=row.id.to_string() />
                            <input type="hidden" name="version" value=row.version.to_string() />
                            <TargetFields form=echo.get().unwrap_or_else(|| row.form()) districts errors />
                            <button type="submit" class="button button-primary">{move || tr!("targets-save")}</button>
                            " "
                            <a class="button" href="/dashboard/targets">{move || tr!("carrier-cancel")}</a>
                        </ActionForm>
                    }
                    .into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TargetList(rows: Vec<TargetRow>, remove: ServerAction<RemoveTarget>) -> impl IntoView {
    view! {
        <table class="data-table" data-testid="targets">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("targets-name-zh")}</th>
                    <th scope="col">{move || tr!("targets-scope")}</th>
                    <th scope="col" class="number">{move || tr!("targets-area")}</th>
                    <th scope="col">{move || tr!("targets-base-date")}</th>
                    <th scope="col">{move || tr!("targets-deadline")}</th>
                    <th scope="col"></th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|t| {
                        let name = t.clone();
                        let scope = t.district.clone();
                        view! {
                            <tr>
                                <th scope="row">{move || name.name(i18n::lang()).to_owned()}</th>
                                <td>
                                    {move || match &scope {
                                        Some((_, zh, en)) => i18n::names(zh, en),
                                        None => tr!("dashboard-city"),
                                    }}
                                </td>
                                <td class="number">{move || i18n::area(t.target.area)}</td>
                                <td class="date">{t.target.base_date.to_string()}</td>
                                <td class="date">{t.target.deadline.to_string()}</td>
                                <td>
                                    <a class="button button-small" href=format!("/dashboard/targets/{}", t.id)>{move || tr!("targets-edit")}</a>
                                    " "
                                    <ActionForm action=remove>
                                        <input type="hidden" name="id" value=t.id.to_string() />
                                        <button type="submit" class="button button-small">{move || tr!("targets-remove")}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
