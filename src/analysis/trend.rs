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

/// The stations not due in the sub-periods of a trend but due in its window (their cadence lies
/// between the two): their leaves count in the whole window only, so the window's total need not
/// lie between the sub-periods' totals. Empty without a trend.
pub fn only_in_window(run: &Run) -> Vec<usize> {
    let Some(first) = run.trend.first() else { return Vec::new() };
    let set = run.set;
    (0..set.stations.len())
        .filter(|&s| set.calendar && !set.station_due(s, first.period) && set.station_due(s, run.eval.window))
        .collect()
}

/// A flag raised by a unit's path across the sub-periods. Flags describe
/// where the path stands at its latest sub-period: a recovery clears them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendFlag {
    /// The total fell, by at least the set's `trend_min_drop` each time, from
    /// the third-last to the second-last and again to the latest sub-period.
    FellTwice,
    /// The warning level of the latest sub-period is worse than the one before.
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
    path_flags(&totals, &levels, run.set.trend_min_drop)
}

/// The flags of a path of totals and warning levels (index into the set's
/// warnings: lower is more severe), oldest first. A drop counts when it is
/// at least `min_drop` points (and more than zero).
pub fn path_flags(totals: &[Option<Decimal>], levels: &[Option<usize>], min_drop: Decimal) -> Vec<TrendFlag> {
    let fell = |a: Decimal, b: Decimal| b < a && a - b >= min_drop;
    let mut flags = Vec::new();
    if matches!(totals, [.., Some(a), Some(b), Some(c)] if fell(*a, *b) && fell(*b, *c)) {
        flags.push(TrendFlag::FellTwice);
    }
    let worsened = match levels {
        [.., None, Some(_)] => true,
        [.., Some(a), Some(b)] => b < a,
        _ => false,
    };
    if worsened {
        flags.push(TrendFlag::Worsened);
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::TrendFlag::{FellTwice, Worsened};
    use super::*;

    fn dec(v: i64) -> Decimal {
        Decimal::from(v)
    }

    fn t(v: &[i64]) -> Vec<Option<Decimal>> {
        v.iter().map(|&x| Some(Decimal::from(x))).collect()
    }

    #[test]
    fn falling_twice_needs_the_minimum_drop_each_time_and_ends_at_the_latest() {
        let none = [None, None, None, None];
        // 1000-point scale, default minimum 10: 980 → 979 → 978 is noise.
        assert_eq!(path_flags(&t(&[990, 980, 979, 978]), &none, dec(10)), []);
        // Exactly 10 and 10 counts; 10 and 9 does not.
        assert_eq!(path_flags(&t(&[990, 980, 970]), &none[..3], dec(10)), [FellTwice]);
        assert_eq!(path_flags(&t(&[990, 980, 971]), &none[..3], dec(10)), []);
        // Two falls earlier, then a recovery: cleared.
        assert_eq!(path_flags(&t(&[980, 960, 940, 970]), &none, dec(10)), []);
        // A missing total breaks the path.
        assert_eq!(path_flags(&[Some(dec(98)), None, Some(dec(90))], &none[..3], dec(1)), []);
        // With no minimum, any fall counts, but equal totals do not.
        assert_eq!(path_flags(&t(&[98, 97, 96]), &none[..3], dec(0)), [FellTwice]);
        assert_eq!(path_flags(&t(&[98, 98, 98]), &none[..3], dec(0)), []);
        // Fewer than three points: nothing to say.
        assert_eq!(path_flags(&t(&[98, 50]), &none[..2], dec(1)), []);
    }

    #[test]
    fn worsening_is_the_latest_step_only() {
        let flat = t(&[90, 90, 90]);
        // Levels: 0 red, 1 yellow, 2 blue.
        assert_eq!(path_flags(&flat, &[None, Some(2), Some(1)], dec(1)), [Worsened]);
        assert_eq!(path_flags(&flat, &[None, None, Some(2)], dec(1)), [Worsened]);
        // Worse then better again: cleared.
        assert_eq!(path_flags(&flat, &[None, Some(0), Some(1)], dec(1)), []);
        assert_eq!(path_flags(&flat, &[Some(2), Some(0), None], dec(1)), []);
        assert_eq!(path_flags(&flat, &[Some(1), Some(1), Some(1)], dec(1)), []);
        // Both at once.
        assert_eq!(path_flags(&t(&[95, 85, 10]), &[None, Some(2), Some(0)], dec(1)), [FellTwice, Worsened]);
    }
}
