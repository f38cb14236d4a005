//! How `senco` prints: a table or text for people, or the core's export formats (CSV, and
//! JSON with a `schema_version`) for scripts.

use senco_core::export;
use senco_core::pupil::{nc_year_label, PupilRecord};
use senco_core::register::RegisterRow;

use crate::{ListFormat, RecordFormat};

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
        ListFormat::Csv => export::register_csv(rows),
        ListFormat::Json => export::register_json(rows),
    }
}

pub fn record(r: &PupilRecord, format: RecordFormat) -> String {
    match format {
        RecordFormat::Json => export::pupil_json(r),
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

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width { text.to_string() } else { format!("{}…", text.chars().take(width - 1).collect::<String>()) }
}
