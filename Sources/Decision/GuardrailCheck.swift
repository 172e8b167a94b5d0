import Stats

/// Guardrail metrics per treatment arm: worsened or severe by configurable,
/// direction-aware thresholds (absolute rate points for binary metrics,
/// relative change for continuous ones).
public enum GuardrailCheck {
    public static func run(_ input: ExperimentInput, configuration: DecisionConfiguration) -> [AnalysisReport.Guardrail] {
        var results: [AnalysisReport.Guardrail] = []
        for metric in input.metrics where metric.role == .guardrail && metric.values.count == input.arms.count {
            let control = metric.values[0]
            for (arm, value) in zip(input.arms.dropFirst(), metric.values.dropFirst()) {
                results.append(evaluate(metric, variant: arm.variant, control: control, treatment: value, configuration: configuration))
            }
        }
        return results
    }

    static func evaluate(_ metric: ExperimentInput.Metric, variant: String, control: ExperimentInput.Value, treatment: ExperimentInput.Value,
                         configuration: DecisionConfiguration) -> AnalysisReport.Guardrail {
        let delta: Double?
        let pValue: Double?
        let worsened: Double, severe: Double
        switch metric.kind {
        case .binary:
            let test = TwoProportionTest(control: ProportionSample(users: control.units, conversions: Int(control.sum)),
                                         treatment: ProportionSample(users: treatment.units, conversions: Int(treatment.sum))).run()
            delta = test.absoluteLift
            pValue = test.pValue
            worsened = configuration.guardrailWorsenedPoints
            severe = configuration.guardrailSeverePoints
        case .continuous:
            let test = WelchTest(control: MeanSample(count: control.units, sum: control.sum, sumOfSquares: control.sumOfSquares ?? 0),
                                 treatment: MeanSample(count: treatment.units, sum: treatment.sum, sumOfSquares: treatment.sumOfSquares ?? 0)).run()
            delta = test.relativeLift
            pValue = test.pValue
            worsened = configuration.guardrailWorsenedRelative
            severe = configuration.guardrailSevereRelative
        }
        let deltaKind = metric.kind == .binary ? "absolute" : "relative"
        guard let delta, delta.isFinite else {
            return .init(metric: metric.id, variant: variant, delta: nil, deltaKind: deltaKind, pValue: pValue, status: .noData)
        }
        let worsening = metric.higherIsBetter ? -delta : delta
        var status = AnalysisReport.GuardrailStatus.ok
        if worsening >= severe - 1e-12 { status = .severe } else if worsening >= worsened - 1e-12 { status = .worsened }
        if status != .ok && configuration.guardrailRequiresSignificance && !((pValue ?? 1) < configuration.alpha) {
            status = .ok
        }
        return .init(metric: metric.id, variant: variant, delta: delta, deltaKind: deltaKind, pValue: pValue, status: status)
    }
}
