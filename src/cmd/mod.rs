//! One module per subcommand: its arguments, help text and orchestration. Only here are files touched.

pub mod files;
pub mod score;
