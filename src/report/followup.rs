//! Follow-up across periods: the 趋势 sheet (纵向监测) and the 整改跟踪 rectification ledger.

use super::layout;
use super::rows::node_label;
use crate::analysis::compare::Transition;
use crate::analysis::rectification::ledger;
use crate::analysis::trend;
use crate::engine::UnitEval;
use crate::result::TOTAL_SCOPE;
use crate::run::Run;
use crate::xlsx::{Styled, Val, Writer};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Chart, ChartLine, ChartLineDashType, ChartMarker, ChartMarkerType, ChartType, XlsxError};

const TREND_SHEET: &str = layout::trend::SHEET;

const MARKERS: [ChartMarkerType; 6] = [
    ChartMarkerType::Square,
    ChartMarkerType::Diamond,
    ChartMarkerType::Triangle,
    ChartMarkerType::X,
    ChartMarkerType::Circle,
    ChartMarkerType::Star,
];
const DASHES: [ChartLineDashType; 4] =
    [ChartLineDashType::Solid, ChartLineDashType::Dash, ChartLineDashType::RoundDot, ChartLineDashType::DashDot];

/// 趋势: each unit's total and level per sub-period, its flags, and a line chart
/// of totals for the units that had a warning in any sub-period.
pub fn trend_sheet(book: &mut Writer, run: &Run) -> Result<(), XlsxError> {
    let set = run.set;
    let labels: Vec<String> = run.trend.iter().map(|p| p.period.to_string()).collect();
    let mut header = layout::trend::HEAD.to_vec();
    header.extend(labels.iter().map(String::as_str));
    let whole = layout::trend::whole(&run.eval.window.to_string());
    header.push(&whole);
    header.push(layout::trend::FLAGS);
    let units = run.units_by_code();
    let rows = units.iter().map(|e| {
        let u = &run.roster.units[e.unit];
        let mut row: Vec<Styled> = vec![
            Val::s(u.code.as_str()).into(),
            Val::s(u.name.as_str()).into(),
            Val::s(set.categories[u.category].name.as_str()).into(),
        ];
        for p in run.trend {
            let pe = &p.eval.units[e.unit];
            row.push(pe.total.map(Val::N).unwrap_or(Val::s("不计分")).fill(pe.level));
        }
        row.push(e.total.map(Val::N).unwrap_or(Val::s("不计分")).fill(e.level));
        let flags: Vec<&str> = trend::flags(run, e.unit).into_iter().map(|f| f.label()).collect();
        row.push(Val::s(flags.join("、")).into());
        row
    });
    book.table(TREND_SHEET, &header, rows.collect::<Vec<_>>(), false)?;
    // Say why the whole window's total may lie outside its sub-periods' totals.
    let note = only_in_window_note(run);
    if !note.is_empty() {
        let ws = book.wb.worksheet_from_name(TREND_SHEET)?;
        ws.write_string(run.eval.units.len() as u32 + 1, 0, note.as_str())?;
    }

    let warned: Vec<(usize, &&UnitEval)> = units
        .iter()
        .enumerate()
        .filter(|(_, e)| run.trend.iter().any(|p| p.eval.units[e.unit].level.is_some()))
        .take(20)
        .collect();
    if !warned.is_empty() && run.trend.len() > 1 {
        let mut chart = Chart::new(ChartType::Line);
        let (first, last) = (3u16, 3 + run.trend.len() as u16 - 1);
        for (n, (i, e)) in warned.iter().enumerate() {
            let row = *i as u32 + 1;
            // Each line its own marker and dash, so they stay apart in black and white.
            let marker = MARKERS[n % MARKERS.len()];
            let dash = DASHES[n / MARKERS.len() % DASHES.len()];
            chart
                .add_series()
                .set_categories((TREND_SHEET, 0, first, 0, last))
                .set_values((TREND_SHEET, row, first, row, last))
                .set_name(run.roster.units[e.unit].name.as_str())
                .set_marker(ChartMarker::new().set_type(marker).set_size(7))
                .set_format(ChartLine::new().set_dash_type(dash).set_width(1.5));
        }
        chart.title().set_name("有预警单位的总分趋势");
        // From 0 to full marks, so a fall looks as large as it is on the scale.
        chart.y_axis().set_min(0.0).set_max(set.scale.to_f64().unwrap_or(0.0));
        chart.set_width(720).set_height(360);
        let ws = book.wb.worksheet_from_name(TREND_SHEET)?;
        // On a printed page of its own, never split by a page break.
        ws.insert_chart(units.len() as u32 + 3, 0, &chart)?;
        ws.set_page_breaks(&[units.len() as u32 + 2])?;
    }
    Ok(())
}

/// "注:…" when some stations count only in the whole window ([`trend::only_in_window`]); else empty.
pub fn only_in_window_note(run: &Run) -> String {
    let stations: Vec<String> = trend::only_in_window(run)
        .into_iter()
        .map(|s| {
            let st = &run.set.stations[s];
            let every = st.frequency.map(|f| format!(" (每{}报送)", f.label())).unwrap_or_default();
            format!("{} {}{every}", st.code, st.name)
        })
        .collect();
    if stations.is_empty() {
        return String::new();
    }
    format!(
        "注:{} 的指标只在全期计分,各子期间不计 (上级指标按其余指标折算),所以全期总分不一定介于各子期间总分之间。",
        stations.join("、")
    )
}

/// 整改跟踪: the follow-up list the office works from.
pub fn ledger_sheet(book: &mut Writer, run: &Run, fills: &LedgerFills) -> Result<(), XlsxError> {
    let Some(prev) = run.previous else { return Ok(()) };
    let set = run.set;
    let rows = ledger(run).into_iter().map(|l| {
        let u = &run.roster.units[l.unit];
        let scope = match set.node(&l.scope) {
            Some(id) => node_label(run, id),
            None if l.scope == TOTAL_SCOPE => layout::warnings::TOTAL_LABEL.into(),
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
        let num = |d: Option<Decimal>| d.map(Val::N).unwrap_or(Val::Empty).into();
        vec![
            Val::s(u.code.as_str()).into(),
            Val::s(u.name.as_str()).into(),
            Val::s(scope).into(),
            num(l.previous_score),
            Val::s(prev_level.map(|p| p.name.clone()).unwrap_or_default()).into(),
            Val::s(prev_level.map(|p| p.action.clone()).unwrap_or_default()).into(),
            num(l.current_score),
            Val::s(l.current_level.map(|c| set.warnings[c].name.clone()).unwrap_or_else(|| "无".into()))
                .fill(l.current_level),
            Val::s(status).fill(fills.of(l.status)),
            Val::s(l.current_level.map(|c| set.warnings[c].action.clone()).unwrap_or_default()).into(),
        ]
    });
    let mut rows: Vec<Vec<Styled>> = rows.collect();
    // A previous result scored with another version of the set is allowed, and said.
    if prev.indicator_set.sha256 != set.sha256 {
        let short = |s: &str| s.get(..12).unwrap_or(s).to_string();
        rows.push(vec![
            Val::s("注").into(),
            Val::s(format!(
                "上期结果的指标体系 (版本 {},sha256 {}…) 与本期 (版本 {},sha256 {}…) 不同,对照时请注意方法变化",
                prev.indicator_set.version,
                short(&prev.indicator_set.sha256),
                set.version,
                short(&set.sha256)
            ))
            .into(),
        ]);
    }
    book.table(layout::followup::SHEET, &layout::followup::HEADER, rows, false)?;
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
