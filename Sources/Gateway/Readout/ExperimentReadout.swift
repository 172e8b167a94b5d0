import Foundation
import Stats

/// Readouts about one or more experiments' results, computed with the stats engine.
enum ExperimentReadout {
    static let alpha = 0.05

    static func mode(_ entities: [String: String]) -> String { (entities["mode"] ?? "itt") == "exposed" ? "exposed units" : "ITT" }

    static func results(_ rows: Rows, entities: [String: String]) -> String {
        let experiment = entities["experiment"] ?? "the experiment"
        guard let control = (0..<rows.count).first(where: { rows.int($0, "is_control") == 1 }) else {
            return "\(experiment) has no control row for this metric, so no lift can be computed."
        }
        let binary = rows.string(control, "kind") == "binary"
        let metric = entities["metric"].map { " on \($0)" } ?? " on its primary metric"
        var sentences: [String] = []
        let wanted = entities["variant"].flatMap { $0 == "control" ? nil : $0 }
        for row in 0..<rows.count where row != control {
            let variant = rows.string(row, "variation_id") ?? "?"
            if let wanted, wanted != variant { continue }
            guard let c = moments(rows, control, binary: binary), let t = moments(rows, row, binary: binary) else {
                sentences.append("\(variant) has no units yet.")
                continue
            }
            let verb = binary ? "converts at" : "averages"
            let show: (Double) -> String = binary ? { ReadoutFormat.percent($0) } : { ReadoutFormat.number($0) }
            var sentence = "In \(experiment) (\(mode(entities)))\(metric), \(variant) \(verb) \(show(t.mean)) vs \(show(c.mean)) for control"
            if let lift = DeltaMethodLift(control: c, treatment: t).run() {
                let significant = lift.pValue < alpha
                sentence += ": \(ReadoutFormat.signedPercent(lift.estimate)) relative (95% CI \(ReadoutFormat.signedPercent(lift.ciLow)) to \(ReadoutFormat.signedPercent(lift.ciHigh))), \(ReadoutFormat.p(lift.pValue)) — \(significant ? "significant" : "not significant") at α = 0.05."
            } else {
                sentence += "; the relative lift is undefined (control is 0)."
            }
            sentences.append(sentence)
        }
        if sentences.isEmpty { return "\(experiment) has no variation \(wanted ?? "") for this metric." }
        sentences.append(srmSentence(rows))
        return sentences.joined(separator: " ")
    }

    static func moments(_ rows: Rows, _ row: Int, binary: Bool) -> ArmMoments? {
        guard let users = rows.int(row, "n_users") else { return nil }
        if binary { return ArmMoments.proportion(users: users, conversions: rows.int(row, "n_converted") ?? 0) }
        return ArmMoments.sample(MeanSample(count: users, sum: rows.double(row, "value_sum") ?? 0, sumOfSquares: rows.double(row, "value_sum_sq") ?? 0))
    }

    /// The chi-square sample-ratio check on `n_users` against `allocation`.
    static func srm(_ rows: Rows) -> SampleRatioTest.Result? {
        let observed = (0..<rows.count).compactMap { rows.int($0, "n_users") }
        let weights = (0..<rows.count).compactMap { rows.double($0, "allocation") }
        guard observed.count == rows.count, weights.count == rows.count, observed.count > 1 else { return nil }
        return SampleRatioTest(observed: observed, weights: weights).run()
    }

    static func srmSentence(_ rows: Rows) -> String {
        guard let result = srm(rows) else { return "" }
        if result.pValue < 0.001 {
            return "SRM check failed (χ² \(ReadoutFormat.p(result.pValue))): the split does not match the allocation, so treat these numbers with suspicion."
        }
        return "SRM check passed (\(ReadoutFormat.p(result.pValue)))."
    }

    static func conversion(_ rows: Rows, entities: [String: String]) -> String {
        let parts = (0..<rows.count).map { row in
            "\(rows.text(row, "variation_id")) \(rows.double(row, "conversion_rate").map { ReadoutFormat.percent($0) } ?? "n/a") (\(rows.text(row, "n_converted")) of \(rows.text(row, "n_users")))"
        }
        return "Conversion in \(entities["experiment"] ?? "the experiment") (\(mode(entities))): \(ReadoutFormat.list(parts))."
    }

    static func sampleRatio(_ rows: Rows, entities: [String: String], health: Bool) -> String {
        let total = (0..<rows.count).compactMap { rows.int($0, "n_users") }.reduce(0, +)
        let parts = (0..<rows.count).map { row -> String in
            let users = rows.int(row, "n_users") ?? 0
            let share = total > 0 ? Double(users) / Double(total) : 0
            return "\(rows.text(row, "variation_id")) \(ReadoutFormat.count(users)) (\(ReadoutFormat.percent(share, digits: 1)); planned \(ReadoutFormat.percent(rows.double(row, "allocation") ?? 0, digits: 0)))"
        }
        let lead = health ? "Sample-ratio health of \(entities["experiment"] ?? "the experiment")" : "\(entities["experiment"] ?? "The experiment") has \(ReadoutFormat.count(total)) units (\(mode(entities)))"
        return "\(lead): \(ReadoutFormat.list(parts)). \(srmSentence(rows))"
    }

    static func exposureQuality(_ rows: Rows, entities: [String: String]) -> String {
        let days = rows.count
        let valid = (0..<days).map { rows.double($0, "valid_exposure_rate") ?? 0 }
        let average = valid.reduce(0, +) / Double(days)
        guard let worst = valid.indices.min(by: { valid[$0] < valid[$1] }) else { return "No days." }
        var text = "\(entities["experiment"] ?? "The experiment"): \(days) day\(days == 1 ? "" : "s") from \(rows.text(0, "date_day")) to \(rows.text(days - 1, "date_day")). The valid exposure rate averaged \(ReadoutFormat.percent(average, digits: 1)) (lowest \(ReadoutFormat.percent(valid[worst], digits: 1)), highest \(ReadoutFormat.percent(valid.max() ?? 0, digits: 1)))."
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
        for row in 0..<rows.count {
            let name = "\(rows.text(row, "metric_id")) for \(rows.text(row, "variation_id"))"
            guard let lift = rows.double(row, "uplift_rel"), let p = rows.double(row, "p_value_two_sided") else {
                fine.append("\(name) (no estimate)")
                continue
            }
            let higherIsBetter = rows.int(row, "higher_is_better") == 1
            let harmful = higherIsBetter ? lift < 0 : lift > 0
            let detail = "\(name) \(ReadoutFormat.signedPercent(lift)) (\(ReadoutFormat.p(p)))"
            if harmful && p < alpha { failing.append(detail) } else { fine.append(detail) }
        }
        let experiment = entities["experiment"] ?? "The experiment"
        if failing.isEmpty {
            return "\(experiment): no guardrail is significantly worse (\(mode(entities))): \(ReadoutFormat.list(fine))."
        }
        return "\(experiment): guardrail\(failing.count == 1 ? "" : "s") failing — \(ReadoutFormat.list(failing)) \(failing.count == 1 ? "is" : "are") significantly worse at α = 0.05." + (fine.isEmpty ? "" : " Within bounds: \(ReadoutFormat.list(fine)).")
    }

    static func compare(_ rows: Rows) -> String {
        let parts = (0..<rows.count).map { row -> String in
            let lift = rows.double(row, "uplift_rel").map { ReadoutFormat.signedPercent($0) } ?? "n/a"
            let p = rows.double(row, "p_value_two_sided").map { ReadoutFormat.p($0) } ?? "no p-value"
            return "\(rows.text(row, "experiment_id")) \(rows.text(row, "variation_id")) \(lift) on \(rows.text(row, "metric_id")) (\(p))"
        }
        return "Primary-metric lifts against control: \(ReadoutFormat.list(parts))."
    }

    static func significance(_ rows: Rows, slice: String) -> String {
        var items: [String] = []
        for row in 0..<rows.count {
            let label = "\(rows.text(row, "experiment_id")) (\(rows.text(row, "variation_id")) \(rows.double(row, "uplift_rel").map { ReadoutFormat.signedPercent($0) } ?? "n/a"), \(rows.double(row, "p_value_two_sided").map { ReadoutFormat.p($0) } ?? "no p-value"))"
            if slice == "underpowered" {
                guard rows.string(row, "kind") == "binary", let baseline = rows.double(row, "control_rate"), let users = rows.double(row, "control_users"), baseline > 0, baseline < 1 else { continue }
                let target = PowerAnalysis.targetRate(baseline: baseline, effect: 0.1, relative: true)
                let power = PowerAnalysis().achievedPower(effectSize: PowerAnalysis.cohensH(baseline: baseline, target: target), perArm: users)
                if power < 0.8 { items.append(label.dropLast() + ", power \(ReadoutFormat.percent(power, digits: 0)) for a 10% lift)") }
            } else {
                items.append(label)
            }
        }
        let description: String
        switch slice {
        case "winning": description = "winning (significantly better on the primary metric, ITT)"
        case "losing": description = "losing (significantly worse on the primary metric, ITT)"
        case "underpowered": description = "underpowered (not significant and below 80% power to detect a 10% relative lift)"
        default: description = "significant on their primary metric at α = 0.05 (ITT)"
        }
        if items.isEmpty { return "No experiments are \(description)." }
        return "\(items.count) comparison\(items.count == 1 ? " is" : "s are") \(description): \(ReadoutFormat.list(items))."
    }
}
