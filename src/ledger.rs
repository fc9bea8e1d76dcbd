//! The 问题台账 ledger's format (docs/ledger.md): its sheets and columns, its types, and reading it back.
//!
//! zhili writes the ledger (`report::ledger`) and reads it back here through the same names. Columns
//! zhili owns are parsed; columns people own are kept exactly as read ([`Kept`]) and written back
//! unchanged. A ledger edited in ways zhili cannot follow is refused with the cell to fix.

use crate::cell::a1;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

pub const SHEET: &str = "问题台账";
/// Key/value rows: the set, the latest window, then one row per update.
pub const INFO_SHEET: &str = "台账说明";
pub const INFO_SET: &str = "指标体系";
pub const INFO_LATEST: &str = "最新期间";
pub const INFO_UPDATE: &str = "更新";
/// One row per problem number: a row deleted from the ledger is noticed, not silently forgotten.
pub const INFO_ITEM: &str = "问题编号";
pub const INFO_HEADER: [&str; 4] = ["项目", "内容", "时间", "结果状态"];

pub const ID: &str = "问题编号";
pub const UNIT_CODE: &str = "单位代码";
pub const UNIT_NAME: &str = "单位名称";
pub const CATEGORY: &str = "类别";
pub const SCOPE: &str = "指标";
/// A first-level indicator's or a veto's code, or `total`.
pub const SCOPE_CODE: &str = "指标代码";
pub const KIND: &str = "问题类型";
pub const FIRST_PERIOD: &str = "首次发现期间";
pub const FIRST_LEVEL: &str = "首次等级";
pub const LATEST_PERIOD: &str = "最新期间";
pub const LATEST_SCORE: &str = "最新得分";
pub const LATEST_LEVEL: &str = "最新等级";
pub const STATUS: &str = "状态";
pub const OVERDUE: &str = "逾期";
pub const NOTE: &str = "提示";
pub const ORIGIN: &str = "原问题编号";
pub const RECURRENCES: &str = "复发次数";
pub const BASIS: &str = "依据";
pub const LEADER: &str = "分管领导";
pub const SUPERVISOR: &str = "监督单位";

/// The columns zhili owns (the sheet has them in this order, except 依据, which follows the people's
/// columns so that the printed page can stop before it; zhili finds every column by its header).
pub const ZHILI: [&str; 20] = [
    ID,
    UNIT_CODE,
    UNIT_NAME,
    CATEGORY,
    SCOPE,
    SCOPE_CODE,
    KIND,
    FIRST_PERIOD,
    FIRST_LEVEL,
    LATEST_PERIOD,
    LATEST_SCORE,
    LATEST_LEVEL,
    STATUS,
    OVERDUE,
    NOTE,
    ORIGIN,
    RECURRENCES,
    BASIS,
    LEADER,
    SUPERVISOR,
];

pub const OWNER: &str = "责任人";
pub const MEASURES: &str = "整改措施";
pub const DEADLINE: &str = "整改期限";
pub const PROGRESS: &str = "整改状态";
pub const FEEDBACK: &str = "整改反馈";
pub const REVISIT: &str = "回访情况";
pub const CLOSED_ON: &str = "销号日期";
/// The columns people own, in order: zhili never changes a cell of these.
pub const PEOPLE: [&str; 7] = [OWNER, MEASURES, DEADLINE, PROGRESS, FEEDBACK, REVISIT, CLOSED_ON];
/// People's columns that must hold dates.
pub const DATES: [&str; 2] = [DEADLINE, CLOSED_ON];
/// 整改状态's values (a drop-down).
pub const PROGRESS_VALUES: [&str; 3] = ["未整改", "整改中", DONE];
pub const DONE: &str = "已整改";

/// The scope code of a problem on the total.
pub const TOTAL: &str = "total";
/// 问题类型.
pub const KIND_WARNING: &str = "预警";
pub const KIND_VETO: &str = "一票否决";
/// A leaf on which a unit lost at least `--ledger-min-loss` points.
pub const KIND_DEDUCTION: &str = "扣分点";
/// 最新等级 when the problem is gone.
pub const NO_LEVEL: &str = "无";
/// 逾期 and 提示 texts.
pub const OVERDUE_MARK: &str = "逾期";
pub const NOT_EFFECTIVE: &str = "整改未见效";

/// Where a problem stands (状态).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    Persisting,
    Escalated,
    DeEscalated,
    /// Gone in the latest window, not yet closed by people.
    Resolved,
    /// Came back: after 销号 (a new row citing the old one), or before it.
    Recurred,
    /// 已销号: people marked it 已整改 and the latest window shows it gone.
    Closed,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::Persisting,
        Status::Escalated,
        Status::DeEscalated,
        Status::Resolved,
        Status::Recurred,
        Status::Closed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::New => "新增",
            Status::Persisting => "持续",
            Status::Escalated => "升级",
            Status::DeEscalated => "降级",
            Status::Resolved => "已解除",
            Status::Recurred => "复发",
            Status::Closed => "已销号",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.label() == text.trim())
    }

    /// Whether the item is still followed up (not 已销号).
    pub fn open(self) -> bool {
        self != Status::Closed
    }
}

/// A cell people own, exactly as read, written back as it came.
#[derive(Clone, Debug, PartialEq)]
pub enum Kept {
    Empty,
    Text(String),
    /// The number's own bits.
    Number(f64),
    Bool(bool),
    /// A date or date-time as Excel's serial number.
    Date(f64),
    /// An error cell (`#N/A`), kept as its text.
    Error(String),
}

impl Kept {
    pub fn text(&self) -> String {
        match self {
            Kept::Empty => String::new(),
            Kept::Text(s) | Kept::Error(s) => s.trim().to_string(),
            Kept::Number(n) | Kept::Date(n) => n.to_string(),
            Kept::Bool(b) => b.to_string(),
        }
    }
}

/// One problem (a row): what zhili tracks, then what people wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub id: String,
    pub unit: String,
    pub unit_name: String,
    pub category: String,
    pub scope_label: String,
    pub scope: String,
    pub kind: String,
    pub first_period: String,
    pub first_level: String,
    pub latest_period: String,
    /// As written (a score, or empty).
    pub latest_score: Option<f64>,
    pub latest_level: String,
    pub status: Status,
    pub overdue: bool,
    pub note: String,
    pub origin: String,
    pub recurrences: u32,
    pub basis: String,
    pub leader: String,
    pub supervisor: String,
    /// [`PEOPLE`] order.
    pub people: Vec<Kept>,
    /// The extra columns' cells, in [`Ledger::extra`] order.
    pub extra: Vec<Kept>,
}

impl Item {
    /// The people's cell of a [`PEOPLE`] column.
    pub fn person(&self, column: &str) -> &Kept {
        PEOPLE.iter().position(|c| *c == column).and_then(|i| self.people.get(i)).unwrap_or(&Kept::Empty)
    }

    /// Whether people marked it 已整改.
    pub fn marked_done(&self) -> bool {
        self.person(PROGRESS).text() == DONE
    }
}

/// A problem's number: the unit, the scope and the period it was first raised — stable across periods.
pub fn problem_id(unit: &str, scope: &str, first_period: &str) -> String {
    format!("{unit}-{scope}-{first_period}")
}

/// The whole ledger.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    pub set_name: String,
    /// The latest window applied (a period's code), `None` for a new ledger.
    pub latest: Option<String>,
    /// (period, time, 结果状态 — 完整 or 暂定) of each update, oldest first.
    pub updates: Vec<(String, String, String)>,
    pub items: Vec<Item>,
    /// Headers of columns people added, kept after the known ones.
    pub extra: Vec<String>,
}

/// Reads a ledger zhili wrote (and people edited). Errors name the sheet and cell to fix.
pub fn read(bytes: &[u8]) -> Result<Ledger, String> {
    crate::input::sniff::check_workbook(bytes)?;
    crate::input::bounds::check_addresses(bytes)?;
    crate::input::guard::quietly(|| {
        let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("无法作为 XLSX 工作簿读取: {e}"))?;
        let names = x.sheet_names();
        if let Some(other) = names.iter().find(|n| *n != SHEET && *n != INFO_SHEET) {
            return Err(format!(
                "台账中有 zhili 不认识的工作表「{other}」;台账只能有「{SHEET}」和「{INFO_SHEET}」两张表,请把其他内容移到别的工作簿"
            ));
        }
        let mut ledger = Ledger::default();
        let info = x.worksheet_range(INFO_SHEET).map_err(|_| format!("台账缺少「{INFO_SHEET}」工作表"))?;
        let mut recorded: Vec<String> = Vec::new();
        for row in info.rows().skip(1) {
            let cell = |i: usize| row.get(i).map(plain).unwrap_or_default();
            match cell(0).as_str() {
                INFO_SET => ledger.set_name = cell(1),
                INFO_LATEST => ledger.latest = Some(cell(1)).filter(|s| !s.is_empty()),
                INFO_UPDATE => ledger.updates.push((cell(1), cell(2), cell(3))),
                INFO_ITEM => recorded.push(cell(1)),
                _ => {}
            }
        }
        let range = x.worksheet_range(SHEET).map_err(|_| format!("台账缺少「{SHEET}」工作表"))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows = range.rows();
        let header: Vec<String> = rows.next().map(|r| r.iter().map(plain).collect()).unwrap_or_default();
        let at = |row: usize, c: usize| a1(r0 + row as u32, c0 + c as u32);
        let known_names: Vec<&str> = ZHILI.iter().chain(PEOPLE.iter()).copied().collect();
        // Headers zhili does not know, to point at when one of its own is missing (renamed?).
        let unknown: Vec<String> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.trim().is_empty() && !known_names.contains(&h.as_str()))
            .map(|(i, h)| format!("“{h}” ({})", at(0, i)))
            .collect();
        let col = |name: &str| -> Result<usize, String> {
            let mut found = header.iter().enumerate().filter(|(_, h)| *h == name).map(|(i, _)| i);
            let first = found.next().ok_or_else(|| {
                let renamed = if unknown.is_empty() {
                    String::new()
                } else {
                    format!(";表头中有 zhili 不认识的列 {},是不是改了名?", unknown.join("、"))
                };
                format!(
                    "「{SHEET}」表头 (第 {} 行) 缺少“{name}”列{renamed};表头不能改名或删除,请按 zhili 写出时的样子恢复",
                    r0 + 1
                )
            })?;
            match found.next() {
                Some(again) => Err(format!(
                    "「{SHEET}」表头中“{name}”出现了两次 ({} 和 {});zhili 不知道该读哪一列,请删去多出的一列",
                    at(0, first),
                    at(0, again)
                )),
                None => Ok(first),
            }
        };
        let known: Vec<usize> = known_names.iter().map(|c| col(c)).collect::<Result<_, _>>()?;
        let extra_cols: Vec<usize> =
            (0..header.len()).filter(|i| !known.contains(i) && !header[*i].trim().is_empty()).collect();
        ledger.extra = extra_cols.iter().map(|&i| header[i].clone()).collect();
        let mut rows_of: Vec<usize> = Vec::new();
        for (n, row) in rows.enumerate() {
            let n = n + 1;
            if row.iter().all(|c| matches!(c, Data::Empty)) {
                continue;
            }
            rows_of.push(r0 as usize + n + 1);
            let get = |name: &str| -> &Data { col(name).ok().and_then(|i| row.get(i)).unwrap_or(&Data::Empty) };
            let text = |name: &str| plain(get(name));
            let item_id = text(ID);
            let (unit, scope, first_period) = (text(UNIT_CODE), text(SCOPE_CODE), text(FIRST_PERIOD));
            if item_id.is_empty() {
                return Err(format!(
                    "「{SHEET}」第 {} 行有内容,但没有问题编号 ({});台账的行由 zhili 增加,请删去这一行或把内容写进已有的行",
                    r0 as usize + n + 1,
                    at(n, col(ID)?)
                ));
            }
            let want = problem_id(&unit, &scope, &first_period);
            if item_id != want {
                return Err(format!(
                    "「{SHEET}」第 {} 行: 问题编号“{item_id}” ({}) 与本行的单位代码“{unit}” ({})、指标代码“{scope}” ({})、首次发现期间“{first_period}” ({}) 不符;这些列由 zhili 维护,请恢复原样",
                    r0 as usize + n + 1,
                    at(n, col(ID)?),
                    at(n, col(UNIT_CODE)?),
                    at(n, col(SCOPE_CODE)?),
                    at(n, col(FIRST_PERIOD)?)
                ));
            }
            let status_text = text(STATUS);
            let status = Status::parse(&status_text).ok_or_else(|| {
                format!("「{SHEET}」{}: 状态“{status_text}”不是 zhili 写出的状态", at(n, col(STATUS).unwrap_or(0)))
            })?;
            let mut people = Vec::with_capacity(PEOPLE.len());
            for name in PEOPLE {
                let c = col(name)?;
                let kept = keep(row.get(c).unwrap_or(&Data::Empty));
                if DATES.contains(&name) && !matches!(kept, Kept::Empty | Kept::Date(_) | Kept::Number(_)) {
                    return Err(format!(
                        "「{SHEET}」{}: {name}“{}”不是日期;请在单元格中输入日期 (如 2025-03-31),不要写成文字",
                        at(n, c),
                        kept.text()
                    ));
                }
                if name == PROGRESS && !kept.text().is_empty() && !PROGRESS_VALUES.contains(&kept.text().as_str()) {
                    return Err(format!(
                        "「{SHEET}」{}: 整改状态“{}”无效;请从下拉列表选择 {}",
                        at(n, c),
                        kept.text(),
                        PROGRESS_VALUES.join("、")
                    ));
                }
                people.push(kept);
            }
            let number = |name: &str| match get(name) {
                Data::Float(f) => Some(*f),
                Data::Int(i) => Some(*i as f64),
                _ => None,
            };
            ledger.items.push(Item {
                id: item_id,
                unit,
                unit_name: text(UNIT_NAME),
                category: text(CATEGORY),
                scope_label: text(SCOPE),
                scope,
                kind: text(KIND),
                first_period,
                first_level: text(FIRST_LEVEL),
                latest_period: text(LATEST_PERIOD),
                latest_score: number(LATEST_SCORE),
                latest_level: text(LATEST_LEVEL),
                status,
                overdue: !text(OVERDUE).is_empty(),
                note: text(NOTE),
                origin: text(ORIGIN),
                recurrences: number(RECURRENCES).map(|f| f as u32).unwrap_or(0),
                basis: text(BASIS),
                leader: text(LEADER),
                supervisor: text(SUPERVISOR),
                people,
                extra: extra_cols.iter().map(|&c| keep(row.get(c).unwrap_or(&Data::Empty))).collect(),
            });
        }
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (n, item) in rows_of.iter().zip(&ledger.items) {
            if let Some(first) = seen.insert(&item.id, *n) {
                return Err(format!(
                    "「{SHEET}」第 {n} 行: 问题编号“{}”与第 {first} 行重复;每个问题只能有一行,请删去多出的一行",
                    item.id
                ));
            }
        }
        // Every problem the last update wrote must still be there: its history would otherwise be lost.
        if let Some(missing) = recorded.iter().find(|id| !seen.contains_key(id.as_str())) {
            return Err(format!(
                "「{SHEET}」中少了问题“{missing}”的一行 (「{INFO_SHEET}」记着它);台账的行不能删除 (已销号的也要保留),请从备份中恢复这一行"
            ));
        }
        Ok(ledger)
    })
}

/// A cell as text (zhili's own columns).
fn plain(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Float(f) => crate::number::from_f64(*f).map(crate::number::plain).unwrap_or_else(|| f.to_string()),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::Error(e) => e.to_string(),
    }
}

/// A people's cell as it is.
fn keep(d: &Data) -> Kept {
    match d {
        Data::Empty => Kept::Empty,
        Data::String(s) => Kept::Text(s.clone()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Kept::Text(s.clone()),
        Data::Float(f) => Kept::Number(*f),
        Data::Int(i) => Kept::Number(*i as f64),
        Data::Bool(b) => Kept::Bool(*b),
        Data::DateTime(dt) => Kept::Date(dt.as_f64()),
        Data::Error(e) => Kept::Error(e.to_string()),
    }
}
