//! The plan in plain words for the family: one or two pages, short sentences, large type.
//! What we are working on, what we do, and when we next meet, from the pupil's latest plan.
//! (Kent's SEND strategy reports families finding plans and letters too long and too
//! technical.)

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::pdf::{Document, Style};
use crate::pupil::PupilId;
use crate::store::Store;

const BODY: Style = Style::regular(14.0);
const HEAD: Style = Style::bold(17.0);

fn show(iso: &str) -> String {
    iso.parse::<NaiveDate>().map(crate::dates::long).unwrap_or_else(|_| iso.to_string())
}

/// "3 times a week, 20 minutes each time".
fn how_often(sessions: i64, minutes: i64) -> String {
    let times = match sessions {
        1 => "Once a week".to_string(),
        2 => "Twice a week".to_string(),
        n => format!("{n} times a week"),
    };
    format!("{times}, {} each time", minutes_in_words(minutes))
}

/// "45 minutes", "1 hour", "5 hours 30 minutes".
fn minutes_in_words(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = match h {
        0 => String::new(),
        1 => "1 hour".to_string(),
        n => format!("{n} hours"),
    };
    match (hours.is_empty(), m) {
        (true, m) => format!("{m} minutes"),
        (false, 0) => hours,
        (false, m) => format!("{hours} {m} minutes"),
    }
}

/// Everything the family's summary prints, gathered by `Store::family_summary`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FamilySummary {
    /// The name the pupil goes by, in full, and their first name.
    pub name: String,
    pub first: String,
    pub school: String,
    /// ISO dates of the plan and of its review.
    pub plan_date: String,
    pub review_date: String,
    /// From the one-page profile: what people like about the pupil, and what matters to them.
    pub admire: String,
    pub important: String,
    pub outcomes: Vec<String>,
    pub all_adults: String,
    /// Each intervention's name, and how often it runs if the plan says.
    pub interventions: Vec<(String, Option<(i64, i64)>)>,
}

/// Lays the family's summary out as a PDF.
pub fn render(summary: &FamilySummary, today: NaiveDate) -> Result<Vec<u8>> {
    let FamilySummary { name, first, school, .. } = summary;
    let mut doc = Document::new(&format!("{name}'s plan"), ("", name), school, today)?;
    doc.move_to(22.0);
    doc.paragraph_styled(&format!("{first}'s plan"), Style::bold(26.0));
    doc.paragraph_styled(&format!("{school}. Made on {}. Written for {first} and their family.", show(&summary.plan_date)), Style::regular(12.0));
    doc.gap(3.0);
    if !summary.important.is_empty() || !summary.admire.is_empty() {
        doc.paragraph_styled("About me", HEAD);
        if !summary.admire.is_empty() {
            doc.paragraph_styled(&format!("What people like about me: {}", summary.admire), BODY);
        }
        if !summary.important.is_empty() {
            doc.paragraph_styled(&format!("What matters to me: {}", summary.important), BODY);
        }
    }
    doc.paragraph_styled("What we are working on", HEAD);
    if summary.outcomes.is_empty() {
        doc.paragraph_styled("We have not written the goals down yet.", BODY);
    }
    for outcome in &summary.outcomes {
        doc.paragraph_styled(&format!("• {outcome}"), BODY);
    }
    doc.paragraph_styled("What we do to help", HEAD);
    if !summary.all_adults.is_empty() {
        doc.paragraph_styled(&format!("All the adults who work with {first}: {}", summary.all_adults), BODY);
    }
    for (intervention, often) in &summary.interventions {
        let when = often.map(|(sessions, minutes)| format!(": {}", how_often(sessions, minutes).to_lowercase())).unwrap_or_default();
        doc.paragraph_styled(&format!("• {intervention}{when}."), BODY);
    }
    if summary.interventions.is_empty() && summary.all_adults.is_empty() {
        doc.paragraph_styled("The support in class is described in the full plan.", BODY);
    }
    doc.paragraph_styled("When we next meet", HEAD);
    doc.paragraph_styled(&format!("We will look at how things are going together on {}. You can ask to meet sooner at any time.", show(&summary.review_date)), BODY);
    doc.paragraph_styled("Help and advice", HEAD);
    doc.paragraph_styled(
        "IASK (Information, Advice and Support Kent) gives free, impartial advice to families about special educational needs.",
        BODY,
    );
    doc.finish()
}

impl Store {
    /// The family's summary of the pupil's latest plan, as PDF bytes.
    pub fn family_summary(&self, pupil: PupilId, today: NaiveDate) -> Result<Vec<u8>> {
        let record = self.pupil(pupil)?;
        let cycles = self.cycles(pupil)?;
        let Some((cycle, plan)) = cycles.iter().find_map(|c| c.plan.as_ref().map(|p| (c, p))) else {
            return Err(Error::Refused(format!("{} has no plan yet, so there is nothing to summarise", record.display_name())));
        };
        let profile = self.profile(pupil)?;
        let summary = FamilySummary {
            name: record.display_name(),
            first: if record.preferred_forename.is_empty() { record.legal_forename.clone() } else { record.preferred_forename.clone() },
            school: self.school().name.clone(),
            plan_date: plan.date.clone(),
            review_date: plan.review_date.clone(),
            admire: profile.as_ref().map(|p| p.admire.clone()).unwrap_or_default(),
            important: profile.as_ref().map(|p| p.important.clone()).unwrap_or_default(),
            outcomes: plan.outcomes.iter().map(|o| o.description.clone()).collect(),
            all_adults: plan.all_adults.clone(),
            interventions: cycle
                .interventions
                .iter()
                .map(|i| {
                    let planned = plan.interventions.iter().find(|p| p.intervention == i.key);
                    (i.name.clone(), planned.map(|p| (p.sessions_per_week, p.minutes_per_session)))
                })
                .collect(),
        };
        render(&summary, today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn how_often_reads_as_a_parent_would_say_it() {
        assert_eq!(how_often(1, 45), "Once a week, 45 minutes each time");
        assert_eq!(how_often(2, 60), "Twice a week, 1 hour each time");
        assert_eq!(how_often(5, 330), "5 times a week, 5 hours 30 minutes each time");
    }
}
