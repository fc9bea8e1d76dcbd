//! The layout of a station workbook (监测站填报表, docs/workbooks.md): the 信息 sheet and the data table.
//!
//! This module knows sheets, headers and columns only; what the cells mean
//! for the indicator set is decided in `records`. The names here are the
//! readers' own; the template writer uses the first of each.

use crate::cell::{CellValue, Row, TableSource, a1, cell_name, header_matches, read_table};

pub const INFO_SHEET: &[&str] = &["信息", "info"];
pub const DATA_SHEET: &[&str] = &["数据", "data"];
pub const KEY_STATION: &[&str] = &["监测站", "station"];
pub const KEY_PERIOD: &[&str] = &["期间", "period"];
/// When the workbook was sent (a date or date-time); tells a resubmission from the original.
pub const KEY_SUBMITTED: &[&str] = &["报送日期", "submitted"];

pub const COL_PERIOD: &[&str] = &["期间", "时间", "period"];
pub const COL_UNIT: &[&str] = &["单位代码", "单位", "unit"];
pub const COL_INDICATOR: &[&str] = &["指标代码", "指标", "indicator"];
pub const COL_ITEM: &[&str] = &["事项", "item"];
pub const COL_VALUE: &[&str] = &["数值", "值", "分值", "value"];
pub const COL_NOTE: &[&str] = &["说明", "备注", "note"];
/// In a CSV (which has no 信息 sheet): the station the file comes from, the same on every row.
pub const COL_STATION: &[&str] = &["监测站", "station"];

/// A cell value with its A1 address.
#[derive(Clone, Debug)]
pub struct Located {
    pub value: CellValue,
    pub cell: String,
}

/// Where each known column is in the data sheet.
#[derive(Clone, Debug)]
pub struct StationColumns {
    pub period: Option<u32>,
    pub unit: u32,
    pub indicator: u32,
    pub item: Option<u32>,
    pub value: Option<u32>,
    pub note: Option<u32>,
}

impl StationColumns {
    fn of(header: &Row) -> Option<Self> {
        let find = |names: &[&str]| header.column(names);
        Some(StationColumns {
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
pub struct StationFile<'s> {
    source: &'s mut dyn TableSource,
    pub info_sheet: String,
    pub station: Option<Located>,
    pub period: Option<Located>,
    pub submitted: Option<Located>,
    pub data_sheet: String,
}

/// What a flat table (a CSV) says about itself, for its station and period.
#[derive(Clone, Debug, Default)]
pub struct FlatFacts {
    /// Each non-blank 监测站 cell: (text, cell name).
    pub stations: Vec<(String, String)>,
    /// Each non-blank 期间 cell.
    pub periods: Vec<CellValue>,
}

impl<'s> StationFile<'s> {
    /// A flat table (a CSV): no 信息; its one sheet is the data. The caller
    /// decides station and period.
    pub fn flat(source: &'s mut dyn TableSource) -> Result<Self, String> {
        let data_sheet = source.sheet_names().into_iter().next().ok_or("文件中没有任何内容")?;
        Ok(StationFile { source, info_sheet: String::new(), station: None, period: None, submitted: None, data_sheet })
    }

    /// True for a flat table (a CSV).
    pub fn is_flat(&self) -> bool {
        self.source.flat()
    }

    /// Reads a flat table's 监测站 and 期间 columns below its header (a first pass; the rows are read again).
    pub fn scan_flat(&mut self) -> Result<FlatFacts, String> {
        let mut facts = FlatFacts::default();
        let mut station_col: Option<Option<u32>> = None;
        let mut period_col: Option<u32> = None;
        let header = read_table(
            self.source,
            &self.data_sheet,
            |row| StationColumns::of(row).is_some(),
            |header, row| {
                let station = *station_col.get_or_insert_with(|| {
                    period_col = StationColumns::of(header).and_then(|c| c.period);
                    header.column(COL_STATION)
                });
                if let Some(c) = station
                    && !row.get(c).is_blank()
                {
                    facts.stations.push((row.get(c).as_key(), cell_name(true, row.index, c)));
                }
                if let Some(c) = period_col
                    && !row.get(c).is_blank()
                {
                    facts.periods.push(row.get(c).clone());
                }
            },
        )?;
        match header {
            Some(_) => Ok(facts),
            None => Err("前 10 行中没有表头 (需要“单位代码”和“指标代码”列)".into()),
        }
    }
    /// Reads 信息 from an opened workbook. Errors are `bad_workbook` reasons.
    pub fn open(source: &'s mut dyn TableSource) -> Result<Self, String> {
        let info_sheet = source.find_sheet(INFO_SHEET).ok_or("没有“信息”工作表 (info)")?;
        let data_sheet = source
            .find_sheet(DATA_SHEET)
            .or_else(|| source.sheet_names().into_iter().find(|s| !header_matches(s, INFO_SHEET)))
            .ok_or("没有数据工作表 (“数据”或“信息”以外的工作表)")?;
        let (mut station, mut period, mut submitted) = (None, None, None);
        source.for_each_row(&info_sheet, &mut |row| {
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
                } else if submitted.is_none() && header_matches(k, KEY_SUBMITTED) {
                    submitted = value();
                }
            }
            true
        })?;
        Ok(StationFile { source, info_sheet, station, period, submitted, data_sheet })
    }

    /// Streams the data rows below the header. An error (no header, a
    /// damaged sheet) is a `bad_workbook` reason.
    pub fn read_rows(&mut self, mut on_row: impl FnMut(&StationColumns, Row)) -> Result<(), String> {
        let mut cols: Option<StationColumns> = None;
        let header = read_table(
            self.source,
            &self.data_sheet,
            |row| StationColumns::of(row).is_some(),
            |header, row| {
                if cols.is_none() {
                    cols = StationColumns::of(header);
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
