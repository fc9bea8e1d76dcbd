//! The offline dashboard page: self-contained, inert text from inputs, a public page without scores, stable bytes.

mod common;

use common::*;

fn page(wd: &Workdir, extra: &[&str]) -> String {
    let mut args = vec!["score", "--period", "2024Q1", "--quiet", "--html", "d.html"];
    args.extend_from_slice(extra);
    let r = wd.run_with(&args, &[("SOURCE_DATE_EPOCH", "1711929600")]);
    assert!(r.status == 0 || r.status == 3, "{}", r.stderr);
    String::from_utf8(wd.read("d.html")).unwrap()
}

#[test]
fn the_page_needs_no_network_and_names_every_view() {
    let wd = project();
    let html = page(&wd, &[]);
    assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
    // Nothing is fetched: no links, sources or URLs but the SVG namespace.
    for needle in ["<link", " src=", "https://", "url(", "@import", "@font-face"] {
        assert!(!html.contains(needle), "the page refers out: {needle}");
    }
    let urls: Vec<&str> = html.match_indices("http://").map(|(i, _)| &html[i..i + 26]).collect();
    assert!(urls.iter().all(|u| *u == "http://www.w3.org/2000/svg"), "{urls:?}");
    for view in ["总览", "排名", "单位画像", "预警处置清单", "填报情况", "核心结论", "大屏"] {
        assert!(html.contains(view), "no {view}");
    }
    // Every unit has its portrait, and its total in the ranking (U1 75, U2 50, U3 50 — see tests/score.rs).
    for (code, total) in [("U1", "75.00"), ("U2", "50.00"), ("U3", "50.00")] {
        assert!(html.contains(&format!("<article class=\"unit\" data-unit=\"{code}\">")), "{code}");
        assert!(html.contains(&format!("<td>{total}</td>")), "{code} {total}");
    }
    // The same inputs and SOURCE_DATE_EPOCH give the same bytes.
    assert_eq!(page(&wd, &[]), html);
}

#[test]
fn hostile_names_stay_text() {
    let wd = project();
    let evil = "<script>alert(1)</script>\"onload=x'";
    wd.book(
        "roster.xlsx",
        Book::roster(&[("U1", evil, "town"), ("U2", "黄山馆镇", "镇街区"), ("U3", "财政局", "dept")]),
    );
    let html = page(&wd, &[]);
    assert!(!html.contains("<script>alert(1)"), "a unit name became markup");
    assert!(!html.contains("\"onload=x"), "a unit name broke out of an attribute");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=x&#39;"), "the name is shown as text");
    // The page's own script is the only one.
    assert_eq!(html.matches("<script>").count(), 1);
}

#[test]
fn the_public_page_holds_no_score_and_no_note() {
    let wd = project();
    let full = page(&wd, &["--json", "r.json"]);
    let public = page(&wd, &["--public"]);
    assert!(public.len() < full.len());
    let json = wd.json("r.json");
    // Every score of the run, as the page would print it: none of them is in the public file.
    let mut scores: Vec<String> = Vec::new();
    for u in json["units"].as_array().unwrap() {
        for v in u["scores"].as_object().unwrap().values().chain(std::iter::once(&u["total"])) {
            if let Some(f) = v.as_f64() {
                scores.push(format!("{f:.2}"));
            }
        }
    }
    assert!(scores.len() > 10);
    for s in &scores {
        assert!(!public.contains(s.as_str()), "the public page holds the score {s}");
    }
    // Names, categories, ranks and levels are there; notes, sources and the other views are not.
    for needle in ["北马镇", "黄山馆镇", "财政局", "镇街区", "红色预警", "黄色预警"] {
        assert!(public.contains(needle), "no {needle}");
    }
    for needle in ["样本偏少", "stations/", "单位画像", "扣分点", "<svg", "核心结论", "总分"] {
        assert!(!public.contains(needle), "the public page holds {needle}");
    }
}

/// The Chromium of the machine, if any (Debian's `chromium`; `.ci/run` installs it and requires it).
fn chromium() -> Option<std::path::PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|c| {
        std::process::Command::new(c).arg("--version").output().ok().filter(|o| o.status.success()).map(|_| c.into())
    });
    if found.is_none() && std::env::var_os("ZHILI_REQUIRE_CHROMIUM").is_some() {
        panic!("ZHILI_REQUIRE_CHROMIUM is set but no chromium is installed");
    }
    found
}

/// Runs headless Chromium on a page: (stdout, stderr).
fn chrome(bin: &std::path::Path, wd: &Workdir, args: &[&str], url: &str) -> (String, String) {
    let profile = wd.join("chrome-profile");
    let mut cmd = std::process::Command::new(bin);
    cmd.args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url);
    let out = cmd.output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_longkou_page_renders_in_chromium() {
    let Some(bin) = chromium() else {
        eprintln!("skipped: no chromium on this machine");
        return;
    };
    let wd = Workdir::new();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    let r = wd.run_with(
        &["score", &dir, "--period", "2024Q4", "-q", "--json", "r.json", "--out", "r.xlsx", "--html", "page.html"],
        &[("SOURCE_DATE_EPOCH", "1736899200")],
    );
    assert_eq!(r.status, 3, "{}", r.stderr);
    let url = format!("file://{}", wd.join("page.html").display());
    let (dom, log) = chrome(&bin, &wd, &["--enable-logging=stderr", "--v=0", "--dump-dom"], &url);
    // The script ran, without a console message; nothing was requested (the CSP would refuse it, loudly).
    assert!(dom.contains("<body class=\"js\">"), "the page's script did not run");
    for bad in ["CONSOLE", "Uncaught", "Refused to"] {
        assert!(
            !log.contains(bad),
            "console: {}",
            log.lines().filter(|l| l.contains(bad)).collect::<Vec<_>>().join("\n")
        );
    }
    assert!(dom.contains("<section id=\"overview\" class=\"view shown\">"), "总览 is the first view shown");
    // Every unit's ranking row carries its JSON total; the warned units are the work list.
    let json = wd.json("r.json");
    let units = json["units"].as_array().unwrap();
    for u in units {
        let total = u["total"].as_f64().map(|t| format!("{t:.2}")).unwrap_or_else(|| "不计分".into());
        let row = format!("<td>{}</td><td>{}</td>", u["code"].as_str().unwrap(), u["name"].as_str().unwrap());
        let at = dom.find(&row).unwrap_or_else(|| panic!("no ranking row for {}", u["code"]));
        let rest = &dom[at..];
        let end = rest.find("</tr>").unwrap_or(rest.len());
        assert!(rest[..end].contains(&format!("<td>{total}</td>")), "{} total {total}", u["code"]);
    }
    let warned = units.iter().filter(|u| !u["warnings"].as_array().unwrap().is_empty()).count();
    let list = &dom[dom.find("<section id=\"warnings\"").unwrap()..];
    let list = &list[..list.find("</section>").unwrap()];
    assert_eq!(list.matches("<tr>").count() - 1, warned, "one line per warned unit (plus the header)");
    // 核心结论 as on the report's 摘要.
    assert!(dom.contains("2024年第四季度共评价 54 个单位(镇街区 14 个、市直部门 40 个)"));
    // 总览's counts by level, from the JSON: the 全部 row.
    let count =
        |level: Option<&str>| units.iter().filter(|u| u["level"].as_str() == level && !u["total"].is_null()).count();
    let all = format!(
        "<tr><td>全部</td><td>54</td><td>939.40</td><td class=\"lv0\">{}</td><td class=\"lv1\">{}</td><td class=\"lv2\">{}</td><td>{}</td>",
        count(Some("red")),
        count(Some("yellow")),
        count(Some("blue")),
        count(None)
    );
    assert!(dom.contains(&all), "{all}");
    // Each 单位画像 opens with the unit's total from the JSON.
    for u in units {
        let total = u["total"].as_f64().map(|t| format!("{t:.2}")).unwrap_or_else(|| "不计分".into());
        let at = dom.find(&format!("data-unit=\"{}\">", u["code"].as_str().unwrap())).unwrap();
        let article = &dom[at..at + dom[at..].find("</article>").unwrap()];
        assert!(article.contains(&format!("总分 <b>{total}</b>")), "{} portrait", u["code"]);
    }
    // 填报情况: the missing month and the superseded workbook are there.
    let sub = &dom[dom.find("<section id=\"submissions\"").unwrap()..];
    let sub = &sub[..sub.find("</section>").unwrap()];
    assert!(sub.contains("缺报") && sub.contains("被替代"), "{sub}");
    // Reasonable for a USB stick.
    assert!(wd.read("page.html").len() < 2_000_000);

    // 大屏 rotates by itself: after 100 s (virtual) it has paged through 总览 and moved on.
    let (screen, _) = chrome(
        &bin,
        &wd,
        &["--window-size=1920,1080", "--virtual-time-budget=100000", "--dump-dom"],
        &format!("{url}#screen"),
    );
    assert!(screen.contains("<body class=\"js screen\">"), "大屏 by address");
    assert!(!screen.contains("<section id=\"overview\" class=\"view shown\">"), "still on 总览 after 100 s");

    // The screenshots of docs/dashboard.md: 总览 at 1366×768, 大屏 at 1920×1080, one 单位画像.
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, size, hash) in [
        ("overview-1366x768", "1366,768", ""),
        ("screen-1920x1080", "1920,1080", "#screen"),
        ("portrait-T07", "1366,768", "#portrait/T07"),
    ] {
        let png = shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&png);
        chrome(
            &bin,
            &wd,
            &[&format!("--screenshot={}", png.display()), &format!("--window-size={size}")],
            &format!("{url}{hash}"),
        );
        let bytes = std::fs::read(&png).unwrap_or_default();
        assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000, "{name}: no screenshot");
    }
}

/// The text of one `<section id="…">` of a page.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap()]
}

#[test]
fn saved_results_give_the_same_page_and_trends() {
    let wd = Workdir::new();
    let dir = format!("{}/examples/longkou", env!("CARGO_MANIFEST_DIR"));
    let env = [("SOURCE_DATE_EPOCH", "1736899200")];
    for q in ["2024Q3", "2024Q4"] {
        let json = format!("{q}.json");
        let page = format!("{q}.html");
        wd.run_with(&["score", &dir, "--period", q, "-q", "--json", &json, "--out", "r.xlsx", "--html", &page], &env);
    }
    // One period: the same ranking, overview and portraits as the run's own page.
    wd.run_with(&["dashboard", "2024Q4.json", "--out", "saved.html"], &env).status(0);
    let (run_page, saved) =
        (String::from_utf8(wd.read("2024Q4.html")).unwrap(), String::from_utf8(wd.read("saved.html")).unwrap());
    for id in ["ranking", "portrait", "warnings"] {
        assert_eq!(section(&saved, id), section(&run_page, id), "{id}");
    }
    // Both say why the result is provisional, and how many data problems it had, in the same words.
    for page in [&run_page, &saved] {
        assert!(page.contains("<p class=\"provisional\">暂定结果:缺报 1 期</p>"));
        assert!(page.contains("数据问题:错误 6 条、警告 1 条"), "{}", &page[..2000.min(page.len())]);
    }
    // Saved results hold no 填报情况: the page says where to find it.
    assert!(section(&saved, "submissions").contains("结果中没有填报情况"));
    // Two periods: the latest is shown, compared with the one before, each unit with its trend.
    wd.run_with(&["dashboard", "2024Q4.json", "2024Q3.json", "--out", "both.html"], &env).status(0);
    let both = String::from_utf8(wd.read("both.html")).unwrap();
    assert!(both.contains("<title>龙口市政治生态分析评价指标体系 2024年第四季度 评价结果</title>"));
    assert!(section(&both, "overview").contains("与上期(2024Q3)相比"));
    let t07 = &section(&both, "portrait")[section(&both, "portrait").find("data-unit=\"T07\"").unwrap()..];
    assert!(t07.contains("总分趋势") && t07.contains("2024Q3") && t07.contains("2024Q4"), "T07 has its trend");
    // Results of different indicator sets do not mix.
    let jb = format!("{}/examples/jiangbei", env!("CARGO_MANIFEST_DIR"));
    wd.run_with(
        &["score", &jb, "--period", "2024Q4", "-q", "--json", "jb.json", "--out", "jb.xlsx", "--html", "jb.html"],
        &env,
    );
    wd.run(&["dashboard", "2024Q4.json", "jb.json", "--out", "mixed.html"]).status(1).stderr_has("不同的指标体系");
}
