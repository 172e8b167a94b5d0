import Foundation
import Semantic

/// "Average lift across running experiments", "average lift by owner", "mean achieved power per status":
/// one aggregate of a results measure over the experiments' primary-metric comparisons (each treatment
/// arm against its control), overall or per owner or status. The aggregate is the plain mean of the
/// comparisons, and the readout says over how many it was taken.
struct ResultsAggregate: Equatable {
    /// The results measure averaged: a lift, p-value, chance to beat control or achieved power (the
    /// same measures a ranking orders by).
    typealias Column = RankingQuery.Measure

    var column: Column
    /// "owner" or "status", or nil for one value over all.
    var groupBy: String?
    /// true: the mean per group (or overall); false: every comparison listed with its group.
    var average: Bool
    var consumed: Set<String> = []

    /// nil unless the question aggregates a results measure across experiments (none named).
    static func parse(_ words: [String], entities: Entities) -> ResultsAggregate? {
        guard entities.experiments.isEmpty, entities.ranking == nil else { return nil }
        let set = Set(words)
        let average = !set.isDisjoint(with: ["average", "avg", "mean", "typical"])
        let pairs = Array(zip(words, words.dropFirst()))
        var groupBy: String?
        // "per team", "by owning team", "for each team".
        func grouped(by nouns: Set<String>) -> Bool {
            words.indices.contains { index in
                ["by", "per", "each"].contains(words[index]) && words[(index + 1)...].prefix(2).contains(where: nouns.contains)
            }
        }
        if grouped(by: ["owner", "owners", "team", "teams"]) { groupBy = "owner" }
        if grouped(by: ["status", "statuses", "stage", "state"]) { groupBy = "status" }
        guard average || groupBy != nil else { return nil }
        // A metric's value ("average revenue per user", "mean conversion rate") is not a results measure.
        let namesValue = !set.isDisjoint(with: ["rate", "rates", "cvr", "arpu", "latency", "users", "units"]) || pairs.contains { $0 == ("per", "user") }
        let column: Column
        if !set.isDisjoint(with: ["p-value", "p-values", "pvalue", "pvalues", "p-val", "pval"]) || pairs.contains(where: { $0 == ("p", "value") || $0 == ("p", "values") }) {
            column = .pValue
        } else if set.contains("chance") {
            column = .chance
        } else if !set.isDisjoint(with: ["required", "needed", "need", "needs"]), !set.isDisjoint(with: ["users", "sample", "units"]) {
            column = .requiredUsers
        } else if !set.isDisjoint(with: ["power", "powered"]) {
            column = .power
        } else if !set.isDisjoint(with: ["lift", "lifts", "uplift", "uplifts", "effect", "effects"]) {
            column = set.contains("absolute") ? .absoluteLift : .lift
        } else {
            return nil
        }
        if namesValue, column == .lift || column == .absoluteLift, set.isDisjoint(with: ["lift", "lifts", "uplift", "uplifts"]) { return nil }
        var consumed: Set<String> = ["average", "avg", "mean", "typical", "by", "per", "each", "owner", "owners", "team", "teams", "status", "statuses", "owning", "primary"]
        if column == .requiredUsers { consumed.formUnion(["required", "needed", "need", "needs", "users", "sample", "units", "arm", "size"]) }
        consumed.formIntersection(set)
        return ResultsAggregate(column: column, groupBy: groupBy, average: average, consumed: consumed)
    }

    /// Words an aggregate reads. A question with any other word the planner knows ("the experiments
    /// Readout recommends launching") asks for something the aggregate would drop, so it is not one.
    static let vocabulary: Set<String> = [
        "average", "avg", "mean", "typical", "lift", "lifts", "uplift", "uplifts", "effect", "effects", "relative", "absolute",
        "p-value", "p-values", "pvalue", "pvalues", "p-val", "pval", "p", "value", "values", "chance", "beat", "beating", "control",
        "power", "achieved", "powered", "by", "per", "each", "owner", "owners", "team", "teams", "status", "statuses", "stage", "across",
        "all", "every", "experiments", "experiment", "tests", "test", "comparisons", "treatment", "treatments", "arms", "arm", "exposed",
        "saw", "seen", "itt", "intent", "treat", "users", "who", "actually", "over", "among", "of", "the", "for", "in", "what", "whats",
        "is", "are", "s", "was", "were", "give", "show", "me", "tell", "currently", "current", "now", "owning", "primary",
        "required", "needed", "need", "needs", "sample", "size", "units",
    ]

    /// The question's words this aggregate does not account for (statuses, owners, metrics and the
    /// experiment words the recogniser consumed count as accounted for).
    static func leftover(_ words: [String], entities: Entities, context: PlannerContext) -> [String] {
        var known = vocabulary.union(AccountabilityGate.fillers).union(AccountabilityGate.framing).union(entities.consumed)
        known.formUnion(["running", "live", "active", "ongoing", "shipped", "draft", "killed", "readout", "ended", "finished"])
        for experiment in context.experiments { known.formUnion(QuestionText(experiment.owner).words); known.insert(experiment.status) }
        for metric in context.contract.metrics {
            known.formUnion(QuestionText(metric.id.replacingOccurrences(of: "_", with: " ")).words)
            for synonym in metric.synonyms { known.formUnion(QuestionText(synonym).words) }
        }
        return words.filter { !known.contains($0) && $0.first?.isNumber != true }
    }

    func sql(_ entities: Entities) -> String {
        let mode = RulePlanner.literal(entities.mode)
        let group = groupBy.map { "e.\($0)" }
        if [.power, .requiredUsers].contains(column) {
            // Achieved power (and the users per arm it needs) is one figure per experiment, on its verdict.
            let scope = RulePlanner.experimentScope(entities, column: "x.experiment_id")
            guard average else {
                return """
                    SELECT \(group.map { "\($0), " } ?? "")x.experiment_id, x.\(column.rawValue) FROM fct_experiment_verdicts AS x \
                    JOIN experiments AS e ON e.experiment_id = x.experiment_id WHERE x.analysis_mode = \(mode) AND x.\(column.rawValue) IS NOT NULL\(scope) \
                    ORDER BY \(group.map { "\($0), " } ?? "")x.experiment_id
                    """
            }
            return """
                SELECT \(group.map { "\($0), " } ?? "")avg(x.\(column.rawValue)) AS avg_\(column.rawValue), count(*) AS experiments FROM fct_experiment_verdicts AS x \
                JOIN experiments AS e ON e.experiment_id = x.experiment_id WHERE x.analysis_mode = \(mode) AND x.\(column.rawValue) IS NOT NULL\(scope)\
                \(group.map { " GROUP BY \($0) ORDER BY \($0)" } ?? "")
                """
        }
        let metric = entities.metric.map { "r.metric_id = \(RulePlanner.literal($0.id))" } ?? "r.metric_role = 'primary'"
        let scope = RulePlanner.experimentScope(entities, column: "r.experiment_id")
        let filter = "r.analysis_mode = \(mode) AND r.is_control = 0 AND \(metric) AND \(column.expression) IS NOT NULL\(scope)"
        guard average else {
            return """
                SELECT \(group.map { "\($0), " } ?? "")r.experiment_id, r.variation_id, r.metric_id, \(column.expression) AS \(column.rawValue) FROM fct_experiment_results AS r \
                JOIN experiments AS e ON e.experiment_id = r.experiment_id WHERE \(filter) \
                ORDER BY \(group.map { "\($0), " } ?? "")r.experiment_id, r.variation_id
                """
        }
        return """
            SELECT \(group.map { "\($0), " } ?? "")avg(\(column.expression)) AS avg_\(column.rawValue), count(*) AS comparisons FROM fct_experiment_results AS r \
            JOIN experiments AS e ON e.experiment_id = r.experiment_id WHERE \(filter)\(group.map { " GROUP BY \($0) ORDER BY \($0)" } ?? "")
            """
    }

    /// "the average relative lift per owner over primary-metric comparisons (ITT)".
    func description(_ entities: Entities) -> String {
        let what: String
        switch column {
        case .lift: what = "relative lift"
        case .absoluteLift: what = "absolute lift"
        case .pValue: what = "p-value"
        case .chance: what = "chance to beat control"
        case .power: what = "achieved power"
        case .absolutePValue: what = "absolute p-value"
        case .value: what = "value"
        case .users: what = "users"
        case .srm: what = "sample-ratio p-value"
        case .cuped: what = "CUPED variance reduction"
        case .requiredUsers: what = "users per arm needed"
        case .intervalLow: what = "interval's lower bound"
        case .intervalHigh: what = "interval's upper bound"
        case .intervalWidth: what = "interval's width"
        }
        let over = [.power, .requiredUsers].contains(column) ? "experiments" : "\(entities.metric?.id ?? "primary-metric") comparisons of each treatment arm with control"
        let scope = [entities.status.map { "status \($0)" }, entities.owner.map { "owner \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return "\(average ? "The average " : "Each ")\(what)\(groupBy.map { " per \($0)" } ?? "") over \(over) (\(entities.mode.uppercased())\(scope.isEmpty ? "" : ", \(scope)"))."
    }
}
