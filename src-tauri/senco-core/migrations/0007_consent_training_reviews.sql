-- Evidence the packs need that the graduated approach did not record:
-- * consents given by a parent or carer (to share information with the LA, to engage with
--   LIFT), with who gave them, when, for what, and when withdrawn;
-- * the school's staff training, by area of need, for the High Needs Funding rule that staff
--   were trained for the pupil's need within two years;
-- * the annual reviews of EHC plans, one row per review: the last review it runs from, the
--   meeting, the papers sent before it and the school's report after it.

CREATE TABLE consent (
    id         INTEGER PRIMARY KEY,
    pupil_id   INTEGER NOT NULL REFERENCES pupil(id),
    kind       TEXT NOT NULL,
    given_by   TEXT NOT NULL,
    date       TEXT NOT NULL,
    scope      TEXT NOT NULL,
    withdrawn  TEXT
) STRICT;
CREATE INDEX consent_pupil ON consent (pupil_id, date);

CREATE TABLE staff_training (
    id      INTEGER PRIMARY KEY,
    staff   TEXT NOT NULL,
    course  TEXT NOT NULL,
    date    TEXT NOT NULL,
    area    TEXT
) STRICT;
CREATE INDEX staff_training_area ON staff_training (area, date);

CREATE TABLE annual_review (
    id           INTEGER PRIMARY KEY,
    pupil_id     INTEGER NOT NULL REFERENCES pupil(id),
    last         TEXT NOT NULL,
    meeting      TEXT,
    papers_sent  TEXT,
    report_sent  TEXT
) STRICT;
CREATE INDEX annual_review_pupil ON annual_review (pupil_id, last);
CREATE INDEX annual_review_open ON annual_review (report_sent, last);
