//! The result document (docs/scoring.md, "JSON 结果"): the wire types `score` writes and `diff`/`--previous` read back.
//!
//! One set of types, `Serialize` and `Deserialize`: the JSON writer fills
//! them from a run, the JSON reader is serde, and the Excel report's reader
//! (`report::readback`) fills the same types from the report's sheets — every
//! field a comparison uses, identically (docs/architecture.md lists what only
//! the JSON carries), so a comparison never depends on which format a result
//! came in. Numbers are
//! exact decimals written as bare JSON numbers (`912.5`, never
//! `912.4999999`), so identical inputs give identical bytes.

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResultDoc {
    #[serde(default)]
    pub zhili_version: String,
    pub indicator_set: SetInfo,
    #[serde(default)]
    pub period: String,
    /// False when the results are provisional (暂定): a submission is missing or duplicated.
    #[serde(default = "yes")]
    pub complete: bool,
    #[serde(default)]
    pub inputs: Vec<InputInfo>,
    /// Sorted by unit code.
    pub units: Vec<UnitResult>,
    #[serde(default)]
    pub issues: Vec<IssueInfo>,
    /// Extension (`--trend`): each sub-period's totals and levels, in period order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<TrendInfo>,
    /// Extension (docs/areas.md): each area's index, wider areas before the areas inside them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupInfo>,
}

/// The picture of a project of several indicator sets (docs/multi-set.md, `<期间>.json` beside each set's own
/// `<期间>-<key>.json`): every unit with its set, comparable across sets only by score rate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetsDoc {
    pub zhili_version: String,
    pub period: String,
    /// False when any set's result is provisional.
    pub complete: bool,
    pub sets: Vec<SetRef>,
    /// Sorted by unit code.
    pub units: Vec<SetUnit>,
    /// Areas over the units of every set.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupInfo>,
}

/// One set of a several-set project, and where its own result is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetRef {
    /// The project's `[[set]] key`.
    pub key: String,
    pub name: String,
    pub version: String,
    pub sha256: String,
    #[serde(with = "dec::opt")]
    pub scale: Option<Decimal>,
    /// The categories it scores in this project.
    pub categories: Vec<CategoryDef>,
    pub units: usize,
    /// The mean score rate of its units with a total, rounded once to 4 places.
    #[serde(with = "dec::opt")]
    pub mean_rate: Option<Decimal>,
    /// Its units with a warning level on the total.
    pub warned: usize,
    pub complete: bool,
    /// Its own result file (`<期间>-<key>.json`), when one was written.
    pub result: Option<String>,
}

/// A unit of a several-set project: its set's total, and that total as a rate of the set's full marks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetUnit {
    pub code: String,
    pub name: String,
    pub category: String,
    /// The key of the set that scored it.
    pub set: String,
    #[serde(with = "dec::opt")]
    pub total: Option<Decimal>,
    #[serde(with = "dec::opt")]
    pub max: Option<Decimal>,
    /// total ÷ max, rounded once to 4 places (0.9125 is 91.25%).
    #[serde(with = "dec::opt")]
    pub rate: Option<Decimal>,
    /// Within its category (its set's rank).
    pub rank: Option<u32>,
    pub level: Option<String>,
    /// Its level's name in its set.
    pub level_name: Option<String>,
    /// Triggered veto codes, in its set's indicator order.
    pub vetoed: Vec<String>,
}

/// One area's index (区域指数): the weighted mean score rate of the units inside it, on `max`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupInfo {
    /// The area's path ("定海区/白泉镇"), unique.
    pub code: String,
    /// The path's last segment.
    pub name: String,
    /// The enclosing area's path; `None` for a widest area.
    pub parent: Option<String>,
    /// Units inside the area (directly or in an area inside it), and how many of them have no total.
    pub units: usize,
    pub excluded: usize,
    #[serde(with = "dec::opt")]
    pub index: Option<Decimal>,
    #[serde(with = "dec")]
    pub max: Decimal,
    /// Among the areas with the same parent, by index, highest first; ties share a rank.
    pub rank: Option<u32>,
    pub level: Option<String>,
    /// True when any unit inside it comes from a provisional result.
    pub provisional: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetInfo {
    pub name: String,
    pub version: String,
    pub sha256: String,
    #[serde(with = "dec::opt")]
    pub scale: Option<Decimal>,
    /// Extension: the method itself, so `diff` can tell what changed.
    pub indicators: Vec<IndicatorDef>,
    /// Extension: the warning levels, most severe first.
    pub warnings: Vec<LevelDef>,
    /// Extension: the categories in the set's order, so a comparison can name and group them.
    pub categories: Vec<CategoryDef>,
    /// Extension: the set's `decimals` (statistics are rounded to it); absent in older results (2 then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CategoryDef {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorDef {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    #[serde(with = "dec::opt")]
    pub max: Option<Decimal>,
    #[serde(with = "dec::opt")]
    pub weight: Option<Decimal>,
    pub applies_to: Vec<String>,
    /// The rule in one line (`IndicatorSet::rule_summary`); `None` for a group.
    pub rule: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LevelDef {
    pub level: String,
    pub name: String,
    #[serde(with = "dec")]
    pub below: Decimal,
    pub action: String,
    /// Extension: the document the set names for this level (`[[warning]] document`), if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InputInfo {
    pub path: String,
    pub sha256: String,
    pub station: Option<String>,
    pub period: Option<String>,
    pub records: usize,
    pub rejected: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitResult {
    pub code: String,
    pub name: String,
    pub category: String,
    #[serde(with = "dec::opt")]
    pub total: Option<Decimal>,
    pub rank: Option<u32>,
    pub level: Option<String>,
    /// Node code → score, in display order.
    pub scores: IndexMap<String, Num>,
    /// First-level warnings in indicator order, then the total's.
    pub warnings: Vec<WarningInfo>,
    pub vetoed: Vec<String>,
    /// Extension (docs/areas.md): the unit's area path and its weight there, from the roster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(with = "dec::opt", skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    /// Extension (`zhili rollup`, docs/rollup.md): the result the unit was scored in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<OriginRef>,
}

/// The result a rolled-up unit comes from: its file as given, the sha256 of its bytes, and whether that
/// result was complete (a provisional one makes the unit's areas provisional).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OriginRef {
    pub path: String,
    pub sha256: String,
    pub complete: bool,
}

impl Default for OriginRef {
    fn default() -> Self {
        OriginRef { path: String::new(), sha256: String::new(), complete: true }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WarningInfo {
    /// A first-level indicator's code, or `total`.
    pub scope: String,
    pub level: String,
    #[serde(with = "dec")]
    pub score: Decimal,
    #[serde(with = "dec")]
    pub max: Decimal,
}

/// The scope of the total's warning.
pub const TOTAL_SCOPE: &str = "total";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IssueInfo {
    pub severity: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub station: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrendInfo {
    pub period: String,
    pub totals: IndexMap<String, Option<Num>>,
    pub levels: IndexMap<String, Option<String>>,
}

fn yes() -> bool {
    true
}

impl ResultDoc {
    /// A category's name (its code when the result does not list categories).
    pub fn category_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.indicator_set.categories.iter().find(|c| c.code == code).map(|c| c.name.as_str()).unwrap_or(code)
    }

    /// A category's position in the set (unknown ones last).
    pub fn category_order(&self, code: &str) -> usize {
        self.indicator_set.categories.iter().position(|c| c.code == code).unwrap_or(usize::MAX)
    }

    /// An indicator's name, if the result lists the method.
    pub fn indicator_name(&self, code: &str) -> Option<&str> {
        self.indicator_set.indicators.iter().find(|i| i.code == code).map(|i| i.name.as_str())
    }

    /// A unit by code (units are sorted by code).
    pub fn unit(&self, code: &str) -> Option<&UnitResult> {
        self.units.binary_search_by(|u| u.code.as_str().cmp(code)).ok().map(|i| &self.units[i])
    }

    /// Index of a level code, 0 = most severe.
    pub fn severity(&self, code: &str) -> Option<usize> {
        self.indicator_set.warnings.iter().position(|l| l.level == code)
    }

    pub fn level(&self, code: &str) -> Option<&LevelDef> {
        self.indicator_set.warnings.iter().find(|l| l.level == code)
    }
}

impl UnitResult {
    /// A scope's score: a node code, or [`TOTAL_SCOPE`].
    pub fn score(&self, scope: &str) -> Option<Decimal> {
        if scope == TOTAL_SCOPE { self.total } else { self.scores.get(scope).map(|n| n.0) }
    }
}

/// A decimal written as a bare JSON number without trailing zeros.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Num(pub Decimal);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        dec::serialize(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        dec::deserialize(d).map(Num)
    }
}

/// `#[serde(with = "crate::result::dec")]`: a `Decimal` as an exact JSON number.
pub mod dec {
    use crate::number::{from_f64, plain};
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::value::RawValue;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(plain(*d)).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }

    /// Numbers arrive as f64 (serde_json without arbitrary precision); the
    /// shortest text that round-trips is exactly the decimal zhili wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let f = f64::deserialize(d)?;
        from_f64(f).ok_or_else(|| serde::de::Error::custom(format!("无法表示的数值 {f}")))
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

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            match Option::<f64>::deserialize(d)? {
                Some(f) => from_f64(f).map(Some).ok_or_else(|| serde::de::Error::custom(format!("无法表示的数值 {f}"))),
                None => Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_exactly() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let w = WarningInfo { scope: "A".into(), level: "blue".into(), score: d("89.50"), max: d("100") };
        let text = serde_json::to_string(&w).unwrap();
        assert_eq!(text, r#"{"scope":"A","level":"blue","score":89.5,"max":100}"#);
        let back: WarningInfo = serde_json::from_str(&text).unwrap();
        assert_eq!(back.score, d("89.5"));
        let back: WarningInfo = serde_json::from_str(r#"{"score":0.1,"max":912.35}"#).unwrap();
        assert_eq!((back.score.to_string(), back.max.to_string()), ("0.1".into(), "912.35".into()));
    }
}
