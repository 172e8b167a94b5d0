-- grain: experiment_id, metric_id, variation_id, analysis_mode
-- depends_on: int_experiment_analysis_input
-- incremental: partition experiment_id
-- compute: experiment_results
-- description: Each variation against its experiment's control, per metric and analysis mode, from the one
--   statistics engine (docs/stats.md) — the same numbers `readout analyze`, the memo and the HTTP results
--   show. The decision test is the relative lift with the delta method (Welch t): uplift_rel is its
--   estimate (CUPED-adjusted when a pre-experiment covariate exists), rel_p_value its p-value,
--   adjusted_p_value that p corrected across the experiment's treatment arms, rel_ci_low/rel_ci_high its
--   interval, and is_significant = adjusted_p_value < alpha, which holds exactly when the interval
--   excludes 0. uplift_abs, p_value_two_sided, ci_low and ci_high are the absolute test (pooled
--   two-proportion z-test for binary metrics, Welch for continuous ones), for reference. Control rows
--   carry NULL comparison columns. Only cells with units appear.
-- The SELECT below gathers each experiment's inputs; the `experiment_results` computation
-- (Sources/Decision/AnalysisComputations.swift) runs the engine over them.
SELECT *
FROM int_experiment_analysis_input
ORDER BY experiment_id, analysis_mode, metric_id, is_control DESC, variation_id
