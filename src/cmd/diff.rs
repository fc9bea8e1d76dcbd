//! `zhili diff`: compare two results (JSON or Excel report) — re-runs for audit, or one period with the last.

use super::score::load_result;
use super::{Outcome, files, timestamp};
use crate::analysis::compare::{Options, diff};
use crate::report::comparison as render;
use anyhow::{Context as _, Result, anyhow};
use rust_decimal::Decimal;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::str::FromStr;

const EXAMPLES: &str = "\
Examples:
  # 审计复核: 归档的结果与重新计算的结果应完全相同 (退出码 0)
  zhili diff archive/2024Q1.json reports/2024Q1.json

  # 本季度与上季度: 哪些预警是新增、升级、持续、降级、解除
  zhili diff reports/2024Q1.xlsx reports/2024Q2.xlsx --detail --out 变化.xlsx

  # 只看部分单位,忽略 0.01 分以内的差异
  zhili diff old.json new.json --units T01,T02 --tolerance 0.01 --json diff.json

Exit status: 0 identical; 1 different; 2 trouble (unreadable input, bad arguments).";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// 旧结果: score 写出的 JSON 或 Excel 报告
    pub old: PathBuf,

    /// 新结果: score 写出的 JSON 或 Excel 报告
    pub new: PathBuf,

    /// 把比较结果写成 JSON
    #[arg(long, value_name = "F.json")]
    pub json: Option<PathBuf>,

    /// 把比较结果写成 Excel (转变按颜色区分)
    #[arg(long, value_name = "F.xlsx")]
    pub out: Option<PathBuf>,

    /// 分数差异不超过此值视为未变 (默认 0)
    #[arg(long, value_name = "X", default_value = "0")]
    pub tolerance: String,

    /// 只比较这些单位 (逗号分隔的单位代码)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub units: Vec<String>,

    /// 列出每个得分有变化的指标
    #[arg(long)]
    pub detail: bool,

    /// 不打印终端摘要
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Runs `diff`; any failure is [`Outcome::Trouble`].
pub fn run(args: Args) -> Outcome {
    compare(&args).unwrap_or_else(Outcome::Trouble)
}

fn compare(args: &Args) -> Result<Outcome> {
    let tolerance = Decimal::from_str(args.tolerance.trim())
        .ok()
        .filter(|t| !t.is_sign_negative())
        .ok_or_else(|| anyhow!("--tolerance 应当是非负数,现在是 \"{}\"", args.tolerance))?;
    let (old, new) = (load_result(&args.old)?, load_result(&args.new)?);
    let opts = Options { tolerance, units: (!args.units.is_empty()).then(|| args.units.clone()), detail: args.detail };
    let d = diff(&old, &new, &opts);
    let outputs: Vec<PathBuf> = args.json.iter().chain(args.out.iter()).cloned().collect();
    files::refuse_overwriting_inputs(&outputs, &[args.old.clone(), args.new.clone()])?;
    files::refuse_colliding_outputs(&outputs, &[])?;
    let mut staged = files::Staged::new();
    if let Some(p) = &args.json {
        staged.bytes(p, &render::json(&d))?;
    }
    if let Some(p) = &args.out {
        staged.bytes(p, &render::xlsx(&d, &old, &new, timestamp()?).context("生成比较工作簿失败")?)?;
    }
    staged.commit()?;
    if !args.quiet {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        print!("{}", render::terminal(&d, &old, &new, color, super::terminal_width()));
    }
    Ok(if d.identical { Outcome::Ok } else { Outcome::Different })
}
