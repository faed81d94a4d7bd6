//! Imports the paths given and prints the concepts by rank, or with `--toml` the pack's
//! TOML; warnings go to standard error. A development aid.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let toml = args.iter().any(|a| a == "--toml");
    let paths: Vec<std::path::PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(Into::into)
        .collect();
    let (notes, mut warnings) = memseed_import::collect(&paths, &memseed_import::Limits::default());
    match memseed_import::import(&notes, &memseed_import::Options::default(), &|_| {}) {
        Ok(imp) => {
            if toml {
                println!("{}", imp.toml);
            } else {
                for (c, r) in imp.pack.concepts.iter().zip(&imp.reasons) {
                    println!("{:<8} {:<40} | {}", c.tier.as_str(), c.title, r);
                }
            }
            warnings.extend(imp.warnings);
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            let t = imp.pack.concepts_by_tier();
            eprintln!(
                "{} concepts {t:?}, {} traps, {} questions, {} practice",
                imp.pack.concepts.len(),
                imp.pack.traps.len(),
                imp.pack.questions.len(),
                imp.pack.practice.len()
            );
        }
        Err(e) => eprintln!("error: {e}"),
    }
}
