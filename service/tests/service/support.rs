use domain::carrier::{CarrierDraft, CarrierForm};
use domain::{CarrierId, DistrictId, UserId};
use service::Actor;
use service::testing::TestDb;

/// A fresh database holding Linyi's districts and no carrier; returns the districts' ids.
pub async fn db_with_districts() -> (TestDb, Vec<DistrictId>) {
    let db = TestDb::new().await;
    service::seed::districts(&db.conn).await.expect("seed the districts");
    let districts =
        service::districts::list(&db.conn).await.expect("list the districts").into_iter().map(|d| d.id).collect();
    (db, districts)
}

pub use domain::time::today;

/// A valid carrier in `district`, with `name`; `edit` adjusts the form before it is parsed.
pub fn draft(name: &str, district: DistrictId, edit: impl FnOnce(&mut CarrierForm)) -> CarrierDraft {
    let mut form = CarrierForm {
        name: name.into(),
        kind: "incubator".into(),
        level: "none".into(),
        level_year: "".into(),
        district_id: district.to_string(),
        operator_org: "临沂测试运营有限公司".into(),
        operating_model: "landlord".into(),
        address: "临沂市兰山区测试路1号".into(),
        opened_on: "2019-05-01".into(),
        industries: vec!["new_materials".into()],
        contact_name: "王敏".into(),
        contact_phone: "13805391234".into(),
        contact_email: "".into(),
        ..Default::default()
    };
    edit(&mut form);
    form.parse(today()).expect("the test form is valid")
}

/// Bureau staff, as the services see them.
pub fn bureau() -> Actor {
    Actor {
        user: UserId(1),
        email: "bureau@ly.gov.cn".into(),
        admin: false,
        bureau: true,
        carriers: Default::default(),
        startups: Default::default(),
    }
}

/// The operators of every carrier a test creates (the ids of a fresh database, 1 to 10,000): the
/// fixtures record spaces, admissions, leases and returns as the carriers' own staff do, since
/// the bureau reads those records but does not write them.
pub fn operators() -> Actor {
    Actor {
        user: UserId(3),
        email: "fixtures@carrier.cn".into(),
        bureau: false,
        carriers: (1..=10_000).map(CarrierId).collect(),
        ..bureau()
    }
}

/// An operator of `carriers`.
pub fn operator(carriers: &[CarrierId]) -> Actor {
    Actor {
        user: UserId(2),
        email: "ops@carrier.cn".into(),
        bureau: false,
        carriers: carriers.iter().copied().collect(),
        ..bureau()
    }
}

static CLIENTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A client address no other call returns: registrations are limited per address.
pub fn client() -> String {
    let n = CLIENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("198.18.{}.{}", n / 250, n % 250)
}
