//! `senco`: the SENCO Toolkit's command line, a thin shell over `senco-core` for IT staff,
//! scripts and tests.
//!
//! The contract (docs/decisions.md): `--db` picks the database (default: the desktop
//! app's, in its data directory); the passphrase comes from `SENCO_PASSPHRASE` or
//! `--passphrase-file`, never from an argument; `--today` fixes the date. Data goes to
//! stdout and messages to stderr. Exit codes: 0 ok, 1 refused, 2 usage.
//!
//! As in ripgrep, this file only parses and dispatches: `args` declares the command line,
//! `context` reads the environment, clock and passphrase once, `cmd/` holds one module per
//! command group, and `output` does all printing.

mod args;
mod cmd;
mod context;
mod output;

use std::process::ExitCode;

use clap::Parser;

use args::{CatalogueCommand, Cli, Command, PackCommand, RegisterCommand, RequestCommand, UpnCommand};
use context::Context;
use output::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = Context::new(&cli.global).and_then(|context| run(cli.command, &context));
    match outcome {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}

fn run(command: Command, context: &Context) -> Result<ExitCode, Failure> {
    match command {
        Command::Init(args) => cmd::school::init(context, args),
        Command::Demo(args) => cmd::school::demo(context, args),
        Command::Check(args) => cmd::school::check(context, args),
        Command::Pupil(command) => cmd::pupil::run(context, command),
        Command::Register(RegisterCommand::List(args)) => cmd::register::list(context, args),
        Command::Upn(UpnCommand::Check { upns }) => cmd::upn::check(&upns),
        Command::Cycle(command) => cmd::cycle::run(context, command),
        Command::Worklist(args) => cmd::provision::worklist(context, args),
        Command::ProvisionMap(args) => cmd::provision::map(context, args),
        Command::Catalogue(CatalogueCommand::Check { file }) => cmd::catalogue::check(&file),
        Command::Catalogue(command) => cmd::catalogue::run(context, command),
        Command::Request(RequestCommand::Clock(args)) => cmd::request::clock(context, args),
        Command::Request(command) => cmd::request::run(context, command),
        Command::Pack(PackCommand::Check(args)) => cmd::pack::check(context, args),
        Command::Pack(PackCommand::Build(args)) => cmd::pack::build(context, args),
        Command::Pack(PackCommand::Verify { bundle, password_file }) => cmd::pack::verify(&bundle, password_file.as_deref()),
        Command::Consent(command) => cmd::records::consent(context, command),
        Command::Training(command) => cmd::records::training(context, command),
        Command::Review(command) => cmd::records::review(context, command),
        Command::Summary(args) => cmd::records::summary(context, args),
        Command::Governors(args) => cmd::governors::summary(context, args),
        Command::Rollup(args) => cmd::governors::rollup(context, args),
        Command::Budget(args) => cmd::governors::budget(context, args),
        Command::National(args) => cmd::governors::national(context, args),
        Command::Duties(args) => cmd::governors::duties(context, args),
        Command::Import(command) => cmd::import::run(context, command),
        Command::Reconcile(args) => cmd::import::reconcile(context, args),
        Command::Backup(args) => cmd::care::backup(context, args),
        Command::Restore(args) => cmd::care::restore(context, args),
        Command::Audit(args) => cmd::care::audit(context, args),
        Command::Retention(args) => cmd::care::retention(context, args),
        Command::Erase(args) => cmd::care::erase(context, args),
        Command::Sar(args) => cmd::care::sar(context, args),
    }
}
