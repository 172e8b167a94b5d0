-- Source tables of the experimentation warehouse.
-- Append-only: never edit a migration once it has shipped; add a new file.
-- Timestamps are UTC text in SQLite's canonical form 'YYYY-MM-DD HH:MM:SS',
-- so text order is time order and SQLite's date functions read them as-is.

CREATE TABLE experiments (
    experiment_id     TEXT PRIMARY KEY NOT NULL,
    name              TEXT NOT NULL,
    hypothesis        TEXT,
    primary_metric_id TEXT,
    status            TEXT NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'review', 'running', 'readout', 'shipped', 'killed')),
    owner             TEXT,
    created_at        TEXT NOT NULL,
    started_at        TEXT,
    ended_at          TEXT
);

CREATE TABLE experiment_variants (
    experiment_id TEXT NOT NULL REFERENCES experiments (experiment_id),
    variation_id  TEXT NOT NULL,
    name          TEXT NOT NULL,
    is_control    INTEGER NOT NULL DEFAULT 0 CHECK (is_control IN (0, 1)),
    allocation    REAL NOT NULL CHECK (allocation >= 0 AND allocation <= 1),
    PRIMARY KEY (experiment_id, variation_id)
);

CREATE TABLE metrics (
    metric_id        TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('binary', 'continuous')),
    event_name       TEXT NOT NULL,
    window_days      INTEGER NOT NULL CHECK (window_days > 0),
    higher_is_better INTEGER NOT NULL DEFAULT 1 CHECK (higher_is_better IN (0, 1)),
    is_guardrail     INTEGER NOT NULL DEFAULT 0 CHECK (is_guardrail IN (0, 1))
);

CREATE TABLE experiment_decisions (
    decision_id   TEXT PRIMARY KEY NOT NULL,
    experiment_id TEXT NOT NULL REFERENCES experiments (experiment_id),
    decision      TEXT NOT NULL CHECK (decision IN ('ship', 'kill')),
    rationale     TEXT,
    decided_by    TEXT NOT NULL,
    decided_at    TEXT NOT NULL
);

-- Contains personal data on purpose: the guard must keep it out of answers.
CREATE TABLE users (
    user_id    TEXT PRIMARY KEY NOT NULL,
    email      TEXT NOT NULL,
    country    TEXT,
    created_at TEXT NOT NULL
);

-- One row per unit per experiment. Assignment happens upstream; the
-- warehouse records it and never re-randomises.
CREATE TABLE fct_experiment_assignments (
    experiment_id TEXT NOT NULL,
    unit_id       TEXT NOT NULL,
    variation_id  TEXT NOT NULL,
    assigned_at   TEXT NOT NULL,
    PRIMARY KEY (experiment_id, unit_id)
) WITHOUT ROWID;

-- Every tracked event. Exposures are event_name = 'exposure' and carry the
-- experiment and variation seen. Other events feed metrics: with a NULL
-- experiment_id they count for every experiment the unit is in; with one set
-- they count for that experiment only.
CREATE TABLE fct_events (
    event_id      INTEGER PRIMARY KEY,
    event_name    TEXT NOT NULL,
    unit_id       TEXT NOT NULL,
    experiment_id TEXT,
    variation_id  TEXT,
    value         REAL,
    occurred_at   TEXT NOT NULL,
    props         TEXT CHECK (props IS NULL OR json_valid(props))
);
