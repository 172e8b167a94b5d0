-- The decision test's result per treatment arm at every build: a full build (readout build, demo)
-- records every experiment, an incremental refresh the experiments it recomputed. The pages draw
-- "lift over time" from it, one point per build. Bookkeeping: described in the contract with no
-- column allowed.
CREATE TABLE results_history (
    run_id         INTEGER NOT NULL REFERENCES readout_runs (run_id),
    experiment_id  TEXT NOT NULL,
    analysis_mode  TEXT NOT NULL,
    variation_id   TEXT NOT NULL,
    n_users        INTEGER,
    relative_lift  REAL,
    rel_ci_low     REAL,
    rel_ci_high    REAL,
    p_value        REAL,
    PRIMARY KEY (experiment_id, analysis_mode, variation_id, run_id)
);
