//! `zhili history`: one unit over every result in the project's output folder, with its ledger items (日常监督档案).

use super::score::load_result;
use super::{Outcome, files, timestamp};
use crate::analysis::history::{ledger_items, unit_history};
use crate::report::history as render;
use anyhow::{Context as _, Result, anyhow, bail};
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "\
Examples:
  # 在项目目录中: 北马镇历次的总分、预警和台账问题
  zhili history T07

  # 指定项目目录,用单位名称,并写出 Excel
  zhili history examples/longkou 北马镇 --out 北马镇监督档案.xlsx";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// [项目目录] 单位代码或名称 (项目目录缺省为当前目录)
    #[arg(num_args = 1..=2, value_name = "[DIR] UNIT", required = true)]
    pub args: Vec<String>,

    /// 同时写成 Excel (历次评价、台账问题)
    #[arg(long, value_name = "F.xlsx")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<Outcome> {
    let (dir, unit) = match args.args.as_slice() {
        [unit] => (None, unit.clone()),
        [dir, unit] => (Some(PathBuf::from(dir)), unit.clone()),
        _ => bail!("用法: zhili history [DIR] UNIT"),
    };
    let project = files::find_project(dir.as_deref())?.ok_or_else(|| {
        anyhow!("当前目录没有 zhili.toml;请在项目目录中运行,或写出项目目录 (如 zhili history 我的项目 T07)")
    })?;
    let output = project.output.clone().ok_or_else(|| anyhow!("zhili.toml 没有写 output:不知道到哪里找历次的结果"))?;
    let docs = results_in(&output)?;
    if docs.is_empty() {
        bail!("{} 中没有 zhili 的 JSON 结果;先运行 zhili score", output.display());
    }
    let (who, points) = unit_history(&docs, &unit).ok_or_else(|| {
        anyhow!("{} 的 {} 个结果中都没有单位“{unit}”(按单位代码或名称查找)", output.display(), docs.len())
    })?;
    let ledger = match &project.ledger {
        Some(path) if path.is_file() => {
            let bytes = files::read(path)?;
            Some(crate::ledger::read(&bytes).map_err(|e| anyhow!("问题台账 {}: {e}", path.display()))?)
        }
        Some(path) => {
            eprintln!(
                "zhili: 提示: zhili.toml 写的问题台账 {} 还不存在 (用 score --ledger 新建),下面不列台账问题",
                path.display()
            );
            None
        }
        None => None,
    };
    let items = ledger.as_ref().map(|l| ledger_items(l, &who.0));
    if let Some(out) = &args.out {
        files::refuse_overwriting_inputs(
            std::slice::from_ref(out),
            &project.ledger.iter().cloned().collect::<Vec<_>>(),
        )?;
        let bytes = render::xlsx(&who, &points, items.as_deref(), timestamp()?).context("生成 Excel 失败")?;
        let mut staged = files::Staged::new();
        staged.bytes(out, &bytes)?;
        staged.commit()?;
    }
    print!("{}", render::terminal(&who, &points, items.as_deref(), super::terminal_width()));
    if let Some(out) = &args.out {
        println!("已写出: {}", out.display());
    }
    Ok(Outcome::Ok)
}

/// Every result (`*.json`) directly in the output folder; files that are not zhili results are skipped.
fn results_in(dir: &Path) -> Result<Vec<crate::result::ResultDoc>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("无法读取输出目录 {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    Ok(paths.iter().filter_map(|p| load_result(p).ok()).collect())
}
