//! A startup's cap table in the Open Cap Table Format, version 1.2.0: a manifest and the JSON
//! files it lists (stakeholders, one stock class, transactions). Chinese limited-liability
//! companies have no shares; the mapping (also in the README):
//!
//! - the issuer is the startup, with its Unified Social Credit Code as a Chinese tax id;
//! - one COMMON stock class, "registered capital", whose unit is one yuan of registered capital
//!   (quantities carry two decimals, so a fen of capital is representable), with a par value of
//!   1 CNY and one vote per unit (an LLC votes in proportion to capital unless its articles say
//!   otherwise);
//! - every holder is a stakeholder (founders individuals, the rest institutions);
//! - one stock issuance per current holding: quantity = subscribed capital in yuan, cost basis =
//!   what the holder paid over all channels, share price = cost ÷ capital, dated at the holder's
//!   first acquisition; paid-in capital and cost per channel go into the comments.

use crate::authz::Actor;
use crate::equity;
use crate::{Result, ServiceError};
use chrono::{NaiveDate, Utc};
use domain::equity::Fraction;
use domain::ledger::HolderKind;
use domain::{Money, StartupId};
use md5::{Digest, Md5};
use serde_json::{Value, json};

/// The OCF version written.
pub const VERSION: &str = "1.2.0";

/// One file of the package: its name inside the zip and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcfFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

fn cny(amount: String) -> Value {
    json!({ "amount": amount, "currency": "CNY" })
}

fn file(path: &str, value: &Value) -> Result<OcfFile> {
    let bytes = serde_json::to_vec_pretty(value).map_err(|e| ServiceError::Corrupt(format!("OCF {path}: {e}")))?;
    Ok(OcfFile { path: path.to_owned(), bytes })
}

fn listed(file: &OcfFile) -> Value {
    json!([{ "filepath": file.path, "md5": format!("{:x}", Md5::digest(&file.bytes)) }])
}

/// The package for `startup` as of `on`, manifest last. Readable by whoever may read the cap
/// table.
pub async fn export(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    startup: StartupId,
    on: NaiveDate,
) -> Result<Vec<OcfFile>> {
    let (company, ledger) = equity::for_export(db, actor, startup).await?;
    let (state, first) = ledger.export_state(on);
    let capital = state.table.registered_capital();

    let mut holders: Vec<(&i64, &domain::equity::Holding)> = state.table.holdings.iter().collect();
    holders.sort_by_key(|(id, _)| **id);
    let stakeholders: Vec<Value> = holders
        .iter()
        .map(|(id, _)| {
            let kind = ledger.kind(**id);
            json!({
                "object_type": "STAKEHOLDER",
                "id": format!("holder-{id}"),
                "name": { "legal_name": ledger.name(**id) },
                "stakeholder_type": if kind == HolderKind::Founder { "INDIVIDUAL" } else { "INSTITUTION" },
                "current_relationship": match kind {
                    HolderKind::Founder => "FOUNDER",
                    HolderKind::EmployeePlatform => "OTHER",
                    _ => "INVESTOR",
                },
                "issuer_assigned_id": format!("holder-{id}"),
                "comments": [format!("Fuhua holder kind: {}", kind.code())],
            })
        })
        .collect();
    let stock_class = json!({
        "object_type": "STOCK_CLASS",
        "id": "registered-capital",
        "name": "注册资本 Registered capital",
        "class_type": "COMMON",
        "default_id_prefix": "RC-",
        "initial_shares_authorized": capital.to_string(),
        "votes_per_share": "1",
        "par_value": cny(Money::from_yuan(1).to_string()),
        "seniority": "1",
        "comments": ["One unit is one yuan (CNY) of subscribed registered capital of a limited-liability company."],
    });
    let issuances: Vec<Value> = holders
        .iter()
        .map(|(id, holding)| {
            let cost = state.cost.get(id).copied().unwrap_or_default();
            let price = Fraction::new(i128::from(cost.total().fen()), i128::from(holding.subscribed.fen()));
            json!({
                "object_type": "TX_STOCK_ISSUANCE",
                "id": format!("issuance-{id}"),
                "security_id": format!("RC-{id}"),
                "custom_id": format!("RC-{id}"),
                "stakeholder_id": format!("holder-{id}"),
                "stock_class_id": "registered-capital",
                "date": first.get(id).copied().unwrap_or(on).to_string(),
                "quantity": holding.subscribed.to_string(),
                "share_price": cny(price.decimal(10)),
                "cost_basis": cny(cost.total().to_string()),
                "stock_legend_ids": [],
                "security_law_exemptions": [],
                "consideration_text": format!(
                    "cash {} CNY; rent {} CNY; services {} CNY",
                    cost.cash, cost.rent, cost.services
                ),
                "comments": [format!("paid-in capital {} CNY of {} CNY subscribed", holding.paid_in, holding.subscribed)],
            })
        })
        .collect();

    let stakeholders_file =
        file("stakeholders.ocf.json", &json!({ "file_type": "OCF_STAKEHOLDERS_FILE", "items": stakeholders }))?;
    let classes_file =
        file("stock_classes.ocf.json", &json!({ "file_type": "OCF_STOCK_CLASSES_FILE", "items": [stock_class] }))?;
    let transactions_file =
        file("transactions.ocf.json", &json!({ "file_type": "OCF_TRANSACTIONS_FILE", "items": issuances }))?;
    let formation = company.founded_on.or_else(|| first.values().min().copied()).unwrap_or(on);
    let mut issuer = json!({
        "object_type": "ISSUER",
        "id": format!("issuer-{}", company.id),
        "legal_name": company.name,
        "formation_date": formation.to_string(),
        "country_of_formation": "CN",
        "initial_shares_authorized": capital.to_string(),
    });
    if let Some(code) = company.credit_code.as_deref().filter(|c| !c.is_empty()) {
        issuer["tax_ids"] = json!([{ "tax_id": code, "country": "CN" }]);
    }
    let manifest = file(
        "Manifest.ocf.json",
        &json!({
            "ocf_version": VERSION,
            "file_type": "OCF_MANIFEST_FILE",
            "issuer": issuer,
            "as_of": on.to_string(),
            "generated_at": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "comments": [
                "Exported by Fuhua. Quantities are yuan of registered capital (注册资本); money is CNY.",
            ],
            "stock_plans_files": [],
            "stock_legend_templates_files": [],
            "stock_classes_files": listed(&classes_file),
            "vesting_terms_files": [],
            "valuations_files": [],
            "transactions_files": listed(&transactions_file),
            "stakeholders_files": listed(&stakeholders_file),
        }),
    )?;
    Ok(vec![stakeholders_file, classes_file, transactions_file, manifest])
}
