//! The facts of 摘要 (docs/report.md): statistics of the totals per category, first-level indicators by mean
//! score rate, the heaviest losses, the units a leader must hear about, and the changes since the previous period.
//!
//! Names are resolved here so that [`Summary`] stands on its own: 核心结论
//! (`analysis::conclusions`), the Excel 摘要 sheet and the terminal all show the same numbers.

use crate::analysis::compare::Transition;
use crate::analysis::losses::{self, leaf_losses};
use crate::analysis::rectification;
use crate::engine::UnitEval;
use crate::exact::{q, qi, round};
use crate::indicators::IndicatorSet;
use crate::run::Run;
use rust_decimal::Decimal;

/// How many leaves 摘要 lists as losing the most points.
pub const TOP_LOSSES: usize = 5;

/// Statistics of a group of units' totals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Units in the group (the roster's).
    pub units: usize,
    /// Units with a total (the others are 不计分).
    pub scored: usize,
    /// Of the totals, rounded to the set's decimals (half away from zero); `None` without a total.
    pub mean: Option<Decimal>,
    pub median: Option<Decimal>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    /// Per warning level (the set's order, most severe first): units whose total has that level.
    pub levels: Vec<usize>,
    /// Units with a total and no total-level warning.
    pub unwarned: usize,
    /// Units with a triggered veto.
    pub vetoed: usize,
}

/// Statistics of the given units' totals.
pub fn stats<'a>(set: &IndicatorSet, units: impl IntoIterator<Item = &'a UnitEval>) -> Stats {
    let mut s = Stats { levels: vec![0; set.warnings.len()], ..Stats::default() };
    let mut totals = Vec::new();
    for e in units {
        s.units += 1;
        s.vetoed += usize::from(!e.vetoed.is_empty());
        if let Some(t) = e.total {
            totals.push(t);
            match e.level {
                Some(l) => s.levels[l] += 1,
                None => s.unwarned += 1,
            }
        }
    }
    s.scored = totals.len();
    totals.sort();
    let dp = set.decimals;
    if let (Some(&lo), Some(&hi)) = (totals.first(), totals.last()) {
        let n = totals.len();
        s.mean = losses::mean(&totals, dp);
        s.median = Some(if n % 2 == 1 {
            totals[n / 2]
        } else {
            round(&((q(totals[n / 2 - 1]) + q(totals[n / 2])) / qi(2)), dp)
        });
        s.min = Some(lo);
        s.max = Some(hi);
    }
    s
}

/// How many totals fall in each of `bins` equal bands of `0..=scale`, lowest band first, labelled
/// "900–1000" (the top band includes full marks; bounds shown without trailing zeros).
pub fn histogram(totals: &[Decimal], scale: Decimal, bins: usize) -> Vec<(String, usize)> {
    let bins = bins.max(1);
    let width = scale / Decimal::from(bins as u64);
    (0..bins)
        .map(|i| {
            let lo = width * Decimal::from(i as u64);
            let hi = if i + 1 == bins { scale } else { width * Decimal::from(i as u64 + 1) };
            let n = totals.iter().filter(|&&t| t >= lo && (t < hi || (i + 1 == bins && t <= hi))).count();
            (format!("{}–{}", crate::number::plain(lo), crate::number::plain(hi)), n)
        })
        .collect()
}

/// A unit as 摘要 names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedUnit {
    pub code: String,
    pub name: String,
    pub category: String,
    pub total: Option<Decimal>,
    /// The total's level (index into the set's warnings), if any.
    pub level: Option<usize>,
    /// The triggered veto indicators ([`veto_label`]: "G9 发生重大腐败案件").
    pub vetoes: Vec<String>,
}

/// A first-level indicator's mean score rate over the units scored on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLine {
    pub code: String,
    pub name: String,
    /// Σ score / (full marks × units), to 4 places.
    pub mean_rate: Decimal,
    pub scored: usize,
    /// Units with a warning on it.
    pub warned: usize,
}

/// A leaf among those losing the most points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LossLine {
    pub code: String,
    pub name: String,
    /// Its first-level indicator's name.
    pub first_level: String,
    pub lost: Decimal,
    pub losing: usize,
}

/// What changed since `--previous`: warnings (per unit and scope) by transition, and the units newly warned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changes {
    pub previous: String,
    /// 新增, 升级, 持续, 降级, 解除, in that order.
    pub counts: Vec<(Transition, usize)>,
    /// Units with a warning now and none in the previous period.
    pub newly_warned: Vec<NamedUnit>,
}

/// The transitions counted in [`Changes::counts`], in the order they are shown.
pub const CHANGE_ORDER: [Transition; 5] =
    [Transition::New, Transition::Escalated, Transition::Persisting, Transition::DeEscalated, Transition::Resolved];

/// Everything 摘要 and 核心结论 say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub set_name: String,
    /// The period as written in documents: "2024年第四季度".
    pub window: String,
    /// Why the result is provisional (暂定), if it is.
    pub provisional: Option<String>,
    pub decimals: u32,
    /// Warning level names, most severe first.
    pub level_names: Vec<String>,
    pub overall: Stats,
    /// (category name, its statistics), in the set's order; categories without units are left out.
    pub categories: Vec<(String, Stats)>,
    /// Units whose total has the most severe level, by category then rank.
    pub most_severe: Vec<NamedUnit>,
    /// Units whose total is not at the most severe level but a first-level indicator is, with those
    /// indicators ("D 选人用人"), by category then rank: they get the most severe action too.
    pub severe_first_levels: Vec<(NamedUnit, Vec<String>)>,
    /// Units with a triggered veto, by category then rank.
    pub vetoed: Vec<NamedUnit>,
    /// First-level warnings (unit × indicator) and the units having any.
    pub first_level_hits: usize,
    pub first_level_units: usize,
    /// Lowest mean score rate first; ties in indicator order.
    pub rates: Vec<RateLine>,
    /// At most [`TOP_LOSSES`], most lost first; leaves nobody lost points on are left out.
    pub losses: Vec<LossLine>,
    pub changes: Option<Changes>,
}

impl Summary {
    /// The units a leader must hear about, each once, with why: the most severe level on the total or
    /// on a first-level indicator, a veto, a warning new since the previous period — in that order of
    /// lists, each by category then rank.
    pub fn attention(&self) -> Vec<(&NamedUnit, Vec<String>)> {
        let severe = self.level_names.first().cloned().unwrap_or_default();
        let newly = self.changes.iter().flat_map(|c| &c.newly_warned);
        let reasons = (self.most_severe.iter().map(|u| (u, format!("总分{severe}"))))
            .chain(
                self.severe_first_levels
                    .iter()
                    .map(|(u, scopes)| (u, format!("一级指标{severe}:{}", scopes.join("、")))),
            )
            .chain(self.vetoed.iter().map(|u| (u, format!("一票否决:{}", u.vetoes.join("、")))))
            .chain(newly.map(|u| {
                // A unit whose total has no warning was warned on a first-level indicator.
                (u, if u.level.is_some() { "新增预警" } else { "新增一级指标预警" }.to_string())
            }));
        let mut out: Vec<(&NamedUnit, Vec<String>)> = Vec::new();
        for (u, why) in reasons {
            match out.iter_mut().find(|(seen, _)| seen.code == u.code) {
                Some((_, list)) => list.push(why),
                None => out.push((u, vec![why])),
            }
        }
        out
    }
}

/// What changed since `--previous` (`None` without it): the rectification ledger's transitions counted,
/// and the units newly warned (by category, then rank).
pub fn changes(run: &Run) -> Option<Changes> {
    let prev = run.previous?;
    let (set, roster) = (run.set, run.roster);
    let ledger = rectification::ledger(run);
    let counts = CHANGE_ORDER.iter().map(|&t| (t, ledger.iter().filter(|l| l.status == t).count())).collect();
    let mut newly: Vec<&UnitEval> = run
        .eval
        .units
        .iter()
        .filter(|e| {
            let before = prev.unit(&roster.units[e.unit].code).is_some_and(|u| !u.warnings.is_empty());
            !e.warnings.is_empty() && !before
        })
        .collect();
    newly.sort_by_key(|e| {
        let u = &roster.units[e.unit];
        (u.category, e.rank.unwrap_or(u32::MAX), u.code.clone())
    });
    let newly_warned = newly.into_iter().map(|e| named(set, roster, e)).collect();
    Some(Changes { previous: prev.period.clone(), counts, newly_warned })
}

fn named(set: &IndicatorSet, roster: &crate::roster::Roster, e: &UnitEval) -> NamedUnit {
    let u = &roster.units[e.unit];
    NamedUnit {
        code: u.code.clone(),
        name: u.name.clone(),
        category: set.categories[u.category].name.clone(),
        total: e.total,
        level: e.level,
        vetoes: e.vetoed.iter().map(|&v| veto_label(set, v)).collect(),
    }
}

/// A veto as sentences name it: "G9 发生重大腐败案件", without a "(一票否决)" its name may carry
/// (the sentence says so already).
pub fn veto_label(set: &IndicatorSet, v: crate::indicators::NodeId) -> String {
    let n = &set.nodes[v];
    let name = n.name.trim();
    let name = ["(一票否决)", "（一票否决）"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name).trim_end();
    format!("{} {name}", n.code)
}

/// Computes [`Summary`] for a run.
pub fn summarize(run: &Run) -> Summary {
    let set = run.set;
    let roster = run.roster;
    let by_rank = |units: &mut Vec<&UnitEval>| {
        units.sort_by_key(|e| {
            let u = &roster.units[e.unit];
            (u.category, e.rank.unwrap_or(u32::MAX), u.code.clone())
        })
    };
    let named = |e: &UnitEval| named(set, roster, e);
    let units = &run.eval.units;
    let categories = set
        .categories
        .iter()
        .enumerate()
        .filter_map(|(c, cat)| {
            let members: Vec<&UnitEval> = units.iter().filter(|e| roster.units[e.unit].category == c).collect();
            (!members.is_empty()).then(|| (cat.name.clone(), stats(set, members)))
        })
        .collect();
    let mut most_severe: Vec<&UnitEval> = units.iter().filter(|e| e.level == Some(0)).collect();
    by_rank(&mut most_severe);
    let mut severe_first: Vec<&UnitEval> = units
        .iter()
        .filter(|e| e.level != Some(0) && e.warnings.iter().any(|w| w.scope.is_some() && w.level == 0))
        .collect();
    by_rank(&mut severe_first);
    let severe_first_levels = severe_first
        .into_iter()
        .map(|e| {
            let scopes = e
                .warnings
                .iter()
                .filter_map(|w| w.scope.filter(|_| w.level == 0))
                .map(|r| format!("{} {}", set.nodes[r].code, set.nodes[r].name))
                .collect();
            (named(e), scopes)
        })
        .collect();
    let mut vetoed: Vec<&UnitEval> = units.iter().filter(|e| !e.vetoed.is_empty()).collect();
    by_rank(&mut vetoed);
    let first_level_hits = units.iter().map(|e| e.warnings.iter().filter(|w| w.scope.is_some()).count()).sum();
    let first_level_units = units.iter().filter(|e| e.warnings.iter().any(|w| w.scope.is_some())).count();

    let mut rates: Vec<RateLine> = set
        .roots
        .iter()
        .filter(|&&r| !set.nodes[r].is_veto())
        .filter_map(|&r| {
            let max = set.nodes[r].max?;
            let scored: Vec<Decimal> = units.iter().filter_map(|e| e.scores[r].value()).collect();
            if scored.is_empty() || max.is_zero() {
                return None;
            }
            let warned = units.iter().filter(|e| e.warnings.iter().any(|w| w.scope == Some(r))).count();
            Some(RateLine {
                code: set.nodes[r].code.clone(),
                name: set.nodes[r].name.clone(),
                mean_rate: losses::mean_rate(scored.iter().sum(), max, scored.len())?,
                scored: scored.len(),
                warned,
            })
        })
        .collect();
    // Stable: ties keep indicator order.
    rates.sort_by_key(|r| r.mean_rate);

    let losses = leaf_losses(run)
        .into_iter()
        .filter(|l| l.lost > Decimal::ZERO)
        .take(TOP_LOSSES)
        .map(|l| LossLine {
            code: set.nodes[l.leaf].code.clone(),
            name: set.nodes[l.leaf].name.clone(),
            first_level: set.nodes[losses::root_of(set, l.leaf)].name.clone(),
            lost: l.lost,
            losing: l.losing,
        })
        .collect();

    let changes = changes(run);

    Summary {
        set_name: set.name.clone(),
        window: run.eval.window.chinese(),
        provisional: run.loaded.provisional_reason(),
        decimals: set.decimals,
        level_names: set.warnings.iter().map(|w| w.name.clone()).collect(),
        overall: stats(set, units),
        categories,
        most_severe: most_severe.into_iter().map(named).collect(),
        severe_first_levels,
        vetoed: vetoed.into_iter().map(named).collect(),
        first_level_hits,
        first_level_units,
        rates,
        losses,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::WarningHit;

    fn set(decimals: u32) -> IndicatorSet {
        let toml = format!(
            "name = \"t\"\nscale = 100\ndecimals = {decimals}\n[[category]]\ncode = \"c\"\nname = \"镇街\"\n\
             [[station]]\ncode = \"S\"\nname = \"s\"\n\
             [[warning]]\nlevel = \"red\"\nbelow = 60\n[[warning]]\nlevel = \"yellow\"\nbelow = 80\n\
             [[warning]]\nlevel = \"blue\"\nbelow = 90\n\
             [[indicator]]\ncode = \"A\"\nname = \"a\"\nmax = 100\n\
             [[indicator]]\ncode = \"A1\"\nparent = \"A\"\nname = \"a1\"\nmax = 100\nstation = \"S\"\nrule = \"direct\"\n"
        );
        crate::indicators::parse(toml.as_bytes()).expect("set")
    }

    fn unit(total: Option<&str>, level: Option<usize>, vetoed: bool) -> UnitEval {
        UnitEval {
            unit: 0,
            scores: Vec::new(),
            total: total.map(|t| t.parse().unwrap()),
            before_veto: None,
            level,
            rank: None,
            warnings: level
                .map(|l| WarningHit { scope: None, level: l, score: Decimal::ZERO, max: Decimal::ONE })
                .into_iter()
                .collect(),
            vetoed: if vetoed { vec![1] } else { Vec::new() },
        }
    }

    #[test]
    fn mean_median_min_max_by_hand() {
        let s = set(2);
        // 90, 80, 85.5, 70 → sorted 70, 80, 85.5, 90: mean 325.5/4 = 81.375 → 81.38 (half away from zero);
        // median (80 + 85.5)/2 = 82.75.
        let units = [
            unit(Some("90"), None, false),
            unit(Some("80"), Some(2), false),
            unit(Some("85.5"), Some(2), false),
            unit(Some("70"), Some(0), true),
            unit(None, None, false),
        ];
        let st = stats(&s, &units);
        assert_eq!((st.units, st.scored, st.unwarned, st.vetoed), (5, 4, 1, 1));
        assert_eq!(st.mean, Some("81.38".parse().unwrap()));
        assert_eq!(st.median, Some("82.75".parse().unwrap()));
        assert_eq!((st.min, st.max), (Some("70".parse().unwrap()), Some("90".parse().unwrap())));
        assert_eq!(st.levels, vec![1, 0, 2]);
    }

    #[test]
    fn odd_count_median_is_the_middle_and_rounding_goes_away_from_zero() {
        let s = set(0);
        // 1 + 2 + 2 = 5 / 3 = 1.67 → 2 at 0 places; median 2. Then 0.5 → 1 (a tie goes away from zero).
        let st = stats(&s, &[unit(Some("1"), None, false), unit(Some("2"), None, false), unit(Some("2"), None, false)]);
        assert_eq!((st.mean, st.median), (Some(Decimal::from(2)), Some(Decimal::from(2))));
        let st = stats(&s, &[unit(Some("0"), None, false), unit(Some("1"), None, false)]);
        assert_eq!((st.mean, st.median), (Some(Decimal::ONE), Some(Decimal::ONE)));
        let none = stats(&s, &[unit(None, None, true)]);
        assert_eq!((none.scored, none.mean, none.median, none.vetoed), (0, None, None, 1));
    }

    #[test]
    fn a_veto_label_drops_the_names_own_veto_note() {
        let toml = "name = \"t\"\nscale = 100\n[[category]]\ncode = \"c\"\nname = \"镇街\"\n\
            [[station]]\ncode = \"S\"\nname = \"s\"\n[[warning]]\nlevel = \"red\"\nbelow = 60\n\
            [[indicator]]\ncode = \"A\"\nname = \"a\"\nmax = 100\nstation = \"S\"\nrule = \"direct\"\n\
            [[indicator]]\ncode = \"G9\"\nname = \"发生重大腐败案件 (一票否决)\"\nstation = \"S\"\nrule = \"veto\"\ncap_total = 59\n";
        let set = crate::indicators::parse(toml.as_bytes()).expect("set");
        assert_eq!(veto_label(&set, set.node("G9").unwrap()), "G9 发生重大腐败案件");
    }

    #[test]
    fn histogram_bands_include_their_lower_bound_and_the_top_one_full_marks() {
        let t: Vec<Decimal> = ["0", "99.99", "100", "950", "1000", "599"].iter().map(|d| d.parse().unwrap()).collect();
        let h = histogram(&t, Decimal::from(1000), 10);
        assert_eq!(h[0], ("0–100".to_string(), 2));
        assert_eq!(h[1], ("100–200".to_string(), 1));
        assert_eq!(h[5], ("500–600".to_string(), 1));
        assert_eq!(h[9], ("900–1000".to_string(), 2));
        assert_eq!(h.iter().map(|(_, n)| n).sum::<usize>(), 6);
    }
}
