//! 核心结论: 4–8 plain Chinese sentences written by fixed templates from a [`Summary`] — no guessing, every number
//! one that 摘要 shows (docs/report.md lists the templates).

use crate::analysis::statistics::{NamedUnit, Summary};
use crate::number::fixed;
use rust_decimal::{Decimal, RoundingStrategy};

/// How many unit names a sentence lists before "等 N 个".
pub const NAMES_LISTED: usize = 5;

/// A rate (0.8523) as a percentage with one decimal ("85.2%"), rounded half away from zero.
pub fn percent(rate: Decimal) -> String {
    let p = (rate * Decimal::ONE_HUNDRED).round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    format!("{}%", fixed(p, 1))
}

/// The sentences, in reading order.
pub fn conclusions(s: &Summary) -> Vec<String> {
    let dp = s.decimals;
    let num = |d: Decimal| fixed(d, dp);
    let o = &s.overall;
    let mut out = Vec::new();

    if let Some(why) = &s.provisional {
        out.push(format!("本期结果为暂定({why}),数据补齐后应重新评分。"));
    }

    // 1. How many units, by category, and the totals.
    let by_category = if s.categories.len() > 1 {
        let parts: Vec<String> = s.categories.iter().map(|(name, st)| format!("{name} {} 个", st.units)).collect();
        format!("({})", parts.join("、"))
    } else {
        String::new()
    };
    let mut first = format!("{}共评价 {} 个单位{by_category}", s.window, o.units);
    match (o.mean, o.max, o.min) {
        (Some(mean), Some(max), Some(min)) => {
            first += &format!(",平均总分 {}(最高 {},最低 {})", num(mean), num(max), num(min));
            if o.scored < o.units {
                first += &format!(",另有 {} 个单位不计分", o.units - o.scored);
            }
        }
        _ => first += ",均不计分",
    }
    out.push(first + "。");

    // 2. Total-level warnings.
    let warned: usize = o.levels.iter().sum();
    if o.scored > 0 && warned == 0 {
        out.push("所有参评单位总分均未触发预警。".into());
    } else if o.scored > 0 && o.levels.first() == Some(&o.scored) {
        out.push(format!("全部 {} 个参评单位总分均为{}。", o.scored, s.level_names[0]));
    } else if o.scored > 0 {
        let parts: Vec<String> = o
            .levels
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(l, &n)| {
                let names = if l == 0 { format!("({})", list(&s.most_severe, true)) } else { String::new() };
                format!("{} {n} 个{names}", s.level_names[l])
            })
            .collect();
        out.push(format!("总分{};其余 {} 个单位总分未触发预警。", parts.join(","), o.unwarned));
    }

    // 3. Vetoes.
    if s.vetoed.is_empty() {
        out.push("没有单位触发一票否决。".into());
    } else {
        let named: Vec<String> =
            s.vetoed.iter().take(NAMES_LISTED).map(|u| format!("{}({})", u.name, u.vetoes.join("、"))).collect();
        let more = if s.vetoed.len() > NAMES_LISTED { "等" } else { "" };
        out.push(format!("{} 个单位触发一票否决:{}{more}。", s.vetoed.len(), named.join("、")));
    }

    // 4. First-level warnings.
    if s.first_level_hits == 0 {
        out.push("各单位一级指标均未触发预警。".into());
    } else {
        out.push(format!("一级指标预警共 {} 项,涉及 {} 个单位。", s.first_level_hits, s.first_level_units));
    }

    // 5. The weakest first-level indicators.
    if let Some(lowest) = s.rates.first() {
        let mut sentence = format!("得分率最低的一级指标是{}(平均得分率 {})", lowest.name, percent(lowest.mean_rate));
        if let Some(next) = s.rates.get(1) {
            sentence += &format!(",其次是{}({})", next.name, percent(next.mean_rate));
        }
        out.push(sentence + "。");
    }

    // 6. Where the points went.
    match s.losses.first() {
        Some(l) => out.push(format!(
            "失分最多的指标是{}(属{}),{} 个单位合计失分 {}。",
            l.name,
            l.first_level,
            l.losing,
            num(l.lost)
        )),
        None if o.scored > 0 => out.push("各单位均未失分。".into()),
        None => {}
    }

    // 7. Since the previous period.
    if let Some(c) = &s.changes {
        let counts: Vec<String> = c.counts.iter().map(|(t, n)| format!("{} {n} 项", t.label())).collect();
        let mut sentence = format!("与上期({})相比,{}", c.previous, counts.join("、"));
        if !c.newly_warned.is_empty() {
            sentence += &format!(";新出现预警的单位 {} 个:{}", c.newly_warned.len(), list(&c.newly_warned, false));
        }
        out.push(sentence + "。");
    }
    out
}

/// "新嘉街道,一票否决、北马镇" — at most [`NAMES_LISTED`] names, then " 等 N 个".
fn list(units: &[NamedUnit], veto_note: bool) -> String {
    let names: Vec<String> = units
        .iter()
        .take(NAMES_LISTED)
        .map(|u| if veto_note && !u.vetoes.is_empty() { format!("{},一票否决", u.name) } else { u.name.clone() })
        .collect();
    let more = if units.len() > NAMES_LISTED { format!(" 等 {} 个", units.len()) } else { String::new() };
    names.join("、") + &more
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::compare::Transition;
    use crate::analysis::statistics::{Changes, LossLine, RateLine, Stats};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn unit(name: &str, vetoes: &[&str]) -> NamedUnit {
        NamedUnit {
            code: name.into(),
            name: name.into(),
            category: "镇街".into(),
            total: None,
            level: None,
            vetoes: vetoes.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// Ten units in two categories: 2 red (one vetoed), 1 yellow, 7 without a total warning.
    fn base() -> Summary {
        let st = |units, levels: Vec<usize>, unwarned, vetoed| Stats {
            units,
            scored: units,
            mean: Some(d("850.5")),
            median: Some(d("860")),
            min: Some(d("599")),
            max: Some(d("960.25")),
            levels,
            unwarned,
            vetoed,
        };
        Summary {
            set_name: "政治生态".into(),
            window: "2024年第四季度".into(),
            provisional: None,
            decimals: 2,
            level_names: vec!["红色预警".into(), "黄色预警".into(), "蓝色预警".into()],
            overall: st(10, vec![2, 1, 0], 7, 1),
            categories: vec![
                ("镇街".into(), st(4, vec![2, 0, 0], 2, 1)),
                ("市直部门".into(), st(6, vec![0, 1, 0], 5, 0)),
            ],
            most_severe: vec![unit("新嘉街道", &["G9 腐败案件"]), unit("北马镇", &[])],
            severe_first_levels: Vec::new(),
            vetoed: vec![unit("新嘉街道", &["G9 腐败案件"])],
            first_level_hits: 4,
            first_level_units: 3,
            rates: vec![
                RateLine {
                    code: "B".into(), name: "廉政建设".into(), mean_rate: d("0.8525"), scored: 10, warned: 2
                },
                RateLine { code: "A".into(), name: "政治建设".into(), mean_rate: d("0.9"), scored: 10, warned: 0 },
            ],
            losses: vec![LossLine {
                code: "B3".into(),
                name: "信访举报".into(),
                first_level: "廉政建设".into(),
                lost: d("31.5"),
                losing: 6,
            }],
            changes: None,
        }
    }

    #[test]
    fn a_veto_is_named_with_its_indicator_and_the_red_units_listed() {
        let c = conclusions(&base());
        assert_eq!(
            c,
            [
                "2024年第四季度共评价 10 个单位(镇街 4 个、市直部门 6 个),平均总分 850.50(最高 960.25,最低 599.00)。",
                "总分红色预警 2 个(新嘉街道,一票否决、北马镇),黄色预警 1 个;其余 7 个单位总分未触发预警。",
                "1 个单位触发一票否决:新嘉街道(G9 腐败案件)。",
                "一级指标预警共 4 项,涉及 3 个单位。",
                "得分率最低的一级指标是廉政建设(平均得分率 85.3%),其次是政治建设(90.0%)。",
                "失分最多的指标是信访举报(属廉政建设),6 个单位合计失分 31.50。",
            ]
        );
    }

    #[test]
    fn no_warnings_at_all() {
        let mut s = base();
        s.overall.levels = vec![0, 0, 0];
        s.overall.unwarned = 10;
        s.overall.vetoed = 0;
        s.most_severe.clear();
        s.vetoed.clear();
        s.first_level_hits = 0;
        s.first_level_units = 0;
        s.losses.clear();
        let c = conclusions(&s);
        assert_eq!(c[1], "所有参评单位总分均未触发预警。");
        assert_eq!(c[2], "没有单位触发一票否决。");
        assert_eq!(c[3], "各单位一级指标均未触发预警。");
        assert_eq!(c[5], "各单位均未失分。");
        assert_eq!(c.len(), 6);
    }

    #[test]
    fn every_unit_red_and_the_names_stop_after_five() {
        let mut s = base();
        s.overall.levels = vec![10, 0, 0];
        s.overall.unwarned = 0;
        assert_eq!(conclusions(&s)[1], "全部 10 个参评单位总分均为红色预警。");
        // Short of all: seven red units are named five at a time.
        s.overall.levels = vec![7, 0, 0];
        s.overall.unwarned = 3;
        s.most_severe = (1..=7).map(|i| unit(&format!("单位{i}"), &[])).collect();
        assert_eq!(
            conclusions(&s)[1],
            "总分红色预警 7 个(单位1、单位2、单位3、单位4、单位5 等 7 个);其余 3 个单位总分未触发预警。"
        );
    }

    #[test]
    fn provisional_comes_first_and_unscored_units_are_counted() {
        let mut s = base();
        s.provisional = Some("缺报 1 份:S11 2024-11".into());
        s.overall.scored = 9;
        let c = conclusions(&s);
        assert_eq!(c[0], "本期结果为暂定(缺报 1 份:S11 2024-11),数据补齐后应重新评分。");
        assert!(c[1].ends_with(",另有 1 个单位不计分。"), "{}", c[1]);
        assert!((4..=8).contains(&c.len()));
    }

    #[test]
    fn changes_since_the_previous_period() {
        let mut s = base();
        s.changes = Some(Changes {
            previous: "2024Q3".into(),
            counts: vec![
                (Transition::New, 3),
                (Transition::Escalated, 1),
                (Transition::Persisting, 2),
                (Transition::DeEscalated, 0),
                (Transition::Resolved, 4),
            ],
            newly_warned: vec![unit("北马镇", &[])],
        });
        let c = conclusions(&s);
        assert_eq!(
            c.last().unwrap(),
            "与上期(2024Q3)相比,新增预警 3 项、预警升级 1 项、预警持续 2 项、预警降级 0 项、预警解除 4 项;新出现预警的单位 1 个:北马镇。"
        );
        assert_eq!(c.len(), 7);
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        assert_eq!(percent(d("0.8525")), "85.3%");
        assert_eq!(percent(d("0.8524")), "85.2%");
        assert_eq!(percent(d("1")), "100.0%");
    }

    #[test]
    fn attention_lists_each_unit_once_with_every_reason() {
        let mut s = base();
        let mut dept = unit("市总工会", &[]);
        dept.level = Some(1);
        s.severe_first_levels = vec![(dept, vec!["D 选人用人".into()])];
        let mut quiet = unit("团市委", &[]);
        quiet.level = None;
        let mut yellow = unit("七甲镇", &[]);
        yellow.level = Some(1);
        s.changes = Some(Changes {
            previous: "2024Q3".into(),
            counts: Vec::new(),
            newly_warned: vec![unit("新嘉街道", &["G9 腐败案件"]), quiet, yellow],
        });
        // `unit()` leaves the total's level unset: give the red towns theirs.
        for u in &mut s.most_severe {
            u.level = Some(0);
        }
        if let Some(c) = &mut s.changes {
            c.newly_warned[0].level = Some(0);
        }
        let got: Vec<(String, Vec<String>)> = s.attention().into_iter().map(|(u, why)| (u.name.clone(), why)).collect();
        let want: Vec<(String, Vec<String>)> = vec![
            ("新嘉街道".into(), vec!["总分红色预警".into(), "一票否决:G9 腐败案件".into(), "新增预警".into()]),
            ("北马镇".into(), vec!["总分红色预警".into()]),
            ("市总工会".into(), vec!["一级指标红色预警:D 选人用人".into()]),
            ("团市委".into(), vec!["新增一级指标预警".into()]),
            ("七甲镇".into(), vec!["新增预警".into()]),
        ];
        assert_eq!(got, want);
    }
}
