//! Accreditation readiness and the annual statistics against a real database: each criterion
//! against carriers built to pass and to fail it, the rule sets the bureau edits, the returns
//! carriers file and the Torch report in thousands of yuan.

use crate::dashboard::{add, carrier_with_floor, change, today};
use crate::support::{bureau, db_with_districts, operator, operators};
use crate::tenancy::day;
use chrono::NaiveDate;
use domain::CarrierId;
use domain::readiness::{AnnualReturnForm, CriterionForm, Metric, Outcome};
use domain::space::{ChangeAction, UnitForm};
use domain::tenancy::startup::TenantStage;
use sea_orm::{ActiveModelTrait, Set};
use service::entity::{startup as startup_entity, startup_year, tenant_event};
use service::spaces::{self};
use service::tenancy::tenants;
use service::testing::TestDb;
use service::{ServiceError, carriers, dashboard, readiness};

/// Inserts a startup and its tenant events directly: readiness counts what is recorded.
async fn tenant(db: &TestDb, carrier: CarrierId, name: &str, events: &[(TenantStage, NaiveDate)]) -> i64 {
    let now = chrono::Utc::now();
    let s = startup_entity::ActiveModel {
        name: Set(name.into()),
        created_at: Set(now),
        updated_at: Set(now),
        founders: Set("[]".into()),
        team_size: Set(3),
        rd_staff: Set(1),
        patents_applied: Set(0),
        patents_granted: Set(0),
        software_copyrights: Set(0),
        version: Set(1),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    for (stage, on) in events {
        tenant_event::ActiveModel {
            startup_id: Set(s.id),
            carrier_id: Set(carrier.0),
            stage: Set(stage.code().into()),
            on_date: Set(*on),
            criterion: Set(None),
            note: Set(String::new()),
            author_email: Set("test".into()),
            recorded_at: Set(now),
            ..Default::default()
        }
        .insert(&db.conn)
        .await
        .unwrap();
    }
    s.id
}

fn outcome(lists: &[domain::readiness::Checklist], code: &str, metric: Metric) -> Outcome {
    let list = lists.iter().find(|l| l.rule_set.code == code).unwrap();
    list.checks.iter().find(|c| c.criterion.metric == metric).unwrap().outcome
}

#[tokio::test]
async fn each_national_incubator_criterion_passes_and_fails_on_the_carriers_records() {
    const SET: &str = "national_incubator_2018";
    let (db, districts) = db_with_districts().await;
    // Opened 2019-05-01; 70 units of 200 m² for tenants: 14,000 m².
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "认定孵化器", |_| {}).await;
    for i in 0..70 {
        let code = format!("U{i:02}");
        add(&db, floor, &code, "200", "180", "tenant", day(2020, 1, 1)).await;
    }
    // 49 tenants from 2024-01-10, 21 more from 2024-02-01; 19 graduate on 2024-06-01, one more on
    // 2024-07-01.
    let mut ids = Vec::new();
    for i in 0..70 {
        let admitted = if i < 49 { day(2024, 1, 10) } else { day(2024, 2, 1) };
        let mut events = vec![(TenantStage::Incubating, admitted)];
        if i < 19 {
            events.push((TenantStage::Graduated, day(2024, 6, 1)));
        } else if i == 19 {
            events.push((TenantStage::Graduated, day(2024, 7, 1)));
        }
        ids.push(tenant(&db, carrier, &format!("认定企业{i:02}"), &events).await);
    }
    let check = |on: NaiveDate| {
        let db = &db;
        async move { readiness::checklists(&db.conn, &bureau(), carrier, on).await.unwrap() }
    };

    let jan = check(day(2024, 1, 31)).await;
    assert_eq!(outcome(&jan, SET, Metric::Tenants), Outcome::Fail, "49 tenants");
    let feb = check(day(2024, 2, 29)).await;
    assert_eq!(outcome(&feb, SET, Metric::Tenants), Outcome::Pass, "70 tenants");
    let june = check(day(2024, 6, 15)).await;
    assert_eq!(outcome(&june, SET, Metric::Graduates), Outcome::Fail, "19 graduates");
    let july = check(day(2024, 7, 15)).await;
    assert_eq!(outcome(&july, SET, Metric::Graduates), Outcome::Pass, "20 graduates");
    assert_eq!(outcome(&july, SET, Metric::Tenants), Outcome::Pass, "50 tenants");
    // 50 tenants on 14,000 m²: 3.57 per 1,000 m².
    assert_eq!(outcome(&july, SET, Metric::TenantsPer1000), Outcome::Pass);
    assert_eq!(outcome(&july, SET, Metric::GrossArea), Outcome::Pass);
    assert_eq!(outcome(&july, SET, Metric::TenantUseShare), Outcome::Pass);
    // Operating since May 2019: 36 months reached in May 2022.
    assert_eq!(outcome(&check(day(2022, 4, 30)).await, SET, Metric::OperatingMonths), Outcome::Fail);
    assert_eq!(outcome(&check(day(2022, 5, 1)).await, SET, Metric::OperatingMonths), Outcome::Pass);
    // No annual return yet: the fund, staff and mentors are unknown, not failed.
    for metric in [Metric::Fund, Metric::ProfessionalShare, Metric::StaffPer10Tenants, Metric::MentorsPer10Tenants] {
        assert_eq!(outcome(&july, SET, metric), Outcome::Unknown, "{metric:?}");
    }
    assert_eq!(outcome(&july, SET, Metric::ReportedYears), Outcome::Fail);
    assert_eq!(outcome(&july, SET, Metric::Review), Outcome::Unknown);

    // Returns for 2023 (too small) and 2024 (enough), filed by the carrier's operator.
    let ops = operator(&[carrier]);
    let mut form = AnnualReturnForm {
        year: "2023".into(),
        fund: "4,999,999".into(),
        income_rent: "1200000".into(),
        income_services: "300000".into(),
        income_investment: "0".into(),
        income_other: "0".into(),
        staff_total: "10".into(),
        staff_professional: "7".into(),
        mentors: "4".into(),
        typical_cases: "2".into(),
        events_held: "8".into(),
    };
    readiness::file_return(&db.conn, &ops, carrier, &form).await.unwrap();
    let with_2023 = check(day(2024, 7, 15)).await;
    assert_eq!(outcome(&with_2023, SET, Metric::Fund), Outcome::Fail, "4,999,999 yuan");
    assert_eq!(outcome(&with_2023, SET, Metric::ProfessionalShare), Outcome::Fail, "70 %");
    assert_eq!(outcome(&with_2023, SET, Metric::StaffPer10Tenants), Outcome::Pass, "7 for 50 tenants");
    assert_eq!(outcome(&with_2023, SET, Metric::MentorsPer10Tenants), Outcome::Fail, "4 for 50 tenants");
    assert_eq!(outcome(&with_2023, SET, Metric::ReportedYears), Outcome::Fail, "one year");
    form = AnnualReturnForm {
        year: "2024".into(),
        fund: "5000000".into(),
        staff_total: "10".into(),
        staff_professional: "8".into(),
        mentors: "5".into(),
        ..form
    };
    readiness::file_return(&db.conn, &ops, carrier, &form).await.unwrap();
    let with_2024 = check(day(2024, 7, 15)).await;
    let list = with_2024.iter().find(|l| l.rule_set.code == SET).unwrap();
    let fund = list.checks.iter().find(|c| c.criterion.metric == Metric::Fund).unwrap();
    assert_eq!(fund.outcome, Outcome::Pass);
    assert_eq!(fund.figure.value, Some(500_000_000));
    assert_eq!(fund.figure.source, domain::readiness::Source::AnnualReturn(2024), "the figure names its return");
    for metric in [Metric::ProfessionalShare, Metric::MentorsPer10Tenants, Metric::ReportedYears] {
        assert_eq!(outcome(&with_2024, SET, metric), Outcome::Pass, "{metric:?}");
    }

    // Patents (第十条（五）: "已申请专利的企业占在孵企业总数比例不低于50%或拥有有效知识产权的企业
    // 占比不低于30%"): 24 of the 50 tenants applied (48 %) fails unless 30 % hold IP.
    let incubating: Vec<i64> = ids[20..].to_vec();
    for (i, id) in incubating.iter().enumerate() {
        let mut s: startup_entity::ActiveModel = startup_entity::ActiveModel { id: Set(*id), ..Default::default() };
        s.patents_applied = Set(if i < 24 { 1 } else { 0 });
        s.software_copyrights = Set(if i < 14 { 1 } else { 0 });
        s.update(&db.conn).await.unwrap();
    }
    let patents = check(day(2024, 7, 15)).await;
    assert_eq!(outcome(&patents, SET, Metric::PatentShare), Outcome::Fail, "48 % applied and 28 % hold IP");
    let mut s = startup_entity::ActiveModel { id: Set(incubating[34]), ..Default::default() };
    s.software_copyrights = Set(1);
    s.update(&db.conn).await.unwrap();
    assert_eq!(outcome(&check(day(2024, 7, 15)).await, SET, Metric::PatentShare), Outcome::Pass, "30 % hold IP");

    // Financing: 4 of 50 (8 %) fails, 5 (10 %) passes.
    for id in &incubating[..4] {
        startup_year::ActiveModel {
            startup_id: Set(*id),
            year: Set(2023),
            revenue_fen: Set(0),
            rd_spend_fen: Set(0),
            financing_fen: Set(100_000_000),
        }
        .insert(&db.conn)
        .await
        .unwrap();
    }
    assert_eq!(outcome(&check(day(2024, 7, 15)).await, SET, Metric::FinancedShare), Outcome::Fail);
    startup_year::ActiveModel {
        startup_id: Set(incubating[4]),
        year: Set(2024),
        revenue_fen: Set(0),
        rd_spend_fen: Set(0),
        financing_fen: Set(100_000_000),
    }
    .insert(&db.conn)
    .await
    .unwrap();
    assert_eq!(outcome(&check(day(2024, 7, 15)).await, SET, Metric::FinancedShare), Outcome::Pass);

    // Area: a second, small carrier fails the area, the use share and the density.
    let (small, small_floor) = carrier_with_floor(&db, districts[1], "小型孵化器", |_| {}).await;
    add(&db, small_floor, "S1", "9999.99", "9000", "tenant", day(2020, 1, 1)).await;
    add(&db, small_floor, "S2", "4000", "3800", "operator", day(2020, 1, 1)).await;
    let small_list = readiness::checklists(&db.conn, &bureau(), small, day(2024, 7, 15)).await.unwrap();
    // 13,999.99 m², of which 9,999.99 for tenants: 71.43 %.
    assert_eq!(outcome(&small_list, SET, Metric::GrossArea), Outcome::Pass);
    assert_eq!(outcome(&small_list, SET, Metric::TenantUseShare), Outcome::Fail);
    assert_eq!(outcome(&small_list, SET, Metric::TenantsPer1000), Outcome::Fail, "no tenants");
    assert_eq!(outcome(&small_list, SET, Metric::InvestedStartups), Outcome::Fail, "no stakes");
    spaces::change_unit(
        &db.conn,
        &operators(),
        small_floor_unit(&db, small).await,
        &change(ChangeAction::Remove, day(2024, 1, 1), None),
    )
    .await
    .unwrap();
    let smaller = readiness::checklists(&db.conn, &bureau(), small, day(2024, 7, 15)).await.unwrap();
    assert_eq!(outcome(&smaller, SET, Metric::GrossArea), Outcome::Fail, "9,999.99 m²");

    // The operator of one carrier cannot read another's checklist.
    assert!(matches!(
        readiness::checklists(&db.conn, &operator(&[small]), carrier, day(2024, 7, 15)).await,
        Err(ServiceError::Forbidden)
    ));
}

#[tokio::test]
async fn a_specialised_or_relaxed_incubator_is_checked_against_its_own_variant_of_the_rules() {
    let (db, districts) = db_with_districts().await;
    // A specialised incubator in a hardship area: 9,000 m² and 32 tenants, 26 of them (81 %) in
    // one industry; 8,000 m² suffice with the relaxation, 30 tenants for a specialised one.
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "专业孵化器", |f| {
        f.specialised = "on".into();
        f.relaxed = "on".into();
    })
    .await;
    add(&db, floor, "P1", "9000", "8000", "tenant", day(2020, 1, 1)).await;
    let mut ids = Vec::new();
    for i in 0..32 {
        ids.push(
            tenant(&db, carrier, &format!("专业企业{i:02}"), &[(TenantStage::Incubating, day(2024, 1, 10))]).await,
        );
    }
    for (i, id) in ids.iter().enumerate() {
        let industry = if i < 26 { "biomedicine" } else { "new_materials" };
        let mut s = startup_entity::ActiveModel { id: Set(*id), ..Default::default() };
        s.industry = Set(Some(industry.into()));
        s.update(&db.conn).await.unwrap();
    }
    let lists = readiness::checklists(&db.conn, &bureau(), carrier, day(2024, 7, 15)).await.unwrap();
    let codes: Vec<&str> = lists.iter().map(|l| l.rule_set.code.as_str()).collect();
    assert_eq!(codes, vec!["national_incubator_2018_specialised_relaxed"], "only its own variant");
    const BOTH: &str = "national_incubator_2018_specialised_relaxed";
    assert_eq!(outcome(&lists, BOTH, Metric::GrossArea), Outcome::Pass, "9,000 ≥ 8,000 m²");
    assert_eq!(outcome(&lists, BOTH, Metric::Tenants), Outcome::Pass, "32 ≥ 24");
    assert_eq!(outcome(&lists, BOTH, Metric::IndustryShare), Outcome::Pass, "81.25 % in one industry");
    assert_eq!(outcome(&lists, BOTH, Metric::ConcentratedSite), Outcome::Pass, "one site");
    let list = lists.iter().find(|l| l.rule_set.code == BOTH).unwrap();
    let industry = list.checks.iter().find(|c| c.criterion.metric == Metric::IndustryShare).unwrap();
    assert_eq!(industry.figure.value, Some(8_125));
    // The readiness list of a variant shows the carriers of that variant only.
    let sets = readiness::rule_sets(&db.conn, &bureau()).await.unwrap();
    let general = sets.iter().find(|s| s.code == "national_incubator_2018").unwrap();
    let both = sets.iter().find(|s| s.code == BOTH).unwrap();
    assert!(both.specialised && both.relaxed);
    let listed = |set: i64| {
        let db = &db;
        async move { readiness::readiness(&db.conn, &bureau(), set, None, day(2024, 7, 15), 1).await.unwrap() }
    };
    assert!(listed(both.id).await.rows.iter().any(|r| r.carrier == carrier));
    assert!(!listed(general.id).await.rows.iter().any(|r| r.carrier == carrier));

    // Back to a general incubator: checked against the general rules, where 32 tenants fail.
    let current = carriers::get(&db.conn, &bureau(), carrier).await.unwrap();
    let mut form = domain::carrier::CarrierForm::from(&current.data);
    form.specialised = String::new();
    form.relaxed = String::new();
    carriers::update(&db.conn, &bureau(), carrier, current.version, &form.parse(today()).unwrap()).await.unwrap();
    let lists = readiness::checklists(&db.conn, &bureau(), carrier, day(2024, 7, 15)).await.unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(outcome(&lists, "national_incubator_2018", Metric::Tenants), Outcome::Fail, "32 < 50");
    assert_eq!(outcome(&lists, "national_incubator_2018", Metric::GrossArea), Outcome::Fail, "9,000 < 10,000 m²");
}

#[tokio::test]
async fn metrics_the_bureau_may_add_read_the_equity_ledger_and_the_returns() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "指标孵化器", |_| {}).await;
    add(&db, floor, "M1", "1000", "900", "tenant", day(2020, 1, 1)).await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(tenant(&db, carrier, &format!("指标企业{i}"), &[(TenantStage::Incubating, day(2023, 1, 10))]).await);
    }
    // Revenue: two tenants reported 2022 and 2023; 1,000,000 → 1,250,000 yuan in all: +25 %.
    for (id, before, after) in [(ids[0], 600_000, 700_000), (ids[1], 400_000, 550_000)] {
        for (year, yuan) in [(2022, before), (2023, after)] {
            startup_year::ActiveModel {
                startup_id: Set(id),
                year: Set(year),
                revenue_fen: Set(yuan * 100),
                rd_spend_fen: Set(0),
                financing_fen: Set(0),
            }
            .insert(&db.conn)
            .await
            .unwrap();
        }
    }
    // Income: 1,200,000 rent of 1,500,000 in all: 20 % not rent.
    let form = AnnualReturnForm {
        year: "2023".into(),
        fund: "0".into(),
        income_rent: "1200000".into(),
        income_services: "200000".into(),
        income_investment: "100000".into(),
        income_other: "0".into(),
        staff_total: "5".into(),
        staff_professional: "4".into(),
        mentors: "2".into(),
        typical_cases: "1".into(),
        events_held: "3".into(),
    };
    readiness::file_return(&db.conn, &operator(&[carrier]), carrier, &form).await.unwrap();
    // The bureau adds criteria on the new metrics to the general set, without a code change.
    let sets = readiness::rule_sets(&db.conn, &bureau()).await.unwrap();
    let set = sets.iter().find(|s| s.code == "national_incubator_2018").unwrap().id;
    for (metric, threshold) in
        [("revenue_growth", "20"), ("non_rent_income_share", "20"), ("invested_share", "25"), ("industry_share", "75")]
    {
        let criterion = CriterionForm {
            label_zh: format!("{metric} 测试"),
            metric: metric.into(),
            threshold: threshold.into(),
            ..Default::default()
        };
        readiness::save_criterion(&db.conn, &bureau(), set, None, &criterion).await.unwrap();
    }
    let on = day(2024, 3, 31);
    let lists = readiness::checklists(&db.conn, &bureau(), carrier, on).await.unwrap();
    let figure = |metric: Metric| {
        let list = lists.iter().find(|l| l.rule_set.code == "national_incubator_2018").unwrap();
        list.checks.iter().find(|c| c.criterion.metric == metric).unwrap().clone()
    };
    assert_eq!(figure(Metric::RevenueGrowth).figure.value, Some(2_500));
    assert_eq!(figure(Metric::RevenueGrowth).outcome, Outcome::Pass);
    assert_eq!(figure(Metric::NonRentIncomeShare).figure.value, Some(2_000));
    assert_eq!(figure(Metric::NonRentIncomeShare).outcome, Outcome::Pass);
    assert_eq!(figure(Metric::InvestedShare).figure.value, Some(0), "no stakes yet");
    assert_eq!(figure(Metric::InvestedShare).outcome, Outcome::Fail);
    assert_eq!(figure(Metric::InvestedShare).figure.source, domain::readiness::Source::EquityLedger);
    assert_eq!(figure(Metric::IndustryShare).figure.value, Some(0), "no tenant named its industry");
}

/// 第十条（九）: "孵化时限不超过48个月，从事生物医药、集成电路设计、现代农业等特殊领域的创业企业不超过
/// 60个月" — past it, a tenant is no longer counted as in incubation, in any figure.
#[tokio::test]
async fn tenants_past_their_incubation_limit_stop_counting_as_in_incubation() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "期限孵化器", |_| {}).await;
    add(&db, floor, "L1", "1000", "900", "tenant", day(2020, 1, 1)).await;
    let plain = tenant(&db, carrier, "期限普通企业", &[(TenantStage::Incubating, day(2020, 3, 1))]).await;
    let bio = tenant(&db, carrier, "期限生物企业", &[(TenantStage::Incubating, day(2020, 3, 1))]).await;
    for (id, industry) in [(plain, "new_materials"), (bio, "biomedicine")] {
        let mut s = startup_entity::ActiveModel { id: Set(id), ..Default::default() };
        s.industry = Set(Some(industry.into()));
        s.update(&db.conn).await.unwrap();
    }
    let counted = |on: NaiveDate| {
        let db = &db;
        async move {
            let dashboard = dashboard::figures(&db.conn, None, Some(&[carrier]), on).await.unwrap()[0].totals.tenants;
            let lists = readiness::checklists(&db.conn, &bureau(), carrier, on).await.unwrap();
            let list = lists.iter().find(|l| l.rule_set.code == "national_incubator_2018").unwrap();
            let readiness = list.checks.iter().find(|c| c.criterion.metric == Metric::Tenants).unwrap().figure.value;
            assert_eq!(Some(dashboard as i64), readiness, "the dashboard and readiness agree on {on}");
            dashboard
        }
    };
    assert_eq!(counted(day(2024, 2, 29)).await, 2, "47 months: both");
    assert_eq!(counted(day(2024, 3, 1)).await, 1, "48 months: only the biomedicine tenant");
    assert_eq!(counted(day(2025, 2, 28)).await, 1, "59 months");
    assert_eq!(counted(day(2025, 3, 1)).await, 0, "60 months: neither");
    // The tenant list flags both from their warning month and says who is past the limit.
    let listed = tenants::list(&db.conn, &operator(&[carrier]), carrier, day(2024, 6, 1)).await.unwrap();
    let flags = |id: i64| {
        let t = listed.iter().find(|t| t.startup.0 == id).unwrap();
        (t.near_limit, t.past_limit)
    };
    assert_eq!(flags(plain), (true, true));
    assert_eq!(flags(bio), (false, false), "month 51 of 60: not yet warned");
}

/// The operator-use unit of the small carrier.
async fn small_floor_unit(db: &TestDb, carrier: CarrierId) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    service::entity::unit::Entity::find()
        .filter(service::entity::unit::Column::CarrierId.eq(carrier.0))
        .filter(service::entity::unit::Column::Code.eq("S2"))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn maker_space_criteria_take_alternatives_and_yearly_counts() {
    const SET: &str = "national_maker_space";
    let (db, districts) = db_with_districts().await;
    let (space, floor) = carrier_with_floor(&db, districts[0], "备案众创空间", |f| {
        f.kind = "maker_space".into();
        f.opened_on = "2023-01-01".into();
    })
    .await;
    // 400 m² and 30 desks: the area fails but the workstations carry the criterion.
    let desks = UnitForm {
        code: "W1".into(),
        kind: "open_workstations".into(),
        gross_area: "400".into(),
        usable_area: "380".into(),
        use_category: "tenant".into(),
        desks: "29".into(),
        list_rent: "300".into(),
        rent_basis: "per_desk".into(),
    };
    let w1 =
        spaces::add_unit(&db.conn, &operators(), floor, "W1", &desks.parse_spec().unwrap(), day(2023, 1, 1), "新建")
            .await
            .unwrap();
    let lists = readiness::checklists(&db.conn, &bureau(), space, day(2024, 7, 1)).await.unwrap();
    assert_eq!(lists.len(), 1, "a maker space is checked against the maker-space set only");
    assert_eq!(outcome(&lists, SET, Metric::GrossArea), Outcome::Fail, "400 m² and 29 desks");
    assert_eq!(outcome(&lists, SET, Metric::OperatingMonths), Outcome::Pass, "18 months on 1 July 2024");
    let more = UnitForm { desks: "30".into(), ..desks };
    spaces::change_unit(
        &db.conn,
        &operators(),
        w1,
        &change(ChangeAction::Update, day(2024, 1, 1), Some(more.parse_spec().unwrap())),
    )
    .await
    .unwrap();
    let lists = readiness::checklists(&db.conn, &bureau(), space, day(2024, 7, 1)).await.unwrap();
    assert_eq!(outcome(&lists, SET, Metric::GrossArea), Outcome::Pass, "30 desks");
    assert_eq!(
        outcome(
            &readiness::checklists(&db.conn, &bureau(), space, day(2024, 6, 29)).await.unwrap(),
            SET,
            Metric::OperatingMonths
        ),
        Outcome::Fail
    );

    // 20 admitted within twelve months passes, 19 fails; 10 of them founded within the year.
    for i in 0..20 {
        let admitted = if i < 19 { day(2024, 3, 1) } else { day(2024, 5, 1) };
        let id = tenant(&db, space, &format!("团队{i:02}"), &[(TenantStage::Incubating, admitted)]).await;
        let founded = if i < 9 {
            Some(day(2024, 1, 15))
        } else if i == 19 {
            Some(day(2024, 4, 20))
        } else {
            None
        };
        let mut s = startup_entity::ActiveModel { id: Set(id), ..Default::default() };
        s.founded_on = Set(founded);
        s.update(&db.conn).await.unwrap();
    }
    let april = readiness::checklists(&db.conn, &bureau(), space, day(2024, 4, 30)).await.unwrap();
    assert_eq!(outcome(&april, SET, Metric::AdmittedLastYear), Outcome::Fail);
    assert_eq!(outcome(&april, SET, Metric::NewCompaniesLastYear), Outcome::Fail, "9 new, none financed");
    let may = readiness::checklists(&db.conn, &bureau(), space, day(2024, 5, 31)).await.unwrap();
    assert_eq!(outcome(&may, SET, Metric::AdmittedLastYear), Outcome::Pass);
    assert_eq!(outcome(&may, SET, Metric::NewCompaniesLastYear), Outcome::Pass, "10 new companies");
    // A year later the admissions have aged out.
    let later = readiness::checklists(&db.conn, &bureau(), space, day(2025, 5, 31)).await.unwrap();
    assert_eq!(outcome(&later, SET, Metric::AdmittedLastYear), Outcome::Fail);

    // The annual return's counts, each at its threshold and one below.
    let form = |cases: &str, staff: &str, mentors: &str, events: &str| AnnualReturnForm {
        year: "2024".into(),
        fund: "0".into(),
        income_rent: "0".into(),
        income_services: "0".into(),
        income_investment: "0".into(),
        income_other: "0".into(),
        staff_total: "5".into(),
        staff_professional: staff.into(),
        mentors: mentors.into(),
        typical_cases: cases.into(),
        events_held: events.into(),
    };
    readiness::file_return(&db.conn, &operators(), space, &form("2", "2", "2", "9")).await.unwrap();
    let low = readiness::checklists(&db.conn, &bureau(), space, day(2024, 12, 31)).await.unwrap();
    for metric in [Metric::TypicalCases, Metric::ProfessionalStaff, Metric::Mentors, Metric::EventsHeld] {
        assert_eq!(outcome(&low, SET, metric), Outcome::Fail, "{metric:?}");
    }
    assert_eq!(outcome(&low, SET, Metric::ReportedYears), Outcome::Pass);
    readiness::file_return(&db.conn, &operators(), space, &form("3", "3", "3", "10")).await.unwrap();
    let ok = readiness::checklists(&db.conn, &bureau(), space, day(2024, 12, 31)).await.unwrap();
    for metric in [Metric::TypicalCases, Metric::ProfessionalStaff, Metric::Mentors, Metric::EventsHeld] {
        assert_eq!(outcome(&ok, SET, metric), Outcome::Pass, "{metric:?}");
    }
}

#[tokio::test]
async fn the_bureau_edits_a_rule_set_and_checklists_follow() {
    let (db, districts) = db_with_districts().await;
    let (space, floor) = carrier_with_floor(&db, districts[0], "规则众创空间", |f| f.kind = "maker_space".into()).await;
    add(&db, floor, "R1", "450", "400", "tenant", day(2023, 1, 1)).await;
    let sets = readiness::rule_sets(&db.conn, &bureau()).await.unwrap();
    let set = sets.iter().find(|s| s.code == "national_maker_space").unwrap();
    let area = set.criteria.iter().find(|c| c.metric == Metric::GrossArea).unwrap();
    let before = readiness::checklists(&db.conn, &bureau(), space, day(2024, 6, 30)).await.unwrap();
    assert_eq!(outcome(&before, "national_maker_space", Metric::GrossArea), Outcome::Fail);

    // A local rule: 400 m² is enough.
    let mut form = CriterionForm::from_criterion(area);
    form.threshold = "400".into();
    readiness::save_criterion(&db.conn, &bureau(), set.id, Some(area.id), &form).await.unwrap();
    let after = readiness::checklists(&db.conn, &bureau(), space, day(2024, 6, 30)).await.unwrap();
    assert_eq!(outcome(&after, "national_maker_space", Metric::GrossArea), Outcome::Pass);

    // A bad threshold is refused with its field, and nothing changes.
    form.threshold = "四百".into();
    match readiness::save_criterion(&db.conn, &bureau(), set.id, Some(area.id), &form).await {
        Err(ServiceError::Invalid(errors)) => assert!(errors.has("threshold")),
        other => panic!("expected a field error, got {other:?}"),
    }
    // Operators may read the rules but not change them.
    assert!(matches!(
        readiness::save_criterion(
            &db.conn,
            &operator(&[space]),
            set.id,
            Some(area.id),
            &CriterionForm::from_criterion(area)
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
    // A criterion added, then removed.
    let added = readiness::save_criterion(
        &db.conn,
        &bureau(),
        set.id,
        None,
        &CriterionForm {
            label_zh: "累计毕业团队不少于5个".into(),
            label_en: "".into(),
            metric: "graduates".into(),
            threshold: "5".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let lists = readiness::checklists(&db.conn, &bureau(), space, day(2024, 6, 30)).await.unwrap();
    assert_eq!(lists[0].checks.last().unwrap().criterion.id, added);
    assert_eq!(lists[0].checks.last().unwrap().outcome, Outcome::Fail);
    readiness::remove_criterion(&db.conn, &bureau(), set.id, added).await.unwrap();
    let view = readiness::readiness(&db.conn, &bureau(), set.id, None, day(2024, 6, 30), 1).await.unwrap();
    assert_eq!(view.rows.len(), 1);
    assert_eq!(view.rows[0].pass + view.rows[0].fail + view.rows[0].unknown, view.rule_set.criteria.len());
    // An operator sees the same rules, their own carriers only, and may not edit.
    let (other, _) = carrier_with_floor(&db, districts[1], "别家众创空间", |f| f.kind = "maker_space".into()).await;
    let bureau_view = readiness::readiness(&db.conn, &bureau(), set.id, None, day(2024, 6, 30), 1).await.unwrap();
    assert_eq!(bureau_view.rows.len(), 2);
    let own = readiness::readiness(&db.conn, &operator(&[space]), set.id, None, day(2024, 6, 30), 1).await.unwrap();
    assert_eq!(own.rows.iter().map(|r| r.carrier).collect::<Vec<_>>(), vec![space]);
    assert!(!own.can_edit);
    let _ = other;
}

#[tokio::test]
async fn the_annual_statistics_report_counts_the_year_in_thousands_of_yuan() {
    let (db, districts) = db_with_districts().await;
    let (carrier, floor) = carrier_with_floor(&db, districts[0], "统计孵化器", |_| {}).await;
    add(&db, floor, "A1", "1000", "900", "tenant", day(2023, 1, 1)).await;
    add(&db, floor, "A2", "250.5", "200", "public_service", day(2023, 1, 1)).await;
    let t = tenant(&db, carrier, "统计企业", &[(TenantStage::Incubating, day(2024, 3, 1))]).await;
    tenant(
        &db,
        carrier,
        "统计毕业企业",
        &[(TenantStage::Incubating, day(2022, 3, 1)), (TenantStage::Graduated, day(2024, 9, 1))],
    )
    .await;
    startup_year::ActiveModel {
        startup_id: Set(t),
        year: Set(2024),
        revenue_fen: Set(0),
        rd_spend_fen: Set(0),
        financing_fen: Set(123_456_700),
    }
    .insert(&db.conn)
    .await
    .unwrap();
    let form = AnnualReturnForm {
        year: "2024".into(),
        fund: "5,000,000".into(),
        income_rent: "1,234,567.89".into(),
        income_services: "500".into(),
        income_investment: "0".into(),
        income_other: "0".into(),
        staff_total: "12".into(),
        staff_professional: "10".into(),
        mentors: "6".into(),
        typical_cases: "3".into(),
        events_held: "12".into(),
    };
    readiness::file_return(&db.conn, &operator(&[carrier]), carrier, &form).await.unwrap();
    let rows = readiness::torch_report(&db.conn, &operator(&[carrier]), Some(carrier), 2024).await.unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let header = readiness::torch_header();
    let col = |name: &str| row[header.iter().position(|c| *c == name).unwrap()].as_str();
    assert_eq!(col("场地总面积（㎡）"), "1250.50");
    assert_eq!(col("公共服务面积（㎡）"), "250.50");
    assert_eq!(col("年末在孵企业数"), "1");
    assert_eq!(col("当年新入驻企业数"), "1");
    assert_eq!(col("当年毕业企业数"), "1");
    assert_eq!(col("孵化基金总额（千元）"), "5000");
    assert_eq!(col("在孵企业当年获得融资额（千元）"), "1235", "1,234,567 yuan");
    assert_eq!(col("总收入（千元）"), "1235", "1,235,067.89 yuan");
    assert_eq!(col("房租及物业收入（千元）"), "1235");
    assert_eq!(col("综合服务收入（千元）"), "1", "500 yuan rounds half up");
    // The whole city's report is the bureau's; an operator asking for it is refused.
    assert!(matches!(
        readiness::torch_report(&db.conn, &operator(&[carrier]), None, 2024).await,
        Err(ServiceError::Forbidden)
    ));
    assert_eq!(readiness::torch_report(&db.conn, &bureau(), None, 2024).await.unwrap(), rows);
    // The same form refiled with a future year is refused and the report keeps its figures.
    let future = AnnualReturnForm { year: "2999".into(), ..form };
    assert!(matches!(
        readiness::file_return(&db.conn, &operator(&[carrier]), carrier, &future).await,
        Err(ServiceError::Invalid(_))
    ));
}
