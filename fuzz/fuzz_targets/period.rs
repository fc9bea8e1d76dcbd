//! Fuzzes the period parser: any text parses or is refused; a parsed period re-parses to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(p) = zhili::period::Period::parse(text)
    {
        assert_eq!(zhili::period::Period::parse(&p.to_string()), Ok(p));
    }
});
