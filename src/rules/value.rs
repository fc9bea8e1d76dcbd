//! A cell → the number a rule scores with (docs/workbooks.md, "Record values").
//!
//! | rule   | value                                                      |
//! |--------|------------------------------------------------------------|
//! | points | a count (per-occurrence item) or the points (range item)   |
//! | veto   | a count (≥ 1 triggers)                                     |
//! | linear | the number (`95%` already 0.95)                            |
//! | grade  | the grade's points                                         |
//! | survey | the answer's number                                        |
//! | direct | the score                                                  |

use super::{Amount, Rule};
use crate::cell::CellValue;
use crate::issue::Kind;
use crate::number;
use rust_decimal::Decimal;

/// `Ok(None)`: blank where blank means "not filled in"; `Err`: the issue kind and why.
pub type ValueResult = Result<Option<Decimal>, (Kind, String)>;

/// Reads a value cell for a rule. `Ok(None)`: blank where blank means "not filled in".
pub fn read_value(rule: &Rule, item: Option<usize>, max: Decimal, cell: &CellValue) -> ValueResult {
    let blank = cell.is_blank();
    let bad = |msg: &str| Err((Kind::BadValue, msg.to_string()));
    let num = |percent: bool| match cell {
        CellValue::Number(d) => Some(*d),
        CellValue::Text(t) => number::parse_text(t, percent),
        CellValue::Empty | CellValue::Bool(_) | CellValue::Date { .. } | CellValue::Error(_) => None,
    };
    let in_range = |v: Decimal, lo: Decimal, hi: Decimal| {
        if v < lo || v > hi { Err((Kind::OutOfRange, format!("超出允许范围 [{lo}, {hi}]"))) } else { Ok(Some(v)) }
    };
    match rule {
        Rule::Points(p) => {
            let it = &p.items[item.unwrap_or(0)];
            match it.amount {
                Amount::Per(_) => count(cell),
                Amount::Range(lo, hi) => {
                    if blank {
                        return bad(&format!("范围事项 ({lo}–{hi} 分) 需要填写分值"));
                    }
                    match num(false) {
                        Some(v) => in_range(v, lo, hi),
                        None => bad("不是数字"),
                    }
                }
            }
        }
        Rule::Veto(_) => count(cell),
        Rule::Linear { .. } | Rule::Direct { .. } | Rule::Grade { .. } | Rule::Survey(_) if blank => Ok(None),
        Rule::Linear { .. } => num(true).map(|v| Ok(Some(v))).unwrap_or_else(|| bad("不是数字 (可写 0.95 或 95%)")),
        Rule::Direct { .. } => match num(false) {
            Some(v) => in_range(v, Decimal::ZERO, max),
            None => bad("不是数字"),
        },
        Rule::Grade { grades } => {
            let key = cell.as_key();
            match grades.iter().find(|(label, _)| *label == key) {
                Some((_, pts)) => Ok(Some(*pts)),
                None => {
                    let labels: Vec<&str> = grades.iter().map(|(l, _)| l.as_str()).collect();
                    bad(&format!("不是有效等级 (可选: {})", labels.join("、")))
                }
            }
        }
        Rule::Survey(s) => {
            if let CellValue::Text(t) = cell
                && let Some((_, v)) = s.answers.iter().find(|(a, _)| a == t.trim())
            {
                return Ok(Some(*v));
            }
            match num(false) {
                Some(v) => in_range(v, s.lo, s.hi),
                None if s.answers.is_empty() => bad(&format!("不是 {}–{} 之间的数字", s.lo, s.hi)),
                None => {
                    let labels: Vec<&str> = s.answers.iter().map(|(l, _)| l.as_str()).collect();
                    bad(&format!("不是有效答案 (可选: {},或 {}–{} 的数字)", labels.join("、"), s.lo, s.hi))
                }
            }
        }
    }
}

/// A count of occurrences: blank is 1; otherwise a non-negative integer.
fn count(cell: &CellValue) -> ValueResult {
    let v = match cell {
        c if c.is_blank() => return Ok(Some(Decimal::ONE)),
        CellValue::Number(d) => Some(*d),
        CellValue::Text(t) => number::parse_text(t, false),
        CellValue::Empty | CellValue::Bool(_) | CellValue::Date { .. } | CellValue::Error(_) => None,
    };
    match v {
        Some(v) if v >= Decimal::ZERO && v.fract().is_zero() => Ok(Some(v.normalize())),
        _ => Err((Kind::BadValue, "次数必须是非负整数 (留空表示 1 次)".to_string())),
    }
}
