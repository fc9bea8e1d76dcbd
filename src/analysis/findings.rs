//! Short findings about one unit that summaries show: its weakest first-level indicator.

use crate::engine::{NodeScore, UnitEval};
use crate::indicators::{IndicatorSet, NodeId};
use rust_decimal::Decimal;

/// The first-level indicator with the lowest score rate (the first one on a
/// tie), with its score; `None` when no first-level indicator has a score.
pub fn weakest(set: &IndicatorSet, e: &UnitEval) -> Option<(NodeId, Decimal)> {
    let mut best: Option<(Decimal, NodeId, Decimal)> = None;
    for &r in &set.roots {
        if let (NodeScore::Scored(s), Some(max)) = (&e.scores[r], set.nodes[r].max) {
            let rate = *s / max;
            if best.is_none_or(|(b, _, _)| rate < b) {
                best = Some((rate, r, *s));
            }
        }
    }
    best.map(|(_, r, s)| (r, s))
}
