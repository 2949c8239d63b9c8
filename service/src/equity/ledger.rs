//! The ledger in memory: a startup's live events and lines, its state on a day.

use crate::Result;
use crate::entity::{equity_event, equity_holder, equity_line};
use chrono::NaiveDate;
use domain::equity::ledger::{Cost, HolderKind};
use domain::equity::{CapTable, Holding};
use domain::{Money, StartupId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, BTreeSet};

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
    pub(super) fn apply(&mut self, lines: &[equity_line::Model]) {
        for line in lines {
            let holding = self.table.holdings.entry(line.holder_id).or_default();
            holding.subscribed = holding.subscribed + Money::from_fen(line.subscribed_fen);
            holding.paid_in = holding.paid_in + Money::from_fen(line.paid_in_fen);
            let cost = self.cost.entry(line.holder_id).or_default();
            *cost = *cost + cost_of(line);
        }
        self.table.holdings.retain(|_, h| h.subscribed != Money::ZERO || h.paid_in != Money::ZERO);
    }

    pub(super) fn holding(&self, holder: i64) -> Holding {
        self.table.holdings.get(&holder).copied().unwrap_or_default()
    }
}

pub(super) fn cost_of(line: &equity_line::Model) -> Cost {
    Cost {
        cash: Money::from_fen(line.cash_fen),
        rent: Money::from_fen(line.rent_fen),
        services: Money::from_fen(line.services_fen),
    }
}

impl Ledger {
    /// Ids of events a correction has undone.
    pub(super) fn reversed(&self) -> BTreeSet<i64> {
        self.events.iter().filter_map(|(e, _)| e.reverses_id).collect()
    }

    /// The events that count: neither corrections nor corrected, in ledger order.
    pub(super) fn live(&self) -> impl Iterator<Item = &(equity_event::Model, Vec<equity_line::Model>)> {
        let reversed = self.reversed();
        self.events.iter().filter(move |(e, _)| e.reverses_id.is_none() && !reversed.contains(&e.id))
    }

    /// The state after every live event dated on or before `on`.
    pub(super) fn state_on(&self, on: NaiveDate) -> State {
        let mut state = State::default();
        for (_, lines) in self.live().filter(|(e, _)| e.on_date <= on) {
            state.apply(lines);
        }
        state
    }

    /// The state just before `event` (live events earlier in ledger order).
    pub(super) fn state_before(&self, event: &equity_event::Model) -> State {
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
    // A startup's rows all come in the slice that names it, in the ledger's order.
    let mut events = Vec::new();
    for slice in startups.chunks(crate::db::IN_LIST) {
        for holder in equity_holder::Entity::find()
            .filter(equity_holder::Column::StartupId.is_in(slice.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(ledger) = ledgers.get_mut(&holder.startup_id) {
                ledger.holders.insert(holder.id, holder);
            }
        }
        events.extend(
            equity_event::Entity::find()
                .filter(equity_event::Column::StartupId.is_in(slice.iter().copied()))
                .order_by_asc(equity_event::Column::OnDate)
                .order_by_asc(equity_event::Column::Id)
                .all(db)
                .await?,
        );
    }
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

pub(super) async fn load_one(db: &impl ConnectionTrait, startup: StartupId) -> Result<Ledger> {
    Ok(load(db, &[startup.0]).await?.remove(&startup.0).unwrap_or_default())
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
