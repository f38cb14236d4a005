//! The store end to end on real encrypted files: unlocking, refusing, and the register.

use std::fs;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::*;
use crate::census::{NeedCode, SenStatus};
use crate::keys::RecoveryKey;
use crate::pupil::PupilInput;
use crate::register::{RegisterFilter, RegisterQuery, Roll, SortColumn};
use crate::school::{Phase, SchoolSetup};
use crate::sen::StatusChange;
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

const PASSPHRASE: &str = "quiet lantern over marsh fields";

pub(super) fn new_school(dir: &Path) -> (Store, PathBuf, RecoveryKey) {
    let path = dir.join("school.senco");
    let (store, recovery) = Store::create(&path, &setup(), PASSPHRASE, PASSPHRASE, stamp()).unwrap();
    (store, path, recovery)
}

pub(super) fn pupil(upn: &str, surname: &str) -> PupilInput {
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

    let by_recovery = Store::reset_passphrase(&path, recovery.as_str(), "copper kettle sings at dawn", "copper kettle sings at dawn", stamp()).unwrap();
    drop(by_recovery);
    assert_eq!(code(Store::open(&path, Unlock::Passphrase(PASSPHRASE))), ErrorCode::WrongPassphrase, "the old passphrase no longer opens it");
    assert!(Store::open(&path, Unlock::Passphrase("copper kettle sings at dawn")).is_ok());
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
    bytes[2000] ^= 0x5a;
    fs::write(&path, &bytes).unwrap();
    assert_eq!(code(Store::open(&path, Unlock::Passphrase(PASSPHRASE))), ErrorCode::Damaged, "a damaged first page is named as such");
    assert_eq!(fs::read(&path).unwrap(), bytes, "and left untouched");
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
    let all = store.register_rows(&RegisterFilter { roll: Roll::All, ..RegisterFilter::default() }, SortColumn::Name, false, today()).unwrap();
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
    let page = store.register(&RegisterQuery { filter, ..RegisterQuery::default() }, today()).unwrap();
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
    let on_roll = store.register(&RegisterQuery::default(), today()).unwrap();
    assert_eq!(on_roll.total, 0, "not on roll");
    let left = store.register(&RegisterQuery { filter: RegisterFilter { roll: Roll::Left, ..RegisterFilter::default() }, ..RegisterQuery::default() }, today()).unwrap();
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
        store.register_rows(&filter, SortColumn::Name, false, today()).unwrap().iter().map(|r| r.surname.clone()).collect::<Vec<_>>().join(",")
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
    drop(crate::demo::create(&path, spec, stamp()).unwrap());
    let store = Store::open(&path, Unlock::Passphrase(crate::keys::DEMO_PASSPHRASE)).unwrap();
    assert!(store.school().is_demo);
    let all = store.register_rows(&RegisterFilter { roll: Roll::All, ..RegisterFilter::default() }, SortColumn::Name, false, today()).unwrap();
    assert_eq!(all.len(), 200);
    assert!(all.iter().filter(|r| r.status.needs_primary_need() && r.leaving_date.is_none()).all(|r| r.primary_need.is_some()));
}

#[test]
fn an_older_database_is_brought_up_to_date_when_it_opens() {
    // A school as the first version wrote it: migration 0001 only, with a pupil on SEN
    // support with SLCN.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.senco");
    let (mut key_file, data_key, _) = crate::keys::KeyFile::create(PASSPHRASE, crate::keys::KdfCost::DEFAULT).unwrap();
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "key", data_key.sqlcipher_pragma_value().as_str()).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch("
            PRAGMA user_version = 1; PRAGMA journal_mode = WAL;
            INSERT INTO school VALUES (1, 'Old Primary', '118000', '886', '2001', 'primary', 0, '2025-09-01T09:00:00');
            INSERT INTO pupil (id, upn, legal_forename, legal_surname, date_of_birth, sex, nc_year, admission_date, pupil_premium, fsm, eal, looked_after)
                VALUES (1, 'K886200724123', 'Ada', 'Quill', '2017-03-14', 'F', 5, '2021-09-01', 0, 0, 0, 0);
            INSERT INTO sen_status (pupil_id, status, start_date, end_date, reason) VALUES (1, 'N', '2021-09-01', '2025-01-05', 'admitted');
            INSERT INTO sen_status (pupil_id, status, start_date, reason) VALUES (1, 'K', '2025-01-06', 'referral');
            INSERT INTO need (pupil_id, need_code, rank, start_date) VALUES (1, 'SLCN', 1, '2025-01-06');").unwrap();
    }
    key_file.bind_to(&path).unwrap();
    key_file.write(&key_file_path(&path)).unwrap();

    let reopened = Store::open(&path, Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(reopened.schema_version().unwrap(), SCHEMA_VERSION);
    let indexes: i64 = reopened.conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('sen_status_open_status', 'need_open_primary')", [], |r| r.get(0)).unwrap();
    assert_eq!(indexes, 2, "the second migration ran");
    let rows = reopened.register_rows(&RegisterFilter::default(), SortColumn::Name, false, today()).unwrap();
    assert_eq!((rows[0].status, rows[0].primary_need), (SenStatus::SenSupport, Some(NeedCode::SLCN)), "the third filled the register's columns from the history");
    assert_eq!(reopened.pupil_by_upn("K886200724123").unwrap().legal_surname, "Quill", "and the data is intact");
}

// ---- Hardening: what a school's real day does to the files ----

fn open(path: &Path) -> Result<Store> {
    Store::open(path, Unlock::Passphrase(PASSPHRASE))
}

#[test]
fn a_second_writer_waits_for_the_first_and_one_that_waits_too_long_is_told_why() {
    let dir = tempfile::tempdir().unwrap();
    let (mut first, path, _) = new_school(dir.path());
    let mut second = open(&path).unwrap();
    second.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();

    // The first program holds a write transaction; the second gives up after its timeout.
    second.conn.busy_timeout(std::time::Duration::from_millis(200)).unwrap();
    let holding = first.begin(stamp()).unwrap();
    let err = second.add_pupil(&pupil("J886123425001", "Other"), stamp()).err().unwrap();
    assert_eq!(err.code(), ErrorCode::Busy);
    assert!(err.to_string().contains("another program is using this school's database"), "{err}");
    drop(holding);

    // Released, the second program's write goes through and both see both pupils.
    second.add_pupil(&pupil("J886123425001", "Other"), stamp()).unwrap();
    let all = RegisterFilter { roll: Roll::All, ..RegisterFilter::default() };
    assert_eq!(first.register_rows(&all, SortColumn::Name, false, today()).unwrap().len(), 2);
}

#[test]
fn a_flipped_byte_anywhere_is_found_on_opening_and_the_file_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.senco");
    let spec = crate::demo::DemoSpec { pupils: 420, seed: 3, years: 3 };
    drop(crate::demo::create(&path, spec, stamp()).unwrap());
    let mut bytes = fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    fs::write(&path, &bytes).unwrap();

    let err = Store::open(&path, Unlock::Demo).err().unwrap();
    assert_eq!(err.code(), ErrorCode::Damaged, "{err}");
    assert!(err.to_string().contains("Restore the most recent backup"), "{err}");
    assert!(err.to_string().contains("demo.senco"), "the message names the file: {err}");
    assert_eq!(fs::read(&path).unwrap(), bytes, "the damaged file is left exactly as it was");

    let report = check(&path, Unlock::Demo).unwrap();
    assert!(!report.healthy());
    let failed: Vec<&str> = report.findings.iter().filter(|f| !f.passed).map(|f| f.check.as_str()).collect();
    assert!(failed.contains(&"page authentication (SQLCipher)"), "{report:?}");
    assert_eq!(fs::read(&path).unwrap(), bytes, "checking does not write either");
}

#[test]
fn a_healthy_school_passes_every_check() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, _) = new_school(dir.path());
    store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    let report = check(&path, Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert!(report.healthy(), "{report:?}");
    assert_eq!(report.findings.len(), 6);
}

#[test]
fn an_empty_file_beside_a_real_key_file_is_refused_and_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path, _) = new_school(dir.path());
    drop(store);
    let empty = dir.path().join("empty.senco");
    fs::write(&empty, b"").unwrap();
    fs::copy(key_file_path(&path), key_file_path(&empty)).unwrap();
    let err = open(&empty).err().unwrap();
    assert_eq!(err.code(), ErrorCode::NotASchoolDatabase);
    assert!(err.to_string().contains("the file is empty"), "{err}");
    assert_eq!(fs::metadata(&empty).unwrap().len(), 0, "nothing was written to it");
    assert!(!files::with_suffix(&empty, "-wal").exists());
}

#[test]
fn another_schools_key_file_is_named_as_such_not_as_damage() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path, _) = new_school(dir.path());
    drop(store);
    let other_dir = dir.path().join("other");
    let (other, other_path, _) = new_school(&other_dir);
    drop(other);
    fs::copy(key_file_path(&other_path), key_file_path(&path)).unwrap();
    let err = open(&path).err().unwrap();
    assert_eq!(err.code(), ErrorCode::WrongKeyFile, "{err}");
    assert!(err.to_string().contains("belongs to a different school database"), "{err}");
}

#[test]
fn a_damaged_key_file_names_the_file_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path, _) = new_school(dir.path());
    drop(store);
    let keys = key_file_path(&path);
    let good = fs::read_to_string(&keys).unwrap();
    let check_message = |contents: Option<&[u8]>, expected: &str| {
        let _ = fs::remove_dir_all(&keys);
        let _ = fs::remove_file(&keys);
        match contents {
            Some(bytes) => fs::write(&keys, bytes).unwrap(),
            None => fs::create_dir(&keys).unwrap(),
        }
        let started = std::time::Instant::now();
        let err = open(&path).err().unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "refused without a long key derivation");
        let message = err.to_string();
        assert!(message.contains("school.senco.keys"), "names the key file: {message}");
        assert!(message.contains(expected), "{message}");
        assert!(!message.contains("passphrase is not right"), "{message}");
    };
    check_message(Some(&[0xff, 0xfe, 0x00, 0x9c]), "it is not text");
    check_message(None, "it is a folder");
    check_message(Some(b"{\"format\": \"something else\"}"), "does not say it is one");
    check_message(Some(good.replace("\"memory_kib\": 65536", "\"memory_kib\": 4294967295").as_bytes()), "changed or damaged since it was written");
    // A key file from before the checksum, or one written by hand: the cost is still bounded.
    let unchecked: String = good.lines().filter(|l| !l.contains("\"check\"")).collect::<Vec<_>>().join("\n").replace("\",\n}", "\n}");
    check_message(Some(unchecked.replace("\"memory_kib\": 65536", "\"memory_kib\": 4294967295").as_bytes()), "4294967295 KiB of memory");
    check_message(Some(unchecked.replace("\"iterations\": 3", "\"iterations\": 4000000000").as_bytes()), "4000000000 passes");
    fs::remove_dir_all(&keys).ok();
    fs::write(&keys, &good).unwrap();
    assert!(open(&path).is_ok(), "the real key file still opens it");
}

#[test]
fn a_real_school_opened_without_its_passphrase_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path, _) = new_school(dir.path());
    drop(store);
    assert_eq!(code(Store::open(&path, Unlock::Demo)), ErrorCode::PassphraseRequired);
}

#[cfg(unix)]
#[test]
fn the_database_its_key_file_and_a_new_folder_are_for_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    let (mut store, path, _) = new_school(&folder);
    store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&key_file_path(&path)), 0o600);
    assert_eq!(mode(&files::with_suffix(&path, "-wal")), 0o600, "SQLite gives the WAL the database's permissions");
    drop(store);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    drop(open(&path).unwrap());
    assert_eq!(mode(&path), 0o600, "a school from an older version is tightened when it opens");
}

#[test]
fn a_creation_stopped_part_way_leaves_nothing_that_blocks_a_retry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.senco");
    // What a killed creation leaves: a staging folder whose creator is gone, and (in the
    // instant between its two links) a key file with no database.
    let abandoned = dir.path().join(".school.senco.creating-0123456789abcdef");
    fs::create_dir(&abandoned).unwrap();
    fs::write(abandoned.join("lock"), b"").unwrap();
    fs::write(abandoned.join("school.senco"), b"half a database").unwrap();
    fs::write(key_file_path(&path), b"{\"format\": \"senco-toolkit-keys\"}").unwrap();

    let (store, recovery) = Store::create(&path, &setup(), PASSPHRASE, PASSPHRASE, stamp()).unwrap();
    drop(store);
    assert!(!abandoned.exists(), "the abandoned staging folder is removed");
    let names: Vec<String> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().any(|n| n.starts_with("school.senco.keys.without-database-")), "the stray key file is kept, renamed: {names:?}");
    assert!(open(&path).is_ok());
    assert!(Store::open(&path, Unlock::RecoveryKey(recovery.as_str())).is_ok());
    let again = Store::create(&path, &setup(), PASSPHRASE, PASSPHRASE, stamp()).err().unwrap();
    assert_eq!(again.code(), ErrorCode::AlreadyExists, "a second creation never replaces a school");
}

#[test]
fn a_date_after_the_real_one_is_refused_on_a_real_school_and_the_audit_keeps_the_real_time() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = new_school(dir.path());
    let real = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(9, 41, 7).unwrap();
    let ahead = Stamp { today: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(), at: real };
    let err = store.add_pupil(&pupil("K886200724123", "Quill"), ahead).err().unwrap();
    assert!(err.to_string().contains("after today's date"), "{err}");
    let behind = Stamp { today: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(), at: real };
    store.add_pupil(&pupil("K886200724123", "Quill"), behind).unwrap();
    assert_eq!(store.audit_trail(1).unwrap()[0].at, "2026-11-23T09:41:07", "the real time of the action");
}

#[test]
fn resetting_the_passphrase_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path, recovery) = new_school(dir.path());
    drop(store);
    let weak = Store::reset_passphrase(&path, recovery.as_str(), "password12", "password12", stamp()).err().unwrap();
    assert_eq!(weak.fields()[0].field, "passphrase");
    let store = Store::reset_passphrase(&path, recovery.as_str(), "copper kettle sings at dawn", "copper kettle sings at dawn", stamp()).unwrap();
    let last = &store.audit_trail(1).unwrap()[0];
    assert_eq!((last.action.as_str(), last.record.as_str()), ("reset-passphrase", "school"));
}

#[test]
fn leaving_ends_the_pupils_open_needs_on_the_leaving_date() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = new_school(dir.path());
    let ada = store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    let support = StatusChange { status: SenStatus::SenSupport, start_date: "2025-01-06".into(), reason: "referral".into(), primary_need: Some(NeedCode::SLCN) };
    store.set_status(ada.id, &support, stamp()).unwrap();
    let left = store.leave(ada.id, "2026-07-22", stamp()).unwrap();
    assert!(left.needs.iter().all(|n| n.end_date == NaiveDate::from_ymd_opt(2026, 7, 22)), "{:?}", left.needs);
    assert_eq!(code(store.leave(ada.id, "2026-07-23", stamp())), ErrorCode::Refused, "already left");
}

#[test]
fn a_code_this_build_does_not_know_is_an_error_not_a_default() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = new_school(dir.path());
    let ada = store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    store.conn.execute_batch("PRAGMA ignore_check_constraints = ON; UPDATE sen_status SET status = 'Q'; UPDATE pupil SET sex = 'X';").unwrap();
    let err = store.pupil(ada.id).err().unwrap();
    assert_eq!(err.code(), ErrorCode::Damaged, "{err}");
    assert!(err.to_string().contains("\"X\"") || err.to_string().contains("\"Q\""), "names the value: {err}");
}

#[test]
fn the_databases_codes_are_the_rust_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, _) = new_school(dir.path());
    let mut statement = store.conn.prepare("SELECT code, broad_area FROM need_type ORDER BY rowid").unwrap();
    let in_sql: Vec<(String, String)> = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect();
    let in_rust: Vec<(String, String)> = NeedCode::ALL.iter().map(|n| (n.code().to_string(), n.area().slug().to_string())).collect();
    assert_eq!(in_sql, in_rust, "need codes and their broad areas");
    let accepts = |status: &str| store.conn.execute("INSERT INTO sen_status (pupil_id, status, start_date) VALUES (999, ?1, '2020-01-01')", [status]);
    store.conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    for status in SenStatus::ALL {
        accepts(status.code()).unwrap_or_else(|e| panic!("the table refuses {}: {e}", status.code()));
        store.conn.execute("DELETE FROM sen_status WHERE pupil_id = 999", []).unwrap();
    }
    assert!(accepts("X").is_err(), "and nothing else");
}

#[test]
fn the_identifier_matches_the_desktop_apps_so_both_shells_use_the_same_folder() {
    let config = include_str!("../../../../tauri.conf.json");
    assert!(config.contains(&format!("\"identifier\": \"{APP_IDENTIFIER}\"")), "tauri.conf.json and the core must agree");
    let env = |name: &str| match name {
        "HOME" => Some(std::ffi::OsString::from("/home/senco")),
        _ => None,
    };
    assert_eq!(data_dir(env), PathBuf::from("/home/senco/.local/share/uk.senco-toolkit.app"));
}

#[test]
fn the_registers_status_and_primary_need_follow_every_change_to_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, _) = new_school(dir.path());
    let ada = store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    let row = |store: &Store| {
        let rows = store.register_rows(&RegisterFilter { roll: Roll::All, ..RegisterFilter::default() }, SortColumn::Name, false, today()).unwrap();
        (rows[0].status, rows[0].primary_need)
    };
    assert_eq!(row(&store), (SenStatus::NoSen, None));
    let change = |status, start: &str, need| StatusChange { status, start_date: start.into(), reason: "review".into(), primary_need: need };
    store.set_status(ada.id, &change(SenStatus::SenSupport, "2025-01-06", Some(NeedCode::SLCN)), stamp()).unwrap();
    assert_eq!(row(&store), (SenStatus::SenSupport, Some(NeedCode::SLCN)));
    store.add_need(ada.id, &crate::sen::NeedInput { code: NeedCode::ASD, rank: Some(1), start_date: "2025-03-01".into() }, stamp()).unwrap();
    assert_eq!(row(&store), (SenStatus::SenSupport, Some(NeedCode::ASD)), "a new primary need replaces the old");
    store.set_status(ada.id, &change(SenStatus::EhcPlan, "2025-03-01", None), stamp()).unwrap();
    assert_eq!(row(&store), (SenStatus::EhcPlan, Some(NeedCode::ASD)));
    store.set_status(ada.id, &change(SenStatus::NoSen, "2025-07-01", None), stamp()).unwrap();
    assert_eq!(row(&store), (SenStatus::NoSen, None), "no SEN ends the needs");
    drop(store);
    assert!(check(&path, Unlock::Passphrase(PASSPHRASE)).unwrap().healthy());
}

#[test]
fn a_pupil_who_comes_back_is_re_admitted_under_the_same_upn_with_the_history_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path, _) = new_school(dir.path());
    let ada = store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    let support = StatusChange { status: SenStatus::SenSupport, start_date: "2025-01-06".into(), reason: "referral".into(), primary_need: Some(NeedCode::SLCN) };
    store.set_status(ada.id, &support, stamp()).unwrap();
    store.leave(ada.id, "2025-07-18", stamp()).unwrap();

    // Adding them again is refused with the way back; re-admitting keeps one record.
    let again = store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).err().unwrap();
    assert!(again.fields()[0].message.contains("re-admit them, so their history is kept"), "{again}");
    assert_eq!(store.readmit(ada.id, "2025-07-18", stamp()).err().unwrap().fields()[0].field, "admissionDate", "not before they left");
    let back = store.readmit(ada.id, "2 Sep 2025", stamp()).unwrap();
    assert_eq!((back.leaving_date, back.status), (None, SenStatus::NoSen));
    assert_eq!(back.admission_date, NaiveDate::from_ymd_opt(2025, 9, 2).unwrap());
    let earlier: Vec<String> = back.previous_enrolments.iter().map(|e| format!("{}..{}", e.admission_date, e.leaving_date)).collect();
    assert_eq!(earlier, ["2021-09-01..2025-07-18"]);
    let history: Vec<String> = back.status_history.iter().map(|p| format!("{} {}..{}", p.status.code(), p.start_date, p.end_date.map_or("now".into(), |d| d.to_string()))).collect();
    assert_eq!(history, ["N 2021-09-01..2025-01-05", "K 2025-01-06..2025-07-18", "N 2025-09-02..now"], "the history is kept");
    let rows = store.register_rows(&RegisterFilter::default(), SortColumn::Name, false, today()).unwrap();
    assert_eq!((rows.len(), rows[0].status, rows[0].primary_need), (1, SenStatus::NoSen, None), "back on roll");
    // Their details can still be edited with the new admission date.
    let mut details = pupil("K886200724123", "Quill-Hart");
    details.admission_date = "2025-09-02".into();
    assert_eq!(store.update_pupil(ada.id, &details, stamp()).unwrap().legal_surname, "Quill-Hart");
    drop(store);
    assert!(check(&path, Unlock::Passphrase(PASSPHRASE)).unwrap().healthy());
}

#[test]
fn a_leaving_date_to_come_keeps_the_pupil_on_the_register_until_that_day() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = new_school(dir.path());
    let ada = store.add_pupil(&pupil("K886200724123", "Quill"), stamp()).unwrap();
    let support = StatusChange { status: SenStatus::SenSupport, start_date: "2025-01-06".into(), reason: "referral".into(), primary_need: Some(NeedCode::SLCN) };
    store.set_status(ada.id, &support, stamp()).unwrap();
    store.leave(ada.id, "22/07/2027", stamp()).unwrap();
    let on_roll = |day: NaiveDate| store.register_rows(&RegisterFilter::default(), SortColumn::Name, false, day).unwrap();
    let now = on_roll(today());
    assert_eq!((now.len(), now[0].primary_need), (1, Some(NeedCode::SLCN)), "still on roll, with the need they leave with");
    assert_eq!(on_roll(NaiveDate::from_ymd_opt(2027, 7, 22).unwrap()).len(), 1, "on roll on their last day");
    assert_eq!(on_roll(NaiveDate::from_ymd_opt(2027, 7, 23).unwrap()).len(), 0, "gone the day after");
    let closed = StatusChange { status: SenStatus::EhcPlan, start_date: "2026-11-01".into(), reason: "plan".into(), primary_need: None };
    assert!(store.set_status(ada.id, &closed, stamp()).err().unwrap().to_string().contains("is recorded as leaving on 22 Jul 2027"));

    // A mistake, or plans that changed: the leaving date is taken back and the needs reopen.
    let stays = store.cancel_leaving(ada.id, stamp()).unwrap();
    assert_eq!((stays.leaving_date, stays.primary_need()), (None, Some(NeedCode::SLCN)));
    store.set_status(ada.id, &closed, stamp()).unwrap();
    assert_eq!(code(store.cancel_leaving(ada.id, stamp())), ErrorCode::Refused, "nothing to take back");
}

/// The register sorts and pages in SQL. This checks it against the order the register
/// defines, written out in Rust the plain way, for every column both ways and every page,
/// on a demo school plus names whose capitals are not A to Z and preferred names.
#[test]
fn every_column_sorts_and_pages_in_the_registers_order() {
    use crate::register::{name_order, RegisterRow};
    use std::cmp::Ordering;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.senco");
    let spec = crate::demo::DemoSpec { pupils: 230, seed: 9, years: 2 };
    let mut store = crate::demo::create(&path, spec, stamp()).unwrap();
    let upn = |serial: u16| crate::upn::Upn::from_parts(886, 2001, 26, serial).as_str().to_string();
    let names = [("Ødegaard", ""), ("abbott", ""), ("ÖZTÜRK", ""), ("Zeller", "Ábel"), ("Abbott", "")];
    for (serial, (surname, preferred)) in (901..).zip(names) {
        store.add_pupil(&PupilInput { preferred_surname: preferred.into(), ..pupil(&upn(serial), surname) }, stamp()).unwrap();
    }
    let filter = RegisterFilter { roll: Roll::All, ..RegisterFilter::default() };
    let everyone = store.register_rows(&filter, SortColumn::Upn, false, today()).unwrap();
    assert_eq!(everyone.len(), 235);

    let expected = |column: SortColumn, descending: bool| -> Vec<String> {
        let mut rows: Vec<&RegisterRow> = everyone.iter().collect();
        rows.sort_by(|a, b| {
            let primary = match column {
                SortColumn::Name => Ordering::Equal,
                SortColumn::Upn => a.upn.cmp(&b.upn),
                SortColumn::NcYear => a.nc_year.cmp(&b.nc_year),
                SortColumn::Form => a.form.cmp(&b.form),
                SortColumn::Status => a.status.cmp(&b.status),
                SortColumn::PrimaryNeed => a.primary_need.map(|n| n.code()).cmp(&b.primary_need.map(|n| n.code())),
                SortColumn::Area => a.area.cmp(&b.area),
            };
            let ordering = primary
                .then_with(|| name_order(&a.surname, &b.surname))
                .then_with(|| name_order(&a.forename, &b.forename))
                .then_with(|| a.upn.cmp(&b.upn));
            if descending { ordering.reverse() } else { ordering }
        });
        rows.iter().map(|r| r.upn.clone()).collect()
    };
    let columns = [SortColumn::Name, SortColumn::Upn, SortColumn::NcYear, SortColumn::Form, SortColumn::Status, SortColumn::PrimaryNeed, SortColumn::Area];
    for column in columns {
        for descending in [false, true] {
            let want = expected(column, descending);
            let all: Vec<String> = store.register_rows(&filter, column, descending, today()).unwrap().into_iter().map(|r| r.upn).collect();
            assert_eq!(all, want, "every row sorted by {column:?}, descending {descending}");
            let mut paged = Vec::new();
            for page in 0..5 {
                let query = RegisterQuery { filter: filter.clone(), sort: column, descending, page, page_size: 50 };
                let shown = store.register(&query, today()).unwrap();
                assert_eq!((shown.total, shown.page), (235, page));
                paged.extend(shown.rows.into_iter().map(|r| r.upn));
            }
            assert_eq!(paged, want, "page by page, sorted by {column:?}, descending {descending}");
        }
    }
    let by_name = expected(SortColumn::Name, false);
    let position = |upn: &str| by_name.iter().position(|u| u == upn).unwrap();
    assert_eq!(position(&upn(902)).abs_diff(position(&upn(905))), 1, "abbott and Abbott are the same name");
    assert_eq!(position(&upn(902)) < position(&upn(905)), upn(902) < upn(905), "so the UPN decides");
    assert!(position(&upn(903)) < position(&upn(901)), "Öztürk before Ødegaard: ö is before ø");
    let last = store.register(&RegisterQuery { filter, page: 99, ..RegisterQuery::default() }, today()).unwrap();
    assert_eq!((last.page, last.rows.len()), (4, 35), "a page past the end shows the last page");
    let counts = last.counts;
    assert_eq!(counts.no_sen + counts.monitoring + counts.sen_support + counts.ehc_plan, 235);
    assert_eq!(counts.sen_support as usize, everyone.iter().filter(|r| r.status == SenStatus::SenSupport).count());
}

#[test]
fn the_demo_has_requests_running_by_the_apps_rules_and_the_worklist_shows_the_las_next_steps() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.senco");
    let store = crate::demo::create(&path, crate::demo::DemoSpec { pupils: 2000, seed: 4, years: 3 }, stamp()).unwrap();
    let pupils: Vec<(i64, String)> = store
        .conn
        .prepare("SELECT r.pupil_id, p.current_status FROM ehc_request r JOIN pupil p ON p.id = r.pupil_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(pupils.len() >= 5, "a few requests are running: {}", pupils.len());
    assert!(pupils.iter().all(|(_, status)| status == "K" || status == "E"), "only for pupils on K or E");
    for (id, _) in &pupils {
        let requests = store.requests(crate::pupil::PupilId(*id), today()).unwrap();
        assert_eq!(requests.len(), 1);
        assert!(requests[0].dates.received <= today());
    }
    let steps = store.worklist(today()).unwrap().into_iter().filter(|w| w.kind == crate::store::WorkKind::RequestStepDue).count();
    assert!(steps >= 1, "the worklist lists the LA's late or coming steps");
}
