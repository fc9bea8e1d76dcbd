//! What is legal but suspicious in an indicator set and roster (`zhili check`'s warnings).
//!
//! None of these stop scoring; each one has cost an office a week when found
//! at the end of a quarter instead of the start.

use crate::indicators::{Aggregate, IndicatorSet, NodeId, NodeKind, Rule};
use crate::roster::Roster;
use rust_decimal::Decimal;

/// One suspicious thing: a short code, the TOML line it concerns (if any) and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lint {
    pub code: &'static str,
    pub line: Option<usize>,
    pub message: String,
}

/// Lints the set, and with a roster the things only a roster can tell.
pub fn lint(set: &IndicatorSet, roster: Option<&Roster>) -> Vec<Lint> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<Lint>, code, line, message: String| out.push(Lint { code, line, message });

    for (s, st) in set.stations.iter().enumerate() {
        if !set.leaves().any(|(_, l)| l.station == s) {
            push(
                &mut out,
                "idle_station",
                Some(st.line),
                format!("监测站 {} ({}) 不采集任何指标;如不再使用,可从 [[station]] 中删去", st.code, st.name),
            );
        }
    }
    for (id, leaf) in set.leaves() {
        let node = &set.nodes[id];
        match &leaf.rule {
            Rule::Grade { grades } => {
                let max = node.max.unwrap_or_default();
                for (label, pts) in grades.iter().filter(|(_, p)| *p > max) {
                    push(
                        &mut out,
                        "grade_above_max",
                        Some(node.line),
                        format!("指标 {} 的等级 \"{label}\" 为 {pts} 分,超过满分 {max};得分将按满分封顶", node.code),
                    );
                }
            }
            Rule::Survey(s) if !s.min_responses_set => push(
                &mut out,
                "survey_without_min_responses",
                Some(node.line),
                format!("问卷指标 {} 没有写 min_responses,一份答卷也会计分;建议写明最少有效问卷数", node.code),
            ),
            _ => {}
        }
    }
    zero_weights(set, &mut out);

    if let Some(roster) = roster {
        for (c, cat) in set.categories.iter().enumerate() {
            if !roster.units.iter().any(|u| u.category == c) {
                push(
                    &mut out,
                    "empty_category",
                    None,
                    format!("类别 {} ({}) 在单位名册中没有任何单位", cat.code, cat.name),
                );
            }
        }
        for (id, _) in set.leaves() {
            let node = &set.nodes[id];
            if !roster.units.iter().any(|u| node.applies[u.category]) {
                push(
                    &mut out,
                    "unreachable_leaf",
                    Some(node.line),
                    format!(
                        "叶子指标 {} ({}) 不适用于名册中的任何单位;请检查它及其上级的 applies_to",
                        node.code, node.name
                    ),
                );
            }
        }
    }
    out.sort_by_key(|l| l.line.unwrap_or(usize::MAX));
    out
}

/// Weighted groups (and a weighted total) whose applicable weights sum to 0 for some category.
fn zero_weights(set: &IndicatorSet, out: &mut Vec<Lint>) {
    let mut groups: Vec<(Option<NodeId>, &[NodeId])> = Vec::new();
    if set.aggregate == Aggregate::Weighted {
        groups.push((None, &set.roots));
    }
    for (id, n) in set.nodes.iter().enumerate() {
        if let NodeKind::Group(Aggregate::Weighted) = n.kind {
            groups.push((Some(id), &n.children));
        }
    }
    for (group, children) in groups {
        for (c, cat) in set.categories.iter().enumerate() {
            if group.is_some_and(|g| !set.nodes[g].applies[c]) {
                continue;
            }
            let live: Vec<&crate::indicators::Node> =
                children.iter().map(|&k| &set.nodes[k]).filter(|k| k.applies[c] && !k.is_veto()).collect();
            let sum: Decimal = live.iter().filter_map(|k| k.weight).sum();
            if !live.is_empty() && sum.is_zero() {
                let (what, line) = match group {
                    Some(g) => (format!("加权分组 {}", set.nodes[g].code), Some(set.nodes[g].line)),
                    None => ("加权总分".to_string(), None),
                };
                out.push(Lint {
                    code: "zero_weights",
                    line,
                    message: format!(
                        "{what} 对类别 {} 的下级权重之和为 0,该分组将不计分;请给下级写正的 weight",
                        cat.name
                    ),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::Unit;

    const SET: &str = r#"name = "体系"
scale = 100
[[category]]
code = "town"
name = "镇街区"
[[category]]
code = "dept"
name = "市直部门"
[[station]]
code = "S1"
name = "组织部"
[[station]]
code = "S2"
name = "空站"
[[indicator]]
code = "A"
name = "甲"
max = 100
aggregate = "weighted"
[[indicator]]
code = "A1"
parent = "A"
name = "等级"
max = 10
weight = 0
station = "S1"
rule = "grade"
grades = { "优" = 12, "差" = 0 }
[[indicator]]
code = "A2"
parent = "A"
name = "问卷"
max = 10
weight = 0
applies_to = ["dept"]
station = "S1"
rule = "survey"
scale = [1, 5]
"#;

    #[test]
    fn finds_each_kind_of_suspicious_thing() {
        let set = crate::indicators::parse(SET.as_bytes()).unwrap();
        let roster = Roster::new(vec![Unit { code: "T".into(), name: "镇".into(), category: 0 }]).unwrap();
        let found: Vec<(&str, Option<usize>)> = lint(&set, Some(&roster)).iter().map(|l| (l.code, l.line)).collect();
        let line = |needle: &str| SET.lines().position(|l| l == needle).map(|i| i + 1);
        assert_eq!(
            found,
            [
                ("idle_station", line("code = \"S2\"")),
                ("zero_weights", line("code = \"A\"")),
                ("zero_weights", line("code = \"A\"")),
                ("grade_above_max", line("code = \"A1\"")),
                ("survey_without_min_responses", line("code = \"A2\"")),
                ("unreachable_leaf", line("code = \"A2\"")),
                ("empty_category", None),
            ]
        );
    }
}
