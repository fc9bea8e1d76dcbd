//! zhili: scoring toolkit for discipline-inspection evaluation systems (政治生态 / 清廉单元 / 智治廉评).
//!
//! Data flows one way: indicator TOML → [`indicators::IndicatorSet`];
//! roster and station workbooks → [`records::Record`]s; the pure
//! [`engine`] turns (set, roster, records, window) into an
//! [`engine::Evaluation`]; [`report`] renders it. Only [`cmd`] touches files.

pub mod exact;
pub mod indicators;
pub mod number;
pub mod period;
pub mod tomlread;
