//! The import wizard and the reconciliation screen.
//!
//! The wizard sends the chosen file's bytes once, to `import_preview`, which reads them and
//! keeps what it read (`AppState::staged`) beside the plan it shows. `import_apply` applies
//! that staged file, refusing if the plan is no longer the one the person saw, reports
//! progress on a channel, and stops (writing nothing) when `import_cancel` is called.

use serde::Serialize;
use senco_core::import::csv::{self, Choice, Headings, ImportProfile};
use senco_core::import::plan::ImportPlan;
use senco_core::import::{ctf, fields, FieldInfo, Source};
use senco_core::store::{ImportOutcome, ReconciliationItem};
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use super::now;
use crate::error::CommandResult;
use crate::state::{AppState, Staged};

/// What the wizard offers: the profiles (shipped, then saved) and the fields to match.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportSetup {
    pub profiles: Vec<ImportProfile>,
    pub fields: Vec<FieldInfo>,
    /// The largest file the wizard reads, in bytes.
    #[ts(type = "number")]
    pub max_bytes: u64,
}

/// How far an apply has got.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProgress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// Files larger than this are refused before they are read (a CTF for 2,000 pupils is
/// about 3 MB; the CLI reads any size as a stream).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

#[tauri::command(async)]
pub fn import_setup(state: State<'_, AppState>) -> CommandResult<ImportSetup> {
    let profiles = state.with_store(|store| store.import_profiles())?;
    Ok(ImportSetup { profiles, fields: fields(), max_bytes: MAX_BYTES })
}

/// The headings of a CSV and a few values under each, for matching columns by hand.
#[tauri::command(async)]
pub fn import_headings(name: String, bytes: Vec<u8>) -> CommandResult<Headings> {
    csv::headings(&bytes).map_err(|message| senco_core::Error::Refused(format!("{name}: {message}")).into())
}

#[tauri::command(async)]
pub fn import_profile_save(state: State<'_, AppState>, profile: ImportProfile) -> CommandResult<ImportProfile> {
    Ok(state.with_store(|store| store.save_import_profile(&profile, now()))?)
}

/// Reads the file and returns the dry run; nothing is written. The file stays staged for
/// `import_apply`.
#[tauri::command(async)]
pub fn import_preview(state: State<'_, AppState>, source: Source, name: String, bytes: Vec<u8>, profile: Option<String>) -> CommandResult<ImportPlan> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(senco_core::Error::Refused(format!("{name} is larger than {} MB; import it with the senco command instead", MAX_BYTES / 1024 / 1024)).into());
    }
    let today = now().today;
    let (parsed, plan) = state.with_store(|store| {
        let parsed = match source {
            Source::Ctf => {
                let school = store.school();
                ctf::read(bytes.as_slice(), today, (&school.la_code, &school.establishment_number))
            }
            Source::Csv => {
                let choice = match profile.as_deref() {
                    None | Some("") | Some("auto") => Choice::Auto,
                    Some(id) => Choice::Named(id.to_string()),
                };
                csv::read(&bytes, &choice, &store.import_profiles()?)
            }
        };
        let plan = store.plan_import(parsed.clone(), today)?;
        Ok((parsed, plan))
    })?;
    state.stage(Some(Staged { name, parsed, fingerprint: plan.fingerprint.clone() }));
    Ok(plan)
}

/// Applies the staged file, if its plan is still the one previewed.
#[tauri::command(async)]
pub fn import_apply(
    state: State<'_, AppState>,
    fingerprint: String,
    confirm_name_matches: bool,
    leave_out_refused: bool,
    on_progress: Channel<ImportProgress>,
) -> CommandResult<ImportOutcome> {
    let staged = state.staged().ok_or_else(|| senco_core::Error::Refused("choose and preview a file first".to_string()))?;
    if staged.fingerprint != fingerprint {
        return Err(senco_core::Error::Refused("this is not the file that was previewed; preview it again".to_string()).into());
    }
    state.cancel_import(false);
    let mut progress = |done: u64, total: u64| {
        let _ = on_progress.send(ImportProgress { done, total });
        !state.import_cancelled()
    };
    let (_, outcome) = state.with_store(|store| store.apply_import(staged.parsed, &staged.name, Some(&fingerprint), confirm_name_matches, leave_out_refused, &mut progress, now()))?;
    state.stage(None);
    Ok(outcome)
}

/// Asks a running apply to stop; it rolls back and writes nothing.
#[tauri::command]
pub fn import_cancel(state: State<'_, AppState>) {
    state.cancel_import(true);
}

#[tauri::command(async)]
pub fn reconciliation(state: State<'_, AppState>) -> CommandResult<Vec<ReconciliationItem>> {
    Ok(state.with_store(|store| store.reconciliation(now().today))?)
}

/// Saves the reconciliation list as CSV in the exports folder (owner-only, written to a
/// temporary file and renamed), for the school office; returns where it went.
#[tauri::command(async)]
pub fn reconciliation_export(state: State<'_, AppState>) -> CommandResult<String> {
    let folder = state.data_dir().join("exports");
    senco_core::files::create_private_dir(&folder)?;
    let stamp = now();
    let (path, _) = state.with_store(|store| {
        let items = store.reconciliation(stamp.today)?;
        let mut upns: Vec<&str> = items.iter().map(|i| i.upn.as_str()).collect();
        upns.sort_unstable();
        upns.dedup();
        let copied = senco_core::store::Copied { what: "the MIS differences", pupils: upns.len(), pupil: None };
        let place = senco_core::store::Place::Exact { name: format!("mis-reconciliation-{}.csv", stamp.today) };
        store.write_copy(&folder, &place, &copied, senco_core::export::reconciliation_csv(&items).as_bytes(), stamp)
    })?;
    Ok(path.display().to_string())
}
