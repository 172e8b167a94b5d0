import Stats

/// The one place a treatment arm is compared with control. Every surface that
/// shows a lift, a p-value, an interval or "significant" — `analyze`, the memo,
/// the warehouse's `fct_experiment_results`, `ask` readouts, the HTTP results —
/// gets it from here, so they cannot disagree.
///
/// **The decision test** is the relative lift with the delta method and a Student t
/// with Welch–Satterthwaite degrees of freedom, as GrowthBook's frequentist engine
/// (or, with `sequential`, GrowthBook's always-valid confidence sequence around the
/// same estimate). Its p-value is `relPValue`; corrected across the treatment arms
/// of a metric it is `adjustedPValue`; `relCiLow`/`relCiHigh` is its interval at
/// level 1 − α·relPValue/adjustedPValue, so that for every comparison
///
///     significant ⇔ adjustedPValue < α ⇔ the interval excludes 0.
///
/// With one treatment arm (or no correction) the level is simply 1 − α and the
/// interval is gbstats' relative interval. The seed-style absolute fields (`pValue`,
/// `ciLow`, `ciHigh`: pooled z-test or Welch) are reported beside it and never decide.
public struct ComparisonEngine: Sendable {
    public var configuration: AnalysisConfiguration

    public init(configuration: AnalysisConfiguration) {
        self.configuration = configuration
    }

    /// Every treatment arm of `metric` against control (the first value), in arm order.
    public func compare(_ metric: ExperimentInput.Metric, variants: [String]) -> [AnalysisReport.Comparison] {
        guard metric.values.count == variants.count, variants.count > 1 else { return [] }
        var family = variants.indices.dropFirst().map { estimate(metric, control: metric.values[0], treatment: metric.values[$0], variant: variants[$0]) }
        let tested = family.indices.filter { family[$0].test != nil }
        let adjusted = configuration.correction.adjust(tested.map { family[$0].comparison.relPValue ?? 1 })
        for (position, index) in tested.enumerated() {
            family[index].decide(adjustedPValue: adjusted[position], family: tested.count, configuration: configuration)
        }
        return family.map(\.comparison)
    }

    /// One arm's numbers before the family's correction.
    struct Estimate {
        var comparison: AnalysisReport.Comparison
        /// The decision test's estimate and standard error, when defined.
        var test: DeltaMethodLift.Result?
        var totalUnits: Int

        /// Applies the corrected p-value and sets the interval that agrees with it.
        mutating func decide(adjustedPValue: Double, family: Int, configuration: AnalysisConfiguration) {
            guard let test, let raw = comparison.relPValue else { return }
            let alpha = configuration.alpha
            comparison.adjustedPValue = adjustedPValue
            comparison.significant = adjustedPValue < alpha
            // Unadjusted: the interval at 1 − α is already the one that agrees.
            guard adjustedPValue != raw else { return }
            // The level whose interval excludes 0 exactly when adjustedPValue < α.
            // (raw / adjusted first: α·raw can underflow when raw is denormal.)
            let scaled = alpha * (raw / adjustedPValue)
            let level = raw > 0 && adjustedPValue > 0 && scaled > 0 && scaled.isFinite ? scaled : alpha / Double(family)
            if configuration.sequential {
                let sequential = SequentialTest(estimate: test.estimate, variance: test.standardError * test.standardError,
                                                totalUnits: totalUnits, alpha: alpha, tuning: configuration.sequentialTuning).run(intervalAlpha: level)
                comparison.relCiLow = sequential?.ciLow
                comparison.relCiHigh = sequential?.ciHigh
            } else {
                let q = StudentTDistribution(degreesOfFreedom: test.degreesOfFreedom).quantile(1 - level / 2)
                comparison.relCiLow = test.estimate - q * test.standardError
                comparison.relCiHigh = test.estimate + q * test.standardError
            }
        }
    }

    func estimate(_ metric: ExperimentInput.Metric, control: ExperimentInput.Value, treatment: ExperimentInput.Value, variant: String) -> Estimate {
        var notes: [String] = []
        var comparison = AnalysisReport.Comparison(variant: variant, metric: metric)
        let alpha = configuration.alpha
        var controlMoments: ArmMoments?, treatmentMoments: ArmMoments?
        switch metric.kind {
        case .binary:
            let cs = ProportionSample(users: control.units, conversions: Int(control.sum))
            let ts = ProportionSample(users: treatment.units, conversions: Int(treatment.sum))
            let z = TwoProportionTest(control: cs, treatment: ts, confidenceLevel: 1 - alpha).run()
            comparison.setAbsolute(control: z.controlRate, treatment: z.treatmentRate, absoluteLift: z.absoluteLift,
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
            let welch = WelchTest(control: cs, treatment: ts, confidenceLevel: 1 - alpha).run()
            comparison.setAbsolute(control: welch.controlMean, treatment: welch.treatmentMean, absoluteLift: welch.absoluteLift,
                                   relativeLift: welch.relativeLift, pValue: welch.pValue, ciLow: welch.ciLow, ciHigh: welch.ciHigh)
            notes += welch.notes
            controlMoments = .sample(cs)
            treatmentMoments = .sample(ts)
        }
        comparison.notes = Array(Set(notes)).sorted()
        var estimate = Estimate(comparison: comparison, test: nil, totalUnits: control.units + treatment.units)
        guard let rawControl = controlMoments, let rawTreatment = treatmentMoments else { return estimate }

        let raw = DeltaMethodLift(control: rawControl, treatment: rawTreatment, confidenceLevel: 1 - alpha)
        var lift = raw.run()
        if lift == nil, let reason = raw.undefinedReason {
            // The absolute test may already have explained an undefined relative lift.
            let alreadyExplained = reason.contains("relative") && notes.contains { $0.contains("relative") }
            if !alreadyExplained { estimate.comparison.notes = Array(Set(notes + [reason])).sorted() }
        }
        if configuration.cuped, let rawLift = lift, let adjustment = cuped(metric.kind, control: control, treatment: treatment),
           let (adjustedControl, adjustedTreatment) = adjustment.adjusted(),
           let adjustedLift = DeltaMethodLift(control: adjustedControl, treatment: adjustedTreatment, confidenceLevel: 1 - alpha).run() {
            let reduction = 1 - (adjustedLift.standardError * adjustedLift.standardError) / (rawLift.standardError * rawLift.standardError)
            estimate.comparison.cuped = .init(theta: adjustment.theta, varianceReduction: reduction, unadjustedRelativeLift: rawLift.estimate)
            lift = adjustedLift
        }
        guard let lift else { return estimate }
        estimate.test = lift
        estimate.comparison.relativeLift = lift.estimate
        estimate.comparison.relPValue = lift.pValue
        estimate.comparison.adjustedPValue = lift.pValue
        estimate.comparison.relCiLow = lift.ciLow
        estimate.comparison.relCiHigh = lift.ciHigh
        estimate.comparison.significant = lift.pValue < alpha
        if let bayes = BayesianLift(lift, prior: configuration.prior, higherIsBetter: metric.higherIsBetter)?.run() {
            estimate.comparison.chanceToBeatControl = bayes.chanceToBeatControl
            estimate.comparison.expectedLoss = bayes.expectedLoss
        }
        if configuration.sequential {
            let sequential = SequentialTest(estimate: lift.estimate, variance: lift.standardError * lift.standardError,
                                            totalUnits: estimate.totalUnits, alpha: alpha, tuning: configuration.sequentialTuning).run()
            if let sequential {
                estimate.comparison.sequential = .init(pValue: sequential.pValue, relCiLow: sequential.ciLow, relCiHigh: sequential.ciHigh)
                estimate.comparison.relPValue = sequential.pValue
                estimate.comparison.adjustedPValue = sequential.pValue
                estimate.comparison.relCiLow = sequential.ciLow
                estimate.comparison.relCiHigh = sequential.ciHigh
                estimate.comparison.significant = sequential.pValue < alpha
            } else {
                estimate.test = nil
                estimate.comparison.relPValue = nil
                estimate.comparison.adjustedPValue = nil
                estimate.comparison.relCiLow = nil
                estimate.comparison.relCiHigh = nil
                estimate.comparison.significant = false
            }
        }
        return estimate
    }

    /// The pair's CUPED adjustment, when both arms carry the covariate and it varies.
    func cuped(_ kind: ExperimentInput.MetricKind, control: ExperimentInput.Value, treatment: ExperimentInput.Value) -> CUPED? {
        guard let c = control.covariate, let t = treatment.covariate, control.units > 1, treatment.units > 1 else { return nil }
        func sample(_ value: ExperimentInput.Value, _ covariate: ExperimentInput.Covariate) -> CovariateSample {
            // A binary outcome is 0/1, so Σy² = Σy.
            CovariateSample(count: value.units, sum: value.sum, sumOfSquares: kind == .binary ? value.sum : value.sumOfSquares ?? 0,
                            covariateSum: covariate.sum, covariateSumOfSquares: covariate.sumOfSquares, sumOfProducts: covariate.sumOfProducts)
        }
        let adjustment = CUPED(control: sample(control, c), treatment: sample(treatment, t))
        return adjustment.theta == 0 ? nil : adjustment
    }
}

extension AnalysisReport.Comparison {
    /// An empty comparison: every value null until computed.
    init(variant: String, metric: ExperimentInput.Metric) {
        self.init(variant: variant, metric: metric.id, metricKind: metric.kind, role: metric.role, higherIsBetter: metric.higherIsBetter,
                  controlValue: nil, treatmentValue: nil,
                  absoluteLift: nil, relativeLift: nil, pValue: nil, ciLow: nil, ciHigh: nil, relPValue: nil, adjustedPValue: nil,
                  relCiLow: nil, relCiHigh: nil, significant: false, chanceToBeatControl: nil, expectedLoss: nil,
                  sequential: nil, betaBinomial: nil, cuped: nil, notes: [])
    }

    /// The absolute test's values (pooled z-test or Welch).
    mutating func setAbsolute(control: Double?, treatment: Double?, absoluteLift: Double?, relativeLift: Double?,
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
