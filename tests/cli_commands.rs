//! The built `wisp` binary: `schema`, `init`, `explain`, `completions`, help, version and
//! a closed pipe.

mod common;

use common::*;
use std::fs;
use std::process::{Command, Stdio};

#[test]
fn schema_prints_the_committed_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = wisp(dir.path(), &["schema"]);
    assert_eq!(run.code, 0);
    let committed = include_str!("../schema/wisp.schema.json");
    assert_eq!(run.stdout, committed);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [&["schema"][..], &["completions", "bash"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wisp"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
}

#[test]
fn init_writes_a_spec_that_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let run = wisp(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let spec = fs::read_to_string(dir.path().join("wisp.yaml")).unwrap();
    assert!(spec.starts_with("# wisp spec"));
    let run = wisp(dir.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("terraform/main.tf").exists());
    assert_eq!(wisp(dir.path(), &["check"]).code, 0);
    assert_eq!(wisp(dir.path(), &["validate"]).stderr, "1 spec(s) valid\n");

    fs::write(dir.path().join("wisp.yaml"), "mine\n").unwrap();
    let run = wisp(dir.path(), &["init"]);
    assert_eq!(run.code, 2);
    assert!(run
        .stderr
        .contains("`wisp.yaml` already exists; wisp init does not overwrite it"));
    assert_eq!(
        fs::read_to_string(dir.path().join("wisp.yaml")).unwrap(),
        "mine\n"
    );

    let run = wisp(dir.path(), &["init", "--out", "infra/app.wisp.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("infra/app.wisp.yaml")).unwrap(),
        spec
    );
}

#[test]
fn explain_says_where_each_value_came_from() {
    let dir = tree();
    let run = wisp(dir.path(), &["explain", "wisp.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    for expected in [
        "wisp.yaml: Helm release `open-webui` of chart `open-webui` 16.0.0 in namespace `open-webui`",
        "  terraform: on: spec line 37 (`targets.terraform`)",
        "    folder `terraform`, spec line 38 (`targets.terraform.dir`)",
        "      azurerm_federated_identity_credential.this",
        "      helm_release.this",
        "  helm: on: spec line 40 (`targets.helm`)\n    folder `helm`, default: `helm`",
        "  bicep: on: spec line 42 (`targets.bicep`)",
        "  subject = system:serviceaccount:open-webui:open-webui\n      derived: `system:serviceaccount:<namespace>:<serviceAccount>`, lines 13 and 14",
        "  federated credential = federated-identity\n      spec line 17 (`identity.federatedCredentialName`)",
        "  role 1 = Cognitive Services OpenAI User (5e0bd9bd-7b93-4f28-af87-19fc36ad61bd)\n      spec line 19 (`identity.roleAssignments[0].role`)",
        "  terraform azurerm provider = ~> 4.65\n      spec line 39 (`targets.terraform.providers.azurerm`)\n      syntax: `~> 4.65` admits >= 4.65.0, < 5.0.0, all of which accept `user_assigned_identity_id`",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }

    fs::write(
        dir.path().join("tutorial.wisp.yaml"),
        TUTORIAL.replace("  federatedCredentialName: federated-identity\n", ""),
    )
    .unwrap();
    let out = wisp(dir.path(), &["explain", "tutorial.wisp.yaml"]).stdout;
    assert!(out.contains("  federated credential = open-webui-open-webui\n      default: `<namespace>-<serviceAccount>`"), "{out}");
    assert!(
        out.contains("      data.azurerm_kubernetes_cluster.this"),
        "{out}"
    );
    assert!(
        out.contains(
            "syntax: `~> 2.17` admits >= 2.17.0, < 3.0.0, all of which accept `set { }` blocks"
        ),
        "{out}"
    );
}

#[test]
fn help_version_and_completions() {
    let dir = tempfile::tempdir().unwrap();
    let run = wisp(dir.path(), &["--version"]);
    assert_eq!(run.stdout, format!("wisp {}\n", env!("CARGO_PKG_VERSION")));
    for cmd in [
        "build",
        "check",
        "validate",
        "schema",
        "init",
        "explain",
        "completions",
    ] {
        let run = wisp(dir.path(), &[cmd, "--help"]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.contains("Example"),
            "{cmd} --help has no example"
        );
    }
    for shell in ["bash", "zsh", "fish"] {
        let run = wisp(dir.path(), &["completions", shell]);
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("validate"), "{shell}");
    }
}
