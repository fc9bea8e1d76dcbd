//! `zhili score`: score one evaluation window and write the results (SPEC §4, §5).

use super::files;
use crate::cli::exit;
use crate::engine;
use crate::indicators::{self, IndicatorSet};
use crate::period::Period;
use crate::project::{self, ProjectFile};
use crate::records::{self, Context};
use crate::report::excel::{self, Provenance};
use crate::report::{Run, json, summary, unit};
use crate::roster::{self, Roster};
use anyhow::{Context as _, Result, anyhow};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const EXAMPLES: &str = "\
Examples:
  # 在项目目录 (含 zhili.toml) 中计算 2024 年第一季度
  zhili score --period 2024Q1

  # 指定项目目录,并把 JSON 结果和 Excel 报告写到别处
  zhili score examples/quickstart --period 2024Q1 --json q1.json --out q1.xlsx

  # 另外为每个单位生成一份只含本单位数据的体检报告
  zhili score --period 2024Q1 --per-unit reports/体检报告

  # 可复现: 两次运行得到逐字节相同的 XLSX 和 JSON
  SOURCE_DATE_EPOCH=1711929600 zhili score --period 2024Q1

  # 不用项目文件,全部由参数给出
  zhili score --period 2024年上半年 --indicators set.toml --roster 单位名册.xlsx \\
              --data 'stations/**/*.xlsx' --json 2024H1.json

  # 批处理: 有错误级数据问题时失败 (退出码 1) 且不写任何文件
  zhili score --period 2024 --strict --quiet

Exit status: 0 ok; 1 failure, nothing written; 3 results written but data errors found.";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// 项目目录 (含 zhili.toml);默认为当前目录 [project directory]
    pub dir: Option<PathBuf>,

    /// 评价期间: 2024、2024H1、2024Q1、2024-03、2024年第一季度、2024年3月 …
    #[arg(long, short = 'p', value_name = "P")]
    pub period: String,

    /// 指标体系 TOML (覆盖 zhili.toml 的 indicators)
    #[arg(long, value_name = "F")]
    pub indicators: Option<PathBuf>,

    /// 单位名册 XLSX (覆盖 zhili.toml 的 roster)
    #[arg(long, value_name = "F")]
    pub roster: Option<PathBuf>,

    /// 监测站工作簿的文件模式,可重复 (整体替换 zhili.toml 的 data)
    #[arg(long, value_name = "GLOB")]
    pub data: Vec<String>,

    /// 把 JSON 结果写到此文件 (默认: 项目 output 目录下的 <P>.json)
    #[arg(long, value_name = "F.json")]
    pub json: Option<PathBuf>,

    /// 把 Excel 报告写到此文件 (默认: 项目 output 目录下的 <P>.xlsx)
    #[arg(long, value_name = "F.xlsx")]
    pub out: Option<PathBuf>,

    /// 为每个单位写一份只含本单位数据的体检报告到此目录
    #[arg(long, value_name = "DIR")]
    pub per_unit: Option<PathBuf>,

    /// Rows per sheet before continuing on a new sheet (testing aid; default: Excel's 1,048,576)
    #[arg(long, hide = true, value_name = "N")]
    pub max_sheet_rows: Option<u32>,

    /// 发现错误级数据问题时以退出码 1 结束,且不写任何文件
    #[arg(long)]
    pub strict: bool,

    /// 不打印终端摘要
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Everything `score` reads, resolved from flags and the project file.
struct Plan {
    project_dir: Option<PathBuf>,
    window: Period,
    indicators: PathBuf,
    roster: PathBuf,
    globs: Vec<String>,
    json: Option<PathBuf>,
    xlsx: Option<PathBuf>,
    /// Directories to create before writing: the project's output directory, --per-unit.
    dirs: Vec<PathBuf>,
}

fn plan(args: &Args) -> Result<Plan> {
    let project = project::find(args.dir.as_deref())?;
    let p = project.clone().unwrap_or_default();
    let window = Period::parse(&args.period).map_err(|e| anyhow!("--period: {e}"))?;
    let indicators =
        args.indicators.clone().or(p.indicators).ok_or_else(|| {
            anyhow!("没有指定指标体系: 用 --indicators F 指定,或在 zhili.toml 中写 indicators = \"...\"")
        })?;
    let roster = args
        .roster
        .clone()
        .or(p.roster)
        .ok_or_else(|| anyhow!("没有指定单位名册: 用 --roster F 指定,或在 zhili.toml 中写 roster = \"...\""))?;
    let globs = if args.data.is_empty() { p.data } else { args.data.clone() };
    let default = |ext: &str| p.output.as_ref().map(|o| o.join(format!("{window}.{ext}")));
    let json = args.json.clone().or_else(|| default("json"));
    let xlsx = args.out.clone().or_else(|| default("xlsx"));
    let mut dirs = Vec::new();
    if let Some(o) = &p.output
        && (args.json.is_none() || args.out.is_none())
    {
        dirs.push(o.clone());
    }
    dirs.extend(args.per_unit.clone());
    Ok(Plan {
        project_dir: project.as_ref().map(|p: &ProjectFile| p.dir.clone()),
        window,
        indicators,
        roster,
        globs,
        json,
        xlsx,
        dirs,
    })
}

/// Reads and validates the indicator set; every problem is listed with its line and column.
pub fn load_set(path: &Path) -> Result<IndicatorSet> {
    let bytes = files::read(path)?;
    indicators::parse(&bytes).map_err(|problems| {
        let lines: Vec<String> =
            problems.iter().map(|p| format!("{}:{}:{}: {}", path.display(), p.line, p.col, p.message)).collect();
        anyhow!("指标体系 {} 有 {} 处错误:\n{}", path.display(), problems.len(), lines.join("\n"))
    })
}

/// Reads the roster; every problem is listed with its cell.
pub fn load_roster(path: &Path, shown: &str, set: &IndicatorSet) -> Result<Roster> {
    let bytes = files::read(path)?;
    roster::read(&bytes, shown, set)
        .map_err(|problems| anyhow!("单位名册 {shown} 有 {} 处错误:\n{}", problems.len(), problems.join("\n")))
}

pub fn run(args: Args) -> Result<u8> {
    let plan = plan(&args)?;
    let pdir = plan.project_dir.as_deref();
    let set = load_set(&plan.indicators)?;
    let roster_shown = project::display(&plan.roster, pdir);
    let roster = load_roster(&plan.roster, &roster_shown, &set)?;
    let data = project::expand(&plan.globs)?;
    let time = timestamp()?;

    // Every output path is known before anything is read from the stations.
    let per_unit: Vec<PathBuf> = match &args.per_unit {
        Some(dir) => roster.units.iter().map(|u| dir.join(unit::file_name(&u.code, &u.name))).collect(),
        None => Vec::new(),
    };
    let mut inputs = vec![plan.indicators.clone(), plan.roster.clone()];
    inputs.extend(data.iter().cloned());
    let mut outputs: Vec<PathBuf> = plan.json.iter().chain(plan.xlsx.iter()).cloned().collect();
    outputs.extend(per_unit.iter().cloned());
    files::refuse_overwriting_inputs(&outputs, &inputs)?;

    let ctx = Context { set: &set, roster: &roster, window: plan.window };
    let progress = Progress::new(data.len() as u64, args.quiet);
    let results = data
        .iter()
        .map(|path| {
            let shown = project::display(path, pdir);
            let result = match std::fs::read(path) {
                Ok(bytes) => records::read_file(ctx, &shown, &bytes),
                Err(e) => records::unreadable(&shown, "", &format!("无法读取文件: {e}")),
            };
            progress.step(&shown);
            result
        })
        .collect();
    progress.finish();
    let loaded = records::assemble(ctx, results);
    let eval = engine::evaluate(&set, &roster, &loaded.records, plan.window);
    let run = Run { set: &set, roster: &roster, loaded: &loaded, eval: &eval };

    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if args.strict && run.has_errors() {
        if !args.quiet {
            print!("{}", summary::render(&run, color));
        }
        let n = run.issues().filter(|i| i.severity() == crate::issue::Severity::Error).count();
        eprintln!("zhili: --strict: 发现 {n} 条错误级数据问题,未写出任何文件");
        return Ok(exit::FAILURE);
    }

    // Render everything, then write: a rendering failure leaves nothing behind.
    let prov = Provenance {
        time,
        indicators: (project::display(&plan.indicators, pdir), set.sha256.clone()),
        roster: (roster_shown, files::read(&plan.roster).map(|b| crate::sha256_hex(&b)).unwrap_or_default()),
        options: options(&args, plan.window),
        max_rows: args.max_sheet_rows,
    };
    let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if let Some(path) = &plan.json {
        writes.push((path.clone(), json::render(&run)));
    }
    if let Some(path) = &plan.xlsx {
        writes.push((path.clone(), excel::render(&run, &prov).context("生成 Excel 报告失败")?));
    }
    for (e, path) in eval.units.iter().zip(&per_unit) {
        writes.push((path.clone(), unit::render(&run, e, &prov).context("生成体检报告失败")?));
    }
    for dir in &plan.dirs {
        std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    }
    for (path, bytes) in &writes {
        files::write_atomic(path, bytes)?;
    }

    if !args.quiet {
        print!("{}", summary::render(&run, color));
        for path in plan.json.iter().chain(plan.xlsx.iter()) {
            println!("已写出: {}", path.display());
        }
        if let Some(dir) = &args.per_unit {
            println!("已写出: {} 份体检报告到 {}", per_unit.len(), dir.display());
        }
    }
    Ok(if run.has_errors() { exit::DATA_ERRORS } else { exit::OK })
}

/// The report time: SOURCE_DATE_EPOCH when set (reproducible builds), else now.
fn timestamp() -> Result<i64> {
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

/// The options that decide the result, as given (output locations are left out,
/// so a rerun into another directory gives the same bytes).
fn options(args: &Args, window: Period) -> Vec<(String, String)> {
    let mut o = vec![("--period".to_string(), window.to_string())];
    if let Some(p) = &args.indicators {
        o.push(("--indicators".into(), p.display().to_string()));
    }
    if let Some(p) = &args.roster {
        o.push(("--roster".into(), p.display().to_string()));
    }
    if !args.data.is_empty() {
        o.push(("--data".into(), args.data.join(" ")));
    }
    o
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
