//! The `memseed` binary: parses the command line and hands over to a command.

mod cli;
mod commands;
mod output;
mod study;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        // The reader closed the pipe (`| head`): what it wanted was written.
        Err(e) if output::is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("memseed: {e:#}");
            ExitCode::FAILURE
        }
    }
}
