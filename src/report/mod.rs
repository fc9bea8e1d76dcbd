//! Renderers: a run and its analysis in, bytes or text out; and the readers that take those bytes back.
//!
//! Nothing here touches files and nothing here computes a fact another output
//! needs (that is `analysis`). Every sheet name and column header is in
//! [`layout`], used by the writers and by [`readback`] alike.

pub mod areas;
pub mod brief;
pub mod comparison;
pub mod excel;
pub mod followup;
pub mod form;
pub mod history;
pub mod html;
pub mod json;
pub mod layout;
pub mod ledger;
pub mod notice;
pub mod provenance;
pub mod readback;
pub mod rows;
pub mod sets;
pub mod summary;
pub mod term;
pub mod unit;
