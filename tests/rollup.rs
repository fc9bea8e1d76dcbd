//! `zhili rollup` (docs/rollup.md) through the real binary: three counties scored apart, combined; the
//! combination equals scoring the union directly; every refusal names its file and writes nothing.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use serde_json::Value;
use std::io::Cursor;

/// Scale 1000, one direct leaf (the value is the score; none: excluded), a veto capping the total at 500.
/// S01 reports quarterly, so a year with a quarter missing is provisional.
fn set() -> String {
    format!(
        r#"schema = 1
name = "汇总测试体系"
version = "1"
scale = 1000

[[category]]
code = "unit"
name = "单位"

[[station]]
code = "S01"
name = "第三方评估"
frequency = "quarter"

[[station]]
code = "S02"
name = "案管室"

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

[[indicator]]
code = "V"
name = "重大案件"
station = "S02"
rule = "veto"
cap_total = 500
level = "red"
"#
    )
}

/// (code, name, area, score in Q1 — none: no record)
type UnitSpec = (&'static str, &'static str, &'static str, Option<f64>);

const A: [UnitSpec; 2] = [("U1", "一镇", "市/甲县", Some(900.0)), ("U2", "二镇", "市/甲县", Some(800.0))];
const B: [UnitSpec; 2] = [("U3", "三镇", "市/乙县", Some(950.0)), ("U4", "四镇", "市/乙县", Some(990.0))];
const C: [UnitSpec; 2] = [("U5", "五镇", "市/丙县", Some(850.0)), ("U6", "六镇", "市/丙县", None)];

/// A county's project in `dir`: its roster, S01 for the quarters given (data in Q1 only), and S02, where
/// a case against U4 triggers the veto.
fn county(wd: &Workdir, dir: &str, units: &[UnitSpec], quarters: &[u8]) {
    wd.write(&format!("{dir}/zhili.toml"), format!("{PROJECT}area_scale = 100\n"));
    wd.write(&format!("{dir}/set.toml"), set());
    let mut rows = vec![["单位代码", "单位名称", "所属区域"].map(t).to_vec()];
    rows.extend(units.iter().map(|(c, n, a, _)| vec![t(c), t(n), t(a)]));
    wd.book(&format!("{dir}/roster.xlsx"), Book::new().sheet("单位", rows));
    for q in quarters {
        let rows = if *q == 1 {
            units.iter().filter_map(|(c, _, _, v)| v.map(|v| row(c, "A1", n(v)))).collect()
        } else {
            Vec::new()
        };
        wd.book(&format!("{dir}/stations/S01-Q{q}.xlsx"), Book::station("S01", &format!("2024Q{q}"), rows));
    }
    let cases: Vec<Vec<C>> = units.iter().filter(|u| u.0 == "U4").map(|u| row(u.0, "V", n(1.0))).collect();
    wd.book(&format!("{dir}/stations/S02.xlsx"), Book::station("S02", "2024", cases));
}

fn counties() -> Workdir {
    let wd = Workdir::new();
    county(&wd, "a", &A, &[1, 2, 3, 4]);
    county(&wd, "b", &B, &[1, 2, 3, 4]);
    county(&wd, "c", &C, &[1]); // 丙县 sent only Q1: provisional
    wd.run(&["score", "a", "--period", "2024", "-q", "--json", "a.json"]).status(0);
    wd.run(&["score", "b", "--period", "2024", "-q", "--json", "b.json"]).status(0);
    wd.run(&["score", "c", "--period", "2024", "-q", "--json", "c.json"]).status(3);
    wd
}

fn unit<'a>(json: &'a Value, code: &str) -> &'a Value {
    json["units"].as_array().unwrap().iter().find(|u| u["code"] == code).unwrap()
}

fn group<'a>(json: &'a Value, code: &str) -> &'a Value {
    json["groups"].as_array().unwrap().iter().find(|g| g["code"] == code).unwrap()
}

#[test]
fn three_counties_rank_together_with_their_areas_and_origins() {
    let wd = counties();
    let args = ["rollup", "a.json", "b.json", "c.json", "--indicators", "a/set.toml"];
    let mut with_out = args.to_vec();
    with_out.extend(["--json", "市.json", "--out", "市.xlsx"]);
    let r = wd.run(&with_out);
    // 丙县's missing quarters are error-level issues: the roll-up is written and says so (exit 3), provisional.
    r.status(3).stdout_has("汇总 3 个结果");
    let json = wd.json("市.json");
    assert_eq!(json["complete"], false);
    // Ranks over all six: U3 950, U1 900, U5 850, U2 800, U4 500 (vetoed: 990 capped), U6 none.
    let expect = [
        ("U1", Some(900.0), Some(2), None),
        ("U2", Some(800.0), Some(4), Some("blue")),
        ("U3", Some(950.0), Some(1), None),
        ("U4", Some(500.0), Some(5), Some("red")),
        ("U5", Some(850.0), Some(3), Some("blue")),
        ("U6", None, None, None),
    ];
    for (code, total, rank, level) in expect {
        let u = unit(&json, code);
        assert_eq!(u["total"].as_f64(), total, "{code}");
        assert_eq!(u["rank"].as_u64(), rank, "{code}");
        assert_eq!(u["level"].as_str(), level, "{code}");
    }
    assert_eq!(unit(&json, "U4")["vetoed"], serde_json::json!(["V"]));
    // Each unit keeps its origin: the file and the sha256 of its bytes.
    let sha = zhili::sha256_hex(&wd.read("b.json"));
    assert_eq!(unit(&json, "U3")["origin"], serde_json::json!({"path": "b.json", "sha256": sha, "complete": true}));
    assert_eq!(unit(&json, "U6")["origin"]["complete"], false);
    // Areas across the inputs, of 100: 甲县 (0.9 + 0.8) / 2 → 85, blue; 乙县 (0.95 + 0.5) / 2 → 72.5, yellow;
    // 丙县 0.85 → 85 with U6 excluded, provisional (its result is); 市 = 4.0 / 5 → 80, blue (80 is not below 80).
    let g = |c: &str| {
        let g = group(&json, c);
        (g["index"].as_f64(), g["level"].as_str().map(String::from), g["rank"].as_u64(), g["provisional"].as_bool())
    };
    let s = |x: &str| Some(x.to_string());
    assert_eq!(g("市"), (Some(80.0), s("blue"), Some(1), Some(true)));
    assert_eq!(g("市/甲县"), (Some(85.0), s("blue"), Some(1), Some(false)));
    assert_eq!(g("市/乙县"), (Some(72.5), s("yellow"), Some(3), Some(false)));
    assert_eq!(g("市/丙县"), (Some(85.0), s("blue"), Some(1), Some(true)));
    assert_eq!(group(&json, "市/丙县")["excluded"], 1);
    // The origins' issues come along, each naming its result; no records travel.
    let issues = json["issues"].as_array().unwrap();
    assert!(
        issues
            .iter()
            .any(|i| i["kind"] == "missing_submission" && i["message"].as_str().unwrap().starts_with("(c.json)"))
    );
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read("市.xlsx"))).unwrap();
    assert!(x.worksheet_range("计分记录").unwrap().rows().count() <= 1, "no records in a roll-up");
    assert!(!x.sheet_names().contains(&"填报情况".to_string()), "no station workbooks of its own");
    let areas = x.worksheet_range("区域指数").unwrap();
    assert!(areas.rows().any(|r| r[0] == Data::String("市/乙县".into()) && r[5] == Data::Float(72.5)));
    // The report reads back like any result: a roll-up of roll-ups refuses the repeated units.
    wd.run(&["rollup", "市.xlsx", "a.json", "--indicators", "a/set.toml", "--json", "x.json"])
        .status(1)
        .stderr_has("单位代码 U1 同时出现在 市.xlsx 和 a.json 中");
}

#[test]
fn a_rollup_equals_scoring_the_union() {
    let wd = counties();
    // The union: one project with all six units and one workbook per station and period.
    let all: Vec<UnitSpec> = A.iter().chain(B.iter()).chain(C.iter()).copied().collect();
    county(&wd, "u", &all, &[1, 2, 3, 4]);
    wd.run(&["score", "u", "--period", "2024", "-q", "--json", "u.json"]).status(0);
    wd.run(&["rollup", "a.json", "b.json", "c.json", "--indicators", "a/set.toml", "-q", "--json", "r.json"]).status(3);
    let (u, r) = (wd.json("u.json"), wd.json("r.json"));
    for key in ["code", "name", "category", "total", "rank", "level", "scores", "warnings", "vetoed", "area"] {
        let of = |j: &Value| j["units"].as_array().unwrap().iter().map(|x| x[key].clone()).collect::<Vec<_>>();
        assert_eq!(of(&u), of(&r), "units' {key}");
    }
    // The same areas, indices, levels and ranks; only provisional differs (the union has every quarter).
    for key in ["code", "name", "parent", "units", "excluded", "index", "max", "rank", "level"] {
        let of = |j: &Value| j["groups"].as_array().unwrap().iter().map(|x| x[key].clone()).collect::<Vec<_>>();
        assert_eq!(of(&u), of(&r), "groups' {key}");
    }
}

#[test]
fn every_refusal_names_its_file_and_writes_nothing() {
    let wd = counties();
    let base = ["rollup", "a.json", "b.json", "--indicators", "a/set.toml", "--json", "r.json", "--out", "r.xlsx"];
    let mut json = wd.json("b.json");
    let rerun = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend(extra);
        wd.run(&args)
    };

    // Another set's name: refused, unless the mapping says it is the same method.
    json["indicator_set"]["name"] = "乙县测试体系".into();
    wd.write("b.json", json.to_string());
    rerun(&[]).status(1).stderr_has("b.json 的指标体系是“乙县测试体系”,不是“汇总测试体系”").stderr_has("--map-set");
    assert!(!wd.exists("r.json") && !wd.exists("r.xlsx"));
    rerun(&["--map-set", "乙县测试体系=汇总测试体系", "-q"]).status(0);
    assert!(wd.exists("r.json"));
    std::fs::remove_file(wd.join("r.json")).unwrap();
    std::fs::remove_file(wd.join("r.xlsx")).unwrap();
    json["indicator_set"]["name"] = "汇总测试体系".into();

    // Another period: refused, unless mapped.
    json["period"] = "2024H2".into();
    wd.write("b.json", json.to_string());
    rerun(&[]).status(1).stderr_has("b.json 的期间是 2024H2,a.json 是 2024").stderr_has("--map-period 2024H2=2024");
    let mut mapped = base[..5].to_vec();
    mapped.extend(["--map-period", "2024H2=2024", "-q", "--json", "m.json"]);
    wd.run(&mapped).status(0);
    json["period"] = "2024".into();

    // A total the set does not give back from the unit's scores: not scored with this set.
    json["units"][0]["total"] = 951.into();
    wd.write("b.json", json.to_string());
    rerun(&[]).status(1).stderr_has("b.json 的单位 U3 (三镇): 总分 951 与按指标体系由其得分算出的 950 不符");
    json["units"][0]["total"] = 950.into();

    // A category the set does not have, a score of an indicator it does not have.
    json["units"][0]["category"] = "village".into();
    json["units"][1]["scores"]["Z9"] = 3.into();
    wd.write("b.json", json.to_string());
    rerun(&[])
        .status(1)
        .stderr_has("U3 (三镇): 类别“village”不在指标体系中")
        .stderr_has("U4 (四镇): 指标 Z9 不在指标体系中");

    // The same unit in two results.
    let mut dup = wd.json("a.json");
    dup["units"][0]["total"] = 900.into();
    wd.write("dup.json", dup.to_string());
    wd.run(&["rollup", "a.json", "dup.json", "--indicators", "a/set.toml", "--json", "d.json"])
        .status(1)
        .stderr_has("单位代码 U1 同时出现在 a.json 和 dup.json 中");
    // Unreadable input, and no set to check against.
    wd.write("bad.json", "{");
    wd.run(&["rollup", "a.json", "bad.json", "--indicators", "a/set.toml", "--json", "d.json"])
        .status(1)
        .stderr_has("bad.json");
    wd.run(&["rollup", "a.json", "c.json", "--json", "d.json"]).status(1).stderr_has("--indicators");
    assert!(!wd.exists("d.json"), "no refused roll-up was written");
    assert!(wd.exists("m.json"), "the mapped one was");
}
