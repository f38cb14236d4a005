//! The school's provision library (`intervention`, `staff_role`), its catalogues (the shipped
//! one, frameworks it loads, its own items) and its settings, such as the SEN threshold.

use rusqlite::{params, Connection, OptionalExtension};

use crate::census::BroadArea;
use crate::catalogue::{self, Catalogue, CatalogueItem, CatalogueProblem};
use crate::error::{Error, Result};
use crate::library::{seed_interventions, seed_roles, slug, Intervention, StaffRole, DEFAULT_THRESHOLD_PENCE};
use crate::text;
use crate::Stamp;

use super::{audit, Store};

/// The name under which a school's own catalogue items are shown and ticked.
pub const SCHOOL_ITEMS: &str = "The school's own items";

impl Store {
    /// The catalogues a plan can tick from: the shipped one, any the school loaded, and the
    /// school's own items.
    pub fn catalogues(&self) -> Result<Vec<Catalogue>> {
        let mut all = vec![catalogue::shipped()];
        let loaded: Vec<String> = self
            .conn
            .prepare_cached("SELECT value FROM setting WHERE key LIKE 'catalogue:%' ORDER BY key")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        all.extend(loaded.iter().map(|text| catalogue::parse(text).catalogue));
        let own: Vec<CatalogueItem> = self
            .conn
            .prepare_cached("SELECT id, area, heading, text FROM catalogue_item ORDER BY id")?
            .query_map([], |r| {
                let area: Option<String> = r.get(1)?;
                let id: String = r.get(0)?;
                Ok(CatalogueItem {
                    provision: catalogue::offers_provision(&id),
                    id,
                    section: SCHOOL_ITEMS.to_string(),
                    area: area.as_deref().and_then(BroadArea::from_slug),
                    heading: r.get(2)?,
                    text: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        if !own.is_empty() {
            all.push(Catalogue { name: SCHOOL_ITEMS.into(), version: "school".into(), prefix: "SCHOOL".into(), notice: String::new(), items: own });
        }
        Ok(all)
    }

    /// Loads another framework in the catalogue format. Entries with problems are skipped
    /// and listed; a file with no usable item, or one with the same prefix as the shipped
    /// catalogue, is refused.
    pub fn load_catalogue(&mut self, text: &str, stamp: Stamp) -> Result<(Catalogue, Vec<CatalogueProblem>)> {
        self.refuse_in_demo("loading a catalogue of provision")?;
        if text.len() > catalogue::FILE_MAX_BYTES {
            return Err(crate::files::CATALOGUE_LIMIT.refusal("the file"));
        }
        let loaded = catalogue::parse(text);
        // The same header checks as `senco catalogue check`: a file without its name, version
        // or prefix is refused whole, not loaded as an unnamed catalogue.
        if let Some(why) = loaded.refusal() {
            return Err(Error::Refused(format!("{why}; nothing was loaded")));
        }
        let c = &loaded.catalogue;
        if c.prefix == catalogue::shipped().prefix || c.prefix == "SCHOOL" {
            return Err(Error::Refused(format!("the prefix {} is taken by a catalogue the app provides: give the file another prefix", c.prefix)));
        }
        let tx = self.begin(stamp)?;
        tx.execute("INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params![format!("catalogue:{}", c.prefix), text])?;
        audit::record(&tx, stamp, "load-catalogue", "catalogue", None, &format!("{} version {} ({} items)", c.name, c.version, c.items.len()))?;
        tx.commit()?;
        Ok((loaded.catalogue, loaded.problems))
    }

    /// Adds one of the school's own items to its catalogue.
    pub fn add_catalogue_item(&mut self, area: Option<BroadArea>, heading: &str, item_text: &str, stamp: Stamp) -> Result<CatalogueItem> {
        let heading = text::line("heading", "heading", heading, 100).map_err(|p| Error::Invalid(vec![p]))?;
        let item_text = text::line("text", "item", item_text, catalogue::ITEM_MAX).map_err(|p| Error::Invalid(vec![p]))?;
        if heading.is_empty() || item_text.is_empty() {
            return Err(Error::invalid(if heading.is_empty() { "heading" } else { "text" }, "enter the heading and the item's wording"));
        }
        let tx = self.begin(stamp)?;
        let next: i64 = tx.query_row("SELECT count(*) + 1 FROM catalogue_item", [], |r| r.get(0))?;
        let id = format!("SCHOOL.{}.{next:03}", area.map(|a| a.slug().to_uppercase()).unwrap_or_else(|| "ALL".into()));
        tx.execute("INSERT INTO catalogue_item (id, area, heading, text) VALUES (?1, ?2, ?3, ?4)", params![id, area.map(|a| a.slug()), heading, item_text])?;
        audit::record(&tx, stamp, "add-catalogue-item", "catalogue", None, &format!("{id}: {item_text}"))?;
        tx.commit()?;
        Ok(CatalogueItem { provision: catalogue::offers_provision(&id), id, section: SCHOOL_ITEMS.into(), area, heading, text: item_text })
    }

    pub fn staff_roles(&self) -> Result<Vec<StaffRole>> {
        Ok(self
            .conn
            .prepare_cached("SELECT key, name, la_rate_pence, school_rate_pence FROM staff_role ORDER BY school_rate_pence, key")?
            .query_map([], |r| Ok(StaffRole { key: r.get(0)?, name: r.get(1)?, la_rate_pence: r.get(2)?, school_rate_pence: r.get(3)? }))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Sets a role's hourly rates. Plans made before keep the rate they were costed at.
    pub fn set_role_rates(&mut self, key: &str, la_rate_pence: i64, school_rate_pence: i64, stamp: Stamp) -> Result<StaffRole> {
        for (field, value) in [("laRatePence", la_rate_pence), ("schoolRatePence", school_rate_pence)] {
            if !(0..=100_000).contains(&value) {
                return Err(Error::invalid(field, format!("an hourly rate of {} is not between £0 and £1,000", crate::apdr::pounds(value))));
            }
        }
        let tx = self.begin(stamp)?;
        let changed = tx.execute("UPDATE staff_role SET la_rate_pence = ?2, school_rate_pence = ?3 WHERE key = ?1", params![key, la_rate_pence, school_rate_pence])?;
        if changed == 0 {
            return Err(Error::NotFound { what: "staff role", id: key.to_string() });
        }
        audit::record(&tx, stamp, "set-rates", "staff_role", None, &format!("{key}: LA {la_rate_pence}p, school {school_rate_pence}p an hour"))?;
        tx.commit()?;
        Ok(self.staff_roles()?.into_iter().find(|r| r.key == key).expect("just updated"))
    }

    pub fn interventions(&self) -> Result<Vec<Intervention>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT key, name, area, wave, description, evidence, staff_role, minutes_per_session, sessions_per_week, group_size, weeks, resources_pence, school_added
             FROM intervention ORDER BY name",
        )?;
        let rows = statement.query_map([], |r| {
            let area: String = r.get(2)?;
            let wave: String = r.get(3)?;
            Ok(Intervention {
                key: r.get(0)?,
                name: r.get(1)?,
                area: BroadArea::from_slug(&area).unwrap_or(BroadArea::Uncategorised),
                wave: crate::apdr::Wave::ALL.into_iter().find(|w| w.code() == wave).unwrap_or(crate::apdr::Wave::Targeted),
                description: r.get(4)?,
                evidence: r.get(5)?,
                staff_role: r.get(6)?,
                minutes_per_session: r.get(7)?,
                sessions_per_week: r.get(8)?,
                group_size: r.get(9)?,
                weeks: r.get(10)?,
                resources_pence: r.get(11)?,
                school_added: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds an intervention to the school's library, or updates the one with the same key.
    pub fn save_intervention(&mut self, input: &Intervention, stamp: Stamp) -> Result<Intervention> {
        let roles: Vec<String> = self.staff_roles()?.into_iter().map(|r| r.key).collect();
        let intervention = input.validate(&roles)?;
        let tx = self.begin(stamp)?;
        upsert_intervention(&tx, &intervention, true)?;
        audit::record(&tx, stamp, "save-intervention", "intervention", None, &format!("{} ({})", intervention.name, intervention.key))?;
        tx.commit()?;
        Ok(self.interventions()?.into_iter().find(|i| i.key == intervention.key).expect("just saved"))
    }

    /// The notional SEN threshold per pupil per academic year, in pence.
    pub fn threshold_pence(&self) -> Result<i64> {
        Ok(setting(&self.conn, "threshold_pence")?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_THRESHOLD_PENCE))
    }

    pub fn set_threshold_pence(&mut self, pence: i64, stamp: Stamp) -> Result<()> {
        if !(0..=100_000_000).contains(&pence) {
            return Err(Error::invalid("thresholdPence", "the threshold must be between £0 and £1,000,000"));
        }
        let tx = self.begin(stamp)?;
        tx.execute("INSERT INTO setting (key, value) VALUES ('threshold_pence', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [pence.to_string()])?;
        audit::record(&tx, stamp, "set-threshold", "setting", None, &format!("SEN threshold {}", crate::apdr::pounds(pence)))?;
        tx.commit()?;
        Ok(())
    }
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

fn upsert_intervention(conn: &Connection, i: &Intervention, school_added: bool) -> Result<()> {
    conn.execute(
        "INSERT INTO intervention (key, name, area, wave, description, evidence, staff_role, minutes_per_session, sessions_per_week, group_size, weeks, resources_pence, school_added)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, area = excluded.area, wave = excluded.wave, description = excluded.description,
           evidence = excluded.evidence, staff_role = excluded.staff_role, minutes_per_session = excluded.minutes_per_session,
           sessions_per_week = excluded.sessions_per_week, group_size = excluded.group_size, weeks = excluded.weeks, resources_pence = excluded.resources_pence",
        params![slug(&i.key), i.name, i.area.slug(), i.wave.code(), i.description, i.evidence, i.staff_role, i.minutes_per_session, i.sessions_per_week, i.group_size, i.weeks, i.resources_pence, school_added],
    )?;
    Ok(())
}

/// Fills a new school's library from the shipped seed; run by the migration that adds it.
pub(super) fn seed(conn: &Connection) -> Result<()> {
    for role in seed_roles() {
        conn.execute(
            "INSERT OR IGNORE INTO staff_role (key, name, la_rate_pence, school_rate_pence) VALUES (?1, ?2, ?3, ?4)",
            params![role.key, role.name, role.la_rate_pence, role.school_rate_pence],
        )?;
    }
    for intervention in seed_interventions() {
        upsert_intervention(conn, &intervention, false)?;
    }
    Ok(())
}
