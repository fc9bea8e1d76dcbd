//! `zhili score` in a project of several indicator sets (docs/multi-set.md): each set scores the units of its
//! categories from the same station files, writes its own result, and one picture puts them side by side.

use super::runs::{Outputs, stage_notices, stage_outputs, stage_per_unit, trend};
use super::{Inputs, Outcome, files, load_data, load_set, timestamp};
use crate::indicators::IndicatorSet;
use crate::issue::Severity;
use crate::period::Period;
use crate::record::{Foreign, ReadContext};
use crate::report::excel::{self, Provenance};
use crate::report::{json, summary, unit};
use crate::roster::{self, Roster};
use crate::run::Run;
use anyhow::{Context as _, Result, anyhow, bail};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// `path` with `-<key>` before its extension: `reports/2024.json` → `reports/2024-village.json`.
fn keyed(path: &Path, key: &str) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{key}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{key}"),
    };
    path.with_file_name(name)
}

/// The other sets' units and the stations only they have, for reading set `i`'s data.
pub(super) fn foreign(sets: &[&IndicatorSet], rosters: &[Roster], i: usize) -> Result<Foreign> {
    let units = rosters.iter().enumerate().filter(|(j, _)| *j != i).flat_map(|(_, r)| r.units.iter().cloned());
    let units = Roster::new(units.collect()).map_err(|e| anyhow!(e))?;
    let stations = sets
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .flat_map(|(_, s)| s.stations.iter())
        .filter(|st| sets[i].station(&st.code).is_none() && sets[i].station(&st.name).is_none())
        .flat_map(|st| [st.code.clone(), st.name.clone()])
        .collect();
    Ok(Foreign { units, stations })
}

/// What `score` was asked for, resolved (flags and project file).
pub(super) struct Job<'a> {
    pub inputs: &'a Inputs,
    pub window: Period,
    /// The picture's files; each set's go beside them, named by its key.
    pub json: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
    pub html: Option<PathBuf>,
    /// Directories to create before writing.
    pub dirs: &'a [PathBuf],
    /// A ledger or --previous was asked for (not yet for several sets).
    pub follow_up: bool,
    pub per_unit: Option<PathBuf>,
    pub notices: Option<PathBuf>,
    pub public: bool,
    pub strict: bool,
    pub quiet: bool,
    pub trend: Option<&'a str>,
    /// The options that decide the result (the report's 说明).
    pub options: Vec<(String, String)>,
    pub max_rows: Option<u32>,
}

pub(super) fn score(job: &Job, t: &mut super::Timings) -> Result<Outcome> {
    let input = job.inputs;
    let pdir = input.project_dir.as_deref();
    if job.follow_up {
        bail!(
            "多套指标体系 ([[set]]) 的项目还不支持问题台账 (ledger) 和 --previous;请分别对各套的结果使用 (docs/multi-set.md)"
        );
    }
    let mut sets = Vec::new();
    for (entry, source) in &input.sets {
        let set = load_set(source)?;
        super::check_window(&set, job.window).with_context(|| format!("[[set]] {}", entry.key))?;
        for c in &entry.categories {
            if set.category(c).is_none() {
                let known: Vec<String> = set.categories.iter().map(|c| format!("{} ({})", c.code, c.name)).collect();
                bail!(
                    "zhili.toml [[set]] {}: 类别 \"{c}\" 不在指标体系“{}”中;它的类别: {}",
                    entry.key,
                    set.name,
                    known.join("、")
                );
            }
        }
        sets.push(set);
    }
    let roster_path = input.roster()?;
    let roster_shown = files::display(roster_path, pdir);
    let bytes = files::read(roster_path)?;
    let roster_sha256 = crate::sha256_hex(&bytes);
    let parts: Vec<roster::Part> = sets
        .iter()
        .zip(&input.sets)
        .map(|(set, (entry, _))| roster::Part { set, categories: Some(&entry.categories) })
        .collect();
    let rosters = roster::read_split(&bytes, &roster_shown, &parts).map_err(|problems| {
        anyhow!("单位名册 {roster_shown} 有 {} 处错误:\n{}", problems.len(), files::placed_lines(&problems))
    })?;
    let data = files::expand(&input.globs)?;
    let time = timestamp()?;

    // Every output path, before anything is read from the stations.
    let keys: Vec<&str> = input.sets.iter().map(|(e, _)| e.key.as_str()).collect();
    let outs: Vec<Outputs> = keys
        .iter()
        .map(|k| Outputs {
            json: job.json.as_deref().map(|p| keyed(p, k)),
            xlsx: job.xlsx.as_deref().map(|p| keyed(p, k)),
            html: job.html.as_deref().map(|p| keyed(p, k)),
            public: job.public,
        })
        .collect();
    let per_unit: Vec<Vec<PathBuf>> = rosters
        .iter()
        .map(|r| match &job.per_unit {
            Some(dir) => r.units.iter().map(|u| dir.join(unit::file_name(&u.code, &u.name))).collect(),
            None => Vec::new(),
        })
        .collect();
    let mut outputs: Vec<PathBuf> = job.json.iter().chain(job.xlsx.iter()).cloned().collect();
    for o in &outs {
        outputs.extend(o.json.iter().chain(o.xlsx.iter()).chain(o.html.iter()).cloned());
    }
    outputs.extend(per_unit.iter().flatten().cloned());
    let mut inputs: Vec<PathBuf> = input.sets.iter().filter_map(|(_, s)| s.file().map(Path::to_path_buf)).collect();
    inputs.push(roster_path.to_path_buf());
    inputs.extend(data.iter().cloned());
    files::refuse_overwriting_inputs(&outputs, &inputs)?;
    files::refuse_colliding_outputs(&outputs, &job.per_unit.iter().cloned().collect::<Vec<_>>())?;
    t.mark("setup");

    // Each set reads the same files; what belongs to the others is passed over.
    let mut scored = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        if rosters[i].units.is_empty() {
            eprintln!("zhili: 注意: 名册中没有 [[set]] {} 评价的类别的单位,这套指标体系不计分", keys[i]);
            continue;
        }
        let refs: Vec<&IndicatorSet> = sets.iter().collect();
        let foreign = foreign(&refs, &rosters, i)?;
        let ctx = ReadContext { foreign: Some(&foreign), ..ReadContext::new(set, &rosters[i], job.window) };
        let loaded = load_data(ctx, &data, input, job.quiet);
        super::require_data(&loaded, job.window).with_context(|| format!("[[set]] {}", keys[i]))?;
        let eval = crate::engine::evaluate(set, &rosters[i], &loaded.records, job.window);
        let trend = trend(job.trend, job.window, set, &rosters[i], &loaded)?;
        scored.push((i, loaded, eval, trend));
    }
    if scored.is_empty() {
        bail!("名册中没有任何一套指标体系 ([[set]]) 评价的单位");
    }
    t.mark("score");
    let runs: Vec<(usize, Run)> = scored
        .iter()
        .map(|(i, loaded, eval, trend)| {
            let run = Run { trend, area_scale: input.area_scale, ..Run::new(&sets[*i], &rosters[*i], loaded, eval) };
            (*i, run)
        })
        .collect();

    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if job.strict && runs.iter().any(|(_, r)| r.has_errors()) {
        let n: usize = runs.iter().map(|(_, r)| r.issues().filter(|i| i.severity() == Severity::Error).count()).sum();
        if !job.quiet {
            for (i, run) in &runs {
                println!("【{}】", keys[*i]);
                print!("{}", summary::render(run, color, super::terminal_width()));
            }
        }
        eprintln!("zhili: --strict: 发现 {n} 条错误级数据问题,未写出任何文件");
        return Ok(Outcome::Failed);
    }

    for dir in job.dirs {
        std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    }
    let mut staged = files::Staged::new();
    let mut parts = Vec::new();
    for (i, run) in &runs {
        let (entry, source) = &input.sets[*i];
        let prov = Provenance {
            time,
            utc_offset: input.utc_offset,
            issuer: input.issuer.clone(),
            indicators: (source.shown(pdir), sets[*i].sha256.clone()),
            roster: (roster_shown.clone(), roster_sha256.clone()),
            options: job.options.clone(),
            max_rows: job.max_rows,
        };
        stage_outputs(&mut staged, run, &prov, &outs[*i], t)?;
        if let Some(dir) = &job.notices {
            stage_notices(&mut staged, run, &prov, &dir.join(&entry.key), pdir, None)?;
        }
        stage_per_unit(&mut staged, run, &prov, &per_unit[*i])?;
        let shown = outs[*i].json.as_deref().map(|p| files::display(p, pdir));
        parts.push((entry.key.as_str(), json::document(run), shown));
    }
    // The picture of all: areas on area_scale, else the sets' common scale, else 100.
    let scale = input.area_scale.unwrap_or_else(|| {
        let first = sets[runs[0].0].scale;
        if runs.iter().all(|(i, _)| sets[*i].scale == first) { first } else { rust_decimal::Decimal::ONE_HUNDRED }
    });
    let first = &sets[runs[0].0];
    let views: Vec<crate::analysis::sets::Part> = parts
        .iter()
        .map(|(key, doc, result)| crate::analysis::sets::Part { key, doc, result: result.clone() })
        .collect();
    let picture = crate::analysis::sets::combine(&views, scale, first.decimals);
    if let Some(path) = &job.json {
        let mut text = serde_json::to_string_pretty(&picture).context("写出 JSON 失败")?;
        text.push('\n');
        staged.bytes(path, text.as_bytes())?;
    }
    if let Some(path) = &job.xlsx {
        let levels = &parts[0].1.indicator_set.warnings;
        let fills = excel::level_fills(first);
        let issuer = input.issuer.as_deref();
        let bytes = crate::report::sets::render(&picture, levels, fills, time, issuer, first.decimals)
            .context("生成综合报告失败")?;
        staged.bytes(path, &bytes)?;
    }
    staged.commit()?;
    t.mark("commit");

    if !job.quiet {
        for (i, run) in &runs {
            say!("【{}】{}", keys[*i], sets[*i].name);
            print!("{}", summary::render(run, color, super::terminal_width()));
        }
        let levels = &parts[0].1.indicator_set.warnings;
        print!("{}", crate::report::sets::terminal(&picture, levels, color, super::terminal_width()));
        for o in &outs {
            for path in o.json.iter().chain(o.xlsx.iter()).chain(o.html.iter()) {
                say!("已写出: {}", path.display());
            }
        }
        for path in job.json.iter().chain(job.xlsx.iter()) {
            say!("已写出 (综合): {}", path.display());
        }
    }
    Ok(if runs.iter().any(|(_, r)| r.has_errors()) { Outcome::DataErrors } else { Outcome::Ok })
}

#[cfg(test)]
mod tests {
    use super::keyed;
    use std::path::Path;

    #[test]
    fn each_sets_file_is_named_by_its_key() {
        assert_eq!(keyed(Path::new("reports/2024Q4.json"), "village"), Path::new("reports/2024Q4-village.json"));
        assert_eq!(keyed(Path::new("r.公开.html"), "v"), Path::new("r.公开-v.html"));
        assert_eq!(keyed(Path::new("out"), "v"), Path::new("out-v"));
    }
}
