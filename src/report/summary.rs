//! The terminal summary (docs/report.md): what an analyst reads right after `zhili score`.
//!
//! Chinese labels, one ranked table per category, counts per warning level
//! and the first data problems. Colour is decided by the caller (a
//! terminal without `NO_COLOR`) and passed in, so the text is testable.

use crate::analysis::findings;
use crate::engine::UnitEval;
use crate::issue::{Issue, Kind, Severity};
use crate::number::fixed;
use crate::run::Run;
use crate::text::inert;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Color, Table};
use std::fmt::Write;

/// How many issues are listed before "还有 N 条".
pub const SHOWN_ISSUES: usize = 10;

pub fn render(run: &Run, color: bool) -> String {
    let set = run.set;
    let dp = set.decimals;
    let mut out = String::new();
    let records: usize = run.loaded.inputs.iter().map(|i| i.records).sum();
    let rejected: usize = run.loaded.inputs.iter().map(|i| i.rejected).sum();
    let version = if set.version.is_empty() { String::new() } else { format!(" ({})", set.version) };
    let provisional = run.loaded.provisional_reason().map(|why| format!(" · 暂定 ({why})")).unwrap_or_default();
    let _ = writeln!(out, "{} · 评价期间 {}{provisional}", inert(&format!("{}{version}", set.name)), run.eval.window);
    // Files of the window only; others (earlier or later periods in the same folder) are counted apart.
    let (in_window, skipped) = run.loaded.window_files(run.eval.window);
    let skipped = if skipped > 0 { format!(" (另有 {skipped} 个不在本期,已跳过)") } else { String::new() };
    let _ = writeln!(
        out,
        "单位 {} 个 · 数据文件 {in_window} 个{skipped} · 有效记录 {records} 条 · 拒收 {rejected} 条",
        run.roster.units.len(),
    );

    let submissions = crate::submissions::table(set, run.eval.window, &run.loaded.inputs);
    let _ = writeln!(out, "填报情况: {}", crate::submissions::counts(&submissions));

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
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED);
        if color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table.set_header(vec!["排名", "单位代码", "单位名称", "总分", "预警", "最弱一级指标"]);
        for e in units {
            let unit = &run.roster.units[e.unit];
            let mut level = e.level.map(|l| set.warnings[l].name.clone()).unwrap_or_else(|| "—".into());
            if !e.vetoed.is_empty() {
                let codes: Vec<&str> = e.vetoed.iter().map(|&v| set.nodes[v].code.as_str()).collect();
                level = format!("{level} (一票否决 {})", codes.join("、"));
            }
            let mut level_cell = Cell::new(inert(&level));
            if let (true, Some(l)) = (color, e.level) {
                level_cell = level_cell.fg(level_color(&set.warnings[l].level, l));
            }
            table.add_row(vec![
                Cell::new(e.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()))
                    .set_alignment(CellAlignment::Right),
                Cell::new(inert(&unit.code)),
                Cell::new(inert(&unit.name)),
                Cell::new(e.total.map(|t| fixed(t, dp)).unwrap_or_else(|| "不计分".into()))
                    .set_alignment(CellAlignment::Right),
                level_cell,
                Cell::new(inert(&weakest(run, e))),
            ]);
        }
        let _ = writeln!(out, "{table}");
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
        let _ = writeln!(out, "\n预警: {}", parts.join(" · "));
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

/// Joins `parts` with `sep` into lines of at most `width` display columns
/// (a part longer than that gets a line of its own), so an 80-column
/// terminal never wraps them mid-part.
fn pack(parts: &[String], sep: &str, width: usize) -> Vec<String> {
    let w = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let mut lines: Vec<String> = Vec::new();
    for p in parts {
        match lines.last_mut() {
            Some(l) if w(l) + w(sep) + w(p) <= width => {
                l.push_str(sep);
                l.push_str(p);
            }
            _ => lines.push(p.clone()),
        }
    }
    lines
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

/// The first-level indicator with the lowest score rate, e.g. `B 作风建设 45.00/60`.
fn weakest(run: &Run, e: &UnitEval) -> String {
    let set = run.set;
    match findings::weakest(set, e) {
        Some((r, s)) => {
            let n = &set.nodes[r];
            format!(
                "{} {} {}/{}",
                n.code,
                n.name,
                fixed(s, set.decimals),
                n.max.map(crate::number::plain).unwrap_or_default()
            )
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
        render(&Run::new(&set, &roster, &loaded, &eval), color)
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
