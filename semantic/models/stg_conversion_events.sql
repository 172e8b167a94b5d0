-- grain: event_id
-- depends_on: fct_events, metrics
-- incremental: append event_id
-- index: unit_id
-- description: Events that some metric counts (purchases, refunds, page loads), one row each.
SELECT
    event_id,
    event_name,
    unit_id,
    experiment_id,
    value,
    occurred_at
FROM fct_events
WHERE event_name <> 'exposure'
  AND event_name IN (SELECT event_name FROM metrics)
