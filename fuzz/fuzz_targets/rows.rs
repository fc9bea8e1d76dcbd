//! Fuzzes row interpretation: any cells in a station's data sheet become records or issues at their cells, never a panic.
//!
//! The input is text: the first line is the workbook's 期间, each further line a
//! data row of tab-separated cells (期间, 单位代码, 指标代码, 事项, 数值, 说明);
//! a cell that parses as a number is a number cell.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhili::cell::{CellValue, Row, TableSource};
use zhili::indicators::parse;
use zhili::period::Period;
use zhili::record::ReadContext;
use zhili::roster::{Roster, Unit};

const SET: &str = r#"name = "f"
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
code = "S03"
name = "问卷"
[[indicator]]
code = "A"
name = "a"
max = 60
[[indicator]]
code = "A1"
parent = "A"
name = "a1"
max = 20
station = "S01"
rule = "points"
items = [{ code = "x", deduct = 2, cap = 10 }, { code = "y", add = [1, 3] }]
base = "max"
[[indicator]]
code = "A2"
parent = "A"
name = "a2"
max = 40
station = "S01"
rule = "linear"
zero_at = 0.6
full_at = 1
[[indicator]]
code = "B"
name = "b"
max = 40
[[indicator]]
code = "B1"
parent = "B"
name = "b1"
max = 30
station = "S01"
rule = "grade"
grades = { "优" = 30, "差" = 0 }
[[indicator]]
code = "B2"
parent = "B"
name = "b2"
max = 10
station = "S01"
rule = "survey"
scale = [1, 5]
answers = { "满意" = 5 }
[[indicator]]
code = "V"
name = "v"
station = "S01"
rule = "veto"
cap_total = 50
"#;

/// A station workbook held in memory: 信息 and 数据.
struct Sheets {
    period: String,
    rows: Vec<Vec<String>>,
}

fn cell(text: &str) -> CellValue {
    match text.parse::<f64>().ok().and_then(zhili::number::from_f64) {
        Some(d) => CellValue::Number(d),
        None if text.is_empty() => CellValue::Empty,
        None => CellValue::Text(text.to_string()),
    }
}

impl TableSource for Sheets {
    fn sheet_names(&self) -> Vec<String> {
        vec!["信息".into(), "数据".into()]
    }

    fn for_each_row(&mut self, sheet: &str, f: &mut dyn FnMut(Row) -> bool) -> Result<(), String> {
        let rows: Vec<Vec<CellValue>> = if sheet == "信息" {
            vec![vec![cell("监测站"), cell("S01")], vec![cell("期间"), cell(&self.period)]]
        } else {
            let header = ["期间", "单位代码", "指标代码", "事项", "数值", "说明"].map(cell).to_vec();
            std::iter::once(header).chain(self.rows.iter().map(|r| r.iter().map(|c| cell(c)).collect())).collect()
        };
        for (i, cells) in rows.into_iter().enumerate() {
            let cells: Vec<(u32, CellValue)> = cells
                .into_iter()
                .enumerate()
                .filter(|(_, v)| *v != CellValue::Empty)
                .map(|(c, v)| (c as u32, v))
                .collect();
            if !cells.is_empty() && !f(Row { index: i as u32, cells }) {
                break;
            }
        }
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.lines();
    let period = lines.next().unwrap_or_default().to_string();
    let rows: Vec<Vec<String>> = lines.take(200).map(|l| l.split('\t').take(8).map(String::from).collect()).collect();
    let set = parse(SET.as_bytes()).expect("the fuzz set is valid");
    let units = [("U1", "北马镇", 0), ("U2", "北马镇", 0), ("U3", "财政局", 1)];
    let roster = Roster::new(
        units.iter().map(|(c, n, k)| Unit { code: c.to_string(), name: n.to_string(), category: *k }).collect(),
    )
    .unwrap();
    let ctx = ReadContext::new(&set, &roster, Period::Quarter(2024, 1));
    let mut source = Sheets { period, rows };
    if let Ok(file) = zhili::records::read_source(ctx, "f.xlsx", &mut source) {
        for r in &file.records {
            // Every accepted record is a leaf of this station that applies to its unit, inside the window.
            let node = &set.nodes[r.leaf];
            assert!(set.leaf(r.leaf).is_some_and(|l| l.station == 0));
            assert!(node.applies[roster.units[r.unit].category]);
            assert!(ctx.window.contains(r.period));
        }
        for i in &file.issues {
            assert!(i.cell.is_some() || i.kind.code() == "coarse_period", "{i:?}");
        }
    }
});
