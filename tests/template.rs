//! `zhili template`: templates are generated, filled in as a station would, sent back and scored.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use std::io::{Cursor, Read};

/// All sheets of a workbook as rows of cells.
fn read_book(bytes: &[u8]) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    x.sheet_names()
        .into_iter()
        .map(|name| {
            let range = x.worksheet_range(&name).unwrap();
            let (r0, _) = range.start().unwrap_or((0, 0));
            let mut rows: Vec<Vec<Data>> = vec![Vec::new(); r0 as usize];
            rows.extend(range.rows().map(|r| r.to_vec()));
            (name, rows)
        })
        .collect()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

/// "Fills in" a template the way a clerk's spreadsheet program would save it:
/// every sheet copied, `value` typed into pre-filled rows, `extra` rows added.
fn fill(template: &[u8], value: impl Fn(&str, &str) -> Option<C>, extra: Vec<Vec<C>>) -> Book {
    let mut book = Book::new();
    for (name, rows) in read_book(template) {
        let mut out: Vec<Vec<C>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|d| match d {
                        Data::String(s) => C::T(s.clone()),
                        Data::Float(f) => C::N(*f),
                        _ => C::Blank,
                    })
                    .collect()
            })
            .collect();
        if name == "数据" {
            for row in out.iter_mut().skip(1) {
                let key = |i: usize| match row.get(i) {
                    Some(C::T(s)) => s.clone(),
                    _ => String::new(),
                };
                if let Some(v) = value(&key(1), &key(3)) {
                    row.resize(7, C::Blank);
                    row[6] = v;
                }
            }
            out.extend(extra.clone());
        }
        book = book.sheet(&name, out);
    }
    book
}

/// An event or answer row in the template's column layout.
fn ev(unit: &str, ind: &str, value: C) -> Vec<C> {
    vec![C::Blank, t(unit), C::Blank, t(ind), C::Blank, C::Blank, value]
}

#[test]
fn one_template_per_station_with_its_sheets() {
    let wd = project();
    let r = wd.run(&["template", "--period", "2024Q1"]);
    r.status(0).stdout_has("已为 2024Q1 生成 3 份填报模板");
    for f in ["S01-组织部-2024Q1.xlsx", "S02-信访室-2024Q1.xlsx", "S03-问卷-2024Q1.xlsx"] {
        let book = read_book(&wd.read(&format!("templates/2024Q1/{f}")));
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["信息", "数据", "指标说明", "单位", "选项"], "{f}");
        let info = &book[0].1;
        assert_eq!(cell_text(&info[1][0]), "监测站");
        assert_eq!(cell_text(&info[2][1]), "2024Q1");
        assert_eq!(cell_text(&info[3][0]), "填报人");
        assert_eq!(cell_text(&info[4][0]), "报送日期", "the key score reads to tell a resubmission apart");
    }
    // S01: A2 (linear) is pre-filled for every unit; A1 (points) is not.
    let book = read_book(&wd.read("templates/2024Q1/S01-组织部-2024Q1.xlsx"));
    let data = &book[1].1;
    assert_eq!(
        data[0].iter().map(cell_text).collect::<Vec<_>>(),
        ["期间", "单位代码", "单位名称(参考)", "指标代码", "指标名称(参考)", "事项", "数值", "说明"]
    );
    let prefilled: Vec<(String, String, String)> =
        data[1..].iter().map(|r| (cell_text(&r[0]), cell_text(&r[1]), cell_text(&r[3]))).collect();
    assert_eq!(
        prefilled,
        [("2024Q1", "U1", "A2"), ("2024Q1", "U2", "A2"), ("2024Q1", "U3", "A2")].map(|(a, b, c)| (
            a.into(),
            b.into(),
            c.into()
        ))
    );
    // 指标说明 explains both leaves in plain Chinese.
    let explain = &book[2].1;
    let a1 = explain.iter().find(|r| cell_text(&r[0]) == "A1").unwrap();
    assert!(cell_text(&a1[3]).contains("每次扣5分,扣完为止"), "{:?}", a1);
    let a2 = explain.iter().find(|r| cell_text(&r[0]) == "A2").unwrap();
    assert!(cell_text(&a2[3]).contains("60% 及以下得 0 分,100% 及以上得满分 40 分"), "{:?}", a2);
    // 单位 is the roster.
    assert_eq!(book[3].1.len(), 4);
}

#[test]
fn an_untouched_template_scores_as_no_data() {
    let wd = project();
    wd.run(&["template", "--period", "2024Q1", "--out-dir", "stations", "--force"]).status(0);
    for f in ["S01.xlsx", "S02.xlsx", "S03.xlsx"] {
        std::fs::remove_file(wd.join(&format!("stations/{f}"))).unwrap();
    }
    let r = wd.run(&["score", "--period", "2024Q1", "--quiet"]);
    r.status(0);
    let json = wd.json("out/2024Q1.json");
    // Exactly the value leaves with nothing typed in: A2 and B1 for each of the three units.
    let found = issues(&json);
    let want: Vec<(String, String)> = ["U1", "U2", "U3"]
        .iter()
        .flat_map(|u| {
            [("missing_data".to_string(), format!("{u} A2")), ("missing_data".to_string(), format!("{u} B1"))]
        })
        .collect();
    assert_eq!(found, want);
    let inputs = json["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 3);
    assert!(inputs.iter().all(|i| i["records"] == 0 && i["rejected"] == 0), "{inputs:?}");
    // A1 (no events) keeps its 20, A2 and B1 score 0: every total is 20.
    assert!(json["units"].as_array().unwrap().iter().all(|u| u["total"] == 20), "{}", json["units"]);
}

#[test]
fn filled_templates_score_exactly() {
    let wd = project();
    wd.run(&["template", "--period", "2024Q1", "--out-dir", "t"]).status(0);
    for f in ["S01.xlsx", "S02.xlsx", "S03.xlsx"] {
        std::fs::remove_file(wd.join(&format!("stations/{f}"))).unwrap();
    }
    let s01 = fill(
        &wd.read("t/S01-组织部-2024Q1.xlsx"),
        |unit, ind| match (unit, ind) {
            ("U1", "A2") => Some(n(0.9)),
            ("U2", "A2") => Some(t("80%")),
            ("U3", "A2") => Some(n(1.0)),
            _ => None,
        },
        vec![ev("U1", "A1", C::Blank), ev("U3", "A1", n(2.0))],
    );
    let s02 = fill(&wd.read("t/S02-信访室-2024Q1.xlsx"), |_, _| None, vec![ev("U2", "V", C::Blank)]);
    let s03 = fill(
        &wd.read("t/S03-问卷-2024Q1.xlsx"),
        |_, _| None,
        vec![ev("U1", "B1", t("满意")), ev("U1", "B1", t("一般")), ev("U2", "B1", n(5.0)), ev("U3", "B1", n(3.0))],
    );
    wd.book("stations/S01.xlsx", s01).book("stations/S02.xlsx", s02).book("stations/S03.xlsx", s03);
    wd.run(&["score", "--period", "2024Q1", "--quiet"]).status(0);
    let json = wd.json("out/2024Q1.json");
    let totals: Vec<(String, f64)> = json["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["code"].as_str().unwrap().to_string(), u["total"].as_f64().unwrap()))
        .collect();
    // U1: A1 = 20 − 5 = 15, A2 = 30, B1 = (4 − 1)/4 × 40 = 30 → 75
    // U2: A1 = 20, A2 = 20, B1 = 40 → 80, vetoed (cap 50) → 50
    // U3: A1 = 20 − 10 = 10, A2 = 40, B1 = (3 − 1)/4 × 40 = 20 → 70
    assert_eq!(totals, [("U1".into(), 75.0), ("U2".into(), 50.0), ("U3".into(), 70.0)]);
    assert!(json["issues"].as_array().unwrap().is_empty(), "{:#}", json["issues"]);
}

/// The raw XML of one part of a workbook.
fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn drop_downs_hold_exactly_the_stations_codes() {
    let wd = project();
    // Make B (and so S03's B1) apply to towns only, and give departments their own B.
    let set = SET.replace(
        "code = \"B\"\nname = \"群众评价\"\nmax = 40",
        "code = \"B\"\nname = \"群众评价\"\nmax = 40\napplies_to = [\"town\"]",
    ) + "\n[[indicator]]\ncode = \"BD\"\nname = \"部门评价\"\nmax = 40\napplies_to = [\"dept\"]\nstation = \"S01\"\nrule = \"grade\"\ngrades = { \"优\" = 40, \"良\" = 30, \"差\" = 0 }\n\n[[indicator]]\ncode = \"P\"\nname = \"事项\"\nmax = 10\nstation = \"S01\"\nrule = \"points\"\nitems = [{ code = \"x\", deduct = 2 }, { code = \"y\", deduct = [1, 3] }]\n";
    let set = set.replace("scale = 100", "scale = 110");
    wd.write("set.toml", set);
    wd.run(&["template", "--period", "2024Q1"]).status(0);

    let options = |file: &str| -> Vec<Vec<String>> {
        let book = read_book(&wd.read(&format!("templates/2024Q1/{file}")));
        let rows = &book.iter().find(|(n, _)| n == "选项").unwrap().1;
        (0..3).map(|c| rows[1..].iter().map(|r| cell_text(&r[c])).filter(|s| !s.is_empty()).collect()).collect()
    };
    assert_eq!(
        options("S01-组织部-2024Q1.xlsx"),
        [vec!["U1", "U2", "U3"], vec!["A1", "A2", "BD", "P"], vec!["x", "y"]]
    );
    assert_eq!(options("S03-问卷-2024Q1.xlsx"), [vec!["U1", "U2"], vec!["B1"], vec![]]);

    let bytes = wd.read("templates/2024Q1/S03-问卷-2024Q1.xlsx");
    let xml = part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(xml.contains("<formula1>选项!$A$2:$A$3</formula1>"), "{xml}");
    assert!(xml.contains("<formula1>选项!$B$2:$B$2</formula1>"));
    assert!(xml.contains("promptTitle=\"单位代码\""), "Chinese input messages");
    // survey answers (and the 1–5 scale) on the answer rows
    assert!(xml.contains("\"满意,一般,不满意,1,2,3,4,5\""), "{xml}");
    // the 选项 sheet is hidden
    assert!(part(&bytes, "xl/workbook.xml").contains("state=\"hidden\""));

    // S01: a grade list on BD's pre-filled rows, and item codes on 事项.
    let xml = part(&wd.read("templates/2024Q1/S01-组织部-2024Q1.xlsx"), "xl/worksheets/sheet2.xml");
    assert!(xml.contains("\"优,良,差\""), "{xml}");
    assert!(xml.contains("<formula1>选项!$C$2:$C$3</formula1>"));
}

#[test]
fn never_overwrites_without_force() {
    let wd = project();
    wd.run(&["template", "--period", "2024Q1", "-q"]).status(0);
    let path = "templates/2024Q1/S01-组织部-2024Q1.xlsx";
    wd.write(path, "edited by the office");
    wd.run(&["template", "--period", "2024Q1"]).status(1).stderr_has("--force").stderr_has("S01-组织部-2024Q1.xlsx");
    assert_eq!(wd.read(path), b"edited by the office");
    wd.run(&["template", "--period", "2024Q1", "--force", "-q"]).status(0);
    assert!(wd.read(path).starts_with(b"PK"));
}
