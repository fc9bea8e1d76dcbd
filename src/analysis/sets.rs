//! The picture of a project of several indicator sets (docs/multi-set.md): each set's result document in,
//! one list of every unit with its set and score rate, and areas over all of them, out.
//!
//! Scores of different sets are not comparable as numbers (a village's 1000 and an enterprise's 100); rates
//! are. Ranks stay within a category, which belongs to one set, so they are each set's own.

use crate::analysis::losses::{mean_rate, rate};
use crate::result::{CategoryDef, ResultDoc, SetRef, SetUnit, SetsDoc};
use rust_decimal::Decimal;

/// One set's result with the project's key for it and where it was written.
pub struct Part<'a> {
    pub key: &'a str,
    pub doc: &'a ResultDoc,
    pub result: Option<String>,
}

/// The combined picture; areas on `area_scale` with the first set's warning lines, `dp` places.
pub fn combine(parts: &[Part], area_scale: Decimal, dp: u32) -> SetsDoc {
    let mut units: Vec<SetUnit> = Vec::new();
    let mut sets = Vec::new();
    for p in parts {
        let set = &p.doc.indicator_set;
        let used: std::collections::BTreeSet<&str> = p.doc.units.iter().map(|u| u.category.as_str()).collect();
        // Σ (total ÷ max) ÷ n, exact, rounded once.
        let scored: Vec<Decimal> = p.doc.units.iter().filter_map(|u| u.total).collect();
        let mean = set.scale.and_then(|m| mean_rate(scored.iter().sum(), m, scored.len()));
        sets.push(SetRef {
            key: p.key.to_string(),
            name: set.name.clone(),
            version: set.version.clone(),
            sha256: set.sha256.clone(),
            scale: set.scale,
            categories: set
                .categories
                .iter()
                .filter(|c| used.contains(c.code.as_str()))
                .cloned()
                .collect::<Vec<CategoryDef>>(),
            units: p.doc.units.len(),
            mean_rate: mean,
            warned: p.doc.units.iter().filter(|u| u.level.is_some()).count(),
            complete: p.doc.complete,
            result: p.result.clone(),
        });
        for u in &p.doc.units {
            let rate = u.total.zip(set.scale.filter(|m| !m.is_zero())).map(|(t, m)| rate(t, m));
            units.push(SetUnit {
                code: u.code.clone(),
                name: u.name.clone(),
                category: u.category.clone(),
                set: p.key.to_string(),
                total: u.total,
                max: set.scale,
                rate,
                rank: u.rank,
                level: u.level.clone(),
                level_name: u.level.as_deref().and_then(|l| p.doc.level(l)).map(|l| l.name.clone()),
                vetoed: u.vetoed.clone(),
            });
        }
    }
    units.sort_by(|a, b| a.code.cmp(&b.code));
    let members: Vec<_> = parts.iter().flat_map(|p| super::areas::members(p.doc)).collect();
    let levels = parts.first().map(|p| p.doc.indicator_set.warnings.as_slice()).unwrap_or(&[]);
    SetsDoc {
        zhili_version: env!("CARGO_PKG_VERSION").to_string(),
        period: parts.first().map(|p| p.doc.period.clone()).unwrap_or_default(),
        complete: parts.iter().all(|p| p.doc.complete),
        sets,
        units,
        groups: super::areas::compute(&members, levels, area_scale, dp),
    }
}
