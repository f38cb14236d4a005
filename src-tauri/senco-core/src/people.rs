//! The records around a cycle: parent meetings (three a year expected, CoP 6.65),
//! specialist involvement with its recommendations and reports, and the pupil's one-page
//! profile. Each input is checked here; the store writes it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dates;
use crate::error::{Error, FieldProblem, Result};
use crate::text;

/// The largest report that can be attached, in bytes (10 MiB).
pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Service {
    Stls,
    EducationalPsychologist,
    SpeechAndLanguage,
    OccupationalTherapy,
    Camhs,
    Paediatrician,
    SchoolNurse,
    EarlyHelp,
    Lift,
    Other,
}

impl Service {
    pub const ALL: [Service; 10] = [
        Service::Stls,
        Service::EducationalPsychologist,
        Service::SpeechAndLanguage,
        Service::OccupationalTherapy,
        Service::Camhs,
        Service::Paediatrician,
        Service::SchoolNurse,
        Service::EarlyHelp,
        Service::Lift,
        Service::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Service::Stls => "stls",
            Service::EducationalPsychologist => "ep",
            Service::SpeechAndLanguage => "salt",
            Service::OccupationalTherapy => "ot",
            Service::Camhs => "camhs",
            Service::Paediatrician => "paediatrician",
            Service::SchoolNurse => "school-nurse",
            Service::EarlyHelp => "early-help",
            Service::Lift => "lift",
            Service::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Service::Stls => "Specialist teaching and learning service (STLS)",
            Service::EducationalPsychologist => "Educational psychologist",
            Service::SpeechAndLanguage => "Speech and language therapy",
            Service::OccupationalTherapy => "Occupational therapy",
            Service::Camhs => "Children's mental health service (CAMHS)",
            Service::Paediatrician => "Paediatrician",
            Service::SchoolNurse => "School nurse",
            Service::EarlyHelp => "Early Help",
            Service::Lift => "LIFT (local inclusion forum team)",
            Service::Other => "Other service",
        }
    }

    pub fn label_for(code: &str) -> &'static str {
        Service::ALL.into_iter().find(|s| s.code() == code).map(Service::label).unwrap_or("a service")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ParentMeeting {
    pub date: String,
    /// Who came, e.g. "Mother, class teacher, SENCO".
    pub attendees: String,
    pub summary: String,
    #[serde(default)]
    pub actions: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Recommendation {
    pub text: String,
    #[serde(default)]
    pub acted_on: Option<String>,
    #[serde(default)]
    pub acted_how: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Involvement {
    pub service: Service,
    #[serde(default)]
    pub referral_date: Option<String>,
    #[serde(default)]
    pub seen_date: Option<String>,
    #[serde(default)]
    pub report_date: Option<String>,
    #[serde(default)]
    pub advice: String,
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Profile {
    /// What people like and admire about me.
    pub admire: String,
    /// What is important to me.
    pub important: String,
    /// How best to support me.
    pub support: String,
}

fn collect(problems: Vec<FieldProblem>) -> Result<()> {
    if problems.is_empty() { Ok(()) } else { Err(Error::Invalid(problems)) }
}

fn past_date(problems: &mut Vec<FieldProblem>, field: &str, label: &str, text: &str, today: NaiveDate) -> String {
    match dates::read(field, label, text) {
        Ok(d) if d > today => {
            problems.push(FieldProblem::new(field, format!("the {label} ({}) is in the future", dates::short(d))));
            text.to_string()
        }
        Ok(d) => d.to_string(),
        Err(p) => {
            problems.push(p);
            text.to_string()
        }
    }
}

fn required(problems: &mut Vec<FieldProblem>, result: std::result::Result<String, FieldProblem>, field: &str, label: &str) -> String {
    match result {
        Ok(v) if v.is_empty() => {
            problems.push(FieldProblem::new(field, format!("enter the {label}")));
            v
        }
        Ok(v) => v,
        Err(p) => {
            problems.push(p);
            String::new()
        }
    }
}

/// What a parent or carer agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ConsentKind {
    /// To share information with the local authority (an EHC needs assessment request or
    /// High Needs Funding).
    ShareInformation,
    /// To the school bringing the pupil to a LIFT meeting, and to engage with it.
    LiftAgreement,
}

impl ConsentKind {
    pub const ALL: [ConsentKind; 2] = [ConsentKind::ShareInformation, ConsentKind::LiftAgreement];

    pub fn code(self) -> &'static str {
        match self {
            ConsentKind::ShareInformation => "share-information",
            ConsentKind::LiftAgreement => "lift-agreement",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConsentKind::ShareInformation => "Consent to share information with the local authority",
            ConsentKind::LiftAgreement => "Agreement to a LIFT referral",
        }
    }

    pub fn from_code(code: &str) -> Option<ConsentKind> {
        ConsentKind::ALL.into_iter().find(|k| k.code() == code.trim())
    }
}

/// A consent given by a parent or carer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Consent {
    pub kind: ConsentKind,
    /// Who gave it, e.g. "Mother (Jane Example)".
    pub given_by: String,
    pub date: String,
    /// What it covers, in the words agreed.
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub withdrawn: Option<String>,
}

/// A course or session some staff went on, for an area of need (or for all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Training {
    /// Who was trained, e.g. "Year 4 teacher and two teaching assistants".
    pub staff: String,
    pub course: String,
    pub date: String,
    /// The area of need the training was for; none for general SEN training.
    #[serde(default)]
    pub area: Option<crate::census::BroadArea>,
}

impl Consent {
    pub fn validate(&self, today: NaiveDate) -> Result<Consent> {
        let mut p = Vec::new();
        let date = past_date(&mut p, "date", "date consent was given", &self.date, today);
        let given_by = required(&mut p, text::line("givenBy", "name of who gave consent", &self.given_by, text::REASON_MAX), "givenBy", "name of who gave consent");
        let scope = text::note("scope", "scope of the consent", &self.scope).unwrap_or_else(|e| {
            p.push(e);
            String::new()
        });
        let withdrawn = self.withdrawn.as_ref().filter(|w| !w.trim().is_empty()).map(|w| past_date(&mut p, "withdrawn", "date consent was withdrawn", w, today));
        if let Some(w) = &withdrawn {
            if w < &date && p.is_empty() {
                p.push(FieldProblem::new("withdrawn", "consent cannot be withdrawn before it was given"));
            }
        }
        collect(p)?;
        Ok(Consent { kind: self.kind, given_by, date, scope, withdrawn })
    }

    /// Whether the consent stands on `day`.
    pub fn stands_on(&self, day: NaiveDate) -> bool {
        let given = self.date.parse::<NaiveDate>().is_ok_and(|d| d <= day);
        let withdrawn = self.withdrawn.as_ref().and_then(|w| w.parse::<NaiveDate>().ok()).is_some_and(|w| w <= day);
        given && !withdrawn
    }
}

impl Training {
    pub fn validate(&self, today: NaiveDate) -> Result<Training> {
        let mut p = Vec::new();
        let date = past_date(&mut p, "date", "training date", &self.date, today);
        let staff = required(&mut p, text::line("staff", "staff who were trained", &self.staff, text::REASON_MAX), "staff", "staff who were trained");
        let course = required(&mut p, text::line("course", "course or session", &self.course, text::REASON_MAX), "course", "course or session");
        collect(p)?;
        Ok(Training { staff, course, date, area: self.area })
    }
}

impl ParentMeeting {
    pub fn validate(&self, today: NaiveDate) -> Result<ParentMeeting> {
        let mut p = Vec::new();
        let date = past_date(&mut p, "date", "meeting date", &self.date, today);
        let attendees = required(&mut p, text::line("attendees", "list of who came", &self.attendees, text::REASON_MAX), "attendees", "list of who came");
        let summary = required(&mut p, text::note("summary", "summary", &self.summary), "summary", "summary");
        let actions = text::note("actions", "agreed actions", &self.actions).unwrap_or_else(|e| {
            p.push(e);
            String::new()
        });
        collect(p)?;
        Ok(ParentMeeting { date, attendees, summary, actions })
    }
}

impl Involvement {
    pub fn validate(&self, today: NaiveDate) -> Result<Involvement> {
        let mut p = Vec::new();
        let date = |field: &str, label: &str, value: &Option<String>, p: &mut Vec<FieldProblem>| {
            value.as_ref().filter(|v| !v.trim().is_empty()).map(|v| past_date(p, field, label, v, today))
        };
        let referral_date = date("referralDate", "referral date", &self.referral_date, &mut p);
        let seen_date = date("seenDate", "date seen", &self.seen_date, &mut p);
        let report_date = date("reportDate", "report date", &self.report_date, &mut p);
        if let (Some(r), Some(s)) = (&referral_date, &seen_date) {
            if s < r && p.is_empty() {
                p.push(FieldProblem::new("seenDate", "the pupil cannot be seen before the referral"));
            }
        }
        let advice = text::note("advice", "summary of the advice", &self.advice).unwrap_or_else(|e| {
            p.push(e);
            String::new()
        });
        if self.recommendations.len() > crate::apdr::LIST_MAX {
            p.push(FieldProblem::new("recommendations", format!("at most {} recommendations", crate::apdr::LIST_MAX)));
        }
        let recommendations = self
            .recommendations
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let text = required(&mut p, text::line(&format!("recommendations[{i}].text"), "recommendation", &r.text, text::REASON_MAX), &format!("recommendations[{i}].text"), "recommendation");
                let acted_on = date(&format!("recommendations[{i}].actedOn"), "date it was acted on", &r.acted_on, &mut p);
                let acted_how = text::line(&format!("recommendations[{i}].actedHow"), "how it was acted on", &r.acted_how, text::REASON_MAX).unwrap_or_else(|e| {
                    p.push(e);
                    String::new()
                });
                if acted_on.is_some() && acted_how.is_empty() {
                    p.push(FieldProblem::new(&format!("recommendations[{i}].actedHow"), "say how the recommendation was acted on"));
                }
                Recommendation { text, acted_on, acted_how }
            })
            .collect();
        collect(p)?;
        Ok(Involvement { service: self.service, referral_date, seen_date, report_date, advice, recommendations })
    }
}

impl Profile {
    pub fn validate(&self) -> Result<Profile> {
        let mut p = Vec::new();
        let mut note = |field: &str, label: &str, value: &str| {
            text::note(field, label, value).unwrap_or_else(|e| {
                p.push(e);
                String::new()
            })
        };
        let profile = Profile {
            admire: note("admire", "what people like and admire", &self.admire),
            important: note("important", "what is important to me", &self.important),
            support: note("support", "how best to support me", &self.support),
        };
        collect(p)?;
        Ok(profile)
    }
}

/// The kind of a report file, read from its first bytes (never from its name).
pub fn attachment_type(name: &str, bytes: &[u8]) -> Result<&'static str> {
    attachment_size(name, bytes.len() as u64)?;
    let kind = if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        return Err(Error::invalid("file", format!("{name} is not a PDF, PNG or JPEG file; save the report as a PDF and attach that")));
    };
    Ok(kind)
}

/// Whether a file of `size` bytes may be attached: the app asks before it reads the file, so
/// a 200 MB scan is refused without being copied across.
pub fn attachment_size(name: &str, size: u64) -> Result<()> {
    if size > ATTACHMENT_MAX_BYTES as u64 {
        return Err(Error::invalid(
            "file",
            format!("{name} is {:.1} MB; reports of up to {} MB can be attached: scan it at a lower resolution or attach the pages that matter", size as f64 / 1_048_576.0, ATTACHMENT_MAX_BYTES / 1_048_576),
        ));
    }
    Ok(())
}

/// The name a saved copy of an attached report gets: `report-<id>-`, then the file's own
/// name with anything that could reach another folder, hide the file, reverse the text or
/// trouble a file manager replaced by `_`, cut to 80 characters, and the extension of what
/// the file really is (from its bytes, not its old name).
/// The file extension for an attachment's media type.
pub fn attachment_extension(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    }
}

pub fn attachment_copy_name(id: i64, name: &str, media_type: &str) -> String {
    let extension = attachment_extension(media_type);
    let stem = match name.rsplit_once('.') {
        Some((stem, old)) if ["pdf", "png", "jpg", "jpeg"].iter().any(|e| old.eq_ignore_ascii_case(e)) => stem,
        _ => name,
    };
    let mut safe: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '(' | ')') { c } else { '_' })
        .take(80)
        .collect();
    safe = safe.trim_matches([' ', '_']).to_string();
    if safe.is_empty() {
        safe = "report".into();
    }
    format!("report-{id}-{safe}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_copy_is_named_safely_whatever_the_report_was_called() {
        assert_eq!(attachment_copy_name(3, "EP report.pdf", "application/pdf"), "report-3-EP report.pdf");
        assert_eq!(attachment_copy_name(4, "../../.bashrc", "application/pdf"), "report-4-bashrc.pdf", "no way out of the folder, no hidden file");
        assert_eq!(attachment_copy_name(5, "scan\u{202E}gpj.exe", "image/png"), "report-5-scan_gpj_exe.png", "no reversed text, the real type's extension");
        assert_eq!(attachment_copy_name(6, "a\nb\tc=HYPERLINK().jpeg", "image/jpeg"), "report-6-a_b_c_HYPERLINK().jpg");
        assert_eq!(attachment_copy_name(7, "....", "application/pdf"), "report-7-report.pdf");
        assert_eq!(attachment_copy_name(8, &"é".repeat(300), "application/pdf").chars().count(), "report-8-".len() + 80 + 4);
    }

    #[test]
    fn attachments_are_pdf_or_images_under_the_limit() {
        assert_eq!(attachment_type("r.pdf", b"%PDF-1.7\n...").unwrap(), "application/pdf");
        let too_big = vec![b'%'; ATTACHMENT_MAX_BYTES + 1];
        assert!(attachment_type("big.pdf", &too_big).unwrap_err().to_string().contains("big.pdf is 10.0 MB"));
        assert!(attachment_type("x.pdf", b"MZ\x90\0").unwrap_err().to_string().contains("x.pdf is not a PDF, PNG or JPEG"));
    }

    #[test]
    fn a_recommendation_acted_on_says_how() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let i = Involvement {
            service: Service::SpeechAndLanguage,
            referral_date: Some("3/9/26".into()),
            seen_date: Some("1/10/26".into()),
            report_date: None,
            advice: "Visual timetable".into(),
            recommendations: vec![Recommendation { text: "Use a visual timetable".into(), acted_on: Some("14/10/26".into()), acted_how: "".into() }],
        };
        let Err(Error::Invalid(problems)) = i.validate(today) else { panic!() };
        assert_eq!(problems[0].field, "recommendations[0].actedHow");
    }
}
