//! Fuzzes the indicator-set parser: any bytes give a set or a list of problems, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(problems) = zhili::indicators::parse(data) {
        assert!(!problems.is_empty(), "an error always says what is wrong");
    }
});
