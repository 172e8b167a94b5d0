-- PostgreSQL dialect of ../int_experiment_exposure_validation.sql (same header, grain and columns; only the SQL differs).
-- grain: experiment_id, unit_id
-- depends_on: fct_experiment_assignments, stg_experiment_exposures, experiments
-- incremental: partition experiment_id unit_id
-- index: experiment_id, unit_id
-- description: Every assigned unit with the integrity of its exposures. validation_status takes the
--   first that applies: no_exposure, pre_assignment (an exposure before assignment), multi_variation
--   (exposed to more than one variation), mismatch (exposed to a variation other than the assigned
--   one), outside_window (an exposure before the experiment started or after it ended), else valid.
SELECT
    a.experiment_id,
    a.unit_id,
    a.variation_id AS assigned_variation_id,
    a.assigned_at,
    MIN(x.occurred_at) AS first_exposure_at,
    COUNT(x.unit_id) AS exposure_count,
    COALESCE(MAX(CASE WHEN x.occurred_at < a.assigned_at THEN 1 ELSE 0 END), 0) AS pre_assignment_exposure,
    COALESCE(MAX(CASE WHEN x.event_id IS NOT NULL AND x.variation_id IS DISTINCT FROM a.variation_id THEN 1 ELSE 0 END), 0) AS variant_mismatch,
    CASE WHEN MIN(x.variation_id) <> MAX(x.variation_id) THEN 1 ELSE 0 END AS multi_variation_exposure,
    COALESCE(MAX(CASE WHEN e.started_at IS NULL OR x.occurred_at < e.started_at OR (e.ended_at IS NOT NULL AND x.occurred_at > e.ended_at) THEN 1 ELSE 0 END), 0) AS exposure_outside_window,
    CASE
        WHEN COUNT(x.unit_id) = 0 THEN 'no_exposure'
        WHEN BOOL_OR(x.occurred_at < a.assigned_at) THEN 'pre_assignment'
        WHEN MIN(x.variation_id) <> MAX(x.variation_id) THEN 'multi_variation'
        WHEN BOOL_OR(x.event_id IS NOT NULL AND x.variation_id IS DISTINCT FROM a.variation_id) THEN 'mismatch'
        WHEN BOOL_OR(e.started_at IS NULL OR x.occurred_at < e.started_at OR (e.ended_at IS NOT NULL AND x.occurred_at > e.ended_at)) THEN 'outside_window'
        ELSE 'valid'
    END AS validation_status
FROM fct_experiment_assignments AS a
JOIN experiments AS e ON e.experiment_id = a.experiment_id
LEFT JOIN stg_experiment_exposures AS x
  ON x.experiment_id = a.experiment_id AND x.unit_id = a.unit_id
/* readout:affected WHERE a.experiment_id a.unit_id */
GROUP BY a.experiment_id, a.unit_id, a.variation_id, a.assigned_at
