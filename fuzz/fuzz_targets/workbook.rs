//! Fuzzes the workbook reader without its panic guard, so that panics reach the fuzzer.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if zhili::input::sniff::check_workbook(data).is_err() {
        return;
    }
    let Ok(mut source) = zhili::input::XlsxReader::open(data) else { return };
    if let Ok(mut file) = zhili::station::StationFile::open(&mut source) {
        let mut rows = 0usize;
        let _ = file.read_rows(|_, _| rows += 1);
    }
});
