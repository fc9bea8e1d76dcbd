//! A rule's TOML keys (`rule = "points"`, `deduct = 2`, `items = [...]` …) → a validated [`Rule`].
//!
//! Called by the indicator-set loader for each leaf; reports into the same
//! [`Doc`], so every problem carries its TOML line and column.

use super::*;
use crate::tomlread::{Doc, Fields, Sp};

pub fn read_combine(doc: &mut Doc, f: &mut Fields) -> Combine {
    let Some(s) = f.string(doc, "combine") else {
        return Combine::Mean;
    };
    match s.v.as_str() {
        "mean" => Combine::Mean,
        "sum" => Combine::Sum,
        "min" => Combine::Min,
        "max" => Combine::Max,
        "last" => Combine::Last,
        other => {
            doc.err(&s.span, format!("{}: combine = \"{other}\" 无效: 应为 mean、sum、min、max 或 last", f.what));
            Combine::Mean
        }
    }
}

/// Reads the rule named by `rule` from the leaf's table. `levels` are the
/// set's warning level codes (a veto may name one); `max` is the leaf's full
/// marks (no grade may give more).
pub fn read_rule(
    doc: &mut Doc,
    f: &mut Fields,
    rule: &Sp<String>,
    levels: &[&str],
    max: Option<Decimal>,
) -> Option<Rule> {
    let Some(kind) = RuleKind::from_name(&rule.v) else {
        doc.err(&rule.span, format!("{}: rule = \"{}\" 无效: 应为 {}", f.what, rule.v, RuleKind::names_in_words()));
        return None;
    };
    // Keys of other rules are reported here, with a better message than "unknown key".
    for other in RuleKind::ALL {
        for &k in other.keys() {
            if !kind.keys().contains(&k) && f.has(k) {
                let span = f.raw(k).map(|v| v.span()).unwrap_or(f.span.clone());
                doc.err(
                    &span,
                    format!("{}: `{k}` 属于 rule = \"{}\",不适用于 rule = \"{}\"", f.what, other.name(), rule.v),
                );
            }
        }
    }
    let before = doc.problems.len();
    let rule = match kind {
        RuleKind::Points => Rule::Points(read_points(doc, f)?),
        RuleKind::Linear => {
            let combine = read_combine(doc, f);
            let z = f.req_number(doc, "zero_at");
            let full = f.req_number(doc, "full_at");
            let (z, full) = (z?, full?);
            if z.v == full.v {
                doc.err(
                    &full.span,
                    format!(
                        "{}: zero_at 与 full_at 相等 ({}),无法线性换算;请让 zero_at (得 0 分的值) 与 full_at (得满分的值) 取不同的值",
                        f.what, z.v
                    ),
                );
            }
            Rule::Linear { combine, zero_at: z.v, full_at: full.v }
        }
        RuleKind::Grade => {
            let Some(grades) = f.number_map(doc, "grades") else {
                doc.err(&f.span, format!("{}: grade 规则需要 grades = {{ \"优\" = 10, ... }}", f.what));
                return None;
            };
            if grades.v.is_empty() {
                doc.err(&grades.span, format!("{}: grades 不能为空", f.what));
            }
            for (label, pts) in &grades.v {
                if pts.v < Decimal::ZERO {
                    doc.err(&pts.span, format!("{}: 等级 \"{}\" 的分值不能为负", f.what, label.v));
                }
                if let Some(max) = max
                    && pts.v > max
                {
                    doc.err(
                        &pts.span,
                        format!(
                            "{}: 等级 \"{}\" 的分值 {} 超过满分 {max};每个等级的分值都不能超过指标的满分",
                            f.what, label.v, pts.v
                        ),
                    );
                }
            }
            Rule::Grade { grades: grades.v.into_iter().map(|(l, p)| (l.v.trim().to_string(), p.v)).collect() }
        }
        RuleKind::Survey => Rule::Survey(read_survey(doc, f)?),
        RuleKind::Direct => Rule::Direct { combine: read_combine(doc, f) },
        RuleKind::Veto => {
            let cap_total = f.number(doc, "cap_total");
            if let Some(c) = &cap_total
                && c.v < Decimal::ZERO
            {
                doc.err(&c.span, format!("{}: cap_total 不能为负", f.what));
            }
            let level = f.string(doc, "level").and_then(|l| {
                let idx = levels.iter().position(|w| *w == l.v);
                if idx.is_none() {
                    doc.err(&l.span, format!("{}: level = \"{}\" 不是 [[warning]] 中定义的预警等级", f.what, l.v));
                }
                idx
            });
            if cap_total.is_none() && !f.has("level") {
                doc.err(&rule.span, format!("{}: 一票否决需要 cap_total = X 和/或 level = \"red\"", f.what));
            }
            Rule::Veto(Veto { cap_total: cap_total.map(|c| c.v), level })
        }
    };
    (doc.problems.len() == before).then_some(rule)
}

fn read_points(doc: &mut Doc, f: &mut Fields) -> Option<Points> {
    let base = f.string(doc, "base");
    let add = f.raw("add").map(|v| read_amount(doc, &f.what, "add", v));
    let deduct = f.raw("deduct").map(|v| read_amount(doc, &f.what, "deduct", v));
    let mut items: Vec<Item> = Vec::new();
    let implicit = add.is_some() || deduct.is_some();
    if f.has("items") {
        if implicit {
            let span = f.raw("items").map(|v| v.span()).unwrap_or(f.span.clone());
            doc.err(&span, format!("{}: 不能同时写 add/deduct 和 items", f.what));
        }
        let what = f.what.clone();
        let tables = f.tables(doc, "items", &format!("{what} 的 items"));
        if tables.is_empty() {
            doc.err(&f.span, format!("{what}: items 不能为空"));
        }
        for mut it in tables {
            let code = it.req_string(doc, "code");
            if let Some(c) = &code {
                it.what = format!("{what} 的事项 {}", c.v.trim());
            }
            let name = it.string(doc, "name");
            let add = it.raw("add").map(|v| read_amount(doc, &it.what, "add", v));
            let deduct = it.raw("deduct").map(|v| read_amount(doc, &it.what, "deduct", v));
            let cap = read_cap(doc, &mut it);
            let span = it.span.clone();
            let item_what = it.what.clone();
            it.finish(doc);
            let amount = match (add, deduct) {
                (Some(a), None) => a.map(|a| (false, a)),
                (None, Some(d)) => d.map(|d| (true, d)),
                (Some(_), Some(_)) => {
                    doc.err(&span, format!("{item_what}: add 和 deduct 只能写一个"));
                    None
                }
                (None, None) => {
                    doc.err(&span, format!("{item_what}: 需要 add = X 或 deduct = X"));
                    None
                }
            };
            let (Some(code), Some((deduct, amount))) = (code, amount) else {
                continue;
            };
            let code_v = code.v.trim().to_string();
            if items.iter().any(|i| i.code == code_v) {
                doc.err(&code.span, format!("{what}: 事项代码 \"{code_v}\" 重复"));
                continue;
            }
            let name = name.map(|n| n.v.trim().to_string()).unwrap_or_else(|| code_v.clone());
            items.push(Item { code: code_v, name, deduct, amount, cap });
        }
    } else {
        let cap = read_cap(doc, f);
        match (add, deduct) {
            (Some(Some(a)), None) => {
                items.push(Item { code: String::new(), name: String::new(), deduct: false, amount: a, cap })
            }
            (None, Some(Some(d))) => {
                items.push(Item { code: String::new(), name: String::new(), deduct: true, amount: d, cap })
            }
            (Some(_), Some(_)) => {
                doc.err(&f.span, format!("{}: add 和 deduct 只能写一个;加减都有时请用 items", f.what))
            }
            (None, None) => {
                doc.err(&f.span, format!("{}: points 规则需要 add = X、deduct = X 或 items = [...]", f.what))
            }
            (Some(None), None) | (None, Some(None)) => {} // the amount itself was reported
        }
    }
    let base_max = match base.as_ref().map(|b| b.v.as_str()) {
        Some("max") => true,
        Some("zero") => false,
        Some(other) => {
            let span = base.as_ref().map(|b| b.span.clone()).unwrap_or_default();
            doc.err(&span, format!("{}: base = \"{other}\" 无效: 应为 \"max\" 或 \"zero\"", f.what));
            true
        }
        None => {
            let deducts = items.iter().filter(|i| i.deduct).count();
            if deducts > 0 && deducts < items.len() {
                doc.err(
                    &f.span,
                    format!("{}: 事项既有加分又有扣分,必须写明 base = \"max\" 或 base = \"zero\"", f.what),
                );
            }
            deducts == items.len()
        }
    };
    Some(Points { base_max, items, implicit })
}

fn read_cap(doc: &mut Doc, f: &mut Fields) -> Option<Decimal> {
    let cap = f.number(doc, "cap")?;
    if cap.v <= Decimal::ZERO {
        doc.err(&cap.span, format!("{}: cap 必须大于 0", f.what));
    }
    Some(cap.v)
}

/// `add = 2` (points per occurrence) or `deduct = [1, 3]` (a range).
fn read_amount(doc: &mut Doc, what: &str, key: &str, v: &toml::Spanned<toml::de::DeValue>) -> Option<Amount> {
    use toml::de::DeValue;
    let what = format!("{what}: `{key}`");
    match v.get_ref() {
        DeValue::Array(a) => {
            if a.len() != 2 {
                doc.err(&v.span(), format!("{what} 的范围应写成 [下限, 上限]"));
                return None;
            }
            let lo = crate::tomlread::value_number(doc, &what, &a[0]);
            let hi = crate::tomlread::value_number(doc, &what, &a[1]);
            let (lo, hi) = (lo?, hi?);
            if lo.v < Decimal::ZERO {
                doc.err(&lo.span, format!("{what} 的下限不能为负 (加减方向由 add/deduct 决定)"));
                return None;
            }
            if lo.v > hi.v {
                doc.err(
                    &v.span(),
                    format!("{what} 的范围 [{}, {}] 下限大于上限,请写成 [{}, {}]", lo.v, hi.v, hi.v, lo.v),
                );
                return None;
            }
            Some(Amount::Range(lo.v, hi.v))
        }
        _ => {
            let n = crate::tomlread::value_number(doc, &what, v)?;
            if n.v <= Decimal::ZERO {
                doc.err(&n.span, format!("{what} 必须大于 0 (加减方向由 add/deduct 决定)"));
                return None;
            }
            Some(Amount::Per(n.v))
        }
    }
}

fn read_survey(doc: &mut Doc, f: &mut Fields) -> Option<Survey> {
    let what = f.what.clone();
    let scale = f.array(doc, "scale");
    let answers = f.number_map(doc, "answers");
    let min_responses_set = f.has("min_responses");
    let min_responses = match f.number(doc, "min_responses") {
        None => 1,
        Some(n) if n.v.fract().is_zero() && n.v >= Decimal::ONE && n.v <= Decimal::from(u32::MAX) => {
            n.v.mantissa() as u32
        }
        Some(n) => {
            doc.err(&n.span, format!("{what}: min_responses 必须是正整数"));
            1
        }
    };
    let Some(scale) = scale else {
        doc.err(&f.span, format!("{what}: survey 规则需要 scale = [最低分, 最高分]"));
        return None;
    };
    if scale.v.len() != 2 {
        doc.err(&scale.span, format!("{what}: scale 应写成 [最低分, 最高分]"));
        return None;
    }
    let lo = crate::tomlread::value_number(doc, &format!("{what}: scale"), &scale.v[0]);
    let hi = crate::tomlread::value_number(doc, &format!("{what}: scale"), &scale.v[1]);
    let (lo, hi) = (lo?.v, hi?.v);
    if lo > hi {
        doc.err(&scale.span, format!("{what}: scale = [{lo}, {hi}] 下限大于上限,请写成 [{hi}, {lo}]"));
        return None;
    }
    if lo == hi {
        doc.err(&scale.span, format!("{what}: scale = [{lo}, {hi}] 上下限相等,无法换算"));
        return None;
    }
    let mut list = Vec::new();
    for (label, v) in answers.map(|a| a.v).unwrap_or_default() {
        if v.v < lo || v.v > hi {
            doc.err(&v.span, format!("{what}: 答案 \"{}\" 的分值 {} 不在 scale [{lo}, {hi}] 内", label.v, v.v));
        }
        list.push((label.v.trim().to_string(), v.v));
    }
    Some(Survey { lo, hi, answers: list, min_responses, min_responses_set })
}
