-- grain: experiment_id, metric_id, variation_id, analysis_mode
-- depends_on: agg_experiment_metric_by_variant, experiment_variants, metrics
-- incremental: partition experiment_id
-- compute: experiment_results
-- description: Each variation against its experiment's control, per metric and analysis mode. Binary
--   metrics compare conversion_rate with a two-proportion z-test (pooled SE for the p-value, unpooled
--   Wald SE for the 95% CI of uplift_abs); continuous metrics compare mean_value (value_sum / n_users)
--   with Welch's t-test. uplift_rel is uplift_abs over the control figure (NULL when that is 0).
--   Control rows carry NULL uplift, p-value and CI.
-- The SELECT below gathers each row's inputs; the `experiment_results` computation in the Stats
-- engine (Sources/Warehouse/ExperimentResultsComputation.swift) turns them into the table's columns.
SELECT
    t.experiment_id,
    t.metric_id,
    t.variation_id,
    t.analysis_mode,
    v.is_control,
    m.kind AS metric_kind,
    t.n_users,
    t.n_converted,
    t.value_sum,
    t.value_sum_sq,
    c.n_users AS control_n_users,
    c.n_converted AS control_n_converted,
    c.value_sum AS control_value_sum,
    c.value_sum_sq AS control_value_sum_sq
FROM agg_experiment_metric_by_variant AS t
JOIN metrics AS m
  ON m.metric_id = t.metric_id
JOIN experiment_variants AS v
  ON v.experiment_id = t.experiment_id AND v.variation_id = t.variation_id
LEFT JOIN experiment_variants AS cv
  ON cv.experiment_id = t.experiment_id AND cv.is_control = 1
LEFT JOIN agg_experiment_metric_by_variant AS c
  ON c.experiment_id = t.experiment_id
 AND c.metric_id = t.metric_id
 AND c.analysis_mode = t.analysis_mode
 AND c.variation_id = cv.variation_id
ORDER BY t.experiment_id, t.metric_id, t.analysis_mode, v.is_control DESC, t.variation_id
