//! A scoring result read back from what `score` wrote — the JSON or the Excel report.
//!
//! `diff` and the rectification ledger compare results across runs and
//! periods; both formats load into the same [`ResultDoc`], so comparing a
//! JSON with a report gives exactly what comparing two JSONs gives.

use crate::number;
use crate::report::excel::{LEVELS_HEADER, METHOD_HEADER, METHOD_SHEETS};
use crate::xlsx::{Book, CellValue, Row};
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResultDoc {
    pub set_name: String,
    pub set_version: String,
    pub set_sha256: String,
    pub scale: Option<Decimal>,
    pub period: String,
    /// (path, sha256)
    pub inputs: Vec<(String, String)>,
    /// The method, when the result carries it (zhili writes it since 0.1).
    pub indicators: Vec<IndicatorDef>,
    /// Warning level codes, most severe first, with names and actions.
    pub levels: Vec<Level>,
    /// By unit code.
    pub units: IndexMap<String, UnitResult>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndicatorDef {
    pub code: String,
    pub name: String,
    pub max: Option<Decimal>,
    pub rule: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Level {
    pub code: String,
    pub name: String,
    pub action: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitResult {
    pub name: String,
    pub total: Option<Decimal>,
    pub rank: Option<u32>,
    pub level: Option<String>,
    /// Node code → score, in display order.
    pub scores: IndexMap<String, Decimal>,
    /// (scope: node code or "total", level code, score, max)
    pub warnings: Vec<(String, String, Decimal, Decimal)>,
    pub vetoed: Vec<String>,
}

impl ResultDoc {
    /// Reads a result: a zip (XLSX report) or JSON, decided by the bytes.
    pub fn read(bytes: &[u8]) -> Result<Self, String> {
        if bytes.starts_with(b"PK") { from_xlsx(bytes) } else { from_json(bytes) }
    }

    /// Index of a level code, 0 = most severe.
    pub fn severity(&self, code: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.code == code)
    }

    pub fn level(&self, code: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.code == code)
    }
}

fn dec(v: &Value) -> Option<Decimal> {
    match v {
        // serde_json without arbitrary precision: numbers come as f64; the
        // shortest round-trip text is exactly what zhili wrote.
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok().or_else(|| n.as_f64().and_then(number::from_f64)),
        _ => None,
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn from_json(bytes: &[u8]) -> Result<ResultDoc, String> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| format!("不是 zhili 的 JSON 结果: {e}"))?;
    if v.get("units").is_none() || v.get("indicator_set").is_none() {
        return Err("不是 zhili score 写出的 JSON 结果 (缺少 indicator_set 或 units)".into());
    }
    let set = &v["indicator_set"];
    let mut doc = ResultDoc {
        set_name: s(&set["name"]),
        set_version: s(&set["version"]),
        set_sha256: s(&set["sha256"]),
        scale: dec(&set["scale"]),
        period: s(&v["period"]),
        ..Default::default()
    };
    for i in v["inputs"].as_array().into_iter().flatten() {
        doc.inputs.push((s(&i["path"]), s(&i["sha256"])));
    }
    for i in set["indicators"].as_array().into_iter().flatten() {
        doc.indicators.push(IndicatorDef {
            code: s(&i["code"]),
            name: s(&i["name"]),
            max: dec(&i["max"]),
            rule: s(&i["rule"]),
        });
    }
    for l in set["warnings"].as_array().into_iter().flatten() {
        doc.levels.push(Level { code: s(&l["level"]), name: s(&l["name"]), action: s(&l["action"]) });
    }
    for u in v["units"].as_array().into_iter().flatten() {
        let mut r = UnitResult {
            name: s(&u["name"]),
            total: dec(&u["total"]),
            rank: u["rank"].as_u64().map(|r| r as u32),
            level: u["level"].as_str().map(String::from),
            ..Default::default()
        };
        for (k, val) in u["scores"].as_object().into_iter().flatten() {
            if let Some(d) = dec(val) {
                r.scores.insert(k.clone(), d);
            }
        }
        for w in u["warnings"].as_array().into_iter().flatten() {
            r.warnings.push((
                s(&w["scope"]),
                s(&w["level"]),
                dec(&w["score"]).unwrap_or_default(),
                dec(&w["max"]).unwrap_or_default(),
            ));
        }
        r.vetoed = u["vetoed"].as_array().into_iter().flatten().map(s).collect();
        doc.units.insert(s(&u["code"]), r);
    }
    Ok(doc)
}

/// Streams a sheet and its continuation sheets (`名称(2)` …): the header row
/// names the columns (`want`, in that order), then `f` sees every later row
/// with those columns. Reading goes through the same bounded streaming
/// reader as station workbooks — a report handed to `diff` is input too.
fn each_row(book: &mut Book, name: &str, want: &[&str], mut f: impl FnMut(&[u32], &Row)) -> Result<(), String> {
    let names = book.sheet_names();
    for (i, sheet) in std::iter::once(name.to_string()).chain((2..).map(|n| format!("{name}({n})"))).enumerate() {
        if !names.contains(&sheet) {
            if i == 0 {
                return Err(format!("报告中没有“{name}”工作表"));
            }
            return Ok(());
        }
        let mut cols: Option<Vec<u32>> = None;
        let mut missing = None;
        book.for_each_row(&sheet, |row| {
            match &cols {
                Some(c) => f(c, &row),
                None => match want.iter().map(|w| row.column(&[w]).ok_or(*w)).collect::<Result<Vec<u32>, &str>>() {
                    Ok(c) => cols = Some(c),
                    Err(w) => {
                        missing = Some(w.to_string());
                        return false;
                    }
                },
            }
            true
        })?;
        if let Some(w) = missing {
            return Err(format!("“{sheet}”工作表缺少“{w}”列"));
        }
    }
    Ok(())
}

fn text(row: &Row, col: u32) -> String {
    row.get(col).as_key()
}

fn num(row: &Row, col: u32) -> Option<Decimal> {
    match row.get(col) {
        CellValue::Number(d) => Some(*d),
        _ => None,
    }
}

fn from_xlsx(bytes: &[u8]) -> Result<ResultDoc, String> {
    crate::sniff::check_workbook(bytes)?;
    crate::guard::quietly(|| from_xlsx_unguarded(bytes))
}

fn from_xlsx_unguarded(bytes: &[u8]) -> Result<ResultDoc, String> {
    let mut book = Book::open(bytes)?;
    let mut doc = ResultDoc::default();

    // 说明: the set, the period and the inputs.
    each_row(&mut book, "说明", &["项目", "内容", "sha256"], |c, r| {
        let (k, v, sha) = (text(r, c[0]), text(r, c[1]), text(r, c[2]));
        match k.as_str() {
            "指标体系" => doc.set_name = v,
            "体系版本" => doc.set_version = v,
            "指标体系文件" => doc.set_sha256 = sha,
            "评价期间" => doc.period = v,
            "满分" => doc.scale = Decimal::from_str(&v).ok(),
            "数据文件" => doc.inputs.push((v, sha)),
            _ => {}
        }
    })?;
    // The method (extension sheets; absent from reports of other tools).
    if book.sheet_names().iter().any(|n| n == METHOD_SHEETS[0]) {
        let want = [METHOD_HEADER[0], METHOD_HEADER[1], METHOD_HEADER[4], METHOD_HEADER[7]];
        each_row(&mut book, METHOD_SHEETS[0], &want, |c, r| {
            doc.indicators.push(IndicatorDef {
                code: text(r, c[0]),
                name: text(r, c[1]),
                max: num(r, c[2]),
                rule: text(r, c[3]),
            });
        })?;
        let want = [LEVELS_HEADER[0], LEVELS_HEADER[1], LEVELS_HEADER[3]];
        each_row(&mut book, METHOD_SHEETS[1], &want, |c, r| {
            doc.levels.push(Level { code: text(r, c[0]), name: text(r, c[1]), action: text(r, c[2]) });
        })?;
    }
    let levels = doc.levels.clone();
    let level_code = |name: &str| levels.iter().find(|l| l.name == name).map(|l| l.code.clone());

    // 总览: totals, ranks, levels and vetoes.
    each_row(&mut book, "总览", &["排名", "单位代码", "单位名称", "总分", "预警"], |c, r| {
        let warn = text(r, c[4]);
        let (level_name, vetoed) = match warn.split_once(" (一票否决 ") {
            Some((l, v)) => (l.to_string(), v.trim_end_matches(')').split('、').map(String::from).collect()),
            None => (warn.clone(), Vec::new()),
        };
        let unit = UnitResult {
            name: text(r, c[2]),
            total: num(r, c[3]),
            rank: num(r, c[0]).and_then(|d| d.to_string().parse().ok()),
            level: level_code(&level_name),
            vetoed,
            ..Default::default()
        };
        doc.units.insert(text(r, c[1]), unit);
    })?;
    // 得分明细: every score.
    each_row(&mut book, "得分明细", &["单位代码", "指标代码", "得分"], |c, r| {
        if let (Some(u), Some(score)) = (doc.units.get_mut(&text(r, c[0])), num(r, c[2])) {
            u.scores.insert(text(r, c[1]), score);
        }
    })?;
    // 预警: every warning.
    each_row(&mut book, "预警", &["单位代码", "范围", "得分", "满分", "预警等级"], |c, r| {
        let scope = text(r, c[1]);
        let scope =
            if scope == "总分" { "total".to_string() } else { scope.split(' ').next().unwrap_or("").to_string() };
        let level = level_code(&text(r, c[4])).unwrap_or_default();
        let (score, max) = (num(r, c[2]).unwrap_or_default(), num(r, c[3]).unwrap_or_default());
        if let Some(u) = doc.units.get_mut(&text(r, c[0])) {
            u.warnings.push((scope, level, score, max));
        }
    })?;
    doc.units.sort_keys();
    Ok(doc)
}
