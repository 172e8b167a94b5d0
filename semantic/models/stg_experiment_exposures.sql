-- grain: event_id
-- depends_on: fct_events
-- incremental: append event_id
-- index: experiment_id, unit_id
-- description: Exposure events, one row each: which unit saw which variation of which experiment, and when.
SELECT
    event_id,
    experiment_id,
    unit_id,
    variation_id,
    occurred_at,
    props
FROM fct_events
WHERE event_name = 'exposure'
