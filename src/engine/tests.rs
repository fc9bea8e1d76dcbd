//! Engine rules with numbers computed by hand in each test.

use super::*;
use crate::indicators::parse;
use crate::roster::Unit;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

const HEAD: &str = r#"
name = "测试"
scale = 100
[[category]]
code = "town"
name = "镇街区"
[[category]]
code = "dept"
name = "市直部门"
[[station]]
code = "S"
name = "站"
[[warning]]
level = "red"
below = 60
[[warning]]
level = "yellow"
below = 80
[[warning]]
level = "blue"
below = 90
"#;

/// A set with one first-level group `G` (max 100, given aggregate) over
/// the given leaves, which must add up to 100 for sum groups.
fn set_with(leaves: &str) -> IndicatorSet {
    let text = format!("{HEAD}\n[[indicator]]\ncode = \"G\"\nname = \"组\"\nmax = 100\n{leaves}");
    parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e:#?}\n{text}"))
}

fn roster(n: usize) -> Roster {
    Roster::new((0..n).map(|i| Unit { code: format!("U{i}"), name: format!("单位{i}"), category: 0 }).collect())
        .unwrap()
}

/// Builds records: (unit, leaf code, value, item, period).
struct Recs<'a> {
    set: &'a IndicatorSet,
    list: Vec<Record>,
}

impl<'a> Recs<'a> {
    fn new(set: &'a IndicatorSet) -> Self {
        Recs { set, list: Vec::new() }
    }
    fn add(mut self, unit: usize, leaf: &str, value: &str) -> Self {
        self.push(unit, leaf, value, None, Period::Quarter(2024, 1));
        self
    }
    fn item(mut self, unit: usize, leaf: &str, item: usize, value: &str) -> Self {
        self.push(unit, leaf, value, Some(item), Period::Quarter(2024, 1));
        self
    }
    fn at(mut self, unit: usize, leaf: &str, value: &str, period: Period) -> Self {
        self.push(unit, leaf, value, None, period);
        self
    }
    fn push(&mut self, unit: usize, leaf: &str, value: &str, item: Option<usize>, period: Period) {
        let leaf = self.set.node(leaf).expect(leaf);
        let item = item.or_else(|| matches!(&self.set.leaf(leaf).unwrap().rule, Rule::Points(_)).then_some(0));
        let seq = self.list.len();
        self.list.push(Record {
            unit,
            leaf,
            item,
            period,
            value: d(value),
            raw: value.into(),
            note: "".into(),
            input: 0,
            row: 0,
            seq,
        });
    }
}

fn run(set: &IndicatorSet, units: usize, recs: Recs) -> Evaluation {
    evaluate(set, &roster(units), &recs.list, Period::Quarter(2024, 1))
}

#[track_caller]
fn score(set: &IndicatorSet, ev: &Evaluation, unit: usize, code: &str) -> NodeScore {
    ev.units[unit].scores[set.node(code).expect(code)].clone()
}

#[track_caller]
fn scored(set: &IndicatorSet, ev: &Evaluation, unit: usize, code: &str) -> Decimal {
    match score(set, ev, unit, code) {
        NodeScore::Scored(s) => s,
        other => panic!("{code}: {other:?}"),
    }
}

const FILL: &str =
    "\n[[indicator]]\ncode = \"F\"\nparent = \"G\"\nname = \"填充\"\nstation = \"S\"\nrule = \"direct\"\n";

fn leaf(code: &str, max: u32, rule: &str) -> String {
    format!(
        "\n[[indicator]]\ncode = \"{code}\"\nparent = \"G\"\nname = \"{code}\"\nmax = {max}\nstation = \"S\"\n{rule}\n"
    )
}

/// A leaf of `max` plus a direct filler making the group add up to 100.
fn one(max: u32, rule: &str) -> IndicatorSet {
    let filler = if max < 100 { format!("{FILL}max = {}\n", 100 - max) } else { String::new() };
    set_with(&format!("{}{filler}", leaf("L", max, rule)))
}

// ---- points ----------------------------------------------------------------

#[test]
fn points_deduct_per_occurrence_floors_at_zero() {
    let set = one(10, "rule = \"points\"\ndeduct = 2");
    // 10 − 2×(1+2) = 4
    let ev = run(&set, 2, Recs::new(&set).add(0, "L", "1").add(0, "L", "2").add(1, "L", "7"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("4"));
    // 10 − 2×7 = −4 → floored at 0
    assert_eq!(scored(&set, &ev, 1, "L"), d("0"));
}

#[test]
fn points_without_records_score_their_base() {
    let set = one(10, "rule = \"points\"\ndeduct = 2");
    let ev = run(&set, 1, Recs::new(&set));
    assert_eq!(scored(&set, &ev, 0, "L"), d("10"));
    assert!(ev.issues.iter().all(|i| i.indicator.as_deref() != Some("L")), "no events is information");
    let set = one(10, "rule = \"points\"\nadd = 2");
    let ev = run(&set, 1, Recs::new(&set));
    assert_eq!(scored(&set, &ev, 0, "L"), d("0"));
}

#[test]
fn points_items_caps_and_ranges() {
    let rule = r#"rule = "points"
base = "zero"
items = [
  { code = "a", name = "内控机制", add = 2, cap = 2 },
  { code = "b", name = "宣教载体", add = 1, cap = 1 },
  { code = "c", name = "违纪违法", deduct = [1, 3] },
]"#;
    let set = one(5, rule);
    // a: 2×(1+1) = 4 capped to 2; b: 1×1 = 1; c: −2.5  → 0 + 2 + 1 − 2.5 = 0.5
    let recs = Recs::new(&set).item(0, "L", 0, "1").item(0, "L", 0, "1").item(0, "L", 1, "1").item(0, "L", 2, "2.5");
    // unit 1: a once (2) + b twice (2 capped to 1) = 3
    let recs = recs.item(1, "L", 0, "1").item(1, "L", 1, "2");
    let ev = run(&set, 2, recs);
    assert_eq!(scored(&set, &ev, 0, "L"), d("0.5"));
    assert_eq!(scored(&set, &ev, 1, "L"), d("3"));
}

#[test]
fn points_cap_on_a_deduction_and_ceiling_at_max() {
    let set = one(10, "rule = \"points\"\nitems = [{ code = \"x\", deduct = 2, cap = 5 }]");
    // 4 occurrences × 2 = 8, capped at 5 → 10 − 5 = 5
    let ev = run(&set, 1, Recs::new(&set).item(0, "L", 0, "4"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("5"));
    let set =
        one(10, "rule = \"points\"\nbase = \"max\"\nitems = [{ code = \"x\", add = 3 }, { code = \"y\", deduct = 1 }]");
    // 10 + 3 − 1 = 12 → capped at max 10; 0 occurrences count for nothing
    let ev = run(&set, 1, Recs::new(&set).item(0, "L", 0, "1").item(0, "L", 1, "1").item(0, "L", 1, "0"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("10"));
    // Below the ceiling a 0 count is visibly nothing: 10 − 1×1 − 1×0 = 9 (counted as one, it would be 8).
    let ev = run(&set, 1, Recs::new(&set).item(0, "L", 1, "1").item(0, "L", 1, "0"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("9"));
}

// ---- linear ----------------------------------------------------------------

#[test]
fn linear_mean_of_three_rounds_once() {
    let set = one(10, "rule = \"linear\"\nzero_at = 0.6\nfull_at = 1");
    // mean(0.7, 0.7, 0.75) = 2.15/3 = 0.71666…; (0.71666… − 0.6)/0.4 × 10 = 2.91666… → 2.92
    let ev = run(&set, 1, Recs::new(&set).add(0, "L", "0.7").add(0, "L", "0.7").add(0, "L", "0.75"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("2.92"));
}

#[test]
fn exact_fractions_not_28_digit_decimals() {
    // mean(0.005, 0.01, 0.01) = 0.025/3; × 3 = 0.025 exactly → 0.03. A 28-digit decimal would
    // carry 0.0083333…3 and give 0.0249999…9 → 0.02.
    let set = one(3, "rule = \"linear\"\nzero_at = 0\nfull_at = 1");
    let ev = run(&set, 1, Recs::new(&set).add(0, "L", "0.005").add(0, "L", "0.01").add(0, "L", "0.01"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("0.03"));
}

#[test]
fn linear_clamps_and_lower_is_better() {
    let set = one(10, "rule = \"linear\"\nzero_at = 0.6\nfull_at = 1");
    let ev = run(&set, 3, Recs::new(&set).add(0, "L", "1.2").add(1, "L", "0.5").add(2, "L", "0.85"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("10"));
    assert_eq!(scored(&set, &ev, 1, "L"), d("0"));
    // (0.85 − 0.6)/0.4 × 10 = 6.25
    assert_eq!(scored(&set, &ev, 2, "L"), d("6.25"));
    // 信访件数: 10 or more scores 0, none scores full. 4 → (4 − 10)/(0 − 10) × 5 = 3
    let set = one(5, "rule = \"linear\"\nzero_at = 10\nfull_at = 0");
    let ev = run(&set, 1, Recs::new(&set).add(0, "L", "4"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("3"));
}

#[test]
fn linear_combine_modes() {
    let mk = |c: &str| one(10, &format!("rule = \"linear\"\nzero_at = 0\nfull_at = 10\ncombine = \"{c}\""));
    fn data(set: &IndicatorSet) -> Recs<'_> {
        Recs::new(set).at(0, "L", "6", Period::Month(2024, 3)).at(0, "L", "2", Period::Month(2024, 1)).at(
            0,
            "L",
            "1",
            Period::Month(2024, 2),
        )
    }
    for (how, want) in [("mean", "3"), ("sum", "9"), ("min", "1"), ("max", "6"), ("last", "6")] {
        let set = mk(how);
        let ev = run(&set, 1, data(&set));
        assert_eq!(scored(&set, &ev, 0, "L"), d(want), "{how}");
    }
    // Ties on period go to the later record in reading order.
    let set = mk("last");
    let recs = Recs::new(&set).at(0, "L", "7", Period::Month(2024, 3)).at(0, "L", "4", Period::Month(2024, 3));
    assert_eq!(scored(&set, &run(&set, 1, recs), 0, "L"), d("4"));
}

// ---- grade, survey, direct ---------------------------------------------------

#[test]
fn grade_mean() {
    let set = one(10, "rule = \"grade\"\ngrades = { \"优\" = 10, \"良\" = 8, \"差\" = 0 }");
    // (10 + 8 + 8)/3 = 8.666… → 8.67
    let ev = run(&set, 1, Recs::new(&set).add(0, "L", "10").add(0, "L", "8").add(0, "L", "8"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("8.67"));
}

#[test]
fn survey_mean_and_min_responses() {
    let set = one(10, "rule = \"survey\"\nscale = [1, 5]\nmin_responses = 3");
    // mean(5, 3, 4) = 4 → (4 − 1)/(5 − 1) × 10 = 7.5
    let ev = run(&set, 2, Recs::new(&set).add(0, "L", "5").add(0, "L", "3").add(0, "L", "4").add(1, "L", "5"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("7.5"));
    // Unit 1 has 1 answer < 3: missing (default zero) with few_responses, not missing_data.
    assert_eq!(scored(&set, &ev, 1, "L"), d("0"));
    let kinds: Vec<Kind> = ev
        .issues
        .iter()
        .filter(|i| i.unit.as_deref() == Some("U1") && i.indicator.as_deref() == Some("L"))
        .map(|i| i.kind)
        .collect();
    assert!(kinds.contains(&Kind::FewResponses) && !kinds.contains(&Kind::MissingData), "{kinds:?}");
}

#[test]
fn direct_combines_and_rounds_half_away_from_zero() {
    let set = one(10, "rule = \"direct\"");
    // mean(8.5, 9) = 8.75; 1.005 → 1.01 and 2.675 → 2.68 (binary floats would give 1.00 and 2.67)
    let ev =
        run(&set, 3, Recs::new(&set).add(0, "L", "8.5").add(0, "L", "9").add(1, "L", "1.005").add(2, "L", "2.675"));
    assert_eq!(scored(&set, &ev, 0, "L"), d("8.75"));
    assert_eq!(scored(&set, &ev, 1, "L"), d("1.01"));
    assert_eq!(scored(&set, &ev, 2, "L"), d("2.68"));
}

// ---- missing data and groups -------------------------------------------------

#[test]
fn missing_policies() {
    let leaves = format!(
        "{}missing = \"zero\"\n{}missing = \"full\"\n{}missing = \"exclude\"\n",
        leaf("Z", 20, "rule = \"direct\""),
        leaf("U", 30, "rule = \"direct\""),
        leaf("X", 50, "rule = \"direct\""),
    );
    let set = set_with(&leaves);
    let ev = run(&set, 1, Recs::new(&set));
    assert_eq!(scored(&set, &ev, 0, "Z"), d("0"));
    assert_eq!(scored(&set, &ev, 0, "U"), d("30"));
    assert_eq!(score(&set, &ev, 0, "X"), NodeScore::Excluded);
    // G rescales over Z and U: (0 + 30) × 100 / (20 + 30) = 60
    assert_eq!(scored(&set, &ev, 0, "G"), d("60"));
    let missing: Vec<&str> = ev.issues.iter().map(|i| i.indicator.as_deref().unwrap()).collect();
    assert_eq!(missing, ["Z", "U", "X"], "one missing_data per leaf, in indicator order");
    assert!(ev.issues.iter().all(|i| i.kind == Kind::MissingData));
}

#[test]
fn exclusion_rescales_and_rounds_once() {
    let leaves =
        format!("{}{}missing = \"exclude\"\n", leaf("A", 30, "rule = \"direct\""), leaf("B", 70, "rule = \"direct\""),);
    let set = set_with(&leaves);
    // A = 10 of 30, B excluded: G = 10 × 100 / 30 = 33.333… → 33.33
    let ev = run(&set, 1, Recs::new(&set).add(0, "A", "10"));
    assert_eq!(scored(&set, &ev, 0, "G"), d("33.33"));
    assert_eq!(ev.units[0].total, Some(d("33.33")));
}

#[test]
fn all_excluded_propagates_to_the_total_and_drops_the_rank() {
    let text = format!(
        "{HEAD}\n[[indicator]]\ncode = \"G\"\nname = \"组\"\nmax = 100\n{}missing = \"exclude\"\n",
        leaf("L", 100, "rule = \"direct\"")
    );
    let set = parse(text.as_bytes()).unwrap();
    let ev = run(&set, 2, Recs::new(&set).add(1, "L", "95"));
    assert_eq!(score(&set, &ev, 0, "G"), NodeScore::Excluded);
    assert_eq!(ev.units[0].total, None);
    assert_eq!(ev.units[0].rank, None);
    assert_eq!(ev.units[0].level, None);
    assert!(ev.units[0].warnings.is_empty(), "an excluded first-level indicator gets no warning");
    assert_eq!(ev.units[1].rank, Some(1));
}

#[test]
fn sum_group_is_the_exact_sum_of_rounded_children() {
    let leaves = format!(
        "{}{}{}",
        leaf("A", 10, "rule = \"linear\"\nzero_at = 0\nfull_at = 3"),
        leaf("B", 10, "rule = \"linear\"\nzero_at = 0\nfull_at = 3"),
        leaf("C", 80, "rule = \"direct\"")
    );
    let set = set_with(&leaves);
    // A = 10 × 1/3 = 3.33; B = 10 × 2/3 = 6.67; C = 80 → G = 90.00 exactly
    let ev = run(&set, 1, Recs::new(&set).add(0, "A", "1").add(0, "B", "2").add(0, "C", "80"));
    assert_eq!(scored(&set, &ev, 0, "A"), d("3.33"));
    assert_eq!(scored(&set, &ev, 0, "B"), d("6.67"));
    assert_eq!(scored(&set, &ev, 0, "G"), d("90.00"));
    // Where it matters: A = B = 3.333… → 3.33 each; G = 3.33 + 3.33 + 80 = 86.66,
    // where rounding the exact sum (86.666…) would give 86.67.
    let ev = run(&set, 1, Recs::new(&set).add(0, "A", "1").add(0, "B", "1").add(0, "C", "80"));
    assert_eq!(scored(&set, &ev, 0, "G"), d("86.66"));
    assert_eq!(ev.units[0].total, Some(d("86.66")));
}

#[test]
fn weighted_and_rescaled_groups_use_the_rounded_children() {
    // Weighted: A = B = 1.005 → 1.01 (half away). G = 100 × (1.01/3 + 1.01/3) / 2 = 33.666… → 33.67;
    // from the exact children (1.005/3 × 100) it would be 33.50.
    let text = format!(
        "{HEAD}\n[[indicator]]\ncode = \"G\"\nname = \"组\"\nmax = 100\naggregate = \"weighted\"\n{}weight = 1\n{}weight = 1\n",
        leaf("A", 3, "rule = \"direct\""),
        leaf("B", 3, "rule = \"direct\"")
    );
    let set = parse(text.as_bytes()).unwrap();
    let ev = run(&set, 1, Recs::new(&set).add(0, "A", "1.005").add(0, "B", "1.005"));
    assert_eq!(scored(&set, &ev, 0, "A"), d("1.01"));
    assert_eq!(scored(&set, &ev, 0, "G"), d("33.67"));
    // Rescaled: A = 10.005 → 10.01, B excluded. G = 10.01 × 100 / 30 = 33.366… → 33.37;
    // from the exact child it would be 33.35.
    let leaves =
        format!("{}{}missing = \"exclude\"\n", leaf("A", 30, "rule = \"direct\""), leaf("B", 70, "rule = \"direct\""));
    let set = set_with(&leaves);
    let ev = run(&set, 1, Recs::new(&set).add(0, "A", "10.005"));
    assert_eq!(scored(&set, &ev, 0, "G"), d("33.37"));
}

fn weighted_set() -> IndicatorSet {
    let text = format!(
        "{HEAD}\n[[indicator]]\ncode = \"G\"\nname = \"组\"\nmax = 100\naggregate = \"weighted\"\n{}weight = 2\n{}weight = 1\nmissing = \"exclude\"\n",
        leaf("A", 10, "rule = \"direct\""),
        leaf("B", 10, "rule = \"direct\"")
    );
    parse(text.as_bytes()).unwrap()
}

#[test]
fn weighted_group() {
    let set = weighted_set();
    // 100 × (2 × 5/10 + 1 × 10/10) / 3 = 100 × 2/3 = 66.666… → 66.67
    let ev = run(&set, 2, Recs::new(&set).add(0, "A", "5").add(0, "B", "10").add(1, "A", "5"));
    assert_eq!(scored(&set, &ev, 0, "G"), d("66.67"));
    // B excluded: it simply drops out: 100 × (2 × 0.5) / 2 = 50
    assert_eq!(scored(&set, &ev, 1, "G"), d("50"));
}

#[test]
fn not_applicable_nodes_are_absent_and_do_not_count() {
    let leaves = format!(
        "{}{}applies_to = [\"dept\"]\n{}applies_to = [\"town\"]\n",
        leaf("A", 60, "rule = \"direct\""),
        leaf("B", 40, "rule = \"direct\""),
        leaf("C", 40, "rule = \"direct\""),
    );
    let set = set_with(&leaves);
    let units = Roster::new(vec![
        Unit { code: "T".into(), name: "镇".into(), category: 0 },
        Unit { code: "D".into(), name: "部门".into(), category: 1 },
    ])
    .unwrap();
    let recs = Recs::new(&set).add(0, "A", "50").add(0, "C", "30").add(1, "A", "60").add(1, "B", "40");
    let ev = evaluate(&set, &units, &recs.list, Period::Quarter(2024, 1));
    assert_eq!(score(&set, &ev, 0, "B"), NodeScore::NotApplicable);
    assert_eq!(ev.units[0].total, Some(d("80")));
    assert_eq!(score(&set, &ev, 1, "C"), NodeScore::NotApplicable);
    assert_eq!(ev.units[1].total, Some(d("100")));
    // each is first in its own category
    assert_eq!((ev.units[0].rank, ev.units[1].rank), (Some(1), Some(1)));
}

// ---- warnings, vetoes, ranks ---------------------------------------------------

#[test]
fn warning_thresholds_are_strict() {
    let set = one(100, "rule = \"direct\"");
    let values = ["90", "89.99", "80", "79.99", "60", "59.99"];
    let mut recs = Recs::new(&set);
    for (u, v) in values.iter().enumerate() {
        recs = recs.add(u, "L", v);
    }
    let ev = run(&set, values.len(), recs);
    let levels: Vec<Option<usize>> = ev.units.iter().map(|u| u.level).collect();
    // red = 0, yellow = 1, blue = 2
    assert_eq!(levels, [None, Some(2), Some(2), Some(1), Some(1), Some(0)]);
    // A warned unit has the first-level warning and then the total's.
    let w = &ev.units[1].warnings;
    assert_eq!(w.len(), 2);
    assert_eq!((w[0].scope, w[0].level, w[0].score, w[0].max), (Some(0), 2, d("89.99"), d("100")));
    assert_eq!((w[1].scope, w[1].level), (None, 2));
}

#[test]
fn ranks_share_ties_and_skip() {
    let set = one(100, "rule = \"direct\"");
    let recs = Recs::new(&set).add(0, "L", "90").add(1, "L", "95").add(2, "L", "90").add(3, "L", "80");
    let ev = run(&set, 4, recs);
    let ranks: Vec<Option<u32>> = ev.units.iter().map(|u| u.rank).collect();
    assert_eq!(ranks, [Some(2), Some(1), Some(2), Some(4)]);
}

fn veto_set(effect: &str) -> IndicatorSet {
    let text = format!(
        "{HEAD}\n[[indicator]]\ncode = \"G\"\nname = \"组\"\nmax = 100\n{}\n[[indicator]]\ncode = \"V\"\nname = \"否决\"\nstation = \"S\"\nrule = \"veto\"\n{effect}\n",
        leaf("L", 100, "rule = \"direct\"")
    );
    parse(text.as_bytes()).unwrap()
}

#[test]
fn veto_caps_the_total_and_raises_the_level() {
    let set = veto_set("cap_total = 59\nlevel = \"red\"");
    let recs = Recs::new(&set).add(0, "L", "95").add(0, "V", "1").add(1, "L", "95").add(1, "V", "0");
    let ev = run(&set, 2, recs);
    assert_eq!(ev.units[0].total, Some(d("59")));
    assert_eq!(ev.units[0].before_veto, Some(d("95")), "各项合计 before the cap");
    assert_eq!(ev.units[1].before_veto, Some(d("95")));
    assert_eq!(ev.units[0].level, Some(0));
    assert_eq!(ev.units[0].vetoed, vec![set.node("V").unwrap()]);
    // the first-level indicator keeps its own score and level
    assert_eq!(scored(&set, &ev, 0, "G"), d("95"));
    assert_eq!(score(&set, &ev, 0, "V"), NodeScore::NotApplicable, "vetoes carry no score");
    // a count of 0 is not a trigger
    assert_eq!((ev.units[1].total, ev.units[1].level), (Some(d("95")), None));
    assert!(ev.units[1].vetoed.is_empty());
}

#[test]
fn veto_level_only_and_cap_above_total() {
    let set = veto_set("level = \"yellow\"");
    let ev = run(&set, 2, Recs::new(&set).add(0, "L", "95").add(0, "V", "1").add(1, "L", "50").add(1, "V", "1"));
    assert_eq!((ev.units[0].total, ev.units[0].level), (Some(d("95")), Some(1)));
    let w = ev.units[0].warnings.last().unwrap();
    assert_eq!((w.scope, w.level, w.score), (None, 1, d("95")));
    // already red: a yellow veto does not soften it
    assert_eq!(ev.units[1].level, Some(0));
    let set = veto_set("cap_total = 99");
    let ev = run(&set, 1, Recs::new(&set).add(0, "L", "70").add(0, "V", "1"));
    assert_eq!(ev.units[0].total, Some(d("70")), "a cap above the total changes nothing");
}

#[test]
fn a_veto_cap_alone_lowers_the_level() {
    // No `level` on the veto: 95 (no warning) capped at 70 → yellow (70 < 80), from the cap alone.
    let set = veto_set("cap_total = 70");
    let ev = run(&set, 2, Recs::new(&set).add(0, "L", "95").add(0, "V", "1").add(1, "L", "95"));
    assert_eq!((ev.units[0].total, ev.units[0].level), (Some(d("70")), Some(1)));
    let w = ev.units[0].warnings.last().unwrap();
    assert_eq!((w.scope, w.level, w.score), (None, 1, d("70")));
    // The first-level indicator keeps 95 and no warning; the unvetoed unit is untouched.
    assert_eq!(ev.units[0].warnings.len(), 1);
    assert_eq!((ev.units[1].total, ev.units[1].level), (Some(d("95")), None));
    // Ranked by the capped total.
    assert_eq!((ev.units[0].rank, ev.units[1].rank), (Some(2), Some(1)));
}

#[test]
fn aggregate_function_directly() {
    let p = |s: Option<&str>, m: &str, w: &str| (s.map(d), d(m), d(w));
    // 1/3 rescale: (1 + 1) × 10 / 6 = 3.333… → 3.33
    assert_eq!(
        aggregate(Aggregate::Sum, d("10"), &[p(Some("1"), "3", "0"), p(Some("1"), "3", "0"), p(None, "4", "0")], 2),
        Some(d("3.33"))
    );
    // weights summing to zero over present children exclude the group
    assert_eq!(aggregate(Aggregate::Weighted, d("10"), &[p(Some("1"), "3", "0")], 2), None);
    assert_eq!(aggregate(Aggregate::Sum, d("10"), &[p(None, "3", "0")], 2), None);
}
