//! The project file `zhili.toml` and how command-line flags override it (SPEC §4).
//!
//! Paths in the project file are relative to the file's directory; paths
//! given as flags are relative to the current directory. Paths shown to
//! people (in JSON and messages) are relative to the project directory
//! where there is one.

use crate::tomlread::{Doc, Fields};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "zhili.toml";

/// What the project file says, paths already joined to its directory.
#[derive(Clone, Debug, Default)]
pub struct ProjectFile {
    pub dir: PathBuf,
    pub indicators: Option<PathBuf>,
    pub roster: Option<PathBuf>,
    pub data: Vec<String>,
    pub output: Option<PathBuf>,
}

/// Finds the project: `DIR/zhili.toml` when DIR was given (it must exist),
/// else `./zhili.toml` if there is one.
pub fn find(dir: Option<&Path>) -> Result<Option<ProjectFile>> {
    let explicit = dir.is_some();
    let dir = dir.unwrap_or(Path::new("."));
    let file = dir.join(FILE_NAME);
    if !file.is_file() {
        if explicit {
            bail!("{} 中没有项目文件 {FILE_NAME}", dir.display());
        }
        return Ok(None);
    }
    let bytes = std::fs::read(&file).with_context(|| format!("无法读取 {}", file.display()))?;
    parse(&bytes, dir).map(Some).map_err(|problems| anyhow::anyhow!("{}", problems.join("\n")))
}

/// Parses a project file whose directory is `dir`.
pub fn parse(bytes: &[u8], dir: &Path) -> std::result::Result<ProjectFile, Vec<String>> {
    let name = dir.join(FILE_NAME).display().to_string();
    let text = std::str::from_utf8(bytes).map_err(|_| vec![format!("{name}: 不是 UTF-8 编码的文本")])?;
    let mut doc = Doc::new(text);
    let mut p = ProjectFile { dir: dir.to_path_buf(), ..Default::default() };
    if let Some(root) = doc.parse() {
        let mut f = Fields::new(root.get_ref(), root.span(), FILE_NAME);
        p.indicators = f.string(&mut doc, "indicators").map(|s| dir.join(s.v));
        p.roster = f.string(&mut doc, "roster").map(|s| dir.join(s.v));
        p.data = f
            .strings(&mut doc, "data")
            .map(|l| l.v.into_iter().map(|s| join_glob(dir, &s.v)).collect())
            .unwrap_or_default();
        p.output = f.string(&mut doc, "output").map(|s| dir.join(s.v));
        f.finish(&mut doc);
    }
    if doc.problems.is_empty() {
        Ok(p)
    } else {
        Err(doc.problems.iter().map(|e| format!("{name}:{}:{}: {}", e.line, e.col, e.message)).collect())
    }
}

fn join_glob(dir: &Path, pattern: &str) -> String {
    if Path::new(pattern).is_absolute() || dir == Path::new(".") {
        pattern.to_string()
    } else {
        format!("{}/{}", dir.display(), pattern)
    }
}

/// Expands globs into existing files, deduplicated (the same file matched
/// twice is read once).
pub fn expand(globs: &[String]) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for g in globs {
        let paths = glob::glob(g).with_context(|| format!("无效的文件模式 \"{g}\""))?;
        for entry in paths {
            let path = entry.with_context(|| format!("展开 \"{g}\" 时出错"))?;
            if !path.is_file() {
                continue;
            }
            let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
            if !seen.contains(&canon) {
                seen.push(canon);
                files.push(path);
            }
        }
    }
    Ok(files)
}

/// How a path is shown: relative to the project directory when inside it,
/// with `/` separators; otherwise as given.
pub fn display(path: &Path, project_dir: Option<&Path>) -> String {
    let rel = project_dir.and_then(|dir| {
        let (Ok(p), Ok(d)) = (path.canonicalize(), dir.canonicalize()) else { return None };
        p.strip_prefix(&d).ok().map(Path::to_path_buf)
    });
    let shown = rel.unwrap_or_else(|| path.strip_prefix("./").unwrap_or(path).to_path_buf());
    shown.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_file_paths_are_relative_to_it() {
        let p = parse(
            b"indicators = \"ind/set.toml\"\nroster = \"r.xlsx\"\ndata = [\"st/**/*.xlsx\"]\noutput = \"out\"\n",
            Path::new("proj"),
        )
        .unwrap();
        assert_eq!(p.indicators.unwrap(), Path::new("proj/ind/set.toml"));
        assert_eq!(p.data, ["proj/st/**/*.xlsx"]);
        assert_eq!(p.output.unwrap(), Path::new("proj/out"));
    }

    #[test]
    fn unknown_keys_in_the_project_file_are_errors() {
        let e = parse(b"indicators = \"a\"\nouput = \"x\"\n", Path::new(".")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].contains(":2:1:") && e[0].contains("ouput"), "{e:?}");
    }
}
