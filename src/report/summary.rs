//! The terminal summary (docs/report.md): what an analyst reads right after `zhili score`.
//!
//! Chinese labels, one ranked table per category, counts per warning level
//! and the first data problems. Colour is decided by the caller (a
//! terminal without `NO_COLOR`) and passed in, so the text is testable.

use crate::analysis::{findings, statistics, trend};
use crate::engine::UnitEval;
use crate::issue::{Issue, Kind, Severity};
use crate::number::fixed;
use crate::report::layout;
use crate::run::Run;
use crate::text::inert;
use crate::xlsx::write::short_level;
use comfy_table::{Cell, CellAlignment, Color, Table};
use std::fmt::Write;

/// How many issues are listed before "还有 N 条".
pub const SHOWN_ISSUES: usize = 10;

pub use super::term::DEFAULT_WIDTH;
use super::term::{fitted, pack, table};

/// How much of a column's text to show when a table must narrow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    Long,
    Medium,
    Short,
}
use Detail::*;

/// The terminal summary; tables are fitted to `width` columns.
pub fn render(run: &Run, color: bool, width: usize) -> String {
    let set = run.set;
    let mut out = String::new();
    let records: usize = run.loaded.inputs.iter().map(|i| i.records).sum();
    let rejected: usize = run.loaded.inputs.iter().map(|i| i.rejected).sum();
    let version = if set.version.is_empty() { String::new() } else { format!(" ({})", set.version) };
    let provisional = run.loaded.provisional_reason().map(|why| format!(" · 暂定 ({why})")).unwrap_or_default();
    let _ = writeln!(out, "{} · 评价期间 {}{provisional}", inert(&format!("{}{version}", set.name)), run.eval.window);
    // Files of the window only; others (earlier or later periods in the same folder) are counted apart.
    let (in_window, skipped) = run.loaded.window_files(run.eval.window);
    let skipped = if skipped > 0 { format!(" (另有 {skipped} 个不在本期,已跳过)") } else { String::new() };
    let files = if run.is_rollup() {
        // The inputs are the results rolled up; their records stayed where they were scored.
        format!("汇总 {} 个结果 (各自计分时有效记录 {records} 条,拒收 {rejected} 条)", run.loaded.inputs.len())
    } else {
        format!("数据文件 {in_window} 个{skipped}")
    };
    let mut counts = vec![format!("单位 {} 个", run.roster.units.len()), files];
    if !run.is_rollup() {
        counts.extend([format!("有效记录 {records} 条"), format!("拒收 {rejected} 条")]);
    }
    for line in pack(&counts, " · ", width) {
        let _ = writeln!(out, "{line}");
    }

    if !run.is_rollup() {
        let submissions = crate::submissions::table(set, run.eval.window, &run.loaded.inputs);
        let _ = writeln!(out, "填报情况: {}", crate::submissions::counts(&submissions));
    }

    for (cat, category) in set.categories.iter().enumerate() {
        let mut units: Vec<&UnitEval> =
            run.eval.units.iter().filter(|e| run.roster.units[e.unit].category == cat).collect();
        if units.is_empty() {
            continue;
        }
        units.sort_by(|a, b| {
            (a.rank.unwrap_or(u32::MAX), &run.roster.units[a.unit].code)
                .cmp(&(b.rank.unwrap_or(u32::MAX), &run.roster.units[b.unit].code))
        });
        let _ = writeln!(out, "\n【{}】", inert(&category.name));
        // Narrower and narrower until the table fits: drop 单位代码, shorten the weakest
        // indicator, then the level's name; the Excel report has everything.
        let variants = [
            (true, Long, Long),
            (false, Long, Long),
            (false, Medium, Long),
            (false, Medium, Short),
            (false, Short, Short),
        ];
        let tables = variants.iter().map(|&(code, weak, level)| ranking(run, &units, color, code, weak, level));
        let _ = writeln!(out, "{}", fitted(tables, width));
    }

    if !run.trend.is_empty() {
        trend_table(&mut out, run, color, width);
    }
    if let Some(c) = run.previous.map(|p| statistics::changes(&super::json::document(run), p)) {
        let counts: Vec<String> = c.counts.iter().map(|(t, n)| format!("{} {n} 项", t.label())).collect();
        let _ = writeln!(out, "\n与上期 ({}) 相比:", inert(&c.previous));
        for line in pack(&counts, " · ", width.saturating_sub(4)) {
            let _ = writeln!(out, "  {line}");
        }
        let _ = writeln!(out, "  明细见 Excel 报告的“整改跟踪”工作表");
    }

    // Counts per warning level, most severe first, for the totals and first-level indicators.
    let mut parts = Vec::new();
    for (l, w) in set.warnings.iter().enumerate() {
        let totals = run.eval.units.iter().filter(|e| e.level == Some(l)).count();
        let firsts =
            run.eval.units.iter().flat_map(|e| &e.warnings).filter(|w| w.scope.is_some() && w.level == l).count();
        parts.push(format!("{} {totals} 个单位 (一级指标 {firsts} 项)", inert(&w.name)));
    }
    if !parts.is_empty() {
        let _ = writeln!(out, "\n预警:");
        for line in pack(&parts, " · ", width.saturating_sub(2)) {
            let _ = writeln!(out, "  {line}");
        }
    }

    let issues: Vec<_> = run.issues().collect();
    let errors = issues.iter().filter(|i| i.severity() == Severity::Error).count();
    let _ = writeln!(out, "数据问题: 错误 {errors} 条 · 警告 {} 条", issues.len() - errors);
    let by_kind: Vec<String> =
        kind_counts(&issues).into_iter().map(|(k, n)| format!("{} ({}) {n}", k.label(), k.code())).collect();
    for line in pack(&by_kind, " · ", 76) {
        let _ = writeln!(out, "  {line}");
    }
    for i in issues.iter().take(SHOWN_ISSUES) {
        let place = i.place().map(|p| format!(" {p}")).unwrap_or_default();
        let line = format!("{}{place}: {}", i.kind.code(), i.message);
        let _ = writeln!(out, "  [{}] {}", i.severity().label(), inert(&line));
    }
    if issues.len() > SHOWN_ISSUES {
        let _ = writeln!(
            out,
            "  …… 还有 {} 条,完整列表见 Excel 报告的“数据问题”工作表 (按监测站排列) 或 JSON 结果的 issues",
            issues.len() - SHOWN_ISSUES
        );
    }
    out
}

/// One category's ranking table.
fn ranking(run: &Run, units: &[&UnitEval], color: bool, code: bool, weak: Detail, level_detail: Detail) -> Table {
    let set = run.set;
    let mut t = table(color);
    let mut header = vec!["排名"];
    if code {
        header.push("单位代码");
    }
    header.extend(["单位名称", "总分", "预警", "最弱一级指标"]);
    t.set_header(header);
    for e in units {
        let unit = &run.roster.units[e.unit];
        let mut level = match (e.level, level_detail) {
            (Some(l), Short) => short_level(&set.warnings[l].name),
            (Some(l), _) => set.warnings[l].name.clone(),
            (None, _) => "—".into(),
        };
        if !e.vetoed.is_empty() {
            let codes: Vec<&str> = e.vetoed.iter().map(|&v| set.nodes[v].code.as_str()).collect();
            let veto = if level_detail == Short { "否决" } else { "一票否决" };
            level = format!("{level} ({veto} {})", codes.join("、"));
        }
        let mut level_cell = Cell::new(inert(&level));
        if let (true, Some(l)) = (color, e.level) {
            level_cell = level_cell.fg(level_color(&set.warnings[l].level, l));
        }
        let mut row = vec![
            Cell::new(e.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into())).set_alignment(CellAlignment::Right),
        ];
        if code {
            row.push(Cell::new(inert(&unit.code)));
        }
        row.extend([
            Cell::new(inert(&unit.name)),
            Cell::new(e.total.map(|t| fixed(t, set.decimals)).unwrap_or_else(|| "不计分".into()))
                .set_alignment(CellAlignment::Right),
            level_cell,
            Cell::new(inert(&weakest(run, e, weak))),
        ]);
        t.add_row(row);
    }
    t
}

/// 纵向监测 on the terminal: the units warned in any sub-period or flagged, their totals per
/// sub-period (with the level's short name), the whole window and the flags.
fn trend_table(out: &mut String, run: &Run, color: bool, width: usize) {
    let set = run.set;
    let shown: Vec<&UnitEval> = run
        .units_by_code()
        .into_iter()
        .filter(|e| {
            run.trend.iter().any(|p| p.eval.units[e.unit].level.is_some()) || !trend::flags(run, e.unit).is_empty()
        })
        .collect();
    let _ = writeln!(
        out,
        "\n纵向监测 ({} 个子期间;有预警或标记的单位 {} 个,其余 {} 个各期均无预警):",
        run.trend.len(),
        shown.len(),
        run.eval.units.len() - shown.len()
    );
    if shown.is_empty() {
        return;
    }
    let cell = |total: Option<rust_decimal::Decimal>, level: Option<usize>| {
        let t = total.map(|t| fixed(t, set.decimals)).unwrap_or_else(|| "不计分".into());
        let l = level.map(|l| format!(" {}", short_level(&set.warnings[l].name))).unwrap_or_default();
        Cell::new(inert(&format!("{t}{l}"))).set_alignment(CellAlignment::Right)
    };
    // The latest sub-periods matter most: drop the window's column, then the earliest periods.
    let n = run.trend.len();
    let variants = std::iter::once((0, true)).chain((0..n.saturating_sub(1)).map(|skip| (skip, false)));
    let tables = variants.map(|(skip, whole)| {
        let mut t = table(color);
        let mut header: Vec<String> = vec!["单位名称".into()];
        if skip > 0 {
            header.push("…".into());
        }
        header.extend(run.trend[skip..].iter().map(|p| p.period.to_string()));
        if whole {
            header.push(layout::trend::whole(&run.eval.window.to_string()));
        }
        header.push(layout::trend::FLAGS.into());
        t.set_header(header);
        for e in &shown {
            let mut row = vec![Cell::new(inert(&run.roster.units[e.unit].name))];
            if skip > 0 {
                row.push(Cell::new("…"));
            }
            for p in &run.trend[skip..] {
                let pe = &p.eval.units[e.unit];
                row.push(cell(pe.total, pe.level));
            }
            if whole {
                row.push(cell(e.total, e.level));
            }
            let flags: Vec<&str> = trend::flags(run, e.unit).into_iter().map(|f| f.label()).collect();
            row.push(Cell::new(flags.join("、")));
            t.add_row(row);
        }
        t
    });
    let _ = writeln!(out, "{}", fitted(tables, width));
    let note = crate::report::followup::only_in_window_note(run);
    if !note.is_empty() {
        let _ = writeln!(out, "{}", inert(&note));
    }
}

/// Issues per kind, most first; equal counts in the order the kinds are declared.
fn kind_counts(issues: &[&Issue]) -> Vec<(Kind, usize)> {
    let mut counts: Vec<(Kind, usize)> = Vec::new();
    for i in issues {
        match counts.iter_mut().find(|(k, _)| *k == i.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((i.kind, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then((a.0 as u8).cmp(&(b.0 as u8))));
    counts
}

/// The first-level indicator with the lowest score rate: `B 作风建设 45.00/60`, `B 作风建设 45.00`, `B 45.00`.
fn weakest(run: &Run, e: &UnitEval, detail: Detail) -> String {
    let set = run.set;
    match findings::weakest(set, e) {
        Some((r, s)) => {
            let n = &set.nodes[r];
            let score = fixed(s, set.decimals);
            match detail {
                Long => {
                    format!("{} {} {score}/{}", n.code, n.name, n.max.map(crate::number::plain).unwrap_or_default())
                }
                Medium => format!("{} {} {score}", n.code, n.name),
                Short => format!("{} {score}", n.code),
            }
        }
        None => "—".into(),
    }
}

fn level_color(code: &str, index: usize) -> Color {
    match code {
        "red" => Color::Red,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        _ => [Color::Red, Color::Yellow, Color::Blue].get(index).copied().unwrap_or(Color::Magenta),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Period;
    use crate::record::Loaded;
    use crate::roster::{Roster, Unit};

    const SET: &str = "name = \"体系\"\nscale = 10\n[[category]]\ncode = \"t\"\nname = \"镇街区\"\n\
        [[station]]\ncode = \"S\"\nname = \"站\"\n[[warning]]\nlevel = \"red\"\nname = \"红色预警\"\nbelow = 60\n\
        [[indicator]]\ncode = \"A\"\nname = \"甲\"\nmax = 10\nstation = \"S\"\nrule = \"direct\"\n";

    fn render_with(color: bool) -> String {
        let set = crate::indicators::parse(SET.as_bytes()).unwrap();
        let roster = Roster::new(vec![Unit { code: "U1".into(), name: "北马镇".into(), category: 0 }]).unwrap();
        let loaded = Loaded::default();
        let eval = crate::engine::evaluate(&set, &roster, &loaded.records, Period::Quarter(2024, 1));
        render(&Run::new(&set, &roster, &loaded, &eval), color, DEFAULT_WIDTH)
    }

    #[test]
    fn colour_only_when_asked() {
        // No data: A scores 0, a red warning.
        let plain = render_with(false);
        assert!(plain.contains("红色预警") && plain.contains("北马镇"), "{plain}");
        assert!(!plain.contains('\u{1b}'));
        assert!(render_with(true).contains("\u{1b}["));
    }

    #[test]
    fn cjk_columns_line_up() {
        let text = render_with(false);
        let widths: Vec<usize> = text
            .lines()
            .filter(|l| l.starts_with('│') || l.starts_with('┌'))
            .map(unicode_width::UnicodeWidthStr::width)
            .collect();
        assert!(widths.len() >= 3 && widths.iter().all(|&w| w == widths[0]), "{widths:?}\n{text}");
    }
}
