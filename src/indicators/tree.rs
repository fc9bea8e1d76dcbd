//! Builds the indicator tree from flat `[[indicator]]` tables and checks it as a whole.
//!
//! Parents may come before or after their children, so structure can only
//! be judged once every table is read: unknown parents, cycles, groups that
//! carry rules, leaves that lack them, weights, and maxima that must add up
//! for every category (docs/indicator-set.md). `build` runs one function per pass.

use super::*;
use crate::tomlread::{Doc, Sp};
use std::collections::HashMap;
use std::ops::Range;

/// One `[[indicator]]` table as read, before the tree exists.
pub(super) struct RawNode {
    pub code: Sp<String>,
    pub name: String,
    pub parent: Option<Sp<String>>,
    pub max: Option<Sp<Decimal>>,
    pub weight: Option<Sp<Decimal>>,
    pub applies: Option<Sp<Vec<bool>>>,
    pub aggregate: Option<Sp<Aggregate>>,
    pub missing: Missing,
    /// The station key, resolved (`None` inside when unknown, already reported).
    pub station: Option<Sp<Option<usize>>>,
    /// Where `rule = ...` was written, even if the rule was invalid.
    pub rule_span: Option<Range<usize>>,
    /// The rule, when it was valid.
    pub rule: Option<Rule>,
    /// `advice` (extension): what a unit losing points here should do, for the 体检报告.
    pub advice: Option<String>,
}

/// What the passes learn about the raw tables, by index into them.
struct Shape {
    /// False for a later duplicate of a code (reported; left out of the tree).
    keep: Vec<bool>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
}

/// Checks the tree and, when it is sound, returns the nodes in display order.
/// Each pass reports into `doc`; nothing is built unless every pass is clean.
pub(super) fn build(
    doc: &mut Doc,
    raws: Vec<RawNode>,
    categories: &[Category],
    top_aggregate: Aggregate,
    scale: Option<&Sp<Decimal>>,
) -> Option<(Vec<Node>, Vec<NodeId>)> {
    let keep = unique_codes(doc, &raws);
    let (parent, orphan) = resolve_parents(doc, &raws, &keep);
    let cyclic = report_cycles(doc, &raws, &keep, &parent);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); raws.len()];
    for i in (0..raws.len()).filter(|&i| keep[i]) {
        if let Some(p) = parent[i] {
            children[p].push(i);
        }
    }
    // A table naming a parent that does not exist (reported) is not a root either.
    let roots = (0..raws.len()).filter(|&i| keep[i] && parent[i].is_none() && !orphan[i]).collect();
    let shape = Shape { keep, parent, children, roots };
    check_groups_and_leaves(doc, &raws, &shape);
    check_weights(doc, &raws, &shape, top_aggregate);
    if cyclic {
        return None; // no display order exists; the maxima cannot be judged either
    }
    let order = display_order(&shape);
    let applies = applicability(&raws, &shape, &order, categories.len());
    check_maxima(doc, &raws, &shape, &order, &applies, categories, top_aggregate, scale);
    if !doc.problems.is_empty() {
        return None; // something, here or in a single table, is wrong: build nothing
    }
    Some(assemble(doc, raws, &shape, &order, applies))
}

/// Unique codes: the first definition wins; later ones are reported.
fn unique_codes(doc: &mut Doc, raws: &[RawNode]) -> Vec<bool> {
    let mut by_code: HashMap<&str, usize> = HashMap::new();
    let mut keep = vec![true; raws.len()];
    for (i, r) in raws.iter().enumerate() {
        if by_code.contains_key(r.code.v.as_str()) {
            doc.err(
                &r.code.span,
                format!("指标代码 \"{}\" 重复;每个指标的 code 必须唯一,请改名或删去重复的一项", r.code.v),
            );
            keep[i] = false;
        } else {
            by_code.insert(&r.code.v, i);
        }
    }
    keep
}

/// Each table's parent, by index; unknown parents are reported (the table is an orphan).
fn resolve_parents(doc: &mut Doc, raws: &[RawNode], keep: &[bool]) -> (Vec<Option<usize>>, Vec<bool>) {
    let by_code: HashMap<&str, usize> =
        raws.iter().enumerate().filter(|(i, _)| keep[*i]).map(|(i, r)| (r.code.v.as_str(), i)).collect();
    let mut parent: Vec<Option<usize>> = vec![None; raws.len()];
    let mut orphan = vec![false; raws.len()];
    for (i, r) in raws.iter().enumerate().filter(|(i, _)| keep[*i]) {
        if let Some(p) = &r.parent {
            match by_code.get(p.v.as_str()) {
                Some(&pi) => parent[i] = Some(pi),
                None => {
                    doc.err(
                        &p.span,
                        format!("指标 {}: 上级指标 \"{}\" 不存在;请检查 parent 的拼写,或补上该指标", r.code.v, p.v),
                    );
                    orphan[i] = true;
                }
            }
        }
    }
    (parent, orphan)
}

/// Cycles: a node on a cycle reaches itself by following parents. Returns whether there is one.
fn report_cycles(doc: &mut Doc, raws: &[RawNode], keep: &[bool], parent: &[Option<usize>]) -> bool {
    let mut cyclic = false;
    for (i, r) in raws.iter().enumerate().filter(|(i, _)| keep[*i]) {
        let mut at = parent[i];
        let mut steps = 0;
        while let Some(p) = at {
            if p == i {
                let span = r.parent.as_ref().map(|p| p.span.clone()).unwrap_or(r.code.span.clone());
                doc.err(
                    &span,
                    format!(
                        "指标 {}: 上级关系构成循环 ({});请修改 parent,让每条上级链都终止于一个一级指标",
                        r.code.v,
                        cycle_path(raws, parent, i)
                    ),
                );
                cyclic = true;
                break;
            }
            steps += 1;
            if steps > raws.len() {
                break; // above a cycle that does not include i; reported on the cycle itself
            }
            at = parent[p];
        }
    }
    cyclic
}

/// Groups carry no rule or station; leaves carry both and no aggregate.
fn check_groups_and_leaves(doc: &mut Doc, raws: &[RawNode], shape: &Shape) {
    for (i, r) in raws.iter().enumerate().filter(|(i, _)| shape.keep[*i]) {
        if !shape.children[i].is_empty() {
            if let Some(span) = &r.rule_span {
                doc.err(span, format!("指标 {} 有下级指标,是分组指标,不能有 rule (计分规则写在叶子指标上)", r.code.v));
            }
            if let Some(s) = &r.station {
                doc.err(&s.span, format!("指标 {} 有下级指标,是分组指标,不能有 station", r.code.v));
            }
        } else {
            if r.rule_span.is_none() {
                doc.err(
                    &r.code.span,
                    format!(
                        "叶子指标 {} 缺少 rule (计分规则);请写 rule = \"points\"、\"linear\" 等,或为它添加下级指标",
                        r.code.v
                    ),
                );
            }
            if r.station.is_none() {
                doc.err(
                    &r.code.span,
                    format!("叶子指标 {} 缺少 station;请写 station = \"…\" 指明负责采集的监测站", r.code.v),
                );
            }
            if let Some(a) = &r.aggregate {
                doc.err(&a.span, format!("指标 {} 没有下级指标,aggregate 只用于分组指标", r.code.v));
            }
        }
    }
}

fn is_veto(raws: &[RawNode], i: usize) -> bool {
    raws[i].rule.as_ref().is_some_and(Rule::is_veto)
}

fn group_aggregate(raws: &[RawNode], i: usize) -> Aggregate {
    raws[i].aggregate.as_ref().map(|a| a.v).unwrap_or(Aggregate::Sum)
}

/// Every non-veto child of a weighted group (and of a weighted total) has a weight.
fn check_weights(doc: &mut Doc, raws: &[RawNode], shape: &Shape, top_aggregate: Aggregate) {
    let mut weighted_sets: Vec<(String, &[usize])> = Vec::new();
    if top_aggregate == Aggregate::Weighted {
        weighted_sets.push(("总分 (aggregate = \"weighted\")".into(), &shape.roots));
    }
    for i in (0..raws.len())
        .filter(|&i| shape.keep[i] && !shape.children[i].is_empty() && group_aggregate(raws, i) == Aggregate::Weighted)
    {
        weighted_sets.push((format!("加权分组 {}", raws[i].code.v), &shape.children[i]));
    }
    for (what, kids) in &weighted_sets {
        for &c in kids.iter().filter(|&&c| !is_veto(raws, c) && raws[c].weight.is_none()) {
            doc.err(&raws[c].code.span, format!("指标 {} 属于{what},需要 weight = 权重", raws[c].code.v));
        }
    }
}

/// Display order: pre-order from the roots, siblings in file order.
fn display_order(shape: &Shape) -> Vec<usize> {
    let mut order = Vec::new();
    let mut stack: Vec<usize> = shape.roots.iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(shape.children[i].iter().rev());
    }
    order
}

/// Effective applicability per category: a node applies only if all its ancestors do.
fn applicability(raws: &[RawNode], shape: &Shape, order: &[usize], n_categories: usize) -> Vec<Vec<bool>> {
    let mut applies: Vec<Vec<bool>> = vec![Vec::new(); raws.len()];
    for &i in order {
        let own = raws[i].applies.as_ref().map(|a| a.v.clone()).unwrap_or_else(|| vec![true; n_categories]);
        applies[i] = match shape.parent[i] {
            Some(p) => own.iter().zip(&applies[p]).map(|(a, b)| *a && *b).collect(),
            None => own,
        };
    }
    applies
}

/// Maxima add up (sum) or at least one child applies (weighted), per category,
/// for the total and every group.
#[allow(clippy::too_many_arguments)]
fn check_maxima(
    doc: &mut Doc,
    raws: &[RawNode],
    shape: &Shape,
    order: &[usize],
    applies: &[Vec<bool>],
    categories: &[Category],
    top_aggregate: Aggregate,
    scale: Option<&Sp<Decimal>>,
) {
    let max_of = |i: usize| raws[i].max.as_ref().map(|m| m.v);
    let check = |doc: &mut Doc, what: &str, agg: Aggregate, max: &Sp<Decimal>, kids: &[usize], cats: &[bool]| {
        for c in (0..categories.len()).filter(|&c| cats[c]) {
            let live: Vec<usize> = kids.iter().copied().filter(|&k| applies[k][c] && !is_veto(raws, k)).collect();
            match agg {
                Aggregate::Sum => {
                    let sum: Decimal = live.iter().filter_map(|&k| max_of(k)).sum();
                    if sum != max.v {
                        let codes: Vec<&str> = live.iter().map(|&k| raws[k].code.v.as_str()).collect();
                        doc.err(
                            &max.span,
                            format!(
                                "{what} 的满分 {} 与其适用于「{}」({}) 的下级指标满分之和 {sum} 不一致 (下级: {});请调整满分或 applies_to,使两者相等",
                                max.v,
                                categories[c].name,
                                categories[c].code,
                                if codes.is_empty() { "无".to_string() } else { codes.join("、") }
                            ),
                        );
                    }
                }
                Aggregate::Weighted => {
                    if live.is_empty() {
                        doc.err(
                            &max.span,
                            format!("{what} 没有适用于「{}」({}) 的下级指标", categories[c].name, categories[c].code),
                        );
                    }
                }
            }
        }
    };
    if let Some(scale) = scale {
        check(doc, "总分 (scale)", top_aggregate, scale, &shape.roots, &vec![true; categories.len()]);
    }
    for &i in order.iter().filter(|&&i| !shape.children[i].is_empty()) {
        if let Some(max) = &raws[i].max {
            check(
                doc,
                &format!("指标 {}", raws[i].code.v),
                group_aggregate(raws, i),
                max,
                &shape.children[i],
                &applies[i],
            );
        }
    }
}

/// The nodes in display order, with ids, depths and applicability; only called on a sound tree.
fn assemble(
    doc: &Doc,
    raws: Vec<RawNode>,
    shape: &Shape,
    order: &[usize],
    mut applies: Vec<Vec<bool>>,
) -> (Vec<Node>, Vec<NodeId>) {
    let mut new_id = vec![usize::MAX; raws.len()];
    for (n, &i) in order.iter().enumerate() {
        new_id[i] = n;
    }
    let mut depth = vec![1u32; raws.len()];
    for &i in order {
        if let Some(p) = shape.parent[i] {
            depth[i] = depth[p] + 1;
        }
    }
    let mut raws: Vec<Option<RawNode>> = raws.into_iter().map(Some).collect();
    let nodes = order
        .iter()
        .map(|&i| {
            let r = raws[i].take().expect("each node is placed once");
            let kind = if shape.children[i].is_empty() {
                NodeKind::Leaf(Leaf {
                    station: r.station.and_then(|s| s.v).expect("checked above"),
                    missing: r.missing,
                    rule: r.rule.expect("checked above"),
                })
            } else {
                NodeKind::Group(r.aggregate.map(|a| a.v).unwrap_or(Aggregate::Sum))
            };
            Node {
                line: doc.line_col(r.code.span.start).0,
                code: r.code.v,
                name: r.name,
                parent: shape.parent[i].map(|p| new_id[p]),
                children: shape.children[i].iter().map(|&c| new_id[c]).collect(),
                depth: depth[i],
                max: r.max.map(|m| m.v),
                weight: r.weight.map(|w| w.v),
                applies: std::mem::take(&mut applies[i]),
                kind,
                advice: r.advice.clone(),
            }
        })
        .collect();
    (nodes, shape.roots.iter().map(|&r| new_id[r]).collect())
}

fn cycle_path(raws: &[RawNode], parent: &[Option<usize>], start: usize) -> String {
    let mut path = vec![raws[start].code.v.as_str()];
    let mut at = parent[start];
    while let Some(p) = at {
        path.push(raws[p].code.v.as_str());
        if p == start {
            break;
        }
        at = parent[p];
    }
    path.join(" → ")
}
