//! `wisp init`: write a commented starter spec that validates and builds as it is. An
//! existing file is never overwritten.

use super::print;
use super::{ExitStatus, Global};
use anyhow::Context as _;
use std::io::Write as _;
use std::path::PathBuf;

/// The starter spec. A test builds it, so it stays valid.
pub const STARTER: &str = include_str!("init.yaml");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the spec.
    #[arg(long, value_name = "FILE", default_value = "wisp.yaml")]
    out: PathBuf,
}

pub fn run(args: &Args, global: Global) -> anyhow::Result<ExitStatus> {
    let path = &args.out;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            anyhow::bail!(
                "`{}` already exists; wisp init does not overwrite it (pick another name with `--out`)",
                path.display()
            )
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create `{}`", path.display())),
    };
    file.write_all(STARTER.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    if !global.quiet {
        print::err(&format!(
            "wrote `{}`; edit it, then run `wisp build {}`\n",
            path.display(),
            path.display()
        ));
    }
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::STARTER;
    use wisp::source::Source;

    #[test]
    fn the_starter_spec_builds_without_problems() {
        let compiled = wisp::compile(&Source::new("wisp.yaml", STARTER)).unwrap();
        assert!(
            compiled.diagnostics.is_empty(),
            "{:?}",
            compiled.diagnostics
        );
        assert!(!compiled.artifacts.unwrap().is_empty());
        let model = compiled.model.unwrap();
        assert!(model.targets.helm.is_some() && model.targets.bicep.is_some());
        assert!(model.targets.kubernetes.is_some() && model.targets.terraform.is_some());
    }
}
