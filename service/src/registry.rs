//! The dated registry: a carrier's district, kind, level, operating model and archived flag as
//! they stood on any day. Every figure of a day (district and city totals, breakdowns, trends,
//! target progress, the annual statistics) reads the attributes in force on that day, so that
//! archiving a carrier or moving it to another district today never moves a total of yesterday.
//!
//! One row per carrier and effective day holds the whole state from that day until the next
//! row, and which attributes the row set itself. A change dated before later rows carries
//! forward into them, attribute by attribute, until a later row that set the same attribute
//! itself: that later decision stands.

use crate::entity::carrier_state;
use crate::{Result, ServiceError};
use chrono::NaiveDate;
use domain::DistrictId;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::BTreeMap;

/// Bit flags of [`carrier_state::Model::set_fields`].
pub mod bit {
    pub const DISTRICT: i32 = 1;
    pub const KIND: i32 = 2;
    pub const LEVEL: i32 = 4;
    pub const MODEL: i32 = 8;
    pub const ARCHIVED: i32 = 16;
    pub const ALL: i32 = DISTRICT | KIND | LEVEL | MODEL | ARCHIVED;
}

/// A carrier's dated attributes on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub district: i64,
    pub kind: String,
    pub level: String,
    pub model: String,
    pub archived: bool,
}

impl From<&carrier_state::Model> for State {
    fn from(row: &carrier_state::Model) -> Self {
        State {
            district: row.district_id,
            kind: row.kind.clone(),
            level: row.level.clone(),
            model: row.operating_model.clone(),
            archived: row.archived,
        }
    }
}

/// A change of some attributes; `None` leaves one as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub district: Option<i64>,
    pub kind: Option<String>,
    pub level: Option<String>,
    pub model: Option<String>,
    pub archived: Option<bool>,
}

impl Change {
    /// Every attribute of `state`: a carrier's first row.
    pub fn all(state: &State) -> Self {
        Change {
            district: Some(state.district),
            kind: Some(state.kind.clone()),
            level: Some(state.level.clone()),
            model: Some(state.model.clone()),
            archived: Some(state.archived),
        }
    }

    /// The attributes that differ from `state`, as a change with their bits.
    fn against(&self, state: &State) -> (Change, i32) {
        let mut out = Change::default();
        let mut bits = 0;
        if let Some(d) = self.district.filter(|d| *d != state.district) {
            out.district = Some(d);
            bits |= bit::DISTRICT;
        }
        if let Some(k) = self.kind.clone().filter(|k| *k != state.kind) {
            out.kind = Some(k);
            bits |= bit::KIND;
        }
        if let Some(l) = self.level.clone().filter(|l| *l != state.level) {
            out.level = Some(l);
            bits |= bit::LEVEL;
        }
        if let Some(m) = self.model.clone().filter(|m| *m != state.model) {
            out.model = Some(m);
            bits |= bit::MODEL;
        }
        if let Some(a) = self.archived.filter(|a| *a != state.archived) {
            out.archived = Some(a);
            bits |= bit::ARCHIVED;
        }
        (out, bits)
    }

    /// Applies the attributes of `bits` to `row`.
    fn apply(&self, bits: i32, row: &mut carrier_state::Model) {
        if bits & bit::DISTRICT != 0
            && let Some(d) = self.district
        {
            row.district_id = d;
        }
        if bits & bit::KIND != 0
            && let Some(k) = &self.kind
        {
            row.kind.clone_from(k);
        }
        if bits & bit::LEVEL != 0
            && let Some(l) = &self.level
        {
            row.level.clone_from(l);
        }
        if bits & bit::MODEL != 0
            && let Some(m) = &self.model
        {
            row.operating_model.clone_from(m);
        }
        if bits & bit::ARCHIVED != 0
            && let Some(a) = self.archived
        {
            row.archived = a;
        }
    }
}

/// Records `change` effective `from` for `carrier`, inside the caller's transaction (which holds
/// the carrier's lock), carrying it forward into later rows that did not set the same attribute
/// themselves. Returns the state in force from the latest row: the carrier's current state.
pub(crate) async fn record(
    txn: &impl ConnectionTrait,
    carrier: i64,
    from: NaiveDate,
    change: &Change,
    author: &str,
) -> Result<State> {
    let rows = carrier_state::Entity::find()
        .filter(carrier_state::Column::CarrierId.eq(carrier))
        .order_by_asc(carrier_state::Column::EffectiveOn)
        .all(txn)
        .await?;
    let base = rows.iter().rev().find(|r| r.effective_on <= from).or(rows.first());
    let Some(base) = base else {
        // A carrier's first row: every attribute set.
        let complete = |v: Option<String>| v.ok_or_else(|| ServiceError::Corrupt("incomplete first state".into()));
        let row = carrier_state::ActiveModel {
            carrier_id: Set(carrier),
            effective_on: Set(from),
            district_id: Set(change.district.ok_or_else(|| ServiceError::Corrupt("no district".into()))?),
            kind: Set(complete(change.kind.clone())?),
            level: Set(complete(change.level.clone())?),
            operating_model: Set(complete(change.model.clone())?),
            archived: Set(change.archived.unwrap_or(false)),
            set_fields: Set(bit::ALL),
            author_email: Set(author.to_owned()),
            recorded_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        return Ok(State::from(&row));
    };
    let (effective, bits) = change.against(&State::from(base));
    if bits == 0 {
        return Ok(rows.last().map(State::from).unwrap_or_else(|| State::from(base)));
    }
    // The row of the day itself, updated or added.
    let mut latest = match rows.iter().find(|r| r.effective_on == from) {
        Some(existing) => {
            let mut row = existing.clone();
            effective.apply(bits, &mut row);
            row.set_fields |= bits;
            row.author_email = author.to_owned();
            row.recorded_at = crate::now();
            save(txn, &row).await?;
            row
        }
        None => {
            let mut row = base.clone();
            row.effective_on = from;
            effective.apply(bits, &mut row);
            carrier_state::ActiveModel {
                carrier_id: Set(carrier),
                effective_on: Set(from),
                district_id: Set(row.district_id),
                kind: Set(row.kind.clone()),
                level: Set(row.level.clone()),
                operating_model: Set(row.operating_model.clone()),
                archived: Set(row.archived),
                set_fields: Set(bits),
                author_email: Set(author.to_owned()),
                recorded_at: Set(crate::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?
        }
    };
    // Later rows: each changed attribute carries forward until a row that set it itself.
    let mut carrying = bits;
    for later in rows.iter().filter(|r| r.effective_on > from) {
        carrying &= !later.set_fields;
        if carrying == 0 {
            latest = later.clone();
            continue;
        }
        let mut row = later.clone();
        effective.apply(carrying, &mut row);
        if row != *later {
            save(txn, &row).await?;
        }
        latest = row;
    }
    Ok(State::from(&latest))
}

async fn save(txn: &impl ConnectionTrait, row: &carrier_state::Model) -> Result<()> {
    carrier_state::ActiveModel {
        id: Set(row.id),
        carrier_id: Set(row.carrier_id),
        effective_on: Set(row.effective_on),
        district_id: Set(row.district_id),
        kind: Set(row.kind.clone()),
        level: Set(row.level.clone()),
        operating_model: Set(row.operating_model.clone()),
        archived: Set(row.archived),
        set_fields: Set(row.set_fields),
        author_email: Set(row.author_email.clone()),
        recorded_at: Set(row.recorded_at),
    }
    .update(txn)
    .await?;
    Ok(())
}

/// The carriers registered (not archived) on `on`, in `district` if given: a subquery of carrier
/// ids, for figures that sum rows of registered carriers however many there are. A carrier's
/// state on a day is its latest row on or before it; a day before its first row has no state
/// (the carrier had not opened, and has no area or tenants dated then).
pub(crate) fn registered_on(district: Option<DistrictId>, on: NaiveDate) -> SelectStatement {
    let s = Alias::new("s");
    let later = Alias::new("later");
    let newer = Query::select()
        .expr(Expr::val(1))
        .from_as(carrier_state::Entity, later.clone())
        .and_where(
            Expr::col((later.clone(), carrier_state::Column::CarrierId))
                .equals((s.clone(), carrier_state::Column::CarrierId)),
        )
        .and_where(
            Expr::col((later.clone(), carrier_state::Column::EffectiveOn))
                .gt(Expr::col((s.clone(), carrier_state::Column::EffectiveOn))),
        )
        .and_where(Expr::col((later, carrier_state::Column::EffectiveOn)).lte(on))
        .to_owned();
    let mut query = Query::select();
    query
        .column((s.clone(), carrier_state::Column::CarrierId))
        .from_as(carrier_state::Entity, s.clone())
        .and_where(Expr::col((s.clone(), carrier_state::Column::EffectiveOn)).lte(on))
        .and_where(Expr::col((s.clone(), carrier_state::Column::Archived)).eq(false))
        .and_where(Expr::exists(newer).not());
    if let Some(d) = district {
        query.and_where(Expr::col((s, carrier_state::Column::DistrictId)).eq(d.0));
    }
    query.to_owned()
}

/// Every carrier's dated attributes up to a day, for figures over several days at once.
#[derive(Debug, Default)]
pub struct History {
    rows: BTreeMap<i64, Vec<(NaiveDate, State)>>,
}

impl History {
    /// The rows effective on or before `until` (of the carriers `carriers` names, if given).
    pub async fn load(db: &impl ConnectionTrait, until: NaiveDate, carriers: Option<&[i64]>) -> Result<History> {
        let mut select = carrier_state::Entity::find()
            .filter(carrier_state::Column::EffectiveOn.lte(until))
            .order_by_asc(carrier_state::Column::CarrierId)
            .order_by_asc(carrier_state::Column::EffectiveOn);
        if let Some(ids) = carriers {
            select = select.filter(carrier_state::Column::CarrierId.is_in(ids.iter().copied()));
        }
        let mut rows: BTreeMap<i64, Vec<(NaiveDate, State)>> = BTreeMap::new();
        for row in select.all(db).await? {
            rows.entry(row.carrier_id).or_default().push((row.effective_on, State::from(&row)));
        }
        Ok(History { rows })
    }

    /// A carrier's attributes on `day`; none before its first row.
    pub fn on(&self, carrier: i64, day: NaiveDate) -> Option<&State> {
        let rows = self.rows.get(&carrier)?;
        let after = rows.partition_point(|(from, _)| *from <= day);
        after.checked_sub(1).map(|i| &rows[i].1)
    }

    /// Whether a carrier counts on `day` (registered, not archived), in `district` if given.
    pub fn counts(&self, carrier: i64, day: NaiveDate, district: Option<DistrictId>) -> bool {
        self.on(carrier, day).is_some_and(|s| !s.archived && district.is_none_or(|d| s.district == d.0))
    }

    /// Every (carrier, day) on which a carrier's row changes, carrier by carrier.
    pub fn changes(&self) -> impl Iterator<Item = (i64, NaiveDate)> + '_ {
        self.rows.iter().flat_map(|(carrier, rows)| rows.iter().map(|(day, _)| (*carrier, *day)))
    }

    /// The carriers with any row.
    pub fn carriers(&self) -> impl Iterator<Item = i64> + '_ {
        self.rows.keys().copied()
    }
}

/// A carrier's rows, oldest first, for its page and for tests.
pub async fn rows_of(db: &impl ConnectionTrait, carrier: i64) -> Result<Vec<carrier_state::Model>> {
    Ok(carrier_state::Entity::find()
        .filter(carrier_state::Column::CarrierId.eq(carrier))
        .order_by_asc(carrier_state::Column::EffectiveOn)
        .all(db)
        .await?)
}
