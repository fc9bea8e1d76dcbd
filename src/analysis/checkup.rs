//! The facts of one unit's 体检报告 (docs/report.md): where it stands in its category, its first-level
//! indicators against the category mean, 症状 (its 扣分点 by first-level indicator), 病因 (its weakest
//! indicators and why), 努力方向, and the veto cap. Category figures are aggregates, never another unit's data.

use crate::analysis::losses::{self, Deduction, rate, unit_deductions};
use crate::engine::UnitEval;
use crate::exact::{q, qi, round};
use crate::indicators::{IndicatorSet, Missing, NodeId, NodeKind, Rule};
use crate::record::Record;
use crate::result::UnitResult;
use crate::roster::Roster;
use rust_decimal::Decimal;

/// How many of the weakest leaves 病因 lists.
pub const CAUSES: usize = 5;

/// A unit's place in its category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// Units of the category (the roster's) and those with a total.
    pub peers: usize,
    pub scored_peers: usize,
    /// Mean of the category's totals, to the set's decimals.
    pub category_mean: Option<Decimal>,
    /// The share of the category's other scored units whose total is lower, to 4 places
    /// (超过本类别 x% 的单位); `None` without a total or without another scored unit.
    pub beats: Option<Decimal>,
}

pub fn standing(set: &IndicatorSet, roster: &Roster, units: &[UnitEval], e: &UnitEval) -> Standing {
    let cat = roster.units[e.unit].category;
    let peers: Vec<&UnitEval> = units.iter().filter(|o| roster.units[o.unit].category == cat).collect();
    let totals: Vec<Decimal> = peers.iter().filter_map(|o| o.total).collect();
    let category_mean = losses::mean(&totals, set.decimals);
    let beats = e.total.filter(|_| totals.len() > 1).map(|t| {
        let lower = totals.iter().filter(|&&o| o < t).count();
        round(&(qi(lower as i64) / qi(totals.len() as i64 - 1)), 4)
    });
    Standing { peers: peers.len(), scored_peers: totals.len(), category_mean, beats }
}

/// One first-level indicator of the unit, beside its category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstLevel {
    pub node: NodeId,
    pub max: Decimal,
    pub score: Option<Decimal>,
    /// score / max, to 4 places.
    pub rate: Option<Decimal>,
    /// The category's mean score rate on it (units with a score), to 4 places.
    pub category_rate: Option<Decimal>,
    /// The warning level on it, if any.
    pub level: Option<usize>,
    /// Its score in the previous period (`--previous`).
    pub previous: Option<Decimal>,
}

/// The unit's applicable first-level indicators (vetoes left out), in indicator order.
pub fn first_levels(
    set: &IndicatorSet,
    roster: &Roster,
    units: &[UnitEval],
    e: &UnitEval,
    previous: Option<&UnitResult>,
) -> Vec<FirstLevel> {
    let cat = roster.units[e.unit].category;
    set.roots
        .iter()
        .filter(|&&r| !set.nodes[r].is_veto() && set.nodes[r].applies[cat])
        .filter_map(|&r| {
            let max = set.nodes[r].max?;
            let score = e.scores[r].value();
            let rates: Vec<Decimal> = units
                .iter()
                .filter(|o| roster.units[o.unit].category == cat)
                .filter_map(|o| o.scores[r].value())
                .collect();
            let category_rate = losses::mean_rate(rates.iter().sum(), max, rates.len());
            Some(FirstLevel {
                node: r,
                max,
                score,
                rate: score.filter(|_| !max.is_zero()).map(|s| round(&q(rate(s, max)), 4)),
                category_rate,
                level: e.warnings.iter().find(|w| w.scope == Some(r)).map(|w| w.level),
                previous: previous.and_then(|p| p.score(&set.nodes[r].code)),
            })
        })
        .collect()
}

/// 症状: the unit's 扣分点 under one first-level indicator.
#[derive(Clone, Debug)]
pub struct Symptom<'a> {
    pub root: NodeId,
    /// The first-level indicator's own full marks, score and loss (max − score).
    pub max: Decimal,
    pub score: Option<Decimal>,
    pub lost: Decimal,
    /// Points lost on its leaves, summed. It differs from `lost` when a leaf was not due or
    /// excluded and the indicator was rescaled from the others (docs/scoring.md).
    pub items_lost: Decimal,
    /// Most lost first.
    pub items: Vec<Deduction<'a>>,
}

impl Symptom<'_> {
    /// Whether the indicator was rescaled, so its loss is not the sum of its leaves' losses.
    pub fn rescaled(&self) -> bool {
        self.lost != self.items_lost
    }
}

/// The 扣分点 grouped by first-level indicator, in indicator order; indicators with no loss left out.
pub fn symptoms<'a>(set: &IndicatorSet, e: &UnitEval, own: &[&'a Record]) -> Vec<Symptom<'a>> {
    let mut groups: Vec<Symptom<'a>> = Vec::new();
    for d in unit_deductions(set, e, own) {
        let root = losses::root_of(set, d.leaf);
        match groups.iter_mut().find(|g| g.root == root) {
            Some(g) => {
                g.items_lost += d.lost;
                g.items.push(d);
            }
            None => {
                let max = set.nodes[root].max.unwrap_or_default();
                let score = e.scores[root].value();
                let lost = score.map(|s| max - s).unwrap_or(d.lost);
                groups.push(Symptom { root, max, score, lost, items_lost: d.lost, items: vec![d] })
            }
        }
    }
    groups.sort_by_key(|g| set.roots.iter().position(|&r| r == g.root));
    groups
}

/// Why a leaf scored what it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// No record: scored by its `missing` policy (未报送数据,按规则计 0 分).
    NoData(Missing),
    /// From this many records.
    Records(usize),
}

/// 病因: a weak leaf, with why.
#[derive(Clone, Debug)]
pub struct Cause<'a> {
    pub leaf: NodeId,
    pub score: Decimal,
    pub max: Decimal,
    pub rate: Decimal,
    pub why: Why,
    pub records: Vec<&'a Record>,
}

/// The unit's weakest scored leaves: score rate below 100%, lowest first (ties in indicator order), at most [`CAUSES`].
pub fn causes<'a>(set: &IndicatorSet, e: &UnitEval, own: &[&'a Record]) -> Vec<Cause<'a>> {
    let mut weak: Vec<Cause<'a>> = losses::scored_leaves(set)
        .filter_map(|id| {
            let score = e.scores[id].value()?;
            let max = set.nodes[id].max.filter(|m| !m.is_zero())?;
            let r = rate(score, max);
            if r >= Decimal::ONE {
                return None;
            }
            let records: Vec<&Record> = own.iter().copied().filter(|r| r.leaf == id).collect();
            let why = match (&set.nodes[id].kind, records.len()) {
                (NodeKind::Leaf(l), 0) if !matches!(l.rule, Rule::Points(_)) => Why::NoData(l.missing),
                (_, n) => Why::Records(n),
            };
            Some(Cause { leaf: id, score, max, rate: r, why, records })
        })
        .collect();
    weak.sort_by(|a, b| a.rate.cmp(&b.rate).then(a.leaf.cmp(&b.leaf)));
    weak.truncate(CAUSES);
    weak
}

/// The veto cap as people read it: (各项合计, the cap applied), when a veto lowered the total.
pub fn veto_cap(e: &UnitEval) -> Option<(Decimal, Decimal)> {
    match (e.before_veto, e.total) {
        (Some(before), Some(total)) if total < before => Some((before, total)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{NodeScore, WarningHit};
    use crate::roster::Unit;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn set() -> IndicatorSet {
        let toml = "name = \"t\"\nscale = 100\n[[category]]\ncode = \"c\"\nname = \"镇街\"\n\
            [[category]]\ncode = \"d\"\nname = \"部门\"\n[[station]]\ncode = \"S\"\nname = \"s\"\n\
            [[warning]]\nlevel = \"red\"\nbelow = 60\n\
            [[indicator]]\ncode = \"A\"\nname = \"a\"\nmax = 60\n\
            [[indicator]]\ncode = \"A1\"\nparent = \"A\"\nname = \"a1\"\nmax = 40\nstation = \"S\"\nrule = \"direct\"\n\
            [[indicator]]\ncode = \"A2\"\nparent = \"A\"\nname = \"a2\"\nmax = 20\nstation = \"S\"\nrule = \"points\"\ndeduct = 5\n\
            [[indicator]]\ncode = \"B\"\nname = \"b\"\nmax = 40\nstation = \"S\"\nrule = \"direct\"\n";
        crate::indicators::parse(toml.as_bytes()).expect("set")
    }

    /// Scores by node id: A, A1, A2, B.
    fn unit(i: usize, s: [Option<&str>; 4], total: Option<&str>) -> UnitEval {
        let scores = s.iter().map(|v| v.map(|v| NodeScore::Scored(d(v))).unwrap_or(NodeScore::NotApplicable)).collect();
        UnitEval {
            unit: i,
            scores,
            total: total.map(d),
            before_veto: total.map(d),
            level: None,
            rank: None,
            warnings: Vec::new(),
            vetoed: Vec::new(),
        }
    }

    fn roster() -> Roster {
        let u = |code: &str, category| Unit { code: code.into(), name: code.into(), category };
        Roster::new(vec![u("T1", 0), u("T2", 0), u("T3", 0), u("D1", 1)]).unwrap()
    }

    #[test]
    fn standing_counts_lower_totals_among_the_category_only() {
        let s = set();
        let units = vec![
            unit(0, [Some("45"), Some("30"), Some("15"), Some("40")], Some("85")),
            unit(1, [Some("60"), Some("40"), Some("20"), Some("30")], Some("90")),
            unit(2, [Some("30"), Some("20"), Some("10"), Some("40")], Some("70")),
            unit(3, [Some("10"), Some("5"), Some("5"), Some("0")], Some("10")), // another category
        ];
        let st = standing(&s, &roster(), &units, &units[0]);
        // Towns 85, 90, 70: mean 81.666… → 81.67; T1 beats 1 of the 2 others.
        assert_eq!((st.peers, st.scored_peers), (3, 3));
        assert_eq!(st.category_mean, Some(d("81.67")));
        assert_eq!(st.beats, Some(d("0.5")));
        assert_eq!(standing(&s, &roster(), &units, &units[1]).beats, Some(Decimal::ONE));
        assert_eq!(standing(&s, &roster(), &units, &units[2]).beats, Some(Decimal::ZERO));
        // Alone in its category: no share to speak of.
        assert_eq!(standing(&s, &roster(), &units, &units[3]).beats, None);

        // First-level rates: T1's A 45/60 = 0.75 against the towns' (45+60+30)/(60×3) = 0.75;
        // B 40/40 = 1 against (40+30+40)/120 = 0.9167 (0.91666…).
        let mut e = units[0].clone();
        e.warnings.push(WarningHit { scope: Some(0), level: 0, score: d("45"), max: d("60") });
        let f = first_levels(&s, &roster(), &units, &e, None);
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].rate, f[0].category_rate, f[0].level), (Some(d("0.75")), Some(d("0.75")), Some(0)));
        assert_eq!((f[1].rate, f[1].category_rate, f[1].level), (Some(Decimal::ONE), Some(d("0.9167")), None));
    }

    #[test]
    fn causes_are_the_weakest_leaves_and_say_when_nothing_was_sent() {
        let s = set();
        // A1 10/40 (0.25) with no record: a direct rule scored by `missing`; A2 15/20 (0.75) from no
        // record either, but points rules start from full marks; B 40/40 is not weak.
        let e = unit(0, [Some("25"), Some("10"), Some("15"), Some("40")], Some("65"));
        let c = causes(&s, &e, &[]);
        assert_eq!(c.iter().map(|c| s.nodes[c.leaf].code.as_str()).collect::<Vec<_>>(), ["A1", "A2"]);
        assert_eq!(c[0].why, Why::NoData(Missing::Zero));
        assert_eq!(c[1].why, Why::Records(0));
        assert_eq!(c[0].rate, d("0.25"));
        // Symptoms: the two losses under A (30 + 5), in one group.
        let sy = symptoms(&s, &e, &[]);
        assert_eq!(sy.len(), 1);
        assert_eq!((s.nodes[sy[0].root].code.as_str(), sy[0].items_lost, sy[0].items.len()), ("A", d("35"), 2));
        // A scores 25 of 60: it lost 35, the sum of its leaves' losses — not rescaled.
        assert_eq!((sy[0].lost, sy[0].rescaled()), (d("35"), false));
        // Were A rescaled (say 20 of 60 with a leaf not due), its loss would be 40, not 35.
        let mut r = e.clone();
        r.scores[0] = NodeScore::Scored(d("20"));
        let sy = symptoms(&s, &r, &[]);
        assert_eq!((sy[0].lost, sy[0].items_lost, sy[0].rescaled()), (d("40"), d("35"), true));
    }

    #[test]
    fn a_cap_is_shown_only_when_it_lowered_the_total() {
        let mut e = unit(0, [None, None, None, None], Some("59"));
        e.before_veto = Some(d("97.5"));
        assert_eq!(veto_cap(&e), Some((d("97.5"), d("59"))));
        e.before_veto = Some(d("59"));
        assert_eq!(veto_cap(&e), None);
    }
}
