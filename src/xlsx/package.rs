//! The zip container of a workbook with big sheets (docs/performance.md "The report on both cores"):
//! rust_xlsxwriter's package is copied part by part without recompressing, and the placeholder of each big
//! sheet is replaced by zhili's own rows, already compressed on every core. The zip crate reads packages but
//! cannot add a part whose deflate stream was made elsewhere, so the container (local headers, central
//! directory, ZIP64 when a size or offset needs it) is written here.

use super::deflate::{self, Compressed};
use super::sheet;
use std::io::{self, Cursor, Read, Write};
use zip::CompressionMethod;

/// A big sheet's rows, compressed, with what is needed to put them in its placeholder's place.
pub struct Big {
    /// The placeholder's part name, `xl/worksheets/sheetN.xml`.
    pub part: String,
    pub body: Compressed,
    /// The table's last column (0-based) and its data rows (header excluded).
    pub last_col: u16,
    pub rows: u32,
    /// The format index each prototype cell must have (column j: `styles[j]`), as the rows were written with.
    pub styles: Vec<u32>,
}

/// Sizes and offsets from this value on are written as ZIP64.
pub const ZIP64_FROM: u64 = 0xFFFF_FFFF;

struct Entry {
    name: Vec<u8>,
    method: u16,
    crc: u32,
    size: u64,
    csize: u64,
    time: u16,
    date: u16,
    external: u32,
    offset: u64,
}

/// A zip being written front to back.
struct ZipOut<W: Write> {
    w: W,
    at: u64,
    entries: Vec<Entry>,
    zip64_from: u64,
}

impl<W: Write> ZipOut<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.w.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// Writes one part: its local header, then its compressed data (`head`, the file's bytes, `foot`).
    fn add(&mut self, mut e: Entry, head: &[u8], file: Option<&mut std::fs::File>, foot: &[u8]) -> io::Result<()> {
        e.offset = self.at;
        let big = e.size >= self.zip64_from || e.csize >= self.zip64_from;
        let mut h = Vec::with_capacity(64 + e.name.len());
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&(if big { 45u16 } else { 20 }).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&e.method.to_le_bytes());
        h.extend_from_slice(&e.time.to_le_bytes());
        h.extend_from_slice(&e.date.to_le_bytes());
        h.extend_from_slice(&e.crc.to_le_bytes());
        let (csize, size) = if big { (u32::MAX, u32::MAX) } else { (e.csize as u32, e.size as u32) };
        h.extend_from_slice(&csize.to_le_bytes());
        h.extend_from_slice(&size.to_le_bytes());
        h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        h.extend_from_slice(&(if big { 20u16 } else { 0 }).to_le_bytes());
        h.extend_from_slice(&e.name);
        if big {
            h.extend_from_slice(&1u16.to_le_bytes());
            h.extend_from_slice(&16u16.to_le_bytes());
            h.extend_from_slice(&e.size.to_le_bytes());
            h.extend_from_slice(&e.csize.to_le_bytes());
        }
        self.put(&h)?;
        let start = self.at;
        self.put(head)?;
        if let Some(f) = file {
            self.at += io::copy(f, &mut self.w)?;
        }
        self.put(foot)?;
        if self.at - start != e.csize {
            return Err(io::Error::other(format!(
                "part {} is not the size it was said to be",
                String::from_utf8_lossy(&e.name)
            )));
        }
        self.entries.push(e);
        Ok(())
    }

    /// Writes the central directory and its end record.
    fn finish(mut self) -> io::Result<W> {
        let start = self.at;
        let from = self.zip64_from;
        let mut cd = Vec::new();
        for e in &self.entries {
            let mut extra = Vec::new();
            if e.size >= from {
                extra.extend_from_slice(&e.size.to_le_bytes());
            }
            if e.csize >= from {
                extra.extend_from_slice(&e.csize.to_le_bytes());
            }
            if e.offset >= from {
                extra.extend_from_slice(&e.offset.to_le_bytes());
            }
            let zip64 = !extra.is_empty();
            let clip = |v: u64| if v >= from { u32::MAX } else { v as u32 };
            cd.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            // Made by: Unix (3), so the external attributes carry the file mode.
            cd.extend_from_slice(&((3u16 << 8) | if zip64 { 45 } else { 20 }).to_le_bytes());
            cd.extend_from_slice(&(if zip64 { 45u16 } else { 20 }).to_le_bytes());
            cd.extend_from_slice(&0u16.to_le_bytes());
            cd.extend_from_slice(&e.method.to_le_bytes());
            cd.extend_from_slice(&e.time.to_le_bytes());
            cd.extend_from_slice(&e.date.to_le_bytes());
            cd.extend_from_slice(&e.crc.to_le_bytes());
            cd.extend_from_slice(&clip(e.csize).to_le_bytes());
            cd.extend_from_slice(&clip(e.size).to_le_bytes());
            cd.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            cd.extend_from_slice(&(if zip64 { extra.len() as u16 + 4 } else { 0 }).to_le_bytes());
            cd.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
            cd.extend_from_slice(&e.external.to_le_bytes());
            cd.extend_from_slice(&clip(e.offset).to_le_bytes());
            cd.extend_from_slice(&e.name);
            if zip64 {
                cd.extend_from_slice(&1u16.to_le_bytes());
                cd.extend_from_slice(&(extra.len() as u16).to_le_bytes());
                cd.extend_from_slice(&extra);
            }
        }
        self.put(&cd)?;
        let count = self.entries.len() as u64;
        let size = cd.len() as u64;
        let zip64 = count >= 0xFFFF || start >= from || size >= from;
        let mut end = Vec::new();
        if zip64 {
            let record = self.at;
            end.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            end.extend_from_slice(&44u64.to_le_bytes());
            end.extend_from_slice(&((3u16 << 8) | 45).to_le_bytes());
            end.extend_from_slice(&45u16.to_le_bytes());
            end.extend_from_slice(&[0; 8]); // this disk, the directory's disk
            end.extend_from_slice(&count.to_le_bytes());
            end.extend_from_slice(&count.to_le_bytes());
            end.extend_from_slice(&size.to_le_bytes());
            end.extend_from_slice(&start.to_le_bytes());
            end.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            end.extend_from_slice(&0u32.to_le_bytes());
            end.extend_from_slice(&record.to_le_bytes());
            end.extend_from_slice(&1u32.to_le_bytes());
        }
        let count16 = if zip64 { u16::MAX } else { count as u16 };
        end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        end.extend_from_slice(&[0; 4]);
        end.extend_from_slice(&count16.to_le_bytes());
        end.extend_from_slice(&count16.to_le_bytes());
        end.extend_from_slice(&(if zip64 { u32::MAX } else { size as u32 }).to_le_bytes());
        end.extend_from_slice(&(if zip64 { u32::MAX } else { start as u32 }).to_le_bytes());
        end.extend_from_slice(&0u16.to_le_bytes());
        self.put(&end)?;
        // A buffered writer's last bytes fail here, not unseen when it is dropped.
        self.w.flush()?;
        Ok(self.w)
    }
}

fn method_code(m: CompressionMethod) -> io::Result<u16> {
    match m {
        CompressionMethod::Stored => Ok(0),
        CompressionMethod::Deflated => Ok(8),
        other => Err(io::Error::other(format!("rust_xlsxwriter wrote a part compressed with {other:?}"))),
    }
}

/// Writes the workbook `small` (rust_xlsxwriter's package, with a placeholder for each of `bigs`) into `out`,
/// each placeholder replaced by its big sheet. Parts keep their order, names, times and modes.
pub fn assemble<W: Write>(small: &[u8], bigs: Vec<Big>, out: W) -> io::Result<W> {
    assemble_with(small, bigs, out, ZIP64_FROM)
}

fn assemble_with<W: Write>(small: &[u8], mut bigs: Vec<Big>, out: W, zip64_from: u64) -> io::Result<W> {
    let mut zip = zip::ZipArchive::new(Cursor::new(small)).map_err(io::Error::other)?;
    let mut z = ZipOut { w: out, at: 0, entries: Vec::new(), zip64_from };
    for i in 0..zip.len() {
        let mut raw = zip.by_index_raw(i).map_err(io::Error::other)?;
        let modified = raw.last_modified().unwrap_or_default();
        let mut entry = Entry {
            name: raw.name_raw().to_vec(),
            method: method_code(raw.compression())?,
            crc: raw.crc32(),
            size: raw.size(),
            csize: raw.compressed_size(),
            time: modified.timepart(),
            date: modified.datepart(),
            external: raw.unix_mode().unwrap_or(0o100_600) << 16,
            offset: 0,
        };
        let Some(pos) = bigs.iter().position(|b| b.part.as_bytes() == entry.name) else {
            let mut data = Vec::with_capacity(entry.csize as usize);
            raw.read_to_end(&mut data)?;
            z.add(entry, &data, None, &[])?;
            continue;
        };
        drop(raw);
        let mut big = bigs.swap_remove(pos);
        let mut xml = String::new();
        zip.by_index(i).map_err(io::Error::other)?.read_to_string(&mut xml)?;
        let frame = sheet::frame(&xml, big.last_col, big.rows).map_err(io::Error::other)?;
        check_prototype(&frame.prototype, &big.styles)?;
        let head = deflate::piece(frame.prefix.as_bytes(), &[], false);
        // The footer is primed with the text just before it: the header's end, then the rows.
        let mut before = frame.prefix.as_bytes().to_vec();
        before.extend_from_slice(&big.body.tail);
        let foot = deflate::piece(frame.suffix.as_bytes(), &before, true);
        let mut crc = crc32fast::Hasher::new();
        crc.update(frame.prefix.as_bytes());
        crc.combine(&big.body.crc);
        let mut tail_crc = crc32fast::Hasher::new();
        tail_crc.update(frame.suffix.as_bytes());
        crc.combine(&tail_crc);
        entry.method = 8;
        entry.crc = crc.finalize();
        entry.size = frame.prefix.len() as u64 + big.body.len + frame.suffix.len() as u64;
        entry.csize = head.len() as u64 + big.body.size + foot.len() as u64;
        z.add(entry, &head, big.body.pieces.as_mut(), &foot)?;
    }
    if let Some(b) = bigs.first() {
        return Err(io::Error::other(format!("the workbook has no part {} for a big sheet", b.part)));
    }
    z.finish()
}

/// The rows were written with format indices fixed before rust_xlsxwriter numbered its formats; its prototype
/// row shows the numbers it gave them. They must agree, or the rows would show the wrong formats.
fn check_prototype(prototype: &[(u16, u32)], styles: &[u32]) -> io::Result<()> {
    let found: Vec<u32> = prototype.iter().map(|(_, xf)| *xf).collect();
    let in_order = prototype.iter().enumerate().all(|(j, (col, _))| usize::from(*col) == j);
    if found != styles || !in_order {
        return Err(io::Error::other(format!(
            "the big sheet's formats were numbered {styles:?} but the workbook numbers them {found:?}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xlsx::deflate::Body;
    use zip::write::SimpleFileOptions;

    /// A small package as rust_xlsxwriter would write it: a placeholder sheet between two other parts.
    fn small(placeholder: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        w.start_file("[Content_Types].xml", opts).unwrap();
        w.write_all(b"<Types/>").unwrap();
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        w.write_all(placeholder.as_bytes()).unwrap();
        w.start_file("docProps/app.xml", opts.compression_method(CompressionMethod::Stored)).unwrap();
        w.write_all(b"<Properties/>").unwrap();
        w.finish().unwrap().into_inner()
    }

    const PLACEHOLDER: &str = concat!(
        r#"<worksheet><dimension ref="A1:B2"/><sheetData>"#,
        r#"<row r="1" spans="1:2"><c r="A1" s="1" t="s"><v>0</v></c></row>"#,
        r#"<row r="2" spans="1:2"><c r="A2" s="2"/><c r="B2" s="3"/></row>"#,
        r#"</sheetData><pageMargins/></worksheet>"#
    );

    fn big(rows: u32) -> (Big, String) {
        let mut body = Body::new();
        let mut text = String::new();
        for r in 0..rows {
            let mut row = Vec::new();
            sheet::start_row(&mut row, r + 2, None);
            sheet::string(&mut row, "A", r + 2, 2, &format!("单位{r}"));
            sheet::number(&mut row, "B", r + 2, 3, f64::from(r) / 4.0);
            sheet::end_row(&mut row);
            body.write(&row).unwrap();
            text.push_str(std::str::from_utf8(&row).unwrap());
        }
        let body = body.finish().unwrap();
        (Big { part: "xl/worksheets/sheet1.xml".into(), body, last_col: 1, rows, styles: vec![2, 3] }, text)
    }

    fn read_all(bytes: &[u8]) -> Vec<(String, String)> {
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut s = String::new();
                // Reading to the end checks each part's CRC-32.
                f.read_to_string(&mut s).unwrap();
                (f.name().unwrap().to_string(), s)
            })
            .collect()
    }

    fn expected(text: &str, rows: u32) -> String {
        format!(
            r#"<worksheet><dimension ref="A1:B{}"/><sheetData><row r="1"><c r="A1" s="1" t="s"><v>0</v></c></row>{text}</sheetData><pageMargins/></worksheet>"#,
            rows + 1
        )
    }

    #[test]
    fn the_placeholder_is_replaced_and_every_other_part_copied() {
        // Enough rows for several compressed pieces.
        let (b, text) = big(40_000);
        assert!(b.body.size > 100_000, "several pieces: {}", b.body.size);
        let out = assemble(&small(PLACEHOLDER), vec![b], Vec::new()).unwrap();
        let parts = read_all(&out);
        let names: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(names, ["[Content_Types].xml", "xl/worksheets/sheet1.xml", "docProps/app.xml"]);
        assert_eq!(parts[0].1, "<Types/>");
        assert_eq!(parts[1].1, expected(&text, 40_000));
        assert_eq!(parts[2].1, "<Properties/>");
    }

    #[test]
    fn zip64_fields_read_back() {
        // Every size and offset written as ZIP64, as a part of 4 GiB or more would be.
        let (b, text) = big(3);
        let out = assemble_with(&small(PLACEHOLDER), vec![b], Vec::new(), 0).unwrap();
        let parts = read_all(&out);
        assert_eq!(parts[1].1, expected(&text, 3));
        assert_eq!(parts[2].1, "<Properties/>");
        let (b, text) = big(0);
        assert_eq!(text, "");
        let out = assemble(&small(PLACEHOLDER), vec![b], Vec::new()).unwrap();
        assert!(read_all(&out)[1].1.contains(r#"<dimension ref="A1:B1"/>"#));
    }

    #[test]
    fn refusals() {
        let (mut b, _) = big(1);
        b.styles = vec![2, 4];
        let e = assemble(&small(PLACEHOLDER), vec![b], Vec::new()).unwrap_err().to_string();
        assert!(e.contains("numbered [2, 4]") && e.contains("[2, 3]"), "{e}");
        let (mut b, _) = big(1);
        b.part = "xl/worksheets/sheet9.xml".into();
        let e = assemble(&small(PLACEHOLDER), vec![b], Vec::new()).unwrap_err().to_string();
        assert!(e.contains("no part xl/worksheets/sheet9.xml"), "{e}");
    }
}
