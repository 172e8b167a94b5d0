-- Alerts: after each refresh the server looks at every running experiment and records a
-- condition the moment it starts to hold (once: `alert_state` remembers what held last time,
-- so a condition that clears and comes back is recorded again). The contract describes both
-- with no column allowed: no role reads them through the guard; the pages and webhooks show them.
CREATE TABLE alert_state (
    experiment_id TEXT NOT NULL,
    kind          TEXT NOT NULL,
    active        INTEGER NOT NULL CHECK (active IN (0, 1)),
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (experiment_id, kind)
);

CREATE TABLE alerts (
    alert_id      INTEGER PRIMARY KEY,
    experiment_id TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('significant', 'srm', 'guardrail', 'exposure_drop', 'no_events')),
    message       TEXT NOT NULL,
    -- The numbers that triggered it, as a JSON object of strings.
    details       TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX alerts_by_experiment ON alerts (experiment_id, alert_id);
