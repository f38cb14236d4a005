//! The import wizard's commands on a real school (the demo school refuses MIS files, whose
//! pupils are real): a CTF previewed (nothing written),
//! applied only with the fingerprint that was previewed, then a no-op; a CSV's headings for
//! matching columns by hand, a hand-built profile saved and refused when incomplete; and the
//! office's list saved as an owner-only CSV.

use std::os::unix::fs::PermissionsExt;

use serde_json::json;

use super::App;

/// Two new Year 3 pupils, born in the right year for today's school year.
fn ctf() -> String {
    let year = senco_core::pupil::academic_year(chrono::Local::now().date_naive()) - 3 - 5;
    let pupil = |upn: &str, surname: &str, dob: String| {
        format!(
            "<Pupil><UPN>{upn}</UPN><Surname>{surname}</Surname><Forename>ALBA</Forename><DOB>{dob}</DOB><Sex>F</Sex>\
             <BasicDetails><NCyearActual>3</NCyearActual></BasicDetails>\
             <SENhistory><SEN><StartDate>{year}-12-01</StartDate><SENprovision>K</SENprovision></SEN><SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>SLCN</SENtype></SENneed></SENneeds></SENhistory></Pupil>"
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><CTfile><Header><CTFversion>25.0</CTFversion><SourceSchool><LEA>886</LEA><Estab>7777</Estab></SourceSchool>\
         <DestSchool><LEA>886</LEA><Estab>2999</Estab></DestSchool></Header><CTFpupilData>{}{}</CTFpupilData></CTfile>",
        pupil("Z886777726901", "TESTWOOD", format!("{year}-10-15")),
        pupil("N886777726902", "BRIGHTWATER", format!("{}-02-02", year + 1)),
    )
}

/// A real school with the demo's numbers, so the CTF is addressed to it.
fn real_school(app: &App) {
    let mut args = super::setup_args();
    args["setup"]["establishmentNumber"] = json!("2999");
    app.ok("create_school", args);
}

#[test]
fn the_demo_school_refuses_an_mis_file_and_a_catalogue_saying_why() {
    let app = App::new();
    app.ok("open_demo", json!({}));
    let everyone = || {
        let filter = json!({ "status": null, "need": null, "area": null, "ncYear": null, "pupilPremium": null, "fsm": null, "eal": null, "lookedAfter": null, "roll": "all", "search": "" });
        app.ok("register_page", json!({ "query": { "filter": filter, "sort": "name", "descending": false, "page": 0, "pageSize": 50 } }))["everyone"].clone()
    };
    let before = everyone();
    let refused = app.call("import_preview", json!({ "source": "ctf", "name": "pupils.xml", "bytes": ctf().into_bytes(), "profile": null })).unwrap_err();
    assert_eq!(refused["code"], "demo_school", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("open to anyone") && message.contains("Set up your own school"), "{message}");
    let csv = "UPN,Surname,Forename\r\nZ886777726901,Testwood,Alba\r\n";
    assert_eq!(app.code("import_preview", json!({ "source": "csv", "name": "own.csv", "bytes": csv.as_bytes(), "profile": "auto" })), "demo_school");
    let catalogue = "catalogue: Our framework\nversion: 1\nprefix: OURS\n";
    assert_eq!(app.code("catalogue_load", json!({ "name": "ours.catalogue", "text": catalogue })), "demo_school");
    assert_eq!(everyone(), before, "nothing was added to the demo");
}

#[test]
fn a_ctf_is_previewed_then_applied_only_as_previewed() {
    let app = App::new();
    real_school(&app);
    let setup = app.ok("import_setup", json!({}));
    let ids: Vec<&str> = setup["profiles"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["sims", "arbor", "bromcom"]);
    assert!(setup["fields"].as_array().unwrap().iter().any(|f| f["field"] == "upn" && f["required"] == true));

    let bytes: Vec<u8> = ctf().into_bytes();
    let plan = app.ok("import_preview", json!({ "source": "ctf", "name": "pupils.xml", "bytes": bytes, "profile": null }));
    assert_eq!(plan["newPupils"].as_array().unwrap().len(), 2, "{plan:#}");
    assert_eq!(plan["problems"].as_array().unwrap().len(), 0, "{plan:#}");
    assert_eq!(plan["newPupils"][0]["at"], "record 1");
    assert_eq!(plan["missing"], json!([]), "a new school has nobody on roll who could have left");
    let wrong = app.call("import_apply", json!({ "fingerprint": "0000", "confirmNameMatches": false, "leaveOutRefused": false, "onProgress": "__CHANNEL__:1" })).unwrap_err();
    assert!(wrong["message"].as_str().unwrap().contains("not the file that was previewed"), "{wrong}");
    let outcome = app.ok("import_apply", json!({ "fingerprint": plan["fingerprint"], "confirmNameMatches": false, "leaveOutRefused": false, "onProgress": "__CHANNEL__:1" }));
    assert_eq!((outcome["applied"].as_bool(), outcome["newPupils"].as_u64()), (Some(true), Some(2)), "{outcome}");
    let again = app.call("import_apply", json!({ "fingerprint": plan["fingerprint"], "confirmNameMatches": false, "leaveOutRefused": false, "onProgress": "__CHANNEL__:1" })).unwrap_err();
    assert!(again["message"].as_str().unwrap().contains("preview a file first"), "an applied file is not staged any more: {again}");
    let second = app.ok("import_preview", json!({ "source": "ctf", "name": "pupils.xml", "bytes": bytes, "profile": null }));
    assert_eq!((second["newPupils"].as_array().unwrap().len(), second["unchanged"].as_u64()), (0, Some(2)), "a second import changes nothing");
    let outcome = app.ok("import_apply", json!({ "fingerprint": second["fingerprint"], "confirmNameMatches": false, "leaveOutRefused": false, "onProgress": "__CHANNEL__:2" }));
    assert_eq!(outcome["applied"], false);
    assert_eq!(outcome["message"], "Nothing to change: the register already matches this file.");

    let items = app.ok("reconciliation", json!({}));
    assert_eq!(items, json!([]));
    let path = app.ok("reconciliation_export", json!({}));
    let path = std::path::PathBuf::from(path.as_str().unwrap());
    assert!(path.starts_with(app.dir.path().join("exports")), "{}", path.display());
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("\u{FEFF}upn,pupil,nc_year,field"));
}

#[test]
fn a_csv_can_be_matched_by_hand_and_the_profile_is_kept() {
    let app = App::new();
    real_school(&app);
    let csv = "Pupil No;Family name;Given name;Birthday;M/F;Class year\r\nZ886777726901;Testwood;Alba;15/10/2018;F;Year 3\r\n";
    let headings = app.ok("import_headings", json!({ "name": "own.csv", "bytes": csv.as_bytes() }));
    assert_eq!(headings["delimiter"], "semicolon");
    assert_eq!(headings["headings"][1], "Family name");
    assert_eq!(headings["examples"][1], json!(["Testwood"]));
    let auto = app.ok("import_preview", json!({ "source": "csv", "name": "own.csv", "bytes": csv.as_bytes(), "profile": "auto" }));
    assert!(auto["problems"][0]["message"].as_str().unwrap().contains("no import profile matches these headings"), "{auto:#}");
    let incomplete = app.call("import_profile_save", json!({ "profile": { "id": "", "name": "Our MIS", "columns": { "upn": ["Pupil No"] } } })).unwrap_err();
    assert_eq!(incomplete["code"], "invalid");
    assert!(incomplete["fields"].as_array().unwrap().iter().any(|f| f["field"] == "dateOfBirth"), "{incomplete}");
    let columns = json!({ "upn": ["Pupil No"], "legalSurname": ["Family name"], "legalForename": ["Given name"], "dateOfBirth": ["Birthday"], "sex": ["M/F"], "ncYear": ["Class year"] });
    let saved = app.ok("import_profile_save", json!({ "profile": { "id": "", "name": "Our MIS", "columns": columns } }));
    assert_eq!(saved["id"], "own-our-mis");
    let setup = app.ok("import_setup", json!({}));
    assert_eq!(setup["profiles"][3]["name"], "Our MIS", "saved profiles are offered after the shipped ones");
    let plan = app.ok("import_preview", json!({ "source": "csv", "name": "own.csv", "bytes": csv.as_bytes(), "profile": "own-our-mis" }));
    assert_eq!(plan["facts"]["profile"], "Our MIS");
}
