public import Warehouse
import Stats

/// The build's statistics: `fct_experiment_results` and `fct_experiment_verdicts`
/// are the ``Analyzer``'s report over `int_experiment_analysis_input`, written as rows.
/// `readout analyze` runs the same analyzer on the same rows, so they agree to the digit.
public enum AnalysisComputations {
    /// The computations the shipped models name, with the analysis settings in effect.
    public static func all(_ configuration: AnalysisConfiguration) -> [any ModelComputation] {
        [ExperimentResultsComputation(configuration: configuration), ExperimentVerdictsComputation(configuration: configuration)]
    }
}

/// `fct_experiment_results`: one row per cell with units; comparison columns on treatment rows.
public struct ExperimentResultsComputation: ModelComputation {
    public var configuration: AnalysisConfiguration

    public init(configuration: AnalysisConfiguration) {
        self.configuration = configuration
    }

    public var name: String { "experiment_results" }

    public var outputColumns: [ColumnDefinition] {
        [
            ColumnDefinition("experiment_id", "TEXT"),
            ColumnDefinition("metric_id", "TEXT"),
            ColumnDefinition("variation_id", "TEXT"),
            ColumnDefinition("analysis_mode", "TEXT"),
            ColumnDefinition("is_control", "INTEGER"),
            ColumnDefinition("metric_kind", "TEXT"),
            ColumnDefinition("metric_role", "TEXT"),
            ColumnDefinition("n_users", "INTEGER"),
            ColumnDefinition("n_converted", "INTEGER"),
            ColumnDefinition("conversion_rate", "REAL"),
            ColumnDefinition("mean_value", "REAL"),
            ColumnDefinition("uplift_abs", "REAL"),
            ColumnDefinition("uplift_rel", "REAL"),
            ColumnDefinition("p_value_two_sided", "REAL"),
            ColumnDefinition("ci_low", "REAL"),
            ColumnDefinition("ci_high", "REAL"),
            ColumnDefinition("rel_p_value", "REAL"),
            ColumnDefinition("adjusted_p_value", "REAL"),
            ColumnDefinition("rel_ci_low", "REAL"),
            ColumnDefinition("rel_ci_high", "REAL"),
            ColumnDefinition("is_significant", "INTEGER"),
            ColumnDefinition("chance_to_beat_control", "REAL"),
            ColumnDefinition("guardrail_status", "TEXT"),
            ColumnDefinition("cuped_theta", "REAL"),
            ColumnDefinition("cuped_variance_reduction", "REAL"),
        ]
    }

    public func compute(_ rows: [Row]) throws -> [[DatabaseValue]] {
        let analyzer = Analyzer(configuration: configuration)
        var output: [[DatabaseValue]] = []
        for group in AnalysisInputRows.groups(rows) {
            let report = analyzer.analyze(group.input)
            for cell in group.cells {
                let comparison = cell.isControl ? nil : report.comparisons.first { $0.metric == cell.metric && $0.variant == cell.variation }
                let guardrail = comparison == nil ? nil : report.guardrails.first { $0.metric == cell.metric && $0.variant == cell.variation }
                output.append([
                    .text(group.experimentID), .text(cell.metric), .text(cell.variation), .text(group.mode),
                    .integer(cell.isControl ? 1 : 0), .text(cell.kind.rawValue), .text(cell.role.rawValue),
                    .integer(Int64(cell.users)), .integer(Int64(cell.converted)),
                    cell.users > 0 ? .real(Double(cell.converted) / Double(cell.users)) : .null,
                    cell.users > 0 ? .real(cell.valueSum / Double(cell.users)) : .null,
                    real(comparison?.absoluteLift), real(comparison?.relativeLift), real(comparison?.pValue),
                    real(comparison?.ciLow), real(comparison?.ciHigh),
                    real(comparison?.relPValue), real(comparison?.adjustedPValue), real(comparison?.relCiLow), real(comparison?.relCiHigh),
                    comparison.map { $0.relPValue == nil ? .null : .integer($0.significant ? 1 : 0) } ?? .null,
                    real(comparison?.chanceToBeatControl),
                    guardrail.map { .text($0.status.rawValue) } ?? .null,
                    real(comparison?.cuped?.theta), real(comparison?.cuped?.varianceReduction),
                ])
            }
        }
        return output
    }
}

/// `fct_experiment_verdicts`: one row per experiment and analysis mode.
public struct ExperimentVerdictsComputation: ModelComputation {
    public var configuration: AnalysisConfiguration

    public init(configuration: AnalysisConfiguration) {
        self.configuration = configuration
    }

    public var name: String { "experiment_verdicts" }

    public var outputColumns: [ColumnDefinition] {
        [
            ColumnDefinition("experiment_id", "TEXT"),
            ColumnDefinition("analysis_mode", "TEXT"),
            ColumnDefinition("verdict", "TEXT"),
            ColumnDefinition("variation_id", "TEXT"),
            ColumnDefinition("health_status", "TEXT"),
            ColumnDefinition("srm_p_value", "REAL"),
            ColumnDefinition("srm_status", "TEXT"),
            ColumnDefinition("guardrails_status", "TEXT"),
            ColumnDefinition("achieved_power", "REAL"),
            ColumnDefinition("required_users_per_arm", "INTEGER"),
            ColumnDefinition("reasons", "TEXT"),
            ColumnDefinition("decision_test", "TEXT"),
            ColumnDefinition("alpha", "REAL"),
            ColumnDefinition("correction", "TEXT"),
        ]
    }

    public func compute(_ rows: [Row]) throws -> [[DatabaseValue]] {
        let analyzer = Analyzer(configuration: configuration)
        return AnalysisInputRows.groups(rows).map { group in
            let report = analyzer.analyze(group.input)
            return [
                .text(group.experimentID), .text(group.mode), .text(report.decision.verdict.rawValue),
                report.decision.variant.map(DatabaseValue.text) ?? .null,
                .text(report.health.status.rawValue), real(report.srm?.pValue), report.srmStatus.map(DatabaseValue.text) ?? .null,
                .text(report.guardrailsStatus),
                real(report.power.achievedPower), report.power.requiredPerArm.map { .integer(Int64($0)) } ?? .null,
                .text(report.decision.reasons.joined(separator: "; ")),
                .text(configuration.decisionTest), .real(configuration.alpha), .text(configuration.correction.rawValue),
            ]
        }
    }
}

extension AnalysisReport {
    /// The sample-ratio check against the thresholds: `ok`, `warning` or `blocked`; nil when not computed.
    public var srmStatus: String? {
        guard let srm else { return nil }
        return srm.pValue < settings.srmBlockedP ? "blocked" : srm.pValue < settings.srmWarningP ? "warning" : "ok"
    }

    /// `failing` (a guardrail worsened or severe), `not_checked` (one has no data), `ok`, or `none`.
    public var guardrailsStatus: String {
        if guardrails.isEmpty { return "none" }
        if guardrails.contains(where: { $0.status == .worsened || $0.status == .severe }) { return "failing" }
        if guardrails.contains(where: { !$0.isChecked }) { return "not_checked" }
        return "ok"
    }
}

private func real(_ value: Double?) -> DatabaseValue {
    guard let value, value.isFinite else { return .null }
    return .real(value)
}

extension WarehouseBuild {
    /// A build whose computed models use the statistics engine with `configuration`.
    public static func analysed(_ semantic: SemanticDirectory, configuration: AnalysisConfiguration = AnalysisConfiguration()) -> WarehouseBuild {
        WarehouseBuild(semantic: semantic, computations: AnalysisComputations.all(configuration))
    }
}

extension IncrementalBuild {
    /// An incremental build whose computed models use the statistics engine with `configuration`.
    public static func analysed(_ semantic: SemanticDirectory, configuration: AnalysisConfiguration = AnalysisConfiguration()) throws -> IncrementalBuild {
        try IncrementalBuild(semantic: semantic, computations: AnalysisComputations.all(configuration))
    }
}
