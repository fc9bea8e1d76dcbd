//! 摘要, the report's first sheet: its statistics are recomputed here from the JSON result, independently of
//! the code that wrote them, and its 核心结论 are read back.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use std::io::Cursor;

fn rows(bytes: &[u8], sheet: &str) -> Vec<Vec<Data>> {
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = x.worksheet_range(sheet).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut out = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut v = vec![Data::Empty; c0 as usize];
        v.extend(row.iter().cloned());
        out.push(v);
    }
    out
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

/// A cell as a decimal at `dp` places (cells hold f64; every number here has at most 4 places).
fn dec(d: &Data, dp: u32) -> Decimal {
    match d {
        Data::Float(f) => <Decimal as rust_decimal::prelude::FromPrimitive>::from_f64(*f).unwrap().round_dp(dp),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("not a number: {other:?}"),
    }
}

fn json_dec(v: &serde_json::Value) -> Decimal {
    v.to_string().parse().unwrap()
}

fn half_up(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// The rows of the table under a section heading: its header, then rows until a blank row or the next heading.
fn section(sheet: &[Vec<Data>], heading: &str) -> Vec<Vec<Data>> {
    let at = sheet
        .iter()
        .position(|r| r.first().map(text).is_some_and(|t| t.starts_with(heading)))
        .unwrap_or_else(|| panic!("no section {heading}"));
    sheet[at + 1..].iter().take_while(|r| r.iter().any(|c| !text(c).is_empty())).cloned().collect()
}

fn longkou() -> Workdir {
    let wd = Workdir::new();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    let env = [("SOURCE_DATE_EPOCH", "1735689600")];
    wd.run_with(&["score", &dir, "--period", "2024Q3", "--quiet", "--json", "q3.json", "--out", "q3.xlsx"], &env);
    let args = ["score", &dir, "--period", "2024Q4", "--quiet", "--json", "q4.json", "--out", "q4.xlsx"];
    let mut args = args.to_vec();
    args.extend(["--previous", "q3.json", "--per-unit", "pu"]);
    wd.run_with(&args, &env).status(3);
    wd
}

#[test]
fn brief_statistics_equal_those_recomputed_from_the_json() {
    let wd = longkou();
    let json = wd.json("q4.json");
    let sheet = rows(&wd.read("q4.xlsx"), "摘要");

    // By hand from the JSON: per category, the totals and the levels of the totals.
    #[derive(Default)]
    struct Acc {
        units: usize,
        totals: Vec<Decimal>,
        levels: BTreeMap<String, usize>,
        vetoed: usize,
    }
    let mut by: BTreeMap<String, Acc> = BTreeMap::new();
    for u in json["units"].as_array().unwrap() {
        let name = match u["category"].as_str().unwrap() {
            "town" => "镇街区",
            "dept" => "市直部门",
            other => panic!("category {other}"),
        };
        for key in [name, "全部"] {
            let a = by.entry(key.to_string()).or_default();
            a.units += 1;
            a.vetoed += usize::from(!u["vetoed"].as_array().unwrap().is_empty());
            if !u["total"].is_null() {
                a.totals.push(json_dec(&u["total"]));
                *a.levels.entry(u["level"].as_str().unwrap_or("none").to_string()).or_default() += 1;
            }
        }
    }
    let table = section(&sheet, "二、");
    let head: Vec<String> = table[0].iter().map(text).collect();
    assert_eq!(
        head[..12],
        [
            "类别",
            "单位数",
            "参评单位",
            "平均分",
            "中位数",
            "最低分",
            "最高分",
            "红色预警",
            "黄色预警",
            "蓝色预警",
            "无预警",
            "一票否决"
        ]
    );
    assert_eq!(table.len(), 4, "two categories and 全部");
    for row in &table[1..] {
        let name = text(&row[0]);
        let a = &by[&name];
        let mut t = a.totals.clone();
        t.sort();
        let n = t.len();
        let mean = half_up(t.iter().sum::<Decimal>() / Decimal::from(n), 2);
        let median = if n % 2 == 1 { t[n / 2] } else { half_up((t[n / 2 - 1] + t[n / 2]) / Decimal::TWO, 2) };
        let got: Vec<Decimal> = row[1..12].iter().map(|c| dec(c, 6).normalize()).collect();
        let level = |l: &str| Decimal::from(a.levels.get(l).copied().unwrap_or(0));
        let want = [
            Decimal::from(a.units),
            Decimal::from(n),
            mean,
            median,
            t[0],
            t[n - 1],
            level("red"),
            level("yellow"),
            level("blue"),
            level("none"),
            Decimal::from(a.vetoed),
        ];
        let want: Vec<Decimal> = want.iter().map(|d| d.normalize()).collect();
        assert_eq!(got, want, "{name}");
    }
    assert_eq!(by["全部"].units, 54);

    // First-level indicators: Σ score / (full marks × units), lowest first.
    let method = rows(&wd.read("q4.xlsx"), "指标体系");
    let firsts: Vec<(String, Decimal)> = method[1..]
        .iter()
        .filter(|r| text(&r[3]) == "1" && !matches!(r[4], Data::Empty))
        .map(|r| (text(&r[0]), dec(&r[4], 2)))
        .collect();
    let mut want: Vec<(Decimal, String)> = firsts
        .iter()
        .map(|(code, max)| {
            let scores: Vec<Decimal> = json["units"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|u| !u["scores"][code].is_null())
                .map(|u| json_dec(&u["scores"][code]))
                .collect();
            let rate = scores.iter().sum::<Decimal>() / (*max * Decimal::from(scores.len()));
            (half_up(rate, 4), code.clone())
        })
        .collect();
    want.sort_by_key(|w| w.0); // stable: ties in indicator order
    let rates = section(&sheet, "三、");
    let got: Vec<(Decimal, String)> = rates[1..].iter().map(|r| (dec(&r[2], 4), text(&r[1]))).collect();
    assert_eq!(got, want);
}

#[test]
fn core_conclusions_are_written_from_the_same_numbers() {
    let wd = longkou();
    let sheet = rows(&wd.read("q4.xlsx"), "摘要");
    assert_eq!(text(&sheet[0][0]), "龙口市政治生态分析评价指标体系 2024年第四季度 评价结果 (暂定)");
    // The issuer comes from the example's zhili.toml; the date from SOURCE_DATE_EPOCH in 北京时间.
    assert_eq!(text(&sheet[1][0]), "龙口市纪委监委    2025年1月1日");
    let sentences: Vec<String> = section(&sheet, "一、").iter().map(|r| text(&r[0])).collect();
    assert!((4..=8).contains(&sentences.len()), "{sentences:#?}");
    assert!(sentences[0].starts_with("1. 本期结果为暂定("), "{}", sentences[0]);
    assert!(
        sentences[1].starts_with("2. 2024年第四季度共评价 54 个单位(镇街区 14 个、市直部门 40 个)"),
        "{}",
        sentences[1]
    );
    assert!(sentences[2].contains("红色预警 2 个(新嘉街道,一票否决、北马镇)"), "{}", sentences[2]);
    assert!(sentences[3].contains("1 个单位触发一票否决:新嘉街道("), "{}", sentences[3]);
    assert!(sentences.last().unwrap().contains("与上期(2024Q3)相比,新增预警"), "{sentences:#?}");

    // 五、重点关注单位: the red units, the veto, the newly warned — each once.
    let attention = section(&sheet, "五、");
    let names: Vec<String> = attention[1..].iter().map(|r| text(&r[0])).collect();
    assert_eq!(names[..2], ["新嘉街道", "北马镇"]);
    assert_eq!(names.iter().filter(|n| *n == "新嘉街道").count(), 1);
    assert!(text(&attention[1][5]).contains("一票否决:G9 发生重大腐败案件"), "{:?}", attention[1]);
    // 市总工会: yellow in total but red on a first-level indicator — it gets the red action, so it is listed.
    assert!(names.contains(&"市总工会".to_string()), "{names:?}");
}

#[test]
fn a_vetoed_units_checkup_shows_the_cap_its_radar_and_the_previous_period() {
    let wd = longkou();
    let json = wd.json("q4.json");
    let q3 = wd.json("q3.json");
    let unit = |doc: &serde_json::Value, code: &str| {
        doc["units"].as_array().unwrap().iter().find(|u| u["code"] == code).unwrap().clone()
    };
    let (t03, before) = (unit(&json, "T03"), unit(&q3, "T03"));
    let bytes = wd.read("pu/T03-新嘉街道.xlsx");
    let cover = rows(&bytes, "体检报告");
    assert_eq!(text(&cover[0][0]), "新嘉街道 2024年第四季度 政治生态体检报告 (暂定)");
    let kv: BTreeMap<String, String> =
        cover.iter().map(|r| (text(&r[0]), r.get(1).map(text).unwrap_or_default())).collect();
    // 各项合计 is the sum of the first-level scores (the set adds them); the cap is the total the JSON holds.
    let firsts = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"];
    let sum: Decimal = firsts.iter().map(|c| json_dec(&t03["scores"][c])).sum();
    let total = json_dec(&t03["total"]);
    assert!(total < sum, "T03's veto lowered its total");
    assert!(
        kv["一票否决"].ends_with(&format!("各项合计 {:.2},因一票否决总分上限 {:.2}", sum, total)),
        "{}",
        kv["一票否决"]
    );
    // Why it is red: the veto leads 症状 and 病因 (its records come from a confidential station: no notes).
    let texts: Vec<String> = cover.iter().map(|r| text(&r[0])).collect();
    let veto = texts.iter().position(|t| t.starts_with("触发一票否决:G9 ")).expect("the veto in 症状");
    assert!(texts[veto].contains(&format!("各项合计 {sum:.2},总分上限 {total:.2}")), "{}", texts[veto]);
    assert!(texts[veto].ends_with("依据:(涉密记录,说明不予显示)"), "{}", texts[veto]);
    let causes = texts.iter().position(|t| t == "四、病因:薄弱指标").unwrap();
    assert!(texts[causes + 2].starts_with("G9 "), "{:?}", &texts[causes..causes + 3]);
    // The previous period and the change, from the two JSON results.
    let prev = json_dec(&before["total"]);
    assert_eq!(kv["上期总分"], format!("{prev:.2}"));
    let change = total - prev;
    let sign = if change > Decimal::ZERO { "+" } else { "" };
    assert_eq!(kv["较上期变化"], format!("{sign}{change:.2}"));
    // The radar chart compares the unit's first-level score rates with its category's mean.
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut chart = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/charts/chart1.xml").unwrap(), &mut chart).unwrap();
    assert!(chart.contains("<c:radarChart>") && chart.contains("镇街区平均"), "{chart}");
}

/// Every line of a terminal table (box-drawing lines) and its display width.
fn table_lines(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
        .map(|l| (unicode_width::UnicodeWidthStr::width(l), l))
        .collect()
}

#[test]
fn no_table_row_wraps_at_80_columns() {
    let wd = longkou();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    let runs = [
        wd.run(&["score", &dir, "--period", "2024Q4", "--json", "a.json", "--out", "a.xlsx", "--previous", "q3.json"]),
        wd.run(&["score", &dir, "--period", "2024", "--trend", "quarter", "--json", "b.json", "--out", "b.xlsx"]),
        wd.run(&["score", &dir, "--period", "2024", "--trend", "half", "--json", "c.json", "--out", "c.xlsx"]),
        wd.run(&["diff", "q3.json", "q4.json", "--detail"]),
    ];
    for r in &runs {
        let lines = table_lines(&r.stdout);
        assert!(lines.len() > 10, "{}{}", r.stdout, r.stderr);
        for (w, l) in lines {
            assert!(w <= 80, "{w} columns: {l}");
        }
    }
    // What each shows: the previous period's counts, the trend and its flags, the diff's veto.
    assert!(runs[0].stdout.contains("与上期 (2024Q3) 相比:"), "{}", runs[0].stdout);
    assert!(
        runs[1].stdout.contains("纵向监测 (4 个子期间") && runs[1].stdout.contains("预警升级"),
        "{}",
        runs[1].stdout
    );
    assert!(runs[2].stdout.contains("纵向监测 (2 个子期间"), "{}", runs[2].stdout);
    // By quarter the half-yearly survey counts only in the year: said, in the terminal and on 趋势.
    let note = "注:S17 群众问卷 (每半年报送) 的指标只在全期计分,各子期间不计";
    assert!(runs[1].stdout.contains(note), "{}", runs[1].stdout);
    assert!(!runs[2].stdout.contains("注:S17"), "by half-year it counts in every sub-period");
    let trend = rows(&wd.read("b.xlsx"), "趋势");
    assert!(trend.iter().any(|r| text(&r[0]).starts_with(note)));
    assert!(runs[3].stdout.contains("新增 (否决 G9)"), "{}", runs[3].stdout);
    // A 100-column terminal fits too; a wide one gets the unit codes back.
    let r = wd.run_with(&["diff", "q3.json", "q4.json"], &[("COLUMNS", "100")]);
    assert!(table_lines(&r.stdout).iter().all(|(w, _)| *w <= 100), "{}", r.stdout);
    let wide = wd.run_with(&["diff", "q3.json", "q4.json"], &[("COLUMNS", "160")]);
    assert!(wide.stdout.contains("单位代码") && !r.stdout.contains("单位代码"), "{}", wide.stdout);
}

#[test]
fn a_new_veto_explains_the_jump_in_the_comparison() {
    let wd = longkou();
    wd.run(&["diff", "q3.json", "q4.json", "--json", "d.json", "-q"]).status(1);
    let d = wd.json("d.json");
    let t03 = d["units"].as_array().unwrap().iter().find(|u| u["code"] == "T03").unwrap();
    assert_eq!((t03["transition"].as_str(), t03["vetoes_added"].clone()), (Some("new"), serde_json::json!(["G9"])));
    assert_eq!(t03["category"], "镇街区");
    // Towns come first, and among them the new warning before any persisting one.
    assert_eq!(d["units"][0]["code"], "T03");
}

#[test]
fn a_rescaled_indicator_says_why_its_loss_is_not_the_sum_of_its_leaves() {
    let wd = longkou();
    let json = wd.json("q4.json");
    let t07 = json["units"].as_array().unwrap().iter().find(|u| u["code"] == "T07").unwrap();
    // 北马镇's J 综合评价: its survey leaves are not due in a quarter, so J is rescaled from the rest.
    let method = rows(&wd.read("q4.xlsx"), "指标体系");
    let max = |code: &str| dec(&method.iter().find(|r| text(&r[0]) == code).unwrap()[4], 2);
    let leaves: Vec<String> = method[1..]
        .iter()
        .filter(|r| text(&r[0]).starts_with('J') && text(&r[3]) == "3")
        .map(|r| text(&r[0]))
        .collect();
    let lost: Decimal = leaves
        .iter()
        .filter(|c| !t07["scores"][c.as_str()].is_null())
        .map(|c| max(c) - json_dec(&t07["scores"][c.as_str()]))
        .sum();
    let j = json_dec(&t07["scores"]["J"]);
    assert!(leaves.iter().any(|c| t07["scores"][c.as_str()].is_null()), "some J leaf is not due");
    let cover = rows(&wd.read("pu/T07-北马镇.xlsx"), "体检报告");
    let label =
        format!("J 综合评价:得分 {j:.2} / 100.00,失分 {:.2} (下列指标合计失分 {lost:.2};", Decimal::ONE_HUNDRED - j);
    assert!(cover.iter().any(|r| text(&r[0]).starts_with(&label)), "no row starting {label}");
}
