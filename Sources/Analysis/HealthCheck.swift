import Foundation
import Stats

/// Health badges: input errors → Blocked; sample-ratio mismatch → Warning or
/// Blocked; small arms and exposure-integrity problems → Warning.
public enum HealthCheck {
    /// Input errors that make any statistic meaningless (Blocked).
    public static func inputErrors(_ input: ExperimentInput) -> [String] {
        var errors: [String] = []
        if input.arms.count < 2 { errors.append("need a control arm and at least one treatment arm; got \(input.arms.count) arm(s)") }
        var seen: Set<String> = []
        for arm in input.arms {
            if arm.variant.unicodeScalars.allSatisfy(CharacterSet.whitespaces.contains) { errors.append("an arm has an empty variant label") }
            if !seen.insert(arm.variant).inserted { errors.append("duplicate variant label '\(arm.variant)'") }
            if arm.users < 0 { errors.append("arm \(arm.variant) has negative users (\(arm.users))") }
            if arm.users == 0 { errors.append("arm \(arm.variant) has 0 users: rates undefined") }
            if let allocation = arm.allocation, !(allocation >= 0) { errors.append("arm \(arm.variant) has a negative allocation") }
        }
        if input.primaryMetric == nil { errors.append("no primary metric") }
        for metric in input.metrics {
            if metric.values.count != input.arms.count {
                errors.append("metric \(metric.id) has values for \(metric.values.count) arm(s), expected \(input.arms.count)")
                continue
            }
            for (arm, value) in zip(input.arms, metric.values) {
                if value.sum < 0 && metric.kind == .binary { errors.append("\(metric.id) in \(arm.variant): negative conversions (\(format(value.sum)))") }
                if metric.kind == .binary && value.sum > Double(value.units) {
                    errors.append("\(metric.id) in \(arm.variant): conversions (\(format(value.sum))) exceed users (\(value.units))")
                }
                if let squares = value.sumOfSquares, squares < 0 { errors.append("\(metric.id) in \(arm.variant): negative sum of squares") }
                if metric.kind == .continuous, let squares = value.sumOfSquares, value.units > 0,
                   squares + 1e-9 * abs(squares) < value.sum * value.sum / Double(value.units) {
                    errors.append("\(metric.id) in \(arm.variant): sum of squares is smaller than sum²/n (impossible)")
                }
            }
        }
        return errors
    }

    public static func srm(_ input: ExperimentInput) -> AnalysisReport.SRM? {
        let allocations = input.arms.map { $0.allocation }
        let weights: [Double]? = allocations.contains(where: { $0 == nil }) ? nil : allocations.compactMap { $0 }
        guard let result = SampleRatioTest(observed: input.arms.map(\.users), weights: weights).run() else { return nil }
        return AnalysisReport.SRM(chiSquare: result.chiSquare, pValue: result.pValue, expected: result.expected, observed: input.arms.map(\.users))
    }

    /// - Parameter inputErrors: ``inputErrors(_:)`` of `input`, computed once by the caller.
    /// A guardrail that could not be checked (no data) is a Warning: silence is not safety.
    public static func run(_ input: ExperimentInput, inputErrors: [String], srm: AnalysisReport.SRM?, guardrails: [AnalysisReport.Guardrail],
                           configuration: AnalysisConfiguration) -> AnalysisReport.Health {
        if !inputErrors.isEmpty { return .init(status: .blocked, reasons: inputErrors) }
        var status = AnalysisReport.HealthStatus.healthy
        var reasons: [String] = []
        func raise(_ level: AnalysisReport.HealthStatus, _ reason: String) {
            status = max(status, level)
            reasons.append(reason)
        }
        if let srm {
            let split = input.arms.map { "\($0.variant) \($0.users)" }.joined(separator: ", ")
            if srm.pValue < configuration.srmBlockedP {
                raise(.blocked, "sample-ratio mismatch: p = \(formatP(srm.pValue)) < \(formatP(configuration.srmBlockedP)) (\(split)); assignment is broken, results cannot be trusted")
            } else if srm.pValue < configuration.srmWarningP {
                raise(.warning, "possible sample-ratio mismatch: p = \(formatP(srm.pValue)) < \(formatP(configuration.srmWarningP)) (\(split))")
            }
        }
        for arm in input.arms where arm.users < configuration.minimumUsersPerArm {
            raise(.warning, "small sample: \(arm.variant) has \(arm.users) users (< \(configuration.minimumUsersPerArm))")
        }
        if let quality = input.exposureQuality {
            let checks: [(String, Double, Double)] = [
                ("variant-mismatch exposures", quality.mismatchRate, configuration.maxMismatchRate),
                ("pre-assignment exposures", quality.preAssignmentRate, configuration.maxPreAssignmentRate),
                ("multi-variation exposures", quality.multiVariationRate, configuration.maxMultiVariationRate),
            ]
            for (label, rate, limit) in checks where rate > limit {
                raise(.warning, "exposure quality: \(percent(rate)) \(label) (> \(percent(limit)) of exposed units)")
            }
        }
        for guardrail in guardrails where !guardrail.isChecked {
            raise(.warning, "guardrail \(guardrail.metric) not checked for \(guardrail.variant): no data")
        }
        return .init(status: status, reasons: reasons)
    }
}
