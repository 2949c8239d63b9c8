//! Replaying the demonstration city's [`Plan`] through the product's own write paths, each step
//! with the records' clock at the day it happened: the applications, admissions, leases, rounds,
//! graduations and returns carry their own dates, in their rows and in the audit trail, and pass
//! the same checks as a user's.

use super::plan::{Company, Event, Plan, Site, Step};
use crate::audit::By;
use crate::entity::{equity_holder, startup};
use crate::policy::Actor;
use crate::{Result, ServiceError};
use chrono::{Datelike, NaiveDate};
use domain::equity::ledger::{Channel, Contribution, Entry, HolderKind, HolderRef, NewEvent, RoundStage};
use domain::tenancy::application::{ApplicationForm, Transition};
use domain::tenancy::lease::{LeaseEventForm, LeaseForm};
use domain::tenancy::startup::{Founder, GraduationCriterion, Profile, StageEvent, TenantStage};
use domain::text::SystemText;
use domain::{CarrierId, DistrictId, Money, StartupId};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// A carrier as the replay writes to it.
pub(super) struct Carrier {
    pub id: CarrierId,
    pub name: &'static str,
    pub district: Option<DistrictId>,
}

/// What the replay learnt about a company as it went.
#[derive(Default, Clone)]
struct Written {
    startup: Option<StartupId>,
    application: Option<i64>,
    lease: Option<i64>,
    site: usize,
    /// The lease's monthly rent and, under rent for equity, the valuation it converts at (fen).
    monthly_fen: i64,
    valuation_fen: i64,
    profile: Option<Profile>,
    /// Its lease's entry in the replay's rents.
    rent: Option<usize>,
}

/// A lease as the annual returns count its rent: carrier, first and last day, monthly rent in
/// fen, rent-free months.
struct Rent {
    site: usize,
    start: NaiveDate,
    last: NaiveDate,
    monthly_fen: i64,
    rent_free: u32,
}

/// What the replay wrote, for the seeding report.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Replayed {
    pub startups: usize,
    pub leases: usize,
}

/// The system's actor for one step, allowed just what the step needs.
fn acting(carrier: Option<CarrierId>, startup: Option<StartupId>) -> Actor {
    Actor {
        user: domain::UserId(0),
        email: "system:seed".to_owned(),
        admin: false,
        bureau: false,
        carriers: carrier.into_iter().collect(),
        startups: startup.into_iter().collect(),
    }
}

fn yuan(fen: i64) -> String {
    Money::from_fen(fen).to_string()
}

/// What a company says about itself when it applies, by its line of business.
fn summary(industry: &str) -> &'static str {
    match industry {
        "new_generation_it" => "面向本地制造企业的工业软件与数据平台，已有两家试点客户，申请空间用于研发团队办公。",
        "high_end_equipment" => "智能检测与自动化装备研发，样机已完成验证，申请空间用于装配调试与客户演示。",
        "new_materials" => "新型功能材料的配方研发与小批量试制，已申请发明专利，申请空间用于实验与中试。",
        "biomedicine" => "中药材有效成分提取与检测服务，团队来自本地高校，申请空间用于实验室与办公。",
        "modern_agriculture" => "特色农产品溯源与冷链管理系统，已与三家合作社签约，申请空间用于运营与研发。",
        "digital_creative" => "沂蒙文化主题的数字内容与文创设计，已上线小程序，申请空间用于创作与拍摄。",
        "modern_services" => "面向临沂商贸物流企业的电商代运营与直播服务，申请空间用于团队办公与直播间。",
        _ => "节能环保与新能源方向的技术服务团队，已完成首个项目交付，申请空间用于研发与办公。",
    }
}

/// Replays `plan` over `sites` (the plan's carriers, by the same index as `carriers`).
pub(super) async fn replay(
    db: &DatabaseConnection,
    plan: &Plan,
    sites: &[Site],
    carriers: &[Carrier],
) -> Result<Replayed> {
    let mut written = vec![Written::default(); plan.companies.len()];
    let mut rents: Vec<Rent> = Vec::new();
    let mut replayed = Replayed::default();
    for event in &plan.events {
        let instant = crate::clock::morning(event.on);
        crate::clock::as_of(instant, step(db, plan, sites, carriers, &mut written, &mut rents, event, &mut replayed))
            .await
            .map_err(|e| ServiceError::Corrupt(format!("demo history, {} {:?}: {e}", event.on, event.step)))?;
    }
    Ok(replayed)
}

#[expect(clippy::too_many_arguments, reason = "the replay's state, threaded through one step")]
async fn step(
    db: &DatabaseConnection,
    plan: &Plan,
    sites: &[Site],
    carriers: &[Carrier],
    written: &mut [Written],
    rents: &mut Vec<Rent>,
    event: &Event,
    replayed: &mut Replayed,
) -> Result<()> {
    let on = event.on;
    let operator_of = |company: Company, written: &[Written]| acting(Some(carriers[written[company].site].id), None);
    match &event.step {
        Step::Apply { company, site, start, months, unit } => {
            let p = &plan.companies[*company];
            let carrier = &carriers[*site];
            let code = domain::uscc::complete(&format!("91{}", district_code(sites, *site)), &p.code_body);
            let profile = Profile {
                name: p.name.clone(),
                credit_code: code,
                founded_on: Some(p.founded),
                industry: domain::carrier::Industry::from_code(p.industry),
                registered_district: carrier.district,
                team_size: p.team,
                rd_staff: p.team * 2 / 3,
                founders: vec![Founder { name: format!("{}{}", p.founders[0], p.founders[1]), title: None }],
                contact_name: Some(format!("{}{}", p.founders[0], p.founders[1])),
                contact_phone: None,
                contact_email: None,
                patents_applied: p.team / 4,
                patents_granted: p.team / 8,
                software_copyrights: p.team / 5,
                high_tech_on: None,
                tech_sme_on: None,
            };
            let id = crate::tenancy::startups::create_record(db, By::System("seed"), &profile).await?;
            replayed.startups += 1;
            let unit = &sites[*site].units[*unit];
            let form = ApplicationForm {
                carrier_id: carrier.id.0.to_string(),
                request_kind: if unit.desks.is_some() { "desks" } else { "area" }.to_owned(),
                desks: unit.desks.map(|d| d.to_string()).unwrap_or_default(),
                area: if unit.desks.is_some() { String::new() } else { unit.usable_m2.to_string() },
                desired_start: start.to_string(),
                duration_months: months.to_string(),
                summary: summary(p.industry).to_owned(),
            };
            let draft = form.parse(on).map_err(ServiceError::Invalid)?;
            let member = acting(None, Some(id));
            let application = crate::tenancy::applications::create(db, &member, id, &draft, true).await?;
            written[*company] = Written {
                startup: Some(id),
                application: Some(application),
                site: *site,
                profile: Some(profile),
                ..Default::default()
            };
        }
        Step::Review { company } | Step::Reject { company } => {
            let (transition, reason) = match event.step {
                Step::Review { .. } => (Transition::StartReview, None),
                _ => (Transition::Reject, Some(SystemText::NotAFit.store(""))),
            };
            let id = written[*company].application.ok_or(ServiceError::NotFound)?;
            crate::tenancy::applications::transition(
                db,
                &operator_of(*company, written),
                id,
                transition,
                reason.as_deref(),
            )
            .await?;
        }
        Step::Withdraw { company } => {
            let id = written[*company].application.ok_or(ServiceError::NotFound)?;
            let member = acting(None, written[*company].startup);
            crate::tenancy::applications::transition(db, &member, id, Transition::Withdraw, None).await?;
        }
        Step::Admit { company, site, unit, start, last, rent_free, equity } => {
            let unit = &sites[*site].units[*unit];
            let valuation = plan.companies[*company].capital_yuan * 8;
            let terms = LeaseForm {
                units: vec![unit.id.to_string()],
                starts_on: start.to_string(),
                ends_on: last.to_string(),
                monthly_rent: String::new(),
                rent_free_months: rent_free.to_string(),
                deposit: yuan(unit.monthly_fen * 2),
                equity_months: if *equity { "6".to_owned() } else { String::new() },
                equity_monthly_amount: if *equity { yuan(unit.monthly_fen) } else { String::new() },
                equity_valuation: if *equity { valuation.to_string() } else { String::new() },
            }
            .parse()
            .map_err(ServiceError::Invalid)?;
            let id = written[*company].application.ok_or(ServiceError::NotFound)?;
            let lease = crate::tenancy::applications::admit(db, &operator_of(*company, written), id, &terms).await?;
            replayed.leases += 1;
            let w = &mut written[*company];
            w.lease = Some(lease);
            w.monthly_fen = unit.monthly_fen;
            w.valuation_fen = valuation * 100;
            w.rent = Some(rents.len());
            rents.push(Rent {
                site: *site,
                start: *start,
                last: *last,
                monthly_fen: unit.monthly_fen,
                rent_free: *rent_free,
            });
        }
        Step::Formation { company } => {
            let p = &plan.companies[*company];
            let carrier_part = p.capital_yuan * p.carrier_percent / 100;
            let second = (p.capital_yuan - carrier_part) / 4;
            let first = p.capital_yuan - carrier_part - second;
            let row = |kind: HolderKind, name: String, yuan: i64| Contribution {
                row: 0,
                holder: HolderRef::New { kind, name },
                amount: Money::from_yuan(yuan),
                paid_in: Money::from_yuan(yuan),
                channel: Channel::Cash,
            };
            let carrier = &carriers[written[*company].site];
            let entry = Entry::Formation {
                rows: vec![
                    row(HolderKind::Founder, format!("{}{}", p.founders[0], p.founders[1]), first),
                    row(HolderKind::Founder, format!("{}{}", p.founders[0], "联合创始人"), second),
                    row(HolderKind::Carrier, carrier.name.to_owned(), carrier_part),
                ],
            };
            record_equity(db, written, *company, carrier.id, NewEvent { on: p.founded, entry, note: String::new() })
                .await?;
        }
        Step::Convert { company } => {
            let w = written[*company].clone();
            let carrier = &carriers[w.site];
            let holder = carrier_holder(db, &w, carrier.name).await?;
            let entry = Entry::Round {
                stage: RoundStage::Conversion,
                pre_money: Money::from_fen(w.valuation_fen),
                rows: vec![Contribution {
                    row: 0,
                    holder: HolderRef::Existing(holder),
                    amount: Money::from_fen(w.monthly_fen * 6),
                    paid_in: Money::ZERO,
                    channel: Channel::Rent,
                }],
                lease: w.lease,
                discounted: false,
            };
            record_equity(db, written, *company, carrier.id, NewEvent { on, entry, note: String::new() }).await?;
        }
        Step::Round { company, round } => {
            let w = written[*company].clone();
            let carrier = &carriers[w.site];
            let holder = carrier_holder(db, &w, carrier.name).await?;
            let (stage, investor) = if round.angel {
                (RoundStage::Angel, "临沂沂蒙天使投资合伙企业（有限合伙）")
            } else {
                (RoundStage::A, "山东齐鲁创新创业投资有限公司")
            };
            let cash = |holder: HolderRef, yuan: i64| Contribution {
                row: 0,
                holder,
                amount: Money::from_yuan(yuan),
                paid_in: Money::ZERO,
                channel: Channel::Cash,
            };
            let entry = Entry::Round {
                stage,
                pre_money: Money::from_yuan(round.pre_money),
                rows: vec![
                    cash(HolderRef::New { kind: HolderKind::Investor, name: investor.to_owned() }, round.investor),
                    cash(HolderRef::Existing(holder), round.follow_on),
                ],
                lease: None,
                discounted: false,
            };
            record_equity(db, written, *company, carrier.id, NewEvent { on, entry, note: String::new() }).await?;
        }
        Step::Renew { company, last } | Step::EndEarly { company, last } => {
            let (kind, reason) = match event.step {
                Step::Renew { .. } => ("renewed", SystemText::Renewal),
                _ => ("ended_early", SystemText::EndedEarly),
            };
            let form = LeaseEventForm { kind: kind.to_owned(), new_end: last.to_string(), reason: reason.store("") };
            let change = form.parse().map_err(ServiceError::Invalid)?;
            let lease = written[*company].lease.ok_or(ServiceError::NotFound)?;
            crate::tenancy::leases::record_event(db, &operator_of(*company, written), lease, &change).await?;
            if let Some(rent) = written[*company].rent.and_then(|i| rents.get_mut(i)) {
                rent.last = *last;
            }
        }
        Step::HighTech { company } => {
            let id = written[*company].startup.ok_or(ServiceError::NotFound)?;
            let version = startup::Entity::find_by_id(id.0).one(db).await?.ok_or(ServiceError::NotFound)?.version;
            let mut profile = written[*company].profile.clone().ok_or(ServiceError::NotFound)?;
            profile.high_tech_on = Some(on);
            crate::tenancy::startups::update_profile(db, &acting(None, Some(id)), id, version, &profile).await?;
            written[*company].profile = Some(profile);
        }
        Step::Graduate { company, .. } | Step::Exit { company } => {
            let (stage, criterion) = match event.step {
                Step::Graduate { financing: true, .. } => {
                    (TenantStage::Graduated, Some(GraduationCriterion::Financing5m))
                }
                Step::Graduate { .. } => (TenantStage::Graduated, Some(GraduationCriterion::HighTechEnterprise)),
                _ => (TenantStage::Exited, None),
            };
            let id = written[*company].startup.ok_or(ServiceError::NotFound)?;
            let operator = operator_of(*company, written);
            let carrier = carriers[written[*company].site].id;
            let change = StageEvent { stage, on, criterion, note: String::new() };
            crate::tenancy::tenants::record_stage(db, &operator, carrier, id, &change).await?;
        }
        Step::Return { site, year } => {
            file_return(db, sites, carriers, rents, *site, *year).await?;
        }
    }
    Ok(())
}

fn district_code(sites: &[Site], site: usize) -> &'static str {
    super::carriers::CARRIERS[sites[site].index].4
}

/// Records an equity event as the carrier's operators would.
async fn record_equity(
    db: &DatabaseConnection,
    written: &[Written],
    company: Company,
    carrier: CarrierId,
    event: NewEvent,
) -> Result<()> {
    let id = written[company].startup.ok_or(ServiceError::NotFound)?;
    crate::equity::record(db, &acting(Some(carrier), None), id, &event).await?;
    Ok(())
}

/// The carrier's holder in the company's ledger.
async fn carrier_holder(db: &DatabaseConnection, written: &Written, name: &str) -> Result<i64> {
    let id = written.startup.ok_or(ServiceError::NotFound)?;
    let holder = equity_holder::Entity::find()
        .filter(equity_holder::Column::StartupId.eq(id.0))
        .filter(equity_holder::Column::Name.eq(name))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(holder.id)
}

/// The rent a lease was due in `year`, in fen: its monthly rent for each day of the year it ran,
/// less its rent-free months at the start (a twelfth of a year's days to the month).
fn rent_in(rent: &Rent, year: i32) -> i64 {
    let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return 0;
    };
    let free_until = rent.start.checked_add_months(chrono::Months::new(rent.rent_free)).unwrap_or(rent.start);
    let from = first.max(free_until);
    let to = last.min(rent.last);
    if to < from {
        return 0;
    }
    let days = (to - from).num_days() + 1;
    rent.monthly_fen * 12 * days / 365
}

/// A carrier's annual return for `year`: its rent from the leases it signed, the rest in
/// proportion, and its staff, mentors and activities from its size.
async fn file_return(
    db: &DatabaseConnection,
    sites: &[Site],
    carriers: &[Carrier],
    rents: &[Rent],
    site: usize,
    year: i32,
) -> Result<()> {
    let rent: i64 = rents.iter().filter(|r| r.site == site).map(|r| rent_in(r, year)).sum();
    let size = i64::try_from(sites[site].units.len()).unwrap_or(0);
    let age = i64::from(year - sites[site].opened.year()).clamp(0, 10);
    // Round to the yuan: returns are filed in whole yuan.
    let whole = |fen: i64| (fen / 100).to_string();
    let staff = 4 + size / 3 + age / 3;
    let form = domain::readiness::AnnualReturnForm {
        year: year.to_string(),
        fund: (1_000_000 + size * 150_000 + age * 200_000).to_string(),
        income_rent: whole(rent),
        income_services: whole(rent / 5),
        income_investment: whole(if sites[site].shareholder { rent / 10 } else { 0 }),
        income_other: whole(rent / 50),
        staff_total: staff.to_string(),
        staff_professional: (staff * 17 / 20).to_string(),
        mentors: (2 + size / 4 + age / 2).to_string(),
        typical_cases: (age / 3).to_string(),
        events_held: (4 + size / 2 + age).to_string(),
    };
    let carrier = carriers[site].id;
    crate::readiness::file_return(db, &acting(Some(carrier), None), carrier, &form).await?;
    Ok(())
}
