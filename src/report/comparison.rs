//! Renders a comparison ([`Diff`]): JSON bytes, a terminal table, and a workbook with colour-coded transitions.

use super::layout::comparison as L;
use super::term;
use crate::analysis::compare::{Diff, Transition, UnitChange};
use crate::number::{fixed, plain};
use crate::result::ResultDoc;
use crate::text::{inert, inert_lines};
use crate::xlsx::write::short_level;
use crate::xlsx::{Styled, Val, Writer};
use comfy_table::{Cell, CellAlignment, Color};
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

/// The comparison for the terminal, tables fitted to `width` columns.
pub fn terminal(diff: &Diff, old: &ResultDoc, new: &ResultDoc, color_on: bool, width: usize) -> String {
    let mut out = String::new();
    // Lines outside the table carry names and paths from the inputs: made inert for the terminal.
    macro_rules! text_line {
        ($($arg:tt)*) => {
            let _ = writeln!(out, "{}", inert_lines(&format!($($arg)*)));
        };
    }
    let side = |s: &crate::analysis::compare::Side| {
        let version = if s.set_version.is_empty() { String::new() } else { format!(" {}", s.set_version) };
        format!("{} · {}{version}", s.period, s.set_name)
    };
    text_line!("比较 (旧 → 新):\n  旧: {}\n  新: {}", side(&diff.old), side(&diff.new));
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
    if diff.units.is_empty() {
        text_line!("\n无变更:没有单位的总分、预警或排名变化。");
    }
    // One table per category, the most pressing moves first (the order of `compare::diff`).
    let mut start = 0;
    while start < diff.units.len() {
        let category = &diff.units[start].category;
        let end = start + diff.units[start..].iter().take_while(|u| &u.category == category).count();
        let units = &diff.units[start..end];
        start = end;
        text_line!("\n【{category}】{} 个单位有变化:", units.len());
        // Narrower and narrower until it fits: drop 单位代码, shorten levels and moves, drop the ranks,
        // then show only the new total beside the change.
        let variants = [
            (true, true, false, true),
            (false, true, false, true),
            (false, true, true, true),
            (false, false, true, true),
            (false, false, true, false),
        ];
        let tables = variants.iter().map(|&(code, rank, short, both)| {
            let mut table = term::table(color_on);
            let mut header = Vec::new();
            if code {
                header.push("单位代码".to_string());
            }
            header.extend([
                "单位名称".to_string(),
                if both { format!("总分 {}→{}", diff.old.period, diff.new.period) } else { "新总分".into() },
                "变化".into(),
                if short { "预警" } else { "预警 (旧→新)" }.into(),
                "转变".into(),
                "一级指标".into(),
            ]);
            if rank {
                header.push("排名 (旧→新)".into());
            }
            table.set_header(header);
            for u in units {
                let mut t = Cell::new(inert(&transition_text(u, short)));
                if let (true, Some(c)) = (color_on, color(u.transition)) {
                    t = t.fg(c);
                }
                let level = |doc: &ResultDoc, l: &Option<String>| {
                    if short { short_name(doc, l) } else { level_name(doc, l) }
                };
                let rank_text = |r: Option<u32>| r.map(|r| r.to_string()).unwrap_or_else(|| "—".into());
                let firsts =
                    if u.first_levels.is_empty() { "—".into() } else { format!("{} 项", u.first_levels.len()) };
                let level_pair = if short {
                    format!("{}→{}", level(old, &u.old_level), level(new, &u.new_level))
                } else {
                    format!("{} → {}", level(old, &u.old_level), level(new, &u.new_level))
                };
                let mut row = Vec::new();
                if code {
                    row.push(Cell::new(inert(&u.code)));
                }
                row.extend([
                    Cell::new(inert(&u.name)),
                    Cell::new(if both {
                        format!("{} → {}", opt(u.old_total), opt(u.new_total))
                    } else {
                        opt(u.new_total)
                    })
                    .set_alignment(CellAlignment::Right),
                    Cell::new(signed(u.delta)).set_alignment(CellAlignment::Right),
                    Cell::new(inert(&level_pair)),
                    t,
                    Cell::new(firsts).set_alignment(CellAlignment::Right),
                ]);
                if rank {
                    row.push(Cell::new(format!("{} → {}", rank_text(u.old_rank), rank_text(u.new_rank))));
                }
                table.add_row(row);
            }
            table
        });
        let _ = writeln!(out, "{}", term::fitted(tables, width));
        // The first-level moves behind the "一级指标" counts, one unit per line.
        for u in units.iter().filter(|u| !u.first_levels.is_empty()) {
            let moves: Vec<String> = u
                .first_levels
                .iter()
                .map(|f| {
                    format!(
                        "{} {} {}→{}",
                        f.scope,
                        f.name,
                        short_name(old, &f.old_level),
                        short_name(new, &f.new_level)
                    )
                })
                .collect();
            let lines = term::pack(&moves, "、", width.saturating_sub(6));
            for (i, line) in lines.iter().enumerate() {
                let lead = if i == 0 { format!("  {} 一级指标: ", u.name) } else { "    ".into() };
                text_line!("{lead}{line}");
            }
        }
    }
    if !diff.units.is_empty() {
        let counts: Vec<String> = TRANSITIONS
            .iter()
            .filter(|t| **t != Transition::None)
            .map(|t| format!("{} {}", t.label(), diff.units.iter().filter(|u| u.transition == *t).count()))
            .collect();
        text_line!("\n总分预警: {}", counts.join(" · "));
    }
    if let Some(ind) = &diff.indicators {
        text_line!("\n指标得分变化 (--detail):");
        if ind.is_empty() {
            text_line!("  无变更");
        }
        let tables = [true, false].map(|with_name| {
            let mut table = term::table(color_on);
            let mut header = vec!["单位", "指标"];
            if with_name {
                header.push("指标名称");
            }
            header.extend([diff.old.period.as_str(), diff.new.period.as_str(), "变化"]);
            table.set_header(header);
            for (unit, changes) in ind {
                let name = new.unit(unit).or_else(|| old.unit(unit)).map(|u| u.name.as_str()).unwrap_or("");
                for (i, c) in changes.iter().enumerate() {
                    let who = if i == 0 { format!("{unit} {name}") } else { String::new() };
                    let mut row = vec![Cell::new(inert(&who)), Cell::new(inert(&c.code))];
                    if with_name {
                        row.push(Cell::new(inert(&c.name)));
                    }
                    row.extend([
                        Cell::new(opt(c.old)).set_alignment(CellAlignment::Right),
                        Cell::new(opt(c.new)).set_alignment(CellAlignment::Right),
                        Cell::new(signed(c.delta)).set_alignment(CellAlignment::Right),
                    ]);
                    table.add_row(row);
                }
            }
            table
        });
        if !ind.is_empty() {
            let _ = writeln!(out, "{}", term::fitted(tables, width));
        }
    }
    out
}

/// "预警升级 (一票否决 G9)": the move, and a veto that explains it.
fn transition_text(u: &UnitChange, short: bool) -> String {
    let mut t = if short { u.transition.short_label() } else { u.transition.label() }.to_string();
    if !u.vetoes_added.is_empty() {
        t += &format!(" ({} {})", if short { "否决" } else { "一票否决" }, u.vetoes_added.join("、"));
    }
    if !u.vetoes_removed.is_empty() {
        t += &format!(" (否决解除 {})", u.vetoes_removed.join("、"));
    }
    t
}

/// A level's short name ("蓝"), or "无".
fn short_name(doc: &ResultDoc, code: &Option<String>) -> String {
    match code {
        Some(c) => short_level(&doc.level(c).map(|l| l.name.clone()).unwrap_or(c.clone())),
        None => "无".into(),
    }
}

/// The diff workbook: 单位变化 (transitions filled by colour), 一级指标预警变化, 指标变化, 方法变更, 输入变化.
/// Each header naming 旧/新 says which period; a sheet with nothing to list says 无变更.
pub fn xlsx(diff: &Diff, old: &ResultDoc, new: &ResultDoc, time: i64) -> Result<Vec<u8>, XlsxError> {
    use rust_xlsxwriter::Color as X;
    // Fill index = position in TRANSITIONS.
    let fills = vec![
        X::RGB(crate::xlsx::write::RED),
        X::RGB(0xC00000),
        X::RGB(crate::xlsx::write::YELLOW),
        X::RGB(crate::xlsx::write::BLUE),
        X::RGB(crate::xlsx::write::GREEN),
        X::RGB(0xFFFFFF),
    ];
    let title = format!("{} 比较 {} → {}", diff.new.set_name, diff.old.period, diff.new.period);
    let mut book = Writer::new(2, fills, time, &title)?;
    let header = |h: &[&str]| -> Vec<String> {
        h.iter()
            .map(|h| match h.chars().next() {
                Some('旧') => format!("{h} ({})", diff.old.period),
                Some('新') => format!("{h} ({})", diff.new.period),
                _ => h.to_string(),
            })
            .collect()
    };
    let fill_of = |t: Transition| TRANSITIONS.iter().position(|x| *x == t).filter(|_| t != Transition::None);
    let n = |d: Option<Decimal>| -> Styled { d.map(Val::N).unwrap_or(Val::Empty).into() };
    let rows = diff.units.iter().map(|u| {
        let rank = |r: Option<u32>| -> Styled { r.map(|r| Val::I(r as i64)).unwrap_or(Val::Empty).into() };
        let firsts: Vec<String> = u
            .first_levels
            .iter()
            .map(|f| format!("{} {}→{}", f.scope, short_name(old, &f.old_level), short_name(new, &f.new_level)))
            .collect();
        let mut veto = Vec::new();
        if !u.vetoes_added.is_empty() {
            veto.push(format!("新触发 {}", u.vetoes_added.join("、")));
        }
        if !u.vetoes_removed.is_empty() {
            veto.push(format!("解除 {}", u.vetoes_removed.join("、")));
        }
        vec![
            Val::s(u.category.as_str()).into(),
            Val::s(u.code.as_str()).into(),
            Val::s(u.name.as_str()).into(),
            n(u.old_total),
            n(u.new_total),
            n(u.delta),
            Val::s(level_name(old, &u.old_level)).into(),
            Val::s(level_name(new, &u.new_level)).into(),
            Val::s(u.transition.label()).fill(fill_of(u.transition)),
            Val::s(veto.join(";")).into(),
            Val::s(firsts.join("、")).into(),
            rank(u.old_rank),
            rank(u.new_rank),
        ]
    });
    sheet(&mut book, L::UNITS, &header(&L::UNITS_HEADER), rows.collect(), L::NO_CHANGE)?;

    let rows = diff.units.iter().flat_map(|u| {
        u.first_levels.iter().map(move |f| {
            vec![
                Val::s(u.category.as_str()).into(),
                Val::s(u.code.as_str()).into(),
                Val::s(u.name.as_str()).into(),
                Val::s(f.scope.as_str()).into(),
                Val::s(f.name.as_str()).into(),
                Val::s(level_name(old, &f.old_level)).into(),
                Val::s(level_name(new, &f.new_level)).into(),
                Val::s(f.transition.label()).fill(fill_of(f.transition)),
            ]
        })
    });
    sheet(&mut book, L::FIRST_LEVELS, &header(&L::FIRST_LEVELS_HEADER), rows.collect(), L::NO_CHANGE)?;

    let mut detail: Vec<Vec<Styled>> = Vec::new();
    for (unit, changes) in diff.indicators.iter().flatten() {
        let name = new.unit(unit).or_else(|| old.unit(unit)).map(|u| u.name.clone()).unwrap_or_default();
        for c in changes {
            detail.push(vec![
                Val::s(unit.clone()).into(),
                Val::s(name.clone()).into(),
                Val::s(c.code.clone()).into(),
                Val::s(c.name.clone()).into(),
                n(c.old),
                n(c.new),
                n(c.delta),
            ]);
        }
    }
    let empty = if diff.indicators.is_some() { L::NO_CHANGE } else { L::NOT_LISTED };
    sheet(&mut book, L::SCORES, &header(&L::SCORES_HEADER), detail, empty)?;

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
    sheet(&mut book, L::METHOD, &header(&L::METHOD_HEADER), method, L::NO_CHANGE)?;
    let inputs = diff.inputs.iter().map(|i| {
        vec![
            Val::s(i.path.clone()).into(),
            Val::s(i.old_sha256.clone().unwrap_or_default()).into(),
            Val::s(i.new_sha256.clone().unwrap_or_default()).into(),
        ]
    });
    sheet(&mut book, L::INPUTS, &header(&L::INPUTS_HEADER), inputs.collect(), L::SAME_INPUTS)?;
    book.save()
}

/// A table, or its header and one row saying why it is empty (`empty`: 无变更 …).
fn sheet<'a>(
    book: &mut Writer,
    name: &str,
    header: &[String],
    rows: Vec<Vec<Styled<'a>>>,
    empty: &'static str,
) -> Result<(), XlsxError> {
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = if rows.is_empty() { vec![vec![Val::s(empty).into()]] } else { rows };
    book.table(name, &header, rows, false)
}
