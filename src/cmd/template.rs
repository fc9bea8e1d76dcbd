//! `zhili template`: write one fill-in workbook per station for a period.

use super::{InputArgs, Outcome, files, load_roster, load_set, timestamp};
use crate::indicators::IndicatorSet;
use crate::period::Period;
use crate::report::form as template;
use crate::report::unit::file_name;
use crate::roster::Roster;
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
    let roster_path = inputs.roster()?;
    let roster_shown = files::display(roster_path, pdir);
    // The project's one set, or each [[set]] with the units it scores (docs/multi-set.md).
    let sources: Vec<(IndicatorSet, Roster)> = if inputs.sets.is_empty() {
        let set = load_set(&inputs.indicators)?;
        super::check_window(&set, period)?;
        let (roster, _) = load_roster(roster_path, &roster_shown, &set)?;
        vec![(set, roster)]
    } else {
        let sets = inputs.sets.iter().map(|(_, s)| load_set(s)).collect::<Result<Vec<_>>>()?;
        for set in &sets {
            super::check_window(set, period)?;
        }
        let parts: Vec<crate::roster::Part> = sets
            .iter()
            .zip(&inputs.sets)
            .map(|(set, (e, _))| crate::roster::Part { set, categories: Some(&e.categories) })
            .collect();
        let rosters = crate::roster::read_split(&files::read(roster_path)?, &roster_shown, &parts)
            .map_err(|p| anyhow!("单位名册 {roster_shown} 有 {} 处错误:\n{}", p.len(), files::placed_lines(&p)))?;
        sets.into_iter().zip(rosters).collect()
    };
    let time = timestamp()?;
    let out_dir = args.out_dir.clone().unwrap_or_else(|| {
        inputs.project_dir.clone().unwrap_or_else(|| PathBuf::from(".")).join("templates").join(period.to_string())
    });

    // Each station once, by code, with every set it serves (a station shared by sets gets one workbook).
    let mut codes: Vec<&str> = Vec::new();
    for (set, _) in &sources {
        for st in &set.stations {
            if !codes.contains(&st.code.as_str()) {
                codes.push(&st.code);
            }
        }
    }
    let stations: Vec<Vec<template::Part>> = codes
        .iter()
        .map(|code| {
            sources
                .iter()
                .filter_map(|(set, roster)| {
                    let station = set.stations.iter().position(|s| s.code == *code)?;
                    let part = template::Part { set, roster, station };
                    (!template::station_leaves(set, roster, station).is_empty()).then_some(part)
                })
                .collect::<Vec<_>>()
        })
        .filter(|parts| !parts.is_empty())
        .collect();
    if stations.is_empty() {
        bail!("没有任何监测站采集适用于名册中单位的指标,无需生成模板");
    }
    // One workbook per period of the station's frequency inside the window (a
    // monthly station gets three for a quarter); a station not due gets none.
    let mut not_due: Vec<&[template::Part]> = Vec::new();
    let mut targets: Vec<(&[template::Part], Period, PathBuf)> = Vec::new();
    for parts in &stations {
        let (set, s) = (parts[0].set, parts[0].station);
        let st = &set.stations[s];
        let periods = match st.frequency {
            Some(f) => period.split(f).unwrap_or_default(),
            None => vec![period],
        };
        if periods.is_empty() || !set.station_due(s, period) {
            not_due.push(parts);
            continue;
        }
        for p in periods {
            targets.push((parts, p, out_dir.join(file_name(&st.code, &format!("{}-{p}", st.name)))));
        }
    }
    let existing: Vec<String> =
        targets.iter().filter(|(_, _, p)| p.exists()).map(|(_, _, p)| p.display().to_string()).collect();
    if !existing.is_empty() && !args.force {
        bail!("以下模板已存在,未写出任何文件 (用 --force 覆盖):\n{}", existing.join("\n"));
    }
    let paths: Vec<PathBuf> = targets.iter().map(|(_, _, p)| p.clone()).collect();
    let mut read: Vec<PathBuf> = inputs.indicators.file().into_iter().map(|p| p.to_path_buf()).collect();
    read.extend(inputs.sets.iter().filter_map(|(_, s)| s.file().map(|p| p.to_path_buf())));
    read.push(roster_path.to_path_buf());
    files::refuse_overwriting_inputs(&paths, &read)?;

    std::fs::create_dir_all(&out_dir).with_context(|| format!("无法创建输出目录 {}", out_dir.display()))?;
    let mut staged = files::Staged::new();
    for (parts, p, path) in &targets {
        staged.bytes(path, &template::render_parts(parts, *p, time).context("生成模板失败")?)?;
    }
    staged.commit()?;
    if !args.quiet {
        for (parts, p, path) in &targets {
            let st = &parts[0].set.stations[parts[0].station];
            let n: usize = parts.iter().map(|q| template::station_leaves(q.set, q.roster, q.station).len()).sum();
            let sets =
                if parts.len() > 1 { format!(" (服务 {} 套指标体系)", parts.len()) } else { String::new() };
            say!("{} ({}) {p}: {} 个指标{sets} → {}", st.code, st.name, n, path.display());
        }
        for parts in &not_due {
            let (set, s) = (parts[0].set, parts[0].station);
            let st = &set.stations[s];
            let cadence = set.station_cadence(s).map(|c| c.label()).unwrap_or_default();
            say!("{} ({}) 每{cadence}报送一次,{period} 不到期,未生成模板", st.code, st.name);
        }
        let skipped = codes.len() - stations.len();
        if skipped > 0 {
            say!("另有 {skipped} 个监测站不采集适用于名册单位的指标,未生成模板");
        }
        say!("已为 {period} 生成 {} 份填报模板", targets.len());
    }
    Ok(Outcome::Ok)
}
