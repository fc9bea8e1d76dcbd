//! The workbook of a project of several sets (docs/multi-set.md): every unit with its set and score rate
//! (综合), the sets (各指标体系) and the areas over all units (区域指数). Formats `analysis::sets`' picture.

use super::layout::sets as cols;
use crate::result::{LevelDef, SetsDoc};
use crate::xlsx::write::{Styled, Val, Writer};
use rust_xlsxwriter::{Color, XlsxError};

/// The workbook's bytes. `levels` (the first set's, most severe first) give the fills; a unit's level is
/// filled by its code's place among them.
pub fn render(doc: &SetsDoc, levels: &[LevelDef], fills: Vec<Color>, time: i64, dp: u32) -> Result<Vec<u8>, XlsxError> {
    let provisional = if doc.complete { "" } else { " (暂定)" };
    let mut book = Writer::new(dp, fills, time, &format!("综合 {}{provisional}", doc.period))?;
    let set_order = |key: &str| doc.sets.iter().position(|s| s.key == key).unwrap_or(usize::MAX);
    let cat_order = |key: &str, cat: &str| {
        doc.sets.iter().find(|s| s.key == key).and_then(|s| s.categories.iter().position(|c| c.code == cat))
    };
    let mut units: Vec<_> = doc.units.iter().collect();
    units.sort_by_key(|u| {
        (set_order(&u.set), cat_order(&u.set, &u.category), u.rank.unwrap_or(u32::MAX), u.code.clone())
    });
    let rows: Vec<Vec<Styled>> = units
        .iter()
        .map(|u| {
            let set = doc.sets.iter().find(|s| s.key == u.set);
            let category = set
                .and_then(|s| s.categories.iter().find(|c| c.code == u.category))
                .map(|c| c.name.as_str())
                .unwrap_or(&u.category);
            let fill = u.level.as_deref().and_then(|l| levels.iter().position(|d| d.level == l));
            vec![
                Val::s(u.code.as_str()).into(),
                Val::s(u.name.as_str()).into(),
                Val::s(category).into(),
                Val::s(set.map(|s| s.name.as_str()).unwrap_or("")).into(),
                u.rank.map(|r| Val::I(r as i64)).unwrap_or(Val::Empty).into(),
                u.total.map(Val::N).unwrap_or(Val::s("不计分")).fill(fill),
                u.max.map(Val::N).unwrap_or(Val::Empty).into(),
                u.rate.map(Val::P).unwrap_or(Val::Empty).fill(fill),
                Val::s(u.level_name.as_deref().unwrap_or("无")).fill(fill),
                Val::s(u.level.as_deref().unwrap_or("")).into(),
                Val::s(u.set.as_str()).into(),
            ]
        })
        .collect();
    book.table(cols::SHEET, &cols::HEADER, rows, false)?;
    let rows: Vec<Vec<Styled>> = doc
        .sets
        .iter()
        .map(|s| {
            let cats: Vec<&str> = s.categories.iter().map(|c| c.name.as_str()).collect();
            vec![
                Val::s(s.key.as_str()).into(),
                Val::s(s.name.as_str()).into(),
                Val::s(s.version.as_str()).into(),
                s.scale.map(Val::N).unwrap_or(Val::Empty).into(),
                Val::s(cats.join("、")).into(),
                Val::I(s.units as i64).into(),
                Val::s(if s.complete { "完整" } else { "暂定" }).into(),
                Val::s(s.result.as_deref().unwrap_or("")).into(),
                Val::s(s.sha256.as_str()).into(),
            ]
        })
        .collect();
    book.table(cols::SETS_SHEET, &cols::SETS_HEADER, rows, false)?;
    super::areas::sheet(&mut book, &doc.groups, levels)?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    book.save_to(&mut bytes)?;
    Ok(bytes.into_inner())
}
