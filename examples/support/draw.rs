//! Shared by the example generators that draw station data: values around each unit's "quality", rule by rule.

use super::support::{Rng, V, t};
use zhili::indicators::{Amount, IndicatorSet, NodeId, Rule};

fn n(x: f64) -> V {
    V::N(x)
}

/// Draws a value for one unit on one leaf for one period, as data rows.
/// `period` is the text written in the 期间 column (blank: the workbook's).
pub struct Draw<'a> {
    pub rng: &'a mut Rng,
    pub set: &'a IndicatorSet,
}

impl Draw<'_> {
    fn frac(&mut self, q: f64) -> f64 {
        (q + (self.rng.unit() - 0.5) * 0.08).clamp(0.0, 1.0)
    }

    /// Rows (期间, 事项, 数值, 说明) for a leaf; months are 1..=3 of the period.
    pub fn rows(&mut self, id: NodeId, q: f64, months: &[String]) -> Vec<(String, String, V, String)> {
        let set = self.set;
        let node = &set.nodes[id];
        let max = node.max.map(|m| m.to_string().parse::<f64>().unwrap_or(0.0)).unwrap_or(0.0);
        let Some(leaf) = set.leaf(id) else { return Vec::new() };
        let month = |rng: &mut Rng| months[rng.below(months.len())].clone();
        let mut out = Vec::new();
        match &leaf.rule {
            Rule::Linear { zero_at, full_at, combine } => {
                let (z, f) = (zero_at.to_string().parse::<f64>().unwrap(), full_at.to_string().parse::<f64>().unwrap());
                if *combine == zhili::indicators::Combine::Sum {
                    // A count reported monthly, adding up to the quarter's value.
                    let total = (z + self.frac(q) * (f - z)).round().max(0.0) as u64;
                    for (i, m) in months.iter().enumerate() {
                        let share = total / months.len() as u64 + u64::from((i as u64) < total % months.len() as u64);
                        out.push((m.clone(), String::new(), n(share as f64), String::new()));
                    }
                } else {
                    let v = z + self.frac(q) * (f - z);
                    let pct = (0.0..=1.0).contains(&z) && (0.0..=1.0).contains(&f);
                    let value = if pct && self.rng.below(3) == 0 {
                        t(format!("{}%", (v * 100.0).round()))
                    } else {
                        n((v * 1000.0).round() / 1000.0)
                    };
                    out.push((String::new(), String::new(), value, String::new()));
                }
            }
            Rule::Grade { grades } => {
                let mut sorted: Vec<&(String, rust_decimal::Decimal)> = grades.iter().collect();
                sorted.sort_by_key(|g| std::cmp::Reverse(g.1));
                let fr = self.frac(q);
                let i = if fr >= 0.93 {
                    0
                } else if fr >= 0.8 {
                    1
                } else if fr >= 0.6 {
                    2
                } else {
                    sorted.len() - 1
                };
                out.push((String::new(), String::new(), t(sorted[i.min(sorted.len() - 1)].0.clone()), String::new()));
            }
            Rule::Direct { .. } => {
                let v = (self.frac(q) * max * 2.0).round() / 2.0;
                out.push((String::new(), String::new(), n(v), "第三方评估".into()));
            }
            Rule::Survey(s) => {
                let (lo, hi) = (s.lo.to_string().parse::<f64>().unwrap(), s.hi.to_string().parse::<f64>().unwrap());
                let respondents = s.min_responses.max(5) as usize + 2 + self.rng.below(3);
                for _ in 0..respondents {
                    let fr = (q + (self.rng.unit() - 0.5) * 0.5).clamp(0.0, 1.0);
                    let v = (lo + fr * (hi - lo)).round();
                    let label = s.answers.iter().find(|(_, a)| a.to_string().parse::<f64>().ok() == Some(v));
                    let value = match label {
                        Some((l, _)) if self.rng.below(3) > 0 => t(l.clone()),
                        _ => n(v),
                    };
                    out.push((month(self.rng), String::new(), value, String::new()));
                }
            }
            Rule::Points(p) => {
                let fr = self.frac(q);
                for item in &p.items {
                    let item_code = if p.implicit { String::new() } else { item.code.clone() };
                    // Deductions grow as quality falls; additions grow with it.
                    let target = if item.deduct { (1.0 - fr) * max } else { fr * max };
                    let target = item.cap.map(|c| target.min(c.to_string().parse().unwrap())).unwrap_or(target);
                    match item.amount {
                        Amount::Per(each) => {
                            let each: f64 = each.to_string().parse().unwrap();
                            let times = (target / each + self.rng.unit() * 0.6 - 0.3).round().max(0.0) as usize;
                            for _ in 0..times {
                                let v = if self.rng.below(2) == 0 { V::Blank } else { n(1.0) };
                                out.push((month(self.rng), item_code.clone(), v, note(self.rng, item.deduct)));
                            }
                        }
                        Amount::Range(lo, hi) => {
                            let (lo, hi): (f64, f64) =
                                (lo.to_string().parse().unwrap(), hi.to_string().parse().unwrap());
                            let mut left = target;
                            while left >= lo {
                                let v = (lo + self.rng.unit() * (hi - lo)).round().min(left).max(lo);
                                out.push((month(self.rng), item_code.clone(), n(v), note(self.rng, item.deduct)));
                                left -= v;
                            }
                        }
                    }
                }
            }
            Rule::Veto(_) => {}
        }
        out
    }
}

pub fn note(rng: &mut Rng, deduct: bool) -> String {
    const BAD: [&str; 6] = ["通报批评", "督查发现", "巡察反馈", "群众举报查实", "专项检查发现", "上级通报"];
    const GOOD: [&str; 4] = ["经验做法被推广", "专项活动", "现场评估", "材料齐全"];
    if deduct { BAD[rng.below(BAD.len())] } else { GOOD[rng.below(GOOD.len())] }.to_string()
}
