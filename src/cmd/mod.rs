//! One module per subcommand: its arguments, help text and orchestration. Only here are files touched.
//!
//! This file holds what the commands share: the input flags, loading the
//! indicator set and roster with every problem listed, and reading the
//! station workbooks with a progress bar.

/// Prints a line on stdout made inert for the terminal (`text::inert_lines`):
/// what commands say may hold names and paths from their inputs.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", $crate::text::inert_lines(&format!($($arg)*)))
    };
}

pub mod check;
pub mod dashboard;
pub mod diff;
pub mod files;
pub mod history;
pub mod init;
pub mod multiset;
pub mod notices;
pub mod outcome;
pub mod rollup;
pub mod runs;
pub mod score;
pub mod template;

pub use outcome::Outcome;

use crate::indicators::{self, IndicatorSet};
use crate::record::{Loaded, ReadContext};
use crate::records;
use crate::roster::{self, Roster};
use anyhow::{Result, anyhow};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The inputs every command reads; flags override the project file (docs/commands.md).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// 项目目录 (含 zhili.toml);默认为当前目录 [project directory]
    pub dir: Option<PathBuf>,

    /// 指标体系 TOML (覆盖 zhili.toml 的 indicators)
    #[arg(long, value_name = "F")]
    pub indicators: Option<PathBuf>,

    /// 单位名册 XLSX (覆盖 zhili.toml 的 roster)
    #[arg(long, value_name = "F")]
    pub roster: Option<PathBuf>,

    /// 监测站工作簿的文件模式,可重复 (整体替换 zhili.toml 的 data)
    #[arg(long, value_name = "GLOB")]
    pub data: Vec<String>,
}

/// Where the indicator set comes from: a file, or a set built into zhili
/// (`indicators = "longkou"` when no such file exists; docs/commands.md).
#[derive(Clone, Debug)]
pub enum SetSource {
    File(PathBuf),
    Library(&'static crate::library::Entry),
}

impl SetSource {
    /// A path as written, or a built-in set's name when no such file exists.
    pub fn resolve(path: PathBuf) -> Self {
        let bare = path.extension().is_none() && !path.exists();
        match path.file_name().and_then(|n| n.to_str()).and_then(crate::library::find) {
            Some(entry) if bare => SetSource::Library(entry),
            _ => SetSource::File(path),
        }
    }

    pub fn bytes(&self) -> Result<Vec<u8>> {
        match self {
            SetSource::File(path) => files::read(path).map_err(|e| {
                let names: Vec<&str> = crate::library::LIBRARY.iter().map(|e| e.name).collect();
                anyhow!("{e:#}\n(也可以写内置指标体系的名称: {})", names.join("、"))
            }),
            SetSource::Library(entry) => Ok(entry.toml.as_bytes().to_vec()),
        }
    }

    /// How it is shown to people (说明, messages, the terminal).
    pub fn shown(&self, project_dir: Option<&Path>) -> String {
        match self {
            SetSource::File(path) => files::display(path, project_dir),
            SetSource::Library(entry) => format!("内置指标体系 {}", entry.name),
        }
    }

    /// The file, when it is one (an output must never overwrite it).
    pub fn file(&self) -> Option<&Path> {
        match self {
            SetSource::File(path) => Some(path),
            SetSource::Library(_) => None,
        }
    }
}

/// The resolved inputs.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// The directory of `zhili.toml`, when there is one.
    pub project_dir: Option<PathBuf>,
    pub indicators: SetSource,
    /// `None` when neither a flag nor the project names one (`check` can still check the set).
    pub roster: Option<PathBuf>,
    pub globs: Vec<String>,
    /// The project's `output` directory.
    pub output: Option<PathBuf>,
    /// The project's `[[csv]]` entries.
    pub csv: Vec<crate::project::CsvRule>,
    /// Minutes east of UTC for times shown in reports (`time_zone`, else 北京时间).
    pub utc_offset: i32,
    /// The project's `issuer`, shown under the 摘要 title.
    pub issuer: Option<String>,
    /// The project's `ledger` (问题台账) and `ledger_min_loss`.
    pub ledger: Option<PathBuf>,
    pub ledger_min_loss: Option<rust_decimal::Decimal>,
    /// The project's `area_scale` (docs/areas.md).
    pub area_scale: Option<rust_decimal::Decimal>,
    /// The project's `[[set]]` entries with their sources (docs/multi-set.md); empty for one set.
    /// `--indicators` overrides them: the project is then scored with that one set.
    pub sets: Vec<(crate::project::SetEntry, SetSource)>,
}

impl InputArgs {
    pub fn resolve(&self) -> Result<Inputs> {
        let project = files::find_project(self.dir.as_deref())?;
        let p = project.clone().unwrap_or_default();
        let sets: Vec<(crate::project::SetEntry, SetSource)> = if self.indicators.is_some() {
            Vec::new()
        } else {
            p.sets.iter().map(|e| (e.clone(), SetSource::resolve(e.indicators.clone()))).collect()
        };
        let first = sets.first().map(|(e, _)| e.indicators.clone());
        let indicators = self.indicators.clone().or(p.indicators).or(first).ok_or_else(|| match &project {
            None => anyhow!(
                "当前目录没有 zhili.toml,也没有用 --indicators 指定指标体系;\
                 请在项目目录中运行,或写出项目目录 (如 zhili score 我的项目 --period 2024Q1),或用 zhili init 新建项目"
            ),
            Some(_) => anyhow!("没有指定指标体系: 用 --indicators F 指定,或在 zhili.toml 中写 indicators = \"...\""),
        })?;
        let indicators = SetSource::resolve(indicators);
        let roster = self.roster.clone().or(p.roster);
        let globs = if self.data.is_empty() { p.data } else { self.data.clone() };
        let utc_offset = p.time_zone.unwrap_or(crate::project::DEFAULT_UTC_OFFSET);
        Ok(Inputs {
            project_dir: project.map(|p| p.dir),
            indicators,
            roster,
            globs,
            output: p.output,
            csv: p.csv,
            utc_offset,
            issuer: p.issuer,
            ledger: p.ledger,
            ledger_min_loss: p.ledger_min_loss,
            area_scale: p.area_scale,
            sets,
        })
    }
}

impl Inputs {
    /// The roster, which every command but `check` needs.
    pub fn roster(&self) -> Result<&Path> {
        self.roster
            .as_deref()
            .ok_or_else(|| anyhow!("没有指定单位名册: 用 --roster F 指定,或在 zhili.toml 中写 roster = \"...\""))
    }
}

/// Reads and validates the indicator set; every problem is listed with its line and column.
pub fn load_set(source: &SetSource) -> Result<IndicatorSet> {
    let bytes = source.bytes()?;
    let shown = source.shown(None);
    indicators::parse(&bytes).map_err(|problems| {
        let problems: Vec<_> = problems.into_iter().map(|p| p.in_file(&shown)).collect();
        anyhow!("指标体系 {shown} 有 {} 处错误:\n{}", problems.len(), files::placed_lines(&problems))
    })
}

/// Reads the roster; every problem is listed with its cell. Also returns the
/// file's sha256 (for provenance) so the file is read once.
pub fn load_roster(path: &Path, shown: &str, set: &IndicatorSet) -> Result<(Roster, String)> {
    let bytes = files::read(path)?;
    let sha256 = crate::sha256_hex(&bytes);
    roster::read(&bytes, shown, set).map(|r| (r, sha256)).map_err(|problems| {
        anyhow!("单位名册 {shown} 有 {} 处错误:\n{}", problems.len(), files::placed_lines(&problems))
    })
}

/// A window shorter than the set's cycle cannot be scored (docs/scoring.md, "评价周期").
pub fn check_window(set: &IndicatorSet, window: crate::period::Period) -> Result<()> {
    if let Some(cycle) = set.cycle
        && window.cadence() < cycle
    {
        anyhow::bail!(
            "评价期间 {window} 短于指标体系的评价周期 ({}, cycle = \"{}\"):不能按{}计分;请按{}或更长的期间计分",
            cycle.label(),
            cycle.code(),
            window.cadence().label(),
            cycle.label()
        );
    }
    Ok(())
}

/// No readable station workbook overlapping the window is nothing to score, never a report of empty scores.
pub fn require_data(loaded: &Loaded, window: crate::period::Period) -> Result<()> {
    if loaded.inputs.iter().any(|i| i.readable && i.period.is_some_and(|p| p.overlaps(window))) {
        return Ok(());
    }
    let read = loaded.inputs.len();
    anyhow::bail!(
        "没有任何可读的监测站文件覆盖评价期间 {window} (读取了 {read} 个数据文件);没有可计分的数据,未写出任何文件"
    )
}

/// The report time: SOURCE_DATE_EPOCH when set (reproducible builds), else now.
pub fn timestamp() -> Result<i64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => {
            v.trim().parse().map_err(|_| anyhow!("SOURCE_DATE_EPOCH 必须是整数秒 (Unix 时间戳),现在是 \"{v}\""))
        }
        _ => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()),
    }
}

/// Phase timings on stderr when `ZHILI_TIMINGS` is set (for the benchmark harness).
pub struct Timings {
    on: bool,
    last: Instant,
}

impl Timings {
    pub fn new() -> Self {
        Timings { on: std::env::var_os("ZHILI_TIMINGS").is_some(), last: Instant::now() }
    }

    /// Reports the time since the previous mark under `phase`.
    pub fn mark(&mut self, phase: &str) {
        if self.on {
            // Current and peak resident memory, where the system reports them (Linux).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let kb = |key: &str| status.lines().find_map(|l| l.strip_prefix(key)).map(|v| v.trim().to_string());
            let mem = match (kb("VmRSS:"), kb("VmHWM:")) {
                (Some(rss), Some(peak)) => format!(" rss {rss} peak {peak}"),
                _ => String::new(),
            };
            eprintln!("zhili-timing {phase} {:.3}{mem}", self.last.elapsed().as_secs_f64());
        }
        self.last = Instant::now();
    }
}

impl Default for Timings {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads every station workbook (each failure becomes a `bad_workbook`
/// issue) and puts them in reading order.
pub fn load_data(ctx: ReadContext, paths: &[PathBuf], inputs: &Inputs, quiet: bool) -> Loaded {
    let project_dir = inputs.project_dir.as_deref();
    // Each file's `[[csv]]` entry: the first whose pattern matches its path.
    let patterns: Vec<(glob::Pattern, &crate::project::CsvRule)> =
        inputs.csv.iter().filter_map(|r| glob::Pattern::new(&r.files).ok().map(|p| (p, r))).collect();
    let rule_for = |path: &Path| patterns.iter().find(|(p, _)| p.matches_path(path)).map(|(_, r)| *r);
    use rayon::prelude::*;
    let progress = Progress::new(paths.len() as u64, quiet);
    // Workbooks are read in parallel; `assemble` restores the reading order,
    // so the thread count never changes a result.
    let results = paths
        .par_iter()
        .map(|path| {
            let shown = files::display(path, project_dir);
            let result = match std::fs::read(path) {
                Ok(bytes) => records::read_file(ctx, &shown, &bytes, rule_for(path)),
                Err(e) => records::unreadable(&shown, "", &format!("无法读取文件: {e}")),
            };
            progress.step(&shown);
            result
        })
        .collect();
    progress.finish();
    records::assemble(ctx, results)
}

/// A progress bar on stderr that appears only on a terminal and only once
/// loading has taken a noticeable time.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
}

impl Progress {
    const DELAY: Duration = Duration::from_millis(300);

    fn new(len: u64, quiet: bool) -> Self {
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("读取工作簿 {bar:30} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        Progress { bar, started: Instant::now(), enabled: !quiet && std::io::stderr().is_terminal() }
    }

    fn step(&self, file: &str) {
        if self.enabled && self.bar.is_hidden() && self.started.elapsed() > Self::DELAY {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.set_message(file.to_string());
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The columns terminal tables are fitted to: `COLUMNS` when set, else the terminal's own
/// width when stdout is one, else 80 (a pipe or a file).
pub fn terminal_width() -> usize {
    let from_env = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c >= 20);
    from_env
        .or_else(|| comfy_table::Table::new().width().map(usize::from))
        .unwrap_or(crate::report::term::DEFAULT_WIDTH)
}
