//! The demonstration city's history as a plan: from the units each carrier opened, who applied
//! when, who was admitted onto which unit for how long, who renewed, raised money, graduated or
//! left. Pure and deterministic: the same units and the same day give the same history, event for
//! event. [`super::history`] replays it through the product's write paths.
//!
//! The plan walks each unit let to tenants from the day it opened (or the programme's first day,
//! whichever is later): a vacancy, an application a month or two before the lease, the decision,
//! the lease, its outcome, then the next vacancy — so a unit is never let twice on one day and is
//! in service for every day it is let, by construction.

use chrono::{Datelike, Days, Months, NaiveDate};

/// The first day of the history: the city's programme as Fuhua tells it.
pub(super) const PROGRAMME_START: NaiveDate = match NaiveDate::from_ymd_opt(2017, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// A small, fast, deterministic generator (SplitMix64): the demo must not depend on a random
/// source, and the same seed must give the same city on every machine.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `low..high` (`low` when the range is empty).
    pub(super) fn range(&mut self, low: u64, high: u64) -> u64 {
        if high <= low { low } else { low + self.next() % (high - low) }
    }

    /// True `percent` times in a hundred.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.range(0, 100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let len = u64::try_from(items.len()).unwrap_or(1);
        &items[usize::try_from(self.range(0, len)).unwrap_or(0)]
    }
}

/// A carrier as the plan sees it.
#[derive(Debug, Clone)]
pub(super) struct Site {
    pub index: usize,
    pub opened: NaiveDate,
    /// Landlord plus shareholder: it may take equity, convert rent and follow on.
    pub shareholder: bool,
    pub industries: &'static [&'static str],
    pub units: Vec<Unit>,
    /// The carrier people are shown first: whatever the walks gave it, two applications wait
    /// for its operators today, one of them under review.
    pub showcase: bool,
}

/// A unit let to tenants, with the days it is in service.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub id: i64,
    pub from: NaiveDate,
    /// The first day out of service, if it was taken out.
    pub until: Option<NaiveDate>,
    /// Its list rent per month, in fen.
    pub monthly_fen: i64,
    pub desks: Option<u32>,
    /// Usable area in whole square metres.
    pub usable_m2: i64,
}

/// A company of the history, by its index in [`Plan::companies`].
pub(super) type Company = usize;

/// A company's particulars.
#[derive(Debug, Clone)]
pub(super) struct Profile {
    pub name: String,
    pub industry: &'static str,
    pub founded: NaiveDate,
    /// The eight characters of its organisation code's body.
    pub code_body: String,
    pub team: u32,
    pub founders: [&'static str; 2],
    /// Its registered capital in yuan, and the share (in per cent) the carrier takes at formation.
    pub capital_yuan: i64,
    pub carrier_percent: i64,
}

/// How the carrier holds its stake: the money of a round, in yuan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RoundPlan {
    pub angel: bool,
    pub pre_money: i64,
    pub investor: i64,
    pub follow_on: i64,
}

/// What happens, in the order it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// The company's record is made and its application submitted.
    Apply {
        company: Company,
        site: usize,
        start: NaiveDate,
        months: u32,
        unit: usize,
    },
    Review {
        company: Company,
    },
    Reject {
        company: Company,
    },
    Withdraw {
        company: Company,
    },
    /// Admitted, and the lease signed from `start` to `last` on the unit.
    Admit {
        company: Company,
        site: usize,
        unit: usize,
        start: NaiveDate,
        last: NaiveDate,
        rent_free: u32,
        equity: bool,
    },
    /// The carrier takes its stake at formation (dated the company's founding).
    Formation {
        company: Company,
    },
    /// The rent-for-equity months converted into capital.
    Convert {
        company: Company,
    },
    Round {
        company: Company,
        round: RoundPlan,
    },
    Renew {
        company: Company,
        last: NaiveDate,
    },
    EndEarly {
        company: Company,
        last: NaiveDate,
    },
    HighTech {
        company: Company,
    },
    Graduate {
        company: Company,
        financing: bool,
    },
    Exit {
        company: Company,
    },
    /// A carrier files its annual return for `year`.
    Return {
        site: usize,
        year: i32,
    },
}

/// A step on its day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Event {
    pub on: NaiveDate,
    pub step: Step,
}

/// The whole history.
#[derive(Debug, Default)]
pub(super) struct Plan {
    pub companies: Vec<Profile>,
    pub events: Vec<Event>,
}

const HEADS: &[&str] = &["临沂", "山东"];
const PREFIXES: &[&str] =
    &["沂蒙", "琅琊", "蒙山", "沂河", "沭河", "银雀", "凤凰", "金雀", "书圣", "龙湖", "北城", "祊河"];
const CORES: &[&str] = &[
    "华创", "瑞思", "启明", "博远", "恒信", "天合", "中科", "睿联", "汇智", "星辰", "鼎盛", "优能", "泰和", "德润",
    "新禾", "聚力", "云帆", "青橙", "领航", "安澜", "长风", "远景", "合众", "至诚",
];
const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "赵", "孙", "周", "吴", "徐", "朱", "马", "胡", "郭", "林"];
const GIVEN: &[&str] =
    &["浩然", "思远", "雨桐", "子涵", "明轩", "晓东", "建华", "海燕", "志强", "婷婷", "俊杰", "欣怡"];
/// The organisation code's alphabet (GB 32100: no I, O, S, V or Z).
const CODE_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The line of business a company of `industry` names itself by.
fn business(industry: &str) -> &'static str {
    match industry {
        "new_generation_it" => "信息技术",
        "high_end_equipment" => "智能装备",
        "new_materials" => "新材料",
        "biomedicine" => "生物科技",
        "energy_saving_environmental" => "环保科技",
        "new_energy" | "new_energy_vehicles" => "新能源科技",
        "digital_creative" => "文化科技",
        "modern_agriculture" => "农业科技",
        "modern_services" => "电子商务",
        _ => "科技",
    }
}

fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}

fn add_days(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days)).unwrap_or(day)
}

fn sub_days(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(days)).unwrap_or(day)
}

impl Plan {
    /// The history of `sites` up to `today`, from `seed`.
    pub(super) fn new(sites: &[Site], today: NaiveDate, seed: u64) -> Self {
        let mut plan = Self::default();
        let mut rng = Rng::new(seed);
        let mut names = std::collections::BTreeSet::new();
        for (s, site) in sites.iter().enumerate() {
            for u in 0..site.units.len() {
                plan.walk(&mut rng, &mut names, sites, s, u, today);
            }
            plan.returns(&mut rng, site, s, today);
            if site.showcase && !site.units.is_empty() {
                for (ago, reviewed) in [(3, false), (12, true)] {
                    let submitted = sub_days(today, ago);
                    let company = plan.company(&mut rng, &mut names, site, submitted);
                    let start = add_months(today, 1);
                    plan.push(submitted, Step::Apply { company, site: s, start, months: 24, unit: 0 });
                    if reviewed {
                        plan.push(add_days(submitted, 2), Step::Review { company });
                    }
                }
            }
        }
        // A stable sort: a company's steps planned on one day keep their order.
        plan.events.sort_by_key(|e| e.on);
        plan
    }

    fn company(
        &mut self,
        rng: &mut Rng,
        names: &mut std::collections::BTreeSet<String>,
        site: &Site,
        applied: NaiveDate,
    ) -> Company {
        let industry = *rng.pick(site.industries);
        // A free name: a few random tries, then the first free one in order, then numbered (a
        // city far bigger than Linyi runs out of word pairs).
        let line = business(industry);
        let compose = |head: &str, prefix: &str, core: &str| format!("{head}{prefix}{core}{line}有限公司");
        let mut name = String::new();
        for _ in 0..16 {
            let (head, prefix, core): (&&str, &&str, &&str) = (rng.pick(HEADS), rng.pick(PREFIXES), rng.pick(CORES));
            let candidate = compose(head, prefix, core);
            if !names.contains(&candidate) {
                name = candidate;
                break;
            }
        }
        if name.is_empty() {
            let mut free = HEADS
                .iter()
                .flat_map(|h| PREFIXES.iter().flat_map(move |p| CORES.iter().map(move |c| compose(h, p, c))));
            name =
                free.find(|n| !names.contains(n)).unwrap_or_else(|| format!("临沂{}号{line}有限公司", names.len() + 1));
        }
        names.insert(name.clone());
        let code_body: String = (0..8)
            .map(|i| {
                let alphabet = if i == 0 { &CODE_ALPHABET[10..] } else { CODE_ALPHABET };
                char::from(*rng.pick(alphabet))
            })
            .collect();
        let founded = sub_days(applied, rng.range(60, 900));
        self.companies.push(Profile {
            name,
            industry,
            founded,
            code_body,
            team: u32::try_from(rng.range(3, 31)).unwrap_or(5),
            founders: [*rng.pick(SURNAMES), *rng.pick(GIVEN)],
            capital_yuan: *rng.pick(&[500_000, 1_000_000, 1_000_000, 2_000_000]),
            carrier_percent: i64::try_from(rng.range(5, 11)).unwrap_or(5),
        });
        self.companies.len() - 1
    }

    fn push(&mut self, on: NaiveDate, step: Step) {
        self.events.push(Event { on, step });
    }

    /// One unit's tenancies, one after another.
    fn walk(
        &mut self,
        rng: &mut Rng,
        names: &mut std::collections::BTreeSet<String>,
        sites: &[Site],
        s: usize,
        u: usize,
        today: NaiveDate,
    ) {
        let site = &sites[s];
        let unit = &site.units[u];
        let mut start = add_days(unit.from.max(PROGRAMME_START), rng.range(30, 300));
        loop {
            let submitted = sub_days(start, rng.range(25, 60));
            if submitted > today || submitted < site.opened {
                return;
            }
            let months = *rng.pick(&[24, 36, 36, 48]);
            // A unit about to close for renovation is not let again.
            let mut last = add_months(start, months).pred_opt().unwrap_or(start);
            if let Some(until) = unit.until {
                if add_months(start, 6) >= until {
                    return;
                }
                last = last.min(until.pred_opt().unwrap_or(until));
            }
            let reviewed = add_days(submitted, rng.range(2, 6));
            let decided = add_days(submitted, rng.range(8, 20));
            let company = self.company(rng, names, site, submitted);
            self.push(submitted, Step::Apply { company, site: s, start, months, unit: u });
            // Now and then a second company wants the same space and does not get it.
            if rng.chance(12) {
                let other = self.company(rng, names, site, submitted);
                let applied = add_days(submitted, rng.range(0, 6));
                if applied <= today {
                    self.push(applied, Step::Apply { company: other, site: s, start, months, unit: u });
                    if rng.chance(30) {
                        if decided <= today {
                            self.push(decided, Step::Withdraw { company: other });
                        }
                    } else if reviewed.max(applied) <= today {
                        self.push(reviewed.max(applied), Step::Review { company: other });
                        if decided <= today {
                            self.push(decided, Step::Reject { company: other });
                        }
                    }
                }
            }
            // Of the applications waiting today, about half are still to be looked at.
            if reviewed <= today && (decided <= today || rng.chance(50)) {
                self.push(reviewed, Step::Review { company });
            }
            if decided > today {
                // Waiting for the operator's decision today.
                return;
            }
            let equity = site.shareholder && rng.chance(25);
            let rent_free = *rng.pick(&[0, 0, 1, 2, 3]);
            self.push(decided, Step::Admit { company, site: s, unit: u, start, last, rent_free, equity });
            let formed = site.shareholder && (equity || rng.chance(60));
            if formed {
                self.push(decided, Step::Formation { company });
            }
            let converted = add_months(start, 6);
            if equity && converted <= last && converted <= today {
                self.push(converted, Step::Convert { company });
            }
            // An early end, now and then, in the first term.
            if rng.chance(8) && months > 12 {
                let end = add_months(start, u32::try_from(rng.range(9, u64::from(months) - 2)).unwrap_or(9));
                // Ended before today: the exit the day after is not in the future.
                if end < last && end < today {
                    // Notice given two months ahead, before the space is offered again.
                    self.push(sub_days(end, 60), Step::EndEarly { company, last: end });
                    self.push(add_days(end, 1), Step::Exit { company });
                    start = add_days(end, rng.range(30, 200));
                    continue;
                }
            }
            // Money raised while in incubation, the carrier following on.
            let mut raised_a = false;
            let mut final_last = last;
            let mut renewals = 0;
            while final_last - chrono::Duration::days(45) <= today && renewals < 2 && rng.chance(50) {
                let longer = add_months(final_last, *rng.pick(&[12, 12, 24]));
                let longer = match unit.until {
                    Some(until) => longer.min(until.pred_opt().unwrap_or(until)),
                    None => longer,
                };
                // Renewals stop at the 48-month incubation limit, but for the odd tenant that
                // stays on past it (which the operator's to-do list flags).
                let limit = add_months(start, 48).pred_opt().unwrap_or(start);
                let longer = if rng.chance(12) { longer } else { longer.min(limit) };
                if longer <= final_last {
                    break;
                }
                self.push(sub_days(final_last, 45), Step::Renew { company, last: longer });
                final_last = longer;
                renewals += 1;
            }
            if formed && rng.chance(40) {
                let angel_on = add_months(start, u32::try_from(rng.range(4, 16)).unwrap_or(4));
                if angel_on < final_last && angel_on <= today && angel_on > converted.min(final_last) {
                    let pre_money = i64::try_from(rng.range(6, 21)).unwrap_or(6) * 1_000_000;
                    let investor = i64::try_from(rng.range(10, 31)).unwrap_or(10) * 100_000;
                    let follow_on = investor / 10 * i64::try_from(rng.range(1, 3)).unwrap_or(1);
                    self.push(
                        angel_on,
                        Step::Round { company, round: RoundPlan { angel: true, pre_money, investor, follow_on } },
                    );
                    let a_on = add_months(angel_on, u32::try_from(rng.range(10, 19)).unwrap_or(10));
                    if rng.chance(45) && a_on < final_last && a_on <= today {
                        let pre_money = pre_money * i64::try_from(rng.range(3, 6)).unwrap_or(3);
                        let investor = i64::try_from(rng.range(6, 13)).unwrap_or(6) * 1_000_000;
                        self.push(
                            a_on,
                            Step::Round {
                                company,
                                round: RoundPlan { angel: false, pre_money, investor, follow_on: investor / 20 },
                            },
                        );
                        raised_a = true;
                    }
                }
            }
            if final_last >= today {
                // Still a tenant today (or about to become one).
                return;
            }
            if raised_a {
                self.push(final_last, Step::Graduate { company, financing: true });
            } else if rng.chance(35) {
                self.push(sub_days(final_last, rng.range(30, 120)).max(start), Step::HighTech { company });
                self.push(final_last, Step::Graduate { company, financing: false });
            } else {
                self.push(add_days(final_last, 1), Step::Exit { company });
            }
            start = add_days(final_last, rng.range(90, 420));
        }
    }

    /// The carrier's annual returns, filed each January for the year before; the last year's is
    /// missing at every fifth carrier (and at a fresh one).
    fn returns(&mut self, rng: &mut Rng, site: &Site, s: usize, today: NaiveDate) {
        let first = site.opened.year().max(PROGRAMME_START.year());
        for year in first..today.year() {
            let filed = NaiveDate::from_ymd_opt(year + 1, 1, 20).unwrap_or(today);
            let last_year = year == today.year() - 1;
            if filed > today || (last_year && (site.index.is_multiple_of(5) || rng.chance(10))) {
                continue;
            }
            self.push(filed, Step::Return { site: s, year });
        }
    }
}

impl Plan {
    /// What the history says happened to each company it admitted: the account the demo city's
    /// figures are checked against.
    pub(super) fn tenancies(&self, sites: &[Site]) -> Vec<super::Tenancy> {
        let mut tenancies: Vec<super::Tenancy> = Vec::new();
        let mut of: std::collections::BTreeMap<Company, usize> = std::collections::BTreeMap::new();
        for event in &self.events {
            let at = |company: &Company| of.get(company).copied();
            match &event.step {
                Step::Admit { company, site, start, last, .. } => {
                    of.insert(*company, tenancies.len());
                    tenancies.push(super::Tenancy {
                        startup: self.companies[*company].name.clone(),
                        industry: self.companies[*company].industry,
                        carrier: super::carriers::CARRIERS[sites[*site].index].0,
                        starts_on: *start,
                        last_day: *last,
                        graduated_on: None,
                        exited_on: None,
                    });
                }
                Step::Renew { company, last } | Step::EndEarly { company, last } => {
                    if let Some(i) = at(company) {
                        tenancies[i].last_day = *last;
                    }
                }
                Step::Graduate { company, .. } => {
                    if let Some(i) = at(company) {
                        tenancies[i].graduated_on = Some(event.on);
                    }
                }
                Step::Exit { company } => {
                    if let Some(i) = at(company) {
                        tenancies[i].exited_on = Some(event.on);
                    }
                }
                _ => {}
            }
        }
        tenancies
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn sites() -> Vec<Site> {
        (0..6)
            .map(|index| Site {
                index,
                opened: day(2015 + i32::try_from(index).unwrap(), 3, 1),
                shareholder: index % 2 == 0,
                industries: &["new_generation_it", "biomedicine"],
                units: (0..10)
                    .map(|u| Unit {
                        id: i64::try_from(index * 100 + u).unwrap(),
                        from: day(2016 + i32::try_from(u % 5).unwrap(), 6, 1),
                        until: (u == 3).then(|| day(2022, 1, 1)),
                        monthly_fen: 1_500_000,
                        desks: None,
                        usable_m2: 300,
                    })
                    .collect(),
                showcase: index == 0,
            })
            .collect()
    }

    /// The lease periods each unit's walk produced, with their renewals and early ends applied.
    fn periods(plan: &Plan) -> std::collections::BTreeMap<(usize, usize), Vec<(NaiveDate, NaiveDate)>> {
        let mut lease_of: std::collections::BTreeMap<Company, ((usize, usize), usize)> = Default::default();
        let mut periods: std::collections::BTreeMap<(usize, usize), Vec<(NaiveDate, NaiveDate)>> = Default::default();
        for event in &plan.events {
            match &event.step {
                Step::Admit { company, site, unit, start, last, .. } => {
                    let list = periods.entry((*site, *unit)).or_default();
                    list.push((*start, *last));
                    lease_of.insert(*company, ((*site, *unit), list.len() - 1));
                }
                Step::Renew { company, last } | Step::EndEarly { company, last } => {
                    let (key, i) = lease_of[company];
                    periods.get_mut(&key).unwrap()[i].1 = *last;
                }
                _ => {}
            }
        }
        periods
    }

    #[test]
    fn the_same_seed_gives_the_same_city_and_another_seed_another() {
        let today = day(2026, 11, 30);
        let one = Plan::new(&sites(), today, 7);
        let two = Plan::new(&sites(), today, 7);
        assert_eq!(one.events, two.events);
        assert_eq!(one.companies.len(), two.companies.len());
        assert_ne!(Plan::new(&sites(), today, 8).events, one.events);
    }

    #[test]
    fn no_unit_is_let_twice_on_a_day_nor_out_of_service_nor_before_it_opened() {
        let today = day(2026, 11, 30);
        let sites = sites();
        let plan = Plan::new(&sites, today, 2017);
        let periods = periods(&plan);
        assert!(periods.values().map(Vec::len).sum::<usize>() > 50, "a busy city");
        for ((s, u), list) in &periods {
            let unit = &sites[*s].units[*u];
            for (i, (start, last)) in list.iter().enumerate() {
                assert!(start <= last);
                assert!(*start >= unit.from && *start >= PROGRAMME_START);
                assert!(unit.until.is_none_or(|until| *last < until), "{start}–{last} after {:?}", unit.until);
                if let Some((next, _)) = list.get(i + 1) {
                    assert!(next > last, "{start}–{last} overlaps the next lease from {next}");
                }
            }
        }
    }

    #[test]
    fn nothing_happens_after_today_and_each_company_moves_forward_in_time() {
        let today = day(2026, 11, 30);
        let plan = Plan::new(&sites(), today, 2017);
        assert!(plan.events.iter().all(|e| e.on <= today));
        assert!(plan.events.windows(2).all(|w| w[0].on <= w[1].on));
        // Each company graduates or leaves at most once, and only after it was admitted.
        let mut admitted = std::collections::BTreeSet::new();
        let mut done = std::collections::BTreeSet::new();
        for event in &plan.events {
            match event.step {
                Step::Admit { company, .. } => assert!(admitted.insert(company)),
                Step::Graduate { company, .. } | Step::Exit { company } => {
                    assert!(admitted.contains(&company));
                    assert!(done.insert(company), "company {company} leaves twice");
                }
                _ => {}
            }
        }
        // Each company's steps come in the order of its life: applied, reviewed, decided, its
        // stake taken, then the lease's events, then graduation or exit, last.
        let rank = |step: &Step| match step {
            Step::Apply { .. } => 0,
            Step::Review { .. } => 1,
            Step::Admit { .. } | Step::Reject { .. } | Step::Withdraw { .. } => 2,
            Step::Formation { .. } => 3,
            Step::Convert { .. } | Step::Round { .. } | Step::Renew { .. } | Step::EndEarly { .. } => 4,
            Step::HighTech { .. } => 5,
            Step::Graduate { .. } | Step::Exit { .. } => 6,
            Step::Return { .. } => 7,
        };
        let company = |step: &Step| match *step {
            Step::Apply { company, .. }
            | Step::Review { company }
            | Step::Reject { company }
            | Step::Withdraw { company }
            | Step::Admit { company, .. }
            | Step::Formation { company }
            | Step::Convert { company }
            | Step::Round { company, .. }
            | Step::Renew { company, .. }
            | Step::EndEarly { company, .. }
            | Step::HighTech { company }
            | Step::Graduate { company, .. }
            | Step::Exit { company } => Some(company),
            Step::Return { .. } => None,
        };
        let mut reached: std::collections::BTreeMap<Company, i32> = Default::default();
        for event in &plan.events {
            if let Some(c) = company(&event.step) {
                let r = rank(&event.step);
                let before = reached.insert(c, r).unwrap_or(-1);
                assert!(before <= r || (before == 4 && r == 4), "company {c}: {:?} after rank {before}", event.step);
            }
        }
        // Nothing waits long: an application is decided within three weeks of its submission,
        // so those still open today were submitted in the last three weeks.
        let decided: std::collections::BTreeSet<Company> = plan
            .events
            .iter()
            .filter_map(|e| match e.step {
                Step::Admit { company, .. } | Step::Reject { company } | Step::Withdraw { company } => Some(company),
                _ => None,
            })
            .collect();
        let open: Vec<&Event> = plan
            .events
            .iter()
            .filter(|e| matches!(e.step, Step::Apply { company, .. } if !decided.contains(&company)))
            .collect();
        assert!(open.iter().all(|e| (today - e.on).num_days() <= 21), "{:?}", open.iter().map(|e| e.on).min());
        // Some wait for a decision today; some have graduated, some left; names are unique.
        assert!(plan.events.iter().any(|e| matches!(e.step, Step::Graduate { financing: true, .. })));
        assert!(plan.events.iter().any(|e| matches!(e.step, Step::Graduate { financing: false, .. })));
        assert!(plan.events.iter().any(|e| matches!(e.step, Step::Reject { .. })));
        assert!(plan.events.iter().any(|e| matches!(e.step, Step::Convert { .. })));
        let names: std::collections::BTreeSet<_> = plan.companies.iter().map(|c| &c.name).collect();
        assert_eq!(names.len(), plan.companies.len());
    }
}
