//! `missing = "exclude"` end to end: the JSON, the report, the per-unit report and a comparison read back from the report.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use serde_json::json;
use std::io::Cursor;

const SET: &str = r#"name = "不计分测试"
scale = 100
[[category]]
code = "town"
name = "镇街区"
[[station]]
code = "S"
name = "站"
[[warning]]
level = "red"
name = "红色预警"
below = 60
[[warning]]
level = "yellow"
name = "黄色预警"
below = 80
[[indicator]]
code = "A"
name = "甲"
max = 60
[[indicator]]
code = "A1"
parent = "A"
name = "甲一"
max = 60
station = "S"
rule = "direct"
missing = "exclude"
[[indicator]]
code = "B"
name = "乙"
max = 40
[[indicator]]
code = "B1"
parent = "B"
name = "乙一"
max = 40
station = "S"
rule = "direct"
missing = "exclude"
"#;

/// U1: A1 30, B1 40 → total 70. U2: no A1, B1 30 → A excluded, total 30 × 100/40 = 75.
/// U3: nothing → every node excluded, no total, no rank, no level.
fn project() -> Workdir {
    let wd = Workdir::new();
    wd.write("set.toml", SET);
    wd.write("zhili.toml", "indicators = \"set.toml\"\nroster = \"roster.xlsx\"\ndata = [\"stations/*.xlsx\"]\n");
    wd.book("roster.xlsx", Book::roster(&[("U1", "一镇", "town"), ("U2", "二镇", "town"), ("U3", "三镇", "town")]));
    let rows = vec![row("U1", "A1", n(30.0)), row("U1", "B1", n(40.0)), row("U2", "B1", n(30.0))];
    wd.book("stations/S.xlsx", Book::station("S", "2024Q1", rows));
    let r = wd.run_with(
        &["score", "--period", "2024Q1", "--quiet", "--json", "q.json", "--out", "q.xlsx", "--per-unit", "units"],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    r.status(0);
    wd
}

fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    book.worksheet_range(name).unwrap().rows().map(|r| r.to_vec()).collect()
}

#[test]
fn excluded_nodes_are_absent_and_an_excluded_total_is_null() {
    let wd = project();
    let j = wd.json("q.json");
    assert_eq!(
        j["units"],
        json!([
            {"code": "U1", "name": "一镇", "category": "town", "total": 70, "rank": 2, "level": "yellow",
             "scores": {"A": 30, "A1": 30, "B": 40, "B1": 40},
             "warnings": [{"scope": "A", "level": "red", "score": 30, "max": 60},
                          {"scope": "total", "level": "yellow", "score": 70, "max": 100}],
             "vetoed": []},
            {"code": "U2", "name": "二镇", "category": "town", "total": 75, "rank": 1, "level": "yellow",
             "scores": {"B": 30, "B1": 30},
             "warnings": [{"scope": "B", "level": "yellow", "score": 30, "max": 40},
                          {"scope": "total", "level": "yellow", "score": 75, "max": 100}],
             "vetoed": []},
            {"code": "U3", "name": "三镇", "category": "town", "total": null, "rank": null, "level": null,
             "scores": {}, "warnings": [], "vetoed": []}
        ])
    );
    // One missing_data warning per excluded leaf: U2 A1, U3 A1 and B1.
    let missing: Vec<(String, String)> = issues(&j).into_iter().filter(|(k, _)| k == "missing_data").collect();
    assert_eq!(missing.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>(), ["U2 A1", "U3 A1", "U3 B1"]);
}

#[test]
fn the_report_says_not_scored_and_not_ranked() {
    let wd = project();
    let bytes = wd.read("q.xlsx");
    let ov = sheet(&bytes, "总览");
    let u3 = ov.iter().find(|r| r[1] == "U3").unwrap();
    // 排名 empty, 总分 不计分, 预警 无, no first-level scores, no codes.
    assert_eq!(u3[0], Data::Empty);
    assert_eq!((u3[4].to_string(), u3[5].to_string()), ("不计分".into(), "无".into()));
    assert!(u3[6..].iter().all(|c| *c == Data::Empty), "{u3:?}");
    let detail = sheet(&bytes, "得分明细");
    let u2a = detail.iter().find(|r| r[0] == "U2" && r[2] == "A").unwrap();
    assert_eq!(u2a[6].to_string(), "不计分");
    assert_eq!((u2a[7].clone(), u2a[8].clone()), (Data::Empty, Data::Empty), "no loss, no rate");
    // The per-unit report says the unit takes no part in the ranking.
    let own = sheet(&wd.read("units/U3-三镇.xlsx"), "体检报告");
    let get = |k: &str| own.iter().find(|r| r[0] == k).map(|r| r[1].to_string()).unwrap();
    assert_eq!(get("总分"), "不计分");
    assert_eq!(get("排名"), "不参与排名 (总分不计分)");
    assert_eq!(get("预警等级"), "无");
}

#[test]
fn a_comparison_read_back_from_the_report_keeps_the_excluded_total() {
    let wd = project();
    for (a, b) in [("q.xlsx", "q.json"), ("q.json", "q.xlsx"), ("q.xlsx", "q.xlsx")] {
        std::fs::remove_file(wd.join("d.json")).ok();
        let r = wd.run(&["diff", a, b, "--json", "d.json", "--detail", "-q"]);
        r.status(0);
        assert_eq!(wd.json("d.json")["identical"], true, "{a} vs {b}");
    }
    // A later run where U3 gets a score: the comparison shows null → a number, read from either format.
    let rows =
        vec![row("U1", "A1", n(30.0)), row("U1", "B1", n(40.0)), row("U2", "B1", n(30.0)), row("U3", "B1", n(20.0))];
    wd.book("stations/S.xlsx", Book::station("S", "2024Q1", rows));
    wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "r.json", "--out", "r.xlsx"]).status(0);
    for old in ["q.xlsx", "q.json"] {
        std::fs::remove_file(wd.join("d.json")).ok();
        wd.run(&["diff", old, "r.xlsx", "--json", "d.json", "-q"]).status(1);
        let u3 = wd.json("d.json")["units"].as_array().unwrap().iter().find(|u| u["code"] == "U3").cloned().unwrap();
        // U3: B1 20 of 40 → 20 × 100/40 = 50 (red), rank 3.
        assert_eq!(
            (u3["old_total"].clone(), u3["new_total"].clone(), u3["delta"].clone()),
            (json!(null), json!(50), json!(null)),
            "{old}"
        );
        assert_eq!((u3["old_rank"].clone(), u3["new_rank"].clone()), (json!(null), json!(3)), "{old}");
        assert_eq!(u3["transition"], "new", "{old}");
    }
}
