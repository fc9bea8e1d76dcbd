//! `zhili score` end to end: workbooks built in code, the real binary in a temp dir, whole outputs compared.

mod common;

use common::*;
use serde_json::json;

#[test]
fn whole_json_result() {
    let wd = project();
    wd.run(&["score", "--period", "2024Q1", "--quiet"]).status(3);
    let sha = |f: &str| zhili::sha256_hex(&wd.read(f));
    // U1: A1 = 20 − 5 = 15; A2 = (0.9 − 0.6)/0.4 × 40 = 30; A = 45 (75%: yellow)
    //     B1 = (mean(5, 3) − 1)/4 × 40 = 30; B = 30 (75%: yellow); total 75 (yellow)
    // U2: A1 = 20 (no events); A2 = (0.8 − 0.6)/0.4 × 40 = 20; A = 40 (66.7%: yellow)
    //     B1 = (5 − 1)/4 × 40 = 40; total 80 — not yellow, blue — then the veto caps it at 50, red
    // U3: A1 = 20 − 10 = 10; A2 = 40; A = 50 (83.3%: blue); B1 no answers → 0 (red); total 50 (red)
    let want = json!({
        "zhili_version": env!("CARGO_PKG_VERSION"),
        "indicator_set": {"name": "集成测试体系", "version": "1", "sha256": sha("set.toml"), "scale": 100},
        "period": "2024Q1",
        "complete": true,
        "inputs": [
            {"path": "stations/S01.xlsx", "sha256": sha("stations/S01.xlsx"), "station": "S01", "period": "2024Q1", "records": 5, "rejected": 1},
            {"path": "stations/S02.xlsx", "sha256": sha("stations/S02.xlsx"), "station": "S02", "period": "2024Q1", "records": 1, "rejected": 0},
            {"path": "stations/S03.xlsx", "sha256": sha("stations/S03.xlsx"), "station": "S03", "period": "2024Q1", "records": 4, "rejected": 0}
        ],
        "units": [
            {"code": "U1", "name": "北马镇", "category": "town", "total": 75, "rank": 1, "level": "yellow",
             "scores": {"A": 45, "A1": 15, "A2": 30, "B": 30, "B1": 30},
             "warnings": [{"scope": "A", "level": "yellow", "score": 45, "max": 60},
                          {"scope": "B", "level": "yellow", "score": 30, "max": 40},
                          {"scope": "total", "level": "yellow", "score": 75, "max": 100}],
             "vetoed": []},
            {"code": "U2", "name": "黄山馆镇", "category": "town", "total": 50, "rank": 2, "level": "red",
             "scores": {"A": 40, "A1": 20, "A2": 20, "B": 40, "B1": 40},
             "warnings": [{"scope": "A", "level": "yellow", "score": 40, "max": 60},
                          {"scope": "total", "level": "red", "score": 50, "max": 100}],
             "vetoed": ["V"]},
            {"code": "U3", "name": "财政局", "category": "dept", "total": 50, "rank": 1, "level": "red",
             "scores": {"A": 50, "A1": 10, "A2": 40, "B": 0, "B1": 0},
             "warnings": [{"scope": "A", "level": "blue", "score": 50, "max": 60},
                          {"scope": "B", "level": "red", "score": 0, "max": 40},
                          {"scope": "total", "level": "red", "score": 50, "max": 100}],
             "vetoed": []}
        ],
        "issues": [
            {"severity": "error", "kind": "unknown_unit", "file": "stations/S01.xlsx", "sheet": "数据", "cell": "B7",
             "message": "单位 \"U9\" 不在单位名册中 (既不是单位代码也不是单位名称)"},
            {"severity": "warning", "kind": "missing_data", "unit": "U3", "indicator": "B1",
             "message": "单位 U3 的指标 B1 2024Q1 没有可用数据,按 missing = \"zero\" 计 0 分"}
        ]
    });
    let mut got = wd.json("out/2024Q1.json");
    // The extension (the method itself, for `diff`) is checked on its own below.
    let set = got["indicator_set"].as_object_mut().unwrap();
    let indicators = set.remove("indicators").unwrap();
    let warnings = set.remove("warnings").unwrap();
    let categories = set.remove("categories").unwrap();
    assert_eq!(set.remove("decimals"), Some(json!(2)), "the set's decimals (extension)");
    assert_eq!(categories, json!([{"code": "town", "name": "镇街区"}, {"code": "dept", "name": "市直部门"}]));
    assert_eq!(got, want, "\n{}", serde_json::to_string_pretty(&got).unwrap());

    let codes: Vec<&str> = indicators.as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["A", "A1", "A2", "B", "B1", "V"], "every indicator, in display order");
    assert_eq!(
        indicators[1],
        json!({"code": "A1", "name": "第一议题", "parent": "A", "max": 20, "weight": null,
               "applies_to": ["town", "dept"], "rule": "points: 每次扣5分,扣完为止 (基础分为满分 20 分)"})
    );
    assert_eq!(indicators[0]["rule"], serde_json::Value::Null, "groups have no rule");
    assert_eq!(warnings[0], json!({"level": "red", "name": "红色预警", "below": 60, "action": "建议书"}));
}

#[test]
fn identical_inputs_give_identical_bytes() {
    let wd = project();
    wd.run(&["score", "--period", "2024Q1", "--json", "a.json", "--quiet"]).status(3);
    wd.run(&["score", ".", "--period", "2024年第一季度", "--json", "b.json", "--quiet"]).status(3);
    assert_eq!(wd.read("a.json"), wd.read("b.json"));
    let text = String::from_utf8(wd.read("a.json")).unwrap();
    assert!(text.ends_with("}\n") && !text.contains("\"time\""));
}

#[test]
fn clean_data_exits_zero_and_strict_refuses_errors() {
    let wd = project();
    wd.run(&["score", "--period", "2024Q1", "--strict"]).status(1).stderr_has("--strict");
    assert!(!wd.exists("out"), "--strict with errors writes nothing");
    // Without the bad row the same run is clean.
    wd.book(
        "stations/S01.xlsx",
        Book::station("S01", "2024Q1", vec![row("U1", "A1", n(1.0)), row("U3", "A2", n(1.0))]),
    );
    wd.run(&["score", "--period", "2024Q1", "--strict", "--quiet"]).status(0);
    assert!(wd.exists("out/2024Q1.json"));
}

#[test]
fn summary_is_chinese_ranked_and_uncoloured_off_a_terminal() {
    let wd = project();
    let r = wd.run_with(&["score", "--period", "2024Q1"], &[]);
    r.status(3)
        .stdout_has("集成测试体系 (1) · 评价期间 2024Q1")
        .stdout_has("【镇街区】")
        .stdout_has("【市直部门】")
        .stdout_has("红色预警")
        .stdout_has("数据问题: 错误 1 条 · 警告 1 条")
        .stdout_has("未知单位 (unknown_unit) 1")
        .stdout_has("stations/S01.xlsx!数据!B7");
    assert!(!r.stdout.contains('\u{1b}'), "no escape codes when stdout is not a terminal");
    // U1 (75) is ranked above U2 (50) in the town table.
    let (u1, u2) = (r.stdout.find("北马镇").unwrap(), r.stdout.find("黄山馆镇").unwrap());
    assert!(u1 < u2);
    assert!(r.stdout.contains("A 政治建设 45.00/60"), "weakest first-level indicator:\n{}", r.stdout);
}

#[test]
fn quiet_prints_nothing() {
    let wd = project();
    let r = wd.run(&["score", "--period", "2024Q1", "--quiet"]);
    r.status(3);
    assert_eq!(r.stdout, "");
    assert!(wd.exists("out/2024Q1.json") && wd.exists("out/2024Q1.xlsx"), "quiet still writes the results");
}

// ---- failures: exit 1, message naming file and place, nothing written ------------

#[test]
fn invalid_indicator_set_names_line_and_column() {
    let wd = project();
    wd.write("set.toml", SET.replace("zero_at = 0.6", "zero_at = 1"));
    let line = SET.lines().position(|l| l == "full_at = 1").unwrap() + 1;
    wd.run(&["score", "--period", "2024Q1"]).status(1).stderr_has(&format!("set.toml:{line}:11:"));
    assert!(!wd.exists("out"));
}

#[test]
fn unreadable_inputs_are_exit_one() {
    let wd = project();
    wd.write("roster.xlsx", "not a workbook");
    wd.run(&["score", "--period", "2024Q1"]).status(1).stderr_has("roster.xlsx");
    let wd = project();
    wd.run(&["score", "--period", "2024Q1", "--indicators", "nope.toml"]).status(1).stderr_has("nope.toml");
    assert!(!wd.exists("out"));
}

#[test]
fn roster_problems_are_listed_with_cells() {
    let wd = project();
    wd.book(
        "roster.xlsx",
        Book::roster(&[("U1", "北马镇", "town"), ("U1", "重复", "town"), ("U4", "某村", "village")]),
    );
    wd.run(&["score", "--period", "2024Q1"])
        .status(1)
        .stderr_has("roster.xlsx!单位!A3")
        .stderr_has("roster.xlsx!单位!C4");
}

#[test]
fn bad_arguments_are_exit_one() {
    let wd = project();
    wd.run(&["score"]).status(1);
    wd.run(&["score", "--period", "2024Q5"]).status(1).stderr_has("2024Q5");
    wd.run(&["score", "--period", "2024Q1", "--trend", "quarter"]).status(1); // not implemented: not accepted
    wd.run(&["score", "nowhere", "--period", "2024Q1"]).status(1).stderr_has("zhili.toml");
    wd.run(&["--help"]).status(0);
}

#[test]
fn refuses_to_overwrite_an_input() {
    let wd = project();
    let before = wd.read("set.toml");
    wd.run(&["score", "--period", "2024Q1", "--json", "set.toml"]).status(1).stderr_has("同一个文件");
    assert_eq!(wd.read("set.toml"), before);
    wd.run(&["score", "--period", "2024Q1", "--json", "./stations/../set.toml"]).status(1);
}

// ---- reading station workbooks -------------------------------------------------

#[test]
fn a_broken_station_workbook_is_skipped_not_fatal() {
    let wd = project();
    wd.write("stations/S00-broken.xlsx", "期间,单位\n2024Q1,U1\n");
    wd.book("stations/S04-noinfo.xlsx", Book::new().sheet("数据", vec![vec![t("单位代码"), t("指标代码")]]));
    wd.book("stations/S05-badstation.xlsx", Book::station("审计局", "2024Q1", vec![]));
    wd.book("stations/S06-noheader.xlsx", Book::station("S01", "2024Q1", vec![]).sheet("x", vec![]));
    wd.book(
        "stations/S07-noheader.xlsx",
        Book::new()
            .sheet("信息", vec![vec![t("监测站"), t("S01")], vec![t("期间"), t("2024Q1")]])
            .sheet("数据", vec![vec![t("foo")]]),
    );
    wd.run(&["score", "--period", "2024Q1", "--quiet"]).status(3);
    let got = issues(&wd.json("out/2024Q1.json"));
    for f in ["S00-broken", "S04-noinfo", "S05-badstation", "S07-noheader"] {
        assert!(got.contains(&("bad_workbook".into(), format!("stations/{f}.xlsx"))), "{f}: {got:?}");
    }
    let json = wd.json("out/2024Q1.json");
    // The good workbooks were still read.
    assert_eq!(json["units"][0]["scores"]["A1"], 15);
    let broken = &json["inputs"][0];
    assert_eq!((broken["path"].as_str(), broken["station"].as_str()), (Some("stations/S00-broken.xlsx"), None));
}

#[test]
fn every_row_issue_kind_at_its_cell() {
    let wd = project();
    wd.write("set.toml", every_issue_set());
    let data = vec![
        vec![t("2024Q1"), t("U1"), t("A2"), C::Blank, n(0.9)], // 2: fine
        vec![t("2024年13月"), t("U1"), t("A2"), C::Blank, n(0.9)], // 3: bad_period (unreadable) A3
        vec![t("2024-04"), t("U1"), t("A2"), C::Blank, n(0.9)], // 4: bad_period (outside workbook) A4
        vec![C::Blank, t("U8"), t("A2"), C::Blank, n(0.9)],    // 5: unknown_unit B5
        vec![C::Blank, t("U1"), t("Z9"), C::Blank, n(0.9)],    // 6: unknown_indicator C6
        vec![C::Blank, t("U1"), t("A"), C::Blank, n(0.9)],     // 7: not_a_leaf C7
        vec![C::Blank, t("U1"), t("BD"), C::Blank, t("优")],   // 8: not_applicable C8
        vec![C::Blank, t("U1"), t("B1"), C::Blank, n(5.0)],    // 9: wrong_station C9
        vec![C::Blank, t("U1"), t("P"), t("z"), n(1.0)],       // 10: unknown_item D10
        vec![C::Blank, t("U1"), t("P"), C::Blank, n(1.0)],     // 11: unknown_item (missing) D11
        vec![C::Blank, t("U1"), t("P"), t("x"), n(1.5)],       // 12: bad_value (count) E12
        vec![C::Blank, t("U1"), t("P"), t("y"), n(4.0)],       // 13: out_of_range E13
        vec![C::Blank, t("U1"), t("P"), t("y"), C::Blank],     // 14: bad_value (range needs a value) E14
        vec![C::Blank, t("U1"), t("A2"), C::Blank, t("九成")], // 15: bad_value E15
        vec![C::Blank, t("U3"), t("BD"), C::Blank, t("良")],   // 16: bad_value (grade) E16
        vec![C::Blank, t("U1"), t("A2"), C::Blank, C::B(true)], // 17: bad_value (boolean) E17
        vec![C::Blank, t("U1"), t("A2"), C::Blank, C::Blank],  // 18: blank value: skipped silently
        vec![C::Blank, t("U1"), t("P"), t("x"), C::Blank],     // 19: blank count = 1: fine
    ];
    wd.book("stations/S01.xlsx", Book::station("S01", "2024Q1", data));
    wd.book(
        "stations/S03.xlsx",
        Book::station("S03", "2024Q1", vec![row("U1", "B1", n(6.0)), row("U1", "B1", t("很好"))]),
    );
    wd.run(&["score", "--period", "2024Q1", "--quiet"]).status(3);
    let json = wd.json("out/2024Q1.json");
    let at = |cell: &str| format!("stations/S01.xlsx!数据!{cell}");
    let want: Vec<(String, String)> = [
        ("bad_period", at("A3")),
        ("bad_period", at("A4")),
        ("unknown_unit", at("B5")),
        ("unknown_indicator", at("C6")),
        ("not_a_leaf", at("C7")),
        ("not_applicable", at("C8")),
        ("wrong_station", at("C9")),
        ("unknown_item", at("D10")),
        ("unknown_item", at("D11")),
        ("bad_value", at("E12")),
        ("out_of_range", at("E13")),
        ("bad_value", at("E14")),
        ("bad_value", at("E15")),
        ("bad_value", at("E16")),
        ("bad_value", at("E17")),
        ("out_of_range", "stations/S03.xlsx!数据!E2".into()),
        ("bad_value", "stations/S03.xlsx!数据!E3".into()),
    ]
    .into_iter()
    .map(|(k, p)| (k.to_string(), p))
    .collect();
    let got: Vec<_> = issues(&json).into_iter().filter(|(k, _)| k != "missing_data").collect();
    assert_eq!(got, want);
    assert_eq!(json["inputs"][0]["records"], 2);
    assert_eq!(json["inputs"][0]["rejected"], 15);
    // the blank count on row 19 is one occurrence of x: P = 10 − 2 = 8
    assert_eq!(json["units"][0]["scores"]["P"], 8);
    let wrong = json["issues"].as_array().unwrap().iter().find(|i| i["kind"] == "wrong_station").unwrap();
    assert_eq!(
        (wrong["unit"].as_str(), wrong["indicator"].as_str(), wrong["station"].as_str()),
        (Some("U1"), Some("B1"), Some("S01"))
    );
}

#[test]
fn periods_windows_and_coarse_records() {
    let wd = project();
    // A yearly workbook: monthly rows (Excel dates and text), one row defaulting to the year.
    wd.book(
        "stations/S01.xlsx",
        Book::station(
            "S01",
            "2024",
            vec![
                vec![C::D(2024, 2, 15), t("U1"), t("A2"), C::Blank, n(1.0)], // Q1: counts
                vec![t("2024-05"), t("U1"), t("A2"), C::Blank, n(0.7)],      // Q2: ignored silently
                vec![t("2024年第一季度"), t("U1"), t("A2"), C::Blank, n(0.8)], // Q1: counts
                vec![C::Blank, t("U1"), t("A1"), C::Blank, n(1.0)],          // 2024: coarse, ignored
            ],
        ),
    );
    wd.run(&["score", "--period", "2024Q1", "--quiet"]).status(0);
    let json = wd.json("out/2024Q1.json");
    // A2 = mean(1, 0.8) = 0.9 → 30; A1 untouched by the coarse record → 20
    assert_eq!(json["units"][0]["scores"]["A2"], 30);
    assert_eq!(json["units"][0]["scores"]["A1"], 20);
    assert_eq!(issues(&json)[0], ("coarse_period".to_string(), "stations/S01.xlsx!数据!B5".to_string()));
    assert_eq!(json["inputs"][0]["records"], 2);
    // The same data scored for the second quarter sees only May: (0.7 − 0.6)/0.4 × 40 = 10
    // (no data would be 0 with a missing_data warning).
    wd.run(&["score", "--period", "2024Q2", "--quiet"]).status(0);
    let q2 = wd.json("out/2024Q2.json");
    assert_eq!(q2["units"][0]["scores"]["A2"], 10);
    assert!(!issues(&q2).iter().any(|(k, p)| k == "missing_data" && p == "U1 A2"), "{:?}", issues(&q2));
}

#[test]
fn missing_station_when_no_workbook_overlaps_the_window() {
    let wd = project();
    wd.book("stations/S02.xlsx", Book::station("S02", "2023Q4", vec![row("U2", "V", C::Blank)]));
    wd.run(&["score", "--period", "2024Q1", "--quiet"]).status(3);
    let json = wd.json("out/2024Q1.json");
    assert!(issues(&json).contains(&("missing_station".into(), "station S02".into())));
    assert_eq!(json["units"][1]["vetoed"], json!([]), "a 2023Q4 veto does not count in 2024Q1");
}

#[test]
fn title_rows_aliases_and_names() {
    let wd = project();
    let book = Book::new()
        .sheet("Info", vec![vec![t(" Station "), t("组织部")], vec![t("PERIOD"), n(2024.0)]])
        .sheet("说明", vec![vec![t("这是说明页")]])
        .sheet(
            "Data",
            vec![
                vec![t("2024年一季度 组织部数据")],
                vec![],
                vec![t("备注"), t("Value"), t("INDICATOR"), t(" Unit ")],
                vec![t("用名称匹配"), n(0.7), t("A2"), t("北马镇")],
                vec![t(""), n(3.0), t("A1"), n(3.0)],
            ],
        );
    wd.book("stations/S01.xlsx", book);
    wd.book(
        "roster.xlsx",
        Book::roster(&[("U1", "北马镇", "town"), ("U2", "黄山馆镇", "镇街区"), ("3", "财政局", "dept")]),
    );
    // The 期间 number 2024 is the year, and these rows default to it: score the year.
    wd.run(&["score", "--period", "2024", "--quiet"]).status(0);
    let json = wd.json("out/2024.json");
    assert_eq!(json["units"][1]["scores"]["A2"], 10, "北马镇 by name: (0.7 − 0.6)/0.4 × 40");
    // A1 for unit code 3 typed as a number: 20 − 3 × 5 = 5
    assert_eq!(json["units"][0]["code"], "3");
    assert_eq!(json["units"][0]["scores"]["A1"], 5);
    assert_eq!(json["inputs"][0]["period"], "2024");
}

#[test]
fn flags_replace_project_entries() {
    let wd = project();
    wd.book("other/S01.xlsx", Book::station("S01", "2024Q1", vec![row("U1", "A1", n(3.0))]));
    // Only warnings (S02 and S03 sent nothing): exit 0.
    wd.run(&["score", "--period", "2024Q1", "--data", "other/*.xlsx", "--json", "r.json", "--quiet"]).status(0);
    let json = wd.json("r.json");
    assert_eq!(json["inputs"].as_array().unwrap().len(), 1);
    assert_eq!(json["inputs"][0]["path"], "other/S01.xlsx");
    // 20 − 3 × 5 = 5, from the --data file alone.
    assert_eq!(json["units"][0]["scores"]["A1"], 5);
    let found = issues(&json);
    assert!(found.contains(&("missing_station".into(), "station S02".into())), "{found:?}");
    assert!(found.contains(&("missing_station".into(), "station S03".into())), "{found:?}");
    assert!(!wd.exists("out/2024Q1.json"), "--json replaces the default output");
}

#[test]
fn without_a_project_file_flags_suffice() {
    let wd = project();
    std::fs::remove_file(wd.join("zhili.toml")).unwrap();
    wd.run(&["score", "--period", "2024Q1"]).status(1).stderr_has("--indicators");
    wd.run(&[
        "score",
        "--period",
        "2024Q1",
        "--indicators",
        "set.toml",
        "--roster",
        "roster.xlsx",
        "--data",
        "stations/*.xlsx",
        "--json",
        "x.json",
        "--quiet",
    ])
    .status(3);
    assert_eq!(wd.json("x.json")["units"][0]["total"], 75);
}

#[test]
fn a_project_in_another_directory_reports_paths_relative_to_it() {
    let wd = project();
    let outer = Workdir::new();
    let dir = wd.path().to_str().unwrap();
    outer.run(&["score", dir, "--period", "2024Q1", "--quiet"]).status(3);
    let json = wd.json("out/2024Q1.json");
    assert_eq!(json["inputs"][0]["path"], "stations/S01.xlsx");
}

#[test]
fn a_unit_name_shared_by_several_units_must_be_a_code() {
    let wd = project();
    wd.book(
        "roster.xlsx",
        Book::roster(&[("U1", "北马镇", "town"), ("U2", "北马镇", "town"), ("U3", "财政局", "dept")]),
    );
    wd.book(
        "stations/S01.xlsx",
        Book::station("S01", "2024Q1", vec![row("北马镇", "A2", n(1.0)), row("财政局", "A2", n(1.0))]),
    );
    wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "r.json"]).status(3);
    let json = wd.json("r.json");
    let found = issues(&json);
    assert!(found.contains(&("unknown_unit".into(), "stations/S01.xlsx!数据!B2".into())), "{found:?}");
    let message = json["issues"].as_array().unwrap().iter().find(|i| i["cell"] == "B2").unwrap()["message"].clone();
    assert!(message.as_str().unwrap().contains("对应多个单位,请改填单位代码"), "{message}");
    // The unique name still matches: 财政局's A2 = (1 − 0.6)/0.4 × 40 = 40.
    assert_eq!(json["units"][2]["scores"]["A2"], 40);
}
