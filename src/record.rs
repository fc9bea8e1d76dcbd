//! What reading produces and the engine consumes: records with their source, and the inputs they came from.

use crate::indicators::{IndicatorSet, NodeId};
use crate::issue::Issue;
use crate::period::Period;
use crate::roster::Roster;
use rust_decimal::Decimal;
use std::sync::Arc;

/// What scoring needs to know to read data.
#[derive(Clone, Copy)]
pub struct ReadContext<'a> {
    pub set: &'a IndicatorSet,
    pub roster: &'a Roster,
    pub window: Period,
    /// In a project of several sets (docs/multi-set.md): what belongs to the others, passed over in silence.
    pub foreign: Option<&'a Foreign>,
}

impl<'a> ReadContext<'a> {
    pub fn new(set: &'a IndicatorSet, roster: &'a Roster, window: Period) -> Self {
        ReadContext { set, roster, window, foreign: None }
    }
}

/// The units and stations of a project's other indicator sets: a shared station's workbook holds rows for
/// units scored by another set, and a station of another set sends workbooks into the same folder.
#[derive(Clone, Debug, Default)]
pub struct Foreign {
    /// The other sets' units (found by code or exact name, as in a roster).
    pub units: Roster,
    /// Codes and names of stations that only other sets have.
    pub stations: std::collections::HashSet<String>,
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
    /// 报送日期, when the workbook says it (docs/workbooks.md).
    pub submitted: Option<Submitted>,
    /// Whether it counts, or why not (resubmissions, docs/scoring.md).
    pub standing: Standing,
}

impl Input {
    /// Where its records come from: `file!sheet`, or the file alone for a CSV (its rows are its lines).
    pub fn source(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("{}!{sheet}", self.path),
            None => self.path.clone(),
        }
    }
}

/// Whether a readable workbook counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Counts,
    /// A later-dated workbook of the same station and period replaced it.
    Superseded,
    /// Sent more than once without distinct dates: none of them counts.
    Duplicate,
}

/// When a workbook was sent: a sortable instant and how it was written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Submitted {
    /// (year, month, day, seconds since midnight)
    pub at: (i32, u32, u32, u32),
    pub text: String,
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
pub struct FileRecords {
    pub input: Input,
    pub records: Vec<Record>,
    pub issues: Vec<Issue>,
    /// A workbook of a station only another set of the project has: not this set's input at all.
    pub foreign: bool,
}

/// All data for one window, in reading order.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub inputs: Vec<Input>,
    pub records: Vec<Record>,
    pub issues: Vec<Issue>,
    /// False when the results are provisional (暂定): a submission is missing or duplicated.
    pub complete: bool,
}

impl Default for Loaded {
    fn default() -> Self {
        Loaded { inputs: Vec::new(), records: Vec::new(), issues: Vec::new(), complete: true }
    }
}

impl Loaded {
    /// (files that belong to the window, files skipped as outside it): an
    /// unreadable file belongs to the window (it was meant to be read).
    pub fn window_files(&self, window: Period) -> (usize, usize) {
        let inside = self.inputs.iter().filter(|i| i.period.is_none_or(|p| p.overlaps(window))).count();
        (inside, self.inputs.len() - inside)
    }

    /// Why the results are provisional, in a sentence; `None` when they are complete.
    pub fn provisional_reason(&self) -> Option<String> {
        if self.complete {
            return None;
        }
        let count = |k: crate::issue::Kind| self.issues.iter().filter(|i| i.kind == k).count();
        let (missing, duplicate) =
            (count(crate::issue::Kind::MissingSubmission), count(crate::issue::Kind::DuplicateSubmission));
        Some(crate::issue::provisional_reason(missing, duplicate))
    }
}

impl crate::rules::Observation for Record {
    fn value(&self) -> Decimal {
        self.value
    }
    fn item(&self) -> Option<usize> {
        self.item
    }
    fn period(&self) -> Period {
        self.period
    }
    fn seq(&self) -> usize {
        self.seq
    }
}
