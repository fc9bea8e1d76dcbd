//! Draft documents (DOCX) read back as XML: the unit, its total, every 扣分点 and 问题编号 are there;
//! confidential sources are not; hostile text stays text; the bytes are stable.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use std::io::{Cursor, Read};

/// The text of a DOCX's body: its runs joined (docx-rs writes each paragraph's text in `<w:t>` runs).
fn body(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

fn plain(xml: &str) -> String {
    let mut out = String::new();
    for part in xml.split("<w:t").skip(1) {
        let start = part.find('>').unwrap() + 1;
        let end = part.find("</w:t>").unwrap_or(start);
        out.push_str(&part[start..end]);
        out.push('\n');
    }
    out
}

#[test]
fn longkou_documents_hold_the_numbers_and_keep_secrets() {
    let wd = Workdir::new();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    let env = [("SOURCE_DATE_EPOCH", "1736899200")];
    let base = ["score", &dir, "-q", "--ledger", "台账.xlsx", "--out", "r.xlsx"];
    let mut q3 = base.to_vec();
    q3.extend(["--period", "2024Q3", "--json", "q3.json"]);
    wd.run_with(&q3, &env).status(0);
    let mut q4 = base.to_vec();
    q4.extend(["--period", "2024Q4", "--json", "q4.json", "--notices", "文书"]);
    wd.run_with(&q4, &env).status(3);
    let json = wd.json("q4.json");
    let unit = |code: &str| json["units"].as_array().unwrap().iter().find(|u| u["code"] == code).unwrap().clone();

    // 新嘉街道 is vetoed: the veto is named once, without the indicator name's own "(一票否决)".
    let t03 = plain(&body(&wd.read("文书/T03-新嘉街道-纪检监察建议书.docx")));
    assert!(t03.contains("触发一票否决:G9 发生重大腐败案件。"), "{t03}");
    assert_eq!(t03.matches("一票否决").count(), 1, "{t03}");
    // 北马镇 (red): its document is a 纪检监察建议书 with its total, each 扣分点 and its ledger numbers.
    let xml = body(&wd.read("文书/T07-北马镇-纪检监察建议书.docx"));
    let text = plain(&xml);
    assert!(text.starts_with("关于北马镇的纪检监察建议书\n"), "{text}");
    let t07 = unit("T07");
    assert!(text.contains(&format!("你单位总分{:.2}分,为红色预警。", t07["total"].as_f64().unwrap())), "{text}");
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read("r.xlsx"))).unwrap();
    let method = x.worksheet_range("指标体系").unwrap();
    let mut checked = 0;
    for row in method.rows().skip(1) {
        let (code, name) = (row[0].to_string(), row[1].to_string());
        let (Some(max), Some(score)) = (
            match row[4] {
                Data::Float(f) => Some(f),
                Data::Int(i) => Some(i as f64),
                _ => None,
            },
            t07["scores"][&code].as_f64(),
        ) else {
            continue;
        };
        let leaf = matches!(row[3], Data::Float(f) if f == 3.0) || matches!(row[3], Data::Int(3));
        if leaf && max - score > 0.0 {
            let line = format!("{code} {name} 失分 {:.2} 分", max - score);
            assert!(text.contains(&line), "T07's document lacks “{line}”");
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked} 扣分点 checked");
    let ledger = zhili::ledger::read(&wd.read("台账.xlsx")).unwrap();
    for item in ledger.items.iter().filter(|i| i.unit == "T07" && i.status.open()) {
        assert!(text.contains(&item.id), "no 问题编号 {}", item.id);
    }
    // Its 信访室 (confidential) records lend their points but never their file or row.
    assert!(text.contains("stations/2024Q4/S02-组织部-2024Q4.xlsx!数据!"), "open sources are cited");
    assert!(!text.contains("S11-信访室") && !text.contains("S09-案管室") && !text.contains("S14-审查调查室"));
    // Blue units share one 约谈提醒 list; yellow ones get a 预警通知书.
    assert!(wd.exists("文书/T10-七甲镇-预警通知书.docx"));
    let talks = plain(&body(&wd.read("文书/2024Q4约谈提醒名单.docx")));
    assert!(talks.contains("兰高镇") || talks.contains("徐福街道") || talks.contains("市财政局"), "{talks}");
    // Laid out after GB/T 9704: A4, margins 37/35/28/26 mm, exact 29 pt lines, title 22 pt, page numbers.
    assert!(xml.contains("w:w=\"11906\"") && xml.contains("w:h=\"16838\""), "A4");
    assert!(xml.contains("w:top=\"2098\"") && xml.contains("w:bottom=\"1984\"") && xml.contains("w:left=\"1587\""));
    assert!(xml.contains("w:line=\"580\"") && xml.contains("w:lineRule=\"exact\""));
    assert!(xml.contains("w:sz w:val=\"44\"") && xml.contains("方正小标宋简体") && xml.contains("仿宋_GB2312"));
    // Two runs, the same bytes (SOURCE_DATE_EPOCH fixes the documents' times).
    for out in ["a", "b"] {
        wd.run_with(
            &["score", &dir, "-q", "--period", "2024Q4", "--out", "r.xlsx", "--json", "r.json", "--notices", out],
            &env,
        );
    }
    assert_eq!(wd.read("a/T07-北马镇-纪检监察建议书.docx"), wd.read("b/T07-北马镇-纪检监察建议书.docx"));
}

#[test]
fn hostile_names_stay_text_and_file_names_are_safe() {
    let wd = project();
    let evil = "<w:t>恶意</w:t>&\"/\\:*?|单位.xlsx";
    wd.book(
        "roster.xlsx",
        Book::roster(&[("U1", evil, "town"), ("U2", "黄山馆镇", "镇街区"), ("U3", "财政局", "dept")]),
    );
    wd.run_with(&["score", "--period", "2024Q1", "-q", "--notices", "文书"], &[("SOURCE_DATE_EPOCH", "1711929600")]);
    let names: Vec<String> = std::fs::read_dir(wd.join("文书"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let u1 = names.iter().find(|n| n.starts_with("U1-")).unwrap_or_else(|| panic!("{names:?}"));
    assert!(!u1.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']), "{u1}");
    // A name holding ".xlsx" keeps it: only the extension is the document's.
    assert!(u1.contains("单位.xlsx-") && u1.ends_with(".docx"), "{u1}");
    let xml = body(&wd.read(&format!("文书/{u1}")));
    assert!(xml.contains("&lt;w:t&gt;恶意&lt;/w:t&gt;&amp;"), "the name is text in the XML");
    assert_eq!(xml.matches("<w:t>恶意</w:t>").count(), 0);
}

#[test]
fn the_set_chooses_each_levels_document() {
    let wd = project();
    // By default: U2 and U3 (red at worst) get 建议书, U1 (yellow) a 通知书.
    wd.run_with(&["score", "--period", "2024Q1", "-q", "--notices", "a"], &[("SOURCE_DATE_EPOCH", "1711929600")]);
    let names = |d: &str| wd.names(d);
    assert_eq!(
        names("a"),
        ["U1-北马镇-预警通知书.docx", "U2-黄山馆镇-纪检监察建议书.docx", "U3-财政局-纪检监察建议书.docx"]
    );
    // `document` on the yellow level sends U1 to the 约谈提醒名单 instead.
    wd.write("set.toml", SET.replace("action = \"通知书\"", "action = \"通知书\"\ndocument = \"约谈提醒\""));
    let env = [("SOURCE_DATE_EPOCH", "1711929600")];
    wd.run_with(&["score", "--period", "2024Q1", "-q", "--notices", "b", "--json", "b.json"], &env);
    assert_eq!(
        names("b"),
        ["2024Q1约谈提醒名单.docx", "U2-黄山馆镇-纪检监察建议书.docx", "U3-财政局-纪检监察建议书.docx"]
    );
    // The result keeps the set's choice, so drafting from it later chooses the same.
    wd.run_with(&["notices", "b.json", "--out", "c"], &env).status(0);
    assert_eq!(names("c"), names("b"));
    let talk = plain(&body(&wd.read("b/2024Q1约谈提醒名单.docx")));
    assert!(talk.contains("1. 北马镇:总分 75.00 分"), "{talk}");
}

#[test]
fn leaders_get_copy_letters_and_supervisors_their_sheets() {
    let wd = Workdir::new();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    let args = ["score", &dir, "-q", "--period", "2024Q4", "--out", "r.xlsx", "--json", "r.json", "--notices", "文书"];
    wd.run_with(&args, &[("SOURCE_DATE_EPOCH", "1736899200")]).status(3);
    // The report's 转办清单 says who gets what; the documents follow it.
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(wd.read("r.xlsx"))).unwrap();
    let routing = x.worksheet_range("转办清单").unwrap();
    let rows: Vec<Vec<String>> = routing.rows().skip(1).map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let letter = plain(&body(&wd.read("文书/抄送函-刘副市长.docx")));
    let to_liu: Vec<&str> =
        rows.iter().filter(|r| r[0] == "分管领导" && r[1] == "刘副市长").map(|r| r[3].as_str()).collect();
    assert!(!to_liu.is_empty());
    for (i, name) in to_liu.iter().enumerate() {
        assert!(letter.contains(&format!("{}. {name}:总分", i + 1)), "抄送函 lacks {name}:\n{letter}");
    }
    assert!(letter.starts_with("关于2024年第四季度分管单位预警情况的抄送函\n") && letter.contains("刘副市长:"));
    let sheet = plain(&body(&wd.read("文书/监督活页-第一纪检监察室.docx")));
    for name in rows.iter().filter(|r| r[0] == "监督单位" && r[1] == "第一纪检监察室").map(|r| r[3].as_str())
    {
        assert!(sheet.contains(&format!("、{name} (总分")), "活页 lacks {name}");
    }
    // Confidential stations lend their points, never their sources, here too.
    assert!(sheet.contains("G2.1 信访举报件数 失分") && !sheet.contains("S11-信访室"));
}

#[test]
fn a_projects_own_template_is_used_and_checked() {
    let wd = project();
    let env = [("SOURCE_DATE_EPOCH", "1711929600")];
    wd.write("文书模板/预警通知书.txt", "{单位}预警通知\n{文号}\n{单位}:\n总分{总分}分。\n{落款}\n{日期}");
    wd.run_with(&["score", "--period", "2024Q1", "-q", "--notices", "a"], &env);
    let text = plain(&body(&wd.read("a/U1-北马镇-预警通知书.docx")));
    assert_eq!(text, "北马镇预警通知\n〔　　〕第　　号\n北马镇:\n总分75.00分。\n(发文机关)\n2024年4月1日\n");
    // The built-in template still serves the other kinds.
    assert!(plain(&body(&wd.read("a/U2-黄山馆镇-纪检监察建议书.docx"))).starts_with("关于黄山馆镇的纪检监察建议书\n"));
    // An unknown placeholder names itself and the file; nothing is written.
    wd.write("文书模板/预警通知书.txt", "{单位}{负责人}");
    let r = wd.run_with(&["score", "--period", "2024Q1", "-q", "--notices", "b", "--json", "b.json"], &env);
    r.status(1).stderr_has("预警通知书.txt").stderr_has("未知的占位符 {负责人}");
    assert!(!wd.exists("b.json") && !wd.exists("b/U2-黄山馆镇-纪检监察建议书.docx"), "nothing written");
}

#[test]
fn a_saved_result_drafts_the_same_documents_without_sources() {
    let wd = Workdir::new();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    let env = [("SOURCE_DATE_EPOCH", "1736899200")];
    let args = ["score", &dir, "-q", "--period", "2024Q4", "--out", "r.xlsx", "--json", "r.json", "--notices", "run"];
    wd.run_with(&args, &env).status(3);
    // The project of the current directory signs them, as the example's own does for `score`.
    wd.write("zhili.toml", "issuer = \"龙口市纪委监委\"\n");
    wd.run_with(&["notices", "r.json", "--out", "saved"], &env).status(0).stdout_has("份文书到 saved");
    let names = |d: &str| wd.names(d);
    // The same documents, less those needing the roster's routing.
    let from_run: Vec<String> =
        names("run").into_iter().filter(|n| !n.starts_with("抄送函") && !n.starts_with("监督活页")).collect();
    assert_eq!(names("saved"), from_run);
    // The same words, less the sources a saved result does not hold.
    for name in [
        "T07-北马镇-纪检监察建议书.docx",
        "T03-新嘉街道-纪检监察建议书.docx",
        "T10-七甲镇-预警通知书.docx",
        "2024Q4约谈提醒名单.docx",
    ] {
        let run = plain(&body(&wd.read(&format!("run/{name}"))));
        let mut without = String::new();
        let mut rest = run.as_str();
        while let Some(at) = rest.find(" (来源:") {
            without.push_str(&rest[..at]);
            // A source may hold ")" itself ("…(更正).xlsx"): the list ends at ")。".
            rest = &rest[at + rest[at..].find(")。").unwrap() + 1..];
        }
        without.push_str(rest);
        assert_eq!(plain(&body(&wd.read(&format!("saved/{name}")))), without, "{name}");
    }
}
