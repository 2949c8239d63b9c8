//! The demonstration city at scale: `factor` cities like it, for measuring how pages behave as
//! the city grows (`fuhua seed --demo --scale N`).
//!
//! The demonstration city is built once through the product's own write paths ([`super::demo`]);
//! each further copy is then written in bulk, one `INSERT … SELECT` a table, parents before
//! children, in one transaction a copy. A copy's ids are the originals' shifted by the copy's
//! number times the table's largest original id, and every column that names a row of a copied
//! table is shifted by that table's offset, so each copy is a city of its own: its carriers,
//! buildings, units and their dated histories, leases, tenants, equity ledgers, annual returns,
//! accounts and audit trail, with the same invariants as the original (roll-ups equal to the
//! ledgers, which are copied with them; no unit in two leases; cap tables balanced). Reference
//! data is shared: districts, rule sets and criteria, the city's targets. Names that must be
//! unique carry the copy's number (`临沂高新区科技创业园·2`, `c2.operator@…`), and each copied
//! startup has a credit code of its own that passes the standard's check.
//!
//! Sign-ins, sessions, one-time links and the figures' epoch are not copied.

use crate::entity::{self, startup};
use crate::{Result, ServiceError};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};
use std::collections::BTreeMap;

/// The largest scale factor: a hundred cities is the size the harness measures.
pub const MAX_FACTOR: u32 = 200;

/// Marks a database already grown, so that growing it again is refused.
const SCALED: &str = "demo_scale";

/// What growing the city wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scaled {
    pub factor: u32,
    /// Rows written per table, all copies together.
    pub rows: Vec<(&'static str, u64)>,
}

/// The tables a copy shares with the original (reference data) or leaves out (sign-ins and
/// what only counts changes): every other table of the backup is copied.
pub const NOT_COPIED: &[&str] = &[
    "districts",
    "sessions",
    "one_time_tokens",
    "login_attempts",
    "maintenance",
    "area_targets",
    "rule_sets",
    "criteria",
];

/// The table whose id a column holds, for the columns that name a row of a copied table.
fn names_row_of(table: &str, column: &str) -> Option<&'static str> {
    Some(match column {
        "id" => return copied_table(table),
        "carrier_id" => "carriers",
        "startup_id" => "startups",
        "unit_id" => "units",
        "floor_id" => "floors",
        "building_id" => "buildings",
        "site_id" => "sites",
        "lease_id" => "leases",
        "application_id" => "applications",
        "document_id" => "documents",
        "event_id" | "reverses_id" => "equity_events",
        "holder_id" => "equity_holders",
        "user_id" | "actor_id" | "author_id" | "created_by" | "approved_by" | "uploaded_by" => "users",
        _ => return None,
    })
}

/// `table` as a `'static` name, if it is copied.
fn copied_table(table: &str) -> Option<&'static str> {
    COPIED.iter().copied().find(|t| *t == table)
}

/// The copied tables, parents before children (as the backup writes them).
pub const COPIED: &[&str] = &[
    "carriers",
    "carrier_states",
    "carrier_industries",
    "users",
    "startups",
    "memberships",
    "audit_log",
    "sites",
    "buildings",
    "floors",
    "units",
    "unit_changes",
    "area_ledger",
    "unit_imports",
    "startup_years",
    "documents",
    "applications",
    "leases",
    "lease_units",
    "lease_events",
    "tenant_events",
    "equity_holders",
    "equity_events",
    "equity_lines",
    "carrier_area_days",
    "carrier_leased_days",
    "annual_returns",
];

/// The audit trail's entity types whose ids name rows of copied tables.
const AUDITED: &[(&str, &str)] = &[
    ("carrier", "carriers"),
    ("startup", "startups"),
    ("user", "users"),
    ("membership", "memberships"),
    ("site", "sites"),
    ("building", "buildings"),
    ("floor", "floors"),
    ("unit", "units"),
    ("unit_import", "unit_imports"),
    ("document", "documents"),
    ("application", "applications"),
    ("lease", "leases"),
    ("equity_event", "equity_events"),
    ("equity_holder", "equity_holders"),
    ("tenant_event", "tenant_events"),
    ("tenant", "startups"),
];

/// Every copied table's largest original id, and the originals' largest carrier and startup id
/// (which select the original rows of the tables keyed by them).
struct Offsets(BTreeMap<&'static str, i64>);

impl Offsets {
    fn of(&self, table: &str) -> i64 {
        self.0.get(table).copied().unwrap_or(0)
    }
}

/// The tables with no id of their own, keyed by a carrier or a startup.
fn keyed_by(table: &str) -> Option<(&'static str, &'static str)> {
    match table {
        "carrier_industries" | "carrier_area_days" | "carrier_leased_days" | "annual_returns" => {
            Some(("carrier_id", "carriers"))
        }
        "startup_years" => Some(("startup_id", "startups")),
        _ => None,
    }
}

async fn columns(db: &impl ConnectionTrait, table: &str) -> Result<Vec<String>> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => format!(
            "SELECT column_name AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position"
        ),
        _ => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
    };
    let rows = db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await?;
    rows.iter().map(|r| r.try_get::<String>("", "name").map_err(ServiceError::from)).collect()
}

async fn largest(db: &impl ConnectionTrait, table: &str, column: &str) -> Result<i64> {
    let sql = format!("SELECT CAST(COALESCE(MAX({column}), 0) AS BIGINT) AS n FROM {table}");
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

/// The `INSERT … SELECT` that writes copy `n` of `table`'s original rows.
fn copy_statement(table: &str, columns: &[String], offsets: &Offsets, n: i64) -> String {
    let expressions: Vec<String> = columns
        .iter()
        .map(|column| {
            let shifted = |target: &str| format!("{column} + {}", n * offsets.of(target));
            match (table, column.as_str()) {
                ("carriers", "name") | ("startups", "name") => format!("{column} || '·{}'", n + 1),
                ("users", "email") => format!("'c{}.' || {column}", n + 1),
                // Each copy's credit codes are made afterwards ([`new_credit_codes`]).
                ("startups", "credit_code") => "NULL".to_owned(),
                ("audit_log", "entity_id") => {
                    let cases: String = AUDITED
                        .iter()
                        .map(|(kind, target)| format!(" WHEN '{kind}' THEN entity_id + {}", n * offsets.of(target)))
                        .collect();
                    format!("CASE entity_type{cases} ELSE entity_id END")
                }
                _ => match names_row_of(table, column) {
                    Some(target) => shifted(target),
                    None => column.clone(),
                },
            }
        })
        .collect();
    let originals = match keyed_by(table) {
        Some((column, parent)) => format!("{column} <= {}", offsets.of(parent)),
        None => format!("id <= {}", offsets.of(table)),
    };
    format!(
        "INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE {originals}",
        columns.join(", "),
        expressions.join(", ")
    )
}

/// A credit code for copy `n` of a startup whose original code is `code`: the same registration
/// prefix, an organisation body that carries the copy's number, and the check characters the
/// standard asks for.
fn credit_code_of_copy(code: &str, n: i64) -> Option<String> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return None;
    }
    let prefix: String = chars[..8].iter().collect();
    let tail: String = chars[11..16].iter().collect();
    // Three digits of copy number and five of the original's body: distinct across copies.
    domain::uscc::complete(&prefix, &format!("{:03}{tail}", n % 1000))
}

/// Gives copy `n`'s startups credit codes of their own.
async fn new_credit_codes(txn: &impl ConnectionTrait, offsets: &Offsets, n: i64) -> Result<()> {
    let originals: Vec<(i64, Option<String>)> = startup::Entity::find()
        .select_only()
        .column(startup::Column::Id)
        .column(startup::Column::CreditCode)
        .filter(startup::Column::Id.lte(offsets.of("startups")))
        .into_tuple()
        .all(txn)
        .await?;
    let codes: Vec<(i64, String)> = originals
        .into_iter()
        .filter_map(|(id, code)| Some((id + n * offsets.of("startups"), credit_code_of_copy(&code?, n)?)))
        .collect();
    for batch in codes.chunks(500) {
        let cases: String = batch.iter().map(|(id, code)| format!(" WHEN {id} THEN '{code}'")).collect();
        let ids: Vec<String> = batch.iter().map(|(id, _)| id.to_string()).collect();
        txn.execute_unprepared(&format!(
            "UPDATE startups SET credit_code = CASE id{cases} END WHERE id IN ({})",
            ids.join(", ")
        ))
        .await?;
    }
    Ok(())
}

/// Grows the demonstration city just seeded into `factor` cities like it (1 leaves it alone).
/// Refused on a database grown before, and on one with no demonstration city.
pub async fn grow(db: &DatabaseConnection, factor: u32) -> Result<Scaled> {
    if !(1..=MAX_FACTOR).contains(&factor) {
        return Err(ServiceError::Corrupt(format!("the scale factor must be 1 to {MAX_FACTOR}, not {factor}")));
    }
    let mut scaled = Scaled { factor, rows: Vec::new() };
    if factor == 1 {
        return Ok(scaled);
    }
    if entity::maintenance::Entity::find_by_id(SCALED.to_owned()).one(db).await?.is_some() {
        return Err(ServiceError::Corrupt("this database was grown to scale already".to_owned()));
    }
    let mut offsets = BTreeMap::new();
    for table in COPIED {
        if keyed_by(table).is_none() {
            offsets.insert(*table, largest(db, table, "id").await?);
        }
    }
    let offsets = Offsets(offsets);
    if offsets.of("carriers") == 0 {
        return Err(ServiceError::Corrupt("no demonstration city to grow: seed it first".to_owned()));
    }
    let mut columns_of = BTreeMap::new();
    for table in COPIED {
        columns_of.insert(*table, columns(db, table).await?);
    }
    let mut written: BTreeMap<&'static str, u64> = BTreeMap::new();
    for n in 1..i64::from(factor) {
        let txn = db.begin().await?;
        for table in COPIED {
            let sql = copy_statement(table, &columns_of[table], &offsets, n);
            *written.entry(table).or_default() += txn.execute_unprepared(&sql).await?.rows_affected();
        }
        new_credit_codes(&txn, &offsets, n).await?;
        txn.commit().await?;
        tracing::info!(copy = n + 1, factor, "demo city copied");
    }
    let txn = db.begin().await?;
    crate::backup::reset_sequences(&txn).await?;
    entity::maintenance::Entity::insert(entity::maintenance::ActiveModel {
        key: sea_orm::Set(SCALED.to_owned()),
        value: sea_orm::Set(factor.to_string()),
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    scaled.rows = COPIED.iter().map(|t| (*t, written.get(t).copied().unwrap_or(0))).collect();
    Ok(scaled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copys_credit_code_passes_the_standards_check_and_differs_by_copy() {
        let original = domain::uscc::complete("91371302", "MA3C4D5E").unwrap();
        let second = credit_code_of_copy(&original, 1).unwrap();
        let third = credit_code_of_copy(&original, 2).unwrap();
        assert!(domain::uscc::check(&second).is_ok(), "{second}");
        assert!(domain::uscc::check(&third).is_ok(), "{third}");
        assert_ne!(second, third);
        assert_eq!(&second[..8], &original[..8], "the registration prefix is kept");
    }

    #[test]
    fn a_copy_shifts_every_id_and_every_reference_and_renames_what_is_unique() {
        let offsets = Offsets(BTreeMap::from([("carriers", 40), ("startups", 1_000), ("leases", 900)]));
        let columns: Vec<String> =
            ["id", "carrier_id", "startup_id", "application_id", "state"].iter().map(|c| c.to_string()).collect();
        let sql = copy_statement("leases", &columns, &offsets, 2);
        assert_eq!(
            sql,
            "INSERT INTO leases (id, carrier_id, startup_id, application_id, state) SELECT id + 1800, carrier_id + 80, \
             startup_id + 2000, application_id + 0, state FROM leases WHERE id <= 900"
        );
        let sql = copy_statement("carriers", &["id".to_owned(), "name".to_owned()], &offsets, 1);
        assert!(sql.contains("name || '·2'"), "{sql}");
        let sql = copy_statement("carrier_area_days", &["carrier_id".to_owned()], &offsets, 1);
        assert!(sql.ends_with("WHERE carrier_id <= 40"), "{sql}");
    }
}
