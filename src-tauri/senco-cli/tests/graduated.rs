//! The graduated approach on the command line: a cycle recorded stage by stage from the
//! documented example files, the worklist, the provision map and catalogue checks.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PASSPHRASE: &str = "quiet lantern over marsh fields";
const UPN: &str = "K886200724123";

fn senco(dir: &Path, today: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(args)
        .args(["--today", today, "--db"])
        .arg(dir.join("school.senco"))
        .env("SENCO_PASSPHRASE", PASSPHRASE)
        .output()
        .expect("senco runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/formats/examples").join(name)
}

fn school_with_one_pupil_on_sen_support(dir: &Path) {
    ok(senco(dir, "2025-09-01", &["init", "--name", "Test Primary", "--urn", "118000", "--estab", "2001"]));
    ok(senco(dir, "2025-09-01", &["pupil", "add", "--upn", UPN, "--forename", "Ada", "--surname", "Quill", "--dob", "2017-03-14", "--sex", "F", "--year", "3", "--admitted", "2021-09-01"]));
    ok(senco(dir, "2025-09-01", &["pupil", "set-status", UPN, "--status", "K", "--from", "2025-09-01", "--reason", "reading", "--primary-need", "SPLD"]));
}

fn record(dir: &Path, today: &str, file: &Path) -> Output {
    senco(dir, today, &["cycle", "record", "--pupil", UPN, "--file", file.to_str().unwrap()])
}

#[test]
fn a_cycle_recorded_from_the_documented_examples_costs_and_locks_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    school_with_one_pupil_on_sen_support(dir);

    let worklist = |today: &str| -> serde_json::Value { serde_json::from_str(&ok(senco(dir, today, &["worklist", "--format", "json"]))).unwrap() };
    let items = worklist("2025-09-02");
    assert_eq!(items["items"][0]["kind"], "no_open_cycle");
    assert_eq!(items["items"][0]["upn"], UPN);
    assert_eq!(items["items"][0]["due"], "2025-09-01");

    for (today, file) in [("2025-09-08", "assess.json"), ("2025-09-15", "plan.json"), ("2025-09-19", "delivery.json")] {
        ok(record(dir, today, &example(file)));
    }
    let shown: serde_json::Value = serde_json::from_str(&ok(senco(dir, "2025-09-19", &["cycle", "show", "--pupil", UPN, "--format", "json"]))).unwrap();
    let cycle = &shown["cycles"][0];
    assert_eq!(cycle["stage"], "do");
    assert_eq!(cycle["plan"]["strategies"][0]["version"], "2026.1");
    // Precision teaching: 3 × 12 weeks × 10 min = 6 hours at the TA's £20.00 = £120.00.
    assert_eq!(cycle["interventions"][0]["plannedCostPence"], 12_000);
    // Phonics: 2 × 13 weeks × 20 min = 520 min at £20.00 = £173.33, ÷ 4 = £43.33, + £12.
    assert_eq!(cycle["interventions"][1]["plannedCostPence"], 4_333 + 1_200);
    assert_eq!(cycle["interventions"][0]["sessionsDelivered"], 3);

    // The provision map gives the same figures, per row, per pupil and for the school.
    let map: serde_json::Value = serde_json::from_str(&ok(senco(dir, "2025-09-19", &["provision-map", "--year", "2025", "--format", "json"]))).unwrap();
    let row = &map["rows"][0];
    for key in ["upn", "intervention", "sessions_per_week", "weeks", "minutes", "group_size", "hourly_rate_pence", "resources_pence", "planned_cost_pence", "cost_to_date_pence"] {
        assert!(!row[key].is_null(), "{key} is in every row");
    }
    assert_eq!(map["pupils"][0]["planned_cost_pence"], 12_000 + 5_533);
    assert_eq!(map["school_total"]["planned_cost_pence"], 17_533);
    // To date: precision teaching 30 min = £10.00; phonics 40 min at £20.00 ÷ 4 = £3.33 + £12.
    assert_eq!(map["school_total"]["cost_to_date_pence"], 1_000 + 333 + 1_200);
    let csv = ok(senco(dir, "2025-09-19", &["provision-map", "--year", "2025", "--format", "csv"]));
    assert!(csv.starts_with('\u{FEFF}') && csv.contains("\r\n"));
    assert!(csv.contains(",School total, 2025/26\",") || csv.contains("\"School total, 2025/26\""), "{csv}");
    assert!(csv.contains("175.33"), "{csv}");

    // A review before the plan is refused, naming the field, and changes nothing.
    let early = dir.join("early-review.json");
    std::fs::write(&early, std::fs::read_to_string(example("review.json")).unwrap().replace("10/12/2025", "01/09/2025")).unwrap();
    let refused = record(dir, "2025-12-10", &early);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("error: date: the review date (1 Sep 2025) is before the plan it reviews (15 Sep 2025)"), "{}", text(&refused.stderr));

    assert_eq!(worklist("2025-12-10")["items"][0]["kind"], "review_overdue");
    ok(record(dir, "2025-12-10", &example("review.json")));
    let listed = ok(senco(dir, "2025-12-10", &["cycle", "list", "--pupil", UPN]));
    assert!(listed.contains("cycle 1 opened 8 Sep 2025, signed off 10 Dec 2025"), "{listed}");

    // A locked cycle is refused unless amended; the amendment is dated.
    let again = senco(dir, "2025-12-11", &["cycle", "record", "--pupil", UPN, "--cycle", "1", "--file", example("review.json").to_str().unwrap()]);
    assert!(text(&again.stderr).contains("cycle 1 was signed off on 10 Dec 2025 and is locked: record an amendment"), "{}", text(&again.stderr));
    ok(senco(dir, "2025-12-11", &["cycle", "amend", "--pupil", UPN, "--cycle", "1", "--text", "Outcome 2 rating corrected to +1 after the parent meeting"]));
    assert!(ok(senco(dir, "2025-12-11", &["cycle", "show", "--pupil", UPN])).contains("Amended 11 Dec 2025: Outcome 2 rating corrected"));
    // With the cycle closed and none open, the pupil is back on the worklist.
    assert_eq!(worklist("2025-12-12")["items"][0]["kind"], "no_open_cycle");

    // The pack check names what this one reviewed cycle leaves missing, and exits 1.
    let check = senco(dir, "2025-12-12", &["pack", "check", "--pupil", UPN]);
    let out = text(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{out}{}", text(&check.stderr));
    assert!(out.contains("MISSING     Reviewed cycles of SEN support: 1 review is signed off, in 1 term; at least 2 reviewed cycles over 2 terms (autumn, spring, summer) are needed."), "{out}");
    assert!(out.contains("MISSING     Specialist advice, acted on: No specialist involvement is recorded"), "{out}");
    // Kent asks that local support was tried first: without a LIFT discussion the request is
    // warned about, not blocked (a parent may request an assessment whatever was tried).
    assert!(out.contains("warning     Local support tried first: a LIFT discussion: No LIFT outcome is recorded"), "{out}");
    assert!(out.contains("Not ready: "), "{out}");
    let json: serde_json::Value = serde_json::from_str(&text(&senco(dir, "2025-12-12", &["pack", "check", "--pupil", UPN, "--format", "json"]).stdout)).unwrap();
    assert_eq!(json["readiness"]["ready"], false);
    let ids: Vec<&str> = json["readiness"]["results"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids[..4], ["consent", "parent-views", "pupil-views", "reviewed-cycles"]);
    // A rules file of the school's own is read instead, and a broken one is named with its line.
    let rules = dir.join("our-rules.json");
    let shipped = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/kent-ehcna.json")).unwrap();
    std::fs::write(&rules, shipped.replace("\"min\": 2, \"terms\": 2", "\"min\": 1, \"terms\": 1").replace("\"level\": \"required\", \"check\": { \"kind\": \"adviceActedOn\" }", "\"level\": \"advisory\", \"check\": { \"kind\": \"adviceActedOn\" }")).unwrap();
    let ours = text(&senco(dir, "2025-12-12", &["pack", "check", "--pupil", UPN, "--rules", rules.to_str().unwrap()]).stdout);
    assert!(ours.contains("met         Reviewed cycles of SEN support") && ours.contains("warning     Specialist advice"), "{ours}");
    std::fs::write(&rules, "{\n  \"format\": \"senco-evidence-rules\",\n  \"rulez\": []\n}").unwrap();
    let broken = senco(dir, "2025-12-12", &["pack", "check", "--pupil", UPN, "--rules", rules.to_str().unwrap()]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(text(&broken.stderr).contains("our-rules.json, line 3"), "{}", text(&broken.stderr));
}

#[test]
fn a_stage_document_with_a_misspelt_field_or_bad_numbers_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    school_with_one_pupil_on_sen_support(dir);
    ok(record(dir, "2025-09-08", &example("assess.json")));
    let plan = std::fs::read_to_string(example("plan.json")).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, plan.replace("\"groupSize\": 4", "\"groupSize\": 0").replace("\"minutesPerSession\": 10", "\"minutesPerSession\": -10")).unwrap();
    let out = record(dir, "2025-09-15", &bad);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("interventions[0].minutesPerSession: the minutes a session (-10) cannot be negative"), "{stderr}");
    assert!(stderr.contains("interventions[1].groupSize: the group size (0) cannot be zero"), "{stderr}");
    std::fs::write(&bad, plan.replace("\"reviewDate\"", "\"reviewDat\"")).unwrap();
    let stderr = text(&record(dir, "2025-09-15", &bad).stderr);
    assert!(stderr.contains("bad.json is not a stage document: unknown field `reviewDat`"), "{stderr}");
    std::fs::write(&bad, "{\"stage\": \"plan\", ").unwrap();
    assert!(text(&record(dir, "2025-09-15", &bad).stderr).contains("bad.json is not a stage document"));
    let shown = ok(senco(dir, "2025-09-15", &["cycle", "list", "--pupil", UPN]));
    assert!(shown.contains("open, being assessed"), "nothing was planned: {shown}");
}

#[test]
fn catalogue_check_lists_problems_by_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/catalogue/mcs.catalogue");
    let out = senco(dir, "2025-09-01", &["catalogue", "check", shipped.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("0 problems"));

    let bad = dir.join("other-la.catalogue");
    std::fs::write(&bad, "catalogue: Other LA\nversion: 3\nprefix: OAP\nsection S1: All\n  heading H: One\n    item 01: Fine\n    item 01: Twice\n   item 02: Odd\n").unwrap();
    let out = senco(dir, "2025-09-01", &["catalogue", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("other-la.catalogue:7: duplicate id OAP.S1.H.01"), "{stdout}");
    assert!(stdout.contains("other-la.catalogue:8: bad indentation"), "{stdout}");

    // Loaded into a school, its good items can be ticked; the problems are reported.
    school_with_one_pupil_on_sen_support(dir);
    let loaded = senco(dir, "2025-09-01", &["catalogue", "load", bad.to_str().unwrap()]);
    assert!(text(&loaded.stderr).contains("Loaded Other LA version 3 with 1 items"), "{}", text(&loaded.stderr));
    assert!(ok(senco(dir, "2025-09-01", &["catalogue", "list"])).contains("OAP.S1.H.01"));
    let missing = senco(dir, "2025-09-01", &["catalogue", "check", dir.join("nope.catalogue").to_str().unwrap()]);
    assert!(text(&missing.stderr).contains("nope.catalogue could not be read: it does not exist"));
}

#[test]
fn a_request_is_recorded_and_its_clock_reaches_the_worklist() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    school_with_one_pupil_on_sen_support(dir);
    ok(senco(dir, "2026-03-02", &["request", "add", "--pupil", UPN, "--sent", "27/02/2026", "--received", "2 Mar 2026"]));
    let again = senco(dir, "2026-03-03", &["request", "add", "--pupil", UPN, "--sent", "2026-03-03"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("still running"), "{}", text(&again.stderr));

    let worklist = ok(senco(dir, "2026-04-20", &["worklist", "--format", "json"]));
    let items: serde_json::Value = serde_json::from_str(&worklist).unwrap();
    let step = items["items"].as_array().unwrap().iter().find(|i| i["kind"] == "request_step_due").expect("the late decision is on the worklist").clone();
    assert_eq!((step["due"].as_str(), step["upn"].as_str()), (Some("2026-04-13"), Some(UPN)));

    ok(senco(dir, "2026-04-20", &["request", "exception", "--pupil", UPN, "--kind", "school-closure", "--reason", "Flood: the LA asked for advice as the school shut for five weeks", "--from", "2026-03-16", "--to", "2026-04-17"]));
    ok(senco(dir, "2026-04-21", &["request", "record", "--pupil", UPN, "--step", "decision", "--outcome", "assess", "--date", "2026-04-20"]));
    let shown = ok(senco(dir, "2026-04-21", &["request", "show", "--pupil", UPN]));
    assert!(shown.contains("Mon 13 Apr 2026") && shown.contains("done 7 days late"), "{shown}");
    assert!(shown.contains("explained by: school closure (reg 5(4)(a)) from 16 Mar 2026 to 17 Apr 2026: Flood"), "{shown}");

    let wrong = senco(dir, "2026-04-21", &["request", "record", "--pupil", UPN, "--step", "final", "--date", "2026-04-21"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(text(&wrong.stderr).contains("record the draft plan before"), "{}", text(&wrong.stderr));
    let usage = senco(dir, "2026-04-21", &["request", "record", "--pupil", UPN, "--step", "draft", "--date", "2026-04-21"]);
    assert_eq!(usage.status.code(), Some(2), "a draft needs its outcome");
    let listed = ok(senco(dir, "2026-04-21", &["request", "list", "--pupil", UPN]));
    assert!(listed.contains("sent 27 Feb 2026, received 2 Mar 2026: running"), "{listed}");
}
