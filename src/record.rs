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
pub struct FileRecords {
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
