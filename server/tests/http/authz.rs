//! The authorization matrix: every server function and API route, called by every kind of user,
//! with the exact outcome expected. A server function without a row here fails the test.

use crate::support::{TestApp, encode, spawn_app, unique};
use domain::account::Role;
use domain::{CarrierId, StartupId, UserId};
use reqwest::Client;
use serde_json::Value;
use std::collections::BTreeSet;

/// The callers, in the order of each row's outcomes.
pub(crate) const CALLERS: [&str; 7] =
    ["anonymous", "startup A", "startup B", "operator X", "operator Y", "bureau", "admin"];

pub(crate) struct World {
    pub(crate) carrier_x: CarrierId,
    pub(crate) site_x: i64,
    pub(crate) building_x: i64,
    pub(crate) floor_x: i64,
    pub(crate) unit_x: i64,
    pub(crate) import_x: i64,
    pub(crate) carrier_y: CarrierId,
    pub(crate) startup_a: StartupId,
    pub(crate) startup_a_name: String,
    /// Startup A's application to X, under review, with a business plan.
    pub(crate) application_a: i64,
    /// Another of A's applications to X, submitted, for moving.
    pub(crate) application_move: i64,
    /// A third, under review, for admitting.
    pub(crate) application_admit: i64,
    /// A free unit of X for that admission.
    pub(crate) unit_free: i64,
    pub(crate) document_a: i64,
    pub(crate) lease_a: i64,
    /// A seed round in A's equity ledger (recorded by X's operator), for reading and correcting.
    pub(crate) round_a: i64,
    pub(crate) user_a: UserId,
    pub(crate) user_y: UserId,
    pub(crate) emails: Vec<String>,
    /// The seeded maker-space rule set and one of its criteria.
    pub(crate) rule_set: i64,
    pub(crate) criterion: i64,
    /// The founding plan's target.
    pub(crate) target: i64,
}

/// What a call must produce.
#[derive(Clone, Copy)]
enum Expect {
    /// 200.
    Ok,
    /// This status, with an error body.
    Status(u16),
    /// 200, and the body passes this check (a result narrowed to the caller's scope).
    Scoped(fn(&World, &Value) -> bool),
}

use Expect::{Ok as Allowed, Scoped, Status};
const UNAUTHENTICATED: Expect = Status(401);
const FORBIDDEN: Expect = Status(403);
/// Carrier X's own business: its operators and the bureau.
const OWN_CARRIER: [Expect; 7] = [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN, Allowed, FORBIDDEN];
/// Carrier X's records to write: its operators only (the bureau reads them, README "What the
/// bureau may write").
const X_WRITES: [Expect; 7] = [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN, FORBIDDEN, FORBIDDEN];

struct Row {
    endpoint: &'static str,
    body: fn(&World) -> String,
    expect: [Expect; 7],
}

fn ids(value: &Value, key: &str) -> BTreeSet<i64> {
    value.as_array().into_iter().flatten().filter_map(|item| item[key].as_i64().or(item[0].as_i64())).collect()
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            endpoint: "get_me",
            body: |_| String::new(),
            expect: [
                Scoped(|_, v| v.is_null()),
                Scoped(|w, v| v["email"] == w.emails[1].as_str()),
                Scoped(|w, v| v["email"] == w.emails[2].as_str()),
                Scoped(|w, v| v["email"] == w.emails[3].as_str()),
                Scoped(|w, v| v["email"] == w.emails[4].as_str()),
                Scoped(|w, v| v["email"] == w.emails[5].as_str()),
                Scoped(|w, v| v["email"] == w.emails[6].as_str()),
            ],
        },
        Row {
            endpoint: "login",
            body: |_| encode(&[("email", format!("nobody{}@example.cn", unique())), ("password", "wrong".into())]),
            expect: [Status(401); 7],
        },
        Row { endpoint: "register_startup", body: |_| "form[startup_name]=X".into(), expect: [Status(422); 7] },
        Row { endpoint: "get_invitation", body: |_| format!("token={}", "0".repeat(64)), expect: [Status(410); 7] },
        Row {
            endpoint: "accept_invitation",
            body: |_| format!("token={}&display_name=x&password=y", "0".repeat(64)),
            expect: [Status(410); 7],
        },
        Row { endpoint: "get_password_reset", body: |_| format!("token={}", "0".repeat(64)), expect: [Status(410); 7] },
        Row {
            endpoint: "reset_password",
            body: |_| format!("token={}&new_password=x&confirm=x", "0".repeat(64)),
            expect: [Status(410); 7],
        },
        Row {
            endpoint: "change_password",
            body: |_| "current_password=wrong&new_password=x&confirm=x".into(),
            expect: [UNAUTHENTICATED, Status(422), Status(422), Status(422), Status(422), Status(422), Status(422)],
        },
        Row {
            endpoint: "list_accounts",
            body: |_| String::new(),
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                // The bureau sees the operators only; the admin sees every account.
                Scoped(|w, v| {
                    let emails: Vec<&str> =
                        v.as_array().unwrap().iter().map(|a| a["email"].as_str().unwrap()).collect();
                    emails.contains(&w.emails[3].as_str()) && !emails.contains(&w.emails[1].as_str())
                }),
                Scoped(|w, v| v.as_array().unwrap().len() >= w.emails.len() - 1),
            ],
        },
        Row {
            endpoint: "invite",
            body: |w| {
                encode(&[
                    ("form[email]", format!("invited{}@carrier.cn", unique())),
                    ("form[role]", "operator".into()),
                    ("form[carrier_id]", w.carrier_x.to_string()),
                ])
            },
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                Scoped(|_, v| v["path"].as_str().unwrap().starts_with("/invite/")),
                Scoped(|_, v| v["path"].as_str().unwrap().starts_with("/invite/")),
            ],
        },
        Row {
            endpoint: "issue_password_reset",
            body: |w| format!("user={}", w.user_a),
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                // A startup's member holds rights the admin lacks: the link waits for a second admin.
                Scoped(|_, v| v["path"].as_str().unwrap().starts_with("/reset/") && v["needs_approval"] == true),
            ],
        },
        Row {
            endpoint: "set_account_active",
            body: |w| format!("user={}&active=true", w.user_y),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed],
        },
        Row {
            endpoint: "list_pending_approvals",
            body: |_| String::new(),
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                // The reset link the admin row above issued for startup A's member waits here.
                Scoped(|w, v| {
                    v.as_array().unwrap().iter().any(|p| p["subject"]["Reset"]["email"] == w.emails[1].as_str())
                }),
            ],
        },
        Row {
            endpoint: "approve_link",
            body: |_| "link=987654321".into(),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Status(404)],
        },
        Row {
            endpoint: "list_carrier_choices",
            body: |_| String::new(),
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                Scoped(|w, v| ids(v, "0") == BTreeSet::from([w.carrier_x.0])),
                Scoped(|w, v| ids(v, "0") == BTreeSet::from([w.carrier_y.0])),
                Scoped(|w, v| ids(v, "0").is_superset(&BTreeSet::from([w.carrier_x.0, w.carrier_y.0]))),
                Scoped(|w, v| ids(v, "0").is_superset(&BTreeSet::from([w.carrier_x.0, w.carrier_y.0]))),
            ],
        },
        Row {
            endpoint: "get_registry_summary",
            body: |_| String::new(),
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                Scoped(|_, v| v["total"] == 1),
                Scoped(|_, v| v["total"] == 1),
                Scoped(|_, v| v["total"].as_u64().unwrap() >= 2),
                FORBIDDEN,
            ],
        },
        Row {
            endpoint: "list_districts",
            body: |_| String::new(),
            expect: [UNAUTHENTICATED, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed],
        },
        Row {
            endpoint: "list_carriers",
            body: |_| "query[page]=1&query[include_archived]=true".into(),
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                Scoped(|w, v| ids(&v["items"], "id") == BTreeSet::from([w.carrier_x.0])),
                Scoped(|w, v| ids(&v["items"], "id") == BTreeSet::from([w.carrier_y.0])),
                Scoped(|w, v| ids(&v["items"], "id").is_superset(&BTreeSet::from([w.carrier_x.0, w.carrier_y.0]))),
                FORBIDDEN,
            ],
        },
        Row {
            endpoint: "get_carrier",
            body: |w| format!("id={}", w.carrier_x),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "create_carrier",
            body: |_| crate::support::carrier_form(&format!("矩阵孵化器{}", unique()), 1),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "update_carrier",
            body: |w| format!("id={}&version=1&{}", w.carrier_x, crate::support::carrier_form("矩阵X改名", 1)),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "set_carrier_archived",
            body: |w| format!("id={}&archived=false", w.carrier_y),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "list_audit",
            body: |_| "query[page]=1".into(),
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                Scoped(|w, v| {
                    let items = v["items"].as_array().unwrap();
                    !items.is_empty() && items.iter().all(|e| e["carrier"] == w.carrier_x.0)
                }),
                Scoped(|w, v| {
                    let items = v["items"].as_array().unwrap();
                    !items.is_empty() && items.iter().all(|e| e["carrier"] == w.carrier_y.0)
                }),
                Scoped(|_, v| v["total"].as_u64().unwrap() > 2),
                FORBIDDEN,
            ],
        },
        Row {
            endpoint: "get_startup_profile",
            body: |w| format!("id={}", w.startup_a),
            // Operators of a carrier the startup applied to read it; others do not.
            expect: [UNAUTHENTICATED, Allowed, FORBIDDEN, Allowed, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "update_startup_profile",
            body: |w| {
                encode(&[
                    ("id", w.startup_a.to_string()),
                    ("version", "1".into()),
                    ("form[name]", w.startup_a_name.clone()),
                    ("form[team_size]", "8".into()),
                    ("form[rd_staff]", "5".into()),
                ])
            },
            // Members only; the first (and only) member's edit is at the current version.
            expect: [UNAUTHENTICATED, Allowed, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        },
        Row {
            endpoint: "override_credit_code",
            body: |w| {
                encode(&[
                    ("id", w.startup_a.to_string()),
                    ("code", "91371300MA3C4XYZ1Q".into()),
                    ("reason", "营业执照原件已核对".into()),
                ])
            },
            expect: X_WRITES,
        },
        Row {
            endpoint: "set_startup_year",
            body: |w| {
                encode(&[
                    ("id", w.startup_a.to_string()),
                    ("form[year]", "2025".into()),
                    ("form[revenue]", "1200000".into()),
                    ("form[rd_spend]", "300000".into()),
                    ("form[financing]", "0".into()),
                ])
            },
            expect: [UNAUTHENTICATED, Allowed, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        },
        Row {
            endpoint: "list_carrier_directory",
            body: |_| String::new(),
            expect: [UNAUTHENTICATED, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed],
        },
        Row {
            endpoint: "create_application",
            body: |w| {
                encode(&[
                    ("startup", w.startup_a.to_string()),
                    ("form[carrier_id]", w.carrier_x.to_string()),
                    ("form[request_kind]", "desks".into()),
                    ("form[desks]", "4".into()),
                    ("form[desired_start]", (today() + chrono::Days::new(20)).to_string()),
                    ("form[duration_months]", "12".into()),
                    ("form[summary]", "智能仓储机器人团队，已完成样机，申请工位开展中试。".into()),
                    ("submit", "true".into()),
                ])
            },
            expect: [UNAUTHENTICATED, Allowed, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        },
        Row {
            endpoint: "move_application",
            body: |w| encode(&[("id", w.application_move.to_string()), ("transition", "start_review".into())]),
            // The applicant cannot start a review; X can; the bureau then finds it under review.
            expect: [UNAUTHENTICATED, Status(422), FORBIDDEN, Allowed, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        },
        Row {
            endpoint: "get_application",
            body: |w| format!("id={}", w.application_a),
            expect: [UNAUTHENTICATED, Allowed, FORBIDDEN, Allowed, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "list_applications",
            body: |_| String::new(),
            expect: [
                UNAUTHENTICATED,
                Scoped(|w, v| {
                    let rows = v.as_array().unwrap();
                    !rows.is_empty() && rows.iter().all(|r| r["startup_name"] == w.startup_a_name.as_str())
                }),
                Scoped(|_, v| v.as_array().unwrap().is_empty()),
                Scoped(|_, v| {
                    let rows = v.as_array().unwrap();
                    // X's name changes in an earlier row; only X's applications are listed.
                    !rows.is_empty() && rows.iter().all(|r| r["carrier_name"].as_str().unwrap().starts_with("矩阵X"))
                }),
                Scoped(|_, v| v.as_array().unwrap().is_empty()),
                Scoped(|_, v| v.as_array().unwrap().len() >= 3),
                FORBIDDEN,
            ],
        },
        Row {
            endpoint: "admit_application",
            body: |w| {
                encode(&[
                    ("id", w.application_admit.to_string()),
                    ("lease[units][0]", w.unit_free.to_string()),
                    ("lease[starts_on]", "2031-01-01".into()),
                    ("lease[ends_on]", "2031-12-31".into()),
                    ("lease[monthly_rent]", "2400".into()),
                ])
            },
            // The applicant cannot admit itself; once X has, the bureau finds it admitted.
            expect: X_WRITES,
        },
        Row {
            endpoint: "get_carrier_floors",
            body: |w| format!("carrier={}&on=2026-01-01", w.carrier_x),
            expect: OWN_CARRIER,
        },
        Row {
            endpoint: "get_lease",
            body: |w| format!("id={}", w.lease_a),
            expect: [UNAUTHENTICATED, Allowed, FORBIDDEN, Allowed, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "list_startup_leases",
            body: |w| format!("startup={}", w.startup_a),
            expect: [
                UNAUTHENTICATED,
                Scoped(|w, v| ids(v, "id").contains(&w.lease_a)),
                FORBIDDEN,
                Scoped(|w, v| ids(v, "id").contains(&w.lease_a)),
                FORBIDDEN,
                Scoped(|w, v| ids(v, "id").contains(&w.lease_a)),
                FORBIDDEN,
            ],
        },
        Row {
            endpoint: "record_lease_event",
            body: |w| {
                encode(&[
                    ("id", w.lease_a.to_string()),
                    ("event[kind]", "renewed".into()),
                    ("event[new_end]", "2029-12-31".into()),
                    ("event[reason]", "续租一年".into()),
                ])
            },
            // X renews; the bureau's identical renewal no longer extends the lease.
            expect: X_WRITES,
        },
        Row { endpoint: "get_rent_roll", body: |w| format!("carrier={}", w.carrier_x), expect: OWN_CARRIER },
        Row { endpoint: "list_tenants", body: |w| format!("carrier={}", w.carrier_x), expect: OWN_CARRIER },
        Row {
            endpoint: "record_tenant_stage",
            body: |w| {
                encode(&[
                    ("carrier", w.carrier_x.to_string()),
                    ("startup", w.startup_a.to_string()),
                    ("form[stage]", "graduated".into()),
                    ("form[on]", today().to_string()),
                    ("form[criterion]", "financing_5m".into()),
                    // The records prove no financing: the operator states the evidence.
                    ("form[note]", "投资协议与银行回单已核对".into()),
                ])
            },
            // X records the graduation; the bureau's second one finds the startup graduated.
            expect: X_WRITES,
        },
        Row { endpoint: "get_occupancy", body: |w| format!("level=carrier&id={}", w.carrier_x), expect: OWN_CARRIER },
        Row { endpoint: "get_area_report", body: |w| format!("carrier={}", w.carrier_x), expect: OWN_CARRIER },
        Row {
            endpoint: "create_site",
            body: |w| {
                encode(&[
                    ("carrier", w.carrier_x.to_string()),
                    ("form[name]", format!("场地{}", unique())),
                    ("form[address]", "临沂市测试路".into()),
                ])
            },
            expect: X_WRITES,
        },
        Row {
            endpoint: "create_building",
            body: |w| encode(&[("site", w.site_x.to_string()), ("name", format!("楼{}", unique()))]),
            expect: X_WRITES,
        },
        Row {
            endpoint: "create_floor",
            body: |w| encode(&[("building", w.building_x.to_string()), ("label", format!("{}F", unique()))]),
            expect: X_WRITES,
        },
        Row {
            endpoint: "add_unit",
            body: |w| {
                encode(&[
                    ("floor", w.floor_x.to_string()),
                    ("form[code]", format!("U{}", unique())),
                    ("form[kind]", "private_office".into()),
                    ("form[gross_area]", "30".into()),
                    ("form[usable_area]", "28".into()),
                    ("form[use_category]", "tenant".into()),
                    ("effective_on", "2025-01-01".into()),
                    ("reason", "矩阵测试".into()),
                ])
            },
            expect: X_WRITES,
        },
        Row { endpoint: "get_floor", body: |w| format!("floor={}", w.floor_x), expect: OWN_CARRIER },
        Row { endpoint: "get_unit", body: |w| format!("unit={}", w.unit_x), expect: OWN_CARRIER },
        Row {
            endpoint: "change_unit",
            body: |w| {
                encode(&[
                    ("unit", w.unit_x.to_string()),
                    ("change[action]", "update".into()),
                    ("change[effective_on]", "2025-06-01".into()),
                    ("change[reason]", "矩阵测试".into()),
                    ("change[unit][kind]", "private_office".into()),
                    ("change[unit][gross_area]", format!("{}", 40 + unique())),
                    ("change[unit][usable_area]", "30".into()),
                    ("change[unit][use_category]", "tenant".into()),
                ])
            },
            expect: X_WRITES,
        },
        Row { endpoint: "get_import", body: |w| format!("id={}", w.import_x), expect: OWN_CARRIER },
        Row {
            endpoint: "get_cap_table",
            body: |w| format!("startup={}", w.startup_a),
            // A's members, the operators of its landlord X, and the bureau.
            expect: [UNAUTHENTICATED, Allowed, FORBIDDEN, Allowed, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "reverse_equity_event",
            body: |w| encode(&[("id", w.round_a.to_string()), ("form[reason]", "矩阵更正".into())]),
            // The latest event of the ledger, before the next row records another.
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        },
        Row {
            endpoint: "record_equity_event",
            body: |w| {
                encode(&[
                    ("startup", w.startup_a.to_string()),
                    ("form[kind]", "capital_increase".into()),
                    ("form[on]", today().to_string()),
                    ("form[stage]", "angel".into()),
                    ("form[pre_money]", "2000000".into()),
                    ("form[rows][0][name]", format!("矩阵天使{}", unique())),
                    ("form[rows][0][kind]", "investor".into()),
                    ("form[rows][0][amount]", "50000".into()),
                    ("form[rows][0][channel]", "cash".into()),
                ])
            },
            // Only operators of the startup's landlord record; the bureau reads but does not.
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        },
        Row {
            endpoint: "get_round",
            body: |w| format!("id={}", w.round_a),
            expect: [UNAUTHENTICATED, Allowed, FORBIDDEN, Allowed, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row { endpoint: "get_portfolio", body: |w| format!("carrier={}", w.carrier_x), expect: OWN_CARRIER },
        Row {
            endpoint: "get_city_portfolio",
            body: |_| String::new(),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "get_dashboard",
            body: |_| String::new(),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "get_targets",
            body: |_| String::new(),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "add_target",
            body: |_| {
                encode(&[
                    ("form[name_zh]", format!("矩阵目标{}", unique())),
                    ("form[area]", "3000000".into()),
                    ("form[base_date]", "2025-01-01".into()),
                    ("form[deadline]", "2030-12-31".into()),
                ])
            },
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "remove_target",
            body: |w| format!("id={}", w.target),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "get_rule_sets",
            body: |_| String::new(),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, Allowed, Allowed, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "get_readiness",
            body: |w| format!("set={}", w.rule_set),
            // Operators see their own carriers only (X and Y are incubators: none of this set's).
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                Scoped(|_, v| v["rows"].as_array().is_some_and(Vec::is_empty) && v["can_edit"] == false),
                Scoped(|_, v| v["rows"].as_array().is_some_and(Vec::is_empty)),
                Allowed,
                FORBIDDEN,
            ],
        },
        Row {
            endpoint: "save_criterion",
            body: |w| {
                encode(&[
                    ("set", w.rule_set.to_string()),
                    ("form[label_zh]", "矩阵条件".into()),
                    ("form[metric]", "graduates".into()),
                    ("form[threshold]", "5".into()),
                ])
            },
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row {
            endpoint: "remove_criterion",
            body: |w| format!("set={}&criterion={}", w.rule_set, w.criterion),
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN],
        },
        Row { endpoint: "get_checklists", body: |w| format!("carrier={}", w.carrier_x), expect: OWN_CARRIER },
        Row { endpoint: "get_annual_return", body: |w| format!("carrier={}", w.carrier_x), expect: OWN_CARRIER },
        Row {
            endpoint: "file_annual_return",
            body: |w| {
                encode(&[
                    ("carrier", w.carrier_x.to_string()),
                    ("form[year]", "2025".into()),
                    ("form[fund]", "0".into()),
                    ("form[income_rent]", "0".into()),
                    ("form[income_services]", "0".into()),
                    ("form[income_investment]", "0".into()),
                    ("form[income_other]", "0".into()),
                    ("form[staff_total]", "3".into()),
                    ("form[staff_professional]", "2".into()),
                    ("form[mentors]", "1".into()),
                    ("form[typical_cases]", "0".into()),
                    ("form[events_held]", "4".into()),
                ])
            },
            expect: X_WRITES,
        },
        // Last: it ends the caller's session.
        Row { endpoint: "logout", body: |_| String::new(), expect: [Allowed; 7] },
    ]
}

fn today() -> chrono::NaiveDate {
    domain::time::china_date(chrono::Utc::now())
}

/// A minimal PDF, as far as the upload check goes.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Routes outside the server functions: method, path, and the status each caller gets.
fn routes(w: &World) -> Vec<(&'static str, String, [u16; 7])> {
    let own_carrier = [401, 403, 403, 200, 403, 200, 403];
    vec![
        ("GET", "/healthz".into(), [200; 7]),
        ("GET", "/lang/en?next=/".into(), [303; 7]),
        ("GET", "/lang/xx".into(), [404; 7]),
        ("GET", format!("/carriers/{}/units.csv", w.carrier_x), own_carrier),
        ("GET", format!("/carriers/{}/units.xlsx", w.carrier_x), own_carrier),
        ("POST", format!("/carriers/{}/units/import", w.carrier_x), [401, 403, 403, 303, 403, 403, 403]),
        // The business plan: those who may read the application download it...
        ("GET", format!("/documents/{}", w.document_a), [401, 200, 403, 200, 403, 200, 403]),
        // ...and only the applicant uploads one, before the review starts.
        ("POST", format!("/applications/{}/document", w.application_move), [401, 303, 403, 403, 403, 403, 403]),
        // The cap table as OCF: whoever reads the cap table.
        ("GET", format!("/startups/{}/ocf.zip", w.startup_a), [401, 200, 403, 200, 403, 200, 403]),
        // The dashboard's tables: the bureau's; the annual statistics of one carrier: its own.
        ("GET", "/dashboard/export/districts.csv".into(), [401, 403, 403, 403, 403, 200, 403]),
        ("GET", format!("/reports/torch.xlsx?carrier={}", w.carrier_x), own_carrier),
        ("GET", "/reports/torch.csv".into(), [401, 403, 403, 403, 403, 200, 403]),
    ]
}

pub(crate) async fn world(app: &TestApp) -> (World, Vec<Client>) {
    let carrier_x_name = format!("矩阵X孵化器{}", unique());
    let startup_a_name = format!("矩阵甲{}", unique());
    let carrier_x = app.carrier(&carrier_x_name, "兰山区").await;
    let carrier_y = app.carrier(&format!("矩阵Y孵化器{}", unique()), "河东区").await;
    let (startup_a_client, startup_a, email_a) = app.startup(&startup_a_name).await;
    let (startup_b_client, _, email_b) = app.startup(&format!("矩阵乙{}", unique())).await;
    let (operator_x, email_x) = app.operator_of(carrier_x).await;
    let (operator_y, email_y) = app.operator_of(carrier_y).await;
    let (bureau, email_bureau) = app.staff(&[Role::Bureau]).await;
    let (admin, email_admin) = app.staff(&[Role::Admin]).await;
    let user = |email: String| {
        let db = app.db.conn.clone();
        async move {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let user = service::entity::user::Entity::find()
                .filter(service::entity::user::Column::Email.eq(email))
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            UserId(user.id)
        }
    };
    let bureau_actor = crate::support::system_bureau();
    // The carrier's own records are its operators' to write (the bureau reads them).
    let x_actor = service::Actor { carriers: [carrier_x].into(), bureau: false, ..bureau_actor.clone() };
    let site_x = service::spaces::create_site(
        &app.db.conn,
        &x_actor,
        carrier_x,
        &domain::space::PlaceForm { name: "X园区".into(), address: "临沂市兰山区".into() },
    )
    .await
    .unwrap();
    let building_x = service::spaces::create_building(&app.db.conn, &x_actor, site_x, "A座").await.unwrap();
    let floor_x = service::spaces::create_floor(&app.db.conn, &x_actor, building_x, "1F").await.unwrap();
    let spec = domain::space::UnitForm {
        kind: "private_office".into(),
        gross_area: "50".into(),
        usable_area: "45".into(),
        use_category: "tenant".into(),
        ..Default::default()
    }
    .parse_spec()
    .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let unit_x = service::spaces::add_unit(&app.db.conn, &x_actor, floor_x, "101", &spec, day, "矩阵").await.unwrap();
    let header: Vec<String> = domain::space::UNIT_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    let import_x =
        service::spaces::import(&app.db.conn, &x_actor, carrier_x, "x.csv", &header, &[], day).await.unwrap().id;
    let unit_free =
        service::spaces::add_unit(&app.db.conn, &x_actor, floor_x, "102", &spec, day, "矩阵").await.unwrap();
    let user_a = user(email_a.clone()).await;
    let actor_a = service::accounts::load_actor(&app.db.conn, user_a, chrono::Utc::now()).await.unwrap().unwrap();
    let draft = domain::application::ApplicationForm {
        carrier_id: carrier_x.to_string(),
        request_kind: "desks".into(),
        desks: "6".into(),
        desired_start: (today() + chrono::Days::new(30)).to_string(),
        duration_months: "24".into(),
        summary: "工业视觉检测团队，申请工位用于产品研发与客户演示。".into(),
        ..Default::default()
    }
    .parse(today())
    .unwrap();
    let apply = |review: bool| {
        let (db, actor_a, draft, bureau) = (app.db.conn.clone(), actor_a.clone(), draft.clone(), x_actor.clone());
        async move {
            let id = service::applications::create(&db, &actor_a, startup_a, &draft, true).await.unwrap();
            if review {
                service::applications::transition(&db, &bureau, id, domain::application::Transition::StartReview, None)
                    .await
                    .unwrap();
            }
            id
        }
    };
    // A's business plan goes in before the review starts (it is frozen from then on).
    let application_a = apply(false).await;
    let document_a =
        service::applications::attach_document(&app.db.conn, &actor_a, application_a, "计划书.pdf", PDF).await.unwrap();
    service::applications::transition(
        &app.db.conn,
        &x_actor,
        application_a,
        domain::application::Transition::StartReview,
        None,
    )
    .await
    .unwrap();
    let application_move = apply(false).await;
    let application_admit = apply(true).await;
    let application_leased = apply(true).await;
    let terms = domain::lease::LeaseForm {
        units: vec![unit_x.to_string()],
        starts_on: "2025-06-01".into(),
        ends_on: "2026-12-31".into(),
        monthly_rent: "3000".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let lease_a = service::applications::admit(&app.db.conn, &x_actor, application_leased, &terms).await.unwrap();
    let holder = |name: &str, kind| domain::ledger::HolderRef::New { kind, name: name.to_owned() };
    let founding = domain::ledger::NewEvent {
        on: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        entry: domain::ledger::Entry::Formation {
            rows: vec![domain::ledger::Contribution {
                row: 0,
                holder: holder("矩阵创始人", domain::ledger::HolderKind::Founder),
                amount: domain::Money::from_yuan(1_000_000),
                paid_in: domain::Money::from_yuan(1_000_000),
                channel: domain::ledger::Channel::Cash,
            }],
        },
        note: String::new(),
    };
    service::equity::record(&app.db.conn, &x_actor, startup_a, &founding).await.unwrap();
    let seed = domain::ledger::NewEvent {
        on: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        entry: domain::ledger::Entry::Round {
            stage: domain::ledger::RoundStage::Seed,
            pre_money: domain::Money::from_yuan(4_000_000),
            rows: vec![domain::ledger::Contribution {
                row: 0,
                holder: holder("矩阵种子", domain::ledger::HolderKind::Investor),
                amount: domain::Money::from_yuan(400_000),
                paid_in: domain::Money::ZERO,
                channel: domain::ledger::Channel::Cash,
            }],
            lease: None,
            discounted: false,
        },
        note: String::new(),
    };
    let round_a = service::equity::record(&app.db.conn, &x_actor, startup_a, &seed).await.unwrap();
    let sets = service::readiness::rule_sets(&app.db.conn, &bureau_actor).await.unwrap();
    let maker = sets.iter().find(|s| s.code == "national_maker_space").unwrap();
    let target = service::dashboard::targets(&app.db.conn).await.unwrap()[0].id;
    let world = World {
        rule_set: maker.id,
        criterion: maker.criteria[0].id,
        target,
        carrier_x,
        site_x,
        building_x,
        floor_x,
        unit_x,
        import_x,
        carrier_y,
        startup_a,
        startup_a_name,
        application_a,
        application_move,
        application_admit,
        unit_free,
        document_a,
        lease_a,
        round_a,
        user_a,
        user_y: user(email_y.clone()).await,
        emails: vec![String::new(), email_a, email_b, email_x, email_y, email_bureau, email_admin],
    };
    (world, vec![app.anonymous.clone(), startup_a_client, startup_b_client, operator_x, operator_y, bureau, admin])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_answers_every_kind_of_user_exactly_as_the_matrix_says() {
    let app = spawn_app().await;
    let (world, callers) = world(&app).await;
    let rows = rows();

    // Every server function has a row, and every row is a server function.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let listed: BTreeSet<String> = rows.iter().map(|r| r.endpoint.to_owned()).collect();
    assert_eq!(registered, listed, "the matrix must list exactly the server functions");

    let mut failures = Vec::new();
    // Routes first: the last server function signs everyone out.
    for (method, path, expected) in routes(&world) {
        for ((caller, client), expected) in CALLERS.iter().zip(&callers).zip(expected) {
            let request = if method == "GET" {
                client.get(app.url(&path))
            } else {
                let form = if path.ends_with("/document") {
                    reqwest::multipart::Form::new()
                        .part("document", reqwest::multipart::Part::bytes(PDF).file_name("计划书.pdf"))
                } else {
                    let csv = format!("{}\n", domain::space::UNIT_COLUMNS.join(","));
                    reqwest::multipart::Form::new()
                        .text("effective_on", "2025-01-01")
                        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("units.csv"))
                };
                client.post(app.url(&path)).header("origin", app.url("")).multipart(form)
            };
            let status = request.send().await.unwrap().status().as_u16();
            if status != expected {
                failures.push(format!("{method} {path} as {caller}: got {status}, expected {expected}"));
            }
        }
    }
    for row in &rows {
        for ((caller, client), expect) in CALLERS.iter().zip(&callers).zip(row.expect) {
            let response = app.call_as(client, row.endpoint, &(row.body)(&world)).await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let ok = match expect {
                Allowed => status == 200,
                Status(expected) => status == expected,
                Scoped(check) => status == 200 && check(&world, &body),
            };
            if !ok {
                failures.push(format!("{} as {caller}: got {status} {body}", row.endpoint));
            }
        }
    }
    assert!(failures.is_empty(), "unexpected outcomes:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_startup_opening_another_startups_page_gets_a_403_page() {
    let app = spawn_app().await;
    let (own, _, _) = app.startup("甲企业").await;
    let (_, other, _) = app.startup("乙企业").await;
    let (status, html) = app.page_as(&own, &format!("/startups/{other}"), false).await;
    assert_eq!(status, 403);
    assert!(html.contains("无权访问"));
    assert!(!html.contains("乙企业"), "nothing of the other startup is shown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_opening_a_private_page_is_sent_to_sign_in_and_back() {
    let app = spawn_app().await;
    let response = app.anonymous.get(app.url("/carriers")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/login?next=%2Fcarriers");
}
