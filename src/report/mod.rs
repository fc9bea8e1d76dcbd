//! Renderers: an evaluation in, bytes or text out. Nothing here touches files.

pub mod diff;
pub mod excel;
pub mod json;
pub mod rows;
pub mod sheet;
pub mod summary;
pub mod unit;

use crate::engine::Evaluation;
use crate::indicators::IndicatorSet;
use crate::issue::{Issue, Severity};
use crate::records::Loaded;
use crate::roster::Roster;

/// Everything a renderer may show about one scoring run.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    pub set: &'a IndicatorSet,
    pub roster: &'a Roster,
    pub loaded: &'a Loaded,
    pub eval: &'a Evaluation,
}

impl<'a> Run<'a> {
    /// Every issue: reading problems in reading order, then station and
    /// scoring warnings.
    pub fn issues(&self) -> impl Iterator<Item = &'a Issue> + 'a {
        self.loaded.issues.iter().chain(self.eval.issues.iter())
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
