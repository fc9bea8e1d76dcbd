//! 摘要, the report's first sheet (docs/report.md): what a commission leader reads — title, issuer and date,
//! 核心结论, then the statistics behind each sentence. It formats a [`Summary`]; it computes nothing.

use super::layout::brief as B;
use super::provenance::Provenance;
use crate::analysis::conclusions;
use crate::analysis::statistics::{CHANGE_ORDER, Stats, Summary};
use crate::run::Run;
use crate::xlsx::write::{Styled, Val, Writer, local_date};
use rust_xlsxwriter::XlsxError;

/// Column widths of the page: a wide first column for names, then narrow number columns.
fn widths(levels: usize) -> Vec<f64> {
    let n = B::CATEGORY_HEAD.len() + levels + B::CATEGORY_TAIL.len();
    let mut w = vec![18.0];
    w.extend(std::iter::repeat_n(9.5, n - 1));
    w
}

/// The title: "龙口市政治生态分析评价 2024年第四季度 评价结果" (+ " (暂定)").
pub fn title(run: &Run) -> String {
    let provisional = if run.loaded.complete { "" } else { " (暂定)" };
    format!("{} {} {}{provisional}", run.set.name, run.eval.window.chinese(), B::TITLE_SUFFIX)
}

pub fn sheet(book: &mut Writer, run: &Run, prov: &Provenance, s: &Summary) -> Result<(), XlsxError> {
    let set = run.set;
    let mut page = book.page(B::SHEET, &widths(set.warnings.len()))?;
    page.title(&title(run))?;
    let date = local_date(prov.time, prov.utc_offset);
    page.subtitle(&match &prov.issuer {
        Some(issuer) => format!("{issuer}    {date}"),
        None => date,
    })?;
    if let Some(why) = &s.provisional {
        page.subtitle(&format!("暂定结果:{why}"))?;
    }

    page.heading(B::CONCLUSIONS)?;
    for (i, sentence) in conclusions::conclusions(s).iter().enumerate() {
        page.paragraph(&format!("{}. {sentence}", i + 1))?;
    }

    page.heading(B::CATEGORIES)?;
    let mut header: Vec<&str> = B::CATEGORY_HEAD.to_vec();
    header.extend(set.warnings.iter().map(|w| w.name.as_str()));
    header.extend(B::CATEGORY_TAIL);
    let mut rows: Vec<Vec<Styled>> = s.categories.iter().map(|(name, st)| stats_row(name, st)).collect();
    if s.categories.len() > 1 {
        rows.push(stats_row(B::ALL, &s.overall));
    }
    page.table(&header, rows, false)?;

    page.heading(B::RATES)?;
    let rows = s.rates.iter().map(|r| {
        vec![
            Val::s(r.name.as_str()).into(),
            Val::s(r.code.as_str()).into(),
            Val::P(r.mean_rate).into(),
            Val::I(r.scored as i64).into(),
            Val::I(r.warned as i64).into(),
        ]
    });
    page.table(&B::RATES_HEAD, rows.collect(), false)?;

    page.heading(B::LOSSES)?;
    if s.losses.is_empty() {
        page.paragraph(B::NONE)?;
    } else {
        let rows = s.losses.iter().map(|l| {
            vec![
                Val::s(l.name.as_str()).into(),
                Val::s(l.code.as_str()).into(),
                Val::N(l.lost).into(),
                Val::I(l.losing as i64).into(),
                Val::s(l.first_level.as_str()).into(),
            ]
        });
        page.table(&B::LOSSES_HEAD, rows.collect(), true)?;
    }

    page.heading(B::ATTENTION)?;
    let attention = s.attention();
    if attention.is_empty() {
        page.paragraph(B::NONE)?;
    } else {
        let rows = attention.into_iter().map(|(u, why)| {
            let level = u.level.map(|l| set.warnings[l].name.as_str()).unwrap_or("无");
            vec![
                Val::s(u.name.as_str()).into(),
                Val::s(u.code.as_str()).into(),
                Val::s(u.category.as_str()).into(),
                u.total.map(Val::N).unwrap_or(Val::s("不计分")).into(),
                Val::s(level).fill(u.level),
                Val::s(why.join(";")).into(),
            ]
        });
        page.table(&B::ATTENTION_HEAD, rows.collect(), true)?;
    }

    if let Some(c) = &s.changes {
        page.heading(&format!("{}({})", B::CHANGES, c.previous))?;
        let rows = CHANGE_ORDER
            .iter()
            .zip(&c.counts)
            .map(|(t, (_, n))| vec![Val::s(t.label()).into(), Val::I(*n as i64).into()]);
        page.table(&B::CHANGES_HEAD, rows.collect(), false)?;
    }
    Ok(())
}

fn stats_row<'a>(name: &'a str, st: &Stats) -> Vec<Styled<'a>> {
    let num = |d: Option<rust_decimal::Decimal>| d.map(Val::N).unwrap_or(Val::Empty).into();
    let mut row: Vec<Styled> = vec![
        Val::s(name).into(),
        Val::I(st.units as i64).into(),
        Val::I(st.scored as i64).into(),
        num(st.mean),
        num(st.median),
        num(st.min),
        num(st.max),
    ];
    row.extend(st.levels.iter().map(|&n| Val::I(n as i64).into()));
    row.push(Val::I(st.unwarned as i64).into());
    row.push(Val::I(st.vetoed as i64).into());
    row
}
