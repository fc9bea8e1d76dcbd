//! Draft documents for warnings (docs/notices.md): per warned unit the document its worst level calls for
//! (纪检监察建议书, 预警通知书), and one 约谈提醒名单 for the units whose worst level is the least severe — DOCX laid
//! out after GB/T 9704, written with docx-rs from templates whose placeholders are filled from the run.

use super::rows::{is_confidential, node_label};
use crate::analysis::findings::{WorkItem, work_list};
use crate::analysis::losses::unit_deductions;
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
    if let Some(d) = w.document.as_deref() {
        return d.to_string();
    }
    match (w.level.as_str(), level) {
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
    let (ledger, issuer, date, time) = (d.ledger, d.issuer.as_str(), d.date.as_str(), d.time.as_str());
    let set = run.set;
    let e = item.eval;
    let unit = &run.roster.units[e.unit];
    let dp = set.decimals;
    let doc_type = document_for(run, item.level);
    let level = &set.warnings[item.level];
    let firsts: Vec<String> = e
        .warnings
        .iter()
        .filter_map(|w| w.scope.map(|r| (r, w)))
        .map(|(r, w)| {
            format!(
                "{} {} 分 (满分 {}),{}。",
                node_label(run, r),
                fixed(w.score, dp),
                fixed(w.max, dp),
                set.warnings[w.level].name
            )
        })
        .collect();
    let deductions: Vec<String> = unit_deductions(set, e, own).iter().map(|d| deduction_line(run, d)).collect();
    let vetoes: Vec<String> = e.vetoed.iter().map(|&v| node_label(run, v)).collect();
    let ids: Vec<String> = ledger
        .map(|l| l.items.iter().filter(|i| i.unit == unit.code && i.status.open()).map(|i| i.id.clone()).collect())
        .unwrap_or_default();
    let numbered = |lines: Vec<String>| {
        if lines.is_empty() {
            "无。".to_string()
        } else {
            lines.iter().enumerate().map(|(i, l)| format!("{}. {l}", i + 1)).collect::<Vec<_>>().join("\n")
        }
    };
    let values = [
        ("单位", unit.name.clone()),
        ("文书", doc_type.clone()),
        ("文号", "〔　　〕第　　号".to_string()),
        ("指标体系", set.name.clone()),
        ("期间", run.eval.window.chinese()),
        ("总分", e.total.map(|t| fixed(t, dp)).unwrap_or_else(|| "不计分".into())),
        ("等级", e.level.map(|l| set.warnings[l].name.clone()).unwrap_or_else(|| level.name.clone())),
        ("一票否决", if vetoes.is_empty() { String::new() } else { format!("触发一票否决:{}。", vetoes.join("、")) }),
        ("一级指标预警", numbered(firsts)),
        ("扣分点", numbered(deductions)),
        ("处置措施", level.action.clone()),
        ("整改期限", "　　年　　月　　日".to_string()),
        ("问题编号", if ids.is_empty() { String::new() } else { format!("问题台账编号:{}。", ids.join("、")) }),
        ("落款", issuer.to_string()),
    ];
    let text = match d.templates.iter().find(|(kind, _, _)| *kind == doc_type) {
        Some((_, template, from)) => fill(template, &values, date).map_err(|e| format!("{from}: {e}"))?,
        None => fill(UNIT_TEMPLATE, &values, date)?,
    };
    Ok(docx(&text, time))
}

/// The 约谈提醒名单: every unit whose worst level calls for a 约谈提醒.
pub fn talk_list(run: &Run, items: &[&WorkItem], issuer: &str, date: &str, time: &str) -> Vec<u8> {
    let set = run.set;
    let mut text =
        format!("{}{}约谈提醒名单\n{}\n各有关单位:\n", set.name, run.eval.window.chinese(), "〔　　〕第　　号");
    text.push_str(&format!(
        "根据{}{}评价结果,下列单位触发{},按规定进行约谈提醒:\n",
        set.name,
        run.eval.window.chinese(),
        items.first().map(|i| set.warnings[i.level].name.as_str()).unwrap_or("预警")
    ));
    for (i, item) in items.iter().enumerate() {
        text.push_str(&format!("{}. {}\n", i + 1, warning_line(run, item)));
    }
    text.push_str(&format!("{issuer}\n{date}"));
    docx(&text, time)
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

/// A file name safe on Windows: `/\:*?"<>|` and control characters become `_`.
fn safe(name: &str) -> String {
    name.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect()
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
        let name = super::unit::file_name(&u.code, &format!("{}-{kind}", u.name)).replace(".xlsx", ".docx");
        out.push((name, unit_document(run, item, &by_unit[item.eval.unit], d)?));
    }
    if !talks.is_empty() {
        out.push((format!("{}约谈提醒名单.docx", run.eval.window), talk_list(run, &talks, issuer, date, time)));
    }
    // Routed, when the roster names leaders and supervisors (docs/ledger.md): a 抄送函 per 分管领导 with
    // their units' warnings, a 日常监督活页 per 监督单位 with each of its units' 扣分点.
    for (route, to, list) in crate::analysis::findings::routed(run.roster, &items) {
        if route == crate::analysis::findings::Route::Leader {
            out.push((safe(&format!("抄送函-{to}.docx")), copy_letter(run, &to, &list, issuer, date, time)));
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
            safe(&format!("监督活页-{s}.docx")),
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
