-- Idempotency for events tracked over HTTP (PostgreSQL dialect of ../0003_tracked_events.sql).
CREATE TABLE tracked_events (
    experiment_id TEXT NOT NULL,
    unit_id       TEXT NOT NULL,
    event_type    TEXT NOT NULL CHECK (event_type IN ('exposure', 'conversion')),
    event_id      BIGINT NOT NULL,
    occurred_at   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    PRIMARY KEY (experiment_id, unit_id, event_type)
);
