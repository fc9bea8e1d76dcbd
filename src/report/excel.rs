//! The Excel report (SPEC §5.2): seven sheets an evaluation office hands to its commission.

use super::rows::{self, node_label};
use super::sheet::{Book, C, V, level_color, utc_text};
use super::{Run, followup};
use crate::exact::{q, round};
use crate::indicators::NodeId;
use crate::number::plain;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartFont, ChartType, XlsxError};

/// What the report says about how it was made (说明).
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// Unix seconds: SOURCE_DATE_EPOCH, or the clock.
    pub time: i64,
    /// The indicator set and roster as shown to people, with their sha256.
    pub indicators: (String, String),
    pub roster: (String, String),
    /// Options used, as (flag, value).
    pub options: Vec<(String, String)>,
    /// Rows per sheet including the header; `None` is Excel's limit.
    pub max_rows: Option<u32>,
}

pub const SHEETS: [&str; 7] = ["总览", "得分明细", "预警", "计分记录", "失分分析", "数据问题", "说明"];

/// A workbook sharing the report's formats (also used by per-unit reports).
pub fn book(run: &Run, prov: &Provenance, title: &str) -> Result<Book, XlsxError> {
    let mut colors: Vec<rust_xlsxwriter::Color> = run
        .set
        .warnings
        .iter()
        .enumerate()
        .map(|(i, w)| w.color.map(rust_xlsxwriter::Color::RGB).unwrap_or_else(|| level_color(&w.level, i)))
        .collect();
    // After the levels: green, for resolved warnings in 整改跟踪.
    colors.push(rust_xlsxwriter::Color::RGB(0xA9D08E));
    let mut book = Book::new(run.set.decimals, colors, prov.time, title)?;
    if let Some(m) = prov.max_rows {
        book.max_rows = m;
    }
    Ok(book)
}

/// The report as bytes (small reports, tests).
pub fn render(run: &Run, prov: &Provenance) -> Result<Vec<u8>, XlsxError> {
    let mut out = std::io::Cursor::new(Vec::new());
    render_to(run, prov, &mut out)?;
    Ok(out.into_inner())
}

/// Writes the report into `writer` (a file: province-scale reports are not held in memory).
pub fn render_to<W: std::io::Write + std::io::Seek + Send>(
    run: &Run,
    prov: &Provenance,
    writer: W,
) -> Result<(), XlsxError> {
    let set = run.set;
    let mut book = book(run, prov, &format!("{} {}", set.name, run.eval.window))?;
    overview(&mut book, run)?;

    let units = run.units_by_code();
    let labels = rows::Labels::new(run);
    book.table(
        SHEETS[1],
        &rows::scores_header(true),
        units.iter().flat_map(|e| rows::score_rows(run, &labels, e, true)),
        true,
    )?;
    book.table(
        SHEETS[2],
        &rows::warnings_header(true),
        units.iter().flat_map(|e| rows::warning_rows(run, e, true)),
        false,
    )?;
    book.table(
        SHEETS[3],
        &rows::records_header(true),
        run.loaded.records.iter().map(|r| rows::record_row(run, &labels, r, true)),
        true,
    )?;
    losses(&mut book, run)?;
    issues(&mut book, run)?;
    provenance(&mut book, run, prov)?;
    if !run.trend.is_empty() {
        followup::trend_sheet(&mut book, run)?;
    }
    if run.previous.is_some() {
        let fills = followup::LedgerFills { resolved: run.set.warnings.len(), alarm: 0 };
        followup::ledger_sheet(&mut book, run, &fills)?;
    }
    method(&mut book, run)?;
    book.save_to(writer)
}

/// Extension sheets after the seven of SPEC §5.2: the method behind the
/// report (so a reader sees it, and `zhili diff` can tell when it changed).
pub const METHOD_SHEETS: [&str; 2] = ["指标体系", "预警等级"];
pub const METHOD_HEADER: [&str; 8] =
    ["指标代码", "指标名称", "上级指标", "层级", "满分", "权重", "适用类别", "计分规则"];
pub const LEVELS_HEADER: [&str; 4] = ["预警代码", "预警名称", "低于 (%)", "处置措施"];

fn method(book: &mut Book, run: &Run) -> Result<(), XlsxError> {
    let set = run.set;
    let rows = set.nodes.iter().enumerate().map(|(id, n)| {
        let cats: Vec<&str> =
            set.categories.iter().enumerate().filter(|(c, _)| n.applies[*c]).map(|(_, c)| c.code.as_str()).collect();
        vec![
            V::s(n.code.as_str()).into(),
            V::s(n.name.as_str()).into(),
            V::s(n.parent.map(|p| set.nodes[p].code.as_str()).unwrap_or("")).into(),
            V::I(n.depth as i64).into(),
            n.max.map(V::N).unwrap_or(V::Empty).into(),
            n.weight.map(V::G).unwrap_or(V::Empty).into(),
            V::s(cats.join(",")).into(),
            V::s(set.leaf(id).map(|_| crate::template::rule_summary(set, id)).unwrap_or_default()).into(),
        ]
    });
    book.table(METHOD_SHEETS[0], &METHOD_HEADER, rows.collect::<Vec<_>>(), false)?;
    let levels = set.warnings.iter().enumerate().map(|(i, w)| {
        vec![
            V::s(w.level.as_str()).fill(Some(i)),
            V::s(w.name.as_str()).into(),
            V::G(w.below).into(),
            V::s(w.action.as_str()).into(),
        ]
    });
    book.table(METHOD_SHEETS[1], &LEVELS_HEADER, levels.collect::<Vec<_>>(), false)?;
    Ok(())
}

/// 总览: one row per unit, grouped by category and ranked, with a chart of totals per category.
fn overview(book: &mut Book, run: &Run) -> Result<(), XlsxError> {
    let set = run.set;
    let firsts: Vec<NodeId> = set.roots.iter().copied().filter(|&r| !set.nodes[r].is_veto()).collect();
    let labels: Vec<String> = firsts.iter().map(|&r| node_label(run, r)).collect();
    let mut header = vec!["排名", "单位代码", "单位名称", "类别", "总分", "预警"];
    header.extend(labels.iter().map(String::as_str));

    let mut units: Vec<_> = run.eval.units.iter().collect();
    units.sort_by(|a, b| {
        let key = |e: &crate::engine::UnitEval| {
            let u = &run.roster.units[e.unit];
            (u.category, e.rank.unwrap_or(u32::MAX), u.code.clone())
        };
        key(a).cmp(&key(b))
    });
    let rows = units.iter().map(|e| {
        let u = &run.roster.units[e.unit];
        let mut level = e.level.map(|l| set.warnings[l].name.clone()).unwrap_or_else(|| "无".into());
        if !e.vetoed.is_empty() {
            let codes: Vec<&str> = e.vetoed.iter().map(|&v| set.nodes[v].code.as_str()).collect();
            level = format!("{level} (一票否决 {})", codes.join("、"));
        }
        let mut row: Vec<C> = vec![
            e.rank.map(|r| V::I(r as i64)).unwrap_or(V::Empty).into(),
            V::s(u.code.as_str()).into(),
            V::s(u.name.as_str()).into(),
            V::s(set.categories[u.category].name.as_str()).into(),
            e.total.map(V::N).unwrap_or(V::s("不计分")).fill(e.level),
            V::s(level).fill(e.level),
        ];
        for &r in &firsts {
            let fill = e.warnings.iter().find(|w| w.scope == Some(r)).map(|w| w.level);
            row.push(e.scores[r].value().map(V::N).unwrap_or(V::Empty).fill(fill));
        }
        row
    });
    book.table(SHEETS[0], &header, rows, false)?;

    // One column chart of totals per category, below the table (so that
    // printing one page wide keeps the table legible), side by side.
    let chart_row = units.len() as u32 + 3;
    let mut first_row = 1u32;
    let mut placed = 0u32;
    for (cat, category) in set.categories.iter().enumerate() {
        let n = units.iter().filter(|e| run.roster.units[e.unit].category == cat).count() as u32;
        if n == 0 {
            continue;
        }
        let last_row = first_row + n - 1;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_categories((SHEETS[0], first_row, 2, last_row, 2))
            .set_values((SHEETS[0], first_row, 4, last_row, 4))
            .set_name(format!("{} 总分", category.name).as_str());
        chart
            .title()
            .set_name(&format!("{} · 总分 ({})", category.name, run.eval.window))
            .set_font(ChartFont::new().set_size(12).set_bold());
        chart.legend().set_hidden();
        chart.y_axis().set_min(0.0).set_max(rust_decimal::prelude::ToPrimitive::to_f64(&set.scale).unwrap_or(100.0));
        chart.set_width(480).set_height(300);
        let ws = book.wb.worksheet_from_name(SHEETS[0])?;
        ws.insert_chart(chart_row, (placed * 6) as u16, &chart)?;
        placed += 1;
        first_row = last_row + 1;
    }
    Ok(())
}

/// 失分分析: per leaf, the points lost over all units; most lost first.
fn losses(book: &mut Book, run: &Run) -> Result<(), XlsxError> {
    let set = run.set;
    let mut lines: Vec<(Decimal, NodeId, usize, usize, Decimal)> = rows::scored_leaves(run)
        .map(|id| {
            let max = set.nodes[id].max.unwrap_or_default();
            let (mut lost, mut losing, mut scored, mut sum) = (Decimal::ZERO, 0, 0, Decimal::ZERO);
            for e in &run.eval.units {
                if let (Some(l), Some(s)) = (rows::lost(run, e, id), e.scores[id].value()) {
                    lost += l;
                    losing += usize::from(l > Decimal::ZERO);
                    scored += 1;
                    sum += s;
                }
            }
            let avg =
                if scored == 0 { Decimal::ZERO } else { round(&(q(sum) / (q(max) * q(Decimal::from(scored)))), 4) };
            (lost, id, losing, scored, avg)
        })
        .collect();
    lines.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let header = ["指标代码", "指标名称", "所属一级指标", "满分", "失分合计", "失分单位数", "参评单位数", "平均得分率"];
    let rows = lines.into_iter().map(|(lost, id, losing, scored, avg)| {
        let n = &set.nodes[id];
        vec![
            V::s(n.code.as_str()).into(),
            V::s(n.name.as_str()).into(),
            V::s(node_label(run, rows::root_of(run, id))).into(),
            V::N(n.max.unwrap_or_default()).into(),
            V::N(lost).into(),
            V::I(losing as i64).into(),
            V::I(scored as i64).into(),
            if scored == 0 { V::Empty.into() } else { V::P(avg).into() },
        ]
    });
    book.table(SHEETS[4], &header, rows, false)?;
    Ok(())
}

/// 数据问题: every issue.
fn issues(book: &mut Book, run: &Run) -> Result<(), XlsxError> {
    let header = ["级别", "种类", "文件", "工作表", "单元格", "单位", "指标", "监测站", "说明"];
    let opt = |s: &Option<String>| V::s(s.clone().unwrap_or_default()).into();
    let rows = run.issues().map(|i| {
        vec![
            V::s(i.severity().label()).into(),
            V::s(i.kind.code()).into(),
            opt(&i.file),
            opt(&i.sheet),
            opt(&i.cell),
            opt(&i.unit),
            opt(&i.indicator),
            opt(&i.station),
            V::s(i.message.as_str()).into(),
        ]
    });
    book.table(SHEETS[5], &header, rows, true)?;
    Ok(())
}

/// The 说明 rows: tool, set, period, time, options, then every input.
pub fn provenance_rows<'a>(run: &Run<'a>, prov: &'a Provenance) -> Vec<Vec<C<'a>>> {
    let set = run.set;
    let kv = |k: &str, v: String, sha: &str| -> Vec<C<'a>> {
        vec![V::s(k.to_string()).into(), V::s(v).into(), V::s(sha.to_string()).into()]
    };
    let mut rows = vec![
        kv("工具", format!("zhili {}", env!("CARGO_PKG_VERSION")), ""),
        kv("指标体系", set.name.clone(), ""),
        kv("体系版本", set.version.clone(), ""),
        kv("指标体系文件", prov.indicators.0.clone(), &set.sha256),
        kv("单位名册", prov.roster.0.clone(), &prov.roster.1),
        kv("评价期间", run.eval.window.to_string(), ""),
        kv("满分", plain(set.scale), ""),
        kv("生成时间", utc_text(prov.time), ""),
    ];
    for (k, v) in &prov.options {
        rows.push(kv(&format!("选项 {k}"), v.clone(), ""));
    }
    for i in &run.loaded.inputs {
        rows.push(vec![
            V::s("数据文件").into(),
            V::s(i.path.as_str()).into(),
            V::s(i.sha256.as_str()).into(),
            V::s(i.station.map(|s| set.stations[s].code.clone()).unwrap_or_default()).into(),
            V::s(i.period.map(|p| p.to_string()).unwrap_or_default()).into(),
            V::I(i.records as i64).into(),
            V::I(i.rejected as i64).into(),
        ]);
    }
    rows
}

pub const PROVENANCE_HEADER: [&str; 7] = ["项目", "内容", "sha256", "监测站", "期间", "有效记录", "拒收"];

fn provenance(book: &mut Book, run: &Run, prov: &Provenance) -> Result<(), XlsxError> {
    book.table(SHEETS[6], &PROVENANCE_HEADER, provenance_rows(run, prov), false)?;
    Ok(())
}
