//! Per-unit reports (体检报告): one workbook a unit can be handed, holding that unit only.
//!
//! Isolation is structural: every table here is built from the one unit's
//! `UnitEval` and its own records; nothing iterates over other units except
//! to count them for "第 N 名 / 共 M 个", and there are no charts or ranges
//! that could point at anyone else's data.

use super::Run;
use super::excel::{Provenance, book};
use super::rows::{self, node_label, rate};
use super::sheet::{C, V, utc_text};
use crate::engine::UnitEval;
use crate::records::Record;
use rust_decimal::Decimal;
use rust_xlsxwriter::XlsxError;

pub const SHEETS: [&str; 5] = ["体检报告", "得分", "预警", "计分记录", "扣分点"];

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
    let kv = |k: &'static str, v: V<'static>| -> Vec<C<'static>> { vec![V::s(k).into(), v.into()] };
    let summary = vec![
        kv("单位代码", V::s(unit.code.clone())),
        kv("单位名称", V::s(unit.name.clone())),
        kv("类别", V::s(set.categories[unit.category].name.clone())),
        kv("评价期间", V::s(run.eval.window.to_string())),
        kv("指标体系", V::s(format!("{} {}", set.name, set.version).trim().to_string())),
        vec![V::s("总分").into(), e.total.map(V::N).unwrap_or(V::s("不计分")).fill(e.level)],
        kv("满分", V::N(set.scale)),
        kv("排名", V::s(rank)),
        vec![V::s("预警等级").into(), V::s(level.map(|l| l.name.clone()).unwrap_or("无".into())).fill(e.level)],
        kv("处置措施", V::s(level.map(|l| l.action.clone()).unwrap_or_default())),
        kv("一票否决", V::s(if vetoed.is_empty() { "无".into() } else { vetoed.join("、") })),
        kv("生成时间", V::s(utc_text(prov.time))),
        kv("指标体系 sha256", V::s(set.sha256.clone())),
    ];
    book.table(SHEETS[0], &["项目", "内容"], summary, false)?;
    let (labels, own) = (&shared.labels, shared.by_unit[e.unit].as_slice());
    book.table(SHEETS[1], &rows::scores_header(false), rows::score_rows(run, labels, e, false), false)?;
    book.table(SHEETS[2], &rows::warnings_header(false), rows::warning_rows(run, e, false), false)?;
    let rows = own.iter().map(|r| rows::record_row(run, labels, r, false));
    book.table(SHEETS[3], &rows::records_header(false), rows, false)?;
    deductions(&mut book, run, e, own)?;
    book.save()
}

/// 扣分点: the unit's leaves that lost points, most lost first — the follow-up list.
fn deductions(book: &mut super::sheet::Book, run: &Run, e: &UnitEval, own: &[&Record]) -> Result<(), XlsxError> {
    let set = run.set;
    let mut lost: Vec<(Decimal, usize)> = rows::scored_leaves(run)
        .filter_map(|id| rows::lost(run, e, id).filter(|l| *l > Decimal::ZERO).map(|l| (l, id)))
        .collect();
    lost.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let header =
        ["序号", "指标代码", "指标名称", "所属一级指标", "满分", "得分", "失分", "得分率", "相关记录", "记录说明"];
    let rows = lost.into_iter().enumerate().map(|(i, (l, id))| {
        let n = &set.nodes[id];
        let max = n.max.unwrap_or_default();
        let score = max - l;
        let records: Vec<_> = own.iter().filter(|r| r.leaf == id).collect();
        let notes: Vec<&str> = records.iter().map(|r| &*r.note).filter(|s| !s.is_empty()).collect();
        vec![
            V::I(i as i64 + 1).into(),
            V::s(n.code.as_str()).into(),
            V::s(n.name.as_str()).into(),
            V::s(node_label(run, rows::root_of(run, id))).into(),
            V::N(max).into(),
            V::N(score).into(),
            V::N(l).into(),
            V::P(rate(score, max)).into(),
            V::I(records.len() as i64).into(),
            V::s(if records.is_empty() { "无数据".to_string() } else { notes.join(";") }).into(),
        ]
    });
    book.table(SHEETS[4], &header, rows, false)?;
    Ok(())
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
