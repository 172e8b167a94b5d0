public import Warehouse

/// Reads one experiment's analysis input from the warehouse: the rows of
/// `int_experiment_analysis_input` for the requested mode (the rows the build's
/// `fct_experiment_results` and `fct_experiment_verdicts` were computed from), plus
/// its name, hypothesis and status from `experiments` and decisions from `experiment_decisions`.
public enum WarehouseExperiment {
    public enum Mode: String, Sendable, CaseIterable { case itt, exposed }

    public static func load(_ experimentID: String, mode: Mode, from connection: any WarehouseSession) throws -> ExperimentInput {
        let experiments = try connection.rows(
            "SELECT name, hypothesis, status FROM experiments WHERE experiment_id = ?", [experimentID]
        )
        guard let experiment = experiments.first else {
            let known = try connection.rows("SELECT experiment_id FROM experiments ORDER BY experiment_id").compactMap { $0[0].string }
            throw WarehouseError(code: .invalidArgument, message: "No experiment '\(experimentID)' in \(connection.location). Known: \(known.joined(separator: ", ")).")
        }
        guard try connection.tableExists("int_experiment_analysis_input") else {
            throw WarehouseError(code: .invalidArgument, message: "\(connection.location) has no int_experiment_analysis_input model: it was built by an older Readout. Run `readout build` to rebuild the models.")
        }
        let rows = try connection.rows(
            "SELECT * FROM int_experiment_analysis_input WHERE experiment_id = ? AND analysis_mode = ? ORDER BY metric_id, is_control DESC, variation_id",
            [experimentID, mode.rawValue]
        )
        var input = AnalysisInputRows.groups(rows).first?.input
            ?? ExperimentInput(experimentID: experimentID, analysisMode: mode.rawValue, arms: [], metrics: [])
        input.name = experiment["name"].string
        input.hypothesis = experiment["hypothesis"].string
        input.status = experiment["status"].string
        input.recordedDecisions = try connection.rows(
            "SELECT decision, decided_by, decided_at, rationale FROM experiment_decisions WHERE experiment_id = ? ORDER BY decided_at", [experimentID]
        ).map { row in
            "\(row["decision"].string ?? "?") by \(row["decided_by"].string ?? "?") at \(row["decided_at"].string ?? "?"): \(row["rationale"].string ?? "")"
        }
        return input
    }
}
