//! The equity ledger (股权台账) of a startup, as the forms post it and as the pages show it: the
//! kinds of holder, event and acquisition channel, the forms that record an event, and the
//! views of a cap table, a round and a carrier's portfolio. The arithmetic lives in
//! [`crate::equity`]; the service keeps the ledger append-only and applies it.

use crate::carrier::Industry;
use crate::equity::Fraction;
use crate::space::money;
use crate::validation::{self, FieldErrors, Problem};
use crate::{CarrierId, DistrictId, Money, StartupId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Who holds a stake.
    pub enum HolderKind {
        Founder = "founder",
        /// The incubator itself (the landlord that is also a shareholder).
        Carrier = "carrier",
        /// A fund the incubator runs.
        CarrierFund = "carrier_fund",
        Investor = "investor",
        /// An employees' shareholding platform (员工持股平台).
        EmployeePlatform = "employee_platform",
    }
}

impl HolderKind {
    /// The carrier's own side: the carrier or its fund.
    pub fn is_carrier(self) -> bool {
        matches!(self, HolderKind::Carrier | HolderKind::CarrierFund)
    }
}

coded_enum! {
    /// What an event in the ledger does.
    pub enum EventKind {
        /// The company's founding holdings (设立).
        Formation = "formation",
        /// New registered capital for money, rent or services (增资), usually a financing round.
        CapitalIncrease = "capital_increase",
        /// A holder sells capital to another (股权转让).
        Transfer = "transfer",
        /// The company returns capital to a holder (减资).
        Reduction = "reduction",
        /// A correction: undoes an earlier event, which stays in the ledger.
        Reversal = "reversal",
    }
}

coded_enum! {
    /// How a holder paid for what it acquired; the carrier's cost is kept per channel.
    pub enum Channel {
        Cash = "cash",
        /// Rent forgone under a lease's rent-for-equity term.
        Rent = "rent",
        /// Incubation services converted into equity.
        Services = "services",
    }
}

coded_enum! {
    /// The stage of a financing round.
    pub enum RoundStage {
        Seed = "seed",
        Angel = "angel",
        PreA = "pre_a",
        A = "a",
        APlus = "a_plus",
        B = "b",
        C = "c",
        Later = "later",
        /// Not a financing round: rent or services converted into equity.
        Conversion = "conversion",
    }
}

/// Cost by channel, in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    pub cash: Money,
    pub rent: Money,
    pub services: Money,
}

impl Cost {
    pub fn of(channel: Channel, amount: Money) -> Cost {
        match channel {
            Channel::Cash => Cost { cash: amount, ..Cost::default() },
            Channel::Rent => Cost { rent: amount, ..Cost::default() },
            Channel::Services => Cost { services: amount, ..Cost::default() },
        }
    }

    pub fn total(&self) -> Money {
        self.cash + self.rent + self.services
    }

    pub fn negated(&self) -> Cost {
        Cost { cash: Money::ZERO - self.cash, rent: Money::ZERO - self.rent, services: Money::ZERO - self.services }
    }

    /// The part of this cost that goes with `part` of `whole` capital, per channel rounded half
    /// up to the fen.
    pub fn share(&self, part: Money, whole: Money) -> Cost {
        let scale = |m: Money| {
            if whole.fen() == 0 {
                return Money::ZERO;
            }
            let num = i128::from(m.fen()) * i128::from(part.fen());
            Money::from_fen(i64::try_from(crate::equity::round_half_up(num, i128::from(whole.fen()))).unwrap_or(0))
        };
        Cost { cash: scale(self.cash), rent: scale(self.rent), services: scale(self.services) }
    }
}

impl std::ops::Add for Cost {
    type Output = Cost;
    fn add(self, o: Cost) -> Cost {
        Cost { cash: self.cash + o.cash, rent: self.rent + o.rent, services: self.services + o.services }
    }
}

impl std::iter::Sum for Cost {
    fn sum<I: Iterator<Item = Cost>>(iter: I) -> Cost {
        iter.fold(Cost::default(), |a, b| a + b)
    }
}

/// Field names of the ledger forms.
pub mod field {
    pub const ON: &str = "on";
    pub const STAGE: &str = "stage";
    pub const PRE_MONEY: &str = "pre_money";
    pub const LEASE: &str = "lease";
    pub const ROWS: &str = "rows";
    pub const NOTE: &str = "note";
    pub const FROM: &str = "from";
    pub const TO: &str = "to";
    pub const CAPITAL: &str = "capital";
    pub const PRICE: &str = "price";
    pub const HOLDER: &str = "holder";
    pub const REASON: &str = "reason";

    /// The field of one row of a form's table, such as `rows.2.amount`.
    pub fn row(index: usize, name: &str) -> String {
        format!("rows.{index}.{name}")
    }
}

/// An existing holder (by id) or a new one (by name and kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HolderRef {
    Existing(i64),
    New { kind: HolderKind, name: String },
}

/// One row of a formation or round form: an existing holder (`holder` holds its id) or a new one
/// (`name` and `kind`), the money, and how it was paid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowForm {
    #[serde(default)]
    pub holder: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    /// Subscribed capital (formation) or money put in (round).
    #[serde(default)]
    pub amount: String,
    /// Paid-in capital (formation only; empty means all of it).
    #[serde(default)]
    pub paid_in: String,
    #[serde(default)]
    pub channel: String,
}

impl RowForm {
    fn is_blank(&self) -> bool {
        self.amount.trim().is_empty() && self.name.trim().is_empty()
    }

    fn holder_ref(&self, index: usize, errors: &mut FieldErrors) -> Option<HolderRef> {
        if let Ok(id) = self.holder.trim().parse::<i64>() {
            return Some(HolderRef::Existing(id));
        }
        let name = errors.check(&field::row(index, "name"), validation::text(&self.name, 1, 200));
        let kind = errors.check(&field::row(index, "kind"), validation::choice(&self.kind, HolderKind::from_code));
        Some(HolderRef::New { kind: kind?, name: name? })
    }
}

/// Any ledger event form. Only the fields of its kind are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventForm {
    pub kind: String,
    pub on: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub pre_money: String,
    #[serde(default)]
    pub lease: String,
    #[serde(default)]
    pub rows: Vec<RowForm>,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub to_name: String,
    #[serde(default)]
    pub to_kind: String,
    #[serde(default)]
    pub capital: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub note: String,
    /// A round issued below par on purpose: a ticked checkbox posts `on`.
    #[serde(default)]
    pub discounted: String,
}

/// A founding holding, a round's participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// The row of the form it came from (blank rows are skipped), for errors found later.
    pub row: usize,
    pub holder: HolderRef,
    /// Formation: subscribed capital. Round: money put in.
    pub amount: Money,
    /// Formation only: paid-in capital.
    pub paid_in: Money,
    pub channel: Channel,
}

/// A validated event, ready to apply to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    Formation {
        rows: Vec<Contribution>,
    },
    /// A capital increase. `discounted`: the operator marked it as issued below ¥1 per ¥1 of
    /// registered capital, with the reason in the note; otherwise such a round is refused.
    Round {
        stage: RoundStage,
        pre_money: Money,
        rows: Vec<Contribution>,
        lease: Option<i64>,
        discounted: bool,
    },
    Transfer {
        from: i64,
        to: HolderRef,
        capital: Money,
        price: Money,
    },
    Reduction {
        holder: i64,
        capital: Money,
        returned: Money,
    },
}

/// An [`Entry`] with its date and note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    pub on: NaiveDate,
    pub entry: Entry,
    pub note: String,
}

fn positive_money(raw: &str) -> Result<Money, Problem> {
    match money(raw)? {
        m if m.fen() > 0 => Ok(m),
        _ => Err(Problem::NotPositive),
    }
}

fn holder_id(raw: &str) -> Result<i64, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::Required);
    }
    raw.parse().map_err(|_| Problem::NotAChoice)
}

impl EventForm {
    /// Validates the form, reporting every problem at once. `today` bounds the date.
    pub fn parse(&self, today: NaiveDate) -> Result<NewEvent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check("kind", validation::choice(&self.kind, EventKind::from_code));
        let on = errors.check(field::ON, crate::space::effective_date(&self.on, today));
        let note = errors.check(field::NOTE, validation::optional_text(&self.note, 500)).map(Option::unwrap_or_default);
        let entry = match kind {
            Some(EventKind::Formation) => self.rows(&mut errors, true).map(|rows| Entry::Formation { rows }),
            Some(EventKind::CapitalIncrease) => {
                let stage = errors.check(field::STAGE, validation::choice(&self.stage, RoundStage::from_code));
                let pre_money = errors.check(field::PRE_MONEY, positive_money(&self.pre_money));
                let lease = if self.lease.trim().is_empty() {
                    Some(None)
                } else {
                    errors.check(
                        field::LEASE,
                        self.lease.trim().parse::<i64>().map(Some).map_err(|_| Problem::NotAChoice),
                    )
                };
                let rows = self.rows(&mut errors, false);
                let discounted = !matches!(self.discounted.trim(), "" | "false" | "off");
                if discounted && self.note.trim().chars().count() < 5 {
                    errors.add(field::NOTE, Problem::DiscountNeedsReason);
                }
                match (stage, pre_money, lease, rows) {
                    (Some(stage), Some(pre_money), Some(lease), Some(rows)) => {
                        Some(Entry::Round { stage, pre_money, rows, lease, discounted })
                    }
                    _ => None,
                }
            }
            Some(EventKind::Transfer) => {
                let from = errors.check(field::FROM, holder_id(&self.from));
                let to = if let Ok(id) = self.to.trim().parse::<i64>() {
                    Some(HolderRef::Existing(id))
                } else {
                    let name = errors.check("to_name", validation::text(&self.to_name, 1, 200));
                    let kind = errors.check("to_kind", validation::choice(&self.to_kind, HolderKind::from_code));
                    name.zip(kind).map(|(name, kind)| HolderRef::New { kind, name })
                };
                if let (Some(from), Some(HolderRef::Existing(to))) = (from, &to)
                    && from == *to
                {
                    errors.add(field::TO, Problem::SameHolder);
                }
                let capital = errors.check(field::CAPITAL, positive_money(&self.capital));
                let price = errors.check(field::PRICE, money(&self.price));
                match (from, to, capital, price) {
                    (Some(from), Some(to), Some(capital), Some(price)) => {
                        Some(Entry::Transfer { from, to, capital, price })
                    }
                    _ => None,
                }
            }
            Some(EventKind::Reduction) => {
                let holder = errors.check(field::FROM, holder_id(&self.from));
                let capital = errors.check(field::CAPITAL, positive_money(&self.capital));
                let returned = errors.check(field::PRICE, money(&self.price));
                match (holder, capital, returned) {
                    (Some(holder), Some(capital), Some(returned)) => {
                        Some(Entry::Reduction { holder, capital, returned })
                    }
                    _ => None,
                }
            }
            Some(EventKind::Reversal) => {
                errors.add("kind", Problem::NotAChoice);
                None
            }
            None => None,
        };
        match (on, note, entry) {
            (Some(on), Some(note), Some(entry)) if errors.is_empty() => Ok(NewEvent { on, entry, note }),
            _ => Err(errors),
        }
    }

    /// The filled rows of a formation (`formation`) or a round. Blank rows are skipped; at least
    /// one is needed and a holder may appear once.
    fn rows(&self, errors: &mut FieldErrors, formation: bool) -> Option<Vec<Contribution>> {
        let before = errors.len();
        let mut rows = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            if row.is_blank() {
                continue;
            }
            let holder = row.holder_ref(i, errors);
            let amount = errors.check(&field::row(i, "amount"), positive_money(&row.amount));
            let (paid_in, channel) = if formation {
                let paid = if row.paid_in.trim().is_empty() {
                    amount
                } else {
                    errors.check(&field::row(i, "paid_in"), money(&row.paid_in))
                };
                if let (Some(paid), Some(amount)) = (paid, amount)
                    && paid > amount
                {
                    errors.add(&field::row(i, "paid_in"), Problem::PaidExceedsSubscribed);
                }
                // The usual landlord-plus-shareholder deal: the carrier's stake at entry paid in
                // rent or services (a non-cash consideration); everyone else pays cash.
                let channel = match row.channel.trim() {
                    "" => Some(Channel::Cash),
                    code => errors.check(&field::row(i, "channel"), validation::choice(code, Channel::from_code)),
                };
                if let (Some(channel), Some(HolderRef::New { kind, .. })) = (channel, &holder)
                    && channel != Channel::Cash
                    && !kind.is_carrier()
                {
                    errors.add(&field::row(i, "channel"), Problem::NonCashNeedsCarrier);
                }
                (paid, channel)
            } else {
                (
                    Some(Money::ZERO),
                    errors.check(&field::row(i, "channel"), validation::choice(&row.channel, Channel::from_code)),
                )
            };
            if let (Some(holder), Some(amount), Some(paid_in), Some(channel)) = (holder, amount, paid_in, channel) {
                if rows.iter().any(|r: &Contribution| same_holder(&r.holder, &holder)) {
                    errors.add(&field::row(i, "name"), Problem::DuplicateHolder);
                }
                rows.push(Contribution { row: i, holder, amount, paid_in, channel });
            }
        }
        if rows.is_empty() && errors.len() == before {
            errors.add(field::ROWS, Problem::NoneChosen);
        }
        (errors.len() == before).then_some(rows)
    }
}

fn same_holder(a: &HolderRef, b: &HolderRef) -> bool {
    match (a, b) {
        (HolderRef::Existing(x), HolderRef::Existing(y)) => x == y,
        (HolderRef::New { name: x, .. }, HolderRef::New { name: y, .. }) => x == y,
        _ => false,
    }
}

/// A correction, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReversalForm {
    pub reason: String,
}

impl ReversalForm {
    pub fn parse(&self) -> Result<String, FieldErrors> {
        validation::text(&self.reason, 2, 500).map_err(|p| FieldErrors::single(field::REASON, p))
    }
}

// ---- views ------------------------------------------------------------------------------------

/// A holder as it stands on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderRow {
    pub id: i64,
    pub name: String,
    pub kind: HolderKind,
    pub carrier: Option<CarrierId>,
    pub subscribed: Money,
    pub paid_in: Money,
    /// Share of the registered capital in millionths (four decimals of a percent), rounded by
    /// largest remainder so the column adds up to exactly 100.0000 %.
    pub millionths: i64,
    pub cost: Cost,
}

/// One holder's part in an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    pub holder: String,
    pub subscribed: Money,
    pub paid_in: Money,
    pub cost: Cost,
    pub amount: Money,
}

/// An event as the ledger lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub id: i64,
    pub kind: EventKind,
    pub on: NaiveDate,
    pub stage: Option<RoundStage>,
    pub pre_money: Option<Money>,
    pub lines: Vec<LineView>,
    pub note: String,
    pub author: String,
    pub recorded_at: DateTime<Utc>,
    pub reverses: Option<i64>,
    pub reversed_by: Option<i64>,
}

/// A startup's cap table on a day, with the whole ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapTableView {
    pub startup: StartupId,
    pub startup_name: String,
    pub on: NaiveDate,
    pub registered_capital: Money,
    pub paid_in: Money,
    /// Capital reserve (资本公积) created by premiums up to the day.
    pub reserve: Money,
    pub holders: Vec<HolderRow>,
    /// Every holder ever recorded (for the forms), current or not.
    pub all_holders: Vec<(i64, String, HolderKind)>,
    pub events: Vec<EventView>,
    /// The one event a correction may reverse now: the latest live one.
    pub correctable: Option<i64>,
    /// The carriers the viewer records for (operators of the startup's carriers).
    pub record_for: Vec<(CarrierId, String)>,
    /// Leases with a rent-for-equity term: id, carrier name, rent forgone, valuation.
    pub equity_leases: Vec<(i64, String, Money, Money)>,
}

/// One holder in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundHolder {
    pub name: String,
    pub kind: HolderKind,
    pub invested: Money,
    pub channel: Option<Channel>,
    pub new_capital: Money,
    pub pro_rata: Money,
    pub before: Fraction,
    pub after: Fraction,
    /// Ownership before and after in millionths, as the cap tables of the day before and of the
    /// round's day show them (largest remainder over all holders), so the pages agree to the last
    /// shown digit.
    #[serde(default)]
    pub before_millionths: i64,
    #[serde(default)]
    pub after_millionths: i64,
    pub existing: bool,
    pub kept_share: bool,
}

impl RoundHolder {
    pub fn dilution(&self) -> Fraction {
        self.before - self.after
    }
}

/// A capital increase with its arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundView {
    pub id: i64,
    pub startup: StartupId,
    pub startup_name: String,
    pub on: NaiveDate,
    pub stage: RoundStage,
    pub pre_money: Money,
    pub new_money: Money,
    pub post_money: Money,
    pub price: Fraction,
    pub capital_before: Money,
    pub new_capital: Money,
    pub reserve: Money,
    pub holders: Vec<RoundHolder>,
    pub reversed: bool,
}

/// A carrier's stake in one startup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioRow {
    pub startup: StartupId,
    pub startup_name: String,
    pub industry: Option<Industry>,
    pub capital: Money,
    pub ownership: Fraction,
    pub cost: Cost,
    /// What the carrier paid when it first acquired a stake.
    pub initial: Money,
    /// What it put into later capital increases (跟投).
    pub follow_on: Money,
    pub latest_round: Option<(RoundStage, NaiveDate)>,
    /// The stake at the latest round's price per yuan of capital.
    pub implied_value: Option<Money>,
}

impl PortfolioRow {
    /// Implied value over cost.
    pub fn multiple(&self) -> Option<Fraction> {
        let cost = self.cost.total().fen();
        self.implied_value.filter(|_| cost > 0).map(|v| Fraction::new(i128::from(v.fen()), i128::from(cost)))
    }
}

/// Totals over a group of holdings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioTotals {
    pub key: String,
    pub holdings: u32,
    pub cost: Cost,
    pub initial: Money,
    pub follow_on: Money,
    /// Implied value of the holdings that have a round to price them.
    pub implied_value: Money,
}

impl PortfolioTotals {
    /// Adds one holding. Sums saturate rather than overflow: a total past any plausible amount
    /// is wrong either way, but a page must still render.
    pub fn add(&mut self, row: &PortfolioRow) {
        let plus = |a: Money, b: Money| Money::from_fen(a.fen().saturating_add(b.fen()));
        self.holdings += 1;
        self.cost = Cost {
            cash: plus(self.cost.cash, row.cost.cash),
            rent: plus(self.cost.rent, row.cost.rent),
            services: plus(self.cost.services, row.cost.services),
        };
        self.initial = plus(self.initial, row.initial);
        self.follow_on = plus(self.follow_on, row.follow_on);
        self.implied_value = plus(self.implied_value, row.implied_value.unwrap_or(Money::ZERO));
    }
}

/// A carrier's portfolio on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioView {
    pub carrier: CarrierId,
    pub carrier_name: String,
    pub on: NaiveDate,
    pub rows: Vec<PortfolioRow>,
    pub total: PortfolioTotals,
    /// By industry code (empty key: not given).
    pub by_industry: Vec<PortfolioTotals>,
    /// By the stage of the latest round (empty key: no round yet).
    pub by_round: Vec<PortfolioTotals>,
}

/// The shareholder side of one district, for the bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictPortfolio {
    pub district: DistrictId,
    pub name_zh: String,
    pub name_en: String,
    /// Carriers holding at least one stake.
    pub carriers: u32,
    pub totals: PortfolioTotals,
}

/// Portfolios across the city on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CityPortfolio {
    pub on: NaiveDate,
    pub districts: Vec<DistrictPortfolio>,
    pub carriers: u32,
    pub city: PortfolioTotals,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn row(holder: &str, name: &str, kind: &str, amount: &str, channel: &str) -> RowForm {
        RowForm {
            holder: holder.into(),
            name: name.into(),
            kind: kind.into(),
            amount: amount.into(),
            channel: channel.into(),
            ..RowForm::default()
        }
    }

    #[test]
    fn a_round_form_reads_existing_and_new_holders_and_skips_blank_rows() {
        let form = EventForm {
            kind: "capital_increase".into(),
            on: "2026-06-01".into(),
            stage: "a".into(),
            pre_money: "8,000,000".into(),
            rows: vec![
                row("3", "", "", "200000", "cash"),
                row("", "", "", "", ""),
                row("", "红杉", "investor", "1800000", "cash"),
            ],
            ..EventForm::default()
        };
        let event = form.parse(today()).unwrap();
        let Entry::Round { stage, pre_money, rows, lease, discounted } = event.entry else { panic!("a round") };
        assert!(!discounted);
        assert_eq!((stage, pre_money, lease), (RoundStage::A, Money::from_yuan(8_000_000), None));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].holder, HolderRef::Existing(3));
        assert_eq!(rows[1].holder, HolderRef::New { kind: HolderKind::Investor, name: "红杉".into() });
    }

    #[test]
    fn every_mistake_in_a_round_form_is_named_at_its_field() {
        let form = EventForm {
            kind: "capital_increase".into(),
            on: "2099-01-01".into(),
            stage: "z".into(),
            pre_money: "0".into(),
            rows: vec![
                row("", "", "investor", "-5", "gold"),
                row("3", "", "", "10", "cash"),
                row("3", "", "", "10", "cash"),
            ],
            ..EventForm::default()
        };
        let errors = form.parse(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["on", "stage", "pre_money", "rows.0.name", "rows.0.amount", "rows.0.channel", "rows.2.name"]
        );
        assert_eq!(errors.for_field("rows.2.name").next(), Some(&Problem::DuplicateHolder));
    }

    #[test]
    fn a_round_with_no_participant_or_a_formation_paying_in_more_than_subscribed_is_refused() {
        let empty = EventForm {
            kind: "capital_increase".into(),
            on: "2026-06-01".into(),
            stage: "seed".into(),
            pre_money: "100".into(),
            ..EventForm::default()
        };
        assert_eq!(empty.parse(today()).unwrap_err().for_field("rows").next(), Some(&Problem::NoneChosen));
        let formation = EventForm {
            kind: "formation".into(),
            on: "2026-01-01".into(),
            rows: vec![RowForm {
                name: "张三".into(),
                kind: "founder".into(),
                amount: "100".into(),
                paid_in: "120".into(),
                ..RowForm::default()
            }],
            ..EventForm::default()
        };
        assert_eq!(
            formation.parse(today()).unwrap_err().for_field("rows.0.paid_in").next(),
            Some(&Problem::PaidExceedsSubscribed)
        );
    }

    #[test]
    fn a_formation_can_pay_the_carriers_stake_in_rent_or_services_and_only_the_carriers() {
        let formation = |carrier_channel: &str, founder_channel: &str| EventForm {
            kind: "formation".into(),
            on: "2026-01-01".into(),
            rows: vec![
                row("", "张三", "founder", "900000", founder_channel),
                row("", "高新区创业园", "carrier", "100000", carrier_channel),
            ],
            ..EventForm::default()
        };
        let event = formation("rent", "").parse(today()).unwrap();
        let Entry::Formation { rows } = event.entry else { panic!("a formation") };
        assert_eq!((rows[0].channel, rows[1].channel), (Channel::Cash, Channel::Rent));
        assert_eq!(rows[1].paid_in, Money::from_yuan(100_000), "paid in full by the rent forgone");
        let services = formation("services", "cash").parse(today()).unwrap();
        let Entry::Formation { rows } = services.entry else { panic!("a formation") };
        assert_eq!(rows[1].channel, Channel::Services);
        // A founder does not pay in rent.
        let errors = formation("cash", "rent").parse(today()).unwrap_err();
        assert_eq!(errors.for_field("rows.0.channel").next(), Some(&Problem::NonCashNeedsCarrier));
        assert_eq!(
            formation("gold", "").parse(today()).unwrap_err().for_field("rows.1.channel").next(),
            Some(&Problem::NotAChoice)
        );
    }

    #[test]
    fn a_transfer_to_the_seller_itself_is_refused() {
        let form = EventForm {
            kind: "transfer".into(),
            on: "2026-06-01".into(),
            from: "4".into(),
            to: "4".into(),
            capital: "100".into(),
            price: "0".into(),
            ..EventForm::default()
        };
        assert_eq!(form.parse(today()).unwrap_err().for_field("to").next(), Some(&Problem::SameHolder));
    }

    #[test]
    fn cost_follows_the_share_of_capital_given_up_per_channel() {
        let cost = Cost { cash: Money::from_yuan(300), rent: Money::from_fen(1), services: Money::ZERO };
        let third = cost.share(Money::from_yuan(1), Money::from_yuan(3));
        assert_eq!(third, Cost { cash: Money::from_yuan(100), rent: Money::ZERO, services: Money::ZERO });
        assert_eq!(cost.total(), Money::from_fen(30_001));
    }
}
