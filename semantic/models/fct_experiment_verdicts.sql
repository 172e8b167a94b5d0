-- grain: experiment_id, analysis_mode
-- depends_on: int_experiment_analysis_input
-- incremental: partition experiment_id
-- compute: experiment_verdicts
-- description: One row per experiment and analysis mode: the decision the rules reach on the engine's
--   numbers (verdict Launch, Hold, Hold (underpowered) or Rollback, and the arm it names), the health
--   badge (Healthy, Warning, Blocked), the sample-ratio p-value, the guardrails' state (ok, failing,
--   not_checked when a guardrail has no data, none), the power check and the reasons — exactly what
--   `readout analyze` and the memo say.
-- The SELECT below gathers each experiment's inputs; the `experiment_verdicts` computation
-- (Sources/Decision/AnalysisComputations.swift) runs the analysis over them.
SELECT *
FROM int_experiment_analysis_input
ORDER BY experiment_id, analysis_mode, metric_id, is_control DESC, variation_id
