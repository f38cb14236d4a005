//! `senco import` and `senco reconcile` with the real binary: a generated CTF of a whole
//! school into a fresh one, a SIMS CSV as Excel saves it, the office's list of differences,
//! and a corpus of hostile files that must each be refused, named, and change nothing.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-11-26";
const PASSPHRASE: &str = "quiet lantern over marsh fields";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `senco` on a real school, with its passphrase.
fn senco(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(args)
        .args(["--today", TODAY, "--db"])
        .arg(db)
        .env("SENCO_PASSPHRASE", PASSPHRASE)
        .env("SENCO_DATA_DIR", db.parent().unwrap())
        .output()
        .expect("senco runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// A fresh real school with the demo school's numbers, so a CTF from the demo is addressed to it.
fn fresh(dir: &Path) -> PathBuf {
    let db = dir.join("fresh.senco");
    ok(senco(&db, &["init", "--name", "Fresh Primary", "--urn", "999999", "--estab", "2999"]));
    db
}

/// The demo school and its pupils on roll as a CTF.
fn demo_ctf(dir: &Path, pupils: u32) -> (PathBuf, PathBuf) {
    let db = dir.join(format!("demo-{pupils}.senco"));
    let ctf = dir.join(format!("demo-{pupils}.xml"));
    let out = Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(["demo", "--today", TODAY, "--pupils", &pupils.to_string(), "--db"])
        .arg(&db)
        .arg("--ctf")
        .arg(&ctf)
        .env_remove("SENCO_PASSPHRASE")
        .output()
        .unwrap();
    ok(out);
    (db, ctf)
}

/// The register's census-facing columns, on roll only, sorted: what an import must reproduce.
/// Form and pupil premium are left out: a CTF carries no form, and pupil premium is worked
/// out from its meal history and care.
fn census_view(db: &Path, demo: bool) -> Vec<String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_senco"));
    command.args(["register", "list", "--format", "csv", "--today", TODAY, "--db"]).arg(db);
    if demo {
        command.env_remove("SENCO_PASSPHRASE");
    } else {
        command.env("SENCO_PASSPHRASE", PASSPHRASE);
    }
    let csv = ok(command.output().unwrap());
    let mut rows: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            // upn surname forename dob year | census status, need, area | fsm eal looked-after
            [&f[0..5], &f[7..10], &f[11..14]].concat().join(",")
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_generated_ctf_of_2000_pupils_imports_into_a_fresh_school_and_a_second_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (demo, ctf) = demo_ctf(dir.path(), 2000);
    assert_eq!(std::fs::metadata(&ctf).unwrap().permissions().mode() & 0o777, 0o600, "the CTF is readable by its owner only");
    let school = fresh(dir.path());
    let dry = ok(senco(&school, &["import", "ctf", ctf.to_str().unwrap(), "--dry-run"]));
    assert!(dry.contains("Dry run: nothing was written."), "{dry}");
    assert!(census_view(&school, false).is_empty(), "a dry run writes nothing");
    let first = ok(senco(&school, &["import", "ctf", ctf.to_str().unwrap()]));
    let expected = census_view(&demo, true);
    assert!(expected.len() > 1900, "{} pupils on roll", expected.len());
    assert!(first.contains(&format!("Imported: {} new pupils, 0 updated", expected.len())), "{first}");
    assert_eq!(census_view(&school, false), expected, "the register matches the file");
    let second = senco(&school, &["import", "ctf", ctf.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&ok(second)).unwrap();
    assert_eq!((json["applied"].as_bool(), json["no_op"].as_bool()), (Some(false), Some(true)), "{json:#}");
    assert_eq!(json["plan"]["unchanged"].as_u64(), Some(expected.len() as u64));
    let third = ok(senco(&school, &["import", "ctf", ctf.to_str().unwrap()]));
    assert!(third.contains("Nothing to change: the register already matches this file."), "{third}");
    assert_eq!(census_view(&school, false), expected);
    ok(senco(&school, &["check"]));
}

/// Windows-1252 bytes, as Excel's "CSV" saves on an English Windows.
fn cp1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'ë' => 0xEB,
            'é' => 0xE9,
            '’' => 0x92,
            c if c.is_ascii() => c as u8,
            other => panic!("no Windows-1252 byte for {other}"),
        })
        .collect()
}

#[test]
fn a_windows_1252_csv_with_semicolons_imports_through_the_sims_profile() {
    let dir = tempfile::tempdir().unwrap();
    let school = fresh(dir.path());
    let csv = cp1252(
        "UPN;Legal Surname;Legal Forename;Preferred Forename;DOB;Gender;Year;Reg Group;Adm Date;SEN Status;SEN Need 1;SEN Need 2;FSM Eligible\r\n\
         Z886777726901;Brontë;Chloé;;15/01/2019;F;Year 3;3B;01/09/2023;SEN Support;Autistic Spectrum Disorder;;Y\r\n\
         N886777726902;O’Hara;Sam;Sammy;2/3/19;M;Y3;3B;1/9/23;EHC Plan;\"Speech, Language and Communication Needs\";SpLD;N\r\n\
         C886777726903;Patel;Ria;;2019-03-04;F;3;3A;2023-09-01;;;;N\r\n",
    );
    let file = dir.path().join("sims export.csv");
    std::fs::write(&file, csv).unwrap();
    let out = ok(senco(&school, &["import", "csv", file.to_str().unwrap(), "--profile", "sims"]));
    assert!(out.contains("CSV, Windows-1252, semicolon-separated, read with the SIMS profile"), "{out}");
    assert!(out.contains("Imported: 3 new pupils"), "{out}");
    let view = census_view(&school, false);
    assert_eq!(view, [
        "C886777726903,Patel,Ria,2019-03-04,Y3,N,,,N,N,N",
        "N886777726902,O’Hara,Sammy,2019-03-02,Y3,E,SLCN,ci,N,N,N",
        "Z886777726901,Brontë,Chloé,2019-01-15,Y3,K,ASD,ci,Y,N,N",
    ]);
    let sam = ok(senco(&school, &["pupil", "show", "N886777726902"]));
    assert!(sam.contains("form 3B") && sam.contains("Admitted 1 Sep 2023") && sam.contains("SPLD rank 2"), "{sam}");
}

/// Held back last time: a real SIMS-style export writes statuses and needs in its own words
/// ("No Special Educational Need", "K - SEN Support", "&" for "and"), and a Windows-1252
/// export writes "?" for a letter it cannot hold. Every row imports; the "?" is a warning
/// naming the pupil and the field.
#[test]
fn a_sims_export_in_its_own_words_imports_every_row_and_warns_of_a_lost_letter() {
    let dir = tempfile::tempdir().unwrap();
    let school = fresh(dir.path());
    let csv = cp1252(
        "UPN;Legal Surname;Legal Forename;DOB;Gender;Year;Reg Group;SEN Status;SEN Need 1;SEN Need 2\r\n\
         Z886777726901;Brontë;Zo?;15/01/2019;F;Year 3;3B;No Special Educational Need;;\r\n\
         N886777726902;Hale;Sam;2/3/19;M;Y3;3B;K - SEN Support;Speech, Language & Communication Needs;Social, Emotional & Mental Health\r\n\
         C886777726903;Patel;Ria;2019-03-04;F;3;3A;Education, Health & Care Plan;ASD - Autistic Spectrum Disorder;\r\n\
         R886777726904;Ng;Li;2019-04-04;F;3;3A;  sen  support ;Profound & Multiple Learning Difficulty;\r\n",
    );
    let file = dir.path().join("sims words.csv");
    std::fs::write(&file, csv).unwrap();
    let preview = ok(senco(&school, &["import", "csv", file.to_str().unwrap(), "--profile", "sims", "--dry-run"]));
    assert!(preview.contains("line 2 (UPN Z886777726901), legal first name: \"Zo?\" has a \"?\" where the MIS could not write a letter"), "{preview}");
    let out = ok(senco(&school, &["import", "csv", file.to_str().unwrap(), "--profile", "sims"]));
    assert!(out.contains("Imported: 4 new pupils"), "{out}");
    let view = census_view(&school, false);
    assert_eq!(view, [
        "C886777726903,Patel,Ria,2019-03-04,Y3,E,ASD,ci,N,N,N",
        "N886777726902,Hale,Sam,2019-03-02,Y3,K,SLCN,ci,N,N,N",
        "R886777726904,Ng,Li,2019-04-04,Y3,K,PMLD,cl,N,N,N",
        "Z886777726901,Brontë,Zo?,2019-01-15,Y3,N,,,N,N,N",
    ]);
}

/// One bad row need not block the school: with --leave-out-refused the others are imported
/// and the bad row is named for the office; without it nothing is written.
#[test]
fn with_leave_out_refused_the_good_rows_import_and_the_bad_one_is_named_for_the_office() {
    let dir = tempfile::tempdir().unwrap();
    let school = fresh(dir.path());
    let file = dir.path().join("one bad row.csv");
    std::fs::write(
        &file,
        "UPN,Legal Surname,Legal Forename,DOB,Gender,Year\n\
         Z886777726901,Bronte,Zoe,15/01/2019,F,Year 3\n\
         A886777726902,Hale,Sam,2/3/19,M,Y3\n\
         C886777726903,Patel,Ria,2019-03-04,F,3\n",
    )
    .unwrap();
    let blocked = senco(&school, &["import", "csv", file.to_str().unwrap(), "--profile", "sims"]);
    assert_eq!(blocked.status.code(), Some(1));
    assert!(text(&blocked.stderr).contains("Or import the others with --leave-out-refused"), "{}", text(&blocked.stderr));
    assert!(census_view(&school, false).is_empty(), "nothing was written");
    let out = ok(senco(&school, &["import", "csv", file.to_str().unwrap(), "--profile", "sims", "--leave-out-refused"]));
    assert!(out.contains("Imported: 2 new pupils") && out.contains("Left out for the office to correct in the MIS: line 3 (UPN A886777726902)"), "{out}");
    assert_eq!(census_view(&school, false).len(), 2);
    let audit = ok(senco(&school, &["audit", "--format", "csv"]));
    assert!(audit.contains("import-left-out"), "{audit}");
}

#[test]
fn the_reconciliation_list_shows_the_deliberate_differences_for_the_office() {
    let dir = tempfile::tempdir().unwrap();
    let (_, ctf) = demo_ctf(dir.path(), 120);
    let school = fresh(dir.path());
    ok(senco(&school, &["import", "ctf", ctf.to_str().unwrap()]));
    assert!(ok(senco(&school, &["reconcile"])).contains("No differences"));
    // The MIS is changed behind the toolkit's back: the first pupil on SEN support is given
    // an EHC plan, and the first with no SEN is put on SEN support for MLD.
    let xml = std::fs::read_to_string(&ctf).unwrap();
    let pupils: Vec<&str> = xml.split("<Pupil>").skip(1).collect();
    let upn_of = |p: &str| p[p.find("<UPN>").unwrap() + 5..p.find("</UPN>").unwrap()].to_string();
    // The plan's primary need is given as OTH, so that pupil's need differs too.
    let need_at = |p: &str| -> Option<std::ops::Range<usize>> {
        let rank = p.find("<SENtypeRank>1</SENtypeRank>")?;
        let start = rank + p[rank..].find("<SENtype>")? + "<SENtype>".len();
        Some(start..start + p[start..].find('<')?)
    };
    let on_k = pupils
        .iter()
        .find(|p| p.rfind("<SENprovision>K</SENprovision>").is_some() && !p.contains("<SENprovision>E") && need_at(p).is_some_and(|r| &p[r] != "OTH"))
        .unwrap();
    let no_sen = pupils.iter().find(|p| !p.contains("<SENhistory>")).unwrap();
    let (k_upn, n_upn) = (upn_of(on_k), upn_of(no_sen));
    let mut to_e = on_k.replacen("<SENprovision>K</SENprovision>", "<SENprovision>E</SENprovision>", 1);
    to_e.replace_range(need_at(&to_e).unwrap(), "OTH");
    let to_k = no_sen.replace(
        "<Attendance>",
        "<SENhistory><SEN><StartDate>2026-10-01</StartDate><SENprovision>K</SENprovision></SEN><SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>MLD</SENtype></SENneed></SENneeds></SENhistory><Attendance>",
    );
    assert_ne!(&to_k, no_sen, "the pupil has attendance to put the history before");
    let changed = xml.replacen(*on_k, &to_e, 1).replacen(*no_sen, &to_k, 1);
    let changed_file = dir.path().join("changed.xml");
    std::fs::write(&changed_file, changed).unwrap();
    let before = census_view(&school, false);
    let out = ok(senco(&school, &["import", "ctf", changed_file.to_str().unwrap()]));
    assert!(out.contains("SEN differences for the office (the toolkit's record is kept): 4"), "{out}");
    assert_eq!(census_view(&school, false), before, "the toolkit's SEN records were not overwritten");
    let csv = ok(senco(&school, &["reconcile", "--format", "csv"]));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\u{FEFF}upn,pupil,nc_year,field,toolkit_value,mis_value,source,first_seen,last_seen");
    let mine: Vec<String> = lines[1..].iter().map(|l| { let f: Vec<&str> = l.split(',').collect(); format!("{} {} {} {}", f[0], f[3], f[4], f[5]) }).collect();
    assert_eq!(mine.len(), 4, "{csv}");
    assert!(mine.contains(&format!("{k_upn} SEN status K E")), "{mine:?}");
    assert!(mine.contains(&format!("{n_upn} SEN status N K")), "{mine:?}");
    assert!(mine.contains(&format!("{n_upn} primary need none MLD")), "{mine:?}");
    assert!(mine.iter().any(|m| m.starts_with(&format!("{k_upn} primary need ")) && m.ends_with(" OTH")), "{mine:?}");
    let json: serde_json::Value = serde_json::from_str(&ok(senco(&school, &["reconcile", "--format", "json"]))).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["items"].as_array().unwrap().len(), 4);
    // Importing the same file again records nothing new.
    assert!(ok(senco(&school, &["import", "ctf", changed_file.to_str().unwrap()])).contains("Nothing to change"));
}

/// A register's whole state as the CLI shows it, to prove a refused import changed nothing.
fn snapshot(db: &Path) -> (String, String) {
    (ok(senco(db, &["register", "list", "--all", "--format", "csv"])), ok(senco(db, &["reconcile", "--format", "csv"])))
}

#[test]
fn hostile_files_are_refused_with_a_reason_that_names_the_place_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, ctf) = demo_ctf(dir.path(), 60);
    let school = fresh(dir.path());
    ok(senco(&school, &["import", "ctf", ctf.to_str().unwrap()]));
    let good = std::fs::read_to_string(&ctf).unwrap();
    let first_upn = &good[good.find("<UPN>").unwrap() + 5..good.find("</UPN>").unwrap()];
    let mut wrong_letter = first_upn.to_string();
    wrong_letter.replace_range(0..1, if first_upn.starts_with('A') { "B" } else { "A" });
    let start = good.match_indices("<Pupil>").nth(1).unwrap().0;
    let second = &good[start..start + good[start..].find("</Pupil>").unwrap() + "</Pupil>".len()];
    let latin1 = {
        let mut bytes = good.replacen("</Surname>", "#</Surname>", 1).into_bytes();
        let at = bytes.iter().position(|&b| b == b'#').unwrap();
        bytes[at] = 0xE9;
        bytes
    };
    let headings = "UPN,Legal Surname,Legal Forename,DOB,Gender,Year\n";
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        ("ctf", "truncated.xml", good.as_bytes()[..good.len() / 2].to_vec(), "cut short"),
        ("ctf", "laughs.xml", b"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><CTfile>&b;</CTfile>".to_vec(), "document type"),
        ("ctf", "latin1.xml", latin1, "not UTF-8"),
        ("ctf", "empty.xml", Vec::new(), "empty"),
        ("ctf", "photo.xml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10".to_vec(), "not well-formed XML"),
        ("ctf", "twice.xml", good.replacen(second, &format!("{second}{second}"), 1).into_bytes(), "the same UPN is also given on record"),
        ("ctf", "letter.xml", good.replacen(first_upn, &wrong_letter, 1).into_bytes(), "check letter does not match"),
        ("csv", "columns.csv", format!("{}\n", vec!["x"; 100_000].join(",")).into_bytes(), "line 1: the row has more than 1000 cells"),
        ("csv", "empty.csv", Vec::new(), "empty"),
        ("csv", "sheet.csv", b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0\xb8".to_vec(), "not text"),
        ("csv", "headers.csv", headings.as_bytes().to_vec(), "heading line but no pupils"),
        ("csv", "dupes.csv", format!("{headings}Z886777726901,A,B,15/01/2019,F,Y3\nZ886777726901,C,D,16/01/2019,M,Y3\n").into_bytes(), "line 2 (UPN Z886777726901), UPN: the same UPN is also given on line 3"),
        ("csv", "letter.csv", format!("{headings}A886777726901,A,B,15/01/2019,F,Y3\n").into_bytes(), "line 2 (UPN A886777726901), UPN: \"A886777726901\" is not a valid UPN: the check letter does not match"),
        ("csv", "utf16.csv", "UPN,Surname\n".encode_utf16().flat_map(u16::to_le_bytes).collect(), "not text"),
    ];
    let before = snapshot(&school);
    for (kind, name, bytes, why) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, &bytes).unwrap();
        let out = senco(&school, &["import", kind, file.to_str().unwrap()]);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "{name}: {all}");
        assert!(all.contains(why), "{name}: expected {why:?} in\n{all}");
        assert!(all.contains("Nothing was imported"), "{name}: {all}");
        assert_eq!(snapshot(&school), before, "{name} changed the school");
    }
    let missing = senco(&school, &["import", "csv", dir.path().join("nowhere.csv").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("nowhere.csv could not be read"), "{}", text(&missing.stderr));
}

fn spawn_import(db: &Path, file: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(["import", "ctf"])
        .arg(file)
        .args(["--today", TODAY, "--db"])
        .arg(db)
        .env("SENCO_PASSPHRASE", PASSPHRASE)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("senco starts")
}

#[test]
fn two_imports_of_one_file_at_once_add_each_pupil_once() {
    let dir = tempfile::tempdir().unwrap();
    let (demo, ctf) = demo_ctf(dir.path(), 600);
    let school = fresh(dir.path());
    let (a, b) = (spawn_import(&school, &ctf), spawn_import(&school, &ctf));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let outputs = [text(&a.stdout), text(&b.stdout)];
    assert!(a.status.success() && b.status.success(), "{outputs:?}\n{}\n{}", text(&a.stderr), text(&b.stderr));
    assert_eq!(outputs.iter().filter(|o| o.contains("Imported: ")).count(), 1, "{outputs:?}");
    assert_eq!(outputs.iter().filter(|o| o.contains("Nothing to change")).count(), 1, "{outputs:?}");
    assert_eq!(census_view(&school, false), census_view(&demo, true));
    ok(senco(&school, &["check"]));
}

#[test]
fn an_import_killed_part_way_leaves_the_school_as_it_was_and_a_retry_works() {
    let dir = tempfile::tempdir().unwrap();
    let (demo, ctf) = demo_ctf(dir.path(), 2000);
    let school = fresh(dir.path());
    let expected = census_view(&demo, true);
    // Killed while it writes: as soon as it reports progress, part of the way through the
    // transaction.
    for _ in 0..3 {
        let mut child = spawn_import(&school, &ctf);
        let stderr = child.stderr.take().unwrap();
        let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
        let seen = lines.find(|l| l.as_ref().is_ok_and(|l| l.starts_with("Importing:")));
        child.kill().unwrap();
        let _ = child.wait();
        assert!(seen.is_some(), "the import reported progress before it was killed");
        ok(senco(&school, &["check"]));
        let now = census_view(&school, false);
        assert!(now.is_empty() || now == expected, "after a kill the register is untouched or whole: {} pupils", now.len());
    }
    ok(senco(&school, &["import", "ctf", ctf.to_str().unwrap()]));
    assert_eq!(census_view(&school, false), expected, "a retry completes the import");
}
