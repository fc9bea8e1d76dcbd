//! The rows of a big table as worksheet XML, written by zhili itself so they can be compressed while they are
//! written (docs/performance.md "The report on both cores"). The rest of such a sheet comes from rust_xlsxwriter,
//! as a placeholder holding only the header row and a prototype row; this module cuts that placeholder open.
//! Text is escaped exactly as rust_xlsxwriter escapes it, so a cell reads back the same either way.

use std::io::Write;

/// Excel's name of a column: 0 → A, 25 → Z, 26 → AA.
pub fn col_name(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut name = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        name.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The 0-based column of a cell reference's letters ("AB12" → 27), if it has any.
fn col_of(reference: &str) -> Option<u16> {
    let letters: &str = &reference[..reference.find(|c: char| !c.is_ascii_uppercase()).unwrap_or(reference.len())];
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let n = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
    u16::try_from(n - 1).ok()
}

/// Digits of a whole number (itoa: millions of cells, no formatting machinery).
fn push_int(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Opens row `r` (1-based), with a height in points when it is taller than normal.
pub fn start_row(out: &mut Vec<u8>, r: u32, height: Option<f64>) {
    out.extend_from_slice(b"<row r=\"");
    push_int(out, r);
    match height {
        Some(h) => {
            let _ = write!(out, r#"" ht="{h}" customHeight="1">"#);
        }
        None => out.extend_from_slice(b"\">"),
    }
}

/// Closes a row.
pub const ROW_END: &[u8] = b"</row>";

pub fn end_row(out: &mut Vec<u8>) {
    out.extend_from_slice(ROW_END);
}

fn open_cell(out: &mut Vec<u8>, col: &str, r: u32, xf: u32) {
    out.extend_from_slice(b"<c r=\"");
    out.extend_from_slice(col.as_bytes());
    push_int(out, r);
    if xf > 0 {
        out.extend_from_slice(b"\" s=\"");
        push_int(out, xf);
    }
    out.push(b'"');
}

/// A text cell, written inline (`t="inlineStr"`).
pub fn string(out: &mut Vec<u8>, col: &str, r: u32, xf: u32, text: &str) {
    open_cell(out, col, r, xf);
    let preserve = [' ', '\t', '\n'];
    if text.starts_with(preserve) || text.ends_with(preserve) {
        out.extend_from_slice(br#" t="inlineStr"><is><t xml:space="preserve">"#);
    } else {
        out.extend_from_slice(br#" t="inlineStr"><is><t>"#);
    }
    escape(out, text);
    out.extend_from_slice(b"</t></is></c>");
}

/// A number cell; Excel has no NaN or infinity, so those are written as rust_xlsxwriter writes them by
/// default, as the text `NAN`, `INF`, `-INF`.
pub fn number(out: &mut Vec<u8>, col: &str, r: u32, xf: u32, x: f64) {
    if x.is_nan() {
        return string(out, col, r, xf, "NAN");
    }
    if x.is_infinite() {
        return string(out, col, r, xf, if x > 0.0 { "INF" } else { "-INF" });
    }
    open_cell(out, col, r, xf);
    out.extend_from_slice(b"><v>");
    // A whole number's digits are what `{x}` prints (−0 excepted, which keeps its sign that way).
    if x.fract() == 0.0 && x.abs() < 1e15 && !(x == 0.0 && x.is_sign_negative()) {
        push_int(out, x as i64);
    } else {
        let _ = write!(out, "{x}");
    }
    out.extend_from_slice(b"</v></c>");
}

pub fn boolean(out: &mut Vec<u8>, col: &str, r: u32, xf: u32, b: bool) {
    open_cell(out, col, r, xf);
    let _ = write!(out, r#" t="b"><v>{}</v></c>"#, u8::from(b));
}

/// A blank cell that carries only a format (a fill).
pub fn blank(out: &mut Vec<u8>, col: &str, r: u32, xf: u32) {
    if xf > 0 {
        open_cell(out, col, r, xf);
        out.extend_from_slice(b"/>");
    }
}

/// Escapes cell text as rust_xlsxwriter (and Excel) do: `&<>` as entities; control characters and the
/// non-characters U+FFFE/U+FFFF as `_xHHHH_`; and so that a literal `_xHHHH_` survives, its underscore as
/// `_x005F`.
pub fn escape(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // Runs of ordinary text are copied whole.
    let mut run = 0;
    for (i, ch) in text.char_indices() {
        let escaped: Option<&[u8]> = match ch {
            '&' => Some(b"&amp;"),
            '<' => Some(b"&lt;"),
            '>' => Some(b"&gt;"),
            '\t' | '\n' => None,
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => Some(b""),
            '_' if is_escape_sequence(&bytes[i..]) => Some(b"_x005F_"),
            _ => None,
        };
        if let Some(e) = escaped {
            out.extend_from_slice(&bytes[run..i]);
            if e.is_empty() {
                let _ = write!(out, "_x{:04X}_", ch as u32);
            } else {
                out.extend_from_slice(e);
            }
            run = i + ch.len_utf8();
        }
    }
    out.extend_from_slice(&bytes[run..]);
}

/// `_xHHHH_` with four hex digits.
fn is_escape_sequence(b: &[u8]) -> bool {
    b.len() >= 7 && b[0] == b'_' && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

/// A placeholder sheet's XML cut around its data rows.
#[derive(Debug)]
pub struct Frame {
    /// Everything up to and including the header row, with the sheet's dimension set to the real table.
    pub prefix: String,
    /// `</sheetData>` and everything after it.
    pub suffix: String,
    /// The prototype row's cells: (column, format index).
    pub prototype: Vec<(u16, u32)>,
}

/// Cuts rust_xlsxwriter's XML of a placeholder sheet (a header row, then a prototype row of formatted blank
/// cells) around where the data rows go. `last_col` and `rows` (data rows, header excluded) give the table's
/// real dimension.
pub fn frame(xml: &str, last_col: u16, rows: u32) -> Result<Frame, String> {
    let bad = |what: &str| format!("the placeholder sheet is not as expected ({what})");
    let open = xml.find("<sheetData>").ok_or_else(|| bad("no <sheetData>"))?;
    let header_end = open + xml[open..].find("</row>").ok_or_else(|| bad("no header row"))? + "</row>".len();
    let proto = &xml[header_end..];
    if !proto.starts_with(r#"<row r="2""#) {
        return Err(bad("no prototype row"));
    }
    let proto_len = proto.find("</row>").ok_or_else(|| bad("an open prototype row"))? + "</row>".len();
    let suffix = &proto[proto_len..];
    if !suffix.starts_with("</sheetData>") {
        return Err(bad("rows after the prototype"));
    }
    let mut prototype = Vec::new();
    for cell in proto[..proto_len].split("<c r=\"").skip(1) {
        let reference = &cell[..cell.find('"').unwrap_or(0)];
        let col = col_of(reference).ok_or_else(|| bad("a cell reference"))?;
        let xf = cell
            .split_once(" s=\"")
            .and_then(|(_, rest)| rest.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        prototype.push((col, xf));
    }
    // The header row: its `spans` counted the prototype's cells; the attribute is optional, so it goes.
    let mut prefix = xml[..header_end].to_string();
    if let Some(at) = prefix[open..].find("<row ").map(|i| open + i)
        && let Some(spans) = prefix[at..].find(" spans=\"").map(|i| at + i)
        && let Some(end) = prefix[spans + 8..].find('"').map(|i| spans + 8 + i + 1)
        && end < header_end
    {
        prefix.replace_range(spans..end, "");
    }
    let dim = prefix.find("<dimension ref=\"").ok_or_else(|| bad("no dimension"))? + "<dimension ref=\"".len();
    let dim_end = dim + prefix[dim..].find('"').ok_or_else(|| bad("an open dimension"))?;
    let last = format!("{}{}", col_name(last_col), rows + 1);
    let reference = if last == "A1" { last } else { format!("A1:{last}") };
    prefix.replace_range(dim..dim_end, &reference);
    Ok(Frame { prefix, suffix: suffix.to_string(), prototype })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        escape(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn column_names() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
        assert_eq!(col_name(16383), "XFD");
        assert_eq!(col_of("XFD1048576"), Some(16383));
        assert_eq!(col_of("AB2"), Some(27));
        assert_eq!(col_of("2"), None);
    }

    #[test]
    fn text_is_escaped_as_rust_xlsxwriter_escapes_it() {
        assert_eq!(escaped("群众举报查实"), "群众举报查实");
        assert_eq!(escaped("a&b<c>d\"e'"), "a&amp;b&lt;c&gt;d\"e'");
        assert_eq!(escaped("行一\n行二\t完"), "行一\n行二\t完");
        assert_eq!(escaped("\r\u{1}\u{1F}"), "_x000D__x0001__x001F_");
        assert_eq!(escaped("\u{FFFE}\u{FFFF}\u{FFFD}"), "_xFFFE__xFFFF_\u{FFFD}");
        // A literal escape sequence keeps its meaning; a near miss is left alone.
        assert_eq!(escaped("_x000D_"), "_x005F_x000D_");
        assert_eq!(escaped("a_x12G4_b_x1234"), "a_x12G4_b_x1234");
        assert_eq!(escaped("snake_case"), "snake_case");
    }

    #[test]
    fn cells_and_rows() {
        let mut out = Vec::new();
        start_row(&mut out, 2, None);
        string(&mut out, "A", 2, 3, " 前后空格 ");
        string(&mut out, "B", 2, 0, "x");
        number(&mut out, "C", 2, 4, 0.1);
        number(&mut out, "D", 2, 4, -12.5);
        number(&mut out, "D", 2, 0, -2.0);
        number(&mut out, "D", 2, 0, -0.0);
        number(&mut out, "D", 2, 0, 1e15);
        number(&mut out, "D", 2, 0, 123456789012345.0);
        number(&mut out, "E", 2, 4, f64::NAN);
        boolean(&mut out, "F", 2, 5, true);
        blank(&mut out, "G", 2, 6);
        blank(&mut out, "H", 2, 0);
        end_row(&mut out);
        start_row(&mut out, 3, Some(34.0));
        end_row(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            concat!(
                r#"<row r="2"><c r="A2" s="3" t="inlineStr"><is><t xml:space="preserve"> 前后空格 </t></is></c>"#,
                r#"<c r="B2" t="inlineStr"><is><t>x</t></is></c><c r="C2" s="4"><v>0.1</v></c>"#,
                r#"<c r="D2" s="4"><v>-12.5</v></c><c r="D2"><v>-2</v></c><c r="D2"><v>-0</v></c>"#,
                r#"<c r="D2"><v>1000000000000000</v></c><c r="D2"><v>123456789012345</v></c>"#,
                r#"<c r="E2" s="4" t="inlineStr"><is><t>NAN</t></is></c>"#,
                r#"<c r="F2" s="5" t="b"><v>1</v></c><c r="G2" s="6"/></row>"#,
                r#"<row r="3" ht="34" customHeight="1"></row>"#,
            )
        );
    }

    #[test]
    fn a_placeholder_is_cut_around_its_rows() {
        let xml = concat!(
            r#"<worksheet><dimension ref="A1:C2"/><sheetData>"#,
            r#"<row r="1" spans="1:3"><c r="A1" s="1" t="s"><v>0</v></c></row>"#,
            r#"<row r="2" spans="1:3"><c r="A2" s="7"/><c r="B2" s="8"/><c r="C2"/></row>"#,
            r#"</sheetData><autoFilter ref="A1:B9"/></worksheet>"#
        );
        let f = frame(xml, 1, 8).unwrap();
        assert_eq!(
            f.prefix,
            r#"<worksheet><dimension ref="A1:B9"/><sheetData><row r="1"><c r="A1" s="1" t="s"><v>0</v></c></row>"#
        );
        assert_eq!(f.suffix, r#"</sheetData><autoFilter ref="A1:B9"/></worksheet>"#);
        assert_eq!(f.prototype, vec![(0, 7), (1, 8), (2, 0)]);
        assert!(frame(xml, 0, 0).unwrap().prefix.contains(r#"<dimension ref="A1"/>"#));
        let no_prototype =
            xml.replace(r#"<row r="2" spans="1:3"><c r="A2" s="7"/><c r="B2" s="8"/><c r="C2"/></row>"#, "");
        assert!(frame(&no_prototype, 1, 8).unwrap_err().contains("prototype"));
        assert!(frame("<worksheet/>", 1, 8).unwrap_err().contains("sheetData"));
    }
}
