import Semantic

/// Measures the contract declares (`measures:` in `index.yml`), compiled from their definition:
/// per arm, or pooled over the arms. The measures the planner reads from stored columns
/// (conversion rate, mean per user, exposure rate, converters) keep their native shapes.
extension RulePlanner {
    static let nativeMeasures: Set<String> = ["conversion_rate", "mean_per_user", "exposure_rate", "converters"]

    static func declaredOnly(_ measure: MeasureDefinition) -> Bool {
        !nativeMeasures.contains(measure.id) && measure.asset == "agg_experiment_metric_by_variant"
    }

    static func measureSQL(_ measure: MeasureDefinition, entities: Entities) -> String {
        let experiment = entities.experiments.first
        let id = literal(experiment?.id ?? "")
        let metric = literal(entities.metric?.id ?? experiment?.primaryMetric ?? "conversion_7d")
        let mode = literal(entities.mode)
        // "Higher in treatment than in control": both arms.
        let control = experiment?.variants.first(where: \.isControl)?.id ?? "control"
        let variant = entities.variant.map { entities.withControl && $0 != control ? " AND variation_id IN (\(literal($0)), \(literal(control)))" : " AND variation_id = \(literal($0))" } ?? ""
        if entities.pooled || entities.total, let pooled = measure.pooled {
            return """
                SELECT metric_id, analysis_mode, sum(n_users) AS n_users, \(pooled) AS \(measure.id) FROM \(measure.asset) \
                WHERE experiment_id = \(id) AND metric_id = \(metric) AND analysis_mode = \(mode)\(variant) GROUP BY metric_id, analysis_mode
                """
        }
        return """
            SELECT variation_id, metric_id, analysis_mode, n_users, \(measure.expression) AS \(measure.id) FROM \(measure.asset) \
            WHERE experiment_id = \(id) AND metric_id = \(metric) AND analysis_mode = \(mode)\(variant) ORDER BY variation_id
            """
    }
}
