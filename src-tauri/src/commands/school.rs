//! Opening, creating, unlocking and closing the school.

use senco_core::demo::{self, DemoSpec};
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
    let open = state.slot().as_ref().map(|store| store.school().clone());
    Ok(AppStatus { school_exists: state.school_path().exists(), open })
}

/// Opens the synthetic demo school, creating it the first time.
#[tauri::command(async)]
pub fn open_demo(state: State<'_, AppState>) -> CommandResult<School> {
    Ok(open_demo_school(&state)?)
}

/// Also used at start-up by `senco-toolkit --demo`. If another program made the demo
/// school a moment earlier, that one is opened.
pub fn open_demo_school(state: &AppState) -> senco_core::Result<School> {
    let path = state.demo_path();
    let store = if path.exists() {
        Store::open(&path, Unlock::Demo)?
    } else {
        match demo::create(&path, DemoSpec::default(), None, now()) {
            Err(Error::AlreadyExists(_)) => Store::open(&path, Unlock::Demo)?,
            created => created?,
        }
    };
    Ok(state.keep_open(store))
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

/// Locks the app: the open database is closed and its key leaves memory.
#[tauri::command(async)]
pub fn close_school(state: State<'_, AppState>) -> CommandResult<()> {
    *state.slot() = None;
    Ok(())
}
