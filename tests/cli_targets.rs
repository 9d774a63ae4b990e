//! `wisp build` from the command line writes the Helm and Kubernetes folders, and writes
//! nothing at all when a target lacks an input it cannot do without.

mod common;

use common::files;
use std::path::Path;
use std::process::Command;

fn wisp(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wisp"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
fn build_writes_helm_and_kubernetes_folders() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let run = wisp(&["build", "fixtures/valid/open-webui.yaml", "--out", o]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let files = files(out.path());
    for want in [
        "helm/README.md",
        "helm/values.yaml",
        "kubernetes/federated-credential.yaml",
        "kubernetes/helm-release.yaml",
        "kubernetes/helm-repository.yaml",
        "kubernetes/identity.yaml",
        "kubernetes/kustomization.yaml",
        "kubernetes/namespace.yaml",
        "kubernetes/role-assignments.yaml",
        "terraform/main.tf",
    ] {
        assert!(
            files.iter().any(|f| f == Path::new(want)),
            "{want} missing from {files:?}"
        );
    }
}

#[test]
fn missing_kubernetes_inputs_write_nothing() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let run = wisp(&[
        "build",
        "fixtures/invalid/kubernetes-without-inputs.yaml",
        "--out",
        o,
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("error[target-input]"), "{stderr}");
    assert!(
        stderr.contains("kubernetes-without-inputs.yaml:5:1"),
        "{stderr}"
    );
    assert!(
        files(out.path()).is_empty(),
        "the helm target must not be written either"
    );
}
