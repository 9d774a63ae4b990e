//! The sink: the one place that decides what happens to generated files. `build` and
//! `check` hand it the same in-memory artifacts; [`Mode::Write`] makes the disk match them,
//! [`Mode::Check`] only says where it does not.
//!
//! Writing is all or nothing per spec: every changed file is first written beside its
//! target, and only when all of them are written are they renamed into place. A file is
//! removed only when it carries wisp's header naming the same spec ([`is_generated_by`]).

use crate::emit::{Artifact, GENERATED_MARK};
use crate::paths;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// What the sink does with the difference between the artifacts and the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed and missing files, remove stale ones.
    Write,
    /// Change nothing; report.
    Check,
}

/// One spec's output: where it goes and what it is.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The output root: target folders and artifact paths are relative to it.
    pub root: PathBuf,
    /// The spec's file name, as the generated headers name it.
    pub spec_file: String,
    /// The target folders, relative to `root`, searched for stale files.
    pub dirs: Vec<String>,
    pub artifacts: Vec<Artifact>,
}

/// How one file on disk compares with what the spec produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Unchanged,
    /// Produced, but not on disk.
    Missing,
    /// On disk with other contents.
    Changed {
        old: String,
        new: String,
    },
    /// Carries wisp's header for this spec, but the spec no longer produces it.
    Stale,
}

/// One file and its status. In [`Mode::Write`] the status is what was fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStatus {
    pub path: PathBuf,
    pub status: Status,
}

impl FileStatus {
    /// A unified diff from the file on disk to the generated one (empty unless changed).
    pub fn diff(&self) -> String {
        match &self.status {
            Status::Changed { old, new } => {
                let name = self.path.display().to_string();
                similar::TextDiff::from_lines(old.as_str(), new.as_str())
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("{name} (on disk)"), &format!("{name} (generated)"))
                    .to_string()
            }
            _ => String::new(),
        }
    }
}

/// Compares one spec's artifacts with the disk and, in [`Mode::Write`], makes the disk
/// match. Returns every produced file and every stale one, in a fixed order.
pub fn sync(unit: &Unit, mode: Mode) -> io::Result<Vec<FileStatus>> {
    let mut statuses = Vec::with_capacity(unit.artifacts.len());
    let mut produced = BTreeSet::new();
    for artifact in &unit.artifacts {
        let path = unit.root.join(&artifact.path);
        let status = match fs::read(&path) {
            Ok(old) if old == artifact.contents.as_bytes() => Status::Unchanged,
            Ok(old) => Status::Changed {
                old: String::from_utf8_lossy(&old).into_owned(),
                new: artifact.contents.clone(),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Status::Missing,
            Err(e) => return Err(with_path(e, &path)),
        };
        produced.insert(path.clone());
        statuses.push(FileStatus { path, status });
    }
    for path in stale_files(unit, &produced)? {
        statuses.push(FileStatus {
            path,
            status: Status::Stale,
        });
    }
    if mode == Mode::Write {
        apply(unit, &statuses)?;
    }
    Ok(statuses)
}

/// Writes every changed file beside its target, then renames them all into place, then
/// removes stale files. A failure before the renames leaves the disk as it was.
fn apply(unit: &Unit, statuses: &[FileStatus]) -> io::Result<()> {
    let contents: BTreeMap<PathBuf, &str> = unit
        .artifacts
        .iter()
        .map(|a| (unit.root.join(&a.path), a.contents.as_str()))
        .collect();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut result = Ok(());
    for s in statuses {
        if matches!(s.status, Status::Missing | Status::Changed { .. }) {
            match stage(&s.path, contents[&s.path].as_bytes()) {
                Ok(tmp) => staged.push((tmp, s.path.clone())),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
    }
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (tmp, path) in &staged {
        if let Err(e) = fs::rename(tmp, path) {
            let _ = fs::remove_file(tmp);
            return Err(with_path(e, path));
        }
    }
    for s in statuses.iter().filter(|s| s.status == Status::Stale) {
        fs::remove_file(&s.path).map_err(|e| with_path(e, &s.path))?;
    }
    Ok(())
}

/// Writes `contents` to a temporary file beside `path` and returns its name.
fn stage(path: &Path, contents: &[u8]) -> io::Result<PathBuf> {
    let dir = parent(path);
    fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.wisp-{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()
    })();
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(with_path(e, path))
        }
    }
}

/// Writes `contents` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let tmp = stage(path, contents)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        with_path(e, path)
    })
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Files in the unit's target folders (and the folders its artifacts go to) that wisp
/// generated from this spec but that the spec no longer produces. Folders are not searched
/// recursively: a subfolder may hold another spec's output, and specs in different folders
/// can share a file name. Hidden entries (`.git`, temporary files) are skipped.
fn stale_files(unit: &Unit, produced: &BTreeSet<PathBuf>) -> io::Result<Vec<PathBuf>> {
    let mark = header_mark(&unit.spec_file);
    let mut dirs: BTreeSet<PathBuf> = unit.dirs.iter().map(|d| unit.root.join(d)).collect();
    dirs.extend(
        produced
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf)),
    );
    let mut found = Vec::new();
    for dir in dirs {
        let listing = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &dir
        };
        let entries = match fs::read_dir(listing) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(with_path(e, &dir)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| with_path(e, &dir))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if entry.file_type().map_err(|e| with_path(e, &dir))?.is_file() {
                names.push(entry.file_name());
            }
        }
        names.sort();
        for name in names {
            let path = dir.join(name);
            if !produced.contains(&path) && has_mark(&path, &mark)? {
                found.push(path);
            }
        }
    }
    found.dedup();
    Ok(found)
}

/// The text every file generated from `spec_file` carries in its first lines.
fn header_mark(spec_file: &str) -> String {
    format!("{GENERATED_MARK} from {spec_file}.")
}

/// How far into a file the header is looked for.
const HEADER_BYTES: u64 = 1024;

fn has_mark(path: &Path, mark: &str) -> io::Result<bool> {
    let mut head = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(HEADER_BYTES).read_to_end(&mut head))
        .map_err(|e| with_path(e, path))?;
    Ok(String::from_utf8_lossy(&head).contains(mark))
}

/// Whether the file at `path` carries wisp's header naming `spec_file`.
pub fn is_generated_by(path: &Path, spec_file: &str) -> io::Result<bool> {
    has_mark(path, &header_mark(spec_file))
}

/// A file two units would both write, with the indices of the two units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    pub path: PathBuf,
    pub first: usize,
    pub second: usize,
}

/// Files more than one unit would write. Paths are compared after normalising, so
/// `a/../b/x` and `b/x` are the same file.
pub fn collisions(units: &[Unit]) -> Vec<Collision> {
    let mut owners: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        let root = paths::normalize(&unit.root);
        for a in &unit.artifacts {
            let path = root.join(&a.path);
            match owners.get(&path) {
                Some(&first) if first != i => out.push(Collision {
                    path: unit.root.join(&a.path),
                    first,
                    second: i,
                }),
                Some(_) => {}
                None => {
                    owners.insert(path, i);
                }
            }
        }
    }
    out
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(root: &Path, files: &[(&str, &str)]) -> Unit {
        Unit {
            root: root.to_path_buf(),
            spec_file: "wisp.yaml".into(),
            dirs: vec!["tf".into()],
            artifacts: files
                .iter()
                .map(|(p, c)| Artifact {
                    path: PathBuf::from(p),
                    contents: c.to_string(),
                })
                .collect(),
        }
    }

    const HEAD: &str = "# Code generated by wisp from wisp.yaml. DO NOT EDIT.\n";

    #[test]
    fn check_reports_and_write_fixes() {
        let dir = tempfile::tempdir().unwrap();
        let u = unit(dir.path(), &[("tf/a.tf", HEAD), ("tf/b.tf", HEAD)]);
        fs::create_dir_all(dir.path().join("tf")).unwrap();
        fs::write(dir.path().join("tf/a.tf"), "edited").unwrap();
        fs::write(dir.path().join("tf/old.tf"), HEAD).unwrap();
        fs::write(dir.path().join("tf/mine.tf"), "# hand-written\n").unwrap();
        let other = HEAD.replace("wisp.yaml", "other.yaml");
        fs::write(dir.path().join("tf/other.tf"), &other).unwrap();
        // Another spec's output below a target folder, from a spec of the same file name.
        fs::create_dir_all(dir.path().join("tf/nested")).unwrap();
        fs::write(dir.path().join("tf/nested/x.tf"), HEAD).unwrap();

        let found = sync(&u, Mode::Check).unwrap();
        let kinds: Vec<(String, &Status)> = found
            .iter()
            .map(|f| {
                (
                    f.path.file_name().unwrap().to_string_lossy().into(),
                    &f.status,
                )
            })
            .collect();
        assert!(matches!(kinds[0], (ref n, Status::Changed { .. }) if n == "a.tf"));
        assert!(found[0].diff().contains("-edited"));
        assert_eq!(kinds[1], ("b.tf".into(), &Status::Missing));
        assert_eq!(kinds[2], ("old.tf".into(), &Status::Stale));
        assert_eq!(kinds.len(), 3);
        assert_eq!(
            fs::read_to_string(dir.path().join("tf/a.tf")).unwrap(),
            "edited"
        );

        sync(&u, Mode::Write).unwrap();
        assert!(sync(&u, Mode::Check)
            .unwrap()
            .iter()
            .all(|f| f.status == Status::Unchanged));
        assert!(!dir.path().join("tf/old.tf").exists());
        assert!(dir.path().join("tf/mine.tf").exists());
        assert!(dir.path().join("tf/other.tf").exists());
        assert!(dir.path().join("tf/nested/x.tf").exists());
    }

    #[test]
    fn collisions_compare_normalised_paths() {
        let a = unit(Path::new("x"), &[("tf/a.tf", "")]);
        let b = unit(Path::new("y/../x"), &[("tf/a.tf", "")]);
        let c = unit(Path::new("z"), &[("tf/a.tf", "")]);
        let found = collisions(&[a, b, c]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].first, found[0].second), (0, 1));
    }
}
