//! Streams cells out of XLSX workbooks, row by row, with their A1 addresses.
//!
//! Cells are read with calamine's streaming reader rather than as dense
//! ranges, so a sheet's declared extent never decides how much memory is
//! used. Each cell's variant is matched here once: numbers become exact
//! decimals, dates keep their calendar fields, and booleans or error cells
//! stay what they are instead of quietly turning into numbers.

use crate::cell::{CellValue, Row, TableSource};
use calamine::{DataRef, Reader, Xlsx};
use rust_decimal::Decimal;
use std::io::Cursor;

pub use super::bounds::{MAX_COLS, MAX_ROWS};
/// Cells read from one sheet before it is refused (far more than any station sends).
pub const MAX_CELLS: u64 = 50_000_000;

/// An open XLSX workbook, read as a [`TableSource`].
pub struct XlsxReader<'a> {
    xlsx: Xlsx<Cursor<&'a [u8]>>,
}

impl<'a> XlsxReader<'a> {
    /// Opens a workbook whose addresses are all inside Excel's grid (`bounds`).
    pub fn open(bytes: &'a [u8]) -> Result<Self, String> {
        super::bounds::check_addresses(bytes)?;
        Xlsx::new(Cursor::new(bytes))
            .map(|xlsx| XlsxReader { xlsx })
            .map_err(|e| format!("无法作为 XLSX 工作簿读取: {e}"))
    }
}

impl TableSource for XlsxReader<'_> {
    fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    fn for_each_row(&mut self, sheet: &str, f: &mut dyn FnMut(Row) -> bool) -> Result<(), String> {
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
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            let seconds = u32::from(hh) * 3600 + u32::from(mm) * 60 + u32::from(ss);
            CellValue::Date { year: y as i32, month: m as u32, day: d as u32, seconds }
        }
        DataRef::DateTime(dt) => CellValue::Error(format!("时长 {}", dt.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Text(s.clone()),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
    }
}
