//! The command line as clap sees it: every subcommand and flag, and nothing else.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use senco_core::school::KENT_LA_CODE;

#[derive(Parser)]
#[command(name = "senco", version, about = "SENCO Toolkit on the command line: the school's SEN register, encrypted.")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// The options every command takes.
#[derive(Args)]
pub struct Global {
    /// The school database (default: the desktop app's, in its data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Read the passphrase from this file instead of SENCO_PASSPHRASE.
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Act as if today were this date (YYYY-MM-DD). On a real school it may move the date
    /// back, not forward; the audit trail always records the real time.
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create an encrypted school database; prints the recovery key once.
    Init(InitArgs),
    /// Create a synthetic demo school (no real pupils).
    Demo(DemoArgs),
    /// Check a school database for damage, without changing it.
    Check(CheckArgs),
    /// Add, show and change one pupil.
    #[command(subcommand)]
    Pupil(PupilCommand),
    /// The SEN register.
    #[command(subcommand)]
    Register(RegisterCommand),
    /// UPN tools.
    #[command(subcommand)]
    Upn(UpnCommand),
    /// A pupil's assess-plan-do-review cycles.
    #[command(subcommand)]
    Cycle(CycleCommand),
    /// What is due across the school, most urgent first.
    Worklist(WorklistArgs),
    /// The whole-school provision map with its costs, for an academic year.
    ProvisionMap(ProvisionMapArgs),
    /// The provision catalogues (the adapted Mainstream Core Standards and any others).
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Requests for an EHC needs assessment and their statutory clock.
    #[command(subcommand)]
    Request(RequestCommand),
    /// Evidence packs for the local authority.
    #[command(subcommand)]
    Pack(PackCommand),
    /// A parent's or carer's consents for a pupil.
    #[command(subcommand)]
    Consent(ConsentCommand),
    /// The school's staff training, by area of need.
    #[command(subcommand)]
    Training(TrainingCommand),
    /// The annual reviews of pupils' EHC plans.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// A plain-language summary of a pupil's current plan for the family, as a PDF.
    Summary(SummaryArgs),
    /// The governors' inclusion summary, with counts that could identify a child hidden.
    Governors(GovernorsArgs),
    /// Merge schools' aggregation files into one summary for a trust or community of schools.
    Rollup(RollupArgs),
    /// The school's notional SEN budget, for the governors' summary.
    Budget(BudgetArgs),
    /// The national figures the governors' summary compares with.
    National(NationalArgs),
    /// The SENCO, their qualification and the review dates of the SEN information report and
    /// the accessibility plan, for the governors' summary. Options change only what they name.
    Duties(DutiesArgs),
    /// Import pupils from the school's MIS: a Common Transfer File or a CSV export. Always
    /// previews first; with --dry-run nothing is written.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Where the MIS and the toolkit disagree about a pupil's SEN status or primary need:
    /// the list for the school office to correct at source.
    Reconcile(ReconcileArgs),
    /// Write a backup of the school (database, key file, manifest) to one file, or check one.
    Backup(BackupArgs),
    /// Restore a backup over the school (kept as a dated copy) or onto a new data folder.
    Restore(RestoreArgs),
    /// Who did what, when, to which record.
    Audit(AuditArgs),
    /// Leavers' files past their retention date, and the retention period.
    Retention(RetentionArgs),
    /// Erase the files of leavers past their retention date (asks for the count first).
    Erase(EraseArgs),
    /// Everything the toolkit holds about one pupil, as a PDF and JSON bundle, for a subject
    /// access request.
    Sar(SarArgs),
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub command: Option<BackupCommand>,
    /// The backup file to write (replaced whole if it exists).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: RecordFormat,
}

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Check a backup against its manifest without restoring it; with a passphrase or
    /// recovery key, also prove it unlocks and passes every integrity check.
    Verify {
        file: PathBuf,
        /// Prove it opens with the recovery key in this file.
        #[arg(long, value_name = "FILE")]
        recovery_key_file: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
    },
}

#[derive(Args)]
pub struct RestoreArgs {
    pub file: PathBuf,
    /// Open the backup with the recovery key in this file instead of the passphrase.
    #[arg(long, value_name = "FILE")]
    pub recovery_key_file: Option<PathBuf>,
    /// Go ahead although the backup is older than the school it replaces (or that school
    /// does not open with the same secret).
    #[arg(long)]
    pub confirm_older: bool,
}

#[derive(Args)]
pub struct AuditArgs {
    /// Only entries about this pupil.
    #[arg(long, value_name = "UPN")]
    pub pupil: Option<String>,
    /// From this day (DD/MM/YYYY or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// To this day, inclusive.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Write to this file (readable by this account only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct RetentionArgs {
    /// Keep leavers' files until this many years after birth (25 to 35).
    #[arg(long, value_name = "YEARS")]
    pub set_years: Option<u32>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Args)]
pub struct EraseArgs {
    /// The pupils to erase (each must be on the purge list).
    #[arg(long = "pupil", value_name = "UPN", required_unless_present = "all_due")]
    pub pupils: Vec<String>,
    /// Every pupil on the purge list.
    #[arg(long)]
    pub all_due: bool,
    /// The number of records the first run said would go: erases only if it still matches.
    #[arg(long, value_name = "RECORDS")]
    pub confirm: Option<u32>,
}

#[derive(Args)]
pub struct SarArgs {
    #[arg(long, value_name = "UPN")]
    pub pupil: String,
    /// The folder to write the bundle into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import a DfE Common Transfer File (XML).
    Ctf(ImportArgs),
    /// Import a CSV exported from the MIS (SIMS, Arbor, Bromcom or matched by heading).
    Csv {
        #[command(flatten)]
        common: ImportArgs,
        /// Which MIS's column headings to read: sims, arbor, bromcom, auto (the best match),
        /// or the id of a profile saved in the app.
        #[arg(long, default_value = "auto")]
        profile: String,
    },
}

#[derive(Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Show what would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Accept the pupils matched by surname and date of birth (listed by a dry run).
    #[arg(long)]
    pub confirm_matches: bool,
    /// When some rows have problems: import the others and leave those rows out, listed for
    /// the office to correct in the MIS. The choice is recorded in the audit trail.
    #[arg(long)]
    pub leave_out_refused: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: RecordFormat,
}

#[derive(Args)]
pub struct ReconcileArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Write to this file (readable by this account only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum ConsentCommand {
    /// Record a consent: who gave it, when, and what it covers.
    Add {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_enum)]
        kind: ConsentKindArg,
        #[arg(long, value_name = "WHO")]
        given_by: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long, default_value = "")]
        scope: String,
    },
    /// Record that a consent was withdrawn.
    Withdraw {
        #[arg(long, value_name = "ID")]
        id: i64,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
    },
    /// A pupil's consents, newest first.
    List {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConsentKindArg {
    /// To share information with the local authority.
    ShareInformation,
    /// To a LIFT referral.
    LiftAgreement,
}

#[derive(Subcommand)]
pub enum TrainingCommand {
    /// Record training staff had.
    Add {
        #[arg(long, value_name = "WHO")]
        staff: String,
        #[arg(long)]
        course: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// The area of need: ci, cl, semh or sp; leave out for general SEN training.
        #[arg(long, value_name = "AREA")]
        area: Option<String>,
    },
    /// The school's training, newest first.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
    },
}

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Start tracking a pupil's annual reviews from the last review (or the plan's date).
    Start {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        last: String,
    },
    /// Record a step: the meeting's date, the papers sent, or the school's report sent.
    Record {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_enum)]
        step: ReviewStepArg,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
    },
    /// The current annual review and its dates.
    Show {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewStepArg {
    /// The meeting is booked or held on --date.
    Meeting,
    /// Everyone was told the meeting's date (at least 2 weeks before it, reg 20(3)).
    Notice,
    /// The papers went out (at least 2 weeks before the meeting, reg 20(4)).
    Papers,
    /// The school's report went to the LA; the next review runs from the meeting.
    Report,
    /// The LA decided to keep the plan as it is (within 4 weeks of the meeting, reg 20(10)).
    LaKeeps,
    /// The LA decided to amend the plan.
    LaAmends,
    /// The LA decided to cease the plan.
    LaCeases,
    /// The LA sent its proposed amendments (the family has at least 15 days, reg 22(2)(c)).
    Amendments,
    /// The LA issued the amended plan (within 8 weeks of the amendments, reg 22(3)).
    AmendedPlan,
}

#[derive(Args)]
pub struct SummaryArgs {
    #[arg(long, value_name = "UPN")]
    pub pupil: String,
    /// The PDF to write (written to a temporary file, then renamed).
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
}

#[derive(Subcommand)]
pub enum PackCommand {
    /// Whether a pupil's records hold the evidence a pack needs: each rule met, missing or a
    /// warning, in a sentence. Exit 0 when ready, 1 when not.
    Check(PackCheckArgs),
    /// Build the pack's bundle (pack.pdf, attachments, data.json, manifest.json) in a
    /// folder; prints its path and SHA-256.
    Build(PackBuildArgs),
    /// Check a bundle against its manifest: exit 0 when every file matches, 1 naming each
    /// file that does not.
    Verify {
        bundle: PathBuf,
        /// For a password-protected bundle: a file holding the password.
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct PackBuildArgs {
    #[arg(long, value_name = "UPN")]
    pub pupil: String,
    #[arg(long = "type", value_enum)]
    pub kind: PackKind,
    /// The folder the bundle is written into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Protect every file in the bundle with AES-256, using the password in this file.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Build against this rules file instead of the shipped rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
}

#[derive(Args)]
pub struct PackCheckArgs {
    #[arg(long, value_name = "UPN")]
    pub pupil: String,
    #[arg(long = "type", value_enum, default_value = "ehcna")]
    pub kind: PackKind,
    /// Check against this rules file instead of the shipped rules (docs/formats/evidence-rules.md).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: RecordFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PackKind {
    /// A request for an EHC needs assessment.
    Ehcna,
    /// Kent High Needs Funding.
    Hnf,
    /// A LIFT referral.
    Lift,
}

#[derive(Subcommand)]
pub enum RequestCommand {
    /// The statutory dates of a request: the LA's decision whether to assess (6 weeks), a
    /// notice of no plan (16 weeks; a draft plan has no limit of its own), the family's 15
    /// days for comments (counting the day the draft was served) and the final plan (20
    /// weeks). Needs no school and no passphrase.
    Clock(RequestClockArgs),
    /// Record a request for a pupil as sent to the LA (and received, if later).
    Add {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_name = "DATE")]
        sent: String,
        #[arg(long, value_name = "DATE")]
        received: Option<String>,
    },
    /// A pupil's requests, newest first, one line each.
    List {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
    },
    /// A pupil's latest request with its statutory clock today.
    Show {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
    },
    /// Record a step of the pupil's running request, once it has happened.
    Record {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_enum)]
        step: RequestStep,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// For --step decision: assess or decline; for --step draft: draft-plan or no-plan.
        #[arg(long, value_enum)]
        outcome: Option<RequestOutcome>,
    },
    /// Record an exception to the time limits, with its reason: it explains a late step and
    /// never moves its date.
    Exception {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_enum)]
        kind: ExceptionArg,
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "DATE")]
        from: String,
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RequestStep {
    /// The LA decided whether to assess (with --outcome assess or decline).
    Decision,
    /// The LA asked the school for its advice: the school's 6 weeks start (reg 8).
    AdviceAsked,
    /// The school gave the LA its advice.
    AdviceGiven,
    /// The LA sent a draft plan or a notice of no plan (with --outcome draft-plan or no-plan).
    Draft,
    /// The family's comments on the draft went back.
    Comments,
    /// The LA issued the final EHC plan.
    Final,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RequestOutcome {
    Assess,
    Decline,
    DraftPlan,
    NoPlan,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExceptionArg {
    /// Reg 10(4)(a), 5(4)(a): the LA asked the school for advice from a week before a closure
    /// of 4 weeks or more until a week before it reopened.
    SchoolClosure,
    /// Reg 10(4)(b): the same, for an early years provider.
    EarlyYearsClosure,
    /// Reg 10(4)(c), 5(4)(b): exceptional personal circumstances of the child or the parent.
    Personal,
    /// Reg 10(4)(d), 5(4)(c): the child or the parent away from the LA's area for 4 weeks or
    /// more in a row.
    OutOfArea,
}

#[derive(Args)]
pub struct RequestClockArgs {
    /// The day the request was sent to the local authority.
    #[arg(long, value_name = "DATE")]
    pub sent: String,
    /// The day the local authority received it, if later: the clock starts then.
    #[arg(long, value_name = "DATE")]
    pub received: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: RecordFormat,
}

#[derive(Subcommand)]
pub enum CycleCommand {
    /// List a pupil's cycles, newest first.
    List {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
    },
    /// Show one cycle in full (the open or latest one unless --cycle says which).
    Show {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_name = "N")]
        cycle: Option<u32>,
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
    },
    /// Record one stage (assess, plan, delivery or review) from a JSON file, by the same
    /// rules as the app; see docs/formats/cycle-stage.md.
    Record {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_name = "STAGE.json")]
        file: PathBuf,
        /// The cycle meant; a signed-off cycle is refused (amend it instead).
        #[arg(long, value_name = "N")]
        cycle: Option<u32>,
    },
    /// Add a dated correction to a signed-off cycle.
    Amend {
        #[arg(long, value_name = "UPN")]
        pupil: String,
        #[arg(long, value_name = "N")]
        cycle: u32,
        #[arg(long)]
        text: String,
    },
}

#[derive(Args)]
pub struct WorklistArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableOrJson,
    /// Write to this file (readable by this account only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct ProvisionMapArgs {
    /// The academic year by the year it starts: 2026 for September 2026 to August 2027
    /// (default: the current one).
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Option<i32>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Write to this file (readable by this account only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableOrJson {
    Table,
    Json,
}

#[derive(Subcommand)]
pub enum CatalogueCommand {
    /// List every item of the school's catalogues.
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
    },
    /// Check a catalogue file: each problem with its line number; exit 1 if any.
    Check { file: PathBuf },
    /// Load another framework file into the school (entries with problems are skipped).
    Load { file: PathBuf },
    /// Add one of the school's own items to its catalogue.
    Add {
        /// ci, cl, semh or sp; leave out for an expectation of the whole school.
        #[arg(long)]
        area: Option<String>,
        /// The heading it goes under, e.g. "Strategies".
        #[arg(long)]
        heading: String,
        #[arg(long)]
        text: String,
    },
}

#[derive(Args)]
pub struct InitArgs {
    #[arg(long)]
    pub name: String,
    /// The six-digit URN.
    #[arg(long)]
    pub urn: String,
    /// The LA number.
    #[arg(long, default_value = KENT_LA_CODE)]
    pub la: String,
    /// The four-digit DfE establishment number.
    #[arg(long)]
    pub estab: String,
    #[arg(long, value_enum, default_value = "primary")]
    pub phase: PhaseArg,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PhaseArg {
    Primary,
    Infant,
    Junior,
    Secondary,
    AllThrough,
    Special,
}

#[derive(Args)]
pub struct DemoArgs {
    /// How many pupils, from 30 to 20000 (with --aggregates, the largest school's size).
    #[arg(long, default_value_t = 420, value_parser = clap::value_parser!(u32).range(30..=20_000))]
    pub pupils: u32,
    /// Instead of the demo school, write this many demo schools' governor aggregation files
    /// into --aggregates, for trying `senco rollup`.
    #[arg(long, requires = "aggregates", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub schools: Option<u32>,
    /// The folder for the aggregation files of --schools.
    #[arg(long, value_name = "DIR", requires = "schools")]
    pub aggregates: Option<PathBuf>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the demo school's pupils as a Common Transfer File, as its MIS would.
    #[arg(long, value_name = "FILE", conflicts_with = "schools")]
    pub ctf: Option<PathBuf>,
    /// Years of SEN history to invent, from 1 to 10.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub years: u32,
}

#[derive(Args)]
pub struct CheckArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: RecordFormat,
}

#[derive(Subcommand)]
pub enum PupilCommand {
    /// Add a pupil (their status starts as No SEN from the admission date).
    Add(PupilAddArgs),
    /// Show a pupil's record, status history and needs.
    Show {
        upn: String,
        #[arg(long, value_enum, default_value = "text")]
        format: RecordFormat,
        /// Write to this file (readable by this account only) instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
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
    /// Record a need, as the next free rank unless --rank says which to replace
    /// (rank 1 is the primary need).
    AddNeed {
        upn: String,
        #[arg(long)]
        need: String,
        #[arg(long)]
        rank: Option<u32>,
        #[arg(long = "from", value_name = "YYYY-MM-DD")]
        start: String,
    },
    /// Mark a pupil as left (a date up to a year ahead keeps them on roll until then); the
    /// record is archived, not deleted, and open needs end.
    Leave {
        upn: String,
        #[arg(long = "on", value_name = "DATE")]
        date: String,
    },
    /// Take back a leaving date still to come: the pupil stays on roll.
    CancelLeaving { upn: String },
    /// Take back on roll a pupil who left, under the same UPN, keeping their history.
    Readmit {
        upn: String,
        #[arg(long = "on", value_name = "DATE")]
        date: String,
    },
}

#[derive(Args)]
pub struct PupilAddArgs {
    #[arg(long)]
    pub upn: String,
    #[arg(long)]
    pub forename: String,
    #[arg(long)]
    pub surname: String,
    #[arg(long, default_value = "")]
    pub preferred_forename: String,
    #[arg(long, default_value = "")]
    pub preferred_surname: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub dob: String,
    /// F or M.
    #[arg(long)]
    pub sex: String,
    /// N, R or 1 to 14.
    #[arg(long)]
    pub year: String,
    #[arg(long, default_value = "")]
    pub form: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub admitted: String,
    #[arg(long)]
    pub pupil_premium: bool,
    #[arg(long)]
    pub fsm: bool,
    #[arg(long)]
    pub eal: bool,
    #[arg(long)]
    pub looked_after: bool,
    #[arg(long)]
    pub attendance: Option<f64>,
}

#[derive(Subcommand)]
pub enum RegisterCommand {
    /// List the register (on roll unless --left or --all).
    List(ListArgs),
}

#[derive(Args)]
pub struct ListArgs {
    /// N, M, K or E.
    #[arg(long)]
    pub status: Option<String>,
    /// A primary need code, e.g. SLCN.
    #[arg(long)]
    pub need: Option<String>,
    /// ci, cl, semh, sp or other.
    #[arg(long)]
    pub area: Option<String>,
    #[arg(long)]
    pub year: Option<String>,
    #[arg(long, conflicts_with = "all")]
    pub left: bool,
    #[arg(long)]
    pub all: bool,
    #[arg(long, default_value = "")]
    pub search: String,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Write to this file (readable by this account only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GovernorFormat {
    Pdf,
    Html,
    Json,
    /// Exact counts for a trust's central team (OFFICIAL-SENSITIVE).
    Aggregate,
}

#[derive(Args)]
pub struct GovernorsArgs {
    /// The folder the summary is written into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "pdf")]
    pub format: GovernorFormat,
    /// The census day to report on (default: the latest census day before today).
    #[arg(long, value_name = "DATE")]
    pub census: Option<String>,
    /// The smallest count shown; 5 unless raised.
    #[arg(long, value_name = "N")]
    pub threshold: Option<u32>,
}

#[derive(Args)]
pub struct RollupArgs {
    /// The schools' aggregation files (`senco governors --format aggregate`).
    #[arg(required = true, value_name = "FILE.json")]
    pub files: Vec<PathBuf>,
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "pdf")]
    pub format: GovernorFormat,
    /// The smallest count shown; 5 unless raised.
    #[arg(long, value_name = "N")]
    pub threshold: Option<u32>,
}

#[derive(Args)]
pub struct BudgetArgs {
    /// Record the notional SEN budget, in pounds ("84000" or "84,000.50").
    #[arg(long, value_name = "POUNDS", conflicts_with = "clear")]
    pub set: Option<String>,
    /// Forget the recorded budget.
    #[arg(long)]
    pub clear: bool,
}

#[derive(Args)]
pub struct DutiesArgs {
    /// The SENCO's name, as the SEN information report gives it ("" forgets it).
    #[arg(long, value_name = "NAME")]
    pub senco_name: Option<String>,
    /// Where the SENCO stands with the mandatory qualification: held, working-towards or
    /// not-started ("" forgets it).
    #[arg(long, value_name = "STAGE")]
    pub qualification: Option<String>,
    /// When the SENCO took up the post (a new SENCO has three years to qualify).
    #[arg(long, value_name = "DATE")]
    pub appointed: Option<String>,
    /// When the SEN information report was last reviewed.
    #[arg(long, value_name = "DATE")]
    pub sen_report_reviewed: Option<String>,
    /// When the accessibility plan was last reviewed.
    #[arg(long, value_name = "DATE")]
    pub accessibility_plan_reviewed: Option<String>,
}

#[derive(Args)]
pub struct NationalArgs {
    /// Load a newer national figures file (format: assets/national/sen-in-england.json).
    #[arg(long, value_name = "FILE")]
    pub load: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
pub enum UpnCommand {
    /// Check UPNs: prints each as valid, temporary or invalid with the reason.
    Check {
        #[arg(required = true)]
        upns: Vec<String>,
    },
}
