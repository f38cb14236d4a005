-- The school, its pupils, their SEN status history and needs, and the audit trail.
-- Shipped migrations are never edited: add a new numbered file instead.

CREATE TABLE school (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    name                 TEXT NOT NULL,
    urn                  TEXT NOT NULL,
    la_code              TEXT NOT NULL,
    establishment_number TEXT NOT NULL,
    phase                TEXT NOT NULL,
    is_demo              INTEGER NOT NULL CHECK (is_demo IN (0, 1)),
    created_at           TEXT NOT NULL
);

-- A versioned lookup, so a DfE change to the census codes is a data change.
CREATE TABLE need_type (
    code        TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    broad_area  TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT
);
INSERT INTO need_type (code, description, broad_area, valid_from) VALUES
    ('SPLD', 'Specific learning difficulty', 'cl', '2014-09-01'),
    ('MLD',  'Moderate learning difficulty', 'cl', '2014-09-01'),
    ('SLD',  'Severe learning difficulty', 'cl', '2014-09-01'),
    ('PMLD', 'Profound and multiple learning difficulty', 'cl', '2014-09-01'),
    ('SEMH', 'Social, emotional and mental health', 'semh', '2014-09-01'),
    ('SLCN', 'Speech, language and communication needs', 'ci', '2014-09-01'),
    ('HI',   'Hearing impairment', 'sp', '2014-09-01'),
    ('VI',   'Vision impairment', 'sp', '2014-09-01'),
    ('MSI',  'Multi-sensory impairment', 'sp', '2014-09-01'),
    ('PD',   'Physical disability', 'sp', '2014-09-01'),
    ('ASD',  'Autistic spectrum disorder', 'ci', '2014-09-01'),
    ('OTH',  'Other difficulty or disability', 'other', '2014-09-01'),
    ('NSA',  'SEN support, no specialist assessment of type of need', 'other', '2014-09-01');

CREATE TABLE pupil (
    id                 INTEGER PRIMARY KEY,
    upn                TEXT NOT NULL UNIQUE,
    legal_forename     TEXT NOT NULL,
    legal_surname      TEXT NOT NULL,
    preferred_forename TEXT NOT NULL DEFAULT '',
    preferred_surname  TEXT NOT NULL DEFAULT '',
    date_of_birth      TEXT NOT NULL,
    sex                TEXT NOT NULL CHECK (sex IN ('F', 'M')),
    nc_year            INTEGER NOT NULL CHECK (nc_year BETWEEN -1 AND 14),
    form               TEXT NOT NULL DEFAULT '',
    admission_date     TEXT NOT NULL,
    leaving_date       TEXT,
    pupil_premium      INTEGER NOT NULL CHECK (pupil_premium IN (0, 1)),
    fsm                INTEGER NOT NULL CHECK (fsm IN (0, 1)),
    eal                INTEGER NOT NULL CHECK (eal IN (0, 1)),
    looked_after       INTEGER NOT NULL CHECK (looked_after IN (0, 1)),
    attendance_pct     REAL CHECK (attendance_pct IS NULL OR attendance_pct BETWEEN 0 AND 100),
    CHECK (leaving_date IS NULL OR leaving_date >= admission_date)
);
CREATE INDEX pupil_surname ON pupil (legal_surname, legal_forename);

-- Status M (pupil of concern / monitoring) is the school's own stage; the census sees N.
CREATE TABLE sen_status (
    id         INTEGER PRIMARY KEY,
    pupil_id   INTEGER NOT NULL REFERENCES pupil (id),
    status     TEXT NOT NULL CHECK (status IN ('N', 'M', 'K', 'E')),
    start_date TEXT NOT NULL,
    end_date   TEXT,
    reason     TEXT NOT NULL DEFAULT '',
    CHECK (end_date IS NULL OR end_date >= start_date)
);
-- At most one open status per pupil, kept by the database as well as by the code.
CREATE UNIQUE INDEX sen_status_one_open ON sen_status (pupil_id) WHERE end_date IS NULL;
CREATE INDEX sen_status_history ON sen_status (pupil_id, start_date);

CREATE TABLE need (
    id         INTEGER PRIMARY KEY,
    pupil_id   INTEGER NOT NULL REFERENCES pupil (id),
    need_code  TEXT NOT NULL REFERENCES need_type (code),
    rank       INTEGER NOT NULL CHECK (rank >= 1),
    start_date TEXT NOT NULL,
    end_date   TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE UNIQUE INDEX need_open_rank ON need (pupil_id, rank) WHERE end_date IS NULL;
CREATE UNIQUE INDEX need_open_code ON need (pupil_id, need_code) WHERE end_date IS NULL;
CREATE INDEX need_history ON need (pupil_id, start_date);

-- One row per change: when, what, which record, and a short summary.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    action    TEXT NOT NULL,
    record    TEXT NOT NULL,
    record_id INTEGER,
    summary   TEXT NOT NULL
);
