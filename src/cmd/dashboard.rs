//! `zhili dashboard`: the offline page (docs/dashboard.md) from saved results — several periods give trends.

use super::score::load_result;
use super::{Outcome, files, timestamp};
use crate::report::html;
use anyhow::{Context as _, Result, anyhow, bail};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  # 四个季度的结果: 展示最近一期,单位画像带四期趋势,核心结论与上一期比较
  zhili dashboard reports/2024Q1.json reports/2024Q2.json reports/2024Q3.json reports/2024Q4.json --out 看板.html

  # 结果公开页: 只有单位名称、类别、排名和等级
  zhili dashboard reports/2024Q4.json --public --out 公开.html";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// score 写出的结果 (JSON 或 Excel 报告),一个或多个期间
    #[arg(required = true, value_name = "RESULT")]
    pub results: Vec<PathBuf>,

    /// 写出的网页
    #[arg(long, value_name = "F.html", required = true)]
    pub out: PathBuf,

    /// 只含结果公开的内容 (单位名称、类别、排名、等级;没有分数)
    #[arg(long)]
    pub public: bool,
}

pub fn run(args: Args) -> Result<Outcome> {
    let docs = args.results.iter().map(|p| load_result(p)).collect::<Result<Vec<_>>>()?;
    if let Some(other) = docs.iter().find(|d| d.indicator_set.name != docs[0].indicator_set.name) {
        bail!(
            "这些结果属于不同的指标体系 (“{}”和“{}”);一个网页只能展示同一个指标体系的结果",
            docs[0].indicator_set.name,
            other.indicator_set.name
        );
    }
    files::refuse_overwriting_inputs(std::slice::from_ref(&args.out), &args.results)?;
    // The issuer and time zone of the project in the current directory, if there is one.
    let project = files::find_project(None)?.unwrap_or_default();
    let offset = project.time_zone.unwrap_or(crate::project::DEFAULT_UTC_OFFSET);
    let time = crate::xlsx::write::local_text(timestamp()?, offset);
    let page = html::saved_page(&docs, project.issuer, time, args.public).ok_or_else(|| anyhow!("没有结果"))?;
    let mut staged = files::Staged::new();
    staged.bytes(&args.out, page.as_bytes()).context("写出网页失败")?;
    staged.commit()?;
    println!("已写出: {}", args.out.display());
    Ok(Outcome::Ok)
}
