//! What is legal but suspicious in an indicator set and roster (`zhili check`'s warnings).
//!
//! None of these stop scoring; each one has cost an office a week when found
//! at the end of a quarter instead of the start.

use crate::indicators::{Aggregate, IndicatorSet, NodeId, NodeKind, Rule};
use crate::issue::{Issue, Kind};
use crate::roster::Roster;
use rust_decimal::Decimal;

/// Lints the set, and with a roster the things only a roster can tell. Each
/// is a warning-level [`Issue`] with the TOML line it concerns (when it
/// concerns one); the caller names the file.
pub fn lint(set: &IndicatorSet, roster: Option<&Roster>) -> Vec<Issue> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<Issue>, kind, line: Option<usize>, message: String| {
        let issue = Issue::new(kind, message);
        out.push(match line {
            Some(l) => issue.at_line(l, None),
            None => issue,
        })
    };

    for (s, st) in set.stations.iter().enumerate() {
        if !set.leaves().any(|(_, l)| l.station == s) {
            push(
                &mut out,
                Kind::IdleStation,
                Some(st.line),
                format!("监测站 {} ({}) 不采集任何指标;如不再使用,可从 [[station]] 中删去", st.code, st.name),
            );
        }
    }
    for (id, leaf) in set.leaves() {
        let node = &set.nodes[id];
        match &leaf.rule {
            Rule::Survey(s) if !s.min_responses_set => push(
                &mut out,
                Kind::SurveyWithoutMinResponses,
                Some(node.line),
                format!("问卷指标 {} 没有写 min_responses,一份答卷也会计分;建议写明最少有效问卷数", node.code),
            ),
            Rule::Survey(_)
            | Rule::Points(_)
            | Rule::Linear { .. }
            | Rule::Grade { .. }
            | Rule::Direct { .. }
            | Rule::Veto(_) => {}
        }
    }
    zero_weights(set, &mut out);

    if let Some(roster) = roster {
        for (c, cat) in set.categories.iter().enumerate() {
            if !roster.units.iter().any(|u| u.category == c) {
                push(
                    &mut out,
                    Kind::EmptyCategory,
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
                    Kind::UnreachableLeaf,
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
fn zero_weights(set: &IndicatorSet, out: &mut Vec<Issue>) {
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
                let issue = Issue::new(
                    Kind::ZeroWeights,
                    format!("{what} 对类别 {} 的下级权重之和为 0,该分组将不计分;请给下级写正的 weight", cat.name),
                );
                out.push(match line {
                    Some(l) => issue.at_line(l, None),
                    None => issue,
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
grades = { "优" = 10, "差" = 0 }
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
        let found: Vec<(Kind, Option<usize>)> = lint(&set, Some(&roster)).iter().map(|l| (l.kind, l.line)).collect();
        let line = |needle: &str| SET.lines().position(|l| l == needle).map(|i| i + 1);
        assert_eq!(
            found,
            [
                (Kind::IdleStation, line("code = \"S2\"")),
                (Kind::ZeroWeights, line("code = \"A\"")),
                (Kind::ZeroWeights, line("code = \"A\"")),
                (Kind::SurveyWithoutMinResponses, line("code = \"A2\"")),
                (Kind::UnreachableLeaf, line("code = \"A2\"")),
                (Kind::EmptyCategory, None),
            ]
        );
    }
}
