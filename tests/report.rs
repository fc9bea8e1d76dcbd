//! The Excel report and per-unit reports, read back with calamine (and, for isolation, as raw XML).

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

type Sheet = Vec<Vec<Data>>;

/// Every sheet of a workbook: name → rows (absolute, starting at A1).
fn sheets(bytes: &[u8]) -> Vec<(String, Sheet)> {
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    x.sheet_names()
        .into_iter()
        .map(|name| {
            let range = x.worksheet_range(&name).unwrap();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut rows = vec![vec![Data::Empty; 0]; r0 as usize];
            for row in range.rows() {
                let mut v = vec![Data::Empty; c0 as usize];
                v.extend(row.iter().cloned());
                rows.push(v);
            }
            (name, rows)
        })
        .collect()
}

fn sheet<'a>(all: &'a [(String, Sheet)], name: &str) -> &'a Sheet {
    &all.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no sheet {name}")).1
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn header(s: &Sheet) -> Vec<String> {
    s[0].iter().map(text).collect()
}

/// Column index of a header.
fn col(s: &Sheet, name: &str) -> usize {
    header(s).iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {:?}", header(s)))
}

fn score(wd: &Workdir, extra: &[&str]) -> Run {
    let mut args = vec!["score", "--period", "2024Q1", "--quiet"];
    args.extend_from_slice(extra);
    wd.run_with(&args, &[("SOURCE_DATE_EPOCH", "1711929600")])
}

#[test]
fn seven_sheets_in_order_with_headers() {
    let wd = project();
    score(&wd, &[]).status(3);
    let all = sheets(&wd.read("out/2024Q1.xlsx"));
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "摘要",
            "总览",
            "得分明细",
            "预警",
            "计分记录",
            "失分分析",
            "数据问题",
            "说明",
            "填报情况",
            "预警处置清单",
            "指标体系",
            "预警等级"
        ]
    );
    let h = |n: &str| header(sheet(&all, n));
    // The code columns (预警代码, 否决指标代码, 范围代码) are what `diff` reads back.
    assert_eq!(
        h("总览"),
        [
            "排名",
            "单位代码",
            "单位名称",
            "类别",
            "总分",
            "预警",
            "A 政治建设",
            "B 群众评价",
            "预警代码",
            "否决指标代码"
        ]
    );
    assert_eq!(
        h("得分明细"),
        ["单位代码", "单位名称", "指标代码", "指标名称", "层级", "满分", "得分", "失分", "得分率"]
    );
    assert_eq!(
        h("预警"),
        [
            "单位代码",
            "单位名称",
            "类别",
            "范围",
            "得分",
            "满分",
            "得分率",
            "预警等级",
            "处置措施",
            "备注",
            "范围代码",
            "预警代码"
        ]
    );
    assert_eq!(
        h("计分记录"),
        [
            "单位代码",
            "单位名称",
            "指标代码",
            "指标名称",
            "事项",
            "期间",
            "数值",
            "计分方式",
            "影响分值",
            "说明",
            "来源",
            "行"
        ]
    );
    assert_eq!(
        h("失分分析"),
        ["指标代码", "指标名称", "所属一级指标", "满分", "失分合计", "失分单位数", "参评单位数", "平均得分率"]
    );
    assert_eq!(
        h("数据问题"),
        ["级别", "种类", "种类代码", "文件", "工作表", "单元格", "单位", "指标", "监测站", "说明"]
    );
    assert_eq!(h("说明"), ["项目", "内容", "sha256", "监测站", "期间", "有效记录", "拒收"]);
    // 指标体系: the rule in Chinese for people, what an unreported leaf scores, and the summary `diff` reads back.
    assert_eq!(
        h("指标体系"),
        ["指标代码", "指标名称", "上级指标", "层级", "满分", "权重", "适用类别", "规则说明", "未填报时", "计分规则"]
    );
    let method = sheet(&all, "指标体系");
    let a1: Vec<String> = method.iter().find(|r| text(&r[0]) == "A1").unwrap().iter().map(text).collect();
    assert_eq!(a1[6..9], ["镇街区、市直部门", "每次扣5分,扣完为止 (基础分为满分 20 分)", "没有事件即得满分"]);
    assert!(a1[9].starts_with("points: 每次扣5分"), "{}", a1[9]);

    // The code columns at the end of 总览 (I, J) and 预警 (K, L) are for `diff`: not printed.
    let mut z = zip::ZipArchive::new(Cursor::new(wd.read("out/2024Q1.xlsx"))).unwrap();
    let mut book_xml = String::new();
    z.by_name("xl/workbook.xml").unwrap().read_to_string(&mut book_xml).unwrap();
    assert!(book_xml.contains("<definedName name=\"_xlnm.Print_Area\" localSheetId=\"1\">总览!$A$1:$H$"), "{book_xml}");
    assert!(
        book_xml.contains("<definedName name=\"_xlnm.Print_Area\" localSheetId=\"3\">预警!$A$1:$J$9<"),
        "{book_xml}"
    );
    // Every sheet, the low-memory ones included: fitted widths, a frozen header row, and a
    // filter on every list — not on 说明 (sheet 8), whose key/value rows are read in order.
    // Sheet 1 is 摘要, a page read top to bottom: portrait, no filter, no frozen panes.
    let bytes = wd.read("out/2024Q1.xlsx");
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    z.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(!xml.contains("<autoFilter") && !xml.contains("state=\"frozen\""));
    assert!(xml.contains("orientation=\"portrait\""), "摘要 prints portrait");
    for i in 1..=12 {
        let mut xml = String::new();
        z.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap().read_to_string(&mut xml).unwrap();
        // Printed pages say what they are: the set and period, the sheet, the page of pages.
        assert!(xml.contains("<oddHeader>&amp;L集成测试体系 2024Q1"), "sheet{i}: print header");
        assert!(xml.contains("<oddFooter>&amp;C第 &amp;P 页 / 共 &amp;N 页</oddFooter>"), "sheet{i}: footer");
    }
    for i in 2..=11 {
        let mut xml = String::new();
        z.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains("<cols>") && xml.contains("customWidth"), "sheet{i}: widths");
        assert_eq!(xml.contains("<autoFilter"), i != 8, "sheet{i}: filter");
        assert!(xml.contains("state=\"frozen\""), "sheet{i}: frozen header");
        // Scrolling right keeps the unit in view: 总览 freezes 排名, 单位代码, 单位名称;
        // 得分明细, 预警, 计分记录 freeze 单位代码, 单位名称; 预警处置清单 序号 to 单位名称; sheets without units none.
        let x_split = match i {
            2 => Some(3),
            3..=5 => Some(2),
            // 预警处置清单: 序号, 单位代码, 单位名称.
            10 => Some(3),
            _ => None,
        };
        assert_eq!(
            xml.split("xSplit=\"").nth(1).and_then(|r| r.split('"').next()?.parse::<u32>().ok()),
            x_split,
            "sheet{i}: frozen columns"
        );
    }
    // CJK counts double: 指标名称 holds "  落实第一议题" and is wider than 单位代码.
    let mut xml = String::new();
    z.by_name("xl/worksheets/sheet3.xml").unwrap().read_to_string(&mut xml).unwrap();
    let width = |col: u32| -> f64 {
        let at =
            xml.find(&format!("<col min=\"{col}\"")).unwrap_or_else(|| xml.find(&format!("max=\"{col}\"")).unwrap());
        let w = &xml[at..];
        let start = w.find("width=\"").unwrap() + 7;
        w[start..start + w[start..].find('"').unwrap()].parse().unwrap()
    };
    assert!(width(4) > width(1), "指标名称 {} vs 单位代码 {}", width(4), width(1));
}

#[test]
fn totals_match_the_json_and_levels_add_up() {
    let wd = project();
    score(&wd, &[]).status(3);
    let json = wd.json("out/2024Q1.json");
    let all = sheets(&wd.read("out/2024Q1.xlsx"));
    let ov = sheet(&all, "总览");
    let (code, total) = (col(ov, "单位代码"), col(ov, "总分"));
    let mut from_xlsx = BTreeMap::new();
    for r in &ov[1..] {
        from_xlsx.insert(text(&r[code]), num(&r[total]));
    }
    for u in json["units"].as_array().unwrap() {
        assert_eq!(from_xlsx[u["code"].as_str().unwrap()], u["total"].as_f64().unwrap(), "{}", u["code"]);
    }
    // The code columns carry the JSON's level and veto codes, not display text.
    let (level, vetoed) = (col(ov, "预警代码"), col(ov, "否决指标代码"));
    let codes: BTreeMap<String, (String, String)> =
        ov[1..].iter().map(|r| (text(&r[code]), (text(&r[level]), text(&r[vetoed])))).collect();
    for u in json["units"].as_array().unwrap() {
        let want_vetoes: Vec<&str> = u["vetoed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let want = (u["level"].as_str().unwrap_or("").to_string(), want_vetoes.join(","));
        assert_eq!(codes[u["code"].as_str().unwrap()], want, "{}", u["code"]);
    }
    assert!(codes.values().any(|(_, v)| !v.is_empty()), "the fixture has a veto: {codes:?}");
    // Ranked within category: U1 (75) then U2 (50) for towns, then U3 for depts.
    let order: Vec<String> = ov[1..].iter().map(|r| text(&r[code])).collect();
    assert_eq!(order, ["U1", "U2", "U3"]);

    // 得分明细: each group equals the sum of its children; first-level sums equal the unvetoed total.
    let d = sheet(&all, "得分明细");
    let (u, ind, got) = (col(d, "单位代码"), col(d, "指标代码"), col(d, "得分"));
    let score = |unit: &str, code: &str| {
        num(&d.iter().find(|r| text(&r[u]) == unit && text(&r[ind]) == code).unwrap_or_else(|| panic!("{unit} {code}"))
            [got])
    };
    for unit in ["U1", "U2", "U3"] {
        assert_eq!(score(unit, "A"), score(unit, "A1") + score(unit, "A2"), "{unit}");
        assert_eq!(score(unit, "B"), score(unit, "B1"), "{unit}");
    }
    assert_eq!(score("U1", "A") + score("U1", "B"), 75.0);
    assert_eq!(score("U3", "A") + score("U3", "B"), 50.0);
    // U2's levels add up to 80; the veto capped its total at 50.
    assert_eq!(score("U2", "A") + score("U2", "B"), 80.0);
    assert_eq!(from_xlsx["U2"], 50.0);
    // Numbers are real numbers.
    assert!(matches!(d[1][got], Data::Float(_)));
}

#[test]
fn warned_cells_are_filled_with_their_level_colour() {
    let wd = project();
    score(&wd, &[]).status(3);
    let bytes = wd.read("out/2024Q1.xlsx");
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let styles = x.worksheet_style("总览").unwrap();
    let fill = |row: u32, col: u32| -> Option<(u8, u8, u8)> {
        let f = styles.get((row, col))?.fill.as_ref()?;
        let c = f.foreground_color.or(f.background_color)?;
        Some((c.red, c.green, c.blue))
    };
    // Rows: 1 = U1 (yellow), 2 = U2 (red), 3 = U3 (red); column 4 = 总分, 5 = 预警, 6 = A, 7 = B.
    // Chosen to stay apart in greyscale (luma ≈ 189, 149, 232).
    let (yellow, red, blue) = (Some((0xFF, 0xC0, 0x00)), Some((0xE5, 0x73, 0x73)), Some((0xDD, 0xEB, 0xF7)));
    assert_eq!(fill(1, 4), yellow);
    assert_eq!(fill(1, 5), yellow);
    assert_eq!(fill(2, 4), red);
    assert_eq!(fill(3, 6), blue, "U3's A is 50/60: blue");
    assert_eq!(fill(3, 7), red, "U3's B is 0/40: red");
    assert_eq!(fill(2, 7), None, "U2's B is 40/40: no warning, no fill");
    // A filled number names its level too, so it survives black-and-white printing: it stays a
    // number, shown as "30.00 蓝" by its number format.
    let xml = raw_xml(&wd.read("out/2024Q1.xlsx"));
    for label in ["红", "黄", "蓝"] {
        assert!(xml.contains(&format!("formatCode=\"0.00&quot; {label}&quot;\"")), "no number format naming {label}");
    }

    // The `color` extension on [[warning]] replaces the default fill.
    wd.write("set.toml", SET.replace("below = 80\n", "below = 80\ncolor = \"#00B050\"\n"));
    score(&wd, &[]).status(3);
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read("out/2024Q1.xlsx"))).unwrap();
    let styles = x.worksheet_style("总览").unwrap();
    let f = styles.get((1, 4)).unwrap().fill.as_ref().unwrap();
    let c = f.foreground_color.or(f.background_color).unwrap();
    assert_eq!((c.red, c.green, c.blue), (0x00, 0xB0, 0x50));
}

#[test]
fn warnings_records_losses_issues_and_provenance() {
    let wd = project();
    score(&wd, &[]).status(3);
    let all = sheets(&wd.read("out/2024Q1.xlsx"));
    let w = sheet(&all, "预警");
    let rows: Vec<Vec<String>> = w[1..].iter().map(|r| r.iter().map(text).collect()).collect();
    // U2's total: red from the veto, action from [[warning]], note naming the veto.
    let u2_total = rows.iter().find(|r| r[0] == "U2" && r[3] == "总分").unwrap();
    assert_eq!(&u2_total[7..10], ["红色预警", "建议书", "一票否决: V 重大案件"]);
    assert_eq!(rows.len(), 3 + 2 + 3);
    // A work list: red units first — U2 (a town, total red by the veto) before U3 (a department,
    // B 0/40 red) — then U1 (yellow at worst); each unit's rows stay together.
    let order: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(order, ["U2", "U2", "U3", "U3", "U3", "U1", "U1", "U1"]);

    let rec = sheet(&all, "计分记录");
    assert_eq!(rec.len() - 1, 10, "every accepted record");
    let find = |unit: &str, ind: &str| rec.iter().find(|r| text(&r[0]) == unit && text(&r[2]) == ind).unwrap();
    let a1 = find("U1", "A1");
    assert_eq!((text(&a1[7]), num(&a1[8])), ("扣分".to_string(), -5.0));
    assert_eq!((text(&a1[10]), num(&a1[11])), ("stations/S01.xlsx!数据".to_string(), 2.0), "source file!sheet and row");
    let a2 = find("U2", "A2");
    assert_eq!((text(&a2[6]), text(&a2[7]), num(&a2[8])), ("80%".to_string(), "折算得分".to_string(), 20.0));
    assert_eq!(text(&find("U2", "V")[7]), "一票否决");

    // 失分分析, most lost first: B1 lost 10 (U1) + 0 + 40 (U3) = 50; A2: 10 + 20 + 0 = 30; A1: 5 + 0 + 10 = 15.
    let l = sheet(&all, "失分分析");
    let order: Vec<(String, f64)> = l[1..].iter().map(|r| (text(&r[0]), num(&r[4]))).collect();
    assert_eq!(order, [("B1".into(), 50.0), ("A2".into(), 30.0), ("A1".into(), 15.0)]);
    assert_eq!((num(&l[1][5]), num(&l[1][6])), (2.0, 3.0), "B1: 2 units lost points out of 3");

    let i = sheet(&all, "数据问题");
    assert_eq!((text(&i[1][1]), text(&i[1][2])), ("未知单位".to_string(), "unknown_unit".to_string()));
    assert_eq!(text(&i[1][5]), "B7");
    assert_eq!(text(&i[1][8]), "S01", "监测站 from the file the issue was found in");

    let p = sheet(&all, "说明");
    let kv: BTreeMap<String, String> = p[1..].iter().map(|r| (text(&r[0]), text(&r[1]))).collect();
    assert_eq!(kv["工具"], format!("zhili {}", env!("CARGO_PKG_VERSION")));
    assert_eq!(kv["评价期间"], "2024Q1");
    // SOURCE_DATE_EPOCH 1711929600 is 2024-04-01 00:00:00 UTC, 08:00 in Beijing.
    assert_eq!(kv["生成时间"], "2024-04-01 08:00:00 (北京时间)", "from SOURCE_DATE_EPOCH");
    let set_row = p.iter().find(|r| text(&r[0]) == "指标体系文件").unwrap();
    assert_eq!(text(&set_row[2]), zhili::sha256_hex(&wd.read("set.toml")));
    let inputs: Vec<_> = p.iter().filter(|r| text(&r[0]) == "数据文件").collect();
    assert_eq!(inputs.len(), 3);
    assert_eq!(
        (text(&inputs[0][1]), text(&inputs[0][2]), num(&inputs[0][5]), num(&inputs[0][6])),
        ("stations/S01.xlsx".into(), zhili::sha256_hex(&wd.read("stations/S01.xlsx")), 5.0, 1.0)
    );
}

#[test]
fn reruns_with_source_date_epoch_are_byte_identical() {
    let wd = project();
    score(&wd, &["--out", "a.xlsx", "--json", "a.json", "--per-unit", "pa"]).status(3);
    score(&wd, &["--out", "b.xlsx", "--json", "b.json", "--per-unit", "pb"]).status(3);
    assert_eq!(wd.read("a.xlsx"), wd.read("b.xlsx"));
    assert_eq!(wd.read("a.json"), wd.read("b.json"));
    assert_eq!(wd.read("pa/U1-北马镇.xlsx"), wd.read("pb/U1-北马镇.xlsx"));
    // Another epoch changes the time, and so the bytes.
    wd.run_with(&["score", "--period", "2024Q1", "--quiet", "--out", "c.xlsx"], &[("SOURCE_DATE_EPOCH", "1711929601")]);
    assert_ne!(wd.read("a.xlsx"), wd.read("c.xlsx"));
    wd.run_with(&["score", "--period", "2024Q1", "--quiet", "--out", "d.xlsx"], &[("SOURCE_DATE_EPOCH", "soon")])
        .status(1)
        .stderr_has("SOURCE_DATE_EPOCH");
}

#[test]
fn full_sheets_continue_on_numbered_sheets() {
    let wd = project();
    // 15 score rows (3 units × 5 nodes) at 4 data rows per sheet: 4 + 4 + 4 + 3.
    score(&wd, &["--max-sheet-rows", "5"]).status(3);
    let all = sheets(&wd.read("out/2024Q1.xlsx"));
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names[..6],
        ["摘要", "总览", "得分明细", "得分明细(2)", "得分明细(3)", "得分明细(4)"],
        "continuation sheets follow their first sheet"
    );
    let mut data_rows = 0;
    for n in ["得分明细", "得分明细(2)", "得分明细(3)", "得分明细(4)"] {
        let s = sheet(&all, n);
        assert_eq!(text(&s[0][0]), "单位代码", "{n} repeats the header");
        data_rows += s.len() - 1;
    }
    assert_eq!(data_rows, 15);
    assert!(names.contains(&"计分记录(3)"), "{names:?}");
}

/// Every text of every XML part of a workbook (cells, sheet names, charts, properties).
fn raw_xml(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut all = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        let _ = f.read_to_string(&mut s);
        all.push_str(&s);
    }
    all
}

/// Names of the sheets whose XML carries an autofilter (sheetN.xml is the N-th sheet).
fn filtered_sheets(bytes: &[u8]) -> Vec<String> {
    let names: Vec<String> = sheets(bytes).into_iter().map(|(n, _)| n).collect();
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for (i, name) in names.into_iter().enumerate() {
        let mut xml = String::new();
        z.by_name(&format!("xl/worksheets/sheet{}.xml", i + 1)).unwrap().read_to_string(&mut xml).unwrap();
        if xml.contains("<autoFilter") {
            out.push(name);
        }
    }
    out
}

#[test]
fn times_are_shown_in_the_projects_time_zone() {
    let wd = project();
    wd.write("zhili.toml", format!("{PROJECT}time_zone = \"-05:30\"\n"));
    score(&wd, &["--per-unit", "pu"]).status(3);
    let all = sheets(&wd.read("out/2024Q1.xlsx"));
    let p = sheet(&all, "说明");
    let time = p.iter().find(|r| text(&r[0]) == "生成时间").map(|r| text(&r[1]));
    assert_eq!(time.as_deref(), Some("2024-03-31 18:30:00 (UTC-05:30)"));
    let unit = sheets(&wd.read("pu/U1-北马镇.xlsx"));
    let cover = sheet(&unit, "体检报告");
    let time = cover.iter().find(|r| text(&r[0]) == "生成时间").map(|r| text(&r[1]));
    assert_eq!(time.as_deref(), Some("2024-03-31 18:30:00 (UTC-05:30)"));
    // A zone name is not an offset: exit 1, naming the file, line and what to write.
    wd.write("zhili.toml", format!("{PROJECT}time_zone = \"Asia/Shanghai\"\n"));
    score(&wd, &[]).status(1).stderr_has("zhili.toml").stderr_has("\"+08:00\"");
}

#[test]
fn key_value_sheets_have_no_filter() {
    let wd = project();
    score(&wd, &["--per-unit", "pu"]).status(3);
    // The report: every list is filtered; 说明 (key/value rows) is not.
    let report = filtered_sheets(&wd.read("out/2024Q1.xlsx"));
    assert!(report.contains(&"总览".to_string()) && report.contains(&"数据问题".to_string()), "{report:?}");
    assert!(!report.contains(&"说明".to_string()), "{report:?}");
    // A unit's report: its cover is read top to bottom, its lists are filtered.
    let unit = filtered_sheets(&wd.read("pu/U1-北马镇.xlsx"));
    assert_eq!(unit, ["得分", "预警", "计分记录", "扣分点"]);
}

#[test]
fn per_unit_reports_hold_that_unit_only() {
    let wd = project();
    // Distinctive codes so a substring can only be that unit.
    wd.book(
        "roster.xlsx",
        Book::roster(&[
            ("UNITAAA", "北马镇", "town"),
            ("UNITBBB", "黄山馆镇", "镇街区"),
            ("UNITCCC", "财政局", "dept"),
        ]),
    );
    wd.book(
        "stations/S01.xlsx",
        Book::station(
            "S01",
            "2024Q1",
            vec![
                row("UNITAAA", "A1", n(1.0)),
                row("UNITAAA", "A2", n(0.9)),
                row("UNITBBB", "A2", t("80%")),
                row("UNITCCC", "A2", n(1.0)),
            ],
        ),
    );
    wd.book("stations/S02.xlsx", Book::station("S02", "2024Q1", vec![row("UNITBBB", "V", C::Blank)]));
    wd.book(
        "stations/S03.xlsx",
        Book::station("S03", "2024Q1", vec![row("UNITAAA", "B1", t("满意")), row("黄山馆镇", "B1", n(5.0))]),
    );
    score(&wd, &["--per-unit", "体检报告"]).status(0);
    let units = [("UNITAAA", "北马镇"), ("UNITBBB", "黄山馆镇"), ("UNITCCC", "财政局")];
    for (code, name) in units {
        let file = format!("体检报告/{code}-{name}.xlsx");
        let bytes = wd.read(&file);
        let xml = raw_xml(&bytes);
        assert!(xml.contains(code) && xml.contains(name), "{file} names its own unit");
        for (other, other_name) in units.iter().filter(|(c, _)| *c != code) {
            assert!(!xml.contains(other), "{file} mentions {other}");
            assert!(!xml.contains(other_name), "{file} mentions {other_name}");
        }
        let all = sheets(&bytes);
        let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["体检报告", "得分", "预警", "计分记录", "扣分点"]);
    }
    // UNITBBB's summary: its total, rank among towns, the veto and the action.
    let all = sheets(&wd.read("体检报告/UNITBBB-黄山馆镇.xlsx"));
    let kv: BTreeMap<String, String> =
        sheet(&all, "体检报告")[1..].iter().map(|r| (text(&r[0]), text(&r[1]))).collect();
    assert_eq!(kv["总分"], "50.00 红", "with the set's decimals and the level's short name");
    assert_eq!(kv["排名"], "第 2 名 / 共 2 个镇街区");
    assert_eq!(kv["预警等级"], "红色预警");
    assert_eq!(kv["处置措施"], "建议书");
    // The veto with its cap, by hand: A 40 + B 40 = 80 before the cap of 50.
    assert_eq!(kv["一票否决"], "V 重大案件;各项合计 80.00,因一票否决总分上限 50.00");
    // Its lost points, most first: A2 lost 20, then nothing else (A1 20/20, B1 40/40).
    let lost = sheet(&all, "扣分点");
    assert_eq!(lost.len(), 2);
    assert_eq!((text(&lost[1][1]), num(&lost[1][6])), ("A2".into(), 20.0));
    // Its records: its own three (A2, V, B1), with sources.
    let rec = sheet(&all, "计分记录");
    assert_eq!(rec.len() - 1, 3);
    assert!(rec[1..].iter().all(|r| text(&r[8]).starts_with("stations/")));
}

#[test]
fn data_issues_are_grouped_by_station_for_sending_back() {
    let wd = project();
    // S03's workbook under a name that sorts (and is read) before S01's, with a unit of its own
    // that is not in the roster: found first, listed after S01's in the set's station order.
    let s03 = wd.read("stations/S03.xlsx");
    std::fs::remove_file(wd.join("stations/S03.xlsx")).unwrap();
    wd.book(
        "stations/0-问卷.xlsx",
        Book::station("S03", "2024Q1", vec![row("U1", "B1", t("满意")), row("U8", "B1", t("满意"))]),
    );
    assert_ne!(wd.read("stations/0-问卷.xlsx"), s03);
    score(&wd, &[]).status(3);
    let all = sheets(&wd.read("out/2024Q1.xlsx"));
    let i = sheet(&all, "数据问题");
    let (kind, code, file, cell, station) =
        (col(i, "种类"), col(i, "种类代码"), col(i, "文件"), col(i, "单元格"), col(i, "监测站"));
    let rows: Vec<[String; 5]> =
        i[1..].iter().map(|r| [&r[kind], &r[code], &r[file], &r[cell], &r[station]].map(text)).collect();
    let s = |v: [&str; 5]| v.map(String::from);
    // S01's U9 (row 7), then S03's U8 (row 3), then what belongs to no station's file.
    assert_eq!(rows[0], s(["未知单位", "unknown_unit", "stations/S01.xlsx", "B7", "S01"]));
    assert_eq!(rows[1], s(["未知单位", "unknown_unit", "stations/0-问卷.xlsx", "B3", "S03"]));
    assert!(rows.len() > 2, "{rows:?}");
    assert!(rows[2..].iter().all(|r| r[2].is_empty() && r[4].is_empty()), "{rows:?}");
    // The terminal counts them per kind, in Chinese with the code.
    let out = wd.run_with(&["score", "--period", "2024Q1"], &[]);
    out.status(3).stdout_has("未知单位 (unknown_unit) 2");
}

#[test]
fn confidential_stations_keep_notes_and_sources_out_of_per_unit_reports() {
    let wd = project();
    // S01 (组织部 here) marked confidential, as 信访室/案管室 are in the longkou set.
    wd.write(
        "set.toml",
        SET.replace("code = \"S01\"\nname = \"组织部\"", "code = \"S01\"\nname = \"组织部\"\nconfidential = true"),
    );
    wd.book("roster.xlsx", Book::roster(&[("UNITAAA", "北马镇", "town")]));
    let noted = |unit: &str, ind: &str, v: C, note: &str| {
        let mut r = row(unit, ind, v);
        r.push(t(note));
        r
    };
    wd.book(
        "stations/S01.xlsx",
        Book::station(
            "S01",
            "2024Q1",
            vec![noted("UNITAAA", "A1", n(1.0), "群众举报查实张某"), noted("UNITAAA", "A2", n(0.9), "党组织覆盖缺口")],
        ),
    );
    wd.book("stations/S02.xlsx", Book::station("S02", "2024Q1", vec![noted("UNITAAA", "V", n(0.0), "")]));
    wd.book(
        "stations/S03.xlsx",
        Book::station(
            "S03",
            "2024Q1",
            vec![noted("UNITAAA", "B1", t("一般"), "样本偏少"), noted("UNITAAA", "B1", t("一般"), "样本偏少")],
        ),
    );
    score(&wd, &["--out", "office.xlsx", "--per-unit", "pu"]).status(0);

    // The office's own report keeps everything.
    let office = raw_xml(&wd.read("office.xlsx"));
    assert!(office.contains("群众举报查实张某") && office.contains("stations/S01.xlsx"));

    // The unit's report: not a trace of S01's notes or file.
    let bytes = wd.read("pu/UNITAAA-北马镇.xlsx");
    let xml = raw_xml(&bytes);
    for secret in ["群众举报查实张某", "党组织覆盖缺口", "S01.xlsx"] {
        assert!(!xml.contains(secret), "per-unit report leaks {secret}");
    }
    let all = sheets(&bytes);
    let rec = sheet(&all, "计分记录");
    let (code, note, src, line) = (col(rec, "指标代码"), col(rec, "说明"), col(rec, "来源"), col(rec, "行"));
    let by_code = |c: &str| rec[1..].iter().filter(|r| text(&r[code]) == c).collect::<Vec<_>>();
    // A1, A2: indicator and points stay, the note says it is withheld, no source.
    for c in ["A1", "A2"] {
        let rows = by_code(c);
        assert_eq!(rows.len(), 1, "{c}");
        assert_eq!(text(&rows[0][note]), "(涉密,不予显示)");
        assert_eq!((text(&rows[0][src]), text(&rows[0][line])), (String::new(), String::new()));
        // No month and no count either: they could point to who complained.
        assert_eq!(
            (text(&rows[0][col(rec, "期间")]), text(&rows[0][col(rec, "数值")])),
            (String::new(), String::new())
        );
    }
    // A1: one occurrence at 5 points a time → -5, still shown.
    assert_eq!(num(&by_code("A1")[0][col(rec, "影响分值")]), -5.0);
    // B1 (S03, not confidential): notes and sources as usual, data rows 2 and 3.
    let b1 = by_code("B1");
    assert_eq!(b1.len(), 2);
    assert!(b1.iter().all(|r| text(&r[note]) == "样本偏少" && text(&r[src]).starts_with("stations/S03.xlsx")));
    assert_eq!(b1.iter().map(|r| text(&r[line])).collect::<Vec<_>>(), ["2", "3"]);

    // 扣分点: A2 lost 10 (0.9 on 0.6→1 is 75% of 40), A1 lost 5, B1 lost 20 (mean 3 on 1..5 is half of 40).
    let lost = sheet(&all, "扣分点");
    let notes = col(lost, "记录说明");
    let by = |c: &str| lost[1..].iter().find(|r| text(&r[1]) == c).unwrap_or_else(|| panic!("no 扣分点 {c}"));
    assert_eq!((num(&by("A2")[6]), text(&by("A2")[notes])), (10.0, "(涉密记录,说明不予显示)".to_string()));
    assert_eq!((num(&by("A1")[6]), text(&by("A1")[notes])), (5.0, "(涉密记录,说明不予显示)".to_string()));
    // The same note on two records is said once.
    assert_eq!((num(&by("B1")[6]), text(&by("B1")[notes])), (20.0, "样本偏少".to_string()));
}

#[test]
fn outputs_replace_atomically_and_failed_runs_leave_them() {
    let wd = project();
    wd.write("out/2024Q1.xlsx", "previous report");
    // A run that fails (invalid indicator set) leaves the previous report untouched.
    wd.write("set.toml", SET.replace("scale = 100", "scale = 99"));
    score(&wd, &[]).status(1);
    assert_eq!(wd.read("out/2024Q1.xlsx"), b"previous report");
    // A run that succeeds replaces it whole, leaving no temporary files behind.
    wd.write("set.toml", SET);
    score(&wd, &[]).status(3);
    assert!(wd.read("out/2024Q1.xlsx").starts_with(b"PK"));
    let leftovers: Vec<_> = std::fs::read_dir(wd.join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    // The report, the JSON and the dashboard page: nothing else.
    assert_eq!(leftovers.len(), 3, "{leftovers:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(wd.join("out/2024Q1.xlsx")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }
    // --strict with errors writes nothing, not even per-unit reports, and leaves earlier results as they were.
    let (xlsx, json) = (wd.read("out/2024Q1.xlsx"), wd.read("out/2024Q1.json"));
    score(&wd, &["--strict", "--per-unit", "pu", "--json", "out/2024Q1.json"]).status(1);
    assert!(!wd.exists("pu/U1-北马镇.xlsx"));
    assert_eq!((wd.read("out/2024Q1.xlsx"), wd.read("out/2024Q1.json")), (xlsx, json));
}

#[test]
fn refuses_outputs_that_are_inputs_even_through_links() {
    let wd = project();
    let (before, s01) = (wd.read("roster.xlsx"), wd.read("stations/S01.xlsx"));
    score(&wd, &["--out", "roster.xlsx"]).status(1).stderr_has("同一个文件");
    score(&wd, &["--out", "stations/S01.xlsx"]).status(1).stderr_has("同一个文件");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(wd.join("roster.xlsx"), wd.join("link.xlsx")).unwrap();
        score(&wd, &["--out", "link.xlsx"]).status(1).stderr_has("同一个文件");
        std::fs::hard_link(wd.join("roster.xlsx"), wd.join("hard.xlsx")).unwrap();
        score(&wd, &["--out", "hard.xlsx"]).status(1).stderr_has("同一个文件");
        assert!(wd.join("link.xlsx").is_symlink(), "the link itself is left in place");
    }
    assert_eq!((wd.read("roster.xlsx"), wd.read("stations/S01.xlsx")), (before, s01));
    // A per-unit report that would land on an input is refused too.
    wd.book("pu/U1-北马镇.xlsx", Book::station("S01", "2024Q1", vec![]));
    let shadow = std::fs::read_to_string(wd.join("zhili.toml"))
        .unwrap()
        .replace("stations/*.xlsx", "pu/*.xlsx\", \"stations/*.xlsx");
    wd.write("zhili.toml", shadow);
    score(&wd, &["--per-unit", "pu"]).status(1).stderr_has("pu/U1-北马镇.xlsx");
}

#[test]
fn workbook_text_is_never_a_formula() {
    let wd = project();
    wd.book(
        "stations/S01.xlsx",
        Book::station(
            "S01",
            "2024Q1",
            vec![
                vec![C::Blank, t("U1"), t("A1"), C::Blank, n(1.0), t("=HYPERLINK(\"http://x\",\"点我\")")],
                vec![C::Blank, t("@U1"), t("A1")],
            ],
        ),
    );
    score(&wd, &[]).status(3);
    let bytes = wd.read("out/2024Q1.xlsx");
    let xml = raw_xml(&bytes);
    assert!(!xml.contains("<f>"), "no formulas anywhere");
    assert!(xml.contains("quotePrefix=\"1\""), "text starting with = or @ carries a quote prefix");
    let all = sheets(&bytes);
    let rec = sheet(&all, "计分记录");
    assert_eq!(text(&rec[1][9]), "=HYPERLINK(\"http://x\",\"点我\")");
}

#[test]
fn one_action_line_per_warned_unit() {
    let wd = project();
    score(&wd, &[]).status(3);
    let all = sheets(&wd.read("out/2024Q1.xlsx"));
    let w = sheet(&all, "预警处置清单");
    let rows: Vec<Vec<String>> = w.iter().map(|r| r.iter().map(text).collect()).collect();
    assert_eq!(
        rows[0],
        [
            "序号",
            "单位代码",
            "单位名称",
            "类别",
            "排名",
            "总分",
            "最高预警",
            "触发范围",
            "处置措施",
            "其他预警",
            "预警代码"
        ]
    );
    // By hand: U2's total is capped at 50 by the veto (red), its A 40/60 = 66.7% is yellow; U3 totals
    // 50 (red) with B 0/40 red and A 50/60 = 83.3% blue; U1 is yellow on the total, A 45/60 and B 30/40.
    // Red units first (a town before a department), each once, with the one action of its worst level.
    assert_eq!(
        rows[1..],
        [
            [
                "1",
                "U2",
                "黄山馆镇",
                "镇街区",
                "2",
                "50",
                "红色预警",
                "总分 (一票否决: V 重大案件)",
                "建议书",
                "A 政治建设 黄色预警",
                "red"
            ],
            [
                "2",
                "U3",
                "财政局",
                "市直部门",
                "1",
                "50",
                "红色预警",
                "总分、B 群众评价",
                "建议书",
                "A 政治建设 蓝色预警",
                "red"
            ],
            [
                "3",
                "U1",
                "北马镇",
                "镇街区",
                "1",
                "75",
                "黄色预警",
                "总分、A 政治建设、B 群众评价",
                "通知书",
                "",
                "yellow"
            ],
        ]
    );
}

#[test]
fn the_checkup_report_reads_like_a_report() {
    let wd = project();
    wd.write("set.toml", SET.replace("name = \"第一议题\"", "name = \"第一议题\"\nadvice = \"每月第一次会议学习\""));
    score(&wd, &["--per-unit", "pu"]).status(3);
    let all = sheets(&wd.read("pu/U1-北马镇.xlsx"));
    let cover: Vec<Vec<String>> = sheet(&all, "体检报告").iter().map(|r| r.iter().map(text).collect()).collect();
    assert_eq!(cover[0][0], "北马镇 2024年第一季度 集成测试体系 体检报告");
    let kv: BTreeMap<&str, &str> = cover.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    // By hand: the towns U1 (75) and U2 (50) average 62.5; U1 outscores the one other town.
    assert_eq!((kv["总分"], kv["排名"], kv["类别平均分"]), ("75.00 黄", "第 1 名 / 共 2 个镇街区", "62.50"));
    assert_eq!(kv["类别中的位置"], "总分在本类别中最高");
    assert_eq!(kv["生成时间"], "2024-04-01 08:00:00 (北京时间)");
    // First-level rates against the towns' mean: A (45 + 40) / 120 = 0.7083, B (30 + 40) / 80 = 0.875.
    let a = cover.iter().find(|r| r[0] == "A 政治建设").unwrap();
    assert_eq!(a[1..6], ["60", "45", "0.75", "0.7083", "黄色预警"]);
    // 症状: each first-level indicator's losses, then its leaves, most lost first, with what they were scored from.
    let at = |t: &str| cover.iter().position(|r| r[0] == t).unwrap_or_else(|| panic!("no row {t}"));
    let symptoms = at("A 政治建设:得分 45.00 / 60.00,失分 15.00");
    assert_eq!(cover[symptoms + 1][..5], ["  A2 覆盖率", "40", "30", "10", "记录 1 条,数值:0.9"]);
    assert_eq!(cover[symptoms + 2][0], "  A1 第一议题");
    assert!(at("B 群众评价:得分 30.00 / 40.00,失分 10.00") > symptoms);
    // 病因: the rule in Chinese and the reason.
    let a2 = cover.iter().find(|r| r[0] == "A2 覆盖率").unwrap();
    assert!(
        a2[4].starts_with("规则:60% 及以下得 0 分,100% 及以上得满分 40 分")
            && a2[4].ends_with("原因:记录 1 条,数值:0.9")
    );
    // 努力方向: the action once for the total, the warned first-level indicators, the set's advice.
    let d = at("五、努力方向");
    assert_eq!(cover[d + 1][0], "1. 本期总分为黄色预警,按规定采取:通知书。");
    assert_eq!(cover[d + 2][0], "2. 一级指标黄色预警 2 项:A 政治建设、B 群众评价。");
    assert!(cover[d + 3..].iter().any(|r| r[0] == "3. A1 第一议题:每月第一次会议学习。"), "{cover:#?}");
}

#[test]
fn a_leaf_without_data_says_why_it_scored_zero() {
    let wd = project();
    score(&wd, &["--per-unit", "pu"]).status(3);
    // U3 sent nothing for B1 (a survey, missing = zero): 0 of 40.
    let all = sheets(&wd.read("pu/U3-财政局.xlsx"));
    let lost = sheet(&all, "扣分点");
    let b1 = lost.iter().find(|r| text(&r[1]) == "B1").unwrap();
    assert_eq!((num(&b1[5]), text(&b1[9])), (0.0, "未报送数据,按规则计 0 分".to_string()));
}

/// Every text cell of every sheet whose name starts with `prefix` (continuations included).
fn texts(bytes: &[u8], prefix: &str) -> std::collections::BTreeSet<String> {
    sheets(bytes)
        .into_iter()
        .filter(|(n, _)| n.starts_with(prefix))
        .flat_map(|(_, s)| s.into_iter().flatten())
        .filter_map(|d| if let Data::String(s) = d { Some(s) } else { None })
        .collect()
}

/// The uncompressed size of the part of the first sheet named `name`.
fn part_size(bytes: &[u8], name: &str) -> u64 {
    let index = sheets(bytes).iter().position(|(n, _)| n == name).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    z.by_name(&format!("xl/worksheets/sheet{}.xml", index + 1)).unwrap().size()
}

/// 计分记录 and 得分明细 are written by zhili and compressed in pieces on every core (docs/performance.md):
/// with several pieces the bytes are the same for 1, 2 and 4 threads, and every cell reads back as written,
/// text that needs escaping included (calamine here; openpyxl too where Python has it).
/// Notes that need escaping in XML, and the note of record `i` of [`big_project`].
const ODD: [&str; 7] = ["a&b<c>d", "x_x000D_y", "行一\n行二", "中 间 空 格", "=SUM(A1)", "控\u{1}制", "引号\"'"];
fn odd_note(i: usize) -> String {
    format!("{} #{i}", ODD[i % ODD.len()])
}

/// The standard project with 9,000 more A1 records (≈ 3.5 MB of 计分记录 XML: four pieces), noted with [`ODD`].
fn big_project() -> Workdir {
    let wd = project();
    let mut rows = vec![row("U1", "A2", n(0.9)), row("U3", "A2", n(1.0))];
    rows.extend(
        (0..9000).map(|i| {
            vec![C::Blank, t(["U1", "U2", "U3"][i % 3]), t("A1"), C::Blank, n((i % 4) as f64), t(&odd_note(i))]
        }),
    );
    wd.book("stations/S01.xlsx", Book::station("S01", "2024Q1", rows));
    wd
}

#[test]
fn big_sheets_compressed_in_pieces_read_back_exactly_whatever_the_threads() {
    let wd = big_project();
    let note = odd_note;
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = format!("r{threads}.xlsx");
        wd.run_with(
            &["score", "--period", "2024Q1", "--quiet", "--out", &out],
            &[("RAYON_NUM_THREADS", threads), ("SOURCE_DATE_EPOCH", "1711929600")],
        )
        .status(0);
        outputs.push(wd.read(&out));
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]), "1, 2 and 4 threads write the same bytes");
    let bytes = &outputs[0];
    // Several pieces of 1 MiB each.
    assert!(part_size(bytes, "计分记录") > 3 << 20, "{}", part_size(bytes, "计分记录"));
    let all = sheets(bytes);
    let records = sheet(&all, "计分记录");
    assert_eq!(records.len(), 1 + 9002 + 4 + 1, "header, S01's rows, S03's 4 and S02's 1");
    let notes = texts(bytes, "计分记录");
    for i in 0..9000 {
        assert!(notes.contains(&note(i)), "note {i} reads back: {:?}", note(i));
    }
    // The numbers too: the value column of the first A1 record and its points.
    let header: Vec<String> = records[0].iter().map(text).collect();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("no column {h}: {header:?}"));
    let first = records.iter().find(|r| r.iter().any(|c| text(c) == note(0))).unwrap();
    assert_eq!(first[col("数值")], Data::Float(0.0));
    assert_eq!(text(&first[col("单位代码")]), "U1");
    // 得分明细: 3 units × 5 nodes, U1's A1 at 0 (points deducted 5 per occurrence).
    let scores = sheet(&all, "得分明细");
    assert_eq!(scores.len(), 16);
    let python = std::process::Command::new("python3").args(["-c", "import openpyxl"]).output();
    let has_openpyxl = python.is_ok_and(|o| o.status.success());
    if std::env::var_os("ZHILI_REQUIRE_OPENPYXL").is_some() {
        assert!(has_openpyxl, "CI installs openpyxl");
    }
    if has_openpyxl {
        let script = "import json, sys, openpyxl\n\
            wb = openpyxl.load_workbook(sys.argv[1])\n\
            for ws in wb.worksheets:\n\
            \x20   if ws.title.startswith('计分记录'):\n\
            \x20       for row in ws.iter_rows(values_only=True):\n\
            \x20           for v in row:\n\
            \x20               if isinstance(v, str): print(json.dumps(v))\n";
        let path = wd.join("r1.xlsx");
        let o = std::process::Command::new("python3").args(["-c", script]).arg(&path).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        // openpyxl does not decode `_xHHHH_` in inline strings (it does in shared ones): a control character or a
        // literal `_x000D_` comes back still escaped. Excel, LibreOffice and calamine decode them; the rest of the
        // text is compared.
        let escaped = |s: &String| s.contains("_x") || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
        let read: std::collections::BTreeSet<String> = String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|s| !escaped(s))
            .collect();
        let notes: std::collections::BTreeSet<String> = notes.into_iter().filter(|s| !escaped(s)).collect();
        assert!(notes.len() > 6000, "5 notes in 7 are compared: {}", notes.len());
        let only = |a: &std::collections::BTreeSet<String>, b: &std::collections::BTreeSet<String>| {
            a.difference(b).take(3).cloned().collect::<Vec<_>>()
        };
        assert!(read == notes, "openpyxl only: {:?}; calamine only: {:?}", only(&read, &notes), only(&notes, &read));
    }
}

/// The big sheets open in LibreOffice as calamine reads them: every note of 计分记录, escapes decoded (LibreOffice's
/// own CSV export of the sheet). Runs where `soffice` is installed; CI installs it and sets ZHILI_REQUIRE_LIBREOFFICE.
#[test]
fn big_sheets_open_in_libreoffice() {
    let soffice = std::process::Command::new("soffice").arg("--version").output().is_ok_and(|o| o.status.success());
    if std::env::var_os("ZHILI_REQUIRE_LIBREOFFICE").is_some() {
        assert!(soffice, "ZHILI_REQUIRE_LIBREOFFICE is set but soffice is not installed");
    }
    if !soffice {
        return;
    }
    let wd = big_project();
    wd.run_with(&["score", "--period", "2024Q1", "--quiet", "--out", "r.xlsx"], &[("SOURCE_DATE_EPOCH", "1711929600")])
        .status(0);
    let profile = format!("-env:UserInstallation=file://{}", wd.join("lo-profile").display());
    // Every sheet to its own CSV (UTF-8, comma, quoted text): r-<sheet>.csv.
    let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
    let o = std::process::Command::new("soffice")
        .args([profile.as_str(), "--headless", "--convert-to", filter, "--outdir"])
        .arg(wd.path())
        .arg(wd.join("r.xlsx"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = wd.read("r-计分记录.csv");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv.as_slice());
    let column = reader.headers().unwrap().iter().position(|h| h == "说明").expect("a 说明 column");
    let shown: std::collections::BTreeSet<String> =
        reader.records().map(|r| r.unwrap().get(column).unwrap_or("").to_string()).collect();
    for i in 0..9000 {
        assert!(shown.contains(&odd_note(i)), "LibreOffice shows note {i}: {:?}", odd_note(i));
    }
}
