//! What scoring does with one run, whichever command scored it: stage its result files, its documents and
//! its per-unit reports (only staged: `files::Staged` writes them all or none), and score its trend.

use super::files;
use crate::analysis::trend;
use crate::period::{Cadence, Period};
use crate::record::Loaded;
use crate::report::excel::{self, Provenance};
use crate::report::{json, unit};
use crate::run::{Run, TrendPoint};
use anyhow::{Context as _, Result, anyhow};
use std::path::{Path, PathBuf};

/// Where one run's result files go.
pub(super) struct Outputs {
    pub json: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
    pub html: Option<PathBuf>,
    pub public: bool,
}

/// Renders a run's JSON, page and Excel report into `staged`. The page comes before the report: its facts
/// then reuse the memory the JSON's document freed, and the report's pieces never sit beside them (peak RSS,
/// docs/performance.md).
pub(super) fn stage_outputs(
    staged: &mut files::Staged,
    run: &Run,
    prov: &Provenance,
    out: &Outputs,
    t: &mut super::Timings,
) -> Result<()> {
    if let Some(path) = &out.json {
        staged.with(path, |f| json::render_to(run, std::io::BufWriter::new(f)).context("写出 JSON 失败"))?;
        t.mark("json");
    }
    if let Some(path) = &out.html {
        staged.with(path, |f| {
            let mut w = std::io::BufWriter::new(f);
            crate::report::html::run_page_to(run, prov, out.public, &mut w).context("写出网页失败")?;
            std::io::Write::flush(&mut w).context("写出网页失败")
        })?;
        t.mark("html");
    }
    if let Some(path) = &out.xlsx {
        staged.with(path, |f| {
            let clipped = excel::render_to(run, prov, std::io::BufWriter::new(f)).context("生成 Excel 报告失败")?;
            if clipped > 0 {
                eprintln!(
                    "zhili: 警告: {clipped} 个单元格的文字超过 Excel 单元格上限 (32,767 字),报告中已截断并注明原文长度;原始文件中的全文不受影响"
                );
            }
            Ok(())
        })?;
        t.mark("xlsx");
    }
    Ok(())
}

/// Drafts a run's warning documents into `dir` (docs/notices.md).
pub(super) fn stage_notices(
    staged: &mut files::Staged,
    run: &Run,
    prov: &Provenance,
    dir: &Path,
    pdir: Option<&Path>,
    ledger: Option<&crate::ledger::Ledger>,
) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let issuer = prov.issuer.clone().unwrap_or_else(|| "(发文机关)".into());
    let date = crate::xlsx::write::local_date(prov.time, prov.utc_offset);
    let time = crate::xlsx::write::iso_utc(prov.time);
    let templates = notice_templates(pdir)?;
    let drafting = crate::report::notice::Drafting { ledger, issuer, date, time, templates };
    let docs = crate::report::notice::all(run, &drafting).map_err(|e| anyhow!("起草文书失败: {e}"))?;
    for (name, bytes) in &docs {
        staged.bytes(&dir.join(name), bytes)?;
    }
    Ok(())
}

/// Each unit's 体检报告, at the paths given in roster order: rendered on every core a batch at a time (a
/// report is held only until it is staged), staged in roster order. The bytes do not depend on the threads.
pub(super) fn stage_per_unit(
    staged: &mut files::Staged,
    run: &Run,
    prov: &Provenance,
    paths: &[PathBuf],
) -> Result<()> {
    use rayon::prelude::*;
    const BATCH: usize = 64;
    if paths.is_empty() {
        return Ok(());
    }
    let shared = unit::Shared::new(run);
    let units: Vec<_> = run.eval.units.iter().zip(paths).collect();
    // A batch is written (and synced) to disk while the next one is rendered on every core.
    std::thread::scope(|scope| -> Result<()> {
        let mut done: Option<(&[_], Vec<_>)> = None;
        for batch in units.chunks(BATCH) {
            let rendering =
                scope.spawn(|| batch.par_iter().map(|(e, _)| unit::render(run, &shared, e, prov)).collect::<Vec<_>>());
            if let Some((written, rendered)) = done.take() {
                write_batch(staged, written, rendered)?;
            }
            let rendered = rendering.join().map_err(|_| anyhow!("内部错误:生成体检报告的线程中止"))?;
            done = Some((batch, rendered));
        }
        if let Some((written, rendered)) = done {
            write_batch(staged, written, rendered)?;
        }
        Ok(())
    })
}

fn write_batch(
    staged: &mut files::Staged,
    batch: &[(&crate::engine::UnitEval, &PathBuf)],
    rendered: Vec<Result<Vec<u8>, rust_xlsxwriter::XlsxError>>,
) -> Result<()> {
    for ((_, path), bytes) in batch.iter().zip(rendered) {
        staged.bytes(path, &bytes.context("生成体检报告失败")?)?;
    }
    Ok(())
}

/// The project's own document templates: `文书模板/<文书名称>.txt` in the project directory (docs/notices.md).
pub fn notice_templates(pdir: Option<&Path>) -> Result<Vec<(String, String, String)>> {
    let Some(dir) = pdir.map(|d| d.join(crate::report::notice::TEMPLATE_DIR)) else { return Ok(Vec::new()) };
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let kind = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let text = String::from_utf8(files::read(&path)?)
                .map_err(|_| anyhow!("{}: 不是 UTF-8 编码的文本", path.display()))?;
            out.push((kind, text, path.display().to_string()));
        }
    }
    out.sort();
    Ok(out)
}

/// `--trend`: every sub-period of the window scored as its own window (`analysis::trend`).
pub(super) fn trend(
    trend: Option<&str>,
    window: Period,
    set: &crate::indicators::IndicatorSet,
    roster: &crate::roster::Roster,
    loaded: &Loaded,
) -> Result<Vec<TrendPoint>> {
    let Some(unit) = trend else { return Ok(Vec::new()) };
    let granularity = match unit {
        "half" => Cadence::Half,
        "month" => Cadence::Month,
        _ => Cadence::Quarter,
    };
    if let Some(cycle) = set.cycle
        && granularity < cycle
    {
        return Err(anyhow!(
            "--trend {unit}: 子期间 ({}) 短于指标体系的评价周期 ({});请用 --trend {} 或更长",
            granularity.label(),
            cycle.label(),
            cycle.code()
        ));
    }
    trend::sub_periods(set, roster, loaded, window, granularity)
        .ok_or_else(|| anyhow!("--trend {unit}: 评价期间 {window} 不能再按此细分"))
}
