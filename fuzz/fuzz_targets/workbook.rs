//! Fuzzes the station-file readers (XLSX, XLS, CSV) without their panic guard, so that panics reach the fuzzer.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhili::cell::TableSource;
use zhili::input::{DelimitedTable, Format, XlsReader, XlsxReader, sniff};

fuzz_target!(|data: &[u8]| {
    let Ok(format) = sniff::detect(data) else { return };
    let mut source: Box<dyn TableSource> = match format {
        Format::Xlsx => match XlsxReader::open(data) {
            Ok(s) => Box::new(s),
            Err(_) => return,
        },
        Format::Xls => match XlsReader::open(data) {
            Ok(s) => Box::new(s),
            Err(_) => return,
        },
        Format::Text => match DelimitedTable::parse(data, "数据") {
            Ok(s) => Box::new(s),
            Err(_) => return,
        },
    };
    let flat = source.flat();
    let opened = if flat {
        zhili::station::StationFile::flat(source.as_mut())
    } else {
        zhili::station::StationFile::open(source.as_mut())
    };
    if let Ok(mut file) = opened {
        if flat {
            let _ = file.scan_flat();
        }
        let mut rows = 0usize;
        let _ = file.read_rows(|_, _| rows += 1);
    }
});
