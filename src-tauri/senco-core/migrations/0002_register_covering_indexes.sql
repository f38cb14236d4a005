-- The register joins each pupil's open status and open primary need. With these covering
-- partial indexes the joins read only the index, never the table rows.
CREATE INDEX sen_status_open_status ON sen_status (pupil_id, status) WHERE end_date IS NULL;
CREATE INDEX need_open_primary ON need (pupil_id, rank, need_code) WHERE end_date IS NULL;
