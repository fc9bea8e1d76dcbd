//! The pure scoring engine: (set, roster, records, window) → [`Evaluation`]. No I/O.
//!
//! Per unit, leaves are scored by their rule and rounded once; groups are
//! formed bottom-up from their children's rounded scores (docs/scoring.md);
//! the total is formed from the first-level indicators the same way. Then
//! vetoes, warnings and ranks.

use crate::exact::{Exact, q, round};
use crate::indicators::{AcrossCycles, Aggregate, IndicatorSet, Missing, NodeId, NodeKind, Rule};
use crate::issue::{Issue, Kind};
use crate::period::Period;
use crate::record::Record;
use crate::roster::Roster;
use crate::rules::score::{self as rules, LeafOutcome};
use num_traits::Zero;
use rust_decimal::Decimal;

/// One node's result for one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeScore {
    /// The node (or an ancestor) does not apply to the unit's category, or
    /// it is a veto leaf, which carries no score.
    NotApplicable,
    /// `missing = "exclude"` took it out; the parent is rescaled.
    Excluded,
    /// Not due in this window: its cadence (cycle or station frequency) is
    /// longer than the window. No score; the parent is rescaled as for `Excluded`.
    NotDue,
    Scored(Decimal),
}

impl NodeScore {
    pub fn value(&self) -> Option<Decimal> {
        match self {
            NodeScore::Scored(d) => Some(*d),
            _ => None,
        }
    }
}

/// A warning on a first-level indicator (`scope = Some`) or the total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningHit {
    pub scope: Option<NodeId>,
    /// Index into the set's warnings.
    pub level: usize,
    pub score: Decimal,
    pub max: Decimal,
}

#[derive(Clone, Debug)]
pub struct UnitEval {
    /// Index into the roster.
    pub unit: usize,
    /// By node id.
    pub scores: Vec<NodeScore>,
    pub total: Option<Decimal>,
    /// The total formed from the first-level indicators before any veto's
    /// `cap_total` (各项合计); equal to `total` when no cap applied.
    pub before_veto: Option<Decimal>,
    /// The total's warning level.
    pub level: Option<usize>,
    /// Within the unit's category; `None` when the total is excluded.
    pub rank: Option<u32>,
    /// First-level warnings in indicator order, then the total's.
    pub warnings: Vec<WarningHit>,
    /// Triggered veto leaves, in indicator order.
    pub vetoed: Vec<NodeId>,
}

#[derive(Clone, Debug)]
pub struct Evaluation {
    pub window: Period,
    /// In roster order.
    pub units: Vec<UnitEval>,
    /// `missing_data` and `few_responses`, by unit then indicator.
    pub issues: Vec<Issue>,
}

/// Scores every unit of the roster for the window.
pub fn evaluate(set: &IndicatorSet, roster: &Roster, records: &[Record], window: Period) -> Evaluation {
    // Each unit's records, sorted by leaf and then reading order.
    let mut by_unit: Vec<Vec<&Record>> = vec![Vec::new(); roster.units.len()];
    for r in records {
        by_unit[r.unit].push(r);
    }
    let mut issues = Vec::new();
    let mut units: Vec<UnitEval> = by_unit
        .iter_mut()
        .enumerate()
        .map(|(u, recs)| {
            recs.sort_by_key(|r| (r.leaf, r.seq));
            evaluate_unit(set, roster, u, recs, window, &mut issues)
        })
        .collect();
    rank(set, roster, &mut units);
    Evaluation { window, units, issues }
}

fn evaluate_unit(
    set: &IndicatorSet,
    roster: &Roster,
    u: usize,
    recs: &[&Record],
    window: Period,
    issues: &mut Vec<Issue>,
) -> UnitEval {
    let unit = &roster.units[u];
    let cat = unit.category;
    let dp = set.decimals;
    let mut scores = vec![NodeScore::NotApplicable; set.nodes.len()];
    let mut vetoes: Vec<NodeId> = Vec::new();
    let mut unit_issues = Vec::new();

    // Children follow their parents in display order, so walking it
    // backwards meets every child before its parent.
    for id in (0..set.nodes.len()).rev() {
        let node = &set.nodes[id];
        if !node.applies[cat] {
            continue;
        }
        scores[id] = match &node.kind {
            NodeKind::Leaf(leaf) if set.calendar && !set.station_due(leaf.station, window) => {
                // Not due: no score, no missing_data, and a veto does not trigger.
                if leaf.rule.is_veto() { NodeScore::NotApplicable } else { NodeScore::NotDue }
            }
            NodeKind::Leaf(leaf) if set.calendar && set.across_cycles == AcrossCycles::Mean && !leaf.rule.is_veto() => {
                let start = recs.partition_point(|r| r.leaf < id);
                let end = recs.partition_point(|r| r.leaf <= id);
                let cadence = set.station_cadence(leaf.station);
                let periods = cadence.and_then(|c| window.split(c)).unwrap_or_else(|| vec![window]);
                mean_over_periods(set, unit, id, &recs[start..end], &periods, &mut unit_issues)
            }
            NodeKind::Leaf(leaf) => {
                let start = recs.partition_point(|r| r.leaf < id);
                let end = recs.partition_point(|r| r.leaf <= id);
                match rules::score(&leaf.rule, node.max, &recs[start..end]) {
                    LeafOutcome::Score(s) => NodeScore::Scored(round(&s, dp)),
                    LeafOutcome::Veto(triggered) => {
                        if triggered {
                            vetoes.push(id);
                        }
                        NodeScore::NotApplicable
                    }
                    lack @ (LeafOutcome::NoData | LeafOutcome::FewResponses { .. }) => {
                        let (result, issue) = apply_missing(set, unit, id, leaf.missing, &lack, window);
                        unit_issues.push(issue);
                        result
                    }
                }
            }
            NodeKind::Group(agg) => {
                let parts = parts(set, &node.children, cat, &scores);
                match aggregate(*agg, node.max.unwrap_or_default(), &parts, dp) {
                    Some(s) => NodeScore::Scored(s),
                    None => NodeScore::Excluded,
                }
            }
        };
    }
    unit_issues.reverse(); // collected bottom-up; report in indicator order
    issues.extend(unit_issues);
    vetoes.reverse();
    conclude(set, u, cat, scores, vetoes)
}

/// A unit's total, veto effects and warnings from its node scores and triggered vetoes (in indicator order).
/// The last step of scoring, and how a saved result is re-derived (`zhili rollup`): the same scores give
/// the same total and warnings. Ranks are left to [`rank`].
pub fn conclude(set: &IndicatorSet, u: usize, cat: usize, scores: Vec<NodeScore>, vetoes: Vec<NodeId>) -> UnitEval {
    let dp = set.decimals;
    // The total, then vetoes.
    let mut total = aggregate(set.aggregate, set.scale, &parts(set, &set.roots, cat, &scores), dp);
    let before_veto = total;
    let mut veto_level: Option<usize> = None;
    for &v in &vetoes {
        if let NodeKind::Leaf(leaf) = &set.nodes[v].kind
            && let Rule::Veto(veto) = &leaf.rule
        {
            if let (Some(t), Some(cap)) = (total, veto.cap_total) {
                total = Some(t.min(round(&q(cap), dp)));
            }
            veto_level = match (veto_level, veto.level) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }

    // Warnings: first-level indicators with a score, then the total.
    let mut warnings = Vec::new();
    for &r in &set.roots {
        let node = &set.nodes[r];
        if let (NodeScore::Scored(s), Some(max)) = (&scores[r], node.max)
            && let Some(level) = set.warning_level(*s, max)
        {
            warnings.push(WarningHit { scope: Some(r), level, score: *s, max });
        }
    }
    let mut level = None;
    if let Some(t) = total {
        level = match (set.warning_level(t, set.scale), veto_level) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(l) = level {
            warnings.push(WarningHit { scope: None, level: l, score: t, max: set.scale });
        }
    }
    UnitEval { unit: u, scores, total, before_veto, level, rank: None, warnings, vetoed: vetoes }
}

/// `across_cycles = "mean"`: a leaf scored in each period of its cadence from
/// that period's records alone, exactly as if the period were the window; the
/// window's score is the mean of the exact scores of the periods that have
/// one, rounded once. Missing data is handled, and reported, per period.
fn mean_over_periods(
    set: &IndicatorSet,
    unit: &crate::roster::Unit,
    id: NodeId,
    recs: &[&Record],
    periods: &[Period],
    issues: &mut Vec<Issue>,
) -> NodeScore {
    let node = &set.nodes[id];
    let NodeKind::Leaf(leaf) = &node.kind else { return NodeScore::NotApplicable };
    let mut scores: Vec<Exact> = Vec::new();
    for &p in periods {
        let inside: Vec<&Record> = recs.iter().copied().filter(|r| p.contains(r.period)).collect();
        match rules::score(&leaf.rule, node.max, &inside) {
            LeafOutcome::Score(s) => scores.push(s),
            LeafOutcome::Veto(_) => {}
            lack @ (LeafOutcome::NoData | LeafOutcome::FewResponses { .. }) => {
                let (result, issue) = apply_missing(set, unit, id, leaf.missing, &lack, p);
                issues.push(issue.period(p));
                if let NodeScore::Scored(s) = result {
                    scores.push(q(s));
                }
            }
        }
    }
    match crate::exact::mean(&scores) {
        Some(m) => NodeScore::Scored(round(&m, set.decimals)),
        None => NodeScore::Excluded,
    }
}

/// docs/indicator-set.md: what a leaf without usable data scores, and the warning that says so.
fn apply_missing(
    set: &IndicatorSet,
    unit: &crate::roster::Unit,
    id: NodeId,
    missing: Missing,
    lack: &LeafOutcome,
    window: Period,
) -> (NodeScore, Issue) {
    let node = &set.nodes[id];
    let (kind, detail) = match lack {
        LeafOutcome::FewResponses { got, need } => {
            (Kind::FewResponses, format!("{window} 只有 {got} 份有效问卷,少于 min_responses = {need}"))
        }
        LeafOutcome::NoData | LeafOutcome::Score(_) | LeafOutcome::Veto(_) => {
            (Kind::MissingData, format!("{window} 没有可用数据"))
        }
    };
    let (result, policy) = match missing {
        Missing::Zero => (NodeScore::Scored(round(&Exact::zero(), set.decimals)), "按 missing = \"zero\" 计 0 分"),
        Missing::Full => {
            (NodeScore::Scored(round(&q(node.max.unwrap_or_default()), set.decimals)), "按 missing = \"full\" 计满分")
        }
        Missing::Exclude => (NodeScore::Excluded, "按 missing = \"exclude\" 不计分,上级指标按其余指标折算"),
    };
    let issue = Issue::new(kind, format!("单位 {} 的指标 {} {detail},{policy}", unit.code, node.code))
        .unit(&unit.code)
        .indicator(&node.code);
    (result, issue)
}

/// One child's contribution: its score (None when excluded), max and weight.
type Part = (Option<Decimal>, Decimal, Decimal);

/// The applicable, non-veto children of a node (or the first-level indicators).
fn parts(set: &IndicatorSet, children: &[NodeId], cat: usize, scores: &[NodeScore]) -> Vec<Part> {
    children
        .iter()
        .filter(|&&c| set.nodes[c].applies[cat] && !set.nodes[c].is_veto())
        .map(|&c| {
            let n = &set.nodes[c];
            (scores[c].value(), n.max.unwrap_or_default(), n.weight.unwrap_or_default())
        })
        .collect()
}

/// A group's score from its children (docs/indicator-set.md); `None` when every
/// child is excluded (or, for weighted groups, the present weights sum to 0).
pub fn aggregate(agg: Aggregate, max: Decimal, parts: &[Part], dp: u32) -> Option<Decimal> {
    let present: Vec<(Decimal, Decimal, Decimal)> =
        parts.iter().filter_map(|&(s, m, w)| s.map(|s| (s, m, w))).collect();
    if present.is_empty() {
        return None;
    }
    match agg {
        Aggregate::Sum if present.len() == parts.len() => {
            // The exact sum of rounded scores, so every printed column adds up.
            Some(present.iter().map(|p| p.0).sum())
        }
        Aggregate::Sum => {
            let s: Exact = present.iter().map(|p| q(p.0)).sum();
            let m: Exact = present.iter().map(|p| q(p.1)).sum();
            Some(round(&(s * q(max) / m), dp))
        }
        Aggregate::Weighted => {
            let wsum: Exact = present.iter().map(|p| q(p.2)).sum();
            if wsum.is_zero() {
                return None;
            }
            let acc: Exact = present.iter().map(|(s, m, w)| q(*w) * q(*s) / q(*m)).sum();
            Some(round(&(q(max) * acc / wsum), dp))
        }
    }
}

/// Ranks within each category by total, highest first; ties share a rank
/// and the next rank skips (1, 2, 2, 4).
pub fn rank(set: &IndicatorSet, roster: &Roster, units: &mut [UnitEval]) {
    for cat in 0..set.categories.len() {
        let scored: Vec<(Decimal, usize)> = units
            .iter()
            .enumerate()
            .filter(|(_, e)| roster.units[e.unit].category == cat)
            .filter_map(|(i, e)| e.total.map(|t| (t, i)))
            .collect();
        for (i, r) in competition_ranks(scored) {
            units[i].rank = Some(r);
        }
    }
}

/// Ranks of (score, index) pairs, highest first; equal scores share a rank and the next is skipped (1, 1, 3).
/// Returns (index, rank). Also how areas are ranked among their siblings.
pub fn competition_ranks(mut scored: Vec<(Decimal, usize)>) -> Vec<(usize, u32)> {
    scored.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out: Vec<(usize, u32)> = Vec::with_capacity(scored.len());
    for pos in 0..scored.len() {
        let r = if pos > 0 && scored[pos].0 == scored[pos - 1].0 { out[pos - 1].1 } else { pos as u32 + 1 };
        out.push((scored[pos].1, r));
    }
    out
}

#[cfg(test)]
mod tests;
