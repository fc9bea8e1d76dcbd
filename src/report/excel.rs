//! The Excel report (docs/report.md): seven sheets an evaluation office hands to its commission, then the extensions.

use super::followup;
use super::layout::{self, SHEETS, overview, provenance as P};
use super::rows::{self, node_label};
use crate::analysis::findings;
use crate::analysis::losses::{self, leaf_losses};
use crate::indicators::NodeId;
use crate::issue::Issue;
use crate::number::plain;
use crate::run::Run;
use crate::xlsx::write::{Styled, Val, Writer, level_color, local_text, short_level};
use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartLine, ChartPoint, ChartSolidFill, ChartType, Color, XlsxError,
};

pub use super::provenance::Provenance;

fn summary_from(run: &Run, doc: &crate::result::ResultDoc) -> crate::analysis::statistics::Summary {
    crate::analysis::statistics::summarize(doc, run.previous, run.loaded.provisional_reason())
}

/// Each warning level's fill: the set's `color`, else the default for its code.
pub fn level_fills(set: &crate::indicators::IndicatorSet) -> Vec<Color> {
    let fill = |(i, w): (usize, &crate::indicators::WarningLevel)| {
        w.color.map(Color::RGB).unwrap_or_else(|| level_color(&w.level, i))
    };
    set.warnings.iter().enumerate().map(fill).collect()
}

/// Bar colours: darker the more severe, so black-and-white prints keep the order (luma ≈ 57, 142,
/// 188); a unit without a warning gets a white bar with the dark outline.
pub fn bar_color(code: &str, index: usize) -> u32 {
    match (code, index) {
        ("red", _) | (_, 0) => 0xC00000,
        ("yellow", _) | (_, 1) => 0xBF9000,
        _ => 0x9DC3E6,
    }
}
const UNWARNED_BAR: u32 = 0xFFFFFF;

/// A workbook sharing the report's formats (also used by per-unit reports).
pub fn book(run: &Run, prov: &Provenance, title: &str) -> Result<Writer, XlsxError> {
    let mut colors = level_fills(run.set);
    // After the levels: green, for resolved warnings in 整改跟踪.
    colors.push(Color::RGB(crate::xlsx::write::GREEN));
    let mut book = Writer::new(run.set.decimals, colors, prov.time, title)?;
    book.fill_labels = run.set.warnings.iter().map(|w| short_level(&w.name)).collect();
    book.freeze_through = Some(layout::UNIT_NAME);
    book.wide = &layout::WIDE;
    book.no_print = &layout::CODE_COLUMNS;
    if let Some(m) = prov.max_rows {
        book.max_rows = m;
    }
    Ok(book)
}

/// Writes the report into `writer` (a file: province-scale reports are not
/// held in memory). Returns how many text cells were cut at Excel's cell limit.
pub fn render_to<W: std::io::Write + std::io::Seek + Send>(
    run: &Run,
    prov: &Provenance,
    writer: W,
) -> Result<usize, XlsxError> {
    let set = run.set;
    let provisional = if run.loaded.complete { "" } else { " (暂定)" };
    let mut book = book(run, prov, &format!("{} {}{provisional}", set.name, run.eval.window))?;
    // The result document gives 摘要's facts and the areas; it is dropped before the big sheets are written.
    let (summary, groups, levels) = {
        let doc = super::json::document(run);
        (summary_from(run, &doc), doc.groups, doc.indicator_set.warnings)
    };
    super::brief::sheet(&mut book, run, prov, &summary)?;
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
        // A work list: the most severely warned units first (each unit's rows in indicator order).
        findings::warned_by_severity(run.roster, &run.eval.units)
            .into_iter()
            .flat_map(|e| rows::warning_rows(run, e, true)),
        false,
    )?;
    book.table(
        SHEETS[3],
        &rows::records_header(true),
        run.loaded.records.iter().map(|r| rows::record_row(run, &labels, r, true, false)),
        true,
    )?;
    losses(&mut book, run)?;
    issues(&mut book, run)?;
    provenance(&mut book, run, prov)?;
    if !run.is_rollup() {
        submissions(&mut book, run)?;
    }
    actions(&mut book, run)?;
    super::areas::sheet(&mut book, &groups, &levels)?;
    if !run.trend.is_empty() {
        followup::trend_sheet(&mut book, run)?;
    }
    if run.previous.is_some() {
        let fills = followup::LedgerFills { resolved: run.set.warnings.len(), alarm: 0 };
        followup::ledger_sheet(&mut book, run, &fills)?;
    }
    method(&mut book, run)?;
    let clipped = book.clipped;
    book.save_to(writer)?;
    Ok(clipped)
}

/// Extension sheets after the seven: the method behind the report (so a
/// reader sees it, and `zhili diff` can tell when it changed).
fn method(book: &mut Writer, run: &Run) -> Result<(), XlsxError> {
    let set = run.set;
    let rows = set.nodes.iter().enumerate().map(|(id, n)| {
        let cats: Vec<&str> =
            set.categories.iter().enumerate().filter(|(c, _)| n.applies[*c]).map(|(_, c)| c.name.as_str()).collect();
        vec![
            Val::s(n.code.as_str()).into(),
            Val::s(n.name.as_str()).into(),
            Val::s(n.parent.map(|p| set.nodes[p].code.as_str()).unwrap_or("")).into(),
            Val::I(n.depth as i64).into(),
            n.max.map(Val::N).unwrap_or(Val::Empty).into(),
            n.weight.map(Val::G).unwrap_or(Val::Empty).into(),
            Val::s(cats.join("、")).into(),
            Val::s(set.rule_text(id)).into(),
            Val::s(set.missing_text(id)).into(),
            Val::s(set.rule_summary(id)).into(),
        ]
    });
    book.table(layout::method::SHEET, &layout::method::HEADER, rows.collect::<Vec<_>>(), false)?;
    let levels = set.warnings.iter().enumerate().map(|(i, w)| {
        vec![
            Val::s(w.level.as_str()).fill(Some(i)),
            Val::s(w.name.as_str()).into(),
            Val::G(w.below).into(),
            Val::s(w.action.as_str()).into(),
        ]
    });
    book.table(layout::levels::SHEET, &layout::levels::HEADER, levels.collect::<Vec<_>>(), false)?;
    Ok(())
}

/// 总览: one row per unit, grouped by category and ranked, with a chart of totals per category.
fn overview(book: &mut Writer, run: &Run) -> Result<(), XlsxError> {
    let set = run.set;
    let firsts: Vec<NodeId> = set.roots.iter().copied().filter(|&r| !set.nodes[r].is_veto()).collect();
    let labels: Vec<String> = firsts.iter().map(|&r| node_label(run, r)).collect();
    let mut header = overview::HEAD.to_vec();
    header.extend(labels.iter().map(String::as_str));
    // The areas' columns (when the roster has them) before the code columns, which stay last and unprinted.
    let areas = !run.roster.areas.is_empty();
    if areas {
        header.extend(layout::areas::MEMBER);
    }
    header.extend(overview::TAIL);

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
        let mut row: Vec<Styled> = vec![
            e.rank.map(|r| Val::I(r as i64)).unwrap_or(Val::Empty).into(),
            Val::s(u.code.as_str()).into(),
            Val::s(u.name.as_str()).into(),
            Val::s(set.categories[u.category].name.as_str()).into(),
            e.total.map(Val::N).unwrap_or(Val::s("不计分")).fill(e.level),
            Val::s(level).fill(e.level),
        ];
        for &r in &firsts {
            let fill = e.warnings.iter().find(|w| w.scope == Some(r)).map(|w| w.level);
            row.push(e.scores[r].value().map(Val::N).unwrap_or(Val::Empty).fill(fill));
        }
        if areas {
            let m = run.roster.membership(e.unit);
            row.extend([Val::s(m.area.unwrap_or_default()).into(), m.weight.map(Val::G).unwrap_or(Val::Empty).into()]);
        }
        let level_code = e.level.map(|l| set.warnings[l].level.as_str()).unwrap_or("");
        let vetoes: Vec<&str> = e.vetoed.iter().map(|&v| set.nodes[v].code.as_str()).collect();
        row.extend([Val::s(level_code).into(), Val::s(vetoes.join(overview::VETO_SEPARATOR)).into()]);
        row
    });
    book.table(SHEETS[0], &header, rows, false)?;

    // One column chart of totals per category, below the table (so that
    // printing one page wide keeps the table legible), side by side, on a
    // printed page of their own; each bar in its level's colour.
    let chart_row = units.len() as u32 + 3;
    let bar = |level: Option<usize>| {
        let color = Color::RGB(level.map(|l| bar_color(&set.warnings[l].level, l)).unwrap_or(UNWARNED_BAR));
        // A dark outline keeps the lightest fill visible on white paper.
        let outline = ChartLine::new().set_color(Color::RGB(0x404040)).set_width(0.5).clone();
        ChartPoint::new()
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(color)).set_border(&outline))
    };
    let mut first_row = 1u32;
    let mut placed = 0u32;
    for (cat, category) in set.categories.iter().enumerate() {
        let members: Vec<_> = units.iter().filter(|e| run.roster.units[e.unit].category == cat).collect();
        let n = members.len() as u32;
        if n == 0 {
            continue;
        }
        let last_row = first_row + n - 1;
        let points: Vec<ChartPoint> = members.iter().map(|e| bar(e.level)).collect();
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_points(&points)
            .set_categories((SHEETS[0], first_row, 2, last_row, 2))
            .set_values((SHEETS[0], first_row, 4, last_row, 4))
            .set_name(format!("{} 总分", category.name).as_str());
        let key: Vec<String> = set.warnings.iter().map(|w| short_level(&w.name)).collect();
        chart
            .title()
            .set_name(&format!(
                "{} · 总分 ({})\n柱色由深到浅:{};白色为无预警",
                category.name,
                run.eval.window,
                key.join("、")
            ))
            .set_font(ChartFont::new().set_size(11).set_bold());
        chart.legend().set_hidden();
        // Every unit's name under its bar, small enough to fit.
        chart.x_axis().set_label_interval(1).set_font(ChartFont::new().set_size(8));
        chart.y_axis().set_min(0.0).set_max(rust_decimal::prelude::ToPrimitive::to_f64(&set.scale).unwrap_or(100.0));
        chart.set_width(480).set_height(300);
        let ws = book.wb.worksheet_from_name(SHEETS[0])?;
        ws.insert_chart(chart_row, (placed * 6) as u16, &chart)?;
        ws.set_page_breaks(&[chart_row - 1])?;
        // The printed area (which leaves the code columns out) reaches down over the charts (300 px ≈ 15 rows).
        ws.set_print_area(0, 0, chart_row + 16, (header.len() - overview::TAIL.len()) as u16 - 1)?;
        placed += 1;
        first_row = last_row + 1;
    }
    Ok(())
}

/// 失分分析: per leaf, the points lost over all units; most lost first.
fn losses(book: &mut Writer, run: &Run) -> Result<(), XlsxError> {
    let set = run.set;
    let rows = leaf_losses(run).into_iter().map(|l| {
        let n = &set.nodes[l.leaf];
        vec![
            Val::s(n.code.as_str()).into(),
            Val::s(n.name.as_str()).into(),
            Val::s(node_label(run, losses::root_of(set, l.leaf))).into(),
            Val::N(n.max.unwrap_or_default()).into(),
            Val::N(l.lost).into(),
            Val::I(l.losing as i64).into(),
            Val::I(l.scored as i64).into(),
            l.mean_rate.map(Val::P).unwrap_or(Val::Empty).into(),
        ]
    });
    book.table(layout::losses::SHEET, &layout::losses::HEADER, rows, false)?;
    Ok(())
}

/// 数据问题: every issue, grouped by the station whose file it comes from
/// (in the set's station order, so each station's list can be sent back),
/// then the issues of no station in the order they were found.
fn issues(book: &mut Writer, run: &Run) -> Result<(), XlsxError> {
    let opt = |s: Option<&str>| Val::s(s.unwrap_or_default().to_string()).into();
    let stations = rows::IssueStations::new(run);
    let mut issues: Vec<(Option<&str>, &Issue)> = run.issues().map(|i| (stations.of(i), i)).collect();
    let order = |code: Option<&str>| code.and_then(|c| run.set.station(c)).unwrap_or(usize::MAX);
    issues.sort_by_cached_key(|(station, _)| order(*station));
    let rows = issues.into_iter().map(|(station, i)| {
        vec![
            Val::s(i.severity().label()).into(),
            Val::s(i.kind.label()).into(),
            Val::s(i.kind.code()).into(),
            opt(i.file.as_deref()),
            opt(i.sheet.as_deref()),
            opt(i.cell.as_deref()),
            opt(i.unit.as_deref()),
            opt(i.indicator.as_deref()),
            opt(station),
            Val::s(i.message.as_str()).into(),
        ]
    });
    book.table(layout::issues::SHEET, &layout::issues::HEADER, rows, true)?;
    Ok(())
}

/// 预警处置清单: one line per warned unit, most severe first — who gets which 约谈/通知书/建议书.
fn actions(book: &mut Writer, run: &Run) -> Result<(), XlsxError> {
    let items = findings::work_list(run.roster, &run.eval.units);
    let rows = items.iter().enumerate().map(|(i, item)| {
        let mut row: Vec<Styled> = vec![Val::I(i as i64 + 1).into()];
        row.extend(work_item_cells(run, item));
        row
    });
    book.table(layout::actions::SHEET, &layout::actions::HEADER, rows.collect::<Vec<_>>(), false)?;
    // 转办清单: the same lines routed to each 分管领导 and 监督单位, when the roster names them.
    if !run.roster.routing.is_empty() {
        let rows = findings::routed(run.roster, &items).into_iter().flat_map(|(route, to, list)| {
            list.into_iter().map(move |item| {
                let mut row: Vec<Styled> = vec![Val::s(route.label()).into(), Val::s(to.clone()).into()];
                row.extend(work_item_cells(run, item));
                row
            })
        });
        book.table(layout::routing::SHEET, &layout::routing::HEADER, rows.collect::<Vec<_>>(), false)?;
    }
    Ok(())
}

/// A warned unit's cells: code, name, category, rank, total, worst level, the scopes that raised it,
/// its one action, its other warnings, the level's code.
fn work_item_cells<'a>(run: &Run<'a>, item: &findings::WorkItem<'a>) -> Vec<Styled<'a>> {
    let set = run.set;
    let scope =
        |s: Option<NodeId>| s.map(|id| node_label(run, id)).unwrap_or_else(|| layout::warnings::TOTAL_LABEL.into());
    let e = item.eval;
    let u = &run.roster.units[e.unit];
    let level = &set.warnings[item.level];
    let mut scopes: Vec<String> = item.scopes.iter().map(|&s| scope(s)).collect();
    if item.scopes.contains(&None) && !e.vetoed.is_empty() {
        let v: Vec<String> = e.vetoed.iter().map(|&id| node_label(run, id)).collect();
        scopes[0] = format!("{} (一票否决: {})", scopes[0], v.join("、"));
    }
    let others: Vec<String> =
        item.others.iter().map(|&(s, l)| format!("{} {}", scope(s), set.warnings[l].name)).collect();
    vec![
        Val::s(u.code.as_str()).into(),
        Val::s(u.name.as_str()).into(),
        Val::s(set.categories[u.category].name.as_str()).into(),
        e.rank.map(|r| Val::I(r as i64)).unwrap_or(Val::Empty).into(),
        e.total.map(Val::N).unwrap_or(Val::s("不计分")).fill(e.level),
        Val::s(level.name.as_str()).fill(Some(item.level)),
        Val::s(scopes.join("、")).into(),
        Val::s(level.action.as_str()).into(),
        Val::s(others.join("、")).into(),
        Val::s(level.level.as_str()).into(),
    ]
}

/// 填报情况: each station's workbooks of the window, what it still owes, or that it is not due.
fn submissions(book: &mut Writer, run: &Run) -> Result<(), XlsxError> {
    let set = run.set;
    let lines = crate::submissions::table(set, run.eval.window, &run.loaded.inputs);
    let rows = lines.iter().map(|l| {
        let st = &set.stations[l.station];
        let frequency = st.frequency.map(|f| format!("每{}", f.label())).unwrap_or_default();
        let alarm = matches!(
            l.status,
            crate::submissions::SubmissionStatus::Missing | crate::submissions::SubmissionStatus::Duplicate
        );
        vec![
            Val::s(st.code.as_str()).into(),
            Val::s(st.name.as_str()).into(),
            Val::s(frequency).into(),
            Val::s(l.period.map(|p| p.to_string()).unwrap_or_else(|| "—".into())).into(),
            Val::s(l.status.label()).fill(alarm.then_some(0)),
            Val::s(l.file.clone().unwrap_or_default()).into(),
            Val::s(l.submitted.clone().unwrap_or_default()).into(),
        ]
    });
    book.table(layout::submissions::SHEET, &layout::submissions::HEADER, rows.collect::<Vec<_>>(), false)?;
    Ok(())
}

/// How a window longer than the set's cycle was scored: "评价周期为月,本期 12 个周期;各指标按周期分别计分后取平均"
/// (docs/scoring.md, `across_cycles`); `None` for a window of one cycle or a set without one.
fn cycles_text(set: &crate::indicators::IndicatorSet, window: crate::period::Period) -> Option<String> {
    let cycle = set.cycle?;
    let n = window.split(cycle)?.len();
    if n < 2 {
        return None;
    }
    let how = match set.across_cycles {
        crate::indicators::AcrossCycles::Mean => "各指标按周期分别计分后取平均 (across_cycles = \"mean\")",
        crate::indicators::AcrossCycles::Pool => "各周期的记录合并计分 (across_cycles = \"pool\")",
    };
    Some(format!("评价周期为{},本期 {n} 个周期;{how}", cycle.label()))
}

/// The 说明 rows: tool, set, period, time, options, then every input.
pub fn provenance_rows<'a>(run: &Run<'a>, prov: &'a Provenance) -> Vec<Vec<Styled<'a>>> {
    let set = run.set;
    let kv = |k: &str, v: String, sha: &str| -> Vec<Styled<'a>> {
        vec![Val::s(k.to_string()).into(), Val::s(v).into(), Val::s(sha.to_string()).into()]
    };
    let mut rows = vec![
        kv(P::TOOL, format!("zhili {}", env!("CARGO_PKG_VERSION")), ""),
        kv(P::SET_NAME, set.name.clone(), ""),
        kv(P::SET_VERSION, set.version.clone(), ""),
        kv(P::SET_FILE, prov.indicators.0.clone(), &set.sha256),
        kv(P::ROSTER, prov.roster.0.clone(), &prov.roster.1),
        kv(P::PERIOD, run.eval.window.to_string(), ""),
    ];
    if let Some(text) = cycles_text(set, run.eval.window) {
        rows.push(kv(P::METHOD, text, ""));
    }
    rows.extend([
        kv(
            P::STATUS,
            match run.loaded.provisional_reason() {
                Some(why) => format!("{}:{why}", P::PROVISIONAL),
                None => P::COMPLETE.to_string(),
            },
            "",
        ),
        kv(P::SCALE, plain(set.scale), ""),
        kv(P::SKIPPED, run.loaded.window_files(run.eval.window).1.to_string(), ""),
        kv(P::TIME, local_text(prov.time, prov.utc_offset), ""),
    ]);
    for (k, v) in &prov.options {
        rows.push(kv(&format!("{} {k}", P::OPTION_PREFIX), v.clone(), ""));
    }
    for i in &run.loaded.inputs {
        rows.push(vec![
            Val::s(P::INPUT).into(),
            Val::s(i.path.as_str()).into(),
            Val::s(i.sha256.as_str()).into(),
            Val::s(i.station.map(|s| set.stations[s].code.clone()).unwrap_or_default()).into(),
            Val::s(i.period.map(|p| p.to_string()).unwrap_or_default()).into(),
            Val::I(i.records as i64).into(),
            Val::I(i.rejected as i64).into(),
        ]);
    }
    rows
}

fn provenance(book: &mut Writer, run: &Run, prov: &Provenance) -> Result<(), XlsxError> {
    book.key_values(P::SHEET, &P::HEADER, provenance_rows(run, prov))?;
    Ok(())
}
