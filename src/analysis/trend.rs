//! 纵向监测: a window's sub-periods scored as windows of their own, and the flags a unit's path raises.

use crate::engine;
use crate::indicators::IndicatorSet;
use crate::period::{Cadence, Period};
use crate::record::Loaded;
use crate::roster::Roster;
use crate::run::{Run, TrendPoint};
use rust_decimal::Decimal;

/// Every sub-period of `window` scored as its own window, from the records
/// already read: a record counts in a sub-period when its period lies inside
/// it, exactly as if that sub-period were scored on its own. `None` unless
/// `granularity` is finer than the window.
pub fn sub_periods(
    set: &IndicatorSet,
    roster: &Roster,
    loaded: &Loaded,
    window: Period,
    granularity: Cadence,
) -> Option<Vec<TrendPoint>> {
    if granularity >= window.cadence() {
        return None;
    }
    let periods = window.split(granularity)?;
    Some(
        periods
            .into_iter()
            .map(|p| {
                let records: Vec<_> = loaded.records.iter().filter(|r| p.contains(r.period)).cloned().collect();
                TrendPoint { period: p, eval: engine::evaluate(set, roster, &records, p) }
            })
            .collect(),
    )
}

/// A flag raised by a unit's path across the sub-periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendFlag {
    /// The total fell in two consecutive sub-periods.
    FellTwice,
    /// The warning level worsened from one sub-period to the next.
    Worsened,
}

impl TrendFlag {
    pub fn label(self) -> &'static str {
        match self {
            TrendFlag::FellTwice => "连续两期下降",
            TrendFlag::Worsened => "预警升级",
        }
    }
}

/// The flags of one unit (index into the roster) across the run's trend.
pub fn flags(run: &Run, unit: usize) -> Vec<TrendFlag> {
    let totals: Vec<Option<Decimal>> = run.trend.iter().map(|p| p.eval.units[unit].total).collect();
    let levels: Vec<Option<usize>> = run.trend.iter().map(|p| p.eval.units[unit].level).collect();
    let mut flags = Vec::new();
    let fell_twice = totals.windows(3).any(|w| matches!(w, [Some(a), Some(b), Some(c)] if b < a && c < b));
    if fell_twice {
        flags.push(TrendFlag::FellTwice);
    }
    let worsened = levels.windows(2).any(|w| match (w[0], w[1]) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b < a,
        _ => false,
    });
    if worsened {
        flags.push(TrendFlag::Worsened);
    }
    flags
}
