-- grain: experiment_id, unit_id
-- depends_on: fct_experiment_assignments, stg_experiment_exposures, experiments
-- index: experiment_id, unit_id
-- description: Every assigned unit with the integrity of its exposures. validation_status takes the
--   first that applies: no_exposure, pre_assignment (an exposure before assignment), multi_variation
--   (exposed to more than one variation), mismatch (exposed to a variation other than the assigned
--   one), outside_window (an exposure before the experiment started or after it ended), else valid.
WITH exposure_summary AS (
    SELECT
        x.experiment_id,
        x.unit_id,
        MIN(x.occurred_at) AS first_exposure_at,
        COUNT(*) AS exposure_count,
        COUNT(DISTINCT x.variation_id) AS variation_count,
        MAX(x.occurred_at < a.assigned_at) AS pre_assignment_exposure,
        MAX(x.variation_id IS NOT a.variation_id) AS variant_mismatch,
        MAX(e.started_at IS NULL
            OR x.occurred_at < e.started_at
            OR (e.ended_at IS NOT NULL AND x.occurred_at > e.ended_at)) AS exposure_outside_window
    FROM stg_experiment_exposures AS x
    JOIN fct_experiment_assignments AS a
      ON a.experiment_id = x.experiment_id AND a.unit_id = x.unit_id
    JOIN experiments AS e
      ON e.experiment_id = x.experiment_id
    GROUP BY x.experiment_id, x.unit_id
)
SELECT
    a.experiment_id,
    a.unit_id,
    a.variation_id AS assigned_variation_id,
    a.assigned_at,
    s.first_exposure_at,
    COALESCE(s.exposure_count, 0) AS exposure_count,
    COALESCE(s.pre_assignment_exposure, 0) AS pre_assignment_exposure,
    COALESCE(s.variant_mismatch, 0) AS variant_mismatch,
    (COALESCE(s.variation_count, 0) > 1) AS multi_variation_exposure,
    COALESCE(s.exposure_outside_window, 0) AS exposure_outside_window,
    CASE
        WHEN s.exposure_count IS NULL THEN 'no_exposure'
        WHEN s.pre_assignment_exposure THEN 'pre_assignment'
        WHEN s.variation_count > 1 THEN 'multi_variation'
        WHEN s.variant_mismatch THEN 'mismatch'
        WHEN s.exposure_outside_window THEN 'outside_window'
        ELSE 'valid'
    END AS validation_status
FROM fct_experiment_assignments AS a
LEFT JOIN exposure_summary AS s
  ON s.experiment_id = a.experiment_id AND s.unit_id = a.unit_id
