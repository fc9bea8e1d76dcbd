//! Sheets that read top to bottom like a document (摘要, the 体检报告 cover): a title, headings, wrapped
//! paragraphs and small tables on a fixed grid of columns, printed A4 portrait one page wide.

use super::write::{FOOTER, Styled, Val, Writer};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, XlsxError};
use unicode_width::UnicodeWidthStr;

/// A document-like sheet being written, row by row.
pub struct Page<'w> {
    w: &'w mut Writer,
    index: usize,
    /// The next row to write.
    pub row: u32,
    /// Column widths in characters (CJK count double).
    widths: Vec<f64>,
}

impl Writer {
    /// Starts a document-like sheet with the given column widths.
    pub fn page(&mut self, name: &str, widths: &[f64]) -> Result<Page<'_>, XlsxError> {
        let header = self.print_header(name);
        let ws = self.wb.add_worksheet();
        ws.set_name(name)?;
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_paper_size(9).set_portrait().set_print_fit_to_pages(1, 0).set_header(&header).set_footer(FOOTER);
        ws.set_screen_gridlines(false);
        let index = self.wb.worksheets().len() - 1;
        // Page cells carry their own formats: no column formats are shared.
        self.reset_columns(0);
        Ok(Page { w: self, index, row: 0, widths: widths.to_vec() })
    }
}

impl Page<'_> {
    fn last_col(&self) -> u16 {
        self.widths.len().saturating_sub(1) as u16
    }

    /// How many lines `text` takes across the whole page width.
    fn lines(&self, text: &str) -> usize {
        let width: f64 = self.widths.iter().sum::<f64>() - 2.0;
        text.lines().map(|l| ((UnicodeWidthStr::width(l) as f64 / width).ceil() as usize).max(1)).sum()
    }

    fn merged(&mut self, text: &str, format: &Format, height: f64) -> Result<(), XlsxError> {
        let (row, last) = (self.row, self.last_col());
        let ws = self.w.wb.worksheet_from_index(self.index)?;
        ws.merge_range(row, 0, row, last, text, format)?;
        ws.set_row_height(row, height)?;
        self.row += 1;
        Ok(())
    }

    /// A large bold centred title across the page.
    pub fn title(&mut self, text: &str) -> Result<(), XlsxError> {
        let f = Format::new()
            .set_bold()
            .set_font_size(18)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        self.merged(text, &f, 36.0)
    }

    /// A centred line under the title (issuer, date, status).
    pub fn subtitle(&mut self, text: &str) -> Result<(), XlsxError> {
        let f = Format::new().set_font_size(11).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
        self.merged(text, &f, 20.0)
    }

    /// A section heading ("一、核心结论"), with a blank row before it.
    pub fn heading(&mut self, text: &str) -> Result<(), XlsxError> {
        self.row += 1;
        let f = Format::new()
            .set_bold()
            .set_font_size(13)
            .set_border_bottom(FormatBorder::Medium)
            .set_align(FormatAlign::VerticalCenter);
        self.merged(text, &f, 22.0)
    }

    /// Text across the page, wrapped, the row as tall as its lines.
    pub fn paragraph(&mut self, text: &str) -> Result<(), XlsxError> {
        let f = Format::new().set_text_wrap().set_indent(1).set_align(FormatAlign::Top);
        let lines = self.lines(text);
        self.merged(text, &f, 16.0 * lines as f64 + 4.0)
    }

    /// A small table: a bold header row, then the rows (numbers keep the set's decimals, fills mark levels).
    /// With `span_last`, the last column (text) and its header span the rest of the page, and
    /// so does a row of one text cell (a group's label within the table).
    pub fn table<'a>(&mut self, header: &[&str], rows: Vec<Vec<Styled<'a>>>, span_last: bool) -> Result<(), XlsxError> {
        let head = self.w.header_format().set_text_wrap().set_align(FormatAlign::VerticalCenter);
        let group = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_indent(1)
            .set_background_color(rust_xlsxwriter::Color::RGB(0xF2F2F2))
            .set_align(FormatAlign::VerticalCenter);
        let spans = |n: usize| if span_last { n } else { usize::MAX };
        let lines = header.iter().enumerate().map(|(c, h)| self.lines_in(c, spans(header.len()), h)).max().unwrap_or(1);
        let (row, last) = (self.row, self.last_col());
        let ws = self.w.wb.worksheet_from_index(self.index)?;
        for (c, h) in header.iter().enumerate() {
            if span_last && c + 1 == header.len() && (c as u16) < last {
                ws.merge_range(row, c as u16, row, last, h, &head)?;
            } else {
                ws.write_string_with_format(row, c as u16, *h, &head)?;
            }
        }
        ws.set_row_height(row, 16.0 * lines as f64 + 2.0)?;
        self.row += 1;
        for cells in rows {
            let n = cells.len();
            let lines = cells
                .iter()
                .enumerate()
                .map(|(c, cell)| match &cell.v {
                    Val::S(s) => self.lines_in(c, spans(n), s),
                    _ => 1,
                })
                .max()
                .unwrap_or(1);
            for (c, cell) in cells.into_iter().enumerate() {
                let spanning = span_last && c + 1 == n && (c as u16) < self.last_col();
                match (&cell.v, spanning) {
                    // A row of one cell is a group's label inside the table: bold on a light band.
                    (Val::S(text), true) if n == 1 => {
                        let (row, last) = (self.row, self.last_col());
                        let ws = self.w.wb.worksheet_from_index(self.index)?;
                        ws.merge_range(row, 0, row, last, text, &group)?;
                    }
                    (Val::S(text), true) => {
                        let f = self.w.page_text_format(cell.fill);
                        let (row, last) = (self.row, self.last_col());
                        let ws = self.w.wb.worksheet_from_index(self.index)?;
                        ws.merge_range(row, c as u16, row, last, text, &f)?;
                    }
                    _ => self.w.write_page_cell(self.index, self.row, c as u16, cell)?,
                }
            }
            // Every row gets its height, one line included: viewers that size rows themselves
            // (LibreOffice, WPS) otherwise grow rows with merged or wrapped cells unevenly.
            self.w.wb.worksheet_from_index(self.index)?.set_row_height(self.row, 16.0 * lines as f64 + 2.0)?;
            self.row += 1;
        }
        Ok(())
    }

    /// Lines of `text` in column `col` of a row whose `n`-th cell spans the rest of the page.
    fn lines_in(&self, col: usize, n: usize, text: &str) -> usize {
        let width = if col + 1 == n {
            self.widths[col.min(self.widths.len().saturating_sub(1))..].iter().sum()
        } else {
            self.widths.get(col).copied().unwrap_or(10.0)
        } - 1.0;
        text.lines().map(|l| ((UnicodeWidthStr::width(l) as f64 / width.max(1.0)).ceil() as usize).max(1)).sum()
    }

    /// Places a chart at the next row, spanning the page's columns, and moves below it.
    pub fn chart(&mut self, chart: &mut rust_xlsxwriter::Chart, rows: u32) -> Result<(), XlsxError> {
        let width: f64 = self.widths.iter().sum::<f64>() * 7.0 + 5.0 * self.widths.len() as f64;
        chart.set_width(width as u32).set_height(rows * 20);
        let ws = self.w.wb.worksheet_from_index(self.index)?;
        ws.insert_chart(self.row, 0, chart)?;
        self.row += rows;
        Ok(())
    }

    /// The sheet's name, for chart ranges.
    pub fn sheet_name(&mut self) -> Result<String, XlsxError> {
        Ok(self.w.wb.worksheet_from_index(self.index)?.name())
    }

    /// Skips a row.
    pub fn gap(&mut self) {
        self.row += 1;
    }

    /// Where the next row goes, as a sheet index and row (for a chart placed below).
    pub fn position(&self) -> (usize, u32) {
        (self.index, self.row)
    }
}
