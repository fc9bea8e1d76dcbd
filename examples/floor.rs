//! The performance floor for `zhili score` (issue #7): what no scorer can beat on one thread.
//!
//! ```text
//! cargo run --release --example floor -- PROJECT_DIR REPORT.xlsx
//! ```
//!
//! Prints two times, in seconds:
//! - `read`: every station workbook under PROJECT_DIR/stations read with
//!   calamine's streaming cell reader on one thread, doing nothing else;
//! - `write`: rust_xlsxwriter writing the cells of REPORT.xlsx (a report
//!   `zhili score` wrote) into a new workbook — same sheets, same values, no
//!   formats, low-memory worksheets for the big ones. The report is loaded
//!   before the clock starts.

use calamine::{Data, DataRef, Reader, Xlsx};
use rust_xlsxwriter::Workbook;
use std::hint::black_box;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xlsx") {
            out.push(p);
        }
    }
}

fn read_all(paths: &[PathBuf]) -> usize {
    let mut cells = 0usize;
    for p in paths {
        let bytes = std::fs::read(p).expect("readable");
        let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
        for name in x.sheet_names() {
            let mut r = x.worksheet_cells_reader(&name).expect("sheet");
            while let Some(c) = r.next_cell().expect("cell") {
                if !matches!(c.get_value(), DataRef::Empty) {
                    cells += 1;
                }
                black_box(&c);
            }
        }
    }
    cells
}

fn load_report(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(path).expect("report"))).expect("xlsx");
    x.sheet_names()
        .into_iter()
        .map(|n| {
            let r = x.worksheet_range(&n).expect("sheet");
            (n, r.rows().map(<[Data]>::to_vec).collect())
        })
        .collect()
}

fn write_all(sheets: &[(String, Vec<Vec<Data>>)]) -> usize {
    let mut wb = Workbook::new();
    let mut cells = 0;
    for (name, rows) in sheets {
        let ws = if rows.len() > 10_000 { wb.add_worksheet_with_low_memory().expect("ws") } else { wb.add_worksheet() };
        ws.set_name(name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    Data::Float(f) => {
                        ws.write_number(r, c, *f).expect("n");
                    }
                    Data::Int(i) => {
                        ws.write_number(r, c, *i as f64).expect("n");
                    }
                    Data::String(s) => {
                        ws.write_string(r, c, s).expect("s");
                    }
                    _ => continue,
                }
                cells += 1;
            }
        }
    }
    black_box(wb.save_to_buffer().expect("save"));
    cells
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, report] = &args[..] else {
        eprintln!("usage: floor PROJECT_DIR REPORT.xlsx");
        std::process::exit(2);
    };
    let mut paths = Vec::new();
    files(&Path::new(dir).join("stations"), &mut paths);
    paths.sort();
    let t = Instant::now();
    let read_cells = read_all(&paths);
    let read = t.elapsed().as_secs_f64();
    let sheets = load_report(Path::new(report));
    let t = Instant::now();
    let written = write_all(&sheets);
    let write = t.elapsed().as_secs_f64();
    println!("read {read:.3} s ({read_cells} cells in {} files)", paths.len());
    println!("write {write:.3} s ({written} cells)");
    println!("floor {:.3} s", read + write);
}
