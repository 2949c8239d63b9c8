//! A startup's cap table in the Open Cap Table Format, version 1.2.0: a manifest and the JSON
//! files it lists (stakeholders, one stock class, transactions). Chinese limited-liability
//! companies have no shares; the mapping (also in the README):
//!
//! - the issuer is the startup, with its Unified Social Credit Code as a Chinese tax id;
//! - one COMMON stock class, "registered capital", whose unit is one yuan of registered capital
//!   (quantities carry two decimals, so a fen of capital is representable), with a par value of
//!   1 CNY and one vote per unit (an LLC votes in proportion to capital unless its articles say
//!   otherwise);
//! - every holder that ever held capital is a stakeholder (founders individuals, the rest
//!   institutions);
//! - the ledger's history, event by event (corrected events and their corrections left out):
//!   each line of a formation or capital increase is a stock issuance of its own security —
//!   quantity = capital in yuan, share price = the round's price per ¥1 of capital (par at
//!   formation), cost basis = what the holder paid, with the channel (cash, rent under a named
//!   lease, services) in the consideration and the round's stage, pre-money valuation and price in
//!   the comments; a transfer is a stock transfer of the seller's securities, oldest first, whose
//!   resulting securities (the buyer's, and the seller's balance) are issued the same day; a
//!   capital reduction is a stock cancellation, likewise. The securities left open are the cap
//!   table on the day.

use crate::equity;
use crate::policy::Actor;
use crate::{Result, ServiceError};
use chrono::{NaiveDate, Utc};
use domain::equity::Fraction;
use domain::equity::ledger::{EventKind, HolderKind};
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, startup = ?startup))]
pub async fn export(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    startup: StartupId,
    on: NaiveDate,
) -> Result<Vec<OcfFile>> {
    let (company, ledger) = equity::for_export(db, actor, startup).await?;
    let (state, first) = ledger.export_state(on);
    let capital = state.table.registered_capital();
    let (items, ever) = history(&ledger, on);

    let stakeholders: Vec<Value> = ever
        .iter()
        .map(|id| {
            let kind = ledger.kind(*id);
            json!({
                "object_type": "STAKEHOLDER",
                "id": format!("holder-{id}"),
                "name": { "legal_name": ledger.name(*id) },
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
    let stakeholders_file =
        file("stakeholders.ocf.json", &json!({ "file_type": "OCF_STAKEHOLDERS_FILE", "items": stakeholders }))?;
    let classes_file =
        file("stock_classes.ocf.json", &json!({ "file_type": "OCF_STOCK_CLASSES_FILE", "items": [stock_class] }))?;
    let transactions_file =
        file("transactions.ocf.json", &json!({ "file_type": "OCF_TRANSACTIONS_FILE", "items": items }))?;
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

/// An open security: its id, capital in fen and the cost it carries in fen.
struct Security {
    id: String,
    capital: i64,
    cost: i64,
}

fn yuan(fen: i64) -> String {
    Money::from_fen(fen).to_string()
}

/// A stock issuance of `capital` fen to `holder`, as security `security`.
#[allow(clippy::too_many_arguments)]
fn issuance(
    security: &str,
    holder: i64,
    date: NaiveDate,
    capital: i64,
    price: Fraction,
    cost: i64,
    consideration: String,
    comments: Vec<String>,
) -> Value {
    json!({
        "object_type": "TX_STOCK_ISSUANCE",
        "id": format!("issuance-{security}"),
        "security_id": security,
        "custom_id": security,
        "stakeholder_id": format!("holder-{holder}"),
        "stock_class_id": "registered-capital",
        "date": date.to_string(),
        "quantity": yuan(capital),
        "share_price": cny(price.decimal(10)),
        "cost_basis": cny(yuan(cost)),
        "stock_legend_ids": [],
        "security_law_exemptions": [],
        "consideration_text": consideration,
        "comments": comments,
    })
}

/// The ledger's live events up to `on` as OCF transactions, and every holder they involve.
fn history(ledger: &equity::Ledger, on: NaiveDate) -> (Vec<Value>, std::collections::BTreeSet<i64>) {
    use std::collections::{BTreeMap, BTreeSet, VecDeque};
    let mut open: BTreeMap<i64, VecDeque<Security>> = BTreeMap::new();
    let mut items = Vec::new();
    let mut ever = BTreeSet::new();
    for (event, lines) in ledger.history(on) {
        let date = event.on_date;
        let kind = EventKind::from_code(&event.kind);
        match kind {
            Some(EventKind::Formation | EventKind::CapitalIncrease) => {
                let capital_before: i64 = open.values().flatten().map(|s| s.capital).sum();
                let pre_money = event.pre_money_fen.unwrap_or(0);
                let round_price = if kind == Some(EventKind::Formation) || capital_before == 0 {
                    Fraction::ONE
                } else {
                    Fraction::new(i128::from(pre_money), i128::from(capital_before))
                };
                for line in lines.iter().filter(|l| l.subscribed_fen > 0) {
                    let security = format!("RC-{}-{}", event.id, line.holder_id);
                    let cost = line.cash_fen + line.rent_fen + line.services_fen;
                    let mut consideration = vec![];
                    for (fen, what) in
                        [(line.cash_fen, "cash"), (line.rent_fen, "rent"), (line.services_fen, "services")]
                    {
                        if fen != 0 {
                            consideration.push(format!("{what} {} CNY", yuan(fen)));
                        }
                    }
                    if let Some(lease) = event.lease_id {
                        consideration.push(format!("rent for equity under lease {lease}"));
                    }
                    if consideration.is_empty() {
                        consideration.push("no consideration recorded".to_owned());
                    }
                    let mut comments = vec![format!("Fuhua ledger event {} ({})", event.id, event.kind)];
                    if kind == Some(EventKind::CapitalIncrease) {
                        comments.push(format!(
                            "round {}: pre-money valuation {} CNY, {} CNY per CNY 1 of registered capital, money in {} CNY",
                            event.stage.as_deref().unwrap_or("-"),
                            yuan(pre_money),
                            round_price.decimal(10),
                            yuan(line.amount_fen)
                        ));
                    }
                    comments.push(format!(
                        "paid-in capital {} CNY of {} CNY subscribed",
                        yuan(line.paid_in_fen),
                        yuan(line.subscribed_fen)
                    ));
                    items.push(issuance(
                        &security,
                        line.holder_id,
                        date,
                        line.subscribed_fen,
                        round_price,
                        cost,
                        consideration.join("; "),
                        comments,
                    ));
                    ever.insert(line.holder_id);
                    open.entry(line.holder_id).or_default().push_back(Security {
                        id: security,
                        capital: line.subscribed_fen,
                        cost,
                    });
                }
            }
            Some(EventKind::Transfer | EventKind::Reduction) => {
                let Some(seller) = lines.iter().find(|l| l.subscribed_fen < 0) else { continue };
                let buyer = lines.iter().find(|l| l.subscribed_fen > 0);
                let capital = -seller.subscribed_fen;
                let price = buyer.map_or(seller.amount_fen, |b| b.amount_fen);
                let mut remaining = capital;
                let mut part = 0;
                while remaining > 0 {
                    let Some(source) = open.get_mut(&seller.holder_id).and_then(VecDeque::pop_front) else { break };
                    part += 1;
                    let taken = remaining.min(source.capital);
                    remaining -= taken;
                    let balance = source.capital - taken;
                    let moved_cost = Fraction::new(i128::from(taken), i128::from(source.capital)).times(source.cost);
                    let balance_id =
                        (balance > 0).then(|| format!("RC-{}-{}-balance{part}", event.id, seller.holder_id));
                    let id = format!("{}-{}-{part}", event.kind, event.id);
                    match buyer {
                        Some(buyer) => {
                            let resulting = format!("RC-{}-{}-{part}", event.id, buyer.holder_id);
                            let paid = Fraction::new(i128::from(taken), i128::from(capital)).times(price);
                            let mut transfer = json!({
                                "object_type": "TX_STOCK_TRANSFER",
                                "id": id,
                                "security_id": source.id,
                                "date": date.to_string(),
                                "quantity": yuan(taken),
                                "resulting_security_ids": [resulting],
                                "consideration_text": format!("{} CNY for {} CNY of registered capital", yuan(paid), yuan(taken)),
                                "comments": [format!("Fuhua ledger event {} (transfer)", event.id)],
                            });
                            if let Some(balance_id) = &balance_id {
                                transfer["balance_security_id"] = json!(balance_id);
                            }
                            items.push(transfer);
                            items.push(issuance(
                                &resulting,
                                buyer.holder_id,
                                date,
                                taken,
                                Fraction::new(i128::from(paid), i128::from(taken)),
                                paid,
                                format!("bought for {} CNY", yuan(paid)),
                                vec![format!("from {} by transfer, ledger event {}", source.id, event.id)],
                            ));
                            ever.insert(buyer.holder_id);
                            open.entry(buyer.holder_id).or_default().push_back(Security {
                                id: resulting,
                                capital: taken,
                                cost: paid,
                            });
                        }
                        None => {
                            let mut cancellation = json!({
                                "object_type": "TX_STOCK_CANCELLATION",
                                "id": id,
                                "security_id": source.id,
                                "date": date.to_string(),
                                "quantity": yuan(taken),
                                "reason_text": format!("capital reduction (减资), ledger event {}: {} CNY returned in all", event.id, yuan(price)),
                            });
                            if let Some(balance_id) = &balance_id {
                                cancellation["balance_security_id"] = json!(balance_id);
                            }
                            items.push(cancellation);
                        }
                    }
                    if let Some(balance_id) = balance_id {
                        let cost = source.cost - moved_cost;
                        items.push(issuance(
                            &balance_id,
                            seller.holder_id,
                            date,
                            balance,
                            Fraction::new(i128::from(cost), i128::from(balance)),
                            cost,
                            format!("balance of {}", source.id),
                            vec![format!("the part of {} kept after ledger event {}", source.id, event.id)],
                        ));
                        open.entry(seller.holder_id).or_default().push_front(Security {
                            id: balance_id,
                            capital: balance,
                            cost,
                        });
                    }
                }
            }
            Some(EventKind::Reversal) | None => {}
        }
    }
    (items, ever)
}
