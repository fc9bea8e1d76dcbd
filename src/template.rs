//! Station templates (填报模板): the workbook each station fills in and sends back.
//!
//! A template is a station workbook that `zhili score` already reads (SPEC
//! §3.2): 信息 with 监测站 and 期间, and 数据 with the SPEC header. Rows that
//! expect a value (linear, grade, direct) are pre-filled with period, unit and
//! indicator, so the clerk only types values; blank values are skipped
//! silently (SPEC §3.3), so an untouched template scores as "no data". Help
//! columns (单位名称(参考), 指标名称(参考)) are ignored by the reader.

use crate::indicators::{Amount, Combine, IndicatorSet, Missing, NodeId, Rule};
use crate::number::plain;
use crate::period::Period;
use crate::report::sheet::{Book, C, V};
use crate::roster::Roster;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, DataValidationRule, Formula, XlsxError};

/// Data rows (pre-filled and blank) that carry drop-downs and input messages.
pub const DATA_ROWS: u32 = 2000;

/// The columns of the 数据 sheet.
pub const DATA_HEADER: [&str; 8] =
    ["期间", "单位代码", "单位名称(参考)", "指标代码", "指标名称(参考)", "事项", "数值", "说明"];
const COL_UNIT: u16 = 1;
const COL_INDICATOR: u16 = 3;
const COL_ITEM: u16 = 5;
const COL_VALUE: u16 = 6;
/// The fill index of cells to type into.
const INPUT: usize = 0;

/// The leaves a station collects that apply to some unit, in display order.
pub fn station_leaves(set: &IndicatorSet, roster: &Roster, station: usize) -> Vec<NodeId> {
    set.leaves()
        .filter(|(id, l)| l.station == station && roster.units.iter().any(|u| set.nodes[*id].applies[u.category]))
        .map(|(id, _)| id)
        .collect()
}

/// Whether a rule expects one value per unit (pre-filled rows) rather than events or answers.
fn expects_value(rule: &Rule) -> bool {
    matches!(rule, Rule::Linear { .. } | Rule::Grade { .. } | Rule::Direct { .. })
}

/// Renders one station's template.
pub fn render(
    set: &IndicatorSet,
    roster: &Roster,
    station: usize,
    period: Period,
    time: i64,
) -> Result<Vec<u8>, XlsxError> {
    let st = &set.stations[station];
    let leaves = station_leaves(set, roster, station);
    // The one "fill" in a template marks the cells the clerk types into.
    let colors = vec![rust_xlsxwriter::Color::RGB(0xFFF2CC)];
    let mut book = Book::new(set.decimals, colors, time, &format!("{} {} 填报模板 {period}", st.code, st.name))?;
    let p = period.to_string();

    // 信息: the two keys score reads, and two rows for the station.
    let info: Vec<Vec<C>> = vec![
        vec![V::s("监测站").into(), V::s(st.code.as_str()).into(), V::s(format!("{} (请勿修改)", st.name)).into()],
        vec![V::s("期间").into(), V::s(p.clone()).into(), V::s("本表数据所属期间 (请勿修改)").into()],
        vec![V::s("填报人").into(), V::Empty.into(), V::s("请填写").into()],
        vec![V::s("填报日期").into(), V::Empty.into(), V::s("请填写").into()],
        vec![
            V::s("填写方法").into(),
            V::s("在“数据”表中填写").into(),
            V::s("已预填单位和指标的行只需填“数值”;事件、问卷等请在下方空行逐条填写 (期间留空即为本期)。各指标的计分方法见“指标说明”。").into(),
        ],
    ];
    book.table("信息", &["项目", "内容", "说明"], info, false)?;

    // 数据: pre-filled rows for value rules, in indicator then roster order.
    let mut blocks: Vec<(NodeId, u32, u32)> = Vec::new();
    let mut rows: Vec<Vec<C>> = Vec::new();
    for &id in leaves.iter().filter(|&&id| set.leaf(id).is_some_and(|l| expects_value(&l.rule))) {
        let node = &set.nodes[id];
        let first = rows.len() as u32 + 1;
        for u in roster.units.iter().filter(|u| node.applies[u.category]) {
            rows.push(vec![
                V::s(p.clone()).into(),
                V::s(u.code.as_str()).into(),
                V::s(u.name.as_str()).into(),
                V::s(node.code.as_str()).into(),
                V::s(node.name.as_str()).into(),
                V::Empty.into(),
                V::Empty.fill(Some(INPUT)),
                V::Empty.into(),
            ]);
        }
        blocks.push((id, first, rows.len() as u32));
    }
    let prefilled = rows.len() as u32;
    book.table("数据", &DATA_HEADER, rows, false)?;

    // 指标说明 and 单位, for reference.
    let explain = leaves.iter().map(|&id| explain_row(set, id)).collect::<Vec<_>>();
    book.table(
        "指标说明",
        &["指标代码", "指标路径", "满分", "计分规则", "事项及分值", "适用类别", "“数值”怎么填", "未填报时"],
        explain,
        false,
    )?;
    let unit_rows = roster.units.iter().map(|u| {
        vec![
            V::s(u.code.as_str()).into(),
            V::s(u.name.as_str()).into(),
            V::s(set.categories[u.category].name.as_str()).into(),
        ]
    });
    book.table("单位", &["单位代码", "单位名称", "类别"], unit_rows.collect::<Vec<_>>(), false)?;

    // 选项 (hidden): the lists behind the drop-downs.
    let units: Vec<&str> = roster
        .units
        .iter()
        .filter(|u| leaves.iter().any(|&id| set.nodes[id].applies[u.category]))
        .map(|u| u.code.as_str())
        .collect();
    let codes: Vec<&str> = leaves.iter().map(|&id| set.nodes[id].code.as_str()).collect();
    let items: Vec<String> = leaves
        .iter()
        .filter_map(|&id| match &set.leaf(id)?.rule {
            Rule::Points(p) if !p.implicit => Some(p.items.iter().map(|i| i.code.clone()).collect::<Vec<_>>()),
            _ => None,
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
        let cell = |list: &[&str]| list.get(i).map(|s| V::s(s.to_string())).unwrap_or(V::Empty).into();
        let item_refs: Vec<&str> = items.iter().map(String::as_str).collect();
        vec![cell(&units), cell(&codes), cell(&item_refs)]
    });
    book.table("选项", &["单位代码", "指标代码", "事项"], options.collect::<Vec<_>>(), false)?;

    // Drop-downs and input messages on 数据.
    let last = prefilled.max(1) + DATA_ROWS;
    let ws = book.wb.worksheet_from_name("数据")?;
    // Room to type in, whatever the pre-filled rows held.
    for (col, width) in [(COL_ITEM, 12.0), (COL_VALUE, 12.0), (COL_VALUE + 1, 30.0)] {
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
        ws.add_data_validation(1, COL_UNIT, last, COL_UNIT, &dv)?;
    }
    if !codes.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(list("B", codes.len()))
            .set_input_title("指标代码")?
            .set_input_message("从下拉列表选择本监测站负责的指标代码 (含义见“指标说明”)。")?
            .set_error_title("指标代码无效")?
            .set_error_message("请从下拉列表中选择本监测站负责的指标代码。")?;
        ws.add_data_validation(1, COL_INDICATOR, last, COL_INDICATOR, &dv)?;
    }
    if !items.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(list("C", items.len()))
            .set_input_title("事项")?
            .set_input_message("多事项的加减分指标必须选择事项代码;其他指标留空。")?;
        ws.add_data_validation(1, COL_ITEM, last, COL_ITEM, &dv)?;
    }
    for (id, first, last_row) in blocks {
        if let Some(dv) = value_validation(set, id)? {
            ws.add_data_validation(first, COL_VALUE, last_row, COL_VALUE, &dv)?;
        }
    }
    if let Some(dv) = blank_rows_validation(set, &leaves)? {
        ws.add_data_validation(prefilled + 1, COL_VALUE, last, COL_VALUE, &dv)?;
    }
    book.wb.worksheet_from_name("选项")?.set_hidden(true);
    book.wb.worksheet_from_name("数据")?.set_active(true);
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
        _ => return Ok(None),
    };
    Ok(Some(dv.set_input_title(title)?.set_error_title("数值无效")?))
}

/// For the blank rows: survey answers as a (non-blocking) list when every
/// blank-row leaf of the station is a survey with the same answers.
fn blank_rows_validation(set: &IndicatorSet, leaves: &[NodeId]) -> Result<Option<DataValidation>, XlsxError> {
    let rules: Vec<&Rule> =
        leaves.iter().filter_map(|&id| set.leaf(id)).map(|l| &l.rule).filter(|r| !expects_value(r)).collect();
    let surveys: Vec<&crate::indicators::Survey> =
        rules.iter().filter_map(|r| if let Rule::Survey(s) = r { Some(s) } else { None }).collect();
    let message = "事件类指标: 每件填一行,数值填次数 (留空表示 1 次);范围事项填分值。问卷: 每份答卷填一行。";
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
                DataValidation::new().allow_any_value().set_input_title("数值")?.set_input_message(message)?,
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
fn explain_row<'a>(set: &'a IndicatorSet, id: NodeId) -> Vec<C<'a>> {
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
    let leaf = set.leaf(id);
    let (rule, items, fill) = leaf.map(|l| describe(set, &l.rule, node.max)).unwrap_or_default();
    let missing = match leaf.map(|l| (&l.rule, l.missing)) {
        Some((Rule::Points(p), _)) => if p.base_max { "没有事件即得满分" } else { "没有事件得 0 分" }.to_string(),
        Some((Rule::Veto(_), _)) => "没有记录即未触发".to_string(),
        Some((_, Missing::Zero)) => "计 0 分".to_string(),
        Some((_, Missing::Full)) => "计满分".to_string(),
        Some((_, Missing::Exclude)) => "不计分,上级指标按其余指标折算".to_string(),
        None => String::new(),
    };
    vec![
        V::s(node.code.as_str()).into(),
        V::s(path.join(" > ")).into(),
        node.max.map(V::N).unwrap_or(V::s("—")).into(),
        V::s(rule).into(),
        V::s(items).into(),
        V::s(cats.join("、")).into(),
        V::s(fill).into(),
        V::s(missing).into(),
    ]
}

fn pct_or_plain(v: Decimal, as_pct: bool) -> String {
    if as_pct { format!("{}%", plain(v * Decimal::ONE_HUNDRED)) } else { plain(v) }
}

fn linear_text(z: Decimal, f: Decimal, max: Decimal) -> String {
    let pct = (Decimal::ZERO..=Decimal::ONE).contains(&z) && (Decimal::ZERO..=Decimal::ONE).contains(&f);
    let (zs, fs) = (pct_or_plain(z, pct), pct_or_plain(f, pct));
    if z < f {
        format!("{zs} 及以下得 0 分,{fs} 及以上得满分 {} 分,之间按比例计分", plain(max))
    } else {
        format!("{zs} 及以上得 0 分,{fs} 及以下得满分 {} 分,之间按比例计分 (越低越好)", plain(max))
    }
}

fn combine_text(c: Combine) -> &'static str {
    match c {
        Combine::Mean => "多条记录取平均",
        Combine::Sum => "多条记录相加",
        Combine::Min => "多条记录取最小值",
        Combine::Max => "多条记录取最大值",
        Combine::Last => "多条记录取最后一期",
    }
}

/// A one-line summary of a leaf's rule (rule, items, missing-data policy), used
/// to tell whether a method changed between two results.
pub fn rule_summary(set: &IndicatorSet, id: NodeId) -> String {
    let Some(leaf) = set.leaf(id) else { return String::new() };
    let (rule, items, _) = describe(set, &leaf.rule, set.nodes[id].max);
    let missing = match (&leaf.rule, leaf.missing) {
        (Rule::Points(_) | Rule::Veto(_), _) => "",
        (_, Missing::Zero) => ";缺失计0分",
        (_, Missing::Full) => ";缺失计满分",
        (_, Missing::Exclude) => ";缺失不计分",
    };
    let items = if items.is_empty() { String::new() } else { format!(";{items}") };
    format!("{}: {rule}{items}{missing}", leaf.rule.name())
}

/// The rule in plain Chinese: (计分规则, 事项及分值, “数值”怎么填).
pub fn describe(set: &IndicatorSet, rule: &Rule, max: Option<Decimal>) -> (String, String, String) {
    let max = max.unwrap_or_default();
    match rule {
        Rule::Points(p) => {
            let amount = |a: &Amount, deduct: bool| {
                let verb = if deduct { "扣" } else { "加" };
                match a {
                    Amount::Per(x) => format!("每次{verb}{}分", plain(*x)),
                    Amount::Range(lo, hi) => format!("{verb}{}–{}分", plain(*lo), plain(*hi)),
                }
            };
            let base =
                if p.base_max { format!("基础分为满分 {} 分", plain(max)) } else { "基础分为 0".into() };
            if p.implicit {
                let it = &p.items[0];
                let bound = if it.deduct { "扣完为止" } else { "加满为止" };
                let fill = match it.amount {
                    Amount::Per(_) => "每发生一次填一行,数值填次数 (留空表示 1 次)",
                    Amount::Range(..) => "每发生一次填一行,数值填该次的分值",
                };
                (format!("{},{bound} ({base})", amount(&it.amount, it.deduct)), String::new(), fill.into())
            } else {
                let list: Vec<String> = p
                    .items
                    .iter()
                    .map(|i| {
                        let cap = i.cap.map(|c| format!(",最多 {} 分", plain(c))).unwrap_or_default();
                        format!("{} {}: {}{cap}", i.code, i.name, amount(&i.amount, i.deduct))
                    })
                    .collect();
                (
                    format!("按事项加减分,得分在 0 到 {} 分之间 ({base})", plain(max)),
                    list.join(";"),
                    "每件事填一行,“事项”选事项代码;按次计分的事项数值填次数 (留空为 1 次),按范围计分的填分值".into(),
                )
            }
        }
        Rule::Linear { combine, zero_at, full_at } => (
            format!("{};{}", linear_text(*zero_at, *full_at, max), combine_text(*combine)),
            String::new(),
            "填数值,可写 95% 或 0.95".into(),
        ),
        Rule::Grade { grades } => {
            let list: Vec<String> = grades.iter().map(|(l, p)| format!("{l}={}分", plain(*p))).collect();
            (format!("按等级计分: {};多条记录取平均", list.join("、")), String::new(), "选择等级".into())
        }
        Rule::Survey(s) => {
            let answers: Vec<String> = s.answers.iter().map(|(a, v)| format!("{a}={}", plain(*v))).collect();
            let ans = if answers.is_empty() { String::new() } else { format!(",或答案 {}", answers.join("、")) };
            (
                format!(
                    "问卷: 得分 = 满分 × (平均分 − {lo}) / ({hi} − {lo});至少 {} 份有效问卷",
                    s.min_responses,
                    lo = plain(s.lo),
                    hi = plain(s.hi)
                ),
                String::new(),
                format!("每份答卷填一行: 数值填 {}–{} 的数字{ans}", plain(s.lo), plain(s.hi)),
            )
        }
        Rule::Direct { combine } => (
            format!("直接赋分 (第三方评估),0 到 {} 分;{}", plain(max), combine_text(*combine)),
            String::new(),
            format!("填写得分,0 到 {} 分", plain(max)),
        ),
        Rule::Veto(v) => {
            let mut effects = Vec::new();
            if let Some(c) = v.cap_total {
                effects.push(format!("总分不超过 {} 分", plain(c)));
            }
            if let Some(l) = v.level {
                effects.push(format!("预警至少为{}", set.warnings[l].name));
            }
            (
                format!("一票否决: 发生即触发,{}", effects.join(",")),
                String::new(),
                "发生时填一行 (数值留空或填次数;0 表示没有)".into(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rules_in_plain_chinese() {
        assert_eq!(linear_text(d("0.6"), d("1"), d("10")), "60% 及以下得 0 分,100% 及以上得满分 10 分,之间按比例计分");
        assert_eq!(
            linear_text(d("10"), d("0"), d("15")),
            "10 及以上得 0 分,0 及以下得满分 15 分,之间按比例计分 (越低越好)"
        );
        let set = crate::indicators::parse(
            b"name = \"x\"\nscale = 10\n[[category]]\ncode = \"t\"\nname = \"t\"\n[[station]]\ncode = \"S\"\nname = \"s\"\n\
              [[indicator]]\ncode = \"A\"\nname = \"a\"\nmax = 10\nstation = \"S\"\nrule = \"points\"\ndeduct = 2\n",
        )
        .unwrap();
        let (rule, _, fill) = describe(&set, &set.leaf(0).unwrap().rule, Some(d("10")));
        assert_eq!(rule, "每次扣2分,扣完为止 (基础分为满分 10 分)");
        assert!(fill.contains("留空表示 1 次"));
    }
}
