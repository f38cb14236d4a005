//! `senco request`: requests for an EHC needs assessment, and their statutory clock.

use std::process::ExitCode;

use senco_core::dates;
use senco_core::statutory::{request_clock, AssessDecision, ClockStep, DraftOutcome, Exception, ExceptionKind, RequestDates, RequestEvent};

use crate::args::{ExceptionArg, RecordFormat, RequestClockArgs, RequestCommand, RequestOutcome, RequestStep};
use crate::context::Context;
use crate::output::{self, Failure};

/// Prints each step's latest date from the day the LA received the request (the day it was
/// sent unless `--received` says otherwise), and where it stands on `--today`.
pub fn clock(context: &Context, args: RequestClockArgs) -> Result<ExitCode, Failure> {
    let read = |flag: &str, label: &str, text: &str| dates::read(flag, label, text).map_err(|p| Failure::Usage(format!("{flag}: {}", p.message)));
    let sent = read("--sent", "date sent", &args.sent)?;
    let received = match &args.received {
        Some(text) => read("--received", "date received", text)?,
        None => sent,
    };
    if received < sent {
        return Err(Failure::Usage(format!("--received ({}) comes before --sent ({})", dates::short(received), dates::short(sent))));
    }
    let today = context.stamp.today;
    let steps = request_clock(&RequestDates::received(received), today);
    match args.format {
        RecordFormat::Json => {
            let value = serde_json::json!({ "sent": sent, "received": received, "today": today, "steps": steps });
            output::out(&format!("{}\n", serde_json::to_string_pretty(&value).expect("the clock serialises")))?;
        }
        RecordFormat::Text => {
            let mut out = format!("Request sent {}, received by the LA {}; weeks are counted in calendar days from receipt.\n", dates::short(sent), dates::short(received));
            for step in &steps {
                out.push_str(&line(step));
            }
            output::out(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn line(step: &ClockStep) -> String {
    let due = step.due.map_or_else(|| "—".to_string(), |d| format!("{} {}", d.format("%a"), dates::short(d)));
    let state = &step.status_text;
    format!("{:<16} {:<70} {}\n{:<16} {}\n", due, step.step, state, "", step.limit)
}

/// `request add|list|show|record|exception`: a pupil's requests, kept in the school.
pub fn run(context: &Context, command: RequestCommand) -> Result<ExitCode, Failure> {
    let today = context.stamp.today;
    let read = |flag: &str, text: &str| dates::read(flag, flag, text).map_err(|p| Failure::Usage(format!("{flag}: {}", p.message)));
    match command {
        RequestCommand::Clock(args) => return clock(context, args),
        RequestCommand::Add { pupil, sent, received } => {
            let sent = read("--sent", &sent)?;
            let received = received.map(|r| read("--received", &r)).transpose()?;
            let mut store = context.open()?;
            let record = store.pupil_by_upn(&pupil)?;
            let request = store.add_request(record.id, sent, received, context.stamp)?;
            let decision = request.steps[0].due.map(dates::short).unwrap_or_default();
            output::note(&format!("recorded the request for {} sent on {}; the LA's decision is due by {decision}", record.display_name(), dates::short(sent)));
        }
        RequestCommand::List { pupil, format } => {
            let store = context.open()?;
            let record = store.pupil_by_upn(&pupil)?;
            let requests = store.requests(record.id, today)?;
            match format {
                RecordFormat::Json => output::out(&format!("{}\n", serde_json::to_string_pretty(&serde_json::json!({ "upn": record.upn, "requests": requests })).expect("serialises")))?,
                RecordFormat::Text => {
                    let mut out = format!("{} ({}): {} request{}\n", record.display_name(), record.upn, requests.len(), if requests.len() == 1 { "" } else { "s" });
                    for r in &requests {
                        let state = if r.running { "running" } else { "ended" };
                        out.push_str(&format!("  sent {}, received {}: {state}\n", dates::short(r.sent), dates::short(r.dates.received)));
                    }
                    output::out(&out)?;
                }
            }
        }
        RequestCommand::Show { pupil, format } => {
            let store = context.open()?;
            let record = store.pupil_by_upn(&pupil)?;
            let requests = store.requests(record.id, today)?;
            let Some(latest) = requests.first() else {
                return Err(Failure::Refused(format!("no request for an EHC needs assessment is recorded for {}", record.display_name())));
            };
            match format {
                RecordFormat::Json => output::out(&format!("{}\n", serde_json::to_string_pretty(latest).expect("serialises")))?,
                RecordFormat::Text => {
                    let mut out = format!(
                        "{} ({}): request sent {}, received by the LA {}{}\n",
                        record.display_name(),
                        record.upn,
                        dates::short(latest.sent),
                        dates::short(latest.dates.received),
                        if latest.running { "" } else { " (ended)" }
                    );
                    for step in &latest.steps {
                        out.push_str(&line(step));
                        for why in &step.explained_by {
                            out.push_str(&format!("{:<16} explained by: {why}\n", ""));
                        }
                    }
                    output::out(&out)?;
                }
            }
        }
        RequestCommand::Record { pupil, step, date, outcome } => {
            let date = read("--date", &date)?;
            let event = match (step, outcome) {
                (RequestStep::Decision, Some(RequestOutcome::Assess)) => RequestEvent::Decision { date, decision: AssessDecision::Assess },
                (RequestStep::Decision, Some(RequestOutcome::Decline)) => RequestEvent::Decision { date, decision: AssessDecision::DeclineToAssess },
                (RequestStep::Decision, _) => return Err(Failure::Usage("--step decision takes --outcome assess or --outcome decline".into())),
                (RequestStep::Draft, Some(RequestOutcome::DraftPlan)) => RequestEvent::Draft { date, outcome: DraftOutcome::DraftPlan },
                (RequestStep::Draft, Some(RequestOutcome::NoPlan)) => RequestEvent::Draft { date, outcome: DraftOutcome::NoPlan },
                (RequestStep::Draft, _) => return Err(Failure::Usage("--step draft takes --outcome draft-plan or --outcome no-plan".into())),
                (RequestStep::AdviceAsked, None) => RequestEvent::AdviceAsked { date },
                (RequestStep::AdviceGiven, None) => RequestEvent::AdviceGiven { date },
                (RequestStep::Comments, None) => RequestEvent::Comments { date },
                (RequestStep::Final, None) => RequestEvent::FinalPlan { date },
                (_, Some(_)) => return Err(Failure::Usage("--outcome goes with --step decision or --step draft only".into())),
            };
            let mut store = context.open()?;
            let record = store.pupil_by_upn(&pupil)?;
            let id = running(&store, record.id, today)?;
            store.record_request_step(id, &event, context.stamp)?;
            output::note(&format!("recorded for {} on {}", record.display_name(), dates::short(date)));
        }
        RequestCommand::Exception { pupil, kind, reason, from, to } => {
            let exception = Exception {
                kind: match kind {
                    ExceptionArg::SchoolClosure => ExceptionKind::SchoolClosure,
                    ExceptionArg::EarlyYearsClosure => ExceptionKind::EarlyYearsClosure,
                    ExceptionArg::Personal => ExceptionKind::PersonalCircumstances,
                    ExceptionArg::OutOfArea => ExceptionKind::OutOfArea,
                },
                reason,
                from: read("--from", &from)?,
                to: to.map(|t| read("--to", &t)).transpose()?,
            };
            let mut store = context.open()?;
            let record = store.pupil_by_upn(&pupil)?;
            let id = running(&store, record.id, today)?;
            store.add_request_exception(id, &exception, context.stamp)?;
            output::note(&format!("recorded the exception for {}: {}", record.display_name(), exception.kind.label()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn running(store: &senco_core::Store, pupil: senco_core::pupil::PupilId, today: chrono::NaiveDate) -> Result<i64, Failure> {
    store
        .requests(pupil, today)?
        .into_iter()
        .find(|r| r.running)
        .map(|r| r.id)
        .ok_or_else(|| Failure::Refused("this pupil has no running request: record one with `senco request add`".into()))
}
