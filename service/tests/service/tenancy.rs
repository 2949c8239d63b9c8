use crate::support::{bureau, db_with_districts, draft, operator, operators};
use chrono::{Days, NaiveDate};
use domain::space::{PlaceForm, UnitForm};
use domain::tenancy::application::{ApplicationForm, ApplicationQuery, ApplicationState, Transition};
use domain::tenancy::lease::{LeaseEvent, LeaseEventKind, LeaseForm, LeaseTerms};
use domain::tenancy::startup::{GraduationCriterion, StageEvent, TenantStage};
use domain::time::today;
use domain::{Area, CarrierId, DistrictId, Money, Problem, StartupId, UserId};
use service::spaces::{self, AreaScope};
use service::tenancy::{applications, leases, tenants};
use service::testing::TestDb;
use service::{Actor, ServiceError, carriers};

pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn member(startup: StartupId) -> Actor {
    Actor {
        user: UserId(50 + startup.0),
        email: format!("founder{}@s.cn", startup.0),
        bureau: false,
        startups: [startup].into(),
        ..bureau()
    }
}

/// A carrier with one floor of units (100 m² offices at 50 yuan/m², and a 24-desk area at 300
/// yuan a desk), in service since 2020; returns the carrier, the floor and the units.
pub(crate) async fn carrier_with_units(
    db: &TestDb,
    district: DistrictId,
    name: &str,
    shareholder: bool,
) -> (CarrierId, i64, Vec<i64>) {
    let carrier = carriers::create(
        &db.conn,
        &bureau(),
        &draft(name, district, |f| {
            if shareholder {
                f.operating_model = "landlord_shareholder".into();
            }
        }),
    )
    .await
    .unwrap();
    let site = spaces::create_site(
        &db.conn,
        &operators(),
        carrier,
        &PlaceForm { name: "园区".into(), address: "临沂市".into() },
    )
    .await
    .unwrap();
    let building = spaces::create_building(&db.conn, &operators(), site, "A座").await.unwrap();
    let floor = spaces::create_floor(&db.conn, &operators(), building, "1F").await.unwrap();
    let mut units = Vec::new();
    for (code, kind, desks, rent, basis) in [
        ("101", "private_office", "", "50", "per_m2"),
        ("102", "private_office", "", "50", "per_m2"),
        ("103", "open_workstations", "24", "300", "per_desk"),
    ] {
        let spec = UnitForm {
            code: code.into(),
            kind: kind.into(),
            gross_area: "110".into(),
            usable_area: "100".into(),
            use_category: "tenant".into(),
            desks: desks.into(),
            list_rent: rent.into(),
            rent_basis: basis.into(),
        }
        .parse_spec()
        .unwrap();
        units
            .push(spaces::add_unit(&db.conn, &operators(), floor, code, &spec, day(2020, 1, 1), "新建").await.unwrap());
    }
    (carrier, floor, units)
}

static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

pub(crate) async fn startup(db: &TestDb, name: &str) -> StartupId {
    let registration = domain::account::RegistrationForm {
        startup_name: name.into(),
        display_name: "创始人".into(),
        email: format!("founder{}@startup.cn", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)),
        new_password: "rivers and mountains".into(),
        confirm: "rivers and mountains".into(),
    }
    .parse()
    .unwrap();
    let user = service::accounts::register_startup(&db.conn, &registration, &crate::support::client()).await.unwrap();
    let actor = service::accounts::load_actor(&db.conn, user, chrono::Utc::now()).await.unwrap().unwrap();
    *actor.startups.iter().next().unwrap()
}

pub(crate) fn application_form(carrier: CarrierId) -> domain::tenancy::application::ApplicationDraft {
    ApplicationForm {
        carrier_id: carrier.to_string(),
        request_kind: "desks".into(),
        desks: "8".into(),
        desired_start: today().checked_add_days(Days::new(30)).unwrap().format("%Y-%m-%d").to_string(),
        duration_months: "24".into(),
        summary: "我们研发工业视觉检测设备，已有三家试点客户。".into(),
        ..Default::default()
    }
    .parse(today())
    .unwrap()
}

/// An application submitted and under review.
pub(crate) async fn under_review(db: &TestDb, startup: StartupId, carrier: CarrierId) -> i64 {
    let id = applications::create(&db.conn, &member(startup), startup, &application_form(carrier), true).await.unwrap();
    applications::transition(&db.conn, &operator(&[carrier]), id, Transition::StartReview, None).await.unwrap();
    id
}

pub(crate) fn terms(units: &[i64], first: NaiveDate, last: Option<NaiveDate>, rent: &str) -> LeaseTerms {
    LeaseForm {
        units: units.iter().map(|u| u.to_string()).collect(),
        starts_on: first.format("%Y-%m-%d").to_string(),
        ends_on: last.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        monthly_rent: rent.into(),
        deposit: "10000".into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

pub(crate) fn problem_of<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> Problem {
    match result {
        Err(ServiceError::Invalid(e) | ServiceError::Conflict(e)) => e.iter().next().unwrap().problem.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_application_goes_from_draft_to_a_rejection_the_startup_can_read() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _) = carrier_with_units(&db, districts[0], "申请孵化器", false).await;
    let applicant = startup(&db, "申请企业").await;
    let id =
        applications::create(&db.conn, &member(applicant), applicant, &application_form(carrier), false).await.unwrap();
    let ops = operator(&[carrier]);

    // Drafts are the startup's own business.
    assert!(matches!(applications::get(&db.conn, &ops, id).await, Err(ServiceError::Forbidden)));
    assert!(applications::list(&db.conn, &ops, &ApplicationQuery::default()).await.unwrap().items.is_empty());

    assert_eq!(
        applications::transition(&db.conn, &member(applicant), id, Transition::Submit, None).await.unwrap(),
        ApplicationState::Submitted
    );
    // The operator cannot decide before reviewing, and the startup cannot review itself.
    assert!(matches!(
        problem_of(applications::transition(&db.conn, &ops, id, Transition::Reject, Some("不符合条件")).await),
        Problem::IllegalTransition { .. }
    ));
    assert!(matches!(
        problem_of(applications::transition(&db.conn, &member(applicant), id, Transition::StartReview, None).await),
        Problem::IllegalTransition { .. }
    ));
    applications::transition(&db.conn, &ops, id, Transition::StartReview, None).await.unwrap();
    assert_eq!(
        problem_of(applications::transition(&db.conn, &ops, id, Transition::Reject, Some("")).await),
        Problem::Required,
        "a rejection needs a reason"
    );
    applications::transition(&db.conn, &ops, id, Transition::Reject, Some("本期工位已满，欢迎明年再申请"))
        .await
        .unwrap();

    let seen = applications::get(&db.conn, &member(applicant), id).await.unwrap();
    assert_eq!(seen.state, ApplicationState::Rejected);
    assert_eq!(seen.decision_reason.as_deref(), Some("本期工位已满，欢迎明年再申请"));
    assert!(seen.allowed.is_empty(), "nothing follows a rejection");
    assert!(seen.eligibility.is_none(), "the hints are for operators");
    assert!(applications::get(&db.conn, &ops, id).await.unwrap().eligibility.is_some());

    // Other startups and other carriers' operators see nothing of it.
    let stranger = startup(&db, "旁观企业").await;
    assert!(matches!(applications::get(&db.conn, &member(stranger), id).await, Err(ServiceError::Forbidden)));
    assert!(matches!(
        applications::get(&db.conn, &operator(&[CarrierId(999)]), id).await,
        Err(ServiceError::Forbidden)
    ));
}

#[tokio::test]
async fn admission_signs_the_lease_and_makes_a_tenant_and_the_units_leased() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor, units) = carrier_with_units(&db, districts[0], "入驻孵化器", true).await;
    let applicant = startup(&db, "入驻企业").await;
    let id = under_review(&db, applicant, carrier).await;
    let ops = operator(&[carrier]);
    let start = today();
    let mut lease_terms = terms(&units[..2], start, Some(start.checked_add_days(Days::new(364)).unwrap()), "9,000");
    lease_terms.rent_for_equity = Some(domain::tenancy::lease::RentForEquity {
        months: 6,
        monthly_amount: Money::from_yuan(3000),
        valuation: Money::from_yuan(8_000_000),
    });
    let lease = applications::admit(&db.conn, &ops, id, &lease_terms).await.unwrap();

    let application = applications::get(&db.conn, &member(applicant), id).await.unwrap();
    assert_eq!(application.state, ApplicationState::Admitted);
    assert_eq!(application.lease, Some(lease));
    let view = leases::get(&db.conn, &member(applicant), lease).await.unwrap();
    assert_eq!(view.units.len(), 2);
    assert_eq!(
        view.units.iter().map(|u| u.monthly_rent).sum::<Money>(),
        Money::from_yuan(9000),
        "the rent is split exactly"
    );
    assert_eq!(view.rent_for_equity.unwrap().total(), Money::from_yuan(18_000));

    let floor_view = spaces::floor_view(&db.conn, &ops, floor, start).await.unwrap();
    let statuses: Vec<_> = floor_view.units.iter().map(|u| u.status.code()).collect();
    assert_eq!(statuses, ["leased", "leased", "vacant"]);
    let occupant = floor_view.units[0].tenant.as_ref().expect("the unit's tenant");
    assert_eq!(
        (occupant.name.as_str(), occupant.lease),
        ("入驻企业", lease),
        "the tile names the tenant and links its lease"
    );

    let tenants = tenants::list(&db.conn, &ops, carrier, start).await.unwrap();
    assert_eq!(tenants[0].stage, TenantStage::Incubating);
    assert_eq!(tenants[0].incubating_since, Some(start));
}

#[tokio::test]
async fn rent_for_equity_needs_a_landlord_plus_shareholder_carrier() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "房东型孵化器", false).await;
    let applicant = startup(&db, "股权企业").await;
    let id = under_review(&db, applicant, carrier).await;
    let mut lease_terms = terms(&units[..1], today(), None, "5000");
    lease_terms.rent_for_equity = Some(domain::tenancy::lease::RentForEquity {
        months: 3,
        monthly_amount: Money::from_yuan(1000),
        valuation: Money::from_yuan(1_000_000),
    });
    assert_eq!(
        problem_of(applications::admit(&db.conn, &operator(&[carrier]), id, &lease_terms).await),
        Problem::EquityNeedsShareholderModel
    );
    assert_eq!(
        applications::get(&db.conn, &operator(&[carrier]), id).await.unwrap().state,
        ApplicationState::UnderReview,
        "nothing changed"
    );
}

#[tokio::test]
async fn a_unit_is_never_in_two_leases_on_the_same_day_but_touching_leases_are_fine() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "排他孵化器", false).await;
    let ops = operator(&[carrier]);
    let first = startup(&db, "先来企业").await;
    let second = startup(&db, "后到企业").await;
    let third = startup(&db, "再来企业").await;
    let start = day(2027, 1, 1);

    let a = under_review(&db, first, carrier).await;
    applications::admit(&db.conn, &ops, a, &terms(&units[..1], start, Some(day(2027, 6, 30)), "5000")).await.unwrap();

    // Overlapping by one day: refused, naming the unit.
    let b = under_review(&db, second, carrier).await;
    let clash = terms(&units[..1], day(2027, 6, 30), Some(day(2027, 12, 31)), "5000");
    assert_eq!(
        problem_of(applications::admit(&db.conn, &ops, b, &clash).await),
        Problem::UnitTaken { unit: "101".into() }
    );
    assert_eq!(
        applications::get(&db.conn, &ops, b).await.unwrap().state,
        ApplicationState::UnderReview,
        "nothing was written"
    );

    // Touching (starting the day after): fine, and open-ended.
    applications::admit(&db.conn, &ops, b, &terms(&units[..1], day(2027, 7, 1), None, "5000")).await.unwrap();

    // Anything after an open-ended lease overlaps it.
    let c = under_review(&db, third, carrier).await;
    let later = terms(&units[..1], day(2030, 1, 1), Some(day(2030, 12, 31)), "5000");
    assert_eq!(
        problem_of(applications::admit(&db.conn, &ops, c, &later).await),
        Problem::UnitTaken { unit: "101".into() }
    );
}

#[tokio::test]
async fn the_database_itself_refuses_overlapping_bookings() {
    use sea_orm::{ActiveModelTrait, Set};
    let (db, districts) = db_with_districts().await;
    let (carrier, floor, units) = carrier_with_units(&db, districts[0], "约束孵化器", false).await;
    let applicant = startup(&db, "约束企业").await;
    let id = under_review(&db, applicant, carrier).await;
    let lease = applications::admit(
        &db.conn,
        &operator(&[carrier]),
        id,
        &terms(&units[..1], day(2027, 1, 1), Some(day(2027, 12, 31)), "1"),
    )
    .await
    .unwrap();
    // Bypass the service: write a clashing booking straight into the table.
    let row = |start: NaiveDate, end: Option<NaiveDate>| service::entity::lease_unit::ActiveModel {
        lease_id: Set(lease),
        unit_id: Set(units[0]),
        floor_id: Set(floor),
        building_id: Set(1),
        site_id: Set(1),
        carrier_id: Set(carrier.0),
        starts_on: Set(start),
        ends_on: Set(end),
        monthly_rent_fen: Set(0),
        ..Default::default()
    };
    assert!(row(day(2027, 12, 31), Some(day(2028, 3, 1))).insert(&db.conn).await.is_err(), "one shared day");
    assert!(row(day(2026, 1, 1), None).insert(&db.conn).await.is_err(), "open-ended over it");
    assert!(row(day(2028, 1, 1), None).insert(&db.conn).await.is_ok(), "touching is allowed");
}

#[tokio::test]
async fn of_many_simultaneous_admissions_for_one_unit_exactly_one_wins() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "并发孵化器", false).await;
    let mut ids = Vec::new();
    for n in 0..8 {
        let applicant = startup(&db, &format!("并发企业{n}")).await;
        ids.push(under_review(&db, applicant, carrier).await);
    }
    let attempts: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let conn = db.conn.clone();
            let lease_terms = terms(&units[2..], day(2027, 3, 1), Some(day(2028, 2, 29)), "7200");
            tokio::spawn(async move { applications::admit(&conn, &operator(&[carrier]), id, &lease_terms).await })
        })
        .collect();
    let mut results = Vec::new();
    for attempt in attempts {
        results.push(attempt.await.unwrap());
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    for failure in results.into_iter().filter_map(Result::err) {
        assert!(
            matches!(&failure, ServiceError::Conflict(e) if e.iter().next().unwrap().problem == Problem::UnitTaken { unit: "103".into() }),
            "{failure:?}"
        );
    }
}

#[tokio::test]
async fn renewals_early_ends_and_terminations_are_dated_and_free_the_unit() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "事件孵化器", false).await;
    let ops = operator(&[carrier]);
    let applicant = startup(&db, "事件企业").await;
    let id = under_review(&db, applicant, carrier).await;
    let lease =
        applications::admit(&db.conn, &ops, id, &terms(&units[..1], day(2027, 1, 1), Some(day(2027, 12, 31)), "5000"))
            .await
            .unwrap();
    let event =
        |kind, last: NaiveDate| LeaseEvent { kind, new_end: last.succ_opt().unwrap(), reason: "续签两年".into() };

    assert_eq!(
        problem_of(
            leases::record_event(&db.conn, &ops, lease, &event(LeaseEventKind::Renewed, day(2027, 6, 30))).await
        ),
        Problem::BadLeaseEnd,
        "a renewal ends later"
    );
    leases::record_event(&db.conn, &ops, lease, &event(LeaseEventKind::Renewed, day(2029, 12, 31))).await.unwrap();
    leases::record_event(&db.conn, &ops, lease, &event(LeaseEventKind::EndedEarly, day(2028, 3, 31))).await.unwrap();
    let view = leases::get(&db.conn, &ops, lease).await.unwrap();
    assert_eq!(view.period.last_day(), Some(day(2028, 3, 31)));
    let kinds: Vec<_> = view.events.iter().map(|e| e.0).collect();
    assert_eq!(kinds, [LeaseEventKind::Signed, LeaseEventKind::Renewed, LeaseEventKind::EndedEarly]);
    // Signed on the day it was recorded, not on its first day (which is still to come), and
    // shown by its dates.
    let today = domain::time::today();
    assert_eq!(view.events[0].1, today.min(day(2027, 1, 1)));
    assert_eq!(view.phase, domain::tenancy::lease::phase(view.state, view.period, today));
    assert_eq!(
        problem_of(
            leases::record_event(&db.conn, &ops, lease, &event(LeaseEventKind::Terminated, day(2028, 1, 31))).await
        ),
        Problem::LeaseNotActive
    );

    // The unit is free again from the day after.
    let next = startup(&db, "接续企业").await;
    let next_id = under_review(&db, next, carrier).await;
    applications::admit(&db.conn, &ops, next_id, &terms(&units[..1], day(2028, 4, 1), None, "5200")).await.unwrap();
    assert!(matches!(
        leases::record_event(
            &db.conn,
            &operator(&[CarrierId(999)]),
            lease,
            &event(LeaseEventKind::Terminated, day(2028, 1, 1))
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
}

#[tokio::test]
async fn occupancy_reconciles_from_floor_to_city_and_the_rent_roll_lists_running_leases() {
    let (db, districts) = db_with_districts().await;
    let (a, a_floor, a_units) = carrier_with_units(&db, districts[0], "占用甲", false).await;
    let (b, _, b_units) = carrier_with_units(&db, districts[1], "占用乙", false).await;
    let on = day(2027, 6, 1);
    for (carrier, units, name, rent) in [(a, &a_units[..2], "租户甲", "9000"), (b, &b_units[2..], "租户乙", "7200")]
    {
        let applicant = startup(&db, name).await;
        let id = under_review(&db, applicant, carrier).await;
        applications::admit(
            &db.conn,
            &operator(&[carrier]),
            id,
            &terms(units, day(2027, 1, 1), Some(day(2027, 12, 31)), rent),
        )
        .await
        .unwrap();
    }
    let occupancy = |scope| leases::occupancy(&db.conn, scope, on);
    let floor = occupancy(AreaScope::Floor(a_floor)).await.unwrap();
    let carrier_a = occupancy(AreaScope::Carrier(a)).await.unwrap();
    let carrier_b = occupancy(AreaScope::Carrier(b)).await.unwrap();
    let city = occupancy(AreaScope::City).await.unwrap();
    assert_eq!(floor, carrier_a);
    assert_eq!(carrier_a + carrier_b, city);
    assert_eq!(occupancy(AreaScope::District(districts[0])).await.unwrap(), carrier_a);

    // Carrier A: 2 of 3 units, 200 of 300 m², 9,000 of 17,200 yuan list rent (2 × 100 m² × 50 + 24 × 300).
    assert_eq!((carrier_a.units, carrier_a.units_leased), (3, 2));
    assert_eq!((carrier_a.area, carrier_a.area_leased), (Area::from_square_metres(300), Area::from_square_metres(200)));
    assert_eq!((carrier_a.list_rent, carrier_a.leased_rent), (Money::from_yuan(17_200), Money::from_yuan(9000)));
    assert_eq!(carrier_a.economic(), Some(5232));
    assert_eq!(occupancy(AreaScope::City).await.unwrap(), city);
    assert_eq!(
        leases::occupancy(&db.conn, AreaScope::City, day(2026, 12, 31)).await.unwrap().units_leased,
        0,
        "not before the leases"
    );

    let roll = leases::rent_roll(&db.conn, &bureau(), a, on).await.unwrap();
    assert_eq!(roll.len(), 1);
    assert_eq!(roll[0].units, ["A座 1F·101", "A座 1F·102"], "units are named with their building and floor");
    assert_eq!(roll[0].usable, Area::from_square_metres(200));
    assert_eq!(roll[0].rent_per_m2, Some(Money::from_yuan(45)));
    assert_eq!(roll[0].expires_on, Some(day(2027, 12, 31)));
    assert_eq!(leases::expiring(&db.conn, &bureau(), a, day(2027, 12, 1), 30).await.unwrap().len(), 1);
    assert_eq!(leases::expiring(&db.conn, &bureau(), a, day(2027, 9, 1), 30).await.unwrap().len(), 0);
    assert_eq!(leases::expiring(&db.conn, &bureau(), a, day(2027, 10, 5), 90).await.unwrap().len(), 1);
}

#[tokio::test]
async fn graduation_names_its_criterion_and_long_incubation_is_flagged() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "毕业孵化器", false).await;
    let ops = operator(&[carrier]);
    let veteran = startup(&db, "老牌企业").await;
    let id = under_review(&db, veteran, carrier).await;
    let since = today().checked_sub_months(chrono::Months::new(44)).unwrap();
    applications::admit(&db.conn, &ops, id, &terms(&units[..1], since, None, "5000")).await.unwrap();
    let listed = tenants::list(&db.conn, &ops, carrier, today()).await.unwrap();
    assert_eq!(listed[0].months, 44);
    assert!(listed[0].near_limit, "within six months of the 48-month limit");

    let graduation = StageEvent {
        stage: TenantStage::Graduated,
        on: today(),
        criterion: Some(GraduationCriterion::HighTechEnterprise),
        note: String::new(),
    };
    // The records do not show a high-tech recognition: refused without a reason.
    assert_eq!(
        problem_of(tenants::record_stage(&db.conn, &ops, carrier, veteran, &graduation).await),
        Problem::GraduationUnproven
    );
    // Recognised last month: the records prove it, no reason needed.
    let mut recognised = service::entity::startup::ActiveModel { id: sea_orm::Set(veteran.0), ..Default::default() };
    recognised.high_tech_on = sea_orm::Set(today().checked_sub_months(chrono::Months::new(1)));
    sea_orm::ActiveModelTrait::update(recognised, &db.conn).await.unwrap();
    tenants::record_stage(&db.conn, &ops, carrier, veteran, &graduation).await.unwrap();
    let listed = tenants::list(&db.conn, &ops, carrier, today()).await.unwrap();
    assert_eq!(listed[0].stage, TenantStage::Graduated);
    assert!(!listed[0].near_limit);
    assert_eq!(listed[0].events.last().unwrap().criterion, Some(GraduationCriterion::HighTechEnterprise));
    assert_eq!(
        problem_of(tenants::record_stage(&db.conn, &ops, carrier, veteran, &graduation).await),
        Problem::WrongStage
    );
    let exit = StageEvent { stage: TenantStage::Exited, on: today(), criterion: None, note: "迁出".into() };
    tenants::record_stage(&db.conn, &ops, carrier, veteran, &exit).await.unwrap();
}

#[tokio::test]
async fn a_failing_credit_code_is_stored_only_through_an_operators_override_with_a_reason() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _) = carrier_with_units(&db, districts[0], "代码孵化器", false).await;
    let applicant = startup(&db, "老代码企业").await;
    applications::create(&db.conn, &member(applicant), applicant, &application_form(carrier), true).await.unwrap();
    let old_code = "37130219880101123X";
    assert!(matches!(
        service::tenancy::startups::override_code(&db.conn, &member(applicant), applicant, old_code, "旧版营业执照号")
            .await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        service::tenancy::startups::override_code(
            &db.conn,
            &operator(&[CarrierId(999)]),
            applicant,
            old_code,
            "旧版营业执照号"
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
    service::tenancy::startups::override_code(
        &db.conn,
        &operator(&[carrier]),
        applicant,
        old_code,
        "2015年前登记，仍用旧执照号",
    )
    .await
    .unwrap();
    let profile = service::tenancy::startups::profile(&db.conn, &member(applicant), applicant).await.unwrap();
    assert_eq!(profile.profile.credit_code.as_deref(), Some(old_code));
    assert!(profile.code_override.unwrap().contains("仍用旧执照号"));
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    let entry = trail.items.iter().find(|e| e.action == "override_credit_code").expect("audited");
    assert!(entry.after.as_deref().unwrap().contains("仍用旧执照号"));

    // A code that passes GB 32100 but whose embedded organisation code fails GB 11714 is
    // overridden the same way (the profile form refuses it with its own message).
    let good = domain::uscc::complete("91371302", "MA3C4XY0").unwrap();
    let wrong_org = if good.as_bytes()[16] == b'1' { '2' } else { '1' };
    let first_seventeen = format!("{}{wrong_org}", &good[..16]);
    let embedded_only = format!("{first_seventeen}{}", domain::uscc::check_character(&first_seventeen).unwrap());
    assert!(matches!(domain::uscc::check(&embedded_only), Err(domain::uscc::CodeError::OrganisationCode { .. })));
    service::tenancy::startups::override_code(
        &db.conn,
        &operator(&[carrier]),
        applicant,
        &embedded_only,
        "执照原件核对无误",
    )
    .await
    .unwrap();
    let profile = service::tenancy::startups::profile(&db.conn, &member(applicant), applicant).await.unwrap();
    assert_eq!(profile.profile.credit_code.as_deref(), Some(embedded_only.as_str()));
}

#[tokio::test]
async fn a_business_plan_must_be_a_pdf_and_is_served_only_to_those_allowed() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _) = carrier_with_units(&db, districts[0], "文件孵化器", false).await;
    let applicant = startup(&db, "文件企业").await;
    let id =
        applications::create(&db.conn, &member(applicant), applicant, &application_form(carrier), true).await.unwrap();
    assert_eq!(
        problem_of(applications::attach_document(&db.conn, &member(applicant), id, "plan.docx", b"PK\x03\x04").await),
        Problem::NotPdf
    );
    let big = [b"%PDF-".as_slice(), &vec![0u8; applications::MAX_DOCUMENT_BYTES]].concat();
    assert_eq!(
        problem_of(applications::attach_document(&db.conn, &member(applicant), id, "big.pdf", &big).await),
        Problem::FileTooLarge { max_mb: 10 }
    );
    let doc = applications::attach_document(&db.conn, &member(applicant), id, "../../商业计划书.pdf", b"%PDF-1.7 plan")
        .await
        .unwrap();
    let (name, bytes) = applications::document(&db.conn, &operator(&[carrier]), doc).await.unwrap();
    assert_eq!(name, "商业计划书.pdf", "no path survives");
    assert_eq!(bytes, b"%PDF-1.7 plan");
    let stranger = startup(&db, "旁人企业").await;
    assert!(matches!(applications::document(&db.conn, &member(stranger), doc).await, Err(ServiceError::Forbidden)));
    assert!(matches!(
        applications::document(&db.conn, &operator(&[CarrierId(999)]), doc).await,
        Err(ServiceError::Forbidden)
    ));
}

#[tokio::test]
async fn a_renewal_into_another_lease_is_a_conflict_naming_the_unit_and_changes_nothing() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "续租冲突孵化器", false).await;
    let ops = operator(&[carrier]);
    let first = under_review(&db, startup(&db, "先租企业").await, carrier).await;
    let lease = applications::admit(
        &db.conn,
        &ops,
        first,
        &terms(&units[..1], day(2027, 1, 1), Some(day(2027, 12, 31)), "5000"),
    )
    .await
    .unwrap();
    let second = under_review(&db, startup(&db, "后租企业").await, carrier).await;
    applications::admit(&db.conn, &ops, second, &terms(&units[..1], day(2028, 1, 1), None, "5000")).await.unwrap();

    let renewal = LeaseEvent { kind: LeaseEventKind::Renewed, new_end: day(2028, 7, 1), reason: "续租半年".into() };
    assert_eq!(
        problem_of(leases::record_event(&db.conn, &ops, lease, &renewal).await),
        Problem::UnitTaken { unit: "101".into() }
    );
    let view = leases::get(&db.conn, &ops, lease).await.unwrap();
    assert_eq!(view.period.last_day(), Some(day(2027, 12, 31)), "the lease is as it was");
    assert_eq!(view.events.len(), 1);
    // A change made from a stale reading of the lease is refused rather than applied twice.
    let early =
        LeaseEvent { kind: LeaseEventKind::EndedEarly, new_end: day(2027, 7, 1), reason: "提前退租".into() };
    leases::record_event(&db.conn, &ops, lease, &early).await.unwrap();
    assert_eq!(
        problem_of(leases::record_event(&db.conn, &ops, lease, &early).await),
        Problem::LeaseNotActive,
        "the second, identical change finds the lease ended"
    );
}

#[tokio::test]
async fn a_valid_code_needs_no_override_and_a_withdrawn_application_ends_the_operators_view() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _) = carrier_with_units(&db, districts[0], "撤回孵化器", false).await;
    let applicant = startup(&db, "撤回企业").await;
    let id =
        applications::create(&db.conn, &member(applicant), applicant, &application_form(carrier), true).await.unwrap();
    let ops = operator(&[carrier]);
    service::tenancy::startups::profile(&db.conn, &ops, applicant).await.expect("the operator reads an applicant");
    let valid = domain::uscc::complete("91371302", "MA3C4XY0").unwrap();
    assert!(domain::uscc::check(&valid).is_ok());
    assert_eq!(
        problem_of(
            service::tenancy::startups::override_code(&db.conn, &ops, applicant, &valid, "核对无误的代码").await
        ),
        Problem::CodeValid
    );
    applications::transition(&db.conn, &member(applicant), id, Transition::Withdraw, None).await.unwrap();
    assert!(matches!(
        service::tenancy::startups::profile(&db.conn, &ops, applicant).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        service::tenancy::startups::override_code(&db.conn, &ops, applicant, "37130219880101123X", "旧版营业执照号")
            .await,
        Err(ServiceError::Forbidden)
    ));
}

#[tokio::test]
async fn a_business_plan_is_frozen_once_the_review_starts_and_a_replaced_one_is_deleted() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _) = carrier_with_units(&db, districts[0], "冻结孵化器", false).await;
    let applicant = startup(&db, "冻结企业").await;
    let id =
        applications::create(&db.conn, &member(applicant), applicant, &application_form(carrier), true).await.unwrap();
    let first = applications::attach_document(&db.conn, &member(applicant), id, "plan\u{202E}fdp.exe", b"%PDF-1 a")
        .await
        .unwrap();
    let second = applications::attach_document(&db.conn, &member(applicant), id, "v2.pdf", b"%PDF-1 b").await.unwrap();
    use sea_orm::EntityTrait;
    assert!(service::entity::document::Entity::find_by_id(first).one(&db.conn).await.unwrap().is_none());
    let (name, _) = applications::document(&db.conn, &member(applicant), second).await.unwrap();
    assert_eq!(name, "v2.pdf");
    applications::transition(&db.conn, &operator(&[carrier]), id, Transition::StartReview, None).await.unwrap();
    assert!(matches!(
        applications::attach_document(&db.conn, &member(applicant), id, "v3.pdf", b"%PDF-1 c").await,
        Err(ServiceError::Forbidden)
    ));
    // A name cannot hide its real ending behind a right-to-left override.
    let other = startup(&db, "改名企业").await;
    let other_id =
        applications::create(&db.conn, &member(other), other, &application_form(carrier), true).await.unwrap();
    let doc = applications::attach_document(&db.conn, &member(other), other_id, "plan\u{202E}fdp.exe", b"%PDF-1 d")
        .await
        .unwrap();
    let (name, _) = applications::document(&db.conn, &member(other), doc).await.unwrap();
    assert_eq!(name, "planfdp.exe.pdf");
}

#[tokio::test]
async fn the_trail_names_each_record_as_people_do_and_the_system_as_the_system() {
    let (db, districts) = db_with_districts().await;
    let (carrier, _, units) = carrier_with_units(&db, districts[0], "审计孵化器", false).await;
    let applicant = startup(&db, "审计企业").await;
    let application = under_review(&db, applicant, carrier).await;
    let first = day(2026, 12, 1).max(today());
    let last = first.checked_add_days(Days::new(729)).unwrap();
    applications::admit(&db.conn, &operator(&[carrier]), application, &terms(&units[..1], first, Some(last), "5,000"))
        .await
        .unwrap();
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    let zh = |entry: &domain::account::AuditEntry| {
        domain::audit::sentence(entry).render(&domain::text::Keys(domain::Lang::Zh))
    };
    let signed = trail.items.iter().find(|e| e.action == "sign").unwrap();
    assert_eq!(
        zh(signed),
        format!(
            "audit-sentence(actor=ops@carrier.cn,action=audit-do-sign,entity=audit-entity-lease,subject=审计企业 · A座 1F·101 · {first} – {last})"
        )
    );
    let admitted = trail.items.iter().find(|e| e.action == "admit").unwrap();
    assert_eq!(admitted.subject, Some(domain::Text::plain("审计企业 → 审计孵化器")));
    let unit_added = trail.items.iter().find(|e| e.entity_type == "unit").unwrap();
    assert!(
        unit_added.subject.as_ref().is_some_and(|s| matches!(s, domain::Text::Plain(n) if n.starts_with("A座 1F·10")))
    );
    let registered = trail.items.iter().find(|e| e.entity_type == "carrier" && e.action == "create").unwrap();
    assert_eq!(registered.subject, Some(domain::Text::plain("审计孵化器")));

    // The demonstration city's records are the system's.
    service::seed::demo(&db.conn).await.unwrap();
    let query = domain::account::AuditQuery { actor: Some("system:seed".into()), ..Default::default() };
    let seeded = service::audit::list(&db.conn, &bureau(), &query).await.unwrap();
    assert!(!seeded.items.is_empty());
    assert!(seeded.items.iter().all(|e| zh(e).starts_with("audit-sentence(actor=audit-actor-seed,")));
}

/// The application queue comes a page at a time (the bureau's holds the whole city's), most
/// recently changed first or longest waiting first, with the count of all that match.
#[tokio::test]
async fn the_application_queue_comes_a_page_at_a_time_with_the_count_of_all() {
    use domain::tenancy::application::{APPLICATIONS_PAGE_SIZE, ApplicationQuery};
    let (db, districts) = db_with_districts().await;
    let (carrier, _, _) = carrier_with_units(&db, districts[0], "排队孵化器", false).await;
    let applicant = startup(&db, "排队企业").await;
    let size = usize::try_from(APPLICATIONS_PAGE_SIZE).unwrap();
    let mut ids = Vec::new();
    for _ in 0..size + 3 {
        ids.push(under_review(&db, applicant, carrier).await);
    }
    let query = |page: u32, oldest_first: bool| ApplicationQuery { page, oldest_first, ..Default::default() };
    for reader in [operator(&[carrier]), bureau()] {
        let first = applications::list(&db.conn, &reader, &query(1, false)).await.unwrap();
        assert_eq!((first.total, first.items.len(), first.page_count()), (ids.len() as u64, size, 2));
        let second = applications::list(&db.conn, &reader, &query(2, false)).await.unwrap();
        let mut seen: Vec<i64> = first.items.iter().chain(&second.items).map(|r| r.id).collect();
        assert_eq!(seen.len(), ids.len(), "every application on one page or the other");
        seen.sort_unstable();
        assert_eq!(seen, ids);
        let oldest = applications::list(&db.conn, &reader, &query(1, true)).await.unwrap();
        assert_eq!(oldest.items[0].id, ids[0], "the longest waiting first");
        assert!(applications::list(&db.conn, &reader, &query(9, false)).await.unwrap().items.is_empty());
    }
    // The operator's home lists a page of the longest waiting and counts them all.
    let home = service::home::operator_home(&db.conn, &operator(&[carrier])).await.unwrap();
    let work = &home.carriers[0];
    assert_eq!((work.waiting.len(), work.waiting_total), (size, ids.len() as u64));
    let others = work.starting.len()
        + work.ending.len()
        + work.near_limit.len()
        + work.failing.len()
        + usize::from(work.return_due.is_some());
    assert_eq!(work.tasks(), ids.len() + others, "every waiting application is a task, shown or not");
}
