//! The leaf rules (计分规则, docs/indicator-set.md): each kind's TOML keys, cell values, scoring and plain-Chinese text.
//!
//! Everything a rule kind means lives in this folder, one concept per file:
//! `parse` (TOML keys → [`Rule`]), `value` (a cell → the number the rule
//! uses), `score` (records → an exact score) and `describe` (the rule in
//! plain Chinese for templates and reports). Every match over [`Rule`] or
//! [`RuleKind`] names each variant, so a new kind does not compile until
//! every concept handles it.

pub mod describe;
pub mod parse;
pub mod score;
pub mod value;

use crate::period::Period;
use rust_decimal::Decimal;

/// The six rule kinds, as written in `rule = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Points,
    Linear,
    Grade,
    Survey,
    Direct,
    Veto,
}

impl RuleKind {
    pub const ALL: [RuleKind; 6] =
        [RuleKind::Points, RuleKind::Linear, RuleKind::Grade, RuleKind::Survey, RuleKind::Direct, RuleKind::Veto];

    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Points => "points",
            RuleKind::Linear => "linear",
            RuleKind::Grade => "grade",
            RuleKind::Survey => "survey",
            RuleKind::Direct => "direct",
            RuleKind::Veto => "veto",
        }
    }

    /// The TOML keys that belong to this rule only.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            RuleKind::Points => &["base", "add", "deduct", "items"],
            RuleKind::Linear => &["combine", "zero_at", "full_at"],
            RuleKind::Grade => &["grades"],
            RuleKind::Survey => &["scale", "answers", "min_responses"],
            RuleKind::Direct => &["combine"],
            RuleKind::Veto => &["cap_total", "level"],
        }
    }

    pub fn from_name(name: &str) -> Option<RuleKind> {
        RuleKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Position in [`RuleKind::ALL`]; the exhaustive match makes a new kind
    /// fail to compile here (clippy and CI build the tests), and the test
    /// below fails until `ALL` lists it.
    #[cfg(test)]
    fn ordinal(self) -> usize {
        match self {
            RuleKind::Points => 0,
            RuleKind::Linear => 1,
            RuleKind::Grade => 2,
            RuleKind::Survey => 3,
            RuleKind::Direct => 4,
            RuleKind::Veto => 5,
        }
    }

    /// `points、linear、grade、survey、direct 或 veto`, for messages.
    pub fn names_in_words() -> String {
        let names: Vec<&str> = RuleKind::ALL.iter().map(|k| k.name()).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} 或 {last}", rest.join("、")),
            _ => names.join(""),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    Mean,
    Sum,
    Min,
    Max,
    Last,
}

#[derive(Clone, Debug)]
pub enum Rule {
    Points(Points),
    Linear { combine: Combine, zero_at: Decimal, full_at: Decimal },
    Grade { grades: Vec<(String, Decimal)> },
    Survey(Survey),
    Direct { combine: Combine },
    Veto(Veto),
}

#[derive(Clone, Debug)]
pub struct Points {
    /// True: the score starts at max; false: at zero.
    pub base_max: bool,
    pub items: Vec<Item>,
    /// True when the leaf carries `add`/`deduct` itself (one implicit item,
    /// no 事项 column needed).
    pub implicit: bool,
}

#[derive(Clone, Debug)]
pub struct Item {
    pub code: String,
    pub name: String,
    /// True for `deduct`, false for `add`.
    pub deduct: bool,
    pub amount: Amount,
    pub cap: Option<Decimal>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    /// Points per occurrence; the record value is a count.
    Per(Decimal),
    /// The record value is the points themselves, lo ≤ value ≤ hi.
    Range(Decimal, Decimal),
}

#[derive(Clone, Debug)]
pub struct Survey {
    pub lo: Decimal,
    pub hi: Decimal,
    pub answers: Vec<(String, Decimal)>,
    pub min_responses: u32,
    /// Whether `min_responses` was written (check warns when it was not).
    pub min_responses_set: bool,
}

#[derive(Clone, Debug)]
pub struct Veto {
    pub cap_total: Option<Decimal>,
    /// Index into the set's warning levels.
    pub level: Option<usize>,
}

impl Rule {
    pub fn kind(&self) -> RuleKind {
        match self {
            Rule::Points(_) => RuleKind::Points,
            Rule::Linear { .. } => RuleKind::Linear,
            Rule::Grade { .. } => RuleKind::Grade,
            Rule::Survey(_) => RuleKind::Survey,
            Rule::Direct { .. } => RuleKind::Direct,
            Rule::Veto(_) => RuleKind::Veto,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    pub fn is_veto(&self) -> bool {
        matches!(self, Rule::Veto(_))
    }

    /// Whether the rule expects one value per unit and period (a pre-filled
    /// template row) rather than events or answers.
    pub fn expects_value(&self) -> bool {
        match self {
            Rule::Linear { .. } | Rule::Grade { .. } | Rule::Direct { .. } => true,
            Rule::Points(_) | Rule::Survey(_) | Rule::Veto(_) => false,
        }
    }
}

/// What a rule needs to know of one accepted record (the engine's records
/// implement it; the rules never see where a record came from).
pub trait Observation {
    /// The value in the form the rule needs (see `value`).
    fn value(&self) -> Decimal;
    /// Index into the leaf's points items.
    fn item(&self) -> Option<usize>;
    fn period(&self) -> Period;
    /// Position in reading order (ties of `combine = "last"`).
    fn seq(&self) -> usize;
}

#[cfg(test)]
mod tests {
    use super::RuleKind;

    #[test]
    fn every_rule_kind_is_listed_once_in_order() {
        for (i, k) in RuleKind::ALL.into_iter().enumerate() {
            assert_eq!(k.ordinal(), i, "{k:?}");
            assert_eq!(RuleKind::from_name(k.name()), Some(k));
        }
        assert_eq!(RuleKind::names_in_words(), "points、linear、grade、survey、direct 或 veto");
    }
}
