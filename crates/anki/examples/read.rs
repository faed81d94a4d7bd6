//! Reads an Anki package or text export and prints the pack it makes, with its warnings
//! on standard error: `cargo run -p memseed-anki --example read -- deck.apkg [TOPIC-ID]`.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: read FILE [TOPIC-ID]");
        return ExitCode::from(2);
    };
    let result = memseed_anki::read_file(Path::new(path), &memseed_anki::Limits::default())
        .and_then(|col| {
            let opts = memseed_anki::Options {
                id: args.get(1).cloned(),
                ..memseed_anki::Options::default()
            };
            memseed_anki::to_pack(&col, path, &opts)
        });
    match result {
        Ok(imported) => {
            for w in &imported.warnings {
                eprintln!("warning: {w}");
            }
            eprintln!(
                "{} notes ({} skipped), {} card histories",
                imported.notes,
                imported.skipped,
                imported.history.len()
            );
            print!("{}", imported.toml);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
