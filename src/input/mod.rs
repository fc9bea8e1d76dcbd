//! Every tabular input — XLSX, legacy XLS, CSV/TSV — recognised by its bytes and opened the same guarded way.
//!
//! `sniff` decides the format (and refuses what zhili must not open), `bounds`
//! checks XLSX addresses before calamine sees them, `guard` turns a parser
//! panic into an error for that file. The readers (`xlsx`, `xls`, `delimited`)
//! all present a [`TableSource`], so the roster, station and result readers
//! never know which format they read.

pub mod bounds;
pub mod delimited;
pub mod guard;
pub mod sniff;
pub mod xls;
pub mod xlsx;

pub use delimited::DelimitedTable;
pub use sniff::Format;
pub use xls::XlsReader;
pub use xlsx::XlsxReader;

use crate::cell::TableSource;

/// Opens `bytes` of a known format and runs `read` over them under the panic
/// guard: the one way every reader opens a file. A text file becomes a
/// one-sheet table named `sheet`. Any failure, a caught panic included, is a
/// sentence for the file's sender.
pub fn read_quietly<T>(
    bytes: &[u8],
    format: Format,
    sheet: &str,
    read: impl FnOnce(&mut dyn TableSource) -> Result<T, String>,
) -> Result<T, String> {
    guard::quietly(|| match format {
        Format::Xlsx => read(&mut XlsxReader::open(bytes)?),
        Format::Xls => read(&mut XlsReader::open(bytes)?),
        Format::Text => read(&mut DelimitedTable::parse(bytes, sheet)?),
    })
}
