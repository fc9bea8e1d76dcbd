//! Recognises what a file really is before it is parsed — XLSX, legacy XLS or text (CSV) — and refuses absurd archives.
//!
//! Station workbooks come from Excel, WPS, other systems' exports and old
//! files. The format is decided by the bytes, never by the file name. An
//! encrypted workbook, an Excel 95-or-older file, a Word document or a
//! decompression bomb each gets its own plain message here, instead of
//! "invalid Zip archive" — or gigabytes of memory — from deeper down.

use std::io::Cursor;

/// The largest uncompressed part zhili will read (a sheet's XML, shared strings).
pub const MAX_PART_BYTES: u64 = 512 * 1024 * 1024;
/// All parts together.
pub const MAX_TOTAL_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// A part larger than this must not be compressed more than [`MAX_RATIO`] to one.
pub const RATIO_CHECK_BYTES: u64 = 16 * 1024 * 1024;
pub const MAX_RATIO: u64 = 200;
/// Parts in one archive.
pub const MAX_PARTS: usize = 10_000;

const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What a file is, decided by its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Excel 2007 and later (a zip of XML parts).
    Xlsx,
    /// Excel 97–2003 (BIFF8 in an OLE compound file).
    Xls,
    /// Delimited text: CSV or TSV, in UTF-8, UTF-16 or GBK/GB18030.
    Text,
}

/// The password message, shared with the XLS reader (an RC4-encrypted BIFF8 file is found only there).
pub const ENCRYPTED: &str = "工作簿设置了打开密码 (已加密),zhili 无法读取;请去掉密码后重新保存";

/// What `bytes` are, and whether zhili may open them. The error is a
/// sentence for the person who sent the file.
pub fn detect(bytes: &[u8]) -> Result<Format, String> {
    if bytes.is_empty() {
        return Err("文件为空 (0 字节)".into());
    }
    if bytes.starts_with(&OLE) {
        return if contains_utf16(bytes, "EncryptedPackage") {
            Err(ENCRYPTED.into())
        } else if contains_utf16(bytes, "Workbook") {
            Ok(Format::Xls)
        } else if contains_utf16(bytes, "Book") {
            Err("这是 Excel 5.0/95 或更早版本的工作簿,zhili 无法读取;请在 Excel 或 WPS 中“另存为” .xlsx".into())
        } else {
            Err("这是 Office 复合文档 (如 Word 文件),不是 Excel 工作簿".into())
        };
    }
    if matches!(bytes, [0x09, 0x00 | 0x02 | 0x04, ..]) && bytes.get(2..4) == Some(&[0x04, 0x00]) {
        return Err("这是 Excel 2.x–4.x 的旧格式,zhili 无法读取;请在 Excel 或 WPS 中“另存为” .xlsx".into());
    }
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
        return if looks_like_text(bytes) {
            Ok(Format::Text)
        } else {
            Err("不是工作簿或文本表格 (既不是 XLSX/XLS,也不是 CSV);文件可能已损坏或类型不对".into())
        };
    }
    check_zip(bytes).map(|()| Format::Xlsx)
}

/// Checks that `bytes` are an XLSX workbook zhili may safely open (results
/// read back by `diff` are always XLSX or JSON).
pub fn check_workbook(bytes: &[u8]) -> Result<(), String> {
    match detect(bytes)? {
        Format::Xlsx => Ok(()),
        Format::Xls => Err("这是旧版 Excel (.xls) 文件,不是 zhili 写出的报告".into()),
        Format::Text => Err("这是文本文件 (如 CSV),不是 XLSX 工作簿".into()),
    }
}

/// The zip-level checks of an XLSX workbook: structure, part count and sizes, a workbook part.
fn check_zip(bytes: &[u8]) -> Result<(), String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("ZIP 结构已损坏 ({e});请重新导出该文件"))?;
    if archive.len() > MAX_PARTS {
        return Err(format!("工作簿包含 {} 个部件,超过上限 {MAX_PARTS}", archive.len()));
    }
    let mut has_workbook = false;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|e| format!("ZIP 部件 #{i} 已损坏 ({e})"))?;
        let name = part.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("#{i}"));
        has_workbook |= name.eq_ignore_ascii_case("xl/workbook.xml");
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        if size > MAX_PART_BYTES {
            return Err(format!(
                "部件 {name} 解压后为 {} MB,超过上限 {} MB (疑似压缩炸弹或异常大的工作表)",
                size >> 20,
                MAX_PART_BYTES >> 20
            ));
        }
        if size > RATIO_CHECK_BYTES && size / packed > MAX_RATIO {
            return Err(format!("部件 {name} 的压缩比为 {}:1,超过上限 {MAX_RATIO}:1 (疑似压缩炸弹)", size / packed));
        }
        total = total.saturating_add(size);
    }
    if total > MAX_TOTAL_BYTES {
        return Err(format!("工作簿解压后共 {} MB,超过上限 {} MB", total >> 20, MAX_TOTAL_BYTES >> 20));
    }
    if !has_workbook {
        return Err("这是 ZIP 压缩包,但不是 Excel 工作簿 (没有 xl/workbook.xml)".into());
    }
    Ok(())
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(pattern.len()).any(|w| w == pattern)
}

/// Mostly printable text in the first kilobyte (UTF-8, possibly with a BOM, GBK-ish bytes, or UTF-16 with a BOM).
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true;
    }
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')).count();
    !head.is_empty() && control * 20 < head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_usual_suspects() {
        let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
        assert!(detect(b"").unwrap_err().contains("文件为空"));
        assert_eq!(detect("单位代码,数值\nU1,3\n".as_bytes()), Ok(Format::Text));
        assert_eq!(detect(b"\xEF\xBB\xBFunit,value\n"), Ok(Format::Text));
        assert_eq!(detect(b"\xFF\xFEu\x00,\x00"), Ok(Format::Text), "UTF-16 with a BOM");
        let ole = |stream: &str| [OLE.to_vec(), vec![0u8; 600], utf16(stream)].concat();
        assert_eq!(detect(&ole("Workbook")), Ok(Format::Xls));
        assert!(detect(&ole("Book")).unwrap_err().contains("Excel 5.0/95"));
        assert!(detect(&ole("EncryptedPackage")).unwrap_err().contains("加密"));
        assert!(detect(&ole("WordDocument")).unwrap_err().contains("不是 Excel 工作簿"));
        assert!(detect(&[0x09, 0x04, 0x04, 0x00, 0x02, 0x00]).unwrap_err().contains("Excel 2.x–4.x"));
        assert!(detect(&[0u8, 1, 2, 3, 200, 201, 5, 6]).unwrap_err().contains("不是工作簿或文本表格"));
        assert!(detect(b"PK\x03\x04garbage").unwrap_err().contains("ZIP 结构已损坏"));
        // Reports read back by diff are XLSX only.
        assert!(check_workbook("a,b\n".as_bytes()).unwrap_err().contains("CSV"));
        assert!(check_workbook(&ole("Workbook")).unwrap_err().contains(".xls"));
    }
}
