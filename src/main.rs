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

/// A closed pipe (`zhili check | head -1`) ends the command quietly, as the shell expects:
/// on Unix the default SIGPIPE action; elsewhere a failed write to stdout exits without a panic message.
fn quiet_on_closed_pipes() {
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload_as_str().unwrap_or_default();
        if message.starts_with("failed printing to stdout") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipes();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            if e.use_stderr() {
                eprintln!("{}", zhili::text::inert_lines(&zhili::cli::usage_error(&e)));
            } else {
                let _ = e.print(); // --help, --version
            }
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
            eprintln!("zhili: 错误: {}", zhili::text::inert_lines(&format!("{e:#}")));
            Outcome::Failed
        }
    };
    if let Outcome::Trouble(e) = &outcome {
        eprintln!("zhili diff: 错误: {}", zhili::text::inert_lines(&format!("{e:#}")));
    }
    ExitCode::from(exit_status(&outcome))
}
