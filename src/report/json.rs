//! The JSON result (docs/scoring.md): a run put into the wire types of [`crate::result`] and serialised.
//!
//! Stable and sorted, no timestamps: identical inputs give identical bytes,
//! so auditors can diff results across runs.

use crate::engine::NodeScore;
use crate::result::{
    IndicatorDef, InputInfo, IssueInfo, LevelDef, Num, ResultDoc, SetInfo, TOTAL_SCOPE, TrendInfo, UnitResult,
    WarningInfo,
};
use crate::run::Run;

/// The result document of a run, with its area indices (docs/areas.md).
pub fn document(run: &Run) -> ResultDoc {
    let mut doc = scores(run);
    let members = crate::analysis::areas::members(&doc);
    let scale = run.area_scale.unwrap_or(run.set.scale);
    doc.groups = crate::analysis::areas::compute(&members, &doc.indicator_set.warnings, scale, run.set.decimals);
    doc
}

/// The result document without area indices.
fn scores(run: &Run) -> ResultDoc {
    let set = run.set;
    let units = run.units_by_code();
    let level = |l: usize| set.warnings[l].level.clone();
    ResultDoc {
        zhili_version: env!("CARGO_PKG_VERSION").to_string(),
        indicator_set: SetInfo {
            name: set.name.clone(),
            version: set.version.clone(),
            sha256: set.sha256.clone(),
            scale: Some(set.scale),
            indicators: set
                .nodes
                .iter()
                .enumerate()
                .map(|(id, n)| IndicatorDef {
                    code: n.code.clone(),
                    name: n.name.clone(),
                    parent: n.parent.map(|p| set.nodes[p].code.clone()),
                    max: n.max,
                    weight: n.weight,
                    applies_to: set
                        .categories
                        .iter()
                        .enumerate()
                        .filter(|(c, _)| n.applies[*c])
                        .map(|(_, c)| c.code.clone())
                        .collect(),
                    rule: set.leaf(id).map(|_| set.rule_summary(id)),
                })
                .collect(),
            warnings: set
                .warnings
                .iter()
                .map(|w| LevelDef {
                    level: w.level.clone(),
                    name: w.name.clone(),
                    below: w.below,
                    action: w.action.clone(),
                    document: w.document.clone(),
                })
                .collect(),
            decimals: Some(set.decimals),
            categories: set
                .categories
                .iter()
                .map(|c| crate::result::CategoryDef { code: c.code.clone(), name: c.name.clone() })
                .collect(),
        },
        period: run.eval.window.to_string(),
        complete: run.loaded.complete,
        inputs: run
            .loaded
            .inputs
            .iter()
            .map(|i| InputInfo {
                path: i.path.clone(),
                sha256: i.sha256.clone(),
                station: i.station.map(|s| set.stations[s].code.clone()),
                period: i.period.map(|p| p.to_string()),
                records: i.records,
                rejected: i.rejected,
            })
            .collect(),
        units: units
            .iter()
            .map(|e| {
                let unit = &run.roster.units[e.unit];
                UnitResult {
                    code: unit.code.clone(),
                    name: unit.name.clone(),
                    category: set.categories[unit.category].code.clone(),
                    total: e.total,
                    rank: e.rank,
                    level: e.level.map(level),
                    scores: e
                        .scores
                        .iter()
                        .enumerate()
                        .filter_map(|(id, s)| match s {
                            NodeScore::Scored(v) => Some((set.nodes[id].code.clone(), Num(*v))),
                            NodeScore::NotApplicable | NodeScore::Excluded | NodeScore::NotDue => None,
                        })
                        .collect(),
                    warnings: e
                        .warnings
                        .iter()
                        .map(|w| WarningInfo {
                            scope: w.scope.map(|n| set.nodes[n].code.clone()).unwrap_or_else(|| TOTAL_SCOPE.into()),
                            level: level(w.level),
                            score: w.score,
                            max: w.max,
                        })
                        .collect(),
                    vetoed: e.vetoed.iter().map(|&v| set.nodes[v].code.clone()).collect(),
                    area: run.roster.membership(e.unit).area,
                    weight: run.roster.membership(e.unit).weight,
                    origin: run.origins.get(e.unit).cloned(),
                }
            })
            .collect(),
        issues: run
            .issues()
            .map(|i| IssueInfo {
                severity: i.severity().code().to_string(),
                kind: i.kind.code().to_string(),
                file: i.file.clone(),
                sheet: i.sheet.clone(),
                cell: i.cell.clone(),
                unit: i.unit.clone(),
                indicator: i.indicator.clone(),
                station: i.station.clone(),
                period: i.period.clone(),
                message: i.message.clone(),
            })
            .collect(),
        trend: run
            .trend
            .iter()
            .map(|p| TrendInfo {
                period: p.period.to_string(),
                totals: units
                    .iter()
                    .map(|e| (run.roster.units[e.unit].code.clone(), p.eval.units[e.unit].total.map(Num)))
                    .collect(),
                levels: units
                    .iter()
                    .map(|e| (run.roster.units[e.unit].code.clone(), p.eval.units[e.unit].level.map(level)))
                    .collect(),
            })
            .collect(),
        groups: Vec::new(),
    }
}

/// Writes the JSON result, pretty-printed with a final newline, into `out`
/// (a file: big results are not held in memory twice).
pub fn render_to<W: std::io::Write>(run: &Run, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &document(run))?;
    out.write_all(b"\n")?;
    out.flush()
}
