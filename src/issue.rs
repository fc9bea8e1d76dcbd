//! Data problems (数据问题, SPEC §3.4): what went wrong, how bad it is, and exactly where.

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
}

impl Kind {
    pub const ALL: [Kind; 14] = [
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
    ];

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
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Kind::CoarsePeriod | Kind::MissingData | Kind::FewResponses | Kind::MissingStation => Severity::Warning,
            _ => Severity::Error,
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
    pub unit: Option<String>,
    pub indicator: Option<String>,
    pub station: Option<String>,
    pub message: String,
}

impl Issue {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Issue {
            kind,
            file: None,
            sheet: None,
            cell: None,
            unit: None,
            indicator: None,
            station: None,
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

    pub fn in_file(mut self, file: &str) -> Self {
        self.file = Some(file.to_string());
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

    pub fn station(mut self, code: &str) -> Self {
        self.station = Some(code.to_string());
        self
    }

    /// `file!sheet!A1`, or as much of it as is known.
    pub fn place(&self) -> Option<String> {
        let parts: Vec<&str> =
            [&self.file, &self.sheet, &self.cell].into_iter().flatten().map(String::as_str).collect();
        (!parts.is_empty()).then(|| parts.join("!"))
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
