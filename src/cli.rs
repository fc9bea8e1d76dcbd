//! The command line: the subcommands and which one runs.

use crate::cmd::{self, Outcome};
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "zhili",
    version,
    about = "纪检监察考核评价计分工具 — scoring toolkit for 政治生态 / 清廉单元 / 智治廉评 evaluations",
    long_about = "zhili 根据指标体系 (TOML)、单位名册和各监测站报送的 XLSX 工作簿,计算各单位各级指标得分、\
                  排名和蓝/黄/红三色预警,写出 Excel 报告、单位体检报告、JSON 结果和终端摘要;\
                  还能在计分前检查数据、为监测站生成填报模板、比较两次结果。\n\n\
                  新手: zhili init 我的项目 → 填写单位名册 → zhili check → zhili template --period 2024Q1 → zhili score --period 2024Q1"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 计分: score a period and write the results
    Score(cmd::score::Args),
    /// 检查: validate the indicator set, roster and (with --period) the data
    Check(cmd::check::Args),
    /// 填报模板: one workbook per station for a period, ready to fill in
    Template(cmd::template::Args),
    /// 新建项目: start a project from a built-in indicator set
    Init(cmd::init::Args),
    /// 比较: compare two results (JSON or Excel report); exit 0 same, 1 different, 2 trouble
    Diff(cmd::diff::Args),
}

/// Runs a parsed command line. An `Err` is a failure whose reason the caller prints.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Score(args) => cmd::score::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Template(args) => cmd::template::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Diff(args) => Ok(cmd::diff::run(args)),
    }
}

/// Whether the command line names `diff`, whose bad arguments are "trouble"
/// rather than a failure (its 1 means "different").
pub fn is_diff(args: &[std::ffi::OsString]) -> bool {
    args.get(1).is_some_and(|a| a == "diff")
}
