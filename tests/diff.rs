//! `zhili diff`, `--trend` and `--previous`: constructed cases where every transition appears.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use serde_json::{Value, json};
use std::io::Cursor;

/// A 100-point set whose total is whatever the station reports for `L` (direct)
/// and `M` (points, 10 each) — so totals and levels are set by the test.
static SET: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("name = \"比较测试\"\nversion = \"v1\"\n{DIRECT_SET}"));

/// A project with units U1..U8, quarterly data for L as given (M never happens).
fn project(units: &[&str]) -> Workdir {
    let wd = Workdir::new();
    wd.write("set.toml", SET.as_str());
    wd.write("zhili.toml", "indicators = \"set.toml\"\nroster = \"roster.xlsx\"\ndata = [\"stations/*.xlsx\"]\n");
    roster(&wd, "roster.xlsx", units);
    wd
}

fn roster(wd: &Workdir, file: &str, units: &[&str]) {
    let list: Vec<(&str, &str, &str)> = units.iter().map(|u| (*u, *u, "t")).collect();
    wd.book(file, Book::roster(&list));
}

/// L's value per unit for one quarter: total = value + 10.
fn quarter(wd: &Workdir, q: u8, values: &[(&str, f64)]) {
    let rows = values.iter().map(|(u, v)| vec![C::Blank, t(u), t("L"), C::Blank, n(*v)]).collect();
    wd.book(&format!("stations/S-2024Q{q}.xlsx"), Book::station("S", &format!("2024Q{q}"), rows));
}

fn score(wd: &Workdir, args: &[&str]) -> Run {
    let mut all = vec!["score", "--quiet"];
    all.extend_from_slice(args);
    wd.run_with(&all, &[("SOURCE_DATE_EPOCH", "1700000000")])
}

/// Runs diff and returns (status, diff JSON).
fn diff(wd: &Workdir, old: &str, new: &str, extra: &[&str]) -> (i32, Value) {
    // A fresh d.json every time: never the one an earlier comparison left behind.
    std::fs::remove_file(wd.join("d.json")).ok();
    let mut args = vec!["diff", old, new, "--json", "d.json", "-q"];
    args.extend_from_slice(extra);
    let r = wd.run(&args);
    (r.status, if wd.exists("d.json") { wd.json("d.json") } else { Value::Null })
}

/// Totals (L + 10): U1 95→85 new; U2 85→50 escalated; U3 75→70 persisting; U4 50→85 de-escalated;
/// U5 85→95 resolved; U6 95→92 no warning either time; U7 only in Q2 (added); U8 only in Q1 (removed).
fn two_quarters() -> Workdir {
    let wd = project(&["U1", "U2", "U3", "U4", "U5", "U6", "U8"]);
    quarter(
        &wd,
        1,
        &[("U1", 85.0), ("U2", 75.0), ("U3", 65.0), ("U4", 40.0), ("U5", 75.0), ("U6", 85.0), ("U8", 80.0)],
    );
    quarter(
        &wd,
        2,
        &[("U1", 75.0), ("U2", 40.0), ("U3", 60.0), ("U4", 75.0), ("U5", 85.0), ("U6", 82.0), ("U7", 80.0)],
    );
    score(&wd, &["--period", "2024Q1", "--json", "q1.json", "--out", "q1.xlsx"]).status(0);
    roster(&wd, "roster.xlsx", &["U1", "U2", "U3", "U4", "U5", "U6", "U7"]);
    score(&wd, &["--period", "2024Q2", "--json", "q2.json", "--out", "q2.xlsx"]).status(0);
    wd
}

#[test]
fn a_result_diffed_with_itself_is_identical_in_both_formats() {
    let wd = two_quarters();
    for (a, b) in [("q1.json", "q1.json"), ("q1.xlsx", "q1.xlsx"), ("q1.json", "q1.xlsx"), ("q1.xlsx", "q1.json")] {
        let (status, d) = diff(&wd, a, b, &[]);
        assert_eq!(status, 0, "{a} vs {b}");
        assert_eq!(d["identical"], true);
        assert_eq!(d["units"], json!([]));
    }
    wd.run(&["diff", "q1.json", "q1.xlsx"]).status(0).stdout_has("结果完全相同");
}

#[test]
fn every_transition_between_two_periods() {
    let wd = two_quarters();
    let (status, d) = diff(&wd, "q1.json", "q2.json", &[]);
    assert_eq!(status, 1);
    assert_eq!((d["identical"].as_bool(), d["set_changed"].as_bool()), (Some(false), Some(false)));
    let got: Vec<(String, Value, Value, Value, String)> = d["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["code"].as_str().unwrap().into(),
                u["old_total"].clone(),
                u["new_total"].clone(),
                u["delta"].clone(),
                u["transition"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = [
        ("U1", 95, 85, -10, "new"),
        ("U2", 85, 50, -35, "escalated"),
        ("U3", 75, 70, -5, "persisting"),
        ("U4", 50, 85, 35, "de-escalated"),
        ("U5", 85, 95, 10, "resolved"),
        ("U6", 95, 92, -3, "none"),
    ]
    .map(|(c, o, n, dl, t)| (c.to_string(), json!(o), json!(n), json!(dl), t.to_string()));
    assert_eq!(got, want);
    let u2 = &d["units"][1];
    assert_eq!((u2["old_level"].as_str(), u2["new_level"].as_str()), (Some("blue"), Some("red")));
    // First-level levels are compared too (here A is the only one, so it moves with the total).
    assert_eq!(
        u2["first_levels"],
        json!([{"scope": "A", "name": "综合", "old_level": "blue", "new_level": "red", "transition": "escalated"}])
    );
    assert_eq!(u2["category"], "镇街区");
    assert_eq!((u2["old_rank"].as_u64(), u2["new_rank"].as_u64()), (Some(4), Some(7)));
    assert_eq!((d["added"].clone(), d["removed"].clone()), (json!(["U7"]), json!(["U8"])));
    // Both files of both periods changed nothing else: the same inputs were read.
    assert_eq!(d["inputs"], json!([]));
    assert!(d.get("indicators").is_none(), "indicator detail only with --detail");

    // The same diff from the Excel reports, and from a mix, byte for byte (each run writes a fresh d.json).
    let from_json = wd.read("d.json");
    for (old, new) in [("q1.xlsx", "q2.xlsx"), ("q1.xlsx", "q2.json")] {
        std::fs::remove_file(wd.join("d.json")).unwrap();
        let (status, _) = diff(&wd, old, new, &[]);
        assert_eq!(status, 1, "{old} vs {new}");
        assert_eq!(wd.read("d.json"), from_json, "{old} vs {new}");
    }

    // --detail, --units, --tolerance.
    let (_, d) = diff(&wd, "q1.json", "q2.json", &["--detail", "--units", "U2,U6", "--tolerance", "3"]);
    let codes: Vec<&str> = d["units"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["U2", "U6"], "U6's total moved by only 3, but its rank moved (1 → 2)");
    // ...so its scores, all within the tolerance, are not listed; U2's are.
    assert_eq!(
        d["indicators"],
        json!({"U2": [
            {"code": "A", "name": "综合", "old": 85, "new": 50, "delta": -35},
            {"code": "L", "name": "评分", "old": 75, "new": 40, "delta": -35}
        ]})
    );
    assert_eq!(d["added"], json!([]), "U7 is not among --units");
}

#[test]
fn the_terminal_and_workbook_show_transitions() {
    let wd = two_quarters();
    let r = wd.run(&["diff", "q1.xlsx", "q2.xlsx", "--out", "d.xlsx"]);
    r.status(1)
        .stdout_has("新增单位: U7")
        .stdout_has("移除单位: U8")
        .stdout_has("预警升级")
        .stdout_has("新增预警 1 · 预警升级 1 · 预警持续 1 · 预警降级 1 · 预警解除 1");
    // Both periods are named, old and new.
    r.stdout_has("旧: 2024Q1 · 比较测试 v1").stdout_has("新: 2024Q2 · 比较测试 v1");
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read("d.xlsx"))).unwrap();
    assert_eq!(x.sheet_names(), ["单位变化", "一级指标预警变化", "指标变化", "方法变更", "输入变化"]);
    let units = x.worksheet_range("单位变化").unwrap();
    let head: Vec<String> = units.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(head[3..5], ["旧总分 (2024Q1)", "新总分 (2024Q2)"]);
    // A sheet with nothing to list says so (the method did not change).
    let method = x.worksheet_range("方法变更").unwrap();
    assert_eq!(method.get((1, 0)), Some(&Data::String("无变更".into())));
    let styles = x.worksheet_style("单位变化").unwrap();
    let fill = |row: u32| {
        styles.get((row, 8)).and_then(|s| s.fill.as_ref()).and_then(|f| f.foreground_color.or(f.background_color))
    };
    assert!(fill(2).is_some(), "escalated is coloured");
    assert_ne!(fill(2), fill(5), "escalated and resolved differ");
}

#[test]
fn rows_are_grouped_by_category_and_the_most_pressing_come_first() {
    let wd = project(&[]);
    wd.write(
        "set.toml",
        SET.replace("name = \"镇街区\"\n", "name = \"镇街区\"\n[[category]]\ncode = \"d\"\nname = \"市直部门\"\n"),
    );
    wd.book("roster.xlsx", Book::roster(&[("D1", "财政局", "d"), ("T1", "北马镇", "t"), ("T2", "芦头镇", "t")]));
    // Totals are L + 10. Q1: all 95. Q2: T1 92 (no warning, score moved), T2 45 (new red), D1 75 (new yellow).
    quarter(&wd, 1, &[("D1", 85.0), ("T1", 85.0), ("T2", 85.0)]);
    quarter(&wd, 2, &[("D1", 65.0), ("T1", 82.0), ("T2", 35.0)]);
    for q in ["2024Q1", "2024Q2"] {
        score(&wd, &["--period", q, "--json", &format!("{q}.json")]).status(0);
    }
    let (_, d) = diff(&wd, "2024Q1.json", "2024Q2.json", &[]);
    let got: Vec<(&str, &str, &str)> = d["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["category"].as_str().unwrap(), u["code"].as_str().unwrap(), u["transition"].as_str().unwrap()))
        .collect();
    // Towns first (the set's order), the new warning before the mere score change; then departments.
    assert_eq!(got, [("镇街区", "T2", "new"), ("镇街区", "T1", "none"), ("市直部门", "D1", "new")]);
    let out = wd.run(&["diff", "2024Q1.json", "2024Q2.json"]);
    let text = out.stdout.clone();
    let (towns, depts) = (text.find("【镇街区】").unwrap(), text.find("【市直部门】").unwrap());
    assert!(towns < text.find("芦头镇").unwrap() && text.find("芦头镇").unwrap() < text.find("北马镇").unwrap());
    assert!(depts > text.find("北马镇").unwrap() && depts < text.find("财政局").unwrap());
}

#[test]
fn a_change_of_method_is_never_mistaken_for_behaviour() {
    let wd = project(&["U1"]);
    let rows =
        vec![vec![C::Blank, t("U1"), t("L1"), C::Blank, n(40.0)], vec![C::Blank, t("U1"), t("L2"), C::Blank, n(0.5)]];
    wd.book("stations/S-2024Q1.xlsx", Book::station("S", "2024Q1", rows));
    // v1: A = L1 (60) + L2 (30) + L4 (10)
    let v1 = SET
        .replace("max = 90\nstation = \"S\"\nrule = \"direct\"", "max = 60\nstation = \"S\"\nrule = \"direct\"")
        .replace("code = \"L\"", "code = \"L1\"")
        .replace(
            "code = \"M\"\nparent = \"A\"\nname = \"事件\"\nmax = 10",
            "code = \"L4\"\nparent = \"A\"\nname = \"事件\"\nmax = 10",
        )
        + "[[indicator]]\ncode = \"L2\"\nparent = \"A\"\nname = \"二\"\nmax = 30\nstation = \"S\"\nrule = \"direct\"\n";
    // v2: L1 max 50, L2 becomes linear, L4 removed, L3 (20) added.
    let v2 = v1
        .replace("max = 60\nstation = \"S\"\nrule = \"direct\"", "max = 50\nstation = \"S\"\nrule = \"direct\"")
        .replace("max = 30\nstation = \"S\"\nrule = \"direct\"", "max = 30\nstation = \"S\"\nrule = \"linear\"\nzero_at = 0\nfull_at = 1")
        .replace("[[indicator]]\ncode = \"L4\"\nparent = \"A\"\nname = \"事件\"\nmax = 10\nstation = \"S\"\nrule = \"points\"\ndeduct = 10\n", "")
        + "[[indicator]]\ncode = \"L3\"\nparent = \"A\"\nname = \"三\"\nmax = 20\nstation = \"S\"\nrule = \"direct\"\n";
    let v2 = v2.replace("version = \"v1\"", "version = \"v2\"");
    wd.write("v1.toml", &v1).write("v2.toml", &v2);
    score(&wd, &["--period", "2024Q1", "--indicators", "v1.toml", "--json", "a.json", "--out", "a.xlsx"]).status(0);
    score(&wd, &["--period", "2024Q1", "--indicators", "v2.toml", "--json", "b.json", "--out", "b.xlsx"]).status(0);
    for (a, b) in [("a.json", "b.json"), ("a.xlsx", "b.xlsx")] {
        let (status, d) = diff(&wd, a, b, &[]);
        assert_eq!(status, 1);
        assert_eq!(d["set_changed"], true);
        let m = &d["method"];
        assert_eq!((m["added"].clone(), m["removed"].clone()), (json!(["L3"]), json!(["L4"])), "{a}");
        let changed: Vec<&str> = m["changed"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
        assert_eq!(changed, ["L1", "L2"], "{a}: exactly the changed indicators");
        assert_eq!((m["changed"][0]["old_max"].clone(), m["changed"][0]["new_max"].clone()), (json!(60), json!(50)));
        assert!(m["changed"][1]["new_rule"].as_str().unwrap().starts_with("linear"));
    }
    wd.run(&["diff", "a.json", "b.json"])
        .status(1)
        .stdout_has("指标体系已变更")
        .stdout_has("新增指标: L3")
        .stdout_has("删除指标: L4");
}

#[test]
fn trouble_is_exit_two() {
    let wd = two_quarters();
    wd.run(&["diff", "q1.json", "missing.json"]).status(2).stderr_has("missing.json");
    wd.write("garbage.json", "{\"not\": \"a result\"}");
    wd.run(&["diff", "q1.json", "garbage.json"]).status(2).stderr_has("不是 zhili");
    wd.run(&["diff", "q1.json", "q2.json", "--tolerance", "-1"]).status(2);
    wd.run(&["diff", "q1.json"]).status(2);
    wd.run(&["diff", "q1.json", "q2.json", "--json", "q1.json"]).status(2).stderr_has("同一个文件");
    // A "report" is input too: sniffed and read through the bounded reader, never a crash.
    wd.write("notabook.xlsx", zip_parts(&[("readme.txt".into(), b"x".to_vec())]));
    wd.run(&["diff", "q1.json", "notabook.xlsx"]).status(2).stderr_has("不是 Excel 工作簿");
    wd.write("nosheets.xlsx", zip_parts(&xlsx_parts(&[("总览", String::new())], None)));
    wd.run(&["diff", "nosheets.xlsx", "q1.json"]).status(2).stderr_has("说明");
}

// ---- --trend ------------------------------------------------------------------

fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    x.worksheet_range(name).unwrap().rows().map(<[Data]>::to_vec).collect()
}

#[test]
fn trend_values_equal_separate_runs() {
    let wd = two_quarters();
    quarter(
        &wd,
        3,
        &[("U1", 70.0), ("U2", 40.0), ("U3", 50.0), ("U4", 80.0), ("U5", 85.0), ("U6", 80.0), ("U7", 80.0)],
    );
    // Separate runs with today's roster (U8 left it: its Q1 row is now an unknown unit).
    score(&wd, &["--period", "2024Q1", "--json", "q1.json"]).status(3);
    score(&wd, &["--period", "2024Q2", "--json", "q2.json"]).status(0);
    score(&wd, &["--period", "2024Q3", "--json", "q3.json"]).status(0);
    let r = score(&wd, &["--period", "2024", "--trend", "quarter", "--json", "y.json", "--out", "y.xlsx"]);
    r.status(3);
    let y = wd.json("y.json");
    let periods: Vec<&str> = y["trend"].as_array().unwrap().iter().map(|p| p["period"].as_str().unwrap()).collect();
    assert_eq!(periods, ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]);
    for (i, q) in ["q1.json", "q2.json", "q3.json"].iter().enumerate() {
        let separate = wd.json(q);
        for u in separate["units"].as_array().unwrap() {
            let code = u["code"].as_str().unwrap();
            assert_eq!(y["trend"][i]["totals"][code], u["total"], "{q} {code}");
            assert_eq!(y["trend"][i]["levels"][code], u["level"], "{q} {code}");
        }
    }
    // Q4 has no data: L is missing (0), so every total is 10 (red).
    assert_eq!(y["trend"][3]["totals"]["U1"], 10);
    // The 趋势 sheet: the same totals, and the longitudinal flags.
    let rows = sheet(&wd.read("y.xlsx"), "趋势");
    let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
    assert_eq!(
        header,
        ["单位代码", "单位名称", "类别", "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2024 (全期)", "纵向监测"]
    );
    let u1 = rows.iter().find(|r| r[0] == "U1").unwrap();
    assert_eq!(u1[3..6], [Data::Float(95.0), Data::Float(85.0), Data::Float(80.0)]);
    // The window's own column is the year's total, the one the JSON result gives.
    let year_u1 = y["units"].as_array().unwrap().iter().find(|u| u["code"] == "U1").unwrap()["total"].as_f64();
    assert_eq!(u1[7], Data::Float(year_u1.expect("U1 has a year total")));
    assert_eq!(u1[8].to_string(), "连续两期下降、预警升级", "85 → 80 → 10 at the end, blue → yellow → red");
    let u5 = rows.iter().find(|r| r[0] == "U5").unwrap();
    assert_eq!(u5[8].to_string(), "预警升级", "U5 85 → 95 → 95 → 10: fell once, but none → red at the end");
    // A trend no finer than the window is refused.
    score(&wd, &["--period", "2024Q1", "--trend", "quarter"]).status(1).stderr_has("--trend");
    score(&wd, &["--period", "2024Q1", "--trend", "weekly"]).status(1);
}

#[test]
fn a_changed_input_with_equal_scores_is_not_identical() {
    let wd = two_quarters();
    // Q1's workbook sent again with a note added: other bytes, the same scores.
    let rows = [("U1", 85.0), ("U2", 75.0), ("U3", 65.0), ("U4", 40.0), ("U5", 75.0), ("U6", 85.0), ("U8", 80.0)]
        .iter()
        .map(|(u, v)| vec![C::Blank, t(u), t("L"), C::Blank, n(*v), t("复核无误")])
        .collect();
    let before = wd.read("stations/S-2024Q1.xlsx");
    wd.book("stations/S-2024Q1.xlsx", Book::station("S", "2024Q1", rows));
    assert_ne!(wd.read("stations/S-2024Q1.xlsx"), before);
    roster(&wd, "roster.xlsx", &["U1", "U2", "U3", "U4", "U5", "U6", "U8"]);
    score(&wd, &["--period", "2024Q1", "--json", "q1b.json"]).status(0);
    let (status, d) = diff(&wd, "q1.json", "q1b.json", &[]);
    assert_eq!(status, 1, "an input changed: not identical");
    assert_eq!(d["identical"], false);
    assert_eq!(d["units"], json!([]), "no score moved");
    let inputs = d["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 1, "{inputs:?}");
    assert_eq!(inputs[0]["path"], "stations/S-2024Q1.xlsx");
    assert_ne!(inputs[0]["old_sha256"], inputs[0]["new_sha256"]);
    assert!(inputs[0]["old_sha256"].as_str().unwrap().len() == 64);
}

#[test]
fn falling_twice_needs_a_real_drop_and_clears_on_recovery() {
    // Totals (L + 10) on a 100-point scale, so the default minimum drop is 1 point; never warned.
    // U1 98 → 96 → 95 → 97: fell twice, then recovered — no flag now.
    // U2 98 → 98 → 96 → 94: fell 2 and 2 into the latest quarter — flagged.
    // U3 98 → 98 → 97.5 → 97: two falls of half a point — noise, no flag.
    let wd = project(&["U1", "U2", "U3"]);
    for (q, a, b, c) in [(1, 88.0, 88.0, 88.0), (2, 86.0, 88.0, 88.0), (3, 85.0, 86.0, 87.5), (4, 87.0, 84.0, 87.0)] {
        quarter(&wd, q, &[("U1", a), ("U2", b), ("U3", c)]);
    }
    let run = |wd: &Workdir| {
        score(wd, &["--period", "2024", "--trend", "quarter", "--json", "y.json", "--out", "y.xlsx"]).status(0);
        let rows = sheet(&wd.read("y.xlsx"), "趋势");
        ["U1", "U2", "U3"].map(|code| rows.iter().find(|r| r[0] == code).unwrap()[8].to_string())
    };
    assert_eq!(run(&wd), ["", "连续两期下降", ""]);
    let y = wd.json("y.json");
    let totals = |u: &str| -> Vec<f64> {
        y["trend"].as_array().unwrap().iter().map(|p| p["totals"][u].as_f64().unwrap()).collect()
    };
    assert_eq!(totals("U1"), [98.0, 96.0, 95.0, 97.0]);
    assert_eq!(totals("U2"), [98.0, 98.0, 96.0, 94.0]);
    assert_eq!(totals("U3"), [98.0, 98.0, 97.5, 97.0]);
    // The set may ask for more: with trend_min_drop = 3, U2's falls of 2 no longer count.
    wd.write("set.toml", SET.replacen("scale = 100\n", "scale = 100\ntrend_min_drop = 3\n", 1));
    assert_eq!(run(&wd), ["", "", ""]);
}

// ---- --previous ------------------------------------------------------------------

#[test]
fn the_rectification_ledger_follows_every_warning() {
    let wd = two_quarters();
    score(&wd, &["--period", "2024Q2", "--previous", "q1.xlsx", "--out", "q2l.xlsx"]).status(0);
    let rows = sheet(&wd.read("q2l.xlsx"), "整改跟踪");
    let got: Vec<(String, String, String, String)> =
        rows[1..].iter().map(|r| (r[0].to_string(), r[2].to_string(), r[4].to_string(), r[8].to_string())).collect();
    let want = [
        ("U1", "总分", "", "新增"),
        ("U2", "总分", "蓝色预警", "升级"),
        ("U3", "A 综合", "黄色预警", "未解除"),
        ("U3", "总分", "黄色预警", "未解除"),
        ("U4", "A 综合", "红色预警", "降级 (仍有预警)"),
        ("U4", "总分", "红色预警", "降级 (仍有预警)"),
        ("U5", "A 综合", "蓝色预警", "已解除"),
        ("U5", "总分", "蓝色预警", "已解除"),
    ];
    // U1's A and U2's A follow the same pattern as their totals; list them all.
    let mut want: Vec<(String, String, String, String)> =
        want.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string())).collect();
    want.insert(0, ("U1".into(), "A 综合".into(), "".into(), "新增".into()));
    want.insert(2, ("U2".into(), "A 综合".into(), "蓝色预警".into(), "升级".into()));
    assert_eq!(got, want);
    // Previous actions and current actions are both there.
    let u2 = &rows[3];
    assert_eq!((u2[5].to_string(), u2[9].to_string()), ("约谈".into(), "建议书".into()));
    // The JSON result is unchanged by --previous (the ledger is a report sheet).
    score(&wd, &["--period", "2024Q2", "--previous", "q1.json", "--json", "q2b.json"]).status(0);
    assert_eq!(wd.json("q2b.json"), wd.json("q2.json"));
}
