//! The Open Cap Table Format export against a real database: it validates against the OCF 1.2.0
//! schemas, reads back as the cap table, and carries the ledger's history.

use crate::equity::{founding, holder_id, new, on, round, tenant, yuan};
use crate::support::{db_with_districts, operator};
use crate::tenancy::{day, member};
use domain::Money;
use domain::equity::ledger::{Channel, Entry, HolderKind, HolderRef, RoundStage};
use service::equity;

/// The OCF 1.2.0 schemas, copied unmodified into the repository (`service/tests/ocf-1.2.0`).
fn ocf_schema_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ocf-1.2.0/schema")
}

/// Validates `value` against the OCF schema at `path` (relative to the schema folder).
fn validate(path: &str, value: &serde_json::Value) -> Result<(), String> {
    struct Local(std::path::PathBuf);
    impl boon::UrlLoader for Local {
        fn load(&self, url: &str) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
            let rest = url
                .strip_prefix("https://schema.opencaptablecoalition.com/v/1.2.0/")
                .ok_or_else(|| format!("unexpected schema url {url}"))?;
            Ok(serde_json::from_slice(&std::fs::read(self.0.join(rest))?)?)
        }
    }
    let mut loader = boon::SchemeUrlLoader::new();
    loader.register("https", Box::new(Local(ocf_schema_dir())));
    let mut compiler = boon::Compiler::new();
    compiler.use_loader(Box::new(loader));
    compiler.enable_format_assertions();
    let mut schemas = boon::Schemas::new();
    let index = compiler
        .compile(&format!("https://schema.opencaptablecoalition.com/v/1.2.0/{path}"), &mut schemas)
        .map_err(|e| format!("{e:#}"))?;
    schemas.validate(value, index).map_err(|e| format!("{e:#}"))
}

#[tokio::test]
async fn the_ocf_export_validates_against_the_ocf_1_2_0_schemas_and_matches_the_cap_table() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, lease) = tenant(&db, districts[0], "导出企业").await;
    let ops = operator(&[carrier]);
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 1, 10),
            founding(&[
                (new(HolderKind::Founder, "陈一"), 900_000, 450_000),
                (new(HolderKind::Carrier, "孵化器"), 100_000, 100_000),
            ]),
        ),
    )
    .await
    .unwrap();
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 2, 1),
            round(
                RoundStage::Conversion,
                8_000_000,
                &[(new(HolderKind::EmployeePlatform, "员工平台"), 18_000, Channel::Services)],
                Some(lease),
            ),
        ),
    )
    .await
    .unwrap();
    {
        use sea_orm::{ActiveModelTrait, Set};
        service::entity::startup::ActiveModel {
            id: Set(company.0),
            credit_code: Set(Some("91371302MA3MXXXX0K".into())),
            ..Default::default()
        }
        .update(&db.conn)
        .await
        .unwrap();
    }
    let files = service::ocf::export(&db.conn, &member(company), company, day(2026, 11, 1)).await.unwrap();
    let parse = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&files.iter().find(|f| f.path == name).unwrap().bytes).unwrap()
    };
    let manifest = parse("Manifest.ocf.json");
    validate("files/OCFManifestFile.schema.json", &manifest).unwrap();
    for (name, schema) in [
        ("stakeholders.ocf.json", "files/StakeholdersFile.schema.json"),
        ("stock_classes.ocf.json", "files/StockClassesFile.schema.json"),
        ("transactions.ocf.json", "files/TransactionsFile.schema.json"),
    ] {
        validate(schema, &parse(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert_eq!(manifest["issuer"]["tax_ids"][0]["tax_id"], "91371302MA3MXXXX0K");
    assert_eq!(manifest["issuer"]["legal_name"], "导出企业");
    // The manifest lists every file with its MD5.
    let listed: Vec<&str> = ["stakeholders_files", "stock_classes_files", "transactions_files"]
        .iter()
        .map(|k| manifest[k][0]["filepath"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["stakeholders.ocf.json", "stock_classes.ocf.json", "transactions.ocf.json"]);
    // One issuance per holding, in yuan of registered capital: 900,000 + 100,000 + 2,250.
    let issuances = parse("transactions.ocf.json")["items"].as_array().unwrap().clone();
    let mut quantities: Vec<&str> = issuances.iter().map(|i| i["quantity"].as_str().unwrap()).collect();
    quantities.sort_unstable();
    assert_eq!(quantities, ["100000.00", "2250.00", "900000.00"]);
    assert_eq!(parse("stock_classes.ocf.json")["items"][0]["initial_shares_authorized"], "1002250.00");
    // A broken file fails the same validation: the check can fail.
    let mut broken = manifest.clone();
    broken["issuer"]["country_of_formation"] = "China".into();
    assert!(validate("files/OCFManifestFile.schema.json", &broken).is_err());
}

/// The capital each stakeholder holds in an OCF transactions file: its securities issued and not
/// transferred or cancelled since, in fen.
fn open_positions(transactions: &serde_json::Value) -> std::collections::BTreeMap<String, i64> {
    let fen = |q: &serde_json::Value| -> i64 {
        let text = q.as_str().unwrap();
        let (whole, part) = text.split_once('.').unwrap_or((text, "0"));
        whole.parse::<i64>().unwrap() * 100 + format!("{part:0<2}")[..2].parse::<i64>().unwrap()
    };
    let items = transactions["items"].as_array().unwrap();
    let consumed: std::collections::BTreeSet<&str> = items
        .iter()
        .filter(|t| t["object_type"] != "TX_STOCK_ISSUANCE")
        .map(|t| t["security_id"].as_str().unwrap())
        .collect();
    let mut positions = std::collections::BTreeMap::new();
    for t in items.iter().filter(|t| t["object_type"] == "TX_STOCK_ISSUANCE") {
        if !consumed.contains(t["security_id"].as_str().unwrap()) {
            *positions.entry(t["stakeholder_id"].as_str().unwrap().to_owned()).or_insert(0) += fen(&t["quantity"]);
        }
    }
    positions
}

/// Generated ledgers through the OCF export and back: random formations, rounds and transfers,
/// holders with hostile names. After every event the service accepts, the export validates
/// against the OCF 1.2.0 schemas and its issuances read back as the cap table on that day (each
/// holder's capital, and the registered capital).
#[tokio::test]
async fn generated_ledgers_export_to_valid_ocf_that_reads_back_as_the_cap_table() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "生成台账企业").await;
    let ops = operator(&[carrier]);
    let mut g = domain::fuzz::Gen::new(31);
    let scale: usize = std::env::var("FUHUA_FUZZ_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let name = |g: &mut domain::fuzz::Gen, n: usize| -> String {
        let text: String = g.text(3).chars().filter(|c| !c.is_control()).take(40).collect();
        format!("持有人{n}{}", text.trim())
    };
    let founders: Vec<(HolderRef, i64, i64)> = (0..1 + g.below(4))
        .map(|n| (new(HolderKind::Founder, &name(&mut g, n)), 10_000 + 1_000 * g.below(500) as i64, 0))
        .collect();
    equity::record(&db.conn, &ops, company, &on(day(2026, 1, 1), founding(&founders))).await.unwrap();
    let (mut tried, mut recorded) = (0, 0);
    for n in 0..120 * scale {
        let today = day(2026, 1, 1) + chrono::Days::new(u64::try_from(1 + n / 4).unwrap());
        let view = equity::cap_table(&db.conn, &member(company), company, today).await.unwrap();
        let holders: Vec<i64> = view.holders.iter().map(|h| h.id).collect();
        let entry = if g.chance(60) || holders.len() < 2 {
            let rows: Vec<(HolderRef, i64, Channel)> = (0..1 + g.below(3))
                .map(|i| {
                    let who = if g.chance(50) && !holders.is_empty() {
                        HolderRef::Existing(*g.pick(&holders))
                    } else {
                        new(
                            *g.pick(&[HolderKind::Investor, HolderKind::CarrierFund, HolderKind::EmployeePlatform]),
                            &name(&mut g, 1000 + n * 10 + i),
                        )
                    };
                    (who, 1 + g.below(2_000_000) as i64, *g.pick(&[Channel::Cash, Channel::Services]))
                })
                .collect();
            round(
                *g.pick(&[RoundStage::Seed, RoundStage::Angel, RoundStage::A, RoundStage::B]),
                100_000 + g.below(50_000_000) as i64,
                &rows,
                None,
            )
        } else {
            let from = *g.pick(&holders);
            let to = if g.chance(50) {
                HolderRef::Existing(*g.pick(&holders))
            } else {
                new(HolderKind::Investor, &name(&mut g, 5000 + n))
            };
            Entry::Transfer {
                from,
                to,
                capital: yuan(1 + g.below(200_000) as i64),
                price: yuan(g.below(1_000_000) as i64),
            }
        };
        tried += 1;
        if equity::record(&db.conn, &ops, company, &on(today, entry)).await.is_err() {
            continue;
        }
        recorded += 1;
        let table = equity::cap_table(&db.conn, &member(company), company, today).await.unwrap();
        let files = service::ocf::export(&db.conn, &member(company), company, today).await.unwrap();
        let parse = |name: &str| -> serde_json::Value {
            serde_json::from_slice(&files.iter().find(|f| f.path == name).unwrap().bytes).unwrap()
        };
        for (file, schema) in [
            ("Manifest.ocf.json", "files/OCFManifestFile.schema.json"),
            ("stakeholders.ocf.json", "files/StakeholdersFile.schema.json"),
            ("transactions.ocf.json", "files/TransactionsFile.schema.json"),
        ] {
            validate(schema, &parse(file)).unwrap_or_else(|e| panic!("event {n}, {file}: {e}"));
        }
        let transactions = parse("transactions.ocf.json");
        let positions = open_positions(&transactions);
        let names: std::collections::BTreeMap<String, String> = parse("stakeholders.ocf.json")["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["id"].as_str().unwrap().to_owned(), h["name"]["legal_name"].as_str().unwrap().to_owned()))
            .collect();
        let mut exported: Vec<(String, String)> = positions
            .into_iter()
            .filter(|(_, fen)| *fen != 0)
            .map(|(holder, fen)| (names[&holder].clone(), Money::from_fen(fen).to_string()))
            .collect();
        exported.sort();
        let mut held: Vec<(String, String)> =
            table.holders.iter().map(|h| (h.name.clone(), h.subscribed.to_string())).collect();
        held.sort();
        assert_eq!(exported, held, "event {n}: the open securities are the holdings");
        assert_eq!(
            parse("stock_classes.ocf.json")["items"][0]["initial_shares_authorized"].as_str().unwrap(),
            table.registered_capital.to_string(),
            "event {n}"
        );
    }
    eprintln!("[measure] OCF round trip: {tried} generated events, {recorded} recorded, each exported valid and equal");
    assert!(recorded > tried / 3, "{recorded} of {tried} generated events were valid enough to record");
}

/// The OCF export carries the ledger's history: one issuance per line of each formation, round
/// and conversion (with its consideration, lease and the round's price and valuation), and a
/// transfer as a stock transfer whose resulting and balance securities are issued that day.
#[tokio::test]
async fn the_ocf_export_carries_the_history_of_the_ledger() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, lease) = tenant(&db, districts[0], "历史导出企业").await;
    let ops = operator(&[carrier]);
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 1, 10),
            founding(&[
                (new(HolderKind::Founder, "周一"), 900_000, 900_000),
                (new(HolderKind::Carrier, "孵化器"), 100_000, 100_000),
            ]),
        ),
    )
    .await
    .unwrap();
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 1, 10)).await.unwrap();
    let carrier_holder = holder_id(&table, "孵化器");
    let founder = holder_id(&table, "周一");
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 2, 1),
            round(
                RoundStage::Conversion,
                8_000_000,
                &[(HolderRef::Existing(carrier_holder), 18_000, Channel::Rent)],
                Some(lease),
            ),
        ),
    )
    .await
    .unwrap();
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 3, 1),
            round(
                RoundStage::Angel,
                10_022_500,
                &[(new(HolderKind::Investor, "沂蒙天使"), 2_000_000, Channel::Cash)],
                None,
            ),
        ),
    )
    .await
    .unwrap();
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 4, 1),
            Entry::Transfer {
                from: founder,
                to: new(HolderKind::Investor, "接盘方"),
                capital: yuan(300_000),
                price: yuan(1_500_000),
            },
        ),
    )
    .await
    .unwrap();
    let files = service::ocf::export(&db.conn, &member(company), company, day(2026, 11, 1)).await.unwrap();
    let parse = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&files.iter().find(|f| f.path == name).unwrap().bytes).unwrap()
    };
    let transactions = parse("transactions.ocf.json");
    validate("files/TransactionsFile.schema.json", &transactions).unwrap();
    validate("files/StakeholdersFile.schema.json", &parse("stakeholders.ocf.json")).unwrap();
    let items = transactions["items"].as_array().unwrap();
    let of = |kind: &str| items.iter().filter(|t| t["object_type"] == kind).collect::<Vec<_>>();
    // Formation (2), conversion (1), angel round (1), the transfer's resulting and balance (2).
    assert_eq!(of("TX_STOCK_ISSUANCE").len(), 6);
    assert_eq!(of("TX_STOCK_TRANSFER").len(), 1);
    let conversion = items
        .iter()
        .find(|t| t["consideration_text"].as_str().is_some_and(|c| c.contains(&format!("lease {lease}"))))
        .expect("the conversion names its lease");
    assert_eq!(
        conversion["consideration_text"].as_str().unwrap(),
        format!("rent 18000.00 CNY; rent for equity under lease {lease}")
    );
    let angel = items.iter().find(|t| t["comments"].to_string().contains("round angel")).unwrap();
    assert!(angel["comments"].to_string().contains("pre-money valuation 10022500.00 CNY"), "{angel}");
    assert_eq!(angel["share_price"]["amount"], "10.0000000000", "10,022,500 on 1,002,250 of capital");
    assert_eq!(angel["quantity"], "200000.00");
    let transfer = of("TX_STOCK_TRANSFER")[0];
    assert_eq!(transfer["quantity"], "300000.00");
    assert!(transfer["balance_security_id"].is_string(), "the founder keeps 600,000");
    // What is left open is the cap table of the day.
    let positions = open_positions(&transactions);
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 11, 1)).await.unwrap();
    for holder in &table.holders {
        assert_eq!(positions[&format!("holder-{}", holder.id)], holder.subscribed.fen(), "{}", holder.name);
    }
}
