//! `zhili check`: find every mistake in the indicator set, roster and data before scoring.

use super::{InputArgs, Outcome, files, load_data};
use crate::analysis::lint::lint;
use crate::engine;
use crate::issue::{Issue, Kind, Severity};
use crate::period::Period;
use crate::record::ReadContext;
use crate::{indicators, roster};
use anyhow::{Result, anyhow};
use serde::Serialize;

const EXAMPLES: &str = "\
Examples:
  # 检查项目的指标体系和单位名册
  zhili check

  # 连同 2024 年第一季度的数据一起检查 (每个数据问题精确到 文件!工作表!单元格)
  zhili check examples/quickstart --period 2024Q1

  # 只检查一个指标体系文件 (在项目中时名册照常从项目读取;不在项目中时只检查指标体系)
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

/// One problem as `check --json` lists it.
#[derive(Serialize)]
struct Finding<'a> {
    severity: &'static str,
    /// `indicator_set`, `roster`, a data issue kind (`unknown_unit` …) or a lint code (`idle_station` …).
    kind: &'static str,
    /// `file:line:col`, `file!sheet!cell`, or the file.
    place: String,
    message: &'a str,
}

#[derive(Serialize)]
struct Report<'a> {
    errors: usize,
    warnings: usize,
    checked: &'a [String],
    findings: Vec<Finding<'a>>,
}

pub fn run(args: Args) -> Result<Outcome> {
    let inputs = args.inputs.resolve()?;
    let window = args.period.as_deref().map(Period::parse).transpose().map_err(|e| anyhow!("--period: {e}"))?;
    let pdir = inputs.project_dir.as_deref();
    let set_shown = inputs.indicators.shown(pdir);
    let roster_shown = inputs.roster.as_deref().map(|r| files::display(r, pdir)).unwrap_or_default();
    let mut found: Vec<Issue> = Vec::new();
    let mut checked: Vec<String> = Vec::new();

    // 1. The indicator set: every error with its line and column, then lints.
    checked.push(format!("指标体系 {set_shown}"));
    let set = match inputs.indicators.bytes().map(|b| indicators::parse(&b)) {
        Err(e) => {
            found.push(Issue::new(Kind::IndicatorSet, format!("{e:#}")).in_file(&set_shown));
            None
        }
        Ok(Err(problems)) => {
            found.extend(problems.into_iter().map(|p| p.in_file(&set_shown)));
            None
        }
        Ok(Ok(set)) => Some(set),
    };

    // 2. The roster (it needs the set's categories), when one is named: a set being
    // drafted can be checked alone, and the output says what was not checked.
    let roster = match (&set, &inputs.roster) {
        (_, None) => {
            checked.push("单位名册 (未检查: 没有指定,可用 --roster F 或在 zhili.toml 中写 roster)".into());
            None
        }
        (None, Some(_)) => None,
        (Some(set), Some(path)) => {
            checked.push(format!("单位名册 {roster_shown}"));
            match files::read(path).map(|b| roster::read(&b, &roster_shown, set)) {
                Err(e) => {
                    found.push(Issue::new(Kind::Roster, format!("{e:#}")).in_file(&roster_shown));
                    None
                }
                Ok(Err(problems)) => {
                    found.extend(problems);
                    None
                }
                Ok(Ok(r)) => Some(r),
            }
        }
    };
    if let Some(set) = &set {
        for l in lint(set, roster.as_ref()) {
            // A lint names a line of the set, or else concerns the roster.
            let file = if l.line.is_some() || roster_shown.is_empty() { &set_shown } else { &roster_shown };
            found.push(l.in_file(file));
        }
    }

    // 3. With --period: the data, exactly as `score` would read and score it.
    let mut submissions: Vec<String> = Vec::new();
    match (&set, &roster, window) {
        (Some(set), Some(roster), Some(window)) => {
            let data = files::expand(&inputs.globs)?;
            checked.push(format!("{window} 的数据文件 {} 个", data.len()));
            let ctx = ReadContext { set, roster, window };
            super::check_window(set, window)?;
            let loaded = load_data(ctx, &data, &inputs, args.json);
            super::require_data(&loaded, window)?;
            let eval = engine::evaluate(set, roster, &loaded.records, window);
            // 填报情况, as in the report: what each station sent and still owes.
            for l in crate::submissions::table(set, window, &loaded.inputs) {
                let st = &set.stations[l.station];
                let period = l.period.map(|p| p.to_string()).unwrap_or_else(|| "—".into());
                let file = l.file.map(|f| format!(" {f}")).unwrap_or_default();
                let date = l.submitted.map(|d| format!(" (报送日期 {d})")).unwrap_or_default();
                submissions.push(format!("  {} {} {period} {}{file}{date}", st.code, st.name, l.status.label()));
            }
            found.extend(loaded.issues);
            found.extend(eval.issues);
        }
        (_, None, Some(_)) if inputs.roster.is_none() => checked.push("数据 (未检查: 没有单位名册)".into()),
        (_, _, Some(_)) => checked.push("数据 (未检查: 先修正上面的指标体系或名册错误)".into()),
        _ => {}
    }

    let errors = found.iter().filter(|f| f.severity() == Severity::Error).count();
    let warnings = found.len() - errors;
    if args.json {
        let findings = found
            .iter()
            .map(|i| Finding {
                severity: i.severity().code(),
                kind: i.kind.code(),
                place: i.place_or_subject(),
                message: &i.message,
            })
            .collect();
        let report = Report { errors, warnings, checked: &checked, findings };
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for f in &found {
            say!("{} {}: [{}] {}", f.severity().label(), f.place_or_subject(), f.kind.code(), f.message);
        }
        if !submissions.is_empty() {
            say!("填报情况:");
            for line in &submissions {
                say!("{line}");
            }
        }
        say!("检查了: {}", checked.join(";"));
        say!("结果: 错误 {errors} 处,警告 {warnings} 处{}", if errors == 0 { " — 可以计分" } else { "" });
    }
    Ok(Outcome::from(errors == 0))
}
