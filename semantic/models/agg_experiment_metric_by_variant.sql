-- grain: experiment_id, metric_id, variation_id, analysis_mode
-- depends_on: int_experiment_metric_outcomes__conversion, fct_experiment_cohort, int_experiment_pre_period, metrics
-- incremental: partition experiment_id
-- description: Sufficient statistics per experiment, metric, variation and analysis mode. analysis_mode
--   'itt' counts every assigned unit; 'exposed' counts units with a valid exposure. conversion_rate is
--   n_converted / n_users; value_sum and value_sum_sq are the sum and sum of squares of per-unit values.
--   For CUPED, cov_sum and cov_sum_sq sum the pre-experiment covariate x (int_experiment_pre_period) and
--   cov_product_sum sums x times the unit's outcome y (converted for binary metrics, value for continuous).
--   Built from the cohort sizes plus the (sparse) converted outcomes and covariates, so the dense outcome
--   table is scanned once and never sorted.
WITH cohort_sizes AS (
    SELECT experiment_id, variation_id, is_exposed, COUNT(*) AS n_users
    FROM fct_experiment_cohort
    /* readout:affected WHERE experiment_id */
    GROUP BY experiment_id, variation_id, is_exposed
),
covariate_sums AS (
    SELECT experiment_id, variation_id, is_exposed, SUM(pre_value) AS cov_sum, SUM(pre_value * pre_value) AS cov_sum_sq
    FROM int_experiment_pre_period
    /* readout:affected WHERE experiment_id */
    GROUP BY experiment_id, variation_id, is_exposed
),
converted AS (
    SELECT o.experiment_id, o.metric_id, o.variation_id, o.is_exposed,
           SUM(o.converted) AS n_converted, SUM(o.value) AS value_sum, SUM(o.value * o.value) AS value_sum_sq,
           SUM(COALESCE(p.pre_value, 0) * CASE WHEN m.kind = 'binary' THEN o.converted ELSE o.value END) AS cov_product_sum
    FROM int_experiment_metric_outcomes__conversion AS o
    JOIN metrics AS m
      ON m.metric_id = o.metric_id
    LEFT JOIN int_experiment_pre_period AS p
      ON p.experiment_id = o.experiment_id AND p.unit_id = o.unit_id
    WHERE (o.converted = 1 OR o.value <> 0)
    /* readout:affected AND o.experiment_id */
    GROUP BY o.experiment_id, o.metric_id, o.variation_id, o.is_exposed
),
cells AS (
    SELECT s.experiment_id, m.metric_id, s.variation_id, s.is_exposed, s.n_users,
           COALESCE(c.n_converted, 0) AS n_converted, COALESCE(c.value_sum, 0) AS value_sum, COALESCE(c.value_sum_sq, 0) AS value_sum_sq,
           COALESCE(x.cov_sum, 0) AS cov_sum, COALESCE(x.cov_sum_sq, 0) AS cov_sum_sq, COALESCE(c.cov_product_sum, 0) AS cov_product_sum
    FROM cohort_sizes AS s
    CROSS JOIN metrics AS m
    LEFT JOIN converted AS c
      ON c.experiment_id = s.experiment_id AND c.metric_id = m.metric_id
     AND c.variation_id = s.variation_id AND c.is_exposed = s.is_exposed
    LEFT JOIN covariate_sums AS x
      ON x.experiment_id = s.experiment_id AND x.variation_id = s.variation_id AND x.is_exposed = s.is_exposed
),
modes(analysis_mode, exposed_only) AS (VALUES ('itt', 0), ('exposed', 1))
SELECT
    cells.experiment_id, cells.metric_id, cells.variation_id, modes.analysis_mode,
    CAST(SUM(n_users) AS BIGINT) AS n_users,
    CAST(SUM(n_converted) AS BIGINT) AS n_converted,
    CAST(SUM(n_converted) AS DOUBLE PRECISION) / CAST(SUM(n_users) AS DOUBLE PRECISION) AS conversion_rate,
    SUM(value_sum) AS value_sum,
    SUM(value_sum_sq) AS value_sum_sq,
    SUM(cov_sum) AS cov_sum,
    SUM(cov_sum_sq) AS cov_sum_sq,
    SUM(cov_product_sum) AS cov_product_sum
FROM cells
JOIN modes ON modes.exposed_only = 0 OR cells.is_exposed = 1
GROUP BY cells.experiment_id, cells.metric_id, cells.variation_id, modes.analysis_mode
