-- PostgreSQL dialect of ../int_experiment_metric_outcomes__conversion.sql (same header, grain and columns; only the SQL differs).
-- grain: experiment_id, unit_id, metric_id
-- depends_on: fct_experiment_cohort, metrics, stg_conversion_events
-- incremental: partition experiment_id unit_id
-- index: experiment_id, metric_id, variation_id, is_exposed, unit_id, converted, value WHERE converted = 1 OR value <> 0
-- description: Each cohort unit's outcome on each metric within the metric's window from cohort entry
--   ([cohort_entry_at, cohort_entry_at + window_days)): converted is 1 when the unit had at least one
--   of the metric's events, value sums the events' values (0 when none).
WITH unit_events AS (
    SELECT
        c.experiment_id,
        c.unit_id,
        m.metric_id,
        COUNT(*) AS event_count,
        SUM(COALESCE(e.value, 0)) AS value
    FROM stg_conversion_events AS e
    JOIN metrics AS m
      ON m.event_name = e.event_name
    JOIN fct_experiment_cohort AS c
      ON c.unit_id = e.unit_id
     AND (e.experiment_id IS NULL OR e.experiment_id = c.experiment_id)
     AND e.occurred_at >= c.cohort_entry_at
     AND e.occurred_at < to_char(CAST(c.cohort_entry_at AS TIMESTAMP) + m.window_days * INTERVAL '1 day', 'YYYY-MM-DD HH24:MI:SS')
    /* readout:affected WHERE c.experiment_id c.unit_id */
    GROUP BY c.experiment_id, c.unit_id, m.metric_id
)
SELECT
    c.experiment_id,
    c.unit_id,
    m.metric_id,
    c.variation_id,
    c.is_exposed,
    CASE WHEN u.event_count IS NOT NULL THEN 1 ELSE 0 END AS converted,
    CAST(COALESCE(u.value, 0) AS DOUBLE PRECISION) AS value
FROM fct_experiment_cohort AS c
CROSS JOIN metrics AS m
LEFT JOIN unit_events AS u
  ON u.experiment_id = c.experiment_id AND u.unit_id = c.unit_id AND u.metric_id = m.metric_id
/* readout:affected WHERE c.experiment_id c.unit_id */
