//! Where points were lost: per leaf over all units (失分分析), and per unit (扣分点).

use crate::engine::UnitEval;
use crate::exact::{q, round};
use crate::indicators::{IndicatorSet, NodeId};
use crate::record::Record;
use crate::run::Run;
use rust_decimal::Decimal;

/// Points a unit lost on a node: max − score, when it has a score.
pub fn lost(set: &IndicatorSet, e: &UnitEval, id: NodeId) -> Option<Decimal> {
    Some(set.nodes[id].max? - e.scores[id].value()?)
}

/// score / max as a rate, to 4 places.
pub fn rate(score: Decimal, max: Decimal) -> Decimal {
    if max.is_zero() { Decimal::ZERO } else { round(&(q(score) / q(max)), 4) }
}

/// The first-level ancestor of a node.
pub fn root_of(set: &IndicatorSet, mut id: NodeId) -> NodeId {
    while let Some(p) = set.nodes[id].parent {
        id = p;
    }
    id
}

/// Scored leaves (not vetoes) in display order.
pub fn scored_leaves(set: &IndicatorSet) -> impl Iterator<Item = NodeId> + '_ {
    set.leaves().filter(|(_, l)| !l.rule.is_veto()).map(|(id, _)| id)
}

/// The mean score rate of `n` scores summing to `sum` on a node of full marks `max`:
/// Σ score / (max × n), to 4 places; `None` without a score or with `max` 0.
pub fn mean_rate(sum: Decimal, max: Decimal, n: usize) -> Option<Decimal> {
    (n > 0 && !max.is_zero()).then(|| round(&(q(sum) / (q(max) * crate::exact::qi(n as i64))), 4))
}

/// The mean of `values` to `dp` places (half away from zero); `None` without a value.
pub fn mean(values: &[Decimal], dp: u32) -> Option<Decimal> {
    (!values.is_empty()).then(|| round(&(q(values.iter().sum()) / crate::exact::qi(values.len() as i64)), dp))
}

/// One leaf's losses over all units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafLoss {
    pub leaf: NodeId,
    /// Points lost, summed over the units that have a score.
    pub lost: Decimal,
    /// Units that lost any points on it.
    pub losing: usize,
    /// Units with a score on it.
    pub scored: usize,
    /// Mean score rate over those units, to 4 places (`None` when no unit has a score).
    pub mean_rate: Option<Decimal>,
}

/// Every scored leaf's losses, most lost first (ties in display order):
/// which indicators drag scores down.
pub fn leaf_losses(run: &Run) -> Vec<LeafLoss> {
    let set = run.set;
    let mut lines: Vec<LeafLoss> = scored_leaves(set)
        .map(|id| {
            let max = set.nodes[id].max.unwrap_or_default();
            let (mut lost_sum, mut losing, mut scored, mut sum) = (Decimal::ZERO, 0, 0, Decimal::ZERO);
            for e in &run.eval.units {
                if let (Some(l), Some(s)) = (lost(set, e, id), e.scores[id].value()) {
                    lost_sum += l;
                    losing += usize::from(l > Decimal::ZERO);
                    scored += 1;
                    sum += s;
                }
            }
            let mean_rate = mean_rate(sum, max, scored);
            LeafLoss { leaf: id, lost: lost_sum, losing, scored, mean_rate }
        })
        .collect();
    lines.sort_by(|a, b| b.lost.cmp(&a.lost).then(a.leaf.cmp(&b.leaf)));
    lines
}

/// A leaf on which one unit lost points, with the records behind it.
#[derive(Clone, Debug)]
pub struct Deduction<'a> {
    pub leaf: NodeId,
    pub max: Decimal,
    pub score: Decimal,
    pub lost: Decimal,
    /// The unit's records for this leaf, in reading order.
    pub records: Vec<&'a Record>,
}

/// A unit's leaves that lost points, most lost first (扣分点). `own` are the
/// unit's records in reading order.
pub fn unit_deductions<'a>(set: &IndicatorSet, e: &UnitEval, own: &[&'a Record]) -> Vec<Deduction<'a>> {
    let mut lost_leaves: Vec<(Decimal, NodeId)> =
        scored_leaves(set).filter_map(|id| lost(set, e, id).filter(|l| *l > Decimal::ZERO).map(|l| (l, id))).collect();
    lost_leaves.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    lost_leaves
        .into_iter()
        .map(|(l, id)| {
            let max = set.nodes[id].max.unwrap_or_default();
            Deduction {
                leaf: id,
                max,
                score: max - l,
                lost: l,
                records: own.iter().copied().filter(|r| r.leaf == id).collect(),
            }
        })
        .collect()
}
