//! Retention dates, the purge list, erasure and the audit trail that cannot be changed.

use chrono::NaiveDate;

use super::*;
use crate::demo::{self, DemoSpec};
use crate::pupil::PupilId;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn retain_until_is_the_birthday_that_many_years_on() {
    assert_eq!(retain_until(day(2010, 5, 17), 31), day(2041, 5, 17));
    assert_eq!(retain_until(day(2012, 2, 29), 31), day(2043, 3, 1));
    assert_eq!(retain_until(day(2012, 2, 29), 32), day(2044, 2, 29));
}

/// A demo school in which one pupil with a specialist's report has left and was born long
/// enough ago to be past the retention date.
fn school_with_old_leaver(dir: &std::path::Path) -> (Store, PupilId, String) {
    let mut store = demo::create(&dir.join("school.db"), DemoSpec { pupils: 60, seed: 9, years: 3 }, Stamp::on(today())).unwrap();
    let (involvement, pupil): (i64, i64) = store.conn.query_row("SELECT id, pupil_id FROM involvement ORDER BY id LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    let mut report = b"%PDF-1.4\n".to_vec();
    report.extend(std::iter::repeat_n(3u8, 2000));
    store.attach_report(involvement, "Report.pdf", &report, Stamp::on(today())).unwrap();
    store.conn.execute("UPDATE pupil SET date_of_birth = '1994-02-11' WHERE id = ?1", [pupil]).unwrap();
    store.leave(PupilId(pupil), "2026-07-22", Stamp::on(today())).unwrap();
    let upn: String = store.conn.query_row("SELECT upn FROM pupil WHERE id = ?1", [pupil], |r| r.get(0)).unwrap();
    (store, PupilId(pupil), upn)
}

#[test]
fn the_purge_list_holds_leavers_past_their_date_and_erasure_removes_every_row_leaving_an_anonymous_entry() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, pupil, upn) = school_with_old_leaver(dir.path());
    let stamp = Stamp::on(today());

    let list = store.purge_list(today()).unwrap();
    assert_eq!(list.years, 31);
    let due: Vec<_> = list.candidates.iter().map(|c| c.pupil_id).collect();
    assert!(due.contains(&pupil), "{list:?}");
    let entry = list.candidates.iter().find(|c| c.pupil_id == pupil).unwrap();
    assert_eq!(entry.retain_until, day(2025, 2, 11));
    assert_eq!(store.retain_until(pupil).unwrap(), Some(day(2025, 2, 11)));
    // At 35 years this pupil is not yet due.
    store.set_retention_years(35, stamp).unwrap();
    assert!(!store.purge_list(today()).unwrap().candidates.iter().any(|c| c.pupil_id == pupil));
    assert_eq!(store.set_retention_years(20, stamp).unwrap_err().code(), crate::ErrorCode::Invalid);
    store.set_retention_years(31, stamp).unwrap();

    // A pupil still on roll is never erased.
    let on_roll: i64 = store.conn.query_row("SELECT id FROM pupil WHERE leaving_date IS NULL LIMIT 1", [], |r| r.get(0)).unwrap();
    let refused = store.erase(&[PupilId(on_roll)], store.erasure_count(&[PupilId(on_roll)]).unwrap(), stamp).unwrap_err();
    assert!(refused.to_string().contains("not due for erasure"), "{refused}");

    let counted = store.erasure_count(&[pupil]).unwrap();
    assert!(counted.records > 5 && counted.attachments == 1, "{counted:?}");
    let wrong = ErasureCount { records: counted.records - 1, ..counted };
    assert!(store.erase(&[pupil], wrong, stamp).unwrap_err().to_string().contains("nothing was erased"));
    assert!(store.pupil(pupil).is_ok(), "a refused erasure changes nothing");

    let erased = store.erase(&[pupil], counted, stamp).unwrap();
    assert_eq!(erased, counted);
    assert!(store.pupil(pupil).is_err());
    for (table, which) in super::retention::PUPIL_ROWS {
        let left: i64 = store.conn.query_row(&format!("SELECT count(*) FROM {table} WHERE {which}"), [pupil.0], |r| r.get(0)).unwrap();
        assert_eq!(left, 0, "{table} still holds rows of the erased pupil");
    }
    let trail = store.audit(&AuditQuery::default()).unwrap();
    assert!(!trail.iter().any(|e| e.summary.contains(&upn) || e.record_id == Some(pupil.0) && e.record == "pupil"));
    let last = &trail[0];
    assert_eq!(last.action, "erase");
    assert_eq!(last.record_id, None);
    assert_eq!(last.summary, format!("erased the files past their retention date of 1 pupil: {} records and 1 attachments", counted.records));
    let secure: i64 = store.conn.query_row("PRAGMA secure_delete", [], |r| r.get(0)).unwrap();
    assert_eq!(secure, 1);
    assert!(crate::store::check(&store.path.clone(), Unlock::Demo).unwrap().healthy());
}

#[test]
fn audit_entries_cannot_be_changed_or_deleted_and_say_who_acted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, pupil, upn) = school_with_old_leaver(dir.path());
    store.set_actor("senco command line (jsmith)").unwrap();
    store.set_retention_years(33, Stamp::on(today())).unwrap();
    let entries = store.audit(&AuditQuery { limit: Some(1), ..AuditQuery::default() }).unwrap();
    assert_eq!(entries[0].actor, "senco command line (jsmith)");
    assert!(store.conn.execute("UPDATE audit SET summary = 'nothing happened'", []).is_err());
    assert!(store.conn.execute("DELETE FROM audit", []).is_err());
    assert!(store.conn.execute("DELETE FROM audit WHERE record = 'pupil'", []).is_err());

    let about: Vec<_> = store.audit(&AuditQuery { upn: Some(upn.clone()), ..AuditQuery::default() }).unwrap();
    assert!(!about.is_empty() && about.iter().all(|e| e.record_id == Some(pupil.0) && e.upn.as_deref() == Some(upn.as_str())));
    let none = store.audit(&AuditQuery { from: Some(day(2030, 1, 1)), ..AuditQuery::default() }).unwrap();
    assert!(none.is_empty());
    let that_day = store.audit(&AuditQuery { from: Some(day(2026, 11, 23)), to: Some(day(2026, 11, 23)), ..AuditQuery::default() }).unwrap();
    assert!(that_day.len() >= 3 && that_day.iter().all(|e| e.at.starts_with("2026-11-23")));
}
