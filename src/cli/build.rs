//! `wisp build`: compile specs and write every enabled target's files.

use super::{print_diagnostics, print_error, read_source, spec_paths, ExitStatus, Format};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Spec files (default: `wisp.yaml` in the current folder).
    specs: Vec<PathBuf>,
    /// Output root: target folders are relative to it (default: each spec's own folder).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Print nothing but problems.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: &Args) -> ExitStatus {
    let mut planned: Vec<(PathBuf, Vec<wisp::emit::Artifact>)> = Vec::new();
    let mut built: Vec<(wisp::source::Source, wisp::model::Model)> = Vec::new();
    let mut failed = false;
    for path in spec_paths(&args.specs) {
        let source = match read_source(&path) {
            Ok(s) => s,
            Err(e) => {
                print_error(&e);
                return ExitStatus::Error;
            }
        };
        let compiled = match wisp::compile(&source) {
            Ok(c) => c,
            Err(e) => {
                print_error(&e.into());
                return ExitStatus::Error;
            }
        };
        print_diagnostics(&source, &compiled.diagnostics, args.format);
        if compiled.has_errors() {
            failed = true;
            continue;
        }
        let root = output_root(&path, args.out.as_deref());
        planned.push((root, compiled.artifacts.unwrap_or_default()));
        if let Some(model) = compiled.model {
            built.push((source, model));
        }
    }
    // Checks over the specs together (an identity's federated credentials).
    let together: Vec<_> = built.iter().map(|(s, m)| (s, m)).collect();
    for (i, d) in wisp::checks::across::check(&together) {
        print_diagnostics(&built[i].0, &[d], args.format);
        failed = true;
    }
    if failed {
        if !args.quiet {
            eprintln!("nothing written: fix the errors above and run `wisp build` again");
        }
        return ExitStatus::Failure;
    }
    // Two specs that would write the same file is an error before anything is written.
    let mut owners: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for (i, (root, artifacts)) in planned.iter().enumerate() {
        for a in artifacts {
            if let Some(other) = owners.insert(root.join(&a.path), i) {
                if other != i {
                    eprintln!(
                        "error: two specs would write `{}`; give them different target folders",
                        root.join(&a.path).display()
                    );
                    return ExitStatus::Failure;
                }
            }
        }
    }
    for (root, artifacts) in &planned {
        match wisp::output::write_all(root, artifacts) {
            Ok(report) => {
                if !args.quiet {
                    eprintln!(
                        "wrote {} file(s), {} unchanged, under {}",
                        report.written.len(),
                        report.unchanged.len(),
                        root.display()
                    );
                }
            }
            Err(e) => {
                print_error(&e.into());
                return ExitStatus::Error;
            }
        }
    }
    ExitStatus::Success
}

/// Where a spec's target folders go: `--out`, or the spec's own folder.
fn output_root(spec: &Path, out: Option<&Path>) -> PathBuf {
    match out {
        Some(o) => o.to_path_buf(),
        None => spec
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    }
}
