-- A pupil who leaves and comes back keeps one record under their UPN: each earlier time on
-- roll is kept here, and the pupil row holds the current one.
-- The register shows a leaver's primary need as it was when they left: a need that ended
-- on the pupil's leaving date still counts (leaving ends every open need on that day).
-- Shipped migrations are never edited: add a new numbered file instead.

CREATE TABLE enrolment (
    id             INTEGER PRIMARY KEY,
    pupil_id       INTEGER NOT NULL REFERENCES pupil (id),
    admission_date TEXT NOT NULL,
    leaving_date   TEXT NOT NULL,
    CHECK (leaving_date >= admission_date)
);
CREATE INDEX enrolment_pupil ON enrolment (pupil_id, leaving_date);

-- Each pupil's primary need as the register shows it: the open one, or for a leaver the
-- one that ended when they left. The triggers and `senco check` both read it.
-- Its readers take the newest row (an open need first, then the latest to start), so a
-- need replaced on the leaving day is never picked over the need that replaced it.
CREATE VIEW register_primary_need AS
SELECT n.pupil_id, n.need_code, n.end_date IS NOT NULL AS ended, n.start_date, n.id
FROM need n JOIN pupil p ON p.id = n.pupil_id
WHERE n.rank = 1 AND (n.end_date IS NULL OR n.end_date = p.leaving_date);

DROP TRIGGER need_sets_primary_after_insert;
DROP TRIGGER need_sets_primary_after_update;

CREATE TRIGGER need_sets_primary_after_insert AFTER INSERT ON need
BEGIN
    UPDATE pupil SET primary_need = (SELECT need_code FROM register_primary_need WHERE pupil_id = NEW.pupil_id ORDER BY ended, start_date DESC, id DESC LIMIT 1)
    WHERE id = NEW.pupil_id;
END;

CREATE TRIGGER need_sets_primary_after_update AFTER UPDATE ON need
BEGIN
    UPDATE pupil SET primary_need = (SELECT need_code FROM register_primary_need WHERE pupil_id = NEW.pupil_id ORDER BY ended, start_date DESC, id DESC LIMIT 1)
    WHERE id = NEW.pupil_id;
END;

CREATE TRIGGER pupil_leaving_sets_primary AFTER UPDATE OF leaving_date ON pupil
BEGIN
    UPDATE pupil SET primary_need = (SELECT need_code FROM register_primary_need WHERE pupil_id = NEW.id ORDER BY ended, start_date DESC, id DESC LIMIT 1)
    WHERE id = NEW.id;
END;

UPDATE pupil SET primary_need = (SELECT need_code FROM register_primary_need r WHERE r.pupil_id = pupil.id ORDER BY ended, start_date DESC, id DESC LIMIT 1);
