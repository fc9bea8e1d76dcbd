//! File-system helpers for commands: atomic writes and "is this output one of my inputs?".

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reads a whole file, naming it in the error.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))
}

/// Writes `bytes` to a temporary file beside `path` and renames it into
/// place, so a failed run never leaves a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
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
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("写入 {} 失败", path.display()))?;
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
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
