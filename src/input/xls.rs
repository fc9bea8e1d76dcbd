//! Reads Excel 97–2003 (.xls, BIFF8) workbooks through calamine into the same cells as XLSX.
//!
//! calamine parses an .xls whole when it opens it (BIFF has no streaming
//! reader); a BIFF8 sheet is at most 65,536 × 256 cells, so the grid itself
//! bounds the memory. Each cell's variant is matched here as for XLSX.

use super::xlsx::MAX_CELLS;
use crate::cell::{CellValue, Row, TableSource};
use calamine::{Data, Reader, Xls, XlsError};
use rust_decimal::Decimal;
use std::io::Cursor;

/// An open .xls workbook, read as a [`TableSource`].
pub struct XlsReader<'a> {
    xls: Xls<Cursor<&'a [u8]>>,
}

impl<'a> XlsReader<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Self, String> {
        Xls::new(Cursor::new(bytes)).map(|xls| XlsReader { xls }).map_err(|e| match e {
            XlsError::Password => super::sniff::ENCRYPTED.to_string(),
            other => format!("无法作为 XLS 工作簿读取: {other}"),
        })
    }
}

impl TableSource for XlsReader<'_> {
    fn sheet_names(&self) -> Vec<String> {
        self.xls.sheet_names()
    }

    fn for_each_row(&mut self, sheet: &str, f: &mut dyn FnMut(Row) -> bool) -> Result<(), String> {
        let range = self.xls.worksheet_range(sheet).map_err(|e| format!("无法读取工作表「{sheet}」: {e}"))?;
        let Some((r0, c0)) = range.start() else { return Ok(()) };
        let mut current: Option<Row> = None;
        for (n, (r, c, value)) in range.used_cells().enumerate() {
            if n as u64 >= MAX_CELLS {
                return Err(format!("工作表「{sheet}」超过 {MAX_CELLS} 个单元格,超出上限"));
            }
            let value = convert(value);
            if value == CellValue::Empty {
                continue;
            }
            let (r, c) = (r0 + r as u32, c0 + c as u32);
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

fn convert(v: &Data) -> CellValue {
    match v {
        Data::Empty => CellValue::Empty,
        Data::Int(i) => CellValue::Number(Decimal::from(*i)),
        Data::Float(f) => match crate::number::from_f64(*f) {
            Some(d) => CellValue::Number(d),
            None => CellValue::Error(format!("无法表示的数值 {f}")),
        },
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            let seconds = u32::from(hh) * 3600 + u32::from(mm) * 60 + u32::from(ss);
            CellValue::Date { year: y as i32, month: m as u32, day: d as u32, seconds }
        }
        Data::DateTime(dt) => CellValue::Error(format!("时长 {}", dt.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
    }
}
