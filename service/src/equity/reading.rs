//! Reading a ledger: the cap table on a day, a round, the money from outside.

use super::ledger::{Ledger, State, cost_of, load_one};
use crate::entity::{carrier, equity_event, equity_holder, equity_line, lease, startup};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError};
use chrono::NaiveDate;
use domain::equity::Fraction;
use domain::equity::ledger::{
    CapTableView, EventKind, EventView, HolderKind, HolderRow, LineView, RoundHolder, RoundStage, RoundView,
};
use domain::{CarrierId, Money, StartupId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, BTreeSet};

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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, startup = ?startup))]
pub async fn cap_table(
    db: &impl ConnectionTrait,
    actor: &Actor,
    startup: StartupId,
    on: NaiveDate,
) -> Result<CapTableView> {
    policy::read_cap_table(db, actor, startup).await?;
    let row = startup::Entity::find_by_id(startup.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    let ledger = load_one(db, startup).await?;
    let state = ledger.state_on(on);
    let reserve = ledger
        .live()
        .filter(|(e, _)| e.on_date <= on && e.kind == EventKind::CapitalIncrease.code())
        .flat_map(|(_, lines)| lines)
        .map(|l| l.amount_fen - l.subscribed_fen)
        .sum();
    let record_for = policy::recording_carriers(db, actor, startup).await?;
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, event_id = ?event_id))]
pub async fn round(db: &impl ConnectionTrait, actor: &Actor, event_id: i64) -> Result<RoundView> {
    // An event that does not exist is answered as one the caller may not read, except to the
    // bureau (which may read every one): the answer reveals nothing about which ids exist.
    let missing = || policy::hidden(actor);
    let event = equity_event::Entity::find_by_id(event_id).one(db).await?.ok_or_else(missing)?;
    let startup = StartupId(event.startup_id);
    policy::read_cap_table(db, actor, startup).await?;
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
                        (c.cash, domain::equity::ledger::Channel::Cash),
                        (c.rent, domain::equity::ledger::Channel::Rent),
                        (c.services, domain::equity::ledger::Channel::Services),
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
