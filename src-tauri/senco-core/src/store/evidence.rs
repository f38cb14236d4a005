//! What one pupil's records hold for an evidence pack's rules (`readiness::Evidence`), read
//! from that pupil's rows only, so the check costs the same in any size of school.

use chrono::NaiveDate;

use crate::error::Result;
use crate::pupil::PupilId;
use crate::census::BroadArea;
use crate::pack::{Measure, Pack, PackAttachment, RecordedView, StrategyInPlace};
use crate::readiness::{self, Evidence, Readiness, RuleSet};

use super::Store;

fn day(text: &str) -> Option<NaiveDate> {
    text.parse().ok()
}

impl Store {
    /// The evidence the pack rules look at, for one pupil on `today`.
    pub fn evidence(&self, pupil: PupilId, today: NaiveDate) -> Result<Evidence> {
        let record = self.pupil(pupil)?;
        let on_roll = record.leaving_date.is_none_or(|left| left > today);
        let cycles = self.cycles(pupil)?;
        let mut evidence = Evidence {
            status: on_roll.then_some(record.status),
            need_areas: record.current_needs().map(|n| n.area).collect(),
            attendance_pct: record.attendance_pct,
            threshold_pence: self.threshold_pence()?,
            meetings_this_year: u32::try_from(self.parent_meetings(pupil, today)?.this_year).unwrap_or(0),
            ..Evidence::default()
        };
        for cycle in &cycles {
            if let Some(assessment) = &cycle.assessment {
                evidence.parent_views.extend(assessment.parent_view.as_ref().and_then(|v| day(&v.date)));
                evidence.pupil_views.extend(assessment.pupil_view.as_ref().and_then(|v| day(&v.date)));
                evidence.measures.extend(assessment.baselines.iter().filter_map(|b| day(&b.date)));
            }
            if let Some(review) = &cycle.review {
                evidence.parent_views.extend(review.parent_view.as_ref().and_then(|v| day(&v.date)));
                evidence.pupil_views.extend(review.pupil_view.as_ref().and_then(|v| day(&v.date)));
                if cycle.locked_on.is_some() {
                    evidence.reviews.extend(day(&review.date));
                }
            }
            evidence.plans += u32::from(cycle.plan.is_some());
        }
        // Cycles come newest first: the latest plan is the first one found.
        if let Some((cycle, plan)) = cycles.iter().find_map(|c| c.plan.as_ref().map(|p| (c, p))) {
            let catalogues = self.catalogues()?;
            evidence.strategy_areas = plan
                .strategies
                .iter()
                .map(|tick| catalogues.iter().find_map(|c| c.item(&tick.item_id)).and_then(|item| item.area))
                .collect();
            evidence.planned_cost_pence = Some(cycle.interventions.iter().map(|i| i.planned_cost_pence).sum());
        }
        let involvements = self.involvements(pupil)?;
        evidence.lift_outcomes = involvements
            .iter()
            .filter(|i| i.involvement.service == crate::people::Service::Lift && !i.involvement.advice.is_empty())
            .filter_map(|i| i.involvement.seen_date.as_deref().or(i.involvement.report_date.as_deref()).and_then(day))
            .collect();
        let consents = self.consents(pupil, today)?;
        evidence.consents = consents.iter().filter(|c| c.stands).map(|c| c.consent.kind).collect();
        evidence.withdrawn = consents.iter().filter(|c| !c.stands && c.consent.withdrawn.is_some()).map(|c| c.consent.kind).collect();
        // The school's training is a short list; the rules say how far back counts.
        evidence.training = self.training(None)?.iter().filter_map(|t| day(&t.training.date).map(|d| (d, t.training.area))).collect();
        evidence.today = today;
        evidence.advice = involvements
            .iter()
            .map(|i| (i.involvement.recommendations.len(), i.involvement.recommendations.iter().filter(|r| r.acted_on.is_some()).count()))
            .collect();
        Ok(evidence)
    }

    /// A pupil's readiness for a pack under a rule set: each rule met, missing or a warning.
    pub fn readiness(&self, pupil: PupilId, rules: &RuleSet, today: NaiveDate) -> Result<Readiness> {
        readiness::check(rules, &self.evidence(pupil, today)?)
    }
}

impl Store {
    /// Everything a pack shows for one pupil on `today`, gathered from that pupil's rows.
    /// Refused, with the reason, for a pupil not on SEN support or an EHC plan.
    pub fn pack(&self, pupil: PupilId, rules: &RuleSet, today: NaiveDate) -> Result<Pack> {
        let readiness = self.readiness(pupil, rules, today)?;
        let record = self.pupil(pupil)?;
        let mut cycles = self.cycles(pupil)?;
        cycles.reverse();
        let mut views = Vec::new();
        let mut measures = Vec::new();
        for c in &cycles {
            let mut view = |whose: &str, place: &str, v: &Option<crate::apdr::View>| {
                if let Some(v) = v {
                    views.push(RecordedView { date: v.date.clone(), whose: whose.into(), recorded_in: format!("{place}, cycle {}", c.number), text: v.text.clone() });
                }
            };
            if let Some(a) = &c.assessment {
                view("parent", "Assessment", &a.parent_view);
                view("pupil", "Assessment", &a.pupil_view);
                measures.extend(a.baselines.iter().map(|b| Measure { date: b.date.clone(), name: b.name.clone(), score: b.score.clone(), expected: b.expected.clone(), recorded_in: format!("Assessment, cycle {}", c.number) }));
            }
            if let Some(r) = &c.review {
                view("parent", "Review", &r.parent_view);
                view("pupil", "Review", &r.pupil_view);
            }
        }
        let strategies = match cycles.iter().rev().find_map(|c| c.plan.as_ref()) {
            None => Vec::new(),
            Some(plan) => {
                let catalogues = self.catalogues()?;
                plan.strategies
                    .iter()
                    .map(|tick| {
                        let item = catalogues.iter().find_map(|c| c.item(&tick.item_id));
                        StrategyInPlace {
                            area: item.and_then(|i| i.area).map_or("Every pupil".to_string(), |a| a.label().to_string()),
                            heading: item.map_or(String::new(), |i| i.heading.clone()),
                            text: tick.item_text.clone(),
                            note: tick.note.clone(),
                        }
                    })
                    .collect()
            }
        };
        let areas: Vec<BroadArea> = record.current_needs().map(|n| n.area).collect();
        // The training shown is what the rules' training check counts (two years if none).
        let years = rules.rules.iter().find_map(|r| if let readiness::Check::StaffTraining { years } = r.check { Some(years) } else { None }).unwrap_or(2);
        let since = readiness::years_before(today, years);
        let training = self.training(Some(since))?.into_iter().filter(|t| t.training.area.is_none_or(|a| areas.contains(&a))).collect();
        let involvements = self.involvements(pupil)?;
        let attachments = involvements
            .iter()
            .flat_map(|i| {
                i.attachments.iter().map(|a| PackAttachment {
                    id: a.id,
                    // Only the id and type: zip encryption hides contents, not names, and a
                    // report's own name often holds the pupil's.
                    path: format!("attachments/report-{}.{}", a.id, crate::people::attachment_extension(&a.media_type)),
                    original_name: a.name.clone(),
                    service: i.service_label.clone(),
                    bytes: a.bytes,
                })
            })
            .collect();
        let school = self.school();
        Ok(Pack {
            schema_version: crate::pack::PACK_SCHEMA,
            pack: rules.pack,
            pack_label: crate::readiness::pack_label(rules.pack).into(),
            rules_name: rules.name.clone(),
            rules_version: rules.version.clone(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            prepared_on: today,
            school_name: school.name.clone(),
            school_urn: school.urn.clone(),
            consents: self.consents(pupil, today)?,
            profile: self.profile(pupil)?,
            views,
            strategies,
            threshold_pence: self.threshold_pence()?,
            involvements,
            measures,
            meetings: self.parent_meetings(pupil, today)?.meetings,
            training,
            requests: self.requests(pupil, today)?,
            readiness,
            attachments,
            cycles,
            pupil: record,
        })
    }

    /// Builds a pack's bundle: the PDF, the attachments and the manifest, as bytes.
    pub fn build_pack(&self, pupil: PupilId, rules: &RuleSet, today: NaiveDate, password: Option<&str>) -> Result<(Pack, Vec<u8>)> {
        let pack = self.pack(pupil, rules, today)?;
        let pdf = crate::pack::render(&pack)?;
        let mut files = Vec::with_capacity(pack.attachments.len());
        for a in &pack.attachments {
            let (_, _, bytes) = self.attachment(a.id).map_err(|e| match e {
                crate::error::Error::NotFound { .. } => crate::error::Error::Refused(format!("the report \"{}\" ({}) is missing from the store", a.original_name, a.service)),
                other => other,
            })?;
            files.push((a.path.clone(), bytes));
        }
        let bytes = crate::pack::bundle(&pack, &pdf, &files, password)?;
        Ok((pack, bytes))
    }
}

/// A bundle written to disk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackWritten {
    pub path: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub ready: bool,
    pub summary: String,
    /// For a password-protected bundle, which tools open it.
    pub password_note: Option<String>,
}

impl Store {
    /// Builds a pack and writes its bundle into `folder` (created owner-only if missing),
    /// through a temporary file and a rename, and records in the audit trail that the pack
    /// left the encrypted store. A folder that cannot be written is named; if the record
    /// cannot be written, the bundle is removed again.
    pub fn export_pack(&mut self, pupil: PupilId, rules: &RuleSet, folder: &std::path::Path, password: Option<&str>, stamp: crate::Stamp) -> Result<PackWritten> {
        let (pack, bytes) = self.build_pack(pupil, rules, stamp.today, password)?;
        crate::files::create_private_dir(folder)?;
        let audit = super::ExportAudit::about("export-pack", Some(pupil), format!("{} pack written outside the encrypted store", crate::readiness::pack_label(pack.pack)));
        let (path, _) = self.deliver(folder, &super::Place::new(&pack.file_stem(), "zip"), audit, stamp, |p| crate::files::write_atomically(p, &bytes))?;
        Ok(PackWritten {
            path: path.display().to_string(),
            sha256: crate::pack::bundle_digest(&bytes),
            bytes: bytes.len() as u64,
            ready: pack.readiness.ready,
            summary: pack.readiness.summary,
            password_note: password.map(|_| crate::pack::PASSWORD_TOOLS.to_string()),
        })
    }
}

impl Store {
    /// Writes the family summary into `folder` (owner-only; temporary file, then a new
    /// name, never over an earlier summary), named by UPN and date, and records that it left
    /// the encrypted store.
    pub fn export_family_summary(&mut self, pupil: PupilId, folder: &std::path::Path, stamp: crate::Stamp) -> Result<std::path::PathBuf> {
        let upn: String = self.pupil(pupil)?.upn.chars().filter(char::is_ascii_alphanumeric).collect();
        crate::files::create_private_dir(folder)?;
        let bytes = self.family_summary(pupil, stamp.today)?;
        let (path, _) = self.deliver(folder, &super::Place::new(&format!("plan-summary-{upn}-{}", stamp.today), "pdf"), family_summary_audit(pupil), stamp, |p| {
            crate::files::write_atomically(p, &bytes)
        })?;
        Ok(path)
    }

    /// Writes the family summary to `path` exactly (the command line's `--out`), through a
    /// temporary file and a rename, and records that it left the encrypted store.
    pub fn write_family_summary(&mut self, pupil: PupilId, path: &std::path::Path, stamp: crate::Stamp) -> Result<()> {
        let bytes = self.family_summary(pupil, stamp.today)?;
        let (folder, place) = super::Place::exact(path)?;
        self.deliver(&folder, &place, family_summary_audit(pupil), stamp, |p| crate::files::write_atomically(p, &bytes))?;
        Ok(())
    }
}

fn family_summary_audit(pupil: PupilId) -> super::ExportAudit {
    super::ExportAudit::about("export-family-summary", Some(pupil), "family summary of the plan written outside the encrypted store")
}
