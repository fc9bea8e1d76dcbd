//! zhili: scoring toolkit for discipline-inspection evaluation systems (政治生态 / 清廉单元 / 智治廉评).
//!
//! Data flows one way (docs/architecture.md): indicator TOML →
//! [`indicators::IndicatorSet`] (each rule kind owned by [`rules`]); roster
//! and station files ([`input`]: XLSX, XLS, CSV) → [`cell`]s →
//! [`record::Record`]s ([`records`]); the
//! pure [`engine`] turns (set, roster, records, window) into an
//! [`engine::Evaluation`]; [`analysis`] derives the facts outputs share;
//! [`report`] renders and reads back. Only [`cmd`] touches files.

pub mod analysis;
pub mod cell;
pub mod cli;
pub mod cmd;
pub mod engine;
pub mod exact;
pub mod indicators;
pub mod input;
pub mod issue;
pub mod ledger;
pub mod library;
pub mod number;
pub mod period;
pub mod project;
pub mod record;
pub mod records;
pub mod report;
pub mod result;
pub mod rollup;
pub mod roster;
pub mod rules;
pub mod run;
pub mod station;
pub mod submissions;
pub mod text;
pub mod tomlread;
pub mod xlsx;

/// Lower-case hex sha256 of some bytes (inputs and indicator sets are identified by it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_a_known_input() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(super::sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
