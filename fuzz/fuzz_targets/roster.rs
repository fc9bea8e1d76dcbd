//! Fuzzes the roster reader without its panic guard: any workbook gives a roster or a list of problems, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

const SET: &str = "name = \"f\"\nscale = 10\n[[category]]\ncode = \"town\"\nname = \"镇街区\"\n\
    [[category]]\ncode = \"dept\"\nname = \"市直部门\"\n[[station]]\ncode = \"S\"\nname = \"s\"\n\
    [[indicator]]\ncode = \"A\"\nname = \"a\"\nmax = 10\nstation = \"S\"\nrule = \"direct\"\n";

fuzz_target!(|data: &[u8]| {
    let set = zhili::indicators::parse(SET.as_bytes()).expect("the fuzz set is valid");
    // Every format the roster may come in, without the panic guard.
    let Ok(format) = zhili::input::sniff::detect(data) else { return };
    let mut source: Box<dyn zhili::cell::TableSource> = match format {
        zhili::input::Format::Xlsx => match zhili::input::XlsxReader::open(data) {
            Ok(s) => Box::new(s),
            Err(_) => return,
        },
        zhili::input::Format::Xls => match zhili::input::XlsReader::open(data) {
            Ok(s) => Box::new(s),
            Err(_) => return,
        },
        zhili::input::Format::Text => match zhili::input::DelimitedTable::parse(data, "单位") {
            Ok(s) => Box::new(s),
            Err(_) => return,
        },
    };
    match zhili::roster::read_source(source.as_mut(), "r.xlsx", &set) {
        Ok(roster) => {
            for u in &roster.units {
                assert!(!u.code.is_empty() && u.category < set.categories.len());
            }
        }
        Err(problems) => assert!(!problems.is_empty(), "an error always says what is wrong"),
    }
});
