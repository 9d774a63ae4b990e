//! What `build`, `check` and `validate` share: read every spec, compile it, print its
//! diagnostics and settle where its files go. Nothing here writes a file.
//!
//! Specs are compiled on every core; results are printed in the order the specs were given.

use super::print::{self, Format};
use super::ExitStatus;
use anyhow::Context as _;
use std::path::{Path, PathBuf};
use wisp::input::Input;
use wisp::output::{self, FileStatus, Mode, Unit};
use wisp::source::Source;

#[derive(Debug, clap::Args)]
pub struct SpecArgs {
    /// Spec files (default: `wisp.yaml` in the current folder).
    pub specs: Vec<PathBuf>,
    /// Output root: target folders are relative to it (default: each spec's own folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Allow `targets.*.dir` to leave the output root (`..`, absolute paths).
    #[arg(long)]
    pub allow_outside: bool,
    /// How to print diagnostics (and, for `check`, findings).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// What a command needs of each compiled spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The generated files' contents, to write them (`build`).
    Contents,
    /// Only how they compare with the disk (`check`): the comparison runs right after each
    /// spec compiles and the contents are dropped, so memory stays flat over many specs.
    Comparison,
    /// Neither (`validate`).
    Nothing,
}

/// One spec that compiled without errors, and where its files go. With [`Keep::Comparison`]
/// or [`Keep::Nothing`] the artifacts keep their paths but not their contents.
#[derive(Debug)]
pub struct Planned {
    pub spec: PathBuf,
    pub unit: Unit,
    /// With [`Keep::Comparison`]: how the files on disk compare.
    pub compared: Option<std::io::Result<Vec<FileStatus>>>,
}

/// Every spec that compiled, and the worst problem met on the way.
#[derive(Debug)]
pub struct Plan {
    pub specs: Vec<Planned>,
    pub status: ExitStatus,
    /// How many specs could not be read or have errors.
    pub failed: usize,
}

/// What happened to one spec.
enum Outcome {
    /// It could not be read, or an emitter failed: wisp could not run.
    Broken(anyhow::Error),
    Compiled {
        source: Source,
        diagnostics: wisp::diagnostics::Diagnostics,
        /// The model and where its files go, when the spec has no error.
        built: Option<Box<Built>>,
    },
}

/// A spec without errors: its model, where its files go, and (for `check`) the comparison.
struct Built {
    model: Box<wisp::model::Model>,
    unit: Unit,
    compared: Option<std::io::Result<Vec<FileStatus>>>,
}

/// Reads and compiles every spec; prints every diagnostic; checks that no two specs write
/// the same file.
pub fn plan(args: &SpecArgs, keep: Keep) -> anyhow::Result<Plan> {
    let paths = spec_paths(&args.specs)?;
    let options = wisp::Options {
        allow_outside: args.allow_outside,
    };
    let outcomes = compile_all(&paths, args.out.as_deref(), options, keep);
    let mut plan = Plan {
        specs: Vec::with_capacity(paths.len()),
        status: ExitStatus::Success,
        failed: 0,
    };
    let mut models: Vec<(Source, Box<wisp::model::Model>)> = Vec::new();
    for (path, outcome) in paths.into_iter().zip(outcomes) {
        match outcome {
            Outcome::Broken(e) => {
                print::error(&e);
                plan.status = plan.status.max(ExitStatus::Error);
                plan.failed += 1;
            }
            Outcome::Compiled {
                source,
                diagnostics,
                built,
            } => {
                print::diagnostics(&source, &diagnostics, args.format)?;
                match built {
                    Some(b) => {
                        plan.specs.push(Planned {
                            spec: path,
                            unit: b.unit,
                            compared: b.compared,
                        });
                        models.push((source, b.model));
                    }
                    None => {
                        plan.status = plan.status.max(ExitStatus::Failure);
                        plan.failed += 1;
                    }
                }
            }
        }
    }
    // Checks over the specs together (the federated credentials of one identity).
    let together: Vec<(&Source, &wisp::model::Model)> =
        models.iter().map(|(s, m)| (s, m.as_ref())).collect();
    for (i, d) in wisp::checks::across::check(&together) {
        print::diagnostics(together[i].0, &[d], args.format)?;
        plan.status = plan.status.max(ExitStatus::Failure);
    }
    let units: Vec<&Unit> = plan.specs.iter().map(|p| &p.unit).collect();
    for c in output::collisions(&units) {
        print::err(&format!(
            "{}error{:#}: `{}` and `{}` would both write `{}`; give one of them other target folders (`targets.*.dir`) or build them with different `--out`\n",
            print::RED,
            print::RED,
            plan.specs[c.first].spec.display(),
            plan.specs[c.second].spec.display(),
            c.path.display()
        ));
        plan.status = plan.status.max(ExitStatus::Failure);
    }
    Ok(plan)
}

/// The specs to work on: the ones named, or `wisp.yaml` in the current folder.
fn spec_paths(given: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let default = PathBuf::from("wisp.yaml");
    if !default.exists() {
        anyhow::bail!(
            "no `wisp.yaml` in the current folder; name the spec files, or create one with `wisp init`"
        );
    }
    Ok(vec![default])
}

/// Compiles the specs on every available core, keeping their order.
fn compile_all(
    paths: &[PathBuf],
    out: Option<&Path>,
    options: wisp::Options,
    keep: Keep,
) -> Vec<Outcome> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || paths.len() < 8 {
        return paths
            .iter()
            .map(|p| compile_one(p, out, options, keep))
            .collect();
    }
    let chunk = paths.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|p| compile_one(p, out, options, keep))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("compiling a spec does not panic"))
            .collect()
    })
}

fn compile_one(path: &Path, out: Option<&Path>, options: wisp::Options, keep: Keep) -> Outcome {
    let source = match read_source(path) {
        Ok(Input::Text(s)) => s,
        Ok(Input::Rejected(source, d)) => {
            return Outcome::Compiled {
                source,
                diagnostics: vec![d],
                built: None,
            }
        }
        Err(e) => return Outcome::Broken(e),
    };
    let compiled = match wisp::compile_with(&source, options) {
        Ok(c) => c,
        Err(e) => {
            return Outcome::Broken(
                anyhow::Error::new(e).context(format!("cannot build `{}`", path.display())),
            )
        }
    };
    let built = match (compiled.model, compiled.artifacts) {
        (Some(model), Some(artifacts)) if !compiled.diagnostics.iter().any(|d| d.is_error()) => {
            let mut unit = Unit {
                root: output_root(path, out),
                spec_file: model.spec_file.clone(),
                dirs: wisp::paths::target_dirs(&model.targets)
                    .into_iter()
                    .map(|(_, dir)| dir.to_string())
                    .collect(),
                artifacts,
            };
            let compared = (keep == Keep::Comparison).then(|| output::sync(&unit, Mode::Check));
            if keep != Keep::Contents {
                for a in &mut unit.artifacts {
                    a.contents = String::new();
                }
            }
            Some(Box::new(Built {
                model: Box::new(model),
                unit,
                compared,
            }))
        }
        _ => None,
    };
    Outcome::Compiled {
        source,
        diagnostics: compiled.diagnostics,
        built,
    }
}

/// Reads a spec file: its text, or a diagnostic when it is not spec text (too large,
/// binary, not UTF-8). A file that cannot be read is an error naming it.
pub fn read_source(path: &Path) -> anyhow::Result<Input> {
    wisp::input::read(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// Where a spec's target folders go: `--out`, or the spec's own folder.
fn output_root(spec: &Path, out: Option<&Path>) -> PathBuf {
    match out {
        Some(o) => o.to_path_buf(),
        None => spec.parent().map_or_else(PathBuf::new, Path::to_path_buf),
    }
}
