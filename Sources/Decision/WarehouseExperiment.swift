public import Warehouse

/// Reads one experiment's analysis input from the warehouse models:
/// arms and allocation from `experiment_variants`, sufficient statistics from
/// `agg_experiment_metric_by_variant` in the requested mode, exposure integrity
/// from `int_experiment_exposure_validation`, decisions from `experiment_decisions`.
public enum WarehouseExperiment {
    public enum Mode: String, Sendable, CaseIterable { case itt, exposed }

    public static func load(_ experimentID: String, mode: Mode, from connection: Connection) throws -> ExperimentInput {
        let experiments = try connection.rows(
            "SELECT name, hypothesis, primary_metric_id, status FROM experiments WHERE experiment_id = ?", [experimentID]
        )
        guard let experiment = experiments.first else {
            let known = try connection.rows("SELECT experiment_id FROM experiments ORDER BY experiment_id").compactMap { $0[0].string }
            throw WarehouseError(code: .invalidArgument, message: "No experiment '\(experimentID)' in \(connection.path). Known: \(known.joined(separator: ", ")).")
        }
        let primaryID = experiment["primary_metric_id"].string
        let variants = try connection.rows(
            "SELECT variation_id, allocation FROM experiment_variants WHERE experiment_id = ? ORDER BY is_control DESC, variation_id", [experimentID]
        )
        let aggregates = try connection.rows(
            """
            SELECT metric_id, variation_id, n_users, n_converted, value_sum, value_sum_sq
            FROM agg_experiment_metric_by_variant WHERE experiment_id = ? AND analysis_mode = ?
            """, [experimentID, mode.rawValue]
        )
        var cells: [String: Row] = [:]
        for row in aggregates {
            cells["\(row["metric_id"].string ?? "")\u{1F}\(row["variation_id"].string ?? "")"] = row
        }
        let variationIDs = variants.compactMap { $0["variation_id"].string }
        let users: [Int] = variationIDs.map { variation in
            Int(aggregates.first { $0["variation_id"].string == variation }?["n_users"].int64 ?? 0)
        }
        let arms = zip(variants, users).map { variant, count in
            ExperimentInput.Arm(variant: variant["variation_id"].string ?? "", users: count, allocation: variant["allocation"].double)
        }
        var metrics: [ExperimentInput.Metric] = []
        for metric in try connection.rows("SELECT metric_id, kind, higher_is_better, is_guardrail FROM metrics ORDER BY metric_id") {
            guard let id = metric["metric_id"].string else { continue }
            let kind: ExperimentInput.MetricKind = metric["kind"].string == "continuous" ? .continuous : .binary
            let role: ExperimentInput.MetricRole = id == primaryID ? .primary : (metric["is_guardrail"].int64 ?? 0) != 0 ? .guardrail : .secondary
            let values = zip(variationIDs, users).map { variation, count -> ExperimentInput.Value in
                guard let cell = cells["\(id)\u{1F}\(variation)"] else { return .init(units: count, sum: 0, sumOfSquares: kind == .continuous ? 0 : nil) }
                let n = Int(cell["n_users"].int64 ?? 0)
                return kind == .binary
                    ? .init(units: n, sum: Double(cell["n_converted"].int64 ?? 0))
                    : .init(units: n, sum: cell["value_sum"].double ?? 0, sumOfSquares: cell["value_sum_sq"].double ?? 0)
            }
            metrics.append(.init(id: id, kind: kind, role: role, higherIsBetter: (metric["higher_is_better"].int64 ?? 1) != 0, values: values))
        }
        let roleOrder: [ExperimentInput.MetricRole: Int] = [.primary: 0, .secondary: 1, .guardrail: 2]
        metrics.sort { (roleOrder[$0.role] ?? 3, $0.id) < (roleOrder[$1.role] ?? 3, $1.id) }

        let quality = try connection.rows(
            """
            SELECT SUM(exposure_count > 0) AS exposed, SUM(variant_mismatch) AS mismatch, SUM(pre_assignment_exposure) AS pre,
                   SUM(multi_variation_exposure) AS multi, SUM(exposure_outside_window) AS outside
            FROM int_experiment_exposure_validation WHERE experiment_id = ?
            """, [experimentID]
        ).first
        var exposureQuality: ExperimentInput.ExposureQuality?
        if let quality, let exposed = quality["exposed"].int64, exposed > 0 {
            let n = Double(exposed)
            exposureQuality = .init(
                exposedUnits: Int(exposed),
                mismatchRate: Double(quality["mismatch"].int64 ?? 0) / n,
                preAssignmentRate: Double(quality["pre"].int64 ?? 0) / n,
                multiVariationRate: Double(quality["multi"].int64 ?? 0) / n,
                outsideWindowRate: Double(quality["outside"].int64 ?? 0) / n
            )
        }
        let decisions = try connection.rows(
            "SELECT decision, decided_by, decided_at, rationale FROM experiment_decisions WHERE experiment_id = ? ORDER BY decided_at", [experimentID]
        ).map { row in
            "\(row["decision"].string ?? "?") by \(row["decided_by"].string ?? "?") at \(row["decided_at"].string ?? "?"): \(row["rationale"].string ?? "")"
        }
        return ExperimentInput(
            experimentID: experimentID, name: experiment["name"].string, hypothesis: experiment["hypothesis"].string,
            status: experiment["status"].string, analysisMode: mode.rawValue, arms: arms, metrics: metrics,
            exposureQuality: exposureQuality, recordedDecisions: decisions
        )
    }
}
