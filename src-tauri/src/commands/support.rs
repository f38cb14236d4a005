//! The graduated approach: catalogues, the provision library, cycles, the records around
//! them, the worklist and the provision map.

use serde::{Deserialize, Serialize};
use senco_core::apdr::{Assessment, Delivery, Plan, Review, StageDocument, STAGE_SCHEMA_VERSION};
use senco_core::catalogue::Catalogue;
use senco_core::library::{Intervention, StaffRole};
use senco_core::people::{Involvement, ParentMeeting, Profile};
use senco_core::pupil::{academic_year, PupilId};
use senco_core::store::{provision_csv, CycleRecord, InvolvementRecord, MeetingsRecord, ProvisionMap, WorkItem};
use tauri::State;
use ts_rs::TS;

use super::now;
use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn catalogues(state: State<'_, AppState>) -> CommandResult<Vec<Catalogue>> {
    Ok(state.with_store(|store| store.catalogues())?)
}

/// Adds one of the school's own items to its catalogue.
#[tauri::command(async)]
pub fn catalogue_add_item(state: State<'_, AppState>, area: Option<senco_core::census::BroadArea>, heading: String, text: String) -> CommandResult<senco_core::catalogue::CatalogueItem> {
    Ok(state.with_store(|store| store.add_catalogue_item(area, &heading, &text, now()))?)
}

/// Loads another framework in the catalogue format, as the person chose it; entries with
/// problems are skipped and listed with their line numbers.
#[tauri::command(async)]
pub fn catalogue_load(state: State<'_, AppState>, name: String, text: String) -> CommandResult<senco_core::catalogue::Loaded> {
    let (catalogue, problems) = state.with_store(|store| store.load_catalogue(&text, now())).map_err(|e| match e {
        senco_core::Error::Refused(why) => senco_core::Error::Refused(format!("{name}: {why}")),
        other => other,
    })?;
    Ok(senco_core::catalogue::Loaded { catalogue, problems })
}

/// The school's provision library and its costing settings.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Library {
    pub interventions: Vec<Intervention>,
    pub roles: Vec<StaffRole>,
    #[ts(type = "number")]
    pub threshold_pence: i64,
    /// The notional SEN budget the governors' summary compares spend with, if recorded.
    #[ts(type = "number | null")]
    pub budget_pence: Option<i64>,
    /// The SENCO and the review dates the governors' summary shows.
    pub duties: senco_core::duties::Duties,
}

#[tauri::command(async)]
pub fn library(state: State<'_, AppState>) -> CommandResult<Library> {
    Ok(state.with_store(|store| {
        Ok(Library { interventions: store.interventions()?, roles: store.staff_roles()?, threshold_pence: store.threshold_pence()?, budget_pence: store.notional_budget_pence()?, duties: store.duties()? })
    })?)
}

#[tauri::command(async)]
pub fn intervention_save(state: State<'_, AppState>, intervention: Intervention) -> CommandResult<Intervention> {
    Ok(state.with_store(|store| store.save_intervention(&intervention, now()))?)
}

#[tauri::command(async)]
pub fn role_set_rates(state: State<'_, AppState>, key: String, la_rate_pence: i64, school_rate_pence: i64) -> CommandResult<StaffRole> {
    Ok(state.with_store(|store| store.set_role_rates(&key, la_rate_pence, school_rate_pence, now()))?)
}

#[tauri::command(async)]
pub fn threshold_set(state: State<'_, AppState>, pence: i64) -> CommandResult<()> {
    Ok(state.with_store(|store| store.set_threshold_pence(pence, now()))?)
}

#[tauri::command(async)]
pub fn worklist(state: State<'_, AppState>) -> CommandResult<Vec<WorkItem>> {
    Ok(state.with_store(|store| store.worklist(now().today))?)
}

#[tauri::command(async)]
pub fn cycles(state: State<'_, AppState>, id: PupilId) -> CommandResult<Vec<CycleRecord>> {
    Ok(state.with_store(|store| store.cycles(id))?)
}

fn record(state: &AppState, id: PupilId, cycle: Option<u32>, document: StageDocument) -> CommandResult<CycleRecord> {
    Ok(state.with_store(|store| store.record_stage(id, cycle, &document, now()))?)
}

#[tauri::command(async)]
pub fn cycle_assess(state: State<'_, AppState>, id: PupilId, assessment: Assessment) -> CommandResult<CycleRecord> {
    record(&state, id, None, StageDocument::Assess { schema: STAGE_SCHEMA_VERSION, assessment })
}

#[tauri::command(async)]
pub fn cycle_plan(state: State<'_, AppState>, id: PupilId, cycle: u32, plan: Plan) -> CommandResult<CycleRecord> {
    record(&state, id, Some(cycle), StageDocument::Plan { schema: STAGE_SCHEMA_VERSION, plan })
}

#[tauri::command(async)]
pub fn cycle_deliver(state: State<'_, AppState>, id: PupilId, cycle: u32, delivery: Delivery) -> CommandResult<CycleRecord> {
    record(&state, id, Some(cycle), StageDocument::Delivery { schema: STAGE_SCHEMA_VERSION, delivery })
}

#[tauri::command(async)]
pub fn cycle_review(state: State<'_, AppState>, id: PupilId, cycle: u32, review: Review) -> CommandResult<CycleRecord> {
    record(&state, id, Some(cycle), StageDocument::Review { schema: STAGE_SCHEMA_VERSION, review })
}

#[tauri::command(async)]
pub fn cycle_amend(state: State<'_, AppState>, id: PupilId, cycle: u32, text: String) -> CommandResult<CycleRecord> {
    Ok(state.with_store(|store| store.amend_cycle(id, cycle, &text, now()))?)
}

/// One pupil's attendance at a group session.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Attendance {
    pub pupil_id: PupilId,
    pub attended: bool,
}

/// Logs one session of a group intervention for all its pupils in one step.
#[tauri::command(async)]
pub fn group_session(state: State<'_, AppState>, intervention: String, date: String, minutes: i64, attendance: Vec<Attendance>, note: String) -> CommandResult<usize> {
    let attendance: Vec<(PupilId, bool)> = attendance.into_iter().map(|a| (a.pupil_id, a.attended)).collect();
    Ok(state.with_store(|store| store.log_group_session(&intervention, &date, minutes, &attendance, &note, now()))?)
}

#[tauri::command(async)]
pub fn meetings(state: State<'_, AppState>, id: PupilId) -> CommandResult<MeetingsRecord> {
    Ok(state.with_store(|store| store.parent_meetings(id, now().today))?)
}

#[tauri::command(async)]
pub fn meeting_add(state: State<'_, AppState>, id: PupilId, meeting: ParentMeeting) -> CommandResult<MeetingsRecord> {
    Ok(state.with_store(|store| store.add_parent_meeting(id, &meeting, now()))?)
}

#[tauri::command(async)]
pub fn involvements(state: State<'_, AppState>, id: PupilId) -> CommandResult<Vec<InvolvementRecord>> {
    Ok(state.with_store(|store| store.involvements(id))?)
}

#[tauri::command(async)]
pub fn involvement_add(state: State<'_, AppState>, id: PupilId, involvement: Involvement) -> CommandResult<InvolvementRecord> {
    Ok(state.with_store(|store| store.add_involvement(id, &involvement, now()))?)
}

#[tauri::command(async)]
pub fn recommendation_acted(state: State<'_, AppState>, involvement: i64, index: usize, acted_on: String, how: String) -> CommandResult<InvolvementRecord> {
    Ok(state.with_store(|store| store.act_on_recommendation(involvement, index, &acted_on, &how, now()))?)
}

/// Attaches a report the person chose; the bytes come from the webview's file input.
#[tauri::command(async)]
pub fn report_attach(state: State<'_, AppState>, involvement: i64, name: String, bytes: Vec<u8>) -> CommandResult<senco_core::store::AttachmentInfo> {
    Ok(state.with_store(|store| store.attach_report(involvement, &name, &bytes, now()))?)
}

#[tauri::command(async)]
pub fn profile(state: State<'_, AppState>, id: PupilId) -> CommandResult<Option<Profile>> {
    Ok(state.with_store(|store| store.profile(id))?)
}

#[tauri::command(async)]
pub fn profile_save(state: State<'_, AppState>, id: PupilId, profile: Profile) -> CommandResult<Profile> {
    Ok(state.with_store(|store| store.set_profile(id, &profile, now()))?)
}

/// The provision map for an academic year (by the year it starts; default the current one).
#[tauri::command(async)]
pub fn provision_map(state: State<'_, AppState>, year: Option<i32>) -> CommandResult<ProvisionMap> {
    let year = year.unwrap_or_else(|| academic_year(now().today));
    Ok(state.with_store(|store| store.provision_map(year))?)
}

/// A pupil's readiness for a pack under the shipped rules: each rule met, missing or a
/// warning, with its sentence and where it is fixed.
#[tauri::command(async)]
pub fn pack_readiness(state: State<'_, AppState>, id: PupilId, pack: senco_core::readiness::PackType) -> CommandResult<senco_core::readiness::Readiness> {
    let rules = senco_core::readiness::shipped(pack)?;
    Ok(state.with_store(|store| store.readiness(id, &rules, now().today))?)
}

/// A pupil's requests for an EHC needs assessment, newest first, each with its clock today.
#[tauri::command(async)]
pub fn requests(state: State<'_, AppState>, id: PupilId) -> CommandResult<Vec<senco_core::store::RequestRecord>> {
    Ok(state.with_store(|store| store.requests(id, now().today))?)
}

/// Records a request as sent to the LA (dates as typed, read the British way).
#[tauri::command(async)]
pub fn request_add(state: State<'_, AppState>, id: PupilId, sent: String, received: Option<String>) -> CommandResult<senco_core::store::RequestRecord> {
    let read = |field: &str, label: &str, text: &str| senco_core::dates::read(field, label, text).map_err(|p| senco_core::Error::Invalid(vec![p]));
    let sent = read("sent", "date sent", &sent)?;
    let received = received.filter(|r| !r.trim().is_empty()).map(|r| read("received", "date received", &r)).transpose()?;
    Ok(state.with_store(|store| store.add_request(id, sent, received, now()))?)
}

/// Records a step of a request once it has happened.
#[tauri::command(async)]
pub fn request_step(state: State<'_, AppState>, request: i64, event: senco_core::statutory::RequestEvent) -> CommandResult<senco_core::store::RequestRecord> {
    Ok(state.with_store(|store| store.record_request_step(request, &event, now()))?)
}

/// Records an exception to a request's time limits, with its reason.
#[tauri::command(async)]
pub fn request_exception(state: State<'_, AppState>, request: i64, exception: senco_core::statutory::Exception) -> CommandResult<senco_core::store::RequestRecord> {
    Ok(state.with_store(|store| store.add_request_exception(request, &exception, now()))?)
}

/// Whether a file of this size may be attached, asked before the file is read.
#[tauri::command(async)]
pub fn report_check(name: String, size: u64) -> CommandResult<()> {
    Ok(senco_core::people::attachment_size(&name, size)?)
}

/// Saves a copy of an attached report in the data folder's `exports` (owner-only), so it can
/// be opened in another program; the copy is not encrypted, and the audit trail says so.
#[tauri::command(async)]
pub fn report_save_copy(state: State<'_, AppState>, id: i64) -> CommandResult<String> {
    let folder = state.data_dir().join("exports");
    Ok(state.with_store(|store| store.save_attachment_copy(id, &folder, now()))?.display().to_string())
}

/// Saves the provision map as CSV in the data folder's `exports` (owner-only), written to a
/// temporary file and renamed into place; returns where it went.
#[tauri::command(async)]
pub fn provision_map_export(state: State<'_, AppState>, year: i32) -> CommandResult<String> {
    let folder = state.data_dir().join("exports");
    senco_core::files::create_private_dir(&folder)?;
    let (path, _) = state.with_store(|store| {
        let map = store.provision_map(year)?;
        let copied = senco_core::store::Copied { what: "the provision map", pupils: map.pupils.len(), pupil: None };
        let name = map.csv_file_name();
        store.write_copy(&folder, &senco_core::store::Place::Exact { name }, &copied, provision_csv(&map).as_bytes(), now())
    })?;
    Ok(path.display().to_string())
}

/// The groups running today, for logging one session for a whole group.
#[tauri::command(async)]
pub fn rosters(state: State<'_, AppState>, date: Option<String>) -> CommandResult<Vec<senco_core::store::Roster>> {
    let today = now().today;
    let day = match date.as_deref().filter(|d| !d.is_empty()) {
        Some(text) => senco_core::dates::read("date", "session date", text).map_err(|p| senco_core::Error::Invalid(vec![p]))?,
        None => today,
    };
    Ok(state.with_store(|store| store.rosters(day))?)
}

/// Builds a pupil's evidence pack and writes its bundle into the data folder's `exports`
/// (owner-only; temporary file, then rename). With a password, every file is AES-256
/// protected. Recorded in the audit trail as leaving the encrypted store.
#[tauri::command(async)]
pub fn pack_build(state: State<'_, AppState>, id: PupilId, pack: senco_core::readiness::PackType, password: Option<String>) -> CommandResult<senco_core::store::PackWritten> {
    let rules = senco_core::readiness::shipped(pack)?;
    let folder = state.data_dir().join("exports");
    let password = password.filter(|p| !p.is_empty());
    Ok(state.with_store(|store| store.export_pack(id, &rules, &folder, password.as_deref(), now()))?)
}

/// The plain-language summary of the pupil's plan for the family, as a PDF in `exports`.
#[tauri::command(async)]
pub fn family_summary(state: State<'_, AppState>, id: PupilId) -> CommandResult<String> {
    let folder = state.data_dir().join("exports");
    Ok(state.with_store(|store| store.export_family_summary(id, &folder, now()))?.display().to_string())
}

/// A pupil's consents, newest first.
#[tauri::command(async)]
pub fn consents(state: State<'_, AppState>, id: PupilId) -> CommandResult<Vec<senco_core::store::ConsentRecord>> {
    Ok(state.with_store(|store| store.consents(id, now().today))?)
}

#[tauri::command(async)]
pub fn consent_add(state: State<'_, AppState>, id: PupilId, consent: senco_core::people::Consent) -> CommandResult<Vec<senco_core::store::ConsentRecord>> {
    Ok(state.with_store(|store| store.add_consent(id, &consent, now()))?)
}

#[tauri::command(async)]
pub fn consent_withdraw(state: State<'_, AppState>, consent: i64, date: String) -> CommandResult<Vec<senco_core::store::ConsentRecord>> {
    Ok(state.with_store(|store| store.withdraw_consent(consent, &date, now()))?)
}

/// The school's staff training, newest first.
#[tauri::command(async)]
pub fn training(state: State<'_, AppState>) -> CommandResult<Vec<senco_core::store::TrainingRecord>> {
    Ok(state.with_store(|store| store.training(None))?)
}

#[tauri::command(async)]
pub fn training_add(state: State<'_, AppState>, training: senco_core::people::Training) -> CommandResult<senco_core::store::TrainingRecord> {
    Ok(state.with_store(|store| store.add_training(&training, now()))?)
}

/// The pupil's current annual review with its clock, if tracked.
#[tauri::command(async)]
pub fn annual_review(state: State<'_, AppState>, id: PupilId) -> CommandResult<Option<senco_core::store::AnnualReview>> {
    Ok(state.with_store(|store| store.annual_review(id, now().today))?)
}

#[tauri::command(async)]
pub fn annual_review_start(state: State<'_, AppState>, id: PupilId, last: String) -> CommandResult<senco_core::store::AnnualReview> {
    let last = senco_core::dates::read("last", "date of the last review", &last).map_err(|p| senco_core::Error::Invalid(vec![p]))?;
    Ok(state.with_store(|store| store.start_annual_reviews(id, last, now()))?)
}

#[tauri::command(async)]
pub fn annual_review_step(state: State<'_, AppState>, id: PupilId, step: senco_core::store::ReviewStep, date: String) -> CommandResult<senco_core::store::AnnualReview> {
    let date = senco_core::dates::read("date", "date", &date).map_err(|p| senco_core::Error::Invalid(vec![p]))?;
    let event = step.event(date);
    Ok(state.with_store(|store| store.record_review_step(id, &event, now()))?)
}
