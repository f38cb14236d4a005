//! Imports end to end on real encrypted schools: CTFs and CSVs as MISs write them, the
//! hostile files they must refuse, and the plan's promises (matching, idempotence, the
//! toolkit's SEN records kept, reconciliation, all-or-nothing apply).

use std::path::Path;

use chrono::NaiveDate;

use super::csv::{self, Choice};
use super::plan::{ImportPlan, MatchedBy};
use super::{ctf, Field, Parsed, Place};
use crate::census::{NeedCode, SenStatus};
use crate::pupil::PupilInput;
use crate::register::{RegisterFilter, Roll, SortColumn};
use crate::school::{Phase, SchoolSetup};
use crate::{Stamp, Store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn stamp() -> Stamp {
    Stamp::on(today())
}

fn school(dir: &Path) -> Store {
    let setup = SchoolSetup {
        name: "Import Primary".into(),
        urn: "118001".into(),
        la_code: "886".into(),
        establishment_number: "2001".into(),
        phase: Phase::Primary,
    };
    let pass = "quiet lantern over marsh fields";
    Store::create(&dir.join("school.senco"), &setup, pass, pass, stamp()).unwrap().0
}

/// A valid UPN for a serial number: LA 886, school 7777, year 26.
fn upn(serial: u32) -> String {
    crate::upn::Upn::from_parts(886, 7777, 2026, (serial % 1000) as u16).to_string()
}

/// One `Pupil` element. `sen` is the inside of `SENhistory`, or empty for none.
fn pupil(upn: &str, surname: &str, forename: &str, dob: &str, year: &str, sen: &str) -> String {
    let sen = if sen.is_empty() { String::new() } else { format!("<SENhistory>{sen}</SENhistory>") };
    format!(
        "<Pupil><UPN>{upn}</UPN><Surname>{surname}</Surname><Forename>{forename}</Forename><DOB>{dob}</DOB><Sex>F</Sex>\
         <BasicDetails><NCyearActual>{year}</NCyearActual></BasicDetails>{sen}<Address><Town>Exampleton</Town></Address></Pupil>"
    )
}

fn k(need: &str) -> String {
    format!("<SEN><StartDate>2025-09-10</StartDate><SENprovision>K</SENprovision></SEN><SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>{need}</SENtype></SENneed></SENneeds>")
}

fn ctf_file(pupils: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><CTfile><Header><DocumentName>Common Transfer File</DocumentName><CTFversion>26.0</CTFversion>\
         <DateTime>2026-11-20T10:00:00</DateTime><DocumentQualifier>partial</DocumentQualifier><SupplierID>Test</SupplierID>\
         <SourceSchool><LEA>886</LEA><Estab>2001</Estab><URN>118001</URN><SchoolName>Import Primary</SchoolName></SourceSchool>\
         <DestSchool><LEA>886</LEA><Estab>2001</Estab></DestSchool></Header><CTFpupilData>{}</CTFpupilData></CTfile>",
        pupils.concat()
    )
}

fn read_ctf(text: &str) -> Parsed {
    ctf::read(text.as_bytes(), today(), ("886", "2001"))
}

/// Year 3 in 2026/27: born September 2018 to August 2019.
const Y3: &str = "2019-01-15";

fn three() -> Vec<String> {
    vec![
        pupil(&upn(1), "OAKLEY", "MAYA", Y3, "3", &k("SLCN")),
        pupil(&upn(2), "BRIDGE", "TOM", "2019-03-02", "3", ""),
        pupil(&upn(3), "O'NEILL-ASH", "ÉLODIE", "2018-10-09", "3", "<SEN><StartDate>2024-01-08</StartDate><SENprovision>E</SENprovision></SEN><SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>ASD</SENtype></SENneed><SENneed><SENtypeRank>2</SENtypeRank><SENtype>SPLD</SENtype></SENneed></SENneeds>"),
    ]
}

fn apply(store: &mut Store, parsed: Parsed) -> crate::Result<(ImportPlan, crate::store::ImportOutcome)> {
    store.apply_import(parsed, "test.xml", None, false, false, &mut |_, _| true, stamp())
}

fn register(store: &Store) -> Vec<String> {
    let all = RegisterFilter { roll: Roll::All, ..RegisterFilter::default() };
    store
        .register_rows(&all, SortColumn::Name, false, today())
        .unwrap()
        .iter()
        .map(|r| format!("{} {} {} {} Y{} {} {}", r.upn, r.forename, r.surname, r.date_of_birth, r.nc_year, r.status.code(), r.primary_need.map_or("-", |n| n.code())))
        .collect()
}

/// Some MIS products write the header's `CTFVersion` with a capital V, as the DfE's own
/// specification does not (`CTFversion`); both are the version.
#[test]
fn a_ctf_whose_header_says_ctfversion_with_a_capital_v_is_read() {
    let text = ctf_file(&three()).replace("<CTFversion>26.0</CTFversion>", "<CTFVersion>26.0</CTFVersion>");
    let parsed = read_ctf(&text);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!((parsed.facts.ctf_version.as_str(), parsed.pupils.len()), ("26.0", 3));
}

/// A CTF's attendance has a row for each year and school. The register takes this school's
/// rows of the latest year, added together (a row naming no school is the sending
/// school's); another school's rows, such as a joiner's last school, are never taken as
/// this school's attendance, whichever order they come in.
#[test]
fn attendance_is_taken_from_this_schools_rows_of_the_latest_year() {
    let row = |year: u32, school: Option<(&str, &str)>, possible: u32, absent: u32| {
        let at = school.map_or(String::new(), |(la, estab)| format!("<LEA>{la}</LEA><Estab>{estab}</Estab>"));
        format!("<YearData><Year>{year}</Year>{at}<SessionsPossible>{possible}</SessionsPossible><SessionsAuthorised>{absent}</SessionsAuthorised><SessionsUnauthorised>0</SessionsUnauthorised></YearData>")
    };
    let with = |rows: &[String]| {
        let text = ctf_file(&[pupil(&upn(1), "OAKLEY", "MAYA", Y3, "3", "").replace("<Address>", &format!("<Attendance>{}</Attendance><Address>", rows.concat()))]);
        let parsed = read_ctf(&text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        parsed.pupils[0].attendance_pct
    };
    let elsewhere = row(2025, Some(("999", "4000")), 100, 50);
    let ours_autumn = row(2025, Some(("886", "2001")), 100, 10);
    let ours_spring = row(2025, Some(("886", "2001")), 300, 10);
    assert_eq!(with(&[ours_autumn.clone(), elsewhere.clone()]), Some(90.0));
    assert_eq!(with(&[elsewhere.clone(), ours_autumn.clone()]), Some(90.0), "the order does not matter");
    assert_eq!(with(&[ours_autumn.clone(), elsewhere.clone(), ours_spring]), Some(95.0), "this school's rows of a year are added: 380 of 400");
    assert_eq!(with(&[row(2024, None, 200, 2), elsewhere.clone()]), Some(99.0), "a row that names no school is the sending school's");
    assert_eq!(with(&[elsewhere, row(2023, Some(("886", "2001")), 100, 20)]), Some(80.0), "this school's latest year, not another school's later one");
    assert_eq!(with(&[row(2025, Some(("999", "4000")), 100, 50)]), None, "another school's attendance is not ours");
}

#[test]
fn a_ctf_is_read_with_names_sen_history_needs_meals_and_attendance() {
    let extra = "<FSMhistory><FSMinstance><FSMstartDate>2025-01-06</FSMstartDate></FSMinstance></FSMhistory>\
                 <LookedAfter><InCare>false</InCare></LookedAfter>\
                 <Attendance><YearData><Year>2025</Year><SessionsPossible>300</SessionsPossible><SessionsAuthorised>10</SessionsAuthorised><SessionsUnauthorised>5</SessionsUnauthorised></YearData></Attendance>";
    let text = ctf_file(&[pupil(&upn(1), "O'NEILL-ASH", "MAYA", Y3, "3", &k("Autistic Spectrum Disorder")).replace("<Address>", &format!("{extra}<Address>"))]);
    let parsed = read_ctf(&text);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let p = &parsed.pupils[0];
    assert_eq!((p.legal_surname.as_str(), p.legal_forename.as_str(), p.nc_year), ("O'Neill-Ash", "Maya", Some(3)));
    let sen = p.sen.as_ref().unwrap();
    assert_eq!((sen.status, sen.primary_need()), (SenStatus::SenSupport, Some(NeedCode::ASD)));
    assert_eq!((p.fsm, p.pupil_premium, p.looked_after, p.attendance_pct), (Some(true), Some(true), Some(false), Some(95.0)));
    assert_eq!(parsed.facts.ctf_version, "26.0");
    assert_eq!(parsed.ignored.get("Pupil/Address"), Some(&1), "unknown elements are counted: {:?}", parsed.ignored);
}

/// Each hostile file is refused whole, with one problem at "file" that says why.
fn refused(bytes: &[u8], why: &str) {
    let parsed = ctf::read(bytes, today(), ("886", "2001"));
    assert!(parsed.pupils.is_empty(), "{why}: pupils were read");
    let messages: Vec<&str> = parsed.problems.iter().filter(|p| p.place == Place::File).map(|p| p.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains(why)), "expected {why:?} in {messages:?}");
}

#[test]
fn hostile_ctfs_are_refused_with_a_reason() {
    let good = ctf_file(&three());
    refused(b"", "empty or holds no CTF");
    refused(
        b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><CTfile>&lol2;</CTfile>",
        "document type",
    );
    refused(good.replace("<UPN>", "<UPN>&xxe;").as_bytes(), "entity &xxe;");
    refused(&good.as_bytes()[..good.len() * 2 / 3], "cut short");
    refused(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0", "not");
    refused(b"<html><body>hello</body></html>", "not a CTF");
    refused(&[&b"<CTfile><Header><CTFversion>26.0</CTFversion></Header><CTFpupilData><Pupil><Surname>Zo"[..], b"\xeb", b"</Surname></Pupil></CTFpupilData></CTfile>"].concat(), "not UTF-8");
    refused(format!("<CTfile><Header><CTFversion>26.0</CTFversion></Header>{}</CTfile>", "<a>".repeat(100)).as_bytes(), "not well-formed XML");
    refused(good.replace("26.0", "15.0").as_bytes(), "older than");
    refused(b"<CTfile><CTFpupilData/></CTfile>", "no <Header>");
}

/// A stream that repeats `pattern` for ever after `head`, like a device or a FIFO.
struct Endless {
    head: &'static [u8],
    pattern: &'static [u8],
    at: usize,
}

impl std::io::Read for Endless {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            out[n] = if self.at < self.head.len() { self.head[self.at] } else { self.pattern[(self.at - self.head.len()) % self.pattern.len()] };
            self.at += 1;
            n += 1;
        }
        Ok(n)
    }
}

#[test]
fn an_endless_or_oversized_ctf_stops_at_its_limit_with_a_message_naming_it() {
    let endless = |head: &'static [u8], pattern: &'static [u8]| std::io::BufReader::new(Endless { head, pattern, at: 0 });
    // `/dev/zero`: one endless run of text, stopped at the 1 MB an event may be.
    let parsed = ctf::read(endless(b"", b"\0"), today(), ("886", "2001"));
    let message = &parsed.problems.last().unwrap().message;
    assert!(message.contains("a tag, text or comment of more than 1 MB"), "{message}");
    let parsed = ctf::read(endless(b"<CTfile><Header><CTFversion>", b"9"), today(), ("886", "2001"));
    assert!(parsed.problems.last().unwrap().message.contains("more than 1 MB"), "{:?}", parsed.problems);
    // Small elements for ever: stopped at the 100 MB a CTF may be.
    let parsed = ctf::read(endless(b"<CTfile>", b"<!-- a comment, one of very many, each well under the limit of one event -->\n"), today(), ("886", "2001"));
    assert!(parsed.pupils.is_empty());
    let message = &parsed.problems.last().unwrap().message;
    assert!(message.contains("larger than 100 MB, the most a CTF may be"), "{message}");
}

#[test]
fn an_oversized_csv_is_refused_naming_the_limit() {
    let limit = crate::files::CSV_LIMIT.bytes() as usize;
    let mut bytes = sims(&[]);
    bytes.resize(limit + 1, b' ');
    let parsed = read_csv(&bytes, "sims");
    assert!(parsed.problems.iter().any(|p| p.message.contains("larger than 50 MB, the most a CSV file may be")), "{:?}", parsed.problems);
    assert!(csv::headings(&bytes).unwrap_err().contains("larger than 50 MB"));
}

#[test]
fn elements_the_toolkit_does_not_read_are_skipped_however_deep_and_counted() {
    let deep = format!("{}{}", "<Extra>".repeat(500), "</Extra>".repeat(500));
    let text = ctf_file(&three()).replace("<Address>", &format!("{deep}<Address>"));
    let parsed = read_ctf(&text);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.pupils.len(), 3);
    assert_eq!(parsed.ignored.get("Pupil/Extra"), Some(&3));
    assert_eq!(parsed.ignored.get("Pupil/Address"), Some(&3));
}

#[test]
fn what_a_ctf_cannot_say_is_left_alone_and_its_numbers_cannot_overflow() {
    let extra = "<BasicDetails><NCyearActual>3</NCyearActual><Languages><Type><LanguageType>F</LanguageType><Language>NOT</Language></Type></Languages></BasicDetails>\
                 <Attendance><YearData><Year>2025</Year><SessionsPossible>300</SessionsPossible><SessionsAuthorised>4294967295</SessionsAuthorised><SessionsUnauthorised>4294967295</SessionsUnauthorised></YearData></Attendance>";
    let text = ctf_file(&[pupil(&upn(1), "OAKLEY", "MARY &#x41;NNE", Y3, "3", "").replace("<BasicDetails><NCyearActual>3</NCyearActual></BasicDetails>", extra)]);
    let text = text.replace("<Surname>OAKLEY</Surname>", "<Surname>O&apos;HARA  SMITH</Surname>");
    let parsed = read_ctf(&text);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let p = &parsed.pupils[0];
    assert_eq!((p.legal_forename.as_str(), p.legal_surname.as_str()), ("Mary Anne", "O'Hara  Smith"), "spaces around references are kept");
    assert_eq!(p.eal, None, "a first language not obtained says nothing about EAL");
    assert_eq!(p.pupil_premium, None, "a CTF never takes pupil premium away");
    assert_eq!(p.attendance_pct, None, "absences larger than the sessions are not an attendance");
    assert!(parsed.warnings.is_empty(), "a CTF addressed to this school: {:?}", parsed.warnings);
}

#[test]
fn the_first_current_need_is_the_primary_one_even_when_the_mis_rank_1_has_ended() {
    let sen = "<SEN><StartDate>2025-09-10</StartDate><SENprovision>K</SENprovision></SEN><SENneeds>\
               <SENneed><SENtypeRank>1</SENtypeRank><SENtype>SLCN</SENtype><NeedEndDate>2026-01-01</NeedEndDate></SENneed>\
               <SENneed><SENtypeRank>2</SENtypeRank><SENtype>MLD</SENtype></SENneed></SENneeds>";
    let parsed = read_ctf(&ctf_file(&[pupil(&upn(1), "OAKLEY", "MAYA", Y3, "3", sen)]));
    assert_eq!(parsed.pupils[0].sen.as_ref().unwrap().primary_need(), Some(NeedCode::MLD));
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    apply(&mut store, parsed).unwrap();
    assert!(register(&store)[0].ends_with("Y3 K MLD"), "{:?}", register(&store));
}

#[test]
fn a_small_import_can_still_be_cancelled_before_it_commits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    let refused = store.apply_import(read_ctf(&ctf_file(&three())), "t.xml", None, false, false, &mut |_, _| false, stamp()).unwrap_err();
    assert!(refused.to_string().contains("cancelled"), "{refused}");
    assert!(register(&store).is_empty());
}

#[test]
fn a_saved_profile_does_not_silently_replace_another_with_a_similar_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    let mut profile = csv::shipped().remove(0);
    profile.name = "Our SIMS".into();
    assert_eq!(store.save_import_profile(&profile, stamp()).unwrap().id, "own-our-sims");
    profile.name = "our sims".into();
    store.save_import_profile(&profile, stamp()).expect("the same name replaces it");
    profile.name = "Our SIMS!".into();
    let refused = store.save_import_profile(&profile, stamp()).unwrap_err();
    assert!(refused.to_string().contains("too like this one"), "{refused}");
    profile.name = "!!!".into();
    assert!(store.save_import_profile(&profile, stamp()).is_err());
}

#[test]
fn a_bad_record_is_named_and_the_others_are_still_read() {
    let mut pupils = three();
    pupils[1] = pupils[1].replace("<DOB>2019-03-02</DOB>", "<DOB>02/31/2019</DOB>");
    let parsed = read_ctf(&ctf_file(&pupils));
    assert_eq!(parsed.pupils.len(), 2);
    assert_eq!(parsed.problems.len(), 1);
    let p = &parsed.problems[0];
    assert_eq!((p.at.as_str(), p.field.as_str()), ("record 2", "dateOfBirth"));
    assert!(p.message.contains("no month 31"), "{}", p.message);
}

#[test]
fn a_first_import_takes_the_mis_sen_history_and_a_second_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    let text = ctf_file(&three());
    let plan = store.plan_import(read_ctf(&text), today()).unwrap();
    assert_eq!((plan.new_pupils.len(), plan.changed.len(), plan.problems.len()), (3, 0, 0));
    assert!(register(&store).is_empty(), "a dry run writes nothing");
    let (_, outcome) = apply(&mut store, read_ctf(&text)).unwrap();
    assert!(outcome.applied);
    let rows = register(&store);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().any(|r| r.ends_with("Élodie O'Neill-Ash 2018-10-09 Y3 E ASD")), "{rows:?}");
    assert!(rows.iter().any(|r| r.ends_with("Maya Oakley 2019-01-15 Y3 K SLCN")), "{rows:?}");
    let maya = store.pupil_by_upn(&upn(1)).unwrap();
    let history: Vec<(SenStatus, String)> = maya.status_history.iter().map(|h| (h.status, h.start_date.to_string())).collect();
    assert_eq!(maya.admission_date.to_string(), "2026-09-01", "with no admission date in the file, the pupil is taken as admitted at the start of this school year");
    assert_eq!(history, vec![(SenStatus::SenSupport, "2026-09-01".into())], "and the MIS's SEN support from before it starts then");
    assert!(plan.new_pupils.iter().all(|p| p.admission_assumed), "the preview says the admission date was assumed");
    let (again, outcome) = apply(&mut store, read_ctf(&text)).unwrap();
    assert!(again.is_no_op() && again.no_op && !outcome.applied, "{again:?}");
    assert_eq!(again.message, super::plan::NOTHING_TO_CHANGE, "the preview says so too");
    assert_eq!(outcome.message, "Nothing to change: the register already matches this file.");
    assert_eq!(register(&store), rows);
    assert!(crate::store::check(store.path(), crate::Unlock::Passphrase("quiet lantern over marsh fields")).unwrap().healthy());
}

#[test]
fn where_the_mis_disagrees_about_sen_the_toolkit_keeps_its_record_and_the_office_gets_a_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    apply(&mut store, read_ctf(&ctf_file(&three()))).unwrap();
    // The MIS now says Maya has an EHC plan for SEMH and Tom has SEN support for MLD.
    let mut pupils = three();
    pupils[0] = pupil(&upn(1), "OAKLEY", "MAYA", Y3, "3", &k("SEMH").replace("<SENprovision>K", "<SENprovision>E"));
    pupils[1] = pupil(&upn(2), "BRIDGE", "TOM", "2019-03-02", "3", &k("MLD"));
    let changed = ctf_file(&pupils);
    let plan = store.plan_import(read_ctf(&changed), today()).unwrap();
    let found: Vec<String> = plan.differences.iter().map(|d| format!("{} {} {}→{}", d.upn, d.field.name(), d.toolkit, d.mis)).collect();
    assert_eq!(found, vec![
        format!("{} senStatus K→E", upn(1)),
        format!("{} primaryNeed SLCN→SEMH", upn(1)),
        format!("{} senStatus N→K", upn(2)),
        format!("{} primaryNeed none→MLD", upn(2)),
    ]);
    let before = register(&store);
    apply(&mut store, read_ctf(&changed)).unwrap();
    assert_eq!(register(&store), before, "no SEN status or need was overwritten");
    let items: Vec<String> = store.reconciliation(today()).unwrap().iter().map(|i| format!("{} {}: {} here, {} in the MIS", i.name, i.label, i.toolkit, i.mis)).collect();
    assert_eq!(items, [
        "Tom Bridge SEN status: N here, K in the MIS",
        "Tom Bridge primary need: none here, MLD in the MIS",
        "Maya Oakley SEN status: K here, E in the MIS",
        "Maya Oakley primary need: SLCN here, SEMH in the MIS",
    ]);
    assert!(apply(&mut store, read_ctf(&changed)).unwrap().0.is_no_op(), "the same differences are not recorded twice");
    // The MIS is corrected at source: the items resolve.
    let (plan, _) = apply(&mut store, read_ctf(&ctf_file(&three()))).unwrap();
    assert_eq!(plan.resolved.len(), 4);
    assert!(store.reconciliation(today()).unwrap().is_empty());
}

#[test]
fn matching_upgrades_a_temporary_upn_and_asks_before_trusting_a_name_and_birth_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    let temporary = "Y88677772691A";
    let add = |store: &mut Store, upn: &str, surname: &str, dob: &str| {
        let input = PupilInput {
            upn: upn.into(),
            legal_forename: "Ada".into(),
            legal_surname: surname.into(),
            date_of_birth: dob.into(),
            sex: "F".into(),
            nc_year: 3,
            admission_date: "2025-09-01".into(),
            ..PupilInput::default()
        };
        store.add_pupil(&input, stamp()).unwrap();
    };
    add(&mut store, temporary, "Temple", "2019-02-01");
    add(&mut store, &upn(7), "Nameonly", "2019-04-04");
    add(&mut store, &upn(8), "Leftbehind", "2019-05-05");
    let former = pupil(&upn(5), "TEMPLE", "ADA", "2019-02-01", "3", "").replace("<NCyearActual>", &format!("<FormerUPN>{temporary}</FormerUPN><NCyearActual>"));
    let by_name = pupil(&upn(6), "NAMEONLY", "ADA", "2019-04-04", "3", "");
    let text = ctf_file(&[former, by_name]);
    let plan = store.plan_import(read_ctf(&text), today()).unwrap();
    let matched: Vec<(MatchedBy, String)> = plan.changed.iter().map(|c| (c.matched_by, c.changes[0].new.clone())).collect();
    assert_eq!(matched, vec![(MatchedBy::FormerUpn, upn(5)), (MatchedBy::NameAndBirth, upn(6))]);
    assert_eq!(plan.missing.iter().map(|m| m.upn.clone()).collect::<Vec<_>>(), vec![upn(8)], "a pupil not in the file is a possible leaver");
    let refused = apply(&mut store, read_ctf(&text)).unwrap_err();
    assert!(refused.to_string().contains("surname and date of birth only"), "{refused}");
    store.pupil_by_upn(temporary).expect("nothing was changed by the refused apply");
    store.apply_import(read_ctf(&text), "t.xml", Some(&plan.fingerprint), true, false, &mut |_, _| true, stamp()).unwrap();
    assert_eq!(store.pupil_by_upn(&upn(5)).unwrap().legal_surname, "Temple");
    assert!(store.pupil_by_upn(temporary).is_err());
    assert!(store.pupil_by_upn(&upn(8)).unwrap().leaving_date.is_none(), "possible leavers are never archived");
}

#[test]
fn conflicts_duplicates_and_bad_upns_are_problems_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    apply(&mut store, read_ctf(&ctf_file(&three()))).unwrap();
    let before = register(&store);
    let mut wrong_letter = upn(4);
    wrong_letter.replace_range(0..1, if wrong_letter.starts_with('A') { "B" } else { "A" });
    let pupils = vec![
        pupil(&upn(1), "OAKLEY", "MAYA", "2019-01-16", "3", ""),
        pupil(&upn(9), "TWIN", "ONE", Y3, "3", ""),
        pupil(&upn(9), "TWIN", "TWO", Y3, "3", ""),
        pupil(&wrong_letter, "CHECK", "LETTER", Y3, "3", ""),
        pupil(&upn(10), "NEWCOMER", "NEW", Y3, "3", ""),
    ];
    let text = ctf_file(&pupils);
    let plan = store.plan_import(read_ctf(&text), today()).unwrap();
    let problems: Vec<String> = plan.problems.iter().map(|p| format!("{} {}: {}", p.at, p.field, p.message)).collect();
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(problems[0].starts_with("record 1 dateOfBirth: UPN conflict"), "{}", problems[0]);
    assert!(problems[1].contains("record 2 upn: the same UPN is also given on record 3"), "{}", problems[1]);
    assert!(problems[2].contains("record 3 upn: the same UPN is also given on record 2"), "{}", problems[2]);
    assert!(problems[3].contains("check letter does not match"), "{}", problems[3]);
    let refused = apply(&mut store, read_ctf(&text)).unwrap_err();
    assert!(refused.to_string().contains("4 problems, so nothing was imported"), "{refused}");
    assert_eq!(register(&store), before, "the newcomer was not added either");
}

#[test]
fn a_cancelled_apply_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    let pupils: Vec<String> = (100..300).map(|i| pupil(&upn(i), "MANY", &format!("P{}", char::from(b'A' + (i % 26) as u8)), Y3, "3", "")).collect();
    let text = ctf_file(&pupils);
    let mut calls = 0;
    let refused = store.apply_import(read_ctf(&text), "t.xml", None, false, false, &mut |done, _| { calls += 1; done < 128 }, stamp()).unwrap_err();
    assert!(refused.to_string().contains("cancelled"), "{refused}");
    assert_eq!(calls, 2);
    assert!(register(&store).is_empty());
}

const SIMS_HEADINGS: &str = "UPN;Legal Surname;Legal Forename;Preferred Forename;DOB;Gender;Year;Reg Group;Adm Date;SEN Status;SEN Need 1;SEN Need 2;FSM Eligible;EAL;Notes";

/// A SIMS export as Excel saves it on an English Windows: Windows-1252, semicolons, CRLF.
fn sims(rows: &[String]) -> Vec<u8> {
    let text = format!("{SIMS_HEADINGS}\r\n{}\r\n", rows.join("\r\n"));
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!bad);
    bytes.into_owned()
}

fn read_csv(bytes: &[u8], profile: &str) -> Parsed {
    let choice = if profile == "auto" { Choice::Auto } else { Choice::Named(profile.into()) };
    csv::read(bytes, &choice, &csv::shipped())
}

#[test]
fn a_windows_1252_sims_export_with_semicolons_imports() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    let rows = vec![
        format!("{};Brontë;Zoë;;15/01/2019;F;Year 3;3B;01/09/2023;SEN Support;Speech, Language and Communication Needs;;Y;N;\"likes \"\"trains\"\"; \nsits at the front\"", upn(1)),
        format!("{};Smith;Jo;Joey;2/3/19;M;Y3;3B;1/9/23;EHC Plan;ASD;SpLD;N;Y;", upn(2)),
        format!("{};Patel;Ria;;2019-03-04;F;3;3A;2023-09-01;;;;N;N;", upn(3)),
    ];
    let parsed = read_csv(&sims(&rows), "sims");
    assert_eq!((parsed.facts.encoding.as_str(), parsed.facts.delimiter.as_str(), parsed.facts.profile.as_str()), ("Windows-1252", "semicolon", "SIMS"));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.ignored.get("Notes"), Some(&1));
    apply(&mut store, parsed).unwrap();
    let rows = register(&store);
    assert!(rows.iter().any(|r| r.ends_with("Zoë Brontë 2019-01-15 Y3 K SLCN")), "{rows:?}");
    assert!(rows.iter().any(|r| r.ends_with("Joey Smith 2019-03-02 Y3 E ASD")), "{rows:?}");
    assert!(rows.iter().any(|r| r.ends_with("Ria Patel 2019-03-04 Y3 N -")), "{rows:?}");
    let zoe = store.pupil_by_upn(&upn(1)).unwrap();
    assert_eq!((zoe.form.as_str(), zoe.admission_date.to_string(), zoe.fsm), ("3B", "2023-09-01".to_string(), true));
}

fn csv_problem(bytes: &[u8], why: &str) {
    let parsed = read_csv(bytes, "auto");
    assert!(!parsed.problems.is_empty(), "{why}: no problem");
    let all: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    assert!(all.iter().any(|p| p.contains(why)), "expected {why:?} in {all:#?}");
}

#[test]
fn hostile_csvs_get_a_problem_that_names_the_line_and_the_reason() {
    csv_problem(b"", "empty");
    csv_problem(b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0", "not text");
    csv_problem(SIMS_HEADINGS.as_bytes(), "heading line but no pupils");
    csv_problem(format!("{}\n", vec!["x"; 100_000].join(",")).as_bytes(), "line 1: the row has more than 1000 cells");
    csv_problem(&sims(&[format!("{};A;B;;32/01/2019;F;Year 3;;;;;;;;", upn(1))]), "line 2 (UPN");
    csv_problem(&sims(&[format!("{};A;B;;15/01/2019;F;Year 3;;;Maybe;;;;;", upn(1))]), "\"Maybe\" is not a SEN status");
    csv_problem(&sims(&[format!("{};A;B;;15/01/2019;F;Year 3;;;K;;;;;", upn(1))]), "no primary need");
    csv_problem(&sims(&[format!("{};A;B;;15/01/2019;F;Year 3;;;;;;;;\"{}", upn(1), "y".repeat(20_000))]), "longer than 10000 characters");
    csv_problem(b"Name,Colour\nAda,Blue\n", "no import profile matches these headings");
    csv_problem(&sims(&[format!("{};A;B;;15/01/2019;F;Year 3;;;;;;;;\"never closed", upn(1))]), "never closed");
    let padding: String = (2..6).map(|i| format!("{},Padding,Row,15/01/2019,F,Y3\n", upn(i))).collect();
    csv_problem(format!("UPN,Surname,Forename,DOB,Sex,Year\n{padding}{},A,B,1\u{1b}[2J/01/2019,F,Y3\n", upn(1)).as_bytes(), "<U+001B>[2J/01/2019\" is not a date");
    // A UPN with a wrong check letter is found when the plan checks the register.
    let dir = tempfile::tempdir().unwrap();
    let store = school(dir.path());
    let mut wrong = upn(1);
    wrong.replace_range(0..1, if wrong.starts_with('A') { "B" } else { "A" });
    let plan = store.plan_import(read_csv(&sims(&[format!("{wrong};A;B;;15/01/2019;F;Year 3;;;;;;;;")]), "sims"), today()).unwrap();
    assert_eq!(plan.problems[0].field, Field::Upn.name());
    assert!(plan.problems[0].to_string().starts_with("line 2 (UPN "), "{}", plan.problems[0]);
}

/// Held back last time: one bad row blocked the whole school. When every problem is in a row,
/// the SENCO may choose to import the others; the rows left out are named in the outcome and
/// the audit trail, for the office. Without that choice nothing is written, and a problem
/// with the file as a whole can never be left out.
#[test]
fn the_senco_may_choose_to_import_the_others_and_leave_the_bad_rows_out_for_the_office() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = school(dir.path());
    let mut rows = three();
    let bad = upn(4).replacen(|c: char| c.is_ascii_uppercase(), "A", 1);
    let bad = if bad == upn(4) { upn(4).replacen(|c: char| c.is_ascii_uppercase(), "B", 1) } else { bad };
    rows.push(pupil(&bad, "WREN", "ISLA", Y3, "3", ""));
    let text = ctf_file(&rows);
    let plan = store.plan_import(read_ctf(&text), today()).unwrap();
    assert_eq!((plan.problems.len(), plan.new_pupils.len(), plan.can_leave_out), (1, 3, true), "{:?}", plan.problems);

    let refused = store.apply_import(read_ctf(&text), "t.xml", None, false, false, &mut |_, _| true, stamp()).unwrap_err().to_string();
    assert!(refused.contains("or choose to import the others and leave these rows out for the office"), "{refused}");
    assert!(register(&store).is_empty(), "nothing was written without the choice");

    let (_, outcome) = store.apply_import(read_ctf(&text), "t.xml", None, false, true, &mut |_, _| true, stamp()).unwrap();
    assert_eq!((outcome.new_pupils, outcome.left_out), (3, 1));
    assert!(outcome.message.contains(&format!("Left out for the office to correct in the MIS: record 4 (UPN {bad})")), "{}", outcome.message);
    assert_eq!(register(&store).len(), 3);
    let audit = store.audit(&crate::store::AuditQuery::default()).unwrap();
    let entry = audit.iter().find(|e| e.action == "import-left-out").expect("the choice is audited");
    assert!(entry.summary.contains("the SENCO chose to import the others and leave out 1 row with problems: record 4"), "{}", entry.summary);

    // A problem with the file as a whole (a version older than any this reads) cannot be left out.
    let old = ctf_file(&three()).replace("<CTFversion>26.0</CTFversion>", "<CTFversion>12.0</CTFversion>");
    let plan = store.plan_import(read_ctf(&old), today()).unwrap();
    assert!(!plan.problems.is_empty() && !plan.can_leave_out);
    assert!(store.apply_import(read_ctf(&old), "t.xml", None, false, true, &mut |_, _| true, stamp()).is_err());
}
