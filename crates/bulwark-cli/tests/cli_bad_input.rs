//! The catalogue of bad input (`tests/fixtures/bad-input/catalogue.toml` and every bad scenario
//! fixture of the library): each case fails with exit code 2, one error naming the place (file
//! and line, or the command-line argument) with a caret under the offending text, no panic, and
//! no file written.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One case of the catalogue.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    args: Vec<String>,
    expect: Vec<String>,
    caret: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    case: Vec<Case>,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bad_fixtures() -> PathBuf {
    repo().join("crates/bulwark/tests/fixtures/scenarios/bad")
}

/// What a bad scenario fixture says of its own error: texts and line.
fn fixture_expectations(path: &Path) -> (Vec<String>, Option<usize>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let expects = text
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(str::to_owned)
        .collect();
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("# expect-line: "))
        .map(|n| n.trim().parse().expect("expect-line is a number"));
    (expects, line)
}

/// The files under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        out.push(p.clone());
        if p.is_dir() {
            out.extend(files_under(&p));
        }
    }
    out
}

/// Runs one case in its own empty folder and returns what is wrong with the result, if anything.
fn check_case(name: &str, args: &[String], expect: &[String], caret: Option<&str>, scratch: &Path) -> Vec<String> {
    let out_dir = scratch.join(name.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    std::fs::create_dir_all(&out_dir).unwrap();
    let subst = |s: &str| {
        s.replace("{out}", &out_dir.display().to_string())
            .replace("{bad}", &bad_fixtures().display().to_string())
            .replace("{scenarios}", &repo().join("scenarios").display().to_string())
    };
    let args: Vec<String> = args.iter().map(|a| subst(a)).collect();
    let mut expect: Vec<String> = expect.iter().map(|e| subst(e)).collect();
    let mut expect_line = None;
    let fixture = args
        .iter()
        .find(|a| a.starts_with(&bad_fixtures().display().to_string()));
    if let Some(f) = fixture {
        let (texts, line) = fixture_expectations(Path::new(f));
        expect.extend(texts);
        expect_line = line;
    }
    let output = Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(&args)
        .current_dir(&out_dir)
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    let mut problems = Vec::new();
    let mut problem = |p: String| problems.push(format!("{name}: {p}\n--- stderr:\n{err}"));
    if output.status.code() != Some(2) {
        problem(format!("exit code {:?}, expected 2", output.status.code()));
    }
    if err.contains("panicked") {
        problem("panicked".into());
    }
    if !output.stdout.is_empty() {
        problem(format!(
            "printed to stdout: {}",
            String::from_utf8_lossy(&output.stdout)
        ));
    }
    let errors = err.lines().filter(|l| l.starts_with("error")).count();
    if errors != 1 {
        problem(format!("{errors} error lines, expected exactly one"));
    }
    for x in &expect {
        if !err.contains(x.as_str()) {
            problem(format!("the error does not contain {x:?}"));
        }
    }
    // The place: `FILE:LINE:COL: field '…'` or `command line:1:COL: argument '…'`.
    let first = err.lines().next().unwrap_or_default();
    // (Text that is not valid TOML has no field yet: its place is the file, line and column.)
    let placed = first.starts_with("error: command line:1:") && first.contains(": argument '")
        || fixture.is_some_and(|f| {
            first.starts_with(&format!("error: {f}:"))
                && (first.contains(": field '") || first.contains(": this is not valid TOML"))
        });
    if !placed {
        problem("the first line does not name the file and line (or argument) and the field".into());
    }
    if let (Some(f), Some(line)) = (fixture, expect_line)
        && !first.starts_with(&format!("error: {f}:{line}:"))
    {
        problem(format!("the error does not point at line {line}"));
    }
    // The caret: a `  | ^^^` line under the quoted source or command line.
    let lines: Vec<&str> = err.lines().collect();
    let caret_at = lines.iter().position(|l| {
        l.trim_start().starts_with('|') && l.contains('^') && l.trim_start()[1..].trim().chars().all(|c| c == '^')
    });
    match caret_at {
        None => problem("no caret line".into()),
        Some(0) => problem("caret line without a source line".into()),
        Some(i) => {
            if let Some(want) = caret.map(subst) {
                let src = lines[i - 1];
                let marks = lines[i];
                let start = marks.find('^').unwrap();
                let len = marks[start..].chars().take_while(|&c| c == '^').count();
                let under: String = src.chars().skip(marks[..start].chars().count()).take(len).collect();
                // A quoted word on the command line is underlined inside its quotes.
                if under != want {
                    problem(format!("the caret underlines {under:?}, expected {want:?}"));
                }
            }
        }
    }
    let left: Vec<PathBuf> = files_under(&out_dir);
    if !left.is_empty() {
        problem(format!("files were written: {left:?}"));
    }
    problems
}

#[test]
fn every_catalogued_bad_input_gets_one_located_error_exit_2_and_no_output() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-input/catalogue.toml");
    let catalogue: Catalogue = toml::from_str(&std::fs::read_to_string(&path).unwrap()).expect("catalogue parses");
    let scratch = std::env::temp_dir().join(format!("bulwark-bad-input-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut cases = catalogue.case;
    // Every bad scenario fixture, through the main command.
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(bad_fixtures())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    fixtures.sort();
    for f in &fixtures {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        cases.push(Case {
            name: format!("run: {stem}"),
            args: vec![
                "run".into(),
                f.display().to_string(),
                "--out".into(),
                "{out}/run".into(),
            ],
            expect: Vec::new(),
            caret: None,
        });
    }
    assert!(
        cases.len() >= 40,
        "the catalogue holds {} cases; the issue asks for at least 40",
        cases.len()
    );
    let mut names = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for c in &cases {
        assert!(names.insert(c.name.clone()), "two cases named {}", c.name);
        problems.extend(check_case(&c.name, &c.args, &c.expect, c.caret.as_deref(), &scratch));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        problems.is_empty(),
        "{} of {} cases fail:\n\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n\n")
    );
}
