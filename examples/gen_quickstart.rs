//! Regenerates the workbooks of `examples/quickstart/` (roster and three station workbooks).
//!
//! Run: `cargo run --example gen_quickstart`. The output is byte-identical
//! on every run (fixed document creation time), so the committed files only
//! change when this program does. The data are invented; a few rows are
//! deliberately wrong so that `zhili score` shows its data-problem report.

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use support::{V, book, info, t};

/// `T("…")` for text, `N(…)` for numbers, `Blank`.
#[allow(non_snake_case)]
fn T(s: &str) -> V {
    t(s)
}
use V::{Blank, N};

const UNITS: [(&str, &str, &str); 8] = [
    ("T01", "北马镇", "镇街区"),
    ("T02", "黄山馆镇", "镇街区"),
    ("T03", "龙港街道", "镇街区"),
    ("T04", "东莱街道", "镇街区"),
    ("D01", "市财政局", "dept"),
    ("D02", "市教育局", "dept"),
    ("D03", "市住建局", "dept"),
    ("D04", "市审批局", "dept"),
];

fn roster() -> Vec<Vec<V>> {
    let mut rows = vec![vec![T("单位代码"), T("单位名称"), T("类别")]];
    rows.extend(UNITS.iter().map(|(c, n, k)| vec![T(c), T(n), T(k)]));
    rows
}

/// 组织部: A1 events, A2 coverage rates, B2 grades, D1/D2 third-party scores.
fn s01() -> Vec<Vec<V>> {
    let mut rows = vec![
        vec![T("示范县组织部 2024年第一季度 清廉单元考评数据")],
        vec![],
        vec![T("期间"), T("单位代码"), T("单位名称"), T("指标代码"), T("事项"), T("数值"), T("说明")],
        vec![Blank, T("T02"), T("黄山馆镇"), T("A1"), Blank, N(1.0), T("3月未按要求开展第一议题学习")],
        vec![Blank, T("T03"), T("龙港街道"), T("A1"), Blank, N(2.0), T("1月、2月各一次")],
        vec![Blank, T("D03"), T("市住建局"), T("A1"), Blank, Blank, T("留空表示 1 次")],
        vec![Blank, T("U99"), T("?"), T("A1"), Blank, N(1.0), T("错误示例: 名册中没有 U99")],
        vec![T("2024-05"), T("T04"), T("东莱街道"), T("A1"), Blank, N(1.0), T("错误示例: 5 月不在本季度")],
    ];
    let rates: [(&str, V); 8] = [
        ("北马镇", N(0.95)),
        ("T02", T("88%")),
        ("T03", N(1.0)),
        ("T04", N(0.9)),
        ("D01", N(0.97)),
        ("D02", N(0.8)),
        ("D03", N(0.7)),
        ("D04", T("92%")),
    ];
    for (unit, v) in rates {
        rows.push(vec![Blank, T(unit), Blank, T("A2"), Blank, v, Blank]);
    }
    let grades = [
        ("T01", "优"),
        ("T02", "良"),
        ("T03", "中"),
        ("T04", "优"),
        ("D01", "优"),
        ("D02", "良"),
        ("D03", "差"),
        ("D04", "很好"),
    ];
    for (unit, g) in grades {
        rows.push(vec![Blank, T(unit), Blank, T("B2"), Blank, T(g), Blank]);
    }
    for (unit, ind, v) in [
        ("T01", "D1", N(14.0)),
        ("T02", "D1", N(12.5)),
        ("T03", "D1", N(11.0)),
        ("T04", "D1", N(16.0)),
        ("D01", "D2", N(14.0)),
        ("D02", "D2", N(13.0)),
        ("D04", "D2", N(15.0)),
    ] {
        rows.push(vec![Blank, T(unit), Blank, T(ind), Blank, v, T("第三方评估")]);
    }
    rows
}

/// 信访室: monthly complaint counts (B1), internal-control items (A3), a veto.
fn s02() -> Vec<Vec<V>> {
    let mut rows = vec![vec![T("期间"), T("单位代码"), T("指标代码"), T("事项"), T("数值"), T("说明")]];
    let counts: [(&str, [f64; 3]); 7] = [
        ("T01", [0.0, 1.0, 0.0]),
        ("T02", [2.0, 1.0, 1.0]),
        ("T03", [3.0, 2.0, 4.0]),
        ("T04", [0.0, 0.0, 0.0]),
        ("D01", [1.0, 0.0, 0.0]),
        ("D02", [0.0, 1.0, 1.0]),
        ("D03", [4.0, 3.0, 2.0]),
    ];
    const MONTHS: [&str; 3] = ["2024-01", "2024-02", "2024-03"];
    for (unit, by_month) in counts {
        for (m, n) in MONTHS.iter().zip(by_month) {
            rows.push(vec![T(m), T(unit), T("B1"), Blank, N(n), Blank]);
        }
    }
    for (unit, item, v) in [
        ("T01", "a", Blank),
        ("T01", "b", Blank),
        ("T01", "b", Blank),
        ("T02", "a", Blank),
        ("T02", "c", N(1.0)),
        ("T03", "b", Blank),
        ("T04", "a", Blank),
        ("T04", "b", N(3.0)),
        ("D01", "a", Blank),
        ("D01", "b", Blank),
        ("D02", "a", Blank),
        ("D03", "c", N(3.0)),
        ("D03", "c", N(2.0)),
        ("D04", "a", Blank),
        ("D04", "b", Blank),
    ] {
        rows.push(vec![T("2024Q1"), T(unit), T("A3"), T(item), v, Blank]);
    }
    rows.push(vec![T("2024-02"), T("D03"), T("V1"), Blank, Blank, T("查处重大腐败案件 1 起")]);
    rows.push(vec![T("2024-03"), T("T01"), T("A2"), Blank, N(0.5), T("错误示例: A2 由组织部采集")]);
    rows
}

/// 群众问卷: one row per answer.
fn s03() -> Vec<Vec<V>> {
    let mut rows = vec![vec![T("单位代码"), T("指标代码"), T("数值")]];
    let answers: [(&str, &[V]); 8] = [
        ("T01", &[T("满意"), T("满意"), T("比较满意"), N(5.0)]),
        ("T02", &[T("一般"), T("比较满意"), T("满意"), N(4.0), N(3.0)]),
        ("T03", &[T("不满意"), T("一般"), T("一般"), N(2.0)]),
        ("T04", &[T("满意"), T("满意"), T("满意"), T("比较满意")]),
        ("D01", &[T("满意"), T("比较满意"), T("比较满意")]),
        ("D02", &[T("一般"), T("满意"), T("非常满意"), N(4.0)]),
        ("D03", &[T("不满意"), T("不满意"), T("一般")]),
        ("D04", &[T("满意"), T("满意")]),
    ];
    for (unit, list) in answers {
        for a in list {
            rows.push(vec![T(unit), T("C1"), a.clone()]);
        }
    }
    rows
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart");
    std::fs::create_dir_all(dir.join("stations"))?;
    let files: [(&str, Vec<u8>); 4] = [
        ("单位名册.xlsx", book(vec![("单位", roster())])?),
        ("stations/S01-组织部.xlsx", book(vec![info("S01", "2024Q1"), ("数据", s01())])?),
        ("stations/S02-信访室.xlsx", book(vec![info("信访室", "2024年第一季度"), ("数据", s02())])?),
        ("stations/S03-群众问卷.xlsx", book(vec![info("S03", "2024Q1"), ("数据", s03())])?),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes)?;
        println!("wrote examples/quickstart/{name}");
    }
    Ok(())
}
