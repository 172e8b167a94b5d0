import Stats

/// Guardrail metrics per treatment arm, read off the engine's comparisons (so the
/// status is computed once, for `analyze`, the memo, the results table and `ask`):
/// worsened or severe by configurable, direction-aware thresholds (absolute rate
/// points for binary metrics, relative change for continuous ones), flagged only
/// when the decision test is significant if so configured. A guardrail whose test
/// is undefined (no data, or too little to test) is `no_data` — never "ok".
public enum GuardrailCheck {
    public static func run(_ comparisons: [AnalysisReport.Comparison], configuration: AnalysisConfiguration) -> [AnalysisReport.Guardrail] {
        comparisons.filter { $0.role == .guardrail }.map { evaluate($0, configuration: configuration) }
    }

    static func evaluate(_ comparison: AnalysisReport.Comparison, configuration: AnalysisConfiguration) -> AnalysisReport.Guardrail {
        let binary = comparison.metricKind == .binary
        let deltaKind = binary ? "absolute" : "relative"
        let delta = binary ? comparison.absoluteLift : comparison.relativeLift
        guard let delta, delta.isFinite, let pValue = comparison.relPValue else {
            return .init(metric: comparison.metric, variant: comparison.variant, delta: nil, deltaKind: deltaKind, pValue: nil, status: .noData)
        }
        let worsened = binary ? configuration.guardrailWorsenedPoints : configuration.guardrailWorsenedRelative
        let severe = binary ? configuration.guardrailSeverePoints : configuration.guardrailSevereRelative
        let higherIsBetter = comparison.higherIsBetter
        let worsening = higherIsBetter ? -delta : delta
        var status = AnalysisReport.GuardrailStatus.ok
        if worsening >= severe - 1e-12 { status = .severe } else if worsening >= worsened - 1e-12 { status = .worsened }
        if status != .ok && configuration.guardrailRequiresSignificance && !(pValue < configuration.alpha) {
            status = .ok
        }
        return .init(metric: comparison.metric, variant: comparison.variant, delta: delta, deltaKind: deltaKind, pValue: pValue, status: status)
    }
}
