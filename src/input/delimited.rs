//! Reads delimited text (CSV, TSV) from other systems' exports into the same cells as a workbook.
//!
//! The encoding is decided by the bytes: UTF-8 (with or without a BOM), UTF-16
//! with a BOM, otherwise GB18030 (a superset of GBK) when the bytes decode
//! cleanly as it; anything else is refused rather than guessed. The delimiter
//! is the one of `,` `\t` `;` `|` that occurs most often in the first line
//! outside quotes. Fields follow RFC 4180 (quotes, doubled quotes, line breaks
//! inside quotes). Every field is text: numbers, percentages and dates in it
//! are read by the same text rules as workbook text cells. A cell is named
//! `row:column` (1-based), since a CSV has no sheets and no column letters.

use super::xlsx::{MAX_CELLS, MAX_ROWS};
use crate::cell::{CellValue, Row, TableSource};
use encoding_rs::{Encoding, GB18030, UTF_8};

/// A delimited text file, parsed, as a one-sheet [`TableSource`].
pub struct DelimitedTable {
    /// The name its one sheet answers to.
    sheet: String,
    /// (0-based line of the record's start, its fields); blank lines are absent.
    rows: Vec<(u32, Vec<String>)>,
    /// The encoding it was read in, for messages (`UTF-8`, `GBK/GB18030`, `UTF-16`).
    pub encoding: &'static str,
}

impl DelimitedTable {
    /// Decodes and parses `bytes`; its one sheet is called `sheet`.
    pub fn parse(bytes: &[u8], sheet: &str) -> Result<Self, String> {
        let (text, encoding) = decode(bytes)?;
        let delimiter = delimiter(&text);
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        let mut cells: u64 = 0;
        let mut record = ::csv::StringRecord::new();
        // Lines are counted from byte offsets: the reader skips blank lines, and a
        // quoted field may span several lines, so a record's index is not its line.
        let bytes = text.as_bytes();
        let (mut at, mut line, mut counted) = (0usize, 0u32, 0usize);
        loop {
            let more = reader.read_record(&mut record).map_err(|e| format!("第 {} 行无法解析为 CSV: {e}", line + 1))?;
            if !more {
                break;
            }
            // The record starts after any blank lines the reader skipped.
            let mut start = at;
            while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                start += 1;
            }
            line += bytes[counted..start].iter().filter(|&&b| b == b'\n').count() as u32;
            counted = start;
            cells += record.len() as u64;
            if rows.len() as u32 >= MAX_ROWS || cells > MAX_CELLS {
                return Err(format!("文件超过 {MAX_ROWS} 行或 {MAX_CELLS} 个单元格,超出上限"));
            }
            rows.push((line, record.iter().map(str::to_string).collect()));
            at = reader.position().byte() as usize;
        }
        Ok(DelimitedTable { sheet: sheet.to_string(), rows, encoding })
    }

    /// The rows as text, top to bottom, each with its 0-based line.
    pub fn rows(&self) -> &[(u32, Vec<String>)] {
        &self.rows
    }
}

impl TableSource for DelimitedTable {
    fn sheet_names(&self) -> Vec<String> {
        vec![self.sheet.clone()]
    }

    fn for_each_row(&mut self, sheet: &str, f: &mut dyn FnMut(Row) -> bool) -> Result<(), String> {
        if sheet != self.sheet {
            return Err(format!("文本文件中没有工作表「{sheet}」"));
        }
        for (line, fields) in &self.rows {
            let cells: Vec<(u32, CellValue)> = fields
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.is_empty())
                .map(|(c, t)| (c as u32, CellValue::Text(t.clone())))
                .collect();
            if !cells.is_empty() && !f(Row { index: *line, cells }) {
                break;
            }
        }
        Ok(())
    }

    fn flat(&self) -> bool {
        true
    }
}

/// The text and the name of its encoding.
fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let name = if encoding == UTF_8 { "UTF-8" } else { "UTF-16" };
        return if had_errors {
            Err(format!("文件以 {name} 的字节顺序标记开头,但内容不是有效的 {name}"))
        } else {
            Ok((text.into_owned(), name))
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "UTF-8"));
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("无法识别文件编码 (既不是 UTF-8,也不是 GBK/GB18030);请另存为 UTF-8 编码的 CSV".into());
    }
    Ok((text.into_owned(), "GBK/GB18030"))
}

/// The delimiter occurring most often in the first line, outside quotes (`,` when none does).
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut quoted = false;
    let mut counts = [0usize; 4];
    const CANDIDATES: [char; 4] = [',', '\t', ';', '|'];
    for ch in first.chars() {
        match ch {
            '"' => quoted = !quoted,
            c if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|d| *d == c) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { CANDIDATES[best] as u8 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> DelimitedTable {
        DelimitedTable::parse(bytes, "数据").unwrap()
    }

    #[test]
    fn encodings_are_recognised_by_their_bytes() {
        let text = "单位代码,数值\n北马镇,９５\n";
        let utf8 = parse(text.as_bytes());
        assert_eq!((utf8.encoding, utf8.rows()[1].1[0].as_str()), ("UTF-8", "北马镇"));
        let bom = parse(&[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat());
        assert_eq!(
            (bom.encoding, bom.rows()[0].1[0].as_str()),
            ("UTF-8", "单位代码"),
            "the BOM is not part of the header"
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let g = parse(&gbk);
        assert_eq!(
            (g.encoding, g.rows()[1].1[0].as_str(), g.rows()[1].1[1].as_str()),
            ("GBK/GB18030", "北马镇", "９５")
        );
        // GB18030 beyond GBK: a four-byte character.
        let (gb, _, _) = GB18030.encode("单位代码,说明\nU1,𠀀\n");
        assert_eq!(parse(&gb).rows()[1].1[1], "𠀀");
        let utf16: Vec<u8> = [vec![0xFF, 0xFE], text.encode_utf16().flat_map(u16::to_le_bytes).collect()].concat();
        assert_eq!(parse(&utf16).encoding, "UTF-16");
        assert!(DelimitedTable::parse(&[0x81, 0x20, 0xFF, 0x00], "数据").is_err());
    }

    #[test]
    fn delimiters_and_quotes() {
        assert_eq!(parse("a\tb\tc\n1\t2\t3\n".as_bytes()).rows()[1].1, ["1", "2", "3"]);
        assert_eq!(parse("a;b\n1;2\n".as_bytes()).rows()[0].1, ["a", "b"]);
        // A comma inside quotes does not count; doubled quotes and a line break inside quotes are one field.
        let t = parse("\"a,b\"\tc\n\"say \"\"hi\"\"\n again\"\t2\n".as_bytes());
        assert_eq!(t.rows()[0].1, ["a,b", "c"]);
        assert_eq!(t.rows()[1], (1, vec!["say \"hi\"\n again".to_string(), "2".to_string()]));
    }

    #[test]
    fn cells_are_named_row_and_column() {
        let mut t = parse("单位代码,数值\n\nU1,,3\n".as_bytes());
        assert!(t.flat());
        let mut rows = Vec::new();
        t.for_each_row("数据", &mut |r| {
            rows.push(r);
            true
        })
        .unwrap();
        // The blank line is skipped; the empty field is absent; rows keep their line numbers.
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].index, 2);
        assert_eq!(rows[1].cells, vec![(0, CellValue::Text("U1".into())), (2, CellValue::Text("3".into()))]);
        assert_eq!(crate::cell::cell_name(true, 2, 2), "3:3");
    }
}
