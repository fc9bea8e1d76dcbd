//! Streams cells out of XLSX workbooks, row by row, with their A1 addresses.
//!
//! Cells are read with calamine's streaming reader rather than as dense
//! ranges, so a sheet's declared extent never decides how much memory is
//! used. Each cell's variant is matched here once: numbers become exact
//! decimals, dates keep their calendar fields, and booleans or error cells
//! stay what they are instead of quietly turning into numbers.

use calamine::{DataRef, Reader, Xlsx};
use rust_decimal::Decimal;
use std::io::Cursor;

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
            _ => false,
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
            CellValue::Date { year, month, day } => format!("{year}-{month:02}-{day:02}"),
            CellValue::Error(e) => e.clone(),
        }
    }

    /// How the cell is shown in messages (long text is cut, so a hostile
    /// cell cannot make a huge message).
    pub fn shown(&self) -> String {
        match self {
            CellValue::Empty => "(空)".into(),
            CellValue::Text(s) => format!("\"{}\"", clip(s)),
            other => clip(&other.as_key()),
        }
    }
}

/// Text for a message: at most 40 characters, then "…(共 N 字)".
pub fn clip(s: &str) -> String {
    let n = s.chars().count();
    if n <= 40 { s.to_string() } else { format!("{}…(共 {n} 字)", s.chars().take(40).collect::<String>()) }
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

/// An open workbook.
pub struct Book<'a> {
    xlsx: Xlsx<Cursor<&'a [u8]>>,
}

impl<'a> Book<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Self, String> {
        Xlsx::new(Cursor::new(bytes)).map(|xlsx| Book { xlsx }).map_err(|e| format!("无法作为 XLSX 工作簿读取: {e}"))
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    /// Finds a sheet whose trimmed name equals one of `names` (English ones
    /// case-insensitively).
    pub fn find_sheet(&self, names: &[&str]) -> Option<String> {
        self.sheet_names().into_iter().find(|s| header_matches(s, names))
    }

    /// Calls `f` for each non-empty row in order, until it returns `false`.
    pub fn for_each_row(&mut self, sheet: &str, mut f: impl FnMut(Row) -> bool) -> Result<(), String> {
        let mut reader =
            self.xlsx.worksheet_cells_reader(sheet).map_err(|e| format!("无法读取工作表「{sheet}」: {e}"))?;
        let mut current: Option<Row> = None;
        let mut cells: u64 = 0;
        loop {
            let cell = match reader.next_cell() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return Err(format!("工作表「{sheet}」内容损坏: {e}")),
            };
            let (r, c) = cell.get_position();
            if r >= MAX_ROWS || c >= MAX_COLS {
                return Err(format!(
                    "工作表「{sheet}」有超出 Excel 范围的单元格地址 (第 {} 行、第 {} 列)",
                    r as u64 + 1,
                    c as u64 + 1
                ));
            }
            cells += 1;
            if cells > MAX_CELLS {
                return Err(format!("工作表「{sheet}」超过 {MAX_CELLS} 个单元格,超出上限"));
            }
            let value = convert(cell.get_value());
            if value == CellValue::Empty {
                continue;
            }
            match &mut current {
                Some(row) if row.index == r => row.cells.push((c, value)),
                _ => {
                    if let Some(done) = current.take()
                        && !f(done)
                    {
                        return Ok(());
                    }
                    current = Some(Row { index: r, cells: vec![(c, value)] });
                }
            }
        }
        if let Some(done) = current {
            f(done);
        }
        Ok(())
    }
}

fn convert(v: &DataRef) -> CellValue {
    match v {
        DataRef::Empty => CellValue::Empty,
        DataRef::Int(i) => CellValue::Number(Decimal::from(*i)),
        DataRef::Float(f) => match crate::number::from_f64(*f) {
            Some(d) => CellValue::Number(d),
            None => CellValue::Error(format!("无法表示的数值 {f}")),
        },
        DataRef::String(s) => CellValue::Text(s.clone()),
        DataRef::SharedString(s) => CellValue::Text(s.to_string()),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            CellValue::Date { year: y as i32, month: m as u32, day: d as u32 }
        }
        DataRef::DateTime(dt) => CellValue::Error(format!("时长 {}", dt.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Text(s.clone()),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
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

/// Excel's own limits: rows and columns beyond them are not a real sheet.
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLS: u32 = 16_384;
/// Cells read from one sheet before it is refused (far more than any station sends).
pub const MAX_CELLS: u64 = 50_000_000;

/// How many rows from the top a header row may be found in (SPEC §3.1, §3.2).
pub const HEADER_ROWS: u32 = 10;

impl Book<'_> {
    /// Streams a table: the header is the first row among the first
    /// [`HEADER_ROWS`] that satisfies `is_header`; every later row is passed
    /// to `on_row` with the header. Returns the header row, or `None` when
    /// there is none.
    pub fn read_table(
        &mut self,
        sheet: &str,
        is_header: impl Fn(&Row) -> bool,
        mut on_row: impl FnMut(&Row, Row),
    ) -> Result<Option<Row>, String> {
        let mut header: Option<Row> = None;
        let mut too_late = false;
        self.for_each_row(sheet, |row| {
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
