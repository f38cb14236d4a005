//! The `senco` contract, run as a user runs it: the real binary, real files, exit codes,
//! stdout for data and stderr for messages.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn senco(dir: &Path, passphrase: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_senco"));
    command.args(args).args(["--today", "2026-11-23"]).env("SENCO_DATA_DIR", dir).env_remove("SENCO_PASSPHRASE");
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
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("upn,surname,forename,nc_year"));
    assert!(lines.all(|l| l.contains(",K,K,")), "only SEN support pupils: {csv}");
}

#[test]
fn a_school_is_created_used_and_refuses_bad_input_without_changing() {
    let dir = tempfile::tempdir().unwrap();
    let pass = Some("our school passphrase");
    let init = senco(dir.path(), pass, &["init", "--name", "Test Primary", "--urn", "118000", "--estab", "2001"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    assert_eq!(text(&init.stdout).trim().len(), 29, "the recovery key alone is printed on stdout");
    assert!(dir.path().join("school.senco").exists(), "the default database is the app's");

    let add = ["pupil", "add", "--upn", "K886200724123", "--forename", "Ada", "--surname", "Quill", "--dob", "2017-03-14", "--sex", "F", "--year", "5", "--admitted", "2021-09-01"];
    assert!(senco(dir.path(), pass, &add).status.success());
    let duplicate = senco(dir.path(), pass, &add);
    assert_eq!(duplicate.status.code(), Some(1));
    assert!(text(&duplicate.stderr).contains("upn: UPN K886200724123 is already used"), "{}", text(&duplicate.stderr));

    let no_need = senco(dir.path(), pass, &["pupil", "set-status", "K886200724123", "--status", "K", "--from", "2025-01-06"]);
    assert_eq!(no_need.status.code(), Some(1));
    assert!(text(&no_need.stderr).contains("primaryNeed"));
    let ok = senco(dir.path(), pass, &["pupil", "set-status", "K886200724123", "--status", "K", "--from", "2025-01-06", "--primary-need", "slcn"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let shown = text(&senco(dir.path(), pass, &["pupil", "show", "K886200724123"]).stdout);
    assert!(shown.contains("SEN status: SEN support (K) since 2025-01-06"), "{shown}");
    assert!(shown.contains("SLCN rank 1"), "{shown}");

    let wrong = senco(dir.path(), Some("not our passphrase"), &["register", "list"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(text(&wrong.stderr), "error: that passphrase is not right for this school\n");
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
