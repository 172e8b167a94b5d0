-- Idempotency for events tracked over HTTP (`POST /api/track`): one exposure and
-- one conversion per experiment and user key. A repeat is acknowledged as a
-- duplicate and stores nothing.
CREATE TABLE tracked_events (
    experiment_id TEXT NOT NULL,
    unit_id       TEXT NOT NULL,
    event_type    TEXT NOT NULL CHECK (event_type IN ('exposure', 'conversion')),
    event_id      INTEGER NOT NULL,
    occurred_at   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    PRIMARY KEY (experiment_id, unit_id, event_type)
) WITHOUT ROWID;
