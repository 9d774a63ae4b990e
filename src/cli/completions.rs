//! `wisp completions <shell>`: a completion script generated from the clap definitions,
//! so it cannot fall behind the commands.

use super::print;
use super::{Cli, ExitStatus};
use clap::CommandFactory as _;
use clap_complete::Shell;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: &Args) -> anyhow::Result<ExitStatus> {
    // Generated into memory: clap_complete panics on a failed write, and a closed pipe
    // must end quietly.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "wisp", &mut script);
    print::out(&String::from_utf8_lossy(&script))?;
    Ok(ExitStatus::Success)
}
