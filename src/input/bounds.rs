//! Checks every row and cell address of a workbook against Excel's limits before calamine parses it.
//!
//! calamine keeps row numbers in a `u32` that wraps in release builds: a row
//! written as `r="4294967300"` would be read as row 4 and become a real
//! record (a wrong score, silently). So the raw address text of every `row`
//! and `c` element is read here first, and a file with any address beyond
//! [`MAX_ROWS`] rows or column XFD is refused, naming the address as written.
//! The scan looks only for `r="…"` / `r='…'` attributes inside `<c …>` and
//! `<row …>` tags, so it costs little more than inflating the parts.

use memchr::memmem;
use std::io::{Cursor, Read};

/// Excel's own limits: rows and columns beyond them are not a real sheet.
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLS: u32 = 16_384;

/// Every `row r="…"` and `c r="…"` in the workbook's XML parts lies within Excel's grid.
/// The error names the part and the address text.
pub fn check_addresses(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) }; // the reader reports it
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index(i) else { continue };
        let name = part.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("#{i}"));
        let lower = name.to_ascii_lowercase();
        // Cells live in worksheets; shared strings and styles hold none and are the big parts to skip.
        if !lower.starts_with("xl/") || !lower.ends_with(".xml") || lower.ends_with("sharedstrings.xml") {
            continue;
        }
        if let Some(bad) = first_bad_address(part) {
            return Err(format!(
                "部件 {name} 中有超出 Excel 范围的地址 \"{}\" (最多 {MAX_ROWS} 行、XFD 列);文件可能已损坏或被篡改",
                crate::text::clip(&bad)
            ));
        }
    }
    Ok(())
}

/// Bytes kept before the scan position, so a tag's start is still in view.
const CONTEXT: usize = 512;
/// Longest address value looked at (`XFD1048576` is 10 bytes).
const VALUE: usize = 40;

/// The first `r` attribute of a `row` or `c` element that is outside Excel's grid.
fn first_bad_address(mut part: impl Read) -> Option<String> {
    let finder = memmem::Finder::new(b"r=");
    let mut buf: Vec<u8> = Vec::with_capacity((1 << 16) + CONTEXT);
    let mut chunk = vec![0u8; 1 << 16];
    let mut from = 0;
    loop {
        // A damaged part (a bad CRC) still had its bytes scanned; the reader reports the damage.
        let n = part.read(&mut chunk).unwrap_or(0);
        let eof = n == 0;
        buf.extend_from_slice(&chunk[..n]);
        // Matches whose value may run past the buffer wait for the next chunk.
        let limit = if eof { buf.len() } else { buf.len().saturating_sub(VALUE + 3) }.max(from);
        for m in finder.find_iter(&buf[from..limit]) {
            let at = from + m;
            // The attribute `r` itself: whitespace before it, a quote after `=`.
            let quote = buf.get(at + 2).copied();
            if at == 0 || !buf[at - 1].is_ascii_whitespace() || !matches!(quote, Some(b'"' | b'\'')) {
                continue;
            }
            let value = &buf[at + 3..buf.len().min(at + 3 + VALUE)];
            // An unterminated or very long value is judged by its start (calamine reads it the same way).
            let end = memchr::memchr(quote.unwrap_or(b'"'), value).unwrap_or(value.len());
            let value = &value[..end];
            if in_address_tag(&buf[..at]) && !within_grid(value) {
                return Some(String::from_utf8_lossy(value).into_owned());
            }
        }
        if eof {
            return None;
        }
        from = limit;
        let cut = from.saturating_sub(CONTEXT);
        buf.drain(..cut);
        from -= cut;
    }
}

/// Whether the text before an attribute ends inside a `<row …` or `<c …`
/// tag, with or without a namespace prefix.
fn in_address_tag(before: &[u8]) -> bool {
    let Some(open) = memchr::memrchr(b'<', before) else { return false };
    let tag = &before[open + 1..];
    if memchr::memchr(b'>', tag).is_some() {
        return false; // the attribute text is inside content, not a tag
    }
    let name_end = tag.iter().position(|b| b.is_ascii_whitespace()).unwrap_or(tag.len());
    let name = &tag[..name_end];
    let local = name.iter().rposition(|&b| b == b':').map_or(name, |i| &name[i + 1..]);
    local == b"row" || local == b"c"
}

/// Whether the start of a row number (`12`) or cell address (`B12`) stays
/// inside Excel's grid, read the way calamine reads it: leading letters are
/// the column, then digits are the row. Anything else after that is left to
/// the reader to refuse in its own words.
fn within_grid(value: &[u8]) -> bool {
    // calamine reads letters first in row numbers too (`r="fenlected=…"` on a row overflowed it).
    let letters = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col, rest) = value.split_at(letters);
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let row = &rest[..digits];
    if col.len() > 3 || row.len() > 7 {
        return false; // beyond XFD, or beyond 9,999,999 rows: calamine's counters would overflow
    }
    let col_ok = col.iter().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)) <= MAX_COLS;
    let row_ok = row.is_empty()
        || std::str::from_utf8(row)
            .ok()
            .and_then(|r| r.parse::<u32>().ok())
            .is_some_and(|r| (1..=MAX_ROWS).contains(&r));
    col_ok && row_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_inside_and_outside_the_grid() {
        for ok in ["A1", "B12", "XFD1048576", "xfd1", "AA100"] {
            assert!(within_grid(ok.as_bytes()), "{ok}");
        }
        for bad in ["B4294967300", "E99999999999", "A1048577", "XFE1", "ZZZZ2", "A0"] {
            assert!(!within_grid(bad.as_bytes()), "{bad}");
        }
        assert!(within_grid(b"1048576"));
        assert!(!within_grid(b"4294967300"));
        assert!(!within_grid(b"0"));
        // Letters past XFD overflow calamine's column counter whatever follows them.
        assert!(!within_grid(b"orkbookViewI=0imats"));
        assert!(!within_grid("A".repeat(60).as_bytes()));
        assert!(!within_grid(b"fenlected=\"1"), "letters in a row number are read as a column too");
        // Not an address at all: the reader reports it in its own words.
        assert!(within_grid(b"") && within_grid(b"12") && within_grid(b"B-1"));
    }

    #[test]
    fn only_row_and_cell_tags_count() {
        let xml = |s: &str| first_bad_address(s.as_bytes());
        assert_eq!(xml(r#"<row r="2"><c r="B4294967300" t="s"><v>1</v></c></row>"#), Some("B4294967300".into()));
        assert_eq!(xml(r#"<x:row r="4294967300" spans="1:2"></x:row>"#), Some("4294967300".into()));
        assert_eq!(xml(r#"<c s="1" r="XFE1"/>"#), Some("XFE1".into()));
        assert_eq!(xml("<c\n\tr='A1048577'/>"), Some("A1048577".into()));
        assert_eq!(xml(r#"<pageMargins header="0.3" footer="99999999999"/><row r="1"/>"#), None);
        // The same text in a cell's content, or in another element, is no address.
        assert_eq!(xml(r#"<c r="A1" t="inlineStr"><is><t> r="B4294967300"</t></is></c>"#), None);
        assert_eq!(xml(r#"<selection r="B4294967300"/><row r="1048576"/>"#), None);
    }

    #[test]
    fn an_address_split_across_reads_is_still_seen() {
        // A reader that hands out a few bytes at a time.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(out.len()).min(7);
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut xml = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>".repeat(5000);
        xml.push_str(r#"<row r="4294967300"><c r="B4294967300"/></row>"#);
        assert_eq!(first_bad_address(Trickle(xml.as_bytes())), Some("4294967300".into()));
        assert_eq!(first_bad_address(xml.as_bytes()), Some("4294967300".into()));
    }
}
