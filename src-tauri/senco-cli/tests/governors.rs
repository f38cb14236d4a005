//! The governors' summary and the trust roll-up on the command line, on real demo schools:
//! no output names a pupil, every format is written and stays put, and a roll-up of
//! generated schools works and refuses files it cannot merge, naming them.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-11-26";

fn senco(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senco")).args(args).args(["--today", TODAY, "--db"]).arg(db).env_remove("SENCO_PASSPHRASE").output().expect("senco runs")
}

fn bare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senco")).args(args).args(["--today", TODAY]).env_remove("SENCO_PASSPHRASE").output().expect("senco runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

fn demo(dir: &Path, pupils: u32, seed: u32) -> PathBuf {
    let db = dir.join(format!("demo-{pupils}-{seed}.senco"));
    ok(Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(["demo", "--today", TODAY, "--pupils", &pupils.to_string(), "--seed", &seed.to_string(), "--years", "5", "--db"])
        .arg(&db)
        .output()
        .unwrap());
    db
}

/// What would name a pupil: full names, hyphenated surnames, UPNs and dates of birth in the
/// ways the app writes dates, from every pupil ever on roll.
fn identifiers(db: &Path) -> Vec<String> {
    let csv = ok(senco(db, &["register", "list", "--all", "--format", "csv"]));
    let mut out = Vec::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (upn, surname, forename, dob) = (f[0].trim_start_matches('\u{FEFF}'), f[1], f[2], f[3]);
        out.push(upn.to_string());
        out.push(format!("{forename} {surname}"));
        if surname.contains('-') || surname.contains('\'') {
            out.push(surname.to_string());
        }
        let date: chrono::NaiveDate = dob.parse().expect("iso date of birth");
        // Census days are printed as dates too; a birthday on one is not a disclosure.
        use chrono::Datelike;
        let thursday = date.weekday() == chrono::Weekday::Thu;
        let census_day = thursday && ((matches!(date.month(), 1 | 5) && (15..=21).contains(&date.day())) || (date.month() == 10 && date.day() <= 7));
        if !census_day {
            out.push(dob.to_string());
            out.push(date.format("%-d %b %Y").to_string());
            out.push(date.format("%d/%m/%Y").to_string());
        }
    }
    out
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().expect("pdftotext is installed (.ci/install)");
    assert!(out.status.success(), "pdftotext reads {}", pdf.display());
    text(&out.stdout)
}

#[test]
fn no_governor_output_names_a_pupil_from_tiny_to_large_schools() {
    let dir = tempfile::tempdir().unwrap();
    for (pupils, seed) in [(30, 1), (30, 7), (120, 3), (1500, 2)] {
        let db = demo(dir.path(), pupils, seed);
        let ids = identifiers(&db);
        assert!(ids.len() >= pupils as usize, "the register lists every pupil");
        let out = dir.path().join(format!("out-{pupils}-{seed}"));
        let mut outputs = Vec::new();
        for format in ["pdf", "html", "json"] {
            let path = PathBuf::from(ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", format])).trim());
            let body = if format == "pdf" { pdf_text(&path) } else { std::fs::read_to_string(&path).unwrap() };
            assert!(body.contains("not shown (c)"), "{format} states the method");
            outputs.push((format, body));
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} is readable by its owner only", path.display());
        }
        for (format, body) in &outputs {
            for id in &ids {
                assert!(!body.contains(id.as_str()), "the {format} summary of a {pupils}-pupil school contains {id:?}");
            }
        }
        // Every published count is 0, at least 5, or c.
        let json: serde_json::Value = serde_json::from_str(&outputs[2].1).unwrap();
        for t in json["tables"].as_array().unwrap() {
            for r in t["rows"].as_array().unwrap() {
                for c in r["cells"].as_array().unwrap().iter().map(|c| &c["count"]).chain([&r["total"]]) {
                    assert!(c == "c" || c.as_u64().is_some_and(|n| n == 0 || n >= 5), "{} / {}: {c}", t["id"], r["label"]);
                }
            }
        }
    }
}

#[test]
fn a_primary_schools_summary_compares_it_with_primary_schools_and_a_secondary_with_secondary() {
    // Issue 21 §5, "Done means": the governors' summary of a primary school compares with
    // primary figures, not with all schools (special schools push the EHC plan share up).
    let dir = tempfile::tempdir().unwrap();
    for (pupils, against, not) in [(200, "State-funded primary schools", "State-funded secondary"), (1000, "State-funded secondary schools", "State-funded primary")] {
        let db = demo(dir.path(), pupils, 4);
        let out = dir.path().join(format!("out-{pupils}"));
        let pdf = PathBuf::from(ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "pdf"])).trim());
        let flat = pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Compared with") && flat.contains(against), "a {pupils}-pupil demo school: {flat}");
        assert!(!flat.contains(not) && !flat.contains("All schools in England"), "a {pupils}-pupil demo school: {flat}");
        let json = ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "json"]));
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json.trim()).unwrap()).unwrap();
        let ehc = json["comparisons"].as_array().unwrap().iter().find(|c| c["label"] == "With an EHC plan (E)").unwrap();
        assert!(ehc["national"].as_f64().unwrap() < 3.0, "a mainstream phase's EHC plan share, not all schools' 5.3%: {ehc}");
    }
}

#[test]
fn each_format_is_written_once_and_a_rerun_finds_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), 200, 1);
    let out = dir.path().join("board pack");
    let first = ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "pdf"]));
    let again = ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "pdf"]));
    assert_eq!(first, again, "the same summary is the same file, not a second copy");
    // A changed summary never replaces the earlier file: it gets a name of its own.
    let before = std::fs::read(first.trim()).unwrap();
    ok(senco(&db, &["budget", "--set", "50000"]));
    let changed = ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "pdf"]));
    assert_ne!(changed, first, "a different summary is a different file");
    assert!(changed.trim().ends_with("-2.pdf"), "{changed}");
    assert_eq!(std::fs::read(first.trim()).unwrap(), before, "the first file is untouched");
    let pdf = PathBuf::from(first.trim());
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    for heading in ["At a glance", "Charts", "Tables", "Pupils on the SEN register", "Smallest count shown: 5."] {
        assert!(text.contains(heading), "the PDF shows {heading:?}");
    }
    // The areas of need are shown, or left out with the reason (in a school of 200 a small
    // area's pupils are often all on SEN support, which would say so of each of them).
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Broad area of need"), "the PDF shows the areas or says why not");
    // A higher threshold is a different summary, in a file of its own.
    let raised = ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "json", "--threshold", "10"]));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(raised.trim()).unwrap()).unwrap();
    assert_eq!(json["threshold"], 10);
    // Lowering it is refused, with the reason.
    let low = senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "json", "--threshold", "3"]);
    assert!(!low.status.success());
    assert!(text_of(&low).contains("not lowered below 5"), "{}", text_of(&low));
    // The aggregate for the trust is marked and exact.
    let agg = ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "aggregate"]));
    let agg: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(agg.trim()).unwrap()).unwrap();
    assert_eq!(agg["marking"], "OFFICIAL-SENSITIVE");
    assert_eq!(agg["kind"], "aggregate");
    // A census day that has not happened is refused.
    let future = senco(&db, &["governors", "--out", out.to_str().unwrap(), "--census", "15/01/2027"]);
    assert!(!future.status.success() && text_of(&future).contains("has not happened yet"), "{}", text_of(&future));
}

fn text_of(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

#[test]
fn a_folder_that_cannot_be_made_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), 60, 1);
    // A file where the folder should be: refused whoever runs it, root included.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let out = senco(&db, &["governors", "--out", blocker.join("summaries").to_str().unwrap(), "--format", "html"]);
    assert!(!out.status.success());
    assert!(text_of(&out).contains("not-a-folder"), "{}", text_of(&out));
    assert_eq!(std::fs::read(&blocker).unwrap(), b"x");
    let before: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(before.iter().all(|n| !n.to_string_lossy().contains(".tmp")), "no temporary file is left: {before:?}");
}

#[test]
fn a_roll_up_of_generated_schools_merges_and_refuses_what_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("trust");
    let listed = ok(bare(&["demo", "--schools", "4", "--pupils", "150", "--aggregates", folder.to_str().unwrap()]));
    let files: Vec<String> = listed.lines().map(str::to_string).collect();
    assert_eq!(files.len(), 4);
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 4, "only the four files remain: the scratch schools are gone");
    let out = dir.path().join("rollup");
    let mut args = vec!["rollup"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--out", out.to_str().unwrap(), "--format", "json"]);
    let published = ok(bare(&args));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(published.trim()).unwrap()).unwrap();
    let schools = json["tables"].as_array().unwrap().iter().find(|t| t["id"] == "schools").expect("a school-by-school table");
    assert_eq!(schools["rows"].as_array().unwrap().len(), 4);
    // The trust's roll is the sum of the schools' exact rolls.
    let exact: u64 = files
        .iter()
        .map(|f| {
            let a: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
            let register = a["tables"].as_array().unwrap().iter().find(|t| t["id"] == "register").unwrap().clone();
            register["rows"].as_array().unwrap().iter().map(|r| r["cells"][0].as_u64().unwrap()).sum::<u64>()
        })
        .sum();
    let register = json["tables"].as_array().unwrap().iter().find(|t| t["id"] == "register").unwrap();
    assert_eq!(register["grand_total"].as_u64(), Some(exact));
    for format in ["pdf", "html"] {
        let mut args = vec!["rollup"];
        args.extend(files.iter().map(String::as_str));
        args.extend(["--out", out.to_str().unwrap(), "--format", format]);
        assert!(Path::new(ok(bare(&args)).trim()).exists());
    }

    // A school from another census is refused, and the file is named.
    let other = dir.path().join("other");
    let db = demo(dir.path(), 60, 9);
    let odd = ok(senco(&db, &["governors", "--out", other.to_str().unwrap(), "--format", "aggregate", "--census", "2026-05-21"]));
    let mut args = vec!["rollup", files[0].as_str(), odd.trim(), "--out", out.to_str().unwrap()];
    let refused = bare(&args);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text_of(&refused).contains(odd.trim()) && text_of(&refused).contains("21 May 2026"), "{}", text_of(&refused));
    // So is a published file, which has lost its small counts.
    let published_file = published.trim().to_string();
    args = vec!["rollup", files[0].as_str(), published_file.as_str(), "--out", out.to_str().unwrap()];
    let refused = bare(&args);
    assert!(!refused.status.success() && text_of(&refused).contains("published summary"), "{}", text_of(&refused));
    // And a damaged one.
    let damaged = dir.path().join("damaged.json");
    std::fs::write(&damaged, "{\"kind\": \"aggregate\", \"schema_version\": 1, \"tables\": [").unwrap();
    args = vec!["rollup", files[0].as_str(), damaged.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let refused = bare(&args);
    assert!(!refused.status.success() && text_of(&refused).contains("damaged.json"), "{}", text_of(&refused));
}

#[test]
fn the_budget_and_the_national_figures_are_the_senco_s_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), 60, 1);
    assert!(ok(senco(&db, &["budget"])).contains("not recorded"));
    assert!(ok(senco(&db, &["budget", "--set", "84,000.50"])).contains("£84,000.50"));
    let bad = senco(&db, &["budget", "--set", "lots"]);
    assert!(!bad.status.success() && text_of(&bad).contains("\"lots\""));
    let out = dir.path().join("out");
    let json = ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json.trim()).unwrap()).unwrap();
    let budget = v["measures"].as_array().unwrap().iter().find(|m| m["id"] == "budget").unwrap();
    assert_eq!(budget["value"], "£84,000.50");

    assert!(ok(senco(&db, &["national"])).contains("2025"));
    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, r#"{"name":"Newer","updated":"2026-06-11","figures":[{"year":2026,"measure":"ehc_plan_pct","value":5.9,"source":"https://example.org/x"}]}"#).unwrap();
    assert!(ok(senco(&db, &["national", "--load", newer.to_str().unwrap()])).contains("Newer"));
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, r#"{"name":"Broken","updated":"2026-06-11","figures":[{"year":2026,"measure":"ehc_plan_pct","value":500,"source":"s"}]}"#).unwrap();
    let refused = senco(&db, &["national", "--load", broken.to_str().unwrap()]);
    assert!(!refused.status.success() && text_of(&refused).contains("broken.json") && text_of(&refused).contains("not a percentage"), "{}", text_of(&refused));
    assert!(ok(senco(&db, &["national"])).contains("Newer"), "a refused file changes nothing");
}

#[test]
fn the_senco_records_the_duties_governors_must_see_and_the_summary_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), 60, 1);
    assert!(ok(senco(&db, &["duties"])).contains("SENCO: not recorded"));
    let set = ok(senco(&db, &["duties", "--senco-name", "Ms A Example", "--qualification", "working-towards", "--appointed", "02/09/2024", "--sen-report-reviewed", "14 Jul 2025"]));
    assert!(set.contains("SENCO: Ms A Example") && set.contains("To be gained by 2 September 2027"), "{set}");
    // An option changes only what it names.
    let again = ok(senco(&db, &["duties", "--accessibility-plan-reviewed", "2024-03-01"]));
    assert!(again.contains("SENCO: Ms A Example") && again.contains("Accessibility plan last reviewed: 1 March 2024"), "{again}");
    // A bad stage or a date after today is refused by name, and changes nothing.
    for (args, why) in [(["--qualification", "nope"], "give one of held, working-towards, not-started"), (["--sen-report-reviewed", "2099-01-01"], "is after today")] {
        let refused = senco(&db, &[&["duties"][..], &args[..]].concat());
        assert!(!refused.status.success() && text_of(&refused).contains(why), "{}", text_of(&refused));
    }
    assert!(ok(senco(&db, &["duties"])).contains("SEN information report last reviewed: 14 July 2025"));
    let audit = ok(senco(&db, &["audit", "--format", "csv"]));
    assert_eq!(audit.matches("set-duties").count(), 2, "one audit entry for each change");
    let out = dir.path().join("out");
    let json = ok(senco(&db, &["governors", "--out", out.to_str().unwrap(), "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json.trim()).unwrap()).unwrap();
    let measure = |id: &str| v["measures"].as_array().unwrap().iter().find(|m| m["id"] == id).unwrap().clone();
    assert_eq!(measure("senco")["value"], "Ms A Example");
    assert_eq!(measure("senco_qualification")["value"], "Working towards it");
    assert_eq!(measure("sen_report")["value"], "14 July 2025");
    assert_eq!(measure("accessibility_plan")["value"], "1 March 2024");
}

/// The files under final names in `folder` (not the temporary ones a run writes through).
fn outputs(folder: &Path) -> std::collections::BTreeSet<PathBuf> {
    match std::fs::read_dir(folder) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).filter(|p| !p.to_string_lossy().contains(".tmp-")).collect(),
        Err(_) => Default::default(),
    }
}

/// Temporary files left in `folder`.
fn temporaries(folder: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(folder) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().contains(".tmp-")).collect(),
        Err(_) => Vec::new(),
    }
}

/// The files in `folder` the audit trail says governor outputs were written to.
fn audited_in(db: &Path, folder: &Path) -> std::collections::BTreeSet<PathBuf> {
    audited(db).into_iter().filter(|p| p.parent() == Some(folder)).collect()
}

/// The files the audit trail says governor outputs were written to.
fn audited(db: &Path) -> std::collections::BTreeSet<PathBuf> {
    let store = senco_core::Store::open(db, senco_core::Unlock::Demo).unwrap();
    store
        .audit(&senco_core::store::AuditQuery { limit: Some(10_000), ..Default::default() })
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "governor-export")
        .map(|e| PathBuf::from(e.summary.rsplit_once(": ").expect("the entry names the file").1))
        .collect()
}

fn governors_cmd(db: &Path, out: &Path, format: &str, threshold: u32) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_senco"));
    command
        .args(["governors", "--out", out.to_str().unwrap(), "--format", format, "--threshold", &threshold.to_string()])
        .args(["--today", TODAY, "--db"])
        .arg(db)
        .env_remove("SENCO_PASSPHRASE");
    command
}

#[test]
fn an_output_made_while_another_program_holds_the_school_leaves_no_file_and_no_audit_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), 60, 4);
    let out = dir.path().join("board pack");
    // Another program takes the write lock and keeps it for 15 seconds, past the busy timeout.
    let (taken, wait) = std::sync::mpsc::channel();
    let holder = {
        let db = db.clone();
        std::thread::spawn(move || {
            let mut store = senco_core::Store::open(&db, senco_core::Unlock::Demo).unwrap();
            let stamp = senco_core::Stamp::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
            let lock = store.hold_write_lock(stamp).unwrap();
            taken.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_secs(15));
            drop(lock);
        })
    };
    wait.recv().unwrap();
    // The busy timeout is 10 seconds: the output gives up while the lock is still held.
    let refused = governors_cmd(&db, &out, "pdf", 5).output().unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", text_of(&refused));
    assert!(text_of(&refused).contains("nothing was changed"), "{}", text_of(&refused));
    assert!(outputs(&out).is_empty() && temporaries(&out).is_empty(), "no file is left: {:?}", std::fs::read_dir(&out).map(|d| d.count()));
    holder.join().unwrap();
    assert!(audited(&db).is_empty(), "no entry either");
    // Once the other program has finished, the output is written and audited.
    let path = PathBuf::from(ok(governors_cmd(&db, &out, "pdf", 5).output().unwrap()).trim());
    assert_eq!(outputs(&out), [path].into_iter().collect());
    assert_eq!(audited(&db), outputs(&out));
}

#[test]
fn governor_outputs_killed_at_any_moment_never_leave_a_file_without_its_audit_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), 200, 5);
    let out = dir.path().join("outputs");
    let start = std::time::Instant::now();
    ok(governors_cmd(&db, &dir.path().join("timing"), "pdf", 5).output().unwrap());
    let full = start.elapsed();
    let formats = ["pdf", "html", "json", "aggregate"];
    let thresholds = [5, 10, 20];
    for step in 0..16u32 {
        let mut child = governors_cmd(&db, &out, formats[step as usize % 4], thresholds[step as usize % 3]).spawn().unwrap();
        std::thread::sleep(full * step / 14);
        let _ = child.kill(); // SIGKILL: no clean-up code runs
        let _ = child.wait();
        let (files, entries) = (outputs(&out), audited_in(&db, &out));
        assert!(files.is_subset(&entries), "killed at step {step}: files with no audit entry: {:?}", files.difference(&entries).collect::<Vec<_>>());
    }
    // The next output finishes what a killed run recorded and clears what it did not.
    ok(governors_cmd(&db, &out, "json", 5).output().unwrap());
    assert_eq!(outputs(&out), audited_in(&db, &out), "every output under its name is audited, and every audited output is there");
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

#[test]
fn a_roll_up_file_with_no_end_is_refused_at_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rollup");
    let refused = bare(&["rollup", "/dev/zero", "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1), "{}", text_of(&refused));
    assert!(text_of(&refused).contains("/dev/zero") && text_of(&refused).contains("4 MB"), "{}", text_of(&refused));
    // A pipe that never ends says nothing of its size either.
    let fifo = dir.path().join("endless.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut writer = Command::new("sh").arg("-c").arg(format!("yes '{{\"kind\": \"aggregate\"}}' > '{}'", fifo.display())).spawn().unwrap();
    let refused = bare(&["rollup", fifo.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let _ = writer.kill();
    let _ = writer.wait();
    assert_eq!(refused.status.code(), Some(1), "{}", text_of(&refused));
    assert!(text_of(&refused).contains("endless.json") && text_of(&refused).contains("4 MB"), "{}", text_of(&refused));
    assert!(outputs(&out).is_empty());
}
