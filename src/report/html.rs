//! The offline dashboard (docs/dashboard.md): one self-contained HTML page — 总览, 排名, 单位画像, 预警, 填报情况 and a
//! rotating 大屏 mode — with charts drawn at build time into inline SVG by charts-rs. It formats what `analysis`
//! computed from result documents (摘要's `Summary` and 核心结论, `analysis::dashboard`); nothing on it needs the
//! network, and a run's page and one built from its saved JSON are the same.

use crate::analysis::conclusions;
use crate::analysis::dashboard::Dashboard;
use crate::analysis::statistics::{Summary, histogram};
use crate::number::fixed;
use crate::period::Period;
use crate::result::ResultDoc;
use crate::xlsx::write::short_level;
use charts_rs::{BarChart, LineChart, RadarChart, RadarIndicator, Series};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

/// The views, in the order of the navigation: (id, title).
pub const VIEWS: [(&str, &str); 5] = [
    ("overview", "总览"),
    ("ranking", "排名"),
    ("portrait", "单位画像"),
    ("warnings", "预警"),
    ("submissions", "填报情况"),
];

/// Forbids every request: the page must open from a USB stick on a machine without a network.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// A bar without a warning.
const NO_WARNING_BAR: &str = "#A6A6A6";

/// Fonts that hold Chinese on the machines offices use, then any sans-serif.
const FONTS: &str = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif";

/// Text from inputs, made inert in HTML (element content and quoted attributes alike).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Everything the page shows, from result documents (a run's own, or saved ones): see `analysis::dashboard`.
pub struct Page<'a> {
    pub doc: &'a ResultDoc,
    pub summary: &'a Summary,
    pub dashboard: &'a Dashboard,
    /// 填报情况 as (监测站, 期间, 状态, 文件, 报送日期); `None` when built from saved results (they do not hold it).
    pub submissions: Option<Vec<[String; 5]>>,
    pub issuer: Option<String>,
    /// The generation time as shown ("2025-01-15 08:00:00 (北京时间)").
    pub time: String,
    /// Per warning level (most severe first): the cell fill and the bar colour, `#RRGGBB`.
    pub fills: Vec<String>,
    pub bars: Vec<String>,
}

impl Page<'_> {
    fn level_name(&self, l: usize) -> &str {
        self.doc.indicator_set.warnings.get(l).map(|w| w.name.as_str()).unwrap_or("")
    }

    fn action(&self, l: usize) -> &str {
        self.doc.indicator_set.warnings.get(l).map(|w| w.action.as_str()).unwrap_or("")
    }

    fn num(&self, d: Decimal) -> String {
        fixed(d, self.doc.indicator_set.decimals.unwrap_or(2))
    }

    fn total(&self, t: Option<Decimal>) -> String {
        t.map(|t| self.num(t)).unwrap_or_else(|| "不计分".into())
    }

    fn level_cell(&self, level: Option<usize>) -> String {
        match level {
            Some(l) => format!("<td class=\"lv{l}\">{}</td>", esc(self.level_name(l))),
            None => "<td>无</td>".into(),
        }
    }
}

/// The page of a run, streamed into `out` (a file): at province scale it is tens of MB.
pub fn run_page_to(
    run: &crate::run::Run,
    prov: &super::provenance::Provenance,
    public: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut sink = Sink { out, error: None };
    with_run_page(run, prov, |page| render_into(page, public, &mut sink));
    sink.error.map_or(Ok(()), Err)
}

/// Text written straight into a byte writer; the first error is kept for the caller.
struct Sink<'a> {
    out: &'a mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

fn with_run_page(run: &crate::run::Run, prov: &super::provenance::Provenance, f: impl FnOnce(&Page)) {
    let doc = super::json::document(run);
    let summary = crate::analysis::statistics::summarize(&doc, run.previous, run.loaded.provisional_reason());
    let dashboard = crate::analysis::dashboard::build(&doc, &[]);
    let set = run.set;
    let submissions = crate::submissions::table(set, run.eval.window, &run.loaded.inputs)
        .into_iter()
        .map(|l| {
            let st = &set.stations[l.station];
            [
                format!("{} {}", st.code, st.name),
                l.period.map(|p| p.to_string()).unwrap_or_else(|| "—".into()),
                l.status.label().to_string(),
                l.file.clone().unwrap_or_default(),
                l.submitted.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let hex = |c: rust_xlsxwriter::Color| match c {
        rust_xlsxwriter::Color::RGB(rgb) => format!("#{rgb:06X}"),
        _ => "#D9D9D9".into(),
    };
    let page = Page {
        doc: &doc,
        summary: &summary,
        dashboard: &dashboard,
        submissions: (!run.is_rollup()).then_some(submissions),
        issuer: prov.issuer.clone(),
        time: crate::xlsx::write::local_text(prov.time, prov.utc_offset),
        fills: super::excel::level_fills(set).into_iter().map(hex).collect(),
        bars: screen_bars(set.warnings.iter().map(|w| w.level.as_str())),
    };
    f(&page)
}

/// Bar colours on screen, as the tables' fills but with a blue dark enough to see on white.
fn screen_bars<'a>(levels: impl Iterator<Item = &'a str>) -> Vec<String> {
    levels
        .enumerate()
        .map(|(i, code)| match crate::xlsx::write::level_color(code, i) {
            rust_xlsxwriter::Color::RGB(crate::xlsx::write::BLUE) => "#9DC3E6".to_string(),
            rust_xlsxwriter::Color::RGB(rgb) => format!("#{rgb:06X}"),
            _ => NO_WARNING_BAR.to_string(),
        })
        .collect()
}

/// The page of saved results (`zhili dashboard`): the latest period is shown, the one before it gives the
/// changes, all of them the trends. `None` without a result.
pub fn saved_page(docs: &[ResultDoc], issuer: Option<String>, time: String, public: bool) -> Option<String> {
    let mut sorted: Vec<&ResultDoc> = docs.iter().collect();
    sorted.sort_by_key(|d| Period::parse(&d.period).ok().map(|p| (p.span().1, std::cmp::Reverse(p.span().0))));
    let doc = *sorted.last()?;
    let previous = sorted.iter().rev().nth(1).copied().filter(|p| {
        let (a, b) = (Period::parse(&p.period).ok(), Period::parse(&doc.period).ok());
        a.zip(b).is_some_and(|(a, b)| a.ends_before(b))
    });
    // The reason, from the saved result's own issues, in the words the run used.
    let count = |k: crate::issue::Kind| doc.issues.iter().filter(|i| i.kind == k.code()).count();
    let provisional = (!doc.complete).then(|| {
        crate::issue::provisional_reason(
            count(crate::issue::Kind::MissingSubmission),
            count(crate::issue::Kind::DuplicateSubmission),
        )
    });
    let summary = crate::analysis::statistics::summarize(doc, previous, provisional);
    let dashboard = crate::analysis::dashboard::build(doc, docs);
    let levels = &doc.indicator_set.warnings;
    let fills = levels
        .iter()
        .enumerate()
        .map(|(i, w)| match crate::xlsx::write::level_color(&w.level, i) {
            rust_xlsxwriter::Color::RGB(rgb) => format!("#{rgb:06X}"),
            _ => "#D9D9D9".into(),
        })
        .collect();
    let bars = screen_bars(levels.iter().map(|w| w.level.as_str()));
    let page = Page { doc, summary: &summary, dashboard: &dashboard, submissions: None, issuer, time, fills, bars };
    Some(render(&page, public))
}

/// The dashboard page. `public` keeps only what 结果公开 may show: unit names, categories, ranks and levels.
pub fn render(p: &Page, public: bool) -> String {
    let mut h = String::new();
    render_into(p, public, &mut h);
    h
}

/// Writes the page into `h` as it goes (a province's page is tens of MB: never held twice).
pub fn render_into(p: &Page, public: bool, h: &mut dyn Write) {
    let doc = p.doc;
    let set = &doc.indicator_set;
    let mut css = String::from(STYLE);
    for (i, fill) in p.fills.iter().enumerate() {
        let _ = writeln!(css, ".lv{i}{{background:{fill}}}");
    }
    let window = Period::parse(&doc.period).map(|w| w.chinese()).unwrap_or_else(|_| doc.period.clone());
    let title = format!("{} {window} {}", set.name, if public { "结果公开" } else { "评价结果" });
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{css}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    let provisional =
        p.summary.provisional.as_deref().map(|why| format!("<p class=\"provisional\">暂定结果:{}</p>", esc(why)));
    let issuer = p.issuer.as_deref().map(|i| format!("{} · ", esc(i))).unwrap_or_default();
    let _ = write!(
        h,
        "<header><h1>{}</h1><p class=\"meta\">{issuer}生成时间 {}</p>{}",
        esc(&title),
        esc(&p.time),
        provisional.unwrap_or_default()
    );
    if public {
        let _ = h.write_str("</header>\n<main>\n");
        areas(h, p, true);
        public_ranking(h, p);
        let _ = h.write_str("</main>\n</body>\n</html>\n");
        return;
    }
    let _ = h.write_str("<nav>");
    for (id, name) in VIEWS {
        let _ = write!(h, "<button data-view=\"{id}\">{name}</button>");
        if id == "ranking" && !doc.groups.is_empty() {
            let _ = write!(h, "<button data-view=\"{AREAS_VIEW}\">区域指数</button>");
        }
    }
    let _ = h
        .write_str("<button id=\"screen-toggle\" title=\"大屏模式 (快捷键 F)\">大屏</button></nav></header>\n<main>\n");
    overview(h, p);
    ranking(h, p);
    areas(h, p, false);
    portraits(h, p);
    warnings(h, p);
    submissions(h, p);
    let _ = h.write_str("</main>\n<script>\n");
    let _ = h.write_str(SCRIPT);
    let _ = h.write_str("</script>\n</body>\n</html>\n");
}

fn overview(h: &mut dyn Write, p: &Page) {
    let s = p.summary;
    let set = &p.doc.indicator_set;
    let _ = h.write_str("<section id=\"overview\" class=\"view\"><h2>总览</h2>\n");
    let errors = p.doc.issues.iter().filter(|i| i.severity == "error").count();
    if !p.doc.issues.is_empty() {
        let _ = write!(
            h,
            "<p class=\"issues\">数据问题:错误 {errors} 条、警告 {} 条 (逐条见 Excel 报告的“数据问题”工作表)</p>",
            p.doc.issues.len() - errors
        );
    }
    let _ = h.write_str("<div class=\"conclusions\"><h3>核心结论</h3><ol>");
    for sentence in conclusions::conclusions(s) {
        let _ = write!(h, "<li>{}</li>", esc(&sentence));
    }
    let _ = h.write_str("</ol></div>\n<h3>各类别总分预警等级</h3><table class=\"counts\"><thead><tr><th>类别</th><th>单位数</th><th>平均分</th>");
    for w in &set.warnings {
        let _ = write!(h, "<th>{}</th>", esc(&w.name));
    }
    let _ = h.write_str("<th>无预警</th><th>一票否决</th></tr></thead><tbody>");
    let mut rows: Vec<(&str, &crate::analysis::statistics::Stats)> =
        s.categories.iter().map(|(n, st)| (n.as_str(), st)).collect();
    if s.categories.len() > 1 {
        rows.push(("全部", &s.overall));
    }
    for (name, st) in rows {
        let mean = st.mean.map(|m| p.num(m)).unwrap_or_else(|| "—".into());
        let _ = write!(h, "<tr><td>{}</td><td>{}</td><td>{mean}</td>", esc(name), st.units);
        for (l, n) in st.levels.iter().enumerate() {
            let class = if *n > 0 { format!(" class=\"lv{l}\"") } else { String::new() };
            let _ = write!(h, "<td{class}>{n}</td>");
        }
        let _ = write!(h, "<td>{}</td><td>{}</td></tr>", st.unwarned, st.vetoed);
    }
    let _ = h.write_str("</tbody></table>\n");

    // The distribution of totals, ten bands of the scale.
    let scale = set.scale.unwrap_or(Decimal::ONE_HUNDRED);
    let bands = histogram(&p.dashboard.totals, scale, 10);
    let mut chart = BarChart::new(
        vec![Series::new("单位数".into(), bands.iter().map(|(_, n)| *n as f32).collect())],
        bands.iter().map(|(label, _)| label.clone()).collect(),
    );
    style(&mut chart.base, "总分分布 (单位数)", 640.0, 320.0);
    chart.base.legend.show = Some(false);
    let _ = writeln!(h, "<h3>总分分布</h3><div class=\"chart\">{}</div>", svg(chart.svg()));

    // Every unit as a tile coloured by its level.
    let _ = h.write_str("<h3>各单位预警等级</h3><div class=\"grid\">");
    for u in &p.dashboard.units {
        let class = u.level.map(|l| format!("tile lv{l}")).unwrap_or_else(|| "tile".into());
        let level = u.level.map(|l| short_level(p.level_name(l))).unwrap_or_default();
        let _ = write!(
            h,
            "<div class=\"{class}\" title=\"{} {}\"><span>{}</span><b>{}</b><i>{}</i></div>",
            esc(&u.code),
            esc(&u.category),
            esc(&u.name),
            p.total(u.total),
            esc(&level)
        );
    }
    let _ = h.write_str("</div></section>\n");
}

fn ranking(h: &mut dyn Write, p: &Page) {
    let set = &p.doc.indicator_set;
    let _ = h.write_str("<section id=\"ranking\" class=\"view\"><h2>排名</h2><div class=\"filters\"><select id=\"f-category\"><option value=\"\">全部类别</option>");
    let mut categories: Vec<&str> = Vec::new();
    for u in &p.dashboard.units {
        if !categories.contains(&u.category.as_str()) {
            categories.push(&u.category);
        }
    }
    for c in categories {
        let _ = write!(h, "<option>{}</option>", esc(c));
    }
    let _ = h.write_str("</select><select id=\"f-level\"><option value=\"\">全部等级</option>");
    for w in &set.warnings {
        let _ = write!(h, "<option>{}</option>", esc(&w.name));
    }
    let _ = h.write_str(
        "<option>无</option></select><input id=\"f-name\" type=\"search\" placeholder=\"按单位名称搜索\"></div>\n",
    );
    let _ = h.write_str("<table id=\"ranking-table\" class=\"sortable\"><thead><tr><th data-type=\"number\">排名</th><th>单位代码</th><th>单位名称</th><th>类别</th><th data-type=\"number\">总分</th><th>总分预警</th><th>最弱一级指标 (得分)</th></tr></thead><tbody>");
    for u in &p.dashboard.units {
        let level = u.level.map(|l| p.level_name(l)).unwrap_or("无");
        let weakest = u.weakest.as_ref().map(|(n, s)| format!("{n} {}", p.num(*s))).unwrap_or_default();
        let _ = write!(
            h,
            "<tr data-category=\"{}\" data-level=\"{}\" data-name=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}<td>{}</td></tr>",
            esc(&u.category),
            esc(level),
            esc(&u.name),
            u.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
            esc(&u.code),
            esc(&u.name),
            esc(&u.category),
            p.total(u.total),
            p.level_cell(u.level),
            esc(&weakest)
        );
    }
    let _ = h.write_str("</tbody></table></section>\n");
}

/// 结果公开: names, categories, ranks and levels — no score, note, record or source anywhere.
/// The view of the area indices (docs/areas.md), shown when the result has any. The public page shows each
/// area's rank and level but no index: an area of one unit would give that unit's score away.
const AREAS_VIEW: &str = "areas";

fn areas(h: &mut dyn Write, p: &Page, public: bool) {
    let doc = p.doc;
    if doc.groups.is_empty() {
        return;
    }
    let numbers = if public { "" } else { "<th>单位数</th><th>指数</th><th>满分</th>" };
    let _ = write!(
        h,
        "<section id=\"{AREAS_VIEW}\" class=\"view\"><h2>区域指数</h2><table><thead><tr><th>区域</th>{numbers}\
         <th>同级排名</th><th>预警</th></tr></thead><tbody>"
    );
    for g in &doc.groups {
        let depth = g.code.matches('/').count();
        let _ = write!(
            h,
            "<tr><td style=\"padding-left:{}em\">{}{}</td>",
            0.5 + 1.5 * depth as f32,
            esc(&g.name),
            if g.provisional { " (暂定)" } else { "" }
        );
        if !public {
            let excluded = if g.excluded > 0 { format!(" (不计分 {})", g.excluded) } else { String::new() };
            let _ = write!(h, "<td>{}{excluded}</td><td>{}</td><td>{}</td>", g.units, p.total(g.index), p.num(g.max));
        }
        let _ = write!(
            h,
            "<td>{}</td>{}</tr>",
            g.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
            p.level_cell(g.level.as_deref().and_then(|l| doc.severity(l)))
        );
    }
    let _ = h.write_str("</tbody></table></section>\n");
}

fn public_ranking(h: &mut dyn Write, p: &Page) {
    let _ = h.write_str("<section class=\"view\"><h2>评价结果</h2><table><thead><tr><th>类别</th><th>排名</th><th>单位名称</th><th>等级</th></tr></thead><tbody>");
    for u in &p.dashboard.units {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
            esc(&u.category),
            u.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
            esc(&u.name),
            p.level_cell(u.level)
        );
    }
    let _ = h.write_str("</tbody></table></section>\n");
}

fn portraits(h: &mut dyn Write, p: &Page) {
    let _ = h.write_str("<section id=\"portrait\" class=\"view\"><h2>单位画像</h2><select id=\"unit-select\">");
    for u in &p.dashboard.units {
        let _ = write!(h, "<option value=\"{}\">{} {}</option>", esc(&u.code), esc(&u.code), esc(&u.name));
    }
    let _ = h.write_str("</select>\n");
    let scale = p.doc.indicator_set.scale.and_then(|s| s.to_f32());
    for u in &p.dashboard.units {
        let _ = write!(
            h,
            "<article class=\"unit\" data-unit=\"{}\"><h3>{} <small>{} · {}</small></h3><p class=\"facts\">总分 <b>{}</b> · 预警 {} · 排名 {} · 本类别平均 {}</p>",
            esc(&u.code),
            esc(&u.name),
            esc(&u.code),
            esc(&u.category),
            p.total(u.total),
            esc(u.level.map(|l| p.level_name(l)).unwrap_or("无")),
            u.rank
                .map(|r| format!("第 {r} 名 / 共 {} 个{}", u.peers, esc(&u.category)))
                .unwrap_or_else(|| "不参与排名".into()),
            u.category_mean.map(|m| p.num(m)).unwrap_or_else(|| "—".into())
        );
        let pct = |d: Option<Decimal>| d.and_then(|d| (d * Decimal::ONE_HUNDRED).to_f32()).unwrap_or(0.0);
        if u.firsts.len() >= 3 {
            let indicators: Vec<RadarIndicator> = u.firsts.iter().map(|f| (f.name.as_str(), 100.0f32).into()).collect();
            let mut radar = RadarChart::new(
                // Short series names: a long unit name would run into the other legend entry.
                vec![
                    Series::new("本单位".into(), u.firsts.iter().map(|f| pct(f.rate)).collect()),
                    Series::new("本类别平均".into(), u.firsts.iter().map(|f| pct(f.category_rate)).collect()),
                ],
                indicators,
            );
            style(&mut radar.base, "一级指标得分率 (%)", 460.0, 400.0);
            let _ = write!(h, "<div class=\"chart\">{}</div>", svg(radar.svg()));
        }
        if !u.firsts.is_empty() {
            let mut bars = BarChart::new(
                vec![Series::new("得分率 (%)".into(), u.firsts.iter().map(|f| pct(f.rate)).collect())],
                u.firsts.iter().map(|f| f.code.clone()).collect(),
            );
            // Each bar in its level's colour, a neutral grey without a warning (never a blue that reads as 蓝色预警).
            let colors = u
                .firsts
                .iter()
                .map(|f| Some(f.level.and_then(|l| p.bars.get(l)).map(String::as_str).unwrap_or(NO_WARNING_BAR).into()))
                .collect();
            bars.base.series_list[0].colors = Some(colors);
            style(&mut bars.base, "一级指标得分率 (%)", 460.0, 300.0);
            bars.base.legend.show = Some(false);
            // From 0 to full marks (100%), so a low rate looks as low as it is.
            if let Some(y) = bars.y_axis_configs.first_mut() {
                (y.min, y.max, y.split_number) = (Some(0.0), Some(100.0), 5);
            }
            let _ = write!(h, "<div class=\"chart\">{}</div>", svg(bars.svg()));
        }
        if u.trend.len() > 1 {
            let totals: Vec<f32> = u.trend.iter().map(|(_, t)| t.and_then(|t| t.to_f32()).unwrap_or(0.0)).collect();
            let mut line = LineChart::new(
                vec![Series::new("总分".into(), totals)],
                u.trend.iter().map(|(p, _)| p.clone()).collect(),
            );
            style(&mut line.base, "总分趋势", 460.0, 300.0);
            if let Some(y) = line.y_axis_configs.first_mut() {
                (y.min, y.max, y.split_number) = (Some(0.0), scale, 5);
            }
            let _ = write!(h, "<div class=\"chart\">{}</div>", svg(line.svg()));
        }
        // Its 扣分点 by first-level indicator, and its warnings.
        let _ = h.write_str(
            "<h4>扣分点</h4><table><thead><tr><th>指标</th><th>满分</th><th>得分</th><th>失分</th></tr></thead><tbody>",
        );
        for g in &u.losses {
            let _ =
                write!(h, "<tr class=\"group\"><td colspan=\"4\">{} 失分 {}</td></tr>", esc(&g.label), p.num(g.lost));
            for (leaf, max, score, lost) in &g.items {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(leaf),
                    p.num(*max),
                    p.num(*score),
                    p.num(*lost)
                );
            }
        }
        let _ = h.write_str("</tbody></table><h4>预警</h4><ul>");
        for (scope, level, score, max) in &u.warnings {
            let _ = write!(
                h,
                "<li><span class=\"lv{level}\">{}</span> {}:{} / {}</li>",
                esc(p.level_name(*level)),
                esc(scope),
                p.num(*score),
                p.num(*max)
            );
        }
        if u.warnings.is_empty() {
            let _ = h.write_str("<li>无</li>");
        }
        let _ = h.write_str("</ul></article>\n");
    }
    let _ = h.write_str("</section>\n");
}

fn warnings(h: &mut dyn Write, p: &Page) {
    let _ = h.write_str("<section id=\"warnings\" class=\"view\"><h2>预警处置清单</h2><table><thead><tr><th>序号</th><th>单位</th><th>类别</th><th>总分</th><th>最高预警</th><th>触发范围</th><th>处置措施</th></tr></thead><tbody>");
    for (i, w) in p.dashboard.work.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td></tr>",
            i + 1,
            esc(&w.name),
            esc(&w.category),
            p.total(w.total),
            p.level_cell(Some(w.level)),
            esc(&w.scopes.join("、")),
            esc(p.action(w.level))
        );
    }
    let _ = h.write_str("</tbody></table></section>\n");
}

fn submissions(h: &mut dyn Write, p: &Page) {
    let _ = h.write_str("<section id=\"submissions\" class=\"view\"><h2>填报情况</h2>");
    match &p.submissions {
        None => {
            let _ = h.write_str(
                "<p class=\"note\">这个页面由保存的结果生成,结果中没有填报情况;请看当期的 Excel 报告“填报情况”工作表。</p>",
            );
        }
        Some(lines) => {
            let _ = h.write_str("<table><thead><tr><th>监测站</th><th>期间</th><th>状态</th><th>文件</th><th>报送日期</th></tr></thead><tbody>");
            for line in lines {
                let _ = h.write_str("<tr>");
                for cell in line {
                    let _ = write!(h, "<td>{}</td>", esc(cell));
                }
                let _ = h.write_str("</tr>");
            }
            let _ = h.write_str("</tbody></table>");
        }
    }
    let _ = h.write_str("</section>\n");
}

fn style(base: &mut charts_rs::ChartBase, title: &str, width: f32, height: f32) {
    base.title.text = title.to_string();
    base.width = width;
    base.height = height;
    base.font_family = FONTS.to_string();
}

/// A chart's SVG, or a note when it could not be drawn (the page still opens).
fn svg<E: std::fmt::Display>(result: Result<String, E>) -> String {
    result.unwrap_or_else(|e| format!("<p class=\"note\">图表无法生成:{}</p>", esc(&e.to_string())))
}

const STYLE: &str = r#"body{font-family:Microsoft YaHei,PingFang SC,Noto Sans CJK SC,sans-serif;margin:0;color:#222;background:#f5f6f8}
header{background:#1f3864;color:#fff;padding:12px 24px;position:sticky;top:0;z-index:2}header h1{margin:0;font-size:22px}.meta{margin:4px 0;opacity:.85}
.provisional{background:#ffc000;color:#000;display:inline-block;padding:2px 8px;margin:4px 0}
nav button{margin:6px 6px 0 0;padding:6px 14px;border:0;border-radius:3px;background:#dbe4f3;font-size:15px;cursor:pointer}
nav button.active{background:#fff;font-weight:bold}
main{padding:12px 24px}.view{background:#fff;padding:12px 20px;margin-bottom:16px;border-radius:4px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}th,td{border:1px solid #d0d7e5;padding:4px 8px;text-align:left}
th{background:#d9e1f2}tr.group td{background:#f2f2f2;font-weight:bold}
.grid{display:flex;flex-wrap:wrap;gap:6px}.tile{width:120px;padding:6px;border:1px solid #bbb;border-radius:3px;font-size:13px;background:#fff}
.tile span{display:block;font-weight:bold}.tile i{float:right;font-style:normal}
.chart{display:inline-block;vertical-align:top;margin:6px}.filters *{margin-right:8px;font-size:14px;padding:3px}
.conclusions li{margin:4px 0;line-height:1.5}.issues{color:#9c0006}
body.js .view{display:none}body.js .view.shown{display:block}body.js .unit{display:none}body.js .unit.shown{display:block}
body.screen{background:#0b1a33;color:#f0f4ff;font-size:150%}body.screen .view{background:#12284d}body.screen table{font-size:22px}
body.screen th{background:#1f3864;color:#fff}body.screen td{border-color:#345}body.screen header h1{font-size:40px}
body.screen .tile{width:180px;font-size:20px;color:#000}body.screen [class^=lv],body.screen [class*=" lv"]{color:#000}
body.screen nav button{font-size:22px}
@media print{nav{display:none}body.js .view{display:block}}
"#;

const SCRIPT: &str = r#"(function(){
var body=document.body;body.classList.add('js');
var views=[].slice.call(document.querySelectorAll('.view'));
function show(id){views.forEach(function(v){v.classList.toggle('shown',v.id===id)});
[].forEach.call(document.querySelectorAll('nav button[data-view]'),function(b){b.classList.toggle('active',b.getAttribute('data-view')===id)});}
[].forEach.call(document.querySelectorAll('nav button[data-view]'),function(b){b.addEventListener('click',function(){show(b.getAttribute('data-view'))})});
var sel=document.getElementById('unit-select');
function unit(code){[].forEach.call(document.querySelectorAll('.unit'),function(u){u.classList.toggle('shown',u.getAttribute('data-unit')===code)})}
if(sel){sel.addEventListener('change',function(){unit(sel.value)});unit(sel.value)}
var fc=document.getElementById('f-category'),fl=document.getElementById('f-level'),fn=document.getElementById('f-name');
function filter(){[].forEach.call(document.querySelectorAll('#ranking-table tbody tr'),function(r){
var ok=(!fc.value||r.getAttribute('data-category')===fc.value)&&(!fl.value||r.getAttribute('data-level')===fl.value)&&(!fn.value||r.getAttribute('data-name').indexOf(fn.value)>=0);
r.style.display=ok?'':'none'})}
[fc,fl,fn].forEach(function(x){if(x){x.addEventListener('input',filter);x.addEventListener('change',filter)}});
[].forEach.call(document.querySelectorAll('table.sortable th'),function(th,i){th.style.cursor='pointer';th.addEventListener('click',function(){
var tb=th.closest('table').tBodies[0],rows=[].slice.call(tb.rows),num=th.getAttribute('data-type')==='number',asc=th.getAttribute('data-asc')!=='1';
th.setAttribute('data-asc',asc?'1':'0');
rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;
if(num){x=parseFloat(x);y=parseFloat(y);x=isNaN(x)?Infinity:x;y=isNaN(y)?Infinity:y;return asc?x-y:y-x}
return asc?x.localeCompare(y,'zh'):y.localeCompare(x,'zh')});rows.forEach(function(r){tb.appendChild(r)})})});
// 大屏: every 8 s, page down through the current view; at its end, the next view from the top.
var timer=null,order=['overview','ranking','warnings'],k=0;
function step(){var v=document.getElementById(order[k]),r=v.getBoundingClientRect();
if(r.bottom>innerHeight+4){scrollBy(0,Math.max(200,innerHeight*0.75))}else{k=(k+1)%order.length;show(order[k]);scrollTo(0,0)}}
function screen(on){body.classList.toggle('screen',on);if(timer){clearInterval(timer);timer=null}
if(on){k=0;show(order[0]);scrollTo(0,0);timer=setInterval(step,8000)}}
// 大屏 asks the browser for full screen too (it may refuse; the dark layout stays).
function toggle(){var on=!body.classList.contains('screen');screen(on);try{if(on&&document.documentElement.requestFullscreen)document.documentElement.requestFullscreen().catch(function(){});if(!on&&document.fullscreenElement)document.exitFullscreen()}catch(x){}}
document.getElementById('screen-toggle').addEventListener('click',toggle);
document.addEventListener('keydown',function(e){if((e.key==='f'||e.key==='F')&&!e.ctrlKey&&!e.metaKey&&!e.altKey&&e.target.tagName!=='INPUT')toggle()});
// The address says what to show: #screen (大屏), #ranking …, #portrait/T07 (a unit's 画像).
var hash=decodeURIComponent(location.hash.slice(1)),parts=hash.split('/');
if(parts[0]==='portrait'&&parts[1]&&sel){sel.value=parts[1];unit(parts[1])}
show(views.some(function(v){return v.id===parts[0]})?parts[0]:'overview');
if(parts[0]==='screen'||location.search.indexOf('screen')>=0)screen(true);
})();
"#;
