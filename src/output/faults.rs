//! The sink under faults: each write and each rename of a build failed in turn through the
//! [`Fs`] seam, with every file on disk checked to be whole, old or new.

use super::tests::{unit, HEAD};
use super::*;

/// The real file system, failing the `write`-th write (after writing half the file,
/// as a build killed mid-write would) or the `rename`-th rename.
#[derive(Default)]
struct Failing {
    write: usize,
    rename: usize,
    writes: usize,
    renames: usize,
}

impl Fs for Failing {
    fn write(&mut self, path: &Path, contents: &[u8]) -> io::Result<()> {
        self.writes += 1;
        if self.writes == self.write {
            fs::write(path, &contents[..contents.len() / 2])?;
            return Err(io::Error::other("injected write failure"));
        }
        RealFs.write(path, contents)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        self.renames += 1;
        if self.renames == self.rename {
            return Err(io::Error::other("injected rename failure"));
        }
        RealFs.rename(from, to)
    }
}

/// Every file below `dir`, with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pending.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, fs::read_to_string(&p).unwrap());
            }
        }
    }
    out
}

/// An old build and a changed spec: two files change, one is new (in a new folder), one
/// is unchanged and one becomes stale. Returns the folder, the new unit and the old and
/// new trees.
fn old_and_new() -> (tempfile::TempDir, Unit, [BTreeMap<PathBuf, String>; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let v = |s: &str| format!("{HEAD}{s}\n{}", s.repeat(1000));
    let old = unit(
        dir.path(),
        &[
            ("tf/a.tf", &v("old a")),
            ("tf/b.tf", &v("old b")),
            ("tf/c.tf", &v("same c")),
            ("tf/e.tf", &v("old e")),
        ],
    );
    let new = unit(
        dir.path(),
        &[
            ("tf/a.tf", &v("new a")),
            ("tf/b.tf", &v("new b")),
            ("tf/c.tf", &v("same c")),
            ("k8s/deep/d.yaml", &v("new d")),
        ],
    );
    sync(&old, Mode::Write).unwrap();
    let before = snapshot(dir.path());
    let scratch = tempfile::tempdir().unwrap();
    let rooted = Unit {
        root: scratch.path().to_path_buf(),
        ..new.clone()
    };
    sync(&rooted, Mode::Write).unwrap();
    let mut after = snapshot(scratch.path());
    after.insert("tf/e.tf".into(), before[Path::new("tf/e.tf")].clone());
    (dir, new, [before, after])
}

#[test]
fn a_failed_write_leaves_the_old_tree_exactly() {
    let mut counting = Failing::default();
    let (_dir, new, _) = old_and_new();
    sync_with(&new, Mode::Write, &mut counting).unwrap();
    assert_eq!(counting.writes, 3, "a, b and d are written");
    for n in 1..=counting.writes {
        let (dir, new, [before, _]) = old_and_new();
        let mut fs = Failing {
            write: n,
            ..Failing::default()
        };
        let e = sync_with(&new, Mode::Write, &mut fs).unwrap_err();
        assert!(e.to_string().contains("injected write failure"), "{e}");
        assert_eq!(fs.renames, 0, "write {n}: nothing renamed");
        assert_eq!(snapshot(dir.path()), before, "write {n}");
        assert!(
            !dir.path().join("k8s").exists(),
            "write {n}: folders removed"
        );
    }
}

#[test]
fn a_failed_rename_leaves_each_file_whole_old_or_new() {
    for n in 1..=3 {
        let (dir, new, [before, after]) = old_and_new();
        let mut fs = Failing {
            rename: n,
            ..Failing::default()
        };
        let e = sync_with(&new, Mode::Write, &mut fs).unwrap_err();
        assert!(
            e.to_string().contains(&format!(
                "{} of 3 changed file(s) had already been replaced",
                n - 1
            )),
            "{e}"
        );
        let now = snapshot(dir.path());
        let mut replaced = 0;
        let paths: BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
        for path in paths {
            let state = (now.get(path), before.get(path), after.get(path));
            match state {
                (Some(f), Some(old), _) if f == old => {}
                (Some(f), _, Some(new)) if f == new => {
                    replaced += usize::from(before.get(path) != Some(new))
                }
                (None, None, Some(_)) => {}
                _ => panic!("rename {n}: {} is neither old nor new", path.display()),
            }
        }
        assert_eq!(replaced, n - 1, "rename {n}");
        assert!(
            now.keys()
                .all(|p| !p.to_string_lossy().contains(TEMP_INFIX)),
            "rename {n}: {now:?}"
        );
        // The next build finishes the job.
        sync(&new, Mode::Write).unwrap();
        let mut done = after.clone();
        done.remove(Path::new("tf/e.tf"));
        assert_eq!(snapshot(dir.path()), done, "rename {n}");
    }
}

#[test]
fn a_failed_write_in_one_spec_changes_no_spec() {
    let (dir, new, [before, _]) = old_and_new();
    let other = Unit {
        spec_file: "other.yaml".into(),
        dirs: vec![],
        ..unit(dir.path(), &[("other/x.tf", HEAD)])
    };
    // The other spec's one file is the last write.
    let mut fs = Failing {
        write: 4,
        ..Failing::default()
    };
    let e = sync_all(&[new.clone(), other.clone()], Mode::Write, &mut fs).unwrap_err();
    assert_eq!(e.unit, 1);
    assert!(e.error.to_string().contains("other/x.tf"), "{}", e.error);
    assert!(
        e.error.to_string().contains("no file was changed"),
        "{}",
        e.error
    );
    assert_eq!(snapshot(dir.path()), before);
    sync_all(&[new, other], Mode::Write, &mut RealFs).unwrap();
    assert!(dir.path().join("other/x.tf").exists());
}

#[test]
fn temporary_files_are_never_stale_and_leftovers_are_removed() {
    let (dir, new, _) = old_and_new();
    sync(&new, Mode::Write).unwrap();
    let left = dir.path().join("tf/.a.tf.wisp-4000000.tmp");
    let mine = dir.path().join("tf/.a.tf.wisp-notes.tmp");
    fs::write(&left, HEAD).unwrap();
    fs::write(&mine, HEAD).unwrap();
    assert!(sync(&new, Mode::Check)
        .unwrap()
        .iter()
        .all(|f| f.status == Status::Unchanged));
    assert!(left.exists(), "check writes nothing");
    sync(&new, Mode::Write).unwrap();
    assert!(!left.exists(), "a killed build's temporary file is removed");
    assert!(mine.exists(), "only wisp's own names are");
}
