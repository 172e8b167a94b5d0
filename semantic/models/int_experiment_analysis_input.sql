-- grain: experiment_id, analysis_mode, metric_id, variation_id
-- depends_on: experiments, experiment_variants, metrics, agg_experiment_metric_by_variant, int_experiment_exposure_validation
-- incremental: partition experiment_id
-- description: Everything the statistics engine reads about an experiment, one row per experiment,
--   analysis mode, metric and variation (every experiment, with or without data): the arm (control flag,
--   configured allocation), the metric (kind, direction, guardrail flag, whether it is the experiment's
--   primary), its sufficient statistics and CUPED covariate sums (NULL when the arm has no units yet),
--   and the experiment's exposure-integrity counts. fct_experiment_results, fct_experiment_verdicts,
--   `readout analyze`, the memo and the HTTP results all analyse exactly these rows.
WITH quality AS (
    SELECT experiment_id,
           SUM(CASE WHEN exposure_count > 0 THEN 1 ELSE 0 END) AS exposed_units,
           SUM(variant_mismatch) AS mismatch_units,
           SUM(pre_assignment_exposure) AS pre_assignment_units,
           SUM(multi_variation_exposure) AS multi_variation_units,
           SUM(exposure_outside_window) AS outside_window_units
    FROM int_experiment_exposure_validation
    /* readout:affected WHERE experiment_id */
    GROUP BY experiment_id
),
modes(analysis_mode) AS (VALUES ('itt'), ('exposed'))
SELECT
    e.experiment_id,
    modes.analysis_mode,
    m.metric_id,
    v.variation_id,
    v.is_control,
    v.allocation,
    CASE WHEN m.metric_id = e.primary_metric_id THEN 1 ELSE 0 END AS is_primary,
    m.kind AS metric_kind,
    m.higher_is_better,
    m.is_guardrail,
    a.n_users,
    a.n_converted,
    a.value_sum,
    a.value_sum_sq,
    a.cov_sum,
    a.cov_sum_sq,
    a.cov_product_sum,
    q.exposed_units,
    q.mismatch_units,
    q.pre_assignment_units,
    q.multi_variation_units,
    q.outside_window_units
FROM experiments AS e
JOIN experiment_variants AS v
  ON v.experiment_id = e.experiment_id
CROSS JOIN metrics AS m
CROSS JOIN modes
LEFT JOIN agg_experiment_metric_by_variant AS a
  ON a.experiment_id = e.experiment_id AND a.analysis_mode = modes.analysis_mode
 AND a.metric_id = m.metric_id AND a.variation_id = v.variation_id
LEFT JOIN quality AS q
  ON q.experiment_id = e.experiment_id
/* readout:affected WHERE e.experiment_id */
