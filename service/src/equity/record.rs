//! Recording an event in the ledger, and reversing one.

use super::access::lock_startup;
use super::ledger::{Ledger, State, cost_of, load_one};
use crate::audit::{self, By, Change};
use crate::entity::{equity_event, equity_holder, equity_line, lease};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, db};
use domain::equity::ledger::{Channel, Contribution, Cost, Entry, EventKind, HolderRef, NewEvent, field};
use domain::equity::{Fraction, Holding, RoundError, RoundTerms, TransferError};
use domain::{CarrierId, FieldErrors, Money, Problem, StartupId};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};

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
                created_at: Set(crate::now()),
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, startup = ?startup))]
pub async fn record(db: &DatabaseConnection, actor: &Actor, startup: StartupId, event: &NewEvent) -> Result<i64> {
    let permit = policy::record_equity(db, actor, startup).await?;
    let carrier = permit.recording_carrier().ok_or(ServiceError::Forbidden)?;
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
                    cost: Cost::of(domain::equity::ledger::Channel::Cash, *price),
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
        recorded_at: Set(crate::now()),
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
        By::Actor(permit),
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, event_id = ?event_id))]
pub async fn reverse(db: &DatabaseConnection, actor: &Actor, event_id: i64, reason: &str) -> Result<i64> {
    // Nobody but the bureau learns from the answer whether an event exists.
    let original = equity_event::Entity::find_by_id(event_id).one(db).await?.ok_or_else(|| policy::hidden(actor))?;
    let startup = StartupId(original.startup_id);
    let permit = policy::record_equity(db, actor, startup).await?;
    let carrier = permit.recording_carrier().ok_or(ServiceError::Forbidden)?;
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
        recorded_at: Set(crate::now()),
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
        By::Actor(permit),
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
