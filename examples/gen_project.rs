//! Generates a synthetic zhili project of any size, for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_project -- --units 60 --leaves 150 --records 20000 --out /tmp/county
//! zhili score /tmp/county --period 2024
//! ```
//!
//! Deterministic (a fixed-seed xorshift generator and fixed workbook
//! timestamps): the same arguments always give the same bytes. The set has
//! 10 first-level indicators on a 1000-point scale, leaves of every rule
//! kind, 16 stations (each sending one workbook per quarter) and a veto.

#[path = "support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::path::PathBuf;
use support::{Rng, V, book as workbook};

struct Args {
    units: usize,
    leaves: usize,
    records: usize,
    out: PathBuf,
    seed: u64,
}

fn args() -> Args {
    let mut a = Args { units: 60, leaves: 150, records: 20_000, out: PathBuf::from("gen-project"), seed: 2024 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--units" => a.units = val().parse().expect("--units N"),
            "--leaves" => a.leaves = val().parse().expect("--leaves N"),
            "--records" => a.records = val().parse().expect("--records N"),
            "--out" => a.out = PathBuf::from(val()),
            "--seed" => a.seed = val().parse().expect("--seed N"),
            other => panic!("unknown flag {other}; use --units --leaves --records --out --seed"),
        }
    }
    assert!(a.leaves >= 20, "--leaves must be at least 20");
    a
}

const STATIONS: [&str; 16] = [
    "市委办公室",
    "市政府办公室",
    "组织部",
    "宣传部",
    "政法委",
    "审计局",
    "财政局",
    "统计局",
    "案管室",
    "党风政风监督室",
    "信访室",
    "案件审理室",
    "宣传室",
    "审查调查室",
    "干部监督室",
    "群众问卷",
];
const GROUPS: [&str; 10] = [
    "政治建设",
    "思想建设",
    "组织建设",
    "选人用人",
    "作风建设",
    "服务群众",
    "腐败案件",
    "主体责任",
    "团结干事",
    "综合评价",
];
const SYLLABLES: [&str; 24] = [
    "学习", "落实", "整改", "督查", "通报", "约谈", "审计", "巡察", "信访", "问责", "廉政", "教育", "制度", "台账",
    "会议", "检查", "考核", "谈话", "处分", "线索", "核查", "公示", "培训", "走访",
];

#[derive(Clone, Copy)]
enum Kind {
    Points,
    Items,
    Linear,
    Grade,
    Direct,
    Survey,
}

struct Leaf {
    code: String,
    kind: Kind,
    station: usize,
    max: u32,
}

fn indicator_set(leaves_wanted: usize) -> (String, Vec<Leaf>) {
    let mut toml = String::from(
        "schema = 1\nname = \"合成测试指标体系\"\nversion = \"bench\"\nscale = 1000\ndecimals = 2\n\n\
         [[category]]\ncode = \"town\"\nname = \"镇街区\"\n\n[[category]]\ncode = \"dept\"\nname = \"市直部门\"\n\n",
    );
    for (i, s) in STATIONS.iter().enumerate() {
        let _ = writeln!(toml, "[[station]]\ncode = \"S{:02}\"\nname = \"{s}\"\n", i + 1);
    }
    for (level, below, action) in
        [("red", 60, "发放纪检监察建议书"), ("yellow", 80, "发放预警通知书"), ("blue", 90, "约谈提醒")]
    {
        let _ = writeln!(toml, "[[warning]]\nlevel = \"{level}\"\nbelow = {below}\naction = \"{action}\"\n");
    }
    let per_group = leaves_wanted / GROUPS.len();
    let kinds = [Kind::Points, Kind::Linear, Kind::Grade, Kind::Direct, Kind::Items, Kind::Linear, Kind::Survey];
    let mut leaves = Vec::new();
    for (g, name) in GROUPS.iter().enumerate() {
        let gc = (b'A' + g as u8) as char;
        let _ = writeln!(toml, "[[indicator]]\ncode = \"{gc}\"\nname = \"{name}\"\nmax = 100\n");
        let base = 100 / per_group as u32;
        for k in 0..per_group {
            let max = if k + 1 == per_group { 100 - base * (per_group as u32 - 1) } else { base };
            let kind = kinds[(g * per_group + k) % kinds.len()];
            let station = if matches!(kind, Kind::Survey) { 15 } else { (g * per_group + k) % 15 };
            let code = format!("{gc}{}", k + 1);
            let _ = write!(
                toml,
                "[[indicator]]\ncode = \"{code}\"\nparent = \"{gc}\"\nname = \"{name}{}\"\nmax = {max}\nstation = \"S{:02}\"\n",
                k + 1,
                station + 1
            );
            let rule = match kind {
                Kind::Points => "rule = \"points\"\ndeduct = 1\n".to_string(),
                Kind::Items => "rule = \"points\"\nbase = \"zero\"\nitems = [{ code = \"a\", name = \"机制完善\", add = 2, cap = 4 }, { code = \"b\", name = \"违纪违法\", deduct = [1, 3] }]\n".to_string(),
                Kind::Linear => "rule = \"linear\"\nzero_at = 0.6\nfull_at = 1\n".to_string(),
                Kind::Grade => format!("rule = \"grade\"\ngrades = {{ \"优\" = {max}, \"良\" = {}, \"中\" = {}, \"差\" = 0 }}\n", max * 8 / 10, max / 2),
                Kind::Direct => "rule = \"direct\"\nmissing = \"full\"\n".to_string(),
                Kind::Survey => "rule = \"survey\"\nscale = [1, 5]\nanswers = { \"满意\" = 5, \"基本满意\" = 3, \"不满意\" = 1 }\nmissing = \"exclude\"\n".to_string(),
            };
            let _ = writeln!(toml, "{rule}");
            leaves.push(Leaf { code, kind, station, max });
        }
    }
    toml.push_str("[[indicator]]\ncode = \"V1\"\nname = \"发生重大腐败案件\"\nstation = \"S09\"\nrule = \"veto\"\ncap_total = 599\nlevel = \"red\"\n");
    (toml, leaves)
}

fn value(kind: Kind, max: u32, rng: &mut Rng) -> (Option<&'static str>, V) {
    match kind {
        Kind::Points => (None, if rng.below(3) == 0 { V::Blank } else { V::N(rng.below(3) as f64) }),
        Kind::Items => {
            if rng.below(2) == 0 {
                (Some("a"), V::Blank)
            } else {
                (Some("b"), V::N(1.0 + rng.below(3) as f64))
            }
        }
        Kind::Linear => (None, V::N(0.5 + rng.below(51) as f64 / 100.0)),
        Kind::Grade => (None, V::T(["优", "良", "中", "差"][rng.below(4)].to_string())),
        Kind::Direct => (None, V::N(rng.below(max as usize * 10 + 1) as f64 / 10.0)),
        Kind::Survey => (
            None,
            if rng.below(2) == 0 {
                V::T(["满意", "基本满意", "不满意"][rng.below(3)].to_string())
            } else {
                V::N(1.0 + rng.below(5) as f64)
            },
        ),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args();
    let mut rng = Rng(a.seed.max(1));
    let (toml, leaves) = indicator_set(a.leaves);
    std::fs::create_dir_all(a.out.join("stations"))?;
    std::fs::write(a.out.join("indicators.toml"), toml)?;
    std::fs::write(
        a.out.join("zhili.toml"),
        "indicators = \"indicators.toml\"\nroster = \"roster.xlsx\"\ndata = [\"stations/*.xlsx\"]\noutput = \"reports\"\n",
    )?;

    let units: Vec<String> = (0..a.units).map(|i| format!("U{:05}", i + 1)).collect();
    let mut roster = vec![vec![V::T("单位代码".into()), V::T("单位名称".into()), V::T("类别".into())]];
    for (i, u) in units.iter().enumerate() {
        let cat = if i % 2 == 0 { "town" } else { "dept" };
        roster.push(vec![V::T(u.clone()), V::T(format!("单位{}", i + 1)), V::T(cat.into())]);
    }
    std::fs::write(a.out.join("roster.xlsx"), workbook(vec![("单位", roster)])?)?;

    // Records spread over 16 stations × 4 quarters.
    let by_station: Vec<Vec<&Leaf>> = (0..16).map(|s| leaves.iter().filter(|l| l.station == s).collect()).collect();
    let mut books: Vec<Vec<Vec<V>>> = (0..64).map(|_| Vec::new()).collect();
    for i in 0..a.records {
        let st = loop {
            let s = rng.below(16);
            if !by_station[s].is_empty() {
                break s;
            }
        };
        let q = rng.below(4);
        let leaf = by_station[st][rng.below(by_station[st].len())];
        let unit = &units[rng.below(units.len())];
        let (item, v) = value(leaf.kind, leaf.max, &mut rng);
        let note = if i % 3 == 0 {
            V::Blank
        } else {
            // Thousands of distinct notes (24 × 24 × 8 = 4,608), as real stations write.
            V::T(format!("{}{}第{}项", SYLLABLES[rng.below(24)], SYLLABLES[rng.below(24)], rng.below(8) + 1))
        };
        let month = format!("2024-{:02}", q * 3 + 1 + rng.below(3));
        books[st * 4 + q].push(vec![
            V::T(month),
            V::T(unit.clone()),
            V::T(leaf.code.clone()),
            item.map(|s| V::T(s.into())).unwrap_or(V::Blank),
            v,
            note,
        ]);
    }
    for (i, rows) in books.into_iter().enumerate() {
        let (st, q) = (i / 4, i % 4 + 1);
        let mut data = vec![["期间", "单位代码", "指标代码", "事项", "数值", "说明"].map(|h| V::T(h.into())).to_vec()];
        data.extend(rows);
        let info = vec![
            vec![V::T("监测站".into()), V::T(format!("S{:02}", st + 1))],
            vec![V::T("期间".into()), V::T(format!("2024Q{q}"))],
        ];
        let name = format!("stations/S{:02}-2024Q{q}.xlsx", st + 1);
        std::fs::write(a.out.join(name), workbook(vec![("信息", info), ("数据", data)])?)?;
    }
    println!(
        "wrote {}: {} units, {} leaves, {} records in 64 station workbooks",
        a.out.display(),
        a.units,
        leaves.len(),
        a.records
    );
    Ok(())
}
