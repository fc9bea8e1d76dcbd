//! The reporting calendar (docs/scoring.md, "评价周期与报送频率"): cycles, cadences, completeness,
//! resubmissions, provisional results and the failures that protect a leader's number.

mod common;

use common::*;

/// The standard project with the calendar keys added to its set.
fn calendar_project(top: &str, frequencies: &[(&str, &str)]) -> Workdir {
    let wd = project();
    let mut set = SET.replace("scale = 100\n", &format!("scale = 100\n{top}\n"));
    for (code, freq) in frequencies {
        set = set.replace(&format!("code = \"{code}\"\n"), &format!("code = \"{code}\"\nfrequency = \"{freq}\"\n"));
    }
    wd.write("set.toml", set);
    wd
}

#[test]
fn a_window_shorter_than_the_cycle_is_refused_everywhere() {
    let wd = calendar_project("cycle = \"quarter\"", &[]);
    for args in [
        vec!["score", "--period", "2024-02"],
        vec!["check", "--period", "2024-02"],
        vec!["template", "--period", "2024-02"],
    ] {
        wd.run(&args).status(1).stderr_has("短于指标体系的评价周期 (季度");
    }
    assert!(!wd.exists("out") && !wd.exists("templates"), "nothing written");
    // Whole cycles are fine; a trend finer than the cycle is not.
    wd.run(&["score", "--period", "2024Q1", "--quiet"]).status(3);
    wd.run(&["score", "--period", "2024", "--trend", "month", "--quiet"])
        .status(1)
        .stderr_has("短于指标体系的评价周期");
    wd.run(&["score", "--period", "2024", "--trend", "quarter", "--quiet"]).status(3);
}

#[test]
fn calendar_keys_are_validated_with_their_place() {
    let wd = calendar_project("cycle = \"weekly\"\nacross_cycles = \"median\"", &[("S01", "daily")]);
    let r = wd.run(&["check"]);
    r.status(1)
        .stdout_has("cycle = \"weekly\" 无效")
        .stdout_has("across_cycles = \"median\" 无效")
        .stdout_has("frequency = \"daily\" 无效");
    assert!(r.stdout.contains("set.toml:5:"), "{}", r.stdout);
}

#[test]
fn nothing_to_score_is_a_failure_not_empty_scores() {
    // A data pattern that matches nothing (a wrong case).
    let wd = project();
    wd.write("zhili.toml", PROJECT.replace("stations/*.xlsx", "Stations/*.xlsx"));
    for args in [
        vec!["score", "--period", "2024Q1"],
        vec!["score", "--period", "2024Q1", "--strict"],
        vec!["check", "--period", "2024Q1"],
    ] {
        wd.run(&args).status(1).stderr_has("没有匹配任何文件").stderr_has("Stations/*.xlsx");
    }
    assert!(!wd.exists("out"));
    // Files exist, but none covers the window.
    let wd = project();
    for args in [vec!["score", "--period", "2023Q4"], vec!["check", "--period", "2023Q4"]] {
        wd.run(&args).status(1).stderr_has("没有任何可读的监测站文件覆盖评价期间 2023Q4");
    }
    assert!(!wd.exists("out"));
}

#[test]
fn previous_must_be_an_earlier_period_of_the_same_set() {
    let wd = project();
    wd.book("stations/S01-q2.xlsx", Book::station("S01", "2024Q2", vec![row("U1", "A2", n(0.9))]));
    wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "q1.json"]).status(3);
    wd.run(&["score", "--period", "2024Q2", "--quiet", "--json", "q2.json"]).status(0);
    // A later period, the same period, an overlapping larger one: refused.
    for (prev, period) in [("q2.json", "2024Q1"), ("q1.json", "2024Q1"), ("q1.json", "2024H1")] {
        wd.run(&["score", "--period", period, "--quiet", "--previous", prev, "--json", "x.json"])
            .status(1)
            .stderr_has("不在本期")
            .stderr_has("之前");
    }
    // Another set's result: refused; another version of the same set: allowed, and said in 整改跟踪.
    let other = std::fs::read_to_string(wd.join("q1.json")).unwrap().replace("集成测试体系", "别的体系");
    wd.write("other.json", other);
    wd.run(&["score", "--period", "2024Q2", "--quiet", "--previous", "other.json"])
        .status(1)
        .stderr_has("另一个指标体系");
    wd.write("set.toml", SET.replace("version = \"1\"", "version = \"2\""));
    wd.run(&["score", "--period", "2024Q2", "--quiet", "--previous", "q1.json", "--out", "q2.xlsx"]).status(0);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(wd.join("q2.xlsx")).unwrap();
    use calamine::Reader;
    let ledger = book.worksheet_range("整改跟踪").unwrap();
    let note = ledger.rows().find(|r| r[0] == "注").map(|r| r[1].to_string()).unwrap_or_default();
    assert!(note.contains("版本 1") && note.contains("版本 2"), "{note}");
    assert!(!wd.exists("x.json"));
}

/// A station workbook with a 报送日期 row.
fn sent(station: &str, period: &str, submitted: Option<C>, rows: Vec<Vec<C>>) -> Book {
    let mut info = vec![vec![t("监测站"), t(station)], vec![t("期间"), t(period)]];
    if let Some(s) = submitted {
        info.push(vec![t("报送日期"), s]);
    }
    let mut data = vec![["期间", "单位代码", "指标代码", "事项", "数值", "说明"].map(t).to_vec()];
    data.extend(rows);
    Book::new().sheet("信息", info).sheet("数据", data)
}

fn score_json(wd: &Workdir, status: i32) -> serde_json::Value {
    let r = wd.run(&["score", "--period", "2024Q1", "--json", "r.json", "--out", "r.xlsx"]);
    r.status(status);
    let mut json = wd.json("r.json");
    json["stdout"] = r.stdout.clone().into();
    json
}

fn about(wd: &Workdir, key: &str) -> String {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(wd.join("r.xlsx")).unwrap();
    use calamine::Reader;
    let rows = book.worksheet_range("说明").unwrap();
    rows.rows().find(|r| r[0] == key).map(|r| r[1].to_string()).unwrap_or_default()
}

#[test]
fn a_missing_monthly_submission_makes_the_results_provisional() {
    // S01 reports monthly; it sent January and March only.
    let wd = calendar_project("", &[("S01", "month")]);
    std::fs::remove_file(wd.join("stations/S01.xlsx")).unwrap();
    wd.book("stations/S01-01.xlsx", Book::station("S01", "2024-01", vec![row("U1", "A1", n(1.0))]));
    wd.book("stations/S01-03.xlsx", Book::station("S01", "2024-03", vec![row("U1", "A1", n(1.0))]));
    let json = score_json(&wd, 3);
    assert_eq!(json["complete"], false);
    let missing: Vec<_> =
        json["issues"].as_array().unwrap().iter().filter(|i| i["kind"] == "missing_submission").collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!((missing[0]["station"].as_str(), missing[0]["period"].as_str()), (Some("S01"), Some("2024-02")));
    assert_eq!(missing[0]["severity"], "error");
    // Both records counted: 20 − 2 × 5 = 10.
    assert_eq!(json["units"][0]["scores"]["A1"], 10);
    assert!(json["stdout"].as_str().unwrap().contains("暂定 (缺报 1 期)"), "{}", json["stdout"]);
    assert_eq!(about(&wd, "结果状态"), "暂定:缺报 1 期");
    // A station with a frequency is held to its periods, not to missing_station.
    assert!(
        !json["issues"].as_array().unwrap().iter().any(|i| i["kind"] == "missing_station" && i["station"] == "S01")
    );
}

#[test]
fn a_quarterly_workbook_meets_a_monthly_stations_three_months() {
    let wd = calendar_project("", &[("S01", "month")]);
    let json = score_json(&wd, 3); // the standard S01.xlsx covers 2024Q1
    assert_eq!(json["complete"], true);
    assert!(!json["issues"].as_array().unwrap().iter().any(|i| i["kind"] == "missing_submission"));
    assert_eq!(about(&wd, "结果状态"), "完整");
}

#[test]
fn a_resubmission_with_a_later_date_supersedes_the_first() {
    let wd = calendar_project("cycle = \"quarter\"", &[]);
    std::fs::remove_file(wd.join("stations/S01.xlsx")).unwrap();
    // The first (a date cell) has an unknown unit and A2 = 0.7; the correction (text date-time) has A2 = 0.9.
    wd.book(
        "stations/S01.xlsx",
        sent("S01", "2024Q1", Some(C::D(2024, 4, 2)), vec![row("U1", "A2", n(0.7)), row("U9", "A2", n(1.0))]),
    );
    wd.book(
        "stations/S01(修改版).xlsx",
        sent("S01", "2024Q1", Some(t("2024-04-02 14:30")), vec![row("U1", "A2", n(0.9))]),
    );
    let json = score_json(&wd, 0);
    assert_eq!(json["complete"], true);
    // Only the correction counts: A2 = (0.9 − 0.6)/0.4 × 40 = 30; no record counted twice, no issue from the first's rows.
    assert_eq!(json["units"][0]["scores"]["A2"], 30);
    let kinds: Vec<(&str, &str)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str().is_some_and(|f| f.starts_with("stations/S01")))
        .map(|i| (i["kind"].as_str().unwrap(), i["file"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("superseded", "stations/S01.xlsx")]);
    let first = json["inputs"].as_array().unwrap().iter().find(|i| i["path"] == "stations/S01.xlsx").unwrap().clone();
    assert_eq!((first["records"].clone(), first["rejected"].clone()), (0.into(), 0.into()));
}

#[test]
fn resubmissions_without_distinct_dates_count_neither() {
    for second in [None, Some(C::D(2024, 4, 2))] {
        let wd = calendar_project("cycle = \"quarter\"", &[]);
        wd.book("stations/S01.xlsx", sent("S01", "2024Q1", Some(C::D(2024, 4, 2)), vec![row("U1", "A2", n(0.7))]));
        wd.book("stations/S01-b.xlsx", sent("S01", "2024Q1", second.clone(), vec![row("U1", "A2", n(0.9))]));
        let json = score_json(&wd, 3);
        assert_eq!(json["complete"], false, "{second:?}");
        let dups: Vec<&str> = json["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == "duplicate_submission")
            .map(|i| i["file"].as_str().unwrap())
            .collect();
        assert_eq!(dups, ["stations/S01-b.xlsx", "stations/S01.xlsx"], "{second:?}");
        // Nothing counted twice, nothing guessed: A2 has no record at all.
        assert_eq!(json["units"][0]["scores"]["A2"], 0);
        assert!(json["stdout"].as_str().unwrap().contains("暂定"), "{}", json["stdout"]);
    }
}

#[test]
fn a_yearly_station_is_not_due_in_a_quarter_and_due_in_the_year() {
    let wd = calendar_project("cycle = \"quarter\"", &[("S03", "year")]);
    std::fs::remove_file(wd.join("stations/S03.xlsx")).unwrap();
    wd.book(
        "stations/S03-2024.xlsx",
        Book::station("S03", "2024", vec![row("U1", "B1", t("满意")), row("U1", "B1", t("满意"))]),
    );
    // Q1: B1 is not due. U1: A1 = 20 − 5 = 15, A2 = (0.9 − 0.6)/0.4 × 40 = 30 → A = 45 of 60, rescaled: 75.
    let json = score_json(&wd, 3);
    let u1 = &json["units"][0];
    assert_eq!(u1["total"], 75);
    assert!(u1["scores"].get("B1").is_none() && u1["scores"].get("B").is_none(), "{}", u1["scores"]);
    let found = issues(&json);
    assert!(
        !found.iter().any(|(k, p)| k == "missing_data" && p.ends_with("B1")),
        "no missing_data when not due: {found:?}"
    );
    assert!(!found.iter().any(|(k, _)| k == "coarse_period"), "its yearly records are not for the quarter: {found:?}");
    assert!(!found.iter().any(|(k, p)| k == "missing_station" && p == "station S03"), "{found:?}");
    assert_eq!(json["complete"], true, "a yearly station owes nothing in a quarter");
    // The report marks it 未到期.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(wd.join("r.xlsx")).unwrap();
    use calamine::Reader;
    let detail = book.worksheet_range("得分明细").unwrap();
    assert!(detail.rows().any(|r| r[0] == "U1" && r[2] == "B1" && r[6] == "未到期"));
    // A yearly survey's answers dated inside the quarter are listed in 计分记录, but score nothing there.
    wd.book(
        "stations/S03-2024.xlsx",
        Book::station("S03", "2024", vec![vec![t("2024-02"), t("U1"), t("B1"), C::Blank, t("满意")]]),
    );
    score_json(&wd, 3);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(wd.join("r.xlsx")).unwrap();
    let records = book.worksheet_range("计分记录").unwrap();
    let b1: Vec<_> = records.rows().filter(|r| r[0] == "U1" && r[2] == "B1").collect();
    assert_eq!(b1.len(), 1);
    assert_eq!((b1[0][7].to_string(), b1[0][8].to_string()), ("未到期,不计分".into(), String::new()));
    assert_eq!(wd.json("r.json")["units"][0]["total"], 75, "still not scored");
    // The year: B1 = 40 × (5 − 1)/4 = 40 → 45 + 40 = 85.
    wd.run(&["score", "--period", "2024", "--quiet", "--json", "y.json"]).status(3);
    let y = wd.json("y.json");
    assert_eq!((y["units"][0]["scores"]["B1"].clone(), y["units"][0]["total"].clone()), (40.into(), 85.into()));
}

#[test]
fn mean_mode_averages_quarters_and_leaves_out_an_excluded_one() {
    let wd = calendar_project("cycle = \"quarter\"\nacross_cycles = \"mean\"", &[]);
    wd.write(
        "set.toml",
        std::fs::read_to_string(wd.join("set.toml"))
            .unwrap()
            .replace("zero_at = 0.6\nfull_at = 1", "zero_at = 0.6\nfull_at = 1\nmissing = \"exclude\""),
    );
    for f in ["S01.xlsx", "S02.xlsx", "S03.xlsx"] {
        std::fs::remove_file(wd.join(&format!("stations/{f}"))).unwrap();
    }
    // U1: A2 per quarter 0.9, 0.5, none, 1.0 → 30, 0 (clamped), excluded, 40; A1 events 1, 5, 0, 0 → 15, 0, 20, 20.
    let quarters: [(u8, Option<f64>, u32); 4] = [(1, Some(0.9), 1), (2, Some(0.5), 5), (3, None, 0), (4, Some(1.0), 0)];
    for (q, a2, events) in quarters {
        let mut rows = Vec::new();
        if let Some(v) = a2 {
            rows.push(row("U1", "A2", n(v)));
        }
        if events > 0 {
            rows.push(row("U1", "A1", n(events as f64)));
        }
        wd.book(&format!("stations/S01-{q}.xlsx"), Book::station("S01", &format!("2024Q{q}"), rows));
    }
    wd.run(&["score", "--period", "2024", "--quiet", "--json", "y.json"]).status(0);
    let y = wd.json("y.json");
    let u1 = &y["units"][0]["scores"];
    // A2 = mean(30, 0, 40) = 23.333… → 23.33 (pooled it would be mean(0.9, 0.5, 1.0) = 0.8 → 20).
    assert_eq!(u1["A2"], 23.33);
    // A1 = mean(15, 0, 20, 20) = 13.75 (pooled: 6 events → 0).
    assert_eq!(u1["A1"], 13.75);
    // The excluded quarter is reported once, naming it.
    let q3: Vec<_> = y["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "missing_data" && i["unit"] == "U1" && i["indicator"] == "A2")
        .map(|i| i["period"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(q3, ["2024Q3"]);
}

#[test]
fn a_monthly_station_in_a_quarterly_cycle_pools_each_quarter() {
    let wd = calendar_project("cycle = \"quarter\"\nacross_cycles = \"mean\"", &[("S01", "month")]);
    std::fs::remove_file(wd.join("stations/S01.xlsx")).unwrap();
    // January and February one event each (Q1 pooled: 20 − 10 = 10); nothing in Q2 (20). H1 = mean(10, 20) = 15.
    for m in 1..=6 {
        let rows = if m <= 2 { vec![row("U1", "A1", n(1.0))] } else { vec![] };
        wd.book(&format!("stations/S01-{m:02}.xlsx"), Book::station("S01", &format!("2024-{m:02}"), rows));
    }
    wd.run(&["score", "--period", "2024H1", "--quiet", "--json", "h.json"]).status(0);
    let h = wd.json("h.json");
    assert_eq!(h["units"][0]["scores"]["A1"], 15);
    assert_eq!(h["complete"], true, "all six months were sent");
}

#[test]
fn a_veto_in_one_quarter_vetoes_the_year() {
    let wd = calendar_project("cycle = \"quarter\"\nacross_cycles = \"mean\"", &[]);
    wd.book("stations/S02-q2.xlsx", Book::station("S02", "2024Q2", vec![row("U1", "V", C::Blank)]));
    wd.run(&["score", "--period", "2024", "--quiet", "--json", "y.json"]).status(3);
    let y = wd.json("y.json");
    assert_eq!(y["units"][0]["vetoed"], serde_json::json!(["V"]));
    assert_eq!(y["units"][0]["level"], "red");
    assert!(y["units"][0]["total"].as_f64().unwrap() <= 50.0);
}

#[test]
fn the_submission_table_in_the_report_check_and_terminal() {
    // S01 monthly (January sent twice with distinct dates, February missing, March sent), S03 yearly (not due).
    let wd = calendar_project("cycle = \"quarter\"", &[("S01", "month"), ("S03", "year")]);
    std::fs::remove_file(wd.join("stations/S01.xlsx")).unwrap();
    wd.book("stations/S01-01.xlsx", sent("S01", "2024-01", Some(t("2024-02-01")), vec![row("U1", "A1", n(1.0))]));
    wd.book(
        "stations/S01-01b.xlsx",
        sent("S01", "2024-01", Some(t("2024-02-03 09:00")), vec![row("U1", "A1", n(2.0))]),
    );
    wd.book("stations/S01-03.xlsx", sent("S01", "2024-03", None, vec![]));
    let r = wd.run(&["score", "--period", "2024Q1", "--json", "r.json", "--out", "r.xlsx"]);
    r.status(3).stdout_has("填报情况: 已报 3 · 缺报 1 · 被替代 1 · 未到期 1");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(wd.join("r.xlsx")).unwrap();
    use calamine::Reader;
    let table: Vec<Vec<String>> =
        book.worksheet_range("填报情况").unwrap().rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let lines: Vec<(&str, &str, &str, &str, &str)> = table[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[3].as_str(), r[4].as_str(), r[5].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            ("S01", "2024-01", "被替代", "stations/S01-01.xlsx", "2024-02-01"),
            ("S01", "2024-01", "已报", "stations/S01-01b.xlsx", "2024-02-03 09:00"),
            ("S01", "2024-02", "缺报", "", ""),
            ("S01", "2024-03", "已报", "stations/S01-03.xlsx", ""),
            ("S02", "2024Q1", "已报", "stations/S02.xlsx", ""),
            ("S03", "—", "未到期", "", ""),
        ]
    );
    // The correction counted: A1 = 20 − 2 × 5 = 10.
    assert_eq!(wd.json("r.json")["units"][0]["scores"]["A1"], 10);
    // check --period shows the same and fails on the missing month.
    wd.run(&["check", "--period", "2024Q1"])
        .status(1)
        .stdout_has("S01 组织部 2024-02 缺报")
        .stdout_has("S03 问卷 — 未到期");
}

#[test]
fn templates_follow_each_stations_frequency() {
    let wd = calendar_project("cycle = \"quarter\"", &[("S01", "month"), ("S03", "year")]);
    let r = wd.run(&["template", "--period", "2024Q1"]);
    r.status(0).stdout_has("S03 (问卷) 每年报送一次,2024Q1 不到期,未生成模板");
    for f in ["S01-组织部-2024-01.xlsx", "S01-组织部-2024-02.xlsx", "S01-组织部-2024-03.xlsx", "S02-信访室-2024Q1.xlsx"]
    {
        assert!(wd.exists(&format!("templates/2024Q1/{f}")), "{f}");
    }
    assert!(!wd.exists("templates/2024Q1/S03-问卷-2024Q1.xlsx"));
    assert!(!wd.exists("templates/2024Q1/S01-组织部-2024Q1.xlsx"));
}
