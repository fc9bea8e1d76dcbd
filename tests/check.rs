//! `zhili check`: a corpus of broken indicator sets, clean inputs, lints, data problems, JSON output.

mod common;

use common::*;

/// Each corpus file starts with `# expect LINE:COL needle`.
#[test]
fn every_broken_set_in_the_corpus_is_reported_at_its_line_and_column() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sets");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 20, "the corpus has one file per error kind");
    let wd = project();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap();
        let spec = first.strip_prefix("# expect ").unwrap_or_else(|| panic!("{path:?}: no expect line"));
        let (at, needle) = spec.split_once(' ').unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        wd.write(name, &text);
        let r = wd.run(&["check", "--indicators", name]);
        let want = format!("错误 {name}:{at}: [indicator_set] ");
        let line = r.stdout.lines().find(|l| l.starts_with(&want)).unwrap_or_else(|| {
            panic!("{name}: no finding at {at}\n{}", r.stdout);
        });
        assert!(line.contains(needle), "{name}: {line:?} lacks {needle:?}");
        assert_eq!(r.status, 1, "{name}");
        // score refuses the same set with the same place on stderr
        wd.run(&["score", "--period", "2024Q1", "--indicators", name, "--quiet"])
            .status(1)
            .stderr_has(&format!("{name}:{at}:"));
    }
}

#[test]
fn every_problem_is_listed_with_a_count() {
    let wd = project();
    let broken = SET
        .replace("zero_at = 0.6", "zero_at = 1")
        .replace("deduct = 5", "deduct = nan")
        .replace("name = \"覆盖率\"", "name = \"覆盖率\"\nfoo = 1");
    wd.write("set.toml", broken);
    let r = wd.run(&["check"]);
    r.status(1).stdout_has("结果: 错误 3 处");
    assert_eq!(r.stdout.lines().filter(|l| l.starts_with("错误 set.toml:")).count(), 3, "{}", r.stdout);
    // each message says how to fix it
    for l in r.stdout.lines().filter(|l| l.starts_with("错误")) {
        assert!(l.contains("请") || l.contains("可用的键"), "no hint in {l:?}");
    }
}

#[test]
fn clean_inputs_exit_zero() {
    let wd = project();
    // Without --period only the set and roster are checked: both are clean.
    wd.run(&["check"]).status(0).stdout_has("结果: 错误 0 处");
    // With --period the data are checked too; the standard project has one bad row.
    wd.run(&["check", "--period", "2024Q1"]).status(1).stdout_has("stations/S01.xlsx!数据!B7: [unknown_unit]");
    wd.book(
        "stations/S01.xlsx",
        Book::station("S01", "2024Q1", vec![row("U1", "A1", n(1.0)), row("U3", "A2", n(1.0)), row("U2", "A2", n(0.8))]),
    );
    let r = wd.run(&["check", "--period", "2024Q1"]);
    r.status(0).stdout_has("警告 单位 U3: [missing_data]");
    assert!(!r.stdout.lines().any(|l| l.starts_with("错误 ")), "{}", r.stdout);
}

#[test]
fn suspicious_but_legal_things_are_warnings() {
    let wd = project();
    let set = SET.replace(
        "code = \"S02\"\nname = \"信访室\"",
        "code = \"S02\"\nname = \"信访室\"\n\n[[station]]\ncode = \"S09\"\nname = \"空站\"",
    );
    wd.write("set.toml", set);
    wd.book("roster.xlsx", Book::roster(&[("U1", "北马镇", "town")]));
    let r = wd.run(&["check"]);
    r.status(0)
        .stdout_has("[idle_station] 监测站 S09 (空站) 不采集任何指标")
        .stdout_has("[survey_without_min_responses]")
        .stdout_has("[empty_category] 类别 dept (市直部门)");
    // warnings carry the set's line
    let line =
        std::fs::read_to_string(wd.join("set.toml")).unwrap().lines().position(|l| l == "code = \"S09\"").unwrap() + 1;
    r.stdout_has(&format!("警告 set.toml:{line}: [idle_station]"));
}

#[test]
fn roster_problems_are_findings() {
    let wd = project();
    wd.book(
        "roster.xlsx",
        Book::roster(&[("U1", "北马镇", "town"), ("U1", "重复", "town"), ("U4", "某村", "village")]),
    );
    let r = wd.run(&["check"]);
    r.status(1)
        .stdout_has("错误 roster.xlsx!单位!A3: [roster] 单位代码 \"U1\" 重复")
        .stdout_has("错误 roster.xlsx!单位!C4: [roster]");
}

#[test]
fn json_output() {
    let wd = project();
    let r = wd.run(&["check", "--period", "2024Q1", "--json"]);
    r.status(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 2, "U3 B1 missing_data and the survey without min_responses: {v:#}");
    let f = &v["findings"].as_array().unwrap()[1];
    assert_eq!((f["severity"].as_str(), f["kind"].as_str()), (Some("error"), Some("unknown_unit")));
    assert_eq!(f["place"], "stations/S01.xlsx!数据!B7");
    assert!(v["checked"].as_array().unwrap().len() == 3);
}

#[test]
fn check_writes_nothing() {
    let wd = project();
    let listing = |wd: &Workdir| {
        let mut all: Vec<String> = Vec::new();
        let mut stack = vec![wd.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p.clone());
                }
                all.push(p.display().to_string());
            }
        }
        all.sort();
        all
    };
    let before = listing(&wd);
    wd.run(&["check", "--period", "2024Q1"]).status(1).stdout_has("unknown_unit");
    assert!(!wd.exists("out"));
    assert_eq!(listing(&wd), before, "check writes no file anywhere");
}
