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
