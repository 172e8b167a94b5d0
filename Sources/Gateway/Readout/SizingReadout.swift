import Analysis
import Foundation
import Planner

/// A sizing question's answer: the SQL fetched the experiment's baseline rate and traffic; the
/// statistics engine (``Sizing``) computes users per arm and days; both land in the answer's rows
/// and the readout states only those numbers.
enum SizingReadout {
    static func sized(_ answer: Answer, request: PowerRequest, configuration: AnalysisConfiguration) -> Answer {
        var answer = answer
        let rows = Rows(columns: answer.columns, rows: answer.rows)
        let effect = request.effect ?? configuration.minimumDetectableEffect
        let power = request.power ?? configuration.targetPower
        let asked = request.relative
            ? "a \(ReadoutFormat.percent(effect, digits: effect * 100 == (effect * 100).rounded() ? 0 : 1)) relative lift"
            : "a \(ReadoutFormat.number(effect * 100))-point difference"
        guard !rows.isEmpty else {
            let experiment = answer.entities["experiment"] ?? "The experiment"
            answer.readout = "\(experiment) has no data yet (it may not have started), so there is no baseline rate or traffic to size it from. "
                + "Readout sizes an experiment from its own control arm's rate and its daily traffic; ask again once it has run for a few days."
            return answer
        }
        let experiment = rows.text(0, "experiment_id")
        guard rows.string(0, "metric_kind") == "binary", let baseline = rows.double(0, "baseline_rate") else {
            answer.readout = "\(experiment)'s primary metric is not a rate, and sizing is computed for conversion-style (binary) metrics only."
            return answer
        }
        let days = rows.int(0, "days_run") ?? 0
        let assigned = rows.double(0, "assigned_units") ?? 0
        let daily = days > 0 ? assigned / Double(days) : nil
        let sizing = Sizing.compute(baselineRate: baseline, effect: effect, relative: request.relative, alpha: configuration.alpha, power: power,
                                    arms: rows.int(0, "arms") ?? 2, dailyUnits: daily, smallestArm: rows.int(0, "smallest_arm_users"))
        answer.columns += ["effect", "relative", "target_rate", "alpha", "power", "required_users_per_arm", "daily_units", "days_needed", "days_more", "power_now"]
        let remaining = sizing.daysNeeded.map { max(0, $0 - days) }
        let added: [Cell] = [
            .real(effect), .integer(request.relative ? 1 : 0), .real(sizing.targetRate), .real(configuration.alpha), .real(power),
            sizing.requiredPerArm.map { .integer(Int64($0)) } ?? .null, daily.map { .real($0) } ?? .null,
            sizing.daysNeeded.map { .integer(Int64($0)) } ?? .null, remaining.map { .integer(Int64($0)) } ?? .null,
            sizing.achievedPower.map { .real($0) } ?? .null,
        ]
        answer.rows = answer.rows.map { $0 + added }
        let metric = rows.text(0, "metric_id")
        guard let perArm = sizing.requiredPerArm else {
            answer.readout = "\(asked.prefix(1).uppercased() + asked.dropFirst()) from \(ReadoutFormat.percent(baseline)) on \(metric) is not a rate between 0% and 100%, so \(experiment) cannot be sized for it."
            return answer
        }
        var text = "To detect \(asked) on \(metric) (\(ReadoutFormat.percent(baseline)) → \(ReadoutFormat.percent(sizing.targetRate))) with \(ReadoutFormat.percent(power, digits: 0)) power at α = \(ReadoutFormat.number(configuration.alpha)), \(experiment) needs \(ReadoutFormat.count(perArm)) users per arm."
        if let needed = sizing.daysNeeded, let daily {
            text += " At its traffic so far (\(ReadoutFormat.number((daily * 10).rounded() / 10)) users a day over \(days) day\(days == 1 ? "" : "s")) that is \(needed) day\(needed == 1 ? "" : "s") in all"
            text += (remaining ?? 0) > 0 ? " — about \(remaining ?? 0) more." : ", which it has already run."
        } else {
            text += " It has no daily traffic yet, so the duration cannot be estimated."
        }
        if let now = sizing.achievedPower, let smallest = rows.int(0, "smallest_arm_users") {
            text += " With \(ReadoutFormat.count(smallest)) users in its smallest arm it has \(ReadoutFormat.percent(now, digits: 0)) power for that effect now."
        }
        // "Is signup flow powered for a 10% MDE?", "do we have enough users…?": yes or no first.
        let words = QuestionText(answer.question).words
        if let first = words.first, YesNoReadout.openers.contains(first), let now = sizing.achievedPower,
           !Set(words).isDisjoint(with: ["powered", "power", "enough", "sufficient", "adequately", "underpowered"]) {
            let yes = now >= power
            let asksUnder = words.contains("underpowered")
            text = "\(yes != asksUnder ? "Yes" : "No") — \(ReadoutFormat.percent(now, digits: 0)) power now, against the \(ReadoutFormat.percent(power, digits: 0)) target. " + text
        }
        answer.readout = text
        return answer
    }
}
