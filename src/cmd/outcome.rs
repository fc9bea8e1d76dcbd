//! How a command ended, before it becomes an exit status (only `main` maps it to a number).

/// The end of a command. `main` turns it into the exit status
/// docs/commands.md gives.
#[derive(Debug)]
pub enum Outcome {
    /// Success (`diff`: the two results are identical).
    Ok,
    /// `score`: outputs written, but error-level data problems were found.
    DataErrors,
    /// Failure, nothing written; the reason was already printed.
    Failed,
    /// `diff`: the results differ.
    Different,
    /// `diff`: it could not compare (unreadable input, bad arguments).
    Trouble(anyhow::Error),
}

impl From<bool> for Outcome {
    /// `true` → [`Outcome::Ok`], `false` → [`Outcome::Failed`].
    fn from(ok: bool) -> Self {
        if ok { Outcome::Ok } else { Outcome::Failed }
    }
}
