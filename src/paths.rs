//! Target folders: the folders a spec's targets write into, and the rule that keeps them
//! inside the output root.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Targets;
use crate::rules;
use crate::yaml::{Node, NodeKind};
use std::path::{Component, Path, PathBuf};

/// Every enabled target with its folder, relative to the output root, in a fixed order.
/// `check` looks for stale files in these folders and nowhere else.
pub fn target_dirs(targets: &Targets) -> Vec<(&'static str, &str)> {
    let mut dirs = Vec::new();
    if let Some(t) = &targets.terraform {
        dirs.push(("terraform", t.dir.as_str()));
    }
    if let Some(t) = &targets.helm {
        dirs.push(("helm", t.dir.as_str()));
    }
    if let Some(t) = &targets.kubernetes {
        dirs.push(("kubernetes", t.dir.as_str()));
    }
    if let Some(t) = &targets.bicep {
        dirs.push(("bicep", t.dir.as_str()));
    }
    dirs
}

/// Whether a folder written in a spec leaves the output root: an absolute path, a drive or
/// UNC prefix, or any `..` step.
pub fn escapes(dir: &str) -> bool {
    let path = Path::new(dir);
    dir.starts_with(['/', '\\'])
        || dir.contains('\\')
        || dir.get(1..2) == Some(":")
        || path.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        })
}

/// One diagnostic for every `targets.<name>.dir` that leaves the output root.
pub fn check_dirs(tree: &Node) -> Diagnostics {
    let mut diags = Vec::new();
    let Some(NodeKind::Map(targets)) = tree.pointer("/targets").map(|n| &n.kind) else {
        return diags;
    };
    for (key, target) in targets {
        let Some(dir) = target.pointer("/dir") else {
            continue;
        };
        let NodeKind::Str(text) = &dir.kind else {
            continue;
        };
        if escapes(text) {
            let name = match &key.kind {
                NodeKind::Str(s) => s.as_str(),
                _ => "?",
            };
            diags.push(
                Diagnostic::error(
                    &rules::TARGET_DIR_OUTSIDE,
                    format!("the {name} folder `{text}` is outside the output root"),
                )
                .at(dir.span)
                .help(format!(
                    "use a folder below the spec's folder (e.g. `{name}`), or pass `--allow-outside` if this layout is deliberate"
                )),
            );
        }
    }
    diags
}

/// A path made absolute (against the current folder) with `.` and `..` steps resolved
/// lexically, so that two spellings of one file compare equal.
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_that_leave_the_root_escape() {
        for dir in ["..", "../x", "a/../../b", "/etc", "\\x", "C:/x", "a\\..\\b"] {
            assert!(escapes(dir), "{dir}");
        }
        for dir in ["terraform", "infra/tf", "./tf", "a..b", ""] {
            assert!(!escapes(dir), "{dir}");
        }
    }

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
