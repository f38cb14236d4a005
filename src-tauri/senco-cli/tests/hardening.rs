//! What a school's real day does to its files, with the real `senco` binary: several
//! programs writing one school at once, a creation killed at any moment, and a damaged
//! file. These run in `.ci/test` with the other tests.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use senco_core::register::{RegisterFilter, Roll, SortColumn};
use senco_core::upn::Upn;
use senco_core::{Stamp, Store, Unlock};

const PASSPHRASE: &str = "quiet lantern over marsh fields";

fn senco(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_senco"));
    command
        .args(args)
        .arg("--db")
        .arg(db)
        .env("SENCO_DATA_DIR", db.parent().unwrap())
        .env("SENCO_PASSPHRASE", PASSPHRASE)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// `senco` on a demo school: no passphrase, so the demo key is used.
fn senco_demo(db: &Path, args: &[&str]) -> Command {
    let mut command = senco(db, args);
    command.env_remove("SENCO_PASSPHRASE");
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn everyone(store: &Store) -> usize {
    store.register_rows(&RegisterFilter { roll: Roll::All, ..RegisterFilter::default() }, SortColumn::Name, false, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()).unwrap().len()
}

/// A valid UPN for each number below 10,000.
fn upn(n: u16) -> String {
    Upn::from_parts(886, 2001 + n / 1000, 2017, n % 1000).to_string()
}

/// A pupil as the desktop app adds one.
fn bodhi(upn: String) -> senco_core::pupil::PupilInput {
    senco_core::pupil::PupilInput {
        upn,
        legal_forename: "Bodhi".into(),
        legal_surname: "Ashcombe".into(),
        date_of_birth: "2017-03-14".into(),
        sex: "M".into(),
        nc_year: 4,
        admission_date: "2021-09-01".into(),
        ..Default::default()
    }
}

fn add_args(upn: &str) -> Vec<String> {
    ["pupil", "add", "--upn", upn, "--forename", "Ada", "--surname", "Quill", "--dob", "2017-03-14", "--sex", "F", "--year", "4", "--admitted", "2021-09-01", "--today", "2026-11-23"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn four_scripts_and_the_app_writing_one_school_lose_no_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.senco");
    let init = senco(&db, &["init", "--name", "Test Primary", "--urn", "118000", "--estab", "2001"]).output().unwrap();
    assert!(init.status.success(), "{}", text(&init.stderr));

    const WRITERS: u16 = 4;
    const EACH: u16 = 12;
    let scripts: Vec<std::thread::JoinHandle<Vec<String>>> = (0..WRITERS)
        .map(|writer| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..EACH {
                    let out = senco(&db, &[]).args(add_args(&upn(100 + writer * 100 + i))).output().unwrap();
                    if !out.status.success() {
                        failures.push(text(&out.stderr));
                    }
                }
                failures
            })
        })
        .collect();
    // Meanwhile the app holds the school open and writes too.
    let mut app = Store::open(&db, Unlock::Passphrase(PASSPHRASE)).unwrap();
    let stamp = Stamp::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    for i in 0..EACH {
        app.add_pupil(&bodhi(upn(900 + i)), stamp).unwrap();
    }
    let failures: Vec<String> = scripts.into_iter().flat_map(|s| s.join().unwrap()).collect();
    assert!(failures.is_empty(), "every write got in: {failures:?}");
    assert_eq!(everyone(&app), usize::from(WRITERS * EACH + EACH), "every pupil is there");
}

#[test]
fn two_inits_on_one_path_make_one_school_and_only_the_winner_shows_a_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.senco");
    let racers: Vec<Child> = (0..3)
        .map(|_| senco(&db, &["init", "--name", "Test Primary", "--urn", "118000", "--estab", "2001"]).spawn().unwrap())
        .collect();
    let outputs: Vec<Output> = racers.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    let winners: Vec<&Output> = outputs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(winners.len(), 1, "{:?}", outputs.iter().map(|o| text(&o.stderr)).collect::<Vec<_>>());
    for loser in outputs.iter().filter(|o| !o.status.success()) {
        assert!(text(&loser.stdout).is_empty(), "a loser prints no recovery key");
        let says = text(&loser.stderr);
        assert!(says.contains("already exists") || says.contains("creating a school"), "{says}");
    }
    let recovery = text(&winners[0].stdout);
    assert!(Store::open(&db, Unlock::RecoveryKey(recovery.trim())).is_ok(), "the printed key opens the school that exists");
}

/// The demo files and anything left beside them.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_demo_killed_at_any_moment_can_always_be_retried() {
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("demo.senco");
    // One year of history keeps each run to seconds in a debug build; the moments killed
    // are fractions of the measured run, so what is written does not matter here.
    let demo = |db: &Path| senco_demo(db, &["demo", "--pupils", "20000", "--seed", "4", "--years", "1"]);

    // One uninterrupted run, to know how long creation takes here.
    let started = Instant::now();
    assert!(demo(&db).output().unwrap().status.success());
    let whole = started.elapsed();
    let expected = everyone(&Store::open(&db, Unlock::Demo).unwrap());
    assert_eq!(expected, 20_000);

    for fraction in [0.02, 0.15, 0.35, 0.55, 0.75, 0.9, 0.97, 1.0] {
        std::fs::remove_file(&db).unwrap();
        std::fs::remove_file(dir.path().join("demo.senco.keys")).unwrap();
        let mut child = demo(&db).spawn().unwrap();
        std::thread::sleep(whole.mul_f64(fraction));
        child.kill().unwrap(); // SIGKILL: no clean-up code runs
        let _ = child.wait();

        // Whatever the moment, the school is whole or absent, and a retry works.
        match Store::open(&db, Unlock::Demo) {
            Ok(store) => assert_eq!(everyone(&store), expected, "killed at {fraction}: a school under its name is complete"),
            Err(e) => {
                assert!(!db.exists(), "killed at {fraction}: no half-made database under the final name ({e})");
                let retry = demo(&db).output().unwrap();
                assert!(retry.status.success(), "killed at {fraction}: the retry works: {} {:?}", text(&retry.stderr), leftovers(dir.path()));
                assert_eq!(everyone(&Store::open(&db, Unlock::Demo).unwrap()), expected);
            }
        }
        let stray: Vec<String> = leftovers(dir.path()).into_iter().filter(|n| n.contains(".creating-")).collect();
        assert!(stray.is_empty(), "killed at {fraction}: the abandoned staging folder went with the retry: {stray:?}");
    }
}

#[test]
fn a_damaged_school_is_refused_untouched_and_check_says_to_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.senco");
    assert!(senco_demo(&db, &["demo", "--pupils", "420"]).output().unwrap().status.success());
    let healthy = senco_demo(&db, &["check"]).output().unwrap();
    assert!(healthy.status.success(), "{}", text(&healthy.stdout));
    assert!(text(&healthy.stdout).contains("The school database is healthy."));

    let mut bytes = std::fs::read(&db).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    std::fs::write(&db, &bytes).unwrap();

    let add = senco_demo(&db, &[]).args(add_args(&upn(5))).output().unwrap();
    assert_eq!(add.status.code(), Some(1));
    assert!(text(&add.stderr).contains("is damaged"), "{}", text(&add.stderr));
    let list = senco_demo(&db, &["register", "list"]).output().unwrap();
    assert_eq!(list.status.code(), Some(1), "a damaged school is not listed as if it were fine");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "nothing was written to the damaged file");

    let check = senco_demo(&db, &["check"]).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let report = text(&check.stdout);
    assert!(report.contains("DAMAGED page authentication (SQLCipher)"), "{report}");
    assert!(report.contains("restore the most recent backup"), "{report}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "checking wrote nothing either");
}

#[test]
fn a_script_waits_for_the_app_rather_than_failing() {
    // The app holds a long write (as an import will); a script's write queues behind it.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.senco");
    assert!(senco(&db, &["init", "--name", "Test Primary", "--urn", "118000", "--estab", "2001"]).output().unwrap().status.success());
    let script = std::thread::spawn({
        let db = db.clone();
        move || senco(&db, &[]).args(add_args(&upn(1))).output().unwrap()
    });
    let mut app = Store::open(&db, Unlock::Passphrase(PASSPHRASE)).unwrap();
    let stamp = Stamp::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let deadline = Instant::now() + Duration::from_millis(1500);
    let mut added = 0;
    while Instant::now() < deadline {
        app.add_pupil(&bodhi(upn(5000 + added)), stamp).unwrap();
        added += 1;
    }
    let out = script.join().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(everyone(&app), usize::from(added) + 1);
}
