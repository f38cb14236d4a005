//! The subject-access export: everything the toolkit holds about one pupil, for a parent's
//! or pupil's request under UK GDPR Article 15 (domain.md §8.1), as a readable PDF, the
//! same as JSON, the attachments as they were filed, and a manifest of SHA-256 sums, in
//! one folder, ready for the school to check and redact before release.
//!
//! The PDF is drawn from the JSON document itself (every section, every field, labels made
//! from the field names, ISO dates shown the British way), so nothing in the JSON can be
//! missing from the PDF. The folder is built beside its final name and renamed into place.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::backup::{file_digest, BackupFile};
use crate::error::{Error, Result};
use crate::files;
use crate::pdf::{Document, Style};
use crate::pupil::PupilId;
use crate::store::{AuditQuery, ExportAudit, Place, Store};
use crate::Stamp;

/// The format of `record.json`.
pub const SAR_SCHEMA: u32 = 1;

/// What was written.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SarWritten {
    pub folder: String,
    pub files: Vec<BackupFile>,
}

/// An attachment as it goes in the bundle: its path there and its bytes.
pub type AttachmentFile = (String, Vec<u8>);

/// Gathers the pupil's whole file as one JSON document, with its attachments.
pub fn gather(store: &Store, pupil: PupilId, today: NaiveDate) -> Result<(Value, Vec<AttachmentFile>)> {
    let record = store.pupil(pupil)?;
    let upn = record.upn.clone();
    let involvements = store.involvements(pupil)?;
    let mut attachments = Vec::new();
    for involvement in &involvements {
        for info in &involvement.attachments {
            let (name, _kind, bytes) = store.attachment(info.id)?;
            let safe: String = name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') { c } else { '_' }).collect();
            // Short enough for any disk's name limit, whatever the characters.
            let safe: String = safe.trim().chars().take(80).collect();
            attachments.push((format!("attachments/{}-{}", info.id, safe), bytes));
        }
    }
    let audit = store.audit(&AuditQuery { upn: Some(upn.clone()), ..AuditQuery::default() })?;
    let packs: Vec<_> = audit.iter().filter(|e| e.action == "export-pack").cloned().collect();
    let value = serde_json::json!({
        "schema_version": SAR_SCHEMA,
        "prepared_on": today,
        "school": store.school().name,
        "pupil": record,
        "retain_until": store.retain_until(pupil)?,
        "cycles": store.cycles(pupil)?,
        "parent_meetings": store.parent_meetings(pupil, today)?,
        "specialists": involvements,
        "one_page_profile": store.profile(pupil)?,
        "consents": store.consents(pupil, today)?,
        "annual_review": store.annual_review(pupil, today)?,
        "assessment_requests": store.requests(pupil, today)?,
        "packs_sent": packs,
        "audit_entries": audit,
        "attachment_files": attachments.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>(),
    });
    Ok((value, attachments))
}

/// "dateOfBirth" and "date_of_birth" become "Date of birth".
fn label(key: &str) -> String {
    match key {
        "eal" => return "English as an additional language".into(),
        "fsm" => return "Free school meals".into(),
        "attendancePct" => return "Attendance (%)".into(),
        "id" => return "Record number".into(),
        _ => {}
    }
    let mut out = String::new();
    for (i, c) in key.chars().enumerate() {
        if c == '_' {
            out.push(' ');
        } else if c.is_uppercase() && i > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else if i == 0 {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out.replace("Upn", "UPN").replace(" upn", " UPN").replace(" nc ", " NC ").replace("Nc ", "NC ").replace(" sen", " SEN").replace("Sen ", "SEN ")
}

/// A scalar as a person reads it: ISO dates the British way, yes/no, "none" for null.
fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if let Ok(d) = s.parse::<NaiveDate>() {
                crate::dates::short(d)
            } else if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
                format!("{} at {}", crate::dates::short(t.date()), t.format("%H:%M"))
            } else if s.is_empty() {
                "(blank)".into()
            } else {
                s.clone()
            }
        }
        other => other.to_string(),
    }
}

/// Lays out any JSON value: objects as label/value facts (nested objects and lists as
/// their own subsections), lists of records numbered.
fn lay_out(doc: &mut Document, title: &str, value: &Value, depth: usize) {
    match value {
        Value::Object(map) => {
            let facts: Vec<(String, String)> = map.iter().filter(|(_, v)| !v.is_object() && !v.is_array()).map(|(k, v)| (label(k), scalar(v))).collect();
            if !facts.is_empty() {
                let borrowed: Vec<(&str, String)> = facts.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                doc.facts(&borrowed);
            }
            for (k, v) in map.iter().filter(|(_, v)| v.is_object() || v.is_array()) {
                let heading = format!("{title}: {}", label(k).to_lowercase());
                doc.ensure(20.0);
                doc.paragraph_styled(&heading, Style::bold(if depth == 0 { 11.0 } else { 10.0 }));
                lay_out(doc, &heading, v, depth + 1);
            }
        }
        Value::Array(items) if items.is_empty() => doc.paragraph("None recorded."),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            doc.paragraph(&items.iter().map(scalar).collect::<Vec<_>>().join("; "));
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                let heading = format!("{title} {}", n + 1);
                doc.ensure(20.0);
                doc.paragraph_styled(&heading, Style::bold(10.0));
                lay_out(doc, &heading, item, depth + 1);
            }
        }
        other => doc.paragraph(&scalar(other)),
    }
}

const SECTIONS: &[(&str, &str)] = &[
    ("pupil", "Details, SEN status and needs"),
    ("retain_until", "How long this file is kept"),
    ("cycles", "Support cycles (assess, plan, do, review), provision and delivery"),
    ("parent_meetings", "Meetings with parents and carers"),
    ("specialists", "Specialist involvement and advice"),
    ("one_page_profile", "One-page profile"),
    ("consents", "Consents"),
    ("annual_review", "Annual review of the EHC plan"),
    ("assessment_requests", "Requests for an EHC needs assessment"),
    ("packs_sent", "Evidence packs sent"),
    ("audit_entries", "Audit trail: every recorded action about this pupil"),
    ("attachment_files", "Attachments (in the attachments folder)"),
];

/// The PDF of a gathered document.
pub fn render(document: &Value) -> Result<Vec<u8>> {
    let name = document["pupil"]["legalForename"].as_str().unwrap_or("").to_string() + " " + document["pupil"]["legalSurname"].as_str().unwrap_or("");
    let school = document["school"].as_str().unwrap_or("");
    let prepared: NaiveDate = document["prepared_on"].as_str().and_then(|d| d.parse().ok()).ok_or_else(|| Error::Refused("the record has no preparation date".into()))?;
    let mut doc = Document::new(&format!("Subject access: {name}"), ("OFFICIAL-SENSITIVE", &name), school, prepared)?;
    doc.heading(&format!("Everything SENCO Toolkit holds about {name}"));
    doc.paragraph(&format!(
        "Prepared by {school} on {} in answer to a subject access request. It is the whole record as this school's SENCO Toolkit holds it: \
         check it, and redact anything about other people, before it is released.",
        crate::dates::long(prepared)
    ));
    for (key, title) in SECTIONS {
        doc.bookmark(title);
        doc.heading(title);
        lay_out(&mut doc, title, &document[*key], 0);
    }
    doc.finish()
}

impl Store {
    /// Writes the subject-access bundle for one pupil into a new folder inside `out`
    /// (`SAR-<UPN>-<date>`, or `-2`, `-3`… if taken), and audits it.
    pub fn subject_access(&mut self, pupil: PupilId, out: &Path, stamp: Stamp) -> Result<SarWritten> {
        let (document, attachments) = gather(self, pupil, stamp.today)?;
        let pdf = render(&document)?;
        let json = serde_json::to_vec_pretty(&document).expect("JSON values serialise");
        let upn = document["pupil"]["upn"].as_str().unwrap_or("pupil").to_string();
        let stem = format!("SAR-{upn}-{}", stamp.today);
        let mut listed = Vec::new();
        let audit = ExportAudit::about("subject-access", Some(pupil), format!("subject access export written ({} files)", attachments.len() + 3));
        // The folder arrives under its name only with its audit entry (`Store::deliver`).
        let (folder, _) = self.deliver(out, &Place::new(&stem, ""), audit, stamp, |staging| {
            files::create_private_dir(&staging.join("attachments"))?;
            let mut put = |name: &str, bytes: &[u8]| -> Result<()> {
                let path = staging.join(name);
                files::write_atomically(&path, bytes)?;
                let (size, sha256) = file_digest(&path)?;
                listed.push(BackupFile { name: name.to_string(), size, sha256 });
                Ok(())
            };
            put("record.pdf", &pdf)?;
            put("record.json", &json)?;
            for (name, bytes) in &attachments {
                put(name, bytes)?;
            }
            let manifest = serde_json::json!({
                "format": "senco-subject-access",
                "schema_version": SAR_SCHEMA,
                "app_version": crate::backup::APP_VERSION,
                "upn": upn,
                "prepared_on": stamp.today,
                "files": listed,
            });
            files::write_atomically(&staging.join("manifest.json"), &serde_json::to_vec_pretty(&manifest).expect("serialises"))
        })?;
        Ok(SarWritten { folder: folder.display().to_string(), files: listed })
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn labels_read_as_words() {
        assert_eq!(label("dateOfBirth"), "Date of birth");
        assert_eq!(label("retain_until"), "Retain until");
        assert_eq!(label("upn"), "UPN");
    }
}
