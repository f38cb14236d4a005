//! `senco request clock`: the statutory dates of an EHC needs assessment request.

use std::process::ExitCode;

use senco_core::dates;
use senco_core::statutory::{request_clock, ClockStep, RequestDates, StepState};

use crate::args::{RecordFormat, RequestClockArgs};
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
    let state = match step.status {
        StepState::OnTime => "done on time".to_string(),
        StepState::Late { days } => format!("done {days} day{} late", if days == 1 { "" } else { "s" }),
        StepState::Due { days_left: 0 } => "due today".to_string(),
        StepState::Due { days_left } => format!("due in {days_left} day{}", if days_left == 1 { "" } else { "s" }),
        StepState::Overdue { days } => format!("overdue by {days} day{}", if days == 1 { "" } else { "s" }),
        StepState::NotYet => "date set by the draft".to_string(),
        StepState::Ended => "not needed".to_string(),
    };
    format!("{:<16} {:<72} {:<26} {}\n", due, step.step, step.limit, state)
}
