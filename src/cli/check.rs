//! `wisp check`: regenerate in memory and compare with the disk (the sink in
//! [`Mode::Check`]); report drifted, missing and stale files. Exit 0 when everything
//! matches, 1 on drift or an invalid spec, 2 when wisp cannot run.

use super::plan::{self, SpecArgs};
use super::print::{self, Format};
use super::{ExitStatus, Global};
use serde::Serialize;
use wisp::output::{FileStatus, Status};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    spec: SpecArgs,
}

/// One finding, for `--format json`.
#[derive(Serialize)]
struct JsonFinding<'a> {
    status: &'static str,
    file: String,
    spec: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<String>,
    help: &'a str,
}

pub fn run(args: &Args, global: Global) -> anyhow::Result<ExitStatus> {
    let plan = plan::plan(&args.spec, plan::Keep::Comparison)?;
    let mut status = plan.status;
    let mut findings = 0;
    let mut files = 0;
    let spec_count = plan.specs.len();
    for p in plan.specs {
        let compared = p.compared.expect("compared while planning");
        let statuses = match compared {
            Ok(s) => s,
            Err(e) => {
                print::error(&anyhow::Error::new(e).context(format!(
                    "cannot compare the files of `{}`",
                    p.spec.display()
                )));
                status = status.max(ExitStatus::Error);
                continue;
            }
        };
        files += statuses.len();
        let spec = p.spec.display().to_string();
        let mut text = String::new();
        for s in statuses.iter().filter(|s| s.status != Status::Unchanged) {
            findings += 1;
            match args.spec.format {
                Format::Human => text.push_str(&human(s, &p.unit.spec_file)),
                Format::Json => {
                    let finding = json(s, &spec);
                    text.push_str(&serde_json::to_string(&finding)?);
                    text.push('\n');
                }
            }
        }
        print::out(&text)?;
    }
    if findings > 0 {
        status = status.max(ExitStatus::Failure);
        if args.spec.format == Format::Human {
            print::err(&format!(
                "{}error{:#}: {findings} generated file(s) do not match their spec; run `wisp build` to regenerate them\n",
                print::RED,
                print::RED
            ));
        }
    } else if status == ExitStatus::Success && !global.quiet {
        print::err(&format!(
            "{files} generated file(s) of {} spec(s) up to date\n",
            spec_count
        ));
    }
    Ok(status)
}

fn human(s: &FileStatus, spec_file: &str) -> String {
    let path = s.path.display();
    match &s.status {
        Status::Changed { .. } => format!(
            "{}drifted{:#}: `{path}` differs from what `{spec_file}` generates\n{}",
            print::RED,
            print::RED,
            print::paint_diff(&s.diff())
        ),
        Status::Missing => format!(
            "{}missing{:#}: `{path}` is generated from `{spec_file}` but does not exist\n",
            print::RED,
            print::RED
        ),
        Status::Stale => format!(
            "{}stale{:#}: `{path}` was generated from `{spec_file}`, which no longer produces it\n",
            print::YELLOW,
            print::YELLOW
        ),
        Status::Unchanged => String::new(),
    }
}

fn json<'a>(s: &FileStatus, spec: &str) -> JsonFinding<'a> {
    let (status, help) = match s.status {
        Status::Changed { .. } => ("drifted", "run `wisp build` to regenerate it"),
        Status::Missing => ("missing", "run `wisp build` to generate it"),
        Status::Stale => ("stale", "run `wisp build` to remove it"),
        Status::Unchanged => ("unchanged", ""),
    };
    JsonFinding {
        status,
        file: s.path.display().to_string(),
        spec: spec.to_string(),
        diff: matches!(s.status, Status::Changed { .. }).then(|| s.diff()),
        help,
    }
}
