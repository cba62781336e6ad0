//! Embeds every `data/presets/*.toml` (missiles), `data/radars/*.toml` (radars) and
//! `data/interceptors/*.toml` (interceptors) file into the
//! library, so the `bulwark` binary works from any directory and the presets cannot drift from
//! the code that validates them.
use std::{env, fs, path::PathBuf};

fn embed(folder: &str, out_name: &str) {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(folder);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    entries.sort();
    let mut out = format!(
        "/// Embedded files of data/{folder}: (file name, contents), sorted by name.\npub static EMBEDDED: &[(&str, &str)] = &[\n"
    );
    for p in &entries {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().and_then(|n| n.to_str()).expect("preset names are UTF-8");
        let path = p.canonicalize().expect("preset path exists").display().to_string();
        out.push_str(&format!("    ({name:?}, include_str!({path:?})),\n"));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(out_name);
    fs::write(dest, out).expect("OUT_DIR is writable");
}

fn main() {
    embed("presets", "presets.rs");
    embed("radars", "radars.rs");
    embed("interceptors", "interceptors.rs");
    embed("provenance/presets", "provenance_presets.rs");
    embed("provenance/radars", "provenance_radars.rs");
    embed("provenance/interceptors", "provenance_interceptors.rs");
}
