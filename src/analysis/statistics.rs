//! The facts of 摘要 (docs/report.md): statistics of the totals per category, first-level indicators by mean
//! score rate, the heaviest losses, the units a leader must hear about, and the changes since the previous period.
//!
//! Names are resolved here so that [`Summary`] stands on its own: 核心结论
//! (`analysis::conclusions`), the Excel 摘要 sheet and the terminal all show the same numbers.

use crate::analysis::compare::{Transition, transition};
use crate::analysis::losses;
use crate::exact::{q, qi, round};
use crate::period::Period;
use crate::result::{IndicatorDef, ResultDoc, TOTAL_SCOPE, UnitResult};
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

/// What [`stats`] needs of a unit: its total, its total's level (index, 0 most severe), whether a veto triggered.
#[derive(Clone, Copy, Debug)]
pub struct UnitFacts {
    pub total: Option<Decimal>,
    pub level: Option<usize>,
    pub vetoed: bool,
}

/// Statistics of the given units' totals, rounded to `dp` places.
pub fn stats(levels: usize, dp: u32, units: impl IntoIterator<Item = UnitFacts>) -> Stats {
    let mut s = Stats { levels: vec![0; levels], ..Stats::default() };
    let mut totals = Vec::new();
    for e in units {
        s.units += 1;
        s.vetoed += usize::from(e.vetoed);
        if let Some(t) = e.total {
            totals.push(t);
            match e.level {
                Some(l) if l < levels => s.levels[l] += 1,
                Some(_) | None => s.unwarned += 1,
            }
        }
    }
    s.scored = totals.len();
    totals.sort();
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

/// A veto as sentences name it: "G9 发生重大腐败案件", without a "(一票否决)" its name may carry
/// (the sentence says so already).
pub fn veto_label(code: &str, name: &str) -> String {
    let name = name.trim();
    let name = ["(一票否决)", "（一票否决）"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name).trim_end();
    format!("{code} {name}")
}

/// A result read for 摘要: levels by severity, categories in the set's order, names of indicators.
struct View<'a> {
    doc: &'a ResultDoc,
}

impl<'a> View<'a> {
    fn severity(&self, level: &str) -> Option<usize> {
        self.doc.severity(level)
    }

    fn category_order(&self, code: &str) -> usize {
        self.doc.category_order(code)
    }

    fn name(&self, code: &str) -> String {
        self.doc.indicator_name(code).unwrap_or(code).to_string()
    }

    /// Units by category (the set's order, unknown last), then rank (unranked last), then code.
    fn by_rank(&self, units: &mut [&UnitResult]) {
        units.sort_by_key(|u| (self.category_order(&u.category), u.rank.unwrap_or(u32::MAX), u.code.clone()));
    }

    fn named(&self, u: &UnitResult) -> NamedUnit {
        NamedUnit {
            code: u.code.clone(),
            name: u.name.clone(),
            category: self.doc.category_name(&u.category).to_string(),
            total: u.total,
            level: u.level.as_deref().and_then(|l| self.severity(l)),
            vetoes: u.vetoed.iter().map(|v| veto_label(v, &self.name(v))).collect(),
        }
    }

    fn facts(&self, u: &UnitResult) -> UnitFacts {
        UnitFacts {
            total: u.total,
            level: u.level.as_deref().and_then(|l| self.severity(l)),
            vetoed: !u.vetoed.is_empty(),
        }
    }

    /// The first-level warnings of a unit (not the total's), as (scope, severity).
    fn first_level_warnings<'b>(&self, u: &'b UnitResult) -> impl Iterator<Item = (&'b str, Option<usize>)> + 'b
    where
        'a: 'b,
    {
        let doc: &'b ResultDoc = self.doc;
        u.warnings.iter().filter(|w| w.scope != TOTAL_SCOPE).map(move |w| (w.scope.as_str(), doc.severity(&w.level)))
    }
}

/// What changed since `previous`: warnings (per unit and scope) by transition — as 整改跟踪 counts them —
/// and the units warned now and not before (by category, then rank).
pub fn changes(doc: &ResultDoc, previous: &ResultDoc) -> Changes {
    let view = View { doc };
    let severity = |code: &str| doc.severity(code).or_else(|| previous.severity(code)).unwrap_or(usize::MAX);
    let mut counts: Vec<(Transition, usize)> = CHANGE_ORDER.iter().map(|&t| (t, 0)).collect();
    let mut count = |t: Transition| {
        if let Some(c) = counts.iter_mut().find(|(x, _)| *x == t) {
            c.1 += 1;
        }
    };
    let mut newly: Vec<&UnitResult> = Vec::new();
    for u in &doc.units {
        let before = previous.unit(&u.code).map(|p| p.warnings.as_slice()).unwrap_or_default();
        for w in before {
            let now = u.warnings.iter().find(|n| n.scope == w.scope).map(|n| n.level.as_str());
            count(transition(Some(&w.level), now, severity));
        }
        for w in u.warnings.iter().filter(|w| !before.iter().any(|b| b.scope == w.scope)) {
            let _ = w;
            count(Transition::New);
        }
        if !u.warnings.is_empty() && before.is_empty() {
            newly.push(u);
        }
    }
    view.by_rank(&mut newly);
    Changes {
        previous: previous.period.clone(),
        counts,
        newly_warned: newly.into_iter().map(|u| view.named(u)).collect(),
    }
}

/// Computes [`Summary`] from a result (the JSON's types: a run's own, or one read back), with the previous
/// period's result for the changes, and why the result is provisional, if it is.
pub fn summarize(doc: &ResultDoc, previous: Option<&ResultDoc>, provisional: Option<String>) -> Summary {
    let view = View { doc };
    let set = &doc.indicator_set;
    let dp = set.decimals.unwrap_or(2);
    let levels = set.warnings.len();
    let units: Vec<&UnitResult> = doc.units.iter().collect();
    // Categories in the set's order, then any the result does not list, in order of appearance.
    let mut order: Vec<String> = set.categories.iter().map(|c| c.code.clone()).collect();
    for u in &units {
        if !order.contains(&u.category) {
            order.push(u.category.clone());
        }
    }
    let categories = order
        .iter()
        .filter_map(|code| {
            let members: Vec<UnitFacts> = units.iter().filter(|u| &u.category == code).map(|u| view.facts(u)).collect();
            (!members.is_empty()).then(|| (doc.category_name(code).to_string(), stats(levels, dp, members)))
        })
        .collect();
    let pick = |keep: &dyn Fn(&UnitResult) -> bool| {
        let mut list: Vec<&UnitResult> = units.iter().copied().filter(|u| keep(u)).collect();
        view.by_rank(&mut list);
        list
    };
    let level_of = |u: &UnitResult| u.level.as_deref().and_then(|l| view.severity(l));
    let most_severe = pick(&|u| level_of(u) == Some(0));
    let severe_first = pick(&|u| level_of(u) != Some(0) && view.first_level_warnings(u).any(|(_, l)| l == Some(0)));
    let severe_first_levels = severe_first
        .into_iter()
        .map(|u| {
            let scopes = view
                .first_level_warnings(u)
                .filter(|(_, l)| *l == Some(0))
                .map(|(s, _)| format!("{s} {}", view.name(s)))
                .collect();
            (view.named(u), scopes)
        })
        .collect();
    let vetoed = pick(&|u| !u.vetoed.is_empty());
    let first_level_hits = units.iter().map(|u| view.first_level_warnings(u).count()).sum();
    let first_level_units = units.iter().filter(|u| view.first_level_warnings(u).next().is_some()).count();

    // The method: first-level indicators (no parent) and leaves (with a rule), vetoes left out.
    let is_veto = |d: &IndicatorDef| d.rule.as_deref().is_some_and(|r| r.starts_with("veto"));
    let mut rates: Vec<RateLine> = set
        .indicators
        .iter()
        .filter(|d| d.parent.is_none() && !is_veto(d))
        .filter_map(|d| {
            let max = d.max?;
            let scored: Vec<Decimal> = units.iter().filter_map(|u| u.scores.get(&d.code).map(|n| n.0)).collect();
            let warned = units.iter().filter(|u| u.warnings.iter().any(|w| w.scope == d.code)).count();
            Some(RateLine {
                code: d.code.clone(),
                name: d.name.clone(),
                mean_rate: losses::mean_rate(scored.iter().sum(), max, scored.len())?,
                scored: scored.len(),
                warned,
            })
        })
        .collect();
    // Stable: ties keep indicator order.
    rates.sort_by_key(|r| r.mean_rate);

    let root = |code: &str| {
        let mut at = code.to_string();
        while let Some(parent) = set.indicators.iter().find(|d| d.code == at).and_then(|d| d.parent.clone()) {
            at = parent;
        }
        at
    };
    let mut lost: Vec<(usize, LossLine)> = set
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, d)| d.rule.is_some() && !is_veto(d))
        .filter_map(|(i, d)| {
            let max = d.max?;
            let (mut sum, mut losing) = (Decimal::ZERO, 0);
            for u in &units {
                if let Some(s) = u.scores.get(&d.code) {
                    let l = max - s.0;
                    sum += l;
                    losing += usize::from(l > Decimal::ZERO);
                }
            }
            (sum > Decimal::ZERO).then(|| {
                let r = root(&d.code);
                (
                    i,
                    LossLine {
                        code: d.code.clone(),
                        name: d.name.clone(),
                        first_level: view.name(&r),
                        lost: sum,
                        losing,
                    },
                )
            })
        })
        .collect();
    lost.sort_by(|a, b| b.1.lost.cmp(&a.1.lost).then(a.0.cmp(&b.0)));
    let losses = lost.into_iter().take(TOP_LOSSES).map(|(_, l)| l).collect();

    Summary {
        set_name: set.name.clone(),
        window: Period::parse(&doc.period).map(|p| p.chinese()).unwrap_or_else(|_| doc.period.clone()),
        provisional,
        decimals: dp,
        level_names: set.warnings.iter().map(|w| w.name.clone()).collect(),
        overall: stats(levels, dp, units.iter().map(|u| view.facts(u))),
        categories,
        most_severe: most_severe.into_iter().map(|u| view.named(u)).collect(),
        severe_first_levels,
        vetoed: vetoed.into_iter().map(|u| view.named(u)).collect(),
        first_level_hits,
        first_level_units,
        rates,
        losses,
        changes: previous.map(|p| changes(doc, p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(total: Option<&str>, level: Option<usize>, vetoed: bool) -> UnitFacts {
        UnitFacts { total: total.map(|t| t.parse().unwrap()), level, vetoed }
    }

    #[test]
    fn mean_median_min_max_by_hand() {
        // 90, 80, 85.5, 70 → sorted 70, 80, 85.5, 90: mean 325.5/4 = 81.375 → 81.38 (half away from zero);
        // median (80 + 85.5)/2 = 82.75.
        let units = [
            unit(Some("90"), None, false),
            unit(Some("80"), Some(2), false),
            unit(Some("85.5"), Some(2), false),
            unit(Some("70"), Some(0), true),
            unit(None, None, false),
        ];
        let st = stats(3, 2, units);
        assert_eq!((st.units, st.scored, st.unwarned, st.vetoed), (5, 4, 1, 1));
        assert_eq!(st.mean, Some("81.38".parse().unwrap()));
        assert_eq!(st.median, Some("82.75".parse().unwrap()));
        assert_eq!((st.min, st.max), (Some("70".parse().unwrap()), Some("90".parse().unwrap())));
        assert_eq!(st.levels, vec![1, 0, 2]);
    }

    #[test]
    fn odd_count_median_is_the_middle_and_rounding_goes_away_from_zero() {
        // 1 + 2 + 2 = 5 / 3 = 1.67 → 2 at 0 places; median 2. Then 0.5 → 1 (a tie goes away from zero).
        let st =
            stats(3, 0, [unit(Some("1"), None, false), unit(Some("2"), None, false), unit(Some("2"), None, false)]);
        assert_eq!((st.mean, st.median), (Some(Decimal::from(2)), Some(Decimal::from(2))));
        let st = stats(3, 0, [unit(Some("0"), None, false), unit(Some("1"), None, false)]);
        assert_eq!((st.mean, st.median), (Some(Decimal::ONE), Some(Decimal::ONE)));
        let none = stats(3, 0, [unit(None, None, true)]);
        assert_eq!((none.scored, none.mean, none.median, none.vetoed), (0, None, None, 1));
    }

    #[test]
    fn a_veto_label_drops_the_names_own_veto_note() {
        assert_eq!(veto_label("G9", "发生重大腐败案件 (一票否决)"), "G9 发生重大腐败案件");
        assert_eq!(veto_label("G9", "腐败案件（一票否决）"), "G9 腐败案件");
        assert_eq!(veto_label("V", "重大案件"), "V 重大案件");
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
