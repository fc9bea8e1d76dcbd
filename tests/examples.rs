//! The shipped examples score with the designed mix of outcomes, for every kind of period; `init` starts projects.

mod common;

use common::*;
use std::collections::BTreeMap;

/// Scores an example into a temp dir and returns the JSON result.
fn score(example: &str, period: &str) -> (i32, serde_json::Value) {
    let wd = Workdir::new();
    let dir = format!("{}/examples/{example}", env!("CARGO_MANIFEST_DIR"));
    let r = wd.run(&["score", &dir, "--period", period, "--quiet", "--json", "r.json", "--out", "r.xlsx"]);
    assert!(r.status == 0 || r.status == 3, "{example} {period}: {}", r.stderr);
    (r.status, wd.json("r.json"))
}

fn levels(json: &serde_json::Value) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for u in json["units"].as_array().unwrap() {
        *m.entry(u["level"].as_str().unwrap_or("none").to_string()).or_default() += 1;
    }
    m
}

fn kinds(json: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = issues(json).into_iter().map(|(k, _)| k).collect();
    k.sort();
    k
}

#[test]
fn longkou_2024q4_has_the_designed_mix() {
    let (status, json) = score("longkou", "2024Q4");
    assert_eq!(status, 3, "a handful of data errors");
    assert_eq!(json["units"].as_array().unwrap().len(), 54);
    assert_eq!(
        levels(&json),
        BTreeMap::from([("none".into(), 45), ("blue".into(), 5), ("yellow".into(), 2), ("red".into(), 2)])
    );
    let vetoed: Vec<&str> = json["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| !u["vetoed"].as_array().unwrap().is_empty())
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert_eq!(vetoed, ["T03"]);
    assert_eq!(json["units"].as_array().unwrap().iter().find(|u| u["code"] == "T03").unwrap()["total"], 599);
    // The deliberate data errors, November's missing monthly workbook, and S05's first Q4 workbook
    // superseded by its correction (its wrong row raises nothing).
    assert_eq!(
        kinds(&json),
        ["bad_value", "bad_value", "missing_submission", "out_of_range", "superseded", "unknown_unit", "wrong_station"]
    );
    assert_eq!(json["complete"], false, "November is missing: provisional");
    let missing =
        json["issues"].as_array().unwrap().iter().find(|i| i["kind"] == "missing_submission").unwrap().clone();
    assert_eq!((missing["station"].as_str(), missing["period"].as_str()), (Some("S11"), Some("2024-11")));
    // 16 stations (one of them monthly, October and December only) + the half-yearly survey.
    let stations: std::collections::BTreeSet<&str> =
        json["inputs"].as_array().unwrap().iter().map(|i| i["station"].as_str().unwrap()).collect();
    assert_eq!(stations.len(), 17);
}

#[test]
fn longkou_annual_colours_agree_with_its_quarters() {
    // The method averages the quarters (across_cycles = "mean"): no unit is worse for the year, or the
    // half, than in every one of its quarters, nor better than in every one.
    let severity = |l: &serde_json::Value| match l.as_str() {
        Some("red") => 0,
        Some("yellow") => 1,
        Some("blue") => 2,
        _ => 3,
    };
    let quarters: Vec<serde_json::Value> = (1..=4).map(|q| score("longkou", &format!("2024Q{q}")).1).collect();
    for (window, range) in [("2024", 0..4), ("2024H1", 0..2), ("2024H2", 2..4)] {
        let (_, json) = score("longkou", window);
        for (i, u) in json["units"].as_array().unwrap().iter().enumerate() {
            let qs: Vec<i32> = quarters[range.clone()].iter().map(|q| severity(&q["units"][i]["level"])).collect();
            let own = severity(&u["level"]);
            assert!(
                qs.iter().min().unwrap() <= &own && &own <= qs.iter().max().unwrap(),
                "{window} {}: {own} outside its quarters {qs:?}",
                u["code"]
            );
        }
    }
}

#[test]
fn longkou_every_granularity_runs() {
    for p in ["2024Q1", "2024Q2", "2024Q3", "2024H1", "2024H2", "2024"] {
        let (_, json) = score("longkou", p);
        assert_eq!(json["period"].as_str().unwrap(), p);
        assert_eq!(json["units"].as_array().unwrap().len(), 54, "{p}");
        assert!(json["units"].as_array().unwrap().iter().all(|u| u["total"].is_number()), "{p}");
        // Totals from records, not from missing data alone.
        let records: u64 = json["inputs"].as_array().unwrap().iter().map(|i| i["records"].as_u64().unwrap()).sum();
        assert!(records > 0, "{p}: no record was read");
    }
    // A month of a quarterly method cannot be scored (its quarterly stations would all count as missing).
    let wd = Workdir::new();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    wd.run(&["score", &dir, "--period", "2024-11", "--quiet", "--json", "m.json"])
        .status(1)
        .stderr_has("评价周期 (季度");
    // The first quarter is clean.
    let (status, json) = score("longkou", "2024Q1");
    assert_eq!(status, 0);
    assert!(kinds(&json).is_empty());
}

#[test]
fn jiangbei_mixes_objective_data_and_surveys() {
    let (status, json) = score("jiangbei", "2024Q4");
    assert_eq!(status, 3);
    assert_eq!(json["units"].as_array().unwrap().len(), 20);
    assert_eq!(
        levels(&json),
        BTreeMap::from([("none".into(), 15), ("blue".into(), 3), ("yellow".into(), 1), ("red".into(), 1)])
    );
    assert_eq!(kinds(&json), ["bad_value", "unknown_unit"]);
    // Every aspect has both an objective and a survey score for the units it applies to.
    let e01 = json["units"].as_array().unwrap().iter().find(|u| u["code"] == "E01").unwrap();
    for code in ["X1A.O", "X1A.S", "X2C.O", "X2C.S", "X3A.O", "X3A.S"] {
        assert!(e01["scores"][code].is_number(), "E01 {code}");
    }
    assert!(e01["scores"]["X1B"].is_null(), "行政服务质量 is for departments only");
    let (status, _) = score("jiangbei", "2024Q3");
    assert_eq!(status, 0);
}

#[test]
fn every_library_set_passes_check() {
    for entry in zhili::library::LIBRARY {
        let name = entry.name;
        let set = zhili::indicators::parse(entry.toml.as_bytes()).unwrap();
        let wd = Workdir::new();
        wd.run(&["init", "p", "--from", name]).status(0).stdout_has("下一步");
        // An empty roster is the one thing left to do.
        wd.run(&["check", "p"]).status(1).stdout_has("名册中没有任何单位");
        let toml = std::fs::read_to_string(wd.join("p/zhili.toml")).unwrap();
        let set_file = toml.lines().find_map(|l| l.strip_prefix("indicators = \"")).unwrap().trim_end_matches('"');
        // Two units: of the first and the last category the set defines.
        let cats = (set.categories[0].code.as_str(), set.categories[set.categories.len() - 1].code.as_str());
        wd.book("p/单位名册.xlsx", Book::roster(&[("U1", "甲", cats.0), ("U2", "乙", cats.1)]));
        let r = wd.run(&["check", "p"]);
        r.status(0);
        assert!(
            !r.stdout.lines().any(|l| l.starts_with("警告") && !l.contains("survey_without_min_responses")),
            "{name}: {}",
            r.stdout
        );
        assert!(wd.exists(&format!("p/{set_file}")) && wd.exists("p/stations") && wd.exists("p/reports"));
        // A template for the first window the set's cycle allows.
        let period = if set.cycle == Some(zhili::period::Cadence::Year) { "2024" } else { "2024Q1" };
        wd.run(&["template", "p", "--period", period, "-q"]).status(0);
    }
}

#[test]
fn dinghai_scores_four_unit_types_with_an_index_per_town() {
    let wd = Workdir::new();
    let dir = format!("{}/examples/dinghai", env!("CARGO_MANIFEST_DIR"));
    let r = wd.run(&["score", &dir, "--period", "2024Q4", "--quiet", "--json", "r.json", "--out", "r.xlsx"]);
    r.status(0);
    let all = wd.json("r.json");
    let keys: Vec<&str> = all["sets"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["village", "community", "enterprise", "school"]);
    assert_eq!(all["units"].as_array().unwrap().len(), 18);
    // The designed outcomes: 金山村 red by its score, 南珍社区 red by a veto reported by the shared station D03.
    let unit = |c: &str| all["units"].as_array().unwrap().iter().find(|u| u["code"] == c).unwrap().clone();
    assert_eq!(unit("V03")["level"], "red");
    assert_eq!((unit("C02")["total"].as_f64(), unit("C02")["level"].as_str()), (Some(59.0), Some("red")));
    // One area per town under 定海区, each over every unit type in it.
    let towns: Vec<&str> = all["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["parent"].as_str().map(|_| g["name"].as_str().unwrap()))
        .collect();
    assert_eq!(towns, ["白泉镇", "干览镇", "小沙街道", "昌国街道", "环南街道"]);
    let bq = all["groups"].as_array().unwrap().iter().find(|g| g["name"] == "白泉镇").unwrap();
    assert_eq!(bq["units"], 5, "three villages, an enterprise and a school");
    // Each set's own result is there, with no problem from the others' rows in the shared workbooks.
    for key in keys {
        let own = wd.json(&format!("r-{key}.json"));
        assert_eq!(own["issues"], serde_json::json!([]), "{key}");
    }
}

#[test]
fn qianxi_scores_months_and_a_year_as_their_mean() {
    let (status, month) = score("qianxi", "2024-03");
    assert_eq!(status, 0);
    assert_eq!(month["units"].as_array().unwrap().len(), 28);
    // A quarter below the monthly cycle is fine; a year is the mean of its twelve months, each scored alone.
    let (status, year) = score("qianxi", "2024");
    assert_eq!(status, 0);
    let total = |j: &serde_json::Value, c: &str| {
        j["units"].as_array().unwrap().iter().find(|u| u["code"] == c).unwrap()["total"].as_f64().unwrap()
    };
    let months: Vec<f64> = (1..=12).map(|m| total(&score("qianxi", &format!("2024-{m:02}")).1, "Q11")).collect();
    // The year's total is formed from the mean of each leaf over the months, so it matches the mean of the monthly
    // totals within the rounding of the leaves (every leaf is rounded once to 2 places).
    let mean = months.iter().sum::<f64>() / 12.0;
    assert!((total(&year, "Q11") - mean).abs() < 0.05, "{} vs {mean}", total(&year, "Q11"));
    // The veto in July holds for July and for the year, not for June.
    let level = |j: &serde_json::Value| {
        j["units"].as_array().unwrap().iter().find(|u| u["code"] == "Q07").unwrap()["vetoed"].clone()
    };
    assert_eq!(level(&score("qianxi", "2024-07").1), serde_json::json!(["X1"]));
    assert_eq!(level(&year), serde_json::json!(["X1"]));
    assert_eq!(level(&score("qianxi", "2024-06").1), serde_json::json!([]));
    // The year's report says how it was formed; a month's, one cycle, needs no such line.
    let wd = Workdir::new();
    let dir = format!("{}/examples/qianxi", env!("CARGO_MANIFEST_DIR"));
    for (period, file) in [("2024", "y.xlsx"), ("2024-03", "m.xlsx")] {
        wd.run(&["score", &dir, "--period", period, "-q", "--out", file, "--json", "x.json"]).status(0);
    }
    let said = |file: &str| {
        use calamine::Reader as _;
        let mut x: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(wd.read(file))).unwrap();
        let sheet = x.worksheet_range("说明").unwrap();
        sheet.rows().find(|r| r[0] == calamine::Data::String("计分方式".into())).map(|r| r[1].to_string())
    };
    assert_eq!(
        said("y.xlsx").as_deref(),
        Some("评价周期为月,本期 12 个周期;各指标按周期分别计分后取平均 (across_cycles = \"mean\")")
    );
    assert_eq!(said("m.xlsx"), None);
}

#[test]
fn init_never_overwrites() {
    let wd = Workdir::new();
    wd.run(&["init", "p"]).status(0);
    wd.write("p/zhili.toml", "# mine\n");
    wd.run(&["init", "p", "--from", "jiangbei"]).status(1).stderr_has("p/zhili.toml");
    assert_eq!(wd.read("p/zhili.toml"), b"# mine\n");
    assert!(!wd.exists("p/indicators/jiangbei-clean-business.toml"), "nothing written when anything exists");
    wd.run(&["init", "q", "--from", "nowhere"]).status(1).stderr_has("dinghai-village");
}

/// Reading in parallel never changes a byte of any output (issue #7).
#[test]
fn thread_count_does_not_change_any_output_byte() {
    let wd = Workdir::new();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let (json, xlsx, units) = (format!("r{threads}.json"), format!("r{threads}.xlsx"), format!("u{threads}"));
        let r = wd.run_with(
            &["score", &dir, "--period", "2024Q4", "--quiet", "--json", &json, "--out", &xlsx, "--per-unit", &units],
            &[("RAYON_NUM_THREADS", threads), ("SOURCE_DATE_EPOCH", "1735689600")],
        );
        assert_eq!(r.status, 3, "{}", r.stderr);
        // Every 体检报告 too (rendered in parallel batches), in one vector in name order.
        let reports: Vec<Vec<u8>> = wd.names(&units).iter().map(|n| wd.read(&format!("{units}/{n}"))).collect();
        assert_eq!(reports.len(), 54);
        outputs.push((wd.read(&json), wd.read(&xlsx), reports));
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]), "1, 2 and 4 threads give identical JSON, XLSX and 体检报告");
}

#[test]
fn longkou_keeps_a_ledger_filled_for_q3_and_updated_by_q4() {
    let path = format!("{}/examples/longkou/问题台账.xlsx", env!("CARGO_MANIFEST_DIR"));
    let ledger = zhili::ledger::read(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(
        (ledger.set_name.as_str(), ledger.latest.as_deref()),
        ("龙口市政治生态分析评价指标体系", Some("2024Q4"))
    );
    let updates: Vec<&str> = ledger.updates.iter().map(|(p, _, _)| p.as_str()).collect();
    assert_eq!(updates, ["2024Q3", "2024Q4"]);
    use zhili::ledger::Status;
    let count = |s: Status| ledger.items.iter().filter(|i| i.status == s).count();
    // Q4 against Q3: the example shows every kind of follow-up.
    assert!(count(Status::New) > 0 && count(Status::Persisting) > 0 && count(Status::Closed) > 0, "{ledger:?}");
    assert!(ledger.items.iter().any(|i| i.overdue) && ledger.items.iter().any(|i| i.note == "整改未见效"));
    // Routed from the roster.
    assert!(ledger.items.iter().all(|i| !i.leader.is_empty() && !i.supervisor.is_empty()));
    // It is the ledger for the T03 veto of Q4 as well.
    assert!(ledger.items.iter().any(|i| i.id == "T03-G9-2024Q4" && i.kind == "一票否决"));
}

#[test]
fn a_ledger_updated_from_a_provisional_result_says_so() {
    let wd = Workdir::new();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    let args = |p: &'static str| {
        vec!["score", &dir, "--period", p, "--json", "r.json", "--out", "r.xlsx", "--ledger", "台账.xlsx"]
    };
    let q3 = wd.run(&args("2024Q3"));
    assert_eq!(q3.status, 0, "{}", q3.stderr);
    assert!(!q3.stdout.contains("暂定"), "Q3 is complete");
    let q4 = wd.run(&args("2024Q4"));
    assert_eq!(q4.status, 3, "{}", q4.stderr);
    assert!(q4.stdout.contains("注意:本期结果为暂定 (缺报 1 期),台账已按暂定结果更新"), "{}", q4.stdout);
    let ledger = zhili::ledger::read(&wd.read("台账.xlsx")).unwrap();
    let statuses: Vec<&str> = ledger.updates.iter().map(|(_, _, s)| s.as_str()).collect();
    assert_eq!(statuses, ["完整", "暂定:缺报 1 期"]);
}
