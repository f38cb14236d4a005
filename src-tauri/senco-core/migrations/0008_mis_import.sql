-- What importing from the school's MIS needs to remember:
-- * reconciliation items: where the MIS and the toolkit disagree about a pupil's SEN status
--   or primary need, the toolkit's record is kept and the disagreement is listed for the
--   school office to correct at source. An item is open until an import finds the two agree;
--   at most one item is open per pupil and field;
-- * the column-matching profiles a SENCO builds for a CSV export, saved for next time;
-- * one row per applied import, for the history of where the register's data came from.
-- Shipped migrations are never edited: add a new numbered file instead.

CREATE TABLE reconciliation (
    id            INTEGER PRIMARY KEY,
    pupil_id      INTEGER NOT NULL REFERENCES pupil(id),
    field         TEXT NOT NULL CHECK (field IN ('senStatus', 'primaryNeed')),
    toolkit_value TEXT NOT NULL,
    mis_value     TEXT NOT NULL,
    source        TEXT NOT NULL,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    resolved_on   TEXT
) STRICT;
CREATE UNIQUE INDEX reconciliation_open ON reconciliation (pupil_id, field) WHERE resolved_on IS NULL;

CREATE TABLE import_profile (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    columns  TEXT NOT NULL,
    saved_at TEXT NOT NULL
) STRICT;

CREATE TABLE import_run (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    source      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    new_pupils  INTEGER NOT NULL,
    changed     INTEGER NOT NULL,
    differences INTEGER NOT NULL,
    resolved    INTEGER NOT NULL
) STRICT;
