//! Export formats: the register as CSV and as JSON, and one pupil's record as JSON.
//!
//! These are compatibility boundaries: scripts and other systems read them, so they are
//! written field by field here, never as a dump of the core's types, with a
//! `schema_version` in every JSON document and a stable column and key order.

use serde_json::{json, Value};

use crate::pupil::{nc_year_label, PupilRecord};
use crate::register::RegisterRow;

/// The version of the JSON documents written here.
pub const SCHEMA_VERSION: u32 = 1;

/// The register as CSV, one pupil a line, with a header. Census-facing columns show
/// monitoring as N.
pub fn register_csv(rows: &[RegisterRow]) -> String {
    let mut out = String::from("upn,surname,forename,nc_year,form,sen_status,census_sen_status,primary_need,broad_area,pupil_premium,fsm,eal,looked_after,leaving_date\n");
    for r in rows {
        let fields = [
            r.upn.clone(),
            r.surname.clone(),
            r.forename.clone(),
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
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
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

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::census::{NeedCode, SenStatus};
    use crate::pupil::PupilId;

    #[test]
    fn csv_quotes_what_needs_quoting_and_shows_monitoring_to_the_census_as_n() {
        let row = RegisterRow {
            id: PupilId(1),
            upn: "K886200724123".into(),
            upn_temporary: false,
            forename: "Ada, \"Addy\"".into(),
            surname: "Quill".into(),
            nc_year: 0,
            form: "RB".into(),
            status: SenStatus::Monitoring,
            primary_need: Some(NeedCode::SLCN),
            area: Some(NeedCode::SLCN.area()),
            pupil_premium: true,
            fsm: false,
            eal: false,
            looked_after: false,
            leaving_date: None,
        };
        let csv = register_csv(&[row]);
        assert_eq!(csv.lines().nth(1), Some("K886200724123,Quill,\"Ada, \"\"Addy\"\"\",R,RB,M,N,SLCN,ci,Y,N,N,N,"));
        let json: Value = serde_json::from_str(&register_json(&[])).unwrap();
        assert_eq!((json["schema_version"].as_u64(), json["count"].as_u64()), (Some(1), Some(0)));
    }
}
