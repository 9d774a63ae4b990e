//! wisp compiles one spec ("run this Helm release on AKS, let its pods reach Azure through
//! Workload Identity") into Terraform, Bicep, Helm values and Kubernetes YAML.
//!
//! The pipeline, one module a stage:
//! `source` -> `yaml` (spanned tree) -> `schema` check -> `spec` (raw types) -> `model`
//! (resolved) -> `emit::<target>` -> `output` (write, compare or print).

pub mod arm;
pub mod bicep_fmt;
pub mod charts;
pub mod checks;
pub mod diagnostics;
pub mod emit;
pub mod hcl_fmt;
pub mod input;
pub mod load;
pub mod model;
pub mod output;
pub mod paths;
pub mod providers;
pub mod regions;
pub mod roles;
pub mod rules;
pub mod schema;
pub mod source;
pub mod spec;
pub mod suggest;
pub mod version;
pub mod yaml;
pub mod yaml_out;

use diagnostics::Diagnostics;
use emit::{Artifact, EmitError};
use model::Model;
use source::Source;

/// The result of compiling one spec: every diagnostic, and the artifacts when there was no
/// error.
#[derive(Debug)]
pub struct Compiled {
    pub diagnostics: Diagnostics,
    pub model: Option<Model>,
    pub artifacts: Option<Vec<Artifact>>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
}

/// What a caller may relax about the checks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Allow `targets.*.dir` to leave the output root (`..`, absolute paths).
    pub allow_outside: bool,
}

/// Checks a spec and resolves its model, without emitting.
pub fn check(source: &Source) -> (Option<Model>, Diagnostics) {
    check_with(source, Options::default())
}

/// [`check`], with options.
pub fn check_with(source: &Source, options: Options) -> (Option<Model>, Diagnostics) {
    let loaded = match load::load(source) {
        Ok(l) => l,
        Err(errors) => return (None, errors),
    };
    let (mut model, mut diagnostics) = model::resolve(source, &loaded.tree, &loaded.spec);
    if !options.allow_outside {
        let outside = paths::check_dirs(&loaded.tree);
        if !outside.is_empty() {
            model = None;
            diagnostics.extend(outside);
        }
    }
    diagnostics::sort(&mut diagnostics);
    (model, diagnostics)
}

/// Compiles a spec into the artifacts of its enabled targets.
pub fn compile(source: &Source) -> Result<Compiled, EmitError> {
    compile_with(source, Options::default())
}

/// [`compile`], with options.
pub fn compile_with(source: &Source, options: Options) -> Result<Compiled, EmitError> {
    let (model, diagnostics) = check_with(source, options);
    let artifacts = match &model {
        Some(m) => Some(emit::emit(m)?),
        None => None,
    };
    Ok(Compiled {
        diagnostics,
        model,
        artifacts,
    })
}
