//! Follow-up across periods: the 趋势 sheet (纵向监测) and the 整改跟踪 rectification ledger.

use super::Run;
use super::rows::node_label;
use super::sheet::{Book, C, V};
use crate::diff::{Transition, transition};
use crate::engine::UnitEval;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, XlsxError};

pub const TREND_SHEET: &str = "趋势";
pub const LEDGER_SHEET: &str = "整改跟踪";

/// Longitudinal flags for one unit across the trend: a total that fell in two
/// consecutive sub-periods, a warning level that worsened.
pub fn trend_flags(run: &Run, unit: usize) -> Vec<&'static str> {
    let totals: Vec<Option<Decimal>> = run.trend.iter().map(|p| p.eval.units[unit].total).collect();
    let levels: Vec<Option<usize>> = run.trend.iter().map(|p| p.eval.units[unit].level).collect();
    let mut flags = Vec::new();
    let fell_twice = totals.windows(3).any(|w| matches!(w, [Some(a), Some(b), Some(c)] if b < a && c < b));
    if fell_twice {
        flags.push("连续两期下降");
    }
    let worsened = levels.windows(2).any(|w| match (w[0], w[1]) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b < a,
        _ => false,
    });
    if worsened {
        flags.push("预警升级");
    }
    flags
}

/// 趋势: each unit's total and level per sub-period, its flags, and a line chart
/// of totals for the units that had a warning in any sub-period.
pub fn trend_sheet(book: &mut Book, run: &Run) -> Result<(), XlsxError> {
    let set = run.set;
    let labels: Vec<String> = run.trend.iter().map(|p| p.period.to_string()).collect();
    let mut header = vec!["单位代码", "单位名称", "类别"];
    header.extend(labels.iter().map(String::as_str));
    header.push("纵向监测");
    let units = run.units_by_code();
    let rows = units.iter().map(|e| {
        let u = &run.roster.units[e.unit];
        let mut row: Vec<C> = vec![
            V::s(u.code.as_str()).into(),
            V::s(u.name.as_str()).into(),
            V::s(set.categories[u.category].name.as_str()).into(),
        ];
        for p in run.trend {
            let pe = &p.eval.units[e.unit];
            row.push(pe.total.map(V::N).unwrap_or(V::s("不计分")).fill(pe.level));
        }
        row.push(V::s(trend_flags(run, e.unit).join("、")).into());
        row
    });
    book.table(TREND_SHEET, &header, rows.collect::<Vec<_>>(), false)?;

    let warned: Vec<(usize, &&UnitEval)> = units
        .iter()
        .enumerate()
        .filter(|(_, e)| run.trend.iter().any(|p| p.eval.units[e.unit].level.is_some()))
        .take(20)
        .collect();
    if !warned.is_empty() && run.trend.len() > 1 {
        let mut chart = Chart::new(ChartType::Line);
        let (first, last) = (3u16, 3 + run.trend.len() as u16 - 1);
        for (i, e) in &warned {
            let row = *i as u32 + 1;
            chart
                .add_series()
                .set_categories((TREND_SHEET, 0, first, 0, last))
                .set_values((TREND_SHEET, row, first, row, last))
                .set_name(run.roster.units[e.unit].name.as_str());
        }
        chart.title().set_name("有预警单位的总分趋势");
        chart.y_axis().set_min(0.0);
        chart.set_width(720).set_height(360);
        let ws = book.wb.worksheet_from_name(TREND_SHEET)?;
        ws.insert_chart(units.len() as u32 + 3, 0, &chart)?;
    }
    Ok(())
}

/// One line of the rectification ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerLine {
    pub unit: usize,
    /// A node code, or "total".
    pub scope: String,
    pub previous_level: Option<String>,
    pub previous_score: Option<Decimal>,
    pub current_level: Option<usize>,
    pub current_score: Option<Decimal>,
    pub status: Transition,
}

/// Every warning of the previous period with where it stands now, then every new warning.
pub fn ledger(run: &Run) -> Vec<LedgerLine> {
    let Some(prev) = run.previous else { return Vec::new() };
    let set = run.set;
    let severity = |code: &str| set.warnings.iter().position(|w| w.level == code).unwrap_or(usize::MAX);
    let mut lines = Vec::new();
    for e in run.units_by_code() {
        let code = &run.roster.units[e.unit].code;
        let now = |scope: &str| {
            e.warnings
                .iter()
                .find(|w| match w.scope {
                    Some(id) => set.nodes[id].code == scope,
                    None => scope == "total",
                })
                .map(|w| (w.level, w.score))
        };
        let current_score = |scope: &str| match set.node(scope) {
            Some(id) => e.scores[id].value(),
            None if scope == "total" => e.total,
            None => None,
        };
        let before = prev.units.get(code).map(|u| u.warnings.as_slice()).unwrap_or_default();
        for (scope, level, score, _) in before {
            let current = now(scope);
            let status =
                transition(Some(level.as_str()), current.map(|(l, _)| set.warnings[l].level.as_str()), severity);
            lines.push(LedgerLine {
                unit: e.unit,
                scope: scope.clone(),
                previous_level: Some(level.clone()),
                previous_score: Some(*score),
                current_level: current.map(|(l, _)| l),
                current_score: current.map(|(_, s)| s).or_else(|| current_score(scope)),
                status,
            });
        }
        for w in &e.warnings {
            let scope = w.scope.map(|id| set.nodes[id].code.clone()).unwrap_or_else(|| "total".into());
            if !before.iter().any(|(s, ..)| *s == scope) {
                let previous_score = prev
                    .units
                    .get(code)
                    .and_then(|u| if scope == "total" { u.total } else { u.scores.get(&scope).copied() });
                lines.push(LedgerLine {
                    unit: e.unit,
                    scope,
                    previous_level: None,
                    previous_score,
                    current_level: Some(w.level),
                    current_score: Some(w.score),
                    status: Transition::New,
                });
            }
        }
    }
    lines
}

/// 整改跟踪: the follow-up list the office works from.
pub fn ledger_sheet(book: &mut Book, run: &Run, fills: &LedgerFills) -> Result<(), XlsxError> {
    let Some(prev) = run.previous else { return Ok(()) };
    let set = run.set;
    let header = [
        "单位代码",
        "单位名称",
        "范围",
        "上期得分",
        "上期预警",
        "上期处置措施",
        "本期得分",
        "本期预警",
        "整改状态",
        "本期处置措施",
    ];
    let rows = ledger(run).into_iter().map(|l| {
        let u = &run.roster.units[l.unit];
        let scope = match set.node(&l.scope) {
            Some(id) => node_label(run, id),
            None if l.scope == "total" => "总分".into(),
            None => l.scope.clone(),
        };
        let prev_level = l.previous_level.as_deref().and_then(|c| prev.level(c));
        let status = match l.status {
            Transition::Resolved => "已解除",
            Transition::Persisting => "未解除",
            Transition::Escalated => "升级",
            Transition::DeEscalated => "降级 (仍有预警)",
            Transition::New => "新增",
            Transition::None => "",
        };
        let num = |d: Option<Decimal>| d.map(V::N).unwrap_or(V::Empty).into();
        vec![
            V::s(u.code.as_str()).into(),
            V::s(u.name.as_str()).into(),
            V::s(scope).into(),
            num(l.previous_score),
            V::s(prev_level.map(|p| p.name.clone()).unwrap_or_default()).into(),
            V::s(prev_level.map(|p| p.action.clone()).unwrap_or_default()).into(),
            num(l.current_score),
            V::s(l.current_level.map(|c| set.warnings[c].name.clone()).unwrap_or_else(|| "无".into()))
                .fill(l.current_level),
            V::s(status).fill(fills.of(l.status)),
            V::s(l.current_level.map(|c| set.warnings[c].action.clone()).unwrap_or_default()).into(),
        ]
    });
    book.table(LEDGER_SHEET, &header, rows.collect::<Vec<_>>(), false)?;
    Ok(())
}

/// Fill indices (into the book's colours) for ledger statuses.
pub struct LedgerFills {
    /// Index of the "resolved" (green) fill.
    pub resolved: usize,
    /// The most severe warning level's fill, for escalations and new warnings.
    pub alarm: usize,
}

impl LedgerFills {
    fn of(&self, t: Transition) -> Option<usize> {
        match t {
            Transition::Resolved => Some(self.resolved),
            Transition::Escalated | Transition::New => Some(self.alarm),
            _ => None,
        }
    }
}
