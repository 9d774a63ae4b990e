//! `wisp build`: compile specs and make their target folders match (the sink in
//! [`Mode::Write`]). Nothing is written unless every spec is valid, and no file is renamed
//! into place until every changed file of every spec has been written.

use super::plan::{self, SpecArgs};
use super::print;
use super::{ExitStatus, Global};
use wisp::output::{self, Mode, RealFs, Status, Unit};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    spec: SpecArgs,
}

pub fn run(args: &Args, global: Global) -> anyhow::Result<ExitStatus> {
    let plan = plan::plan(&args.spec, plan::Keep::Contents)?;
    if plan.status != ExitStatus::Success {
        if !global.quiet {
            print::err("nothing written: fix the problems above and run `wisp build` again\n");
        }
        return Ok(plan.status);
    }
    let units: Vec<Unit> = plan.specs.iter().map(|p| p.unit.clone()).collect();
    let all = output::sync_all(&units, Mode::Write, &mut RealFs).map_err(|f| {
        anyhow::Error::new(f.error).context(format!(
            "cannot write the files of `{}`",
            plan.specs[f.unit].spec.display()
        ))
    })?;
    for (p, statuses) in plan.specs.iter().zip(all) {
        let count = |f: fn(&Status) -> bool| statuses.iter().filter(|s| f(&s.status)).count();
        let written = count(|s| matches!(s, Status::Missing | Status::Changed { .. }));
        let unchanged = count(|s| *s == Status::Unchanged);
        if global.quiet {
            continue;
        }
        let mut text = String::new();
        for s in statuses.iter().filter(|s| s.status == Status::Stale) {
            text.push_str(&format!(
                "removed `{}`: generated from `{}`, which no longer produces it\n",
                s.path.display(),
                p.unit.spec_file
            ));
        }
        let root = if p.unit.root.as_os_str().is_empty() {
            ".".into()
        } else {
            p.unit.root.display().to_string()
        };
        text.push_str(&format!(
            "{}: wrote {written} file(s), {unchanged} unchanged, under {root}\n",
            p.spec.display()
        ));
        print::err(&text);
    }
    Ok(ExitStatus::Success)
}
