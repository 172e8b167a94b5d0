import Stats

/// Runs the whole analysis of one experiment: health, SRM, every arm × metric
/// comparison, guardrails, power and the decision. Pure: no I/O, deterministic.
public struct Analyzer: Sendable {
    public var configuration: DecisionConfiguration

    public init(configuration: DecisionConfiguration = DecisionConfiguration()) {
        self.configuration = configuration
    }

    public func analyze(_ input: ExperimentInput) -> AnalysisReport {
        let inputErrors = HealthCheck.inputErrors(input)
        let valid = inputErrors.isEmpty
        let srm = HealthCheck.srm(input)
        let health = HealthCheck.run(input, inputErrors: inputErrors, srm: srm, configuration: configuration)
        let comparisons = valid ? compareAll(input) : []
        let guardrails = valid ? GuardrailCheck.run(input, configuration: configuration) : []
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

    /// Every treatment arm against control on every metric; p-values adjusted
    /// across the treatment arms of each metric.
    func compareAll(_ input: ExperimentInput) -> [AnalysisReport.Comparison] {
        var all: [AnalysisReport.Comparison] = []
        for metric in input.metrics {
            var family = input.arms.indices.dropFirst().map { compare(metric, control: 0, treatment: $0, arms: input.arms) }
            let defined = family.indices.filter { family[$0].pValue != nil }
            let adjusted = configuration.correction.adjust(defined.map { family[$0].pValue ?? 1 })
            for (position, index) in defined.enumerated() {
                family[index].adjustedPValue = adjusted[position]
                family[index].significant = adjusted[position] < configuration.alpha
            }
            all += family
        }
        return all
    }

    func compare(_ metric: ExperimentInput.Metric, control c: Int, treatment t: Int, arms: [ExperimentInput.Arm]) -> AnalysisReport.Comparison {
        let control = metric.values[c], treatment = metric.values[t]
        var notes: [String] = []
        var comparison = AnalysisReport.Comparison(
            variant: arms[t].variant, metric: metric.id, metricKind: metric.kind, role: metric.role,
            controlValue: nil, treatmentValue: nil, absoluteLift: nil, relativeLift: nil, pValue: nil, adjustedPValue: nil,
            ciLow: nil, ciHigh: nil, relCiLow: nil, relCiHigh: nil, significant: false, chanceToBeatControl: nil,
            expectedLoss: nil, sequential: nil, betaBinomial: nil, notes: []
        )
        let controlMoments: ArmMoments?, treatmentMoments: ArmMoments?
        switch metric.kind {
        case .binary:
            let cs = ProportionSample(users: control.units, conversions: Int(control.sum))
            let ts = ProportionSample(users: treatment.units, conversions: Int(treatment.sum))
            let z = TwoProportionTest(control: cs, treatment: ts, confidenceLevel: 1 - configuration.alpha).run()
            comparison.setFixedHorizon(control: z.controlRate, treatment: z.treatmentRate, absoluteLift: z.absoluteLift,
                                       relativeLift: z.relativeLift, pValue: z.pValue, ciLow: z.ciLow, ciHigh: z.ciHigh)
            notes += z.notes
            controlMoments = .proportion(users: control.units, conversions: Int(control.sum))
            treatmentMoments = .proportion(users: treatment.units, conversions: Int(treatment.sum))
            if configuration.betaBinomial, let exact = BetaBinomial(control: cs, treatment: ts).run() {
                comparison.betaBinomial = .init(chanceToBeatControl: exact.chanceToBeatControl, expectedLoss: exact.expectedLoss)
            }
        case .continuous:
            let cs = MeanSample(count: control.units, sum: control.sum, sumOfSquares: control.sumOfSquares ?? 0)
            let ts = MeanSample(count: treatment.units, sum: treatment.sum, sumOfSquares: treatment.sumOfSquares ?? 0)
            let welch = WelchTest(control: cs, treatment: ts, confidenceLevel: 1 - configuration.alpha).run()
            comparison.setFixedHorizon(control: welch.controlMean, treatment: welch.treatmentMean, absoluteLift: welch.absoluteLift,
                                       relativeLift: welch.relativeLift, pValue: welch.pValue, ciLow: welch.ciLow, ciHigh: welch.ciHigh)
            notes += welch.notes
            controlMoments = .sample(cs)
            treatmentMoments = .sample(ts)
        }
        if let controlMoments, let treatmentMoments {
            let relative = DeltaMethodLift(control: controlMoments, treatment: treatmentMoments, confidenceLevel: 1 - configuration.alpha)
            if let lift = relative.run() {
                comparison.relCiLow = lift.ciLow
                comparison.relCiHigh = lift.ciHigh
                if let bayes = BayesianLift(lift, prior: configuration.prior, higherIsBetter: metric.higherIsBetter)?.run() {
                    comparison.chanceToBeatControl = bayes.chanceToBeatControl
                    comparison.expectedLoss = bayes.expectedLoss
                }
                if configuration.sequential, let sequential = SequentialTest(
                    estimate: lift.estimate, variance: lift.standardError * lift.standardError,
                    totalUnits: controlMoments.count + treatmentMoments.count, alpha: configuration.alpha, tuning: configuration.sequentialTuning
                ).run() {
                    comparison.sequential = .init(pValue: sequential.pValue, relCiLow: sequential.ciLow, relCiHigh: sequential.ciHigh)
                }
            } else if let reason = relative.undefinedReason {
                // The fixed-horizon test may already have explained an undefined relative lift.
                let alreadyExplained = reason.contains("relative") && notes.contains { $0.contains("relative") }
                if !alreadyExplained { notes.append(reason) }
            }
        }
        comparison.notes = Array(Set(notes)).sorted()
        return comparison
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

extension AnalysisReport.Comparison {
    /// The fixed-horizon test's values (z-test or Welch), whichever produced them.
    mutating func setFixedHorizon(control: Double?, treatment: Double?, absoluteLift: Double?, relativeLift: Double?,
                                  pValue: Double?, ciLow: Double?, ciHigh: Double?) {
        controlValue = control
        treatmentValue = treatment
        self.absoluteLift = absoluteLift
        self.relativeLift = relativeLift
        self.pValue = pValue
        self.ciLow = ciLow
        self.ciHigh = ciHigh
    }
}
