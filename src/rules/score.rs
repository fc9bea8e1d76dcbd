//! Each rule kind as an exact function from a leaf's records to its score (docs/scoring.md).

use super::{Amount, Combine, Observation, Points, Rule};
use crate::exact::{Exact, clamp, mean, q, qi};
use num_traits::Zero;
use rust_decimal::Decimal;

/// What a leaf's records amount to, before the missing-data policy.
#[derive(Clone, Debug, PartialEq)]
pub enum LeafOutcome {
    /// The exact, unrounded score.
    Score(Exact),
    /// No usable record.
    NoData,
    /// A survey with some answers, but fewer than `min_responses`.
    FewResponses { got: usize, need: u32 },
    /// A veto leaf: whether it was triggered.
    Veto(bool),
}

/// Scores one leaf for one unit. `records` are that unit's records for the
/// leaf, in reading order.
pub fn score<O: Observation>(rule: &Rule, max: Option<Decimal>, records: &[&O]) -> LeafOutcome {
    let max = q(max.unwrap_or_default());
    let values = || records.iter().map(|r| q(r.value())).collect::<Vec<_>>();
    match rule {
        Rule::Points(p) => LeafOutcome::Score(points(p, &max, records)),
        Rule::Veto(_) => LeafOutcome::Veto(records.iter().any(|r| r.value() >= Decimal::ONE)),
        Rule::Linear { .. } | Rule::Grade { .. } | Rule::Survey(_) | Rule::Direct { .. } if records.is_empty() => {
            LeafOutcome::NoData
        }
        Rule::Linear { combine: how, zero_at, full_at } => {
            let v = combine(*how, records);
            let (z, f) = (q(*zero_at), q(*full_at));
            let ratio = clamp((v - &z) / (f - z), &Exact::zero(), &qi(1));
            LeafOutcome::Score(max * ratio)
        }
        Rule::Grade { .. } => {
            let m = mean(&values()).unwrap_or_default();
            LeafOutcome::Score(clamp(m, &Exact::zero(), &max))
        }
        Rule::Survey(s) => {
            if records.len() < s.min_responses as usize {
                return LeafOutcome::FewResponses { got: records.len(), need: s.min_responses };
            }
            let m = mean(&values()).unwrap_or_default();
            let (lo, hi) = (q(s.lo), q(s.hi));
            LeafOutcome::Score(clamp(max.clone() * (m - &lo) / (hi - lo), &Exact::zero(), &max))
        }
        Rule::Direct { combine: how } => LeafOutcome::Score(clamp(combine(*how, records), &Exact::zero(), &max)),
    }
}

/// clamp(base + Σ added − Σ deducted, 0, max), each item's total bounded by its cap.
fn points<O: Observation>(p: &Points, max: &Exact, records: &[&O]) -> Exact {
    let mut totals = vec![Exact::zero(); p.items.len()];
    for r in records {
        let i = r.item().unwrap_or(0);
        let Some(item) = p.items.get(i) else { continue };
        totals[i] += match item.amount {
            Amount::Per(each) => q(each) * q(r.value()),
            Amount::Range(..) => q(r.value()),
        };
    }
    let mut score = if p.base_max { max.clone() } else { Exact::zero() };
    for (item, total) in p.items.iter().zip(totals) {
        let total = match item.cap {
            Some(cap) if total > q(cap) => q(cap),
            _ => total,
        };
        if item.deduct {
            score -= total;
        } else {
            score += total;
        }
    }
    clamp(score, &Exact::zero(), max)
}

/// Combines several values (docs/indicator-set.md, `combine`). `records` is non-empty.
fn combine<O: Observation>(how: Combine, records: &[&O]) -> Exact {
    let values = records.iter().map(|r| q(r.value()));
    match how {
        Combine::Mean => mean(&values.collect::<Vec<_>>()).unwrap_or_default(),
        Combine::Sum => values.fold(Exact::zero(), |a, b| a + b),
        Combine::Min => values.min().unwrap_or_default(),
        Combine::Max => values.max().unwrap_or_default(),
        // The latest period; ties go to the later record in reading order.
        Combine::Last => {
            records.iter().max_by_key(|r| (r.period().lateness(), r.seq())).map(|r| q(r.value())).unwrap_or_default()
        }
    }
}

/// How one record moves its leaf's score, for reports (计分记录).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Points added (positive) or deducted (negative) by a `points` record,
    /// before any cap.
    Points(Decimal),
    /// The score this value alone would give the leaf (value rules).
    Score(Decimal),
    /// A triggered veto (or a 0 count that triggered nothing).
    Veto(bool),
}

/// The effect of one record on its leaf, rounded to `dp` places.
pub fn effect<O: Observation>(rule: &Rule, max: Option<Decimal>, record: &O, dp: u32) -> Effect {
    let one = [record];
    match rule {
        Rule::Points(p) => {
            let Some(item) = p.items.get(record.item().unwrap_or(0)) else { return Effect::Points(Decimal::ZERO) };
            let amount = match item.amount {
                Amount::Per(each) => q(each) * q(record.value()),
                Amount::Range(..) => q(record.value()),
            };
            let signed = if item.deduct { -amount } else { amount };
            Effect::Points(crate::exact::round(&signed, dp))
        }
        Rule::Veto(_) => Effect::Veto(record.value() >= Decimal::ONE),
        Rule::Survey(s) => {
            // A single answer, regardless of min_responses.
            let (lo, hi, m) = (q(s.lo), q(s.hi), q(max.unwrap_or_default()));
            Effect::Score(crate::exact::round(
                &clamp(m.clone() * (q(record.value()) - &lo) / (hi - lo), &Exact::zero(), &m),
                dp,
            ))
        }
        Rule::Linear { .. } | Rule::Grade { .. } | Rule::Direct { .. } => match score(rule, max, &one) {
            LeafOutcome::Score(s) => Effect::Score(crate::exact::round(&s, dp)),
            // A single record of a value rule always scores.
            LeafOutcome::NoData | LeafOutcome::FewResponses { .. } | LeafOutcome::Veto(_) => {
                Effect::Score(Decimal::ZERO)
            }
        },
    }
}
