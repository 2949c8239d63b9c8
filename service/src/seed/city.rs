//! Loading the demonstration city through the product's own write paths.

use super::carriers::{ARCHIVED, CARRIERS, CONTACT_NAMES};
use super::history::Carrier;
use super::plan::{Plan, Site, Unit};
use crate::accounts;
use crate::audit::By;
use crate::entity::{carrier, district, user};
use crate::{Result, ServiceError, carriers};
use domain::CarrierId;
use domain::account::{Registration, Role};
use domain::carrier::CarrierForm;
use domain::listing::Listing;
use domain::space::monthly_list_rent;
use domain::text::SystemText;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// The password of every demonstration account. Demo data only: a real installation creates its
/// first account with `fuhua create-user`.
pub const DEMO_PASSWORD: &str = "fuhua-demo-2026";

/// Demonstration accounts: email, name, role, and the carriers (by name) or startup they belong to.
const DEMO_ACCOUNTS: &[(&str, &str, Role, &[&str])] = &[
    ("admin@demo.fuhua.cn", "平台管理员", Role::Admin, &[]),
    ("bureau@demo.fuhua.cn", "科技局 张伟", Role::Bureau, &[]),
    ("operator@demo.fuhua.cn", "运营方 李强", Role::Operator, &["临沂高新区科技创业园", "沂蒙云谷众创空间"]),
    ("startup@demo.fuhua.cn", "创始人 王敏", Role::Startup, &["临沂智云科技有限公司"]),
];

/// What the demonstration carriers listed in the catalogue say about themselves.
const DESCRIPTIONS: &[&str] = &[
    "独立办公室与共享实验室，配套创业导师、投融资对接和政策申报服务。",
    "开放工位按月起租，拎包入驻；每月举办路演和技术沙龙。",
    "面向硬科技团队，提供中试车间、检测设备共享和知识产权服务。",
    "紧邻高校与产业园，提供人才招聘、财税代理和市场对接服务。",
];

/// What a seeding run added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    pub districts: usize,
    pub carriers: usize,
    pub accounts: usize,
    pub units: usize,
    /// Startups of the history (admitted or not), and the tenancies it admitted.
    pub startups: usize,
    pub tenancies: Vec<super::Tenancy>,
}

/// The seed of the demonstration history: the same seed, the same city.
const HISTORY_SEED: u64 = 2017;

/// Whether the database holds no carrier yet (a fresh installation: reference data only).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool> {
    Ok(carrier::Entity::find().count(db).await? == 0)
}

/// Adds the demonstration districts and carriers that are missing.
pub async fn demo(db: &DatabaseConnection) -> Result<Seeded> {
    let mut seeded = Seeded { districts: districts(db).await?, ..Default::default() };
    let today = domain::time::today();
    for (i, demo) in CARRIERS.iter().enumerate() {
        let (name, kind, level, year, district_code, operator, model, address, opened, industries) = *demo;
        if carrier::Entity::find().filter(carrier::Column::Name.eq(name)).count(db).await? > 0 {
            continue;
        }
        let district = district::Entity::find()
            .filter(district::Column::Code.eq(district_code))
            .one(db)
            .await?
            .ok_or_else(|| ServiceError::Corrupt(format!("demo district {district_code} is missing")))?;
        let form = CarrierForm {
            name: name.to_owned(),
            kind: kind.to_owned(),
            level: level.to_owned(),
            level_year: year.to_owned(),
            district_id: district.id.to_string(),
            operator_org: operator.to_owned(),
            operating_model: model.to_owned(),
            address: address.to_owned(),
            opened_on: opened.to_owned(),
            industries: industries.iter().map(|s| (*s).to_owned()).collect(),
            contact_name: CONTACT_NAMES[i % CONTACT_NAMES.len()].to_owned(),
            contact_phone: format!("1380539{:04}", 1000 + i),
            contact_email: if i % 3 == 0 { format!("contact{i:02}@example.cn") } else { String::new() },
            ..Default::default()
        };
        // Demo data passes through the same validation as a form: it cannot hold what a user
        // could not enter.
        let draft = form.parse(today).map_err(ServiceError::Invalid)?;
        let id: CarrierId = carriers::insert(db, By::System("seed"), &draft).await?;
        if ARCHIVED.contains(&name) {
            carriers::archive(db, By::System("seed"), id, true, crate::today()).await?;
        } else if i % 2 == 0 {
            // Every other carrier describes itself and is listed publicly in the catalogue.
            let operator = crate::policy::Actor { carriers: [id].into(), ..seed_actor() };
            let listing = Listing { description: DESCRIPTIONS[i / 2 % DESCRIPTIONS.len()].to_owned(), public: true };
            crate::catalogue::set_listing(db, &operator, id, 1, &listing).await?;
        }
        seeded.carriers += 1;
    }
    seeded.accounts = accounts(db).await?;
    let (units, sites, written) = spaces(db).await?;
    seeded.units = units;
    if !sites.is_empty() {
        let plan = Plan::new(&sites, today, HISTORY_SEED);
        let replayed = super::history::replay(db, &plan, &sites, &written).await?;
        seeded.startups = replayed.startups;
        seeded.tenancies = plan.tenancies(&sites);
        if replayed.leases != seeded.tenancies.len() {
            return Err(ServiceError::Corrupt(format!(
                "the demo history signed {} leases of the {} it planned",
                replayed.leases,
                seeded.tenancies.len()
            )));
        }
    }
    demo_tenancy(db).await?;
    demo_plans(db).await?;
    tracing::info!(
        districts = seeded.districts,
        carriers = seeded.carriers,
        accounts = seeded.accounts,
        "demo data seeded"
    );
    Ok(seeded)
}

/// Adds the demonstration accounts that are missing.
async fn accounts(db: &DatabaseConnection) -> Result<usize> {
    let mut added = 0;
    for (email, name, role, places) in DEMO_ACCOUNTS {
        if user::Entity::find().filter(user::Column::Email.eq(*email)).count(db).await? > 0 {
            continue;
        }
        match role {
            Role::Startup => {
                let registration = Registration {
                    startup_name: places.first().copied().unwrap_or("演示企业").to_owned(),
                    display_name: (*name).to_owned(),
                    email: (*email).to_owned(),
                    password: DEMO_PASSWORD.to_owned(),
                };
                accounts::register_startup_unthrottled(db, &registration).await?;
            }
            Role::Admin | Role::Bureau => {
                accounts::create_from_cli(db, email, name, &[*role], Some(DEMO_PASSWORD)).await?;
            }
            Role::Operator => {
                let (user, _) = accounts::create_from_cli(db, email, name, &[], Some(DEMO_PASSWORD)).await?;
                for place in *places {
                    if let Some(carrier) =
                        carrier::Entity::find().filter(carrier::Column::Name.eq(*place)).one(db).await?
                    {
                        accounts::grant_operator(db, user, CarrierId(carrier.id)).await?;
                    }
                }
            }
        }
        added += 1;
    }
    Ok(added)
}

/// The seed acting through the services, with no role yet: each step adds the one it needs, so
/// demo data passes the same checks as a user's.
fn seed_actor() -> crate::policy::Actor {
    crate::policy::Actor {
        user: domain::UserId(0),
        email: "system:seed".to_owned(),
        admin: false,
        bureau: false,
        carriers: Default::default(),
        startups: Default::default(),
    }
}

/// Adds the districts of Linyi that are missing (the built-in city); returns how many were
/// added.
pub async fn districts(db: &DatabaseConnection) -> Result<usize> {
    let report = crate::reference::import_city(db, &crate::reference::default_city(), By::System("seed")).await?;
    Ok(report.added)
}

/// The demonstration operator's landlord-plus-shareholder carrier.
const DEMO_LANDLORD: &str = "临沂高新区科技创业园";

/// Demo carriers left without spaces, for people (and tests) to build them.
const WITHOUT_SPACES: &[&str] = &["沂蒙云谷众创空间"];

/// Gives each demonstration carrier that has no site yet one site with its buildings, floors and
/// units, added over the years since it opened (so that the city's area grows over time), with
/// the occasional unit resized or taken out of service. Deterministic: the same city every time.
async fn spaces(db: &DatabaseConnection) -> Result<(usize, Vec<Site>, Vec<Carrier>)> {
    use crate::spaces as space_service;
    use domain::space::{ChangeAction, PlaceForm, UnitForm};

    let today = domain::time::today();
    let mut added = 0;
    let (mut sites, mut written) = (Vec::new(), Vec::new());
    for (index, demo) in CARRIERS.iter().enumerate() {
        let (name, kind, level, ..) = *demo;
        if WITHOUT_SPACES.contains(&name) || ARCHIVED.contains(&name) {
            continue;
        }
        let Some(carrier) = carrier::Entity::find().filter(carrier::Column::Name.eq(name)).one(db).await? else {
            continue;
        };
        if crate::entity::site::Entity::find()
            .filter(crate::entity::site::Column::CarrierId.eq(carrier.id))
            .count(db)
            .await?
            > 0
        {
            continue;
        }
        let carrier_id = CarrierId(carrier.id);
        let mut site_plan = Site {
            index,
            opened: carrier.opened_on,
            shareholder: carrier.operating_model == domain::carrier::OperatingModel::LandlordShareholder.code(),
            industries: demo.9,
            units: Vec::new(),
            showcase: name == DEMO_LANDLORD,
        };
        // The history lets the tenants' units, but for a few of the demonstration operator's,
        // kept for the demonstration startup and for people to try.
        let mut kept = if name == DEMO_LANDLORD { 3 } else { 0 };
        // A carrier's spaces are its operators' to record.
        let system = crate::policy::Actor { carriers: [carrier_id].into(), ..seed_actor() };
        let site = space_service::create_site(
            db,
            &system,
            carrier_id,
            &PlaceForm { name: "一期".to_owned(), address: carrier.address.clone() },
        )
        .await?;
        let maker_space = kind == "maker_space";
        // The demonstration operator's national incubator is the big one: many smaller units,
        // enough tenants to meet the national criteria (at least 50 tenants, 3 per 1,000 m²).
        let national = name == DEMO_LANDLORD && level == "national";
        let (buildings, floors, units_per_floor, base_m2) = match (maker_space, national) {
            (true, _) => (1, 2, 3, 60),
            (false, true) => (2, 5, 8, 110),
            (false, false) => (2, 3, 4, 320),
        };
        let mut unit_number = 0usize;
        for b in 0..buildings {
            let building = space_service::create_building(db, &system, site, ["A座", "B座"][b]).await?;
            for f in 1..=floors {
                let floor = space_service::create_floor(db, &system, building, &format!("{f}F")).await?;
                for u in 1..=units_per_floor {
                    unit_number += 1;
                    // A varied but repeatable mix: one public-service area and one operator office
                    // per carrier, workstation areas in maker-spaces, offices and labs otherwise.
                    let seed = index * 31 + unit_number * 7;
                    let (unit_kind, category, desks) = match unit_number {
                        1 => ("public_service", "public_service", ""),
                        2 => ("operator_office", "operator", ""),
                        _ if maker_space => ("open_workstations", "tenant", "20"),
                        _ if seed.is_multiple_of(3) => ("lab_workshop", "tenant", ""),
                        _ => ("private_office", "tenant", ""),
                    };
                    let gross = base_m2 + (seed % 9) * base_m2 / 6;
                    let usable = gross * 9 / 10;
                    let (rent, basis) = if desks.is_empty() { ("45", "per_m2") } else { ("350", "per_desk") };
                    let form = UnitForm {
                        code: format!("{f}{u:02}"),
                        kind: unit_kind.to_owned(),
                        gross_area: gross.to_string(),
                        usable_area: usable.to_string(),
                        use_category: category.to_owned(),
                        desks: desks.to_owned(),
                        list_rent: rent.to_owned(),
                        rent_basis: basis.to_owned(),
                    };
                    let (code, spec) = form.parse().map_err(ServiceError::Invalid)?;
                    // Units open evenly over the years since the carrier opened, the last one
                    // between a month and nine months ago (a different day at each carrier, so
                    // the city's area grows month by month up to today, not in one jump).
                    let last_ago = 30 + i64::try_from(index * 37 % 240).unwrap_or(0);
                    let span_days = ((today - carrier.opened_on).num_days() - last_ago).max(0);
                    let total = i64::try_from(buildings * floors * units_per_floor).unwrap_or(1).max(1);
                    let step = i64::try_from(unit_number).unwrap_or(1) * span_days / total;
                    let on = (carrier.opened_on + chrono::Duration::days(step)).min(today);
                    let recorded = SystemText::InitialRecord.store("");
                    let unit = crate::clock::as_of(
                        crate::clock::morning(on),
                        space_service::add_unit(db, &system, floor, &code, &spec, on, &recorded),
                    )
                    .await?;
                    let mut until = None;
                    if seed.is_multiple_of(11) {
                        let later = (on + chrono::Duration::days(200)).min(today);
                        until = Some(later);
                        let change = domain::space::Change {
                            action: ChangeAction::OutOfService,
                            effective_on: later,
                            reason: SystemText::Renovation.store(""),
                            spec: None,
                        };
                        crate::clock::as_of(
                            crate::clock::morning(later),
                            space_service::change_unit(db, &system, unit, &change),
                        )
                        .await?;
                    }
                    added += 1;
                    if category == "tenant" && kept > 0 {
                        kept -= 1;
                    } else if category == "tenant" {
                        site_plan.units.push(Unit {
                            id: unit,
                            from: on,
                            until,
                            monthly_fen: monthly_list_rent(spec.rent, spec.usable, spec.desks).fen(),
                            desks: spec.desks,
                            usable_m2: spec.usable.hundredths() / 100,
                        });
                    }
                }
            }
        }
        sites.push(site_plan);
        written.push(Carrier { id: carrier_id, name, district: Some(domain::DistrictId(carrier.district_id)) });
    }
    Ok((added, sites, written))
}

/// A current plan beside the founding one, a district's own target, and last year's annual
/// return of the demonstration operator's carrier, so the dashboard and the checklists have
/// something to measure. Skipped where they exist.
async fn demo_plans(db: &DatabaseConnection) -> Result<()> {
    use chrono::Datelike;
    let bureau = crate::policy::Actor { bureau: true, ..seed_actor() };
    let existing: Vec<String> = crate::dashboard::targets(db).await?.into_iter().map(|t| t.name_zh).collect();
    let lanshan = district::Entity::find().filter(district::Column::Code.eq("371302")).one(db).await?;
    let plans = [
        ("孵化载体面积三年行动（2025—2027）", "Three-year incubation area plan (2025–2027)", None, "320000"),
        ("兰山区孵化载体面积目标", "Lanshan District incubation area target", lanshan.map(|d| d.id), "60000"),
    ];
    for (zh, en, district, area) in plans {
        if existing.iter().any(|name| name == zh) {
            continue;
        }
        let form = domain::dashboard::TargetForm {
            name_zh: zh.to_owned(),
            name_en: en.to_owned(),
            district_id: district.map(|d| d.to_string()).unwrap_or_default(),
            area: area.to_owned(),
            base_date: "2025-01-01".to_owned(),
            deadline: "2027-12-31".to_owned(),
        };
        crate::dashboard::add_target(db, &bureau, &form).await?;
    }
    let Some(carrier) = carrier::Entity::find().filter(carrier::Column::Name.eq(DEMO_LANDLORD)).one(db).await? else {
        return Ok(());
    };
    let year = crate::today().year() - 1;
    let filed = crate::entity::annual_return::Entity::find_by_id((carrier.id, year)).one(db).await?;
    if filed.is_none() && carrier.opened_on.year() <= year {
        let form = domain::readiness::AnnualReturnForm {
            year: year.to_string(),
            fund: "6000000".to_owned(),
            income_rent: "3850000".to_owned(),
            income_services: "920000".to_owned(),
            income_investment: "450000".to_owned(),
            income_other: "80000".to_owned(),
            staff_total: "18".to_owned(),
            staff_professional: "15".to_owned(),
            mentors: "12".to_owned(),
            typical_cases: "4".to_owned(),
            events_held: "26".to_owned(),
        };
        // Filed by the carrier's operators, who answer for its figures.
        let operator = crate::policy::Actor { carriers: [CarrierId(carrier.id)].into(), ..seed_actor() };
        crate::readiness::file_return(db, &operator, CarrierId(carrier.id), &form).await?;
    }
    Ok(())
}

/// The demonstration startup as a tenant of the demonstration operator's landlord-plus-shareholder
/// carrier: admitted onto a vacant unit from today (with six months of rent convertible into
/// equity), and a cap table in which the carrier took 10 % at formation. Skipped once the startup
/// holds a lease.
async fn demo_tenancy(db: &DatabaseConnection) -> Result<()> {
    use crate::entity::{lease, startup};
    use domain::equity::ledger::{Channel, Contribution, Entry, HolderKind, HolderRef, NewEvent};
    use domain::space::UnitStatus;
    use domain::tenancy::application::{ApplicationForm, Transition};
    use domain::tenancy::lease::LeaseForm;

    const STARTUP: &str = "临沂智云科技有限公司";
    let (Some(carrier), Some(company)) = (
        carrier::Entity::find().filter(carrier::Column::Name.eq(DEMO_LANDLORD)).one(db).await?,
        startup::Entity::find().filter(startup::Column::Name.eq(STARTUP)).one(db).await?,
    ) else {
        return Ok(());
    };
    if lease::Entity::find().filter(lease::Column::StartupId.eq(company.id)).count(db).await? > 0 {
        return Ok(());
    }
    let (carrier_id, startup_id) = (CarrierId(carrier.id), domain::StartupId(company.id));
    let operator = crate::policy::Actor { carriers: [carrier_id].into(), ..seed_actor() };
    let member = crate::policy::Actor { startups: [startup_id].into(), ..seed_actor() };
    let today = domain::time::today();
    let code = domain::uscc::complete("91371302", "MA3C4K5N");
    startup::ActiveModel {
        id: Set(company.id),
        credit_code: Set(code),
        founded_on: Set(chrono::NaiveDate::from_ymd_opt(2025, 3, 1)),
        industry: Set(Some("new_generation_it".to_owned())),
        ..Default::default()
    }
    .update(db)
    .await?;

    let floors = crate::spaces::floors_of(db, &operator, carrier_id, today).await?;
    let Some(unit) = floors.iter().flat_map(|f| &f.units).find(|u| u.status == UnitStatus::Vacant) else {
        return Ok(());
    };
    let application = ApplicationForm {
        carrier_id: carrier.id.to_string(),
        request_kind: "desks".to_owned(),
        desks: "8".to_owned(),
        desired_start: today.format("%Y-%m-%d").to_string(),
        duration_months: "24".to_owned(),
        summary: "云端工业视觉检测平台，已服务三家本地制造企业，申请工位用于研发与客户演示。".to_owned(),
        ..Default::default()
    }
    .parse(today)
    .map_err(ServiceError::Invalid)?;
    let id = crate::tenancy::applications::create(db, &member, startup_id, &application, true).await?;
    crate::tenancy::applications::transition(db, &operator, id, Transition::StartReview, None).await?;
    let last = today.checked_add_months(chrono::Months::new(24)).and_then(|d| d.pred_opt()).unwrap_or(today);
    let terms = LeaseForm {
        units: vec![unit.id.to_string()],
        starts_on: today.format("%Y-%m-%d").to_string(),
        ends_on: last.format("%Y-%m-%d").to_string(),
        deposit: "6000".to_owned(),
        equity_months: "6".to_owned(),
        equity_monthly_amount: "3000".to_owned(),
        equity_valuation: "8000000".to_owned(),
        ..Default::default()
    }
    .parse()
    .map_err(ServiceError::Invalid)?;
    crate::tenancy::applications::admit(db, &operator, id, &terms).await?;

    let founder = |kind: HolderKind, name: &str, yuan: i64| Contribution {
        row: 0,
        holder: HolderRef::New { kind, name: name.to_owned() },
        amount: domain::Money::from_yuan(yuan),
        paid_in: domain::Money::from_yuan(yuan),
        channel: Channel::Cash,
    };
    let formation = NewEvent {
        on: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or(today),
        entry: Entry::Formation {
            rows: vec![
                founder(HolderKind::Founder, "王敏", 700_000),
                founder(HolderKind::Founder, "刘洋", 200_000),
                founder(HolderKind::Carrier, DEMO_LANDLORD, 100_000),
            ],
        },
        note: "公司设立".to_owned(),
    };
    crate::equity::record(db, &operator, startup_id, &formation).await?;
    Ok(())
}
