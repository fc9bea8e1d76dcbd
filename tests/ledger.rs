//! The 问题台账 over four quarters: every status, 逾期, recurrence, 整改未见效, people's cells carried
//! unchanged, refusals that leave the ledger untouched, and routing from the roster.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

/// A 100-point set: the total is the station's value for L plus 10 (M, a points leaf, never happens),
/// and A is the only first-level indicator, so A's and the total's levels move together.
static SET: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| format!("name = \"台账测试\"\n{DIRECT_SET}"));

fn project() -> Workdir {
    let wd = Workdir::new();
    wd.write("set.toml", SET.as_str());
    wd.write(
        "zhili.toml",
        "indicators = \"set.toml\"\nroster = \"roster.xlsx\"\ndata = [\"stations/*.xlsx\"]\nledger = \"台账.xlsx\"\n",
    );
    let head = ["单位代码", "单位名称", "类别", "分管领导", "监督单位"].map(t).to_vec();
    let unit = |c: &str, n: &str, l: &str, s: &str| vec![t(c), t(n), t("t"), t(l), t(s)];
    let rows = vec![
        head,
        unit("U1", "北马镇", "张副市长", "第一纪检监察室"),
        unit("U2", "芦头镇", "张副市长", "第二纪检监察室"),
        unit("U3", "石良镇", "李副市长", "第一纪检监察室"),
        unit("U4", "七甲镇", "李副市长", "第二纪检监察室"),
    ];
    wd.book("roster.xlsx", Book::new().sheet("单位", rows));
    wd
}

/// L per unit for a quarter: the total is L + 10.
fn quarter(wd: &Workdir, q: u8, values: &[(&str, f64)]) {
    let rows = values.iter().map(|(u, v)| vec![C::Blank, t(u), t("L"), C::Blank, n(*v)]).collect();
    wd.book(&format!("stations/S-2024Q{q}.xlsx"), Book::station("S", &format!("2024Q{q}"), rows));
}

fn score(wd: &Workdir, q: u8) -> Run {
    let period = format!("2024Q{q}");
    wd.run_with(
        &["score", "--period", &period, "--json", "r.json", "--out", "r.xlsx"],
        &[("SOURCE_DATE_EPOCH", "1736899200")],
    )
}

type Grid = Vec<Vec<Data>>;
/// A person's edit of the ledger: its table, and its other sheets.
type Edit = Box<dyn Fn(&mut Grid, &mut Vec<(String, Grid)>)>;

fn grid(bytes: &[u8], sheet: &str) -> Grid {
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = x.worksheet_range(sheet).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

fn col(g: &Grid, name: &str) -> usize {
    g[0].iter().position(|h| text(h) == name).unwrap_or_else(|| panic!("no column {name}"))
}

/// The row of a problem number.
fn row<'a>(g: &'a Grid, id: &str) -> &'a Vec<Data> {
    g.iter().find(|r| text(&r[0]) == id).unwrap_or_else(|| panic!("no row {id}"))
}

fn cell(g: &Grid, id: &str, column: &str) -> String {
    text(row(g, id).get(col(g, column)).unwrap_or(&Data::Empty))
}

/// Rewrites the ledger the way a person saving it from Excel would: every value as it was, then `edit`.
fn edit(wd: &Workdir, edit: impl FnOnce(&mut Grid, &mut Vec<(String, Grid)>)) {
    let bytes = wd.read("台账.xlsx");
    let mut ledger = grid(&bytes, "问题台账");
    let mut others = vec![("台账说明".to_string(), grid(&bytes, "台账说明"))];
    edit(&mut ledger, &mut others);
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, g) in std::iter::once(("问题台账".to_string(), ledger)).chain(others) {
        let ws = wb.add_worksheet();
        ws.set_name(&name).unwrap();
        for (r, cells) in g.iter().enumerate() {
            for (c, d) in cells.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match d {
                    Data::String(s) => ws.write_string(r, c, s).map(|_| ()),
                    Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                    Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
                    Data::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                    Data::DateTime(dt) => ws.write_number_with_format(r, c, dt.as_f64(), &date).map(|_| ()),
                    _ => Ok(()),
                }
                .unwrap();
            }
        }
    }
    wd.write("台账.xlsx", wb.save_to_buffer().unwrap());
}

/// Sets people's cells of a problem's row.
fn set(g: &mut Grid, id: &str, column: &str, value: Data) {
    let c = col(g, column);
    let r = g.iter().position(|r| text(&r[0]) == id).unwrap_or_else(|| panic!("no row {id}"));
    if g[r].len() <= c {
        g[r].resize(c + 1, Data::Empty);
    }
    g[r][c] = value;
}

fn date(serial: f64) -> Data {
    Data::DateTime(calamine::ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, false))
}

#[test]
fn four_quarters_of_follow_up() {
    let wd = project();
    // Q1 totals: U1 95 (none), U2 50 (red), U3 85 (blue), U4 75 (yellow).
    quarter(&wd, 1, &[("U1", 85.0), ("U2", 40.0), ("U3", 75.0), ("U4", 65.0)]);
    score(&wd, 1).status(0).stdout_has("已更新问题台账: 台账.xlsx (在办 6 项,逾期 0 项)");
    assert!(!wd.exists("台账.备份-20250115-080000.xlsx"), "a new ledger has nothing to back up");
    let g = grid(&wd.read("台账.xlsx"), "问题台账");
    // Two problems per warned unit (A and the total), each 新增 with its number.
    let ids: Vec<String> = g[1..].iter().map(|r| text(&r[0])).collect();
    assert_eq!(
        ids,
        ["U2-A-2024Q1", "U2-total-2024Q1", "U3-A-2024Q1", "U3-total-2024Q1", "U4-A-2024Q1", "U4-total-2024Q1"]
    );
    assert!(g[1..].iter().all(|r| text(&r[col(&g, "状态")]) == "新增"));
    assert_eq!(cell(&g, "U2-total-2024Q1", "首次等级"), "红色预警");
    assert_eq!(cell(&g, "U2-total-2024Q1", "最新得分"), "50");
    // Routing from the roster.
    assert_eq!(
        (cell(&g, "U3-A-2024Q1", "分管领导"), cell(&g, "U3-A-2024Q1", "监督单位")),
        ("李副市长".into(), "第一纪检监察室".into())
    );

    // People fill in their columns: U3 says it is done (it is not: still blue in Q2 → 整改未见效);
    // U4 is 整改中 with a deadline of 2024-05-31 (45443), before Q2 ends → 逾期; U2 gets awkward values.
    let formula_like = Data::String("=HYPERLINK(\"http://x\",\"点我\")".into());
    let long = Data::String("整改".repeat(600));
    let tricky = Data::Float(0.1 + 0.2);
    edit(&wd, |g, _| {
        set(g, "U3-A-2024Q1", "整改状态", Data::String("已整改".into()));
        set(g, "U4-total-2024Q1", "整改状态", Data::String("整改中".into()));
        set(g, "U4-total-2024Q1", "整改期限", date(45443.0));
        set(g, "U2-total-2024Q1", "责任人", formula_like.clone());
        set(g, "U2-total-2024Q1", "整改措施", long.clone());
        set(g, "U2-total-2024Q1", "整改反馈", tricky.clone());
        set(g, "U2-total-2024Q1", "回访情况", Data::Bool(true));
        set(g, "U2-total-2024Q1", "销号日期", date(45400.5));
        // A column people added, and rows re-sorted: both fine.
        let c = g[0].len();
        g[0].push(Data::String("备注 (办公室)".into()));
        for r in g.iter_mut().skip(1) {
            r.resize(c + 1, Data::Empty);
            r[c] = Data::String(format!("备注{}", text(&r[0])));
        }
        g[1..].reverse();
    });

    // Q2: U1 85 (blue, new), U2 75 (yellow: de-escalated), U3 85 (blue, persisting), U4 75 (yellow).
    quarter(&wd, 2, &[("U1", 75.0), ("U2", 65.0), ("U3", 75.0), ("U4", 65.0)]);
    score(&wd, 2).status(0);
    assert!(wd.exists("台账.备份-20250115-080000.xlsx"), "the previous ledger is kept beside it");
    let g = grid(&wd.read("台账.xlsx"), "问题台账");
    let status = |id: &str| cell(&g, id, "状态");
    assert_eq!(status("U1-total-2024Q2"), "新增");
    assert_eq!(status("U2-total-2024Q1"), "降级");
    assert_eq!((status("U3-A-2024Q1"), cell(&g, "U3-A-2024Q1", "提示")), ("持续".into(), "整改未见效".into()));
    assert_eq!((status("U4-total-2024Q1"), cell(&g, "U4-total-2024Q1", "逾期")), ("持续".into(), "逾期".into()));
    assert_eq!(cell(&g, "U4-A-2024Q1", "逾期"), "", "no deadline, not overdue");
    // People's cells, byte for byte; the added column kept with its values.
    let people = |id: &str, c: &str| row(&g, id)[col(&g, c)].clone();
    assert_eq!(people("U2-total-2024Q1", "责任人"), formula_like);
    assert_eq!(people("U2-total-2024Q1", "整改措施"), long);
    assert_eq!(people("U2-total-2024Q1", "整改反馈"), tricky);
    assert_eq!(people("U2-total-2024Q1", "回访情况"), Data::Bool(true));
    match people("U2-total-2024Q1", "销号日期") {
        Data::DateTime(dt) => assert_eq!(dt.as_f64(), 45400.5),
        other => panic!("not a date: {other:?}"),
    }
    assert_eq!(cell(&g, "U3-A-2024Q1", "备注 (办公室)"), "备注U3-A-2024Q1");
    // The formula-looking text is still text in the file, never a formula.
    let xml = {
        let mut z = zip::ZipArchive::new(Cursor::new(wd.read("台账.xlsx"))).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut s).unwrap();
        s
    };
    assert!(!xml.contains("<f>"), "no formula in the ledger");

    // U2 is marked 已整改; Q3: U2 95 (gone → 已销号), U3 95 (gone, still marked → 已销号), U1 50 (red: 升级),
    // U4 95 (gone, 整改中 → 已解除).
    edit(&wd, |g, _| set(g, "U2-total-2024Q1", "整改状态", Data::String("已整改".into())));
    quarter(&wd, 3, &[("U1", 40.0), ("U2", 85.0), ("U3", 85.0), ("U4", 85.0)]);
    score(&wd, 3).status(0);
    let g = grid(&wd.read("台账.xlsx"), "问题台账");
    let status = |id: &str| cell(&g, id, "状态");
    assert_eq!(status("U1-total-2024Q2"), "升级");
    assert_eq!(status("U2-total-2024Q1"), "已销号");
    assert_eq!(status("U2-A-2024Q1"), "已解除", "A was never marked 已整改");
    assert_eq!(status("U3-A-2024Q1"), "已销号");
    assert_eq!((status("U4-total-2024Q1"), cell(&g, "U4-total-2024Q1", "最新等级")), ("已解除".into(), "无".into()));
    // Gone from the scores but not 已整改 by its deadline: still 逾期 (only people close an item).
    assert_eq!(cell(&g, "U4-total-2024Q1", "逾期"), "逾期");

    // Q4: U2 85 again (blue): its closed total comes back as a new row citing the old one;
    // its A, resolved but never closed, recurs on the same row.
    quarter(&wd, 4, &[("U1", 40.0), ("U2", 75.0), ("U3", 85.0), ("U4", 85.0)]);
    score(&wd, 4).status(0);
    let g = grid(&wd.read("台账.xlsx"), "问题台账");
    let status = |id: &str| cell(&g, id, "状态");
    assert_eq!(status("U2-total-2024Q4"), "复发");
    assert_eq!(
        (cell(&g, "U2-total-2024Q4", "原问题编号"), cell(&g, "U2-total-2024Q4", "复发次数")),
        ("U2-total-2024Q1".into(), "1".into())
    );
    assert_eq!(status("U2-total-2024Q1"), "已销号", "the closed row stays closed");
    assert_eq!(status("U2-A-2024Q1"), "复发");
    assert_eq!(status("U1-total-2024Q2"), "持续");
    // Every update is recorded.
    let info = grid(&wd.read("台账.xlsx"), "台账说明");
    let updates: Vec<String> = info.iter().filter(|r| text(&r[0]) == "更新").map(|r| text(&r[1])).collect();
    assert_eq!(updates, ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]);
}

#[test]
fn refusals_leave_the_ledger_untouched() {
    let wd = project();
    quarter(&wd, 1, &[("U1", 85.0), ("U2", 40.0), ("U3", 75.0), ("U4", 65.0)]);
    quarter(&wd, 2, &[("U1", 85.0), ("U2", 40.0), ("U3", 75.0), ("U4", 65.0)]);
    quarter(&wd, 3, &[("U1", 85.0), ("U2", 40.0), ("U3", 75.0), ("U4", 65.0)]);
    score(&wd, 2).status(0);
    let before = wd.read("台账.xlsx");
    let report = wd.read("r.xlsx");
    let untouched = |wd: &Workdir| {
        assert_eq!(wd.read("台账.xlsx"), before, "the ledger is untouched");
        assert_eq!(wd.read("r.xlsx"), report, "and no other output was written");
    };
    // An older window, the same window, another set: refused, nothing written.
    score(&wd, 1).status(1).stderr_has("台账已更新到 2024Q2,本次期间 2024Q1 不在它之后");
    untouched(&wd);
    score(&wd, 2).status(1).stderr_has("请先用备份文件恢复台账");
    untouched(&wd);
    wd.write("set.toml", SET.replace("name = \"台账测试\"", "name = \"别的体系\""));
    score(&wd, 3).status(1).stderr_has("不同指标体系");
    wd.write("set.toml", SET.as_str());

    // Bad edits, each with the cell to fix; the ledger stays as the person left it.
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "renamed header",
            Box::new(|g, _| {
                let c = col(g, "整改状态");
                g[0][c] = Data::String("进度".into())
            }),
            "表头 (第 1 行) 缺少“整改状态”列",
        ),
        (
            "deleted header",
            Box::new(|g, _| {
                let c = col(g, "最新等级");
                for r in g.iter_mut() {
                    r.remove(c);
                }
            }),
            "缺少“最新等级”列",
        ),
        (
            "changed number",
            Box::new(|g, _| g[1][0] = Data::String("U2-A-2023Q1".into())),
            "第 2 行: 问题编号“U2-A-2023Q1” (A2) 与本行的单位代码“U2” (B2)",
        ),
        (
            "duplicated",
            Box::new(|g, _| {
                let r = g[1].clone();
                g.push(r);
            }),
            "问题编号“U2-A-2024Q2”与第 2 行重复",
        ),
        (
            "text date",
            Box::new(|g, _| set(g, "U2-A-2024Q2", "整改期限", Data::String("2025年3月底".into()))),
            "整改期限“2025年3月底”不是日期",
        ),
        (
            "bad progress",
            Box::new(|g, _| set(g, "U2-A-2024Q2", "整改状态", Data::String("差不多了".into()))),
            "整改状态“差不多了”无效",
        ),
        (
            "extra sheet",
            Box::new(|_, others| others.push(("草稿".into(), vec![vec![Data::String("x".into())]]))),
            "不认识的工作表「草稿」",
        ),
        (
            "header twice",
            Box::new(|g, _| {
                let c = g[0].len();
                g[0].push(Data::String("整改状态".into()));
                g[1].resize(c + 1, Data::Empty);
                g[1][c] = Data::String("已整改".into());
            }),
            "“整改状态”出现了两次",
        ),
        (
            "deleted row",
            Box::new(|g, _| {
                g.remove(1);
            }),
            "少了问题“U2-A-2024Q2”的一行",
        ),
        (
            "row without a number",
            Box::new(|g, _| {
                let c = col(g, "责任人");
                let mut r = vec![Data::Empty; c + 1];
                r[c] = Data::String("张三".into());
                g.push(r);
            }),
            "有内容,但没有问题编号",
        ),
        (
            "renamed, pointed at",
            Box::new(|g, _| {
                let c = col(g, "责任人");
                g[0][c] = Data::String("负责人".into());
            }),
            "不认识的列 “负责人” (T1)",
        ),
    ];
    for (what, change, message) in cases {
        wd.write("台账.xlsx", &before);
        edit(&wd, change);
        let edited = wd.read("台账.xlsx");
        let r = score(&wd, 3);
        r.status(1);
        assert!(r.stderr.contains(message), "{what}: {}", r.stderr);
        assert!(r.stderr.contains("台账没有改动"), "{what}");
        assert_eq!(wd.read("台账.xlsx"), edited, "{what}: the ledger is as the person left it");
    }
}

#[test]
fn a_run_killed_while_writing_leaves_a_whole_ledger() {
    let wd = project();
    quarter(&wd, 1, &[("U1", 85.0), ("U2", 40.0), ("U3", 75.0), ("U4", 65.0)]);
    quarter(&wd, 2, &[("U1", 75.0), ("U2", 65.0), ("U3", 75.0), ("U4", 65.0)]);
    score(&wd, 1).status(0);
    let before = wd.read("台账.xlsx");
    // Kill the Q2 update at ever later moments: the ledger is always either the old file or the new one.
    for delay_ms in (0..60).step_by(4) {
        wd.write("台账.xlsx", &before);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zhili"))
            .args(["score", "--period", "2024Q2", "--quiet"])
            .current_dir(wd.path())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = wd.read("台账.xlsx");
        if now != before {
            let g = grid(&now, "问题台账");
            assert!(g.iter().any(|r| text(&r[0]) == "U1-total-2024Q2"), "after {delay_ms} ms: a whole new ledger");
        }
    }
}

#[test]
fn the_report_routes_warned_units_to_leaders_and_supervisors() {
    let wd = project();
    // Totals: U1 95 (none), U2 50 (red), U3 85 (blue), U4 75 (yellow).
    quarter(&wd, 1, &[("U1", 85.0), ("U2", 40.0), ("U3", 75.0), ("U4", 65.0)]);
    score(&wd, 1).status(0);
    let g = grid(&wd.read("r.xlsx"), "转办清单");
    let got: Vec<(String, String, String, String)> =
        g[1..].iter().map(|r| (text(&r[0]), text(&r[1]), text(&r[2]), text(&r[9]))).collect();
    let want = [
        ("分管领导", "张副市长", "U2", "建议书"),
        ("分管领导", "李副市长", "U4", "通知书"),
        ("分管领导", "李副市长", "U3", "约谈"),
        ("监督单位", "第一纪检监察室", "U3", "约谈"),
        ("监督单位", "第二纪检监察室", "U2", "建议书"),
        ("监督单位", "第二纪检监察室", "U4", "通知书"),
    ]
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()));
    assert_eq!(got, want);
    // Without routing columns in the roster, no such sheet.
    wd.book(
        "roster.xlsx",
        Book::roster(&[("U1", "北马镇", "t"), ("U2", "芦头镇", "t"), ("U3", "石良镇", "t"), ("U4", "七甲镇", "t")]),
    );
    std::fs::remove_file(wd.join("台账.xlsx")).unwrap();
    score(&wd, 1).status(0);
    let x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read("r.xlsx"))).unwrap();
    assert!(!x.sheet_names().contains(&"转办清单".to_string()));
}

/// A small deterministic generator (xorshift64*), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A value a person might leave in a people's column.
fn random_value(rng: &mut Rng, column: &str) -> Data {
    let dates = ["整改期限", "销号日期"];
    if dates.contains(&column) {
        return match rng.below(3) {
            0 => Data::Empty,
            // Whole days and times of day, 2020–2030.
            _ => date(43831.0 + rng.below(3650) as f64 + (rng.below(4) as f64) / 4.0),
        };
    }
    if column == "整改状态" {
        return match rng.below(4) {
            0 => Data::Empty,
            k => Data::String(["未整改", "整改中", "已整改"][k as usize - 1].into()),
        };
    }
    match rng.below(7) {
        0 => Data::Empty,
        1 => Data::String(format!("={}+SUM(A1:A{})", rng.below(100), rng.below(100))),
        2 => Data::String("整改措施第一条;\n第二条 ".repeat(1 + rng.below(300) as usize)),
        3 => loop {
            let f = f64::from_bits(rng.next());
            if f.is_finite() && f.abs() < 1e300 && f.abs() > 1e-300 {
                break Data::Float(f);
            }
        },
        4 => Data::Bool(rng.below(2) == 1),
        5 => Data::String(format!("  前后有空格 {}  ", rng.below(1000))),
        _ => Data::String(format!("李{}", rng.below(100))),
    }
}

#[test]
fn random_people_values_survive_four_quarters() {
    let people = ["责任人", "整改措施", "整改期限", "整改状态", "整改反馈", "回访情况", "销号日期"];
    let values = [
        [("U1", 85.0), ("U2", 40.0), ("U3", 75.0), ("U4", 65.0)],
        [("U1", 75.0), ("U2", 65.0), ("U3", 75.0), ("U4", 65.0)],
        [("U1", 40.0), ("U2", 85.0), ("U3", 85.0), ("U4", 85.0)],
        [("U1", 40.0), ("U2", 75.0), ("U3", 70.0), ("U4", 50.0)],
    ];
    for seed in [7u64, 2024, 99991] {
        let wd = project();
        let mut rng = Rng(seed);
        let mut expected: Vec<(String, String, Data)> = Vec::new();
        for (q, v) in values.iter().enumerate() {
            let q = q as u8 + 1;
            quarter(&wd, q, v);
            score(&wd, q).status(0);
            // What people wrote last time is still there, exactly.
            let g = grid(&wd.read("台账.xlsx"), "问题台账");
            for (id, column, want) in &expected {
                let got = row(&g, id).get(col(&g, column)).cloned().unwrap_or(Data::Empty);
                let same = match (&got, want) {
                    (Data::DateTime(a), Data::DateTime(b)) => a.as_f64() == b.as_f64(),
                    (Data::Float(a), Data::Float(b)) => a.to_bits() == b.to_bits(),
                    (a, b) => a == b,
                };
                assert!(same, "seed {seed}, Q{q}: {id} {column}: {got:?} ≠ {want:?}");
            }
            // Then they write new values everywhere.
            expected.clear();
            edit(&wd, |g, _| {
                let ids: Vec<String> = g[1..].iter().map(|r| text(&r[0])).collect();
                for id in ids {
                    for column in people {
                        let v = random_value(&mut rng, column);
                        set(g, &id, column, v.clone());
                        expected.push((id.clone(), column.to_string(), v));
                    }
                }
            });
        }
    }
}

#[test]
fn deductions_above_a_threshold_are_tracked_too() {
    let wd = project();
    // U2: L = 40 of 90 → lost 50; then 65 → lost 25; then 85 → lost 5 (under the threshold of 20).
    quarter(&wd, 1, &[("U1", 85.0), ("U2", 40.0), ("U3", 85.0), ("U4", 85.0)]);
    quarter(&wd, 2, &[("U1", 85.0), ("U2", 65.0), ("U3", 85.0), ("U4", 85.0)]);
    quarter(&wd, 3, &[("U1", 85.0), ("U2", 85.0), ("U3", 85.0), ("U4", 85.0)]);
    let run = |q: u8| {
        let period = format!("2024Q{q}");
        wd.run_with(
            &["score", "--period", &period, "-q", "--ledger-min-loss", "20"],
            &[("SOURCE_DATE_EPOCH", "1736899200")],
        )
    };
    run(1).status(0);
    let g = grid(&wd.read("台账.xlsx"), "问题台账");
    assert_eq!(
        (cell(&g, "U2-L-2024Q1", "问题类型"), cell(&g, "U2-L-2024Q1", "最新等级"), cell(&g, "U2-L-2024Q1", "最新得分")),
        ("扣分点".into(), "失分 50.00".into(), "40".into())
    );
    assert!(!g.iter().any(|r| text(&r[0]).starts_with("U1-L")), "U1 lost only 10");
    run(2).status(0);
    let g = grid(&wd.read("台账.xlsx"), "问题台账");
    assert_eq!(
        (cell(&g, "U2-L-2024Q1", "状态"), cell(&g, "U2-L-2024Q1", "最新等级")),
        ("持续".into(), "失分 25.00".into())
    );
    run(3).status(0);
    let g = grid(&wd.read("台账.xlsx"), "问题台账");
    assert_eq!(cell(&g, "U2-L-2024Q1", "状态"), "已解除");
    // The threshold only means something with a ledger, and must be positive.
    wd.write("zhili.toml", "indicators = \"set.toml\"\nroster = \"roster.xlsx\"\ndata = [\"stations/*.xlsx\"]\n");
    wd.run(&["score", "--period", "2024Q3", "-q", "--ledger-min-loss", "5"])
        .status(1)
        .stderr_has("请同时给出 --ledger");
    wd.run(&["score", "--period", "2024Q3", "-q", "--ledger", "x.xlsx", "--ledger-min-loss", "0"])
        .status(1)
        .stderr_has("必须大于 0");
}

#[test]
fn history_lists_a_units_results_and_ledger_items() {
    let wd = project();
    wd.write(
        "zhili.toml",
        "indicators = \"set.toml\"\nroster = \"roster.xlsx\"\ndata = [\"stations/*.xlsx\"]\nledger = \"台账.xlsx\"\noutput = \"out\"\n",
    );
    quarter(&wd, 1, &[("U1", 85.0), ("U2", 40.0), ("U3", 75.0), ("U4", 65.0)]);
    quarter(&wd, 2, &[("U1", 75.0), ("U2", 65.0), ("U3", 75.0), ("U4", 65.0)]);
    for q in ["2024Q1", "2024Q2"] {
        wd.run_with(&["score", "--period", q, "-q"], &[("SOURCE_DATE_EPOCH", "1736899200")]).status(0);
    }
    // By name, with a workbook.
    let r = wd.run(&["history", "芦头镇", "--out", "h.xlsx"]);
    r.status(0).stdout_has("芦头镇 (U2) 的历次评价: 2 期").stdout_has("问题台账中的问题: 2 项");
    let results = grid(&wd.read("h.xlsx"), "历次评价");
    let got: Vec<(String, String, String)> =
        results[1..].iter().map(|r| (text(&r[0]), text(&r[2]), text(&r[3]))).collect();
    // Totals L + 10: 50 (red), then 75 (yellow).
    assert_eq!(
        got,
        [("2024Q1".into(), "50".into(), "红色预警".into()), ("2024Q2".into(), "75".into(), "黄色预警".into())]
    );
    let items = grid(&wd.read("h.xlsx"), "台账问题");
    let ids: Vec<String> = items[1..].iter().map(|r| format!("{} {}", text(&r[0]), text(&r[6]))).collect();
    assert_eq!(ids, ["U2-A-2024Q1 降级", "U2-total-2024Q1 降级"]);
    // An unknown unit is an error naming it.
    wd.run(&["history", "U9"]).status(1).stderr_has("都没有单位“U9”");
}
