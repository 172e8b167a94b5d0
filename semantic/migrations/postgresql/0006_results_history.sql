-- The decision test's result per treatment arm at every build (PostgreSQL dialect of
-- ../0006_results_history.sql).
CREATE TABLE results_history (
    run_id         BIGINT NOT NULL REFERENCES readout_runs (run_id),
    experiment_id  TEXT NOT NULL,
    analysis_mode  TEXT NOT NULL,
    variation_id   TEXT NOT NULL,
    n_users        BIGINT,
    relative_lift  DOUBLE PRECISION,
    rel_ci_low     DOUBLE PRECISION,
    rel_ci_high    DOUBLE PRECISION,
    p_value        DOUBLE PRECISION,
    PRIMARY KEY (experiment_id, analysis_mode, variation_id, run_id)
);
