//! XLSX in and out: the guarded streaming reader, the table writer, and the checks before a file is opened.

pub mod guard;
pub mod read;
pub mod sniff;
pub mod write;

pub use read::XlsxReader;
pub use write::{Styled, Val, Writer};
