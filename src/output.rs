//! The sink: where artifacts go. Writing replaces each file atomically (write beside, then
//! rename) and leaves files whose contents are unchanged untouched.

use crate::emit::Artifact;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What a write did, file by file.
#[derive(Debug, Default)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
}

/// Writes every artifact under `root`. Each file is either its old or its new contents at
/// any moment; a file whose contents already match is not touched.
pub fn write_all(root: &Path, artifacts: &[Artifact]) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for artifact in artifacts {
        let path = root.join(&artifact.path);
        if fs::read(&path).is_ok_and(|old| old == artifact.contents.as_bytes()) {
            report.unchanged.push(path);
            continue;
        }
        write_atomic(&path, artifact.contents.as_bytes())?;
        report.written.push(path);
    }
    Ok(report)
}

/// Writes `contents` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.wisp-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(|e| with_path(e, path))
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}
