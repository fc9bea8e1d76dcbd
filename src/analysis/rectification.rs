//! 整改跟踪 as facts: every warning of the previous result with where it stands now, then every new one.

use crate::analysis::compare::{Transition, transition};
use crate::result::TOTAL_SCOPE;
use crate::run::Run;
use rust_decimal::Decimal;

/// One line of the rectification ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerLine {
    pub unit: usize,
    /// A node code, or [`TOTAL_SCOPE`].
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
                    None => scope == TOTAL_SCOPE,
                })
                .map(|w| (w.level, w.score))
        };
        let current_score = |scope: &str| match set.node(scope) {
            Some(id) => e.scores[id].value(),
            None if scope == TOTAL_SCOPE => e.total,
            None => None,
        };
        let before = prev.unit(code).map(|u| u.warnings.as_slice()).unwrap_or_default();
        for w in before {
            let current = now(&w.scope);
            let status =
                transition(Some(w.level.as_str()), current.map(|(l, _)| set.warnings[l].level.as_str()), severity);
            lines.push(LedgerLine {
                unit: e.unit,
                scope: w.scope.clone(),
                previous_level: Some(w.level.clone()),
                previous_score: Some(w.score),
                current_level: current.map(|(l, _)| l),
                current_score: current.map(|(_, s)| s).or_else(|| current_score(&w.scope)),
                status,
            });
        }
        for w in &e.warnings {
            let scope = w.scope.map(|id| set.nodes[id].code.clone()).unwrap_or_else(|| TOTAL_SCOPE.into());
            if !before.iter().any(|b| b.scope == scope) {
                let previous_score = prev.unit(code).and_then(|u| u.score(&scope));
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
