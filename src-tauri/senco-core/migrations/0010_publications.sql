-- Every governor output the school has made, so that a later output for the same census day
-- can be checked together with the earlier ones: it hides at least every figure they hid,
-- and it drops every table they left out (docs/formats/governor-summary.md).
--
-- `published` is the published summary exactly as the output showed it (its JSON, the
-- format of docs/formats/governor-summary.md), or NULL for the exact counts sent to a trust,
-- which are not published. `hidden` is the list of figures it showed as c, as
-- "table/row/column" places, for reading without parsing the summary.
-- `path` is where the file was written; `pending` is the temporary file it is written
-- through, which the next output renames into place if the program was stopped between
-- recording the output and the rename.
CREATE TABLE publication (
    id INTEGER PRIMARY KEY,
    census_date TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('pdf', 'html', 'json', 'aggregate')),
    made_at TEXT NOT NULL,
    path TEXT NOT NULL,
    pending TEXT,
    hidden TEXT NOT NULL,
    published TEXT
) STRICT;

CREATE INDEX publication_by_census ON publication (census_date, id);
