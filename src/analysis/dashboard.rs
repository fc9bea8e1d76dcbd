//! The facts of the offline page (docs/dashboard.md), from result documents — a run's own or saved ones — so
//! `score --html` and `zhili dashboard` build the same page: units ranked, each unit's portrait (first-level rates
//! against its category, losses by first-level indicator, warnings, trend), and the warning work list.
//!
//! The per-unit Excel report has its own, record-aware version of the portrait (`checkup`): it shows notes and
//! sources, which a result document does not carry.

use crate::analysis::losses;
use crate::result::{IndicatorDef, ResultDoc, TOTAL_SCOPE, UnitResult};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

/// A first-level indicator of a unit, beside its category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstLevel {
    pub code: String,
    pub name: String,
    pub max: Decimal,
    pub score: Option<Decimal>,
    /// score / max, to 4 places.
    pub rate: Option<Decimal>,
    /// The category's mean score rate (units with a score), to 4 places.
    pub category_rate: Option<Decimal>,
    /// Its warning level (index, 0 most severe).
    pub level: Option<usize>,
}

/// The leaves of one first-level indicator on which a unit lost points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LossGroup {
    /// "A 政治建设" (shared: a province's page has hundreds of thousands of these labels).
    pub label: Arc<str>,
    /// The first-level indicator's own loss (max − score).
    pub lost: Decimal,
    /// (leaf label, max, score, lost), most lost first.
    pub items: Vec<(Arc<str>, Decimal, Decimal, Decimal)>,
}

/// One unit as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitView {
    pub code: String,
    pub name: String,
    pub category: String,
    pub total: Option<Decimal>,
    pub level: Option<usize>,
    pub rank: Option<u32>,
    /// Units of its category, and their mean total.
    pub peers: usize,
    pub category_mean: Option<Decimal>,
    /// Its weakest first-level indicator (lowest rate) as "B 思想建设" and its score.
    pub weakest: Option<(String, Decimal)>,
    pub firsts: Vec<FirstLevel>,
    pub losses: Vec<LossGroup>,
    /// (scope label, level, score, max), first-level in indicator order, then the total.
    pub warnings: Vec<(String, usize, Decimal, Decimal)>,
    /// (period, total) over the periods given, oldest first (empty with one period).
    pub trend: Vec<(String, Option<Decimal>)>,
}

/// A line of the warning work list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkLine {
    pub code: String,
    pub name: String,
    pub category: String,
    pub total: Option<Decimal>,
    /// The most severe level among its warnings.
    pub level: usize,
    /// The scopes at that level, the total first.
    pub scopes: Vec<String>,
}

/// The page's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dashboard {
    /// By category (the set's order), then rank, then code.
    pub units: Vec<UnitView>,
    /// Most severe first, then category, rank, code.
    pub work: Vec<WorkLine>,
    pub totals: Vec<Decimal>,
}

fn label(doc: &ResultDoc, code: &str) -> String {
    match code {
        TOTAL_SCOPE => "总分".into(),
        _ => format!("{code} {}", doc.indicator_name(code).unwrap_or("")).trim_end().to_string(),
    }
}

/// What every unit of a category shares on the page: how many they are, their mean total, and each
/// first-level indicator's mean rate.
struct CategoryFacts<'a> {
    units: usize,
    mean_total: Option<Decimal>,
    rates: HashMap<&'a str, Option<Decimal>>,
}

fn is_veto(d: &IndicatorDef) -> bool {
    d.rule.as_deref().is_some_and(|r| r.starts_with("veto"))
}

/// The page of `doc`; `history` (any order, `doc` among them or not) gives each unit's trend, and
/// `doc.trend` (a run's `--trend`) is used when there is no history.
pub fn build(doc: &ResultDoc, history: &[ResultDoc]) -> Dashboard {
    let set = &doc.indicator_set;
    let dp = set.decimals.unwrap_or(2);
    let severity = |l: &str| doc.severity(l);
    let order = |u: &UnitResult| (doc.category_order(&u.category), u.rank.unwrap_or(u32::MAX), u.code.clone());
    let mut units: Vec<&UnitResult> = doc.units.iter().collect();
    units.sort_by_key(|u| order(u));
    let roots: Vec<&IndicatorDef> =
        set.indicators.iter().filter(|d| d.parent.is_none() && !is_veto(d) && d.max.is_some()).collect();
    // Looked up once per code, not searched per unit: a province has 3,000 units of 200 nodes.
    let by_code: HashMap<&str, &IndicatorDef> = set.indicators.iter().map(|d| (d.code.as_str(), d)).collect();
    let root_of = |code: &str| {
        let mut at = code;
        while let Some(p) = by_code.get(at).and_then(|d| d.parent.as_deref()) {
            at = p;
        }
        at.to_string()
    };
    let labels: HashMap<&str, Arc<str>> =
        set.indicators.iter().map(|d| (d.code.as_str(), Arc::from(label(doc, &d.code)))).collect();
    let label = |code: &str| labels.get(code).cloned().unwrap_or_else(|| Arc::from(label(doc, code)));
    // Per category: its units, their mean total, and each first-level indicator's mean rate.
    let mut categories: HashMap<&str, CategoryFacts> = HashMap::new();
    for u in &doc.units {
        if categories.contains_key(u.category.as_str()) {
            continue;
        }
        let peers: Vec<&UnitResult> = doc.units.iter().filter(|o| o.category == u.category).collect();
        let totals: Vec<Decimal> = peers.iter().filter_map(|o| o.total).collect();
        let rates = roots
            .iter()
            .map(|d| {
                let scores: Vec<Decimal> = peers.iter().filter_map(|o| o.scores.get(&d.code).map(|n| n.0)).collect();
                let max = d.max.unwrap_or_default();
                (d.code.as_str(), losses::mean_rate(scores.iter().sum(), max, scores.len()))
            })
            .collect();
        let facts = CategoryFacts { units: peers.len(), mean_total: losses::mean(&totals, dp), rates };
        categories.insert(u.category.as_str(), facts);
    }
    // Periods for the trend: the history's, in period order, else the run's own sub-periods.
    let mut past: Vec<&ResultDoc> = history.iter().collect();
    past.sort_by_key(|d| {
        crate::period::Period::parse(&d.period).ok().map(|p| (p.span().1, std::cmp::Reverse(p.span().0)))
    });
    past.dedup_by(|a, b| a.period == b.period);

    let views = units
        .iter()
        .map(|u| {
            let facts = &categories[u.category.as_str()];
            let firsts: Vec<FirstLevel> = roots
                .iter()
                .filter(|d| u.scores.contains_key(&d.code))
                .map(|d| {
                    let max = d.max.unwrap_or_default();
                    let score = u.scores.get(&d.code).map(|n| n.0);
                    FirstLevel {
                        code: d.code.clone(),
                        name: d.name.clone(),
                        max,
                        score,
                        rate: score.filter(|_| !max.is_zero()).map(|s| losses::rate(s, max)),
                        category_rate: facts.rates.get(d.code.as_str()).copied().flatten(),
                        level: u.warnings.iter().find(|w| w.scope == d.code).and_then(|w| severity(&w.level)),
                    }
                })
                .collect();
            let weakest = firsts
                .iter()
                .filter_map(|f| Some((f.rate?, f)))
                .fold(None::<(Decimal, &FirstLevel)>, |best, (r, f)| match best {
                    Some((b, _)) if b <= r => best,
                    _ => Some((r, f)),
                })
                .map(|(_, f)| (format!("{} {}", f.code, f.name), f.score.unwrap_or_default()));
            let mut groups: Vec<LossGroup> = Vec::new();
            let mut lost: Vec<(usize, &IndicatorDef, Decimal, Decimal)> = set
                .indicators
                .iter()
                .enumerate()
                .filter(|(_, d)| d.rule.is_some() && !is_veto(d))
                .filter_map(|(i, d)| {
                    let (max, score) = (d.max?, u.scores.get(&d.code)?.0);
                    (max > score).then_some((i, d, max, score))
                })
                .collect();
            lost.sort_by(|a, b| (b.2 - b.3).cmp(&(a.2 - a.3)).then(a.0.cmp(&b.0)));
            for (_, d, max, score) in lost {
                let root = root_of(&d.code);
                let item = (label(&d.code), max, score, max - score);
                let root_label = label(&root);
                match groups.iter_mut().find(|g| g.label == root_label) {
                    Some(g) => g.items.push(item),
                    None => {
                        let own = by_code.get(root.as_str()).and_then(|r| r.max);
                        let root_lost = own.zip(u.scores.get(&root).map(|n| n.0)).map(|(m, s)| m - s).unwrap_or(item.3);
                        groups.push(LossGroup { label: root_label, lost: root_lost, items: vec![item] });
                    }
                }
            }
            groups.sort_by_key(|g| roots.iter().position(|r| labels.get(r.code.as_str()) == Some(&g.label)));
            let mut warnings: Vec<(String, usize, Decimal, Decimal)> = u
                .warnings
                .iter()
                .filter_map(|w| Some((label(&w.scope).to_string(), severity(&w.level)?, w.score, w.max)))
                .collect();
            warnings.sort_by_key(|w| w.0 == "总分");
            let trend: Vec<(String, Option<Decimal>)> = if past.len() > 1 {
                past.iter().map(|d| (d.period.clone(), d.unit(&u.code).and_then(|p| p.total))).collect()
            } else {
                doc.trend
                    .iter()
                    .map(|t| (t.period.clone(), t.totals.get(&u.code).cloned().flatten().map(|n| n.0)))
                    .collect()
            };
            UnitView {
                code: u.code.clone(),
                name: u.name.clone(),
                category: doc.category_name(&u.category).to_string(),
                total: u.total,
                level: u.level.as_deref().and_then(severity),
                rank: u.rank,
                peers: facts.units,
                category_mean: facts.mean_total,
                weakest,
                firsts,
                losses: groups,
                warnings,
                trend,
            }
        })
        .collect();

    let mut work: Vec<(usize, &UnitResult)> =
        units.iter().filter_map(|u| Some((u.warnings.iter().filter_map(|w| severity(&w.level)).min()?, *u))).collect();
    work.sort_by_key(|(l, u)| (*l, order(u)));
    let work = work
        .into_iter()
        .map(|(level, u)| {
            let mut scopes: Vec<&str> =
                u.warnings.iter().filter(|w| severity(&w.level) == Some(level)).map(|w| w.scope.as_str()).collect();
            scopes.sort_by_key(|s| *s != TOTAL_SCOPE);
            let mut scopes: Vec<String> = scopes.into_iter().map(|s| label(s).to_string()).collect();
            if !u.vetoed.is_empty() && scopes.first().is_some_and(|s| s == "总分") {
                let name = |c: &str| doc.indicator_name(c).unwrap_or("").to_string();
                let v: Vec<String> = u.vetoed.iter().map(|c| super::statistics::veto_label(c, &name(c))).collect();
                scopes[0] = format!("总分 (一票否决: {})", v.join("、"));
            }
            WorkLine {
                code: u.code.clone(),
                name: u.name.clone(),
                category: doc.category_name(&u.category).to_string(),
                total: u.total,
                level,
                scopes,
            }
        })
        .collect();
    Dashboard { units: views, work, totals: doc.units.iter().filter_map(|u| u.total).collect() }
}
