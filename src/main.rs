//! The `wisp` command: parses arguments and hands over to the CLI layer.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
