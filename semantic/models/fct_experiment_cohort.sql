-- grain: experiment_id, unit_id
-- depends_on: int_experiment_exposure_validation
-- incremental: partition experiment_id unit_id
-- index: unit_id
-- index: experiment_id, variation_id, is_exposed
-- description: The analysis cohort. Every assigned unit is in the intent-to-treat (ITT) population;
--   is_exposed marks units with a valid exposure. cohort_entry_at, where metric windows start, is the
--   first valid exposure, or the assignment time for units without one.
SELECT
    experiment_id,
    unit_id,
    assigned_variation_id AS variation_id,
    1 AS is_itt,
    CASE WHEN validation_status = 'valid' THEN 1 ELSE 0 END AS is_exposed,
    assigned_at,
    CASE WHEN validation_status = 'valid' THEN first_exposure_at ELSE assigned_at END AS cohort_entry_at
FROM int_experiment_exposure_validation
/* readout:affected WHERE experiment_id unit_id */
