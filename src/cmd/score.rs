//! `zhili score`: score one evaluation window and write the results (SPEC §4, §5).

use super::files;
use crate::cli::exit;
use crate::engine;
use crate::indicators::{self, IndicatorSet};
use crate::period::Period;
use crate::project::{self, ProjectFile};
use crate::records::{self, Context};
use crate::report::{Run, json, summary};
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

  # 指定项目目录,并把 JSON 结果写到别处
  zhili score examples/quickstart --period 2024Q1 --json q1.json

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
    /// The project's output directory, created when needed.
    output_dir: Option<PathBuf>,
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
    let json = args.json.clone().or_else(|| p.output.as_ref().map(|o| o.join(format!("{window}.json"))));
    Ok(Plan {
        project_dir: project.as_ref().map(|p: &ProjectFile| p.dir.clone()),
        window,
        indicators,
        roster,
        globs,
        json,
        output_dir: if args.json.is_none() { p.output } else { None },
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
    let roster = load_roster(&plan.roster, &project::display(&plan.roster, pdir), &set)?;
    let data = project::expand(&plan.globs)?;

    let mut inputs = vec![plan.indicators.clone(), plan.roster.clone()];
    inputs.extend(data.iter().cloned());
    let outputs: Vec<PathBuf> = plan.json.iter().cloned().collect();
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
    if let Some(path) = &plan.json {
        if let Some(dir) = &plan.output_dir {
            std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
        }
        files::write_atomic(path, &json::render(&run))?;
    }
    if !args.quiet {
        print!("{}", summary::render(&run, color));
        if let Some(path) = &plan.json {
            println!("JSON 结果: {}", path.display());
        }
    }
    Ok(if run.has_errors() { exit::DATA_ERRORS } else { exit::OK })
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
