//! The `zhili` binary: parse the command line, run the library, and — only here — turn the outcome into an exit status.

use clap::Parser;
use std::process::ExitCode;
use zhili::cli::{Cli, is_diff, run};
use zhili::cmd::Outcome;

/// Exit statuses (docs/commands.md): `score`, `check`, `template`, `init`
/// 0 success, 1 failure with nothing written, 3 results written with data
/// errors; `diff` 0 identical, 1 different, 2 trouble.
fn exit_status(outcome: &Outcome) -> u8 {
    match outcome {
        Outcome::Ok => 0,
        Outcome::Failed => 1,
        Outcome::DataErrors => 3,
        Outcome::Different => 1,
        Outcome::Trouble(_) => 2,
    }
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are successes; bad arguments are failures.
            let outcome = match (e.use_stderr(), is_diff(&args)) {
                (false, _) => Outcome::Ok,
                (true, true) => Outcome::Trouble(anyhow::anyhow!("{e}")),
                (true, false) => Outcome::Failed,
            };
            return ExitCode::from(exit_status(&outcome));
        }
    };
    let outcome = match run(cli) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("zhili: 错误: {e:#}");
            Outcome::Failed
        }
    };
    if let Outcome::Trouble(e) = &outcome {
        eprintln!("zhili diff: 错误: {e:#}");
    }
    ExitCode::from(exit_status(&outcome))
}
