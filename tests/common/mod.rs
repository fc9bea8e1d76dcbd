//! Test fixtures: a temporary project directory, workbooks built in code, and the real binary.
#![allow(dead_code)]

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A cell to write.
#[derive(Clone, Debug)]
pub enum C {
    T(String),
    N(f64),
    B(bool),
    /// A real Excel date cell (year, month, day).
    D(u16, u8, u8),
    Blank,
}

pub fn t(s: &str) -> C {
    C::T(s.to_string())
}
pub fn n(v: f64) -> C {
    C::N(v)
}

/// A workbook: named sheets of rows.
#[derive(Default)]
pub struct Book {
    sheets: Vec<(String, Vec<Vec<C>>)>,
}

impl Book {
    pub fn new() -> Self {
        Book::default()
    }

    pub fn sheet(mut self, name: &str, rows: Vec<Vec<C>>) -> Self {
        self.sheets.push((name.to_string(), rows));
        self
    }

    /// A station workbook: 信息 (监测站, 期间) and 数据 with the standard header.
    pub fn station(station: &str, period: &str, rows: Vec<Vec<C>>) -> Self {
        let mut data = vec![["期间", "单位代码", "指标代码", "事项", "数值", "说明"].map(t).to_vec()];
        data.extend(rows);
        Book::new().sheet("信息", vec![vec![t("监测站"), t(station)], vec![t("期间"), t(period)]]).sheet("数据", data)
    }

    /// A roster with the standard header: (code, name, category).
    pub fn roster(units: &[(&str, &str, &str)]) -> Self {
        let mut rows = vec![vec![t("单位代码"), t("单位名称"), t("类别")]];
        rows.extend(units.iter().map(|(c, n, k)| vec![t(c), t(n), t(k)]));
        Book::new().sheet("单位", rows)
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut wb = Workbook::new();
        let when = ExcelDateTime::from_ymd(2024, 1, 1).unwrap();
        wb.set_properties(&DocProperties::new().set_creation_datetime(&when));
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (name, rows) in &self.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(name).unwrap();
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    match v {
                        C::T(s) => ws.write_string(r, c, s).map(|_| ()),
                        C::N(x) => ws.write_number(r, c, *x).map(|_| ()),
                        C::B(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                        C::D(y, m, d) => {
                            let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                            ws.write_datetime_with_format(r, c, &dt, &date).map(|_| ())
                        }
                        C::Blank => Ok(()),
                    }
                    .unwrap();
                }
            }
        }
        wb.save_to_buffer().unwrap()
    }
}

/// A temporary directory in which the real binary runs.
pub struct Workdir {
    dir: tempfile::TempDir,
}

/// The result of one run.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let p = self.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    pub fn book(&self, name: &str, book: Book) -> &Self {
        self.write(name, book.bytes())
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn json(&self, name: &str) -> serde_json::Value {
        serde_json::from_slice(&self.read(name)).unwrap()
    }

    pub fn exists(&self, name: &str) -> bool {
        self.join(name).exists()
    }

    /// The names of the files in a directory of this one, sorted.
    pub fn names(&self, dir: &str) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// Runs `zhili ARGS` in this directory, without colour.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhili"));
        cmd.args(args).current_dir(self.path()).env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let Output { status, stdout, stderr } = cmd.output().unwrap();
        Run {
            status: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn status(&self, want: i32) -> &Self {
        assert_eq!(self.status, want, "exit status\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(self.stdout.contains(needle), "stdout lacks {needle:?}:\n{}", self.stdout);
        self
    }
}

/// The issues of a JSON result as (kind, place or unit/indicator) pairs.
pub fn issues(json: &serde_json::Value) -> Vec<(String, String)> {
    json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or("").to_string();
            let place = if i.get("cell").is_some() && i.get("sheet").is_none() {
                format!("{}!{}", s("file"), s("cell")) // a CSV: row:column, no sheet
            } else if i.get("cell").is_some() {
                format!("{}!{}!{}", s("file"), s("sheet"), s("cell"))
            } else if i.get("station").is_some() && i.get("unit").is_none() {
                format!("station {}", s("station"))
            } else if i.get("unit").is_some() {
                format!("{} {}", s("unit"), s("indicator"))
            } else {
                s("file")
            };
            (s("kind"), place)
        })
        .collect()
}

// ---- the standard project used by the score and report tests ----------------

/// The three warning levels of [`SET`] (red below 60, yellow below 80, blue below 90), for tests' own sets.
pub const WARNINGS: &str = r#"
[[warning]]
level = "red"
name = "红色预警"
below = 60
action = "建议书"

[[warning]]
level = "yellow"
name = "黄色预警"
below = 80
action = "通知书"

[[warning]]
level = "blue"
name = "蓝色预警"
below = 90
action = "约谈"
"#;

pub const SET: &str = r#"schema = 1
name = "集成测试体系"
version = "1"
scale = 100

[[category]]
code = "town"
name = "镇街区"

[[category]]
code = "dept"
name = "市直部门"

[[station]]
code = "S01"
name = "组织部"

[[station]]
code = "S02"
name = "信访室"

[[station]]
code = "S03"
name = "问卷"

[[warning]]
level = "red"
name = "红色预警"
below = 60
action = "建议书"

[[warning]]
level = "yellow"
name = "黄色预警"
below = 80
action = "通知书"

[[warning]]
level = "blue"
name = "蓝色预警"
below = 90
action = "约谈"

[[indicator]]
code = "A"
name = "政治建设"
max = 60

[[indicator]]
code = "A1"
parent = "A"
name = "第一议题"
max = 20
station = "S01"
rule = "points"
deduct = 5

[[indicator]]
code = "A2"
parent = "A"
name = "覆盖率"
max = 40
station = "S01"
rule = "linear"
zero_at = 0.6
full_at = 1

[[indicator]]
code = "B"
name = "群众评价"
max = 40

[[indicator]]
code = "B1"
parent = "B"
name = "满意度"
max = 40
station = "S03"
rule = "survey"
scale = [1, 5]
answers = { "满意" = 5, "一般" = 3, "不满意" = 1 }

[[indicator]]
code = "V"
name = "重大案件"
station = "S02"
rule = "veto"
cap_total = 50
level = "red"
"#;

/// [`SET`] changed so that every row-level issue kind can be produced: B only for towns
/// (depts get their own BD, a grade), and a points leaf P with items x (per occurrence) and y (a range).
pub fn every_issue_set() -> String {
    let towns_only = SET.replace("name = \"满意度\"", "name = \"满意度\"\napplies_to = [\"town\"]").replace(
        "max = 40\n\n[[indicator]]\ncode = \"B1\"",
        "max = 40\napplies_to = [\"town\"]\n\n[[indicator]]\ncode = \"B1\"",
    );
    // With B only for towns, the first-level maxima no longer add up for depts, so give depts their own B.
    let set = towns_only
        + "\n[[indicator]]\ncode = \"BD\"\nname = \"部门评价\"\nmax = 40\napplies_to = [\"dept\"]\nstation = \"S01\"\nrule = \"grade\"\ngrades = { \"优\" = 40, \"差\" = 0 }\n\n[[indicator]]\ncode = \"P\"\nparent = \"A\"\nname = \"事项\"\nmax = 10\nstation = \"S01\"\nrule = \"points\"\nitems = [{ code = \"x\", deduct = 2 }, { code = \"y\", deduct = [1, 3] }]\n";
    set.replace("code = \"A\"\nname = \"政治建设\"\nmax = 60", "code = \"A\"\nname = \"政治建设\"\nmax = 70")
        .replace("scale = 100", "scale = 110")
}

pub const PROJECT: &str =
    "indicators = \"set.toml\"\nroster = \"roster.xlsx\"\ndata = [\"stations/*.xlsx\"]\noutput = \"out\"\n";

pub fn row(unit: &str, ind: &str, value: C) -> Vec<C> {
    vec![C::Blank, t(unit), t(ind), C::Blank, value]
}

/// The standard project of these tests (see `whole_json_result` for the numbers).
pub fn project() -> Workdir {
    let wd = Workdir::new();
    wd.write("zhili.toml", PROJECT).write("set.toml", SET);
    wd.book(
        "roster.xlsx",
        Book::roster(&[("U1", "北马镇", "town"), ("U2", "黄山馆镇", "镇街区"), ("U3", "财政局", "dept")]),
    );
    wd.book(
        "stations/S01.xlsx",
        Book::station(
            "S01",
            "2024Q1",
            vec![
                row("U1", "A1", n(1.0)),
                row("U1", "A2", n(0.9)),
                row("U2", "A2", t("80%")),
                row("U3", "A2", n(1.0)),
                row("U3", "A1", n(2.0)),
                row("U9", "A1", n(1.0)),
            ],
        ),
    );
    wd.book("stations/S02.xlsx", Book::station("信访室", "2024年第一季度", vec![row("U2", "V", C::Blank)]));
    wd.book(
        "stations/S03.xlsx",
        Book::station(
            "S03",
            "2024Q1",
            vec![
                row("U1", "B1", t("满意")),
                row("U1", "B1", t("一般")),
                row("黄山馆镇", "B1", n(5.0)),
                row("U2", "B1", t(" 满意 ")),
            ],
        ),
    );
    wd
}

// ---- raw workbooks, for malformed-input tests ------------------------------------------

/// A zip archive with exactly these parts (name, content).
pub fn zip_parts(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The parts of a minimal XLSX with the given sheets (name, sheetData inner XML)
/// and an optional shared-strings table.
pub fn xlsx_parts(sheets: &[(&str, String)], sst: Option<&str>) -> Vec<(String, Vec<u8>)> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut book = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut parts = Vec::new();
    for (i, (name, data)) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        book.push_str(&format!(r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
        );
        parts.push((format!("xl/worksheets/sheet{n}.xml"), xml.into_bytes()));
    }
    if let Some(sst) = sst {
        types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
        parts.push(("xl/sharedStrings.xml".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>"#).into_bytes()));
    }
    types.push_str("</Types>");
    book.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    parts.push(("[Content_Types].xml".into(), types.into_bytes()));
    parts.push(("_rels/.rels".into(), br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()));
    parts.push(("xl/workbook.xml".into(), book.into_bytes()));
    parts.push(("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()));
    parts
}

/// An inline-string cell.
pub fn istr(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The 信息 sheet's XML for a station and period.
pub fn info_xml(station: &str, period: &str) -> String {
    format!(
        r#"<row r="1">{}{}</row><row r="2">{}{}</row>"#,
        istr("A1", "监测站"),
        istr("B1", station),
        istr("A2", "期间"),
        istr("B2", period)
    )
}

/// 数据 with the standard header in row 1 and `rows` (inner XML of rows 2…).
pub fn data_xml(rows: &str) -> String {
    let h = ["期间", "单位代码", "指标代码", "事项", "数值", "说明"];
    let cols = ["A", "B", "C", "D", "E", "F"];
    let header: String = h.iter().zip(cols).map(|(t, c)| istr(&format!("{c}1"), t)).collect();
    format!(r#"<row r="1">{header}</row>{rows}"#)
}

/// A raw station workbook: 信息 + 数据.
pub fn raw_station(station: &str, period: &str, rows: &str, sst: Option<&str>) -> Vec<u8> {
    zip_parts(&xlsx_parts(&[("信息", info_xml(station, period)), ("数据", data_xml(rows))], sst))
}

/// A 100-point method for constructed cases (diff, ledger): one first-level indicator A whose score is what a
/// station reports for the direct leaf L (max 90) plus the points leaf M (10, lost 10 a time), three levels
/// (red < 60, yellow < 80, blue < 90) — so totals and levels are set by the test. Prefix `name = …`.
pub const DIRECT_SET: &str = r#"scale = 100
[[category]]
code = "t"
name = "镇街区"
[[station]]
code = "S"
name = "站"
[[warning]]
level = "red"
name = "红色预警"
below = 60
action = "建议书"
[[warning]]
level = "yellow"
name = "黄色预警"
below = 80
action = "通知书"
[[warning]]
level = "blue"
name = "蓝色预警"
below = 90
action = "约谈"
[[indicator]]
code = "A"
name = "综合"
max = 100
[[indicator]]
code = "L"
parent = "A"
name = "评分"
max = 90
station = "S"
rule = "direct"
[[indicator]]
code = "M"
parent = "A"
name = "事件"
max = 10
station = "S"
rule = "points"
deduct = 10
"#;
