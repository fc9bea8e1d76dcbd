//! 汇总 (docs/rollup.md): results scored separately — each county its own units — combined into one result
//! as if scored together, without their records. Pure: result documents and the set in, a roster, an
//! evaluation and what to say about the inputs out; or every reason they cannot be combined.
//!
//! A unit is re-derived from its saved node scores through the engine's last step ([`crate::engine::conclude`]),
//! so its total, warnings and veto effects are the set's, not copied; a saved total the set does not give
//! back means the result is not of this set, and is refused. Ranks are formed again over all units.

use crate::engine::{self, Evaluation, NodeScore, UnitEval};
use crate::indicators::IndicatorSet;
use crate::issue::{Issue, Kind};
use crate::period::Period;
use crate::record::{Input, Loaded, Standing};
use crate::result::ResultDoc;
use crate::roster::{Membership, Roster, Unit};
use std::collections::HashMap;

/// One result to combine, as given.
#[derive(Clone, Debug)]
pub struct Origin {
    /// How the file is named to people.
    pub path: String,
    /// Of the file's bytes.
    pub sha256: String,
    pub doc: ResultDoc,
}

/// What the user said may be combined although it differs: (from, to) pairs.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    /// A result's set name → the set's name.
    pub sets: Vec<(String, String)>,
    /// A result's period → the combined period.
    pub periods: Vec<(Period, Period)>,
}

/// The combined result's inputs to the renderers.
#[derive(Clone, Debug)]
pub struct Combined {
    pub window: Period,
    pub roster: Roster,
    pub loaded: Loaded,
    pub eval: Evaluation,
    /// The area scale the inputs used (their `groups`' full marks), when they agree.
    pub area_scale: Option<rust_decimal::Decimal>,
    /// Each unit's origin (index into the origins), by roster position.
    pub origin_of: Vec<usize>,
    /// Things worth saying that do not stop the roll-up (a result scored with another copy of the set).
    pub notes: Vec<String>,
}

/// Combines `origins` under `set`; every reason they cannot be combined, each naming its file.
pub fn combine(set: &IndicatorSet, origins: &[Origin], map: &Mapping) -> Result<Combined, Vec<String>> {
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    if origins.len() < 2 {
        errors.push("汇总至少需要两个结果".to_string());
    }
    // The set: by name (after the mapping), and the same file unless the names were mapped.
    for o in origins {
        let name = &o.doc.indicator_set.name;
        let mapped = map.sets.iter().find(|(from, _)| from == name).map(|(_, to)| to);
        match mapped {
            Some(to) if *to != set.name => {
                errors.push(format!("--map-set 把“{name}”对应到“{to}”,但汇总用的指标体系是“{}”", set.name))
            }
            Some(_) => {}
            None if *name != set.name => errors.push(format!(
                "{} 的指标体系是“{name}”,不是“{}”;如果确是同一套办法,用 --map-set \"{name}={}\"",
                o.path, set.name, set.name
            )),
            None if !o.doc.indicator_set.sha256.is_empty() && o.doc.indicator_set.sha256 != set.sha256 => {
                notes.push(format!(
                    "{} 计分时用的指标体系文件与本次不同 (sha256 {} ≠ {});各单位的得分已按本次的指标体系核对一致",
                    o.path,
                    short(&o.doc.indicator_set.sha256),
                    short(&set.sha256)
                ))
            }
            None => {}
        }
        if let Some(scale) = o.doc.indicator_set.scale
            && scale != set.scale
        {
            errors.push(format!("{} 的总分满分是 {scale},指标体系是 {}", o.path, set.scale));
        }
    }
    // The period: one, after the mapping.
    let mut window: Option<(Period, &str)> = None;
    for o in origins {
        let Ok(p) = Period::parse(&o.doc.period) else {
            errors.push(format!("{} 的期间“{}”无法识别", o.path, o.doc.period));
            continue;
        };
        let p = map.periods.iter().find(|(from, _)| *from == p).map(|(_, to)| *to).unwrap_or(p);
        match window {
            None => window = Some((p, &o.path)),
            Some((w, first)) if w != p => errors.push(format!(
                "{} 的期间是 {p},{first} 是 {w};不同期间的结果不能汇总。如确要合并,用 --map-period {p}={w}",
                o.path
            )),
            Some(_) => {}
        }
    }
    // The area scale: the inputs' own, when they agree.
    let scales: Vec<_> = origins.iter().filter_map(|o| o.doc.groups.first().map(|g| g.max)).collect();
    let area_scale = scales.first().copied();
    if scales.iter().any(|s| Some(*s) != area_scale) {
        errors.push("各结果的区域指数满分 (area_scale) 不同,无法汇总区域指数".into());
    }

    // The units: each code once, re-derived from its scores.
    let mut units = Vec::new();
    let mut areas = Vec::new();
    let mut evals = Vec::new();
    let mut origin_of = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (oi, o) in origins.iter().enumerate() {
        for u in &o.doc.units {
            if let Some(first) = seen.insert(&u.code, &o.path) {
                errors.push(format!(
                    "单位代码 {} 同时出现在 {first} 和 {} 中;一个单位只能由一个结果提供",
                    u.code, o.path
                ));
                continue;
            }
            let at = format!("{} 的单位 {} ({})", o.path, u.code, u.name);
            let Some(cat) = set.category(&u.category) else {
                errors.push(format!("{at}: 类别“{}”不在指标体系中", u.category));
                continue;
            };
            match derive(set, units.len(), cat, u) {
                Ok(e) => {
                    if e.total != u.total {
                        errors.push(format!(
                            "{at}: 总分 {} 与按指标体系由其得分算出的 {} 不符;这份结果不是用这套指标体系计分的",
                            shown(u.total),
                            shown(e.total)
                        ));
                        continue;
                    }
                    units.push(Unit { code: u.code.clone(), name: u.name.clone(), category: cat });
                    areas.push(Membership { area: u.area.clone(), weight: u.weight });
                    evals.push(e);
                    origin_of.push(oi);
                }
                Err(e) => errors.push(format!("{at}: {e}")),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some((window, _)) = window else { return Err(vec!["没有可汇总的结果".into()]) };
    let mut roster = Roster::new(units).map_err(|e| vec![e])?;
    if areas.iter().any(|m| m.area.is_some()) {
        roster.areas = areas;
    }
    engine::rank(set, &roster, &mut evals);
    let loaded = Loaded {
        inputs: origins.iter().map(|o| input(o, window)).collect(),
        records: Vec::new(),
        issues: origins.iter().flat_map(issues).collect(),
        complete: origins.iter().all(|o| o.doc.complete),
    };
    Ok(Combined {
        window,
        roster,
        loaded,
        eval: Evaluation { window, units: evals, issues: Vec::new() },
        area_scale,
        origin_of,
        notes,
    })
}

/// A unit from its saved scores: every node it scored, the rest excluded where they apply.
fn derive(set: &IndicatorSet, u: usize, cat: usize, saved: &crate::result::UnitResult) -> Result<UnitEval, String> {
    let mut scores: Vec<NodeScore> =
        set.nodes.iter().map(|n| if n.applies[cat] { NodeScore::Excluded } else { NodeScore::NotApplicable }).collect();
    for (code, value) in &saved.scores {
        let id = set.node(code).ok_or_else(|| format!("指标 {code} 不在指标体系中"))?;
        if !set.nodes[id].applies[cat] {
            return Err(format!("指标 {code} 不适用于其类别"));
        }
        scores[id] = NodeScore::Scored(value.0);
    }
    let mut vetoes = Vec::new();
    for code in &saved.vetoed {
        match set.node(code) {
            Some(id) if set.nodes[id].is_veto() => vetoes.push(id),
            _ => return Err(format!("否决指标 {code} 不是指标体系中的一票否决项")),
        }
    }
    vetoes.sort_unstable();
    Ok(engine::conclude(set, u, cat, scores, vetoes))
}

/// An origin shown as an input of the combined result (its file and its period; no station, no records).
fn input(o: &Origin, window: Period) -> Input {
    Input {
        path: o.path.clone(),
        sha256: o.sha256.clone(),
        station: None,
        period: Some(window),
        sheet: None,
        records: o.doc.inputs.iter().map(|i| i.records).sum(),
        rejected: o.doc.inputs.iter().map(|i| i.rejected).sum(),
        readable: true,
        submitted: None,
        standing: Standing::Counts,
    }
}

/// An origin's issues, each saying which result it comes from.
fn issues(o: &Origin) -> Vec<Issue> {
    o.doc
        .issues
        .iter()
        .filter_map(|i| {
            let kind = Kind::from_code(&i.kind)?;
            Some(Issue {
                kind,
                file: i.file.clone(),
                sheet: i.sheet.clone(),
                cell: i.cell.clone(),
                line: None,
                col: None,
                unit: i.unit.clone(),
                indicator: i.indicator.clone(),
                station: i.station.clone(),
                period: i.period.clone(),
                message: format!("({}) {}", o.path, i.message),
            })
        })
        .collect()
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

fn shown(t: Option<rust_decimal::Decimal>) -> String {
    t.map(|t| t.to_string()).unwrap_or_else(|| "不计分".into())
}
