-- The audit trail says who acted (the program and the computer account), and cannot be
-- changed or deleted: only an erasure removes the entries about the pupil it erases, and
-- it leaves its own entry, which names no child. Settings for retention, the idle lock
-- and automatic backups live in `setting`.

ALTER TABLE audit ADD COLUMN actor TEXT NOT NULL DEFAULT '';

-- The pupils being erased in the current transaction; empty at every commit.
CREATE TABLE erasure_in_progress (
    pupil_id INTEGER PRIMARY KEY
) STRICT;

CREATE TRIGGER audit_entries_are_never_changed BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed');
END;

CREATE TRIGGER audit_entries_are_never_deleted BEFORE DELETE ON audit
WHEN NOT (OLD.record = 'pupil' AND OLD.record_id IN (SELECT pupil_id FROM erasure_in_progress))
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be deleted');
END;

CREATE INDEX audit_by_record ON audit (record, record_id, id);
CREATE INDEX audit_by_time ON audit (at);
