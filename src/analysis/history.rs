//! One unit over every saved result (the 日常监督档案 view of `zhili history`): pure — results in, its path out.

use crate::ledger::{Item, Ledger};
use crate::period::Period;
use crate::result::{ResultDoc, TOTAL_SCOPE};
use rust_decimal::Decimal;

/// The unit in one result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    pub period: String,
    pub set_name: String,
    /// False when that result was provisional (暂定).
    pub complete: bool,
    pub total: Option<Decimal>,
    /// The total's level name, if any.
    pub level: Option<String>,
    pub rank: Option<u32>,
    /// First-level warnings as "A 蓝色预警" (the scope's code and the level's name).
    pub warnings: Vec<String>,
    pub vetoed: Vec<String>,
}

/// The unit (by code, else by name) as (code, name), and its points in the order the periods end;
/// `None` when no result has it.
pub fn unit_history(docs: &[ResultDoc], key: &str) -> Option<((String, String), Vec<Point>)> {
    let key = key.trim();
    // A code as typed, else in any case ("t07"), else a name.
    let units = || docs.iter().flat_map(|d| &d.units);
    let found = units()
        .find(|u| u.code == key)
        .or_else(|| units().find(|u| u.code.eq_ignore_ascii_case(key)))
        .or_else(|| units().find(|u| u.name == key))?;
    let code = found.code.clone();
    let level_name = |doc: &ResultDoc, code: &str| doc.level(code).map(|l| l.name.clone()).unwrap_or(code.into());
    let mut points: Vec<(Option<Period>, Point)> = docs
        .iter()
        .filter_map(|doc| {
            let u = doc.unit(&code)?;
            let warnings = u
                .warnings
                .iter()
                .filter(|w| w.scope != TOTAL_SCOPE)
                .map(|w| format!("{} {}", w.scope, level_name(doc, &w.level)))
                .collect();
            Some((
                Period::parse(&doc.period).ok(),
                Point {
                    period: doc.period.clone(),
                    set_name: doc.indicator_set.name.clone(),
                    complete: doc.complete,
                    total: u.total,
                    level: u.level.as_deref().map(|l| level_name(doc, l)),
                    rank: u.rank,
                    warnings,
                    vetoed: u.vetoed.clone(),
                },
            ))
        })
        .collect();
    // By the month a period ends, a longer one after the shorter ones ending with it (2024Q4, then 2024).
    points.sort_by_key(|(p, point)| (p.map(|p| (p.span().1, std::cmp::Reverse(p.span().0))), point.period.clone()));
    Some(((code, found.name.clone()), points.into_iter().map(|(_, p)| p).collect()))
}

/// The ledger's items of one unit, by problem number (scope, then the period first raised).
pub fn ledger_items<'a>(ledger: &'a Ledger, unit: &str) -> Vec<&'a Item> {
    let mut items: Vec<&Item> = ledger.items.iter().filter(|i| i.unit == unit).collect();
    items.sort_by(|a, b| a.id.cmp(&b.id));
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{LevelDef, UnitResult, WarningInfo};

    fn doc(period: &str, total: &str, level: Option<&str>) -> ResultDoc {
        let mut d = ResultDoc { period: period.into(), ..ResultDoc::default() };
        d.indicator_set.name = "体系".into();
        d.indicator_set.warnings =
            vec![LevelDef { level: "red".into(), name: "红色预警".into(), ..LevelDef::default() }];
        let warnings = level
            .map(|l| vec![WarningInfo { scope: "A".into(), level: l.into(), ..WarningInfo::default() }])
            .unwrap_or_default();
        d.units = vec![UnitResult {
            code: "T07".into(),
            name: "北马镇".into(),
            total: Some(total.parse().unwrap()),
            level: level.map(String::from),
            warnings,
            ..UnitResult::default()
        }];
        d
    }

    #[test]
    fn points_in_period_order_by_code_or_name() {
        let docs = [doc("2024Q3", "60", None), doc("2024Q1", "50", Some("red")), doc("2024", "55", None)];
        let ((code, name), points) = unit_history(&docs, "北马镇").unwrap();
        assert_eq!(unit_history(&docs, "t07").map(|(u, _)| u.0), Some("T07".to_string()));
        assert_eq!((code.as_str(), name.as_str()), ("T07", "北马镇"));
        // By the month each ends: the year after the quarters.
        let periods: Vec<&str> = points.iter().map(|p| p.period.as_str()).collect();
        assert_eq!(periods, ["2024Q1", "2024Q3", "2024"]);
        assert_eq!(
            (points[0].level.as_deref(), points[0].warnings.clone()),
            (Some("红色预警"), vec!["A 红色预警".to_string()])
        );
        assert!(unit_history(&docs, "T99").is_none());
    }
}
