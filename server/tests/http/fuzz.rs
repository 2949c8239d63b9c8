//! Generated input for the server's own parsers: every server function's form decoding (the
//! same `FromReq` the router runs), and the import file reader for CSV and XLSX. None may panic;
//! what the reader accepts must come back as written. (The domain's parsers are fuzzed in
//! `domain::fuzz`; the OCF export in the service tests.)

use app::error::AppError;
use axum::body::Body;
use domain::fuzz::Gen;
use leptos::server_fn::codec::{FromReq, PostUrl};
use server::files::{self, FileError};

/// Multiplies every iteration count: `FUHUA_FUZZ_SCALE=10` for the long run.
fn scale() -> usize {
    std::env::var("FUHUA_FUZZ_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1)
}

/// The keys the server functions' forms use, for generating bodies that get past the first key.
const KEYS: &[&str] = &[
    "email",
    "password",
    "next",
    "token",
    "id",
    "version",
    "user",
    "active",
    "link",
    "startup",
    "carrier",
    "floor",
    "unit",
    "on",
    "district",
    "year",
    "set",
    "criterion",
    "level",
    "submit",
    "effective_on",
    "reason",
    "code",
    "form[name]",
    "form[kind]",
    "form[level]",
    "form[district_id]",
    "form[opened_on]",
    "form[industries][0]",
    "form[industries][99999]",
    "form[rows][0][amount]",
    "form[rows][3][name]",
    "form[email]",
    "form[role]",
    "form[carrier_id]",
    "form[startup_name]",
    "form[new_password]",
    "form[team_size]",
    "form[founders][0][name]",
    "query[page]",
    "query[from]",
    "query[to]",
    "query[on]",
    "query[search]",
    "lease[units][0]",
    "lease[starts_on]",
    "change[action]",
    "change[unit][gross_area]",
    "event[kind]",
    "form",
    "form[",
    "form]]",
    "[",
    "a[b][c][d][e][f][g]",
];

/// A urlencoded body: keys the forms use (or not), values from the generator, percent-encoded
/// or raw.
fn body(g: &mut Gen) -> String {
    if g.chance(5) {
        return String::from_utf8_lossy(&g.bytes(200)).into_owned();
    }
    let mut pairs = Vec::new();
    for _ in 0..g.below(12) {
        let key = if g.chance(85) { (*g.pick(KEYS)).to_owned() } else { g.text(3) };
        let value = g.text(5);
        let value = if g.chance(50) { encode(&value) } else { value };
        pairs.push(format!("{key}={value}"));
    }
    pairs.join(if g.chance(95) { "&" } else { ";" })
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn decode<T: FromReq<PostUrl, http::Request<Body>, AppError>>(text: String) -> bool {
    let request = http::Request::builder()
        .method("POST")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(text))
        .expect("a request");
    T::from_req(request).await.is_ok()
}

/// Decodes `text` as the arguments of each server function named, counting the successes.
macro_rules! decode_all {
    ($text:expr, $($function:ty),* $(,)?) => {{
        let mut decoded = 0usize;
        let mut functions = 0usize;
        $(
            functions += 1;
            if decode::<$function>($text.clone()).await {
                decoded += 1;
            }
        )*
        (functions, decoded)
    }};
}

#[tokio::test]
async fn every_server_functions_form_decoding_refuses_hostile_bodies_without_panicking() {
    use app::{
        accounts::api::*, audit::api::*, carriers::api::*, catalogue::api::*, dashboard::api::*, equity::api::*,
        home::api::*, readiness::api::*, spaces::api::*, tenancy::api::*,
    };
    let mut g = Gen::new(11);
    let rounds = 1_500 * scale();
    let (mut total, mut decoded, mut functions) = (0usize, 0usize, 0usize);
    for _ in 0..rounds {
        let text = body(&mut g);
        let (count, ok) = decode_all!(
            text,
            AcceptInvitation,
            AddTarget,
            AddUnit,
            AdmitApplication,
            ApproveLink,
            ChangePassword,
            ChangeUnit,
            CreateApplication,
            CreateBuilding,
            CreateCarrier,
            CreateFloor,
            CreateSite,
            FileAnnualReturn,
            GetAnnualReturn,
            GetApplication,
            GetAreaReport,
            GetCapTable,
            GetCarrier,
            GetCarrierFloors,
            GetChecklists,
            GetCityPortfolio,
            GetDashboard,
            GetFloor,
            GetImport,
            GetInvitation,
            GetLease,
            GetMe,
            GetOccupancy,
            GetOperatorHome,
            GetPasswordReset,
            GetPortfolio,
            GetReadiness,
            GetRegistrySummary,
            GetRentRoll,
            GetRound,
            GetRuleSets,
            GetStartupProfile,
            GetTargets,
            GetUnit,
            Invite,
            IssuePasswordReset,
            ListAccounts,
            ListApplications,
            ListAudit,
            ListCarrierChoices,
            ListCarrierDirectory,
            ListCarriers,
            ListDistricts,
            ListPendingApprovals,
            ListStartupLeases,
            ListTenants,
            Login,
            Logout,
            MoveApplication,
            OverrideCreditCode,
            RecordEquityEvent,
            RecordLeaseEvent,
            RecordTenantStage,
            RegisterStartup,
            RemoveCriterion,
            RemoveTarget,
            ResetPassword,
            ReverseEquityEvent,
            SaveCriterion,
            SearchCatalogue,
            SetAccountActive,
            SetCarrierArchived,
            SetStartupYear,
            UpdateCarrier,
            UpdateListing,
            UpdateTarget,
            UpdateStartupProfile,
        );
        functions = count;
        total += count;
        decoded += ok;
    }
    // Every server function is here: one added without its line fails this.
    assert_eq!(functions, leptos::server_fn::axum::server_fn_paths().count(), "a server function is not fuzzed");
    eprintln!(
        "[measure] server-function decoding: {total} generated bodies to {functions} functions, {decoded} decoded, 0 panics"
    );
    assert!(decoded > 0, "some bodies are well-formed enough to decode");
}

#[test]
fn the_import_reader_refuses_hostile_csv_without_panicking_and_reads_back_what_it_accepts() {
    let mut g = Gen::new(12);
    let rounds = 40_000 * scale();
    for _ in 0..rounds {
        let bytes = if g.chance(30) {
            g.bytes(400)
        } else {
            let mut text = String::new();
            for _ in 0..g.below(6) {
                let cells: Vec<String> = (0..g.below(14)).map(|_| g.text(3)).collect();
                text.push_str(&cells.join(if g.chance(90) { "," } else { ";" }));
                text.push_str(if g.chance(90) { "\n" } else { "\r\n" });
            }
            text.into_bytes()
        };
        let _ = files::read_table("units.csv", &bytes);
    }
    // What the writer writes, the reader reads back, whatever the cells hold.
    for _ in 0..rounds / 10 {
        let header = ["a", "b", "c"];
        let rows: Vec<Vec<String>> = (0..1 + g.below(5)).map(|_| (0..3).map(|_| g.text(3)).collect()).collect();
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|row| row.into_iter().map(|cell| cell.chars().filter(|c| *c != '\u{feff}').collect()).collect())
            .collect();
        let bytes = files::csv_bytes(&header, &rows).unwrap();
        match files::read_table("x.csv", &bytes) {
            Ok(table) => {
                // Empty rows in the middle stay; a row of nothing but empty cells may lose width.
                for (written, read) in rows.iter().zip(&table[1..]) {
                    if written.iter().any(|c| !c.is_empty()) {
                        assert_eq!(written, read);
                    }
                }
            }
            Err(FileError::TooLarge) => {}
            Err(other) => panic!("{other:?} for {rows:?}"),
        }
    }
}

#[test]
fn the_import_reader_refuses_damaged_and_hostile_workbooks_without_panicking() {
    let mut g = Gen::new(13);
    let rounds = 1_500 * scale();
    let mut accepted = 0;
    for round in 0..rounds {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let mut written = Vec::new();
        for _ in 0..g.below(8) {
            let (row, column) = (u32::try_from(g.below(30)).unwrap(), u16::try_from(g.below(15)).unwrap());
            let text: String = g.text(4).chars().filter(|c| !c.is_control()).take(200).collect();
            if !text.is_empty() && sheet.write_string(row, column, &text).is_ok() {
                written.push((row, column, text));
            }
        }
        if g.chance(20) {
            // Far outside the limits: must be refused, not allocated.
            let _ = sheet.write_string(1_048_575, u16::try_from(g.below(16_384)).unwrap(), "far");
        }
        let mut bytes = workbook.save_to_buffer().unwrap();
        if round % 3 == 0 {
            // Damage: flip a few bytes anywhere in the zip.
            for _ in 0..1 + g.below(4) {
                let at = g.below(bytes.len());
                bytes[at] ^= u8::try_from(1 + g.below(255)).unwrap();
            }
        }
        if let Ok(table) = files::read_table("units.xlsx", &bytes) {
            accepted += 1;
            assert!(table.len() <= files::MAX_ROWS + 1);
        }
    }
    assert!(accepted > 0);
}
