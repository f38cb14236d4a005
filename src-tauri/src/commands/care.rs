//! Backups and restores, the idle lock's and retention's settings, the audit trail, the
//! purge list and erasure, and the subject-access export.

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use senco_core::backup::BackupManifest;
use senco_core::pupil::PupilId;
use senco_core::sar::SarWritten;
use senco_core::store::{
    AuditEntry, AuditQuery, BackupStatus, Copied, BackupTaken, ErasureCount, LockSetting, Place, PurgeList, RestoreOutcome, RestorePlan, RetentionSetting,
};
use senco_core::{dates, export, files, Error, Unlock};

use super::now;
use crate::error::CommandResult;
use crate::state::AppState;

/// The settings of the Backup and records screen, in one answer.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CareSettings {
    pub lock: LockSetting,
    pub retention: RetentionSetting,
    pub backup: BackupStatus,
    /// Where backups go when no folder is chosen (the data folder: the same disk).
    pub fallback_folder: String,
}

#[tauri::command(async)]
pub fn care_settings(state: State<'_, AppState>) -> CommandResult<CareSettings> {
    let fallback_folder = state.backup_fallback().display().to_string();
    Ok(state.with_store(|store| {
        Ok(CareSettings { lock: store.lock_setting()?, retention: store.retention_setting()?, backup: store.backup_status(now().at)?, fallback_folder })
    })?)
}

/// The idle lock's minutes, asked by the UI at unlock (it runs the timer).
#[tauri::command(async)]
pub fn lock_setting(state: State<'_, AppState>) -> CommandResult<LockSetting> {
    Ok(state.with_store(|store| store.lock_setting())?)
}

#[tauri::command(async)]
pub fn lock_minutes_set(state: State<'_, AppState>, minutes: u32) -> CommandResult<LockSetting> {
    Ok(state.with_store(|store| store.set_lock_minutes(minutes, now()))?)
}

#[tauri::command(async)]
pub fn retention_years_set(state: State<'_, AppState>, years: u32) -> CommandResult<RetentionSetting> {
    Ok(state.with_store(|store| store.set_retention_years(years, now()))?)
}

#[tauri::command(async)]
pub fn backup_settings_save(state: State<'_, AppState>, folder: Option<String>, keep: u32) -> CommandResult<BackupStatus> {
    Ok(state.with_store(|store| {
        store.set_backup_settings(folder.as_deref(), keep, now())?;
        store.backup_status(now().at)
    })?)
}

/// What the worklist shows about backups.
#[tauri::command(async)]
pub fn backup_status(state: State<'_, AppState>) -> CommandResult<BackupStatus> {
    Ok(state.with_store(|store| store.backup_status(now().at))?)
}

/// Backs up now into the chosen folder (or the data folder's `backups`).
#[tauri::command(async)]
pub fn backup_now(state: State<'_, AppState>) -> CommandResult<BackupTaken> {
    let fallback = state.backup_fallback();
    Ok(state.with_store(|store| store.backup_to_folder(&fallback, now()))?)
}

/// Where a restore from the app goes: always the school's own place, never the demo's,
/// even when the demo school is the one open.
fn restore_target(state: &AppState) -> std::path::PathBuf {
    state.school_path()
}

fn unlock_with<'a>(passphrase: &'a Option<String>, recovery_key: &'a Option<String>) -> Unlock<'a> {
    match (recovery_key.as_deref().map(str::trim).filter(|k| !k.is_empty()), passphrase.as_deref().filter(|p| !p.is_empty())) {
        (Some(key), _) => Unlock::RecoveryKey(key),
        (None, Some(passphrase)) => Unlock::Passphrase(passphrase),
        (None, None) => Unlock::Demo,
    }
}

/// Checks the backup (every entry, the secret, every integrity check) and says what
/// restoring it would do. Nothing changes.
#[tauri::command(async)]
pub fn restore_preview(state: State<'_, AppState>, path: String, passphrase: Option<String>, recovery_key: Option<String>) -> CommandResult<RestorePlan> {
    let target = restore_target(&state);
    let file = std::path::Path::new(path.trim());
    // The check proves the passphrase or recovery key opens the backup, so a wrong one is
    // said here, before anything is asked of the SENCO.
    let checked = senco_core::store::verify_backup(file, Some(unlock_with(&passphrase, &recovery_key)), &state.data_dir().join("scratch"))?;
    if let Some(failed) = checked.findings.iter().find(|f| !f.passed) {
        return Err(Error::Refused(format!("the backup {} unlocks but fails its checks ({}: {}); it cannot be restored", file.display(), failed.check, failed.detail)).into());
    }
    Ok(senco_core::store::plan_restore(file, &target, &unlock_with(&passphrase, &recovery_key))?)
}

/// Restores a backup. The open school is closed first (the SENCO unlocks the restored one
/// next); a backup that fails any check changes nothing.
#[tauri::command(async)]
pub fn restore_apply(state: State<'_, AppState>, path: String, passphrase: Option<String>, recovery_key: Option<String>, confirmed: bool) -> CommandResult<RestoreOutcome> {
    let target = restore_target(&state);
    let file = std::path::Path::new(path.trim());
    // Everything that could refuse the restore is checked while the school stays open: the
    // manifest and every entry, the secret, every integrity check, and the confirmation.
    let checked = senco_core::store::verify_backup(file, Some(unlock_with(&passphrase, &recovery_key)), &state.data_dir().join("scratch"))?;
    if let Some(failed) = checked.findings.iter().find(|f| !f.passed) {
        return Err(Error::Refused(format!("the backup {} unlocks but fails its checks ({}: {}); nothing was changed", file.display(), failed.check, failed.detail)).into());
    }
    let plan = senco_core::store::plan_restore(file, &target, &unlock_with(&passphrase, &recovery_key))?;
    if plan.needs_confirmation && !confirmed {
        return Err(Error::Refused(format!("{} Nothing was changed: confirm to go ahead.", plan.message)).into());
    }
    // Closed only now, before its files are moved aside.
    *state.slot() = None;
    Ok(senco_core::store::restore(file, &target, unlock_with(&passphrase, &recovery_key), confirmed, now())?)
}

/// A backup file found in the backup folder (or the data folder's `backups`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FoundBackup {
    pub path: String,
    pub manifest: BackupManifest,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The backups in the chosen folder and the data folder's `backups`, newest first. Files
/// that are not readable backups are left out.
#[tauri::command(async)]
pub fn backups_found(state: State<'_, AppState>) -> CommandResult<Vec<FoundBackup>> {
    let mut folders = vec![state.backup_fallback()];
    if let Ok(Some(folder)) = state.with_store(|store| Ok(store.backup_settings()?.folder)) {
        folders.insert(0, std::path::PathBuf::from(folder));
    }
    let mut found = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "senco-backup") {
                if let Ok(opened) = senco_core::backup::open(&path) {
                    let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
                    found.push(FoundBackup { path: path.display().to_string(), manifest: opened.manifest, bytes });
                }
            }
        }
    }
    found.sort_by(|a, b| b.manifest.taken_at.cmp(&a.manifest.taken_at));
    Ok(found)
}

/// The audit trail, newest first, at most 2,000 entries a screen.
#[tauri::command(async)]
pub fn audit_list(state: State<'_, AppState>, upn: Option<String>, from: Option<String>, to: Option<String>) -> CommandResult<Vec<AuditEntry>> {
    let query = audit_query(upn, from, to, Some(2000))?;
    Ok(state.with_store(|store| store.audit(&query))?)
}

fn audit_query(upn: Option<String>, from: Option<String>, to: Option<String>, limit: Option<u32>) -> Result<AuditQuery, Error> {
    let day = |field: &str, label: &str, text: Option<String>| -> Result<Option<chrono::NaiveDate>, Error> {
        text.filter(|t| !t.trim().is_empty()).map(|t| dates::read(field, label, &t).map_err(|p| Error::Invalid(vec![p]))).transpose()
    };
    Ok(AuditQuery { upn: upn.filter(|u| !u.trim().is_empty()), from: day("from", "from date", from)?, to: day("to", "to date", to)?, limit })
}

/// Saves the audit entries asked for as CSV in the data folder's `exports`.
#[tauri::command(async)]
pub fn audit_export(state: State<'_, AppState>, upn: Option<String>, from: Option<String>, to: Option<String>) -> CommandResult<String> {
    let query = audit_query(upn, from, to, None)?;
    let folder = state.data_dir().join("exports");
    files::create_private_dir(&folder)?;
    let stamp = now();
    let (path, _) = state.with_store(|store| {
        let entries = store.audit(&query)?;
        let mut upns: Vec<&str> = entries.iter().filter_map(|e| e.upn.as_deref()).collect();
        upns.sort_unstable();
        upns.dedup();
        let copied = Copied { what: "the audit trail", pupils: upns.len(), pupil: None };
        store.write_copy(&folder, &Place::new(&format!("audit-{}", stamp.today), "csv"), &copied, export::audit_csv(&entries).as_bytes(), stamp)
    })?;
    Ok(path.display().to_string())
}

#[tauri::command(async)]
pub fn purge_list(state: State<'_, AppState>) -> CommandResult<PurgeList> {
    Ok(state.with_store(|store| store.purge_list(now().today))?)
}

#[tauri::command(async)]
pub fn erasure_count(state: State<'_, AppState>, pupils: Vec<PupilId>) -> CommandResult<ErasureCount> {
    Ok(state.with_store(|store| store.erasure_count(&pupils))?)
}

/// Erases the chosen leavers' files; `confirmed` is the count the SENCO was shown.
#[tauri::command(async)]
pub fn erase(state: State<'_, AppState>, pupils: Vec<PupilId>, confirmed: ErasureCount) -> CommandResult<ErasureCount> {
    Ok(state.with_store(|store| store.erase(&pupils, confirmed, now()))?)
}

/// Writes one pupil's subject-access bundle into the data folder's `exports`.
#[tauri::command(async)]
pub fn subject_access(state: State<'_, AppState>, id: PupilId) -> CommandResult<SarWritten> {
    let folder = state.data_dir().join("exports");
    files::create_private_dir(&folder)?;
    Ok(state.with_store(|store| store.subject_access(id, &folder, now()))?)
}
