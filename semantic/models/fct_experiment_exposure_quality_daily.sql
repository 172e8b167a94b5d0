-- grain: experiment_id, date_day
-- depends_on: int_experiment_exposure_validation
-- incremental: partition experiment_id
-- description: Daily exposure health per experiment, by the day units were assigned. exposure_rate and
--   valid_exposure_rate are shares of assigned units; mismatch_rate is a share of exposed units (NULL
--   when none were exposed); the last three columns count units with each flag.
SELECT
    experiment_id,
    substr(assigned_at, 1, 10) AS date_day,
    COUNT(*) AS assigned_units,
    SUM(CASE WHEN exposure_count > 0 THEN 1 ELSE 0 END) AS exposed_units,
    CAST(SUM(CASE WHEN exposure_count > 0 THEN 1 ELSE 0 END) AS DOUBLE PRECISION) / COUNT(*) AS exposure_rate,
    CAST(SUM(CASE WHEN validation_status = 'valid' THEN 1 ELSE 0 END) AS DOUBLE PRECISION) / COUNT(*) AS valid_exposure_rate,
    CAST(SUM(variant_mismatch) AS DOUBLE PRECISION) / NULLIF(SUM(CASE WHEN exposure_count > 0 THEN 1 ELSE 0 END), 0) AS mismatch_rate,
    SUM(pre_assignment_exposure) AS pre_assignment_exposure,
    SUM(multi_variation_exposure) AS multi_variation_exposure,
    SUM(exposure_outside_window) AS exposure_outside_window
FROM int_experiment_exposure_validation
/* readout:affected WHERE experiment_id */
GROUP BY experiment_id, substr(assigned_at, 1, 10)
