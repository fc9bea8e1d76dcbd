//! Reading: station files → validated records, each knowing its source cell (docs/workbooks.md).
//!
//! A row becomes a [`Record`] only when every rule of docs/workbooks.md
//! holds; otherwise it becomes an [`Issue`] at the offending cell and takes
//! no part in scoring. A record's `value` is already in the form its rule
//! needs (`rules::value`).

use crate::cell::{CellValue, Row, TableSource, cell_name};
use crate::indicators::{NodeKind, Rule};
use crate::input::{self, Format};
use crate::issue::{Issue, Kind, Severity};
use crate::period::{Period, Placement};
use crate::project::CsvRule;
use crate::record::{FileRecords, Input, Loaded, ReadContext, Record, Standing, Submitted};
use crate::roster::Lookup;
use crate::station::{DATA_SHEET, StationColumns, StationFile};
use crate::text::clip;
use std::collections::HashMap;
use std::sync::Arc;

/// Reads one station file — XLSX, XLS or CSV, told apart by its bytes.
/// `csv` is the project's `[[csv]]` entry matching the file, if any. Never
/// panics: anything that goes wrong inside a parser becomes a `bad_workbook`
/// issue for this file.
pub fn read_file(ctx: ReadContext, path: &str, bytes: &[u8], csv: Option<&CsvRule>) -> FileRecords {
    let sha256 = crate::sha256_hex(bytes);
    let format = match input::sniff::detect(bytes) {
        Ok(f) => f,
        Err(reason) => return unreadable(path, &sha256, &reason),
    };
    let result = input::read_quietly(bytes, format, DATA_SHEET[0], |source| match format {
        Format::Xlsx | Format::Xls => read_source(ctx, path, source),
        Format::Text => read_flat(ctx, path, source, csv),
    });
    match result {
        Ok(mut r) => {
            r.input.sha256 = sha256;
            r
        }
        Err(reason) if reason == FOREIGN_STATION => FileRecords { foreign: true, ..unreadable(path, &sha256, "") },
        Err(reason) => unreadable(path, &sha256, &format!("无法作为监测站工作簿读取: {reason}")),
    }
}

/// A file that could not be read at all: one `bad_workbook` issue, no records.
pub fn unreadable(path: &str, sha256: &str, reason: &str) -> FileRecords {
    FileRecords {
        input: Input {
            path: path.to_string(),
            sha256: sha256.to_string(),
            station: None,
            period: None,
            sheet: None,
            records: 0,
            rejected: 0,
            readable: false,
            submitted: None,
            standing: Standing::Counts,
        },
        records: Vec::new(),
        issues: vec![Issue::new(Kind::BadWorkbook, format!("{reason};已跳过该文件")).in_file(path)],
        foreign: false,
    }
}

/// Why a file is passed over: its station belongs only to another set of the project.
const FOREIGN_STATION: &str = "foreign station";

/// The station a key names in this set; another set's station is [`FOREIGN_STATION`], else `unknown`.
fn station_of(ctx: ReadContext, key: &str, unknown: impl FnOnce() -> String) -> Result<usize, String> {
    match ctx.set.station(key) {
        Some(s) => Ok(s),
        None if ctx.foreign.is_some_and(|f| f.stations.contains(key.trim())) => Err(FOREIGN_STATION.into()),
        None => Err(unknown()),
    }
}

/// Puts files in reading order (byte order of their paths), decides which
/// resubmitted workbooks count (calendar sets), numbers the records, and adds
/// `missing_station` / `missing_submission` issues.
pub fn assemble(ctx: ReadContext, mut files: Vec<FileRecords>) -> Loaded {
    files.retain(|f| !f.foreign);
    files.sort_by(|a, b| a.input.path.as_bytes().cmp(b.input.path.as_bytes()));
    let resubmissions = if ctx.set.calendar {
        crate::submissions::resolve_resubmissions(ctx.set, ctx.window, &mut files)
    } else {
        Vec::new()
    };
    let mut loaded = Loaded::default();
    // Sized once: growing a million-record vector by doubling would briefly hold it twice.
    loaded.records.reserve_exact(files.iter().map(|f| f.records.len()).sum());
    for (i, f) in files.into_iter().enumerate() {
        for mut r in f.records {
            r.input = i;
            r.seq = loaded.records.len();
            loaded.records.push(r);
        }
        loaded.issues.extend(f.issues);
        loaded.inputs.push(f.input);
    }
    loaded.issues.extend(resubmissions);
    loaded.issues.extend(missing_stations(ctx, &loaded.inputs));
    if ctx.set.calendar {
        loaded.issues.extend(crate::submissions::missing_submissions(ctx.set, ctx.window, &loaded.inputs));
    }
    loaded.complete =
        !loaded.issues.iter().any(|i| matches!(i.kind, Kind::MissingSubmission | Kind::DuplicateSubmission));
    loaded
}

/// Stations that collect a leaf applicable to some unit but sent no
/// readable workbook whose 期间 overlaps the window.
fn missing_stations(ctx: ReadContext, inputs: &[Input]) -> Vec<Issue> {
    let set = ctx.set;
    let needed = |s: usize| {
        set.leaves()
            .any(|(id, leaf)| leaf.station == s && ctx.roster.units.iter().any(|u| set.nodes[id].applies[u.category]))
    };
    let sent = |s: usize| {
        inputs.iter().any(|i| i.readable && i.station == Some(s) && i.period.is_some_and(|p| p.overlaps(ctx.window)))
    };
    // A station with a `frequency` is held to each of its periods instead (`missing_submission`).
    (0..set.stations.len())
        .filter(|&s| needed(s) && !sent(s) && set.stations[s].frequency.is_none())
        .map(|s| {
            let st = &set.stations[s];
            Issue::new(
                Kind::MissingStation,
                format!("监测站 {} ({}) 没有报送覆盖 {} 的可读工作簿", st.code, st.name, ctx.window),
            )
            .station(&st.code)
        })
        .collect()
}

/// The workbook-level facts every row needs.
struct FileCtx<'a> {
    path: &'a str,
    /// The data sheet; none for a flat table (a CSV).
    sheet: Option<String>,
    /// Cells are named `row:column` (a CSV) rather than `B12`.
    flat: bool,
    station: usize,
    period: Period,
    period_cell: String,
}

/// Reads a station workbook (with its 信息 sheet) from an opened source (the
/// sha256 is left empty for the caller). An error is a `bad_workbook` reason.
pub fn read_source(ctx: ReadContext, path: &str, source: &mut dyn TableSource) -> Result<FileRecords, String> {
    let mut file = StationFile::open(source)?;
    let info = &file.info_sheet;
    let station_cell =
        file.station.as_ref().ok_or(format!("“{info}”工作表中没有“监测站”一行 (A 列写“监测站”,B 列写代码或名称)"))?;
    let key = station_cell.value.as_key();
    let station = station_of(ctx, &key, || {
        format!("“{info}”!{} 的监测站 \"{key}\" 不在指标体系的 [[station]] 中", station_cell.cell)
    })?;
    let period_cell =
        file.period.as_ref().ok_or(format!("“{info}”工作表中没有“期间”一行 (A 列写“期间”,B 列写如 2024Q1)"))?;
    let period =
        cell_period(&period_cell.value).map_err(|e| format!("“{info}”!{} 的期间无效: {e}", period_cell.cell))?;
    let period_place = format!("{info}!{}", period_cell.cell);
    let submitted = file.submitted.as_ref().and_then(|s| submitted(&s.value));
    let mut read = read_data(ctx, path, &mut file, station, period, period_place)?;
    read.input.submitted = submitted;
    Ok(read)
}

/// A 报送日期 cell: a date or date-time cell, or text `2024-10-08` / `2024-10-08 14:30`
/// (`/` also accepted). Anything else counts as absent.
pub fn submitted(v: &CellValue) -> Option<Submitted> {
    match v {
        CellValue::Date { year, month, day, seconds } => {
            Some(Submitted { at: (*year, *month, *day, *seconds), text: v.as_key() })
        }
        CellValue::Text(t) => {
            let t = t.trim();
            let (date, time) = t.split_once(' ').map_or((t, ""), |(d, tm)| (d, tm.trim()));
            let mut ymd = date.split(['-', '/']).map(|p| p.parse::<u32>().ok());
            let (y, m, d) = (ymd.next()??, ymd.next()??, ymd.next()??);
            if ymd.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1900..=2200).contains(&y) {
                return None;
            }
            let seconds = if time.is_empty() {
                0
            } else {
                let mut hms = time.split(':').map(|p| p.parse::<u32>().ok());
                let (h, mi) = (hms.next()??, hms.next()??);
                let s = hms.next().map_or(Some(0), |x| x)?;
                if h > 23 || mi > 59 || s > 59 {
                    return None;
                }
                h * 3600 + mi * 60 + s
            };
            Some(Submitted { at: (y as i32, m, d, seconds), text: t.to_string() })
        }
        CellValue::Empty | CellValue::Number(_) | CellValue::Bool(_) | CellValue::Error(_) => None,
    }
}

/// Reads a flat table (a CSV) as a station file. Its station is the
/// 监测站 column's (the same on every row) or the `[[csv]]` entry's; its
/// period is the `[[csv]]` entry's, else the one in its file name, else the
/// smallest calendar period holding every row's 期间 (docs/workbooks.md).
pub fn read_flat(
    ctx: ReadContext,
    path: &str,
    source: &mut dyn TableSource,
    csv: Option<&CsvRule>,
) -> Result<FileRecords, String> {
    let mut file = StationFile::flat(source)?;
    let facts = file.scan_flat()?;
    let resolve = |key: &str, from: &str| {
        station_of(ctx, key, || format!("{from}的监测站 \"{}\" 不在指标体系的 [[station]] 中", clip(key)))
    };
    // A file is another set's only when every station it names is: a file naming this set's station and
    // another set's is a file of two stations, which is an error, not a file to pass over.
    let mut column: Option<(usize, &str, &str)> = None;
    let mut foreign: Option<(&str, &str)> = None;
    for (key, cell) in &facts.stations {
        let s = match resolve(key, &format!("{cell} “监测站”列")) {
            Err(e) if e == FOREIGN_STATION => {
                foreign.get_or_insert((key, cell));
                continue;
            }
            other => other?,
        };
        match column {
            Some((first, k, c)) if first != s => {
                return Err(format!(
                    "“监测站”列中有不同的监测站 (\"{}\" 在 {c},\"{}\" 在 {cell});一个 CSV 文件只能来自一个监测站",
                    clip(k),
                    clip(key)
                ));
            }
            Some(_) => {}
            None => column = Some((s, key, cell)),
        }
    }
    let two = |(k, c): (&str, &str), (fk, fc): (&str, &str)| {
        format!(
            "“监测站”列中有不同的监测站 (\"{}\" 在 {c},\"{}\" 在 {fc});一个 CSV 文件只能来自一个监测站",
            clip(k),
            clip(fk)
        )
    };
    match (column, foreign) {
        (Some((_, k, c)), Some(f)) => return Err(two((k, c), f)),
        (None, Some(_)) => return Err(FOREIGN_STATION.into()),
        _ => {}
    }
    let from_rule = match csv.and_then(|c| c.station.as_deref()) {
        // The column names this set's station: a [[csv]] rule naming another set's is a disagreement.
        Some(key) => match resolve(key, "zhili.toml 中 [[csv]] ") {
            Err(e) if e == FOREIGN_STATION && column.is_some() => {
                return Err(format!(
                    "“监测站”列写的是本指标体系的监测站,zhili.toml 中 [[csv]] 写的是另一套指标体系的监测站 \"{}\",两者不一致",
                    clip(key)
                ));
            }
            other => Some(other?),
        },
        None => None,
    };
    let station = match (column, from_rule) {
        (Some((c, _, _)), Some(r)) if c != r => {
            let (a, b) = (&ctx.set.stations[c], &ctx.set.stations[r]);
            return Err(format!(
                "“监测站”列写的是 {} ({}),zhili.toml 中 [[csv]] 写的是 {} ({}),两者不一致",
                a.code, a.name, b.code, b.name
            ));
        }
        (Some((c, _, _)), _) => c,
        (None, Some(r)) => r,
        (None, None) => {
            return Err("CSV 文件没有“监测站”列,zhili.toml 中也没有与它匹配的 [[csv]] station;\
                        请加一列“监测站”,或在 zhili.toml 中写 [[csv]] files = \"…\" 和 station = \"…\""
                .into());
        }
    };
    let (period, period_place) = match csv.and_then(|c| c.period.as_deref()) {
        Some(text) => {
            let p = Period::parse(text).map_err(|e| format!("zhili.toml 中 [[csv]] 的 period 无效: {e}"))?;
            (p, "zhili.toml 的 [[csv]]".to_string())
        }
        None => match Period::in_file_name(path)? {
            Some(p) => (p, "文件名".to_string()),
            None => {
                let rows: Vec<Period> = facts.periods.iter().filter_map(|v| cell_period(v).ok()).collect();
                let p = Period::smallest_containing(&rows).ok_or(
                    "无法确定这个 CSV 文件的期间:请加一列“期间”,或在文件名中写明期间 (如 …-2024Q1.csv),\
                     或在 zhili.toml 的 [[csv]] 中写 period",
                )?;
                (p, "各行的“期间”".to_string())
            }
        },
    };
    read_data(ctx, path, &mut file, station, period, period_place)
}

/// Reads the data rows of an opened station file whose station and period are known.
fn read_data(
    ctx: ReadContext,
    path: &str,
    file: &mut StationFile,
    station: usize,
    period: Period,
    period_place: String,
) -> Result<FileRecords, String> {
    let flat = file.is_flat();
    let fc = FileCtx {
        path,
        sheet: (!flat).then(|| file.data_sheet.clone()),
        flat,
        station,
        period,
        period_cell: period_place,
    };
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let mut rejected = 0;
    let mut strings = Interner::default();
    file.read_rows(|cols, row| match resolve_row(ctx, &fc, cols, &row, &mut strings) {
        RowOutcome::Record(r) => records.push(r),
        RowOutcome::Skip => {}
        RowOutcome::Issue(i) => {
            if i.severity() == Severity::Error {
                rejected += 1;
            }
            issues.push(i);
        }
    })?;
    Ok(FileRecords {
        input: Input {
            path: path.to_string(),
            sha256: String::new(),
            station: Some(station),
            period: Some(period),
            sheet: fc.sheet,
            records: records.len(),
            rejected,
            readable: true,
            submitted: None,
            standing: Standing::Counts,
        },
        records,
        issues,
        foreign: false,
    })
}

/// A period cell: text in any docs/workbooks.md form, a date (its month), or a year number.
pub fn cell_period(v: &CellValue) -> Result<Period, String> {
    match v {
        CellValue::Text(t) => Period::parse(t),
        CellValue::Date { year, month, .. } => {
            Period::from_ym(*year, *month).ok_or_else(|| format!("日期 {year}-{month} 超出范围"))
        }
        CellValue::Number(d) => {
            let y = d.normalize();
            (y.scale() == 0)
                .then(|| y.mantissa())
                .and_then(|m| Period::from_number(m as f64))
                .ok_or_else(|| format!("数字 {y} 不是年份 (期间可写作 2024、2024Q1、2024-03 等)"))
        }
        CellValue::Empty => Err("期间为空".to_string()),
        other @ (CellValue::Bool(_) | CellValue::Error(_)) => Err(format!("{} 不是期间", other.shown())),
    }
}

enum RowOutcome {
    Record(Record),
    /// Outside the window, or a blank value where blank means "not filled in".
    Skip,
    Issue(Issue),
}

/// Stores each distinct text once (values and notes repeat a lot across a million rows).
#[derive(Default)]
struct Interner(HashMap<String, Arc<str>>);

impl Interner {
    fn get(&mut self, s: String) -> Arc<str> {
        if let Some(a) = self.0.get(&s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s.as_str());
        self.0.insert(s, a.clone());
        a
    }
}

fn resolve_row(ctx: ReadContext, fc: &FileCtx, cols: &StationColumns, row: &Row, strings: &mut Interner) -> RowOutcome {
    let set = ctx.set;
    let at = |col: u32| cell_name(fc.flat, row.index, col);
    let issue =
        |kind: Kind, col: u32, msg: String| Issue::new(kind, msg).at_cell(fc.path, fc.sheet.as_deref(), &at(col));

    // 1. Period: the row's own, which must lie inside the workbook's, or the workbook's.
    let given = cols.period.filter(|&c| !row.get(c).is_blank());
    let period = match given {
        Some(c) => match cell_period(row.get(c)) {
            Ok(p) if fc.period.contains(p) => p,
            Ok(p) => {
                return RowOutcome::Issue(issue(
                    Kind::BadPeriod,
                    c,
                    format!("期间 {p} 不在本工作簿的期间 {} ({}) 之内", fc.period, fc.period_cell),
                ));
            }
            Err(e) => return RowOutcome::Issue(issue(Kind::BadPeriod, c, e)),
        },
        None => fc.period,
    };
    match ctx.window.place(period) {
        Placement::Inside => {}
        Placement::Outside => return RowOutcome::Skip,
        // A station not due in this window (a yearly survey in a quarter): its records
        // covering the window are simply not for this window.
        Placement::Coarse if ctx.set.calendar && !ctx.set.station_due(fc.station, ctx.window) => {
            return RowOutcome::Skip;
        }
        Placement::Coarse => {
            return RowOutcome::Issue(issue(
                Kind::CoarsePeriod,
                given.unwrap_or(cols.unit),
                format!("记录的期间 {period} 大于评价期间 {},无法拆分到本期,已忽略", ctx.window),
            ));
        }
    }

    // 2. Unit, by code or exact name.
    let unit_key = row.get(cols.unit).as_key();
    let unit = match ctx.roster.find(&unit_key) {
        Lookup::Found(u) => u,
        // A unit another set of the project scores: its row is that set's, not an error here.
        Lookup::Unknown if ctx.foreign.is_some_and(|f| f.units.find(&unit_key) != Lookup::Unknown) => {
            return RowOutcome::Skip;
        }
        Lookup::Unknown if unit_key.is_empty() => {
            return RowOutcome::Issue(issue(Kind::UnknownUnit, cols.unit, "缺少单位代码".into()));
        }
        Lookup::Unknown => {
            return RowOutcome::Issue(issue(
                Kind::UnknownUnit,
                cols.unit,
                format!("单位 \"{}\" 不在单位名册中 (既不是单位代码也不是单位名称)", clip(&unit_key)),
            ));
        }
        Lookup::Ambiguous => {
            return RowOutcome::Issue(issue(
                Kind::UnknownUnit,
                cols.unit,
                format!("单位名称 \"{}\" 对应多个单位,请改填单位代码", clip(&unit_key)),
            ));
        }
    };
    let unit_code = ctx.roster.units[unit].code.as_str();

    // 3. Indicator: a leaf of this station that applies to the unit.
    let ind_key = row.get(cols.indicator).as_key();
    let issue_u = |kind, col, msg| issue(kind, col, msg).unit(unit_code);
    if ind_key.is_empty() {
        return RowOutcome::Issue(issue_u(Kind::UnknownIndicator, cols.indicator, "缺少指标代码".into()));
    }
    let Some(leaf_id) = set.node(&ind_key) else {
        return RowOutcome::Issue(issue_u(
            Kind::UnknownIndicator,
            cols.indicator,
            format!("指标代码 \"{}\" 不在指标体系中", clip(&ind_key)),
        ));
    };
    let node = &set.nodes[leaf_id];
    let issue_ui = |kind, col, msg| issue_u(kind, col, msg).indicator(&node.code);
    let NodeKind::Leaf(leaf) = &node.kind else {
        return RowOutcome::Issue(issue_ui(
            Kind::NotALeaf,
            cols.indicator,
            format!("指标 {} ({}) 是分组指标,得分由下级指标汇总,不能直接填报", node.code, node.name),
        ));
    };
    if leaf.station != fc.station {
        let (own, this) = (&set.stations[leaf.station], &set.stations[fc.station]);
        return RowOutcome::Issue(
            issue_ui(
                Kind::WrongStation,
                cols.indicator,
                format!(
                    "指标 {} 由 {} ({}) 采集,不应出现在 {} ({}) 的工作簿中",
                    node.code, own.code, own.name, this.code, this.name
                ),
            )
            .station(&this.code),
        );
    }
    let category = ctx.roster.units[unit].category;
    if !node.applies[category] {
        return RowOutcome::Issue(issue_ui(
            Kind::NotApplicable,
            cols.indicator,
            format!("指标 {} 不适用于单位 {} 的类别「{}」", node.code, unit_code, set.categories[category].name),
        ));
    }

    // 4. Item (points leaves with items).
    let mut item = None;
    if let Rule::Points(p) = &leaf.rule {
        if p.implicit {
            item = Some(0);
        } else {
            let col = cols.item.unwrap_or(cols.indicator);
            let key = cols.item.map(|c| row.get(c).as_key()).unwrap_or_default();
            let codes = || p.items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>().join("、");
            if key.is_empty() {
                return RowOutcome::Issue(issue_ui(
                    Kind::UnknownItem,
                    col,
                    format!("指标 {} 需要在“事项”列填写事项代码 ({})", node.code, codes()),
                ));
            }
            match p.items.iter().position(|i| i.code == key).or_else(|| p.items.iter().position(|i| i.name == key)) {
                Some(i) => item = Some(i),
                None => {
                    return RowOutcome::Issue(issue_ui(
                        Kind::UnknownItem,
                        col,
                        format!("事项 \"{}\" 不是指标 {} 的事项 ({})", clip(&key), node.code, codes()),
                    ));
                }
            }
        }
    }

    // 5. Value.
    let value_cell = cols.value.map(|c| row.get(c)).unwrap_or(&CellValue::Empty);
    let value_col = cols.value.unwrap_or(cols.indicator);
    let max = node.max.unwrap_or_default();
    let value = match crate::rules::value::read_value(&leaf.rule, item, max, value_cell) {
        Ok(Some(v)) => v,
        Ok(None) => return RowOutcome::Skip,
        Err((kind, msg)) => {
            return RowOutcome::Issue(issue_ui(
                kind,
                value_col,
                format!("指标 {} 的数值 {}: {msg}", node.code, value_cell.shown()),
            ));
        }
    };
    let note = cols.note.map(|c| row.get(c).as_key()).unwrap_or_default();
    RowOutcome::Record(Record {
        unit,
        leaf: leaf_id,
        item,
        period,
        value,
        raw: strings.get(value_cell.as_key()),
        note: strings.get(note),
        input: 0,
        row: row.index,
        seq: 0,
    })
}
