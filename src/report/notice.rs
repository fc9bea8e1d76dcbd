//! Draft documents for warnings (docs/notices.md): per warned unit the document its worst level calls for
//! (纪检监察建议书, 预警通知书), and one 约谈提醒名单 for the units whose worst level is the least severe — DOCX laid
//! out after GB/T 9704, written with docx-rs from templates whose placeholders are filled from the run.

use super::rows::{is_confidential, node_label};
use crate::analysis::findings::{WorkItem, work_list};
use crate::analysis::losses::unit_deductions;
use crate::analysis::statistics::veto_label;
use crate::ledger::Ledger;
use crate::number::fixed;
use crate::record::Record;
use crate::run::Run;
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run as DocRun, RunFonts,
    SpecialIndentType,
};

/// Two characters of 三号 (16 pt) in twips: the first-line indent of the body.
const INDENT: i32 = 640;

/// The document types, by a level's code (the set's `[[warning]] document` overrides): red, yellow, blue.
pub const ADVICE: &str = "纪检监察建议书";
pub const NOTICE: &str = "预警通知书";
pub const TALK: &str = "约谈提醒";

/// The document a warning level calls for: its `document`, else by its code or position.
pub fn document_for(run: &Run, level: usize) -> String {
    let w = &run.set.warnings[level];
    document_of(&w.level, level, w.document.as_deref())
}

/// The document of the level with this code at this position (0 = most severe), unless the set names one.
fn document_of(code: &str, position: usize, document: Option<&str>) -> String {
    if let Some(d) = document {
        return d.to_string();
    }
    match (code, position) {
        ("red", _) | (_, 0) => ADVICE,
        ("yellow", _) | (_, 1) => NOTICE,
        _ => TALK,
    }
    .to_string()
}

/// The built-in template of a unit's document. `{…}` are placeholders ([`PLACEHOLDERS`]); a line starting
/// with "一、" … is a first-level heading (黑体), with "（一）" a second-level one (楷体).
pub const UNIT_TEMPLATE: &str = "\
关于{单位}的{文书}
{文号}
{单位}:
根据{指标体系}{期间}评价结果,你单位总分{总分}分,为{等级}。{一票否决}
一、存在的主要问题
（一）一级指标预警
{一级指标预警}
（二）扣分点
{扣分点}
二、整改要求
请你单位按照“{处置措施}”的要求,对照上述问题逐项整改,于{整改期限}前将整改情况书面报送{落款}。{问题编号}
{落款}
{日期}";

/// The folder of the project holding its own templates, one `<文书名称>.txt` each (e.g. `预警通知书.txt`).
pub const TEMPLATE_DIR: &str = "文书模板";

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 14] = [
    "单位",
    "文书",
    "文号",
    "指标体系",
    "期间",
    "总分",
    "等级",
    "一票否决",
    "一级指标预警",
    "扣分点",
    "处置措施",
    "整改期限",
    "问题编号",
    "落款",
];

/// Fills a template: every `{name}` from `values` (plus 日期); an unknown placeholder is an error naming it.
pub fn fill(template: &str, values: &[(&str, String)], date: &str) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("模板中的“{{”没有配对的“}}”: {}", &rest[open..]))?;
        let name = &after[..close];
        match values.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => out.push_str(v),
            None if name == "日期" => out.push_str(date),
            None => {
                return Err(format!(
                    "模板中有未知的占位符 {{{name}}};可用的占位符: {}、日期",
                    PLACEHOLDERS.map(|p| format!("{{{p}}}")).join("、")
                ));
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// One unit's document, from the project's template for its kind if there is one, else the built-in one.
/// What every document of a run shares: the ledger (for 问题编号), who issues them and when, and the templates
/// the project gives instead of [`UNIT_TEMPLATE`] as (document name, template text, where it came from).
pub struct Drafting<'a> {
    pub ledger: Option<&'a Ledger>,
    pub issuer: String,
    /// The date written under the signature ("2025年1月15日") and the documents' time (ISO 8601, UTC).
    pub date: String,
    pub time: String,
    pub templates: Vec<(String, String, String)>,
}

pub fn unit_document(run: &Run, item: &WorkItem, own: &[&Record], d: &Drafting) -> Result<Vec<u8>, String> {
    let set = run.set;
    let e = item.eval;
    let unit = &run.roster.units[e.unit];
    let dp = set.decimals;
    let level = &set.warnings[item.level];
    let firsts = e
        .warnings
        .iter()
        .filter_map(|w| w.scope.map(|r| (r, w)))
        .map(|(r, w)| first_line(&node_label(run, r), w.score, w.max, &set.warnings[w.level].name, dp))
        .collect();
    let content = Content {
        unit: unit.name.clone(),
        code: unit.code.clone(),
        kind: document_for(run, item.level),
        set: set.name.clone(),
        period: run.eval.window.chinese(),
        total: e.total.map(|t| fixed(t, dp)).unwrap_or_else(|| "不计分".into()),
        level: e.level.map(|l| set.warnings[l].name.clone()).unwrap_or_else(|| level.name.clone()),
        vetoes: e.vetoed.iter().map(|&v| veto_label(&set.nodes[v].code, &set.nodes[v].name)).collect(),
        firsts,
        deductions: unit_deductions(set, e, own).iter().map(|x| deduction_line(run, x)).collect(),
        action: level.action.clone(),
    };
    content.render(d)
}

/// What a unit's document says, already worded; from a run or from a saved result.
pub struct Content {
    pub unit: String,
    pub code: String,
    pub kind: String,
    pub set: String,
    pub period: String,
    pub total: String,
    pub level: String,
    pub vetoes: Vec<String>,
    pub firsts: Vec<String>,
    pub deductions: Vec<String>,
    pub action: String,
}

/// "A 政治建设 43.75 分 (满分 100.00),红色预警。"
fn first_line(label: &str, score: rust_decimal::Decimal, max: rust_decimal::Decimal, level: &str, dp: u32) -> String {
    format!("{label} {} 分 (满分 {}),{level}。", fixed(score, dp), fixed(max, dp))
}

impl Content {
    /// The DOCX: the project's template for this kind if there is one, else [`UNIT_TEMPLATE`].
    pub fn render(&self, d: &Drafting) -> Result<Vec<u8>, String> {
        let ids: Vec<String> = d
            .ledger
            .map(|l| l.items.iter().filter(|i| i.unit == self.code && i.status.open()).map(|i| i.id.clone()).collect())
            .unwrap_or_default();
        let numbered = |lines: &[String]| {
            if lines.is_empty() {
                "无。".to_string()
            } else {
                lines.iter().enumerate().map(|(i, l)| format!("{}. {l}", i + 1)).collect::<Vec<_>>().join("\n")
            }
        };
        let vetoes = if self.vetoes.is_empty() {
            String::new()
        } else {
            format!("触发一票否决:{}。", self.vetoes.join("、"))
        };
        let values = [
            ("单位", self.unit.clone()),
            ("文书", self.kind.clone()),
            ("文号", "〔　　〕第　　号".to_string()),
            ("指标体系", self.set.clone()),
            ("期间", self.period.clone()),
            ("总分", self.total.clone()),
            ("等级", self.level.clone()),
            ("一票否决", vetoes),
            ("一级指标预警", numbered(&self.firsts)),
            ("扣分点", numbered(&self.deductions)),
            ("处置措施", self.action.clone()),
            ("整改期限", "　　年　　月　　日".to_string()),
            ("问题编号", if ids.is_empty() { String::new() } else { format!("问题台账编号:{}。", ids.join("、")) }),
            ("落款", d.issuer.clone()),
        ];
        let text = match d.templates.iter().find(|(kind, _, _)| *kind == self.kind) {
            Some((_, template, from)) => fill(template, &values, &d.date).map_err(|e| format!("{from}: {e}"))?,
            None => fill(UNIT_TEMPLATE, &values, &d.date)?,
        };
        Ok(docx(&text, &d.time))
    }
}

/// The documents of a saved result (`zhili notices`): per warned unit as from a run, but 扣分点 without sources
/// (a result holds no records), and no 抄送函 or 监督活页 (it holds no routing); a level's document as the set chose it, else by its code.
pub fn saved(doc: &crate::result::ResultDoc, d: &Drafting) -> Result<Vec<(String, Vec<u8>)>, String> {
    let set = &doc.indicator_set;
    let dp = set.decimals.unwrap_or(2);
    let page = crate::analysis::dashboard::build(doc, &[]);
    let period = crate::period::Period::parse(&doc.period).map(|p| p.chinese()).unwrap_or_else(|_| doc.period.clone());
    let kind_of = |l: usize| {
        let w = set.warnings.get(l);
        document_of(w.map(|w| w.level.as_str()).unwrap_or(""), l, w.and_then(|w| w.document.as_deref()))
    };
    let level_name = |l: usize| set.warnings.get(l).map(|w| w.name.clone()).unwrap_or_default();
    let mut out = Vec::new();
    let mut talks: Vec<String> = Vec::new();
    for w in &page.work {
        let Some(u) = page.units.iter().find(|u| u.code == w.code) else { continue };
        let kind = kind_of(w.level);
        let total = u.total.map(|t| fixed(t, dp)).unwrap_or_else(|| "不计分".into());
        let action = set.warnings.get(w.level).map(|l| l.action.clone()).unwrap_or_default();
        if kind == TALK {
            talks.push(format!(
                "{}:总分 {total} 分,{};预警范围:{};处置:{action}。",
                u.name,
                level_name(w.level),
                w.scopes.join("、")
            ));
            continue;
        }
        let mut deductions: Vec<(rust_decimal::Decimal, String)> = u
            .losses
            .iter()
            .flat_map(|g| g.items.iter())
            .map(|(label, _, _, lost)| (*lost, format!("{label} 失分 {} 分。", fixed(*lost, dp))))
            .collect();
        deductions.sort_by_key(|x| std::cmp::Reverse(x.0));
        let uresult = doc.unit(&u.code);
        let content = Content {
            unit: u.name.clone(),
            code: u.code.clone(),
            kind: kind.clone(),
            set: set.name.clone(),
            period: period.clone(),
            total,
            level: u.level.map(level_name).unwrap_or_else(|| level_name(w.level)),
            vetoes: uresult
                .map(|r| r.vetoed.iter().map(|v| veto_label(v, doc.indicator_name(v).unwrap_or(""))).collect())
                .unwrap_or_default(),
            firsts: u
                .warnings
                .iter()
                .filter(|(label, _, _, _)| label != "总分")
                .map(|(label, l, score, max)| first_line(label, *score, *max, &level_name(*l), dp))
                .collect(),
            deductions: deductions.into_iter().map(|(_, l)| l).collect(),
            action,
        };
        let name = super::unit::file_name_as(&u.code, &format!("{}-{kind}", u.name), "docx");
        out.push((name, content.render(d)?));
    }
    if !talks.is_empty() {
        let first =
            page.work.iter().find(|w| kind_of(w.level) == TALK).map(|w| level_name(w.level)).unwrap_or_default();
        out.push((format!("{}约谈提醒名单.docx", doc.period), talk_text(&set.name, &period, &first, &talks, d)));
    }
    Ok(out)
}

/// The 约谈提醒名单's text and DOCX from its lines.
fn talk_text(set: &str, period: &str, level: &str, lines: &[String], d: &Drafting) -> Vec<u8> {
    let mut text = format!("{set}{period}约谈提醒名单\n〔　　〕第　　号\n各有关单位:\n");
    text.push_str(&format!("根据{set}{period}评价结果,下列单位触发{level},按规定进行约谈提醒:\n"));
    for (i, line) in lines.iter().enumerate() {
        text.push_str(&format!("{}. {line}\n", i + 1));
    }
    text.push_str(&format!("{}\n{}", d.issuer, d.date));
    docx(&text, &d.time)
}

/// The 约谈提醒名单: every unit whose worst level calls for a 约谈提醒.
pub fn talk_list(run: &Run, items: &[&WorkItem], d: &Drafting) -> Vec<u8> {
    let set = run.set;
    let level = items.first().map(|i| set.warnings[i.level].name.as_str()).unwrap_or("预警");
    let lines: Vec<String> = items.iter().map(|i| warning_line(run, i)).collect();
    talk_text(&set.name, &run.eval.window.chinese(), level, &lines, d)
}

/// A 扣分点 as a document lists it: "C2.2 村级组织运转保障 失分 25.00 分 (来源:文件!工作表!行)" — no source from a
/// confidential station.
fn deduction_line(run: &Run, d: &crate::analysis::losses::Deduction) -> String {
    let sources: Vec<String> = d
        .records
        .iter()
        .filter(|r| !is_confidential(run, r))
        .map(|r| format!("{}!{}", run.loaded.inputs[r.input].source(), r.row + 1))
        .collect();
    let from = if sources.is_empty() { String::new() } else { format!(" (来源:{})", sources.join(";")) };
    format!("{} 失分 {} 分{from}。", node_label(run, d.leaf), fixed(d.lost, run.set.decimals))
}

/// A unit's worst warning in one line: "北马镇:总分 359.66 分,红色预警;预警范围:总分、A 政治建设;处置:…".
fn warning_line(run: &Run, item: &WorkItem) -> String {
    let set = run.set;
    let e = item.eval;
    let scopes: Vec<String> =
        item.scopes.iter().map(|s| s.map(|r| node_label(run, r)).unwrap_or_else(|| "总分".into())).collect();
    format!(
        "{}:总分 {} 分,{};预警范围:{};处置:{}。",
        run.roster.units[e.unit].name,
        e.total.map(|t| fixed(t, set.decimals)).unwrap_or_else(|| "不计分".into()),
        set.warnings[item.level].name,
        scopes.join("、"),
        set.warnings[item.level].action
    )
}

/// 抄送函: to a 分管领导, the warnings of the units in their charge.
pub fn copy_letter(run: &Run, leader: &str, items: &[&WorkItem], issuer: &str, date: &str, time: &str) -> Vec<u8> {
    let period = run.eval.window.chinese();
    let mut text = format!("关于{period}分管单位预警情况的抄送函\n〔　　〕第　　号\n{leader}:\n");
    text.push_str(&format!(
        "根据{}{period}评价结果,您分管的下列单位触发预警,已按规定处置,现抄送您,请督促整改:\n",
        run.set.name
    ));
    for (i, item) in items.iter().enumerate() {
        text.push_str(&format!("{}. {}\n", i + 1, warning_line(run, item)));
    }
    text.push_str(&format!("{issuer}\n{date}"));
    docx(&text, time)
}

/// 日常监督活页: for a 监督单位, each of its units' 扣分点 (units without any are named as such).
pub fn supervision_sheet(
    run: &Run,
    supervisor: &str,
    units: &[usize],
    by_unit: &[Vec<&Record>],
    issuer: &str,
    date: &str,
    time: &str,
) -> Vec<u8> {
    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let set = run.set;
    let mut text = format!("{supervisor}日常监督活页\n{}\n{supervisor}:\n", run.eval.window.chinese());
    text.push_str(&format!("根据{}{}评价结果,你单位监督的各单位扣分情况如下:\n", set.name, run.eval.window.chinese()));
    for (n, &u) in units.iter().enumerate() {
        let Some(e) = run.eval.units.iter().find(|e| e.unit == u) else { continue };
        let number = NUMERALS.get(n).map(|s| s.to_string()).unwrap_or_else(|| (n + 1).to_string());
        let level = e.level.map(|l| set.warnings[l].name.as_str()).unwrap_or("无预警");
        let total = e.total.map(|t| fixed(t, set.decimals)).unwrap_or_else(|| "不计分".into());
        text.push_str(&format!("{number}、{} (总分 {total} 分,{level})\n", run.roster.units[u].name));
        let lost = unit_deductions(set, e, &by_unit[u]);
        if lost.is_empty() {
            text.push_str("各项指标均未失分。\n");
        }
        for (i, d) in lost.iter().enumerate() {
            text.push_str(&format!("{}. {}\n", i + 1, deduction_line(run, d)));
        }
    }
    text.push_str(&format!("{issuer}\n{date}"));
    docx(&text, time)
}

/// Every document of a run: (file name, bytes). File names are safe on Windows.
pub fn all(run: &Run, d: &Drafting) -> Result<Vec<(String, Vec<u8>)>, String> {
    let (issuer, date, time) = (d.issuer.as_str(), d.date.as_str(), d.time.as_str());
    let mut by_unit: Vec<Vec<&Record>> = vec![Vec::new(); run.roster.units.len()];
    for r in &run.loaded.records {
        by_unit[r.unit].push(r);
    }
    let items = work_list(run.roster, &run.eval.units);
    let mut out = Vec::new();
    let mut talks: Vec<&WorkItem> = Vec::new();
    for item in &items {
        let kind = document_for(run, item.level);
        if kind == TALK {
            talks.push(item);
            continue;
        }
        let u = &run.roster.units[item.eval.unit];
        let name = super::unit::file_name_as(&u.code, &format!("{}-{kind}", u.name), "docx");
        out.push((name, unit_document(run, item, &by_unit[item.eval.unit], d)?));
    }
    if !talks.is_empty() {
        out.push((format!("{}约谈提醒名单.docx", run.eval.window), talk_list(run, &talks, d)));
    }
    // Routed, when the roster names leaders and supervisors (docs/ledger.md): a 抄送函 per 分管领导 with
    // their units' warnings, a 日常监督活页 per 监督单位 with each of its units' 扣分点.
    for (route, to, list) in crate::analysis::findings::routed(run.roster, &items) {
        if route == crate::analysis::findings::Route::Leader {
            out.push((
                format!("抄送函-{}.docx", super::unit::clean_name(&to)),
                copy_letter(run, &to, &list, issuer, date, time),
            ));
        }
    }
    let mut supervisors: Vec<String> = Vec::new();
    for u in 0..run.roster.units.len() {
        if let Some(s) = run.roster.routing(u).supervisor
            && !supervisors.contains(&s)
        {
            supervisors.push(s);
        }
    }
    for s in supervisors {
        let units: Vec<usize> = (0..run.roster.units.len())
            .filter(|&u| run.roster.routing(u).supervisor.as_deref() == Some(s.as_str()))
            .collect();
        out.push((
            format!("监督活页-{}.docx", super::unit::clean_name(&s)),
            supervision_sheet(run, &s, &units, &by_unit, issuer, date, time),
        ));
    }
    Ok(out)
}

/// Twips (1/20 pt) of a length in millimetres.
fn mm(v: f64) -> i32 {
    (v / 25.4 * 1440.0).round() as i32
}

/// A 公文 draft after GB/T 9704: A4; margins 37/35/28/26 mm; the title (first line) in 方正小标宋简体 二号 (22 pt)
/// centred; the 文号 line centred; body 仿宋_GB2312 三号 (16 pt), 22 lines of 28 characters a page (exact line
/// height 29 pt), first lines indented two characters; "一、" headings 黑体, "（一）" headings 楷体; the signature
/// and date right-aligned; page numbers "— 1 —" in 4号 (14 pt) at the foot.
fn docx(text: &str, time: &str) -> Vec<u8> {
    let fonts = |f: &str| RunFonts::new().east_asia(f).ascii(f).hi_ansi(f);
    let exact = LineSpacing::new().line_rule(LineSpacingType::Exact).line(580);
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin::new().top(mm(37.0)).bottom(mm(35.0)).left(mm(28.0)).right(mm(26.0)))
        .created_at(time)
        .updated_at(time);
    for (i, line) in lines.iter().enumerate() {
        let run = |font: &str, size: usize| DocRun::new().add_text(*line).size(size).fonts(fonts(font));
        let p = if i == 0 {
            Paragraph::new().add_run(run("方正小标宋简体", 44)).align(AlignmentType::Center)
        } else if i == 1 {
            Paragraph::new().add_run(run("仿宋_GB2312", 32)).align(AlignmentType::Center).line_spacing(exact.clone())
        } else if i + 2 >= n {
            // 落款 and 日期.
            Paragraph::new().add_run(run("仿宋_GB2312", 32)).align(AlignmentType::Right).line_spacing(exact.clone())
        } else if starts_heading(line, false) {
            Paragraph::new()
                .add_run(run("黑体", 32))
                .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, Some(200))
                .line_spacing(exact.clone())
        } else if starts_heading(line, true) {
            Paragraph::new()
                .add_run(run("楷体_GB2312", 32))
                .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, Some(200))
                .line_spacing(exact.clone())
        } else if i == 2 {
            // 主送: flush left.
            Paragraph::new().add_run(run("仿宋_GB2312", 32)).line_spacing(exact.clone())
        } else {
            Paragraph::new()
                .add_run(run("仿宋_GB2312", 32))
                .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, Some(200))
                .line_spacing(exact.clone())
        };
        doc = doc.add_paragraph(p);
    }
    let page = Paragraph::new()
        .add_run(DocRun::new().add_text("— ").size(28))
        .add_page_num(PageNum::new())
        .add_run(DocRun::new().add_text(" —").size(28))
        .align(AlignmentType::Center);
    doc = doc.footer(Footer::new().add_paragraph(page));
    let mut bytes = std::io::Cursor::new(Vec::new());
    // Packing into memory cannot fail but for a bug in the zip writer.
    let _ = doc.build().pack(&mut bytes);
    bytes.into_inner()
}

/// "一、…" (a first-level heading) or "（一）…" (second-level).
fn starts_heading(line: &str, second: bool) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十";
    let mut chars = line.chars();
    if second {
        chars.next() == Some('（') && chars.next().is_some_and(|c| NUMERALS.contains(c)) && chars.next() == Some('）')
    } else {
        chars.next().is_some_and(|c| NUMERALS.contains(c)) && chars.next() == Some('、')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_named() {
        let values = [("单位", "北马镇".to_string())];
        assert_eq!(
            fill("关于{单位}的通知 {日期}", &values, "2025年1月15日").unwrap(),
            "关于北马镇的通知 2025年1月15日"
        );
        let err = fill("{单位}{负责人}", &values, "d").unwrap_err();
        assert!(err.contains("未知的占位符 {负责人}") && err.contains("{扣分点}"), "{err}");
        assert!(fill("{单位", &values, "d").unwrap_err().contains("没有配对"));
        // Text filled in is not read again: a unit called "{扣分点}" stays as it is.
        let odd = [("单位", "{扣分点}".to_string())];
        assert_eq!(fill("{单位}", &odd, "d").unwrap(), "{扣分点}");
    }

    #[test]
    fn headings_by_their_numbering() {
        assert!(starts_heading("一、存在的主要问题", false));
        assert!(starts_heading("（二）扣分点", true));
        assert!(!starts_heading("1. A1 失分", false) && !starts_heading("一票否决", false));
    }

    #[test]
    fn the_template_uses_only_known_placeholders() {
        let values: Vec<(&str, String)> = PLACEHOLDERS.iter().map(|p| (*p, String::new())).collect();
        assert!(fill(UNIT_TEMPLATE, &values, "").is_ok());
    }
}
