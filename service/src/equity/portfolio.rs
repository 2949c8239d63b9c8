//! Portfolios: a carrier's stakes and the city's, and the ledger for export.

use super::ledger::{Ledger, State, cost_of, load, load_one};
use crate::entity::{carrier, district, equity_holder, equity_line, startup};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError};
use chrono::NaiveDate;
use domain::carrier::Industry;
use domain::equity::Fraction;
use domain::equity::ledger::{
    CityPortfolio, DistrictPortfolio, EventKind, PortfolioRow, PortfolioTotals, PortfolioView, RoundStage,
};
use domain::{CarrierId, DistrictId, Money, StartupId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, BTreeSet};

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
    let mut companies: BTreeMap<i64, startup::Model> = BTreeMap::new();
    for slice in startups.chunks(crate::db::IN_LIST) {
        for s in startup::Entity::find().filter(startup::Column::Id.is_in(slice.iter().copied())).all(db).await? {
            companies.insert(s.id, s);
        }
    }
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, carrier = ?carrier))]
pub async fn portfolio(
    db: &impl ConnectionTrait,
    actor: &Actor,
    carrier: CarrierId,
    on: NaiveDate,
) -> Result<PortfolioView> {
    policy::read_carrier(actor, carrier)?;
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn city_portfolio(db: &impl ConnectionTrait, actor: &Actor, on: NaiveDate) -> Result<CityPortfolio> {
    policy::read_city(actor)?;
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
    policy::read_cap_table(db, actor, startup).await?;
    let row = startup::Entity::find_by_id(startup.0).one(db).await?.ok_or(ServiceError::NotFound)?;
    Ok((row, load_one(db, startup).await?))
}
