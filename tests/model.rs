//! The engine against a reference model written apart from it, on random sum trees.
//!
//! The trees have two categories with personalised leaves (`applies_to`), every
//! leaf rule (linear in both directions, `mean` and `last`; points with add and
//! deduct items and caps; surveys with `min_responses`; grades; direct), every
//! `missing` policy including `exclude`, and a veto with a cap and/or a level.
//! The model scores them with plain big rationals and its own rounding, and
//! every leaf, group, total, level and rank must equal the engine's.

use num_bigint::BigInt;
use num_rational::BigRational as R;
use num_traits::{One, Signed, Zero};
use proptest::prelude::*;
use rust_decimal::Decimal;
use zhili::engine::{NodeScore, evaluate};
use zhili::indicators::{IndicatorSet, parse};
use zhili::period::Period;
use zhili::record::Record;
use zhili::roster::{Roster, Unit};

#[derive(Clone, Debug)]
enum Kind {
    Direct,
    Linear {
        zero_at: i64,
        full_at: i64,
        last: bool,
    },
    /// (deduct, points per occurrence, cap)
    Items {
        base_max: bool,
        items: Vec<(bool, u32, Option<u32>)>,
    },
    Survey {
        min: u32,
    },
    Grade,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Missing {
    Zero,
    Full,
    Exclude,
}

#[derive(Clone, Debug)]
struct Leaf {
    max: u32,
    kind: Kind,
    missing: Missing,
    /// Applies to this category only (a personalised leaf), or to both.
    only: Option<usize>,
}

#[derive(Clone, Debug)]
struct Tree {
    /// First-level groups (sum) of leaves.
    groups: Vec<Vec<Leaf>>,
    /// (cap_total, level index)
    veto: Option<(Option<u32>, Option<usize>)>,
    decimals: u32,
}

const BELOW: [i64; 3] = [60, 80, 90];
const LEVELS: [&str; 3] = ["red", "yellow", "blue"];
/// Units U0, U1 are category 0; U2, U3 category 1.
const CATEGORY: [usize; 4] = [0, 0, 1, 1];

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Direct),
        (0i64..50, 51i64..100, any::<bool>(), any::<bool>()).prop_map(|(a, b, down, last)| {
            let (zero_at, full_at) = if down { (b, a) } else { (a, b) };
            Kind::Linear { zero_at, full_at, last }
        }),
        (any::<bool>(), prop::collection::vec((any::<bool>(), 1u32..5, prop::option::of(1u32..8)), 1..4))
            .prop_map(|(base_max, items)| Kind::Items { base_max, items }),
        (1u32..4).prop_map(|min| Kind::Survey { min }),
        Just(Kind::Grade),
    ]
}

fn missing() -> impl Strategy<Value = Missing> {
    prop_oneof![Just(Missing::Zero), Just(Missing::Full), Just(Missing::Exclude)]
}

fn leaf(only: Option<usize>) -> impl Strategy<Value = Leaf> {
    (3u32..30, kind(), missing()).prop_map(move |(max, kind, missing)| Leaf { max, kind, missing, only })
}

/// A group: 1–3 common leaves, and maybe a personalised pair of equal maxima (one per category).
fn group() -> impl Strategy<Value = Vec<Leaf>> {
    (prop::collection::vec(leaf(None), 1..4), prop::option::of((leaf(Some(0)), leaf(Some(1))))).prop_map(
        |(mut common, pair)| {
            if let Some((a, mut b)) = pair {
                b.max = a.max;
                common.push(a);
                common.push(b);
            }
            common
        },
    )
}

fn tree() -> impl Strategy<Value = Tree> {
    let veto = prop::option::of((prop::option::of(0u32..150), prop::option::of(0usize..3)))
        .prop_map(|v| v.filter(|(cap, level)| cap.is_some() || level.is_some()));
    (prop::collection::vec(group(), 1..4), veto, 0u32..3).prop_map(|(groups, veto, decimals)| Tree {
        groups,
        veto,
        decimals,
    })
}

fn group_max(g: &[Leaf]) -> u32 {
    // Common leaves plus one of the personalised pair (both have the same max).
    g.iter().filter(|l| l.only != Some(1)).map(|l| l.max).sum()
}

fn set_text(t: &Tree) -> String {
    let scale: u32 = t.groups.iter().map(|g| group_max(g)).sum();
    let mut s = format!(
        "name = \"m\"\nscale = {scale}\ndecimals = {}\n[[category]]\ncode = \"t\"\nname = \"镇\"\n[[category]]\ncode = \"d\"\nname = \"部门\"\n\
         [[station]]\ncode = \"S\"\nname = \"站\"\n",
        t.decimals
    );
    for (level, below) in LEVELS.iter().zip(BELOW) {
        s += &format!("[[warning]]\nlevel = \"{level}\"\nbelow = {below}\n");
    }
    for (g, leaves) in t.groups.iter().enumerate() {
        s += &format!("[[indicator]]\ncode = \"G{g}\"\nname = \"组\"\nmax = {}\n", group_max(leaves));
        for (j, l) in leaves.iter().enumerate() {
            s += &format!(
                "[[indicator]]\ncode = \"L{g}_{j}\"\nparent = \"G{g}\"\nname = \"叶\"\nmax = {}\nstation = \"S\"\n",
                l.max
            );
            if let Some(c) = l.only {
                s += &format!("applies_to = [\"{}\"]\n", ["t", "d"][c]);
            }
            s += &match &l.kind {
                Kind::Direct => "rule = \"direct\"\n".to_string(),
                Kind::Linear { zero_at, full_at, last } => format!(
                    "rule = \"linear\"\nzero_at = {zero_at}\nfull_at = {full_at}\ncombine = \"{}\"\n",
                    if *last { "last" } else { "mean" }
                ),
                Kind::Items { base_max, items } => {
                    let list: Vec<String> = items
                        .iter()
                        .enumerate()
                        .map(|(i, (deduct, per, cap))| {
                            let cap = cap.map(|c| format!(", cap = {c}")).unwrap_or_default();
                            format!("{{ code = \"i{i}\", {} = {per}{cap} }}", if *deduct { "deduct" } else { "add" })
                        })
                        .collect();
                    format!(
                        "rule = \"points\"\nbase = \"{}\"\nitems = [{}]\n",
                        if *base_max { "max" } else { "zero" },
                        list.join(", ")
                    )
                }
                Kind::Survey { min } => format!("rule = \"survey\"\nscale = [1, 5]\nmin_responses = {min}\n"),
                Kind::Grade => "rule = \"grade\"\ngrades = { \"优\" = 3, \"差\" = 0 }\n".to_string(),
            };
            if !matches!(l.kind, Kind::Items { .. }) {
                s += &format!("missing = \"{}\"\n", ["zero", "full", "exclude"][l.missing as usize]);
            }
        }
    }
    if let Some((cap, level)) = t.veto {
        s += "[[indicator]]\ncode = \"V\"\nname = \"否决\"\nstation = \"S\"\nrule = \"veto\"\n";
        if let Some(c) = cap {
            s += &format!("cap_total = {c}\n");
        }
        if let Some(l) = level {
            s += &format!("level = \"{}\"\n", LEVELS[l]);
        }
    }
    s
}

/// One drawn record: which leaf (in tree order, the veto last), for which unit.
#[derive(Clone, Debug)]
struct Drawn {
    unit: usize,
    leaf: usize,
    value: Decimal,
    item: Option<usize>,
    month: u8,
}

fn leaves(t: &Tree) -> Vec<(String, &Leaf)> {
    t.groups
        .iter()
        .enumerate()
        .flat_map(|(g, ls)| ls.iter().enumerate().map(move |(j, l)| (format!("L{g}_{j}"), l)))
        .collect()
}

fn draw(t: &Tree, raw: &[(usize, usize, i64, usize)]) -> Vec<Drawn> {
    let ls = leaves(t);
    let n = ls.len() + usize::from(t.veto.is_some());
    raw.iter()
        .enumerate()
        .filter_map(|(seq, &(unit, which, v, item))| {
            let leaf = which % n;
            let month = (seq % 3) as u8 + 1;
            if leaf == ls.len() {
                return Some(Drawn { unit, leaf, value: Decimal::from(v.rem_euclid(2)), item: None, month });
            }
            let l = ls[leaf].1;
            if l.only.is_some_and(|c| c != CATEGORY[unit]) {
                return None; // the reader rejects a leaf that does not apply to the unit
            }
            let (value, item) = match &l.kind {
                Kind::Direct => (Decimal::new(v.rem_euclid(i64::from(l.max) * 100 + 1), 2), None),
                Kind::Linear { .. } => (Decimal::new(v, 1), None),
                Kind::Items { items, .. } => (Decimal::from(v.rem_euclid(4)), Some(item % items.len())),
                Kind::Survey { .. } => (Decimal::from(v.rem_euclid(5) + 1), None),
                Kind::Grade => (Decimal::from(if v % 2 == 0 { 3 } else { 0 }), None),
            };
            Some(Drawn { unit, leaf, value, item, month })
        })
        .collect()
}

fn records(set: &IndicatorSet, t: &Tree, drawn: &[Drawn]) -> Vec<Record> {
    let ls = leaves(t);
    drawn
        .iter()
        .enumerate()
        .map(|(seq, d)| {
            let code = if d.leaf == ls.len() { "V".to_string() } else { ls[d.leaf].0.clone() };
            Record {
                unit: d.unit,
                leaf: set.node(&code).unwrap(),
                item: d.item,
                period: Period::Month(2024, d.month),
                value: d.value,
                raw: "".into(),
                note: "".into(),
                input: 0,
                row: seq as u32,
                seq,
            }
        })
        .collect()
}

// ---- the model -------------------------------------------------------------------

fn r(i: i64) -> R {
    R::from_integer(BigInt::from(i))
}

fn dec(d: Decimal) -> R {
    R::new(BigInt::from(d.mantissa()), BigInt::from(10).pow(d.scale()))
}

fn clamp(x: R, lo: R, hi: R) -> R {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

fn mean(v: &[R]) -> R {
    v.iter().fold(R::zero(), |a, b| a + b) / r(v.len() as i64)
}

/// Half away from zero, to `dp` places.
fn round(x: &R, dp: u32) -> R {
    let s = r(10).pow(dp as i32);
    let y = x.abs() * &s;
    let rounded = (y + R::new(BigInt::one(), BigInt::from(2))).floor();
    let signed = if x.is_negative() { -rounded } else { rounded };
    signed / s
}

/// A leaf's exact score, or `None` when it has no usable data.
fn leaf_exact(l: &Leaf, recs: &[&Drawn]) -> Option<R> {
    let max = r(i64::from(l.max));
    let values: Vec<R> = recs.iter().map(|d| dec(d.value)).collect();
    match &l.kind {
        Kind::Items { base_max, items } => {
            let mut score = if *base_max { max.clone() } else { R::zero() };
            for (i, (deduct, per, cap)) in items.iter().enumerate() {
                let count: R =
                    recs.iter().filter(|d| d.item == Some(i)).map(|d| dec(d.value)).fold(R::zero(), |a, b| a + b);
                let mut total = count * r(i64::from(*per));
                if let Some(c) = cap {
                    total = total.min(r(i64::from(*c)));
                }
                score = if *deduct { score - total } else { score + total };
            }
            Some(clamp(score, R::zero(), max))
        }
        _ if recs.is_empty() => None,
        Kind::Direct => Some(clamp(mean(&values), R::zero(), max)),
        Kind::Grade => Some(clamp(mean(&values), R::zero(), max)),
        Kind::Linear { zero_at, full_at, last } => {
            let v = if *last {
                // Latest month; ties go to the later record (they come in reading order).
                let latest = recs.iter().map(|d| d.month).max().unwrap();
                dec(recs.iter().rev().find(|d| d.month == latest).unwrap().value)
            } else {
                mean(&values)
            };
            let (z, f) = (r(*zero_at), r(*full_at));
            Some(max * clamp((v - &z) / (f - z), R::zero(), R::one()))
        }
        Kind::Survey { min } => {
            if recs.len() < *min as usize {
                return None;
            }
            Some(clamp(max.clone() * (mean(&values) - r(1)) / r(4), R::zero(), max))
        }
    }
}

/// A sum over children's rounded scores, rescaled when some are excluded.
fn sum_group(parts: &[(Option<R>, R)], max: &R, dp: u32) -> Option<R> {
    let present: Vec<&(Option<R>, R)> = parts.iter().filter(|p| p.0.is_some()).collect();
    if present.is_empty() {
        return None;
    }
    let sum = present.iter().fold(R::zero(), |a, p| a + p.0.clone().unwrap());
    if present.len() == parts.len() {
        return Some(sum);
    }
    let maxes = present.iter().fold(R::zero(), |a, p| a + &p.1);
    Some(round(&(sum * max / maxes), dp))
}

struct Expected {
    leaves: Vec<Option<R>>,
    groups: Vec<Option<R>>,
    total: Option<R>,
    level: Option<usize>,
}

fn model(t: &Tree, drawn: &[Drawn], unit: usize) -> Expected {
    let dp = t.decimals;
    let ls = leaves(t);
    let cat = CATEGORY[unit];
    let mut leaf_scores = Vec::new();
    for (i, (_, l)) in ls.iter().enumerate() {
        let recs: Vec<&Drawn> = drawn.iter().filter(|d| d.unit == unit && d.leaf == i).collect();
        let score = match leaf_exact(l, &recs) {
            Some(x) => Some(round(&x, dp)),
            None => match l.missing {
                Missing::Zero => Some(R::zero()),
                Missing::Full => Some(r(i64::from(l.max))),
                Missing::Exclude => None,
            },
        };
        leaf_scores.push(score);
    }
    let mut groups = Vec::new();
    let mut at = 0;
    for g in &t.groups {
        let parts: Vec<(Option<R>, R)> = g
            .iter()
            .enumerate()
            .filter(|(_, l)| l.only.is_none_or(|c| c == cat))
            .map(|(j, l)| (leaf_scores[at + j].clone(), r(i64::from(l.max))))
            .collect();
        groups.push(sum_group(&parts, &r(i64::from(group_max(g))), dp));
        at += g.len();
    }
    let scale = r(t.groups.iter().map(|g| i64::from(group_max(g))).sum());
    let tops: Vec<(Option<R>, R)> =
        t.groups.iter().zip(&groups).map(|(g, s)| (s.clone(), r(i64::from(group_max(g))))).collect();
    let mut total = sum_group(&tops, &scale, dp);
    let triggered = drawn.iter().any(|d| d.unit == unit && d.leaf == ls.len() && d.value >= Decimal::ONE);
    let mut veto_level = None;
    if let (true, Some((cap, level))) = (triggered, t.veto) {
        if let (Some(c), Some(tot)) = (cap, &total) {
            total = Some(tot.clone().min(r(i64::from(c))));
        }
        veto_level = level;
    }
    let level = total.as_ref().and_then(|tot| {
        let own = BELOW.iter().position(|b| tot.clone() * r(100) < r(*b) * &scale);
        match (own, veto_level) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    });
    Expected { leaves: leaf_scores, groups, total, level }
}

fn roster() -> Roster {
    Roster::new((0..4).map(|i| Unit { code: format!("U{i}"), name: format!("u{i}"), category: CATEGORY[i] }).collect())
        .unwrap()
}

fn got(s: &NodeScore) -> Option<R> {
    match s {
        NodeScore::Scored(d) => Some(dec(*d)),
        NodeScore::Excluded | NodeScore::NotApplicable | NodeScore::NotDue => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_engine_equals_the_reference_model(
        t in tree(),
        raw in prop::collection::vec((0usize..4, 0usize..20, -300i64..1300, 0usize..4), 0..60),
    ) {
        let text = set_text(&t);
        let set = parse(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        let drawn = draw(&t, &raw);
        let ev = evaluate(&set, &roster(), &records(&set, &t, &drawn), Period::Quarter(2024, 1));
        let ls = leaves(&t);
        let mut totals = Vec::new();
        for (u, e) in ev.units.iter().enumerate() {
            let want = model(&t, &drawn, u);
            for (i, (code, l)) in ls.iter().enumerate() {
                let applies = l.only.is_none_or(|c| c == CATEGORY[u]);
                let engine = got(&e.scores[set.node(code).unwrap()]);
                let model = if applies { want.leaves[i].clone() } else { None };
                prop_assert_eq!(engine, model, "U{} {}\n{}", u, code, text);
            }
            for (g, want_g) in want.groups.iter().enumerate() {
                prop_assert_eq!(got(&e.scores[set.node(&format!("G{g}")).unwrap()]), want_g.clone(), "U{} G{}", u, g);
            }
            prop_assert_eq!(e.total.map(dec), want.total.clone(), "U{} total\n{}", u, text);
            prop_assert_eq!(e.level, want.level, "U{} level\n{}", u, text);
            totals.push(want.total);
        }
        // Ranks within each category: higher totals first, ties share, the next rank skips.
        for (u, e) in ev.units.iter().enumerate() {
            let rank = totals[u].as_ref().map(|mine| {
                1 + (0..4).filter(|&o| CATEGORY[o] == CATEGORY[u] && totals[o].as_ref().is_some_and(|t| t > mine)).count() as u32
            });
            prop_assert_eq!(e.rank, rank, "U{} rank", u);
        }
    }
}
