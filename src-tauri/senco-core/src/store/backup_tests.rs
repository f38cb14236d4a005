//! Backups taken while another program writes, restored over a school and onto a fresh
//! folder, and refused when tampered with, cut short or made by a newer app.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use chrono::NaiveDate;

use super::tests::{new_school, pupil};
use super::*;
use crate::demo::{self, DemoSpec};
use crate::upn::Upn;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn at(hour: u32) -> Stamp {
    Stamp { today: today(), at: today().and_hms_opt(hour, 0, 0).unwrap() }
}

/// The live school's rows without the audit row of the backup taken last (which the
/// backup cannot hold).
fn without_last_backup_row(mut rows: Vec<String>) -> Vec<String> {
    let last = rows.iter().rposition(|r| r.starts_with("audit:") && r.contains("\"backup\"")).expect("a backup was audited");
    assert!(!rows[last + 1..].iter().any(|r| r.starts_with("audit:")), "the backup was the last change");
    rows.remove(last);
    without_backup_note(rows)
}

/// Without the note of when the last backup was taken, which a backup holds as it was.
fn without_backup_note(mut rows: Vec<String>) -> Vec<String> {
    rows.retain(|r| !r.starts_with("setting: \"last_backup_at\""));
    rows
}

/// Every row of every table, in rowid order: two schools that dump the same hold the same.
fn dump(conn: &Connection) -> Vec<String> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid")).unwrap();
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |r| {
                let values: Vec<String> = (0..columns)
                    .map(|i| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        rusqlite::types::ValueRef::Blob(b) => format!("blob of {} bytes, sha256 {}", b.len(), crate::pack::bundle_digest(b)),
                        other => format!("{other:?}"),
                    })
                    .collect();
                Ok(format!("{table}: {}", values.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

fn demo_with_attachment(dir: &Path) -> (Store, PathBuf) {
    let path = dir.join("school.db");
    let mut store = demo::create(&path, DemoSpec { pupils: 60, seed: 4, years: 3 }, Stamp::on(today())).unwrap();
    let involvement: i64 = store.conn.query_row("SELECT id FROM involvement ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
    let mut report = b"%PDF-1.4\n".to_vec();
    report.extend(std::iter::repeat_n(7u8, 50_000));
    store.attach_report(involvement, "Speech and language report.pdf", &report, at(9)).unwrap();
    (store, path)
}

#[test]
fn a_backup_taken_while_another_program_writes_restores_to_one_consistent_moment_and_then_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path) = demo_with_attachment(dir.path());
    let before: i64 = store.conn.query_row("SELECT count(*) FROM pupil", [], |r| r.get(0)).unwrap();

    // Another program adds pupils one by one while the backup is taken.
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut other = Store::open(&writer_path, Unlock::Demo).unwrap();
        for n in 0..40u16 {
            let upn = Upn::from_parts(886, 2999, 26, 500 + n);
            other.add_pupil(&pupil(upn.as_str(), &format!("Writer{}", char::from(b'a' + (n % 26) as u8))), at(10)).unwrap();
        }
    });
    let mut taken = Vec::new();
    for n in 0..4 {
        let out = dir.path().join(format!("during-{n}.senco-backup"));
        store.backup(&out, at(10)).unwrap();
        taken.push(out);
    }
    writer.join().unwrap();

    for (n, file) in taken.iter().enumerate() {
        let target = dir.path().join(format!("restored-{n}")).join("school.db");
        restore(file, &target, Unlock::Demo, false, at(11)).unwrap();
        let restored = Store::open(&target, Unlock::Demo).unwrap();
        let pupils: i64 = restored.conn.query_row("SELECT count(*) FROM pupil", [], |r| r.get(0)).unwrap();
        assert!(pupils >= before && pupils <= before + 40, "{pupils} pupils");
        // A snapshot: each pupil the writer added is there with its audit row, or neither.
        let audited: i64 = restored.conn.query_row("SELECT count(*) FROM audit WHERE action = 'add' AND record = 'pupil' AND at = '2026-11-23T10:00:00'", [], |r| r.get(0)).unwrap();
        assert_eq!(audited, pupils - before);
        assert!(restored.conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)).unwrap() == "ok");
    }

    // Once the writer has stopped, a backup restores to exactly the live school,
    // attachments and all.
    let out = dir.path().join("after.senco-backup");
    store.backup(&out, at(12)).unwrap();
    let live = dump(&store.conn);
    assert!(live.iter().any(|row| row.starts_with("attachment:")));
    let target = dir.path().join("fresh").join("school.db");
    restore(&out, &target, Unlock::Demo, false, at(12)).unwrap();
    let restored = Store::open(&target, Unlock::Demo).unwrap();
    assert_eq!(without_backup_note(dump(&restored.conn)), without_last_backup_row(live));
}

#[test]
fn a_backup_restores_onto_a_fresh_folder_with_the_recovery_key_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _path, recovery) = new_school(dir.path());
    store.add_pupil(&pupil(Upn::from_parts(886, 2999, 26, 1).as_str(), "Okafor"), at(9)).unwrap();
    let out = dir.path().join("usb").join("school.senco-backup");
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    store.backup(&out, at(9)).unwrap();
    let live = dump(&store.conn);

    let fresh = dir.path().join("new-laptop").join("data").join("school.senco");
    let checked = verify_backup(&out, Some(Unlock::RecoveryKey(recovery.as_str())), &dir.path().join("scratch")).unwrap();
    assert!(checked.unlocked && checked.findings.iter().all(|f| f.passed), "{:?}", checked.findings);
    let plan = plan_restore(&out, &fresh, &Unlock::RecoveryKey(recovery.as_str())).unwrap();
    assert!(!plan.needs_confirmation && !plan.replaces_school, "{plan:?}");
    let outcome = restore(&out, &fresh, Unlock::RecoveryKey(recovery.as_str()), false, at(10)).unwrap();
    assert_eq!(outcome.replaced_copy, None);
    let restored = Store::open(&fresh, Unlock::RecoveryKey(recovery.as_str())).unwrap();
    assert_eq!(without_backup_note(dump(&restored.conn)), without_last_backup_row(live));
    // Nothing is left beside it but the school and its key file (and SQLite's own files).
    let mut names: Vec<String> = fs::read_dir(fresh.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names.retain(|n| !n.ends_with("-wal") && !n.ends_with("-shm"));
    assert_eq!(names, ["school.senco", "school.senco.keys", "school.senco.lock"], "the school, its key file and the file programs hold while it is open");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // A wrong secret is refused before anything is written.
    let again = dir.path().join("elsewhere").join("school.senco");
    let refused = restore(&out, &again, Unlock::RecoveryKey("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"), false, at(10)).unwrap_err();
    assert!(refused.to_string().contains("recovery key does not open the backup"), "{refused}");
    assert!(!again.exists());
}

#[test]
fn restoring_an_older_backup_over_a_newer_school_asks_first_and_keeps_the_newer_one_as_a_dated_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, _) = new_school(dir.path());
    store.add_pupil(&pupil(Upn::from_parts(886, 2999, 26, 1).as_str(), "Okafor"), at(9)).unwrap();
    let out = dir.path().join("monday.senco-backup");
    store.backup(&out, at(9)).unwrap();
    let later = Stamp { today: today(), at: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(14, 30, 0).unwrap() };
    store.add_pupil(&pupil(Upn::from_parts(886, 2999, 26, 2).as_str(), "Nowak"), later).unwrap();
    let newer = dump(&store.conn);
    drop(store);

    let secret = Unlock::Passphrase("quiet lantern over marsh fields");
    let plan = plan_restore(&out, &path, &secret).unwrap();
    assert!(plan.needs_confirmation, "{plan:?}");
    assert!(plan.message.contains("23 Nov 2026 at 09:00") && plan.message.contains("25 Nov 2026 at 14:30") && plan.message.contains("2 days later"), "{}", plan.message);
    let refused = restore(&out, &path, Unlock::Passphrase("quiet lantern over marsh fields"), false, later).unwrap_err();
    assert!(refused.to_string().contains("Nothing was changed"), "{refused}");
    assert_eq!(dump(&Store::open(&path, Unlock::Passphrase("quiet lantern over marsh fields")).unwrap().conn), newer);

    let outcome = restore(&out, &path, Unlock::Passphrase("quiet lantern over marsh fields"), true, later).unwrap();
    let copy = PathBuf::from(outcome.replaced_copy.expect("the newer school is kept"));
    assert!(copy.file_name().unwrap().to_string_lossy().starts_with("school-before-restore-2026-11-25-143000"), "{copy:?}");
    let restored = Store::open(&path, Unlock::Passphrase("quiet lantern over marsh fields")).unwrap();
    let pupils: i64 = restored.conn.query_row("SELECT count(*) FROM pupil", [], |r| r.get(0)).unwrap();
    assert_eq!(pupils, 1);
    let kept = Store::open(&copy, Unlock::Passphrase("quiet lantern over marsh fields")).unwrap();
    assert_eq!(dump(&kept.conn), newer);
    assert!(crate::store::check(&path, Unlock::Passphrase("quiet lantern over marsh fields")).unwrap().healthy());
}

/// Rewrites a backup's zip, letting `change` alter each entry.
fn rewrite(from: &Path, to: &Path, change: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    let mut archive = zip::ZipArchive::new(fs::File::open(from).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(fs::File::create(to).unwrap());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        writer.start_file(name.as_str(), zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
        writer.write_all(&change(&name, bytes)).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn a_tampered_truncated_foreign_or_newer_backup_is_refused_naming_what_failed_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, _) = new_school(dir.path());
    store.add_pupil(&pupil(Upn::from_parts(886, 2999, 26, 1).as_str(), "Okafor"), at(9)).unwrap();
    let good = dir.path().join("good.senco-backup");
    store.backup(&good, at(9)).unwrap();
    let live = dump(&store.conn);
    drop(store);
    let secret = || Unlock::Passphrase("quiet lantern over marsh fields");
    let bytes = fs::read(&good).unwrap();

    let mut cases: Vec<(&str, PathBuf, &str)> = Vec::new();
    let truncated = dir.path().join("truncated.senco-backup");
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    cases.push(("truncated", truncated, "cut short"));
    let flipped = dir.path().join("flipped.senco-backup");
    rewrite(&good, &flipped, |name, mut b| {
        if name == "school.db" {
            b[9000] ^= 0x20;
        }
        b
    });
    cases.push(("a flipped byte", flipped, "school.db does not match its SHA-256"));
    let newer = dir.path().join("newer.senco-backup");
    rewrite(&good, &newer, |name, b| if name == "manifest.json" { String::from_utf8(b).unwrap().replace(&format!("\"appVersion\": \"{}\"", crate::backup::APP_VERSION), "\"appVersion\": \"99.0.0\"").into_bytes() } else { b });
    cases.push(("a newer app", newer, "made by SENCO Toolkit 99.0.0, which is newer than this app"));
    let foreign = dir.path().join("holiday.zip");
    rewrite(&good, &foreign, |name, b| if name == "manifest.json" { b"{\"photos\": 3}".to_vec() } else { b });
    cases.push(("another zip", foreign, "manifest.json is not a backup manifest"));
    let empty = dir.path().join("empty.senco-backup");
    fs::write(&empty, b"").unwrap();
    cases.push(("an empty file", empty, "cannot be read as a backup file"));
    // The manifest rewritten to match a changed database: SQLCipher's page checks catch it.
    let forged = dir.path().join("forged.senco-backup");
    rewrite(&good, &dir.path().join("scratch.zip"), |name, mut b| {
        if name == "school.db" {
            b[9000] ^= 0x20;
        }
        b
    });
    let mut db = Vec::new();
    zip::ZipArchive::new(fs::File::open(dir.path().join("scratch.zip")).unwrap()).unwrap().by_name("school.db").unwrap().read_to_end(&mut db).unwrap();
    let digest = crate::backup::file_digest(&{
        let p = dir.path().join("scratch.db");
        fs::write(&p, &db).unwrap();
        p
    })
    .unwrap()
    .1;
    let original_digest = {
        let mut original = Vec::new();
        zip::ZipArchive::new(fs::File::open(&good).unwrap()).unwrap().by_name("school.db").unwrap().read_to_end(&mut original).unwrap();
        let p = dir.path().join("original.db");
        fs::write(&p, &original).unwrap();
        crate::backup::file_digest(&p).unwrap().1
    };
    rewrite(&dir.path().join("scratch.zip"), &forged, |name, b| {
        if name == "manifest.json" { String::from_utf8(b).unwrap().replace(&original_digest, &digest).into_bytes() } else { b }
    });
    cases.push(("a forged manifest", forged, "fails its checks"));

    for (what, file, expected) in cases {
        let error = restore(&file, &path, secret(), true, at(10)).unwrap_err();
        let message = error.to_string();
        assert!(message.contains(expected), "{what}: {message}");
        if what != "a forged manifest" {
            assert!(verify_backup(&file, None, &dir.path().join("scratch")).unwrap_err().to_string().contains(expected), "{what}");
        }
        assert_eq!(dump(&Store::open(&path, secret()).unwrap().conn), live, "{what} changed the school");
        let strays: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".school") || n.contains("before-restore") || n.ends_with(".restore"))
            .collect();
        assert!(strays.is_empty(), "{what} left {strays:?}");
    }
}

#[test]
fn a_restore_is_refused_while_another_program_has_the_school_open() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, _) = new_school(dir.path());
    let out = dir.path().join("b.senco-backup");
    store.backup(&out, at(9)).unwrap();
    let secret = || Unlock::Passphrase("quiet lantern over marsh fields");
    let refused = restore(&out, &path, secret(), true, at(10)).unwrap_err();
    assert!(refused.to_string().contains("another program has the school"), "{refused}");
    drop(store);
    restore(&out, &path, secret(), true, at(10)).unwrap();
    // Opening waits for nothing once the restore is done, and holds the school again.
    let reopened = Store::open(&path, secret()).unwrap();
    assert!(restore(&out, &path, secret(), true, at(10)).is_err());
    drop(reopened);
}

#[test]
fn automatic_backups_go_to_the_chosen_folder_keep_their_generations_and_the_worklist_warns_when_stale_or_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _path, _) = new_school(dir.path());
    let when = |d: u32, h: u32| Stamp { today: today(), at: NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(h, 0, 0).unwrap() };
    let status = store.backup_status(when(23, 9).at).unwrap();
    assert!(status.warnings[0].contains("never been backed up"), "{status:?}");
    assert!(store.backup_due(when(23, 9).at).unwrap());

    let usb = dir.path().join("usb");
    let refused = store.set_backup_settings(Some(usb.to_str().unwrap()), 3, when(23, 9)).unwrap_err();
    assert!(refused.to_string().contains("is not a folder that can be reached now"), "{refused}");
    fs::create_dir(&usb).unwrap();
    fs::write(usb.join("holiday-photos.zip"), b"not ours").unwrap();
    store.set_backup_settings(Some(usb.to_str().unwrap()), 3, when(23, 9)).unwrap();
    for hour in 10..15 {
        store.backup_to_folder(&dir.path().join("fallback"), when(23, hour)).unwrap();
    }
    let mut names: Vec<String> = fs::read_dir(&usb).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["holiday-photos.zip", "test-primary-2026-11-23-120000.senco-backup", "test-primary-2026-11-23-130000.senco-backup", "test-primary-2026-11-23-140000.senco-backup"]);
    assert!(!store.backup_due(when(23, 20).at).unwrap());
    assert!(store.backup_due(when(24, 14).at).unwrap());
    assert!(store.backup_status(when(30, 14).at).unwrap().warnings.is_empty());
    let stale = store.backup_status(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(9, 0, 0).unwrap()).unwrap();
    assert!(stale.warnings[0].contains("8 days ago"), "{stale:?}");

    // The stick is taken out: the backup fails, says why, and the worklist says so.
    fs::rename(&usb, dir.path().join("usb-elsewhere")).unwrap();
    let failed = store.backup_to_folder(&dir.path().join("fallback"), when(25, 9)).unwrap_err();
    assert!(failed.to_string().contains("cannot be reached"), "{failed}");
    let status = store.backup_status(when(25, 9).at).unwrap();
    assert!(!status.reachable);
    assert!(status.warnings.iter().any(|w| w.contains("cannot be reached")) && status.warnings.iter().any(|w| w.contains("last automatic backup failed")), "{status:?}");
}

#[test]
fn a_restore_stopped_after_any_step_of_its_switch_is_finished_by_the_next_open_and_the_old_school_is_kept_whole() {
    for steps in 0..=7 {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, path, _) = new_school(dir.path());
        store.add_pupil(&pupil(Upn::from_parts(886, 2999, 26, 1).as_str(), "Okafor"), at(9)).unwrap();
        let out = dir.path().join("b.senco-backup");
        store.backup(&out, at(9)).unwrap();
        store.add_pupil(&pupil(Upn::from_parts(886, 2999, 26, 2).as_str(), "Nowak"), at(10)).unwrap();
        // Its latest writes still in the WAL, as when the power goes (the program itself
        // gone, so its hold on the school is released).
        let newer = dump(&store.conn);
        let Store { conn, _in_use: in_use, .. } = store;
        drop(in_use);
        std::mem::forget(conn);
        let secret = || Unlock::Passphrase("quiet lantern over marsh fields");
        let outcome = super::backup::restore_until(&out, &path, secret(), true, at(11), steps).unwrap();
        let restored = Store::open(&path, secret()).unwrap();
        let pupils: i64 = restored.conn.query_row("SELECT count(*) FROM pupil", [], |r| r.get(0)).unwrap();
        assert_eq!(pupils, 1, "stopped after {steps} steps: the next open finishes the restore");
        assert!(crate::store::check(&path, secret()).unwrap().healthy());
        let copy = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).find(|p| p.to_string_lossy().ends_with(".senco") && p.to_string_lossy().contains("before-restore")).expect("the dated copy");
        assert_eq!(dump(&Store::open(&copy, secret()).unwrap().conn), newer, "stopped after {steps} steps: the old school is kept whole");
        let strays: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with('.') || n.ends_with(".restore")).collect();
        assert!(strays.is_empty(), "stopped after {steps} steps: {strays:?}");
        let _ = outcome;
    }
}

#[test]
fn a_backup_never_replaces_the_school_or_a_file_that_is_not_a_backup_and_a_compressed_entry_is_never_unpacked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, _) = new_school(dir.path());
    for own in [path.clone(), crate::keys::key_file_path(&path)] {
        let refused = store.backup(&own, at(9)).unwrap_err();
        assert!(refused.to_string().contains("the school's own file"), "{refused}");
    }
    let letter = dir.path().join("letter.docx");
    fs::write(&letter, b"Dear parent").unwrap();
    assert!(store.backup(&letter, at(9)).unwrap_err().to_string().contains("is not a SENCO Toolkit backup"));
    assert_eq!(fs::read(&letter).unwrap(), b"Dear parent");
    let out = dir.path().join("b.senco-backup");
    store.backup(&out, at(9)).unwrap();
    store.backup(&out, at(10)).unwrap();

    // The same entries, deflated: a backup never is, so it is refused before unpacking.
    let deflated = dir.path().join("deflated.senco-backup");
    {
        let mut archive = zip::ZipArchive::new(fs::File::open(&out).unwrap()).unwrap();
        let mut writer = zip::ZipWriter::new(fs::File::create(&deflated).unwrap());
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            writer.start_file(name.as_str(), zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
            writer.write_all(&bytes).unwrap();
        }
        writer.finish().unwrap();
    }
    drop(store);
    let refused = restore(&deflated, &path, Unlock::Passphrase("quiet lantern over marsh fields"), true, at(11)).unwrap_err();
    assert!(refused.to_string().contains("not stored as a backup stores it"), "{refused}");
}

#[test]
fn a_marker_that_names_anything_but_a_restore_of_this_school_is_refused_and_nothing_is_moved_or_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path, _) = new_school(dir.path());
    drop(store);
    fs::create_dir(dir.path().join("exports")).unwrap();
    for (staging, aside) in [("", "school-before-restore-x.senco"), (".", "school-before-restore-x.senco"), ("exports", "school-before-restore-x.senco"), (".school.senco.restoring-0123456789abcdef", "school.senco.keys")] {
        fs::write(crate::files::with_suffix(&path, ".restore"), serde_json::json!({ "staging": staging, "aside": aside }).to_string()).unwrap();
        let refused = Store::open(&path, Unlock::Passphrase("quiet lantern over marsh fields")).err().expect("refused");
        assert_eq!(refused.code(), crate::ErrorCode::Damaged, "{staging:?} {aside:?}");
        assert!(path.exists() && crate::keys::key_file_path(&path).exists() && dir.path().join("exports").exists(), "{staging:?}: nothing moved or removed");
    }
    // An empty marker (reserved, never written) is a restore that never started.
    fs::write(crate::files::with_suffix(&path, ".restore"), b"").unwrap();
    assert!(Store::open(&path, Unlock::Passphrase("quiet lantern over marsh fields")).is_ok());
    assert!(!crate::files::with_suffix(&path, ".restore").exists());
}
