//! Evidence packs on the command line, on the demo school: readiness for each pack type, the
//! bundle built, verified, tampered with and built again byte for byte, with a password,
//! and refused with a reason when it cannot be made; consents, training, annual reviews and
//! the family summary.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2026-11-26";

fn senco(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senco")).args(args).args(["--today", TODAY, "--db"]).arg(db).env_remove("SENCO_PASSPHRASE").output().expect("senco runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

fn demo(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.senco");
    ok(Command::new(env!("CARGO_BIN_EXE_senco")).args(["demo", "--today", TODAY, "--db"]).arg(&db).output().unwrap());
    db
}

fn upns(db: &Path, status: &str) -> Vec<String> {
    ok(senco(db, &["register", "list", "--status", status, "--format", "csv"])).lines().skip(1).map(|l| l.split(',').next().unwrap().trim_start_matches('\u{FEFF}').to_string()).collect()
}

/// The first pupil (K or E) whose check for `kind` exits with `code`.
fn pupil_with(db: &Path, kind: &str, code: i32) -> Option<String> {
    let mut all = upns(db, "E");
    all.extend(upns(db, "K"));
    all.into_iter().find(|u| senco(db, &["pack", "check", "--pupil", u, "--type", kind]).status.code() == Some(code))
}

/// The PDF and zip tools the checks use; `.ci/install` installs them (poppler-utils, qpdf,
/// p7zip-full). A missing tool fails the test rather than skipping what it checks.
fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().is_ok() || Command::new(tool).output().is_ok();
    assert!(found, "{tool} is not installed: run `bash .ci/install`");
    found
}

/// The bundle's `pack.pdf`, written into `dir` for the PDF tools to read.
fn pack_pdf(bundle: &[u8], dir: &Path) -> std::path::PathBuf {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bundle)).unwrap();
    let mut pdf = Vec::new();
    zip.by_name("pack.pdf").unwrap().read_to_end(&mut pdf).unwrap();
    let path = dir.join("pack.pdf");
    std::fs::write(&path, &pdf).unwrap();
    path
}

/// The PDF's text as `pdftotext -layout` lays it out.
fn pdf_text(pdf: &Path) -> String {
    text(&Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().unwrap().stdout)
}

#[test]
fn the_demo_has_pupils_ready_and_not_ready_for_each_pack() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    for kind in ["ehcna", "hnf", "lift"] {
        assert!(pupil_with(&db, kind, 0).is_some(), "a demo pupil is ready for the {kind} pack");
        assert!(pupil_with(&db, kind, 1).is_some(), "a demo pupil is not ready for the {kind} pack");
    }
}

#[test]
fn a_pack_is_built_verifies_fails_when_tampered_and_is_the_same_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let upn = pupil_with(&db, "ehcna", 0).expect("a ready pupil");
    let out = dir.path().join("out");
    let first = ok(senco(&db, &["pack", "build", "--pupil", &upn, "--type", "ehcna", "--out", out.to_str().unwrap()]));
    let mut lines = first.lines();
    let (path, sha) = (lines.next().unwrap().to_string(), lines.next().unwrap().to_string());
    assert!(path.ends_with(&format!("ehcna-pack-{upn}-{TODAY}.zip")), "{path}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "the bundle is readable by its owner only");
    }
    let bytes = std::fs::read(&path).unwrap();
    // The same data on the same day gives the same bytes.
    let second = ok(senco(&db, &["pack", "build", "--pupil", &upn, "--type", "ehcna", "--out", out.to_str().unwrap()]));
    assert_eq!(second.lines().nth(1).unwrap(), sha, "the same command twice gives the same SHA-256");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "no temporary file is left behind");
    assert!(ok(senco(&db, &["pack", "verify", &path])).contains("files match the manifest"));

    // What the bundle holds.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    for name in ["pack.pdf", "data.json", "manifest.json"] {
        assert!(names.contains(&name.to_string()), "{names:?}");
    }
    let mut manifest = String::new();
    zip.by_name("manifest.json").unwrap().read_to_string(&mut manifest).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(manifest["pack"], "ehcna");
    assert_eq!(manifest["schemaVersion"], 1);
    assert!(manifest["rulesVersion"].as_str().is_some() && manifest["appVersion"].as_str().is_some());
    let mut data = String::new();
    zip.by_name("data.json").unwrap().read_to_string(&mut data).unwrap();
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!((data["schemaVersion"].clone(), data["pupil"]["upn"].clone()), (serde_json::json!(1), serde_json::json!(upn)));
    for a in data["attachments"].as_array().unwrap() {
        let p = a["path"].as_str().unwrap();
        assert!(p.starts_with("attachments/") && !p.contains("..") && names.contains(&p.to_string()), "{p}");
    }
    let pdf_path = pack_pdf(&bytes, dir.path());
    if have("pdftotext") {
        let words = pdf_text(&pdf_path);
        for section in senco_core::pack::SECTIONS {
            assert!(words.contains(section), "the PDF has section {section}");
        }
        assert!(words.contains("OFFICIAL-SENSITIVE") && words.contains("Page 1 of") && words.contains("Contents"));
        // Issue 21 §3: each attainment measure shows the level expected for the pupil's age
        // beside its score, as recorded in the assessment (or "Not recorded").
        let measures = data["measures"].as_array().unwrap();
        assert!(!measures.is_empty(), "a ready pupil has measures");
        let flat = words.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Expected for age"), "section J has the column");
        for m in measures {
            let expected = m["expected"].as_str().unwrap();
            let shown = if expected.is_empty() { "Not recorded" } else { "85 to 115" };
            assert!(flat.contains(shown), "{m}");
        }
    }
    if have("qpdf") {
        let check = Command::new("qpdf").arg("--check").arg(&pdf_path).output().unwrap();
        assert!(check.status.success(), "{}", text(&check.stdout));
    }

    // A byte flipped inside the PDF's data: verify names the file and exits 1.
    let flipped = dir.path().join("flipped.zip");
    let mut broken = bytes.clone();
    let at = broken.windows(8).position(|w| w == b"pack.pdf").unwrap() + 400;
    broken[at] ^= 0x55;
    std::fs::write(&flipped, &broken).unwrap();
    let verify = senco(&db, &["pack", "verify", flipped.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(1), "{}", text(&verify.stderr));
    assert!(text(&verify.stdout).contains("pack.pdf:"), "{}", text(&verify.stdout));

    // A bundle rewritten with different data but the old manifest: the file is named.
    let rewritten = dir.path().join("rewritten.zip");
    {
        let mut writer = zip::ZipWriter::new(std::fs::File::create(&rewritten).unwrap());
        for name in &names {
            let mut content = Vec::new();
            zip.by_name(name).unwrap().read_to_end(&mut content).unwrap();
            if name == "data.json" {
                content = b"{\"tampered\": true}".to_vec();
            }
            writer.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            writer.write_all(&content).unwrap();
        }
        writer.finish().unwrap();
    }
    let verify = senco(&db, &["pack", "verify", rewritten.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(text(&verify.stdout).contains("data.json: its size is"), "{}", text(&verify.stdout));
    // Something that is not a bundle at all.
    let notzip = dir.path().join("notes.zip");
    std::fs::write(&notzip, b"hello").unwrap();
    let verify = senco(&db, &["pack", "verify", notzip.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(text(&verify.stderr).contains("notes.zip is not an evidence pack bundle"), "{}", text(&verify.stderr));
}

/// The held-back check found "Year 0" on a Reception pupil's pack: the pack named the year
/// group with its own words instead of the core's `year_name`. Every year group the demo
/// holds, from Reception to Year 6, is named in the pack as the register names it.
#[test]
fn a_reception_pupils_pack_says_reception_never_year_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let csv = ok(senco(&db, &["register", "list", "--year", "R", "--status", "K", "--format", "csv"]));
    let upn = csv.lines().nth(1).expect("the demo has a Reception pupil on SEN support").split(',').next().unwrap().trim_start_matches('\u{FEFF}').to_string();
    let out = dir.path().join("out");
    let built = ok(senco(&db, &["pack", "build", "--pupil", &upn, "--type", "ehcna", "--out", out.to_str().unwrap()]));
    let pdf_path = pack_pdf(&std::fs::read(built.lines().next().unwrap()).unwrap(), dir.path());
    if have("pdftotext") {
        let words = pdf_text(&pdf_path);
        let named: Vec<&str> = words.lines().filter(|l| l.contains("National curriculum year") || l.contains("Year group")).collect();
        assert_eq!(named.len(), 2, "the cover and section A name the year group: {named:?}");
        for line in named {
            assert!(line.trim_end().ends_with("Reception"), "{line}");
        }
        assert!(!words.contains("Year 0") && !words.contains("Year -1"), "no year group is a number below 1");
    }
}

#[test]
fn a_password_protects_every_file_and_verify_asks_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let upn = pupil_with(&db, "lift", 0).expect("a pupil ready for LIFT");
    let pw = dir.path().join("pw.txt");
    std::fs::write(&pw, "correct horse battery\n").unwrap();
    let out = dir.path().join("out");
    let built = senco(&db, &["pack", "build", "--pupil", &upn, "--type", "lift", "--out", out.to_str().unwrap(), "--password-file", pw.to_str().unwrap()]);
    let path = ok_owned(&built).lines().next().unwrap().to_string();
    assert!(text(&built.stderr).contains("7-Zip"), "the sender is told which tools open it: {}", text(&built.stderr));
    let without = senco(&db, &["pack", "verify", &path]);
    assert_eq!(without.status.code(), Some(1));
    assert!(text(&without.stderr).contains("password-protected"), "{}", text(&without.stderr));
    assert!(ok(senco(&db, &["pack", "verify", &path, "--password-file", pw.to_str().unwrap()])).contains("files match"));
    std::fs::write(&pw, "wrong password here\n").unwrap();
    let wrong = senco(&db, &["pack", "verify", &path, "--password-file", pw.to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(1));
    if have("7z") {
        let listed = Command::new("7z").args(["t", "-pcorrect horse battery", &path]).output().unwrap();
        assert!(listed.status.success(), "7-Zip opens the bundle: {}", text(&listed.stdout));
    }
    std::fs::write(&pw, "short\n").unwrap();
    let short = senco(&db, &["pack", "build", "--pupil", &upn, "--type", "lift", "--out", out.to_str().unwrap(), "--password-file", pw.to_str().unwrap()]);
    assert_eq!(short.status.code(), Some(1));
    assert!(text(&short.stderr).contains("at least 10 characters"), "{}", text(&short.stderr));
}

fn ok_owned(out: &Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn a_pack_that_cannot_be_made_says_why_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let none = upns(&db, "N").into_iter().next().unwrap();
    let refused = senco(&db, &["pack", "build", "--pupil", &none, "--type", "ehcna", "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("is for a pupil on SEN support or with an EHC plan; this pupil's status is No SEN"), "{}", text(&refused.stderr));
    // An output "folder" that is a file.
    let upn = upns(&db, "K").into_iter().next().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    let refused = senco(&db, &["pack", "build", "--pupil", &upn, "--type", "ehcna", "--out", file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("not-a-folder"), "the message names the folder: {}", text(&refused.stderr));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing is left behind");
}

#[test]
fn hostile_text_and_long_fields_print_without_being_cut_or_reordered() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let upn = upns(&db, "K").into_iter().next().unwrap();
    let long = "Consent covers the school's records and reports. ".repeat(100);
    // A field past its limit is refused with the limit named, and nothing is stored.
    let too_long = senco(&db, &["consent", "add", "--pupil", &upn, "--kind", "share-information", "--given-by", "Mother", "--date", "2026-01-05", "--scope", &"x".repeat(10_000)]);
    assert!(text(&too_long.stderr).contains("at most 5000 are allowed"), "{}", text(&too_long.stderr));
    // Direction overrides and control characters are refused at the door...
    let bidi = senco(&db, &["consent", "add", "--pupil", &upn, "--kind", "share-information", "--given-by", "Mother \u{202E}evil", "--date", "2026-01-05"]);
    assert_eq!(bidi.status.code(), Some(1), "{}", text(&bidi.stderr));
    // ...and HTML and a 10,000-character scope are kept as text.
    ok(senco(&db, &["consent", "add", "--pupil", &upn, "--kind", "share-information", "--given-by", "Mother <b>Jane</b>", "--date", "2026-01-05", "--scope", &long]));
    let out = dir.path().join("out");
    let path = ok(senco(&db, &["pack", "build", "--pupil", &upn, "--type", "ehcna", "--out", out.to_str().unwrap()])).lines().next().unwrap().to_string();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut pdf = Vec::new();
    zip.by_name("pack.pdf").unwrap().read_to_end(&mut pdf).unwrap();
    let pdf_path = dir.path().join("pack.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    if have("pdftotext") {
        let words = text(&Command::new("pdftotext").arg(&pdf_path).arg("-").output().unwrap().stdout);
        assert!(words.contains("<b>Jane</b>"), "HTML prints as the text it is");
        let repeats = words.matches("reports.").count();
        assert!(repeats >= 100, "the long scope is printed whole over the pages, not cut ({repeats} of 100)");
    }
}

#[test]
fn annual_reviews_training_and_the_family_summary() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let k = upns(&db, "K").into_iter().next().unwrap();
    // A consent is withdrawn once, and the check then says so.
    ok(senco(&db, &["consent", "add", "--pupil", &k, "--kind", "lift-agreement", "--given-by", "Carer", "--date", "2026-02-01"]));
    let listed: serde_json::Value = serde_json::from_str(&ok(senco(&db, &["consent", "list", "--pupil", &k, "--format", "json"]))).unwrap();
    let id = listed.as_array().unwrap().iter().find(|c| c["givenBy"] == "Carer").unwrap()["id"].as_i64().unwrap().to_string();
    ok(senco(&db, &["consent", "withdraw", "--id", &id, "--date", "2026-03-01"]));
    let twice = senco(&db, &["consent", "withdraw", "--id", &id, "--date", "2026-04-01"]);
    assert!(text(&twice.stderr).contains("already withdrawn on 1 Mar 2026"), "{}", text(&twice.stderr));
    let refused = senco(&db, &["review", "start", "--pupil", &k, "--last", "2026-01-10"]);
    assert!(text(&refused.stderr).contains("has no EHC plan"), "{}", text(&refused.stderr));
    // Every demo pupil with a plan has its reviews tracked; one is due within the worklist's window or late.
    let worklist: serde_json::Value = serde_json::from_str(&ok(senco(&db, &["worklist", "--format", "json"]))).unwrap();
    let reviews: Vec<&serde_json::Value> = worklist["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "annual_review_due").collect();
    assert!(!reviews.is_empty(), "the demo's worklist shows annual reviews due");
    let e = reviews[0]["upn"].as_str().unwrap();
    let shown = ok(senco(&db, &["review", "show", "--pupil", e]));
    assert!(shown.contains("The annual review meeting is held"), "{shown}");
    ok(senco(&db, &["review", "record", "--pupil", e, "--step", "meeting", "--date", "2026-11-20"]));
    let early = senco(&db, &["review", "record", "--pupil", e, "--step", "papers", "--date", "2026-11-21"]);
    assert!(text(&early.stderr).contains("by the meeting"), "papers after the meeting are refused: {}", text(&early.stderr));
    ok(senco(&db, &["review", "record", "--pupil", e, "--step", "report", "--date", "2026-11-25"]));
    let next: serde_json::Value = serde_json::from_str(&ok(senco(&db, &["review", "show", "--pupil", e, "--format", "json"]))).unwrap();
    assert_eq!(next["dates"]["last"], "2026-11-20", "the report starts the next year's review from the meeting");
    let step = |key: &str| next["steps"].as_array().unwrap().iter().find(|s| s["key"] == key).unwrap().clone();
    assert_eq!(step("meeting")["due"], "2027-11-20");
    assert_eq!(step("laDecision")["due"], "2026-12-18", "the LA decides within 4 weeks of the meeting (reg 20(10))");
    ok(senco(&db, &["review", "record", "--pupil", e, "--step", "la-amends", "--date", "2026-11-26"]));
    let early = senco(&db, &["review", "record", "--pupil", e, "--step", "amended-plan", "--date", "2026-11-26"]);
    assert!(text(&early.stderr).contains("before the amended plan"), "{}", text(&early.stderr));
    ok(senco(&db, &["review", "record", "--pupil", e, "--step", "amendments", "--date", "2026-11-26"]));
    let shown = ok(senco(&db, &["review", "show", "--pupil", e]));
    assert!(shown.contains("the family has until 10 Dec 2026, and may take longer if the LA allows"), "{shown}");
    assert!(shown.contains("The LA issues the amended plan") && shown.contains("21 Jan 2027"), "8 weeks from 26 November: {shown}");

    ok(senco(&db, &["training", "add", "--staff", "Two TAs", "--course", "Makaton level 1", "--date", "2026-10-01", "--area", "ci"]));
    assert!(ok(senco(&db, &["training", "list"])).contains("Makaton level 1: Two TAs"));
    let bad = senco(&db, &["training", "add", "--staff", "", "--course", "x", "--date", "2027-01-01"]);
    assert_eq!(bad.status.code(), Some(1));

    let summary = dir.path().join("summary.pdf");
    let with_plan = upns(&db, "K").into_iter().find(|u| senco(&db, &["summary", "--pupil", u, "--out", summary.to_str().unwrap()]).status.success()).expect("a pupil with a plan");
    let pdf = std::fs::read(&summary).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if have("pdftotext") && have("pdfinfo") {
        let words = text(&Command::new("pdftotext").arg(&summary).arg("-").output().unwrap().stdout);
        for heading in ["What we are working on", "What we do to help", "When we next meet"] {
            assert!(words.contains(heading), "{with_plan}: {words}");
        }
        let info = text(&Command::new("pdfinfo").arg(&summary).output().unwrap().stdout);
        let pages: u32 = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
        assert!((1..=2).contains(&pages), "the family summary is one or two pages, not {pages}");
    }
}

/// Held back last time: "Year 0" in a Reception pupil's pack, from a label retyped beside
/// the core's `year_name`. Every output of the demo school (the register as CSV, JSON and a
/// table, a pupil's record, a pack, the family summary, a subject-access export, the
/// governors' PDF, web page and JSON, the provision map and the worklist) is searched for a
/// year group written as a number below 1, with a Reception and a Nursery pupil on roll.
#[test]
fn no_output_of_the_demo_school_calls_a_year_group_year_0_or_year_minus_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let nursery = senco_core::upn::Upn::from_parts(886, 2999, 2026, 901).to_string();
    ok(senco(&db, &["pupil", "add", "--upn", &nursery, "--forename", "Nia", "--surname", "Tern", "--dob", "2022-11-01", "--sex", "F", "--year", "N2", "--admitted", "2026-09-07"]));
    let csv = ok(senco(&db, &["register", "list", "--year", "R", "--status", "K", "--format", "csv"]));
    let reception = csv.lines().nth(1).expect("a Reception pupil on SEN support").split(',').next().unwrap().trim_start_matches('\u{FEFF}').to_string();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut outputs: Vec<(String, String)> = Vec::new();
    for args in [
        vec!["register", "list", "--all", "--format", "csv"],
        vec!["register", "list", "--all", "--format", "json"],
        vec!["register", "list", "--all"],
        vec!["pupil", "show", &reception],
        vec!["pupil", "show", &nursery],
        vec!["provision-map", "--format", "csv"],
        vec!["provision-map"],
        vec!["worklist", "--format", "json"],
    ] {
        outputs.push((args.join(" "), ok(senco(&db, &args))));
    }
    let built = ok(senco(&db, &["pack", "build", "--pupil", &reception, "--type", "ehcna", "--out", out.to_str().unwrap()]));
    let bundle = std::fs::read(built.lines().next().unwrap()).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bundle)).unwrap();
    let mut data = String::new();
    zip.by_name("data.json").unwrap().read_to_string(&mut data).unwrap();
    outputs.push(("the pack's data.json".into(), data));
    outputs.push(("the pack's PDF".into(), pdf_text(&pack_pdf(&bundle, dir.path()))));
    let summary = out.join("summary.pdf");
    ok(senco(&db, &["summary", "--pupil", &reception, "--out", summary.to_str().unwrap()]));
    outputs.push(("the family summary".into(), pdf_text(&summary)));
    let sar = std::path::PathBuf::from(ok(senco(&db, &["sar", "--pupil", &reception, "--out", out.to_str().unwrap()])).trim());
    outputs.push(("the subject-access record".into(), pdf_text(&sar.join("record.pdf"))));
    outputs.push(("the subject-access JSON".into(), std::fs::read_to_string(sar.join("record.json")).unwrap()));
    for format in ["pdf", "html", "json"] {
        let folder = out.join(format!("governors-{format}"));
        std::fs::create_dir(&folder).unwrap();
        ok(senco(&db, &["governors", "--format", format, "--out", folder.to_str().unwrap()]));
        let file = std::fs::read_dir(&folder).unwrap().next().unwrap().unwrap().path();
        let words = if format == "pdf" { pdf_text(&file) } else { std::fs::read_to_string(&file).unwrap() };
        outputs.push((format!("the governors' {format}"), words));
    }
    assert!(outputs.iter().any(|(_, words)| words.contains("Reception")), "some output names Reception");
    assert!(outputs.iter().any(|(_, words)| words.contains("Nursery")), "some output names Nursery");
    for (what, words) in &outputs {
        for wrong in ["Year 0", "Year -1", "Year −1", "Y0", "Y-1"] {
            assert!(!words.contains(wrong), "{what} says {wrong:?}");
        }
    }
}
