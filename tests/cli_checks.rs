//! The semantic checks end to end through the `wisp` binary: every problem of a spec in one
//! run, in source order, nothing written; `wisp rule`; checks across specs built together.

use std::path::Path;
use std::process::{Command, Output};

fn wisp(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wisp"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("wisp runs")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

#[test]
fn several_problems_are_reported_in_one_run_in_order_and_nothing_is_written() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let run = wisp(
        &[
            "build",
            "fixtures/invalid/several-problems.yaml",
            "--out",
            o,
            "--format",
            "json",
        ],
        root(),
    );
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(files_under(out.path()), 0, "nothing may be written");
    let lines: Vec<serde_json::Value> = String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let codes: Vec<&str> = lines.iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "invalid-release-name",
            "unknown-location",
            "invalid-issuer",
            "invalid-namespace-name",
            "privileged-role",
            "broad-scope",
            "literal-secret"
        ]
    );
    let positions: Vec<(u64, u64)> = lines
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["column"].as_u64().unwrap()))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert!(lines
        .iter()
        .all(|l| l["help"].as_str().is_some_and(|h| !h.is_empty())));

    // The human form carries the same problems in the same order.
    let human = wisp(
        &[
            "build",
            "fixtures/invalid/several-problems.yaml",
            "--out",
            o,
        ],
        root(),
    );
    assert_eq!(human.status.code(), Some(1));
    let stderr = String::from_utf8(human.stderr).unwrap();
    let found: Vec<usize> = codes
        .iter()
        .map(|c| stderr.find(&format!("[{c}]")).expect(c))
        .collect();
    assert!(found.windows(2).all(|w| w[0] < w[1]));
    assert!(stderr.contains("--> fixtures/invalid/several-problems.yaml:3:7"));
    assert_eq!(files_under(out.path()), 0);
}

#[test]
fn an_allowed_broad_scope_builds() {
    let out = tempfile::tempdir().unwrap();
    let run = wisp(
        &[
            "build",
            "fixtures/warning/allowed.yaml",
            "--out",
            out.path().to_str().unwrap(),
        ],
        root(),
    );
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("broad-scope") && !stderr.contains("privileged-role"));
    assert!(stderr.contains("warning[issuer-trailing-slash]"));
    assert!(out.path().join("terraform/main.tf").is_file());
}

#[test]
fn every_rule_is_explained_and_listed() {
    let list = wisp(&["rule", "--list"], root());
    assert!(list.status.success());
    let listed = String::from_utf8(list.stdout).unwrap();
    for rule in wisp::rules::ALL {
        assert!(
            listed.lines().any(|l| l.starts_with(rule.code)),
            "{}",
            rule.code
        );
        let one = wisp(&["rule", rule.code], root());
        assert!(one.status.success());
        let text = String::from_utf8(one.stdout).unwrap();
        assert!(text.starts_with(&format!("{}: {}", rule.code, rule.summary)));
        assert!(text.contains(rule.explanation));
    }
    let unknown = wisp(&["rule", "broad-scop"], root());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8(unknown.stderr)
        .unwrap()
        .contains("did you mean `broad-scope`?"));
}

/// `n` specs in their own folders that share one identity.
fn specs_sharing_an_identity(dir: &Path, n: usize) -> Vec<String> {
    let base = std::fs::read_to_string(root().join("fixtures/valid/open-webui.yaml")).unwrap();
    (0..n)
        .map(|i| {
            let sub = dir.join(format!("app{i}"));
            std::fs::create_dir_all(&sub).unwrap();
            let text = base
                .replace("name: open-webui\n", &format!("name: app{i}\n"))
                .replace("namespace: open-webui", &format!("namespace: app{i}"))
                .replace(
                    "federatedCredentialName: federated-identity",
                    &format!("federatedCredentialName: fic-app{i}"),
                );
            let path = sub.join("wisp.yaml");
            std::fs::write(&path, text).unwrap();
            path.to_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn more_than_twenty_credentials_on_one_identity_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs_sharing_an_identity(dir.path(), 21);
    let mut args = vec!["build", "--quiet"];
    args.extend(specs.iter().map(String::as_str));
    let run = wisp(&args, dir.path());
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("error[too-many-credentials]").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("app20/wisp.yaml:16:9"), "{stderr}");
    assert!(
        !dir.path().join("app0/terraform").exists(),
        "nothing may be written"
    );

    let run = wisp(&args[..args.len() - 1], dir.path());
    assert_eq!(run.status.code(), Some(0), "twenty credentials are fine");
}

#[test]
fn every_warning_the_fixtures_report_can_be_allowed() {
    for dir in ["valid", "invalid", "warning"] {
        for entry in std::fs::read_dir(root().join("fixtures").join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let source = wisp::source::Source::new(&path, std::fs::read_to_string(&path).unwrap());
            let (_, diagnostics) = wisp::check(&source);
            for d in diagnostics.iter().filter(|d| !d.is_error()) {
                assert!(
                    wisp::checks::ALLOWABLE
                        .iter()
                        .any(|r| std::ptr::eq(*r, d.rule))
                        || d.rule.code == "unused-allow",
                    "{} warns `{}`, which `allow` does not accept",
                    path.display(),
                    d.rule.code
                );
            }
        }
    }
}
