-- One row per model build: full (`readout build`) or incremental (`readout build
-- --incremental`, or the server's background refresh). `watermark` is the
-- highest fct_events.event_id the build has seen; an incremental build processes
-- only events after the previous watermark.
CREATE TABLE readout_runs (
    run_id      INTEGER PRIMARY KEY,
    mode        TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    events      INTEGER NOT NULL,
    watermark   INTEGER NOT NULL,
    experiments TEXT NOT NULL
);
