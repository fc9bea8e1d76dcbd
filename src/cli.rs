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
    /// 监督档案: one unit over every saved result, with its ledger items
    History(cmd::history::Args),
    /// 网页: the offline dashboard from saved results (several periods give trends)
    Dashboard(cmd::dashboard::Args),
    /// 文书: draft the warning documents (DOCX) from a saved result
    Notices(cmd::notices::Args),
    /// 汇总: combine results scored separately (each office its own units) into one; records never travel
    Rollup(cmd::rollup::Args),
}

/// Runs a parsed command line. An `Err` is a failure whose reason the caller prints.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Score(args) => cmd::score::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Template(args) => cmd::template::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Diff(args) => Ok(cmd::diff::run(args)),
        Command::History(args) => cmd::history::run(args),
        Command::Dashboard(args) => cmd::dashboard::run(args),
        Command::Notices(args) => cmd::notices::run(args),
        Command::Rollup(args) => cmd::rollup::run(args),
    }
}

/// Whether the command line names `diff`, whose bad arguments are "trouble"
/// rather than a failure (its 1 means "different").
pub fn is_diff(args: &[std::ffi::OsString]) -> bool {
    args.get(1).is_some_and(|a| a == "diff")
}

/// A command-line mistake in Chinese: what is wrong, the argument and value
/// involved, clap's suggestion if it has one, and where to look for help.
pub fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let (arg, value) = (context(ContextKind::InvalidArg), context(ContextKind::InvalidValue));
    let what = match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::UnknownArgument => format!("无法识别的参数 {arg}"),
        ErrorKind::InvalidSubcommand => format!("没有这个子命令: {}", context(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingSubcommand => "缺少子命令 (score、check、template、diff、init)".to_string(),
        ErrorKind::InvalidValue => {
            let valid = context(ContextKind::ValidValue);
            let valid = if valid.is_empty() { String::new() } else { format!(";可选: {valid}") };
            format!("参数 {arg} 的值 \"{value}\" 无效{valid}")
        }
        ErrorKind::ValueValidation => format!("参数 {arg} 的值 \"{value}\" 无效"),
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与 {} 同时使用", context(ContextKind::PriorArg)),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 需要写成 {arg}=值"),
        _ => format!("命令行有误: {}", e.kind()),
    };
    let suggested = context(ContextKind::SuggestedArg) + &context(ContextKind::SuggestedSubcommand);
    let suggested = if suggested.is_empty() { String::new() } else { format!(" (是不是想写 {suggested}?)") };
    format!("zhili: 错误: {what}{suggested}\n运行 zhili --help 或 zhili <命令> --help 查看全部参数和示例。")
}
