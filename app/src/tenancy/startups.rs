//! A startup's own pages: its profile (with the credit-code check, its yearly figures, its
//! applications and leases) and the profile form.

use super::api::{self, OverrideCreditCode, SetStartupYear, UpdateStartupProfile};
use crate::components::{
    ErrorNotice, ErrorPage, FieldProblems, Loading, SelectField, TextField, coded_options, loaded,
};
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use crate::pages::{action_errors, action_failure, id_param};
use domain::carrier::Industry;
use domain::district::DistrictView;
use domain::tenancy::application::{ApplicationQuery, ApplicationRow};
use domain::tenancy::lease::LeaseView;
use domain::tenancy::startup::{ProfileForm, StartupProfileView, field};
use domain::{FieldErrors, StartupId, format};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_meta::Title;

fn startup_param() -> Memo<Option<StartupId>> {
    let id = id_param("id");
    Memo::new(move |_| id.get().map(StartupId))
}

/// Everything the profile page shows, loaded together.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct ProfilePageData {
    view: StartupProfileView,
    districts: Vec<DistrictView>,
    applications: Vec<ApplicationRow>,
    leases: Vec<LeaseView>,
}

async fn load_profile(id: Option<StartupId>) -> Result<ProfilePageData, AppError> {
    let id = id.ok_or(AppError::NotFound)?;
    let view = api::get_startup_profile(id).await?;
    let districts = crate::carriers::api::list_districts().await?;
    // Its latest page: a startup applies a few times (the queue pages the rest).
    let applications = api::list_applications_by(ApplicationQuery { startup: Some(id), ..Default::default() })
        .await
        .map(|page| page.items)
        .unwrap_or_default();
    let leases = api::list_startup_leases(id).await?;
    Ok(ProfilePageData { view, districts, applications, leases })
}

#[component]
pub fn StartupPage() -> impl IntoView {
    let id = startup_param();
    let year = ServerAction::<SetStartupYear>::new();
    let code = ServerAction::<OverrideCreditCode>::new();
    let data =
        Resource::new(move || (id.get(), year.version().get(), code.version().get()), |(id, ..)| load_profile(id));
    view! {
        <PageTitle text=|i18n| tr!(i18n, "startup-title") />
        {loaded(data, move |data| view! { <ProfileView data year code /> })}
    }
}

fn district_name(districts: &[DistrictView], id: Option<domain::DistrictId>) -> Option<(String, String)> {
    let id = id?;
    districts.iter().find(|d| d.id == id).map(|d| (d.name_zh.clone(), d.name_en.clone()))
}

fn date_or_dash(date: Option<chrono::NaiveDate>) -> impl Fn() -> String + Send + Sync + 'static {
    move || date.map_or_else(|| "—".to_owned(), i18n::date)
}

#[component]
fn ProfileView(
    data: ProfilePageData,
    year: ServerAction<SetStartupYear>,
    code: ServerAction<OverrideCreditCode>,
) -> impl IntoView {
    let ProfilePageData { view, districts, applications, leases } = data;
    let StartupProfileView { id, profile, code_override, years, members, can_edit, can_override_code, .. } = view;
    let district = district_name(&districts, profile.registered_district);
    let founders = profile.founders.clone();
    let founders = move || {
        let names: Vec<String> = founders
            .iter()
            .map(|f| match &f.title {
                Some(title) => {
                    tr!("startup-founder-with-title", { "name" => f.name.clone(), "title" => title.clone() })
                }
                None => f.name.clone(),
            })
            .collect();
        if names.is_empty() { "—".to_owned() } else { i18n::list(&names) }
    };
    let credit_code = profile.credit_code.clone();
    let code_check = credit_code.as_deref().map(domain::uscc::check);
    let industry = profile.industry;
    let (team, rd) = (profile.team_size, profile.rd_staff);
    let (applied, granted, copyrights) =
        (profile.patents_applied, profile.patents_granted, profile.software_copyrights);
    let contact = [profile.contact_name.clone(), profile.contact_phone.clone(), profile.contact_email.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let code_fails = !matches!(code_check, Some(Ok(_)));
    view! {
        <Title text=profile.name.clone() />
        <div class="page-heading">
            <h1>{profile.name.clone()}</h1>
            <div class="actions">
                <a class="button" href=format!("/startups/{id}/equity")>{move || tr!("cap-table-title")}</a>
                {can_edit.then(|| view! {
                    <a class="button" href=format!("/startups/{id}/edit")>{move || tr!("startup-edit")}</a>
                    <a class="button button-primary" href=format!("/startups/{id}/apply")>{move || tr!("startup-apply")}</a>
                })}
            </div>
        </div>
        <dl class="facts" data-testid="startup-facts">
            <dt>{move || tr!("field-credit-code")}</dt>
            <dd data-testid="credit-code">
                {match (credit_code, code_check) {
                    (Some(code), Some(Ok(_))) => view! { <span>{code}</span> " " <span class="badge badge-ok">{move || tr!("startup-code-valid")}</span> }.into_any(),
                    (Some(code), Some(Err(error))) => view! {
                        <span>{code}</span> " "
                        <span class="badge badge-warn">{move || i18n::code_error(&error)}</span>
                        {code_override.clone().map(|reason| view! { <p class="hint">{move || tr!("startup-code-overridden", { "reason" => reason.clone() })}</p> })}
                    }.into_any(),
                    _ => view! { <span>"—"</span> }.into_any(),
                }}
            </dd>
            <dt>{move || tr!("field-founded-on")}</dt>
            <dd>{date_or_dash(profile.founded_on)}</dd>
            <dt>{move || tr!("field-industry")}</dt>
            <dd>{move || industry.map_or_else(|| "—".to_owned(), i18n::industry)}</dd>
            <dt>{move || tr!("field-registered-district")}</dt>
            <dd>{move || district.clone().map_or_else(|| "—".to_owned(), |(zh, en)| if i18n::lang() == domain::Lang::En { en } else { zh })}</dd>
            <dt>{move || tr!("field-team")}</dt>
            <dd>{move || tr!("startup-team-value", { "team" => team, "rd" => rd })}</dd>
            <dt>{move || tr!("field-founders")}</dt>
            <dd>{founders}</dd>
            <dt>{move || tr!("field-contact")}</dt>
            <dd>{if contact.is_empty() { "—".to_owned() } else { contact }}</dd>
            <dt>{move || tr!("field-ip")}</dt>
            <dd>{move || tr!("startup-ip-value", { "applied" => applied, "granted" => granted, "copyrights" => copyrights })}</dd>
            <dt>{move || tr!("field-high-tech-on")}</dt>
            <dd>{date_or_dash(profile.high_tech_on)}</dd>
            <dt>{move || tr!("field-tech-sme-on")}</dt>
            <dd>{date_or_dash(profile.tech_sme_on)}</dd>
            <dt>{move || tr!("startup-members")}</dt>
            <dd>
                <ul class="plain">
                    {members.into_iter().map(|(name, email)| view! { <li>{name} " <" {email} ">"</li> }).collect_view()}
                </ul>
            </dd>
        </dl>
        {(can_override_code && code_fails).then(|| view! { <OverrideForm id action=code /> })}
        <h2>{move || tr!("startup-years")}</h2>
        <YearTable years />
        {can_edit.then(|| view! { <YearFormView id action=year /> })}
        <h2 id="applications">{move || tr!("startup-applications")}</h2>
        <ApplicationTable rows=applications />
        <h2 id="leases">{move || tr!("startup-leases")}</h2>
        <LeaseTable leases />
    }
}

#[component]
fn YearTable(years: Vec<domain::tenancy::startup::YearFigures>) -> impl IntoView {
    if years.is_empty() {
        return view! { <p class="empty">{move || tr!("startup-no-years")}</p> }.into_any();
    }
    view! {
        <table class="data-table" data-testid="year-table">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("field-year")}</th>
                    <th scope="col" class="num">{move || tr!("field-revenue")}</th>
                    <th scope="col" class="num">{move || tr!("field-rd-spend")}</th>
                    <th scope="col" class="num">{move || tr!("field-financing")}</th>
                </tr>
            </thead>
            <tbody>
                {years
                    .into_iter()
                    .map(|y| view! {
                        <tr>
                            <td>{y.year}</td>
                            <td class="num">{y.revenue.display()}</td>
                            <td class="num">{y.rd_spend.display()}</td>
                            <td class="num">{y.financing.display()}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn YearFormView(id: StartupId, action: ServerAction<SetStartupYear>) -> impl IntoView {
    let errors = action_errors(action);
    let failure = action_failure(action);
    view! {
        <details class="form-section">
            <summary>{move || tr!("startup-add-year")}</summary>
            {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action>
                <input type="hidden" name="id" value=id.to_string() />
                <div class="field-row">
                    <TextField field=field::YEAR label=|| tr!("field-year") value=String::new() errors />
                    <TextField field=field::REVENUE label=|| tr!("field-revenue-yuan") value=String::new() errors />
                    <TextField field=field::RD_SPEND label=|| tr!("field-rd-spend-yuan") value=String::new() errors />
                    <TextField field=field::FINANCING label=|| tr!("field-financing-yuan") value=String::new() errors />
                </div>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || tr!("carrier-save")}
                </button>
            </ActionForm>
        </details>
    }
}

#[component]
fn OverrideForm(id: StartupId, action: ServerAction<OverrideCreditCode>) -> impl IntoView {
    let errors = action_errors(action);
    let failure = action_failure(action);
    view! {
        <section class="form-section">
            <h2>{move || tr!("startup-override-title")}</h2>
            <p class="hint">{move || tr!("startup-override-hint")}</p>
            {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action>
                <input type="hidden" name="id" value=id.to_string() />
                <TextField field="code" label=|| tr!("field-credit-code") value=String::new() errors prefix="" />
                <TextField field="reason" label=|| tr!("startup-override-reason") value=String::new() errors prefix="" />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || tr!("startup-override")}
                </button>
            </ActionForm>
        </section>
    }
}

/// Applications in a table, newest first.
#[component]
pub fn ApplicationTable(rows: Vec<ApplicationRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">{move || tr!("applications-none")}</p> }.into_any();
    }
    view! {
        <table class="data-table" data-testid="application-table">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("applications-startup")}</th>
                    <th scope="col">{move || tr!("applications-carrier")}</th>
                    <th scope="col">{move || tr!("applications-request")}</th>
                    <th scope="col">{move || tr!("applications-start")}</th>
                    <th scope="col">{move || tr!("applications-state")}</th>
                    <th scope="col" class="num">{move || tr!("applications-age")}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let ApplicationRow { id, startup_name, carrier_name, state, request, desired_start, age_days, .. } = row;
                        view! {
                            <tr data-state=state.code()>
                                <td><a href=format!("/applications/{id}")>{startup_name}</a></td>
                                <td>{carrier_name}</td>
                                <td>{move || i18n::space_request(request)}</td>
                                <td>{move || i18n::date(desired_start)}</td>
                                <td><span class=format!("badge state-{}", state.code())>{move || i18n::application_state(state)}</span></td>
                                <td class="num">{move || age_days.map_or_else(|| "—".to_owned(), |d| tr!("applications-days", { "days" => d }))}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Leases in a table.
#[component]
pub fn LeaseTable(leases: Vec<LeaseView>) -> impl IntoView {
    if leases.is_empty() {
        return view! { <p class="empty">{move || tr!("leases-none")}</p> }.into_any();
    }
    view! {
        <table class="data-table" data-testid="lease-table">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("lease-carrier")}</th>
                    <th scope="col">{move || tr!("lease-units")}</th>
                    <th scope="col">{move || tr!("lease-period")}</th>
                    <th scope="col" class="num">{move || tr!("lease-monthly-rent")}</th>
                    <th scope="col">{move || tr!("lease-state")}</th>
                </tr>
            </thead>
            <tbody>
                {leases
                    .into_iter()
                    .map(|lease| {
                        let units: Vec<String> = lease.units.iter().map(|u| u.code.clone()).collect();
                        let period = lease.period;
                        let phase = lease.phase;
                        view! {
                            <tr>
                                <td><a href=format!("/leases/{}", lease.id)>{lease.carrier_name}</a></td>
                                <td>{move || i18n::list(&units)}</td>
                                <td>{move || period_text(period)}</td>
                                <td class="num">{lease.monthly_rent.display()}</td>
                                <td>{move || i18n::lease_phase(phase)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// `2027-01-01 – 2028-12-31`, or open-ended.
pub fn period_text(period: domain::tenancy::lease::DateRange) -> String {
    let lang = i18n::lang();
    match period.last_day() {
        Some(last) => format!(
            "{} – {}",
            format::date(period.start).render(&texts::Fluent(lang)),
            format::date(last).render(&texts::Fluent(lang))
        ),
        None => tr!("lease-open-ended", { "start" => format::date(period.start).render(&texts::Fluent(lang)) }),
    }
}

// ---- editing the profile ------------------------------------------------------------------

#[component]
pub fn EditStartupPage() -> impl IntoView {
    let id = startup_param();
    let action = ServerAction::<UpdateStartupProfile>::new();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            let id = id.ok_or(AppError::NotFound)?;
            Ok::<_, AppError>((api::get_startup_profile(id).await?, crate::carriers::api::list_districts().await?))
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "startup-edit") />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((view, districts)) if view.can_edit => view! { <ProfileFormView view districts action /> }.into_any(),
                    Ok(_) => view! { <ErrorPage error=AppError::Forbidden /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProfileFormView(
    view: StartupProfileView,
    districts: Vec<DistrictView>,
    action: ServerAction<UpdateStartupProfile>,
) -> impl IntoView {
    let errors: Signal<FieldErrors> = action_errors(action);
    let failure = action_failure(action);
    let echoed: Option<ProfileForm> =
        action.value().with_untracked(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::echo));
    let form = echoed.unwrap_or_else(|| ProfileForm::from(&view.profile));
    let district_options: Vec<(String, Signal<String>)> = districts
        .into_iter()
        .map(|d| {
            let (zh, en) = (d.name_zh, d.name_en);
            (
                d.id.to_string(),
                Signal::derive(move || if i18n::lang() == domain::Lang::En { en.clone() } else { zh.clone() }),
            )
        })
        .collect();
    let founders = form.founders.clone();
    view! {
        <p class="breadcrumb"><a href=format!("/startups/{}", view.id)>{view.profile.name.clone()}</a></p>
        <h1>{move || tr!("startup-edit")}</h1>
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        <ActionForm action>
            <input type="hidden" name="id" value=view.id.to_string() />
            <input type="hidden" name="version" value=view.version.to_string() />
            <TextField field=field::NAME label=|| tr!("field-startup-name") value=form.name errors />
            <TextField
                field=field::CREDIT_CODE
                label=|| tr!("field-credit-code")
                value=form.credit_code
                errors
                optional=true
                hint=|| tr!("field-credit-code-hint")
            />
            <div class="field-row">
                <TextField field=field::FOUNDED_ON label=|| tr!("field-founded-on") value=form.founded_on errors input_type="date" optional=true />
                <SelectField
                    field=field::INDUSTRY
                    label=|| tr!("field-industry")
                    options=coded_options(Industry::ALL, Industry::code, i18n::industry)
                    selected=form.industry
                    errors
                />
                <SelectField
                    field=field::DISTRICT
                    label=|| tr!("field-registered-district")
                    options=district_options
                    selected=form.registered_district
                    errors
                />
            </div>
            <div class="field-row">
                <TextField field=field::TEAM_SIZE label=|| tr!("field-team-size") value=form.team_size errors />
                <TextField field=field::RD_STAFF label=|| tr!("field-rd-staff") value=form.rd_staff errors />
            </div>
            <div class="field">
                <label for="field-founders">{move || tr!("field-founders")}</label>
                <textarea id="field-founders" name="form[founders]" rows="3" aria-describedby="founders-hint founders-problems">{founders}</textarea>
                <p class="hint" id="founders-hint">{move || tr!("field-founders-hint")}</p>
                <FieldProblems field=field::FOUNDERS errors />
            </div>
            <div class="field-row">
                <TextField field=field::CONTACT_NAME label=|| tr!("field-contact-name") value=form.contact_name errors optional=true />
                <TextField field=field::CONTACT_PHONE label=|| tr!("field-contact-phone") value=form.contact_phone errors optional=true input_type="tel" />
                <TextField field=field::CONTACT_EMAIL label=|| tr!("field-contact-email") value=form.contact_email errors optional=true input_type="email" />
            </div>
            <div class="field-row">
                <TextField field=field::PATENTS_APPLIED label=|| tr!("field-patents-applied") value=form.patents_applied errors />
                <TextField field=field::PATENTS_GRANTED label=|| tr!("field-patents-granted") value=form.patents_granted errors />
                <TextField field=field::SOFTWARE_COPYRIGHTS label=|| tr!("field-software-copyrights") value=form.software_copyrights errors />
            </div>
            <div class="field-row">
                <TextField field=field::HIGH_TECH_ON label=|| tr!("field-high-tech-on") value=form.high_tech_on errors input_type="date" optional=true />
                <TextField field=field::TECH_SME_ON label=|| tr!("field-tech-sme-on") value=form.tech_sme_on errors input_type="date" optional=true />
            </div>
            <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                {move || tr!("carrier-save")}
            </button>
        </ActionForm>
    }
}
