//! Opening, creating, unlocking and closing the school.

use senco_core::demo::{self, DemoSpec};
use std::path::Path;

use senco_core::dates::{self, DateReading};
use senco_core::school::{School, SchoolSetup};
use senco_core::{Error, Store, Unlock};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::now;
use crate::error::CommandResult;
use crate::state::AppState;

/// What the first screen needs to know.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "AppState")]
pub struct AppStatus {
    pub school_exists: bool,
    /// The locked school's name, for the unlock screen, when its key file records one.
    pub locked_school_name: Option<String>,
    pub open: Option<School>,
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreatedSchool {
    pub school: School,
    /// Shown once; never stored in the clear.
    pub recovery_key: String,
}

#[tauri::command(async)]
pub fn app_state(state: State<'_, AppState>) -> CommandResult<AppStatus> {
    if let Some(error) = state.take_start_error() {
        return Err(error.into());
    }
    let open = state.slot().as_ref().map(|store| store.school().clone());
    let path = state.school_path();
    // A restore stopped part-way is finished before the app decides whether a school exists.
    let _ = senco_core::store::finish_interrupted_restore(&path);
    let locked_school_name = if open.is_none() { senco_core::store::school_name_before_unlock(&path) } else { None };
    Ok(AppStatus { school_exists: path.exists(), locked_school_name, open })
}

/// Opens the synthetic demo school, creating it the first time.
#[tauri::command(async)]
pub fn open_demo(state: State<'_, AppState>) -> CommandResult<School> {
    Ok(open_demo_school(&state)?)
}

pub fn open_demo_school(state: &AppState) -> senco_core::Result<School> {
    Ok(state.keep_open(demo_store(&state.demo_path())?))
}

/// Opens the demo school, making it the first time; also used at start-up by
/// `senco-toolkit --demo`. If another program made it a moment earlier, that one is opened.
pub fn demo_store(path: &Path) -> senco_core::Result<Store> {
    if path.exists() {
        return Store::open(path, Unlock::Demo);
    }
    match demo::create(path, DemoSpec::default(), now()) {
        Err(Error::AlreadyExists(_)) => Store::open(path, Unlock::Demo),
        created => created,
    }
}

#[tauri::command(async)]
pub fn create_school(
    state: State<'_, AppState>,
    setup: SchoolSetup,
    passphrase: String,
    passphrase_again: String,
) -> CommandResult<CreatedSchool> {
    let (store, recovery_key) = Store::create(&state.school_path(), &setup, &passphrase, &passphrase_again, now())?;
    Ok(CreatedSchool { school: state.keep_open(store), recovery_key: recovery_key.as_str().to_string() })
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, passphrase: String) -> CommandResult<School> {
    let store = Store::open(&state.school_path(), Unlock::Passphrase(&passphrase))?;
    Ok(state.keep_open(store))
}

/// Unlocks with the recovery key and sets a new passphrase in the same step.
#[tauri::command(async)]
pub fn unlock_with_recovery_key(
    state: State<'_, AppState>,
    recovery_key: String,
    new_passphrase: String,
    new_passphrase_again: String,
) -> CommandResult<School> {
    let store = Store::reset_passphrase(&state.school_path(), &recovery_key, &new_passphrase, &new_passphrase_again, now())?;
    Ok(state.keep_open(store))
}

/// Reads a date as typed into a date field ("14/03/2017", "14.3.17", "14 Mar 2017"…):
/// the ISO form to send, and the British form to show back.
#[tauri::command(async)]
pub fn read_date(text: String) -> CommandResult<DateReading> {
    Ok(dates::reading("date", "date", &text).map_err(|p| Error::Invalid(vec![p]))?)
}

/// The UI calls this once, when the first screen has rendered. With `SENCO_STARTUP_PROBE`
/// set (by the start-up benchmark only) the app exits there, the same way as the blank
/// window it is measured against, so the time from process start to a usable first screen
/// can be measured from outside; otherwise it does nothing.
#[tauri::command(async)]
pub fn startup_finished<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> CommandResult<()> {
    if std::env::var_os("SENCO_STARTUP_PROBE").is_some() {
        app.exit(0);
    }
    Ok(())
}

/// Locks the app: the open database is closed, its key leaves memory, and so does any MIS
/// file staged for import.
#[tauri::command(async)]
pub fn close_school(state: State<'_, AppState>) -> CommandResult<()> {
    *state.slot() = None;
    // An MIS file read for the import wizard holds pupils' names: it goes too.
    state.stage(None);
    Ok(())
}
