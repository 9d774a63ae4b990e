//! The built `wisp` binary on fixture trees: `build`, `check` and `validate`, their exit
//! codes, stdout, stderr and the files on disk.

mod common;

use common::*;
use std::fs;
use std::path::PathBuf;

#[test]
fn build_writes_next_to_the_spec_and_check_passes() {
    let dir = built();
    let expected: Vec<PathBuf> = [
        "bicep/README.md",
        "bicep/main.bicep",
        "bicep/main.bicepparam",
        "bicep/rolesRgAi.bicep",
        "helm/README.md",
        "helm/values.yaml",
        "kubernetes/README.md",
        "kubernetes/federated-credential.yaml",
        "kubernetes/helm-release.yaml",
        "kubernetes/helm-repository.yaml",
        "kubernetes/identity.yaml",
        "kubernetes/kustomization.yaml",
        "kubernetes/namespace.yaml",
        "kubernetes/role-assignments.yaml",
        "terraform/main.tf",
        "terraform/outputs.tf",
        "terraform/values.yaml",
        "terraform/versions.tf",
        "wisp.yaml",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(files(dir.path()), expected);
    let main = fs::read_to_string(dir.path().join("terraform/main.tf")).unwrap();
    assert!(main.starts_with(HEADER));

    let run = wisp(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run
        .stderr
        .contains("18 generated file(s) of 1 spec(s) up to date"));
    assert_eq!(wisp(dir.path(), &["check", "--quiet"]).stderr, "");
}

#[test]
fn check_after_editing_a_generated_file_fails_with_a_diff() {
    let dir = built();
    let main = dir.path().join("terraform/main.tf");
    let edited = fs::read_to_string(&main).unwrap().replace(
        "  name       = \"open-webui\"",
        "  name       = \"hand-edited\"",
    );
    fs::write(&main, &edited).unwrap();

    let run = wisp(dir.path(), &["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with(
        "drifted: `terraform/main.tf` differs from what `wisp.yaml` generates\n--- terraform/main.tf (on disk)\n+++ terraform/main.tf (generated)\n@@"
    ), "{}", run.stdout);
    assert!(
        run.stdout.contains("\n-  name       = \"hand-edited\"\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\n+  name       = \"open-webui\"\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'), "no colour on a pipe");
    assert!(run
        .stderr
        .contains("1 generated file(s) do not match their spec; run `wisp build`"));
    // check never writes.
    assert_eq!(fs::read_to_string(&main).unwrap(), edited);

    let run = wisp(dir.path(), &["build", "--quiet"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(wisp(dir.path(), &["check"]).code, 0);
}

#[test]
fn colour_only_where_asked_for_and_never_with_no_color() {
    let dir = built();
    fs::write(dir.path().join("terraform/main.tf"), "edited\n").unwrap();
    let forced = wisp_env(dir.path(), &["check"], &[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.stdout.contains("\x1b[31m-edited\x1b[0m"),
        "{:?}",
        forced.stdout
    );
    let plain = wisp_env(
        dir.path(),
        &["check"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert_eq!(plain.code, 1);
    assert!(plain.stdout.contains("\n-edited\n") && !plain.stdout.contains('\x1b'));
}

#[test]
fn check_after_deleting_a_generated_file_reports_it_missing() {
    let dir = built();
    fs::remove_file(dir.path().join("terraform/outputs.tf")).unwrap();
    let run = wisp(dir.path(), &["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "missing: `terraform/outputs.tf` is generated from `wisp.yaml` but does not exist\n"
    );
}

#[test]
fn stale_files_are_reported_and_only_wisps_own_are_removed() {
    let dir = built();
    let tf = dir.path().join("terraform");
    fs::write(
        tf.join("old.tf"),
        format!("{HEADER}resource \"x\" \"y\" {{}}\n"),
    )
    .unwrap();
    fs::write(tf.join("hand.tf"), "# written by hand\n").unwrap();
    let other = HEADER.replace("wisp.yaml", "other.wisp.yaml");
    fs::write(tf.join("other.tf"), &other).unwrap();

    let run = wisp(dir.path(), &["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "stale: `terraform/old.tf` was generated from `wisp.yaml`, which no longer produces it\n"
    );
    assert!(tf.join("old.tf").exists());

    let run = wisp(dir.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("removed `terraform/old.tf`"),
        "{}",
        run.stderr
    );
    assert!(!tf.join("old.tf").exists());
    assert_eq!(
        fs::read_to_string(tf.join("hand.tf")).unwrap(),
        "# written by hand\n"
    );
    assert_eq!(fs::read_to_string(tf.join("other.tf")).unwrap(), other);
    assert_eq!(wisp(dir.path(), &["check"]).code, 0);
}

#[test]
fn check_json_lists_the_same_findings() {
    let dir = built();
    fs::remove_file(dir.path().join("terraform/outputs.tf")).unwrap();
    fs::write(dir.path().join("terraform/main.tf"), "edited\n").unwrap();
    let run = wisp(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["status"], "drifted");
    assert_eq!(lines[0]["file"], "terraform/main.tf");
    assert_eq!(lines[0]["spec"], "wisp.yaml");
    assert!(lines[0]["diff"].as_str().unwrap().contains("\n-edited\n"));
    assert_eq!(lines[1]["status"], "missing");
    assert_eq!(run.stderr, "");
}

#[test]
fn check_of_an_unreadable_spec_names_the_file() {
    let dir = built();
    let run = wisp(dir.path(), &["check", "wisp.yaml", "nope.wisp.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error: cannot read `nope.wisp.yaml`"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "the readable spec matches");
    assert!(!run.stderr.contains("up to date"), "{}", run.stderr);

    fs::write(dir.path().join("latin1.wisp.yaml"), b"name: \xe9\n").unwrap();
    let run = wisp(dir.path(), &["check", "latin1.wisp.yaml"]);
    assert_eq!(run.code, 1, "a spec that is not UTF-8 is an invalid spec");
    assert!(run
        .stderr
        .contains("error[spec-file]: the spec is not UTF-8 text"));
    assert!(
        run.stderr.contains("--> latin1.wisp.yaml:1:7"),
        "{}",
        run.stderr
    );

    fs::write(dir.path().join("broken.wisp.yaml"), "apiVersion: [\n").unwrap();
    let run = wisp(dir.path(), &["check", "broken.wisp.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[yaml-syntax]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--> broken.wisp.yaml:"),
        "{}",
        run.stderr
    );
}

#[test]
fn commands_without_a_spec_need_wisp_yaml_here() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["build", "check", "validate"] {
        let run = wisp(dir.path(), &[cmd]);
        assert_eq!(run.code, 2, "{cmd}");
        assert!(
            run.stderr.contains("no `wisp.yaml` in the current folder"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn validate_reports_every_problem_of_every_file_in_one_run() {
    let dir = tree();
    let root = env!("CARGO_MANIFEST_DIR");
    for name in ["many-errors", "unknown-role"] {
        fs::copy(
            format!("{root}/fixtures/invalid/{name}.yaml"),
            dir.path().join(format!("{name}.wisp.yaml")),
        )
        .unwrap();
    }
    let args = [
        "validate",
        "wisp.yaml",
        "many-errors.wisp.yaml",
        "unknown-role.wisp.yaml",
    ];
    let run = wisp(dir.path(), &args);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--> many-errors.wisp.yaml:"));
    assert!(run.stderr.contains("--> unknown-role.wisp.yaml:"));
    assert!(run.stderr.contains("2 of 3 spec(s) have problems"));
    assert_eq!(files(dir.path()).len(), 3, "validate writes nothing");

    let run = wisp(dir.path(), &[&args[..], &["--format", "json"]].concat());
    assert_eq!(run.code, 1);
    let files: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(files.len() > 2 && files.contains(&"unknown-role.wisp.yaml".to_string()));

    let run = wisp(dir.path(), &["validate", "wisp.yaml"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, "1 spec(s) valid\n"));
}

#[test]
fn build_of_several_specs_writes_each_next_to_its_spec() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("a")).unwrap();
    fs::create_dir_all(dir.path().join("b")).unwrap();
    fs::write(dir.path().join("a/app.wisp.yaml"), SPEC).unwrap();
    fs::write(dir.path().join("b/wisp.yaml"), TUTORIAL).unwrap();
    let run = wisp(dir.path(), &["build", "a/app.wisp.yaml", "b/wisp.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let a = fs::read_to_string(dir.path().join("a/terraform/main.tf")).unwrap();
    assert!(a.starts_with("# Code generated by wisp from app.wisp.yaml."));
    assert!(dir.path().join("b/terraform/main.tf").exists());
    assert_eq!(
        wisp(dir.path(), &["check", "a/app.wisp.yaml", "b/wisp.yaml"]).code,
        0
    );
}

#[test]
fn two_specs_writing_one_file_is_an_error_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.wisp.yaml"), SPEC).unwrap();
    fs::write(dir.path().join("b.wisp.yaml"), TUTORIAL).unwrap();
    let run = wisp(dir.path(), &["build", "a.wisp.yaml", "b.wisp.yaml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error: `a.wisp.yaml` and `b.wisp.yaml` would both write `terraform/versions.tf`"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing written"));
    assert_eq!(files(dir.path()).len(), 2);
}

#[test]
fn an_invalid_spec_stops_every_write() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("bad")).unwrap();
    fs::write(dir.path().join("wisp.yaml"), SPEC).unwrap();
    fs::write(
        dir.path().join("bad/wisp.yaml"),
        SPEC.replace("role: Cognitive Services OpenAI User", "role: Nope"),
    )
    .unwrap();
    let run = wisp(dir.path(), &["build", "wisp.yaml", "bad/wisp.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[unknown-role]"));
    assert!(run.stderr.contains("nothing written"));
    assert_eq!(files(dir.path()).len(), 2);
}

#[test]
fn target_folders_outside_the_root_need_allow_outside() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("specs")).unwrap();
    let spec = SPEC.replace("dir: terraform", "dir: ../infra/terraform");
    fs::write(dir.path().join("specs/wisp.yaml"), spec).unwrap();
    let run = wisp(dir.path(), &["build", "specs/wisp.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[target-dir-outside]: the terraform folder `../infra/terraform` is outside the output root"));
    assert!(
        run.stderr.contains("--> specs/wisp.yaml:38:10"),
        "{}",
        run.stderr
    );
    assert_eq!(files(dir.path()).len(), 1);

    let run = wisp(dir.path(), &["build", "specs/wisp.yaml", "--allow-outside"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("infra/terraform/main.tf").exists());
    assert_eq!(
        wisp(dir.path(), &["check", "specs/wisp.yaml", "--allow-outside"]).code,
        0
    );
}

#[test]
fn out_puts_target_folders_under_another_root() {
    let dir = tree();
    let run = wisp(dir.path(), &["build", "--out", "gen"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("gen/terraform/main.tf").exists());
    assert_eq!(wisp(dir.path(), &["check", "--out", "gen"]).code, 0);
    assert_eq!(
        wisp(dir.path(), &["check"]).code,
        1,
        "nothing next to the spec"
    );
}
