//! `senco catalogue list|check|load`: the provision catalogues.

use std::path::Path;
use std::process::ExitCode;

use senco_core::catalogue;

use crate::args::{CatalogueCommand, TableOrJson};
use crate::context::Context;
use crate::output::{self, Failure};


/// Reads at most `files::CATALOGUE_LIMIT`, counted as it arrives.
fn read(file: &Path) -> Result<String, Failure> {
    Ok(senco_core::files::read_text_limited(file, senco_core::files::CATALOGUE_LIMIT)?)
}

/// Prints every problem as `FILE:LINE: message`; exit 1 if there is any.
pub fn check(file: &Path) -> Result<ExitCode, Failure> {
    let loaded = catalogue::parse(&read(file)?);
    for problem in &loaded.problems {
        output::out(&format!("{}:{}: {}\n", file.display(), problem.line, problem.message))?;
    }
    let c = &loaded.catalogue;
    output::note(&format!("{} version {}: {} items, {} problem{}", c.name, c.version, c.items.len(), loaded.problems.len(), if loaded.problems.len() == 1 { "" } else { "s" }));
    Ok(if loaded.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

pub fn run(context: &Context, command: CatalogueCommand) -> Result<ExitCode, Failure> {
    match command {
        CatalogueCommand::List { format } => {
            let store = context.open()?;
            let catalogues = store.catalogues()?;
            match format {
                TableOrJson::Json => {
                    let document = serde_json::json!({ "schema_version": senco_core::export::SCHEMA_VERSION, "catalogues": catalogues });
                    output::out(&format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values serialise")))?;
                }
                TableOrJson::Table => {
                    let mut out = String::new();
                    for c in &catalogues {
                        out.push_str(&format!("# {} (version {})", c.name, c.version));
                        if !c.notice.is_empty() {
                            out.push_str(&format!(": {}", c.notice));
                        }
                        out.push('\n');
                        for item in &c.items {
                            out.push_str(&format!("{:<22} {}\n", item.id, item.text));
                        }
                    }
                    output::out(&out)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        CatalogueCommand::Load { file } => {
            let text = read(&file)?;
            let mut store = context.open()?;
            let (c, problems) = store.load_catalogue(&text, context.stamp)?;
            for problem in &problems {
                output::note(&format!("{}:{}: skipped: {}", file.display(), problem.line, problem.message));
            }
            output::note(&format!("Loaded {} version {} with {} items.", c.name, c.version, c.items.len()));
            Ok(ExitCode::SUCCESS)
        }
        CatalogueCommand::Add { area, heading, text } => {
            let area = area.as_deref().map(super::parse_area).transpose()?;
            let mut store = context.open()?;
            let item = store.add_catalogue_item(area, &heading, &text, context.stamp)?;
            output::note(&format!("Added {} to the school's own items.", item.id));
            Ok(ExitCode::SUCCESS)
        }
        CatalogueCommand::Check { file } => check(&file),
    }
}
