//! zhili: scoring toolkit for discipline-inspection evaluation systems (政治生态 / 清廉单元 / 智治廉评).
//!
//! Data flows one way: indicator TOML → [`indicators::IndicatorSet`];
//! roster and station workbooks → [`records::Record`]s; the pure
//! [`engine`] turns (set, roster, records, window) into an
//! [`engine::Evaluation`]; [`report`] renders it. Only [`cmd`] touches files.

pub mod diff;
pub mod engine;
pub mod exact;
pub mod guard;
pub mod indicators;
pub mod issue;
pub mod library;
pub mod number;
pub mod period;
pub mod records;
pub mod roster;
pub mod sniff;
pub mod station;
pub mod template;
pub mod tomlread;
pub mod xlsx;

/// Lower-case hex sha256 of some bytes (inputs and indicator sets are identified by it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
pub mod check;
pub mod cli;
pub mod cmd;
pub mod project;
pub mod report;
pub mod result;
