//! `wisp rule CODE` and `wisp rule --list`: the documentation every diagnostic code carries.

use super::print;
use super::ExitStatus;
use wisp::checks::ALLOWABLE;
use wisp::rules;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["code", "list"])))]
pub struct Args {
    /// The code to explain, e.g. `broad-scope`.
    code: Option<String>,
    /// List every code with its one-line summary.
    #[arg(long)]
    list: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitStatus> {
    if args.list {
        let width = rules::ALL.iter().map(|r| r.code.len()).max().unwrap_or(0);
        let mut text = String::new();
        for r in rules::ALL {
            text.push_str(&format!("{:width$}  {}\n", r.code, r.summary));
        }
        print::out(&text)?;
        return Ok(ExitStatus::Success);
    }
    let code = args.code.as_deref().unwrap_or_default();
    match rules::find(code) {
        Some(rule) => {
            print::out(&explain(rule))?;
            Ok(ExitStatus::Success)
        }
        None => {
            let hint = wisp::suggest::closest(code, rules::ALL.iter().map(|r| r.code))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            print::err(&format!(
                "error: `{code}` is not a wisp diagnostic code{hint}; `wisp rule --list` lists them\n"
            ));
            Ok(ExitStatus::Error)
        }
    }
}

/// The long form: code, summary, whether a spec can allow it, and the explanation.
fn explain(rule: &rules::Rule) -> String {
    let allow = if ALLOWABLE.iter().any(|r| std::ptr::eq(*r, rule))
        && !rule.explanation.contains("allow:")
    {
        format!(
            "\n\nA spec can accept it with a reason:\n\n    allow:\n      - code: {}\n        reason: ...",
            rule.code
        )
    } else {
        String::new()
    };
    format!(
        "{}: {}\n\n{}{allow}\n",
        rule.code, rule.summary, rule.explanation
    )
}
