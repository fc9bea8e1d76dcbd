//! The validated indicator set (指标体系): a tree of groups and rule-carrying leaves.
//!
//! An [`IndicatorSet`] only exists once every check of docs/indicator-set.md has passed,
//! so the engine never has to re-validate: codes are unique, parents exist,
//! maxima add up per category, every leaf has a rule and a station.

mod load;
mod tree;

use crate::period::{Cadence, Period};
use rust_decimal::Decimal;

pub use crate::rules::{Amount, Combine, Item, Points, Rule, RuleKind, Survey, Veto};
pub use load::parse;

/// Index of a node in [`IndicatorSet::nodes`] (display order).
pub type NodeId = usize;

#[derive(Clone, Debug)]
pub struct IndicatorSet {
    pub name: String,
    pub version: String,
    /// What is evaluated, for titles ("政治生态" → "北马镇 2024年第四季度 政治生态体检报告");
    /// `subject` (extension), else none.
    pub subject: Option<String>,
    /// sha256 of the TOML bytes, lower-case hex.
    pub sha256: String,
    pub scale: Decimal,
    pub decimals: u32,
    pub aggregate: Aggregate,
    /// 评价周期 (`cycle`): windows shorter than it cannot be scored.
    pub cycle: Option<Cadence>,
    /// 纵向监测: the smallest fall of a total, in points, that counts towards
    /// 连续两期下降 (`trend_min_drop`; default 1% of `scale`).
    pub trend_min_drop: Decimal,
    /// How a window of several cycles is scored (`across_cycles`).
    pub across_cycles: AcrossCycles,
    /// True when the set writes `cycle`, `across_cycles` or any station
    /// `frequency`: the reporting-calendar rules (docs/scoring.md) apply.
    pub calendar: bool,
    pub categories: Vec<Category>,
    pub stations: Vec<Station>,
    /// In increasing `below` order: index 0 is the most severe level.
    pub warnings: Vec<WarningLevel>,
    /// Every indicator in display order: a pre-order walk of the tree, with
    /// siblings in file order.
    pub nodes: Vec<Node>,
    /// First-level indicators, in display order.
    pub roots: Vec<NodeId>,
    /// Node code → id (a million rows each look their indicator up).
    pub(crate) by_code: std::collections::HashMap<String, NodeId>,
}

#[derive(Clone, Debug)]
pub struct Category {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Station {
    pub code: String,
    pub name: String,
    /// TOML line of its `code`, for `check`'s messages.
    pub line: usize,
    /// 报送频率: how often it sends a workbook (`frequency`).
    pub frequency: Option<Cadence>,
    /// 涉密监测站 (`confidential = true`, extension): a per-unit report shows
    /// its records' indicator, item and points only — no note, no source.
    pub confidential: bool,
}

/// How a window of several cycles is scored (docs/scoring.md, "评价周期").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcrossCycles {
    /// All records inside the window are scored together.
    Pool,
    /// Each due leaf is scored per period of its cadence; the window takes the mean.
    Mean,
}

#[derive(Clone, Debug)]
pub struct WarningLevel {
    pub level: String,
    pub name: String,
    /// Percent of the node's full marks.
    pub below: Decimal,
    pub action: String,
    /// Fill colour for reports, `0xRRGGBB` (extension: `color = "#FF9999"`).
    pub color: Option<u32>,
    /// The document this level calls for (extension: `document = "预警通知书"`); by default from its code.
    pub document: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    Sum,
    Weighted,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub code: String,
    pub name: String,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    /// 1 for first-level indicators.
    pub depth: u32,
    /// Full marks; `None` only for veto leaves.
    pub max: Option<Decimal>,
    pub weight: Option<Decimal>,
    /// Per category (same order as [`IndicatorSet::categories`]): whether
    /// this node and all its ancestors apply.
    pub applies: Vec<bool>,
    pub kind: NodeKind,
    /// TOML line of its `code`, for `check`'s messages.
    pub line: usize,
    /// `advice` (extension): the 努力方向 the 体检报告 gives a unit losing points here.
    pub advice: Option<String>,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Group(Aggregate),
    Leaf(Leaf),
}

#[derive(Clone, Debug)]
pub struct Leaf {
    /// Index into [`IndicatorSet::stations`].
    pub station: usize,
    pub missing: Missing,
    pub rule: Rule,
}

/// What a leaf with no usable record scores (docs/indicator-set.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    Zero,
    Full,
    Exclude,
}

impl IndicatorSet {
    pub fn node(&self, code: &str) -> Option<NodeId> {
        self.by_code.get(code).copied()
    }

    pub fn leaf(&self, id: NodeId) -> Option<&Leaf> {
        match &self.nodes[id].kind {
            NodeKind::Leaf(l) => Some(l),
            NodeKind::Group(_) => None,
        }
    }

    /// A category by code, else by name.
    pub fn category(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.categories
            .iter()
            .position(|c| c.code == key)
            .or_else(|| self.categories.iter().position(|c| c.name == key))
    }

    /// A station by code, else by name.
    pub fn station(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.stations.iter().position(|s| s.code == key).or_else(|| self.stations.iter().position(|s| s.name == key))
    }

    /// The first warning level whose threshold the score is strictly below.
    pub fn warning_level(&self, score: Decimal, max: Decimal) -> Option<usize> {
        // score < below × max / 100  ⇔  100 × score < below × max (exact in Decimal
        // for any realistic magnitude; checked so an overflow can never lie).
        self.warnings.iter().position(|w| match (score.checked_mul(Decimal::ONE_HUNDRED), w.below.checked_mul(max)) {
            (Some(a), Some(b)) => a < b,
            _ => {
                let (s, m, b) = (crate::exact::q(score), crate::exact::q(max), crate::exact::q(w.below));
                s * crate::exact::qi(100) < b * m
            }
        })
    }

    /// The warning level names, most severe first.
    pub fn level_names(&self) -> Vec<&str> {
        self.warnings.iter().map(|w| w.name.as_str()).collect()
    }

    /// A leaf's rule in plain Chinese: (计分规则, 事项及分值, “数值”怎么填); empty for a group.
    pub fn describe(&self, id: NodeId) -> (String, String, String) {
        match self.leaf(id) {
            Some(leaf) => crate::rules::describe::describe(&leaf.rule, self.nodes[id].max, &self.level_names()),
            None => Default::default(),
        }
    }

    /// What a leaf scores without data, in plain Chinese (未填报时): the
    /// template's 指标说明, the report's 指标体系 and the 体检报告's 病因 say it alike.
    pub fn missing_text(&self, id: NodeId) -> String {
        match self.leaf(id).map(|l| (&l.rule, l.missing)) {
            Some((Rule::Points(p), _)) => if p.base_max { "没有事件即得满分" } else { "没有事件得 0 分" }.to_string(),
            Some((Rule::Veto(_), _)) => "没有记录即未触发".to_string(),
            Some((Rule::Linear { .. } | Rule::Grade { .. } | Rule::Survey(_) | Rule::Direct { .. }, missing)) => {
                match missing {
                    Missing::Zero => "计 0 分",
                    Missing::Full => "计满分",
                    Missing::Exclude => "不计分,上级指标按其余指标折算",
                }
                .to_string()
            }
            None => String::new(),
        }
    }

    /// A leaf's rule in plain Chinese for people: the rule, then its items and their points.
    pub fn rule_text(&self, id: NodeId) -> String {
        let (rule, items, _) = self.describe(id);
        if items.is_empty() { rule } else { format!("{rule};{items}") }
    }

    /// A one-line summary of a leaf's rule (rule, items, missing-data policy),
    /// used to tell whether a method changed between two results.
    pub fn rule_summary(&self, id: NodeId) -> String {
        let Some(leaf) = self.leaf(id) else { return String::new() };
        let (rule, items, _) = self.describe(id);
        let missing = match (&leaf.rule, leaf.missing) {
            (Rule::Points(_) | Rule::Veto(_), _) => "",
            (Rule::Linear { .. } | Rule::Grade { .. } | Rule::Survey(_) | Rule::Direct { .. }, Missing::Zero) => {
                ";缺失计0分"
            }
            (Rule::Linear { .. } | Rule::Grade { .. } | Rule::Survey(_) | Rule::Direct { .. }, Missing::Full) => {
                ";缺失计满分"
            }
            (Rule::Linear { .. } | Rule::Grade { .. } | Rule::Survey(_) | Rule::Direct { .. }, Missing::Exclude) => {
                ";缺失不计分"
            }
        };
        let items = if items.is_empty() { String::new() } else { format!(";{items}") };
        format!("{}: {rule}{items}{missing}", leaf.rule.name())
    }

    /// A station's cadence: the longer of the cycle and its `frequency` (either
    /// alone; `None` with neither). Every leaf of the station has it.
    pub fn station_cadence(&self, station: usize) -> Option<Cadence> {
        self.cycle.max(self.stations[station].frequency)
    }

    /// Whether a station's leaves are due in a window: their cadence is not
    /// longer than it (always, without a cadence).
    pub fn station_due(&self, station: usize, window: Period) -> bool {
        self.station_cadence(station).is_none_or(|c| c <= window.cadence())
    }

    /// Leaves in display order.
    pub fn leaves(&self) -> impl Iterator<Item = (NodeId, &Leaf)> {
        self.nodes.iter().enumerate().filter_map(|(i, n)| match &n.kind {
            NodeKind::Leaf(l) => Some((i, l)),
            NodeKind::Group(_) => None,
        })
    }
}

impl Node {
    pub fn is_veto(&self) -> bool {
        matches!(&self.kind, NodeKind::Leaf(l) if l.rule.is_veto())
    }
}

#[cfg(test)]
mod tests;
