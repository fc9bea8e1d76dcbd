//! One scoring run: everything the analysis and the renderers may look at, borrowed.

use crate::engine::Evaluation;
use crate::indicators::IndicatorSet;
use crate::issue::{Issue, Severity};
use crate::record::Loaded;
use crate::roster::Roster;

/// Everything a renderer may show about one scoring run.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    pub set: &'a IndicatorSet,
    pub roster: &'a Roster,
    pub loaded: &'a Loaded,
    pub eval: &'a Evaluation,
    /// `--trend`: each sub-period scored as its own window, in order.
    pub trend: &'a [TrendPoint],
    /// `--previous`: the previous period's result, for the rectification ledger.
    pub previous: Option<&'a crate::result::ResultDoc>,
    /// The area indices' full marks (zhili.toml `area_scale`); `None`: the set's scale.
    pub area_scale: Option<rust_decimal::Decimal>,
    /// `zhili rollup`: each unit's origin, by roster position (empty for a scoring run).
    pub origins: &'a [crate::result::OriginRef],
}

/// One sub-period of a trend.
#[derive(Clone, Debug)]
pub struct TrendPoint {
    pub period: crate::period::Period,
    pub eval: Evaluation,
}

impl<'a> Run<'a> {
    /// A run with no trend and no previous result.
    pub fn new(set: &'a IndicatorSet, roster: &'a Roster, loaded: &'a Loaded, eval: &'a Evaluation) -> Self {
        Run { set, roster, loaded, eval, trend: &[], previous: None, area_scale: None, origins: &[] }
    }
}

impl<'a> Run<'a> {
    /// Every issue: reading problems in reading order, then station and
    /// scoring warnings.
    pub fn issues(&self) -> impl Iterator<Item = &'a Issue> + 'a {
        self.loaded.issues.iter().chain(self.eval.issues.iter())
    }

    /// A roll-up of saved results (`zhili rollup`): no station workbooks and no records of its own.
    pub fn is_rollup(&self) -> bool {
        !self.origins.is_empty()
    }

    pub fn has_errors(&self) -> bool {
        self.issues().any(|i| i.severity() == Severity::Error)
    }

    /// Units in code order (the order of the JSON result).
    pub fn units_by_code(&self) -> Vec<&'a crate::engine::UnitEval> {
        let mut units: Vec<_> = self.eval.units.iter().collect();
        units.sort_by(|a, b| self.roster.units[a.unit].code.cmp(&self.roster.units[b.unit].code));
        units
    }
}
