//! The `senco` contract, run as a user runs it: the real binary, real files, exit codes,
//! stdout for data and stderr for messages.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// A passphrase strong enough for a real school.
const PASSPHRASE: &str = "quiet lantern over marsh fields";

fn senco(dir: &Path, passphrase: Option<&str>, args: &[&str]) -> Output {
    senco_on(dir, passphrase, "2026-11-23", args)
}

fn senco_on(dir: &Path, passphrase: Option<&str>, today: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_senco"));
    command.args(args).args(["--today", today]).env("SENCO_DATA_DIR", dir).env_remove("SENCO_PASSPHRASE");
    if let Some(passphrase) = passphrase {
        command.env("SENCO_PASSPHRASE", passphrase);
    }
    command.output().expect("senco runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn upn_check_names_each_problem_and_exits_1_if_any_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let out = senco(dir.path(), None, &["upn", "check", "R201100018042", "V88612342500A", "A801200005001"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "R201100018042\tvalid\nV88612342500A\ttemporary\nA801200005001\tinvalid: the check letter does not match: it is A but the digits give B; check the UPN for a typing mistake\n"
    );
    assert_eq!(senco(dir.path(), None, &["upn", "check", "K886200724123"]).status.code(), Some(0));
    assert_eq!(senco(dir.path(), None, &["upn", "frobnicate"]).status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn a_demo_school_is_deterministic_and_lists_as_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let list = |db: &str| {
        let created = senco(dir.path(), None, &["demo", "--pupils", "250", "--seed", "9", "--db", db]);
        assert!(created.status.success(), "{}", text(&created.stderr));
        let out = senco(dir.path(), None, &["register", "list", "--all", "--format", "json", "--db", db]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let first = list(&dir.path().join("a.senco").display().to_string());
    let second = list(&dir.path().join("b.senco").display().to_string());
    assert_eq!(first, second, "the same seed gives the same school");
    let document: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(document["schema_version"], 1);
    assert_eq!(document["count"], 250);

    let db = dir.path().join("a.senco").display().to_string();
    let csv = text(&senco(dir.path(), None, &["register", "list", "--status", "K", "--format", "csv", "--db", &db]).stdout);
    let csv = csv.strip_prefix('\u{FEFF}').expect("a byte-order mark, so Excel reads UTF-8");
    let mut lines = csv.split("\r\n").filter(|l| !l.is_empty());
    assert!(lines.next().unwrap().starts_with("upn,surname,forename,date_of_birth,nc_year"));
    assert!(lines.all(|l| l.contains(",K,K,")), "only SEN support pupils: {csv}");
}

#[test]
fn a_school_is_created_used_and_refuses_bad_input_without_changing() {
    let dir = tempfile::tempdir().unwrap();
    let pass = Some(PASSPHRASE);
    let init = senco(dir.path(), pass, &["init", "--name", "Test Primary", "--urn", "118000", "--estab", "2001"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    assert_eq!(text(&init.stdout).trim().len(), 29, "the recovery key alone is printed on stdout");
    assert!(dir.path().join("school.senco").exists(), "the default database is the app's");

    // Every problem at once, each named by the flag that was typed.
    let bad = ["pupil", "add", "--upn", "K886200724124", "--forename", "Ada", "--surname", "Qu\u{202E}ill", "--dob", "2017-02-30", "--sex", "F", "--year", "5", "--admitted", "2021-09-01"];
    let refused = text(&senco(dir.path(), pass, &bad).stderr);
    assert!(refused.contains("error: --upn: the check letter does not match"), "{refused}");
    assert!(refused.contains("error: --surname: the pupil's legal surname contains a hidden formatting character"), "{refused}");
    assert!(refused.contains("error: --dob: the date of birth \"2017-02-30\" is a date that does not exist: February 2017 has no day 30"), "{refused}");

    let add = ["pupil", "add", "--upn", "K886200724123", "--forename", "Ada", "--surname", "Quill", "--dob", "14/03/2017", "--sex", "F", "--year", "5", "--admitted", "1 Sep 2021"];
    let added = senco(dir.path(), pass, &add);
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert_eq!(text(&added.stderr), "Ada Quill (K886200724123): added, in Year 5, admitted 1 Sep 2021.\n", "British dates typed and shown");
    let duplicate = senco(dir.path(), pass, &add);
    assert_eq!(duplicate.status.code(), Some(1));
    assert!(text(&duplicate.stderr).contains("--upn: UPN K886200724123 is already used"), "{}", text(&duplicate.stderr));

    let no_need = senco(dir.path(), pass, &["pupil", "set-status", "K886200724123", "--status", "K", "--from", "2025-01-06", "--reason", "referral"]);
    assert_eq!(no_need.status.code(), Some(1));
    assert!(text(&no_need.stderr).contains("error: --primary-need: SEN support (K) needs a primary need"), "{}", text(&no_need.stderr));
    let no_reason = senco(dir.path(), pass, &["pupil", "set-status", "K886200724123", "--status", "K", "--from", "2025-01-06", "--primary-need", "slcn"]);
    assert!(text(&no_reason.stderr).contains("error: --reason: give the reason for the change"), "{}", text(&no_reason.stderr));
    let ok = senco(dir.path(), pass, &["pupil", "set-status", "K886200724123", "--status", "K", "--from", "2025-01-06", "--primary-need", "slcn", "--reason", "speech and language referral"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert_eq!(text(&ok.stderr), "Ada Quill (K886200724123): now SEN support (K) from 6 Jan 2025 (was No SEN).\n");
    let need = senco(dir.path(), pass, &["pupil", "add-need", "K886200724123", "--need", "SEMH", "--from", "2025-02-01"]);
    assert_eq!(text(&need.stderr), "Ada Quill (K886200724123): added SEMH as need 2 from 1 Feb 2025.\n", "the next free rank by default");
    let shown = text(&senco(dir.path(), pass, &["pupil", "show", "K886200724123"]).stdout);
    assert!(shown.contains("SEN status: SEN support (K) since 6 Jan 2025"), "{shown}");
    assert!(shown.contains("SLCN rank 1"), "{shown}");
    let one = senco(dir.path(), pass, &["register", "list"]);
    assert_eq!(text(&one.stderr), "1 pupil\n");

    let wrong = senco(dir.path(), Some("not our passphrase"), &["register", "list"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(text(&wrong.stderr), "error: that passphrase is not right for this school\n");

    let none = senco(dir.path(), None, &["register", "list"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(text(&none.stderr).contains("protected by its own passphrase: set SENCO_PASSPHRASE or give --passphrase-file FILE"), "{}", text(&none.stderr));

    let ahead = senco_on(dir.path(), pass, "2090-01-04", &["pupil", "leave", "K886200724123", "--on", "2090-01-04"]);
    assert_eq!(ahead.status.code(), Some(1));
    assert!(text(&ahead.stderr).contains("after today's date"), "{}", text(&ahead.stderr));

    let left = senco(dir.path(), pass, &["pupil", "leave", "K886200724123", "--on", "2026-07-22"]);
    assert_eq!(text(&left.stderr), "Ada Quill (K886200724123): left on 22 Jul 2026, and the record is archived; their 2 open needs ended that day.\n");
    let back = senco(dir.path(), pass, &["pupil", "readmit", "K886200724123", "--on", "2/9/2026"]);
    assert_eq!(text(&back.stderr), "Ada Quill (K886200724123): re-admitted on 2 Sep 2026, with their history kept.\n");
    let leaving = senco(dir.path(), pass, &["pupil", "leave", "K886200724123", "--on", "22/7/2027"]);
    assert_eq!(text(&leaving.stderr), "Ada Quill (K886200724123): leaves on 22 Jul 2027: on the register until then, and the record is closed to changes.\n");
    assert_eq!(text(&senco(dir.path(), pass, &["register", "list"]).stderr), "1 pupil\n", "on roll until the day");
}

#[test]
fn usage_mistakes_exit_2_and_a_demo_opens_whatever_passphrase_was_exported() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(senco(dir.path(), None, &["demo", "--pupils", "5"]).status.code(), Some(2));
    assert_eq!(senco(dir.path(), None, &["demo", "--years", "0"]).status.code(), Some(2));
    let demo = senco(dir.path(), Some(PASSPHRASE), &["demo", "--pupils", "200"]);
    assert!(text(&demo.stderr).contains("It uses the fixed demo key, not a passphrase"), "{}", text(&demo.stderr));
    let db = dir.path().join("demo.senco").display().to_string();
    let listed = senco(dir.path(), Some(PASSPHRASE), &["register", "list", "--db", &db]);
    assert!(listed.status.success(), "the README's order: export, then the demo commands: {}", text(&listed.stderr));
    assert_eq!(senco(dir.path(), Some("a wrong one"), &["upn", "check", "K886200724123"]).status.code(), Some(0), "upn check needs no school");
}

#[test]
fn a_weak_or_blank_passphrase_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    for (passphrase, expected) in [("password12", "easy to guess"), ("            ", "only of spaces")] {
        let init = senco(dir.path(), Some(passphrase), &["init", "--name", "Test Primary", "--urn", "118000", "--estab", "2001"]);
        assert_eq!(init.status.code(), Some(1));
        assert!(text(&init.stderr).contains(expected), "{}", text(&init.stderr));
        assert!(text(&init.stdout).is_empty(), "no recovery key is printed");
        assert!(!dir.path().join("school.senco").exists());
    }
}

#[test]
fn a_reader_that_stops_early_does_not_make_senco_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.senco").display().to_string();
    assert!(senco(dir.path(), None, &["demo", "--pupils", "2000", "--db", &db]).status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(["register", "list", "--all", "--format", "csv", "--db", &db])
        .env_remove("SENCO_PASSPHRASE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(!text(&output.stderr).contains("panicked"), "{}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(0), "a closed pipe ends the listing quietly");
}

#[test]
fn a_file_that_is_not_a_school_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.senco");
    fs::write(&junk, "hello").unwrap();
    let out = senco(dir.path(), Some("whatever passphrase"), &["register", "list", "--db", &junk.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("junk.senco is not a SENCO Toolkit school database"), "{}", text(&out.stderr));
    assert_eq!(fs::read_to_string(&junk).unwrap(), "hello", "the file is untouched");
}
