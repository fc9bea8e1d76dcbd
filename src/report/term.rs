//! Terminal tables that never wrap a row: one table style, fitting to a width by trying narrower variants,
//! and packing short parts into lines. Used by the score summary and `diff`.

use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;

/// Tables are fitted to this many columns when the terminal's width is unknown (a pipe, a file).
pub const DEFAULT_WIDTH: usize = 80;

/// A new table in the summary's style.
pub fn table(color: bool) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

/// The first of `tables` whose every line fits in `width` columns (else the last, the narrowest).
pub fn fitted(tables: impl IntoIterator<Item = Table>, width: usize) -> String {
    let mut last = String::new();
    for t in tables {
        last = t.to_string();
        if last.lines().all(|l| display_width(l) <= width) {
            break;
        }
    }
    last
}

/// Display columns of a line, CJK counting double and colour codes none.
pub fn display_width(line: &str) -> usize {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ … final byte in @–~.
            for d in chars.by_ref() {
                if ('@'..='~').contains(&d) && d != '[' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    unicode_width::UnicodeWidthStr::width(plain.as_str())
}

/// Joins `parts` with `sep` into lines of at most `width` display columns
/// (a part longer than that gets a line of its own), so an 80-column
/// terminal never wraps them mid-part.
pub fn pack(parts: &[String], sep: &str, width: usize) -> Vec<String> {
    let w = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let mut lines: Vec<String> = Vec::new();
    for p in parts {
        match lines.last_mut() {
            Some(l) if w(l) + w(sep) + w(p) <= width => {
                l.push_str(sep);
                l.push_str(p);
            }
            _ => lines.push(p.clone()),
        }
    }
    lines
}
