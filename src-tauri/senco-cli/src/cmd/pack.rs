//! `senco pack check`: whether a pupil's records hold the evidence a pack needs.

use std::process::ExitCode;

use senco_core::readiness::{self, PackType, RuleState};

use crate::args::{PackCheckArgs, PackKind, RecordFormat};
use crate::context::Context;
use crate::output::{self, Failure};

/// Prints each rule as met, missing or a warning with its sentence; exit 0 when the pack is
/// ready (every required rule met), 1 when it is not.
pub fn check(context: &Context, args: PackCheckArgs) -> Result<ExitCode, Failure> {
    let pack = match args.kind {
        PackKind::Ehcna => PackType::Ehcna,
        PackKind::Hnf => PackType::Hnf,
        PackKind::Lift => PackType::Lift,
    };
    let rules = match &args.rules {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| Failure::Refused(format!("{} could not be read: {}", file.display(), senco_core::error::plain_cause(&e))))?;
            readiness::parse_rules(&file.display().to_string(), &text)?
        }
        None => readiness::shipped(pack)?,
    };
    let store = context.open()?;
    let record = store.pupil_by_upn(&args.pupil)?;
    let readiness = store.readiness(record.id, &rules, context.stamp.today)?;
    match args.format {
        RecordFormat::Json => {
            let value = serde_json::json!({ "upn": record.upn, "pupil": record.display_name(), "readiness": readiness });
            output::out(&format!("{}\n", serde_json::to_string_pretty(&value).expect("readiness serialises")))?;
        }
        RecordFormat::Text => {
            let mut out = format!(
                "{} ({}): {} pack, evidence check\nRules: {}, version {}\n",
                record.display_name(),
                record.upn,
                readiness::pack_label(readiness.pack),
                readiness.rules_name,
                readiness.rules_version
            );
            for r in &readiness.results {
                let mark = match r.state {
                    RuleState::Met => "met    ",
                    RuleState::Missing => "MISSING",
                    RuleState::Warning => "warning",
                };
                out.push_str(&format!("  {mark}  {}: {}\n", r.title, r.sentence));
            }
            out.push_str(&readiness.summary);
            out.push('\n');
            output::out(&out)?;
        }
    }
    Ok(if readiness.ready { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
