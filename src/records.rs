//! Turns station workbooks into validated records, each knowing its source cell (SPEC §3).
//!
//! A row becomes a [`Record`] only when every rule of SPEC §3.2–3.4 holds;
//! otherwise it becomes an [`Issue`] at the offending cell and takes no part
//! in scoring. A record's `value` is already in the form its rule needs:
//!
//! | rule   | `value`                                         |
//! |--------|-------------------------------------------------|
//! | points | a count (per-occurrence item) or the points (range item) |
//! | veto   | a count (≥ 1 triggers)                          |
//! | linear | the number (`95%` already 0.95)                 |
//! | grade  | the grade's points                              |
//! | survey | the answer's number                             |
//! | direct | the score                                       |

use crate::indicators::{Amount, IndicatorSet, NodeId, NodeKind, Rule};
use crate::issue::{Issue, Kind};
use crate::number;
use crate::period::{Period, Placement};
use crate::roster::{Lookup, Roster};
use crate::station::{Columns, StationFile};
use crate::xlsx::{CellValue, Row, a1, clip};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

/// What scoring needs to know to read data.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub set: &'a IndicatorSet,
    pub roster: &'a Roster,
    pub window: Period,
}

/// One data file as it was read.
#[derive(Clone, Debug)]
pub struct Input {
    /// As shown to people (relative to the project directory).
    pub path: String,
    pub sha256: String,
    pub station: Option<usize>,
    /// The workbook's own 期间.
    pub period: Option<Period>,
    pub sheet: Option<String>,
    /// Records accepted for this window.
    pub records: usize,
    /// Rows rejected with an error-level issue.
    pub rejected: usize,
    /// False for a `bad_workbook`.
    pub readable: bool,
}

#[derive(Clone, Debug)]
pub struct Record {
    pub unit: usize,
    pub leaf: NodeId,
    /// Index into the leaf's points items.
    pub item: Option<usize>,
    pub period: Period,
    pub value: Decimal,
    /// The value cell as written, for reports (shared: the same text is stored once per file).
    pub raw: Arc<str>,
    pub note: Arc<str>,
    /// Index into [`Loaded::inputs`].
    pub input: usize,
    /// 0-based row in the input's data sheet.
    pub row: u32,
    /// Position in reading order.
    pub seq: usize,
}

/// The result of reading one file, before files are put in reading order.
#[derive(Clone, Debug)]
pub struct FileResult {
    pub input: Input,
    pub records: Vec<Record>,
    pub issues: Vec<Issue>,
}

/// All data for one window, in reading order.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub inputs: Vec<Input>,
    pub records: Vec<Record>,
    pub issues: Vec<Issue>,
}

/// Reads one station workbook. Never panics: anything that goes wrong
/// inside the parser becomes a `bad_workbook` issue for this file.
pub fn read_file(ctx: Context, path: &str, bytes: &[u8]) -> FileResult {
    let sha256 = crate::sha256_hex(bytes);
    if let Err(reason) = crate::sniff::check_workbook(bytes) {
        return unreadable(path, &sha256, &reason);
    }
    let result = crate::guard::quietly(|| read_station(ctx, path, bytes));
    match result {
        Ok(mut r) => {
            r.input.sha256 = sha256;
            r
        }
        Err(reason) => unreadable(path, &sha256, &format!("无法作为监测站工作簿读取: {reason}")),
    }
}

/// A file that could not be read at all: one `bad_workbook` issue, no records.
pub fn unreadable(path: &str, sha256: &str, reason: &str) -> FileResult {
    FileResult {
        input: Input {
            path: path.to_string(),
            sha256: sha256.to_string(),
            station: None,
            period: None,
            sheet: None,
            records: 0,
            rejected: 0,
            readable: false,
        },
        records: Vec::new(),
        issues: vec![Issue::new(Kind::BadWorkbook, format!("{reason};已跳过该文件")).in_file(path)],
    }
}

/// Puts files in reading order (byte order of their paths), numbers the
/// records, and adds `missing_station` warnings.
pub fn assemble(ctx: Context, mut files: Vec<FileResult>) -> Loaded {
    files.sort_by(|a, b| a.input.path.as_bytes().cmp(b.input.path.as_bytes()));
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
    loaded.issues.extend(missing_stations(ctx, &loaded.inputs));
    loaded
}

/// Stations that collect a leaf applicable to some unit but sent no
/// readable workbook whose 期间 overlaps the window.
fn missing_stations(ctx: Context, inputs: &[Input]) -> Vec<Issue> {
    let set = ctx.set;
    let needed = |s: usize| {
        set.leaves()
            .any(|(id, leaf)| leaf.station == s && ctx.roster.units.iter().any(|u| set.nodes[id].applies[u.category]))
    };
    let sent = |s: usize| {
        inputs.iter().any(|i| i.readable && i.station == Some(s) && i.period.is_some_and(|p| p.overlaps(ctx.window)))
    };
    (0..set.stations.len())
        .filter(|&s| needed(s) && !sent(s))
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
    sheet: String,
    station: usize,
    period: Period,
    period_cell: String,
}

fn read_station(ctx: Context, path: &str, bytes: &[u8]) -> Result<FileResult, String> {
    let mut file = StationFile::open(bytes)?;
    let info = &file.info_sheet;
    let station_cell =
        file.station.as_ref().ok_or(format!("“{info}”工作表中没有“监测站”一行 (A 列写“监测站”,B 列写代码或名称)"))?;
    let key = station_cell.value.as_key();
    let station = ctx
        .set
        .station(&key)
        .ok_or_else(|| format!("“{info}”!{} 的监测站 \"{key}\" 不在指标体系的 [[station]] 中", station_cell.cell))?;
    let period_cell =
        file.period.as_ref().ok_or(format!("“{info}”工作表中没有“期间”一行 (A 列写“期间”,B 列写如 2024Q1)"))?;
    let period =
        cell_period(&period_cell.value).map_err(|e| format!("“{info}”!{} 的期间无效: {e}", period_cell.cell))?;

    let fc = FileCtx {
        path,
        sheet: file.data_sheet.clone(),
        station,
        period,
        period_cell: format!("{info}!{}", period_cell.cell),
    };
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let mut rejected = 0;
    let mut strings = Interner::default();
    file.read_rows(|cols, row| match resolve_row(ctx, &fc, cols, &row, &mut strings) {
        Outcome::Record(r) => records.push(r),
        Outcome::Skip => {}
        Outcome::Issue(i) => {
            if i.severity() == crate::issue::Severity::Error {
                rejected += 1;
            }
            issues.push(i);
        }
    })?;
    Ok(FileResult {
        input: Input {
            path: path.to_string(),
            sha256: String::new(),
            station: Some(station),
            period: Some(period),
            sheet: Some(fc.sheet),
            records: records.len(),
            rejected,
            readable: true,
        },
        records,
        issues,
    })
}

/// A period cell: text in any SPEC §1 form, a date (its month), or a year number.
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
        other => Err(format!("{} 不是期间", other.shown())),
    }
}

enum Outcome {
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

fn resolve_row(ctx: Context, fc: &FileCtx, cols: &Columns, row: &Row, strings: &mut Interner) -> Outcome {
    let set = ctx.set;
    let at = |col: u32| a1(row.index, col);
    let issue = |kind: Kind, col: u32, msg: String| Issue::new(kind, msg).at(fc.path, &fc.sheet, &at(col));

    // 1. Period: the row's own, which must lie inside the workbook's, or the workbook's.
    let given = cols.period.filter(|&c| !row.get(c).is_blank());
    let period = match given {
        Some(c) => match cell_period(row.get(c)) {
            Ok(p) if fc.period.contains(p) => p,
            Ok(p) => {
                return Outcome::Issue(issue(
                    Kind::BadPeriod,
                    c,
                    format!("期间 {p} 不在本工作簿的期间 {} ({}) 之内", fc.period, fc.period_cell),
                ));
            }
            Err(e) => return Outcome::Issue(issue(Kind::BadPeriod, c, e)),
        },
        None => fc.period,
    };
    match ctx.window.place(period) {
        Placement::Inside => {}
        Placement::Outside => return Outcome::Skip,
        Placement::Coarse => {
            return Outcome::Issue(issue(
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
        Lookup::Unknown if unit_key.is_empty() => {
            return Outcome::Issue(issue(Kind::UnknownUnit, cols.unit, "缺少单位代码".into()));
        }
        Lookup::Unknown => {
            return Outcome::Issue(issue(
                Kind::UnknownUnit,
                cols.unit,
                format!("单位 \"{}\" 不在单位名册中 (既不是单位代码也不是单位名称)", clip(&unit_key)),
            ));
        }
        Lookup::Ambiguous => {
            return Outcome::Issue(issue(
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
        return Outcome::Issue(issue_u(Kind::UnknownIndicator, cols.indicator, "缺少指标代码".into()));
    }
    let Some(leaf_id) = set.node(&ind_key) else {
        return Outcome::Issue(issue_u(
            Kind::UnknownIndicator,
            cols.indicator,
            format!("指标代码 \"{}\" 不在指标体系中", clip(&ind_key)),
        ));
    };
    let node = &set.nodes[leaf_id];
    let issue_ui = |kind, col, msg| issue_u(kind, col, msg).indicator(&node.code);
    let NodeKind::Leaf(leaf) = &node.kind else {
        return Outcome::Issue(issue_ui(
            Kind::NotALeaf,
            cols.indicator,
            format!("指标 {} ({}) 是分组指标,得分由下级指标汇总,不能直接填报", node.code, node.name),
        ));
    };
    if leaf.station != fc.station {
        let (own, this) = (&set.stations[leaf.station], &set.stations[fc.station]);
        return Outcome::Issue(
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
        return Outcome::Issue(issue_ui(
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
                return Outcome::Issue(issue_ui(
                    Kind::UnknownItem,
                    col,
                    format!("指标 {} 需要在“事项”列填写事项代码 ({})", node.code, codes()),
                ));
            }
            match p.items.iter().position(|i| i.code == key).or_else(|| p.items.iter().position(|i| i.name == key)) {
                Some(i) => item = Some(i),
                None => {
                    return Outcome::Issue(issue_ui(
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
    let value = match read_value(&leaf.rule, item, max, value_cell) {
        Ok(Some(v)) => v,
        Ok(None) => return Outcome::Skip,
        Err((kind, msg)) => {
            return Outcome::Issue(issue_ui(
                kind,
                value_col,
                format!("指标 {} 的数值 {}: {msg}", node.code, value_cell.shown()),
            ));
        }
    };
    let note = cols.note.map(|c| row.get(c).as_key()).unwrap_or_default();
    Outcome::Record(Record {
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

type ValueResult = Result<Option<Decimal>, (Kind, String)>;

/// Reads a value cell for a rule. `Ok(None)`: blank where blank means "not filled in".
fn read_value(rule: &Rule, item: Option<usize>, max: Decimal, cell: &CellValue) -> ValueResult {
    let blank = cell.is_blank();
    let bad = |msg: &str| Err((Kind::BadValue, msg.to_string()));
    let num = |percent: bool| match cell {
        CellValue::Number(d) => Some(*d),
        CellValue::Text(t) => number::parse_text(t, percent),
        _ => None,
    };
    let in_range = |v: Decimal, lo: Decimal, hi: Decimal| {
        if v < lo || v > hi { Err((Kind::OutOfRange, format!("超出允许范围 [{lo}, {hi}]"))) } else { Ok(Some(v)) }
    };
    match rule {
        Rule::Points(p) => {
            let it = &p.items[item.unwrap_or(0)];
            match it.amount {
                Amount::Per(_) => count(cell),
                Amount::Range(lo, hi) => {
                    if blank {
                        return bad(&format!("范围事项 ({lo}–{hi} 分) 需要填写分值"));
                    }
                    match num(false) {
                        Some(v) => in_range(v, lo, hi),
                        None => bad("不是数字"),
                    }
                }
            }
        }
        Rule::Veto(_) => count(cell),
        _ if blank => Ok(None),
        Rule::Linear { .. } => num(true).map(|v| Ok(Some(v))).unwrap_or_else(|| bad("不是数字 (可写 0.95 或 95%)")),
        Rule::Direct { .. } => match num(false) {
            Some(v) => in_range(v, Decimal::ZERO, max),
            None => bad("不是数字"),
        },
        Rule::Grade { grades } => {
            let key = cell.as_key();
            match grades.iter().find(|(label, _)| *label == key) {
                Some((_, pts)) => Ok(Some(*pts)),
                None => {
                    let labels: Vec<&str> = grades.iter().map(|(l, _)| l.as_str()).collect();
                    bad(&format!("不是有效等级 (可选: {})", labels.join("、")))
                }
            }
        }
        Rule::Survey(s) => {
            if let CellValue::Text(t) = cell
                && let Some((_, v)) = s.answers.iter().find(|(a, _)| a == t.trim())
            {
                return Ok(Some(*v));
            }
            match num(false) {
                Some(v) => in_range(v, s.lo, s.hi),
                None if s.answers.is_empty() => bad(&format!("不是 {}–{} 之间的数字", s.lo, s.hi)),
                None => {
                    let labels: Vec<&str> = s.answers.iter().map(|(l, _)| l.as_str()).collect();
                    bad(&format!("不是有效答案 (可选: {},或 {}–{} 的数字)", labels.join("、"), s.lo, s.hi))
                }
            }
        }
    }
}

/// A count of occurrences: blank is 1; otherwise a non-negative integer.
fn count(cell: &CellValue) -> ValueResult {
    let v = match cell {
        c if c.is_blank() => return Ok(Some(Decimal::ONE)),
        CellValue::Number(d) => Some(*d),
        CellValue::Text(t) => number::parse_text(t, false),
        _ => None,
    };
    match v {
        Some(v) if v >= Decimal::ZERO && v.fract().is_zero() => Ok(Some(v.normalize())),
        _ => Err((Kind::BadValue, "次数必须是非负整数 (留空表示 1 次)".to_string())),
    }
}
