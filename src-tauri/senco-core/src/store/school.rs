//! The `school` table: one row, the school the database belongs to.

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::school::{Phase, School};
use crate::Stamp;

pub(super) fn insert(conn: &Connection, school: &School, stamp: Stamp) -> Result<()> {
    conn.execute(
        "INSERT INTO school (id, name, urn, la_code, establishment_number, phase, is_demo, created_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            school.name,
            school.urn,
            school.la_code,
            school.establishment_number,
            school.phase.code(),
            school.is_demo,
            stamp.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        ],
    )?;
    Ok(())
}

pub(super) fn load(conn: &Connection) -> Result<School> {
    let (school, phase) = conn.query_row(
        "SELECT name, urn, la_code, establishment_number, phase, is_demo FROM school WHERE id = 1",
        [],
        |r| {
            Ok((
                School {
                    name: r.get(0)?,
                    urn: r.get(1)?,
                    la_code: r.get(2)?,
                    establishment_number: r.get(3)?,
                    phase: Phase::Primary,
                    is_demo: r.get(5)?,
                },
                r.get::<_, String>(4)?,
            ))
        },
    )?;
    let phase = Phase::from_code(&phase)
        .ok_or_else(|| Error::Refused(format!("the school's phase \"{phase}\" is not one this app knows")))?;
    Ok(School { phase, ..school })
}
