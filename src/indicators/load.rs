//! Reads an indicator-set TOML table by table and checks what each table can check alone.
//!
//! Tree-wide checks (parents, cycles, groups vs leaves, maxima adding up)
//! live in `tree.rs`; both report into the same [`Doc`], so one run lists
//! every problem with its line and column.

use super::tree::{self, RawNode};
use super::*;
use crate::tomlread::{Doc, Fields, Problem, Sp};

/// A problem in the indicator set, with its 1-based TOML line and column.
pub type SetError = Problem;

/// Keys that belong to one rule only.
const RULE_KEYS: &[(&str, &[&str])] = &[
    ("points", &["base", "add", "deduct", "items"]),
    ("linear", &["combine", "zero_at", "full_at"]),
    ("grade", &["grades"]),
    ("survey", &["scale", "answers", "min_responses"]),
    ("direct", &["combine"]),
    ("veto", &["cap_total", "level"]),
];

/// Parses and validates an indicator set. On failure, every problem found
/// is returned in file order.
pub fn parse(bytes: &[u8]) -> Result<IndicatorSet, Vec<SetError>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![Problem { line: 1, col: 1, message: "文件不是 UTF-8 编码的文本".into() }]);
    };
    let mut doc = Doc::new(text);
    let Some(root) = doc.parse() else {
        return Err(doc.problems);
    };
    let mut top = Fields::new(root.get_ref(), root.span(), "顶层");

    if let Some(s) = top.number(&mut doc, "schema")
        && s.v != Decimal::ONE
    {
        doc.err(&s.span, format!("schema = {} 不受支持: 本版本只认识 schema = 1", s.v));
    }
    let name = top.req_string(&mut doc, "name").map(|s| s.v).unwrap_or_default();
    let version = top.text(&mut doc, "version").map(|s| s.v).unwrap_or_default();
    let scale = top.req_number(&mut doc, "scale");
    if let Some(s) = &scale
        && s.v <= Decimal::ZERO
    {
        doc.err(&s.span, "scale (总分满分) 必须大于 0");
    }
    let decimals = match top.number(&mut doc, "decimals") {
        None => 2,
        Some(d) if d.v.fract().is_zero() && d.v >= Decimal::ZERO && d.v <= Decimal::from(10) => d.v.mantissa() as u32,
        Some(d) => {
            doc.err(&d.span, "decimals 必须是 0 到 10 之间的整数");
            2
        }
    };
    let aggregate = read_aggregate(&mut doc, &mut top).map(|a| a.v).unwrap_or(Aggregate::Sum);

    let categories = read_named(&mut doc, &mut top, "category", "[[category]]")
        .into_iter()
        .map(|(code, name, _)| Category { code, name })
        .collect::<Vec<_>>();
    if categories.is_empty() {
        doc.err(&root.span(), "至少需要一个 [[category]] (被评价单位的类别,如 镇街区、市直部门)");
    }
    let stations = read_named(&mut doc, &mut top, "station", "[[station]]")
        .into_iter()
        .map(|(code, name, line)| Station { code, name, line })
        .collect::<Vec<_>>();
    let warnings = read_warnings(&mut doc, &mut top);

    let ctx = Ctx { categories: &categories, stations: &stations, warnings: &warnings };
    let raws: Vec<RawNode> = top
        .tables(&mut doc, "indicator", "[[indicator]]")
        .into_iter()
        .filter_map(|f| read_indicator(&mut doc, f, &ctx))
        .collect();
    if raws.is_empty() && doc.problems.is_empty() {
        doc.err(&root.span(), "没有任何 [[indicator]]");
    }
    top.finish(&mut doc);

    let built = tree::build(&mut doc, raws, &categories, aggregate, scale.as_ref());
    doc.problems.sort_by_key(|p| (p.line, p.col));
    match (built, doc.problems.is_empty(), scale) {
        (Some((nodes, roots)), true, Some(scale)) => Ok(IndicatorSet {
            name,
            version,
            sha256: crate::sha256_hex(bytes),
            scale: scale.v,
            decimals,
            aggregate,
            categories,
            stations,
            warnings,
            by_code: nodes.iter().enumerate().map(|(i, n)| (n.code.clone(), i)).collect(),
            nodes,
            roots,
        }),
        _ => Err(doc.problems),
    }
}

struct Ctx<'a> {
    categories: &'a [Category],
    stations: &'a [Station],
    warnings: &'a [WarningLevel],
}

fn read_aggregate(doc: &mut Doc, f: &mut Fields) -> Option<Sp<Aggregate>> {
    let s = f.string(doc, "aggregate")?;
    let v = match s.v.as_str() {
        "sum" => Aggregate::Sum,
        "weighted" => Aggregate::Weighted,
        other => {
            doc.err(&s.span, format!("aggregate = \"{other}\" 无效: 应为 \"sum\" 或 \"weighted\""));
            return None;
        }
    };
    Some(Sp { v, span: s.span })
}

/// `[[category]]` / `[[station]]`: code and name, codes unique.
fn read_named(doc: &mut Doc, top: &mut Fields, key: &'static str, what: &str) -> Vec<(String, String, usize)> {
    let mut out: Vec<(String, String, usize)> = Vec::new();
    for mut f in top.tables(doc, key, what) {
        let code = f.req_string(doc, "code");
        let name = f.req_string(doc, "name");
        f.finish(doc);
        let (Some(code), Some(name)) = (code, name) else {
            continue;
        };
        let code_v = code.v.trim().to_string();
        if code_v.is_empty() {
            doc.err(&code.span, format!("{what} 的 code 不能为空"));
        } else if out.iter().any(|(c, _, _)| *c == code_v) {
            doc.err(&code.span, format!("{what} 代码 \"{code_v}\" 重复,每个代码只能定义一次"));
        } else {
            let line = doc.line_col(code.span.start).0;
            out.push((code_v, name.v.trim().to_string(), line));
        }
    }
    out
}

fn read_warnings(doc: &mut Doc, top: &mut Fields) -> Vec<WarningLevel> {
    let mut out: Vec<WarningLevel> = Vec::new();
    for mut f in top.tables(doc, "warning", "[[warning]]") {
        let level = f.req_string(doc, "level");
        let name = f.string(doc, "name");
        let below = f.req_number(doc, "below");
        let action = f.string(doc, "action").map(|s| s.v).unwrap_or_default();
        let color = f.string(doc, "color").and_then(|c| {
            let hex = c.v.trim().trim_start_matches('#');
            let parsed = (hex.len() == 6).then(|| u32::from_str_radix(hex, 16).ok()).flatten();
            if parsed.is_none() {
                doc.err(&c.span, format!("color = \"{}\" 无效: 应写成 \"#RRGGBB\",如 \"#FF9999\"", c.v));
            }
            parsed
        });
        f.finish(doc);
        let (Some(level), Some(below)) = (level, below) else {
            continue;
        };
        if out.iter().any(|w| w.level == level.v) {
            doc.err(&level.span, format!("预警等级 \"{}\" 重复", level.v));
            continue;
        }
        if below.v <= Decimal::ZERO {
            doc.err(&below.span, "below (百分比阈值) 必须大于 0");
        }
        if let Some(prev) = out.last()
            && below.v <= prev.below
        {
            doc.err(
                &below.span,
                format!(
                    "[[warning]] 必须按 below 严格递增排列: \"{}\" 的 below = {} 不大于前一项 \"{}\" 的 {};请按最严重 (如红色 60) 到最轻 (如蓝色 90) 的顺序排列",
                    level.v, below.v, prev.level, prev.below
                ),
            );
        }
        let name = name.map(|n| n.v).unwrap_or_else(|| level.v.clone());
        out.push(WarningLevel { level: level.v, name, below: below.v, action, color });
    }
    out
}

fn read_indicator(doc: &mut Doc, mut f: Fields, ctx: &Ctx) -> Option<RawNode> {
    let code = f.req_string(doc, "code");
    if let Some(c) = &code {
        f.what = format!("指标 {}", c.v.trim());
    }
    let name = f.req_string(doc, "name");
    let parent = f.string(doc, "parent").map(|p| Sp { v: p.v.trim().to_string(), span: p.span });
    let max = f.number(doc, "max");
    let weight = f.number(doc, "weight");
    let applies = read_applies(doc, &mut f, ctx.categories);
    let aggregate = read_aggregate(doc, &mut f);
    let missing = read_missing(doc, &mut f);
    let station = f.string(doc, "station").map(|s| {
        let idx = lookup(ctx.stations.iter().map(|s| (&s.code, &s.name)), &s.v);
        if idx.is_none() {
            let known: Vec<&str> = ctx.stations.iter().map(|s| s.code.as_str()).collect();
            doc.err(
                &s.span,
                format!(
                    "{}: 未知的监测站 \"{}\";请改用 [[station]] 中定义的代码或名称 ({})",
                    f.what,
                    s.v,
                    known.join("、")
                ),
            );
        }
        Sp { v: idx, span: s.span }
    });
    let rule_key = f.string(doc, "rule");

    if let Some(m) = &max
        && m.v <= Decimal::ZERO
    {
        doc.err(&m.span, format!("{}: max (满分) 必须大于 0", f.what));
    }
    if let Some(w) = &weight
        && w.v < Decimal::ZERO
    {
        doc.err(&w.span, format!("{}: weight 不能为负", f.what));
    }

    let rule = match &rule_key {
        Some(r) => read_rule(doc, &mut f, r, ctx),
        None => {
            for (_, keys) in RULE_KEYS {
                for &k in *keys {
                    if f.has(k) {
                        let span = f.raw(k).map(|v| v.span()).unwrap_or(f.span.clone());
                        doc.err(&span, format!("{}: `{k}` 只用于叶子指标的计分规则,但这里没有 rule", f.what));
                    }
                }
            }
            None
        }
    };
    let is_veto = rule_key.as_ref().is_some_and(|r| r.v == "veto");
    match (&max, is_veto) {
        (Some(m), true) => doc.err(&m.span, format!("{}: 一票否决 (veto) 指标没有满分,请删去 max", f.what)),
        (None, false) => doc.err(&f.span, format!("{}: 缺少 max (满分)", f.what)),
        _ => {}
    }
    f.finish(doc);

    let code = code?;
    if code.v.trim().is_empty() {
        doc.err(&code.span, "指标代码 (code) 不能为空");
        return None;
    }
    Some(RawNode {
        code: Sp { v: code.v.trim().to_string(), span: code.span },
        name: name.map(|n| n.v.trim().to_string()).unwrap_or_default(),
        parent,
        max,
        weight,
        applies,
        aggregate,
        missing,
        station,
        rule_span: rule_key.map(|r| r.span),
        rule,
    })
}

/// Finds a code, else a name.
fn lookup<'a>(mut entries: impl Iterator<Item = (&'a String, &'a String)> + Clone, key: &str) -> Option<usize> {
    let key = key.trim();
    entries.clone().position(|(c, _)| c == key).or_else(|| entries.position(|(_, n)| n == key))
}

fn read_applies(doc: &mut Doc, f: &mut Fields, categories: &[Category]) -> Option<Sp<Vec<bool>>> {
    let list = f.strings(doc, "applies_to")?;
    let mut applies = vec![false; categories.len()];
    for s in &list.v {
        match lookup(categories.iter().map(|c| (&c.code, &c.name)), &s.v) {
            Some(i) => applies[i] = true,
            None => {
                let known: Vec<&str> = categories.iter().map(|c| c.code.as_str()).collect();
                doc.err(
                    &s.span,
                    format!(
                        "{}: applies_to 中的类别 \"{}\" 未在 [[category]] 中定义;可用的类别: {}",
                        f.what,
                        s.v,
                        known.join("、")
                    ),
                )
            }
        }
    }
    if list.v.is_empty() {
        doc.err(&list.span, format!("{}: applies_to 为空,指标将不适用于任何单位", f.what));
    }
    Some(Sp { v: applies, span: list.span })
}

fn read_missing(doc: &mut Doc, f: &mut Fields) -> Missing {
    let Some(s) = f.string(doc, "missing") else {
        return Missing::Zero;
    };
    match s.v.as_str() {
        "zero" => Missing::Zero,
        "full" => Missing::Full,
        "exclude" => Missing::Exclude,
        other => {
            doc.err(&s.span, format!("{}: missing = \"{other}\" 无效: 应为 \"zero\"、\"full\" 或 \"exclude\"", f.what));
            Missing::Zero
        }
    }
}

fn read_combine(doc: &mut Doc, f: &mut Fields) -> Combine {
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

fn read_rule(doc: &mut Doc, f: &mut Fields, rule: &Sp<String>, ctx: &Ctx) -> Option<Rule> {
    let Some((_, own)) = RULE_KEYS.iter().find(|(r, _)| *r == rule.v) else {
        doc.err(
            &rule.span,
            format!("{}: rule = \"{}\" 无效: 应为 points、linear、grade、survey、direct 或 veto", f.what, rule.v),
        );
        return None;
    };
    // Keys of other rules are reported here, with a better message than "unknown key".
    for (other, keys) in RULE_KEYS {
        for &k in *keys {
            if !own.contains(&k) && f.has(k) {
                let span = f.raw(k).map(|v| v.span()).unwrap_or(f.span.clone());
                doc.err(&span, format!("{}: `{k}` 属于 rule = \"{other}\",不适用于 rule = \"{}\"", f.what, rule.v));
            }
        }
    }
    let before = doc.problems.len();
    let rule = match rule.v.as_str() {
        "points" => Rule::Points(read_points(doc, f)?),
        "linear" => {
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
        "grade" => {
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
            }
            Rule::Grade { grades: grades.v.into_iter().map(|(l, p)| (l.v.trim().to_string(), p.v)).collect() }
        }
        "survey" => Rule::Survey(read_survey(doc, f)?),
        "direct" => Rule::Direct { combine: read_combine(doc, f) },
        "veto" => {
            let cap_total = f.number(doc, "cap_total");
            if let Some(c) = &cap_total
                && c.v < Decimal::ZERO
            {
                doc.err(&c.span, format!("{}: cap_total 不能为负", f.what));
            }
            let level = f.string(doc, "level").and_then(|l| {
                let idx = ctx.warnings.iter().position(|w| w.level == l.v);
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
        _ => unreachable!("rule names come from RULE_KEYS"),
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
            _ => {} // the amount itself was reported
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
