//! Faults end to end through the `wisp` binary: output that cannot be written, files and
//! folders in the way, specs that are not spec text, a 10 MB spec; each gives a message
//! naming the file, its exit code and no partial output. Then determinism: the same bytes
//! across runs, output folders and the order specs are given in.

mod common;

use common::{files, tree, wisp, SPEC};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(dir.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Runs `wisp build` with `args` in `dir`, expecting `code` and a message containing each of
/// `says`, and the folder unchanged (nothing written, no temporary file left).
fn fails(dir: &Path, args: &[&str], code: i32, says: &[&str]) {
    let before = snapshot(dir);
    let run = wisp(dir, args);
    assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
    for s in says {
        assert!(
            run.stderr.contains(s),
            "{args:?}: no {s:?} in {}",
            run.stderr
        );
    }
    assert_eq!(snapshot(dir), before, "{args:?} changed the folder");
}

#[test]
#[cfg(target_os = "linux")]
fn an_output_folder_that_cannot_be_created_is_exit_2() {
    // Nobody, root included, can create a folder in /proc.
    let out = format!("/proc/wisp-faults-{}", std::process::id());
    let dir = tree();
    fails(
        dir.path(),
        &["build", "--out", &out],
        2,
        &[
            "error: cannot write the files of `wisp.yaml`",
            &format!("{out}: cannot create the folder"),
            "no file was changed",
        ],
    );
}

#[test]
fn a_file_where_a_folder_must_be_is_exit_2() {
    let dir = tree();
    fs::write(dir.path().join("out"), "mine\n").unwrap();
    fails(
        dir.path(),
        &["build", "--out", "out"],
        2,
        &["a file is in the way: `out` must be a folder"],
    );
    // A target folder taken by a file: no other target folder is created either.
    fs::write(dir.path().join("helm"), "mine\n").unwrap();
    fails(
        dir.path(),
        &["build"],
        2,
        &["a file is in the way: `helm` must be a folder"],
    );
    let run = wisp(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`helm` must be a folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_folder_where_a_file_must_be_is_exit_2() {
    let dir = tree();
    fs::create_dir_all(dir.path().join("helm/values.yaml")).unwrap();
    fails(
        dir.path(),
        &["build"],
        2,
        &["helm/values.yaml: a folder is in the way: it must be a file"],
    );
}

/// A write that fails once other files have been written beside their targets: every
/// temporary file and new folder is removed, no file is replaced, in any spec of the run.
#[test]
#[cfg(target_os = "linux")]
fn a_write_failing_part_way_changes_nothing() {
    let dir = tree();
    fs::create_dir(dir.path().join("b")).unwrap();
    fs::write(dir.path().join("b/b.yaml"), SPEC).unwrap();
    let run = wisp(dir.path(), &["build", "wisp.yaml", "b/b.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Every file of both specs changes; the second spec's Kubernetes folder (written after
    // its Terraform and Helm files) cannot be created.
    let changed = SPEC.replace("size: 10Gi", "size: 20Gi");
    let unwritable = format!("/proc/wisp-faults-{}", std::process::id());
    fs::write(dir.path().join("wisp.yaml"), &changed).unwrap();
    let blocked = changed.replace(
        "  kubernetes: {}",
        &format!("  kubernetes: {{ dir: {unwritable} }}"),
    );
    fs::write(dir.path().join("b/b.yaml"), blocked).unwrap();
    fails(
        dir.path(),
        &["build", "--allow-outside", "wisp.yaml", "b/b.yaml"],
        2,
        &[
            "cannot write the files of `b/b.yaml`",
            &format!("{unwritable}: cannot create the folder"),
            "no file was changed",
        ],
    );
}

#[test]
fn a_spec_that_is_a_folder_is_exit_2() {
    let dir = tree();
    fs::create_dir(dir.path().join("specs.yaml")).unwrap();
    fails(
        dir.path(),
        &["build", "specs.yaml"],
        2,
        &["error: cannot read `specs.yaml`: it is a folder, not a spec file"],
    );
}

#[test]
fn specs_that_are_not_spec_text_are_exit_1_at_their_position() {
    let dir = tree();
    let cases: [(&str, &[u8], &[&str]); 5] = [
        (
            "empty.yaml",
            b"",
            &["error[yaml-syntax]: the spec is empty", "--> empty.yaml"],
        ),
        (
            "comments.yaml",
            b"# nothing but a comment\n\n",
            &["error[yaml-syntax]: the spec is empty", "--> comments.yaml"],
        ),
        (
            "binary.yaml",
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x89\xff\n",
            &[
                "error[spec-file]: the spec is a binary file",
                "--> binary.yaml:1:8",
            ],
        ),
        (
            "latin1.yaml",
            b"apiVersion: wisp/v1\nname: caf\xe9\n",
            &[
                "error[spec-file]: the spec is not UTF-8 text: byte 0xE9",
                "--> latin1.yaml:2:10",
            ],
        ),
        (
            "utf16.yaml",
            b"\xff\xfea\x00p\x00i\x00",
            &[
                "error[spec-file]: the spec is UTF-16 text",
                "--> utf16.yaml:1:1",
            ],
        ),
    ];
    for (name, bytes, says) in cases {
        fs::write(dir.path().join(name), bytes).unwrap();
        let mut all = says.to_vec();
        all.push("nothing written");
        fails(dir.path(), &["build", "wisp.yaml", name], 1, &all);
        let run = wisp(dir.path(), &["validate", name]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            !run.stderr.contains('\x1b') && !run.stderr.contains('\0'),
            "{name}: raw bytes printed"
        );
    }
}

/// Specs are bounded at 1 MiB: a 10 MB YAML spec (valid YAML, a valid spec followed by
/// comments) is rejected at once, and a spec just under the bound builds.
#[test]
fn a_10_mb_spec_is_rejected_quickly_and_one_under_1_mib_builds() {
    let dir = tree();
    let line = "# padding padding padding padding padding padding padding padding\n";
    let big = format!("{SPEC}{}", line.repeat(10_000_000 / line.len()));
    fs::write(dir.path().join("big.yaml"), &big).unwrap();
    let start = Instant::now();
    fails(
        dir.path(),
        &["build", "big.yaml"],
        1,
        &[
            &format!(
                "error[spec-file]: the spec is {} bytes; a spec may be at most 1 MiB",
                big.len()
            ),
            "--> big.yaml",
        ],
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );

    let under = format!("{SPEC}{}", line.repeat((1 << 20) / line.len() - 30));
    assert!(under.len() < 1 << 20 && under.len() > 1_000_000);
    fs::write(dir.path().join("wisp.yaml"), &under).unwrap();
    let start = Instant::now();
    let run = wisp(dir.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
#[cfg(target_os = "linux")]
fn an_endless_spec_is_read_only_up_to_the_bound() {
    let dir = tree();
    fails(
        dir.path(),
        &["build", "/dev/zero"],
        1,
        &[
            "error[spec-file]: the spec is larger than 1 MiB",
            "--> /dev/zero",
        ],
    );
}

/// Ten specs, each in its own folder: the five valid fixtures and five variants of the
/// reference spec (ten specs are compiled in parallel).
fn spec_tree(dir: &Path) -> Vec<String> {
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/valid");
    let mut specs = Vec::new();
    let mut names: Vec<_> = fs::read_dir(&valid)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let stem = name.trim_end_matches(".yaml");
        fs::create_dir_all(dir.join(stem)).unwrap();
        fs::copy(valid.join(&name), dir.join(stem).join(&name)).unwrap();
        specs.push(format!("{stem}/{name}"));
    }
    for i in 0..5 {
        let folder = format!("app-{i}");
        fs::create_dir_all(dir.join(&folder)).unwrap();
        let spec = SPEC
            .replace("\nname: open-webui\n", &format!("\nname: app-{i}\n"))
            .replace("id-open-webui", &format!("id-app-{i}"));
        fs::write(dir.join(&folder).join("wisp.yaml"), spec).unwrap();
        specs.push(format!("{folder}/wisp.yaml"));
    }
    specs
}

#[test]
fn output_is_the_same_bytes_across_runs_folders_and_orders() {
    let first = tempfile::tempdir().unwrap();
    let specs = spec_tree(first.path());
    assert_eq!(specs.len(), 10);
    let mut args = vec!["build"];
    args.extend(specs.iter().map(String::as_str));
    let run = wisp(first.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = snapshot(first.path());
    assert!(built.len() > 100, "{}", built.len());

    // Again in the same folder: nothing changes.
    let run = wisp(first.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("wrote 0 file(s)").count(),
        10,
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(first.path()), built);

    // In another folder, the specs in reverse and in a shuffled order.
    for order in [
        specs.iter().rev().cloned().collect::<Vec<_>>(),
        [3, 7, 0, 9, 5, 1, 8, 2, 6, 4]
            .map(|i| specs[i].clone())
            .to_vec(),
    ] {
        let second = tempfile::tempdir().unwrap();
        spec_tree(second.path());
        let mut args = vec!["build"];
        args.extend(order.iter().map(String::as_str));
        let run = wisp(second.path(), &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(snapshot(second.path()), built, "{order:?}");
    }

    // One at a time, each into two `--out` folders (relative and absolute): the same bytes
    // as when built in its own folder among the others.
    let outs = tempfile::tempdir().unwrap();
    for spec in &specs {
        let folder = Path::new(spec).parent().unwrap();
        let expected: BTreeMap<PathBuf, Vec<u8>> = built
            .iter()
            .filter_map(|(p, b)| Some((p.strip_prefix(folder).ok()?.to_path_buf(), b.clone())))
            .filter(|(p, _)| p.components().count() > 1)
            .collect();
        assert!(expected.len() > 5, "{spec}: {expected:?}");
        let absolute = outs.path().join("abs").join(folder);
        for out in [
            format!("rel/{}", folder.display()),
            absolute.display().to_string(),
        ] {
            let run = wisp(first.path(), &["build", spec, "--out", &out]);
            assert_eq!(run.code, 0, "{}", run.stderr);
            assert_eq!(
                snapshot(&first.path().join(&out)),
                expected,
                "{spec} --out {out}"
            );
        }
    }
}
