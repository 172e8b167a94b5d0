-- PostgreSQL dialect of ../int_experiment_pre_period.sql (same header, grain and columns; only the SQL differs).
-- grain: experiment_id, unit_id
-- depends_on: fct_experiment_cohort, stg_conversion_events
-- incremental: partition experiment_id unit_id
-- index: experiment_id, unit_id
-- description: The pre-experiment covariate CUPED adjusts with: each cohort unit's purchase revenue in the
--   14 days before its assignment ([assigned_at - 14 days, assigned_at)). Sparse: only units with a
--   non-zero value have a row; every other unit's covariate is 0.
SELECT
    c.experiment_id,
    c.unit_id,
    c.variation_id,
    c.is_exposed,
    SUM(e.value) AS pre_value
FROM fct_experiment_cohort AS c
JOIN stg_conversion_events AS e
  ON e.unit_id = c.unit_id
 AND e.event_name = 'purchase'
 AND e.occurred_at >= to_char(CAST(c.assigned_at AS TIMESTAMP) - INTERVAL '14 days', 'YYYY-MM-DD HH24:MI:SS')
 AND e.occurred_at < c.assigned_at
/* readout:affected WHERE c.experiment_id c.unit_id */
GROUP BY c.experiment_id, c.unit_id, c.variation_id, c.is_exposed
HAVING SUM(e.value) <> 0
