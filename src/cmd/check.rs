//! `zhili check`: find every mistake in the indicator set, roster and data before scoring.

use super::{InputArgs, files, load_data};
use crate::check::lint;
use crate::cli::exit;
use crate::engine;
use crate::issue::Severity;
use crate::period::Period;
use crate::project;
use crate::records::Context;
use crate::{indicators, roster};
use anyhow::{Result, anyhow};
use serde::Serialize;

const EXAMPLES: &str = "\
Examples:
  # 检查项目的指标体系和单位名册
  zhili check

  # 连同 2024 年第一季度的数据一起检查 (每个数据问题精确到 文件!工作表!单元格)
  zhili check examples/quickstart --period 2024Q1

  # 只检查一个指标体系文件 (名册照常从项目读取)
  zhili check --indicators indicators/new.toml

  # 机器可读的输出
  zhili check --period 2024Q1 --json > check.json

Exit status: 0 when nothing is an error (warnings allowed); 1 otherwise.";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// 同时检查该期间的监测站数据: 2024Q1、2024年第一季度 …
    #[arg(long, short = 'p', value_name = "P")]
    pub period: Option<String>,

    /// 以 JSON 输出到标准输出
    #[arg(long)]
    pub json: bool,
}

/// One problem found, wherever it comes from.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub severity: &'static str,
    /// `indicator_set`, `roster`, a data issue kind (`unknown_unit` …) or a lint code (`idle_station` …).
    pub kind: String,
    /// `file:line:col`, `file!sheet!cell`, or the file.
    pub place: String,
    pub message: String,
}

#[derive(Serialize)]
struct Report<'a> {
    errors: usize,
    warnings: usize,
    checked: &'a [String],
    findings: &'a [Finding],
}

pub fn run(args: Args) -> Result<u8> {
    let inputs = args.inputs.resolve()?;
    let window = args.period.as_deref().map(Period::parse).transpose().map_err(|e| anyhow!("--period: {e}"))?;
    let pdir = inputs.project_dir.as_deref();
    let set_shown = project::display(&inputs.indicators, pdir);
    let roster_shown = project::display(&inputs.roster, pdir);
    let mut found: Vec<Finding> = Vec::new();
    let mut checked: Vec<String> = Vec::new();
    let finding = |severity: Severity, kind: &str, place: String, message: String| Finding {
        severity: severity.code(),
        kind: kind.to_string(),
        place,
        message,
    };

    // 1. The indicator set: every error with its line and column, then lints.
    checked.push(format!("指标体系 {set_shown}"));
    let set = match files::read(&inputs.indicators).map(|b| indicators::parse(&b)) {
        Err(e) => {
            found.push(finding(Severity::Error, "indicator_set", set_shown.clone(), format!("{e:#}")));
            None
        }
        Ok(Err(problems)) => {
            for p in problems {
                found.push(finding(
                    Severity::Error,
                    "indicator_set",
                    format!("{set_shown}:{}:{}", p.line, p.col),
                    p.message,
                ));
            }
            None
        }
        Ok(Ok(set)) => Some(set),
    };

    // 2. The roster (it needs the set's categories).
    let roster = set.as_ref().and_then(|set| {
        checked.push(format!("单位名册 {roster_shown}"));
        match files::read(&inputs.roster).map(|b| roster::read(&b, &roster_shown, set)) {
            Err(e) => {
                found.push(finding(Severity::Error, "roster", roster_shown.clone(), format!("{e:#}")));
                None
            }
            Ok(Err(problems)) => {
                for p in problems {
                    found.push(finding(Severity::Error, "roster", p.place, p.message));
                }
                None
            }
            Ok(Ok(r)) => Some(r),
        }
    });
    if let Some(set) = &set {
        for l in lint(set, roster.as_ref()) {
            let place = match l.line {
                Some(line) => format!("{set_shown}:{line}"),
                None => roster_shown.clone(),
            };
            found.push(finding(Severity::Warning, l.code, place, l.message));
        }
    }

    // 3. With --period: the data, exactly as `score` would read and score it.
    match (&set, &roster, window) {
        (Some(set), Some(roster), Some(window)) => {
            let data = project::expand(&inputs.globs)?;
            checked.push(format!("{window} 的数据文件 {} 个", data.len()));
            let ctx = Context { set, roster, window };
            let loaded = load_data(ctx, &data, pdir, args.json);
            let eval = engine::evaluate(set, roster, &loaded.records, window);
            for i in loaded.issues.iter().chain(&eval.issues) {
                let place = i
                    .place()
                    .or_else(|| i.unit.as_ref().map(|u| format!("单位 {u}")))
                    .or_else(|| i.station.as_ref().map(|s| format!("监测站 {s}")))
                    .unwrap_or_default();
                found.push(finding(i.severity(), i.kind.code(), place, i.message.clone()));
            }
        }
        (_, _, Some(_)) => checked.push("数据 (未检查: 先修正上面的指标体系或名册错误)".into()),
        _ => {}
    }

    let errors = found.iter().filter(|f| f.severity == Severity::Error.code()).count();
    let warnings = found.len() - errors;
    if args.json {
        let report = Report { errors, warnings, checked: &checked, findings: &found };
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for f in &found {
            let label = if f.severity == Severity::Error.code() { "错误" } else { "警告" };
            println!("{label} {}: [{}] {}", f.place, f.kind, f.message);
        }
        println!("检查了: {}", checked.join(";"));
        println!("结果: 错误 {errors} 处,警告 {warnings} 处{}", if errors == 0 { " — 可以计分" } else { "" });
    }
    Ok(if errors == 0 { exit::OK } else { exit::FAILURE })
}
