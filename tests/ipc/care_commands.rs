//! Keeping a real school safe through the app's commands: settings refused and saved, a
//! backup into a chosen folder, found and restored (asking first, since the school changed
//! after it), the audit trail naming the app, the purge list and the subject-access export.

use std::os::unix::fs::PermissionsExt;

use serde_json::json;

use super::{pupil, setup_args, App, PASSPHRASE};

#[test]
fn a_backup_taken_in_the_app_is_found_and_restored_over_a_newer_school_only_when_confirmed() {
    let app = App::new();
    app.ok("create_school", setup_args());
    let ada = app.ok("pupil_add", json!({ "pupil": pupil("K886200724123") }));

    let settings = app.ok("care_settings", json!({}));
    assert_eq!(settings["lock"]["minutes"], 10);
    assert_eq!(settings["retention"]["years"], 31);
    assert!(settings["backup"]["warnings"][0].as_str().unwrap().contains("never been backed up"), "{settings}");

    let usb = app.dir.path().join("usb");
    let refused = app.call("backup_settings_save", json!({ "folder": usb.to_str().unwrap(), "keep": 0 })).unwrap_err();
    assert_eq!(refused["code"], "invalid");
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["folder", "keep"], "{refused}");
    std::fs::create_dir(&usb).unwrap();
    let status = app.ok("backup_settings_save", json!({ "folder": usb.to_str().unwrap(), "keep": 5 }));
    assert_eq!(status["settings"]["keep"], 5);

    let taken = app.ok("backup_now", json!({}));
    let file = taken["path"].as_str().unwrap().to_string();
    assert!(file.starts_with(usb.to_str().unwrap()) && file.ends_with(".senco-backup"), "{taken}");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(app.ok("backup_status", json!({}))["warnings"], json!([]));
    let found = app.ok("backups_found", json!({}));
    assert_eq!(found[0]["path"], file.as_str());
    assert_eq!(found[0]["manifest"]["school"], "Test Primary");

    let audit = app.ok("audit_list", json!({ "upn": null, "from": null, "to": null }));
    assert_eq!(audit[0]["action"], "backup");
    assert!(audit[0]["actor"].as_str().unwrap().starts_with("SENCO Toolkit app ("), "{}", audit[0]);
    let bad = app.call("audit_list", json!({ "upn": null, "from": "31/02/2026", "to": null })).unwrap_err();
    assert_eq!(bad["fields"][0]["field"], "from");

    // A change after the backup: restoring it now would lose that change, so it asks.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    app.ok("pupil_add", json!({ "pupil": pupil("H886200724222") }));
    let plan = app.ok("restore_preview", json!({ "path": file, "passphrase": PASSPHRASE, "recoveryKey": null }));
    assert_eq!(plan["needsConfirmation"], true, "{plan}");
    let wrong = app.call("restore_preview", json!({ "path": app.dir.path().join("nothing.senco-backup"), "passphrase": PASSPHRASE, "recoveryKey": null })).unwrap_err();
    assert!(wrong["message"].as_str().unwrap().contains("nothing.senco-backup"), "{wrong}");
    let unconfirmed = app.call("restore_apply", json!({ "path": file, "passphrase": PASSPHRASE, "recoveryKey": null, "confirmed": false })).unwrap_err();
    assert!(unconfirmed["message"].as_str().unwrap().contains("Nothing was changed"), "{unconfirmed}");
    let wrong_secret = app.call("restore_apply", json!({ "path": file, "passphrase": "not the passphrase at all", "recoveryKey": null, "confirmed": true })).unwrap_err();
    assert!(wrong_secret["message"].as_str().unwrap().contains("does not open the backup"), "{wrong_secret}");
    assert_eq!(app.ok("register_page", json!({ "query": {} }))["total"], 2, "a refused restore leaves the school open and unchanged");
    let outcome = app.ok("restore_apply", json!({ "path": file, "passphrase": PASSPHRASE, "recoveryKey": null, "confirmed": true }));
    assert!(outcome["replacedCopy"].as_str().unwrap().contains("before-restore"), "{outcome}");
    assert_eq!(app.code("register_page", json!({ "query": {} })), "locked", "the restored school must be unlocked");
    app.ok("unlock", json!({ "passphrase": PASSPHRASE }));
    let page = app.ok("register_page", json!({ "query": {} }));
    assert_eq!(page["total"], 1, "the restored school is as it was: {page}");

    // The pupil's subject-access bundle, owner-only, in the exports folder.
    let id = ada["id"].as_i64().unwrap();
    let written = app.ok("subject_access", json!({ "id": id }));
    let folder = std::path::PathBuf::from(written["folder"].as_str().unwrap());
    assert!(folder.starts_with(app.dir.path().join("exports")));
    for name in ["record.pdf", "record.json", "manifest.json"] {
        assert_eq!(std::fs::metadata(folder.join(name)).unwrap().permissions().mode() & 0o777, 0o600, "{name}");
    }
}

#[test]
fn retention_and_lock_settings_keep_to_their_bounds_and_nobody_on_roll_is_erased() {
    let app = App::new();
    app.ok("create_school", setup_args());
    let ada = app.ok("pupil_add", json!({ "pupil": pupil("K886200724123") }));
    let refused = app.call("retention_years_set", json!({ "years": 20 })).unwrap_err();
    assert_eq!((refused["code"].as_str(), refused["fields"][0]["field"].as_str()), (Some("invalid"), Some("years")));
    assert_eq!(app.ok("retention_years_set", json!({ "years": 35 }))["years"], 35);
    assert_eq!(app.code("lock_minutes_set", json!({ "minutes": 0 })), "invalid");
    assert_eq!(app.ok("lock_minutes_set", json!({ "minutes": 5 }))["minutes"], 5);
    assert_eq!(app.ok("lock_setting", json!({}))["minutes"], 5);

    assert_eq!(app.ok("purge_list", json!({}))["candidates"], json!([]));
    let id = ada["id"].clone();
    let count = app.ok("erasure_count", json!({ "pupils": [id] }));
    assert!(count["records"].as_u64().unwrap() >= 2, "{count}");
    let error = app.call("erase", json!({ "pupils": [id], "confirmed": count })).unwrap_err();
    assert!(error["message"].as_str().unwrap().contains("not due for erasure"), "{error}");
    assert_eq!(app.ok("register_page", json!({ "query": {} }))["total"], 1);
}
