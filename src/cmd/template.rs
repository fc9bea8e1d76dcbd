//! `zhili template`: write one fill-in workbook per station for a period.

use super::{InputArgs, Outcome, files, load_roster, load_set, timestamp};
use crate::period::Period;
use crate::report::form as template;
use crate::report::unit::file_name;
use anyhow::{Context as _, Result, anyhow, bail};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  # 为 2024 年第一季度生成各监测站的填报模板 (写到 templates/2024Q1/)
  zhili template --period 2024Q1

  # 写到指定目录,覆盖已有的模板
  zhili template examples/quickstart --period 2024Q2 --out-dir 下发/二季度 --force

Each station gets <代码>-<名称>-<期间>.xlsx with the sheets 信息, 数据 (pre-filled rows, drop-downs),
指标说明, 单位. Filled-in templates are read by `zhili score` as they are.";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// 项目目录 (含 zhili.toml);默认为当前目录 [project directory]
    pub dir: Option<PathBuf>,

    /// 填报期间: 2024Q1、2024年第一季度、2024-03 …
    #[arg(long, short = 'p', value_name = "P")]
    pub period: String,

    /// 指标体系 TOML (覆盖 zhili.toml 的 indicators)
    #[arg(long, value_name = "F")]
    pub indicators: Option<PathBuf>,

    /// 单位名册 XLSX (覆盖 zhili.toml 的 roster)
    #[arg(long, value_name = "F")]
    pub roster: Option<PathBuf>,

    /// 输出目录 (默认: 项目目录下的 templates/<P>)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// 覆盖已存在的模板文件
    #[arg(long)]
    pub force: bool,

    /// 不打印写出的文件列表
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<Outcome> {
    let inputs = InputArgs {
        dir: args.dir.clone(),
        indicators: args.indicators.clone(),
        roster: args.roster.clone(),
        data: Vec::new(),
    }
    .resolve()?;
    let period = Period::parse(&args.period).map_err(|e| anyhow!("--period: {e}"))?;
    let pdir = inputs.project_dir.as_deref();
    let set = load_set(&inputs.indicators)?;
    super::check_window(&set, period)?;
    let roster_path = inputs.roster()?;
    let (roster, _) = load_roster(roster_path, &files::display(roster_path, pdir), &set)?;
    let time = timestamp()?;
    let out_dir = args.out_dir.clone().unwrap_or_else(|| {
        inputs.project_dir.clone().unwrap_or_else(|| PathBuf::from(".")).join("templates").join(period.to_string())
    });

    let stations: Vec<usize> =
        (0..set.stations.len()).filter(|&s| !template::station_leaves(&set, &roster, s).is_empty()).collect();
    if stations.is_empty() {
        bail!("没有任何监测站采集适用于名册中单位的指标,无需生成模板");
    }
    // One workbook per period of the station's frequency inside the window (a
    // monthly station gets three for a quarter); a station not due gets none.
    let mut not_due: Vec<usize> = Vec::new();
    let mut targets: Vec<(usize, Period, PathBuf)> = Vec::new();
    for &s in &stations {
        let st = &set.stations[s];
        let periods = match st.frequency {
            Some(f) => period.split(f).unwrap_or_default(),
            None => vec![period],
        };
        if periods.is_empty() || !set.station_due(s, period) {
            not_due.push(s);
            continue;
        }
        for p in periods {
            targets.push((s, p, out_dir.join(file_name(&st.code, &format!("{}-{p}", st.name)))));
        }
    }
    let existing: Vec<String> =
        targets.iter().filter(|(_, _, p)| p.exists()).map(|(_, _, p)| p.display().to_string()).collect();
    if !existing.is_empty() && !args.force {
        bail!("以下模板已存在,未写出任何文件 (用 --force 覆盖):\n{}", existing.join("\n"));
    }
    let paths: Vec<PathBuf> = targets.iter().map(|(_, _, p)| p.clone()).collect();
    let mut read: Vec<PathBuf> = inputs.indicators.file().into_iter().map(|p| p.to_path_buf()).collect();
    read.push(roster_path.to_path_buf());
    files::refuse_overwriting_inputs(&paths, &read)?;

    std::fs::create_dir_all(&out_dir).with_context(|| format!("无法创建输出目录 {}", out_dir.display()))?;
    let mut staged = files::Staged::new();
    for (s, p, path) in &targets {
        staged.bytes(path, &template::render(&set, &roster, *s, *p, time).context("生成模板失败")?)?;
    }
    staged.commit()?;
    if !args.quiet {
        for (s, p, path) in &targets {
            let st = &set.stations[*s];
            let n = template::station_leaves(&set, &roster, *s).len();
            say!("{} ({}) {p}: {} 个指标 → {}", st.code, st.name, n, path.display());
        }
        for s in &not_due {
            let st = &set.stations[*s];
            let cadence = set.station_cadence(*s).map(|c| c.label()).unwrap_or_default();
            say!("{} ({}) 每{cadence}报送一次,{period} 不到期,未生成模板", st.code, st.name);
        }
        let skipped = set.stations.len() - stations.len();
        if skipped > 0 {
            say!("另有 {skipped} 个监测站不采集适用于名册单位的指标,未生成模板");
        }
        say!("已为 {period} 生成 {} 份填报模板", targets.len());
    }
    Ok(Outcome::Ok)
}
