//! The demo school's graduated-approach history: for each span of SEN support or an EHC
//! plan, termly assess-plan-do-review cycles with outcomes, ticked strategies, costed
//! interventions and their delivery logs, reviews, parent meetings, specialist involvement
//! and one-page profiles. Some are left incomplete or late on purpose, as in a real school,
//! so the worklist has something to show.
//!
//! Every cycle stage goes through the same rules as the app (`store::demo_record`).

use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, Transaction};

use crate::apdr::*;
use crate::catalogue::{self, Catalogue};
use crate::census::{BroadArea, SenStatus};
use crate::error::Result;
use crate::library::{seed_interventions, Intervention};
use crate::people::Service;
use crate::pupil::{academic_year, PupilId};
use crate::store::{self, Cached};
use crate::Stamp;

use super::DemoPupil;

/// The library's key for a teaching assistant through the day.
const INDIVIDUAL: &str = "individual-support";

/// What the generator needs once, for every pupil.
pub(super) struct Support {
    catalogues: Vec<Catalogue>,
    interventions: Vec<Intervention>,
}

impl Support {
    pub(super) fn new() -> Support {
        Support { catalogues: vec![catalogue::shipped()], interventions: seed_interventions() }
    }
}

const ASSESSORS: &[&str] = &["SENCO", "Class teacher and SENCO", "Assistant SENCO", "Head of year and SENCO"];
/// Baseline measures with the level expected for the pupil's age, where a SENCO would know
/// it (standardised scores have an average range; some profiles have no single expectation).
const BASELINES: &[(&str, &str)] = &[
    ("Standardised reading score", "85 to 115 (the average range)"),
    ("Standardised maths score", "85 to 115 (the average range)"),
    ("Boxall Profile developmental strand", ""),
    ("Receptive vocabulary (BPVS) standard score", "85 to 115 (the average range)"),
    ("Handwriting speed (words a minute)", ""),
];
const OUTCOMES: &[(BroadArea, &str, &str, &str, &str)] = &[
    (BroadArea::CommunicationAndInteraction, "Follows a two-step instruction given to the class", "Does so in 4 of 5 observed lessons", "Needs it repeated one to one", "Follows it first time"),
    (BroadArea::CommunicationAndInteraction, "Takes turns in a small-group game for ten minutes", "Seen in three sessions in a row", "Leaves the game after two minutes", "Stays for ten minutes"),
    (BroadArea::CommunicationAndInteraction, "Uses topic words when explaining their work", "Uses 5 of the 8 pre-taught words", "Uses 1 of 8", "Uses 5 of 8"),
    (BroadArea::CognitionAndLearning, "Reads a decodable book aloud with few errors", "Fewer than 3 errors a page over four pages", "Phase 3 sounds secure", "Phase 5 sounds secure"),
    (BroadArea::CognitionAndLearning, "Recalls number bonds to 10 quickly", "All 11 bonds within 20 seconds", "4 bonds known", "All 11 bonds"),
    (BroadArea::CognitionAndLearning, "Writes three linked sentences with capital letters and full stops", "Seen in two independent pieces", "One sentence with support", "Three sentences alone"),
    (BroadArea::SocialEmotionalMentalHealth, "Names their feelings and chooses a calming strategy", "Uses the zones chart unprompted twice a week", "Needs an adult to name the feeling", "Names it and chooses a strategy"),
    (BroadArea::SocialEmotionalMentalHealth, "Returns to class within ten minutes after using the calm space", "Four weeks of the log", "Out of class for 30 minutes or more", "Back within 10 minutes"),
    (BroadArea::SocialEmotionalMentalHealth, "Joins a structured lunchtime club twice a week", "Attendance register of the club", "Spends lunch alone", "Attends twice a week"),
    (BroadArea::SensoryAndPhysical, "Manages fastenings when changing for PE", "Changes within ten minutes with no help", "Needs adult help with every fastening", "Changes independently"),
    (BroadArea::SensoryAndPhysical, "Uses the radio aid in every lesson", "Teacher log shows daily use", "Used in half of lessons", "Used in every lesson"),
    (BroadArea::SensoryAndPhysical, "Writes legibly at a comfortable speed", "12 words a minute, legible to a stranger", "6 words a minute", "12 words a minute"),
];
const SUMMARIES: &[(BroadArea, &str)] = &[
    (BroadArea::CommunicationAndInteraction, "Finds it hard to follow spoken instructions and to join in with peers; understanding is better with pictures."),
    (BroadArea::CognitionAndLearning, "Progress in reading and number is well behind peers despite good teaching; remembers new learning for a short time only."),
    (BroadArea::SocialEmotionalMentalHealth, "Anxious at transitions and at unstructured times; leaves the classroom when overwhelmed."),
    (BroadArea::SensoryAndPhysical, "Needs adjustments to seating, resources and equipment to take part fully; tires quickly."),
];
const PARENT_VIEWS: &[&str] = &["Worried that reading is falling further behind.", "Home is calmer since the new routine started.", "Would like more ideas to help at home.", "Pleased with the small-group work."];
const PUPIL_VIEWS: &[&str] = &["I like the group with my friends.", "Reading is hard but I'm getting better.", "I want to stay in class more.", "The quiet room helps me."];

fn area_for(pupil: &DemoPupil, at: NaiveDate) -> BroadArea {
    pupil
        .needs
        .iter()
        .filter(|(_, rank, start, end)| *rank == 1 && *start <= at && end.is_none_or(|e| e >= at))
        .map(|(code, ..)| code.area())
        .find(|a| *a != BroadArea::Uncategorised)
        .unwrap_or(BroadArea::CognitionAndLearning)
}

/// The spans of SEN support or an EHC plan, joined where one status follows the other.
fn spans(pupil: &DemoPupil, today: NaiveDate) -> Vec<(NaiveDate, NaiveDate, bool)> {
    let mut spans: Vec<(NaiveDate, NaiveDate, bool)> = Vec::new();
    for period in pupil.statuses.iter().filter(|p| matches!(p.status, SenStatus::SenSupport | SenStatus::EhcPlan)) {
        let ongoing = period.end_date.is_none() && pupil.leaving_date.is_none_or(|l| l > today);
        let end = period.end_date.or(pupil.leaving_date).unwrap_or(today).min(today);
        match spans.last_mut() {
            Some(last) if last.1 + Duration::days(1) >= period.start_date => {
                last.1 = end;
                last.2 = ongoing;
            }
            _ => spans.push((period.start_date, end, ongoing)),
        }
    }
    spans
}

/// From `lo` to `hi` different entries of `list`, at random.
fn pick<'a, T>(rng: &mut ChaCha8Rng, list: &'a [T], lo: usize, hi: usize) -> Vec<&'a T> {
    let n = rng.gen_range(lo..=hi);
    list.choose_multiple(rng, n).collect()
}

fn iso(date: NaiveDate) -> String {
    date.to_string()
}

pub(super) fn write(tx: &Transaction<'_>, support: &Support, rng: &mut ChaCha8Rng, id: PupilId, pupil: &DemoPupil, today: NaiveDate) -> Result<()> {
    let stamp = Stamp::on(today);
    let spans = spans(pupil, today);
    for &(start, end, ongoing) in &spans {
        let mut assess_on = start + Duration::days(rng.gen_range(0..14));
        let mut first = true;
        while assess_on <= end {
            // A few pupils on SEN support now have no open cycle: the worklist flags them.
            if ongoing && !first && assess_on > today - Duration::days(120) && rng.gen_bool(0.04) {
                break;
            }
            first = false;
            match cycle(tx, support, rng, id, pupil, assess_on, end, ongoing, stamp)? {
                Some(next) => assess_on = next,
                None => break,
            }
        }
        meetings(tx, rng, id, start, end)?;
        if rng.gen_bool(0.3) {
            involvement(tx, rng, id, area_for(pupil, start), start, end, today)?;
        }
    }
    request(tx, rng, id, &spans, today)?;
    pack_evidence(tx, id, pupil, &spans, today)?;
    if !spans.is_empty() && rng.gen_bool(0.6) {
        tx.exec(
            "INSERT INTO profile (pupil_id, admire, important, support, updated_on) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id.0, "Kind to younger children; a brilliant builder and a keen gardener.", "My dog, my big sister and football on Saturdays.", "Tell me what is coming next, give me a job to do, and let me show you rather than write it.", iso(spans[0].0)],
        )?;
    }
    Ok(())
}

/// About one pupil in 25 on SEN support or an EHC plan now has a request for an EHC needs
/// assessment running, recorded through the app's own rules, some with the LA's decision
/// late or still awaited, so the worklist and the request card have something to show. The
/// draws come from a copy of the generator, so the rest of the demo is as it was. Most
/// decided requests have the LA's request for the school's advice, whose 6 weeks (reg 8) the
/// worklist then counts.
fn request(tx: &Transaction<'_>, rng: &ChaCha8Rng, id: PupilId, spans: &[(NaiveDate, NaiveDate, bool)], today: NaiveDate) -> Result<()> {
    use crate::statutory::{self, AssessDecision, RequestDates, RequestEvent, DECISION_DAYS};
    let Some(&(start, _, true)) = spans.last() else { return Ok(()) };
    let mut side = rng.clone();
    if !side.gen_bool(0.04) {
        return Ok(());
    }
    let received = (today - Duration::days(side.gen_range(10..130))).max(start);
    let sent = (received - Duration::days(side.gen_range(0..4))).max(start);
    let mut dates = RequestDates::received(received);
    let decision_due = received + Duration::days(DECISION_DAYS);
    if decision_due < today && side.gen_bool(0.6) {
        let on = (decision_due + Duration::days(side.gen_range(-10..8))).clamp(received, today);
        dates = statutory::record(&dates, &RequestEvent::Decision { date: on, decision: AssessDecision::Assess }, today)?;
        // Most assessments ask the school for its advice soon after the decision (reg 8).
        let asked = on + Duration::days(side.gen_range(2..21));
        if asked <= today && side.gen_bool(0.8) {
            dates = statutory::record(&dates, &RequestEvent::AdviceAsked { date: asked }, today)?;
        }
    }
    tx.exec(
        "INSERT INTO ehc_request (pupil_id, received, sent, running, dates) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id.0, received, sent, dates.running(), store::request_json(&dates)],
    )?;
    Ok(())
}

/// One cycle from `assess_on`; returns the day the next one starts, or None if this one is
/// still open.
#[allow(clippy::too_many_arguments)]
fn cycle(tx: &Transaction<'_>, support: &Support, rng: &mut ChaCha8Rng, id: PupilId, pupil: &DemoPupil, assess_on: NaiveDate, end: NaiveDate, ongoing: bool, stamp: Stamp) -> Result<Option<NaiveDate>> {
    let today = stamp.today;
    let area = area_for(pupil, assess_on);
    let mut sources = vec![AssessmentSource::TeacherAssessment, AssessmentSource::ProgressAndAttainment];
    for extra in [AssessmentSource::ParentViews, AssessmentSource::PupilViews, AssessmentSource::PeersAndNationalData, AssessmentSource::ExternalAdvice] {
        if rng.gen_bool(0.5) {
            sources.push(extra);
        }
    }
    let (measure, expected) = *BASELINES.choose(rng).expect("baselines");
    let assessment = Assessment {
        date: iso(assess_on),
        assessed_by: ASSESSORS.choose(rng).expect("assessors").to_string(),
        sources,
        baselines: vec![Baseline { name: measure.into(), score: rng.gen_range(69..=92).to_string(), date: iso(assess_on), expected: expected.into() }],
        needs: vec![AreaSummary { area, summary: SUMMARIES.iter().find(|(a, _)| *a == area).map_or("", |(_, s)| s).into() }],
        parent_view: rng.gen_bool(0.7).then(|| View { text: PARENT_VIEWS.choose(rng).expect("views").to_string(), date: iso(assess_on) }),
        pupil_view: rng.gen_bool(0.6).then(|| View { text: PUPIL_VIEWS.choose(rng).expect("views").to_string(), date: iso(assess_on) }),
    };
    store::demo_record(tx, id, &StageDocument::Assess { schema: 1, assessment }, &support.catalogues, stamp)?;

    let plan_on = (assess_on + Duration::days(rng.gen_range(3..10))).min(end.max(assess_on));
    if plan_on > today {
        return Ok(None);
    }
    let review_due = plan_on + Duration::days(7 * rng.gen_range(10..=14));
    let fits: Vec<&(BroadArea, &str, &str, &str, &str)> = OUTCOMES.iter().filter(|o| o.0 == area).collect();
    let outcomes = pick(rng, &fits, 1, 3).into_iter()
        .map(|(area, description, criterion, baseline, target)| Outcome {
            area: *area,
            pfa: None,
            description: description.to_string(),
            success_criterion: criterion.to_string(),
            baseline: baseline.to_string(),
            target: target.to_string(),
        })
        .collect();
    let items: Vec<&catalogue::CatalogueItem> = support.catalogues[0].items.iter().filter(|i| i.area == Some(area) && i.id.contains(".STRAT.")).collect();
    let strategies = pick(rng, &items, 2, 4).into_iter()
        .map(|i| StrategyTick { item_id: i.id.clone(), note: String::new(), catalogue: String::new(), version: String::new(), item_text: String::new() })
        .collect();
    let library: Vec<&Intervention> = support.interventions.iter().filter(|i| i.area == area && i.key != INDIVIDUAL).collect();
    let interventions: Vec<PlannedIntervention> = pick(rng, &library, 1, 2).into_iter()
        .map(|i| {
            let start = plan_on + Duration::days(rng.gen_range(0..7));
            let end = (start + Duration::days(7 * i.weeks.min(12) - 3)).max(start);
            PlannedIntervention {
                intervention: i.key.clone(),
                sessions_per_week: i.sessions_per_week.min(3),
                minutes_per_session: i.minutes_per_session,
                group_size: i.group_size,
                staff_role: i.staff_role.clone(),
                start_date: iso(start),
                end_date: iso(end),
                weeks: None,
                resources_pence: i.resources_pence,
            }
        })
        .collect();
    // A pupil with an EHC plan has a teaching assistant through the day, which takes the
    // plan's cost past the notional threshold (drawn from nothing random, so every other
    // pupil's history stays as it was).
    let with_plan = pupil.statuses.iter().any(|p| p.status == SenStatus::EhcPlan && p.start_date <= plan_on && p.end_date.is_none_or(|e| e > plan_on));
    let individual = support.interventions.iter().find(|i| i.key == INDIVIDUAL).filter(|_| with_plan).map(|i| {
        let end = plan_on + Duration::days(7 * 12 - 3);
        PlannedIntervention {
            intervention: i.key.clone(),
            sessions_per_week: i.sessions_per_week,
            minutes_per_session: i.minutes_per_session,
            group_size: 1,
            staff_role: i.staff_role.clone(),
            start_date: iso(plan_on),
            end_date: iso(end),
            weeks: None,
            resources_pence: 0,
        }
    });
    let mut planned_all = interventions.clone();
    planned_all.extend(individual.clone());
    let plan = Plan {
        date: iso(plan_on),
        parent_notice: rng.gen_bool(0.9).then(|| ParentNotice { date: iso(plan_on), method: *NoticeMethod::ALL.choose(rng).expect("methods") }),
        outcomes,
        strategies,
        interventions: planned_all,
        all_adults: "Give instructions one step at a time, check understanding, and offer a movement break before tasks that need sitting still.".into(),
        review_date: iso(review_due),
    };
    store::demo_record(tx, id, &StageDocument::Plan { schema: 1, plan: plan.clone() }, &support.catalogues, stamp)?;

    // Sessions, a few missed, up to today or the end of the support. Only the last year
    // and a bit is logged session by session, as if the school began logging in the app
    // then: a full six-year log of a large trust would make the demo slow to build.
    let reviewed_on = (review_due + Duration::days(rng.gen_range(-5..=10))).max(plan_on);
    let logged_from = NaiveDate::from_ymd_opt(academic_year(today) - 1, 9, 1).expect("exists");
    let mut sessions = Vec::new();
    for planned in interventions.iter().filter(|_| plan_on >= logged_from) {
        let start: NaiveDate = planned.start_date.parse().expect("iso");
        let stop: NaiveDate = planned.end_date.parse::<NaiveDate>().expect("iso").min(today).min(end).min(reviewed_on);
        let mut week = start;
        while week <= stop {
            for n in 0..planned.sessions_per_week {
                let date = week + Duration::days(n * 2);
                if date <= stop && rng.gen_bool(0.9) {
                    sessions.push(Session { intervention: planned.intervention.clone(), date: iso(date), minutes: planned.minutes_per_session, attended: rng.gen_bool(0.92), note: String::new() });
                }
            }
            week += Duration::days(7);
        }
    }
    if let Some(planned) = individual.filter(|_| plan_on >= logged_from) {
        let start: NaiveDate = planned.start_date.parse().expect("iso");
        let stop: NaiveDate = planned.end_date.parse::<NaiveDate>().expect("iso").min(today).min(end).min(reviewed_on);
        let mut day = start;
        while day <= stop {
            if !matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
                sessions.push(Session { intervention: planned.intervention.clone(), date: iso(day), minutes: planned.minutes_per_session, attended: true, note: String::new() });
            }
            day += Duration::days(1);
        }
    }
    let scores = interventions
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let entry: i64 = rng.gen_range(70..=85);
            // Interventions already over have an exit score: most rise a little, some do not.
            // Made without the generator, so the rest of the demo is unchanged.
            let ended = i.end_date.parse::<NaiveDate>().is_ok_and(|d| d <= today);
            let exit = ended.then(|| (entry + (id.0 + n as i64) % 9 - 2).to_string());
            Scores { intervention: i.intervention.clone(), entry_score: Some(entry.to_string()), exit_score: exit }
        })
        .collect::<Vec<_>>();
    if !sessions.is_empty() || !scores.is_empty() {
        store::demo_record(tx, id, &StageDocument::Delivery { schema: 1, delivery: Delivery { sessions, scores } }, &support.catalogues, stamp)?;
    }

    // Open now: the review is still to come, or is late (some are, on purpose).
    let support_ends = !ongoing && reviewed_on >= end;
    let review_on = if support_ends { end.max(plan_on) } else { reviewed_on };
    if review_on > today || (ongoing && review_due < today && today - review_due < Duration::days(40) && rng.gen_bool(0.5)) {
        return Ok(None);
    }
    let decision = if support_ends {
        Decision::EndSenSupport
    } else {
        *[Decision::Continue, Decision::Continue, Decision::Adapt, Decision::SeekSpecialistAdvice].choose(rng).expect("decisions")
    };
    let next = review_on + Duration::days(7 * 12);
    let review = Review {
        date: iso(review_on),
        ratings: (1..=plan.outcomes.len()).map(|n| OutcomeRating { outcome: n, rating: rng.gen_range(-1..=2), evidence: "Observations and the intervention log".into() }).collect(),
        parent_view: rng.gen_bool(0.6).then(|| View { text: PARENT_VIEWS.choose(rng).expect("views").to_string(), date: iso(review_on) }),
        pupil_view: rng.gen_bool(0.5).then(|| View { text: PUPIL_VIEWS.choose(rng).expect("views").to_string(), date: iso(review_on) }),
        decision,
        next_review_date: decision.needs_next_review().then(|| iso(next)),
        sign_off: true,
    };
    store::demo_record(tx, id, &StageDocument::Review { schema: 1, review }, &support.catalogues, stamp)?;
    Ok((!support_ends).then(|| review_on + Duration::days(rng.gen_range(1..=7))))
}

fn meetings(tx: &Transaction<'_>, rng: &mut ChaCha8Rng, id: PupilId, start: NaiveDate, end: NaiveDate) -> Result<()> {
    for year in academic_year(start)..=academic_year(end) {
        let from = NaiveDate::from_ymd_opt(year, 9, 1).expect("exists").max(start);
        let to = NaiveDate::from_ymd_opt(year + 1, 7, 20).expect("exists").min(end);
        if to < from {
            continue;
        }
        let days = (to - from).num_days();
        let count = if rng.gen_bool(0.2) { 1 } else { 1 + days / 100 };
        for n in 0..count {
            let date = from + Duration::days((days * n / count.max(1)) + rng.gen_range(0..=7).min(days));
            tx.exec(
                "INSERT INTO parent_meeting (pupil_id, date, attendees, summary, actions) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id.0, iso(date.min(to)), "Parent, class teacher, SENCO", "Went through the plan and how the interventions are going.", "School to send the updated plan home; parent to practise reading at home."],
            )?;
        }
    }
    Ok(())
}

fn involvement(tx: &Transaction<'_>, rng: &mut ChaCha8Rng, id: PupilId, area: BroadArea, start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Result<()> {
    let service = match area {
        BroadArea::CommunicationAndInteraction => Service::SpeechAndLanguage,
        BroadArea::CognitionAndLearning => Service::EducationalPsychologist,
        BroadArea::SocialEmotionalMentalHealth => *[Service::Camhs, Service::EarlyHelp, Service::Lift].choose(rng).expect("services"),
        _ => *[Service::Stls, Service::OccupationalTherapy].choose(rng).expect("services"),
    };
    let referral = start + Duration::days(rng.gen_range(20..90)).min(end - start);
    let seen = referral + Duration::days(rng.gen_range(20..60));
    let report = seen + Duration::days(rng.gen_range(7..21));
    let seen = (seen <= today).then_some(seen);
    let report = (report <= today && seen.is_some()).then_some(report);
    tx.exec(
        "INSERT INTO involvement (pupil_id, service, referral_date, seen_date, report_date, advice) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id.0, service.code(), iso(referral), seen.map(iso), report.map(iso), if report.is_some() { "Needs are as the school described; the report recommends the steps below." } else { "" }],
    )?;
    let involvement = tx.last_insert_rowid();
    if let Some(report) = report {
        const ADVICE: [&str; 3] = ["Use a visual timetable and give warning of changes", "Pre-teach key vocabulary before each new topic", "Review seating: near the teacher, away from the door"];
        for text in pick(rng, &ADVICE, 1, 3) {
            let acted = report + Duration::days(rng.gen_range(5..40));
            let acted = (acted <= today && rng.gen_bool(0.8)).then_some(acted);
            tx.exec(
                "INSERT INTO recommendation (involvement_id, text, acted_on, acted_how) VALUES (?1, ?2, ?3, ?4)",
                params![involvement, text, acted.map(iso), if acted.is_some() { "Added to the plan and shared with all staff" } else { "" }],
            )?;
        }
    }
    Ok(())
}

/// Consents, LIFT outcomes and annual reviews, so the demo has pupils ready for each pack
/// and pupils who are not. Drawn from a generator of the pupil's own, so the rest of the
/// demo is as it was.
fn pack_evidence(tx: &Transaction<'_>, id: PupilId, pupil: &DemoPupil, spans: &[(NaiveDate, NaiveDate, bool)], today: NaiveDate) -> Result<()> {
    use rand::SeedableRng;
    let Some(&(start, _, true)) = spans.last() else { return Ok(()) };
    let mut side = ChaCha8Rng::seed_from_u64(0x9ac4_0000 ^ id.0 as u64);
    let given = (start + Duration::days(side.gen_range(5..30))).min(today);
    if side.gen_bool(0.75) {
        tx.exec(
            "INSERT INTO consent (pupil_id, kind, given_by, date, scope) VALUES (?1, 'share-information', ?2, ?3, ?4)",
            params![id.0, "Parent (mother)", iso(given), "Sharing the school's SEN records and reports with Kent County Council's SEN service for a request for assessment or for funding."],
        )?;
    }
    if side.gen_bool(0.5) {
        tx.exec(
            "INSERT INTO consent (pupil_id, kind, given_by, date, scope) VALUES (?1, 'lift-agreement', ?2, ?3, ?4)",
            params![id.0, "Parent (father)", iso(given), "Discussing the pupil, without their name, at the district LIFT meeting and acting on its advice."],
        )?;
    }
    let lift_on = start + Duration::days(side.gen_range(60..150));
    if side.gen_bool(0.45) && lift_on <= today {
        tx.exec(
            "INSERT INTO involvement (pupil_id, service, referral_date, seen_date, report_date, advice) VALUES (?1, 'lift', ?2, ?3, ?4, ?5)",
            params![id.0, iso(lift_on - Duration::days(21)), iso(lift_on), iso(lift_on), "The LIFT meeting agreed the school's strategies are right, suggested a specialist teacher visit and a daily check-in with a key adult."],
        )?;
        let involvement = tx.last_insert_rowid();
        for (n, text) in ["Specialist teacher to observe in class and advise", "Add a daily check-in with a key adult"].iter().enumerate() {
            let acted = (lift_on + Duration::days(14 + 7 * n as i64)).min(today);
            tx.exec("INSERT INTO recommendation (involvement_id, text, acted_on, acted_how) VALUES (?1, ?2, ?3, ?4)", params![involvement, text, iso(acted), "Arranged by the SENCO and added to the plan"])?;
        }
    }
    let has_plan = pupil.statuses.last().is_some_and(|p| p.status == SenStatus::EhcPlan && p.end_date.is_none());
    if has_plan {
        let plan_since = pupil.statuses.last().map(|p| p.start_date).unwrap_or(start);
        let last = (today - Duration::days(side.gen_range(20..400))).max(plan_since);
        let due = crate::statutory::twelve_months_after(last);
        let meeting = (due - today).num_days() < 60;
        tx.exec(
            "INSERT INTO annual_review (pupil_id, last, meeting) VALUES (?1, ?2, ?3)",
            params![id.0, iso(last), meeting.then(|| iso((due - Duration::days(side.gen_range(0..20))).max(today)))],
        )?;
    }
    Ok(())
}

/// The school's staff training: each area of need within the last two years, and some older.
pub(super) fn training(tx: &Transaction<'_>, today: NaiveDate) -> Result<()> {
    let courses: [(&str, &str, Option<BroadArea>, i64); 6] = [
        ("Speech, language and communication needs in the classroom", "All teaching assistants", Some(BroadArea::CommunicationAndInteraction), 140),
        ("Precision teaching and reading interventions", "SENCO and four teaching assistants", Some(BroadArea::CognitionAndLearning), 300),
        ("Emotion coaching and trauma-informed practice", "All staff (INSET day)", Some(BroadArea::SocialEmotionalMentalHealth), 420),
        ("Sensory processing and sensory circuits", "Two teaching assistants", Some(BroadArea::SensoryAndPhysical), 610),
        ("Adaptive teaching for pupils with SEND", "All teachers", None, 200),
        ("Autism awareness", "Lunchtime supervisors", Some(BroadArea::CommunicationAndInteraction), 900),
    ];
    for (course, staff, area, days_ago) in courses {
        tx.exec("INSERT INTO staff_training (staff, course, date, area) VALUES (?1, ?2, ?3, ?4)", params![staff, course, iso(today - Duration::days(days_ago)), area.map(BroadArea::slug)])?;
    }
    Ok(())
}
