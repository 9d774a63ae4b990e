//! The command-line layer: clap definitions, printing and exit codes. Only this layer
//! uses `anyhow`; the library reports problems as data.

mod build;
mod rule;
mod schema;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wisp::diagnostics::{self, Diagnostic, JsonDiagnostic};
use wisp::source::Source;

/// Exit codes, in one place: 0 ok, 1 the spec is invalid (or generated files drifted),
/// 2 wisp could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success,
    Failure,
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        match s {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "wisp",
    version,
    about = "Compile a workload-identity spec into Terraform, Bicep, Helm values and Kubernetes YAML",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate every enabled target's files from specs.
    #[command(after_help = "Example:\n  wisp build fixtures/valid/open-webui.yaml --out out/")]
    Build(build::Args),
    /// Explain a diagnostic code, or list them all.
    #[command(after_help = "Examples:\n  wisp rule broad-scope\n  wisp rule --list")]
    Rule(rule::Args),
    /// Print the spec's JSON Schema.
    #[command(after_help = "Example:\n  wisp schema > wisp.schema.json")]
    Schema,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Rule(args) => rule::run(&args),
        Command::Schema => schema::run(),
    };
    status.into()
}

/// Reads a spec file; a failure is a message naming the file.
pub fn read_source(path: &Path) -> anyhow::Result<Source> {
    use anyhow::Context as _;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("`{}` is not UTF-8 text", path.display()))?;
    Ok(Source::new(path, text))
}

/// The specs to work on: the ones named, or `wisp.yaml` in the current folder.
pub fn spec_paths(given: &[PathBuf]) -> Vec<PathBuf> {
    if given.is_empty() {
        vec![PathBuf::from("wisp.yaml")]
    } else {
        given.to_vec()
    }
}

/// Prints diagnostics to stderr (human) or stdout (json lines).
pub fn print_diagnostics(source: &Source, diags: &[Diagnostic], format: Format) {
    match format {
        Format::Human => {
            let mut text = String::new();
            for d in diags {
                text.push_str(&diagnostics::render(d, source));
                text.push('\n');
            }
            eprint!("{text}");
        }
        Format::Json => {
            for d in diags {
                let json = serde_json::to_string(&JsonDiagnostic::new(d, source))
                    .expect("diagnostics serialise");
                println!("{json}");
            }
        }
    }
}

/// Prints a tool failure (I/O, a broken template).
pub fn print_error(err: &anyhow::Error) {
    eprintln!("error: {err:#}");
}
