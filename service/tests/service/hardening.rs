//! The service's defences under concurrency and abuse, on a database several connections share
//! (a SQLite file, or PostgreSQL): every check-then-write race has exactly one winner, throttles
//! hold against parallel attempts, links work once, roles granted to oneself wait for a second
//! admin, and storage is bounded.

use crate::support::{bureau, client, db_with_districts, draft, operator};
use chrono::Utc;
use domain::account::{Invitation, RegistrationForm, Role};
use domain::{Problem, StartupId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use service::entity::{audit_log, login_attempt};
use service::tenancy::{applications, startups};
use service::testing::TestDb;
use service::{Actor, ServiceError, accounts, carriers};

const PASSWORD: &str = "rivers and mountains";

/// A fresh database that several connections share, with Linyi's districts.
async fn shared() -> TestDb {
    let db = TestDb::shared().await;
    service::seed::districts(&db.conn).await.unwrap();
    db
}

fn registration(startup: &str, email: &str) -> domain::account::Registration {
    RegistrationForm {
        startup_name: startup.into(),
        display_name: "王敏".into(),
        email: email.into(),
        new_password: PASSWORD.into(),
        confirm: PASSWORD.into(),
    }
    .parse()
    .unwrap()
}

/// A staff account with `roles`, signed in as the services see it.
async fn staff(db: &TestDb, email: &str, roles: &[Role]) -> Actor {
    let (user, _) = accounts::create_from_cli(&db.conn, email, "测试员", roles, Some(PASSWORD)).await.unwrap();
    accounts::load_actor(&db.conn, user, Utc::now()).await.unwrap().unwrap()
}

/// Runs `attempt` `n` times at once and returns every outcome.
async fn at_once<T, F>(n: usize, attempt: impl Fn(usize) -> F) -> Vec<Result<T, ServiceError>>
where
    T: Send + 'static,
    F: std::future::Future<Output = Result<T, ServiceError>> + Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(attempt(i))).collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

fn count<T>(outcomes: &[Result<T, ServiceError>], matches: impl Fn(&Result<T, ServiceError>) -> bool) -> usize {
    outcomes.iter().filter(|o| matches(o)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_wrong_passwords_at_once_for_one_account_are_checked_at_most_five_times() {
    let db = shared().await;
    accounts::register_startup(&db.conn, &registration("并发登录企业", "target@ymzz.cn"), &client()).await.unwrap();
    let conn = db.conn.clone();
    let outcomes = at_once(40, move |i| {
        let conn = conn.clone();
        // Forty addresses, so only the account's own limit can stop them.
        async move { accounts::sign_in(&conn, "target@ymzz.cn", "wrong password", &format!("192.0.2.{i}")).await }
    })
    .await;
    let refused = count(&outcomes, |o| matches!(o, Err(ServiceError::InvalidCredentials)));
    let throttled = count(&outcomes, |o| matches!(o, Err(ServiceError::TooManyAttempts { .. })));
    assert_eq!(refused, usize::try_from(accounts::ACCOUNT_FAILURES).unwrap(), "{outcomes:?}");
    assert_eq!(throttled, 40 - refused, "{outcomes:?}");
    // The right password is refused too, until the window passes.
    let now = accounts::sign_in(&db.conn, "target@ymzz.cn", PASSWORD, "192.0.2.200").await;
    assert!(matches!(now, Err(ServiceError::TooManyAttempts { .. })));
}

#[tokio::test]
async fn a_long_client_address_is_counted_in_the_form_it_is_stored() {
    let db = TestDb::new().await;
    // A forged header of 500 characters: stored cut to 64, it must be counted cut to 64 too.
    let forged = format!("{}198.51.100.7", "9.9.9.9,".repeat(60));
    for n in 0..accounts::CLIENT_FAILURES {
        let outcome = accounts::sign_in(&db.conn, &format!("nobody{n}@x.cn"), "wrong password", &forged).await;
        assert!(matches!(outcome, Err(ServiceError::InvalidCredentials)), "attempt {n}: {outcome:?}");
    }
    let outcome = accounts::sign_in(&db.conn, "someone-else@x.cn", "wrong password", &forged).await;
    assert!(matches!(outcome, Err(ServiceError::TooManyAttempts { .. })), "{outcome:?}");
}

#[tokio::test]
async fn sign_ins_sign_outs_and_failed_sign_ins_land_in_the_audit_trail_with_the_account() {
    let db = TestDb::new().await;
    let user =
        accounts::register_startup(&db.conn, &registration("审计企业", "audit@ymzz.cn"), &client()).await.unwrap();
    accounts::sign_in(&db.conn, "audit@ymzz.cn", PASSWORD, "192.0.2.1").await.unwrap();
    let _ = accounts::sign_in(&db.conn, "Audit@ymzz.cn", "wrong password", "192.0.2.1").await;
    let _ = accounts::sign_in(&db.conn, "ghost@ymzz.cn", "wrong password", "192.0.2.1").await;
    let actor = accounts::load_actor(&db.conn, user, Utc::now()).await.unwrap().unwrap();
    accounts::record_sign_out(&db.conn, &actor).await.unwrap();
    accounts::record_refusal(&db.conn, user, "POST", "/api/get_carrier").await.unwrap();
    let rows = audit_log::Entity::find().all(&db.conn).await.unwrap();
    let find = |action: &str, email: &str| rows.iter().any(|r| r.action == action && r.actor_email == email);
    assert!(find("sign_in", "audit@ymzz.cn"));
    assert!(find("sign_in_failed", "audit@ymzz.cn"), "a wrong password names the account");
    assert!(find("sign_in_failed", "ghost@ymzz.cn"), "an unknown account is named as typed");
    assert!(find("sign_out", "audit@ymzz.cn"));
    let refused = rows.iter().find(|r| r.action == "access_refused").unwrap();
    assert_eq!(refused.actor_id, Some(user.0));
    assert!(refused.after.as_deref().unwrap().contains("/api/get_carrier"));
    let ghost = rows.iter().find(|r| r.actor_email == "ghost@ymzz.cn").unwrap();
    assert_eq!(ghost.actor_id, None, "no account is invented for an unknown name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reset_link_used_by_twelve_at_once_works_exactly_once() {
    let db = shared().await;
    let (_, link) =
        accounts::create_from_cli(&db.conn, "first@ly.gov.cn", "首位", &[Role::Bureau], None).await.unwrap();
    let token = link.unwrap().path.trim_start_matches("/reset/").to_owned();
    let conn = db.conn.clone();
    let outcomes = at_once(12, move |i| {
        let (conn, token) = (conn.clone(), token.clone());
        async move {
            let password = format!("a new passphrase number {i}");
            accounts::reset_password(&conn, &token, &password, &password).await
        }
    })
    .await;
    assert_eq!(count(&outcomes, Result::is_ok), 1, "{outcomes:?}");
    assert_eq!(count(&outcomes, |o| matches!(o, Err(ServiceError::LinkExpired))), 11, "{outcomes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invitation_accepted_twelve_times_at_once_makes_one_account_and_tells_the_rest_it_is_used() {
    let db = shared().await;
    let invitation = Invitation { email: "new.staff@ly.gov.cn".into(), role: Role::Bureau, carrier: None };
    let admin = staff(&db, "admin@ly.gov.cn", &[Role::Admin]).await;
    let link = accounts::invite(&db.conn, &admin, &invitation).await.unwrap();
    assert!(!link.needs_approval);
    let token = link.path.trim_start_matches("/invite/").to_owned();
    let conn = db.conn.clone();
    let outcomes = at_once(12, move |_| {
        let (conn, token) = (conn.clone(), token.clone());
        async move { accounts::accept_invitation(&conn, &token, "新同事", PASSWORD, PASSWORD).await }
    })
    .await;
    assert_eq!(count(&outcomes, Result::is_ok), 1, "{outcomes:?}");
    assert_eq!(count(&outcomes, |o| matches!(o, Err(ServiceError::LinkExpired))), 11, "{outcomes:?}");
    let accounts = service::entity::user::Entity::find()
        .filter(service::entity::user::Column::Email.eq("new.staff@ly.gov.cn"))
        .count(&db.conn)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_edits_of_a_carrier_from_the_same_version_leave_one_saved_and_nineteen_told_it_is_stale() {
    let db = shared().await;
    let district = service::districts::list(&db.conn).await.unwrap()[0].id;
    let id = carriers::create(&db.conn, &bureau(), &draft("并发编辑孵化器", district, |_| {})).await.unwrap();
    let conn = db.conn.clone();
    let outcomes = at_once(20, move |i| {
        let conn = conn.clone();
        let edit = draft(&format!("并发编辑孵化器-{i}"), district, |_| {});
        async move { carriers::update(&conn, &bureau(), id, 1, &edit).await }
    })
    .await;
    assert_eq!(count(&outcomes, Result::is_ok), 1, "{outcomes:?}");
    assert_eq!(count(&outcomes, |o| matches!(o, Err(ServiceError::Stale))), 19, "{outcomes:?}");
    let saved = carriers::get(&db.conn, &bureau(), id).await.unwrap();
    assert_eq!(saved.version, 2, "one edit, one new version");
    let winner = outcomes.iter().position(Result::is_ok).unwrap();
    assert_eq!(saved.data.name, format!("并发编辑孵化器-{winner}"), "the saved edit is the one that was told so");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_saves_of_a_startup_profile_from_the_same_version_leave_one_saved() {
    let db = shared().await;
    let user = accounts::register_startup(&db.conn, &registration("并发资料企业", "profile@ymzz.cn"), &client())
        .await
        .unwrap();
    let member = accounts::load_actor(&db.conn, user, Utc::now()).await.unwrap().unwrap();
    let startup: StartupId = *member.startups.iter().next().unwrap();
    let view = startups::profile(&db.conn, &member, startup).await.unwrap();
    let conn = db.conn.clone();
    let outcomes = at_once(20, move |i| {
        let (conn, member) = (conn.clone(), member.clone());
        let mut form = domain::tenancy::startup::ProfileForm::from(&view.profile);
        form.team_size = (10 + i).to_string();
        async move {
            let profile = form.parse(crate::support::today()).unwrap();
            startups::update_profile(&conn, &member, startup, view.version, &profile).await
        }
    })
    .await;
    assert_eq!(count(&outcomes, Result::is_ok), 1, "{outcomes:?}");
    assert_eq!(count(&outcomes, |o| matches!(o, Err(ServiceError::Stale))), 19, "{outcomes:?}");
}

/// The audit record of `action`, as text.
async fn audited(db: &TestDb, action: &str) -> String {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.after.unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn an_admin_inviting_their_own_address_waits_for_a_second_admin_and_both_are_named() {
    let db = TestDb::new().await;
    let first = staff(&db, "first.admin@ly.gov.cn", &[Role::Admin]).await;
    let second = staff(&db, "second.admin@ly.gov.cn", &[Role::Admin]).await;
    let own = Invitation { email: "first.admin@ly.gov.cn".into(), role: Role::Bureau, carrier: None };
    let link = accounts::invite(&db.conn, &first, &own).await.unwrap();
    assert!(link.needs_approval, "a role granted to oneself");
    let token = link.path.trim_start_matches("/invite/");
    let early = accounts::accept_invitation(&db.conn, token, "", PASSWORD, "").await;
    assert!(matches!(early, Err(ServiceError::AwaitingApproval)), "{early:?}");
    let pending = accounts::pending_approvals(&db.conn, &first).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert!(pending[0].own, "the issuer sees it as theirs to wait for");
    let by_self = accounts::approve_link(&db.conn, &first, pending[0].id).await;
    assert!(matches!(by_self, Err(ServiceError::Forbidden)), "nobody approves their own link");
    accounts::approve_link(&db.conn, &second, pending[0].id).await.unwrap();
    let again = accounts::approve_link(&db.conn, &second, pending[0].id).await;
    assert!(again.is_err(), "approved once");
    let user = accounts::accept_invitation(&db.conn, token, "", PASSWORD, "").await.unwrap();
    let actor = accounts::load_actor(&db.conn, user, Utc::now()).await.unwrap().unwrap();
    assert!(actor.admin && actor.bureau);
    let trail = audited(&db, "accept_invitation").await;
    assert!(trail.contains("first.admin@ly.gov.cn") && trail.contains("second.admin@ly.gov.cn"), "{trail}");
    assert!(audited(&db, "approve_link").await.contains("second.admin@ly.gov.cn"));
}

#[tokio::test]
async fn bureau_staff_making_themselves_operators_wait_for_an_admin() {
    let (db, districts) = db_with_districts().await;
    let carrier = carriers::create(&db.conn, &bureau(), &draft("自荐孵化器", districts[0], |_| {})).await.unwrap();
    let clerk = staff(&db, "clerk@ly.gov.cn", &[Role::Bureau]).await;
    let own = Invitation { email: "clerk@ly.gov.cn".into(), role: Role::Operator, carrier: Some(carrier) };
    let link = accounts::invite(&db.conn, &clerk, &own).await.unwrap();
    assert!(link.needs_approval);
    let token = link.path.trim_start_matches("/invite/");
    assert!(matches!(
        accounts::accept_invitation(&db.conn, token, "", PASSWORD, "").await,
        Err(ServiceError::AwaitingApproval)
    ));
    // Inviting someone else needs nobody's approval.
    let other = Invitation { email: "ops@carrier.cn".into(), role: Role::Operator, carrier: Some(carrier) };
    assert!(!accounts::invite(&db.conn, &clerk, &other).await.unwrap().needs_approval);
}

#[tokio::test]
async fn a_reset_of_anyone_elses_account_waits_for_a_second_admin_neither_the_issuer_nor_the_owner() {
    let db = TestDb::new().await;
    let admin = staff(&db, "admin@ly.gov.cn", &[Role::Admin]).await;
    let second = staff(&db, "admin2@ly.gov.cn", &[Role::Admin]).await;
    let chief = staff(&db, "chief@ly.gov.cn", &[Role::Bureau]).await;
    let other_admin = staff(&db, "admin3@ly.gov.cn", &[Role::Admin]).await;

    let link = accounts::issue_password_reset(&db.conn, &admin, chief.user).await.unwrap();
    assert!(link.needs_approval, "the link would hand the admin the bureau's rights");
    let token = link.path.trim_start_matches("/reset/");
    let early = accounts::reset_password(&db.conn, token, "taken over account", "taken over account").await;
    assert!(matches!(early, Err(ServiceError::AwaitingApproval)), "{early:?}");
    let pending = accounts::pending_approvals(&db.conn, &second).await.unwrap();
    assert!(!pending[0].own);
    accounts::approve_link(&db.conn, &second, pending[0].id).await.unwrap();
    accounts::reset_password(&db.conn, token, "a fresh passphrase", "a fresh passphrase").await.unwrap();
    let trail = audited(&db, "reset_password").await;
    assert!(trail.contains("admin@ly.gov.cn") && trail.contains("admin2@ly.gov.cn"), "{trail}");

    // A fellow admin's account too: taking it over would give the issuer a second approver.
    let link = accounts::issue_password_reset(&db.conn, &admin, other_admin.user).await.unwrap();
    assert!(link.needs_approval);
    let pending = accounts::pending_approvals(&db.conn, &other_admin).await.unwrap();
    let by_owner = accounts::approve_link(&db.conn, &other_admin, pending[0].id).await;
    assert!(matches!(by_owner, Err(ServiceError::Forbidden)), "the account's owner does not approve: {by_owner:?}");
    // One's own password needs nobody else.
    assert!(!accounts::issue_password_reset(&db.conn, &admin, admin.user).await.unwrap().needs_approval);
}

#[tokio::test]
async fn changing_a_password_revokes_the_reset_links_still_outstanding() {
    let db = TestDb::new().await;
    let admin = staff(&db, "admin@ly.gov.cn", &[Role::Admin]).await;
    let other = staff(&db, "admin2@ly.gov.cn", &[Role::Admin]).await;
    let link = accounts::issue_password_reset(&db.conn, &admin, other.user).await.unwrap();
    accounts::change_password(&db.conn, &other, PASSWORD, "my own new passphrase", "my own new passphrase")
        .await
        .unwrap();
    let token = link.path.trim_start_matches("/reset/");
    let used = accounts::reset_password(&db.conn, token, "undo the change now", "undo the change now").await;
    assert!(matches!(used, Err(ServiceError::LinkExpired)), "{used:?}");
}

#[tokio::test]
async fn registrations_from_one_address_are_limited_and_asking_whether_an_email_is_taken_counts_too() {
    let db = TestDb::new().await;
    accounts::register_startup(&db.conn, &registration("已注册企业", "taken@ymzz.cn"), "203.0.113.9").await.unwrap();
    let refused =
        accounts::register_startup(&db.conn, &registration("另一家企业", "taken@ymzz.cn"), "203.0.113.9").await;
    assert!(matches!(&refused, Err(ServiceError::Invalid(e)) if e.iter().any(|e| e.problem == Problem::EmailTaken)));
    let recorded =
        login_attempt::Entity::find().filter(login_attempt::Column::Kind.eq("register")).count(&db.conn).await.unwrap();
    assert_eq!(recorded, 2, "a refused registration is an attempt: emails cannot be probed without limit");
    for n in 2..accounts::CLIENT_REGISTRATIONS {
        accounts::register_startup(
            &db.conn,
            &registration(&format!("企业{n}"), &format!("f{n}@ymzz.cn")),
            "203.0.113.9",
        )
        .await
        .unwrap();
    }
    let over = accounts::register_startup(&db.conn, &registration("超额企业", "over@ymzz.cn"), "203.0.113.9").await;
    assert!(matches!(over, Err(ServiceError::TooManyAttempts { .. })), "{over:?}");
    let probe = accounts::register_startup(&db.conn, &registration("探测企业", "taken@ymzz.cn"), "203.0.113.9").await;
    assert!(matches!(probe, Err(ServiceError::TooManyAttempts { .. })), "past the limit, not told: {probe:?}");
    assert!(
        accounts::register_startup(&db.conn, &registration("别处企业", "else@ymzz.cn"), "203.0.113.10").await.is_ok(),
        "another address is not held back"
    );
}

#[tokio::test]
async fn business_plans_are_limited_per_startup_and_per_account() {
    let (db, districts) = db_with_districts().await;
    let carrier = carriers::create(&db.conn, &bureau(), &draft("配额孵化器", districts[0], |_| {})).await.unwrap();
    let user =
        accounts::register_startup(&db.conn, &registration("配额企业", "quota@ymzz.cn"), &client()).await.unwrap();
    let member = accounts::load_actor(&db.conn, user, Utc::now()).await.unwrap().unwrap();
    let startup = *member.startups.iter().next().unwrap();
    let form = domain::tenancy::application::ApplicationForm {
        carrier_id: carrier.to_string(),
        request_kind: "desks".into(),
        desks: "2".into(),
        desired_start: (crate::support::today() + chrono::Days::new(30)).to_string(),
        duration_months: "12".into(),
        summary: "申请两个工位，用于工业软件的研发、测试与客户演示。".into(),
        ..Default::default()
    }
    .parse(crate::support::today())
    .unwrap();
    // 9 MB plans: eleven fit the account's 100 MB, the twelfth does not.
    let plan = [b"%PDF-1.4\n".as_slice(), &vec![b' '; 9 * 1024 * 1024]].concat();
    let mut last = None;
    for n in 0..12 {
        let id = applications::create(&db.conn, &member, startup, &form, false).await.unwrap();
        let outcome = applications::attach_document(&db.conn, &member, id, &format!("plan{n}.pdf"), &plan).await;
        if n < 11 {
            outcome.unwrap();
        } else {
            assert!(matches!(outcome, Err(ServiceError::QuotaExceeded { quota_mb: 100, .. })), "{outcome:?}");
            // The check made before the upload is read says the same.
            let early = applications::check_upload(&db.conn, &member, id, Some(plan.len() as u64)).await;
            assert!(matches!(early, Err(ServiceError::QuotaExceeded { .. })), "{early:?}");
        }
        last = Some(id);
    }
    // Replacing a plan frees its own share.
    applications::attach_document(&db.conn, &member, last.unwrap() - 1, "again.pdf", &plan).await.unwrap();
    // A small plan goes to the count limit instead: twenty files per startup.
    let small = b"%PDF-1.4\n%%EOF\n".to_vec();
    for _ in 11..applications::MAX_DOCUMENTS_PER_STARTUP {
        let id = applications::create(&db.conn, &member, startup, &form, false).await.unwrap();
        applications::attach_document(&db.conn, &member, id, "small.pdf", &small).await.unwrap();
    }
    let id = applications::create(&db.conn, &member, startup, &form, false).await.unwrap();
    let over = applications::attach_document(&db.conn, &member, id, "one-too-many.pdf", &small).await;
    assert!(
        matches!(&over, Err(ServiceError::Invalid(e)) if e.iter().any(|e| matches!(e.problem, Problem::TooManyFiles { max: 20 }))),
        "{over:?}"
    );
    // A startup that may not write here is refused before its size is even considered.
    let stranger = Actor { user: UserId(999), startups: [StartupId(999_999)].into(), ..operator(&[]) };
    let refused = applications::check_upload(&db.conn, &stranger, id, Some(1)).await;
    assert!(matches!(refused, Err(ServiceError::Forbidden)), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn uploads_at_once_cannot_share_one_allowance_twice() {
    let db = shared().await;
    let district = service::districts::list(&db.conn).await.unwrap()[0].id;
    let carrier = carriers::create(&db.conn, &bureau(), &draft("并发配额孵化器", district, |_| {})).await.unwrap();
    let user =
        accounts::register_startup(&db.conn, &registration("并发配额企业", "race@ymzz.cn"), &client()).await.unwrap();
    let member = accounts::load_actor(&db.conn, user, Utc::now()).await.unwrap().unwrap();
    let startup = *member.startups.iter().next().unwrap();
    let form = domain::tenancy::application::ApplicationForm {
        carrier_id: carrier.to_string(),
        request_kind: "desks".into(),
        desks: "2".into(),
        desired_start: (crate::support::today() + chrono::Days::new(30)).to_string(),
        duration_months: "12".into(),
        summary: "申请两个工位，用于工业软件的研发、测试与客户演示。".into(),
        ..Default::default()
    }
    .parse(crate::support::today())
    .unwrap();
    // 90 MB used; room for one more 9 MB plan, and six try at once.
    let plan = [b"%PDF-1.4\n".as_slice(), &vec![b' '; 9 * 1024 * 1024]].concat();
    for n in 0..10 {
        let id = applications::create(&db.conn, &member, startup, &form, false).await.unwrap();
        applications::attach_document(&db.conn, &member, id, &format!("plan{n}.pdf"), &plan).await.unwrap();
    }
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(applications::create(&db.conn, &member, startup, &form, false).await.unwrap());
    }
    let (conn, plan) = (db.conn.clone(), std::sync::Arc::new(plan));
    let outcomes = at_once(6, move |i| {
        let (conn, member, plan, id) = (conn.clone(), member.clone(), plan.clone(), ids[i]);
        async move { applications::attach_document(&conn, &member, id, "race.pdf", &plan).await }
    })
    .await;
    assert_eq!(count(&outcomes, Result::is_ok), 1, "{outcomes:?}");
    assert_eq!(count(&outcomes, |o| matches!(o, Err(ServiceError::QuotaExceeded { .. }))), 5, "{outcomes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn several_instances_migrating_one_postgres_database_at_once_apply_everything_once() {
    // A database with nothing in it, and six "instances" starting against it at once.
    let db = TestDb::empty().await;
    if !db.is_postgres() {
        // The embedded database belongs to one process; the race is PostgreSQL's.
        return;
    }
    let fresh = db.url().to_owned();
    let outcomes = at_once(6, move |_| {
        let url = fresh.clone();
        async move {
            let conn = service::db::connect(&url).await.map_err(ServiceError::Db)?;
            let migrated = service::install::migrate(&conn).await;
            conn.close().await.ok();
            migrated
        }
    })
    .await;
    assert_eq!(count(&outcomes, Result::is_ok), 6, "{outcomes:?}");
    let conn = &db.conn;
    assert_eq!(service::db::pending_migrations(conn).await.unwrap(), 0);
    let targets = service::entity::area_target::Entity::find().count(conn).await.unwrap();
    assert_eq!(targets, 1, "the founding plan is added once");
    let sets = service::entity::rule_set::Entity::find().count(conn).await.unwrap();
    assert_eq!(sets, 5, "the national rule sets (four incubator variants, the maker-space set) are added once");
    let districts = service::entity::district::Entity::find().count(conn).await.unwrap();
    assert_eq!(districts, 15, "the city is loaded once");
}

#[tokio::test]
async fn an_ipv6_client_is_counted_by_its_64_network() {
    let db = TestDb::new().await;
    // Thirty addresses of one /64, as one subscriber may use: one client to the throttle.
    for n in 0..accounts::CLIENT_FAILURES {
        let client = format!("2001:db8:1:2::{:x}", n + 1);
        let outcome = accounts::sign_in(&db.conn, &format!("nobody{n}@x.cn"), "wrong password", &client).await;
        assert!(matches!(outcome, Err(ServiceError::InvalidCredentials)), "{outcome:?}");
    }
    let next = accounts::sign_in(&db.conn, "another@x.cn", "wrong password", "2001:db8:1:2:ffff::9").await;
    assert!(matches!(next, Err(ServiceError::TooManyAttempts { .. })), "{next:?}");
    let elsewhere = accounts::sign_in(&db.conn, "another@x.cn", "wrong password", "2001:db8:1:3::1").await;
    assert!(matches!(elsewhere, Err(ServiceError::InvalidCredentials)), "another network: {elsewhere:?}");
}
