//! Short findings that summaries and work lists show: a unit's weakest first-level indicator, the warned units in order of severity.

use crate::engine::{NodeScore, UnitEval};
use crate::indicators::{IndicatorSet, NodeId};
use crate::roster::Roster;
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

/// The most severe warning a unit has, first-level or total (index into the
/// set's warnings: lower is more severe); `None` without a warning.
pub fn worst_level(e: &UnitEval) -> Option<usize> {
    e.warnings.iter().map(|w| w.level).min()
}

/// The units with a warning as a work list: most severe first, then by
/// category (the set's order), then rank (unranked last), then unit code.
pub fn warned_by_severity<'a>(roster: &Roster, units: &'a [UnitEval]) -> Vec<&'a UnitEval> {
    let mut warned: Vec<(usize, &UnitEval)> = units.iter().filter_map(|e| Some((worst_level(e)?, e))).collect();
    warned.sort_by(|(la, a), (lb, b)| {
        let (ua, ub) = (&roster.units[a.unit], &roster.units[b.unit]);
        la.cmp(lb)
            .then(ua.category.cmp(&ub.category))
            .then(a.rank.unwrap_or(u32::MAX).cmp(&b.rank.unwrap_or(u32::MAX)))
            .then(ua.code.cmp(&ub.code))
    });
    warned.into_iter().map(|(_, e)| e).collect()
}

/// One line of the 预警处置清单: a warned unit, its most severe level and what raised it.
#[derive(Clone, Debug)]
pub struct WorkItem<'a> {
    pub eval: &'a UnitEval,
    /// The most severe level among its warnings (its action is the one to take).
    pub level: usize,
    /// The scopes warned at that level: the total (`None`) first, then first-level indicators in order.
    pub scopes: Vec<Option<NodeId>>,
    /// Its other warnings, less severe, as (scope, level), in the same order.
    pub others: Vec<(Option<NodeId>, usize)>,
}

/// The warned units, one item each, in the order of [`warned_by_severity`].
pub fn work_list<'a>(roster: &Roster, units: &'a [UnitEval]) -> Vec<WorkItem<'a>> {
    warned_by_severity(roster, units)
        .into_iter()
        .filter_map(|e| {
            let level = worst_level(e)?;
            let mut hits: Vec<&crate::engine::WarningHit> = e.warnings.iter().collect();
            // The total first; first-level indicators keep their order (a stable sort).
            hits.sort_by_key(|w| w.scope.is_some());
            let scopes = hits.iter().filter(|w| w.level == level).map(|w| w.scope).collect();
            let others = hits.iter().filter(|w| w.level != level).map(|w| (w.scope, w.level)).collect();
            Some(WorkItem { eval: e, level, scopes, others })
        })
        .collect()
}

/// Who a unit's warnings are routed to (docs/ledger.md): its 分管领导, or its 监督单位.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Leader,
    Supervisor,
}

impl Route {
    pub fn label(self) -> &'static str {
        match self {
            Route::Leader => "分管领导",
            Route::Supervisor => "监督单位",
        }
    }
}

/// The work list grouped by recipient: first by 分管领导, then by 监督单位, each recipient in the order
/// its first unit appears in the roster, its items in work-list order. Units without one are left out.
pub fn routed<'a, 'b>(roster: &Roster, items: &'b [WorkItem<'a>]) -> Vec<(Route, String, Vec<&'b WorkItem<'a>>)> {
    let mut out: Vec<(Route, String, Vec<&WorkItem>)> = Vec::new();
    for route in [Route::Leader, Route::Supervisor] {
        let who = |unit: usize| {
            let r = roster.routing(unit);
            match route {
                Route::Leader => r.leader,
                Route::Supervisor => r.supervisor,
            }
        };
        let mut names: Vec<(usize, String)> = (0..roster.units.len()).filter_map(|u| who(u).map(|n| (u, n))).collect();
        names.sort_by_key(|(u, _)| *u);
        let mut order: Vec<String> = Vec::new();
        for (_, n) in names {
            if !order.contains(&n) {
                order.push(n);
            }
        }
        for name in order {
            let list: Vec<&WorkItem> =
                items.iter().filter(|i| who(i.eval.unit).as_deref() == Some(name.as_str())).collect();
            if !list.is_empty() {
                out.push((route, name, list));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::WarningHit;
    use crate::roster::Unit;

    fn unit(i: usize, rank: Option<u32>, levels: &[usize]) -> UnitEval {
        let hit = |&level: &usize| WarningHit { scope: None, level, score: Decimal::ZERO, max: Decimal::ONE };
        UnitEval {
            unit: i,
            scores: Vec::new(),
            total: None,
            before_veto: None,
            level: None,
            rank,
            warnings: levels.iter().map(hit).collect(),
            vetoed: Vec::new(),
        }
    }

    #[test]
    fn work_list_is_severity_then_category_then_rank() {
        // Levels: 0 red, 1 yellow, 2 blue. Categories: 0 towns, 1 departments.
        let u = |code: &str, category| Unit { code: code.into(), name: code.into(), category };
        let roster = Roster::new(vec![u("T1", 0), u("T2", 0), u("D1", 1), u("D2", 1), u("T3", 0), u("T4", 0)]).unwrap();
        let units = vec![
            unit(0, Some(3), &[2, 2]), // T1: blue twice
            unit(1, Some(1), &[1, 2]), // T2: yellow is its worst
            unit(2, Some(2), &[0]),    // D1: red, a department
            unit(3, Some(1), &[]),     // D2: no warning, left out
            unit(4, Some(4), &[2, 0]), // T3: red, town, rank 4
            unit(5, None, &[2]),       // T4: blue, unranked, after T1 (rank 3)
        ];
        let order: Vec<&str> =
            warned_by_severity(&roster, &units).iter().map(|e| roster.units[e.unit].code.as_str()).collect();
        assert_eq!(order, ["T3", "D1", "T2", "T1", "T4"]);
        // One item per unit: T3 (blue on the total, red on a first-level) is worked as red.
        let items = work_list(&roster, &units);
        assert_eq!(items.len(), 5);
        assert_eq!((items[0].level, items[0].scopes.len(), items[0].others.len()), (0, 1, 1));
        assert_eq!(worst_level(&units[4]), Some(0));
        assert_eq!(worst_level(&units[3]), None);
    }

    #[test]
    fn a_work_item_names_the_total_first_then_indicators_in_order() {
        let roster = Roster::new(vec![Unit { code: "T1".into(), name: "T1".into(), category: 0 }]).unwrap();
        let hit = |scope, level| WarningHit { scope, level, score: Decimal::ZERO, max: Decimal::ONE };
        let mut e = unit(0, Some(1), &[]);
        // The engine's order: first-level indicators in indicator order, then the total.
        e.warnings = vec![hit(Some(1), 1), hit(Some(2), 2), hit(Some(4), 1), hit(None, 1)];
        let units = [e];
        let items = work_list(&roster, &units);
        assert_eq!(items[0].level, 1);
        assert_eq!(items[0].scopes, [None, Some(1), Some(4)]);
        assert_eq!(items[0].others, [(Some(2), 2)]);
    }
}
