//! Table rows shared by the full Excel report and the per-unit reports, so each table's
//! columns are defined once. `with_unit` adds the unit code and name columns (full report)
//! and, on 预警, the code columns `readback` reads.

use super::layout;
use crate::analysis::losses::rate;
use crate::engine::{NodeScore, UnitEval, WarningHit};
use crate::indicators::{NodeId, NodeKind, Rule};
use crate::issue::Issue;
use crate::record::Record;
use crate::result::TOTAL_SCOPE;
use crate::rules::score::{self as rules, Effect};
use crate::run::Run;
use crate::xlsx::{Styled, Val};
use std::collections::HashMap;

fn unit_cols<'a>(run: &Run<'a>, e: &UnitEval, with_unit: bool) -> Vec<Styled<'a>> {
    if !with_unit {
        return Vec::new();
    }
    let u = &run.roster.units[e.unit];
    vec![Val::s(u.code.as_str()).into(), Val::s(u.name.as_str()).into()]
}

fn unit_header(with_unit: bool, rest: &[&'static str]) -> Vec<&'static str> {
    let mut h = if with_unit { vec![layout::UNIT_CODE, layout::UNIT_NAME] } else { Vec::new() };
    h.extend_from_slice(rest);
    h
}

/// `A 政治建设`
pub fn node_label(run: &Run, id: NodeId) -> String {
    let n = &run.set.nodes[id];
    format!("{} {}", n.code, n.name)
}

/// The warning level of a first-level node for a unit, if any.
fn level_of(e: &UnitEval, id: NodeId) -> Option<usize> {
    e.warnings.iter().find(|w| w.scope == Some(id)).map(|w| w.level)
}

/// Texts that many rows repeat, computed once per report rather than per row.
pub struct Labels {
    /// Per input: `file!sheet`.
    sources: Vec<String>,
    /// Per node: its name indented by depth (得分明细).
    indented: Vec<String>,
    /// Per node: its items as `code name` (points leaves with items).
    items: Vec<Vec<String>>,
    /// Per distinct record period, its text.
    periods: Vec<(crate::period::Period, String)>,
}

impl Labels {
    pub fn new(run: &Run) -> Self {
        let set = run.set;
        let mut periods: Vec<(crate::period::Period, String)> = Vec::new();
        for r in &run.loaded.records {
            if !periods.iter().any(|(p, _)| *p == r.period) {
                periods.push((r.period, r.period.to_string()));
            }
        }
        Labels {
            sources: run.loaded.inputs.iter().map(crate::record::Input::source).collect(),
            indented: set.nodes.iter().map(|n| indent(n.depth, &n.name)).collect(),
            items: (0..set.nodes.len())
                .map(|id| match set.leaf(id).map(|l| &l.rule) {
                    Some(Rule::Points(p)) if !p.implicit => {
                        p.items.iter().map(|it| format!("{} {}", it.code, it.name)).collect()
                    }
                    Some(
                        Rule::Points(_)
                        | Rule::Linear { .. }
                        | Rule::Grade { .. }
                        | Rule::Survey(_)
                        | Rule::Direct { .. }
                        | Rule::Veto(_),
                    )
                    | None => Vec::new(),
                })
                .collect(),
            periods,
        }
    }

    fn period(&self, p: crate::period::Period) -> &str {
        self.periods.iter().find(|(q, _)| *q == p).map(|(_, s)| s.as_str()).unwrap_or("")
    }
}

// ---- 得分明细 --------------------------------------------------------------

pub fn scores_header(with_unit: bool) -> Vec<&'static str> {
    unit_header(with_unit, &layout::scores::COLUMNS)
}

/// Every applicable scored-or-excluded node of a unit, in display order.
pub fn score_rows<'a>(
    run: &Run<'a>,
    labels: &'a Labels,
    e: &'a UnitEval,
    with_unit: bool,
) -> impl Iterator<Item = Vec<Styled<'a>>> + 'a {
    let run = *run;
    (0..run.set.nodes.len()).filter_map(move |id| {
        let node = &run.set.nodes[id];
        let max = node.max?;
        let (score, lost, r) = match &e.scores[id] {
            NodeScore::NotApplicable => return None,
            NodeScore::Excluded => (Val::s("不计分"), Val::Empty, Val::Empty),
            NodeScore::NotDue => (Val::s("未到期"), Val::Empty, Val::Empty),
            NodeScore::Scored(s) => (Val::N(*s), Val::N(max - *s), Val::P(rate(*s, max))),
        };
        let fill = if node.parent.is_none() { level_of(e, id) } else { None };
        let mut row = unit_cols(&run, e, with_unit);
        row.extend([
            Val::s(node.code.as_str()).into(),
            Val::s(labels.indented[id].as_str()).into(),
            Val::I(node.depth as i64).into(),
            Val::N(max).into(),
            score.fill(fill),
            lost.into(),
            r.into(),
        ]);
        Some(row)
    })
}

fn indent(depth: u32, name: &str) -> String {
    format!("{}{name}", "  ".repeat(depth.saturating_sub(1) as usize))
}

// ---- 预警 ------------------------------------------------------------------

pub fn warnings_header(with_unit: bool) -> Vec<&'static str> {
    let mut h = unit_header(with_unit, &[]);
    if with_unit {
        h.push("类别");
    }
    h.extend(layout::warnings::COLUMNS);
    if with_unit {
        h.extend(layout::warnings::CODES);
    }
    h
}

pub fn warning_rows<'a>(run: &Run<'a>, e: &'a UnitEval, with_unit: bool) -> impl Iterator<Item = Vec<Styled<'a>>> + 'a {
    let run = *run;
    e.warnings.iter().map(move |w: &WarningHit| {
        let set = run.set;
        let level = &set.warnings[w.level];
        let mut row = unit_cols(&run, e, with_unit);
        if with_unit {
            row.push(Val::s(set.categories[run.roster.units[e.unit].category].name.as_str()).into());
        }
        let scope = w.scope.map(|id| node_label(&run, id)).unwrap_or_else(|| layout::warnings::TOTAL_LABEL.into());
        let note = if w.scope.is_none() && !e.vetoed.is_empty() {
            let v: Vec<String> = e.vetoed.iter().map(|&id| node_label(&run, id)).collect();
            format!("一票否决: {}", v.join("、"))
        } else {
            String::new()
        };
        row.extend([
            Val::s(scope).into(),
            Val::N(w.score).fill(Some(w.level)),
            Val::N(w.max).into(),
            Val::P(rate(w.score, w.max)).into(),
            Val::s(level.name.as_str()).fill(Some(w.level)),
            Val::s(level.action.as_str()).into(),
            Val::s(note).into(),
        ]);
        if with_unit {
            let scope_code = w.scope.map(|id| set.nodes[id].code.as_str()).unwrap_or(TOTAL_SCOPE);
            row.extend([Val::s(scope_code).into(), Val::s(level.level.as_str()).into()]);
        }
        row
    })
}

// ---- 数据问题 ----------------------------------------------------------------

/// The station each issue belongs to: its own `station`, else the station of
/// the file it was found in (a cell issue in a station's workbook).
pub struct IssueStations<'a> {
    by_file: HashMap<&'a str, &'a str>,
}

impl<'a> IssueStations<'a> {
    pub fn new(run: &Run<'a>) -> Self {
        let set = run.set;
        let by_file = run
            .loaded
            .inputs
            .iter()
            .filter_map(|i| Some((i.path.as_str(), set.stations[i.station?].code.as_str())))
            .collect();
        IssueStations { by_file }
    }

    pub fn of(&self, i: &'a Issue) -> Option<&'a str> {
        i.station.as_deref().or_else(|| self.by_file.get(i.file.as_deref()?).copied())
    }
}

// ---- 计分记录 ----------------------------------------------------------------

pub fn records_header(with_unit: bool) -> Vec<&'static str> {
    unit_header(with_unit, &layout::records::COLUMNS)
}

/// Whether a record comes from a confidential station (`confidential = true`
/// on its leaf's station or on the station of the file it was read from).
pub fn is_confidential(run: &Run, r: &Record) -> bool {
    let set = run.set;
    let by_leaf = matches!(&set.nodes[r.leaf].kind, NodeKind::Leaf(l) if set.stations[l.station].confidential);
    let by_file = run.loaded.inputs[r.input].station.is_some_and(|s| set.stations[s].confidential);
    by_leaf || by_file
}

/// 计分方式 of a record whose leaf is not due in the window (it scores nothing).
pub const NOT_DUE: &str = "未到期,不计分";

/// One 计分记录 row. With `per_unit` (a unit's own report) a confidential
/// station's record keeps its indicator, item and points only — no period,
/// value, note, source file or row — and a numeric value is shown with the
/// set's decimals (the cell keeps the number as written).
pub fn record_row<'a>(
    run: &Run<'a>,
    labels: &'a Labels,
    r: &'a Record,
    with_unit: bool,
    per_unit: bool,
) -> Vec<Styled<'a>> {
    let set = run.set;
    let node = &set.nodes[r.leaf];
    let NodeKind::Leaf(leaf) = &node.kind else { return Vec::new() };
    let item = r.item.and_then(|i| labels.items[r.leaf].get(i)).map(String::as_str).unwrap_or("");
    // A leaf not due in this window (its station reports less often) is not scored: its records are
    // listed, but they move nothing.
    let due = !set.calendar || set.station_due(leaf.station, run.eval.window);
    let (how, effect) = match rules::effect(&leaf.rule, node.max, r, set.decimals) {
        _ if !due => (NOT_DUE, Val::Empty),
        Effect::Points(p) if p.is_sign_negative() => ("扣分", Val::N(p)),
        Effect::Points(p) => ("加分", Val::N(p)),
        Effect::Score(s) => ("折算得分", Val::N(s)),
        Effect::Veto(true) => ("一票否决", Val::Empty),
        Effect::Veto(false) => ("未触发", Val::Empty),
    };
    // A unit's own report shows a confidential station's record by indicator, item and points only:
    // its month and count could point to who complained (docs/indicator-set.md).
    let hidden = per_unit && is_confidential(run, r);
    let value = match crate::number::parse_text(&r.raw, false) {
        _ if hidden => Val::Empty,
        Some(d) if !r.raw.is_empty() && per_unit => Val::N(d),
        Some(d) if !r.raw.is_empty() => Val::G(d),
        _ => Val::s(&*r.raw),
    };
    let mut row = Vec::with_capacity(12);
    if with_unit {
        let u = &run.roster.units[r.unit];
        row.extend([Val::s(u.code.as_str()).into(), Val::s(u.name.as_str()).into()]);
    }
    row.extend([
        Val::s(node.code.as_str()).into(),
        Val::s(node.name.as_str()).into(),
        Val::s(item).into(),
        Val::s(if hidden { "" } else { labels.period(r.period) }).into(),
        value.into(),
        Val::s(how).into(),
        effect.into(),
    ]);
    if hidden {
        row.extend([Val::s("(涉密,不予显示)").into(), Val::Empty.into(), Val::Empty.into()]);
    } else {
        // The source as file!sheet plus the row number: one distinct string per
        // sheet rather than per record, which keeps the shared-string table small.
        row.extend([
            Val::s(&*r.note).into(),
            Val::s(labels.sources[r.input].as_str()).into(),
            Val::I(r.row as i64 + 1).into(),
        ]);
    }
    row
}
