//! Hostile strings (`${`, `%{`, quotes, backslashes, newlines, `yes`/`no`/`on`, `007`,
//! dates, GUIDs, non-ASCII) from the spec come back unchanged from every YAML file every
//! target writes, and stay one shell word on one line in the READMEs' commands. The YAML 1.1
//! reading of the same files is checked by `scripts/conformance`.

use serde::Deserialize;
use serde_yaml::Value;
use std::path::Path;

const FIXTURE: &str = "fixtures/valid/hostile-strings.yaml";

/// Every mapping under a `podAnnotations` key, anywhere in `v`.
fn pod_annotations<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                if k.as_str() == Some("podAnnotations") {
                    out.push(child);
                }
                pod_annotations(child, out);
            }
        }
        Value::Sequence(items) => items.iter().for_each(|i| pod_annotations(i, out)),
        _ => {}
    }
}

#[test]
fn chart_values_survive_every_yaml_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let text = std::fs::read_to_string(&path).unwrap();
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let want = &spec["release"]["values"]["podAnnotations"];
    assert!(want.as_mapping().is_some_and(|m| m.len() >= 10));

    let source = wisp::source::Source::new(FIXTURE, text.clone());
    let artifacts = wisp::compile(&source).unwrap().artifacts.expect("valid");
    let mut seen = 0;
    for a in artifacts
        .iter()
        .filter(|a| a.path.extension().is_some_and(|e| e == "yaml"))
    {
        for doc in serde_yaml::Deserializer::from_str(&a.contents) {
            let doc = Value::deserialize(doc).unwrap();
            let mut found = Vec::new();
            pod_annotations(&doc, &mut found);
            for got in found {
                assert_eq!(got, want, "{}", a.path.display());
                seen += 1;
            }
        }
    }
    // Terraform's values file, the Helm values and the Flux HelmRelease.
    assert_eq!(seen, 3);
}

#[test]
fn names_that_look_like_other_types_stay_strings() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let source = wisp::source::Source::new(FIXTURE, std::fs::read_to_string(path).unwrap());
    let artifacts = wisp::compile(&source).unwrap().artifacts.expect("valid");
    let file = |name: &str| {
        let a = artifacts
            .iter()
            .find(|a| a.path.ends_with(name))
            .unwrap_or_else(|| panic!("{name} written"));
        serde_yaml::from_str::<Value>(&a.contents).unwrap()
    };
    let ns = file("kubernetes/namespace.yaml");
    assert_eq!(ns["metadata"]["name"], Value::from("on"));
    let values = file("helm/values.yaml");
    assert_eq!(values["serviceAccount"]["name"], Value::from("007"));
    assert_eq!(
        values["podLabels"]["azure.workload.identity/use"],
        Value::from("true")
    );
    let identity = file("kubernetes/identity.yaml");
    assert_eq!(identity["spec"]["azureName"], Value::from("yes"));
    assert!(artifacts
        .iter()
        .filter(|a| a.path.extension().is_some_and(|e| e == "yaml"))
        .all(|a| !a.contents.contains(": on\n") && !a.contents.contains(": 007\n")));
}

#[test]
fn readme_commands_keep_every_value_on_its_line() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace(
            "repository: https://helm.openwebui.com/",
            r#"repository: "https://helm.openwebui.com/\nrm -rf ~ '\t""#,
        )
        .replace("  kubernetes: {}\n", "  kubernetes: {}\n  bicep: {}\n");
    let source = wisp::source::Source::new(FIXTURE, text);
    let compiled = wisp::compile(&source).unwrap();
    let artifacts = compiled.artifacts.expect("valid");
    let readmes: Vec<_> = artifacts
        .iter()
        .filter(|a| a.path.ends_with("README.md") && a.contents.contains("--repo"))
        .collect();
    // The Helm and Bicep READMEs each carry the `helm upgrade` command.
    assert_eq!(readmes.len(), 2);
    for a in readmes {
        assert!(
            a.contents
                .contains(r"--repo $'https://helm.openwebui.com/\nrm -rf ~ \'\t' "),
            "{}:\n{}",
            a.path.display(),
            a.contents
        );
        assert!(!a.contents.lines().any(|l| l.starts_with("rm -rf")));
    }
}
