import Stats

/// Runs the whole analysis of one experiment: health, SRM, every arm × metric
/// comparison, guardrails, power and the decision. Pure: no I/O, deterministic.
public struct Analyzer: Sendable {
    public var configuration: AnalysisConfiguration

    public init(configuration: AnalysisConfiguration = AnalysisConfiguration()) {
        self.configuration = configuration
    }

    public func analyze(_ input: ExperimentInput) -> AnalysisReport {
        let inputErrors = HealthCheck.inputErrors(input)
        let valid = inputErrors.isEmpty
        let srm = HealthCheck.srm(input)
        let comparisons = valid ? compareAll(input) : []
        let guardrails = GuardrailCheck.run(comparisons, configuration: configuration)
        let health = HealthCheck.run(input, inputErrors: inputErrors, srm: srm, guardrails: guardrails, configuration: configuration)
        let power = valid ? powerCheck(input) : AnalysisReport.Power(baselineRate: nil, minimumDetectableEffect: configuration.minimumDetectableEffect,
                                                                     requiredPerArm: nil, achievedPower: nil, notes: ["not computed: input errors"])
        let primary = input.primaryMetric
        let arms = input.arms.enumerated().map { index, arm -> AnalysisReport.Arm in
            let value = primary.flatMap { $0.values.indices.contains(index) ? $0.values[index] : nil }
            let rate = value.flatMap { $0.units > 0 ? $0.sum / Double($0.units) : nil }
            return .init(variant: arm.variant, users: arm.users,
                         conversions: primary?.kind == .binary ? value.map { Int($0.sum) } : nil, rate: rate)
        }
        let decision = DecisionRules(configuration: configuration).decide(
            input: input, health: health, srm: srm, comparisons: comparisons, guardrails: guardrails, power: power
        )
        return AnalysisReport(
            experiment: .init(id: input.experimentID, name: input.name, mode: input.analysisMode, primaryMetric: primary?.id),
            health: health, srm: srm, arms: arms, comparisons: comparisons, guardrails: guardrails,
            power: power, decision: decision, settings: configuration
        )
    }

    /// Every treatment arm against control on every metric, from the one engine.
    func compareAll(_ input: ExperimentInput) -> [AnalysisReport.Comparison] {
        let engine = ComparisonEngine(configuration: configuration)
        let variants = input.arms.map(\.variant)
        return input.metrics.flatMap { engine.compare($0, variants: variants) }
    }

    /// Power of the primary metric (binary only): users per arm needed for the
    /// configured relative MDE at the control rate, and the power reached now.
    func powerCheck(_ input: ExperimentInput) -> AnalysisReport.Power {
        var power = AnalysisReport.Power(baselineRate: nil, minimumDetectableEffect: configuration.minimumDetectableEffect,
                                         requiredPerArm: nil, achievedPower: nil, notes: [])
        guard let primary = input.primaryMetric, let control = primary.values.first else {
            power.notes.append("no primary metric")
            return power
        }
        guard primary.kind == .binary else {
            power.notes.append("power is computed for binary primary metrics only")
            return power
        }
        guard control.units > 0 else { return power }
        let baseline = control.sum / Double(control.units)
        power.baselineRate = baseline
        let target = PowerAnalysis.targetRate(baseline: baseline, effect: configuration.minimumDetectableEffect, relative: true)
        guard baseline > 0, target < 1 else {
            power.notes.append("baseline rate \(baseline) leaves no room for a \(percent(configuration.minimumDetectableEffect, digits: 0)) relative effect")
            return power
        }
        let analysis = PowerAnalysis(alpha: configuration.alpha, power: configuration.targetPower)
        let h = PowerAnalysis.cohensH(baseline: baseline, target: target)
        power.requiredPerArm = analysis.requiredPerArm(effectSize: h).map { Int($0.rounded(.up)) }
        let smallest = primary.values.map(\.units).min() ?? 0
        power.achievedPower = analysis.achievedPower(effectSize: h, perArm: Double(smallest))
        return power
    }
}
