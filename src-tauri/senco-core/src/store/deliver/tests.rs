//! Exports arrive together with their audit entry, through a refused entry and a kill
//! either side of it.

use std::os::unix::fs::PermissionsExt;

use chrono::NaiveDate;

use super::*;
use crate::demo::{self, DemoSpec};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn demo_school(dir: &Path) -> Store {
    demo::create(&dir.join("school.db"), DemoSpec { pupils: 30, seed: 3, years: 1 }, Stamp::on(today())).unwrap()
}

fn exports_audited(store: &Store) -> usize {
    store.conn.query_row("SELECT count(*) FROM audit WHERE action = 'test-export'", [], |r| r.get::<_, i64>(0)).unwrap() as usize
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn write_text(text: &'static str) -> impl FnOnce(&Path) -> Result<()> {
    move |path| files::write_atomically(path, text.as_bytes())
}

fn audit() -> ExportAudit {
    ExportAudit::about("test-export", None, "a list written outside the encrypted store")
}

#[test]
fn an_export_arrives_owner_only_with_its_audit_entry_and_no_staging_left() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_school(dir.path());
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let (path, created) = store.deliver(&out, &Place::new("list", "csv"), audit(), Stamp::on(today()), write_text("a,b\r\n")).unwrap();
    assert!(created && path.ends_with("list.csv"));
    assert_eq!(fs::read_to_string(&path).unwrap(), "a,b\r\n");
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(names(&out), ["list.csv"]);
    assert_eq!(exports_audited(&store), 1);
    // A second, different export never replaces the first; an exact place does replace.
    let (second, _) = store.deliver(&out, &Place::new("list", "csv"), audit(), Stamp::on(today()), write_text("c,d\r\n")).unwrap();
    assert!(second.ends_with("list-2.csv"));
    let (exact_folder, exact) = Place::exact(&out.join("list.csv")).unwrap();
    store.deliver(&exact_folder, &exact, audit(), Stamp::on(today()), write_text("e,f\r\n")).unwrap();
    assert_eq!(fs::read_to_string(out.join("list.csv")).unwrap(), "e,f\r\n");
    assert_eq!(exports_audited(&store), 3);
}

#[test]
fn an_export_whose_audit_entry_is_refused_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let setup = crate::school::SchoolSetup {
        name: "Hillside Primary".into(),
        urn: "118000".into(),
        la_code: "886".into(),
        establishment_number: "2001".into(),
        phase: crate::school::Phase::Primary,
    };
    let pass = "quiet lantern over marsh fields";
    let (mut store, _) = Store::create(&dir.path().join("school.db"), &setup, pass, pass, Stamp::on(today())).unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // A real school refuses a date after the real one, at the step that writes the entry.
    let later = Stamp { today: today().succ_opt().unwrap(), at: today().and_hms_opt(9, 0, 0).unwrap() };
    let refused = store.deliver(&out, &Place::new("list", "csv"), audit(), later, write_text("a,b\r\n"));
    assert!(matches!(refused, Err(Error::Refused(_))), "{refused:?}");
    assert!(names(&out).is_empty(), "no file and no staging folder: {:?}", names(&out));
    assert_eq!(exports_audited(&store), 0);
}

fn stagings(folder: &Path) -> usize {
    names(folder).iter().filter(|n| n.strip_prefix(PREFIX).is_some_and(|t| t.len() == 16)).count()
}

#[test]
fn an_export_killed_before_its_entry_is_removed_and_one_killed_after_is_put_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_school(dir.path());
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // Someone else's files, even ones that look a little like ours, are never touched.
    fs::write(out.join(".senco-export-notes.txt"), "mine").unwrap();
    fs::write(out.join("report.tmp-zz"), "mine").unwrap();

    // Killed with the output written but no entry: nothing may appear.
    store.stage(&out, &Place::new("before", "csv"), write_text("x")).unwrap().abandon();
    assert_eq!(stagings(&out), 1);
    store.recover_exports(&out);
    assert_eq!(names(&out), [".senco-export-notes.txt", "report.tmp-zz"]);
    assert_eq!(exports_audited(&store), 0);

    // Killed with the entry committed but the output not yet renamed: it must appear.
    let staged = store.stage(&out, &Place::new("after", "csv"), write_text("y")).unwrap();
    store.audit_export(&staged, audit(), Stamp::on(today())).unwrap();
    staged.abandon();
    assert_eq!(stagings(&out), 1);
    store.recover_exports(&out);
    assert_eq!(names(&out), [".senco-export-notes.txt", "after.csv", "report.tmp-zz"]);
    assert_eq!(fs::read_to_string(out.join("after.csv")).unwrap(), "y");

    // A folder output (as a subject-access export is) killed after its entry, found by the
    // next export into the folder.
    let staged = store
        .stage(&out, &Place::new("SAR-folder", ""), |path| {
            files::create_private_dir(path)?;
            files::write_atomically(&path.join("record.json"), b"{}")
        })
        .unwrap();
    store.audit_export(&staged, audit(), Stamp::on(today())).unwrap();
    staged.abandon();
    store.deliver(&out, &Place::new("next", "csv"), audit(), Stamp::on(today()), write_text("z")).unwrap();
    assert_eq!(names(&out), [".senco-export-notes.txt", "SAR-folder", "after.csv", "next.csv", "report.tmp-zz"]);
    assert_eq!(fs::read_to_string(out.join("SAR-folder/record.json")).unwrap(), "{}");
    assert_eq!(exports_audited(&store), 3, "one entry for each output under a final name");
}

#[test]
fn a_staging_folder_another_program_still_holds_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_school(dir.path());
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let running = store.stage(&out, &Place::new("running", "csv"), write_text("x")).unwrap();
    // Another export into the folder meanwhile clears only what nobody holds.
    store.deliver(&out, &Place::new("other", "csv"), audit(), Stamp::on(today()), write_text("z")).unwrap();
    store.recover_exports(&out);
    assert!(out.join("other.csv").exists());
    assert!(running.dir.exists(), "the running writer's staging folder is still there");
    drop(running);
    assert!(names(&out).iter().all(|n| !n.starts_with(PREFIX)));
}
