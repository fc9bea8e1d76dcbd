//! The files offices really have: .xls (BIFF8) and CSV/TSV in UTF-8, UTF-8 with a BOM, GBK and GB18030,
//! read with the same sheets, headers, issues and places as XLSX.
//!
//! The .xls fixtures are in tests/corpus/xls/ (made by its make.py; Rust has no .xls writer).

mod common;

use common::*;
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/corpus/xls/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The standard project, reading every file in stations/ whatever its extension.
fn any_format_project() -> Workdir {
    let wd = project();
    wd.write("zhili.toml", PROJECT.replace("stations/*.xlsx", "stations/*"));
    wd
}

fn score_json(wd: &Workdir, status: i32) -> Value {
    wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "r.json"]).status(status);
    wd.json("r.json")
}

/// The standard S01 as CSV text: a 监测站 column, U1's first row dated in February.
fn s01_csv() -> String {
    "监测站,期间,单位代码,指标代码,事项,数值,说明\n\
     S01,2024-02,U1,A1,,1,\n\
     S01,,U1,A2,,0.9,\n\
     S01,,U2,A2,,80%,\n\
     S01,,U3,A2,,1,\n\
     S01,,U3,A1,,2,\n\
     S01,,U9,A1,,1,\n"
        .to_string()
}

#[test]
fn the_same_data_as_xlsx_xls_and_csv_scores_the_same() {
    let xlsx = score_json(&any_format_project(), 3);

    let wd = any_format_project();
    std::fs::remove_file(wd.join("stations/S01.xlsx")).unwrap();
    wd.write("stations/S01.xls", fixture("S01-same.xls"));
    let xls = score_json(&wd, 3);

    let wd = any_format_project();
    std::fs::remove_file(wd.join("stations/S01.xlsx")).unwrap();
    wd.write("stations/S01-2024Q1.csv", s01_csv());
    let csv = score_json(&wd, 3);

    assert_eq!(xls["units"], xlsx["units"]);
    assert_eq!(csv["units"], xlsx["units"]);
    // The same issues, each at its place in its own format.
    let unknown =
        |j: &Value| issues(j).into_iter().find(|(k, _)| k == "unknown_unit").map(|(_, p)| p).unwrap_or_default();
    assert_eq!(unknown(&xlsx), "stations/S01.xlsx!数据!B7");
    assert_eq!(unknown(&xls), "stations/S01.xls!数据!B7");
    assert_eq!(unknown(&csv), "stations/S01-2024Q1.csv!7:3", "a CSV cell is row:column, with no sheet");
    let kinds = |j: &Value| issues(j).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
    assert_eq!((kinds(&xls), kinds(&csv)), (kinds(&xlsx), kinds(&xlsx)));
    // The CSV's period came from its file name; its station from its column.
    let input = csv["inputs"].as_array().unwrap().iter().find(|i| i["path"] == "stations/S01-2024Q1.csv").unwrap();
    assert_eq!((input["station"].as_str(), input["period"].as_str()), (Some("S01"), Some("2024Q1")));
    assert_eq!(input["records"], 5);
}

/// The places of tests/score.rs's every-issue workbook, in a given file and cell naming.
fn every_issue_places(file: &str, cell: impl Fn(&str) -> String) -> Vec<(String, String)> {
    [
        ("bad_period", "A3"),
        ("bad_period", "A4"),
        ("unknown_unit", "B5"),
        ("unknown_indicator", "C6"),
        ("not_a_leaf", "C7"),
        ("not_applicable", "C8"),
        ("wrong_station", "C9"),
        ("unknown_item", "D10"),
        ("unknown_item", "D11"),
        ("bad_value", "E12"),
        ("out_of_range", "E13"),
        ("bad_value", "E14"),
        ("bad_value", "E15"),
        ("bad_value", "E16"),
        ("bad_value", "E17"),
    ]
    .iter()
    .map(|(k, c)| (k.to_string(), format!("{file}!{}", cell(c))))
    .collect()
}

#[test]
fn every_issue_kind_from_xls_files_at_their_cells() {
    let wd = any_format_project();
    wd.write("set.toml", every_issue_set());
    for f in ["S01.xlsx", "S02.xlsx", "S03.xlsx"] {
        std::fs::remove_file(wd.join(&format!("stations/{f}"))).unwrap();
    }
    std::fs::remove_file(wd.join("roster.xlsx")).unwrap();
    wd.write("zhili.toml", PROJECT.replace("stations/*.xlsx", "stations/*").replace("roster.xlsx", "roster.xls"));
    wd.write("roster.xls", fixture("roster.xls"));
    wd.write("stations/S01.xls", fixture("S01-issues.xls"));
    wd.write("stations/S02.xls", fixture("S02-year.xls"));
    wd.write("stations/S03.xls", fixture("S03-issues.xls"));
    let json = score_json(&wd, 3);
    let mut want = every_issue_places("stations/S01.xls", |c| format!("数据!{c}"));
    want.push(("coarse_period".into(), "stations/S02.xls!数据!B2".into()));
    want.push(("out_of_range".into(), "stations/S03.xls!数据!E2".into()));
    want.push(("bad_value".into(), "stations/S03.xls!数据!E3".into()));
    let got: Vec<_> = issues(&json).into_iter().filter(|(k, _)| k != "missing_data").collect();
    assert_eq!(got, want);
    assert_eq!(json["units"][0]["scores"]["P"], 8, "the blank count on row 19 is one occurrence of x");
    assert_eq!((json["inputs"][0]["records"].clone(), json["inputs"][0]["rejected"].clone()), (2.into(), 15.into()));
}

/// The every-issue rows as CSV (no 期间 column header change: the same six columns plus 监测站 first).
fn every_issue_csv() -> String {
    let rows = [
        "2024Q1,U1,A2,,0.9",
        "2024年13月,U1,A2,,0.9",
        "2024-04,U1,A2,,0.9",
        ",U8,A2,,0.9",
        ",U1,Z9,,0.9",
        ",U1,A,,0.9",
        ",U1,BD,,优",
        ",U1,B1,,5",
        ",U1,P,z,1",
        ",U1,P,,1",
        ",U1,P,x,1.5",
        ",U1,P,y,4",
        ",U1,P,y,",
        ",U1,A2,,九成",
        ",U3,BD,,良",
        ",U1,A2,,TRUE",
        ",U1,A2,,",
        ",U1,P,x,",
    ];
    let mut text = "期间,单位代码,指标代码,事项,数值,说明\n".to_string();
    for r in rows {
        text += r;
        text += "\n";
    }
    text
}

#[test]
fn every_issue_kind_from_csv_files_at_row_and_column() {
    let wd = any_format_project();
    wd.write("set.toml", every_issue_set());
    for f in ["S01.xlsx", "S02.xlsx", "S03.xlsx"] {
        std::fs::remove_file(wd.join(&format!("stations/{f}"))).unwrap();
    }
    // Stations from [[csv]] entries; S01's period from the entry, S02's from its file name, S03's from its rows.
    wd.write(
        "zhili.toml",
        format!(
            "{}[[csv]]\nfiles = \"stations/a.csv\"\nstation = \"S01\"\nperiod = \"2024Q1\"\n\
             [[csv]]\nfiles = \"stations/信访*.csv\"\nstation = \"信访室\"\n",
            PROJECT.replace("stations/*.xlsx", "stations/*")
        ),
    );
    wd.write("stations/a.csv", every_issue_csv());
    wd.write("stations/信访-2024.csv", "单位代码,指标代码,数值\nU2,V,\n");
    wd.write(
        "stations/c.csv",
        "监测站\t期间\t单位代码\t指标代码\t数值\nS03\t2024-01\tU1\tB1\t6\nS03\t2024-03\tU1\tB1\t很好\n",
    );
    let json = score_json(&wd, 3);
    // The TSV's cell E2 is its row 2, column 5.
    let rc = |c: &str| {
        let col = c.as_bytes()[0] - b'A' + 1;
        format!("{}:{col}", &c[1..])
    };
    let mut want = every_issue_places("stations/a.csv", rc);
    // Files in the byte order of their paths: a.csv, c.csv, then 信访-2024.csv.
    want.push(("out_of_range".into(), "stations/c.csv!2:5".into()));
    want.push(("bad_value".into(), "stations/c.csv!3:5".into()));
    want.push(("coarse_period".into(), "stations/信访-2024.csv!2:1".into()));
    let got: Vec<_> = issues(&json).into_iter().filter(|(k, _)| k != "missing_data").collect();
    assert_eq!(got, want);
    let inputs: Vec<(String, String, String)> = json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].to_string(), i["station"].to_string(), i["period"].to_string()))
        .collect();
    assert_eq!(
        inputs,
        [
            ("\"stations/a.csv\"".into(), "\"S01\"".into(), "\"2024Q1\"".into()),
            ("\"stations/c.csv\"".into(), "\"S03\"".into(), "\"2024Q1\"".into()),
            ("\"stations/信访-2024.csv\"".into(), "\"S02\"".into(), "\"2024\"".into()),
        ]
    );
    assert_eq!(json["units"][0]["scores"]["P"], 8);
}

#[test]
fn file_and_scoring_kinds_from_xls_and_csv() {
    // min_responses = 2 on B1: one valid answer is few_responses.
    let set = SET.replace("answers = {", "min_responses = 2\nanswers = {");
    for csv in [false, true] {
        let wd = any_format_project();
        wd.write("set.toml", &set);
        for f in ["S01.xlsx", "S02.xlsx", "S03.xlsx"] {
            std::fs::remove_file(wd.join(&format!("stations/{f}"))).unwrap();
        }
        let (s02, s03) = if csv {
            wd.write("stations/S01-2024Q1.csv", s01_csv());
            wd.write("stations/S03.csv", "监测站,期间,单位代码,指标代码,数值\nS03,2024Q1,U1,B1,5\n");
            // A binary file named .csv: not a table at all.
            ("stations/S02.csv", "stations/S03.csv")
        } else {
            wd.write("stations/S01.xls", fixture("S01-same.xls"));
            wd.write("stations/S03.xls", fixture("S03-one.xls"));
            ("stations/S02.xls", "stations/S03.xls")
        };
        // S02's only file is unreadable: bad_workbook, and the station is missing.
        let broken: Vec<u8> = [
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            vec![0; 600],
            "Workbook".encode_utf16().flat_map(u16::to_le_bytes).collect(),
        ]
        .concat();
        wd.write(s02, if csv { vec![0x00, 0x13, 0x37, 0xFF] } else { broken });
        let json = score_json(&wd, 3);
        let found = issues(&json);
        let has = |k: &str, p: &str| found.contains(&(k.to_string(), p.to_string()));
        assert!(has("bad_workbook", s02), "{csv}: {found:?}");
        assert!(has("missing_station", "station S02"), "{csv}: {found:?}");
        assert!(has("few_responses", "U1 B1"), "{csv}: {found:?}");
        assert!(has("missing_data", "U2 B1"), "{csv}: {found:?}");
        let s03_input = json["inputs"].as_array().unwrap().iter().find(|i| i["path"] == s03).unwrap().clone();
        assert_eq!(s03_input["records"], 1, "{csv}");
    }
}

#[test]
fn csv_encodings_with_chinese_names_and_full_width_digits() {
    // Units by name, values in full-width digits: U1 北马镇 A2 = ０.９ → (0.9 − 0.6)/0.4 × 40 = 30.
    let text = "监测站,单位代码,指标代码,数值,备注\n组织部,北马镇,A2,０.９,按季度报送\n组织部,财政局,A1,２,\n";
    let gbk = encoding_rs::GBK.encode(text).0.into_owned();
    // GB18030 beyond GBK: a four-byte character in a note.
    let gb18030 = encoding_rs::GB18030.encode(&text.replace("按季度报送", "按季度报送𠀀")).0.into_owned();
    let utf8_bom = [b"\xEF\xBB\xBF".to_vec(), text.as_bytes().to_vec()].concat();
    for (name, bytes) in
        [("UTF-8", text.as_bytes().to_vec()), ("UTF-8 BOM", utf8_bom), ("GBK", gbk), ("GB18030", gb18030)]
    {
        let wd = any_format_project();
        std::fs::remove_file(wd.join("stations/S01.xlsx")).unwrap();
        wd.write("stations/组织部-2024年第一季度.csv", bytes);
        wd.run(&["score", "--period", "2024Q1", "--quiet", "--json", "r.json"]);
        let json = wd.json("r.json");
        let errors: Vec<_> = issues(&json).into_iter().filter(|(k, _)| k != "missing_data").collect();
        assert!(errors.is_empty(), "{name}: {errors:?} {}", json["issues"]);
        assert_eq!(json["units"][0]["scores"]["A2"], 30, "{name}");
        assert_eq!(json["units"][2]["scores"]["A1"], 10, "{name}: 20 − 2 × 5");
        let input = json["inputs"].as_array().unwrap().iter().find(|i| i["path"].as_str().unwrap().ends_with(".csv"));
        let input = input.unwrap().clone();
        assert_eq!((input["station"].as_str(), input["period"].as_str()), (Some("S01"), Some("2024Q1")), "{name}");
        assert_eq!(input["records"], 2, "{name}");
    }
}

#[test]
fn a_csv_that_cannot_say_where_it_comes_from_is_refused_clearly() {
    let cases: [(&str, &str, &str); 4] = [
        ("x.csv", "单位代码,指标代码,数值\nU1,A1,1\n", "没有“监测站”列"),
        ("x.csv", "监测站,单位代码,指标代码,数值\nS01,U1,A1,1\n", "无法确定这个 CSV 文件的期间"),
        ("x-2024Q1.csv", "监测站,单位代码,指标代码,数值\nS01,U1,A1,1\nS02,U1,A1,1\n", "不同的监测站"),
        ("x-2024Q1-2024Q2.csv", "监测站,单位代码,指标代码,数值\nS01,U1,A1,1\n", "多个期间"),
    ];
    for (file, text, needle) in cases {
        let wd = any_format_project();
        wd.write(&format!("stations/{file}"), text);
        let json = score_json(&wd, 3);
        let bad = json["issues"].as_array().unwrap().iter().find(|i| i["kind"] == "bad_workbook").cloned();
        let bad = bad.unwrap_or_else(|| panic!("{file}: no bad_workbook"));
        assert_eq!(bad["file"], format!("stations/{file}"));
        assert!(bad["message"].as_str().unwrap().contains(needle), "{file}: {}", bad["message"]);
    }
    // A [[csv]] station that contradicts the 监测站 column.
    let wd = any_format_project();
    wd.write(
        "zhili.toml",
        format!(
            "{}[[csv]]\nfiles = \"stations/*.csv\"\nstation = \"S02\"\n",
            PROJECT.replace("stations/*.xlsx", "stations/*")
        ),
    );
    wd.write("stations/y-2024Q1.csv", "监测站,单位代码,指标代码,数值\nS01,U1,A1,1\n");
    let json = score_json(&wd, 3);
    let bad = json["issues"].as_array().unwrap().iter().find(|i| i["kind"] == "bad_workbook").unwrap().clone();
    assert!(bad["message"].as_str().unwrap().contains("两者不一致"), "{}", bad["message"]);
}

#[test]
fn rosters_in_csv_and_xls() {
    for (file, bytes) in [
        (
            "roster.csv",
            "单位代码,单位名称,类别\nU1,北马镇,town\nU2,黄山馆镇,镇街区\nU3,财政局,dept\n".as_bytes().to_vec(),
        ),
        ("roster.xls", fixture("roster.xls")),
    ] {
        let wd = project();
        wd.write("zhili.toml", PROJECT.replace("roster.xlsx", file));
        wd.write(file, bytes);
        let json = score_json(&wd, 3);
        let names: Vec<&str> = json["units"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["北马镇", "黄山馆镇", "财政局"], "{file}");
    }
    // A roster CSV's problem is named by row and column.
    let wd = project();
    wd.write("zhili.toml", PROJECT.replace("roster.xlsx", "roster.csv"));
    wd.write("roster.csv", "单位代码,单位名称,类别\nU1,北马镇,town\nU1,重复,town\n");
    wd.run(&["score", "--period", "2024Q1", "--quiet"]).status(1).stderr_has("roster.csv!3:1: 单位代码 \"U1\" 重复");
}
