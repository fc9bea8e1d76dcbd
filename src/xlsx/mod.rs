//! XLSX out: the table writer every report, template and comparison workbook is written with.

pub mod page;
pub mod write;

pub use write::{Styled, Val, Writer};
