//! The indicator library: published evaluation systems as TOML sets, built into the binary.
//!
//! `zhili init --from NAME` copies one of these into a new project, so an
//! office starts from a system that already speaks its method.

/// One built-in indicator set.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The name given to `--from`.
    pub name: &'static str,
    /// The file name it gets in a project (`indicators/<file>`).
    pub file: &'static str,
    /// What it is, in a line.
    pub title: &'static str,
    pub toml: &'static str,
}

pub const LIBRARY: [Entry; 10] = [
    Entry {
        name: "longkou",
        file: "longkou-political-ecology.toml",
        title: "龙口市政治生态分析评价 (10 个一级指标,千分制,镇街区/市直部门)",
        toml: include_str!("../indicators/longkou-political-ecology.toml"),
    },
    Entry {
        name: "jiangbei",
        file: "jiangbei-clean-business.toml",
        title: "江北区清廉商圈智治廉评指数 (3 个分指数,7 个方面,64 项指标,百分制)",
        toml: include_str!("../indicators/jiangbei-clean-business.toml"),
    },
    Entry {
        name: "dinghai-private-enterprise",
        file: "dinghai-private-enterprise.toml",
        title: "定海区清廉民企 (4×4 核心标准,百分制)",
        toml: include_str!("../indicators/dinghai-private-enterprise.toml"),
    },
    Entry {
        name: "dinghai-village",
        file: "dinghai-village.toml",
        title: "定海区村级清廉考评 (4 个方面,61 项任务,百分制)",
        toml: include_str!("../indicators/dinghai-village.toml"),
    },
    Entry {
        name: "dinghai-community",
        file: "dinghai-community.toml",
        title: "定海区清廉社区考评 (4 个方面,60 项任务,百分制)",
        toml: include_str!("../indicators/dinghai-community.toml"),
    },
    Entry {
        name: "dinghai-organ",
        file: "dinghai-organ.toml",
        title: "定海区清廉机关 (政治机关、权力运行、作风效能、廉洁文化,百分制;示例指标)",
        toml: include_str!("../indicators/dinghai-organ.toml"),
    },
    Entry {
        name: "dinghai-school",
        file: "dinghai-school.toml",
        title: "定海区清廉学校 (治校、从教、育人、家校,百分制;示例指标)",
        toml: include_str!("../indicators/dinghai-school.toml"),
    },
    Entry {
        name: "dinghai-hospital",
        file: "dinghai-hospital.toml",
        title: "定海区清廉医院 (“清廉医者”个人记分全年累计,按年评价,百分制;示例指标)",
        toml: include_str!("../indicators/dinghai-hospital.toml"),
    },
    Entry {
        name: "dinghai-transport",
        file: "dinghai-transport.toml",
        title: "定海区清廉交通 (“最多一小时”工作机制,百分制;示例指标)",
        toml: include_str!("../indicators/dinghai-transport.toml"),
    },
    Entry {
        name: "qianxi",
        file: "qianxi-business.toml",
        title: "迁西县营商环境月考评 (五个环境第三方测评 + 负面清单,按月,年度取各月平均)",
        toml: include_str!("../indicators/qianxi-business.toml"),
    },
];

/// Finds a library entry by name.
pub fn find(name: &str) -> Option<&'static Entry> {
    LIBRARY.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{IndicatorSet, NodeKind, Rule, parse};
    use rust_decimal::Decimal;

    fn set(name: &str) -> IndicatorSet {
        parse(find(name).unwrap().toml.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e:#?}"))
    }

    fn count(set: &IndicatorSet, depth: u32, leaf: bool) -> usize {
        set.nodes
            .iter()
            .filter(|n| n.depth == depth && matches!(n.kind, NodeKind::Leaf(_)) == leaf && !n.is_veto())
            .count()
    }

    fn leaves(set: &IndicatorSet) -> usize {
        set.leaves().filter(|(_, l)| !l.rule.is_veto()).count()
    }

    /// Σ max of the scored leaves that apply to a category.
    fn leaf_max(set: &IndicatorSet, cat: usize) -> Decimal {
        set.leaves()
            .filter(|(id, l)| !l.rule.is_veto() && set.nodes[*id].applies[cat])
            .filter_map(|(id, _)| set.nodes[id].max)
            .sum()
    }

    #[test]
    fn every_entry_parses() {
        for e in LIBRARY {
            set(e.name);
            assert!(e.toml.starts_with("# "), "{} starts with a comment saying what it encodes", e.name);
        }
    }

    #[test]
    fn longkou_structure() {
        let s = set("longkou");
        assert_eq!(s.scale, Decimal::from(1000));
        let firsts: Vec<&str> = s.roots.iter().map(|&r| s.nodes[r].name.as_str()).collect();
        assert_eq!(
            firsts,
            [
                "政治建设",
                "思想建设",
                "组织建设",
                "选人用人",
                "作风建设",
                "服务群众",
                "腐败案件",
                "主体责任",
                "团结干事",
                "综合评价"
            ]
        );
        assert!(s.roots.iter().all(|&r| s.nodes[r].max == Some(Decimal::from(100))));
        assert_eq!(
            (count(&s, 2, false), count(&s, 3, true)),
            (20, 52),
            "two second-level groups per first-level indicator; 52 third-level leaves"
        );
        let personal = s.leaves().filter(|(id, _)| s.nodes[*id].applies.iter().any(|a| !a)).count();
        assert_eq!((leaves(&s) - personal, personal), (40, 12), "common and personalised leaves");
        assert_eq!(s.stations.len(), 17, "8 departments + 8 internal offices + the survey");
        assert_eq!(s.categories.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["镇街区", "市直部门"]);
        // Each category's leaves add up to the 1000-point scale.
        assert_eq!((leaf_max(&s, 0), leaf_max(&s, 1)), (Decimal::from(1000), Decimal::from(1000)));
        let below: Vec<(String, Decimal)> = s.warnings.iter().map(|w| (w.name.clone(), w.below)).collect();
        assert_eq!(
            below,
            [("红色预警".into(), 60.into()), ("黄色预警".into(), 80.into()), ("蓝色预警".into(), 90.into())]
        );
        assert_eq!(s.leaves().filter(|(_, l)| l.rule.is_veto()).count(), 1);
    }

    #[test]
    fn jiangbei_structure() {
        let s = set("jiangbei");
        assert_eq!(s.scale, Decimal::from(100));
        let firsts: Vec<&str> = s.roots.iter().map(|&r| s.nodes[r].name.as_str()).collect();
        assert_eq!(firsts, ["政商亲近度", "政商清白度", "廉洁文化浸润度"]);
        let aspects: Vec<&str> = s.nodes.iter().filter(|n| n.depth == 2).map(|n| n.name.as_str()).collect();
        assert_eq!(
            aspects,
            [
                "商圈基建水平",
                "行政服务质量",
                "政府廉洁水平",
                "政府诚信水平",
                "企业诚信度",
                "企业社会责任感",
                "廉洁文化宣传水平"
            ]
        );
        assert_eq!(leaves(&s), 64);
        let surveys = s.leaves().filter(|(_, l)| matches!(l.rule, Rule::Survey(_))).count();
        assert_eq!(surveys, 7, "one survey-based subjective indicator per aspect");
        assert_eq!(s.aggregate, crate::indicators::Aggregate::Weighted);
    }

    #[test]
    fn dinghai_structures() {
        let s = set("dinghai-private-enterprise");
        let firsts: Vec<&str> = s.roots.iter().map(|&r| s.nodes[r].name.as_str()).collect();
        assert_eq!(firsts, ["经营有法度", "管理有力度", "教育有深度", "创新有亮度"]);
        assert!(s.roots.iter().all(|&r| s.nodes[r].children.len() == 4), "4×4");
        assert_eq!(leaf_max(&s, 0), Decimal::from(100));
        let v = set("dinghai-village");
        assert_eq!(v.roots.len(), 4);
        assert_eq!(leaves(&v), 61);
        assert_eq!(leaf_max(&v, 0), Decimal::from(100));
        let c = set("dinghai-community");
        let firsts: Vec<&str> = c.roots.iter().map(|&r| c.nodes[r].name.as_str()).collect();
        assert_eq!(firsts, ["清廉班子", "清廉居务", "清廉社工", "清廉家风", "社区干部严重违纪违法"]);
        assert_eq!(leaves(&c), 60, "4 aspects × 15 tasks");
        assert_eq!(leaf_max(&c, 0), Decimal::from(100));
        assert!(c.roots.iter().filter(|&&r| !c.nodes[r].is_veto()).all(|&r| c.nodes[r].children.len() == 15));
        // The other unit types: each on 100, each with a veto, the rule kinds their texts call for.
        for name in ["dinghai-organ", "dinghai-school", "dinghai-hospital", "dinghai-transport"] {
            let s = set(name);
            assert_eq!(leaf_max(&s, 0), Decimal::from(100), "{name}");
            assert_eq!(s.leaves().filter(|(_, l)| l.rule.is_veto()).count(), 1, "{name}");
        }
        let h = set("dinghai-hospital");
        assert_eq!(h.cycle, Some(crate::period::Cadence::Year), "记分 accumulates over the year");
        let b1 = h.leaf(h.node("B1").unwrap()).unwrap();
        assert!(matches!(&b1.rule, Rule::Points(p) if p.items.len() == 5));
        let t = set("dinghai-transport");
        assert_eq!(t.nodes[t.roots[0]].name, "最多一小时");
    }

    #[test]
    fn qianxi_structure() {
        let s = set("qianxi");
        assert_eq!(s.cycle, Some(crate::period::Cadence::Month));
        assert_eq!(s.across_cycles, crate::indicators::AcrossCycles::Mean, "a year is the mean of its months");
        let firsts: Vec<&str> = s.roots.iter().map(|&r| s.nodes[r].name.as_str()).collect();
        assert_eq!(
            firsts,
            ["市场环境", "政务环境", "金融环境", "法治环境", "信用环境", "负面清单", "发生损害营商环境的违纪违法案件"]
        );
        let direct = s.leaves().filter(|(_, l)| matches!(l.rule, Rule::Direct { .. })).count();
        assert_eq!(direct, 5, "one third-party score per environment");
        let list = s.leaf(s.node("N1").unwrap()).unwrap();
        assert!(matches!(&list.rule, Rule::Points(p) if p.items.len() == 10), "a 10-item 负面清单");
        assert_eq!(leaf_max(&s, 0), Decimal::from(100));
        assert_eq!(s.stations.iter().filter(|st| st.frequency.is_some()).count(), 2, "monthly stations");
    }
}
