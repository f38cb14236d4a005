//! `senco`: the SENCO Toolkit's command line, a thin shell over `senco-core` for IT staff,
//! scripts and tests.
//!
//! The contract (shared/architecture.md): `--db` picks the database (default: the desktop
//! app's, in its data directory); the passphrase comes from `SENCO_PASSPHRASE` or
//! `--passphrase-file`, never from an argument; `--today` fixes the date. Data goes to
//! stdout and messages to stderr. Exit codes: 0 ok, 1 refused, 2 usage.

mod output;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use senco_core::census::{BroadArea, NeedCode, SenStatus};
use senco_core::demo::{self, DemoSpec};
use senco_core::keys::DEMO_PASSPHRASE;
use senco_core::pupil::{parse_nc_year, PupilInput, PupilRecord};
use senco_core::register::{RegisterFilter, Roll, SortColumn};
use senco_core::school::{Phase, SchoolSetup, KENT_LA_CODE};
use senco_core::sen::{NeedInput, StatusChange};
use senco_core::store::{default_database_path, demo_database_path};
use senco_core::upn::Upn;
use senco_core::{Error, Stamp, Store, Unlock};

/// The desktop app's identifier in tauri.conf.json; its data directory is named after it.
const APP_IDENTIFIER: &str = "uk.senco-toolkit.app";

#[derive(Parser)]
#[command(name = "senco", version, about = "SENCO Toolkit on the command line: the school's SEN register, encrypted.")]
struct Cli {
    /// The school database (default: the desktop app's, in its data directory).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Read the passphrase from this file instead of SENCO_PASSPHRASE.
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    /// Act as if today were this date (YYYY-MM-DD).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    today: Option<NaiveDate>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an encrypted school database; prints the recovery key once.
    Init(InitArgs),
    /// Create a synthetic demo school (no real pupils).
    Demo(DemoArgs),
    /// Add, show and change one pupil.
    #[command(subcommand)]
    Pupil(PupilCommand),
    /// The SEN register.
    #[command(subcommand)]
    Register(RegisterCommand),
    /// UPN tools.
    #[command(subcommand)]
    Upn(UpnCommand),
}

#[derive(Args)]
struct InitArgs {
    #[arg(long)]
    name: String,
    /// The six-digit URN.
    #[arg(long)]
    urn: String,
    /// The LA number.
    #[arg(long, default_value = KENT_LA_CODE)]
    la: String,
    /// The four-digit DfE establishment number.
    #[arg(long)]
    estab: String,
    #[arg(long, value_enum, default_value = "primary")]
    phase: PhaseArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum PhaseArg {
    Primary,
    Secondary,
    AllThrough,
    Special,
}

#[derive(Args)]
struct DemoArgs {
    #[arg(long, default_value_t = 420)]
    pupils: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Years of SEN history to invent.
    #[arg(long, default_value_t = 3)]
    years: u32,
}

#[derive(Subcommand)]
enum PupilCommand {
    /// Add a pupil (their status starts as No SEN from the admission date).
    Add(PupilAddArgs),
    /// Show a pupil's record, status history and needs.
    Show {
        upn: String,
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
    },
    /// Change a pupil's SEN status.
    SetStatus {
        upn: String,
        /// N, M (monitoring), K or E.
        #[arg(long)]
        status: String,
        #[arg(long = "from", value_name = "YYYY-MM-DD")]
        start: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// Required for K and E when the pupil has no primary need yet.
        #[arg(long)]
        primary_need: Option<String>,
    },
    /// Record a need (rank 1 is the primary need and replaces the current one).
    AddNeed {
        upn: String,
        #[arg(long)]
        need: String,
        #[arg(long, default_value_t = 1)]
        rank: u32,
        #[arg(long = "from", value_name = "YYYY-MM-DD")]
        start: String,
    },
    /// Mark a pupil as left; the record is archived, not deleted.
    Leave {
        upn: String,
        #[arg(long = "on", value_name = "YYYY-MM-DD")]
        date: String,
    },
}

#[derive(Args)]
struct PupilAddArgs {
    #[arg(long)]
    upn: String,
    #[arg(long)]
    forename: String,
    #[arg(long)]
    surname: String,
    #[arg(long, default_value = "")]
    preferred_forename: String,
    #[arg(long, default_value = "")]
    preferred_surname: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    dob: String,
    /// F or M.
    #[arg(long)]
    sex: String,
    /// N, R or 1 to 14.
    #[arg(long)]
    year: String,
    #[arg(long, default_value = "")]
    form: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    admitted: String,
    #[arg(long)]
    pupil_premium: bool,
    #[arg(long)]
    fsm: bool,
    #[arg(long)]
    eal: bool,
    #[arg(long)]
    looked_after: bool,
    #[arg(long)]
    attendance: Option<f64>,
}

#[derive(Subcommand)]
enum RegisterCommand {
    /// List the register (on roll unless --left or --all).
    List(ListArgs),
}

#[derive(Args)]
struct ListArgs {
    /// N, M, K or E.
    #[arg(long)]
    status: Option<String>,
    /// A primary need code, e.g. SLCN.
    #[arg(long)]
    need: Option<String>,
    /// ci, cl, semh, sp or other.
    #[arg(long)]
    area: Option<String>,
    #[arg(long)]
    year: Option<String>,
    #[arg(long, conflicts_with = "all")]
    left: bool,
    #[arg(long)]
    all: bool,
    #[arg(long, default_value = "")]
    search: String,
    #[arg(long, value_enum, default_value = "table")]
    format: ListFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum UpnCommand {
    /// Check UPNs: prints each as valid, temporary or invalid with the reason.
    Check {
        #[arg(required = true)]
        upns: Vec<String>,
    },
}

/// Why the command stopped: refused (exit 1) or misused (exit 2).
enum Failure {
    Refused(String),
    Usage(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Refused(match error {
            Error::Invalid(problems) => problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("\n"),
            other => other.to_string(),
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Failure::Refused(message)) => {
            for line in message.lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("usage error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let stamp = match cli.today {
        Some(today) => Stamp::on(today),
        None => {
            let now = chrono::Local::now();
            Stamp { today: now.date_naive(), at: now.naive_local() }
        }
    };
    let passphrase = read_passphrase(cli.passphrase_file.as_deref())?;
    match cli.command {
        Command::Init(args) => {
            let path = cli.db.unwrap_or_else(|| default_database_path(&data_dir()));
            let passphrase = passphrase.ok_or_else(|| {
                Failure::Usage("set SENCO_PASSPHRASE or give --passphrase-file to choose the school's passphrase".into())
            })?;
            let setup = SchoolSetup {
                name: args.name,
                urn: args.urn,
                la_code: args.la,
                establishment_number: args.estab,
                phase: match args.phase {
                    PhaseArg::Primary => Phase::Primary,
                    PhaseArg::Secondary => Phase::Secondary,
                    PhaseArg::AllThrough => Phase::AllThrough,
                    PhaseArg::Special => Phase::Special,
                },
            };
            let (_store, recovery_key) = Store::create(&path, &setup, &passphrase, &passphrase, stamp)?;
            eprintln!("Created {}. Its recovery key is below: print it or write it down and keep it safe.", path.display());
            eprintln!("It is shown only this once, and it opens the school if the passphrase is forgotten.");
            println!("{}", recovery_key.as_str());
        }
        Command::Demo(args) => {
            let path = cli.db.unwrap_or_else(|| demo_database_path(&data_dir()));
            let spec = DemoSpec { pupils: args.pupils, seed: args.seed, years: args.years };
            let store = demo::create(&path, spec, passphrase.as_deref(), stamp)?;
            let all = RegisterFilter { roll: Roll::All, ..RegisterFilter::default() };
            let rows = store.register_rows(&all, SortColumn::Name, false)?;
            eprintln!("Created the demo school at {} with {} synthetic pupils (seed {}).", path.display(), rows.len(), args.seed);
        }
        Command::Pupil(command) => {
            let mut store = open(cli.db, passphrase)?;
            let record = match command {
                PupilCommand::Add(args) => store.add_pupil(&pupil_input(args)?, stamp)?,
                PupilCommand::Show { upn, format } => {
                    let record = store.pupil_by_upn(&upn)?;
                    print!("{}", output::record(&record, format));
                    return Ok(ExitCode::SUCCESS);
                }
                PupilCommand::SetStatus { upn, status, start, reason, primary_need } => {
                    let id = store.pupil_by_upn(&upn)?.id;
                    let change = StatusChange {
                        status: parse_status(&status)?,
                        start_date: start,
                        reason,
                        primary_need: primary_need.as_deref().map(parse_need).transpose()?,
                    };
                    store.set_status(id, &change, stamp)?
                }
                PupilCommand::AddNeed { upn, need, rank, start } => {
                    let id = store.pupil_by_upn(&upn)?.id;
                    store.add_need(id, &NeedInput { code: parse_need(&need)?, rank, start_date: start }, stamp)?
                }
                PupilCommand::Leave { upn, date } => {
                    let id = store.pupil_by_upn(&upn)?.id;
                    store.leave(id, &date, stamp)?
                }
            };
            report(&record);
        }
        Command::Register(RegisterCommand::List(args)) => {
            let store = open(cli.db, passphrase)?;
            let filter = RegisterFilter {
                status: args.status.as_deref().map(parse_status).transpose()?,
                need: args.need.as_deref().map(parse_need).transpose()?,
                area: args.area.as_deref().map(parse_area).transpose()?,
                nc_year: args.year.as_deref().map(|y| parse_nc_year(y).ok_or_else(|| Failure::Usage(format!("--year takes N, R or 1 to 14, not \"{y}\"")))).transpose()?,
                roll: if args.all { Roll::All } else if args.left { Roll::Left } else { Roll::OnRoll },
                search: args.search,
                ..RegisterFilter::default()
            };
            let rows = store.register_rows(&filter, SortColumn::Name, false)?;
            print!("{}", output::register(&rows, args.format));
            eprintln!("{} pupils", rows.len());
        }
        Command::Upn(UpnCommand::Check { upns }) => {
            let mut any_invalid = false;
            for text in upns {
                match Upn::parse(&text) {
                    Ok(upn) if upn.is_temporary() => println!("{upn}\ttemporary"),
                    Ok(upn) => println!("{upn}\tvalid"),
                    Err(e) => {
                        any_invalid = true;
                        println!("{}\tinvalid: {e}", text.trim());
                    }
                }
            }
            return Ok(if any_invalid { ExitCode::from(1) } else { ExitCode::SUCCESS });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn report(record: &PupilRecord) {
    eprintln!(
        "{} ({}): {} since {}",
        record.display_name(),
        record.upn,
        record.status,
        record.status_since
    );
}

/// Opens the school, or the demo school with its fixed key when no passphrase is given.
fn open(db: Option<PathBuf>, passphrase: Option<String>) -> Result<Store, Failure> {
    let path = db.unwrap_or_else(|| default_database_path(&data_dir()));
    let passphrase = passphrase.unwrap_or_else(|| DEMO_PASSPHRASE.to_string());
    let store = Store::open(&path, Unlock::Passphrase(&passphrase))?;
    if store.school().is_demo {
        eprintln!("Demo school: synthetic pupils only, not real data.");
    }
    Ok(store)
}

fn read_passphrase(file: Option<&Path>) -> Result<Option<String>, Failure> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::Refused(format!("the passphrase file {} could not be read: {e}", file.display())))?;
        return Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()));
    }
    Ok(std::env::var("SENCO_PASSPHRASE").ok().filter(|p| !p.is_empty()))
}

/// The desktop app's data directory: SENCO_DATA_DIR, else the XDG data home.
fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SENCO_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".local/share"));
    base.join(APP_IDENTIFIER)
}

fn pupil_input(args: PupilAddArgs) -> Result<PupilInput, Failure> {
    let nc_year = parse_nc_year(&args.year)
        .ok_or_else(|| Failure::Usage(format!("--year takes N, R or 1 to 14, not \"{}\"", args.year)))?;
    Ok(PupilInput {
        upn: args.upn,
        legal_forename: args.forename,
        legal_surname: args.surname,
        preferred_forename: args.preferred_forename,
        preferred_surname: args.preferred_surname,
        date_of_birth: args.dob,
        sex: args.sex,
        nc_year,
        form: args.form,
        admission_date: args.admitted,
        pupil_premium: args.pupil_premium,
        fsm: args.fsm,
        eal: args.eal,
        looked_after: args.looked_after,
        attendance_pct: args.attendance,
    })
}

fn parse_status(text: &str) -> Result<SenStatus, Failure> {
    SenStatus::from_code(text).ok_or_else(|| Failure::Usage(format!("--status takes N, M, K or E, not \"{text}\"")))
}

fn parse_need(text: &str) -> Result<NeedCode, Failure> {
    NeedCode::from_code(text).ok_or_else(|| {
        let codes: Vec<&str> = NeedCode::ALL.iter().map(|n| n.code()).collect();
        Failure::Usage(format!("\"{text}\" is not a need code; use one of {}", codes.join(", ")))
    })
}

fn parse_area(text: &str) -> Result<BroadArea, Failure> {
    BroadArea::from_slug(text).ok_or_else(|| Failure::Usage(format!("--area takes ci, cl, semh, sp or other, not \"{text}\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_matches_the_desktop_apps_so_both_open_the_same_school() {
        let config = include_str!("../../../tauri.conf.json");
        assert!(config.contains(&format!("\"identifier\": \"{APP_IDENTIFIER}\"")), "tauri.conf.json and the CLI must agree");
    }
}
