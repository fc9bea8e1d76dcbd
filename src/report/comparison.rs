//! Renders a comparison ([`Diff`]): JSON bytes, a terminal table, and a workbook with colour-coded transitions.

use super::layout::comparison as L;
use crate::analysis::compare::{Diff, Transition};
use crate::number::{fixed, plain};
use crate::result::ResultDoc;
use crate::text::{inert, inert_lines};
use crate::xlsx::{Styled, Val, Writer};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Color, Table};
use rust_decimal::Decimal;
use rust_xlsxwriter::XlsxError;
use std::fmt::Write;

pub fn json(diff: &Diff) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(diff).expect("a diff is serialisable");
    out.push(b'\n');
    out
}

fn opt(d: Option<Decimal>) -> String {
    d.map(|d| fixed(d, 2)).unwrap_or_else(|| "—".into())
}

fn signed(d: Option<Decimal>) -> String {
    match d {
        Some(d) if d > Decimal::ZERO => format!("+{}", fixed(d, 2)),
        Some(d) => fixed(d, 2),
        None => "—".into(),
    }
}

fn level_name(doc: &ResultDoc, code: &Option<String>) -> String {
    code.as_ref().map(|c| doc.level(c).map(|l| l.name.clone()).unwrap_or(c.clone())).unwrap_or_else(|| "—".into())
}

/// The order transitions are listed and coloured in.
const TRANSITIONS: [Transition; 6] = [
    Transition::New,
    Transition::Escalated,
    Transition::Persisting,
    Transition::DeEscalated,
    Transition::Resolved,
    Transition::None,
];

fn color(t: Transition) -> Option<Color> {
    match t {
        Transition::New | Transition::Escalated => Some(Color::Red),
        Transition::Persisting => Some(Color::Yellow),
        Transition::DeEscalated => Some(Color::Blue),
        Transition::Resolved => Some(Color::Green),
        Transition::None => None,
    }
}

pub fn terminal(diff: &Diff, old: &ResultDoc, new: &ResultDoc, color_on: bool) -> String {
    let mut out = String::new();
    // Lines outside the table carry names and paths from the inputs: made inert for the terminal.
    macro_rules! text_line {
        ($($arg:tt)*) => {
            let _ = writeln!(out, "{}", inert_lines(&format!($($arg)*)));
        };
    }
    text_line!("比较: {} ({}) → {} ({})", diff.old.period, diff.old.set_name, diff.new.period, diff.new.set_name);
    if diff.identical {
        text_line!("结果完全相同 (identical)。");
        return out;
    }
    if let Some(m) = &diff.method {
        text_line!(
            "\n⚠ 指标体系已变更 (sha256 {} → {}): 分数变化可能来自方法变化而非单位表现。",
            &diff.old.set_sha256.get(..12).unwrap_or(""),
            &diff.new.set_sha256.get(..12).unwrap_or("")
        );
        if !m.added.is_empty() {
            text_line!("  新增指标: {}", m.added.join("、"));
        }
        if !m.removed.is_empty() {
            text_line!("  删除指标: {}", m.removed.join("、"));
        }
        for c in &m.changed {
            let mut what = Vec::new();
            if c.old_max != c.new_max {
                what.push(format!(
                    "满分 {} → {}",
                    c.old_max.map(plain).unwrap_or_default(),
                    c.new_max.map(plain).unwrap_or_default()
                ));
            }
            if c.old_rule != c.new_rule {
                what.push(format!("规则 \"{}\" → \"{}\"", c.old_rule, c.new_rule));
            }
            text_line!("  变更 {} {}: {}", c.code, c.name, what.join(";"));
        }
    }
    if !diff.inputs.is_empty() {
        text_line!("\n输入文件变化 {} 个:", diff.inputs.len());
        for i in &diff.inputs {
            let state = match (&i.old_sha256, &i.new_sha256) {
                (Some(_), None) => "已删除",
                (None, Some(_)) => "新增",
                _ => "内容不同",
            };
            text_line!("  {state} {}", i.path);
        }
    }
    if !diff.added.is_empty() {
        text_line!("\n新增单位: {}", diff.added.join("、"));
    }
    if !diff.removed.is_empty() {
        text_line!("移除单位: {}", diff.removed.join("、"));
    }
    if !diff.units.is_empty() {
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED);
        if color_on {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table.set_header(vec!["单位代码", "单位名称", "总分 (旧→新)", "变化", "预警 (旧→新)", "转变", "排名 (旧→新)"]);
        for u in &diff.units {
            let mut t = Cell::new(u.transition.label());
            if let (true, Some(c)) = (color_on, color(u.transition)) {
                t = t.fg(c);
            }
            let rank = |r: Option<u32>| r.map(|r| r.to_string()).unwrap_or_else(|| "—".into());
            table.add_row(vec![
                Cell::new(inert(&u.code)),
                Cell::new(inert(&u.name)),
                Cell::new(format!("{} → {}", opt(u.old_total), opt(u.new_total))).set_alignment(CellAlignment::Right),
                Cell::new(signed(u.delta)).set_alignment(CellAlignment::Right),
                Cell::new(inert(&format!("{} → {}", level_name(old, &u.old_level), level_name(new, &u.new_level)))),
                t,
                Cell::new(format!("{} → {}", rank(u.old_rank), rank(u.new_rank))),
            ]);
        }
        let _ = writeln!(out, "\n总分、预警或排名有变化的单位 {} 个:\n{table}", diff.units.len());
        let counts: Vec<String> = TRANSITIONS
            .iter()
            .filter(|t| **t != Transition::None)
            .map(|t| format!("{} {}", t.label(), diff.units.iter().filter(|u| u.transition == *t).count()))
            .collect();
        text_line!("{}", counts.join(" · "));
    }
    if let Some(ind) = &diff.indicators {
        for (unit, changes) in ind {
            let list: Vec<String> = changes
                .iter()
                .map(|c| format!("{} {}→{} ({})", c.code, opt(c.old), opt(c.new), signed(c.delta)))
                .collect();
            text_line!("  {unit}: {}", list.join(";"));
        }
    }
    out
}

/// The diff workbook: 单位变化 (transitions filled by colour), 指标变化, 方法变更, 输入变化.
pub fn xlsx(diff: &Diff, old: &ResultDoc, new: &ResultDoc, time: i64) -> Result<Vec<u8>, XlsxError> {
    use rust_xlsxwriter::Color as X;
    // Fill index = position in TRANSITIONS.
    let fills = vec![
        X::RGB(0xFF9999),
        X::RGB(0xFF7C80),
        X::RGB(0xFFE699),
        X::RGB(0x9DC3E6),
        X::RGB(0xA9D08E),
        X::RGB(0xFFFFFF),
    ];
    let mut book = Writer::new(2, fills, time, &format!("zhili diff {} → {}", diff.old.period, diff.new.period))?;
    let rows = diff.units.iter().map(|u| {
        let fill = TRANSITIONS.iter().position(|t| *t == u.transition).filter(|_| u.transition != Transition::None);
        let n = |d: Option<Decimal>| d.map(Val::N).unwrap_or(Val::Empty).into();
        let rank = |r: Option<u32>| r.map(|r| Val::I(r as i64)).unwrap_or(Val::Empty).into();
        vec![
            Val::s(u.code.as_str()).into(),
            Val::s(u.name.as_str()).into(),
            n(u.old_total),
            n(u.new_total),
            n(u.delta),
            Val::s(level_name(old, &u.old_level)).into(),
            Val::s(level_name(new, &u.new_level)).into(),
            Val::s(u.transition.label()).fill(fill),
            rank(u.old_rank),
            rank(u.new_rank),
        ]
    });
    book.table(L::UNITS, &L::UNITS_HEADER, rows.collect::<Vec<_>>(), false)?;

    let mut detail: Vec<Vec<Styled>> = Vec::new();
    for (unit, changes) in diff.indicators.iter().flatten() {
        for c in changes {
            let n = |d: Option<Decimal>| d.map(Val::N).unwrap_or(Val::Empty).into();
            detail.push(vec![
                Val::s(unit.clone()).into(),
                Val::s(c.code.clone()).into(),
                n(c.old),
                n(c.new),
                n(c.delta),
            ]);
        }
    }
    book.table(L::SCORES, &L::SCORES_HEADER, detail, false)?;

    let mut method: Vec<Vec<Styled>> = Vec::new();
    if let Some(m) = &diff.method {
        for a in &m.added {
            method.push(vec![Val::s("新增").into(), Val::s(a.clone()).into(), Val::Empty.into(), Val::Empty.into()]);
        }
        for r in &m.removed {
            method.push(vec![Val::s("删除").into(), Val::s(r.clone()).into(), Val::Empty.into(), Val::Empty.into()]);
        }
        for c in &m.changed {
            let show = |m: Option<Decimal>, r: &str| format!("满分 {};{r}", m.map(plain).unwrap_or_default());
            method.push(vec![
                Val::s("变更").into(),
                Val::s(c.code.clone()).into(),
                Val::s(show(c.old_max, &c.old_rule)).into(),
                Val::s(show(c.new_max, &c.new_rule)).into(),
            ]);
        }
    }
    book.table(L::METHOD, &L::METHOD_HEADER, method, false)?;
    let inputs = diff.inputs.iter().map(|i| {
        vec![
            Val::s(i.path.clone()).into(),
            Val::s(i.old_sha256.clone().unwrap_or_default()).into(),
            Val::s(i.new_sha256.clone().unwrap_or_default()).into(),
        ]
    });
    book.table(L::INPUTS, &L::INPUTS_HEADER, inputs.collect::<Vec<_>>(), false)?;
    book.save()
}
