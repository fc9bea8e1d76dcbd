//! Recognises what a file really is before it is parsed, and refuses absurd archives.
//!
//! Station workbooks come from Excel, WPS and old exports. A CSV renamed to
//! .xlsx, a legacy .xls, a password-protected workbook or a decompression
//! bomb each gets its own plain message here, instead of "invalid Zip
//! archive" — or gigabytes of memory — from deeper down.

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

/// Checks that `bytes` look like an XLSX workbook zhili may safely open.
/// The error is a sentence for the person who sent the file.
pub fn check_workbook(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("文件为空 (0 字节)".into());
    }
    if bytes.starts_with(&OLE) {
        return Err(if contains_utf16(bytes, "EncryptedPackage") {
            "工作簿设置了打开密码 (已加密),zhili 无法读取;请去掉密码后重新保存为 .xlsx".into()
        } else {
            "这是旧版 Excel (.xls) 文件;请在 Excel 或 WPS 中“另存为” .xlsx 格式".into()
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
        return Err(if looks_like_text(bytes) {
            "这是文本文件 (如 CSV),不是 XLSX 工作簿;请在 Excel 或 WPS 中打开后“另存为” .xlsx".into()
        } else {
            "不是 XLSX 工作簿 (文件开头不是 ZIP 格式);文件可能已损坏或类型不对".into()
        });
    }
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

/// Mostly printable text in the first kilobyte (UTF-8, possibly with a BOM, or GBK-ish bytes).
fn looks_like_text(bytes: &[u8]) -> bool {
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
        assert!(check_workbook(b"").unwrap_err().contains("文件为空"));
        assert!(check_workbook("单位代码,数值\nU1,3\n".as_bytes()).unwrap_err().contains("CSV"));
        assert!(check_workbook(b"\xEF\xBB\xBFunit,value\n").unwrap_err().contains("CSV"));
        let mut xls = OLE.to_vec();
        xls.extend([0u8; 600]);
        assert!(check_workbook(&xls).unwrap_err().contains(".xls"));
        let mut enc = OLE.to_vec();
        enc.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(check_workbook(&enc).unwrap_err().contains("加密"));
        assert!(check_workbook(&[0u8, 1, 2, 3, 200, 201, 5, 6]).unwrap_err().contains("不是 XLSX"));
        assert!(check_workbook(b"PK\x03\x04garbage").unwrap_err().contains("ZIP 结构已损坏"));
    }
}
