//! Every output of the shipped examples is exactly what it was when the digests in tests/golden/digests.txt were recorded.
//!
//! The digests were recorded with the binary from before the structural
//! rewrite (issue 11), so this test proves the rewrite changed no byte of
//! any JSON, per-unit report, template, comparison or `check` output, and no
//! cell of the Excel report apart from the documented code columns
//! (总览: 预警代码, 否决指标代码; 预警: 范围代码, 预警代码), which the report
//! dump leaves out. When an output changes on purpose, record again:
//!
//!     ZHILI_GOLDEN_RECORD=1 cargo test --test golden -- --ignored
//!
//! (`ZHILI_GOLDEN_BIN=path` records with another binary) and say why in the commit.
//!
//! Recorded again since: for 说明's 计分方式 row (y.xlsx), and when workbooks went from deflate level 6 to 5
//! (issue 20: the 82 per-unit reports, templates and d.xlsx; every part of each was checked to inflate to the
//! same bytes as before).

use calamine::{Data, Reader, Xlsx};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

const DIGESTS: &str = "tests/golden/digests.txt";
/// Columns added after the digests were recorded, left out of the report dump.
const NEW_COLUMNS: &[(&str, &str)] =
    &[("总览", "预警代码"), ("总览", "否决指标代码"), ("预警", "范围代码"), ("预警", "预警代码")];

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every cell of every sheet as text, without [`NEW_COLUMNS`], with the temp dir's path replaced.
fn report_dump(bytes: &[u8], tmp: &str) -> String {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        let header: Vec<String> = rows.first().map(|r| r.iter().map(|c| c.to_string()).collect()).unwrap_or_default();
        let skip: Vec<usize> =
            (0..header.len()).filter(|&i| NEW_COLUMNS.iter().any(|(s, h)| *s == name && header[i] == *h)).collect();
        out.push_str(&format!("== {name}\n"));
        for r in rows {
            let cells: Vec<String> =
                r.iter().enumerate().filter(|(i, _)| !skip.contains(i)).map(|(_, c)| format!("{c:?}")).collect();
            out.push_str(&cells.join("\t").replace(tmp, "<tmp>"));
            out.push('\n');
        }
    }
    out
}

/// Runs `bin` from the repository root (so examples are named by relative
/// paths, as in the README) and returns the digest of every output.
fn produce(bin: &Path) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().to_str().unwrap().to_string();
    let t = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let out =
            Command::new(bin).args(args).current_dir(root).env("SOURCE_DATE_EPOCH", "1700000000").output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1 | 3)), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let lk = "examples/longkou";
    run(&["score", lk, "--period", "2024Q3", "--quiet", "--json", &t("q3.json"), "--out", &t("q3.xlsx")]);
    run(&["score", lk, "--period", "2024Q4", "--quiet", "--json", &t("q4.json"), "--out", &t("q4.xlsx")]);
    run(&[
        "score",
        lk,
        "--period",
        "2024Q4",
        "--quiet",
        "--previous",
        &t("q3.json"),
        "--json",
        &t("prev.json"),
        "--out",
        &t("prev.xlsx"),
        "--per-unit",
        &t("units"),
    ]);
    run(&["score", lk, "--period", "2024Q4", "--quiet", "--previous", &t("q3.xlsx"), "--json", &t("prevx.json")]);
    run(&[
        "score",
        lk,
        "--period",
        "2024",
        "--trend",
        "quarter",
        "--quiet",
        "--json",
        &t("y.json"),
        "--out",
        &t("y.xlsx"),
    ]);
    let jb = "examples/jiangbei";
    run(&["score", jb, "--period", "2024Q4", "--quiet", "--json", &t("jb.json"), "--out", &t("jb.xlsx")]);
    let qs = "examples/quickstart";
    run(&[
        "score",
        qs,
        "--period",
        "2024Q1",
        "--quiet",
        "--json",
        &t("qs.json"),
        "--out",
        &t("qs.xlsx"),
        "--per-unit",
        &t("qsu"),
    ]);
    run(&["template", lk, "--period", "2024Q4", "--quiet", "--out-dir", &t("tpl")]);
    let diff = run(&["diff", &t("q3.json"), &t("q4.json"), "--detail", "--json", &t("d.json"), "--out", &t("d.xlsx")]);
    run(&["diff", &t("q3.xlsx"), &t("q4.xlsx"), "--detail", "--json", &t("dx.json")]);
    let check = run(&["check", lk, "--period", "2024Q4", "--json"]);
    let check_text = run(&["check", lk, "--period", "2024Q4"]);

    let mut digests = vec![
        ("diff terminal".to_string(), sha(&diff)),
        ("check --json".to_string(), sha(&check)),
        ("check".to_string(), sha(&check_text)),
    ];
    let mut files: Vec<PathBuf> = Vec::new();
    for sub in ["", "units", "qsu", "tpl"] {
        let d = dir.path().join(sub);
        let mut names: Vec<PathBuf> =
            std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
        names.sort();
        files.extend(names);
    }
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let name = f.strip_prefix(dir.path()).unwrap().to_string_lossy().into_owned();
        // Full reports are compared cell by cell (they gained code columns); everything else byte by byte.
        let is_report = f.parent() == Some(dir.path()) && name.ends_with(".xlsx") && name != "d.xlsx";
        let digest = if is_report { sha(report_dump(&bytes, &tmp).as_bytes()) } else { sha(&bytes) };
        digests.push((name, digest));
    }
    digests
}

fn binary() -> PathBuf {
    std::env::var_os("ZHILI_GOLDEN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_zhili")))
}

#[test]
fn outputs_are_byte_identical_to_the_recorded_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let recorded = std::fs::read_to_string(root.join(DIGESTS)).unwrap();
    let want: Vec<(String, String)> = recorded
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (d, n) = l.split_once("  ").unwrap();
            (n.to_string(), d.to_string())
        })
        .collect();
    assert!(want.len() > 80, "the recorded list covers every output: {}", want.len());
    let got = produce(&binary());
    let names = |v: &[(String, String)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "the same outputs");
    let changed: Vec<&String> = got.iter().zip(&want).filter(|(g, w)| g.1 != w.1).map(|(g, _)| &g.0).collect();
    assert!(changed.is_empty(), "outputs that changed: {changed:?}");
}

#[test]
#[ignore = "records tests/golden/digests.txt; run with ZHILI_GOLDEN_RECORD=1"]
fn record() {
    if std::env::var_os("ZHILI_GOLDEN_RECORD").is_none() {
        return;
    }
    let bin = binary();
    let mut text = format!("# sha256  output — recorded with {}\n", bin.file_name().unwrap().to_string_lossy());
    for (name, digest) in produce(&bin) {
        text.push_str(&format!("{digest}  {name}\n"));
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIGESTS);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
