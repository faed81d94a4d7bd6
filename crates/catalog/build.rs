//! Embeds every `topics/*.toml` of the repository, so a pack added there ships in the binary.

use std::{env, fs, path::Path};

fn main() {
    let topics = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../topics");
    println!("cargo::rerun-if-changed={}", topics.display());
    let mut files: Vec<_> = fs::read_dir(&topics)
        .expect("topics/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Bundled packs: (file name, TOML text).\npub static BUNDLED: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo::rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        let abs = fs::canonicalize(f).unwrap();
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("bundled.rs"),
        out,
    )
    .unwrap();
}
