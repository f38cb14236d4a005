//! How `senco` prints: a human table, CSV, or one JSON document with a `schema_version`.
//! The CSV and JSON are export formats, so they are written field by field here, never as a
//! dump of the core's types, and their order is stable.

use senco_core::pupil::{nc_year_label, PupilRecord};
use senco_core::register::RegisterRow;
use serde_json::{json, Value};

use crate::{ListFormat, RecordFormat};

/// The version of the JSON this command line prints.
const SCHEMA_VERSION: u32 = 1;

pub fn register(rows: &[RegisterRow], format: ListFormat) -> String {
    match format {
        ListFormat::Table => {
            let mut out = format!("{:<14} {:<28} {:<4} {:<6} {:<6} {:<5}\n", "UPN", "NAME", "YEAR", "FORM", "STATUS", "NEED");
            for r in rows {
                let name = format!("{}, {}", r.surname, r.forename);
                out.push_str(&format!(
                    "{:<14} {:<28} {:<4} {:<6} {:<6} {:<5}{}\n",
                    r.upn,
                    truncate(&name, 28),
                    nc_year_label(r.nc_year),
                    r.form,
                    r.status.code(),
                    r.primary_need.map_or("", |n| n.code()),
                    r.leaving_date.map_or(String::new(), |d| format!(" left {d}"))
                ));
            }
            out
        }
        ListFormat::Csv => {
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
        ListFormat::Json => {
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
    }
}

pub fn record(r: &PupilRecord, format: RecordFormat) -> String {
    match format {
        RecordFormat::Json => {
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
        RecordFormat::Text => {
            let mut out = format!("{} ({})\n", r.display_name(), r.upn);
            if r.upn_temporary {
                out.push_str("  UPN is temporary: replace it when the permanent one is known\n");
            }
            out.push_str(&format!("  Legal name: {} {}\n", r.legal_forename, r.legal_surname));
            out.push_str(&format!("  Born {}, {} {}, form {}\n", r.date_of_birth, r.sex.code(), nc_year_label(r.nc_year), r.form));
            out.push_str(&format!("  Admitted {}{}\n", r.admission_date, r.leaving_date.map_or(String::new(), |d| format!(", left {d} (archived)"))));
            out.push_str(&format!("  SEN status: {} since {}\n", r.status, r.status_since));
            out.push_str("  Status history:\n");
            for p in &r.status_history {
                let end = p.end_date.map_or("now".to_string(), |d| d.to_string());
                out.push_str(&format!("    {} to {}  {}  {}\n", p.start_date, end, p.status, p.reason));
            }
            out.push_str("  Needs:\n");
            for n in &r.needs {
                let end = n.end_date.map_or("now".to_string(), |d| d.to_string());
                out.push_str(&format!("    {} rank {}  {} ({})  {} to {}\n", n.code, n.rank, n.description, n.area.label(), n.start_date, end));
            }
            out
        }
    }
}

fn yes_no(flag: bool) -> String {
    if flag { "Y".into() } else { "N".into() }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width { text.to_string() } else { format!("{}…", text.chars().take(width - 1).collect::<String>()) }
}
