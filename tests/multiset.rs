//! Several indicator sets in one project (docs/multi-set.md) through the real binary: each set scores its
//! categories from shared station files, other sets' rows and stations pass in silence, one picture compares
//! by score rate, and the project's mistakes are named.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use std::io::Cursor;

/// Villages, on 100: one leaf from the shared station S01.
fn village() -> String {
    format!(
        r#"schema = 1
name = "清廉村居"
version = "1"
scale = 100

[[category]]
code = "village"
name = "村"

[[station]]
code = "S01"
name = "第三方评估"
{WARNINGS}
[[indicator]]
code = "A"
name = "村务"
max = 100

[[indicator]]
code = "V1"
parent = "A"
name = "村务评估"
max = 100
station = "S01"
rule = "direct"
"#
    )
}

/// Enterprises, on 1000: one leaf from S01, one from S03, which only this set has.
fn enterprise() -> String {
    format!(
        r#"schema = 1
name = "清廉民企"
version = "1"
scale = 1000

[[category]]
code = "enterprise"
name = "民营企业"

[[station]]
code = "S01"
name = "第三方评估"

[[station]]
code = "S03"
name = "工商联"
{WARNINGS}
[[indicator]]
code = "B"
name = "经营"
max = 1000

[[indicator]]
code = "E1"
parent = "B"
name = "企业评估"
max = 600
station = "S01"
rule = "direct"

[[indicator]]
code = "E2"
parent = "B"
name = "商会评议"
max = 400
station = "S03"
rule = "direct"
"#
    )
}

const PROJECT: &str = r#"roster = "roster.xlsx"
data = ["stations/*.xlsx"]
output = "out"

[[set]]
indicators = "village.toml"
categories = ["village"]

[[set]]
indicators = "enterprise.toml"
categories = ["民营企业"]
"#;

fn roster(extra: Option<(&str, &str, &str, &str)>) -> Book {
    let mut rows = vec![["单位代码", "单位名称", "类别", "所属区域"].map(t).to_vec()];
    let mut units = vec![
        ("V01", "甲村", "village", "白泉镇"),
        ("V02", "乙村", "村", "白泉镇"),
        ("E01", "某公司", "enterprise", "白泉镇"),
        ("E02", "某厂", "民营企业", "干览镇"),
    ];
    units.extend(extra);
    rows.extend(units.iter().map(|(c, n, k, a)| vec![t(c), t(n), t(k), t(a)]));
    Book::new().sheet("单位", rows)
}

/// S01's workbook, serving both sets: the villages' and the enterprises' rows.
fn shared_s01() -> Book {
    let rows = vec![
        row("V01", "V1", n(90.0)),
        row("V02", "V1", n(70.0)),
        row("E01", "E1", n(500.0)),
        row("E02", "E1", n(600.0)),
    ];
    Book::station("S01", "2024Q1", rows)
}

fn two_sets() -> Workdir {
    let wd = Workdir::new();
    wd.write("zhili.toml", PROJECT).write("village.toml", village()).write("enterprise.toml", enterprise());
    wd.book("roster.xlsx", roster(None));
    // S01 serves both sets: one workbook with villages' and enterprises' rows.
    wd.book("stations/S01.xlsx", shared_s01());
    // S03 only the enterprises' set has: the villages' set passes it over.
    wd.book(
        "stations/S03.xlsx",
        Book::station("工商联", "2024Q1", vec![row("E01", "E2", n(350.0)), row("E02", "E2", n(400.0))]),
    );
    wd
}

fn unit<'a>(json: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    json["units"].as_array().unwrap().iter().find(|u| u["code"] == code).unwrap()
}

#[test]
fn each_set_scores_its_own_units_and_the_picture_compares_rates() {
    let wd = two_sets();
    let r = wd.run(&["score", "--period", "2024Q1"]);
    r.status(0).stdout_has("【village】清廉村居").stdout_has("【enterprise】清廉民企");
    r.stdout_has("【综合】2 套指标体系 · 4 个单位").stdout_has("92.50%").stdout_has("81.67/100");
    // Each set's own result, as from a one-set project: no unknown units, no unknown station.
    let v = wd.json("out/2024Q1-village.json");
    assert_eq!(v["indicator_set"]["name"], "清廉村居");
    assert_eq!(v["units"].as_array().unwrap().len(), 2);
    assert_eq!(v["issues"], serde_json::json!([]), "the enterprises' rows and S03 are not the villages' problems");
    assert_eq!((unit(&v, "V01")["total"].as_f64(), unit(&v, "V01")["rank"].as_u64()), (Some(90.0), Some(1)));
    assert_eq!((unit(&v, "V02")["total"].as_f64(), unit(&v, "V02")["level"].as_str()), (Some(70.0), Some("yellow")));
    let e = wd.json("out/2024Q1-enterprise.json");
    assert_eq!(e["issues"], serde_json::json!([]));
    // E01: 500 + 350 = 850 of 1000, blue; E02: 600 + 400 = 1000.
    assert_eq!((unit(&e, "E01")["total"].as_f64(), unit(&e, "E01")["level"].as_str()), (Some(850.0), Some("blue")));
    assert_eq!((unit(&e, "E02")["total"].as_f64(), unit(&e, "E02")["rank"].as_u64()), (Some(1000.0), Some(1)));
    assert!(wd.exists("out/2024Q1-village.xlsx") && wd.exists("out/2024Q1-enterprise.html"));

    // The picture: every unit with its set, by rate; the sets with their sha256 and result files.
    let all = wd.json("out/2024Q1.json");
    let rows: Vec<(String, String, Option<f64>)> = all["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["code"].as_str().unwrap().into(), u["set"].as_str().unwrap().into(), u["rate"].as_f64()))
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        rows,
        [
            (s("E01"), s("enterprise"), Some(0.85)),
            (s("E02"), s("enterprise"), Some(1.0)),
            (s("V01"), s("village"), Some(0.9)),
            (s("V02"), s("village"), Some(0.7))
        ]
    );
    assert_eq!(all["sets"][0]["key"], "village");
    // Each set's mean rate: villages (0.9 + 0.7) / 2 = 0.8, enterprises (0.85 + 1.0) / 2 = 0.925; one warned each.
    assert_eq!((all["sets"][0]["mean_rate"].as_f64(), all["sets"][0]["warned"].as_u64()), (Some(0.8), Some(1)));
    assert_eq!((all["sets"][1]["mean_rate"].as_f64(), all["sets"][1]["warned"].as_u64()), (Some(0.925), Some(1)));
    assert_eq!(all["sets"][1]["result"], "out/2024Q1-enterprise.json");
    assert_eq!(all["sets"][1]["sha256"], zhili::sha256_hex(enterprise().as_bytes()));
    // Areas over both sets, on 100 (the sets' scales differ): 白泉镇 = (0.9 + 0.7 + 0.85) / 3 = 0.81666… → 81.67,
    // blue; 干览镇 = 1.0 → 100.
    let g = &all["groups"];
    assert_eq!(
        (g[0]["code"].as_str(), g[0]["index"].as_f64(), g[0]["level"].as_str()),
        (Some("白泉镇"), Some(81.67), Some("blue"))
    );
    assert_eq!(
        (g[1]["code"].as_str(), g[1]["index"].as_f64(), g[1]["max"].as_f64()),
        (Some("干览镇"), Some(100.0), Some(100.0))
    );
    // The picture's workbook: 综合, 各指标体系, 区域指数.
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read("out/2024Q1.xlsx"))).unwrap();
    let sheet = x.worksheet_range("综合").unwrap();
    let v02 = sheet.rows().find(|r| r[0] == Data::String("V02".into())).unwrap().to_vec();
    assert_eq!((v02[3].clone(), v02[7].clone()), (Data::String("清廉村居".into()), Data::Float(0.7)));
    assert!(x.worksheet_range("各指标体系").is_ok() && x.worksheet_range("区域指数").is_ok());
}

#[test]
fn a_unit_of_no_set_and_a_category_of_two_sets_are_named() {
    let wd = two_sets();
    wd.book("roster.xlsx", roster(Some(("S01X", "某校", "school", "白泉镇"))));
    wd.run(&["score", "--period", "2024Q1", "-q"])
        .status(1)
        .stderr_has("roster.xlsx!单位!C6")
        .stderr_has("未知的类别 \"school\"")
        .stderr_has("village (村)、enterprise (民营企业)");
    assert!(!wd.exists("out/2024Q1.json"));
    wd.write("zhili.toml", PROJECT.replace("categories = [\"民营企业\"]", "categories = [\"民营企业\", \"village\"]"));
    wd.run(&["score", "--period", "2024Q1", "-q"])
        .status(1)
        .stderr_has("类别 \"village\" 已由 [[set]] \"village\" 评价");
    wd.write("zhili.toml", format!("indicators = \"village.toml\"\n{PROJECT}"));
    wd.run(&["score", "--period", "2024Q1", "-q"]).status(1).stderr_has("不能同时写 indicators 和 [[set]]");
    wd.write("zhili.toml", PROJECT.replace("categories = [\"village\"]", "categories = [\"villa\"]"));
    wd.run(&["score", "--period", "2024Q1", "-q"])
        .status(1)
        .stderr_has("[[set]] village: 类别 \"villa\" 不在指标体系“清廉村居”中");
}

#[test]
fn a_row_for_a_unit_of_no_set_is_still_an_error() {
    let wd = two_sets();
    wd.book(
        "stations/S01.xlsx",
        Book::station(
            "S01",
            "2024Q1",
            vec![row("V01", "V1", n(90.0)), row("X99", "V1", n(1.0)), row("E02", "E1", n(600.0))],
        ),
    );
    wd.run(&["score", "--period", "2024Q1", "-q"]).status(3);
    let v = wd.json("out/2024Q1-village.json");
    let kinds: Vec<&str> = v["issues"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"unknown_unit"), "{kinds:?}");
    // --indicators overrides the sets: the project is scored with that one set, and its categories must fit.
    wd.run(&["score", "--period", "2024Q1", "-q", "--indicators", "village.toml", "--json", "one.json"])
        .status(1)
        .stderr_has("未知的类别");
}

/// A CSV naming only another set's station is that set's file; one naming this set's station and another's is a
/// file of two stations in every set, never passed over in silence.
#[test]
fn a_csv_of_one_sets_station_and_anothers_is_an_error_in_each() {
    let wd = two_sets();
    wd.write(
        "zhili.toml",
        PROJECT.replace(r#"data = ["stations/*.xlsx"]"#, r#"data = ["stations/*.xlsx", "stations/*.csv"]"#),
    );
    // S03 only: the enterprises' file, which the villages pass over.
    wd.write("stations/only-s03-2024Q1.csv", "监测站,单位代码,指标代码,数值\nS03,E01,E2,350\n");
    // S01 (both sets) then S03 (the enterprises' only).
    wd.write("stations/mixed-2024Q1.csv", "监测站,单位代码,指标代码,数值\nS01,V01,V1,90\nS03,E01,E2,350\n");
    wd.run(&["score", "--period", "2024Q1", "-q"]).status(3);
    for key in ["village", "enterprise"] {
        let json = wd.json(&format!("out/2024Q1-{key}.json"));
        let issues: Vec<(String, String)> = json["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["kind"].as_str().unwrap().to_string(), i["message"].as_str().unwrap_or("").to_string()))
            .collect();
        let mixed: Vec<&(String, String)> =
            issues.iter().filter(|(_, m)| m.contains("一个 CSV 文件只能来自一个监测站")).collect();
        assert_eq!(mixed.len(), 1, "{key}: {issues:?}");
        assert_eq!(mixed[0].0, "bad_workbook", "{key}");
        assert!(
            !issues.iter().any(|(_, m)| m.contains("only-s03")),
            "{key}: the S03-only file is no one's problem: {issues:?}"
        );
    }
}

#[test]
fn check_validates_every_set_and_the_rosters_categories() {
    let wd = two_sets();
    let r = wd.run(&["check", "--period", "2024Q1"]);
    r.status(0).stdout_has("指标体系 [village] village.toml").stdout_has("指标体系 [enterprise] enterprise.toml");
    r.stdout_has("[enterprise] S03 工商联 2024Q1").stdout_has("错误 0 处");
    // A broken set is named with its line; a [[set]] category the set lacks is the project's error.
    wd.write("enterprise.toml", enterprise().replace("max = 400\nstation = \"S03\"", "max = 400\nstation = \"S09\""));
    wd.write("zhili.toml", PROJECT.replace("categories = [\"village\"]", "categories = [\"village\", \"town\"]"));
    let r = wd.run(&["check"]);
    r.status(1).stdout_has("enterprise.toml:").stdout_has("S09");
    r.stdout_has("zhili.toml: [project] [[set]] village: 类别 \"town\" 不在指标体系“清廉村居”中");
    // A roster unit of no set's category.
    wd.write("enterprise.toml", enterprise());
    wd.write("zhili.toml", PROJECT);
    wd.book("roster.xlsx", roster(Some(("S01X", "某校", "school", "白泉镇"))));
    wd.run(&["check"]).status(1).stdout_has("未知的类别 \"school\"");
}

#[test]
fn a_shared_station_gets_one_template_holding_every_sets_rows() {
    let wd = two_sets();
    let r = wd.run(&["template", "--period", "2024Q1"]);
    r.status(0)
        .stdout_has("S01 (第三方评估) 2024Q1: 2 个指标 (服务 2 套指标体系)")
        .stdout_has("已为 2024Q1 生成 2 份填报模板");
    let names = wd.names("templates/2024Q1");
    assert_eq!(names.len(), 2, "{names:?}");
    let s01 = names.iter().find(|n| n.starts_with("S01")).unwrap();
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read(&format!("templates/2024Q1/{s01}")))).unwrap();
    let data = x.worksheet_range("数据").unwrap();
    let rows: Vec<(String, String)> = data.rows().skip(1).map(|r| (r[1].to_string(), r[3].to_string())).collect();
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(rows, [s("V01", "V1"), s("V02", "V1"), s("E01", "E1"), s("E02", "E1")]);
    let explain = x.worksheet_range("指标说明").unwrap();
    assert_eq!(explain.rows().next().unwrap()[0], Data::String("指标体系".into()));
    // Filled in and sent back as one workbook, it feeds both sets without a problem.
    wd.book(&format!("templates/2024Q1/{s01}"), shared_s01());
    let s03 = names.iter().find(|n| n.starts_with("S03")).unwrap();
    let filled = Book::station("S03", "2024Q1", vec![row("E01", "E2", n(350.0)), row("E02", "E2", n(400.0))]);
    wd.book(&format!("templates/2024Q1/{s03}"), filled);
    wd.run(&["score", "--period", "2024Q1", "-q", "--data", "templates/2024Q1/*.xlsx"]).status(0);
    assert_eq!(wd.json("out/2024Q1.json")["units"][0]["rate"].as_f64(), Some(0.85));
}
