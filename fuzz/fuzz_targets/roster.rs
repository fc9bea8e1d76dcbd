//! Fuzzes the roster reader without its panic guard: any workbook gives a roster or a list of problems, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

const SET: &str = "name = \"f\"\nscale = 10\n[[category]]\ncode = \"town\"\nname = \"镇街区\"\n\
    [[category]]\ncode = \"dept\"\nname = \"市直部门\"\n[[station]]\ncode = \"S\"\nname = \"s\"\n\
    [[indicator]]\ncode = \"A\"\nname = \"a\"\nmax = 10\nstation = \"S\"\nrule = \"direct\"\n";

fuzz_target!(|data: &[u8]| {
    let set = zhili::indicators::parse(SET.as_bytes()).expect("the fuzz set is valid");
    if zhili::xlsx::sniff::check_workbook(data).is_err() {
        return;
    }
    let Ok(mut source) = zhili::xlsx::XlsxReader::open(data) else { return };
    match zhili::roster::read_source(&mut source, "r.xlsx", &set) {
        Ok(roster) => {
            for u in &roster.units {
                assert!(!u.code.is_empty() && u.category < set.categories.len());
            }
        }
        Err(problems) => assert!(!problems.is_empty(), "an error always says what is wrong"),
    }
});
