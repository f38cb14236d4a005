-- Requests for an EHC needs assessment: the dates the statutory clock runs from, the LA's
-- decisions as they arrive, and recorded exceptions, kept as one JSON document per request
-- (`statutory::RequestDates`). A pupil has at most one request still running.

CREATE TABLE ehc_request (
    id        INTEGER PRIMARY KEY,
    pupil_id  INTEGER NOT NULL REFERENCES pupil(id),
    received  TEXT NOT NULL,
    sent      TEXT NOT NULL,
    running   INTEGER NOT NULL CHECK (running IN (0, 1)),
    dates     TEXT NOT NULL
) STRICT;
CREATE INDEX ehc_request_pupil ON ehc_request (pupil_id, received);
CREATE UNIQUE INDEX ehc_request_one_running ON ehc_request (pupil_id) WHERE running = 1;
