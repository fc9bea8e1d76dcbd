//! Writes tables into XLSX worksheets the same way everywhere: frozen bold header, filter,
//! fitted widths (CJK counts double), numbers as real numbers with `decimals` places,
//! warning fills, inert text, and continuation sheets past Excel's row limit.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use std::borrow::Cow;
use std::collections::HashMap;
use unicode_width::UnicodeWidthStr;

/// Excel's row limit, header included.
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;

/// Excel's limit on the characters of one cell.
pub const EXCEL_MAX_CHARS: usize = 32_767;

/// Whether text is longer than one Excel cell holds. Excel counts UTF-16 units: a character beyond the
/// Basic Multilingual Plane (most emoji, rare CJK) counts twice.
pub fn too_long(s: &str) -> bool {
    s.len() > EXCEL_MAX_CHARS && s.encode_utf16().count() > EXCEL_MAX_CHARS
}

/// Text cut to fit one Excel cell, ending with a marker that says so and how long it was (in characters).
pub fn clip_cell(s: &str) -> String {
    let n = s.chars().count();
    let marker = format!("…(已截断:原文共 {n} 字,超过 Excel 单元格上限;全文见原始文件)");
    let mut room = EXCEL_MAX_CHARS - marker.encode_utf16().count();
    let kept: String = s
        .chars()
        .take_while(|c| {
            let units = c.len_utf16();
            let fits = units <= room;
            room = room.saturating_sub(units);
            fits
        })
        .collect();
    format!("{kept}{marker}")
}

/// The footer of every printed sheet: "第 1 页 / 共 3 页".
pub const FOOTER: &str = "&C第 &P 页 / 共 &N 页";

/// Columns are fitted to their content up to this width; longer text wraps.
pub const MAX_WIDTH: usize = 40;

/// The limit of a column whose header is in [`Writer::wide`]: file paths and
/// sources, which read badly wrapped and would double every row's height.
pub const WIDE_WIDTH: usize = 90;

/// A cell value.
#[derive(Clone, Debug)]
pub enum Val<'a> {
    /// Text. Always written as a string, never as a formula.
    S(Cow<'a, str>),
    /// A score or amount, shown with the set's `decimals` places.
    N(Decimal),
    /// A rate (0.755 shows as 75.5%).
    P(Decimal),
    /// A whole number (counts, ranks, levels).
    I(i64),
    /// A number as it was written in a workbook (General format).
    G(Decimal),
    /// A number carried exactly, bit for bit (a people's cell of the ledger), General format.
    F(f64),
    /// A date as Excel's serial number, shown yyyy-mm-dd.
    D(f64),
    B(bool),
    Empty,
}

impl<'a> Val<'a> {
    pub fn s(text: impl Into<Cow<'a, str>>) -> Self {
        Val::S(text.into())
    }

    /// Displayed width in columns, CJK counting double.
    fn width(&self, dp: u32) -> usize {
        match self {
            Val::S(s) => s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0),
            Val::G(d) => crate::number::plain(*d).len(),
            Val::F(f) => f.to_string().len(),
            other => other.width_bound(dp),
        }
    }

    /// A cheap upper bound of [`Val::width`], exact for numbers (no allocation):
    /// text is never wider than its UTF-8 length.
    fn width_bound(&self, dp: u32) -> usize {
        let digits = |m: u128| m.checked_ilog10().map_or(1, |l| l as usize + 1);
        match self {
            Val::S(s) => s.len(),
            Val::N(d) => {
                let int = d.abs().trunc().mantissa().unsigned_abs();
                usize::from(d.is_sign_negative()) + digits(int) + if dp > 0 { dp as usize + 1 } else { 0 }
            }
            Val::P(_) => 7,
            Val::I(i) => usize::from(*i < 0) + digits(i.unsigned_abs() as u128),
            Val::G(d) => digits(d.mantissa().unsigned_abs()) + 2,
            Val::F(_) => 24,
            Val::D(_) => 10,
            Val::B(_) => 5,
            Val::Empty => 0,
        }
    }
}

/// A cell with an optional warning fill (index into the set's warnings).
#[derive(Clone, Debug)]
pub struct Styled<'a> {
    pub v: Val<'a>,
    pub fill: Option<usize>,
}

impl<'a> From<Val<'a>> for Styled<'a> {
    fn from(v: Val<'a>) -> Self {
        Styled { v, fill: None }
    }
}

impl<'a> Val<'a> {
    pub fn fill(self, level: Option<usize>) -> Styled<'a> {
        Styled { v: self, fill: level }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum FormatKind {
    Text,
    Wrap,
    Inert,
    Number,
    Percent,
    Integer,
    General,
    Date,
}

impl FormatKind {
    /// Every kind, in declaration order: `ALL[k as usize] == k`.
    const ALL: [FormatKind; 8] = [
        FormatKind::Text,
        FormatKind::Wrap,
        FormatKind::Inert,
        FormatKind::Number,
        FormatKind::Percent,
        FormatKind::Integer,
        FormatKind::General,
        FormatKind::Date,
    ];
}

/// A workbook being built, with the formats every sheet shares.
pub struct Writer {
    pub wb: Workbook,
    dp: u32,
    /// Fill colours per warning level.
    colors: Vec<Color>,
    formats: HashMap<(FormatKind, Option<usize>), Format>,
    header: Format,
    /// The current sheet's column formats, set from the first plain cell in
    /// each column. Cells of that kind are written bare and take the column
    /// format, so the common cell costs no format lookup at all.
    columns: Vec<Option<FormatKind>>,
    /// Rows per sheet, header included (Excel's limit unless testing).
    pub max_rows: u32,
    /// Text cells cut at Excel's cell limit so far ([`EXCEL_MAX_CHARS`]).
    pub clipped: usize,
    /// A header (e.g. 单位名称) whose column, and those left of it, stay in
    /// view when scrolling right on a sheet that has it.
    pub freeze_through: Option<&'static str>,
    /// Printed at the top left of every page: the set's name and the period.
    pub print_title: String,
    /// Headers of columns fitted up to [`WIDE_WIDTH`] instead of [`MAX_WIDTH`].
    pub wide: &'static [&'static str],
    /// Headers of columns that never wrap (a long list read on screen): fitted up to [`WIDE_WIDTH`],
    /// the rest of the text hidden behind the next cell, the row kept at its normal height.
    pub no_wrap: &'static [&'static str],
    /// Headers of columns for machines (codes read back): when they end a sheet, printing leaves them out.
    pub no_print: &'static [&'static str],
    /// The current sheet's header, for the print area.
    header_names: Vec<String>,
    /// The current sheet's width limit per column.
    limits: Vec<usize>,
    /// Per fill (same index as the colours): a short label ("红") that a filled
    /// number also shows ("59.00 红"), so the level survives greyscale printing.
    pub fill_labels: Vec<String>,
    /// Big tables' sheets: rows written as XML by zhili and compressed while written (see [`Writer::table`]).
    streams: Vec<Stream>,
    /// The big table being written, an index into `streams`.
    streaming: Option<usize>,
    /// The format index of every (kind, fill) a big table's cell can take, fixed when the first big table starts.
    stream_styles: Vec<((FormatKind, Option<usize>), u32)>,
    /// The current row's cells of a big table (the row's height is known only after its cells), and its start tag.
    cells: Vec<u8>,
    row_start: Vec<u8>,
    /// Column names of the current sheet, for big tables' cell references.
    col_names: Vec<String>,
}

/// A big table's sheet: a placeholder in the workbook, its rows compressed apart (docs/performance.md).
struct Stream {
    /// The placeholder's worksheet index.
    index: usize,
    body: super::deflate::Body,
    rows: u32,
    cols: usize,
}

impl Writer {
    /// `time` is the creation time as Unix seconds (from SOURCE_DATE_EPOCH
    /// or the clock); a fixed time gives byte-identical files.
    pub fn new(dp: u32, colors: Vec<Color>, time: i64, title: &str) -> Result<Self, XlsxError> {
        let mut wb = Workbook::new();
        // The level zhili's own pieces use (xlsx::deflate::LEVEL): as small as 6, in less time.
        wb.set_zip_compression_level(super::deflate::LEVEL as u8);
        let when = ExcelDateTime::from_timestamp(time)?;
        wb.set_properties(&DocProperties::new().set_creation_datetime(&when).set_title(title).set_author("zhili"));
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border_bottom(FormatBorder::Thin)
            .set_align(FormatAlign::Center);
        Ok(Writer {
            wb,
            dp,
            colors,
            formats: HashMap::new(),
            header,
            columns: Vec::new(),
            max_rows: EXCEL_MAX_ROWS,
            clipped: 0,
            freeze_through: None,
            print_title: title.to_string(),
            fill_labels: Vec::new(),
            wide: &[],
            no_wrap: &[],
            no_print: &[],
            header_names: Vec::new(),
            limits: Vec::new(),
            streams: Vec::new(),
            streaming: None,
            stream_styles: Vec::new(),
            cells: Vec::new(),
            row_start: Vec::new(),
            col_names: Vec::new(),
        })
    }

    fn format(&mut self, kind: FormatKind, fill: Option<usize>) -> &Format {
        let dp = self.dp;
        let color = fill.and_then(|l| self.colors.get(l).copied());
        // A filled number says its level too: `0.00" 红"` keeps it a number.
        let label = fill.and_then(|l| self.fill_labels.get(l)).filter(|l| !l.is_empty());
        let suffix = label.map(|l| format!("\" {}\"", l.replace('"', ""))).unwrap_or_default();
        self.formats.entry((kind, fill)).or_insert_with(|| {
            let mut f = match kind {
                // A one-character indent keeps text off the number beside it.
                FormatKind::Text => Format::new().set_indent(1),
                FormatKind::Wrap => Format::new().set_indent(1).set_text_wrap(),
                FormatKind::Inert => Format::new().set_indent(1).set_quote_prefix(),
                FormatKind::Number => Format::new().set_num_format(if dp == 0 {
                    format!("0{suffix}")
                } else {
                    format!("0.{}{suffix}", "0".repeat(dp as usize))
                }),
                FormatKind::Percent => Format::new().set_num_format(format!("0.0%{suffix}")),
                FormatKind::Integer => {
                    Format::new().set_num_format(format!("0{suffix}")).set_align(FormatAlign::Center)
                }
                FormatKind::General => Format::new(),
                FormatKind::Date => Format::new().set_num_format("yyyy-mm-dd"),
            };
            if let Some(c) = color {
                f = f.set_background_color(c);
            }
            // Centred vertically, so cells beside wrapped text line up with it.
            f.set_align(FormatAlign::VerticalCenter)
        })
    }

    /// Writes a table: header, then rows, continuing on `名称(2)`, `名称(3)` …
    /// when a sheet is full, with a filter on the header. A `big` table's rows are
    /// written as XML by zhili and compressed on every core while they are written;
    /// the workbook holds a placeholder for them until it is saved (docs/performance.md).
    pub fn table<'a>(
        &mut self,
        name: &str,
        header: &[&str],
        rows: impl IntoIterator<Item = Vec<Styled<'a>>>,
        big: bool,
    ) -> Result<(), XlsxError> {
        self.table_with(name, header, rows, big, true)
    }

    /// A key/value sheet (a cover, 说明, 信息): a table without a filter,
    /// which would only offer to sort a list that is read top to bottom.
    pub fn key_values<'a>(
        &mut self,
        name: &str,
        header: &[&str],
        rows: impl IntoIterator<Item = Vec<Styled<'a>>>,
    ) -> Result<(), XlsxError> {
        self.table_with(name, header, rows, false, false)
    }

    fn table_with<'a>(
        &mut self,
        name: &str,
        header: &[&str],
        rows: impl IntoIterator<Item = Vec<Styled<'a>>>,
        big: bool,
        filter: bool,
    ) -> Result<(), XlsxError> {
        let per_sheet = self.max_rows.max(2) - 1;
        // The sheets used so far, with the number of data rows on each.
        let mut sheets: Vec<(String, u32)> = Vec::new();
        let mut widths: Vec<usize> = header.iter().map(|h| UnicodeWidthStr::width(*h)).collect();
        let mut row_in_sheet = 0u32;
        let mut sheet_index: Option<usize> = None;
        for row in rows {
            if sheet_index.is_none() || row_in_sheet == per_sheet {
                if let Some(i) = sheet_index {
                    self.finish_sheet(i, &sheets, header.len(), &widths, filter)?;
                }
                let n = sheets.len() + 1;
                let sheet_name = continuation(name, n);
                sheet_index = Some(self.start_sheet(&sheet_name, header, big)?);
                sheets.push((sheet_name, 0));
                row_in_sheet = 0;
            }
            row_in_sheet += 1;
            if let Some(last) = sheets.last_mut() {
                last.1 = row_in_sheet;
            }
            let i = sheet_index.unwrap_or_default();
            let mut lines = 1;
            for (col, cell) in row.into_iter().enumerate() {
                // Measure only when the cheap bound could widen the column or wrap the text.
                let known = widths.get(col).copied().unwrap_or(0);
                let limit = self.limit(col);
                let bound = cell.v.width_bound(self.dp);
                let w = if bound > known || bound > limit { cell.v.width(self.dp) } else { 0 };
                if col < widths.len() {
                    widths[col] = widths[col].max(w);
                }
                // Wrapped text (wider than the column's limit) needs a taller row; spreadsheets
                // do not grow it on their own. Text that fits keeps the normal height.
                if w > limit {
                    lines = lines.max(w.div_ceil(limit - 4));
                }
                self.write_cell(i, row_in_sheet, col as u16, cell)?;
            }
            let height = (lines > 1).then_some(16.0 * lines as f64 + 2.0);
            if let Some(s) = self.streaming {
                self.end_stream_row(s, row_in_sheet, height)?;
            } else if let Some(h) = height {
                self.wb.worksheet_from_index(i)?.set_row_height(row_in_sheet, h)?;
            }
        }
        if sheet_index.is_none() {
            sheet_index = Some(self.start_sheet(name, header, big)?);
            sheets.push((name.to_string(), 0));
        }
        if let Some(i) = sheet_index {
            self.finish_sheet(i, &sheets, header.len(), &widths, filter)?;
        }
        self.streaming = None;
        Ok(())
    }

    fn start_sheet(&mut self, name: &str, header: &[&str], big: bool) -> Result<usize, XlsxError> {
        if big && self.stream_styles.is_empty() {
            self.fix_stream_styles();
        }
        let ws = self.wb.add_worksheet();
        ws.set_name(name)?;
        let index = self.wb.worksheets().len() - 1;
        let header_format = self.header.clone();
        let ws = self.wb.worksheet_from_index(index)?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &header_format)?;
        }
        let cols = self.freeze_through.and_then(|f| header.iter().position(|h| *h == f)).map_or(0, |i| i as u16 + 1);
        ws.set_freeze_panes(1, cols)?;
        self.columns = vec![None; header.len()];
        let wide = self.wide;
        let no_wrap = self.no_wrap;
        self.limits = header
            .iter()
            .map(|h| match (no_wrap.contains(h), wide.contains(h)) {
                (true, _) => usize::MAX,
                (false, true) => WIDE_WIDTH,
                (false, false) => MAX_WIDTH,
            })
            .collect();
        self.header_names = header.iter().map(|h| h.to_string()).collect();
        self.streaming = None;
        if big {
            // The placeholder's prototype row: one blank cell in each format a row may use, in the order of
            // `stream_styles`, so the saved workbook shows the numbers its formats were given.
            let keys: Vec<(FormatKind, Option<usize>)> = self.stream_styles.iter().map(|(k, _)| *k).collect();
            let formats: Vec<Format> = keys.into_iter().map(|(kind, fill)| self.format(kind, fill).clone()).collect();
            let ws = self.wb.worksheet_from_index(index)?;
            for (j, f) in formats.iter().enumerate() {
                ws.write_blank(1, j as u16, f)?;
            }
            self.col_names = (0..header.len()).map(|c| super::sheet::col_name(c as u16)).collect();
            self.streams.push(Stream { index, body: super::deflate::Body::new(), rows: 0, cols: header.len() });
            self.streaming = Some(self.streams.len() - 1);
        }
        Ok(index)
    }

    /// Registers every format a big table's cell can take, in a fixed order, before any other format gets a
    /// workbook-wide number: rust_xlsxwriter then numbers them 1, 2, 3 … in that order (0 is its default
    /// format), and the rows can be written with those numbers before the workbook is saved. Formats that
    /// come out equal share one number. The prototype row checks the numbering when the workbook is saved.
    fn fix_stream_styles(&mut self) {
        let fills: Vec<Option<usize>> = std::iter::once(None).chain((0..self.colors.len()).map(Some)).collect();
        let mut seen: Vec<Format> = Vec::new();
        for kind in FormatKind::ALL {
            for &fill in &fills {
                let f = self.format(kind, fill).clone();
                let number = match seen.iter().position(|s| *s == f) {
                    Some(i) => i + 1,
                    None => {
                        self.wb.register_format(&f);
                        seen.push(f);
                        seen.len()
                    }
                };
                self.stream_styles.push(((kind, fill), number as u32));
            }
        }
    }

    /// The number of a (kind, fill): `stream_styles` is kind-major, then no fill, then each fill.
    fn stream_style(&self, kind: FormatKind, fill: Option<usize>) -> u32 {
        let fill = match fill {
            Some(l) if l < self.colors.len() => l + 1,
            _ => 0,
        };
        self.stream_styles.get(kind as usize * (self.colors.len() + 1) + fill).map_or(0, |(_, n)| *n)
    }

    /// Ends a big table's row: the row element (with its height), its cells, into the compressed body.
    fn end_stream_row(&mut self, s: usize, row: u32, height: Option<f64>) -> Result<(), XlsxError> {
        self.row_start.clear();
        super::sheet::start_row(&mut self.row_start, row + 1, height);
        let stream = &mut self.streams[s];
        stream.rows = row;
        stream.body.write(&self.row_start)?;
        stream.body.write(&self.cells)?;
        stream.body.write(super::sheet::ROW_END)?;
        self.cells.clear();
        Ok(())
    }

    fn finish_sheet(
        &mut self,
        index: usize,
        sheets: &[(String, u32)],
        cols: usize,
        widths: &[usize],
        filter: bool,
    ) -> Result<(), XlsxError> {
        let rows = sheets.last().map(|s| s.1).unwrap_or(0);
        let ws = self.wb.worksheet_from_index(index)?;
        if filter && cols > 0 {
            ws.autofilter(0, 0, rows, cols as u16 - 1)?;
        }
        for (c, w) in widths.iter().enumerate() {
            // Two characters of padding; longer text wraps (FormatKind::Wrap).
            let limit = self.limits.get(c).copied().unwrap_or(MAX_WIDTH).min(WIDE_WIDTH);
            ws.set_column_width(c as u16, ((*w).min(limit) + 2) as f64)?;
        }
        // Printed: A4 landscape, one page wide, the header on every page, page numbers.
        let header = self.print_header(&sheets.last().map(|s| s.0.clone()).unwrap_or_default());
        let ws = self.wb.worksheet_from_index(index)?;
        ws.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0).set_header(&header).set_footer(FOOTER);
        ws.set_repeat_rows(0, 0)?;
        // Code columns at the end are for `diff`, not for paper.
        let printed = self.header_names.len()
            - self.header_names.iter().rev().take_while(|h| self.no_print.contains(&h.as_str())).count();
        if printed > 0 && printed < self.header_names.len() {
            let ws = self.wb.worksheet_from_index(index)?;
            ws.set_print_area(0, 0, rows.max(1), printed as u16 - 1)?;
        }
        Ok(())
    }

    /// The printed page header: the report's title on the left, the sheet on the right
    /// (`&` doubled, as Excel's header codes require).
    pub(super) fn print_header(&self, sheet: &str) -> String {
        let title: String = self.print_title.chars().take(100).collect();
        format!("&L{}&R{}", title.replace('&', "&&"), sheet.replace('&', "&&"))
    }

    /// The header row's format (bold, shaded, centred).
    pub(super) fn header_format(&self) -> Format {
        self.header.clone()
    }

    /// The width up to which column `col` of the current sheet is fitted before its text wraps.
    fn limit(&self, col: usize) -> usize {
        self.limits.get(col).copied().unwrap_or(MAX_WIDTH)
    }

    /// The format of wrapped text on a page, with a level's fill.
    pub(super) fn page_text_format(&mut self, fill: Option<usize>) -> Format {
        self.format(FormatKind::Wrap, fill).clone()
    }

    /// Forgets the column formats of the previous sheet.
    pub(super) fn reset_columns(&mut self, cols: usize) {
        self.columns = vec![None; cols];
        self.limits.clear();
    }

    /// A cell on a document-like page: text always wraps within its narrow column.
    pub(super) fn write_page_cell(&mut self, index: usize, row: u32, col: u16, cell: Styled) -> Result<(), XlsxError> {
        self.write_cell_as(index, row, col, cell, true)
    }

    fn write_cell(&mut self, index: usize, row: u32, col: u16, cell: Styled) -> Result<(), XlsxError> {
        self.write_cell_as(index, row, col, cell, false)
    }

    fn write_cell_as(
        &mut self,
        index: usize,
        row: u32,
        col: u16,
        mut cell: Styled,
        wrap: bool,
    ) -> Result<(), XlsxError> {
        // Excel refuses a cell of more than 32,767 characters: cut it visibly, saying how long it was.
        if let Val::S(s) = &cell.v
            && too_long(s)
        {
            cell.v = Val::S(clip_cell(s).into());
            self.clipped += 1;
        }
        let kind = match &cell.v {
            Val::S(s) if s.starts_with(['=', '+', '-', '@']) => FormatKind::Inert,
            Val::S(_) if wrap => FormatKind::Wrap,
            Val::S(s)
                if s.len() > self.limit(col as usize)
                    && UnicodeWidthStr::width(s.as_ref()) > self.limit(col as usize) =>
            {
                FormatKind::Wrap
            }
            Val::S(_) => FormatKind::Text,
            Val::N(_) => FormatKind::Number,
            Val::P(_) => FormatKind::Percent,
            Val::I(_) => FormatKind::Integer,
            Val::G(_) | Val::F(_) | Val::B(_) => FormatKind::General,
            Val::D(_) => FormatKind::Date,
            Val::Empty if cell.fill.is_none() => return Ok(()),
            Val::Empty => FormatKind::Text,
        };
        // Bare when the column's format already says it all.
        let plain = cell.fill.is_none()
            && !matches!(kind, FormatKind::Inert | FormatKind::Wrap)
            && !matches!(cell.v, Val::Empty);
        let c = col as usize;
        if plain && c < self.columns.len() && self.columns[c].is_none() {
            let f = self.format(kind, None).clone();
            self.wb.worksheet_from_index(index)?.set_column_format(col, &f)?;
            self.columns[c] = Some(kind);
        }
        let bare = plain && self.columns.get(c) == Some(&Some(kind));
        if self.streaming.is_some() && c < self.col_names.len() {
            // Empty text under the column's format is no cell at all, as rust_xlsxwriter writes it.
            if bare && matches!(&cell.v, Val::S(s) if s.is_empty()) {
                return Ok(());
            }
            let xf = self.stream_style(kind, cell.fill);
            self.stream_cell(row, c, xf, cell.v);
            return Ok(());
        }
        let format = if bare { None } else { Some(self.format(kind, cell.fill).clone()) };
        let ws = self.wb.worksheet_from_index(index)?;
        let number = |d: Decimal| d.to_f64().unwrap_or(0.0);
        match (cell.v, &format) {
            (Val::S(s), None) => ws.write_string(row, col, s.as_ref())?,
            (Val::S(s), Some(f)) => ws.write_string_with_format(row, col, s.as_ref(), f)?,
            (Val::N(d) | Val::P(d) | Val::G(d), None) => ws.write_number(row, col, number(d))?,
            (Val::N(d) | Val::P(d) | Val::G(d), Some(f)) => ws.write_number_with_format(row, col, number(d), f)?,
            (Val::F(x) | Val::D(x), None) => ws.write_number(row, col, x)?,
            (Val::F(x) | Val::D(x), Some(f)) => ws.write_number_with_format(row, col, x, f)?,
            (Val::B(b), None) => ws.write_boolean(row, col, b)?,
            (Val::B(b), Some(f)) => ws.write_boolean_with_format(row, col, b, f)?,
            (Val::I(i), None) => ws.write_number(row, col, i as f64)?,
            (Val::I(i), Some(f)) => ws.write_number_with_format(row, col, i as f64, f)?,
            (Val::Empty, Some(f)) => ws.write_blank(row, col, f)?,
            (Val::Empty, None) => ws,
        };
        Ok(())
    }

    /// A big table's cell, as XML into the current row.
    fn stream_cell(&mut self, row: u32, c: usize, xf: u32, v: Val) {
        use super::sheet;
        let (out, col, r) = (&mut self.cells, self.col_names[c].as_str(), row + 1);
        let number = |d: Decimal| d.to_f64().unwrap_or(0.0);
        match v {
            // As rust_xlsxwriter does: Excel keeps no empty text, only a blank cell with its format.
            Val::S(s) if s.is_empty() => sheet::blank(out, col, r, xf),
            Val::S(s) => sheet::string(out, col, r, xf, &s),
            Val::N(d) | Val::P(d) | Val::G(d) => sheet::number(out, col, r, xf, number(d)),
            Val::F(x) | Val::D(x) => sheet::number(out, col, r, xf, x),
            Val::I(i) => sheet::number(out, col, r, xf, i as f64),
            Val::B(b) => sheet::boolean(out, col, r, xf, b),
            Val::Empty => sheet::blank(out, col, r, xf),
        }
    }

    pub fn save(self) -> Result<Vec<u8>, XlsxError> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.save_to(&mut out)?;
        Ok(out.into_inner())
    }

    /// Saves into a writer (a file), without holding the workbook's bytes in memory. Big tables' rows, already
    /// compressed, take their placeholders' places (`xlsx::package`).
    pub fn save_to<W: std::io::Write + std::io::Seek + Send>(mut self, writer: W) -> Result<(), XlsxError> {
        if self.streams.is_empty() {
            return self.wb.save_to_writer(writer);
        }
        let small = self.wb.save_to_buffer()?;
        let styles: Vec<u32> = self.stream_styles.iter().map(|(_, n)| *n).collect();
        let bigs = std::mem::take(&mut self.streams)
            .into_iter()
            .map(|s| {
                Ok(super::package::Big {
                    // No chartsheets: the n-th worksheet is sheet n's part.
                    part: format!("xl/worksheets/sheet{}.xml", s.index + 1),
                    body: s.body.finish()?,
                    last_col: s.cols.saturating_sub(1) as u16,
                    rows: s.rows,
                    styles: styles.clone(),
                })
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        super::package::assemble(&small, bigs, writer)?;
        Ok(())
    }
}

/// The name of a table's `n`-th sheet (1-based): `名称`, then `名称(2)`, `名称(3)` …
pub fn continuation(name: &str, n: usize) -> String {
    if n == 1 { name.to_string() } else { format!("{name}({n})") }
}

/// The default fills: red, yellow and blue chosen so that printed in
/// greyscale they stay apart (luma 0.299R + 0.587G + 0.114B ≈ 149, 189 and
/// 232: the most severe darkest); the cell's text names the level as well.
pub const RED: u32 = 0xE57373;
pub const YELLOW: u32 = 0xFFC000;
pub const BLUE: u32 = 0xDDEBF7;
/// 已解除 in 整改跟踪 (luma ≈ 211, between yellow and blue).
pub const GREEN: u32 = 0xC6E0B4;

/// The short label of a level's name, shown beside a filled number: "红色预警" → "红",
/// "一级预警" → "一级", "关注" → "关注".
pub fn short_level(name: &str) -> String {
    let n = name.trim();
    let n = n.strip_suffix("预警").unwrap_or(n);
    let n = n.strip_suffix('色').filter(|s| !s.is_empty()).unwrap_or(n);
    if n.is_empty() { name.trim().to_string() } else { n.to_string() }
}

/// The default fill for a warning level code, or for its position.
pub fn level_color(code: &str, index: usize) -> Color {
    match code {
        "red" => Color::RGB(RED),
        "yellow" => Color::RGB(YELLOW),
        "blue" => Color::RGB(BLUE),
        _ => [RED, YELLOW, BLUE].get(index).map(|&c| Color::RGB(c)).unwrap_or(Color::RGB(0xD9D9D9)),
    }
}

/// `2024-04-01 08:00:00 UTC` from Unix seconds (proleptic Gregorian, no leap seconds).
/// A time for people: `secs` shifted by `offset` minutes east of UTC,
/// named "北京时间" at +08:00, "UTC" at 0, else "UTC±hh:mm".
pub fn local_text(secs: i64, offset: i32) -> String {
    let clock = clock_text(secs + i64::from(offset) * 60);
    let zone = match offset {
        480 => "北京时间".to_string(),
        0 => "UTC".to_string(),
        o => format!("UTC{}{:02}:{:02}", if o < 0 { '-' } else { '+' }, o.abs() / 60, o.abs() % 60),
    };
    format!("{clock} ({zone})")
}

/// The local date of `secs` (`offset` minutes east of UTC) as in a document's date line: "2024年4月1日".
pub fn local_date(secs: i64, offset: i32) -> String {
    let clock = clock_text(secs + i64::from(offset) * 60);
    let part = |r: std::ops::Range<usize>| clock.get(r).and_then(|p| p.parse::<i64>().ok()).unwrap_or(0);
    let n = clock.len();
    // "YYYY-MM-DD hh:mm:ss": the year may be longer than four digits, the rest is fixed.
    format!("{}年{}月{}日", part(0..n - 15), part(n - 14..n - 12), part(n - 11..n - 9))
}

/// Unix seconds as an ISO 8601 UTC time, "2025-01-15T00:00:00Z" (document properties).
pub fn iso_utc(secs: i64) -> String {
    format!("{}Z", clock_text(secs).replace(' ', "T"))
}

/// Unix seconds as "YYYY-MM-DD hh:mm:ss", no zone.
fn clock_text(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first worksheet's XML of a saved workbook.
    fn sheet_xml(bytes: Vec<u8>) -> String {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        z.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
        xml
    }

    #[test]
    fn rows_are_tall_only_where_text_wraps() {
        let path = "stations/2024Q4/S17-群众问卷-2024H2.xlsx!数据"; // 45 columns wide
        let fits = "一二三四五六七八九十一二三四五六七八九十"; // exactly 40: fits, no wrap
        let long = "一二三四五六七八九十".repeat(5); // 100: wraps over 3 lines of 36
        let mut w = Writer::new(2, Vec::new(), 0, "t").unwrap();
        w.wide = &["来源"];
        let rows = vec![
            vec![Val::s(path).into(), Val::s(fits).into()],
            vec![Val::s(path).into(), Val::s(long.as_str()).into()],
        ];
        w.table("s", &["来源", "说明"], rows, false).unwrap();
        let xml = sheet_xml(w.save().unwrap());
        // Row 2 (the first record) keeps the normal height; row 3 grows for its wrapped 说明 only.
        assert!(!xml.contains("<row r=\"2\" spans=\"1:2\" ht="), "{xml}");
        assert!(xml.contains("<row r=\"3\" spans=\"1:2\" ht=\"50.25\""), "{xml}");
        // 来源 is fitted to its 45 columns (+2), 说明 stops at 40 (+2).
        assert!(xml.contains("width=\"47.7109375\"") && xml.contains("width=\"42.7109375\""), "{xml}");
    }

    #[test]
    fn short_level_labels() {
        assert_eq!(short_level("红色预警"), "红");
        assert_eq!(short_level("蓝色预警"), "蓝");
        assert_eq!(short_level("一级预警"), "一级");
        assert_eq!(short_level("预警"), "预警");
        assert_eq!(short_level("色预警"), "色");
        assert_eq!(short_level("关注"), "关注");
    }

    #[test]
    fn times_of_known_instants() {
        assert_eq!(clock_text(0), "1970-01-01 00:00:00");
        assert_eq!(local_date(1_735_689_599, 480), "2025年1月1日");
        assert_eq!(local_date(1_735_689_599, 0), "2024年12月31日");
        assert_eq!(clock_text(1_711_929_600), "2024-04-01 00:00:00");
        assert_eq!(clock_text(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(clock_text(1_735_689_599), "2024-12-31 23:59:59");
        // 2024-12-31 23:59:59 UTC is already the new year in Beijing.
        assert_eq!(local_text(1_735_689_599, 480), "2025-01-01 07:59:59 (北京时间)");
        assert_eq!(local_text(1_711_929_600, 0), "2024-04-01 00:00:00 (UTC)");
        assert_eq!(local_text(1_711_929_600, -330), "2024-03-31 18:30:00 (UTC-05:30)");
        assert_eq!(local_text(1_711_929_600, 345), "2024-04-01 05:45:00 (UTC+05:45)");
    }

    #[test]
    fn number_widths_without_formatting() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (v, dp) in [("0", 2), ("7.5", 2), ("-12.345", 2), ("1000", 0), ("999.99", 3), ("0.004", 2)] {
            assert_eq!(Val::N(d(v)).width_bound(dp), crate::number::fixed(d(v), dp).len(), "{v}");
        }
        for i in [0i64, 9, 10, -5, 1_000_000] {
            assert_eq!(Val::I(i).width_bound(2), i.to_string().len());
        }
        for s in ["北马镇", "abc", "A1 政治建设"] {
            assert!(Val::s(s).width_bound(2) >= Val::s(s).width(2));
        }
    }

    #[test]
    fn text_longer_than_a_cell_is_cut_with_a_marker() {
        let long = "说".repeat(40_000);
        let cut = clip_cell(&long);
        assert_eq!(cut.chars().count(), EXCEL_MAX_CHARS);
        assert!(
            cut.ends_with("…(已截断:原文共 40000 字,超过 Excel 单元格上限;全文见原始文件)"),
            "{}",
            &cut[cut.len() - 120..]
        );
        // Excel counts UTF-16 units: 20,000 emoji are 40,000 units, too long though only 20,000 characters.
        let emoji = "😀".repeat(20_000);
        assert!(too_long(&emoji) && !too_long(&"😀".repeat(16_383)) && too_long(&"😀".repeat(16_384)));
        let cut = clip_cell(&emoji);
        // As many whole emoji as fit: at most one unit left over.
        let units = cut.encode_utf16().count();
        assert!(units <= EXCEL_MAX_CHARS && units + 1 >= EXCEL_MAX_CHARS, "{units}");
        assert!(cut.ends_with("…(已截断:原文共 20000 字,超过 Excel 单元格上限;全文见原始文件)"));
    }

    #[test]
    fn format_kinds_in_declaration_order() {
        // `stream_style` indexes `stream_styles` by `kind as usize`.
        assert!(FormatKind::ALL.iter().enumerate().all(|(i, k)| *k as usize == i));
    }

    #[test]
    fn big_table_style_numbers_by_kind_and_fill() {
        let mut w = Writer::new(2, vec![Color::RGB(RED), Color::RGB(BLUE)], 0, "t").unwrap();
        w.fix_stream_styles();
        for (key, number) in w.stream_styles.clone() {
            assert_eq!(w.stream_style(key.0, key.1), number, "{key:?}");
        }
        // Distinct formats are numbered 1, 2, 3 … in registration order; a fill beyond the levels has none.
        assert_eq!(w.stream_style(FormatKind::Text, None), 1);
        assert_eq!(w.stream_style(FormatKind::Text, Some(0)), 2);
        assert_eq!(w.stream_style(FormatKind::Wrap, None), 4);
        assert_eq!(w.stream_style(FormatKind::Text, Some(9)), 1);
    }

    #[test]
    fn cjk_counts_double() {
        assert_eq!(Val::s("北马镇").width(2), 6);
        assert_eq!(Val::s("U01").width(2), 3);
        assert_eq!(Val::N(Decimal::new(95, 0)).width(2), 5);
    }
}
