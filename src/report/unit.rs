//! Per-unit reports (体检报告): one workbook a unit can be handed, holding that unit only.
//!
//! Isolation is structural: every table here is built from the one unit's
//! `UnitEval` and its own records; nothing iterates over other units except
//! to count them for "第 N 名 / 共 M 个", and there are no charts or ranges
//! that could point at anyone else's data.

use super::excel::{Provenance, book};
use super::layout::unit::{DEDUCTIONS_HEADER, SHEETS, SUMMARY_HEADER};
use super::rows::{self, node_label};
use crate::analysis::losses::{self, rate, unit_deductions};
use crate::engine::UnitEval;
use crate::record::Record;
use crate::run::Run;
use crate::xlsx::write::{Styled, Val, Writer, local_text};
use rust_xlsxwriter::XlsxError;

/// The file name for a unit's report: `<code>-<name>.xlsx`, with characters
/// that are unsafe in file names replaced.
pub fn file_name(code: &str, name: &str) -> String {
    let clean = |s: &str| -> String {
        let t: String = s
            .chars()
            .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c })
            .collect::<String>()
            .trim()
            .trim_matches('.')
            .to_string();
        t.chars().take(60).collect()
    };
    let (code, name) = (clean(code), clean(name));
    let code = if code.is_empty() { "_".to_string() } else { code };
    if name.is_empty() || name == code { format!("{code}.xlsx") } else { format!("{code}-{name}.xlsx") }
}

/// What every unit's report needs, computed once for all of them: the
/// shared labels and each unit's own records (in reading order).
pub struct Shared<'a> {
    labels: rows::Labels,
    by_unit: Vec<Vec<&'a Record>>,
}

impl<'a> Shared<'a> {
    pub fn new(run: &Run<'a>) -> Self {
        let mut by_unit = vec![Vec::new(); run.roster.units.len()];
        for r in &run.loaded.records {
            by_unit[r.unit].push(r);
        }
        Shared { labels: rows::Labels::new(run), by_unit }
    }
}

pub fn render(run: &Run, shared: &Shared, e: &UnitEval, prov: &Provenance) -> Result<Vec<u8>, XlsxError> {
    let set = run.set;
    let unit = &run.roster.units[e.unit];
    let mut book = book(run, prov, &format!("{} {} 体检报告 {}", unit.code, unit.name, run.eval.window))?;

    // 体检报告: the unit at a glance.
    let peers = run.eval.units.iter().filter(|o| run.roster.units[o.unit].category == unit.category).count();
    let rank = match e.rank {
        Some(r) => format!("第 {r} 名 / 共 {peers} 个{}", set.categories[unit.category].name),
        None => "不参与排名 (总分不计分)".into(),
    };
    let level = e.level.map(|l| &set.warnings[l]);
    let vetoed: Vec<String> = e.vetoed.iter().map(|&v| node_label(run, v)).collect();
    let kv = |k: &'static str, v: Val<'static>| -> Vec<Styled<'static>> { vec![Val::s(k).into(), v.into()] };
    let summary = vec![
        kv("单位代码", Val::s(unit.code.clone())),
        kv("单位名称", Val::s(unit.name.clone())),
        kv("类别", Val::s(set.categories[unit.category].name.clone())),
        kv("评价期间", Val::s(run.eval.window.to_string())),
        kv("指标体系", Val::s(format!("{} {}", set.name, set.version).trim().to_string())),
        vec![Val::s("总分").into(), e.total.map(Val::N).unwrap_or(Val::s("不计分")).fill(e.level)],
        kv("满分", Val::N(set.scale)),
        kv("排名", Val::s(rank)),
        vec![Val::s("预警等级").into(), Val::s(level.map(|l| l.name.clone()).unwrap_or("无".into())).fill(e.level)],
        kv("处置措施", Val::s(level.map(|l| l.action.clone()).unwrap_or_default())),
        kv("一票否决", Val::s(if vetoed.is_empty() { "无".into() } else { vetoed.join("、") })),
        kv("生成时间", Val::s(local_text(prov.time, prov.utc_offset))),
        kv("指标体系 sha256", Val::s(set.sha256.clone())),
    ];
    book.key_values(SHEETS[0], &SUMMARY_HEADER, summary)?;
    let (labels, own) = (&shared.labels, shared.by_unit[e.unit].as_slice());
    book.table(SHEETS[1], &rows::scores_header(false), rows::score_rows(run, labels, e, false), false)?;
    book.table(SHEETS[2], &rows::warnings_header(false), rows::warning_rows(run, e, false), false)?;
    let rows = own.iter().map(|r| rows::record_row(run, labels, r, false, true));
    book.table(SHEETS[3], &rows::records_header(false), rows, false)?;
    deductions(&mut book, run, e, own)?;
    book.save()
}

/// 扣分点: the unit's leaves that lost points, most lost first — the follow-up list.
fn deductions(book: &mut Writer, run: &Run, e: &UnitEval, own: &[&Record]) -> Result<(), XlsxError> {
    let set = run.set;
    let rows = unit_deductions(set, e, own).into_iter().enumerate().map(|(i, d)| {
        let n = &set.nodes[d.leaf];
        let notes = deduction_notes(run, &d.records);
        vec![
            Val::I(i as i64 + 1).into(),
            Val::s(n.code.as_str()).into(),
            Val::s(n.name.as_str()).into(),
            Val::s(node_label(run, losses::root_of(set, d.leaf))).into(),
            Val::N(d.max).into(),
            Val::N(d.score).into(),
            Val::N(d.lost).into(),
            Val::P(rate(d.score, d.max)).into(),
            Val::I(d.records.len() as i64).into(),
            Val::s(notes).into(),
        ]
    });
    book.table(SHEETS[4], &DEDUCTIONS_HEADER, rows, false)?;
    Ok(())
}

/// The 说明 of one 扣分点: its records' notes, each once, in record order;
/// a confidential station's notes are withheld and say so.
fn deduction_notes(run: &Run, records: &[&Record]) -> String {
    if records.is_empty() {
        return "无数据".into();
    }
    let mut notes: Vec<&str> = Vec::new();
    let mut withheld = false;
    for r in records {
        if rows::is_confidential(run, r) {
            withheld = true;
        } else if !r.note.is_empty() && !notes.contains(&&*r.note) {
            notes.push(&r.note);
        }
    }
    if withheld {
        notes.push("(涉密记录,说明不予显示)");
    }
    notes.join(";")
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("T01", "北马镇"), "T01-北马镇.xlsx");
        assert_eq!(file_name("D/1", "财政局: 预算科?"), "D_1-财政局_ 预算科_.xlsx");
        assert_eq!(file_name("U1", "U1"), "U1.xlsx");
        assert_eq!(file_name("..", ""), "_.xlsx");
    }
}
