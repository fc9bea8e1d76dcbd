//! Station templates (填报模板): the workbook each station fills in and sends back.
//!
//! A template is a station workbook that `zhili score` already reads
//! (docs/workbooks.md), written with the readers' own names (`station`,
//! `roster`): 信息 with 监测站 and 期间, and 数据 with the data header. Rows
//! that expect a value (linear, grade, direct) are pre-filled with period,
//! unit and indicator, so the clerk only types values; blank values are
//! skipped silently, so an untouched template scores as "no data". Help
//! columns (单位名称(参考), 指标名称(参考)) are ignored by the reader.

use crate::indicators::{IndicatorSet, NodeId, Rule, Survey};
use crate::number::plain;
use crate::period::Period;
use crate::roster::Roster;
use crate::rules::describe::linear_text;
use crate::station::{COL_INDICATOR, COL_ITEM, COL_NOTE, COL_PERIOD, COL_UNIT, COL_VALUE, DATA_SHEET, INFO_SHEET};
use crate::station::{KEY_PERIOD, KEY_STATION, KEY_SUBMITTED};
use crate::xlsx::{Styled, Val, Writer};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, DataValidationRule, Formula, XlsxError};

/// Data rows (pre-filled and blank) that carry drop-downs and input messages.
pub const DATA_ROWS: u32 = 2000;

/// The roster's header (the 单位 reference sheet, and `zhili init`'s blank roster).
pub const ROSTER_HEADER: [&str; 3] = [crate::roster::CODE[0], crate::roster::NAME[0], crate::roster::CATEGORY[0]];

/// The columns of the 数据 sheet: the reader's names, with two help columns it ignores.
pub const DATA_HEADER: [&str; 8] = [
    COL_PERIOD[0],
    COL_UNIT[0],
    "单位名称(参考)",
    COL_INDICATOR[0],
    "指标名称(参考)",
    COL_ITEM[0],
    COL_VALUE[0],
    COL_NOTE[0],
];
const UNIT_COL: u16 = 1;
const INDICATOR_COL: u16 = 3;
const ITEM_COL: u16 = 5;
const VALUE_COL: u16 = 6;
/// The fill index of cells to type into.
const INPUT: usize = 0;

/// The leaves a station collects that apply to some unit, in display order.
pub fn station_leaves(set: &IndicatorSet, roster: &Roster, station: usize) -> Vec<NodeId> {
    set.leaves()
        .filter(|(id, l)| l.station == station && roster.units.iter().any(|u| set.nodes[*id].applies[u.category]))
        .map(|(id, _)| id)
        .collect()
}

/// One indicator set's share of a station's template: the set, the units it scores, the station's index in it.
#[derive(Clone, Copy)]
pub struct Part<'a> {
    pub set: &'a IndicatorSet,
    pub roster: &'a Roster,
    pub station: usize,
}

/// Renders one station's template.
pub fn render(
    set: &IndicatorSet,
    roster: &Roster,
    station: usize,
    period: Period,
    time: i64,
) -> Result<Vec<u8>, XlsxError> {
    render_parts(&[Part { set, roster, station }], period, time)
}

/// Renders the template of a station that serves several indicator sets of a project (docs/multi-set.md):
/// one workbook holding every set's rows, so the station sends one file per period. The station's code,
/// name and frequency are the first part's.
pub fn render_parts(parts: &[Part], period: Period, time: i64) -> Result<Vec<u8>, XlsxError> {
    let Part { set, station, .. } = parts[0];
    let st = &set.stations[station];
    let several = parts.len() > 1;
    // The one "fill" in a template marks the cells the clerk types into.
    let colors = vec![rust_xlsxwriter::Color::RGB(0xFFF2CC)];
    let mut book = Writer::new(set.decimals, colors, time, &format!("{} {} 填报模板 {period}", st.code, st.name))?;
    let p = period.to_string();

    // 信息: the two keys score reads, and two rows for the station.
    let info: Vec<Vec<Styled>> = vec![
        vec![
            Val::s(KEY_STATION[0]).into(),
            Val::s(st.code.as_str()).into(),
            Val::s(format!("{} (请勿修改)", st.name)).into(),
        ],
        vec![Val::s(KEY_PERIOD[0]).into(), Val::s(p.clone()).into(), Val::s("本表数据所属期间 (请勿修改)").into()],
        vec![Val::s("填报人").into(), Val::Empty.into(), Val::s("请填写").into()],
        vec![
            Val::s(KEY_SUBMITTED[0]).into(),
            Val::Empty.into(),
            Val::s("报送时填写,如 2024-10-08 或 2024-10-08 14:30;更正后重新报送时填写新的日期").into(),
        ],
        vec![
            Val::s("填写方法").into(),
            Val::s("在“数据”表中填写").into(),
            Val::s("已预填单位和指标的行只需填“数值”;事件、问卷等请在下方空行逐条填写 (期间留空即为本期)。各指标的计分方法见“指标说明”。").into(),
        ],
    ];
    book.key_values(INFO_SHEET[0], &["项目", "内容", "说明"], info)?;

    // 数据: pre-filled rows for value rules, set by set, in indicator then roster order.
    let leaves: Vec<Vec<NodeId>> = parts.iter().map(|q| station_leaves(q.set, q.roster, q.station)).collect();
    let mut blocks: Vec<(usize, NodeId, u32, u32)> = Vec::new();
    let mut rows: Vec<Vec<Styled>> = Vec::new();
    for (k, (q, leaves)) in parts.iter().zip(&leaves).enumerate() {
        for &id in leaves.iter().filter(|&&id| q.set.leaf(id).is_some_and(|l| l.rule.expects_value())) {
            let node = &q.set.nodes[id];
            let first = rows.len() as u32 + 1;
            for u in q.roster.units.iter().filter(|u| node.applies[u.category]) {
                rows.push(vec![
                    Val::s(p.clone()).into(),
                    Val::s(u.code.as_str()).into(),
                    Val::s(u.name.as_str()).into(),
                    Val::s(node.code.as_str()).into(),
                    Val::s(node.name.as_str()).into(),
                    Val::Empty.into(),
                    Val::Empty.fill(Some(INPUT)),
                    Val::Empty.into(),
                ]);
            }
            blocks.push((k, id, first, rows.len() as u32));
        }
    }
    let prefilled = rows.len() as u32;
    book.table(DATA_SHEET[0], &DATA_HEADER, rows, false)?;

    // 指标说明 and 单位, for reference (with several sets, each row names its set first).
    let mut explain_header =
        vec!["指标代码", "指标路径", "满分", "计分规则", "事项及分值", "适用类别", "“数值”怎么填", "未填报时"];
    if several {
        explain_header.insert(0, "指标体系");
    }
    let explain = parts
        .iter()
        .zip(&leaves)
        .flat_map(|(q, leaves)| {
            leaves.iter().map(move |&id| {
                let mut row = explain_row(q.set, id);
                if several {
                    row.insert(0, Val::s(q.set.name.as_str()).into());
                }
                row
            })
        })
        .collect::<Vec<_>>();
    book.table("指标说明", &explain_header, explain, false)?;
    let unit_rows = parts.iter().flat_map(|q| {
        q.roster.units.iter().map(|u| {
            vec![
                Val::s(u.code.as_str()).into(),
                Val::s(u.name.as_str()).into(),
                Val::s(q.set.categories[u.category].name.as_str()).into(),
            ]
        })
    });
    book.table(crate::roster::SHEET[0], &ROSTER_HEADER, unit_rows.collect::<Vec<_>>(), false)?;

    // 选项 (hidden): the lists behind the drop-downs.
    let units: Vec<&str> = parts
        .iter()
        .zip(&leaves)
        .flat_map(|(q, leaves)| {
            q.roster
                .units
                .iter()
                .filter(move |u| leaves.iter().any(|&id| q.set.nodes[id].applies[u.category]))
                .map(|u| u.code.as_str())
        })
        .collect();
    let mut codes: Vec<&str> = Vec::new();
    for (q, leaves) in parts.iter().zip(&leaves) {
        for &id in leaves {
            if !codes.contains(&q.set.nodes[id].code.as_str()) {
                codes.push(q.set.nodes[id].code.as_str());
            }
        }
    }
    let items: Vec<String> = parts
        .iter()
        .zip(&leaves)
        .flat_map(|(q, leaves)| leaves.iter().map(move |&id| (q.set, id)))
        .filter_map(|(set, id)| match &set.leaf(id)?.rule {
            Rule::Points(p) if !p.implicit => Some(p.items.iter().map(|i| i.code.clone()).collect::<Vec<_>>()),
            Rule::Points(_)
            | Rule::Linear { .. }
            | Rule::Grade { .. }
            | Rule::Survey(_)
            | Rule::Direct { .. }
            | Rule::Veto(_) => None,
        })
        .flatten()
        .fold(Vec::new(), |mut acc, c| {
            if !acc.contains(&c) {
                acc.push(c);
            }
            acc
        });
    let longest = units.len().max(codes.len()).max(items.len());
    let options = (0..longest).map(|i| {
        let cell = |list: &[&str]| list.get(i).map(|s| Val::s(s.to_string())).unwrap_or(Val::Empty).into();
        let item_refs: Vec<&str> = items.iter().map(String::as_str).collect();
        vec![cell(&units), cell(&codes), cell(&item_refs)]
    });
    book.table("选项", &["单位代码", "指标代码", "事项"], options.collect::<Vec<_>>(), false)?;

    // Drop-downs and input messages on 数据.
    let last = prefilled.max(1) + DATA_ROWS;
    let ws = book.wb.worksheet_from_name(DATA_SHEET[0])?;
    // Room to type in, whatever the pre-filled rows held.
    for (col, width) in [(ITEM_COL, 12.0), (VALUE_COL, 12.0), (VALUE_COL + 1, 30.0)] {
        ws.set_column_width(col, width)?;
    }
    let list = |col: &str, n: usize| Formula::new(format!("=选项!${col}$2:${col}${}", n + 1));
    if !units.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(list("A", units.len()))
            .set_input_title("单位代码")?
            .set_input_message("从下拉列表选择单位代码 (对照“单位”表)。")?
            .set_error_title("单位代码无效")?
            .set_error_message("请从下拉列表中选择本监测站负责的单位代码。")?;
        ws.add_data_validation(1, UNIT_COL, last, UNIT_COL, &dv)?;
    }
    if !codes.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(list("B", codes.len()))
            .set_input_title("指标代码")?
            .set_input_message("从下拉列表选择本监测站负责的指标代码 (含义见“指标说明”)。")?
            .set_error_title("指标代码无效")?
            .set_error_message("请从下拉列表中选择本监测站负责的指标代码。")?;
        ws.add_data_validation(1, INDICATOR_COL, last, INDICATOR_COL, &dv)?;
    }
    if !items.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(list("C", items.len()))
            .set_input_title("事项")?
            .set_input_message("多事项的加减分指标必须选择事项代码;其他指标留空。")?;
        ws.add_data_validation(1, ITEM_COL, last, ITEM_COL, &dv)?;
    }
    for (k, id, first, last_row) in blocks {
        if let Some(dv) = value_validation(parts[k].set, id)? {
            ws.add_data_validation(first, VALUE_COL, last_row, VALUE_COL, &dv)?;
        }
    }
    // The blank rows' help: one set's answers list, or (several sets) the general message.
    let blank = if several { blank_rows_generic(parts, &leaves)? } else { blank_rows_validation(set, &leaves[0])? };
    if let Some(dv) = blank {
        ws.add_data_validation(prefilled + 1, VALUE_COL, last, VALUE_COL, &dv)?;
    }
    book.wb.worksheet_from_name("选项")?.set_hidden(true);
    book.wb.worksheet_from_name(DATA_SHEET[0])?.set_active(true);
    book.save()
}

/// The value drop-down or range for a block of pre-filled rows.
fn value_validation(set: &IndicatorSet, id: NodeId) -> Result<Option<DataValidation>, XlsxError> {
    let node = &set.nodes[id];
    let max = node.max.unwrap_or_default();
    let Some(leaf) = set.leaf(id) else { return Ok(None) };
    let title: String = format!("{} 数值", node.code).chars().take(32).collect();
    let dv = match &leaf.rule {
        Rule::Grade { grades } => {
            let labels: Vec<&str> = grades.iter().map(|(l, _)| l.as_str()).collect();
            if labels.iter().map(|l| l.len() + 1).sum::<usize>() > 255 {
                return Ok(None);
            }
            DataValidation::new()
                .allow_list_strings(&labels)?
                .set_input_message(format!("选择等级: {}", labels.join("、")))?
        }
        Rule::Direct { .. } => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, max.to_f64().unwrap_or(0.0)))
            .set_input_message(format!("直接填写得分,0 到 {} 分。", plain(max)))?,
        Rule::Linear { zero_at, full_at, .. } => DataValidation::new()
            .allow_any_value()
            .set_input_message(format!("填写数值 (可写 95% 或 0.95)。{}", linear_text(*zero_at, *full_at, max)))?,
        Rule::Points(_) | Rule::Survey(_) | Rule::Veto(_) => return Ok(None),
    };
    Ok(Some(dv.set_input_title(title)?.set_error_title("数值无效")?))
}

/// For the blank rows of a several-set template: the general message, when any set has rows to add.
fn blank_rows_generic(parts: &[Part], leaves: &[Vec<NodeId>]) -> Result<Option<DataValidation>, XlsxError> {
    let any = parts
        .iter()
        .zip(leaves)
        .any(|(q, leaves)| leaves.iter().filter_map(|&id| q.set.leaf(id)).any(|l| !l.rule.expects_value()));
    if !any {
        return Ok(None);
    }
    Ok(Some(DataValidation::new().allow_any_value().set_input_title("数值")?.set_input_message(BLANK_ROWS)?))
}

/// What the blank rows are for.
const BLANK_ROWS: &str = "事件类指标: 每件填一行,数值填次数 (留空表示 1 次);范围事项填分值。问卷: 每份答卷填一行。";

/// For the blank rows: survey answers as a (non-blocking) list when every
/// blank-row leaf of the station is a survey with the same answers.
fn blank_rows_validation(set: &IndicatorSet, leaves: &[NodeId]) -> Result<Option<DataValidation>, XlsxError> {
    let rules: Vec<&Rule> =
        leaves.iter().filter_map(|&id| set.leaf(id)).map(|l| &l.rule).filter(|r| !r.expects_value()).collect();
    let surveys: Vec<&Survey> = rules
        .iter()
        .filter_map(|r| match r {
            Rule::Survey(s) => Some(s),
            Rule::Points(_) | Rule::Linear { .. } | Rule::Grade { .. } | Rule::Direct { .. } | Rule::Veto(_) => None,
        })
        .collect();
    let first = match surveys.first() {
        Some(s)
            if surveys.len() == rules.len()
                && surveys.iter().all(|o| o.answers == s.answers && o.lo == s.lo && o.hi == s.hi) =>
        {
            s
        }
        _ => {
            if rules.is_empty() {
                return Ok(None);
            }
            return Ok(Some(
                DataValidation::new().allow_any_value().set_input_title("数值")?.set_input_message(BLANK_ROWS)?,
            ));
        }
    };
    let mut choices: Vec<String> = first.answers.iter().map(|(a, _)| a.clone()).collect();
    if first.lo.fract().is_zero() && first.hi.fract().is_zero() && first.hi - first.lo <= Decimal::from(10) {
        let (lo, hi) = (first.lo.to_i64().unwrap_or(0), first.hi.to_i64().unwrap_or(0));
        choices.extend((lo..=hi).map(|v| v.to_string()));
    }
    if choices.iter().map(|c| c.len() + 1).sum::<usize>() > 255 {
        return Ok(None);
    }
    let dv = DataValidation::new()
        .allow_list_strings(&choices)?
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_input_title("问卷答案")?
        .set_input_message(format!("每份答卷填一行: 选择答案,或填 {}–{} 的数字。", plain(first.lo), plain(first.hi)))?;
    Ok(Some(dv))
}

/// One 指标说明 row: code, path, max, rule, items, categories, how to fill, missing.
fn explain_row<'a>(set: &'a IndicatorSet, id: NodeId) -> Vec<Styled<'a>> {
    let node = &set.nodes[id];
    let mut path = vec![format!("{} {}", node.code, node.name)];
    let mut at = node.parent;
    while let Some(p) = at {
        path.push(format!("{} {}", set.nodes[p].code, set.nodes[p].name));
        at = set.nodes[p].parent;
    }
    path.reverse();
    let cats: Vec<&str> =
        set.categories.iter().enumerate().filter(|(c, _)| node.applies[*c]).map(|(_, c)| c.name.as_str()).collect();
    let (rule, items, fill) = set.describe(id);
    let missing = set.missing_text(id);
    vec![
        Val::s(node.code.as_str()).into(),
        Val::s(path.join(" > ")).into(),
        node.max.map(Val::N).unwrap_or(Val::s("—")).into(),
        Val::s(rule).into(),
        Val::s(items).into(),
        Val::s(cats.join("、")).into(),
        Val::s(fill).into(),
        Val::s(missing).into(),
    ]
}
