-- grain: experiment_id, metric_id, variation_id, analysis_mode
-- depends_on: int_experiment_metric_outcomes__conversion, fct_experiment_cohort, metrics
-- incremental: partition experiment_id
-- description: Sufficient statistics per experiment, metric, variation and analysis mode. analysis_mode
--   'itt' counts every assigned unit; 'exposed' counts units with a valid exposure. conversion_rate is
--   n_converted / n_users; value_sum and value_sum_sq are the sum and sum of squares of per-unit values.
--   Built from the cohort sizes plus the (sparse) converted outcomes, so the dense outcome table is
--   scanned once and never sorted.
WITH cohort_sizes AS (
    SELECT experiment_id, variation_id, is_exposed, COUNT(*) AS n_users
    FROM fct_experiment_cohort
    GROUP BY experiment_id, variation_id, is_exposed
),
converted AS (
    SELECT experiment_id, metric_id, variation_id, is_exposed,
           SUM(converted) AS n_converted, SUM(value) AS value_sum, SUM(value * value) AS value_sum_sq
    FROM int_experiment_metric_outcomes__conversion
    WHERE converted = 1 OR value <> 0
    GROUP BY experiment_id, metric_id, variation_id, is_exposed
),
cells AS (
    SELECT s.experiment_id, m.metric_id, s.variation_id, s.is_exposed, s.n_users,
           COALESCE(c.n_converted, 0) AS n_converted, COALESCE(c.value_sum, 0) AS value_sum, COALESCE(c.value_sum_sq, 0) AS value_sum_sq
    FROM cohort_sizes AS s
    CROSS JOIN metrics AS m
    LEFT JOIN converted AS c
      ON c.experiment_id = s.experiment_id AND c.metric_id = m.metric_id
     AND c.variation_id = s.variation_id AND c.is_exposed = s.is_exposed
),
modes(analysis_mode, exposed_only) AS (VALUES ('itt', 0), ('exposed', 1))
SELECT
    cells.experiment_id, cells.metric_id, cells.variation_id, modes.analysis_mode,
    SUM(n_users) AS n_users,
    SUM(n_converted) AS n_converted,
    1.0 * SUM(n_converted) / SUM(n_users) AS conversion_rate,
    SUM(value_sum) AS value_sum,
    SUM(value_sum_sq) AS value_sum_sq
FROM cells
JOIN modes ON modes.exposed_only = 0 OR cells.is_exposed = 1
GROUP BY cells.experiment_id, cells.metric_id, cells.variation_id, modes.analysis_mode
