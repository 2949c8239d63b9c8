//! Accreditation readiness and annual returns: the rule sets and their criteria, each
//! carrier's checklists, the returns carriers file.

use super::api::{self, FileAnnualReturn, RemoveCriterion, SaveCriterion};
use crate::components::{ErrorNotice, FieldProblems, Pager, TextField, loaded};
use crate::i18n::{self, PageTitle};
use crate::pages::{DayPicker, action_errors, action_failure, id_param, on_param};
use domain::FieldErrors;
use domain::readiness::{
    AnnualReturnForm, AnnualReturnView, Check, Checklist, Criterion, CriterionForm, Figure, Metric, Outcome,
    ReadinessView, RuleSet, figure_text,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_router::hooks::use_query_map;

use crate::dashboard::pages::{query_district, query_number};

fn outcome_text(outcome: Outcome) -> String {
    match outcome {
        Outcome::Pass => tr!("readiness-pass"),
        Outcome::Fail => tr!("readiness-fail"),
        Outcome::Unknown => tr!("readiness-unknown"),
    }
}

fn threshold_text(metric: Metric, threshold: i64) -> String {
    if metric == Metric::Review {
        return "—".to_owned();
    }
    format!("{} ≥ {}", i18n::text(&metric.text()), i18n::text(&figure_text(metric.unit(), threshold)))
}

fn criterion_rule(c: &Criterion) -> String {
    let first = threshold_text(c.metric, c.threshold);
    match c.alternative {
        Some((m, t)) => format!("{first} {} {}", tr!("readiness-or"), threshold_text(m, t)),
        None => first,
    }
}

#[component]
pub fn ReadinessIndexPage() -> impl IntoView {
    let sets = Resource::new(|| (), |()| api::get_rule_sets());
    view! {
        <PageTitle text=|i18n| tr!(i18n, "readiness-title") />
        <h1>{move || tr!("readiness-title")}</h1>
        <p class="lead">{move || tr!("readiness-lead")}</p>
        {loaded(
            sets,
            |sets| {
                view! {
                    <ul class="links" data-testid="rule-sets">
                        {sets
                            .into_iter()
                            .map(|s| {
                                let set = s.clone();
                                view! {
                                    <li>
                                        <a href=format!("/readiness/{}", s.id)>{move || set.name(i18n::lang()).to_owned()}</a>
                                        " (" {s.criteria.len()} ")"
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            },
        )}
    }
}

#[component]
pub fn RuleSetPage() -> impl IntoView {
    let id = id_param("id");
    let on = on_param();
    let district = query_district();
    let page = query_number::<u32>("page");
    let save = ServerAction::<SaveCriterion>::new();
    let remove = ServerAction::<RemoveCriterion>::new();
    let readiness = Resource::new(
        move || (id.get(), district.get(), on.get(), page.get(), save.version().get(), remove.version().get()),
        |(id, district, on, page, _, _)| async move {
            match id {
                Some(id) => api::get_readiness(id, district, on, page).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "readiness-title") />
        <p class="breadcrumb"><a href="/readiness">{move || tr!("readiness-title")}</a></p>
        {loaded(readiness, move |view| view! { <RuleSetDetail view save remove /> })}
    }
}

#[component]
fn RuleSetDetail(
    view: ReadinessView,
    save: ServerAction<SaveCriterion>,
    remove: ServerAction<RemoveCriterion>,
) -> impl IntoView {
    let ReadinessView { rule_set, on, rows, total, page, page_size, can_edit } = view;
    let set_id = rule_set.id;
    let name = rule_set.clone();
    let errors = action_errors(save);
    let failure = action_failure(save);
    let pages = u32::try_from(total.div_ceil(u64::from(page_size))).unwrap_or(1).max(1);
    view! {
        <h1>{move || name.name(i18n::lang()).to_owned()}</h1>
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        <table class="data-table" data-testid="criteria">
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{move || tr!("readiness-criterion")}</th>
                    <th scope="col">{move || tr!("readiness-rule")}</th>
                    {can_edit.then(|| view! { <th scope="col"></th> })}
                </tr>
            </thead>
            <tbody>
                {rule_set
                    .criteria
                    .into_iter()
                    .map(|c| {
                        let shown = c.clone();
                        let rule = c.clone();
                        let form = CriterionForm::from_criterion(&c);
                        view! {
                            <tr>
                                <td>{c.position}</td>
                                <th scope="row">{move || shown.label(i18n::lang()).to_owned()}</th>
                                <td>{move || criterion_rule(&rule)}</td>
                                {can_edit.then(|| view! {
                                    <td>
                                        <details>
                                            <summary>{move || tr!("readiness-edit")}</summary>
                                            <CriterionFields action=save set=set_id criterion=Some(c.id) form errors />
                                        </details>
                                        <ActionForm action=remove>
                                            <input type="hidden" name="set" value=set_id.to_string() />
                                            <input type="hidden" name="criterion" value=c.id.to_string() />
                                            <button type="submit" class="button button-small">{move || tr!("readiness-remove")}</button>
                                        </ActionForm>
                                    </td>
                                })}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        {can_edit.then(|| view! {
            <details class="add-criterion">
                <summary>{move || tr!("readiness-add")}</summary>
                <CriterionFields action=save set=set_id criterion=None form=CriterionForm::default() errors />
            </details>
        })}
        <h2>{move || tr!("readiness-carriers", { "count" => i64::try_from(total).unwrap_or(0) })}</h2>
        <DayPicker on action=format!("/readiness/{set_id}") />
        <table class="data-table" data-testid="readiness-carriers">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("field-name")}</th>
                    <th scope="col">{move || tr!("field-district")}</th>
                    <th scope="col" class="number">{move || tr!("readiness-pass")}</th>
                    <th scope="col" class="number">{move || tr!("readiness-fail")}</th>
                    <th scope="col" class="number">{move || tr!("readiness-unknown")}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <th scope="row"><a href=format!("/carriers/{}/readiness?on={on}", r.carrier)>{r.name}</a></th>
                                <td>{move || i18n::names(&r.district_zh, &r.district_en)}</td>
                                <td class="number">{r.pass}</td>
                                <td class="number">{r.fail}</td>
                                <td class="number">{r.unknown}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        {(pages > 1).then(|| {
            let district = use_query_map().with_untracked(|q| q.get_str("district").map(|d| format!("&district={d}"))).unwrap_or_default();
            view! { <Pager page pages href=move |n| format!("/readiness/{set_id}?on={on}&page={n}{district}") /> }
        })}
    }
}

#[component]
fn CriterionFields(
    action: ServerAction<SaveCriterion>,
    set: i64,
    criterion: Option<i64>,
    form: CriterionForm,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let suffix = criterion.map_or_else(|| "new".to_owned(), |c| c.to_string());
    let metric_select = move |name: &'static str, selected: String, id: String, optional: bool| {
        view! {
            <select id=id name=name>
                {optional.then(|| view! { <option value="">"—"</option> })}
                {Metric::ALL
                    .iter()
                    .map(|m| {
                        let chosen = m.code() == selected;
                        let m = *m;
                        view! { <option value=m.code() selected=chosen>{move || i18n::text(&m.text())}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    view! {
        <ActionForm action>
            <input type="hidden" name="set" value=set.to_string() />
            {criterion.map(|c| view! { <input type="hidden" name="criterion" value=c.to_string() /> })}
            <TextField field="label_zh" label=|| tr!("readiness-label-zh") value=form.label_zh.clone() errors id=format!("label-zh-{suffix}") />
            <TextField field="label_en" label=|| tr!("readiness-label-en") value=form.label_en.clone() errors optional=true id=format!("label-en-{suffix}") />
            <div class="field-row">
                <div class="field">
                    <label for=format!("metric-{suffix}")>{move || tr!("readiness-metric")}</label>
                    {metric_select("form[metric]", form.metric.clone(), format!("metric-{suffix}"), false)}
                </div>
                <TextField field="threshold" label=|| tr!("readiness-threshold") value=form.threshold.clone() errors hint=|| tr!("readiness-threshold-hint") id=format!("threshold-{suffix}") />
            </div>
            <div class="field-row">
                <div class="field">
                    <label for=format!("or-metric-{suffix}")>{move || tr!("readiness-or-metric")}</label>
                    {metric_select("form[or_metric]", form.or_metric.clone(), format!("or-metric-{suffix}"), true)}
                    <FieldProblems field="or_metric" errors />
                </div>
                <TextField field="or_threshold" label=|| tr!("readiness-threshold") value=form.or_threshold.clone() errors optional=true id=format!("or-threshold-{suffix}") />
            </div>
            <button type="submit" class="button button-primary">{move || tr!("readiness-save")}</button>
        </ActionForm>
    }
}

#[component]
pub fn ChecklistPage() -> impl IntoView {
    let id = id_param("id");
    let on = on_param();
    let lists = Resource::new(
        move || (id.get(), on.get()),
        |(id, on)| async move {
            match id {
                Some(id) => api::get_checklists(id, on).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "checklist-title") />
        {loaded(lists, move |lists| view! { <Checklists lists /> })}
    }
}

#[component]
fn Checklists(lists: Vec<Checklist>) -> impl IntoView {
    let Some(first) = lists.first().cloned() else {
        return view! { <p class="empty">{move || tr!("checklist-none")}</p> }.into_any();
    };
    let carrier = first.carrier;
    view! {
        <p class="breadcrumb"><a href=format!("/carriers/{carrier}")>{first.carrier_name.clone()}</a></p>
        <h1>{move || tr!("checklist-title")}</h1>
        <DayPicker on=first.on action=format!("/carriers/{carrier}/readiness") />
        <p>
            <a href=format!("/carriers/{carrier}/annual")>{move || tr!("annual-title")}</a>
        </p>
        {lists
            .into_iter()
            .map(|list| {
                let set: RuleSet = list.rule_set.clone();
                let counts = (list.count(Outcome::Pass), list.count(Outcome::Fail), list.count(Outcome::Unknown));
                view! {
                    <section>
                        <h2>{move || set.name(i18n::lang()).to_owned()}</h2>
                        <p>{move || tr!("checklist-summary", { "pass" => counts.0, "fail" => counts.1, "unknown" => counts.2 })}</p>
                        <table class="data-table checklist" data-testid="checklist">
                            <thead>
                                <tr>
                                    <th scope="col">{move || tr!("readiness-criterion")}</th>
                                    <th scope="col">{move || tr!("readiness-outcome")}</th>
                                    <th scope="col">{move || tr!("readiness-figure")}</th>
                                    <th scope="col">{move || tr!("readiness-rule")}</th>
                                    <th scope="col">{move || tr!("readiness-source")}</th>
                                </tr>
                            </thead>
                            <tbody>{list.checks.into_iter().map(|check| view! { <CheckRow check /> }).collect_view()}</tbody>
                        </table>
                    </section>
                }
            })
            .collect_view()}
    }
    .into_any()
}

fn figure_cell(metric: Metric, figure: Figure) -> String {
    match figure.value {
        Some(v) => {
            tr!("readiness-figure-value", { "metric" => i18n::text(&metric.text()), "value" => i18n::text(&figure_text(metric.unit(), v)) })
        }
        None if metric == Metric::Review => tr!("readiness-review"),
        None => {
            tr!("readiness-figure-value", { "metric" => i18n::text(&metric.text()), "value" => tr!("readiness-not-recorded") })
        }
    }
}

#[component]
fn CheckRow(check: Check) -> impl IntoView {
    let Check { criterion, figure, alternative, outcome } = check;
    let label = criterion.clone();
    let rule = criterion.clone();
    let alt_metric = criterion.alternative.map(|(m, _)| m);
    view! {
        <tr class=format!("outcome-{}", outcome.code())>
            <th scope="row">{move || label.label(i18n::lang()).to_owned()}</th>
            <td><span class=format!("badge badge-{}", outcome.code())>{move || outcome_text(outcome)}</span></td>
            <td>
                {move || figure_cell(criterion.metric, figure)}
                {move || alt_metric.zip(alternative).map(|(m, f)| view! { <br /> {figure_cell(m, f)} })}
            </td>
            <td>{move || criterion_rule(&rule)}</td>
            <td>
                {move || i18n::text(&figure.source.text())}
                {move || alternative.map(|f| format!(" / {}", i18n::text(&f.source.text())))}
            </td>
        </tr>
    }
}

/// A form field's name and the function that labels it.
type LabelledField = (&'static str, fn() -> String);

// ---- annual returns ---------------------------------------------------------------------------

#[component]
pub fn AnnualReturnPage() -> impl IntoView {
    let id = id_param("id");
    let year = query_number::<i32>("year");
    let saved = query_number::<u8>("saved");
    let file = ServerAction::<FileAnnualReturn>::new();
    let view = Resource::new(
        move || (id.get(), year.get()),
        |(id, year)| async move {
            match id {
                Some(id) => api::get_annual_return(id, year).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "annual-title") />
        {move || saved.get().map(|_| view! { <div class="notice notice-success" role="status">{move || tr!("annual-saved")}</div> })}
        {loaded(view, move |view| view! { <AnnualReturnDetail view file /> })}
    }
}

#[component]
fn AnnualReturnDetail(view: AnnualReturnView, file: ServerAction<FileAnnualReturn>) -> impl IntoView {
    let AnnualReturnView { carrier, carrier_name, year, filed, years_filed, can_edit } = view;
    let errors = action_errors(file);
    let failure = action_failure(file);
    let initial = filed
        .as_ref()
        .map(AnnualReturnForm::from_return)
        .unwrap_or_else(|| AnnualReturnForm { year: year.to_string(), ..AnnualReturnForm::default() });
    let form = move || {
        file.value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.echo::<AnnualReturnForm>()))
            .unwrap_or_else(|| initial.clone())
    };
    let fields: [LabelledField; 10] = [
        ("fund", || tr!("annual-fund")),
        ("income_rent", || tr!("annual-income-rent")),
        ("income_services", || tr!("annual-income-services")),
        ("income_investment", || tr!("annual-income-investment")),
        ("income_other", || tr!("annual-income-other")),
        ("staff_total", || tr!("annual-staff-total")),
        ("staff_professional", || tr!("annual-staff-professional")),
        ("mentors", || tr!("annual-mentors")),
        ("typical_cases", || tr!("annual-typical-cases")),
        ("events_held", || tr!("annual-events-held")),
    ];
    view! {
        <p class="breadcrumb"><a href=format!("/carriers/{carrier}")>{carrier_name}</a></p>
        <h1>{move || tr!("annual-title")} " " {year}</h1>
        <p>
            {move || tr!("annual-filed-years")} ": "
            {move || if years_filed.is_empty() { "—".to_owned() } else { i18n::list(&years_filed.iter().map(|y| y.to_string()).collect::<Vec<_>>()) }}
        </p>
        <p>
            {move || tr!("torch-report", { "year" => year })} ": "
            <a href=format!("/reports/torch.xlsx?year={year}&carrier={carrier}") download>"XLSX"</a> " · "
            <a href=format!("/reports/torch.csv?year={year}&carrier={carrier}") download>"CSV"</a>
        </p>
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        {can_edit.then(|| view! {
            {move || {
                let form = form();
                let values = [
                    form.fund.clone(),
                    form.income_rent.clone(),
                    form.income_services.clone(),
                    form.income_investment.clone(),
                    form.income_other.clone(),
                    form.staff_total.clone(),
                    form.staff_professional.clone(),
                    form.mentors.clone(),
                    form.typical_cases.clone(),
                    form.events_held.clone(),
                ];
                view! {
                    <ActionForm action=file>
                        <input type="hidden" name="carrier" value=carrier.to_string() />
                        <TextField field="year" label=|| tr!("annual-year") value=form.year.clone() errors />
                        <div class="field-grid">
                            {fields
                                .into_iter()
                                .zip(values)
                                .map(|((field, label), value)| view! { <TextField field label value errors /> })
                                .collect_view()}
                        </div>
                        <button type="submit" class="button button-primary">{move || tr!("annual-save")}</button>
                    </ActionForm>
                }
            }}
        })}
    }
}
