//! Runs parsing of untrusted files so that a panic becomes an error for that file, quietly.
//!
//! A bug deep inside a parser (ours or a dependency's) must cost one
//! `bad_workbook` issue, not the run — and not a frightening backtrace on
//! the analyst's terminal. Panics elsewhere are still reported as usual.

use std::cell::Cell;
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

/// Installs (once) a panic hook that stays silent while [`quietly`] runs on
/// this thread and defers to the default hook otherwise.
fn install_hook() {
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it becomes `Err` with a Chinese reason.
pub fn quietly<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    install_hook();
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    match result {
        Ok(r) => r,
        Err(_) => Err("读取工作簿时发生内部错误 (文件可能已损坏或格式异常)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        let r: Result<(), String> = quietly(|| panic!("boom"));
        assert!(r.unwrap_err().contains("内部错误"));
        assert_eq!(quietly(|| Ok::<_, String>(7)), Ok(7));
    }
}
