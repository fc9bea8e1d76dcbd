//! Renders one unit's history (`zhili history`): a terminal view and a workbook of its results and ledger items.

use super::term;
use crate::analysis::history::Point;
use crate::ledger::{Item, Kept, PROGRESS};
use crate::number::fixed;
use crate::text::inert;
use crate::xlsx::{Styled, Val, Writer};
use comfy_table::{Cell, CellAlignment};
use rust_xlsxwriter::XlsxError;
use std::fmt::Write;

pub const RESULTS_SHEET: &str = "历次评价";
pub const RESULTS_HEADER: [&str; 8] =
    ["期间", "指标体系", "总分", "预警", "排名", "一级指标预警", "一票否决", "结果状态"];
pub const ITEMS_SHEET: &str = "台账问题";
pub const ITEMS_HEADER: [&str; 9] =
    ["问题编号", "指标", "问题类型", "首次发现期间", "最新期间", "最新等级", "状态", "整改状态", "逾期"];

fn total(p: &Point) -> String {
    p.total.map(|t| fixed(t, 2)).unwrap_or_else(|| "不计分".into())
}

/// The terminal view, tables fitted to `width`.
pub fn terminal(unit: &(String, String), points: &[Point], items: Option<&[&Item]>, width: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}) 的历次评价: {} 期", inert(&unit.1), inert(&unit.0), points.len());
    let tables = [true, false].map(|wide| {
        let mut t = term::table(false);
        let mut header = vec!["期间", "总分", "预警", "排名", "一级指标预警"];
        if wide {
            header.push("一票否决");
        }
        t.set_header(header);
        for p in points {
            let provisional = if p.complete { "" } else { " (暂定)" };
            let mut row = vec![
                Cell::new(inert(&format!("{}{provisional}", p.period))),
                Cell::new(total(p)).set_alignment(CellAlignment::Right),
                Cell::new(inert(p.level.as_deref().unwrap_or("—"))),
                Cell::new(p.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into())),
                Cell::new(inert(&if wide { p.warnings.join("、") } else { format!("{} 项", p.warnings.len()) })),
            ];
            if wide {
                row.push(Cell::new(inert(&p.vetoed.join("、"))));
            }
            t.add_row(row);
        }
        t
    });
    let _ = writeln!(out, "{}", term::fitted(tables, width));
    if let Some(items) = items {
        let _ = writeln!(out, "\n问题台账中的问题: {} 项", items.len());
        if !items.is_empty() {
            let tables = [true, false].map(|wide| {
                let mut t = term::table(false);
                let mut header = vec!["问题编号", "指标", "状态", "最新等级", "整改状态", "逾期"];
                if wide {
                    header.insert(2, "首次发现期间");
                }
                t.set_header(header);
                for i in items {
                    let mut row = vec![Cell::new(inert(&i.id)), Cell::new(inert(&i.scope_label))];
                    if wide {
                        row.push(Cell::new(inert(&i.first_period)));
                    }
                    row.extend([
                        Cell::new(i.status.label()),
                        Cell::new(inert(&i.latest_level)),
                        Cell::new(inert(&i.person(PROGRESS).text())),
                        Cell::new(if i.overdue { "逾期" } else { "" }),
                    ]);
                    t.add_row(row);
                }
                t
            });
            let _ = writeln!(out, "{}", term::fitted(tables, width));
        }
    }
    out
}

/// The workbook: 历次评价, and 台账问题 when there is a ledger.
pub fn xlsx(
    unit: &(String, String),
    points: &[Point],
    items: Option<&[&Item]>,
    time: i64,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Writer::new(2, Vec::new(), time, &format!("{} ({}) 监督档案", unit.1, unit.0))?;
    let rows = points.iter().map(|p| {
        vec![
            Val::s(p.period.as_str()).into(),
            Val::s(p.set_name.as_str()).into(),
            p.total.map(Val::N).unwrap_or(Val::s("不计分")).into(),
            Val::s(p.level.as_deref().unwrap_or("无")).into(),
            p.rank.map(|r| Val::I(r as i64)).unwrap_or(Val::Empty).into(),
            Val::s(p.warnings.join("、")).into(),
            Val::s(p.vetoed.join("、")).into(),
            Val::s(if p.complete { "完整" } else { "暂定" }).into(),
        ]
    });
    book.table(RESULTS_SHEET, &RESULTS_HEADER, rows.collect::<Vec<Vec<Styled>>>(), false)?;
    if let Some(items) = items {
        let rows = items.iter().map(|i| {
            let progress = match i.person(PROGRESS) {
                Kept::Empty => String::new(),
                k => k.text(),
            };
            vec![
                Val::s(i.id.as_str()).into(),
                Val::s(i.scope_label.as_str()).into(),
                Val::s(i.kind.as_str()).into(),
                Val::s(i.first_period.as_str()).into(),
                Val::s(i.latest_period.as_str()).into(),
                Val::s(i.latest_level.as_str()).into(),
                Val::s(i.status.label()).into(),
                Val::s(progress).into(),
                Val::s(if i.overdue { "逾期" } else { "" }).into(),
            ]
        });
        book.table(ITEMS_SHEET, &ITEMS_HEADER, rows.collect::<Vec<Vec<Styled>>>(), false)?;
    }
    book.save()
}
