public import Analysis

/// What one analysis logs to MLflow: pure, built from the report (no I/O).
///
/// - MLflow experiment `readout/<experiment_id>`;
/// - params `alpha`, `decision_test`, `analysis_mode`, `minimum_detectable_effect`, `correction`, `cuped`;
/// - metrics `<metric>.<variant>.<measure>`: per arm `users` and `rate` (binary metrics) or `mean`
///   (continuous, e.g. mean latency), per treatment arm `rel_lift`, `rel_p_value`, `adjusted_p_value`,
///   `ci_low`, `ci_high` (of the relative lift), `abs_lift`, `chance_to_beat_control`; plus
///   `srm.p_value` and `power.achieved`;
/// - tags `readout.experiment_id`, `readout.decision` (with its arm), `readout.guardrails`, `readout.srm`,
///   `readout.health`, `mlflow.runName`.
public struct MLflowRun: Sendable, Equatable {
    public struct Metric: Sendable, Equatable {
        public var key: String
        public var value: Double
    }

    public var experimentName: String
    public var runName: String
    public var params: [(String, String)]
    public var metrics: [Metric]
    public var tags: [(String, String)]

    public static func == (a: MLflowRun, b: MLflowRun) -> Bool {
        a.experimentName == b.experimentName && a.runName == b.runName && a.metrics == b.metrics
            && a.params.map { "\($0)=\($1)" } == b.params.map { "\($0)=\($1)" } && a.tags.map { "\($0)=\($1)" } == b.tags.map { "\($0)=\($1)" }
    }

    public init(report: AnalysisReport, experimentID: String) {
        let mode = report.experiment.mode ?? "itt"
        experimentName = "readout/\(experimentID)"
        runName = "\(experimentID) \(mode)"
        let settings = report.settings
        params = [
            ("alpha", Self.number(settings.alpha)),
            ("decision_test", settings.decisionTest),
            ("analysis_mode", mode),
            ("minimum_detectable_effect", Self.number(settings.minimumDetectableEffect)),
            ("correction", "\(settings.correction)"),
            ("cuped", settings.cuped ? "true" : "false"),
        ]
        var metrics: [Metric] = []
        func add(_ key: String, _ value: Double?) {
            guard let value, value.isFinite else { return }
            metrics.append(Metric(key: Self.key(key), value: value))
        }
        let primary = report.experiment.primaryMetric ?? "primary"
        for arm in report.arms {
            add("\(primary).\(arm.variant).users", Double(arm.users))
            add("\(primary).\(arm.variant).rate", arm.rate)
        }
        var seenControl: Set<String> = []
        for comparison in report.comparisons {
            let prefix = "\(comparison.metric).\(comparison.variant)"
            if comparison.metricKind == .binary {
                add("\(prefix).rate", comparison.treatmentValue)
                if seenControl.insert(comparison.metric).inserted { add("\(comparison.metric).control.rate", comparison.controlValue) }
            } else {
                add("\(prefix).mean", comparison.treatmentValue)
                if seenControl.insert(comparison.metric).inserted { add("\(comparison.metric).control.mean", comparison.controlValue) }
            }
            add("\(prefix).rel_lift", comparison.relativeLift)
            add("\(prefix).rel_p_value", comparison.relPValue)
            add("\(prefix).adjusted_p_value", comparison.adjustedPValue)
            add("\(prefix).ci_low", comparison.relCiLow)
            add("\(prefix).ci_high", comparison.relCiHigh)
            add("\(prefix).abs_lift", comparison.absoluteLift)
            add("\(prefix).chance_to_beat_control", comparison.chanceToBeatControl)
        }
        add("srm.p_value", report.srm?.pValue)
        add("power.achieved", report.power.achievedPower)
        // Primary-metric arm rates may repeat a comparison's: keep the first of each key.
        var seen: Set<String> = []
        self.metrics = metrics.filter { seen.insert($0.key).inserted }

        let guardrails: String
        if report.guardrails.isEmpty {
            guardrails = "none"
        } else if report.guardrails.contains(where: { $0.status == .severe || $0.status == .worsened }) {
            guardrails = "failing"
        } else if report.guardrails.contains(where: { !$0.isChecked }) {
            guardrails = "not_checked"
        } else {
            guardrails = "ok"
        }
        let srm: String
        if let p = report.srm?.pValue {
            srm = p < settings.srmBlockedP ? "blocked" : p < settings.srmWarningP ? "warning" : "ok"
        } else {
            srm = "not_checked"
        }
        tags = [
            ("readout.experiment_id", experimentID),
            ("readout.analysis_mode", mode),
            ("readout.decision", report.decision.verdict.rawValue),
            ("readout.decision_variant", report.decision.variant ?? ""),
            ("readout.guardrails", guardrails),
            ("readout.srm", srm),
            ("readout.health", report.health.status.rawValue),
            ("mlflow.runName", runName),
            ("mlflow.source.name", "readout"),
        ]
    }

    /// MLflow keys take letters, digits, `_ - . / ` and spaces: anything else becomes `_`.
    static func key(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || "_-./ ".contains($0) ? $0 : "_" })
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
