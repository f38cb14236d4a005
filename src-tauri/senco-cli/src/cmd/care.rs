//! `senco backup`, `restore`, `audit`, `retention`, `erase` and `sar`: keeping the
//! school's records safe, for as long as they should be kept, and handing them over.

use std::path::Path;
use std::process::ExitCode;

use senco_core::backup::BackupManifest;
use senco_core::store::{self, AuditQuery, ErasureCount};
use senco_core::{dates, export, Unlock};

use crate::args::{AuditArgs, BackupArgs, BackupCommand, EraseArgs, ListFormat, RecordFormat, RestoreArgs, RetentionArgs, SarArgs};
use crate::context::Context;
use crate::output::{self, Failure};

fn read_recovery_key(file: &Path) -> Result<String, Failure> {
    let text = senco_core::files::read_text_limited(file, senco_core::files::SECRET_LIMIT)?;
    Ok(text.trim().to_string())
}

fn taken(manifest: &BackupManifest) -> String {
    match chrono::NaiveDateTime::parse_from_str(&manifest.taken_at, "%Y-%m-%dT%H:%M:%S") {
        Ok(t) => format!("{} at {}", dates::short(t.date()), t.format("%H:%M")),
        Err(_) => manifest.taken_at.clone(),
    }
}

fn json(value: &impl serde::Serialize) -> Result<(), Failure> {
    output::out(&format!("{}\n", serde_json::to_string_pretty(value).expect("serialises")))
}

pub fn backup(context: &Context, args: BackupArgs) -> Result<ExitCode, Failure> {
    if let Some(BackupCommand::Verify { file, recovery_key_file, format }) = args.command {
        let recovery = recovery_key_file.as_deref().map(read_recovery_key).transpose()?;
        let unlock = match (&recovery, context.passphrase()) {
            (Some(key), _) => Some(Unlock::RecoveryKey(key)),
            (None, Some(passphrase)) => Some(Unlock::Passphrase(passphrase)),
            (None, None) => None,
        };
        let checked = store::verify_backup(&file, unlock, &context.scratch_dir())?;
        let healthy = checked.findings.iter().all(|f| f.passed);
        match format {
            RecordFormat::Json => json(&checked)?,
            RecordFormat::Text => {
                let m = &checked.manifest;
                let mut out = format!(
                    "{}: a backup of {} taken {} by SENCO Toolkit {} (schema {}).\nEvery file matches its SHA-256 in the manifest.\n",
                    file.display(),
                    m.school,
                    taken(m),
                    m.app_version,
                    m.schema_version
                );
                if checked.unlocked {
                    for f in &checked.findings {
                        out.push_str(&format!("{} {}: {}\n", if f.passed { "ok  " } else { "FAIL" }, f.check, f.detail));
                    }
                } else {
                    out.push_str("Not unlocked: set SENCO_PASSPHRASE or give --recovery-key-file to prove it opens and run every integrity check.\n");
                }
                output::out(&out)?;
            }
        }
        return Ok(if healthy { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    let out = args.out.ok_or_else(|| Failure::Usage("give --out FILE for the backup, or `senco backup verify FILE` to check one".into()))?;
    let mut store = context.open()?;
    let written = store.backup(&out, context.stamp)?;
    match args.format {
        RecordFormat::Json => json(&written)?,
        RecordFormat::Text => {
            output::note(&format!(
                "Backed up {} to {} ({:.1} MB). It is encrypted: keep it apart from this laptop, and keep the recovery key safe.",
                written.manifest.school,
                out.display(),
                written.bytes as f64 / 1_000_000.0
            ));
            output::out(&format!("{}\n", out.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn restore(context: &Context, args: RestoreArgs) -> Result<ExitCode, Failure> {
    let target = context.school_path();
    let recovery = args.recovery_key_file.as_deref().map(read_recovery_key).transpose()?;
    let unlock = match (&recovery, context.passphrase()) {
        (Some(key), _) => Unlock::RecoveryKey(key),
        (None, Some(passphrase)) => Unlock::Passphrase(passphrase),
        (None, None) => Unlock::Demo,
    };
    let plan = store::plan_restore(&args.file, &target, &unlock)?;
    if plan.needs_confirmation && !args.confirm_older {
        return Err(Failure::Refused(format!("{} Nothing was changed: run again with --confirm-older to go ahead.", plan.message)));
    }
    let done = store::restore(&args.file, &target, unlock, args.confirm_older, context.stamp)?;
    let mut message = format!("Restored {} as it was on {} to {}.", done.manifest.school, taken(&done.manifest), done.target);
    if let Some(copy) = &done.replaced_copy {
        message.push_str(&format!(" The school it replaced is kept as {copy}."));
    }
    output::note(&message);
    Ok(ExitCode::SUCCESS)
}

fn read_day(field: &str, text: Option<&str>) -> Result<Option<chrono::NaiveDate>, Failure> {
    text.map(|t| dates::read(field, field, t).map_err(|p| Failure::Usage(format!("--{}: {}", p.field, p.message)))).transpose()
}

pub fn audit(context: &Context, args: AuditArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let query = AuditQuery { upn: args.pupil, from: read_day("from", args.from.as_deref())?, to: read_day("to", args.to.as_deref())?, limit: None };
    let entries = store.audit(&query)?;
    let text = match args.format {
        ListFormat::Csv => export::audit_csv(&entries),
        ListFormat::Json => export::audit_json(&entries),
        ListFormat::Table => {
            let mut out = format!("{:<19} {:<34} {:<16} {:<14} summary\n", "when", "who", "action", "pupil");
            for e in &entries {
                out.push_str(&format!(
                    "{:<19} {:<34} {:<16} {:<14} {}\n",
                    e.at.replace('T', " "),
                    e.actor,
                    e.action,
                    e.upn.as_deref().unwrap_or(""),
                    e.summary
                ));
            }
            out.push_str(&format!("{} entr{}.\n", entries.len(), if entries.len() == 1 { "y" } else { "ies" }));
            out
        }
    };
    let mut upns: Vec<&str> = entries.iter().filter_map(|e| e.upn.as_deref()).collect();
    upns.sort_unstable();
    upns.dedup();
    let copy = output::Copy { what: "the audit trail", pupils: upns.len(), pupil: None, out: args.out.as_deref() };
    copy.write(&mut store, context.stamp, &text)?;
    Ok(ExitCode::SUCCESS)
}

pub fn retention(context: &Context, args: RetentionArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    if let Some(years) = args.set_years {
        store.set_retention_years(years, context.stamp)?;
        output::note(&format!("Leavers' files are now kept until they are {years} years old."));
    }
    let list = store.purge_list(context.stamp.today)?;
    let counted = store.erasure_count(&list.candidates.iter().map(|c| c.pupil_id).collect::<Vec<_>>())?;
    match args.format {
        ListFormat::Json => json(&serde_json::json!({ "schema_version": export::SCHEMA_VERSION, "list": list, "erasing_all_removes": counted }))?,
        ListFormat::Csv => {
            let mut csv = export::Csv::new(&["upn", "pupil", "date_of_birth", "left_on", "retain_until"]);
            for c in &list.candidates {
                csv.row(&[c.upn.clone(), c.name.clone(), c.date_of_birth.to_string(), c.left_on.to_string(), c.retain_until.to_string()]);
            }
            output::out(&csv.finish())?;
        }
        ListFormat::Table => {
            let mut out = format!("Leavers' files are kept until date of birth + {} years.\n", list.years);
            if list.candidates.is_empty() {
                out.push_str(&format!("No leaver's file is past its date on {}.\n", dates::short(list.today)));
            } else {
                out.push_str(&format!("{:<14} {:<30} {:<12} {:<12} retain until\n", "UPN", "pupil", "born", "left"));
                for c in &list.candidates {
                    out.push_str(&format!(
                        "{:<14} {:<30} {:<12} {:<12} {}\n",
                        c.upn,
                        c.name,
                        dates::short(c.date_of_birth),
                        dates::short(c.left_on),
                        dates::short(c.retain_until)
                    ));
                }
                out.push_str(&format!(
                    "{} file{} past {} date: erasing {} removes {} records and {} attachments (senco erase --all-due).\n",
                    list.candidates.len(),
                    if list.candidates.len() == 1 { " is" } else { "s are" },
                    if list.candidates.len() == 1 { "its" } else { "their" },
                    if list.candidates.len() == 1 { "it" } else { "them" },
                    counted.records,
                    counted.attachments
                ));
            }
            output::out(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn erase(context: &Context, args: EraseArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let list = store.purge_list(context.stamp.today)?;
    let pupils = if args.all_due {
        list.candidates.iter().map(|c| c.pupil_id).collect::<Vec<_>>()
    } else {
        let mut ids = Vec::new();
        for upn in &args.pupils {
            let record = store.pupil_by_upn(upn)?;
            if !list.candidates.iter().any(|c| c.pupil_id == record.id) {
                return Err(Failure::Refused(format!("{upn} is not due for erasure: only leavers past their retention date (date of birth + {} years) can be erased", list.years)));
            }
            ids.push(record.id);
        }
        ids
    };
    if pupils.is_empty() {
        output::note("No leaver's file is past its retention date: nothing to erase.");
        return Ok(ExitCode::SUCCESS);
    }
    let counted = store.erasure_count(&pupils)?;
    let what = counted.describe();
    match args.confirm {
        None => Err(Failure::Refused(format!(
            "Erasing would remove the files of {what}, for good (backups taken before keep them). Nothing was erased: run again with --confirm {} to erase.",
            counted.records
        ))),
        Some(records) => {
            let erased: ErasureCount = store.erase(&pupils, ErasureCount { records, ..counted }, context.stamp)?;
            output::note(&format!("Erased the files of {}.", erased.describe()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn sar(context: &Context, args: SarArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let pupil = store.pupil_by_upn(&args.pupil)?;
    let written = store.subject_access(pupil.id, &args.out, context.stamp)?;
    output::note(&format!(
        "Wrote everything held about {} to {} ({} files). Check and redact it before it is released.",
        args.pupil,
        written.folder,
        written.files.len()
    ));
    output::out(&format!("{}\n", written.folder))?;
    Ok(ExitCode::SUCCESS)
}
