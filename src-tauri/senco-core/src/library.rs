//! The school's provision library: the interventions it runs and the staff roles that run
//! them, with both the local authority's notional hourly rate and the school's own.
//!
//! A new school starts with the seed in `assets/library/` (interventions described in our
//! own words); the school edits its copy. Money is integer pence.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::apdr::{Wave, GROUP_SIZE_MAX, SESSIONS_PER_WEEK_MAX, SESSION_MINUTES_MAX};
use crate::census::BroadArea;
use crate::error::{Error, FieldProblem, Result};
use crate::text;

const SEED_INTERVENTIONS: &str = include_str!("../../../assets/library/interventions.json");
const SEED_ROLES: &str = include_str!("../../../assets/library/staff_roles.json");

/// The notional SEN threshold per pupil per academic year (£6,000), unless the school sets another.
pub const DEFAULT_THRESHOLD_PENCE: i64 = 600_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffRole {
    pub key: String,
    pub name: String,
    #[ts(type = "number")]
    pub la_rate_pence: i64,
    #[ts(type = "number")]
    pub school_rate_pence: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Intervention {
    pub key: String,
    pub name: String,
    pub area: BroadArea,
    pub wave: Wave,
    pub description: String,
    pub evidence: String,
    pub staff_role: String,
    #[ts(type = "number")]
    pub minutes_per_session: i64,
    #[ts(type = "number")]
    pub sessions_per_week: i64,
    #[ts(type = "number")]
    pub group_size: i64,
    #[ts(type = "number")]
    pub weeks: i64,
    #[ts(type = "number")]
    pub resources_pence: i64,
    /// Added by the school rather than shipped.
    #[serde(default)]
    pub school_added: bool,
}

#[derive(Deserialize)]
struct SeedIntervention {
    key: String,
    name: String,
    area: String,
    wave: Wave,
    description: String,
    evidence: String,
    staff_role: String,
    minutes_per_session: i64,
    sessions_per_week: i64,
    group_size: i64,
    weeks: i64,
    resources_pence: i64,
}

#[derive(Deserialize)]
struct SeedRole {
    key: String,
    name: String,
    la_rate_pence: i64,
    school_rate_pence: i64,
}

/// The roles a new school starts with.
pub fn seed_roles() -> Vec<StaffRole> {
    let seed: Vec<SeedRole> = serde_json::from_str(SEED_ROLES).expect("the shipped staff roles are valid (tested)");
    seed.into_iter().map(|r| StaffRole { key: r.key, name: r.name, la_rate_pence: r.la_rate_pence, school_rate_pence: r.school_rate_pence }).collect()
}

/// The interventions a new school starts with.
pub fn seed_interventions() -> Vec<Intervention> {
    let seed: Vec<SeedIntervention> = serde_json::from_str(SEED_INTERVENTIONS).expect("the shipped interventions are valid (tested)");
    seed.into_iter()
        .map(|s| Intervention {
            key: s.key,
            name: s.name,
            area: BroadArea::from_slug(&s.area).expect("the shipped interventions name real areas (tested)"),
            wave: s.wave,
            description: s.description,
            evidence: s.evidence,
            staff_role: s.staff_role,
            minutes_per_session: s.minutes_per_session,
            sessions_per_week: s.sessions_per_week,
            group_size: s.group_size,
            weeks: s.weeks,
            resources_pence: s.resources_pence,
            school_added: false,
        })
        .collect()
}

impl Intervention {
    /// Checks an intervention a school adds or edits; `roles` are the school's role keys.
    pub fn validate(&self, roles: &[String]) -> Result<Intervention> {
        let mut problems = Vec::new();
        let mut line = |field: &str, label: &str, value: &str, max: usize| match text::line(field, label, value, max) {
            Ok(v) if v.is_empty() => {
                problems.push(FieldProblem::new(field, format!("enter the {label}")));
                v
            }
            Ok(v) => v,
            Err(p) => {
                problems.push(p);
                value.to_string()
            }
        };
        let name = line("name", "name", &self.name, 100);
        let description = line("description", "description", &self.description, text::REASON_MAX);
        let evidence = line("evidence", "evidence base", &self.evidence, text::REASON_MAX);
        let key = slug(&if self.key.trim().is_empty() { name.clone() } else { self.key.clone() });
        if key.is_empty() {
            problems.push(FieldProblem::new("key", "the short name needs letters or digits"));
        }
        if !roles.contains(&self.staff_role) {
            problems.push(FieldProblem::new("staffRole", format!("\"{}\" is not one of the school's staff roles", self.staff_role)));
        }
        if self.area == BroadArea::Uncategorised {
            problems.push(FieldProblem::new("area", "choose one of the four broad areas of need"));
        }
        for (field, label, value, range) in [
            ("minutesPerSession", "minutes a session", self.minutes_per_session, 1..=SESSION_MINUTES_MAX),
            ("sessionsPerWeek", "sessions a week", self.sessions_per_week, 1..=SESSIONS_PER_WEEK_MAX),
            ("groupSize", "group size", self.group_size, 1..=GROUP_SIZE_MAX),
            ("weeks", "weeks", self.weeks, 1..=52),
            ("resourcesPence", "resources cost", self.resources_pence, 0..=100_000_000),
        ] {
            if !range.contains(&value) {
                problems.push(FieldProblem::new(field, format!("the {label} ({value}) must be between {} and {}", range.start(), range.end())));
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(Intervention { key, name, description, evidence, ..self.clone() })
    }
}

/// "Lego-based therapy" → "lego-based-therapy".
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_library_is_valid_and_covers_every_area() {
        let roles: Vec<String> = seed_roles().into_iter().map(|r| r.key).collect();
        let seed = seed_interventions();
        assert!(seed.len() >= 25, "{} interventions", seed.len());
        for intervention in &seed {
            let checked = intervention.validate(&roles).unwrap_or_else(|e| panic!("{}: {e}", intervention.key));
            assert_eq!(checked.key, intervention.key, "seed keys are already slugs");
        }
        for area in [BroadArea::CommunicationAndInteraction, BroadArea::CognitionAndLearning, BroadArea::SocialEmotionalMentalHealth, BroadArea::SensoryAndPhysical] {
            assert!(seed.iter().filter(|i| i.area == area).count() >= 5, "{area:?}");
        }
        let mut keys: Vec<&str> = seed.iter().map(|i| i.key.as_str()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), seed.len(), "keys are unique");
        assert!(seed_roles().iter().all(|r| r.school_rate_pence > 0 && r.la_rate_pence > 0));
    }

    #[test]
    fn a_school_intervention_with_zero_group_or_negative_minutes_is_refused() {
        let mut i = seed_interventions().remove(0);
        i.group_size = 0;
        i.minutes_per_session = -10;
        i.staff_role = "caretaker".into();
        let Err(Error::Invalid(problems)) = i.validate(&["ta".into()]) else { panic!() };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["staffRole", "minutesPerSession", "groupSize"]);
        assert_eq!(slug("  Reading: catch-up (1:1) "), "reading-catch-up-1-1");
    }
}
