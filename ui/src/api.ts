// The only module that calls invoke(): one function per Tauri command, with the command's
// name. Every command can reject with a CommandError; the UI switches on its `code`.
import { Channel, invoke } from '@tauri-apps/api/core';
import type { AppState } from './bindings/AppState';
import type { AuditEntry } from './bindings/AuditEntry';
import type { BackupStatus } from './bindings/BackupStatus';
import type { BackupTaken } from './bindings/BackupTaken';
import type { CareSettings } from './bindings/CareSettings';
import type { Duties } from './bindings/Duties';
import type { DutiesInput } from './bindings/DutiesInput';
import type { ErasureCount } from './bindings/ErasureCount';
import type { FoundBackup } from './bindings/FoundBackup';
import type { LockSetting } from './bindings/LockSetting';
import type { PurgeList } from './bindings/PurgeList';
import type { RestoreOutcome } from './bindings/RestoreOutcome';
import type { RestorePlan } from './bindings/RestorePlan';
import type { RetentionSetting } from './bindings/RetentionSetting';
import type { SarWritten } from './bindings/SarWritten';
import type { CommandError } from './bindings/CommandError';
import type { CreatedSchool } from './bindings/CreatedSchool';
import type { DateReading } from './bindings/DateReading';
import type { LeavingPreview } from './bindings/LeavingPreview';
import type { NeedInput } from './bindings/NeedInput';
import type { NeedPreview } from './bindings/NeedPreview';
import type { PupilInput } from './bindings/PupilInput';
import type { PupilRecord } from './bindings/PupilRecord';
import type { RegisterPage } from './bindings/RegisterPage';
import type { RegisterQuery } from './bindings/RegisterQuery';
import type { School } from './bindings/School';
import type { SchoolSetup } from './bindings/SchoolSetup';
import type { StatusChange } from './bindings/StatusChange';
import type { StatusPreview } from './bindings/StatusPreview';
import type { Vocabulary } from './bindings/Vocabulary';
import type { AnnualReview } from './bindings/AnnualReview';
import type { Consent } from './bindings/Consent';
import type { ConsentRecord } from './bindings/ConsentRecord';
import type { PackWritten } from './bindings/PackWritten';
import type { ReviewStep } from './bindings/ReviewStep';
import type { Training } from './bindings/Training';
import type { TrainingRecord } from './bindings/TrainingRecord';
import type { Assessment } from './bindings/Assessment';
import type { Attendance } from './bindings/Attendance';
import type { AttachmentInfo } from './bindings/AttachmentInfo';
import type { BroadArea } from './bindings/BroadArea';
import type { Catalogue } from './bindings/Catalogue';
import type { CatalogueItem } from './bindings/CatalogueItem';
import type { Loaded } from './bindings/Loaded';
import type { CycleRecord } from './bindings/CycleRecord';
import type { Delivery } from './bindings/Delivery';
import type { Intervention } from './bindings/Intervention';
import type { Involvement } from './bindings/Involvement';
import type { InvolvementRecord } from './bindings/InvolvementRecord';
import type { Library } from './bindings/Library';
import type { MeetingsRecord } from './bindings/MeetingsRecord';
import type { ParentMeeting } from './bindings/ParentMeeting';
import type { Plan } from './bindings/Plan';
import type { Profile } from './bindings/Profile';
import type { ProvisionMap } from './bindings/ProvisionMap';
import type { Review } from './bindings/Review';
import type { Roster } from './bindings/Roster';
import type { StaffRole } from './bindings/StaffRole';
import type { WorkItem } from './bindings/WorkItem';
import type { PackType } from './bindings/PackType';
import type { Readiness } from './bindings/Readiness';
import type { RequestRecord } from './bindings/RequestRecord';
import type { RequestEvent } from './bindings/RequestEvent';
import type { Exception } from './bindings/Exception';
import type { GovernorView } from './bindings/GovernorView';
import type { OutputFormat } from './bindings/OutputFormat';
import type { CsvHeadings } from './bindings/CsvHeadings';
import type { ImportOutcome } from './bindings/ImportOutcome';
import type { ImportPlan } from './bindings/ImportPlan';
import type { ImportProfile } from './bindings/ImportProfile';
import type { ImportProgress } from './bindings/ImportProgress';
import type { ImportSetup } from './bindings/ImportSetup';
import type { ImportSource } from './bindings/ImportSource';
import type { ReconciliationItem } from './bindings/ReconciliationItem';

export const appState = () => invoke<AppState>('app_state');
export const openDemo = () => invoke<School>('open_demo');
export const createSchool = (setup: SchoolSetup, passphrase: string, passphraseAgain: string) =>
  invoke<CreatedSchool>('create_school', { setup, passphrase, passphraseAgain });
export const unlock = (passphrase: string) => invoke<School>('unlock', { passphrase });
export const unlockWithRecoveryKey = (recoveryKey: string, newPassphrase: string, newPassphraseAgain: string) =>
  invoke<School>('unlock_with_recovery_key', { recoveryKey, newPassphrase, newPassphraseAgain });
export const closeSchool = () => invoke<null>('close_school');
const startupFinished = () => invoke<null>('startup_finished');
let firstScreenReported = false;
/**
 * Called by a screen once its data is on the page: the first call of this run tells the shell
 * the app has started (two animation frames later, so the page has been painted). The start-up
 * benchmark measures up to here; otherwise the call does nothing.
 */
export function firstScreenShown() {
  if (firstScreenReported) return;
  firstScreenReported = true;
  requestAnimationFrame(() => requestAnimationFrame(() => { startupFinished().catch(() => {}); }));
}
/** Reads a date as typed (14/03/2017, 14.3.17, 14 Mar 2017, 2017-03-14): day, month, year. */
export const readDate = (text: string) => invoke<DateReading>('read_date', { text });
export const vocabulary = () => invoke<Vocabulary>('vocabulary');
export const registerPage = (query: RegisterQuery) => invoke<RegisterPage>('register_page', { query });
export const pupilGet = (id: number) => invoke<PupilRecord>('pupil_get', { id });
export const pupilAdd = (pupil: PupilInput) => invoke<PupilRecord>('pupil_add', { pupil });
export const pupilUpdate = (id: number, pupil: PupilInput) => invoke<PupilRecord>('pupil_update', { id, pupil });
export const pupilSetStatus = (id: number, change: StatusChange) => invoke<PupilRecord>('pupil_set_status', { id, change });
export const pupilPreviewStatus = (id: number, change: StatusChange) => invoke<StatusPreview>('pupil_preview_status', { id, change });
export const pupilPreviewNeed = (id: number, need: NeedInput) => invoke<NeedPreview>('pupil_preview_need', { id, need });
export const pupilPreviewLeave = (id: number, leavingDate: string) => invoke<LeavingPreview>('pupil_preview_leave', { id, leavingDate });
export const pupilAddNeed = (id: number, need: NeedInput) => invoke<PupilRecord>('pupil_add_need', { id, need });
export const pupilEndNeed = (id: number, needId: number, endDate: string) =>
  invoke<PupilRecord>('pupil_end_need', { id, needId, endDate });
export const pupilLeave = (id: number, leavingDate: string) => invoke<PupilRecord>('pupil_leave', { id, leavingDate });
export const pupilCancelLeaving = (id: number) => invoke<PupilRecord>('pupil_cancel_leaving', { id });
export const pupilReadmit = (id: number, admissionDate: string) => invoke<PupilRecord>('pupil_readmit', { id, admissionDate });

// The graduated approach.
export const catalogues = () => invoke<Catalogue[]>('catalogues');
export const catalogueLoad = (name: string, text: string) => invoke<Loaded>('catalogue_load', { name, text });
export const catalogueAddItem = (area: BroadArea | null, heading: string, text: string) => invoke<CatalogueItem>('catalogue_add_item', { area, heading, text });
export const library = () => invoke<Library>('library');
export const interventionSave = (intervention: Intervention) => invoke<Intervention>('intervention_save', { intervention });
export const roleSetRates = (key: string, laRatePence: number, schoolRatePence: number) =>
  invoke<StaffRole>('role_set_rates', { key, laRatePence, schoolRatePence });
export const thresholdSet = (pence: number) => invoke<null>('threshold_set', { pence });
export const worklist = () => invoke<WorkItem[]>('worklist');
export const cycles = (id: number) => invoke<CycleRecord[]>('cycles', { id });
export const cycleAssess = (id: number, assessment: Assessment) => invoke<CycleRecord>('cycle_assess', { id, assessment });
export const cyclePlan = (id: number, cycle: number, plan: Plan) => invoke<CycleRecord>('cycle_plan', { id, cycle, plan });
export const cycleDeliver = (id: number, cycle: number, delivery: Delivery) => invoke<CycleRecord>('cycle_deliver', { id, cycle, delivery });
export const cycleReview = (id: number, cycle: number, review: Review) => invoke<CycleRecord>('cycle_review', { id, cycle, review });
export const cycleAmend = (id: number, cycle: number, text: string) => invoke<CycleRecord>('cycle_amend', { id, cycle, text });
export const rosters = (date: string) => invoke<Roster[]>('rosters', { date });
export const groupSession = (intervention: string, date: string, minutes: number, attendance: Attendance[], note: string) =>
  invoke<number>('group_session', { intervention, date, minutes, attendance, note });
export const meetings = (id: number) => invoke<MeetingsRecord>('meetings', { id });
export const meetingAdd = (id: number, meeting: ParentMeeting) => invoke<MeetingsRecord>('meeting_add', { id, meeting });
export const involvements = (id: number) => invoke<InvolvementRecord[]>('involvements', { id });
export const involvementAdd = (id: number, involvement: Involvement) => invoke<InvolvementRecord>('involvement_add', { id, involvement });
export const recommendationActed = (involvement: number, index: number, actedOn: string, how: string) =>
  invoke<InvolvementRecord>('recommendation_acted', { involvement, index, actedOn, how });
export const reportAttach = (involvement: number, name: string, bytes: number[]) =>
  invoke<AttachmentInfo>('report_attach', { involvement, name, bytes });
export const profile = (id: number) => invoke<Profile | null>('profile', { id });
export const profileSave = (id: number, profile: Profile) => invoke<Profile>('profile_save', { id, profile });
export const provisionMap = (year: number | null) => invoke<ProvisionMap>('provision_map', { year });
/** A pupil's requests for an EHC needs assessment, newest first, with their clocks. */
export const requests = (id: number) => invoke<RequestRecord[]>('requests', { id });
export const requestAdd = (id: number, sent: string, received: string) => invoke<RequestRecord>('request_add', { id, sent, received: received.trim() ? received : null });
export const requestStep = (request: number, event: RequestEvent) => invoke<RequestRecord>('request_step', { request, event });
export const requestException = (request: number, exception: Exception) => invoke<RequestRecord>('request_exception', { request, exception });
/** A pupil's evidence for a pack: each rule met, missing or a warning. */
export const packReadiness = (id: number, pack: PackType) => invoke<Readiness>('pack_readiness', { id, pack });
/** Whether a file of this size may be attached (asked before reading it). */
export const reportCheck = (name: string, size: number) => invoke<null>('report_check', { name, size });
/** Saves a copy of an attached report in the exports folder; returns where it went. */
export const reportSaveCopy = (id: number) => invoke<string>('report_save_copy', { id });
export const provisionMapExport = (year: number) => invoke<string>('provision_map_export', { year });
/** Builds a pack's bundle in the exports folder; a password protects every file. */
export const packBuild = (id: number, pack: PackType, password: string) => invoke<PackWritten>('pack_build', { id, pack, password: password || null });
/** The family's summary of the plan, as a PDF in the exports folder; returns where it went. */
export const familySummary = (id: number) => invoke<string>('family_summary', { id });
export const consents = (id: number) => invoke<ConsentRecord[]>('consents', { id });
export const consentAdd = (id: number, consent: Consent) => invoke<ConsentRecord[]>('consent_add', { id, consent });
export const consentWithdraw = (consent: number, date: string) => invoke<ConsentRecord[]>('consent_withdraw', { consent, date });
export const training = () => invoke<TrainingRecord[]>('training');
export const trainingAdd = (training: Training) => invoke<TrainingRecord>('training_add', { training });
/** The pupil's current EHC plan annual review with its clock, or null if not tracked. */
export const annualReview = (id: number) => invoke<AnnualReview | null>('annual_review', { id });
export const annualReviewStart = (id: number, last: string) => invoke<AnnualReview>('annual_review_start', { id, last });
export const annualReviewStep = (id: number, step: ReviewStep, date: string) => invoke<AnnualReview>('annual_review_step', { id, step, date });

// The governors' view: only the published summary, with small numbers hidden, never a pupil.
/** The summary for a census day (null: the latest) with counts below `threshold` hidden (null: 5). */
export const governorSummary = (census: string | null, threshold: number | null) =>
  invoke<GovernorView>('governor_summary', { census, threshold });
/** Writes the summary in a format into the exports folder; returns where it went. */
export const governorExport = (format: OutputFormat, census: string | null, threshold: number | null) =>
  invoke<string>('governor_export', { format, census, threshold });
/** Records the notional SEN budget in whole pence, or forgets it with null; returns what is kept. */
export const budgetSet = (pence: number | null) => invoke<number | null>('budget_set', { pence });
/** Records the SENCO and the review dates the governors' summary shows; returns them as kept. */
export const dutiesSet = (duties: DutiesInput) => invoke<Duties>('duties_set', { duties });

// Importing pupils from the school's MIS, and the differences it leaves for the office.
/** The column profiles (shipped, then the school's own), the fields a CSV can hold, and the largest file read. */
export const importSetup = () => invoke<ImportSetup>('import_setup');
/** A CSV's heading line with a few values under each column, for matching columns by hand. */
export const importHeadings = (name: string, bytes: number[]) => invoke<CsvHeadings>('import_headings', { name, bytes });
/** Saves a column profile the SENCO built; returns it with its id. */
export const importProfileSave = (profile: ImportProfile) => invoke<ImportProfile>('import_profile_save', { profile });
/** The dry run of importing a file: nothing is written. `profile` null: the best match. */
export const importPreview = (source: ImportSource, name: string, bytes: number[], profile: string | null) =>
  invoke<ImportPlan>('import_preview', { source, name, bytes, profile });
/** Imports the file last previewed, if its plan is still `fingerprint`; `onProgress` hears how far it has got. */
/** `leaveOutRefused`: the SENCO chose to import the rows without problems and leave the others out for the office. */
export function importApply(fingerprint: string, confirmNameMatches: boolean, leaveOutRefused: boolean, onProgress: (progress: ImportProgress) => void) {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return invoke<ImportOutcome>('import_apply', { fingerprint, confirmNameMatches, leaveOutRefused, onProgress: channel });
}
/** Asks a running import to stop: it writes nothing. */
export const importCancel = () => invoke<null>('import_cancel');
/** The open differences between the MIS and the toolkit. */
export const reconciliation = () => invoke<ReconciliationItem[]>('reconciliation');
/** Saves the differences as CSV in the exports folder; returns where it went. */
export const reconciliationExport = () => invoke<string>('reconciliation_export');

// Keeping records safe: backups and restores, the idle lock, retention and erasure, the
// audit trail and the subject-access export.
/** The idle lock's, retention's and backups' settings with the backup status. */
export const careSettings = () => invoke<CareSettings>('care_settings');
/** How many idle minutes lock the app (with its bounds). */
export const lockSetting = () => invoke<LockSetting>('lock_setting');
export const lockMinutesSet = (minutes: number) => invoke<LockSetting>('lock_minutes_set', { minutes });
export const retentionYearsSet = (years: number) => invoke<RetentionSetting>('retention_years_set', { years });
/** Chooses the automatic backups' folder (null: the data folder) and how many to keep. */
export const backupSettingsSave = (folder: string | null, keep: number) => invoke<BackupStatus>('backup_settings_save', { folder, keep });
/** What the worklist says about backups: warnings when stale, failed or unreachable. */
export const backupStatus = () => invoke<BackupStatus>('backup_status');
/** Backs up now into the chosen folder; returns what was written. */
export const backupNow = () => invoke<BackupTaken>('backup_now');
/** The readable backups in the backup folder and the data folder's, newest first. */
export const backupsFound = () => invoke<FoundBackup[]>('backups_found');
/** What restoring the backup at `path` would do; nothing changes. */
export const restorePreview = (path: string, passphrase: string | null, recoveryKey: string | null) =>
  invoke<RestorePlan>('restore_preview', { path, passphrase, recoveryKey });
/** Restores it (the open school is closed and kept as a dated copy). */
export const restoreApply = (path: string, passphrase: string | null, recoveryKey: string | null, confirmed: boolean) =>
  invoke<RestoreOutcome>('restore_apply', { path, passphrase, recoveryKey, confirmed });
/** The audit trail, newest first; dates as typed (day-month-year), UPN optional. */
export const auditList = (upn: string | null, from: string | null, to: string | null) => invoke<AuditEntry[]>('audit_list', { upn, from, to });
/** Saves the same entries as CSV in the exports folder; returns where it went. */
export const auditExport = (upn: string | null, from: string | null, to: string | null) => invoke<string>('audit_export', { upn, from, to });
/** Leavers' files past their retention date. */
export const purgeList = () => invoke<PurgeList>('purge_list');
/** How many records and attachments erasing these pupils removes. */
export const erasureCount = (pupils: number[]) => invoke<ErasureCount>('erasure_count', { pupils });
/** Erases them, if the count is still the one shown. */
export const erase = (pupils: number[], confirmed: ErasureCount) => invoke<ErasureCount>('erase', { pupils, confirmed });
/** Writes one pupil's subject-access bundle into the exports folder. */
export const subjectAccess = (id: number) => invoke<SarWritten>('subject_access', { id });

/** Turns whatever a command rejected with into a CommandError. */
export function asCommandError(error: unknown): CommandError {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const e = error as CommandError;
    return { code: e.code, message: e.message, fields: e.fields ?? [] };
  }
  return { code: 'storage', message: String(error), fields: [] };
}
