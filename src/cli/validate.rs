//! `wisp validate`: every diagnostic of every spec given, in one run, without writing.
//! Made for pre-commit, which passes many file names at once.

use super::plan::{self, SpecArgs};
use super::print;
use super::{ExitStatus, Global};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    spec: SpecArgs,
}

pub fn run(args: &Args, global: Global) -> anyhow::Result<ExitStatus> {
    let plan = plan::plan(&args.spec, plan::Keep::Nothing)?;
    if plan.status == ExitStatus::Success && !global.quiet {
        print::err(&format!("{} spec(s) valid\n", plan.specs.len()));
    } else if plan.failed > 0 && !global.quiet {
        print::err(&format!(
            "{} of {} spec(s) have problems\n",
            plan.failed,
            plan.failed + plan.specs.len()
        ));
    }
    Ok(plan.status)
}
