//! The 区域指数 sheet (docs/areas.md): each area's index as `analysis::areas` computed it, formatted.

use super::layout::areas as cols;
use crate::result::{GroupInfo, LevelDef};
use crate::xlsx::write::{Styled, Val, Writer};
use rust_xlsxwriter::XlsxError;

/// Writes 区域指数 when there are areas; `levels` (most severe first) name the levels and give the fills.
pub fn sheet(book: &mut Writer, groups: &[GroupInfo], levels: &[LevelDef]) -> Result<(), XlsxError> {
    if groups.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<Styled>> = groups.iter().map(|g| row(levels, g)).collect();
    book.table(cols::SHEET, &cols::HEADER, rows, false)
}

fn row<'a>(levels: &'a [LevelDef], g: &'a GroupInfo) -> Vec<Styled<'a>> {
    let fill = g.level.as_deref().and_then(|l| levels.iter().position(|d| d.level == l));
    let level = fill.map(|i| levels[i].name.as_str()).unwrap_or("无");
    let rate = g.index.filter(|_| !g.max.is_zero()).map(|i| i / g.max);
    vec![
        Val::s(g.code.as_str()).into(),
        Val::s(g.name.as_str()).into(),
        Val::s(g.parent.as_deref().unwrap_or("")).into(),
        Val::I(g.units as i64).into(),
        Val::I(g.excluded as i64).into(),
        g.index.map(Val::N).unwrap_or(Val::s("不计分")).fill(fill),
        Val::N(g.max).into(),
        rate.map(Val::P).unwrap_or(Val::Empty).into(),
        g.rank.map(|r| Val::I(r as i64)).unwrap_or(Val::Empty).into(),
        Val::s(level).fill(fill),
        Val::s(if g.provisional { "暂定" } else { "" }).into(),
        Val::s(g.level.as_deref().unwrap_or("")).into(),
    ]
}
