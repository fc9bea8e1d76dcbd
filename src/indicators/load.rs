//! Reads an indicator-set TOML table by table and checks what each table can check alone.
//!
//! Tree-wide checks (parents, cycles, groups vs leaves, maxima adding up)
//! live in `tree.rs`; both report into the same [`Doc`], so one run lists
//! every problem with its line and column.

use super::tree::{self, RawNode};
use super::*;
use crate::issue::{Issue, Kind};
use crate::tomlread::{Doc, Fields, Sp};

/// Parses and validates an indicator set. On failure, every problem found
/// is returned in file order, each a [`Kind::IndicatorSet`] issue with its
/// line and column (the caller names the file).
pub fn parse(bytes: &[u8]) -> Result<IndicatorSet, Vec<Issue>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![Issue::new(Kind::IndicatorSet, "文件不是 UTF-8 编码的文本").at_line(1, Some(1))]);
    };
    let mut doc = Doc::new(text, Kind::IndicatorSet);
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
    let subject = top.string(&mut doc, "subject").map(|s| s.v.trim().to_string()).filter(|s| !s.is_empty());
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
    let cycle = read_cadence(&mut doc, &mut top, "cycle", "评价周期");
    let across = top.string(&mut doc, "across_cycles");
    let across_cycles = match across.as_ref().map(|s| s.v.as_str()) {
        None | Some("pool") => AcrossCycles::Pool,
        Some("mean") => AcrossCycles::Mean,
        Some(other) => {
            let span = across.as_ref().map(|s| s.span.clone()).unwrap_or_default();
            doc.err(
                &span,
                format!(
                    "across_cycles = \"{other}\" 无效: 应为 \"pool\" (合并计分) 或 \"mean\" (各周期分别计分后取平均)"
                ),
            );
            AcrossCycles::Pool
        }
    };
    let mut calendar = cycle.is_some() || across.is_some();
    let trend_min_drop = top.number(&mut doc, "trend_min_drop").and_then(|m| {
        if m.v < Decimal::ZERO {
            doc.err(&m.span, "trend_min_drop (纵向监测认定下降的最小分差) 不能为负数");
            return None;
        }
        Some(m.v)
    });

    let categories = read_named(&mut doc, &mut top, "category", "[[category]]")
        .into_iter()
        .map(|(code, name, _)| Category { code, name })
        .collect::<Vec<_>>();
    if categories.is_empty() {
        doc.err(&root.span(), "至少需要一个 [[category]] (被评价单位的类别,如 镇街区、市直部门)");
    }
    let stations = read_stations(&mut doc, &mut top);
    calendar |= stations.iter().any(|s| s.frequency.is_some());
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
            subject,
            sha256: crate::sha256_hex(bytes),
            scale: scale.v,
            decimals,
            aggregate,
            cycle,
            across_cycles,
            trend_min_drop: trend_min_drop.unwrap_or(scale.v / Decimal::ONE_HUNDRED),
            calendar,
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

/// `cycle = "quarter"`, a station's `frequency = "month"`: a calendar period length.
fn read_cadence(doc: &mut Doc, f: &mut Fields, key: &'static str, what: &str) -> Option<Cadence> {
    let s = f.string(doc, key)?;
    let c = Cadence::parse(s.v.trim());
    if c.is_none() {
        doc.err(
            &s.span,
            format!("{}: {key} = \"{}\" 无效: {what}应为 \"month\"、\"quarter\"、\"half\" 或 \"year\"", f.what, s.v),
        );
    }
    c
}

/// `[[station]]`: code, name, an optional reporting `frequency` and
/// `confidential`; codes unique.
fn read_stations(doc: &mut Doc, top: &mut Fields) -> Vec<Station> {
    let mut out: Vec<Station> = Vec::new();
    for mut f in top.tables(doc, "station", "[[station]]") {
        let code = f.req_string(doc, "code");
        let name = f.req_string(doc, "name");
        let frequency = read_cadence(doc, &mut f, "frequency", "报送频率");
        let confidential = f.boolean(doc, "confidential").unwrap_or(false);
        f.finish(doc);
        let (Some(code), Some(name)) = (code, name) else {
            continue;
        };
        let code_v = code.v.trim().to_string();
        if code_v.is_empty() {
            doc.err(&code.span, "[[station]] 的 code 不能为空");
        } else if out.iter().any(|s| s.code == code_v) {
            doc.err(&code.span, format!("[[station]] 代码 \"{code_v}\" 重复,每个代码只能定义一次"));
        } else {
            let line = doc.line_col(code.span.start).0;
            out.push(Station { code: code_v, name: name.v.trim().to_string(), line, frequency, confidential });
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
        let document = f.string(doc, "document").map(|s| s.v.trim().to_string()).filter(|s| !s.is_empty());
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
        out.push(WarningLevel { level: level.v, name, below: below.v, action, color, document });
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
    let advice = f.string(doc, "advice").map(|a| a.v.trim().to_string()).filter(|a| !a.is_empty());

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
        Some(r) => {
            let levels: Vec<&str> = ctx.warnings.iter().map(|w| w.level.as_str()).collect();
            crate::rules::parse::read_rule(doc, &mut f, r, &levels, max.as_ref().map(|m| m.v))
        }
        None => {
            for kind in RuleKind::ALL {
                for &k in kind.keys() {
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
        advice,
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
