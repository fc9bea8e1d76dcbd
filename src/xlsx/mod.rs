//! XLSX out: the table writer every report, template and comparison workbook is written with.

pub mod deflate;
pub mod package;
pub mod page;
pub mod sheet;
pub mod write;

pub use write::{Styled, Val, Writer};
