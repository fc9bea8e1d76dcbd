//! The six leaf rules of SPEC §2.2, as exact functions from records to a score.

use crate::exact::{Q, clamp, mean, q, qi};
use crate::indicators::{Amount, Combine, Points, Rule};
use crate::records::Record;
use num_traits::Zero;
use rust_decimal::Decimal;

/// What a leaf's records amount to, before the missing-data policy.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The exact, unrounded score.
    Score(Q),
    /// No usable record.
    NoData,
    /// A survey with some answers, but fewer than `min_responses`.
    FewResponses { got: usize, need: u32 },
    /// A veto leaf: whether it was triggered.
    Veto(bool),
}

/// Scores one leaf for one unit. `records` are that unit's records for the
/// leaf, in reading order.
pub fn score(rule: &Rule, max: Option<Decimal>, records: &[&Record]) -> Outcome {
    let max = q(max.unwrap_or_default());
    let values = || records.iter().map(|r| q(r.value)).collect::<Vec<_>>();
    match rule {
        Rule::Points(p) => Outcome::Score(points(p, &max, records)),
        Rule::Veto(_) => Outcome::Veto(records.iter().any(|r| r.value >= Decimal::ONE)),
        _ if records.is_empty() => Outcome::NoData,
        Rule::Linear { combine: how, zero_at, full_at } => {
            let v = combine(*how, records);
            let (z, f) = (q(*zero_at), q(*full_at));
            let ratio = clamp((v - &z) / (f - z), &Q::zero(), &qi(1));
            Outcome::Score(max * ratio)
        }
        Rule::Grade { .. } => {
            let m = mean(&values()).unwrap_or_default();
            Outcome::Score(clamp(m, &Q::zero(), &max))
        }
        Rule::Survey(s) => {
            if records.len() < s.min_responses as usize {
                return Outcome::FewResponses { got: records.len(), need: s.min_responses };
            }
            let m = mean(&values()).unwrap_or_default();
            let (lo, hi) = (q(s.lo), q(s.hi));
            Outcome::Score(clamp(max.clone() * (m - &lo) / (hi - lo), &Q::zero(), &max))
        }
        Rule::Direct { combine: how } => Outcome::Score(clamp(combine(*how, records), &Q::zero(), &max)),
    }
}

/// clamp(base + Σ added − Σ deducted, 0, max), each item's total bounded by its cap.
fn points(p: &Points, max: &Q, records: &[&Record]) -> Q {
    let mut totals = vec![Q::zero(); p.items.len()];
    for r in records {
        let i = r.item.unwrap_or(0);
        let Some(item) = p.items.get(i) else { continue };
        totals[i] += match item.amount {
            Amount::Per(each) => q(each) * q(r.value),
            Amount::Range(..) => q(r.value),
        };
    }
    let mut score = if p.base_max { max.clone() } else { Q::zero() };
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
    clamp(score, &Q::zero(), max)
}

/// Combines several values (SPEC §2.2 `combine`). `records` is non-empty.
fn combine(how: Combine, records: &[&Record]) -> Q {
    let values = records.iter().map(|r| q(r.value));
    match how {
        Combine::Mean => mean(&values.collect::<Vec<_>>()).unwrap_or_default(),
        Combine::Sum => values.fold(Q::zero(), |a, b| a + b),
        Combine::Min => values.min().unwrap_or_default(),
        Combine::Max => values.max().unwrap_or_default(),
        // The latest period; ties go to the later record in reading order.
        Combine::Last => {
            records.iter().max_by_key(|r| (r.period.lateness(), r.seq)).map(|r| q(r.value)).unwrap_or_default()
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
pub fn effect(rule: &Rule, max: Option<Decimal>, record: &Record, dp: u32) -> Effect {
    let one = [record];
    match rule {
        Rule::Points(p) => {
            let Some(item) = p.items.get(record.item.unwrap_or(0)) else { return Effect::Points(Decimal::ZERO) };
            let amount = match item.amount {
                Amount::Per(each) => q(each) * q(record.value),
                Amount::Range(..) => q(record.value),
            };
            let signed = if item.deduct { -amount } else { amount };
            Effect::Points(crate::exact::round(&signed, dp))
        }
        Rule::Veto(_) => Effect::Veto(record.value >= Decimal::ONE),
        Rule::Survey(s) => {
            // A single answer, regardless of min_responses.
            let (lo, hi, m) = (q(s.lo), q(s.hi), q(max.unwrap_or_default()));
            Effect::Score(crate::exact::round(
                &clamp(m.clone() * (q(record.value) - &lo) / (hi - lo), &Q::zero(), &m),
                dp,
            ))
        }
        _ => match score(rule, max, &one) {
            Outcome::Score(s) => Effect::Score(crate::exact::round(&s, dp)),
            _ => Effect::Score(Decimal::ZERO),
        },
    }
}
