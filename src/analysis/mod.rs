//! Facts about a run that more than one output needs, computed once: pure functions, values in, values out.
//!
//! Renderers format these; they never compute them. Nothing here reads or
//! writes files, and nothing here knows about sheets or terminals.

pub mod areas;
pub mod checkup;
pub mod compare;
pub mod conclusions;
pub mod dashboard;
pub mod findings;
pub mod history;
pub mod ledger;
pub mod lint;
pub mod losses;
pub mod rectification;
pub mod sets;
pub mod statistics;
pub mod trend;
