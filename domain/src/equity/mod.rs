//! The arithmetic of a limited-liability company's cap table: holdings of registered capital
//! (注册资本) in fen, ownership as exact fractions, and financing rounds (增资) with their price
//! per yuan of registered capital, new registered capital, capital reserve (资本公积), pro-rata
//! entitlements and dilution.
//!
//! Nothing here is a float. Ownership is a fraction of two integers; the only rounding is of
//! money to the fen, and it is stated where it happens:
//! - new registered capital = new money × existing capital ÷ pre-money valuation, rounded half
//!   up to the fen; the rest of the new money is capital reserve, so money always adds up;
//! - a round's new capital is split over its participants in proportion to their money with
//!   [`allocate`](crate::tenancy::lease::allocate) (largest remainder), so the parts add up exactly;
//! - a pro-rata entitlement (the money that keeps a holder's share) is rounded half up to the fen;
//! - percentages for display have four decimals and are rounded by largest remainder, so the
//!   shown figures add up to exactly 100.0000 %.

pub mod ledger;

use crate::Money;
use crate::tenancy::lease::allocate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// An exact fraction `num / den` with `den > 0`, kept in lowest terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fraction {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Fraction {
    pub const ZERO: Fraction = Fraction { num: 0, den: 1 };
    pub const ONE: Fraction = Fraction { num: 1, den: 1 };

    /// `num / den`; a zero denominator gives zero (an empty table owns nothing).
    pub fn new(num: i128, den: i128) -> Fraction {
        if den == 0 {
            return Fraction::ZERO;
        }
        let sign = if den < 0 { -1 } else { 1 };
        let g = gcd(num, den);
        Fraction { num: sign * num / g, den: sign * den / g }
    }

    pub fn num(self) -> i128 {
        self.num
    }

    pub fn den(self) -> i128 {
        self.den
    }

    /// The fraction as a decimal with `places` decimals, rounded half up (`0.1250`).
    pub fn decimal(self, places: u32) -> String {
        let scale = 10_i128.pow(places);
        let scaled = round_half_up(self.num * scale, self.den);
        let sign = if scaled < 0 { "-" } else { "" };
        let (whole, part) = (scaled.abs() / scale, scaled.abs() % scale);
        if places == 0 {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{part:0width$}", width = places as usize)
        }
    }

    /// `num × self`, rounded half up to a whole number (fen of money, say).
    pub fn times(self, num: i64) -> i64 {
        i64::try_from(round_half_up(i128::from(num) * self.num, self.den)).unwrap_or(i64::MAX)
    }

    /// The fraction in millionths of one (four decimals of a percent), rounded half up.
    pub fn millionths(self) -> i64 {
        i64::try_from(round_half_up(self.num * 1_000_000, self.den)).unwrap_or(i64::MAX)
    }
}

impl std::ops::Add for Fraction {
    type Output = Fraction;
    fn add(self, other: Fraction) -> Fraction {
        Fraction::new(self.num * other.den + other.num * self.den, self.den * other.den)
    }
}

impl std::ops::Sub for Fraction {
    type Output = Fraction;
    fn sub(self, other: Fraction) -> Fraction {
        Fraction::new(self.num * other.den - other.num * self.den, self.den * other.den)
    }
}

impl std::ops::Mul for Fraction {
    type Output = Fraction;
    fn mul(self, other: Fraction) -> Fraction {
        Fraction::new(self.num * other.num, self.den * other.den)
    }
}

/// Division; dividing by zero gives zero (a holder with nothing before loses nothing).
impl std::ops::Div for Fraction {
    type Output = Fraction;
    fn div(self, other: Fraction) -> Fraction {
        Fraction::new(self.num * other.den, self.den * other.num)
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fraction {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

/// `num / den` rounded half up (away from zero for halves), for `den > 0`.
pub(crate) fn round_half_up(num: i128, den: i128) -> i128 {
    let (q, r) = (num / den, num % den);
    if 2 * r.abs() >= den { q + num.signum() } else { q }
}

/// One holder's stake: registered capital subscribed (认缴) and paid in (实缴).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    pub subscribed: Money,
    pub paid_in: Money,
}

/// Holdings by holder key (the ledger's holder ids), in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapTable {
    pub holdings: BTreeMap<i64, Holding>,
}

impl CapTable {
    /// The company's registered capital: the sum of subscribed capital.
    pub fn registered_capital(&self) -> Money {
        self.holdings.values().map(|h| h.subscribed).sum()
    }

    /// A holder's share of the registered capital, exactly.
    pub fn ownership(&self, holder: i64) -> Fraction {
        let held = self.holdings.get(&holder).map_or(0, |h| h.subscribed.fen());
        Fraction::new(i128::from(held), i128::from(self.registered_capital().fen()))
    }

    /// Every holder's share in millionths, rounded by largest remainder so that they add up to
    /// exactly 1,000,000 (100.0000 %) whenever the table holds any capital.
    pub fn percentages(&self) -> Vec<(i64, i64)> {
        let weights: Vec<i64> = self.holdings.values().map(|h| h.subscribed.fen()).collect();
        if weights.iter().all(|w| *w == 0) {
            return self.holdings.keys().map(|k| (*k, 0)).collect();
        }
        let shares = allocate(Money::from_fen(1_000_000), &weights);
        self.holdings.keys().zip(shares).map(|(k, s)| (*k, s.fen())).collect()
    }

    fn credit(&mut self, holder: i64, subscribed: Money, paid_in: Money) {
        let entry = self.holdings.entry(holder).or_default();
        entry.subscribed = entry.subscribed + subscribed;
        entry.paid_in = entry.paid_in + paid_in;
    }
}

/// `12.3457%` from millionths.
pub fn percent_text(millionths: i64) -> String {
    let sign = if millionths < 0 { "-" } else { "" };
    let abs = millionths.unsigned_abs();
    format!("{sign}{}.{:04}%", abs / 10_000, abs % 10_000)
}

/// The terms of a capital increase (a financing round): the valuation before it and who puts in
/// how much.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundTerms {
    pub pre_money: Money,
    /// Participant and cash in; a holder may appear once.
    pub participants: Vec<(i64, Money)>,
}

/// What a round does for one holder (existing or new).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderOutcome {
    pub holder: i64,
    pub invested: Money,
    pub new_capital: Money,
    pub reserve: Money,
    /// The money that would have kept this holder's share (zero for a new holder).
    pub pro_rata: Money,
    pub before: Fraction,
    pub after: Fraction,
    /// Took up at least its pro-rata entitlement (an existing holder only).
    pub kept_share: bool,
}

impl HolderOutcome {
    /// Points of ownership lost (negative when gained).
    pub fn dilution(&self) -> Fraction {
        self.before - self.after
    }
}

/// The whole of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundOutcome {
    pub pre_money: Money,
    pub new_money: Money,
    pub post_money: Money,
    /// Price per yuan of registered capital: pre-money ÷ registered capital before.
    pub price: Fraction,
    pub new_capital: Money,
    pub reserve: Money,
    pub holders: Vec<HolderOutcome>,
    pub table_after: CapTable,
}

/// Why a round cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundError {
    /// The company has no registered capital yet (record its formation first).
    NoCapital,
    /// The pre-money valuation must be positive.
    NoValuation,
    /// Nobody puts money in, or someone puts in nothing or a negative amount.
    NoMoney,
    /// A participant is listed twice.
    Duplicate,
    /// The new registered capital would exceed any plausible amount (a valuation typed far too
    /// small, say).
    TooLarge,
}

/// Computes a round on `table` (capital counted as paid in by the participants at once).
pub fn round(table: &CapTable, terms: &RoundTerms) -> Result<RoundOutcome, RoundError> {
    let capital = table.registered_capital();
    if capital.fen() <= 0 {
        return Err(RoundError::NoCapital);
    }
    if terms.pre_money.fen() <= 0 {
        return Err(RoundError::NoValuation);
    }
    if terms.participants.is_empty() || terms.participants.iter().any(|(_, m)| m.fen() <= 0) {
        return Err(RoundError::NoMoney);
    }
    let mut seen: Vec<i64> = terms.participants.iter().map(|(h, _)| *h).collect();
    seen.sort_unstable();
    if seen.windows(2).any(|w| w[0] == w[1]) {
        return Err(RoundError::Duplicate);
    }
    let (c, v) = (i128::from(capital.fen()), i128::from(terms.pre_money.fen()));
    let new_money: Money = terms.participants.iter().map(|(_, m)| *m).sum();
    let new_capital = Money::from_fen(
        i64::try_from(round_half_up(i128::from(new_money.fen()) * c, v)).unwrap_or(Money::MAX_FEN.saturating_add(1)),
    );
    if i128::from(new_capital.fen()) + c > i128::from(Money::MAX_FEN) {
        return Err(RoundError::TooLarge);
    }
    let weights: Vec<i64> = terms.participants.iter().map(|(_, m)| m.fen()).collect();
    let parts = allocate(new_capital, &weights);

    let mut after = table.clone();
    for ((holder, _), part) in terms.participants.iter().zip(&parts) {
        after.credit(*holder, *part, *part);
    }
    let mut holders: Vec<i64> = table.holdings.keys().copied().collect();
    holders.extend(terms.participants.iter().map(|(h, _)| *h).filter(|h| !table.holdings.contains_key(h)));
    let outcomes = holders
        .into_iter()
        .map(|holder| {
            let position = terms.participants.iter().position(|(h, _)| *h == holder);
            let invested = position.map_or(Money::ZERO, |i| terms.participants[i].1);
            let part = position.map_or(Money::ZERO, |i| parts[i]);
            let before = table.ownership(holder);
            let existing = table.holdings.contains_key(&holder);
            let pro_rata = if existing {
                let held = i128::from(table.holdings[&holder].subscribed.fen());
                Money::from_fen(i64::try_from(round_half_up(i128::from(new_money.fen()) * held, c)).unwrap_or(i64::MAX))
            } else {
                Money::ZERO
            };
            HolderOutcome {
                holder,
                invested,
                new_capital: part,
                reserve: invested - part,
                pro_rata,
                before,
                after: after.ownership(holder),
                kept_share: existing && invested >= pro_rata,
            }
        })
        .collect();
    Ok(RoundOutcome {
        pre_money: terms.pre_money,
        new_money,
        post_money: terms.pre_money + new_money,
        price: Fraction::new(v, c),
        new_capital,
        reserve: new_money - new_capital,
        holders: outcomes,
        table_after: after,
    })
}

/// Rent forgone converted into registered capital at a valuation, as a one-participant round.
pub fn rent_for_equity(
    table: &CapTable,
    carrier: i64,
    rent: Money,
    valuation: Money,
) -> Result<RoundOutcome, RoundError> {
    round(table, &RoundTerms { pre_money: valuation, participants: vec![(carrier, rent)] })
}

/// Why a transfer of equity cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferError {
    /// The amount of capital must be positive.
    Nothing,
    /// The seller holds less subscribed capital than it would sell.
    MoreThanHeld,
    /// A holder cannot sell to itself.
    SameHolder,
}

/// `from` transfers `capital` of its subscribed registered capital to `to` (股权转让). Paid-in
/// capital moves in proportion (rounded half up to the fen); the company's registered capital
/// does not change. The price paid is between the parties and does not enter the table.
pub fn transfer(table: &CapTable, from: i64, to: i64, capital: Money) -> Result<CapTable, TransferError> {
    if capital.fen() <= 0 {
        return Err(TransferError::Nothing);
    }
    if from == to {
        return Err(TransferError::SameHolder);
    }
    let seller = table.holdings.get(&from).copied().unwrap_or_default();
    if seller.subscribed < capital {
        return Err(TransferError::MoreThanHeld);
    }
    let paid = Money::from_fen(
        i64::try_from(round_half_up(
            i128::from(seller.paid_in.fen()) * i128::from(capital.fen()),
            i128::from(seller.subscribed.fen()),
        ))
        .unwrap_or(i64::MAX),
    );
    let mut after = table.clone();
    after.credit(from, Money::ZERO - capital, Money::ZERO - paid);
    after.credit(to, capital, paid);
    if after.holdings.get(&from).is_some_and(|h| h.subscribed == Money::ZERO) {
        after.holdings.remove(&from);
    }
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(y: i64) -> Money {
        Money::from_yuan(y)
    }

    fn table(holdings: &[(i64, i64)]) -> CapTable {
        CapTable {
            holdings: holdings.iter().map(|(h, y)| (*h, Holding { subscribed: yuan(*y), paid_in: yuan(*y) })).collect(),
        }
    }

    fn outcome(round: &RoundOutcome, holder: i64) -> &HolderOutcome {
        round.holders.iter().find(|h| h.holder == holder).unwrap()
    }

    const FOUNDER_A: i64 = 1;
    const FOUNDER_B: i64 = 2;
    const CARRIER: i64 = 3;
    const INVESTOR: i64 = 4;

    #[test]
    fn negative_percentages_keep_their_sign_in_front() {
        assert_eq!(percent_text(-2_245), "-0.2245%");
        assert_eq!(percent_text(-182_345), "-18.2345%");
        assert_eq!(percent_text(100_000), "10.0000%");
    }

    #[test]
    fn a_round_whose_new_capital_would_be_absurd_is_refused() {
        let before = table(&[(FOUNDER_A, 1_000_000)]);
        let typo = RoundTerms { pre_money: Money::from_fen(1), participants: vec![(INVESTOR, yuan(1_000_000))] };
        assert_eq!(round(&before, &typo), Err(RoundError::TooLarge));
    }

    #[test]
    fn fractions_print_as_decimals_rounded_half_up() {
        assert_eq!(Fraction::new(1, 8).decimal(4), "0.1250");
        assert_eq!(Fraction::new(2, 3).decimal(2), "0.67");
        assert_eq!(Fraction::new(-1, 3).decimal(3), "-0.333");
        assert_eq!(Fraction::new(8, 1).decimal(0), "8");
        assert_eq!(Fraction::new(1, 3).times(100), 33);
    }

    #[test]
    fn a_capital_increase_with_a_premium_puts_the_excess_into_the_capital_reserve() {
        // 1,000,000 yuan of capital (A 700k, B 300k); 2,000,000 yuan in at 8,000,000 pre-money:
        // price 8 yuan per yuan of capital, so 250,000 of new capital and 1,750,000 of reserve.
        let before = table(&[(FOUNDER_A, 700_000), (FOUNDER_B, 300_000)]);
        let r =
            round(&before, &RoundTerms { pre_money: yuan(8_000_000), participants: vec![(INVESTOR, yuan(2_000_000))] })
                .unwrap();
        assert_eq!(r.price, Fraction::new(8, 1));
        assert_eq!(r.new_capital, yuan(250_000));
        assert_eq!(r.reserve, yuan(1_750_000));
        assert_eq!(r.post_money, yuan(10_000_000));
        assert_eq!(r.table_after.registered_capital(), yuan(1_250_000));
        assert_eq!(outcome(&r, INVESTOR).after, Fraction::new(1, 5));
        assert_eq!(outcome(&r, FOUNDER_A).after, Fraction::new(56, 100));
        assert_eq!(outcome(&r, FOUNDER_B).after, Fraction::new(24, 100));
        assert_eq!(outcome(&r, FOUNDER_A).dilution(), Fraction::new(14, 100));
        assert_eq!(outcome(&r, FOUNDER_A).pro_rata, yuan(1_400_000));
    }

    #[test]
    fn a_carrier_that_follows_on_pro_rata_keeps_its_share() {
        // Founder 900k, carrier 100k (10 %). 2,500,000 in at 10,000,000 pre-money (price 10):
        // the carrier's entitlement is 10 % of the money, 250,000, and it takes it up.
        let before = table(&[(FOUNDER_A, 900_000), (CARRIER, 100_000)]);
        let terms = RoundTerms {
            pre_money: yuan(10_000_000),
            participants: vec![(INVESTOR, yuan(2_250_000)), (CARRIER, yuan(250_000))],
        };
        let r = round(&before, &terms).unwrap();
        let carrier = outcome(&r, CARRIER);
        assert_eq!(carrier.pro_rata, yuan(250_000));
        assert_eq!(carrier.new_capital, yuan(25_000));
        assert_eq!(carrier.reserve, yuan(225_000));
        assert!(carrier.kept_share);
        assert_eq!(carrier.after, Fraction::new(1, 10));
        assert_eq!(carrier.dilution(), Fraction::ZERO);
        assert_eq!(outcome(&r, FOUNDER_A).after, Fraction::new(72, 100));
        assert_eq!(outcome(&r, INVESTOR).after, Fraction::new(18, 100));
    }

    #[test]
    fn a_carrier_that_stays_out_is_diluted_by_new_money_over_post_money() {
        let before = table(&[(FOUNDER_A, 900_000), (CARRIER, 100_000)]);
        let terms = RoundTerms { pre_money: yuan(10_000_000), participants: vec![(INVESTOR, yuan(2_500_000))] };
        let r = round(&before, &terms).unwrap();
        let carrier = outcome(&r, CARRIER);
        assert!(!carrier.kept_share);
        assert_eq!(carrier.after, Fraction::new(8, 100), "10 % becomes 8 %");
        // Relative dilution: 2 points of 10 = 2,500,000 / 12,500,000.
        assert_eq!(carrier.dilution() / carrier.before, Fraction::new(2_500_000, 12_500_000));
    }

    #[test]
    fn rent_converted_into_equity_buys_capital_at_the_agreed_valuation() {
        // Six months of 3,000 yuan forgone = 18,000 yuan at 8,000,000 on 1,000,000 of capital:
        // 2,250 yuan of capital and 15,750 of reserve; 2,250 / 1,002,250 of the company.
        let before = table(&[(FOUNDER_A, 1_000_000)]);
        let r = rent_for_equity(&before, CARRIER, yuan(18_000), yuan(8_000_000)).unwrap();
        let carrier = outcome(&r, CARRIER);
        assert_eq!(carrier.new_capital, yuan(2_250));
        assert_eq!(carrier.reserve, yuan(15_750));
        assert_eq!(carrier.after, Fraction::new(2_250, 1_002_250));
        assert_eq!(percent_text(carrier.after.millionths()), "0.2245%");
    }

    #[test]
    fn new_capital_is_rounded_half_up_to_the_fen_and_money_still_adds_up() {
        // 1,000,000 in at 9,000,000 on 1,000,000 of capital: 111,111.111… → 111,111.11 yuan.
        let before = table(&[(FOUNDER_A, 1_000_000)]);
        let r =
            round(&before, &RoundTerms { pre_money: yuan(9_000_000), participants: vec![(INVESTOR, yuan(1_000_000))] })
                .unwrap();
        assert_eq!(r.new_capital, Money::from_fen(11_111_111));
        assert_eq!(r.new_capital + r.reserve, r.new_money);
    }

    #[test]
    fn rounds_without_capital_money_or_valuation_are_refused() {
        let empty = CapTable::default();
        let terms = RoundTerms { pre_money: yuan(1), participants: vec![(INVESTOR, yuan(1))] };
        assert_eq!(round(&empty, &terms), Err(RoundError::NoCapital));
        let before = table(&[(FOUNDER_A, 100)]);
        assert_eq!(
            round(&before, &RoundTerms { pre_money: Money::ZERO, ..terms.clone() }),
            Err(RoundError::NoValuation)
        );
        assert_eq!(round(&before, &RoundTerms { participants: vec![], ..terms.clone() }), Err(RoundError::NoMoney));
        let twice = RoundTerms { participants: vec![(INVESTOR, yuan(1)), (INVESTOR, yuan(2))], ..terms };
        assert_eq!(round(&before, &twice), Err(RoundError::Duplicate));
    }

    #[test]
    fn a_transfer_moves_ownership_and_leaves_the_registered_capital_alone() {
        // A sells 100,000 of its 700,000 yuan of capital (half paid in) to the carrier.
        let mut before = table(&[(FOUNDER_A, 700_000), (FOUNDER_B, 300_000)]);
        before.holdings.get_mut(&FOUNDER_A).unwrap().paid_in = yuan(350_000);
        let after = transfer(&before, FOUNDER_A, CARRIER, yuan(100_000)).unwrap();
        assert_eq!(after.registered_capital(), yuan(1_000_000));
        assert_eq!(after.ownership(FOUNDER_A), Fraction::new(6, 10));
        assert_eq!(after.ownership(CARRIER), Fraction::new(1, 10));
        assert_eq!(after.holdings[&CARRIER].paid_in, yuan(50_000));
        assert_eq!(after.holdings[&FOUNDER_A].paid_in, yuan(300_000));
        assert_eq!(transfer(&before, FOUNDER_B, CARRIER, yuan(300_001)), Err(TransferError::MoreThanHeld));
        assert_eq!(transfer(&before, FOUNDER_B, FOUNDER_B, yuan(1)), Err(TransferError::SameHolder));
        // Selling everything removes the seller from the table.
        let all = transfer(&before, FOUNDER_B, CARRIER, yuan(300_000)).unwrap();
        assert!(!all.holdings.contains_key(&FOUNDER_B));
    }

    /// A small deterministic generator, so the properties below are checked on thousands of
    /// tables and rounds without a dependency.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self, below: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % below
        }
    }

    #[test]
    fn ownership_always_sums_to_exactly_one_and_shown_percentages_to_exactly_100() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2_000 {
            let holders = 1 + rng.next(12);
            let before = CapTable {
                holdings: (0..holders)
                    .map(|h| {
                        let fen = Money::from_fen(1 + i64::try_from(rng.next(1_000_000_000)).unwrap());
                        (i64::try_from(h).unwrap(), Holding { subscribed: fen, paid_in: fen })
                    })
                    .collect(),
            };
            let participants = (0..1 + rng.next(4))
                .map(|i| {
                    (
                        100 + i64::try_from(i).unwrap(),
                        Money::from_fen(1 + i64::try_from(rng.next(5_000_000_000)).unwrap()),
                    )
                })
                .collect();
            let pre_money = Money::from_fen(1 + i64::try_from(rng.next(100_000_000_000)).unwrap());
            let r = round(&before, &RoundTerms { pre_money, participants }).unwrap();
            for t in [&before, &r.table_after] {
                let total = t.holdings.keys().fold(Fraction::ZERO, |sum, h| sum + t.ownership(*h));
                assert_eq!(total, Fraction::ONE);
                assert_eq!(t.percentages().iter().map(|(_, m)| m).sum::<i64>(), 1_000_000);
            }
            assert_eq!(r.new_capital + r.reserve, r.new_money, "money adds up");
            assert_eq!(r.holders.iter().map(|h| h.new_capital).sum::<Money>(), r.new_capital);
        }
    }

    #[test]
    fn a_holder_who_stays_out_is_diluted_by_exactly_new_money_over_post_money() {
        // Exact whenever the new capital is a whole number of fen: here the price is a whole
        // number of fen per yuan of capital and capital moves in whole yuan.
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        for _ in 0..2_000 {
            let price_fen = 1 + i64::try_from(rng.next(5_000)).unwrap();
            let capital_yuan: Vec<i64> =
                (0..1 + rng.next(6)).map(|_| 1 + i64::try_from(rng.next(10_000_000)).unwrap()).collect();
            let before = table(
                &capital_yuan.iter().enumerate().map(|(h, y)| (i64::try_from(h).unwrap(), *y)).collect::<Vec<_>>(),
            );
            let total_yuan: i64 = capital_yuan.iter().sum();
            let new_yuan = 1 + i64::try_from(rng.next(5_000_000)).unwrap();
            let terms = RoundTerms {
                pre_money: Money::from_fen(total_yuan * price_fen),
                participants: vec![(INVESTOR, Money::from_fen(new_yuan * price_fen))],
            };
            let r = round(&before, &terms).unwrap();
            let expected = Fraction::new(i128::from(r.new_money.fen()), i128::from(r.post_money.fen()));
            for h in r.holders.iter().filter(|h| h.holder != INVESTOR) {
                assert_eq!(h.dilution() / h.before, expected, "holder {}", h.holder);
                assert!(!h.kept_share);
            }
        }
    }
}
