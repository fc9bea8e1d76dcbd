//! Reads a result back from what `score` wrote — the JSON or the Excel report — into [`ResultDoc`].
//!
//! The JSON is read by serde through the very types that wrote it; the
//! report is read by the [`layout`] names its writer used, taking codes from
//! the code columns (预警代码, 范围代码, 否决指标代码) rather than from
//! display text. Both give the same values for every field `diff` and
//! `--previous` use, so they never depend on which one they were handed. A report is input too: it
//! goes through the same sniffing, guard and bounded streaming reader as a
//! station workbook.

use super::layout::{self, overview, provenance, warnings};
use crate::cell::{CellValue, Row, TableSource};
use crate::result::{CategoryDef, IndicatorDef, InputInfo, LevelDef, Num, ResultDoc, UnitResult, WarningInfo};
use crate::xlsx::write::continuation;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Reads a result: a zip (XLSX report) or JSON, decided by the bytes.
pub fn read(bytes: &[u8]) -> Result<ResultDoc, String> {
    if bytes.starts_with(b"PK") { from_xlsx(bytes) } else { from_json(bytes) }
}

fn from_json(bytes: &[u8]) -> Result<ResultDoc, String> {
    let mut doc: ResultDoc =
        serde_json::from_slice(bytes).map_err(|e| format!("不是 zhili score 写出的 JSON 结果: {e}"))?;
    doc.units.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(doc)
}

fn from_xlsx(bytes: &[u8]) -> Result<ResultDoc, String> {
    crate::input::sniff::check_workbook(bytes)?;
    crate::input::read_quietly(bytes, crate::input::Format::Xlsx, "", from_source)
}

/// Streams a sheet and its continuation sheets (`名称(2)` …): the header row
/// names the columns (`want`, in that order), then `f` sees every later row
/// with those columns.
fn each_row(
    source: &mut dyn TableSource,
    name: &str,
    want: &[&str],
    mut f: impl FnMut(&[u32], &Row),
) -> Result<(), String> {
    let names = source.sheet_names();
    for n in 1.. {
        let sheet = continuation(name, n);
        if !names.contains(&sheet) {
            if n == 1 {
                return Err(format!("报告中没有“{name}”工作表"));
            }
            return Ok(());
        }
        let mut cols: Option<Vec<u32>> = None;
        let mut missing = None;
        source.for_each_row(&sheet, &mut |row| {
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
            let older = [layout::LEVEL_CODE, overview::VETO_CODES, warnings::SCOPE_CODE].contains(&w.as_str());
            let hint = if older {
                ";这份报告可能由较早版本的 zhili 写出 (没有代码列),请改用同一次计分的 JSON 结果,或用当前版本重新计分"
            } else {
                ""
            };
            return Err(format!("“{sheet}”工作表缺少“{w}”列{hint}"));
        }
    }
    Ok(())
}

fn text(row: &Row, col: u32) -> String {
    row.get(col).as_key()
}

fn opt_text(row: &Row, col: u32) -> Option<String> {
    Some(text(row, col)).filter(|s| !s.is_empty())
}

fn num(row: &Row, col: u32) -> Option<Decimal> {
    match row.get(col) {
        CellValue::Number(d) => Some(*d),
        CellValue::Empty | CellValue::Text(_) | CellValue::Bool(_) | CellValue::Date { .. } | CellValue::Error(_) => {
            None
        }
    }
}

fn from_source(source: &mut dyn TableSource) -> Result<ResultDoc, String> {
    // A report without the status row (written before it existed) was complete.
    let mut doc = ResultDoc { complete: true, ..ResultDoc::default() };

    // 说明: the set, the period and the inputs.
    each_row(source, provenance::SHEET, &[provenance::KEY, provenance::VALUE, provenance::SHA256], |c, r| {
        let (k, v, sha) = (text(r, c[0]), text(r, c[1]), text(r, c[2]));
        let set = &mut doc.indicator_set;
        match k.as_str() {
            provenance::SET_NAME => set.name = v,
            provenance::SET_VERSION => set.version = v,
            provenance::SET_FILE => set.sha256 = sha,
            provenance::PERIOD => doc.period = v,
            provenance::STATUS => doc.complete = !v.starts_with(provenance::PROVISIONAL),
            provenance::SCALE => set.scale = Decimal::from_str(&v).ok(),
            provenance::INPUT => doc.inputs.push(InputInfo { path: v, sha256: sha, ..Default::default() }),
            _ => {}
        }
    })?;
    // The method (extension sheets; absent from reports of other tools).
    if source.sheet_names().iter().any(|n| n == layout::method::SHEET) {
        let want = [layout::INDICATOR_CODE, layout::INDICATOR_NAME, layout::method::MAX, layout::method::RULE];
        each_row(source, layout::method::SHEET, &want, |c, r| {
            doc.indicator_set.indicators.push(IndicatorDef {
                code: text(r, c[0]),
                name: text(r, c[1]),
                max: num(r, c[2]),
                rule: opt_text(r, c[3]),
                ..Default::default()
            });
        })?;
        let want = [layout::LEVEL_CODE, layout::levels::NAME, layout::levels::ACTION];
        each_row(source, layout::levels::SHEET, &want, |c, r| {
            doc.indicator_set.warnings.push(LevelDef {
                level: text(r, c[0]),
                name: text(r, c[1]),
                action: text(r, c[2]),
                ..Default::default()
            });
        })?;
    }

    // 总览: totals, ranks, levels and vetoes, by their codes.
    let want = [
        overview::RANK,
        layout::UNIT_CODE,
        layout::UNIT_NAME,
        overview::TOTAL,
        layout::LEVEL_CODE,
        overview::VETO_CODES,
        layout::CATEGORY,
    ];
    each_row(source, overview::SHEET, &want, |c, r| {
        let vetoes = text(r, c[5]);
        // 总览 names categories, in the set's order: the name serves as the code too.
        let category = text(r, c[6]);
        if !doc.indicator_set.categories.iter().any(|k| k.code == category) {
            doc.indicator_set.categories.push(CategoryDef { code: category.clone(), name: category.clone() });
        }
        doc.units.push(UnitResult {
            code: text(r, c[1]),
            name: text(r, c[2]),
            category,
            total: num(r, c[3]),
            rank: num(r, c[0]).and_then(|d| d.to_string().parse().ok()),
            level: opt_text(r, c[4]),
            vetoed: vetoes.split(overview::VETO_SEPARATOR).filter(|v| !v.is_empty()).map(String::from).collect(),
            ..Default::default()
        });
    })?;
    doc.units.sort_by(|a, b| a.code.cmp(&b.code));
    let index = |doc: &ResultDoc, code: &str| doc.units.binary_search_by(|u| u.code.as_str().cmp(code)).ok();

    // 得分明细: every score.
    let want = [layout::UNIT_CODE, layout::INDICATOR_CODE, layout::scores::SCORE];
    let mut scores: Vec<(String, String, Decimal)> = Vec::new();
    each_row(source, layout::scores::SHEET, &want, |c, r| {
        if let Some(score) = num(r, c[2]) {
            scores.push((text(r, c[0]), text(r, c[1]), score));
        }
    })?;
    for (unit, node, score) in scores {
        if let Some(i) = index(&doc, &unit) {
            doc.units[i].scores.insert(node, Num(score));
        }
    }
    // 预警: every warning, by its scope and level codes.
    let want = [layout::UNIT_CODE, warnings::SCOPE_CODE, warnings::SCORE, warnings::MAX, layout::LEVEL_CODE];
    let mut found: Vec<(String, WarningInfo)> = Vec::new();
    each_row(source, warnings::SHEET, &want, |c, r| {
        let w = WarningInfo {
            scope: text(r, c[1]),
            level: text(r, c[4]),
            score: num(r, c[2]).unwrap_or_default(),
            max: num(r, c[3]).unwrap_or_default(),
        };
        found.push((text(r, c[0]), w));
    })?;
    for (unit, w) in found {
        if let Some(i) = index(&doc, &unit) {
            doc.units[i].warnings.push(w);
        }
    }
    // 区域指数 and 总览's membership columns, written together when the roster places units in areas.
    if source.sheet_names().iter().any(|n| n == layout::areas::SHEET) {
        read_areas(source, &mut doc)?;
    }
    Ok(doc)
}

fn read_areas(source: &mut dyn TableSource, doc: &mut ResultDoc) -> Result<(), String> {
    use layout::areas as a;
    let want = [a::CODE, a::NAME, a::PARENT, a::UNITS, a::EXCLUDED, a::INDEX, a::MAX, a::RANK, a::PROVISIONAL];
    let want_level = [layout::LEVEL_CODE];
    let mut groups = Vec::new();
    each_row(source, a::SHEET, &[&want[..], &want_level[..]].concat(), |c, r| {
        let count = |col: u32| num(r, col).and_then(|d| d.to_string().parse().ok()).unwrap_or(0);
        groups.push(crate::result::GroupInfo {
            code: text(r, c[0]),
            name: text(r, c[1]),
            parent: opt_text(r, c[2]),
            units: count(c[3]),
            excluded: count(c[4]),
            index: num(r, c[5]),
            max: num(r, c[6]).unwrap_or_default(),
            rank: num(r, c[7]).and_then(|d| d.to_string().parse().ok()),
            provisional: !text(r, c[8]).is_empty(),
            level: opt_text(r, c[9]),
        });
    })?;
    doc.groups = groups;
    let want = [layout::UNIT_CODE, a::MEMBER[0], a::MEMBER[1]];
    let mut members: Vec<(String, Option<String>, Option<Decimal>)> = Vec::new();
    each_row(source, overview::SHEET, &want, |c, r| members.push((text(r, c[0]), opt_text(r, c[1]), num(r, c[2]))))?;
    for (code, area, weight) in members {
        if let Ok(i) = doc.units.binary_search_by(|u| u.code.as_str().cmp(&code)) {
            doc.units[i].area = area;
            doc.units[i].weight = weight;
        }
    }
    Ok(())
}
