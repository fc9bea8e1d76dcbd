//! Indicator-set parsing: a valid set round-trips into the model, and every
//! validation error of docs/indicator-set.md is reported at its TOML line and column.

use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A small valid set; tests splice extra text after it.
const HEAD: &str = r#"schema = 1
name = "测试体系"
version = "2021"
scale = 100
decimals = 2

[[category]]
code = "town"
name = "镇街区"

[[category]]
code = "dept"
name = "市直部门"

[[station]]
code = "S01"
name = "组织部"

[[warning]]
level = "red"
name = "红色预警"
below = 60
action = "建议书"

[[warning]]
level = "yellow"
below = 80

[[warning]]
level = "blue"
below = 90
"#;

const BODY: &str = r#"
[[indicator]]
code = "A1"
parent = "A"
name = "落实第一议题"
max = 10
station = "S01"
rule = "points"
deduct = 2

[[indicator]]
code = "A"
name = "政治建设"
max = 40

[[indicator]]
code = "A2"
parent = "A"
name = "学习"
max = 30
station = "组织部"
rule = "linear"
zero_at = 0.6
full_at = 1

[[indicator]]
code = "B"
name = "作风"
max = 60
aggregate = "weighted"

[[indicator]]
code = "B1"
parent = "B"
name = "问卷"
max = 10
weight = 2
station = "S01"
rule = "survey"
scale = [1, 5]
answers = { "满意" = 5, "一般" = 3, "不满意" = 1 }
min_responses = 3
missing = "exclude"

[[indicator]]
code = "B2"
parent = "B"
name = "等级"
max = 10
weight = 1
applies_to = ["town"]
station = "S01"
rule = "grade"
grades = { "优" = 10, "良" = 8, "差" = 0 }

[[indicator]]
code = "V"
name = "重大案件"
station = "S01"
rule = "veto"
cap_total = 59
level = "red"
"#;

#[track_caller]
fn ok(text: &str) -> IndicatorSet {
    parse(text.as_bytes()).unwrap_or_else(|e| panic!("expected a valid set, got {e:#?}"))
}

/// Asserts the set fails with a problem at `line:col` whose message contains `needle`.
#[track_caller]
fn fails_at(text: &str, line: usize, col: usize, needle: &str) {
    let errs = parse(text.as_bytes()).err().unwrap_or_else(|| panic!("expected an error containing {needle:?}"));
    assert!(
        errs.iter().any(|e| e.line == Some(line) && e.col == Some(col) && e.message.contains(needle)),
        "no error {line}:{col} containing {needle:?}; got {errs:#?}"
    );
}

/// Line number of the first line containing `needle` (1-based).
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
fn valid_set_builds_the_tree_in_display_order() {
    let set = ok(&format!("{HEAD}{BODY}"));
    let codes: Vec<&str> = set.nodes.iter().map(|n| n.code.as_str()).collect();
    // A is listed after A1 in the file, but parents precede children in display order.
    assert_eq!(codes, ["A", "A1", "A2", "B", "B1", "B2", "V"]);
    assert_eq!(set.roots.iter().map(|&r| set.nodes[r].code.as_str()).collect::<Vec<_>>(), ["A", "B", "V"]);
    assert_eq!(set.nodes[1].depth, 2);
    assert_eq!(set.nodes[1].parent, Some(0));
    assert_eq!(set.scale, d("100"));
    assert_eq!(set.decimals, 2);
    assert_eq!(set.version, "2021");
    assert_eq!(set.warnings[1].name, "yellow", "name defaults to level");
    // B2 applies to towns only; applicability is inherited.
    let b2 = set.node("B2").unwrap();
    assert_eq!(set.nodes[b2].applies, [true, false]);
    // The station was given by name.
    assert_eq!(set.leaf(set.node("A2").unwrap()).unwrap().station, 0);
    match &set.leaf(set.node("A1").unwrap()).unwrap().rule {
        Rule::Points(p) => {
            assert!(p.base_max && p.implicit);
            assert_eq!(p.items[0].amount, Amount::Per(d("2")));
        }
        r => panic!("{r:?}"),
    }
    match &set.leaf(set.node("A2").unwrap()).unwrap().rule {
        Rule::Linear { zero_at, full_at, combine } => {
            assert_eq!((*zero_at, *full_at, *combine), (d("0.6"), d("1"), Combine::Mean));
        }
        r => panic!("{r:?}"),
    }
    match &set.leaf(set.node("V").unwrap()).unwrap().rule {
        Rule::Veto(v) => assert_eq!((v.cap_total, v.level), (Some(d("59")), Some(0))),
        r => panic!("{r:?}"),
    }
    match &set.leaf(set.node("B1").unwrap()).unwrap().rule {
        Rule::Survey(s) => {
            assert_eq!(s.answers[0], ("满意".to_string(), d("5")));
            assert_eq!(s.min_responses, 3);
        }
        r => panic!("{r:?}"),
    }
    assert_eq!(set.sha256.len(), 64);
}

#[test]
fn warning_levels_are_strictly_below() {
    let set = ok(&format!("{HEAD}{BODY}"));
    // Thresholds on a 100-point node: red < 60, yellow < 80, blue < 90.
    assert_eq!(set.warning_level(d("90.00"), d("100")), None, "exactly 90 is not blue");
    assert_eq!(set.warning_level(d("89.99"), d("100")), Some(2));
    assert_eq!(set.warning_level(d("80"), d("100")), Some(2));
    assert_eq!(set.warning_level(d("79.99"), d("100")), Some(1));
    assert_eq!(set.warning_level(d("60"), d("100")), Some(1));
    assert_eq!(set.warning_level(d("59.99"), d("100")), Some(0));
    assert_eq!(set.warning_level(d("0"), d("100")), Some(0));
    // On a 1000-point total the thresholds scale: 900 is fine, 899.99 is blue.
    assert_eq!(set.warning_level(d("900"), d("1000")), None);
    assert_eq!(set.warning_level(d("899.99"), d("1000")), Some(2));
    assert_eq!(set.warning_level(d("599.99"), d("1000")), Some(0));
}

#[test]
fn points_items_with_ranges_and_base() {
    let text = format!(
        "{HEAD}{}",
        r#"
[[indicator]]
code = "P"
name = "廉洁"
max = 100
station = "S01"
rule = "points"
base = "zero"
items = [
  { code = "a", name = "有完善的廉洁内控机制", add = 2, cap = 2 },
  { code = "b", name = "宣教载体丰富多样", add = 1, cap = 1 },
  { code = "c", name = "员工违纪违法", deduct = [1, 3] },
]
"#
    );
    let set = ok(&text);
    let Rule::Points(p) = &set.leaf(0).unwrap().rule else { panic!() };
    assert!(!p.base_max && !p.implicit);
    assert_eq!(p.items.len(), 3);
    assert_eq!(p.items[0].cap, Some(d("2")));
    assert_eq!(p.items[2].amount, Amount::Range(d("1"), d("3")));
    assert!(p.items[2].deduct);
}

#[test]
fn base_is_inferred_from_items() {
    let leaf = |items: &str| {
        format!(
            "{HEAD}\n[[indicator]]\ncode = \"P\"\nname = \"p\"\nmax = 100\nstation = \"S01\"\nrule = \"points\"\nitems = [{items}]\n"
        )
    };
    let set = ok(&leaf(r#"{ code = "a", add = 1 }"#));
    let Rule::Points(p) = &set.leaf(0).unwrap().rule else { panic!() };
    assert!(!p.base_max, "all adds: base zero");
    let set = ok(&leaf(r#"{ code = "a", deduct = 1 }"#));
    let Rule::Points(p) = &set.leaf(0).unwrap().rule else { panic!() };
    assert!(p.base_max, "all deducts: base max");
    let text = leaf(r#"{ code = "a", add = 1 }, { code = "b", deduct = 1 }"#);
    fails_at(&text, line_of(&text, "code = \"P\"") - 1, 1, "必须写明 base");
}

// ---- one test per validation error of docs/indicator-set.md ------------------------------

#[test]
fn duplicate_code() {
    let text = format!("{HEAD}{BODY}\n[[indicator]]\ncode = \"A2\"\nname = \"x\"\nmax = 1\nparent = \"A\"\n");
    let line = text.lines().count() - 3;
    fails_at(&text, line, 8, "重复");
}

#[test]
fn unknown_parent() {
    let text = format!("{HEAD}{BODY}").replace("parent = \"A\"\nname = \"学习\"", "parent = \"Z\"\nname = \"学习\"");
    fails_at(&text, line_of(&text, "parent = \"Z\""), 10, "上级指标 \"Z\" 不存在");
}

#[test]
fn cycle() {
    let text = format!("{HEAD}{BODY}")
        .replace("code = \"A\"\nname = \"政治建设\"", "code = \"A\"\nparent = \"A1\"\nname = \"政治建设\"");
    fails_at(&text, line_of(&text, "parent = \"A1\""), 10, "循环");
}

#[test]
fn unknown_key_on_every_table() {
    let text = format!("{HEAD}{BODY}").replace("name = \"学习\"", "name = \"学习\"\nmaxx = 3");
    fails_at(&text, line_of(&text, "maxx"), 1, "未知的键 `maxx`");
    let text = format!("{HEAD}{BODY}").replace("below = 80", "below = 80\ncolour = \"x\"");
    fails_at(&text, line_of(&text, "colour"), 1, "未知的键 `colour`");
    let text = format!("{HEAD}{BODY}\nextra = 1\n").replacen("scale = 100", "scale = 100\nscael = 1", 1);
    fails_at(&text, line_of(&text, "scael"), 1, "未知的键 `scael`");
    let text = format!("{HEAD}{BODY}").replace("name = \"组织部\"", "name = \"组织部\"\ntype = \"dept\"");
    fails_at(&text, line_of(&text, "type = "), 1, "未知的键 `type`");
}

#[test]
fn key_of_another_rule() {
    let text = format!("{HEAD}{BODY}").replace("deduct = 2", "deduct = 2\nzero_at = 1");
    fails_at(&text, line_of(&text, "zero_at = 1"), 11, "属于 rule = \"linear\"");
}

#[test]
fn unknown_station_and_category() {
    let text = format!("{HEAD}{BODY}").replace("station = \"组织部\"", "station = \"审计局\"");
    fails_at(&text, line_of(&text, "审计局"), 11, "未知的监测站");
    let text = format!("{HEAD}{BODY}").replace("applies_to = [\"town\"]", "applies_to = [\"village\"]");
    fails_at(&text, line_of(&text, "village"), 15, "未在 [[category]] 中定义");
}

#[test]
fn leaf_without_rule_or_station() {
    let text = format!("{HEAD}{BODY}").replace("rule = \"points\"\ndeduct = 2\n", "");
    fails_at(&text, line_of(&text, "code = \"A1\""), 8, "缺少 rule");
    let text = format!("{HEAD}{BODY}").replace("station = \"组织部\"\n", "");
    fails_at(&text, line_of(&text, "code = \"A2\""), 8, "缺少 station");
}

#[test]
fn group_with_rule_or_station() {
    let text = format!("{HEAD}{BODY}").replace("name = \"政治建设\"", "name = \"政治建设\"\nrule = \"direct\"");
    fails_at(&text, line_of(&text, "rule = \"direct\""), 8, "分组指标,不能有 rule");
    let text = format!("{HEAD}{BODY}").replace("name = \"政治建设\"", "name = \"政治建设\"\nstation = \"S01\"");
    let line = text.lines().position(|l| l == "name = \"政治建设\"").unwrap() + 2;
    fails_at(&text, line, 11, "分组指标,不能有 station");
}

#[test]
fn range_lo_above_hi() {
    let text = format!("{HEAD}{BODY}").replace("deduct = 2", "deduct = [3, 1]");
    fails_at(&text, line_of(&text, "[3, 1]"), 10, "下限大于上限");
    let text = format!("{HEAD}{BODY}").replace("scale = [1, 5]", "scale = [5, 1]");
    fails_at(&text, line_of(&text, "[5, 1]"), 9, "下限大于上限");
}

#[test]
fn zero_at_equal_to_full_at() {
    let text = format!("{HEAD}{BODY}").replace("zero_at = 0.6", "zero_at = 1");
    fails_at(&text, line_of(&text, "full_at = 1"), 11, "相等");
}

#[test]
fn nan_and_inf() {
    let text = format!("{HEAD}{BODY}").replace("deduct = 2", "deduct = nan");
    fails_at(&text, line_of(&text, "nan"), 10, "nan/inf");
    let text = format!("{HEAD}{BODY}").replace("full_at = 1", "full_at = inf");
    fails_at(&text, line_of(&text, "full_at = inf"), 11, "nan/inf");
    let text = format!("{HEAD}{BODY}").replace("below = 90", "below = -inf");
    fails_at(&text, line_of(&text, "-inf"), 9, "nan/inf");
}

#[test]
fn warnings_not_strictly_increasing() {
    let text = format!("{HEAD}{BODY}").replace("below = 90", "below = 80");
    let line = text.lines().collect::<Vec<_>>().iter().rposition(|l| *l == "below = 80").unwrap() + 1;
    fails_at(&text, line, 9, "严格递增");
}

#[test]
fn maxima_that_do_not_add_up() {
    // A is 40 but A1 + A2 = 10 + 25.
    let text = format!("{HEAD}{BODY}").replace("max = 30", "max = 25");
    fails_at(&text, line_of(&text, "max = 40"), 7, "满分之和 35 不一致");
    // The total: first-level maxima 40 + 60 ≠ 120.
    let text = format!("{HEAD}{BODY}").replace("scale = 100", "scale = 120");
    fails_at(&text, 4, 9, "总分 (scale) 的满分 120");
}

#[test]
fn maxima_add_up_per_category() {
    // C applies to both categories: towns get C1 (6) + C2 (4), depts C1 + C3 (4).
    let body = BODY.replace("max = 60\naggregate = \"weighted\"", "max = 50\naggregate = \"weighted\"");
    let extra = r#"
[[indicator]]
code = "C"
name = "个性"
max = 10

[[indicator]]
code = "C1"
parent = "C"
name = "共性"
max = 6
station = "S01"
rule = "direct"

[[indicator]]
code = "C2"
parent = "C"
name = "镇街个性"
max = 4
applies_to = ["town"]
station = "S01"
rule = "direct"

[[indicator]]
code = "C3"
parent = "C"
name = "部门个性"
max = 4
applies_to = ["dept"]
station = "S01"
rule = "direct"
"#;
    ok(&format!("{HEAD}{body}{extra}"));
    let broken = extra.replace("name = \"部门个性\"\nmax = 4", "name = \"部门个性\"\nmax = 3");
    let text = format!("{HEAD}{body}{broken}");
    fails_at(&text, line_of(&text, "name = \"个性\"") + 1, 7, "「市直部门」(dept) 的下级指标满分之和 9");
}

#[test]
fn weighted_children_need_weights() {
    let text = format!("{HEAD}{BODY}").replace("weight = 2\n", "");
    fails_at(&text, line_of(&text, "code = \"B1\""), 8, "需要 weight");
}

#[test]
fn veto_has_no_max_and_needs_an_effect() {
    let text = format!("{HEAD}{BODY}").replace("cap_total = 59", "cap_total = 59\nmax = 5");
    fails_at(&text, line_of(&text, "max = 5"), 7, "没有满分");
    let text = format!("{HEAD}{BODY}").replace("cap_total = 59\nlevel = \"red\"\n", "");
    fails_at(&text, line_of(&text, "rule = \"veto\""), 8, "cap_total");
    let text = format!("{HEAD}{BODY}").replace("cap_total = 59\nlevel = \"red\"", "cap_total = 59\nlevel = \"purple\"");
    fails_at(&text, line_of(&text, "purple"), 9, "不是 [[warning]] 中定义");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = format!("{HEAD}{BODY}")
        .replace("deduct = 2", "deduct = nan")
        .replace("zero_at = 0.6", "zero_at = 1")
        .replace("name = \"学习\"", "name = \"学习\"\nfoo = 1");
    let errs = parse(text.as_bytes()).unwrap_err();
    assert!(errs.len() >= 3, "{errs:#?}");
    let lines: Vec<usize> = errs.iter().filter_map(|e| e.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "problems come in file order");
}

#[test]
fn syntax_errors_have_a_place() {
    fails_at("name = \"x\"\nscale = \n", 2, 9, "TOML 语法错误");
}

#[test]
fn schema_must_be_one_and_scale_positive() {
    fails_at(&format!("{HEAD}{BODY}").replace("schema = 1", "schema = 2"), 1, 10, "schema = 2");
    let text = format!("{HEAD}{BODY}").replace("scale = 100\n", "");
    fails_at(&text, 1, 1, "缺少 `scale`");
}

#[test]
fn warning_colour_extension() {
    let set = ok(&format!("{HEAD}{BODY}").replace("below = 90\n", "below = 90\ncolor = \"#00B0F0\"\n"));
    assert_eq!(set.warnings[2].color, Some(0x00B0F0));
    assert_eq!(set.warnings[0].color, None);
    let text = format!("{HEAD}{BODY}").replace("below = 90\n", "below = 90\ncolor = \"blue\"\n");
    fails_at(&text, line_of(&text, "color = "), 9, "#RRGGBB");
}

#[test]
fn trend_min_drop_defaults_to_one_percent_of_the_scale() {
    let base = format!("{HEAD}{BODY}");
    let scale = ok(&base).scale;
    assert_eq!(ok(&base).trend_min_drop, scale / Decimal::ONE_HUNDRED);
    let set = ok(&base.replacen("\n[[category]]", "trend_min_drop = 2.5\n\n[[category]]", 1));
    assert_eq!(set.trend_min_drop, d("2.5"));
    let text = base.replacen("\n[[category]]", "trend_min_drop = -1\n\n[[category]]", 1);
    fails_at(&text, line_of(&text, "trend_min_drop"), 18, "不能为负数");
}

#[test]
fn confidential_station_extension() {
    let base = format!("{HEAD}{BODY}");
    assert!(!ok(&base).stations[0].confidential);
    let set = ok(&base.replace("name = \"组织部\"\n", "name = \"组织部\"\nconfidential = true\n"));
    assert!(set.stations[0].confidential);
    let text = base.replace("name = \"组织部\"\n", "name = \"组织部\"\nconfidential = \"yes\"\n");
    fails_at(&text, line_of(&text, "confidential = "), 16, "true 或 false");
}

#[test]
fn subject_and_advice_extensions() {
    let base = format!("{HEAD}{BODY}");
    let plain = ok(&base);
    assert_eq!(plain.subject, None);
    assert!(plain.nodes.iter().all(|n| n.advice.is_none()));
    let text = base.replacen("\n[[category]]", "subject = \" 政治生态 \"\n\n[[category]]", 1).replacen(
        "rule = ",
        "advice = \"建立学习台账\"\nrule = ",
        1,
    );
    let set = ok(&text);
    assert_eq!(set.subject.as_deref(), Some("政治生态"));
    assert_eq!(set.nodes.iter().filter_map(|n| n.advice.as_deref()).collect::<Vec<_>>(), ["建立学习台账"]);
    // Text only: a number is an error at its line and column.
    let text = base.replacen("rule = ", "advice = 3\nrule = ", 1);
    assert!(crate::indicators::parse(text.as_bytes()).is_err());
}

#[test]
fn survey_answer_outside_its_scale() {
    let text = format!("{HEAD}{BODY}").replace("\"满意\" = 5,", "\"满意\" = 6,");
    // `answers = { "满意" = 6, …`: the value 6 is the 20th character of its line.
    fails_at(&text, line_of(&text, "\"满意\" = 6"), 20, "不在 scale [1, 5] 内");
}

#[test]
fn maxima_and_scale_must_be_positive() {
    let text = format!("{HEAD}{BODY}").replace("scale = 100", "scale = 0");
    fails_at(&text, line_of(&text, "scale = 0"), 9, "scale (总分满分) 必须大于 0");
    let text = format!("{HEAD}{BODY}").replace("max = 30", "max = -30");
    fails_at(&text, line_of(&text, "max = -30"), 7, "max (满分) 必须大于 0");
    let text = format!("{HEAD}{BODY}").replace("max = 30", "max = 0");
    fails_at(&text, line_of(&text, "max = 0"), 7, "max (满分) 必须大于 0");
}

#[test]
fn decimals_is_a_whole_number_from_0_to_10() {
    for bad in ["11", "-1", "2.5"] {
        let text = format!("{HEAD}{BODY}").replace("decimals = 2", &format!("decimals = {bad}"));
        fails_at(&text, line_of(&text, "decimals ="), 12, "decimals 必须是 0 到 10 之间的整数");
    }
    for good in ["0", "10"] {
        let text = format!("{HEAD}{BODY}").replace("decimals = 2", &format!("decimals = {good}"));
        assert_eq!(ok(&text).decimals, good.parse::<u32>().unwrap());
    }
}

#[test]
fn grade_points_above_the_leaf_max() {
    let text = format!("{HEAD}{BODY}").replace("\"优\" = 10,", "\"优\" = 12,");
    // `grades = { "优" = 12, …`: the 12 is the 18th character of its line.
    fails_at(&text, line_of(&text, "\"优\" = 12"), 18, "等级 \"优\" 的分值 12 超过满分 10");
}
