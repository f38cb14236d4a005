//! Export formats: the register as CSV and as JSON, and one pupil's record as JSON.
//!
//! These are compatibility boundaries: scripts and other systems read them, so they are
//! written field by field here, never as a dump of the core's types, with a
//! `schema_version` in every JSON document and a stable column and key order. Snapshot
//! tests pin each format byte for byte.
//!
//! Every CSV the toolkit writes goes through `Csv`, which makes it safe to open in a
//! spreadsheet: UTF-8 with a byte-order mark (so Excel reads accents), CRLF line ends, any
//! cell holding a comma, quote, CR or LF quoted, and any cell that a spreadsheet would run
//! as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) neutralised with a leading
//! apostrophe and quoted, as OWASP's guidance on CSV injection describes.

use serde_json::{json, Value};

use crate::pupil::{nc_year_label, PupilRecord};
use crate::register::RegisterRow;

/// The version of the JSON documents written here.
pub const SCHEMA_VERSION: u32 = 1;

/// A CSV document under construction.
pub struct Csv {
    out: String,
}

impl Csv {
    /// Starts a document with its byte-order mark and header row.
    pub fn new(header: &[&str]) -> Csv {
        let mut csv = Csv { out: String::from("\u{FEFF}") };
        csv.row(header);
        csv
    }

    pub fn row<S: AsRef<str>>(&mut self, fields: &[S]) {
        let cells: Vec<String> = fields.iter().map(|f| cell(f.as_ref())).collect();
        self.out.push_str(&cells.join(","));
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// One cell, neutralised and quoted as needed.
fn cell(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if formula { format!("'{text}") } else { text.to_string() };
    if formula || text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The register as CSV, one pupil a line, with a header. Census-facing columns show
/// monitoring as N.
pub fn register_csv(rows: &[RegisterRow]) -> String {
    let mut csv = Csv::new(&[
        "upn", "surname", "forename", "date_of_birth", "nc_year", "form", "sen_status", "census_sen_status", "primary_need",
        "broad_area", "pupil_premium", "fsm", "eal", "looked_after", "leaving_date",
    ]);
    for r in rows {
        csv.row(&[
            r.upn.clone(),
            r.surname.clone(),
            r.forename.clone(),
            r.date_of_birth.to_string(),
            nc_year_label(r.nc_year),
            r.form.clone(),
            r.status.code().to_string(),
            r.status.census_code().to_string(),
            r.primary_need.map_or(String::new(), |n| n.code().to_string()),
            r.area.map_or(String::new(), |a| a.slug().to_string()),
            yes_no(r.pupil_premium),
            yes_no(r.fsm),
            yes_no(r.eal),
            yes_no(r.looked_after),
            r.leaving_date.map_or(String::new(), |d| d.to_string()),
        ]);
    }
    csv.finish()
}

/// The reconciliation list for the school office: one line per pupil and field where the
/// MIS and the toolkit disagree. Opened in a spreadsheet, nothing in it runs as a formula.
pub fn reconciliation_csv(items: &[crate::store::ReconciliationItem]) -> String {
    let mut csv = Csv::new(&["upn", "pupil", "nc_year", "field", "toolkit_value", "mis_value", "source", "first_seen", "last_seen"]);
    for i in items {
        csv.row(&[
            i.upn.clone(),
            i.name.clone(),
            nc_year_label(i.nc_year),
            i.label.clone(),
            i.toolkit.clone(),
            i.mis.clone(),
            i.source.to_uppercase(),
            i.first_seen.to_string(),
            i.last_seen.to_string(),
        ]);
    }
    csv.finish()
}

/// The reconciliation list as one JSON document.
pub fn reconciliation_json(items: &[crate::store::ReconciliationItem]) -> String {
    let items: Vec<Value> = items
        .iter()
        .map(|i| {
            json!({
                "upn": i.upn,
                "pupil": i.name,
                "nc_year": nc_year_label(i.nc_year),
                "field": i.field.name(),
                "toolkit_value": i.toolkit,
                "mis_value": i.mis,
                "source": i.source,
                "first_seen": i.first_seen.to_string(),
                "last_seen": i.last_seen.to_string(),
            })
        })
        .collect();
    let document = json!({ "schema_version": SCHEMA_VERSION, "items": items });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values always serialise"))
}

/// The register as one JSON document.
pub fn register_json(rows: &[RegisterRow]) -> String {
    let pupils: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "upn": r.upn,
                "upn_temporary": r.upn_temporary,
                "surname": r.surname,
                "forename": r.forename,
                "date_of_birth": r.date_of_birth.to_string(),
                "nc_year": r.nc_year,
                "form": r.form,
                "sen_status": r.status.code(),
                "census_sen_status": r.status.census_code(),
                "primary_need": r.primary_need.map(|n| n.code()),
                "broad_area": r.area.map(|a| a.slug()),
                "pupil_premium": r.pupil_premium,
                "fsm": r.fsm,
                "eal": r.eal,
                "looked_after": r.looked_after,
                "leaving_date": r.leaving_date.map(|d| d.to_string()),
            })
        })
        .collect();
    let document = json!({ "schema_version": SCHEMA_VERSION, "count": rows.len(), "pupils": pupils });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values serialise"))
}

/// One pupil's record, status history and needs as one JSON document.
pub fn pupil_json(r: &PupilRecord) -> String {
    let document = json!({
        "schema_version": SCHEMA_VERSION,
        "upn": r.upn,
        "upn_temporary": r.upn_temporary,
        "legal_forename": r.legal_forename,
        "legal_surname": r.legal_surname,
        "preferred_forename": r.preferred_forename,
        "preferred_surname": r.preferred_surname,
        "date_of_birth": r.date_of_birth.to_string(),
        "sex": r.sex.code(),
        "nc_year": r.nc_year,
        "form": r.form,
        "admission_date": r.admission_date.to_string(),
        "leaving_date": r.leaving_date.map(|d| d.to_string()),
        "previous_enrolments": r.previous_enrolments.iter().map(|e| json!({
            "admission_date": e.admission_date.to_string(),
            "leaving_date": e.leaving_date.to_string(),
        })).collect::<Vec<_>>(),
        "pupil_premium": r.pupil_premium,
        "fsm": r.fsm,
        "eal": r.eal,
        "looked_after": r.looked_after,
        "attendance_pct": r.attendance_pct,
        "sen_status": r.status.code(),
        "census_sen_status": r.status.census_code(),
        "status_history": r.status_history.iter().map(|p| json!({
            "status": p.status.code(),
            "start_date": p.start_date.to_string(),
            "end_date": p.end_date.map(|d| d.to_string()),
            "reason": p.reason,
        })).collect::<Vec<_>>(),
        "needs": r.needs.iter().map(|n| json!({
            "code": n.code.code(),
            "rank": n.rank,
            "broad_area": n.area.slug(),
            "start_date": n.start_date.to_string(),
            "end_date": n.end_date.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
    });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values serialise"))
}

fn yes_no(flag: bool) -> String {
    if flag { "Y".into() } else { "N".into() }
}


/// The worklist as one JSON document: each item's `kind`, `upn` and `due` (ISO), and more.
pub fn worklist_json(items: &[crate::store::WorkItem], today: chrono::NaiveDate) -> String {
    let items: Vec<Value> = items
        .iter()
        .map(|w| {
            json!({
                "kind": w.kind,
                "upn": w.upn,
                "name": w.name,
                "due": w.due,
                "overdue": w.overdue,
                "cycle": w.cycle,
                "detail": w.detail,
            })
        })
        .collect();
    let document = json!({ "schema_version": SCHEMA_VERSION, "date": today.to_string(), "count": items.len(), "items": items });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values serialise"))
}

/// The provision map as one JSON document: one row per intervention per pupil, per-pupil
/// totals, totals by area, wave and year group, and the school total. Money is in pence.
pub fn provision_json(map: &crate::store::ProvisionMap) -> String {
    let rows: Vec<Value> = map
        .rows
        .iter()
        .map(|r| {
            json!({
                "upn": r.upn,
                "nc_year": r.nc_year,
                "intervention": r.intervention,
                "intervention_name": r.intervention_name,
                "area": r.area,
                "wave": r.wave,
                "start_date": r.start_date,
                "end_date": r.end_date,
                "sessions_per_week": r.sessions_per_week,
                "weeks": r.weeks,
                "minutes": r.minutes,
                "group_size": r.group_size,
                "hourly_rate_pence": r.hourly_rate_pence,
                "resources_pence": r.resources_pence,
                "planned_cost_pence": r.planned_cost_pence,
                "sessions_delivered": r.sessions_delivered,
                "cost_to_date_pence": r.cost_to_date_pence,
            })
        })
        .collect();
    let pupils: Vec<Value> = map
        .pupils
        .iter()
        .map(|p| json!({ "upn": p.upn, "nc_year": p.nc_year, "planned_cost_pence": p.planned_cost_pence, "cost_to_date_pence": p.cost_to_date_pence, "over_threshold": p.over_threshold }))
        .collect();
    let groups = |groups: &[crate::store::GroupTotal]| -> Vec<Value> {
        groups.iter().map(|g| json!({ "group": g.group, "pupils": g.pupils, "planned_cost_pence": g.planned_cost_pence, "cost_to_date_pence": g.cost_to_date_pence })).collect()
    };
    let document = json!({
        "schema_version": SCHEMA_VERSION,
        "academic_year": map.year_label,
        "threshold_pence": map.threshold_pence,
        "rows": rows,
        "pupils": pupils,
        "by_area": groups(&map.by_area),
        "by_wave": groups(&map.by_wave),
        "by_year_group": groups(&map.by_year_group),
        "school_total": { "planned_cost_pence": map.school_planned_pence, "cost_to_date_pence": map.school_to_date_pence },
    });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values serialise"))
}

/// A pupil's cycles as one JSON document. Each stage is written in the stage format of
/// `docs/formats/cycle-stage.md`, so a script can read a stage back and record it again.
pub fn cycles_json(upn: &str, cycles: &[crate::store::CycleRecord]) -> String {
    let document = json!({ "schema_version": SCHEMA_VERSION, "upn": upn, "cycles": cycles });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values serialise"))
}

/// The audit trail for a spreadsheet: one line per entry, newest first.
pub fn audit_csv(entries: &[crate::store::AuditEntry]) -> String {
    let mut csv = Csv::new(&["id", "at", "who", "action", "record", "record_id", "upn", "summary"]);
    for e in entries {
        csv.row(&[
            e.id.to_string(),
            e.at.clone(),
            e.actor.clone(),
            e.action.clone(),
            e.record.clone(),
            e.record_id.map(|i| i.to_string()).unwrap_or_default(),
            e.upn.clone().unwrap_or_default(),
            e.summary.clone(),
        ]);
    }
    csv.finish()
}

/// The audit trail as one JSON document.
pub fn audit_json(entries: &[crate::store::AuditEntry]) -> String {
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "at": e.at,
                "who": e.actor,
                "action": e.action,
                "record": e.record,
                "record_id": e.record_id,
                "upn": e.upn,
                "summary": e.summary,
            })
        })
        .collect();
    let document = json!({ "schema_version": SCHEMA_VERSION, "count": items.len(), "entries": items });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values always serialise"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::census::{NeedCode, SenStatus};
    use crate::pupil::{NeedRecord, PupilId, PupilRecord, Sex, StatusPeriod};
    use crate::sen::NeedId;
    use chrono::NaiveDate;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn row(surname: &str, forename: &str, status: SenStatus, need: Option<NeedCode>) -> RegisterRow {
        RegisterRow {
            id: PupilId(1),
            upn: "K886200724123".into(),
            upn_temporary: false,
            forename: forename.into(),
            surname: surname.into(),
            nc_year: 0,
            form: "RB".into(),
            status,
            primary_need: need,
            area: need.map(|n| n.area()),
            pupil_premium: true,
            fsm: false,
            eal: false,
            looked_after: false,
            leaving_date: None,
            date_of_birth: date("2021-03-14"),
        }
    }

    /// Shows the bytes a spreadsheet sees: the byte-order mark and each CR made visible.
    fn visible(csv: &str) -> String {
        csv.replace('\u{FEFF}', "<BOM>").replace('\r', "<CR>")
    }

    fn check_cell(input: &str, expected: &str) {
        assert_eq!(cell(input), expected, "for {input:?}");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_neutralised() {
        check_cell("Quill", "Quill");
        check_cell("=HYPERLINK(\"http://x\",\"click\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"");
        check_cell("+44 1234", "\"'+44 1234\"");
        check_cell("-2+3", "\"'-2+3\"");
        check_cell("@SUM(A1)", "\"'@SUM(A1)\"");
        check_cell("\tcmd", "\"'\tcmd\"");
        check_cell("\rcmd", "\"'\rcmd\"");
        check_cell("after review, spring", "\"after review, spring\"");
        check_cell("line\rbreak", "\"line\rbreak\"");
        check_cell("Ada \"Addy\"", "\"Ada \"\"Addy\"\"\"");
        check_cell("O'Brien", "O'Brien");
    }

    #[test]
    fn the_register_csv_is_pinned() {
        let rows = [
            row("Quill", "Ada, \"Addy\"", SenStatus::Monitoring, Some(NeedCode::SLCN)),
            row("Ashcombe", "Bodhi", SenStatus::EhcPlan, Some(NeedCode::ASD)),
        ];
        insta::assert_snapshot!(visible(&register_csv(&rows)));
    }

    #[test]
    fn the_register_json_is_pinned() {
        let rows = [row("Quill", "Ada", SenStatus::SenSupport, Some(NeedCode::SLCN)), row("Fairbank", "Wren", SenStatus::NoSen, None)];
        insta::assert_snapshot!(register_json(&rows));
        let empty: Value = serde_json::from_str(&register_json(&[])).unwrap();
        assert_eq!((empty["schema_version"].as_u64(), empty["count"].as_u64()), (Some(1), Some(0)));
    }

    #[test]
    fn the_pupil_json_is_pinned() {
        let record = PupilRecord {
            id: PupilId(7),
            upn: "K886200724123".into(),
            upn_temporary: false,
            legal_forename: "Ada".into(),
            legal_surname: "Quill".into(),
            preferred_forename: "Addie".into(),
            preferred_surname: String::new(),
            date_of_birth: date("2017-03-14"),
            sex: Sex::F,
            nc_year: 4,
            form: "4B".into(),
            admission_date: date("2021-09-01"),
            leaving_date: None,
            pupil_premium: true,
            fsm: true,
            eal: false,
            looked_after: false,
            attendance_pct: Some(94.5),
            status: SenStatus::SenSupport,
            status_since: date("2025-01-06"),
            status_history: vec![
                StatusPeriod { status: SenStatus::NoSen, start_date: date("2021-09-01"), end_date: Some(date("2025-01-05")), reason: "admitted".into() },
                StatusPeriod { status: SenStatus::SenSupport, start_date: date("2025-01-06"), end_date: None, reason: "speech therapy referral".into() },
            ],
            needs: vec![NeedRecord {
                id: NeedId(3),
                code: NeedCode::SLCN,
                description: NeedCode::SLCN.description().into(),
                area: NeedCode::SLCN.area(),
                rank: 1,
                start_date: date("2025-01-06"),
                end_date: None,
            }],
            next_rank: Some(2),
            previous_enrolments: vec![],
        };
        insta::assert_snapshot!(pupil_json(&record));
    }
}
