//! Output safety, replayed through the command line (docs/robustness.md, §6): nothing is written
//! through a link or over a device, a FIFO or a folder; a refused command leaves its folder
//! byte-identical; a held folder is refused with its holder named; a full disk (injected with
//! `BULWARK_TEST_WRITE_LIMIT`) leaves no temporary and no partial set; a closed standard output
//! ends a command quietly; a tampered campaign checkpoint is refused.
//!
//! Special files are made inside each test's own temporary folder (a FIFO; as root, device nodes
//! made with mknod): no test points at a real device.

use std::collections::BTreeMap;
use std::ffi::CString;
use std::io::Write as _;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const WRITE_LIMIT: &str = "BULWARK_TEST_WRITE_LIMIT";

fn scenario() -> String {
    crate::analytic_check().display().to_string()
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    crate::scratch_in("safety", name)
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Runs `bulwark ARGS` with extra environment variables, in `cwd`; fails the test if it runs for
/// more than two minutes (a command blocked on a FIFO).
fn bulwark_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bulwark"));
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the binary runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{args:?} still runs after 120 s (blocked?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn bulwark(args: &[&str]) -> Output {
    bulwark_in(&std::env::temp_dir(), args, &[])
}

fn succeeds(args: &[&str]) -> Output {
    let out = bulwark(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Asserts a refusal: exit `code`, one error line (the first) containing every needle, nothing
/// on standard output, no panic.
fn refused(out: &Output, code: i32, needles: &[&str], what: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(
        out.stdout.is_empty(),
        "{what}: printed {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{what}: one error line expected: {err}");
    assert!(err.starts_with("error: "), "{what}: {err}");
    for n in needles {
        assert!(err.contains(n), "{what}: the error does not say {n:?}: {err}");
    }
}

/// Everything under `dir` (hidden entries too): each path with its kind and bytes (a link's
/// target, a file's contents).
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = p.strip_prefix(dir).unwrap().display().to_string();
        let meta = std::fs::symlink_metadata(&p).unwrap();
        let t = meta.file_type();
        if t.is_symlink() {
            out.insert(name, format!("link to {}", std::fs::read_link(&p).unwrap().display()));
        } else if t.is_dir() {
            out.insert(name.clone(), "folder".into());
            for (k, v) in snapshot(&p) {
                out.insert(format!("{name}/{k}"), v);
            }
        } else if t.is_file() {
            let bytes = std::fs::read(&p).unwrap();
            out.insert(
                name,
                format!("file {} {}", bytes.len(), String::from_utf8_lossy(&bytes)),
            );
        } else {
            out.insert(name, format!("special {:o}", meta.mode()));
        }
    }
    out
}

/// The names left in `dir` that look like temporaries.
fn temporaries(dir: &Path) -> Vec<String> {
    snapshot(dir)
        .into_keys()
        .filter(|k| k.contains(".partial") || k.contains(".bulwark-") || k.contains(".bulwark.lock"))
        .collect()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn c_path(p: &Path) -> CString {
    CString::new(p.as_os_str().as_bytes()).unwrap()
}

fn mkfifo(p: &Path) {
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c_path(p).as_ptr(), 0o644) },
        0,
        "mkfifo {}",
        p.display()
    );
}

/// A character device node (as root only), inside the test's own folder.
fn mknod_char(p: &Path, major: u32, minor: u32) {
    let dev = libc::makedev(major, minor);
    // SAFETY: a valid NUL-terminated path.
    let rc = unsafe { libc::mknod(c_path(p).as_ptr(), libc::S_IFCHR | 0o666, dev) };
    assert_eq!(rc, 0, "mknod {}: {}", p.display(), std::io::Error::last_os_error());
}

fn fly_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "fly",
        "--missile",
        "scud-b",
        "--from",
        "38.5,126.0",
        "--range-km",
        "250",
        "--json",
    ];
    a.extend_from_slice(extra);
    a
}

/// A link planted at an output's final name, pointing outside the folder, is refused before any
/// work; what it points to, and the folder, are untouched.
#[test]
fn links_planted_at_output_names_are_refused_and_their_targets_untouched() {
    let dir = scratch("final-links");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let sc = scenario();

    let out = dir.join("run");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("summary.json")).unwrap();
    let before = snapshot(&dir);
    let o = bulwark(&["run", &sc, "--out", &s(&out), "--quiet"]);
    refused(&o, 2, &["summary.json", "symbolic link", "--out"], "run over a link");
    assert_eq!(snapshot(&dir), before, "nothing changed");

    let link = dir.join("t.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let before = snapshot(&dir);
    let o = bulwark(&fly_args(&["--csv", &s(&link)]));
    refused(&o, 2, &["--csv", "symbolic link"], "fly --csv over a link");
    assert_eq!(snapshot(&dir), before);

    // The lock file's name too.
    let locked = dir.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::os::unix::fs::symlink(&victim, locked.join(".bulwark.lock")).unwrap();
    let before = snapshot(&dir);
    let o = bulwark(&["run", &sc, "--out", &s(&locked), "--quiet"]);
    refused(&o, 2, &[".bulwark.lock", "symbolic link"], "a link at the lock file");
    assert_eq!(snapshot(&dir), before);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Links planted at the temporary names outputs used to be written under (`NAME.partial`) are
/// never written through: outputs are written under new, unique names, created exclusively.
#[test]
fn links_planted_at_temporary_names_are_never_written_through() {
    let dir = scratch("temp-links");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let out = dir.join("run");
    std::fs::create_dir(&out).unwrap();
    for name in ["events.jsonl", "summary.json", "trajectories.csv", "report.html"] {
        std::os::unix::fs::symlink(&victim, out.join(format!("{name}.partial"))).unwrap();
    }
    std::os::unix::fs::symlink(&victim, dir.join("t.csv.partial")).unwrap();
    succeeds(&["run", &scenario(), "--out", &s(&out), "--quiet"]);
    succeeds(&fly_args(&["--csv", &s(&dir.join("t.csv"))]));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    for name in ["events.jsonl", "summary.json", "trajectories.csv", "report.html"] {
        let m = std::fs::symlink_metadata(out.join(name)).unwrap();
        assert!(m.is_file(), "{name} is a regular file");
        let planted = std::fs::symlink_metadata(out.join(format!("{name}.partial"))).unwrap();
        assert!(planted.file_type().is_symlink(), "the planted link is left alone");
    }
    assert!(
        std::fs::read_to_string(dir.join("t.csv"))
            .unwrap()
            .starts_with("time_s,")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A FIFO, a folder, standard output, or (as root) a device node named as an output is refused
/// before any work, without blocking, and left as it was; the same for a FIFO or a device named
/// as the scenario, and a scenario file larger than the limit.
#[test]
fn special_files_are_refused_as_outputs_and_inputs_without_blocking() {
    let dir = scratch("special");
    let fifo = dir.join("fifo");
    mkfifo(&fifo);
    let sc = scenario();

    let o = bulwark_in(&dir, &fly_args(&["--csv", &s(&fifo)]), &[]);
    refused(&o, 2, &["--csv", "FIFO", "not a regular file"], "fly --csv FIFO");
    let o = bulwark_in(&dir, &["run", &s(&fifo), "--out", &s(&dir.join("r")), "--quiet"], &[]);
    refused(
        &o,
        2,
        &["<SCENARIO>", "FIFO", "not a regular file"],
        "a FIFO as the scenario",
    );
    let out = dir.join("run");
    std::fs::create_dir(&out).unwrap();
    mkfifo(&out.join("summary.json"));
    let o = bulwark_in(&dir, &["run", &sc, "--out", &s(&out), "--quiet"], &[]);
    refused(&o, 2, &["summary.json", "FIFO"], "a FIFO in the output folder");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    // A folder as --csv: refused, and nothing left beside it (it was `DIR.partial`).
    let folder = dir.join("folder");
    std::fs::create_dir(&folder).unwrap();
    let before = snapshot(&dir);
    let o = bulwark_in(&dir, &fly_args(&["--csv", &s(&folder)]), &[]);
    refused(&o, 2, &["--csv", "is a folder"], "fly --csv FOLDER");
    // `-` is not standard output: refused, and no file named `-` appears.
    let o = bulwark_in(&dir, &fly_args(&["--csv", "-"]), &[]);
    refused(
        &o,
        2,
        &["--csv", "standard output is not an output file"],
        "fly --csv -",
    );
    assert_eq!(snapshot(&dir), before);

    // A scenario file larger than the limit (a sparse file: no disk used).
    let big = dir.join("big.toml");
    std::fs::File::create(&big).unwrap().set_len(17 * 1024 * 1024).unwrap();
    let o = bulwark_in(&dir, &["run", &s(&big), "--out", &s(&dir.join("r")), "--quiet"], &[]);
    refused(
        &o,
        2,
        &["<SCENARIO>", "more than 16777216 bytes"],
        "an oversized scenario",
    );

    if is_root() {
        // What /dev/null and /dev/zero are, made here.
        let null = dir.join("null");
        let zero = dir.join("zero");
        mknod_char(&null, 1, 3);
        mknod_char(&zero, 1, 5);
        let o = bulwark_in(&dir, &fly_args(&["--csv", &s(&null)]), &[]);
        refused(&o, 2, &["--csv", "character device"], "fly --csv DEVICE");
        assert!(std::fs::symlink_metadata(&null).unwrap().file_type().is_char_device());
        let o = bulwark_in(&dir, &["run", &s(&zero), "--out", &s(&dir.join("r")), "--quiet"], &[]);
        refused(&o, 2, &["<SCENARIO>", "character device"], "a device as the scenario");
        let zero_path = s(&zero);
        let args = [
            "fly",
            "--missile",
            &zero_path,
            "--from",
            "38.5,126.0",
            "--range-km",
            "250",
        ];
        let o = bulwark_in(&dir, &args, &[]);
        refused(&o, 2, &["--missile", "character device"], "a device as a missile file");
    } else {
        eprintln!("not root: the device-node cases are skipped");
    }
    assert!(!dir.join("r").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two outputs at one path are refused before any work.
#[test]
fn one_path_for_two_outputs_is_refused() {
    let dir = scratch("same-path");
    let out = dir.join("o");
    let o = bulwark(&fly_args(&[
        "--csv",
        &s(&out.join("../o/trajectory.csv")),
        "--out",
        &s(&out),
    ]));
    // The folder does not exist yet: --csv is refused first.
    refused(&o, 2, &["--csv", "does not exist"], "fly --csv inside a missing --out");
    std::fs::create_dir(&out).unwrap();
    let o = bulwark(&fly_args(&[
        "--csv",
        &s(&out.join("trajectory.csv")),
        "--out",
        &s(&out),
    ]));
    refused(
        &o,
        2,
        &["--out", "the same file as --csv"],
        "fly --csv D/trajectory.csv --out D",
    );
    assert!(snapshot(&dir).keys().eq(["o"]), "{:?}", snapshot(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A folder whose lock is held is refused with the holder named (exit 1: the input is fine,
/// the folder busy), and left as it was; once the holder is gone its lock file is stale and the
/// next command takes it.
#[test]
fn a_held_folder_is_refused_naming_its_holder_and_a_dead_holders_lock_is_taken_over() {
    let dir = scratch("lock");
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    let lock_path = out.join(".bulwark.lock");
    let mut holder = std::fs::File::create(&lock_path).unwrap();
    holder
        .write_all(b"pid 424242\ncommand bulwark campaign held-by-the-test\n")
        .unwrap();
    // SAFETY: flock on a descriptor this test owns.
    assert_eq!(
        unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&holder), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    let sc = scenario();
    let before = snapshot(&dir);
    let attempts: [Vec<&str>; 4] = [
        vec!["run", &sc, "--out", out.to_str().unwrap(), "--quiet"],
        vec![
            "campaign",
            &sc,
            "--trials",
            "2",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
        vec!["campaign", "--resume", out.to_str().unwrap(), "--quiet"],
        vec![
            "sweep",
            &sc,
            "--vary",
            "doctrine.salvo_size=1,2",
            "--trials",
            "1",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
    ];
    for args in &attempts {
        let o = bulwark(args);
        refused(
            &o,
            1,
            &["being written by another bulwark", "process 424242", "held-by-the-test"],
            &args[0..2].join(" "),
        );
        assert_eq!(snapshot(&dir), before, "{args:?} changed the folder");
    }
    // The holder ends (its lock file stays, as after a kill): the folder is free again.
    drop(holder);
    succeeds(&["run", &sc, "--out", out.to_str().unwrap(), "--quiet"]);
    let names: Vec<String> = snapshot(&out).into_keys().collect();
    assert_eq!(
        names,
        ["events.jsonl", "report.html", "summary.json", "trajectories.csv"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A full disk (injected) part-way: exit 1 with the system's message, no temporary left, no
/// partial set under final names, and an earlier result byte-identical.
#[test]
fn a_full_disk_leaves_no_partial_file_and_keeps_the_earlier_result() {
    let dir = scratch("full");
    let sc = scenario();
    let sweep_args = |out: &str| {
        vec![
            "sweep".to_owned(),
            sc.clone(),
            "--vary".into(),
            "doctrine.salvo_size=1,2".into(),
            "--trials".into(),
            "2".into(),
            "--out".into(),
            out.to_owned(),
            "--quiet".into(),
        ]
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("run", vec!["run".into(), sc.clone(), "--quiet".into(), "--out".into()]),
        (
            "campaign",
            vec![
                "campaign".into(),
                sc.clone(),
                "--trials".into(),
                "3".into(),
                "--parquet".into(),
                "--quiet".into(),
                "--out".into(),
            ],
        ),
    ];
    for (name, args) in &cases {
        for limit in ["100", "3000"] {
            // Into a new folder: nothing is left, not even the folder.
            let fresh = dir.join(format!("{name}-fresh-{limit}"));
            let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
            let f = s(&fresh);
            a.push(&f);
            let o = bulwark_in(&dir, &a, &[(WRITE_LIMIT, limit)]);
            refused(
                &o,
                1,
                &["No space left on device"],
                &format!("{name} into a new folder, limit {limit}"),
            );
            // Nothing is left, but a campaign's whole rows with their checkpoint (resumable).
            let left: Vec<String> = snapshot(&fresh).into_keys().collect();
            assert!(
                left.is_empty() || left == ["campaign.json", "trials.csv"] && *name == "campaign",
                "{name}, limit {limit}: {left:?}"
            );
            // Over an earlier result: it stays byte-identical.
            let earlier = dir.join(format!("{name}-earlier-{limit}"));
            let e = s(&earlier);
            let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
            a.push(&e);
            succeeds(&a);
            let before = snapshot(&earlier);
            let o = bulwark_in(&dir, &a, &[(WRITE_LIMIT, limit)]);
            refused(
                &o,
                1,
                &["No space left on device"],
                &format!("{name} over a result, limit {limit}"),
            );
            assert_eq!(snapshot(&earlier), before, "{name}: the earlier result changed");
        }
    }
    let earlier = dir.join("sweep-earlier");
    let a = sweep_args(&s(&earlier));
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    succeeds(&a);
    let before = snapshot(&earlier);
    let o = bulwark_in(&dir, &a, &[(WRITE_LIMIT, "1000")]);
    refused(&o, 1, &["No space left on device"], "sweep over a result");
    assert_eq!(snapshot(&earlier), before);
    // Single files and a set together: neither appears.
    let (csv, out) = (dir.join("t.csv"), dir.join("fly"));
    let o = bulwark_in(
        &dir,
        &fly_args(&["--csv", &s(&csv), "--out", &s(&out)]),
        &[(WRITE_LIMIT, "2000")],
    );
    refused(&o, 1, &["No space left on device"], "fly --csv --out");
    assert!(!csv.exists() && !out.exists());
    assert!(temporaries(&dir).is_empty(), "{:?}", temporaries(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A resumed campaign cut short by a full disk keeps its whole rows under their final name,
/// with a checkpoint that counts them, and resumes to the same bytes as an uninterrupted run.
#[test]
fn a_campaign_cut_short_by_a_full_disk_keeps_whole_rows_and_resumes_to_the_same_bytes() {
    let dir = scratch("full-campaign");
    let sc = scenario();
    let (whole, cut) = (dir.join("whole"), dir.join("cut"));
    let common = ["--trials", "6", "--seed", "11", "--threads", "1", "--quiet"];
    let mut a = vec!["campaign", &sc];
    a.extend_from_slice(&common);
    let w = s(&whole);
    succeeds(&[a.as_slice(), &["--out", &w]].concat());
    let c = s(&cut);
    succeeds(&[a.as_slice(), &["--out", &c, "--stop-after", "2"]].concat());
    // Room for the checkpoint and one row, not for the rest.
    let o = bulwark_in(&dir, &["campaign", "--resume", &c, "--quiet"], &[(WRITE_LIMIT, "900")]);
    refused(
        &o,
        1,
        &["No space left on device", "continue with `bulwark campaign --resume"],
        "resume on a full disk",
    );
    assert!(temporaries(&cut).is_empty(), "{:?}", temporaries(&cut));
    let checkpoint: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cut.join("campaign.json")).unwrap()).unwrap();
    let rows = std::fs::read_to_string(cut.join("trials.csv")).unwrap();
    assert_eq!(
        checkpoint["trials_csv_bytes"],
        rows.len(),
        "the checkpoint counts the whole file"
    );
    assert_eq!(
        checkpoint["trials_done"].as_u64().unwrap() as usize + 1,
        rows.lines().count()
    );
    succeeds(&["campaign", "--resume", &c, "--quiet"]);
    for f in ["summary.json", "trials.csv", "report.html", "campaign.json"] {
        assert_eq!(
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(cut.join(f)).unwrap(),
            "{f} differs"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A finished campaign's folder is byte-identical after commands refused for their arguments
/// (they used to delete summary.json, report.html and trials.csv first, or rewrite the
/// checkpoint).
#[test]
fn a_refused_command_leaves_a_finished_campaign_byte_identical() {
    let dir = scratch("refused");
    let done = dir.join("done");
    let (sc, d) = (scenario(), s(&done));
    succeeds(&["campaign", &sc, "--trials", "4", "--seed", "3", "--out", &d, "--quiet"]);
    let korea = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/korea-2017.toml");
    let korea = s(&korea);
    let before = snapshot(&dir);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["campaign", &sc, "--trials", "4", "--threads", "0", "--out", &d],
            "--threads",
        ),
        (vec!["campaign", &sc, "--trials", "0", "--out", &d], "--trials"),
        (vec!["campaign", "--resume", &d, "--threads", "0"], "--threads"),
        (vec!["campaign", "--resume", &d, "--seed", "99"], "--seed"),
        (vec!["campaign", "--resume", &d, "--trials", "2"], "--trials"),
        (
            vec!["campaign", &korea, "--resume", &d],
            "is not the one the campaign was started with",
        ),
        (vec!["run", &sc, "--out", &d, "--threads", "0"], "--threads"),
        (
            vec![
                "sweep",
                &sc,
                "--vary",
                "doctrine.salvo_size=1,2",
                "--trials",
                "2",
                "--threads",
                "0",
                "--out",
                &d,
            ],
            "--threads",
        ),
    ];
    for (args, needle) in &cases {
        let o = bulwark(args);
        refused(&o, 2, &[needle], &args.join(" "));
        assert_eq!(snapshot(&dir), before, "{args:?} changed the finished campaign");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A checkpoint or rows file edited by hand is refused with the reason, and nothing changes.
#[test]
fn a_tampered_checkpoint_is_refused_and_the_folder_left_as_it_was() {
    let dir = scratch("tampered");
    let (sc, original) = (scenario(), dir.join("original"));
    succeeds(&[
        "campaign",
        &sc,
        "--trials",
        "6",
        "--seed",
        "11",
        "--stop-after",
        "3",
        "--out",
        &s(&original),
        "--quiet",
    ]);
    let rows = std::fs::read_to_string(original.join("trials.csv")).unwrap();
    let json = std::fs::read_to_string(original.join("campaign.json")).unwrap();
    let checkpoint: serde_json::Value = serde_json::from_str(&json).unwrap();
    let bytes = checkpoint["trials_csv_bytes"].as_u64().unwrap();
    let with = |key: &str, value: serde_json::Value| {
        let mut c = checkpoint.clone();
        c[key] = value;
        (serde_json::to_string_pretty(&c).unwrap(), rows.clone())
    };
    let header_end = rows.find('\n').unwrap() + 1;
    let mut edited_row = rows.clone().into_bytes();
    // The first cell after the trial number of row 1, one digit changed (same length).
    let at = header_end + rows[header_end..].find(',').unwrap() + 1;
    edited_row[at] = if edited_row[at] == b'9' {
        b'8'
    } else {
        edited_row[at] + 1
    };
    let cases: Vec<(&str, (String, String), &str)> = vec![
        (
            "a byte count inside a row",
            with("trials_csv_bytes", (bytes - 3).into()),
            "is not complete",
        ),
        ("no bytes counted", with("trials_csv_bytes", 0.into()), "header"),
        ("one trial fewer", with("trials_done", 2.into()), "but they fill"),
        (
            "another hash",
            with("trials_csv_sha256", "0".repeat(64).into()),
            "SHA-256 differs",
        ),
        (
            "a number changed in a row",
            (json.clone(), String::from_utf8(edited_row).unwrap()),
            "SHA-256 differs",
        ),
        (
            "the header removed",
            (json.clone(), rows[header_end..].to_owned()),
            "cut short",
        ),
    ];
    for (name, (checkpoint, rows), needle) in cases {
        let folder = dir.join(name.replace(' ', "-"));
        std::fs::create_dir(&folder).unwrap();
        for f in ["summary.json", "report.html"] {
            std::fs::copy(original.join(f), folder.join(f)).unwrap();
        }
        std::fs::write(folder.join("campaign.json"), checkpoint).unwrap();
        std::fs::write(folder.join("trials.csv"), rows).unwrap();
        let before = snapshot(&folder);
        let o = bulwark(&["campaign", "--resume", &s(&folder), "--quiet"]);
        refused(&o, 2, &["argument '--resume'", needle], name);
        assert_eq!(snapshot(&folder), before, "{name}: the folder changed");
    }
    // The untouched original still resumes.
    succeeds(&["campaign", "--resume", &s(&original), "--quiet"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `bulwark ARGS` with standard output a pipe whose reader has gone (`| head` that exited).
fn with_stdout_closed(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

/// A closed standard output ends a command quietly with exit code 0 (as Unix tools do), its
/// files written; it used to panic (exit 101) on the summary table.
#[test]
fn a_closed_standard_output_ends_commands_quietly_with_exit_0() {
    let dir = scratch("pipe");
    let sc = scenario();
    let (run, campaign, sweep) = (s(&dir.join("run")), s(&dir.join("campaign")), s(&dir.join("sweep")));
    let cases: Vec<Vec<&str>> = vec![
        vec!["run", &sc, "--out", &run],
        vec!["campaign", &sc, "--trials", "2", "--out", &campaign],
        vec![
            "sweep",
            &sc,
            "--vary",
            "doctrine.salvo_size=1,2",
            "--trials",
            "1",
            "--out",
            &sweep,
        ],
        fly_args(&[]),
        vec!["presets"],
        vec!["radar", "--radar", "an-tpy-2-tbr", "--rcs-m2", "0.1"],
    ];
    for args in &cases {
        let o = with_stdout_closed(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked") && !err.contains("error"), "{args:?}: {err}");
    }
    assert!(dir.join("run/report.html").is_file() && dir.join("campaign/summary.json").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Standard output that cannot be written (a full disk behind it; here a device node that
/// behaves as /dev/full, as root) is an error with exit code 1.
#[test]
fn a_standard_output_that_cannot_be_written_is_an_error_with_exit_1() {
    if !is_root() {
        eprintln!("not root: cannot make a device node; skipped");
        return;
    }
    let dir = scratch("full-stdout");
    let full = dir.join("full");
    mknod_char(&full, 1, 7);
    let sink = std::fs::OpenOptions::new().write(true).open(&full).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(["presets"])
        .stdout(Stdio::from(sink))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: cannot write to standard output: "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
