//! The command-line layer: clap definitions, printing and exit codes. Only this layer
//! uses `anyhow`; the library reports problems as data. One subcommand a file.

mod build;
mod check;
mod completions;
mod explain;
mod init;
mod plan;
mod print;
mod rule;
mod schema;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit codes, in one place: 0 ok, 1 the spec is invalid (or generated files drifted),
/// 2 wisp could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
    long_about = None,
    after_help = "Exit codes: 0 ok, 1 a spec is invalid or generated files drifted, 2 wisp could not run.\nColour is used on a terminal only; set NO_COLOR to turn it off."
)]
pub struct Cli {
    /// Print nothing but problems.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// Settings every command sees.
#[derive(Debug, Clone, Copy)]
pub struct Global {
    pub quiet: bool,
}

// One variant and one match arm per command; keep them one line each where possible.
#[derive(Debug, Subcommand)]
enum Command {
    /// Generate every enabled target's files from specs.
    #[command(
        after_help = "Examples:\n  wisp build                      # ./wisp.yaml, next to it\n  wisp build a.wisp.yaml b.wisp.yaml\n  wisp build fixtures/valid/open-webui.yaml --out out/"
    )]
    Build(build::Args),
    /// Check that generated files match their specs, without writing (for CI).
    #[command(
        after_help = "Examples:\n  wisp check                      # exit 1 and a diff when files drifted\n  wisp check infra/*.wisp.yaml --format json"
    )]
    Check(check::Args),
    /// Report every problem in specs without writing (for pre-commit).
    #[command(after_help = "Example:\n  wisp validate wisp.yaml infra/app.wisp.yaml")]
    Validate(validate::Args),
    /// Print the spec's JSON Schema.
    #[command(after_help = "Example:\n  wisp schema > wisp.schema.json")]
    Schema,
    /// Write a commented starter spec.
    #[command(after_help = "Examples:\n  wisp init\n  wisp init --out infra/app.wisp.yaml")]
    Init(init::Args),
    /// Explain what a spec resolves to and where each value came from.
    #[command(after_help = "Example:\n  wisp explain wisp.yaml")]
    Explain(explain::Args),
    /// Explain a diagnostic code, or list them all.
    #[command(after_help = "Examples:\n  wisp rule broad-scope\n  wisp rule --list")]
    Rule(rule::Args),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  wisp completions bash > ~/.local/share/bash-completion/completions/wisp\n  wisp completions zsh > ~/.zfunc/_wisp"
    )]
    Completions(completions::Args),
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let global = Global { quiet: cli.quiet };
    let result = match cli.command {
        Command::Rule(args) => rule::run(&args),
        Command::Build(args) => build::run(&args, global),
        Command::Check(args) => check::run(&args, global),
        Command::Validate(args) => validate::run(&args, global),
        Command::Schema => schema::run(),
        Command::Init(args) => init::run(&args, global),
        Command::Explain(args) => explain::run(&args),
        Command::Completions(args) => completions::run(&args),
    };
    match result {
        Ok(status) => status.into(),
        // A reader that went away (`wisp schema | head -1`) is not an error.
        Err(e) if print::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            print::error(&e);
            ExitStatus::Error.into()
        }
    }
}
