//! The 问题台账 brought up to a window (docs/ledger.md): pure — the previous ledger and a run in, the new ledger out.
//!
//! A problem is a warning (a first-level indicator's or the total's) or a triggered veto of one unit. Each
//! keeps its row (and number) while it is followed up; zhili updates only its own columns and carries every
//! people's cell forward unchanged.

use crate::analysis::losses::{self, unit_deductions};
use crate::engine::UnitEval;
use crate::indicators::NodeId;
use crate::ledger::*;
use crate::period::Period;
use crate::record::Record;
use crate::run::Run;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// How many sources (`file!sheet!row`) 依据 lists before "等 N 条".
pub const BASIS_SHOWN: usize = 8;

/// A problem found in this window.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub unit: usize,
    /// A first-level indicator's or a veto's code, or [`TOTAL`].
    pub scope: String,
    pub scope_label: String,
    pub kind: &'static str,
    /// The level's name ("红色预警"), or 一票否决.
    pub level: String,
    /// Severity: the warning's index (0 most severe); vetoes rank with the most severe.
    pub severity: usize,
    pub score: Option<Decimal>,
    pub basis: String,
}

/// Every problem of the run: per unit (roster order), its warnings in indicator order, the total's, its
/// vetoes, then — with `min_loss` — every leaf on which it lost at least that many points (扣分点).
pub fn problems(run: &Run, min_loss: Option<Decimal>) -> Vec<Problem> {
    let set = run.set;
    let mut by_unit: Vec<Vec<&Record>> = vec![Vec::new(); run.roster.units.len()];
    for r in &run.loaded.records {
        by_unit[r.unit].push(r);
    }
    let sources = |records: &[&Record]| -> String {
        let mut list: Vec<String> =
            records.iter().map(|r| format!("{}!{}", run.loaded.inputs[r.input].source(), r.row + 1)).collect();
        list.dedup();
        let more = list.len().saturating_sub(BASIS_SHOWN);
        list.truncate(BASIS_SHOWN);
        let tail = if more > 0 { format!(" 等 {} 条", list.len() + more) } else { String::new() };
        list.join(";") + &tail
    };
    let mut out = Vec::new();
    for e in &run.eval.units {
        let own = &by_unit[e.unit];
        let lost = unit_deductions(set, e, own);
        for w in &e.warnings {
            let (scope, scope_label, records): (String, String, Vec<&Record>) = match w.scope {
                Some(r) => (
                    set.nodes[r].code.clone(),
                    format!("{} {}", set.nodes[r].code, set.nodes[r].name),
                    lost.iter().filter(|d| losses::root_of(set, d.leaf) == r).flat_map(|d| d.records.clone()).collect(),
                ),
                None => (TOTAL.into(), "总分".into(), vetoed_records(e, own)),
            };
            out.push(Problem {
                unit: e.unit,
                scope,
                scope_label,
                kind: KIND_WARNING,
                level: set.warnings[w.level].name.clone(),
                severity: w.level,
                score: Some(w.score),
                basis: sources(&records),
            });
        }
        if let Some(min) = min_loss {
            for d in lost.iter().filter(|d| d.lost >= min && d.lost > Decimal::ZERO) {
                let n = &set.nodes[d.leaf];
                out.push(Problem {
                    unit: e.unit,
                    scope: n.code.clone(),
                    scope_label: format!("{} {}", n.code, n.name),
                    kind: KIND_DEDUCTION,
                    level: format!("失分 {}", crate::number::fixed(d.lost, set.decimals)),
                    severity: usize::MAX,
                    score: Some(d.score),
                    basis: sources(&d.records),
                });
            }
        }
        for &v in &e.vetoed {
            let records: Vec<&Record> = own.iter().copied().filter(|r| r.leaf == v).collect();
            out.push(Problem {
                unit: e.unit,
                scope: set.nodes[v].code.clone(),
                scope_label: format!("{} {}", set.nodes[v].code, set.nodes[v].name),
                kind: KIND_VETO,
                level: KIND_VETO.into(),
                severity: 0,
                score: None,
                basis: sources(&records),
            });
        }
    }
    out
}

fn vetoed_records<'a>(e: &UnitEval, own: &[&'a Record]) -> Vec<&'a Record> {
    own.iter().copied().filter(|r| e.vetoed.contains(&r.leaf)).collect()
}

/// Why a ledger cannot take this window.
pub fn refusal(ledger: &Ledger, set_name: &str, window: Period) -> Option<String> {
    if !ledger.set_name.is_empty() && ledger.set_name != set_name {
        return Some(format!(
            "台账属于指标体系“{}”,本次计分用的是“{set_name}”;不同指标体系的结果不能写进同一本台账",
            ledger.set_name
        ));
    }
    let latest = ledger.latest.as_deref().and_then(|p| Period::parse(p).ok())?;
    (!latest.ends_before(window)).then(|| {
        format!(
            "台账已更新到 {latest},本次期间 {window} 不在它之后;台账只能按期间先后更新 (要重算已更新过的一期,请先用备份文件恢复台账)"
        )
    })
}

/// The ledger brought up to this run's window. `today` is the update's time for 台账说明; `level_of`
/// tells a level name's severity (unknown names, and 一票否决, count as most severe).
pub fn update(mut ledger: Ledger, run: &Run, problems: &[Problem], today: &str) -> Ledger {
    let set = run.set;
    let window = run.eval.window;
    let period = window.to_string();
    let end = window_end_serial(window);
    let severity = |name: &str| set.warnings.iter().position(|w| w.name == name).unwrap_or(0);
    let routing = |unit: usize| {
        let r = run.roster.routing(unit);
        (r.leader.unwrap_or_default(), r.supervisor.unwrap_or_default())
    };
    let mut seen = vec![false; ledger.items.len()];
    for p in problems {
        let u = &run.roster.units[p.unit];
        let key = |i: &Item| i.unit == u.code && i.scope == p.scope;
        let (leader, supervisor) = routing(p.unit);
        let score = p.score.and_then(|s| s.to_f64());
        match ledger.items.iter().position(|i| key(i) && i.status.open()) {
            Some(at) => {
                let item = &mut ledger.items[at];
                seen[at] = true;
                item.status = if item.latest_level == NO_LEVEL {
                    Status::Recurred
                } else if p.kind == KIND_DEDUCTION {
                    // A 扣分点 has no level to rise or fall: it is there, or it is not.
                    Status::Persisting
                } else {
                    match severity(&p.level).cmp(&severity(&item.latest_level)) {
                        std::cmp::Ordering::Less => Status::Escalated,
                        std::cmp::Ordering::Equal => Status::Persisting,
                        std::cmp::Ordering::Greater => Status::DeEscalated,
                    }
                };
                item.latest_period = period.clone();
                item.latest_score = score;
                item.latest_level = p.level.clone();
                item.basis = p.basis.clone();
                item.note = if item.marked_done() { NOT_EFFECTIVE.into() } else { String::new() };
                (item.unit_name, item.category, item.scope_label) =
                    (u.name.clone(), set.categories[u.category].name.clone(), p.scope_label.clone());
                (item.leader, item.supervisor) = (leader, supervisor);
            }
            None => {
                // Back after 销号: a new row citing the last closed one, counting how often it came back.
                let closed: Vec<&Item> = ledger.items.iter().filter(|i| key(i) && !i.status.open()).collect();
                let origin = closed.last().map(|i| i.id.clone()).unwrap_or_default();
                let recurrences = closed.last().map(|i| i.recurrences + 1).unwrap_or(0);
                ledger.items.push(Item {
                    id: problem_id(&u.code, &p.scope, &period),
                    unit: u.code.clone(),
                    unit_name: u.name.clone(),
                    category: set.categories[u.category].name.clone(),
                    scope_label: p.scope_label.clone(),
                    scope: p.scope.clone(),
                    kind: p.kind.into(),
                    first_period: period.clone(),
                    first_level: p.level.clone(),
                    latest_period: period.clone(),
                    latest_score: score,
                    latest_level: p.level.clone(),
                    status: if origin.is_empty() { Status::New } else { Status::Recurred },
                    overdue: false,
                    note: String::new(),
                    origin,
                    recurrences,
                    basis: p.basis.clone(),
                    leader,
                    supervisor,
                    people: vec![Kept::Empty; PEOPLE.len()],
                    extra: vec![Kept::Empty; ledger.extra.len()],
                });
                seen.push(true);
            }
        }
    }
    // Open items whose problem is gone: resolved, and closed once people marked them 已整改.
    for (i, item) in ledger.items.iter_mut().enumerate() {
        if seen[i] || !item.status.open() {
            continue;
        }
        item.latest_period = period.clone();
        item.latest_level = NO_LEVEL.into();
        item.latest_score = current_score(run, &item.unit, &item.scope);
        item.note.clear();
        item.status = if item.marked_done() { Status::Closed } else { Status::Resolved };
    }
    // 逾期: a deadline before the window's end on an item not yet 已整改 (and not closed).
    for item in &mut ledger.items {
        let deadline = match item.person(DEADLINE) {
            Kept::Date(d) | Kept::Number(d) => Some(*d),
            _ => None,
        };
        item.overdue = item.status.open() && !item.marked_done() && deadline.is_some_and(|d| d.floor() < end);
    }
    // Each unit's rows together: by unit code, then problem number (new rows join their unit).
    ledger.items.sort_by(|a, b| a.unit.cmp(&b.unit).then(a.id.cmp(&b.id)));
    ledger.set_name = set.name.clone();
    ledger.latest = Some(period.clone());
    let status = match run.loaded.provisional_reason() {
        Some(why) => format!("暂定:{why}"),
        None => "完整".to_string(),
    };
    ledger.updates.push((period, today.to_string(), status));
    ledger
}

/// A scope's score for a unit now (for an item whose problem is gone).
fn current_score(run: &Run, unit: &str, scope: &str) -> Option<f64> {
    let i = run.roster.units.iter().position(|u| u.code == unit)?;
    let e = run.eval.units.iter().find(|e| e.unit == i)?;
    let score = match scope {
        TOTAL => e.total,
        code => run.set.node(code).and_then(|id: NodeId| e.scores[id].value()),
    };
    score.and_then(|s| s.to_f64())
}

/// The last day of a window as an Excel date serial (days since 1899-12-30).
pub fn window_end_serial(window: Period) -> f64 {
    let (_, last) = window.span();
    // `span` counts months from year 0: the month after the last one, day 1, minus a day.
    let next = last + 1;
    let (y, m) = (next.div_euclid(12), next.rem_euclid(12) + 1);
    (days_from_civil(y as i64, m as i64, 1) - days_from_civil(1899, 12, 30) - 1) as f64
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_ends_as_excel_serials() {
        // Excel: 2024-03-31 is 45382, 2024-12-31 is 45657, 2024-06-30 is 45473, 2024-02-29 is 45351.
        assert_eq!(window_end_serial(Period::Quarter(2024, 1)), 45382.0);
        assert_eq!(window_end_serial(Period::Year(2024)), 45657.0);
        assert_eq!(window_end_serial(Period::Half(2024, 1)), 45473.0);
        assert_eq!(window_end_serial(Period::Month(2024, 2)), 45351.0);
    }

    #[test]
    fn ids_are_stable_and_refusals_name_the_reason() {
        assert_eq!(problem_id("T07", "A", "2024Q3"), "T07-A-2024Q3");
        let ledger = Ledger { set_name: "龙口".into(), latest: Some("2024Q3".into()), ..Ledger::default() };
        assert!(refusal(&ledger, "江北", Period::Quarter(2024, 4)).unwrap().contains("不同指标体系"));
        assert!(refusal(&ledger, "龙口", Period::Quarter(2024, 3)).unwrap().contains("不在它之后"));
        assert!(refusal(&ledger, "龙口", Period::Quarter(2024, 2)).is_some());
        assert!(refusal(&ledger, "龙口", Period::Quarter(2024, 4)).is_none());
        assert!(refusal(&Ledger::default(), "龙口", Period::Quarter(2024, 1)).is_none());
    }
}
