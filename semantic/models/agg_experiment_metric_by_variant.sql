-- grain: experiment_id, metric_id, variation_id, analysis_mode
-- depends_on: int_experiment_metric_outcomes__conversion
-- description: Sufficient statistics per experiment, metric, variation and analysis mode. analysis_mode
--   'itt' counts every assigned unit; 'exposed' counts units with a valid exposure. conversion_rate is
--   n_converted / n_users; value_sum and value_sum_sq are the sum and sum of squares of per-unit values.
SELECT
    experiment_id,
    metric_id,
    variation_id,
    'itt' AS analysis_mode,
    COUNT(*) AS n_users,
    SUM(converted) AS n_converted,
    1.0 * SUM(converted) / COUNT(*) AS conversion_rate,
    SUM(value) AS value_sum,
    SUM(value * value) AS value_sum_sq
FROM int_experiment_metric_outcomes__conversion
GROUP BY experiment_id, metric_id, variation_id
UNION ALL
SELECT
    experiment_id,
    metric_id,
    variation_id,
    'exposed' AS analysis_mode,
    COUNT(*) AS n_users,
    SUM(converted) AS n_converted,
    1.0 * SUM(converted) / COUNT(*) AS conversion_rate,
    SUM(value) AS value_sum,
    SUM(value * value) AS value_sum_sq
FROM int_experiment_metric_outcomes__conversion
WHERE is_exposed = 1
GROUP BY experiment_id, metric_id, variation_id
