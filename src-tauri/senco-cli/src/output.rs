//! How `senco` prints: a table or text for people, or the core's export formats (CSV, and
//! JSON with a `schema_version`) for scripts; and how a failure becomes a message and an
//! exit code.
//!
//! All data goes through `out`, which treats a closed pipe (`senco … | head`) as the reader
//! having had enough: the command stops quietly with exit code 0, never a panic.

use std::io::{self, Write};
use std::process::ExitCode;

use senco_core::{dates, export};
use senco_core::pupil::{nc_year_label, PupilRecord};
use senco_core::register::RegisterRow;
use senco_core::store::CheckReport;
use senco_core::Error;

use crate::args::{ListFormat, RecordFormat};

/// Why a command stopped.
pub enum Failure {
    /// Refused: exit 1, with the reason.
    Refused(String),
    /// Misused: exit 2, with the right usage.
    Usage(String),
    /// The reader closed the pipe: stop quietly.
    ClosedPipe,
}

/// The flag or variable a user typed for each field the core names, so a refusal points at
/// what to retype.
fn flag_for(field: &str) -> &str {
    match field {
        "upn" => "--upn",
        "legalForename" => "--forename",
        "legalSurname" => "--surname",
        "preferredForename" => "--preferred-forename",
        "preferredSurname" => "--preferred-surname",
        "dateOfBirth" => "--dob",
        "sex" => "--sex",
        "ncYear" => "--year",
        "form" => "--form",
        "admissionDate" => "--admitted",
        "attendancePct" => "--attendance",
        "status" => "--status",
        "startDate" => "--from",
        "reason" => "--reason",
        "primaryNeed" => "--primary-need",
        "code" => "--need",
        "rank" => "--rank",
        "leavingDate" => "--on",
        "name" => "--name",
        "urn" => "--urn",
        "laCode" => "--la",
        "establishmentNumber" => "--estab",
        "passphrase" | "passphraseAgain" => "SENCO_PASSPHRASE",
        "today" => "--today",
        "db" => "--db",
        other => other,
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Refused(match error {
            Error::Invalid(problems) => problems.iter().map(|p| format!("{}: {}", flag_for(&p.field), p.message)).collect::<Vec<_>>().join("\n"),
            Error::PassphraseRequired(path) => format!(
                "{} is a school protected by its own passphrase: set SENCO_PASSPHRASE or give --passphrase-file FILE",
                path.display()
            ),
            other => other.to_string(),
        })
    }
}

impl Failure {
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Refused(message) => {
                for line in message.lines() {
                    note(&format!("error: {line}"));
                }
                ExitCode::from(1)
            }
            Failure::Usage(message) => {
                note(&format!("usage error: {message}"));
                ExitCode::from(2)
            }
            Failure::ClosedPipe => ExitCode::SUCCESS,
        }
    }
}

/// Writes data to stdout.
pub fn out(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Failure::ClosedPipe),
        Err(e) => Err(Failure::Refused(format!("the output could not be written: {e}"))),
    }
}

/// Writes a message for people to stderr. A closed stderr is ignored, never a panic.
pub fn note(text: &str) {
    let _ = writeln!(io::stderr(), "{text}");
}

pub fn register(rows: &[RegisterRow], format: ListFormat) -> String {
    match format {
        ListFormat::Table => {
            let mut out = format!("{:<14} {:<28} {:<4} {:<6} {:<6} {:<5}\n", "UPN", "NAME", "YEAR", "FORM", "STATUS", "NEED");
            for r in rows {
                let name = format!("{}, {}", r.surname, r.forename);
                out.push_str(&format!(
                    "{:<14} {:<28} {:<4} {:<6} {:<6} {:<5}{}\n",
                    r.upn,
                    truncate(&name, 28),
                    nc_year_label(r.nc_year),
                    r.form,
                    r.status.code(),
                    r.primary_need.map_or("", |n| n.code()),
                    r.leaving_date.map_or(String::new(), |d| format!(" left {}", dates::short(d)))
                ));
            }
            out
        }
        ListFormat::Csv => export::register_csv(rows),
        ListFormat::Json => export::register_json(rows),
    }
}

pub fn record(r: &PupilRecord, format: RecordFormat) -> String {
    match format {
        RecordFormat::Json => export::pupil_json(r),
        RecordFormat::Text => {
            let mut out = format!("{} ({})\n", r.display_name(), r.upn);
            if r.upn_temporary {
                out.push_str("  UPN is temporary: replace it when the permanent one is known\n");
            }
            out.push_str(&format!("  Legal name: {} {}\n", r.legal_forename, r.legal_surname));
            out.push_str(&format!("  Born {}, {} {}, form {}\n", dates::short(r.date_of_birth), r.sex.code(), nc_year_label(r.nc_year), r.form));
            let left = r.leaving_date.map_or(String::new(), |d| format!(", left {} (archived)", dates::short(d)));
            out.push_str(&format!("  Admitted {}{left}\n", dates::short(r.admission_date)));
            out.push_str(&format!("  SEN status: {} since {}\n", r.status, dates::short(r.status_since)));
            out.push_str("  Status history:\n");
            for p in &r.status_history {
                let end = p.end_date.map_or("now".to_string(), dates::short);
                out.push_str(&format!("    {:>11} to {:<11}  {}  {}\n", dates::short(p.start_date), end, p.status, p.reason));
            }
            out.push_str("  Needs:\n");
            for n in &r.needs {
                let end = n.end_date.map_or("now".to_string(), dates::short);
                out.push_str(&format!("    {} rank {}  {} ({})  {} to {}\n", n.code, n.rank, n.description, n.area.label(), dates::short(n.start_date), end));
            }
            out
        }
    }
}

/// The findings of `senco check`, and what to do about them.
pub fn check_report(report: &CheckReport, format: RecordFormat) -> String {
    match format {
        RecordFormat::Json => {
            let document = serde_json::json!({
                "schema_version": export::SCHEMA_VERSION,
                "database": report.database.display().to_string(),
                "healthy": report.healthy(),
                "findings": report.findings,
            });
            format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values serialise"))
        }
        RecordFormat::Text => {
            let mut out = format!("Checked {}\n", report.database.display());
            for finding in &report.findings {
                let mark = if finding.passed { "ok     " } else { "DAMAGED" };
                out.push_str(&format!("  {mark} {}: {}\n", finding.check, finding.detail));
            }
            if report.healthy() {
                out.push_str("The school database is healthy.\n");
            } else {
                out.push_str(
                    "The school database is damaged. Stop using it and restore the most recent backup \
                     (the database and its .keys file together); keep this copy until the restored one \
                     has been checked.\n",
                );
            }
            out
        }
    }
}

/// "1 pupil", "2 pupils".
pub fn pupils(count: usize) -> String {
    if count == 1 { "1 pupil".to_string() } else { format!("{count} pupils") }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width { text.to_string() } else { format!("{}…", text.chars().take(width - 1).collect::<String>()) }
}

/// Pupil data leaving the store through the command line, to standard output or to
/// `--out FILE`: a copy, so it is audited (what, how many pupils, and the program and
/// account, which every entry records) in the same step as it is written. To a file it goes
/// through the core's delivery (owner-only, arriving only with its entry); to standard
/// output the entry is committed first, so nothing is printed that was not recorded.
pub struct Copy<'a> {
    /// What it is, for the entry: "the register".
    pub what: &'a str,
    pub pupils: usize,
    /// The one pupil it is about, if it is one pupil's record.
    pub pupil: Option<senco_core::pupil::PupilId>,
    pub out: Option<&'a std::path::Path>,
}

impl Copy<'_> {
    pub fn write(self, store: &mut senco_core::Store, stamp: senco_core::Stamp, text: &str) -> Result<(), Failure> {
        let copied = senco_core::store::Copied { what: self.what, pupils: self.pupils, pupil: self.pupil };
        match self.out {
            Some(path) => {
                let (folder, place) = senco_core::store::Place::exact(path)?;
                store.write_copy(&folder, &place, &copied, text.as_bytes(), stamp)?;
                note(&format!("Written to {}, readable by this account only.", path.display()));
                Ok(())
            }
            None => {
                store.record_printed(&copied, stamp)?;
                out(text)
            }
        }
    }
}
