//! `zhili notices`: draft the warning documents (docs/notices.md) from a saved result.

use super::score::load_result;
use super::{Outcome, files, timestamp};
use crate::report::notice;
use anyhow::{Context as _, Result, anyhow};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  # 由保存的结果起草文书 (扣分点只有指标和分值:结果中没有记录)
  zhili notices reports/2024Q4.json --out 文书/2024Q4

  # 计分时一并起草 (带来源、抄送函和监督活页):
  zhili score --period 2024Q4 --notices 文书/2024Q4";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// score 写出的结果 (JSON 或 Excel 报告)
    pub result: PathBuf,

    /// 写出文书的目录
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<Outcome> {
    let doc = load_result(&args.result)?;
    // The project in the current directory gives the issuer, time zone, ledger and templates, if there is one.
    let project = files::find_project(None)?;
    let p = project.clone().unwrap_or_default();
    let ledger = match &p.ledger {
        Some(path) if path.is_file() => {
            Some(crate::ledger::read(&files::read(path)?).map_err(|e| anyhow!("问题台账 {}: {e}", path.display()))?)
        }
        _ => None,
    };
    let time = timestamp()?;
    let offset = p.time_zone.unwrap_or(crate::project::DEFAULT_UTC_OFFSET);
    let drafting = notice::Drafting {
        ledger: ledger.as_ref(),
        issuer: p.issuer.clone().unwrap_or_else(|| "(发文机关)".into()),
        date: crate::xlsx::write::local_date(time, offset),
        time: crate::xlsx::write::iso_utc(time),
        templates: super::runs::notice_templates(project.as_ref().map(|p| p.dir.as_path()))?,
    };
    let docs = notice::saved(&doc, &drafting).map_err(|e| anyhow!("起草文书失败: {e}"))?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("无法创建目录 {}", args.out.display()))?;
    let mut staged = files::Staged::new();
    for (name, bytes) in &docs {
        staged.bytes(&args.out.join(name), bytes)?;
    }
    staged.commit()?;
    println!("已起草 {} 份文书到 {}", docs.len(), args.out.display());
    Ok(Outcome::Ok)
}
