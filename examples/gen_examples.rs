//! Regenerates the example projects `examples/longkou` and `examples/jiangbei`.
//!
//! Run: `cargo run --example gen_examples`. Deterministic (fixed seeds and
//! workbook timestamps). The data are invented. Each unit has a "quality"
//! between 0 and 1; every value a station reports is drawn around it, so the
//! mix of outcomes is designed, not accidental: most units fine, several
//! blue, a few yellow, one red, one veto — plus a station that missed a
//! month and a handful of data errors in the last quarter.

#[path = "support/draw.rs"]
mod draw;
#[path = "support/mod.rs"]
mod support;

use draw::Draw;
use std::collections::BTreeMap;
use std::path::Path;
use support::{Rng, V, book, info, info_sent, t};
use zhili::indicators::{NodeId, parse};

struct Unit {
    code: String,
    name: String,
    category: &'static str,
    quality: f64,
}

struct Example {
    dir: &'static str,
    set_file: &'static str,
    /// The project's `issuer` (the office named under the 摘要 title).
    issuer: &'static str,
    /// Whether the roster names each unit's 分管领导 and 监督单位, and a 问题台账 is kept (2024Q3, then Q4).
    routed: bool,
    seed: u64,
    units: Vec<Unit>,
    quarters: Vec<u8>,
    /// A station that reports monthly, and the month (1–12) it failed to send.
    monthly: Option<(&'static str, u32)>,
    /// A station that reports once per half-year (the mass survey).
    half_yearly: Option<&'static str>,
    /// (station, quarter) whose workbook was sent again, corrected, with a later 报送日期.
    resent: Option<(&'static str, u8)>,
    /// (unit code, month) of the one veto.
    veto: Option<(&'static str, u32)>,
    /// Rows with deliberate mistakes, added to the last quarter: (station, row).
    errors: Vec<(&'static str, Vec<V>)>,
}

fn n(x: f64) -> V {
    V::N(x)
}

fn units(list: &[(&str, &str)], category: &'static str, prefix: &str, special: &[(usize, f64)]) -> Vec<Unit> {
    list.iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let quality =
                special.iter().find(|(k, _)| *k == i + 1).map(|(_, q)| *q).unwrap_or(0.975 - (i % 4) as f64 * 0.006);
            Unit { code: format!("{prefix}{:02}", i + 1), name: name.to_string(), category, quality }
        })
        .collect()
}

fn longkou() -> Example {
    let towns = [
        "东莱街道",
        "龙港街道",
        "新嘉街道",
        "徐福街道",
        "东江街道",
        "黄山馆镇",
        "北马镇",
        "芦头镇",
        "下丁家镇",
        "七甲镇",
        "石良镇",
        "兰高镇",
        "诸由观镇",
        "龙口经济开发区",
    ]
    .map(|n| (n, ""));
    let depts = [
        "市发展和改革局",
        "市教育和体育局",
        "市科学技术局",
        "市工业和信息化局",
        "市公安局",
        "市民政局",
        "市司法局",
        "市财政局",
        "市人力资源和社会保障局",
        "市自然资源和规划局",
        "市住房和城乡建设局",
        "市交通运输局",
        "市水务局",
        "市农业农村局",
        "市商务局",
        "市文化和旅游局",
        "市卫生健康局",
        "市退役军人事务局",
        "市应急管理局",
        "市审计局",
        "市市场监督管理局",
        "市统计局",
        "市医疗保障局",
        "市行政审批服务局",
        "市综合行政执法局",
        "市信访局",
        "市投资促进中心",
        "市机关事务服务中心",
        "市融媒体中心",
        "市供销合作社",
        "市总工会",
        "团市委",
        "市妇联",
        "市科协",
        "市残联",
        "市档案馆",
        "市地方金融监督管理局",
        "市大数据中心",
        "市城市管理局",
        "市林业局",
    ]
    .map(|n| (n, ""));
    // Town 7 is red, 10 yellow, 4 and 12 blue; department 31 yellow, 8, 17 and 26 blue.
    let mut units = units(&towns, "town", "T", &[(4, 0.85), (7, 0.47), (10, 0.74), (12, 0.86)]);
    units.extend(self::units(&depts, "dept", "D", &[(8, 0.86), (17, 0.85), (26, 0.86), (31, 0.73)]));
    Example {
        dir: "examples/longkou",
        set_file: "indicators/longkou-political-ecology.toml",
        issuer: "龙口市纪委监委",
        routed: true,
        seed: 1988,
        units,
        quarters: vec![1, 2, 3, 4],
        monthly: Some(("S11", 11)),
        half_yearly: Some("S17"),
        resent: Some(("S05", 4)),
        veto: Some(("T03", 11)),
        errors: vec![
            ("S02", vec![V::Blank, t("T15"), t("C1.2"), V::Blank, V::Blank, t("单位代码写错 (名册中没有 T15)")]),
            ("S05", vec![V::Blank, t("T02"), t("F2.1"), V::Blank, t("优秀"), t("等级应为 好/较好/一般/差")]),
            ("S06", vec![V::Blank, t("D08"), t("J2.4"), V::Blank, n(25.0), t("超过满分 20")]),
            ("S08", vec![V::Blank, t("D24"), t("A1.1"), V::Blank, n(1.0), t("A1.1 由两办采集")]),
            ("S03", vec![V::Blank, t("D05"), t("B1.1"), V::Blank, t("九成"), t("应写 90% 或 0.9")]),
        ],
    }
}

fn jiangbei() -> Example {
    let ents = [
        "恒通百货",
        "锦华餐饮",
        "江岸酒店",
        "星河影城",
        "嘉禾超市",
        "金桥物业",
        "和顺药房",
        "悦来书城",
        "安泰保安",
        "明珠珠宝",
        "顺达物流",
        "九街文旅",
    ]
    .map(|n| (n, ""));
    let depts = [
        "区商务委",
        "区市场监管局",
        "区税务局",
        "区住建委",
        "区城市管理局",
        "区人力社保局",
        "观音桥街道",
        "区规划自然资源局",
    ]
    .map(|n| (n, ""));
    let mut units = units(&ents, "ent", "E", &[(3, 0.86), (6, 0.74), (9, 0.87)]);
    units.extend(self::units(&depts, "dept", "G", &[(2, 0.86), (5, 0.5)]));
    Example {
        dir: "examples/jiangbei",
        set_file: "indicators/jiangbei-clean-business.toml",
        issuer: "江北区纪委监委",
        routed: false,
        seed: 2023,
        units,
        quarters: vec![3, 4],
        monthly: None,
        half_yearly: None,
        resent: None,
        veto: None,
        errors: vec![
            ("J02", vec![V::Blank, t("E13"), t("X2C.O6"), V::Blank, n(1.0), t("名册中没有 E13")]),
            ("J09", vec![V::Blank, t("E02"), t("X3A.S"), V::Blank, t("还行"), t("不是问卷答案")]),
        ],
    }
}

fn generate(ex: &Example) -> Result<usize, Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let set = parse(&std::fs::read(root.join(ex.set_file))?).map_err(|e| format!("{}: {e:?}", ex.set_file))?;
    let dir = root.join(ex.dir);
    if dir.join("stations").exists() {
        std::fs::remove_dir_all(dir.join("stations"))?;
    }
    std::fs::create_dir_all(dir.join("stations"))?;
    let mut rng = Rng(ex.seed);

    let mut head = vec![t("单位代码"), t("单位名称"), t("类别")];
    if ex.routed {
        head.extend([t("分管领导"), t("监督单位")]);
    }
    let mut roster = vec![head];
    for (i, u) in ex.units.iter().enumerate() {
        let cat = set.category(u.category).map(|c| set.categories[c].name.clone()).unwrap_or_default();
        let mut row = vec![t(&u.code), t(&u.name), t(cat)];
        if ex.routed {
            // Towns go to two leaders and two 纪检监察室, departments to three leaders and four 派驻组.
            let (leader, supervisor) = if u.code.starts_with('T') {
                (["王副书记", "刘副市长"][i % 2].to_string(), format!("第{}纪检监察室", ["一", "二"][i % 2]))
            } else {
                (
                    ["刘副市长", "陈副市长", "赵副市长"][i % 3].to_string(),
                    format!("派驻第{}纪检监察组", ["一", "二", "三", "四"][i % 4]),
                )
            };
            row.extend([t(leader), t(supervisor)]);
        }
        roster.push(row);
    }
    std::fs::write(dir.join("单位名册.xlsx"), book(vec![("单位", roster)])?)?;

    // Workbooks: (file name, 信息 period, data rows), one per station per quarter
    // (per month for the monthly station).
    let mut files = 0;
    let last_q = *ex.quarters.last().unwrap_or(&4);
    for (s, st) in set.stations.iter().enumerate() {
        let leaves: Vec<NodeId> = set.leaves().filter(|(_, l)| l.station == s).map(|(id, _)| id).collect();
        if leaves.is_empty() {
            continue;
        }
        for &q in &ex.quarters {
            let months: Vec<u32> = (1..=3).map(|m| (q as u32 - 1) * 3 + m).collect();
            let periods: Vec<(String, Vec<u32>)> = match ex.monthly {
                Some((code, _)) if code == st.code => {
                    months.iter().map(|&m| (format!("2024-{m:02}"), vec![m])).collect()
                }
                // The half-yearly survey: one workbook at the end of each half, for its six months.
                _ if ex.half_yearly == Some(st.code.as_str()) => {
                    if q % 2 == 1 {
                        continue;
                    }
                    let h = q / 2;
                    vec![(format!("2024H{h}"), (1..=6).map(|m| (h as u32 - 1) * 6 + m).collect())]
                }
                _ => vec![(format!("2024Q{q}"), months.clone())],
            };
            for (period, ms) in periods {
                if ex.monthly.is_some_and(|(code, skip)| code == st.code && ms == [skip]) {
                    continue; // this month's workbook never arrived
                }
                let month_text: Vec<String> = ms.iter().map(|m| format!("2024-{m:02}")).collect();
                let mut rows: Vec<Vec<V>> = Vec::new();
                for &id in &leaves {
                    let node = &set.nodes[id];
                    for u in &ex.units {
                        let Some(cat) = set.category(u.category) else { continue };
                        if !node.applies[cat] {
                            continue;
                        }
                        let is_veto = set.leaf(id).is_some_and(|l| l.rule.is_veto());
                        if is_veto {
                            if let Some((unit, m)) = ex.veto
                                && unit == u.code
                                && ms.contains(&m)
                            {
                                rows.push(vec![
                                    t(format!("2024-{m:02}")),
                                    t(&u.code),
                                    t(&node.code),
                                    V::Blank,
                                    V::Blank,
                                    t("查处重大腐败案件"),
                                ]);
                            }
                            continue;
                        }
                        let mut draw = Draw { rng: &mut rng, set: &set };
                        for (p, item, value, note) in draw.rows(id, u.quality, &month_text) {
                            let p = if p.is_empty() || ms.len() == 1 { V::Blank } else { t(p) };
                            let item = if item.is_empty() { V::Blank } else { t(item) };
                            let note = if note.is_empty() { V::Blank } else { t(note) };
                            rows.push(vec![p, t(&u.code), t(&node.code), item, value, note]);
                        }
                    }
                }
                if q == last_q && (ms.len() > 1 || ms.last() == Some(&((q as u32) * 3))) {
                    rows.extend(ex.errors.iter().filter(|(code, _)| *code == st.code).map(|(_, r)| r.clone()));
                }
                let mut data = Vec::new();
                if s % 3 == 0 {
                    // Some stations put a title above the header.
                    data.push(vec![t(format!("{} {period} 监测数据", st.name))]);
                    data.push(Vec::new());
                }
                data.push(["期间", "单位代码", "指标代码", "事项", "数值", "说明"].map(t).to_vec());
                data.extend(rows);
                let folder = format!("stations/2024Q{q}");
                std::fs::create_dir_all(dir.join(&folder))?;
                let file = format!("{folder}/{}-{}-{period}.xlsx", st.code, st.name);
                if ex.resent == Some((st.code.as_str(), q)) {
                    // Sent on 6 January with a wrong unit code, corrected and sent again on 8 January:
                    // the later one counts, the first is superseded.
                    let mut first = data.clone();
                    first.push(vec![
                        V::Blank,
                        t("T99"),
                        first.last().map(|r| r[2].clone()).unwrap_or(V::Blank),
                        V::Blank,
                        n(1.0),
                    ]);
                    std::fs::write(
                        dir.join(&file),
                        book(vec![info_sent(&st.code, &period, "2025-01-06"), ("数据", first)])?,
                    )?;
                    let corrected = format!("{folder}/{}-{}-{period}(更正).xlsx", st.code, st.name);
                    let sent = info_sent(&st.code, &period, "2025-01-08 10:30");
                    std::fs::write(dir.join(&corrected), book(vec![sent, ("数据", data)])?)?;
                    files += 2;
                    continue;
                }
                std::fs::write(dir.join(&file), book(vec![info(&st.code, &period), ("数据", data)])?)?;
                files += 1;
            }
        }
    }
    let project = format!(
        "# zhili 示例项目 ({} ) — 数据为虚构\n# 指标体系用 zhili 内置的同名体系 ({}),所以项目目录复制到别处也能运行\nindicators = \"{}\"\nroster = \"单位名册.xlsx\"\ndata = [\"stations/**/*.xlsx\"]\noutput = \"reports\"\n# 摘要标题下署名的单位\nissuer = \"{}\"\n",
        set.name,
        ex.set_file,
        zhili::library::LIBRARY.iter().find(|e| ex.set_file.ends_with(e.file)).map(|e| e.name).unwrap_or("?"),
        ex.issuer
    );
    std::fs::write(dir.join("zhili.toml"), project)?;
    Ok(files)
}

/// The 问题台账 of an example: created by scoring 2024Q3, filled in as an office would, updated by 2024Q4.
/// zhili itself writes and updates it (with a fixed SOURCE_DATE_EPOCH, so the bytes are reproducible).
fn ledger(ex: &Example) -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join(ex.dir);
    let path = dir.join("问题台账.xlsx");
    let _ = std::fs::remove_file(&path);
    let scratch = std::env::temp_dir().join(format!("zhili-gen-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    // SAFETY: this generator is single-threaded; the variable is read by the scoring below.
    unsafe { std::env::set_var("SOURCE_DATE_EPOCH", "1736899200") };
    let score = |period: &str| -> Result<(), Box<dyn std::error::Error>> {
        let json = scratch.join(format!("{period}.json"));
        let xlsx = scratch.join(format!("{period}.xlsx"));
        let args = ["zhili", "score", dir.to_str().unwrap_or("."), "--period", period, "--quiet", "--ledger"];
        let mut args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        args.extend([path.clone().into(), "--json".into(), json.into(), "--out".into(), xlsx.into()]);
        let cli = <zhili::cli::Cli as clap::Parser>::try_parse_from(args)?;
        zhili::cli::run(cli).map(|_| ()).map_err(|e| format!("{period}: {e:#}").into())
    };
    score("2024Q3")?;
    // The office fills in its columns for some of the problems: who, what, by when, how far.
    let mut ledger = zhili::ledger::read(&std::fs::read(&path)?)?;
    let col = |name: &str| zhili::ledger::PEOPLE.iter().position(|c| *c == name).unwrap_or(0);
    use zhili::ledger::Kept;
    for (i, item) in ledger.items.iter_mut().enumerate().filter(|(i, _)| i % 3 != 2) {
        item.people[col("责任人")] = Kept::Text(format!("{}主要负责人", item.unit_name));
        item.people[col("整改措施")] = Kept::Text(format!("对照{}的失分事项逐条整改,建立整改台账", item.scope_label));
        // 2024-11-30 (45626) or 2024-12-31 (45657).
        item.people[col("整改期限")] = Kept::Date(if i % 2 == 0 { 45626.0 } else { 45657.0 });
        let progress = ["整改中", "已整改", "未整改"][i % 3];
        item.people[col("整改状态")] = Kept::Text(progress.into());
        if progress == "已整改" {
            item.people[col("整改反馈")] = Kept::Text("已完成整改,相关制度已修订".into());
        }
    }
    std::fs::write(&path, zhili::report::ledger::render(&ledger, 1_736_899_200)?)?;
    score("2024Q4")?;
    // The update kept the filled-in ledger as a backup: not part of the example.
    for entry in std::fs::read_dir(&dir)? {
        let p = entry?.path();
        if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("问题台账.备份-")) {
            std::fs::remove_file(p)?;
        }
    }
    std::fs::remove_dir_all(&scratch)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut counts = BTreeMap::new();
    for ex in [longkou(), jiangbei()] {
        counts.insert(ex.dir, (generate(&ex)?, ex.units.len()));
        if ex.routed {
            ledger(&ex)?;
        }
    }
    for (dir, (files, units)) in counts {
        println!("wrote {dir}: {units} units, {files} station workbooks");
    }
    Ok(())
}
