public import Foundation

/// What the alert check watches for, and its thresholds (`readout.yaml` `alerts:`).
public struct AlertSettings: Sendable, Equatable {
    /// A day whose exposure rate (exposed ÷ assigned) falls below this raises `exposure_drop`.
    public var exposureRateBelow: Double
    /// No event for this many hours raises `no_events` (running experiments only).
    public var staleAfterHours: Double

    public init(exposureRateBelow: Double = 0.8, staleAfterHours: Double = 24) {
        self.exposureRateBelow = exposureRateBelow
        self.staleAfterHours = staleAfterHours
    }
}

/// One condition that holds for an experiment now, with the numbers behind it.
public struct AlertCondition: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The decision test is significant under the always-valid sequential interval, so looking
        /// at every refresh does not inflate false positives.
        case significant
        /// Sample-ratio mismatch: the arms' sizes do not match the planned split.
        case srm
        /// A guardrail metric worsened.
        case guardrail
        /// The latest day's exposure rate is below the threshold.
        case exposureDrop = "exposure_drop"
        /// No events for longer than the threshold.
        case noEvents = "no_events"
    }

    public var kind: Kind
    public var message: String
    public var details: [String: String]
}

/// The alert conditions of one experiment, from the statistics engine's report. Pure: the caller
/// reads the warehouse and remembers which conditions held before.
public enum AlertRules {
    /// - Parameters:
    ///   - report: the engine's report, computed with sequential intervals on.
    ///   - latestDay: the newest day with assignments, and its exposure rate.
    ///   - lastEvent: when the experiment's newest event happened, if it has any.
    ///   - running: whether the experiment is running (only then is silence a problem).
    public static func conditions(experiment: String, report: AnalysisReport, latestDay: (day: String, exposureRate: Double)?,
                                  lastEvent: Date?, running: Bool, now: Date, settings: AlertSettings) -> [AlertCondition] {
        var found: [AlertCondition] = []
        let alpha = report.settings.alpha
        for comparison in report.comparisons where comparison.role == .primary {
            guard let sequential = comparison.sequential, let p = sequential.pValue, p < alpha,
                  let low = sequential.relCiLow, let high = sequential.relCiHigh else { continue }
            let lift = comparison.relativeLift.map(signedPercent) ?? "—"
            found.append(AlertCondition(
                kind: .significant,
                message: "\(experiment): \(comparison.metric) in \(comparison.variant) is significant under the always-valid sequential test: lift \(lift), interval [\(signedPercent(low)), \(signedPercent(high))], p = \(formatP(p)).",
                details: ["metric": comparison.metric, "variant": comparison.variant, "p_value": formatP(p), "relative_lift": lift,
                          "ci_low": signedPercent(low), "ci_high": signedPercent(high)]))
            break
        }
        if let srm = report.srm, srm.pValue < report.settings.srmWarningP {
            found.append(AlertCondition(
                kind: .srm,
                message: "\(experiment): sample-ratio mismatch, χ² = \(String(format: "%.2f", srm.chiSquare)), p = \(formatP(srm.pValue)); arms have \(srm.observed.map(String.init).joined(separator: " / ")) users, the plan expects \(srm.expected.map { String(format: "%.0f", $0) }.joined(separator: " / ")).",
                details: ["p_value": formatP(srm.pValue), "chi_square": String(format: "%.4f", srm.chiSquare),
                          "observed": srm.observed.map(String.init).joined(separator: ","), "expected": srm.expected.map { String(format: "%.1f", $0) }.joined(separator: ",")]))
        }
        let worse = report.guardrails.filter { $0.status == .worsened || $0.status == .severe }
        if !worse.isEmpty {
            let named = worse.map { g in
                "\(g.metric) in \(g.variant) \(g.status.rawValue)" + (g.delta.map { " (\(g.deltaKind == "absolute" ? signed($0 * 100, "pp") : signedPercent($0)))" } ?? "")
            }
            found.append(AlertCondition(
                kind: .guardrail,
                message: "\(experiment): guardrail regressed: \(named.joined(separator: "; ")).",
                details: ["guardrails": worse.map { "\($0.metric):\($0.variant):\($0.status.rawValue)" }.joined(separator: ",")]))
        }
        if let latestDay, latestDay.exposureRate < settings.exposureRateBelow {
            found.append(AlertCondition(
                kind: .exposureDrop,
                message: "\(experiment): exposure rate on \(latestDay.day) was \(percent(latestDay.exposureRate, digits: 1)), below \(percent(settings.exposureRateBelow, digits: 0)).",
                details: ["day": latestDay.day, "exposure_rate": String(format: "%.4f", latestDay.exposureRate), "threshold": String(format: "%.4f", settings.exposureRateBelow)]))
        }
        if running, let lastEvent {
            let hours = now.timeIntervalSince(lastEvent) / 3600
            if hours > settings.staleAfterHours {
                found.append(AlertCondition(
                    kind: .noEvents,
                    message: "\(experiment): no events for \(hours >= 48 ? "\(Int(hours / 24)) days" : "\(Int(hours)) hours") (threshold \(format(settings.staleAfterHours)) hours).",
                    details: ["hours_since_last_event": String(format: "%.1f", hours), "threshold_hours": format(settings.staleAfterHours)]))
            }
        }
        return found
    }
}
