//! Every problem zhili finds — in the indicator set, the roster, the project file or the data — as one type.
//!
//! An [`Issue`] has a kind (which fixes its severity), a message for the
//! person who must fix it, and a typed place: a TOML line and column, a
//! `file!sheet!cell`, and the unit, indicator and station it concerns.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    // Data issues (数据问题, docs/workbooks.md): found while reading and scoring; the run goes on.
    BadWorkbook,
    UnknownUnit,
    UnknownIndicator,
    NotALeaf,
    NotApplicable,
    WrongStation,
    UnknownItem,
    BadValue,
    OutOfRange,
    BadPeriod,
    CoarsePeriod,
    MissingData,
    FewResponses,
    MissingStation,
    MissingSubmission,
    DuplicateSubmission,
    Superseded,
    // Problems that stop a run before scoring: the set, the roster, the project file.
    IndicatorSet,
    Roster,
    Project,
    // Lints (`zhili check`'s warnings): legal but suspicious.
    IdleStation,
    UnreachableLeaf,
    EmptyCategory,
    SurveyWithoutMinResponses,
    ZeroWeights,
}

impl Kind {
    /// Every kind, so a saved result's kind codes can be read back ([`Kind::from_code`]).
    pub const ALL: [Kind; 25] = [
        Kind::BadWorkbook,
        Kind::UnknownUnit,
        Kind::UnknownIndicator,
        Kind::NotALeaf,
        Kind::NotApplicable,
        Kind::WrongStation,
        Kind::UnknownItem,
        Kind::BadValue,
        Kind::OutOfRange,
        Kind::BadPeriod,
        Kind::CoarsePeriod,
        Kind::MissingData,
        Kind::FewResponses,
        Kind::MissingStation,
        Kind::MissingSubmission,
        Kind::DuplicateSubmission,
        Kind::Superseded,
        Kind::IndicatorSet,
        Kind::Roster,
        Kind::Project,
        Kind::IdleStation,
        Kind::UnreachableLeaf,
        Kind::EmptyCategory,
        Kind::SurveyWithoutMinResponses,
        Kind::ZeroWeights,
    ];

    /// The kind a JSON code names.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The machine-readable name used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Kind::BadWorkbook => "bad_workbook",
            Kind::UnknownUnit => "unknown_unit",
            Kind::UnknownIndicator => "unknown_indicator",
            Kind::NotALeaf => "not_a_leaf",
            Kind::NotApplicable => "not_applicable",
            Kind::WrongStation => "wrong_station",
            Kind::UnknownItem => "unknown_item",
            Kind::BadValue => "bad_value",
            Kind::OutOfRange => "out_of_range",
            Kind::BadPeriod => "bad_period",
            Kind::CoarsePeriod => "coarse_period",
            Kind::MissingData => "missing_data",
            Kind::FewResponses => "few_responses",
            Kind::MissingStation => "missing_station",
            Kind::MissingSubmission => "missing_submission",
            Kind::DuplicateSubmission => "duplicate_submission",
            Kind::Superseded => "superseded",
            Kind::IndicatorSet => "indicator_set",
            Kind::Roster => "roster",
            Kind::Project => "project",
            Kind::IdleStation => "idle_station",
            Kind::UnreachableLeaf => "unreachable_leaf",
            Kind::EmptyCategory => "empty_category",
            Kind::SurveyWithoutMinResponses => "survey_without_min_responses",
            Kind::ZeroWeights => "zero_weights",
        }
    }

    /// The Chinese name shown to people (数据问题 sheet, terminal counts);
    /// [`Kind::code`] stays beside it so the JSON and docs can be matched.
    pub fn label(self) -> &'static str {
        match self {
            Kind::BadWorkbook => "文件无法读取",
            Kind::UnknownUnit => "未知单位",
            Kind::UnknownIndicator => "未知指标",
            Kind::NotALeaf => "不是末级指标",
            Kind::NotApplicable => "指标不适用该单位",
            Kind::WrongStation => "不属本监测站",
            Kind::UnknownItem => "未知事项",
            Kind::BadValue => "数值无效",
            Kind::OutOfRange => "数值超出范围",
            Kind::BadPeriod => "期间无效",
            Kind::CoarsePeriod => "期间长于评价期间",
            Kind::MissingData => "缺少数据",
            Kind::FewResponses => "答卷不足",
            Kind::MissingStation => "监测站未报送",
            Kind::MissingSubmission => "缺报",
            Kind::DuplicateSubmission => "重复报送",
            Kind::Superseded => "已被更正版取代",
            Kind::IndicatorSet => "指标体系错误",
            Kind::Roster => "名册错误",
            Kind::Project => "项目配置错误",
            Kind::IdleStation => "监测站没有指标",
            Kind::UnreachableLeaf => "指标无适用单位",
            Kind::EmptyCategory => "类别没有单位",
            Kind::SurveyWithoutMinResponses => "问卷未设最少答卷数",
            Kind::ZeroWeights => "权重全为零",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Kind::CoarsePeriod | Kind::MissingData | Kind::FewResponses | Kind::MissingStation | Kind::Superseded => {
                Severity::Warning
            }
            Kind::IdleStation
            | Kind::UnreachableLeaf
            | Kind::EmptyCategory
            | Kind::SurveyWithoutMinResponses
            | Kind::ZeroWeights => Severity::Warning,
            Kind::BadWorkbook
            | Kind::UnknownUnit
            | Kind::UnknownIndicator
            | Kind::NotALeaf
            | Kind::NotApplicable
            | Kind::WrongStation
            | Kind::UnknownItem
            | Kind::BadValue
            | Kind::OutOfRange
            | Kind::BadPeriod
            | Kind::MissingSubmission
            | Kind::DuplicateSubmission
            | Kind::IndicatorSet
            | Kind::Roster
            | Kind::Project => Severity::Error,
        }
    }
}

/// One problem. Location fields are filled where they apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub kind: Kind,
    pub file: Option<String>,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    /// 1-based TOML line and column (indicator sets and project files).
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub unit: Option<String>,
    pub indicator: Option<String>,
    pub station: Option<String>,
    /// The period it concerns (calendar issues, per-period scoring).
    pub period: Option<String>,
    pub message: String,
}

impl Issue {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Issue {
            kind,
            file: None,
            sheet: None,
            cell: None,
            line: None,
            col: None,
            unit: None,
            indicator: None,
            station: None,
            period: None,
            message: message.into(),
        }
    }

    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    pub fn at(mut self, file: &str, sheet: &str, cell: &str) -> Self {
        self.file = Some(file.to_string());
        self.sheet = Some(sheet.to_string());
        self.cell = Some(cell.to_string());
        self
    }

    /// A cell of a workbook sheet, or of a flat table (a CSV: no sheet, cell `row:column`).
    pub fn at_cell(mut self, file: &str, sheet: Option<&str>, cell: &str) -> Self {
        self.file = Some(file.to_string());
        self.sheet = sheet.map(str::to_string);
        self.cell = Some(cell.to_string());
        self
    }

    pub fn in_file(mut self, file: &str) -> Self {
        self.file = Some(file.to_string());
        self
    }

    /// A TOML place; the column may be unknown (a whole table).
    pub fn at_line(mut self, line: usize, col: Option<usize>) -> Self {
        self.line = Some(line);
        self.col = col;
        self
    }

    /// A place inside a file other than a cell (`file!sheet`).
    pub fn in_sheet(mut self, file: &str, sheet: &str) -> Self {
        self.file = Some(file.to_string());
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn unit(mut self, code: &str) -> Self {
        self.unit = Some(code.to_string());
        self
    }

    pub fn indicator(mut self, code: &str) -> Self {
        self.indicator = Some(code.to_string());
        self
    }

    pub fn period(mut self, period: impl std::fmt::Display) -> Self {
        self.period = Some(period.to_string());
        self
    }

    pub fn station(mut self, code: &str) -> Self {
        self.station = Some(code.to_string());
        self
    }

    /// `file:line:col` for a TOML place, else `file!sheet!A1`, or as much of it as is known.
    pub fn place(&self) -> Option<String> {
        if let Some(line) = self.line {
            let file = self.file.as_deref().map(|f| format!("{f}:")).unwrap_or_default();
            return Some(match self.col {
                Some(col) => format!("{file}{line}:{col}"),
                None => format!("{file}{line}"),
            });
        }
        let parts: Vec<&str> =
            [&self.file, &self.sheet, &self.cell].into_iter().flatten().map(String::as_str).collect();
        (!parts.is_empty()).then(|| parts.join("!"))
    }

    /// The place, else the unit or station it concerns (for lists such as `check`'s).
    pub fn place_or_subject(&self) -> String {
        self.place()
            .or_else(|| self.unit.as_ref().map(|u| format!("单位 {u}")))
            .or_else(|| self.station.as_ref().map(|s| format!("监测站 {s}")))
            .unwrap_or_default()
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.kind.code(), self.message)?;
        if let Some(p) = self.place() {
            write!(f, " ({p})")?;
        }
        Ok(())
    }
}
/// Why a result is provisional (暂定), from how many submissions are missing and how many are duplicated:
/// "缺报 1 期", "2 个工作簿重复报送且无法确定哪份有效", joined by ",".
pub fn provisional_reason(missing: usize, duplicate: usize) -> String {
    let mut why = Vec::new();
    if missing > 0 {
        why.push(format!("缺报 {missing} 期"));
    }
    if duplicate > 0 {
        why.push(format!("{duplicate} 个工作簿重复报送且无法确定哪份有效"));
    }
    why.join(",")
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn every_kind_reads_back_from_its_code() {
        // A kind missing from ALL (a variant added later) would not read back: its code is unique, so
        // counting the distinct codes of ALL catches a duplicate, and this catches a forgotten one.
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
        let mut codes: Vec<&str> = Kind::ALL.iter().map(|k| k.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Kind::ALL.len());
        assert_eq!(Kind::from_code("no_such_kind"), None);
    }
}
