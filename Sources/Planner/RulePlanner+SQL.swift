import Foundation
import Governance

/// The SQL shapes the rule planner fills, one per intent. All read governed
/// assets only and go through the guard like any other SQL.
extension RulePlanner {
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func sql(intent: String, entities: Entities) -> String {
        let experiment = entities.experiments.first
        let id = literal(experiment?.id ?? "")
        let metric = literal(entities.metric?.id ?? experiment?.primaryMetric ?? "conversion_7d")
        let mode = literal(entities.mode)
        switch intent {
        case "results":
            return """
                SELECT a.variation_id, v.is_control, v.allocation, m.kind, a.n_users, a.n_converted, a.value_sum, a.value_sum_sq \
                FROM agg_experiment_metric_by_variant AS a \
                JOIN experiment_variants AS v ON v.experiment_id = a.experiment_id AND v.variation_id = a.variation_id \
                JOIN metrics AS m ON m.metric_id = a.metric_id \
                WHERE a.experiment_id = \(id) AND a.metric_id = \(metric) AND a.analysis_mode = \(mode) \
                ORDER BY v.is_control DESC, a.variation_id
                """
        case "conversion":
            let binary = entities.metric.map { $0.kind == "binary" ? literal($0.id) : "'conversion_7d'" } ?? "'conversion_7d'"
            return """
                SELECT variation_id, n_users, n_converted, conversion_rate FROM agg_experiment_metric_by_variant \
                WHERE experiment_id = \(id) AND metric_id = \(binary) AND analysis_mode = \(mode) ORDER BY variation_id
                """
        case "sample_size", "health":
            return """
                SELECT a.variation_id, v.allocation, a.n_users FROM agg_experiment_metric_by_variant AS a \
                JOIN experiment_variants AS v ON v.experiment_id = a.experiment_id AND v.variation_id = a.variation_id \
                WHERE a.experiment_id = \(id) AND a.metric_id = \(literal(experiment?.primaryMetric ?? "conversion_7d")) AND a.analysis_mode = \(mode) \
                ORDER BY a.variation_id
                """
        case "exposure_quality":
            var conditions = ["experiment_id = \(id)"]
            if let since = entities.since { conditions.append("date_day >= \(since)") }
            if let day = entities.onDay { conditions.append("date_day = \(day)") }
            return """
                SELECT date_day, assigned_units, exposed_units, exposure_rate, valid_exposure_rate, mismatch_rate \
                FROM fct_experiment_exposure_quality_daily WHERE \(conditions.joined(separator: " AND ")) ORDER BY date_day
                """
        case "guardrails":
            return """
                SELECT r.metric_id, m.name, m.higher_is_better, r.variation_id, r.uplift_rel, r.p_value_two_sided \
                FROM fct_experiment_results AS r JOIN metrics AS m ON m.metric_id = r.metric_id \
                WHERE r.experiment_id = \(id) AND r.analysis_mode = \(mode) AND m.is_guardrail = 1 AND r.is_control = 0 \
                ORDER BY r.metric_id, r.variation_id
                """
        case "details":
            return """
                SELECT experiment_id, name, hypothesis, primary_metric_id, status, owner, started_at, ended_at \
                FROM experiments WHERE experiment_id = \(id)
                """
        case "compare":
            let ids = entities.experiments.prefix(2).map { literal($0.id) }.joined(separator: ", ")
            return """
                SELECT r.experiment_id, r.variation_id, r.metric_id, r.uplift_rel, r.p_value_two_sided \
                FROM fct_experiment_results AS r JOIN experiments AS e ON e.experiment_id = r.experiment_id AND e.primary_metric_id = r.metric_id \
                WHERE r.experiment_id IN (\(ids)) AND r.analysis_mode = \(mode) AND r.is_control = 0 \
                ORDER BY r.experiment_id, r.variation_id
                """
        case "list_experiments":
            var conditions: [String] = []
            if let status = entities.status { conditions.append("status = \(literal(status))") }
            if let owner = entities.owner { conditions.append("owner = \(literal(owner))") }
            if let since = entities.since { conditions.append("started_at >= \(since)") }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return "SELECT experiment_id, name, status, owner, started_at FROM experiments\(filter) ORDER BY experiment_id"
        case "significant_experiments":
            return """
                SELECT r.experiment_id, r.variation_id, r.uplift_rel, r.p_value_two_sided, r.n_users, m.higher_is_better, \
                c.conversion_rate AS control_rate, c.n_users AS control_users, m.kind \
                FROM fct_experiment_results AS r \
                JOIN experiments AS e ON e.experiment_id = r.experiment_id AND e.primary_metric_id = r.metric_id \
                JOIN metrics AS m ON m.metric_id = r.metric_id \
                JOIN fct_experiment_results AS c ON c.experiment_id = r.experiment_id AND c.metric_id = r.metric_id \
                AND c.analysis_mode = r.analysis_mode AND c.is_control = 1 \
                WHERE r.analysis_mode = \(mode) AND r.is_control = 0\(significanceFilter(entities.slice)) ORDER BY r.experiment_id, r.variation_id
                """
        case "metrics":
            return "SELECT metric_id, name, kind, higher_is_better, is_guardrail FROM metrics ORDER BY metric_id"
        default:
            return "SELECT asset_name, description FROM dim_ai_allowed_assets ORDER BY asset_name"
        }
    }
}

extension RulePlanner {
    /// Which comparisons "which experiments are winning / losing / significant / underpowered" keeps.
    static func significanceFilter(_ slice: String?) -> String {
        let better = "((m.higher_is_better = 1 AND r.uplift_rel > 0) OR (m.higher_is_better = 0 AND r.uplift_rel < 0))"
        switch slice {
        case "winning": return " AND r.p_value_two_sided < 0.05 AND \(better)"
        case "losing": return " AND r.p_value_two_sided < 0.05 AND NOT \(better)"
        case "underpowered": return " AND r.p_value_two_sided >= 0.05"
        default: return " AND r.p_value_two_sided < 0.05"
        }
    }
}
