//! `senco consent|training|review|summary`: consents, staff training, EHC plans' annual
//! reviews, and the plain-language summary for families.

use std::process::ExitCode;

use senco_core::dates;
use senco_core::people::{Consent, ConsentKind, Training};
use senco_core::store::ReviewStep;

use crate::args::{ConsentCommand, ConsentKindArg, RecordFormat, ReviewCommand, ReviewStepArg, SummaryArgs, TrainingCommand};
use crate::context::Context;
use crate::output::{self, Failure};

macro_rules! json {
    ($value:expr) => {
        output::out(&format!("{}\n", serde_json::to_string_pretty($value).expect("records serialise")))
    };
}

fn date(field: &str, text: &str) -> Result<chrono::NaiveDate, Failure> {
    dates::read(field, field, text).map_err(|p| Failure::Usage(format!("--{field}: {}", p.message)))
}

pub fn consent(context: &Context, command: ConsentCommand) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let (upn, list) = match command {
        ConsentCommand::Add { pupil, kind, given_by, date, scope } => {
            let record = store.pupil_by_upn(&pupil)?;
            let kind = match kind {
                ConsentKindArg::ShareInformation => ConsentKind::ShareInformation,
                ConsentKindArg::LiftAgreement => ConsentKind::LiftAgreement,
            };
            let list = store.add_consent(record.id, &Consent { kind, given_by, date, scope, withdrawn: None }, context.stamp)?;
            output::note(&format!("{} recorded for {} ({})", kind.label(), record.display_name(), record.upn));
            drop(list);
            return Ok(ExitCode::SUCCESS);
        }
        ConsentCommand::Withdraw { id, date } => {
            store.withdraw_consent(id, &date, context.stamp)?;
            output::note(&format!("consent {id} recorded as withdrawn on {date}"));
            return Ok(ExitCode::SUCCESS);
        }
        ConsentCommand::List { pupil, format } => {
            let record = store.pupil_by_upn(&pupil)?;
            let list = store.consents(record.id, context.stamp.today)?;
            if format == RecordFormat::Json {
                json!(&list)?;
                return Ok(ExitCode::SUCCESS);
            }
            (record.upn, list)
        }
    };
    let mut out = format!("{upn}: {} consent{}\n", list.len(), if list.len() == 1 { "" } else { "s" });
    for c in &list {
        let state = match (&c.consent.withdrawn, c.stands) {
            (Some(w), _) => format!("withdrawn {w}"),
            (None, true) => "stands".to_string(),
            (None, false) => "not yet in force".to_string(),
        };
        out.push_str(&format!("  {}  {}: given by {} on {} ({state})\n", c.id, c.kind_label, c.consent.given_by, c.consent.date));
    }
    output::out(&out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn training(context: &Context, command: TrainingCommand) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    match command {
        TrainingCommand::Add { staff, course, date, area } => {
            let area = area.as_deref().map(super::parse_area).transpose()?;
            let t = store.add_training(&Training { staff, course, date, area }, context.stamp)?;
            output::note(&format!("training recorded: {} on {} ({})", t.training.course, t.training.date, t.area_label));
        }
        TrainingCommand::List { format } => {
            let list = store.training(None)?;
            if format == RecordFormat::Json {
                json!(&list)?;
            } else {
                let mut out = format!("{} training record{}\n", list.len(), if list.len() == 1 { "" } else { "s" });
                for t in &list {
                    out.push_str(&format!("  {}  {}: {} ({})\n", t.training.date, t.training.course, t.training.staff, t.area_label));
                }
                output::out(&out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn review(context: &Context, command: ReviewCommand) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let (review, format) = match command {
        ReviewCommand::Start { pupil, last } => {
            let record = store.pupil_by_upn(&pupil)?;
            (store.start_annual_reviews(record.id, date("last", &last)?, context.stamp)?, RecordFormat::Text)
        }
        ReviewCommand::Record { pupil, step, date: day } => {
            let record = store.pupil_by_upn(&pupil)?;
            let date = date("date", &day)?;
            let event = match step {
                ReviewStepArg::Meeting => ReviewStep::Meeting,
                ReviewStepArg::Notice => ReviewStep::Notice,
                ReviewStepArg::Papers => ReviewStep::Papers,
                ReviewStepArg::Report => ReviewStep::Report,
                ReviewStepArg::LaKeeps => ReviewStep::LaKeeps,
                ReviewStepArg::LaAmends => ReviewStep::LaAmends,
                ReviewStepArg::LaCeases => ReviewStep::LaCeases,
                ReviewStepArg::Amendments => ReviewStep::Amendments,
                ReviewStepArg::AmendedPlan => ReviewStep::AmendedPlan,
            }
            .event(date);
            (store.record_review_step(record.id, &event, context.stamp)?, RecordFormat::Text)
        }
        ReviewCommand::Show { pupil, format } => {
            let record = store.pupil_by_upn(&pupil)?;
            let review = store.annual_review(record.id, context.stamp.today)?.ok_or_else(|| Failure::Refused(format!("{}'s annual reviews are not tracked yet", record.upn)))?;
            (review, format)
        }
    };
    if format == RecordFormat::Json {
        return json!(&review).map(|_| ExitCode::SUCCESS);
    }
    let mut out = format!("Annual review, running from the last on {}\n", dates::short(review.dates.last));
    for s in &review.steps {
        out.push_str(&format!("  {:<70} due {:<12} {}\n", s.step, s.due.map_or("—".into(), dates::short), s.status_text));
    }
    output::out(&out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn summary(context: &Context, args: SummaryArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let record = store.pupil_by_upn(&args.pupil)?;
    store.write_family_summary(record.id, &args.out, context.stamp)?;
    output::out(&format!("{}\n", args.out.display()))?;
    Ok(ExitCode::SUCCESS)
}
