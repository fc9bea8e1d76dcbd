//! `zhili init`: start a new project from a built-in indicator set.

use super::{Outcome, files};
use crate::library::{self, LIBRARY};
use crate::report::form::ROSTER_HEADER;
use crate::xlsx::{Val, Writer};
use anyhow::{Context as _, Result, anyhow, bail};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  # 以龙口市政治生态分析评价体系新建项目
  zhili init 我县政治生态

  # 以江北区清廉商圈指数新建项目
  zhili init 商圈评价 --from jiangbei

Then: fill in 单位名册.xlsx, run `zhili check`, and `zhili template --period 2024Q1` for the stations' forms.";

#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// 新项目的目录 (可以已存在,但其中不能已有同名文件)
    pub dir: PathBuf,

    /// 内置指标体系: longkou、jiangbei、dinghai-private-enterprise、dinghai-village
    #[arg(long, value_name = "NAME", default_value = "longkou")]
    pub from: String,
}

/// The blank roster `init` writes.
const ROSTER_FILE: &str = "单位名册.xlsx";

pub fn run(args: Args) -> Result<Outcome> {
    let entry = library::find(&args.from).ok_or_else(|| {
        let names: Vec<String> = LIBRARY.iter().map(|e| format!("  {:<28} {}", e.name, e.title)).collect();
        anyhow!("没有名为 \"{}\" 的内置指标体系。可用的有:\n{}", args.from, names.join("\n"))
    })?;
    let set = crate::indicators::parse(entry.toml.as_bytes())
        .map_err(|_| anyhow!("内置指标体系 {} 无效 (这是 zhili 的缺陷,请报告)", entry.name))?;
    let dir = &args.dir;
    let project = crate::project::text(
        &set.name,
        &format!("indicators/{}", entry.file),
        ROSTER_FILE,
        &["stations/**/*.xlsx"],
        "reports",
    );
    let roster = roster_workbook(&set).context("生成单位名册失败")?;
    let files: Vec<(PathBuf, Vec<u8>)> = vec![
        (dir.join(crate::project::FILE_NAME), project.into_bytes()),
        (dir.join("indicators").join(entry.file), entry.toml.as_bytes().to_vec()),
        (dir.join(ROSTER_FILE), roster),
    ];
    let existing: Vec<String> =
        files.iter().filter(|(p, _)| p.exists()).map(|(p, _)| p.display().to_string()).collect();
    if !existing.is_empty() {
        bail!("以下文件已存在,未写出任何文件 (init 从不覆盖):\n{}", existing.join("\n"));
    }
    for sub in ["indicators", "stations", "reports"] {
        std::fs::create_dir_all(dir.join(sub)).with_context(|| format!("无法创建目录 {}", dir.join(sub).display()))?;
    }
    let mut staged = files::Staged::new();
    for (path, bytes) in &files {
        staged.bytes(path, bytes)?;
    }
    staged.commit()?;
    say!("已新建项目 {} ({})", dir.display(), entry.title);
    say!("下一步:");
    say!("  1. 在 {} 中填写被评价单位 (类别: {})", dir.join(ROSTER_FILE).display(), categories(&set));
    say!("  2. zhili check {}", dir.display());
    say!("  3. zhili template {} --period 2024Q1   # 为各监测站生成填报模板", dir.display());
    say!("  4. 收回的工作簿放进 {},然后 zhili score {} --period 2024Q1", dir.join("stations").display(), dir.display());
    Ok(Outcome::Ok)
}

fn categories(set: &crate::indicators::IndicatorSet) -> String {
    set.categories.iter().map(|c| format!("{} 或 {}", c.code, c.name)).collect::<Vec<_>>().join("、")
}

/// An empty roster: the header the reader expects, and the categories for reference.
fn roster_workbook(set: &crate::indicators::IndicatorSet) -> Result<Vec<u8>> {
    let time = super::timestamp()?;
    let mut book = Writer::new(set.decimals, Vec::new(), time, "单位名册")?;
    book.table(crate::roster::SHEET[0], &ROSTER_HEADER, Vec::new(), false)?;
    let cats = set.categories.iter().map(|c| vec![Val::s(c.code.as_str()).into(), Val::s(c.name.as_str()).into()]);
    book.table("类别说明", &["类别代码", "类别名称"], cats.collect::<Vec<_>>(), false)?;
    Ok(book.save()?)
}
