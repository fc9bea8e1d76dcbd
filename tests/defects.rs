//! Seven defects found by testing as a new user would (issue 13), each with the test that failed before the fix.

mod common;

use common::*;
use std::process::Command;

/// No raw ESC or BEL anywhere in what zhili printed.
#[track_caller]
fn inert(text: &str, what: &str) {
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{what}: raw control characters:\n{text:?}");
}

#[test]
fn text_from_inputs_cannot_drive_the_terminal() {
    let wd = project();
    // A unit name that would clear the screen, a unit cell that would retitle the window.
    wd.book(
        "roster.xlsx",
        Book::roster(&[
            ("U1", "北马镇\u{1b}[2J\u{1b}[H", "town"),
            ("U2", "黄山馆镇", "town"),
            ("U3", "财政局", "dept"),
        ]),
    );
    wd.book(
        "stations/S01.xlsx",
        Book::station("S01", "2024Q1", vec![row("U1", "A2", n(0.9)), row("\u{1b}]0;title\u{7}", "A2", n(0.9))]),
    );
    let score = wd.run(&["score", "--period", "2024Q1", "--json", "r.json", "--out", "r.xlsx"]);
    score.status(3);
    inert(&score.stdout, "score");
    assert!(score.stdout.contains("北马镇\\x1B[2J\\x1B[H"), "shown as visible escapes:\n{}", score.stdout);
    assert!(score.stdout.contains("\\x1B]0;title\\x07"), "{}", score.stdout);
    // The JSON keeps the text as it was (escaped by JSON itself).
    assert_eq!(wd.json("r.json")["units"][0]["name"], "北马镇\u{1b}[2J\u{1b}[H");
    let check = wd.run(&["check", "--period", "2024Q1"]);
    check.status(1);
    inert(&check.stdout, "check");
    assert!(check.stdout.contains("\\x1B]0;title\\x07"), "{}", check.stdout);
    wd.run(&["score", "--period", "2024Q1", "--json", "r2.json", "--quiet"]).status(3);
    let diff = wd.run(&["diff", "r.json", "r.xlsx"]);
    inert(&diff.stdout, "diff");
    // An error message that quotes the input: a duplicate code holding an escape.
    wd.book("roster.xlsx", Book::roster(&[("U\u{1b}[31m", "甲", "town"), ("U\u{1b}[31m", "乙", "town")]));
    let error = wd.run(&["score", "--period", "2024Q1"]);
    error.status(1);
    inert(&error.stderr, "error");
    assert!(error.stderr.contains("U\\x1B[31m"), "{}", error.stderr);
}

#[test]
fn two_outputs_at_one_path_are_refused() {
    let wd = project();
    let r = wd.run(&["score", "--period", "2024Q1", "--out", "x", "--json", "x"]);
    r.status(1).stderr_has("两个输出指向同一个文件");
    assert!(!wd.exists("x") && !wd.exists("out"), "nothing written");
    // The same file under two spellings, and through a hard link.
    std::fs::create_dir_all(wd.join("a")).unwrap();
    wd.run(&["score", "--period", "2024Q1", "--out", "a/../r.xlsx", "--json", "r.xlsx"])
        .status(1)
        .stderr_has("两个输出指向同一个文件");
    wd.write("old.xlsx", "x");
    std::fs::hard_link(wd.join("old.xlsx"), wd.join("old.json")).unwrap();
    wd.run(&["score", "--period", "2024Q1", "--out", "old.xlsx", "--json", "old.json"])
        .status(1)
        .stderr_has("两个输出指向同一个文件");
    // --per-unit at an output, or inside one.
    wd.run(&["score", "--period", "2024Q1", "--json", "p.json", "--per-unit", "p.json"])
        .status(1)
        .stderr_has("输出目录 p.json");
    wd.run(&["score", "--period", "2024Q1", "--out", "q.xlsx", "--per-unit", "q.xlsx/units"]).status(1);
    assert!(!wd.exists("p.json") && !wd.exists("q.xlsx") && !wd.exists("out"));
    assert_eq!(std::fs::read_to_string(wd.join("old.xlsx")).unwrap(), "x");
}

#[test]
fn a_note_longer_than_an_excel_cell_is_cut_visibly() {
    let wd = project();
    let long = "情况说明".repeat(10_000); // 40,000 characters: no XLSX writer makes this, so raw XML
    let cells = format!(r#"{}{}<c r="E2"><v>0.9</v></c>{}"#, istr("B2", "U1"), istr("C2", "A2"), istr("F2", &long));
    wd.write("stations/S01.xlsx", raw_station("S01", "2024Q1", &format!(r#"<row r="2">{cells}</row>"#), None));
    let r = wd.run(&["score", "--period", "2024Q1", "--quiet", "--out", "r.xlsx", "--json", "r.json"]);
    r.status(0).stderr_has("1 个单元格的文字超过 Excel 单元格上限");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(wd.join("r.xlsx")).unwrap();
    use calamine::Reader;
    let records = book.worksheet_range("计分记录").unwrap();
    let note =
        records.rows().find_map(|r| r.iter().map(|c| c.to_string()).find(|s| s.starts_with("情况说明"))).unwrap();
    assert_eq!(note.chars().count(), 32_767);
    assert!(note.ends_with("…(已截断:原文共 40000 字,超过 Excel 单元格上限;全文见原始文件)"));
    // The score is unaffected: (0.9 − 0.6)/0.4 × 40 = 30.
    assert_eq!(wd.json("r.json")["units"][0]["scores"]["A2"], 30);
}

#[test]
fn grade_points_above_max_are_a_set_error_with_its_place() {
    let wd = project();
    wd.write("set.toml", SET.replace("answers = { \"满意\" = 5, \"一般\" = 3, \"不满意\" = 1 }", "answers = { \"满意\" = 5 }")
        + "\n[[indicator]]\ncode = \"C\"\nname = \"等级\"\nmax = 10\nstation = \"S01\"\nrule = \"grade\"\ngrades = { \"优\" = 12 }\n");
    let set = std::fs::read_to_string(wd.join("set.toml")).unwrap().replace("scale = 100", "scale = 110");
    wd.write("set.toml", &set);
    let line = set.lines().position(|l| l.starts_with("grades = { \"优\" = 12")).unwrap() + 1;
    wd.run(&["check"]).status(1).stdout_has(&format!("set.toml:{line}:18")).stdout_has("超过满分 10");
    wd.run(&["score", "--period", "2024Q1"]).status(1).stderr_has("超过满分 10");
}

#[test]
fn a_set_can_be_checked_alone() {
    let wd = Workdir::new();
    wd.write("set.toml", SET);
    let r = wd.run(&["check", "--indicators", "set.toml"]);
    r.status(0).stdout_has("检查了: 指标体系 set.toml;单位名册 (未检查: 没有指定");
    // With --period the data cannot be checked without a roster, and it says so.
    wd.run(&["check", "--indicators", "set.toml", "--period", "2024Q1"])
        .status(0)
        .stdout_has("数据 (未检查: 没有单位名册)");
    wd.write("bad.toml", SET.replace("max = 60", "max = 61"));
    wd.run(&["check", "--indicators", "bad.toml"]).status(1).stdout_has("bad.toml:");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let wd = project();
    // Enough output to fill any pipe buffer: 4,000 unknown units, one line each in `check`.
    let rows = (0..4000).map(|i| row(&format!("X{i}"), "A1", n(1.0))).collect();
    wd.book("stations/S01.xlsx", Book::station("S01", "2024Q1", rows));
    for args in ["check --period 2024Q1", "check --period 2024Q1 --json"] {
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!("\"$0\" {args} | head -1 >/dev/null; echo \"${{PIPESTATUS[0]}}\" >&2"))
            .arg(env!("CARGO_BIN_EXE_zhili"))
            .current_dir(wd.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args}: {stderr}");
        // Killed by SIGPIPE (128 + 13), as `head` users expect; never a panic's 101.
        assert_eq!(stderr.trim(), "141", "{args}: {stderr}");
    }
}

#[test]
fn an_example_project_copied_elsewhere_still_runs() {
    let wd = Workdir::new();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/longkou");
    let status = Command::new("cp").arg("-r").arg(&src).arg(wd.join("lk")).status().unwrap();
    assert!(status.success());
    std::fs::remove_dir_all(wd.join("lk/reports")).ok();
    let r = wd.run(&["score", "lk", "--period", "2024Q1", "--json", "q1.json"]);
    r.status(0).stdout_has("指标体系: zhili 内置的 longkou");
    assert_eq!(wd.json("q1.json")["indicator_set"]["name"], "龙口市政治生态分析评价指标体系");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(wd.join("lk/reports/2024Q1.xlsx")).unwrap();
    use calamine::Reader;
    let about = book.worksheet_range("说明").unwrap();
    assert!(about.rows().any(|r| r[0] == "指标体系文件" && r[1] == "内置指标体系 longkou"));
    // A path that names no file and no built-in set: what was looked for, where, and the built-in names.
    wd.write("lk/zhili.toml", "indicators = \"indicators/longkou.toml\"\nroster = \"单位名册.xlsx\"\n");
    wd.run(&["check", "lk"])
        .status(1)
        .stdout_has("找不到文件 lk/indicators/longkou.toml")
        .stdout_has("longkou、jiangbei");
}

#[test]
fn messages_are_chinese() {
    let wd = Workdir::new();
    wd.run(&["score"]).status(1).stderr_has("缺少必需的参数 --period");
    wd.run(&["score", "--perod", "2024Q1"]).status(1).stderr_has("无法识别的参数 --perod (是不是想写 --period?)");
    wd.run(&["diff", "a.json"]).status(2).stderr_has("缺少必需的参数");
    wd.run(&["score", "--period", "2024Q1"]).status(1).stderr_has("当前目录没有 zhili.toml");
    let r = wd.run(&["score", "--period", "2024Q1", "--indicators", "nope.toml", "--roster", "r.xlsx"]);
    r.status(1).stderr_has("找不到文件 nope.toml");
    for r in [wd.run(&["score"]), wd.run(&["nonsense"])] {
        assert!(!r.stderr.contains("error:") && !r.stderr.contains("Usage"), "{}", r.stderr);
    }
}
