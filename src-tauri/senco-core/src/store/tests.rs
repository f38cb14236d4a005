//! The store end to end on real encrypted files: unlocking, refusing, and the register.

use std::fs;

use chrono::NaiveDate;

use super::*;
use crate::census::{NeedCode, SenStatus};
use crate::register::{RegisterFilter, Roll};
use crate::school::Phase;
use crate::ErrorCode;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn stamp() -> Stamp {
    Stamp::on(today())
}

fn setup() -> SchoolSetup {
    SchoolSetup {
        name: "Test Primary".into(),
        urn: "118000".into(),
        la_code: "886".into(),
        establishment_number: "2001".into(),
        phase: Phase::Primary,
    }
}

const PASSPHRASE: &str = "a long test passphrase";

fn new_school(dir: &Path) -> (Store, PathBuf, RecoveryKey) {
    let path = dir.join("school.senco");
    let (store, recovery) = Store::create(&path, &setup(), PASSPHRASE, PASSPHRASE, stamp()).unwrap();
    (store, path, recovery)
}

fn pupil(upn: &str, surname: &str) -> PupilInput {
    PupilInput {
        upn: upn.into(),
        legal_forename: "Ada".into(),
        legal_surname: surname.into(),
        date_of_birth: "2017-03-14".into(),
        sex: "F".into(),
        nc_year: 4,
        admission_date: "2021-09-01".into(),
        ..PupilInput::default()
    }
}

fn code(result: Result<impl Sized>) -> ErrorCode {
    result.err().expect("the action must be refused").code()
}

#[test]
fn a_school_reopens_with_its_passphrase_or_recovery_key_and_a_wrong_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, recovery) = new_school(dir.path());
    store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    drop(store);
    let keys_before = fs::read(key_file_path(&path)).unwrap();

    assert_eq!(code(Store::open(&path, Unlock::Passphrase("not the passphrase"))), ErrorCode::WrongPassphrase);
    assert_eq!(fs::read(key_file_path(&path)).unwrap(), keys_before, "a wrong passphrase changes nothing");

    let reopened = Store::open(&path, Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(reopened.school().name, "Test Primary");
    assert_eq!(reopened.pupil_by_upn("K886200724123").unwrap().legal_surname, "Quill");
    drop(reopened);

    let by_recovery = Store::reset_passphrase(&path, recovery.as_str(), "a brand new passphrase", "a brand new passphrase").unwrap();
    drop(by_recovery);
    assert_eq!(code(Store::open(&path, Unlock::Passphrase(PASSPHRASE))), ErrorCode::WrongPassphrase, "the old passphrase no longer opens it");
    assert!(Store::open(&path, Unlock::Passphrase("a brand new passphrase")).is_ok());
    assert!(Store::open(&path, Unlock::RecoveryKey(recovery.as_str())).is_ok(), "the recovery key still works");
}

#[test]
fn the_database_file_is_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, _) = new_school(dir.path());
    store.add_pupil(&pupil("K886200724123", "Quillfeather"), stamp()).unwrap();
    drop(store);
    let bytes = fs::read(&path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"), "no plain SQLite header");
    assert!(!bytes.windows(12).any(|w| w == b"Quillfeather"), "no pupil name in the clear");
}

#[test]
fn files_that_are_not_school_databases_are_named_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    fs::write(&text, "not a database").unwrap();
    let err = Store::open(&text, Unlock::Passphrase(PASSPHRASE)).err().unwrap();
    assert_eq!(err.code(), ErrorCode::NotASchoolDatabase);
    assert!(err.to_string().contains("notes.txt"), "the message names the file: {err}");

    let (store, path, _) = new_school(dir.path());
    drop(store);
    let mut bytes = fs::read(&path).unwrap();
    for b in &mut bytes[..4096] {
        *b ^= 0x5a;
    }
    fs::write(&path, &bytes).unwrap();
    assert_eq!(code(Store::open(&path, Unlock::Passphrase(PASSPHRASE))), ErrorCode::NotASchoolDatabase, "a damaged file is named as such");
    assert_eq!(code(Store::open(&dir.path().join("missing.senco"), Unlock::Passphrase(PASSPHRASE))), ErrorCode::NotFound);
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path, _) = new_school(dir.path());
    store.conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    drop(store);
    let err = Store::open(&path, Unlock::Passphrase(PASSPHRASE)).err().unwrap();
    assert_eq!(err.code(), ErrorCode::NewerDatabase);
    assert!(err.to_string().contains("newer version"), "{err}");
}

#[test]
fn setting_up_a_school_checks_every_field_and_leaves_no_files_when_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.senco");
    let bad = SchoolSetup { urn: "12".into(), la_code: "88".into(), ..setup() };
    let err = Store::create(&path, &bad, "short", "short", stamp()).err().unwrap();
    let fields: Vec<&str> = err.fields().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["urn", "laCode", "passphrase"]);
    assert!(!path.exists() && !key_file_path(&path).exists(), "nothing is written");
    let err = Store::create(&path, &setup(), PASSPHRASE, "a different one!", stamp()).err().unwrap();
    assert_eq!(err.fields()[0].field, "passphraseAgain");
}

#[test]
fn duplicate_upns_are_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = new_school(dir.path());
    store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    let err = store.add_pupil(&pupil("k886200724123", "Other"), stamp()).err().unwrap();
    assert_eq!(err.fields()[0].field, "upn");
    assert!(err.to_string().contains("already used"), "{err}");
    let all = store.register_rows(&RegisterFilter { roll: Roll::All, ..RegisterFilter::default() }, SortColumn::Name, false).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(store.audit_trail(10).unwrap().len(), 2, "school set-up and one pupil: the refusal wrote nothing");
}

#[test]
fn sen_support_with_a_primary_need_shows_in_the_filtered_register_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = new_school(dir.path());
    let ada = store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    store.add_pupil(&pupil("J886123425001", "Other"), stamp()).unwrap();

    let no_need = StatusChange { status: SenStatus::SenSupport, start_date: "2025-01-06".into(), reason: "".into(), primary_need: None };
    assert_eq!(store.set_status(ada.id, &no_need, stamp()).err().unwrap().fields()[0].field, "primaryNeed");

    let change = StatusChange { primary_need: Some(NeedCode::SLCN), reason: "speech therapy referral".into(), ..no_need };
    let record = store.set_status(ada.id, &change, stamp()).unwrap();
    assert_eq!(record.status, SenStatus::SenSupport);
    assert_eq!(record.primary_need(), Some(NeedCode::SLCN));
    let history: Vec<String> = record.status_history.iter()
        .map(|p| format!("{} {}..{}", p.status.code(), p.start_date, p.end_date.map_or("now".into(), |d| d.to_string())))
        .collect();
    assert_eq!(history, ["N 2021-09-01..2025-01-05", "K 2025-01-06..now"]);

    let filter = RegisterFilter { status: Some(SenStatus::SenSupport), need: Some(NeedCode::SLCN), ..RegisterFilter::default() };
    let page = store.register(&RegisterQuery { filter, ..RegisterQuery::default() }).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].upn, "K886200724123");
    assert_eq!(page.counts.sen_support, 1);

    let earlier = StatusChange { status: SenStatus::EhcPlan, start_date: "2024-12-01".into(), reason: "".into(), primary_need: None };
    assert_eq!(store.set_status(ada.id, &earlier, stamp()).err().unwrap().fields()[0].field, "startDate");
    assert_eq!(store.pupil(ada.id).unwrap().status, SenStatus::SenSupport, "the refused change left the record alone");
}

#[test]
fn a_pupil_who_leaves_is_archived_not_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = new_school(dir.path());
    let ada = store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    store.leave(ada.id, "2026-07-22", stamp()).unwrap();
    let on_roll = store.register(&RegisterQuery::default()).unwrap();
    assert_eq!(on_roll.total, 0, "not on roll");
    let left = store.register(&RegisterQuery { filter: RegisterFilter { roll: Roll::Left, ..RegisterFilter::default() }, ..RegisterQuery::default() }).unwrap();
    assert_eq!(left.rows[0].leaving_date, NaiveDate::from_ymd_opt(2026, 7, 22));
    let change = StatusChange { status: SenStatus::Monitoring, start_date: "2026-08-01".into(), reason: "".into(), primary_need: None };
    assert_eq!(code(store.set_status(ada.id, &change, stamp())), ErrorCode::Refused);
}

#[test]
fn search_matches_names_and_upns_and_treats_wildcards_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = new_school(dir.path());
    store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    store.add_pupil(&PupilInput { preferred_forename: "Addy".into(), ..pupil("J886123425001", "Mossop") }, stamp()).unwrap();
    let search = |text: &str| {
        let filter = RegisterFilter { search: text.into(), ..RegisterFilter::default() };
        store.register_rows(&filter, SortColumn::Name, false).unwrap().iter().map(|r| r.surname.clone()).collect::<Vec<_>>().join(",")
    };
    assert_eq!(search("quil"), "Quill");
    assert_eq!(search("ada m"), "Mossop", "full legal name");
    assert_eq!(search("addy"), "Mossop", "preferred name");
    assert_eq!(search("J8861"), "Mossop");
    assert_eq!(search("%"), "", "a percent sign is not a wildcard");
}

#[test]
fn the_demo_school_opens_with_the_demo_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.senco");
    let spec = crate::demo::DemoSpec { pupils: 200, seed: 5, years: 3 };
    drop(crate::demo::create(&path, spec, None, stamp()).unwrap());
    let store = Store::open(&path, Unlock::Passphrase(crate::keys::DEMO_PASSPHRASE)).unwrap();
    assert!(store.school().is_demo);
    let all = store.register_rows(&RegisterFilter { roll: Roll::All, ..RegisterFilter::default() }, SortColumn::Name, false).unwrap();
    assert_eq!(all.len(), 200);
    assert!(all.iter().filter(|r| r.status.needs_primary_need()).all(|r| r.primary_need.is_some()));
}

#[test]
fn an_older_database_is_brought_up_to_date_when_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, _) = new_school(dir.path());
    store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    // Make it look as it did after the first migration only.
    store.conn.execute_batch("DROP INDEX sen_status_open_status; DROP INDEX need_open_primary; PRAGMA user_version = 1;").unwrap();
    drop(store);
    let reopened = Store::open(&path, Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(reopened.schema_version().unwrap(), SCHEMA_VERSION);
    let indexes: i64 = reopened.conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('sen_status_open_status', 'need_open_primary')", [], |r| r.get(0)).unwrap();
    assert_eq!(indexes, 2, "the second migration ran");
    assert_eq!(reopened.pupil_by_upn("K886200724123").unwrap().legal_surname, "Quill", "and the data is intact");
}
