//! `zhili rollup`: combine results scored separately into one (docs/rollup.md) — only results travel.

use super::{Outcome, SetSource, files, timestamp};
use crate::period::Period;
use crate::report::{excel, summary};
use crate::rollup::{self, Mapping, Origin};
use crate::run::Run;
use anyhow::{Result, anyhow, bail};
use std::io::IsTerminal;
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  # 三个县各自计分,市里只收结果,汇总成全市的排名、预警和区域指数
  zhili rollup 定海/2024Q4.json 普陀/2024Q4.json 岱山/2024Q4.json --indicators 指标体系.toml \\
      --out 全市/2024Q4.xlsx --json 全市/2024Q4.json

  # 一个县的指标体系改过名字 (办法相同): 说明对应关系
  zhili rollup a.json b.json --map-set \"普陀区清廉村居评价=定海区清廉村居评价\" --json 全市.json";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// score 写出的结果 (JSON 或 Excel 报告),至少两个;各自的单位不得重复
    #[arg(required = true, num_args = 2.., value_name = "RESULT")]
    pub results: Vec<PathBuf>,

    /// 指标体系 TOML (或内置体系的名称);默认为当前目录 zhili.toml 的 indicators
    #[arg(long, value_name = "F")]
    pub indicators: Option<PathBuf>,

    /// 写出汇总的 Excel 报告
    #[arg(long, value_name = "F.xlsx")]
    pub out: Option<PathBuf>,

    /// 写出汇总的 JSON 结果
    #[arg(long, value_name = "F.json")]
    pub json: Option<PathBuf>,

    /// 写出汇总的离线网页
    #[arg(long, value_name = "F.html")]
    pub html: Option<PathBuf>,

    /// 把某个结果的指标体系名称当作本次的名称: "原名称=本次名称",可重复
    #[arg(long, value_name = "A=B")]
    pub map_set: Vec<String>,

    /// 把某个结果的期间当作汇总的期间: "2024H2=2024Q4",可重复
    #[arg(long, value_name = "P=Q")]
    pub map_period: Vec<String>,

    /// 不打印汇总摘要
    #[arg(short, long)]
    pub quiet: bool,
}

fn pair(text: &str, flag: &str) -> Result<(String, String)> {
    match text.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => Ok((a.trim().into(), b.trim().into())),
        _ => bail!("{flag} \"{text}\" 应写成 \"原=新\""),
    }
}

fn mapping(args: &Args) -> Result<Mapping> {
    let sets = args.map_set.iter().map(|m| pair(m, "--map-set")).collect::<Result<Vec<_>>>()?;
    let periods = args
        .map_period
        .iter()
        .map(|m| {
            let (a, b) = pair(m, "--map-period")?;
            let parse = |p: &str| Period::parse(p).map_err(|e| anyhow!("--map-period \"{m}\": {e}"));
            Ok((parse(&a)?, parse(&b)?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Mapping { sets, periods })
}

pub fn run(args: Args) -> Result<Outcome> {
    let map = mapping(&args)?;
    let project = files::find_project(None)?;
    let p = project.clone().unwrap_or_default();
    let source = match args.indicators.clone().or(p.indicators.clone()) {
        Some(path) => SetSource::resolve(path),
        None => bail!(
            "没有指标体系:用 --indicators 指定汇总所用的指标体系 (各结果计分时用的那一份),或在有 zhili.toml 的目录中运行"
        ),
    };
    let set = super::load_set(&source)?;
    let outputs: Vec<PathBuf> = args.out.iter().chain(args.json.iter()).chain(args.html.iter()).cloned().collect();
    files::refuse_overwriting_inputs(&outputs, &args.results)?;
    files::refuse_colliding_outputs(&outputs, &[])?;

    let mut origins = Vec::new();
    for path in &args.results {
        let bytes = files::read(path)?;
        let doc = crate::report::readback::read(&bytes).map_err(|e| anyhow!("{}: {e}", path.display()))?;
        origins.push(Origin { path: path.display().to_string(), sha256: crate::sha256_hex(&bytes), doc });
    }
    let combined = match rollup::combine(&set, &origins, &map) {
        Ok(c) => c,
        Err(errors) => {
            eprintln!("zhili: 错误: 这些结果不能汇总 ({} 处):", errors.len());
            for e in &errors {
                eprintln!("  {e}");
            }
            return Ok(Outcome::Failed);
        }
    };
    let refs: Vec<crate::result::OriginRef> = combined
        .origin_of
        .iter()
        .map(|&o| crate::result::OriginRef {
            path: origins[o].path.clone(),
            sha256: origins[o].sha256.clone(),
            complete: origins[o].doc.complete,
        })
        .collect();
    let run = Run {
        area_scale: combined.area_scale.or(p.area_scale),
        origins: &refs,
        ..Run::new(&set, &combined.roster, &combined.loaded, &combined.eval)
    };
    let time = timestamp()?;
    let mut options = vec![("汇总".to_string(), format!("{} 个结果", origins.len()))];
    options.extend(args.map_set.iter().map(|m| ("--map-set".to_string(), m.clone())));
    options.extend(args.map_period.iter().map(|m| ("--map-period".to_string(), m.clone())));
    let prov = excel::Provenance {
        time,
        utc_offset: p.time_zone.unwrap_or(crate::project::DEFAULT_UTC_OFFSET),
        issuer: p.issuer.clone(),
        indicators: (source.shown(project.as_ref().map(|p| p.dir.as_path())), set.sha256.clone()),
        roster: (format!("(汇总 {} 个结果的单位)", origins.len()), String::new()),
        options,
        max_rows: None,
    };

    let mut staged = files::Staged::new();
    let out = super::runs::Outputs {
        json: args.json.clone(),
        xlsx: args.out.clone(),
        html: args.html.clone(),
        public: false,
    };
    super::runs::stage_outputs(&mut staged, &run, &prov, &out, &mut super::Timings::new())?;
    staged.commit()?;

    for note in &combined.notes {
        eprintln!("zhili: 注意: {note}");
    }
    if !args.quiet {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        print!("{}", summary::render(&run, color, super::terminal_width()));
        for path in &outputs {
            println!("已写出: {}", path.display());
        }
    }
    Ok(if run.has_errors() { Outcome::DataErrors } else { Outcome::Ok })
}
