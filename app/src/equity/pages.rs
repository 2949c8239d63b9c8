//! The equity side of "landlord plus shareholder": a startup's cap table on any day with its
//! ledger, the forms that record events, one round's arithmetic, a carrier's portfolio and the
//! city's.

use super::api::{self, RecordEquityEvent, ReverseEquityEvent};
use crate::components::{
    ErrorNotice, ErrorPage, FieldProblems, Loading, SelectField, TextField, coded_options, loaded,
};
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use crate::pages::{DayPicker, action_errors, action_failure, id_param, on_param};
use domain::equity::ledger::{
    CapTableView, Channel, Cost, EventForm, EventKind, EventView, HolderKind, RoundStage, RoundView, RowForm,
};
use domain::equity::{Fraction, percent_text};
use domain::{FieldErrors, Money};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `12.3456%` for an exact fraction of one.
pub(super) fn percent(fraction: Fraction) -> String {
    percent_text(fraction.millionths())
}

// Labels kept out of the views, where the translation checker does not look for them.
fn total_label() -> String {
    tr!("cap-table-total")
}

fn new_holder_label(n: usize) -> String {
    tr!("record-new-holder", { "n" => n })
}

fn new_amount_label(n: usize) -> String {
    tr!("record-new-amount", { "n" => n })
}

pub(super) fn startup_label() -> String {
    tr!("portfolio-startup")
}

pub(super) fn cost_text(cost: Cost) -> String {
    let mut parts = Vec::new();
    for (channel, amount) in
        [(Channel::Cash, cost.cash), (Channel::Rent, cost.rent), (Channel::Services, cost.services)]
    {
        if amount != Money::ZERO {
            parts.push(format!("{} {}", i18n::channel(channel), amount.display()));
        }
    }
    if parts.is_empty() { "—".to_owned() } else { i18n::list(&parts) }
}

// ---- the cap table ----------------------------------------------------------------------------

#[component]
pub fn CapTablePage() -> impl IntoView {
    let id = id_param("id");
    let on = on_param();
    let reverse = ServerAction::<ReverseEquityEvent>::new();
    // Reload after a correction that went through; a refused one keeps the form as typed.
    let corrected = Memo::new(move |_| reverse.value().with(|v| v.as_ref().and_then(|r| r.as_ref().ok()).copied()));
    let table = Resource::new(
        move || (id.get(), on.get(), corrected.get()),
        |(id, on, _)| async move { api::get_cap_table(id.ok_or(AppError::NotFound)?, on).await },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "cap-table-title") />
        {loaded(table, move |table| view! { <CapTableDetail table reverse /> })}
    }
}

#[component]
fn CapTableDetail(table: CapTableView, reverse: ServerAction<ReverseEquityEvent>) -> impl IntoView {
    let CapTableView {
        startup,
        startup_name,
        on,
        registered_capital,
        paid_in,
        reserve,
        holders,
        events,
        correctable,
        record_for,
        ..
    } = table;
    let can_record = !record_for.is_empty();
    let formed = events.iter().any(|e| e.kind != EventKind::Reversal && e.reversed_by.is_none());
    let heading = format!("{startup_name} · ");
    let failure = action_failure(reverse);
    let reverse_errors = action_errors(reverse);
    view! {
        <Title text=startup_name.clone() />
        <p class="breadcrumb"><a href=format!("/startups/{startup}")>{startup_name.clone()}</a></p>
        <div class="page-heading">
            <h1>{heading} {move || tr!("cap-table-title")}</h1>
            <div class="actions">
                <a class="button" href=format!("/startups/{startup}/ocf.zip?on={}", on) download data-testid="ocf-download">
                    {move || tr!("cap-table-ocf")}
                </a>
                {can_record.then(|| {
                    let kinds: Vec<EventKind> = if formed {
                        vec![EventKind::CapitalIncrease, EventKind::Transfer, EventKind::Reduction]
                    } else {
                        vec![EventKind::Formation]
                    };
                    kinds
                        .into_iter()
                        .map(|kind| view! {
                            <a class="button button-primary" href=format!("/startups/{startup}/equity/new?kind={}", kind.code())>
                                {move || tr!("cap-table-record", { "kind" => i18n::equity_event(kind) })}
                            </a>
                        })
                        .collect_view()
                })}
            </div>
        </div>
        <DayPicker on action=format!("/startups/{startup}/equity") />
        <dl class="facts" data-testid="cap-table-facts">
            <dt>{move || tr!("cap-table-registered")}</dt>
            <dd data-testid="registered-capital">{registered_capital.display()}</dd>
            <dt>{move || tr!("cap-table-paid-in")}</dt>
            <dd>{paid_in.display()}</dd>
            <dt>{move || tr!("cap-table-reserve")}</dt>
            <dd data-testid="capital-reserve">{reserve.display()}</dd>
        </dl>
        {if holders.is_empty() {
            view! { <p class="empty" data-testid="cap-table">{move || tr!("cap-table-empty")}</p> }.into_any()
        } else {
            view! {
                <table class="data-table" data-testid="cap-table">
                    <caption>{move || tr!("cap-table-caption", { "on" => i18n::date(on) })}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || tr!("cap-table-holder")}</th>
                            <th scope="col">{move || tr!("cap-table-kind")}</th>
                            <th scope="col" class="num">{move || tr!("cap-table-subscribed")}</th>
                            <th scope="col" class="num">{move || tr!("cap-table-paid-in")}</th>
                            <th scope="col" class="num">{move || tr!("cap-table-share")}</th>
                            <th scope="col">{move || tr!("cap-table-cost")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {holders
                            .into_iter()
                            .map(|h| view! {
                                <tr>
                                    <th scope="row">{h.name}</th>
                                    <td>{move || i18n::holder_kind(h.kind)}</td>
                                    <td class="num">{h.subscribed.display()}</td>
                                    <td class="num">{h.paid_in.display()}</td>
                                    <td class="num">{percent_text(h.millionths)}</td>
                                    <td>{move || cost_text(h.cost)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="2">{total_label}</th>
                            <td class="num">{registered_capital.display()}</td>
                            <td class="num">{paid_in.display()}</td>
                            <td class="num">"100.0000%"</td>
                            <td></td>
                        </tr>
                    </tfoot>
                </table>
            }
            .into_any()
        }}
        <h2>{move || tr!("cap-table-ledger")}</h2>
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        {if events.is_empty() {
            view! { <p class="empty">{move || tr!("cap-table-no-events")}</p> }.into_any()
        } else {
            view! {
                <ul class="timeline ledger" data-testid="ledger">
                    {events
                        .into_iter()
                        .map(|event| {
                            let can_correct = can_record && correctable == Some(event.id);
                            view! { <LedgerEntry event can_correct reverse errors=reverse_errors /> }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

#[component]
fn LedgerEntry(
    event: EventView,
    /// The viewer records for the startup's landlord and this is the latest live event.
    can_correct: bool,
    reverse: ServerAction<ReverseEquityEvent>,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let EventView { id, kind, on, stage, pre_money, lines, note, author, reverses, reversed_by, .. } = event;
    view! {
        <li class:reversed=reversed_by.is_some() data-event=id>
            <p>
                <strong>{move || i18n::equity_event(kind)}</strong>
                " #" {id} " · " {move || i18n::date(on)}
                {stage.map(|s| view! { " · " {move || i18n::round_stage(s)} })}
                {pre_money.map(|m| view! { " · " {move || tr!("round-pre-money")} " " {m.display()} })}
                {(kind == EventKind::CapitalIncrease).then(|| view! { " · " <a href=format!("/equity/rounds/{id}")>{move || tr!("cap-table-round-link")}</a> })}
                {reverses.map(|r| view! { " · " <span class="badge">{move || tr!("cap-table-reverses", { "id" => r })}</span> })}
                {reversed_by.map(|r| view! { " " <span class="badge badge-warn">{move || tr!("cap-table-reversed-by", { "id" => r })}</span> })}
            </p>
            <ul class="plain">
                {lines
                    .into_iter()
                    .map(|l| {
                        let sign = if l.subscribed.fen() > 0 { "+" } else { "" };
                        view! {
                            <li>
                                {l.holder} ": " {format!("{sign}{}", l.subscribed.display())} " "
                                {move || tr!("cap-table-capital-word")}
                                {(l.amount != Money::ZERO).then(|| view! { " · " {move || tr!("cap-table-amount")} " " {l.amount.display()} })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(!note.is_empty()).then(|| view! { <p class="hint">{note.clone()}</p> })}
            <p class="hint">{author}</p>
            {can_correct.then(|| view! {
                <details class="reverse">
                    <summary>{move || tr!("cap-table-correct")}</summary>
                    <ActionForm action=reverse>
                        <input type="hidden" name="id" value=id.to_string() />
                        <div class="field">
                            <label for=format!("reason-{id}")>{move || tr!("cap-table-correct-reason")}</label>
                            <textarea id=format!("reason-{id}") name="form[reason]" rows="2" aria-describedby="reason-problems"></textarea>
                            <FieldProblems field="reason" errors />
                        </div>
                        <button type="submit" class="button" disabled=move || reverse.pending().get()>{move || tr!("cap-table-correct-submit")}</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

// ---- recording an event -----------------------------------------------------------------------

#[component]
pub fn RecordEventPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    let kind = Memo::new(move |_| {
        query.with(|q| q.get_str("kind").and_then(EventKind::from_code)).unwrap_or(EventKind::CapitalIncrease)
    });
    let action = ServerAction::<RecordEquityEvent>::new();
    let table = Resource::new(
        move || id.get(),
        |id| async move {
            let table = api::get_cap_table(id.ok_or(AppError::NotFound)?, None).await?;
            if table.record_for.is_empty() {
                return Err(AppError::Forbidden);
            }
            Ok(table)
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "record-title") />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match table.await {
                    Ok(table) if kind.get_untracked() != EventKind::Reversal => {
                        view! { <RecordForm table kind=kind.get_untracked() action /> }.into_any()
                    }
                    Ok(_) => view! { <ErrorPage error=AppError::NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The problems of one row field (`rows.2.amount`).
#[component]
fn RowProblems(field: String, errors: Signal<FieldErrors>) -> impl IntoView {
    move || {
        let problems: Vec<_> = errors.with(|e| e.for_field(&field).cloned().collect());
        problems
            .into_iter()
            .map(|problem| view! { <p class="field-error">{move || i18n::problem(&problem)}</p> })
            .collect_view()
    }
}

/// One row of a formation or round form: its index, what was entered, and the existing holder
/// it stands for (none for a new holder).
type FormRow = (usize, RowForm, Option<(i64, String)>);

/// How many blank rows a form offers for new holders.
const NEW_ROWS: usize = 3;

#[component]
fn RecordForm(table: CapTableView, kind: EventKind, action: ServerAction<RecordEquityEvent>) -> impl IntoView {
    let errors = action_errors(action);
    let failure = action_failure(action);
    let echoed: Option<EventForm> =
        action.value().with_untracked(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::echo));
    let CapTableView { startup, startup_name, holders, equity_leases, .. } = table;
    // Rows: every current holder (for a round), then blank rows for new holders.
    let existing: Vec<(i64, String)> = if kind == EventKind::CapitalIncrease {
        holders.iter().map(|h| (h.id, h.name.clone())).collect()
    } else {
        Vec::new()
    };
    let existing_count = existing.len();
    let row_count = existing_count + NEW_ROWS;
    let form = echoed.unwrap_or_else(|| EventForm {
        kind: kind.code().to_owned(),
        on: crate::pages::today().to_string(),
        rows: existing
            .iter()
            .map(|(id, _)| RowForm { holder: id.to_string(), channel: "cash".into(), ..RowForm::default() })
            .collect(),
        ..EventForm::default()
    });
    let rows: Vec<FormRow> =
        (0..row_count).map(|i| (i, form.rows.get(i).cloned().unwrap_or_default(), existing.get(i).cloned())).collect();
    let current: Vec<(String, String)> = holders.iter().map(|h| (h.id.to_string(), h.name.clone())).collect();
    let holder_options = move |selected: String, name: &'static str, id: &'static str| {
        let current = current.clone();
        view! {
            <select id=id name=name>
                <option value="">"—"</option>
                {current
                    .into_iter()
                    .map(|(value, label)| {
                        let chosen = value == selected;
                        view! { <option value=value selected=chosen>{label}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    let kind_options = || coded_options(HolderKind::ALL, HolderKind::code, i18n::holder_kind);
    view! {
        <p class="breadcrumb"><a href=format!("/startups/{startup}/equity")>{startup_name.clone()}</a></p>
        <h1>{move || tr!("cap-table-record", { "kind" => i18n::equity_event(kind) })}</h1>
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        <ActionForm action>
            <input type="hidden" name="startup" value=startup.to_string() />
            <input type="hidden" name="form[kind]" value=kind.code() />
            <div class="field-row">
                <TextField field="on" label=|| tr!("record-on") value=form.on.clone() errors input_type="date" hint=|| tr!("record-on-hint") />
                {(kind == EventKind::CapitalIncrease).then(|| view! {
                    <SelectField
                        field="stage"
                        label=|| tr!("record-stage")
                        options=coded_options(RoundStage::ALL, RoundStage::code, i18n::round_stage)
                        selected=form.stage.clone()
                        errors
                    />
                    <TextField field="pre_money" label=|| tr!("round-pre-money") value=form.pre_money.clone() errors hint=|| tr!("record-pre-money-hint") />
                })}
            </div>
            {(kind == EventKind::CapitalIncrease).then(|| {
                let ticked = !form.discounted.is_empty();
                view! {
                    <label class="choice">
                        <input type="checkbox" name="form[discounted]" value="on" checked=ticked data-testid="round-discounted" />
                        <span>{move || tr!("record-discounted")}</span>
                    </label>
                }
            })}
            {(kind == EventKind::CapitalIncrease && !equity_leases.is_empty()).then(|| {
                let selected = form.lease.clone();
                view! {
                    <div class="field">
                        <label for="field-lease">{move || tr!("record-lease")}</label>
                        <select id="field-lease" name="form[lease]" aria-describedby="lease-hint lease-problems">
                            <option value="">"—"</option>
                            {equity_leases
                                .into_iter()
                                .map(|(id, carrier, rent, valuation)| {
                                    let chosen = selected == id.to_string();
                                    view! {
                                        <option value=id.to_string() selected=chosen>
                                            {move || tr!("record-lease-option", { "id" => id, "carrier" => carrier.clone(), "rent" => rent.display(), "valuation" => valuation.display() })}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <p class="hint" id="lease-hint">{move || tr!("record-lease-hint")}</p>
                        <FieldProblems field="lease" errors />
                    </div>
                }
            })}
            {matches!(kind, EventKind::Formation | EventKind::CapitalIncrease).then(|| view! {
                <table class="data-table form-table" data-testid="event-rows">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr!("cap-table-holder")}</th>
                            <th scope="col">{move || tr!("cap-table-kind")}</th>
                            <th scope="col">
                                {move || if kind == EventKind::Formation { tr!("cap-table-subscribed") } else { tr!("record-invested") }}
                            </th>
                            <th scope="col">
                                {move || if kind == EventKind::Formation { tr!("cap-table-paid-in") } else { tr!("record-channel") }}
                            </th>
                            {(kind == EventKind::Formation)
                                .then(|| view! { <th scope="col">{move || tr!("record-consideration")}</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(i, r, known)| {
                                let new_row = known.is_none();
                                let prefix = format!("form[rows][{i}]");
                                let amount_id = format!("row-{i}-amount");
                                let chosen_channel = if r.channel.is_empty() { "cash".to_owned() } else { r.channel.clone() };
                                view! {
                                    <tr data-row=i>
                                        {match known {
                                            Some((id, name)) => view! {
                                                <th scope="row">
                                                    <input type="hidden" name=format!("{prefix}[holder]") value=id.to_string() />
                                                    <label for=amount_id.clone()>{name}</label>
                                                </th>
                                                <td>"—"</td>
                                            }.into_any(),
                                            None => {
                                                let kinds = kind_options();
                                                let chosen_kind = r.kind.clone();
                                                view! {
                                                    <td>
                                                        <input
                                                            type="text"
                                                            name=format!("{prefix}[name]")
                                                            value=r.name.clone()
                                                            aria-label=move || new_holder_label(i + 1 - existing_count)
                                                            data-testid=format!("row-{i}-name")
                                                        />
                                                        <RowProblems field=format!("rows.{i}.name") errors />
                                                    </td>
                                                    <td>
                                                        <select name=format!("{prefix}[kind]") aria-label=move || tr!("cap-table-kind") data-testid=format!("row-{i}-kind")>
                                                            <option value="">"—"</option>
                                                            {kinds
                                                                .into_iter()
                                                                .map(|(code, label)| {
                                                                    let chosen = code == chosen_kind;
                                                                    view! { <option value=code selected=chosen>{label}</option> }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                        <RowProblems field=format!("rows.{i}.kind") errors />
                                                    </td>
                                                }.into_any()
                                            }
                                        }}
                                        <td>
                                            <input
                                                id=amount_id
                                                type="text"
                                                inputmode="decimal"
                                                name=format!("{prefix}[amount]")
                                                value=r.amount.clone()
                                                aria-label=new_row.then(|| new_amount_label(i + 1 - existing_count))
                                                data-testid=format!("row-{i}-amount")
                                            />
                                            <RowProblems field=format!("rows.{i}.amount") errors />
                                        </td>
                                        <td>
                                            {if kind == EventKind::Formation {
                                                view! {
                                                    <input type="text" inputmode="decimal" name=format!("{prefix}[paid_in]") value=r.paid_in.clone() aria-label=move || tr!("cap-table-paid-in") />
                                                    <RowProblems field=format!("rows.{i}.paid_in") errors />
                                                }.into_any()
                                            } else {
                                                view! { <ChannelSelect prefix=prefix.clone() row=i chosen=chosen_channel.clone() errors /> }.into_any()
                                            }}
                                        </td>
                                        {(kind == EventKind::Formation)
                                            .then(|| view! { <td><ChannelSelect prefix=prefix.clone() row=i chosen=chosen_channel.clone() errors /></td> })}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <FieldProblems field="rows" errors />
                <p class="hint">{move || if kind == EventKind::Formation { tr!("record-formation-hint") } else { tr!("record-round-hint") }}</p>
            })}
            {matches!(kind, EventKind::Transfer | EventKind::Reduction).then(|| view! {
                <div class="field-row">
                    <div class="field">
                        <label for="field-from">{move || if kind == EventKind::Transfer { tr!("record-from") } else { tr!("cap-table-holder") }}</label>
                        {holder_options(form.from.clone(), "form[from]", "field-from")}
                        <FieldProblems field="from" errors />
                    </div>
                    <TextField field="capital" label=|| tr!("record-capital") value=form.capital.clone() errors />
                    <TextField
                        field="price"
                        label=if kind == EventKind::Transfer { || tr!("record-price") } else { || tr!("record-returned") }
                        value=form.price.clone()
                        errors
                    />
                </div>
            })}
            {(kind == EventKind::Transfer).then(|| view! {
                <fieldset class="field-row">
                    <legend>{move || tr!("record-to")}</legend>
                    <div class="field">
                        <label for="field-to">{move || tr!("record-to-existing")}</label>
                        {holder_options(form.to.clone(), "form[to]", "field-to")}
                        <FieldProblems field="to" errors />
                    </div>
                    <TextField field="to_name" label=|| tr!("record-to-new") value=form.to_name.clone() errors optional=true />
                    <SelectField field="to_kind" label=|| tr!("cap-table-kind") options=kind_options() selected=form.to_kind.clone() errors />
                </fieldset>
            })}
            <TextField field="note" label=|| tr!("record-note") value=form.note.clone() errors optional=true />
            <button type="submit" class="button button-primary" disabled=move || action.pending().get()>{move || tr!("record-submit")}</button>
        </ActionForm>
    }
}

// ---- one round --------------------------------------------------------------------------------

#[component]
pub fn RoundPage() -> impl IntoView {
    let id = id_param("id");
    let round =
        Resource::new(move || id.get(), |id| async move { api::get_round(id.ok_or(AppError::NotFound)?).await });
    view! {
        <PageTitle text=|i18n| tr!(i18n, "round-title") />
        {loaded(round, move |round| view! { <RoundDetail round /> })}
    }
}

#[component]
fn RoundDetail(round: RoundView) -> impl IntoView {
    let RoundView {
        startup,
        startup_name,
        on,
        stage,
        pre_money,
        new_money,
        post_money,
        price,
        capital_before,
        new_capital,
        reserve,
        holders,
        reversed,
        ..
    } = round;
    view! {
        <p class="breadcrumb"><a href=format!("/startups/{startup}/equity?on={}", on)>{startup_name.clone()}</a></p>
        <div class="page-heading">
            <h1>{startup_name.clone()} " · " {move || i18n::round_stage(stage)}</h1>
            {reversed.then(|| view! { <span class="badge badge-warn">{move || tr!("round-reversed")}</span> })}
        </div>
        <dl class="facts" data-testid="round-facts">
            <dt>{move || tr!("round-date")}</dt>
            <dd>{move || i18n::date(on)}</dd>
            <dt>{move || tr!("round-pre-money")}</dt>
            <dd>{pre_money.display()}</dd>
            <dt>{move || tr!("round-new-money")}</dt>
            <dd data-testid="round-new-money">{new_money.display()}</dd>
            <dt>{move || tr!("round-post-money")}</dt>
            <dd data-testid="round-post-money">{post_money.display()}</dd>
            <dt>{move || tr!("round-price")}</dt>
            <dd>{move || tr!("round-price-value", { "price" => price.decimal(4), "capital" => capital_before.display() })}</dd>
            <dt>{move || tr!("round-new-capital")}</dt>
            <dd data-testid="round-new-capital">{new_capital.display()}</dd>
            <dt>{move || tr!("cap-table-reserve")}</dt>
            <dd data-testid="round-reserve">{reserve.display()}</dd>
        </dl>
        <table class="data-table" data-testid="round-holders">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("cap-table-holder")}</th>
                    <th scope="col" class="num">{move || tr!("record-invested")}</th>
                    <th scope="col" class="num">{move || tr!("round-pro-rata")}</th>
                    <th scope="col" class="num">{move || tr!("round-new-capital")}</th>
                    <th scope="col" class="num">{move || tr!("round-before")}</th>
                    <th scope="col" class="num">{move || tr!("round-after")}</th>
                    <th scope="col" class="num">{move || tr!("round-dilution")}</th>
                    <th scope="col">{move || tr!("round-kept")}</th>
                </tr>
            </thead>
            <tbody>
                {holders
                    .into_iter()
                    .map(|h| {
                        let carrier = h.kind.is_carrier();
                        let kept = h.kept_share;
                        let existing = h.existing;
                        view! {
                            <tr class:carrier-row=carrier data-holder=h.name.clone()>
                                <th scope="row">
                                    {h.name.clone()}
                                    {carrier.then(|| view! { " " <span class="badge">{move || i18n::holder_kind(h.kind)}</span> })}
                                </th>
                                <td class="num">
                                    {h.invested.display()}
                                    {h.channel.filter(|c| *c != Channel::Cash).map(|c| view! { " (" {move || i18n::channel(c)} ")" })}
                                </td>
                                <td class="num">{if existing { h.pro_rata.display() } else { "—".to_owned() }}</td>
                                <td class="num">{h.new_capital.display()}</td>
                                // As the cap tables of the day before and of the day show them.
                                <td class="num">{percent_text(h.before_millionths)}</td>
                                <td class="num">{percent_text(h.after_millionths)}</td>
                                <td class="num">{percent_text(h.before_millionths - h.after_millionths)}</td>
                                <td data-testid="kept-share">
                                    {move || if !existing { "—".to_owned() } else if kept { tr!("round-kept-yes") } else { tr!("round-kept-no") }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <p class="hint">{move || tr!("round-explain")}</p>
    }
}

/// How a row's holder paid: cash, or the carrier's rent or services converted into equity.
#[component]
fn ChannelSelect(prefix: String, row: usize, chosen: String, errors: Signal<FieldErrors>) -> impl IntoView {
    let options = coded_options(Channel::ALL, Channel::code, i18n::channel);
    view! {
        <select name=format!("{prefix}[channel]") aria-label=move || tr!("record-channel") data-testid=format!("row-{row}-channel")>
            {options
                .into_iter()
                .map(|(code, label)| {
                    let selected = code == chosen;
                    view! { <option value=code selected=selected>{label}</option> }
                })
                .collect_view()}
        </select>
        <RowProblems field=format!("rows.{row}.channel") errors />
    }
}
