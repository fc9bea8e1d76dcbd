//! The workbook of a project of several sets (docs/multi-set.md): every unit with its set and score rate
//! (综合), the sets (各指标体系) and the areas over all units (区域指数). Formats `analysis::sets`' picture.

use super::layout::sets as cols;
use crate::result::{LevelDef, SetsDoc};
use crate::xlsx::write::{Styled, Val, Writer};
use rust_xlsxwriter::{Color, XlsxError};

/// The workbook's bytes. `levels` (the first set's, most severe first) give the fills; a unit's level is
/// filled by its code's place among them.
pub fn render(
    doc: &SetsDoc,
    levels: &[LevelDef],
    fills: Vec<Color>,
    time: i64,
    issuer: Option<&str>,
    dp: u32,
) -> Result<Vec<u8>, XlsxError> {
    let provisional = if doc.complete { "" } else { " (暂定)" };
    let period = crate::period::Period::parse(&doc.period).map(|p| p.chinese()).unwrap_or_else(|_| doc.period.clone());
    let title = format!("{}各类单位综合评价 {period}{provisional}", issuer.unwrap_or(""));
    let mut book = Writer::new(dp, fills, time, &title)?;
    book.no_print = &cols::CODE_COLUMNS;
    // Filled numbers also name their level ("56.00 红"), so a black-and-white print still tells them apart.
    book.fill_labels = levels.iter().map(|w| crate::xlsx::write::short_level(&w.name)).collect();
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
                Val::s(shown_level(u)).fill(fill),
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

/// A unit's level as shown: its name, and the vetoes that set it ("红色预警 (一票否决 X1)").
fn shown_level(u: &crate::result::SetUnit) -> String {
    let name = u.level_name.as_deref().unwrap_or("无");
    if u.vetoed.is_empty() { name.to_string() } else { format!("{name} (一票否决 {})", u.vetoed.join("、")) }
}

/// The picture in the terminal: each set's units and mean score rate, then the areas (indented by depth).
pub fn terminal(doc: &SetsDoc, levels: &[LevelDef], color: bool, width: usize) -> String {
    use std::fmt::Write as _;
    // A rate has 4 places, so a percentage has 2: shown with both.
    let pct = |r: rust_decimal::Decimal| format!("{:.2}%", r * rust_decimal::Decimal::ONE_HUNDRED);
    let mut out = String::new();
    let provisional = if doc.complete { "" } else { " · 暂定" };
    let _ = writeln!(
        out,
        "【综合】{} 套指标体系 · {} 个单位 · 评价期间 {}{provisional}",
        doc.sets.len(),
        doc.units.len(),
        doc.period
    );
    let mut sets = super::term::table(color);
    sets.set_header(["体系", "指标体系", "单位", "平均得分率", "有预警"]);
    for s in &doc.sets {
        let mean = s.mean_rate.map(pct).unwrap_or_else(|| "—".into());
        sets.add_row([s.key.clone(), s.name.clone(), s.units.to_string(), mean, s.warned.to_string()]);
    }
    let _ = writeln!(out, "{}", super::term::fitted([sets], width));
    if !doc.groups.is_empty() {
        let mut areas = super::term::table(color);
        areas.set_header(["区域", "单位", "指数", "同级排名", "预警"]);
        for g in &doc.groups {
            let indent = "  ".repeat(g.code.matches('/').count());
            let index = g.index.map(|i| format!("{i}/{}", g.max.normalize())).unwrap_or_else(|| "不计分".into());
            let level = g.level.as_deref().and_then(|l| levels.iter().find(|d| d.level == l));
            let level = level.map(|d| d.name.clone()).unwrap_or_else(|| "—".into());
            areas.add_row([
                format!("{indent}{}", g.name),
                g.units.to_string(),
                index,
                g.rank.map(|r| r.to_string()).unwrap_or_default(),
                level,
            ]);
        }
        let _ = writeln!(out, "{}", super::term::fitted([areas], width));
    }
    out
}
