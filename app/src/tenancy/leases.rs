//! Leases and tenants: one lease with its events, a carrier's rent roll with the leases about to
//! end, its tenants through their lifecycle, and occupancy.

use super::api::{self, RecordLeaseEvent, RecordTenantStage, RentRoll};
use super::startups::period_text;
use crate::components::{ErrorNotice, ErrorPage, Loading, SelectField, TextField, coded_options, loaded};
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use crate::pages::{DayPicker, action_errors, action_failure, id_param, on_param, today};
use domain::CarrierId;
use domain::tenancy::lease::{LeaseEventKind, LeaseState, LeaseView, Occupancy, RentRollRow, percent};
use domain::tenancy::startup::{GraduationCriterion, TenantStage, TenantView};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_meta::Title;

// ---- one lease -----------------------------------------------------------------------------

#[component]
pub fn LeasePage() -> impl IntoView {
    let id = id_param("id");
    let action = ServerAction::<RecordLeaseEvent>::new();
    let lease = Resource::new(
        move || (id.get(), action.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => api::get_lease(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "lease-title") />
        {loaded(lease, move |lease| view! { <LeaseDetail lease action /> })}
    }
}

#[component]
fn LeaseDetail(lease: LeaseView, action: ServerAction<RecordLeaseEvent>) -> impl IntoView {
    let LeaseView {
        id,
        carrier,
        carrier_name,
        startup,
        startup_name,
        state,
        phase,
        period,
        units,
        monthly_rent,
        rent_free_months,
        deposit,
        rent_for_equity,
        events,
        can_manage,
    } = lease;
    let heading = format!("{startup_name} · {carrier_name}");
    let manage = can_manage && state == LeaseState::Active;
    view! {
        <Title text=heading.clone() />
        <p class="breadcrumb">
            <a href=format!("/startups/{startup}")>{startup_name.clone()}</a>
            {can_manage.then(|| view! { " · " <a href=format!("/carriers/{carrier}/rent-roll")>{move || tr!("rent-roll-title")}</a> })}
        </p>
        <div class="page-heading">
            <h1>{heading}</h1>
            <span class=format!("badge lease-{}", phase.code()) data-testid="lease-state">{move || i18n::lease_phase(phase)}</span>
        </div>
        <dl class="facts" data-testid="lease-facts">
            <dt>{move || tr!("lease-period")}</dt>
            <dd>{move || period_text(period)}</dd>
            <dt>{move || tr!("lease-monthly-rent")}</dt>
            <dd data-testid="lease-rent">{monthly_rent.display()}</dd>
            <dt>{move || tr!("lease-rent-free")}</dt>
            <dd>{rent_free_months}</dd>
            <dt>{move || tr!("lease-deposit")}</dt>
            <dd>{deposit.display()}</dd>
            {rent_for_equity.map(|e| view! {
                <dt>{move || tr!("lease-equity-title")}</dt>
                <dd data-testid="lease-equity">
                    {move || tr!("lease-equity-value", {
                        "months" => e.months,
                        "amount" => e.monthly_amount.display(),
                        "total" => e.total().display(),
                        "valuation" => e.valuation.display(),
                    })}
                </dd>
            })}
        </dl>
        <h2>{move || tr!("lease-units")}</h2>
        <table class="data-table" data-testid="lease-units">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("lease-unit")}</th>
                    <th scope="col" class="num">{move || tr!("spaces-usable")}</th>
                    <th scope="col" class="num">{move || tr!("lease-monthly-rent")}</th>
                </tr>
            </thead>
            <tbody>
                {units
                    .into_iter()
                    .map(|u| view! {
                        <tr>
                            <td><a href=format!("/floors/{}", u.floor_id)>{u.name}</a></td>
                            <td class="num">{move || i18n::area(u.usable)}</td>
                            <td class="num">{u.monthly_rent.display()}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
        <h2>{move || tr!("lease-events")}</h2>
        <ul class="timeline">
            {events
                .into_iter()
                .map(|(kind, on, reason, _)| view! {
                    <li>
                        <strong>{move || i18n::lease_event(kind)}</strong> " · " {move || i18n::date(on)}
                        {(!reason.is_empty()).then(|| { let reason = domain::text::stored(&reason); view! { " · " {move || i18n::text(&reason)} } })}
                    </li>
                })
                .collect_view()}
        </ul>
        {manage.then(|| view! { <LeaseEventFormView id action /> })}
    }
}

#[component]
fn LeaseEventFormView(id: i64, action: ServerAction<RecordLeaseEvent>) -> impl IntoView {
    let errors = action_errors(action);
    let failure = action_failure(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let kinds = [LeaseEventKind::Renewed, LeaseEventKind::EndedEarly, LeaseEventKind::Terminated];
    view! {
        <section class="form-section">
            <h2>{move || tr!("lease-change")}</h2>
            {move || done().then(|| view! { <p class="notice" role="status">{move || tr!("lease-change-saved")}</p> })}
            {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action>
                <input type="hidden" name="id" value=id.to_string() />
                <div class="field-row">
                    <SelectField
                        field="kind"
                        label=|| tr!("lease-change-kind")
                        options=coded_options(&kinds, LeaseEventKind::code, i18n::lease_event)
                        selected=String::new()
                        errors
                        prefix="event"
                    />
                    <TextField field="new_end" label=|| tr!("lease-new-end") value=String::new() errors input_type="date" prefix="event" hint=|| tr!("lease-new-end-hint") />
                </div>
                <TextField field="reason" label=|| tr!("spaces-reason") value=String::new() errors prefix="event" />
                <button type="submit" class="button" disabled=move || action.pending().get()>{move || tr!("lease-record")}</button>
            </ActionForm>
        </section>
    }
}

// ---- occupancy -----------------------------------------------------------------------------

/// Occupancy by units, by area and economic (leased rent over list rent).
#[component]
pub fn OccupancyCards(occupancy: Occupancy) -> impl IntoView {
    let o = occupancy;
    view! {
        <section class="cards occupancy" data-testid="occupancy" aria-label=move || tr!("occupancy-title")>
            <div class="card">
                <p class="card-label">{move || tr!("occupancy-units")}</p>
                <p class="card-value" data-testid="occupancy-units">{percent(o.by_units())}</p>
                <p class="card-note">{move || tr!("occupancy-units-note", { "leased" => o.units_leased, "units" => o.units })}</p>
            </div>
            <div class="card">
                <p class="card-label">{move || tr!("occupancy-area")}</p>
                <p class="card-value" data-testid="occupancy-area">{percent(o.by_area())}</p>
                <p class="card-note">
                    {move || tr!("occupancy-area-note", {
                        "leased" => i18n::area(o.area_leased),
                        "area" => i18n::area(o.area),
                    })}
                </p>
            </div>
            <div class="card">
                <p class="card-label">{move || tr!("occupancy-economic")}</p>
                <p class="card-value" data-testid="occupancy-economic">{percent(o.economic())}</p>
                <p class="card-note">
                    {move || tr!("occupancy-economic-note", { "leased" => o.leased_rent.display(), "list" => o.list_rent.display() })}
                </p>
            </div>
        </section>
    }
}

/// Occupancy of a scope, loaded on its own (for the area, floor and overview pages).
#[component]
pub fn OccupancyPanel(level: &'static str, id: Option<i64>, on: Option<chrono::NaiveDate>) -> impl IntoView {
    let occupancy = Resource::new(move || (id, on), move |(id, on)| api::get_occupancy(level.to_owned(), id, on));
    view! {
        <h2>{move || tr!("occupancy-title")}</h2>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match occupancy.await {
                    Ok(occupancy) => view! { <OccupancyCards occupancy /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

// ---- rent roll -----------------------------------------------------------------------------

#[component]
pub fn RentRollPage() -> impl IntoView {
    let carrier = id_param("id");
    let on = on_param();
    let roll = Resource::new(
        move || (carrier.get(), on.get()),
        |(carrier, on)| async move {
            let carrier: CarrierId = carrier.ok_or(AppError::NotFound)?;
            let roll = api::get_rent_roll(carrier, on).await?;
            let occupancy = api::get_occupancy("carrier".to_owned(), Some(carrier.0), Some(roll.on)).await?;
            Ok::<_, AppError>((carrier, roll, occupancy))
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "rent-roll-title") />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match roll.await {
                    Ok((carrier, roll, occupancy)) => view! { <RentRollView carrier roll occupancy /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RentRollView(carrier: CarrierId, roll: RentRoll, occupancy: Occupancy) -> impl IntoView {
    let RentRoll { on, running, within_30, within_90 } = roll;
    let count = running.len();
    view! {
        <p class="breadcrumb"><a href=format!("/carriers/{carrier}")>{move || tr!("rent-roll-carrier")}</a></p>
        <h1>{move || tr!("rent-roll-title")}</h1>
        <DayPicker on action=format!("/carriers/{carrier}/rent-roll") />
        <OccupancyCards occupancy />
        <h2>{move || tr!("rent-roll-running", { "count" => count })}</h2>
        <RentRollTable rows=running testid="rent-roll" />
        <h2>{move || tr!("rent-roll-30")}</h2>
        <RentRollTable rows=within_30 testid="expiring-30" />
        <h2>{move || tr!("rent-roll-90")}</h2>
        <RentRollTable rows=within_90 testid="expiring-90" />
    }
}

#[component]
fn RentRollTable(rows: Vec<RentRollRow>, testid: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty" data-testid=testid>{move || tr!("rent-roll-none")}</p> }.into_any();
    }
    view! {
        <table class="data-table" data-testid=testid>
            <thead>
                <tr>
                    <th scope="col">{move || tr!("lease-unit")}</th>
                    <th scope="col">{move || tr!("rent-roll-tenant")}</th>
                    <th scope="col" class="num">{move || tr!("spaces-usable")}</th>
                    <th scope="col" class="num">{move || tr!("lease-monthly-rent")}</th>
                    <th scope="col" class="num">{move || tr!("rent-roll-per-m2")}</th>
                    <th scope="col">{move || tr!("lease-starts-on")}</th>
                    <th scope="col">{move || tr!("rent-roll-expires")}</th>
                    <th scope="col" class="num">{move || tr!("lease-deposit")}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        let (per_m2, units) = (r.rent_per_m2, r.units);
                        let (start, expires) = (r.starts_on, r.expires_on);
                        view! {
                            <tr>
                                <td><a href=format!("/leases/{}", r.lease)>{move || i18n::list(&units)}</a></td>
                                <td>{r.tenant}</td>
                                <td class="num">{move || i18n::area(r.usable)}</td>
                                <td class="num">{r.monthly_rent.display()}</td>
                                <td class="num">{per_m2.map_or_else(|| "—".to_owned(), |m| m.display())}</td>
                                <td>{move || i18n::date(start)}</td>
                                <td>{move || expires.map_or_else(|| tr!("rent-roll-open"), i18n::date)}</td>
                                <td class="num">{r.deposit.display()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

// ---- tenants -------------------------------------------------------------------------------

#[component]
pub fn TenantsPage() -> impl IntoView {
    let carrier = id_param("id");
    let action = ServerAction::<RecordTenantStage>::new();
    let tenants = Resource::new(
        move || (carrier.get(), action.version().get()),
        |(carrier, _)| async move {
            let carrier: CarrierId = carrier.ok_or(AppError::NotFound)?;
            Ok::<_, AppError>((carrier, api::list_tenants(carrier).await?))
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "tenants-title") />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match tenants.await {
                    Ok((carrier, tenants)) => view! { <TenantList carrier tenants action /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TenantList(carrier: CarrierId, tenants: Vec<TenantView>, action: ServerAction<RecordTenantStage>) -> impl IntoView {
    let failure = action_failure(action);
    let errors = action_errors(action);
    let flagged = tenants.iter().filter(|t| t.near_limit).count();
    view! {
        <p class="breadcrumb"><a href=format!("/carriers/{carrier}")>{move || tr!("rent-roll-carrier")}</a></p>
        <h1>{move || tr!("tenants-title")}</h1>
        {(flagged > 0).then(|| view! {
            <div class="notice notice-warn" role="status" data-testid="near-limit">{move || tr!("tenants-near-limit", { "count" => flagged })}</div>
        })}
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        {move || errors.with(|e| (!e.is_empty()).then(|| {
            let text = e.iter().map(|p| i18n::problem(&p.problem)).collect::<Vec<_>>().join(" ");
            view! { <div class="notice notice-error" role="alert">{text}</div> }
        }))}
        {if tenants.is_empty() {
            view! { <p class="empty">{move || tr!("tenants-none")}</p> }.into_any()
        } else {
            view! {
                <table class="data-table" data-testid="tenants">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr!("applications-startup")}</th>
                            <th scope="col">{move || tr!("tenants-stage")}</th>
                            <th scope="col">{move || tr!("tenants-since")}</th>
                            <th scope="col" class="num">{move || tr!("tenants-months")}</th>
                            <th scope="col">{move || tr!("tenants-history")}</th>
                            <th scope="col">{move || tr!("tenants-record")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {tenants.into_iter().map(|t| view! { <TenantRow tenant=t action /> }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }}
    }
}

#[component]
fn TenantRow(tenant: TenantView, action: ServerAction<RecordTenantStage>) -> impl IntoView {
    let TenantView { startup, name, carrier, stage, events, incubating_since, months, near_limit, past_limit } = tenant;
    let open = stage == TenantStage::Incubating;
    let stages = [TenantStage::Graduated, TenantStage::Exited];
    view! {
        <tr class:row-flagged=near_limit data-stage=stage.code()>
            <td><a href=format!("/startups/{startup}")>{name}</a></td>
            <td>{move || i18n::tenant_stage(stage)}</td>
            <td>{move || incubating_since.map_or_else(|| "—".to_owned(), i18n::date)}</td>
            <td class="num">
                {months}
                {near_limit
                    .then(|| {
                        view! {
                            " "
                            <span class="badge badge-warn">
                                {move || if past_limit { tr!("tenants-limit-past") } else { tr!("tenants-limit-flag") }}
                            </span>
                        }
                    })}
            </td>
            <td>
                <ul class="plain">
                    {events
                        .into_iter()
                        .map(|e| view! {
                            <li>
                                {move || i18n::tenant_stage(e.stage)} " · " {move || i18n::date(e.on)}
                                {e.criterion.map(|c| view! { " · " {move || i18n::graduation_criterion(c)} })}
                            </li>
                        })
                        .collect_view()}
                </ul>
            </td>
            <td>
                {open.then(|| view! {
                    <details>
                        <summary>{move || tr!("tenants-record")}</summary>
                        <ActionForm action>
                            <input type="hidden" name="carrier" value=carrier.to_string() />
                            <input type="hidden" name="startup" value=startup.to_string() />
                            <SelectField
                                field="stage"
                                id=format!("tenant-{startup}-stage")
                                label=|| tr!("tenants-stage")
                                options=coded_options(&stages, TenantStage::code, i18n::tenant_stage)
                                selected=String::new()
                                errors=Signal::derive(Default::default)
                            />
                            <SelectField
                                field="criterion"
                                id=format!("tenant-{startup}-criterion")
                                label=|| tr!("tenants-criterion")
                                options=coded_options(GraduationCriterion::ALL, GraduationCriterion::code, i18n::graduation_criterion)
                                selected=String::new()
                                errors=Signal::derive(Default::default)
                            />
                            <TextField field="on" id=format!("tenant-{startup}-on") label=|| tr!("tenants-on") value=today().to_string() errors=Signal::derive(Default::default) input_type="date" />
                            <TextField field="note" id=format!("tenant-{startup}-note") label=|| tr!("tenants-note") value=String::new() errors=Signal::derive(Default::default) optional=true />
                            <button type="submit" class="button" disabled=move || action.pending().get()>{move || tr!("carrier-save")}</button>
                        </ActionForm>
                    </details>
                })}
            </td>
        </tr>
    }
}
