//! Each rule kind in plain Chinese: for the templates' 指标说明, the report's 指标体系 and the JSON method.

use super::{Amount, Combine, Rule};
use crate::number::plain;
use rust_decimal::Decimal;

fn pct_or_plain(v: Decimal, as_pct: bool) -> String {
    if as_pct { format!("{}%", plain(v * Decimal::ONE_HUNDRED)) } else { plain(v) }
}

pub fn linear_text(z: Decimal, f: Decimal, max: Decimal) -> String {
    let pct = (Decimal::ZERO..=Decimal::ONE).contains(&z) && (Decimal::ZERO..=Decimal::ONE).contains(&f);
    let (zs, fs) = (pct_or_plain(z, pct), pct_or_plain(f, pct));
    if z < f {
        format!("{zs} 及以下得 0 分,{fs} 及以上得满分 {} 分,之间按比例计分", plain(max))
    } else {
        format!("{zs} 及以上得 0 分,{fs} 及以下得满分 {} 分,之间按比例计分 (越低越好)", plain(max))
    }
}

fn combine_text(c: Combine) -> &'static str {
    match c {
        Combine::Mean => "多条记录取平均",
        Combine::Sum => "多条记录相加",
        Combine::Min => "多条记录取最小值",
        Combine::Max => "多条记录取最大值",
        Combine::Last => "多条记录取最后一期",
    }
}

/// The rule in plain Chinese: (计分规则, 事项及分值, “数值”怎么填).
/// `level_names` are the set's warning level names (a veto may raise one).
pub fn describe(rule: &Rule, max: Option<Decimal>, level_names: &[&str]) -> (String, String, String) {
    let max = max.unwrap_or_default();
    match rule {
        Rule::Points(p) => {
            let amount = |a: &Amount, deduct: bool| {
                let verb = if deduct { "扣" } else { "加" };
                match a {
                    Amount::Per(x) => format!("每次{verb}{}分", plain(*x)),
                    Amount::Range(lo, hi) => format!("{verb}{}–{}分", plain(*lo), plain(*hi)),
                }
            };
            let base =
                if p.base_max { format!("基础分为满分 {} 分", plain(max)) } else { "基础分为 0".into() };
            if p.implicit {
                let it = &p.items[0];
                let bound = if it.deduct { "扣完为止" } else { "加满为止" };
                let fill = match it.amount {
                    Amount::Per(_) => "每发生一次填一行,数值填次数 (留空表示 1 次)",
                    Amount::Range(..) => "每发生一次填一行,数值填该次的分值",
                };
                (format!("{},{bound} ({base})", amount(&it.amount, it.deduct)), String::new(), fill.into())
            } else {
                let list: Vec<String> = p
                    .items
                    .iter()
                    .map(|i| {
                        let cap = i.cap.map(|c| format!(",最多 {} 分", plain(c))).unwrap_or_default();
                        format!("{} {}: {}{cap}", i.code, i.name, amount(&i.amount, i.deduct))
                    })
                    .collect();
                (
                    format!("按事项加减分,得分在 0 到 {} 分之间 ({base})", plain(max)),
                    list.join(";"),
                    "每件事填一行,“事项”选事项代码;按次计分的事项数值填次数 (留空为 1 次),按范围计分的填分值".into(),
                )
            }
        }
        Rule::Linear { combine, zero_at, full_at } => (
            format!("{};{}", linear_text(*zero_at, *full_at, max), combine_text(*combine)),
            String::new(),
            "填数值,可写 95% 或 0.95".into(),
        ),
        Rule::Grade { grades } => {
            let list: Vec<String> = grades.iter().map(|(l, p)| format!("{l}={}分", plain(*p))).collect();
            (format!("按等级计分: {};多条记录取平均", list.join("、")), String::new(), "选择等级".into())
        }
        Rule::Survey(s) => {
            let answers: Vec<String> = s.answers.iter().map(|(a, v)| format!("{a}={}", plain(*v))).collect();
            let ans = if answers.is_empty() { String::new() } else { format!(",或答案 {}", answers.join("、")) };
            (
                format!(
                    "问卷: 得分 = 满分 × (平均分 − {lo}) / ({hi} − {lo});至少 {} 份有效问卷",
                    s.min_responses,
                    lo = plain(s.lo),
                    hi = plain(s.hi)
                ),
                String::new(),
                format!("每份答卷填一行: 数值填 {}–{} 的数字{ans}", plain(s.lo), plain(s.hi)),
            )
        }
        Rule::Direct { combine } => (
            format!("直接赋分 (第三方评估),0 到 {} 分;{}", plain(max), combine_text(*combine)),
            String::new(),
            format!("填写得分,0 到 {} 分", plain(max)),
        ),
        Rule::Veto(v) => {
            let mut effects = Vec::new();
            if let Some(c) = v.cap_total {
                effects.push(format!("总分不超过 {} 分", plain(c)));
            }
            if let Some(l) = v.level {
                effects.push(format!("预警至少为{}", level_names.get(l).copied().unwrap_or("")));
            }
            (
                format!("一票否决: 发生即触发,{}", effects.join(",")),
                String::new(),
                "发生时填一行 (数值留空或填次数;0 表示没有)".into(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Item, Points, Veto};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rules_in_plain_chinese() {
        assert_eq!(linear_text(d("0.6"), d("1"), d("10")), "60% 及以下得 0 分,100% 及以上得满分 10 分,之间按比例计分");
        assert_eq!(
            linear_text(d("10"), d("0"), d("15")),
            "10 及以上得 0 分,0 及以下得满分 15 分,之间按比例计分 (越低越好)"
        );
        // `deduct = 2` on a leaf of max 10.
        let item =
            Item { code: String::new(), name: String::new(), deduct: true, amount: Amount::Per(d("2")), cap: None };
        let points = Rule::Points(Points { base_max: true, items: vec![item], implicit: true });
        let (rule, _, fill) = describe(&points, Some(d("10")), &[]);
        assert_eq!(rule, "每次扣2分,扣完为止 (基础分为满分 10 分)");
        assert!(fill.contains("留空表示 1 次"));
        let veto = Rule::Veto(Veto { cap_total: Some(d("599")), level: Some(0) });
        assert_eq!(describe(&veto, None, &["红色预警"]).0, "一票否决: 发生即触发,总分不超过 599 分,预警至少为红色预警");
    }
}
