//! The project file `zhili.toml` (docs/commands.md): what it says, with paths joined to its directory.
//!
//! Paths in the project file are relative to the file's directory. Finding
//! the file and expanding its globs touch the file system, so they live in
//! `cmd::files`; this module only parses.

use crate::issue::{Issue, Kind};
use crate::tomlread::{Doc, Fields};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "zhili.toml";
/// The keys of the project file.
pub const KEY_INDICATORS: &str = "indicators";
pub const KEY_ROSTER: &str = "roster";
pub const KEY_DATA: &str = "data";
pub const KEY_OUTPUT: &str = "output";
/// `time_zone`: how report times are shown ("+08:00", the default, is 北京时间).
pub const KEY_TIME_ZONE: &str = "time_zone";
/// Minutes east of UTC when the project does not say: 北京时间.
/// `ledger`: the 问题台账 workbook `score` keeps up to date (docs/ledger.md).
pub const KEY_LEDGER: &str = "ledger";
/// `ledger_min_loss`: the ledger also tracks every leaf losing at least this many points.
pub const KEY_LEDGER_MIN_LOSS: &str = "ledger_min_loss";
/// `issuer`: the issuing office shown under the 摘要 title ("龙口市纪委监委").
pub const KEY_ISSUER: &str = "issuer";
/// `area_scale`: the full marks of the area indices (docs/areas.md); default the set's `scale`.
pub const KEY_AREA_SCALE: &str = "area_scale";
pub const DEFAULT_UTC_OFFSET: i32 = 8 * 60;
/// `[[csv]]`: which station (and period) CSV files matching a pattern come from.
pub const KEY_CSV: &str = "csv";
/// `[[set]]`: several indicator sets in one project, each scoring the units of its categories
/// (docs/multi-set.md).
pub const KEY_SET: &str = "set";

/// A project file's text, written with the reader's own keys (`zhili init`).
pub fn text(title: &str, indicators: &str, roster: &str, data: &[&str], output: &str) -> String {
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let data: Vec<String> = data.iter().map(|d| quoted(d)).collect();
    format!(
        "# zhili 项目: {title}\n{KEY_INDICATORS} = {}\n{KEY_ROSTER} = {}\n{KEY_DATA} = [{}]\n{KEY_OUTPUT} = {}\n",
        quoted(indicators),
        quoted(roster),
        data.join(", "),
        quoted(output)
    )
}

/// What the project file says, paths already joined to its directory.
#[derive(Clone, Debug, Default)]
pub struct ProjectFile {
    pub dir: PathBuf,
    pub indicators: Option<PathBuf>,
    pub roster: Option<PathBuf>,
    pub data: Vec<String>,
    pub output: Option<PathBuf>,
    /// `[[csv]]` entries, in file order.
    pub csv: Vec<CsvRule>,
    /// `time_zone` as minutes east of UTC.
    pub time_zone: Option<i32>,
    /// `issuer`, trimmed; `None` when absent or blank.
    pub issuer: Option<String>,
    /// `ledger`, joined to the project directory.
    pub ledger: Option<PathBuf>,
    pub ledger_min_loss: Option<rust_decimal::Decimal>,
    /// `area_scale`, positive.
    pub area_scale: Option<rust_decimal::Decimal>,
    /// `[[set]]` entries, in file order (empty: one set, `indicators`).
    pub sets: Vec<SetEntry>,
}

/// A `[[set]]` entry: an indicator set and the roster categories it scores.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetEntry {
    /// Names its outputs (`<期间>-<key>.xlsx`); default the indicators file's stem.
    pub key: String,
    /// As written, joined to the project directory (a built-in set's name stays a bare name).
    pub indicators: PathBuf,
    /// Category codes (or names) of the set, at least one.
    pub categories: Vec<String>,
}

/// A `[[csv]]` entry: CSV files matching `files` come from `station`, for
/// `period` when given (docs/workbooks.md, "CSV 文件").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvRule {
    /// A glob, joined to the project directory like `data`.
    pub files: String,
    /// A station code or name.
    pub station: Option<String>,
    /// The period every file covers (else the file name's, else the rows').
    pub period: Option<String>,
}

/// Parses a project file whose directory is `dir`.
pub fn parse(bytes: &[u8], dir: &Path) -> Result<ProjectFile, Vec<Issue>> {
    let name = dir.join(FILE_NAME).display().to_string();
    let text = std::str::from_utf8(bytes)
        .map_err(|_| vec![Issue::new(Kind::Project, "不是 UTF-8 编码的文本").in_file(&name)])?;
    let mut doc = Doc::new(text, Kind::Project);
    let mut p = ProjectFile { dir: dir.to_path_buf(), ..Default::default() };
    if let Some(root) = doc.parse() {
        let mut f = Fields::new(root.get_ref(), root.span(), FILE_NAME);
        p.indicators = f.string(&mut doc, KEY_INDICATORS).map(|s| dir.join(s.v));
        p.roster = f.string(&mut doc, KEY_ROSTER).map(|s| dir.join(s.v));
        p.data = f
            .strings(&mut doc, KEY_DATA)
            .map(|l| l.v.into_iter().map(|s| join_glob(dir, &s.v)).collect())
            .unwrap_or_default();
        p.output = f.string(&mut doc, KEY_OUTPUT).map(|s| dir.join(s.v));
        p.ledger = f.string(&mut doc, KEY_LEDGER).map(|s| dir.join(s.v));
        if let Some(m) = f.number(&mut doc, KEY_LEDGER_MIN_LOSS) {
            if m.v <= rust_decimal::Decimal::ZERO {
                doc.err(&m.span, format!("{KEY_LEDGER_MIN_LOSS} 必须大于 0 (失分不少于多少分的扣分点记入台账)"));
            }
            p.ledger_min_loss = Some(m.v);
        }
        if let Some(m) = f.number(&mut doc, KEY_AREA_SCALE) {
            if m.v <= rust_decimal::Decimal::ZERO {
                doc.err(&m.span, format!("{KEY_AREA_SCALE} 必须大于 0 (区域指数的满分,如 100)"));
            }
            p.area_scale = Some(m.v);
        }
        p.issuer = f.string(&mut doc, KEY_ISSUER).map(|s| s.v.trim().to_string()).filter(|s| !s.is_empty());
        if let Some(z) = f.string(&mut doc, KEY_TIME_ZONE) {
            match utc_offset(&z.v) {
                Some(m) => p.time_zone = Some(m),
                None => doc.err(
                    &z.span,
                    format!(
                        "{KEY_TIME_ZONE} = \"{}\" 无效:应写成 \"+08:00\" (北京时间)、\"UTC\" 或 \"-05:30\" 这样的时差",
                        z.v
                    ),
                ),
            }
        }
        for mut t in f.tables(&mut doc, KEY_SET, "[[set]]") {
            let indicators = t.req_string(&mut doc, "indicators");
            let categories = t.strings(&mut doc, "categories");
            let key = t.string(&mut doc, "key").map(|s| s.v.trim().to_string());
            let span = t.span.clone();
            t.finish(&mut doc);
            let Some(indicators) = indicators else { continue };
            let categories: Vec<String> =
                categories.map(|l| l.v.into_iter().map(|s| s.v.trim().to_string()).collect()).unwrap_or_default();
            if categories.is_empty() {
                doc.err(&span, "[[set]] 要写 categories:这套指标体系评价名册中哪些类别的单位");
                continue;
            }
            let key = key.filter(|k| !k.is_empty()).unwrap_or_else(|| {
                Path::new(&indicators.v).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
            });
            if let Some(bad) = key.chars().find(|c| "/\\:*?\"<>|".contains(*c)) {
                doc.err(&span, format!("[[set]] key \"{key}\" 含有文件名中不能用的字符 '{bad}'"));
            }
            if p.sets.iter().any(|s| s.key == key) {
                doc.err(&span, format!("[[set]] key \"{key}\" 重复;两套指标体系的文件名相同时请写不同的 key"));
            }
            for c in &categories {
                if let Some(other) = p.sets.iter().find(|s| s.categories.contains(c)) {
                    doc.err(
                        &span,
                        format!("类别 \"{c}\" 已由 [[set]] \"{}\" 评价;每个类别只能属于一套指标体系", other.key),
                    );
                }
            }
            p.sets.push(SetEntry { key, indicators: dir.join(&indicators.v), categories });
        }
        if !p.sets.is_empty() && p.indicators.is_some() {
            doc.err_at(0, "zhili.toml 不能同时写 indicators 和 [[set]];多套指标体系时每套写在一个 [[set]] 中");
        }
        for mut t in f.tables(&mut doc, KEY_CSV, "[[csv]]") {
            let files = t.req_string(&mut doc, "files").map(|s| join_glob(dir, &s.v));
            let station = t.string(&mut doc, "station").map(|s| s.v.trim().to_string());
            let period = t.string(&mut doc, "period").map(|s| s.v.trim().to_string());
            if station.is_none() && period.is_none() {
                doc.err(&t.span, "[[csv]] 至少要写 station 或 period (否则这一项不起作用)");
            }
            t.finish(&mut doc);
            if let Some(files) = files {
                p.csv.push(CsvRule { files, station, period });
            }
        }
        f.finish(&mut doc);
    }
    if doc.problems.is_empty() { Ok(p) } else { Err(doc.problems.into_iter().map(|e| e.in_file(&name)).collect()) }
}

/// "+08:00", "-05:30", "+8", "UTC" → minutes east of UTC, within ±14 hours.
fn utc_offset(text: &str) -> Option<i32> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t == "Z" {
        return Some(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(h) || !all_digits(m) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && h * 60 + m <= 14 * 60).then_some(sign * (h * 60 + m))
}

fn join_glob(dir: &Path, pattern: &str) -> String {
    if Path::new(pattern).is_absolute() || dir == Path::new(".") {
        pattern.to_string()
    } else {
        format!("{}/{}", dir.display(), pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_is_trimmed_and_blank_is_absent() {
        let p = parse("issuer = \" 龙口市纪委监委 \"\n".as_bytes(), Path::new(".")).unwrap();
        assert_eq!(p.issuer.as_deref(), Some("龙口市纪委监委"));
        assert_eq!(parse(b"issuer = \"  \"\n", Path::new(".")).unwrap().issuer, None);
        let errs = parse(b"issuer = 3\n", Path::new(".")).unwrap_err();
        assert_eq!(errs[0].line, Some(1), "{errs:?}");
    }

    #[test]
    fn time_zones() {
        assert_eq!(utc_offset("+08:00"), Some(480));
        assert_eq!(utc_offset("+8"), Some(480));
        assert_eq!(utc_offset("UTC"), Some(0));
        assert_eq!(utc_offset("-05:30"), Some(-330));
        assert_eq!(utc_offset("+14:00"), Some(840));
        for bad in ["08:00", "+15:00", "+08:60", "北京", "+", "+1:2:3", "+008:00"] {
            assert_eq!(utc_offset(bad), None, "{bad}");
        }
        let p = parse(b"time_zone = \"UTC\"\n", Path::new(".")).unwrap();
        assert_eq!(p.time_zone, Some(0));
        let errs = parse(b"time_zone = \"Asia/Shanghai\"\n", Path::new(".")).unwrap_err();
        assert!(errs[0].message.contains("+08:00") && errs[0].line == Some(1), "{errs:?}");
    }

    #[test]
    fn project_file_paths_are_relative_to_it() {
        let p = parse(
            b"indicators = \"ind/set.toml\"\nroster = \"r.xlsx\"\ndata = [\"st/**/*.xlsx\"]\noutput = \"out\"\n",
            Path::new("proj"),
        )
        .unwrap();
        assert_eq!(p.indicators.unwrap(), Path::new("proj/ind/set.toml"));
        assert_eq!(p.data, ["proj/st/**/*.xlsx"]);
        assert_eq!(p.output.unwrap(), Path::new("proj/out"));
    }

    #[test]
    fn csv_entries_name_a_station_and_a_period() {
        let p = parse(
            "data = [\"s/*.csv\"]\n[[csv]]\nfiles = \"s/12345*.csv\"\nstation = \"S07\"\n[[csv]]\nfiles = \"s/oa.csv\"\nperiod = \"2024Q1\"\n"
                .as_bytes(),
            Path::new("proj"),
        )
        .unwrap();
        assert_eq!(
            p.csv,
            [
                CsvRule { files: "proj/s/12345*.csv".into(), station: Some("S07".into()), period: None },
                CsvRule { files: "proj/s/oa.csv".into(), station: None, period: Some("2024Q1".into()) },
            ]
        );
        let e = parse(b"[[csv]]\nfiles = \"x.csv\"\n", Path::new(".")).unwrap_err();
        assert!(e[0].message.contains("至少要写 station 或 period"), "{e:?}");
    }

    #[test]
    fn unknown_keys_in_the_project_file_are_errors() {
        let e = parse(b"indicators = \"a\"\nouput = \"x\"\n", Path::new(".")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].col), (Some(2), Some(1)));
        assert!(e[0].place().unwrap().ends_with("zhili.toml:2:1") && e[0].message.contains("ouput"), "{e:?}");
    }
}
