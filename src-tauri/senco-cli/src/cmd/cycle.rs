//! `senco cycle list|show|record|amend`: a pupil's assess-plan-do-review cycles.

use std::process::ExitCode;

use senco_core::apdr::{pounds, StageDocument, RATING_SCALE};
use senco_core::dates;
use senco_core::store::CycleRecord;

use crate::args::{CycleCommand, RecordFormat};
use crate::context::Context;
use crate::output::{self, Failure};

pub fn run(context: &Context, command: CycleCommand) -> Result<ExitCode, Failure> {
    match command {
        CycleCommand::List { pupil, format } => {
            let store = context.open()?;
            let record = store.pupil_by_upn(&pupil)?;
            let cycles = store.cycles(record.id)?;
            match format {
                RecordFormat::Json => output::out(&senco_core::export::cycles_json(&record.upn, &cycles))?,
                RecordFormat::Text => {
                    let mut out = format!("{} ({}): {} cycle{}\n", record.display_name(), record.upn, cycles.len(), if cycles.len() == 1 { "" } else { "s" });
                    for c in &cycles {
                        out.push_str(&format!("  {}\n", summary(c)));
                    }
                    output::out(&out)?;
                }
            }
        }
        CycleCommand::Show { pupil, cycle, format } => {
            let store = context.open()?;
            let record = store.pupil_by_upn(&pupil)?;
            let cycles = store.cycles(record.id)?;
            let chosen = match cycle {
                Some(n) => cycles.into_iter().find(|c| c.number == n).ok_or_else(|| Failure::Refused(format!("{} has no cycle {n}", record.upn)))?,
                None => cycles.into_iter().next().ok_or_else(|| Failure::Refused(format!("{} has no cycles yet", record.upn)))?,
            };
            match format {
                RecordFormat::Json => output::out(&senco_core::export::cycles_json(&record.upn, std::slice::from_ref(&chosen)))?,
                RecordFormat::Text => output::out(&detail(&chosen))?,
            }
        }
        CycleCommand::Record { pupil, file, cycle } => {
            let text = senco_core::files::read_text_limited(&file, senco_core::files::STAGE_LIMIT)?;
            let document: StageDocument = serde_json::from_str(&text)
                .map_err(|e| Failure::Refused(format!("{} is not a stage document: {e}", file.display())))?;
            let mut store = context.open()?;
            let record = store.pupil_by_upn(&pupil)?;
            let updated = store.record_stage(record.id, cycle, &document, context.stamp)?;
            output::note(&format!("{} ({}): {}", record.display_name(), record.upn, summary(&updated)));
        }
        CycleCommand::Amend { pupil, cycle, text } => {
            let mut store = context.open()?;
            let record = store.pupil_by_upn(&pupil)?;
            let updated = store.amend_cycle(record.id, cycle, &text, context.stamp)?;
            output::note(&format!("{} ({}): cycle {} amended on {}", record.display_name(), record.upn, updated.number, dates::short(context.stamp.today)));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn short(iso: &str) -> String {
    iso.parse().map(dates::short).unwrap_or_else(|_| iso.to_string())
}

fn summary(c: &CycleRecord) -> String {
    let state = match (&c.locked_on, &c.plan) {
        (Some(on), _) => format!("signed off {}", short(on)),
        (None, Some(plan)) => format!("open, review due {}", short(&plan.review_date)),
        (None, None) => "open, being assessed".to_string(),
    };
    format!("cycle {} opened {}, {} ({:?} stage)", c.number, short(&c.opened_on), state, c.stage)
}

fn detail(c: &CycleRecord) -> String {
    let mut out = format!("{}\n", summary(c));
    if let Some(a) = &c.assessment {
        out.push_str(&format!("Assess ({} by {}):\n", short(&a.date), a.assessed_by));
        for n in &a.needs {
            out.push_str(&format!("  {}: {}\n", n.area.label(), n.summary));
        }
        for b in &a.baselines {
            out.push_str(&format!("  baseline {}: {} ({})\n", b.name, b.score, short(&b.date)));
        }
    }
    if let Some(p) = &c.plan {
        let notice = p.parent_notice.as_ref().map_or("not recorded".to_string(), |n| format!("{} ({})", short(&n.date), n.method.label()));
        out.push_str(&format!("Plan ({}), parents told: {notice}, review due {}:\n", short(&p.date), short(&p.review_date)));
        for (i, o) in p.outcomes.iter().enumerate() {
            out.push_str(&format!("  outcome {}: {} [{}] from {} to {}; met when {}\n", i + 1, o.description, o.area.label(), o.baseline, o.target, o.success_criterion));
        }
        for s in &p.strategies {
            out.push_str(&format!("  strategy {} ({} {}): {}\n", s.item_id, s.catalogue, s.version, s.item_text));
        }
    }
    for i in &c.interventions {
        out.push_str(&format!(
            "  intervention {}: {} of {} sessions delivered ({} attended), planned {}, to date {}\n",
            i.name,
            i.sessions_delivered,
            i.sessions_planned,
            i.sessions_attended,
            pounds(i.planned_cost_pence),
            pounds(i.cost_to_date_pence)
        ));
    }
    if let Some(r) = &c.review {
        out.push_str(&format!("Review ({}): {}\n", short(&r.date), r.decision.label()));
        for rating in &r.ratings {
            let words = RATING_SCALE.iter().find(|(v, _)| i64::from(*v) == rating.rating).map_or("", |(_, w)| w);
            out.push_str(&format!("  outcome {}: {:+} {words}: {}\n", rating.outcome, rating.rating, rating.evidence));
        }
    }
    for a in &c.amendments {
        out.push_str(&format!("Amended {}: {}\n", short(&a.made_on), a.text));
    }
    out
}
