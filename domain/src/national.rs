//! The national accreditation criteria, as written. Each rule carries the clause it encodes, in
//! the words of the text, so that a reader (and the tests below) can hold the threshold against
//! its source. An installation starts with these rule sets; bureau staff may edit them
//! afterwards, as the rules or the province's practice change.
//!
//! Sources:
//! - 《科技企业孵化器管理办法》（国科发区〔2018〕300号），第十条: the conditions for a national
//!   incubator (一)–(七), the specialised-incubator variant (八), the tenants' conditions (九, in
//!   `crate::tenancy::startup`), and the relaxation for hardship areas;
//! - 《国家众创空间备案暂行规定》（国科火字〔2017〕120号）: the filing conditions of a maker-space.

use crate::carrier::CarrierKind;
use crate::readiness::Metric;

/// The incubator measures of 2018.
pub const INCUBATOR_MEASURES: &str = "《科技企业孵化器管理办法》（国科发区〔2018〕300号）";
/// The maker-space filing rules of 2017.
pub const MAKER_SPACE_RULES: &str = "《国家众创空间备案暂行规定》（国科火字〔2017〕120号）";

/// The share by which the relaxation for hardship areas lowers a threshold, in per cent.
pub const HARDSHIP_REDUCTION_PERCENT: i64 = 20;

/// The metrics the hardship relaxation lowers: "场地面积、在孵企业数量、孵化资金规模、知识产权比例"
/// (area; the tenant counts — tenants, tenants per 1,000 m², graduates; the fund; the IP ratios).
pub const REDUCED_METRICS: [Metric; 7] = [
    Metric::GrossArea,
    Metric::Tenants,
    Metric::TenantsPer1000,
    Metric::Graduates,
    Metric::Fund,
    Metric::PatentShare,
    Metric::IpShare,
];

/// One rule: the clause it encodes (article and item, and the words), the label it shows, and
/// the test: `metric ≥ threshold`, or else `alternative`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Article and item, e.g. `第十条（五）`.
    pub clause: &'static str,
    /// The words of the clause this rule checks.
    pub text: &'static str,
    pub label_en: &'static str,
    pub metric: Metric,
    pub threshold: i64,
    pub alternative: Option<(Metric, i64)>,
}

impl Rule {
    /// The label a checklist shows: the clause's own words, with the relaxation named when it
    /// lowered this rule.
    pub fn label_zh(&self, reduced: bool) -> String {
        if reduced && self.is_reduced_by_hardship() {
            format!("{}（按条件放宽降低{HARDSHIP_REDUCTION_PERCENT}%）", self.text)
        } else {
            self.text.to_owned()
        }
    }

    pub fn label_en(&self, reduced: bool) -> String {
        if reduced && self.is_reduced_by_hardship() {
            format!("{} (relaxed by {HARDSHIP_REDUCTION_PERCENT} %)", self.label_en)
        } else {
            self.label_en.to_owned()
        }
    }

    fn is_reduced_by_hardship(&self) -> bool {
        REDUCED_METRICS.contains(&self.metric) || self.alternative.is_some_and(|(m, _)| REDUCED_METRICS.contains(&m))
    }

    /// The rule with the hardship relaxation applied to the thresholds it lowers.
    pub fn reduced(&self) -> Rule {
        let lower = |metric: Metric, threshold: i64| {
            if REDUCED_METRICS.contains(&metric) { reduce(threshold) } else { threshold }
        };
        Rule {
            threshold: lower(self.metric, self.threshold),
            alternative: self.alternative.map(|(m, t)| (m, lower(m, t))),
            ..self.clone()
        }
    }
}

/// A threshold lowered by the hardship relaxation, rounded up (a "not below" threshold must not
/// be relaxed by more than the text allows).
pub fn reduce(threshold: i64) -> i64 {
    let kept = i128::from(threshold) * i128::from(100 - HARDSHIP_REDUCTION_PERCENT);
    i64::try_from((kept + 99).div_euclid(100)).unwrap_or(i64::MAX)
}

/// A national rule set: which carriers it is for and its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalSet {
    pub code: &'static str,
    pub name_zh: String,
    pub name_en: String,
    pub kind: CarrierKind,
    /// For specialised incubators (专业孵化器).
    pub specialised: bool,
    /// With the hardship relaxation applied.
    pub relaxed: bool,
    pub rules: Vec<Rule>,
}

const fn rule(
    clause: &'static str,
    text: &'static str,
    label_en: &'static str,
    metric: Metric,
    threshold: i64,
    alternative: Option<(Metric, i64)>,
) -> Rule {
    Rule { clause, text, label_en, metric, threshold, alternative }
}

/// 第十条 (一)–(五): the conditions every national incubator meets, general or specialised.
const INCUBATOR_COMMON: [Rule; 13] = [
    rule(
        "第十条（一）",
        "孵化器具有独立法人资格，发展方向明确，具备完善的运营管理体系和孵化服务机制",
        "An independent legal person with a clear direction, management system and services",
        Metric::Review,
        0,
        None,
    ),
    rule(
        "第十条（一）",
        "机构实际注册并运营满3年",
        "Registered and operating for at least 3 years",
        Metric::OperatingMonths,
        36,
        None,
    ),
    rule(
        "第十条（一）",
        "至少连续2年报送真实完整的统计数据",
        "Statistics reported for at least 2 consecutive years",
        Metric::ReportedYears,
        2,
        None,
    ),
    rule(
        "第十条（二）",
        "孵化场地集中",
        "Incubation space concentrated on one site",
        Metric::ConcentratedSite,
        1,
        None,
    ),
    rule(
        "第十条（二）",
        "可自主支配的孵化场地面积不低于10000平方米",
        "At least 10,000 m² of incubation space at its own disposal",
        Metric::GrossArea,
        1_000_000,
        None,
    ),
    rule(
        "第十条（二）",
        "其中，在孵企业使用面积（含公共服务面积）占75%以上",
        "At least 75 % used by tenants, public-service area included",
        Metric::TenantUseShare,
        7_500,
        None,
    ),
    rule(
        "第十条（三）",
        "孵化器配备自有种子资金或合作的孵化资金规模不低于500万元人民币",
        "An own or partnered incubation fund of at least 5 million yuan",
        Metric::Fund,
        500_000_000,
        None,
    ),
    rule(
        "第十条（三）",
        "获得投融资的在孵企业占比不低于10%",
        "At least 10 % of tenants financed",
        Metric::FinancedShare,
        1_000,
        None,
    ),
    rule(
        "第十条（三）",
        "并有不少于3个的资金使用案例",
        "At least 3 investment cases",
        Metric::InvestedStartups,
        3,
        None,
    ),
    rule(
        "第十条（四）",
        "专业孵化服务人员……占机构总人数80%以上",
        "Professional incubation staff at least 80 % of all staff",
        Metric::ProfessionalShare,
        8_000,
        None,
    ),
    rule(
        "第十条（四）",
        "每10家在孵企业至少配备1名专业孵化服务人员",
        "At least 1 professional per 10 tenants",
        Metric::StaffPer10Tenants,
        100,
        None,
    ),
    rule(
        "第十条（四）",
        "每10家在孵企业至少配备……1名创业导师",
        "At least 1 mentor per 10 tenants",
        Metric::MentorsPer10Tenants,
        100,
        None,
    ),
    rule(
        "第十条（五）",
        "孵化器在孵企业中已申请专利的企业占在孵企业总数比例不低于50%或拥有有效知识产权的企业占比不低于30%",
        "At least 50 % of tenants applied for patents, or at least 30 % hold valid IP",
        Metric::PatentShare,
        5_000,
        Some((Metric::IpShare, 3_000)),
    ),
];

/// 第十条（六）（七）: a general incubator's tenants and graduates.
const INCUBATOR_GENERAL: [Rule; 3] = [
    rule("第十条（六）", "孵化器在孵企业不少于50家", "At least 50 tenants", Metric::Tenants, 50, None),
    rule(
        "第十条（六）",
        "且每千平方米平均在孵企业不少于3家",
        "At least 3 tenants per 1,000 m²",
        Metric::TenantsPer1000,
        300,
        None,
    ),
    rule("第十条（七）", "孵化器累计毕业企业应达到20家以上", "At least 20 graduates", Metric::Graduates, 20, None),
];

/// 第十条（八）, the specialised incubator: one industry, fewer tenants and graduates.
const INCUBATOR_SPECIALISED: [Rule; 4] = [
    rule(
        "第十条（八）",
        "在同一产业领域从事研发、生产的企业占在孵企业总数的75%以上",
        "At least 75 % of tenants in one industry",
        Metric::IndustryShare,
        7_500,
        None,
    ),
    rule("第十条（八）", "专业孵化器内在孵企业应不少于30家", "At least 30 tenants", Metric::Tenants, 30, None),
    rule(
        "第十条（八）",
        "且每千平方米平均在孵企业不少于2家",
        "At least 2 tenants per 1,000 m²",
        Metric::TenantsPer1000,
        200,
        None,
    ),
    rule("第十条（八）", "累计毕业企业应达到15家以上", "At least 15 graduates", Metric::Graduates, 15, None),
];

/// The maker-space filing conditions.
const MAKER_SPACE: [Rule; 11] = [
    rule(
        "备案条件（一）",
        "发展方向明确、模式清晰，设立专门运营管理机构",
        "A clear direction and model, with a dedicated operating body",
        Metric::Review,
        0,
        None,
    ),
    rule("备案条件（二）", "运营时间满18个月", "Operating for at least 18 months", Metric::OperatingMonths, 18, None),
    rule(
        "备案条件（三）",
        "拥有不低于500平方米的服务场地，或提供不少于30个创业工位",
        "At least 500 m² of space, or at least 30 workstations",
        Metric::GrossArea,
        50_000,
        Some((Metric::Desks, 30)),
    ),
    rule(
        "备案条件（三）",
        "创业工位和公共服务场地面积不低于总面积的75%",
        "Workstations and public-service space at least 75 % of the area",
        Metric::TenantUseShare,
        7_500,
        None,
    ),
    rule(
        "备案条件（四）",
        "年协议入驻创业团队和企业不低于20家",
        "At least 20 teams admitted a year",
        Metric::AdmittedLastYear,
        20,
        None,
    ),
    rule(
        "备案条件（四）",
        "每年注册成为新企业数不低于10家，或每年有不低于5家获得融资",
        "At least 10 new companies a year, or 5 financed",
        Metric::NewCompaniesLastYear,
        10,
        Some((Metric::FinancedLastYear, 5)),
    ),
    rule(
        "备案条件（四）",
        "每年有不少于3个典型孵化案例",
        "At least 3 typical cases a year",
        Metric::TypicalCases,
        3,
        None,
    ),
    rule(
        "备案条件（五）",
        "至少3名具备专业服务能力的专职人员",
        "At least 3 professional staff",
        Metric::ProfessionalStaff,
        3,
        None,
    ),
    rule("备案条件（五）", "聘请至少3名专兼职导师", "At least 3 mentors", Metric::Mentors, 3, None),
    rule(
        "备案条件（六）",
        "每年开展创业沙龙、路演、大赛、培训等活动不少于10场次",
        "At least 10 events a year",
        Metric::EventsHeld,
        10,
        None,
    ),
    rule("备案条件（七）", "按要求上报统计数据", "Statistics reported", Metric::ReportedYears, 1, None),
];

/// The national rule sets an installation starts with: the incubator conditions in their four
/// variants (general or specialised, with or without the hardship relaxation) and the
/// maker-space filing conditions.
pub fn rule_sets() -> Vec<NationalSet> {
    let mut sets = Vec::new();
    for (specialised, reduced) in [(false, false), (true, false), (false, true), (true, true)] {
        let mut rules: Vec<Rule> = INCUBATOR_COMMON.to_vec();
        rules.extend(if specialised { INCUBATOR_SPECIALISED.to_vec() } else { INCUBATOR_GENERAL.to_vec() });
        if reduced {
            rules = rules.iter().map(Rule::reduced).collect();
        }
        let code = match (specialised, reduced) {
            (false, false) => "national_incubator_2018",
            (true, false) => "national_incubator_2018_specialised",
            (false, true) => "national_incubator_2018_relaxed",
            (true, true) => "national_incubator_2018_specialised_relaxed",
        };
        let (zh_variant, en_variant) = match (specialised, reduced) {
            (false, false) => ("", ""),
            (true, false) => ("·专业孵化器", ", specialised"),
            (false, true) => ("·条件放宽地区", ", relaxed for hardship areas"),
            (true, true) => ("·专业孵化器·条件放宽地区", ", specialised, relaxed for hardship areas"),
        };
        sets.push(NationalSet {
            code,
            name_zh: format!("国家级科技企业孵化器认定条件（2018）{zh_variant}"),
            name_en: format!("National incubator criteria (2018){en_variant}"),
            kind: CarrierKind::Incubator,
            specialised,
            relaxed: reduced,
            rules,
        });
    }
    sets.push(NationalSet {
        code: "national_maker_space",
        name_zh: "国家众创空间备案条件".to_owned(),
        name_en: "National maker-space filing criteria".to_owned(),
        kind: CarrierKind::MakerSpace,
        specialised: false,
        relaxed: false,
        rules: MAKER_SPACE.to_vec(),
    });
    sets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readiness::{Criterion, Figure, Figures, Outcome, Source, check};

    fn set(specialised: bool, reduced: bool) -> NationalSet {
        rule_sets()
            .into_iter()
            .find(|s| s.kind == CarrierKind::Incubator && s.specialised == specialised && s.relaxed == reduced)
            .unwrap()
    }

    fn rule_for(set: &NationalSet, metric: Metric) -> Rule {
        set.rules.iter().find(|r| r.metric == metric).cloned().unwrap_or_else(|| panic!("no rule on {metric:?}"))
    }

    fn outcome(rule: &Rule, figures: &[(Metric, i64)]) -> Outcome {
        let criterion = Criterion {
            id: 0,
            position: 0,
            label_zh: rule.text.to_owned(),
            label_en: rule.label_en.to_owned(),
            metric: rule.metric,
            threshold: rule.threshold,
            alternative: rule.alternative,
        };
        let figures = Figures(
            figures.iter().map(|(m, v)| (*m, Figure { value: Some(*v), source: Source::TenantRecords })).collect(),
        );
        check(&criterion, &figures).outcome
    }

    /// 第十条（五）："孵化器在孵企业中已申请专利的企业占在孵企业总数比例不低于50%或拥有有效
    /// 知识产权的企业占比不低于30%".
    #[test]
    fn the_ip_criterion_is_half_applied_for_patents_or_thirty_per_cent_holding_ip() {
        let ip = rule_for(&set(false, false), Metric::PatentShare);
        assert_eq!(ip.clause, "第十条（五）");
        assert!(ip.text.contains("不低于50%") && ip.text.contains("不低于30%"), "{}", ip.text);
        assert_eq!((ip.threshold, ip.alternative), (5_000, Some((Metric::IpShare, 3_000))));
        // A carrier where 30 % hold IP qualifies, though few applied for patents.
        assert_eq!(outcome(&ip, &[(Metric::PatentShare, 1_000), (Metric::IpShare, 3_000)]), Outcome::Pass);
        assert_eq!(outcome(&ip, &[(Metric::PatentShare, 1_000), (Metric::IpShare, 2_999)]), Outcome::Fail);
        assert_eq!(outcome(&ip, &[(Metric::PatentShare, 5_000), (Metric::IpShare, 0)]), Outcome::Pass);
        assert_eq!(outcome(&ip, &[(Metric::PatentShare, 4_999), (Metric::IpShare, 2_999)]), Outcome::Fail);
    }

    /// 第十条（一）："机构实际注册并运营满3年，且至少连续2年报送真实完整的统计数据".
    #[test]
    fn three_years_operating_and_two_consecutive_years_reported() {
        let general = set(false, false);
        assert_eq!(rule_for(&general, Metric::OperatingMonths).threshold, 36);
        assert_eq!(rule_for(&general, Metric::ReportedYears).threshold, 2);
        assert_eq!(rule_for(&general, Metric::Review).metric, Metric::Review);
    }

    /// 第十条（二）："孵化场地集中，可自主支配的孵化场地面积不低于10000平方米。其中，在孵企业使用
    /// 面积（含公共服务面积）占75%以上".
    #[test]
    fn ten_thousand_square_metres_on_one_site_three_quarters_for_tenants() {
        let general = set(false, false);
        let area = rule_for(&general, Metric::GrossArea);
        assert_eq!(area.threshold, 1_000_000, "10,000 m² in hundredths");
        assert_eq!(outcome(&area, &[(Metric::GrossArea, 999_999)]), Outcome::Fail);
        assert_eq!(rule_for(&general, Metric::TenantUseShare).threshold, 7_500);
        assert_eq!(rule_for(&general, Metric::ConcentratedSite).text, "孵化场地集中");
    }

    /// 第十条（三）："孵化资金规模不低于500万元人民币，获得投融资的在孵企业占比不低于10%，并有不少于
    /// 3个的资金使用案例".
    #[test]
    fn five_million_yuan_ten_per_cent_financed_three_cases() {
        let general = set(false, false);
        assert_eq!(rule_for(&general, Metric::Fund).threshold, 500_000_000, "5,000,000 yuan in fen");
        assert_eq!(rule_for(&general, Metric::FinancedShare).threshold, 1_000);
        assert_eq!(rule_for(&general, Metric::InvestedStartups).threshold, 3);
    }

    /// 第十条（四）："专业孵化服务人员……占机构总人数80%以上，每10家在孵企业至少配备1名专业孵化服务
    /// 人员和1名创业导师".
    #[test]
    fn eighty_per_cent_professionals_one_professional_and_one_mentor_per_ten_tenants() {
        let general = set(false, false);
        assert_eq!(rule_for(&general, Metric::ProfessionalShare).threshold, 8_000);
        assert_eq!(rule_for(&general, Metric::StaffPer10Tenants).threshold, 100, "1.00 per 10");
        assert_eq!(rule_for(&general, Metric::MentorsPer10Tenants).threshold, 100);
    }

    /// 第十条（六）（七）："孵化器在孵企业不少于50家且每千平方米平均在孵企业不少于3家"；"孵化器累计
    /// 毕业企业应达到20家以上".
    #[test]
    fn fifty_tenants_three_per_thousand_square_metres_twenty_graduates() {
        let general = set(false, false);
        assert_eq!(rule_for(&general, Metric::Tenants).threshold, 50);
        assert_eq!(rule_for(&general, Metric::TenantsPer1000).threshold, 300, "3.00 per 1,000 m²");
        assert_eq!(rule_for(&general, Metric::Graduates).threshold, 20);
        assert!(general.rules.iter().all(|r| r.metric != Metric::IndustryShare));
    }

    /// 第十条（八）："在同一产业领域从事研发、生产的企业占在孵企业总数的75%以上……可按专业孵化器进行
    /// 认定管理。专业孵化器内在孵企业应不少于30家且每千平方米平均在孵企业不少于2家；累计毕业企业应
    /// 达到15家以上".
    #[test]
    fn a_specialised_incubator_needs_one_industry_thirty_tenants_two_per_thousand_fifteen_graduates() {
        let specialised = set(true, false);
        assert_eq!(rule_for(&specialised, Metric::IndustryShare).threshold, 7_500);
        assert_eq!(rule_for(&specialised, Metric::Tenants).threshold, 30);
        assert_eq!(rule_for(&specialised, Metric::TenantsPer1000).threshold, 200);
        assert_eq!(rule_for(&specialised, Metric::Graduates).threshold, 15);
        // The common conditions stay: the area, the fund, the IP criterion.
        assert_eq!(rule_for(&specialised, Metric::GrossArea).threshold, 1_000_000);
        assert_eq!(rule_for(&specialised, Metric::PatentShare).alternative, Some((Metric::IpShare, 3_000)));
        assert_eq!(specialised.rules.iter().filter(|r| r.metric == Metric::Tenants).count(), 1);
    }

    /// The hardship relaxation: "场地面积、在孵企业数量、孵化资金规模、知识产权比例等要求可降低20%".
    #[test]
    fn the_hardship_relaxation_lowers_area_counts_fund_and_ip_ratios_by_a_fifth() {
        let relaxed = set(false, true);
        assert_eq!(rule_for(&relaxed, Metric::GrossArea).threshold, 800_000, "8,000 m²");
        assert_eq!(rule_for(&relaxed, Metric::Tenants).threshold, 40);
        assert_eq!(rule_for(&relaxed, Metric::TenantsPer1000).threshold, 240);
        assert_eq!(rule_for(&relaxed, Metric::Graduates).threshold, 16);
        assert_eq!(rule_for(&relaxed, Metric::Fund).threshold, 400_000_000, "4,000,000 yuan");
        let ip = rule_for(&relaxed, Metric::PatentShare);
        assert_eq!((ip.threshold, ip.alternative), (4_000, Some((Metric::IpShare, 2_400))));
        assert!(ip.label_zh(true).contains("降低20%"));
        // What the text does not name stays as it is.
        assert_eq!(rule_for(&relaxed, Metric::OperatingMonths).threshold, 36);
        assert_eq!(rule_for(&relaxed, Metric::TenantUseShare).threshold, 7_500);
        assert_eq!(rule_for(&relaxed, Metric::FinancedShare).threshold, 1_000);
        assert_eq!(
            rule_for(&relaxed, Metric::TenantUseShare).label_zh(true),
            "其中，在孵企业使用面积（含公共服务面积）占75%以上"
        );
        let both = set(true, true);
        assert_eq!(rule_for(&both, Metric::Tenants).threshold, 24);
        assert_eq!(rule_for(&both, Metric::Graduates).threshold, 12);
        assert_eq!(rule_for(&both, Metric::IndustryShare).threshold, 7_500, "the one-industry share is not a count");
        assert_eq!(reduce(3), 3, "2.4 rounds up: never relaxed beyond the text");
    }

    /// 《国家众创空间备案暂行规定》: "拥有不低于500平方米的服务场地，或提供不少于30个创业工位" and the
    /// other filing conditions.
    #[test]
    fn the_maker_space_conditions() {
        let sets = rule_sets();
        let maker = sets.iter().find(|s| s.kind == CarrierKind::MakerSpace).unwrap();
        let space = rule_for(maker, Metric::GrossArea);
        assert_eq!((space.threshold, space.alternative), (50_000, Some((Metric::Desks, 30))));
        assert_eq!(rule_for(maker, Metric::OperatingMonths).threshold, 18);
        assert_eq!(rule_for(maker, Metric::AdmittedLastYear).threshold, 20);
        let new = rule_for(maker, Metric::NewCompaniesLastYear);
        assert_eq!((new.threshold, new.alternative), (10, Some((Metric::FinancedLastYear, 5))));
        assert_eq!(rule_for(maker, Metric::TypicalCases).threshold, 3);
        assert_eq!(rule_for(maker, Metric::ProfessionalStaff).threshold, 3);
        assert_eq!(rule_for(maker, Metric::Mentors).threshold, 3);
        assert_eq!(rule_for(maker, Metric::EventsHeld).threshold, 10);
    }

    #[test]
    fn every_rule_quotes_a_clause_and_every_set_has_a_distinct_code() {
        let sets = rule_sets();
        let codes: std::collections::BTreeSet<_> = sets.iter().map(|s| s.code).collect();
        assert_eq!(codes.len(), sets.len());
        for s in &sets {
            for r in &s.rules {
                assert!(!r.clause.is_empty() && r.text.chars().count() >= 4, "{r:?}");
            }
        }
    }
}
