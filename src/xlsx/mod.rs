//! XLSX in and out: the guarded streaming reader, the table writer, and the checks before a file is opened.

pub mod bounds;
pub mod guard;
pub mod read;
pub mod sniff;
pub mod write;

pub use read::XlsxReader;
pub use write::{Styled, Val, Writer};

use crate::cell::TableSource;

/// Opens sniffed XLSX bytes and runs `read` over them under the panic guard:
/// the one way every reader (stations, roster, results) opens a workbook.
/// Any failure, a caught panic included, is a sentence for the file's sender.
pub fn read_quietly<T>(
    bytes: &[u8],
    read: impl FnOnce(&mut dyn TableSource) -> Result<T, String>,
) -> Result<T, String> {
    guard::quietly(|| {
        let mut source = XlsxReader::open(bytes)?;
        read(&mut source)
    })
}
