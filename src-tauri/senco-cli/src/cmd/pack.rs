//! `senco pack check|build|verify`: whether a pupil's records hold the evidence a pack
//! needs, the bundle for the local authority, and checking a bundle against its manifest.

use std::path::Path;
use std::process::ExitCode;

use senco_core::readiness::{self, PackType, RuleState};

use crate::args::{PackBuildArgs, PackCheckArgs, PackKind, RecordFormat};
use crate::context::Context;
use crate::output::{self, Failure};

/// Prints each rule as met, missing or a warning with its sentence; exit 0 when the pack is
/// ready (every required rule met), 1 when it is not.
pub fn check(context: &Context, args: PackCheckArgs) -> Result<ExitCode, Failure> {
    let rules = rules_for(args.kind, args.rules.as_deref())?;
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
                // Missing is in capitals, so a gap stands out in a terminal.
                let mark = if r.state == RuleState::Missing { r.state_label.to_uppercase() } else { r.state_label.to_lowercase() };
                out.push_str(&format!("  {mark:<10}  {}: {}\n", r.title, r.sentence));
            }
            out.push_str(&readiness.summary);
            out.push('\n');
            output::out(&out)?;
        }
    }
    Ok(if readiness.ready { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn pack_type(kind: PackKind) -> PackType {
    match kind {
        PackKind::Ehcna => PackType::Ehcna,
        PackKind::Hnf => PackType::Hnf,
        PackKind::Lift => PackType::Lift,
    }
}

fn rules_for(kind: PackKind, file: Option<&Path>) -> Result<readiness::RuleSet, Failure> {
    let pack = pack_type(kind);
    let rules = match file {
        Some(file) => {
            let text = senco_core::files::read_text_limited(file, senco_core::files::RULES_LIMIT)?;
            readiness::parse_rules(&file.display().to_string(), &text)?
        }
        None => readiness::shipped(pack)?,
    };
    if rules.pack != pack {
        return Err(Failure::Refused(format!("the rules are for the {} pack, not the {} pack", readiness::pack_label(rules.pack), readiness::pack_label(pack))));
    }
    Ok(rules)
}

/// Reads a password from a file: its first line, without the line end.
fn password(file: &Path) -> Result<String, Failure> {
    let text = senco_core::files::read_text_limited(file, senco_core::files::SECRET_LIMIT)?;
    let line = text.lines().next().unwrap_or("").to_string();
    if line.is_empty() {
        return Err(Failure::Refused(format!("{} holds no password on its first line", file.display())));
    }
    Ok(line)
}

/// Builds the bundle into the folder and prints its path and SHA-256. A pack is built even
/// when evidence is missing (the SENCO may need to send what there is), and says so.
pub fn build(context: &Context, args: PackBuildArgs) -> Result<ExitCode, Failure> {
    let rules = rules_for(args.kind, args.rules.as_deref())?;
    let password = args.password_file.as_deref().map(password).transpose()?;
    let mut store = context.open()?;
    let record = store.pupil_by_upn(&args.pupil)?;
    let written = store.export_pack(record.id, &rules, &args.out, password.as_deref(), context.stamp)?;
    output::out(&format!("{}\n{}\n", written.path, written.sha256))?;
    output::note(&format!(
        "{} pack for {} ({}): {} KB, {}",
        readiness::pack_label(rules.pack),
        record.display_name(),
        record.upn,
        written.bytes.div_ceil(1024),
        written.summary
    ));
    if password.is_some() {
        output::note(senco_core::pack::PASSWORD_TOOLS);
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks a bundle against its manifest.
pub fn verify(bundle: &Path, password_file: Option<&Path>) -> Result<ExitCode, Failure> {
    let password = password_file.map(password).transpose()?;
    let bytes = senco_core::files::read_limited(bundle, senco_core::files::BUNDLE_LIMIT)?;
    let (manifest, problems) = senco_core::pack::verify(&bundle.display().to_string(), &bytes, password.as_deref())?;
    if problems.is_empty() {
        output::out(&format!("{}: all {} files match the manifest ({} pack, rules {} version {}).\n", bundle.display(), manifest.files.len(), readiness::pack_label(manifest.pack), manifest.rules_name, manifest.rules_version))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = format!("{}: {} of the bundle's files do not match its manifest:\n", bundle.display(), problems.len());
    for p in &problems {
        out.push_str(&format!("  {}: {}\n", p.path, p.problem));
    }
    output::out(&out)?;
    Ok(ExitCode::from(1))
}
