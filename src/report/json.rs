//! The JSON result (SPEC §5.1): stable, sorted, no timestamps, exact numbers.
//!
//! Scores are written as JSON numbers straight from their decimal text
//! (`912.5`, never `912.4999999`), so identical inputs give identical bytes
//! and auditors can diff results across runs.

use super::Run;
use crate::engine::NodeScore;
use crate::number::plain;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// A decimal written as a bare JSON number without trailing zeros.
struct Num(Decimal);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        number::serialize(&self.0, s)
    }
}

/// `#[serde(with = "crate::report::json::number")]`: a `Decimal` as an exact JSON number.
pub mod number {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(plain(*d)).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }

    /// The same for `Option<Decimal>` (`null` when absent).
    pub mod opt {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    zhili_version: &'static str,
    indicator_set: SetInfo<'a>,
    period: String,
    inputs: Vec<InputJson<'a>>,
    units: Vec<UnitJson<'a>>,
    issues: Vec<IssueJson<'a>>,
    /// Extension (`--trend`): each sub-period's totals and levels, in period order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    trend: Vec<TrendJson<'a>>,
}

#[derive(Serialize)]
struct TrendJson<'a> {
    period: String,
    totals: IndexMap<&'a str, Option<Num>>,
    levels: IndexMap<&'a str, Option<&'a str>>,
}

#[derive(Serialize)]
struct SetInfo<'a> {
    name: &'a str,
    version: &'a str,
    sha256: &'a str,
    scale: Num,
    /// Extension: the method itself, so `diff` can tell what changed.
    indicators: Vec<IndicatorJson<'a>>,
    warnings: Vec<LevelJson<'a>>,
}

#[derive(Serialize)]
struct IndicatorJson<'a> {
    code: &'a str,
    name: &'a str,
    parent: Option<&'a str>,
    max: Option<Num>,
    weight: Option<Num>,
    applies_to: Vec<&'a str>,
    rule: Option<String>,
}

#[derive(Serialize)]
struct LevelJson<'a> {
    level: &'a str,
    name: &'a str,
    below: Num,
    action: &'a str,
}

#[derive(Serialize)]
struct InputJson<'a> {
    path: &'a str,
    sha256: &'a str,
    station: Option<&'a str>,
    period: Option<String>,
    records: usize,
    rejected: usize,
}

#[derive(Serialize)]
struct UnitJson<'a> {
    code: &'a str,
    name: &'a str,
    category: &'a str,
    total: Option<Num>,
    rank: Option<u32>,
    level: Option<&'a str>,
    scores: IndexMap<&'a str, Num>,
    warnings: Vec<WarningJson<'a>>,
    vetoed: Vec<&'a str>,
}

#[derive(Serialize)]
struct WarningJson<'a> {
    scope: &'a str,
    level: &'a str,
    score: Num,
    max: Num,
}

#[derive(Serialize)]
struct IssueJson<'a> {
    severity: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indicator: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    station: Option<&'a str>,
    message: &'a str,
}

/// Renders the JSON result, pretty-printed with a final newline.
pub fn render(run: &Run) -> Vec<u8> {
    let mut out = Vec::new();
    render_to(run, &mut out).expect("writing into memory cannot fail");
    out
}

/// Writes the JSON result into `out` (a file: big results are not held in memory).
pub fn render_to<W: std::io::Write>(run: &Run, mut out: W) -> std::io::Result<()> {
    let set = run.set;
    let doc = Document {
        zhili_version: env!("CARGO_PKG_VERSION"),
        indicator_set: SetInfo {
            name: &set.name,
            version: &set.version,
            sha256: &set.sha256,
            scale: Num(set.scale),
            indicators: set
                .nodes
                .iter()
                .enumerate()
                .map(|(id, n)| IndicatorJson {
                    code: &n.code,
                    name: &n.name,
                    parent: n.parent.map(|p| set.nodes[p].code.as_str()),
                    max: n.max.map(Num),
                    weight: n.weight.map(Num),
                    applies_to: set
                        .categories
                        .iter()
                        .enumerate()
                        .filter(|(c, _)| n.applies[*c])
                        .map(|(_, c)| c.code.as_str())
                        .collect(),
                    rule: set.leaf(id).map(|_| crate::template::rule_summary(set, id)),
                })
                .collect(),
            warnings: set
                .warnings
                .iter()
                .map(|w| LevelJson { level: &w.level, name: &w.name, below: Num(w.below), action: &w.action })
                .collect(),
        },
        period: run.eval.window.to_string(),
        inputs: run
            .loaded
            .inputs
            .iter()
            .map(|i| InputJson {
                path: &i.path,
                sha256: &i.sha256,
                station: i.station.map(|s| set.stations[s].code.as_str()),
                period: i.period.map(|p| p.to_string()),
                records: i.records,
                rejected: i.rejected,
            })
            .collect(),
        units: run
            .units_by_code()
            .into_iter()
            .map(|e| {
                let unit = &run.roster.units[e.unit];
                let level = |l: usize| set.warnings[l].level.as_str();
                UnitJson {
                    code: &unit.code,
                    name: &unit.name,
                    category: &set.categories[unit.category].code,
                    total: e.total.map(Num),
                    rank: e.rank,
                    level: e.level.map(level),
                    scores: e
                        .scores
                        .iter()
                        .enumerate()
                        .filter_map(|(id, s)| match s {
                            NodeScore::Scored(v) => Some((set.nodes[id].code.as_str(), Num(*v))),
                            _ => None,
                        })
                        .collect(),
                    warnings: e
                        .warnings
                        .iter()
                        .map(|w| WarningJson {
                            scope: w.scope.map(|n| set.nodes[n].code.as_str()).unwrap_or("total"),
                            level: level(w.level),
                            score: Num(w.score),
                            max: Num(w.max),
                        })
                        .collect(),
                    vetoed: e.vetoed.iter().map(|&v| set.nodes[v].code.as_str()).collect(),
                }
            })
            .collect(),
        issues: run
            .issues()
            .map(|i| IssueJson {
                severity: i.severity().code(),
                kind: i.kind.code(),
                file: i.file.as_deref(),
                sheet: i.sheet.as_deref(),
                cell: i.cell.as_deref(),
                unit: i.unit.as_deref(),
                indicator: i.indicator.as_deref(),
                station: i.station.as_deref(),
                message: &i.message,
            })
            .collect(),
        trend: Vec::new(),
    };
    let mut doc = doc;
    let units = run.units_by_code();
    doc.trend = run
        .trend
        .iter()
        .map(|p| TrendJson {
            period: p.period.to_string(),
            totals: units
                .iter()
                .map(|e| (run.roster.units[e.unit].code.as_str(), p.eval.units[e.unit].total.map(Num)))
                .collect(),
            levels: units
                .iter()
                .map(|e| {
                    let level = p.eval.units[e.unit].level.map(|l| set.warnings[l].level.as_str());
                    (run.roster.units[e.unit].code.as_str(), level)
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}
