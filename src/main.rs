//! The `counterpoint` binary: the editor window, or a subcommand without one.

use std::process::ExitCode;

use clap::Parser;
use counterpoint::cli::{self, Cli};

fn main() -> ExitCode {
    let arguments = Cli::parse();
    if let Some(command) = arguments.command {
        cli::run(command)
    } else {
        counterpoint::ui::run(arguments.file.as_deref())
    }
}
