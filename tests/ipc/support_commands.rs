//! The graduated approach over IPC: every command, with the rules' refusals and codes.

use serde_json::{json, Value};

use super::{pupil, setup_args, App};

#[test]
fn a_full_cycle_and_the_records_around_it_through_the_commands() {
    let app = App::new();
    app.ok("create_school", setup_args());
    let ada = app.ok("pupil_add", json!({ "pupil": pupil("K886200724123") }))["id"].clone();
    let change = json!({ "status": "senSupport", "startDate": "2026-09-01", "reason": "reading", "primaryNeed": "SPLD" });
    app.ok("pupil_set_status", json!({ "id": ada, "change": change }));

    let catalogues = app.ok("catalogues", json!({}));
    assert!(catalogues[0]["notice"].as_str().unwrap().contains("not Kent's wording"));
    let library = app.ok("library", json!({}));
    assert!(library["interventions"].as_array().unwrap().len() >= 25);
    assert_eq!(library["thresholdPence"], 600_000);
    assert_eq!(app.ok("worklist", json!({}))[0]["kind"], "no_open_cycle");

    // Planning before assessing is refused with a code the UI can act on.
    let plan = json!({
        "date": "2026-09-15",
        "parentNotice": { "date": "2026-09-15", "method": "letter" },
        "outcomes": [
            { "area": "cognitionAndLearning", "description": "Reads aloud", "successCriterion": "4 pages", "baseline": "Phase 3", "target": "Phase 5" },
            { "area": "cognitionAndLearning", "description": "Bonds to 10", "successCriterion": "20 seconds", "baseline": "4", "target": "11" },
            { "area": "socialEmotionalMentalHealth", "pfa": "health", "description": "Names feelings", "successCriterion": "Twice a week", "baseline": "Prompted", "target": "Unprompted" }
        ],
        "strategies": [
            { "itemId": "MCS.S2.CL.STRAT.01" }, { "itemId": "MCS.S2.CL.STRAT.02" }, { "itemId": "MCS.S1.TL.01" }, { "itemId": "MCS.S2.SEMH.STRAT.01", "note": "Mornings" }
        ],
        "interventions": [
            { "intervention": "precision-teaching", "sessionsPerWeek": 3, "minutesPerSession": 10, "groupSize": 1, "staffRole": "ta", "startDate": "2026-09-15", "endDate": "2026-12-18" },
            { "intervention": "lego-based-therapy", "sessionsPerWeek": 1, "minutesPerSession": 45, "groupSize": 3, "staffRole": "ta", "startDate": "2026-09-15", "endDate": "2026-12-18", "weeks": 12 }
        ],
        "allAdults": "One instruction at a time",
        "reviewDate": "2026-11-20"
    });
    assert_eq!(app.code("cycle_plan", json!({ "id": ada, "cycle": 1, "plan": plan })), "not_found");
    let assessment = json!({
        "date": "2026-09-08", "assessedBy": "SENCO", "sources": ["teacherAssessment", "parentViews"],
        "needs": [{ "area": "cognitionAndLearning", "summary": "Behind in reading" }],
        "parentView": { "text": "Worried", "date": "2026-09-08" }
    });
    let cycle = app.ok("cycle_assess", json!({ "id": ada, "assessment": assessment }));
    assert_eq!((cycle["number"].clone(), cycle["stage"].clone()), (json!(1), json!("assess")));
    let cycle = app.ok("cycle_plan", json!({ "id": ada, "cycle": 1, "plan": plan }));
    assert_eq!(cycle["plan"]["strategies"].as_array().unwrap().len(), 4);
    assert_eq!(cycle["interventions"][0]["plannedCostPence"], 3 * 13 * 10 * 2000 / 60);

    // A second cycle while this one is open is refused; a zero group size names its field.
    assert_eq!(app.code("cycle_assess", json!({ "id": ada, "assessment": assessment })), "refused");
    let mut zero = plan.clone();
    zero["interventions"][1]["groupSize"] = json!(0);
    let error = app.call("cycle_plan", json!({ "id": ada, "cycle": 1, "plan": zero })).unwrap_err();
    assert_eq!(error["fields"][0]["field"], "interventions[1].groupSize");

    // The group running on a day lists its pupils, so its session is logged in one step.
    let rosters = app.ok("rosters", json!({ "date": "2026-09-16" }));
    let lego = rosters.as_array().unwrap().iter().find(|r| r["intervention"] == "lego-based-therapy").unwrap();
    assert_eq!(lego["pupils"][0]["pupilId"], ada);
    // Five sessions of the group, each logged for the whole group in one step.
    for date in ["2026-09-16", "2026-09-23", "2026-09-30", "2026-10-07", "2026-10-14"] {
        let logged = app.ok("group_session", json!({ "intervention": "lego-based-therapy", "date": date, "minutes": 45, "attendance": [{ "pupilId": ada, "attended": true }], "note": "" }));
        assert_eq!(logged, 1);
    }
    let delivery = json!({ "sessions": [], "scores": [{ "intervention": "lego-based-therapy", "entryScore": "3/10", "exitScore": "7/10" }] });
    let cycle = app.ok("cycle_deliver", json!({ "id": ada, "cycle": 1, "delivery": delivery }));
    assert_eq!(cycle["interventions"][1]["sessionsDelivered"], 5);
    assert_eq!(cycle["interventions"][1]["exitScore"], "7/10");
    assert_eq!(app.ok("worklist", json!({}))[0]["kind"], "review_overdue");

    let review = json!({
        "date": "2026-11-20",
        "ratings": [
            { "outcome": 1, "rating": 1, "evidence": "Running record" },
            { "outcome": 2, "rating": 2, "evidence": "Timed test" },
            { "outcome": 3, "rating": 0, "evidence": "Zones log" }
        ],
        "decision": "continue", "nextReviewDate": "2027-02-12", "signOff": true
    });
    let closed = app.ok("cycle_review", json!({ "id": ada, "cycle": 1, "review": review }));
    assert_eq!(closed["stage"], "closed");
    assert_eq!(app.code("cycle_review", json!({ "id": ada, "cycle": 1, "review": review })), "refused", "a locked cycle is not edited");
    let amended = app.ok("cycle_amend", json!({ "id": ada, "cycle": 1, "text": "Outcome 3 evidence was the zones log for October" }));
    assert_eq!(amended["amendments"].as_array().unwrap().len(), 1);
    let next = app.ok("cycle_assess", json!({ "id": ada, "assessment": { "date": "2026-11-23", "assessedBy": "SENCO", "sources": ["teacherAssessment"], "needs": [{ "area": "cognitionAndLearning", "summary": "Still behind, catching up" }] } }));
    assert_eq!(next["number"], 2);
    assert_eq!(app.ok("cycles", json!({ "id": ada })).as_array().unwrap().len(), 2);

    // Around the cycle.
    // "This year" is the school year of the day the test runs, so the meeting is dated in it.
    let met = chrono::Local::now().date_naive().max(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()).to_string();
    let meetings = app.ok("meeting_add", json!({ "id": ada, "meeting": { "date": met, "attendees": "Mother, SENCO", "summary": "Agreed the plan" } }));
    assert_eq!(meetings["thisYear"], 1);
    assert_eq!(app.ok("meetings", json!({ "id": ada }))["meetings"][0]["date"], met.as_str());
    let involvement = app.ok("involvement_add", json!({ "id": ada, "involvement": {
        "service": "speechAndLanguage", "referralDate": "2026-09-10", "reportDate": "2026-10-20",
        "advice": "Pre-teach vocabulary", "recommendations": [{ "text": "Word wall for each topic" }]
    } }));
    assert_eq!(app.ok("worklist", json!({})).as_array().unwrap().iter().filter(|w| w["kind"] == "recommendation_not_acted_on").count(), 1);
    let acted = app.ok("recommendation_acted", json!({ "involvement": involvement["id"], "index": 1, "actedOn": "2026-10-25", "how": "Word walls in every classroom" }));
    assert_eq!(acted["recommendations"][0]["actedOn"], "2026-10-25");
    let attached = app.ok("report_attach", json!({ "involvement": involvement["id"], "name": "salt.pdf", "bytes": b"%PDF-1.4\n".to_vec() }));
    assert_eq!(attached["mediaType"], "application/pdf");
    assert_eq!(app.code("report_attach", json!({ "involvement": involvement["id"], "name": "notes.docx", "bytes": b"PK\x03\x04".to_vec() })), "invalid");
    assert_eq!(app.ok("involvements", json!({ "id": ada }))[0]["attachments"][0]["name"], "salt.pdf");
    // A request for an EHC needs assessment, its steps, an exception, and a refused step.
    let request = app.ok("request_add", json!({ "id": ada, "sent": "02/03/2026" }));
    assert_eq!(request["steps"][0]["due"], "2026-04-13");
    let refused = app.call("request_add", json!({ "id": ada, "sent": "30/02/2026" })).unwrap_err();
    assert_eq!(refused["fields"][0]["field"], "sent", "{refused}");
    let decided = app.ok("request_step", json!({ "request": request["id"], "event": { "step": "decision", "date": "2026-04-20", "decision": "assess" } }));
    assert_eq!(decided["steps"][0]["status"], json!({ "state": "late", "days": 7 }));
    let excepted = app.ok("request_exception", json!({ "request": request["id"], "exception": { "kind": "outOfArea", "reason": "Family abroad for six weeks", "from": "2026-03-09", "to": "2026-04-19" } }));
    assert!(excepted["steps"][0]["explainedBy"][0].as_str().unwrap().contains("Family abroad"));
    assert_eq!(app.code("request_step", json!({ "request": request["id"], "event": { "step": "finalPlan", "date": "2026-04-21" } })), "refused");
    assert_eq!(app.ok("requests", json!({ "id": ada })).as_array().unwrap().len(), 1);

    // The evidence check for a request: each rule with its state, sentence and fix place.
    let readiness = app.ok("pack_readiness", json!({ "id": ada, "pack": "ehcna" }));
    assert_eq!(readiness["ready"], false);
    let advice = readiness["results"].as_array().unwrap().iter().find(|r| r["id"] == "advice").unwrap().clone();
    assert_eq!((advice["state"].as_str(), advice["fix"].as_str()), (Some("met"), Some("specialists")), "{advice}");
    let cycles = readiness["results"].as_array().unwrap().iter().find(|r| r["id"] == "reviewed-cycles").unwrap().clone();
    assert_eq!(cycles["state"], "missing");
    // A LIFT referral asks for the parent's agreement; recording it meets that rule.
    let lift = app.ok("pack_readiness", json!({ "id": ada, "pack": "lift" }));
    let agreement = |r: &Value| r["results"].as_array().unwrap().iter().find(|x| x["id"] == "agreement").unwrap()["state"].clone();
    assert_eq!((agreement(&lift), lift["results"][0]["fix"].clone()), (json!("missing"), json!("consents")));
    let consents = app.ok("consent_add", json!({ "id": ada, "consent": { "kind": "liftAgreement", "givenBy": "Mother", "date": "2026-04-01", "scope": "LIFT meeting" } }));
    assert_eq!(consents[0]["kindLabel"], "Agreement to a LIFT referral");
    assert_eq!(agreement(&app.ok("pack_readiness", json!({ "id": ada, "pack": "lift" }))), json!("met"));
    let refused = app.call("consent_add", json!({ "id": ada, "consent": { "kind": "shareInformation", "givenBy": "", "date": "2026-04-01" } })).unwrap_err();
    assert_eq!(refused["fields"][0]["field"], "givenBy", "{refused}");
    app.ok("training_add", json!({ "training": { "staff": "All TAs", "course": "Precision teaching", "date": "2026-01-10", "area": "cognitionAndLearning" } }));
    assert_eq!(app.ok("training", json!({}))[0]["areaLabel"], "Cognition and learning");
    // The pack is built into the exports folder and verifies against its own manifest.
    let built = app.ok("pack_build", json!({ "id": ada, "pack": "ehcna", "password": null }));
    let bundle = std::path::PathBuf::from(built["path"].as_str().unwrap());
    assert!(bundle.parent().unwrap().ends_with("exports"), "{}", bundle.display());
    let bytes = std::fs::read(&bundle).unwrap();
    assert_eq!(built["sha256"], senco_core::pack::bundle_digest(&bytes));
    let (_, problems) = senco_core::pack::verify("the bundle", &bytes, None).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(app.code("pack_build", json!({ "id": ada, "pack": "ehcna", "password": "short" })), "invalid");
    let summary = app.ok("family_summary", json!({ "id": ada }));
    assert!(std::fs::read(summary.as_str().unwrap()).unwrap().starts_with(b"%PDF-"));
    app.ok("report_check", json!({ "name": "salt.pdf", "size": 10 * 1_048_576 }));
    assert_eq!(app.code("report_check", json!({ "name": "scan.pdf", "size": 200 * 1_048_576 })), "invalid");
    let copy = app.ok("report_save_copy", json!({ "id": attached["id"] }));
    let copy = std::path::PathBuf::from(copy.as_str().unwrap());
    assert!(copy.ends_with(format!("exports/report-{}-salt.pdf", attached["id"])), "{}", copy.display());
    assert_eq!(std::fs::read(&copy).unwrap(), b"%PDF-1.4\n");
    assert_eq!(app.code("report_save_copy", json!({ "id": 9_999 })), "not_found");
    app.ok("profile_save", json!({ "id": ada, "profile": { "admire": "Kind", "important": "Her dog", "support": "Warn me of changes" } }));
    assert_eq!(app.ok("profile", json!({ "id": ada }))["important"], "Her dog");

    // The library and costing settings.
    let role = app.ok("role_set_rates", json!({ "key": "ta", "laRatePence": 1800, "schoolRatePence": 2100 }));
    assert_eq!(role["schoolRatePence"], 2100);
    assert_eq!(app.code("role_set_rates", json!({ "key": "ta", "laRatePence": -1, "schoolRatePence": 2100 })), "invalid");
    app.ok("threshold_set", json!({ "pence": 500_000 }));
    let mut own = library["interventions"][0].clone();
    own["key"] = json!("");
    own["name"] = json!("Forest school group");
    let saved = app.ok("intervention_save", json!({ "intervention": own }));
    assert_eq!(saved["key"], "forest-school-group");

    // The school's own catalogue item can be ticked like any other.
    let own_item = app.ok("catalogue_add_item", json!({ "area": "cognitionAndLearning", "heading": "Strategies", "text": "Reading buddy with a Year 6 pupil" }));
    assert_eq!(own_item["id"], "SCHOOL.CL.001");
    assert_eq!(app.code("catalogue_add_item", json!({ "area": null, "heading": "", "text": "x" })), "invalid");
    assert!(app.ok("catalogues", json!({})).as_array().unwrap().iter().any(|c| c["name"] == "The school's own items"));

    // Another framework loads with its problems listed by line; a file with no items is refused.
    let loaded = app.ok("catalogue_load", json!({ "name": "oap.catalogue", "text": "catalogue: Other LA\nversion: 2\nprefix: OAP\nsection S1: All\n  heading H: One\n    item 01: Fine\n    item 01: Twice\n" }));
    assert_eq!(loaded["problems"][0]["line"], 7);
    assert_eq!(app.code("catalogue_load", json!({ "name": "notes.txt", "text": "hello" })), "refused");

    // Hostile text in a stage is refused by the same text rules, naming the field.
    let mut hostile = plan.clone();
    hostile["outcomes"][0]["description"] = json!("Reads\u{202E}gnorw");
    let error = app.call("cycle_plan", json!({ "id": ada, "cycle": 2, "plan": hostile })).unwrap_err();
    assert_eq!(error["fields"][0]["field"], "outcomes[0].description", "{error}");

    // The provision map keeps the rate the plan was costed at, and exports a CSV file.
    let map = app.ok("provision_map", json!({ "year": 2026 }));
    assert_eq!(map["thresholdPence"], 500_000);
    assert_eq!(map["rows"][0]["hourlyRatePence"], 2000, "costed at the rate when planned");
    let path = app.ok("provision_map_export", json!({ "year": 2026 }));
    let path = std::path::PathBuf::from(path.as_str().unwrap());
    assert!(path.starts_with(app.dir.path()), "saved in the data folder: {}", path.display());
    assert!(path.ends_with("exports/provision-map-2026-27.csv"), "{}", path.display());
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.starts_with('\u{FEFF}') && csv.contains("School total, 2026/27"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "owner-only");
    }
}
