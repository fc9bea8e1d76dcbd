//! The layout of a station workbook (监测站填报表, SPEC §3.2): the 信息 sheet and the data table.
//!
//! This module knows sheets, headers and columns only; what the cells mean
//! for the indicator set is decided in `records`.

use crate::xlsx::{Book, CellValue, Row, a1, header_matches};

pub const INFO_SHEET: &[&str] = &["信息", "info"];
pub const DATA_SHEET: &[&str] = &["数据", "data"];
pub const KEY_STATION: &[&str] = &["监测站", "station"];
pub const KEY_PERIOD: &[&str] = &["期间", "period"];

pub const COL_PERIOD: &[&str] = &["期间", "时间", "period"];
pub const COL_UNIT: &[&str] = &["单位代码", "单位", "unit"];
pub const COL_INDICATOR: &[&str] = &["指标代码", "指标", "indicator"];
pub const COL_ITEM: &[&str] = &["事项", "item"];
pub const COL_VALUE: &[&str] = &["数值", "值", "分值", "value"];
pub const COL_NOTE: &[&str] = &["说明", "备注", "note"];

/// A cell value with its A1 address.
#[derive(Clone, Debug)]
pub struct Located {
    pub value: CellValue,
    pub cell: String,
}

/// Where each known column is in the data sheet.
#[derive(Clone, Debug)]
pub struct Columns {
    pub period: Option<u32>,
    pub unit: u32,
    pub indicator: u32,
    pub item: Option<u32>,
    pub value: Option<u32>,
    pub note: Option<u32>,
}

impl Columns {
    fn of(header: &Row) -> Option<Self> {
        let find = |names: &[&str]| header.column(names);
        Some(Columns {
            period: find(COL_PERIOD),
            unit: find(COL_UNIT)?,
            indicator: find(COL_INDICATOR)?,
            item: find(COL_ITEM),
            value: find(COL_VALUE),
            note: find(COL_NOTE),
        })
    }

    /// True when every column zhili reads is blank in this row (other
    /// columns, such as a 单位名称 help column, do not count).
    pub fn row_is_blank(&self, row: &Row) -> bool {
        [self.period, Some(self.unit), Some(self.indicator), self.item, self.value, self.note]
            .into_iter()
            .flatten()
            .all(|c| row.get(c).is_blank())
    }
}

/// An opened station workbook whose 信息 sheet has been read.
pub struct StationFile<'a> {
    book: Book<'a>,
    pub info_sheet: String,
    pub station: Option<Located>,
    pub period: Option<Located>,
    pub data_sheet: String,
}

impl<'a> StationFile<'a> {
    /// Opens the workbook and reads 信息. Errors are `bad_workbook` reasons.
    pub fn open(bytes: &'a [u8]) -> Result<Self, String> {
        let mut book = Book::open(bytes)?;
        let info_sheet = book.find_sheet(INFO_SHEET).ok_or("没有“信息”工作表 (info)")?;
        let data_sheet = book
            .find_sheet(DATA_SHEET)
            .or_else(|| book.sheet_names().into_iter().find(|s| !header_matches(s, INFO_SHEET)))
            .ok_or("没有数据工作表 (“数据”或“信息”以外的工作表)")?;
        let (mut station, mut period) = (None, None);
        book.for_each_row(&info_sheet, |row| {
            let key = row.get(0);
            let value = || {
                row.cells
                    .iter()
                    .find(|(c, _)| *c == 1)
                    .map(|(c, v)| Located { value: v.clone(), cell: a1(row.index, *c) })
            };
            if let CellValue::Text(k) = key {
                if station.is_none() && header_matches(k, KEY_STATION) {
                    station = Some(value().unwrap_or(Located { value: CellValue::Empty, cell: a1(row.index, 1) }));
                } else if period.is_none() && header_matches(k, KEY_PERIOD) {
                    period = Some(value().unwrap_or(Located { value: CellValue::Empty, cell: a1(row.index, 1) }));
                }
            }
            true
        })?;
        Ok(StationFile { book, info_sheet, station, period, data_sheet })
    }

    /// Streams the data rows below the header. An error (no header, a
    /// damaged sheet) is a `bad_workbook` reason.
    pub fn read_rows(&mut self, mut on_row: impl FnMut(&Columns, Row)) -> Result<(), String> {
        let mut cols: Option<Columns> = None;
        let header = self.book.read_table(
            &self.data_sheet,
            |row| Columns::of(row).is_some(),
            |header, row| {
                if cols.is_none() {
                    cols = Columns::of(header);
                }
                if let Some(c) = &cols
                    && !c.row_is_blank(&row)
                {
                    on_row(c, row)
                }
            },
        )?;
        match header {
            Some(_) => Ok(()),
            None => Err(format!("工作表「{}」前 10 行中没有表头 (需要“单位代码”和“指标代码”列)", self.data_sheet)),
        }
    }
}
