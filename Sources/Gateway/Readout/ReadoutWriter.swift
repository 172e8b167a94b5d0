import Semantic
import Foundation
import Planner

/// The deterministic readout: a few sentences from the rows (and, for
/// experiment results, the stats engine). It never states a number that is not
/// in, or computed from, the rows it was given.
enum ReadoutWriter {
    static func write(_ answer: Answer, entities: [String: String]) -> String {
        let rows = Rows(columns: answer.columns, rows: answer.rows)
        var text: String
        if rows.isEmpty {
            if let threshold = entities["daily_threshold"] {
                // "Was exposure ever below 90%?": no day crossed it.
                text = "No " + noDayPhrase(threshold, entities: entities, experiment: entities["experiment"]).text + "."
            } else if let experiment = entities["experiment"], entities["from"] != nil || entities["to"] != nil {
                let range = [entities["from"].map { "from \($0)" }, entities["to"].map { "to \($0)" }].compactMap { $0 }.joined(separator: " ")
                text = "No rows for \(experiment) \(range): it has no daily figures in those days (it may have ended before, or started after)."
            } else if let experiment = entities["experiment"] {
                text = "No rows for \(experiment) (\(ExperimentReadout.mode(entities))): it may not have started, or has no data for this question yet."
            } else if answer.intent == IntentID.significantExperiments.rawValue, entities["ranking"] == nil {
                text = ExperimentReadout.significance(rows, slice: entities["slice"] ?? "significant", metric: entities["metric"] ?? (entities["metric_role"] == "secondary" ? "a secondary metric" : nil))
            } else {
                text = "No rows matched." + (answer.intent == IntentID.listExperiments.rawValue ? " No experiments match those filters." : "")
                    + (answer.intent == IntentID.guardrails.rawValue ? " No experiment has a guardrail that worsened significantly." : "")
                    + (answer.intent == IntentID.health.rawValue ? " No experiment fails its sample-ratio check." : "")
            }
        } else if rows.columns.contains("crosses_threshold"), rows.int(0, "crosses_threshold") == 0, let threshold = entities["daily_threshold"] {
            // "Did any day dip below 94%?" — none did: the closest day is the evidence.
            let measure = entities["daily_measure"] ?? "exposure_rate"
            let show: (Double) -> String = { measure.hasSuffix("rate") ? ReadoutFormat.percent($0, digits: 2) : ReadoutFormat.number($0) }
            let (phrase, below) = noDayPhrase(threshold, entities: entities, experiment: rows.text(0, "experiment_id"))
            // (The yes/no prefix, "No —", comes first.)
            text = "no \(phrase); the \(below ? "lowest" : "highest") was \(rows.double(0, measure).map(show) ?? "n/a") on \(rows.text(0, "date_day"))."
        } else if entities["aggregate"] != nil, let aggregate = AggregateReadout.write(rows, entities: entities) {
            text = aggregate
        } else if entities["which_of"] != nil, let which = WhichOfTwoReadout.write(rows, entities: entities) {
            text = which
        } else if let thing = entities["count"] ?? (rows.columns.count == 2 && rows.columns[1] == "experiments" && !["sum_", "avg_", "min_", "max_"].contains(where: rows.columns[0].hasPrefix) ? "experiments" : nil),
                  let text = countReadout(rows, thing: thing, of: entities["count_of"]) {
            // "How many days / experiments / arms / metrics": the count first, then what was counted.
            return answer.truncated ? text + " (Only the first \(rows.count) rows were returned; the row cap stopped the query.)" : text
        } else {
            switch answer.intent.flatMap(IntentID.init(rawValue:)) {
            case .results: text = ExperimentReadout.results(rows, entities: entities)
            case .conversion where entities["measure_compiled"] != nil && entities["measure"].map(rows.columns.contains) == true:
                // A measure the contract declares: its value per arm (or pooled), as computed.
                let column = entities["measure"] ?? ""
                let parts = (0..<rows.count).map { row in
                    "\(rows.string(row, "variation_id") ?? "all arms"): \(rows.double(row, column).map(ReadoutFormat.number) ?? "n/a") (\(rows.text(row, "n_users")) users)"
                }
                text = "\((entities["measure_name"] ?? column.replacingOccurrences(of: "_", with: " ")).capitalizedFirst) in \(entities["experiment"] ?? "the experiment") on \(rows.text(0, "metric_id")) (\(ExperimentReadout.mode(entities))): \(ReadoutFormat.list(parts))."
            case .conversion where rows.byExperiment != nil && entities["experiment"] != nil:
                // Two experiments side by side: each one's arms.
                text = perExperiment(rows, entities) { ExperimentReadout.conversion($0, entities: $1) }
            case .conversion where rows.columns.contains(where: { $0.hasPrefix("pooled_") }):
                // "Pooled conversion rate across both arms": one figure over every arm's users.
                let column = rows.columns.first { $0.hasPrefix("pooled_") } ?? "pooled_conversion_rate"
                let value = rows.double(0, column).map { column == "pooled_conversion_rate" ? ReadoutFormat.percent($0) : "\(ReadoutFormat.number($0)) per user" } ?? "n/a"
                if let experiments = rows.int(0, "experiments") {
                    // Every arm of every experiment in scope, together.
                    text = "\(entities["metric"] ?? "The primary metric") over \(experiments) experiment\(experiments == 1 ? "" : "s")\(entities["status"].map { " (\($0))" } ?? "") "
                        + "(\(ExperimentReadout.mode(entities))), every arm pooled: \(value) over \(rows.int(0, "n_users").map(ReadoutFormat.count) ?? "n/a") users."
                } else {
                    text = "\(rows.text(0, "metric_id")) in \(entities["experiment"] ?? "the experiment") (\(ExperimentReadout.mode(entities))), every arm pooled: \(value) over \(rows.int(0, "n_users").map(ReadoutFormat.count) ?? "n/a") users."
                }
            case .conversion where rows.columns.contains("difference") && rows.count == 1:
                // Two treatment arms' values and how far apart they are (not a lift: each lift is against control).
                let continuous = rows.string(0, "metric_kind") == "continuous"
                let show: (Double) -> String = continuous ? { ReadoutFormat.number($0) } : { ReadoutFormat.percent($0, digits: 2) }
                text = "In \(rows.text(0, "experiment_id")) (\(ExperimentReadout.mode(entities))) on \(rows.text(0, "metric_id")), \(rows.text(0, "first_arm")) has "
                    + "\(rows.double(0, "first_value").map(show) ?? "n/a") and \(rows.text(0, "second_arm")) \(rows.double(0, "second_value").map(show) ?? "n/a"): "
                    + "\(rows.double(0, "difference").map { continuous ? ReadoutFormat.number($0) : "\(ReadoutFormat.number(($0 * 10_000).rounded() / 100)) percentage points" } ?? "n/a") apart. That difference is not tested; each arm's lift and p-value are against control."
            case .conversion where entities["ranked_by"].map({ $0.hasSuffix("users") }) == true && rows.columns.contains("n_users"):
                // "Which arm got more traffic?": the arm first, then every arm shown with its users.
                let fewest = entities["ranked_by"] == "fewest users"
                let parts = (0..<rows.count).map { "\(rows.text($0, "variation_id")) \(rows.text($0, "n_users"))" }
                let scope = "In \(entities["experiment"] ?? "the experiment") (\(ExperimentReadout.mode(entities)))"
                text = rows.count == 1
                    ? "\(scope), \(rows.text(0, "variation_id")) has the \(fewest ? "fewest" : "most") users: \(rows.text(0, "n_users"))."
                    : "\(scope), \(rows.text(0, "variation_id")) has \(fewest ? "fewer" : "more") users: \(ReadoutFormat.list(parts))."
            case .conversion: text = ExperimentReadout.conversion(rows, entities: entities)
            case .sampleSize where rows.columns.contains("exposed_units") && rows.columns.contains("assigned_units") && rows.count == 1:
                // "How many units were exposed in free shipping in total?": the daily table's totals over the whole run.
                let exposed = rows.int(0, "exposed_units") ?? 0, assigned = rows.int(0, "assigned_units") ?? 0
                let share = assigned > 0 ? " (\(ReadoutFormat.percent(Double(exposed) / Double(assigned), digits: 1)))" : ""
                text = "\(rows.text(0, "experiment_id")): \(ReadoutFormat.count(exposed)) units exposed of \(ReadoutFormat.count(assigned)) assigned\(share), over every day of the run (units with any exposure)."
            case .sampleSize where rows.columns == ["users"] || rows.columns == ["converted_users"]
                || (rows.columns.first == "experiment_id" && rows.count <= 1 && ["users", "converted_users"].contains(rows.columns.last ?? "")):
                let scope = entities["experiment"] ?? (entities["status"].map { $0.hasPrefix("not ") ? "Experiments \($0)" : "The \($0) experiments" } ?? "All experiments")
                let arm = entities["variant"].map { " in \($0)" } ?? (entities["arms"] == "treatment" ? " in their treatment arms" : "")
                let converted = rows.columns.last == "converted_users"
                if let count = rows.count == 1 ? rows.string(0, rows.columns.last ?? "") : nil {
                    text = "\(scope) \(entities["experiment"] == nil ? "have" : "has") \(count) \(converted ? "converted users" : "users")\(arm) (\(ExperimentReadout.mode(entities)))"
                        + (count == "0" ? ": no data yet, it may not have started." : ".")
                } else {
                    text = "\(scope) has no \(converted ? "converted users" : "users")\(arm) yet (\(ExperimentReadout.mode(entities))): it may not have started."
                }
            case .sampleSize where rows.columns.count == 2 && rows.columns[1] == "users":
                // "Total users per team": one sum per group.
                let group = rows.columns[0]
                let parts = (0..<rows.count).map { "\(rows.string($0, group) ?? "none") \(rows.text($0, "users"))" }
                text = "Users per \(group) (\(ExperimentReadout.mode(entities))): \(ReadoutFormat.list(parts))."
            case .sampleSize where rows.columns.contains("assigned_users"):
                let parts = (0..<rows.count).map { row in
                    "\(rows.string(row, "variation_id").map { "\($0): " } ?? "")\(rows.text(row, "assigned_users")) assigned, \(rows.text(row, "exposed_users")) exposed"
                        + (rows.double(row, "exposed_share").map { " (\(ReadoutFormat.percent($0, digits: 1)))" } ?? "")
                        + (rows.int(row, "not_exposed_users").map { ", \($0) never exposed" } ?? "")
                }
                let scope = entities["experiment"] ?? rows.int(0, "experiments").map { "\($0) experiment\($0 == 1 ? "" : "s")\(entities["status"].map { " (\($0))" } ?? "") together" } ?? "The experiment"
                text = "\(scope): \(ReadoutFormat.list(parts))."
            case .sampleSize where rows.byExperiment != nil:
                text = perExperiment(rows, entities) { ExperimentReadout.sampleRatio($0, entities: $1, health: false) }
            case .sampleSize: text = ExperimentReadout.sampleRatio(rows, entities: entities, health: false)
            case .health where entities["experiment"] == nil:
                let checks = (0..<rows.count).map { row in
                    "\(rows.text(row, "experiment_id")) (SRM \(rows.string(row, "srm_status") ?? "not checked yet")\(rows.double(row, "srm_p_value").map { ", " + ReadoutFormat.p($0) } ?? ""); health \(rows.text(row, "health_status")))"
                }
                text = "Sample-ratio checks and health (\(ExperimentReadout.mode(entities))): \(ReadoutFormat.list(checks)). SRM 'blocked' means the split does not match the allocation."
            case .health: text = ExperimentReadout.health(rows, entities: entities)
            case .exposureQuality: text = ExperimentReadout.daily(rows, entities: entities)
            case .guardrails where rows.columns.contains("guardrails_status"):
                let failing = (0..<rows.count).allSatisfy { rows.string($0, "guardrails_status") == "failing" }
                let names = (0..<rows.count).map { "\(rows.text($0, "experiment_id")) (\(failing ? "" : rows.text($0, "guardrails_status") + ", ")\(rows.text($0, "verdict")))" }
                text = failing ? "Experiments with a guardrail that worsened significantly: \(ReadoutFormat.list(names))."
                    : "Guardrails by experiment (\(ExperimentReadout.mode(entities))): \(ReadoutFormat.list(names))."
            case .guardrails where rows.columns.first == "experiment_id":
                let parts = (0..<rows.count).map { "\(rows.text($0, "experiment_id")) \(rows.text($0, "variation_id")) \(rows.text($0, "guardrail_status"))" }
                text = "\(entities["metric"] ?? "Guardrail") status (\(ExperimentReadout.mode(entities))): \(ReadoutFormat.list(parts))."
            case .guardrails: text = ExperimentReadout.guardrails(rows, entities: entities)
            case .details where rows.columns.contains("allocation"):
                let parts = (0..<rows.count).map { row in
                    "\(rows.text(row, "variation_id")) (\(rows.text(row, "name")), \(rows.double(row, "allocation").map { ReadoutFormat.percent($0, digits: 0) } ?? "n/a") of traffic\(rows.int(row, "is_control") == 1 ? ", control" : ""))"
                }
                text = "\(entities["experiment"] ?? "The experiment") has \(rows.count) arm\(rows.count == 1 ? "" : "s"): \(ReadoutFormat.list(parts))."
            case .details: text = CatalogReadout.details(rows)
            case .compare: text = ExperimentReadout.compare(rows)
            case .listExperiments where rows.columns == ["experiments"]:
                let filters = [entities["status"].map { "status \($0)" }, entities["owner"].map { "owned by \($0)" }].compactMap { $0 }
                text = "\(rows.text(0, "experiments")) experiments\(filters.isEmpty ? "" : " (\(filters.joined(separator: ", ")))")."
            case .listExperiments where rows.columns.count == 2 && rows.columns[1] == "experiments":
                // "How many experiments per team?": one count per group.
                let group = rows.columns[0]
                let parts = (0..<rows.count).map { "\(rows.string($0, group) ?? "none") \(rows.text($0, "experiments"))" }
                let filters = [entities["status"].map { "status \($0)" }, entities["owner"].map { "owned by \($0)" }].compactMap { $0 }
                text = "Experiments per \(group == "owner" ? "owner" : group)\(filters.isEmpty ? "" : " (\(filters.joined(separator: ", ")))"): \(ReadoutFormat.list(parts))."
            case .listExperiments: text = CatalogReadout.experiments(rows)
            case .significantExperiments where entities["ranking"] != nil: text = ExperimentReadout.ranking(rows, entities: entities)
            case .significantExperiments: text = ExperimentReadout.significance(rows, slice: entities["slice"] ?? "significant", metric: entities["metric"] ?? (entities["metric_role"] == "secondary" ? "a secondary metric" : nil))
            case .metrics: text = CatalogReadout.metrics(rows)
            case .assets: text = CatalogReadout.assets(rows)
            case .verdict where rows.columns.contains("decision_test") && !rows.columns.contains("verdict"):
                // The settings the verdicts record.
                let parts = (0..<rows.count).map { row in
                    "\(rows.string(row, "experiment_id").map { "\($0): " } ?? "")α = \(rows.text(row, "alpha")), decision test \(rows.text(row, "decision_test")), "
                        + "multiple-comparison correction \(rows.text(row, "correction"))\(rows.int(row, "experiments").map { " (\($0) experiment\($0 == 1 ? "" : "s"))" } ?? "")"
                }
                text = "Analysis settings (\(ExperimentReadout.mode(entities))): \(ReadoutFormat.list(parts))."
            case .verdict where rows.columns.first == "owner":
                let parts = (0..<rows.count).map { "\(rows.text($0, "owner")) (\(rows.text($0, "experiment_ids")))" }
                text = parts.isEmpty ? "No team has such an experiment (\(ExperimentReadout.mode(entities)))."
                    : "\(rows.count) team\(rows.count == 1 ? "" : "s") (\(ExperimentReadout.mode(entities))): \(ReadoutFormat.list(parts))."
            case .verdict: text = ExperimentReadout.verdicts(rows, entities: entities)
            case .power where rows.columns.first == "experiment_id" && !rows.columns.contains("smallest_arm_users") && !rows.columns.contains("baseline_rate"):
                // Every experiment's power check.
                let parts = (0..<rows.count).map { row in
                    "\(rows.text(row, "experiment_id")) " + (rows.double(row, "achieved_power").map {
                        "\(ReadoutFormat.percent($0, digits: 0)) (needs \(rows.int(row, "required_users_per_arm").map(ReadoutFormat.count) ?? "n/a") per arm)"
                    } ?? "no power yet (no data)")
                }
                text = "Achieved power (\(ExperimentReadout.mode(entities))): \(ReadoutFormat.list(parts))."
            case .power where rows.columns.first == "variation_id":
                let parts = (0..<rows.count).map { row in
                    "\(rows.text(row, "variation_id")) \(rows.int(row, "more_users").map { $0 > 0 ? "\(ReadoutFormat.count($0)) more" : "none more" } ?? "n/a") (has \(rows.text(row, "n_users")))"
                }
                text = "\(entities["experiment"] ?? "The experiment") needs \(rows.text(0, "required_users_per_arm")) users per arm for the configured minimum detectable effect at the target power: \(ReadoutFormat.list(parts))."
            case .power where rows.count > 1 && rows.columns.contains("analysis_mode") && rows.columns.contains("smallest_arm_users"):
                // ITT beside exposed: the power check in each population.
                let parts = (0..<rows.count).map { row in
                    let population = rows.string(row, "analysis_mode") == "exposed" ? "exposed" : "ITT"
                    let power = rows.double(row, "achieved_power").map { ReadoutFormat.percent($0, digits: 0) } ?? "not computed"
                    return "\(population) \(power) power (smallest arm \(rows.text(row, "smallest_arm_users")) users, \(rows.text(row, "required_users_per_arm")) needed per arm)"
                }
                text = "\(rows.text(0, "experiment_id")): \(ReadoutFormat.list(parts))."
            case .power:
                let power = rows.double(0, "achieved_power").map { ReadoutFormat.percent($0, digits: 0) } ?? "not computed"
                let needed = rows.string(0, "required_users_per_arm") ?? rows.int(0, "required_users_per_arm").map(String.init) ?? "an unknown number of"
                text = "\(rows.text(0, "experiment_id")) has \(power) power now (its smallest arm has \(rows.text(0, "smallest_arm_users")) users); the configured minimum detectable effect needs \(needed) users per arm for the target power"
                if let more = rows.int(0, "more_users_per_arm") {
                    text += more > 0 ? ", \(ReadoutFormat.count(more)) more per arm than its smallest arm has." : ", which it already has."
                } else {
                    text += "."
                }
            case nil: text = generic(rows)
            }
        }
        // "How wide is the CI on the lift?": the width first (the rows carry it), for each arm.
        if answer.intent == IntentID.results.rawValue, !Set(QuestionText(answer.question).words).isDisjoint(with: ["wide", "width", "wider", "narrow"]) {
            let widths = (0..<rows.count).compactMap { index -> String? in
                guard let width = rows.double(index, "rel_ci_width"), let low = rows.double(index, "rel_ci_low"), let high = rows.double(index, "rel_ci_high") else { return nil }
                let arm = rows.count > 1 ? "\(rows.text(index, "variation_id")) (\(rows.text(index, "metric_id"))): " : ""
                return "\(arm)\(ReadoutFormat.points(width)) points wide (\(ReadoutFormat.signedPercent(low)) to \(ReadoutFormat.signedPercent(high)))"
            }
            if !widths.isEmpty { text = "The confidence interval on the relative lift is " + widths.joined(separator: "; ") + ". " + text }
        }
        // "Pricing page — status and what's the call?": the status beside the verdict.
        if answer.intent == IntentID.verdict.rawValue, rows.count == 1, let status = rows.string(0, "status"),
           QuestionText(answer.question).words.contains("status"), !text.contains("status") {
            text = "\(rows.text(0, "experiment_id")) is \(status == "readout" || status == "review" ? "in \(status)" : status). " + text
        }
        // "Is X still running?": yes or no first.
        if let yesNo = YesNoReadout.prefix(answer, rows: rows, entities: entities) { text = yesNo + " " + text }
        if answer.truncated { text += " (Only the first \(rows.count) rows were returned; the row cap stopped the query.)" }
        return text
    }

    /// "day of exp_pricing_page had exposure rate below 94.0%": the daily threshold a question set
    /// (`daily_threshold` is "< 0.94"), for saying that no day crossed it; `below` is its direction.
    static func noDayPhrase(_ threshold: String, entities: [String: String], experiment: String?) -> (text: String, below: Bool) {
        let measure = (entities["daily_measure"] ?? "exposure_rate").replacingOccurrences(of: "_", with: " ")
        let bound = threshold.split(separator: " ")
        let limit = bound.count == 2 ? (Double(bound[1]).map { measure.hasSuffix("rate") ? ReadoutFormat.percent($0, digits: 1) : ReadoutFormat.number($0) } ?? String(bound[1])) : threshold
        let below = bound.first == "<"
        return ("day\(experiment.map { " of \($0)" } ?? "") had \(measure) \(below ? "below" : "above") \(limit)", below)
    }

    /// One readout per experiment when the rows span several ("pricing page vs signup flow").
    static func perExperiment(_ rows: Rows, _ entities: [String: String], _ write: (Rows, [String: String]) -> String) -> String {
        (rows.byExperiment ?? []).map { id, part in
            var scoped = entities
            scoped["experiment"] = id
            return write(part, scoped)
        }.joined(separator: " ")
    }

    /// "2 days (daily exposure quality of exp_signup_flow, …)", or one count per group.
    static func countReadout(_ rows: Rows, thing: String, of description: String?) -> String? {
        let scope = description.map { " — counted over: \($0.prefix(1).lowercased() + $0.dropFirst())" } ?? ""
        if rows.count == 1, rows.columns.count == 1 {
            let n = rows.int(0, rows.columns[0]) ?? 0
            return "\(n) \(n == 1 ? String(thing.dropLast()) : thing)\(scope)."
        }
        if rows.columns.count == 2, rows.columns[1] == thing {
            let group = rows.columns[0]
            let parts = (0..<rows.count).map { "\(rows.string($0, group) ?? "none") \(rows.text($0, thing))" }
            return "\(thing.prefix(1).uppercased() + thing.dropFirst()) per \(group)\(scope): \(ReadoutFormat.list(parts))."
        }
        return nil
    }

    static func generic(_ rows: Rows) -> String {
        if rows.count == 1, rows.columns.count == 1 {
            return "\(rows.columns[0]): \(rows.text(0, rows.columns[0]))."
        }
        let first = rows.columns.prefix(4).map { "\($0) \(rows.text(0, $0))" }.joined(separator: ", ")
        return "\(rows.count) row\(rows.count == 1 ? "" : "s") with \(rows.columns.count) column\(rows.columns.count == 1 ? "" : "s") (\(rows.columns.joined(separator: ", "))). First: \(first)."
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

/// Column-name access to an answer's rows.
struct Rows {
    let columns: [String]
    let rows: [[Cell]]
    private let index: [String: Int]

    init(columns: [String], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
        self.index = Dictionary(columns.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    var isEmpty: Bool { rows.isEmpty }

    /// The rows of each experiment, in order of appearance, when they span several.
    var byExperiment: [(String, Rows)]? {
        guard index["experiment_id"] != nil else { return nil }
        var order: [String] = []
        var groups: [String: [[Cell]]] = [:]
        for row in 0..<rows.count {
            let id = string(row, "experiment_id") ?? ""
            if groups[id] == nil { order.append(id) }
            groups[id, default: []].append(rows[row])
        }
        guard order.count > 1 else { return nil }
        return order.map { ($0, Rows(columns: columns, rows: groups[$0] ?? [])) }
    }
    var count: Int { rows.count }

    func cell(_ row: Int, _ column: String) -> Cell {
        guard let position = index[column], row < rows.count, position < rows[row].count else { return .null }
        return rows[row][position]
    }

    func double(_ row: Int, _ column: String) -> Double? { cell(row, column).double }
    func int(_ row: Int, _ column: String) -> Int? { cell(row, column).double.map { Int($0) } }
    func string(_ row: Int, _ column: String) -> String? { cell(row, column).string }
    func text(_ row: Int, _ column: String) -> String {
        switch cell(row, column) {
        case .null: "NULL"
        case .real(let x): ReadoutFormat.number(x)
        case .integer(let n): String(n)
        case .text(let t): t
        }
    }
}
