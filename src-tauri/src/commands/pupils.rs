//! The register and the pupil record.

use senco_core::census::{need_types as all_need_types, NeedType};
use senco_core::pupil::{PupilId, PupilInput, PupilRecord};
use senco_core::register::{RegisterPage, RegisterQuery};
use senco_core::sen::{LeavingPreview, NeedId, NeedInput, NeedPreview, StatusChange, StatusPreview};
use senco_core::vocabulary::{vocabulary as this_vocabulary, Vocabulary};
use tauri::State;

use super::now;
use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn need_types() -> CommandResult<Vec<NeedType>> {
    Ok(all_need_types())
}

/// The words and rules the screens show, from the core (statuses, needs, areas, years…).
#[tauri::command(async)]
pub fn vocabulary() -> CommandResult<Vocabulary> {
    Ok(this_vocabulary())
}

#[tauri::command(async)]
pub fn register_page(state: State<'_, AppState>, query: RegisterQuery) -> CommandResult<RegisterPage> {
    Ok(state.with_store(|store| store.register(&query, now().today))?)
}

#[tauri::command(async)]
pub fn pupil_get(state: State<'_, AppState>, id: PupilId) -> CommandResult<PupilRecord> {
    Ok(state.with_store(|store| store.pupil(id))?)
}

#[tauri::command(async)]
pub fn pupil_add(state: State<'_, AppState>, pupil: PupilInput) -> CommandResult<PupilRecord> {
    Ok(state.with_store(|store| store.add_pupil(&pupil, now()))?)
}

#[tauri::command(async)]
pub fn pupil_update(state: State<'_, AppState>, id: PupilId, pupil: PupilInput) -> CommandResult<PupilRecord> {
    Ok(state.with_store(|store| store.update_pupil(id, &pupil, now()))?)
}

#[tauri::command(async)]
pub fn pupil_set_status(state: State<'_, AppState>, id: PupilId, change: StatusChange) -> CommandResult<PupilRecord> {
    Ok(state.with_store(|store| store.set_status(id, &change, now()))?)
}

/// What a status change would do, for its confirmation step; writes nothing.
#[tauri::command(async)]
pub fn pupil_preview_status(state: State<'_, AppState>, id: PupilId, change: StatusChange) -> CommandResult<StatusPreview> {
    Ok(state.with_store(|store| store.preview_status(id, &change, now().today))?)
}

/// What recording a need would do (which need it replaces); writes nothing.
#[tauri::command(async)]
pub fn pupil_preview_need(state: State<'_, AppState>, id: PupilId, need: NeedInput) -> CommandResult<NeedPreview> {
    Ok(state.with_store(|store| store.preview_need(id, &need, now().today))?)
}

/// What marking a pupil as left would do; writes nothing.
#[tauri::command(async)]
pub fn pupil_preview_leave(state: State<'_, AppState>, id: PupilId, leaving_date: String) -> CommandResult<LeavingPreview> {
    Ok(state.with_store(|store| store.preview_leaving(id, &leaving_date, now().today))?)
}

#[tauri::command(async)]
pub fn pupil_add_need(state: State<'_, AppState>, id: PupilId, need: NeedInput) -> CommandResult<PupilRecord> {
    Ok(state.with_store(|store| store.add_need(id, &need, now()))?)
}

#[tauri::command(async)]
pub fn pupil_end_need(state: State<'_, AppState>, id: PupilId, need_id: NeedId, end_date: String) -> CommandResult<PupilRecord> {
    Ok(state.with_store(|store| store.end_need(id, need_id, &end_date, now()))?)
}

/// Re-admits a pupil who left and has come back, under the same UPN.
#[tauri::command(async)]
pub fn pupil_readmit(state: State<'_, AppState>, id: PupilId, admission_date: String) -> CommandResult<PupilRecord> {
    Ok(state.with_store(|store| store.readmit(id, &admission_date, now()))?)
}

/// Takes back a leaving date still to come.
#[tauri::command(async)]
pub fn pupil_cancel_leaving(state: State<'_, AppState>, id: PupilId) -> CommandResult<PupilRecord> {
    Ok(state.with_store(|store| store.cancel_leaving(id, now()))?)
}

#[tauri::command(async)]
pub fn pupil_leave(state: State<'_, AppState>, id: PupilId, leaving_date: String) -> CommandResult<PupilRecord> {
    Ok(state.with_store(|store| store.leave(id, &leaving_date, now()))?)
}
