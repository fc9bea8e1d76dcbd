//! `zhili score`: score one evaluation window and write the results (docs/commands.md, docs/report.md).

use super::runs::{self, Outputs, stage_notices, stage_outputs, stage_per_unit};
use super::{InputArgs, Inputs, Outcome, files, load_data, load_roster, load_set, timestamp};
use crate::analysis::ledger as ledger_analysis;
use crate::engine;
use crate::issue::Severity;
use crate::period::Period;
use crate::record::ReadContext;
use crate::report::excel::Provenance;
use crate::report::{readback, summary, unit};
use crate::run::Run;
use anyhow::{Context as _, Result, anyhow};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

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

  # 全年纵向监测 (各季度分别计分) 和整改跟踪 (对照上一期的预警)
  zhili score --period 2024 --trend quarter
  zhili score --period 2024Q2 --previous reports/2024Q1.json

  # 批处理: 有错误级数据问题时失败 (退出码 1) 且不写任何文件
  zhili score --period 2024 --strict --quiet

Exit status: 0 ok; 1 failure, nothing written; 3 results written but data errors found.";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// 评价期间: 2024、2024H1、2024Q1、2024-03、2024年第一季度、2024年3月 …
    #[arg(long, short = 'p', value_name = "P")]
    pub period: String,

    /// 把 JSON 结果写到此文件 (默认: 项目 output 目录下的 <P>.json)
    #[arg(long, value_name = "F.json")]
    pub json: Option<PathBuf>,

    /// 把 Excel 报告写到此文件 (默认: 项目 output 目录下的 <P>.xlsx)
    #[arg(long, value_name = "F.xlsx")]
    pub out: Option<PathBuf>,

    /// 为每个单位写一份只含本单位数据的体检报告到此目录
    #[arg(long, value_name = "DIR")]
    pub per_unit: Option<PathBuf>,

    /// 同时按更细的期间分别计分 (纵向监测): quarter、month 或 half;报告增加“趋势”工作表
    #[arg(long, value_name = "UNIT", value_parser = ["quarter", "month", "half"])]
    pub trend: Option<String>,

    /// 上一期的结果 (JSON 或 Excel 报告);报告增加“整改跟踪”工作表
    #[arg(long, value_name = "F")]
    pub previous: Option<PathBuf>,

    /// 写出离线网页 (总览、排名、单位画像、预警、填报情况、大屏);有项目 output 时默认 <output>/<期间>.html
    #[arg(long, value_name = "F.html")]
    pub html: Option<PathBuf>,

    /// 网页只含结果公开的内容 (单位名称、类别、排名、等级;没有分数);默认文件名 <期间>.公开.html
    #[arg(long)]
    pub public: bool,

    /// 为每个有预警的单位起草文书 (纪检监察建议书、预警通知书、约谈提醒名单,DOCX) 到此目录
    #[arg(long, value_name = "DIR")]
    pub notices: Option<PathBuf>,

    /// 问题台账:不存在时新建,存在时按本期更新 (旧文件另存为带日期的备份);也可在 zhili.toml 写 ledger = "…"
    #[arg(long, value_name = "F.xlsx")]
    pub ledger: Option<PathBuf>,

    /// 台账同时收录失分不少于 X 分的每个扣分点 (叶子指标);也可在 zhili.toml 写 ledger_min_loss = X
    #[arg(long, value_name = "X")]
    pub ledger_min_loss: Option<rust_decimal::Decimal>,

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

/// Where `score` writes, resolved from flags and the project file.
struct Plan {
    pub inputs: Inputs,
    pub window: Period,
    pub json: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
    /// The 问题台账 to create or update.
    pub ledger: Option<PathBuf>,
    /// The dashboard page.
    pub html: Option<PathBuf>,
    /// Directories to create before writing: the project's output directory, --per-unit.
    pub dirs: Vec<PathBuf>,
}

fn plan(args: &Args) -> Result<Plan> {
    let inputs = args.inputs.resolve()?;
    let window = Period::parse(&args.period).map_err(|e| anyhow!("--period: {e}"))?;
    let default = |ext: &str| inputs.output.as_ref().map(|o| o.join(format!("{window}.{ext}")));
    let json = args.json.clone().or_else(|| default("json"));
    let xlsx = args.out.clone().or_else(|| default("xlsx"));
    let mut dirs = Vec::new();
    if let Some(o) = &inputs.output
        && (args.json.is_none() || args.out.is_none() || args.html.is_none())
    {
        dirs.push(o.clone());
    }
    dirs.extend(args.per_unit.clone());
    let ledger = args.ledger.clone().or_else(|| inputs.ledger.clone());
    let html_name = if args.public { format!("{window}.公开.html") } else { format!("{window}.html") };
    let html = args.html.clone().or_else(|| inputs.output.as_ref().map(|o| o.join(html_name)));
    if args.public && html.is_none() {
        return Err(anyhow!("--public 写的是网页:请同时给出 --html F.html (或在 zhili.toml 写 output)"));
    }
    if let Some(x) = args.ledger_min_loss {
        if x <= rust_decimal::Decimal::ZERO {
            return Err(anyhow!("--ledger-min-loss {x}: 必须大于 0"));
        }
        if ledger.is_none() {
            return Err(anyhow!(
                "--ledger-min-loss 只对问题台账起作用:请同时给出 --ledger F.xlsx (或在 zhili.toml 写 ledger)"
            ));
        }
    }
    Ok(Plan { inputs, window, json, xlsx, ledger, html, dirs })
}

pub fn run(args: Args) -> Result<Outcome> {
    let mut t = super::Timings::new();
    let plan = plan(&args)?;
    if !plan.inputs.sets.is_empty() {
        let job = super::multiset::Job {
            inputs: &plan.inputs,
            window: plan.window,
            json: plan.json.clone(),
            xlsx: plan.xlsx.clone(),
            html: plan.html.clone(),
            dirs: &plan.dirs,
            follow_up: plan.ledger.is_some() || args.previous.is_some(),
            per_unit: args.per_unit.clone(),
            notices: args.notices.clone(),
            public: args.public,
            strict: args.strict,
            quiet: args.quiet,
            trend: args.trend.as_deref(),
            options: options(&args, plan.window),
            max_rows: args.max_sheet_rows,
        };
        return super::multiset::score(&job, &mut t);
    }
    let input = &plan.inputs;
    let pdir = input.project_dir.as_deref();
    let set = load_set(&input.indicators)?;
    super::check_window(&set, plan.window)?;
    let roster_path = input.roster()?;
    let roster_shown = files::display(roster_path, pdir);
    let (roster, roster_sha256) = load_roster(roster_path, &roster_shown, &set)?;
    let data = files::expand(&input.globs)?;
    let time = timestamp()?;

    // Every output path is known before anything is read from the stations.
    let per_unit: Vec<PathBuf> = match &args.per_unit {
        Some(dir) => roster.units.iter().map(|u| dir.join(unit::file_name(&u.code, &u.name))).collect(),
        None => Vec::new(),
    };
    let mut inputs: Vec<PathBuf> = input.indicators.file().into_iter().map(std::path::Path::to_path_buf).collect();
    inputs.push(roster_path.to_path_buf());
    inputs.extend(data.iter().cloned());
    inputs.extend(args.previous.iter().cloned());
    let mut outputs: Vec<PathBuf> = plan.json.iter().chain(plan.xlsx.iter()).chain(plan.html.iter()).cloned().collect();
    outputs.extend(per_unit.iter().cloned());
    // The ledger is read and written back: it may not be any other input or output.
    outputs.extend(plan.ledger.iter().cloned());
    files::refuse_overwriting_inputs(&outputs, &inputs)?;
    files::refuse_colliding_outputs(&outputs, &args.per_unit.iter().cloned().collect::<Vec<_>>())?;

    let ctx = ReadContext::new(&set, &roster, plan.window);
    t.mark("setup");
    let loaded = load_data(ctx, &data, input, args.quiet);
    super::require_data(&loaded, plan.window)?;
    t.mark("read");
    let eval = engine::evaluate(&set, &roster, &loaded.records, plan.window);
    let trend = runs::trend(args.trend.as_deref(), plan.window, &set, &roster, &loaded)?;
    let previous = match &args.previous {
        Some(p) => Some(previous_result(p, &set, plan.window)?),
        None => None,
    };
    let run = Run {
        trend: &trend,
        previous: previous.as_ref(),
        area_scale: input.area_scale,
        ..Run::new(&set, &roster, &loaded, &eval)
    };
    t.mark("score");

    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if args.strict && run.has_errors() {
        if !args.quiet {
            print!("{}", summary::render(&run, color, super::terminal_width()));
        }
        let n = run.issues().filter(|i| i.severity() == Severity::Error).count();
        eprintln!("zhili: --strict: 发现 {n} 条错误级数据问题,未写出任何文件");
        return Ok(Outcome::Failed);
    }

    // Render everything, then write: a rendering failure leaves nothing behind.
    let prov = Provenance {
        time,
        utc_offset: input.utc_offset,
        issuer: input.issuer.clone(),
        indicators: (input.indicators.shown(pdir), set.sha256.clone()),
        roster: (roster_shown, roster_sha256),
        options: options(&args, plan.window),
        max_rows: args.max_sheet_rows,
    };
    for dir in &plan.dirs {
        std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    }
    let mut staged = files::Staged::new();
    let out =
        Outputs { json: plan.json.clone(), xlsx: plan.xlsx.clone(), html: plan.html.clone(), public: args.public };
    stage_outputs(&mut staged, &run, &prov, &out, &mut t)?;
    let (ledger_note, ledger) = match &plan.ledger {
        Some(path) => {
            let min_loss = args.ledger_min_loss.or(input.ledger_min_loss);
            let (note, ledger) = stage_ledger(&mut staged, path, &run, &prov, pdir, min_loss)?;
            (Some(note), Some(ledger))
        }
        None => (None, None),
    };
    if let Some(dir) = &args.notices {
        stage_notices(&mut staged, &run, &prov, dir, pdir, ledger.as_ref())?;
        t.mark("notices");
    }
    stage_per_unit(&mut staged, &run, &prov, &per_unit)?;
    if !per_unit.is_empty() {
        t.mark("per-unit");
    }
    staged.commit()?;
    t.mark("commit");

    if !args.quiet {
        if let super::SetSource::Library(entry) = &input.indicators {
            let parts = [format!("指标体系: zhili 内置的 {}", entry.name), format!("({})", entry.title)];
            for line in crate::report::term::pack(&parts, " ", super::terminal_width()) {
                say!("{line}");
            }
        }
        print!("{}", summary::render(&run, color, super::terminal_width()));
        for path in plan.json.iter().chain(plan.xlsx.iter()).chain(plan.html.iter()) {
            say!("已写出: {}", path.display());
        }
        if let Some(dir) = &args.per_unit {
            say!("已写出: {} 份体检报告到 {}", per_unit.len(), dir.display());
        }
        if let Some(dir) = &args.notices {
            say!("已起草文书到 {}", dir.display());
        }
        if let Some(note) = &ledger_note {
            say!("{note}");
        }
    }
    Ok(if run.has_errors() { Outcome::DataErrors } else { Outcome::Ok })
}

/// Reads the ledger at `path` (a new one when absent), brings it up to the run's window and stages it,
/// with the previous file staged as a dated backup beside it. Returns what to tell the user.
fn stage_ledger(
    staged: &mut files::Staged,
    path: &Path,
    run: &Run,
    prov: &Provenance,
    pdir: Option<&Path>,
    min_loss: Option<rust_decimal::Decimal>,
) -> Result<(String, crate::ledger::Ledger)> {
    let shown = files::display(path, pdir);
    let before = match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(anyhow!(files::io_error(path, &e))),
    };
    let ledger = match &before {
        Some(bytes) => crate::ledger::read(bytes).map_err(|e| anyhow!("问题台账 {shown}: {e};台账没有改动"))?,
        None => crate::ledger::Ledger::default(),
    };
    if let Some(why) = ledger_analysis::refusal(&ledger, &run.set.name, run.eval.window) {
        return Err(anyhow!("问题台账 {shown}: {why};台账没有改动"));
    }
    let problems = ledger_analysis::problems(run, min_loss);
    let today = crate::xlsx::write::local_text(prov.time, prov.utc_offset);
    let updated = ledger_analysis::update(ledger, run, &problems, &today);
    staged.bytes(path, &crate::report::ledger::render(&updated, prov.time).context("生成问题台账失败")?)?;
    let open = updated.items.iter().filter(|i| i.status.open()).count();
    let overdue = updated.items.iter().filter(|i| i.overdue).count();
    let mut note = format!("已更新问题台账: {shown} (在办 {open} 项,逾期 {overdue} 项)");
    if let Some(why) = run.loaded.provisional_reason() {
        note += &format!(
            "\n注意:本期结果为暂定 ({why}),台账已按暂定结果更新;数据补齐后要重算本期,请先用备份恢复台账再运行"
        );
    }
    if let Some(bytes) = before {
        let backup = backup_path(path, &today);
        staged.bytes(&backup, &bytes)?;
        note += &format!(";原台账另存为 {}", files::display(&backup, pdir));
    }
    Ok((note, updated))
}

/// `问题台账.xlsx` → `问题台账.备份-20250115-080000.xlsx` (the update's local time), beside it.
fn backup_path(path: &Path, local_time: &str) -> PathBuf {
    let stamp: String = local_time.chars().take(19).filter(|c| c.is_ascii_digit()).collect();
    let stamp = format!("{}-{}", stamp.get(..8).unwrap_or(""), stamp.get(8..).unwrap_or(""));
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_else(|| "xlsx".into());
    let mut candidate = path.with_file_name(format!("{stem}.备份-{stamp}.{ext}"));
    let mut n = 2;
    while candidate.exists() {
        candidate = path.with_file_name(format!("{stem}.备份-{stamp}-{n}.{ext}"));
        n += 1;
    }
    candidate
}

/// `--previous F`: a result of an earlier period (it ends before the window
/// starts) scored with an indicator set of the same name.
fn previous_result(
    path: &std::path::Path,
    set: &crate::indicators::IndicatorSet,
    window: Period,
) -> Result<crate::result::ResultDoc> {
    let doc = load_result(path).context("--previous")?;
    let shown = path.display();
    let period = Period::parse(&doc.period).map_err(|e| anyhow!("--previous {shown}: 结果中的评价期间无效 ({e})"))?;
    if !period.ends_before(window) {
        return Err(anyhow!(
            "--previous {shown} 的评价期间是 {period},不在本期 {window} 之前;整改跟踪只能对照更早的一期"
        ));
    }
    if doc.indicator_set.name != set.name {
        return Err(anyhow!(
            "--previous {shown} 用的是另一个指标体系 (“{}”),本期是“{}”;整改跟踪只能对照同一个指标体系的结果",
            doc.indicator_set.name,
            set.name
        ));
    }
    Ok(doc)
}

/// Reads a result `score` wrote (JSON or Excel report), naming the file in errors.
pub fn load_result(path: &std::path::Path) -> Result<crate::result::ResultDoc> {
    let bytes = files::read(path)?;
    readback::read(&bytes).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// The options that decide the result, as given (output locations are left out,
/// so a rerun into another directory gives the same bytes).
pub(super) fn options(args: &Args, window: Period) -> Vec<(String, String)> {
    let mut o = vec![("--period".to_string(), window.to_string())];
    if let Some(t) = &args.trend {
        o.push(("--trend".into(), t.clone()));
    }
    if let Some(p) = &args.previous {
        o.push(("--previous".into(), p.display().to_string()));
    }
    let i = &args.inputs;
    if let Some(p) = &i.indicators {
        o.push(("--indicators".into(), p.display().to_string()));
    }
    if let Some(p) = &i.roster {
        o.push(("--roster".into(), p.display().to_string()));
    }
    if !i.data.is_empty() {
        o.push(("--data".into(), i.data.join(" ")));
    }
    o
}
