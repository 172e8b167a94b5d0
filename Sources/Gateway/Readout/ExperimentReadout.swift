import Foundation

/// Readouts about one or more experiments' results. Every statistic they state is
/// a value of the rows (`fct_experiment_results`, `fct_experiment_verdicts`), which the
/// one statistics engine computed at build time: a readout quotes, it never recomputes.
enum ExperimentReadout {
    static func mode(_ entities: [String: String]) -> String { (entities["mode"] ?? "itt") == "exposed" ? "exposed units" : "ITT" }

    static func results(_ rows: Rows, entities: [String: String]) -> String {
        let experiment = entities["experiment"] ?? "the experiment"
        let secondary = entities["metric"] == nil && entities["metric_role"] == "secondary"
        let metric = entities["metric"].map { " on \($0)" } ?? (secondary ? " on its secondary metric" : " on its primary metric")
        var sentences: [String] = []
        for row in 0..<rows.count {
            let variant = rows.string(row, "variation_id") ?? "?"
            let binary = rows.string(row, "metric_kind") == "binary"
            let show: (Double) -> String = binary ? { ReadoutFormat.percent($0) } : { ReadoutFormat.number($0) }
            guard let t = rows.double(row, binary ? "conversion_rate" : "mean_value"),
                  let c = rows.double(row, binary ? "control_conversion_rate" : "control_mean_value") else {
                sentences.append("\(variant) has no units yet.")
                continue
            }
            // Rows of several metrics or populations say which one they are.
            let rowMode = rows.string(row, "analysis_mode").map { $0 == "exposed" ? "exposed units" : "ITT" } ?? mode(entities)
            let rowMetric = secondary ? (rows.string(row, "metric_id").map { " on its secondary metric \($0)" } ?? metric)
                : rows.count > 1 && (entities["metric"] == nil) ? (rows.string(row, "metric_id").map { " on \($0)" } ?? metric) : metric
            var sentence = "In \(experiment) (\(rowMode))\(rowMetric), \(variant) \(binary ? "converts at" : "averages") \(show(t)) vs \(show(c)) for control"
            // "Treatment minus control, in percentage points": the absolute difference leads, with its own interval and test.
            if entities["lift"] == "absolute", let difference = rows.double(row, "uplift_abs"), let low = rows.double(row, "ci_low"), let high = rows.double(row, "ci_high") {
                let unit: (Double) -> String = { value in
                    let shown = binary ? value * 100 : value
                    return (shown >= 0 ? "+" : "") + String(format: abs(shown) >= 100 ? "%.1f" : "%.2f", shown)
                }
                sentence += ": a difference of \(unit(difference))\(binary ? " percentage points" : "") (95% CI \(unit(low)) to \(unit(high)))"
                sentence += rows.double(row, "p_value_two_sided").map { ", \(ReadoutFormat.p($0)) on the absolute difference." } ?? "."
                sentence += rows.double(row, "uplift_rel").map { " Relative lift: \(ReadoutFormat.signedPercent($0))." } ?? ""
            } else if let lift = rows.double(row, "uplift_rel"), let low = rows.double(row, "rel_ci_low"), let high = rows.double(row, "rel_ci_high"),
               let p = rows.double(row, "adjusted_p_value") {
                let adjusted = rows.double(row, "rel_p_value") != p
                let verdict = rows.int(row, "is_significant") == 1 ? "significant" : "not significant"
                sentence += ": \(ReadoutFormat.signedPercent(lift)) relative (\(intervalLabel(rows, row, adjusted: adjusted)) \(ReadoutFormat.signedPercent(low)) to \(ReadoutFormat.signedPercent(high))), \(ReadoutFormat.p(p))\(adjusted ? " (adjusted for the experiment's arms)" : "") — \(verdict)\(alphaText(rows, row))."
                if let chance = rows.double(row, "chance_to_beat_control") {
                    sentence += " Chance to beat control: \(ReadoutFormat.percent(chance, digits: 1))."
                }
                if let reduction = rows.double(row, "cuped_variance_reduction"), reduction >= 0.01 {
                    let theta = rows.double(row, "cuped_theta").map { ", θ = \(ReadoutFormat.number($0))" } ?? ""
                    sentence += " CUPED (pre-period revenue\(theta)) reduced the variance by \(ReadoutFormat.percent(reduction, digits: 0))."
                }
            } else {
                sentence += "; the relative lift is undefined (control is 0 or the arms are too small)."
            }
            sentences.append(sentence)
        }
        if sentences.isEmpty { return "\(experiment) has no arm \(entities["variant"] ?? "") to compare with control on this metric." }
        sentences.append(srmSentence(rows))
        return sentences.joined(separator: " ")
    }

    /// The decision on one experiment, or the list of decisions.
    static func verdicts(_ rows: Rows, entities: [String: String]) -> String {
        if rows.count == 1, entities["experiment"] != nil {
            let verdict = rows.text(0, "verdict")
            let arm = rows.string(0, "variation_id").map { " \($0)" } ?? ""
            var text = "\(rows.text(0, "experiment_id")) (\(mode(entities))): \(verdict)\(arm). Health \(rows.text(0, "health_status")), guardrails \(rows.text(0, "guardrails_status").replacingOccurrences(of: "_", with: " "))."
            if let reasons = rows.string(0, "reasons"), !reasons.isEmpty { text += " Why: \(reasons)." }
            return text
        }
        if entities["experiment"] != nil, rows.columns.contains("analysis_mode") {
            // ITT beside exposed: the same decision twice, once per population.
            let parts = (0..<rows.count).map { row in
                let population = rows.string(row, "analysis_mode") == "exposed" ? "exposed units" : "ITT"
                return "\(population): \(rows.text(row, "verdict"))\(rows.string(row, "variation_id").map { " \($0)" } ?? "")"
            }
            return "\(rows.text(0, "experiment_id")) decisions by population: \(ReadoutFormat.list(parts))."
        }
        if rows.columns.contains("itt_verdict") {
            // Each experiment's ITT and exposed decisions side by side: where they differ is the news.
            let differ = (0..<rows.count).filter { rows.string($0, "itt_verdict") != rows.string($0, "exposed_verdict") || rows.string($0, "itt_variation_id") != rows.string($0, "exposed_variation_id") }
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "experiment_id")) \(rows.text(row, "itt_verdict")) / \(rows.text(row, "exposed_verdict"))"
            }
            let agreement = differ.isEmpty ? "ITT and exposed agree for every one" : "they differ for \(ReadoutFormat.list(differ.map { rows.text($0, "experiment_id") }))"
            return "Decisions, ITT / exposed: \(ReadoutFormat.list(parts)); \(agreement)."
        }
        let parts = (0..<rows.count).map { row in
            "\(rows.text(row, "experiment_id")) \(rows.text(row, "verdict"))\(rows.string(row, "variation_id").map { " \($0)" } ?? "")"
        }
        return "Decisions (\(mode(entities))): \(ReadoutFormat.list(parts))."
    }

    /// "95% CI", "holm-adjusted CI" or "95% always-valid CI", from the row's settings.
    static func intervalLabel(_ rows: Rows, _ row: Int, adjusted: Bool) -> String {
        let kind = rows.string(row, "decision_test") == "sequential" ? "always-valid CI" : "CI"
        if adjusted { return "adjusted \(kind)" }
        guard let alpha = rows.double(row, "alpha") else { return kind }
        return "\(ReadoutFormat.number((1 - alpha) * 100))% \(kind)"
    }

    static func alphaText(_ rows: Rows, _ row: Int) -> String {
        rows.double(row, "alpha").map { " at α = \(ReadoutFormat.number($0))" } ?? ""
    }

    /// The sample-ratio check as the analysis recorded it (`srm_p_value`, `srm_status`).
    static func srmSentence(_ rows: Rows) -> String {
        guard let p = rows.double(0, "srm_p_value") else { return "" }
        switch rows.string(0, "srm_status") {
        case "blocked", "warning":
            return "SRM check failed (\(ReadoutFormat.p(p))): the split does not match the allocation, so treat these numbers with suspicion."
        default:
            return "SRM check passed (\(ReadoutFormat.p(p)))."
        }
    }

    static func conversion(_ rows: Rows, entities: [String: String]) -> String {
        if rows.columns.contains("value_sum") {
            if !rows.columns.contains("variation_id") {
                return "\(rows.string(0, "metric_id") ?? "The metric") in \(entities["experiment"] ?? "the experiment") (\(mode(entities))): \(rows.double(0, "value_sum").map { ReadoutFormat.number($0) } ?? "n/a") in total over all arms (\(rows.text(0, "n_users")) users)."
            }
            let parts = (0..<rows.count).map { row in "\(rows.text(row, "variation_id")) \(rows.double(row, "value_sum").map { ReadoutFormat.number($0) } ?? "n/a") in total (\(rows.text(row, "n_users")) users)" }
            return "\(rows.string(0, "metric_id") ?? "The metric") in \(entities["experiment"] ?? "the experiment") (\(mode(entities))), by arm: \(ReadoutFormat.list(parts))."
        }
        let binary = rows.columns.contains("metric_kind") ? rows.string(0, "metric_kind") != "continuous" : rows.columns.contains("conversion_rate")
        // Arms of several experiments ("control conversion rate for every experiment"): each named with its experiment.
        let experiments = Set((0..<rows.count).compactMap { rows.string($0, "experiment_id") })
        let several = entities["experiment"] == nil && experiments.count > 1
        let parts = (0..<rows.count).map { row -> String in
            let arm = (several ? "\(rows.text(row, "experiment_id")) " : "") + rows.text(row, "variation_id")
            if binary {
                let converted = rows.string(row, "n_converted").map { "\($0) of \(rows.text(row, "n_users"))" } ?? "\(rows.text(row, "n_users")) users"
                return "\(arm) \(rows.double(row, "conversion_rate").map { ReadoutFormat.percent($0) } ?? "n/a") (\(converted))"
            }
            return "\(arm) \(rows.double(row, "mean_value").map { ReadoutFormat.number($0) } ?? "n/a") per user (\(rows.text(row, "n_users")) users)"
        }
        let metric = rows.string(0, "metric_id") ?? "conversion"
        if several { return "\(metric) by arm (\(mode(entities))), \(experiments.count) experiments: \(ReadoutFormat.list(parts))." }
        return "\(metric) in \(entities["experiment"] ?? "the experiment") (\(mode(entities))), by arm: \(ReadoutFormat.list(parts))."
    }

    /// Comparisons across experiments, ranked or filtered on one measure.
    static func ranking(_ rows: Rows, entities: [String: String]) -> String {
        let measure = entities["ranking"] ?? "uplift_rel"
        if measure == "n_users" {
            let parts = (0..<rows.count).map { "\(rows.text($0, "experiment_id"))\(rows.string($0, "variation_id").map { " \($0)" } ?? "") \(rows.int($0, "n_users").map(ReadoutFormat.count) ?? "n/a") units" }
            if parts.isEmpty { return "No experiment matches." }
            let order = entities["ranking_order"].map { " (\($0) first)" } ?? ""
            return "By units assigned (\(mode(entities)))\(order): \(ReadoutFormat.list(parts))."
        }
        if measure == "achieved_power" {
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "experiment_id")) \(rows.double(row, "achieved_power").map { ReadoutFormat.percent($0, digits: 0) } ?? "n/a") (\(rows.text(row, "verdict")))"
            }
            if parts.isEmpty { return "No experiment matches." }
            let order = entities["ranking_order"].map { " (\($0) first)" } ?? ""
            return "\(rows.count) experiment\(rows.count == 1 ? "" : "s") by achieved power (\(mode(entities)))\(order): \(ReadoutFormat.list(parts))."
        }
        if measure == "required_users_per_arm" {
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "experiment_id")) \(rows.int(row, measure).map(ReadoutFormat.count) ?? "n/a") users per arm (power now \(rows.double(row, "achieved_power").map { ReadoutFormat.percent($0, digits: 0) } ?? "n/a"))"
            }
            if parts.isEmpty { return "No experiment has a power check yet." }
            let order = entities["ranking_order"].map { " (\($0) first)" } ?? ""
            return "By the users per arm the configured minimum detectable effect needs (\(mode(entities)))\(order): \(ReadoutFormat.list(parts))."
        }
        if measure == "srm_p_value" {
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "experiment_id")) \(rows.double(row, "srm_p_value").map(ReadoutFormat.p) ?? "n/a") (\(rows.text(row, "srm_status")))"
            }
            if parts.isEmpty { return "No experiment has a sample-ratio check yet." }
            return "By the sample-ratio check's p-value (\(mode(entities)), smallest — the worst imbalance — first): \(ReadoutFormat.list(parts))."
        }
        if measure == "value" {
            let column = rows.columns.contains("mean_value") ? "mean_value" : "conversion_rate"
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "experiment_id")) \(rows.text(row, "variation_id")) \(rows.double(row, column).map { column == "mean_value" ? ReadoutFormat.number($0) : ReadoutFormat.percent($0, digits: 2) } ?? "n/a") on \(rows.text(row, "metric_id"))"
            }
            if parts.isEmpty { return "No arm matches." }
            let order = entities["ranking_order"].map { " (\($0) first)" } ?? ""
            return "By \(column == "mean_value" ? "mean per user" : "conversion rate") (\(mode(entities)))\(order): \(ReadoutFormat.list(parts))."
        }
        let label = ["uplift_rel": "relative lift", "p_value_two_sided": "absolute p-value", "uplift_abs": "absolute lift", "rel_p_value": "p-value",
                     "chance_to_beat_control": "chance to beat control", "cuped_variance_reduction": "CUPED variance reduction",
                     "rel_ci_low": "the interval's lower bound", "rel_ci_high": "the interval's upper bound",
                     "rel_ci_width": "the width of the interval on the relative lift"][measure] ?? measure
        let show: (Double) -> String = switch measure {
        case "rel_p_value", "p_value_two_sided": { ReadoutFormat.p($0) }
        case "rel_ci_width": { "\(ReadoutFormat.points($0)) points wide" }
        case "chance_to_beat_control", "cuped_variance_reduction": { ReadoutFormat.percent($0, digits: 1) }
        case "uplift_abs": { ReadoutFormat.number($0) }
        default: { ReadoutFormat.signedPercent($0) }
        }
        let parts = (0..<rows.count).map { row in
            "\(rows.text(row, "experiment_id"))\(rows.string(row, "owner").map { " (\($0))" } ?? "") \(rows.text(row, "variation_id")) \(rows.double(row, measure).map(show) ?? "n/a") on \(rows.text(row, "metric_id"))"
        }
        if parts.isEmpty { return "No comparison matches." }
        let order = entities["ranking_order"].map { " (\($0) first)" } ?? ""
        // Ranked within each owner or status: the group leads each part.
        if let group = rows.columns.first, ["owner", "status"].contains(group), rows.columns.contains("experiment_id") {
            let grouped = (0..<rows.count).map { row in
                "\(rows.text(row, group)): \(rows.text(row, "experiment_id")) \(rows.text(row, "variation_id")) \(rows.double(row, measure).map(show) ?? "n/a")"
            }
            return "By \(label) within each \(group)\(order): \(ReadoutFormat.list(grouped))."
        }
        return "By \(label)\(order): \(ReadoutFormat.list(parts))."
    }

    /// Health and the sample-ratio check, as the analysis recorded them.
    static func health(_ rows: Rows, entities: [String: String]) -> String {
        let experiment = rows.text(0, "experiment_id")
        let srm = rows.double(0, "srm_p_value").map { ReadoutFormat.p($0) } ?? "not computed"
        let verdict: String
        switch rows.string(0, "srm_status") {
        case "blocked": verdict = "SRM check failed (\(srm)): the split does not match the allocation, so assignment is broken and the results cannot be trusted"
        case "warning": verdict = "SRM check failed at the warning level (\(srm)): a possible sample-ratio mismatch"
        case "ok": verdict = "SRM check passed (\(srm))"
        default: verdict = "no sample-ratio check yet (no data)"
        }
        let reasons = rows.string(0, "reasons").map { " Why: \($0)" + ($0.hasSuffix(".") ? "" : ".") } ?? ""
        return "\(experiment) (\(mode(entities))): \(verdict). Health \(rows.text(0, "health_status")).\(reasons)"
    }

    static func sampleRatio(_ rows: Rows, entities: [String: String], health: Bool) -> String {
        // A draft with no users yet: its arms and planned split.
        if !rows.columns.contains("n_users"), rows.columns.contains("allocation") {
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "variation_id")) (\(rows.text(row, "name")), \(rows.double(row, "allocation").map { ReadoutFormat.percent($0, digits: 0) } ?? "n/a") of traffic)"
            }
            return "\(entities["experiment"] ?? "The experiment") has no users yet; its arms and planned split: \(ReadoutFormat.list(parts))."
        }
        // The experiment's users: every arm's, also when only one arm was asked for (its share tells the whole).
        let listed = (0..<rows.count).compactMap { rows.int($0, "n_users") }.reduce(0, +)
        let total = rows.count == 1 ? rows.double(0, "observed_share").flatMap { $0 > 0 ? Int((Double(listed) / $0).rounded()) : nil } ?? listed : listed
        let parts = (0..<rows.count).map { row -> String in
            let users = rows.int(row, "n_users") ?? 0
            let share = rows.double(row, "observed_share") ?? (total > 0 ? Double(users) / Double(total) : 0)
            return "\(rows.text(row, "variation_id")) \(ReadoutFormat.count(users)) (\(ReadoutFormat.percent(share, digits: 1)); planned \(ReadoutFormat.percent(rows.double(row, "allocation") ?? 0, digits: 0)))"
        }
        let lead = health ? "Sample-ratio health of \(entities["experiment"] ?? "the experiment")" : "\(entities["experiment"] ?? "The experiment") has \(ReadoutFormat.count(total)) units (\(mode(entities)))"
        return "\(lead): \(ReadoutFormat.list(parts)). \(srmSentence(rows))"
    }

    /// The daily exposure table as the question shaped it: an aggregate, the extreme day(s),
    /// the days past a threshold, or the series.
    static func daily(_ rows: Rows, entities: [String: String]) -> String {
        // "First and last day of exposure data": the span the daily rows cover, nothing measured.
        if rows.columns == ["experiment_id", "first_day", "last_day", "days"], rows.count == 1 {
            return "\(rows.text(0, "experiment_id")) has daily exposure data from \(rows.text(0, "first_day")) (first day) to \(rows.text(0, "last_day")) (last day): \(rows.text(0, "days")) days."
        }
        let measure = entities["daily_measure"] ?? "exposure_rate"
        let label = measure.replacingOccurrences(of: "_", with: " ")
        let rate = measure.hasSuffix("_rate")
        let show: (Double) -> String = rate ? { ReadoutFormat.percent($0, digits: 1) } : { ReadoutFormat.number($0) }
        // " from 2026-10-01 to 2026-10-07", when the row names its span.
        func span(_ row: Int) -> String { rows.string(row, "first_day").map { " from \($0) to \(rows.text(row, "last_day"))" } ?? "" }
        // "total 167", "average 94.9%, lowest 89.4%": the aggregates asked, in order.
        func values(_ row: Int, _ aggregates: String) -> String {
            aggregates.split(separator: ",").map { aggregate -> String in
                let name = ["avg": "average", "min": "lowest", "max": "highest", "sum": "total"][String(aggregate)] ?? String(aggregate)
                return "\(name) \(rows.double(row, "\(aggregate)_\(measure)").map(show) ?? "n/a")"
            }.joined(separator: ", ")
        }
        // "332 exposed of 363 assigned".
        func exposedOfAssigned(_ row: Int) -> String {
            "\(rows.int(row, "exposed_units").map(ReadoutFormat.count) ?? "n/a") exposed of \(rows.int(row, "assigned_units").map(ReadoutFormat.count) ?? "n/a") assigned"
        }
        // "below 90.0%": the threshold asked.
        let threshold = entities["daily_threshold"].map { threshold -> String in
            let bound = threshold.split(separator: " ")
            let limit = bound.count == 2 ? (Double(bound[1]).map(show) ?? String(bound[1])) : threshold
            return "\(bound.first == "<" ? "below" : "above") \(limit)"
        }
        if rows.columns.contains("days"), entities["daily_aggregate"] == nil, let order = entities["daily_order"], rows.columns.contains(measure), !rows.columns.contains("date_day") {
            // Experiments ranked by their days summed over the span.
            let parts = (0..<rows.count).map { row in "\(rows.text(row, "experiment_id")) \(rows.double(row, measure).map(show) ?? "n/a") over \(rows.text(row, "days")) days\(span(row))" }
            return "The \(order) \(label): \(ReadoutFormat.list(parts))."
        }
        if let aggregates = entities["daily_aggregate"], !rows.columns.contains("experiment_id"), rows.columns.contains("experiments"), rows.count == 1 {
            // One aggregate over every experiment's days.
            return "\(label.prefix(1).uppercased() + label.dropFirst()) across \(rows.text(0, "experiments")) experiments: \(values(0, aggregates))."
        }
        if rows.columns.contains("mismatched_units"), rows.columns.contains("pre_assignment_exposure") {
            // Experiments with data-quality flags, each count.
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "experiment_id")) (pre-assignment \(rows.text(row, "pre_assignment_exposure")), multi-variation \(rows.text(row, "multi_variation_exposure")), "
                    + "outside the window \(rows.text(row, "exposure_outside_window")), mismatched \(rows.double(row, "mismatched_units").map { ReadoutFormat.count(Int($0.rounded())) } ?? "n/a"))"
            }
            return parts.isEmpty ? "No experiment has such exposures." : "\(rows.count) experiment\(rows.count == 1 ? "" : "s") with flagged exposures: \(ReadoutFormat.list(parts))."
        }
        if rows.columns.contains("mismatched_units") {
            // Experiments by their mismatched units.
            let order = entities["daily_order"].map { " (\($0) first)" } ?? ""
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "experiment_id")) \(rows.double(row, "mismatched_units").map { ReadoutFormat.count(Int($0.rounded())) } ?? "n/a") of \(rows.int(row, "exposed_units").map(ReadoutFormat.count) ?? "n/a") exposed units"
            }
            return "Mismatched exposures (units that saw another arm than their own)\(order): \(ReadoutFormat.list(parts))."
        }
        if rows.columns.contains("experiments"), rows.columns.contains("exposure_rate"), rows.count == 1, !rows.columns.contains("date_day") {
            // Every experiment pooled.
            let span = entities["from"].map { from in entities["to"].map { $0 == from ? " on \(from)" : " from \(from) to \($0)" } ?? " from \(from)" } ?? ""
            return "Exposure rate across \(rows.text(0, "experiments")) experiments\(span), pooled: \(rows.double(0, "exposure_rate").map(show) ?? "n/a") "
                + "(\(exposedOfAssigned(0)) over \(rows.text(0, "days")) day\(rows.int(0, "days") == 1 ? "" : "s"))."
        }
        if rows.columns.contains("days"), entities["daily_aggregate"] == nil, rows.columns.contains("exposure_rate") {
            // Pooled: exposed over assigned, every day of the span together.
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "experiment_id")) \(rows.double(row, "exposure_rate").map(show) ?? "n/a") (\(exposedOfAssigned(row)) over \(rows.text(row, "days")) days\(span(row)))"
            }
            return "Exposure rate, every day pooled: \(ReadoutFormat.list(parts))."
        }
        if rows.columns.contains("days"), entities["daily_threshold"] == nil || entities["daily_aggregate"] != nil {
            let parts = (0..<rows.count).map { row -> String in
                let days = rows.int(row, "days") ?? 0
                let span = rows.string(row, "first_day").map { first in days == 1 ? " (\(first))" : " (\(first) to \(rows.text(row, "last_day")))" } ?? ""
                return "\(rows.text(row, "experiment_id")): \(values(row, entities["daily_aggregate"] ?? "avg")) over \(days) day\(days == 1 ? "" : "s")\(span)"
            }
            return "Daily \(label): \(ReadoutFormat.list(parts))."
        }
        if let order = entities["daily_order"], !rows.columns.contains("date_day"), rows.columns.contains("experiment_id") {
            // Experiments ranked by their rate over every day.
            let parts = (0..<rows.count).map { row in
                "\(rows.text(row, "experiment_id")) \(rows.double(row, measure).map(show) ?? "n/a")\(rows.string(row, "days").map { " over \($0) days" } ?? "")"
            }
            return "By overall \(label), \(order) first: \(ReadoutFormat.list(parts))."
        }
        if let order = entities["daily_order"], rows.columns.contains("date_day"), !rows.columns.contains("experiment_id") {
            // Days with every experiment pooled.
            let parts = (0..<rows.count).map { row in
                "\(rows.double(row, measure).map(show) ?? "n/a") on \(rows.text(row, "date_day")) (\(rows.text(row, "experiments")) experiments pooled)"
            }
            return "The \(order) daily \(label)\(rows.count == 1 ? "" : "s") across experiments: \(ReadoutFormat.list(parts))."
        }
        if let order = entities["daily_order"] {
            let parts = (0..<rows.count).map { row in
                "\(rows.double(row, measure).map(show) ?? "n/a") on \(rows.text(row, "date_day")) in \(rows.text(row, "experiment_id"))"
            }
            return "The \(order) daily \(label)\(rows.count == 1 ? "" : "s"): \(ReadoutFormat.list(parts))."
        }
        if let threshold, !rows.columns.contains("date_day"), rows.columns.contains("experiment_id"), rows.columns.contains("days") {
            // Experiments with such days, each with how many.
            let parts = (0..<rows.count).map { row in "\(rows.text(row, "experiment_id")) (\(rows.text(row, "days")) day\(rows.int(row, "days") == 1 ? "" : "s"),\(span(row)))" }
            return parts.isEmpty ? "No experiment had a day with \(label) \(threshold)."
                : "\(rows.count) experiment\(rows.count == 1 ? "" : "s") had days with \(label) \(threshold): \(ReadoutFormat.list(parts))."
        }
        if let threshold {
            let parts = (0..<rows.count).map { row in "\(rows.text(row, "date_day")) (\(rows.double(row, measure).map(show) ?? "n/a"))" }
            return "\(rows.count) day\(rows.count == 1 ? "" : "s") with \(label) \(threshold): \(ReadoutFormat.list(parts))."
        }
        let experiments = Set((0..<rows.count).compactMap { rows.string($0, "experiment_id") })
        if experiments.count > 1 {
            return "\(rows.count) days across \(experiments.count) experiments (\(experiments.sorted().joined(separator: ", ")))."
        }
        if measure != "exposure_rate", !rows.columns.contains("date_day"), rows.columns.contains("experiment_id") {
            // Experiments with any, each one's total.
            let parts = (0..<rows.count).map { row in "\(rows.text(row, "experiment_id")) \(rows.double(row, measure).map(show) ?? "n/a")" }
            return parts.isEmpty ? "No experiment has any \(label)." : "\(label.prefix(1).uppercased() + label.dropFirst()), by experiment: \(ReadoutFormat.list(parts))."
        }
        if measure != "exposure_rate" {
            let parts = (0..<rows.count).map { row in "\(rows.text(row, "date_day")) \(rows.double(row, measure).map(show) ?? "n/a")" }
            return "Daily \(label) in \(entities["experiment"] ?? "the experiment"): \(ReadoutFormat.list(parts))."
        }
        return exposureQuality(rows, entities: entities)
    }

    static func exposureQuality(_ rows: Rows, entities: [String: String]) -> String {
        let days = rows.count
        let valid = (0..<days).map { rows.double($0, "valid_exposure_rate") ?? 0 }
        let average = valid.reduce(0, +) / Double(days)
        guard let worst = valid.indices.min(by: { valid[$0] < valid[$1] }) else { return "No days." }
        if days == 1 {
            // One day: its figures, the exposure rate first.
            let rate = rows.double(0, "exposure_rate").map { ReadoutFormat.percent($0, digits: 1) } ?? "n/a"
            return "\(entities["experiment"] ?? "The experiment") on \(rows.text(0, "date_day")): exposure rate \(rate) (\(rows.text(0, "exposed_units")) exposed of \(rows.text(0, "assigned_units")) assigned); "
                + "valid exposure rate \(ReadoutFormat.percent(valid[0], digits: 1))\(rows.double(0, "mismatch_rate").map { ", \(ReadoutFormat.percent($0, digits: 1)) mismatched" } ?? "")."
        }
        var text = "\(entities["experiment"] ?? "The experiment"): \(days) day\(days == 1 ? "" : "s") from \(rows.text(0, "date_day")) to \(rows.text(days - 1, "date_day"))."
        // The exposure rate over those days, pooled: exposed units over assigned units, every day together.
        let assigned = (0..<days).compactMap { rows.double($0, "assigned_units") }.reduce(0, +)
        let exposed = (0..<days).compactMap { rows.double($0, "exposed_units") }.reduce(0, +)
        if assigned > 0, days > 1 {
            text += " Exposure rate over these days: \(ReadoutFormat.percent(exposed / assigned, digits: 1)) (\(ReadoutFormat.number(exposed)) exposed of \(ReadoutFormat.number(assigned)) assigned)."
        }
        text += " The valid exposure rate averaged \(ReadoutFormat.percent(average, digits: 1)) (lowest \(ReadoutFormat.percent(valid[worst], digits: 1)), highest \(ReadoutFormat.percent(valid.max() ?? 0, digits: 1)))."
        text += " Worst day: \(rows.text(worst, "date_day")) with \(ReadoutFormat.percent(valid[worst], digits: 1)) valid"
        if let mismatch = rows.double(worst, "mismatch_rate") { text += " and \(ReadoutFormat.percent(mismatch, digits: 1)) mismatched" }
        text += "."
        if days >= 4 {
            let half = days / 2
            let first = valid.prefix(half).reduce(0, +) / Double(half)
            let second = valid.suffix(days - half).reduce(0, +) / Double(days - half)
            let change = second - first
            let trend = abs(change) < 0.005 ? "stable" : change > 0 ? "improving" : "worsening"
            text += " Trend: \(trend) (\(ReadoutFormat.percent(first, digits: 1)) in the first half, \(ReadoutFormat.percent(second, digits: 1)) in the second)."
        }
        return text
    }

    static func guardrails(_ rows: Rows, entities: [String: String]) -> String {
        var failing: [String] = []
        var fine: [String] = []
        var unchecked: [String] = []
        for row in 0..<rows.count {
            let name = "\(rows.text(row, "metric_id")) for \(rows.text(row, "variation_id"))"
            let binary = rows.string(row, "metric_kind") == "binary"
            let delta = binary ? rows.double(row, "uplift_abs").map { ReadoutFormat.signedPercent($0).replacingOccurrences(of: "%", with: " pp") }
                               : rows.double(row, "uplift_rel").map { ReadoutFormat.signedPercent($0) }
            let detail = "\(name) \(delta ?? "n/a")\(rows.double(row, "rel_p_value").map { " (\(ReadoutFormat.p($0)))" } ?? "")"
            switch rows.string(row, "guardrail_status") {
            case "worsened", "severe": failing.append(detail + (rows.string(row, "guardrail_status") == "severe" ? ", severe" : ""))
            case "ok": fine.append(detail)
            default: unchecked.append(name)
            }
        }
        let experiment = entities["experiment"] ?? "The experiment"
        var text = failing.isEmpty
            ? "\(experiment): no guardrail has significantly worsened (\(mode(entities)))\(fine.isEmpty ? "" : ": \(ReadoutFormat.list(fine))")."
            : "\(experiment): guardrail\(failing.count == 1 ? "" : "s") failing — \(ReadoutFormat.list(failing))." + (fine.isEmpty ? "" : " Within bounds: \(ReadoutFormat.list(fine)).")
        if !unchecked.isEmpty { text += " Not checked, no data: \(ReadoutFormat.list(unchecked))." }
        return text
    }

    static func compare(_ rows: Rows) -> String {
        let parts = (0..<rows.count).map { row -> String in
            let lift = rows.double(row, "uplift_rel").map { ReadoutFormat.signedPercent($0) } ?? "n/a"
            let p = rows.double(row, "adjusted_p_value").map { ReadoutFormat.p($0) } ?? "no p-value"
            let verdict = rows.int(row, "is_significant") == 1 ? ", significant" : rows.int(row, "is_significant") == 0 ? ", not significant" : ""
            return "\(rows.text(row, "experiment_id")) \(rows.text(row, "variation_id")) \(lift) on \(rows.text(row, "metric_id")) (\(p)\(verdict))"
        }
        return "Primary-metric lifts against control: \(ReadoutFormat.list(parts))."
    }

    static func significance(_ rows: Rows, slice: String, metric: String? = nil) -> String {
        var items: [String] = []
        for row in 0..<rows.count {
            var label = "\(rows.text(row, "experiment_id")) (\(rows.text(row, "variation_id")) \(rows.double(row, "uplift_rel").map { ReadoutFormat.signedPercent($0) } ?? "n/a"), \(rows.double(row, "adjusted_p_value").map { ReadoutFormat.p($0) } ?? "no p-value")"
            if slice == "underpowered", let power = rows.double(row, "achieved_power") {
                label += ", power \(ReadoutFormat.percent(power, digits: 0))"
            }
            items.append(label + ")")
        }
        if slice == "all" {
            let on = metric ?? "their primary metric"
            if items.isEmpty { return "No experiments matched, so there are no results on \(on)." }
            return "Results against control on \(on) (decision test), \(items.count) comparison\(items.count == 1 ? "" : "s"): \(ReadoutFormat.list(items))."
        }
        if slice == "increased" || slice == "decreased" {
            let what = "significantly \(slice) \(metric ?? "their primary metric") (decision test)"
            if items.isEmpty { return "No comparison \(what)." }
            return "\(items.count) comparison\(items.count == 1 ? "" : "s") \(what): \(ReadoutFormat.list(items))."
        }
        let description: String
        let on = metric.map { "on \($0)" } ?? "on the primary metric"
        switch slice {
        case "winning": description = "winning (significantly better \(on), decision test)"
        case "losing": description = "losing (significantly worse \(on), decision test)"
        case "underpowered": description = "underpowered (verdict Hold (underpowered): not significant and below the target power)"
        case "negative": description = "below control \(on) (a negative lift, significant or not)"
        case "positive": description = "above control \(on) (a positive lift, significant or not)"
        case "not_significant": description = "not significant \(on) (decision test)"
        default: description = metric.map { "significant on \($0) (decision test)" } ?? "significant on their primary metric (decision test)"
        }
        if items.isEmpty { return "No experiments are \(description)." }
        return "\(items.count) comparison\(items.count == 1 ? " is" : "s are") \(description): \(ReadoutFormat.list(items))."
    }
}
