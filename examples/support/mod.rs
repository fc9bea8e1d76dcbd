//! Shared by the example generators: a deterministic random source and a small workbook writer.
#![allow(dead_code)]

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

/// A cell to write.
#[derive(Clone, Debug)]
pub enum V {
    T(String),
    N(f64),
    Blank,
}

pub fn t(s: impl Into<String>) -> V {
    V::T(s.into())
}

/// Writes sheets of rows into a workbook with a fixed creation time, so the
/// same input always gives the same bytes.
pub fn book(sheets: Vec<(&str, Vec<Vec<V>>)>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2024, 1, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&when).set_author("zhili example generator"));
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                match v {
                    V::T(s) => {
                        ws.write_string(r as u32, c as u16, s)?;
                    }
                    V::N(n) => {
                        ws.write_number(r as u32, c as u16, *n)?;
                    }
                    V::Blank => {}
                }
            }
        }
        ws.set_column_width(0, 14)?;
        ws.set_column_width(1, 14)?;
        ws.set_column_width(2, 14)?;
    }
    wb.save_to_buffer()
}

/// The 信息 sheet of a station workbook.
pub fn info(station: &str, period: &str) -> (&'static str, Vec<Vec<V>>) {
    ("信息", vec![vec![t("监测站"), t(station)], vec![t("期间"), t(period)], vec![t("填报人"), t("张三")]])
}

/// 信息 with a 报送日期 (a resubmission is told from the original by it).
pub fn info_sent(station: &str, period: &str, submitted: &str) -> (&'static str, Vec<Vec<V>>) {
    let (name, mut rows) = info(station, period);
    rows.push(vec![t("报送日期"), t(submitted)]);
    (name, rows)
}

/// xorshift64*: small, fast, deterministic.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0 ≤ n' < n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}
