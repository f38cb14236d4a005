-- The register reads each pupil's current SEN status and primary need from the pupil row,
-- so listing the whole register is one scan of one table. Triggers keep the two columns in
-- step with the history tables in the same transaction as every change, whichever code
-- path writes it; `senco check` and the tests compare them with the history.
-- Shipped migrations are never edited: add a new numbered file instead.

ALTER TABLE pupil ADD COLUMN current_status TEXT NOT NULL DEFAULT 'N' CHECK (current_status IN ('N', 'M', 'K', 'E'));
ALTER TABLE pupil ADD COLUMN primary_need TEXT REFERENCES need_type (code);

UPDATE pupil SET
    current_status = coalesce((SELECT status FROM sen_status s WHERE s.pupil_id = pupil.id AND s.end_date IS NULL), 'N'),
    primary_need = (SELECT need_code FROM need n WHERE n.pupil_id = pupil.id AND n.rank = 1 AND n.end_date IS NULL);

CREATE TRIGGER sen_status_sets_current_after_insert AFTER INSERT ON sen_status WHEN NEW.end_date IS NULL
BEGIN
    UPDATE pupil SET current_status = NEW.status WHERE id = NEW.pupil_id;
END;

CREATE TRIGGER sen_status_sets_current_after_update AFTER UPDATE ON sen_status WHEN NEW.end_date IS NULL
BEGIN
    UPDATE pupil SET current_status = NEW.status WHERE id = NEW.pupil_id;
END;

CREATE TRIGGER need_sets_primary_after_insert AFTER INSERT ON need
BEGIN
    UPDATE pupil SET primary_need =
        (SELECT need_code FROM need WHERE pupil_id = NEW.pupil_id AND rank = 1 AND end_date IS NULL)
    WHERE id = NEW.pupil_id;
END;

CREATE TRIGGER need_sets_primary_after_update AFTER UPDATE ON need
BEGIN
    UPDATE pupil SET primary_need =
        (SELECT need_code FROM need WHERE pupil_id = NEW.pupil_id AND rank = 1 AND end_date IS NULL)
    WHERE id = NEW.pupil_id;
END;

CREATE INDEX pupil_current_status ON pupil (current_status);
