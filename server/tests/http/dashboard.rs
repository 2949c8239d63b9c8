//! The bureau's dashboard through HTTP: the page in Chinese, every table's downloads holding the
//! rows the page shows, the filters' errors, and the annual statistics report filed and
//! downloaded as an operator does.

use crate::support::{TestApp, encode, spawn_app, system_bureau, unique};
use domain::dashboard::TableKind;
use domain::{CarrierId, DistrictId, Lang};
use serde_json::Value;

/// A carrier in 兰山区 with 1,234.5 m² since 2024; returns it.
async fn carrier_with_area(app: &TestApp) -> CarrierId {
    let carrier = app.carrier(&format!("看板孵化器{}", unique()), "兰山区").await;
    let operator = crate::support::operators();
    let site = service::spaces::create_site(
        &app.db.conn,
        &operator,
        carrier,
        &domain::space::PlaceForm { name: "看板园区".into(), address: "临沂市兰山区".into() },
    )
    .await
    .unwrap();
    let building = service::spaces::create_building(&app.db.conn, &operator, site, "A座").await.unwrap();
    let floor = service::spaces::create_floor(&app.db.conn, &operator, building, "1F").await.unwrap();
    let spec = domain::space::UnitForm {
        kind: "private_office".into(),
        gross_area: "1234.5".into(),
        usable_area: "1100".into(),
        use_category: "tenant".into(),
        ..Default::default()
    }
    .parse_spec()
    .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    service::spaces::add_unit(&app.db.conn, &operator, floor, "101", &spec, day, "新建").await.unwrap();
    carrier
}

fn read_xlsx_cells(bytes: &[u8]) -> Vec<Vec<calamine::Data>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    range.rows().map(<[calamine::Data]>::to_vec).collect()
}

fn read_xlsx(bytes: &[u8]) -> Vec<Vec<String>> {
    read_xlsx_cells(bytes).into_iter().map(|r| r.iter().map(ToString::to_string).collect()).collect()
}

/// Whether a spreadsheet cell holds what the page shows as `plain` (`1234.50`, `83.05%`, a name):
/// a figure as a number, anything else as its text.
fn holds(cell: &calamine::Data, plain: &str) -> bool {
    use calamine::Data;
    match cell {
        Data::Float(value) => {
            // The same decimal, read the same way (a percentage as its fraction): the same float.
            let digits = plain.strip_suffix('%').map_or_else(|| plain.to_owned(), server::files::hundredth_of);
            digits.parse::<f64>().is_ok_and(|v| v.to_bits() == value.to_bits())
        }
        Data::String(text) => text == plain,
        Data::Empty => plain.is_empty(),
        _ => false,
    }
}

fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap()).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bureau_reads_the_dashboard_and_every_download_holds_the_rows_on_the_screen() {
    let app = spawn_app().await;
    let carrier = carrier_with_area(&app).await;
    let district = DistrictId(app.district("兰山区").await);
    let bureau = app.bureau().await;
    let on = "2025-06-30";

    let (status, page) = app.page_as(&bureau, &format!("/dashboard?on={on}"), false).await;
    assert_eq!(status, 200);
    // The founding plan closed at the end of 2020 and shows how it ended.
    for text in ["孵化载体数据看板", "孵化载体面积倍增计划", "已结束", "截止时未达成", "按区县", "月度孵化面积"]
    {
        assert!(page.contains(text), "the dashboard lacks {text}");
    }
    // The district filter, as the GET form sends it.
    let (status, page) = app.page_as(&bureau, &format!("/dashboard?on={on}&district={}", district.0), false).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("/carriers?district={}", district.0)), "figures link to the carriers");

    let view =
        service::dashboard::dashboard(&app.db.conn, &system_bureau(), "2025-06-30".parse().unwrap(), Some(district))
            .await
            .unwrap();
    let rows = service::dashboard::carrier_figures(&app.db.conn, &system_bureau(), on.parse().unwrap(), Some(district))
        .await
        .unwrap();
    assert!(rows.iter().any(|c| c.id == carrier));
    // The page links to the list and the download of every carrier instead of listing them.
    assert!(!page.contains("data-testid=\"table-carriers\""), "the dashboard lists no carriers itself");
    assert!(page.contains("/dashboard/export/carriers.xlsx?"), "the carriers' download is offered");
    for kind in TableKind::ALL {
        let table = match kind {
            TableKind::Carriers => domain::dashboard::carriers_table(&rows, &texts::Fluent(Lang::Zh)),
            _ => view.table(*kind, &texts::Fluent(Lang::Zh)).unwrap(),
        };
        // Every shown cell is on the page (the carriers' rows are in the download only).
        for row in table.rows.iter().filter(|_| *kind != TableKind::Carriers) {
            for cell in row {
                let shown = cell.shown.replace('&', "&amp;");
                assert!(page.contains(&shown), "{kind:?}: the page lacks {shown}");
            }
        }
        for ext in ["csv", "xlsx"] {
            let response = bureau
                .get(app.url(&format!("/dashboard/export/{}.{ext}?on={on}&district={}", kind.code(), district.0)))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{kind:?}.{ext}");
            let bytes = response.bytes().await.unwrap();
            if ext == "csv" {
                let rows = read_csv(&bytes);
                assert_eq!(rows[0], table.columns, "{kind:?}.{ext} header");
                assert_eq!(rows[1..].to_vec(), table.plain_rows(), "{kind:?}.{ext} rows");
                continue;
            }
            // The spreadsheet holds the same rows, and its figures as numbers.
            assert_eq!(read_xlsx(&bytes)[0], table.columns, "{kind:?}.xlsx header");
            let cells = read_xlsx_cells(&bytes);
            assert_eq!(cells.len() - 1, table.rows.len(), "{kind:?}.xlsx rows");
            for (row, plain) in cells[1..].iter().zip(table.plain_rows()) {
                for (column, (cell, plain)) in row.iter().zip(&plain).enumerate() {
                    assert!(holds(cell, plain), "{kind:?}.xlsx: {cell:?} for {plain}");
                    let figure = plain.trim_end_matches('%').parse::<f64>().is_ok();
                    if table.numeric[column] && figure {
                        assert!(matches!(cell, calamine::Data::Float(_)), "{kind:?}.xlsx: {plain} is not a number");
                    }
                }
            }
        }
    }
    // The district's total row, in the spreadsheet: 1,234.50 m² of this test's carrier.
    let sheet = read_xlsx(
        &bureau
            .get(app.url(&format!("/dashboard/export/districts.xlsx?on={on}&district={}", district.0)))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    );
    assert_eq!(sheet.last().unwrap()[2], "1234.5", "the total, as the number 1,234.50");
    // English headers on request.
    let english = read_csv(
        &bureau
            .get(app.url(&format!("/dashboard/export/kinds.csv?on={on}&lang=en")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    );
    assert_eq!(english[0][0], "Kind");

    // Mistakes get a clear answer, not a 500.
    let bad_day = bureau.get(app.url("/dashboard/export/districts.csv?on=2025-13-01")).send().await.unwrap();
    assert_eq!(bad_day.status(), 422);
    let unknown = bureau.get(app.url("/dashboard/export/nothing.csv")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    let no_district = bureau.get(app.url("/dashboard/export/districts.csv?district=999999")).send().await.unwrap();
    assert_eq!(no_district.status(), 422);
    let response = app.call_as(&bureau, "get_dashboard", "district=999999").await;
    assert_eq!(response.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_files_the_annual_return_and_downloads_the_statistics_report() {
    let app = spawn_app().await;
    let carrier = carrier_with_area(&app).await;
    let (operator, _) = app.operator_of(carrier).await;
    let form = |fund: &str| {
        encode(&[
            ("carrier", carrier.to_string()),
            ("form[year]", "2025".into()),
            ("form[fund]", fund.into()),
            ("form[income_rent]", "2,000,000".into()),
            ("form[income_services]", "499.99".into()),
            ("form[income_investment]", "0".into()),
            ("form[income_other]", "0".into()),
            ("form[staff_total]", "8".into()),
            ("form[staff_professional]", "6".into()),
            ("form[mentors]", "4".into()),
            ("form[typical_cases]", "3".into()),
            ("form[events_held]", "12".into()),
        ])
    };
    // A typing mistake is refused with its field and nothing is filed.
    let refused = app.call_as(&operator, "file_annual_return", &form("五百万")).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("fund"));
    let view: Value = app
        .call_as(&operator, "get_annual_return", &format!("carrier={carrier}&year=2025"))
        .await
        .json()
        .await
        .unwrap();
    assert!(view["filed"].is_null());
    // Without JavaScript: the form posts, and the browser lands on the saved return.
    let response = app
        .post_form_as(&operator, "file_annual_return", &form("5,000,000"), &format!("/carriers/{carrier}/annual"))
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], format!("/carriers/{carrier}/annual?year=2025&saved=1"));
    let (status, page) = app.page_as(&operator, &format!("/carriers/{carrier}/annual?year=2025&saved=1"), false).await;
    assert_eq!(status, 200);
    assert!(page.contains("年度统计已保存") && page.contains("5000000.00"), "the saved return is shown");

    let bytes = operator
        .get(app.url(&format!("/reports/torch.xlsx?year=2025&carrier={carrier}")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let rows = read_xlsx(&bytes);
    // The national form's header, in Chinese whatever the reader's language.
    assert_eq!(rows[0], service::readiness::torch_header());
    assert_eq!(rows[0][..3], ["载体名称", "所在区县", "载体类型"]);
    let header = service::readiness::torch_header();
    let cells = read_xlsx_cells(&bytes);
    let col = |name: &str| cells[1][header.iter().position(|c| *c == name).unwrap()].clone();
    // Figures as numbers, which Excel sums; the year too, without a thousands separator.
    use calamine::Data;
    assert_eq!(col("场地总面积（㎡）"), Data::Float(1234.5));
    assert_eq!(col("孵化基金总额（千元）"), Data::Float(5000.0));
    assert_eq!(col("总收入（千元）"), Data::Float(2000.0), "2,000,499.99 yuan");
    assert_eq!(col("综合服务收入（千元）"), Data::Float(0.0), "499.99 yuan rounds down");
    assert_eq!(cells[1][0], Data::String(rows[1][0].clone()), "the name stays text");

    // The checklist page names each criterion's figure and source.
    let (status, page) = app.page_as(&operator, &format!("/carriers/{carrier}/readiness?on=2025-12-31"), false).await;
    assert_eq!(status, 200);
    for text in [
        "国家级科技企业孵化器认定条件（2018）",
        "可自主支配的孵化场地面积不低于10000平方米",
        "未达标",
        "待核实",
        "2025年度统计填报",
        "空间面积台账",
    ] {
        assert!(page.contains(text), "the checklist lacks {text}");
    }
}

/// Chinese script (CJK ideographs, their punctuation and full-width forms such as `（㎡）`).
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{3000}'..='\u{303F}' | '\u{3300}'..='\u{33FF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}'))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_english_download_holds_no_chinese_label_and_a_chinese_one_chinese_headers() {
    let app = spawn_app().await;
    carrier_with_area(&app).await;
    let bureau = app.bureau().await;
    let on = "2025-06-30";
    for kind in TableKind::ALL {
        for ext in ["csv", "xlsx"] {
            let get = |lang: &'static str| {
                let url = app.url(&format!("/dashboard/export/{}.{ext}?on={on}&lang={lang}", kind.code()));
                let request = bureau.get(url);
                async move { request.send().await.unwrap().bytes().await.unwrap() }
            };
            let read = |bytes: &[u8]| if ext == "csv" { read_csv(bytes) } else { read_xlsx(bytes) };
            let english = read(&get("en").await);
            assert!(english.len() > 1, "{kind:?}.{ext} has rows");
            for (r, row) in english.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    // Names people typed (a carrier's, a target's) are theirs, in any script.
                    let typed_name = r > 0 && c == 0 && matches!(kind, TableKind::Carriers | TableKind::Targets);
                    assert!(typed_name || !has_chinese(cell), "{kind:?}.{ext} in English, row {r} column {c}: {cell}");
                }
            }
            let chinese = read(&get("zh").await);
            let labels = if *kind == TableKind::Quarterly { &chinese[0][..1] } else { &chinese[0][..] };
            for label in labels {
                assert!(has_chinese(label), "{kind:?}.{ext} in Chinese heads a column {label:?}");
            }
        }
    }
    // The Torch form is filed in Chinese, whatever the reader's language.
    let torch = bureau.get(app.url("/reports/torch.csv?year=2025")).send().await.unwrap().bytes().await.unwrap();
    let header = &read_csv(&torch)[0];
    assert_eq!(header, &service::readiness::torch_header());
    assert!(header.iter().all(|h| has_chinese(h)), "{header:?}");
}
