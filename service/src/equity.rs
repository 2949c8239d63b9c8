//! The equity ledger of each startup (股权台账): append-only dated events, each with one line per
//! holder it touches. The cap table on any day is the sum of the lines of the live events up to
//! that day; a correction is a `reversal` event that negates an earlier one, which stays in the
//! ledger and drops out of every figure. The arithmetic is [`domain::equity`]'s; this module keeps
//! the ledger consistent, decides who may read and record, and writes the audit trail.
//!
//! Who may do what:
//! - read a cap table: the startup's members, bureau staff, and operators of a carrier that
//!   leases to the startup or holds a stake in it;
//! - record an event or a correction: operators of a carrier that leases to the startup (the
//!   bureau reads but does not record);
//! - a carrier's portfolio: its operators and the bureau; the city's: the bureau.

use crate::audit::{self, By, Change};
use crate::authz::{self, Actor};
use crate::entity::{carrier, district, equity_event, equity_holder, equity_line, lease, startup};
use crate::{Result, ServiceError, db};
use chrono::{NaiveDate, Utc};
use domain::carrier::Industry;
use domain::equity::{CapTable, Fraction, Holding, RoundError, RoundTerms, TransferError};
use domain::ledger::{
    CapTableView, Channel, CityPortfolio, Contribution, Cost, DistrictPortfolio, Entry, EventKind, EventView,
    HolderKind, HolderRef, HolderRow, LineView, NewEvent, PortfolioRow, PortfolioTotals, PortfolioView, RoundHolder,
    RoundStage, RoundView, field,
};
use domain::{CarrierId, DistrictId, FieldErrors, Money, Problem, StartupId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, BTreeSet};

// ---- the ledger in memory ---------------------------------------------------------------------

/// A startup's whole ledger, events in ledger order (date, then id).
#[derive(Debug, Clone, Default)]
pub(crate) struct Ledger {
    pub holders: BTreeMap<i64, equity_holder::Model>,
    pub events: Vec<(equity_event::Model, Vec<equity_line::Model>)>,
}

/// Holdings and cost per holder at a point in the ledger.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub table: CapTable,
    pub cost: BTreeMap<i64, Cost>,
}

impl State {
    fn apply(&mut self, lines: &[equity_line::Model]) {
        for line in lines {
            let holding = self.table.holdings.entry(line.holder_id).or_default();
            holding.subscribed = holding.subscribed + Money::from_fen(line.subscribed_fen);
            holding.paid_in = holding.paid_in + Money::from_fen(line.paid_in_fen);
            let cost = self.cost.entry(line.holder_id).or_default();
            *cost = *cost + cost_of(line);
        }
        self.table.holdings.retain(|_, h| h.subscribed != Money::ZERO || h.paid_in != Money::ZERO);
    }

    fn holding(&self, holder: i64) -> Holding {
        self.table.holdings.get(&holder).copied().unwrap_or_default()
    }
}

fn cost_of(line: &equity_line::Model) -> Cost {
    Cost {
        cash: Money::from_fen(line.cash_fen),
        rent: Money::from_fen(line.rent_fen),
        services: Money::from_fen(line.services_fen),
    }
}

impl Ledger {
    /// Ids of events a correction has undone.
    fn reversed(&self) -> BTreeSet<i64> {
        self.events.iter().filter_map(|(e, _)| e.reverses_id).collect()
    }

    /// The events that count: neither corrections nor corrected, in ledger order.
    fn live(&self) -> impl Iterator<Item = &(equity_event::Model, Vec<equity_line::Model>)> {
        let reversed = self.reversed();
        self.events.iter().filter(move |(e, _)| e.reverses_id.is_none() && !reversed.contains(&e.id))
    }

    /// The state after every live event dated on or before `on`.
    fn state_on(&self, on: NaiveDate) -> State {
        let mut state = State::default();
        for (_, lines) in self.live().filter(|(e, _)| e.on_date <= on) {
            state.apply(lines);
        }
        state
    }

    /// The state just before `event` (live events earlier in ledger order).
    fn state_before(&self, event: &equity_event::Model) -> State {
        let mut state = State::default();
        for (_, lines) in self.live().filter(|(e, _)| (e.on_date, e.id) < (event.on_date, event.id)) {
            state.apply(lines);
        }
        state
    }

    /// The live events dated on or before `on`, in the order they apply.
    pub(crate) fn history(&self, on: NaiveDate) -> Vec<&(equity_event::Model, Vec<equity_line::Model>)> {
        let mut events: Vec<_> = self.live().filter(|(e, _)| e.on_date <= on).collect();
        events.sort_by_key(|(e, _)| (e.on_date, e.id));
        events
    }

    pub(crate) fn name(&self, holder: i64) -> String {
        self.holders.get(&holder).map(|h| h.name.clone()).unwrap_or_default()
    }

    pub(crate) fn kind(&self, holder: i64) -> HolderKind {
        self.holders.get(&holder).and_then(|h| HolderKind::from_code(&h.kind)).unwrap_or(HolderKind::Investor)
    }
}

/// Loads the ledgers of `startups` in three queries.
pub(crate) async fn load(db: &impl ConnectionTrait, startups: &[i64]) -> Result<BTreeMap<i64, Ledger>> {
    let mut ledgers: BTreeMap<i64, Ledger> = startups.iter().map(|s| (*s, Ledger::default())).collect();
    if startups.is_empty() {
        return Ok(ledgers);
    }
    for holder in equity_holder::Entity::find()
        .filter(equity_holder::Column::StartupId.is_in(startups.iter().copied()))
        .all(db)
        .await?
    {
        if let Some(ledger) = ledgers.get_mut(&holder.startup_id) {
            ledger.holders.insert(holder.id, holder);
        }
    }
    let events = equity_event::Entity::find()
        .filter(equity_event::Column::StartupId.is_in(startups.iter().copied()))
        .order_by_asc(equity_event::Column::OnDate)
        .order_by_asc(equity_event::Column::Id)
        .all(db)
        .await?;
    let mut lines: BTreeMap<i64, Vec<equity_line::Model>> = BTreeMap::new();
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    for chunk in ids.chunks(500) {
        for line in equity_line::Entity::find()
            .filter(equity_line::Column::EventId.is_in(chunk.iter().copied()))
            .order_by_asc(equity_line::Column::Id)
            .all(db)
            .await?
        {
            lines.entry(line.event_id).or_default().push(line);
        }
    }
    for event in events {
        let event_lines = lines.remove(&event.id).unwrap_or_default();
        if let Some(ledger) = ledgers.get_mut(&event.startup_id) {
            ledger.events.push((event, event_lines));
        }
    }
    Ok(ledgers)
}

async fn load_one(db: &impl ConnectionTrait, startup: StartupId) -> Result<Ledger> {
    Ok(load(db, &[startup.0]).await?.remove(&startup.0).unwrap_or_default())
}

// ---- who may do what --------------------------------------------------------------------------

/// Carriers that lease (or leased) space to the startup.
async fn landlords(db: &impl ConnectionTrait, startup: StartupId) -> Result<BTreeSet<CarrierId>> {
    Ok(lease::Entity::find()
        .filter(lease::Column::StartupId.eq(startup.0))
        .all(db)
        .await?
        .into_iter()
        .map(|l| CarrierId(l.carrier_id))
        .collect())
}

async fn check_read(db: &impl ConnectionTrait, actor: &Actor, startup: StartupId) -> Result<()> {
    if authz::read_startup(actor, startup).is_ok() {
        return Ok(());
    }
    if actor.carriers.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    if landlords(db, startup).await?.iter().any(|c| actor.operates(*c)) {
        return Ok(());
    }
    let holds = equity_holder::Entity::find()
        .filter(equity_holder::Column::StartupId.eq(startup.0))
        .filter(equity_holder::Column::CarrierId.is_in(actor.carriers.iter().map(|c| c.0)))
        .one(db)
        .await?
        .is_some();
    if holds { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// The carriers `actor` records for on this startup's ledger: those it operates that hold an
/// active lease with the startup (a former landlord still reads, but records no more).
async fn recording_carriers(db: &impl ConnectionTrait, actor: &Actor, startup: StartupId) -> Result<Vec<CarrierId>> {
    if actor.carriers.is_empty() {
        return Ok(Vec::new());
    }
    let mut carriers: Vec<CarrierId> = lease::Entity::find()
        .filter(lease::Column::StartupId.eq(startup.0))
        .filter(lease::Column::State.eq(domain::lease::LeaseState::Active.code()))
        .filter(lease::Column::CarrierId.is_in(actor.carriers.iter().map(|c| c.0)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| CarrierId(l.carrier_id))
        .collect();
    carriers.sort_unstable();
    carriers.dedup();
    Ok(carriers)
}

/// Serializes writers of one startup's ledger. SQLite's `BEGIN IMMEDIATE` already does; on
/// PostgreSQL the startup's row is locked until the transaction ends.
async fn lock_startup(txn: &impl ConnectionTrait, startup: StartupId) -> Result<()> {
    let query = startup::Entity::find_by_id(startup.0);
    let found = if txn.get_database_backend() == DbBackend::Postgres {
        query.lock_exclusive().one(txn).await?
    } else {
        query.one(txn).await?
    };
    found.map(|_| ()).ok_or(ServiceError::NotFound)
}

// ---- recording --------------------------------------------------------------------------------

fn invalid(field: &str, problem: Problem) -> ServiceError {
    ServiceError::Invalid(FieldErrors::single(field, problem))
}

/// One line about to be written.
#[derive(Debug, Clone, Default)]
struct NewLine {
    holder: i64,
    subscribed: Money,
    paid_in: Money,
    cost: Cost,
    amount: Money,
}

/// Finds or creates the holder a form names. A new carrier-side holder belongs to `carrier`.
///
/// A new holder's name may be that of a holder who holds nothing now and is of the same kind
/// (one whose event was corrected, say): that holder is taken up again.
async fn resolve(
    txn: &impl ConnectionTrait,
    ledger: &mut Ledger,
    state: &State,
    startup: StartupId,
    carrier: CarrierId,
    holder: &HolderRef,
    (existing_field, new_field): (&str, &str),
) -> Result<i64> {
    match holder {
        HolderRef::Existing(id) => {
            if ledger.holders.contains_key(id) {
                Ok(*id)
            } else {
                Err(invalid(existing_field, Problem::UnknownHolder))
            }
        }
        HolderRef::New { kind, name } => {
            if let Some(known) = ledger.holders.values().find(|h| h.name == *name) {
                let empty = state.holding(known.id) == Holding::default();
                return if empty && known.kind == kind.code() {
                    Ok(known.id)
                } else {
                    Err(invalid(new_field, Problem::NameTaken))
                };
            }
            let row = equity_holder::ActiveModel {
                startup_id: Set(startup.0),
                kind: Set(kind.code().to_owned()),
                name: Set(name.clone()),
                carrier_id: Set(kind.is_carrier().then_some(carrier.0)),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let id = row.id;
            ledger.holders.insert(id, row);
            Ok(id)
        }
    }
}

/// The lines of a formation or round, with holders resolved.
async fn contributions(
    txn: &impl ConnectionTrait,
    ledger: &mut Ledger,
    state: &State,
    startup: StartupId,
    carrier: CarrierId,
    rows: &[Contribution],
) -> Result<Vec<(i64, Contribution)>> {
    let mut resolved = Vec::with_capacity(rows.len());
    for row in rows {
        // An existing holder's row has no name to mark; its amount is marked instead.
        let (existing, new) = (field::row(row.row, "amount"), field::row(row.row, "name"));
        let id = resolve(txn, ledger, state, startup, carrier, &row.holder, (&existing, &new)).await?;
        if resolved.iter().any(|(h, _)| *h == id) {
            let at = if matches!(row.holder, HolderRef::Existing(_)) { existing } else { new };
            return Err(invalid(&at, Problem::DuplicateHolder));
        }
        resolved.push((id, row.clone()));
    }
    Ok(resolved)
}

fn round_problem(error: RoundError) -> ServiceError {
    match error {
        RoundError::NoCapital => invalid(field::ROWS, Problem::NotFormedYet),
        RoundError::NoValuation => invalid(field::PRE_MONEY, Problem::NotPositive),
        RoundError::NoMoney => invalid(field::ROWS, Problem::NoneChosen),
        RoundError::Duplicate => invalid(field::ROWS, Problem::DuplicateHolder),
        RoundError::TooLarge => invalid(field::PRE_MONEY, Problem::TooLarge),
    }
}

/// An operator of one of the startup's landlords records an event. Returns the event's id.
pub async fn record(db: &DatabaseConnection, actor: &Actor, startup: StartupId, event: &NewEvent) -> Result<i64> {
    let carrier = *recording_carriers(db, actor, startup).await?.first().ok_or(ServiceError::Forbidden)?;
    let txn = db::begin_write(db).await?;
    lock_startup(&txn, startup).await?;
    let mut ledger = load_one(&txn, startup).await?;
    if let Some(last) = ledger.live().map(|(e, _)| e.on_date).max()
        && event.on < last
    {
        return Err(invalid(field::ON, Problem::DateBeforeLastEvent { last: last.format("%Y-%m-%d").to_string() }));
    }
    let state = ledger.state_on(event.on);
    let formed = ledger.live().next().is_some();
    let (kind, stage, pre_money, lease_id, lines) = match &event.entry {
        Entry::Formation { rows } => {
            if formed {
                return Err(invalid(field::ROWS, Problem::AlreadyFormed));
            }
            let rows = contributions(&txn, &mut ledger, &state, startup, carrier, rows).await?;
            let lines = rows
                .into_iter()
                .map(|(holder, c)| NewLine {
                    holder,
                    subscribed: c.amount,
                    paid_in: c.paid_in,
                    cost: Cost::of(c.channel, c.paid_in),
                    amount: c.paid_in,
                })
                .collect();
            (EventKind::Formation, None, None, None, lines)
        }
        Entry::Round { stage, pre_money, rows, lease: lease_id, discounted } => {
            if !formed {
                return Err(invalid(field::ROWS, Problem::NotFormedYet));
            }
            if let Some(lease_id) = lease_id {
                // The recording carrier's own lease with this startup, with a rent-for-equity
                // term, converted once.
                let found = lease::Entity::find_by_id(*lease_id).one(&txn).await?;
                let Some(found) = found
                    .filter(|l| l.startup_id == startup.0 && l.carrier_id == carrier.0 && l.equity_months.is_some())
                else {
                    return Err(invalid(field::LEASE, Problem::LeaseNotForEquity));
                };
                if ledger.live().any(|(e, _)| e.lease_id == Some(*lease_id)) {
                    return Err(invalid(field::LEASE, Problem::LeaseAlreadyConverted));
                }
                // The conversion cannot exceed the rent of the period the term covers; the
                // valuation it uses is the round's pre-money, stored with the event.
                let covered = Money::from_fen(
                    i64::from(found.equity_months.unwrap_or(0)).saturating_mul(found.equity_monthly_fen.unwrap_or(0)),
                );
                let converted: Money = rows.iter().filter(|c| c.channel != Channel::Cash).map(|c| c.amount).sum();
                if converted > covered {
                    return Err(invalid(field::ROWS, Problem::MoreThanRent { max: covered.to_string() }));
                }
            }
            let rows = contributions(&txn, &mut ledger, &state, startup, carrier, rows).await?;
            let terms =
                RoundTerms { pre_money: *pre_money, participants: rows.iter().map(|(h, c)| (*h, c.amount)).collect() };
            let outcome = domain::equity::round(&state.table, &terms).map_err(round_problem)?;
            // Below ¥1 per ¥1 of capital the company issues capital for less than its face value
            // (the reserve goes negative): refused unless the operator marked it so, with a reason.
            if outcome.new_capital > outcome.new_money && !discounted {
                return Err(invalid(field::PRE_MONEY, Problem::BelowPar { price: outcome.price.decimal(4) }));
            }
            let lines = rows
                .iter()
                .map(|(holder, c)| {
                    let part =
                        outcome.holders.iter().find(|o| o.holder == *holder).map_or(Money::ZERO, |o| o.new_capital);
                    NewLine {
                        holder: *holder,
                        subscribed: part,
                        paid_in: part,
                        cost: Cost::of(c.channel, c.amount),
                        amount: c.amount,
                    }
                })
                .collect();
            (EventKind::CapitalIncrease, Some(*stage), Some(*pre_money), *lease_id, lines)
        }
        Entry::Transfer { from, to, capital, price } => {
            if !ledger.holders.contains_key(from) || state.holding(*from).subscribed == Money::ZERO {
                return Err(invalid(field::FROM, Problem::UnknownHolder));
            }
            let to = resolve(&txn, &mut ledger, &state, startup, carrier, to, (field::TO, "to_name")).await?;
            let after = domain::equity::transfer(&state.table, *from, to, *capital).map_err(|e| match e {
                TransferError::Nothing => invalid(field::CAPITAL, Problem::NotPositive),
                TransferError::MoreThanHeld => invalid(field::CAPITAL, Problem::MoreThanHeld),
                TransferError::SameHolder => invalid(field::TO, Problem::SameHolder),
            })?;
            let seller = state.holding(*from);
            let paid = seller.paid_in - after.holdings.get(from).map_or(Money::ZERO, |h| h.paid_in);
            let seller_cost = state.cost.get(from).copied().unwrap_or_default().share(*capital, seller.subscribed);
            let lines = vec![
                NewLine {
                    holder: *from,
                    subscribed: Money::ZERO - *capital,
                    paid_in: Money::ZERO - paid,
                    cost: seller_cost.negated(),
                    amount: *price,
                },
                NewLine {
                    holder: to,
                    subscribed: *capital,
                    paid_in: paid,
                    cost: Cost::of(domain::ledger::Channel::Cash, *price),
                    amount: *price,
                },
            ];
            (EventKind::Transfer, None, None, None, lines)
        }
        Entry::Reduction { holder, capital, returned } => {
            let held = state.holding(*holder);
            if !ledger.holders.contains_key(holder) || held.subscribed == Money::ZERO {
                return Err(invalid(field::FROM, Problem::UnknownHolder));
            }
            if *capital > held.subscribed {
                return Err(invalid(field::CAPITAL, Problem::MoreThanHeld));
            }
            let paid = Money::from_fen(
                Fraction::new(i128::from(capital.fen()), i128::from(held.subscribed.fen())).times(held.paid_in.fen()),
            );
            let cost = state.cost.get(holder).copied().unwrap_or_default().share(*capital, held.subscribed);
            let lines = vec![NewLine {
                holder: *holder,
                subscribed: Money::ZERO - *capital,
                paid_in: Money::ZERO - paid,
                cost: cost.negated(),
                amount: *returned,
            }];
            (EventKind::Reduction, None, None, None, lines)
        }
    };
    let row = equity_event::ActiveModel {
        startup_id: Set(startup.0),
        kind: Set(kind.code().to_owned()),
        on_date: Set(event.on),
        stage: Set(stage.map(|s| s.code().to_owned())),
        pre_money_fen: Set(pre_money.map(Money::fen)),
        lease_id: Set(lease_id),
        reverses_id: Set(None),
        note: Set(event.note.clone()),
        author_email: Set(actor.email.clone()),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut written = Vec::with_capacity(lines.len());
    for line in &lines {
        written.push(insert_line(&txn, row.id, line).await?);
    }
    audit::record(
        &txn,
        By::Actor(actor),
        Change {
            action: kind.code(),
            entity_type: "equity_event",
            entity_id: row.id,
            carrier: Some(carrier),
            startup: Some(startup),
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "on": event.on,
                "stage": stage,
                "pre_money_fen": pre_money.map(Money::fen),
                "lease": lease_id,
                "note": event.note,
                "lines": written.iter().map(line_json(&ledger)).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

fn line_json(ledger: &Ledger) -> impl Fn(&equity_line::Model) -> serde_json::Value + '_ {
    move |l| {
        serde_json::json!({
            "holder": ledger.name(l.holder_id),
            "subscribed_fen": l.subscribed_fen,
            "paid_in_fen": l.paid_in_fen,
            "cash_fen": l.cash_fen,
            "rent_fen": l.rent_fen,
            "services_fen": l.services_fen,
            "amount_fen": l.amount_fen,
        })
    }
}

async fn insert_line(txn: &impl ConnectionTrait, event: i64, line: &NewLine) -> Result<equity_line::Model> {
    Ok(equity_line::ActiveModel {
        event_id: Set(event),
        holder_id: Set(line.holder),
        subscribed_fen: Set(line.subscribed.fen()),
        paid_in_fen: Set(line.paid_in.fen()),
        cash_fen: Set(line.cost.cash.fen()),
        rent_fen: Set(line.cost.rent.fen()),
        services_fen: Set(line.cost.services.fen()),
        amount_fen: Set(line.amount.fen()),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// Corrects an event by reversing it: a new event, dated like the original, negates its lines.
/// Only the latest live event can be reversed: every later event was recorded against the table
/// it left (a round's price, a transfer's holding), so later events are corrected first, last
/// in, first out.
pub async fn reverse(db: &DatabaseConnection, actor: &Actor, event_id: i64, reason: &str) -> Result<i64> {
    // Nobody but the bureau learns from the answer whether an event exists.
    let original = equity_event::Entity::find_by_id(event_id).one(db).await?.ok_or(ServiceError::Forbidden)?;
    let startup = StartupId(original.startup_id);
    let carrier = *recording_carriers(db, actor, startup).await?.first().ok_or(ServiceError::Forbidden)?;
    let txn = db::begin_write(db).await?;
    lock_startup(&txn, startup).await?;
    let ledger = load_one(&txn, startup).await?;
    if original.reverses_id.is_some() || ledger.reversed().contains(&event_id) {
        return Err(invalid(field::REASON, Problem::AlreadyReversed));
    }
    if ledger.live().last().map(|(e, _)| e.id) != Some(event_id) {
        return Err(invalid(field::REASON, Problem::ReversalBreaksLedger));
    }
    let lines = ledger.events.iter().find(|(e, _)| e.id == event_id).map(|(_, l)| l.clone()).unwrap_or_default();
    let row = equity_event::ActiveModel {
        startup_id: Set(startup.0),
        kind: Set(EventKind::Reversal.code().to_owned()),
        on_date: Set(original.on_date),
        stage: Set(None),
        pre_money_fen: Set(None),
        lease_id: Set(None),
        reverses_id: Set(Some(event_id)),
        note: Set(reason.to_owned()),
        author_email: Set(actor.email.clone()),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for line in &lines {
        let negated = NewLine {
            holder: line.holder_id,
            subscribed: Money::from_fen(-line.subscribed_fen),
            paid_in: Money::from_fen(-line.paid_in_fen),
            cost: cost_of(line).negated(),
            amount: Money::from_fen(-line.amount_fen),
        };
        insert_line(&txn, row.id, &negated).await?;
    }
    audit::record(
        &txn,
        By::Actor(actor),
        Change {
            action: EventKind::Reversal.code(),
            entity_type: "equity_event",
            entity_id: row.id,
            carrier: Some(carrier),
            startup: Some(startup),
            before: audit::snapshot(&serde_json::json!({
                "event": event_id,
                "kind": original.kind,
                "on": original.on_date,
                "lines": lines.iter().map(line_json(&ledger)).collect::<Vec<_>>(),
            })),
            after: audit::snapshot(&serde_json::json!({ "reverses": event_id, "reason": reason })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

// ---- reading ----------------------------------------------------------------------------------

fn event_view(ledger: &Ledger, event: &equity_event::Model, lines: &[equity_line::Model]) -> EventView {
    let reversed_by = ledger.events.iter().find(|(e, _)| e.reverses_id == Some(event.id)).map(|(e, _)| e.id);
    EventView {
        id: event.id,
        kind: EventKind::from_code(&event.kind).unwrap_or(EventKind::Reversal),
        on: event.on_date,
        stage: event.stage.as_deref().and_then(RoundStage::from_code),
        pre_money: event.pre_money_fen.map(Money::from_fen),
        lines: lines
            .iter()
            .map(|l| LineView {
                holder: ledger.name(l.holder_id),
                subscribed: Money::from_fen(l.subscribed_fen),
                paid_in: Money::from_fen(l.paid_in_fen),
                cost: cost_of(l),
                amount: Money::from_fen(l.amount_fen),
            })
            .collect(),
        note: event.note.clone(),
        author: event.author_email.clone(),
        recorded_at: event.recorded_at,
        reverses: event.reverses_id,
        reversed_by,
    }
}

/// Holder rows of a state: every current holder with its share, by largest remainder.
fn holder_rows(ledger: &Ledger, state: &State) -> Vec<HolderRow> {
    let shares: BTreeMap<i64, i64> = state.table.percentages().into_iter().collect();
    let mut rows: Vec<HolderRow> = state
        .table
        .holdings
        .iter()
        .map(|(id, h)| HolderRow {
            id: *id,
            name: ledger.name(*id),
            kind: ledger.kind(*id),
            carrier: ledger.holders.get(id).and_then(|h| h.carrier_id).map(CarrierId),
            subscribed: h.subscribed,
            paid_in: h.paid_in,
            millionths: shares.get(id).copied().unwrap_or(0),
            cost: state.cost.get(id).copied().unwrap_or_default(),
        })
        .collect();
    rows.sort_by(|a, b| b.subscribed.cmp(&a.subscribed).then(a.id.cmp(&b.id)));
    rows
}

/// A startup's cap table on `on`, with the whole ledger.
pub async fn cap_table(
    db: &impl ConnectionTrait,
    actor: &Actor,
    startup: StartupId,
    on: NaiveDate,
) -> Result<CapTableView> {
    check_read(db, actor, startup).await?;
    let row = startup::Entity::find_by_id(startup.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let ledger = load_one(db, startup).await?;
    let state = ledger.state_on(on);
    let reserve = ledger
        .live()
        .filter(|(e, _)| e.on_date <= on && e.kind == EventKind::CapitalIncrease.code())
        .flat_map(|(_, lines)| lines)
        .map(|l| l.amount_fen - l.subscribed_fen)
        .sum();
    let record_for = recording_carriers(db, actor, startup).await?;
    let names: BTreeMap<i64, String> = carrier::Entity::find()
        .filter(carrier::Column::Id.is_in(record_for.iter().map(|c| c.0)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let equity_leases = if record_for.is_empty() {
        Vec::new()
    } else {
        lease::Entity::find()
            .filter(lease::Column::StartupId.eq(startup.0))
            .filter(lease::Column::CarrierId.is_in(record_for.iter().map(|c| c.0)))
            .order_by_asc(lease::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|l| {
                let months = l.equity_months?;
                let monthly = l.equity_monthly_fen?;
                let valuation = l.equity_valuation_fen?;
                Some((
                    l.id,
                    names.get(&l.carrier_id).cloned().unwrap_or_default(),
                    Money::from_fen(monthly * i64::from(months)),
                    Money::from_fen(valuation),
                ))
            })
            .collect()
    };
    let mut all_holders: Vec<(i64, String, HolderKind)> =
        ledger.holders.values().map(|h| (h.id, h.name.clone(), ledger.kind(h.id))).collect();
    all_holders.sort_by_key(|h| h.0);
    Ok(CapTableView {
        startup,
        startup_name: row.name,
        on,
        registered_capital: state.table.registered_capital(),
        paid_in: state.table.holdings.values().map(|h| h.paid_in).sum(),
        reserve: Money::from_fen(reserve),
        holders: holder_rows(&ledger, &state),
        all_holders,
        events: ledger.events.iter().rev().map(|(e, l)| event_view(&ledger, e, l)).collect(),
        correctable: ledger.live().last().map(|(e, _)| e.id),
        record_for: record_for.into_iter().map(|c| (c, names.get(&c.0).cloned().unwrap_or_default())).collect(),
        equity_leases,
    })
}

/// One capital increase with its arithmetic: price, new capital, reserve, and for every holder
/// its pro-rata entitlement, ownership before and after, dilution and whether it kept its share.
pub async fn round(db: &impl ConnectionTrait, actor: &Actor, event_id: i64) -> Result<RoundView> {
    // An event that does not exist is answered as one the caller may not read, except to the
    // bureau (which may read every one): the answer reveals nothing about which ids exist.
    let missing = || if actor.bureau { ServiceError::NotFound } else { ServiceError::Forbidden };
    let event = equity_event::Entity::find_by_id(event_id).one(db).await?.ok_or_else(missing)?;
    let startup = StartupId(event.startup_id);
    check_read(db, actor, startup).await?;
    if event.kind != EventKind::CapitalIncrease.code() {
        return Err(ServiceError::NotFound);
    }
    let name = startup::Entity::find_by_id(startup.0).one(db).await?.map(|s| s.name).unwrap_or_default();
    let ledger = load_one(db, startup).await?;
    let lines = ledger.events.iter().find(|(e, _)| e.id == event_id).map(|(_, l)| l.clone()).unwrap_or_default();
    let before = ledger.state_before(&event);
    let mut after = before.clone();
    after.apply(&lines);
    let capital_before = before.table.registered_capital();
    let pre_money = Money::from_fen(event.pre_money_fen.unwrap_or(0));
    let new_money: Money = lines.iter().map(|l| Money::from_fen(l.amount_fen)).sum();
    let new_capital: Money = lines.iter().map(|l| Money::from_fen(l.subscribed_fen)).sum();
    let mut ids: Vec<i64> = before.table.holdings.keys().copied().collect();
    ids.extend(lines.iter().map(|l| l.holder_id).filter(|h| !before.table.holdings.contains_key(h)));
    // The percentages as the cap tables show them: largest remainder over every holder.
    let shown_before: BTreeMap<i64, i64> = before.table.percentages().into_iter().collect();
    let shown_after: BTreeMap<i64, i64> = after.table.percentages().into_iter().collect();
    let holders = ids
        .into_iter()
        .map(|id| {
            let line = lines.iter().find(|l| l.holder_id == id);
            let held = before.holding(id).subscribed;
            let existing = held != Money::ZERO;
            let invested = line.map_or(Money::ZERO, |l| Money::from_fen(l.amount_fen));
            let pro_rata = if existing {
                Money::from_fen(
                    Fraction::new(i128::from(held.fen()), i128::from(capital_before.fen())).times(new_money.fen()),
                )
            } else {
                Money::ZERO
            };
            RoundHolder {
                name: ledger.name(id),
                kind: ledger.kind(id),
                invested,
                channel: line.and_then(|l| {
                    let c = cost_of(l);
                    [
                        (c.cash, domain::ledger::Channel::Cash),
                        (c.rent, domain::ledger::Channel::Rent),
                        (c.services, domain::ledger::Channel::Services),
                    ]
                    .into_iter()
                    .find(|(m, _)| m.fen() != 0)
                    .map(|(_, ch)| ch)
                }),
                new_capital: line.map_or(Money::ZERO, |l| Money::from_fen(l.subscribed_fen)),
                pro_rata,
                before: before.table.ownership(id),
                after: after.table.ownership(id),
                before_millionths: shown_before.get(&id).copied().unwrap_or(0),
                after_millionths: shown_after.get(&id).copied().unwrap_or(0),
                existing,
                kept_share: existing && invested >= pro_rata,
            }
        })
        .collect();
    Ok(RoundView {
        id: event.id,
        startup,
        startup_name: name,
        on: event.on_date,
        stage: event.stage.as_deref().and_then(RoundStage::from_code).unwrap_or(RoundStage::Later),
        pre_money,
        new_money,
        post_money: pre_money + new_money,
        price: Fraction::new(i128::from(pre_money.fen()), i128::from(capital_before.fen())),
        capital_before,
        new_capital,
        reserve: new_money - new_capital,
        holders,
        reversed: ledger.reversed().contains(&event_id),
    })
}

/// Outside money each of `startups` raised up to `until`, round by round: the cash put in by
/// holders other than its founders in financing rounds (capital increases that are not rent or
/// services conversions), reversed rounds left out. What readiness and graduation call financing
/// from the ledger.
pub(crate) async fn outside_money(
    db: &impl ConnectionTrait,
    startups: &[i64],
    until: NaiveDate,
) -> Result<BTreeMap<i64, Vec<(NaiveDate, Money)>>> {
    let mut out: BTreeMap<i64, Vec<(NaiveDate, Money)>> = BTreeMap::new();
    if startups.is_empty() {
        return Ok(out);
    }
    let events = equity_event::Entity::find()
        .filter(equity_event::Column::StartupId.is_in(startups.iter().copied()))
        .filter(equity_event::Column::OnDate.lte(until))
        .all(db)
        .await?;
    let reversed: BTreeSet<i64> = events.iter().filter_map(|e| e.reverses_id).collect();
    let rounds: BTreeMap<i64, &equity_event::Model> = events
        .iter()
        .filter(|e| {
            e.kind == EventKind::CapitalIncrease.code()
                && e.stage.as_deref() != Some(RoundStage::Conversion.code())
                && !reversed.contains(&e.id)
        })
        .map(|e| (e.id, e))
        .collect();
    if rounds.is_empty() {
        return Ok(out);
    }
    let founders: BTreeSet<i64> = equity_holder::Entity::find()
        .filter(equity_holder::Column::StartupId.is_in(startups.iter().copied()))
        .filter(equity_holder::Column::Kind.eq(HolderKind::Founder.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.id)
        .collect();
    let lines =
        equity_line::Entity::find().filter(equity_line::Column::EventId.is_in(rounds.keys().copied())).all(db).await?;
    let mut by_round: BTreeMap<i64, i64> = BTreeMap::new();
    for line in lines.iter().filter(|l| !founders.contains(&l.holder_id) && l.cash_fen > 0) {
        *by_round.entry(line.event_id).or_default() += line.cash_fen;
    }
    for (event, cash) in by_round {
        if let Some(round) = rounds.get(&event) {
            out.entry(round.startup_id).or_default().push((round.on_date, Money::from_fen(cash)));
        }
    }
    Ok(out)
}

// ---- portfolios -------------------------------------------------------------------------------

/// Every stake carriers hold on `on`: one row per (carrier, startup). `carriers` narrows the
/// search; `None` is every carrier.
pub(crate) async fn stakes(
    db: &impl ConnectionTrait,
    carriers: Option<&[CarrierId]>,
    on: NaiveDate,
) -> Result<Vec<(CarrierId, PortfolioRow)>> {
    let mut query = equity_holder::Entity::find().filter(equity_holder::Column::CarrierId.is_not_null());
    if let Some(carriers) = carriers {
        query = query.filter(equity_holder::Column::CarrierId.is_in(carriers.iter().map(|c| c.0)));
    }
    let carrier_holders = query.all(db).await?;
    let mut startups: Vec<i64> = carrier_holders.iter().map(|h| h.startup_id).collect();
    startups.sort_unstable();
    startups.dedup();
    let ledgers = load(db, &startups).await?;
    let companies: BTreeMap<i64, startup::Model> = startup::Entity::find()
        .filter(startup::Column::Id.is_in(startups.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    // (carrier, startup) → that carrier's holders there.
    let mut groups: BTreeMap<(i64, i64), BTreeSet<i64>> = BTreeMap::new();
    for h in &carrier_holders {
        if let Some(carrier) = h.carrier_id {
            groups.entry((carrier, h.startup_id)).or_default().insert(h.id);
        }
    }
    let mut rows = Vec::new();
    for ((carrier, startup_id), mine) in groups {
        let Some(ledger) = ledgers.get(&startup_id) else { continue };
        if let Some(row) = stake(ledger, &mine, on, &companies, startup_id) {
            rows.push((CarrierId(carrier), row));
        }
    }
    Ok(rows)
}

/// What the holders `mine` hold in one startup on `on`, or `None` when they hold nothing.
fn stake(
    ledger: &Ledger,
    mine: &BTreeSet<i64>,
    on: NaiveDate,
    companies: &BTreeMap<i64, startup::Model>,
    startup_id: i64,
) -> Option<PortfolioRow> {
    let mut state = State::default();
    let (mut initial, mut follow_on) = (Money::ZERO, Money::ZERO);
    let mut acquired = false;
    let mut latest: Option<(RoundStage, NaiveDate, Fraction)> = None;
    for (event, lines) in ledger.live().filter(|(e, _)| e.on_date <= on) {
        let capital_before = state.table.registered_capital();
        let ours: Vec<&equity_line::Model> = lines.iter().filter(|l| mine.contains(&l.holder_id)).collect();
        let gained: Money = ours.iter().filter(|l| l.subscribed_fen > 0).map(|l| cost_of(l).total()).sum();
        if !acquired && ours.iter().any(|l| l.subscribed_fen > 0) {
            initial = gained;
            acquired = true;
        } else if acquired && event.kind == EventKind::CapitalIncrease.code() {
            follow_on = follow_on + gained;
        }
        if event.kind == EventKind::CapitalIncrease.code()
            && let Some(pre) = event.pre_money_fen
            && capital_before.fen() > 0
        {
            let stage = event.stage.as_deref().and_then(RoundStage::from_code).unwrap_or(RoundStage::Later);
            latest = Some((stage, event.on_date, Fraction::new(i128::from(pre), i128::from(capital_before.fen()))));
        }
        state.apply(lines);
    }
    let capital: Money = mine.iter().map(|h| state.holding(*h).subscribed).sum();
    if capital == Money::ZERO {
        return None;
    }
    let registered = state.table.registered_capital();
    let company = companies.get(&startup_id);
    Some(PortfolioRow {
        startup: StartupId(startup_id),
        startup_name: company.map(|c| c.name.clone()).unwrap_or_default(),
        industry: company.and_then(|c| c.industry.as_deref()).and_then(Industry::from_code),
        capital,
        ownership: Fraction::new(i128::from(capital.fen()), i128::from(registered.fen())),
        cost: mine.iter().map(|h| state.cost.get(h).copied().unwrap_or_default()).sum(),
        initial,
        follow_on,
        latest_round: latest.map(|(stage, date, _)| (stage, date)),
        implied_value: latest.map(|(_, _, price)| Money::from_fen(price.times(capital.fen()))),
    })
}

fn totals_by(rows: &[PortfolioRow], key: impl Fn(&PortfolioRow) -> String) -> Vec<PortfolioTotals> {
    let mut groups: BTreeMap<String, PortfolioTotals> = BTreeMap::new();
    for row in rows {
        let k = key(row);
        groups.entry(k.clone()).or_insert_with(|| PortfolioTotals { key: k, ..Default::default() }).add(row);
    }
    groups.into_values().collect()
}

/// A carrier's portfolio on `on`: its operators and the bureau.
pub async fn portfolio(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<PortfolioView> {
    authz::read_carrier(actor, carrier)?;
    let row = carrier::Entity::find_by_id(carrier.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let mut rows: Vec<PortfolioRow> = stakes(db, Some(&[carrier]), on).await?.into_iter().map(|(_, r)| r).collect();
    rows.sort_by(|a, b| a.startup_name.cmp(&b.startup_name));
    let mut total = PortfolioTotals::default();
    rows.iter().for_each(|r| total.add(r));
    Ok(PortfolioView {
        carrier,
        carrier_name: row.name,
        on,
        by_industry: totals_by(&rows, |r| r.industry.map(|i| i.code().to_owned()).unwrap_or_default()),
        by_round: totals_by(&rows, |r| r.latest_round.map(|(s, _)| s.code().to_owned()).unwrap_or_default()),
        rows,
        total,
    })
}

/// Every carrier's stakes, by district and for the city: the bureau only.
pub async fn city_portfolio(db: &impl ConnectionTrait, actor: &Actor, on: NaiveDate) -> Result<CityPortfolio> {
    if !actor.bureau {
        return Err(ServiceError::Forbidden);
    }
    let stakes = stakes(db, None, on).await?;
    // Registered carriers only, as everywhere the bureau sees the city.
    let carriers: BTreeMap<i64, i64> = carrier::Entity::find()
        .filter(carrier::Column::Archived.eq(false))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.district_id))
        .collect();
    let mut by_district: BTreeMap<i64, (BTreeSet<CarrierId>, PortfolioTotals)> = BTreeMap::new();
    let mut city = PortfolioTotals::default();
    let mut holding_carriers = BTreeSet::new();
    for (carrier, row) in &stakes {
        let Some(district) = carriers.get(&carrier.0) else { continue };
        let entry = by_district.entry(*district).or_default();
        entry.0.insert(*carrier);
        entry.1.add(row);
        city.add(row);
        holding_carriers.insert(*carrier);
    }
    let districts = district::Entity::find().order_by_asc(district::Column::SortOrder).all(db).await?;
    Ok(CityPortfolio {
        on,
        districts: districts
            .into_iter()
            .map(|d| {
                let (carriers, totals) = by_district.remove(&d.id).unwrap_or_default();
                DistrictPortfolio {
                    district: DistrictId(d.id),
                    name_zh: d.name_zh,
                    name_en: d.name_en,
                    carriers: u32::try_from(carriers.len()).unwrap_or(u32::MAX),
                    totals,
                }
            })
            .collect(),
        carriers: u32::try_from(holding_carriers.len()).unwrap_or(u32::MAX),
        city,
    })
}

/// What the OCF export needs: the startup, its ledger and its state on `on` (after the read
/// check).
pub(crate) async fn for_export(
    db: &impl ConnectionTrait,
    actor: &Actor,
    startup: StartupId,
) -> Result<(startup::Model, Ledger)> {
    check_read(db, actor, startup).await?;
    let row = startup::Entity::find_by_id(startup.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    Ok((row, load_one(db, startup).await?))
}

impl Ledger {
    /// Public for the export: the state on a day, and each current holder's first acquisition.
    pub(crate) fn export_state(&self, on: NaiveDate) -> (State, BTreeMap<i64, NaiveDate>) {
        let mut first = BTreeMap::new();
        for (event, lines) in self.live().filter(|(e, _)| e.on_date <= on) {
            for line in lines.iter().filter(|l| l.subscribed_fen > 0) {
                first.entry(line.holder_id).or_insert(event.on_date);
            }
        }
        (self.state_on(on), first)
    }
}
