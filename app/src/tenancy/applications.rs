//! Applications for space: the startup's form, the operators' queue, one application with its
//! decision, and admission (choosing units on the floor plan and signing the lease).

use super::api::{self, AdmitApplication, CreateApplication, MoveApplication};
use super::startups::ApplicationTable;
use crate::components::{
    ErrorNotice, ErrorPage, FieldProblems, FilterFold, Loading, Pager, SelectField, TextField, coded_options, loaded,
    query_string,
};
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use crate::pages::{action_errors, action_failure, id_param};
use chrono::{Days, Months, NaiveDate};
use domain::carrier::DirectoryEntry;
use domain::space::{FloorView, UnitStatus, monthly_list_rent};
use domain::tenancy::application::{
    Age, ApplicationForm, ApplicationQuery, ApplicationState, ApplicationView, Eligibility, RequestKind, Transition,
    field,
};
use domain::tenancy::lease::{LeaseForm, field as lease_field};
use domain::{FieldErrors, Money, StartupId};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

// ---- applying ------------------------------------------------------------------------------

#[component]
pub fn ApplyPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    // Applying from the catalogue: the carrier, and the unit's size and name, come in the address.
    let chosen = query.with_untracked(|q| Chosen {
        carrier: q.get_str("carrier").unwrap_or_default().to_owned(),
        kind: q.get_str("kind").and_then(RequestKind::from_code),
        desks: q.get_str("desks").unwrap_or_default().chars().take(8).collect(),
        area: q.get_str("area").unwrap_or_default().chars().take(16).collect(),
        unit: q.get_str("unit").map(|u| u.chars().take(60).collect()),
    });
    let action = ServerAction::<CreateApplication>::new();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            let id: StartupId = id.ok_or(AppError::NotFound)?;
            let profile = api::get_startup_profile(id).await?;
            if !profile.can_edit {
                return Err(AppError::Forbidden);
            }
            Ok((profile.id, profile.profile.name, api::list_carrier_directory().await?))
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "apply-title") />
        <Suspense fallback=Loading>
            {move || {
                let chosen = chosen.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((startup, name, carriers)) => {
                            view! { <ApplyForm startup name carriers action chosen /> }.into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// What the catalogue chose before the form opened: the carrier and, for a unit, its size and
/// name.
#[derive(Debug, Clone, Default)]
struct Chosen {
    carrier: String,
    kind: Option<RequestKind>,
    desks: String,
    area: String,
    unit: Option<String>,
}

#[component]
fn ApplyForm(
    startup: StartupId,
    name: String,
    carriers: Vec<DirectoryEntry>,
    action: ServerAction<CreateApplication>,
    chosen: Chosen,
) -> impl IntoView {
    let errors = action_errors(action);
    let failure = action_failure(action);
    let echoed: Option<ApplicationForm> =
        action.value().with_untracked(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::echo));
    let form = echoed.unwrap_or_else(|| ApplicationForm {
        carrier_id: chosen.carrier.clone(),
        request_kind: chosen.kind.unwrap_or(RequestKind::Desks).code().to_owned(),
        desks: chosen.desks.clone(),
        area: chosen.area.clone(),
        desired_start: crate::pages::today()
            .checked_add_days(Days::new(14))
            .unwrap_or(crate::pages::today())
            .to_string(),
        duration_months: "12".to_owned(),
        summary: chosen
            .unit
            .as_ref()
            .map(|unit| tr!("apply-unit-wanted", { "unit" => unit.clone() }))
            .unwrap_or_default(),
    });
    let carrier_options: Vec<(String, Signal<String>)> = carriers
        .into_iter()
        .map(|c| {
            let label = format!("{} · {}", c.name, c.district_zh);
            let label_en = format!("{} · {}", c.name, c.district_en);
            (
                c.id.to_string(),
                Signal::derive(move || if i18n::lang() == domain::Lang::En { label_en.clone() } else { label.clone() }),
            )
        })
        .collect();
    let summary = form.summary.clone();
    view! {
        <p class="breadcrumb"><a href=format!("/startups/{startup}")>{name}</a></p>
        <h1>{move || tr!("apply-title")}</h1>
        <p class="lead">{move || tr!("apply-lead")}</p>
        <p class="hint"><a href="/space">{move || tr!("apply-find-space")}</a></p>
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        <ActionForm action>
            <input type="hidden" name="startup" value=startup.to_string() />
            <SelectField field=field::CARRIER label=|| tr!("apply-carrier") options=carrier_options selected=form.carrier_id errors />
            <div class="field-row">
                <SelectField
                    field=field::KIND
                    label=|| tr!("apply-kind")
                    options=coded_options(RequestKind::ALL, RequestKind::code, request_kind)
                    selected=form.request_kind
                    errors
                />
                <TextField field=field::DESKS label=|| tr!("apply-desks") value=form.desks errors hint=|| tr!("apply-desks-hint") />
                <TextField field=field::AREA label=|| tr!("apply-area") value=form.area errors hint=|| tr!("apply-area-hint") />
            </div>
            <div class="field-row">
                <TextField
                    field=field::START
                    label=|| tr!("apply-start")
                    value=form.desired_start
                    errors
                    input_type="date"
                    hint=|| tr!("apply-start-hint")
                />
                <TextField
                    field=field::DURATION
                    label=|| tr!("apply-duration")
                    value=form.duration_months
                    errors
                    hint=|| tr!("apply-duration-hint")
                />
            </div>
            <div class="field">
                <label for="field-summary">{move || tr!("apply-summary")}</label>
                <textarea id="field-summary" name="form[summary]" rows="6" aria-describedby="summary-hint summary-problems">{summary}</textarea>
                <p class="hint" id="summary-hint">{move || tr!("apply-summary-hint")}</p>
                <FieldProblems field=field::SUMMARY errors />
            </div>
            <p class="hint">{move || tr!("apply-document-later")}</p>
            <div class="actions">
                <button type="submit" name="submit" value="true" class="button button-primary" disabled=move || action.pending().get()>
                    {move || tr!("apply-submit")}
                </button>
                <button type="submit" name="submit" value="false" class="button" disabled=move || action.pending().get()>
                    {move || tr!("apply-save-draft")}
                </button>
            </div>
        </ActionForm>
    }
}

fn request_kind(kind: RequestKind) -> String {
    match kind {
        RequestKind::Desks => tr!("apply-kind-desks"),
        RequestKind::Area => tr!("apply-kind-area"),
    }
}

fn age_label(age: Age) -> String {
    match age {
        Age::Week => tr!("applications-age-week"),
        Age::Month => tr!("applications-age-month"),
        Age::Older => tr!("applications-age-older"),
    }
}

// ---- the queue -----------------------------------------------------------------------------

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| {
            ApplicationQuery::from_pairs(
                ["carrier", "state", "age", "page"].into_iter().filter_map(|k| q.get_str(k).map(|v| (k, v))),
            )
        })
    });
    let rows = Resource::new(move || filters.get(), api::list_applications_by);
    view! {
        <PageTitle text=|i18n| tr!(i18n, "applications-title") />
        <h1>{move || tr!("applications-title")}</h1>
        {move || {
            let current = filters.get();
            view! { <QueueFilters current /> }
        }}
        {loaded(rows, move |page| {
            let pages = page.page_count();
            let current = page.page;
            let filters = filters.get_untracked().to_pairs();
            let href = move |n: u32| {
                let mut pairs = filters.clone();
                pairs.push(("page", n.to_string()));
                format!("/applications?{}", query_string(&pairs))
            };
            view! {
                <ApplicationTable rows=page.items />
                {(pages > 1).then(|| view! { <Pager page=current pages href /> })}
            }
        })}
    }
}

#[component]
fn QueueFilters(current: ApplicationQuery) -> impl IntoView {
    let state = current.state.map(|s| s.code().to_owned()).unwrap_or_default();
    let age = current.age.map(|a| a.code().to_owned()).unwrap_or_default();
    let filtered = current.state.is_some() || current.age.is_some();
    view! {
        <FilterFold id="fold-applications" open=filtered>
            <Form method="GET" action="/applications">
                <div class="filters">
                    {current.carrier.map(|c| view! { <input type="hidden" name="carrier" value=c.to_string() /> })}
                    <label>
                        {move || tr!("applications-state")} " "
                        <select name="state">
                            <option value="" selected=state.is_empty()>{move || tr!("applications-any")}</option>
                            {ApplicationState::ALL
                                .iter()
                                .map(|&s| view! { <option value=s.code() selected=state == s.code()>{move || i18n::application_state(s)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label>
                        {move || tr!("applications-submitted")} " "
                        <select name="age">
                            <option value="" selected=age.is_empty()>{move || tr!("applications-any")}</option>
                            {Age::ALL
                                .iter()
                                .map(|&a| view! { <option value=a.code() selected=age == a.code()>{move || age_label(a)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="button">{move || tr!("applications-filter")}</button>
                </div>
            </Form>
        </FilterFold>
    }
}

// ---- one application -----------------------------------------------------------------------

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let id = id_param("id");
    let action = ServerAction::<MoveApplication>::new();
    let data = Resource::new(
        move || (id.get(), action.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => api::get_application(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "application-title") />
        {loaded(data, move |view| view! { <ApplicationDetail view action /> })}
    }
}

#[component]
fn ApplicationDetail(view: ApplicationView, action: ServerAction<MoveApplication>) -> impl IntoView {
    let next = view.next_step();
    let ApplicationView {
        id,
        startup,
        startup_name,
        carrier_name,
        state,
        request,
        desired_start,
        duration_months,
        summary,
        document,
        decision_reason,
        submitted_at,
        eligibility,
        allowed,
        lease,
        ..
    } = view;
    let next_step = next;
    let failure = action_failure(action);
    let errors = action_errors(action);
    let upload_error = use_query_map().with_untracked(|q| q.get("error"));
    // The applicant may (re)place the plan until the review starts.
    let can_upload = allowed.contains(&Transition::Withdraw)
        && matches!(state, ApplicationState::Draft | ApplicationState::Submitted);
    let moves: Vec<Transition> =
        allowed.iter().copied().filter(|t| !matches!(t, Transition::Admit | Transition::Reject)).collect();
    let can_decide = allowed.contains(&Transition::Admit);
    view! {
        <Title text=startup_name.clone() />
        <p class="breadcrumb"><a href="/applications">{move || tr!("applications-title")}</a></p>
        <div class="page-heading">
            <h1>{move || tr!("application-heading", { "startup" => startup_name.clone(), "carrier" => carrier_name.clone() })}</h1>
            <span class=format!("badge state-{}", state.code()) data-testid="application-state">{move || i18n::application_state(state)}</span>
        </div>
        <p class="notice next-step" role="status" data-testid="next-step">
            {move || i18n::text(&next_step)}
            {matches!(state, ApplicationState::Rejected | ApplicationState::Withdrawn).then(|| view! {
                " " <a href="/space">{move || tr!("apply-find-space")}</a>
            })}
        </p>
        {decision_reason.map(|reason| view! {
            <div class="notice notice-error" data-testid="decision-reason">
                <strong>{move || tr!("application-reason")}</strong> " " {let reason = domain::text::stored(&reason); move || i18n::text(&reason)}
            </div>
        })}
        {lease.map(|lease| view! {
            <p class="notice" role="status"><a href=format!("/leases/{lease}")>{move || tr!("application-see-lease")}</a></p>
        })}
        <dl class="facts">
            <dt>{move || tr!("applications-startup")}</dt>
            <dd><a href=format!("/startups/{startup}")>{move || tr!("application-profile")}</a></dd>
            <dt>{move || tr!("applications-request")}</dt>
            <dd>{move || i18n::space_request(request)}</dd>
            <dt>{move || tr!("applications-start")}</dt>
            <dd>{move || tr!("application-start-duration", { "start" => i18n::date(desired_start), "months" => duration_months })}</dd>
            <dt>{move || tr!("applications-submitted")}</dt>
            <dd>{move || submitted_at.map_or_else(|| "—".to_owned(), |t| i18n::date(domain::time::china_date(t)))}</dd>
            <dt>{move || tr!("apply-summary")}</dt>
            <dd class="prose">{summary}</dd>
            <dt>{move || tr!("application-document")}</dt>
            <dd>
                {match document {
                    Some(doc) => view! {
                        <a href=format!("/documents/{}", doc.id) download="" data-testid="document-link">{doc.file_name.clone()}</a>
                        " " {format!("({} KB)", (doc.size + 1023) / 1024)}
                    }.into_any(),
                    None => view! { <span>{move || tr!("application-no-document")}</span> }.into_any(),
                }}
            </dd>
        </dl>
        {eligibility.map(|e| view! { <EligibilityHints eligibility=e /> })}
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        {can_upload.then(|| view! { <DocumentUpload id error=upload_error.clone() /> })}
        {(!moves.is_empty()).then(|| view! {
            <div class="actions">
                {moves
                    .into_iter()
                    .map(|t| view! {
                        <ActionForm action>
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="transition" value=t.code() />
                            <button type="submit" class="button" disabled=move || action.pending().get()>{move || i18n::transition(t)}</button>
                        </ActionForm>
                    })
                    .collect_view()}
            </div>
        })}
        {can_decide.then(|| view! {
            <section class="form-section" data-testid="decision">
                <h2>{move || tr!("application-decide")}</h2>
                <a class="button button-primary" href=format!("/applications/{id}/admit")>{move || tr!("application-admit")}</a>
                <ActionForm action>
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="transition" value=Transition::Reject.code() />
                    <div class="field">
                        <label for="field-reason">{move || tr!("application-reject-reason")}</label>
                        <textarea id="field-reason" name="reason" rows="3" aria-describedby="reason-problems"></textarea>
                        <FieldProblems field=field::REASON errors />
                    </div>
                    <button type="submit" class="button button-danger" disabled=move || action.pending().get()>{move || i18n::transition(Transition::Reject)}</button>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
fn EligibilityHints(eligibility: Eligibility) -> impl IntoView {
    use domain::tenancy::application::Verdict;
    let mark = |ok: Option<bool>| match ok {
        Some(true) => ("hint-ok", "✓"),
        Some(false) => ("hint-fail", "✗"),
        None => ("hint-unknown", "?"),
    };
    let verdict = |v: Verdict| {
        mark(match v {
            Verdict::Pass => Some(true),
            Verdict::Fail => Some(false),
            Verdict::Unknown => None,
        })
    };
    let young = verdict(eligibility.founded);
    let city = verdict(eligibility.registered_here);
    let sme = verdict(eligibility.tech_sme);
    let code = mark(if eligibility.code_overridden { Some(true) } else { eligibility.valid_code });
    let overridden = eligibility.code_overridden;
    let founded_evidence = move || match (eligibility.founded_on, eligibility.founded_months) {
        (Some(on), Some(months)) => tr!("eligibility-founded-evidence", {
            "date" => i18n::date(on),
            "months" => i64::from(months),
        }),
        _ => tr!("eligibility-not-recorded"),
    };
    let (carrier_zh, carrier_en) = eligibility.carrier_district.clone();
    let registered = eligibility.registered_district.clone();
    let district_evidence = move || {
        let pick = |(zh, en): &(String, String)| if i18n::lang() == domain::Lang::En { en.clone() } else { zh.clone() };
        let here = pick(&(carrier_zh.clone(), carrier_en.clone()));
        match &registered {
            Some(names) => tr!("eligibility-district-evidence", { "registered" => pick(names), "carrier" => here }),
            None => tr!("eligibility-not-recorded"),
        }
    };
    let sme_evidence = move || match eligibility.tech_sme_on {
        Some(on) => tr!("eligibility-sme-evidence", { "date" => i18n::date(on) }),
        None => tr!("eligibility-not-recorded"),
    };
    view! {
        <section class="eligibility" data-testid="eligibility">
            <h2>{move || tr!("eligibility-title")}</h2>
            <p class="hint">{move || tr!("eligibility-hint")}</p>
            <ul class="plain">
                <li class=young.0 data-testid="eligibility-founded">
                    {young.1} " " {move || tr!("eligibility-young")} " — " <span class="muted">{founded_evidence}</span>
                </li>
                <li class=city.0 data-testid="eligibility-district">
                    {city.1} " " {move || tr!("eligibility-city")} " — " <span class="muted">{district_evidence}</span>
                </li>
                <li class=sme.0 data-testid="eligibility-sme">
                    {sme.1} " " {move || tr!("eligibility-sme")} " — " <span class="muted">{sme_evidence}</span>
                </li>
                <li class=code.0>
                    {code.1} " " {move || tr!("eligibility-code")}
                    {overridden.then(|| view! { " " {move || tr!("eligibility-code-overridden")} })}
                </li>
            </ul>
        </section>
    }
}

/// A plain multipart form: it works the same with or without JavaScript.
#[component]
fn DocumentUpload(id: i64, error: Option<String>) -> impl IntoView {
    let message = error.map(|e| match e.as_str() {
        "type" => tr!("document-error-type"),
        "size" => tr!("document-error-size"),
        "files" => tr!("document-error-files"),
        "quota" => tr!("document-error-quota"),
        "busy" => tr!("document-error-busy"),
        _ => tr!("document-error-read"),
    });
    view! {
        <section class="form-section">
            <h2>{move || tr!("document-title")}</h2>
            {message.map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
            <form method="post" action=format!("/applications/{id}/document") enctype="multipart/form-data">
                <div class="field">
                    <label for="document">{move || tr!("document-choose")}</label>
                    <input id="document" type="file" name="document" accept="application/pdf,.pdf" required />
                    <p class="hint">{move || tr!("document-hint")}</p>
                </div>
                <button type="submit" class="button">{move || tr!("document-upload")}</button>
            </form>
        </section>
    }
}

// ---- admission -----------------------------------------------------------------------------

#[component]
pub fn AdmitPage() -> impl IntoView {
    let id = id_param("id");
    let action = ServerAction::<AdmitApplication>::new();
    let data = Resource::new(
        move || (id.get(), action.version().get()),
        |(id, _)| async move {
            let id = id.ok_or(AppError::NotFound)?;
            let application = api::get_application(id).await?;
            if !application.allowed.contains(&Transition::Admit) {
                return Err(AppError::Forbidden);
            }
            let floors = api::get_carrier_floors(application.carrier, application.desired_start).await?;
            Ok((application, floors))
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "admit-title") />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((application, floors)) => view! { <AdmitForm application floors action /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdmitForm(
    application: ApplicationView,
    floors: Vec<FloorView>,
    action: ServerAction<AdmitApplication>,
) -> impl IntoView {
    let errors: Signal<FieldErrors> = action_errors(action);
    let failure = action_failure(action);
    let echoed: Option<LeaseForm> =
        action.value().with_untracked(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::echo));
    let start = application.desired_start;
    let last: NaiveDate = start
        .checked_add_months(Months::new(application.duration_months))
        .and_then(|d| d.checked_sub_days(Days::new(1)))
        .unwrap_or(start);
    let form = echoed.unwrap_or_else(|| LeaseForm {
        starts_on: start.to_string(),
        ends_on: last.to_string(),
        rent_free_months: "0".to_owned(),
        ..Default::default()
    });
    let chosen: Vec<String> = form.units.clone();
    // The list rent of the ticked units, summed as they are ticked (with JavaScript).
    let selected = RwSignal::new(chosen.iter().filter_map(|u| u.parse::<i64>().ok()).collect::<Vec<_>>());
    let list_rents: Vec<(i64, Money)> = floors
        .iter()
        .flat_map(|f| f.units.iter())
        .map(|u| (u.id, monthly_list_rent(u.spec.rent, u.spec.usable, u.spec.desks)))
        .collect();
    let list_total =
        move || selected.with(|s| list_rents.iter().filter(|(id, _)| s.contains(id)).map(|(_, r)| *r).sum::<Money>());
    let shareholder = application.landlord_shareholder;
    let mut index = 0usize;
    let floor_views = floors
        .into_iter()
        .map(|floor| {
            let units = floor
                .units
                .into_iter()
                .map(|unit| {
                    let name = format!("lease[units][{index}]");
                    index += 1;
                    let free = unit.status == UnitStatus::Vacant;
                    let checked = chosen.contains(&unit.id.to_string());
                    let uid = unit.id;
                    let status = unit.status;
                    let spec = unit.spec;
                    let rent = monthly_list_rent(spec.rent, spec.usable, spec.desks);
                    view! {
                        <li class=format!("unit-tile status-{}", status.code()) data-status=status.code()>
                            <label class="unit-pick">
                                <input
                                    type="checkbox"
                                    name=name
                                    value=uid.to_string()
                                    checked=checked
                                    disabled=!free
                                    data-unit=unit.code.clone()
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        selected.update(|s| {
                                            s.retain(|x| *x != uid);
                                            if on { s.push(uid); }
                                        });
                                    }
                                />
                                <span class="unit-code">{unit.code.clone()}</span>
                            </label>
                            <span class="unit-kind">{move || i18n::unit_kind(spec.kind)}</span>
                            <span class="unit-area">{move || i18n::area(spec.usable)}</span>
                            {spec.desks.map(|desks| view! { <span class="unit-desks">{move || tr!("spaces-desks", { "desks" => desks })}</span> })}
                            <span class="unit-rent">{rent.display()}</span>
                            <span class="unit-status">{move || i18n::unit_status(status)}</span>
                            {unit.tenant.map(|t| view! { <span class="unit-tenant">{t.name}</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="floor-pick">
                    <legend>{format!("{} · {} · {}", floor.site, floor.building, floor.label)}</legend>
                    <ul class="unit-grid">{units}</ul>
                </fieldset>
            }
        })
        .collect_view();
    let name = application.startup_name.clone();
    view! {
        <p class="breadcrumb"><a href=format!("/applications/{}", application.id)>{name.clone()}</a></p>
        <h1>{move || tr!("admit-heading", { "startup" => name.clone() })}</h1>
        <p class="lead">
            {move || tr!("admit-lead", { "request" => i18n::space_request(application.request), "start" => i18n::date(start) })}
        </p>
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        <ActionForm action>
            <input type="hidden" name="id" value=application.id.to_string() />
            <h2>{move || tr!("admit-units")}</h2>
            <p class="hint">{move || tr!("admit-units-hint")}</p>
            <FieldProblems field=lease_field::UNITS errors />
            {floor_views}
            <h2>{move || tr!("admit-terms")}</h2>
            <div class="field-row">
                <TextField field=lease_field::STARTS_ON label=|| tr!("lease-starts-on") value=form.starts_on errors input_type="date" prefix="lease" />
                <TextField field=lease_field::ENDS_ON label=|| tr!("lease-ends-on") value=form.ends_on errors input_type="date" prefix="lease" optional=true />
            </div>
            <div class="field-row">
                <TextField field=lease_field::RENT label=|| tr!("lease-monthly-rent-yuan") value=form.monthly_rent errors prefix="lease" optional=true hint=|| tr!("lease-rent-hint") />
                <TextField field=lease_field::RENT_FREE label=|| tr!("lease-rent-free") value=form.rent_free_months errors prefix="lease" />
                <TextField field=lease_field::DEPOSIT label=|| tr!("lease-deposit-yuan") value=form.deposit errors prefix="lease" optional=true />
            </div>
            <p class="hint" data-testid="list-rent-total">{move || tr!("admit-list-total", { "total" => list_total().display() })}</p>
            {shareholder.then(|| view! {
                <fieldset class="form-section">
                    <legend>{move || tr!("lease-equity-title")}</legend>
                    <p class="hint">{move || tr!("lease-equity-hint")}</p>
                    <div class="field-row">
                        <TextField field=lease_field::EQUITY_MONTHS label=|| tr!("lease-equity-months") value=form.equity_months.clone() errors prefix="lease" optional=true />
                        <TextField field=lease_field::EQUITY_AMOUNT label=|| tr!("lease-equity-amount") value=form.equity_monthly_amount.clone() errors prefix="lease" optional=true />
                        <TextField field=lease_field::EQUITY_VALUATION label=|| tr!("lease-equity-valuation") value=form.equity_valuation.clone() errors prefix="lease" optional=true />
                    </div>
                </fieldset>
            })}
            <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                {move || tr!("admit-sign")}
            </button>
        </ActionForm>
    }
}

/// The queue filtered to one carrier, for links from the carrier's page.
pub fn queue_href(carrier: domain::CarrierId) -> String {
    format!("/applications?{}", query_string(&[("carrier", carrier.to_string())]))
}
