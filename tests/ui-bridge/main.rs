//! The real commands behind the UI's browser tests. Playwright drives the built UI in
//! Chromium; instead of a hand-written fake, every `invoke` the page makes is forwarded here
//! and answered by the app's own handler list (through `tauri::test`'s mock runtime) on a
//! real encrypted school. So the browser tests exercise the core's real rules and cannot
//! drift from them.
//!
//! It speaks a little HTTP on 127.0.0.1, one request at a time:
//! - `POST /reset` with `{"state": "first-run" | "locked" | "demo" | "many" | "school"}`
//!   starts a new app on an empty data folder set up for that scenario, and answers what the
//!   test needs to know (the locked school's passphrase and recovery key); `school` is a real
//!   school (not the demo, which refuses MIS files) holding the demo's fixture pupils, unlocked;
//! - `POST /invoke/<command>` with the command's arguments answers its JSON result, or
//!   status 400 with the `CommandError`;
//! - `POST /upn` with `{"digits": "886200724999"}` answers `{"upn": "…"}`, those twelve
//!   characters with the check letter the core computes (`Upn::from_parts`), so a test
//!   never reads a check letter out of a message.
//!
//! Every pupil is synthetic, and dates are worked out from today so the fixtures stay valid
//! as the years pass. Built by `.ci/test` (`cargo build --example ui_bridge`).

#[path = "../support/invoke.rs"]
mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

use chrono::{Datelike, Duration, NaiveDate};
use senco_core::census::{NeedCode, SenStatus};
use senco_core::demo::{self, DemoPupil};
use senco_core::pupil::{academic_year, PupilInput, StatusPeriod};
use senco_core::school::{Phase, SchoolSetup};
use senco_core::upn::Upn;
use senco_core::{Stamp, Store};
use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::WebviewWindow;

/// The locked school's passphrase, which the unlock test types.
const PASSPHRASE: &str = "meadow lantern quietly humming";

struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on loopback");
    println!("{}", listener.local_addr().expect("address").port());
    std::io::stdout().flush().expect("stdout");
    let mut app: Option<App> = None;
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let Some((path, body)) = read_request(&mut stream) else { continue };
        let (status, reply) = match path.as_str() {
            "/reset" => match reset(&body) {
                Ok((fresh, reply)) => {
                    app = Some(fresh);
                    (200, reply)
                }
                Err(message) => (500, json!({ "code": "storage", "message": message, "fields": [] })),
            },
            "/upn" => upn(&body),
            "/quit" => {
                respond(&mut stream, 200, &json!({}));
                return;
            }
            other => match (other.strip_prefix("/invoke/"), &app) {
                (Some(command), Some(app)) => invoke(&app.window, command, body),
                _ => (404, json!({ "code": "not_found", "message": format!("no route {other}, or no /reset yet"), "fields": [] })),
            },
        };
        respond(&mut stream, status, &reply);
    }
}

fn invoke(window: &WebviewWindow<MockRuntime>, command: &str, args: Value) -> (u16, Value) {
    match support::invoke(window, command, args) {
        Ok(value) => (200, value),
        Err(error) => (400, error),
    }
}

/// A permanent UPN from its twelve digits (LA, establishment, year, serial), with the core's
/// check letter.
fn upn(body: &Value) -> (u16, Value) {
    let digits = body["digits"].as_str().unwrap_or_default();
    let part = |range: std::ops::Range<usize>| digits.get(range).and_then(|d| d.parse::<u16>().ok());
    match (digits.len(), part(0..3), part(3..7), part(7..9), part(9..12)) {
        (12, Some(la), Some(establishment), Some(year), Some(serial)) => {
            (200, json!({ "upn": Upn::from_parts(la, establishment, year, serial).as_str() }))
        }
        _ => (400, json!({ "code": "invalid", "message": format!("{digits:?} is not twelve digits"), "fields": [] })),
    }
}

/// A new app on an empty data folder, set up as the scenario needs.
fn reset(body: &Value) -> Result<(App, Value), String> {
    let state = body["state"].as_str().unwrap_or("demo");
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let now = chrono::Local::now().naive_local();
    let stamp = Stamp { today: now.date(), at: now };
    let demo_path = dir.path().join("demo.senco");
    let pupils = fixtures(stamp.today, state == "many");
    drop(demo::create_from(&demo_path, &pupils, stamp).map_err(|e| e.to_string())?);
    let mut reply = json!({ "state": state });
    if state == "school" {
        drop(demo::create_real_from(&dir.path().join("school.senco"), &pupils, PASSPHRASE, stamp).map_err(|e| e.to_string())?);
        reply["passphrase"] = json!(PASSPHRASE);
    }
    if state == "locked" {
        let setup = SchoolSetup {
            name: "Hillside Test Primary".into(),
            urn: "118000".into(),
            la_code: "886".into(),
            establishment_number: "2001".into(),
            phase: Phase::Primary,
        };
        let (_, recovery) = Store::create(&dir.path().join("school.senco"), &setup, PASSPHRASE, PASSPHRASE, stamp).map_err(|e| e.to_string())?;
        reply["passphrase"] = json!(PASSPHRASE);
        reply["recoveryKey"] = json!(recovery.as_str());
    }
    let app = senco_app::app(mock_builder(), Some(dir.path().to_path_buf()))
        .build(mock_context(noop_assets()))
        .map_err(|e| e.to_string())?;
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().map_err(|e| e.to_string())?;
    let opening = match state {
        "demo" | "many" => Some(("open_demo", json!({}))),
        "school" => Some(("unlock", json!({ "passphrase": PASSPHRASE }))),
        _ => None,
    };
    if let Some((command, args)) = opening {
        let (status, opened) = invoke(&window, command, args);
        if status != 200 {
            return Err(opened.to_string());
        }
    }
    Ok((App { _app: app, window, _dir: dir }, reply))
}

/// One fixture pupil: who they are, their year group, their status now and primary need.
struct Fixture {
    upn: Upn,
    forename: &'static str,
    preferred: &'static str,
    surname: &'static str,
    year: i32,
    status: SenStatus,
    need: Option<NeedCode>,
    left: bool,
}

/// The handful of pupils the tests name, and with `many` enough more for two pages.
fn fixtures(today: NaiveDate, many: bool) -> Vec<DemoPupil> {
    use NeedCode::*;
    use SenStatus::*;
    let named = [
        (Upn::parse("K886200724123").expect("valid"), "Ada", "Addie", "Quill", 5, SenSupport, Some(SLCN), false),
        (Upn::from_parts(886, 1234, 25, 1), "Bodhi", "", "Ashcombe", 3, EhcPlan, Some(ASD), false),
        (Upn::from_parts(801, 2000, 5, 1), "Wren", "", "Fairbank", 6, Monitoring, None, false),
        (Upn::from_parts(201, 1000, 18, 42), "Kit", "", "Mossley", 2, NoSen, None, false),
        (Upn::from_parts(886, 2999, 24, 7), "Juno", "", "Pellworth", 2, SenSupport, Some(SEMH), false),
        (Upn::from_parts(886, 2999, 24, 11), "Orrin", "", "Tallow", 4, NoSen, None, true),
    ];
    let mut list: Vec<Fixture> = named
        .into_iter()
        .map(|(upn, forename, preferred, surname, year, status, need, left)| Fixture { upn, forename, preferred, surname, year, status, need, left })
        .collect();
    if many {
        let forenames = ["Alder", "Bryn", "Cass", "Dara", "Elowen", "Finch", "Gale", "Hollis", "Isla", "Jory", "Kestrel", "Linnet"];
        let surnames = ["Brackwater", "Cindergate", "Dunmore", "Elmhurst", "Fenwright"];
        let statuses = [NoSen, NoSen, Monitoring, SenSupport, NoSen, EhcPlan];
        let needs = [SPLD, MLD, SEMH, SLCN, ASD, HI];
        for i in 0..54u16 {
            let status = statuses[usize::from(i) % statuses.len()];
            list.push(Fixture {
                upn: Upn::from_parts(886, 2999, 25, 100 + i),
                forename: forenames[usize::from(i) % forenames.len()],
                preferred: "",
                surname: surnames[usize::from(i) % surnames.len()],
                year: i32::from(i % 6) + 1,
                status,
                need: status.needs_primary_need().then(|| needs[usize::from(i) % needs.len()]),
                left: false,
            });
        }
    }
    list.into_iter().enumerate().map(|(i, f)| pupil(i, f, today)).collect()
}

/// A fixture as a whole pupil: born mid-way through their year group's cohort, admitted at
/// the start of a school year at least two years ago, on their status since the January
/// after, and (if they left) gone at the end of last summer term.
fn pupil(index: usize, f: Fixture, today: NaiveDate) -> DemoPupil {
    let this_year = academic_year(today);
    let cohort = this_year - f.year - 5;
    let date_of_birth = NaiveDate::from_ymd_opt(cohort, 12, 1 + (index as u32 % 27)).expect("a December day");
    let admitted = NaiveDate::from_ymd_opt((cohort + 5).max(this_year - 3), 9, 1).expect("1 September");
    let since = NaiveDate::from_ymd_opt(admitted.year() + 1, 1, 6).expect("6 January");
    let leaving_date = f.left.then(|| NaiveDate::from_ymd_opt(this_year, 7, 18).expect("18 July"));
    let mut statuses = vec![StatusPeriod {
        status: NoSen,
        start_date: admitted,
        end_date: None,
        reason: "admitted".into(),
    }];
    use SenStatus::NoSen;
    if f.status != NoSen {
        statuses[0].end_date = Some(since - Duration::days(1));
        statuses.push(StatusPeriod { status: f.status, start_date: since, end_date: None, reason: "after the autumn review".into() });
    }
    let input = PupilInput {
        upn: f.upn.to_string(),
        legal_forename: f.forename.into(),
        legal_surname: f.surname.into(),
        preferred_forename: f.preferred.into(),
        date_of_birth: date_of_birth.to_string(),
        sex: if index % 2 == 0 { "F" } else { "M" }.into(),
        nc_year: f.year,
        form: format!("{}{}", f.year, ["A", "B"][index % 2]),
        admission_date: admitted.to_string(),
        pupil_premium: index % 3 == 0,
        fsm: index % 3 == 0,
        eal: index % 4 == 1,
        looked_after: index % 7 == 2,
        attendance_pct: Some(90.0 + (index % 10) as f64 / 2.0),
        ..PupilInput::default()
    };
    DemoPupil { input, leaving_date, statuses, needs: f.need.map(|code| (code, 1, since, None)).into_iter().collect() }
}

/// Reads one request: its path and its JSON body (empty if none).
fn read_request(stream: &mut TcpStream) -> Option<(String, Value)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    let value = if body.is_empty() { json!({}) } else { serde_json::from_slice(&body).ok()? };
    Some((path, value))
}

fn respond(stream: &mut TcpStream, status: u16, body: &Value) {
    let text = body.to_string();
    let reason = if status == 200 { "OK" } else { "Error" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}
