-- grain: experiment_id, date_day
-- depends_on: int_experiment_exposure_validation
-- incremental: partition experiment_id
-- description: Daily exposure health per experiment, by the day units were assigned. exposure_rate and
--   valid_exposure_rate are shares of assigned units; mismatch_rate is a share of exposed units (NULL
--   when none were exposed); the last three columns count units with each flag.
SELECT
    experiment_id,
    date(assigned_at) AS date_day,
    COUNT(*) AS assigned_units,
    SUM(exposure_count > 0) AS exposed_units,
    1.0 * SUM(exposure_count > 0) / COUNT(*) AS exposure_rate,
    1.0 * SUM(validation_status = 'valid') / COUNT(*) AS valid_exposure_rate,
    1.0 * SUM(variant_mismatch) / NULLIF(SUM(exposure_count > 0), 0) AS mismatch_rate,
    SUM(pre_assignment_exposure) AS pre_assignment_exposure,
    SUM(multi_variation_exposure) AS multi_variation_exposure,
    SUM(exposure_outside_window) AS exposure_outside_window
FROM int_experiment_exposure_validation
GROUP BY experiment_id, date(assigned_at)
