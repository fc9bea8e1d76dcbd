//! Comparing two results: what changed between two runs or two periods, and whether the method changed.
//!
//! Pure: two [`ResultDoc`]s in, a [`Diff`] out. A change of method (the
//! indicator set's sha256) is reported with the indicators that were added,
//! removed or changed, so it is never mistaken for a change of behaviour.

use crate::result::{ResultDoc, TOTAL_SCOPE, UnitResult, dec};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Score differences up to this size are treated as no change.
    pub tolerance: Decimal,
    /// Only these unit codes (all when `None`).
    pub units: Option<Vec<String>>,
    /// List every indicator whose score changed.
    pub detail: bool,
}

/// How a unit's warning level moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transition {
    /// No warning before, one now.
    New,
    /// A more severe level than before.
    Escalated,
    /// The same level.
    Persisting,
    /// A less severe level, still a warning.
    DeEscalated,
    /// A warning before, none now.
    Resolved,
    /// No warning before or now.
    None,
}

impl Transition {
    pub fn label(self) -> &'static str {
        match self {
            Transition::New => "新增预警",
            Transition::Escalated => "预警升级",
            Transition::Persisting => "预警持续",
            Transition::DeEscalated => "预警降级",
            Transition::Resolved => "预警解除",
            Transition::None => "无预警",
        }
    }

    /// Two characters, for narrow tables: 新增, 升级, 持续, 降级, 解除, —.
    pub fn short_label(self) -> &'static str {
        match self {
            Transition::New => "新增",
            Transition::Escalated => "升级",
            Transition::Persisting => "持续",
            Transition::DeEscalated => "降级",
            Transition::Resolved => "解除",
            Transition::None => "—",
        }
    }
}

/// Classifies a move between two level codes; `severity` maps a code to 0 = most severe.
pub fn transition(old: Option<&str>, new: Option<&str>, severity: impl Fn(&str) -> usize) -> Transition {
    match (old, new) {
        (None, None) => Transition::None,
        (None, Some(_)) => Transition::New,
        (Some(_), None) => Transition::Resolved,
        (Some(o), Some(n)) => match severity(n).cmp(&severity(o)) {
            std::cmp::Ordering::Less => Transition::Escalated,
            std::cmp::Ordering::Equal => Transition::Persisting,
            std::cmp::Ordering::Greater => Transition::DeEscalated,
        },
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Side {
    pub period: String,
    pub set_name: String,
    pub set_version: String,
    pub set_sha256: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IndicatorDefChange {
    pub code: String,
    pub name: String,
    #[serde(with = "dec::opt")]
    pub old_max: Option<Decimal>,
    #[serde(with = "dec::opt")]
    pub new_max: Option<Decimal>,
    pub old_rule: String,
    pub new_rule: String,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct MethodChange {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<IndicatorDefChange>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct InputChange {
    pub path: String,
    pub old_sha256: Option<String>,
    pub new_sha256: Option<String>,
}

/// A first-level indicator whose warning level moved.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LevelChange {
    pub scope: String,
    pub name: String,
    pub old_level: Option<String>,
    pub new_level: Option<String>,
    pub transition: Transition,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct UnitChange {
    pub code: String,
    pub name: String,
    /// The category's name (the new result's).
    pub category: String,
    #[serde(with = "dec::opt")]
    pub old_total: Option<Decimal>,
    #[serde(with = "dec::opt")]
    pub new_total: Option<Decimal>,
    #[serde(with = "dec::opt")]
    pub delta: Option<Decimal>,
    pub old_level: Option<String>,
    pub new_level: Option<String>,
    pub old_rank: Option<u32>,
    pub new_rank: Option<u32>,
    pub transition: Transition,
    /// First-level indicators whose level moved, in the new result's indicator order.
    pub first_levels: Vec<LevelChange>,
    /// Vetoes triggered now and not before, and the reverse (codes): what explains a jump.
    pub vetoes_added: Vec<String>,
    pub vetoes_removed: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ScoreChange {
    pub code: String,
    /// The indicator's name, when a result lists the method.
    pub name: String,
    #[serde(with = "dec::opt")]
    pub old: Option<Decimal>,
    #[serde(with = "dec::opt")]
    pub new: Option<Decimal>,
    #[serde(with = "dec::opt")]
    pub delta: Option<Decimal>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Diff {
    pub identical: bool,
    pub set_changed: bool,
    pub old: Side,
    pub new: Side,
    /// Present when the indicator set's sha256 differs.
    pub method: Option<MethodChange>,
    pub inputs: Vec<InputChange>,
    pub units: Vec<UnitChange>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// With `--detail`: per unit, every indicator whose score changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicators: Option<BTreeMap<String, Vec<ScoreChange>>>,
}

fn side(d: &ResultDoc) -> Side {
    Side {
        period: d.period.clone(),
        set_name: d.indicator_set.name.clone(),
        set_version: d.indicator_set.version.clone(),
        set_sha256: d.indicator_set.sha256.clone(),
    }
}

fn changed(old: Option<Decimal>, new: Option<Decimal>, tol: Decimal) -> bool {
    match (old, new) {
        (Some(a), Some(b)) => (a - b).abs() > tol,
        (a, b) => a.is_some() != b.is_some(),
    }
}

fn delta(old: Option<Decimal>, new: Option<Decimal>) -> Option<Decimal> {
    Some(new? - old?)
}

pub fn diff(old: &ResultDoc, new: &ResultDoc, opts: &Options) -> Diff {
    let wanted = |code: &str| opts.units.as_ref().is_none_or(|u| u.iter().any(|c| c == code));
    let severity = |code: &str| new.severity(code).or_else(|| old.severity(code)).unwrap_or(usize::MAX);

    let set_changed = old.indicator_set.sha256 != new.indicator_set.sha256;
    let method = set_changed.then(|| method_change(old, new));

    let mut inputs = Vec::new();
    for o in &old.inputs {
        match new.inputs.iter().find(|n| n.path == o.path) {
            Some(n) if n.sha256 == o.sha256 => {}
            other => inputs.push(InputChange {
                path: o.path.clone(),
                old_sha256: Some(o.sha256.clone()),
                new_sha256: other.map(|n| n.sha256.clone()),
            }),
        }
    }
    for n in new.inputs.iter().filter(|n| !old.inputs.iter().any(|o| o.path == n.path)) {
        inputs.push(InputChange { path: n.path.clone(), old_sha256: None, new_sha256: Some(n.sha256.clone()) });
    }

    let added: Vec<String> =
        new.units.iter().filter(|u| old.unit(&u.code).is_none() && wanted(&u.code)).map(|u| u.code.clone()).collect();
    let removed: Vec<String> =
        old.units.iter().filter(|u| new.unit(&u.code).is_none() && wanted(&u.code)).map(|u| u.code.clone()).collect();
    let mut units = Vec::new();
    let mut indicators = BTreeMap::new();
    for o in old.units.iter().filter(|u| wanted(&u.code)) {
        let code = &o.code;
        let Some(n) = new.unit(code) else { continue };
        let first_levels = first_level_changes(o, n, new, old, &severity);
        let vetoes_added: Vec<String> = n.vetoed.iter().filter(|v| !o.vetoed.contains(v)).cloned().collect();
        let vetoes_removed: Vec<String> = o.vetoed.iter().filter(|v| !n.vetoed.contains(v)).cloned().collect();
        if changed(o.total, n.total, opts.tolerance)
            || o.level != n.level
            || o.rank != n.rank
            || !first_levels.is_empty()
            || !vetoes_added.is_empty()
            || !vetoes_removed.is_empty()
        {
            units.push(UnitChange {
                code: code.clone(),
                name: n.name.clone(),
                category: new.category_name(&n.category).to_string(),
                old_total: o.total,
                new_total: n.total,
                delta: delta(o.total, n.total),
                old_level: o.level.clone(),
                new_level: n.level.clone(),
                old_rank: o.rank,
                new_rank: n.rank,
                transition: transition(o.level.as_deref(), n.level.as_deref(), severity),
                first_levels,
                vetoes_added,
                vetoes_removed,
            });
        }
        let scores = score_changes(o, n, opts.tolerance, new, old);
        if !scores.is_empty() {
            indicators.insert(code.clone(), scores);
        }
    }
    // A work list: by category (the set's order), then the most pressing moves first, then
    // score changes without a level change, then rank-only moves; code order within each.
    let category = |u: &UnitChange| {
        let code = new.unit(&u.code).map(|n| n.category.as_str()).unwrap_or("");
        new.category_order(code)
    };
    units.sort_by_cached_key(|u| {
        let bucket = match u.transition {
            Transition::None if changed(u.old_total, u.new_total, opts.tolerance) => 5,
            Transition::None if !u.first_levels.is_empty() => 5,
            Transition::None => 6,
            t => ORDER.iter().position(|o| *o == t).unwrap_or(6),
        };
        (category(u), bucket, u.code.clone())
    });
    let identical = !set_changed
        && old.period == new.period
        && inputs.is_empty()
        && units.is_empty()
        && added.is_empty()
        && removed.is_empty()
        && indicators.is_empty();
    Diff {
        identical,
        set_changed,
        old: side(old),
        new: side(new),
        method,
        inputs,
        units,
        added,
        removed,
        indicators: opts.detail.then_some(indicators),
    }
}

/// The order moves are listed in: the most pressing first.
pub const ORDER: [Transition; 5] =
    [Transition::New, Transition::Escalated, Transition::Persisting, Transition::DeEscalated, Transition::Resolved];

/// First-level warnings whose level differs between the two results, in the new result's order
/// (then scopes only the old one had).
fn first_level_changes(
    o: &UnitResult,
    n: &UnitResult,
    new: &ResultDoc,
    old: &ResultDoc,
    severity: &impl Fn(&str) -> usize,
) -> Vec<LevelChange> {
    let level = |u: &UnitResult, scope: &str| u.warnings.iter().find(|w| w.scope == scope).map(|w| w.level.clone());
    let mut scopes: Vec<&str> =
        n.warnings.iter().chain(&o.warnings).map(|w| w.scope.as_str()).filter(|s| *s != TOTAL_SCOPE).collect();
    scopes.dedup();
    let mut seen: Vec<&str> = Vec::new();
    scopes.retain(|s| {
        let first = !seen.contains(s);
        seen.push(s);
        first
    });
    let position = |s: &str| new.indicator_set.indicators.iter().position(|i| i.code == s).unwrap_or(usize::MAX);
    scopes.sort_by_key(|s| position(s));
    scopes
        .into_iter()
        .filter_map(|scope| {
            let (a, b) = (level(o, scope), level(n, scope));
            (a != b).then(|| LevelChange {
                scope: scope.to_string(),
                name: new.indicator_name(scope).or_else(|| old.indicator_name(scope)).unwrap_or("").to_string(),
                transition: transition(a.as_deref(), b.as_deref(), severity),
                old_level: a,
                new_level: b,
            })
        })
        .collect()
}

fn score_changes(o: &UnitResult, n: &UnitResult, tol: Decimal, new: &ResultDoc, old: &ResultDoc) -> Vec<ScoreChange> {
    let mut codes: Vec<&String> = o.scores.keys().collect();
    codes.extend(n.scores.keys().filter(|k| !o.scores.contains_key(*k)));
    codes
        .into_iter()
        .filter_map(|c| {
            let (a, b) = (o.scores.get(c).map(|s| s.0), n.scores.get(c).map(|s| s.0));
            changed(a, b, tol).then(|| ScoreChange {
                code: c.clone(),
                name: new.indicator_name(c).or_else(|| old.indicator_name(c)).unwrap_or("").to_string(),
                old: a,
                new: b,
                delta: delta(a, b),
            })
        })
        .collect()
}

fn method_change(old: &ResultDoc, new: &ResultDoc) -> MethodChange {
    let mut m = MethodChange::default();
    let (old_defs, new_defs) = (&old.indicator_set.indicators, &new.indicator_set.indicators);
    for i in new_defs {
        match old_defs.iter().find(|o| o.code == i.code) {
            None => m.added.push(i.code.clone()),
            Some(o) if o.max != i.max || o.rule != i.rule => m.changed.push(IndicatorDefChange {
                code: i.code.clone(),
                name: i.name.clone(),
                old_max: o.max,
                new_max: i.max,
                old_rule: o.rule.clone().unwrap_or_default(),
                new_rule: i.rule.clone().unwrap_or_default(),
            }),
            Some(_) => {}
        }
    }
    m.removed =
        old_defs.iter().filter(|o| !new_defs.iter().any(|i| i.code == o.code)).map(|o| o.code.clone()).collect();
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_by_severity() {
        let sev = |c: &str| ["red", "yellow", "blue"].iter().position(|l| *l == c).unwrap();
        assert_eq!(transition(None, Some("blue"), sev), Transition::New);
        assert_eq!(transition(Some("blue"), Some("red"), sev), Transition::Escalated);
        assert_eq!(transition(Some("yellow"), Some("yellow"), sev), Transition::Persisting);
        assert_eq!(transition(Some("red"), Some("blue"), sev), Transition::DeEscalated);
        assert_eq!(transition(Some("red"), None, sev), Transition::Resolved);
        assert_eq!(transition(None, None, sev), Transition::None);
    }

    #[test]
    fn tolerance() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert!(!changed(Some(d("90.00")), Some(d("90.01")), d("0.01")));
        assert!(changed(Some(d("90.00")), Some(d("90.02")), d("0.01")));
        assert!(changed(None, Some(d("1")), d("5")));
        assert!(!changed(None, None, d("0")));
    }
}
