//! The matrix of the server functions: one row per function, the outcome for each kind of user.

use super::world::{World, today};
use crate::support::{encode, unique};
use serde_json::Value;
use std::collections::BTreeSet;

/// What a call must produce.
#[derive(Clone, Copy)]
pub(super) enum Expect {
    /// 200.
    Ok,
    /// This status, with an error body.
    Status(u16),
    /// 200, and the body passes this check (a result narrowed to the caller's scope).
    Scoped(fn(&World, &Value) -> bool),
}

pub(super) use Expect::{Ok as Allowed, Scoped, Status};
pub(super) const UNAUTHENTICATED: Expect = Status(401);
pub(super) const FORBIDDEN: Expect = Status(403);
/// Carrier X's own business: its operators and the bureau.
pub(super) const OWN_CARRIER: [Expect; 7] =
    [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN, Allowed, FORBIDDEN];
/// Carrier X's records to write: its operators only (the bureau reads them, README "What the
/// bureau may write").
pub(super) const X_WRITES: [Expect; 7] =
    [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN, FORBIDDEN, FORBIDDEN];

pub(super) struct Row {
    pub(super) endpoint: &'static str,
    pub(super) body: fn(&World) -> String,
    pub(super) expect: [Expect; 7],
}

pub(super) fn ids(value: &Value, key: &str) -> BTreeSet<i64> {
    value.as_array().into_iter().flatten().filter_map(|item| item[key].as_i64().or(item[0].as_i64())).collect()
}

/// The carriers of an operator's home, in order.
fn home_carriers(value: &Value) -> Vec<i64> {
    value["carriers"].as_array().into_iter().flatten().filter_map(|c| c["carrier"].as_i64()).collect()
}

pub(super) fn rows() -> Vec<Row> {
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
            endpoint: "get_operator_home",
            body: |_| String::new(),
            expect: [
                UNAUTHENTICATED,
                FORBIDDEN,
                FORBIDDEN,
                Scoped(|w, v| home_carriers(v) == [w.carrier_x.0]),
                Scoped(|w, v| home_carriers(v) == [w.carrier_y.0]),
                FORBIDDEN,
                FORBIDDEN,
            ],
        },
        Row {
            endpoint: "search_catalogue",
            body: |_| "query[page]=1".into(),
            expect: [
                Scoped(|_, v| v["public_only"] == true),
                Scoped(|_, v| v["public_only"] == false),
                Scoped(|_, v| v["public_only"] == false),
                Scoped(|_, v| v["public_only"] == false),
                Scoped(|_, v| v["public_only"] == false),
                Scoped(|_, v| v["public_only"] == false),
                Scoped(|_, v| v["public_only"] == false),
            ],
        },
        Row {
            // Y's version is 1 throughout: nothing else in the matrix edits Y's registration.
            endpoint: "update_listing",
            body: |w| {
                encode(&[
                    ("carrier", w.carrier_y.to_string()),
                    ("version", "1".into()),
                    ("form[description]", "矩阵介绍".into()),
                    ("form[public]", "on".into()),
                ])
            },
            expect: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Allowed, FORBIDDEN, FORBIDDEN],
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
                    let rows = v["items"].as_array().unwrap();
                    !rows.is_empty() && rows.iter().all(|r| r["startup_name"] == w.startup_a_name.as_str())
                }),
                Scoped(|_, v| v["items"].as_array().unwrap().is_empty()),
                Scoped(|_, v| {
                    let rows = v["items"].as_array().unwrap();
                    // X's name changes in an earlier row; only X's applications are listed.
                    !rows.is_empty() && rows.iter().all(|r| r["carrier_name"].as_str().unwrap().starts_with("矩阵X"))
                }),
                Scoped(|_, v| v["items"].as_array().unwrap().is_empty()),
                Scoped(|_, v| v["items"].as_array().unwrap().len() >= 3),
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
            endpoint: "update_target",
            body: |w| {
                encode(&[
                    ("id", w.target.to_string()),
                    ("version", "0".into()),
                    ("form[name_zh]", "矩阵目标（修改）".into()),
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
