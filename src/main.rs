//! The `memseed` binary: parses the command line and hands over to a command.

mod cli;
mod commands;
mod study;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("memseed: {e:#}");
            ExitCode::FAILURE
        }
    }
}
