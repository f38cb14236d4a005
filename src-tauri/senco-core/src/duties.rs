//! The school's SEN duties a governing body must see: who the SENCO is and whether they hold
//! the mandatory qualification, and when the SEN information report and the accessibility
//! plan were last reviewed. The SENCO records them (the Library screen, `senco duties`); the
//! governors' summary shows them beside the figures.
//!
//! Sources (domain notes §7.1):
//! - Children and Families Act 2014, s67: the governing body must designate a qualified
//!   teacher as SENCO.
//! - SEND Regulations 2014, reg 49(4): "Where a person becomes the SENCO at a relevant school
//!   after 1st September 2009, and has not previously been the SENCO at that or any other
//!   relevant school for a total period of more than twelve months, the appropriate
//!   authority of the school must ensure that, if the person is the SENCO at the school at
//!   any time after the third anniversary of the date on which that person becomes a SENCO,
//!   that person holds the qualification" (the National Award for SEN Co-ordination, 49(5),
//!   for which the NPQ for SENCOs stands from September 2024). So the deadline is the third
//!   anniversary of taking up the post, and there is none for a SENCO appointed on or before
//!   1 September 2009. The twelve months' earlier service the app cannot know: the note says
//!   so.
//! - s69 and the SEND Regulations 2014, reg 51 and Schedule 1: the SEN information report,
//!   published and (Code of Practice 6.79) updated each year.
//! - Equality Act 2010, Schedule 10, paragraph 3: an accessibility plan is "a plan for, over
//!   a prescribed period", improving disabled pupils' access, which the school must "keep
//!   … under review during the period to which it relates". The prescribed period is three
//!   years (found only in secondary sources, schools' published plans; the regulations that
//!   prescribe it were not read).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dates;
use crate::error::{Error, FieldProblem, Result};

/// The longest SENCO name accepted.
pub const NAME_MAX: usize = 100;
/// A SENCO new to the post has this many years to gain the qualification (reg 49(4): "after
/// the third anniversary of the date on which that person becomes a SENCO").
pub const QUALIFY_YEARS: u32 = 3;
/// Reg 49(4) applies to a person who "becomes the SENCO … after 1st September 2009".
pub fn qualification_required_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2009, 9, 1).expect("a real date")
}
/// The SEN information report is updated each year.
pub const REPORT_MONTHS: u32 = 12;
/// An accessibility plan covers a period of three years.
pub const ACCESSIBILITY_YEARS: u32 = 3;

/// Where the SENCO stands with the mandatory qualification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Qualification {
    /// The NPQ for SENCOs, or the NASENCO award it replaced.
    Held,
    WorkingTowards,
    NotStarted,
}

impl Qualification {
    pub const ALL: [Qualification; 3] = [Qualification::Held, Qualification::WorkingTowards, Qualification::NotStarted];

    pub fn code(self) -> &'static str {
        match self {
            Qualification::Held => "held",
            Qualification::WorkingTowards => "working-towards",
            Qualification::NotStarted => "not-started",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Qualification::Held => "Held (NPQ for SENCOs or NASENCO)",
            Qualification::WorkingTowards => "Working towards it",
            Qualification::NotStarted => "Not yet started",
        }
    }

    pub fn from_code(code: &str) -> Option<Qualification> {
        Qualification::ALL.into_iter().find(|q| q.code() == code.trim())
    }
}

/// The duties as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Duties {
    pub senco_name: String,
    pub qualification: Option<Qualification>,
    /// When the SENCO took up the post.
    #[ts(type = "string | null")]
    pub senco_appointed: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub sen_report_reviewed: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub accessibility_plan_reviewed: Option<NaiveDate>,
}

/// The form's fields: dates as typed, empty for none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct DutiesInput {
    pub senco_name: String,
    pub qualification: Option<Qualification>,
    pub senco_appointed: String,
    pub sen_report_reviewed: String,
    pub accessibility_plan_reviewed: String,
}

/// One line for the governors: what, the value, and a note with the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyLine {
    pub id: &'static str,
    pub label: &'static str,
    pub value: String,
    pub note: String,
}

impl DutiesInput {
    /// Checks every field, reporting all problems at once: the name is one line of visible
    /// text, and no date is after `today` or before 2000.
    pub fn validate(&self, today: NaiveDate) -> Result<Duties> {
        let mut problems: Vec<FieldProblem> = Vec::new();
        // A name as a person is named: letters, spaces, hyphens, apostrophes and dots, so no
        // formula or markup can reach the summary's PDF, page or CSV.
        let senco_name = crate::text::name("sencoName", "SENCO's name", &self.senco_name, false).map_err(|p| problems.push(p)).unwrap_or_default();
        let mut date = |field: &str, label: &str, text: &str, earliest: i32| -> Option<NaiveDate> {
            if text.trim().is_empty() {
                return None;
            }
            match dates::read(field, label, text) {
                Ok(d) if d > today => {
                    problems.push(FieldProblem::new(field, format!("the {label} ({}) is after today", dates::short(d))));
                    None
                }
                Ok(d) if d.year() < earliest => {
                    problems.push(FieldProblem::new(field, format!("the {label} ({}) is before {earliest}; check the year", dates::short(d))));
                    None
                }
                Ok(d) => Some(d),
                Err(p) => {
                    problems.push(p);
                    None
                }
            }
        };
        // A SENCO may have been in post for decades; the report and the plan are this
        // century's duties (2014 and 2010).
        let senco_appointed = date("sencoAppointed", "date the SENCO took up the post", &self.senco_appointed, 1970);
        let sen_report_reviewed = date("senReportReviewed", "date the SEN information report was last reviewed", &self.sen_report_reviewed, 2000);
        let accessibility_plan_reviewed = date("accessibilityPlanReviewed", "date the accessibility plan was last reviewed", &self.accessibility_plan_reviewed, 2000);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(Duties { senco_name, qualification: self.qualification, senco_appointed, sen_report_reviewed, accessibility_plan_reviewed })
    }
}

impl Duties {
    /// Text that came from a file (a trust's aggregate): the same checks as the form's.
    pub fn check(&self, today: NaiveDate) -> Result<()> {
        let iso = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        DutiesInput {
            senco_name: self.senco_name.clone(),
            qualification: self.qualification,
            senco_appointed: iso(self.senco_appointed),
            sen_report_reviewed: iso(self.sen_report_reviewed),
            accessibility_plan_reviewed: iso(self.accessibility_plan_reviewed),
        }
        .validate(today)
        .map(|_| ())
    }

    pub fn is_empty(&self) -> bool {
        *self == Duties::default()
    }

    /// The lines the governors' summary shows, judged on `on` (the day they were read),
    /// which the notes call `on_name` ("today", or "on 7 December 2026, the day this summary
    /// was made").
    pub fn lines(&self, on: NaiveDate, on_name: &str) -> Vec<DutyLine> {
        let not_recorded = || "not recorded".to_string();
        let senco = DutyLine {
            id: "senco",
            label: "SENCO",
            value: if self.senco_name.is_empty() { not_recorded() } else { self.senco_name.clone() },
            note: "The governing body must designate a qualified teacher as SENCO (Children and Families Act 2014, s67).".into(),
        };
        // The third anniversary, for a SENCO who took up the post after 1 September 2009.
        let deadline = self
            .senco_appointed
            .filter(|d| *d > qualification_required_from())
            .and_then(|d| d.checked_add_months(chrono::Months::new(QUALIFY_YEARS * 12)));
        let qualification = DutyLine {
            id: "senco_qualification",
            label: "SENCO's qualification",
            value: match self.qualification {
                None => not_recorded(),
                Some(Qualification::Held) => "Held".into(),
                Some(q) => q.label().into(),
            },
            note: match (self.qualification, deadline) {
                (Some(Qualification::Held), _) => "The NPQ for SENCOs, or the NASENCO award it replaced.".into(),
                (Some(_), Some(due)) if due < on => format!(
                    "The three years from taking up the post ended on {}, before {on_name}: a SENCO new to the role must hold it after the third anniversary (SEND Regulations 2014, reg 49(4)).",
                    dates::long(due)
                ),
                (Some(_), Some(due)) => format!(
                    "To be gained by {}, the third anniversary of taking up the post (reg 49(4); not required of a SENCO with more than 12 months as SENCO before).",
                    dates::long(due)
                ),
                (Some(_), None) if self.senco_appointed.is_some() => "Took up the post by 1 September 2009, before reg 49(4) required it.".into(),
                _ => "A SENCO new to the role must hold it after the third anniversary of taking up the post (SEND Regulations 2014, reg 49(4)).".into(),
            },
        };
        let reviewed = |id: &'static str, label: &'static str, date: Option<NaiveDate>, months: u32, rule: &str| {
            let due = date.and_then(|d| d.checked_add_months(chrono::Months::new(months)));
            DutyLine {
                id,
                label,
                value: date.map_or_else(not_recorded, dates::long),
                note: match due {
                    Some(due) if due < on => format!("Due again by {}: overdue {on_name}. {rule}", dates::long(due)),
                    Some(due) => format!("Due again by {}. {rule}", dates::long(due)),
                    None => rule.to_string(),
                },
            }
        };
        vec![
            senco,
            qualification,
            reviewed(
                "sen_report",
                "SEN information report last reviewed",
                self.sen_report_reviewed,
                REPORT_MONTHS,
                "Published on the school's website and updated each year (SEND Regulations 2014, reg 51; Code of Practice 6.79).",
            ),
            reviewed(
                "accessibility_plan",
                "Accessibility plan last reviewed",
                self.accessibility_plan_reviewed,
                ACCESSIBILITY_YEARS * 12,
                "A plan over a prescribed period of three years, kept under review during it (Equality Act 2010, Schedule 10, para 3).",
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input(name: &str, appointed: &str, report: &str, plan: &str) -> DutiesInput {
        DutiesInput {
            senco_name: name.into(),
            qualification: Some(Qualification::WorkingTowards),
            senco_appointed: appointed.into(),
            sen_report_reviewed: report.into(),
            accessibility_plan_reviewed: plan.into(),
        }
    }

    #[test]
    fn every_bad_field_is_named_at_once_and_nothing_is_kept() {
        let err = input("Ms \u{202E}Example", "2027-01-01", "31/02/2026", "1999-09-01").validate(d("2026-12-07")).unwrap_err();
        let Error::Invalid(problems) = err else { panic!("{err}") };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["sencoName", "sencoAppointed", "senReportReviewed", "accessibilityPlanReviewed"], "{problems:?}");
        assert!(problems[1].message.contains("after today"), "{problems:?}");
        assert!(problems[3].message.contains("before 2000"), "{problems:?}");
        let long = "N".repeat(NAME_MAX + 1);
        assert!(input(&long, "", "", "").validate(d("2026-12-07")).is_err());
        // No formula or markup can be a name.
        for hostile in ["=HYPERLINK(\"http://x\")", "<b>Ms A</b>", "@SUM(A1)"] {
            assert!(input(hostile, "", "", "").validate(d("2026-12-07")).is_err(), "{hostile}");
        }
        // A SENCO in post since 1995 can be recorded; a review in 1999 cannot.
        assert!(input("Mr B Long-Serving", "1995-09-01", "", "").validate(d("2026-12-07")).is_ok());
        // Everything empty is allowed: it says "not recorded".
        let empty = DutiesInput::default().validate(d("2026-12-07")).unwrap();
        assert!(empty.is_empty());
        assert!(empty.lines(d("2026-10-01"), "today").iter().all(|l| l.value == "not recorded"));
    }

    #[test]
    fn the_qualification_is_due_three_years_from_taking_up_the_post() {
        // Reg 49(4): "if the person is the SENCO at the school at any time after the third
        // anniversary of the date on which that person becomes a SENCO, that person holds the
        // qualification", for a person who "becomes the SENCO … after 1st September 2009".
        let duties = input("Ms A Example", "2024-09-02", "2025-10-20", "2024-03-01").validate(d("2026-12-07")).unwrap();
        let lines = duties.lines(d("2026-10-01"), "today");
        let by = |id: &str| lines.iter().find(|l| l.id == id).unwrap().clone();
        assert_eq!(by("senco").value, "Ms A Example");
        assert_eq!(by("senco_qualification").value, "Working towards it");
        assert!(by("senco_qualification").note.starts_with("To be gained by 2 September 2027"), "{:?}", by("senco_qualification"));
        // On the anniversary itself the SENCO is not yet late; the day after, they are.
        assert!(!duties.lines(d("2027-09-02"), "today")[1].note.contains("ended on"));
        assert!(duties.lines(d("2027-09-03"), "today")[1].note.contains("ended on 2 September 2027"));
        // Appointed on or before 1 September 2009: reg 49(4) sets no deadline.
        let before = input("Mr B Long-Serving", "2009-09-01", "", "").validate(d("2026-12-07")).unwrap();
        assert!(before.lines(d("2026-10-01"), "today")[1].note.starts_with("Took up the post by 1 September 2009"), "{:?}", before.lines(d("2026-10-01"), "today")[1]);
        let after = input("Ms C New", "2009-09-02", "", "").validate(d("2026-12-07")).unwrap();
        assert!(after.lines(d("2026-10-01"), "today")[1].note.contains("ended on 2 September 2012"));
        let late = duties.lines(d("2027-10-07"), "today");
        assert!(late[1].note.contains("ended on 2 September 2027, before today"), "{:?}", late[1]);
        // The SEN information report is updated each year; the accessibility plan is for three.
        assert_eq!(by("sen_report").value, "20 October 2025");
        assert!(by("sen_report").note.starts_with("Due again by 20 October 2026."), "{:?}", by("sen_report"));
        assert!(duties.lines(d("2026-10-21"), "today")[2].note.starts_with("Due again by 20 October 2026: overdue today."));
        assert!(by("accessibility_plan").note.starts_with("Due again by 1 March 2027."), "{:?}", by("accessibility_plan"));
    }
}
