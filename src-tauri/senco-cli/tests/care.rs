//! Backups, restores, erasure, the audit trail and subject access through the real `senco`
//! binary, with its faults: killed at any moment, a full disk, a tampered backup.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "quiet lantern over marsh fields";

fn senco(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_senco"));
    command
        .args(args)
        .arg("--db")
        .arg(db)
        .env("SENCO_DATA_DIR", db.parent().unwrap())
        .env("SENCO_PASSPHRASE", PASSPHRASE)
        .env("USER", "itadmin")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn demo_cmd(db: &Path, args: &[&str]) -> Command {
    let mut command = senco(db, args);
    command.env_remove("SENCO_PASSPHRASE");
    command
}

fn run(mut command: Command) -> Output {
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(output: Output) -> Output {
    assert!(output.status.success(), "failed: {}{}", text(&output.stdout), text(&output.stderr));
    output
}

/// The register as CSV: what a SENCO would compare.
fn register(db: &Path, demo: bool) -> String {
    let args = ["register", "list", "--all", "--format", "csv"];
    text(&ok(run(if demo { demo_cmd(db, &args) } else { senco(db, &args) })).stdout)
}

/// The UPN of the demo school's first pupil on SEN support (who has cycles to show).
fn on_sen_support(db: &Path) -> String {
    let csv = register(db, true);
    let row = csv.lines().skip(1).find(|l| l.split(',').nth(6) == Some("K")).expect("a pupil on SEN support");
    row.split(',').next().unwrap().trim_start_matches('\u{feff}').to_string()
}

fn healthy(db: &Path, demo: bool) -> bool {
    let out = run(if demo { demo_cmd(db, &["check"]) } else { senco(db, &["check"]) });
    out.status.success() && text(&out.stdout).contains("healthy")
}

fn demo_school(dir: &Path, pupils: &str) -> PathBuf {
    let db = dir.join("school.db");
    ok(run(demo_cmd(&db, &["demo", "--pupils", pupils, "--years", "1", "--today", "2026-11-23"])));
    db
}

/// Names in a folder that are neither a school's files, nor backups, nor dated copies.
fn strays(dir: &Path) -> Vec<String> {
    fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with('.') || n.ends_with(".restore")).collect()
}

#[test]
fn a_real_school_backed_up_by_the_command_line_restores_on_a_new_laptop_with_the_recovery_key_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.db");
    let init = ok(run(senco(&db, &["init", "--name", "Test Primary", "--urn", "118000", "--estab", "2001"])));
    let recovery = text(&init.stdout).trim().to_string();
    ok(run(senco(&db, &["pupil", "add", "--upn", "R886200124001", "--forename", "Ada", "--surname", "Okafor", "--dob", "14/03/2017", "--sex", "F", "--year", "4", "--admitted", "01/09/2021", "--today", "2026-11-23"])));
    let usb = dir.path().join("usb");
    fs::create_dir(&usb).unwrap();
    let file = usb.join("school.senco-backup");
    ok(run(senco(&db, &["backup", "--out", file.to_str().unwrap()])));
    let verified = ok(run(senco(&db, &["backup", "verify", file.to_str().unwrap()])));
    assert!(text(&verified.stdout).contains("every page of the file is intact"), "{}", text(&verified.stdout));

    let key_file = dir.path().join("recovery.txt");
    fs::write(&key_file, format!("{recovery}\n")).unwrap();
    let laptop = dir.path().join("new-laptop").join("school.db");
    let mut restore = senco(&laptop, &["restore", file.to_str().unwrap(), "--recovery-key-file", key_file.to_str().unwrap()]);
    restore.env_remove("SENCO_PASSPHRASE");
    let restored = ok(run(restore));
    assert!(text(&restored.stderr).contains("Restored Test Primary"), "{}", text(&restored.stderr));
    assert_eq!(register(&laptop, false), register(&db, false));
    assert!(healthy(&laptop, false));

    // The audit trail says who took the backup; the entries can be read as CSV.
    let audit = text(&ok(run(senco(&db, &["audit", "--format", "csv"]))).stdout);
    assert!(audit.lines().nth(1).unwrap().contains("senco command line (itadmin)") && audit.contains("backup"), "{audit}");
    let about = text(&ok(run(senco(&db, &["audit", "--pupil", "R886200124001", "--from", "01/01/2020"]))).stdout);
    assert!(about.contains("added pupil R886200124001") && !about.contains("backup written"), "{about}");
    let bad = run(senco(&db, &["audit", "--from", "31/02/2026"]));
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("--from"), "{}", text(&bad.stderr));
}

#[test]
fn an_older_backup_asks_before_it_replaces_a_newer_school_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "30");
    let file = dir.path().join("monday.senco-backup");
    ok(run(demo_cmd(&db, &["backup", "--out", file.to_str().unwrap()])));
    let before = register(&db, true);
    std::thread::sleep(Duration::from_millis(1100));
    ok(run(demo_cmd(&db, &["pupil", "add", "--upn", "R886200124001", "--forename", "Ada", "--surname", "Okafor", "--dob", "14/03/2017", "--sex", "F", "--year", "4", "--admitted", "01/09/2021", "--today", "2026-11-23"])));
    let newer = register(&db, true);

    let refused = run(demo_cmd(&db, &["restore", file.to_str().unwrap()]));
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("older than the school it replaces") && text(&refused.stderr).contains("--confirm-older"), "{}", text(&refused.stderr));
    assert_eq!(register(&db, true), newer);

    let done = ok(run(demo_cmd(&db, &["restore", file.to_str().unwrap(), "--confirm-older"])));
    assert_eq!(register(&db, true), before);
    let kept = text(&done.stderr).split("kept as ").nth(1).unwrap().trim().trim_end_matches('.').to_string();
    assert_eq!(register(Path::new(&kept), true), newer);
}

#[test]
fn a_tampered_or_truncated_backup_is_refused_naming_what_failed() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "30");
    let file = dir.path().join("b.senco-backup");
    ok(run(demo_cmd(&db, &["backup", "--out", file.to_str().unwrap()])));
    let bytes = fs::read(&file).unwrap();
    let before = register(&db, true);

    let cut = dir.path().join("cut.senco-backup");
    fs::write(&cut, &bytes[..bytes.len() - 5000]).unwrap();
    let mut flipped_bytes = bytes.clone();
    // A byte well inside the database entry (the manifest comes first and is small).
    let at = bytes.len() / 2;
    flipped_bytes[at] ^= 0x01;
    let flipped = dir.path().join("flipped.senco-backup");
    fs::write(&flipped, &flipped_bytes).unwrap();

    for (file, expected) in [(&cut, "cut short"), (&flipped, "school.db")] {
        for args in [vec!["backup", "verify", file.to_str().unwrap()], vec!["restore", file.to_str().unwrap(), "--confirm-older"]] {
            let out = run(demo_cmd(&db, &args));
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let message = text(&out.stderr);
            assert!(message.contains(file.file_name().unwrap().to_str().unwrap()) && message.contains(expected), "{args:?}: {message}");
        }
    }
    assert_eq!(register(&db, true), before);
    assert!(strays(dir.path()).is_empty(), "{:?}", strays(dir.path()));
}

/// Runs `command` through bash with a file-size limit, as a full disk would stop it.
fn with_size_limit(command: &Command, kib: u32) -> Output {
    let program = command.get_program().to_string_lossy().into_owned();
    let args: Vec<String> = command.get_args().map(|a| format!("'{}'", a.to_string_lossy())).collect();
    let mut bash = Command::new("bash");
    bash.arg("-c").arg(format!("ulimit -f {kib}; trap '' XFSZ; exec '{program}' {}", args.join(" ")));
    for (k, v) in command.get_envs() {
        match v {
            Some(v) => bash.env(k, v),
            None => bash.env_remove(k),
        };
    }
    bash.output().unwrap()
}

#[test]
fn a_full_disk_during_backup_or_restore_says_so_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "200");
    let before = register(&db, true);
    let file = dir.path().join("b.senco-backup");
    let out = with_size_limit(&demo_cmd(&db, &["backup", "--out", file.to_str().unwrap()]), 256);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let message = text(&out.stderr);
    assert!(message.contains("disk") && message.contains(dir.path().to_str().unwrap()), "{message}");
    assert!(!file.exists(), "no half-written backup under its name");
    assert!(strays(dir.path()).iter().all(|s| !s.contains("backup-")), "{:?}", strays(dir.path()));

    ok(run(demo_cmd(&db, &["backup", "--out", file.to_str().unwrap()])));
    let target = dir.path().join("elsewhere").join("school.db");
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    let out = with_size_limit(&demo_cmd(&target, &["restore", file.to_str().unwrap()]), 256);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("disk"), "{}", text(&out.stderr));
    assert!(!target.exists());
    assert!(fs::read_dir(target.parent().unwrap()).unwrap().next().is_none(), "nothing is left in the folder");
    assert_eq!(register(&db, true), before);
}

/// How long one run of `command` takes, to kill later runs part-way.
fn timed(command: Command) -> Duration {
    let start = Instant::now();
    ok(run(command));
    start.elapsed()
}

fn kill_after(mut command: Command, after: Duration) {
    let mut child = command.spawn().unwrap();
    std::thread::sleep(after);
    let _ = child.kill(); // SIGKILL: no clean-up code runs
    let _ = child.wait();
}

#[test]
fn a_backup_killed_at_any_moment_leaves_no_half_written_backup_and_the_school_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "400");
    let before = register(&db, true);
    let file = dir.path().join("b.senco-backup");
    let full = timed(demo_cmd(&db, &["backup", "--out", file.to_str().unwrap()]));
    for step in 0..16u32 {
        fs::remove_file(&file).unwrap_or(());
        kill_after(demo_cmd(&db, &["backup", "--out", file.to_str().unwrap()]), full * step / 14);
        // The staging copy of the database was once made 0644 inside its 0700 folder.
        assert!(loose(dir.path()).is_empty(), "killed at step {step}: everything is owner-only: {:?}", loose(dir.path()));
        if file.exists() {
            ok(run(demo_cmd(&db, &["backup", "verify", file.to_str().unwrap()])));
        }
        assert_eq!(register(&db, true), before, "killed at step {step}");
        assert!(healthy(&db, true), "killed at step {step}");
    }
    // A retry always works, under any name, and clears away what killed runs left.
    ok(run(demo_cmd(&db, &["backup", "--out", dir.path().join("another.senco-backup").to_str().unwrap()])));
    assert!(strays(dir.path()).is_empty(), "{:?}", strays(dir.path()));
}

#[test]
fn a_restore_killed_at_any_moment_leaves_the_old_school_or_the_restored_one_and_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "400");
    let file = dir.path().join("b.senco-backup");
    ok(run(demo_cmd(&db, &["backup", "--out", file.to_str().unwrap()])));
    let restored = register(&db, true);
    let full = timed(demo_cmd(&db, &["restore", file.to_str().unwrap(), "--confirm-older"]));
    for step in 0..16u32 {
        // Make the live school differ from the backup, so the two can be told apart.
        ok(run(demo_cmd(&db, &["pupil", "add", "--upn", "R886200124001", "--forename", "Ada", "--surname", "Okafor", "--dob", "14/03/2017", "--sex", "F", "--year", "4", "--admitted", "01/09/2021", "--today", "2026-11-23"])));
        let old = register(&db, true);
        kill_after(demo_cmd(&db, &["restore", file.to_str().unwrap(), "--confirm-older"]), full * step / 14);
        assert!(healthy(&db, true), "killed at step {step}: check finishes or leaves the school whole");
        let now = register(&db, true);
        assert!(now == old || now == restored, "killed at step {step}: the school is the old one or the restored one");
        if now == old {
            ok(run(demo_cmd(&db, &["restore", file.to_str().unwrap(), "--confirm-older"])));
        }
        assert_eq!(register(&db, true), restored, "step {step}: a retry restores");
        assert!(!dir.path().join("school.db.restore").exists());
    }
}

#[test]
fn an_erasure_killed_at_any_moment_erases_all_or_nothing_and_leaves_an_anonymous_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "400");
    // Far enough ahead that the demo's leavers are past date of birth + 25 years.
    let later = ["--today", "2046-09-01"];
    ok(run(demo_cmd(&db, &["retention", "--set-years", "25"])));
    let list = text(&ok(run(demo_cmd(&db, &["retention", "--format", "json", later[0], later[1]]))).stdout);
    let listed: serde_json::Value = serde_json::from_str(&list).unwrap();
    let due = listed["list"]["candidates"].as_array().unwrap().len();
    assert!(due >= 5, "{due} leavers due");
    let records = listed["erasing_all_removes"]["records"].as_u64().unwrap().to_string();

    let ask = run(demo_cmd(&db, &["erase", "--all-due", later[0], later[1]]));
    assert_eq!(ask.status.code(), Some(1));
    assert!(text(&ask.stderr).contains(&format!("--confirm {records}")), "{}", text(&ask.stderr));

    let args = ["erase", "--all-due", "--confirm", records.as_str(), later[0], later[1]];
    let scratch = dir.path().join("timing");
    fs::create_dir(&scratch).unwrap();
    let copy = scratch.join("school.db");
    fs::copy(&db, &copy).unwrap();
    fs::copy(dir.path().join("school.db.keys"), scratch.join("school.db.keys")).unwrap();
    let full = timed(demo_cmd(&copy, &args));
    let mut erased = false;
    for step in 0..14u32 {
        kill_after(demo_cmd(&db, &args), full * step / 12);
        assert!(healthy(&db, true), "killed at step {step}");
        let now: serde_json::Value = serde_json::from_str(&text(&ok(run(demo_cmd(&db, &["retention", "--format", "json", later[0], later[1]]))).stdout)).unwrap();
        let left = now["list"]["candidates"].as_array().unwrap().len();
        assert!(left == due || left == 0, "killed at step {step}: {left} of {due} left");
        if left == 0 {
            erased = true;
            break;
        }
    }
    if !erased {
        ok(run(demo_cmd(&db, &args)));
    }
    let audit = text(&ok(run(demo_cmd(&db, &["audit", "--format", "json"]))).stdout);
    let audit: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let entry = audit["entries"].as_array().unwrap().iter().find(|e| e["action"] == "erase").expect("an erasure entry");
    assert_eq!(entry["upn"], serde_json::Value::Null);
    assert!(entry["summary"].as_str().unwrap().contains(&format!("{due} pupils")), "{entry}");
}

#[test]
fn a_subject_access_export_holds_the_whole_file_with_a_manifest_that_checks() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "60");
    let upn = on_sen_support(&db);
    let out = dir.path().join("sar");
    fs::create_dir(&out).unwrap();
    let written = ok(run(demo_cmd(&db, &["sar", "--pupil", &upn, "--out", out.to_str().unwrap()])));
    let folder = PathBuf::from(text(&written.stdout).trim());
    assert!(folder.file_name().unwrap().to_string_lossy().starts_with(&format!("SAR-{upn}-")));
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    for file in manifest["files"].as_array().unwrap() {
        let bytes = fs::read(folder.join(file["name"].as_str().unwrap())).unwrap();
        assert_eq!(bytes.len() as u64, file["size"].as_u64().unwrap());
    }
    assert!(fs::read(folder.join("record.pdf")).unwrap().starts_with(b"%PDF"));
    let record: serde_json::Value = serde_json::from_slice(&fs::read(folder.join("record.json")).unwrap()).unwrap();
    assert_eq!(record["pupil"]["upn"], upn.as_str());
    assert!(!record["cycles"].as_array().unwrap().is_empty());
    for key in ["parent_meetings", "specialists", "consents", "assessment_requests", "packs_sent", "audit_entries"] {
        assert!(record.get(key).is_some(), "{key}");
    }
    // The export is itself audited, and a second one gets its own folder.
    let audit = text(&ok(run(demo_cmd(&db, &["audit", "--pupil", &upn]))).stdout);
    assert!(audit.contains("subject-access"), "{audit}");
    let again = ok(run(demo_cmd(&db, &["sar", "--pupil", &upn, "--out", out.to_str().unwrap()])));
    assert!(text(&again.stdout).trim().ends_with("-2"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(folder.join("record.json")).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

/// What is in `folder` under a final name that starts with `prefix`, and anything left that
/// a writer uses on the way (hidden staging folders, temporary files).
fn outputs_and_leftovers(folder: &Path, prefix: &str) -> (usize, Vec<String>) {
    let names: Vec<String> = fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let outputs = names.iter().filter(|n| n.starts_with(prefix)).count();
    let leftovers = names.into_iter().filter(|n| n.starts_with('.') || n.contains(".tmp-")).collect();
    (outputs, leftovers)
}

fn audit_entries(db: &Path, action: &str) -> usize {
    let audit: serde_json::Value = serde_json::from_slice(&ok(run(demo_cmd(db, &["audit", "--format", "json"]))).stdout).unwrap();
    audit["entries"].as_array().unwrap().iter().filter(|e| e["action"] == action).count()
}

/// Every file and folder under `dir` that someone other than its owner could open.
fn loose(dir: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else { continue };
        if meta.permissions().mode() & 0o077 != 0 {
            found.push(path.display().to_string());
        }
        if meta.is_dir() {
            found.extend(loose(&path));
        }
    }
    found
}

#[test]
fn a_subject_access_export_held_up_or_killed_at_any_moment_arrives_only_with_its_audit_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "60");
    let upn = on_sen_support(&db);
    let out = dir.path().join("sar");
    fs::create_dir(&out).unwrap();
    let sar = || demo_cmd(&db, &["sar", "--pupil", &upn, "--out", out.to_str().unwrap()]);
    let before = audit_entries(&db, "subject-access");

    // Another program holds the school for longer than the busy timeout (10 s): the export
    // says so, and neither a folder nor an entry is left.
    let (taken, wait) = std::sync::mpsc::channel();
    let holder = {
        let db = db.clone();
        std::thread::spawn(move || {
            let mut store = senco_core::Store::open(&db, senco_core::Unlock::Demo).unwrap();
            let lock = store.hold_write_lock(senco_core::Stamp::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())).unwrap();
            taken.send(()).unwrap();
            std::thread::sleep(Duration::from_secs(15));
            drop(lock);
        })
    };
    wait.recv().unwrap();
    let held = run(sar());
    holder.join().unwrap();
    assert!(!held.status.success());
    assert!(text(&held.stderr).contains("another program"), "{}", text(&held.stderr));
    assert_eq!(outputs_and_leftovers(&out, "SAR-"), (0, vec![]), "nothing under a final name, nothing left behind");
    assert_eq!(audit_entries(&db, "subject-access"), before);

    // Killed at 20 moments from start to finish.
    let full = timed(sar());
    for step in 0..20u32 {
        kill_after(sar(), full * step / 18);
        assert!(loose(&out).is_empty(), "step {step}: everything written is owner-only: {:?}", loose(&out));
    }
    // One more export finishes or clears what the killed ones left.
    ok(run(sar()));
    let (outputs, leftovers) = outputs_and_leftovers(&out, "SAR-");
    assert!(leftovers.is_empty(), "no temporary file or folder is left: {leftovers:?}");
    assert_eq!(outputs, audit_entries(&db, "subject-access") - before, "every folder under its final name has its audit entry, and every entry its folder");
    assert!(outputs >= 2, "at least the first and the last");
}

#[test]
fn pupil_data_printed_or_written_by_the_command_line_is_audited_and_its_file_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "60");
    let listed = ok(run(demo_cmd(&db, &["register", "list", "--format", "csv"])));
    assert!(text(&listed.stdout).lines().count() > 50);
    let file = dir.path().join("register.csv");
    ok(run(demo_cmd(&db, &["register", "list", "--format", "json", "--out", file.to_str().unwrap()])));
    assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600, "not the shell's 0644");
    assert!(fs::read_to_string(&file).unwrap().contains("schema_version"));
    let upn = text(&listed.stdout).lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    for args in [
        vec!["pupil", "show", upn.as_str(), "--format", "json"],
        vec!["worklist", "--format", "json"],
        vec!["reconcile", "--format", "csv"],
        vec!["provision-map", "--format", "csv"],
        vec!["audit", "--format", "csv"],
    ] {
        ok(run(demo_cmd(&db, &args)));
    }
    let audit: serde_json::Value = serde_json::from_slice(&ok(run(demo_cmd(&db, &["audit", "--format", "json"]))).stdout).unwrap();
    let copies: Vec<&serde_json::Value> = audit["entries"].as_array().unwrap().iter().filter(|e| e["action"] == "export-list").collect();
    // The seven above, and the CSV of the audit trail is one too; this JSON's own entry is
    // written after the entries were read.
    assert_eq!(copies.len(), 7, "{copies:#?}");
    let summaries: Vec<&str> = copies.iter().map(|e| e["summary"].as_str().unwrap()).collect();
    assert!(summaries.iter().any(|s| s.starts_with("the register (") && s.contains("written to a file")), "{summaries:?}");
    assert!(summaries.iter().any(|s| s.starts_with("a pupil's record (1 pupil) printed")), "{summaries:?}");
    let shown = copies.iter().find(|e| e["summary"].as_str().unwrap().starts_with("a pupil's record")).unwrap();
    assert_eq!(shown["upn"], upn.as_str(), "the record's copy is filed under the pupil");
    assert!(shown["who"].as_str().unwrap().contains("itadmin"), "the program and the account: {shown}");
}

#[test]
fn a_pack_build_killed_at_any_moment_leaves_no_unprotected_bundle_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_school(dir.path(), "60");
    let upn = on_sen_support(&db);
    let out = dir.path().join("packs");
    fs::create_dir(&out).unwrap();
    let build = || demo_cmd(&db, &["pack", "build", "--pupil", &upn, "--type", "ehcna", "--out", out.to_str().unwrap()]);
    let full = timed(build());
    fs::remove_dir_all(&out).unwrap();
    fs::create_dir(&out).unwrap();
    let before = audit_entries(&db, "export-pack");
    for step in 0..20u32 {
        kill_after(build(), full * step / 18);
        assert!(loose(&out).is_empty(), "step {step}: everything written is owner-only: {:?}", loose(&out));
    }
    ok(run(build()));
    let (outputs, leftovers) = outputs_and_leftovers(&out, "ehcna-pack-");
    assert!(leftovers.is_empty(), "no temporary file or folder is left: {leftovers:?}");
    // A pack built again on the same day is the same file, so bundles are at most entries.
    let entries = audit_entries(&db, "export-pack") - before;
    assert!(outputs >= 1 && outputs <= entries, "{outputs} bundles, {entries} entries");
}

#[test]
fn the_demo_school_refuses_an_mis_file_a_catalogue_and_a_real_schools_backup_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    // A CTF of invented pupils stands in for a school's real MIS file.
    let ctf = dir.path().join("school.xml");
    let other = dir.path().join("other.db");
    ok(run(demo_cmd(&other, &["demo", "--pupils", "60", "--years", "1", "--today", "2026-11-23", "--ctf", ctf.to_str().unwrap()])));
    let db = demo_school(dir.path(), "60");
    let before = register(&db, true);
    let csv = dir.path().join("school.csv");
    fs::write(&csv, "UPN,Legal Surname,Legal Forename,DOB,Gender,NC Year Actual\r\nA886200124001,Okafor,Ada,14/03/2017,F,Year 4\r\n").unwrap();
    let catalogue = dir.path().join("ours.catalogue");
    fs::write(&catalogue, "catalogue: Our framework\nversion: 1\nprefix: OURS\nsection S1: All\n  heading H: Heading\n    item 01: An item.\n").unwrap();
    for args in [
        vec!["import", "ctf", ctf.to_str().unwrap()],
        vec!["import", "csv", csv.to_str().unwrap()],
        vec!["catalogue", "load", catalogue.to_str().unwrap()],
    ] {
        let refused = run(demo_cmd(&db, &args));
        assert_eq!(refused.status.code(), Some(1), "{args:?}: {}", text(&refused.stderr));
        let message = text(&refused.stderr);
        assert!(message.contains("open to anyone") && message.contains("Set up your own school"), "{args:?}: {message}");
    }
    // A real school's backup is not restored over the demo.
    let real = dir.path().join("real").join("school.db");
    fs::create_dir(real.parent().unwrap()).unwrap();
    ok(run(senco(&real, &["init", "--name", "Hillside Primary", "--urn", "118000", "--estab", "2001"])));
    let backup = dir.path().join("real.senco-backup");
    ok(run(senco(&real, &["backup", "--out", backup.to_str().unwrap()])));
    let refused = run(senco(&db, &["restore", backup.to_str().unwrap(), "--confirm-older"]));
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("open to anyone"), "{}", text(&refused.stderr));
    assert_eq!(register(&db, true), before, "the demo is as it was");
    assert!(strays(dir.path()).is_empty(), "{:?}", strays(dir.path()));
}
