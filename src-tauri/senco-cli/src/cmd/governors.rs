//! `senco governors`, `senco rollup`, `senco budget` and `senco national`: the governors'
//! inclusion summary of one school, a trust's roll-up of many, and the two settings they use.

use std::process::ExitCode;

use senco_core::dates;
use senco_core::governors::{self, disclosure, national::National, rollup, OutputFormat};

use crate::args::{BudgetArgs, DutiesArgs, GovernorFormat, GovernorsArgs, NationalArgs, RollupArgs};
use crate::context::Context;
use crate::output::{self, Failure};

fn format(f: GovernorFormat) -> OutputFormat {
    match f {
        GovernorFormat::Pdf => OutputFormat::Pdf,
        GovernorFormat::Html => OutputFormat::Html,
        GovernorFormat::Json => OutputFormat::Json,
        GovernorFormat::Aggregate => OutputFormat::Aggregate,
    }
}

/// Writes the school's summary into `--out` and prints the file's path.
pub fn summary(context: &Context, args: GovernorsArgs) -> Result<ExitCode, Failure> {
    let threshold = disclosure::threshold(args.threshold)?;
    let census = match args.census.as_deref() {
        Some(text) => dates::read("census", "census", text).map_err(|p| Failure::Usage(format!("--census: {}", p.message)))?,
        None => governors::latest_census(context.stamp.today),
    };
    let mut store = context.open()?;
    senco_core::files::create_private_dir(&args.out)?;
    let path = store.write_governor_output(&args.out, format(args.format), census, threshold, context.stamp)?;
    output::out(&format!("{}\n", path.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// Merges aggregation files (refusing mixed census points or versions, naming the file),
/// publishes the result with suppression applied again, and prints the file's path.
pub fn rollup(context: &Context, args: RollupArgs) -> Result<ExitCode, Failure> {
    let threshold = disclosure::threshold(args.threshold)?;
    let mut inputs = Vec::with_capacity(args.files.len());
    for file in &args.files {
        inputs.push((file.display().to_string(), rollup::read_file(file)?));
    }
    let merged = rollup::merge(&inputs)?;
    senco_core::files::create_private_dir(&args.out)?;
    let (stem, bytes) = governors::render(&merged, format(args.format), threshold, &National::shipped(), context.stamp.today)?;
    let (path, _) = senco_core::files::write_new(&args.out, &format!("rollup-{stem}"), format(args.format).extension(), &bytes)?;
    output::out(&format!("{}\n", path.display()))?;
    output::note(&format!("Merged {} schools at the census of {}.", merged.schools.len(), dates::short(merged.census_date)));
    Ok(ExitCode::SUCCESS)
}

/// Reads "84,000.50" or "£84000" as pence.
fn pence(text: &str) -> Result<i64, Failure> {
    let clean: String = text.trim().trim_start_matches('£').chars().filter(|c| *c != ',').collect();
    let (whole, fraction) = clean.split_once('.').unwrap_or((&clean, "0"));
    let bad = || Failure::Usage(format!("--set takes an amount in pounds such as 84000 or 84,000.50, not \"{text}\""));
    if fraction.len() > 2 || whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let pounds: i64 = whole.parse().map_err(|_| bad())?;
    let pennies: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    pounds.checked_mul(100).and_then(|p| p.checked_add(pennies)).ok_or_else(bad)
}

pub fn budget(context: &Context, args: BudgetArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    if args.clear {
        store.set_notional_budget_pence(None, context.stamp)?;
    } else if let Some(text) = args.set.as_deref() {
        store.set_notional_budget_pence(Some(pence(text)?), context.stamp)?;
    }
    let shown = store.notional_budget_pence()?.map_or("not recorded".to_string(), senco_core::apdr::pounds);
    output::out(&format!("Notional SEN budget: {shown}\n"))?;
    Ok(ExitCode::SUCCESS)
}

pub fn duties(context: &Context, args: DutiesArgs) -> Result<ExitCode, Failure> {
    use senco_core::duties::{DutiesInput, Qualification};
    let mut store = context.open()?;
    let mut duties = store.duties()?;
    let changing = args.senco_name.is_some() || args.qualification.is_some() || args.appointed.is_some() || args.sen_report_reviewed.is_some() || args.accessibility_plan_reviewed.is_some();
    if changing {
        let qualification = match args.qualification.as_deref().map(str::trim) {
            None => duties.qualification,
            Some("") => None,
            Some(code) => Some(Qualification::from_code(code).ok_or_else(|| {
                let codes: Vec<&str> = Qualification::ALL.iter().map(|q| q.code()).collect();
                senco_core::Error::Invalid(vec![senco_core::error::FieldProblem::new("qualification", format!("\"{}\" is not a stage of the qualification; give one of {}", senco_core::text::shown(code), codes.join(", ")))])
            })?),
        };
        let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let input = DutiesInput {
            senco_name: args.senco_name.unwrap_or(duties.senco_name),
            qualification,
            senco_appointed: args.appointed.unwrap_or_else(|| iso(duties.senco_appointed)),
            sen_report_reviewed: args.sen_report_reviewed.unwrap_or_else(|| iso(duties.sen_report_reviewed)),
            accessibility_plan_reviewed: args.accessibility_plan_reviewed.unwrap_or_else(|| iso(duties.accessibility_plan_reviewed)),
        };
        duties = store.set_duties(&input, context.stamp)?;
    }
    let mut out = String::new();
    for line in duties.lines(context.stamp.today, "today") {
        out.push_str(&format!("{}: {}\n  {}\n", line.label, line.value, line.note));
    }
    output::out(&out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn national(context: &Context, args: NationalArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let national = match args.load.as_deref() {
        Some(file) => {
            let text = senco_core::files::read_text_limited(file, senco_core::files::NATIONAL_LIMIT)?;
            store.load_national(&text, &file.display().to_string(), context.stamp)?
        }
        None => store.national()?,
    };
    let mut out = format!("{} (updated {})\n", national.name, dates::short(national.updated));
    for f in &national.figures {
        let against = senco_core::governors::national::group_label(&f.group, &f.area);
        out.push_str(&format!("  {}  {:<16} {:>5}%  {:<42} {}\n", f.year, f.measure, f.value, against, f.source));
    }
    output::out(&out)?;
    Ok(ExitCode::SUCCESS)
}
