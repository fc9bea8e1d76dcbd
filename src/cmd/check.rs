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
    let roster_shown = inputs.roster.as_deref().map(|r| files::display(r, pdir)).unwrap_or_default();
    let mut found: Vec<Issue> = Vec::new();
    let mut checked: Vec<String> = Vec::new();
    // One set, or each of the project's [[set]] entries (docs/multi-set.md).
    let specs: Vec<(Option<&crate::project::SetEntry>, &super::SetSource)> = if inputs.sets.is_empty() {
        vec![(None, &inputs.indicators)]
    } else {
        inputs.sets.iter().map(|(e, s)| (Some(e), s)).collect()
    };
    let label = |entry: Option<&crate::project::SetEntry>| entry.map(|e| format!("[{}] ", e.key)).unwrap_or_default();

    // 1. Each indicator set: every error with its line and column; its [[set]] categories must be its own.
    let mut sets: Vec<Option<indicators::IndicatorSet>> = Vec::new();
    for (entry, source) in &specs {
        let shown = source.shown(pdir);
        checked.push(format!("指标体系 {}{shown}", label(*entry)));
        let set = match source.bytes().map(|b| indicators::parse(&b)) {
            Err(e) => {
                found.push(Issue::new(Kind::IndicatorSet, format!("{e:#}")).in_file(&shown));
                None
            }
            Ok(Err(problems)) => {
                found.extend(problems.into_iter().map(|p| p.in_file(&shown)));
                None
            }
            Ok(Ok(set)) => Some(set),
        };
        if let (Some(e), Some(set)) = (entry, &set) {
            for c in e.categories.iter().filter(|c| set.category(c).is_none()) {
                let message = format!("[[set]] {}: 类别 \"{c}\" 不在指标体系“{}”中", e.key, set.name);
                found.push(Issue::new(Kind::Project, message).in_file(crate::project::FILE_NAME));
            }
        }
        sets.push(set);
    }
    let all: Option<Vec<&indicators::IndicatorSet>> = sets.iter().map(Option::as_ref).collect();

    // 2. The roster (it needs the sets' categories), when one is named: a set being
    // drafted can be checked alone, and the output says what was not checked.
    let rosters: Option<Vec<roster::Roster>> = match (&all, &inputs.roster) {
        (_, None) => {
            checked.push("单位名册 (未检查: 没有指定,可用 --roster F 或在 zhili.toml 中写 roster)".into());
            None
        }
        (None, Some(_)) => None,
        (Some(all), Some(path)) => {
            checked.push(format!("单位名册 {roster_shown}"));
            let parts: Vec<roster::Part> = all
                .iter()
                .zip(&specs)
                .map(|(set, (entry, _))| roster::Part { set, categories: entry.map(|e| e.categories.as_slice()) })
                .collect();
            match files::read(path).map(|b| roster::read_split(&b, &roster_shown, &parts)) {
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
    for (i, (set, (_, source))) in sets.iter().zip(&specs).enumerate() {
        let Some(set) = set else { continue };
        let set_shown = source.shown(pdir);
        for l in lint(set, rosters.as_ref().map(|r| &r[i])) {
            // A lint names a line of the set, or else concerns the roster.
            let file = if l.line.is_some() || roster_shown.is_empty() { &set_shown } else { &roster_shown };
            found.push(l.in_file(file));
        }
    }

    // 3. With --period: the data, exactly as `score` would read and score it, set by set.
    let mut submissions: Vec<String> = Vec::new();
    match (&all, &rosters, window) {
        (Some(all), Some(rosters), Some(window)) => {
            let data = files::expand(&inputs.globs)?;
            checked.push(format!("{window} 的数据文件 {} 个", data.len()));
            for (i, set) in all.iter().enumerate() {
                if specs.len() > 1 && rosters[i].units.is_empty() {
                    continue;
                }
                let foreign = (specs.len() > 1).then(|| super::multiset::foreign(all, rosters, i)).transpose()?;
                let ctx = ReadContext { foreign: foreign.as_ref(), ..ReadContext::new(set, &rosters[i], window) };
                super::check_window(set, window)?;
                let loaded = load_data(ctx, &data, &inputs, args.json);
                super::require_data(&loaded, window)?;
                let eval = engine::evaluate(set, &rosters[i], &loaded.records, window);
                // 填报情况, as in the report: what each station sent and still owes.
                for l in crate::submissions::table(set, window, &loaded.inputs) {
                    let st = &set.stations[l.station];
                    let period = l.period.map(|p| p.to_string()).unwrap_or_else(|| "—".into());
                    let file = l.file.map(|f| format!(" {f}")).unwrap_or_default();
                    let date = l.submitted.map(|d| format!(" (报送日期 {d})")).unwrap_or_default();
                    let key = label(specs[i].0);
                    submissions.push(format!(
                        "  {key}{} {} {period} {}{file}{date}",
                        st.code,
                        st.name,
                        l.status.label()
                    ));
                }
                found.extend(loaded.issues);
                found.extend(eval.issues);
            }
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
