//! The equity ledger against a real database, with examples worked by hand.

use crate::support::{bureau, db_with_districts, operator};
use crate::tenancy::{carrier_with_units, day, member, problem_of, startup, terms, under_review};
use chrono::NaiveDate;
use domain::equity::ledger::{
    Channel, Contribution, Cost, Entry, EventKind, HolderKind, HolderRef, NewEvent, RoundStage,
};
use domain::equity::{Fraction, percent_text};
use domain::{CarrierId, Money, Problem, StartupId};
use service::tenancy::applications;
use service::testing::TestDb;
use service::{ServiceError, equity};

pub(crate) fn yuan(y: i64) -> Money {
    Money::from_yuan(y)
}

pub(crate) fn new(kind: HolderKind, name: &str) -> HolderRef {
    HolderRef::New { kind, name: name.into() }
}

pub(crate) fn founding(rows: &[(HolderRef, i64, i64)]) -> Entry {
    Entry::Formation {
        rows: rows
            .iter()
            .enumerate()
            .map(|(row, (h, subscribed, paid))| Contribution {
                row,
                holder: h.clone(),
                amount: yuan(*subscribed),
                paid_in: yuan(*paid),
                channel: Channel::Cash,
            })
            .collect(),
    }
}

pub(crate) fn round(stage: RoundStage, pre: i64, rows: &[(HolderRef, i64, Channel)], lease: Option<i64>) -> Entry {
    Entry::Round {
        stage,
        pre_money: yuan(pre),
        rows: rows
            .iter()
            .enumerate()
            .map(|(row, (h, amount, channel))| Contribution {
                row,
                holder: h.clone(),
                amount: yuan(*amount),
                paid_in: Money::ZERO,
                channel: *channel,
            })
            .collect(),
        lease,
        discounted: false,
    }
}

pub(crate) fn on(date: NaiveDate, entry: Entry) -> NewEvent {
    NewEvent { on: date, entry, note: String::new() }
}

/// A landlord-plus-shareholder carrier leasing to one startup (rent for equity: six months of
/// 3,000 yuan at an 8,000,000 valuation). Returns the carrier, the startup and the lease.
pub(crate) async fn tenant(db: &TestDb, district: domain::DistrictId, name: &str) -> (CarrierId, StartupId, i64) {
    let (carrier, _, units) = carrier_with_units(db, district, &format!("{name}孵化器"), true).await;
    let company = startup(db, name).await;
    let application = under_review(db, company, carrier).await;
    let mut lease_terms = terms(&units[..1], crate::support::today(), None, "5000");
    lease_terms.rent_for_equity = Some(domain::tenancy::lease::RentForEquity {
        months: 6,
        monthly_amount: yuan(3000),
        valuation: yuan(8_000_000),
    });
    let lease = applications::admit(&db.conn, &operator(&[carrier]), application, &lease_terms).await.unwrap();
    (carrier, company, lease)
}

pub(crate) fn holder_id(view: &domain::equity::ledger::CapTableView, name: &str) -> i64 {
    view.all_holders.iter().find(|h| h.1 == name).unwrap().0
}

fn share(view: &domain::equity::ledger::CapTableView, name: &str) -> String {
    view.holders.iter().find(|h| h.name == name).map_or("—".into(), |h| percent_text(h.millionths))
}

#[tokio::test]
async fn a_capital_increase_with_a_premium_puts_the_excess_into_reserve_and_the_table_reads_on_any_date() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "溢价企业").await;
    let ops = operator(&[carrier]);
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 1, 10),
            founding(&[
                (new(HolderKind::Founder, "张三"), 700_000, 700_000),
                (new(HolderKind::Founder, "李四"), 300_000, 100_000),
            ]),
        ),
    )
    .await
    .unwrap();
    // 2,000,000 in at 8,000,000 pre-money on 1,000,000 of capital: price 8, so 250,000 of
    // capital and 1,750,000 of reserve; the investor owns 20 %, the founders 56 % and 24 %.
    let event = equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 3, 1),
            round(RoundStage::A, 8_000_000, &[(new(HolderKind::Investor, "红杉"), 2_000_000, Channel::Cash)], None),
        ),
    )
    .await
    .unwrap();

    let after = equity::cap_table(&db.conn, &member(company), company, day(2026, 3, 1)).await.unwrap();
    assert_eq!(after.registered_capital, yuan(1_250_000));
    assert_eq!(after.paid_in, yuan(1_050_000), "李四 paid in 100,000 of 300,000");
    assert_eq!(after.reserve, yuan(1_750_000));
    assert_eq!(
        (share(&after, "张三"), share(&after, "李四"), share(&after, "红杉")),
        ("56.0000%".into(), "24.0000%".into(), "20.0000%".into())
    );
    assert_eq!(after.holders.iter().map(|h| h.millionths).sum::<i64>(), 1_000_000);

    let before = equity::cap_table(&db.conn, &member(company), company, day(2026, 2, 28)).await.unwrap();
    assert_eq!(before.registered_capital, yuan(1_000_000));
    assert_eq!((share(&before, "张三"), share(&before, "红杉")), ("70.0000%".into(), "—".into()));
    assert_eq!(before.reserve, Money::ZERO);

    let view = equity::round(&db.conn, &ops, event).await.unwrap();
    assert_eq!(view.price, Fraction::new(8, 1));
    assert_eq!(
        (view.new_money, view.post_money, view.new_capital, view.reserve),
        (yuan(2_000_000), yuan(10_000_000), yuan(250_000), yuan(1_750_000))
    );
    let zhang = view.holders.iter().find(|h| h.name == "张三").unwrap();
    assert_eq!(zhang.pro_rata, yuan(1_400_000));
    assert_eq!(zhang.dilution(), Fraction::new(14, 100));
    assert!(!zhang.kept_share);
}

#[tokio::test]
async fn a_carrier_that_follows_on_pro_rata_keeps_its_share_and_its_portfolio_shows_the_follow_on() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "跟投企业").await;
    let ops = operator(&[carrier]);
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 1, 10),
            founding(&[
                (new(HolderKind::Founder, "王五"), 900_000, 900_000),
                (new(HolderKind::Carrier, "孵化器"), 100_000, 100_000),
            ]),
        ),
    )
    .await
    .unwrap();
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 1, 10)).await.unwrap();
    let carrier_holder = holder_id(&table, "孵化器");
    assert_eq!(table.holders.iter().find(|h| h.id == carrier_holder).unwrap().carrier, Some(carrier));
    // 2,500,000 in at 10,000,000 (price 10): the carrier's pro rata is 250,000 and it takes it.
    let event = equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 4, 1),
            round(
                RoundStage::A,
                10_000_000,
                &[
                    (new(HolderKind::Investor, "启明"), 2_250_000, Channel::Cash),
                    (HolderRef::Existing(carrier_holder), 250_000, Channel::Cash),
                ],
                None,
            ),
        ),
    )
    .await
    .unwrap();
    let view = equity::round(&db.conn, &ops, event).await.unwrap();
    let mine = view.holders.iter().find(|h| h.name == "孵化器").unwrap();
    assert_eq!((mine.invested, mine.pro_rata, mine.new_capital), (yuan(250_000), yuan(250_000), yuan(25_000)));
    assert!(mine.kept_share);
    assert_eq!((mine.before, mine.after), (Fraction::new(1, 10), Fraction::new(1, 10)));

    let portfolio = equity::portfolio(&db.conn, &ops, carrier, day(2026, 4, 1)).await.unwrap();
    assert_eq!(portfolio.rows.len(), 1);
    let row = &portfolio.rows[0];
    assert_eq!(row.ownership, Fraction::new(1, 10));
    assert_eq!(row.capital, yuan(125_000));
    assert_eq!(row.cost, Cost { cash: yuan(350_000), ..Cost::default() });
    assert_eq!((row.initial, row.follow_on), (yuan(100_000), yuan(250_000)));
    assert_eq!(row.latest_round, Some((RoundStage::A, day(2026, 4, 1))));
    // 125,000 of capital at 10 yuan per yuan of capital.
    assert_eq!(row.implied_value, Some(yuan(1_250_000)));
    assert_eq!(row.multiple().unwrap().decimal(2), "3.57");
    assert_eq!(portfolio.total.follow_on, yuan(250_000));
    assert_eq!(portfolio.by_round.iter().map(|g| (g.key.as_str(), g.holdings)).collect::<Vec<_>>(), [("a", 1)]);

    // Before the round the same portfolio has no follow-on and no price.
    let earlier = equity::portfolio(&db.conn, &ops, carrier, day(2026, 2, 1)).await.unwrap();
    assert_eq!((earlier.rows[0].follow_on, earlier.rows[0].implied_value), (Money::ZERO, None));

    // The bureau sees the same figures under the carrier's district and for the city.
    let city = equity::city_portfolio(&db.conn, &bureau(), day(2026, 4, 1)).await.unwrap();
    assert_eq!(city.carriers, 1);
    assert_eq!(city.city, PortfolioTotalsWithoutKey::of(&portfolio.total));
    let district = city.districts.iter().find(|d| d.district == districts[0]).unwrap();
    assert_eq!((district.carriers, district.totals.cost.total()), (1, yuan(350_000)));
    assert!(matches!(equity::city_portfolio(&db.conn, &ops, day(2026, 4, 1)).await, Err(ServiceError::Forbidden)));
}

/// The city's totals carry no key; compare the rest.
struct PortfolioTotalsWithoutKey;
impl PortfolioTotalsWithoutKey {
    fn of(t: &domain::equity::ledger::PortfolioTotals) -> domain::equity::ledger::PortfolioTotals {
        domain::equity::ledger::PortfolioTotals { key: String::new(), ..t.clone() }
    }
}

#[tokio::test]
async fn a_carrier_that_stays_out_of_a_round_is_diluted_by_new_money_over_post_money() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "稀释企业").await;
    let ops = operator(&[carrier]);
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 1, 10),
            founding(&[
                (new(HolderKind::Founder, "赵六"), 900_000, 900_000),
                (new(HolderKind::CarrierFund, "孵化基金"), 100_000, 100_000),
            ]),
        ),
    )
    .await
    .unwrap();
    let event = equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 5, 1),
            round(RoundStage::PreA, 10_000_000, &[(new(HolderKind::Investor, "高瓴"), 2_500_000, Channel::Cash)], None),
        ),
    )
    .await
    .unwrap();
    let view = equity::round(&db.conn, &ops, event).await.unwrap();
    let fund = view.holders.iter().find(|h| h.name == "孵化基金").unwrap();
    assert!(!fund.kept_share);
    assert_eq!(fund.pro_rata, yuan(250_000));
    assert_eq!(fund.after, Fraction::new(8, 100), "10 % becomes 8 %");
    assert_eq!(fund.dilution() / fund.before, Fraction::new(2_500_000, 12_500_000));
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 5, 1)).await.unwrap();
    assert_eq!(share(&table, "孵化基金"), "8.0000%");
}

#[tokio::test]
async fn rent_forgone_under_a_lease_converts_into_equity_at_the_agreed_valuation() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, lease) = tenant(&db, districts[0], "房租入股企业").await;
    let (_, other, other_lease) = tenant(&db, districts[1], "别家企业").await;
    let ops = operator(&[carrier]);
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(day(2026, 1, 10), founding(&[(new(HolderKind::Founder, "钱七"), 1_000_000, 1_000_000)])),
    )
    .await
    .unwrap();
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 1, 10)).await.unwrap();
    assert_eq!(table.equity_leases, [(lease, "房租入股企业孵化器".to_owned(), yuan(18_000), yuan(8_000_000))]);
    // Another startup's lease cannot pay for this one's equity.
    let wrong = on(
        day(2026, 2, 1),
        round(
            RoundStage::Conversion,
            8_000_000,
            &[(new(HolderKind::Carrier, "孵化器"), 18_000, Channel::Rent)],
            Some(other_lease),
        ),
    );
    assert_eq!(problem_of(equity::record(&db.conn, &ops, company, &wrong).await), Problem::LeaseNotForEquity);
    let _ = other;
    // More than the six months of 3,000 the term covers is refused.
    let too_much = on(
        day(2026, 2, 1),
        round(
            RoundStage::Conversion,
            8_000_000,
            &[(new(HolderKind::Carrier, "孵化器"), 18_001, Channel::Rent)],
            Some(lease),
        ),
    );
    assert!(matches!(
        problem_of(equity::record(&db.conn, &ops, company, &too_much).await),
        Problem::MoreThanRent { .. }
    ));
    // 18,000 of rent at 8,000,000 on 1,000,000 of capital: 2,250 of capital, 15,750 of reserve.
    let conversion = on(
        day(2026, 2, 1),
        round(
            RoundStage::Conversion,
            8_000_000,
            &[(new(HolderKind::Carrier, "孵化器"), 18_000, Channel::Rent)],
            Some(lease),
        ),
    );
    equity::record(&db.conn, &ops, company, &conversion).await.unwrap();
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 2, 1)).await.unwrap();
    let mine = table.holders.iter().find(|h| h.name == "孵化器").unwrap();
    assert_eq!((mine.subscribed, mine.cost), (yuan(2_250), Cost { rent: yuan(18_000), ..Cost::default() }));
    assert_eq!(percent_text(mine.millionths), "0.2245%");
    assert_eq!(table.reserve, yuan(15_750));
    // The same rent cannot be converted twice.
    let again = on(
        day(2026, 2, 2),
        round(RoundStage::Conversion, 8_000_000, &[(HolderRef::Existing(mine.id), 18_000, Channel::Rent)], Some(lease)),
    );
    assert_eq!(problem_of(equity::record(&db.conn, &ops, company, &again).await), Problem::LeaseAlreadyConverted);
    let portfolio = equity::portfolio(&db.conn, &ops, carrier, day(2026, 2, 1)).await.unwrap();
    assert_eq!(portfolio.total.cost.rent, yuan(18_000));
    assert_eq!(portfolio.total.initial, yuan(18_000));
}

#[tokio::test]
async fn a_transfer_moves_capital_and_cost_and_leaves_the_registered_capital_alone() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "转让企业").await;
    let ops = operator(&[carrier]);
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 1, 10),
            founding(&[
                (new(HolderKind::Founder, "孙八"), 700_000, 350_000),
                (new(HolderKind::Founder, "周九"), 300_000, 300_000),
            ]),
        ),
    )
    .await
    .unwrap();
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 1, 10)).await.unwrap();
    let seller = holder_id(&table, "孙八");
    let too_much = on(
        day(2026, 6, 1),
        Entry::Transfer {
            from: seller,
            to: new(HolderKind::Carrier, "孵化器"),
            capital: yuan(700_001),
            price: yuan(1),
        },
    );
    assert_eq!(problem_of(equity::record(&db.conn, &ops, company, &too_much).await), Problem::MoreThanHeld);
    // 100,000 of 700,000 capital (half paid in) sold to the carrier for 500,000.
    let sale = on(
        day(2026, 6, 1),
        Entry::Transfer {
            from: seller,
            to: new(HolderKind::Carrier, "孵化器"),
            capital: yuan(100_000),
            price: yuan(500_000),
        },
    );
    equity::record(&db.conn, &ops, company, &sale).await.unwrap();
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 6, 1)).await.unwrap();
    assert_eq!(table.registered_capital, yuan(1_000_000));
    let row = |name: &str| table.holders.iter().find(|h| h.name == name).unwrap().clone();
    assert_eq!((row("孙八").subscribed, row("孙八").paid_in), (yuan(600_000), yuan(300_000)));
    assert_eq!((row("孵化器").subscribed, row("孵化器").paid_in), (yuan(100_000), yuan(50_000)));
    assert_eq!(row("孵化器").cost.cash, yuan(500_000));
    assert_eq!(row("孙八").cost.cash, yuan(300_000), "the seller's cost falls by the share sold: 350,000 × 1/7");
    assert_eq!((share(&table, "孙八"), share(&table, "孵化器")), ("60.0000%".into(), "10.0000%".into()));
    assert_eq!(table.reserve, Money::ZERO, "a transfer's price is between the parties");
}

#[tokio::test]
async fn a_correction_reverses_the_latest_event_which_stays_in_the_ledger_and_can_be_entered_again() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "更正企业").await;
    let ops = operator(&[carrier]);
    let formation = equity::record(
        &db.conn,
        &ops,
        company,
        &on(day(2026, 1, 10), founding(&[(new(HolderKind::Founder, "吴十"), 1_000_000, 1_000_000)])),
    )
    .await
    .unwrap();
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 1, 10)).await.unwrap();
    let founder = holder_id(&table, "吴十");
    let wrong_round = || {
        on(
            day(2026, 3, 1),
            round(RoundStage::Seed, 4_000_000, &[(new(HolderKind::Investor, "错投"), 1_000_000, Channel::Cash)], None),
        )
    };
    let wrong = equity::record(&db.conn, &ops, company, &wrong_round()).await.unwrap();

    // Only the latest live event can be undone: the formation has a round recorded against it.
    assert_eq!(problem_of(equity::reverse(&db.conn, &ops, formation, "录入错误").await), Problem::ReversalBreaksLedger);
    let correction = equity::reverse(&db.conn, &ops, wrong, "投资协议未生效").await.unwrap();
    assert_eq!(problem_of(equity::reverse(&db.conn, &ops, wrong, "再次").await), Problem::AlreadyReversed);
    assert_eq!(problem_of(equity::reverse(&db.conn, &ops, correction, "再次").await), Problem::AlreadyReversed);
    let transfer = on(
        day(2026, 3, 2),
        Entry::Transfer {
            from: founder,
            to: new(HolderKind::EmployeePlatform, "持股平台"),
            capital: yuan(50_000),
            price: Money::ZERO,
        },
    );
    equity::record(&db.conn, &ops, company, &transfer).await.unwrap();

    let table = equity::cap_table(&db.conn, &member(company), company, day(2026, 11, 1)).await.unwrap();
    assert_eq!(table.registered_capital, yuan(1_000_000));
    assert_eq!(table.reserve, Money::ZERO);
    assert_eq!(
        (share(&table, "吴十"), share(&table, "持股平台"), share(&table, "错投")),
        ("95.0000%".into(), "5.0000%".into(), "—".into())
    );
    let wrong_view = table.events.iter().find(|e| e.id == wrong).unwrap();
    assert_eq!(wrong_view.reversed_by, Some(correction), "the corrected event stays, marked");
    let correction_view = table.events.iter().find(|e| e.id == correction).unwrap();
    assert_eq!(
        (correction_view.kind, correction_view.reverses, correction_view.on),
        (EventKind::Reversal, Some(wrong), day(2026, 3, 1))
    );
    assert_eq!(correction_view.lines[0].subscribed, Money::ZERO - wrong_view.lines[0].subscribed);
    assert!(equity::round(&db.conn, &ops, wrong).await.unwrap().reversed);
    assert_ne!(table.correctable, Some(wrong));

    // The investor whose round was undone can be entered again by name, once the round is real.
    let redone = on(
        day(2026, 4, 1),
        round(RoundStage::Seed, 4_000_000, &[(new(HolderKind::Investor, "错投"), 500_000, Channel::Cash)], None),
    );
    equity::record(&db.conn, &ops, company, &redone).await.unwrap();
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 11, 1)).await.unwrap();
    assert_eq!(table.holders.iter().filter(|h| h.name == "错投").count(), 1);
    assert_eq!(table.all_holders.iter().filter(|h| h.1 == "错投").count(), 1, "the same holder, not a second one");
    // Every line of the ledger, corrections included, sums to the live table.
    let summed: Money = table.events.iter().flat_map(|e| &e.lines).map(|l| l.subscribed).sum();
    assert_eq!(summed, table.registered_capital);
}

#[tokio::test]
async fn the_ledger_refuses_events_out_of_order_and_a_second_formation() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "顺序企业").await;
    let ops = operator(&[carrier]);
    let early_round = on(
        day(2026, 2, 1),
        round(RoundStage::Angel, 1_000_000, &[(new(HolderKind::Investor, "天使"), 100_000, Channel::Cash)], None),
    );
    assert_eq!(problem_of(equity::record(&db.conn, &ops, company, &early_round).await), Problem::NotFormedYet);
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(day(2026, 3, 1), founding(&[(new(HolderKind::Founder, "郑一"), 100_000, 100_000)])),
    )
    .await
    .unwrap();
    assert_eq!(
        problem_of(equity::record(&db.conn, &ops, company, &early_round).await),
        Problem::DateBeforeLastEvent { last: "2026-03-01".into() }
    );
    let again = on(day(2026, 4, 1), founding(&[(new(HolderKind::Founder, "郑二"), 1, 1)]));
    assert_eq!(problem_of(equity::record(&db.conn, &ops, company, &again).await), Problem::AlreadyFormed);
    let twice = on(
        day(2026, 4, 1),
        round(RoundStage::Angel, 1_000_000, &[(new(HolderKind::Founder, "郑一"), 1, Channel::Cash)], None),
    );
    assert_eq!(problem_of(equity::record(&db.conn, &ops, company, &twice).await), Problem::NameTaken);
    // Nothing of the refused events was written: still one holder, one event.
    let table = equity::cap_table(&db.conn, &ops, company, day(2026, 11, 1)).await.unwrap();
    assert_eq!((table.all_holders.len(), table.events.len()), (1, 1));
}

#[tokio::test]
async fn only_members_landlord_operators_and_the_bureau_read_and_only_landlord_operators_record() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "权限企业").await;
    let (stranger, _, _) = tenant(&db, districts[0], "旁人企业").await;
    let event = on(day(2026, 1, 10), founding(&[(new(HolderKind::Founder, "冯一"), 100_000, 100_000)]));
    for (who, actor) in [("bureau", bureau()), ("member", member(company)), ("other operator", operator(&[stranger]))] {
        assert!(
            matches!(equity::record(&db.conn, &actor, company, &event).await, Err(ServiceError::Forbidden)),
            "{who} may not record"
        );
    }
    let id = equity::record(&db.conn, &operator(&[carrier]), company, &event).await.unwrap();
    assert!(matches!(equity::reverse(&db.conn, &bureau(), id, "不许").await, Err(ServiceError::Forbidden)));
    for actor in [bureau(), member(company), operator(&[carrier])] {
        equity::cap_table(&db.conn, &actor, company, day(2026, 11, 1)).await.unwrap();
        service::ocf::export(&db.conn, &actor, company, day(2026, 11, 1)).await.unwrap();
    }
    for actor in [operator(&[stranger]), member(StartupId(company.0 + 1))] {
        assert!(matches!(
            equity::cap_table(&db.conn, &actor, company, day(2026, 11, 1)).await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            service::ocf::export(&db.conn, &actor, company, day(2026, 11, 1)).await,
            Err(ServiceError::Forbidden)
        ));
    }
    assert!(matches!(
        equity::portfolio(&db.conn, &operator(&[stranger]), carrier, day(2026, 11, 1)).await,
        Err(ServiceError::Forbidden)
    ));
    let query = domain::account::AuditQuery { entity_type: Some("equity_event".into()), ..Default::default() };
    let trail = service::audit::list(&db.conn, &bureau(), &query).await.unwrap();
    assert!(
        trail.items.iter().any(|r| r.entity_type == "equity_event" && r.entity_id == id && r.action == "formation")
    );
}

/// Readiness counts a tenant as financed when its ledger shows outside money coming in, and the
/// graduation criterion "累计获得天使投资或风险投资超过500万元" reads the same money.
#[tokio::test]
async fn outside_money_in_the_ledger_finances_a_tenant_and_can_prove_a_graduation() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "融资企业").await;
    let ops = operator(&[carrier]);
    let financed = |on: NaiveDate| {
        let db = &db;
        async move {
            let lists = service::readiness::checklists(&db.conn, &bureau(), carrier, on).await.unwrap();
            let list = lists.iter().find(|l| l.rule_set.code.starts_with("national_incubator_2018")).unwrap();
            let check =
                list.checks.iter().find(|c| c.criterion.metric == domain::readiness::Metric::FinancedShare).unwrap();
            assert_eq!(check.figure.source, domain::readiness::Source::Financing);
            check.figure.value
        }
    };
    let today = crate::support::today();
    assert_eq!(financed(today).await, Some(0), "no financing yet");
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(day(2026, 1, 10), founding(&[(new(HolderKind::Founder, "张三"), 1_000_000, 1_000_000)])),
    )
    .await
    .unwrap();
    // The founder's own top-up is not outside money.
    let founder = holder_id(&equity::cap_table(&db.conn, &ops, company, today).await.unwrap(), "张三");
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 2, 1),
            round(RoundStage::Seed, 1_000_000, &[(HolderRef::Existing(founder), 100_000, Channel::Cash)], None),
        ),
    )
    .await
    .unwrap();
    assert_eq!(financed(today).await, Some(0), "a founder's money is not financing");
    // An angel round of 6,000,000 with a carrier follow-on.
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 3, 1),
            round(
                RoundStage::Angel,
                20_000_000,
                &[
                    (new(HolderKind::Investor, "沂蒙天使基金"), 5_500_000, Channel::Cash),
                    (new(HolderKind::Carrier, "融资企业孵化器"), 500_001, Channel::Cash),
                ],
                None,
            ),
        ),
    )
    .await
    .unwrap();
    let before = service::tenancy::tenants::graduation_facts(&db.conn, company, day(2026, 2, 28)).await.unwrap();
    assert_eq!(before.financing_ledger, Money::ZERO, "not before the round");
    assert_eq!(financed(today).await, Some(10_000), "the only tenant: 100 %");
    let facts = service::tenancy::tenants::graduation_facts(&db.conn, company, today).await.unwrap();
    assert_eq!(facts.financing_ledger, yuan(6_000_001));
    // The graduation on the financing criterion needs no reason: the ledger proves it.
    let graduation = domain::tenancy::startup::StageEvent {
        stage: domain::tenancy::startup::TenantStage::Graduated,
        on: today,
        criterion: Some(domain::tenancy::startup::GraduationCriterion::Financing5m),
        note: String::new(),
    };
    service::tenancy::tenants::record_stage(&db.conn, &ops, carrier, company, &graduation).await.unwrap();
}

/// A graduation the records cannot prove is recorded with the operator's reason, marked so in
/// the tenant's history and the audit trail.
#[tokio::test]
async fn an_unproven_graduation_is_recorded_with_its_reason_and_marked() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "上市企业").await;
    let ops = operator(&[carrier]);
    let listing = domain::tenancy::startup::StageEvent {
        stage: domain::tenancy::startup::TenantStage::Graduated,
        on: crate::support::today(),
        criterion: Some(domain::tenancy::startup::GraduationCriterion::AcquiredOrListed),
        note: "新三板挂牌公告".into(),
    };
    service::tenancy::tenants::record_stage(&db.conn, &ops, carrier, company, &listing).await.unwrap();
    let listed = service::tenancy::tenants::list(&db.conn, &ops, carrier, crate::support::today()).await.unwrap();
    let note = &listed[0].events.last().unwrap().note;
    // Marked in the reader's language, with the operator's evidence.
    let zh = domain::text::stored(note).render(&texts::Fluent(domain::Lang::Zh));
    assert_eq!(zh, "[未经记录证明] 新三板挂牌公告");
    let en = domain::text::stored(note).render(&texts::Fluent(domain::Lang::En));
    assert_eq!(en, "[Not proven by the records] 新三板挂牌公告");
    let trail = service::audit::list(&db.conn, &bureau(), &domain::account::AuditQuery::default()).await.unwrap();
    let entry = trail.items.iter().find(|e| e.action == "graduated").unwrap();
    assert!(entry.after.as_deref().unwrap().contains(&domain::text::SystemText::Unproven.store("新三板挂牌公告")));
}

/// The usual landlord-plus-shareholder deal: the carrier's stake at formation paid in rent, its
/// cost kept as rent (not cash), and not counted as outside financing.
#[tokio::test]
async fn the_carriers_stake_at_formation_can_be_paid_in_rent_with_its_cost_kept_as_rent() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "折股企业").await;
    let ops = operator(&[carrier]);
    let entry = Entry::Formation {
        rows: vec![
            Contribution {
                row: 0,
                holder: new(HolderKind::Founder, "张三"),
                amount: yuan(900_000),
                paid_in: yuan(900_000),
                channel: Channel::Cash,
            },
            Contribution {
                row: 1,
                holder: new(HolderKind::Carrier, "折股企业孵化器"),
                amount: yuan(100_000),
                paid_in: yuan(100_000),
                channel: Channel::Rent,
            },
        ],
    };
    equity::record(&db.conn, &ops, company, &on(day(2026, 1, 10), entry)).await.unwrap();
    let today = crate::support::today();
    let table = equity::cap_table(&db.conn, &ops, company, today).await.unwrap();
    let stake = table.holders.iter().find(|h| h.name == "折股企业孵化器").unwrap();
    assert_eq!(stake.cost, Cost { rent: yuan(100_000), ..Cost::default() });
    assert_eq!(share(&table, "折股企业孵化器"), "10.0000%");
    let facts = service::tenancy::tenants::graduation_facts(&db.conn, company, today).await.unwrap();
    assert_eq!(facts.financing_ledger, Money::ZERO, "rent for equity is not financing");
}

/// Capital issued below ¥1 per ¥1 of registered capital is refused unless marked as a discounted
/// issue with a reason; the cap table's capital reserve is the sum of the rounds' reserves,
/// negative ones included.
#[tokio::test]
async fn a_round_below_par_needs_marking_and_the_reserve_is_the_sum_of_the_rounds() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "折价企业").await;
    let ops = operator(&[carrier]);
    equity::record(
        &db.conn,
        &ops,
        company,
        &on(day(2026, 1, 10), founding(&[(new(HolderKind::Founder, "张三"), 1_000_000, 1_000_000)])),
    )
    .await
    .unwrap();
    // 500,000 before the money on 1,000,000 of capital: ¥0.5 per ¥1.
    let below =
        round(RoundStage::Seed, 500_000, &[(new(HolderKind::Investor, "折价投资人"), 100_000, Channel::Cash)], None);
    assert_eq!(
        problem_of(equity::record(&db.conn, &ops, company, &on(day(2026, 2, 1), below.clone())).await),
        Problem::BelowPar { price: "0.5000".into() }
    );
    let Entry::Round { stage, pre_money, rows, lease, .. } = below else { unreachable!() };
    let marked = Entry::Round { stage, pre_money, rows, lease, discounted: true };
    let event = NewEvent { on: day(2026, 2, 1), entry: marked, note: "股东会决议折价增资".into() };
    let discounted = equity::record(&db.conn, &ops, company, &event).await.unwrap();
    // 100,000 for 200,000 of capital: a reserve of −100,000. Then a premium round: ¥4 per ¥1,
    // 400,000 for 100,000 of capital, +300,000.
    let premium =
        round(RoundStage::Angel, 4_800_000, &[(new(HolderKind::Investor, "溢价投资人"), 400_000, Channel::Cash)], None);
    let premium = equity::record(&db.conn, &ops, company, &on(day(2026, 3, 1), premium)).await.unwrap();
    let first = equity::round(&db.conn, &ops, discounted).await.unwrap();
    let second = equity::round(&db.conn, &ops, premium).await.unwrap();
    assert_eq!((first.reserve, second.reserve), (yuan(-100_000), yuan(300_000)));
    let table = equity::cap_table(&db.conn, &ops, company, crate::support::today()).await.unwrap();
    assert_eq!(table.reserve, first.reserve + second.reserve);
    assert_eq!(table.registered_capital, yuan(1_300_000));
}

/// The round page and the cap tables agree to the last shown digit: three equal founders show
/// 33.3334 %, 33.3333 %, 33.3333 % on both (rounding each third half up would show 33.3333 % three
/// times on the round page and disagree).
#[tokio::test]
async fn the_round_page_shows_the_percentages_the_cap_tables_show() {
    let (db, districts) = db_with_districts().await;
    let (carrier, company, _) = tenant(&db, districts[0], "三分企业").await;
    let ops = operator(&[carrier]);
    let founders = [
        (new(HolderKind::Founder, "甲"), 100_000, 100_000),
        (new(HolderKind::Founder, "乙"), 100_000, 100_000),
        (new(HolderKind::Founder, "丙"), 100_000, 100_000),
    ];
    equity::record(&db.conn, &ops, company, &on(day(2026, 1, 10), founding(&founders))).await.unwrap();
    let id = equity::record(
        &db.conn,
        &ops,
        company,
        &on(
            day(2026, 2, 1),
            round(RoundStage::Seed, 3_000_000, &[(new(HolderKind::Investor, "丁"), 700_000, Channel::Cash)], None),
        ),
    )
    .await
    .unwrap();
    let view = equity::round(&db.conn, &ops, id).await.unwrap();
    let before = equity::cap_table(&db.conn, &ops, company, day(2026, 1, 31)).await.unwrap();
    let after = equity::cap_table(&db.conn, &ops, company, day(2026, 2, 1)).await.unwrap();
    for h in &view.holders {
        let shown = |table: &domain::equity::ledger::CapTableView| {
            table.holders.iter().find(|r| r.name == h.name).map_or(0, |r| r.millionths)
        };
        assert_eq!(h.before_millionths, shown(&before), "{} before", h.name);
        assert_eq!(h.after_millionths, shown(&after), "{} after", h.name);
    }
    let mut thirds: Vec<i64> = view.holders.iter().map(|h| h.before_millionths).filter(|m| *m > 0).collect();
    thirds.sort_unstable();
    assert_eq!(thirds, vec![333_333, 333_333, 333_334]);
    assert_eq!(view.holders.iter().map(|h| h.after_millionths).sum::<i64>(), 1_000_000);
}
