//! Evidence packs: what the school holds on one pupil, put together for the local authority
//! as a PDF and a bundle (`docs/formats/pack-bundle.md`).
//!
//! - `Store::pack` gathers the pupil's records into a `Pack` (from that pupil's rows only,
//!   so a pack costs the same in any size of school);
//! - `render` lays the `Pack` out as an A4 PDF, sections lettered A to M;
//! - `bundle` zips the PDF, the attachments, the pack as data and a manifest of SHA-256
//!   sums; `verify` checks a bundle against its manifest.
//!
//! Everything dated comes from the pack's `prepared_on` (the `--today` of the command), so
//! the same records on the same day give the same bytes.

use std::io::{Cursor, Read, Write};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::apdr::{pounds, RATING_SCALE};
use crate::census::BroadArea;
use crate::error::{Error, Result};
use crate::people::{ParentMeeting, Profile};
use crate::pdf::{Document, Style, LEFT, WIDTH};
use crate::pupil::PupilRecord;
use crate::readiness::{PackType, Readiness};
use crate::store::{ConsentRecord, CycleRecord, InvolvementRecord, RequestRecord, TrainingRecord};

/// The version of `data.json` and `manifest.json` this build writes.
pub const PACK_SCHEMA: u32 = 1;

/// A ticked Mainstream Core Standards strategy in the latest plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StrategyInPlace {
    pub area: String,
    pub heading: String,
    pub text: String,
    pub note: String,
}

/// A view in someone's own words, from an assessment or a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedView {
    pub date: String,
    /// "parent" or "pupil".
    pub whose: String,
    /// Where it was recorded, e.g. "Review, cycle 2".
    pub recorded_in: String,
    pub text: String,
}

/// One attainment or progress measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measure {
    pub date: String,
    pub name: String,
    pub score: String,
    /// The expected level for the pupil's age, if recorded.
    pub expected: String,
    pub recorded_in: String,
}

/// An attached report that goes in the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackAttachment {
    #[serde(skip)]
    pub id: i64,
    /// Its path inside the bundle, made safe (`attachments/...`).
    pub path: String,
    /// The name it was attached under.
    pub original_name: String,
    pub service: String,
    pub bytes: i64,
}

/// Everything a pack shows, as data. `data.json` in the bundle is this, serialised.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pack {
    pub schema_version: u32,
    pub pack: PackType,
    pub pack_label: String,
    pub rules_name: String,
    pub rules_version: String,
    pub app_version: String,
    pub prepared_on: NaiveDate,
    pub school_name: String,
    pub school_urn: String,
    pub pupil: PupilRecord,
    pub consents: Vec<ConsentRecord>,
    pub profile: Option<Profile>,
    pub views: Vec<RecordedView>,
    /// Oldest first.
    pub cycles: Vec<CycleRecord>,
    pub strategies: Vec<StrategyInPlace>,
    pub threshold_pence: i64,
    pub involvements: Vec<InvolvementRecord>,
    pub measures: Vec<Measure>,
    pub meetings: Vec<ParentMeeting>,
    pub training: Vec<TrainingRecord>,
    pub requests: Vec<RequestRecord>,
    pub readiness: Readiness,
    pub attachments: Vec<PackAttachment>,
}

/// The letters and titles of the sections, in order.
pub const SECTIONS: [&str; 13] = [
    "A. Pupil details",
    "B. Consent",
    "C. Views of the parent and of the pupil",
    "D. Needs by broad area",
    "E. SEN status history",
    "F. Cycles of SEN support",
    "G. Mainstream Core Standards provision in place",
    "H. Costed provision",
    "I. Specialist involvement and advice acted on",
    "J. Attainment and attendance",
    "K. Meetings with the parents",
    "L. Staff training",
    "M. Readiness summary",
];

fn show(iso: &str) -> String {
    iso.parse::<NaiveDate>().map(crate::dates::short).unwrap_or_else(|_| iso.to_string())
}

fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_string()
}

fn rating_label(rating: i64) -> &'static str {
    RATING_SCALE.iter().find(|(r, _)| i64::from(*r) == rating).map_or("Not rated", |(_, l)| l)
}

impl Pack {
    /// The latest plan's interventions, with their costs.
    fn latest_costs(&self) -> Option<&CycleRecord> {
        self.cycles.iter().rev().find(|c| c.plan.is_some())
    }

    /// The name on the header: legal name, as the LA knows the child.
    pub fn legal_name(&self) -> String {
        format!("{} {}", self.pupil.legal_forename, self.pupil.legal_surname)
    }

    /// The bundle's file name: pack type, UPN and date, nothing else identifying.
    pub fn file_stem(&self) -> String {
        let safe: String = self.pupil.upn.chars().filter(char::is_ascii_alphanumeric).collect();
        format!("{}-pack-{}-{}", pack_code(self.pack), safe, self.prepared_on)
    }
}

pub fn pack_code(pack: PackType) -> &'static str {
    match pack {
        PackType::Ehcna => "ehcna",
        PackType::Hnf => "hnf",
        PackType::Lift => "lift",
    }
}

fn title_of(pack: PackType) -> &'static str {
    match pack {
        PackType::Ehcna => "Request for an EHC needs assessment: evidence",
        PackType::Hnf => "High Needs Funding application: evidence",
        PackType::Lift => "LIFT referral: evidence",
    }
}

/// Lays the pack out as a PDF.
pub fn render(pack: &Pack) -> Result<Vec<u8>> {
    let name = pack.legal_name();
    let mut doc = Document::new(&format!("{} – {}", title_of(pack.pack), name), ("OFFICIAL-SENSITIVE", &name), &pack.school_name, pack.prepared_on)?;
    cover(&mut doc, pack);
    doc.new_page();
    let contents_page = doc.page_number();
    doc.bookmark("Contents");
    doc.new_page();
    let mut starts = Vec::new();
    for (n, title) in SECTIONS.iter().enumerate() {
        doc.heading(title);
        starts.push(doc.page_number());
        section(&mut doc, pack, n);
    }
    // The contents, now the pages are known.
    let title = Style::bold(18.0);
    doc.text_on(contents_page, title, LEFT, 40.0, "Contents");
    let entry = Style::regular(11.5);
    for (n, (title, page)) in SECTIONS.iter().zip(&starts).enumerate() {
        let y = 55.0 + n as f32 * 9.0;
        doc.text_on(contents_page, entry, LEFT, y, title);
        let number = page.to_string();
        let w = doc.width_of(&number, entry);
        doc.text_on(contents_page, entry, LEFT + WIDTH - w, y, &number);
        let used = doc.width_of(title, entry);
        doc.rule_on(contents_page, LEFT + used + 2.0, LEFT + WIDTH - w - 2.0, y);
    }
    let note = Style::regular(9.5);
    let notes = [
        "Each section is bookmarked. Dates are shown day, month, year. Money is in pounds and pence.",
        "The professional reports named in section I are in the attachments folder of this bundle.",
        "This document is OFFICIAL-SENSITIVE: it holds personal information about a child. Keep it to those who need it for this request, and store or send it securely.",
    ];
    for (n, line) in notes.iter().enumerate() {
        for (k, wrapped) in doc.wrap(line, note, WIDTH).into_iter().enumerate() {
            doc.text_on(contents_page, note, LEFT, 185.0 + n as f32 * 13.0 + k as f32 * 4.8, &wrapped);
        }
    }
    doc.finish()
}

fn cover(doc: &mut Document, pack: &Pack) {
    doc.move_to(30.0);
    doc.paragraph_styled("OFFICIAL-SENSITIVE", Style::bold(11.0));
    doc.gap(14.0);
    doc.paragraph_styled(title_of(pack.pack), Style::bold(24.0));
    doc.gap(4.0);
    doc.paragraph_styled(&pack.legal_name(), Style::bold(20.0));
    doc.gap(6.0);
    let p = &pack.pupil;
    doc.facts(&[
        ("Date of birth", crate::dates::long(p.date_of_birth)),
        ("UPN", p.upn.clone()),
        ("National curriculum year", crate::pupil::year_name(p.nc_year)),
        ("School", format!("{} (URN {})", pack.school_name, pack.school_urn)),
        ("SEN status", format!("{} since {}", p.status.label(), crate::dates::long(p.status_since))),
        ("Prepared on", crate::dates::long(pack.prepared_on)),
        ("Evidence rules", format!("{}, version {}", pack.rules_name, pack.rules_version)),
    ]);
    doc.gap(4.0);
    let (fill, text) = if pack.readiness.ready { ((0.86, 0.94, 0.87), pack.readiness.summary.clone()) } else { ((0.99, 0.91, 0.80), pack.readiness.summary.clone()) };
    doc.banner(&text, Style::bold(12.0), fill);
    doc.gap(6.0);
    doc.paragraph(
        "Prepared by the school from its own records with SENCO Toolkit. Section M lists each piece of evidence the local authority is likely to look for, and whether it is here.",
    );
}

fn none_recorded(doc: &mut Document, what: &str) {
    doc.paragraph_styled(&format!("No {what} recorded."), Style::regular(10.5));
}

fn section(doc: &mut Document, pack: &Pack, n: usize) {
    let p = &pack.pupil;
    match n {
        0 => {
            let known_as = p.display_name();
            let mut facts = vec![
                ("Legal name", pack.legal_name()),
                ("Known as", known_as),
                ("Date of birth", crate::dates::long(p.date_of_birth)),
                ("Sex", p.sex.label().to_string()),
                ("UPN", p.upn.clone()),
                ("Year group", crate::pupil::year_name(p.nc_year)),
                ("Form", if p.form.is_empty() { "Not recorded".into() } else { p.form.clone() }),
                ("School", pack.school_name.clone()),
                ("Joined the school", crate::dates::long(p.admission_date)),
                ("Pupil Premium", yes_no(p.pupil_premium)),
                ("Free school meals", yes_no(p.fsm)),
                ("English as an additional language", yes_no(p.eal)),
                ("Looked after (CLA)", yes_no(p.looked_after)),
            ];
            if let Some(left) = p.leaving_date {
                facts.push(("Leaving date", crate::dates::long(left)));
            }
            doc.facts(&facts);
        }
        1 => {
            if pack.consents.is_empty() {
                none_recorded(doc, "consent is");
                return;
            }
            let rows: Vec<Vec<String>> = pack
                .consents
                .iter()
                .map(|c| {
                    let stands = c.consent.stands_on(pack.prepared_on);
                    let state = match (&c.consent.withdrawn, stands) {
                        (Some(w), _) => format!("Withdrawn {}", show(w)),
                        (None, true) => "Stands".into(),
                        (None, false) => "Not yet in force".into(),
                    };
                    vec![c.kind_label.clone(), c.consent.given_by.clone(), show(&c.consent.date), c.consent.scope.clone(), state]
                })
                .collect();
            doc.table(&["Consent", "Given by", "Date", "What it covers", "Status"], &[0.24, 0.2, 0.12, 0.29, 0.15], &rows);
        }
        2 => {
            if let Some(profile) = &pack.profile {
                doc.subheading("The pupil's one-page profile");
                doc.facts(&[
                    ("What people like and admire about me", profile.admire.clone()),
                    ("What is important to me", profile.important.clone()),
                    ("How best to support me", profile.support.clone()),
                ]);
            }
            for (whose, title) in [("parent", "The parent's or carer's views"), ("pupil", "The pupil's views")] {
                doc.subheading(title);
                let views: Vec<Vec<String>> = pack.views.iter().filter(|v| v.whose == whose).map(|v| vec![show(&v.date), v.recorded_in.clone(), v.text.clone()]).collect();
                if views.is_empty() {
                    none_recorded(doc, "views are");
                } else {
                    doc.table(&["Date", "Recorded in", "In their own words"], &[0.15, 0.17, 0.68], &views);
                }
            }
        }
        3 => {
            let current: Vec<_> = p.current_needs().collect();
            if current.is_empty() {
                none_recorded(doc, "current need is");
            }
            for area in BroadArea::ALL {
                let needs: Vec<Vec<String>> = current
                    .iter()
                    .filter(|n| n.area == area)
                    .map(|n| vec![if n.rank == 1 { "Primary".into() } else { format!("Rank {}", n.rank) }, n.code.code().to_string(), n.code.name().to_string(), n.description.clone(), show(&n.start_date.to_string())])
                    .collect();
                if !needs.is_empty() {
                    doc.subheading(area.label());
                    doc.table(&["Rank", "Census code", "Type of need", "Description", "Since"], &[0.12, 0.12, 0.22, 0.4, 0.14], &needs);
                }
            }
            let ended: Vec<Vec<String>> = p
                .needs
                .iter()
                .filter_map(|n| n.end_date.map(|end| vec![n.code.code().to_string(), n.code.name().to_string(), show(&n.start_date.to_string()), show(&end.to_string())]))
                .collect();
            if !ended.is_empty() {
                doc.subheading("Needs no longer recorded");
                doc.table(&["Census code", "Type of need", "From", "To"], &[0.15, 0.45, 0.2, 0.2], &ended);
            }
        }
        4 => {
            let rows: Vec<Vec<String>> = p
                .status_history
                .iter()
                .map(|s| vec![s.status.label().to_string(), s.status.code().to_string(), show(&s.start_date.to_string()), s.end_date.map_or("Current".into(), |e| show(&e.to_string())), s.reason.clone()])
                .collect();
            doc.table(&["Status", "Census code", "From", "To", "Reason"], &[0.22, 0.12, 0.14, 0.14, 0.38], &rows);
        }
        5 => cycles(doc, pack),
        6 => {
            if pack.strategies.is_empty() {
                none_recorded(doc, "strategy from the Mainstream Core Standards is");
                return;
            }
            doc.paragraph("The strategies ticked as in place in the latest plan, by area of need.");
            let rows: Vec<Vec<String>> = pack.strategies.iter().map(|s| vec![s.area.clone(), s.heading.clone(), s.text.clone(), s.note.clone()]).collect();
            doc.table(&["Area", "Heading", "Strategy", "How it is used"], &[0.18, 0.18, 0.4, 0.24], &rows);
        }
        7 => costs(doc, pack),
        8 => {
            if pack.involvements.is_empty() {
                none_recorded(doc, "specialist involvement is");
                return;
            }
            for inv in &pack.involvements {
                let i = &inv.involvement;
                doc.subheading(&inv.service_label);
                doc.facts(&[
                    ("Referred", i.referral_date.as_deref().map_or("Not recorded".into(), show)),
                    ("Seen", i.seen_date.as_deref().map_or("Not recorded".into(), show)),
                    ("Report", i.report_date.as_deref().map_or("Not recorded".into(), show)),
                    ("Advice", if i.advice.is_empty() { "Not recorded".into() } else { i.advice.clone() }),
                ]);
                if !i.recommendations.is_empty() {
                    let rows: Vec<Vec<String>> = i
                        .recommendations
                        .iter()
                        .enumerate()
                        .map(|(k, r)| vec![(k + 1).to_string(), r.text.clone(), r.acted_on.as_deref().map_or("Not yet".into(), show), r.acted_how.clone()])
                        .collect();
                    doc.table(&["#", "Recommendation", "Acted on", "How"], &[0.06, 0.44, 0.14, 0.36], &rows);
                }
                let files: Vec<Vec<String>> = pack.attachments.iter().filter(|a| inv.attachments.iter().any(|x| x.id == a.id)).map(|a| vec![a.path.clone(), a.original_name.clone()]).collect();
                if !files.is_empty() {
                    doc.table(&["Report in this bundle", "Attached as"], &[0.5, 0.5], &files);
                }
            }
        }
        9 => {
            doc.facts(&[("Attendance", p.attendance_pct.map_or("Not recorded".into(), |a| format!("{a:.1}%")))]);
            doc.subheading("Attainment and progress measures");
            if pack.measures.is_empty() {
                none_recorded(doc, "measure is");
            } else {
                // Each score beside what is expected for the pupil's age, so the LA sees the gap
                // and, over the dates, whether it is closing.
                let rows: Vec<Vec<String>> = pack
                    .measures
                    .iter()
                    .map(|m| vec![show(&m.date), m.name.clone(), m.score.clone(), if m.expected.is_empty() { "Not recorded".into() } else { m.expected.clone() }, m.recorded_in.clone()])
                    .collect();
                doc.table(&["Date", "Measure", "Score", "Expected for age", "Recorded in"], &[0.13, 0.3, 0.14, 0.2, 0.23], &rows);
            }
        }
        10 => {
            if pack.meetings.is_empty() {
                none_recorded(doc, "meeting is");
                return;
            }
            let rows: Vec<Vec<String>> = pack.meetings.iter().map(|m| vec![show(&m.date), m.attendees.clone(), m.summary.clone(), m.actions.clone()]).collect();
            doc.table(&["Date", "Who came", "What was discussed", "Agreed actions"], &[0.15, 0.2, 0.38, 0.27], &rows);
        }
        11 => {
            doc.paragraph("Training staff have had in the last two years for this pupil's areas of need, and general SEN training.");
            if pack.training.is_empty() {
                none_recorded(doc, "training is");
                return;
            }
            let rows: Vec<Vec<String>> = pack.training.iter().map(|t| vec![show(&t.training.date), t.training.course.clone(), t.training.staff.clone(), t.area_label.clone()]).collect();
            doc.table(&["Date", "Course or session", "Staff trained", "Area of need"], &[0.15, 0.35, 0.28, 0.22], &rows);
        }
        _ => {
            let r = &pack.readiness;
            doc.paragraph(&format!("Checked against {}, version {}, on {}.", r.rules_name, r.rules_version, crate::dates::long(pack.prepared_on)));
            let fill = if r.ready { (0.86, 0.94, 0.87) } else { (0.99, 0.91, 0.80) };
            doc.banner(&r.summary, Style::bold(11.0), fill);
            let rows: Vec<Vec<String>> = r
                .results
                .iter()
                .map(|x| {
                    let state = x.state.label();
                    let level = if x.level == crate::readiness::Level::Required { "Required" } else { "Advisory" };
                    vec![x.title.clone(), level.into(), state.into(), x.sentence.clone()]
                })
                .collect();
            doc.table(&["Evidence", "Level", "State", "What was found"], &[0.28, 0.12, 0.11, 0.49], &rows);
            for request in &pack.requests {
                doc.subheading(&format!("Request sent {}: the statutory clock", crate::dates::long(request.sent)));
                let rows: Vec<Vec<String>> = request.steps.iter().map(|s| vec![s.step.clone(), s.due.map_or("—".into(), crate::dates::short), s.done.map_or("—".into(), crate::dates::short), s.status_text.clone()]).collect();
                doc.table(&["Step", "Due", "Done", "Where it stands"], &[0.4, 0.14, 0.14, 0.32], &rows);
            }
        }
    }
}

fn cycles(doc: &mut Document, pack: &Pack) {
    if pack.cycles.is_empty() {
        none_recorded(doc, "cycle is");
        return;
    }
    for c in &pack.cycles {
        doc.subheading(&format!("Cycle {}, opened {}", c.number, show(&c.opened_on)));
        if let Some(a) = &c.assessment {
            let summary = a.needs.iter().map(|n| format!("{}: {}", n.area.label(), n.summary)).collect::<Vec<_>>().join("\n");
            let sources = a.sources.iter().map(|s| s.label()).collect::<Vec<_>>().join(", ");
            doc.facts(&[("Assessed", format!("{} by {}", show(&a.date), a.assessed_by)), ("Sources", sources), ("What the assessment found", summary)]);
        }
        if let Some(plan) = &c.plan {
            let outcomes: Vec<Vec<String>> = plan
                .outcomes
                .iter()
                .enumerate()
                .map(|(k, o)| vec![(k + 1).to_string(), o.area.label().to_string(), o.description.clone(), o.success_criterion.clone(), format!("{} → {}", o.baseline, o.target)])
                .collect();
            doc.paragraph_styled(&format!("Plan of {}; review due {}", show(&plan.date), show(&plan.review_date)), Style::bold(10.0));
            if !outcomes.is_empty() {
                doc.table(&["#", "Area", "Outcome", "Success looks like", "From → to"], &[0.05, 0.17, 0.33, 0.28, 0.17], &outcomes);
            }
            if !plan.all_adults.is_empty() {
                doc.facts(&[("What all adults do", plan.all_adults.clone())]);
            }
        }
        if !c.interventions.is_empty() {
            let rows: Vec<Vec<String>> = c
                .interventions
                .iter()
                .map(|i| {
                    vec![
                        i.name.clone(),
                        format!("{} of {}", i.sessions_delivered, i.sessions_planned),
                        if i.sessions_delivered == 0 { "—".into() } else { format!("{} of {}", i.sessions_attended, i.sessions_delivered) },
                        format!("{} → {}", if i.entry_score.is_empty() { "—" } else { &i.entry_score }, if i.exit_score.is_empty() { "—" } else { &i.exit_score }),
                    ]
                })
                .collect();
            doc.table(&["Provision", "Sessions delivered", "Attended", "Entry → exit score"], &[0.4, 0.2, 0.17, 0.23], &rows);
        }
        if let Some(r) = &c.review {
            let plan_outcomes = c.plan.as_ref().map(|p| p.outcomes.clone()).unwrap_or_default();
            let rows: Vec<Vec<String>> = r
                .ratings
                .iter()
                .map(|x| vec![plan_outcomes.get(x.outcome).map_or(format!("Outcome {}", x.outcome + 1), |o| o.description.clone()), rating_label(x.rating).to_string(), x.evidence.clone()])
                .collect();
            let signed = if c.locked_on.is_some() { "signed off" } else { "not yet signed off" };
            doc.paragraph_styled(&format!("Review of {} ({signed}): {}", show(&r.date), r.decision.label()), Style::bold(10.0));
            if !rows.is_empty() {
                doc.table(&["Outcome", "Rating", "Evidence"], &[0.38, 0.2, 0.42], &rows);
            }
        }
        for a in &c.amendments {
            doc.paragraph(&format!("Correction made {}: {}", show(&a.made_on), a.text));
        }
    }
}

fn costs(doc: &mut Document, pack: &Pack) {
    let Some(cycle) = pack.latest_costs() else {
        none_recorded(doc, "plan with costed provision is");
        return;
    };
    doc.paragraph(&format!("The provision in the latest plan (cycle {}), costed at the school's staff rates, against the notional SEN threshold of {}.", cycle.number, pounds(pack.threshold_pence)));
    let mut rows: Vec<Vec<String>> = cycle.interventions.iter().map(|i| vec![i.name.clone(), format!("{}/hour", pounds(i.hourly_rate_pence)), pounds(i.planned_cost_pence), pounds(i.cost_to_date_pence)]).collect();
    let planned: i64 = cycle.interventions.iter().map(|i| i.planned_cost_pence).sum();
    let to_date: i64 = cycle.interventions.iter().map(|i| i.cost_to_date_pence).sum();
    rows.push(vec!["Total".into(), String::new(), pounds(planned), pounds(to_date)]);
    doc.table(&["Provision", "Staff rate", "Planned cost", "Cost to date"], &[0.46, 0.18, 0.18, 0.18], &rows);
    let verdict = if planned >= pack.threshold_pence {
        format!("The planned provision, {}, is at or above the {} threshold by {}.", pounds(planned), pounds(pack.threshold_pence), pounds(planned - pack.threshold_pence))
    } else {
        format!("The planned provision, {}, is {} below the {} threshold.", pounds(planned), pounds(pack.threshold_pence - planned), pounds(pack.threshold_pence))
    };
    doc.banner(&verdict, Style::bold(10.5), (0.92, 0.94, 0.97));
}

// ---- The bundle -------------------------------------------------------------------------

/// One file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// `manifest.json`: what the bundle holds and what made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub schema_version: u32,
    pub pack: PackType,
    pub rules_name: String,
    pub rules_version: String,
    pub app_version: String,
    pub prepared_on: NaiveDate,
    pub files: Vec<ManifestFile>,
}

pub const MANIFEST_FORMAT: &str = "senco-evidence-pack";

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The tools that open a password-protected bundle, for the person sending it.
pub const PASSWORD_TOOLS: &str = "Open it with 7-Zip (Windows), Keka or The Unarchiver (Mac), or 7z on Linux. Windows' own zip folder and the unzip command cannot open AES-256 protected files.";

/// The shortest password a bundle may have.
pub const PASSWORD_MIN: usize = 10;

/// The bundle's bytes: `pack.pdf`, `data.json`, `attachments/…` and `manifest.json`, every
/// entry dated `prepared_on` at noon. With a password, every entry is AES-256 encrypted.
pub fn bundle(pack: &Pack, pdf: &[u8], attachments: &[(String, Vec<u8>)], password: Option<&str>) -> Result<Vec<u8>> {
    if let Some(pw) = password {
        if pw.chars().count() < PASSWORD_MIN {
            return Err(Error::invalid("password", format!("the bundle's password must be at least {PASSWORD_MIN} characters")));
        }
    }
    let data = serde_json::to_vec_pretty(pack).map_err(|e| Error::Refused(format!("the pack could not be written as data: {e}")))?;
    let mut files: Vec<(String, &[u8])> = vec![("pack.pdf".into(), pdf), ("data.json".into(), &data)];
    for (path, bytes) in attachments {
        files.push((path.clone(), bytes));
    }
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        schema_version: PACK_SCHEMA,
        pack: pack.pack,
        rules_name: pack.rules_name.clone(),
        rules_version: pack.rules_version.clone(),
        app_version: pack.app_version.clone(),
        prepared_on: pack.prepared_on,
        files: files.iter().map(|(path, bytes)| ManifestFile { path: path.clone(), sha256: sha256_hex(bytes), size: bytes.len() as u64 }).collect(),
    };
    let manifest = serde_json::to_vec_pretty(&manifest).expect("the manifest serialises");
    files.push(("manifest.json".into(), &manifest));

    let d = pack.prepared_on;
    let when = zip::DateTime::from_date_and_time(d.year().clamp(1980, 2107) as u16, d.month() as u8, d.day() as u8, 12, 0, 0).map_err(|_| Error::Refused("the pack's date cannot be written in a zip file".into()))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o600)
        .system(zip::System::Unix);
    let zip_error = |e: zip::result::ZipError| Error::Refused(format!("the bundle could not be written: {e}"));
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (path, bytes) in &files {
        // PDFs and images are compressed already: deflating them again costs time for nothing.
        let packed = [".pdf", ".png", ".jpg"].iter().any(|e| path.ends_with(e));
        let options = if packed { options.compression_method(zip::CompressionMethod::Stored) } else { options };
        let opts = match password {
            Some(pw) => options.with_aes_encryption(zip::AesMode::Aes256, pw),
            None => options,
        };
        writer.start_file(path.as_str(), opts).map_err(zip_error)?;
        writer.write_all(bytes).map_err(|e| Error::Refused(format!("the bundle could not be written: {e}")))?;
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}

/// What `verify` found wrong with one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mismatch {
    pub path: String,
    pub problem: String,
}

/// Checks a bundle against its manifest: every listed file there with its size and SHA-256,
/// and nothing unlisted. `Ok(empty)` means it verifies. A file that is not a bundle at all
/// (not a zip, no manifest) is an error.
pub fn verify(source: &str, bytes: &[u8], password: Option<&str>) -> Result<(Manifest, Vec<Mismatch>)> {
    let not_bundle = |why: String| Error::Refused(format!("{source} is not an evidence pack bundle: {why}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_bundle(format!("it cannot be read as a zip file ({e})")))?;
    let read = |archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| -> std::result::Result<Vec<u8>, String> {
        let mut file = match password {
            Some(pw) => archive.by_name_decrypt(name, pw.as_bytes()),
            None => archive.by_name(name),
        }
        .map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => "it is password-protected: give the password file".to_string(),
            zip::result::ZipError::InvalidPassword => "the password is not right".to_string(),
            other => other.to_string(),
        })?;
        let mut out = Vec::new();
        file.read_to_end(&mut out).map_err(|e| format!("its contents are damaged ({e})"))?;
        Ok(out)
    };
    let manifest_bytes = read(&mut archive, "manifest.json").map_err(|why| not_bundle(format!("manifest.json: {why}")))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes).map_err(|e| not_bundle(format!("manifest.json, line {}: {e}", e.line())))?;
    if manifest.format != MANIFEST_FORMAT {
        return Err(not_bundle(format!("its manifest's format is \"{}\"", manifest.format)));
    }
    if manifest.schema_version == 0 || manifest.schema_version > PACK_SCHEMA {
        return Err(Error::Refused(format!("{source} is pack format {}; this version of the app reads format {PACK_SCHEMA}", manifest.schema_version)));
    }
    let mut problems = Vec::new();
    for entry in &manifest.files {
        match read(&mut archive, &entry.path) {
            Err(why) => problems.push(Mismatch { path: entry.path.clone(), problem: why }),
            Ok(data) if data.len() as u64 != entry.size => problems.push(Mismatch { path: entry.path.clone(), problem: format!("its size is {} bytes, not {} as the manifest says", data.len(), entry.size) }),
            Ok(data) if sha256_hex(&data) != entry.sha256 => problems.push(Mismatch { path: entry.path.clone(), problem: "its contents differ from the manifest's SHA-256".into() }),
            Ok(_) => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    for index in 0..archive.len() {
        let entry = match archive.by_index_raw(index) {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(Mismatch { path: format!("entry {}", index + 1), problem: format!("it cannot be read ({e})") });
                continue;
            }
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("entry {}", index + 1));
        if password.is_some() && !entry.encrypted() {
            problems.push(Mismatch { path: name.clone(), problem: "it is not password-protected, though the rest of the bundle is".into() });
        }
        if !seen.insert(name.clone()) {
            problems.push(Mismatch { path: name, problem: "the bundle holds two files of this name".into() });
        } else if name != "manifest.json" && !manifest.files.iter().any(|f| f.path == name) {
            problems.push(Mismatch { path: name, problem: "it is not listed in the manifest".into() });
        }
    }
    Ok((manifest, problems))
}

/// The SHA-256 of a finished bundle, as printed for the sender to quote.
pub fn bundle_digest(bytes: &[u8]) -> String {
    sha256_hex(bytes)
}

