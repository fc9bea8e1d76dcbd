//! Regenerates `examples/dinghai` (several unit types, each with its own indicator set, in one project, with an
//! area per town) and `examples/qianxi` (a year of monthly workbooks, a third-party station among them).
//!
//! Run: `cargo run --example gen_sets`. Deterministic (fixed seeds and workbook timestamps). The data are
//! invented; the unit names of 迁西 are the window units its office published, the others are made up.

#[path = "support/draw.rs"]
mod draw;
#[path = "support/mod.rs"]
mod support;

use draw::Draw;
use std::path::Path;
use support::{Rng, V, book, info, t};
use zhili::indicators::{IndicatorSet, NodeId};

struct Unit {
    code: String,
    name: &'static str,
    /// The category code, which names its set.
    category: &'static str,
    area: &'static str,
    quality: f64,
}

/// Data rows of one station for one period, over every set that has the station.
fn rows(
    rng: &mut Rng,
    sets: &[(&IndicatorSet, Vec<&Unit>)],
    code: &str,
    months: &[String],
    veto: Option<&str>,
) -> Vec<Vec<V>> {
    let mut out = Vec::new();
    for (set, units) in sets {
        let Some(s) = set.stations.iter().position(|st| st.code == code) else { continue };
        let leaves: Vec<NodeId> = set.leaves().filter(|(_, l)| l.station == s).map(|(id, _)| id).collect();
        for id in leaves {
            let node = &set.nodes[id];
            for u in units {
                if set.leaf(id).is_some_and(|l| l.rule.is_veto()) {
                    if veto == Some(u.code.as_str()) {
                        let month = months.last().cloned().unwrap_or_default();
                        out.push(vec![
                            t(month),
                            t(&u.code),
                            t(&node.code),
                            V::Blank,
                            V::Blank,
                            t("查处严重违纪违法案件"),
                        ]);
                    }
                    continue;
                }
                let mut draw = Draw { rng, set };
                for (p, item, value, note) in draw.rows(id, u.quality, months) {
                    let p = if p.is_empty() || months.len() == 1 { V::Blank } else { t(p) };
                    let item = if item.is_empty() { V::Blank } else { t(item) };
                    let note = if note.is_empty() { V::Blank } else { t(note) };
                    out.push(vec![p, t(&u.code), t(&node.code), item, value, note]);
                }
            }
        }
    }
    out
}

fn sheet(rows: Vec<Vec<V>>) -> (&'static str, Vec<Vec<V>>) {
    let mut data = vec![["期间", "单位代码", "指标代码", "事项", "数值", "说明"].map(t).to_vec()];
    data.extend(rows);
    ("数据", data)
}

fn load(name: &str) -> IndicatorSet {
    let entry = zhili::library::find(name).expect("a built-in set");
    zhili::indicators::parse(entry.toml.as_bytes()).expect("the library parses")
}

fn fresh(dir: &Path) -> std::io::Result<()> {
    if dir.join("stations").exists() {
        std::fs::remove_dir_all(dir.join("stations"))?;
    }
    std::fs::create_dir_all(dir.join("stations"))
}

fn dinghai(root: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let dir = root.join("examples/dinghai");
    fresh(&dir)?;
    // (key, built-in set, category)
    let sets = [
        ("village", "dinghai-village", "village"),
        ("community", "dinghai-community", "community"),
        ("enterprise", "dinghai-private-enterprise", "pe"),
        ("school", "dinghai-school", "school"),
    ];
    let list: [(&str, &str, &str, &str, f64); 18] = [
        ("V", "皋泄村", "village", "定海区/白泉镇", 0.86),
        ("V", "潮面村", "village", "定海区/白泉镇", 0.8),
        ("V", "金山村", "village", "定海区/白泉镇", 0.55),
        ("V", "新建村", "village", "定海区/干览镇", 0.88),
        ("V", "西码头村", "village", "定海区/干览镇", 0.78),
        ("V", "庙桥村", "village", "定海区/小沙街道", 0.9),
        ("C", "东管庙社区", "community", "定海区/昌国街道", 0.86),
        ("C", "南珍社区", "community", "定海区/昌国街道", 0.78),
        ("C", "城东社区", "community", "定海区/环南街道", 0.82),
        ("C", "檀枫社区", "community", "定海区/环南街道", 0.9),
        ("E", "白泉海洋食品公司", "pe", "定海区/白泉镇", 0.95),
        ("E", "干览船舶修造公司", "pe", "定海区/干览镇", 0.84),
        ("E", "小沙水产合作社", "pe", "定海区/小沙街道", 0.96),
        ("E", "昌国商贸公司", "pe", "定海区/昌国街道", 0.93),
        ("S", "白泉镇中心小学", "school", "定海区/白泉镇", 0.96),
        ("S", "干览镇中学", "school", "定海区/干览镇", 0.94),
        ("S", "昌国街道第一小学", "school", "定海区/昌国街道", 0.97),
        ("S", "环南实验学校", "school", "定海区/环南街道", 0.88),
    ];
    let mut counters = std::collections::HashMap::new();
    let units: Vec<Unit> = list
        .iter()
        .map(|(prefix, name, category, area, quality)| {
            let k = counters.entry(*prefix).or_insert(0);
            *k += 1;
            Unit { code: format!("{prefix}{k:02}"), name, category, area, quality: *quality }
        })
        .collect();
    let loaded: Vec<IndicatorSet> = sets.iter().map(|(_, lib, _)| load(lib)).collect();

    let mut roster = vec![["单位代码", "单位名称", "类别", "所属区域"].map(t).to_vec()];
    roster.extend(units.iter().map(|u| vec![t(&u.code), t(u.name), t(u.category), t(u.area)]));
    std::fs::write(dir.join("单位名册.xlsx"), book(vec![("单位", roster)])?)?;

    // One workbook per station and quarter; a station several sets share (区纪委监委) sends one for all.
    let by_set: Vec<(&IndicatorSet, Vec<&Unit>)> = loaded
        .iter()
        .zip(&sets)
        .map(|(set, (_, _, cat))| (set, units.iter().filter(|u| u.category == *cat).collect()))
        .collect();
    let mut stations: Vec<(&str, &str)> = Vec::new();
    for set in &loaded {
        for st in &set.stations {
            if !stations.iter().any(|(c, _)| *c == st.code) {
                stations.push((&st.code, &st.name));
            }
        }
    }
    let mut rng = Rng(2025);
    let mut files = 0;
    for q in [3u32, 4] {
        let months: Vec<String> = (1..=3).map(|m| format!("2024-{:02}", (q - 1) * 3 + m)).collect();
        let period = format!("2024Q{q}");
        for (code, name) in &stations {
            // The one veto: 南珍社区, a case found in 2024Q4.
            let veto = (q == 4).then_some("C02");
            let data = rows(&mut rng, &by_set, code, &months, veto);
            let folder = dir.join(format!("stations/{period}"));
            std::fs::create_dir_all(&folder)?;
            std::fs::write(
                folder.join(format!("{code}-{name}-{period}.xlsx")),
                book(vec![info(code, &period), sheet(data)])?,
            )?;
            files += 1;
        }
    }
    let mut project = String::from(
        "# zhili 示例项目 (定海区清廉单元: 村、社区、民营企业、学校各用自己的指标体系) — 数据为虚构\n\
         # 指标体系用 zhili 内置的同名体系,所以项目目录复制到别处也能运行;区纪委监委 (D03) 同时为三套体系报送\n\
         roster = \"单位名册.xlsx\"\ndata = [\"stations/**/*.xlsx\"]\noutput = \"reports\"\nissuer = \"定海区纪委监委\"\n\
         # 区域指数 (按镇街) 的满分\narea_scale = 100\n",
    );
    for (key, lib, cat) in sets {
        project.push_str(&format!("\n[[set]]\nkey = \"{key}\"\nindicators = \"{lib}\"\ncategories = [\"{cat}\"]\n"));
    }
    std::fs::write(dir.join("zhili.toml"), project)?;
    println!("wrote examples/dinghai: {} units in {} sets, {files} station workbooks", units.len(), sets.len());
    Ok(files)
}

fn qianxi(root: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let dir = root.join("examples/qianxi");
    fresh(&dir)?;
    let set = load("qianxi");
    // The window units 迁西's office named for its 2023 evaluation; each one's quality is invented.
    let names = [
        "县经济开发区",
        "县发展和改革局",
        "县工业和信息化局",
        "县人力资源和社会保障局",
        "县交通运输局",
        "县水利局",
        "县农业农村局",
        "县商促局",
        "县文化广电和旅游局",
        "县卫生健康局",
        "县行政审批局",
        "县医疗保障局",
        "县自然资源和规划局",
        "县林业局",
        "县城管大队",
        "县法院",
        "县检察院",
        "县公安局",
        "县司法局",
        "县生态环境局",
        "县住房和城乡建设局",
        "县应急管理局",
        "县市场监督管理局",
        "县税务局",
        "县消防大队",
        "县自来水公司",
        "县天然气公司",
        "国网冀北迁西电力分公司",
    ];
    let units: Vec<Unit> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let quality = match i + 1 {
                7 => 0.72,
                13 => 0.8,
                21 => 0.86,
                _ => 0.985 - (i % 5) as f64 * 0.012,
            };
            Unit { code: format!("Q{:02}", i + 1), name, category: "window", area: "", quality }
        })
        .collect();
    let mut roster = vec![["单位代码", "单位名称", "类别"].map(t).to_vec()];
    roster.extend(units.iter().map(|u| vec![t(&u.code), t(u.name), t("县直窗口单位")]));
    std::fs::write(dir.join("单位名册.xlsx"), book(vec![("单位", roster)])?)?;

    let all: Vec<&Unit> = units.iter().collect();
    let by_set = [(&set, all)];
    let mut rng = Rng(2023);
    let mut files = 0;
    for m in 1..=12u32 {
        let month = format!("2024-{m:02}");
        let folder = dir.join(format!("stations/{month}"));
        std::fs::create_dir_all(&folder)?;
        // 第三方测评: each environment surveyed three ways, one score each.
        let mut scores = Vec::new();
        for how in ["定向走访", "随机拦截", "体验式暗访"] {
            for mut row in rows(&mut rng, &by_set, "Q01", std::slice::from_ref(&month), None) {
                row[5] = t(how);
                scores.push(row);
            }
        }
        std::fs::write(
            folder.join(format!("Q01-第三方测评机构-{month}.xlsx")),
            book(vec![info("Q01", &month), sheet(scores)])?,
        )?;
        // 负面清单: what the office found that month.
        let list = rows(&mut rng, &by_set, "Q02", std::slice::from_ref(&month), None);
        let file = format!("Q02-县优化营商环境领导小组办公室-{month}.xlsx");
        std::fs::write(folder.join(file), book(vec![info("Q02", &month), sheet(list)])?)?;
        files += 2;
    }
    // 县纪委监委: one case in July against 县农业农村局 (the veto), reported in the year's workbook.
    let case = vec![vec![t("2024-07"), t("Q07"), t("X1"), V::Blank, V::Blank, t("工作人员吃拿卡要被立案审查")]];
    std::fs::write(dir.join("stations/Q03-县纪委监委-2024.xlsx"), book(vec![info("Q03", "2024"), sheet(case)])?)?;
    files += 1;
    let project = "# zhili 示例项目 (迁西县营商环境月考评) — 单位为公开的窗口单位名单,数据为虚构\n\
                   # 按月评价:zhili score --period 2024-03;按年评价取 12 个月的平均:zhili score --period 2024\n\
                   indicators = \"qianxi\"\nroster = \"单位名册.xlsx\"\ndata = [\"stations/**/*.xlsx\"]\noutput = \"reports\"\n\
                   issuer = \"迁西县优化营商环境领导小组办公室\"\n";
    std::fs::write(dir.join("zhili.toml"), project)?;
    println!("wrote examples/qianxi: {} units, {files} station workbooks", units.len());
    Ok(files)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    dinghai(root)?;
    qianxi(root)?;
    Ok(())
}
