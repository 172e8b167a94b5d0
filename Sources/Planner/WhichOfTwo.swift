import Foundation
import Semantic

/// "Which has more users, signup flow or onboarding email?", "which is bigger, the lift in checkout
/// button or in free shipping?": the named experiments ordered on the measure asked, the one that
/// answers (LIMIT 1: a "which" question is answered with the one it asks for). The measure is the users assigned, a p-value, an arm's conversion rate or
/// (by default) the relative lift on the primary metric.
enum WhichOfTwo {
    /// The comparative the question orders by ("more", "bigger", "better"), when it asks which of two or more named experiments.
    static func comparative(_ words: [String], entities: Entities) -> String? {
        guard entities.experiments.count >= 2, words.contains("which") else { return nil }
        return words.first { ["higher", "lower", "bigger", "smaller", "better", "worse", "more", "less", "larger", "fewer"].contains($0) }
    }

    static func sql(_ words: [String], entities: Entities) -> String {
        let set = Set(words)
        let ids = entities.experiments.map { RulePlanner.literal($0.id) }.joined(separator: ", ")
        let mode = RulePlanner.literal(entities.mode)
        let up = !set.isDisjoint(with: ["higher", "bigger", "more", "larger", "better"])
        if !set.isDisjoint(with: ["users", "units", "traffic", "sample", "participants", "people", "assigned", "enrolled"]), set.isDisjoint(with: ["rate", "lift", "conversion"]) {
            return """
                SELECT a.experiment_id, sum(a.n_users) AS n_users FROM agg_experiment_metric_by_variant AS a \
                JOIN experiments AS e ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id \
                WHERE a.analysis_mode = \(mode) AND a.experiment_id IN (\(ids)) GROUP BY a.experiment_id ORDER BY n_users \(up ? "DESC" : "ASC") LIMIT 1
                """
        }
        let metric = entities.metric.map { "r.metric_id = \(RulePlanner.literal($0.id))" } ?? "r.metric_role = 'primary'"
        let column: String
        var descending = up
        var arm = "r.is_control = 0"
        if set.contains("p-value") || set.contains("pvalue") || (set.contains("p") && set.contains("value")) {
            column = "rel_p_value"
            // The "better" p-value is the smaller.
            if set.contains("better") { descending = false } else if set.contains("worse") { descending = true }
        } else if set.isDisjoint(with: ["lift", "lifts", "uplift", "effect", "impact"]),
                  !set.isDisjoint(with: ["rate", "cvr", "mean", "arpu", "average", "avg"]) || (entities.metric != nil && set.contains("conversion"))
                    // "Revenue per user in free shipping's treatment vs checkout's": the value per user, not the lift.
                    || (entities.metric?.kind == "continuous" && zip(words, words.dropFirst()).contains { $0.0 == "per" && ["user", "users", "person", "visitor"].contains($0.1) }) {
            column = entities.metric?.kind == "continuous" ? "mean_value" : "conversion_rate"
            if set.contains("control") && !set.contains("treatment") { arm = "r.is_control = 1" }
        } else {
            column = set.contains("absolute") ? "uplift_abs" : "uplift_rel"
        }
        return """
            SELECT r.experiment_id, r.variation_id, r.metric_id, r.\(column) FROM fct_experiment_results AS r \
            WHERE r.experiment_id IN (\(ids)) AND \(metric) AND r.analysis_mode = \(mode) AND \(arm) AND r.\(column) IS NOT NULL \
            ORDER BY r.\(column) \(descending ? "DESC" : "ASC"), r.experiment_id, r.variation_id LIMIT 1
            """
    }
}
