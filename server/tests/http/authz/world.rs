//! The world every row of the matrix is called in: two carriers, two startups, their records,
//! and one signed-in client per kind of user.

use crate::support::{TestApp, unique};
use domain::account::Role;
use domain::{CarrierId, StartupId, UserId};
use reqwest::Client;

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

pub(super) use domain::time::today;

/// A minimal PDF, as far as the upload check goes.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

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
    let header: Vec<String> = domain::space::import::UNIT_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    let import_x =
        service::spaces::import(&app.db.conn, &x_actor, carrier_x, "x.csv", &header, &[], day).await.unwrap().id;
    let unit_free =
        service::spaces::add_unit(&app.db.conn, &x_actor, floor_x, "102", &spec, day, "矩阵").await.unwrap();
    let user_a = user(email_a.clone()).await;
    let actor_a = service::accounts::load_actor(&app.db.conn, user_a, chrono::Utc::now()).await.unwrap().unwrap();
    let draft = domain::tenancy::application::ApplicationForm {
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
            let id = service::tenancy::applications::create(&db, &actor_a, startup_a, &draft, true).await.unwrap();
            if review {
                service::tenancy::applications::transition(
                    &db,
                    &bureau,
                    id,
                    domain::tenancy::application::Transition::StartReview,
                    None,
                )
                .await
                .unwrap();
            }
            id
        }
    };
    // A's business plan goes in before the review starts (it is frozen from then on).
    let application_a = apply(false).await;
    let document_a =
        service::tenancy::applications::attach_document(&app.db.conn, &actor_a, application_a, "计划书.pdf", PDF)
            .await
            .unwrap();
    service::tenancy::applications::transition(
        &app.db.conn,
        &x_actor,
        application_a,
        domain::tenancy::application::Transition::StartReview,
        None,
    )
    .await
    .unwrap();
    let application_move = apply(false).await;
    let application_admit = apply(true).await;
    let application_leased = apply(true).await;
    let terms = domain::tenancy::lease::LeaseForm {
        units: vec![unit_x.to_string()],
        starts_on: "2025-06-01".into(),
        ends_on: "2026-12-31".into(),
        monthly_rent: "3000".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let lease_a =
        service::tenancy::applications::admit(&app.db.conn, &x_actor, application_leased, &terms).await.unwrap();
    let holder = |name: &str, kind| domain::equity::ledger::HolderRef::New { kind, name: name.to_owned() };
    let founding = domain::equity::ledger::NewEvent {
        on: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        entry: domain::equity::ledger::Entry::Formation {
            rows: vec![domain::equity::ledger::Contribution {
                row: 0,
                holder: holder("矩阵创始人", domain::equity::ledger::HolderKind::Founder),
                amount: domain::Money::from_yuan(1_000_000),
                paid_in: domain::Money::from_yuan(1_000_000),
                channel: domain::equity::ledger::Channel::Cash,
            }],
        },
        note: String::new(),
    };
    service::equity::record(&app.db.conn, &x_actor, startup_a, &founding).await.unwrap();
    let seed = domain::equity::ledger::NewEvent {
        on: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        entry: domain::equity::ledger::Entry::Round {
            stage: domain::equity::ledger::RoundStage::Seed,
            pre_money: domain::Money::from_yuan(4_000_000),
            rows: vec![domain::equity::ledger::Contribution {
                row: 0,
                holder: holder("矩阵种子", domain::equity::ledger::HolderKind::Investor),
                amount: domain::Money::from_yuan(400_000),
                paid_in: domain::Money::ZERO,
                channel: domain::equity::ledger::Channel::Cash,
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
