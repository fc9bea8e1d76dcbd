//! Per-unit reports (体检报告): one workbook a unit can be handed, holding that unit only.
//!
//! Isolation is structural: every table here is built from the one unit's
//! `UnitEval` and its own records; other units enter only as category
//! aggregates (the count for "第 N 名 / 共 M 个", the category's mean total and
//! mean score rates, the share of units it outscores — `analysis::checkup`),
//! and the one chart (the radar) reads cells of this workbook only.

use super::excel::book;
use super::layout::unit::*;
use super::provenance::Provenance;
use super::rows::{self, node_label};
use crate::analysis::checkup;
use crate::analysis::conclusions::percent;
use crate::analysis::losses::{self, rate, unit_deductions};
use crate::engine::UnitEval;
use crate::number::fixed;
use crate::record::Record;
use crate::run::Run;
use crate::xlsx::write::{Styled, Val, Writer, local_date, local_text, short_level};
use rust_xlsxwriter::{Chart, ChartFont, ChartLine, ChartLineDashType, ChartType, XlsxError};

/// The file name for a unit's report: `<code>-<name>.xlsx`, with characters
/// that are unsafe in file names replaced.
pub fn file_name(code: &str, name: &str) -> String {
    file_name_as(code, name, "xlsx")
}

/// [`file_name`] with another extension (a notice's `.docx`).
pub fn file_name_as(code: &str, name: &str, ext: &str) -> String {
    let (code, name) = (clean_name(code), clean_name(name));
    let code = if code.is_empty() { "_".to_string() } else { code };
    if name.is_empty() || name == code { format!("{code}.{ext}") } else { format!("{code}-{name}.{ext}") }
}

/// A part of a file name safe on Windows: control and reserved characters as `_`, trimmed, at most 60 characters.
pub fn clean_name(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect::<String>()
        .trim()
        .trim_matches('.')
        .to_string();
    t.chars().take(60).collect()
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
    let unit = &run.roster.units[e.unit];
    let mut book = book(run, prov, &format!("{} {} 体检报告 {}", unit.code, unit.name, run.eval.window))?;
    let own = shared.by_unit[e.unit].as_slice();
    cover(&mut book, run, e, prov, own)?;
    let labels = &shared.labels;
    book.table(SHEETS[1], &rows::scores_header(false), rows::score_rows(run, labels, e, false), false)?;
    book.table(SHEETS[2], &rows::warnings_header(false), rows::warning_rows(run, e, false), false)?;
    let rows = own.iter().map(|r| rows::record_row(run, labels, r, false, true));
    book.table(SHEETS[3], &rows::records_header(false), rows, false)?;
    deductions(&mut book, run, e, own)?;
    book.save()
}

/// The title: "北马镇 2024年第四季度 政治生态体检报告" (the set's `subject`, else its name).
pub fn title(run: &Run, e: &UnitEval) -> String {
    let set = run.set;
    let subject = set.subject.as_deref().map(str::to_string).unwrap_or_else(|| format!("{} ", set.name));
    let provisional = if run.loaded.complete { "" } else { " (暂定)" };
    format!("{} {} {subject}{TITLE_SUFFIX}{provisional}", run.roster.units[e.unit].name, run.eval.window.chinese())
}

/// 体检报告: a page the unit reads top to bottom — where it stands, its first-level indicators against
/// its category (with a radar chart), 症状, 病因 and 努力方向.
fn cover(book: &mut Writer, run: &Run, e: &UnitEval, prov: &Provenance, own: &[&Record]) -> Result<(), XlsxError> {
    let set = run.set;
    let unit = &run.roster.units[e.unit];
    let category = &set.categories[unit.category].name;
    let previous = run.previous.and_then(|p| p.unit(&unit.code));
    let standing = checkup::standing(set, run.roster, &run.eval.units, e);
    let firsts = checkup::first_levels(set, run.roster, &run.eval.units, e, previous);
    let with_previous = run.previous.is_some();
    let level = e.level.map(|l| &set.warnings[l]);

    let mut widths = vec![24.0, 9.0, 9.0, 9.0, 13.0, 10.0];
    if with_previous {
        widths.extend([9.0, 9.0]);
    }
    let mut page = book.page(SHEETS[0], &widths)?;
    page.title(&title(run, e))?;
    let date = local_date(prov.time, prov.utc_offset);
    page.subtitle(&match &prov.issuer {
        Some(issuer) => format!("{issuer}    {date}"),
        None => date,
    })?;
    if let Some(why) = run.loaded.provisional_reason() {
        page.subtitle(&format!("暂定结果:{why}"))?;
    }

    // 一、总体情况
    page.heading(OVERALL)?;
    let text = |k: &'static str, v: String| -> Vec<Styled<'static>> { vec![Val::s(k).into(), Val::s(v).into()] };
    let mut rows: Vec<Vec<Styled>> = vec![
        text("单位", format!("{} ({})", unit.name, unit.code)),
        text("类别", category.clone()),
        text("评价期间", format!("{} ({})", run.eval.window.chinese(), run.eval.window)),
        text("指标体系", format!("{} {}", set.name, set.version).trim().to_string()),
        // The cover reads like a form: numbers as text with the set's decimals, the level's short name
        // after a filled total (so it prints in black and white), across the whole 内容 cell.
        vec![Val::s("总分").into(), Val::s(total_text(run, e.total, e.level)).fill(e.level)],
        text("满分", fixed(set.scale, set.decimals)),
        vec![Val::s("预警等级").into(), Val::s(level.map(|l| l.name.clone()).unwrap_or("无".into())).fill(e.level)],
        text(
            "排名",
            match e.rank {
                Some(r) => format!("第 {r} 名 / 共 {} 个{category}", standing.peers),
                None => "不参与排名 (总分不计分)".into(),
            },
        ),
        text("类别平均分", standing.category_mean.map(|m| fixed(m, set.decimals)).unwrap_or_else(|| "—".into())),
    ];
    if let Some(b) = standing.beats {
        let place = if b.is_zero() {
            "总分在本类别中最低".to_string()
        } else if b == rust_decimal::Decimal::ONE {
            "总分在本类别中最高".to_string()
        } else {
            format!("总分高于本类别 {} 的其他单位", percent(b))
        };
        rows.push(text("类别中的位置", place));
    }
    rows.push(text("一票否决", veto_text(run, e)));
    rows.push(text("处置措施", level.map(|l| l.action.clone()).unwrap_or_default()));
    if let Some(p) = previous {
        rows.push(text("上期总分", p.total.map(|t| fixed(t, set.decimals)).unwrap_or_else(|| "不计分".into())));
        if let (Some(now), Some(before)) = (e.total, p.total) {
            rows.push(text("较上期变化", signed(now - before, set.decimals)));
        }
        let name = p.level.as_deref().and_then(|c| set.warnings.iter().find(|w| w.level == c)).map(|w| w.name.clone());
        rows.push(text("上期预警", name.unwrap_or_else(|| "无".into())));
    }
    rows.push(text("生成时间", local_text(prov.time, prov.utc_offset)));
    page.table(&SUMMARY_HEADER, rows, true)?;

    // 二、一级指标得分, with a radar chart of score rates against the category mean.
    page.heading(FIRST_LEVELS)?;
    let mut header: Vec<&str> = FIRST_LEVELS_HEADER.to_vec();
    if with_previous {
        header.extend(FIRST_LEVELS_PREVIOUS);
    }
    let first_row = page.row + 1;
    let rows = firsts.iter().map(|f| {
        let mut row: Vec<Styled> = vec![
            Val::s(node_label(run, f.node)).into(),
            Val::N(f.max).into(),
            f.score.map(Val::N).unwrap_or(Val::s("不计分")).fill(f.level),
            f.rate.map(Val::P).unwrap_or(Val::Empty).into(),
            f.category_rate.map(Val::P).unwrap_or(Val::Empty).into(),
            Val::s(f.level.map(|l| set.warnings[l].name.as_str()).unwrap_or("无")).fill(f.level),
        ];
        if with_previous {
            row.push(f.previous.map(Val::N).unwrap_or(Val::Empty).into());
            let change = f.score.zip(f.previous).map(|(a, b)| Val::s(signed(a - b, set.decimals)));
            row.push(change.unwrap_or(Val::Empty).into());
        }
        row
    });
    page.table(&header, rows.collect(), false)?;
    if firsts.len() >= 3 {
        let last_row = first_row + firsts.len() as u32 - 1;
        let sheet = page.sheet_name()?;
        let mut chart = Chart::new(ChartType::Radar);
        chart
            .add_series()
            .set_categories((sheet.as_str(), first_row, 0, last_row, 0))
            .set_values((sheet.as_str(), first_row, 3, last_row, 3))
            .set_name(unit.name.as_str());
        chart
            .add_series()
            .set_categories((sheet.as_str(), first_row, 0, last_row, 0))
            .set_values((sheet.as_str(), first_row, 4, last_row, 4))
            .set_name(format!("{category}平均").as_str())
            // Dashed, so the two lines stay apart in black and white.
            .set_format(ChartLine::new().set_dash_type(ChartLineDashType::Dash).set_width(1.5));
        chart.title().set_name("一级指标得分率").set_font(ChartFont::new().set_size(12).set_bold());
        chart.y_axis().set_min(0.0).set_max(1.0).set_num_format("0%");
        page.gap();
        page.chart(&mut chart, 16)?;
    }

    // 三、症状: 扣分点 grouped by first-level indicator.
    page.heading(SYMPTOMS)?;
    let symptoms = checkup::symptoms(set, e, own);
    // A veto comes first: it, not any 扣分点, decides the level.
    let vetoes: Vec<(crate::indicators::NodeId, String)> = e
        .vetoed
        .iter()
        .map(|&v| {
            let records: Vec<&Record> = own.iter().copied().filter(|r| r.leaf == v).collect();
            (v, deduction_notes(run, v, &records))
        })
        .collect();
    for (v, why) in &vetoes {
        let cap = match checkup::veto_cap(e) {
            Some((before, cap)) => {
                format!(",各项合计 {},总分上限 {}", fixed(before, set.decimals), fixed(cap, set.decimals))
            }
            None => String::new(),
        };
        page.paragraph(&format!("触发一票否决:{}{cap}。依据:{why}", node_label(run, *v)))?;
    }
    if symptoms.is_empty() {
        page.paragraph("各项指标均未失分。")?;
    }
    if !symptoms.is_empty() {
        // One table: each first-level indicator's label row, then its 扣分点, most lost first.
        let mut rows: Vec<Vec<Styled>> = Vec::new();
        for g in &symptoms {
            let num = |d| fixed(d, set.decimals);
            let score = g.score.map(num).unwrap_or_else(|| "不计分".into());
            let mut label = format!("{}:得分 {score} / {},失分 {}", node_label(run, g.root), num(g.max), num(g.lost));
            if g.rescaled() {
                // A leaf not due (or excluded) made the indicator rescale: say why the sum differs.
                label += &format!(
                    " (下列指标合计失分 {};未到期或不计分的指标不参与计分,一级指标按其余指标折算)",
                    num(g.items_lost)
                );
            }
            rows.push(vec![Val::s(label).into()]);
            rows.extend(g.items.iter().map(|d| {
                vec![
                    Val::s(format!("  {}", node_label(run, d.leaf))).into(),
                    Val::N(d.max).into(),
                    Val::N(d.score).into(),
                    Val::N(d.lost).into(),
                    Val::s(deduction_notes(run, d.leaf, &d.records)).into(),
                ]
            }));
        }
        page.table(&SYMPTOMS_HEADER, rows, true)?;
    }

    // 四、病因: the weakest indicators, their rule and why points were lost.
    page.heading(CAUSES)?;
    let causes = checkup::causes(set, e, own);
    if causes.is_empty() && vetoes.is_empty() {
        page.paragraph(NONE)?;
    } else {
        let veto_rows = vetoes.iter().map(|(v, why)| {
            vec![
                Val::s(node_label(run, *v)).into(),
                Val::s("—").into(),
                Val::s("—").into(),
                Val::s("—").into(),
                Val::s(format!("规则:{}。原因:{why}", set.rule_text(*v))).into(),
            ]
        });
        let rows = causes.iter().map(|c| {
            let why = match &c.why {
                checkup::Why::NoData(_) => no_data_text(run, c.leaf),
                checkup::Why::Records(0) => "没有相关记录".to_string(),
                checkup::Why::Records(_) => deduction_notes(run, c.leaf, &c.records),
            };
            vec![
                Val::s(node_label(run, c.leaf)).into(),
                Val::N(c.score).into(),
                Val::N(c.max).into(),
                Val::P(c.rate).into(),
                Val::s(format!("规则:{}。原因:{why}", set.rule_text(c.leaf))).into(),
            ]
        });
        page.table(&CAUSES_HEADER, veto_rows.chain(rows).collect(), true)?;
    }

    // 五、努力方向: the level's action, then each weak indicator's advice (the set's `advice`).
    page.heading(DIRECTIONS)?;
    let mut directions: Vec<String> = Vec::new();
    if let Some(l) = level.filter(|l| !l.action.is_empty()) {
        let because = if vetoes.is_empty() { String::new() } else { "(因触发一票否决)".into() };
        directions.push(format!("本期总分为{}{because},按规定采取:{}。", l.name, l.action));
    }
    for (v, _) in &vetoes {
        let advice = set.nodes[*v].advice.clone().unwrap_or_else(|| "查明一票否决事项的原因,严肃整改".into());
        directions.push(format!("{}:{advice}。", node_label(run, *v)));
    }
    // First-level warnings, one sentence per level; its action only where the total's does not already say it.
    for (i, l) in set.warnings.iter().enumerate() {
        let warned: Vec<String> =
            firsts.iter().filter(|f| f.level == Some(i)).map(|f| node_label(run, f.node)).collect();
        if warned.is_empty() {
            continue;
        }
        let action = match level {
            Some(total) if total.action == l.action => String::new(),
            _ if l.action.is_empty() => ",应重点整改".into(),
            _ => format!(",应{}", l.action),
        };
        directions.push(format!("一级指标{} {} 项:{}{action}。", l.name, warned.len(), warned.join("、")));
    }
    for c in &causes {
        let advice = set.nodes[c.leaf].advice.clone().unwrap_or_else(|| "对照计分规则查找原因,逐项整改".into());
        directions.push(format!("{}:{advice}。", node_label(run, c.leaf)));
    }
    if directions.is_empty() {
        directions.push("各项指标表现良好,保持现有做法。".into());
    }
    for (i, d) in directions.iter().enumerate() {
        page.paragraph(&format!("{}. {d}", i + 1))?;
    }
    Ok(())
}

/// The veto line: "无", or the indicators with the cap: "G9 腐败案件;各项合计 970.12,因一票否决总分上限 599.00".
fn veto_text(run: &Run, e: &UnitEval) -> String {
    if e.vetoed.is_empty() {
        return "无".into();
    }
    let names: Vec<String> = e.vetoed.iter().map(|&v| node_label(run, v)).collect();
    match checkup::veto_cap(e) {
        Some((before, cap)) => format!(
            "{};各项合计 {},因一票否决总分上限 {}",
            names.join("、"),
            fixed(before, run.set.decimals),
            fixed(cap, run.set.decimals)
        ),
        None => names.join("、"),
    }
}

/// A total for the cover: "599.00 红", or "不计分".
fn total_text(run: &Run, total: Option<rust_decimal::Decimal>, level: Option<usize>) -> String {
    match total {
        Some(t) => {
            let short = level.map(|l| format!(" {}", short_level(&run.set.warnings[l].name))).unwrap_or_default();
            format!("{}{short}", fixed(t, run.set.decimals))
        }
        None => "不计分".into(),
    }
}

/// A difference with its sign: "+12.50", "-3.00", "0.00".
fn signed(d: rust_decimal::Decimal, dp: u32) -> String {
    if d > rust_decimal::Decimal::ZERO { format!("+{}", fixed(d, dp)) } else { fixed(d, dp) }
}

/// Why a leaf with no record scored what it did: "未报送数据,按规则计 0 分".
fn no_data_text(run: &Run, leaf: crate::indicators::NodeId) -> String {
    format!("未报送数据,按规则{}", run.set.missing_text(leaf))
}

/// 扣分点: the unit's leaves that lost points, most lost first — the follow-up list.
fn deductions(book: &mut Writer, run: &Run, e: &UnitEval, own: &[&Record]) -> Result<(), XlsxError> {
    let set = run.set;
    let rows = unit_deductions(set, e, own).into_iter().enumerate().map(|(i, d)| {
        let n = &set.nodes[d.leaf];
        let notes = deduction_notes(run, d.leaf, &d.records);
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
/// a confidential station's notes are withheld and say so; without a record,
/// why it scored what it did ("未报送数据,按规则计 0 分").
fn deduction_notes(run: &Run, leaf: crate::indicators::NodeId, records: &[&Record]) -> String {
    if records.is_empty() {
        return no_data_text(run, leaf);
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
    if notes.is_empty() {
        // No note to quote: the values it was scored from (a rate, a grade, answers).
        let mut values: Vec<&str> = Vec::new();
        for r in records {
            if !values.contains(&&*r.raw) {
                values.push(&r.raw);
            }
        }
        let more = if values.len() > 5 { " 等" } else { "" };
        values.truncate(5);
        return format!("记录 {} 条,数值:{}{more}", records.len(), values.join("、"));
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
