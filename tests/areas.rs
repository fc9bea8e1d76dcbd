//! 区域指数 (docs/areas.md) through the real binary: nested areas from the roster's 所属区域 and 权重 columns,
//! an excluded member, a provisional result, the JSON `groups`, the 区域指数 sheet and reading it back.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use std::io::Cursor;

fn set() -> String {
    format!(
        r#"schema = 1
name = "区域测试体系"
version = "1"
scale = 1000

[[category]]
code = "unit"
name = "单位"

[[station]]
code = "S01"
name = "第三方评估"

{WARNINGS}
[[indicator]]
code = "A"
name = "评估"
max = 1000

[[indicator]]
code = "A1"
parent = "A"
name = "第三方评估得分"
max = 1000
station = "S01"
rule = "direct"
missing = "exclude"
"#
    )
}

fn roster(weight_of_u2: C) -> Book {
    let head = ["单位代码", "单位名称", "所属区域", "权重"].map(t).to_vec();
    Book::new().sheet(
        "单位",
        vec![
            head,
            vec![t("U1"), t("甲村"), t("定海区/白泉镇"), C::Blank],
            vec![t("U2"), t("乙村"), t(" 定海区 / 白泉镇 "), weight_of_u2],
            vec![t("U3"), t("丙村"), t("定海区/干览镇"), C::Blank],
            vec![t("U4"), t("丁村"), t("定海区/干览镇"), n(2.0)],
            vec![t("U5"), t("戊公司"), C::Blank, C::Blank],
        ],
    )
}

fn area_project() -> Workdir {
    let wd = Workdir::new();
    wd.write("zhili.toml", format!("{PROJECT}area_scale = 100\n")).write("set.toml", set());
    wd.book("roster.xlsx", roster(n(3.0)));
    // U4 has no record: its leaf, and so its total, is excluded.
    wd.book(
        "stations/S01-Q1.xlsx",
        Book::station(
            "S01",
            "2024Q1",
            vec![
                row("U1", "A1", n(900.0)),
                row("U2", "A1", n(800.0)),
                row("U3", "A1", n(950.0)),
                row("U5", "A1", n(500.0)),
            ],
        ),
    );
    wd
}

/// An area as the JSON gives it: (code, index, level, units, excluded, rank, provisional).
type Area = (String, Option<f64>, Option<String>, u64, u64, Option<u64>, bool);

fn groups(json: &serde_json::Value) -> Vec<Area> {
    json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["code"].as_str().unwrap().to_string(),
                g["index"].as_f64(),
                g["level"].as_str().map(String::from),
                g["units"].as_u64().unwrap(),
                g["excluded"].as_u64().unwrap(),
                g["rank"].as_u64(),
                g["provisional"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn nested_areas_with_weights_an_excluded_member_and_the_report_sheet() {
    let wd = area_project();
    wd.run(&["score", "--period", "2024Q1", "-q"]).status(0);
    let json = wd.json("out/2024Q1.json");
    // Rates of the full 1000: U1 0.9 (weight 1), U2 0.8 (weight 3), U3 0.95, U4 none (excluded), U5 in no area.
    // 白泉镇 = (0.9 + 3 × 0.8) / 4 = 0.825 → 82.50 of 100, blue (below 90);
    // 干览镇 = 0.95 → 95.00 (U4 excluded, its weight 2 takes no part), no warning;
    // 定海区 = (0.9 + 2.4 + 0.95) / 5 = 0.85 → 85.00, blue. Ranks among siblings: 干览镇 1, 白泉镇 2.
    let s = |x: &str| x.to_string();
    assert_eq!(
        groups(&json),
        [
            (s("定海区"), Some(85.0), Some(s("blue")), 4, 1, Some(1), false),
            (s("定海区/白泉镇"), Some(82.5), Some(s("blue")), 2, 0, Some(2), false),
            (s("定海区/干览镇"), Some(95.0), None, 2, 1, Some(1), false),
        ]
    );
    assert_eq!(json["groups"][1]["parent"], "定海区");
    assert_eq!(json["groups"][1]["name"], "白泉镇");
    assert_eq!(json["groups"][0]["max"], 100);
    // Each unit carries its normalised area and its weight (absent when blank).
    let unit = |c: &str| json["units"].as_array().unwrap().iter().find(|u| u["code"] == c).unwrap().clone();
    assert_eq!(unit("U2")["area"], "定海区/白泉镇");
    assert_eq!(unit("U2")["weight"], 3);
    assert!(unit("U1").get("weight").is_none() && unit("U5").get("area").is_none());

    // The report's 区域指数 sheet says the same, level names shown, and 总览 names each unit's area.
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read("out/2024Q1.xlsx"))).unwrap();
    let sheet = x.worksheet_range("区域指数").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][0], Data::String("区域".into()));
    assert_eq!(rows[2][0], Data::String("定海区/白泉镇".into()));
    assert_eq!(rows[2][5], Data::Float(82.5));
    assert_eq!(rows[2][9], Data::String("蓝色预警".into()));
    assert_eq!(rows[3][4], Data::Float(1.0), "干览镇 has one unit without a total");
    let overview = x.worksheet_range("总览").unwrap();
    let head: Vec<String> = overview.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = head.iter().position(|h| h == "所属区域").expect("总览 has 所属区域");
    assert!(
        overview.rows().any(|r| r[1] == Data::String("U3".into()) && r[col] == Data::String("定海区/干览镇".into()))
    );

    // Read back from the report, a result has the same areas (the dashboard and diff may take either).
    wd.run(&["dashboard", "out/2024Q1.xlsx", "--out", "from-report.html"]).status(0);
    let html = String::from_utf8(wd.read("from-report.html")).unwrap();
    assert!(html.contains("白泉镇") && html.contains("82.50"), "the page lists the areas with their indices");
    // The public page ranks areas but gives no index (an area of one unit would give its score away).
    wd.run(&["dashboard", "out/2024Q1.json", "--out", "public.html", "--public"]).status(0);
    let public = String::from_utf8(wd.read("public.html")).unwrap();
    assert!(public.contains("区域指数") && public.contains("白泉镇"));
    assert!(!public.contains("82.5") && !public.contains("85.0") && !public.contains("95.0"));
}

#[test]
fn a_provisional_result_makes_its_areas_provisional() {
    let wd = area_project();
    // A quarterly station scored over the year with only Q1 sent: Q2–Q4 are missing, the result is provisional.
    wd.write("set.toml", set().replace("name = \"第三方评估\"", "name = \"第三方评估\"\nfrequency = \"quarter\""));
    wd.run(&["score", "--period", "2024", "-q"]).status(3);
    let json = wd.json("out/2024.json");
    assert_eq!(json["complete"], false);
    let g = groups(&json);
    assert_eq!(g.len(), 3);
    assert!(g.iter().all(|g| g.6), "every area is provisional: {g:?}");
    // The numbers themselves are those of the records there are.
    assert_eq!((g[1].1, g[2].1), (Some(82.5), Some(95.0)));
}

#[test]
fn a_bad_weight_names_its_cell_and_nothing_is_written() {
    let wd = area_project();
    wd.book("roster.xlsx", roster(t("三")));
    let r = wd.run(&["score", "--period", "2024Q1", "-q"]);
    r.status(1).stderr_has("roster.xlsx").stderr_has("D3").stderr_has("权重 \"三\" 不是正数");
    wd.book("roster.xlsx", roster(n(0.0)));
    wd.run(&["score", "--period", "2024Q1", "-q"]).status(1).stderr_has("权重 0 不是正数");
    assert!(!wd.exists("out/2024Q1.json"));
    // A bad area_scale is the project's error.
    wd.book("roster.xlsx", roster(n(3.0)));
    wd.write("zhili.toml", format!("{PROJECT}area_scale = 0\n"));
    wd.run(&["score", "--period", "2024Q1", "-q"]).status(1).stderr_has("area_scale 必须大于 0");
}

#[test]
fn without_an_area_column_nothing_changes() {
    let wd = project();
    wd.run(&["score", "--period", "2024Q1", "-q"]).status(3);
    let json = wd.json("out/2024Q1.json");
    assert!(json.get("groups").is_none());
    let x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read("out/2024Q1.xlsx"))).unwrap();
    assert!(!x.sheet_names().contains(&"区域指数".to_string()));
}
