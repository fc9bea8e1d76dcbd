//! The `zhili` binary: parse the command line, run the library, map the outcome to an exit status.

use clap::Parser;
use std::process::ExitCode;
use zhili::cli::{Cli, exit, run};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are successes; bad arguments are failures (SPEC §4:
            // 1, but 2 — "trouble" — for `diff`, whose 1 means "different").
            let failure = if std::env::args().nth(1).as_deref() == Some("diff") { 2 } else { exit::FAILURE };
            return ExitCode::from(if e.use_stderr() { failure } else { exit::OK });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("zhili: 错误: {e:#}");
            ExitCode::from(exit::FAILURE)
        }
    }
}
