-- The graduated approach: the school's provision library and staff rates, each pupil's
-- assess-plan-do-review cycles with their costed provision and delivery log, parent
-- meetings, specialist involvement and one-page profiles. Money is integer pence.
-- The library is seeded from assets/library by the code that applies this migration.

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE staff_role (
    key               TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    la_rate_pence     INTEGER NOT NULL CHECK (la_rate_pence >= 0),
    school_rate_pence INTEGER NOT NULL CHECK (school_rate_pence >= 0)
) STRICT;

CREATE TABLE intervention (
    id                  INTEGER PRIMARY KEY,
    key                 TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    area                TEXT NOT NULL,
    wave                TEXT NOT NULL CHECK (wave IN ('universal', 'targeted', 'specialist')),
    description         TEXT NOT NULL,
    evidence            TEXT NOT NULL,
    staff_role          TEXT NOT NULL REFERENCES staff_role(key),
    minutes_per_session INTEGER NOT NULL CHECK (minutes_per_session > 0),
    sessions_per_week   INTEGER NOT NULL CHECK (sessions_per_week > 0),
    group_size          INTEGER NOT NULL CHECK (group_size > 0),
    weeks               INTEGER NOT NULL CHECK (weeks > 0),
    resources_pence     INTEGER NOT NULL CHECK (resources_pence >= 0),
    school_added        INTEGER NOT NULL DEFAULT 0
) STRICT;

-- A school's own catalogue items, added to the shipped catalogue.
CREATE TABLE catalogue_item (
    id      TEXT PRIMARY KEY,
    area    TEXT,
    heading TEXT NOT NULL,
    text    TEXT NOT NULL
) STRICT;

CREATE TABLE cycle (
    id               INTEGER PRIMARY KEY,
    pupil_id         INTEGER NOT NULL REFERENCES pupil(id),
    number           INTEGER NOT NULL CHECK (number > 0),
    opened_on        TEXT NOT NULL,
    -- Copied from the stages for the worklist and the provision map, so the queries that
    -- scan cycles read small rows and never the stage documents.
    plan_date        TEXT,
    parent_notice_on TEXT,
    review_due       TEXT,
    reviewed_on      TEXT,
    next_review      TEXT,
    locked_on        TEXT,
    UNIQUE (pupil_id, number)
) STRICT;

-- Each stage as the validated JSON document the rules in `apdr` wrote.
CREATE TABLE cycle_stage (
    cycle_id INTEGER NOT NULL REFERENCES cycle(id),
    stage    TEXT NOT NULL CHECK (stage IN ('assess', 'plan', 'review')),
    document TEXT NOT NULL,
    PRIMARY KEY (cycle_id, stage)
) STRICT;
-- At most one open cycle per pupil, kept by the database as well as by the rules.
CREATE UNIQUE INDEX cycle_one_open ON cycle (pupil_id) WHERE locked_on IS NULL;
CREATE INDEX cycle_review_due ON cycle (review_due) WHERE locked_on IS NULL;

CREATE TABLE strategy_tick (
    cycle_id  INTEGER NOT NULL REFERENCES cycle(id),
    item_id   TEXT NOT NULL,
    catalogue TEXT NOT NULL,
    version   TEXT NOT NULL,
    item_text TEXT NOT NULL,
    note      TEXT NOT NULL,
    PRIMARY KEY (cycle_id, item_id)
) STRICT;

CREATE TABLE planned_intervention (
    id                  INTEGER PRIMARY KEY,
    cycle_id            INTEGER NOT NULL REFERENCES cycle(id),
    pupil_id            INTEGER NOT NULL REFERENCES pupil(id),
    intervention_id     INTEGER NOT NULL REFERENCES intervention(id),
    sessions_per_week   INTEGER NOT NULL CHECK (sessions_per_week > 0),
    minutes_per_session INTEGER NOT NULL CHECK (minutes_per_session > 0),
    group_size          INTEGER NOT NULL CHECK (group_size > 0),
    staff_role          TEXT NOT NULL REFERENCES staff_role(key),
    -- The role's school rate when the plan was made, so later rate changes leave old costs alone.
    hourly_rate_pence   INTEGER NOT NULL CHECK (hourly_rate_pence >= 0),
    start_date          TEXT NOT NULL,
    end_date            TEXT NOT NULL,
    weeks               INTEGER NOT NULL CHECK (weeks > 0),
    resources_pence     INTEGER NOT NULL CHECK (resources_pence >= 0),
    entry_score         TEXT NOT NULL DEFAULT '',
    exit_score          TEXT NOT NULL DEFAULT '',
    UNIQUE (cycle_id, intervention_id)
) STRICT;
CREATE INDEX planned_intervention_pupil ON planned_intervention (pupil_id);
CREATE INDEX planned_intervention_start ON planned_intervention (start_date);

CREATE TABLE delivery (
    id                      INTEGER PRIMARY KEY,
    planned_intervention_id INTEGER NOT NULL REFERENCES planned_intervention(id),
    date                    TEXT NOT NULL,
    minutes                 INTEGER NOT NULL CHECK (minutes > 0),
    attended                INTEGER NOT NULL CHECK (attended IN (0, 1)),
    note                    TEXT NOT NULL DEFAULT '',
    UNIQUE (planned_intervention_id, date)
) STRICT;
-- Costs to date read only minutes, from the index.
CREATE INDEX delivery_minutes ON delivery (planned_intervention_id, minutes);

CREATE TABLE amendment (
    id       INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycle(id),
    made_on  TEXT NOT NULL,
    text     TEXT NOT NULL
) STRICT;

CREATE TABLE parent_meeting (
    id       INTEGER PRIMARY KEY,
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),
    date     TEXT NOT NULL,
    attendees TEXT NOT NULL,
    summary  TEXT NOT NULL,
    actions  TEXT NOT NULL
) STRICT;
CREATE INDEX parent_meeting_pupil ON parent_meeting (pupil_id, date);

CREATE TABLE involvement (
    id            INTEGER PRIMARY KEY,
    pupil_id      INTEGER NOT NULL REFERENCES pupil(id),
    service       TEXT NOT NULL,
    referral_date TEXT,
    seen_date     TEXT,
    report_date   TEXT,
    advice        TEXT NOT NULL
) STRICT;
CREATE INDEX involvement_pupil ON involvement (pupil_id);

CREATE TABLE recommendation (
    id             INTEGER PRIMARY KEY,
    involvement_id INTEGER NOT NULL REFERENCES involvement(id),
    text           TEXT NOT NULL,
    acted_on       TEXT,
    acted_how      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX recommendation_open ON recommendation (involvement_id) WHERE acted_on IS NULL;

CREATE TABLE attachment (
    id             INTEGER PRIMARY KEY,
    involvement_id INTEGER NOT NULL REFERENCES involvement(id),
    name           TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    bytes          BLOB NOT NULL
) STRICT;

CREATE TABLE profile (
    pupil_id     INTEGER PRIMARY KEY REFERENCES pupil(id),
    admire       TEXT NOT NULL,
    important    TEXT NOT NULL,
    support      TEXT NOT NULL,
    updated_on   TEXT NOT NULL
) STRICT;
