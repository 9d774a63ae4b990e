//! Snapshots of every output file of every valid fixture, and of the rendered diagnostics
//! of every invalid one. Valid fixtures must have no errors and invalid ones at least one,
//! checked before snapshotting so a wrong snapshot cannot be accepted by accident.

use std::path::Path;
use wisp::diagnostics::render;
use wisp::source::Source;

fn source(path: &Path) -> Source {
    let text = std::fs::read_to_string(path).unwrap();
    let rel = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_path_buf();
    Source::new(rel, text)
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn valid_fixtures() {
    insta::glob!("../fixtures/valid", "*.yaml", |path| {
        let source = source(path);
        let compiled = wisp::compile(&source).expect("emitters run");
        let errors: Vec<String> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| render(d, &source))
            .collect();
        assert!(
            errors.is_empty(),
            "valid fixture has errors:\n{}",
            errors.join("\n")
        );
        let warnings: String = compiled
            .diagnostics
            .iter()
            .map(|d| render(d, &source))
            .collect();
        insta::assert_snapshot!(format!("{}@warnings", stem(path)), warnings);
        for artifact in compiled.artifacts.unwrap() {
            let name = artifact.path.to_string_lossy().replace('\\', "/");
            insta::assert_snapshot!(format!("{}@{name}", stem(path)), artifact.contents);
        }
    });
}

#[test]
fn invalid_fixtures() {
    insta::glob!("../fixtures/invalid", "*.yaml", |path| {
        let source = source(path);
        let (_, diagnostics) = wisp::check(&source);
        assert!(
            diagnostics.iter().any(|d| d.is_error()),
            "invalid fixture {} reports no error",
            path.display()
        );
        let rendered: String = diagnostics
            .iter()
            .map(|d| render(d, &source) + "\n")
            .collect();
        insta::assert_snapshot!(stem(path), rendered);
    });
}
