use crate::support::{bureau, db_with_districts, draft};
use chrono::{Duration, Utc};
use domain::account::{Invitation, RegistrationForm, Role};
use domain::{CarrierId, Problem, UserId};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use service::entity::one_time_token;
use service::testing::TestDb;
use service::{Actor, ServiceError, accounts, carriers};

const PASSWORD: &str = "rivers and mountains";

fn registration(startup: &str, email: &str) -> domain::account::Registration {
    RegistrationForm {
        startup_name: startup.into(),
        display_name: "王敏".into(),
        email: email.into(),
        new_password: PASSWORD.into(),
        confirm: PASSWORD.into(),
    }
    .parse()
    .expect("a valid registration")
}

async fn actor(db: &TestDb, user: UserId) -> Actor {
    accounts::load_actor(&db.conn, user, Utc::now()).await.unwrap().expect("an active user")
}

fn admin() -> Actor {
    Actor { user: UserId(99), admin: true, bureau: false, email: "admin@ly.gov.cn".into(), ..bureau() }
}

#[tokio::test]
async fn a_startup_registers_itself_and_its_member_signs_in_as_that_startup() {
    let db = TestDb::new().await;
    let user = accounts::register_startup(&db.conn, &registration("沂蒙智造", "WM@ymzz.cn"), &crate::support::client())
        .await
        .unwrap();
    let signed_in = accounts::sign_in(&db.conn, "wm@ymzz.cn", PASSWORD, "10.0.0.1").await.unwrap();
    assert_eq!(signed_in, user);
    let actor = actor(&db, user).await;
    assert_eq!(actor.startups.len(), 1);
    assert!(!actor.bureau && !actor.admin && actor.carriers.is_empty());
    let me = accounts::me(&db.conn, &actor).await.unwrap();
    assert_eq!(me.email, "wm@ymzz.cn", "emails are kept lower-case");
    assert!(me.has(Role::Startup));
}

#[tokio::test]
async fn an_unknown_account_and_a_wrong_password_get_the_same_answer() {
    let db = TestDb::new().await;
    accounts::register_startup(&db.conn, &registration("沂蒙智造", "wm@ymzz.cn"), &crate::support::client())
        .await
        .unwrap();
    let unknown = accounts::sign_in(&db.conn, "nobody@ymzz.cn", PASSWORD, "10.0.0.1").await.unwrap_err();
    let wrong = accounts::sign_in(&db.conn, "wm@ymzz.cn", "not the password", "10.0.0.1").await.unwrap_err();
    assert!(matches!(unknown, ServiceError::InvalidCredentials));
    assert!(matches!(wrong, ServiceError::InvalidCredentials));
}

#[tokio::test]
async fn after_five_failures_an_account_is_locked_for_the_window_even_with_the_right_password() {
    let db = TestDb::new().await;
    accounts::register_startup(&db.conn, &registration("沂蒙智造", "wm@ymzz.cn"), &crate::support::client())
        .await
        .unwrap();
    for attempt in 0..accounts::ACCOUNT_FAILURES {
        let client = format!("10.0.0.{attempt}");
        assert!(matches!(
            accounts::sign_in(&db.conn, "wm@ymzz.cn", "guess", &client).await,
            Err(ServiceError::InvalidCredentials)
        ));
    }
    assert!(matches!(
        accounts::sign_in(&db.conn, "wm@ymzz.cn", PASSWORD, "10.9.9.9").await,
        Err(ServiceError::TooManyAttempts { retry_after_minutes: 15 })
    ));
}

#[tokio::test]
async fn a_client_that_guesses_across_many_accounts_is_throttled() {
    let db = TestDb::new().await;
    accounts::register_startup(&db.conn, &registration("沂蒙智造", "wm@ymzz.cn"), &crate::support::client())
        .await
        .unwrap();
    for n in 0..accounts::CLIENT_FAILURES {
        let _ = accounts::sign_in(&db.conn, &format!("user{n}@example.cn"), "guess", "10.6.6.6").await;
    }
    assert!(matches!(
        accounts::sign_in(&db.conn, "wm@ymzz.cn", PASSWORD, "10.6.6.6").await,
        Err(ServiceError::TooManyAttempts { .. })
    ));
    assert!(
        accounts::sign_in(&db.conn, "wm@ymzz.cn", PASSWORD, "10.0.0.2").await.is_ok(),
        "other clients are unaffected"
    );
}

#[tokio::test]
async fn registering_a_taken_email_or_startup_name_writes_nothing() {
    let db = TestDb::new().await;
    accounts::register_startup(&db.conn, &registration("沂蒙智造", "wm@ymzz.cn"), &crate::support::client())
        .await
        .unwrap();
    let err = accounts::register_startup(&db.conn, &registration("沂蒙智造", "WM@ymzz.cn"), &crate::support::client())
        .await
        .unwrap_err();
    let ServiceError::Invalid(errors) = err else { panic!("expected field errors") };
    assert_eq!(errors.for_field("email").next(), Some(&Problem::EmailTaken));
    assert_eq!(errors.for_field("startup_name").next(), Some(&Problem::NameTaken));
    assert_eq!(service::entity::user::Entity::find().all(&db.conn).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_invitation_makes_an_operator_once_and_the_link_then_stops_working() {
    let (db, districts) = db_with_districts().await;
    let carrier = carriers::create(&db.conn, &bureau(), &draft("邀请孵化器", districts[0], |_| {})).await.unwrap();
    let invitation = Invitation { email: "ops@yqfh.cn".into(), role: Role::Operator, carrier: Some(carrier) };
    let link = accounts::invite(&db.conn, &bureau(), &invitation).await.unwrap();
    let token = link.path.trim_start_matches("/invite/");

    let details = accounts::invitation_details(&db.conn, token).await.unwrap();
    assert_eq!(details.carrier_name.as_deref(), Some("邀请孵化器"));
    assert!(!details.existing_account);

    let user = accounts::accept_invitation(&db.conn, token, "李强", PASSWORD, PASSWORD).await.unwrap();
    assert_eq!(actor(&db, user).await.carriers.into_iter().collect::<Vec<_>>(), [carrier]);
    assert!(matches!(
        accounts::accept_invitation(&db.conn, token, "李强", PASSWORD, PASSWORD).await,
        Err(ServiceError::LinkExpired)
    ));
    assert!(matches!(
        accounts::invitation_details(&db.conn, "0".repeat(64).as_str()).await,
        Err(ServiceError::LinkExpired)
    ));
}

#[tokio::test]
async fn an_operator_of_two_carriers_holds_both_after_a_second_invitation() {
    let (db, districts) = db_with_districts().await;
    let first = carriers::create(&db.conn, &bureau(), &draft("第一孵化器", districts[0], |_| {})).await.unwrap();
    let second = carriers::create(&db.conn, &bureau(), &draft("第二孵化器", districts[1], |_| {})).await.unwrap();
    let invite =
        |carrier: CarrierId| Invitation { email: "ops@two.cn".into(), role: Role::Operator, carrier: Some(carrier) };
    let link = accounts::invite(&db.conn, &bureau(), &invite(first)).await.unwrap();
    let user =
        accounts::accept_invitation(&db.conn, link.path.trim_start_matches("/invite/"), "刘洋", PASSWORD, PASSWORD)
            .await
            .unwrap();

    let link = accounts::invite(&db.conn, &bureau(), &invite(second)).await.unwrap();
    let token = link.path.trim_start_matches("/invite/");
    assert!(accounts::invitation_details(&db.conn, token).await.unwrap().existing_account);
    let wrong = accounts::accept_invitation(&db.conn, token, "", "not my password", "").await.unwrap_err();
    assert!(matches!(wrong, ServiceError::Invalid(_)), "an existing account proves it is theirs");
    assert_eq!(accounts::accept_invitation(&db.conn, token, "", PASSWORD, "").await.unwrap(), user);
    assert_eq!(actor(&db, user).await.carriers.len(), 2);
}

#[tokio::test]
async fn only_admins_invite_staff_roles_and_nobody_invites_without_a_role_to_give() {
    let (db, districts) = db_with_districts().await;
    let carrier = carriers::create(&db.conn, &bureau(), &draft("孵化器", districts[0], |_| {})).await.unwrap();
    let as_bureau = Invitation { email: "new@ly.gov.cn".into(), role: Role::Bureau, carrier: None };
    assert!(matches!(accounts::invite(&db.conn, &bureau(), &as_bureau).await, Err(ServiceError::Forbidden)));
    assert!(accounts::invite(&db.conn, &admin(), &as_bureau).await.is_ok());
    let startup_member = Actor { bureau: false, startups: [domain::StartupId(1)].into(), ..bureau() };
    let operator = Invitation { email: "o@c.cn".into(), role: Role::Operator, carrier: Some(carrier) };
    assert!(matches!(accounts::invite(&db.conn, &startup_member, &operator).await, Err(ServiceError::Forbidden)));
}

#[tokio::test]
async fn an_expired_invitation_is_refused() {
    let (db, districts) = db_with_districts().await;
    let carrier = carriers::create(&db.conn, &bureau(), &draft("孵化器", districts[0], |_| {})).await.unwrap();
    let invitation = Invitation { email: "late@c.cn".into(), role: Role::Operator, carrier: Some(carrier) };
    let link = accounts::invite(&db.conn, &bureau(), &invitation).await.unwrap();
    let row = one_time_token::Entity::find().one(&db.conn).await.unwrap().unwrap();
    let mut expired: one_time_token::ActiveModel = row.into();
    expired.expires_at = Set(Utc::now() - Duration::minutes(1));
    expired.update(&db.conn).await.unwrap();
    let token = link.path.trim_start_matches("/invite/");
    assert!(matches!(accounts::invitation_details(&db.conn, token).await, Err(ServiceError::LinkExpired)));
}

#[tokio::test]
async fn a_password_reset_sets_the_new_password_and_ends_every_older_session() {
    let db = TestDb::new().await;
    let user = accounts::register_startup(&db.conn, &registration("沂蒙智造", "wm@ymzz.cn"), &crate::support::client())
        .await
        .unwrap();
    let session_started = Utc::now() - Duration::seconds(1);
    let link = accounts::issue_password_reset(&db.conn, &admin(), user).await.unwrap();
    // A startup member holds rights the admin does not: a second admin approves the link.
    assert!(link.needs_approval);
    let second = Actor { user: UserId(98), email: "admin2@ly.gov.cn".into(), ..admin() };
    let pending = accounts::pending_approvals(&db.conn, &second).await.unwrap();
    accounts::approve_link(&db.conn, &second, pending[0].id).await.unwrap();
    let token = link.path.trim_start_matches("/reset/");
    let new_password = "a new river and a new mountain";
    accounts::reset_password(&db.conn, token, new_password, new_password).await.unwrap();

    assert!(accounts::load_actor(&db.conn, user, session_started).await.unwrap().is_none(), "old sessions end");
    assert!(accounts::sign_in(&db.conn, "wm@ymzz.cn", new_password, "10.0.0.1").await.is_ok());
    assert!(
        matches!(
            accounts::reset_password(&db.conn, token, new_password, new_password).await,
            Err(ServiceError::LinkExpired)
        ),
        "a link works once"
    );
    assert!(matches!(accounts::issue_password_reset(&db.conn, &bureau(), user).await, Err(ServiceError::Forbidden)));
}

#[tokio::test]
async fn changing_a_password_needs_the_current_one_and_follows_the_policy() {
    let db = TestDb::new().await;
    let user = accounts::register_startup(&db.conn, &registration("沂蒙智造", "wm@ymzz.cn"), &crate::support::client())
        .await
        .unwrap();
    let me = actor(&db, user).await;
    let wrong =
        accounts::change_password(&db.conn, &me, "guess", "a brand new passphrase", "a brand new passphrase").await;
    assert!(
        matches!(wrong, Err(ServiceError::Invalid(e)) if e.for_field("current_password").next() == Some(&Problem::PasswordWrong))
    );
    let weak = accounts::change_password(&db.conn, &me, PASSWORD, "password1234", "password1234").await;
    assert!(
        matches!(weak, Err(ServiceError::Invalid(e)) if e.for_field("new_password").next() == Some(&Problem::PasswordCommon))
    );
    accounts::change_password(&db.conn, &me, PASSWORD, "a brand new passphrase", "a brand new passphrase")
        .await
        .unwrap();
    assert!(accounts::sign_in(&db.conn, "wm@ymzz.cn", "a brand new passphrase", "10.0.0.1").await.is_ok());
}

#[tokio::test]
async fn a_deactivated_account_can_neither_sign_in_nor_keep_its_session() {
    let db = TestDb::new().await;
    let user = accounts::register_startup(&db.conn, &registration("沂蒙智造", "wm@ymzz.cn"), &crate::support::client())
        .await
        .unwrap();
    accounts::set_active(&db.conn, &admin(), user, false).await.unwrap();
    assert!(accounts::load_actor(&db.conn, user, Utc::now()).await.unwrap().is_none());
    assert!(matches!(
        accounts::sign_in(&db.conn, "wm@ymzz.cn", PASSWORD, "10.0.0.1").await,
        Err(ServiceError::InvalidCredentials)
    ));
    assert!(matches!(accounts::set_active(&db.conn, &bureau(), user, true).await, Err(ServiceError::Forbidden)));
}

#[tokio::test]
async fn the_first_admin_is_created_from_the_command_line_without_a_password_and_gets_a_link() {
    let db = TestDb::new().await;
    let (user, link) =
        accounts::create_from_cli(&db.conn, "Admin@ly.gov.cn", "管理员", &[Role::Admin], None).await.unwrap();
    let link = link.expect("a link to set the password");
    assert!(actor(&db, user).await.admin);
    let token = link.path.trim_start_matches("/reset/");
    accounts::reset_password(&db.conn, token, "the city of a thousand gardens", "the city of a thousand gardens")
        .await
        .unwrap();
    assert!(
        accounts::sign_in(&db.conn, "admin@ly.gov.cn", "the city of a thousand gardens", "127.0.0.1").await.is_ok()
    );
}
