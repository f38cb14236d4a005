//! The IPC contract: the real handler list, driven through `tauri::test` with commands
//! invoked by name with JSON, exactly as `ui/src/api.ts` calls them. Each test gets its own
//! empty data directory.

#[path = "../support/invoke.rs"]
mod support;
mod governor_commands;
mod care_commands;
mod import_commands;
mod support_commands;

use serde_json::{json, Value};
use support::invoke;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::WebviewWindow;

struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    dir: tempfile::TempDir,
}

impl App {
    fn new() -> App {
        let dir = tempfile::tempdir().expect("temporary data directory");
        let app = senco_app::app(mock_builder(), Some(dir.path().to_path_buf()))
            .build(mock_context(noop_assets()))
            .expect("the app builds");
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
        App { _app: app, window, dir }
    }

    fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.window, command, args)
    }

    fn ok(&self, command: &str, args: Value) -> Value {
        self.call(command, args).unwrap_or_else(|e| panic!("{command} failed: {e}"))
    }

    /// The `code` of a refused command; panics if it succeeded.
    fn code(&self, command: &str, args: Value) -> String {
        let error = self.call(command, args).expect_err("the command must be refused");
        error["code"].as_str().unwrap_or_else(|| panic!("an error carries a code: {error}")).to_string()
    }
}

const PASSPHRASE: &str = "quiet lantern over marsh fields";
const NEW_PASSPHRASE: &str = "copper kettle sings at dawn";

fn setup_args() -> Value {
    json!({
        "setup": { "name": "Test Primary", "urn": "118000", "laCode": "886", "establishmentNumber": "2001", "phase": "primary" },
        "passphrase": PASSPHRASE,
        "passphraseAgain": PASSPHRASE,
    })
}

fn pupil(upn: &str) -> Value {
    json!({
        "upn": upn, "legalForename": "Ada", "legalSurname": "Quill",
        "dateOfBirth": "2017-03-14", "sex": "F", "ncYear": 5, "admissionDate": "2021-09-01",
    })
}

#[test]
fn first_run_then_set_up_lock_and_unlock() {
    let app = App::new();
    assert_eq!(app.ok("app_state", json!({})), json!({ "schoolExists": false, "lockedSchoolName": null, "open": null }));
    assert_eq!(app.code("register_page", json!({ "query": {} })), "locked", "nothing is open yet");

    let bad = json!({ "setup": setup_args()["setup"], "passphrase": "short", "passphraseAgain": "short" });
    let error = app.call("create_school", bad).unwrap_err();
    assert_eq!(error["code"], "invalid");
    assert_eq!(error["fields"][0]["field"], "passphrase", "the short passphrase is named beside its field");
    let weak = json!({ "setup": setup_args()["setup"], "passphrase": "password1234", "passphraseAgain": "password1234" });
    let error = app.call("create_school", weak).unwrap_err();
    assert!(error["fields"][0]["message"].as_str().unwrap().contains("easy to guess"), "a weak passphrase is explained: {error}");

    let created = app.ok("create_school", setup_args());
    assert_eq!(created["school"]["name"], "Test Primary");
    assert_eq!(created["recoveryKey"].as_str().unwrap().len(), 29, "five groups of five with dashes");

    app.ok("close_school", json!({}));
    let locked = app.ok("app_state", json!({}));
    assert_eq!((locked["schoolExists"].clone(), locked["lockedSchoolName"].clone()), (json!(true), json!("Test Primary")), "the unlock screen can name the school");
    assert_eq!(app.code("unlock", json!({ "passphrase": "wrong passphrase" })), "wrong_passphrase");
    assert_eq!(app.ok("unlock", json!({ "passphrase": PASSPHRASE }))["isDemo"], false);

    app.ok("close_school", json!({}));
    let recovery = created["recoveryKey"].clone();
    assert_eq!(
        app.code("unlock_with_recovery_key", json!({ "recoveryKey": "AAAAA-BBBBB", "newPassphrase": NEW_PASSPHRASE, "newPassphraseAgain": NEW_PASSPHRASE })),
        "wrong_recovery_key"
    );
    app.ok("unlock_with_recovery_key", json!({ "recoveryKey": recovery, "newPassphrase": NEW_PASSPHRASE, "newPassphraseAgain": NEW_PASSPHRASE }));
    app.ok("close_school", json!({}));
    assert_eq!(app.code("unlock", json!({ "passphrase": PASSPHRASE })), "wrong_passphrase", "the old passphrase is replaced");
    app.ok("unlock", json!({ "passphrase": NEW_PASSPHRASE }));
}

#[test]
fn the_demo_school_opens_without_a_passphrase_and_says_it_is_a_demo() {
    let app = App::new();
    let school = app.ok("open_demo", json!({}));
    assert_eq!(school["isDemo"], true);
    let page = app.ok("register_page", json!({ "query": { "filter": { "status": "senSupport" }, "sort": "ncYear", "pageSize": 10 } }));
    assert!(page["total"].as_u64().unwrap() > 20, "the demo has pupils on SEN support: {page}");
    assert_eq!(page["rows"].as_array().unwrap().len(), 10);
    assert!(page["rows"].as_array().unwrap().iter().all(|r| r["status"] == "senSupport" && r["primaryNeed"].is_string()));
    app.ok("close_school", json!({}));
    assert_eq!(app.ok("open_demo", json!({}))["isDemo"], true, "and reopens");
}

#[test]
fn pupil_commands_validate_and_refuse_with_codes() {
    let app = App::new();
    app.ok("create_school", setup_args());
    let error = app.call("pupil_add", json!({ "pupil": pupil("A801200005001") })).unwrap_err();
    assert_eq!((error["code"].as_str(), error["fields"][0]["field"].as_str()), (Some("invalid"), Some("upn")));

    let ada = app.ok("pupil_add", json!({ "pupil": pupil("K886200724123") }));
    let id = ada["id"].clone();
    assert_eq!(app.call("pupil_add", json!({ "pupil": pupil("K886200724123") })).unwrap_err()["fields"][0]["field"], "upn", "duplicate UPN");

    let change = json!({ "status": "senSupport", "startDate": "2025-01-06", "reason": "", "primaryNeed": null });
    assert_eq!(app.call("pupil_set_status", json!({ "id": id, "change": change })).unwrap_err()["fields"][0]["field"], "primaryNeed");
    let change = json!({ "status": "senSupport", "startDate": "2025-01-06", "reason": "referral", "primaryNeed": "SLCN" });
    let preview = app.ok("pupil_preview_status", json!({ "id": id, "change": change }));
    assert_eq!((preview["to"].as_str(), preview["primaryNeed"].as_str(), preview["previousEnds"].as_str()), (Some("senSupport"), Some("SLCN"), Some("2025-01-05")));
    assert_eq!(app.ok("pupil_get", json!({ "id": id }))["status"], "noSen", "a preview writes nothing");
    let record = app.ok("pupil_set_status", json!({ "id": id, "change": change }));
    assert_eq!(record["status"], "senSupport");

    let replacing = app.ok("pupil_preview_need", json!({ "id": id, "need": { "code": "ASD", "rank": 1, "startDate": "2025-02-01" } }));
    assert_eq!(replacing["replaces"]["code"], "SLCN", "the confirmation can say which need is replaced");
    let record = app.ok("pupil_add_need", json!({ "id": id, "need": { "code": "SEMH", "rank": 2, "startDate": "2025-02-01" } }));
    let semh = record["needs"].as_array().unwrap().iter().find(|n| n["code"] == "SEMH").unwrap()["id"].clone();
    assert_eq!(app.code("pupil_add_need", json!({ "id": id, "need": { "code": "SLCN", "rank": 3, "startDate": "2025-02-01" } })), "invalid", "SLCN is already recorded");
    app.ok("pupil_end_need", json!({ "id": id, "needId": semh, "endDate": "2025-06-01" }));
    let primary = record["needs"][0]["id"].clone();
    assert_eq!(app.code("pupil_end_need", json!({ "id": id, "needId": primary, "endDate": "2025-06-01" })), "refused");

    let mut edited = pupil("K886200724123");
    edited["preferredForename"] = json!("Addy");
    assert_eq!(app.ok("pupil_update", json!({ "id": id, "pupil": edited }))["preferredForename"], "Addy");

    assert_eq!(app.ok("pupil_preview_leave", json!({ "id": id, "leavingDate": "2025-07-22" }))["needsEnding"].as_array().unwrap().len(), 1);
    app.ok("pupil_leave", json!({ "id": id, "leavingDate": "2025-07-22" }));
    assert_eq!(app.code("pupil_leave", json!({ "id": id, "leavingDate": "2025-07-23" })), "refused", "already left");
    assert_eq!(app.code("pupil_update", json!({ "id": id, "pupil": pupil("K886200724123") })), "refused", "an archived record is read-only");
    assert_eq!(app.code("pupil_get", json!({ "id": 999 })), "not_found");
    assert_eq!(app.ok("need_types", json!({})).as_array().unwrap().len(), 13);
}

#[test]
fn the_vocabulary_comes_from_the_core_with_its_rules() {
    let app = App::new();
    let words = app.ok("vocabulary", json!({}));
    let support = words["statuses"].as_array().unwrap().iter().find(|s| s["status"] == "senSupport").unwrap().clone();
    assert_eq!(support, json!({
        "status": "senSupport", "code": "K", "censusCode": "K", "label": "SEN support (K)", "shortLabel": "SEN support (K)",
        "needsPrimaryNeed": true, "allowsNsa": true, "asksConfirmation": false,
    }));
    assert_eq!(words["years"][1], json!({ "year": 0, "shortLabel": "R", "label": "Reception" }));
    assert_eq!(words["needs"].as_array().unwrap().len(), 13);
    assert_eq!(words["maxRank"], 3);
    // The UI's component tests use exactly this response, so they cannot drift from the
    // core's words; CI fails if regenerating it changes the committed file.
    let recorded = format!("{}\n", serde_json::to_string_pretty(&words).unwrap());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings/vocabulary.json");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(recorded.as_str()) {
        std::fs::write(&path, recorded).unwrap();
    }
}

#[test]
fn a_typed_date_is_read_the_british_way_whatever_the_locale() {
    let app = App::new();
    assert_eq!(app.ok("read_date", json!({ "text": "14.3.17" })), json!({ "iso": "2017-03-14", "display": "14 Mar 2017" }));
    assert_eq!(app.ok("read_date", json!({ "text": "14/03/2017" }))["iso"], "2017-03-14");
    let error = app.call("read_date", json!({ "text": "03/14/2017" })).unwrap_err();
    assert!(error["fields"][0]["message"].as_str().unwrap().contains("has no month 14"), "{error}");
}

#[test]
fn hostile_text_is_refused_and_names_the_field() {
    let app = App::new();
    app.ok("create_school", setup_args());
    let mut hostile = pupil("K886200724123");
    hostile["legalSurname"] = json!("Quill\u{202E}lliuQ");
    hostile["preferredForename"] = json!("=HYPERLINK(\"x\")");
    hostile["form"] = json!("x".repeat(10_000));
    let error = app.call("pupil_add", json!({ "pupil": hostile })).unwrap_err();
    let fields: Vec<&str> = error["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["legalSurname", "preferredForename", "form"], "{error}");
}

#[test]
fn a_damaged_school_file_is_named_and_left_alone() {
    let app = App::new();
    app.ok("create_school", setup_args());
    app.ok("close_school", json!({}));
    let path = app.dir.path().join("school.senco");
    std::fs::write(&path, b"this is not a database").expect("overwrite the database");
    let error = app.call("unlock", json!({ "passphrase": PASSPHRASE })).unwrap_err();
    assert_eq!(error["code"], "not_a_school_database");
    assert!(error["message"].as_str().unwrap().contains("school.senco"), "the message names the file: {error}");
    assert_eq!(std::fs::read(&path).unwrap(), b"this is not a database", "nothing was written to it");
}
