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

/// The two file operations a build makes, behind one seam so a test can fail the Nth of
/// either. [`RealFs`] is the disk; [`sync`] always uses it.
pub trait Fs {
    /// Creates (or truncates) `path` and writes all of `contents` to it, durably.
    fn write(&mut self, path: &Path, contents: &[u8]) -> io::Result<()>;
    /// Renames `from` over `to` (atomic within one file system).
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFs;

impl Fs for RealFs {
    fn write(&mut self, path: &Path, contents: &[u8]) -> io::Result<()> {
        let mut file = fs::File::create(path)?;
        file.write_all(contents)?;
        file.sync_all()
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }
}

/// Compares one spec's artifacts with the disk and, in [`Mode::Write`], makes the disk
/// match. Returns every produced file and every stale one, in a fixed order.
pub fn sync(unit: &Unit, mode: Mode) -> io::Result<Vec<FileStatus>> {
    sync_with(unit, mode, &mut RealFs)
}

/// [`sync`], writing and renaming through `fs`.
pub fn sync_with(unit: &Unit, mode: Mode, fs: &mut dyn Fs) -> io::Result<Vec<FileStatus>> {
    sync_all(std::slice::from_ref(unit), mode, fs)
        .map(|mut all| all.remove(0))
        .map_err(|f| f.error)
}

/// Why [`sync_all`] failed, and for which unit.
#[derive(Debug)]
pub struct Failed {
    /// The index of the unit whose file could not be read, written or renamed.
    pub unit: usize,
    pub error: io::Error,
}

/// [`sync`] of several specs as one: in [`Mode::Write`] nothing is renamed into place until
/// every changed file of every unit has been written, so a failed write changes no spec.
pub fn sync_all(
    units: &[Unit],
    mode: Mode,
    fs: &mut dyn Fs,
) -> Result<Vec<Vec<FileStatus>>, Failed> {
    let mut all = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        all.push(compare(unit).map_err(|error| Failed { unit: i, error })?);
    }
    if mode == Mode::Write {
        apply(units, &all, fs)?;
        for unit in units {
            for tmp in leftover_temps(unit) {
                let _ = fs::remove_file(tmp);
            }
        }
    }
    Ok(all)
}

/// One unit's produced files as they compare with the disk, then its stale files.
fn compare(unit: &Unit) -> io::Result<Vec<FileStatus>> {
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
    Ok(statuses)
}

/// Writes every changed file of every unit beside its target, then renames them all into
/// place, then removes stale files. A failure while writing removes every temporary file
/// and every folder it created, and renames nothing: the disk is as it was. A failure while
/// renaming removes the temporary files left and says how many files were already
/// replaced; each file is whole, old or new.
fn apply(units: &[Unit], all: &[Vec<FileStatus>], fs: &mut dyn Fs) -> Result<(), Failed> {
    let mut created = Vec::new();
    // (unit, temporary file, target)
    let mut staged: Vec<(usize, PathBuf, PathBuf)> = Vec::new();
    for (i, (unit, statuses)) in units.iter().zip(all).enumerate() {
        let changed = statuses
            .iter()
            .zip(&unit.artifacts)
            .filter(|(s, _)| matches!(s.status, Status::Missing | Status::Changed { .. }));
        for (s, artifact) in changed {
            match stage(fs, &s.path, artifact.contents.as_bytes(), &mut created) {
                Ok(tmp) => staged.push((i, tmp, s.path.clone())),
                Err(e) => {
                    for (_, tmp, _) in &staged {
                        let _ = fs::remove_file(tmp);
                    }
                    // Deepest first; a folder something else put a file in stays.
                    for dir in created.iter().rev() {
                        let _ = fs::remove_dir(dir);
                    }
                    let error = io::Error::new(e.kind(), format!("{e}; no file was changed"));
                    return Err(Failed { unit: i, error });
                }
            }
        }
    }
    for (n, (i, tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = fs.rename(tmp, path) {
            for (_, tmp, _) in &staged[n..] {
                let _ = fs::remove_file(tmp);
            }
            let error = io::Error::new(
                e.kind(),
                format!(
                    "{}: {e}; {n} of {} changed file(s) had already been replaced, the others keep their old contents",
                    path.display(),
                    staged.len()
                ),
            );
            return Err(Failed { unit: *i, error });
        }
    }
    for (i, statuses) in all.iter().enumerate() {
        for s in statuses.iter().filter(|s| s.status == Status::Stale) {
            fs::remove_file(&s.path).map_err(|e| Failed {
                unit: i,
                error: with_path(e, &s.path),
            })?;
        }
    }
    Ok(())
}

/// Writes `contents` to a temporary file beside `path` and returns its name. Folders it
/// creates on the way are added to `created`, outermost first.
fn stage(
    fs: &mut dyn Fs,
    path: &Path,
    contents: &[u8],
    created: &mut Vec<PathBuf>,
) -> io::Result<PathBuf> {
    let dir = parent(path);
    create_dirs(dir, created)?;
    let tmp = temp_name(path);
    match fs.write(&tmp, contents) {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(with_path(e, path))
        }
    }
}

/// Creates `dir` and its missing parents, recording each folder created; an error names
/// the folder that could not be created.
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut missing = Vec::new();
    for d in dir.ancestors().filter(|d| !d.as_os_str().is_empty()) {
        if fs::symlink_metadata(d).is_ok() {
            break;
        }
        missing.push(d);
    }
    for d in missing.into_iter().rev() {
        match fs::create_dir(d) {
            Ok(()) => created.push(d.to_path_buf()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Err(with_path(e, d)),
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("{}: cannot create the folder: {e}", d.display()),
                ))
            }
        }
    }
    Ok(())
}

/// The temporary file `path` is written to before it is renamed into place: hidden, so
/// stale detection and tools that skip dot files pass over it, and named after this process.
fn temp_name(path: &Path) -> PathBuf {
    parent(path).join(format!(
        ".{}{TEMP_INFIX}{}.tmp",
        file_name(path),
        std::process::id()
    ))
}

const TEMP_INFIX: &str = ".wisp-";

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Temporary files of produced files that another wisp process left behind (it was killed
/// between writing and renaming). A build removes them.
fn leftover_temps(unit: &Unit) -> Vec<PathBuf> {
    let own = std::process::id().to_string();
    let mut found = Vec::new();
    for artifact in &unit.artifacts {
        let path = unit.root.join(&artifact.path);
        let prefix = format!(".{}{TEMP_INFIX}", file_name(&path));
        let Ok(entries) = fs::read_dir(parent(&path)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let pid = name
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".tmp"));
            if pid
                .is_some_and(|p| p != own && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            {
                found.push(entry.path());
            }
        }
    }
    found
}

/// Writes `contents` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let tmp = stage(&mut RealFs, path, contents, &mut Vec::new())?;
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
pub fn collisions(units: &[&Unit]) -> Vec<Collision> {
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

/// The error, naming the file or folder; a file where a folder must be (or the other way
/// round) is named as such.
fn with_path(e: io::Error, path: &Path) -> io::Error {
    let message = match e.kind() {
        io::ErrorKind::NotADirectory => match path.ancestors().skip(1).find(|a| a.is_file()) {
            Some(file) => format!(
                "{}: a file is in the way: `{}` must be a folder",
                path.display(),
                file.display()
            ),
            None => format!("{}: {e}", path.display()),
        },
        io::ErrorKind::IsADirectory => format!(
            "{}: a folder is in the way: it must be a file",
            path.display()
        ),
        _ => format!("{}: {e}", path.display()),
    };
    io::Error::new(e.kind(), message)
}

#[cfg(test)]
mod faults;

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn unit(root: &Path, files: &[(&str, &str)]) -> Unit {
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

    pub(super) const HEAD: &str = "# Code generated by wisp from wisp.yaml. DO NOT EDIT.\n";

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
        let found = collisions(&[&a, &b, &c]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].first, found[0].second), (0, 1));
    }
}
