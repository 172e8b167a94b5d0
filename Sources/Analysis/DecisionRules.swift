import Stats

/// The launch decision, by rules applied in order (docs/stats.md):
///
/// 1. health Blocked → Hold
/// 2. SRM warning → Hold
/// 3. primary not significant and power below target → Hold (underpowered)
/// 4. primary significant + severe guardrail → Rollback
/// 5. primary significant + worsened guardrail → Hold
/// 6. primary significantly better + guardrails fine → Launch
/// 7. primary significantly worse → Rollback
/// 8. otherwise → Hold
///
/// Rules 3–8 are applied to each treatment arm; the experiment launches the
/// best launchable arm, else rolls back if any arm must be rolled back, else holds.
public struct DecisionRules: Sendable {
    public var configuration: AnalysisConfiguration

    public init(configuration: AnalysisConfiguration) {
        self.configuration = configuration
    }

    public func decide(input: ExperimentInput, health: AnalysisReport.Health, srm: AnalysisReport.SRM?,
                       comparisons: [AnalysisReport.Comparison], guardrails: [AnalysisReport.Guardrail],
                       power: AnalysisReport.Power) -> AnalysisReport.Decision {
        if health.status == .blocked {
            return .init(verdict: .hold, variant: nil, reasons: ["health check is Blocked"] + health.reasons)
        }
        if let srm, srm.pValue < configuration.srmWarningP {
            return .init(verdict: .hold, variant: nil, reasons: ["sample-ratio mismatch warning (p = \(formatP(srm.pValue))): fix assignment before reading results"])
        }
        guard let primary = input.primaryMetric else {
            return .init(verdict: .hold, variant: nil, reasons: ["no primary metric"])
        }
        var perArm: [(variant: String, verdict: AnalysisReport.Verdict, reasons: [String], lift: Double)] = []
        for comparison in comparisons where comparison.metric == primary.id {
            let (verdict, reasons) = decideArm(comparison, primary: primary, guardrails: guardrails.filter { $0.variant == comparison.variant }, power: power)
            let lift = (comparison.relativeLift ?? 0) * (primary.higherIsBetter ? 1 : -1)
            perArm.append((comparison.variant, verdict, reasons, lift))
        }
        // Guardrails without data are already named in the arm's reasons.
        let context = health.status == .warning ? health.reasons.filter { !$0.hasPrefix("guardrail ") }.map { "risk: \($0)" } : []
        func others(than variant: String) -> [String] {
            perArm.filter { $0.variant != variant }.map { "\($0.variant): \($0.verdict.rawValue) — \($0.reasons.joined(separator: "; "))" }
        }
        if let best = perArm.filter({ $0.verdict == .launch }).max(by: { $0.lift < $1.lift }) {
            return .init(verdict: .launch, variant: best.variant, reasons: best.reasons + others(than: best.variant) + context)
        }
        if let rollback = perArm.first(where: { $0.verdict == .rollback }) {
            return .init(verdict: .rollback, variant: rollback.variant, reasons: rollback.reasons + others(than: rollback.variant) + context)
        }
        let all = perArm.flatMap { arm in arm.reasons.map { perArm.count > 1 ? "\(arm.variant): \($0)" : $0 } }
        let underpowered = !perArm.isEmpty && perArm.allSatisfy { $0.verdict == .holdUnderpowered }
        return .init(verdict: underpowered ? .holdUnderpowered : .hold, variant: nil, reasons: all + context)
    }

    func decideArm(_ comparison: AnalysisReport.Comparison, primary: ExperimentInput.Metric,
                   guardrails: [AnalysisReport.Guardrail], power: AnalysisReport.Power) -> (AnalysisReport.Verdict, [String]) {
        let pText = comparison.adjustedPValue.map { p in
            "p = \(formatP(p))\(comparison.adjustedPValue != comparison.relPValue ? " (\(configuration.correction.rawValue)-adjusted)" : "")"
        } ?? "p undefined"
        var liftText = comparison.relativeLift.map { "\($0 >= 0 ? "+" : "")\(percent($0, digits: 1)) relative" } ?? "lift undefined"
        if let low = comparison.relCiLow, let high = comparison.relCiHigh {
            liftText += ", \(intervalLabel(comparison)) \(signedPercent(low)) to \(signedPercent(high))"
        }
        guard comparison.significant, let lift = comparison.relativeLift else {
            if let achieved = power.achievedPower, achieved < configuration.targetPower {
                let needed = power.requiredPerArm.map { ", \($0) users per arm needed" } ?? ""
                return (.holdUnderpowered, ["\(primary.id) not significant (\(liftText), \(pText)) and power to detect a \(percent(configuration.minimumDetectableEffect, digits: 0)) relative effect is \(percent(achieved, digits: 0)) < \(percent(configuration.targetPower, digits: 0))\(needed)"])
            }
            return (.hold, ["\(primary.id) not significant (\(liftText), \(pText))"])
        }
        let better = primary.higherIsBetter ? lift > 0 : lift < 0
        let severe = guardrails.filter { $0.status == .severe }
        let worsened = guardrails.filter { $0.status == .worsened }
        let primaryText = "\(primary.id) significant (\(liftText), \(pText))"
        if !severe.isEmpty {
            return (.rollback, [primaryText] + severe.map { "severe guardrail regression: \(describe($0))" })
        }
        if !worsened.isEmpty {
            return (.hold, [primaryText] + worsened.map { "guardrail worsened: \(describe($0))" })
        }
        if better {
            let checked = guardrails.filter(\.isChecked).map(\.metric)
            let unchecked = guardrails.filter { !$0.isChecked }.map { "guardrail \($0.metric) not checked: no data" }
            let fine = guardrails.isEmpty ? ["no guardrails configured"] : checked.isEmpty ? [] : ["guardrails fine (\(checked.joined(separator: ", ")))"]
            return (.launch, [primaryText + " and better than control"] + fine + unchecked)
        }
        return (.rollback, [primaryText + " and worse than control"])
    }

    /// "95% CI", or the adjusted / always-valid interval's name.
    private func intervalLabel(_ comparison: AnalysisReport.Comparison) -> String {
        let kind = configuration.sequential ? "always-valid CI" : "CI"
        if comparison.adjustedPValue != comparison.relPValue { return "\(configuration.correction.rawValue)-adjusted \(kind)" }
        return "\(format((1 - configuration.alpha) * 100))% \(kind)"
    }

    private func describe(_ guardrail: AnalysisReport.Guardrail) -> String {
        let delta = guardrail.delta.map { guardrail.deltaKind == "absolute" ? "\($0 >= 0 ? "+" : "")\(format($0 * 100)) pp" : "\($0 >= 0 ? "+" : "")\(percent($0, digits: 1))" } ?? "?"
        return "\(guardrail.metric) \(delta)\(guardrail.pValue.map { ", p = \(formatP($0))" } ?? "")"
    }
}
