/// What a "how many …" question counts: the noun after "how many", "number of" or "count of".
/// A count question is answered with the count — one row — never with the list it counts.
enum CountedThing: String {
    case days, experiments, arms, metrics
    /// Users, units, people, conversions: sums of the per-arm sizes, not rows to count.
    case users

    /// The counted noun of a question, or nil when it does not ask "how many" of a known thing.
    static func parse(_ words: [String]) -> CountedThing? {
        var starts: [Int] = []
        for index in words.indices.dropLast() {
            let pair = (words[index], words[index + 1])
            if pair == ("how", "many") || pair == ("number", "of") || pair == ("count", "of") || pair == ("count", "the") { starts.append(index + 2) }
        }
        if words.first == "count" { starts.append(1) }
        // "experiment count by status": the noun before "count".
        for index in words.indices.dropFirst() where ["count", "counts"].contains(words[index]) {
            if let thing = nouns[words[index - 1]] { return thing }
        }
        for start in starts {
            // "how many of team-growth's experiments": the noun may follow an owner (written as several words).
            for word in words[min(start, words.count)...].prefix(6) {
                if let thing = nouns[word] { return thing }
            }
        }
        // "experiments by status, counts": the first thing named, when counts are asked for at all.
        if starts.isEmpty, words.contains(where: { ["counts", "tally"].contains($0) }) {
            return words.lazy.compactMap { nouns[$0] }.first
        }
        return nil
    }

    static let nouns: [String: CountedThing] = [
        "day": .days, "days": .days, "dates": .days,
        "experiment": .experiments, "experiments": .experiments, "tests": .experiments, "exps": .experiments, "experiements": .experiments,
        "arm": .arms, "arms": .arms, "variant": .arms, "variants": .arms, "variations": .arms, "groups": .arms, "treatments": .arms,
        "metric": .metrics, "metrics": .metrics, "kpis": .metrics, "guardrails": .metrics,
        "user": .users, "users": .users, "units": .users, "people": .users, "participants": .users, "visitors": .users,
        "customers": .users, "conversions": .users, "converters": .users, "exposures": .users, "assignments": .users, "sample": .users,
        "buyers": .users, "purchasers": .users, "payers": .users, "spenders": .users, "subscribers": .users,
    ]
}

extension RulePlanner {
    /// What a count counted, in words ("days of exp_signup_flow with exposure_rate < 0.5").
    static func countDescription(_ thing: CountedThing, intent: IntentID, entities: Entities, words: [String]) -> String? {
        let experiment = entities.experiments.first?.id
        var filters: [String] = []
        if let status = entities.status { filters.append("status \(status)") }
        if let owner = entities.owner { filters.append("owned by \(owner)") }
        if let from = entities.dates?.from { filters.append("from \(from)") }
        if let to = entities.dates?.to { filters.append("to \(to)") }
        let scope = filters.isEmpty ? "" : " (\(filters.joined(separator: ", ")))"
        switch thing {
        case .days:
            let threshold = entities.daily.threshold.map { " with \(entities.daily.measure.rawValue) \($0.0) \($0.1)" } ?? ""
            return "days of \(experiment ?? "every experiment")\(threshold)\(scope)"
        case .arms:
            if let experiment { return "arms of \(experiment)" }
            if entities.groupBy == "experiment_id" { return "arms of each experiment, control included" }
            return "treatment arms \(entities.slice.map { "that are \($0)" } ?? "") on the primary metric\(scope)"
        case .metrics:
            return experiment.map { "metrics analysed for \($0)" } ?? "metrics in the catalogue\(entities.mentionsGuardrails ? " that are guardrails" : "")"
        case .experiments:
            switch intent {
            case .verdict: return "experiments \(words.contains("hold") ? "on hold" : entities.slice.map { "with verdict \($0)" } ?? "with a verdict")\(scope)"
            case .significantExperiments: return "experiments \(entities.slice ?? "significant") on the primary metric\(scope)"
            case .health: return "experiments by health and sample-ratio check\(entities.asksForFailures ? " (failing)" : "")\(scope)"
            case .guardrails: return "experiments with a failing guardrail\(scope)"
            default: return nil
            }
        case .users:
            return nil
        }
    }

    /// The count a "how many days / experiments" question asks for, counted over the rows the
    /// question's own reading selects; nil when that reading does not list the counted thing.
    static func countSQL(_ thing: CountedThing, intent: IntentID, entities: Entities, words: [String], listing sql: String) -> String? {
        switch thing {
        case .days where intent == .exposureQuality && entities.daily.aggregates.isEmpty && entities.daily.descending == nil:
            if entities.groupBy == "experiment_id", entities.experiments.isEmpty {
                // "Count days with pre-assignment exposures, per experiment": each experiment's days.
                if sql.contains("count(*) AS days") { return sql }
                return "SELECT experiment_id, count(*) AS days FROM (\(sql)) GROUP BY experiment_id ORDER BY experiment_id"
            }
            // Experiments' days counted together: "how many days was exposure below 50%" across experiments counts experiment-days.
            return "SELECT count(*) AS days FROM (\(sql))"
        case .experiments where [.significantExperiments, .verdict, .health, .guardrails, .exposureQuality].contains(intent)
            && entities.experiments.isEmpty && sql.contains("experiment_id"):
            if let group = entities.groupBy, ["owner", "status"].contains(group) {
                // "Number of significant experiments per team": the list's experiments counted per owner.
                return "SELECT e.\(group), count(DISTINCT s.experiment_id) AS experiments FROM (\(sql)) AS s "
                    + "JOIN experiments AS e ON e.experiment_id = s.experiment_id GROUP BY e.\(group) ORDER BY e.\(group)"
            }
            return "SELECT count(DISTINCT experiment_id) AS experiments FROM (\(sql))"
        case .arms where entities.experiments.isEmpty && entities.groupBy == "experiment_id":
            // "Number of arms per experiment": each experiment's arms, counted.
            let treatmentsOnly = words.contains("treatments") || zip(words, words.dropFirst()).contains { $0 == ("treatment", "arms") }
            let scope = RulePlanner.experimentCondition(entities, column: "experiment_id")
            let conditions = [treatmentsOnly ? "is_control = 0" : nil, scope].compactMap { $0 }
            return "SELECT experiment_id, count(*) AS arms FROM experiment_variants\(conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) GROUP BY experiment_id ORDER BY experiment_id"
        case .arms where entities.experiments.isEmpty && intent == .significantExperiments:
            // "How many treatment arms are significant?": the arms the list keeps, counted.
            return "SELECT count(*) AS arms FROM (\(sql))"
        case .arms where entities.experiments.count == 1 && [.results, .sampleSize, .health, .conversion].contains(intent) && entities.variant == nil:
            // "How many arms does recs model v2 have?" (treatment arms when it says "treatments").
            guard let experiment = entities.experiments.first else { return nil }
            let treatmentsOnly = words.contains("treatments") || zip(words, words.dropFirst()).contains { $0 == ("treatment", "arms") || $0 == ("treatment", "groups") }
            return "SELECT count(*) AS arms FROM experiment_variants WHERE experiment_id = \(literal(experiment.id))\(treatmentsOnly ? " AND is_control = 0" : "")"
        case .metrics where [.metrics, .results, .details].contains(intent) && entities.metric == nil:
            let guardrails = entities.mentionsGuardrails
            if let experiment = entities.experiments.first {
                let significant = !entities.words.isDisjoint(with: ["significant", "significantly", "sig"]) ? " AND is_control = 0 AND is_significant = 1" : ""
                return "SELECT count(DISTINCT metric_id) AS metrics FROM fct_experiment_results WHERE experiment_id = \(literal(experiment.id)) "
                    + "AND analysis_mode = 'itt'\(guardrails ? " AND metric_role = 'guardrail'" : "")\(significant)"
            }
            return "SELECT count(*) AS metrics FROM metrics\(guardrails ? " WHERE is_guardrail = 1" : "")"
        default:
            return nil
        }
    }
}
