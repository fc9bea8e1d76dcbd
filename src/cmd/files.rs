//! File-system helpers for commands: finding the project, expanding globs, atomic writes and "is this output one of my inputs?".

use crate::issue::Issue;
use crate::project::{self, FILE_NAME, ProjectFile};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reads a whole file, naming it in the error.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| anyhow::anyhow!("{}", io_error(path, &e)))
}

/// An I/O error in Chinese first (what it means for the person), then the system's own words.
pub fn io_error(path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let meaning = match e.kind() {
        ErrorKind::NotFound => {
            let cwd = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default();
            return format!("找不到文件 {} (相对路径按当前目录 {cwd} 解析;系统信息: {e})", path.display());
        }
        ErrorKind::PermissionDenied => "没有读取权限",
        ErrorKind::IsADirectory => "这是一个目录,不是文件",
        ErrorKind::InvalidData => "文件内容无法读取",
        _ => "无法读取",
    };
    format!("{meaning}: {} (系统信息: {e})", path.display())
}

/// Outputs written to temporary files beside their targets and renamed into
/// place only by [`Staged::commit`]: until then a failure (or a drop) leaves
/// every previous file untouched and no half-written one behind.
#[derive(Default)]
pub struct Staged {
    /// Closed once written, so thousands of staged files (`--per-unit`) hold no file handles.
    files: Vec<(tempfile::TempPath, PathBuf)>,
}

impl Staged {
    pub fn new() -> Self {
        Staged::default()
    }

    /// Stages `bytes` for `path`.
    pub fn bytes(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.with(path, |f| f.write_all(bytes).map_err(Into::into))
    }

    /// Stages whatever `fill` writes into the file for `path` (large outputs
    /// are streamed rather than held in memory).
    pub fn with(&mut self, path: &Path, fill: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if path.is_dir() {
            bail!("输出路径 {} 是一个目录", path.display());
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".zhili-");
        // tempfile creates 0600 files; a report is meant to be shared like any other file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let mut tmp = builder
            .tempfile_in(dir)
            .with_context(|| format!("无法在 {} 中创建临时文件 (目录不存在或不可写?)", dir.display()))?;
        fill(tmp.as_file_mut()).with_context(|| format!("写入 {} 失败", path.display()))?;
        tmp.as_file().sync_all().with_context(|| format!("写入 {} 失败", path.display()))?;
        self.files.push((tmp.into_temp_path(), path.to_path_buf()));
        Ok(())
    }

    /// Renames every staged file into place.
    pub fn commit(self) -> Result<()> {
        for (tmp, path) in self.files {
            tmp.persist(&path).map_err(|e| e.error).with_context(|| format!("无法写入 {}", path.display()))?;
        }
        Ok(())
    }
}

/// Identity of an existing file (device and inode), so that links and
/// different spellings of one path compare equal.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    path.canonicalize().ok()
}

/// Where a path will be: existing parts resolved (links, `..`), the rest as written.
fn planned(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => planned(parent).join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// Refuses two outputs at one path (also through links), and an output at or
/// inside a directory that another output needs (`--per-unit DIR`).
pub fn refuse_colliding_outputs(outputs: &[PathBuf], dirs: &[PathBuf]) -> Result<()> {
    let places: Vec<PathBuf> = outputs.iter().map(|p| planned(p)).collect();
    for (i, a) in outputs.iter().enumerate() {
        for (j, b) in outputs.iter().enumerate().skip(i + 1) {
            let same_file = matches!((identity(a), identity(b)), (Some(x), Some(y)) if x == y);
            if places[i] == places[j] || same_file {
                bail!("两个输出指向同一个文件 {} 和 {};请给它们不同的路径", a.display(), b.display());
            }
        }
    }
    for dir in dirs {
        let d = planned(dir);
        if let Some(k) = places.iter().position(|p| d.starts_with(p)) {
            bail!(
                "输出目录 {} 与输出文件 {} 是同一个路径或在它之下;请给它们不同的路径",
                dir.display(),
                outputs[k].display()
            );
        }
    }
    Ok(())
}

/// Refuses an output that is the same file as any input.
pub fn refuse_overwriting_inputs(outputs: &[PathBuf], inputs: &[PathBuf]) -> Result<()> {
    for out in outputs {
        let Some(id) = identity(out) else { continue };
        if let Some(input) = inputs.iter().find(|i| identity(i).as_ref() == Some(&id)) {
            bail!("输出 {} 与输入 {} 是同一个文件,拒绝覆盖输入", out.display(), input.display());
        }
    }
    Ok(())
}

/// Finds the project: `DIR/zhili.toml` when DIR was given (it must exist),
/// else `./zhili.toml` if there is one.
pub fn find_project(dir: Option<&Path>) -> Result<Option<ProjectFile>> {
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
    project::parse(&bytes, dir).map(Some).map_err(|problems| anyhow::anyhow!("{}", placed_lines(&problems)))
}

/// Expands globs into existing files, deduplicated (the same file matched
/// twice is read once). A pattern that matches no file is an error: a
/// mistyped pattern must never score as "no data".
pub fn expand(globs: &[String]) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for g in globs {
        let mut matched = false;
        let paths = glob::glob(g).with_context(|| format!("无效的文件模式 \"{g}\""))?;
        for entry in paths {
            let path = entry.with_context(|| format!("展开 \"{g}\" 时出错"))?;
            if !path.is_file() {
                continue;
            }
            matched = true;
            let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
            if !seen.contains(&canon) {
                seen.push(canon);
                files.push(path);
            }
        }
        if !matched {
            bail!("数据文件模式 \"{g}\" 没有匹配任何文件;请检查 zhili.toml 的 data 或 --data (路径、大小写、扩展名)");
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
    // `/` between parts on every system; the root and a drive are written once, not joined.
    let mut out = String::new();
    for c in shown.components() {
        match c {
            std::path::Component::RootDir => out.push('/'),
            std::path::Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
            other => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

/// Problems as `place: message` lines (the form every command prints them in).
pub fn placed_lines(issues: &[Issue]) -> String {
    let lines: Vec<String> = issues
        .iter()
        .map(|p| match p.place() {
            Some(place) => format!("{place}: {}", p.message),
            None => p.message.clone(),
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::display;
    use std::path::Path;

    #[test]
    fn paths_are_shown_with_single_slashes() {
        assert_eq!(display(Path::new("/work/set.toml"), None), "/work/set.toml");
        assert_eq!(display(Path::new("./stations/S01.xlsx"), None), "stations/S01.xlsx");
        assert_eq!(display(Path::new("a/b.json"), None), "a/b.json");
    }
}
