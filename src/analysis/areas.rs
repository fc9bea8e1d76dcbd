//! 区域指数 (docs/areas.md): each area's index from the score rates of the units inside it — pure and
//! computed from result documents, so `score` and `rollup` give an area the same number.
//!
//! An area's index is the weighted mean of its units' score rates (total ÷ the total's full marks),
//! times the declared scale, computed exactly and rounded once. Every unit inside an area counts,
//! directly or through an area inside it: a district's index is over all its units, not a mean of its
//! streets' rounded indices. A unit without a total takes no part (it is counted as excluded); an area
//! whose units all lack one has no index. An area with a unit from a provisional result is provisional.

use crate::exact::{q, round};
use crate::result::{GroupInfo, LevelDef, ResultDoc};
use rust_decimal::Decimal;

/// One unit as an area index sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Member<'a> {
    /// The unit's area path ("定海区/白泉镇").
    pub area: &'a str,
    /// Positive (1 when the roster leaves it blank).
    pub weight: Decimal,
    pub total: Option<Decimal>,
    /// The total's full marks (the unit's set's scale).
    pub max: Decimal,
    /// The unit comes from a provisional result.
    pub provisional: bool,
}

/// The members of a result's areas, in the result's unit order (by code); a rolled-up unit is provisional
/// when its own result was.
pub fn members(doc: &ResultDoc) -> Vec<Member<'_>> {
    let max = doc.indicator_set.scale.unwrap_or(Decimal::ONE_HUNDRED);
    doc.units
        .iter()
        .filter_map(|u| {
            Some(Member {
                area: u.area.as_deref()?,
                weight: u.weight.unwrap_or(Decimal::ONE),
                total: u.total,
                max,
                provisional: !u.origin.as_ref().map_or(doc.complete, |o| o.complete),
            })
        })
        .collect()
}

/// The paths of `area` and every area enclosing it, widest first: "a/b/c" → "a", "a/b", "a/b/c".
fn lineage(area: &str) -> impl Iterator<Item = &str> {
    area.match_indices('/').map(|(i, _)| &area[..i]).chain(std::iter::once(area))
}

/// Every area's index on `scale` with `dp` places; warning levels by `levels` (most severe first, `below`
/// in percent of `scale`). Areas come parents first: each widest area, then the areas inside it, in the
/// order their first unit appears among `members`.
pub fn compute(members: &[Member], levels: &[LevelDef], scale: Decimal, dp: u32) -> Vec<GroupInfo> {
    struct Acc {
        code: String,
        units: usize,
        excluded: usize,
        weighted: crate::exact::Exact,
        weights: crate::exact::Exact,
        provisional: bool,
    }
    let mut accs: Vec<Acc> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for m in members {
        for path in lineage(m.area) {
            let i = *at.entry(path.to_string()).or_insert_with(|| {
                accs.push(Acc {
                    code: path.to_string(),
                    units: 0,
                    excluded: 0,
                    weighted: crate::exact::qi(0),
                    weights: crate::exact::qi(0),
                    provisional: false,
                });
                accs.len() - 1
            });
            let a = &mut accs[i];
            a.units += 1;
            a.provisional |= m.provisional;
            match m.total {
                Some(t) if !m.max.is_zero() => {
                    a.weighted += q(m.weight) * q(t) / q(m.max);
                    a.weights += q(m.weight);
                }
                _ => a.excluded += 1,
            }
        }
    }
    let mut groups: Vec<GroupInfo> = accs
        .into_iter()
        .map(|a| {
            let index = (a.weights != crate::exact::qi(0)).then(|| round(&(a.weighted / a.weights * q(scale)), dp));
            let (parent, name) = match a.code.rsplit_once('/') {
                Some((p, n)) => (Some(p.to_string()), n.to_string()),
                None => (None, a.code.clone()),
            };
            GroupInfo {
                level: index.and_then(|i| level_of(levels, i, scale)).map(|l| levels[l].level.clone()),
                code: a.code,
                name,
                parent,
                units: a.units,
                excluded: a.excluded,
                index,
                max: scale,
                rank: None,
                provisional: a.provisional,
            }
        })
        .collect();
    rank_siblings(&mut groups);
    parents_first(groups)
}

/// The first level whose threshold the index is strictly below (as for a unit's total).
pub fn level_of(levels: &[LevelDef], index: Decimal, max: Decimal) -> Option<usize> {
    levels.iter().position(|l| q(index) * crate::exact::qi(100) < q(l.below) * q(max))
}

/// Ranks among the areas with the same parent, by index, highest first; ties share a rank (1, 1, 3).
fn rank_siblings(groups: &mut [GroupInfo]) {
    let mut parents: Vec<Option<String>> = groups.iter().map(|g| g.parent.clone()).collect();
    parents.sort();
    parents.dedup();
    for parent in parents {
        let scored: Vec<(Decimal, usize)> = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.parent == parent)
            .filter_map(|(i, g)| g.index.map(|x| (x, i)))
            .collect();
        for (i, r) in crate::engine::competition_ranks(scored) {
            groups[i].rank = Some(r);
        }
    }
}

/// Depth-first: each area followed by the areas inside it, siblings in their first-appearance order.
fn parents_first(groups: Vec<GroupInfo>) -> Vec<GroupInfo> {
    fn visit(parent: Option<&str>, all: &[GroupInfo], out: &mut Vec<usize>) {
        for (i, g) in all.iter().enumerate() {
            if g.parent.as_deref() == parent {
                out.push(i);
                visit(Some(&g.code), all, out);
            }
        }
    }
    let mut order = Vec::with_capacity(groups.len());
    visit(None, &groups, &mut order);
    let mut slots: Vec<Option<GroupInfo>> = groups.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn levels() -> Vec<LevelDef> {
        [("red", "60"), ("yellow", "80"), ("blue", "90")]
            .iter()
            .map(|(l, b)| LevelDef { level: l.to_string(), below: d(b), ..LevelDef::default() })
            .collect()
    }

    fn m(area: &str, weight: &str, total: Option<&str>, provisional: bool) -> Member<'static> {
        let area: &'static str = Box::leak(area.to_string().into_boxed_str());
        Member { area, weight: d(weight), total: total.map(d), max: d("1000"), provisional }
    }

    #[test]
    fn nested_areas_average_every_unit_inside_them() {
        // 白泉镇: 900 and 800 of 1000 → rates 0.9, 0.8, weights 1 and 3 → (0.9 + 2.4) / 4 = 0.825 → 82.5.
        // 干览镇: 950, and one unit without a total (excluded) → 0.95 → 95.
        // 定海区 holds all four: (0.9 + 2.4 + 0.95) / 5 = 0.85 → 85.
        let members = [
            m("定海区/白泉镇", "1", Some("900"), false),
            m("定海区/白泉镇", "3", Some("800"), false),
            m("定海区/干览镇", "1", Some("950"), false),
            m("定海区/干览镇", "1", None, true),
        ];
        let g = compute(&members, &levels(), d("100"), 2);
        let codes: Vec<&str> = g.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(codes, ["定海区", "定海区/白泉镇", "定海区/干览镇"]);
        assert_eq!(g[0].index, Some(d("85.00")));
        assert_eq!((g[0].units, g[0].excluded, g[0].parent.as_deref(), g[0].name.as_str()), (4, 1, None, "定海区"));
        assert_eq!(g[1].index, Some(d("82.50")));
        assert_eq!(g[1].parent.as_deref(), Some("定海区"));
        assert_eq!(g[1].name, "白泉镇");
        assert_eq!(g[2].index, Some(d("95.00")));
        assert_eq!((g[2].units, g[2].excluded), (2, 1));
        // Levels by the set's lines on the area's scale: 82.5 < 90 → blue; 85 → blue; 95 → none.
        assert_eq!(g[1].level.as_deref(), Some("blue"));
        assert_eq!(g[0].level.as_deref(), Some("blue"));
        assert_eq!(g[2].level, None);
        // Ranks among siblings; the widest area is ranked among the widest.
        assert_eq!((g[0].rank, g[1].rank, g[2].rank), (Some(1), Some(2), Some(1)));
        // The excluded unit is from a provisional result: its areas are provisional, 白泉镇 is not.
        assert_eq!((g[0].provisional, g[1].provisional, g[2].provisional), (true, false, true));
    }

    #[test]
    fn rounding_is_once_and_half_away_from_zero() {
        // Rates 0.6 and 0.7 and 0.7 of 3 units: mean 2/3 → 66.666… → 66.67 (not 66.66 nor from a rounded rate).
        let members =
            [m("甲", "1", Some("600"), false), m("甲", "1", Some("700"), false), m("甲", "1", Some("700"), false)];
        assert_eq!(compute(&members, &levels(), d("100"), 2)[0].index, Some(d("66.67")));
        // 0.59995 × 100 = 59.995 → 60.00 at 2 places: rounded first, then compared, so no red (60 is not < 60).
        let members = [m("乙", "1", Some("599.95"), false)];
        let g = compute(&members, &levels(), d("100"), 2);
        assert_eq!(g[0].index, Some(d("60.00")));
        assert_eq!(g[0].level.as_deref(), Some("yellow"));
        // On a scale of 1000 with the same lines: 599.95 stays, and is red.
        let g = compute(&members, &levels(), d("1000"), 2);
        assert_eq!((g[0].index, g[0].level.as_deref()), (Some(d("599.95")), Some("red")));
    }

    #[test]
    fn ties_share_a_rank_and_an_all_excluded_area_has_no_index() {
        let members = [
            m("区/甲", "1", Some("800"), false),
            m("区/乙", "2", Some("800"), false),
            m("区/丙", "1", Some("700"), false),
            m("区/丁", "1", None, false),
        ];
        let g = compute(&members, &levels(), d("100"), 2);
        let by = |c: &str| g.iter().find(|g| g.code == c).unwrap();
        assert_eq!((by("区/甲").rank, by("区/乙").rank, by("区/丙").rank), (Some(1), Some(1), Some(3)));
        assert_eq!((by("区/丁").index, by("区/丁").rank, by("区/丁").level.as_deref()), (None, None, None));
        assert_eq!((by("区/丁").units, by("区/丁").excluded), (1, 1));
        // 区: (0.8 + 1.6 + 0.7) / 4 = 0.775 → 77.5, yellow (below 80, not below 60).
        assert_eq!((by("区").index, by("区").level.as_deref()), (Some(d("77.50")), Some("yellow")));
    }

    #[test]
    fn lineage_lists_every_enclosing_area() {
        assert_eq!(lineage("a/b/c").collect::<Vec<_>>(), ["a", "a/b", "a/b/c"]);
        assert_eq!(lineage("a").collect::<Vec<_>>(), ["a"]);
    }
}
