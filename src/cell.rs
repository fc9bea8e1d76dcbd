//! The neutral cell model every tabular input is read into, whatever its file format.
//!
//! Readers (XLSX today; others later) implement [`TableSource`]; the roster,
//! station and result readers see only [`CellValue`]s in [`Row`]s with A1
//! addresses, and find headers with [`header_matches`] and [`read_table`].

use crate::text::clip;
use rust_decimal::Decimal;

/// A cell's value, as the rest of zhili sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Empty,
    Number(Decimal),
    Text(String),
    Bool(bool),
    Date {
        year: i32,
        month: u32,
        day: u32,
        /// Seconds since midnight (0 for a bare date).
        seconds: u32,
    },
    /// An error cell (`#N/A`) or a number zhili cannot represent.
    Error(String),
}

impl CellValue {
    /// Empty, or text that is only white space.
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            CellValue::Number(_) | CellValue::Bool(_) | CellValue::Date { .. } | CellValue::Error(_) => false,
        }
    }

    /// The cell as text, trimmed: numbers in their shortest form. Used for
    /// codes and labels, which people may type as numbers (`1001`).
    pub fn as_key(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Number(d) => d.normalize().to_string(),
            CellValue::Text(s) => s.trim().to_string(),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::Date { year, month, day, seconds: 0 } => format!("{year}-{month:02}-{day:02}"),
            CellValue::Date { year, month, day, seconds } => {
                format!("{year}-{month:02}-{day:02} {:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
            }
            CellValue::Error(e) => e.clone(),
        }
    }

    /// How the cell is shown in messages (long text is cut, so a hostile
    /// cell cannot make a huge message).
    pub fn shown(&self) -> String {
        match self {
            CellValue::Empty => "(空)".into(),
            CellValue::Text(s) => format!("\"{}\"", clip(s)),
            CellValue::Number(_) | CellValue::Bool(_) | CellValue::Date { .. } | CellValue::Error(_) => {
                clip(&self.as_key())
            }
        }
    }
}

/// One non-empty row: 0-based row index and its non-empty cells by column.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub index: u32,
    pub cells: Vec<(u32, CellValue)>,
}

static EMPTY: CellValue = CellValue::Empty;

impl Row {
    /// The column of the first text cell matching one of `names` ([`header_matches`]).
    pub fn column(&self, names: &[&str]) -> Option<u32> {
        self.cells.iter().find(|(_, v)| matches!(v, CellValue::Text(t) if header_matches(t, names))).map(|(c, _)| *c)
    }

    pub fn get(&self, col: u32) -> &CellValue {
        self.cells.iter().find(|(c, _)| *c == col).map(|(_, v)| v).unwrap_or(&EMPTY)
    }
}

/// True when a header or sheet name equals one of the names after
/// trimming; ASCII names compare case-insensitively.
pub fn header_matches(cell: &str, names: &[&str]) -> bool {
    let cell = cell.trim();
    names.iter().any(|n| if n.is_ascii() { cell.eq_ignore_ascii_case(n) } else { cell == *n })
}

/// `A1`-style address of a 0-based row and column.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap_or_default(), row as u64 + 1)
}

/// How a cell is named in messages: `B12` in a workbook; `12:2` (row 12,
/// column 2) in a flat table such as a CSV, which has no column letters.
pub fn cell_name(flat: bool, row: u32, col: u32) -> String {
    if flat { format!("{}:{}", row as u64 + 1, col as u64 + 1) } else { a1(row, col) }
}

/// How many rows from the top a header row may be found in (docs/workbooks.md).
pub const HEADER_ROWS: u32 = 10;

/// A source of named sheets of cells: an opened workbook of any format.
pub trait TableSource {
    /// Sheet names in workbook order.
    fn sheet_names(&self) -> Vec<String>;

    /// Calls `f` for each non-empty row of `sheet` in order, until it returns
    /// `false`. An error is a sentence for the person who sent the file.
    fn for_each_row(&mut self, sheet: &str, f: &mut dyn FnMut(Row) -> bool) -> Result<(), String>;

    /// True for a flat table (a CSV): it has no real sheets, and its cells are
    /// named `row:column` ([`cell_name`]) with no sheet in their place.
    fn flat(&self) -> bool {
        false
    }

    /// Finds a sheet whose trimmed name equals one of `names` (English ones
    /// case-insensitively).
    fn find_sheet(&self, names: &[&str]) -> Option<String> {
        self.sheet_names().into_iter().find(|s| header_matches(s, names))
    }
}

/// Streams a table: the header is the first row among the first
/// [`HEADER_ROWS`] that satisfies `is_header`; every later row is passed to
/// `on_row` with the header. Returns the header row, or `None` when there is none.
pub fn read_table(
    source: &mut dyn TableSource,
    sheet: &str,
    is_header: impl Fn(&Row) -> bool,
    mut on_row: impl FnMut(&Row, Row),
) -> Result<Option<Row>, String> {
    let mut header: Option<Row> = None;
    let mut too_late = false;
    source.for_each_row(sheet, &mut |row| {
        match &header {
            Some(h) => on_row(h, row),
            None if row.index < HEADER_ROWS && is_header(&row) => header = Some(row),
            None if row.index >= HEADER_ROWS => too_late = true,
            None => {}
        }
        !too_late
    })?;
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 1), "B12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn header_matching() {
        assert!(header_matches(" 单位代码 ", &["单位代码", "unit"]));
        assert!(header_matches("UNIT", &["单位代码", "unit"]));
        assert!(!header_matches("单位代码x", &["单位代码", "unit"]));
    }

    #[test]
    fn keys_from_cells() {
        assert_eq!(CellValue::Number(Decimal::new(1001, 0)).as_key(), "1001");
        assert_eq!(CellValue::Number(Decimal::new(1100, 3)).as_key(), "1.1");
        assert_eq!(CellValue::Text(" U01 ".into()).as_key(), "U01");
        assert!(CellValue::Text("  ".into()).is_blank());
    }
}
