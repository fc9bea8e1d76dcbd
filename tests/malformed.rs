//! Hostile and broken inputs: a corpus of malformed workbooks, each with its exit status, issue kind and place;
//! memory-bounded runs for far cells and decompression bombs; unusable output paths.

mod common;

use common::*;

/// What a case must produce.
enum Want {
    /// The station file is skipped: `bad_workbook` naming it, with this in the message.
    File(&'static str),
    /// A row-level issue of this kind at this cell of stations/S01.xlsx's 数据.
    Cell(&'static str, &'static str),
    /// Read safely, with no issue at all for it (exit 0).
    Fine,
}

fn row(cells: &str) -> String {
    format!(r#"<row r="2">{cells}</row>"#)
}

fn unit_ind(unit: &str, ind: &str) -> String {
    format!("{}{}", istr("B2", unit), istr("C2", ind))
}

/// A raw S01 workbook for Q1 with one data row.
fn s01(cells: &str) -> Vec<u8> {
    raw_station("S01", "2024Q1", &row(cells), None)
}

/// A valid workbook's bytes, for truncation.
fn valid() -> Vec<u8> {
    s01(&format!("{}<c r=\"E2\"><v>1</v></c>", unit_ind("U1", "A1")))
}

fn cases() -> Vec<(&'static str, Vec<u8>, Want)> {
    use Want::*;
    let gbk: Vec<u8> = vec![0xB5, 0xA5, 0xCE, 0xBB, 0xB4, 0xFA, 0xC2, 0xEB, b',', 0xCA, 0xFD, 0xD6, 0xB5, b'\n'];
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend([0u8; 1000]);
    let mut encrypted = xls.clone();
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let half = valid()[..valid().len() / 2].to_vec();
    let bomb_sheet = format!("{}{}", data_xml(""), " ".repeat(24 * 1024 * 1024));
    let title_only: String =
        (1..=12).map(|r| format!(r#"<row r="{r}">{}</row>"#, istr(&format!("A{r}"), "标题"))).collect();
    let late_header =
        format!(r#"{title_only}<row r="13">{}{}</row>"#, istr("B13", "单位代码"), istr("C13", "指标代码"));
    let v = |cells: &str| s01(&format!("{}{cells}", unit_ind("U1", "A1")));
    vec![
        // ---- the whole file is refused: bad_workbook, the run goes on ----
        ("empty file", Vec::new(), File("文件为空")),
        // Text is read as CSV; without a 监测站 column or a [[csv]] entry its station is unknown.
        ("CSV without a station", "单位代码,指标代码,数值\nU1,A1,1\n".as_bytes().to_vec(), File("没有“监测站”列")),
        ("CSV with a BOM", b"\xEF\xBB\xBFunit,indicator\nU1,A1\n".to_vec(), File("没有“监测站”列")),
        ("GBK text without a data header", gbk, File("没有表头")),
        ("CSV in no known encoding", vec![b'a', b',', 0x81, 0x20, b'\n', 0xFF, b'\n'], File("无法识别文件编码")),
        ("OLE file that is no workbook", xls.clone(), File("不是 Excel 工作簿")),
        (
            "broken .xls",
            [xls.clone(), "Workbook".encode_utf16().flat_map(u16::to_le_bytes).collect()].concat(),
            File("无法作为 XLS 工作簿读取"),
        ),
        (
            "Excel 95 workbook",
            [xls.clone(), "Book".encode_utf16().flat_map(u16::to_le_bytes).collect()].concat(),
            File("Excel 5.0/95"),
        ),
        ("encrypted workbook", encrypted, File("加密")),
        ("random binary", vec![0x00, 0x13, 0x37, 0xFF, 0xFE, 0x01, 0x02, 0x03, 0x04], File("不是 XLSX")),
        ("truncated zip", half, File("损坏")),
        (
            "a zip that is a Word file",
            zip_parts(&[("word/document.xml".into(), b"<w/>".to_vec())]),
            File("不是 Excel 工作簿"),
        ),
        ("a zip of text", zip_parts(&[("readme.txt".into(), b"hello".to_vec())]), File("不是 Excel 工作簿")),
        (
            "decompression bomb",
            zip_parts(&xlsx_parts(&[("信息", info_xml("S01", "2024Q1")), ("数据", bomb_sheet)], None)),
            File("压缩炸弹"),
        ),
        ("no 信息 sheet", zip_parts(&xlsx_parts(&[("数据", data_xml(""))], None)), File("没有“信息”工作表")),
        (
            "信息 without 监测站",
            zip_parts(&xlsx_parts(
                &[
                    ("信息", format!(r#"<row r="2">{}{}</row>"#, istr("A2", "期间"), istr("B2", "2024Q1"))),
                    ("数据", data_xml("")),
                ],
                None,
            )),
            File("没有“监测站”"),
        ),
        (
            "信息 without 期间",
            zip_parts(&xlsx_parts(
                &[
                    ("信息", format!(r#"<row r="1">{}{}</row>"#, istr("A1", "监测站"), istr("B1", "S01"))),
                    ("数据", data_xml("")),
                ],
                None,
            )),
            File("没有“期间”"),
        ),
        ("unknown station", raw_station("审计局", "2024Q1", "", None), File("不在指标体系的 [[station]] 中")),
        ("blank station", raw_station("", "2024Q1", "", None), File("不在指标体系的 [[station]] 中")),
        ("unreadable 期间", raw_station("S01", "下个月", "", None), File("期间无效")),
        (
            "期间 as a boolean",
            zip_parts(&xlsx_parts(
                &[
                    (
                        "信息",
                        format!(
                            r#"<row r="1">{}{}</row><row r="2">{}<c r="B2" t="b"><v>1</v></c></row>"#,
                            istr("A1", "监测站"),
                            istr("B1", "S01"),
                            istr("A2", "期间")
                        ),
                    ),
                    ("数据", data_xml("")),
                ],
                None,
            )),
            File("期间无效"),
        ),
        (
            "header below row 10",
            zip_parts(&xlsx_parts(&[("信息", info_xml("S01", "2024Q1")), ("数据", late_header)], None)),
            File("没有表头"),
        ),
        (
            "title rows only",
            zip_parts(&xlsx_parts(&[("信息", info_xml("S01", "2024Q1")), ("数据", title_only)], None)),
            File("没有表头"),
        ),
        (
            "broken workbook.xml",
            {
                let mut p = xlsx_parts(&[("信息", info_xml("S01", "2024Q1")), ("数据", data_xml(""))], None);
                for part in p.iter_mut().filter(|(n, _)| n == "xl/workbook.xml") {
                    part.1 = b"<workbook><sheets><sheet".to_vec();
                }
                zip_parts(&p)
            },
            File("无法作为 XLSX 工作簿读取"),
        ),
        (
            "unclosed sheet XML",
            {
                let mut p = xlsx_parts(&[("信息", info_xml("S01", "2024Q1")), ("数据", data_xml(""))], None);
                for part in p.iter_mut().filter(|(n, _)| n == "xl/worksheets/sheet2.xml") {
                    part.1.truncate(part.1.len() - 30);
                }
                zip_parts(&p)
            },
            File("损坏"),
        ),
        (
            "shared-string index out of range",
            raw_station("S01", "2024Q1", &row(r#"<c r="B2" t="s"><v>99</v></c>"#), Some("<si><t>U1</t></si>")),
            File("损坏"),
        ),
        ("unknown cell type", v(r#"<c r="E2" t="q"><v>3</v></c>"#), File("损坏")),
        ("row number overflow", v(r#"<c r="E99999999999"><v>3</v></c>"#), File("\"E99999999999\"")),
        ("column beyond XFD", v(r#"<c r="ZZZZ2"><v>3</v></c>"#), File("\"ZZZZ2\"")),
        (
            // 4294967300 = 2³² + 4: calamine's u32 row would wrap to row 4, a real record.
            "row number that wraps to a real row",
            raw_station(
                "S01",
                "2024Q1",
                &format!(
                    r#"{}<row r="4294967300">{}{}<c r="E4294967300"><v>1</v></c></row>"#,
                    row(&unit_ind("U1", "A1")),
                    istr("B4294967300", "U1"),
                    istr("C4294967300", "A1")
                ),
                None,
            ),
            File("\"4294967300\""),
        ),
        (
            "entity expansion",
            {
                let mut p = xlsx_parts(&[("信息", info_xml("S01", "2024Q1")), ("数据", data_xml(""))], None);
                for part in p.iter_mut().filter(|(n, _)| n == "xl/worksheets/sheet2.xml") {
                    let xml = String::from_utf8(part.1.clone()).unwrap();
                    part.1 = xml.replacen("<worksheet", r#"<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><worksheet"#, 1).into_bytes();
                }
                zip_parts(&p)
            },
            Fine,
        ),
        // ---- one row is rejected at its cell; the rest of the file is read ----
        ("NaN number", v(r#"<c r="E2"><v>NaN</v></c>"#), Cell("bad_value", "E2")),
        ("infinite number", v(r#"<c r="E2"><v>INF</v></c>"#), Cell("bad_value", "E2")),
        ("error cell", v(r#"<c r="E2" t="e"><v>#N/A</v></c>"#), Cell("bad_value", "E2")),
        ("boolean value", v(r#"<c r="E2" t="b"><v>1</v></c>"#), Cell("bad_value", "E2")),
        ("date text as a count", v(&istr("E2", "2024-01-01")), Cell("bad_value", "E2")),
        ("text with letters", v(&istr("E2", "12abc")), Cell("bad_value", "E2")),
        ("negative count", v(r#"<c r="E2"><v>-1</v></c>"#), Cell("bad_value", "E2")),
        ("fractional count", v(r#"<c r="E2"><v>1.5</v></c>"#), Cell("bad_value", "E2")),
        ("huge count", v(r#"<c r="E2"><v>1e300</v></c>"#), Cell("bad_value", "E2")),
        ("unknown unit", s01(&unit_ind("U99", "A1")), Cell("unknown_unit", "B2")),
        (
            "error cell as unit",
            s01(&format!(r#"<c r="B2" t="e"><v>#REF!</v></c>{}"#, istr("C2", "A1"))),
            Cell("unknown_unit", "B2"),
        ),
        ("100,000-character unit", s01(&unit_ind(&"单".repeat(100_000), "A1")), Cell("unknown_unit", "B2")),
        ("unknown indicator", s01(&unit_ind("U1", "Z9")), Cell("unknown_indicator", "C2")),
        ("group indicator", s01(&unit_ind("U1", "A")), Cell("not_a_leaf", "C2")),
        ("another station's indicator", s01(&unit_ind("U1", "B1")), Cell("wrong_station", "C2")),
        (
            "unreadable period cell",
            s01(&format!("{}{}", istr("A2", "某月"), unit_ind("U1", "A1"))),
            Cell("bad_period", "A2"),
        ),
        (
            "period outside the workbook",
            s01(&format!("{}{}", istr("A2", "2024-07"), unit_ind("U1", "A1"))),
            Cell("bad_period", "A2"),
        ),
        (
            "coarse record next to an error",
            raw_station(
                "S01",
                "2024",
                &format!(
                    "{}<row r=\"3\">{}</row>",
                    row(&unit_ind("U1", "A1")),
                    format_args!("{}{}{}", istr("A3", "2024-01"), istr("B3", "U99"), istr("C3", "A1"))
                ),
                None,
            ),
            Cell("coarse_period", "B2"),
        ),
    ]
}

#[test]
fn the_malformed_workbook_corpus() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for (name, bytes, want) in cases {
        let wd = project();
        wd.write("stations/S01.xlsx", &bytes);
        let r = wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "r.json"]);
        let expected_status = match want {
            Want::Fine => 0,
            _ => 3,
        };
        assert_eq!(r.status, expected_status, "{name}: {}", r.stderr);
        let json = wd.json("r.json");
        let found = issues(&json);
        let messages: Vec<&str> =
            json["issues"].as_array().unwrap().iter().map(|i| i["message"].as_str().unwrap()).collect();
        // A parser panic is caught and becomes "内部错误"; no case here may need that net.
        assert!(!messages.iter().any(|m| m.contains("内部错误")), "{name}: a parser panicked: {messages:?}");
        match want {
            Want::File(needle) => {
                let i = found.iter().position(|(k, p)| k == "bad_workbook" && p == "stations/S01.xlsx");
                let i = i.unwrap_or_else(|| panic!("{name}: no bad_workbook for the file: {found:?}"));
                assert!(messages[i].contains(needle), "{name}: {:?} lacks {needle:?}", messages[i]);
                // The other workbooks were still read.
                assert_eq!(json["units"][0]["scores"]["B1"], 30, "{name}");
            }
            Want::Fine => assert!(found.iter().all(|(k, _)| k == "missing_data"), "{name}: {found:?}"),
            Want::Cell(kind, cell) => {
                let place = format!("stations/S01.xlsx!数据!{cell}");
                let i = found.iter().position(|(k, p)| k == kind && *p == place);
                let i = i.unwrap_or_else(|| panic!("{name}: no {kind} at {place}: {found:?}"));
                assert!(messages[i].chars().count() < 300, "{name}: messages stay short");
            }
        }
    }
}

#[test]
fn a_coarse_record_alone_is_only_a_warning() {
    let wd = project();
    wd.write("stations/S01.xlsx", raw_station("S01", "2024", &row(&unit_ind("U1", "A1")), None));
    wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "r.json"]).status(0);
}

#[test]
fn a_broken_roster_is_exit_one_naming_it() {
    for (bytes, needle) in [
        (Vec::new(), "文件为空"),
        // A CSV roster without 类别 (the set has two categories): the header cell, named row:column.
        (b"unit,name\nU1,x\n".to_vec(), "roster.xlsx!1:1: 表头缺少“类别”列"),
        (zip_parts(&[("x.txt".into(), b"x".to_vec())]), "不是 Excel 工作簿"),
        (
            zip_parts(&xlsx_parts(
                &[("单位", r#"<row r="1"><c r="A1" t="s"><v>9</v></c></row>"#.to_string())],
                Some("<si><t>a</t></si>"),
            )),
            "roster.xlsx",
        ),
    ] {
        let wd = project();
        wd.write("roster.xlsx", &bytes);
        let r = wd.run(&["score", "--period", "2024Q1", "--quiet"]);
        r.status(1).stderr_has("roster.xlsx").stderr_has(needle);
        assert!(!r.stderr.contains("内部错误"), "a parser panicked: {}", r.stderr);
        assert!(!wd.exists("out"));
    }
}

/// Runs zhili under a virtual-memory limit (KiB) in a shell.
fn run_limited(wd: &Workdir, limit_kib: u64, args: &str) -> Run {
    let mut script = wd.run_with(&["--version"], &[]);
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {limit_kib} && exec \"$0\" {args}"))
        .arg(env!("CARGO_BIN_EXE_zhili"))
        .current_dir(wd.path())
        .env("NO_COLOR", "1")
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .unwrap();
    script.status = out.status.code().unwrap_or(-1);
    script.stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    script.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    script
}

#[test]
fn far_cells_and_bombs_stay_within_memory() {
    let wd = project();
    // Only A1-ish data and one cell at XFD1048576: no dense range is ever built.
    let far = format!(
        r#"<row r="2">{}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        format_args!("{}{}<c r=\"E2\"><v>1</v></c>", istr("B2", "U1"), istr("C2", "A1"))
    );
    wd.write("stations/S01.xlsx", raw_station("S01", "2024Q1", &far, None));
    // And a bomb next to it.
    let bomb = format!("{}{}", data_xml(""), " ".repeat(64 * 1024 * 1024));
    wd.write("stations/S09.xlsx", zip_parts(&xlsx_parts(&[("信息", info_xml("S01", "2024Q1")), ("数据", bomb)], None)));
    // 1 GiB of address space: a dense 1M × 16K range would need far more.
    let r = run_limited(&wd, 1024 * 1024, "score --period 2024Q1 --quiet --json r.json");
    assert_eq!(r.status, 3, "the bomb is a bad_workbook: {}", r.stderr);
    let json = wd.json("r.json");
    assert_eq!(json["units"][0]["scores"]["A1"], 15, "the far-cell workbook was read");
    assert!(issues(&json).contains(&("bad_workbook".into(), "stations/S09.xlsx".into())));
}

#[test]
fn unusable_output_paths_are_clear_errors() {
    let wd = project();
    std::fs::create_dir_all(wd.join("adir")).unwrap();
    wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "adir"]).status(1).stderr_has("是一个目录");
    wd.run(&["score", "--period", "2024Q1", "--quiet", "--out", "nowhere/deep/r.xlsx"])
        .status(1)
        .stderr_has("nowhere/deep");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(wd.join("ro")).unwrap();
        std::fs::set_permissions(wd.join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
        // root ignores directory permissions; only check when they bite.
        if std::fs::write(wd.join("ro/probe"), b"x").is_err() {
            wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "ro/r.json"]).status(1).stderr_has("ro");
        }
    }
    // Nothing half-written anywhere.
    for dir in ["adir", "."] {
        let stray: Vec<_> = std::fs::read_dir(wd.join(dir))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".zhili-"))
            .collect();
        assert!(stray.is_empty(), "{dir}: {stray:?}");
    }
}

/// Every input the fuzzers found that once crashed something: read as a station
/// workbook, it must be a `bad_workbook` (or read fine) — never a crash.
#[test]
fn fuzz_regressions_never_crash() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let wd = project();
        wd.write("stations/S01.xlsx", std::fs::read(&path).unwrap());
        let r = wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "r.json"]);
        assert_eq!(r.status, 3, "{path:?}: {}", r.stderr);
        let json = wd.json("r.json");
        assert!(json["units"].as_array().unwrap().len() == 3, "{path:?}: the run went on");
        // Refused by the address check before calamine could overflow, not caught as a panic ("内部错误").
        let bad = json["issues"].as_array().unwrap().iter().find(|i| i["kind"] == "bad_workbook").cloned();
        let message = bad.map(|i| i["message"].as_str().unwrap().to_string());
        let message = message.unwrap_or_else(|| panic!("{path:?}: no bad_workbook"));
        assert!(message.contains("超出 Excel 范围的地址"), "{path:?}: {message}");
    }
}
