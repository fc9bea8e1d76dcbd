//! Property tests of the engine's invariants, on random indicator sets and records.

use proptest::prelude::*;
use rust_decimal::Decimal;
use zhili::engine::{NodeScore, evaluate};
use zhili::exact::{Exact, q, qi, round};
use zhili::indicators::{IndicatorSet, parse};
use zhili::period::Period;
use zhili::record::Record;
use zhili::roster::{Roster, Unit};

/// A leaf: (max, rule text, how to draw a value for it).
#[derive(Clone, Debug)]
enum Kind {
    Direct,
    Linear { zero_at: i64, full_at: i64, last: bool },
    Points { deduct: i64 },
    Grade,
}

fn rule(kind: &Kind) -> String {
    match kind {
        Kind::Direct => "rule = \"direct\"".into(),
        Kind::Linear { zero_at, full_at, last } => format!(
            "rule = \"linear\"\nzero_at = {zero_at}\nfull_at = {full_at}\ncombine = \"{}\"",
            if *last { "last" } else { "mean" }
        ),
        Kind::Points { deduct } => format!("rule = \"points\"\ndeduct = {deduct}"),
        Kind::Grade => "rule = \"grade\"\ngrades = { \"优\" = 3, \"差\" = 0 }".into(),
    }
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Direct),
        (0i64..50, 51i64..100, any::<bool>()).prop_map(|(z, f, last)| if last {
            Kind::Linear { zero_at: f, full_at: z, last }
        } else {
            Kind::Linear { zero_at: z, full_at: f, last }
        }),
        (1i64..7).prop_map(|deduct| Kind::Points { deduct }),
        Just(Kind::Grade),
    ]
}

/// Two groups (sum and weighted) of random leaves, with a matching scale.
fn set_text(leaves: &[(u32, Kind)], decimals: u32) -> String {
    // Grades give up to 3 points, so their leaves need at least that much.
    let leaves: Vec<(u32, Kind)> =
        leaves.iter().map(|(m, k)| (if matches!(k, Kind::Grade) { (*m).max(3) } else { *m }, k.clone())).collect();
    let half = leaves.len() / 2;
    let sum_max: u32 = leaves[..half].iter().map(|l| l.0).sum::<u32>().max(1);
    let mut t = format!(
        "name = \"p\"\nscale = {}\ndecimals = {decimals}\n[[category]]\ncode = \"c\"\nname = \"c\"\n[[station]]\ncode = \"S\"\nname = \"s\"\n\
         [[indicator]]\ncode = \"W\"\nname = \"w\"\nmax = 40\naggregate = \"weighted\"\n",
        sum_max + 40
    );
    if half > 0 {
        t += &format!("[[indicator]]\ncode = \"G\"\nname = \"g\"\nmax = {sum_max}\n");
    }
    for (i, (max, k)) in leaves.iter().enumerate() {
        let (parent, weight) = if i < half { ("G", String::new()) } else { ("W", format!("weight = {}\n", i + 1)) };
        t += &format!(
            "[[indicator]]\ncode = \"L{i}\"\nparent = \"{parent}\"\nname = \"l\"\nmax = {max}\n{weight}station = \"S\"\n{}\n",
            rule(k)
        );
    }
    t
}

fn records(set: &IndicatorSet, values: &[(usize, usize, i64)]) -> Vec<Record> {
    let leaves: Vec<usize> = set.leaves().map(|(id, _)| id).collect();
    values
        .iter()
        .enumerate()
        .map(|(seq, &(unit, leaf, v))| {
            let id = leaves[leaf % leaves.len()];
            let node = &set.nodes[id];
            let value = match &set.leaf(id).unwrap().rule {
                zhili::indicators::Rule::Direct { .. } => {
                    Decimal::new(v.rem_euclid(node.max.unwrap().mantissa() as i64 * 100 + 1), 2)
                }
                zhili::indicators::Rule::Points(_) => Decimal::from(v.rem_euclid(4)),
                zhili::indicators::Rule::Grade { .. } => Decimal::from(if v % 2 == 0 { 3 } else { 0 }),
                _ => Decimal::new(v, 1),
            };
            Record {
                unit: unit % 3,
                leaf: id,
                item: matches!(&set.leaf(id).unwrap().rule, zhili::indicators::Rule::Points(_)).then_some(0),
                period: Period::Month(2024, (seq % 3) as u8 + 1),
                value,
                raw: "".into(),
                note: "".into(),
                input: 0,
                row: seq as u32,
                seq,
            }
        })
        .collect()
}

fn roster() -> Roster {
    Roster::new((0..3).map(|i| Unit { code: format!("U{i}"), name: format!("u{i}"), category: 0 }).collect()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn scores_are_bounded_and_sums_add_up(
        leaves in prop::collection::vec((1u32..40, kind()), 2..7),
        values in prop::collection::vec((0usize..3, 0usize..7, -300i64..1300), 0..40),
        decimals in 0u32..4,
    ) {
        let set = parse(set_text(&leaves, decimals).as_bytes()).expect("generated sets are valid");
        let recs = records(&set, &values);
        let ev = evaluate(&set, &roster(), &recs, Period::Quarter(2024, 1));
        for u in &ev.units {
            for (id, s) in u.scores.iter().enumerate() {
                if let NodeScore::Scored(v) = s {
                    let max = set.nodes[id].max.unwrap();
                    prop_assert!(*v >= Decimal::ZERO && *v <= max, "{} = {v} outside [0, {max}]", set.nodes[id].code);
                    prop_assert!(v.scale() <= decimals);
                }
            }
            if let Some(g) = set.node("G") && let NodeScore::Scored(gs) = &u.scores[g] {
                let children: Decimal = set.nodes[g].children.iter().filter_map(|&c| u.scores[c].value()).sum();
                prop_assert_eq!(*gs, children, "a sum group is the exact sum of its rounded children");
            }
            let total = u.total.unwrap();
            prop_assert!(total >= Decimal::ZERO && total <= set.scale);
        }
    }

    #[test]
    fn the_order_of_records_does_not_matter_except_for_last(
        leaves in prop::collection::vec((1u32..40, kind()), 2..7),
        values in prop::collection::vec((0usize..3, 0usize..7, -300i64..1300), 0..30),
        seed in any::<u64>(),
    ) {
        prop_assume!(!leaves.iter().any(|(_, k)| matches!(k, Kind::Linear { last: true, .. })));
        let set = parse(set_text(&leaves, 2).as_bytes()).unwrap();
        let recs = records(&set, &values);
        let mut shuffled = recs.clone();
        // A deterministic shuffle of the reading order.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        for (seq, r) in shuffled.iter_mut().enumerate() {
            r.seq = seq;
        }
        let a = evaluate(&set, &roster(), &recs, Period::Quarter(2024, 1));
        let b = evaluate(&set, &roster(), &shuffled, Period::Quarter(2024, 1));
        for (ua, ub) in a.units.iter().zip(&b.units) {
            prop_assert_eq!(&ua.scores, &ub.scores);
            prop_assert_eq!(ua.total, ub.total);
            prop_assert_eq!(ua.rank, ub.rank);
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero(n in -1_000_000i64..1_000_000, d in 1i64..10_000, dp in 0u32..5) {
        let x: Exact = qi(n) / qi(d);
        let r = round(&x, dp);
        let unit = q(Decimal::new(1, dp));
        let diff = q(r) - x.clone();
        let half = unit.clone() / qi(2);
        // Never more than half a unit away …
        prop_assert!(diff <= half && diff >= -half.clone());
        // … and exactly half only away from zero: up (r = x + half) for a positive x,
        // down (r = x − half) for a negative one.
        if diff == half { prop_assert!(!x.is_negative()); }
        if diff == -half { prop_assert!(x.is_negative()); }
        prop_assert_eq!(r.scale(), dp);
    }

    #[test]
    fn in_mean_mode_identical_quarters_give_the_year_the_quarters_scores(
        leaves in prop::collection::vec((1u32..40, kind()), 2..7),
        values in prop::collection::vec((0usize..3, 0usize..7, -300i64..1300), 0..30),
        decimals in 0u32..4,
    ) {
        let text = set_text(&leaves, decimals).replacen("scale = ", "cycle = \"quarter\"\nacross_cycles = \"mean\"\nscale = ", 1);
        let set = parse(text.as_bytes()).expect("generated sets are valid");
        let q1 = records(&set, &values);
        // The same records in every quarter of the year (months shifted by 0, 3, 6, 9).
        let mut year = Vec::new();
        for k in 0..4u8 {
            for r in &q1 {
                let Period::Month(y, m) = r.period else { unreachable!("generated records are monthly") };
                let mut r = r.clone();
                r.period = Period::Month(y, m + 3 * k);
                r.seq = year.len();
                year.push(r);
            }
        }
        let a = evaluate(&set, &roster(), &q1, Period::Quarter(2024, 1));
        let b = evaluate(&set, &roster(), &year, Period::Year(2024));
        for (ua, ub) in a.units.iter().zip(&b.units) {
            prop_assert_eq!(&ua.scores, &ub.scores, "{}", text);
            prop_assert_eq!(ua.total, ub.total);
            prop_assert_eq!(ua.level, ub.level);
        }
    }
}
